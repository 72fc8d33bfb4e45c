"""Games: open one (host), see a live one and join it (anyone), results (host).

Seeing and joining touch Redis only and run async: they are what thousands
of phones call at once.
"""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Status

from . import metrics, ratelimit
from .api_common import errors, host_auth, host_of
from .schemas import (
    GameOpenIn,
    GameOpenOut,
    GamePublicOut,
    GamesListOut,
    HostKeyOut,
    JoinIn,
    JoinOut,
    LiveOut,
    NameOut,
    PlayerFinalOut,
    ReportOut,
    ResultsOut,
    ScreenFinalOut,
    WebhookLogOut,
)
from .services import ServiceError
from .services.brand import brand_of
from .services.games import GAMES_PAGE_MAX, HOST_DEFAULT, game_open, game_public, games_list
from .services.host_keys import host_key_get
from .services.live_feed import live_feed
from .services.player_final import player_final
from .services.players import NO_TEAM, name_suggest, player_join
from .services.report import report_csv, report_get, report_xlsx
from .services.results import results_csv, results_get
from .services.screen_final import screen_final
from .services.webhooks import webhook_log

router = Router(tags=["games"])


@router.get("", response={200: GamesListOut, **errors(401)}, auth=host_auth)
def games_of_host(
    request: HttpRequest,
    page: Annotated[int, Query(ge=1)] = 1,
    page_size: Annotated[int, Query(ge=1, le=GAMES_PAGE_MAX)] = 20,
) -> dict[str, Any]:
    """The caller's games, newest first: past ones (``saved``: results and
    report) and ``live`` ones (still in Redis: the console can resume them)."""
    return games_list(host=host_of(request), page=page, page_size=page_size)


@router.post("", response={201: GameOpenOut, **errors(401, 403, 404, 503)}, auth=host_auth)
def games_open(request: HttpRequest, payload: GameOpenIn) -> Status[dict[str, Any]]:
    """400 ``bad_webhook_url``: the webhook's URL is not http(s) or its host
    resolves to a loopback/private/reserved address (unless the operator
    allows them: STADIUM_WEBHOOKS_ALLOW_PRIVATE)."""
    max_players = payload.max_players or settings.STADIUM["DEFAULT_MAX_PLAYERS"]
    webhook: object = HOST_DEFAULT
    if "webhook" in payload.model_fields_set:
        webhook = payload.webhook.model_dump() if payload.webhook else None
    opened = game_open(
        host=host_of(request),
        quiz_id=payload.quiz,
        reveal=payload.reveal,
        max_players=max_players,
        late_join=payload.late_join,
        auto_advance=payload.auto_advance.model_dump() if payload.auto_advance else None,
        teams=payload.teams.model_dump() if payload.teams else None,
        webhook=webhook,
        names=payload.names,
    )
    g = opened.game
    return Status(
        201,
        {
            "game": g.key,
            "pin": g.pin,
            "host_token": opened.host_token,
            "screen_token": opened.screen_token,
            "title": g.title,
            "n_questions": len(g.document["questions"]),
            "reveal": g.reveal,
            "max_players": g.max_players,
            "late_join": g.late_join,
            "auto_advance": g.auto_advance,
            "teams": g.teams,
            "names": g.names,
            "webhook": g.webhook_url or None,
            "brand": brand_of(accent=g.accent, logo=g.logo),
        },
    )


async def _pin_probe_counted(request: HttpRequest, e: ServiceError) -> None:
    # Only a PIN with no live game counts: successful lookups and joins never
    # do (a stadium's phones share one NAT address), nor do other refusals.
    if e.code == "unknown_game":
        await ratelimit.afail(ratelimit.pin_probe(), ratelimit.client_addr(request))


@router.get("/{pin}", response={200: GamePublicOut, **errors(404, 429, 503)})
async def games_public(request: HttpRequest, pin: str) -> dict[str, Any]:
    """429 ``rate_limited`` after too many unknown PINs from the address."""
    await ratelimit.acheck(ratelimit.pin_probe(), ratelimit.client_addr(request))
    try:
        return await game_public(pin=pin)
    except ServiceError as e:
        await _pin_probe_counted(request, e)
        raise


@router.post("/{pin}/players", response={201: JoinOut, **errors(400, 403, 404, 409, 410, 429, 503)})
async def games_join(request: HttpRequest, pin: str, payload: JoinIn) -> Status[Any]:
    """429 ``rate_limited`` (with Retry-After) after too many attempts with
    an unknown PIN from the address; every attempt is refused then, so the
    answer tells nothing about the PIN."""
    try:
        await ratelimit.acheck(ratelimit.pin_probe(), ratelimit.client_addr(request))
        team = payload.team if "team" in payload.model_fields_set else NO_TEAM
        lang = payload.lang or request.headers.get("Accept-Language")
        joined = await player_join(pin=pin, nickname=payload.nickname, team=team, lang=lang)
    except ServiceError as e:
        metrics.JOINS.labels(e.code).inc()
        await _pin_probe_counted(request, e)
        raise
    metrics.JOINS.labels("ok").inc()
    return Status(201, joined)


@router.get(
    "/{pin}/host-key", response={200: HostKeyOut, **errors(401, 403, 404, 409)}, auth=host_auth
)
def games_host_key(request: HttpRequest, pin: str) -> HttpResponse:
    """The game's host and screen tokens, for its owner only: the console
    resumes a game from any tab or device once its host is logged in. 403
    ``forbidden``: another host's game; 404 ``not_found``: no game with that
    PIN; 409 ``host_key_unavailable``: a game whose key only the tab that
    opened it holds (opened before keys were derived, or under a rotated
    SECRET_KEY). Never cached."""
    body = host_key_get(host=host_of(request), pin=pin)
    response = HttpResponse(json.dumps(body), content_type="application/json")
    response["Cache-Control"] = "no-store"
    return response


@router.get("/{pin}/name", response={200: NameOut, **errors(404, 409, 429, 503)})
async def games_name(request: HttpRequest, pin: str, lang: str | None = None) -> dict[str, str]:
    """A generated player name for the join page (the reroll: call again),
    in ``lang`` or the Accept-Language header's language. 409 ``names_off``
    in a game whose players type their names."""
    await ratelimit.acheck(ratelimit.pin_probe(), ratelimit.client_addr(request))
    try:
        nickname = await name_suggest(pin=pin, lang=lang or request.headers.get("Accept-Language"))
    except ServiceError as e:
        await _pin_probe_counted(request, e)
        raise
    return {"nickname": nickname}


@router.get("/{pin}/players/me", response={200: PlayerFinalOut, **errors(401, 404, 409)})
def games_player_final(request: HttpRequest, pin: str) -> dict[str, Any]:
    """A player's own final place once the game is saved, with the header
    ``Authorization: Player <token>`` (the token from the join): for a phone
    that comes back after the game left Redis (its PIN freed). 401
    ``unauthorized`` without the header, 404 ``not_found`` for a token of no
    game with that PIN, 409 ``not_saved`` until the final save."""
    return player_final(pin=pin, authorization=request.headers.get("Authorization"))


@router.get("/{pin}/final", response={200: ScreenFinalOut, **errors(401, 404, 409)})
def games_screen_final(request: HttpRequest, pin: str) -> dict[str, Any]:
    """The podium for a big screen reloaded after the final save freed the
    PIN (its socket closes 4404), with ``Authorization: Screen <screen
    token>`` (or the host token). 401 ``unauthorized`` without it, 404
    ``not_found`` for a token of no game with that PIN, 409 ``not_saved``
    until the final save (the socket answers then)."""
    return screen_final(pin=pin, authorization=request.headers.get("Authorization"))


@router.get("/{pin}/results", response={200: ResultsOut, **errors(401, 404, 409)}, auth=host_auth)
def games_results(request: HttpRequest, pin: str, format: Literal["json", "csv"] = "json") -> Any:
    """Final ranking; ``?format=csv`` for CSV with per-question points.
    409 ``not_saved`` while the final scores are still being written."""
    if format == "csv":
        body = results_csv(host=host_of(request), pin=pin)
        response = HttpResponse(body, content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="stadium-{pin}.csv"'
        return response
    return results_get(host=host_of(request), pin=pin)


# --- the live feed for broadcast graphics ----------------------------------


@router.get("/{pin}/live", response={200: LiveOut, **errors(401, 404, 429, 503)})
async def games_live_feed(request: HttpRequest, pin: str) -> HttpResponse:
    """The live numbers for broadcast graphics (docs/live-feed.md), with the
    header ``Authorization: Screen <screen token>`` (the host token works
    too); 401 ``unauthorized`` without it. Served from a per-process cache
    read from Redis at most every 250 ms, whatever the number of pollers.
    A PIN with no live game counts as a PIN probe of the address (429
    ``rate_limited`` once too many): only failures touch the counter, so
    polling pays no Redis read of its own."""
    try:
        body = await live_feed(pin=pin, authorization=request.headers.get("Authorization"))
    except ServiceError as e:
        if e.code == "unknown_game":
            await _pin_probe_counted(request, e)
            await ratelimit.acheck(ratelimit.pin_probe(), ratelimit.client_addr(request))
        raise
    response = HttpResponse(body, content_type="application/json")
    response["Cache-Control"] = "no-store"
    return response


@router.get("/{pin}/webhooks", response={200: WebhookLogOut, **errors(401, 404)}, auth=host_auth)
def games_webhooks(request: HttpRequest, pin: str) -> dict[str, Any]:
    """The game's webhook events and every delivery attempt, newest attempt
    first (owner only: another host's game is 404)."""
    return webhook_log(host=host_of(request), pin=pin)


REPORT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@router.get("/{pin}/report", response={200: ReportOut, **errors(401, 404, 409)}, auth=host_auth)
def games_report(
    request: HttpRequest, pin: str, format: Literal["json", "csv", "xlsx"] = "json"
) -> HttpResponse:
    """The game's report (docs/reports.md): per question, player and team.
    ``?format=csv`` (UTF-8 with a BOM, one table per view) or ``xlsx`` (one
    sheet per view). 409 ``not_saved`` until the final scores are saved."""
    host = host_of(request)
    if format == "json":
        # written here, not validated field by field: 100,000 players' answers
        body = json.dumps(report_get(host=host, pin=pin), ensure_ascii=False)
        return HttpResponse(body, content_type="application/json")
    content = report_csv(host=host, pin=pin) if format == "csv" else report_xlsx(host=host, pin=pin)
    response = HttpResponse(content, content_type=REPORT_TYPES[format])
    response["Content-Disposition"] = f'attachment; filename="stadium-{pin}-report.{format}"'
    return response
