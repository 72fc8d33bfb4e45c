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
from typing import Literal, NotRequired, TypedDict, cast

from engine import BoardEntry, GameState, QuestionState, Standing, kinds, teams
from engine.types import CHOICE_KINDS

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


class TeamEntry(TypedDict):
    team: int
    name: str
    score: int
    members: int
    rank: int


def team_entries(st: GameState | None, counts: dict[str, int]) -> list[TeamEntry] | None:
    """Every team in rank order (engine.teams), or None for a game without teams."""
    if st is None or not st.teams:
        return None
    entries = [t.entry() for t in teams.standings(st.team_names, st.team_score, counts)]
    return cast(list[TeamEntry], entries)


def team_place(board: list[TeamEntry] | None, s: Standing) -> tuple[int | None, int | None]:
    """(team_rank, team_score) of the player's team, or (None, None)."""
    if board is None or s.stats.team < 0:
        return None, None
    for t in board:
        if t["team"] == s.stats.team:
            return t["rank"], t["score"]
    return None, None


# --- broadcast frames (the audience adds seq and prev) ----------------------


class QuestionPublic(TypedDict):
    """A question as players may see it (never its answer), with its
    times: the ``question`` frame and the welcome's ``question`` share it.
    The kind's own fields are there for that kind only."""

    question: int
    kind: str
    text: str
    time_limit: int
    multiplier: int
    image: str | None
    read_time: int
    opened_ms: int  # shown
    answers_open_ms: int  # answers taken from here (after the reading time)
    deadline_ms: int
    paused: bool
    choices: NotRequired[list[str]]  # choice, true_false, poll
    multi: NotRequired[bool]
    min: NotRequired[int | float]  # slider
    max: NotRequired[int | float]
    step: NotRequired[int | float]
    unit: NotRequired[str | None]
    max_length: NotRequired[int]  # type_answer, word_cloud
    items: NotRequired[list[str]]  # ordering, in display order
    remaining_ms: NotRequired[int]  # while paused: the time left at the pause


_KIND_FIELDS = ("choices", "multi", "min", "max", "step", "unit", "max_length", "items")


def question_public(q: QuestionState) -> QuestionPublic:
    p = q.public
    out: QuestionPublic = {
        "question": p["question"],
        "kind": q.kind,
        "text": p["text"],
        "time_limit": p["time_limit"],
        "multiplier": p["multiplier"],
        "image": p["image"],
        "read_time": p.get("read_time", 0),
        "opened_ms": q.opened_ms,
        "answers_open_ms": q.open_ms,
        "deadline_ms": q.deadline_ms,
        "paused": q.paused,
    }
    for f in _KIND_FIELDS:
        if f in p:
            out[f] = p[f]  # type: ignore[literal-required]
    if q.paused:
        out["remaining_ms"] = max(0, q.deadline_ms - q.paused_at)
    return out


class QuestionFrame(QuestionPublic):
    type: Literal["question"]
    server_ms: int


def question(q: QuestionState, server_ms: int) -> QuestionFrame:
    """A question opened."""
    return {"type": "question", **question_public(q), "server_ms": server_ms}


class QuestionPaused(TypedDict):
    type: Literal["question_paused"]
    question: int
    remaining_ms: int


def question_paused(n: int, remaining_ms: int) -> QuestionPaused:
    return {"type": "question_paused", "question": n, "remaining_ms": remaining_ms}


class QuestionResumed(TypedDict):
    type: Literal["question_resumed"]
    question: int
    answers_open_ms: int
    deadline_ms: int


def question_resumed(q: QuestionState) -> QuestionResumed:
    return {
        "type": "question_resumed",
        "question": q.number,
        "answers_open_ms": q.open_ms,
        "deadline_ms": q.deadline_ms,
    }


class QuestionExtended(TypedDict):
    type: Literal["question_extended"]
    question: int
    deadline_ms: int


def question_extended(q: QuestionState) -> QuestionExtended:
    return {"type": "question_extended", "question": q.number, "deadline_ms": q.deadline_ms}


class ShowLeaderboard(TypedDict):
    """Auto-advance: the results of ``question`` give way to the leaderboard."""

    type: Literal["show_leaderboard"]
    question: int


def show_leaderboard(n: int) -> ShowLeaderboard:
    return {"type": "show_leaderboard", "question": n}


# "from" is a Python keyword: the functional form
SliderBucket = TypedDict("SliderBucket", {"from": int | float, "to": int | float, "count": int})


class TextCount(TypedDict):
    text: str
    count: int


class RightWrong(TypedDict):
    right: int
    wrong: int


class SliderAnswer(TypedDict):
    answer: int | float
    tolerance: int | float


class Accepted(TypedDict):
    accepted: list[str]


class Order(TypedDict):
    order: list[int]


Correct = list[int] | SliderAnswer | Accepted | Order | None
Distribution = list[int] | list[SliderBucket] | list[TextCount] | RightWrong | None


def distribution(q: QuestionState, texts: list[tuple[str, int]]) -> Distribution:
    """What the crowd answered, per kind (docs/protocol.md, question_closed)."""
    return cast(Distribution, kinds.distribution(q, texts))


class QuestionClosed(TypedDict):
    """To hosts and screens; players get :class:`QuestionClosedMine`."""

    type: Literal["question_closed"]
    question: int
    kind: str
    correct: Correct
    distribution: Distribution
    answered: int
    players: int
    teams: list[TeamEntry] | None


# A recorded answer as given: choices, the slider's number, a text, an order.
AnswerValue = list[int] | int | float | str | None


class QuestionClosedMine(QuestionClosed):
    choices: list[int] | None
    value: AnswerValue
    right: bool | None
    points: int
    bonus: int
    total: int
    rank: int
    streak: int
    team_rank: int | None
    team_score: int | None


def question_closed(
    q: QuestionState,
    st: GameState,
    texts: list[tuple[str, int]] = (),  # type: ignore[assignment]
    team_board: list[TeamEntry] | None = None,
) -> QuestionClosed:
    return {
        "type": "question_closed",
        "question": q.number,
        "kind": q.kind,
        "correct": q.reveal,
        "distribution": distribution(q, list(texts)),
        "answered": q.answered,
        "players": st.players,
        "teams": team_board,
    }


def question_closed_mine(
    common: QuestionClosed, s: Standing, st: GameState, q: QuestionState
) -> QuestionClosedMine:
    a = s.answer
    return {
        **common,
        "choices": a.choices if a and q.kind in CHOICE_KINDS else None,
        "value": a.value if a else None,
        "right": a.correct if a else None,
        "points": a.points if a else 0,
        "bonus": a.bonus if a else 0,
        "total": s.score,
        "rank": s.rank,
        "streak": st.streak_of(s.stats, q),
        **_team_fields(common["teams"], s),
    }


class _TeamPlace(TypedDict):
    team_rank: int | None
    team_score: int | None


def _team_fields(board: list[TeamEntry] | None, s: Standing) -> _TeamPlace:
    rank, score = team_place(board, s)
    return {"team_rank": rank, "team_score": score}


class Leaderboard(TypedDict):
    type: Literal["leaderboard"]
    question: int
    top: list[Entry]
    teams: list[TeamEntry] | None
    players: int
    answered: int
    server_ms: int


class LeaderboardHost(Leaderboard):
    distribution: list[int]  # per choice (choice kinds), slider buckets, ordering right/wrong


def leaderboard(
    n: int,
    top: list[Entry],
    st: GameState,
    q: QuestionState | None,
    server_ms: int,
    team_board: list[TeamEntry] | None = None,
) -> Leaderboard:
    return {
        "type": "leaderboard",
        "question": n,
        "top": top,
        "teams": team_board,
        "players": st.players,
        "answered": q.answered if q else 0,
        "server_ms": server_ms,
    }


def leaderboard_host(frame: Leaderboard, q: QuestionState | None) -> LeaderboardHost:
    return {**frame, "distribution": (q.buckets if q.kind == "slider" else q.counts) if q else []}


class GameOver(TypedDict):
    type: Literal["game_over"]
    podium: list[Entry]
    players: int
    teams: list[TeamEntry] | None  # the final team board (null without teams)
    teams_podium: list[TeamEntry] | None


class GameOverMine(GameOver):
    rank: int
    score: int
    team_rank: int | None
    team_score: int | None


def game_over(
    podium: Iterable[BoardEntry], st: GameState | None, team_board: list[TeamEntry] | None = None
) -> GameOver:
    return {
        "type": "game_over",
        "podium": entries(podium),
        "players": st.players if st else 0,
        "teams": team_board,
        "teams_podium": team_board[:3] if team_board is not None else None,
    }


def game_over_mine(common: GameOver, s: Standing) -> GameOverMine:
    return {**common, "rank": s.rank, "score": s.score, **_team_fields(common["teams"], s)}


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


class Reactions(TypedDict):
    """To big screens: the crowd's taps of one second (engine/reactions.py)."""

    type: Literal["reactions"]
    second: int
    counts: dict[str, int]


def reactions(second: int, counts: dict[str, int]) -> Reactions:
    return {"type": "reactions", "second": second, "counts": counts}


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
    choices: NotRequired[list[int]]  # the answer field sent, echoed
    value: NotRequired[int | float]
    text: NotRequired[str]
    order: NotRequired[list[int]]
    ts: NotRequired[int | float]
    locked: NotRequired[bool]
    correct: NotRequired[None]  # null for the unscored kinds (poll, word_cloud)
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


def saved(pin: str, seq: str) -> Saved:
    return {"type": "saved", "results": f"/api/games/{pin}/results", "seq": seq}


class Error(TypedDict):
    """Built by sockets.messages.error_frame."""

    type: Literal["error"]
    code: str
    message: str
    seq: str
    ref: NotRequired[str]
