"""``manage.py rebuild_game <pin>``: restore a live game's Redis state from
PostgreSQL after Redis lost it (see :mod:`quiz.services.rebuild`)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from quiz.services import ServiceError
from quiz.services.rebuild import game_rebuild


class Command(BaseCommand):
    help = "Restore a live game's Redis state from PostgreSQL (as of its last flush)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("pin")
        parser.add_argument(
            "--force", action="store_true", help="replace the game's keys if Redis still has them"
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        try:
            rep = game_rebuild(pin=opts["pin"], force=opts["force"])
        except ServiceError as e:
            raise CommandError(e.message) from e
        w = self.stdout.write
        w(f"rebuilt game {rep['game']} (PIN {rep['pin']}, restored: {rep['pin_restored']})")
        w(f"  state {rep['state']}, question {rep['question']}, epoch now {rep['epoch']}")
        w(
            f"  players {rep['players']} ({rep['kicked']} kicked), scores {rep['scores']}, "
            f"answers {rep['answers']}"
        )
        w(f"  clients resync on event {rep['resync_event']}")
        if rep["last_flush"] is None:
            w("  not recovered: the game was never flushed; everything after its creation")
        else:
            w(
                f"  not recovered: changes after the last flush at {rep['last_flush']} "
                f"({rep['unrecoverable_window_s']:.1f}s before the rebuild)"
            )
