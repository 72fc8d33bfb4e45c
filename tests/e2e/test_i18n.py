"""Every language in the crowd (issue 15), in Chromium: a whole game played
in Arabic (right to left) and in Japanese by phones whose browsers speak
those languages and a big screen opened with ``?lang=``; the phone's
language switcher; an error code shown in the player's language.

What is asserted is what people see: ``<html lang dir>``, the translated
words on each surface, ranks and points written the language's way
("المركز ١", "1位"), the header's order mirrored (measured with bounding
boxes), no sideways scrolling on a 320 px phone. Screenshots of every
surface go to test-artifacts/i18n/<lang>/ (a few are copied to docs/img/
for the README)."""

from __future__ import annotations

import re
import uuid
from pathlib import Path
from typing import Any

import pytest

from testkit.serve import ROOT

from .test_game import PHONE, _expect
from .test_phone import Host, _forget_pin_probes

SHOTS = ROOT / "test-artifacts" / "i18n"
FULL_HD = {"width": 1920, "height": 1080}
SMALL = {**PHONE, "viewport": {"width": 320, "height": 568}}

# What each language must show (the words are the locale files' own).
WORDS: dict[str, dict[str, Any]] = {
    "ar": {
        "dir": "rtl",
        "locale": "ar",
        "names": ["فاطمة الزهراء", "Maximilian Schneider"],
        "pin_label": "رمز اللعبة",
        "join": "انضم",
        "lobby": "أنت في اللعبة!",
        "screen_join": "انضم عبر",
        "screen_players": "لاعبان",  # two players: the dual form
        "qnum": "السؤال ١ من ٢",
        "correct": "صحيح!",
        "wrong": "خطأ",
        "rank1": "المركز ١",
        "rank2": "المركز ٢",
        "after": "بعد السؤال ١ من ٢",
        "leaderboard": "لوحة الصدارة",
        "final1": "أنهيت في المركز ١ برصيد",
        "podium": "منصة التتويج",
        "digits": re.compile(r"^\+[٠-٩]+ نقط"),
    },
    "ja": {
        "dir": "ltr",
        "locale": "ja-JP",
        "names": ["たけし", "Maximilian Schneider"],
        "pin_label": "ゲームPIN",
        "join": "参加する",
        "lobby": "参加しました！",
        "screen_join": "で次のPINを入力して参加",
        "screen_players": "2人",
        "qnum": "第1問／全2問",
        "correct": "正解！",
        "wrong": "不正解",
        "rank1": "1位",
        "rank2": "2位",
        "after": "第1問終了（全2問）",
        "leaderboard": "ランキング",
        "final1": "あなたは",
        "podium": "表彰台",
        "digits": re.compile(r"^\+[0-9]+ポイント$"),
    },
}


def _doc(lang: str) -> dict[str, Any]:
    # the quiz's own words are the host's content, in the host's language
    texts = {
        "ar": [("ما أكبر محيط؟", ["الأطلسي", "الهندي", "الهادئ", "المتجمد الشمالي"], 2),
               ("كم عدد لاعبي فريق كرة القدم؟", ["٩", "١٠", "١١", "١٢"], 2)],
        "ja": [("いちばん大きい海は？", ["大西洋", "インド洋", "太平洋", "北極海"], 2),
               ("サッカーの1チームは何人？", ["9人", "10人", "11人", "12人"], 2)],
    }[lang]  # fmt: skip
    return {
        "title": f"i18n {lang} {uuid.uuid4().hex[:4]}",
        "questions": [
            {"text": t, "time_limit": 30, "multiplier": 1, "image": None,
             "choices": [{"text": c, "correct": i == right} for i, c in enumerate(cs)]}
            for t, cs, right in texts
        ],
    }  # fmt: skip


class Shots:
    """Screenshots of one language's surfaces: test-artifacts/i18n/<lang>/."""

    def __init__(self, lang: str) -> None:
        self.dir = SHOTS / lang
        self.dir.mkdir(parents=True, exist_ok=True)
        for old in self.dir.glob("*.png"):
            old.unlink()

    def __call__(self, page: Any, name: str) -> Path:
        path = self.dir / f"{name}.png"
        page.screenshot(path=str(path))
        return path


def _html(page: Any) -> tuple[str, str]:
    return (
        str(page.evaluate("document.documentElement.lang")),
        str(page.evaluate("document.documentElement.dir")),
    )


def _no_sideways_scroll(page: Any) -> None:
    over = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    if over > 0:  # name the elements that stick out, for the failure message
        wide = page.evaluate(
            """() => [...document.querySelectorAll('body *')].filter((e) => {
                 const r = e.getBoundingClientRect();
                 return r.width && (r.right > innerWidth + 0.5 || r.left < -0.5);
               }).slice(0, 8).map((e) => `${e.tagName}.${e.className}`)"""
        )
        raise AssertionError(f"{over} px of horizontal overflow: {wide}")


def _header_order(page: Any) -> list[float]:
    """The x of the header's nickname, PIN and points, in that DOM order."""
    return [
        page.locator(f".bar {sel}").bounding_box()["x"]
        for sel in (".bar-nick", ".bar-pin", ".bar-score")
    ]


@pytest.mark.timeout(300)
@pytest.mark.parametrize("lang", ["ar", "ja"])
def test_a_whole_game_in(lang: str, e2e_server: Any, browser: Any) -> None:
    expect = _expect()
    w = WORDS[lang]
    base = e2e_server.url
    shots = Shots(lang)
    _forget_pin_probes()
    host = Host(browser, base, _doc(lang), auto_advance={"reveal_s": 5, "leaderboard_s": 60})
    contexts = [host.ctx]
    try:
        # --- the big screen: ?lang= wins over its browser's own English ------
        sctx = browser.new_context(viewport=FULL_HD, locale="en-US")
        contexts.append(sctx)
        screen = sctx.new_page()
        screen.goto(f"{base}/screen/{host.pin}?lang={lang}#token={host.screen_token}")
        expect(screen.get_by_test_id("screen-lobby")).to_be_visible()
        assert _html(screen) == (lang, w["dir"])
        expect(screen.locator(".join-how")).to_contain_text(w["screen_join"])
        # the PIN reads left to right in every language
        expect(screen.get_by_test_id("screen-pin")).to_have_attribute("dir", "ltr")
        expect(screen.get_by_test_id("screen-pin")).to_have_text(host.pin)

        # --- two phones in that language: 390 px and 320 px wide -------------
        phones = []
        for device, name in zip((PHONE, SMALL), w["names"], strict=True):
            ctx = browser.new_context(**device, locale=w["locale"])
            contexts.append(ctx)
            page = ctx.new_page()
            page.goto(f"{base}/play?pin={host.pin}")
            assert _html(page) == (lang, w["dir"])
            expect(page.get_by_text(w["pin_label"], exact=True)).to_be_visible()
            expect(page.get_by_test_id("lang-select")).to_have_value(lang)
            page.fill("#nickname", name)
            phones.append(page)
        big, small = phones
        shots(big, "phone-join-390")
        for page in phones:
            page.get_by_role("button", name=w["join"], exact=True).click()
            expect(page.get_by_role("heading", name=w["lobby"])).to_be_visible()
        expect(screen.get_by_test_id("screen-players")).to_have_text(w["screen_players"])
        expect(screen.get_by_test_id("name-wall")).to_contain_text(w["names"][0])
        shots(screen, "screen-lobby-1080p")

        # the header: nickname, PIN, points from the start side (right in Arabic)
        nick_x, pin_x, score_x = _header_order(big)
        if w["dir"] == "rtl":
            assert nick_x > pin_x > score_x, (nick_x, pin_x, score_x)
        else:
            assert nick_x < pin_x < score_x, (nick_x, pin_x, score_x)
        # one line at 320 px, the switcher included, and no sideways scrolling
        boxes = [
            small.locator(f".bar {s}").bounding_box()
            for s in (".bar-nick", ".bar-pin", ".bar-score", ".lang-select")
        ]
        assert max(b["y"] for b in boxes) - min(b["y"] for b in boxes) < 12, boxes
        _no_sideways_scroll(small)

        # --- question 1: the big one answers right, the small one wrong ------
        host.send({"type": "start_question"})
        for page in phones:
            expect(page.locator(".qnum")).to_have_text(w["qnum"])
        expect(screen.get_by_test_id("screen-qnum")).to_have_text(w["qnum"])
        expect(screen.get_by_test_id("tile-3")).to_be_visible()
        _no_sideways_scroll(small)
        shots(big, "phone-question-390")
        shots(screen, "screen-question-1080p")
        big.get_by_test_id("answer-2").click()
        small.get_by_test_id("answer-0").click()
        # the screen's results show for reveal_s (5 s): taken first
        expect(screen.get_by_test_id("screen-results")).to_be_visible()
        shots(screen, "screen-results-1080p")
        expect(big.get_by_test_id("result-title")).to_have_text(w["correct"])
        expect(small.get_by_test_id("result-title")).to_have_text(w["wrong"])
        expect(big.get_by_test_id("rank")).to_have_text(w["rank1"])
        expect(small.get_by_test_id("rank")).to_have_text(w["rank2"])
        expect(big.get_by_test_id("points")).to_have_text(w["digits"])
        _no_sideways_scroll(small)
        shots(big, "phone-result-390")

        # --- the board between questions (auto-advance) ----------------------
        board = screen.get_by_test_id("screen-leaderboard")
        expect(board).to_contain_text(w["after"])
        expect(board).to_contain_text(w["leaderboard"])
        expect(board.locator("li[data-rank='1']")).to_contain_text(w["names"][0])
        # a row reads rank, name, points from the start side; the Latin name
        # in the Arabic board stands at the start too (isolated, not reordered)
        row = board.locator("li[data-rank='2']")
        rank_box, name_box, score_box = (
            row.locator(s).bounding_box() for s in (".sb-rank", ".sb-name", ".sb-score")
        )
        if w["dir"] == "rtl":
            assert rank_box["x"] > name_box["x"] > score_box["x"]
            # the name's text hugs the rank (right-aligned), not the score
            text = row.locator(".sb-name").evaluate(
                """(e) => { const r = document.createRange(); r.selectNodeContents(e);
                     const b = r.getBoundingClientRect(); return {x: b.x, width: b.width}; }"""
            )
            gap_to_rank = rank_box["x"] - (text["x"] + text["width"])
            gap_to_score = text["x"] - (score_box["x"] + score_box["width"])
            assert gap_to_rank < gap_to_score / 2, (gap_to_rank, gap_to_score)
        else:
            assert rank_box["x"] < name_box["x"] < score_box["x"]
        shots(screen, "screen-board-1080p")

        # --- question 2, then the end ----------------------------------------
        host.send({"type": "start_question"})
        for page in phones:
            page.get_by_test_id("answer-2").click()
        expect(big.get_by_test_id("result-title")).to_have_text(w["correct"])
        host.send({"type": "end_game"})
        expect(big.get_by_test_id("final-rank")).to_contain_text(w["final1"])
        expect(big.get_by_test_id("final-rank")).to_contain_text(w["rank1"])
        expect(small.get_by_test_id("final-rank")).to_contain_text(w["rank2"])
        _no_sideways_scroll(small)
        shots(big, "phone-podium-390")
        step1 = screen.get_by_test_id("podium-step-1")
        expect(step1).to_have_attribute("data-revealed", "true")
        expect(step1.locator(".show-step-block")).to_have_text(w["rank1"])
        expect(step1).to_contain_text(w["names"][0])
        expect(screen.locator(".show-podium-title")).to_have_text(w["podium"])
        # the reveal's fade done: the picture shows the podium as the crowd sees it
        screen.locator(".show-podium").evaluate(
            "(e) => Promise.all(e.getAnimations({subtree: true}).map((a) => a.finished))"
        )
        shots(screen, "screen-podium-1080p")
    finally:
        for c in contexts:
            c.close()


@pytest.mark.timeout(180)
def test_switcher_reload_screen_language_and_a_translated_error(
    e2e_server: Any, browser: Any
) -> None:
    expect = _expect()
    base = e2e_server.url
    _forget_pin_probes()
    ctx = browser.new_context(**SMALL, locale="de-DE")
    host = Host(browser, base, _doc("ja"))
    try:
        phone = ctx.new_page()
        # the browser's language first
        phone.goto(f"{base}/play")
        assert _html(phone) == ("de", "ltr")
        expect(phone.get_by_text("Spiel-PIN", exact=True)).to_be_visible()
        # the switcher (a labelled select, by the keyboard's way of choosing)
        switcher = phone.get_by_label("Sprache")
        switcher.select_option("es")
        expect(phone.get_by_text("PIN de la partida", exact=True)).to_be_visible()
        assert _html(phone) == ("es", "ltr")
        # survives a reload
        phone.reload()
        expect(phone.get_by_text("PIN de la partida", exact=True)).to_be_visible()
        expect(phone.get_by_test_id("lang-select")).to_have_value("es")
        # an error code from the server, in the player's language
        phone.fill("#pin", "000001")
        phone.fill("#nickname", "Lucía")
        phone.get_by_role("button", name="Entrar", exact=True).click()
        expect(phone.get_by_test_id("join-error")).to_have_text(
            "No hay ninguna partida con ese PIN. Comprueba el número de la pantalla grande."
        )
        _forget_pin_probes()

        # the header's switcher, in the game: to Arabic, right to left
        phone.goto(f"{base}/play?pin={host.pin}")
        phone.fill("#nickname", "Lucía")
        phone.get_by_role("button", name="Entrar", exact=True).click()
        expect(phone.get_by_role("heading", name="¡Ya estás dentro!")).to_be_visible()
        phone.locator(".bar").get_by_label("Idioma").select_option("ar")
        expect(phone.get_by_role("heading", name="أنت في اللعبة!")).to_be_visible()
        assert _html(phone) == ("ar", "rtl")
        _no_sideways_scroll(phone)
        phone.reload()
        expect(phone.get_by_role("heading", name="أنت في اللعبة!")).to_be_visible()
        expect(phone.get_by_test_id("lobby-count")).to_contain_text("لاعب واحد")

        # a big screen in this same browser keeps the browser's language, not
        # the phone's stored choice; the console's choice reaches it
        screen = ctx.new_page()
        screen.goto(f"{base}/screen/{host.pin}#token={host.screen_token}")
        expect(screen.get_by_test_id("screen-lobby")).to_be_visible()
        assert _html(screen) == ("de", "ltr")
        expect(screen.get_by_test_id("screen-players")).to_have_text("1 Spieler")
        console = ctx.new_page()
        console.goto(f"{base}/healthz")
        console.evaluate(
            """(pin) => { localStorage.setItem(`stadium.screenlang.${pin}`, 'ja');
                 const c = new BroadcastChannel(`stadium.screenlang.${pin}`);
                 c.postMessage({lang: 'ja'}); c.close(); }""",
            host.pin,
        )
        expect(screen.get_by_test_id("screen-players")).to_have_text("1人")
        assert _html(screen) == ("ja", "ltr")
        # the phone did not move
        expect(phone.get_by_role("heading", name="أنت في اللعبة!")).to_be_visible()
    finally:
        ctx.close()
        host.ctx.close()
