"""One pass of the flusher over the live games.

Live games are the Game rows not saved yet whose meta is in Redis (the
flusher finds games through PostgreSQL, never by scanning Redis). A game
over in Redis is saved (that is how a game ended while PostgreSQL was down
still gets saved); any other is flushed, after its open question is closed
if its deadline passed while no relay was running.
"""

from __future__ import annotations

from django.db.models import Q

from engine import housekeeping, ops
from quiz.models import Game
from quiz.redis import sync_engine
from quiz.services.games import game_advance_due, question_close_expired

from .errors import NotFlushable
from .game import game_flush
from .result import FlushResult, Progress, quiet
from .save import game_saved


def games_live(*, only: str | None = None) -> list[str]:
    """Redis ids of the unsaved games whose meta is in Redis (``only``: that
    one game, by Redis id or primary key)."""
    qs = Game.objects.filter(saved__isnull=True)
    if only is not None:
        qs = qs.filter(Q(key=only) | Q(pk=int(only) if only.isdigit() else None))
    ids = list(qs.order_by("pk").values_list("key", flat=True))
    if not ids:
        return []
    there = sync_engine().run(housekeeping.games_present(ids))
    return [gid for gid, live in zip(ids, there, strict=True) if live]


def flush_all(*, only: str | None = None, progress: Progress = quiet) -> list[FlushResult]:
    """One pass over the live games; a game over in Redis is saved."""
    out = []
    eng = sync_engine()
    for gid in games_live(only=only):
        state = eng.run(ops.game_state(gid))
        if state is not None and state.state == Game.State.FINISHED:
            try:
                res, _game = game_saved(game_id=gid, progress=progress)
            except NotFlushable as e:  # not settled yet: the next pass retries
                progress(f"game {gid}: not saved yet ({e})")
                continue
        else:
            if question_close_expired(game_id=gid):
                progress(f"game {gid}: closed a question past its deadline")
            step = game_advance_due(game_id=gid)
            if step:
                progress(f"game {gid}: auto-advance ({step}) with no relay taking it")
            res = game_flush(game_id=gid, progress=progress)
        if res.rows:
            progress(res.line())
        out.append(res)
    return out
