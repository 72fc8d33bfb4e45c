"""The phone that never confuses (issue 15, points 5, 6, 8, 9, 10), in
Chromium at 320x568 and 390x844.

The host side runs over the WebSocket protocol from a driver page (the
console's look is not under test here): the test logs in, creates the quiz
and the game with the HTTP API and sends ``start_question``,
``close_question`` and ``end_game`` on a host socket. The phones are real
pages: they join with the form and answer by tapping (or with the
keyboard). Every number checked is one a player sees, measured in the
page (bounding boxes, computed styles, text); the points are compared with
what the server sent in the phone's own ``answer_ack`` frame.

Nothing sleeps: every wait is for something to show up.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import uuid
from typing import Any

import pytest
import redis

from .conftest import HOST_PASSWORD, HOST_USER
from .test_game import _expect

SMALL = {
    "viewport": {"width": 320, "height": 568},
    "device_scale_factor": 1,
    "is_mobile": True,
    "has_touch": True,
}
PHONE = {**SMALL, "viewport": {"width": 390, "height": 844}}

LONG_NAME = "Maximilian Schneider"  # 20 characters
ASTRO = "\U0001f469\u200d\U0001f680 Astro"  # 👩‍🚀 Astro: an emoji ZWJ sequence
UNICORNS = "\U0001f984" * 15
# 8 characters but 26 code points: more than the old varchar(20) column held,
# so the flusher's save (and the final read back from it) proves the column
FAMILY = "\U0001f468\u200d\U0001f469\u200d\U0001f467\u200d\U0001f466"
LATE = FAMILY * 3 + " Lena"
CLUBS = [
    "Manchester United",
    "Borussia Mönchengladbach",
    "Wolverhampton Wanderers",
    "Internazionale",
    "Olympique Lyonnais",
    "Real Sociedad",
]


def _forget_pin_probes() -> None:
    """Clear this address's PIN-probe counter (quiz/ratelimit.py's key) in
    the shared Redis: other suites on this machine and this test's own
    refused hellos (a reload after the PIN was freed counts as a probe) must
    not turn the next join into a 429. Only that one key is deleted."""
    digest = hashlib.sha256(b"127.0.0.1").hexdigest()[:32]
    url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
    redis.Redis.from_url(url).delete(f"rl:{{pin_probe:{digest}}}")


def _doc(title: str) -> dict[str, Any]:
    def q(text: str, choices: list[str], right: int) -> dict[str, Any]:
        return {
            "text": text,
            "time_limit": 60,
            "multiplier": 1,
            "image": None,
            "choices": [{"text": c, "correct": i == right} for i, c in enumerate(choices)],
        }

    return {
        "title": title,
        "questions": [
            q(
                "Which of these clubs has won the most English league titles since 1992?",
                CLUBS,
                0,
            ),
            {
                **q(
                    "How many players has a football team on the pitch?", ["11", "10", "9", "12"], 0
                ),
                "read_time": 5,  # the whole text while reading, then one line
            },
        ],
    }


class Host:
    """The host over the protocol: an API session and a host socket, in a
    page of the server's own origin (so the socket's Origin is accepted)."""

    def __init__(self, browser: Any, base: str, doc: dict[str, Any], **game: Any) -> None:
        self.ctx = browser.new_context()
        self.page = self.ctx.new_page()
        self.page.goto(f"{base}/healthz")
        opened = self.page.evaluate(
            """async ([user, password, doc, game]) => {
              const csrf = async () => (await (await fetch('/api/auth/csrf')).json()).csrftoken;
              const post = async (path, body) => {
                const r = await fetch(path, {method: 'POST', body: JSON.stringify(body),
                  headers: {'Content-Type': 'application/json', 'X-CSRFToken': await csrf()}});
                if (!r.ok) throw new Error(path + ' ' + r.status + ' ' + await r.text());
                return r.json();
              };
              await post('/api/auth/login', {username: user, password});
              const quiz = await post('/api/quizzes', doc);
              return post('/api/games', {quiz: quiz.id, ...game});
            }""",
            [HOST_USER, HOST_PASSWORD, doc, game],
        )
        self.pin: str = opened["pin"]
        self.screen_token: str = opened["screen_token"]
        self.page.evaluate(
            """([pin, token]) => new Promise((resolve) => {
              const ws = new WebSocket(`ws://${location.host}/ws/host/${pin}/`);
              window.hostFrames = [];
              window.hostWs = ws;
              ws.onopen = () => ws.send(JSON.stringify({type: 'hello', token}));
              ws.onmessage = (e) => {
                const f = JSON.parse(e.data);
                window.hostFrames.push(f);
                if (f.type === 'welcome') resolve(true);
              };
            })""",
            [self.pin, opened["host_token"]],
        )

    def send(self, frame: dict[str, Any]) -> None:
        self.page.evaluate("(f) => window.hostWs.send(JSON.stringify(f))", frame)

    def wait_frame(self, kind: str, **fields: Any) -> dict[str, Any]:
        """The first host frame of that type (with those fields)."""
        handle = self.page.wait_for_function(
            """([kind, fields]) => window.hostFrames.find((f) => f.type === kind
                 && Object.entries(fields).every(([k, v]) => f[k] === v)) || null""",
            arg=[kind, fields],
            timeout=30_000,
        )
        return handle.json_value()

    def fetch_status(self, path: str) -> int:
        return int(self.page.evaluate("async (p) => (await fetch(p)).status", path))


class Phone:
    """A phone page that also keeps every frame its game socket received."""

    def __init__(self, browser: Any, device: dict[str, Any]) -> None:
        self.ctx = browser.new_context(**device)
        self.page = self.ctx.new_page()
        self.frames: list[dict[str, Any]] = []
        self.page.on("websocket", self._socket)

    def _socket(self, ws: Any) -> None:
        def got(payload: Any) -> None:
            if isinstance(payload, str):
                self.frames.append(json.loads(payload))

        ws.on("framereceived", got)

    def join(self, base: str, pin: str, nickname: str) -> None:
        self.page.goto(f"{base}/play?pin={pin}")
        self.page.fill("#nickname", nickname)
        self.page.get_by_role("button", name="Join").click()

    def ack(self, question: int) -> dict[str, Any]:
        """The server's answer_ack of that question (waited for: a deadline)."""
        for _ in range(100):
            acks = [
                f for f in self.frames if f["type"] == "answer_ack" and f["question"] == question
            ]
            if acks:
                assert len(acks) == 1, acks
                return acks[0]
            self.page.wait_for_timeout(100)  # frame events are handled meanwhile
        raise AssertionError(f"no answer_ack for question {question}: {self.frames}")


def _luminance(rgb: tuple[int, int, int]) -> float:
    def chan(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.04045 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = (chan(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _contrast(a: tuple[int, int, int], b: tuple[int, int, int]) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def _rgb(css: str) -> tuple[int, int, int]:
    css = css.strip()
    if css.startswith("#"):
        h = css[1:]
        if len(h) == 3:
            h = "".join(c * 2 for c in h)
        return int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16)
    m = re.search(r"rgba?\((\d+),\s*(\d+),\s*(\d+)", css)
    assert m, css
    return int(m[1]), int(m[2]), int(m[3])


TILES_JS = """() => {
  const vw = document.documentElement.clientWidth, vh = window.innerHeight;
  const tiles = [...document.querySelectorAll('.answers .answer')].map((tile) => {
    const r = tile.getBoundingClientRect();
    const span = tile.querySelector('.answer-text');
    const node = span.firstChild;
    const text = node.textContent;
    const words = [];
    for (const m of text.matchAll(/\\S+/g)) {
      const range = document.createRange();
      range.setStart(node, m.index);
      range.setEnd(node, m.index + m[0].length);
      const rects = [...range.getClientRects()].filter((x) => x.width > 0);
      words.push({
        word: m[0],
        lines: new Set(rects.map((x) => Math.round(x.top))).size,
        left: Math.min(...rects.map((x) => x.left)),
        right: Math.max(...rects.map((x) => x.right)),
        bottom: Math.max(...rects.map((x) => x.bottom)),
      });
    }
    return {box: [r.left, r.top, r.right, r.bottom], text, words,
            fontPx: parseFloat(getComputedStyle(span).fontSize)};
  });
  const root = document.documentElement;
  return {vw, vh, tiles, scrollWidth: root.scrollWidth, clientWidth: root.clientWidth,
          scrollHeight: root.scrollHeight, clientHeight: root.clientHeight};
}"""

HEADER_JS = """() => {
  const box = (s) => { const r = document.querySelector(s).getBoundingClientRect();
                       return {top: r.top, bottom: r.bottom, height: r.height, right: r.right}; };
  const nick = document.querySelector('.bar-nick');
  return {nick: box('.bar-nick'), pin: box('.bar-pin'), score: box('.bar-score'),
          bar: box('header.bar'), vw: document.documentElement.clientWidth,
          lineHeight: parseFloat(getComputedStyle(document.querySelector('.bar-pin')).lineHeight)
                      || 1.4 * parseFloat(getComputedStyle(document.querySelector('.bar-pin')).fontSize),
          ellipsized: nick.scrollWidth > nick.clientWidth,
          overflow: getComputedStyle(nick).textOverflow};
}"""


def _check_tiles(page: Any, n: int) -> dict[str, Any]:
    m = page.evaluate(TILES_JS)
    assert len(m["tiles"]) == n
    assert m["scrollWidth"] <= m["clientWidth"], m  # no horizontal overflow
    assert m["scrollHeight"] <= m["clientHeight"], m  # nothing below the fold
    for t in m["tiles"]:
        left, top, right, bottom = t["box"]
        assert left >= 0 and top >= 0 and right <= m["vw"] and bottom <= m["vh"], t
        for w in t["words"]:
            # a word sits on one line, inside its tile: never "Manchest/er"
            assert w["lines"] == 1, (t["text"], w)
            assert left <= w["left"] and w["right"] <= right and w["bottom"] <= bottom, (t, w)
    return m


def _check_header(page: Any) -> None:
    h = page.evaluate(HEADER_JS)
    line = h["lineHeight"]
    for part in ("nick", "pin", "score"):
        assert h[part]["height"] < 1.5 * line, h  # one line each
    # one row: every part centred on the same line
    mid = {p: (h[p]["top"] + h[p]["bottom"]) / 2 for p in ("nick", "pin", "score")}
    assert max(mid.values()) - min(mid.values()) < 2, h
    assert h["bar"]["height"] < 2.5 * line, h
    assert h["score"]["right"] <= h["vw"], h
    assert h["ellipsized"] and h["overflow"] == "ellipsis", h  # the name gives way


def _settled(page: Any) -> None:
    """Until the verdict's entrance animations are over (for screenshots)."""
    page.wait_for_function("() => document.getAnimations().every((a) => a.playState !== 'running')")


def _covers_viewport(page: Any) -> None:
    r = page.evaluate(
        """() => { const r = document.querySelector('[data-testid=result]').getBoundingClientRect();
                   return [r.left, r.top, r.right, r.bottom, innerWidth, innerHeight]; }"""
    )
    assert r[0] <= 0 and r[1] <= 0 and r[2] >= r[4] and r[3] >= r[5], r


@pytest.mark.timeout(240)
def test_phone_game(e2e_server: Any, browser: Any, shots: Any) -> None:
    expect = _expect()
    base = e2e_server.url
    host = Host(browser, base, _doc(f"Clubs {uuid.uuid4().hex[:6]}"), reveal="live")
    pin = host.pin
    phones: list[Phone] = []

    def phone(device: dict[str, Any]) -> Phone:
        p = Phone(browser, device)
        phones.append(p)
        return p

    try:
        _forget_pin_probes()
        # --- lobby: "(1 player)", then "(2 players)" -------------------------------
        max_ = phone(SMALL)  # Maximilian, on the small phone
        max_.join(base, pin, LONG_NAME)
        mp = max_.page
        expect(mp.get_by_role("heading", name="You're in!")).to_be_visible()
        expect(mp.get_by_test_id("lobby-count")).to_have_text(
            "Waiting for the host to start… (1 player)"
        )
        astro = phone(PHONE)
        astro.join(base, pin, ASTRO)
        ap = astro.page
        expect(ap.get_by_role("heading", name="You're in!")).to_be_visible()
        expect(ap.locator(".nick")).to_have_text(ASTRO)
        uni = phone(PHONE)  # 15 emoji: accepted whole, never cut to 10
        uni.join(base, pin, UNICORNS)
        expect(uni.page.get_by_role("heading", name="You're in!")).to_be_visible()
        expect(uni.page.locator(".nick")).to_have_text(UNICORNS)
        expect(mp.get_by_test_id("lobby-count")).to_contain_text("(3 players)")
        _check_header(mp)
        shots(mp, "small-lobby-long-name")

        # --- question 1, six long choices on 320x568 --------------------------------
        host.send({"type": "start_question"})
        for p in (mp, ap):
            expect(p.get_by_test_id("answer-5")).to_be_enabled()
            expect(p.get_by_test_id("live-region")).to_have_text("Question 1 of 2, 60 seconds")
        small = _check_tiles(mp, 6)
        _check_header(mp)
        # the question text is one line (ellipsized), not a paragraph above the tiles
        qtext = mp.evaluate(
            """() => { const h = document.querySelector('.qtext');
                       return [h.getBoundingClientRect().height, getComputedStyle(h).whiteSpace,
                               parseFloat(getComputedStyle(h).lineHeight)]; }"""
        )
        assert qtext[1] == "nowrap" and qtext[0] < 1.5 * qtext[2], qtext
        assert min(t["fontPx"] for t in small["tiles"]) >= 11
        shots(mp, "small-question-6-tiles")
        _check_tiles(ap, 6)
        shots(ap, "phone-question-6-tiles")

        # the yellow tile's focus ring, reached with the keyboard
        for _ in range(12):
            if ap.evaluate("() => document.activeElement?.dataset?.testid") == "answer-2":
                break
            ap.keyboard.press("Tab")
        ring = ap.evaluate(
            """() => { const t = document.activeElement, s = getComputedStyle(t),
                         root = getComputedStyle(document.documentElement);
                       return {testid: t.dataset.testid, visible: t.matches(':focus-visible'),
                               outline: s.outlineColor, outlineStyle: s.outlineStyle,
                               outlineWidth: parseFloat(s.outlineWidth), shadow: s.boxShadow,
                               tile: s.backgroundColor, bg: root.getPropertyValue('--bg'),
                               bg2: root.getPropertyValue('--bg2')}; }"""
        )
        assert ring["testid"] == "answer-2" and ring["visible"], ring
        assert ring["outlineStyle"] == "solid" and ring["outlineWidth"] >= 2, ring
        tile = _rgb(ring["tile"])
        assert tile == (249, 168, 37)  # the yellow tile
        outer, inner = _rgb(ring["outline"]), _rgb(ring["shadow"])
        for page_bg in (_rgb(ring["bg"]), _rgb(ring["bg2"])):
            assert _contrast(outer, page_bg) >= 3, (ring, _contrast(outer, page_bg))
        assert _contrast(inner, tile) >= 3, (ring, _contrast(inner, tile))
        shots(ap, "phone-focus-ring-yellow")

        # Astro answers with the keyboard (wrong); the focus lands on the lock
        ap.keyboard.press("Enter")
        expect(ap.get_by_test_id("locked")).to_contain_text("Answer locked in")
        ap.wait_for_function("() => document.activeElement !== document.body")
        focus = ap.evaluate(
            "() => [document.activeElement === document.body, document.activeElement.dataset.testid]"
        )
        assert focus == [False, "locked-heading"], focus
        # Maximilian taps the right one
        mp.get_by_test_id("answer-0").click()
        expect(mp.get_by_test_id("locked")).to_be_visible()
        points = max_.ack(1)["points"]
        assert points > 0
        host.send({"type": "close_question"})

        # --- the full-screen verdicts ------------------------------------------------
        expect(mp.get_by_test_id("result-title")).to_have_text("Correct!")
        expect(mp.get_by_test_id("points")).to_have_text(f"+{points} points")
        expect(mp.get_by_test_id("result")).to_have_attribute("data-tone", "right")
        expect(mp.get_by_test_id("rank")).to_have_text("1st")
        expect(mp.get_by_test_id("live-region")).to_have_text(
            f"Correct, plus {points} points, rank 1"
        )
        _covers_viewport(mp)
        bg = mp.evaluate(
            "() => getComputedStyle(document.querySelector('[data-testid=result]')).backgroundColor"
        )
        r, g, b = _rgb(bg)
        assert g > r and g > b, bg  # green
        _settled(mp)
        shots(mp, "small-result-correct")
        expect(ap.get_by_test_id("result-title")).to_have_text("Wrong")
        expect(ap.get_by_test_id("points")).to_have_text("+0 points")
        expect(ap.get_by_test_id("result")).to_have_attribute("data-tone", "wrong")
        _covers_viewport(ap)
        r, g, b = _rgb(
            ap.evaluate(
                "() => getComputedStyle(document.querySelector('[data-testid=result]'))"
                ".backgroundColor"
            )
        )
        assert r > g and r > b  # red
        expect(ap.locator(".result-shape.c2")).to_have_count(1)  # the shape they picked
        _settled(ap)
        shots(ap, "phone-result-wrong")

        # --- a tie: Astro and the unicorns both have 0 points -----------------------
        ranks = {}
        for p in (ap, uni.page):
            expect(p.get_by_test_id("rank")).to_have_text(re.compile(r"^[23](nd|rd)$"))
            ranks[p] = p.get_by_test_id("rank").inner_text()
        third = next(p for p, r in ranks.items() if r == "3rd")
        second = next(p for p, r in ranks.items() if r == "2nd")
        expect(third.get_by_test_id("to-next")).to_have_text("Tied on points with the next place")
        expect(second.get_by_test_id("to-next")).to_have_text(
            f"{points} points behind the next place"
        )
        assert "0 points behind" not in third.get_by_test_id("result").inner_text()
        _settled(third)
        shots(third, "phone-result-tied")

        # --- a late joiner sees no verdict on a question they never saw -------------
        _forget_pin_probes()
        late = phone(PHONE)
        late.join(base, pin, LATE)
        lp = late.page
        expect(lp.get_by_test_id("result-title")).to_have_text("You joined after this question")
        expect(lp.get_by_test_id("result")).not_to_contain_text("No answer")
        expect(lp.get_by_test_id("points")).to_have_count(0)
        _settled(lp)
        shots(lp, "phone-late-joiner")

        # --- question 2, then the end ---------------------------------------------
        host.send({"type": "start_question"})
        expect(mp.get_by_test_id("reading-countdown")).to_be_visible()
        reading = mp.evaluate(
            """() => { const h = document.querySelector('.qtext');
                       return [getComputedStyle(h).whiteSpace, h.scrollWidth <= h.clientWidth,
                               h.getBoundingClientRect().height
                               > 1.5 * parseFloat(getComputedStyle(h).lineHeight)]; }"""
        )
        assert reading == ["normal", True, True], reading  # the question in full, wrapped
        _check_tiles(mp, 4)  # the tiles stay on the screen, disabled until answers open
        shots(mp, "small-question-reading")
        for p in (mp, ap, lp):
            expect(p.get_by_test_id("answer-0")).to_be_enabled()
        expect(lp.get_by_test_id("live-region")).to_have_text(
            "Question 2 of 2, 60 seconds. Answers open in 5 seconds"
        )
        _check_tiles(mp, 4)
        mp.get_by_test_id("answer-0").click()
        lp.get_by_test_id("answer-1").click()
        expect(lp.get_by_test_id("locked")).to_be_visible()
        points2 = max_.ack(2)["points"]
        host.send({"type": "close_question"})
        expect(lp.get_by_test_id("result-title")).to_have_text("Wrong")  # this one they saw
        expect(mp.get_by_test_id("result-title")).to_have_text("Correct!")
        host.send({"type": "end_game"})
        total = points + points2
        want = f"You finished 1st with {total} points"
        expect(mp.get_by_test_id("final-rank")).to_have_text(want)
        expect(mp.get_by_test_id("live-region")).to_have_text(
            f"Game over. You finished 1st with {total} points"
        )

        # --- reload once the server forgot the game: the final place stays ----------
        host.wait_frame("saved")
        # the PIN is freed right after the save; for an hour it still says
        # the game ended (410 game_finished) instead of "no such game"
        for _ in range(60):
            if host.fetch_status(f"/api/games/{pin}") == 410:
                break
            mp.wait_for_timeout(250)
        assert host.fetch_status(f"/api/games/{pin}") == 410
        mp.reload()
        expect(mp.get_by_test_id("final-rank")).to_have_text(want)
        expect(mp.locator("#nickname")).to_have_count(0)  # not sent back to the join form
        expect(mp.get_by_text("That game is no longer running")).to_have_count(0)
        shots(mp, "small-final-after-reload")
        # phones that never saw the end here (nothing kept): the server's
        # GET /api/games/<pin>/players/me gives the same place, from PostgreSQL
        for other in (uni.page, lp):
            expect(other.get_by_test_id("final-rank")).to_contain_text("You finished")
            seen = other.get_by_test_id("final-rank").inner_text()
            other.evaluate(
                """(k) => { const v = JSON.parse(sessionStorage.getItem(k)); delete v.final;
                            sessionStorage.setItem(k, JSON.stringify(v)); }""",
                f"stadium.player.{pin}",
            )
            other.reload()
            expect(other.get_by_test_id("final-rank")).to_have_text(seen)
            expect(other.locator("#nickname")).to_have_count(0)
        expect(lp.locator(".bar-nick")).to_have_text(LATE)
    finally:
        for p in phones:
            p.ctx.close()
        host.ctx.close()


@pytest.mark.timeout(120)
def test_nickname_rules_on_the_join_form(e2e_server: Any, browser: Any, shots: Any) -> None:
    expect = _expect()
    base = e2e_server.url
    host = Host(browser, base, _doc(f"Names {uuid.uuid4().hex[:6]}"), reveal="live")
    p = Phone(browser, SMALL)
    try:
        _forget_pin_probes()
        page = p.page
        page.goto(f"{base}/play?pin={host.pin}")
        page.fill("#nickname", "\U0001f984" * 21)
        # no maxlength cutting what was typed: all 21 are there, counted as 21
        assert page.input_value("#nickname") == "\U0001f984" * 21
        expect(page.get_by_test_id("nickname-count")).to_have_text("21 / 20")
        page.get_by_role("button", name="Join").click()
        expect(page.get_by_test_id("join-error")).to_have_text(
            "That nickname is not allowed: a nickname has at most 20 characters (this one has 21)."
        )
        shots(page, "small-join-too-long")
        page.fill("#nickname", "Mia\u200bX")  # an invisible zero-width space
        page.get_by_role("button", name="Join").click()
        expect(page.get_by_test_id("join-error")).to_contain_text(
            "may only contain printable characters"
        )
        page.fill("#nickname", ASTRO)
        expect(page.get_by_test_id("nickname-count")).to_have_text("7 / 20")
        page.get_by_role("button", name="Join").click()
        expect(page.get_by_role("heading", name="You're in!")).to_be_visible()
        expect(page.locator(".bar-nick")).to_have_text(ASTRO)
        shots(page, "small-joined-astro")
    finally:
        p.ctx.close()
        host.ctx.close()
