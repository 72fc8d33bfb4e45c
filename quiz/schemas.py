"""Request and response schemas of the JSON API (the OpenAPI page shows
them). Requests refuse unknown fields and coerced types; the quiz document
itself lives in :mod:`quiz.documents`."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from django.conf import settings
from ninja import Schema
from pydantic import BaseModel, ConfigDict, Field, field_validator

from quiz.documents import QuizDocument

# Bounds every id to PostgreSQL's bigint, so no lookup can overflow.
ID_MAX = 2**63 - 1


class Request(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class ErrorOut(Schema):
    error: str = Field(description="stable code, e.g. validation_error, not_found")
    message: str = Field(description="for a human")


class LoginIn(Request):
    username: str = Field(min_length=1, max_length=150)
    password: str = Field(min_length=1, max_length=4096)


class EmptyIn(Request):
    """No fields: an empty JSON object (or no body at all)."""


class HostOut(Schema):
    id: int
    username: str


class OkOut(Schema):
    ok: bool = True


class CsrfOut(Schema):
    csrftoken: str = Field(description="send it back in the X-CSRFToken header")


class QuizOut(Schema):
    id: int
    title: str
    n_questions: int
    created: datetime
    updated: datetime


class ChoiceOut(Schema):
    text: str
    correct: bool | None = Field(None, description="choice only (a poll's choices have none)")


class QuestionOut(Schema):
    """A question as stored: the common fields, then its kind's own (only
    those the kind has are present; a choice question has no ``kind`` and no
    ``read_time`` when it is 0). The rules are the request's (QuizDocument)."""

    kind: str | None = Field(None, description="absent: choice")
    text: str
    time_limit: int
    read_time: int | None = Field(None, description="absent: 0")
    multiplier: int
    image: str | None
    choices: list[ChoiceOut] | None = Field(None, description="choice, poll")
    answer: bool | int | float | None = Field(
        None, description="true_false (bool), slider (number)"
    )
    min: int | float | None = Field(None, description="slider")
    max: int | float | None = Field(None, description="slider")
    step: int | float | None = Field(None, description="slider")
    tolerance: int | float | None = Field(None, description="slider")
    unit: str | None = Field(None, description="slider")
    accepted: list[str] | None = Field(None, description="type_answer")
    max_length: int | None = Field(None, description="type_answer, word_cloud")
    items: list[str] | None = Field(None, description="ordering, in the right order")


class QuizDocumentOut(Schema):
    """A stored quiz as a document (send it back to PUT as it is)."""

    title: str
    accent: str | None = Field(None, description="#rrggbb (only when set)")
    logo_url: str | None = Field(None, description="https:// image URL (only when set)")
    questions: list[QuestionOut]


# --- branding (docs/quizzes.md, "Branding") ------------------------------------


class BrandIn(Request):
    """Either field may be left out (unchanged) or null (cleared)."""

    accent: str | None = Field(None, description="#RRGGBB; null: the default colours")
    logo_url: str | None = Field(
        None, description="https:// image URL (replaces an uploaded logo); null: none"
    )


class UploadedLogoOut(Schema):
    url: str = Field(description="/api/logos/<sha256>.<ext>: immutable, cached forever")
    content_type: str
    width: int
    height: int
    bytes: int


class BrandOut(Schema):
    accent: str | None
    logo_url: str | None
    logo: str | None = Field(description="the logo the quiz shows: the upload's URL or logo_url")
    uploaded: UploadedLogoOut | None


class GameBrandOut(Schema):
    accent: str | None = Field(description="#rrggbb, or null: the default colours")
    logo: str | None = Field(description="the logo's URL, or null")


class AutoAdvanceIn(Request):
    reveal_s: int = Field(ge=1, le=60, description="seconds the results show after a close")
    leaderboard_s: int = Field(ge=1, le=60, description="then seconds the leaderboard shows")


class TeamsIn(Request):
    mode: Literal["choose", "auto"] = Field(
        description="choose: players pick a team when joining; auto: the team with the fewest members"
    )
    score: Literal["average", "sum"] = Field(
        description="a team's score: the sum of its members' totals, or its floor average"
    )
    names: list[Annotated[str, Field(min_length=1, max_length=30)]] = Field(
        min_length=2, max_length=100, description="numbered from 0 in this order"
    )

    @field_validator("names")
    @classmethod
    def _distinct(cls, v: list[str]) -> list[str]:
        names = [n.strip() for n in v]
        if any(not n for n in names):
            raise ValueError("a team name must not be blank")
        if len({n.casefold() for n in names}) != len(names):
            raise ValueError("team names must differ (ignoring case)")
        return names


class WebhookIn(Request):
    url: str = Field(max_length=500, description="http(s) URL the events are POSTed to")
    secret: str = Field(
        "",
        max_length=200,
        description="key of the X-Stadium-Signature HMAC-SHA256 ('' : unsigned key)",
    )


class WebhookOut(Schema):
    url: str
    secret_set: bool = Field(description="the secret is never shown back")


class WebhookDeliveryOut(Schema):
    id: str = Field(description="the event id (X-Stadium-Id)")
    event: str
    url: str
    attempt: int
    status_code: int | None
    error: str
    delivered: bool
    ms: int
    at: datetime


class WebhookLogOut(Schema):
    webhook: bool = Field(description="the game has a webhook")
    url: str
    events: list[dict[str, Any]] = Field(
        description="per event: id, event, attempts, state (pending|delivered|failed), created"
    )
    deliveries: list[WebhookDeliveryOut]


class GameOpenIn(Request):
    quiz: int = Field(ge=1, le=ID_MAX, description="id of one of your quizzes")
    reveal: Literal["live", "on_close"] = Field(
        "on_close",
        description="on_close (the default): scores, ranks and the board move at each "
        "question's close, so nobody can copy a neighbour's jump; live: during a question",
    )
    max_players: int | None = Field(
        None, ge=1, description="default and maximum: the server's DEFAULT_MAX_PLAYERS"
    )
    late_join: bool = Field(True, description="players may join after the first question")
    teams: TeamsIn | None = Field(None, description="null: no teams")
    names: Literal["off", "offered", "required"] = Field(
        "off",
        description="player names: off (typed), offered (a generated name is proposed), "
        "required (only generated names: no nickname to moderate)",
    )
    webhook: WebhookIn | None = Field(
        None,
        description="the game's webhook; null: none; left out: the host's default (PUT /api/webhook)",
    )
    auto_advance: AutoAdvanceIn | None = Field(
        None,
        description="null: the host advances; else the server closes at the deadline, shows "
        "the results reveal_s, the leaderboard leaderboard_s, then opens the next question",
    )

    @field_validator("max_players")
    @classmethod
    def _within_limit(cls, v: int | None) -> int | None:
        limit = settings.STADIUM["DEFAULT_MAX_PLAYERS"]
        if v is not None and v > limit:
            raise ValueError(f"at most {limit}")
        return v


class GameOpenOut(Schema):
    game: str = Field(description="the game's id (its key in Redis)")
    pin: str
    host_token: str = Field(description="shown once: the host console's WebSocket token")
    screen_token: str = Field(description="shown once: the big screen's WebSocket token")
    title: str
    n_questions: int
    reveal: str
    max_players: int
    late_join: bool
    auto_advance: dict[str, int] | None
    teams: dict[str, Any] | None
    names: str = Field(description="off, offered or required (generated player names)")
    webhook: str | None = Field(None, description="the URL the game's events go to, or null")
    brand: GameBrandOut = Field(description="the quiz's brand, snapshotted as the game opened")


class HostKeyOut(Schema):
    pin: str
    game: str = Field(description="the game's id (its key in Redis)")
    host_token: str = Field(description="the host console's WebSocket token")
    screen_token: str = Field(description="the big screen's WebSocket token")


class GamePublicOut(Schema):
    game: str = Field(description="the game's id (its key in Redis)")
    pin: str
    title: str
    state: Literal["lobby", "question", "reveal", "finished"]
    players: int
    max_players: int
    join_open: bool
    late_join: bool
    reveal: str
    question: int = Field(description="current question number, 0 in the lobby")
    n_questions: int
    teams: dict[str, Any] | None = Field(
        description='null, or {"mode": "choose"|"auto", "names": [...]}: a choose-mode '
        "join must name a team"
    )
    names: Literal["off", "offered", "required"] = Field(
        description="off: type a nickname; offered: GET .../name proposes one; required: "
        "join with no nickname (or one GET .../name proposed)"
    )
    brand: GameBrandOut = Field(description="the quiz's brand as the game opened with it")


class JoinIn(Request):
    # The length rule (1-20 after trimming) is the service's, so that a long
    # name gets nickname_invalid; this bound only keeps absurd bodies out.
    nickname: str | None = Field(
        None,
        max_length=1000,
        description="leave it out in a game with generated names: one is given",
    )
    lang: str | None = Field(
        None,
        max_length=100,
        description="language of a generated name (en, es, de, fr, pt, ar, ja; default: "
        "the Accept-Language header, then en)",
    )
    # Any JSON: the service refuses a wrong one with bad_team (not a schema
    # 422), and tells a missing field from an explicit null.
    team: Any = Field(None, description="choose mode: the team's index; refused otherwise")


class NameOut(Schema):
    nickname: str = Field(description="a generated name, not reserved: join with it to keep it")


class JoinOut(Schema):
    game: str = Field(description="the game's id (its key in Redis)")
    player: int
    token: str = Field(description="the player's WebSocket token; keep it to reconnect")
    nickname: str
    team: int | None = Field(description="the player's team, null without teams")


class AnswerRow(Schema):
    question: int
    value: Any = Field(
        description="as given: choice indexes, the slider's number, the text, the order"
    )
    correct: bool | None = Field(description="null for unscored kinds (poll, word_cloud)")
    points: int = Field(description="bonus included")
    bonus: int
    elapsed_ms: int = Field(description="from answers opening, paused time excluded")


class RankingRow(Schema):
    rank: int
    player: int
    nickname: str
    score: int
    correct: int
    best_streak: int
    team: int | None = Field(description="the player's team, null without teams")
    kicked: bool = Field(description="kicked players stay in the results, rank 0")
    answers: list[AnswerRow] = Field(description="the player's answers, in question order")


class TeamEntry(Schema):
    team: int
    name: str
    score: int
    members: int
    rank: int


class ResultQuestion(Schema):
    question: int
    kind: str
    text: str


class ResultsOut(Schema):
    game: str = Field(description="the game's id (its key in Redis)")
    pin: str
    title: str
    saved: bool
    n_questions: int
    questions: list[ResultQuestion]
    ranking: list[RankingRow]
    teams: list[TeamEntry] | None = Field(description="final team standings; null without teams")
    teams_podium: list[TeamEntry] | None = Field(description="the top 3 teams")


class GameListItem(Schema):
    pin: str
    game: str = Field(description="the game's id (its key in Redis)")
    title: str
    state: Literal["lobby", "question", "reveal", "finished"]
    players: int = Field(description="players who joined (kicked ones included)")
    created: datetime
    started: datetime | None = Field(description="when question 1 opened; null before")
    finished: datetime | None
    saved: bool = Field(description="final results are in PostgreSQL (results and report)")
    live: bool = Field(description="not saved and still in Redis: the host console can resume it")


class GamesListOut(Schema):
    games: list[GameListItem] = Field(description="newest first")
    page: int
    page_size: int
    total: int = Field(description="the host's games in all")


__all__ = [
    "CsrfOut",
    "EmptyIn",
    "ErrorOut",
    "GameOpenIn",
    "GameListItem",
    "GameOpenOut",
    "GamePublicOut",
    "GamesListOut",
    "HostOut",
    "JoinIn",
    "JoinOut",
    "LoginIn",
    "OkOut",
    "QuizDocument",
    "QuizDocumentOut",
    "QuizOut",
    "RankingRow",
    "ResultsOut",
]


# --- the live feed for broadcast graphics (GET /api/games/<pin>/live) -------


class LiveQuestion(Schema):
    question: int = Field(description="the question's number, from 1")
    kind: str
    text: str
    state: str = Field(description="ready, open or closed")
    answered: int = Field(description="answers to it so far")
    deadline_ms: int = Field(description="when answers close (ms since the epoch, Redis time)")
    paused: bool


class LiveEntry(Schema):
    player: int
    nickname: str
    score: int
    rank: int


class LiveOut(Schema):
    game: str = Field(description="the game's id")
    pin: str
    title: str
    state: str = Field(description="lobby, question, reveal or finished")
    n_questions: int
    question: LiveQuestion | None = Field(description="the current question; null in the lobby")
    players: int
    distribution: Any = Field(
        description="after the close as in question_closed (per kind); live counts per "
        "choice while a poll is open; otherwise null"
    )
    top: list[LiveEntry] = Field(
        description="the top 10; in on_close reveal it holds still while a question is open"
    )
    teams: list[TeamEntry] | None = Field(description="the team board; null without teams")
    server_ms: int = Field(description="when this was read from Redis (ms since the epoch)")


__all__ += ["LiveEntry", "LiveOut", "LiveQuestion"]


# --- the game report (docs/reports.md) --------------------------------------


class ReportTimes(Schema):
    from_ms: int
    to_ms: int
    count: int


class ReportQuestion(Schema):
    question: int
    kind: str
    text: str
    answered: int
    right: int | None = Field(description="right answers; null for unscored kinds")
    share_right: float | None = Field(description="right / answered (0..1); null if unscored")
    mean_ms: float | None
    median_ms: float | None
    points: int = Field(description="points given, bonus included")
    distribution: Any = Field(description="per kind, as in question_closed")
    times: list[ReportTimes] = Field(description="10 equal buckets over 0..time limit")


class ReportAnswer(Schema):
    question: int
    value: Any
    correct: bool | None
    points: int
    elapsed_ms: int


class ReportPlayer(Schema):
    player: int
    nickname: str
    team: int | None
    rank: int
    score: int
    kicked: bool
    answers: list[ReportAnswer]


class ReportTeam(Schema):
    team: int
    name: str
    rank: int
    score: int
    members: int
    total: int
    share_right: float | None


class ReportOut(Schema):
    game: str
    pin: str
    title: str
    players: int
    answers: int
    teams: bool
    questions: list[ReportQuestion]
    hardest: list[int] = Field(description="scored questions, lowest share right first, up to 3")
    easiest: list[int] = Field(description="highest share right first, up to 3")
    players_detail: list[ReportPlayer]
    teams_detail: list[ReportTeam] | None


# --- a player's final place (GET /api/games/<pin>/players/me) ----------------


class PlayerFinalOut(Schema):
    pin: str
    title: str
    player: int
    nickname: str
    kicked: bool
    rank: int | None = Field(description="the final rank; null when kicked")
    score: int
    players: int = Field(description="players not kicked")
    podium: list[LiveEntry] = Field(description="the top 3")


__all__ += ["PlayerFinalOut"]


# --- the big screen's final podium (GET /api/games/<pin>/final) ----------------


class ScreenFinalOut(Schema):
    pin: str
    title: str
    players: int = Field(description="players not kicked")
    podium: list[LiveEntry] = Field(description="the top 3")
    teams_podium: list[dict[str, Any]] | None = Field(
        description="the top 3 teams (team, name, score, members, rank), null without teams"
    )
    brand: GameBrandOut


__all__ += ["BrandIn", "BrandOut", "GameBrandOut", "ScreenFinalOut"]
