"""The live feed for broadcast graphics: ``GET /api/games/<pin>/live``.

A graphics tool (OBS browser source, vMix data source, a CasparCG
template) polls the current question, its answered count, the
distribution (after the close, or live for polls), the top 10 and the team
board. Thousands of such pollers must cost Redis no more than one: each
server process keeps, per PIN, the last body it built and reads Redis again
at most every :data:`REFRESH_S` (250 ms), in one round trip (the PIN, the
game state and the question (``ops.snapshot``), ``ops.top(10)``,
``ops.team_counts``, and for a typed-answer or word-cloud question its top
texts). Concurrent requests share one read (single flight): the first
request past the interval starts the read as a task of its own, and every
request until it is done awaits that task. The body is serialized once per
read and sent as the same bytes to every poller.

A second round trip follows only when the game moved to another question
since the last read (the question's number names its key), when a typed
answer's question is first seen closed (its texts), or when the PIN points
at another game.

Like the screens' frames (docs/protocol.md), in ``on_close`` reveal the top
and the team board hold still while a question is open: the feed keeps the
ones it read before the question opened (empty when this process first
reads the game in the middle of such a question).

Authorization: the game's screen token (or its host token) in the header
``Authorization: Screen <token>``, compared by SHA-256 with the hashes of
the game's meta (engine.auth) as last read, so a request never reaches
Redis by itself.
"""

from __future__ import annotations

import asyncio
import json
import re
import time
from dataclasses import dataclass, field
from typing import Any

from engine import BoardEntry, GameState, QuestionState, kinds, ops, teams
from engine.auth import token_matches
from engine.types import TEXT_KINDS
from quiz.redis import async_engine

from . import ServiceError
from .authorization import token_of

REFRESH_S = 0.25  # at most one Redis read per PIN per process per interval
TOP_N = 10
MAX_FEEDS = 10_000  # PINs cached per process; the least recently asked go first
_PIN_RE = re.compile(r"^[0-9]{6}$")
_SCHEME = "screen"


@dataclass(slots=True)
class Feed:
    """One PIN's cached feed in this process."""

    pin: str
    game: str | None = None  # the game id the PIN pointed at on the last read
    state: GameState | None = None
    question: QuestionState | None = None
    body: bytes = b""  # the serialized response, built once per read
    read_at: float = -1e9  # monotonic time of the last read
    asked_at: float = 0.0  # monotonic time of the last request (eviction)
    top: list[dict[str, Any]] = field(default_factory=list)  # held in on_close reveal
    teams: list[dict[str, Any]] | None = None
    inflight: asyncio.Task[None] | None = None  # the read under way, shared
    reads: int = 0  # round trips to Redis


def _entry(e: BoardEntry) -> dict[str, Any]:
    return {"player": e.player, "nickname": e.nickname, "score": e.score, "rank": e.rank}


def _team_board(st: GameState, counts: dict[str, int]) -> list[dict[str, Any]] | None:
    if not st.teams:
        return None
    return [t.entry() for t in teams.standings(st.team_names, st.team_score, counts)]


def distribution(q: QuestionState | None, texts: list[tuple[str, int]] | None) -> Any:
    """After the close as in ``question_closed`` (docs/protocol.md); while a
    poll is open its live counts; otherwise null (a choice question's counts
    would tell the crowd which answer is winning)."""
    if q is None:
        return None
    if q.state != "closed":
        return list(q.counts) if q.kind == "poll" and q.state == "open" else None
    return kinds.distribution(q, texts or [])


def _question(q: QuestionState | None) -> dict[str, Any] | None:
    if q is None:
        return None
    return {
        "question": q.number,
        "kind": q.kind,
        "text": q.public.get("text", ""),
        "state": q.state,
        "answered": q.answered,
        "deadline_ms": q.deadline_ms,
        "paused": q.paused,
    }


class LiveFeeds:
    """The feeds of one event loop (one per server process)."""

    def __init__(self, refresh_s: float = REFRESH_S) -> None:
        self.refresh_s = refresh_s
        self.feeds: dict[str, Feed] = {}

    async def get(self, pin: str) -> Feed:
        """The PIN's feed, read from Redis unless read in the last interval."""
        now = time.monotonic()
        feed = self.feeds.get(pin)
        if feed is None:
            self._evict()
            feed = self.feeds[pin] = Feed(pin)
        feed.asked_at = now
        if now - feed.read_at < self.refresh_s:
            return feed
        if feed.inflight is None:
            # The read runs as a task of its own: a poller that goes away
            # (its request cancelled) does not cancel it for the others.
            task = asyncio.ensure_future(_read(feed))
            task.add_done_callback(lambda t: _done(feed, t))
            feed.inflight = task
        await asyncio.shield(feed.inflight)
        return feed

    def _evict(self) -> None:
        if len(self.feeds) < MAX_FEEDS:
            return
        idle = sorted(self.feeds.values(), key=lambda f: f.asked_at)
        for f in idle[: max(1, len(idle) // 10)]:
            if f.inflight is None:
                del self.feeds[f.pin]


def _done(feed: Feed, task: asyncio.Task[None]) -> None:
    feed.inflight = None
    if not task.cancelled():
        task.exception()  # retrieved here too: its waiters may all have gone


async def _read(feed: Feed) -> None:
    eng = async_engine()
    if feed.game is None:
        feed.reads += 1
        feed.game = await eng.run(ops.game_of_pin(feed.pin))
        if feed.game is None:
            _store(feed, None, None, [], {}, None)
            return
    st: GameState | None = None
    q: QuestionState | None = None
    top: list[BoardEntry] = []
    counts: dict[str, int] = {}
    texts: list[tuple[str, int]] | None = None
    for _ in range(3):
        gid = feed.game
        n = feed.question.number if feed.question is not None else 0
        if feed.state is not None and feed.state.question != n:
            n = feed.state.question
        with_texts = feed.question is not None and feed.question.kind in TEXT_KINDS
        feed.reads += 1
        pin_gid, (st, q), top, counts, *rest = await eng.run(
            ops.combine(
                ops.game_of_pin(feed.pin),
                ops.snapshot(gid, n),
                ops.top(gid, TOP_N),
                ops.team_counts(gid),
                *([ops.top_texts(gid, n)] if with_texts else []),
            )
        )
        texts = rest[0] if rest else None
        if pin_gid != gid:
            # the PIN was released (the game is over and gone) or reused
            feed.game, feed.state, feed.question = pin_gid, None, None
            feed.top, feed.teams = [], None
            if pin_gid is None:
                _store(feed, None, None, [], {}, None)
                return
            continue
        if st is not None and st.question != n:
            feed.state, feed.question = st, None  # another question: read it by its number
            continue
        if q is not None and q.kind in TEXT_KINDS and q.state == "closed" and not with_texts:
            feed.question = q  # a closed typed-answer question seen first: read its texts
            continue
        break
    _store(feed, st, q, top, counts, texts)


def _store(
    feed: Feed,
    st: GameState | None,
    q: QuestionState | None,
    top: list[BoardEntry],
    counts: dict[str, int],
    texts: list[tuple[str, int]] | None,
) -> None:
    feed.state, feed.question = st, q
    feed.read_at = time.monotonic()
    if st is None:
        feed.body = b""
        return
    if not (st.reveal == "on_close" and q is not None and q.state == "open"):
        feed.top = [_entry(e) for e in top]
        feed.teams = _team_board(st, counts)
    body = {
        "game": st.game,
        "pin": feed.pin,
        "title": st.title,
        "state": st.state,
        "n_questions": st.n_questions,
        "question": _question(q),
        "players": st.players,
        "distribution": distribution(q, texts),
        "top": feed.top,
        "teams": feed.teams,
        "server_ms": int(time.time() * 1000),
    }
    feed.body = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()


_feeds: dict[int, LiveFeeds] = {}


def feeds() -> LiveFeeds:
    """The feeds of the running event loop (one live loop per process)."""
    loop = asyncio.get_running_loop()
    f = _feeds.get(id(loop))
    if f is None:
        _feeds.clear()  # drop the feeds of closed loops
        f = _feeds[id(loop)] = LiveFeeds()
    return f


async def live_feed(*, pin: str, authorization: str | None) -> bytes:
    """The feed's JSON body for a request with this ``Authorization`` header.

    Raises ``unknown_game`` (404) for a PIN with no live game and
    ``unauthorized`` (401) without the game's screen or host token."""
    if not _PIN_RE.match(pin):
        raise ServiceError("unknown_game", "no game with this PIN", status=404)
    feed = await feeds().get(pin)
    st = feed.state
    if st is None or not feed.body:
        raise ServiceError("unknown_game", "no game with this PIN", status=404)
    token = token_of(authorization, _SCHEME)
    if token is None or not (
        token_matches(token, st.screen_token_hash) or token_matches(token, st.host_token_hash)
    ):
        raise ServiceError(
            "unauthorized",
            "send the game's screen token: Authorization: Screen <token>",
            status=401,
        )
    return feed.body
