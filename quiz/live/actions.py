"""The state changes of a running game, one function each, so that every
caller changes a game the same way (joining is quiz/services/players.py). The
WebSocket consumers (sockets/commands.py) call the async ones; the flusher,
which runs blocking, calls the ``*_blocking``/``*_unsaved`` twins. Each
takes keyword-only plain values and returns an :class:`Outcome`: ``ok``, or
a refusal status that :mod:`quiz.live.refusals` turns into a protocol code
for the transport. ``engine.EngineUnavailable`` passes through: Redis being
unreachable is not a refusal, the caller says "retry".
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from asgiref.sync import sync_to_async
from django import db

from engine import SyncEngine, ops
from engine.aio import Engine
from quiz import webhooks
from quiz.redis import async_engine, sync_engine

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Outcome:
    status: str = "ok"  # "ok" or a refusal status (quiz.live.refusals)
    changed: bool = False  # False for a replay: the game already was so

    @property
    def ok(self) -> bool:
        return self.status == "ok"


async def question_start(*, game: str, question: int | None = None) -> Outcome:
    """Open ``question`` (None: the one after the current), closing the open
    question in the same atomic step (engine/lua/question_start.lua).
    Webhooks: ``game_started`` with the first question, ``question_closed``
    for the one it closed (queued, never awaited)."""
    eng = async_engine()
    st = await eng.run(ops.game_state(game))
    r = await eng.question_start(game=game, question=question)
    if r.ok and r.changed and st is not None:
        if st.question:  # the one it closed, if open (the same event id as its own close)
            webhooks.enqueue(game=game, event="question_closed", question=st.question)
        else:
            webhooks.enqueue(game=game, event="game_started", question=question or 1)
    return Outcome(r.status, r.changed)


async def question_close(
    *, game: str, question: int | None = None, engine: Engine | None = None, by: str = "host"
) -> Outcome:
    """Close ``question`` (None: the current one, ``not_open`` if there is
    none). Idempotent: the deadline, "everyone answered" and the host may
    all ask; the first one closes. ``by``: "host", or the clock's
    "deadline"/"all_in", which the engine refuses ``not_due`` while the
    question is paused or (deadline) was extended meanwhile. ``engine``: the
    caller's own (a relay's), else the process's."""
    eng = engine or async_engine()
    if question is None:
        st = await eng.run(ops.game_state(game))
        if st is None or not st.question:
            return Outcome("not_open")
        question = st.question
    r = await eng.run(ops.close_question(game, question, by))
    if r.ok and r.changed:
        webhooks.enqueue(game=game, event="question_closed", question=question, redis=eng.redis)
    return Outcome(r.status, r.changed)


async def _current(game: str) -> int:
    st = await async_engine().run(ops.game_state(game))
    return st.question if st is not None and st.state == "question" else 0


async def question_pause(*, game: str) -> Outcome:
    """Stop the open question's clock: answers are refused ``paused`` and
    the paused time counts neither in their time nor toward the deadline."""
    n = await _current(game)
    if not n:
        return Outcome("not_open")
    r = await async_engine().run(ops.pause_question(game, n))
    return Outcome(r.status, r.changed)


async def question_resume(*, game: str) -> Outcome:
    """Start the paused question's clock again (the deadline moves by the pause)."""
    n = await _current(game)
    if not n:
        return Outcome("not_open")
    r = await async_engine().run(ops.resume_question(game, n))
    return Outcome(r.status, r.changed)


async def question_extend(*, game: str, seconds: int) -> Outcome:
    """Give the open question ``seconds`` more (its T grows for later answers)."""
    n = await _current(game)
    if not n:
        return Outcome("not_open")
    r = await async_engine().run(ops.extend_question(game, n, seconds))
    return Outcome(r.status, r.changed)


async def advance_auto(*, game: str, question: int, step: str, engine: Engine) -> Outcome:
    """Auto-advance's steps after question ``question`` closed, each atomic
    so that every process may ask and it happens once: ``board`` (the
    results give way to the leaderboard), ``next`` (the next question opens,
    only while ``question`` is still the current one) or ``end`` (after the
    last question: the game ends and its results are saved)."""
    r = await engine.run(_auto_op(game, question, step))
    if step != "end" or not r.ok or not r.changed:  # another process ended it (and saves)
        return Outcome(r.status, r.changed)
    try:
        await sync_to_async(_save_and_release, thread_sensitive=False)(game)
    except Exception:
        log.exception("game %s: saving results failed; the flusher will retry", game)
        return Outcome("save_pending", True)
    return Outcome("ok", True)


async def leaderboard_show(*, game: str) -> Outcome:
    """The host's "Show leaderboard": the closed current question's results
    give way to the full-screen leaderboard, by the same atomic script as
    auto-advance's ``board`` step (engine/lua/show_board.lua), so the same
    ``show_leaderboard`` broadcast and ``board_shown`` follow. A replay
    changes nothing; ``not_closed`` when no question is closed (the lobby,
    a question still open, the end)."""
    eng = async_engine()
    st = await eng.run(ops.game_state(game))
    if st is None:
        return Outcome("unknown_game")
    if st.state != "reveal" or not st.question:
        return Outcome("not_closed")
    r = await eng.run(ops.show_board(game, st.question))
    return Outcome(r.status, r.changed)


def _auto_op(game: str, question: int, step: str) -> ops.Op[Any]:
    """The one atomic script of an auto-advance step (its reply has
    ``status`` and ``changed``)."""
    if step == "board":
        return ops.show_board(game, question)
    if step == "next":
        return ops.question_start(game, question, question + 1)
    return ops.end_game(game, question)


def advance_auto_blocking(*, game: str, question: int, step: str, engine: SyncEngine) -> Outcome:
    """:func:`advance_auto` for the flusher's fallback, when no relay runs
    (nobody connected): the same scripts, so it happens once even when a
    relay takes the step too; an ended game is saved by the flusher's next
    pass (it saves every game over in Redis)."""
    r = engine.run(_auto_op(game, question, step))
    return Outcome(r.status, r.changed)


def question_close_blocking(
    *, game: str, question: int, engine: SyncEngine | None = None
) -> Outcome:
    """:func:`question_close` of a known question, blocking: for the
    flusher's deadline fallback when no relay runs."""
    eng = engine or sync_engine()
    r = eng.run(ops.close_question(game, question, "deadline"))
    if r.ok and r.changed:
        webhooks.enqueue_blocking(game=game, event="question_closed", question=question)
    return Outcome(r.status, r.changed)


async def game_end(*, game: str) -> Outcome:
    """Finish the game (closing its open question), then save its final
    scores to PostgreSQL. ``save_pending`` when the game ended but the save
    failed: the flusher saves it later."""
    eng = async_engine()
    st = await eng.run(ops.game_state(game))
    r = await eng.end_game(game=game)
    if not r.ok:
        return Outcome(r.status)
    if r.changed and st is not None and st.state == "question":
        # the open question it closed (game_over follows the save)
        webhooks.enqueue(game=game, event="question_closed", question=st.question)
    try:
        await sync_to_async(_save_and_release, thread_sensitive=False)(game)
    except Exception:
        log.exception("game %s: saving results failed; the flusher will retry", game)
        return Outcome("save_pending", r.changed)
    return Outcome("ok", r.changed)


def game_end_unsaved(*, game: str) -> Outcome:
    """Finish the game in Redis only, blocking: for the final save itself
    (quiz/flush/save.py), which ends a game before its last flush so
    that no answer lands after it."""
    r = sync_engine().end_game(game=game)
    return Outcome(r.status, r.changed)


def _save_and_release(game: str) -> None:
    """game_save in a worker thread, then its database connection goes back
    to the pool: executor threads outlive the request, and a connection
    kept by each of them would starve the host's HTTP requests."""
    from quiz.flush import game_save  # the flush package ends games through here

    try:
        game_save(game_id=game)
    finally:
        db.connections.close_all()


async def player_kick(*, game: str, player: int) -> Outcome:
    """Remove ``player``: off the board, token refused, sockets closed (4403)."""
    # the open question's "answered" stops counting the kicked player
    r = await async_engine().run(ops.kick(game, player, await _current(game)))
    return Outcome(r.status, r.changed)


async def join_lock(*, game: str, locked: bool) -> Outcome:
    """Stop (``locked``) or allow again new players joining."""
    r = await async_engine().run(ops.lock_join(game, locked))
    return Outcome(r.status, r.changed)
