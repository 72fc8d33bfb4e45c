"""The quiz document (docs/protocol.md, OpenAPI at /api/docs): the one format of the API, of
``import_quiz`` / ``export_quiz`` and of a game's snapshot of its quiz.

``{"title": str, "questions": [{"text": str, "time_limit": int,
"multiplier": 0|1|2, "image": url|null, "choices": [{"text": str,
"correct": bool}, ...]}, ...]}``

Validation is strict: unknown fields and coerced types ("5" for 5, 1 for
true) are refused, so what is stored is exactly what was sent.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import URLValidator
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator

from engine import Question as EngineQuestion

TITLE_MAX = 200
TEXT_MAX = 500
CHOICE_MAX = 200
IMAGE_MAX = 500
QUESTIONS_MAX = 100


def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be blank")
    return value


def _url(value: str) -> str:
    try:
        URLValidator(schemes=["http", "https"])(value)
    except DjangoValidationError as e:
        raise ValueError("must be an http(s) URL") from e
    return value


def _strict_config() -> ConfigDict:
    return ConfigDict(extra="forbid", strict=True)


class ChoiceDoc(BaseModel):
    model_config = _strict_config()

    text: Annotated[str, Field(min_length=1, max_length=CHOICE_MAX), AfterValidator(_not_blank)]
    correct: bool


class QuestionDoc(BaseModel):
    model_config = _strict_config()

    text: Annotated[str, Field(min_length=1, max_length=TEXT_MAX), AfterValidator(_not_blank)]
    time_limit: int = Field(ge=5, le=240, description="seconds")
    multiplier: Literal[0, 1, 2] = Field(description="0 no points, 1 standard, 2 double")
    image: Annotated[str, Field(max_length=IMAGE_MAX), AfterValidator(_url)] | None = None
    choices: list[ChoiceDoc] = Field(min_length=2, max_length=6)

    @field_validator("multiplier", mode="before")
    @classmethod
    def _not_bool(cls, v: Any) -> Any:
        # Literal compares by ==, and True == 1: refuse it explicitly
        if isinstance(v, bool):
            raise ValueError("multiplier must be 0, 1 or 2")
        return v

    @field_validator("choices")
    @classmethod
    def _one_correct(cls, choices: list[ChoiceDoc]) -> list[ChoiceDoc]:
        if not any(c.correct for c in choices):
            raise ValueError("at least one choice must be correct")
        return choices


class QuizDocument(BaseModel):
    model_config = _strict_config()

    title: Annotated[str, Field(min_length=1, max_length=TITLE_MAX), AfterValidator(_not_blank)]
    questions: list[QuestionDoc] = Field(min_length=1, max_length=QUESTIONS_MAX)


def document_parse(data: Any) -> QuizDocument:
    """Validate plain JSON data (raises pydantic.ValidationError)."""
    return QuizDocument.model_validate(data)


def document_dump(doc: QuizDocument) -> dict[str, Any]:
    return doc.model_dump(mode="json")


def engine_questions(document: dict[str, Any]) -> list[EngineQuestion]:
    """A stored document's questions as the engine takes them."""
    return [
        EngineQuestion(
            text=q["text"],
            choices=[c["text"] for c in q["choices"]],
            correct={i for i, c in enumerate(q["choices"]) if c["correct"]},
            time_limit=q["time_limit"],
            multiplier=q["multiplier"],
            image=q.get("image"),
        )
        for q in document["questions"]
    ]
