"""The API's host views get a typed User from ``host_of``; anyone else is a
clear 401, never a 500 (host_auth refuses them first; this is the backstop)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser, User
from django.test import RequestFactory

from quiz.api_common import host_of
from quiz.services import ServiceError

pytestmark = pytest.mark.django_db


def test_host_of_returns_the_logged_in_user():
    request = RequestFactory().get("/api/quizzes")
    request.user = User.objects.create_user("h-host", password="x")
    assert host_of(request) == request.user


def test_host_of_refuses_an_anonymous_request_with_401():
    request = RequestFactory().get("/api/quizzes")
    request.user = AnonymousUser()
    with pytest.raises(ServiceError) as e:
        host_of(request)
    assert (e.value.code, e.value.status) == ("unauthorized", 401)
