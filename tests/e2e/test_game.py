"""A whole game in a real browser: the host writes a quiz with the form and
opens a game, three players join on phones (three browser contexts) and
answer, one reloads mid-question and resumes, the big screen shows the top 3
in order, and the CSV downloads with the right rows.

Assertions are on what users see. Nothing is timed: every wait is for a
text or an element to appear (Playwright's auto-waiting expect)."""

from __future__ import annotations

import csv
import io
import re
import uuid
from typing import Any

import pytest

from .conftest import HOST_PASSWORD, HOST_USER

PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 1,
    "is_mobile": True,
    "has_touch": True,
}
WAIT = 30_000  # ms: an upper bound for an expected screen to show up, not a timing check

# Carol's nickname is markup on purpose: it must show as text, never as HTML.
ALICE, BOB, CAROL = "Alice", "Bob", "<b>Carol</b>"


def _expect() -> Any:
    from playwright.sync_api import expect

    expect.set_options(timeout=WAIT)
    return expect


def _leaderboard(page: Any) -> list[tuple[int, str, int]]:
    """(rank, nickname, score) of the visible top, by rank."""
    rows = page.locator("[data-testid=leaderboard] li")
    out = []
    for i in range(rows.count()):
        row = rows.nth(i)
        out.append(
            (
                int(row.get_attribute("data-rank")),
                row.locator(".lb-name").inner_text(),
                int(row.locator(".lb-score").inner_text()),
            )
        )
    return sorted(out)


def _fill_question(
    page: Any, n: int, text: str, choices: list[tuple[str, bool]], seconds: int
) -> None:
    i = n - 1
    page.fill(f"#q{i}-text", text)
    page.fill(f"#q{i}-time", str(seconds))
    for ci, (label, correct) in enumerate(choices):
        page.fill(f"#q{i}-c{ci}", label)
        page.set_checked(f"#q{i}-c{ci}-ok", correct)


def _join(page: Any, base: str, pin: str, nickname: str) -> None:
    page.goto(f"{base}/play?pin={pin}")
    page.fill("#nickname", nickname)
    page.get_by_role("button", name="Join").click()


def _tap(page: Any, choice: str) -> None:
    page.locator("button.answer", has_text=choice).click()


@pytest.mark.timeout(240)
def test_full_game(e2e_server: Any, browser: Any, shots: Any) -> None:
    expect = _expect()
    base = e2e_server.url
    contexts = []

    def context(**kw: Any) -> Any:
        ctx = browser.new_context(accept_downloads=True, **kw)
        contexts.append(ctx)
        return ctx

    try:
        # --- the host logs in and writes a quiz with the form -----------------
        host = context(viewport={"width": 1280, "height": 900}).new_page()
        host.on("dialog", lambda d: d.accept())
        host.goto(f"{base}/host")
        host.fill("#username", HOST_USER)
        host.fill("#password", "wrong password")
        host.get_by_role("button", name="Log in").click()
        expect(host.get_by_role("alert")).to_contain_text("Wrong username or password")
        host.fill("#password", HOST_PASSWORD)
        host.get_by_role("button", name="Log in").click()
        expect(host.get_by_role("heading", name="Your quizzes")).to_be_visible()

        title = f"Capitals {uuid.uuid4().hex[:6]}"
        host.get_by_role("button", name="New quiz").click()
        host.fill("#title", title)
        _fill_question(
            host, 1, "What is the capital of France?",
            [("Paris", True), ("Rome", False), ("Oslo", False), ("Bern", False)], 60,
        )  # fmt: skip
        host.get_by_role("button", name="Add a question").click()
        _fill_question(
            host, 2, "What is the capital of Norway?",
            [("Madrid", False), ("Oslo", True), ("Lima", False), ("Kyiv", False)], 60,
        )  # fmt: skip
        # a multi-select question worth no points: it moves nobody on the board
        host.get_by_role("button", name="Add a question").click()
        _fill_question(
            host, 3, "Which of these are capitals in Europe?",
            [("Paris", True), ("Lima", False), ("Oslo", True), ("Cairo", False)], 60,
        )  # fmt: skip
        host.select_option("#q2-mult", label="No points")
        shots(host, "host-quiz-form")
        host.get_by_role("button", name="Save quiz").click()
        item = host.locator("[data-testid=quiz-item]", has_text=title)
        expect(item).to_be_visible()
        expect(item).to_contain_text("3 questions")

        # --- opens a game ---------------------------------------------------
        item.get_by_role("button", name="Open a game").click()
        item.get_by_role("button", name="Start the lobby").click()
        expect(host.get_by_test_id("host-pin")).to_have_text(re.compile(r"PIN \d{6}"))
        pin = host.get_by_test_id("host-pin").inner_text().split()[-1]
        expect(host.get_by_test_id("host-status")).to_contain_text("Lobby")

        # --- the big screen, opened from the console's link -------------------
        href = host.get_by_role("link", name="Open the big screen").get_attribute("href")
        # the screen's language in the query (the console's own by default), its key in the fragment
        assert href and href.startswith(f"/screen/{pin}?lang=en#token=")
        screen = context(viewport={"width": 1600, "height": 900}).new_page()
        screen.goto(base + href)
        expect(screen.get_by_test_id("screen-pin")).to_have_text(pin)
        expect(screen.get_by_role("img", name=re.compile("QR code to join"))).to_be_visible()
        assert "token" not in screen.url  # the token left the address bar
        shots(screen, "screen-lobby")

        # --- three players join on phones -------------------------------------
        alice = context(**PHONE).new_page()
        bob = context(**PHONE).new_page()
        carol = context(**PHONE).new_page()
        _join(alice, base, pin, ALICE)
        expect(alice.get_by_role("heading", name="You're in!")).to_be_visible()
        _join(bob, base, pin, BOB)
        expect(bob.get_by_role("heading", name="You're in!")).to_be_visible()
        # a taken nickname is refused in plain words, then Carol picks hers
        _join(carol, base, pin, "alice")
        expect(carol.get_by_test_id("join-error")).to_contain_text("nickname is taken")
        shots(carol, "player-nickname-taken")
        carol.fill("#nickname", CAROL)
        carol.get_by_role("button", name="Join").click()
        expect(carol.get_by_role("heading", name="You're in!")).to_be_visible()
        expect(carol.locator(".nick")).to_have_text(CAROL)  # text, not markup
        # an unknown PIN is refused in plain words
        stranger = context(**PHONE).new_page()
        _join(stranger, base, "000000" if pin != "000000" else "000001", "Dave")
        expect(stranger.get_by_test_id("join-error")).to_contain_text("No game with that PIN")

        players = host.get_by_test_id("players")
        for name in (ALICE, BOB, CAROL):
            expect(players).to_contain_text(name)
        expect(host.get_by_test_id("host-status")).to_contain_text("3 players")
        expect(screen.get_by_test_id("screen-players")).to_have_text("3 players")
        qr = screen.get_by_role("img", name=re.compile("QR code to join"))
        assert qr.get_attribute("alt").endswith(f"{base}/play?pin={pin}")
        expect(screen.get_by_role("list", name="Players who joined")).to_contain_text(CAROL)
        shots(screen, "screen-lobby-players")
        shots(host, "host-lobby")
        shots(alice, "player-lobby")

        # --- question 1: Alice and Bob right, Carol reloads then answers wrong --
        host.get_by_role("button", name="Start the first question").click()
        for p in (alice, bob, carol):
            expect(p.get_by_role("heading", name="What is the capital of France?")).to_be_visible()
        expect(screen.get_by_role("heading", name="What is the capital of France?")).to_be_visible()
        shots(alice, "player-question")
        shots(screen, "screen-question")

        _tap(alice, "Paris")
        expect(alice.get_by_test_id("locked")).to_contain_text("Answer locked in")
        shots(alice, "player-locked-in")
        _tap(bob, "Paris")
        expect(bob.get_by_test_id("locked")).to_contain_text("Answer locked in")
        expect(host.get_by_test_id("answered")).to_contain_text("2 of 3 answered")
        expect(screen.get_by_test_id("screen-answered")).to_contain_text("2 / 3 answered")
        shots(host, "host-question-open")

        # Carol reloads mid-question: the same game, the same question, no new join
        carol.reload()
        expect(carol.get_by_role("heading", name="What is the capital of France?")).to_be_visible()
        expect(carol.locator(".bar-nick")).to_have_text(CAROL)
        assert carol.locator("#nickname").count() == 0
        shots(carol, "player-after-reload")
        _tap(carol, "Rome")

        # every player answered: the question closes by itself
        expect(alice.get_by_test_id("result")).to_contain_text("Correct!")
        expect(bob.get_by_test_id("result")).to_contain_text("Correct!")
        expect(carol.get_by_test_id("result")).to_contain_text("Wrong")
        expect(carol.get_by_test_id("result")).to_contain_text("+0 points")
        expect(alice.get_by_test_id("rank")).to_have_text("1st")
        expect(bob.get_by_test_id("rank")).to_have_text("2nd")
        expect(carol.get_by_test_id("rank")).to_have_text("3rd")
        expect(host.get_by_test_id("dist-0")).to_have_text("2")
        expect(host.get_by_test_id("dist-1")).to_have_text("1")
        shots(alice, "player-result-right")
        shots(carol, "player-result-wrong")
        shots(host, "host-question-closed")
        shots(screen, "screen-question-closed")

        # --- question 2: everyone right, in the order Alice, Bob, Carol --------
        host.get_by_role("button", name="Next question").click()
        for p in (alice, bob, carol):
            expect(p.get_by_role("heading", name="What is the capital of Norway?")).to_be_visible()
        for p in (alice, bob):
            _tap(p, "Oslo")
            expect(p.get_by_test_id("locked")).to_contain_text("Answer locked in")
        _tap(carol, "Oslo")  # the last answer closes the question at once
        for p in (alice, bob, carol):
            expect(p.get_by_test_id("result")).to_contain_text("Correct!")

        # the big screen's live top 3, in order (Alice >= Bob >= 1100 > Carol <= 1000)
        lb = screen.get_by_test_id("leaderboard")
        expect(lb.locator("li[data-rank='3']")).to_contain_text(CAROL)
        expect(lb.locator("li[data-rank='3'] .lb-score")).not_to_have_text("0")
        top = _leaderboard(screen)
        assert [name for _, name, _ in top[:3]] == [ALICE, BOB, CAROL]
        assert top[0][2] >= top[1][2] > top[2][2] > 0
        assert screen.locator("[data-testid=leaderboard] b").count() == 0  # no markup
        shots(screen, "screen-top3")

        # --- question 3: multi-select, no points (tap to pick, then Submit) ------
        host.get_by_role("button", name="Next question").click()
        for p in (alice, bob, carol):
            expect(p.get_by_text("Pick every right answer, then Submit.")).to_be_visible()
        for p, picks in ((alice, ["Paris", "Oslo"]), (bob, ["Paris", "Lima"]), (carol, ["Oslo"])):
            for choice in picks:
                _tap(p, choice)
                expect(
                    p.locator("button.answer[aria-pressed=true]", has_text=choice)
                ).to_be_visible()
            if p is alice:
                shots(alice, "player-multi-select")
            p.get_by_role("button", name=re.compile(r"^Submit")).click()
        expect(alice.get_by_test_id("result")).to_contain_text("Correct!")
        expect(bob.get_by_test_id("result")).to_contain_text("Wrong")
        expect(carol.get_by_test_id("result")).to_contain_text("Correct!")
        for p in (alice, bob, carol):
            expect(p.get_by_test_id("result")).to_contain_text("+0 points")
        assert _leaderboard(screen)[:3] == top[:3]  # a 0-point question moves nobody

        # --- the end: podium, final ranks, CSV -----------------------------------
        host.get_by_role("button", name="End the game").click()
        podium = screen.get_by_test_id("podium")
        expect(podium.locator("li")).to_have_count(3)
        places = podium.locator("li").all_inner_texts()
        assert [re.sub(r" \d+ points$", "", t) for t in places] == [
            f"1st {ALICE}",
            f"2nd {BOB}",
            f"3rd {CAROL}",
        ]
        final_scores = [int(re.search(r"(\d+) points$", t).group(1)) for t in places]
        assert final_scores == [s for _, _, s in top[:3]]
        shots(screen, "screen-podium")
        expect(alice.get_by_test_id("final-rank")).to_contain_text("You finished 1st")
        expect(bob.get_by_test_id("final-rank")).to_contain_text("You finished 2nd")
        expect(carol.get_by_test_id("final-rank")).to_contain_text("You finished 3rd")
        shots(alice, "player-final")
        shots(carol, "player-final-3rd")

        csv_link = host.get_by_test_id("csv")
        expect(csv_link).to_be_visible()
        shots(host, "host-game-over")
        with host.expect_download() as dl:
            csv_link.click()
        path = dl.value.path()
        with open(path, "rb") as raw:
            assert raw.read(3) == b"\xef\xbb\xbf"  # a BOM: spreadsheets read it as UTF-8
        with open(path, encoding="utf-8-sig") as f:
            rows = list(csv.DictReader(io.StringIO(f.read())))
        assert [r["nickname"] for r in rows] == [ALICE, BOB, CAROL]
        assert [int(r["rank"]) for r in rows] == [1, 2, 3]
        assert [int(r["score"]) for r in rows] == final_scores
        assert [int(r["correct"]) for r in rows] == [3, 2, 2]
        assert int(rows[2]["q1"]) == 0 and int(rows[2]["q2"]) > 0
        for r in rows:
            assert int(r["q3"]) == 0
            assert int(r["q1"]) + int(r["q2"]) == int(r["score"])
    finally:
        for ctx in contexts:
            ctx.close()
