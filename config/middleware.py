"""Django's middleware, without a thread hop per hook under ASGI.

Under ASGI, Django's ``MiddlewareMixin`` runs every ``process_request`` and
``process_response`` through ``sync_to_async`` (it cannot know whether a
hook touches the database), in a thread created for the request, and a
sync-only middleware (WhiteNoise's) runs the whole rest of the chain from a
thread. Every HTTP request paid about fifteen thread hops; a py-spy profile
of 2,000 player joins, 50 at a time, put most of the server's busy time
there, and the async join view (Redis only) ran at about 140 joins a second
on two workers (docs/performance.md, "Join storm").

The hooks of these middlewares only read and write the request and response
(headers, cookies, lazy objects): here they run on the event loop. The two
that can reach the database still go to a thread when they would:
sessions when the session must be saved, messages when its storage was used
or written (the session fallback). Django's guard against database calls on
the event loop (SynchronousOnlyOperation) stays on: a hook that did reach the
database would fail loudly, not block the loop. Static files: WhiteNoise's
table is read on the event loop (a dict, without WHITENOISE_AUTOREFRESH), and
only a file found is served from a thread.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from asgiref.sync import iscoroutinefunction, markcoroutinefunction, sync_to_async
from django.contrib.auth.middleware import AuthenticationMiddleware as _Auth
from django.contrib.messages.middleware import MessageMiddleware as _Messages
from django.contrib.sessions.middleware import SessionMiddleware as _Sessions
from django.http import HttpRequest, HttpResponseBase
from django.middleware.clickjacking import XFrameOptionsMiddleware as _XFrame
from django.middleware.common import CommonMiddleware as _Common
from django.middleware.csrf import CsrfViewMiddleware as _Csrf
from django.middleware.security import SecurityMiddleware as _Security
from whitenoise.middleware import WhiteNoiseMiddleware

Response = HttpResponseBase


class InlineHooks:
    """``__acall__`` of ``MiddlewareMixin``, the hooks called in place."""

    get_response: Callable[[HttpRequest], Any]

    def response_in_thread(self, request: HttpRequest, response: Response) -> bool:
        """Whether ``process_response`` may reach the database this time."""
        return False

    async def __acall__(self, request: HttpRequest) -> Response:
        response: Response | None = None
        if hasattr(self, "process_request"):
            response = self.process_request(request)
        response = response or await self.get_response(request)
        if hasattr(self, "process_response"):
            if self.response_in_thread(request, response):
                hook = sync_to_async(self.process_response, thread_sensitive=True)
                response = await hook(request, response)
            else:
                response = self.process_response(request, response)
        assert response is not None
        return response


class SecurityMiddleware(InlineHooks, _Security):
    pass


class SessionMiddleware(InlineHooks, _Sessions):
    def response_in_thread(self, request: HttpRequest, response: Response) -> bool:
        session = getattr(request, "session", None)
        if session is None:
            return False
        # process_response saves the session (a query) only then
        return bool(session.modified or self.save_every) and not session.is_empty()

    @property
    def save_every(self) -> bool:
        from django.conf import settings

        return bool(settings.SESSION_SAVE_EVERY_REQUEST)


class CommonMiddleware(InlineHooks, _Common):
    pass


class CsrfViewMiddleware(InlineHooks, _Csrf):
    async def process_view(  # type: ignore[override]
        self,
        request: HttpRequest,
        callback: Callable[..., Any],
        callback_args: tuple[Any, ...],
        callback_kwargs: dict[str, Any],
    ) -> Response | None:
        # reads the cookie and the form already in memory: no I/O
        return _Csrf.process_view(self, request, callback, callback_args, callback_kwargs)


class AuthenticationMiddleware(InlineHooks, _Auth):
    pass  # request.user stays lazy: loaded by whoever reads it


class MessageMiddleware(InlineHooks, _Messages):
    def response_in_thread(self, request: HttpRequest, response: Response) -> bool:
        storage = getattr(request, "_messages", None)
        return storage is not None and bool(storage.used or storage.added_new)


class XFrameOptionsMiddleware(InlineHooks, _XFrame):
    pass


class StaticFilesMiddleware(WhiteNoiseMiddleware):  # type: ignore[misc]
    """WhiteNoise, async-capable (its own middleware is sync only)."""

    sync_capable = True
    async_capable = True

    def __init__(self, get_response: Callable[[HttpRequest], Any], **kw: Any) -> None:
        super().__init__(get_response, **kw)
        self.is_async = iscoroutinefunction(get_response)
        if self.is_async:
            markcoroutinefunction(self)

    def __call__(self, request: HttpRequest) -> Any:
        if self.is_async:
            return self.acall(request)
        return super().__call__(request)

    async def acall(self, request: HttpRequest) -> Response:
        path = request.path_info
        if self.autorefresh:  # development: the lookup reads the disk
            static_file = await sync_to_async(self.find_file, thread_sensitive=False)(path)
        else:
            static_file = self.files.get(path)
        if static_file is not None:
            serve: Callable[..., Response] = self.serve
            return await sync_to_async(serve, thread_sensitive=False)(static_file, request)
        response: Response = await self.get_response(request)
        return response
