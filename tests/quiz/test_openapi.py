"""The OpenAPI page and schema list every endpoint with its schemas."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db

ENDPOINTS = {
    ("post", "/api/auth/login"): ("LoginIn", "HostOut"),
    ("post", "/api/auth/logout"): ("EmptyIn", "OkOut"),
    ("get", "/api/auth/csrf"): (None, "CsrfOut"),
    ("get", "/api/auth/me"): (None, "HostOut"),
    ("get", "/api/quizzes"): (None, "QuizOut"),
    ("post", "/api/quizzes"): ("QuizDocument", "QuizOut"),
    ("get", "/api/quizzes/{quiz_id}"): (None, "QuizDocumentOut"),
    ("put", "/api/quizzes/{quiz_id}"): ("QuizDocument", "QuizOut"),
    ("delete", "/api/quizzes/{quiz_id}"): (None, None),
    ("get", "/api/games"): (None, "GamesListOut"),
    ("post", "/api/games"): ("GameOpenIn", "GameOpenOut"),
    ("get", "/api/games/{pin}"): (None, "GamePublicOut"),
    ("post", "/api/games/{pin}/players"): ("JoinIn", "JoinOut"),
    ("get", "/api/games/{pin}/players/me"): (None, "PlayerFinalOut"),
    ("get", "/api/games/{pin}/host-key"): (None, "HostKeyOut"),
    ("get", "/api/games/{pin}/name"): (None, "NameOut"),
    ("get", "/api/games/{pin}/results"): (None, "ResultsOut"),
    ("get", "/api/games/{pin}/webhooks"): (None, "WebhookLogOut"),
    ("get", "/api/games/{pin}/report"): (None, "ReportOut"),
    ("get", "/api/games/{pin}/live"): (None, "LiveOut"),
    ("get", "/api/games/{pin}/final"): (None, "ScreenFinalOut"),
    ("get", "/api/quizzes/{quiz_id}/brand"): (None, "BrandOut"),
    ("put", "/api/quizzes/{quiz_id}/brand"): ("BrandIn", "BrandOut"),
    ("post", "/api/quizzes/{quiz_id}/logo"): (None, "BrandOut"),
    ("delete", "/api/quizzes/{quiz_id}/logo"): (None, "BrandOut"),
    ("get", "/api/logos/{name}"): (None, None),
    ("get", "/api/webhook"): (None, "WebhookOut"),
    ("put", "/api/webhook"): ("WebhookIn", "WebhookOut"),
    ("delete", "/api/webhook"): (None, None),
}


def test_docs_page_answers(client):
    r = client.get("/api/docs")
    assert r.status_code == 200
    assert b"openapi.json" in r.content


def test_docs_page_needs_no_internet(client):
    """Swagger UI from the server's own static files (ninja ships them), no
    CDN: /api/docs renders on a machine without internet."""
    page = client.get("/api/docs").content.decode()
    assert "cdn" not in page.lower() and "https://" not in page, page
    for path in ("/static/ninja/swagger-ui-bundle.js", "/static/ninja/swagger-ui.css"):
        assert f'"{path}"' in page
        r = client.get(path)
        assert r.status_code == 200, path
        assert len(b"".join(r.streaming_content) if r.streaming else r.content) > 10_000
    assert '"validatorUrl": null' in page  # no badge fetched from swagger.io


def test_schema_lists_every_endpoint_with_its_schemas(client):
    r = client.get("/api/openapi.json")
    assert r.status_code == 200
    spec = r.json()
    paths = spec["paths"]
    listed = {(m, p) for p, ops in paths.items() for m in ops}
    assert listed == set(ENDPOINTS)
    for (method, path), (request, response) in ENDPOINTS.items():
        op = paths[path][method]
        text = str(op)
        if request:
            assert f"#/components/schemas/{request}" in str(op["requestBody"]), (method, path)
        if response:
            assert f"#/components/schemas/{response}" in text, (method, path)
        # every endpoint that can refuse documents its errors with the error schema
        if path != "/api/auth/csrf":
            assert "#/components/schemas/ErrorOut" in text, (method, path)
    schemas = spec["components"]["schemas"]
    question = schemas["QuestionDoc"]
    assert question["additionalProperties"] is False
    assert question["properties"]["time_limit"]["minimum"] == 5
    assert question["properties"]["multiplier"]["enum"] == [0, 1, 2]
    assert question["properties"]["choices"]["maxItems"] == 6
    assert set(schemas["ErrorOut"]["properties"]) == {"error", "message"}
    assert "format" in str(paths["/api/games/{pin}/results"]["get"]["parameters"])
