"""Engine operations as data: the Redis calls each one makes and how its
reply is decoded. No I/O happens here (redis-py's split of commands from
connections): :mod:`engine.aio` and :mod:`engine.sync` run the same
operations over an async or a blocking client.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from . import keys
from .scoring import decode
from .types import (
    AnswerResult,
    BoardEntry,
    GameState,
    JoinResult,
    OpenResult,
    Question,
    QuestionState,
    RecordedAnswer,
    Reply,
    Settings,
    Standing,
    Stats,
)

T = TypeVar("T")

DEFAULT_EVENTS_MAXLEN = 20_000


@dataclass(frozen=True, slots=True)
class Call:
    """One Redis call: a script by name (``script`` set) or a plain command."""

    args: tuple[Any, ...]
    script: str | None = None
    nkeys: int = 0


@dataclass(frozen=True, slots=True)
class Op(Generic[T]):
    calls: Sequence[Call]
    decode: Callable[[list[Any]], T]


def _s(v: Any) -> str:
    return v.decode() if isinstance(v, bytes) else str(v)


def script(name: str, keys_: Sequence[str], args: Sequence[Any]) -> Call:
    return Call(args=(*keys_, *args), script=name, nkeys=len(keys_))


def cmd(*args: Any) -> Call:
    return Call(args=args)


# --- writes -----------------------------------------------------------------


def create_game(game: str, questions: Sequence[Question], settings: Settings) -> Op[Reply]:
    if not questions:
        raise ValueError("a game needs at least one question")
    args: list[Any] = [len(questions)]
    for n, q in enumerate(questions, 1):
        args += [
            json.dumps(q.public(n), separators=(",", ":")),
            ",".join(str(c) for c in sorted(q.correct)),
            len(q.choices),
            q.time_limit * 1000,
            q.multiplier,
        ]
    args += [
        "reveal", settings.reveal,
        "max_players", settings.max_players,
        "late_join", int(settings.late_join),
        "host_hash", settings.host_token_hash,
        "screen_hash", settings.screen_token_hash,
        "title", settings.title,
    ]  # fmt: skip
    ks = [keys.meta(game)] + [keys.question(game, n) for n in range(1, len(questions) + 1)]

    def dec(r: list[Any]) -> Reply:
        status, ms = _s(r[0][0]), int(r[0][1])
        return Reply("ok" if status in ("ok", "exists") else status, status == "ok", ms)

    return Op([script("create_game", ks, args)], dec)


def join(
    game: str,
    *,
    nickname: str,
    nickname_key: str,
    token_hash: str,
    maxlen: int = DEFAULT_EVENTS_MAXLEN,
) -> Op[JoinResult]:
    ks = [
        keys.meta(game),
        keys.players(game),
        keys.nicks(game),
        keys.tokens(game),
        keys.board(game),
        keys.stats(game),
        keys.events(game),
        keys.dirty(game),
    ]

    def dec(r: list[Any]) -> JoinResult:
        x = r[0]
        if _s(x[0]) != "ok":
            return JoinResult(_s(x[0]))
        return JoinResult("ok", int(x[1]), int(x[2]))

    return Op([script("join", ks, [nickname, nickname_key, token_hash, maxlen])], dec)


def open_question(game: str, n: int, *, maxlen: int = DEFAULT_EVENTS_MAXLEN) -> Op[OpenResult]:
    ks = [keys.meta(game), keys.question(game, n), keys.events(game)]

    def dec(r: list[Any]) -> OpenResult:
        x = r[0]
        if _s(x[0]) != "ok":
            return OpenResult(_s(x[0]))
        return OpenResult("ok", int(x[1]), int(x[2]), int(x[3]), bool(int(x[4])))

    return Op([script("open_question", ks, [n, maxlen])], dec)


def _reply(r: list[Any]) -> Reply:
    x = r[0]
    if _s(x[0]) != "ok":
        return Reply(_s(x[0]))
    if len(x) == 2:
        return Reply("ok", bool(int(x[1])))
    return Reply("ok", bool(int(x[2])), int(x[1]))


def close_question(game: str, n: int, *, maxlen: int = DEFAULT_EVENTS_MAXLEN) -> Op[Reply]:
    ks = [keys.meta(game), keys.question(game, n), keys.events(game)]
    return Op([script("close_question", ks, [n, maxlen])], _reply)


def end_game(game: str, current: int, *, maxlen: int = DEFAULT_EVENTS_MAXLEN) -> Op[Reply]:
    ks = [keys.meta(game), keys.events(game), keys.question(game, max(current, 1))]
    return Op([script("end_game", ks, [current, maxlen])], _reply)


def kick(game: str, player: int, *, maxlen: int = DEFAULT_EVENTS_MAXLEN) -> Op[Reply]:
    ks = [keys.meta(game), keys.stats(game), keys.board(game), keys.events(game), keys.dirty(game)]
    return Op([script("kick", ks, [player, maxlen])], _reply)


def lock_join(game: str, locked: bool, *, maxlen: int = DEFAULT_EVENTS_MAXLEN) -> Op[Reply]:
    ks = [keys.meta(game), keys.events(game)]
    return Op([script("lock_join", ks, [int(locked), maxlen])], _reply)


def submit_call(
    game: str, player: int, n: int, choices: Sequence[int], maxlen: int = DEFAULT_EVENTS_MAXLEN
) -> Call:
    ks = (
        keys.meta(game),
        keys.question(game, n),
        keys.answers(game, n),
        keys.stats(game),
        keys.board(game),
        keys.events(game),
        keys.log(game),
        keys.dirty(game),
    )
    return Call(
        args=(*ks, player, n, ",".join(map(str, choices)), maxlen),
        script="submit_answer",
        nkeys=8,
    )


def decode_answer(x: Any) -> AnswerResult:
    status = _s(x[0])
    if status == "ok":
        return AnswerResult(
            "ok",
            int(x[1]),
            int(x[2]),
            int(x[3]),
            int(x[4]),
            int(x[5]),
            bool(int(x[6])),
            int(x[7]),
            int(x[8]),
        )
    if status == "already_answered":
        return AnswerResult(
            status, int(x[1]), int(x[2]), correct=bool(int(x[3])), elapsed_ms=int(x[4])
        )
    return AnswerResult(status)


def submit_answer(
    game: str, player: int, n: int, choices: Sequence[int], *, maxlen: int = DEFAULT_EVENTS_MAXLEN
) -> Op[AnswerResult]:
    return Op([submit_call(game, player, n, choices, maxlen)], lambda r: decode_answer(r[0]))


def claim_pin(pin_code: str, game: str) -> Op[bool]:
    return Op([cmd("SET", keys.pin(pin_code), game, "NX")], lambda r: bool(r[0]))


def release_pin(pin_code: str, game: str) -> Op[Reply]:
    return Op([script("release_pin", [keys.pin(pin_code)], [game])], _reply)


# --- reads ------------------------------------------------------------------


def game_of_pin(pin_code: str) -> Op[str | None]:
    return Op([cmd("GET", keys.pin(pin_code))], lambda r: None if r[0] is None else _s(r[0]))


_META_FIELDS = (
    "state", "q", "round", "nq", "created_ms", "epoch", "count", "reveal", "max_players",
    "late_join", "join_locked", "title", "host_hash", "screen_hash", "finished_ms",
)  # fmt: skip


def _game_state(game: str, v: list[Any]) -> GameState | None:
    if v[0] is None:
        return None
    s = [_s(x) if x is not None else "" for x in v]
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
    )


def game_state(game: str) -> Op[GameState | None]:
    return Op([cmd("HMGET", keys.meta(game), *_META_FIELDS)], lambda r: _game_state(game, r[0]))


_Q_FIELDS = (
    "state", "public", "correct", "limit_ms", "mult", "round", "opened_ms", "deadline_ms",
    "closed_ms", "answered", "nchoices", "c0", "c1", "c2", "c3", "c4", "c5",
)  # fmt: skip


def _question_state(n: int, v: list[Any]) -> QuestionState | None:
    if v[0] is None:
        return None
    s = [_s(x) if x is not None else "" for x in v]
    nchoices = int(s[10] or 0)
    return QuestionState(
        number=n,
        state=s[0],
        public=json.loads(s[1]),
        correct={int(c) for c in s[2].split(",") if c},
        limit_ms=int(s[3] or 0),
        multiplier=int(s[4] or 0),
        round=int(s[5] or 0),
        opened_ms=int(s[6] or 0),
        deadline_ms=int(s[7] or 0),
        closed_ms=int(s[8] or 0),
        answered=int(s[9] or 0),
        counts=[int(c or 0) for c in s[11 : 11 + nchoices]],
    )


def question_state(game: str, n: int) -> Op[QuestionState | None]:
    return Op(
        [cmd("HMGET", keys.question(game, n), *_Q_FIELDS)], lambda r: _question_state(n, r[0])
    )


def snapshot(game: str, n: int) -> Op[tuple[GameState | None, QuestionState | None]]:
    """Game state and question ``n`` in one round trip (``n`` as last known)."""
    return Op(
        [
            cmd("HMGET", keys.meta(game), *_META_FIELDS),
            cmd("HMGET", keys.question(game, max(n, 1)), *_Q_FIELDS),
        ],
        lambda r: (_game_state(game, r[0]), _question_state(max(n, 1), r[1]) if n else None),
    )


def _entries(flat: list[Any], first_rank: int) -> list[BoardEntry]:
    out = []
    for i in range(0, len(flat), 3):
        out.append(BoardEntry(int(flat[i]), _s(flat[i + 1]), int(flat[i + 2]), first_rank + i // 3))
    return out


def top(game: str, n: int, *, offset: int = 0) -> Op[list[BoardEntry]]:
    ks = [keys.board(game), keys.players(game)]
    return Op([script("top", ks, [offset, offset + n - 1])], lambda r: _entries(r[0], offset + 1))


def window(game: str, player: int, radius: int) -> Op[list[BoardEntry]]:
    ks = [keys.board(game), keys.players(game)]

    def dec(r: list[Any]) -> list[BoardEntry]:
        x = r[0]
        if int(x[0]) == 0:
            return []
        return _entries(x[1:], int(x[0]))

    return Op([script("window", ks, [player, radius])], dec)


def standings(game: str, players: Sequence[int], n: int = 0) -> Op[list[Standing | None]]:
    """Score, rank, stats and (with ``n``) the recorded answer to question n
    of many players in one pipeline; None for an unknown player."""
    calls: list[Call] = []
    per = 4 if n else 3
    for p in players:
        calls += [
            cmd("ZREVRANK", keys.board(game), p),
            cmd("ZSCORE", keys.board(game), p),
            cmd("HGET", keys.stats(game), p),
        ]
        if n:
            calls.append(cmd("HGET", keys.answers(game, n), p))

    def dec(r: list[Any]) -> list[Standing | None]:
        out: list[Standing | None] = []
        for i, p in enumerate(players):
            rank, score, raw = r[i * per : i * per + 3]
            st = Stats.unpack(raw)
            if st is None:
                out.append(None)
                continue
            ans = RecordedAnswer.unpack(r[i * per + 3]) if n else None
            total = decode(score)[0] if score is not None else st.total
            out.append(Standing(p, total, 0 if rank is None else int(rank) + 1, st, ans))
        return out

    return Op(calls, dec)


def player_of_token(game: str, token_hash: str) -> Op[int | None]:
    return Op(
        [cmd("HGET", keys.tokens(game), token_hash)],
        lambda r: None if r[0] is None else int(r[0]),
    )


def nicknames(game: str, players: Sequence[int]) -> Op[list[str | None]]:
    if not players:
        return Op([], lambda r: [])
    return Op(
        [cmd("HMGET", keys.players(game), *players)],
        lambda r: [None if x is None else _s(x) for x in r[0]],
    )


def all_players(game: str) -> Op[dict[int, str]]:
    return Op(
        [cmd("HGETALL", keys.players(game))],
        lambda r: {int(k): _s(v) for k, v in r[0].items()},
    )


def combine(*parts: Op[Any]) -> Op[tuple[Any, ...]]:
    """Several operations in one round trip; decodes to a tuple of their results."""
    calls: list[Call] = []
    bounds: list[tuple[int, int]] = []
    for p in parts:
        bounds.append((len(calls), len(calls) + len(p.calls)))
        calls += p.calls

    def dec(r: list[Any]) -> tuple[Any, ...]:
        return tuple(p.decode(r[a:b]) for p, (a, b) in zip(parts, bounds, strict=True))

    return Op(calls, dec)
