"""Prepare the demo: a host account (and, once quizzes exist, a demo quiz)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

DEMO_USER = "host"
DEMO_PASSWORD = "stadium-demo"


class Command(BaseCommand):
    help = "Create the demo host account and print its credentials."

    def handle(self, *args: Any, **options: Any) -> None:
        User = get_user_model()
        user, created = User.objects.get_or_create(username=DEMO_USER, defaults={"is_staff": True})
        if created or not user.check_password(DEMO_PASSWORD):
            user.set_password(DEMO_PASSWORD)
            user.is_staff = True
            user.save()
        self.stdout.write(f"Demo host: username {DEMO_USER!r}, password {DEMO_PASSWORD!r}")
