"""The server frames, without a server: each builder's output against its
type, and every type against the TypeScript protocol (frontend/src/lib/
protocol.ts), so a field added, removed or made optional on one side only
fails here rather than on a phone."""

from __future__ import annotations

import re
import types
import typing
from pathlib import Path
from typing import Any, Literal

import pytest

from engine import BoardEntry, GameState, Question, QuestionState, Standing
from engine.layout import RecordedAnswer, Stats
from sockets import frames, snapshot

PROTOCOL_TS = Path(__file__).resolve().parents[2] / "frontend" / "src" / "lib" / "protocol.ts"
CHAIN = {"seq", "prev"}  # stamped on broadcast frames by the audience


def ts_interfaces(text: str) -> dict[str, dict[str, tuple[bool, str]]]:
    """Each exported interface of protocol.ts: field -> (required, its type)."""
    found: dict[str, dict[str, tuple[bool, str]]] = {}
    pattern = r"export interface (\w+)(?: extends ([^{]+))? \{\n(.*?)\n\}"
    for name, parent, body in re.findall(pattern, text, re.S):
        fields: dict[str, tuple[bool, str]] = {}
        parent = parent.strip()
        if parent:
            base = re.fullmatch(r"Omit<(\w+), (.+)>|(\w+)", parent)
            assert base, f"{name} extends {parent}: the test cannot read it"
            fields.update(found[base[1] or base[3]])
            for dropped in re.findall(r"'(\w+)'", base[2] or ""):
                del fields[dropped]
        for key, optional, kind in re.findall(r"^  (\w+)(\?)?: (.+);$", body, re.M):
            fields[key] = (not optional, kind)
        found[name] = fields
    return found


def ts_union(text: str, name: str) -> set[str]:
    m = re.search(rf"export type {name} =((?:\s*\|\s*\w+)+);", text)
    assert m, name
    return set(re.findall(r"\w+", m[1]))


def ts_kinds(kind: str) -> set[str]:
    """The JSON kinds a TS type allows: number, string, boolean, null, array, object."""
    out = set()
    for part in (p.strip() for p in kind.split("|")):
        if part in ("number", "string", "boolean", "null"):
            out.add(part)
        elif part.endswith("[]"):
            out.add("array")
        elif part.startswith("'") or part in STRING_ALIASES:
            out.add("string")
        else:
            out.add("object")  # an interface
    return out


def py_kinds(tp: Any) -> set[str]:
    if isinstance(tp, types.UnionType) or typing.get_origin(tp) is typing.Union:
        return set().union(*(py_kinds(a) for a in typing.get_args(tp)))
    if tp is type(None):
        return {"null"}
    if typing.get_origin(tp) is Literal:
        return {"string"}
    simple = {bool: "boolean", int: "number", float: "number", str: "string"}
    if tp in simple:
        return {simple[tp]}
    return {"array"} if typing.get_origin(tp) is list else {"object"}


STRING_ALIASES = {"Role", "GameStateName"}


def required(td: Any) -> set[str]:
    return set(td.__required_keys__)


def keys(td: Any) -> set[str]:
    return set(td.__required_keys__ | td.__optional_keys__)


# TS interface -> the Python types of every shape the server sends under it,
# and the keys added on the way out (seq and prev on broadcast frames).
SHAPES: dict[str, tuple[list[Any], set[str]]] = {
    "Entry": ([frames.Entry], set()),
    "PlayerRef": ([frames.PlayerRef], set()),
    "GameInfo": ([snapshot.WelcomeGame], set()),
    "QuestionFrame": ([frames.QuestionFrame], CHAIN),
    "WelcomeQuestion": ([snapshot.WelcomeQuestion], set()),
    "YourAnswer": ([snapshot.YourAnswer], set()),
    "YouInfo": ([snapshot.You], set()),
    "LeaderboardInfo": ([snapshot.WelcomeBoard], set()),
    "WelcomeFrame": ([snapshot.Welcome], set()),
    "AnswerAckFrame": ([frames.AnswerAck], set()),
    "QuestionClosedFrame": ([frames.QuestionClosed, frames.QuestionClosedMine], CHAIN),
    "LeaderboardFrame": ([frames.Leaderboard, frames.LeaderboardHost], CHAIN),
    "PlayersFrame": ([frames.Players], CHAIN),
    "GameOverFrame": ([frames.GameOver, frames.GameOverMine], CHAIN),
    "SavedFrame": ([frames.Saved], set()),
    "KickedFrame": ([frames.Kicked], set()),
    "PongFrame": ([frames.Pong], set()),
    "ErrorFrame": ([frames.Error], set()),
    "ResyncFrame": ([frames.Resync], CHAIN),
    "QuestionPausedFrame": ([frames.QuestionPaused], CHAIN),
    "QuestionResumedFrame": ([frames.QuestionResumed], CHAIN),
    "QuestionExtendedFrame": ([frames.QuestionExtended], CHAIN),
    "ShowLeaderboardFrame": ([frames.ShowLeaderboard], CHAIN),
    "ReactionsFrame": ([frames.Reactions], set()),
}


def test_every_typescript_interface_has_the_python_fields() -> None:
    text = PROTOCOL_TS.read_text()
    ts = ts_interfaces(text)
    problems = [f"{n}: only in TS" for n in set(ts) - set(SHAPES)]
    problems += [f"{n}: not in TS" for n in set(SHAPES) - set(ts)]
    if ts_union(text, "ServerFrame") != {n for n in SHAPES if n.endswith("Frame")}:
        problems.append("ServerFrame: not the union of the *Frame interfaces")
    for name, (variants, added) in SHAPES.items():
        if name not in ts:
            continue
        py_keys = set().union(*(keys(v) for v in variants)) | added
        always = set.intersection(*(required(v) for v in variants)) | added
        if set(ts[name]) - py_keys:
            problems.append(f"{name}: never sent: {sorted(set(ts[name]) - py_keys)}")
        if py_keys - set(ts[name]):
            problems.append(f"{name}: missing in TS: {sorted(py_keys - set(ts[name]))}")
        # TypeScript may be lenient, never stricter than what is always sent
        strict = {k for k, (req, _) in ts[name].items() if req} - always
        if strict:
            problems.append(f"{name}: required in TS, not always sent: {sorted(strict)}")
        hints: dict[str, Any] = {}
        for v in variants:
            hints.update(typing.get_type_hints(v))
        for key, (_, kind) in ts[name].items():
            if key in hints and ts_kinds(kind) != py_kinds(hints[key]):
                problems.append(f"{name}.{key}: TS {kind}, Python {hints[key]}")
    assert not problems, "\n".join(sorted(problems))


def test_every_python_frame_type_is_known_to_typescript() -> None:
    """A new frame type in Python must get its TS interface (and a place in SHAPES)."""
    mapped = {id(v) for variants, _ in SHAPES.values() for v in variants}
    typed = [
        obj
        for mod in (frames, snapshot)
        for obj in vars(mod).values()
        if isinstance(obj, type) and hasattr(obj, "__required_keys__")
    ]
    assert typed and all(id(t) in mapped or _is_piece(t) for t in typed)


# Parts of frames, never sent alone: TS types them as aliases (the frame's
# field checks see them as objects)
PIECES = (
    frames.QuestionPublic, frames.SliderBucket, frames.TextCount, frames.RightWrong,
    frames.SliderAnswer, frames.Accepted, frames.Order, snapshot.AutoAdvance, frames.TeamEntry,
    frames._TeamPlace, snapshot.Brand,
)  # fmt: skip


def _is_piece(t: Any) -> bool:
    return t in PIECES


# --- the builders, from real engine values ---------------------------------

QUESTION = Question("Capital of France?", ["Paris", "Rome", "Oslo"], {0}, 20, 2, None)


def q_state(state: str = "open") -> QuestionState:
    return QuestionState(
        number=1, state=state, public=QUESTION.public(1), correct={0}, limit_ms=20_000,
        multiplier=2, round=1, opened_ms=1_000, deadline_ms=21_000, answered=2, counts=[2, 0, 0],
    )  # fmt: skip


def game_state(reveal: str = "live") -> GameState:
    return GameState(
        game="g1", state="question", question=1, round=1, n_questions=3, created_ms=0, epoch=1,
        players=3, reveal=reveal, max_players=0, late_join=True, join_locked=False, title="T",
        host_token_hash="", screen_token_hash="",
    )  # fmt: skip


STANDING = Standing(
    player=7, score=950, rank=1, stats=Stats(total=950, correct=1, version=2),
    answer=RecordedAnswer([0], 950, 150, True, 1_200),
)  # fmt: skip
BOARD = [BoardEntry(7, "Ann", 950, 1), BoardEntry(8, "Bo", 0, 2)]


def conforms(frame: dict[str, Any], td: Any) -> None:
    assert required(td) <= set(frame) <= keys(td), td.__name__


def test_question_frame_carries_what_players_may_see_and_never_the_answer() -> None:
    f = frames.question(q_state(), server_ms=5_000)
    conforms(dict(f), frames.QuestionFrame)
    # every public field of the engine's question reaches the phone
    assert set(QUESTION.public(1)) <= set(f)
    assert "correct" not in f and f["server_ms"] == 5_000 and f["deadline_ms"] == 21_000


def test_close_and_game_over_frames_common_and_personal() -> None:
    st, q = game_state(), q_state("closed")
    common = frames.question_closed(q, st)
    conforms(dict(common), frames.QuestionClosed)
    assert (common["correct"], common["answered"], common["players"]) == ([0], 2, 3)
    mine = frames.question_closed_mine(common, STANDING, st, q)
    conforms(dict(mine), frames.QuestionClosedMine)
    assert (mine["choices"], mine["points"], mine["bonus"], mine["rank"]) == ([0], 950, 150, 1)
    assert "choices" not in common  # the personal frame is a new dict
    over = frames.game_over(BOARD, st)
    conforms(dict(over), frames.GameOver)
    conforms(dict(frames.game_over_mine(over, STANDING)), frames.GameOverMine)
    assert frames.game_over(BOARD, None)["players"] == 0


def test_leaderboard_players_resync_and_kicked_frames() -> None:
    st, q = game_state(), q_state()
    top = frames.entries(BOARD)
    assert top[0] == {"player": 7, "nickname": "Ann", "score": 950, "rank": 1}
    board = frames.leaderboard(1, top, st, q, 9_000)
    conforms(dict(board), frames.Leaderboard)
    host = frames.leaderboard_host(board, q)
    conforms(dict(host), frames.LeaderboardHost)
    assert host["distribution"] == [2, 0, 0] and "distribution" not in board
    roster = frames.players([7, 8], ["Ann", "Bo"], [9], st)
    conforms(dict(roster), frames.Players)
    assert roster["joined"] == [{"player": 7, "nickname": "Ann"}, {"player": 8, "nickname": "Bo"}]
    conforms(dict(frames.resync("rebuilt")), frames.Resync)
    conforms(dict(frames.kicked("5-0")), frames.Kicked)


@pytest.mark.parametrize("state", ["open", "closed"])
def test_welcome_pieces(state: str) -> None:
    conforms(dict(snapshot.welcome_game("g1", "123456", game_state())), snapshot.WelcomeGame)
    conforms(dict(snapshot.welcome_game("g1", "123456", None)), snapshot.WelcomeGame)
    wq = snapshot.welcome_question(q_state(state), [])
    conforms(dict(wq), snapshot.WelcomeQuestion)
    assert ("correct" in wq) == (state == "closed")
    # the welcome's question is the question frame's, without the clock
    assert set(frames.question(q_state(), 0)) - {"type", "server_ms"} <= set(wq)
