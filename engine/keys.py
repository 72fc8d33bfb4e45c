"""The Redis key schema of a game.

Every key of one game carries the hash tag ``{<game_id>}``, so all of a game's
keys live in one hash slot: each Lua script touches one slot, and the engine
runs unchanged on Redis Cluster. The PIN key is the one exception: it maps a
public PIN to a game id and is only ever used alone (SET NX, GET, DEL).
"""

from __future__ import annotations


def _k(game: str, part: str) -> str:
    return f"g:{{{game}}}:{part}"


def meta(game: str) -> str:
    """Hash: state, current question, round, settings, created_ms, epoch."""
    return _k(game, "meta")


def question(game: str, n: int) -> str:
    """Hash: public JSON, correct set, limit, multiplier, times, counts."""
    return _k(game, f"q:{n}")


def answers(game: str, n: int) -> str:
    """Hash: player id -> :class:`engine.layout.RecordedAnswer`; the one-answer guard."""
    return _k(game, f"ans:{n}")


def texts(game: str, n: int) -> str:
    """Sorted set: normalized text -> how many gave it (typed answers and
    word clouds; only texts that may be shown)."""
    return _k(game, f"txt:{n}")


def teams(game: str) -> str:
    """Hash: per team, its members' total ``tot<i>``, members ``mem<i>``
    and a version ``v<i>`` (engine/teams.py)."""
    return _k(game, "teams")


def players(game: str) -> str:
    """Hash: player id -> nickname."""
    return _k(game, "players")


def nicks(game: str) -> str:
    """Hash: case-folded nickname -> player id (the uniqueness index)."""
    return _k(game, "nicks")


def tokens(game: str) -> str:
    """Hash: sha256(token) -> player id."""
    return _k(game, "tokens")


def board(game: str) -> str:
    """Sorted set: player id -> composite score (see :mod:`engine.scoring`)."""
    return _k(game, "board")


def stats(game: str) -> str:
    """Hash: player id -> packed stats (:class:`engine.layout.Stats`)."""
    return _k(game, "stats")


def events(game: str) -> str:
    """Stream: deltas and lifecycle events, trimmed (MAXLEN ~)."""
    return _k(game, "events")


def log(game: str) -> str:
    """Stream: every accepted answer (:class:`engine.layout.LogEntry`), for
    the flusher: read after the position PostgreSQL holds, trimmed up to it."""
    return _k(game, "log")


def dirty(game: str) -> str:
    """Set: players changed since the last flush."""
    return _k(game, "dirty")


def reactions(game: str, second: int) -> str:
    """Hash: reaction -> taps in that second (Unix time), kept a minute
    (engine/reactions.py); not in :func:`all_of`: it expires by itself."""
    return _k(game, f"rx:{second}")


def sync(game: str) -> str:
    """String: the flusher's replication mark, a counter bumped just before a
    flush commits and then WAITed on: a replica that has it has every write
    before it (engine/replication.py)."""
    return _k(game, "sync")


def pin(pin_code: str) -> str:
    """String: PIN -> game id while the game is live."""
    return f"pin:{pin_code}"


def all_of(game: str, n_questions: int) -> list[str]:
    """Every key a game can have, for expiry and deletion."""
    fixed = [meta, players, nicks, tokens, board, stats, events, log, dirty]
    keys = [f(game) for f in fixed]
    for n in range(1, n_questions + 1):
        keys += [question(game, n), answers(game, n)]
    keys += [texts(game, n) for n in range(1, n_questions + 1)]
    keys.append(sync(game))
    keys.append(teams(game))  # last: restore_game.lua finds it as KEYS[#KEYS]
    return keys
