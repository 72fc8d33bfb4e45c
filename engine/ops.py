"""The operations of live play, as data (:class:`engine.calls.Op`): the
Redis calls each one makes and how its reply is decoded. Values are packed
and unpacked by :mod:`engine.layout`. :mod:`engine.aio` and
:mod:`engine.sync` run them over an async or a blocking client, and give
every script the events stream's MAXLEN of the engine that runs it
(:data:`engine.calls.EVENTS_MAXLEN`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from . import keys
from .calls import DEFAULT_EVENTS_MAXLEN as DEFAULT_EVENTS_MAXLEN
from .calls import EVENTS_MAXLEN, Knob, cmd, script
from .calls import Call as Call  # re-exported: callers build and run ops by these names
from .calls import Op as Op
from .calls import combine as combine
from .calls import text as _s
from .kinds import TOP_TEXTS, AnswerArg
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
from .teams import counts_of as teams_of
from .types import (
    EXTEND_MAX_S,
    AnswerResult,
    BoardEntry,
    ClockResult,
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
    team: int | None = None,
) -> Op[JoinResult]:
    """``team``: the index chosen (a game whose teams players choose);
    None for auto-assigned teams and games without teams."""
    ks = [
        keys.meta(game),
        keys.players(game),
        keys.nicks(game),
        keys.tokens(game),
        keys.board(game),
        keys.stats(game),
        keys.events(game),
        keys.dirty(game),
        keys.teams(game),
    ]

    def dec(r: list[Any]) -> JoinResult:
        x = r[0]
        if _s(x[0]) != "ok":
            return JoinResult(_s(x[0]))
        return JoinResult("ok", int(x[1]), int(x[2]), int(x[3]) if len(x) > 3 else -1)

    args = [nickname, nickname_key, token_hash, EVENTS_MAXLEN, "" if team is None else team]
    return Op([script("join", ks, args)], dec)


def _opened(r: list[Any]) -> OpenResult:
    x = r[0]
    if _s(x[0]) != "ok":
        return OpenResult(_s(x[0]))
    return OpenResult("ok", int(x[1]), int(x[2]), int(x[3]), bool(int(x[4])), int(x[5]))


def open_question(game: str, n: int) -> Op[OpenResult]:
    """Open question ``n`` when no other question is open (refused
    ``question_open`` otherwise): question_start without the close."""
    ks = [keys.meta(game), keys.events(game), keys.question(game, n), keys.question(game, n)]
    return Op([script("question_start", ks, ["*", n, EVENTS_MAXLEN])], _opened)


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


CLOSERS = ("host", "deadline", "all_in")


def close_question(game: str, n: int, by: str = "host") -> Op[Reply]:
    """Close question ``n``. ``by``: "host" closes now; the clock's
    "deadline" and "all_in" are refused ``not_due`` while the question is
    paused, and "deadline" before the deadline (it may have moved)."""
    if by not in CLOSERS:
        raise ValueError(f"by must be one of {CLOSERS}")
    ks = [keys.meta(game), keys.question(game, n), keys.events(game)]
    return Op([script("close_question", ks, [n, EVENTS_MAXLEN, by])], _reply)


def _clock_keys(game: str, n: int) -> list[str]:
    return [keys.meta(game), keys.question(game, n), keys.events(game)]


def pause_question(game: str, n: int) -> Op[ClockResult]:
    """Stop the clock of open question ``n``; ``ms``: the time it had left."""

    def dec(r: list[Any]) -> ClockResult:
        x = r[0]
        if _s(x[0]) != "ok":
            return ClockResult(_s(x[0]))
        return ClockResult("ok", bool(int(x[2])), remaining_ms=int(x[1]))

    return Op([script("pause_question", _clock_keys(game, n), [n, EVENTS_MAXLEN])], dec)


def resume_question(game: str, n: int) -> Op[ClockResult]:
    def dec(r: list[Any]) -> ClockResult:
        x = r[0]
        if _s(x[0]) != "ok":
            return ClockResult(_s(x[0]))
        return ClockResult("ok", bool(int(x[3])), open_ms=int(x[1]), deadline_ms=int(x[2]))

    return Op([script("resume_question", _clock_keys(game, n), [n, EVENTS_MAXLEN])], dec)


def extend_question(game: str, n: int, seconds: int) -> Op[ClockResult]:
    if not 1 <= seconds <= EXTEND_MAX_S:
        raise ValueError(f"seconds must be 1-{EXTEND_MAX_S}")

    def dec(r: list[Any]) -> ClockResult:
        x = r[0]
        if _s(x[0]) != "ok":
            return ClockResult(_s(x[0]))
        return ClockResult("ok", bool(int(x[2])), deadline_ms=int(x[1]))

    args = [n, seconds * 1000, EVENTS_MAXLEN]
    return Op([script("extend_question", _clock_keys(game, n), args)], dec)


def show_board(game: str, n: int) -> Op[Reply]:
    """Auto-advance: closed question ``n``'s results give way to the board (once)."""
    return Op([script("show_board", _clock_keys(game, n), [n, EVENTS_MAXLEN])], _reply)


def end_game(game: str, current: int) -> Op[Reply]:
    ks = [keys.meta(game), keys.events(game), keys.question(game, max(current, 1))]
    return Op([script("end_game", ks, [current, EVENTS_MAXLEN])], _reply)


def kick(game: str, player: int, current: int = 0) -> Op[Reply]:
    """``current``: the open question as the caller read it (0: none); a
    kicked player's answer to it stops counting in its ``answered``."""
    ks = [keys.meta(game), keys.stats(game), keys.board(game), keys.events(game), keys.dirty(game)]
    ks.append(keys.teams(game))
    ks += [keys.question(game, max(current, 1)), keys.answers(game, max(current, 1))]
    return Op([script("kick", ks, [player, EVENTS_MAXLEN, current])], _reply)


def lock_join(game: str, locked: bool) -> Op[Reply]:
    ks = [keys.meta(game), keys.events(game)]
    return Op([script("lock_join", ks, [int(locked), EVENTS_MAXLEN])], _reply)


def answer_of(answer: Sequence[int] | AnswerArg) -> AnswerArg:
    """A checked answer; a bare list of choices stands for a choice answer."""
    if isinstance(answer, AnswerArg):
        return answer
    picks = list(answer)
    return AnswerArg("ok", ",".join(map(str, picks)), picks)


def submit_call(
    game: str,
    player: int,
    n: int,
    answer: Sequence[int] | AnswerArg,
    maxlen: int | Knob = EVENTS_MAXLEN,
) -> Call:
    """``answer``: checked by engine.kinds.answer_arg (or a list of choice
    indexes). ``maxlen``: given by the answer pipe only, which packs the
    bytes itself."""
    return Call(
        args=(*submit_keys(game, n), *submit_argv(player, n, answer_of(answer), maxlen)),
        script="submit_answer",
        nkeys=10,
    )


def submit_argv(player: int, n: int, a: AnswerArg, maxlen: int | Knob) -> tuple[Any, ...]:
    """submit_answer.lua's ARGV, in order (the player id first)."""
    return (player, n, a.arg, maxlen, a.recorded(), int(a.shown))


def submit_keys(game: str, n: int) -> tuple[str, ...]:
    return (
        keys.meta(game),
        keys.question(game, n),
        keys.answers(game, n),
        keys.stats(game),
        keys.board(game),
        keys.events(game),
        keys.log(game),
        keys.dirty(game),
        keys.texts(game, n),
        keys.teams(game),
    )


SUBMIT_BATCH_MAX = 1024  # answers per submit_batch call (its HMGETs unpack them all)


def submit_batch_call(
    game: str,
    n: int,
    answers: Sequence[tuple[int, AnswerArg]],
    maxlen: int | Knob = EVENTS_MAXLEN,
) -> Call:
    """One submit_batch.lua call scoring ``answers`` (player, checked
    answer) to question ``n``, in order: the same keys as submit_call."""
    if not 0 < len(answers) <= SUBMIT_BATCH_MAX:
        raise ValueError(f"a batch holds 1-{SUBMIT_BATCH_MAX} answers, not {len(answers)}")
    args: list[Any] = [n, maxlen]
    for player, a in answers:
        args += submit_batch_argv(player, a)
    return Call(args=(*submit_keys(game, n), *args), script="submit_batch", nkeys=10)


def submit_batch_argv(player: int, a: AnswerArg) -> tuple[Any, ...]:
    """One answer's four values in submit_batch.lua's ARGV (the player id first)."""
    return (player, a.arg, a.recorded(), int(a.shown))


def submit_batch(
    game: str, n: int, answers: Sequence[tuple[int, Sequence[int] | AnswerArg]]
) -> Op[list[AnswerResult]]:
    """Score ``answers`` to question ``n`` in one script call: one
    :class:`AnswerResult` per answer, in order, each what submit_answer
    would have replied (docs/engine.md, "submit_batch")."""
    checked = [(p, answer_of(a)) for p, a in answers]
    return Op([submit_batch_call(game, n, checked)], lambda r: [decode_answer(x) for x in r[0]])


def submit_regrouped(calls: Sequence[Call]) -> tuple[list[Call], Callable[[list[Any]], list[Any]]]:
    """``calls`` with their submit_answer calls regrouped into submit_batch
    calls, one per (game, question, MAXLEN) and SUBMIT_BATCH_MAX answers,
    each answer in its order; other calls as they are. Returns the calls to
    send and the function that turns their replies into one reply per call
    given (a batch's reply is a list: one reply per answer)."""
    parts: list[Call | list[Any]] = []  # a call as given, or a batch's args being built
    where: list[tuple[int, int]] = []  # per call given: (call sent, index in its reply or -1)
    groups: dict[tuple[Any, ...], int] = {}
    for c in calls:
        if c.script != "submit_answer":
            where.append((len(parts), -1))
            parts.append(c)
            continue
        ks, (player, n, arg, maxlen, recorded, shown) = c.args[: c.nkeys], c.args[c.nkeys :]
        group = (*ks, n, maxlen)
        i = groups.get(group, -1)
        args = parts[i] if i >= 0 else None
        if not isinstance(args, list) or len(args) >= 12 + 4 * SUBMIT_BATCH_MAX:
            i = groups[group] = len(parts)
            args = [*ks, n, maxlen]
            parts.append(args)
        where.append((i, (len(args) - 12) // 4))
        args += [player, arg, recorded, shown]
    out = [
        p if isinstance(p, Call) else Call(args=tuple(p), script="submit_batch", nkeys=10)
        for p in parts
    ]

    def replies(got: list[Any]) -> list[Any]:
        return [got[i] if k < 0 else got[i][k] for i, k in where]

    return out, replies


def _correct(x: Any) -> bool | None:
    v = int(x)
    return None if v == 2 else bool(v)


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
            _correct(x[6]),
            int(x[7]),
            int(x[8]),
        )
    if status == "already_answered":
        return AnswerResult(
            status, int(x[1]), int(x[2]), correct=_correct(x[3]), elapsed_ms=int(x[4])
        )
    return AnswerResult(status)


def submit_answer(
    game: str, player: int, n: int, answer: Sequence[int] | AnswerArg
) -> Op[AnswerResult]:
    return Op([submit_call(game, player, n, answer)], lambda r: decode_answer(r[0]))


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
    of many players in one pipeline; None for an unknown player.

    A rank has no multi-key read (one ZREVRANK each); scores, stats and
    answers do (ZMSCORE, HMGET), so a question's close reads the standings
    of thousands of players in about one reply per player instead of four."""
    if not players:
        return Op([], lambda r: [])
    calls: list[Call] = [cmd("ZREVRANK", keys.board(game), p) for p in players]
    calls += [
        cmd("ZMSCORE", keys.board(game), *players),
        cmd("HMGET", keys.stats(game), *players),
    ]
    if n:
        calls.append(cmd("HMGET", keys.answers(game, n), *players))

    def dec(r: list[Any]) -> list[Standing | None]:
        k = len(players)
        ranks, scores, raws = r[:k], r[k], r[k + 1]
        answers = r[k + 2] if n else None
        out: list[Standing | None] = []
        for i, p in enumerate(players):
            st = Stats.unpack(raws[i])
            if st is None:
                out.append(None)
                continue
            ans = RecordedAnswer.unpack(answers[i]) if answers is not None else None
            score = scores[i]
            total = decode(score)[0] if score is not None else st.total
            rank = ranks[i]
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


def top_texts(game: str, n: int, limit: int = TOP_TEXTS) -> Op[list[tuple[str, int]]]:
    """The most given texts of question ``n``: count descending, then text."""

    def dec(r: list[Any]) -> list[tuple[str, int]]:
        flat = r[0]
        return [(_s(flat[i]), int(flat[i + 1])) for i in range(0, len(flat), 2)]

    return Op([script("top_texts", [keys.texts(game, n)], [limit])], dec)


def team_counts(game: str) -> Op[dict[str, int]]:
    """The teams hash's counters (engine.teams.standings ranks them)."""
    return Op([cmd("HGETALL", keys.teams(game))], lambda r: teams_of(r[0]))


def all_players(game: str) -> Op[dict[int, str]]:
    return Op(
        [cmd("HGETALL", keys.players(game))],
        lambda r: {int(k): _s(v) for k, v in r[0].items()},
    )
