"""Teams in a real browser (issue 14): stand against stand.

The host imports a three-question quiz and opens a game with teams on
through the game form (players choose, average score, three teams:
Home / Away / Neutral) and the scores revealed at each close. The big
screen is opened from the console's browser, so the console's board
button switches it. Five phones join with the big team buttons, unevenly
(2 Home, 2 Away, 1 Neutral), and each shows its team.

After each close the screen's team board (every bar's rank, score and
members) and each phone's team rank equal an oracle written here from the
issue's rules (team score = floor(total / members), score descending, ties
to the lower index), fed with the totals the phones show. While a question
is open the team board does not move (``on_close``). At the end the team
podium shows the oracle's top 3, and GET /api/games/<pin>/results gives
the same teams, with per-answer points that add up to the totals the
phones showed after each question. Between questions 2 and 3 the host kicks a player
who scored: his points and his place leave his team at once, and he stays
in the results as kicked. A phone reloaded mid-question keeps its team.

Every wait is for something users see (a testid, an attribute); nothing
sleeps.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from .test_game import PHONE, _expect
from .test_host_tools import _import, _login

TEAMS = ["Home", "Away", "Neutral"]
# nickname -> the team index each phone picks: uneven on purpose
PLAYERS = {"Hana": 0, "Hugo": 0, "Ava": 1, "Abe": 1, "Nico": 2}
RIGHT = [1, 0, 2]  # the right choice of each question
# who answers right, per question (the others tap a wrong choice)
RIGHT_BY = [
    {"Hana", "Hugo"},  # Away and Neutral tie at 0: Away (the lower index) ranks above
    {"Hana", "Abe", "Nico"},  # Neutral passes Away
    {"Hugo", "Nico", "Ava"},  # Abe is gone by then
]
KICKED = "Abe"  # kicked between questions 2 and 3: his points leave Away


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
            q("Which club plays at Anfield?", ["Everton", "Liverpool", "Leeds"], RIGHT[0]),
            q("How many players has a football team on the pitch?", ["11", "10", "9"], RIGHT[1]),
            q("How long is a marathon (km)?", ["40", "41", "42.195"], RIGHT[2]),
        ],
    }


@dataclass(frozen=True)
class Team:
    team: int
    name: str
    score: int
    members: int
    rank: int


def oracle(totals: dict[str, int], teams: dict[str, int], mode: str) -> list[Team]:
    """The team board from the players' totals, by the issue's rules:
    sum = the members' total, average = floor(total / members) (0 without
    members); score descending, ties to the lower index, every team ranked."""
    rows = []
    for i, name in enumerate(TEAMS):
        mine = [totals[p] for p, t in teams.items() if t == i]
        total = sum(mine)
        score = total if mode == "sum" else (total // len(mine) if mine else 0)
        rows.append((i, name, score, len(mine)))
    rows.sort(key=lambda r: (-r[2], r[0]))
    return [Team(t, n, s, m, rank) for rank, (t, n, s, m) in enumerate(rows, 1)]


def _board(screen: Any) -> list[Team]:
    """The screen's team board as shown: every bar, in rank order."""
    out = []
    for i, name in enumerate(TEAMS):
        bar = screen.get_by_test_id(f"team-bar-{i}")
        assert name in bar.inner_text()
        out.append(
            Team(
                i,
                name,
                int(bar.get_attribute("data-score")),
                int(bar.get_attribute("data-members")),
                int(bar.get_attribute("data-rank")),
            )
        )
    return sorted(out, key=lambda e: e.rank)


def _settled(screen: Any) -> None:
    """Until the bar race's slides and width changes have finished (the bars
    move by CSS transitions), so positions and screenshots are final."""
    screen.wait_for_function(
        "() => document.getAnimations().filter(a => a.playState === 'running'"
        " && a.effect && a.effect.target && a.effect.target.closest"
        " && a.effect.target.closest('[data-testid=team-board]')).length === 0"
    )


def _expect_board(screen: Any, want: list[Team], *, lobby: bool = False) -> None:
    expect = _expect()
    board = screen.get_by_test_id("team-board")
    expect(board).to_be_visible()
    for e in want:
        bar = board.get_by_test_id(f"team-bar-{e.team}")
        expect(bar).to_have_attribute("data-members", str(e.members))
        expect(bar).to_have_attribute("data-rank", str(e.rank))
        if not lobby:
            expect(bar).to_have_attribute("data-score", str(e.score))
            expect(bar.locator(".tb-score")).to_have_text(str(e.score))
    # every bar's track has the same length, whatever its label ("1 player", "2100")
    _settled(screen)
    widths = {
        round(t["width"])
        for t in board.locator(".tb-track").evaluate_all(
            "els => els.map(e => e.getBoundingClientRect().toJSON())"
        )
    }
    assert len(widths) == 1, widths
    if not lobby:
        assert _board(screen) == want
        # the bars stand in rank order on the screen (they slide by a transform)
        _settled(screen)
        ys = [board.get_by_test_id(f"team-bar-{e.team}").bounding_box()["y"] for e in want]
        assert ys == sorted(ys) and len(set(ys)) == len(ys), ys


def _results(host: Any, base: str, pin: str) -> dict[str, Any]:
    for _ in range(300):  # until the flusher saved the game (a state, not a timing)
        res = host.request.get(f"{base}/api/games/{pin}/results")
        if res.status == 200:
            return dict(res.json())
        assert res.status == 409, res.text()
        time.sleep(0.1)
    raise AssertionError("the results were never saved")


@pytest.mark.timeout(300)
@pytest.mark.parametrize(
    ("reveal", "mode"),
    [("on_close", "average"), ("live", "sum")],
    ids=["on_close-average", "live-sum"],
)
def test_teams_choose(
    e2e_server: Any, browser: Any, shots: Any, tmp_path: Path, reveal: str, mode: str
) -> None:
    expect = _expect()
    base = e2e_server.url
    contexts: list[Any] = []

    def context(**kw: Any) -> Any:
        ctx = browser.new_context(**kw)
        contexts.append(ctx)
        return ctx

    try:
        # --- the host imports a quiz and opens a game with teams --------------------
        host_ctx = context(viewport={"width": 1280, "height": 900})
        host = host_ctx.new_page()
        host.on("dialog", lambda d: d.accept())
        _login(host, base)
        item = _import(host, tmp_path, _doc(f"Stands {uuid.uuid4().hex[:6]}"))
        item.get_by_role("button", name="Open a game").click()
        # on_close is the default; live is asked for
        mode_label = "At the close of each question" if reveal == "on_close" else "Live (the board"
        item.get_by_label(mode_label).check()
        item.get_by_test_id("teams-on").check()
        item.get_by_test_id("teams-mode").select_option("choose")
        item.get_by_test_id("teams-score").select_option(mode)
        item.get_by_test_id("teams-names").fill("\n".join(TEAMS))
        shots(host, "host-game-form-teams")
        item.get_by_role("button", name="Start the lobby").click()
        expect(host.get_by_test_id("host-pin")).to_be_visible()
        pin = host.get_by_test_id("host-pin").inner_text().split()[-1]
        assert pin.isdigit() and len(pin) == 6

        # --- the big screen, from the console's browser (the board button reaches it)
        href = host.get_by_role("link", name="Open the big screen").get_attribute("href")
        assert href and href.startswith(f"/screen/{pin}?board=teams&lang=en#token=")
        screen = host_ctx.new_page()
        screen.set_viewport_size({"width": 1600, "height": 900})
        screen.goto(base + href)
        expect(screen.get_by_test_id("screen-pin")).to_have_text(pin)
        expect(screen.get_by_test_id("team-board")).to_be_visible()
        for i, name in enumerate(TEAMS):
            expect(screen.get_by_test_id(f"team-bar-{i}")).to_contain_text(name)

        # --- five phones join with the team buttons ---------------------------------
        phones: dict[str, Any] = {}
        for nick, team in PLAYERS.items():
            page = context(**PHONE).new_page()
            page.goto(f"{base}/play?pin={pin}")
            page.fill("#nickname", nick)
            for i, name in enumerate(TEAMS):
                expect(page.get_by_test_id(f"team-choice-{i}")).to_have_text(name)
            if nick == "Nico":  # Join without a team is refused in words first
                page.get_by_role("button", name="Join").click()
                expect(page.get_by_test_id("join-error")).to_contain_text("Pick your team")
            page.get_by_test_id(f"team-choice-{team}").click()
            expect(page.get_by_test_id(f"team-choice-{team}")).to_have_attribute(
                "aria-pressed", "true"
            )
            if nick == "Hana":
                shots(page, "phone-team-choice")
            page.get_by_role("button", name="Join").click()
            expect(page.get_by_role("heading", name="You're in!")).to_be_visible()
            expect(page.get_by_test_id("team-assigned")).to_contain_text(TEAMS[team])
            phones[nick] = page

        active = dict(PLAYERS)  # the teams' members: joined and not kicked
        no_points = dict.fromkeys(PLAYERS, 0)
        lobby = oracle(no_points, active, mode)
        assert [e.members for e in sorted(lobby, key=lambda e: e.team)] == [2, 2, 1]
        _expect_board(screen, lobby, lobby=True)
        expect(screen.get_by_test_id("screen-players")).to_have_text("5 players")
        for e in lobby:
            expect(host.get_by_test_id(f"host-team-{e.team}")).to_have_attribute(
                "data-members", str(e.members)
            )
        shots(screen, "screen-lobby-teams")
        shots(host, "host-lobby-teams")

        # --- the questions ----------------------------------------------------------
        seen_totals: list[dict[str, int]] = []
        boards: list[list[Team]] = []
        for n, right_by in enumerate(RIGHT_BY, 1):
            host.get_by_test_id("host-next").click()
            for nick, page in phones.items():
                expect(page.get_by_text(f"Question {n} of 3", exact=True)).to_be_visible()
                expect(page.get_by_test_id("my-team")).to_have_text(TEAMS[PLAYERS[nick]])
            expect(screen.get_by_test_id("screen-question")).to_be_visible()
            if n == 1:
                shots(phones["Hana"], "phone-question-team-badge")

            if n == 3:  # a reload mid-question: the same player, the same team
                phones["Nico"].reload()
                expect(phones["Nico"].get_by_text("Question 3 of 3", exact=True)).to_be_visible()
                expect(phones["Nico"].get_by_test_id("my-team")).to_have_text(TEAMS[2])
                assert phones["Nico"].locator("#nickname").count() == 0
            order = list(phones)
            for k, nick in enumerate(order):
                right = RIGHT[n - 1]
                tap = right if nick in right_by else (right + 1) % 3
                bar = screen.get_by_test_id(f"team-bar-{PLAYERS[nick]}")
                was = int(bar.get_attribute("data-score"))  # the screen, before the tap
                phones[nick].get_by_test_id(f"answer-{tap}").click()
                expect(phones[nick].get_by_test_id("locked")).to_be_visible()
                if k == len(order) - 1:
                    continue
                expect(screen.get_by_test_id("screen-answered")).to_contain_text(
                    f"{k + 1} / {len(order)} answered"
                )
                before = boards[-1] if boards else oracle(no_points, active, mode)
                if reveal == "on_close":
                    # answers move neither the players' nor the teams' board
                    assert _board(screen) == before
                    if n == 2 and k == 2:
                        shots(screen, "screen-question-open-board-held")
                elif nick in right_by:
                    # live: the bar race moves while the question is open
                    expect(bar).not_to_have_attribute("data-score", str(was))
                    assert int(bar.get_attribute("data-score")) > was
                    expect(screen.get_by_test_id("screen-question")).to_be_visible()
                    if n == 2 and k == 1:
                        _settled(screen)
                        shots(screen, "screen-question-open-board-live")

            # every phone answered: the question closes; the totals the phones show
            totals: dict[str, int] = {}
            for nick, page in phones.items():
                want = "Correct!" if nick in right_by else "Wrong"
                expect(page.get_by_test_id("result")).to_contain_text(want)
                totals[nick] = int(page.get_by_test_id("total").inner_text())
            want_board = oracle(totals, active, mode)
            _expect_board(screen, want_board)
            shots(screen, f"q{n}-screen-team-board")
            by_team = {e.team: e for e in want_board}
            for nick, page in phones.items():
                mine = by_team[PLAYERS[nick]]
                rank = page.get_by_test_id("my-team-rank")
                expect(rank).to_have_attribute("data-rank", str(mine.rank))
                expect(rank).to_have_attribute("data-score", str(mine.score))
                expect(rank).to_contain_text(f"Team {mine.name}")
            for e in want_board:
                host_team = host.get_by_test_id(f"host-team-{e.team}")
                expect(host_team).to_have_attribute("data-score", str(e.score))
                expect(host_team).to_have_attribute("data-rank", str(e.rank))
            seen_totals.append(totals)
            boards.append(want_board)
            shots(phones["Nico"], f"q{n}-phone-team-rank")

            if n == 1:
                # a tie at 0 between Away and Neutral goes to the lower index
                assert [(e.team, e.rank) for e in want_board] == [(0, 1), (1, 2), (2, 3)]
                assert want_board[1].score == want_board[2].score == 0
                # the console's button switches the screen to the players' board and back
                host.get_by_test_id("host-board-toggle").click()
                expect(screen.get_by_test_id("leaderboard")).to_be_visible()
                expect(screen.get_by_test_id("team-board")).to_have_count(0)
                shots(screen, "q1-screen-players-board")
                host.get_by_test_id("host-board-toggle").click()
                expect(screen.get_by_test_id("team-board")).to_be_visible()
                # and so does the screen's own toggle
                screen.get_by_test_id("board-toggle").click()
                expect(screen.get_by_test_id("leaderboard")).to_be_visible()
                screen.get_by_test_id("board-toggle").click()
                _expect_board(screen, want_board)

            if n == 2:
                # a kick between questions: the player's points and place leave his team
                assert totals[KICKED] > 0
                host.get_by_role("button", name=f"Kick {KICKED}").click()
                expect(
                    phones[KICKED].get_by_role("heading", name="You were removed from the game")
                ).to_be_visible()
                del phones[KICKED], active[KICKED]
                after_kick = oracle({p: totals[p] for p in active}, active, mode)
                assert after_kick != want_board
                _expect_board(screen, after_kick)
                for e in after_kick:
                    host_team = host.get_by_test_id(f"host-team-{e.team}")
                    expect(host_team).to_have_attribute("data-members", str(e.members))
                    expect(host_team).to_have_attribute("data-score", str(e.score))
                shots(screen, "q2-screen-team-board-after-kick")
                boards.append(after_kick)

        # the plan made the race change its order at least once
        assert len({tuple(e.team for e in b) for b in boards}) > 1, boards

        # --- the end: the team podium, the phones' final team rank, the results ------
        host.get_by_role("button", name="End the game").click()
        final = boards[-1]
        podium = screen.get_by_test_id("team-podium")
        expect(podium).to_be_visible()
        expect(podium.locator(".podium-step")).to_have_count(3)
        for e in final[:3]:
            step = podium.get_by_test_id(f"team-podium-{e.rank}")
            expect(step).to_have_attribute("data-team", str(e.team))
            expect(step).to_have_attribute("data-score", str(e.score))
            expect(step).to_contain_text(e.name)
            expect(step.locator(".podium-score")).to_have_text(str(e.score))
        assert podium.locator(".sr-only li").all_inner_texts() == [
            f"{o} {e.name} {e.score} points"
            for o, e in zip(["1st", "2nd", "3rd"], final, strict=False)
        ]
        shots(screen, "screen-team-podium")
        by_team = {e.team: e for e in final}
        for nick, page in phones.items():
            mine = by_team[PLAYERS[nick]]
            rank = page.get_by_test_id("my-team-rank")
            expect(rank).to_have_attribute("data-rank", str(mine.rank))
            expect(rank).to_have_attribute("data-score", str(mine.score))
            expect(rank).to_contain_text(f"Team {mine.name} finished")
        shots(phones["Hana"], "phone-final-team")

        expect(host.get_by_test_id("csv")).to_be_visible()
        res = _results(host, base, pin)
        rows = {r["nickname"]: r for r in res["ranking"]}
        assert set(rows) == set(PLAYERS)
        for nick, r in rows.items():
            assert r["team"] == PLAYERS[nick]
            assert r["kicked"] is (nick == KICKED)
            played = 2 if nick == KICKED else 3
            assert r["score"] == seen_totals[played - 1][nick]
            # the saved points add up, question by question, to what the phone showed
            points = {a["question"]: a["points"] for a in r["answers"]}
            running = 0
            for n in range(1, played + 1):
                running += points.get(n, 0)
                assert running == seen_totals[n - 1][nick], (nick, n)
        assert rows[KICKED]["rank"] == 0  # off the board
        final_totals = {nick: r["score"] for nick, r in rows.items() if nick in active}
        standings = [vars(e) for e in oracle(final_totals, active, mode)]
        assert standings == [vars(e) for e in final]  # nothing moved after the last close
        assert res["teams"] == standings
        assert res["teams_podium"] == standings[:3]
    finally:
        for ctx in contexts:
            ctx.close()
