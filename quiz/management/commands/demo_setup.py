"""Prepare the demo: a host account and the demo quiz ("Stadium night", which
has every question kind), idempotently; prints the credentials. ``--all``
loads every demo quiz of ``quiz/demo/`` too."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from quiz.documents import document_parse
from quiz.models import Quiz
from quiz.services.quizzes import quiz_create

DEMO_USER = "host"
DEMO_PASSWORD = "stadium-demo"
DEMO_DIR = Path(__file__).resolve().parents[2] / "demo"
DEMO_QUIZ = "stadium_night.json"  # every question kind


class Command(BaseCommand):
    help = "Create the demo host account and a demo quiz, and print the credentials."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--all", action="store_true", help="load every demo quiz")

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        User = get_user_model()
        user, created = User.objects.get_or_create(username=DEMO_USER, defaults={"is_staff": True})
        if created or not user.check_password(DEMO_PASSWORD):
            user.set_password(DEMO_PASSWORD)
            user.is_staff = True
            user.save()
        # the demo quiz last: the newest quiz, so the host console lists it first
        # (the list is newest first)
        demo = DEMO_DIR / DEMO_QUIZ
        others = sorted(p for p in DEMO_DIR.glob("*.json") if p != demo) if options["all"] else []
        files = [*others, demo]
        for path in files:
            document = document_parse(json.loads(path.read_text(encoding="utf-8")))
            # idempotent by title: a rerun (every `make run`) adds nothing
            quiz = Quiz.objects.filter(owner=user, title=document.title).first()
            if quiz is None:
                quiz = quiz_create(owner=user, document=document)
                self.stdout.write(f"Demo quiz {quiz.pk}: {quiz.title!r} loaded")
            else:
                self.stdout.write(f"Demo quiz {quiz.pk}: {quiz.title!r} already there")
                if path == demo:  # newest again: first in the console's list
                    quiz.save(update_fields=["updated"])
        self.stdout.write(f"Demo host: username {DEMO_USER!r}, password {DEMO_PASSWORD!r}")
