"""Every script touches only keys of one hash slot, so the engine runs
unchanged on Redis Cluster (DESIGN section 4): the slot of every key each
script is given, as engine.ops builds the calls for one game."""

from __future__ import annotations

import re

from redis.crc import key_slot

from engine import Settings, keys, ops
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
        ops.close_question(GAME, 2).calls,
        ops.end_game(GAME, 2).calls,
        ops.end_game(GAME, 0).calls,
        ops.kick(GAME, 7).calls,
        ops.lock_join(GAME, True).calls,
        ops.submit_answer(GAME, 7, 2, [1]).calls,
        ops.top(GAME, 10).calls,
        ops.window(GAME, 7, 3).calls,
    ]
    return [c for calls in op_lists for c in calls]


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
    ]
    assert {key_slot(str(c.args[1]).encode()) for c in cmds} == {slot}
    assert {key_slot(k.encode()) for k in keys.all_of(GAME, 30)} == {slot}


def test_scripts_only_touch_keys_they_are_given() -> None:
    """A static check of the Lua sources: every key argument of a
    redis.call is a KEYS[...] entry (or a local alias of one)."""
    call = re.compile(r"redis\.call\('(\w+)'(?:,\s*([^,)]+))?")
    keyless = {"TIME"}
    for name, s in SCRIPTS.items():
        aliases = set(re.findall(r"local (\w+) = KEYS\[\d+\]", s.source))
        for cmd, first in call.findall(s.source):
            if cmd in keyless:
                continue
            first = first.strip()
            assert first.startswith("KEYS[") or first in aliases, (name, cmd, first)
