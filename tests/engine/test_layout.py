"""The packed values have one Python definition (engine/layout.py) and Lua
code that writes and reads them: both sides agree. Lua writes, Python
unpacks; Python packs (restore_game), the Lua scripts read; and each
script's header lists the fields in the Python order."""

from __future__ import annotations

import re
from typing import Any

from engine import Settings, SyncEngine, answer_log, flush, housekeeping, ops, restore
from engine.layout import (
    ANSWER_FIELDS,
    LOG_FIELDS,
    STATS_FIELDS,
    RecordedAnswer,
    Snapshot,
    Stats,
    meta_new,
)
from engine.scripts import SCRIPTS

from .util import join, new_game, open_q, q, submit_at

SETTINGS = Settings(title="Layouts", host_token_hash="h" * 64, max_players=50)


def _header(name: str) -> list[str]:
    head = [line for line in SCRIPTS[name].source.splitlines() if line.startswith("--")]
    assert any("engine/layout.py" in line for line in head), name
    return head


def _listed(name: str, layout: str) -> str:
    """The fields a script's header lists after the layout's name."""
    got = re.search(layout + r" ([a-z_,|]+)", "\n".join(_header(name)))
    assert got is not None, (name, layout)
    return got[1]


def _stats_used(name: str) -> list[tuple[int, str]]:
    """The "Stats: 6 version, 10 kicked" line of a script's header."""
    (line,) = [x for x in _header(name) if "Stats:" in x]
    return [(int(n), f) for n, f in re.findall(r"(\d+) ([a-z_]+)", line.split("Stats:")[1])]


def test_every_script_header_lists_the_python_field_order() -> None:
    # Each script names the Stats fields it uses by position (Lua splits the
    # value); join and submit_answer write every field.
    for name in ("join", "submit_answer", "submit_batch", "kick", "flush_clean"):
        used = _stats_used(name)
        assert used and all(STATS_FIELDS[n - 1] == f for n, f in used), name
    for name in ("join", "submit_answer", "submit_batch"):
        assert [f for _, f in _stats_used(name)] == list(STATS_FIELDS), name
    _header("restore_game")
    for name in ("submit_answer", "submit_batch"):
        assert _listed(name, "RecordedAnswer") == "|".join(ANSWER_FIELDS)
        assert _listed(name, "LogEntry") == ",".join(LOG_FIELDS.values())
        # both write the log fields in that order
        xadd = re.search(r"'XADD', KEYS\[7\], '\*', (.*?)\)\n", SCRIPTS[name].source, re.S)
        assert xadd is not None, name
        assert re.findall(r"'(\w+)', ", xadd[1]) == list(LOG_FIELDS.values()), name


def test_stats_written_by_lua_unpack_in_python(
    sync_engine: SyncEngine, sync_redis: Any, game_id: str
) -> None:
    new_game(sync_engine, game_id, [q(), q()])
    p = join(sync_engine, game_id, "Ann")
    other = join(sync_engine, game_id, "Bob")
    joined = sync_engine.run(flush.stats_all(game_id))[p]
    assert joined == Stats(version=1, reached_ms=joined.reached_ms)

    open_q(sync_engine, game_id, 1)
    res = submit_at(sync_redis, game_id, p, 1, [1], elapsed_ms=2000)
    assert res.ok and res.points == 967
    st = sync_engine.run(flush.stats_all(game_id))[p]
    assert (st.total, st.streak, st.streak_round, st.correct, st.best) == (967, 1, 1, 1, 1)
    assert (st.version, st.last_round, st.last_points, st.kicked) == (2, 1, 967, False)
    assert st.reached_ms >= joined.reached_ms

    assert sync_engine.run(ops.kick(game_id, other)).changed
    kicked = sync_engine.run(flush.stats_all(game_id))[other]
    assert kicked == Stats(version=2, reached_ms=kicked.reached_ms, kicked=True)
    # the flusher's read passes the same value through
    (row,) = sync_engine.run(flush.players_read(game_id, [p]))
    assert (row.stats, row.rank) == (st, 1)


def _restored(
    eng: SyncEngine, game: str, snapshot: Snapshot, *players: Any, answers: Any = ()
) -> None:
    done = eng.run(
        restore.restore_game(
            game, questions=[q(), q(correct=(0, 2))], settings=SETTINGS, snapshot=snapshot,
            players=list(players), answers=list(answers),
        )
    )  # fmt: skip
    assert done.ok, done


def _after_question_1(now_ms: int, **q2: str) -> Snapshot:
    """Question 1 played and closed, round 1; question 2 as given."""
    meta = {"state": "reveal", "q": "1", "round": "1", "created_ms": str(now_ms - 60_000)}
    q1 = {"state": "closed", "round": "1", "opened_ms": str(now_ms - 40_000)}
    q1 |= {"deadline_ms": str(now_ms - 10_000), "closed_ms": str(now_ms - 10_000)}
    return Snapshot(meta, {1: q1, 2: q2} if q2 else {1: q1})


def test_stats_packed_in_python_read_by_lua(
    sync_engine: SyncEngine, sync_redis: Any, game_id: str
) -> None:
    now = sync_engine.run(housekeeping.clock())
    before = Stats(5000, 2, 1, 2, 2, 7, 1000, 1, 900, False)
    _restored(sync_engine, game_id, _after_question_1(now),
              restore.PlayerRecord(4, "Ann", "ann", "t" * 64, before))  # fmt: skip
    # the flusher reads the version the Python side packed
    assert sync_engine.run(flush.dirty_clean(game_id, [(4, 6)])) == 0
    assert sync_engine.run(flush.dirty_count(game_id)) == 1

    open_q(sync_engine, game_id, 2)  # round 2: the streak of round 1 goes on
    res = submit_at(sync_redis, game_id, 4, 2, [0], elapsed_ms=100)
    # 500 per correct choice picked (multi-select) + the bonus of a streak of 3
    assert (res.points, res.bonus, res.total, res.streak, res.version) == (700, 200, 5700, 3, 8)
    after = sync_engine.run(flush.stats_all(game_id))[4]
    assert after.correct == 3 and after.best == 3 and after.reached_ms > before.reached_ms

    assert sync_engine.run(ops.kick(game_id, 4)).changed
    assert sync_engine.run(flush.stats_all(game_id))[4] == Stats(
        5700, 3, 2, 3, 3, 9, after.reached_ms, 2, 700, True
    )
    assert sync_engine.run(flush.dirty_clean(game_id, [(4, 9)])) == 1


def test_recorded_answers_both_ways(sync_engine: SyncEngine, sync_redis: Any, game_id: str) -> None:
    now = sync_engine.run(housekeeping.clock())
    open2 = {"state": "open", "round": "2", "opened_ms": str(now), "deadline_ms": str(now + 60_000)}
    snap = _after_question_1(now, **open2)
    snap.meta.update(state="question", q="2", round="2")
    ann = restore.PlayerRecord(1, "Ann", "ann", "a" * 64, Stats(version=1))
    bob = restore.PlayerRecord(2, "Bob", "bob", "b" * 64, Stats(version=1))
    packed = RecordedAnswer([2, 0], 700, 100, True, 1234)
    _restored(sync_engine, game_id, snap, ann, bob, answers=[restore.AnswerRecord(2, 1, packed)])

    # Python packed it, submit_answer reads it as the one-answer guard
    again = sync_engine.run(ops.submit_answer(game_id, 1, 2, [1]))
    assert again.status == "already_answered"
    assert (again.points, again.bonus, again.correct, again.elapsed_ms) == (700, 100, True, 1234)

    # submit_answer packs it, Python reads it
    res = submit_at(sync_redis, game_id, 2, 2, [2, 0], elapsed_ms=3000)
    assert res.ok
    got = sync_engine.run(flush.answers_all(game_id, 2))[2]
    assert got[1] == packed
    assert got[2] == RecordedAnswer([2, 0], res.points, res.bonus, res.correct, res.elapsed_ms)


def test_log_entries_written_by_lua_unpack_in_python(
    sync_engine: SyncEngine, sync_redis: Any, game_id: str
) -> None:
    new_game(sync_engine, game_id, [q(correct=(0, 2))])
    p = join(sync_engine, game_id, "Ann")
    open_q(sync_engine, game_id, 1)
    res = submit_at(sync_redis, game_id, p, 1, [2, 1], elapsed_ms=1500)
    assert res.ok and not res.correct
    assert sync_engine.run(answer_log.group_ensure(game_id))
    (entry,), empty = answer_log.read(sync_engine, game_id, batch=10)
    assert empty == []
    assert (entry.player, entry.question, entry.choices) == (p, 1, "2,1")
    assert entry.elapsed_ms == res.elapsed_ms
    assert (entry.points, entry.bonus, entry.correct) == (res.points, res.bonus, False)
    assert (entry.total, entry.streak, entry.version) == (res.total, res.streak, res.version)
    assert entry.choices_json() == "[2, 1]"


def test_question_and_meta_hashes_both_ways(sync_engine: SyncEngine, game_id: str) -> None:
    questions = [q(), q(correct=(0, 2))]
    new_game(sync_engine, game_id, questions, SETTINGS)
    meta = sync_engine.run(flush.meta_all(game_id))
    created = meta.pop("created_ms")
    assert meta == meta_new(2, SETTINGS)
    by_lua = [sync_engine.run(ops.question_state(game_id, n)) for n in (1, 2)]
    assert by_lua[1] is not None and by_lua[1].public == questions[1].public(2)
    assert (by_lua[1].correct, by_lua[1].limit_ms, by_lua[1].counts) == ({0, 2}, 30_000, [0] * 4)

    # restored from an empty record, the game is the one create_game lays down
    sync_engine.run(housekeeping.delete_game(game_id, 2))
    _restored(sync_engine, game_id, Snapshot({"created_ms": created}, {}))
    again = sync_engine.run(flush.meta_all(game_id))
    assert again == {**meta_new(2, SETTINGS), "created_ms": created, "epoch": "2"}
    assert [sync_engine.run(ops.question_state(game_id, n)) for n in (1, 2)] == by_lua
