"""Plain values the engine takes and returns.

Every reply has a ``status``: ``"ok"`` or the name of a refusal (docs/engine.md:
callers never guess). Refusal statuses are the stable error codes
of the WebSocket protocol where one exists (``not_open``, ``too_late``,
``already_answered``, ``wrong_question``, ``bad_choice``, ``game_finished``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # packed values: engine.layout (which builds these types)
    from .layout import RecordedAnswer, Stats


KINDS = (
    "choice", "true_false", "poll", "slider", "type_answer", "ordering", "word_cloud", "info",
)  # fmt: skip
SCORED = frozenset({"choice", "true_false", "slider", "type_answer", "ordering"})
CHOICE_KINDS = frozenset({"choice", "true_false", "poll"})
TEXT_KINDS = frozenset({"type_answer", "word_cloud"})


@dataclass(frozen=True, slots=True)
class Question:
    """A question as the host wrote it, the input of game creation.

    ``kind`` says which of the other fields matter (docs/engine.md, "Question
    kinds"): ``choices``/``correct`` for choice, true_false (choices "True",
    "False"; correct {0} for a true statement) and poll (no correct);
    ``min``..``unit`` for a slider; ``accepted``/``max_length`` for typed
    answers and word clouds; ``items`` (in the right order) for ordering.
    """

    text: str
    choices: list[str]
    correct: set[int]
    time_limit: int  # seconds
    multiplier: int = 1
    image: str | None = None
    kind: str = "choice"
    read_time: int = 0  # seconds shown before answers open
    min: float = 0
    max: float = 0
    step: float = 1
    answer: float = 0
    tolerance: float = 0
    unit: str | None = None
    accepted: list[str] = field(default_factory=list)
    max_length: int = 40
    items: list[str] = field(default_factory=list)

    @property
    def scored(self) -> bool:
        return self.kind in SCORED

    def public(self, number: int) -> dict[str, Any]:
        """What players may see while the question is open: never the answer."""
        from .kinds import public_fields  # the per-kind rules live there

        return {
            "question": number,
            "kind": self.kind,
            "text": self.text,
            "time_limit": self.time_limit,
            "multiplier": self.multiplier,
            "image": self.image,
            "read_time": self.read_time,
            **public_fields(self),
        }


@dataclass(frozen=True, slots=True)
class Settings:
    reveal: str = "live"  # "live" or "on_close"
    max_players: int = 0  # 0: no limit
    late_join: bool = True
    host_token_hash: str = ""
    screen_token_hash: str = ""
    title: str = ""
    auto_reveal_s: int = 0  # auto-advance: results shown this long (0: off)
    auto_board_s: int = 0  # then the leaderboard this long, then the next question
    team_names: list[str] = field(default_factory=list)  # [] : no teams
    team_mode: str = ""  # "choose" (players pick) or "auto" (fewest members)
    team_score: str = "sum"  # "sum" or "average" of the members' totals
    names: str = "off"  # player names: "off" (typed), "offered" or "required" (generated)
    accent: str = ""  # the brand's accent colour "#rrggbb" ("" : the default colours)
    logo: str = ""  # the brand's logo URL ("" : none)

    @property
    def auto_advance(self) -> bool:
        return self.auto_reveal_s > 0


@dataclass(frozen=True, slots=True)
class Reply:
    """A reply that carries only a status and whether anything changed."""

    status: str
    changed: bool = False
    ms: int = 0

    @property
    def ok(self) -> bool:
        return self.status == "ok"


@dataclass(frozen=True, slots=True)
class JoinResult:
    status: str
    player: int = 0
    joined_ms: int = 0
    team: int = -1  # -1: the game has no teams

    @property
    def ok(self) -> bool:
        return self.status == "ok"


@dataclass(frozen=True, slots=True)
class OpenResult:
    status: str
    opened_ms: int = 0  # shown
    deadline_ms: int = 0
    round: int = 0
    changed: bool = False
    open_ms: int = 0  # answers open (opened_ms + the reading time)

    @property
    def ok(self) -> bool:
        return self.status == "ok"


EXTEND_MAX_S = 120  # the host's extend_question, per call


@dataclass(frozen=True, slots=True)
class ClockResult:
    """A pause, resume or extension of the open question."""

    status: str
    changed: bool = False
    remaining_ms: int = 0  # pause: what was left to the deadline
    open_ms: int = 0  # resume: when answers open (moved by a pause in the reading time)
    deadline_ms: int = 0

    @property
    def ok(self) -> bool:
        return self.status == "ok"


@dataclass(frozen=True, slots=True)
class AnswerResult:
    """The outcome of one submission. ``points`` includes ``bonus``."""

    status: str
    points: int = 0
    bonus: int = 0
    total: int = 0
    rank: int = 0
    streak: int = 0
    correct: bool | None = False  # None: an unscored kind
    elapsed_ms: int = 0
    version: int = 0

    @property
    def ok(self) -> bool:
        return self.status == "ok"


@dataclass(frozen=True, slots=True)
class QuestionState:
    number: int
    state: str  # ready, open, closed
    public: dict[str, Any]
    correct: set[int]
    limit_ms: int
    multiplier: int
    round: int = 0
    opened_ms: int = 0
    deadline_ms: int = 0
    closed_ms: int = 0
    answered: int = 0
    counts: list[int] = field(default_factory=list)
    kind: str = "choice"
    read_ms: int = 0
    reveal: Any = None  # the right answer as question_closed shows it (engine.kinds.reveal)
    open_ms: int = 0  # answers open (after the reading time, moved by pauses in it)
    paused_at: int = 0  # 0: not paused
    paused_ms: int = 0  # paused time after answers opened
    ext_ms: int = 0  # the host's extensions
    prev: int = 0  # round of the previous scored question
    board_ms: int = 0  # auto-advance: when the leaderboard was shown
    buckets: list[int] = field(default_factory=list)  # slider histogram

    def __post_init__(self) -> None:
        if self.reveal is None and self.kind in ("choice", "true_false"):
            object.__setattr__(self, "reveal", sorted(self.correct))

    @property
    def paused(self) -> bool:
        return self.paused_at > 0

    @property
    def scored(self) -> bool:
        return self.kind in SCORED


@dataclass(frozen=True, slots=True)
class GameState:
    game: str
    state: str  # lobby, question, reveal, finished
    question: int
    round: int
    n_questions: int
    created_ms: int
    epoch: int
    players: int
    reveal: str
    max_players: int
    late_join: bool
    join_locked: bool
    title: str
    host_token_hash: str
    screen_token_hash: str
    finished_ms: int = 0
    sround: int = 0  # round of the latest started scored question
    auto_reveal_ms: int = 0
    auto_board_ms: int = 0
    team_names: list[str] = field(default_factory=list)  # [] : no teams
    team_score: str = "sum"
    team_mode: str = ""
    names: str = "off"  # "off", "offered", "required" (generated names)
    accent: str = ""  # the brand: "#rrggbb" or ""
    logo: str = ""  # the brand: the logo's URL or ""

    @property
    def teams(self) -> bool:
        return bool(self.team_names)

    @property
    def join_open(self) -> bool:
        if self.state == "finished" or self.join_locked:
            return False
        if self.max_players and self.players >= self.max_players:
            return False
        return self.state == "lobby" or self.late_join

    def streak_of(self, s: Stats, current: QuestionState | None) -> int:
        """The streak as players see it now (kept lazily by round; only
        scored questions count: a streak lives while its last right answer
        is the latest scored question, or the one before an open one)."""
        latest = self.sround
        if s.streak_round == latest:
            return s.streak
        still_open = current is not None and current.state == "open" and current.scored
        prev = current.prev if current is not None and current.prev else latest - 1
        if still_open and s.streak_round == prev:
            return s.streak
        return 0


@dataclass(frozen=True, slots=True)
class BoardEntry:
    player: int
    nickname: str
    score: int
    rank: int


@dataclass(frozen=True, slots=True)
class Standing:
    """One player's place: score, rank (0 when off the board) and stats."""

    player: int
    score: int
    rank: int
    stats: Stats
    answer: RecordedAnswer | None = None


@dataclass(frozen=True, slots=True)
class Event:
    """One entry of the game's event stream; ``id`` is the sequence."""

    id: str
    type: str
    fields: dict[str, str]
