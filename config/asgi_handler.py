"""Django's ASGI handler without a thread for a request that needs none.

Under ASGI, Django (5.2) serves each request in a ``ThreadSensitiveContext``
and sends the request signals through ``sync_to_async``: ``request_started``
(``reset_queries``, ``close_old_connections``) and ``response.close()``,
which sends ``request_finished`` (``close_old_connections``,
``close_caches``, ``reset_urlconf``). So every request starts a thread of
its own, hops to it twice and joins it, even an async view that never
leaves the event loop (the join, a game's public page: Redis only). A
py-spy profile of joins after the middleware change (config/asgi_middleware.py)
had more than half of the server's samples in starting, waking and joining
those threads (docs/performance.md, "The request signals on the loop").

What those receivers touch is the request thread's database connections
(thread-local) and context-local state (caches, the urlconf). A request
that never went to a thread has no connection there, and the loop's own
thread never has one (Django refuses to connect from it while the loop
runs, and nothing connects before: no app's ``ready`` reads the database).
So here:

- ``request_started`` is sent on the loop: no request has a thread yet.
- ``request_finished`` is sent on the loop when the request never went to a
  thread; when it did (a synchronous view, a session saved, a database read
  through ``sync_to_async``), from that thread, as Django does: its
  connection goes back to the pool there, which the connection-leak fix
  relies on (tests/http/test_db_connections.py).

A signal with any receiver besides Django's own four keeps Django's path,
so a receiver added later never blocks the loop unnoticed.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

from asgiref.sync import SyncToAsync, sync_to_async
from django.core import signals
from django.core.cache import close_caches
from django.core.exceptions import RequestAborted
from django.core.handlers.asgi import ASGIHandler, get_script_prefix
from django.core.handlers.base import reset_urlconf
from django.db import close_old_connections, reset_queries
from django.dispatch import Signal
from django.http import HttpResponseBase
from django.urls import set_script_prefix

# Django's receivers of the request signals. They touch only the calling
# thread's database connections and context-local state, so on the loop
# they do nothing or the right thing.
ON_LOOP = frozenset({reset_queries, close_old_connections, close_caches, reset_urlconf})


def on_loop_only(signal: Signal, sender: type) -> bool:
    """True when every receiver of ``signal`` is one of :data:`ON_LOOP`."""
    sync_receivers, async_receivers = signal._live_receivers(sender)
    return not async_receivers and all(r in ON_LOOP for r in sync_receivers)


def request_has_thread() -> bool:
    """Whether this request's thread-sensitive context has started its thread.

    asgiref records a context's executor when its first call goes to a
    thread; these are its class attributes, not a documented API, so the
    version is pinned (requirements.txt) and tests/http/test_asgi_handler.py
    fails if a request's connection is no longer closed in its thread."""
    context = SyncToAsync.thread_sensitive_context.get(None)
    return context is not None and context in SyncToAsync.context_to_thread_executor


class LoopASGIHandler(ASGIHandler):
    """``ASGIHandler.handle`` of Django 5.2, with the two signal sends above
    changed; the rest is Django's code."""

    async def handle(self, scope: Any, receive: Any, send: Any) -> None:
        try:
            body_file = await self.read_body(receive)
        except RequestAborted:
            return
        set_script_prefix(get_script_prefix(scope))
        if on_loop_only(signals.request_started, self.__class__):
            signals.request_started.send(sender=self.__class__, scope=scope)
        else:
            await signals.request_started.asend(sender=self.__class__, scope=scope)
        request, error_response = self.create_request(scope, body_file)
        if request is None:
            assert error_response is not None  # Django gives one or the other
            body_file.close()
            await self.send_response(error_response, send)
            await self.close_response(error_response)
            return

        async def process_request(request: Any, send: Any) -> HttpResponseBase:
            response = await self.run_get_response(request)
            with contextlib.suppress(asyncio.CancelledError):  # the client went away
                await self.send_response(response, send)
            return response

        # Django's: the disconnect listener first, so that its errors never
        # keep process_request from being cancelled.
        listening = asyncio.create_task(self.listen_for_disconnect(receive))
        processing = asyncio.create_task(process_request(request, send))
        tasks: list[asyncio.Task[Any]] = [listening, processing]
        await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
        for task in tasks:
            if task.done():
                try:
                    task.result()
                except RequestAborted:
                    pass
                except AssertionError:
                    body_file.close()
                    raise
            else:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
        try:
            response = processing.result()
        except asyncio.CancelledError:
            await signals.request_finished.asend(sender=self.__class__)
        else:
            await self.close_response(response)
        body_file.close()

    async def close_response(self, response: HttpResponseBase) -> None:
        """``response.close()``, which sends ``request_finished``: on the loop
        when the request has no thread and only Django's receivers listen."""
        sender = getattr(response, "_handler_class", None) or self.__class__
        if request_has_thread() or not on_loop_only(signals.request_finished, sender):
            await sync_to_async(response.close)()
        else:
            response.close()
