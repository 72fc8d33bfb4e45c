"""One flush of one game, in one PostgreSQL transaction that holds the
game's advisory lock (so the worker, ``game_save`` and ``rebuild_game``
take turns). The record of a running game is append-only:

1. the answer log after the position PostgreSQL holds (``Game.log_pos``),
   up to its end as of now, then the stats of the players it names and of
   the dirty ones, read with the log's newest id in one instant (again,
   with the later entries, if one of those players answered meanwhile);
2. players not yet in PostgreSQL are inserted; the answers are COPYed
   straight into quiz_answer and the new position is written in the same
   transaction: exactly once. Score rows are written only for players whose
   stats moved by more than their answers (joins, kicks);
3. once no question is open (a close, the end), every Score row is
   materialized from the answers in one statement, with the board's ranks;
4. the game's state and a snapshot of its meta and questions.

Dirty marks of players whose answers alone explain their stats go with
the stats read (the log names those players until a commit holds their
answers). After the commit, and only then: release the other marks whose
version is still the one read, and trim the log up to the position. A crash at any
point leaves either a rolled-back transaction (the position did not move:
the next flush reads the same entries again) or a committed one (the next
flush starts after the position). docs/persistence.md tells the whole story.

Each step returns what it wrote (a :class:`FlushResult`); the results are
added up, nothing is mutated.
"""

from __future__ import annotations

import json
import time
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TypeVar

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from engine import Snapshot, SyncEngine, answer_log, flush, housekeeping, ops, teams
from engine.flush import PlayerRow
from engine.layout import LogRow, StatsHead
from quiz.models import Game
from quiz.redis import sync_engine

from . import pg_side
from .errors import FlushError, UnknownGame
from .faults import pause_at
from .plan import flush_plan, players_of, reached_of
from .result import FlushResult, Progress, quiet

SETTLE_TRIES = 3  # log reads before a flush that keeps seeing its players answer gives up
T = TypeVar("T")

# Player number -> row id, per game (pk, key), filled after commits only: a
# row id never changes while its game exists, and the worker flushes the same
# games every pass, so it asks PostgreSQL only about players it has not seen.
_IDS: OrderedDict[tuple[int, str], dict[int, int]] = OrderedDict()
_IDS_GAMES = 64


def _ids_known(game_pk: int, gid: str) -> dict[int, int]:
    got = _IDS.get((game_pk, gid))
    if got is None:
        return {}
    _IDS.move_to_end((game_pk, gid))
    return got


def _ids_keep(game_pk: int, gid: str, ids: dict[int, int]) -> None:
    """After the commit: the rows are there for good."""
    _IDS.setdefault((game_pk, gid), {}).update(ids)
    _IDS.move_to_end((game_pk, gid))
    while len(_IDS) > _IDS_GAMES:
        _IDS.popitem(last=False)


def _stats_of(
    eng: SyncEngine, gid: str, numbers: Sequence[int], batch: int,
    last: dict[int, int] | None = None,
) -> tuple[str, dict[int, StatsHead]]:  # fmt: skip
    """Stats of ``numbers`` and the newest log id read with them (the
    newest of the batches' ones); ``last``: each player's last answer
    version just read, whose mark goes if its stats still carry it."""
    top = ""
    out: dict[int, StatsHead] = {}
    for part in flush.chunks(numbers, batch):
        t, got = eng.run(flush.stats_read(gid, part, last))
        out.update(got)
        if answer_log.id_newer(t, top):
            top = t
    return top, out


def _stats_after(
    eng: SyncEngine, gid: str, rows: list[LogRow], batch: int
) -> tuple[str, dict[int, StatsHead]]:
    """The stats of the players of ``rows`` read after them (with the log's
    newest id); the dirty marks of those their answers explain go in the
    same instant (quiz.flush.plan: the log names them until a commit has
    their answers)."""
    last = {e.player: e.version for e in rows}
    return _stats_of(eng, gid, sorted(last), batch, last)


Batch = tuple[list[LogRow], str, dict[int, StatsHead]]


def _batches(eng: SyncEngine, gid: str, after: str, end: str, batch: int) -> Iterator[Batch]:
    """The log after ``after`` up to ``end``, a batch at a time, each with
    its players' stats and the newest log id read after it. One round trip
    a batch: the stats of this batch's players (after its entries, which
    came in the round trip before) and the next batch's entries."""
    if not answer_log.id_newer(end, after):
        return
    rows = eng.run(answer_log.entries_after(gid, after, end, batch))
    while rows:
        last = {e.player: e.version for e in rows}
        reads = [flush.stats_read(gid, part, last) for part in flush.chunks(sorted(last), batch)]
        more = len(rows) == batch and answer_log.id_newer(end, rows[-1].id)
        nxt = [answer_log.entries_after(gid, rows[-1].id, end, batch)] if more else []
        got = eng.run(ops.combine(*reads, *nxt))
        top, stats = "", {}
        for t, part in got[: len(reads)]:
            stats.update(part)
            top = t if answer_log.id_newer(t, top) else top
        yield rows, top, stats
        rows = got[-1] if more else []


def _ahead(items: Iterator[T]) -> Iterator[T]:
    """``items``, the next one read by a thread while the caller works on
    this one: Redis reads overlap PostgreSQL's writes (reading ahead changes
    nothing, so it is always safe)."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        nxt = pool.submit(next, items, None)
        while (item := nxt.result()) is not None:
            nxt = pool.submit(next, items, None)
            yield item


@dataclass(frozen=True, slots=True)
class Appended:
    """What step 1-2 read and wrote: the flush result so far, the log's end
    copied up to, every entry, the stats as last read, the new players' ids."""

    result: FlushResult
    end: str
    entries: list[LogRow]
    stats: dict[int, StatsHead]
    new_ids: dict[int, int]


def _answers_write(
    cur: Any, eng: SyncEngine, gid: str, game_pk: int, pos: str, dirty: Future[list[int]],
    batch: int, progress: Progress,
) -> Appended:  # fmt: skip
    """Steps 1-2: the log after ``pos`` up to its end E as of now, a batch at
    a time (the next one read from Redis while this one is COPYed), each with
    its players' stats; then the dirty players' stats. Each stats read comes
    with the log's newest id (one instant): if a player read has an entry
    after E, its stats count an answer not copied, so the entries up to that
    newest id are appended too (rare: a player answering twice within one
    flush)."""
    end = eng.run(answer_log.newest(gid)) or ""
    stats: dict[int, StatsHead] = {}
    entries: list[LogRow] = []
    ids = _ids_known(game_pk, gid)
    new_ids: dict[int, int] = {}
    players = 0
    newest = end

    def append(rows: list[LogRow], got: dict[int, StatsHead]) -> None:
        nonlocal players
        want = [p for p in sorted(players_of(rows)) if p not in ids and p not in new_ids]
        inserted, found = _players_new(cur, eng, gid, game_pk, want, got)
        players += inserted
        new_ids.update(found)
        pg_side.answers_copy(cur, game_pk, rows, {**ids, **new_ids}, reached_of(rows, got))
        entries.extend(rows)
        progress(f"game {gid}: answers {len(entries)}")
        pause_at("mid_batch")

    for rows, top, got in _ahead(_batches(eng, gid, pos, end, batch)):
        stats.update(got)
        newest = top if answer_log.id_newer(top, newest) else newest
        append(rows, got)
    # the players marked dirty that no entry named: joins, kicks, a rebuild
    top, got = _stats_of(eng, gid, sorted(set(dirty.result()) - stats.keys()), batch)
    stats.update(got)
    newest = top if answer_log.id_newer(top, newest) else newest
    for _ in range(SETTLE_TRIES):
        if not answer_log.id_newer(newest, end):
            break
        later = answer_log.read_after(eng, gid, after=end, end=newest, batch=batch)
        if not players_of(later) & stats.keys():
            break
        end = newest
        newest, got = _stats_after(eng, gid, later, batch)
        stats.update(got)
        append(later, got)
    else:
        raise FlushError(f"game {gid}: its players kept answering during the read; retry")
    lag_s = 0.0
    if entries:
        lag_s = (eng.run(housekeeping.clock()) - min(e.ms for e in entries)) / 1000
    res = FlushResult(game=gid, players=players, answers=len(entries), lag_s=lag_s)
    return Appended(res, end, entries, stats, new_ids)


def _players_new(
    cur: Any, eng: SyncEngine, gid: str, game_pk: int, numbers: list[int],
    heads: dict[int, StatsHead],
) -> tuple[int, dict[int, int]]:  # fmt: skip
    """Player rows of ``numbers`` that have none yet; returns how many were
    inserted and every one's row id."""
    ids = pg_side.player_ids(cur, game_pk, numbers)
    new = [p for p in numbers if p not in ids]
    if not new:
        return 0, ids
    lost = [p for p in new if p not in heads]
    if lost:  # an answer without its player's stats: never acknowledge it
        raise FlushError(f"game {gid}: no stats in Redis for players {lost[:5]}")
    stats = {p: heads[p].stats() for p in new}
    who = flush.identities(eng, gid, new)
    inserted = pg_side.players_insert(
        cur,
        game_pk,
        [
            # joined_ms is the join time until the first points
            (p, *who[p], stats[p].reached_ms if stats[p].total == 0 else 0, stats[p].kicked,
             stats[p].team if stats[p].team >= 0 else None)
            for p in new
        ],
    )  # fmt: skip
    return inserted, {**ids, **pg_side.player_ids(cur, game_pk, new)}


def snapshot_rounds(record: dict[str, Any] | Snapshot) -> dict[int, int]:
    """Question -> its round, from a snapshot (or Game.snapshot): what the
    stats derived from the answers take their rounds from."""
    snap = record if isinstance(record, Snapshot) else Snapshot.from_record(record)
    return {n: int(q["round"]) for n, q in snap.questions.items() if q.get("round")}


def _game_write(
    gid: str, game_pk: int, snap: Snapshot | None, *, log_pos: str, scored_pos: str
) -> FlushResult:
    """Step 4: the game row (state, epoch, snapshot for rebuild_game) and
    the log positions, in the answers' transaction."""
    game = Game.objects.select_for_update().get(pk=game_pk)
    game.log_pos = log_pos
    game.scored_pos = scored_pos
    if snap is not None:
        game.state = snap.state or game.state
        game.epoch = max(game.epoch, snap.epoch)
        game.snapshot = snap.record()
        if game.state == Game.State.FINISHED and game.finished is None:
            ms = snap.finished_ms
            game.finished = datetime.fromtimestamp(ms / 1000, UTC) if ms else timezone.now()
    game.flushed = timezone.now()
    game.save(
        update_fields=["state", "epoch", "snapshot", "finished", "flushed", "log_pos", "scored_pos"]
    )
    return FlushResult(game=gid, state=game.state)


def _teams_write(cur: Any, eng: SyncEngine, gid: str, game_pk: int, snap: Snapshot) -> None:
    """Step 4b: the team board (read after the scores and answers: at the
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
    to PostgreSQL. ``final`` (or a game over in Redis) also materializes
    every Score row and writes every player's rank from the board."""
    eng = sync_engine()
    gid = str(game_id)
    game_pk = _pk_of(gid)
    batch = settings.STADIUM["FLUSH_BATCH"]
    t0 = time.perf_counter()
    ranks = materialized = 0
    with transaction.atomic():
        cur = pg_side.cursor()
        pg_side.lock_game(cur, game_pk)
        pg_side.temp_tables(cur)
        pos, scored_pos = pg_side.positions(cur, game_pk)
        # the dirty set is scanned meanwhile; it is needed once the log is read
        with ThreadPoolExecutor(max_workers=1) as scan:
            dirty = scan.submit(flush.dirty_members, eng, gid, batch=batch)
            done = _answers_write(cur, eng, gid, game_pk, pos, dirty, batch, progress)
        plan = flush_plan(done.entries, done.stats)
        # the players whose stats moved by more than their answers (joins, kicks)
        moved = [PlayerRow(p, done.stats[p].stats(), 0) for p in plan.scores]
        joined, found = _players_new(cur, eng, gid, game_pk, plan.scores, done.stats)
        scores = pg_side.scores_upsert(cur, game_pk, moved, ranks=False)
        pg_side.players_kicked(cur, game_pk, [p.number for p in moved if p.stats.kicked])
        end = done.end
        log_pos = end if answer_log.id_newer(end, pos) else pos
        # read last: the snapshot is never behind the answers just copied
        snap = flush.snapshot(eng, gid)
        over = final or (snap is not None and snap.state == Game.State.FINISHED)
        if (
            snap is not None
            and snap.state != Game.State.QUESTION
            and (scored_pos != log_pos or over)
        ):
            materialized = pg_side.scores_materialize(cur, game_pk, snapshot_rounds(snap))
            scored_pos = log_pos
            progress(f"game {gid}: scores materialized ({materialized} rows)")
        if over:
            ranks = pg_side.ranks_update(cur, game_pk, flush.board_ranks(eng, gid, batch=batch))
        row = _game_write(gid, game_pk, snap, log_pos=log_pos, scored_pos=scored_pos)
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
    _ids_keep(game_pk, gid, {**done.new_ids, **found})
    eng.run(flush.dirty_clean(gid, plan.clean))
    pause_at("after_clean")
    if log_pos:
        eng.run(answer_log.trim_through(gid, log_pos))
    took = FlushResult(
        game=gid, players=joined, scores=scores + materialized, ranks=ranks,
        seconds=time.perf_counter() - t0,
    )  # fmt: skip
    return took + done.result + row
