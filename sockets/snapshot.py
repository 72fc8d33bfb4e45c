"""The ``welcome`` frame: the whole state of a game for one connection.

Read from Redis in one round trip (the true state lives there, never only in
a message), so a reconnecting or resyncing client resumes exactly where the
game is. Its pieces (board entries, the question as players see it) are the
relay's own builders from :mod:`sockets.frames`.
"""

# No `from __future__ import annotations` here: Python 3.11 cannot see
# NotRequired in a TypedDict whose annotations are strings.

from typing import Any, Literal, NotRequired, TypedDict

from engine import EngineUnavailable, GameState, QuestionState, ops

from . import frames
from .view import RelayView

# The big screen's lobby wall: the newest joiners its welcome carries (the
# screen shows the latest that fit; `players` frames bring the rest).
WALL_N = 100
# Joins in the same millisecond tie on the board and come back in reverse
# id order: a few more are read, and the ids (given in join order) decide.
WALL_READ = WALL_N + 50


class AutoAdvance(TypedDict):
    reveal_s: int
    leaderboard_s: int


class Brand(TypedDict):
    accent: str | None  # "#rrggbb", null: the default colours
    logo: str | None  # the logo's URL, null: none


class WelcomeGame(TypedDict):
    game: str
    pin: str
    title: str
    state: str
    question: int
    n_questions: int
    players: int
    reveal: str
    join_open: bool
    late_join: bool  # players may join after the first question (a setting)
    epoch: int
    auto_advance: AutoAdvance | None
    teams: list[str] | None  # the team names, numbered from 0 (null: no teams)
    brand: Brand


class WelcomeQuestion(frames.QuestionPublic):
    state: str
    answered: int
    board_shown: bool  # auto-advance: the results gave way to the leaderboard
    correct: NotRequired[frames.Correct]  # once closed
    distribution: NotRequired[frames.Distribution]


class WelcomeBoard(TypedDict):
    top: list[frames.Entry]
    teams: list[frames.TeamEntry] | None
    players: int
    answered: int


class YourAnswer(TypedDict):
    question: int
    choices: list[int]  # choice kinds; [] for the others
    value: frames.AnswerValue  # the answer as given (choices, number, text, order)
    points: NotRequired[int]  # unless the reveal hides them
    bonus: NotRequired[int]


class You(TypedDict):
    player: int
    nickname: str
    # all or none: none when the game's keys expired after it finished
    score: NotRequired[int]
    rank: NotRequired[int | None]  # None while an on_close question hides it
    streak: NotRequired[int]
    correct_count: NotRequired[int]
    team: NotRequired[int | None]  # the player's team (null: no teams)
    answer: NotRequired[YourAnswer | None]


class Welcome(TypedDict):
    type: Literal["welcome"]
    role: str
    seq: str
    server_ms: int
    game: WelcomeGame
    question: WelcomeQuestion | None
    leaderboard: WelcomeBoard
    you: NotRequired[You]  # players
    players_list: NotRequired[list[frames.PlayerRef]]  # hosts
    latest_players: NotRequired[list[frames.PlayerRef]]  # screens: the lobby wall
    distribution: NotRequired[list[int]]  # hosts, while a question is current


def welcome_game(game: str, pin: str, st: GameState | None) -> WelcomeGame:
    return {
        "game": game,
        "pin": pin,
        "title": st.title if st else "",
        "state": st.state if st else "finished",
        "question": st.question if st else 0,
        "n_questions": st.n_questions if st else 0,
        "players": st.players if st else 0,
        "reveal": st.reveal if st else "live",
        "join_open": st.join_open if st else False,
        "late_join": st.late_join if st else False,
        "epoch": st.epoch if st else 0,
        "auto_advance": {
            "reveal_s": st.auto_reveal_ms // 1000,
            "leaderboard_s": st.auto_board_ms // 1000,
        }
        if st and st.auto_reveal_ms
        else None,
        "teams": list(st.team_names) if st and st.teams else None,
        "brand": {
            "accent": (st.accent or None) if st else None,
            "logo": (st.logo or None) if st else None,
        },
    }


def welcome_question(q: QuestionState, texts: list[tuple[str, int]]) -> WelcomeQuestion:
    # mypy cannot know that a QuestionPublic holds neither optional key
    qf: WelcomeQuestion = {
        **frames.question_public(q),  # type: ignore[typeddict-item]
        "state": q.state,
        "answered": q.answered,
        "board_shown": q.board_ms > 0,
    }
    if q.state == "closed":
        qf["correct"] = q.reveal
        qf["distribution"] = frames.distribution(q, texts)
    return qf


async def welcome(relay: RelayView, *, role: str, player: int | None, seq: str) -> Welcome:
    eng = relay.engine
    game = relay.game
    n = relay.question.number if relay.question else (relay.state.question if relay.state else 0)
    parts: list[ops.Op[Any]] = [
        ops.snapshot(game, n),
        ops.top(game, relay.top_n),
        ops.top_texts(game, max(n, 1)),
        ops.team_counts(game),
    ]
    if player is not None:
        parts.append(ops.standings(game, [player], n))
        parts.append(ops.nicknames(game, [player]))
    if role == "host":
        parts.append(ops.top(game, 1000))  # lobby list, in join order while all are at 0
    if role == "screen":
        # The board's tail (ZREVRANGE -N -1): in the lobby every total is 0,
        # so the board's time part orders it by join time and its tail is
        # the newest joiners. Kicked players left it. (The ranks this read
        # decodes are meaningless and not used.)
        parts.append(ops.top(game, WALL_READ, offset=-WALL_READ))
    res = await eng.run(ops.combine(*parts))
    st, q = res[0]
    if st is None and not relay.finished:
        # Redis lost a live game (restarted empty): not "finished", it comes
        # back with rebuild_game. The caller answers ``unavailable``.
        raise EngineUnavailable(f"game {game} is not in Redis")
    if st is not None and st.question != n:  # the game moved on meanwhile: read again
        return await welcome(relay, role=role, player=player, seq=seq)
    hide = st is not None and st.reveal == "on_close" and q is not None and q.state == "open"
    frame: Welcome = {
        "type": "welcome",
        "role": role,
        "seq": seq,
        "server_ms": relay.server_ms(),
        "game": welcome_game(game, relay.pin, st),
        "question": welcome_question(q, res[2])
        if q is not None and st is not None and st.question
        else None,
        "leaderboard": {
            "top": relay.top if hide else frames.entries(res[1]),
            "teams": relay.teams if hide else frames.team_entries(st, res[3]),
            "players": st.players if st else 0,
            "answered": q.answered if q else 0,
        },
    }
    if player is not None:
        you: You = {"player": player, "nickname": res[5][0]}
        standing = res[4][0]
        if standing is not None and st is not None:
            s = standing.stats
            score, rank = standing.score, standing.rank
            if hide and s.last_round == st.round:
                score, rank = s.total - s.last_points, None
            you["score"], you["rank"] = score, rank
            you["team"] = s.team if s.team >= 0 else None
            you["streak"], you["correct_count"] = st.streak_of(s, q), s.correct
            a = standing.answer
            mine: YourAnswer | None = None
            if a is not None and q is not None:
                mine = {"question": q.number, "choices": a.choices, "value": a.value}
                if not hide:
                    mine["points"], mine["bonus"] = a.points, a.bonus
            you["answer"] = mine
        frame["you"] = you
    if role == "screen":
        lobby = st is not None and st.state == "lobby"
        newest = sorted(res[-1], key=lambda e: e.player)[-WALL_N:] if lobby else []
        frame["latest_players"] = [{"player": e.player, "nickname": e.nickname} for e in newest]
    if role == "host":
        frame["players_list"] = [{"player": e.player, "nickname": e.nickname} for e in res[-1]]
        if q is not None:
            frame["distribution"] = q.buckets if q.kind == "slider" else q.counts
    return frame
