"""Branding, the host's full-screen board in a manual game, and the podium
on a reloaded screen (issue 15), in Chromium.

The host sets a logo and an accent in the quiz editor's Branding section
(the browser uploads a real PNG; a text file named .png is refused by the
server and the editor says so); a game opened then shows that logo, really
decoded (naturalWidth > 0), and that accent (computed styles) on the big
screen and on a phone. Every wait is for something to show."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from testkit.images import png

from .test_a11y import blocking, scan
from .test_game import _expect
from .test_screen_show import (
    FULL_HD,
    Errors,
    Sock,
    _answer,
    _choice,
    _host,
    _host_api,
    _join,
    _open_game,
    _screen,
)

ACCENT = "#e53935"  # reads on the show's background as it is (3.9:1), black text on it
ACCENT_RGB = "rgb(229, 57, 53)"
PHONE = {"width": 390, "height": 844}


def _natural_width(locator: Any) -> int:
    return int(locator.evaluate("img => img.complete ? img.naturalWidth : 0"))


def _accent_of(page: Any, selector: str) -> str:
    return str(
        page.locator(selector).first.evaluate(
            "e => getComputedStyle(e).getPropertyValue('--accent').trim()"
        )
    )


@pytest.mark.timeout(240)
def test_a_host_brands_a_quiz_and_the_screen_and_phones_show_it(
    e2e_server: Any, browser: Any, shots: Any, tmp_path: Path
) -> None:
    expect = _expect()
    base = e2e_server.url
    api = _host_api(browser, base)  # the host's logged-in browser context
    errors = Errors()
    phone_ctx = None
    screen = None
    try:
        doc = {"title": "Derby night", "questions": [_choice("Ready?", ["Yes", "No"], 0)]}
        quiz = api.post(f"{base}/api/quizzes", doc)
        assert quiz.status == 201, quiz.text()
        qid = quiz.json()["id"]

        # --- the editor's Branding section -------------------------------------------
        editor = api.ctx.new_page()
        editor.on("pageerror", lambda e: errors.seen.append(str(e)))
        editor.goto(f"{base}/host/quizzes/{qid}")
        section = editor.get_by_test_id("brand-fields")
        expect(section).to_be_visible()
        expect(section.get_by_role("heading", name="Branding")).to_be_visible()
        # a text file named .png passes the browser's pre-check (its type is
        # taken from the name) and the server refuses it by its bytes
        fake = tmp_path / "logo.png"
        fake.write_text("I am not an image, just text with a .png name\n")
        editor.get_by_test_id("brand-logo-file").set_input_files(str(fake))
        expect(editor.get_by_test_id("brand-error")).to_have_text(
            "The logo must be a PNG, JPEG, WebP or GIF image (SVG is not accepted)."
        )
        # an SVG never leaves the browser
        svg = tmp_path / "logo.svg"
        svg.write_text('<svg xmlns="http://www.w3.org/2000/svg"/>')
        editor.get_by_test_id("brand-logo-file").set_input_files(str(svg))
        expect(editor.get_by_test_id("brand-error")).to_contain_text("SVG is not accepted")
        # an http URL is refused with the server's code, worded
        editor.get_by_test_id("brand-logo-url").fill("http://example.com/logo.png")
        editor.get_by_test_id("brand-logo-url-save").click()
        expect(editor.get_by_test_id("brand-error")).to_have_text(
            "The logo URL must be an https:// address."
        )
        # the real logo and the accent
        logo = tmp_path / "club.png"
        logo.write_bytes(png(240, 80, (0, 150, 136)))
        editor.get_by_test_id("brand-logo-file").set_input_files(str(logo))
        preview_logo = editor.get_by_test_id("brand-preview-logo")
        expect(preview_logo).to_be_visible()
        expect(editor.get_by_test_id("brand-error")).to_have_count(0)
        editor.get_by_test_id("brand-accent").fill(ACCENT)
        editor.get_by_test_id("brand-accent-save").click()
        chip = editor.get_by_test_id("brand-preview-chip")
        expect(chip).to_have_css("background-color", ACCENT_RGB)
        expect(chip).to_have_css("color", "rgb(0, 0, 0)")  # black reads on this red
        assert _natural_width(preview_logo) == 240
        shots(editor, "editor-branding")
        assert blocking(scan(editor, "editor-branding")) == []
        brand = api.ctx.request.get(f"{base}/api/quizzes/{qid}/brand").json()
        assert brand["accent"] == ACCENT and brand["uploaded"]["width"] == 240
        # the editor's Save (title and questions) keeps the brand
        editor.get_by_test_id("save-quiz").click()
        expect(editor).to_have_url(f"{base}/host")
        assert api.ctx.request.get(f"{base}/api/quizzes/{qid}/brand").json()["accent"] == ACCENT

        # --- a game of it: the big screen -------------------------------------------------
        game = api.post(f"{base}/api/games", {"quiz": qid}).json()
        assert game["brand"] == {"accent": ACCENT, "logo": brand["logo"]}
        screen = _screen(browser, base, game, errors)
        mark = screen.get_by_test_id("screen-logo")
        expect(mark).to_be_visible()
        screen.wait_for_function(
            "() => { const i = document.querySelector('[data-testid=screen-logo]');"
            " return i && i.complete && i.naturalWidth > 0; }"
        )
        assert _natural_width(mark) == 240
        assert _accent_of(screen, "main.screen") == ACCENT
        expect(screen.get_by_test_id("screen-players")).to_have_css("color", ACCENT_RGB)

        # --- a phone: the join form, then the lobby -------------------------------------
        phone_ctx = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
        phone = phone_ctx.new_page()
        phone.on("pageerror", lambda e: errors.seen.append(str(e)))
        phone.goto(f"{base}/play?pin={game['pin']}")
        join_logo = phone.get_by_test_id("join-logo")
        expect(join_logo).to_be_visible()
        phone.locator("#nickname").fill("Ada")
        phone.get_by_role("button", name="Join").click()
        lobby_logo = phone.get_by_test_id("phone-logo")
        expect(lobby_logo).to_be_visible()
        phone.wait_for_function(
            "() => { const i = document.querySelector('[data-testid=phone-logo]');"
            " return i && i.complete && i.naturalWidth > 0; }"
        )
        box = lobby_logo.bounding_box()
        assert box is not None and box["height"] <= 56.5 and box["width"] <= 390
        assert _accent_of(phone, "main.player") == ACCENT
        expect(phone.get_by_role("heading", name="You're in!")).to_have_css("color", ACCENT_RGB)
        shots(phone, "phone-lobby-branded")
        assert blocking(scan(phone, "phone-lobby-branded")) == []
        expect(screen.get_by_test_id("screen-players")).to_have_text("1 player")
        shots(screen, "screen-lobby-branded")
        # the lobby's logo stands clear of the title, at 1080p and at 720p
        for size in (FULL_HD, {"width": 1280, "height": 720}):
            screen.set_viewport_size(size)
            logo_box = screen.get_by_test_id("screen-logo").bounding_box()
            title_box = screen.locator(".lobby-title").bounding_box()
            assert logo_box is not None and title_box is not None
            assert logo_box["y"] + logo_box["height"] <= title_box["y"], (size, logo_box, title_box)
        screen.set_viewport_size(FULL_HD)

        # the show: the logo in the corner, the top row in the accent with black text
        host = _host(base, game)
        try:
            host.send({"type": "start_question", "question": 1})
            expect(screen.get_by_test_id("screen-question")).to_be_visible()
            expect(screen.get_by_test_id("screen-logo")).to_have_class(re.compile("screen-corner"))
            top = screen.locator("[data-testid=leaderboard] li[data-rank='1']")
            expect(top).to_have_css("background-color", ACCENT_RGB)
            expect(top).to_have_css("color", "rgb(0, 0, 0)")
            shots(screen, "screen-question-branded")
            assert blocking(scan(screen, "screen-question-branded")) == []
        finally:
            host.close()
        assert errors.seen == []
    finally:
        if screen is not None:
            screen.context.close()
        if phone_ctx is not None:
            phone_ctx.close()
        api.close()


@pytest.mark.timeout(240)
def test_the_hosts_show_leaderboard_fills_the_screen_in_a_manual_game(
    e2e_server: Any, browser: Any, shots: Any
) -> None:
    expect = _expect()
    base = e2e_server.url
    api = _host_api(browser, base)
    questions = [
        _choice("Capital of Spain?", ["Madrid", "Lisbon", "Rome"], 0),
        _choice("Capital of Italy?", ["Madrid", "Lisbon", "Rome"], 2),
    ]
    game = _open_game(api, base, questions)  # no auto_advance: the host runs the show
    pin = game["pin"]
    errors = Errors()
    screen = _screen(browser, base, game, errors)
    console = api.ctx.new_page()  # the logged-in host's console, any tab
    console.on("pageerror", lambda e: errors.seen.append(str(e)))
    try:
        tokens = {n: _join(base, pin, n) for n in ("Alice", "Bob", "Carol")}
        console.goto(f"{base}/host/game/{pin}")
        expect(console.get_by_test_id("host-status")).to_have_text("Lobby: 3 players")
        console.get_by_test_id("host-next").click()
        expect(screen.get_by_test_id("screen-question")).to_be_visible()
        # no board to show while the question is open
        expect(console.get_by_test_id("host-show-board")).to_have_count(0)
        for who, choice in (("Bob", 0), ("Carol", 0), ("Alice", 1)):
            _answer(base, pin, tokens[who], 1, choice)
        console.get_by_test_id("host-close").click()
        expect(screen.get_by_test_id("screen-results")).to_be_visible()
        expect(screen.get_by_test_id("screen-leaderboard")).to_have_count(0)  # results first

        console.get_by_test_id("host-show-board").click()
        board = screen.get_by_test_id("screen-leaderboard")
        expect(board).to_be_visible()
        expect(board).to_contain_text("After question 1 of 2")
        expect(board.locator("[data-testid=leaderboard]")).to_have_attribute("data-settled", "true")
        expect(console.get_by_test_id("host-status")).to_have_text(
            "Question 1 of 2 (closed) · leaderboard"
        )
        expect(console.get_by_test_id("host-show-board")).to_have_count(0)
        # the right names, order and points (as the server tells each player):
        # Bob answered first, then Carol; Alice was wrong
        scores = {who: Sock(base, f"/ws/play/{pin}/", t) for who, t in tokens.items()}
        try:
            you = {who: s.welcome["you"] for who, s in scores.items()}
        finally:
            for s in scores.values():
                s.close()
        want = sorted(you.items(), key=lambda kv: kv[1]["rank"])
        assert [w for w, _ in want][:2] == ["Bob", "Carol"] and you["Alice"]["score"] == 0
        assert you["Bob"]["score"] >= you["Carol"]["score"] > 0  # ties go to the earlier answer
        for who, me in want:
            row = board.locator("li.sb-row", has_text=who)
            expect(row).to_have_attribute("data-rank", str(me["rank"]))
            expect(row.locator(".sb-score")).to_have_text(str(me["score"]))
        ys = [board.locator("li.sb-row", has_text=w).bounding_box()["y"] for w, _ in want]
        assert ys == sorted(ys) and len(set(ys)) == 3, ys
        shots(screen, "manual-board")
        # a reload (or a screen opened now) shows the board again: welcome's board_shown
        screen.reload()
        expect(screen.get_by_test_id("screen-leaderboard")).to_contain_text("After question 1 of 2")
        expect(board.locator("li[data-rank='1']")).to_contain_text(want[0][0])
        # the next question takes the screen back
        console.get_by_test_id("host-next").click()
        expect(screen.get_by_role("heading", name="Capital of Italy?")).to_be_visible()
        expect(board).to_have_count(0)
        assert errors.seen == []
    finally:
        screen.context.close()
        console.close()
        api.close()


@pytest.mark.timeout(240)
def test_a_screen_reloaded_after_the_end_shows_the_podium_again(
    e2e_server: Any, browser: Any, shots: Any
) -> None:
    expect = _expect()
    base = e2e_server.url
    api = _host_api(browser, base)
    game = _open_game(api, base, [_choice("2 + 2?", ["4", "5", "3"], 0, multiplier=1)])
    pin = game["pin"]
    errors = Errors()
    screen = _screen(browser, base, game, errors)
    calm = browser.new_context(viewport=FULL_HD, reduced_motion="reduce")
    host = _host(base, game)
    try:
        tokens = {n: _join(base, pin, n) for n in ("Ann", "Ben", "Cid", "Dee")}
        host.send({"type": "start_question", "question": 1})
        expect(screen.get_by_test_id("screen-question")).to_be_visible()
        # Ann first, then Ben, then Cid right; Dee wrong
        for who, choice in (("Ann", 0), ("Ben", 0), ("Cid", 0), ("Dee", 1)):
            _answer(base, pin, tokens[who], 1, choice)
        host.send({"type": "end_game"})
        host.expect("saved", timeout=30)
        expect(screen.get_by_test_id("podium-step-1")).to_have_attribute("data-revealed", "true")
        # the save freed the PIN: the welcome cannot bring the end back now
        gone = api.ctx.request.get(f"{base}/api/games/{pin}")
        assert gone.status == 410 and gone.json()["error"] == "game_finished"

        screen.reload()
        expect(screen.get_by_test_id("screen-final")).to_be_visible()
        expect(screen.get_by_test_id("screen-final")).to_contain_text("final results")
        places = screen.get_by_test_id("podium").locator("li")
        expect(places).to_have_count(3)
        assert [re.sub(r" \d+ points$", "", t) for t in places.all_inner_texts()] == [
            "1st Ann", "2nd Ben", "3rd Cid",
        ]  # fmt: skip
        # revealed 3rd, then 2nd, then 1st, as at the end
        expect(screen.get_by_test_id("podium-step-3")).to_have_attribute("data-revealed", "true")
        expect(screen.get_by_test_id("podium-step-1")).to_have_attribute("data-revealed", "true")
        expect(screen.get_by_test_id("podium-step-1")).to_contain_text("Ann")
        expect(screen.get_by_test_id("podium-step-2")).to_contain_text("Ben")
        expect(screen.get_by_test_id("podium-step-3")).to_contain_text("Cid")
        shots(screen, "podium-after-reload")

        # with reduced motion every place shows at once
        still = calm.new_page()
        still.goto(f"{base}/screen/{pin}#token={game['screen_token']}")
        for n in (1, 2, 3):
            expect(still.get_by_test_id(f"podium-step-{n}")).to_have_attribute(
                "data-revealed", "true", timeout=500 if n > 1 else 10_000
            )
        expect(still.get_by_test_id("podium-step-1")).to_contain_text("Ann")
        assert errors.seen == []
    finally:
        host.close()
        screen.context.close()
        calm.close()
        api.close()
