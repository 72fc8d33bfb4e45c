"""One flush of one game, in one PostgreSQL transaction that holds the
game's advisory lock (so the worker, ``game_save`` and ``rebuild_game``
take turns):

1. changed players: the dirty set (SSCAN), their stats and ranks (one
   pipeline per batch); players not yet in PostgreSQL are inserted, then
   every score is upserted with absolute values over an older version only;
2. answers: the answer log through the consumer group, pending entries
   first (a killed flush left them unacknowledged), then new ones. Only
   answers that the written scores include (log version <= score version)
   are copied; later ones stay pending for the next flush. So for every
   player PostgreSQL holds a score and exactly the answers it sums;
3. the game's state and a snapshot of its meta and questions.

After the commit, and only then: XACK the copied entries, remove the dirty
marks whose version is still the one written, and trim the log up to the
oldest entry still pending. A crash at any point leaves either a rolled-back
transaction (everything is still pending and dirty) or committed rows that
the next flush rewrites as no-ops (DO NOTHING, version guard).
docs/persistence.md tells the whole story.

Each step returns what it wrote (a :class:`FlushResult`, plus what the next
step or the commit needs); the results are added up, nothing is mutated.
"""

from __future__ import annotations

import json
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from engine import Snapshot, SyncEngine, answer_log, flush, housekeeping, ops, teams
from engine.flush import PlayerRow
from quiz.models import Game
from quiz.redis import sync_engine

from . import pg_side
from .errors import UnknownGame
from .faults import pause_at
from .result import FlushResult, Progress, quiet


def _scores_write(
    cur: Any, eng: SyncEngine, gid: str, game_pk: int, progress: Progress
) -> tuple[FlushResult, dict[int, int]]:
    """Step 1: new players and changed scores. Returns what it wrote and
    the score version written per player."""
    batch = settings.STADIUM["FLUSH_BATCH"]
    dirty = flush.dirty_members(eng, gid, batch=batch)
    res = FlushResult(game=gid)
    versions: dict[int, int] = {}
    kicked: list[int] = []
    done = 0
    parts = list(flush.chunks(dirty, batch))
    # Read the next batch from Redis while PostgreSQL writes this one: the two
    # waits overlap (a read changes nothing, so reading ahead is always safe).
    with ThreadPoolExecutor(max_workers=1) as ahead:
        reads = [ahead.submit(eng.run, flush.players_read(gid, parts[0]))] if parts else []
        for i in range(len(parts)):
            rows: list[PlayerRow] = reads[i].result()
            if i + 1 < len(parts):
                reads.append(ahead.submit(eng.run, flush.players_read(gid, parts[i + 1])))
            res += _scores_batch(cur, eng, gid, game_pk, rows)
            versions.update((p.number, p.stats.version) for p in rows)
            kicked += [p.number for p in rows if p.stats.kicked]
            done += len(rows)
            progress(f"game {gid}: scores {done}/{len(dirty)}")
            pause_at("mid_batch")
    pg_side.players_kicked(cur, game_pk, kicked)
    return res, versions


def _scores_batch(
    cur: Any, eng: SyncEngine, gid: str, game_pk: int, rows: list[PlayerRow]
) -> FlushResult:
    """One batch of step 1: new players first, then the version-guarded upsert."""
    pg_side.scores_stage(cur, rows)
    fresh = set(pg_side.numbers_new(cur, game_pk))
    new = [p for p in rows if p.number in fresh]
    players = 0
    if new:
        who = flush.identities(eng, gid, [p.number for p in new])
        players = pg_side.players_insert(
            cur,
            game_pk,
            [
                # reached_ms is the join time until the first points
                (p.number, *who[p.number], p.stats.reached_ms if p.stats.total == 0 else 0,
                 p.stats.kicked, p.stats.team if p.stats.team >= 0 else None)
                for p in new
            ],
        )  # fmt: skip
    return FlushResult(game=gid, players=players, scores=pg_side.scores_apply(cur, game_pk))


def _answers_write(
    cur: Any, eng: SyncEngine, gid: str, game_pk: int, versions: dict[int, int],
    progress: Progress,
) -> tuple[FlushResult, list[str]]:  # fmt: skip
    """Step 2: answers the written scores include. Returns what it wrote and
    the log ids to acknowledge after the commit."""
    batch = settings.STADIUM["FLUSH_BATCH"]
    entries, empty = answer_log.read(eng, gid, batch=batch)
    # A pending entry of a player that is not dirty any more (its score went
    # in by an earlier flush that died before XACK): PostgreSQL's version says.
    others = {e.player for e in entries} - versions.keys()
    covered = {**pg_side.versions_of(cur, game_pk, others), **versions} if others else versions
    take = [e for e in entries if e.version <= covered.get(e.player, 0)]
    answers = done = 0
    for part in flush.chunks(take, batch):
        answers += pg_side.answers_insert(cur, game_pk, part)
        done += len(part)
        progress(f"game {gid}: answers {done}/{len(take)} ({len(entries) - len(take)} left)")
    lag_s = 0.0
    if take:
        lag_s = (eng.run(housekeeping.clock()) - min(e.ms for e in take)) / 1000
    return FlushResult(game=gid, answers=answers, lag_s=lag_s), [e.id for e in take] + empty


def _game_write(gid: str, game_pk: int, snap: Snapshot | None) -> FlushResult:
    """Step 3: the game row (state, epoch, snapshot for rebuild_game)."""
    game = Game.objects.select_for_update().get(pk=game_pk)
    if snap is not None:
        game.state = snap.state or game.state
        game.epoch = max(game.epoch, snap.epoch)
        game.snapshot = snap.record()
        if game.state == Game.State.FINISHED and game.finished is None:
            ms = snap.finished_ms
            game.finished = datetime.fromtimestamp(ms / 1000, UTC) if ms else timezone.now()
    game.flushed = timezone.now()
    game.save(update_fields=["state", "epoch", "snapshot", "finished", "flushed"])
    return FlushResult(game=gid, state=game.state)


def _teams_write(cur: Any, eng: SyncEngine, gid: str, game_pk: int, snap: Snapshot) -> None:
    """Step 3b: the team board (read after the scores and answers: at the
    final save nothing moves any more, and it equals their sums)."""
    names = json.loads(snap.meta.get("tnames") or "[]")
    if names:
        counts = eng.run(ops.team_counts(gid))
        board = teams.standings(names, snap.meta.get("tmode") or "sum", counts)
        pg_side.teams_upsert(cur, game_pk, board)


def _pk_of(gid: str) -> int:
    pk = Game.objects.filter(key=gid).values_list("pk", flat=True).first()
    if pk is None:
        raise UnknownGame(f"no game {gid} in PostgreSQL")
    return int(pk)


def game_flush(*, game_id: str, final: bool = False, progress: Progress = quiet) -> FlushResult:
    """Copy what changed in one game (``game_id``: its Redis id, Game.key)
    to PostgreSQL. ``final`` (or a game over in Redis) also writes every
    player's rank."""
    eng = sync_engine()
    gid = str(game_id)
    game_pk = _pk_of(gid)
    batch = settings.STADIUM["FLUSH_BATCH"]
    t0 = time.perf_counter()
    ranks = 0
    with transaction.atomic():
        cur = pg_side.cursor()
        pg_side.lock_game(cur, game_pk)
        pg_side.temp_tables(cur)
        eng.run(answer_log.group_ensure(gid))
        scores, versions = _scores_write(cur, eng, gid, game_pk, progress)
        answers, ack = _answers_write(cur, eng, gid, game_pk, versions, progress)
        # read last: the snapshot is never behind the answers just copied
        snap = flush.snapshot(eng, gid)
        if final or (snap is not None and snap.state == Game.State.FINISHED):
            ranks = pg_side.ranks_update(cur, game_pk, flush.board_ranks(eng, gid, batch=batch))
        row = _game_write(gid, game_pk, snap)
        if snap is not None:
            _teams_write(cur, eng, gid, game_pk, snap)
        # PostgreSQL never gets what a replica lacks: a failover after the
        # commit would leave it ahead of Redis (docs/persistence.md)
        eng.confirm_replicated(
            game=gid,
            replicas_min=settings.STADIUM["REDIS_WAIT_REPLICAS"],
            timeout_ms=settings.STADIUM["REDIS_WAIT_TIMEOUT_MS"],
        )
        pause_at("before_commit")
    pause_at("after_commit")
    eng.run(answer_log.ack(gid, ack, batch=batch))
    eng.run(flush.dirty_clean(gid, versions.items()))
    pause_at("after_ack")
    answer_log.trim(eng, gid)
    took = FlushResult(game=gid, ranks=ranks, seconds=time.perf_counter() - t0)
    return scores + answers + row + took
