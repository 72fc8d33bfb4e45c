"""Join rules: unique nickname ignoring case, capacity, lock, late join,
finished and unknown games."""

from __future__ import annotations

from engine import Settings, SyncEngine, ops
from engine.auth import hash_token

from .util import join, new_game, open_q, q


def _join(eng: SyncEngine, game: str, nick: str) -> str:
    op = ops.join(game, nickname=nick, nickname_key=nick.casefold(), token_hash=hash_token(nick))
    return eng.run(op).status


def test_join_numbers_players_and_counts(sync_engine: SyncEngine, game_id: str) -> None:
    new_game(sync_engine, game_id, [q()])
    assert [join(sync_engine, game_id, n) for n in ("Ana", "Bo", "Cy")] == [1, 2, 3]
    gs = sync_engine.run(ops.game_state(game_id))
    assert gs is not None and gs.players == 3
    assert sync_engine.run(ops.all_players(game_id)) == {1: "Ana", 2: "Bo", 3: "Cy"}
    assert sync_engine.run(ops.player_of_token(game_id, hash_token("tok-Bo"))) == 2


def test_nickname_taken_ignores_case(sync_engine: SyncEngine, game_id: str) -> None:
    new_game(sync_engine, game_id, [q()])
    assert _join(sync_engine, game_id, "Straße") == "ok"
    assert _join(sync_engine, game_id, "STRASSE") == "nickname_taken"  # casefold: strasse
    assert _join(sync_engine, game_id, "straße") == "nickname_taken"
    assert _join(sync_engine, game_id, "Strasse2") == "ok"


def test_game_full(sync_engine: SyncEngine, game_id: str) -> None:
    new_game(sync_engine, game_id, [q()], Settings(max_players=2))
    assert [_join(sync_engine, game_id, n) for n in ("a", "b", "c")] == ["ok", "ok", "game_full"]
    # A kicked player frees a place.
    assert sync_engine.run(ops.kick(game_id, 1)).changed
    assert _join(sync_engine, game_id, "c") == "ok"


def test_late_join_on_and_off(sync_engine: SyncEngine, game_id: str) -> None:
    new_game(sync_engine, game_id, [q()], Settings(late_join=False))
    assert _join(sync_engine, game_id, "early") == "ok"
    open_q(sync_engine, game_id, 1)
    assert _join(sync_engine, game_id, "late") == "join_locked"


def test_late_join_allowed_by_default(sync_engine: SyncEngine, game_id: str) -> None:
    new_game(sync_engine, game_id, [q()])
    open_q(sync_engine, game_id, 1)
    assert _join(sync_engine, game_id, "late") == "ok"


def test_finished_and_unknown_game(sync_engine: SyncEngine, game_id: str) -> None:
    new_game(sync_engine, game_id, [q()])
    assert _join(sync_engine, game_id, "a") == "ok"
    assert sync_engine.end_game(game=game_id).changed
    assert _join(sync_engine, game_id, "b") == "game_finished"
    assert _join(sync_engine, game_id + "x", "b") == "unknown_game"
