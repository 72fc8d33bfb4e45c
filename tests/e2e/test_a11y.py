"""Accessibility: an axe-core scan (the maintained npm package, pinned in
frontend/package.json, injected into the page by Playwright) of every
surface a game shows: the join page, the phone's question and result, the
big screen in the lobby and during a question, the host's console. No
violation of impact "serious" or "critical" may remain; every scan's full
report (minor ones included) is written to test-artifacts/a11y/.

axe checks what a machine can: contrast, names and roles, labels, landmarks,
ARIA use. Screen-reader announcements and focus after answering are checked
by the phone's own tests."""

from __future__ import annotations

import json
import re
import uuid
from pathlib import Path
from typing import Any

import pytest

from .conftest import ARTIFACTS
from .test_game import PHONE, _expect, _join
from .test_host_tools import _doc, _import, _login
from .test_phone import _settled

AXE = Path(__file__).resolve().parents[2] / "frontend" / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING = {"serious", "critical"}
REPORTS = ARTIFACTS.parent / "a11y"

# Runs axe on the whole document; only what the report needs comes back.
SCAN = """async () => {
  const r = await axe.run(document, {resultTypes: ['violations']});
  return r.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => ({target: n.target.join(' '), summary: n.failureSummary})),
  }));
}"""


def scan(page: Any, name: str) -> list[dict[str, Any]]:
    """axe's violations on ``page`` (written to test-artifacts/a11y/<name>.json)."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    found: list[dict[str, Any]] = page.evaluate(SCAN)
    REPORTS.mkdir(parents=True, exist_ok=True)
    (REPORTS / f"{name}.json").write_text(json.dumps(found, indent=2, ensure_ascii=False))
    return found


def blocking(found: list[dict[str, Any]]) -> list[str]:
    return [
        f"{v['impact']} {v['id']} ({v['help']}): " + "; ".join(n["target"] for n in v["nodes"][:5])
        for v in found
        if v["impact"] in BLOCKING
    ]


@pytest.mark.timeout(240)
def test_no_serious_or_critical_violations_on_any_surface(
    e2e_server: Any, browser: Any, shots: Any, tmp_path: Path
) -> None:
    assert AXE.exists(), f"{AXE} missing: scripts/frontend.sh installs frontend/package.json"
    expect = _expect()
    base = e2e_server.url
    contexts: list[Any] = []

    def page_of(**kw: Any) -> Any:
        ctx = browser.new_context(**kw)
        contexts.append(ctx)
        return ctx.new_page()

    problems: dict[str, list[str]] = {}

    def check(page: Any, name: str) -> None:
        bad = blocking(scan(page, name))
        if bad:
            problems[name] = bad

    try:
        host = page_of(viewport={"width": 1280, "height": 900})
        host.on("dialog", lambda d: d.accept())
        _login(host, base)
        check(host, "console-quizzes")
        item = _import(host, tmp_path, _doc(f"Axe {uuid.uuid4().hex[:6]}"))
        item.get_by_role("button", name="Open a game").click()
        item.get_by_role("button", name="Start the lobby").click()
        expect(host.get_by_test_id("host-pin")).to_have_text(re.compile(r"PIN \d{6}"))
        pin = host.get_by_test_id("host-pin").inner_text().split()[-1]
        check(host, "console-lobby")

        screen = page_of(viewport={"width": 1920, "height": 1080})
        href = host.get_by_role("link", name="Open the big screen").get_attribute("href")
        screen.goto(base + href)
        expect(screen.get_by_test_id("screen-pin")).to_have_text(pin)

        phone = page_of(**PHONE)
        phone.goto(f"{base}/play?pin={pin}")
        expect(phone.locator("#nickname")).to_be_visible()
        check(phone, "phone-join")
        _join(phone, base, pin, "Ada")
        expect(phone.get_by_role("heading", name="You're in!")).to_be_visible()
        check(phone, "phone-lobby")
        expect(screen.get_by_test_id("screen-players")).to_contain_text("1")
        check(screen, "screen-lobby")

        host.get_by_test_id("host-next").click()
        answer = phone.locator("button.answer").first
        expect(answer).to_be_visible()
        check(phone, "phone-question")
        check(screen, "screen-question")
        check(host, "console-question")
        answer.click()

        host.get_by_test_id("host-close").click()
        expect(phone.get_by_test_id("result")).to_be_visible()
        # the verdict pops in: scan what stays, not a frame of its fade
        _settled(phone)
        check(phone, "phone-result")
        check(screen, "screen-result")
        shots(phone, "a11y-phone-result")
    finally:
        for ctx in contexts:
            ctx.close()

    assert not problems, "axe found serious or critical violations:\n" + "\n".join(
        f"{page}: {line}" for page, lines in problems.items() for line in lines
    )


def test_the_scan_reports_a_real_violation(e2e_server: Any, browser: Any) -> None:
    """The scan can fail: a button with no name, added to the join page, is
    reported as critical."""
    ctx = browser.new_context(**PHONE)
    try:
        page = ctx.new_page()
        page.goto(f"{e2e_server.url}/play")
        _expect()(page.locator("#nickname")).to_be_visible()
        page.evaluate("() => document.body.appendChild(document.createElement('button'))")
        bad = blocking(scan(page, "selftest-unnamed-button"))
        assert any("critical button-name" in line for line in bad), bad
    finally:
        ctx.close()
