import pytest


@pytest.mark.django_db
def test_healthz_reports_redis_and_database(client):
    r = client.get("/healthz")
    assert r.status_code == 200
    assert r.json() == {"status": "ok", "redis": "ok", "database": "ok"}
