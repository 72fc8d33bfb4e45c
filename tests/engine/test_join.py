"""Join rules: unique nickname ignoring case, capacity, lock, late join,
finished and unknown games."""

from __future__ import annotations

from typing import Any

from engine import Settings, SyncEngine, flush, ops
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
    assert _join(sync_engine, game_id, "late") == "game_started"


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


def test_a_kicked_players_answer_stops_counting_in_answered(sync_engine: Any, game_id: str) -> None:
    """ "Everyone answered" counts the players still in the game: kicking one
    who answered the open question takes their answer out of its count (the
    answer itself stays recorded)."""
    new_game(sync_engine, game_id, [q(), q()])
    a, b, c = (join(sync_engine, game_id, n) for n in ("a", "b", "c"))
    open_q(sync_engine, game_id, 1)
    assert sync_engine.run(ops.submit_answer(game_id, a, 1, [1])).ok
    assert sync_engine.run(ops.submit_answer(game_id, b, 1, [0])).ok
    assert sync_engine.run(ops.kick(game_id, a, 1)).changed
    st, qs = sync_engine.run(ops.snapshot(game_id, 1))
    assert st is not None and qs is not None
    assert (st.players, qs.answered) == (2, 1)  # not "2 of 2": c has not answered
    assert sync_engine.run(ops.kick(game_id, a, 1)).changed is False  # once
    assert sync_engine.run(ops.kick(game_id, c, 1)).changed  # c never answered
    assert sync_engine.run(ops.question_state(game_id, 1)).answered == 1  # type: ignore[union-attr]
    assert sync_engine.run(flush.answers_all(game_id, 1))[1][a].points > 0  # kept
