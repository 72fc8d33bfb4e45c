"""The operations of live play, as data (:class:`engine.calls.Op`): the
Redis calls each one makes and how its reply is decoded. Values are packed
and unpacked by :mod:`engine.layout`. :mod:`engine.aio` and
:mod:`engine.sync` run them over an async or a blocking client, and give
every script the events stream's MAXLEN of the engine that runs it
(:data:`engine.calls.EVENTS_MAXLEN`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from . import keys
from .calls import DEFAULT_EVENTS_MAXLEN as DEFAULT_EVENTS_MAXLEN
from .calls import EVENTS_MAXLEN, Knob, cmd, script
from .calls import Call as Call  # re-exported: callers build and run ops by these names
from .calls import Op as Op
from .calls import combine as combine
from .calls import text as _s
from .layout import (
    META_FIELDS,
    QUESTION_FIELDS,
    RecordedAnswer,
    Stats,
    meta_settings,
    meta_unpack,
    question_args,
    question_unpack,
)
from .scoring import decode
from .types import (
    AnswerResult,
    BoardEntry,
    GameState,
    JoinResult,
    OpenResult,
    Question,
    QuestionState,
    Reply,
    Settings,
    Standing,
)

# --- writes -----------------------------------------------------------------


def create_game(game: str, questions: Sequence[Question], settings: Settings) -> Op[Reply]:
    if not questions:
        raise ValueError("a game needs at least one question")
    args: list[Any] = [len(questions)]
    for n, q in enumerate(questions, 1):
        args += question_args(q, n)
    args += [x for pair in meta_settings(settings) for x in pair]
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

    return Op([script("join", ks, [nickname, nickname_key, token_hash, EVENTS_MAXLEN])], dec)


def _opened(r: list[Any]) -> OpenResult:
    x = r[0]
    if _s(x[0]) != "ok":
        return OpenResult(_s(x[0]))
    return OpenResult("ok", int(x[1]), int(x[2]), int(x[3]), bool(int(x[4])))


def open_question(game: str, n: int) -> Op[OpenResult]:
    ks = [keys.meta(game), keys.question(game, n), keys.events(game)]
    return Op([script("open_question", ks, [n, EVENTS_MAXLEN])], _opened)


def question_start(game: str, current: int, n: int) -> Op[OpenResult]:
    """Open question ``n``, closing ``current`` (the question the caller read
    as current, 0 for none) in the same step if it is open. Refused with
    ``retry`` when the game moved on since that read: :meth:`Engine.question_start`
    reads and retries."""
    ks = [keys.meta(game), keys.events(game), keys.question(game, max(current, 1))]
    ks.append(keys.question(game, n))
    return Op([script("question_start", ks, [current, n, EVENTS_MAXLEN])], _opened)


def _reply(r: list[Any]) -> Reply:
    x = r[0]
    if _s(x[0]) != "ok":
        return Reply(_s(x[0]))
    if len(x) == 2:
        return Reply("ok", bool(int(x[1])))
    return Reply("ok", bool(int(x[2])), int(x[1]))


def close_question(game: str, n: int) -> Op[Reply]:
    ks = [keys.meta(game), keys.question(game, n), keys.events(game)]
    return Op([script("close_question", ks, [n, EVENTS_MAXLEN])], _reply)


def end_game(game: str, current: int) -> Op[Reply]:
    ks = [keys.meta(game), keys.events(game), keys.question(game, max(current, 1))]
    return Op([script("end_game", ks, [current, EVENTS_MAXLEN])], _reply)


def kick(game: str, player: int) -> Op[Reply]:
    ks = [keys.meta(game), keys.stats(game), keys.board(game), keys.events(game), keys.dirty(game)]
    return Op([script("kick", ks, [player, EVENTS_MAXLEN])], _reply)


def lock_join(game: str, locked: bool) -> Op[Reply]:
    ks = [keys.meta(game), keys.events(game)]
    return Op([script("lock_join", ks, [int(locked), EVENTS_MAXLEN])], _reply)


def submit_call(
    game: str, player: int, n: int, choices: Sequence[int], maxlen: int | Knob = EVENTS_MAXLEN
) -> Call:
    """``maxlen``: given by the answer pipe only, which packs the bytes itself."""
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


def submit_answer(game: str, player: int, n: int, choices: Sequence[int]) -> Op[AnswerResult]:
    return Op([submit_call(game, player, n, choices)], lambda r: decode_answer(r[0]))


def claim_pin(pin_code: str, game: str) -> Op[bool]:
    return Op([cmd("SET", keys.pin(pin_code), game, "NX")], lambda r: bool(r[0]))


def release_pin(pin_code: str, game: str) -> Op[Reply]:
    return Op([script("release_pin", [keys.pin(pin_code)], [game])], _reply)


# --- reads ------------------------------------------------------------------


def game_of_pin(pin_code: str) -> Op[str | None]:
    return Op([cmd("GET", keys.pin(pin_code))], lambda r: None if r[0] is None else _s(r[0]))


def game_state(game: str) -> Op[GameState | None]:
    return Op([cmd("HMGET", keys.meta(game), *META_FIELDS)], lambda r: meta_unpack(game, r[0]))


def question_state(game: str, n: int) -> Op[QuestionState | None]:
    return Op(
        [cmd("HMGET", keys.question(game, n), *QUESTION_FIELDS)], lambda r: question_unpack(n, r[0])
    )


def snapshot(game: str, n: int) -> Op[tuple[GameState | None, QuestionState | None]]:
    """Game state and question ``n`` in one round trip (``n`` as last known)."""
    return Op(
        [
            cmd("HMGET", keys.meta(game), *META_FIELDS),
            cmd("HMGET", keys.question(game, max(n, 1)), *QUESTION_FIELDS),
        ],
        lambda r: (meta_unpack(game, r[0]), question_unpack(max(n, 1), r[1]) if n else None),
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
