"""Quizzes of the logged-in host, as quiz documents."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import File, Router, Status
from ninja.files import UploadedFile
from ninja.params.functions import Path  # ninja.Path is a generic alias to mypy

from .api_common import errors, host_auth, host_of
from .brand import LOGO_MAX_BYTES
from .documents import QuizDocument
from .models import Quiz
from .schemas import ID_MAX, BrandIn, BrandOut, QuizDocumentOut, QuizOut
from .services import ServiceError
from .services.brand import brand_get, brand_set, logo_delete, logo_file, logo_upload
from .services.quizzes import (
    quiz_create,
    quiz_delete,
    quiz_document,
    quiz_get,
    quiz_list,
    quiz_update,
)

router = Router(tags=["quizzes"], auth=host_auth)

QuizId = Path(..., ge=1, le=ID_MAX)


@router.get("", response={200: list[QuizOut], **errors(401)})
def quizzes_list(request: HttpRequest) -> list[Quiz]:
    return list(quiz_list(owner=host_of(request)))


@router.post("", response={201: QuizOut, **errors(401, 403)})
def quizzes_create(request: HttpRequest, payload: QuizDocument) -> Status[Quiz]:
    return Status(201, quiz_create(owner=host_of(request), document=payload))


# exclude_unset: each question shows only the fields its kind has (as exported)
@router.get("/{quiz_id}", response={200: QuizDocumentOut, **errors(401, 404)}, exclude_unset=True)
def quizzes_read(request: HttpRequest, quiz_id: int = QuizId) -> dict[str, Any]:
    return quiz_document(quiz=quiz_get(owner=host_of(request), quiz_id=quiz_id))


@router.put("/{quiz_id}", response={200: QuizOut, **errors(401, 403, 404)})
def quizzes_replace(request: HttpRequest, payload: QuizDocument, quiz_id: int = QuizId) -> Quiz:
    return quiz_update(owner=host_of(request), quiz_id=quiz_id, document=payload)


@router.delete("/{quiz_id}", response={204: None, **errors(401, 403, 404)})
def quizzes_delete(request: HttpRequest, quiz_id: int = QuizId) -> Status[None]:
    quiz_delete(owner=host_of(request), quiz_id=quiz_id)
    return Status(204, None)


# --- branding (docs/quizzes.md, "Branding") ------------------------------------


@router.get("/{quiz_id}/brand", response={200: BrandOut, **errors(401, 404)})
def quizzes_brand_read(request: HttpRequest, quiz_id: int = QuizId) -> dict[str, Any]:
    return brand_get(owner=host_of(request), quiz_id=quiz_id)


@router.put("/{quiz_id}/brand", response={200: BrandOut, **errors(401, 403, 404)})
def quizzes_brand_set(request: HttpRequest, payload: BrandIn, quiz_id: int = QuizId) -> Any:
    """The accent colour and the logo URL; a field left out stays as it is,
    null clears it. 400 ``bad_accent`` (not #RRGGBB), ``bad_logo_url``
    (not https). A logo URL replaces an uploaded logo."""
    return brand_set(
        owner=host_of(request),
        quiz_id=quiz_id,
        accent=payload.accent,
        logo_url=payload.logo_url,
        fields=set(payload.model_fields_set),
    )


@router.post("/{quiz_id}/logo", response={200: BrandOut, **errors(401, 403, 404, 413, 415)})
def quizzes_logo_upload(
    request: HttpRequest, file: File[UploadedFile], quiz_id: int = QuizId
) -> Any:
    """Upload the quiz's logo (multipart, field ``file``): PNG, JPEG, WebP
    or GIF, known by its bytes (not its name or Content-Type), at most 256
    KiB and 2048×2048 pixels. 413 ``logo_too_large``, 415 ``logo_type``
    (SVG included), 400 ``logo_dimensions``. It replaces a logo URL."""
    size = file.size or 0
    if size > LOGO_MAX_BYTES:
        raise ServiceError(
            "logo_too_large",
            f"a logo is at most {LOGO_MAX_BYTES // 1024} KiB (this one is {size // 1024} KiB)",
            status=413,
        )
    data = file.read(LOGO_MAX_BYTES + 1)
    return logo_upload(owner=host_of(request), quiz_id=quiz_id, data=data)


@router.delete("/{quiz_id}/logo", response={200: BrandOut, **errors(401, 403, 404)})
def quizzes_logo_delete(request: HttpRequest, quiz_id: int = QuizId) -> Any:
    """The quiz shows no logo (neither the upload nor the URL)."""
    return logo_delete(owner=host_of(request), quiz_id=quiz_id)


logos_router = Router(tags=["quizzes"])

LOGO_CACHE = "public, max-age=31536000, immutable"


@logos_router.get("/{name}", response={200: None, **errors(404)})
def logos_read(request: HttpRequest, name: str) -> HttpResponse:
    """An uploaded logo, by the SHA-256 of its bytes: the same URL is always
    the same image, so browsers and proxies keep it for a year. Served with
    its own type and ``X-Content-Type-Options: nosniff``; the ETag is its
    hash (304 for ``If-None-Match``). Each web process reads a logo from
    PostgreSQL once (quiz.services.brand.logo_file)."""
    logo = logo_file(name=name)
    etag = f'"{logo.sha256}"'
    if request.headers.get("If-None-Match") == etag:
        response = HttpResponse(status=304)
    else:
        response = HttpResponse(logo.data, content_type=logo.content_type)
    response["ETag"] = etag
    response["Cache-Control"] = LOGO_CACHE
    response["X-Content-Type-Options"] = "nosniff"
    # an image is never a page: nothing in it may run or load
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
