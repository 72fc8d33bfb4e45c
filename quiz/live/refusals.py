"""One catalogue of refusals: what a client is told when the engine (or a
live action) says no.

Keys are statuses: the refusals the Lua scripts reply (``engine/lua/*.lua``,
"Refusals:" in each header) and the few that live actions and the WebSocket
consumers add. Values are the stable protocol codes of docs/protocol.md
("Error codes") with a message for a human, and for HTTP the status too.
Codes are a contract: never rename one. ``tests/quiz/test_refusals.py``
checks that every status a script can reply is here and every code is
documented.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Refusal:
    code: str  # stable: docs/protocol.md, "Error codes"
    message: str  # for a human; may change


@dataclass(frozen=True, slots=True)
class HttpRefusal:
    status: int
    code: str
    message: str


# Over WebSocket, by status (the error frame's code and message).
SOCKET: dict[str, Refusal] = {
    "not_open": Refusal("not_open", "the question is not open"),
    "too_late": Refusal("too_late", "too late: the question has closed"),
    "already_answered": Refusal("already_answered", "you already answered this question"),
    "wrong_question": Refusal("wrong_question", "that is not the current question"),
    "bad_choice": Refusal("bad_choice", "a choice is out of range, repeated, or missing"),
    "bad_value": Refusal("bad_value", "that answer is not valid for this question"),
    "no_answers": Refusal("no_answers", "this slide takes no answers"),
    "paused": Refusal("paused", "the question is paused"),
    "not_paused": Refusal("not_paused", "the question is not paused"),
    # the answer frame lacks its kind's field (or has several)
    "bad_request": Refusal("bad_request", "send the answer field of this question's kind"),
    "game_finished": Refusal("game_finished", "the game has ended"),
    "already_played": Refusal("already_played", "that question was already played"),
    "no_more_questions": Refusal("no_more_questions", "that was the last question"),
    # the sender is no player of the game (its id is not in the game's stats)
    "unknown_player": Refusal("not_allowed", "you are not a player of this game"),
    "question_open": Refusal("bad_request", "another question is open"),
    # a game Redis lost (restarted empty) until rebuild_game restores it
    "unavailable": Refusal("unavailable", "the game store lost this game for now; retry"),
    # the game kept moving under an action past its retries
    "retry": Refusal("unavailable", "the game is changing too fast; retry"),
    # the game ended but its results are not in PostgreSQL yet
    "save_pending": Refusal("unavailable", "results not saved yet; the flusher retries"),
    # raised, not replied: Redis unreachable (engine.EngineUnavailable)
    "unreachable": Refusal("unavailable", "the game store is unreachable; retry"),
    # who may send which frame (sockets/commands.py)
    "not_host": Refusal("not_host", "only the host can do that"),
    "not_player": Refusal("not_allowed", "only players answer and react"),
    "already_authenticated": Refusal("bad_request", "already authenticated"),
}

# The same status meaning something else for one frame type: a kick's
# unknown player is its target, not the sender.
SOCKET_FOR_FRAME: dict[tuple[str, str], Refusal] = {
    ("kick", "unknown_player"): Refusal("unknown_player", "no such player in this game"),
    # the host's show_leaderboard with no closed question (auto-advance's
    # own "not_closed" is a step already past: no refusal)
    ("show_leaderboard", "not_closed"): Refusal(
        "not_closed", "no closed question: the leaderboard shows between questions"
    ),
}

# Over HTTP (``{"error": code, "message": ...}``): joining a game by PIN.
HTTP: dict[str, HttpRefusal] = {
    "nickname_taken": HttpRefusal(409, "nickname_taken", "this nickname is taken in this game"),
    "game_full": HttpRefusal(409, "game_full", "this game is full"),
    "join_locked": HttpRefusal(403, "join_locked", "this game does not take new players now"),
    "game_started": HttpRefusal(
        403, "game_started", "this game has already started and takes no late players"
    ),
    "game_finished": HttpRefusal(410, "game_finished", "this game is over"),
    "unknown_game": HttpRefusal(404, "unknown_game", "no game with this PIN"),
    "bad_team": HttpRefusal(400, "bad_team", "no such team in this game"),
}

# Statuses a script replies that no client is refused with: create_game's
# replay ("exists", an ok), restore_game's refusal (rebuild_game, a command
# line), "kicked" (the socket closes with 4403 instead of an error), and the
# clock's own: an automatic close that no longer applies ("not_due") and an
# auto-advance step already past ("not_closed").
NOT_REFUSALS = frozenset({"exists", "game_exists", "kicked", "not_due", "not_closed"})


def for_socket(status: str, *, frame: str, seen_finished: bool) -> Refusal:
    """The error a WebSocket client gets for ``status`` refusing its
    ``frame``. A game Redis does not have (``unknown_game``) that this
    socket saw live was lost by Redis and comes back with rebuild_game, so
    ``unavailable``; only a game seen to finish is ``game_finished``."""
    if status == "unknown_game":
        status = "game_finished" if seen_finished else "unavailable"
    found = SOCKET_FOR_FRAME.get((frame, status)) or SOCKET.get(status)
    # A status missing here is a bug the catalogue test catches; the client
    # still gets a code rather than nothing.
    return found or Refusal(status, status.replace("_", " "))


def for_http(status: str) -> HttpRefusal:
    return HTTP.get(status) or HttpRefusal(409, status, status.replace("_", " "))
