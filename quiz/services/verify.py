"""The invariant checker: Redis, PostgreSQL and the answer log agree.

Checked, per player: Score.total equals the sum of the player's Answer
points (bonuses included, as recorded) up to the Score's version (all of
them once the game is saved); the stats derived from the record (the Score
row plus the answers after it, docs/persistence.md) equal the Redis stats,
every field; the Answer rows equal the ``ans:<n>`` hashes (same players,
same points); no answer appears twice; nothing is waiting in the log after
PostgreSQL's position or in the dirty set. Ranks agree with the Redis board once the game is over
(while it runs, only changed players' ranks are written: a rank moves when
anyone else scores). Without Redis (expired or lost), the PostgreSQL-only
checks run and the report says so.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Count, F, Sum

from engine import SyncEngine, answer_log, flush, ops, teams
from engine.layout import STATS_FIELDS
from quiz.flush import pg_side
from quiz.flush.game import snapshot_rounds
from quiz.models import Answer, Game, Score, TeamStanding
from quiz.redis import sync_engine

from . import NotFound

SHOWN = 20  # differences listed in full; the rest are counted


@dataclass(slots=True)
class VerifyReport:
    game: int
    players: int = 0
    answers: int = 0
    points: int = 0
    redis: bool = False
    ranks_checked: bool = False
    teams: int = 0  # team rows checked
    differences: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.differences

    def lines(self) -> list[str]:
        out = [
            f"game {self.game}: {self.players} players, {self.answers} answers, "
            f"{self.points} points in PostgreSQL; Redis {'present' if self.redis else 'absent'}; "
            f"ranks {'checked' if self.ranks_checked else 'not checked'}"
            + (f"; {self.teams} teams checked" if self.teams else "")
        ]
        out += [f"note: {n}" for n in self.notes]
        out += [f"DIFF {d}" for d in self.differences[:SHOWN]]
        if len(self.differences) > SHOWN:
            out.append(f"... and {len(self.differences) - SHOWN} more differences")
        out.append("OK" if self.ok else f"FAILED: {len(self.differences)} differences")
        return out


def game_find(*, ref: str) -> Game:
    """A game by PIN (the live one, else the newest), Redis id or primary key."""
    ref = ref.strip()
    by_pin = Game.objects.filter(pin=ref).order_by("saved", "-created", "-id")
    game = by_pin.filter(saved__isnull=True).first() or by_pin.first()
    if game is None:
        game = Game.objects.filter(key=ref).first()
    if game is None:
        raise NotFound(f"no game with PIN or id {ref}")
    return game


def _pg_checks(game: Game, rep: VerifyReport) -> dict[int, Score]:
    d = rep.differences
    dup = (
        Answer.objects.filter(game=game)
        .values("player_id", "question")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
    )
    for row in dup:
        d.append(f"player row {row['player_id']} answered question {row['question']} {row['n']}x")
    # A Score row at version V sums the player's answers up to V; the later
    # ones are materialized at the next close (none once the game is saved).
    sums = dict(
        Answer.objects.filter(game=game, version__lte=F("player__score__version"))
        .values("player__number")
        .annotate(s=Sum("points"))
        .values_list("player__number", "s")
    )
    after = dict(
        Answer.objects.filter(game=game)
        .exclude(version__lte=F("player__score__version"))
        .values("player__number")
        .annotate(n=Count("id"))
        .values_list("player__number", "n")
    )
    scores = {s.player.number: s for s in Score.objects.filter(game=game).select_related("player")}
    rep.players = game.players.count()
    rep.answers = Answer.objects.filter(game=game).count()
    rep.points = sum(s.total for s in scores.values())
    for number, s in scores.items():
        if s.total != sums.get(number, 0):
            d.append(
                f"player {number}: Score.total {s.total} != sum of its answers up to "
                f"v{s.version} {sums.get(number, 0)}"
            )
    if game.saved is not None:
        for number, n in sorted(after.items()):
            d.append(f"player {number}: {n} answers not in its Score row (game saved)")
    _pg_team_checks(game, scores, rep)
    return scores


def _pg_team_checks(game: Game, scores: dict[int, Score], rep: VerifyReport) -> None:
    """Each team's standing equals its members' scores (not kicked), the
    score rule and the ranking (docs/persistence.md, verify_game). Checked
    once the game is saved: live, the team row and the Score rows come from
    different moments of a flush."""
    cfg = game.teams or {}
    if not cfg or game.saved is None:
        return
    d = rep.differences
    want_counts = teams.counts_from_players(
        len(cfg["names"]),
        [(s.player.team if s.player.team is not None else -1, s.total, s.player.kicked)
         for s in scores.values()],
    )  # fmt: skip
    want = {t.team: t for t in teams.standings(cfg["names"], cfg["score"], want_counts)}
    got = {t.team: t for t in TeamStanding.objects.filter(game=game)}
    rep.teams = len(got)
    for i, w in want.items():
        g = got.get(i)
        if g is None:
            d.append(f"team {i}: no TeamStanding row")
        elif (g.total, g.members, g.score, g.rank) != (w.total, w.members, w.score, w.rank):
            d.append(
                f"team {i}: PostgreSQL total {g.total}, members {g.members}, score {g.score}, "
                f"rank {g.rank} != from its players {w.total}, {w.members}, {w.score}, {w.rank}"
            )


def _redis_checks(
    eng: SyncEngine, game: Game, scores: dict[int, Score], rep: VerifyReport, nq: int
) -> None:
    d = rep.differences
    gid = game.key
    stats, recorded_all, pending, dirty, st = eng.run(
        ops.combine(
            flush.stats_all(gid),
            flush.answers_all(gid, nq),
            answer_log.count_after(gid, game.log_pos),
            flush.dirty_count(gid),
            ops.game_state(gid),
        )
    )
    with connection.cursor() as cur:
        derived = pg_side.stats_derived(cur, game.pk, snapshot_rounds(game.snapshot))
    for number in stats.keys() - derived.keys():
        d.append(f"player {number}: in Redis, not in PostgreSQL")
    for number in derived.keys() - stats.keys():
        d.append(f"player {number}: in PostgreSQL, not in Redis")
    kicked = set()
    for number, redis_st in stats.items():
        pg_st = derived.get(number)
        if pg_st is None:
            continue
        if redis_st.kicked:
            kicked.add(number)
        if redis_st.total != pg_st.total or redis_st.version != pg_st.version:
            d.append(
                f"player {number}: Redis total {redis_st.total} v{redis_st.version} != "
                f"PostgreSQL {pg_st.total} v{pg_st.version}"
            )
        elif redis_st != pg_st:
            fields = [f for f in STATS_FIELDS if getattr(redis_st, f) != getattr(pg_st, f)]
            d.append(f"player {number}: Redis stats != PostgreSQL's in {', '.join(fields)}")
    answers: dict[int, dict[int, int]] = defaultdict(dict)
    for number, q, pts in Answer.objects.filter(game=game).values_list(
        "player__number", "question", "points"
    ):
        answers[q][number] = pts
    for n in range(1, nq + 1):
        recorded = recorded_all.get(n, {})
        rows = answers.get(n, {})
        if len(recorded) != len(rows):
            d.append(f"question {n}: {len(recorded)} answers in Redis, {len(rows)} in PostgreSQL")
        for p, ra in recorded.items():
            if p not in rows:
                d.append(f"question {n} player {p}: answer in Redis, not in PostgreSQL")
            elif rows[p] != ra.points:
                d.append(f"question {n} player {p}: {ra.points} points in Redis, {rows[p]} in PG")
    if st is not None and st.teams:
        counts = eng.run(ops.team_counts(gid))
        board = teams.standings(st.team_names, st.team_score, counts)
        pg = {
            t.team: (t.total, t.members, t.version) for t in TeamStanding.objects.filter(game=game)
        }
        for t in board:
            if pg.get(t.team) != (t.total, t.members, t.version):
                d.append(
                    f"team {t.team}: Redis total {t.total}, members {t.members} v{t.version} != "
                    f"PostgreSQL {pg.get(t.team)}"
                )
    if pending:
        d.append(f"{pending} answers still in the log after PostgreSQL's position, not flushed")
    if dirty:
        d.append(f"{dirty} players changed in Redis since the last flush")
    over = st is not None and st.state == Game.State.FINISHED
    if over or game.saved is not None:
        rep.ranks_checked = True
        ranks = dict(flush.board_ranks(eng, gid, batch=10_000))
        for number, s in scores.items():
            want = 0 if number in kicked else ranks.get(number, 0)
            if s.rank != want:
                d.append(f"player {number}: rank {s.rank} in PostgreSQL, {want} on the board")
    else:
        rep.notes.append("game live: ranks are final only once it is over")


def game_verify(*, ref: str) -> VerifyReport:
    game = game_find(ref=ref)
    rep = VerifyReport(game=game.pk)
    connection.ensure_connection()
    scores = _pg_checks(game, rep)
    eng = sync_engine()
    nq = len(game.document.get("questions", []))
    if eng.run(ops.game_state(game.key)) is not None:
        rep.redis = True
        _redis_checks(eng, game, scores, rep, nq)
    else:
        rep.notes.append("game not in Redis (expired or lost): PostgreSQL checks only")
        if game.saved is not None:
            rep.ranks_checked = True
            ranked = sorted(s.rank for s in scores.values() if s.rank)
            if ranked != list(range(1, len(ranked) + 1)):
                rep.differences.append("saved ranks are not 1..N without gaps")
    return rep
