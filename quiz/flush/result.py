"""What a flush did, as an immutable value: steps and passes add up with ``+``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

Progress = Callable[[str], None]


def quiet(_line: str) -> None:
    pass


@dataclass(frozen=True, slots=True)
class FlushResult:
    game: str
    players: int = 0  # new Player rows
    answers: int = 0  # new Answer rows
    scores: int = 0  # Score rows inserted or moved to a newer version
    ranks: int = 0  # final ranks changed (game over)
    seconds: float = 0.0
    lag_s: float = 0.0  # age of the oldest answer copied, at Redis time
    state: str = ""

    def __add__(self, other: FlushResult) -> FlushResult:
        """Both, as one flush of the game: rows and time add up, the lag is
        the larger one and the state the later one (when it has one)."""
        if other.game != self.game:
            raise ValueError(f"results of two games: {self.game}, {other.game}")
        return FlushResult(
            game=self.game,
            players=self.players + other.players,
            answers=self.answers + other.answers,
            scores=self.scores + other.scores,
            ranks=self.ranks + other.ranks,
            seconds=self.seconds + other.seconds,
            lag_s=max(self.lag_s, other.lag_s),
            state=other.state or self.state,
        )

    @property
    def rows(self) -> int:
        return self.players + self.answers + self.scores + self.ranks

    def line(self) -> str:
        return (
            f"flushed game {self.game} ({self.state}): players +{self.players}, "
            f"answers +{self.answers}, scores {self.scores}, ranks {self.ranks}; "
            f"{self.rows} rows in {self.seconds:.3f}s, lag {self.lag_s:.2f}s"
        )
