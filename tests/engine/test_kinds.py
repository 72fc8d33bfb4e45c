"""Every question kind through submit_answer.lua, with the exact numbers of
docs/engine.md ("Question kinds"): S = P below 500 ms, else
round(P * (1 - (t/T)/2)); the slider's share of S by distance; typed answers
compared normalized; ordering exact; polls and word clouds unscored and out
of the streak."""

from __future__ import annotations

from typing import Any

import pytest

from engine import Question, SyncEngine, kinds, ops
from engine.kinds import AnswerArg

from .util import join, new_game, open_q, submit_at


def _q(kind: str, **kw: Any) -> Question:
    base: dict[str, Any] = {"text": f"A {kind}", "choices": [], "correct": set(), "time_limit": 30}
    return Question(**{**base, "kind": kind, **kw})


SLIDER = _q("slider", min=0, max=100, step=1, answer=50, tolerance=10, unit="m")
SLIDER_EXACT = _q("slider", min=0, max=1, step=0.1, answer=0.3, tolerance=0)
TYPED = _q("type_answer", accepted=["Wembley Stadium", "Café Olé"], max_length=40)
ORDER = _q("ordering", items=["1930", "1950", "1966", "1970"])
TF = _q("true_false", choices=["True", "False"], correct={1})
POLL = _q("poll", choices=["Ann", "Bob", "Cy"], multiplier=0)
CLOUD = _q("word_cloud", max_length=20, multiplier=0)
INFO = _q("info", multiplier=0)
CHOICE = _q("choice", choices=["a", "b", "c"], correct={1})


def _arg(q: Question, n: int, value: Any, may_show: Any = None) -> AnswerArg:
    a = kinds.answer_arg(q.public(n), value, **({"may_show": may_show} if may_show else {}))
    assert a.ok, a
    return a


def _play(eng: SyncEngine, game: str, qs: list[Question], players: int) -> list[int]:
    new_game(eng, game, qs)
    return [join(eng, game, f"p{i}") for i in range(players)]


@pytest.mark.parametrize(
    ("value", "t", "points", "right"),
    [
        (50, 100, 1000, True),  # exact, under 500 ms: full P
        (55, 100, 750, True),  # d 5 of 10: round(1000 * (1 - 5/20))
        (60, 100, 500, True),  # at the tolerance edge: half
        (61, 100, 0, False),  # past it
        (40, 2000, 484, True),  # S = 967 at 2 s of 30; round(967 / 2) = 483.5 -> 484
        (52, 2000, 870, True),  # round(967 * 0.9) = 870.3
    ],
)
def test_slider_points(
    sync_engine: SyncEngine, sync_redis: Any, game_id: str, value: int, t: int, points: int,
    right: bool,
) -> None:  # fmt: skip
    (p,) = _play(sync_engine, game_id, [SLIDER], 1)
    open_q(sync_engine, game_id, 1)
    res = submit_at(sync_redis, game_id, p, 1, _arg(SLIDER, 1, value), elapsed_ms=t)
    assert (res.points, res.correct) == (points, right)


def test_slider_tolerance_zero_on_a_decimal_grid(
    sync_engine: SyncEngine, sync_redis: Any, game_id: str
) -> None:
    a, b = _play(sync_engine, game_id, [SLIDER_EXACT], 2)
    open_q(sync_engine, game_id, 1)
    # 0.1 + 0.2 is 0.30000000000000004: on the grid to 1e-9, so exactly right
    assert (
        submit_at(sync_redis, game_id, a, 1, _arg(SLIDER_EXACT, 1, 0.1 + 0.2), 2000).points == 967
    )
    assert submit_at(sync_redis, game_id, b, 1, _arg(SLIDER_EXACT, 1, 0.4), 100).points == 0
    pub = SLIDER_EXACT.public(1)
    assert kinds.answer_arg(pub, 0.35).status == "bad_value"  # off the grid
    assert kinds.answer_arg(pub, 1.1).status == "bad_value"  # past max
    assert kinds.answer_arg(pub, "0.3").status == "bad_request"


def test_slider_histogram(sync_engine: SyncEngine, sync_redis: Any, game_id: str) -> None:
    ps = _play(sync_engine, game_id, [SLIDER], 4)
    open_q(sync_engine, game_id, 1)
    for p, v in zip(ps, [0, 4, 5, 100], strict=True):
        assert submit_at(sync_redis, game_id, p, 1, _arg(SLIDER, 1, v), 100).ok
    q = sync_engine.run(ops.question_state(game_id, 1))
    assert q is not None
    # 100 steps, 20 buckets of width 5: [0,5) holds 0 and 4, [5,10) holds 5, the last holds 100
    hist = kinds.histogram(q.public, q.buckets)
    assert len(hist) == 20
    assert hist[0] == {"from": 0, "to": 5, "count": 2}
    assert hist[1] == {"from": 5, "to": 10, "count": 1}
    assert hist[19] == {"from": 95, "to": 100, "count": 1}
    assert q.reveal == {"answer": 50, "tolerance": 10}


@pytest.mark.parametrize(
    ("text", "right"),
    [
        ("wembley stadium", True),
        ("  WEMBLEY   Stadium!! ", True),  # case, spaces, punctuation
        ("Ｗｅｍｂｌｅｙ Stadium", True),  # NFKC: full-width letters
        ("wembley-stadium", False),  # the hyphen goes: "wembleystadium"
        ("cafe ole", False),  # accents as written count
        ("CAFÉ, OLÉ.", True),
        ("Wembley", False),
    ],
)
def test_type_answer_normalized(
    sync_engine: SyncEngine, sync_redis: Any, game_id: str, text: str, right: bool
) -> None:
    (p,) = _play(sync_engine, game_id, [TYPED], 1)
    open_q(sync_engine, game_id, 1)
    res = submit_at(sync_redis, game_id, p, 1, _arg(TYPED, 1, text), elapsed_ms=2000)
    assert (res.points, res.correct) == ((967, True) if right else (0, False))


def test_ordering_exact_only(sync_engine: SyncEngine, sync_redis: Any, game_id: str) -> None:
    a, b = _play(sync_engine, game_id, [ORDER], 2)
    open_q(sync_engine, game_id, 1)
    shown = ORDER.public(1)["items"]
    assert shown != ORDER.items and sorted(shown) == sorted(ORDER.items)
    right = [shown.index(item) for item in ORDER.items]
    swapped = [right[1], right[0], *right[2:]]
    assert submit_at(sync_redis, game_id, a, 1, _arg(ORDER, 1, right), 100).points == 1000
    assert submit_at(sync_redis, game_id, b, 1, _arg(ORDER, 1, swapped), 100).points == 0
    q = sync_engine.run(ops.question_state(game_id, 1))
    assert q is not None and q.counts[:2] == [1, 1] and q.reveal == {"order": right}
    assert kinds.answer_arg(ORDER.public(1), [0, 1, 2, 2]).status == "bad_value"
    assert kinds.answer_arg(ORDER.public(1), [0, 1, 2]).status == "bad_value"


def test_true_false(sync_engine: SyncEngine, sync_redis: Any, game_id: str) -> None:
    a, b = _play(sync_engine, game_id, [TF], 2)
    open_q(sync_engine, game_id, 1)
    assert submit_at(sync_redis, game_id, a, 1, [1], 2000).points == 967  # "false" is right
    assert submit_at(sync_redis, game_id, b, 1, [0], 2000).points == 0
    q = sync_engine.run(ops.question_state(game_id, 1))
    assert q is not None and q.reveal == [1] and q.counts == [1, 1]


def test_polls_and_clouds_leave_the_streak_alone(
    sync_engine: SyncEngine, sync_redis: Any, game_id: str
) -> None:
    qs = [CHOICE, POLL, CHOICE, CLOUD, CHOICE]
    (p,) = _play(sync_engine, game_id, qs, 1)
    got = []
    for n, (q, value) in enumerate(
        zip(qs, [[1], [2], [1], "loud", [1]], strict=True), 1
    ):  # fmt: skip
        if n > 1:
            assert sync_engine.run(ops.question_start(game_id, n - 1, n)).changed
        else:
            open_q(sync_engine, game_id, 1)
        res = submit_at(sync_redis, game_id, p, n, _arg(q, n, value), elapsed_ms=100)
        got.append((res.points, res.bonus, res.streak, res.correct))
    assert got == [
        (1000, 0, 1, True),
        (0, 0, 1, None),  # the poll: no points, the streak stays 1
        (1100, 100, 2, True),  # streak of 2 across the poll
        (0, 0, 2, None),
        (1200, 200, 3, True),
    ]
    st = sync_engine.run(ops.game_state(game_id))
    assert st is not None and st.sround == 5


def test_a_missed_scored_question_still_breaks_the_streak(
    sync_engine: SyncEngine, sync_redis: Any, game_id: str
) -> None:
    (p,) = _play(sync_engine, game_id, [CHOICE, POLL, CHOICE, CHOICE], 1)
    open_q(sync_engine, game_id, 1)
    assert submit_at(sync_redis, game_id, p, 1, [1], 100).streak == 1
    for n in (2, 3, 4):  # the poll and question 3 go by unanswered
        assert sync_engine.run(ops.question_start(game_id, n - 1, n)).changed
    res = submit_at(sync_redis, game_id, p, 4, [1], 100)
    assert (res.points, res.streak) == (1000, 1)


def test_word_cloud_counts_and_hidden_words(
    sync_engine: SyncEngine, sync_redis: Any, game_id: str
) -> None:
    ps = _play(sync_engine, game_id, [CLOUD], 7)
    open_q(sync_engine, game_id, 1)
    texts = ["Loud!", "loud", "ELECTRIC", "electric", "calm", "badword", "Calm "]
    for p, t in zip(ps, texts, strict=True):
        arg = _arg(CLOUD, 1, t, may_show=lambda s: "badword" not in s)
        res = submit_at(sync_redis, game_id, p, 1, arg, 100)
        assert res.ok and res.correct is None and res.points == 0
    top = sync_engine.run(ops.top_texts(game_id, 1))
    # count descending, then text ascending; the refused word is counted as
    # an answer but never shown
    assert top == [("calm", 2), ("electric", 2), ("loud", 2)]
    assert sync_engine.run(ops.question_state(game_id, 1)).answered == 7  # type: ignore[union-attr]
    assert sync_engine.run(ops.top_texts(game_id, 1, limit=2)) == [("calm", 2), ("electric", 2)]


def test_info_takes_no_answers(sync_engine: SyncEngine, sync_redis: Any, game_id: str) -> None:
    (p,) = _play(sync_engine, game_id, [INFO], 1)
    open_q(sync_engine, game_id, 1)
    assert kinds.answer_arg(INFO.public(1), [0]).status == "no_answers"
    res = sync_engine.run(ops.submit_answer(game_id, p, 1, AnswerArg("ok", "0", [0])))
    assert res.status == "no_answers"


def test_bad_values_record_nothing(sync_engine: SyncEngine, game_id: str) -> None:
    (p,) = _play(sync_engine, game_id, [TYPED, ORDER], 1)
    open_q(sync_engine, game_id, 1)
    pub = TYPED.public(1)
    assert kinds.answer_arg(pub, "   ").status == "bad_value"
    assert kinds.answer_arg(pub, "x" * 41).status == "bad_value"
    assert kinds.answer_arg(pub, " " + "x" * 40 + " ").ok  # 40 after stripping
    assert kinds.answer_arg(pub, 3).status == "bad_request"
    # a slider index past the grid reaching the script is refused there too
    res = sync_engine.run(ops.submit_answer(game_id, p, 1, AnswerArg("ok", "", "")))
    assert res.ok  # an empty normalized text ("!!!") is an answer, just never right
    q = sync_engine.run(ops.question_state(game_id, 1))
    assert q is not None and q.answered == 1


def test_reading_time_refuses_early_answers(sync_engine: SyncEngine, game_id: str) -> None:
    slow = _q("choice", choices=["a", "b"], correct={0}, read_time=5)
    (p,) = _play(sync_engine, game_id, [slow], 1)
    o = sync_engine.run(ops.open_question(game_id, 1))
    assert o.open_ms == o.opened_ms + 5000 and o.deadline_ms == o.open_ms + 30_000
    assert sync_engine.run(ops.submit_answer(game_id, p, 1, [0])).status == "not_open"
