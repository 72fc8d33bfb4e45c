"""The host's side of "every language in the crowd" (issue 15) in a real
browser:

- the console follows the browser's language (a German context reads German),
  the language switcher changes it (Spanish) and the choice survives a reload;
- in Arabic the console lays out right to left with nothing wider than the
  1440×900 window;
- the host picks the big screen's language: the screen link carries
  ``lang=ja`` (the screen key stays in the fragment) and a screen already
  open in the same browser switches to Japanese at once;
- the report in French formats its numbers the French way (a narrow no-break
  space between thousands, a decimal comma, "100 %").

Screenshots of the console and the report in Arabic and Japanese at
1440×900 go to test-artifacts/i18n/. Every wait is for something users see;
nothing is timed."""

from __future__ import annotations

import json
import re
import uuid
from pathlib import Path
from typing import Any

import pytest

from .conftest import HOST_PASSWORD, HOST_USER
from .test_game import PHONE, _expect, _join
from .test_host_console import _join_status
from .test_host_tools import _doc, _import, _login, open_lobby

DESK = {"viewport": {"width": 1440, "height": 900}}
SHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "i18n"


def _shot(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"))


def _login_here(page: Any, submit: str) -> None:
    """The login form in the page's language: its button says `submit`."""
    page.fill("#username", HOST_USER)
    page.fill("#password", HOST_PASSWORD)
    page.get_by_role("button", name=submit).click()


def _no_horizontal_overflow(page: Any) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    inner = page.evaluate("window.innerWidth")
    assert width <= inner, f"the page is {width}px wide in a {inner}px window"


@pytest.mark.timeout(240)
def test_console_language_follows_the_browser_and_the_switcher(
    e2e_server: Any, browser: Any, tmp_path: Path
) -> None:
    expect = _expect()
    base = e2e_server.url
    opener_ctx = browser.new_context(locale="en-US", **DESK)
    german_ctx = browser.new_context(locale="de-DE", **DESK)
    try:
        pin = open_lobby(opener_ctx.new_page(), base, tmp_path, "Sprachen")
        assert _join_status(base, pin, "Jonas") == (201, "")

        # a German browser: the login form and the console speak German
        console = german_ctx.new_page()
        console.goto(f"{base}/host/game/{pin}")
        expect(console.locator("html")).to_have_attribute("lang", "de")
        expect(console.get_by_role("heading", name="Stadium Moderation")).to_be_visible()
        _login_here(console, "Anmelden")
        expect(console.get_by_test_id("host-status")).to_have_text("Lobby: 1 Spieler")
        expect(console.get_by_test_id("host-pin")).to_have_text(f"PIN {pin}")
        expect(console.get_by_role("link", name="Großbildschirm öffnen")).to_be_visible()
        expect(console.get_by_test_id("host-next")).to_have_text("Erste Frage starten")
        expect(console.get_by_test_id("host-join-state")).to_have_text("Beitritt sperren")
        expect(console.get_by_role("heading", name="Spieler (1)")).to_be_visible()
        expect(console.get_by_label("Sprache", exact=True)).to_have_value("de")

        # the switcher: Spanish at once, and still Spanish after a reload
        console.get_by_label("Sprache", exact=True).select_option("es")
        expect(console.locator("html")).to_have_attribute("lang", "es")
        expect(console.get_by_test_id("host-status")).to_have_text("Sala: 1 jugador")
        expect(console.get_by_test_id("host-next")).to_have_text("Empezar la primera pregunta")
        console.reload()
        expect(console.get_by_test_id("host-status")).to_have_text("Sala: 1 jugador")
        expect(console.get_by_label("Idioma", exact=True)).to_have_value("es")
        expect(console.locator("html")).to_have_attribute("lang", "es")

        # the quiz list in the same language, its counts through plurals
        console.goto(f"{base}/host")
        expect(console.get_by_role("heading", name="Tus cuestionarios")).to_be_visible()
        item = console.get_by_test_id("quiz-item").filter(has_text="Sprachen").first
        expect(item).to_contain_text("2 preguntas")
        expect(console.get_by_role("heading", name="Tus partidas")).to_be_visible()

        # the editor: labels, a client check and a schema error in Spanish
        console.get_by_role("button", name="Nuevo cuestionario").click()
        expect(console.get_by_role("heading", name="Nuevo cuestionario")).to_be_visible()
        expect(console.get_by_test_id("question-1").locator("legend")).to_have_text(
            "Pregunta 1: Quiz (opciones)"
        )
        console.fill("#title", f"Capitales {uuid.uuid4().hex[:6]}")
        console.fill("#q0-text", "¿Capital de Francia?")
        n = console.get_by_test_id("question-1").locator(".right-toggle").count()
        for i, city in enumerate(["Lyon", "París", "Niza", "Lille"][:n]):
            console.fill(f"#q0-c{i}", city)
        console.get_by_label("Respuesta correcta (opción 1)").uncheck()
        console.get_by_role("button", name="Guardar cuestionario").click()
        expect(console.get_by_test_id("save-error")).to_have_text(
            "La pregunta 1 necesita al menos una respuesta correcta."
        )
        # the same error in German once the language changes, without a second Save
        console.get_by_label("Idioma", exact=True).select_option("de")
        expect(console.get_by_test_id("save-error")).to_have_text(
            "Frage 1 braucht mindestens eine richtige Antwort."
        )
        console.get_by_test_id("editor-back").click()
        expect(console.get_by_test_id("confirm-dialog")).to_contain_text("Änderungen verwerfen?")
        console.get_by_role("button", name="Änderungen verwerfen").click()

        # a file the server refuses: its schema error in words of the language
        bad = tmp_path / "ohne-zeit.json"
        doc = _doc("Ohne Zeit")
        del doc["questions"][0]["time_limit"]
        bad.write_text(json.dumps(doc))
        console.set_input_files("input[type=file]", str(bad))
        expect(console.get_by_role("alert")).to_contain_text("Frage 1: Zeitlimit fehlt")
    finally:
        opener_ctx.close()
        german_ctx.close()


@pytest.mark.timeout(240)
def test_arabic_console_is_right_to_left_and_japanese_reads_japanese(
    e2e_server: Any, browser: Any, tmp_path: Path
) -> None:
    expect = _expect()
    base = e2e_server.url
    opener_ctx = browser.new_context(locale="en-US", **DESK)
    arabic_ctx = browser.new_context(locale="ar-EG", **DESK)
    try:
        pin = open_lobby(opener_ctx.new_page(), base, tmp_path, "RTL")
        for nick in ("فاطمة الزهراء", "たけし"):
            assert _join_status(base, pin, nick) == (201, "")

        console = arabic_ctx.new_page()
        console.goto(f"{base}/host/game/{pin}")
        html = console.locator("html")
        expect(html).to_have_attribute("dir", "rtl")
        _login_here(console, "تسجيل الدخول")
        # two players: Arabic's dual form
        expect(console.get_by_test_id("host-status")).to_have_text("غرفة الانتظار: لاعبان")
        expect(html).to_have_attribute("lang", "ar")
        expect(html).to_have_attribute("dir", "rtl")
        expect(console.get_by_role("link", name="افتح الشاشة الكبيرة")).to_be_visible()
        expect(console.get_by_test_id("players")).to_contain_text("فاطمة الزهراء")

        # mirrored: the header starts at the right (the title right of the PIN)
        title = console.locator("header.bar .brand-small").bounding_box()
        pin_box = console.get_by_test_id("host-pin").bounding_box()
        assert title["x"] > pin_box["x"], (title, pin_box)
        # the controls' text starts at the right edge of its card
        status = console.get_by_test_id("host-status")
        assert status.evaluate("e => getComputedStyle(e).direction") == "rtl"
        _no_horizontal_overflow(console)
        _shot(console, "console-ar-1440x900")

        # Japanese from the switcher: left to right again, Japanese words
        console.get_by_label("اللغة", exact=True).select_option("ja")
        expect(html).to_have_attribute("lang", "ja")
        expect(html).to_have_attribute("dir", "ltr")
        expect(console.get_by_test_id("host-status")).to_have_text("ロビー：2 人")
        expect(console.get_by_test_id("host-next")).to_have_text("最初の問題を始める")
        _no_horizontal_overflow(console)
        _shot(console, "console-ja-1440x900")

        # back to Arabic: the quiz list and the editor mirror too
        console.get_by_label("言語", exact=True).select_option("ar")
        expect(html).to_have_attribute("dir", "rtl")
        console.goto(f"{base}/host")
        expect(console.get_by_role("heading", name="مسابقاتك")).to_be_visible()
        expect(console.get_by_role("heading", name="مبارياتك")).to_be_visible()
        _no_horizontal_overflow(console)
        _shot(console, "home-ar-1440x900")
        console.get_by_role("button", name="مسابقة جديدة").click()
        legend = console.get_by_test_id("question-1").locator("legend")
        expect(legend).to_have_text("السؤال 1: مسابقة (اختيارات)")
        # the legend starts at the right edge of its fieldset
        box = legend.bounding_box()
        field = console.get_by_test_id("question-1").bounding_box()
        assert field["x"] + field["width"] - (box["x"] + box["width"]) < 40, (box, field)
        _no_horizontal_overflow(console)
        _shot(console, "editor-ar-1440x900")
    finally:
        opener_ctx.close()
        arabic_ctx.close()


@pytest.mark.timeout(240)
def test_host_picks_the_screen_language(e2e_server: Any, browser: Any, tmp_path: Path) -> None:
    expect = _expect()
    base = e2e_server.url
    ctx = browser.new_context(locale="en-US", **DESK)
    try:
        host = ctx.new_page()
        pin = open_lobby(host, base, tmp_path, "Screen language")
        link = host.get_by_role("link", name="Open the big screen")
        picker = host.get_by_label("Screen language")
        # the default: the console's own language
        expect(picker).to_have_value("en")
        href = str(link.get_attribute("href"))
        assert "lang=en" in href and "#token=" in href, href

        # a screen already open in this browser
        screen = ctx.new_page()
        screen.goto(f"{base}{href}")
        expect(screen.locator("html")).to_have_attribute("lang", "en")

        picker.select_option(label="日本語")
        expect(link).to_have_attribute("href", re.compile(rf"^/screen/{pin}\?lang=ja#token=.+"))
        # the open screen switched without a reload
        expect(screen.locator("html")).to_have_attribute("lang", "ja")
        assert screen.evaluate("location.search") == "?lang=en"  # no reload happened

        # a screen opened from the link now starts in Japanese
        fresh = ctx.new_page()
        fresh.goto(f"{base}{link.get_attribute('href')}")
        expect(fresh.locator("html")).to_have_attribute("lang", "ja")
        # the console itself stays in English
        expect(host.locator("html")).to_have_attribute("lang", "en")
        expect(host.get_by_test_id("host-status")).to_contain_text("Lobby: 0 players")
    finally:
        ctx.close()


@pytest.mark.timeout(300)
def test_report_in_french_formats_numbers_and_reads_in_arabic_and_japanese(
    e2e_server: Any, browser: Any, tmp_path: Path
) -> None:
    expect = _expect()
    base = e2e_server.url
    host_ctx = browser.new_context(locale="en-US", **DESK)
    phone_ctx = browser.new_context(**PHONE)
    french_ctx = browser.new_context(locale="fr-FR", **DESK)
    try:
        host = host_ctx.new_page()
        host.on("dialog", lambda d: d.accept())
        _login(host, base)
        item = _import(host, tmp_path, _doc(f"Rapport {uuid.uuid4().hex[:6]}"))
        item.get_by_role("button", name="Open a game").click()
        item.get_by_role("button", name="Start the lobby").click()
        expect(host.get_by_test_id("host-pin")).to_be_visible()
        pin = host.get_by_test_id("host-pin").inner_text().split()[-1]

        phone = phone_ctx.new_page()
        _join(phone, base, pin, "Amélie")
        expect(host.get_by_test_id("host-status")).to_contain_text("1 player")
        # two questions, both answered right (Mars, 8): over 1,000 points in all
        for n in (1, 2):
            host.get_by_test_id("host-next").click()
            phone.get_by_test_id("answer-1").click()
            expect(host.get_by_test_id("host-status")).to_contain_text(
                f"Question {n} of 2 (closed)"
            )
            expect(phone.get_by_test_id("total")).to_be_visible()
        score = int(re.sub(r"\D", "", phone.get_by_test_id("total").inner_text()))
        assert score >= 1000
        host.get_by_role("button", name="End the game").click()
        expect(host.get_by_test_id("report-link")).to_be_visible()

        report = french_ctx.new_page()
        report.goto(f"{base}/host/report/{pin}")
        _login_here(report, "Se connecter")
        expect(
            report.get_by_role("heading", name=re.compile(r"^Rapport : Rapport"))
        ).to_be_visible()
        expect(report.get_by_role("heading", name="Joueurs", exact=True)).to_be_visible()
        # 2 of 2 right: "100 %" with the no-break space French puts before %
        expect(report.get_by_test_id("report-overall")).to_have_text(
            re.compile(r"^100[\u00a0\u202f]%$")
        )
        row = report.get_by_test_id("report-players").locator("tr[data-nickname='Amélie']")
        cell = row.locator("[data-col=score]")
        text = cell.inner_text().strip()
        # thousands by a (narrow) no-break space: "1 843", never "1,843" or "1843"
        assert re.fullmatch(r"\d[\u00a0\u202f]\d{3}", text), repr(text)
        assert int(re.sub(r"\D", "", text)) == score
        # times with a decimal comma
        mean = row.locator("[data-col=mean_ms]").inner_text().strip()
        assert re.fullmatch(r"\d+,\d s", mean), repr(mean)
        expect(report.get_by_test_id("report-q-1").locator("[data-col=kind]")).to_have_text("Choix")
        # the chart's words and numbers are French too
        chart = report.get_by_test_id("report-share-chart").locator("canvas")
        expect(chart).to_have_attribute(
            "aria-label",
            re.compile(r"^Part de bonnes réponses par question : Q1 100[\u00a0\u202f]%"),
        )

        # Arabic: mirrored, nothing wider than the window; then Japanese
        report.get_by_label("Langue", exact=True).select_option("ar")
        expect(report.locator("html")).to_have_attribute("dir", "rtl")
        expect(report.get_by_role("heading", name="اللاعبون", exact=True)).to_be_visible()
        _no_horizontal_overflow(report)
        _shot(report, "report-ar-1440x900")
        report.get_by_label("اللغة", exact=True).select_option("ja")
        expect(report.locator("html")).to_have_attribute("dir", "ltr")
        expect(report.get_by_role("heading", name="プレイヤー", exact=True)).to_be_visible()
        expect(row.locator("[data-col=mean_ms]")).to_have_text(re.compile(r"^\d+\.\d 秒$"))
        _no_horizontal_overflow(report)
        _shot(report, "report-ja-1440x900")
    finally:
        host_ctx.close()
        phone_ctx.close()
        french_ctx.close()
