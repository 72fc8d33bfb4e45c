"""Client frames: their schemas (pydantic) and the error and close codes.

docs/protocol.md is the human version of this module.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, FiniteFloat, ValidationError

# Close codes
CLOSE_NO_HELLO = 4401
CLOSE_KICKED = 4403
CLOSE_NO_GAME = 4404
CLOSE_FLOOD = 4429
CLOSE_TOO_LARGE = 1009
CLOSE_TRY_AGAIN = 1013  # the token could not be checked (Redis unreachable): reconnect later
CLOSE_REPLACED = 4409
CLOSE_SERVER_ERROR = 1011

HOST_COMMANDS = frozenset(
    {
        "start_question", "close_question", "end_game", "kick", "lock_join", "pause_question",
        "resume_question", "extend_question", "show_leaderboard",
    }
)  # fmt: skip
TEXT_MAX = 200  # an answer's text before the question's own max_length (<= 40) applies


# Client timestamps are echoed: numbers a browser's JSON.parse reads back as
# the same finite number (no NaN, no Infinity, no integer beyond 2**53).
Stamp = Annotated[int, Field(ge=-(2**53), le=2**53)] | FiniteFloat


class _Msg(BaseModel):
    model_config = ConfigDict(extra="ignore", strict=True)


class Hello(_Msg):
    type: Literal["hello"]
    token: Annotated[str, Field(min_length=1, max_length=200)]


class Answer(_Msg):
    """One of ``choices``, ``value``, ``text``, ``order``: the field of the
    question's kind (engine.kinds.FIELD_OF_KIND); the kind's own limits
    (range, grid, length, permutation) are checked against the question."""

    type: Literal["answer"]
    question: Annotated[int, Field(ge=1, le=1000)]
    choices: (
        Annotated[list[Annotated[int, Field(ge=0, le=63)]], Field(min_length=1, max_length=6)]
        | None
    ) = None
    value: Annotated[int, Field(ge=-(2**53), le=2**53)] | FiniteFloat | None = None
    text: Annotated[str, Field(max_length=TEXT_MAX)] | None = None
    order: Annotated[list[Annotated[int, Field(ge=0, le=63)]], Field(max_length=6)] | None = None
    ts: Stamp | None = None

    def given(self) -> tuple[str, Any] | None:
        """(field, value) of the one answer field sent; None for none or several."""
        sent = [(f, getattr(self, f)) for f in ANSWER_FIELDS if getattr(self, f) is not None]
        return sent[0] if len(sent) == 1 else None


ANSWER_FIELDS = ("choices", "value", "text", "order")


class Ping(_Msg):
    type: Literal["ping"]
    ts: Stamp | Annotated[str, Field(max_length=200)] | None = None


class StartQuestion(_Msg):
    type: Literal["start_question"]
    question: Annotated[int, Field(ge=1, le=1000)] | None = None


class Kick(_Msg):
    type: Literal["kick"]
    player: Annotated[int, Field(ge=1, le=2**53)]


class LockJoin(_Msg):
    type: Literal["lock_join"]
    locked: bool = True


class React(_Msg):
    type: Literal["react"]
    # engine.reactions.REACTIONS (a test keeps the two the same)
    reaction: Literal["clap", "fire", "laugh", "wow", "heart", "party"]


class ExtendQuestion(_Msg):
    type: Literal["extend_question"]
    seconds: Annotated[int, Field(ge=1, le=120)]


SCHEMAS: dict[str, type[_Msg]] = {
    "hello": Hello,
    "answer": Answer,
    "ping": Ping,
    "start_question": StartQuestion,
    "kick": Kick,
    "lock_join": LockJoin,
    "extend_question": ExtendQuestion,
    "react": React,
}
BARE = frozenset(
    {
        "resync",
        "close_question",
        "end_game",
        "pause_question",
        "resume_question",
        "show_leaderboard",
    }
)


class Refusal(Exception):
    def __init__(self, code: str, message: str, ref: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.ref = ref


def parse(text: str) -> tuple[str, Any]:
    """(type, validated message) or raise :class:`Refusal`."""
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        # RecursionError: about a thousand nested brackets fit in a frame
        raise Refusal("bad_json", "the frame is not valid JSON") from None
    if not isinstance(data, dict):
        raise Refusal("bad_json", "the frame must be a JSON object")
    if "\\u" in text and not _encodable(data):
        # A \ud800 escape decodes to a lone surrogate: anything echoed from
        # such a frame could not be sent back as UTF-8.
        raise Refusal("bad_request", "the frame holds an unpaired surrogate (\\ud800-\\udfff)")
    kind = data.get("type")
    if not isinstance(kind, str):
        raise Refusal("bad_request", "the frame needs a string field 'type'")
    if kind in BARE:
        return kind, data
    schema = SCHEMAS.get(kind)
    if schema is None:
        raise Refusal("unknown_type", f"unknown message type {kind[:40]!r}", kind[:40])
    try:
        return kind, schema.model_validate(data)
    except ValidationError as e:
        err = e.errors()[0]
        where = ".".join(str(x) for x in err["loc"]) or "frame"
        raise Refusal("bad_request", f"{where}: {err['msg']}", kind) from None


def _encodable(data: Any) -> bool:
    try:
        json.dumps(data, ensure_ascii=False).encode()
    except (UnicodeEncodeError, ValueError, RecursionError):
        return False
    return True


def dumps(obj: Mapping[str, Any]) -> str:
    # allow_nan=False: browsers' JSON.parse refuses NaN and Infinity, so a
    # frame holding them must fail here, loudly, not on the phone.
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def error_frame(code: str, message: str, seq: str, ref: str | None = None) -> str:
    f: dict[str, Any] = {"type": "error", "code": code, "message": message, "seq": seq}
    if ref:
        f["ref"] = ref
    return dumps(f)
