"""Games: open one from a quiz, and read a live game's public state.

Opening snapshots the quiz document into the Game row, lays the questions
down in Redis (from then on the hot path never reads PostgreSQL) and
claims a 6-digit PIN that is unique among live games (SET NX, retried on
collision). The host and screen tokens are derived from SECRET_KEY, the
game's key and a random seed of its row (quiz.services.host_keys), so its
owner can get them again from another tab or device; only their SHA-256 is
stored.
"""

from __future__ import annotations

import contextlib
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pydantic
from django.conf import settings
from django.contrib.auth.models import User
from django.db.models import Count
from django.utils import timezone

from engine import GameState, QuestionState, Settings, housekeeping, ops
from engine.auth import hash_token
from quiz.documents import document_parse, engine_questions
from quiz.live import actions, clock, refusals
from quiz.models import Game, HostWebhook, new_game_key
from quiz.redis import async_engine, sync_engine
from quiz.webhooks.urls import url_check

from . import ServiceError
from .brand import brand_logo, brand_of
from .host_keys import derived_token, new_seed
from .quizzes import quiz_document, quiz_get

PIN_ATTEMPTS = 100
HOST_DEFAULT = object()  # game_open's webhook: the host's default
_PIN_RE = re.compile(r"^[0-9]{6}$")


@dataclass(frozen=True, slots=True)
class OpenedGame:
    game: Game
    host_token: str
    screen_token: str


def _pin_new() -> str:
    # 100000-999999: no leading zero for people to drop, and "000000"
    # stays free as a PIN that never exists.
    return str(100_000 + secrets.randbelow(900_000))


def play_settings(game: Game) -> Settings:
    """The engine's settings of a game row (creation and rebuild_game)."""
    auto = game.auto_advance or {}
    teams = game.teams or {}
    return Settings(
        reveal=game.reveal,
        max_players=game.max_players,
        late_join=game.late_join,
        host_token_hash=game.host_token_hash,
        screen_token_hash=game.screen_token_hash,
        title=game.title,
        auto_reveal_s=auto.get("reveal_s", 0),
        auto_board_s=auto.get("leaderboard_s", 0),
        team_names=list(teams.get("names", [])),
        team_mode=teams.get("mode", ""),
        team_score=teams.get("score", "sum"),
        names=game.names,
        accent=game.accent,
        logo=game.logo,
    )


def game_open(
    *,
    host: User,
    quiz_id: int,
    reveal: str = Game.Reveal.ON_CLOSE,
    max_players: int,
    late_join: bool = True,
    auto_advance: dict[str, int] | None = None,
    teams: dict[str, Any] | None = None,
    webhook: dict[str, str] | None | object = HOST_DEFAULT,
    names: str = Game.Names.OFF,
) -> OpenedGame:
    """``webhook``: {"url", "secret"}, None (no webhook), or HOST_DEFAULT (the
    host's HostWebhook if any). Refused ``bad_webhook_url`` (400) per
    quiz.webhooks.urls."""
    quiz = quiz_get(owner=host, quiz_id=quiz_id)
    hook_url, hook_secret = "", ""
    if webhook is HOST_DEFAULT:
        default = HostWebhook.objects.filter(host=host).first()
        if default is not None:
            hook_url, hook_secret = default.url, default.secret
    elif isinstance(webhook, dict):
        hook_url, hook_secret = url_check(webhook["url"]), webhook.get("secret", "")
    document = quiz_document(quiz=quiz)
    try:
        # a quiz edited in the admin may break the document rules
        document_parse(document)
    except pydantic.ValidationError as e:
        raise ServiceError(
            "validation_error", f"this quiz cannot be played: {e.errors()[0]['msg']}"
        ) from e
    key, seed = new_game_key(), new_seed()
    host_token, screen_token = derived_token(key, seed, "host"), derived_token(key, seed, "screen")
    # The row first (its id names the Redis keys), then Redis, then the PIN:
    # a PIN never points at a game that is not fully laid down.
    game = Game.objects.create(
        key=key,
        token_seed=seed,
        quiz=quiz,
        host=host,
        title=document["title"],
        document=document,
        pin="",
        reveal=reveal,
        max_players=max_players,
        late_join=late_join,
        auto_advance=auto_advance,
        teams=teams,
        host_token_hash=hash_token(host_token),
        screen_token_hash=hash_token(screen_token),
        webhook_url=hook_url,
        webhook_secret=hook_secret,
        names=names,
        # the brand as it is now, like the questions: a later change of the
        # quiz's logo or colour never reaches a game already open
        accent=quiz.accent,
        logo=brand_logo(quiz=quiz),
    )
    gid = game.key
    eng = sync_engine()
    try:
        eng.run(
            ops.create_game(
                gid,
                engine_questions(document),
                play_settings(game),
            )
        )
        for _ in range(PIN_ATTEMPTS):
            pin = _pin_new()
            if eng.run(ops.claim_pin(pin, gid)):
                break
        else:
            raise ServiceError("unavailable", "no free game PIN, retry in a moment", status=503)
    except BaseException:
        # Leave nothing half-made behind: no row and no keys without a PIN.
        with contextlib.suppress(Exception):  # Redis may be the one that failed
            eng.run(housekeeping.delete_game(gid, len(document["questions"])))
        game.delete()
        raise
    game.pin = pin
    game.save(update_fields=["pin"])
    return OpenedGame(game=game, host_token=host_token, screen_token=screen_token)


async def _ended_recently(pin: str) -> bool:
    """Whether a game with this PIN ended within STADIUM_FINISHED_TTL_S (the
    time Redis keeps a saved game's keys). Its PIN is freed for new games
    at the save, so Redis no longer knows it; PostgreSQL does (pin is
    indexed). Only asked when Redis has no game for the PIN."""
    since = timezone.now() - timedelta(seconds=settings.STADIUM["FINISHED_TTL_S"])
    return await Game.objects.filter(pin=pin, finished__gte=since).aexists()


async def game_live(*, pin: str) -> GameState:
    """The live game behind a PIN. Raises ``unknown_game`` (404), or
    ``game_finished`` (410) for a PIN whose game ended lately: a player
    told "no game with that PIN" would think they mistyped it."""
    if not _PIN_RE.match(pin):
        raise ServiceError("unknown_game", "no game with this PIN", status=404)
    eng = async_engine()
    gid = await eng.run(ops.game_of_pin(pin))
    state = None if gid is None else await eng.run(ops.game_state(gid))
    if state is None:
        if await _ended_recently(pin):
            no = refusals.for_http("game_finished")
            raise ServiceError(no.code, no.message, status=no.status)
        raise ServiceError("unknown_game", "no game with this PIN", status=404)
    return state


async def game_public(*, pin: str) -> dict[str, Any]:
    """What anyone may know of a live game: no tokens, no answers."""
    s = await game_live(pin=pin)
    return {
        "game": s.game,
        "pin": pin,
        "title": s.title,
        "state": s.state,
        "players": s.players,
        "max_players": s.max_players,
        "join_open": s.join_open,
        "late_join": s.late_join,
        "reveal": s.reveal,
        "question": s.question,
        "teams": {"mode": s.team_mode, "names": s.team_names} if s.teams else None,
        "n_questions": s.n_questions,
        "names": s.names,
        "brand": brand_of(accent=s.accent, logo=s.logo),
    }


def question_close_expired(*, game_id: str) -> bool:
    """Close the game's open question if its deadline has passed (Redis time).

    The relay of every server process does this while anyone is connected;
    the flush worker calls it on each pass too, so a question still closes
    when nobody is. Both apply the rule of quiz.live.clock, and close is
    idempotent, so the two never conflict."""
    eng = sync_engine()
    st = eng.run(ops.game_state(game_id))
    if st is None or st.state != "question":
        return False
    q, now_ms = eng.run(ops.combine(ops.question_state(game_id, st.question), housekeeping.clock()))
    if q is None or q.state != "open":
        return False
    if not clock.deadline_past(deadline_ms=q.deadline_ms, now_ms=now_ms):
        return False
    # the fallback's one close, the same action as the relay's
    return actions.question_close_blocking(game=game_id, question=q.number, engine=eng).changed


GAMES_PAGE_MAX = 100


def _iso_ms(ms: int) -> str | None:
    return datetime.fromtimestamp(ms / 1000, UTC).isoformat() if ms else None


def _snapshot_started_ms(game: Game) -> int:
    """When question 1 opened, as of the last flush (0: not yet)."""
    q1 = ((game.snapshot or {}).get("questions") or {}).get("1") or {}
    try:
        return int(q1.get("opened_ms") or 0)
    except (TypeError, ValueError):
        return 0


def games_list(*, host: User, page: int, page_size: int) -> dict[str, Any]:
    """The host's games, newest first, one page of them.

    PostgreSQL gives the rows (title, players written so far, times as of
    the last flush); one pipelined Redis read then brings each unsaved
    game's meta and question 1: a game whose meta is still there is
    ``live``, and its state, players and times come from Redis, the truth
    while it runs. A saved game is never live (its keys only wait to
    expire), so it costs Redis nothing."""
    if page < 1 or not 1 <= page_size <= GAMES_PAGE_MAX:
        raise ServiceError("validation_error", f"page >= 1 and 1 <= page_size <= {GAMES_PAGE_MAX}")
    mine = Game.objects.filter(host=host)
    total = mine.count()
    start = (page - 1) * page_size
    rows = list(
        mine.order_by("-created", "-id")
        .annotate(n_players=Count("players"))
        .only("key", "pin", "title", "state", "created", "finished", "saved", "snapshot")[
            start : start + page_size
        ]
    )
    unsaved = [g.key for g in rows if g.saved is None]
    live: dict[str, tuple[GameState, QuestionState | None]] = {}
    if unsaved:
        parts = [op for k in unsaved for op in (ops.game_state(k), ops.question_state(k, 1))]
        got = sync_engine().run(ops.combine(*parts))
        for i, k in enumerate(unsaved):
            st, q1 = got[2 * i], got[2 * i + 1]
            if st is not None:
                live[k] = (st, q1)
    games = []
    for g in rows:
        item: dict[str, Any] = {
            "pin": g.pin,
            "game": g.key,
            "title": g.title,
            "state": g.state,
            "players": g.n_players,
            "created": g.created.isoformat(),
            "started": _iso_ms(_snapshot_started_ms(g)),
            "finished": g.finished.isoformat() if g.finished else None,
            "saved": g.saved is not None,
            "live": g.key in live,
        }
        if g.key in live:
            st, q1 = live[g.key]
            item["state"] = st.state
            item["players"] = st.players
            if q1 is not None and q1.opened_ms:
                item["started"] = _iso_ms(q1.opened_ms)
            if st.finished_ms:
                item["finished"] = _iso_ms(st.finished_ms)
        games.append(item)
    return {"games": games, "page": page, "page_size": page_size, "total": total}


def game_advance_due(*, game_id: str) -> str:
    """Auto-advance's step that is due, taken by the flusher's pass: the
    relays take it while anyone is connected; with nobody connected the show
    still goes on (up to one flush interval late). The same rule
    (quiz.live.clock.auto_step) and the same atomic scripts as the relays',
    so a step taken twice happens once. Returns the step taken, or ''."""
    eng = sync_engine()
    st = eng.run(ops.game_state(game_id))
    if st is None or not st.auto_reveal_ms or st.state != "reveal" or not st.question:
        return ""
    q, now_ms = eng.run(ops.combine(ops.question_state(game_id, st.question), housekeeping.clock()))
    if q is None:
        return ""
    step, at = clock.auto_step(
        state=st.state, question_state=q.state, closed_ms=q.closed_ms, board_ms=q.board_ms,
        reveal_ms=st.auto_reveal_ms, leaderboard_ms=st.auto_board_ms,
        last=q.number >= st.n_questions, now_ms=now_ms,
    )  # fmt: skip
    if not step or at > now_ms:
        return ""
    done = actions.advance_auto_blocking(game=game_id, question=q.number, step=step, engine=eng)
    return step if done.ok and done.changed else ""
