"""Client frames after hello, turned into calls: one table from frame type
to the roles that may send it and its handler (docs/protocol.md, "Client to
server"). Game state changes go through :mod:`quiz.live.actions`; refusals
are worded by :mod:`quiz.live.refusals`.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from engine import kinds
from quiz import metrics
from quiz.live import actions
from quiz.live.refusals import SOCKET, Refusal, for_socket
from quiz.nicknames import text_shown
from quiz.redis import async_engine

from . import frames
from . import messages as m

if TYPE_CHECKING:
    from .consumers import GameConsumer

Handler = Callable[["GameConsumer", Any], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class Route:
    roles: frozenset[str]  # who may send the frame
    handler: Handler | None  # None: nobody may, once authenticated
    refused: Refusal | None = None  # the error for anyone else


ANYONE = frozenset({"player", "host", "screen"})
HOST = frozenset({"host"})


async def dispatch(c: GameConsumer, kind: str, msg: Any) -> None:
    route = ROUTES.get(kind)
    if route is None:  # parse() refuses unknown types first; kept for safety
        return c.error("unknown_type", f"unknown message type {kind!r}", kind)
    if c.role not in route.roles or route.handler is None:
        assert route.refused is not None
        return c.refuse(route.refused, kind)
    await route.handler(c, msg)


def refuse(c: GameConsumer, status: str, kind: str) -> None:
    """An engine or action refusal of the frame ``kind``, as its protocol code."""
    assert c.relay is not None
    c.refuse(for_socket(status, frame=kind, seen_finished=c.relay.finished), kind)


async def ping(c: GameConsumer, msg: m.Ping) -> None:
    c.push(m.dumps({"type": "pong", "ts": msg.ts, "server_ms": c.relay_ms(), "seq": c.seq()}))


async def resync(c: GameConsumer, _msg: Any) -> None:
    await c.resync()


# --- players ----------------------------------------------------------------


async def react(c: GameConsumer, msg: m.React) -> None:
    """A tap: counted in this process, never sent on by itself (sockets.reactions)."""
    relay = c.relay
    assert relay is not None
    if relay.finished:
        return c.refuse(SOCKET["game_finished"], "react")
    if not c.reaction_bucket.try_take():
        return c.error("rate_limited", "too many reactions: this one was dropped", "react")
    relay.reactions.add(msg.reaction)


def refuse_answer(c: GameConsumer, no: Refusal) -> None:
    metrics.ANSWERS_REFUSED.labels(no.code).inc()
    c.refuse(no, "answer")


async def answer(c: GameConsumer, msg: m.Answer) -> None:
    # from the frame's read off the socket (our protocol says when), else now
    t0 = c.frame_read_at or time.perf_counter()
    relay = c.relay
    assert relay is not None and c.player is not None
    q = relay.question
    current = q.number if q else 0
    if q is None or current == 0:
        return refuse_answer(c, SOCKET["not_open"])
    if msg.question != current:
        return refuse_answer(c, SOCKET["wrong_question"])
    given = msg.given()
    if q.kind == "info":
        return refuse_answer(c, SOCKET["no_answers"])
    if given is None or given[0] != kinds.FIELD_OF_KIND.get(q.kind):
        return refuse_answer(c, SOCKET["bad_request"])
    checked = kinds.answer_arg(q.public, given[1], may_show=text_shown)
    if not checked.ok:
        return refuse_answer(c, SOCKET[checked.status])
    res = await async_engine().submit_answer(
        game=relay.game, player=c.player, question=msg.question, answer=checked
    )
    if res.status == "kicked":
        metrics.ANSWERS_REFUSED.labels("kicked").inc()
        c.push(m.dumps({"type": "kicked", "seq": c.seq()}))
        return c.close_soon(m.CLOSE_KICKED)
    if not res.ok:
        return refuse_answer(
            c, for_socket(res.status, frame="answer", seen_finished=relay.finished)
        )
    metrics.ANSWERS_ACCEPTED.inc()
    ack: dict[str, Any] = {"type": "answer_ack", "seq": c.seq(), "question": msg.question}
    ack[given[0]] = given[1]
    if msg.ts is not None:
        ack["ts"] = msg.ts
    if res.correct is None:  # an unscored kind: nothing to hide, nothing won
        ack["correct"] = None
    if relay.state is not None and relay.state.reveal == "on_close":
        ack["locked"] = True
    else:
        ack.update(
            points=res.points, bonus=res.bonus, total=res.total, rank=res.rank, streak=res.streak
        )
    c.push(m.dumps(ack))
    metrics.ANSWER_SECONDS.observe(time.perf_counter() - t0)


# --- the host ---------------------------------------------------------------
# The frames and broadcasts these changes cause come from the events stream
# (sockets/relay.py); a handler only reports a refusal, or the save.


async def start_question(c: GameConsumer, msg: m.StartQuestion) -> None:
    assert c.relay is not None
    done = await actions.question_start(game=c.relay.game, question=msg.question)
    if not done.ok:
        refuse(c, done.status, "start_question")


async def close_question(c: GameConsumer, _msg: Any) -> None:
    assert c.relay is not None
    done = await actions.question_close(game=c.relay.game)
    if not done.ok:
        refuse(c, done.status, "close_question")


async def pause_question(c: GameConsumer, _msg: Any) -> None:
    assert c.relay is not None
    _clock_refused(c, await actions.question_pause(game=c.relay.game), "pause_question")


async def resume_question(c: GameConsumer, _msg: Any) -> None:
    assert c.relay is not None
    _clock_refused(c, await actions.question_resume(game=c.relay.game), "resume_question")


async def extend_question(c: GameConsumer, msg: m.ExtendQuestion) -> None:
    assert c.relay is not None
    done = await actions.question_extend(game=c.relay.game, seconds=msg.seconds)
    _clock_refused(c, done, "extend_question")


def _clock_refused(c: GameConsumer, done: actions.Outcome, kind: str) -> None:
    # the broadcast (question_paused, ...) comes from the events stream
    if not done.ok:
        refuse(c, done.status, kind)


async def show_leaderboard(c: GameConsumer, _msg: Any) -> None:
    """The host's "Show leaderboard" between questions: the same step as
    auto-advance's, so screens show the same full-screen board (the
    ``show_leaderboard`` broadcast comes from the events stream)."""
    assert c.relay is not None
    done = await actions.leaderboard_show(game=c.relay.game)
    if not done.ok:
        refuse(c, done.status, "show_leaderboard")


async def end_game(c: GameConsumer, _msg: Any) -> None:
    assert c.relay is not None
    done = await actions.game_end(game=c.relay.game)
    if not done.ok:
        return refuse(c, done.status, "end_game")
    c.push(m.dumps(dict(frames.saved(c.pin, c.seq()))))


async def kick(c: GameConsumer, msg: m.Kick) -> None:
    assert c.relay is not None
    done = await actions.player_kick(game=c.relay.game, player=msg.player)
    if not done.ok:
        refuse(c, done.status, "kick")


async def lock_join(c: GameConsumer, msg: m.LockJoin) -> None:
    assert c.relay is not None
    done = await actions.join_lock(game=c.relay.game, locked=msg.locked)
    if not done.ok:
        refuse(c, done.status, "lock_join")


ROUTES: dict[str, Route] = {
    "ping": Route(ANYONE, ping),
    "resync": Route(ANYONE, resync),
    "hello": Route(frozenset(), None, SOCKET["already_authenticated"]),
    "answer": Route(frozenset({"player"}), answer, SOCKET["not_player"]),
    "react": Route(frozenset({"player"}), react, SOCKET["not_player"]),
    "start_question": Route(HOST, start_question, SOCKET["not_host"]),
    "close_question": Route(HOST, close_question, SOCKET["not_host"]),
    "pause_question": Route(HOST, pause_question, SOCKET["not_host"]),
    "resume_question": Route(HOST, resume_question, SOCKET["not_host"]),
    "extend_question": Route(HOST, extend_question, SOCKET["not_host"]),
    "show_leaderboard": Route(HOST, show_leaderboard, SOCKET["not_host"]),
    "end_game": Route(HOST, end_game, SOCKET["not_host"]),
    "kick": Route(HOST, kick, SOCKET["not_host"]),
    "lock_join": Route(HOST, lock_join, SOCKET["not_host"]),
}
