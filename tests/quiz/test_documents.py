"""Import and export commands, the demo quizzes and demo_setup."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from quiz.documents import document_parse
from quiz.models import Quiz

pytestmark = pytest.mark.django_db

DEMO = sorted((Path(__file__).resolve().parents[2] / "quiz" / "demo").glob("*.json"))


def run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_import_then_export_round_trip(host, doc, tmp_path):
    path = tmp_path / "quiz.json"
    path.write_text(json.dumps(doc))
    out = run("import_quiz", str(path), "--owner", host.username)
    quiz = Quiz.objects.get(owner=host)
    assert out.strip() == f"Imported quiz {quiz.pk}: 'Test quiz' (2 questions)"
    assert json.loads(run("export_quiz", str(quiz.pk))) == doc
    # and the export imports again to the same document
    path.write_text(run("export_quiz", str(quiz.pk)))
    run("import_quiz", str(path), "--owner", host.username)
    second = Quiz.objects.filter(owner=host).exclude(pk=quiz.pk).get()
    assert json.loads(run("export_quiz", str(second.pk))) == doc


def test_api_export_matches_command_export(host_client, quiz_id):
    assert host_client.get(f"/api/quizzes/{quiz_id}").json() == json.loads(
        run("export_quiz", str(quiz_id))
    )


def test_import_refuses_bad_documents_and_unknown_owner(host, doc, tmp_path):
    path = tmp_path / "quiz.json"
    doc["questions"][0]["time_limit"] = 500
    path.write_text(json.dumps(doc))
    with pytest.raises(CommandError, match="questions.0.time_limit"):
        run("import_quiz", str(path), "--owner", host.username)
    path.write_text("{not json")
    with pytest.raises(CommandError, match="cannot read"):
        run("import_quiz", str(path), "--owner", host.username)
    with pytest.raises(CommandError, match="no user"):
        run("import_quiz", str(path), "--owner", "nobody")
    with pytest.raises(CommandError, match="no quiz"):
        run("export_quiz", "999999")
    assert not Quiz.objects.exists()


@pytest.mark.parametrize("path", DEMO, ids=[p.stem for p in DEMO])
def test_demo_quizzes_are_valid_documents(path):
    document = document_parse(json.loads(path.read_text()))
    assert 8 <= len(document.questions) <= 10


def test_demo_quizzes_have_a_multi_select_and_a_double_points_question():
    questions = [q for p in DEMO for q in document_parse(json.loads(p.read_text())).questions]
    assert len(DEMO) >= 2
    assert any(q.kind == "choice" and sum(c.correct for c in q.choices) > 1 for q in questions)
    assert any(q.multiplier == 2 for q in questions)


def test_demo_setup_is_idempotent_and_prints_credentials(client):
    first = run("demo_setup")
    second = run("demo_setup")
    assert "username 'host', password 'stadium-demo'" in first
    assert "loaded" in first and "already there" in second
    user = get_user_model().objects.get(username="host")
    assert Quiz.objects.filter(owner=user).count() == 1
    r = client.post(
        "/api/auth/login",
        {"username": "host", "password": "stadium-demo"},
        content_type="application/json",
    )
    assert r.status_code == 200
    assert client.get("/api/quizzes").json()[0]["title"] == "Stadium night"
    run("demo_setup", "--all")
    assert Quiz.objects.filter(owner=user).count() == len(DEMO)
    # the demo quiz (every kind) stays the one the host sees first
    assert client.get("/api/quizzes").json()[0]["title"] == "Stadium night"
