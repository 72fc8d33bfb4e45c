"""Branding over HTTP (docs/quizzes.md, "Branding"): the accent and logo
URL, uploaded logos checked by their bytes and served by their hash, the
quiz document carrying the brand, and a game's snapshot of it in
PostgreSQL, Redis (GET /api/games/<pin>) and the final podium endpoint."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from quiz.brand import BrandError, image_check
from quiz.models import Game, Logo
from testkit.images import gif_header, jpeg_header, png, webp_header

from .conftest import post

pytestmark = pytest.mark.django_db


def put(c: Any, path: str, data: Any) -> Any:
    return c.put(path, data, content_type="application/json")


def upload(c: Any, quiz_id: int, data: bytes, name: str = "logo.png", ctype: str = "image/png"):
    f = SimpleUploadedFile(name, data, content_type=ctype)
    return c.post(f"/api/quizzes/{quiz_id}/logo", {"file": f})


def test_a_png_upload_is_served_by_its_hash_with_its_type(host_client, anon, quiz_id):
    data = png(120, 40)
    r = upload(host_client, quiz_id, data)
    assert r.status_code == 200, r.content
    body = r.json()
    digest = hashlib.sha256(data).hexdigest()
    assert body["uploaded"] == {
        "url": f"/api/logos/{digest}.png", "content_type": "image/png",
        "width": 120, "height": 40, "bytes": len(data),
    }  # fmt: skip
    assert body["logo"] == f"/api/logos/{digest}.png" and body["logo_url"] is None
    got = anon.get(body["logo"])  # anyone: phones and screens load it
    assert got.status_code == 200
    assert got["Content-Type"] == "image/png"
    assert got["X-Content-Type-Options"] == "nosniff"
    assert got["ETag"] == f'"{digest}"'
    assert "immutable" in got["Cache-Control"] and "max-age=31536000" in got["Cache-Control"]
    assert got.content == data
    again = anon.get(body["logo"], HTTP_IF_NONE_MATCH=f'"{digest}"')
    assert again.status_code == 304 and again.content == b""
    assert anon.get(f"/api/logos/{'0' * 64}.png").json()["error"] == "not_found"
    assert anon.get(f"/api/logos/{digest}.gif").status_code == 404  # its own extension only
    # the same image again is the same row
    assert upload(host_client, quiz_id, data).status_code == 200
    assert Logo.objects.count() == 1


def test_a_text_file_named_png_is_refused(host_client, quiz_id):
    r = upload(host_client, quiz_id, b"hello, I am text\n" * 10, "logo.png", "image/png")
    assert r.status_code == 415
    assert r.json()["error"] == "logo_type"
    assert "PNG, JPEG, WebP or GIF" in r.json()["message"]
    assert Logo.objects.count() == 0


def test_svg_is_refused_whatever_it_claims(host_client, quiz_id):
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    for name, ctype in (("logo.svg", "image/svg+xml"), ("logo.png", "image/png")):
        r = upload(host_client, quiz_id, svg, name, ctype)
        assert r.status_code == 415 and r.json()["error"] == "logo_type"


def test_a_300_kib_logo_is_refused(host_client, quiz_id):
    big = png(10, 10, pad=300 * 1024)
    r = upload(host_client, quiz_id, big)
    assert r.status_code == 413
    assert r.json() == {
        "error": "logo_too_large",
        "message": f"a logo is at most 256 KiB (this one is {len(big) // 1024} KiB)",
    }
    assert Logo.objects.count() == 0


def test_image_sizes_are_read_from_each_format_header():
    assert (image_check(png(7, 3)).width, image_check(png(7, 3)).height) == (7, 3)
    assert image_check(gif_header(300, 200)).content_type == "image/gif"
    assert (image_check(gif_header(300, 200)).width, image_check(gif_header(300, 200)).height) == (
        300, 200,
    )  # fmt: skip
    j = image_check(jpeg_header(640, 480))
    assert (j.content_type, j.width, j.height) == ("image/jpeg", 640, 480)
    w = image_check(webp_header(1000, 2048))
    assert (w.content_type, w.ext, w.width, w.height) == ("image/webp", "webp", 1000, 2048)
    with pytest.raises(BrandError) as e:
        image_check(png(2049, 1))
    assert e.value.code == "logo_dimensions" and "2049×1" in e.value.message
    with pytest.raises(BrandError) as e:
        image_check(jpeg_header(100, 5000))
    assert e.value.code == "logo_dimensions"
    with pytest.raises(BrandError) as e:
        image_check(b"\x89PNG\r\n\x1a\n")  # a signature and nothing else
    assert e.value.code == "logo_dimensions"


def test_too_many_pixels_is_a_clear_400(host_client, quiz_id):
    r = upload(host_client, quiz_id, png(4000, 1))
    assert r.status_code == 400
    assert r.json()["error"] == "logo_dimensions"
    assert r.json()["message"] == "a logo is at most 2048×2048 pixels (this one is 4000×1)"


def test_accent_and_https_logo_url(host_client, quiz_id):
    r = put(host_client, f"/api/quizzes/{quiz_id}/brand",
            {"accent": "#E53935", "logo_url": "https://example.com/club.png"})  # fmt: skip
    assert r.status_code == 200, r.content
    assert r.json() == {
        "accent": "#e53935", "logo_url": "https://example.com/club.png",
        "logo": "https://example.com/club.png", "uploaded": None,
    }  # fmt: skip
    # a field left out stays; null clears it
    r = put(host_client, f"/api/quizzes/{quiz_id}/brand", {"accent": None})
    assert r.json()["accent"] is None and r.json()["logo_url"] == "https://example.com/club.png"
    assert host_client.get(f"/api/quizzes/{quiz_id}/brand").json()["accent"] is None


@pytest.mark.parametrize(
    "url",
    [
        "http://example.com/club.png",
        "javascript:alert(1)",
        "data:image/png;base64,AAAA",
        "https://",
        "https://exa mple.com/x.png",
        "//example.com/x.png",
        "https://example.com/" + "x" * 500,
    ],
)
def test_logo_urls_that_are_not_https_are_refused(host_client, quiz_id, url):
    r = put(host_client, f"/api/quizzes/{quiz_id}/brand", {"logo_url": url})
    assert r.status_code == 400
    assert r.json() == {
        "error": "bad_logo_url",
        "message": "the logo URL must be an https:// address of an image",
    }


@pytest.mark.parametrize(
    "accent", ["red", "#fff", "#12345g", "1e88e5", "#1e88e5 ", "#1e88e5\n", ""]
)
def test_bad_accents_are_refused(host_client, quiz_id, accent):
    r = put(host_client, f"/api/quizzes/{quiz_id}/brand", {"accent": accent})
    assert r.status_code == 400
    assert r.json()["error"] == "bad_accent"
    assert "#RRGGBB" in r.json()["message"]


def test_an_upload_and_a_url_replace_each_other_and_delete_removes_both(host_client, quiz_id):
    up = upload(host_client, quiz_id, png(4, 4)).json()
    r = put(host_client, f"/api/quizzes/{quiz_id}/brand", {"logo_url": "https://example.com/a.png"})
    assert r.json()["uploaded"] is None and r.json()["logo"] == "https://example.com/a.png"
    r = upload(host_client, quiz_id, png(4, 4))
    assert r.json()["logo_url"] is None and r.json()["logo"] == up["logo"]
    r = host_client.delete(f"/api/quizzes/{quiz_id}/logo")
    assert r.status_code == 200
    assert r.json() == {"accent": None, "logo_url": None, "logo": None, "uploaded": None}


def test_another_host_can_neither_see_nor_change_the_brand(other_client, anon, quiz_id):
    """Another host's quiz is "not found", as for every quiz endpoint (ids
    do not tell which quizzes exist); anonymous callers are 401."""
    r = upload(other_client, quiz_id, png(4, 4))
    assert r.status_code == 404 and r.json()["error"] == "not_found"
    r = put(other_client, f"/api/quizzes/{quiz_id}/brand", {"accent": "#000000"})
    assert r.status_code == 404
    assert other_client.delete(f"/api/quizzes/{quiz_id}/logo").status_code == 404
    assert other_client.get(f"/api/quizzes/{quiz_id}/brand").status_code == 404
    assert upload(anon, quiz_id, png(4, 4)).status_code == 401
    assert Logo.objects.count() == 0


def test_an_upload_needs_the_csrf_token(host, quiz_id):
    from django.test import Client

    c = Client(enforce_csrf_checks=True)
    c.force_login(host)
    r = upload(c, quiz_id, png(4, 4))
    assert r.status_code == 403 and r.json()["error"] == "forbidden"


def test_the_document_carries_accent_and_logo_url(host_client, doc):
    doc = {"title": doc["title"], "accent": "#00AA55", "logo_url": "https://example.com/l.png",
           "questions": doc["questions"]}  # fmt: skip
    r = post(host_client, "/api/quizzes", doc)
    assert r.status_code == 201, r.content
    qid = r.json()["id"]
    out = host_client.get(f"/api/quizzes/{qid}").json()
    assert out["accent"] == "#00aa55" and out["logo_url"] == "https://example.com/l.png"
    # a document without them (the editor's Save) keeps the brand
    r = put(host_client, f"/api/quizzes/{qid}", {"title": "T", "questions": doc["questions"]})
    assert r.status_code == 200
    assert host_client.get(f"/api/quizzes/{qid}/brand").json()["accent"] == "#00aa55"
    # null clears
    r = put(host_client, f"/api/quizzes/{qid}",
            {"title": "T", "accent": None, "logo_url": None, "questions": doc["questions"]})  # fmt: skip
    out = host_client.get(f"/api/quizzes/{qid}").json()
    assert "accent" not in out and "logo_url" not in out
    bad = post(host_client, "/api/quizzes", {**doc, "logo_url": "http://example.com/l.png"})
    assert bad.status_code == 400
    assert bad.json()["message"] == "logo_url: the logo URL must be an https:// address of an image"
    bad = post(host_client, "/api/quizzes", {**doc, "accent": "blue"})
    assert bad.json()["message"].startswith("accent: the accent must be a colour written #RRGGBB")


def test_a_game_snapshots_the_brand(host_client, anon, quiz_id, open_game):
    put(host_client, f"/api/quizzes/{quiz_id}/brand", {"accent": "#1E88E5"})
    logo = upload(host_client, quiz_id, png(64, 64)).json()["logo"]
    g = open_game()
    assert g["brand"] == {"accent": "#1e88e5", "logo": logo}
    row = Game.objects.get(key=g["game"])
    assert (row.accent, row.logo) == ("#1e88e5", logo)
    public = anon.get(f"/api/games/{g['pin']}").json()
    assert public["brand"] == {"accent": "#1e88e5", "logo": logo}
    # the quiz changes later: the open game keeps the brand it opened with
    host_client.delete(f"/api/quizzes/{quiz_id}/logo")
    put(host_client, f"/api/quizzes/{quiz_id}/brand", {"accent": "#000000"})
    assert anon.get(f"/api/games/{g['pin']}").json()["brand"] == {"accent": "#1e88e5", "logo": logo}
    assert anon.get(logo).status_code == 200  # its image is still served
    # a quiz without a brand: nulls
    put(host_client, f"/api/quizzes/{quiz_id}/brand", {"accent": None})
    plain = open_game()
    assert plain["brand"] == {"accent": None, "logo": None}
    assert anon.get(f"/api/games/{plain['pin']}").json()["brand"] == {"accent": None, "logo": None}


def test_the_screens_final_needs_its_token_and_the_save(anon, open_game):
    g = open_game()
    assert anon.get(f"/api/games/{g['pin']}/final").status_code == 401
    auth = {"HTTP_AUTHORIZATION": f"Screen {g['screen_token']}"}
    r = anon.get(f"/api/games/{g['pin']}/final", **auth)
    assert r.status_code == 409 and r.json()["error"] == "not_saved"
    r = anon.get(f"/api/games/{g['pin']}/final", HTTP_AUTHORIZATION="Screen nope")
    assert r.status_code == 404 and r.json()["error"] == "not_found"


def test_a_logo_is_read_from_postgresql_once_per_process(
    host_client, anon, quiz_id, django_assert_num_queries
):
    """A stadium's phones all load the logo as the game opens: after the
    first, the process serves it from memory (its name is its hash, so it
    never changes)."""
    url = upload(host_client, quiz_id, png(30, 30, (1, 2, 3))).json()["logo"]
    assert anon.get(url).status_code == 200
    with django_assert_num_queries(0):
        for _ in range(5):
            r = anon.get(url)
            assert r.status_code == 200 and r["Content-Type"] == "image/png"
