"""``manage.py verify_game <pin or id>``: check that Redis, PostgreSQL and the
answer log agree (see :mod:`quiz.services.verify`); exits 1 on any
difference, so tests and the load test can use it."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from quiz.services import ServiceError
from quiz.services.verify import game_verify


class Command(BaseCommand):
    help = "Compare a game in Redis, PostgreSQL and the answer log; exit 1 on any difference."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("game", help="PIN or game id")

    def handle(self, *args: Any, **opts: Any) -> None:
        try:
            rep = game_verify(ref=opts["game"])
        except ServiceError as e:
            raise CommandError(e.message) from e
        for line in rep.lines():
            self.stdout.write(line)
        if not rep.ok:
            sys.exit(1)
