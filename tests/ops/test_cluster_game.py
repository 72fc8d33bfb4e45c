"""A whole 3-question game on a real 3-node Redis Cluster, and the same game
on the single Redis server: the engine gives the same outcome on both.

Points depend on answer speed (Redis time), which no test controls, so each
run is checked exactly against the scoring rules with the response times the
engine reports, and the two runs are compared on everything speed does not
touch: every status, correctness, streak and bonus, the choice counts, and
the totals and ranking at full speed.
"""

from __future__ import annotations

import asyncio
import hashlib
from typing import Any

from engine import Engine, Question, Settings, keys, ops, scoring

PLAYERS = 20
QUESTIONS = [
    Question(text="Capital of France?", choices=["Rome", "Paris", "Oslo", "Bern"],
             correct={1}, time_limit=30, multiplier=1),
    Question(text="Primes?", choices=["2", "4", "5", "9"],
             correct={0, 2}, time_limit=30, multiplier=2),
    Question(text="Bonus round", choices=["a", "b", "c", "d"],
             correct={3}, time_limit=30, multiplier=0),
]  # fmt: skip


def choices_of(i: int, n: int) -> list[int] | None:
    """Player i's answer to question n (None: no answer): a mix of right,
    partly right, wrong and missing answers, so streaks break and resume."""
    if n == 1:
        return [1] if i % 2 == 0 else [0]
    if n == 2:
        return None if i == PLAYERS - 1 else ([0, 2], [0], [1])[i % 3]
    return [3] if i % 4 != 3 else [2]


async def play(eng: Engine, game: str) -> dict[str, Any]:
    """Play the scripted game; return the facts speed does not change, after
    checking the speed-dependent numbers against the scoring rules."""
    statuses: list[tuple[str, str]] = []
    created = await eng.run(ops.create_game(game, QUESTIONS, Settings(title="ops")))
    again = await eng.run(ops.create_game(game, QUESTIONS, Settings(title="ops")))
    statuses += [("create", created.status), ("create again changed", str(again.changed))]

    ids: list[int] = []
    for i in range(PLAYERS):
        token = hashlib.sha256(f"tok{i}".encode()).hexdigest()
        j = await eng.run(ops.join(game, nickname=f"Player{i}", nickname_key=f"player{i}",
                                   token_hash=token))  # fmt: skip
        ids.append(j.player)
    replay = await eng.run(ops.join(game, nickname="Player0", nickname_key="player0",
                                    token_hash=hashlib.sha256(b"tok0").hexdigest()))  # fmt: skip
    taken = await eng.run(ops.join(game, nickname="PLAYER0", nickname_key="player0",
                                   token_hash="other"))  # fmt: skip
    statuses += [("join replay", f"{replay.status}:{replay.player == ids[0]}")]
    statuses += [("join taken", taken.status)]

    acks: list[tuple[int, int, str, bool, int, int]] = []
    expected_total = dict.fromkeys(ids, 0)
    for n, q in enumerate(QUESTIONS, 1):
        early = await eng.submit_answer(game=game, player=ids[0], question=n, choices=[0])
        statuses.append((f"q{n} before open", early.status))
        opened = await eng.run(ops.open_question(game, n))
        statuses.append((f"q{n} open", opened.status))
        statuses.append((f"q{n} unknown player", (await eng.submit_answer(
            game=game, player=10_000, question=n, choices=[0])).status))  # fmt: skip
        statuses.append((f"q{n} bad choice", (await eng.submit_answer(
            game=game, player=ids[1], question=n, choices=[9])).status))  # fmt: skip
        who = [(i, c) for i in range(PLAYERS) if (c := choices_of(i, n)) is not None]
        # Concurrent submissions: one micro-batch, one cluster pipeline.
        results = await asyncio.gather(
            *(eng.submit_answer(game=game, player=ids[i], question=n, choices=c) for i, c in who)
        )
        for (i, c), r in zip(who, results, strict=True):
            assert r.status == "ok", r
            base = scoring.base_points(picked=set(c), correct=q.correct, elapsed_ms=r.elapsed_ms,
                                       limit_ms=q.time_limit * 1000, multiplier=q.multiplier)  # fmt: skip
            bonus = scoring.streak_bonus(streak=r.streak, multiplier=q.multiplier) * r.correct
            assert (r.points, r.bonus) == (base + bonus, bonus), (i, n, r)
            expected_total[ids[i]] += r.points
            assert r.total == expected_total[ids[i]]
            acks.append((i, n, r.status, r.correct, r.bonus, r.streak))
        dup = await eng.submit_answer(game=game, player=ids[0], question=n, choices=[0, 1])
        assert dup.points == results[0].points
        statuses.append((f"q{n} duplicate", dup.status))
        closed = await eng.run(ops.close_question(game, n))
        closed_again = await eng.run(ops.close_question(game, n))
        statuses += [
            (f"q{n} close", closed.status),
            (f"q{n} close again", str(closed_again.changed)),
        ]
        late = await eng.submit_answer(game=game, player=ids[PLAYERS - 1], question=n, choices=[3])
        statuses.append((f"q{n} after close", late.status))

    statuses.append(("end", (await eng.end_game(game=game)).status))
    statuses.append(("after end", (await eng.submit_answer(
        game=game, player=ids[0], question=3, choices=[3])).status))  # fmt: skip

    qstates = [await eng.run(ops.question_state(game, n)) for n in range(1, 4)]
    counts = [(qs.state, qs.answered, qs.counts) for qs in qstates if qs]
    standings = await eng.run(ops.standings(game, ids))
    # Ranks: strict order of the composite score (total, then who got there
    # first), exact ties by member id as a string, greater first.
    order = sorted(
        (s for s in standings if s),
        key=lambda s: (scoring.composite(s.score, s.stats.reached_ms), str(s.player)),
        reverse=True,
    )
    assert [s.rank for s in order] == list(range(1, PLAYERS + 1))
    top = await eng.run(ops.top(game, PLAYERS))
    assert [(e.player, e.rank, e.score) for e in top] == [
        (s.player, s.rank, s.score) for s in order
    ]
    assert {s.player: s.score for s in order} == expected_total

    def full_speed(i: int) -> int:
        return sum(
            scoring.base_points(
                picked=set(c), correct=q.correct, elapsed_ms=0, limit_ms=1, multiplier=q.multiplier
            )  # fmt: skip
            for n, q in enumerate(QUESTIONS, 1)
            if (c := choices_of(i, n)) is not None
        ) + sum(a[4] for a in acks if a[0] == i)

    per_player = [
        (i, s.stats.correct, s.stats.best, full_speed(i))
        for i, s in enumerate(standings)
        if s is not None
    ]
    by_full_speed = sorted(range(PLAYERS), key=lambda i: (-full_speed(i), i))
    return {
        "statuses": statuses,
        "acks": acks,
        "questions": counts,
        "players": per_player,
        "ranking at full speed": by_full_speed,
        "state": (await eng.run(ops.game_state(game))).state,  # type: ignore[union-attr]
    }


async def test_game_on_cluster_matches_single_node(
    cluster_async: Any, cluster_game: str, engine: Engine, game_id: str
) -> None:
    on_cluster = await play(Engine(cluster_async), cluster_game)
    on_single = await play(engine, game_id)
    assert on_cluster == on_single
    assert on_cluster["state"] == "finished"
    assert dict(on_cluster["statuses"]) == {
        "create": "ok", "create again changed": "False",
        "join replay": "ok:True", "join taken": "nickname_taken",
        **{f"q{n} before open": "not_open" for n in (1, 2, 3)},
        **{f"q{n} open": "ok" for n in (1, 2, 3)},
        **{f"q{n} duplicate": "already_answered" for n in (1, 2, 3)},
        **{f"q{n} bad choice": "bad_choice" for n in (1, 2, 3)},
        **{f"q{n} close": "ok" for n in (1, 2, 3)},
        **{f"q{n} close again": "False" for n in (1, 2, 3)},
        # a closed question refuses as too late, whether answered or not
        **{f"q{n} after close": "too_late" for n in (1, 2, 3)},
        **{f"q{n} unknown player": "unknown_player" for n in (1, 2, 3)},
        "end": "ok", "after end": "game_finished",
    }  # fmt: skip
    # The question counts: everyone answered but player 19 on question 2.
    assert [a for _, a, _ in on_cluster["questions"]] == [20, 19, 20]


async def test_a_games_keys_live_on_one_node(cluster_sync: Any, cluster_game: str) -> None:
    """All of a game's keys hash to one slot, so one primary holds them all."""
    slots = {cluster_sync.keyslot(k) for k in keys.all_of(cluster_game, 5)}
    assert len(slots) == 1
    # and games spread: 60 game ids land on every one of the three primaries
    owners = {
        cluster_sync.nodes_manager.get_node_from_slot(cluster_sync.keyslot(keys.meta(f"g{i}"))).name
        for i in range(60)
    }
    assert len(owners) == 3
