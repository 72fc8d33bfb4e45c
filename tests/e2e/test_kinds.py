"""Every question kind in a real browser, run by auto-advance (issue 13).

The host builds a quiz with one question of each kind in the editor (the
saved document is checked through the API), opens a game with auto-advance
and starts question 1; from then on the server runs the show. Three phones
answer every kind through their own inputs (choice tiles, true/false, poll,
the slider's +/- and its range input, typed text with Enter and with Send,
ordering by tap and by drag, a word cloud). The big screen shows the choice
counts, the reading time, the slider histogram with the right answer
marked, the typed texts, the word cloud, the right order with right/wrong
counts, the leaderboard after each question and the podium at the end.

The points each phone shows are checked against an oracle written here from
the issue's rules (S from the answer's time, slider partial points, the
streak bonus of scored kinds only); the answer's time (elapsed_ms) comes
from GET /api/games/<pin>/results, whose points and totals must match too.

Every wait is for something users see (a testid, a text); nothing sleeps.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from typing import Any

import pytest

from .test_game import PHONE, _expect, _join
from .test_host_tools import _login

ALICE, BOB, CAROL = "Alice", "Bob", "Carol"
NAMES = (ALICE, BOB, CAROL)
LIMIT_S = 30  # answer window; every question closes early once all three answered
INFO_S = 5  # the info slide is shown for the minimum time
REVEAL_S, BOARD_S = 3, 3  # auto-advance: results, then the leaderboard
READ_S = 3  # the true/false question's reading time

CHOICES = ["Paris", "Rome", "Oslo"]  # Paris is right
POLL = ["Pie", "Hot dog", "Nachos"]
SLIDER: dict[str, Any] = {
    "min": 0,
    "max": 100,
    "step": 1,
    "answer": 60,
    "tolerance": 10,
    "unit": "k",
}
ACCEPTED = ["Camp Nou", "Spotify Camp Nou"]
ITEMS = ["1954 Bern", "1974 Munich", "1990 Rome", "2014 Rio"]  # the right order

# (kind, text) in the order of the quiz; the editor builds ordering before the
# word cloud and then moves the word cloud up, so the order below is the result
QUESTIONS = [
    ("choice", "What is the capital of France?"),
    ("true_false", "The Seine flows through Paris."),
    ("poll", "Best stadium snack?"),
    ("slider", "Guess tonight's attendance (thousands)"),
    ("type_answer", "Name FC Barcelona's stadium"),
    ("word_cloud", "One word for the atmosphere"),
    ("ordering", "Put these World Cup finals in order"),
    ("info", "Thanks for playing!"),
]
SCORED = {"choice", "true_false", "slider", "type_answer", "ordering"}


# --- the editor -----------------------------------------------------------------


def _common(page: Any, i: int, kind: str, text: str, seconds: int) -> None:
    if kind != "choice":
        page.get_by_test_id(f"q{i}-kind").select_option(kind)
    page.fill(f"#q{i}-text", text)
    page.fill(f"#q{i}-time", str(seconds))


def _build_quiz(page: Any, title: str) -> None:
    """Every kind through the editor's own inputs (the form starts with one
    blank choice question of four choices, the first ticked right)."""
    expect = _expect()
    page.get_by_role("button", name="New quiz").click()
    page.fill("#title", title)

    # 1 choice: three choices (the fourth removed), Paris ticked
    _common(page, 0, "choice", QUESTIONS[0][1], LIMIT_S)
    page.get_by_test_id("q0-c3-remove").click()
    for c, label in enumerate(CHOICES):
        page.fill(f"#q0-c{c}", label)
    page.set_checked("#q0-c0-ok", True)

    # 2 true/false with a reading time
    page.get_by_test_id("add-question").click()
    _common(page, 1, "true_false", QUESTIONS[1][1], LIMIT_S)
    page.get_by_test_id("q1-read").fill(str(READ_S))
    page.get_by_test_id("q1-tf-false").check()
    page.get_by_test_id("q1-tf-true").check()

    # 3 poll: no right answer, three choices
    page.get_by_test_id("add-question").click()
    _common(page, 2, "poll", QUESTIONS[2][1], LIMIT_S)
    page.get_by_test_id("q2-c3-remove").click()
    for c, label in enumerate(POLL):
        page.fill(f"#q2-c{c}", label)
    expect(page.locator("#q2-c0-ok")).to_have_count(0)

    # 4 slider
    page.get_by_test_id("add-question").click()
    _common(page, 3, "slider", QUESTIONS[3][1], LIMIT_S)
    for f in ("min", "max", "step", "answer", "tolerance", "unit"):
        page.get_by_test_id(f"q3-{f}").fill(str(SLIDER[f]))

    # 5 type the answer: two accepted texts
    page.get_by_test_id("add-question").click()
    _common(page, 4, "type_answer", QUESTIONS[4][1], LIMIT_S)
    page.get_by_test_id("q4-acc0").fill(ACCEPTED[0])
    page.get_by_test_id("q4-add-accepted").click()
    page.get_by_test_id("q4-acc1").fill(ACCEPTED[1])
    page.get_by_test_id("q4-maxlen").fill("20")

    # 6 ordering (four items: one added) ...
    page.get_by_test_id("add-question").click()
    _common(page, 5, "ordering", QUESTIONS[6][1], LIMIT_S)
    page.get_by_test_id("q5-add-item").click()
    for k, item in enumerate(ITEMS):
        page.get_by_test_id(f"q5-item{k}").fill(item)

    # 7 ... then the word cloud, moved up above the ordering
    page.get_by_test_id("add-question").click()
    _common(page, 6, "word_cloud", QUESTIONS[5][1], LIMIT_S)
    page.get_by_test_id("q6-maxlen").fill("12")
    page.get_by_test_id("q6-up").click()
    expect(page.get_by_test_id("q5-kind")).to_have_value("word_cloud")
    expect(page.get_by_test_id("q6-kind")).to_have_value("ordering")

    # 8 an info slide, shown for the minimum time
    page.get_by_test_id("add-question").click()
    _common(page, 7, "info", QUESTIONS[7][1], INFO_S)


def _expected_doc(title: str) -> dict[str, Any]:
    base = {"image": None, "time_limit": LIMIT_S, "read_time": 0}
    return {
        "title": title,
        "questions": [
            {**base, "kind": "choice", "text": QUESTIONS[0][1], "multiplier": 1,
             "choices": [{"text": c, "correct": c == "Paris"} for c in CHOICES]},
            {**base, "kind": "true_false", "text": QUESTIONS[1][1], "multiplier": 1,
             "read_time": READ_S, "answer": True},
            {**base, "kind": "poll", "text": QUESTIONS[2][1], "multiplier": 0,
             "choices": [{"text": c} for c in POLL]},
            {**base, "kind": "slider", "text": QUESTIONS[3][1], "multiplier": 1, **SLIDER},
            {**base, "kind": "type_answer", "text": QUESTIONS[4][1], "multiplier": 1,
             "accepted": ACCEPTED, "max_length": 20},
            {**base, "kind": "word_cloud", "text": QUESTIONS[5][1], "multiplier": 0,
             "max_length": 12},
            {**base, "kind": "ordering", "text": QUESTIONS[6][1], "multiplier": 1,
             "items": ITEMS},
            {**base, "kind": "info", "text": QUESTIONS[7][1], "multiplier": 0,
             "time_limit": INFO_S},
        ],
    }  # fmt: skip


def _same_doc(got: dict[str, Any], want: dict[str, Any]) -> None:
    """The saved document holds what the editor wrote. The export leaves out
    ``kind`` when it is "choice" and ``read_time`` when it is 0
    (docs/quizzes.md), so those are read with their defaults."""
    default = {"kind": "choice", "read_time": 0, "multiplier": 0}
    assert got["title"] == want["title"]
    assert len(got["questions"]) == len(want["questions"])
    for n, (g, w) in enumerate(zip(got["questions"], want["questions"], strict=True), 1):
        for k, v in w.items():
            if k == "choices":
                assert [{kk: vv for kk, vv in c.items() if vv is not None} for c in g[k]] == v, n
            else:
                assert g.get(k, default.get(k)) == v, (n, k, g.get(k), v)


# --- the oracle -------------------------------------------------------------------


def _half_up(num: int, den: int) -> int:
    """round(num / den), half away from zero, for num >= 0 and den > 0."""
    return (2 * num + den) // (2 * den)


def speed_points(elapsed_ms: int, limit_ms: int, multiplier: int = 1) -> int:
    """S = P if t < 500 ms, else round(P * (1 - (t / T) / 2))."""
    p = 1000 * multiplier
    if elapsed_ms < 500:
        return p
    return _half_up(p * (2 * limit_ms - elapsed_ms), 2 * limit_ms)


@dataclass
class Oracle:
    """Each player's expected right/wrong per question and their streak."""

    streak: dict[str, int] = field(default_factory=lambda: dict.fromkeys(NAMES, 0))

    def points(self, name: str, kind: str, right: bool | None, elapsed_ms: int, d: int = 0) -> int:
        if kind not in SCORED:
            return 0
        if not right:
            self.streak[name] = 0
            return 0
        s = speed_points(elapsed_ms, LIMIT_S * 1000)
        if kind == "slider" and SLIDER["tolerance"]:
            tol = SLIDER["tolerance"] // SLIDER["step"]
            s = _half_up(s * (2 * tol - d), 2 * tol)
        self.streak[name] += 1
        return s + min(100 * (self.streak[name] - 1), 500)


# --- the phones ---------------------------------------------------------------------


def _points_shown(phone: Any) -> int:
    """+N points (streak bonus B): N, the bonus included."""
    text = phone.get_by_test_id("points").inner_text()
    m = re.match(r"\+(\d+) points", text)
    assert m, text
    return int(m.group(1))


def _drag(phone: Any, item: int, to: int) -> None:
    """Drag ordering item `item` (display index) by its handle to position `to`."""
    rows = phone.locator("[data-testid=order-list] > li")
    y0 = rows.nth(0).bounding_box()["y"]
    pitch = rows.nth(1).bounding_box()["y"] - y0
    row = phone.get_by_test_id(f"order-item-{item}")
    frm = int(row.get_attribute("data-position"))
    box = phone.get_by_test_id(f"order-handle-{item}").bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    phone.mouse.move(x, y)
    phone.mouse.down()
    phone.mouse.move(x, y + (to - frm) * pitch / 2, steps=4)
    phone.mouse.move(x, y + (to - frm) * pitch, steps=4)
    phone.mouse.up()
    _expect()(row).to_have_attribute("data-position", str(to))


@pytest.mark.timeout(240)
def test_every_kind_with_auto_advance(e2e_server: Any, browser: Any, shots: Any) -> None:
    expect = _expect()
    base = e2e_server.url
    contexts: list[Any] = []

    def context(**kw: Any) -> Any:
        ctx = browser.new_context(**kw)
        contexts.append(ctx)
        return ctx

    try:
        # --- the host builds the quiz in the editor ----------------------------------
        host = context(viewport={"width": 1280, "height": 900}).new_page()
        _login(host, base)
        title = f"Every kind {uuid.uuid4().hex[:6]}"
        _build_quiz(host, title)
        shots(host, "editor-every-kind")
        host.get_by_role("button", name="Save quiz").click()
        expect(host.get_by_test_id("save-error")).to_have_count(0)
        item = host.locator("[data-testid=quiz-item]", has_text=title)
        expect(item).to_contain_text("8 questions")

        listing = host.request.get(f"{base}/api/quizzes")
        assert listing.ok, listing.text()
        (quiz_id,) = [q["id"] for q in listing.json() if q["title"] == title]
        saved = host.request.get(f"{base}/api/quizzes/{quiz_id}")
        assert saved.ok, saved.text()
        _same_doc(saved.json(), _expected_doc(title))

        # --- a game with auto-advance -------------------------------------------------
        item.get_by_role("button", name="Open a game").click()
        item.get_by_test_id("auto-advance").check()
        item.get_by_test_id("auto-reveal-s").fill(str(REVEAL_S))
        item.get_by_test_id("auto-board-s").fill(str(BOARD_S))
        shots(host, "open-game-auto-advance")
        item.get_by_role("button", name="Start the lobby").click()
        expect(host.get_by_test_id("host-pin")).to_have_text(re.compile(r"PIN \d{6}"))
        pin = host.get_by_test_id("host-pin").inner_text().split()[-1]

        href = host.get_by_role("link", name="Open the big screen").get_attribute("href")
        screen = context(viewport={"width": 1600, "height": 900}).new_page()
        screen.goto(base + href)
        expect(screen.get_by_test_id("screen-pin")).to_have_text(pin)

        phones = {name: context(**PHONE).new_page() for name in NAMES}
        for name, phone in phones.items():
            _join(phone, base, pin, name)
            expect(phone.get_by_role("heading", name="You're in!")).to_be_visible()
        expect(screen.get_by_test_id("screen-players")).to_have_text("3 players")
        alice, bob, carol = (phones[n] for n in NAMES)

        # the host's only click of the game
        host.get_by_test_id("host-next").click()

        shown: dict[tuple[str, int], int] = {}  # points each phone showed
        titles: dict[tuple[str, int], str] = {}

        def asked(n: int) -> None:
            text = QUESTIONS[n - 1][1]
            for phone in phones.values():
                expect(phone.get_by_role("heading", name=text)).to_be_visible()
            expect(screen.get_by_role("heading", name=text)).to_be_visible()

        def results(n: int, want: dict[str, str]) -> None:
            """Each phone's verdict; the points of scored kinds are noted."""
            kind = QUESTIONS[n - 1][0]
            for name, title_text in want.items():
                phone = phones[name]
                expect(phone.get_by_test_id("result-title")).to_have_text(title_text)
                titles[(name, n)] = title_text
                if kind in SCORED:
                    shown[(name, n)] = _points_shown(phone)
                else:
                    expect(phone.get_by_test_id("points")).to_have_count(0)

        def board(n: int) -> None:
            """After the results, auto-advance shows the leaderboard."""
            lb = screen.get_by_test_id("screen-leaderboard")
            expect(lb).to_be_visible()
            expect(lb).to_contain_text(f"After question {n} of 8")

        # --- 1 choice -----------------------------------------------------------------
        asked(1)
        shots(screen, "q1-screen-choice")
        alice.get_by_test_id("answer-0").click()
        expect(alice.get_by_test_id("locked")).to_be_visible()
        bob.get_by_test_id("answer-0").click()
        carol.get_by_test_id("answer-1").click()
        for i, count in enumerate([2, 1, 0]):
            expect(screen.get_by_test_id(f"dist-{i}")).to_have_text(str(count))
        results(1, {ALICE: "Correct!", BOB: "Correct!", CAROL: "Wrong"})
        board(1)
        shots(screen, "q1-screen-leaderboard")

        # --- 2 true/false, after a reading time ----------------------------------------
        asked(2)
        expect(screen.get_by_test_id("screen-reading")).to_be_visible()
        expect(alice.get_by_test_id("reading-countdown")).to_be_visible()
        expect(alice.get_by_test_id("answer-0")).to_be_disabled()
        shots(screen, "q2-screen-reading")
        shots(alice, "q2-phone-reading")
        expect(screen.get_by_test_id("screen-question")).to_be_visible()
        expect(alice.get_by_test_id("answer-0")).to_have_text(re.compile("True"))
        alice.get_by_test_id("answer-0").click()
        bob.get_by_test_id("answer-1").click()
        carol.get_by_test_id("answer-0").click()
        for i, count in enumerate([2, 1]):
            expect(screen.get_by_test_id(f"dist-{i}")).to_have_text(str(count))
        results(2, {ALICE: "Correct!", BOB: "Wrong", CAROL: "Correct!"})
        board(2)

        # --- 3 poll -------------------------------------------------------------------
        asked(3)
        alice.get_by_test_id("answer-0").click()
        bob.get_by_test_id("answer-2").click()
        carol.get_by_test_id("answer-2").click()
        for i, count in enumerate([1, 0, 2]):
            expect(screen.get_by_test_id(f"dist-{i}")).to_have_text(str(count))
        results(3, dict.fromkeys(NAMES, "Thanks for voting"))
        board(3)

        # --- 4 slider: 60 typed on the range input, 55 by +, 40 by -- -----------------
        asked(4)
        expect(screen.get_by_test_id("prompt-slider")).to_contain_text("0 k")
        expect(alice.get_by_test_id("slider-value")).to_have_text("50 k")  # starts mid-grid
        alice.get_by_test_id("slider-input").fill("60")
        expect(alice.get_by_test_id("slider-value")).to_have_text("60 k")
        for _ in range(5):
            bob.get_by_test_id("slider-plus").click()
        expect(bob.get_by_test_id("slider-value")).to_have_text("55 k")
        for _ in range(2):
            carol.get_by_test_id("slider-minus-big").click()  # 5 steps each
        expect(carol.get_by_test_id("slider-value")).to_have_text("40 k")
        shots(bob, "q4-phone-slider")
        for phone in phones.values():
            phone.get_by_test_id("slider-submit").click()
        expect(alice.get_by_test_id("locked-value")).to_have_text("60 k")
        hist = screen.get_by_test_id("histogram")
        expect(hist).to_be_visible()
        expect(screen.get_by_test_id("hist-answer")).to_contain_text("Right answer: 60 k")
        expect(screen.get_by_test_id("hist-answer")).to_contain_text("± 10 k")
        # 20 buckets of 5: 40 -> [40, 45), 55 -> [55, 60), 60 -> [60, 65)
        expect(hist.locator("[data-testid^=hist-count-]")).to_have_count(20)
        want_hist = {8: 1, 11: 1, 12: 1}
        for i in range(20):
            expect(screen.get_by_test_id(f"hist-count-{i}")).to_have_text(str(want_hist.get(i, 0)))
        expect(screen.get_by_test_id("hist-12")).to_have_class(re.compile(r"\banswer\b"))
        shots(screen, "q4-screen-histogram")
        results(4, {ALICE: "Correct!", BOB: "Correct!", CAROL: "Wrong"})
        expect(bob.get_by_test_id("your-answer")).to_have_text("55 k")
        board(4)

        # --- 5 type the answer: Enter on two phones, Send on one --------------------------
        asked(5)
        expect(screen.get_by_test_id("prompt-text")).to_be_visible()
        alice.get_by_test_id("text-input").fill("camp nou!")
        alice.get_by_test_id("text-input").press("Enter")
        bob.get_by_test_id("text-input").fill("  SPOTIFY   Camp Nou ")
        bob.get_by_test_id("text-input").press("Enter")
        carol.get_by_test_id("text-input").fill("Wembley")
        carol.get_by_test_id("text-submit").click()
        expect(screen.get_by_test_id("accepted")).to_contain_text("Camp Nou / Spotify Camp Nou")
        words = screen.get_by_test_id("cloud-word")
        expect(words).to_have_count(3)
        for word in ("camp nou", "spotify camp nou", "wembley"):
            expect(words.filter(has_text=re.compile(rf"^{word} \d+$"))).to_have_attribute(
                "data-count", "1"
            )
        results(5, {ALICE: "Correct!", BOB: "Correct!", CAROL: "Wrong"})
        board(5)

        # --- 6 word cloud -------------------------------------------------------------
        asked(6)
        for phone, word in ((alice, "Electric"), (bob, "electric!"), (carol, "Loud")):
            phone.get_by_test_id("text-input").fill(word)
            phone.get_by_test_id("text-input").press("Enter")
        cloud = screen.get_by_test_id("word-cloud")
        expect(cloud.get_by_test_id("cloud-word")).to_have_count(2)
        expect(cloud.get_by_test_id("cloud-word").nth(0)).to_have_text("electric 2")
        expect(cloud.get_by_test_id("cloud-word").nth(0)).to_have_attribute("data-count", "2")
        expect(cloud.get_by_test_id("cloud-word").nth(1)).to_have_text("loud 1")
        expect(cloud.get_by_test_id("cloud-word").nth(1)).to_have_attribute("data-count", "1")
        shots(screen, "q6-screen-word-cloud")
        results(6, dict.fromkeys(NAMES, "Thanks for your answer"))
        board(6)

        # --- 7 ordering: Alice taps, Bob drags, Carol taps one swap off ----------------------
        asked(7)
        expect(screen.get_by_test_id("prompt-items")).to_be_visible()
        display = [
            alice.locator(f"[data-testid=order-item-{k}] .order-text").inner_text()
            for k in range(len(ITEMS))
        ]
        assert sorted(display) == sorted(ITEMS)
        assert display != ITEMS  # the display order is not the right order
        right = [display.index(it) for it in ITEMS]  # display indexes, right order
        for k in right:
            alice.get_by_test_id(f"order-tap-{k}").click()
        for pos, k in enumerate(right):
            expect(alice.get_by_test_id(f"order-item-{k}")).to_have_attribute(
                "data-position", str(pos)
            )
        for pos, k in enumerate(right):
            _drag(bob, k, pos)
        for pos, k in enumerate(right):
            expect(bob.get_by_test_id(f"order-item-{k}")).to_have_attribute(
                "data-position", str(pos)
            )
        shots(bob, "q7-phone-dragged")
        swapped = [*right[:2], right[3], right[2]]
        for k in swapped:
            carol.get_by_test_id(f"order-tap-{k}").click()
        for phone in phones.values():
            phone.get_by_test_id("order-submit").click()
        expect(screen.get_by_test_id("order-reveal")).to_be_visible()
        for pos, it in enumerate(ITEMS):
            expect(screen.get_by_test_id(f"order-right-{pos}")).to_contain_text(it)
        expect(screen.get_by_test_id("order-right-count")).to_have_text("2 right")
        expect(screen.get_by_test_id("order-wrong-count")).to_have_text("1 wrong")
        shots(screen, "q7-screen-order")
        results(7, {ALICE: "Correct!", BOB: "Correct!", CAROL: "Wrong"})
        board(7)

        # --- 8 an info slide: no answers; it closes at its time, then the game ends -----------
        for phone in phones.values():
            expect(phone.get_by_test_id("info-slide")).to_contain_text(QUESTIONS[7][1])
            expect(phone.get_by_test_id("answer-0")).to_have_count(0)
        expect(screen.get_by_role("heading", name=QUESTIONS[7][1])).to_be_visible()
        shots(alice, "q8-phone-info")

        # --- the end: the podium, and the saved results -------------------------------
        podium = screen.get_by_test_id("podium")
        expect(podium.locator("li")).to_have_count(3)
        shots(screen, "screen-podium")
        places = podium.locator("li").all_inner_texts()
        podium_rows = []
        for t in places:
            m = re.fullmatch(r"(\d+)(?:st|nd|rd|th) (.+) (\d+) points", t)
            assert m, t
            podium_rows.append((int(m.group(1)), m.group(2), int(m.group(3))))
        expect(host.get_by_test_id("csv")).to_be_visible()  # the results are saved
        res = host.request.get(f"{base}/api/games/{pin}/results")
        assert res.ok, res.text()
        data = res.json()
        assert [q["kind"] for q in data["questions"]] == [k for k, _ in QUESTIONS]
        ranking = data["ranking"]
        assert [(r["rank"], r["nickname"], r["score"]) for r in ranking] == podium_rows

        # --- every answer against the oracle ------------------------------------------
        sent: dict[str, list[Any]] = {
            ALICE: [[0], [0], [0], 60, "camp nou!", "Electric", right],
            BOB: [[0], [1], [2], 55, "SPOTIFY   Camp Nou", "electric!", right],
            CAROL: [[1], [0], [2], 40, "Wembley", "Loud", swapped],
        }
        verdict: dict[str, list[bool | None]] = {
            ALICE: [True, True, None, True, True, None, True],
            BOB: [True, False, None, True, True, None, True],
            CAROL: [False, True, None, False, False, None, False],
        }
        oracle = Oracle()
        by_name = {r["nickname"]: r for r in ranking}
        for n in range(1, 8):
            kind = QUESTIONS[n - 1][0]
            for name in NAMES:
                (ans,) = [a for a in by_name[name]["answers"] if a["question"] == n]
                assert ans["value"] == sent[name][n - 1], (name, n, ans)
                right_ = verdict[name][n - 1]
                assert ans["correct"] == right_, (name, n, ans)
                d = abs(int(ans["value"]) - SLIDER["answer"]) if kind == "slider" else 0
                want = oracle.points(name, kind, right_, ans["elapsed_ms"], d)
                assert ans["points"] == want, (name, n, ans, want)
                if kind in SCORED:
                    assert shown[(name, n)] == want, (name, n, shown[(name, n)], want)
                    assert (want > 0) == bool(right_), (name, n)
        for name in NAMES:
            assert not [a for a in by_name[name]["answers"] if a["question"] == 8]
            total = sum(a["points"] for a in by_name[name]["answers"])
            assert by_name[name]["score"] == total
        assert [name for _, name, _ in podium_rows] == [ALICE, BOB, CAROL]
        for name, phone in phones.items():
            rank = [r for r, nick, _ in podium_rows if nick == name][0]
            expect(phone.get_by_test_id("final-rank")).to_contain_text(
                f"with {by_name[name]['score']} points"
            )
            assert rank == by_name[name]["rank"]
        shots(alice, "phone-final")
    finally:
        for ctx in contexts:
            ctx.close()
