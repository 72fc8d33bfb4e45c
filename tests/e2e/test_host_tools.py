"""The host's tools in a real browser: import, export, edit and delete a
quiz; lock joining and kick a player; and a player who loses the server
mid-question sees the banner, reconnects by itself and resumes.

Every wait is for something users see; nothing is timed."""

from __future__ import annotations

import json
import time
import urllib.request
import uuid
from pathlib import Path
from typing import Any

import pytest

from .conftest import HOST_PASSWORD, HOST_USER
from .test_game import PHONE, _expect, _join, _tap


def _doc(title: str) -> dict[str, Any]:
    return {
        "title": title,
        "questions": [
            {
                "text": "Which planet is known as the red planet?",
                "time_limit": 120,
                "multiplier": 1,
                "image": None,
                "choices": [
                    {"text": "Venus", "correct": False},
                    {"text": "Mars", "correct": True},
                    {"text": "Jupiter", "correct": False},
                ],
            },
            {
                "text": "How many legs has a spider?",
                "time_limit": 30,
                "multiplier": 2,
                "image": None,
                "choices": [{"text": "6", "correct": False}, {"text": "8", "correct": True}],
            },
        ],
    }


def _login(page: Any, base: str) -> None:
    expect = _expect()
    page.goto(f"{base}/host")
    page.fill("#username", HOST_USER)
    page.fill("#password", HOST_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Your quizzes")).to_be_visible()


def _import(page: Any, tmp_path: Path, doc: dict[str, Any]) -> Any:
    expect = _expect()
    path = tmp_path / "quiz.json"
    path.write_text(json.dumps(doc))
    page.set_input_files("input[type=file]", str(path))
    expect(page.get_by_role("status")).to_contain_text("Imported quiz.json")
    item = page.locator("[data-testid=quiz-item]", has_text=doc["title"])
    expect(item).to_be_visible()
    return item


@pytest.mark.timeout(180)
def test_import_export_edit_delete(
    e2e_server: Any, browser: Any, shots: Any, tmp_path: Path
) -> None:
    expect = _expect()
    ctx = browser.new_context(accept_downloads=True, viewport={"width": 1100, "height": 900})
    try:
        host = ctx.new_page()
        host.on("dialog", lambda d: d.accept())
        _login(host, e2e_server.url)
        doc = _doc(f"Space {uuid.uuid4().hex[:6]}")
        item = _import(host, tmp_path, doc)
        expect(item).to_contain_text("2 questions")
        shots(host, "host-quiz-list")

        # export gives back the very document that was imported
        with host.expect_download() as dl:
            item.get_by_role("button", name="Export").click()
        assert json.loads(Path(dl.value.path()).read_text()) == doc

        # a file that is not a quiz is refused in words, nothing is added
        bad = tmp_path / "bad.json"
        bad.write_text(json.dumps({"title": "No questions", "questions": []}))
        host.set_input_files("input[type=file]", str(bad))
        expect(host.get_by_role("alert")).to_be_visible()
        expect(host.locator("[data-testid=quiz-item]", has_text="No questions")).to_have_count(0)

        # edit: the form comes filled in; change the title and a choice
        item.get_by_role("button", name="Edit").click()
        expect(host.locator("#q0-text")).to_have_value(doc["questions"][0]["text"])
        expect(host.locator("#q1-mult")).to_have_value("2")
        new_title = doc["title"] + " (edited)"
        host.fill("#title", new_title)
        host.fill("#q0-c0", "Saturn")
        shots(host, "host-quiz-edit")
        host.get_by_role("button", name="Save quiz").click()
        edited = host.locator("[data-testid=quiz-item]", has_text=new_title)
        expect(edited).to_be_visible()
        with host.expect_download() as dl:
            edited.get_by_role("button", name="Export").click()
        again = json.loads(Path(dl.value.path()).read_text())
        assert again["title"] == new_title
        assert again["questions"][0]["choices"][0] == {"text": "Saturn", "correct": False}

        # delete (the confirmation is accepted)
        edited.get_by_role("button", name="Delete").click()
        expect(host.locator("[data-testid=quiz-item]", has_text=new_title)).to_have_count(0)
    finally:
        ctx.close()


def _join_open(base: str, pin: str) -> bool:
    with urllib.request.urlopen(f"{base}/api/games/{pin}", timeout=5) as r:
        return bool(json.loads(r.read())["join_open"])


@pytest.mark.timeout(180)
def open_lobby(host: Any, base: str, tmp_path: Path, title: str, *, late_join: bool = True) -> str:
    """Log the host in, import a quiz, open its lobby; the game's PIN."""
    expect = _expect()
    host.on("dialog", lambda d: d.accept())
    _login(host, base)
    item = _import(host, tmp_path, _doc(f"{title} {uuid.uuid4().hex[:6]}"))
    item.get_by_role("button", name="Open a game").click()
    if not late_join:
        item.get_by_label("Players may join after the start").uncheck()
    item.get_by_role("button", name="Start the lobby").click()
    expect(host.get_by_test_id("host-pin")).to_be_visible()
    return str(host.get_by_test_id("host-pin").inner_text().split()[-1])


def test_lock_kick_and_reconnect(e2e_server: Any, browser: Any, shots: Any, tmp_path: Path) -> None:
    expect = _expect()
    base = e2e_server.url
    contexts = [browser.new_context(viewport={"width": 1100, "height": 900})]
    try:
        host = contexts[0].new_page()
        pin = open_lobby(host, base, tmp_path, "Planets", late_join=False)

        contexts.append(browser.new_context(**PHONE))
        pat = contexts[-1].new_page()
        _join(pat, base, pin, "Pat")
        expect(pat.get_by_role("heading", name="You're in!")).to_be_visible()
        expect(host.get_by_test_id("players")).to_contain_text("Pat")

        # lock: the next player is refused in plain words
        host.get_by_role("button", name="Lock joining").click()
        expect(host.get_by_role("button", name="Allow joining")).to_be_visible()
        for _ in range(150):  # until the server applied the lock (a state, not a timing)
            if not _join_open(base, pin):
                break
            time.sleep(0.1)
        contexts.append(browser.new_context(**PHONE))
        late = contexts[-1].new_page()
        _join(late, base, pin, "Late")
        expect(late.get_by_test_id("join-error")).to_contain_text("locked")
        shots(late, "player-join-locked")

        # the server goes away mid-question: banner, then reconnect and resume
        host.get_by_role("button", name="Start the first question").click()
        question = "Which planet is known as the red planet?"
        expect(pat.get_by_role("heading", name=question)).to_be_visible()
        e2e_server.stop_web()
        expect(pat.get_by_test_id("banner")).to_contain_text("Connection lost")
        expect(host.get_by_test_id("banner")).to_contain_text("Connection lost")
        shots(pat, "player-connection-lost")
        e2e_server.start()
        expect(pat.get_by_test_id("banner")).to_have_count(0)
        expect(host.get_by_test_id("banner")).to_have_count(0)
        expect(pat.get_by_role("heading", name=question)).to_be_visible()
        shots(pat, "player-reconnected")
        _tap(pat, "Mars")
        expect(pat.get_by_test_id("result")).to_contain_text("Correct!")
        expect(host.get_by_test_id("answered")).to_contain_text("1 of 1 answered")

        # kick: the player is told, and is out of the host's list
        host.get_by_role("button", name="Kick Pat").click()
        expect(pat.get_by_role("heading", name="You were removed from the game")).to_be_visible()
        expect(host.get_by_test_id("players")).to_have_count(0)
        shots(pat, "player-kicked")
        shots(host, "host-after-kick")
    finally:
        for c in contexts:
            c.close()
