"""Write-behind of live games from Redis to PostgreSQL (DESIGN section 7).

One flush of a game, in one PostgreSQL transaction that holds the game's
advisory lock (so the loop worker and ``game_save`` take turns):

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
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.db.models import Q
from django.utils import timezone
from redis.exceptions import RedisError

from engine import EngineError, Snapshot, SyncEngine, answer_log, flush, keyspace, ops
from quiz import metrics
from quiz.flush import pg_side
from quiz.flush.faults import pause_at
from quiz.live.actions import game_end_unsaved
from quiz.models import Game
from quiz.redis import sync_engine

from . import ServiceError
from .games import question_close_expired

Progress = Callable[[str], None]
BACKOFF_CAP_S = 30.0
SAVE_PASSES = 3


def _quiet(_line: str) -> None:
    pass


@dataclass(slots=True)
class FlushResult:
    game: str
    players: int = 0  # new Player rows
    answers: int = 0  # new Answer rows
    scores: int = 0  # Score rows inserted or moved to a newer version
    ranks: int = 0  # final ranks changed (game over)
    seconds: float = 0.0
    lag_s: float = 0.0  # age of the oldest answer copied, at Redis time
    state: str = ""

    @property
    def rows(self) -> int:
        return self.players + self.answers + self.scores + self.ranks

    def line(self) -> str:
        return (
            f"flushed game {self.game} ({self.state}): players +{self.players}, "
            f"answers +{self.answers}, scores {self.scores}, ranks {self.ranks}; "
            f"{self.rows} rows in {self.seconds:.3f}s, lag {self.lag_s:.2f}s"
        )


def _cursor() -> Any:
    # The psycopg cursor under Django's connection, inside Django's
    # transaction: psycopg's COPY is not reachable through the wrapper.
    connection.ensure_connection()
    return connection.connection.cursor()


def _versions_in_pg(cur: Any, game_pk: int, numbers: set[int]) -> dict[int, int]:
    cur.execute(
        "SELECT p.number, s.version FROM quiz_score s JOIN quiz_player p ON p.id = s.player_id "
        "WHERE p.game_id = %s AND p.number = ANY(%s)",
        (game_pk, list(numbers)),
    )
    return dict(cur.fetchall())


def _scores_write(
    cur: Any, eng: SyncEngine, gid: str, game_pk: int, res: FlushResult, progress: Progress
) -> tuple[dict[int, int], list[int]]:
    """Step 1: new players and changed scores. Returns the versions written
    and the kicked players."""
    batch = settings.STADIUM["FLUSH_BATCH"]
    dirty = flush.dirty_members(eng, gid, batch=batch)
    versions: dict[int, int] = {}
    kicked: list[int] = []
    done = 0
    parts = list(flush.chunks(dirty, batch))
    # Read the next batch from Redis while PostgreSQL writes this one: the two
    # waits overlap (a read changes nothing, so reading ahead is always safe).
    with ThreadPoolExecutor(max_workers=1) as ahead:
        reads = [ahead.submit(eng.run, flush.players_read(gid, parts[0]))] if parts else []
        for i in range(len(parts)):
            rows = reads[i].result()
            if i + 1 < len(parts):
                reads.append(ahead.submit(eng.run, flush.players_read(gid, parts[i + 1])))
            done += _scores_batch(cur, eng, gid, game_pk, rows, res, versions, kicked)
            progress(f"game {gid}: scores {done}/{len(dirty)}")
            pause_at("mid_batch")
    pg_side.players_kicked(cur, game_pk, kicked)
    return versions, kicked


def _scores_batch(
    cur: Any, eng: SyncEngine, gid: str, game_pk: int, rows: list[Any], res: FlushResult,
    versions: dict[int, int], kicked: list[int],
) -> int:  # fmt: skip
    """One batch of step 1: new players first, then the version-guarded upsert."""
    pg_side.scores_stage(cur, rows)
    fresh = set(pg_side.numbers_new(cur, game_pk))
    new = [p for p in rows if p.number in fresh]
    if new:
        who = flush.identities(eng, gid, [p.number for p in new])
        res.players += pg_side.players_insert(
            cur,
            game_pk,
            [
                # reached_ms is the join time until the first points
                (p.number, *who[p.number], p.stats.reached_ms if p.stats.total == 0 else 0,
                 p.stats.kicked)
                for p in new
            ],
        )  # fmt: skip
    kicked += [p.number for p in rows if p.stats.kicked]
    res.scores += pg_side.scores_apply(cur, game_pk)
    versions.update((p.number, p.stats.version) for p in rows)
    return len(rows)


def _answers_write(
    cur: Any, eng: SyncEngine, gid: str, game_pk: int, versions: dict[int, int], res: FlushResult,
    progress: Progress,
) -> list[str]:  # fmt: skip
    """Step 2: answers the written scores include. Returns the log ids to
    acknowledge after the commit."""
    batch = settings.STADIUM["FLUSH_BATCH"]
    entries, empty = answer_log.read(eng, gid, batch=batch)
    # A pending entry of a player that is not dirty any more (its score went
    # in by an earlier flush that died before XACK): PostgreSQL's version says.
    others = {e.player for e in entries} - versions.keys()
    covered = {**_versions_in_pg(cur, game_pk, others), **versions} if others else versions
    take = [e for e in entries if e.version <= covered.get(e.player, 0)]
    done = 0
    for part in flush.chunks(take, batch):
        res.answers += pg_side.answers_insert(cur, game_pk, part)
        done += len(part)
        progress(f"game {gid}: answers {done}/{len(take)} ({len(entries) - len(take)} left)")
    if take:
        res.lag_s = (eng.run(keyspace.clock()) - min(e.ms for e in take)) / 1000
    return [e.id for e in take] + empty


def _game_write(game_pk: int, snap: Snapshot | None, res: FlushResult) -> None:
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
    res.state = game.state


def _pk_of(gid: str) -> int:
    pk = Game.objects.filter(key=gid).values_list("pk", flat=True).first()
    if pk is None:
        raise ServiceError("unknown_game", f"no game {gid} in PostgreSQL", status=404)
    return pk


def game_flush(*, game_id: str, final: bool = False, progress: Progress = _quiet) -> FlushResult:
    """Copy what changed in one game (``game_id``: its Redis id, Game.key)
    to PostgreSQL. ``final`` (or a game over in Redis) also writes every
    player's rank."""
    eng = sync_engine()
    gid = str(game_id)
    game_pk = _pk_of(gid)
    batch = settings.STADIUM["FLUSH_BATCH"]
    res = FlushResult(game=gid)
    t0 = time.perf_counter()
    with transaction.atomic():
        cur = _cursor()
        pg_side.lock_game(cur, game_pk)
        pg_side.temp_tables(cur)
        eng.run(answer_log.group_ensure(gid))
        versions, _kicked = _scores_write(cur, eng, gid, game_pk, res, progress)
        ack = _answers_write(cur, eng, gid, game_pk, versions, res, progress)
        # read last: the snapshot is never behind the answers just copied
        snap = flush.snapshot(eng, gid)
        over = snap is not None and snap.state == Game.State.FINISHED
        if final or over:
            res.ranks = pg_side.ranks_update(cur, game_pk, flush.board_ranks(eng, gid, batch=batch))
        _game_write(game_pk, snap, res)
        pause_at("before_commit")
    pause_at("after_commit")
    eng.run(answer_log.ack(gid, ack, batch=batch))
    eng.run(flush.dirty_clean(gid, versions.items()))
    pause_at("after_ack")
    answer_log.trim(eng, gid)
    res.seconds = time.perf_counter() - t0
    return res


def _settled(eng: SyncEngine, gid: str) -> bool:
    """Nothing left in Redis that PostgreSQL lacks: no dirty mark, nothing
    pending or undelivered in the log."""
    dirty, log = eng.run(ops.combine(flush.dirty_count(gid), answer_log.position(gid)))
    return not dirty and log.settled


def _save(*, game_id: str, progress: Progress) -> tuple[FlushResult, Game]:
    gid = str(game_id)
    game = Game.objects.filter(key=gid).first()
    if game is None:
        raise ServiceError("unknown_game", f"no game {gid}", status=404)
    eng = sync_engine()
    state = eng.run(ops.game_state(gid))
    if state is None:
        if game.saved is not None:  # saved before, and its keys expired since
            return FlushResult(game=gid, state=game.state), game
        raise ServiceError("unknown_game", f"game {gid} is not in Redis", status=409)
    if state.state != Game.State.FINISHED:
        # No answer can land after the final flush once the game is over.
        game_end_unsaved(game=gid)
    total = FlushResult(game=gid)
    for _ in range(SAVE_PASSES):
        res = game_flush(game_id=gid, final=True, progress=progress)
        for f in ("players", "answers", "scores", "ranks", "seconds"):
            setattr(total, f, getattr(total, f) + getattr(res, f))
        total.lag_s, total.state = max(total.lag_s, res.lag_s), res.state
        if _settled(eng, gid):
            break
    else:
        raise ServiceError("unavailable", f"game {gid} did not settle, retry", status=503)
    now = timezone.now()
    Game.objects.filter(pk=game.pk, saved__isnull=True).update(saved=now)
    Game.objects.filter(pk=game.pk, finished__isnull=True).update(finished=now)
    game.refresh_from_db()
    # Only now may Redis forget the game: PostgreSQL holds all of it.
    eng.run(
        keyspace.expire_game(gid, max(state.n_questions, 1), settings.STADIUM["FINISHED_TTL_S"])
    )
    if game.pin:
        eng.run(ops.release_pin(game.pin, gid))
    return total, game


def game_save(*, game_id: str, progress: Progress = _quiet) -> dict[str, Any]:
    """End the game if needed, flush everything of it with final ranks, mark
    it saved, then let its Redis keys expire and free its PIN. Idempotent and
    safe beside the loop worker. Raises DatabaseError while PostgreSQL is
    down: the game stays finished in Redis and the loop worker saves it."""
    res, game = _save(game_id=game_id, progress=progress)
    out = asdict(res)
    out["saved"] = game.saved.isoformat() if game.saved else None
    return out


def games_live(*, only: str | None = None) -> list[str]:
    """Redis ids of the unsaved games whose meta is in Redis (``only``: that
    one game, by Redis id or primary key)."""
    qs = Game.objects.filter(saved__isnull=True)
    if only is not None:
        qs = qs.filter(Q(key=only) | Q(pk=int(only) if only.isdigit() else None))
    ids = list(qs.order_by("pk").values_list("key", flat=True))
    if not ids:
        return []
    there = sync_engine().run(keyspace.games_present(ids))
    return [gid for gid, live in zip(ids, there, strict=True) if live]


def flush_all(*, only: str | None = None, progress: Progress = _quiet) -> list[FlushResult]:
    """One pass over the live games; a game over in Redis is saved."""
    out = []
    eng = sync_engine()
    for gid in games_live(only=only):
        state = eng.run(ops.game_state(gid))
        if state is not None and state.state == Game.State.FINISHED:
            try:
                res, _game = _save(game_id=gid, progress=progress)
            except ServiceError as e:  # not settled yet: the next pass retries
                progress(f"game {gid}: not saved yet ({e.message})")
                continue
        else:
            if question_close_expired(game_id=gid):
                progress(f"game {gid}: closed a question past its deadline")
            res = game_flush(game_id=gid, progress=progress)
        if res.rows:
            progress(res.line())
        out.append(res)
    return out


# EngineError: an error reply (a consumer group lost with a Redis restart
# mid-flush) is retried like a lost connection.
TRANSIENT = (DatabaseError, RedisError, EngineError, pg_side.FlushError)


def flush_loop(
    *, interval: float, only: str | None = None, progress: Progress = _quiet, passes: int = 0
) -> None:
    """Flush every ``interval`` seconds (forever, or ``passes`` times). While
    PostgreSQL or Redis is down the game goes on in Redis; the loop retries
    with exponential backoff, capped, and catches up when it is back."""
    failures = 0
    done = 0
    while not passes or done < passes:
        t0 = time.perf_counter()
        try:
            results = flush_all(only=only, progress=progress)
        except TRANSIENT as e:
            failures += 1
            metrics.FLUSH_FAILURES.inc()
            delay = min(interval * 2 ** (failures - 1), BACKOFF_CAP_S)
            first = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
            progress(
                f"flush failed ({type(e).__name__}: {first}); retry {failures} in {delay:.1f}s"
            )
            with contextlib.suppress(DatabaseError):
                connection.close()  # a fresh connection next time
            time.sleep(delay)
            continue
        if failures:
            progress(f"flush recovered after {failures} failed attempts")
        failures = 0
        done += 1
        rows = sum(x.rows for x in results)
        lag = max((x.lag_s for x in results), default=0.0)
        took = time.perf_counter() - t0
        metrics.FLUSH_SECONDS.observe(took)
        metrics.FLUSH_LAG.set(lag)
        metrics.FLUSH_ROWS.labels("scores").inc(sum(x.scores + x.ranks for x in results))
        metrics.FLUSH_ROWS.labels("answers").inc(sum(x.answers for x in results))
        metrics.FLUSH_ROWS.labels("players").inc(sum(x.players for x in results))
        if rows:
            progress(
                f"pass {done}: {len(results)} games, {rows} rows in {took:.3f}s, lag {lag:.2f}s"
            )
        time.sleep(max(0.0, interval - took))
