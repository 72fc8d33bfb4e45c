"""Quizzes: create, read, replace and delete, always as quiz documents.

Every lookup is scoped to the owner: another host's quiz is "not found",
never "forbidden", so ids do not leak which quizzes exist.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Count, QuerySet

from quiz.documents import BRAND_FIELDS, QuizDocument, question_document, question_parts
from quiz.models import Choice, Question, Quiz

from . import NotFound


def quiz_list(*, owner: User) -> QuerySet[Quiz]:
    # explicit: Meta.ordering does not apply to a query with an aggregate
    return (
        Quiz.objects.filter(owner=owner)
        .annotate(n_questions=Count("questions"))
        .order_by("-updated", "-id")
    )


def quiz_get(*, owner: User, quiz_id: int) -> Quiz:
    quiz = quiz_list(owner=owner).filter(pk=quiz_id).first()
    if quiz is None:
        raise NotFound(f"no quiz {quiz_id}")
    return quiz


def _questions_write(*, quiz: Quiz, document: QuizDocument) -> None:
    # Two bulk inserts whatever the size: PostgreSQL returns the new ids.
    parts = [question_parts(q) for q in document.questions]
    questions = Question.objects.bulk_create(
        [
            Question(
                quiz=quiz,
                order=n,
                kind=q.kind,
                text=q.text,
                time_limit=q.time_limit,
                read_time=q.read_time,
                multiplier=q.multiplier,
                image=q.image,
                kind_fields=fields,
            )
            for n, (q, (_, fields)) in enumerate(zip(document.questions, parts, strict=True))
        ]
    )
    Choice.objects.bulk_create(
        [
            Choice(question=question, order=i, text=text, correct=correct)
            for question, (choices, _) in zip(questions, parts, strict=True)
            for i, (text, correct) in enumerate(choices)
        ]
    )


@transaction.atomic
def quiz_create(*, owner: User, document: QuizDocument) -> Quiz:
    quiz = Quiz.objects.create(
        owner=owner,
        title=document.title,
        accent=document.accent or "",
        logo_url=document.logo_url or "",
    )
    _questions_write(quiz=quiz, document=document)
    quiz.n_questions = len(document.questions)  # type: ignore[attr-defined]
    return quiz


@transaction.atomic
def quiz_update(*, owner: User, quiz_id: int, document: QuizDocument) -> Quiz:
    """Replace the quiz's title and questions. Games already opened keep
    their own snapshot, so this never changes a running game."""
    quiz = Quiz.objects.select_for_update().filter(owner=owner, pk=quiz_id).first()
    if quiz is None:
        raise NotFound(f"no quiz {quiz_id}")
    quiz.questions.all().delete()
    quiz.title = document.title
    # the brand only when the document names it (the editor's Save sends
    # title and questions; its Branding section sets the brand itself)
    sent = document.model_fields_set
    if "accent" in sent:
        quiz.accent = document.accent or ""
    if "logo_url" in sent:
        quiz.logo_url = document.logo_url or ""
        if quiz.logo_url:
            quiz.logo = None  # one logo: a URL replaces an upload
    quiz.save(update_fields=["title", "accent", "logo_url", "logo", "updated"])
    _questions_write(quiz=quiz, document=document)
    quiz.n_questions = len(document.questions)  # type: ignore[attr-defined]
    return quiz


def quiz_delete(*, owner: User, quiz_id: int) -> None:
    deleted, _ = Quiz.objects.filter(owner=owner, pk=quiz_id).delete()
    if not deleted:
        raise NotFound(f"no quiz {quiz_id}")


def question_row_document(
    q: Question, *, choices: list[tuple[str, bool]], fields: dict[str, Any]
) -> dict[str, Any]:
    """One stored question (its row, choice rows and kind fields) as a
    document question: the API, export, and the admin's checks."""
    return question_document(
        kind=q.kind,
        common={
            "text": q.text,
            "time_limit": q.time_limit,
            "read_time": q.read_time,
            "multiplier": q.multiplier,
            "image": q.image or None,
        },
        choices=choices,
        fields=fields,
    )


def quiz_document(*, quiz: Quiz) -> dict[str, Any]:
    """The quiz as a document, in question and choice order (a choice
    question without read_time exactly as before kinds existed)."""
    questions = quiz.questions.prefetch_related("choices").order_by("order", "id")
    brand = {"accent": quiz.accent, "logo_url": quiz.logo_url}
    return {
        "title": quiz.title,
        # only when set: a quiz without a brand exports as before branding
        **{name: brand[name] for name in BRAND_FIELDS if brand[name]},
        "questions": [
            question_row_document(
                q,
                choices=[(c.text, c.correct) for c in q.choices.all()],
                fields=q.kind_fields if isinstance(q.kind_fields, dict) else {},
            )
            for q in questions
        ],
    }
