"""The write-behind's Redis operations (engine.flush, engine.answer_log):
what a killed flush leaves pending is read again, a dirty mark set after
the read survives the clean, and the trim never drops an entry that was
not delivered to the flusher."""

from __future__ import annotations

from typing import Any

from engine import SyncEngine, answer_log, flush, keys, ops
from engine.auth import hash_token

from .util import close_q, join, new_game, open_q, q


def _answers(eng: SyncEngine, game: str, players: list[int], n: int) -> None:
    for p in players:
        assert eng.run(ops.submit_answer(game, p, n, [p % 2])).ok


def test_dirty_marks_and_their_clean(sync_engine: SyncEngine, game_id: str) -> None:
    new_game(sync_engine, game_id, [q()])
    ps = [join(sync_engine, game_id, f"P{i}") for i in range(7)]
    assert flush.dirty_members(sync_engine, game_id, batch=2) == sorted(ps)
    rows = sync_engine.run(flush.players_read(game_id, [*ps, 999]))
    assert [r.number for r in rows] == ps  # no stats, nothing to write
    assert {r.stats.version for r in rows} == {1}

    open_q(sync_engine, game_id, 1)
    _answers(sync_engine, game_id, ps[:2], 1)  # after the read: versions moved
    written = [(r.number, r.stats.version) for r in rows]
    assert sync_engine.run(flush.dirty_clean(game_id, written)) == 5
    assert flush.dirty_members(sync_engine, game_id, batch=100) == ps[:2]
    assert sync_engine.run(flush.dirty_count(game_id)) == 2


def test_identities_of_new_players(sync_engine: SyncEngine, game_id: str) -> None:
    new_game(sync_engine, game_id, [q()])
    ps = [join(sync_engine, game_id, f"P{i}", token=f"tok{i}") for i in range(3)]
    who = flush.identities(sync_engine, game_id, [ps[2], 99])
    assert who == {ps[2]: ("P2", hash_token("tok2")), 99: ("player 99", "")}


def test_the_answer_log_through_the_consumer_group(
    sync_engine: SyncEngine, sync_redis: Any, game_id: str
) -> None:
    new_game(sync_engine, game_id, [q(), q()])
    ps = [join(sync_engine, game_id, f"P{i}") for i in range(5)]
    assert sync_engine.run(answer_log.group_ensure(game_id))
    assert not sync_engine.run(answer_log.group_ensure(game_id))  # there already
    assert sync_engine.run(answer_log.position(game_id)).settled  # an empty log
    open_q(sync_engine, game_id, 1)
    _answers(sync_engine, game_id, ps[:3], 1)
    assert not sync_engine.run(answer_log.position(game_id)).settled

    first, empty = answer_log.read(sync_engine, game_id, batch=2)
    assert [e.player for e in first] == ps[:3] and empty == []
    # a flush that died before XACK: the same entries come again, as pending
    again, _ = answer_log.read(sync_engine, game_id, batch=2)
    assert again == first
    pos = sync_engine.run(answer_log.position(game_id))
    assert (pos.pending, pos.oldest_pending) == (3, first[0].id)
    assert answer_log.trim(sync_engine, game_id) == 0  # nothing before the oldest pending

    _answers(sync_engine, game_id, ps[3:], 1)  # not delivered yet
    assert sync_engine.run(answer_log.ack(game_id, [e.id for e in first], batch=2)) == 3
    assert answer_log.trim(sync_engine, game_id) == 3
    assert sync_engine.run(answer_log.length(game_id)) == 2  # the undelivered stay
    assert not sync_engine.run(answer_log.position(game_id)).settled

    # an entry deleted while pending has nothing to copy: its id comes back to ack
    rest, _ = answer_log.read(sync_engine, game_id, batch=10)
    sync_redis.xdel(keys.log(game_id), rest[0].id)
    left, empty = answer_log.read(sync_engine, game_id, batch=10)
    assert left == rest[1:] and empty == [rest[0].id]
    ids = [e.id for e in left] + empty
    assert sync_engine.run(answer_log.ack(game_id, ids, batch=10)) == 2
    assert sync_engine.run(answer_log.position(game_id)).settled


def test_the_answer_log_by_position(sync_engine: SyncEngine, game_id: str) -> None:
    """The append-only flusher's reads: entries after a position up to an
    end, the stats read in one instant with the log's newest id, the trim
    up to a position, and the count of what lies after one."""
    new_game(sync_engine, game_id, [q(), q()])
    ps = [join(sync_engine, game_id, f"P{i}") for i in range(5)]
    open_q(sync_engine, game_id, 1)
    _answers(sync_engine, game_id, ps, 1)
    end = sync_engine.run(answer_log.newest(game_id))
    assert end is not None
    every = answer_log.read_after(sync_engine, game_id, after="", end=end, batch=2)
    assert [e.player for e in every] == ps  # in log order, across batches
    assert answer_log.read_after(sync_engine, game_id, after=end, end=end, batch=2) == []
    assert sync_engine.run(answer_log.count_after(game_id, "")) == 5
    pos = every[1].id
    rest = answer_log.read_after(sync_engine, game_id, after=pos, end=end, batch=10)
    assert [e.player for e in rest] == ps[2:]  # strictly after the position
    assert sync_engine.run(answer_log.count_after(game_id, pos)) == 3

    top, stats = sync_engine.run(flush.stats_read(game_id, [*ps[:2], 999]))
    assert top == end  # nothing answered since
    assert sorted(stats) == ps[:2]  # 999 has no stats
    assert [stats[p].stats().total for p in ps[:2]] == [int(e.fields[b"tot"]) for e in every[:2]]
    assert [stats[p].version for p in ps[:2]] == [e.version for e in every[:2]]
    assert [stats[p].reached_ms for p in ps[:2]] == [stats[p].stats().reached_ms for p in ps[:2]]

    # the read releases the marks of players whose stats are still their
    # last answer's, in the same instant; a later change keeps its mark
    assert sync_engine.run(flush.dirty_count(game_id)) == 5
    assert sync_engine.run(ops.kick(game_id, ps[2])).ok  # version moves past its answer
    last = {e.player: e.version for e in every}
    sync_engine.run(flush.stats_read(game_id, ps, last))
    assert flush.dirty_members(sync_engine, game_id, batch=10) == [ps[2]]
    sync_engine.run(flush.stats_read(game_id, [ps[2]]))  # no version given: kept
    assert flush.dirty_members(sync_engine, game_id, batch=10) == [ps[2]]

    # an answer after the read moves the newest id the stats come with
    close_q(sync_engine, game_id, 1)
    open_q(sync_engine, game_id, 2)
    _answers(sync_engine, game_id, ps[:1], 2)
    top2, _ = sync_engine.run(flush.stats_read(game_id, ps[:1]))
    assert answer_log.id_newer(top2, end) and not answer_log.id_newer(end, top2)
    assert answer_log.id_newer(end, "") and not answer_log.id_newer("", end)

    # the trim drops what PostgreSQL holds, up to the position included
    assert sync_engine.run(answer_log.trim_through(game_id, pos)) == 2
    assert sync_engine.run(answer_log.length(game_id)) == 4
    assert sync_engine.run(answer_log.count_after(game_id, pos)) == 4
    assert answer_log.id_after("5-7") == "5-8"
