"""Django's middleware without a thread per hook, for the ASGI application.

Under ASGI, Django's ``MiddlewareMixin`` runs every ``process_request``,
``process_view`` and ``process_response`` through ``sync_to_async`` (it
cannot know that a hook does no I/O), and whitenoise's middleware, being
synchronous only, makes Django run the rest of the chain through
``async_to_sync`` from a thread. A py-spy profile of a join storm put a
third of the server's samples in those hand-offs (docs/performance.md,
"Join storm and reconnect storm").

The classes here are the same middleware, subclassed, with hooks that do
no I/O called on the event loop. A hook that may touch the database (the
session saved, messages stored) still goes to a thread, only when it
would. The synchronous path (WSGI, Django's test client) is Django's own:
only ``__acall__`` and, on instances built for an async chain,
``process_view`` change.

``settings.MIDDLEWARE`` keeps Django's dotted paths, so ``manage.py check
--deploy`` checks what it knows; config/asgi.py swaps in these subclasses
with :func:`for_asgi` before the ASGI handler is built.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from asgiref.sync import iscoroutinefunction, markcoroutinefunction, sync_to_async
from django.conf import settings
from django.contrib.auth.middleware import AuthenticationMiddleware as _Auth
from django.contrib.messages.middleware import MessageMiddleware as _Messages
from django.contrib.sessions.middleware import SessionMiddleware as _Session
from django.http import HttpRequest, HttpResponseBase
from django.middleware.clickjacking import XFrameOptionsMiddleware as _XFrame
from django.middleware.common import CommonMiddleware as _Common
from django.middleware.csrf import CsrfViewMiddleware as _Csrf
from django.middleware.security import SecurityMiddleware as _Security
from whitenoise.middleware import WhiteNoiseMiddleware as _WhiteNoise


class InlineHooks:
    """``__acall__`` with the hooks called on the loop; a subclass names
    when its ``process_response`` must run in a thread instead."""

    def response_writes(self, request: HttpRequest) -> bool:
        return False

    # self: Any, since the hooks and get_response come from Django's class
    async def __acall__(self: Any, request: HttpRequest) -> HttpResponseBase:
        response: HttpResponseBase | None = None
        if hasattr(self, "process_request"):
            response = self.process_request(request)
        response = response or await self.get_response(request)
        if hasattr(self, "process_response"):
            if self.response_writes(request):
                response = await sync_to_async(self.process_response, thread_sensitive=True)(
                    request, response
                )
            else:
                response = self.process_response(request, response)
        assert response is not None
        return response


class SecurityMiddleware(InlineHooks, _Security):
    pass


class CommonMiddleware(InlineHooks, _Common):
    pass


class AuthenticationMiddleware(InlineHooks, _Auth):
    pass  # request.user and request.auser are lazy: no query here


class XFrameOptionsMiddleware(InlineHooks, _XFrame):
    pass


class SessionMiddleware(InlineHooks, _Session):
    def response_writes(self, request: HttpRequest) -> bool:
        # process_response saves only a modified session (or every one)
        session: Any = getattr(request, "session", None)
        return session is not None and (session.modified or settings.SESSION_SAVE_EVERY_REQUEST)


class MessageMiddleware(InlineHooks, _Messages):
    def response_writes(self, request: HttpRequest) -> bool:
        # storing messages may load and write the session
        storage: Any = getattr(request, "_messages", None)
        return storage is not None and (storage.used or storage.added_new)


class CsrfViewMiddleware(InlineHooks, _Csrf):
    """The token checks read cookies, headers and the body already read;
    with CSRF_USE_SESSIONS they would read the session, so that setting
    keeps Django's own class (:func:`for_asgi`)."""

    def __init__(self, get_response: Any) -> None:
        super().__init__(get_response)
        if iscoroutinefunction(get_response):
            # Django adapts process_view by its kind: an async one on an
            # async chain is awaited on the loop, with no thread
            self.process_view = self._process_view_inline  # type: ignore[method-assign,assignment]

    async def _process_view_inline(
        self, request: HttpRequest, callback: Any, args: Any, kwargs: Any
    ) -> HttpResponseBase | None:
        return _Csrf.process_view(self, request, callback, args, kwargs)


class WhiteNoiseMiddleware(_WhiteNoise):  # type: ignore[misc]  # whitenoise has no types
    """whitenoise's middleware, async capable: a path that is not a static
    file goes on without leaving the loop; a static file is served from a
    thread (it opens the file)."""

    sync_capable = True
    async_capable = True

    def __init__(self, get_response: Any = None, settings: Any = settings) -> None:
        super().__init__(get_response, settings)
        self.async_mode = iscoroutinefunction(get_response)
        if self.async_mode:
            markcoroutinefunction(self)

    def __call__(self, request: HttpRequest) -> Any:
        if self.async_mode:
            return self.__acall__(request)
        return super().__call__(request)

    async def __acall__(self, request: HttpRequest) -> HttpResponseBase:
        if self.autorefresh:  # DEBUG: a look on disk, in a thread
            static_file = await sync_to_async(self.find_file)(request.path_info)
        else:
            static_file = self.files.get(request.path_info)
        if static_file is not None:
            served: HttpResponseBase = await sync_to_async(self.serve)(static_file, request)
            return served
        response: HttpResponseBase = await self.get_response(request)
        return response


# Django's path -> the subclass above, for the ASGI chain
EQUIVALENTS = {
    "django.middleware.security.SecurityMiddleware": SecurityMiddleware,
    "whitenoise.middleware.WhiteNoiseMiddleware": WhiteNoiseMiddleware,
    "django.contrib.sessions.middleware.SessionMiddleware": SessionMiddleware,
    "django.middleware.common.CommonMiddleware": CommonMiddleware,
    "django.middleware.csrf.CsrfViewMiddleware": CsrfViewMiddleware,
    "django.contrib.auth.middleware.AuthenticationMiddleware": AuthenticationMiddleware,
    "django.contrib.messages.middleware.MessageMiddleware": MessageMiddleware,
    "django.middleware.clickjacking.XFrameOptionsMiddleware": XFrameOptionsMiddleware,
}


def for_asgi(paths: Sequence[str]) -> list[str]:
    """``settings.MIDDLEWARE`` with each Django middleware that has an
    equivalent here replaced by it (others, and CSRF kept in sessions,
    unchanged)."""
    out = []
    for path in paths:
        cls = EQUIVALENTS.get(path)
        if cls is None or (cls is CsrfViewMiddleware and settings.CSRF_USE_SESSIONS):
            out.append(path)
        else:
            out.append(f"{cls.__module__}.{cls.__qualname__}")
    return out
