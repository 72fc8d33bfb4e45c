"""A quiz's brand: read it, set its accent and logo URL, upload or remove
its logo, and serve uploaded logos (docs/quizzes.md, "Branding").

The rules are quiz/brand.py's. Lookups are scoped to the owner like every
quiz endpoint: another host's quiz is "not found". A game snapshots the
brand when it opens (quiz.services.games), so nothing here changes a game
already open.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction

from quiz.brand import BrandError, accent_clean, image_check, logo_url_clean
from quiz.models import Logo, Quiz

from . import NotFound, ServiceError


def brand_of(*, accent: str, logo: str) -> dict[str, str | None]:
    """The brand as the API and the frames show it: null for none."""
    return {"accent": accent or None, "logo": logo or None}


def brand_logo(*, quiz: Quiz) -> str:
    """The logo the quiz shows: its uploaded image's URL, or its logo URL, or ""."""
    if quiz.logo_id is not None:
        logo = quiz.logo
        assert logo is not None
        return logo.url
    return quiz.logo_url


def _refused(e: BrandError) -> ServiceError:
    return ServiceError(e.code, e.message, status=e.status)


def _quiz(*, owner: User, quiz_id: int, lock: bool = False) -> Quiz:
    rows = Quiz.objects.filter(owner=owner, pk=quiz_id).select_related("logo")
    quiz = (rows.select_for_update(of=("self",)) if lock else rows).first()
    if quiz is None:
        raise NotFound(f"no quiz {quiz_id}")
    return quiz


def brand_read(*, quiz: Quiz) -> dict[str, Any]:
    """``{"accent", "logo_url", "logo", "uploaded"}``: what the editor shows.
    ``logo`` is the one the quiz shows (the upload's URL or ``logo_url``)."""
    logo = quiz.logo
    return {
        "accent": quiz.accent or None,
        "logo_url": quiz.logo_url or None,
        "logo": brand_logo(quiz=quiz) or None,
        "uploaded": (
            {"url": logo.url, "content_type": logo.content_type, "width": logo.width,
             "height": logo.height, "bytes": len(logo.data)}
            if logo is not None else None
        ),
    }  # fmt: skip


def brand_get(*, owner: User, quiz_id: int) -> dict[str, Any]:
    return brand_read(quiz=_quiz(owner=owner, quiz_id=quiz_id))


@transaction.atomic
def brand_set(
    *, owner: User, quiz_id: int, accent: str | None, logo_url: str | None, fields: set[str]
) -> dict[str, Any]:
    """Set the fields named in ``fields`` (``accent``, ``logo_url``; null
    clears one). A logo URL replaces an uploaded logo: a quiz has one logo."""
    quiz = _quiz(owner=owner, quiz_id=quiz_id, lock=True)
    try:
        if "accent" in fields:
            quiz.accent = accent_clean(accent) if accent is not None else ""
        if "logo_url" in fields:
            quiz.logo_url = logo_url_clean(logo_url) if logo_url is not None else ""
            if quiz.logo_url:
                quiz.logo = None
    except BrandError as e:
        raise _refused(e) from None
    quiz.save(update_fields=["accent", "logo_url", "logo", "updated"])
    return brand_read(quiz=quiz)


def logo_store(*, data: bytes) -> Logo:
    """The Logo row of these bytes, checked and stored once (by SHA-256)."""
    try:
        image = image_check(data)
    except BrandError as e:
        raise _refused(e) from None
    digest = hashlib.sha256(data).hexdigest()
    found = Logo.objects.filter(sha256=digest).first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            return Logo.objects.create(
                sha256=digest, content_type=image.content_type, ext=image.ext,
                width=image.width, height=image.height, data=data,
            )  # fmt: skip
    except IntegrityError:  # the same image uploaded at the same moment
        return Logo.objects.get(sha256=digest)


@transaction.atomic
def logo_upload(*, owner: User, quiz_id: int, data: bytes) -> dict[str, Any]:
    """Store ``data`` as the quiz's logo (it replaces a logo URL)."""
    quiz = _quiz(owner=owner, quiz_id=quiz_id, lock=True)
    quiz.logo = logo_store(data=data)
    quiz.logo_url = ""
    quiz.save(update_fields=["logo", "logo_url", "updated"])
    return brand_read(quiz=quiz)


@transaction.atomic
def logo_delete(*, owner: User, quiz_id: int) -> dict[str, Any]:
    """The quiz shows no logo any more (neither upload nor URL). The image's
    row stays: games opened with it keep showing it."""
    quiz = _quiz(owner=owner, quiz_id=quiz_id, lock=True)
    quiz.logo = None
    quiz.logo_url = ""
    quiz.save(update_fields=["logo", "logo_url", "updated"])
    return brand_read(quiz=quiz)


@dataclass(frozen=True, slots=True)
class LogoFile:
    sha256: str
    content_type: str
    data: bytes


# Served logos, per process: a name is the hash of its bytes, so what it
# names never changes and needs no invalidation. A stadium's phones all load
# the same logo when the game opens; each web process reads it from
# PostgreSQL once, not once a phone. Bounded by bytes (oldest out first).
LOGO_CACHE_BYTES = 8 * 1024 * 1024
_served: OrderedDict[str, LogoFile] = OrderedDict()
_served_lock = threading.Lock()


def logo_file(*, name: str) -> LogoFile:
    """An uploaded logo by its served name ``<sha256>.<ext>``."""
    with _served_lock:
        hit = _served.get(name)
        if hit is not None:
            _served.move_to_end(name)
            return hit
    digest, _, ext = name.partition(".")
    logo = Logo.objects.filter(sha256=digest, ext=ext).first() if len(digest) == 64 else None
    if logo is None:  # never cached: it may be uploaded later
        raise NotFound("no such logo")
    found = LogoFile(sha256=logo.sha256, content_type=logo.content_type, data=bytes(logo.data))
    with _served_lock:
        _served[name] = found
        while sum(len(f.data) for f in _served.values()) > LOGO_CACHE_BYTES:
            _served.popitem(last=False)
    return found
