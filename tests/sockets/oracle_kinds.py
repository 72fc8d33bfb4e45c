"""An independent oracle of issue 13's rules (question kinds, scoring, streak,
reveal and distributions), written from the issue text and its spec, not
from the engine: nothing here imports ``engine`` (no ``engine.scoring``, no
``engine.kinds``), so a rule the server gets wrong cannot be copied here.

All arithmetic is exact (integers and :class:`fractions.Fraction`); "round"
is half away from zero. Numbers from documents and frames (``0.1``) become
Fractions of their shortest decimal form (``Fraction("0.1")``), so a slider
grid of 0.1 is exactly a tenth here.

Inputs are the quiz document's question (the JSON of docs/protocol.md), the
answer value, ``t`` (ms since answers opened, pauses excluded), ``T`` (limit
plus extensions made before the answer, ms) and the player's streak state.
"""

from __future__ import annotations

import math
import unicodedata
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

SCORED = frozenset({"choice", "true_false", "slider", "type_answer", "ordering"})
CHOICE_KINDS = frozenset({"choice", "true_false", "poll"})
TEXT_KINDS = frozenset({"type_answer", "word_cloud"})
FIELD = {
    "choice": "choices", "true_false": "choices", "poll": "choices", "slider": "value",
    "type_answer": "text", "word_cloud": "text", "ordering": "order",
}  # fmt: skip
FULL_MS = 500
GRID_EPS = Fraction(1, 10**9)
MAX_BUCKETS = 20
TOP_TEXTS = 50


# --- arithmetic -----------------------------------------------------------------


def frac(x: float | int | str) -> Fraction:
    """A JSON number exactly as written (shortest repr of a float)."""
    if isinstance(x, bool):
        raise TypeError("a bool is not a number")
    return Fraction(repr(x)) if isinstance(x, float) else Fraction(x)


def round_half_away(x: Fraction) -> int:
    n = math.floor(abs(x) + Fraction(1, 2))
    return n if x >= 0 else -n


def speed_points(p: int, t: int, T: int) -> int:
    """S = P when t < 500 ms, else round(P * (1 - (t / T) / 2))."""
    if t < FULL_MS:
        return p
    return round_half_away(Fraction(p) * (1 - Fraction(t, T) / 2))


def streak_bonus(streak: int, mult: int) -> int:
    return min(100 * (streak - 1), 500) if mult > 0 and streak >= 1 else 0


def normalize(text: str) -> str:
    """NFKC, casefold, no Unicode P* characters, whitespace runs -> one space, strip."""
    s = unicodedata.normalize("NFKC", text).casefold()
    s = "".join(c for c in s if not unicodedata.category(c).startswith("P"))
    return " ".join(s.split())


# --- the question as the document says --------------------------------------


def kind_of(q: dict[str, Any]) -> str:
    return str(q.get("kind", "choice"))


def mult_of(q: dict[str, Any]) -> int:
    return int(q.get("multiplier", 0 if kind_of(q) in ("poll", "word_cloud", "info") else 1))


def correct_choices(q: dict[str, Any]) -> list[int]:
    if kind_of(q) == "true_false":
        return [0] if q["answer"] else [1]
    return [i for i, c in enumerate(q["choices"]) if c.get("correct")]


def choice_texts(q: dict[str, Any]) -> list[str]:
    if kind_of(q) == "true_false":
        return ["True", "False"]
    return [c["text"] for c in q["choices"]]


@dataclass(frozen=True)
class Grid:
    lo: Fraction
    step: Fraction
    nsteps: int
    ans: int
    tol: int

    @classmethod
    def of(cls, q: dict[str, Any]) -> Grid:
        lo, hi, step = frac(q["min"]), frac(q["max"]), frac(q["step"])
        n = (hi - lo) / step
        assert n.denominator == 1, "document: max - min is not a whole number of steps"
        ans = (frac(q["answer"]) - lo) / step
        tol = frac(q.get("tolerance", 0)) / step
        assert ans.denominator == 1 and tol.denominator == 1
        return cls(lo, step, int(n), int(ans), int(tol))

    def index(self, value: float | int) -> int | None:
        """The grid index of a value, None when off the grid or out of range."""
        k = (frac(value) - self.lo) / self.step
        whole = round_half_away(k)
        if abs(k - whole) > GRID_EPS or not 0 <= whole <= self.nsteps:
            return None
        return whole

    def buckets(self) -> int:
        return min(MAX_BUCKETS, max(1, self.nsteps))

    def bucket_of(self, k: int) -> int:
        """Equal-width buckets over [min, max]: value min + k*step falls in
        floor(k * nb / nsteps), the last bucket closed."""
        nb = self.buckets()
        return min(nb - 1, (k * nb) // self.nsteps)

    def bounds(self, b: int) -> tuple[Fraction, Fraction]:
        nb = self.buckets()
        width = self.step * self.nsteps / nb
        return self.lo + width * b, self.lo + width * (b + 1)


def ordering_correct(q: dict[str, Any], shown: Sequence[str]) -> list[int]:
    """``correct.order``: the display index of each item, in the right order."""
    return [list(shown).index(item) for item in q["items"]]


def reveal(q: dict[str, Any], shown: Sequence[str] | None = None) -> Any:
    """``question_closed.correct`` per kind."""
    k = kind_of(q)
    if k in ("choice", "true_false"):
        return correct_choices(q)
    if k == "slider":
        return {"answer": q["answer"], "tolerance": q.get("tolerance", 0)}
    if k == "type_answer":
        return {"accepted": list(q["accepted"])}
    if k == "ordering":
        assert shown is not None
        return {"order": ordering_correct(q, shown)}
    return None


# --- checking an answer frame ---------------------------------------------------


def _is_int(x: Any) -> bool:
    return isinstance(x, int) and not isinstance(x, bool)


def _is_num(x: Any) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool)


def refusal(q: dict[str, Any], frame: dict[str, Any]) -> str | None:
    """The refusal code of an answer frame to an open question, or None when
    it is accepted (spec: bad_request for missing/wrong-typed fields,
    bad_value for well-typed invalid values, bad_choice, no_answers)."""
    k = kind_of(q)
    if k == "info":
        return "no_answers"
    name = FIELD[k]
    if name not in frame:
        return "bad_request"
    v = frame[name]
    if name == "choices":
        if not isinstance(v, list) or not v or not all(_is_int(c) for c in v):
            return "bad_request"
        n = len(choice_texts(q))
        if len(set(v)) != len(v) or not all(0 <= c < n for c in v):
            return "bad_choice"
        if k == "poll" and len(v) > 1:
            return "bad_choice"
        return None
    if name == "value":
        if not _is_num(v):
            return "bad_request"
        if isinstance(v, float) and not math.isfinite(v):
            return "bad_value"
        return None if Grid.of(q).index(v) is not None else "bad_value"
    if name == "text":
        if not isinstance(v, str):
            return "bad_request"
        s = v.strip()
        if not s or len(s) > int(q.get("max_length", 40)):
            return "bad_value"
        return None
    # order
    if not isinstance(v, list) or not all(_is_int(i) for i in v):
        return "bad_request"
    return None if sorted(v) == list(range(len(q["items"]))) else "bad_value"


def recorded_value(q: dict[str, Any], frame: dict[str, Any]) -> Any:
    """The value recorded and shown back: choices list | the slider number |
    the text as sent, stripped | the order list."""
    v = frame[FIELD[kind_of(q)]]
    return v.strip() if isinstance(v, str) else v


# --- scoring ----------------------------------------------------------------------


def judge(
    q: dict[str, Any], value: Any, t: int, T: int, shown: Sequence[str] | None = None
) -> tuple[bool | None, int]:
    """(right, points before the streak bonus) of an accepted value."""
    k = kind_of(q)
    p = 1000 * mult_of(q)
    if k in ("poll", "word_cloud", "info"):
        return None, 0
    if k == "choice":
        correct = set(correct_choices(q))
        picked = set(value)
        hits = picked & correct
        if not hits or picked - correct:
            return False, 0
        per = p if len(correct) == 1 else 500 * mult_of(q) * len(hits)
        return True, speed_points(per, t, T)
    if k == "true_false":
        right = list(value) == correct_choices(q)
        return right, speed_points(p, t, T) if right else 0
    if k == "type_answer":
        right = normalize(value) in {normalize(a) for a in q["accepted"]}
        return right, speed_points(p, t, T) if right else 0
    if k == "ordering":
        assert shown is not None
        right = list(value) == ordering_correct(q, shown)
        return right, speed_points(p, t, T) if right else 0
    assert k == "slider"
    g = Grid.of(q)
    idx = g.index(value)
    assert idx is not None
    d = abs(idx - g.ans)
    if d > g.tol:
        return False, 0
    s = speed_points(p, t, T)
    if g.tol == 0:
        return True, s
    return True, round_half_away(Fraction(s) * (1 - Fraction(d, 2 * g.tol)))


# --- a whole game ---------------------------------------------------------------


@dataclass
class Player:
    total: int = 0
    streak: int = 0
    streak_round: int = 0  # round of the last right scored answer


@dataclass
class Result:
    """One accepted answer as the oracle scores it: what the live ack and
    the player's question_closed part must show."""

    right: bool | None
    points: int  # bonus included
    bonus: int
    total: int
    streak: int
    value: Any


@dataclass
class OracleGame:
    """Questions started in any order; players answer; the oracle keeps
    round numbers (every started question), the round of the latest started
    scored question, and each player's lazily kept streak."""

    questions: list[dict[str, Any]]
    allowed_text: Callable[[str], bool] = lambda s: True
    players: dict[int, Player] = field(default_factory=dict)
    round: int = 0
    sround: int = 0
    current: int = 0
    prev: int = 0  # sround when the current question started
    shown: dict[int, list[str]] = field(default_factory=dict)  # ordering display
    answers: dict[int, dict[int, Result]] = field(default_factory=dict)

    def player(self, p: int) -> Player:
        return self.players.setdefault(p, Player())

    def q(self, n: int) -> dict[str, Any]:
        return self.questions[n - 1]

    def start(self, n: int, shown_items: list[str] | None = None) -> None:
        self.round += 1
        self.current = n
        self.prev = self.sround
        if kind_of(self.q(n)) in SCORED:
            self.sround = self.round
        if shown_items is not None:
            self.shown[n] = shown_items
        self.answers.setdefault(n, {})

    def answer(self, p: int, value: Any, t: int, T: int) -> Result:
        n = self.current
        q = self.q(n)
        pl = self.player(p)
        right, base = judge(q, value, t, T, self.shown.get(n))
        bonus = 0
        if right is True:
            pl.streak = pl.streak + 1 if pl.streak_round == self.prev else 1
            pl.streak_round = self.round
            bonus = streak_bonus(pl.streak, mult_of(q))
        elif right is False:
            pl.streak = 0
        pl.total += base + bonus
        streak = self.streak_now(pl) if right is None else pl.streak
        r = Result(right, base + bonus, bonus, pl.total, streak, value)
        self.answers[n][p] = r
        return r

    def streak_now(self, pl: Player) -> int:
        """Streak shown while/after the current question: for a scored one,
        alive iff answered right now (or, still open, right at the previous
        scored one); for an unscored one, alive iff right at the latest
        scored question."""
        if pl.streak_round == 0:
            return 0
        if kind_of(self.q(self.current)) in SCORED:
            return pl.streak if pl.streak_round == self.round else 0
        return pl.streak if pl.streak_round == self.sround else 0

    def closed_common(self, n: int) -> dict[str, Any]:
        """question_closed for hosts and screens (without players count)."""
        q = self.q(n)
        got = self.answers.get(n, {})
        return {
            "question": n,
            "kind": kind_of(q),
            "correct": reveal(q, self.shown.get(n)),
            "distribution": distribution(q, [r.value for r in got.values()], self.allowed_text,
                                         self.shown.get(n)),
            "answered": len(got),
        }  # fmt: skip

    def closed_part(self, n: int, p: int) -> dict[str, Any]:
        """A player's own fields of question_closed (rank left out)."""
        q = self.q(n)
        pl = self.player(p)
        r = self.answers.get(n, {}).get(p)
        return {
            "value": r.value if r else None,
            "right": r.right if r else None,
            "points": r.points if r else 0,
            "bonus": r.bonus if r else 0,
            "total": pl.total,
            "streak": self.streak_now(pl),
            "choices": r.value if r and kind_of(q) in CHOICE_KINDS else None,
        }


def distribution(
    q: dict[str, Any],
    values: list[Any],
    allowed: Callable[[str], bool] = lambda s: True,
    shown: Sequence[str] | None = None,
) -> Any:
    k = kind_of(q)
    if k in CHOICE_KINDS:
        counts = [0] * len(choice_texts(q))
        for v in values:
            for c in v:
                counts[c] += 1
        return counts
    if k == "slider":
        g = Grid.of(q)
        hist = [0] * g.buckets()
        for v in values:
            idx = g.index(v)
            assert idx is not None
            hist[g.bucket_of(idx)] += 1
        return [
            {"from": g.bounds(b)[0], "to": g.bounds(b)[1], "count": c} for b, c in enumerate(hist)
        ]
    if k in TEXT_KINDS:
        texts = Counter(normalize(v) for v in values)
        shown_texts = [(t, c) for t, c in texts.items() if t and allowed(t)]
        shown_texts.sort(key=lambda tc: (-tc[1], tc[0]))
        return [{"text": t, "count": c} for t, c in shown_texts[:TOP_TEXTS]]
    if k == "ordering":
        assert shown is not None
        right = ordering_correct(q, shown)
        ok = sum(1 for v in values if list(v) == right)
        return {"right": ok, "wrong": len(values) - ok}
    return None


def same_distribution(got: Any, want: Any) -> bool:
    """Equality, with slider bucket bounds compared as numbers to 1e-9."""
    if isinstance(want, list) and want and isinstance(want[0], dict) and "from" in want[0]:
        if not isinstance(got, list) or len(got) != len(want):
            return False
        return all(
            set(g) == {"from", "to", "count"}
            and g["count"] == w["count"]
            and abs(frac(g["from"]) - w["from"]) <= GRID_EPS
            and abs(frac(g["to"]) - w["to"]) <= GRID_EPS
            for g, w in zip(got, want, strict=True)
        )
    return bool(got == want)


def same_value(got: Any, want: Any) -> bool:
    """Recorded values equal; slider numbers to 1e-9 (the grid's precision)."""
    if _is_num(got) and _is_num(want):
        return abs(frac(got) - frac(want)) <= GRID_EPS
    return bool(got == want)


def question_frame_fields(q: dict[str, Any]) -> dict[str, Any]:
    """The kind's public fields of the ``question`` frame, except ordering's
    ``items`` (a display order the oracle only checks is a non-identity
    permutation)."""
    k = kind_of(q)
    out: dict[str, Any] = {
        "kind": k,
        "text": q["text"],
        "time_limit": q["time_limit"],
        "multiplier": mult_of(q),
        "read_time": q.get("read_time", 0),
    }
    if k in CHOICE_KINDS:
        out.update(choices=choice_texts(q), multi=len(correct_choices(q)) > 1)
    elif k == "slider":
        out.update(min=q["min"], max=q["max"], step=q["step"], unit=q.get("unit"))
    elif k in TEXT_KINDS:
        out.update(max_length=q.get("max_length", 40))
    return out
