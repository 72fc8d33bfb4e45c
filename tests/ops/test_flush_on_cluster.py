"""The write-behind path on the real Redis Cluster: a game opened and joined
through the HTTP API, flushed to PostgreSQL, lost from Redis and rebuilt
(the runbook of docs/operations.md), finished and saved, and checked by the
invariant checker (verify_game) at each step. Everything runs unchanged with
REDIS_URL=redis+cluster://...; the flusher finds games through PostgreSQL,
never by scanning Redis, and each of its commands names one game's keys.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

import quiz.redis as qr
from engine import keys, ops
from testkit.documents import numbered

DOC = numbered(2, title="Cluster quiz", choices=("no", "yes"), correct=lambda i: {1}, first=1)


def post(c: Client, path: str, data: Any) -> Any:
    return c.post(path, data, content_type="application/json")


def verified(ref: str) -> Any:
    from quiz.services.verify import game_verify

    rep = game_verify(ref=ref)
    assert rep.ok, rep.lines()
    return rep


@pytest.mark.django_db(transaction=True)
def test_flush_rebuild_and_save_on_the_cluster(redis_at: Any, cluster_url: str) -> None:
    from quiz.flush import flush_all, game_save
    from quiz.models import Score
    from quiz.services.rebuild import game_rebuild

    redis_at(cluster_url)
    host = Client()
    host.force_login(get_user_model().objects.create_user("cluster-host", password="pw-c"))
    opened = post(host, "/api/games", {"quiz": post(host, "/api/quizzes", DOC).json()["id"]})
    assert opened.status_code == 201, opened.content
    pin = opened.json()["pin"]
    gid = str(opened.json()["game"])  # the Redis id (Game.key)
    r, eng = qr.redis_sync(), qr.sync_engine()
    try:
        fans = [
            post(Client(), f"/api/games/{pin}/players", {"nickname": f"Fan{i}"}) for i in range(6)
        ]
        players = [f.json()["player"] for f in fans]
        assert all(f.status_code == 201 for f in fans)

        def question(n: int) -> dict[int, int]:
            assert eng.run(ops.open_question(gid, n)).ok
            got = {p: eng.run(ops.submit_answer(gid, p, n, [p % 2])) for p in players}
            assert all(a.ok for a in got.values())
            assert eng.run(ops.close_question(gid, n)).ok
            return {p: a.total for p, a in got.items()}

        question(1)
        (res,) = flush_all(only=gid)
        assert (res.players, res.answers) == (6, 6)
        assert verified(pin).answers == 6

        # Redis loses the game: rebuild it from PostgreSQL, then play on.
        r.delete(*keys.all_of(gid, 2), keys.pin(pin))
        assert eng.run(ops.game_state(gid)) is None
        game_rebuild(pin=pin)
        assert eng.run(ops.game_of_pin(pin)) == gid
        totals = question(2)
        assert eng.end_game(game=gid).ok

        game_save(game_id=gid)
        assert verified(gid).answers == 12
        saved = dict(Score.objects.filter(game__key=gid).values_list("player__number", "total"))
        assert saved == totals
    finally:
        r.delete(*keys.all_of(gid, 2), keys.pin(pin))
