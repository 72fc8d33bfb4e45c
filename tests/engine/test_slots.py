"""Every script touches only keys of one hash slot, so the engine runs
unchanged on Redis Cluster (docs/engine.md, Key schema): the slot of every key each
script is given, as engine.ops builds the calls for one game."""

from __future__ import annotations

import re
from typing import Any

from redis.crc import key_slot

from engine import Settings, answer_log, flush, housekeeping, keys, ops, restore
from engine.layout import RecordedAnswer, Snapshot, Stats
from engine.ops import Call
from engine.scripts import SCRIPTS

from .util import q

GAME = "slotcheck42"


def _script_calls() -> list[Call]:
    two = [q(), q()]
    op_lists = [
        ops.create_game(GAME, two, Settings()).calls,
        ops.join(GAME, nickname="a", nickname_key="a", token_hash="h").calls,
        ops.open_question(GAME, 2).calls,
        ops.question_start(GAME, 1, 2).calls,
        ops.question_start(GAME, 0, 1).calls,
        ops.close_question(GAME, 2).calls,
        ops.end_game(GAME, 2).calls,
        ops.end_game(GAME, 0).calls,
        ops.kick(GAME, 7).calls,
        ops.pause_question(GAME, 2).calls,
        ops.resume_question(GAME, 2).calls,
        ops.extend_question(GAME, 2, 10).calls,
        ops.show_board(GAME, 2).calls,
        ops.top_texts(GAME, 2).calls,
        ops.lock_join(GAME, True).calls,
        ops.submit_answer(GAME, 7, 2, [1]).calls,
        ops.submit_batch(GAME, 2, [(7, [1]), (8, [0])]).calls,
        ops.top(GAME, 10).calls,
        ops.window(GAME, 7, 3).calls,
        flush.players_read(GAME, [1, 2]).calls,
        flush.stats_read(GAME, [1, 2]).calls,
        flush.dirty_clean(GAME, [(1, 3)]).calls,
        answer_log.group_ensure(GAME).calls,
        answer_log.position(GAME).calls,
        _restore_call(two),
    ]
    return [c for calls in op_lists for c in calls]


def _restore_call(questions: list[Any]) -> list[Call]:
    player = restore.PlayerRecord(7, "a", "a", "h", Stats(version=2))
    answer = restore.AnswerRecord(2, 7, RecordedAnswer([1], 0, 0, False, 10))
    op = restore.restore_game(
        GAME, questions=questions, settings=Settings(), snapshot=Snapshot({}, {}),
        players=[player], answers=[answer],
    )  # fmt: skip
    return list(op.calls)


def test_every_script_gets_keys_of_one_slot() -> None:
    calls = _script_calls()
    covered = {c.script for c in calls}
    # Every game script is checked (release_pin takes the single PIN key).
    assert covered == set(SCRIPTS) - {"release_pin"}
    slot = key_slot(b"{" + GAME.encode() + b"}")
    for c in calls:
        ks = [str(k) for k in c.args[: c.nkeys]]
        assert ks, c.script
        assert {key_slot(k.encode()) for k in ks} == {slot}, (c.script, ks)
    # The PIN script is given exactly one key.
    pin = ops.release_pin("123456", GAME).calls[0]
    assert pin.nkeys == 1


def test_pipelined_reads_and_all_keys_share_the_slot() -> None:
    slot = key_slot(f"g:{{{GAME}}}:meta".encode())
    cmds = [
        *ops.standings(GAME, [1, 2], 1).calls,
        *ops.snapshot(GAME, 1).calls,
        *ops.nicknames(GAME, [1]).calls,
        *ops.all_players(GAME).calls,
        *ops.player_of_token(GAME, "h").calls,
        *flush.dirty_scan(GAME, 0, 10).calls,
        *flush.dirty_count(GAME).calls,
        *flush.tokens_scan(GAME, 0, 10).calls,
        *flush.meta_all(GAME).calls,
        *flush.questions_progress(GAME, 3).calls,
        *flush.board_page(GAME, 0, 10).calls,
        *flush.stats_all(GAME).calls,
        *flush.answers_all(GAME, 3).calls,
        *answer_log.newest(GAME).calls,
        *answer_log.ack(GAME, ["1-0"], batch=10).calls,
        *answer_log.trim_before(GAME, "1-0").calls,
        *answer_log.length(GAME).calls,
        *answer_log.entries_after(GAME, "1-0", "2-0", 10).calls,
        *answer_log.trim_through(GAME, "1-0").calls,
        *answer_log.count_after(GAME, "1-0").calls,
        *housekeeping.delete_game(GAME, 3).calls,
        *housekeeping.expire_game(GAME, 3, 60).calls,
        *housekeeping.games_present([GAME]).calls,
    ]
    assert {key_slot(str(c.args[1]).encode()) for c in cmds} == {slot}
    (read,) = answer_log.deliver(GAME, ">", 10).calls
    assert key_slot(str(read.args[read.args.index("STREAMS") + 1]).encode()) == slot
    assert {key_slot(k.encode()) for k in keys.all_of(GAME, 30)} == {slot}


def test_scripts_only_touch_keys_they_are_given() -> None:
    """A static check of the Lua sources: every key argument of a
    redis.call is a KEYS[...] entry (or a local alias of one)."""
    call = re.compile(r"redis\.p?call\('(\w+)'(?:,\s*([^,)]+))?(?:,\s*([^,)]+))?")
    keyless = {"TIME"}
    subcommand = {"XGROUP", "XINFO"}  # the key comes after the subcommand
    for name, s in SCRIPTS.items():
        aliases = set(re.findall(r"local (\w+) = KEYS\[\d+\]", s.source))
        for cmd, first, second in call.findall(s.source):
            if cmd in keyless:
                continue
            key = (second if cmd in subcommand else first).strip()
            assert key.startswith("KEYS[") or key in aliases, (name, cmd, key)
