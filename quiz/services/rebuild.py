"""Rebuild a live game's Redis state from PostgreSQL after Redis lost it.

What comes back is the game as of its last flush: the meta hash and question
states (Game.snapshot), the questions (Game.document), the players with
their nicknames and token hashes (so their tokens work again), each
player's stats as the record gives them (the Score row plus the answers
after its version, quiz.flush.pg_side.stats_derived) with the version
bumped past the one in PostgreSQL, the board, the answers given (the
one-answer guards and the per-choice counts), and the PIN. The answer log
starts again, so PostgreSQL's log position is reset in the same step. The epoch goes up and a ``resync`` event tells connected clients to
fetch a fresh snapshot. Changes after the last flush are gone; the report
says how long that window was.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from engine import RecordedAnswer, Snapshot, Stats, ops, restore
from quiz.documents import engine_questions
from quiz.flush import pg_side
from quiz.flush.game import snapshot_rounds
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


def _stats(derived: Stats) -> Stats:
    # The version goes one past PostgreSQL's, so the next flush writes the
    # restored stats back and Redis and PostgreSQL agree again (verify_game
    # compares versions).
    return replace(derived, version=derived.version + 1)


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
    scores = Score.objects.filter(game=game).count()
    with connection.cursor() as cur:
        derived = pg_side.stats_derived(cur, game.pk, snapshot_rounds(snap))
    players = [
        restore.PlayerRecord(
            p.number, p.nickname, nickname_key(p.nickname), p.token_hash, _stats(derived[p.number])
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
    # the log starts again with the restored game: read it from its start
    Game.objects.filter(pk=game.pk).update(epoch=done.epoch, log_pos="", scored_pos="")
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
        "scores": scores,
        "answers": len(answers),
        "epoch": done.epoch,
        "resync_event": done.event,
        "last_flush": game.flushed.isoformat() if game.flushed else None,
        "unrecoverable_window_s": window,
    }
