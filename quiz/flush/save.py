"""A game's end: its final flushes, then Redis may forget it.

``game_save`` ends the game in Redis if it is not over yet (no answer can
land after the final flush once the game is over), flushes until nothing is
left in Redis that PostgreSQL lacks, with final ranks, marks the game
saved, and only then lets its Redis keys expire and frees its PIN.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from django.conf import settings
from django.utils import timezone

from engine import SyncEngine, answer_log, flush, housekeeping, ops
from quiz import webhooks
from quiz.live.actions import game_end_unsaved
from quiz.models import Game
from quiz.redis import sync_engine

from .errors import NotSettled, UnknownGame
from .game import game_flush
from .result import FlushResult, Progress, quiet

SAVE_PASSES = 3


def _settled(eng: SyncEngine, gid: str) -> bool:
    """Nothing left in Redis that PostgreSQL lacks: no dirty mark, no log
    entry after the position PostgreSQL holds."""
    pos = Game.objects.filter(key=gid).values_list("log_pos", flat=True).first() or ""
    dirty, after = eng.run(ops.combine(flush.dirty_count(gid), answer_log.count_after(gid, pos)))
    return not dirty and not after


def game_saved(*, game_id: str, progress: Progress = quiet) -> tuple[FlushResult, Game]:
    """:func:`game_save`'s work: what the final flushes wrote, and the row.
    Raises :class:`UnknownGame`, or :class:`NotSettled` (retry later)."""
    gid = str(game_id)
    game = Game.objects.filter(key=gid).first()
    if game is None:
        raise UnknownGame(f"no game {gid}")
    eng = sync_engine()
    state = eng.run(ops.game_state(gid))
    if state is None:
        if game.saved is not None:  # saved before, and its keys expired since
            return FlushResult(game=gid, state=game.state), game
        raise UnknownGame(f"game {gid} is not in Redis")
    if state.state != Game.State.FINISHED:
        # No answer can land after the final flush once the game is over.
        ended = game_end_unsaved(game=gid)
        if ended.changed and state.state == Game.State.QUESTION:
            webhooks.enqueue_blocking(game=gid, event="question_closed", question=state.question)
    total = FlushResult(game=gid)
    for _ in range(SAVE_PASSES):
        total += game_flush(game_id=gid, final=True, progress=progress)
        if _settled(eng, gid):
            break
    else:
        raise NotSettled(f"game {gid} did not settle, retry")
    now = timezone.now()
    first_save = Game.objects.filter(pk=game.pk, saved__isnull=True).update(saved=now)
    Game.objects.filter(pk=game.pk, finished__isnull=True).update(finished=now)
    game.refresh_from_db()
    if first_save:  # once: the results are in PostgreSQL, the payload reads them
        webhooks.enqueue_blocking(game=gid, event="game_over")
    # Only now may Redis forget the game: PostgreSQL holds all of it.
    eng.run(
        housekeeping.expire_game(gid, max(state.n_questions, 1), settings.STADIUM["FINISHED_TTL_S"])
    )
    if game.pin:
        eng.run(ops.release_pin(game.pin, gid))
    return total, game


def game_save(*, game_id: str, progress: Progress = quiet) -> dict[str, Any]:
    """End the game if needed, flush everything of it with final ranks, mark
    it saved, then let its Redis keys expire and free its PIN. Idempotent and
    safe beside the loop worker. Raises DatabaseError while PostgreSQL is
    down: the game stays finished in Redis and the loop worker saves it."""
    res, game = game_saved(game_id=game_id, progress=progress)
    out = asdict(res)
    out["saved"] = game.saved.isoformat() if game.saved else None
    return out
