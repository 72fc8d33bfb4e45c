"""The host console's edges in a real browser (issue 15, points 3, 7, 9, 10):

- a logged-in host resumes a live game from a new browser context (no
  sessionStorage of the tab that opened it): the host socket welcomes and
  the controls drive the game;
- with late join off the join control follows the server live: once the
  first question opens it says joining is closed, without a reload; a late
  player is told the game already started, and after the end that it ended;
- the quiz editor: its error sits next to Save and at the question, goes
  away once fixed, reads like words; Back asks before dropping edits; the
  "Right answer" checkboxes have visible labels;
- /api/docs renders with every request off this machine blocked.

Every wait is for something users see; nothing is timed."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from .conftest import HOST_PASSWORD, HOST_USER
from .test_game import PHONE, _expect, _join
from .test_host_tools import _doc, _login, open_lobby

CONSOLE = {"viewport": {"width": 1440, "height": 900}}


def _public(base: str, pin: str) -> dict[str, Any]:
    with urllib.request.urlopen(f"{base}/api/games/{pin}", timeout=10) as r:
        return dict(json.loads(r.read()))


def _join_status(base: str, pin: str, nickname: str) -> tuple[int, str]:
    """POST a join as a phone would; (HTTP status, error code or "")."""
    req = urllib.request.Request(
        f"{base}/api/games/{pin}/players",
        data=json.dumps({"nickname": nickname}).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, ""
    except urllib.error.HTTPError as e:
        return e.code, str(json.loads(e.read())["error"])


@pytest.mark.timeout(180)
def test_host_resumes_a_live_game_from_a_new_browser_context(
    e2e_server: Any, browser: Any, shots: Any, tmp_path: Path
) -> None:
    expect = _expect()
    base = e2e_server.url
    first = browser.new_context(**CONSOLE)
    second = browser.new_context(**CONSOLE)  # another device: nothing of the first
    try:
        opener = first.new_page()
        pin = open_lobby(opener, base, tmp_path, "Console")
        assert _join_status(base, pin, "Pat") == (201, "")

        # the new context opens the console's URL: log in, then the console
        console = second.new_page()
        console.goto(f"{base}/host/game/{pin}")
        console.fill("#username", HOST_USER)
        console.fill("#password", HOST_PASSWORD)
        console.get_by_role("button", name="Log in").click()
        expect(console.get_by_test_id("host-pin")).to_have_text(f"PIN {pin}")
        expect(console.get_by_test_id("host-status")).to_contain_text("Lobby: 1 player")
        expect(console.get_by_test_id("players")).to_contain_text("Pat")
        expect(console.get_by_text("does not hold the host key")).to_have_count(0)
        shots(console, "console-resumed-new-context")

        # its controls drive the game: the first console and the server follow
        console.get_by_role("button", name="Start the first question").click()
        expect(opener.get_by_test_id("host-status")).to_contain_text("Question 1 of 2")
        expect(console.get_by_test_id("host-status")).to_have_text("Question 1 of 2 (open)")
        assert _public(base, pin)["state"] == "question"
        console.get_by_test_id("host-close").click()
        expect(console.get_by_test_id("host-status")).to_contain_text("Question 1 of 2 (closed)")
        expect(opener.get_by_test_id("host-status")).to_contain_text("(closed)")
        assert _public(base, pin)["state"] == "reveal"

        # the console's games list offers Resume for the live game here too
        console.goto(f"{base}/host")
        row = console.get_by_test_id(f"game-row-{pin}")
        expect(row).to_contain_text("(live)")
        expect(console.get_by_test_id(f"game-resume-{pin}")).to_be_visible()
        console.get_by_test_id(f"game-resume-{pin}").click()
        expect(console.get_by_test_id("host-status")).to_contain_text("Question 1 of 2 (closed)")
        shots(console, "console-resumed-from-list")

        # a third context that never logs in is asked to
        anon = browser.new_context(**CONSOLE)
        try:
            page = anon.new_page()
            page.goto(f"{base}/host/game/{pin}")
            expect(page.get_by_role("button", name="Log in")).to_be_visible()
            expect(page.get_by_test_id("host-pin")).to_have_count(0)
        finally:
            anon.close()
    finally:
        second.close()
        first.close()


@pytest.mark.timeout(180)
def test_join_state_with_late_join_off_follows_the_server(
    e2e_server: Any, browser: Any, shots: Any, tmp_path: Path
) -> None:
    expect = _expect()
    base = e2e_server.url
    contexts = [browser.new_context(**CONSOLE)]
    try:
        host = contexts[0].new_page()
        pin = open_lobby(host, base, tmp_path, "Console", late_join=False)
        join = host.get_by_test_id("host-join-state")
        expect(join).to_have_text("Lock joining")
        expect(join).to_have_attribute("data-join", "open")

        contexts.append(browser.new_context(**PHONE))
        pat = contexts[-1].new_page()
        _join(pat, base, pin, "Pat")
        expect(pat.get_by_role("heading", name="You're in!")).to_be_visible()

        # the first question closes joining: the console says so at once
        host.get_by_role("button", name="Start the first question").click()
        expect(join).to_have_attribute("data-join", "started")
        expect(join).to_have_text("Joining closed: the game started (late join is off)")
        expect(host.get_by_role("button", name="Lock joining")).to_have_count(0)
        expect(host.get_by_role("button", name="Allow joining")).to_have_count(0)
        shots(host, "console-joining-closed")

        # a late player hears the real reason
        assert _join_status(base, pin, "Late") == (403, "game_started")
        contexts.append(browser.new_context(**PHONE))
        late = contexts[-1].new_page()
        _join(late, base, pin, "Late")
        expect(late.get_by_test_id("join-error")).to_contain_text("already started")
        shots(late, "phone-join-already-started")

        # after the end (saved: the PIN is freed) the PIN says the game ended
        host.get_by_test_id("host-close").click()
        host.get_by_role("button", name="End the game").click()
        expect(host.get_by_test_id("csv")).to_be_visible()
        for _ in range(100):  # until the save freed the PIN (a state, not a timing)
            status = _join_status(base, pin, f"After{_}")
            if status[0] != 403:
                break
        assert status == (410, "game_finished")
        gone = browser.new_context(**PHONE)
        contexts.append(gone)
        after = gone.new_page()
        _join(after, base, pin, "After")
        expect(after.get_by_test_id("join-error")).to_contain_text("ended")
        expect(after.get_by_test_id("join-error")).not_to_contain_text("No game with that PIN")
        shots(after, "phone-join-game-ended")
    finally:
        for c in contexts:
            c.close()


@pytest.mark.timeout(180)
def test_lock_button_follows_the_server_with_late_join_on(
    e2e_server: Any, browser: Any, tmp_path: Path
) -> None:
    expect = _expect()
    ctx = browser.new_context(**CONSOLE)
    try:
        host = ctx.new_page()
        open_lobby(host, e2e_server.url, tmp_path, "Console")
        join = host.get_by_test_id("host-join-state")
        join.click()
        expect(join).to_have_text("Allow joining")
        host.get_by_role("button", name="Start the first question").click()
        expect(host.get_by_test_id("host-status")).to_contain_text("(open)")
        expect(join).to_have_text("Allow joining")  # still the host's lock, not "closed"
        join.click()
        expect(join).to_have_text("Lock joining")
        expect(join).to_have_attribute("data-join", "open")
    finally:
        ctx.close()


def _box(locator: Any) -> dict[str, float]:
    return dict(locator.evaluate("e => e.getBoundingClientRect().toJSON()"))


@pytest.mark.timeout(180)
def test_editor_errors_back_confirm_and_right_answer_labels(
    e2e_server: Any, browser: Any, shots: Any, tmp_path: Path
) -> None:
    expect = _expect()
    base = e2e_server.url
    ctx = browser.new_context(**CONSOLE)
    try:
        host = ctx.new_page()
        _login(host, base)

        # schema errors of an imported file read like words
        bad = tmp_path / "no-time.json"
        doc = _doc("No time limit")
        del doc["questions"][0]["time_limit"]
        bad.write_text(json.dumps(doc))
        host.set_input_files("input[type=file]", str(bad))
        alert = host.get_by_role("alert")
        expect(alert).to_contain_text("Question 1: time limit is required")
        expect(alert).not_to_contain_text("questions.0")
        expect(alert).not_to_contain_text("Field required")

        host.get_by_role("button", name="New quiz").click()
        expect(host.get_by_role("heading", name="New quiz")).to_be_visible()

        # every choice's checkbox has a visible "Right answer" label
        labels = host.locator("[data-testid=question-1] .right-toggle")
        n = labels.count()
        assert n >= 2
        for i in range(n):
            label = labels.nth(i)
            expect(label).to_be_visible()
            assert label.inner_text().strip().startswith("Right answer")
            box = _box(label)
            assert box["width"] > 60 and box["height"] >= 16, box
            size = label.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
            assert size >= 14, size
        expect(host.get_by_label("Right answer (choice 2)")).to_have_count(1)

        # a client check: no right answer; the error sits beside Save and at
        # the question, and goes once fixed, with no second Save
        title = f"Capitals {uuid.uuid4().hex[:6]}"  # other tests' quizzes share the list
        host.fill("#title", title)
        host.fill("#q0-text", "Capital of France?")
        for i, city in enumerate(["Lyon", "Paris", "Nice", "Lille"][:n]):
            host.fill(f"#q0-c{i}", city)
        host.get_by_label("Right answer (choice 1)").uncheck()  # a new question ticks the first
        save = host.get_by_role("button", name="Save quiz")
        save.click()
        error = host.get_by_test_id("save-error")
        expect(error).to_have_text("Question 1 needs at least one right answer.")
        at_question = host.get_by_test_id("field-error-1")
        expect(at_question).to_have_text("Question 1 needs at least one right answer.")
        e, s = _box(error), _box(save)
        # beside Save: on the same row (their boxes overlap vertically), to its right
        assert e["top"] < s["bottom"] and e["bottom"] > s["top"], (e, s)
        assert e["left"] >= s["right"], (e, s)
        q = _box(host.get_by_test_id("question-1"))
        f = _box(at_question)
        assert q["top"] <= f["top"] and f["bottom"] <= q["bottom"], (q, f)
        shots(host, "editor-error-beside-save")
        host.get_by_label("Right answer (choice 2)").check()
        expect(error).to_have_count(0)
        expect(at_question).to_have_count(0)

        # a server refusal, in words, at the question; gone once that question changes
        host.select_option("#q0-kind", "type_answer")
        host.fill("#q0-acc0", "?!")
        save.click()
        expect(error).to_contain_text("Question 1")
        expect(error).to_contain_text("only punctuation")
        expect(error).not_to_contain_text("questions.0")
        expect(host.get_by_test_id("field-error-1")).to_contain_text("only punctuation")
        host.fill("#q0-acc0", "Paris")
        expect(error).to_have_count(0)
        shots(host, "editor-error-cleared")

        # Back with unsaved edits asks, in the page; keep editing keeps them
        host.get_by_test_id("editor-back").click()
        dialog = host.get_by_role("alertdialog", name="Discard your changes?")
        expect(dialog).to_be_visible()
        expect(host).to_have_url(f"{base}/host/quizzes/new")
        shots(host, "editor-back-confirm")
        dialog.get_by_role("button", name="Keep editing").click()
        expect(dialog).to_have_count(0)
        expect(host.locator("#title")).to_have_value(title)
        host.get_by_test_id("editor-back").click()
        host.get_by_role("button", name="Discard changes").click()
        expect(host).to_have_url(f"{base}/host")
        expect(host.locator("[data-testid=quiz-item]", has_text=title)).to_have_count(0)

        # with nothing edited Back just goes back
        host.get_by_role("button", name="New quiz").click()
        expect(host.get_by_role("heading", name="New quiz")).to_be_visible()
        host.get_by_test_id("editor-back").click()
        expect(host).to_have_url(f"{base}/host")
        expect(host.get_by_role("alertdialog")).to_have_count(0)
    finally:
        ctx.close()


@pytest.mark.timeout(120)
def test_api_docs_render_offline(e2e_server: Any, browser: Any, shots: Any) -> None:
    expect = _expect()
    base = e2e_server.url
    ours = urlsplit(base).netloc
    ctx = browser.new_context(**CONSOLE)
    blocked: list[str] = []

    def only_this_machine(route: Any) -> None:
        if urlsplit(route.request.url).netloc == ours:
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    try:
        ctx.route("**/*", only_this_machine)
        page = ctx.new_page()
        page.goto(f"{base}/api/docs")
        expect(page.locator("#swagger-ui .info .title")).to_contain_text("Stadium")
        ops = page.locator("#swagger-ui .opblock")
        expect(ops.first).to_be_visible()
        assert ops.count() >= 15, ops.count()
        expect(page.locator("#swagger-ui")).to_contain_text("/api/games/{pin}/host-key")
        shots(page, "api-docs-offline")
        assert blocked == [], blocked  # nothing was even asked of another host
    finally:
        ctx.close()
