"""The Django admin: quizzes with questions inline, questions with choices
inline, document rules kept, and hosts see only their own quizzes."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from quiz.models import Question, Quiz

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(host) -> Client:
    from django.contrib.auth.models import Permission

    host.is_staff = True
    host.save()
    host.user_permissions.set(Permission.objects.filter(content_type__app_label="quiz"))
    c = Client()
    c.force_login(host)
    return c


def test_pages_render(staff, quiz_id):
    q = Question.objects.filter(quiz_id=quiz_id).first()
    for path in (
        "/admin/quiz/quiz/",
        "/admin/quiz/quiz/?q=Test",
        f"/admin/quiz/quiz/{quiz_id}/change/",
        "/admin/quiz/quiz/add/",
        "/admin/quiz/question/",
        f"/admin/quiz/question/{q.pk}/change/",
        "/admin/quiz/game/",
    ):
        r = staff.get(path)
        assert r.status_code == 200, path
    page = staff.get(f"/admin/quiz/quiz/{quiz_id}/change/").content.decode()
    assert "Largest ocean?" in page  # questions inline
    page = staff.get(f"/admin/quiz/question/{q.pk}/change/").content.decode()
    assert "Atlantic" in page and "Pacific" in page  # choices inline


def _choice_form(question: Question, rows: list[tuple[str, bool]]) -> dict[str, str]:
    data = {
        "quiz": str(question.quiz_id),
        "order": "0",
        "text": question.text,
        "time_limit": "20",
        "multiplier": "1",
        "image": "",
        "kind": "choice",
        "read_time": "0",
        "kind_fields": "{}",
        "choices-TOTAL_FORMS": str(len(rows)),
        "choices-INITIAL_FORMS": "0",
        "choices-MIN_NUM_FORMS": "2",
        "choices-MAX_NUM_FORMS": "6",
    }
    question.choices.all().delete()
    for i, (text, correct) in enumerate(rows):
        data[f"choices-{i}-order"] = str(i)
        data[f"choices-{i}-text"] = text
        if correct:
            data[f"choices-{i}-correct"] = "on"
    return data


def test_question_needs_a_correct_choice(staff, quiz_id):
    q = Question.objects.filter(quiz_id=quiz_id).first()
    url = f"/admin/quiz/question/{q.pk}/change/"
    r = staff.post(url, _choice_form(q, [("a", False), ("b", False)]))
    assert r.status_code == 200 and b"At least one choice must be correct" in r.content
    r = staff.post(url, _choice_form(q, [("a", False), ("b", True)]))
    assert r.status_code == 302
    assert [(c.text, c.correct) for c in q.choices.all()] == [("a", False), ("b", True)]


def test_hosts_see_only_their_quizzes(staff, quiz_id):
    bob = get_user_model().objects.create_user("bob2", password="x")
    theirs = Quiz.objects.create(owner=bob, title="Secret quiz of bob")
    assert b"Secret quiz of bob" not in staff.get("/admin/quiz/quiz/").content
    assert staff.get(f"/admin/quiz/quiz/{theirs.pk}/change/").status_code == 302


def _quiz_form(quiz: Quiz, **brand: object) -> dict[str, object]:
    """The quiz's change form as the admin posts it, with its questions
    inline unchanged."""
    qs = list(Question.objects.filter(quiz=quiz).order_by("order", "id"))
    data: dict[str, object] = {
        "owner": str(quiz.owner_id),
        "title": quiz.title,
        "accent": "",
        "logo_url": "",
        "questions-TOTAL_FORMS": str(len(qs)),
        "questions-INITIAL_FORMS": str(len(qs)),
        "questions-MIN_NUM_FORMS": "0",
        "questions-MAX_NUM_FORMS": "1000",
    }
    for i, q in enumerate(qs):
        data.update({
            f"questions-{i}-id": str(q.pk), f"questions-{i}-quiz": str(quiz.pk),
            f"questions-{i}-order": str(q.order), f"questions-{i}-text": q.text,
            f"questions-{i}-time_limit": str(q.time_limit),
            f"questions-{i}-multiplier": str(q.multiplier), f"questions-{i}-image": q.image or "",
        })  # fmt: skip
    data.update(brand)
    return data


def test_the_brand_is_edited_in_the_admin_with_the_apis_rules(staff, quiz_id):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from testkit.images import png

    quiz = Quiz.objects.get(pk=quiz_id)
    url = f"/admin/quiz/quiz/{quiz_id}/change/"
    page = staff.get(url).content.decode()
    assert 'name="accent"' in page and 'name="logo_file"' in page
    assert 'enctype="multipart/form-data"' in page
    r = staff.post(url, _quiz_form(quiz, accent="blue", logo_url="http://example.com/a.png"))
    assert r.status_code == 200
    assert b"#RRGGBB" in r.content and b"https:// address" in r.content
    text = SimpleUploadedFile("logo.png", b"not an image at all", content_type="image/png")
    r = staff.post(url, _quiz_form(quiz, logo_file=text))
    assert r.status_code == 200 and b"PNG, JPEG, WebP or GIF" in r.content
    image = SimpleUploadedFile("logo.png", png(16, 16), content_type="image/png")
    r = staff.post(url, _quiz_form(quiz, accent="#1E88E5", logo_file=image))
    assert r.status_code == 302, r.content.decode()[:2000]
    quiz.refresh_from_db()
    assert quiz.accent == "#1e88e5" and quiz.logo is not None and quiz.logo.width == 16
    assert quiz.logo.url.encode() in staff.get(url).content  # the preview
    r = staff.post(url, _quiz_form(quiz, accent="#1e88e5", logo_remove="on"))
    assert r.status_code == 302
    quiz.refresh_from_db()
    assert quiz.logo is None and quiz.logo_url == ""
