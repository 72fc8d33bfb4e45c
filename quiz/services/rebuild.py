"""Rebuild a live game's Redis state from PostgreSQL after Redis lost it.

What comes back is the game as of its last flush: the meta hash and question
states (Game.snapshot), the questions (Game.document), the players with
their nicknames and token hashes (so their tokens work again), each score's
stats with the version bumped past the one in PostgreSQL, the board, the
answers given (the one-answer guards and the per-choice counts), and the
PIN. The epoch goes up and a ``resync`` event tells connected clients to
fetch a fresh snapshot. Changes after the last flush are gone; the report
says how long that window was.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from engine import Settings, keys, ops, scoring
from quiz.documents import engine_questions
from quiz.flush import pg_side, redis_side
from quiz.models import Answer, Game, Player, Score
from quiz.nicknames import nickname_key
from quiz.redis import redis_sync, sync_engine

from . import NotFound, ServiceError

PIPE_CHUNK = 5_000  # commands per pipeline round trip
_RESTORED_ELSEWHERE = {"epoch", "count", "next_pid"}
_Q_FIELDS = ("state", "round", "opened_ms", "deadline_ms", "closed_ms")


def _game_live(pin: str) -> Game:
    game = Game.objects.filter(pin=pin, saved__isnull=True).order_by("-created", "-id").first()
    if game is None:
        raise NotFound(f"no live game with PIN {pin} in PostgreSQL")
    return game


class _Pipe:
    """A pipeline sent every PIPE_CHUNK commands, so memory stays flat."""

    def __init__(self, r: Any) -> None:
        self.r = r
        self.pipe = r.pipeline(transaction=False)
        self.n = 0

    def __call__(self, *args: Any) -> None:
        self.pipe.execute_command(*args)
        self.n += 1
        if self.n % PIPE_CHUNK == 0:
            self.pipe.execute()

    def flush(self) -> None:
        self.pipe.execute()


def _stats(s: Score | None, p: Player) -> str:
    if s is None:
        v = [0, 0, 0, 0, 0, 1, p.joined_ms, 0, 0]
    else:
        v = [s.total, s.streak, s.streak_round, s.correct_count, s.best_streak, s.version + 1,
             s.reached_ms, s.last_round, s.last_points]  # fmt: skip
    return ",".join(map(str, [*v, int(p.kicked)]))


def game_rebuild(*, pin: str, force: bool = False) -> dict[str, Any]:
    game = _game_live(pin)
    # Hold the game's flush lock: a flusher must not snapshot a half-rebuilt
    # game (its meta exists from the first write on).
    with transaction.atomic():
        with connection.cursor() as cur:
            pg_side.lock_game(cur, game.pk)
        return _rebuild(game, pin=pin, force=force)


def _rebuild(game: Game, *, pin: str, force: bool) -> dict[str, Any]:
    gid = game.key
    r = redis_sync()
    nq = len(game.document["questions"])
    if r.exists(keys.meta(gid)):
        if not force:
            raise ServiceError("game_exists", f"game {gid} is in Redis; --force replaces it")
        r.delete(*keys.all_of(gid, nq))
    snap = game.snapshot or {}
    smeta: dict[str, str] = dict(snap.get("meta", {}))
    eng = sync_engine()
    eng.run(
        ops.create_game(
            gid,
            engine_questions(game.document),
            Settings(
                reveal=game.reveal, max_players=game.max_players, late_join=game.late_join,
                host_token_hash=game.host_token_hash, screen_token_hash=game.screen_token_hash,
                title=game.title,
            ),
        )
    )  # fmt: skip
    players = list(Player.objects.filter(game=game))
    scores = {s.player_id: s for s in Score.objects.filter(game=game)}
    answers = list(
        Answer.objects.filter(game=game).values_list(
            "player__number", "question", "choices", "points", "bonus", "correct", "elapsed_ms"
        )
    )
    epoch = max(int(smeta.get("epoch", 1)), game.epoch) + 1
    on_board = [p for p in players if not p.kicked]
    next_pid = max([int(smeta.get("next_pid", 0))] + [p.number for p in players])

    put = _Pipe(r)
    meta = {k: v for k, v in smeta.items() if k not in _RESTORED_ELSEWHERE}
    meta.update(epoch=str(epoch), count=str(len(on_board)), next_pid=str(next_pid))
    put("HSET", keys.meta(gid), *[x for kv in meta.items() for x in kv])
    counts: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for number, q, choices, pts, bonus, ok, elapsed in answers:
        rec = f"{','.join(map(str, choices))}|{pts}|{bonus}|{int(ok)}|{elapsed}"
        put("HSET", keys.answers(gid, q), number, rec)
        counts[q]["answered"] += 1
        for c in choices:
            counts[q][f"c{c}"] += 1
    for n_str, qs in snap.get("questions", {}).items():
        n = int(n_str)
        fields = {f: qs[f] for f in _Q_FIELDS if f in qs} | dict(counts.get(n, {}))
        put("HSET", keys.question(gid, n), *[x for kv in fields.items() for x in kv])
    for p in players:
        s = scores.get(p.pk)
        put("HSET", keys.players(gid), p.number, p.nickname)
        put("HSET", keys.nicks(gid), nickname_key(p.nickname), p.number)
        if p.token_hash:
            put("HSET", keys.tokens(gid), p.token_hash, p.number)
        put("HSET", keys.stats(gid), p.number, _stats(s, p))
        # dirty: the next flush writes the bumped versions back, so PostgreSQL
        # and Redis agree again (verify_game compares versions)
        put("SADD", keys.dirty(gid), p.number)
        if not p.kicked:
            total, reached = (s.total, s.reached_ms) if s else (0, p.joined_ms)
            put("ZADD", keys.board(gid), scoring.composite(total, reached), p.number)
    put.flush()

    pin_ok = bool(eng.run(ops.claim_pin(pin, gid))) or redis_side.text(r.get(keys.pin(pin))) == gid
    redis_side.group_ensure(r, gid)
    maxlen = settings.STADIUM["EVENTS_MAXLEN"]
    seq = r.xadd(keys.events(gid), {"t": "resync", "epoch": epoch}, maxlen=maxlen)
    Game.objects.filter(pk=game.pk).update(epoch=epoch)
    window = (timezone.now() - game.flushed).total_seconds() if game.flushed else None
    return {
        "game": game.pk,
        "key": gid,
        "pin": pin,
        "pin_restored": pin_ok,
        "state": smeta.get("state", "lobby"),
        "question": int(smeta.get("q", 0)),
        "players": len(players),
        "kicked": len(players) - len(on_board),
        "scores": len(scores),
        "answers": len(answers),
        "epoch": epoch,
        "resync_event": redis_side.text(seq),
        "last_flush": game.flushed.isoformat() if game.flushed else None,
        "unrecoverable_window_s": window,
    }
