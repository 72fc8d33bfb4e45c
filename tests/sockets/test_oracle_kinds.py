"""The oracle of issue 13 (oracle_kinds.py) against numbers worked out by hand
from the issue text, so the game test's oracle is itself checked."""

from __future__ import annotations

from fractions import Fraction

from . import oracle_kinds as o

CHOICE = {
    "text": "?",
    "time_limit": 30,
    "multiplier": 1,
    "choices": [{"text": "a", "correct": True}, {"text": "b", "correct": False}],
}
MULTI = {
    "text": "?",
    "time_limit": 30,
    "multiplier": 2,
    "choices": [
        {"text": "a", "correct": True},
        {"text": "b", "correct": True},
        {"text": "c", "correct": False},
    ],
}
SLIDER = {
    "text": "?",
    "kind": "slider",
    "time_limit": 20,
    "multiplier": 1,
    "min": 0,
    "max": 70,
    "step": 1,
    "answer": 35,
    "tolerance": 4,
}
TENTHS = {
    "text": "?",
    "kind": "slider",
    "time_limit": 20,
    "multiplier": 1,
    "min": 0,
    "max": 1,
    "step": 0.1,
    "answer": 0.3,
    "tolerance": 0,
}
TYPED = {
    "text": "?",
    "kind": "type_answer",
    "time_limit": 20,
    "multiplier": 1,
    "accepted": ["Maracanã", "Estádio do Maracanã"],
    "max_length": 25,
}
POLL = {"text": "?", "kind": "poll", "time_limit": 20, "choices": [{"text": "x"}, {"text": "y"}]}
ITEMS = ["a", "b", "c"]
ORDER = {"text": "?", "kind": "ordering", "time_limit": 20, "multiplier": 1, "items": ITEMS}
# fmt: skip


def test_speed_points_and_rounding() -> None:
    assert o.speed_points(1000, 499, 30000) == 1000
    assert o.speed_points(1000, 2000, 30000) == 967  # docs/engine.md's example
    assert o.speed_points(2000, 2000, 30000) == 1933
    assert o.speed_points(1000, 500, 1000) == 750
    assert o.speed_points(1, 1000, 1000) == 1  # 0.5 rounds away from zero
    assert o.speed_points(3, 1000, 1000) == 2  # 1.5 -> 2
    assert o.round_half_away(Fraction(-5, 2)) == -3


def test_choice_and_multi() -> None:
    assert o.judge(CHOICE, [0], 2000, 30000) == (True, 967)
    assert o.judge(CHOICE, [1], 100, 30000) == (False, 0)
    assert o.judge(MULTI, [0, 1], 100, 30000) == (True, 2000)
    assert o.judge(MULTI, [1], 100, 30000) == (True, 1000)
    assert o.judge(MULTI, [1, 2], 100, 30000) == (False, 0)


def test_slider_edges() -> None:
    assert o.judge(SLIDER, 35, 100, 20000) == (True, 1000)
    assert o.judge(SLIDER, 36, 100, 20000) == (True, 875)  # 1 - 1/8
    assert o.judge(SLIDER, 39, 100, 20000) == (True, 500)  # the edge: half
    assert o.judge(SLIDER, 31, 100, 20000) == (True, 500)
    assert o.judge(SLIDER, 40, 100, 20000) == (False, 0)
    # S = round(1000 * (1 - 1000/40000)) = 975; d = 3: round(975 * 5/8) = round(609.375)
    assert o.judge(SLIDER, 38, 1000, 20000) == (True, 609)
    # S = round(1000 * (1 - 5000/40000)) = 875; d = 2: 875 * 3/4 = 656.25
    assert o.judge(SLIDER, 33, 5000, 20000) == (True, 656)
    # d = 1 of tol 4 at S = 1000 - 1000 * 6500 / 40000 = 837.5 -> 838; * 7/8 = 733.25
    assert o.judge(SLIDER, 34, 6500, 20000) == (True, 733)
    assert o.judge(TENTHS, 0.30000000000000004, 100, 20000) == (True, 1000)
    assert o.judge(TENTHS, 0.4, 100, 20000) == (False, 0)
    g = o.Grid.of(SLIDER)
    assert g.buckets() == 20 and g.bounds(0) == (Fraction(0), Fraction(7, 2))
    assert [g.bucket_of(k) for k in (0, 3, 4, 35, 69, 70)] == [0, 0, 1, 10, 19, 19]
    assert o.refusal(SLIDER, {"value": 3.5}) == "bad_value"
    assert o.refusal(SLIDER, {"value": 71}) == "bad_value"
    assert o.refusal(SLIDER, {"value": True}) == "bad_request"
    assert o.refusal(TENTHS, {"value": 0.35}) == "bad_value"
    assert o.refusal(TENTHS, {"value": 1}) is None


def test_texts() -> None:
    for right in ("maracanã", "MARACANÃ", "Maracana\u0303", " maracanã. ", "Ｍａｒａｃａｎã",
                  "Maraca-nã", "estádio   do maracanã!"):  # fmt: skip
        assert o.judge(TYPED, right, 100, 20000) == (True, 1000), right
    for wrong in ("Maracana", "Estadio do Maracana", "Wembley"):
        assert o.judge(TYPED, wrong, 100, 20000) == (False, 0), wrong
    assert o.normalize("fish & chips") == "fish chips"
    assert o.refusal(TYPED, {"text": "   "}) == "bad_value"
    assert o.refusal(TYPED, {"text": " " + "x" * 25 + " "}) is None
    assert o.refusal(TYPED, {"text": "x" * 26}) == "bad_value"
    d = o.distribution(
        {"kind": "word_cloud"}, ["b", "B!", "a", "c", "a.", "shit"], lambda s: s != "shit"
    )
    assert d == [{"text": "a", "count": 2}, {"text": "b", "count": 2}, {"text": "c", "count": 1}]


def test_ordering() -> None:
    shown = ["c", "a", "b"]
    assert o.ordering_correct(ORDER, shown) == [1, 2, 0]
    assert o.judge(ORDER, [1, 2, 0], 100, 20000, shown) == (True, 1000)
    assert o.judge(ORDER, [2, 1, 0], 100, 20000, shown) == (False, 0)
    assert o.distribution(ORDER, [[1, 2, 0], [2, 1, 0]], shown=shown) == {"right": 1, "wrong": 1}
    assert o.refusal(ORDER, {"order": [0, 0, 1]}) == "bad_value"
    assert o.refusal(ORDER, {"order": "012"}) == "bad_request"


def test_streak_counts_scored_questions_only() -> None:
    g = o.OracleGame([CHOICE, POLL, CHOICE, POLL, CHOICE, CHOICE])
    g.start(1)
    assert g.answer(1, [0], 100, 30000).streak == 1
    g.start(2)
    r = g.answer(1, [1], 100, 30000)  # a poll: nothing changes
    assert (r.right, r.points, r.streak) == (None, 0, 1)
    g.start(3)
    r = g.answer(1, [0], 100, 30000)
    assert (r.streak, r.bonus, r.points) == (2, 100, 1100)
    g.start(4)  # poll not answered: the streak stays
    assert g.closed_part(4, 1)["streak"] == 2
    g.start(5)  # scored, not answered: broken
    assert g.closed_part(5, 1)["streak"] == 0
    g.start(6)
    assert g.answer(1, [0], 100, 30000).streak == 1
