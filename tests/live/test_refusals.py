"""The refusal catalogue (quiz/live/refusals.py), without Redis or a
server: every status an engine script can reply reaches a client as a code
docs/protocol.md documents (or is named as no refusal), and a socket that
saw its game live never hears ``game_finished`` for a game Redis lost."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from engine.scripts import SCRIPTS
from quiz.live import refusals
from quiz.live.refusals import HTTP, NOT_REFUSALS, SOCKET, SOCKET_FOR_FRAME, for_socket
from sockets import messages
from sockets.commands import ROUTES

PROTOCOL = Path(__file__).resolve().parents[2] / "docs" / "protocol.md"


def _script_statuses() -> set[str]:
    """Every first element of a table a script returns: ok and its refusals."""
    found: set[str] = set()
    for s in SCRIPTS.values():
        found |= set(re.findall(r"return \{'(\w+)'", s.source))
    return found - {"ok"}


def _documented_codes() -> set[str]:
    text = PROTOCOL.read_text()
    table = text.split("## Error codes", 1)[1].split("\n## ", 1)[0]
    return set(re.findall(r"^\| `(\w+)` \|", table, re.M))


def test_the_scripts_reply_the_statuses_this_test_knows() -> None:
    # a new refusal in a script must be added to the catalogue (and here)
    assert {"unknown_game", "game_finished", "no_more_questions", "kicked", "retry"} <= (
        _script_statuses()
    )


def test_every_script_status_has_a_place_in_the_catalogue() -> None:
    missing = {
        s
        for s in _script_statuses()
        if s not in SOCKET and s not in HTTP and s not in NOT_REFUSALS and s != "unknown_game"
    }
    assert not missing, f"engine statuses no client could be told: {sorted(missing)}"


def test_every_socket_code_is_documented() -> None:
    documented = _documented_codes()
    assert {"unavailable", "game_finished", "not_host"} <= documented  # the table was parsed
    used = {r.code for r in SOCKET.values()} | {r.code for r in SOCKET_FOR_FRAME.values()}
    assert used <= documented, sorted(used - documented)
    join_only = set(HTTP) - set(SOCKET) - {"unknown_game"}  # joining is HTTP
    for status in _script_statuses() - NOT_REFUSALS - join_only:
        for frame in ("answer", *messages.HOST_COMMANDS):
            code = for_socket(status, frame=frame, seen_finished=False).code
            assert code in documented, (status, frame, code)


def test_http_refusals_are_client_errors_with_their_code() -> None:
    for status, r in HTTP.items():
        assert 400 <= r.status < 500 and r.code == status and r.message
    assert refusals.for_http("join_locked").status == 403
    assert refusals.for_http("game_finished").status == 410


@pytest.mark.parametrize("frame", ["answer", "start_question", "end_game", "kick"])
def test_a_game_redis_lost_is_unavailable_unless_seen_to_end(frame: str) -> None:
    assert for_socket("unknown_game", frame=frame, seen_finished=False).code == "unavailable"
    assert for_socket("unknown_game", frame=frame, seen_finished=True).code == "game_finished"


def test_codes_that_never_change() -> None:
    """Statuses whose code differs from their name, as clients know them."""
    code = {s: for_socket(s, frame="answer", seen_finished=False).code for s in SOCKET}
    assert code["unknown_player"] == "not_allowed"
    assert code["question_open"] == "bad_request"
    assert code["save_pending"] == code["unreachable"] == code["retry"] == "unavailable"
    assert for_socket("unknown_player", frame="kick", seen_finished=False).code == "unknown_player"


def test_every_frame_type_has_a_route_and_host_commands_are_the_hosts() -> None:
    assert set(ROUTES) == set(messages.SCHEMAS) | messages.BARE
    for kind in messages.HOST_COMMANDS:
        assert ROUTES[kind].roles == {"host"}
        assert ROUTES[kind].refused == SOCKET["not_host"]
    assert ROUTES["answer"].roles == {"player"}
    assert ROUTES["hello"].handler is None
