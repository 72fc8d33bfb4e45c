"""Server frames: their types and the builders of the relay's and welcome's.

One builder per frame, from engine values to a plain dict typed by a
``TypedDict`` (no cost at run time: a TypedDict is a dict). docs/protocol.md
is the human version; ``frontend/src/lib/protocol.ts`` the TypeScript one,
kept in step by tests/sockets/test_frames.py (a field added on one side only
fails it).

Builders never add ``seq``/``prev``: the audience stamps those on its copy
when it sends (:mod:`sockets.audience`), so a built frame can be sent to
several audiences, each with its own chain. The frames consumers.py and
messages.py write by hand (``answer_ack``, ``pong``, ``saved``, ``error``)
have their types here too.
"""

# No `from __future__ import annotations` here: Python 3.11 cannot see
# NotRequired in a TypedDict whose annotations are strings.

from collections.abc import Iterable
from typing import Literal, NotRequired, TypedDict

from engine import BoardEntry, GameState, QuestionState, Standing

# --- pieces -----------------------------------------------------------------


class Entry(TypedDict):
    player: int
    nickname: str
    score: int
    rank: int


class PlayerRef(TypedDict):
    player: int
    nickname: str


def entry(e: BoardEntry) -> Entry:
    return {"player": e.player, "nickname": e.nickname, "score": e.score, "rank": e.rank}


def entries(es: Iterable[BoardEntry]) -> list[Entry]:
    return [entry(e) for e in es]


# --- broadcast frames (the audience adds seq and prev) ----------------------


class QuestionPublic(TypedDict):
    """A question as players may see it (never the correct set), with its
    times: the ``question`` frame and the welcome's ``question`` share it."""

    question: int
    text: str
    choices: list[str]
    time_limit: int
    multiplier: int
    image: str | None
    multi: bool
    opened_ms: int
    deadline_ms: int


def question_public(q: QuestionState) -> QuestionPublic:
    p = q.public
    return {
        "question": p["question"],
        "text": p["text"],
        "choices": p["choices"],
        "time_limit": p["time_limit"],
        "multiplier": p["multiplier"],
        "image": p["image"],
        "multi": p["multi"],
        "opened_ms": q.opened_ms,
        "deadline_ms": q.deadline_ms,
    }


class QuestionFrame(QuestionPublic):
    type: Literal["question"]
    server_ms: int


def question(q: QuestionState, server_ms: int) -> QuestionFrame:
    """A question opened."""
    return {"type": "question", **question_public(q), "server_ms": server_ms}


class QuestionClosed(TypedDict):
    """To hosts and screens; players get :class:`QuestionClosedMine`."""

    type: Literal["question_closed"]
    question: int
    correct: list[int]
    distribution: list[int]
    answered: int
    players: int


class QuestionClosedMine(QuestionClosed):
    choices: list[int] | None
    points: int
    bonus: int
    total: int
    rank: int
    streak: int


def question_closed(q: QuestionState, st: GameState) -> QuestionClosed:
    return {
        "type": "question_closed",
        "question": q.number,
        "correct": sorted(q.correct),
        "distribution": q.counts,
        "answered": q.answered,
        "players": st.players,
    }


def question_closed_mine(
    common: QuestionClosed, s: Standing, st: GameState, q: QuestionState
) -> QuestionClosedMine:
    a = s.answer
    return {
        **common,
        "choices": a.choices if a else None,
        "points": a.points if a else 0,
        "bonus": a.bonus if a else 0,
        "total": s.score,
        "rank": s.rank,
        "streak": st.streak_of(s.stats, q),
    }


class Leaderboard(TypedDict):
    type: Literal["leaderboard"]
    question: int
    top: list[Entry]
    players: int
    answered: int
    server_ms: int


class LeaderboardHost(Leaderboard):
    distribution: list[int]


def leaderboard(
    n: int, top: list[Entry], st: GameState, q: QuestionState | None, server_ms: int
) -> Leaderboard:
    return {
        "type": "leaderboard",
        "question": n,
        "top": top,
        "players": st.players,
        "answered": q.answered if q else 0,
        "server_ms": server_ms,
    }


def leaderboard_host(frame: Leaderboard, q: QuestionState | None) -> LeaderboardHost:
    return {**frame, "distribution": q.counts if q else []}


class GameOver(TypedDict):
    type: Literal["game_over"]
    podium: list[Entry]
    players: int


class GameOverMine(GameOver):
    rank: int
    score: int


def game_over(podium: Iterable[BoardEntry], st: GameState | None) -> GameOver:
    return {"type": "game_over", "podium": entries(podium), "players": st.players if st else 0}


def game_over_mine(common: GameOver, s: Standing) -> GameOverMine:
    return {**common, "rank": s.rank, "score": s.score}


class Players(TypedDict):
    """The host's roster changes."""

    type: Literal["players"]
    joined: list[PlayerRef]
    kicked: list[int]
    players: int
    join_open: bool


def players(
    joined: list[int], names: list[str], kicked: list[int], st: GameState | None
) -> Players:
    return {
        "type": "players",
        "joined": [{"player": p, "nickname": n} for p, n in zip(joined, names, strict=True)],
        "kicked": kicked,
        "players": st.players if st else 0,
        "join_open": st.join_open if st else False,
    }


class Resync(TypedDict):
    type: Literal["resync"]
    reason: str


def resync(reason: str) -> Resync:
    return {"type": "resync", "reason": reason}


# --- direct frames (seq only, no chain) -------------------------------------


class Kicked(TypedDict):
    type: Literal["kicked"]
    seq: str


def kicked(seq: str) -> Kicked:
    return {"type": "kicked", "seq": seq}


class AnswerAck(TypedDict):
    """Built in consumers.py: ``locked`` in on_close reveal, else the scores."""

    type: Literal["answer_ack"]
    seq: str
    question: int
    choices: list[int]
    ts: NotRequired[int | float]
    locked: NotRequired[bool]
    points: NotRequired[int]
    bonus: NotRequired[int]
    total: NotRequired[int]
    rank: NotRequired[int]
    streak: NotRequired[int]


class Pong(TypedDict):
    """Built in consumers.py; ``ts`` echoes the ping's (null when absent)."""

    type: Literal["pong"]
    ts: int | float | str | None
    server_ms: int
    seq: str


class Saved(TypedDict):
    """Built in consumers.py once the final scores are in PostgreSQL."""

    type: Literal["saved"]
    results: str
    seq: str


class Error(TypedDict):
    """Built by sockets.messages.error_frame."""

    type: Literal["error"]
    code: str
    message: str
    seq: str
    ref: NotRequired[str]
