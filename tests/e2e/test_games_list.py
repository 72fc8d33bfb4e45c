"""The console's "Your games" list in a real browser: a live game resumes
from the tab that opened it and from another browser of the same host, and
once ended and saved it links its report and results CSV."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import pytest

from .test_game import _expect
from .test_host_tools import _doc, _import, _login


@pytest.mark.timeout(180)
def test_games_list_resume_then_report(
    e2e_server: Any, browser: Any, shots: Any, tmp_path: Path
) -> None:
    expect = _expect()
    base = e2e_server.url
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    other = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        host = ctx.new_page()
        host.on("dialog", lambda d: d.accept())
        _login(host, base)
        title = f"Games list {uuid.uuid4().hex[:6]}"
        item = _import(host, tmp_path, _doc(title))
        item.get_by_role("button", name="Open a game").click()
        item.get_by_role("button", name="Start the lobby").click()
        expect(host.get_by_test_id("host-pin")).to_be_visible()
        pin = host.get_by_test_id("host-pin").inner_text().split()[-1]

        # --- live: this tab holds the host key, so the row resumes the game
        host.goto(f"{base}/host")
        row = host.get_by_test_id(f"game-row-{pin}")
        expect(row).to_contain_text(title)
        expect(row).to_contain_text("Lobby (live)")
        expect(row).to_contain_text("0 players")
        expect(
            host.get_by_test_id("games-list").locator("[data-testid^=game-row-]").first
        ).to_have_attribute("data-testid", f"game-row-{pin}")  # newest first
        shots(host, "games-list-live")

        # --- another browser of the same host: Resume too (the console gets
        # the host key from the API: issue 15)
        elsewhere = other.new_page()
        _login(elsewhere, base)
        expect(elsewhere.get_by_test_id(f"game-resume-{pin}")).to_be_visible()
        expect(elsewhere.get_by_test_id(f"game-elsewhere-{pin}")).to_have_count(0)

        host.get_by_test_id(f"game-resume-{pin}").click()
        expect(host).to_have_url(f"{base}/host/game/{pin}")
        expect(host.get_by_test_id("host-status")).to_contain_text("Lobby")
        host.get_by_role("button", name="End the game").click()
        expect(host.get_by_test_id("csv")).to_be_visible()  # saved

        # --- saved: report and results, in both browsers
        for page in (host, elsewhere):
            page.goto(f"{base}/host")
            row = page.get_by_test_id(f"game-row-{pin}")
            expect(row).to_contain_text("Finished")
            expect(row).not_to_contain_text("(live)")
            report = page.get_by_test_id(f"game-report-{pin}")
            expect(report).to_have_attribute("href", f"/host/report/{pin}")
            csv_link = row.get_by_role("link", name="Results CSV")
            expect(csv_link).to_have_attribute("href", f"/api/games/{pin}/results?format=csv")
        shots(host, "games-list-saved")
        with host.expect_download() as dl:
            host.get_by_test_id(f"game-row-{pin}").get_by_role("link", name="Results CSV").click()
        text = Path(dl.value.path()).read_text(encoding="utf-8-sig")
        assert text.splitlines()[0].startswith("rank,nickname,score")
    finally:
        other.close()
        ctx.close()
