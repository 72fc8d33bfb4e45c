"""Quiz documents (the format of docs/protocol.md and the HTTP API) for tests,
the load test and the benchmarks."""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from typing import Any

Doc = dict[str, Any]


def question(
    text: str,
    choices: Sequence[str],
    correct: Collection[int],
    *,
    time_limit: int = 30,
    multiplier: int = 1,
    image: str | None = None,
) -> dict[str, Any]:
    return {
        "text": text,
        "time_limit": time_limit,
        "multiplier": multiplier,
        "image": image,
        "choices": [{"text": c, "correct": i in correct} for i, c in enumerate(choices)],
    }


def document(title: str, questions: Sequence[dict[str, Any]]) -> Doc:
    return {"title": title, "questions": list(questions)}


def numbered(
    n: int,
    *,
    title: str = "Test quiz",
    choices: Sequence[str] = ("yes", "no"),
    correct: Callable[[int], Collection[int]] = lambda i: {0},
    multiplier: Callable[[int], int] = lambda i: 1,
    time_limit: int = 30,
    first: int = 0,
) -> Doc:
    """``n`` questions "Question <i>" for i from ``first``; the correct
    choices and the multiplier of each as functions of i."""
    return document(
        title,
        [
            question(f"Question {i}", choices, correct(i), time_limit=time_limit,
                     multiplier=multiplier(i))
            for i in range(first, first + n)
        ],
    )  # fmt: skip
