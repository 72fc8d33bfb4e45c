"""``manage.py import_quiz FILE --owner USERNAME``: load a quiz document."""

from __future__ import annotations

import json
import sys
from typing import Any

import pydantic
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from quiz.documents import document_parse, error_lines
from quiz.services.quizzes import quiz_create


class Command(BaseCommand):
    help = "Import a quiz document (JSON file, or - for stdin) for a host."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="path of the quiz document, or - for stdin")
        parser.add_argument("--owner", required=True, help="username of the quiz's host")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            owner = get_user_model().objects.get_by_natural_key(options["owner"])
        except get_user_model().DoesNotExist as e:
            raise CommandError(f"no user {options['owner']!r}") from e
        try:
            if options["file"] == "-":
                data = json.load(sys.stdin)
            else:
                with open(options["file"], encoding="utf-8") as f:
                    data = json.load(f)
        except (OSError, ValueError) as e:
            raise CommandError(f"cannot read {options['file']}: {e}") from e
        try:
            document = document_parse(data)
        except pydantic.ValidationError as e:
            problems = "; ".join(error_lines(e))
            raise CommandError(f"not a valid quiz document: {problems}") from e
        quiz = quiz_create(owner=owner, document=document)
        self.stdout.write(
            f"Imported quiz {quiz.pk}: {quiz.title!r} ({len(document.questions)} questions)"
        )
