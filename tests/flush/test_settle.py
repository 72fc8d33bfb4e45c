"""The flush's read when a player answers again while it reads (docs/
persistence.md, step 1): the log is read up to an end E, then the stats;
a player whose stats count an answer after E (the next question opened and
it answered in between) makes the flush take the entries up to the newest
id too, so every stats value it acts on is explained by what it copies.
In process, on the shared Redis and the test database; the answer lands
exactly between the two reads by a real engine call made when the flusher
has just fixed E (a fault injection, like the pause points)."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

import quiz.redis as qr
from engine import answer_log, keys, ops
from testkit.documents import numbered

DOC = numbered(3, title="Settle quiz", choices=("no", "yes"), correct=lambda i: {1}, first=1)


def post(c: Client, path: str, data: Any) -> Any:
    return c.post(path, data, content_type="application/json")


@pytest.mark.django_db(transaction=True)
def test_an_answer_between_the_log_read_and_the_stats_read_is_copied_too(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from quiz.flush import game_flush, game_save
    from quiz.models import Answer, Score
    from quiz.services.verify import game_verify

    host = Client()
    host.force_login(get_user_model().objects.create_user("settle-host", password="pw-s"))
    opened = post(host, "/api/games", {"quiz": post(host, "/api/quizzes", DOC).json()["id"]})
    assert opened.status_code == 201, opened.content
    pin, gid = opened.json()["pin"], str(opened.json()["game"])
    r, eng = qr.redis_sync(), qr.sync_engine()
    try:
        fans = [
            post(Client(), f"/api/games/{pin}/players", {"nickname": f"F{i}"}) for i in range(4)
        ]
        players = [f.json()["player"] for f in fans]
        assert eng.run(ops.open_question(gid, 1)).ok
        for p in players:
            assert eng.run(ops.submit_answer(gid, p, 1, [1])).ok  # all right: all score
        assert eng.run(ops.close_question(gid, 1)).ok
        game_flush(game_id=gid)  # the lobby's and question 1's rows

        assert eng.run(ops.open_question(gid, 2)).ok
        assert eng.run(ops.submit_answer(gid, players[0], 2, [1])).ok
        real_newest = answer_log.newest
        fired: list[str] = []

        def newest_then_answer(game: str) -> Any:
            op = real_newest(game)

            def dec(reply: list[Any]) -> Any:
                end = op.decode(reply)
                if not fired:  # once E is fixed, the next question: player 0 answers it
                    fired.append(str(end))
                    assert eng.run(ops.close_question(gid, 2)).ok
                    assert eng.run(ops.open_question(gid, 3)).ok
                    assert eng.run(ops.submit_answer(gid, players[0], 3, [1])).ok
                return end

            return type(op)(op.calls, dec)

        monkeypatch.setattr(answer_log, "newest", newest_then_answer)
        res = game_flush(game_id=gid)
        monkeypatch.undo()
        assert fired, "the injection never ran"
        # player 0's stats, read after E, counted its answer to question 3:
        # the read went on to it, and both of its answers are copied now
        assert res.answers == 2
        mine = Answer.objects.filter(game__key=gid, player__number=players[0])
        assert sorted(mine.values_list("question", flat=True)) == [1, 2, 3]
        # its last scoring answer carries its reached_ms as the engine has it
        stats = {int(k): v.decode().split(",") for k, v in r.hgetall(keys.stats(gid)).items()}
        assert mine.get(question=3).reached_ms == int(stats[players[0]][6])
        assert r.scard(keys.dirty(gid)) == 0
        rep = game_verify(ref=pin)
        assert rep.ok, rep.lines()

        assert eng.end_game(game=gid).ok
        game_save(game_id=gid)
        rep = game_verify(ref=gid)
        assert rep.ok, rep.lines()
        saved = dict(Score.objects.filter(game__key=gid).values_list("player__number", "total"))
        assert saved == {p: int(stats[p][0]) for p in players}
    finally:
        r.delete(*keys.all_of(gid, 3), keys.pin(pin))
