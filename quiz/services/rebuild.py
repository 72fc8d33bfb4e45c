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

from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from engine import RecordedAnswer, Snapshot, Stats, ops, restore
from quiz.documents import engine_questions
from quiz.flush import pg_side
from quiz.models import Answer, Game, Player, Score, TeamStanding
from quiz.nicknames import nickname_key, text_shown
from quiz.redis import sync_engine

from . import NotFound, ServiceError
from .games import play_settings


def _game_live(pin: str) -> Game:
    game = Game.objects.filter(pin=pin, saved__isnull=True).order_by("-created", "-id").first()
    if game is None:
        raise NotFound(f"no live game with PIN {pin} in PostgreSQL")
    return game


def _stats(s: Score | None, p: Player) -> Stats:
    # The version goes one past PostgreSQL's, so the next flush writes the
    # restored stats back and Redis and PostgreSQL agree again (verify_game
    # compares versions). Until a player's first points, reached_ms is the
    # join time.
    team = -1 if p.team is None else p.team
    if s is None:
        return Stats(version=1, reached_ms=p.joined_ms, kicked=p.kicked, team=team)
    return Stats(
        s.total, s.streak, s.streak_round, s.correct_count, s.best_streak, s.version + 1,
        s.reached_ms, s.last_round, s.last_points, p.kicked, team,
    )  # fmt: skip


def game_rebuild(*, pin: str, force: bool = False) -> dict[str, Any]:
    game = _game_live(pin)
    # Under the game's flush lock: a flusher of this game waits until the game
    # is back in Redis and its new epoch is in PostgreSQL.
    with transaction.atomic():
        with connection.cursor() as cur:
            pg_side.lock_game(cur, game.pk)
        return _rebuild(game, pin=pin, force=force)


def _rebuild(game: Game, *, pin: str, force: bool) -> dict[str, Any]:
    gid = game.key
    snap = Snapshot.from_record(game.snapshot)
    scores = {s.player_id: s for s in Score.objects.filter(game=game)}
    players = [
        restore.PlayerRecord(
            p.number,
            p.nickname,
            nickname_key(p.nickname),
            p.token_hash,
            _stats(scores.get(p.pk), p),
        )
        for p in Player.objects.filter(game=game)
    ]
    answers = [
        restore.AnswerRecord(
            q,
            number,
            RecordedAnswer(list(choices), pts, bonus, ok, elapsed, value),
            shown=not isinstance(value, str) or text_shown(value),
        )
        for number, q, choices, pts, bonus, ok, elapsed, value in Answer.objects.filter(
            game=game
        ).values_list(
            "player__number", "question", "choices", "points", "bonus", "correct", "elapsed_ms",
            "value",
        )
    ]  # fmt: skip
    eng = sync_engine()
    done = eng.run(
        restore.restore_game(
            gid,
            questions=engine_questions(game.document),
            settings=play_settings(game),
            snapshot=snap,
            players=players,
            answers=answers,
            durable_epoch=game.epoch,
            team_versions=dict(
                TeamStanding.objects.filter(game=game).values_list("team", "version")
            ),
            replace=force,
        )
    )  # fmt: skip
    if done.status == "game_exists":
        raise ServiceError("game_exists", f"game {gid} is in Redis; --force replaces it")
    pin_ok = bool(eng.run(ops.claim_pin(pin, gid))) or eng.run(ops.game_of_pin(pin)) == gid
    Game.objects.filter(pk=game.pk).update(epoch=done.epoch)
    window = (timezone.now() - game.flushed).total_seconds() if game.flushed else None
    kicked = sum(p.stats.kicked for p in players)
    return {
        "game": game.pk,
        "key": gid,
        "pin": pin,
        "pin_restored": pin_ok,
        "state": snap.state or "lobby",
        "question": snap.question,
        "players": len(players),
        "kicked": kicked,
        "scores": len(scores),
        "answers": len(answers),
        "epoch": done.epoch,
        "resync_event": done.event,
        "last_flush": game.flushed.isoformat() if game.flushed else None,
        "unrecoverable_window_s": window,
    }
