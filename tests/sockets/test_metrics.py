"""/metrics scraped during a game: the socket counters move by the right amounts."""

from __future__ import annotations

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from .conftest import Server, seat
from .helpers import open_game

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.timeout(60)]


def scrape(server: Server) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    text = httpx.get(f"{server.http}/metrics", timeout=5).text
    out = {}
    for fam in text_string_to_metric_families(text):
        for s in fam.samples:
            out[(s.name, tuple(sorted(s.labels.items())))] = s.value
    return out


def delta(before: dict, after: dict, name: str, **labels: str) -> float:  # type: ignore[type-arg]
    key = (name, tuple(sorted(labels.items())))
    return after.get(key, 0.0) - before.get(key, 0.0)


async def test_metrics_move_with_the_game(server: Server) -> None:
    g = await open_game(3)
    before = scrape(server)
    host, ps = await seat(server, g)
    during = scrape(server)
    assert delta(before, during, "stadium_connections", kind="play") == 3
    assert delta(before, during, "stadium_connections", kind="host") == 1
    await host.send({"type": "start_question", "question": 1})
    for c in ps[:2]:
        await c.expect("question")
        await c.send({"type": "answer", "question": 1, "choices": [2]})
        await c.expect("answer_ack")
    await ps[0].send({"type": "answer", "question": 1, "choices": [2]})
    await ps[0].expect("error", code="already_answered")
    await ps[1].send({"type": "answer", "question": 3, "choices": [2]})
    await ps[1].expect("error", code="wrong_question")
    await ps[2].expect("leaderboard", answered=2)  # a tick went out
    after = scrape(server)
    assert delta(before, after, "stadium_answers_accepted_total") == 2
    # the server's time per accepted answer: one sample each, refusals not timed
    assert delta(before, after, "stadium_answer_seconds_count") == 2
    assert 0 < delta(before, after, "stadium_answer_seconds_sum") < 5
    assert delta(before, after, "stadium_answers_refused_total", reason="already_answered") == 1
    assert delta(before, after, "stadium_answers_refused_total", reason="wrong_question") == 1
    assert delta(before, after, "stadium_tick_build_seconds_count") >= 1
    assert delta(before, after, "stadium_tick_fanout_seconds_count") >= 1
    # three submissions reached Redis (the repeat is refused by the Lua guard);
    # the wrong question number was refused before Redis
    assert delta(before, after, "stadium_answer_batch_size_sum") == 3
    for c in ps:
        await c.close()
    await host.close()
    gone = scrape(server)
    assert delta(before, gone, "stadium_connections", kind="play") == 0
