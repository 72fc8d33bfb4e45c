"""``manage.py export_quiz ID``: print a quiz as a quiz document (JSON)."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from quiz.models import Quiz
from quiz.services.quizzes import quiz_document


class Command(BaseCommand):
    help = "Print a quiz as a quiz document on stdout (import_quiz reads it back)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("quiz_id", type=int)

    def handle(self, *args: Any, **options: Any) -> None:
        quiz = Quiz.objects.filter(pk=options["quiz_id"]).first()
        if quiz is None:
            raise CommandError(f"no quiz {options['quiz_id']}")
        self.stdout.write(json.dumps(quiz_document(quiz=quiz), indent=2, ensure_ascii=False))
