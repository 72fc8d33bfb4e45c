"""Quizzes over HTTP: create, read, edit, delete, list, and host isolation."""

from __future__ import annotations

from typing import Any

import pytest

from quiz.models import Choice, Question, Quiz

from .conftest import post

pytestmark = pytest.mark.django_db


def put(c: Any, path: str, data: Any) -> Any:
    return c.put(path, data, content_type="application/json")


def test_create_then_read_gives_back_the_same_document(host_client, doc):
    r = post(host_client, "/api/quizzes", doc)
    assert r.status_code == 201
    body = r.json()
    assert body["title"] == "Test quiz" and body["n_questions"] == 2
    r = host_client.get(f"/api/quizzes/{body['id']}")
    assert r.status_code == 200
    assert r.json() == doc
    # the rows keep the order of questions and choices
    q2 = Question.objects.get(quiz_id=body["id"], order=1)
    assert [c.text for c in q2.choices.all()] == ["3", "8", "5", "12"]


def test_edit_replaces_title_and_questions(host_client, quiz_id, doc):
    doc["title"] = "Renamed"
    doc["questions"] = doc["questions"][1:] + [
        {
            "text": "Is water wet?",
            "time_limit": 5,
            "multiplier": 0,
            "image": None,
            "choices": [{"text": "yes", "correct": True}, {"text": "no", "correct": False}],
        }
    ]
    r = put(host_client, f"/api/quizzes/{quiz_id}", doc)
    assert r.status_code == 200
    assert r.json()["title"] == "Renamed" and r.json()["n_questions"] == 2
    assert host_client.get(f"/api/quizzes/{quiz_id}").json() == doc
    assert Question.objects.filter(quiz_id=quiz_id).count() == 2
    assert Choice.objects.filter(question__quiz_id=quiz_id).count() == 6


def test_delete_removes_the_quiz(host_client, quiz_id):
    r = host_client.delete(f"/api/quizzes/{quiz_id}")
    assert r.status_code == 204
    assert not Quiz.objects.filter(pk=quiz_id).exists()
    r = host_client.get(f"/api/quizzes/{quiz_id}")
    assert r.status_code == 404 and r.json()["error"] == "not_found"
    assert host_client.delete(f"/api/quizzes/{quiz_id}").status_code == 404


def test_list_shows_only_my_quizzes(host_client, other_client, quiz_id, doc):
    doc["title"] = "Bob's"
    post(other_client, "/api/quizzes", doc)
    r = host_client.get("/api/quizzes")
    assert r.status_code == 200
    assert [(q["id"], q["title"], q["n_questions"]) for q in r.json()] == [
        (quiz_id, "Test quiz", 2)
    ]


def test_another_host_cannot_see_edit_delete_or_play_my_quiz(other_client, quiz_id, doc):
    for r in (
        other_client.get(f"/api/quizzes/{quiz_id}"),
        put(other_client, f"/api/quizzes/{quiz_id}", doc),
        other_client.delete(f"/api/quizzes/{quiz_id}"),
        post(other_client, "/api/games", {"quiz": quiz_id}),
    ):
        assert r.status_code == 404
        assert r.json()["error"] == "not_found"
    assert Quiz.objects.get(pk=quiz_id).title == "Test quiz"


def test_anonymous_gets_401(anon, quiz_id, doc):
    for r in (
        anon.get("/api/quizzes"),
        post(anon, "/api/quizzes", doc),
        anon.get(f"/api/quizzes/{quiz_id}"),
        put(anon, f"/api/quizzes/{quiz_id}", doc),
        anon.delete(f"/api/quizzes/{quiz_id}"),
        post(anon, "/api/games", {"quiz": quiz_id}),
    ):
        assert r.status_code == 401
        assert r.json()["error"] == "unauthorized"


def _q(**over: Any) -> dict[str, Any]:
    q = {
        "text": "Q?",
        "time_limit": 20,
        "multiplier": 1,
        "image": None,
        "choices": [{"text": "a", "correct": True}, {"text": "b", "correct": False}],
    }
    q.update(over)
    return q


def _choices(n: int, correct: bool = True) -> list[dict[str, Any]]:
    return [{"text": f"c{i}", "correct": correct and i == 0} for i in range(n)]


@pytest.mark.parametrize(
    "document",
    [
        {"title": "", "questions": [_q()]},
        {"title": "   ", "questions": [_q()]},
        {"title": "x" * 201, "questions": [_q()]},
        {"title": "T", "questions": []},
        {"title": "T", "questions": [_q()] * 101},
        {"title": "T", "questions": [_q(text="")]},
        {"title": "T", "questions": [_q(text="x" * 501)]},
        {"title": "T", "questions": [_q(time_limit=4)]},
        {"title": "T", "questions": [_q(time_limit=241)]},
        {"title": "T", "questions": [_q(time_limit="20")]},
        {"title": "T", "questions": [_q(time_limit=20.5)]},
        {"title": "T", "questions": [_q(multiplier=3)]},
        {"title": "T", "questions": [_q(multiplier=True)]},
        {"title": "T", "questions": [_q(image="not a url")]},
        {"title": "T", "questions": [_q(image="javascript:alert(1)")]},
        {"title": "T", "questions": [_q(choices=_choices(1))]},
        {"title": "T", "questions": [_q(choices=_choices(7))]},
        {"title": "T", "questions": [_q(choices=_choices(3, correct=False))]},
        {"title": "T", "questions": [_q(choices=[{"text": "", "correct": True}] * 2)]},
        {"title": "T", "questions": [_q(choices=[{"text": "x" * 201, "correct": True}] * 2)]},
        {"title": "T", "questions": [_q(choices=[{"text": "a", "correct": 1}] * 2)]},
        {"title": "T", "questions": [_q(choices=[{"text": "a", "correct": True, "x": 1}] * 2)]},
        {"title": "T", "questions": [_q(points=10)]},
        {"title": "T", "questions": [_q()], "owner": 2},
        {"questions": [_q()]},
        {"title": "T"},
        [],
        "a quiz",
    ],
)
def test_invalid_documents_are_refused(host_client, document):
    r = post(host_client, "/api/quizzes", document)
    assert r.status_code == 400, r.content
    assert r.json()["error"] == "validation_error"
    assert r.json()["message"]
    assert not Quiz.objects.exists()


def test_limits_are_inclusive(host_client):
    document = {
        "title": "x" * 200,
        "questions": [_q(text="y" * 500, time_limit=5, choices=_choices(6))] * 99
        + [_q(time_limit=240, multiplier=0, image="http://example.org/a.png")],
    }
    r = post(host_client, "/api/quizzes", document)
    assert r.status_code == 201, r.content
    assert host_client.get(f"/api/quizzes/{r.json()['id']}").json() == document
