"""The quiz document's question kinds (docs/quizzes.md): each kind's valid
document as the engine takes it, each rule's refusal over HTTP naming the
question and field, old documents unchanged, import/export of the demo quiz,
and the admin keeping the same rules."""

from __future__ import annotations

import copy
import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from engine import Question as EngineQuestion
from quiz.documents import document_dump, document_parse, engine_questions
from quiz.models import Question, Quiz

from .conftest import post

pytestmark = pytest.mark.django_db

DEMO = Path(__file__).resolve().parents[2] / "quiz" / "demo" / "stadium_night.json"

CHOICE = {
    "text": "Largest ocean?",
    "time_limit": 20,
    "multiplier": 1,
    "image": None,
    "choices": [{"text": "Atlantic", "correct": False}, {"text": "Pacific", "correct": True}],
}
TRUE_FALSE = {"kind": "true_false", "text": "The ball is round", "time_limit": 10,
              "multiplier": 1, "answer": True}  # fmt: skip
FALSE_STATEMENT = {**TRUE_FALSE, "text": "A match has three halves", "answer": False}
POLL = {"kind": "poll", "text": "Player of the match?", "time_limit": 15,
        "choices": [{"text": "Kane"}, {"text": "Saka"}, {"text": "Rice"}]}  # fmt: skip
SLIDER = {"kind": "slider", "text": "Guess tonight's attendance", "time_limit": 20,
          "read_time": 3, "multiplier": 2, "min": 0, "max": 100000, "step": 500,
          "answer": 62500, "tolerance": 5000, "unit": "fans"}  # fmt: skip
SLIDER_DECIMAL = {"kind": "slider", "text": "pH of pure water?", "time_limit": 20,
                  "multiplier": 1, "min": 0, "max": 14, "step": 0.1, "answer": 7,
                  "tolerance": 0.3}  # fmt: skip
TYPE_ANSWER = {"kind": "type_answer", "text": "Name the stadium", "time_limit": 20,
               "multiplier": 1, "accepted": ["Wembley", "Wembley Stadium"]}  # fmt: skip
ORDERING = {"kind": "ordering", "text": "Oldest first", "time_limit": 20, "multiplier": 1,
            "items": ["1966", "1970", "1998", "2014"]}  # fmt: skip
WORD_CLOUD = {"kind": "word_cloud", "text": "One word for tonight", "time_limit": 15,
              "max_length": 20}  # fmt: skip
INFO = {"kind": "info", "text": "Half time!", "time_limit": 10, "multiplier": 0,
        "image": "https://example.com/half-time.png", "read_time": 2}  # fmt: skip

EVERY_KIND = [CHOICE, TRUE_FALSE, FALSE_STATEMENT, POLL, SLIDER, SLIDER_DECIMAL, TYPE_ANSWER,
              ORDERING, WORD_CLOUD, INFO]  # fmt: skip


def doc_of(*questions: dict[str, Any]) -> dict[str, Any]:
    return {"title": "Kinds", "questions": copy.deepcopy(list(questions))}


def run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def exported(q: dict[str, Any]) -> dict[str, Any]:
    """What export writes for a question: the document as sent, with the
    defaults it left out written (image, multiplier 0 of the unscored kinds,
    unit, max_length); kind and read_time only when not the defaults."""
    out = dict(q)
    out.setdefault("image", None)
    kind = q.get("kind", "choice")
    if kind in ("poll", "word_cloud", "info"):
        out.setdefault("multiplier", 0)
    if kind == "slider":
        out.setdefault("unit", None)
    if kind in ("type_answer", "word_cloud"):
        out.setdefault("max_length", 40)
    return out


# --- every kind, as the engine takes it -----------------------------------------


def test_every_kind_is_stored_and_reaches_the_engine_as_written(host_client):
    r = post(host_client, "/api/quizzes", doc_of(*EVERY_KIND))
    assert r.status_code == 201, r.content
    stored = host_client.get(f"/api/quizzes/{r.json()['id']}").json()
    assert stored == doc_of(*(exported(q) for q in EVERY_KIND))
    assert [Question.objects.get(quiz_id=r.json()["id"], order=n).kind for n in range(10)] == [
        "choice", "true_false", "true_false", "poll", "slider", "slider", "type_answer",
        "ordering", "word_cloud", "info",
    ]  # fmt: skip
    E = EngineQuestion
    assert engine_questions(stored) == [
        E("Largest ocean?", ["Atlantic", "Pacific"], {1}, 20, 1),
        E("The ball is round", ["True", "False"], {0}, 10, 1, kind="true_false"),
        E("A match has three halves", ["True", "False"], {1}, 10, 1, kind="true_false"),
        E("Player of the match?", ["Kane", "Saka", "Rice"], set(), 15, 0, kind="poll"),
        E("Guess tonight's attendance", [], set(), 20, 2, kind="slider", read_time=3,
          min=0.0, max=100000.0, step=500.0, answer=62500.0, tolerance=5000.0, unit="fans"),
        E("pH of pure water?", [], set(), 20, 1, kind="slider", min=0.0, max=14.0, step=0.1,
          answer=7.0, tolerance=0.3),
        E("Name the stadium", [], set(), 20, 1, kind="type_answer",
          accepted=["Wembley", "Wembley Stadium"], max_length=40),
        E("Oldest first", [], set(), 20, 1, kind="ordering",
          items=["1966", "1970", "1998", "2014"]),
        E("One word for tonight", [], set(), 15, 0, kind="word_cloud", max_length=20),
        E("Half time!", [], set(), 10, 0, image="https://example.com/half-time.png",
          kind="info", read_time=2),
    ]  # fmt: skip
    slider = engine_questions(stored)[4]
    assert all(type(getattr(slider, f)) is float for f in ("min", "max", "step", "answer"))


def test_the_export_is_the_document_and_imports_to_the_same(host, host_client, tmp_path):
    r = post(host_client, "/api/quizzes", doc_of(*EVERY_KIND))
    text = run("export_quiz", str(r.json()["id"]))
    assert json.loads(text) == host_client.get(f"/api/quizzes/{r.json()['id']}").json()
    path = tmp_path / "kinds.json"
    path.write_text(text)
    run("import_quiz", str(path), "--owner", host.username)
    again = Quiz.objects.filter(owner=host).exclude(pk=r.json()["id"]).get()
    assert run("export_quiz", str(again.pk)) == text
    # document_dump (pydantic side) writes what the database side writes
    assert document_dump(document_parse(json.loads(text))) == json.loads(text)


def test_put_replaces_a_choice_quiz_by_every_kind_and_back(host_client, quiz_id, doc):
    r = host_client.put(
        f"/api/quizzes/{quiz_id}", doc_of(*EVERY_KIND), content_type="application/json"
    )
    assert r.status_code == 200 and r.json()["n_questions"] == 10
    r = host_client.put(f"/api/quizzes/{quiz_id}", doc, content_type="application/json")
    assert r.status_code == 200
    assert host_client.get(f"/api/quizzes/{quiz_id}").json() == doc
    rows = Question.objects.filter(quiz_id=quiz_id)
    assert [(q.kind, q.read_time, q.kind_fields) for q in rows] == [("choice", 0, {})] * 2


# --- old documents ----------------------------------------------------------------


def test_a_document_without_kind_exports_unchanged_byte_for_byte(host, host_client, doc):
    r = post(host_client, "/api/quizzes", doc)
    quiz_id = r.json()["id"]
    got = host_client.get(f"/api/quizzes/{quiz_id}")
    assert got.json() == doc
    assert [list(q) for q in got.json()["questions"]] == [
        ["text", "time_limit", "multiplier", "image", "choices"]
    ] * 2
    assert run("export_quiz", str(quiz_id)) == json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
    assert document_dump(document_parse(doc)) == doc


def test_kind_choice_and_read_time_0_written_out_are_the_same_question(host_client):
    q = {**CHOICE, "kind": "choice", "read_time": 0}
    r = post(host_client, "/api/quizzes", doc_of(q))
    assert r.status_code == 201
    assert host_client.get(f"/api/quizzes/{r.json()['id']}").json() == doc_of(CHOICE)


# --- refusals: one per rule, each naming the question and the field ------------------

BAD: list[tuple[str, dict[str, Any], str, str]] = [
    # (id, question, field, message)
    ("slider answer off the grid", {**SLIDER, "answer": 62600}, "answer",
     "must be on the step grid"),
    ("slider answer below min", {**SLIDER, "answer": -500}, "answer", "must be within min..max"),
    ("slider answer above max", {**SLIDER, "answer": 100500}, "answer",
     "must be within min..max"),
    ("slider too many steps", {**SLIDER, "step": 5, "tolerance": 5000}, "step",
     "at most 10000 steps"),
    ("slider step not dividing the range", {**SLIDER, "step": 300}, "step",
     "(max - min) / step must be a whole number"),
    ("slider step 0", {**SLIDER, "step": 0}, "step", "greater than 0"),
    ("slider tolerance off the grid", {**SLIDER, "tolerance": 750}, "tolerance",
     "must be a whole number of steps"),
    ("slider tolerance negative", {**SLIDER, "tolerance": -500}, "tolerance",
     "greater than or equal to 0"),
    ("slider min equals max", {**SLIDER, "min": 100000}, "max", "must be greater than min"),
    ("slider min above max", {**SLIDER, "min": 200000}, "max", "must be greater than min"),
    ("slider unit too long", {**SLIDER, "unit": "x" * 21}, "unit", "at most 20"),
    ("slider bool for a number", {**SLIDER, "answer": True}, "answer", "valid number"),
    ("slider text for a number", {**SLIDER, "min": "0"}, "min", "valid number"),
    ("slider missing answer", {k: v for k, v in SLIDER.items() if k != "answer"}, "answer",
     "Field required"),
    ("poll with correct", {**POLL, "choices": [{"text": "a", "correct": True}, {"text": "b"}]},
     "choices.0.correct", "Extra inputs are not permitted"),
    ("poll with one choice", {**POLL, "choices": [{"text": "a"}]}, "choices",
     "at least 2 items"),
    ("poll with 7 choices", {**POLL, "choices": [{"text": str(i)} for i in range(7)]},
     "choices", "at most 6 items"),
    ("multiplier 1 on a poll", {**POLL, "multiplier": 1}, "multiplier",
     "must be 0 or left out: a poll gives no points"),
    ("multiplier 2 on a word cloud", {**WORD_CLOUD, "multiplier": 2}, "multiplier",
     "a word cloud gives no points"),
    ("multiplier 1 on an info slide", {**INFO, "multiplier": 1}, "multiplier",
     "an info slide gives no points"),
    ("type_answer accepted too long for max_length",
     {**TYPE_ANSWER, "max_length": 10}, "accepted",
     "'Wembley Stadium' is longer than max_length (10)"),
    ("type_answer accepted over 40", {**TYPE_ANSWER, "accepted": ["x" * 41]}, "accepted.0",
     "at most 40 characters"),
    ("type_answer accepted blank", {**TYPE_ANSWER, "accepted": ["  "]}, "accepted.0",
     "must not be blank"),
    ("type_answer accepted only punctuation", {**TYPE_ANSWER, "accepted": ["?!"]}, "accepted",
     "'?!' is only punctuation and spaces"),
    ("type_answer no accepted", {**TYPE_ANSWER, "accepted": []}, "accepted", "at least 1 item"),
    ("type_answer 11 accepted", {**TYPE_ANSWER, "accepted": [str(i) for i in range(11)]},
     "accepted", "at most 10 items"),
    ("type_answer max_length 41", {**TYPE_ANSWER, "max_length": 41}, "max_length",
     "less than or equal to 40"),
    ("type_answer without multiplier",
     {k: v for k, v in TYPE_ANSWER.items() if k != "multiplier"}, "multiplier",
     "Field required"),
    ("ordering 2 items", {**ORDERING, "items": ["a", "b"]}, "items", "at least 3 items"),
    ("ordering 7 items", {**ORDERING, "items": [str(i) for i in range(7)]}, "items",
     "at most 6 items"),
    ("ordering repeated item", {**ORDERING, "items": ["a", "b", "a"]}, "items",
     "items must all differ"),
    ("ordering item too long", {**ORDERING, "items": ["a", "b", "x" * 201]}, "items.2",
     "at most 200 characters"),
    ("true_false missing answer", {k: v for k, v in TRUE_FALSE.items() if k != "answer"},
     "answer", "Field required"),
    ("true_false answer as text", {**TRUE_FALSE, "answer": "true"}, "answer",
     "valid boolean"),
    ("true_false with choices", {**TRUE_FALSE, "choices": CHOICE["choices"]}, "choices",
     "Extra inputs are not permitted"),
    ("info with choices", {**INFO, "choices": CHOICE["choices"]}, "choices",
     "Extra inputs are not permitted"),
    ("word_cloud max_length 0", {**WORD_CLOUD, "max_length": 0}, "max_length",
     "greater than or equal to 1"),
    ("choice without a correct one",
     {**CHOICE, "choices": [{"text": "a", "correct": False}, {"text": "b", "correct": False}]},
     "choices", "at least one choice must be correct"),
    ("choice with a slider field", {**CHOICE, "tolerance": 1}, "tolerance",
     "Extra inputs are not permitted"),
    ("read_time 16", {**SLIDER, "read_time": 16}, "read_time", "less than or equal to 15"),
    ("read_time negative", {**CHOICE, "read_time": -1}, "read_time",
     "greater than or equal to 0"),
    ("read_time as text", {**INFO, "read_time": "2"}, "read_time", "valid integer"),
    ("unknown kind", {**CHOICE, "kind": "quiz"}, "kind",
     "kind must be one of choice, true_false, poll, slider, type_answer, ordering, "
     "word_cloud, info"),
    ("kind not a string", {**CHOICE, "kind": 1}, "kind", "kind must be one of"),
]  # fmt: skip


@pytest.mark.parametrize(("question", "field", "message"), [b[1:] for b in BAD],
                         ids=[b[0] for b in BAD])  # fmt: skip
def test_each_rule_refuses_with_a_400_naming_question_and_field(
    host_client: Client, question: dict[str, Any], field: str, message: str
) -> None:
    # a valid question first: the bad one is questions.1
    r = post(host_client, "/api/quizzes", doc_of(CHOICE, question))
    assert r.status_code == 400, r.content
    body = r.json()
    assert body["error"] == "validation_error"
    assert body["message"].startswith(f"questions.1.{field}: "), body
    assert message in body["message"], body
    assert body["details"][0]["loc"] == ["body", "payload", "questions", "1", *field.split(".")]
    # no union tag in any location
    assert not any(
        part in ("choice", "slider", "poll", "true_false", "info") for d in body["details"]
        for part in d["loc"]
    )  # fmt: skip
    assert not Quiz.objects.exists()


def test_a_question_that_is_not_an_object_is_refused(host_client):
    r = post(host_client, "/api/quizzes", doc_of(CHOICE, "slider"))  # type: ignore[arg-type]
    assert r.status_code == 400
    assert r.json()["message"] == "questions.1: a question must be an object"


def test_slider_grid_is_checked_to_1e_9():
    # 0.1 steps: (0.3 - 0) / 0.1 is 2.9999999999999996 in floating point, on the grid
    ok = {**SLIDER_DECIMAL, "min": 0, "max": 1, "step": 0.1, "answer": 0.3, "tolerance": 0.2}
    q = engine_questions(document_dump(document_parse(doc_of(ok))))[0]
    assert (q.min, q.max, q.step, q.answer, q.tolerance) == (0.0, 1.0, 0.1, 0.3, 0.2)
    # exactly 10,000 steps is allowed, one more is not
    document_parse(doc_of({**SLIDER, "step": 10, "tolerance": 0}))
    with pytest.raises(Exception, match="at most 10000 steps"):
        document_parse(doc_of({**SLIDER, "max": 100010, "step": 10, "tolerance": 0}))
    with pytest.raises(Exception, match="must be on the step grid"):
        document_parse(doc_of({**SLIDER_DECIMAL, "answer": 7.05}))


def test_unscored_kinds_may_leave_the_multiplier_out_and_it_is_0(host_client):
    r = post(host_client, "/api/quizzes", doc_of(POLL, WORD_CLOUD, {**INFO, "multiplier": 0}))
    assert r.status_code == 201
    stored = host_client.get(f"/api/quizzes/{r.json()['id']}").json()
    assert [q["multiplier"] for q in stored["questions"]] == [0, 0, 0]


# --- import / export of the demo quiz -----------------------------------------------


def test_demo_quiz_has_every_kind_and_round_trips_byte_for_byte(host, tmp_path):
    raw = json.loads(DEMO.read_text(encoding="utf-8"))
    document = document_parse(raw)
    assert document.title == "Stadium night"
    kinds = [q.kind for q in document.questions]
    assert set(kinds) == {"choice", "true_false", "poll", "slider", "type_answer", "ordering",
                          "word_cloud", "info"}  # fmt: skip
    assert sum(q.read_time > 0 for q in document.questions) >= 2
    assert all(10 <= q.time_limit <= 20 for q in document.questions)
    out = run("import_quiz", str(DEMO), "--owner", host.username)
    quiz = Quiz.objects.get(owner=host)
    assert out.strip() == f"Imported quiz {quiz.pk}: 'Stadium night' (9 questions)"
    assert run("export_quiz", str(quiz.pk)) == DEMO.read_text(encoding="utf-8")
    slider = next(q for q in engine_questions(raw) if q.kind == "slider")
    assert (slider.min, slider.max, slider.step, slider.answer, slider.tolerance, slider.unit) == (
        0.0, 100000.0, 500.0, 62500.0, 5000.0, "fans",
    )  # fmt: skip


def test_import_names_the_question_and_field(host, tmp_path):
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(doc_of(CHOICE, {**SLIDER, "tolerance": 750})))
    with pytest.raises(Exception, match=r"questions\.1\.tolerance: must be a whole number"):
        run("import_quiz", str(path), "--owner", host.username)


# --- the OpenAPI page -----------------------------------------------------------------


def test_openapi_describes_every_kind(client):
    schemas = client.get("/api/openapi.json").json()["components"]["schemas"]
    for name in ("QuestionDoc", "TrueFalseDoc", "PollDoc", "SliderDoc", "TypeAnswerDoc",
                 "OrderingDoc", "WordCloudDoc", "InfoDoc"):  # fmt: skip
        assert schemas[name]["additionalProperties"] is False, name
        assert "kind" in schemas[name]["properties"], name
    assert schemas["SliderDoc"]["properties"]["read_time"]["maximum"] == 15
    assert schemas["PollDoc"]["properties"]["multiplier"]["const"] == 0
    items = schemas["QuizDocument"]["properties"]["questions"]["items"]
    assert len(items["oneOf"]) == 8
    assert "kind" in schemas["QuestionOut"]["properties"]


# --- the admin ------------------------------------------------------------------------


@pytest.fixture
def staff(host) -> Client:
    from django.contrib.auth.models import Permission

    host.is_staff = True
    host.save()
    host.user_permissions.set(Permission.objects.filter(content_type__app_label="quiz"))
    c = Client()
    c.force_login(host)
    return c


def _admin_form(
    q: Question, kind: str, kind_fields: Any, choices: list[tuple[str, bool]], **over: str
) -> dict[str, str]:
    data = {
        "quiz": str(q.quiz_id), "order": "0", "kind": kind, "text": q.text, "image": "",
        "time_limit": "20", "read_time": "0", "multiplier": "1",
        "kind_fields": json.dumps(kind_fields),
        "choices-TOTAL_FORMS": str(len(choices)), "choices-INITIAL_FORMS": "0",
        "choices-MIN_NUM_FORMS": "0", "choices-MAX_NUM_FORMS": "6",
        **over,
    }  # fmt: skip
    q.choices.all().delete()
    for i, (text, correct) in enumerate(choices):
        data[f"choices-{i}-order"] = str(i)
        data[f"choices-{i}-text"] = text
        if correct:
            data[f"choices-{i}-correct"] = "on"
    return data


def test_admin_edits_every_kind_with_the_document_rules(staff, host_client, quiz_id):
    q = Question.objects.filter(quiz_id=quiz_id).order_by("order").first()
    assert q is not None
    url = f"/admin/quiz/question/{q.pk}/change/"
    slider = {"min": 0, "max": 100, "step": 5, "answer": 40, "tolerance": 10, "unit": "%"}

    def refused(data: dict[str, str], message: str) -> None:
        r = staff.post(url, data)
        assert r.status_code == 200, message
        assert message in r.content.decode(), message

    refused(_admin_form(q, "slider", {**slider, "tolerance": 7}, []),
            "tolerance: must be a whole number of steps")  # fmt: skip
    refused(_admin_form(q, "slider", {**slider, "colour": 1}, []),
            "kind_fields: slider has no field colour")  # fmt: skip
    refused(_admin_form(q, "slider", slider, [("a", True), ("b", False)]),
            "A slider question has no choices: delete them.")  # fmt: skip
    refused(_admin_form(q, "poll", {}, [("a", True), ("b", False)]),
            "A poll has no correct choice")  # fmt: skip
    refused(_admin_form(q, "poll", {}, [("a", False), ("b", False)]),
            "multiplier: must be 0 or left out: a poll gives no points")  # fmt: skip
    refused(_admin_form(q, "true_false", {}, []), "answer: Field required")
    refused(_admin_form(q, "type_answer", {"accepted": ["Wembley Stadium"], "max_length": 5}, []),
            "accepted: &#x27;Wembley Stadium&#x27; is longer than max_length (5)")  # fmt: skip
    refused(_admin_form(q, "info", {}, [], read_time="16", multiplier="0"),
            "Ensure this value is less than or equal to 15")  # fmt: skip

    r = staff.post(url, _admin_form(q, "slider", slider, [], read_time="4"))
    assert r.status_code == 302
    doc = host_client.get(f"/api/quizzes/{quiz_id}").json()
    assert doc["questions"][0] == {
        "kind": "slider", "text": q.text, "time_limit": 20, "read_time": 4, "multiplier": 1,
        "image": None, **slider,
    }  # fmt: skip
    assert document_parse(doc)  # what the admin saved is a valid document
    r = staff.post(url, _admin_form(q, "poll", {}, [("a", False), ("b", False)], multiplier="0"))
    assert r.status_code == 302
    assert host_client.get(f"/api/quizzes/{quiz_id}").json()["questions"][0]["choices"] == [
        {"text": "a"}, {"text": "b"},
    ]  # fmt: skip


# --- the documentation --------------------------------------------------------------


def test_docs_list_every_kind_with_its_fields_and_the_messages_the_code_gives():
    from quiz.documents import KIND_FIELDS

    text = (Path(__file__).resolve().parents[2] / "docs" / "quizzes.md").read_text()
    rows = {
        line.split("|")[1].strip(): line for line in text.splitlines() if line.startswith("| `")
    }
    for kind, fields in KIND_FIELDS.items():
        row = rows[f"`{kind}`"]
        for field in fields:
            assert f"`{field}`" in row, (kind, field)
    prose = " ".join(text.split())
    for _, _, _, message in BAD:
        if message.startswith(("must", "at most 10000", "(max", "items must")):
            assert message in prose, message
