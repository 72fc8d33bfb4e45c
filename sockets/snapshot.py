"""The ``welcome`` frame: the whole state of a game for one connection.

Read from Redis in one round trip (the true state lives there, never only in
a message), so a reconnecting or resyncing client resumes exactly where the
game is.
"""

from __future__ import annotations

from typing import Any

from engine import EngineUnavailable, ops

from .relay import GameRelay, _entry


async def welcome(relay: GameRelay, *, role: str, player: int | None, seq: str) -> dict[str, Any]:
    eng = relay.engine
    game = relay.game
    n = relay.question.number if relay.question else (relay.state.question if relay.state else 0)
    parts: list[ops.Op[Any]] = [ops.snapshot(game, n), ops.top(game, relay.top_n)]
    if player is not None:
        parts.append(ops.standings(game, [player], n))
        parts.append(ops.nicknames(game, [player]))
    if role == "host":
        parts.append(ops.top(game, 1000))  # lobby list, in join order while all are at 0
    res = await eng.run(ops.combine(*parts))
    st, q = res[0]
    if st is None and not relay.finished:
        # Redis lost a live game (restarted empty): not "finished", it comes
        # back with rebuild_game. The caller answers ``unavailable``.
        raise EngineUnavailable(f"game {game} is not in Redis")
    if st is not None and st.question != n:  # the game moved on meanwhile: read again
        return await welcome(relay, role=role, player=player, seq=seq)
    top = res[1]
    frame: dict[str, Any] = {
        "type": "welcome",
        "role": role,
        "seq": seq,
        "server_ms": relay.server_ms(),
        "game": {
            "game": game,
            "pin": relay.pin,
            "title": st.title if st else "",
            "state": st.state if st else "finished",
            "question": st.question if st else 0,
            "n_questions": st.n_questions if st else 0,
            "players": st.players if st else 0,
            "reveal": st.reveal if st else "live",
            "join_open": st.join_open if st else False,
            "epoch": st.epoch if st else 0,
        },
    }
    hide = st is not None and st.reveal == "on_close" and q is not None and q.state == "open"
    qf: dict[str, Any] | None = None
    if q is not None and st is not None and st.question:
        qf = {**q.public, "opened_ms": q.opened_ms, "deadline_ms": q.deadline_ms}
        qf.update(state=q.state, answered=q.answered)
        if q.state == "closed":
            qf.update(correct=sorted(q.correct), distribution=q.counts)
    frame["question"] = qf
    frame["leaderboard"] = {
        "top": relay.top if hide else [_entry(e) for e in top],
        "players": st.players if st else 0,
        "answered": q.answered if q else 0,
    }
    if player is not None:
        standing = res[2][0]
        nickname = res[3][0]
        you: dict[str, Any] = {"player": player, "nickname": nickname}
        if standing is not None and st is not None:
            s = standing.stats
            score, rank = standing.score, standing.rank
            if hide and s.last_round == st.round:
                score, rank = s.total - s.last_points, None
            you.update(
                score=score,
                rank=rank,
                streak=st.streak_of(s, q),
                correct_count=s.correct,
            )
            a = standing.answer
            if a is not None and q is not None:
                mine: dict[str, Any] = {"question": q.number, "choices": a.choices}
                if not hide:
                    mine.update(points=a.points, bonus=a.bonus)
                you["answer"] = mine
            else:
                you["answer"] = None
        frame["you"] = you
    if role == "host":
        frame["players_list"] = [{"player": e.player, "nickname": e.nickname} for e in res[-1]]
        if q is not None:
            frame["distribution"] = q.counts
    return frame
