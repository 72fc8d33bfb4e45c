"""A flush's result is a value: steps and passes add up without mutation."""

from __future__ import annotations

import dataclasses

import pytest

from quiz.flush import FlushResult


def test_results_add_up_into_a_new_value() -> None:
    a = FlushResult(game="g", players=2, scores=2, seconds=0.5, lag_s=1.0, state="question")
    b = FlushResult(game="g", answers=3, ranks=1, seconds=0.25, lag_s=0.5, state="reveal")
    total = a + b
    assert total == FlushResult(
        game="g", players=2, answers=3, scores=2, ranks=1, seconds=0.75, lag_s=1.0, state="reveal"
    )
    assert total.rows == 8
    assert a.answers == 0 and b.players == 0  # neither side changed
    assert (a + FlushResult(game="g")).state == "question"  # no state: the known one stays
    with pytest.raises(dataclasses.FrozenInstanceError):
        a.players = 9  # type: ignore[misc]
    with pytest.raises(ValueError):
        a + FlushResult(game="h")
