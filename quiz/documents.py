"""The quiz document (docs/quizzes.md, OpenAPI at /api/docs): the one format of the API, of
``import_quiz`` / ``export_quiz`` and of a game's snapshot of its quiz.

``{"title": str, "questions": [question, ...]}``; a question has the common
fields ``text``, ``time_limit``, ``multiplier``, ``image``, ``read_time`` and
``kind`` (default ``"choice"``), plus its kind's own fields (:data:`KIND_FIELDS`).
A question without ``kind`` is a choice question, so the documents written
before the other kinds existed stay valid and export unchanged.

Validation is strict: unknown fields and coerced types ("5" for 5, 1 for
true) are refused, so what is stored is exactly what was sent. Every error
names the question and the field (``questions.3.tolerance``: the index is
0-based, as in the ``details`` of the API's 400), never the union's tag.
"""

from __future__ import annotations

import math
from typing import Annotated, Any, ClassVar, Literal, Union

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import URLValidator
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    ValidationError,
    ValidationInfo,
    ValidatorFunctionWrapHandler,
    field_validator,
    model_validator,
)
from pydantic_core import InitErrorDetails, PydanticCustomError

from engine import Question as EngineQuestion
from engine.kinds import GRID_EPS, TRUE_FALSE, normalize
from engine.types import KINDS
from quiz.brand import BrandError, accent_clean, logo_url_clean

TITLE_MAX = 200
TEXT_MAX = 500
CHOICE_MAX = 200
IMAGE_MAX = 500
QUESTIONS_MAX = 100
READ_TIME_MAX = 15
SLIDER_STEPS_MAX = 10_000
UNIT_MAX = 20
ACCEPTED_MAX = 10
ANSWER_TEXT_MAX = 40  # accepted texts and max_length
ITEM_MAX = 200
UNSCORED = ("poll", "word_cloud", "info")

# The common fields, in the order an export writes them, and each kind's own.
COMMON_FIELDS = ("text", "time_limit", "read_time", "multiplier", "image")
KIND_FIELDS: dict[str, tuple[str, ...]] = {
    "choice": ("choices",),
    "true_false": ("answer",),
    "poll": ("choices",),
    "slider": ("min", "max", "step", "answer", "tolerance", "unit"),
    "type_answer": ("accepted", "max_length"),
    "ordering": ("items",),
    "word_cloud": ("max_length",),
    "info": (),
}


def _fail(code: str, message: str) -> PydanticCustomError:
    # a custom error shows its message as written (no "Value error, " prefix)
    return PydanticCustomError(code, message)


def _not_blank(value: str) -> str:
    if not value.strip():
        raise _fail("blank", "must not be blank")
    return value


def _url(value: str) -> str:
    try:
        URLValidator(schemes=["http", "https"])(value)
    except DjangoValidationError as e:
        raise _fail("url", "must be an http(s) URL") from e
    return value


def _strict_config() -> ConfigDict:
    return ConfigDict(extra="forbid", strict=True)


def _num(x: float) -> int | float:
    """A number as the document shows it: 5 not 5.0."""
    return int(x) if x.is_integer() and abs(x) < 2**53 else x


def _steps(span: float, step: float) -> float | None:
    """span / step when it is a whole number (to 1e-9), else None."""
    n = span / step
    if not math.isfinite(n) or abs(n - round(n)) > GRID_EPS:
        return None
    return float(round(n))


Text = Annotated[str, Field(min_length=1, max_length=TEXT_MAX), AfterValidator(_not_blank)]
ChoiceText = Annotated[str, Field(min_length=1, max_length=CHOICE_MAX), AfterValidator(_not_blank)]
AnswerText = Annotated[
    str, Field(min_length=1, max_length=ANSWER_TEXT_MAX), AfterValidator(_not_blank)
]
ItemText = Annotated[str, Field(min_length=1, max_length=ITEM_MAX), AfterValidator(_not_blank)]
Number = Annotated[float, Field(allow_inf_nan=False)]


class ChoiceDoc(BaseModel):
    model_config = _strict_config()

    text: ChoiceText
    correct: bool


class PollChoiceDoc(BaseModel):
    """A poll's choice: no ``correct`` (a poll has no right answer)."""

    model_config = _strict_config()

    text: ChoiceText


class _QuestionBase(BaseModel):
    model_config = _strict_config()

    text: Text
    time_limit: int = Field(
        ge=5, le=240, description="seconds to answer (info: how long auto-advance shows it)"
    )
    image: Annotated[str, Field(max_length=IMAGE_MAX), AfterValidator(_url)] | None = None
    read_time: int = Field(
        0, ge=0, le=READ_TIME_MAX, description="seconds shown before answers open"
    )


class _Scored(_QuestionBase):
    multiplier: Literal[0, 1, 2] = Field(description="0 no points, 1 standard, 2 double")

    @field_validator("multiplier", mode="before")
    @classmethod
    def _not_bool(cls, v: Any) -> Any:
        # Literal compares by ==, and True == 1: refuse it explicitly
        if isinstance(v, bool):
            raise _fail("multiplier", "multiplier must be 0, 1 or 2")
        return v


class _Unscored(_QuestionBase):
    NAME: ClassVar[str] = ""
    multiplier: Literal[0] = Field(0, description="always 0 (may be left out): no points")

    @field_validator("multiplier", mode="before")
    @classmethod
    def _zero(cls, v: Any) -> Any:
        if isinstance(v, bool) or v != 0:
            raise _fail("multiplier", f"must be 0 or left out: {cls.NAME} gives no points")
        return v


class QuestionDoc(_Scored):
    """kind "choice" (the default): 2-6 choices, at least one correct
    (several correct: a multi-select question)."""

    kind: Literal["choice"] = "choice"
    choices: list[ChoiceDoc] = Field(min_length=2, max_length=6)

    @field_validator("choices")
    @classmethod
    def _one_correct(cls, choices: list[ChoiceDoc]) -> list[ChoiceDoc]:
        if not any(c.correct for c in choices):
            raise _fail("no_correct", "at least one choice must be correct")
        return choices


class TrueFalseDoc(_Scored):
    """kind "true_false": the statement is true (answer true) or false."""

    kind: Literal["true_false"]
    answer: bool = Field(description="true: the statement is true")


class PollDoc(_Unscored):
    """kind "poll": 2-6 choices, none correct; one vote each, no points."""

    NAME: ClassVar[str] = "a poll"
    kind: Literal["poll"]
    choices: list[PollChoiceDoc] = Field(min_length=2, max_length=6)


class SliderDoc(_Scored):
    """kind "slider": a number on the grid min, min + step, ..., max."""

    kind: Literal["slider"]
    min: Number
    max: Number
    step: Number = Field(gt=0, description=f"(max - min) / step: whole, <= {SLIDER_STEPS_MAX}")
    answer: Number = Field(description="on the grid, within min..max")
    tolerance: Number = Field(
        ge=0, description="a whole number of steps; answers this close are right"
    )
    unit: str | None = Field(None, max_length=UNIT_MAX, description='e.g. "fans"')

    @field_validator("max")
    @classmethod
    def _above_min(cls, v: float, info: ValidationInfo) -> float:
        if "min" in info.data and not v > info.data["min"]:
            raise _fail("slider_range", "must be greater than min")
        return v

    @field_validator("step")
    @classmethod
    def _whole_steps(cls, v: float, info: ValidationInfo) -> float:
        if "min" not in info.data or "max" not in info.data:
            return v
        n = _steps(info.data["max"] - info.data["min"], v)
        if n is None:
            raise _fail("slider_step", "(max - min) / step must be a whole number")
        if n > SLIDER_STEPS_MAX:
            raise _fail("slider_steps", f"at most {SLIDER_STEPS_MAX} steps from min to max")
        return v

    @field_validator("answer")
    @classmethod
    def _on_grid(cls, v: float, info: ValidationInfo) -> float:
        if not {"min", "max", "step"} <= info.data.keys():
            return v
        lo, hi, step = info.data["min"], info.data["max"], info.data["step"]
        k = (v - lo) / step
        if not math.isfinite(k) or k < -GRID_EPS or k > (hi - lo) / step + GRID_EPS:
            raise _fail("slider_answer", "must be within min..max")
        if _steps(v - lo, step) is None:
            raise _fail("slider_answer", "must be on the step grid (min + a whole number of steps)")
        return v

    @field_validator("tolerance")
    @classmethod
    def _whole_tolerance(cls, v: float, info: ValidationInfo) -> float:
        if "step" in info.data and _steps(v, info.data["step"]) is None:
            raise _fail("slider_tolerance", "must be a whole number of steps")
        return v


class TypeAnswerDoc(_Scored):
    """kind "type_answer": right when the typed text equals an accepted one
    after normalization (NFKC, casefold, no punctuation, single spaces)."""

    kind: Literal["type_answer"]
    max_length: int = Field(ANSWER_TEXT_MAX, ge=1, le=ANSWER_TEXT_MAX)
    accepted: list[AnswerText] = Field(min_length=1, max_length=ACCEPTED_MAX)

    @field_validator("accepted")
    @classmethod
    def _fit(cls, v: list[str], info: ValidationInfo) -> list[str]:
        limit = info.data.get("max_length")
        for text in v:
            if limit is not None and len(text) > limit:
                raise _fail(
                    "accepted_too_long",
                    f"{text!r} is longer than max_length ({limit}): no player could type it",
                )
            if not normalize(text):
                # every text of punctuation alone would then be right
                raise _fail(
                    "accepted_empty",
                    f"{text!r} is only punctuation and spaces: answers are compared without them",
                )
        return v


class OrderingDoc(_Scored):
    """kind "ordering": 3-6 items, written in the right order."""

    kind: Literal["ordering"]
    items: list[ItemText] = Field(min_length=3, max_length=6, description="in the right order")

    @field_validator("items")
    @classmethod
    def _distinct(cls, v: list[str]) -> list[str]:
        if len(set(v)) != len(v):
            raise _fail("items_repeated", "items must all differ")
        return v


class WordCloudDoc(_Unscored):
    """kind "word_cloud": free texts shown as a cloud; no points."""

    NAME: ClassVar[str] = "a word cloud"
    kind: Literal["word_cloud"]
    max_length: int = Field(ANSWER_TEXT_MAX, ge=1, le=ANSWER_TEXT_MAX)


class InfoDoc(_Unscored):
    """kind "info": a slide (text, image); no answers."""

    NAME: ClassVar[str] = "an info slide"
    kind: Literal["info"]


MODELS: dict[str, type[_QuestionBase]] = {
    "choice": QuestionDoc,
    "true_false": TrueFalseDoc,
    "poll": PollDoc,
    "slider": SliderDoc,
    "type_answer": TypeAnswerDoc,
    "ordering": OrderingDoc,
    "word_cloud": WordCloudDoc,
    "info": InfoDoc,
}
assert tuple(MODELS) == KINDS == tuple(KIND_FIELDS)


def _kind_of(v: Any) -> str | None:
    if isinstance(v, dict):
        kind = v.get("kind", "choice")
        return kind if isinstance(kind, str) else None
    return getattr(v, "kind", None)


_KIND_LIST = ", ".join(KINDS)

AnyQuestion = Annotated[
    Union[  # noqa: UP007 (Tag needs the members spelled out)
        Annotated[QuestionDoc, Tag("choice")],
        Annotated[TrueFalseDoc, Tag("true_false")],
        Annotated[PollDoc, Tag("poll")],
        Annotated[SliderDoc, Tag("slider")],
        Annotated[TypeAnswerDoc, Tag("type_answer")],
        Annotated[OrderingDoc, Tag("ordering")],
        Annotated[WordCloudDoc, Tag("word_cloud")],
        Annotated[InfoDoc, Tag("info")],
    ],
    Discriminator(
        _kind_of,
        custom_error_type="invalid_kind",
        custom_error_message=f"kind must be one of {_KIND_LIST}",
    ),
]


def _clean(err: Any) -> InitErrorDetails:
    """One error with the union's tag taken out of its place: pydantic says
    ``questions.3.slider.tolerance``, the author wrote ``questions.3.tolerance``."""
    loc = tuple(err["loc"])
    msg = err["msg"]
    if len(loc) >= 3 and loc[0] == "questions" and loc[2] in MODELS:
        loc = loc[:2] + loc[3:]
    elif err["type"] == "invalid_kind" and len(loc) == 2:
        if isinstance(err["input"], dict):
            loc = (*loc, "kind")
        else:
            msg = "a question must be an object"
    return {"type": _fail(err["type"], msg), "loc": loc, "input": err["input"]}


def _brand_rule(rule: Any) -> Any:
    def check(value: str) -> str:
        try:
            return str(rule(value))
        except BrandError as e:
            raise _fail(e.code, e.message) from None

    return check


BRAND_FIELDS = ("accent", "logo_url")


class QuizDocument(BaseModel):
    model_config = _strict_config()

    title: Annotated[str, Field(min_length=1, max_length=TITLE_MAX), AfterValidator(_not_blank)]
    questions: list[AnyQuestion] = Field(min_length=1, max_length=QUESTIONS_MAX)
    # The brand (docs/quizzes.md, "Branding"), optional: left out, a PUT
    # keeps the quiz's brand; null clears it. An uploaded logo is not part
    # of the document (PUT/DELETE /api/quizzes/{id}/logo).
    accent: Annotated[str, AfterValidator(_brand_rule(accent_clean))] | None = Field(
        None, description="the accent colour, #RRGGBB"
    )
    logo_url: Annotated[str, AfterValidator(_brand_rule(logo_url_clean))] | None = Field(
        None, description="an https:// image URL shown as the quiz's logo"
    )

    @model_validator(mode="wrap")
    @classmethod
    def _errors_name_fields(cls, data: Any, handler: ValidatorFunctionWrapHandler) -> Any:
        try:
            return handler(data)
        except ValidationError as e:
            raise ValidationError.from_exception_data(
                e.title, [_clean(err) for err in e.errors()]
            ) from None


def document_parse(data: Any) -> QuizDocument:
    """Validate plain JSON data (raises pydantic.ValidationError)."""
    return QuizDocument.model_validate(data)


def error_lines(e: ValidationError, limit: int = 10) -> list[str]:
    """``questions.3.tolerance: must be a whole number of steps``, one a line."""
    return [
        f"{'.'.join(map(str, err['loc'])) or 'document'}: {err['msg']}"
        for err in e.errors()[:limit]
    ]


def question_document(
    *,
    kind: str,
    common: dict[str, Any],
    choices: list[tuple[str, bool]],
    fields: dict[str, Any],
) -> dict[str, Any]:
    """A question as a document writes it: ``kind`` unless "choice",
    ``read_time`` unless 0, then the kind's own fields in their order. A
    choice question written before kinds existed comes out as it went in."""
    out: dict[str, Any] = {} if kind == "choice" else {"kind": kind}
    for name in COMMON_FIELDS:
        if name == "read_time" and not common.get("read_time"):
            continue
        out[name] = common.get(name, 0 if name == "multiplier" else None)
    for name in KIND_FIELDS.get(kind, ()):
        if name == "choices":
            out["choices"] = [
                {"text": t, "correct": c} if kind == "choice" else {"text": t} for t, c in choices
            ]
        else:
            out[name] = fields.get(name)
    return out


def question_parts(q: _QuestionBase) -> tuple[list[tuple[str, bool]], dict[str, Any]]:
    """A validated question's choices and its kind's other fields (numbers as
    the document shows them), as :func:`question_document` takes them."""
    kind = _kind_of(q) or "choice"
    choices: list[tuple[str, bool]] = [
        (c.text, bool(getattr(c, "correct", False))) for c in getattr(q, "choices", [])
    ]
    fields: dict[str, Any] = {}
    for name in KIND_FIELDS[kind]:
        if name == "choices":
            continue
        value = getattr(q, name)
        fields[name] = _num(value) if isinstance(value, float) else value
    return choices, fields


def question_dump(q: _QuestionBase) -> dict[str, Any]:
    choices, fields = question_parts(q)
    common = {name: getattr(q, name) for name in COMMON_FIELDS}
    return question_document(kind=_kind_of(q) or "choice", common=common, choices=choices,
                             fields=fields)  # fmt: skip


def document_dump(doc: QuizDocument) -> dict[str, Any]:
    """The document as ``export_quiz`` writes it (see :func:`question_document`);
    ``accent`` and ``logo_url`` only when set."""
    out: dict[str, Any] = {"title": doc.title}
    for name in BRAND_FIELDS:
        if getattr(doc, name):
            out[name] = getattr(doc, name)
    out["questions"] = [question_dump(q) for q in doc.questions]
    return out


def engine_questions(document: dict[str, Any]) -> list[EngineQuestion]:
    """A stored document's questions as the engine takes them."""
    return [_engine_question(q) for q in document["questions"]]


def _engine_question(q: dict[str, Any]) -> EngineQuestion:
    kind = q.get("kind", "choice")
    common: dict[str, Any] = {
        "text": q["text"],
        "time_limit": q["time_limit"],
        "multiplier": 0 if kind in UNSCORED else q["multiplier"],
        "image": q.get("image"),
        "kind": kind,
        "read_time": q.get("read_time", 0),
    }
    if kind == "choice":
        return EngineQuestion(
            choices=[c["text"] for c in q["choices"]],
            correct={i for i, c in enumerate(q["choices"]) if c["correct"]},
            **common,
        )
    if kind == "true_false":
        return EngineQuestion(
            choices=list(TRUE_FALSE), correct={0} if q["answer"] else {1}, **common
        )
    if kind == "poll":
        return EngineQuestion(choices=[c["text"] for c in q["choices"]], correct=set(), **common)
    extra: dict[str, Any] = {}
    if kind == "slider":
        extra = {name: float(q[name]) for name in ("min", "max", "step", "answer", "tolerance")}
        extra["unit"] = q.get("unit")
    elif kind == "type_answer":
        extra = {"accepted": list(q["accepted"]), "max_length": q.get("max_length", 40)}
    elif kind == "word_cloud":
        extra = {"max_length": q.get("max_length", 40)}
    elif kind == "ordering":
        extra = {"items": list(q["items"])}
    return EngineQuestion(choices=[], correct=set(), **common, **extra)
