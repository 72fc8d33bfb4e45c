"""The show's extras in a real browser (issue 15): generated names on the
join form, reactions from phones bursting on the big screen, and the big
screen's sound (started by a click, cues as the show goes, volume and mute
from the host console).

Sound is checked through what the page asked the audio engine to play
(``window.__stadiumSound``: cues, whether the AudioContext runs, the
settings), since a test cannot listen."""

from __future__ import annotations

import re
import uuid
from typing import Any

import pytest

from quiz.friendly_names import name_is_generated

from .test_game import PHONE, _expect
from .test_phone import Host, _forget_pin_probes

WAIT = 30_000


def _doc() -> dict[str, Any]:
    return {
        "title": f"Extras {uuid.uuid4().hex[:6]}",
        "questions": [
            {"text": "Largest ocean?", "time_limit": 7, "multiplier": 1, "image": None,
             "choices": [{"text": t, "correct": i == 2}
                         for i, t in enumerate(["Atlantic", "Indian", "Pacific", "Arctic"])]},
        ],
    }  # fmt: skip


def _sound(page: Any) -> dict[str, Any]:
    return dict(page.evaluate("() => window.__stadiumSound"))


def _cues(page: Any) -> list[str]:
    return list(_sound(page)["cues"])


@pytest.mark.timeout(240)
def test_names_reactions_and_sound(e2e_server: Any, browser: Any, shots: Any) -> None:
    expect = _expect()
    base = e2e_server.url
    _forget_pin_probes()
    host = Host(browser, base, _doc(), names="required", reveal="live")
    contexts = [host.ctx]
    try:
        opened = host.page.evaluate(
            "async (pin) => (await fetch(`/api/games/${pin}`)).json()", host.pin
        )
        assert opened["names"] == "required"
        # the big screen, in the host's browser (the console's sound
        # settings reach it over a BroadcastChannel)
        screen = host.ctx.new_page()
        screen.set_viewport_size({"width": 1920, "height": 1080})
        screen.goto(f"{base}/screen/{host.pin}#token={host.screen_token}")
        expect(screen.get_by_test_id("sound-gate")).to_be_visible()
        assert _sound(screen)["running"] is False
        screen.get_by_test_id("sound-gate").click()
        expect(screen.get_by_test_id("sound-gate")).to_have_count(0)
        assert _sound(screen)["running"] is True
        assert _cues(screen)[:1] == ["lobby_start"]

        # --- a phone gets a generated name, rerolls it, joins with it ---------
        ctx = browser.new_context(**PHONE, locale="de-DE")
        contexts.append(ctx)
        phone = ctx.new_page()
        phone.goto(f"{base}/play?pin={host.pin}")
        nick = phone.locator("#nickname")
        expect(nick).to_have_value(re.compile(r".+ [1-9]\d{0,2}$"))
        first = nick.input_value()
        assert name_is_generated(first), first
        assert nick.get_attribute("readonly") is not None
        # a reroll draws again (the same name once in 676,000 German ones)
        phone.get_by_test_id("name-reroll").click()
        expect(nick).not_to_have_value(first)
        chosen = nick.input_value()
        assert chosen != first and name_is_generated(chosen)
        shots(phone, "join-generated-name")
        # the phone speaks its browser's language (German) throughout
        phone.get_by_role("button", name="Beitreten").click()
        expect(phone.get_by_role("heading", name="Du bist dabei!")).to_be_visible()
        expect(phone.locator(".nick")).to_have_text(chosen)

        # --- reactions: 7 taps, the screen's totals say 7 ---------------------
        bar = phone.get_by_test_id("reaction-bar")
        for r in ("clap", "clap", "fire", "party", "clap", "heart", "wow"):
            bar.locator(f"[data-reaction={r}]").click()
        totals = screen.get_by_test_id("reaction-totals")
        expect(totals.locator("[data-reaction=clap]")).to_have_attribute("data-count", "3")
        for r in ("fire", "party", "heart", "wow"):
            expect(totals.locator(f"[data-reaction={r}]")).to_have_attribute("data-count", "1")
        expect(totals.locator("[data-reaction=laugh]")).to_have_count(0)
        shots(screen, "screen-reactions")

        # --- volume and mute from the console reach the screen ---------------
        console = host.ctx.new_page()
        # a console in a new tab of the logged-in host: it fetches its key
        console.goto(f"{base}/host/game/{host.pin}")
        controls = console.get_by_test_id("sound-controls")
        expect(controls).to_be_visible()
        console.get_by_test_id("sound-mute").check()
        screen.wait_for_function(
            "() => window.__stadiumSound.settings.muted === true", timeout=WAIT
        )
        volume = console.get_by_test_id("sound-volume")
        assert volume.input_value() == "60"  # the default
        volume.focus()
        for _ in range(7):  # the keyboard, as a host would: 60 -> 25 in steps of 5
            volume.press("ArrowLeft")
        screen.wait_for_function(
            "() => window.__stadiumSound.settings.volume === 0.25", timeout=WAIT
        )
        # --- the question: music stops, the last seconds tick, the close stings
        # (nobody answers: the question runs to its deadline, not closed
        # early by "everyone answered")
        host.send({"type": "start_question"})
        expect(phone.locator("button.answer").first).to_be_visible()
        screen.wait_for_function(
            "() => window.__stadiumSound.cues.includes('reveal')", timeout=WAIT
        )
        cues = _cues(screen)
        assert cues.index("lobby_stop") < cues.index("tick") < cues.index("reveal"), cues
        assert 1 <= cues.count("tick") <= 5, cues
        host.send({"type": "end_game"})
        screen.wait_for_function(
            "() => window.__stadiumSound.cues.includes('podium')", timeout=WAIT
        )
        assert _cues(screen).count("podium") == 1

    finally:
        for c in contexts:
            c.close()
