"""The game report in a real browser (issue 16, item 2).

The host imports a three-question quiz (a choice question, a true/false
statement and a poll), opens a game with teams assigned automatically, and
two phones play it to the end: Ana right twice, Ben wrong on the choice and
right on the statement. Each phone's total after each close is read off the
phone.

Then the host opens /host/report/<pin> from the console's link. The page
must show what the phones saw: 2 players, 6 answers, per question the
answers, the right answers, the share right and the points given (the
points are the phones' totals); the hardest question is the choice; the
players' table holds the phones' totals in rank order; the teams' table
holds the teams of the JSON. The JSON's times agree with a computation here
over its own per-answer rows (mean, median, histogram counts).

Each format is downloaded through the page's buttons (expect_download): the
CSV starts with a UTF-8 BOM and its questions and players tables hold the
same numbers; the JSON file equals the endpoint's JSON; the XLSX opens with
openpyxl, has the sheets Questions, Players, Answers and Teams, and holds
the same numbers.

Every wait is for something users see or a state; nothing sleeps for time.
"""

from __future__ import annotations

import csv
import io
import json
import re
import statistics
import time
import uuid
from pathlib import Path
from typing import Any

import pytest

from .test_game import PHONE, _expect
from .test_host_tools import _import, _login

ANA, BEN = "Ana", "Ben"
# per question: the choice index each phone taps
TAPS = [
    {ANA: 1, BEN: 0},  # choice, right is 1: Ana right, Ben wrong
    {ANA: 0, BEN: 0},  # true/false, the statement is true: both right
    {ANA: 2, BEN: 1},  # poll: no right answer, no points
]
RIGHT = [1, 2, None]  # right answers per question (None: a poll)
# what each phone shows after each close
TITLES = [
    {ANA: "Correct!", BEN: "Wrong"},
    {ANA: "Correct!", BEN: "Correct!"},
    {ANA: "Thanks for voting", BEN: "Thanks for voting"},
]


def _doc(title: str) -> dict[str, Any]:
    return {
        "title": title,
        "questions": [
            {
                "kind": "choice",
                "text": "Which club plays at Anfield?",
                "time_limit": 60,
                "multiplier": 1,
                "image": None,
                "choices": [
                    {"text": "Everton", "correct": False},
                    {"text": "Liverpool", "correct": True},
                    {"text": "Leeds", "correct": False},
                ],
            },
            {
                "kind": "true_false",
                "text": "A football team has eleven players on the pitch.",
                "time_limit": 60,
                "multiplier": 1,
                "image": None,
                "answer": True,
            },
            {
                "kind": "poll",
                "text": "Which stand do you sit in?",
                "time_limit": 60,
                "image": None,
                "choices": [{"text": "North"}, {"text": "South"}, {"text": "East"}],
            },
        ],
    }


def _report_json(page: Any, base: str, pin: str) -> dict[str, Any]:
    for _ in range(300):  # until the flusher saved the game (a state, not a timing)
        res = page.request.get(f"{base}/api/games/{pin}/report")
        if res.status == 200:
            return dict(res.json())
        assert res.status == 409, (res.status, res.text())
        time.sleep(0.1)
    raise AssertionError("the report never came (the game was never saved)")


def _cell(row: Any, col: str) -> str:
    return str(row.locator(f"[data-col={col}]").inner_text()).strip()


def _count(row: Any, col: str) -> str:
    """A count cell without its thousands separators (the language's: "," in
    English, a narrow no-break space in French...)."""
    return re.sub(r"[,.\s\u2009\u202f\u00a0]", "", _cell(row, col))


def _num(v: Any) -> int | None:
    """A table cell as an int (CSV text, XLSX number); None when blank."""
    if v is None or v == "":
        return None
    return round(float(v))


def _median(xs: list[int]) -> float:
    return float(statistics.median(xs))


@pytest.mark.timeout(300)
def test_report_page_and_downloads(
    e2e_server: Any, browser: Any, shots: Any, tmp_path: Path
) -> None:
    expect = _expect()
    base = e2e_server.url
    contexts: list[Any] = []

    def context(**kw: Any) -> Any:
        ctx = browser.new_context(**kw)
        contexts.append(ctx)
        return ctx

    try:
        # --- the host imports the quiz and opens a game with automatic teams ----
        host = context(accept_downloads=True, viewport={"width": 1280, "height": 900}).new_page()
        host.on("dialog", lambda d: d.accept())
        _login(host, base)
        item = _import(host, tmp_path, _doc(f"Report {uuid.uuid4().hex[:6]}"))
        item.get_by_role("button", name="Open a game").click()
        item.get_by_test_id("teams-on").check()
        item.get_by_test_id("teams-mode").select_option("auto")
        item.get_by_test_id("teams-names").fill("Home\nAway")
        item.get_by_role("button", name="Start the lobby").click()
        expect(host.get_by_test_id("host-pin")).to_be_visible()
        pin = host.get_by_test_id("host-pin").inner_text().split()[-1]
        assert pin.isdigit() and len(pin) == 6

        # --- two phones join ------------------------------------------------------
        phones: dict[str, Any] = {}
        for nick in (ANA, BEN):
            page = context(**PHONE).new_page()
            page.goto(f"{base}/play?pin={pin}")
            page.fill("#nickname", nick)
            page.get_by_role("button", name="Join").click()
            expect(page.get_by_role("heading", name="You're in!")).to_be_visible()
            phones[nick] = page
        expect(host.get_by_test_id("host-status")).to_contain_text("2 players")

        # --- three questions; the phones' totals after each close -----------------
        totals: list[dict[str, int]] = []
        for n, taps in enumerate(TAPS, 1):
            host.get_by_test_id("host-next").click()
            for page in phones.values():
                expect(page.get_by_text(f"Question {n} of 3", exact=True)).to_be_visible()
            for nick, page in phones.items():
                page.get_by_test_id(f"answer-{taps[nick]}").click()
                expect(page.get_by_test_id("locked")).to_be_visible()
            # everyone answered: the question closes by itself
            now: dict[str, int] = {}
            for nick, page in phones.items():
                expect(page.get_by_test_id("result-title")).to_have_text(TITLES[n - 1][nick])
                expect(page.get_by_test_id("total")).to_be_visible()
                now[nick] = int(page.get_by_test_id("total").inner_text())
            totals.append(now)
        assert totals[0][ANA] > 0 and totals[0][BEN] == 0
        assert totals[1][BEN] > 0 and totals[2] == totals[1]  # the poll gives nothing
        given = [  # points given per question: the phones' totals moved by that much
            sum(totals[i][p] - (totals[i - 1][p] if i else 0) for p in phones) for i in range(3)
        ]
        final = totals[-1]

        host.get_by_role("button", name="End the game").click()
        for page in phones.values():
            expect(page.get_by_test_id("final-rank")).to_be_visible()

        # --- the report page, from the console's link ---------------------------------
        data = _report_json(host, base, pin)
        link = host.get_by_test_id("report-link")
        expect(link).to_be_visible()
        link.click()
        expect(host).to_have_url(f"{base}/host/report/{pin}")
        page = host
        expect(page.get_by_test_id("report-page")).to_be_visible()
        summary = page.get_by_test_id("report-summary")
        expect(summary).to_have_attribute("data-players", "2")
        expect(summary).to_have_attribute("data-answers", "6")
        expect(page.get_by_test_id("report-players-count")).to_have_text("2")
        expect(page.get_by_test_id("report-answers-count")).to_have_text("6")
        # right overall: 3 right of 4 scored answers
        expect(page.get_by_test_id("report-overall")).to_have_text("75%")
        assert (data["players"], data["answers"], data["teams"]) == (2, 6, True)

        kinds = ["Choice", "True/false", "Poll"]
        shares = ["50%", "100%", "–"]
        for n in (1, 2, 3):
            row = page.get_by_test_id(f"report-q-{n}")
            expect(row).to_be_visible()
            assert _cell(row, "kind") == kinds[n - 1]
            assert _count(row, "answered") == "2"
            assert _cell(row, "right") == ("–" if RIGHT[n - 1] is None else str(RIGHT[n - 1]))
            assert _cell(row, "share_right") == shares[n - 1]
            assert _count(row, "points") == str(given[n - 1])
            q = data["questions"][n - 1]
            assert (q["question"], q["answered"], q["right"], q["points"]) == (
                n, 2, RIGHT[n - 1], given[n - 1],
            )  # fmt: skip
            # times: mean, median and histogram from the JSON's own answer rows
            times = [
                a["elapsed_ms"]
                for p in data["players_detail"]
                for a in p["answers"]
                if a["question"] == n
            ]
            assert len(times) == 2
            assert abs(q["mean_ms"] - sum(times) / 2) <= 1
            assert abs(q["median_ms"] - _median(times)) <= 1
            assert sum(b["count"] for b in q["times"]) == 2
            assert _cell(row, "mean_ms") == f"{q['mean_ms'] / 1000:.1f} s"
        # the distribution per kind: counts per choice
        assert data["questions"][0]["distribution"] == [1, 1, 0]
        assert data["questions"][1]["distribution"] == [2, 0]
        assert data["questions"][2]["distribution"] == [0, 1, 1]

        # hardest: the choice question (50%); easiest: the statement (100%)
        assert data["hardest"][0] == 1 and data["easiest"][0] == 2
        assert 3 not in data["hardest"] + data["easiest"]  # a poll is not scored
        expect(page.get_by_test_id("report-hardest").locator("li").first).to_have_attribute(
            "data-question", "1"
        )
        expect(page.get_by_test_id("report-easiest").locator("li").first).to_have_attribute(
            "data-question", "2"
        )

        # the charts: share right per question; the times histogram of a picked question
        expect(page.get_by_test_id("report-share-chart")).to_have_attribute(
            "data-values", "[50,100,null]"
        )
        expect(page.get_by_test_id("report-share-chart").locator("canvas")).to_be_visible()
        page.get_by_test_id("report-times-select").select_option("2")
        times_chart = page.get_by_test_id("report-times-chart")
        expect(times_chart).to_have_attribute("data-question", "2")
        assert sum(json.loads(times_chart.get_attribute("data-values"))) == 2
        expect(page.get_by_test_id("report-dist-chart")).to_have_attribute("data-values", "[2,0]")

        # the players, in rank order, with the phones' totals
        players = page.get_by_test_id("report-players").locator("tbody tr[data-player]")
        expect(players).to_have_count(2)
        leader, second = (ANA, BEN) if final[ANA] >= final[BEN] else (BEN, ANA)
        assert _cell(players.nth(0), "nickname") == leader
        assert _count(players.nth(0), "score") == str(final[leader])
        assert _cell(players.nth(1), "nickname") == second
        assert _count(players.nth(1), "score") == str(final[second])
        assert _cell(players.nth(0), "rank") == "1"
        # a player's answers, opened from the row
        ana = page.get_by_test_id("report-players").locator(f"tr[data-nickname='{ANA}']")
        ana.get_by_role("button", name="Answers").click()
        answers = page.get_by_role("table", name=f"Answers of {ANA}").locator("tbody tr")
        expect(answers).to_have_count(3)
        expect(answers.nth(0)).to_contain_text("right")
        # sort by score, lowest first
        page.get_by_test_id("report-sort-score").click()
        page.get_by_test_id("report-sort-score").click()
        expect(players.nth(0)).to_have_attribute("data-nickname", second)

        # the teams: as the JSON has them, and as its players add up (average of one)
        by_team: dict[int, list[int]] = {}
        for p in data["players_detail"]:
            by_team.setdefault(p["team"], []).append(p["score"])
        teams = data["teams_detail"]
        assert sum(t["members"] for t in teams) == 2
        for t in teams:
            scores = by_team.get(t["team"], [])
            assert (t["members"], t["total"]) == (len(scores), sum(scores))
            assert t["score"] == (sum(scores) // len(scores) if scores else 0)
        team_rows = page.get_by_test_id("report-teams").locator("tbody tr")
        expect(team_rows).to_have_count(len(teams))
        for t in teams:
            row = page.get_by_test_id("report-teams").locator(f"tr[data-team='{t['team']}']")
            assert _cell(row, "name") == t["name"]
            assert _count(row, "score") == str(t["score"])
            assert _count(row, "members") == str(t["members"])
        shots(page, "report-page")

        # --- downloads through the page's buttons --------------------------------------
        def download(fmt: str) -> bytes:
            with page.expect_download() as dl:
                page.get_by_test_id(f"download-{fmt}").click()
            return Path(dl.value.path()).read_bytes()

        # JSON: the endpoint's report
        assert json.loads(download("json")) == data

        # CSV: a BOM, then the questions' table, a blank line, the players' table
        raw = download("csv")
        assert raw.startswith(b"\xef\xbb\xbf")
        blocks = [b for b in raw.decode("utf-8-sig").split("\n\n") if b.strip()]
        assert len(blocks) >= 2
        q_rows = list(csv.DictReader(io.StringIO(blocks[0])))
        assert [int(r["question"]) for r in q_rows] == [1, 2, 3]
        for r, q in zip(q_rows, data["questions"], strict=True):
            assert (_num(r["answered"]), _num(r["right"]), _num(r["points"])) == (
                q["answered"], q["right"], q["points"],
            )  # fmt: skip
        p_rows = list(csv.DictReader(io.StringIO(blocks[1])))
        assert {r["nickname"]: _num(r["score"]) for r in p_rows} == final

        # XLSX: one sheet per view, the same numbers
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(download("xlsx")), read_only=True)
        assert {"Questions", "Players", "Answers", "Teams"} <= set(book.sheetnames)

        def sheet(name: str) -> list[dict[str, Any]]:
            rows = list(book[name].iter_rows(values_only=True))
            head = [str(h) for h in rows[0]]
            return [
                dict(zip(head, r, strict=False)) for r in rows[1:] if any(v is not None for v in r)
            ]

        xq = sheet("Questions")
        assert [_num(r["question"]) for r in xq] == [1, 2, 3]
        for r, q in zip(xq, data["questions"], strict=True):
            assert (_num(r["answered"]), _num(r["right"]), _num(r["points"])) == (
                q["answered"], q["right"], q["points"],
            )  # fmt: skip
        assert {r["nickname"]: _num(r["score"]) for r in sheet("Players")} == final
        xa = sheet("Answers")
        assert len(xa) == 6
        for n in (1, 2, 3):
            assert (
                sum(_num(r["points"]) or 0 for r in xa if _num(r["question"]) == n) == given[n - 1]
            )
        xt = sheet("Teams")
        assert sorted((_num(r["team"]), _num(r["score"])) for r in xt) == sorted(
            (t["team"], t["score"]) for t in teams
        )
        book.close()
    finally:
        for ctx in contexts:
            ctx.close()
