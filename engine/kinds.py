"""The question kinds' rules on the Python side (docs/engine.md, "Question kinds").

What players may see of a question (:func:`public_fields`), the right answer
as the close reveals it (:func:`reveal`), the static fields game creation
writes for the Lua scripts (:func:`static_fields`), and the check that turns
an answer frame's value into the one argument ``submit_answer.lua`` scores
(:func:`answer_arg`). The scoring itself runs in Lua; :mod:`engine.scoring`
states the same formulas in Python for the tests.

Slider values travel to Lua as grid indexes (``(value - min) / step``), so
the script compares integers and never rounds a float; typed texts travel
normalized (:func:`normalize`), because Lua has no Unicode tables.
"""

from __future__ import annotations

import json
import math
import random
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .types import CHOICE_KINDS, TEXT_KINDS

if TYPE_CHECKING:
    from .types import Question, QuestionState

GRID_EPS = 1e-9  # a slider value is on the grid when (v - min) / step is this close to whole
HISTOGRAM_MAX = 20  # slider distribution buckets
TOP_TEXTS = 50  # text distribution entries
TRUE_FALSE = ["True", "False"]


def normalize(text: str) -> str:
    """NFKC, casefold, no punctuation (Unicode category P*), one space
    between words, stripped: typed answers that differ only so are equal."""
    s = unicodedata.normalize("NFKC", text).casefold()
    s = "".join(ch for ch in s if not unicodedata.category(ch).startswith("P"))
    return " ".join(s.split())


def display_order(items: list[str]) -> list[int]:
    """Item indexes (right order) in the order every player sees them: a
    shuffle seeded by the items themselves (so every process agrees), never
    the right order itself."""
    order = list(range(len(items)))
    random.Random("\x1f".join(items)).shuffle(order)
    if order == sorted(order):
        order = order[1:] + order[:1]
    return order


def nsteps(q: Question) -> int:
    """The slider's grid has nsteps + 1 values: min, min + step, ..., max."""
    return round((q.max - q.min) / q.step)


def histogram_buckets(q: Question) -> int:
    return min(HISTOGRAM_MAX, max(1, nsteps(q)))


def _num(x: float) -> int | float:
    """A grid number as JSON shows it: 5 not 5.0, 0.3 not 0.30000000000000004."""
    r = round(x, 9)
    return int(r) if r == int(r) else r


def public_fields(q: Question) -> dict[str, Any]:
    """The kind's fields of the ``question`` frame."""
    if q.kind in CHOICE_KINDS:
        return {"choices": list(q.choices), "multi": len(q.correct) > 1}
    if q.kind == "slider":
        return {"min": _num(q.min), "max": _num(q.max), "step": _num(q.step), "unit": q.unit}
    if q.kind in TEXT_KINDS:
        return {"max_length": q.max_length}
    if q.kind == "ordering":
        return {"items": [q.items[i] for i in display_order(q.items)]}
    return {}


def reveal(q: Question) -> Any:
    """``question_closed.correct``: the right answer as players may now see it."""
    if q.kind in ("choice", "true_false"):
        return sorted(q.correct)
    if q.kind == "slider":
        return {"answer": _num(q.answer), "tolerance": _num(q.tolerance)}
    if q.kind == "type_answer":
        return {"accepted": list(q.accepted)}
    if q.kind == "ordering":
        shown = display_order(q.items)
        return {"order": [shown.index(i) for i in range(len(q.items))]}
    return None


def static_fields(q: Question) -> dict[str, Any]:
    """The per-kind fields of the question hash the Lua scripts read, beside
    the five values every question has (engine.layout.question_args)."""
    out: dict[str, Any] = {
        "kind": q.kind,
        "read_ms": q.read_time * 1000,
        "reveal": json.dumps(reveal(q), separators=(",", ":"), ensure_ascii=False),
    }
    if q.kind == "slider":
        out.update(
            nsteps=nsteps(q),
            ans=round((q.answer - q.min) / q.step),
            tol=round(q.tolerance / q.step),
            nb=histogram_buckets(q),
        )
    return out


def correct_arg(q: Question) -> str:
    """The question hash's ``correct`` field, as submit_answer.lua reads it."""
    if q.kind == "type_answer":
        return json.dumps(sorted({normalize(a) for a in q.accepted}), ensure_ascii=False)
    if q.kind == "ordering":
        return ",".join(map(str, reveal(q)["order"]))
    return ",".join(str(c) for c in sorted(q.correct))


def choice_count(q: Question) -> int:
    """The question hash's ``nchoices``: choices, or items for ordering."""
    return len(q.items) if q.kind == "ordering" else len(q.choices)


# --- answers ------------------------------------------------------------------

FIELD_OF_KIND = {
    "choice": "choices", "true_false": "choices", "poll": "choices", "slider": "value",
    "type_answer": "text", "word_cloud": "text", "ordering": "order",
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class AnswerArg:
    """An answer checked against its question: ``status`` "ok" or a refusal
    (``bad_value``, ``bad_choice``, ``no_answers``, ``bad_request``)."""

    status: str
    arg: str = ""  # what submit_answer.lua scores (ARGV[3])
    value: Any = None  # what is recorded and shown back: JSON-able
    text: str = ""  # normalized text (texts only)
    shown: bool = True  # a text the word filter lets the distribution show

    @property
    def ok(self) -> bool:
        return self.status == "ok"

    @property
    def choices_only(self) -> bool:
        """A list of choices: the same few values repeat across players."""
        return isinstance(self.value, list) and not self.text

    def recorded(self) -> str:
        return json.dumps(self.value, separators=(",", ":"), ensure_ascii=False)


def _int_list(v: Any) -> list[int] | None:
    if not isinstance(v, list) or not all(type(x) is int for x in v):
        return None
    return v


def _anything(_text: str) -> bool:
    return True


def answer_arg(
    public: dict[str, Any], value: Any, *, may_show: Callable[[str], bool] = _anything
) -> AnswerArg:
    """Check ``value`` (the answer frame's field for this kind: choices,
    value, text or order) against the question's public fields.
    ``may_show``: whether a text may appear in the distribution (the word
    filter; a refused word is still a valid answer)."""
    kind = public.get("kind", "choice")
    if kind == "info":
        return AnswerArg("no_answers")
    if kind in CHOICE_KINDS:
        picks = _int_list(value)
        if not picks:
            return AnswerArg("bad_request")
        n = len(public["choices"])
        if len(set(picks)) != len(picks) or any(c < 0 or c >= n for c in picks):
            return AnswerArg("bad_choice")
        if kind == "poll" and len(picks) != 1:
            return AnswerArg("bad_choice")
        return AnswerArg("ok", ",".join(map(str, picks)), picks)
    if kind == "slider":
        if type(value) not in (int, float) or not math.isfinite(value):
            return AnswerArg("bad_request")
        lo, hi, step = float(public["min"]), float(public["max"]), float(public["step"])
        k = (value - lo) / step
        idx = round(k)
        if abs(k - idx) > GRID_EPS or idx < 0 or idx > round((hi - lo) / step):
            return AnswerArg("bad_value")
        return AnswerArg("ok", str(idx), _num(lo + idx * step))
    if kind in TEXT_KINDS:
        if not isinstance(value, str):
            return AnswerArg("bad_request")
        stripped = value.strip()
        if not stripped or len(stripped) > int(public["max_length"]):
            return AnswerArg("bad_value")
        norm = normalize(stripped)
        return AnswerArg("ok", norm, stripped, norm, may_show(stripped))
    if kind == "ordering":
        order = _int_list(value)
        if order is None:
            return AnswerArg("bad_request")
        if sorted(order) != list(range(len(public["items"]))):
            return AnswerArg("bad_value")
        return AnswerArg("ok", ",".join(map(str, order)), order)
    return AnswerArg("bad_request")


def histogram(public: dict[str, Any], counts: list[int]) -> list[dict[str, Any]]:
    """The slider distribution: equal-width buckets over [min, max], each
    [from, to) but the last, closed."""
    lo, hi = float(public["min"]), float(public["max"])
    nb = len(counts)
    return [
        {"from": _num(lo + (hi - lo) * i / nb), "to": _num(lo + (hi - lo) * (i + 1) / nb),
         "count": c}
        for i, c in enumerate(counts)
    ]  # fmt: skip


def distribution(q: QuestionState, texts: list[tuple[str, int]]) -> Any:
    """What the crowd answered, per kind, as ``question_closed`` shows it
    (docs/protocol.md): counts per choice, slider buckets, the top texts
    (given, already ranked by ``ops.top_texts``), ordering right/wrong, or
    None for an info slide."""
    if q.kind in CHOICE_KINDS:
        return list(q.counts)
    if q.kind == "slider":
        return histogram(q.public, q.buckets)
    if q.kind in TEXT_KINDS:
        return [{"text": t, "count": c} for t, c in texts]
    if q.kind == "ordering":
        counts = list(q.counts) + [0, 0]
        return {"right": counts[0], "wrong": counts[1]}
    return None
