"""The bodies the worker POSTs (docs/protocol.md, "Webhooks"), built once
per event and stored (``WebhookEvent.body``): retries and re-deliveries send
the same bytes under the same id.

- ``game_started``: ``{question, title, n_questions, players}`` from Redis.
- ``question_closed``: ``{question, kind, answered, right, share_right,
  top}``. ``answered`` and ``top`` (the top 10 as of the close) are read
  from Redis when the worker first sees the event, normally milliseconds
  after the close; ``right`` is counted in PostgreSQL once the flusher wrote
  the question's answers (its count reaches ``answered``; the flusher runs
  every 2 s), because Redis keeps no per-question count of right answers.
  After ``SETTLE_WAIT_S`` it is counted over what PostgreSQL has.
  ``right``/``share_right`` are null for unscored kinds (poll, word cloud,
  info).
- ``game_over``: ``{podium, players, answers, teams_podium}`` from
  PostgreSQL: queued after the final save, so the numbers are final.
"""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime
from typing import Any

from django.db.models import Count, Q

from engine import ops
from engine.types import SCORED
from quiz.models import Answer, Game, Player, Score, TeamStanding, WebhookEvent
from quiz.redis import sync_engine

SETTLE_WAIT_S = 60.0
TOP_N = 10


def first_sight(ev: WebhookEvent, question: int) -> dict[str, Any]:
    """What must be read from Redis as soon as the event is seen (it moves on)."""
    eng = sync_engine()
    gid = ev.game.key
    if ev.event == "game_started":
        st = eng.run(ops.game_state(gid))
        return {
            "question": question or 1,
            "title": ev.game.title,
            "n_questions": len(ev.game.document.get("questions", [])),
            "players": st.players if st else 0,
        }
    if ev.event == "question_closed":
        q, top = eng.run(ops.combine(ops.question_state(gid, question), ops.top(gid, TOP_N)))
        kind = q.kind if q else _kind_of(ev.game, question)
        return {
            "question": question,
            "kind": kind,
            "answered": q.answered if q else None,
            "top": [
                {"player": e.player, "nickname": e.nickname, "score": e.score, "rank": e.rank}
                for e in top
            ],
        }
    return {}


def _kind_of(game: Game, question: int) -> str:
    qs = game.document.get("questions", [])
    return str(qs[question - 1].get("kind", "choice")) if 0 < question <= len(qs) else "choice"


def _question_closed(ev: WebhookEvent, *, now: float) -> dict[str, Any] | None:
    d = dict(ev.data)
    n = int(d["question"])
    agg = Answer.objects.filter(game=ev.game, question=n).aggregate(
        n=Count("id"),
        right=Count("id", filter=Q(correct=True, player__kicked=False)),
        counted=Count("id", filter=Q(player__kicked=False)),
    )
    answered = d.get("answered")
    if answered is None:  # Redis had lost the game: PostgreSQL is all there is
        answered = d["answered"] = agg["counted"]
    waited = now - ev.created.timestamp()
    if agg["n"] < answered and waited < SETTLE_WAIT_S:
        return None  # the flusher has not written this question's answers yet
    scored = d["kind"] in SCORED
    d["right"] = agg["right"] if scored else None
    d["share_right"] = (
        round(agg["right"] / answered, 4) if scored and answered else (0.0 if scored else None)
    )
    return d


def _game_over(ev: WebhookEvent) -> dict[str, Any]:
    g = ev.game
    podium = [
        {"player": s.player.number, "nickname": s.player.nickname, "score": s.total, "rank": s.rank}
        for s in Score.objects.filter(game=g, rank__gte=1, player__kicked=False)
        .select_related("player")
        .order_by("rank")[:3]
    ]
    teams = None
    if g.teams:
        teams = [
            {"team": t.team, "name": t.name, "score": t.score, "rank": t.rank}
            for t in TeamStanding.objects.filter(game=g).order_by("rank", "team")[:3]
        ]
    return {
        "podium": podium,
        "players": Player.objects.filter(game=g, kicked=False).count(),
        "answers": Answer.objects.filter(game=g).count(),
        "teams_podium": teams,
    }


def build(ev: WebhookEvent, *, now: float | None = None) -> str | None:
    """The JSON body of ``ev``, or None when its numbers are not in yet (retry soon)."""
    now = time.time() if now is None else now
    if ev.event == "question_closed":
        data = _question_closed(ev, now=now)
        if data is None:
            return None
    elif ev.event == "game_over":
        data = _game_over(ev)
    else:
        data = dict(ev.data)
    body = {
        "event": ev.event,
        "id": ev.event_id,
        "game": ev.game.key,
        "pin": ev.game.pin,
        "sent_at": datetime.fromtimestamp(now, UTC).isoformat(timespec="milliseconds"),
        "data": data,
    }
    return json.dumps(body, separators=(",", ":"), ensure_ascii=False)
