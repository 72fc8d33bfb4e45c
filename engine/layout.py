"""The packed values of a game in Redis: one Python definition of each.

The Lua scripts in ``engine/lua/`` write and read the same values in Lua
(Redis runs no Python); each script's header names the layouts it touches
and points here, and ``tests/engine/test_layout.py`` checks that both sides
agree, packed here and read by the scripts, and the other way round. So a
new stats field touches the Lua that writes it, :class:`Stats` and its tests.

- :class:`Stats`: ``g:{id}:stats`` values, comma-packed integers;
- :class:`RecordedAnswer`: ``g:{id}:ans:<n>`` values, the one-answer guard;
- :class:`LogEntry`: ``g:{id}:log`` entries, the flusher's answer log;
- the question hash ``g:{id}:q:<n>`` and the meta hash ``g:{id}:meta``:
  their fields, what game creation writes and how a read is decoded;
- :class:`Snapshot`: meta and question progress as PostgreSQL keeps them.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from typing import Any, NamedTuple

from . import kinds
from .types import CHOICE_KINDS, GameState, Question, QuestionState, Settings


def _str(raw: str | bytes) -> str:
    return raw.decode() if isinstance(raw, bytes) else raw


@dataclass(frozen=True, slots=True)
class Stats:
    """A player's running figures, written by join, submit_answer and kick."""

    total: int = 0
    streak: int = 0
    streak_round: int = 0  # round of the last correct answer: the lazy streak
    correct: int = 0
    best: int = 0
    version: int = 0  # bumped by every change; the flusher's upsert guard
    reached_ms: int = 0  # when the total was reached (the tie-break)
    last_round: int = 0
    last_points: int = 0
    kicked: bool = False
    team: int = -1  # the team's index; -1: the game has no teams

    def pack(self) -> str:
        return ",".join([str(int(getattr(self, f))) for f in STATS_FIELDS])

    @classmethod
    def unpack(cls, raw: str | bytes | None) -> Stats | None:
        if raw is None:
            return None
        v = [int(x) for x in _str(raw).split(",")]
        team = v[10] if len(v) > 10 else -1  # stats written before teams existed
        return cls(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], bool(v[9]), team)


STATS_FIELDS = tuple(f.name for f in fields(Stats))
STATS_VERSION = STATS_FIELDS.index("version")
STATS_REACHED = STATS_FIELDS.index("reached_ms")


class StatsHead(NamedTuple):
    """The two fields of a packed :class:`Stats` the flusher decides on
    (version, reached_ms) and the packed value, unpacked in full only for
    the few rows it writes: decoding 100,000 stats is what it saves. A
    named tuple: built 100,000 times a flush, a frozen dataclass costs more."""

    version: int
    reached_ms: int
    raw: bytes

    @classmethod
    def of(cls, raw: str | bytes) -> StatsHead:
        b = raw.encode() if isinstance(raw, str) else raw
        v = b.split(b",", STATS_REACHED + 1)
        return cls(int(v[STATS_VERSION]), int(v[STATS_REACHED]), b)

    def stats(self) -> Stats:
        st = Stats.unpack(self.raw)
        assert st is not None
        return st


@dataclass(frozen=True, slots=True)
class RecordedAnswer:
    """One accepted answer as the one-answer guard keeps it. ``correct`` is
    None for an unscored kind (poll, word cloud); ``value`` is the answer as
    given (choices, slider number, text, order: engine.kinds.AnswerArg)."""

    choices: list[int]  # choice kinds; [] for the others
    points: int  # bonus included
    bonus: int
    correct: bool | None
    elapsed_ms: int
    value: Any = None  # None: the choices

    def __post_init__(self) -> None:
        if self.value is None:
            object.__setattr__(self, "value", list(self.choices))

    def pack(self) -> str:
        picked = ",".join(map(str, self.choices))
        ok = 2 if self.correct is None else int(self.correct)
        value = json.dumps(self.value, separators=(",", ":"), ensure_ascii=False)
        return f"{picked}|{self.points}|{self.bonus}|{ok}|{self.elapsed_ms}|{value}"

    @classmethod
    def unpack(cls, raw: str | bytes | None) -> RecordedAnswer | None:
        if raw is None:
            return None
        c, p, b, ok, t, *rest = _str(raw).split("|", 5)
        value = json.loads(rest[0]) if rest else [int(x) for x in c.split(",") if x]
        return cls([int(x) for x in c.split(",") if x], int(p), int(b), _ok(ok), int(t), value)


def _ok(raw: str) -> bool | None:
    return None if raw == "2" else raw == "1"


ANSWER_FIELDS = tuple(f.name for f in fields(RecordedAnswer))


@dataclass(frozen=True, slots=True)
class LogEntry:
    """One entry of the answer log: the answer and the stats it led to."""

    id: str
    player: int
    question: int
    choices: str  # "0,2", as submitted
    elapsed_ms: int
    points: int
    bonus: int
    correct: bool | None
    total: int
    streak: int
    version: int
    value: str = ""  # the answer as given, JSON (RecordedAnswer.value)

    @property
    def ms(self) -> int:
        return int(self.id.split("-")[0])

    def choices_json(self) -> str:
        return _choices_json(self.choices)

    @classmethod
    def unpack(cls, eid: str, f: Mapping[Any, Any] | None) -> LogEntry | None:
        """None for an entry deleted while pending (nothing left to copy)."""
        if not f:
            return None
        g = {_str(k): _str(v) for k, v in f.items()}
        return cls(
            id=eid,
            player=int(g["p"]),
            question=int(g["q"]),
            choices=g["c"],
            elapsed_ms=int(g["t"]),
            points=int(g["pts"]),
            bonus=int(g["b"]),
            correct=_ok(g["ok"]),
            total=int(g["tot"]),
            streak=int(g["str"]),
            version=int(g["v"]),
            value=g.get("val") or _choices_json(g["c"]),
        )


class LogRow(NamedTuple):
    """A log entry as the flusher appends it: the fields it decides on,
    and the entry's raw fields (bytes, by LOG_FIELDS name) that go into the
    COPY as they are: no per-field decoding of 100,000 entries (and a named
    tuple, cheaper to build than a frozen dataclass)."""

    id: str
    player: int
    points: int
    version: int
    fields: Mapping[bytes, bytes]

    @property
    def ms(self) -> int:
        return int(self.id.split("-")[0])

    @classmethod
    def unpack(cls, eid: str, f: Mapping[Any, Any] | None) -> LogRow | None:
        """None for an entry with no fields (nothing to copy)."""
        if not f:
            return None
        p = f.get(b"p")
        if p is None:  # a client that decodes replies
            f = {_bytes(k): _bytes(v) for k, v in f.items()}
            p = f[b"p"]
        return cls(eid, int(p), int(f[b"pts"]), int(f[b"v"]), f)


def _bytes(v: str | bytes | int) -> bytes:
    return v if isinstance(v, bytes) else str(v).encode()


def _choices_json(choices: str) -> str:
    return json.dumps([int(c) for c in choices.split(",") if c])


# Stream field of each LogEntry attribute, in the order submit_answer writes them.
LOG_FIELDS = {
    "player": "p", "question": "q", "choices": "c", "elapsed_ms": "t", "points": "pts",
    "bonus": "b", "correct": "ok", "total": "tot", "streak": "str", "version": "v",
    "value": "val",
}  # fmt: skip


# --- the question hash g:{id}:q:<n> ------------------------------------------

MAX_CHOICES = 6  # per-choice counts c0..c5 (ordering: c0 right, c1 wrong)
MAX_BUCKETS = 20  # slider histogram buckets h0..h19
QUESTION_FIELDS = (
    "state", "public", "correct", "limit_ms", "mult", "round", "opened_ms", "deadline_ms",
    "closed_ms", "answered", "nchoices", *(f"c{i}" for i in range(MAX_CHOICES)),
    "kind", "read_ms", "reveal", "open_ms", "paused_at", "paused_ms", "ext_ms", "prev",
    "board_ms", "nb", *(f"h{i}" for i in range(MAX_BUCKETS)),
)  # fmt: skip
# What a question's play changed, kept in the snapshot (the rest comes from
# the quiz document, the counts from the answers).
QUESTION_PROGRESS = (
    "state", "round", "opened_ms", "deadline_ms", "closed_ms", "open_ms", "paused_at",
    "paused_ms", "ext_ms", "prev", "board_ms",
)  # fmt: skip


def question_args(q: Question, n: int) -> list[Any]:
    """What game creation writes per question: the five values every
    question has (public JSON without the answer, the ``correct`` field
    submit_answer.lua reads, number of choices or items, limit in ms,
    multiplier), then the kind's static fields as a count and field, value
    pairs (engine.kinds.static_fields)."""
    static = kinds.static_fields(q)
    return [
        json.dumps(q.public(n), separators=(",", ":")),
        kinds.correct_arg(q),
        kinds.choice_count(q),
        q.time_limit * 1000,
        q.multiplier,
        len(static),
        *(x for kv in static.items() for x in kv),
    ]


def question_counts(q: Question, answers: Sequence[RecordedAnswer]) -> dict[str, int]:
    """The count fields of the question hash for these answers, as
    submit_answer.lua leaves them (restore_game lays them down again)."""
    out: dict[str, int] = {}

    def bump(f: str) -> None:
        out[f] = out.get(f, 0) + 1

    for a in answers:
        bump("answered")
        if q.kind in CHOICE_KINDS:
            for c in a.choices:
                bump(f"c{c}")
        elif q.kind == "ordering":
            bump("c0" if a.correct else "c1")
        elif q.kind == "slider" and isinstance(a.value, int | float):
            k = round((a.value - q.min) / q.step)
            n = kinds.nsteps(q)
            bump(f"h{min(kinds.histogram_buckets(q) - 1, k * kinds.histogram_buckets(q) // n)}")
    return out


def question_texts(answers: Sequence[tuple[str, bool]]) -> dict[str, int]:
    """The text sorted set of a question from (normalized text, may be
    shown) pairs, as submit_answer.lua leaves it."""
    out: dict[str, int] = {}
    for text, shown in answers:
        if shown and text:
            out[text] = out.get(text, 0) + 1
    return out


def question_unpack(n: int, v: Sequence[Any]) -> QuestionState | None:
    """An HMGET of QUESTION_FIELDS; None when the question does not exist."""
    if v[0] is None:
        return None
    s = [_str(x) if x is not None else "" for x in v]
    f = dict(zip(QUESTION_FIELDS, s, strict=True))
    nchoices = int(f["nchoices"] or 0)
    kind = f["kind"] or "choice"
    correct = {int(c) for c in f["correct"].split(",") if c} if kind in CHOICE_KINDS else set()
    return QuestionState(
        number=n,
        state=f["state"],
        public=json.loads(f["public"]),
        correct=correct,
        limit_ms=int(f["limit_ms"] or 0),
        multiplier=int(f["mult"] or 0),
        round=int(f["round"] or 0),
        opened_ms=int(f["opened_ms"] or 0),
        deadline_ms=int(f["deadline_ms"] or 0),
        closed_ms=int(f["closed_ms"] or 0),
        answered=int(f["answered"] or 0),
        counts=[int(f[f"c{i}"] or 0) for i in range(min(nchoices, MAX_CHOICES))],
        kind=kind,
        read_ms=int(f["read_ms"] or 0),
        reveal=json.loads(f["reveal"]) if f["reveal"] else sorted(correct),
        open_ms=int(f["open_ms"] or f["opened_ms"] or 0),
        paused_at=int(f["paused_at"] or 0),
        paused_ms=int(f["paused_ms"] or 0),
        ext_ms=int(f["ext_ms"] or 0),
        prev=int(f["prev"] or 0),
        board_ms=int(f["board_ms"] or 0),
        buckets=[int(f[f"h{i}"] or 0) for i in range(int(f["nb"] or 0))],
    )


# --- the meta hash g:{id}:meta ------------------------------------------------

META_FIELDS = (
    "state", "q", "round", "nq", "created_ms", "epoch", "count", "reveal", "max_players",
    "late_join", "join_locked", "title", "host_hash", "screen_hash", "finished_ms", "sround",
    "auto_reveal_ms", "auto_board_ms", "tn", "tmode", "tassign", "tnames", "names", "accent",
    "logo",
)  # fmt: skip


def meta_settings(settings: Settings) -> list[tuple[str, Any]]:
    """The settings' meta fields, as game creation writes them."""
    return [
        ("reveal", settings.reveal),
        ("max_players", settings.max_players),
        ("late_join", int(settings.late_join)),
        ("host_hash", settings.host_token_hash),
        ("screen_hash", settings.screen_token_hash),
        ("title", settings.title),
        ("auto_reveal_ms", settings.auto_reveal_s * 1000),
        ("auto_board_ms", settings.auto_board_s * 1000),
        ("tn", len(settings.team_names)),
        ("tmode", settings.team_score),
        ("tassign", settings.team_mode),
        ("tnames", json.dumps(settings.team_names, ensure_ascii=False)),
        ("names", settings.names),
        ("accent", settings.accent),
        ("logo", settings.logo),
    ]


def meta_new(n_questions: int, settings: Settings) -> dict[str, str]:
    """A new game's meta hash but its ``created_ms`` (Redis time): what
    create_game.lua writes."""
    fresh: dict[str, Any] = {
        "state": "lobby", "q": 0, "round": 0, "nq": n_questions, "epoch": 1, "next_pid": 0,
        "count": 0, "join_locked": 0, **dict(meta_settings(settings)),
    }  # fmt: skip
    return {k: str(v) for k, v in fresh.items()}


def meta_unpack(game: str, v: Sequence[Any]) -> GameState | None:
    """An HMGET of META_FIELDS; None when the game does not exist."""
    if v[0] is None:
        return None
    s = [_str(x) if x is not None else "" for x in v]
    return GameState(
        game=game,
        state=s[0],
        question=int(s[1] or 0),
        round=int(s[2] or 0),
        n_questions=int(s[3] or 0),
        created_ms=int(s[4] or 0),
        epoch=int(s[5] or 1),
        players=int(s[6] or 0),
        reveal=s[7] or "live",
        max_players=int(s[8] or 0),
        late_join=s[9] != "0",
        join_locked=s[10] == "1",
        title=s[11],
        host_token_hash=s[12],
        screen_token_hash=s[13],
        finished_ms=int(s[14] or 0),
        sround=int(s[15] or s[2] or 0),  # absent: every round so far was scored
        auto_reveal_ms=int(s[16] or 0),
        auto_board_ms=int(s[17] or 0),
        team_names=json.loads(s[21]) if s[21] else [],
        team_score=s[19] or "sum",
        team_mode=s[20] or "",
        names=s[22] or "off",  # absent: a game created before the setting
        accent=s[23],  # absent: a game created before branding (no brand)
        logo=s[24],
    )


@dataclass(frozen=True, slots=True)
class Snapshot:
    """The meta hash (every field) and each question's progress: what the
    flusher keeps in PostgreSQL (Game.snapshot, as :meth:`record`) and what
    rebuild_game lays down again."""

    meta: dict[str, str]
    questions: dict[int, dict[str, str]]

    def record(self) -> dict[str, Any]:
        """The JSON document (question numbers as strings: JSON keys)."""
        return {
            "meta": dict(self.meta),
            "questions": {str(n): q for n, q in self.questions.items()},
        }

    @classmethod
    def from_record(cls, rec: Mapping[str, Any] | None) -> Snapshot:
        rec = rec or {}
        questions = {int(n): dict(q) for n, q in rec.get("questions", {}).items()}
        return cls(dict(rec.get("meta", {})), questions)

    @property
    def state(self) -> str:
        return self.meta.get("state", "")

    @property
    def question(self) -> int:
        return int(self.meta.get("q", 0))

    @property
    def epoch(self) -> int:
        return int(self.meta.get("epoch", 1))

    @property
    def next_player(self) -> int:
        return int(self.meta.get("next_pid", 0))

    @property
    def finished_ms(self) -> int:
        return int(self.meta.get("finished_ms") or 0)
