"""Quizzes of the logged-in host, as quiz documents."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Status
from ninja.params.functions import Path  # ninja.Path is a generic alias to mypy

from .api_common import errors, host_auth, host_of
from .documents import QuizDocument
from .models import Quiz
from .schemas import ID_MAX, QuizDocumentOut, QuizOut
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
