"""One player's game open in more tabs than the server keeps sockets for
(3 per token): the oldest tab says so in plain words and does not reconnect
by itself (two tabs would close each other in turn); "Use it here" takes the
game back. Every wait is for something the player sees."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from .test_game import PHONE, _expect, _join
from .test_host_tools import open_lobby


@pytest.mark.timeout(180)
def test_oldest_tab_gives_way_and_can_take_the_game_back(
    e2e_server: Any, browser: Any, shots: Any, tmp_path: Path
) -> None:
    expect = _expect()
    base = e2e_server.url
    contexts = [browser.new_context(viewport={"width": 1100, "height": 900})]
    try:
        host = contexts[0].new_page()
        pin = open_lobby(host, base, tmp_path, "Tabs")

        phone = browser.new_context(**PHONE)
        contexts.append(phone)
        first = phone.new_page()
        _join(first, base, pin, "Sam")
        expect(first.get_by_role("heading", name="You're in!")).to_be_visible()
        # the same game in more tabs: a duplicated tab copies sessionStorage
        saved = first.evaluate("JSON.stringify(Object.assign({}, sessionStorage))")
        copy = (
            f"for (const [k, v] of Object.entries({json.dumps(json.loads(saved))}))"
            " sessionStorage.setItem(k, v);"
        )
        tabs = []
        for _ in range(3):
            tab = phone.new_page()
            tab.add_init_script(copy)
            tab.goto(first.url)  # the game page, /play/<pin>
            expect(tab.get_by_role("heading", name="You're in!")).to_be_visible()
            tabs.append(tab)

        expect(first.get_by_test_id("replaced")).to_contain_text(
            "opened in another tab or on another device"
        )
        shots(first, "player-replaced")
        first.get_by_role("button", name="Use it here").click()
        expect(first.get_by_role("heading", name="You're in!")).to_be_visible()
        expect(tabs[0].get_by_test_id("replaced")).to_be_visible()
        expect(host.get_by_test_id("players")).to_contain_text("Sam")
    finally:
        for ctx in contexts:
            ctx.close()
