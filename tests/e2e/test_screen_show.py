"""The big screen as a stadium show (issue 15), in Chromium at 1920x1080
(and 1280x720): sizes measured with getComputedStyle and
getBoundingClientRect, texts and counts as the crowd sees them.

Games are opened through the HTTP API (a logged-in host), players join over
HTTP and answer over WebSocket, the host's commands go over its own
socket: the browser under test is the big screen alone. Every wait is for
something to show; nothing is timed."""

from __future__ import annotations

import json
import re
import time
import urllib.request
import uuid
from dataclasses import dataclass, field
from typing import Any

import pytest

from .conftest import HOST_PASSWORD, HOST_USER
from .test_game import _expect

FULL_HD = {"width": 1920, "height": 1080}
HD = {"width": 1280, "height": 720}
LONG_NAME = "Maximilian Schneider"  # 20 characters, the longest a nickname may be


# --- the host's side: HTTP API and WebSocket ---------------------------------


@dataclass
class Api:
    """A browser context logged in as the e2e host (session and CSRF cookies)."""

    ctx: Any
    csrf: str

    def post(self, url: str, body: dict[str, Any]) -> Any:
        return self.ctx.request.post(url, data=body, headers={"X-CSRFToken": self.csrf})

    def close(self) -> None:
        self.ctx.close()


def _host_api(browser: Any, base: str) -> Api:
    ctx = browser.new_context()
    api = Api(ctx, ctx.request.get(f"{base}/api/auth/csrf").json()["csrftoken"])
    r = api.post(f"{base}/api/auth/login", {"username": HOST_USER, "password": HOST_PASSWORD})
    assert r.ok, r.text()
    # the login rotates the CSRF token
    api.csrf = ctx.request.get(f"{base}/api/auth/csrf").json()["csrftoken"]
    return api


def _open_game(
    api: Api, base: str, questions: list[dict[str, Any]], **settings: Any
) -> dict[str, Any]:
    doc = {"title": f"Stadium night {uuid.uuid4().hex[:4]}", "questions": questions}
    quiz = api.post(f"{base}/api/quizzes", doc)
    assert quiz.status == 201, quiz.text()
    game = api.post(f"{base}/api/games", {"quiz": quiz.json()["id"], **settings})
    assert game.status == 201, game.text()
    return dict(game.json())


def _choice(
    text: str,
    choices: list[str],
    right: int,
    *,
    read_time: int = 0,
    time_limit: int = 60,
    multiplier: int = 1,
) -> dict[str, Any]:
    return {
        "text": text,
        "time_limit": time_limit,
        "read_time": read_time,
        "multiplier": multiplier,
        "image": None,
        "choices": [{"text": c, "correct": i == right} for i, c in enumerate(choices)],
    }


def _join(base: str, pin: str, nickname: str) -> str:
    req = urllib.request.Request(
        f"{base}/api/games/{pin}/players",
        data=json.dumps({"nickname": nickname}).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(req, timeout=10) as r:
        assert r.status == 201
        return str(json.loads(r.read())["token"])


class Sock:
    """A WebSocket client (no Origin header: the token is what counts)."""

    def __init__(self, base: str, path: str, token: str) -> None:
        from websockets.sync.client import connect

        self.ws = connect(base.replace("http", "ws", 1) + path, open_timeout=10, legacy=True)
        self.send({"type": "hello", "token": token})
        self.welcome = self.expect("welcome")

    def send(self, frame: dict[str, Any]) -> None:
        self.ws.send(json.dumps(frame))

    def expect(self, *kinds: str, timeout: float = 20, **match: Any) -> dict[str, Any]:
        end = time.monotonic() + timeout
        while True:
            left = end - time.monotonic()
            if left <= 0:
                raise AssertionError(f"no {kinds} frame {match} within {timeout}s")
            try:
                f = json.loads(self.ws.recv(timeout=left))
            except TimeoutError:
                continue
            if f["type"] in kinds and all(f.get(k) == v for k, v in match.items()):
                return dict(f)

    def close(self) -> None:
        self.ws.close()


def _host(base: str, game: dict[str, Any]) -> Sock:
    return Sock(base, f"/ws/host/{game['pin']}/", game["host_token"])


def _answer(base: str, pin: str, token: str, question: int, choice: int) -> dict[str, Any]:
    """One answer; sent again while the server says the answers are not
    open yet (the reading time by the server's clock)."""
    s = Sock(base, f"/ws/play/{pin}/", token)
    try:
        for _ in range(100):
            s.send({"type": "answer", "question": question, "choices": [choice]})
            f = s.expect("answer_ack", "error")
            if f["type"] == "answer_ack":
                return f
            assert f["code"] == "not_open", f
            time.sleep(0.2)
        raise AssertionError("the answers never opened")
    finally:
        s.close()


# --- the screen ----------------------------------------------------------------


@dataclass
class Errors:
    """Script errors a page raised (none expected)."""

    seen: list[str] = field(default_factory=list)


def _screen(browser: Any, base: str, game: dict[str, Any], errors: Errors) -> Any:
    page = browser.new_context(viewport=FULL_HD).new_page()
    page.on("pageerror", lambda e: errors.seen.append(str(e)))
    page.goto(f"{base}/screen/{game['pin']}#token={game['screen_token']}")
    _expect()(page.get_by_test_id("screen-pin")).to_be_visible()
    return page


def _px(locator: Any) -> float:
    return float(locator.evaluate("e => parseFloat(getComputedStyle(e).fontSize)"))


def _box(locator: Any) -> dict[str, float]:
    return dict(locator.evaluate("e => e.getBoundingClientRect().toJSON()"))


def _fits(page: Any) -> None:
    """No scrollbar either way, and every visible thing at least 3% of the
    width from the left and right edges."""
    m = page.evaluate(
        """() => {
          const d = document.documentElement;
          let left = Infinity, right = -Infinity;
          for (const e of document.querySelectorAll('main.screen *')) {
            const r = e.getBoundingClientRect();
            const cs = getComputedStyle(e);
            // sr-only text (1 px, clipped) and hidden wall chips draw nothing
            if (r.width <= 1 || r.height <= 1 || cs.visibility === 'hidden' || cs.clip !== 'auto') continue;
            if (e.closest('.sr-only') || e.closest('[data-off]')) continue;
            left = Math.min(left, r.left); right = Math.max(right, r.right);
          }
          return {sw: d.scrollWidth, cw: d.clientWidth, sh: d.scrollHeight, ch: d.clientHeight,
                  w: innerWidth, left, right};
        }"""
    )
    assert m["sw"] <= m["cw"], f"horizontal overflow: {m}"
    assert m["sh"] <= m["ch"], f"vertical overflow: {m}"
    assert m["left"] >= 0.03 * m["w"] - 0.5, (
        f"content starts {m['left']} px from the left edge: {m}"
    )
    assert m["right"] <= 0.97 * m["w"] + 0.5, (
        f"content ends {m['w'] - m['right']} px from the right: {m}"
    )


def _settled(page: Any) -> None:
    """Until the screen's CSS transitions and animations have finished."""
    page.wait_for_function(
        "() => document.getAnimations().filter(a => a.playState === 'running').length === 0"
    )


# --- 1 and 10: stadium scale, the reading view, large shapes; 7: late join off ----------


@pytest.mark.timeout(240)
def test_stadium_scale_reading_view_and_shapes(e2e_server: Any, browser: Any, shots: Any) -> None:
    expect = _expect()
    base = e2e_server.url
    api = _host_api(browser, base)
    questions = [
        _choice("Which stadium is the largest in Europe?",
                ["Camp Nou", "Wembley", "Signal Iduna Park", "San Siro"], 0, read_time=12),
        _choice("How many players are on a football team's pitch?", ["11", "9", "10", "12"], 0),
    ]  # fmt: skip
    game = _open_game(api, base, questions, late_join=False, reveal="on_close")
    pin = game["pin"]
    errors = Errors()
    screen = _screen(browser, base, game, errors)
    host = _host(base, game)
    try:
        # --- the lobby: the PIN and the count huge --------------------------------
        names = [LONG_NAME, "Mia 🦄", "فاطمة الزهراء", "たけし"]
        tokens = [_join(base, pin, n) for n in names]
        expect(screen.get_by_test_id("screen-players")).to_have_text("4 players")
        wall = screen.get_by_role("list", name="Players who joined")
        for n in names:
            expect(wall).to_contain_text(n)
        assert _px(screen.get_by_test_id("screen-pin")) >= 150
        assert _px(screen.get_by_test_id("screen-players")) >= 64
        assert _px(wall.locator("li").first) >= 32
        # the newest first
        assert wall.locator("li").first.inner_text() == "たけし"
        _fits(screen)
        shots(screen, "lobby-1080p")

        # --- question 1 opens with a reading time: the get-ready view -------------------
        host.send({"type": "start_question", "question": 1})
        reading = screen.get_by_test_id("screen-reading")
        expect(reading).to_be_visible()
        expect(screen.get_by_test_id("screen-getready")).to_contain_text("Get ready")
        expect(screen.get_by_test_id("reading-countdown")).to_be_visible()
        qtext = screen.get_by_role("heading", name=questions[0]["text"])
        assert _px(qtext) >= 80  # alone on the screen, larger still
        # no tiles and no board yet: the question alone
        assert screen.get_by_test_id("screen-tiles").count() == 0
        assert screen.get_by_test_id("leaderboard").count() == 0
        # late join is off: once started, the screen never invites latecomers
        expect(screen.get_by_test_id("screen-late-join")).to_have_count(0)
        _fits(screen)
        shots(screen, "reading-1080p")

        # --- the answers open: question, count, countdown, tiles, top 10 -------------
        question = screen.get_by_test_id("screen-question")
        expect(question).to_be_visible()
        assert _px(qtext) >= 56
        assert _px(screen.get_by_test_id("screen-qnum")) >= 38
        expect(screen.get_by_test_id("screen-qnum")).to_have_text("Question 1 of 2")
        assert _px(screen.get_by_test_id("countdown")) >= 96
        assert _px(screen.get_by_test_id("screen-answered")) >= 38
        rows = screen.locator("[data-testid=leaderboard] li")
        expect(rows).to_have_count(4)
        for i in range(4):
            assert _px(rows.nth(i).locator(".lb-name")) >= 40
        # the long name ellipsizes inside its row, never past it
        long_row = screen.locator("[data-testid=leaderboard] li", has_text="Maximilian")
        name = long_row.locator(".lb-name")
        assert name.evaluate("e => getComputedStyle(e).textOverflow") == "ellipsis"
        assert _box(name)["right"] <= _box(long_row)["right"]
        assert _box(long_row)["right"] <= _box(screen.locator("aside.show-side"))["right"] + 0.5
        for i in range(4):
            shape = screen.get_by_test_id(f"tile-{i}").locator("svg")
            assert _box(shape)["width"] >= 48 and _box(shape)["height"] >= 48
        expect(screen.get_by_test_id("screen-late-join")).to_have_count(0)
        _fits(screen)
        shots(screen, "question-1080p")

        # --- answers: two right, one wrong; the host closes ---------------------------
        for token, choice in ((tokens[0], 0), (tokens[1], 2), (tokens[2], 0)):
            _answer(base, pin, token, 1, choice)
        expect(screen.get_by_test_id("screen-answered")).to_have_text("3 / 4 answered")
        host.send({"type": "close_question"})
        results = screen.get_by_test_id("screen-results")
        expect(results).to_be_visible()
        for i, count in enumerate([2, 0, 1, 0]):
            expect(screen.get_by_test_id(f"dist-{i}")).to_have_text(str(count))
            row = screen.get_by_test_id(f"dist-row-{i}")
            assert _px(row) >= 38
            shape = row.locator("svg")
            assert _box(shape)["width"] >= 48 and _box(shape)["height"] >= 48
        expect(screen.get_by_test_id("dist-row-0")).to_have_class(re.compile(r"\bright\b"))
        expect(screen.get_by_test_id("dist-row-2")).to_have_class(re.compile(r"\bwrong\b"))
        expect(screen.locator("[data-testid=leaderboard] li[data-rank='1']")).to_contain_text(
            LONG_NAME
        )
        _settled(screen)
        _fits(screen)
        shots(screen, "results-1080p")

        # --- the same moments hold at 1280x720 --------------------------------------
        screen.set_viewport_size(HD)
        _settled(screen)
        _fits(screen)
        assert _box(screen.get_by_test_id("dist-row-0").locator("svg"))["width"] >= 48
        shots(screen, "results-720p")
        screen.set_viewport_size(FULL_HD)
        assert errors.seen == []
    finally:
        host.close()
        screen.context.close()
        api.close()


# --- 7: the late-join line follows the lock live ---------------------------------------


@pytest.mark.timeout(180)
def test_late_join_line_follows_the_lock(e2e_server: Any, browser: Any, shots: Any) -> None:
    expect = _expect()
    base = e2e_server.url
    api = _host_api(browser, base)
    game = _open_game(api, base, [_choice("Red planet?", ["Mars", "Venus"], 0)], late_join=True)
    pin = game["pin"]
    errors = Errors()
    screen = _screen(browser, base, game, errors)
    host = _host(base, game)
    try:
        _join(base, pin, "Ada")
        expect(screen.get_by_test_id("screen-players")).to_have_text("1 player")
        # the lobby invites everyone already: no late-join line there
        expect(screen.get_by_test_id("screen-late-join")).to_have_count(0)
        host.send({"type": "start_question", "question": 1})
        late = screen.get_by_test_id("screen-late-join")
        expect(late).to_have_text(f"Late? Join at {base.split('//', 1)[1]}/play with PIN {pin}")
        assert _px(late) >= 28
        shots(screen, "late-join-open")

        host.send({"type": "lock_join"})
        host.expect("players", join_open=False)
        expect(late).to_have_count(0)  # live, without a reload
        shots(screen, "late-join-locked")

        host.send({"type": "lock_join", "locked": False})
        expect(late).to_be_visible()
        # a late joiner shows up in the count
        _join(base, pin, "Grace")
        expect(screen.get_by_test_id("screen-answered")).to_contain_text("/ 2 answered")
        assert errors.seen == []
    finally:
        host.close()
        screen.context.close()
        api.close()


# --- 4: the lobby wall shows the newest of 200 joiners ------------------------------


def _wall_check(screen: Any, n: int) -> None:
    expect = _expect()
    expect(screen.get_by_test_id("screen-players")).to_have_text(f"{n} players")
    wall = screen.get_by_test_id("name-wall")
    newest = wall.locator("li", has_text=re.compile(rf"^Fan {n:03d}$"))
    expect(newest).to_be_visible()
    expect(wall.locator("li", has_text=re.compile(r"^Fan 001$"))).to_have_count(0)
    # the shown chips are the newest, newest first, each whole inside the wall
    shown = wall.locator("li:not([data-off])")
    texts = shown.all_inner_texts()
    assert len(texts) >= 24, f"the wall shows only {len(texts)} names"
    assert texts == [f"Fan {i:03d}" for i in range(n, n - len(texts), -1)]
    box = _box(wall)
    for r in shown.evaluate_all("els => els.map(e => e.getBoundingClientRect().toJSON())"):
        assert box["top"] - 0.5 <= r["top"] and r["bottom"] <= box["bottom"] + 0.5, (r, box)
        assert box["left"] - 0.5 <= r["left"] and r["right"] <= box["right"] + 0.5, (r, box)
    # no scrollbar: nothing overflows the wall's box
    assert wall.evaluate("e => getComputedStyle(e).overflowY") == "hidden"
    _fits(screen)


@pytest.mark.timeout(240)
def test_lobby_wall_shows_the_newest_of_200(e2e_server: Any, browser: Any, shots: Any) -> None:
    expect = _expect()
    base = e2e_server.url
    api = _host_api(browser, base)
    game = _open_game(api, base, [_choice("Ready?", ["Yes", "No"], 0)])
    pin = game["pin"]
    errors = Errors()
    live = _screen(browser, base, game, errors)  # open from the start: the players frames
    fresh = None
    try:
        for i in range(1, 201):
            _join(base, pin, f"Fan {i:03d}")
        _wall_check(live, 200)
        assert _px(live.get_by_test_id("screen-players")) >= 64
        shots(live, "lobby-wall-200")
        # a screen opened now reads the same wall from its welcome
        fresh = _screen(browser, base, game, errors)
        _wall_check(fresh, 200)
        # and at 1280x720 it shows fewer names, still whole and the newest
        fresh.set_viewport_size(HD)
        expect(fresh.get_by_test_id("name-wall").locator("li").first).to_have_text("Fan 200")
        _wall_check(fresh, 200)
        shots(fresh, "lobby-wall-200-720p")
        assert errors.seen == []
    finally:
        live.context.close()
        if fresh is not None:
            fresh.context.close()
        api.close()


# --- 6: the full-screen board between questions and the podium reveal -----------------

# Records, in the page, the order in which the podium's places appear.
PODIUM_WATCH = """
window.__reveals = [];
document.addEventListener('DOMContentLoaded', () => {
  const note = (e, how) => {
    const id = e.getAttribute && e.getAttribute('data-testid');
    if (id && id.startsWith('podium-step-') && e.getAttribute('data-revealed') === 'true') {
      window.__reveals.push(how + id.slice(12));
    }
  };
  new MutationObserver((ms) => {
    for (const m of ms) {
      if (m.type === 'attributes') note(m.target, '');
      for (const n of m.addedNodes || []) {
        if (n.querySelectorAll) {
          note(n, 'at-once:');
          n.querySelectorAll('[data-testid^=podium-step-]').forEach((e) => note(e, 'at-once:'));
        }
      }
    }
  }).observe(document.body, {subtree: true, childList: true, attributes: true,
                             attributeFilter: ['data-revealed']});
});
"""


@pytest.mark.timeout(300)
def test_board_between_questions_and_podium_reveal(
    e2e_server: Any, browser: Any, shots: Any
) -> None:
    expect = _expect()
    base = e2e_server.url
    api = _host_api(browser, base)
    questions = [
        _choice("Who won the 2014 World Cup?", ["Germany", "Argentina", "Brazil"], 0, time_limit=20),
        _choice("Which club plays at Anfield?", ["Everton", "Liverpool", "Chelsea"], 1,
                time_limit=20, multiplier=2),
    ]  # fmt: skip
    game = _open_game(api, base, questions, auto_advance={"reveal_s": 2, "leaderboard_s": 8})
    pin = game["pin"]
    screen = browser.new_context(viewport=FULL_HD)
    screen.add_init_script(PODIUM_WATCH)
    calm = browser.new_context(viewport=FULL_HD, reduced_motion="reduce")
    calm.add_init_script(PODIUM_WATCH)
    host = _host(base, game)
    try:
        pages = []
        for ctx in (screen, calm):
            p = ctx.new_page()
            p.goto(f"{base}/screen/{pin}#token={game['screen_token']}")
            expect(p.get_by_test_id("screen-pin")).to_have_text(pin)
            pages.append(p)
        show, still = pages
        alice, bob, carol = (_join(base, pin, n) for n in ("Alice", "Bob", LONG_NAME))
        expect(show.get_by_test_id("screen-players")).to_have_text("3 players")

        # question 1: Bob alone is right
        host.send({"type": "start_question", "question": 1})
        expect(show.get_by_test_id("screen-question")).to_be_visible()
        for token, choice in ((bob, 0), (alice, 1), (carol, 2)):
            _answer(base, pin, token, 1, choice)
        board = show.get_by_test_id("screen-leaderboard")
        expect(board).to_contain_text("After question 1 of 2")
        names = board.locator(".sb-name")
        expect(names).to_have_text(["Alice", "Bob", LONG_NAME])  # DOM order: by player
        expect(board.locator("li[data-rank='1']")).to_contain_text("Bob")
        # the first board has nothing to compare with: no arrows
        assert board.locator("[data-testid=lb-move]").all_inner_texts() == ["", "", ""]
        _settled(show)
        shots(show, "board-after-q1")

        # question 2 (double points): Alice and Carol right, Bob wrong
        expect(show.get_by_role("heading", name=questions[1]["text"])).to_be_visible()
        for token, choice in ((alice, 1), (carol, 1), (bob, 0)):
            _answer(base, pin, token, 2, choice)
        expect(board).to_contain_text("After question 2 of 2")
        expect(board.locator("[data-testid=leaderboard]")).to_have_attribute("data-settled", "true")
        want = {
            "Alice": ("1", "up1", "▲1"),
            LONG_NAME: ("2", "up1", "▲1"),
            "Bob": ("3", "down2", "▼2"),
        }
        for who, (rank, move, mark) in want.items():
            row = board.locator("li.sb-row", has_text=who)
            expect(row).to_have_attribute("data-rank", rank)
            expect(row.get_by_test_id("lb-move")).to_have_attribute("data-move", move)
            expect(row.get_by_test_id("lb-move")).to_have_text(mark)
            assert _px(row.locator(".sb-name")) >= 40
        # the rows stand in rank order once the slide is over
        _settled(show)
        ys = [_box(board.locator("li.sb-row", has_text=w))["top"] for w in want]
        assert ys == sorted(ys) and len(set(ys)) == 3, ys
        _fits(show)
        shots(show, "board-after-q2-movement")

        # the end: the podium, 3rd, then 2nd, then 1st
        step1 = show.get_by_test_id("podium-step-1")
        expect(show.get_by_test_id("podium-step-3")).to_have_attribute(
            "data-revealed", "true", timeout=40_000
        )
        _fits(show)  # the places still to come make no scrollbar either
        shots(show, "podium-3rd")
        expect(step1).to_have_attribute("data-revealed", "true")
        assert show.evaluate("window.__reveals") == ["3", "2", "1"]
        expect(step1).to_contain_text("Alice")
        expect(show.get_by_test_id("podium-step-3")).to_contain_text("Bob")
        assert _px(step1.locator(".show-step-name")) >= 40
        places = show.get_by_test_id("podium").locator("li").all_inner_texts()
        assert [re.sub(r" \d+ points$", "", t) for t in places] == [
            "1st Alice",
            f"2nd {LONG_NAME}",
            "3rd Bob",
        ]
        _settled(show)
        _fits(show)
        shots(show, "podium-all")

        # prefers-reduced-motion: every place at once, no staggering
        expect(still.get_by_test_id("podium-step-1")).to_have_attribute("data-revealed", "true")
        reveals = still.evaluate("window.__reveals")
        assert sorted(reveals) == ["at-once:1", "at-once:2", "at-once:3"], reveals
        shots(still, "podium-reduced-motion")
    finally:
        host.close()
        screen.close()
        calm.close()
        api.close()
