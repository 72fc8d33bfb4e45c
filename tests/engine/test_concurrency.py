"""200 concurrent submitters racing on one question through the
micro-batcher: exactly one answer per player is accepted, and the board
equals the sum of the accepted points.

Each player submits 2-3 times at once, with different choices (right and
wrong), all interleaved at random: whichever lands first is the answer, the
others get ``already_answered`` with that answer's points. Run through both
micro-batching paths: the raw pipe (the default) and the generic batcher over
redis-py pipelines (what a cluster client gets).
"""

from __future__ import annotations

import asyncio
import random
from collections import Counter, defaultdict
from typing import Any

import pytest

from engine import AnswerResult, Engine, SyncEngine, keys, ops, scoring
from engine.answer_pipe import AnswerPipe
from engine.batching import AnswerBatcher

from .util import join, new_game, open_q, q

N = 200


def _engine(kind: str, client: Any) -> Engine:
    if kind == "pipe":
        eng = Engine(client)
        # A cluster client cannot lend a plain connection: the engine falls
        # back to the generic batcher, and the race must hold there too.
        assert (eng.pipe is not None) == AnswerPipe.supported(client)
    elif kind == "batcher":
        eng = Engine(client, batching=False)
        eng.batcher = AnswerBatcher(eng.call_many, max_batch=64)
    else:
        raise ValueError(kind)
    return eng


@pytest.mark.parametrize("kind", ["pipe", "batcher"])
async def test_200_racing_submitters_one_answer_each(
    kind: str, async_redis: Any, sync_engine: SyncEngine, sync_redis: Any, game_id: str
) -> None:
    # Choices 0 and 2 correct: the competing submissions score differently.
    new_game(sync_engine, game_id, [q(correct=(0, 2), n_choices=4)])
    eng = _engine(kind, async_redis)
    players = [join(sync_engine, game_id, f"p{i}") for i in range(N)]
    assert sorted(players) == list(range(1, N + 1))
    open_q(sync_engine, game_id, 1)

    rng = random.Random(2)
    options = [[0], [2], [0, 2], [1], [0, 1]]
    tries = [(p, rng.choice(options)) for p in players for _ in range(rng.choice((2, 3)))]
    rng.shuffle(tries)

    async def one(p: int, choices: list[int]) -> tuple[int, list[int], AnswerResult]:
        r = await eng.submit_answer(game=game_id, player=p, question=1, choices=choices)
        return p, choices, r

    results = await asyncio.gather(*(one(p, c) for p, c in tries))
    await eng.aclose()

    by_player: dict[int, list[tuple[list[int], AnswerResult]]] = defaultdict(list)
    for p, c, r in results:
        by_player[p].append((c, r))
    accepted: dict[int, tuple[list[int], AnswerResult]] = {}
    for p, got in by_player.items():
        oks = [(c, r) for c, r in got if r.status == "ok"]
        assert len(oks) == 1, (p, got)
        accepted[p] = oks[0]
        for _, r in got:
            if r.status != "ok":
                assert r.status == "already_answered"
                assert (r.points, r.correct) == (oks[0][1].points, oks[0][1].correct)
    assert len(accepted) == N

    # The board equals the sum of accepted points, player by player.
    board = {
        int(m): scoring.decode(s)[0]
        for m, s in sync_redis.zrange(keys.board(game_id), 0, -1, withscores=True)
    }
    assert board == {p: r.points for p, (_, r) in accepted.items()}
    assert sum(board.values()) == sum(r.points for _, r in accepted.values()) > 0
    # Points follow the choices: 1000-ish for both, 500-ish for one, 0 if wrong.
    for c, r in accepted.values():
        right = {0, 2} & set(c)
        assert r.correct == (bool(right) and set(c) <= {0, 2})
        assert r.points == (scoring.base_points(
            picked=set(c), correct={0, 2}, elapsed_ms=r.elapsed_ms, limit_ms=30_000, multiplier=1
        ) if r.correct else 0)  # fmt: skip

    # One recorded answer, one log entry and the choice counts, per player.
    qs = sync_engine.run(ops.question_state(game_id, 1))
    assert qs is not None and qs.answered == N
    assert sync_redis.hlen(keys.answers(game_id, 1)) == N
    assert sync_redis.xlen(keys.log(game_id)) == N
    counts: Counter[int] = Counter(x for c, _ in accepted.values() for x in c)
    assert qs.counts == [counts[i] for i in range(4)]
    # Ranks are a permutation of 1..N, consistent with the board order.
    top = sync_engine.run(ops.top(game_id, N))
    assert [e.rank for e in top] == list(range(1, N + 1))
    assert [e.score for e in top] == sorted(board.values(), reverse=True)

    used = eng.pipe or eng.batcher
    assert used is not None and used.submitted == len(tries)
    assert used.batches < len(tries)  # micro-batched, not one by one
