"""A database that cannot be reached is a 503 with Retry-After; any other error stays a 500."""

import pytest
from django.db import OperationalError

from enrollments import selectors
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(client):
    client.raise_request_exception = False
    return client


def test_a_database_outage_is_503_with_retry_after(client, monkeypatch):
    client.force_login(UserFactory())

    def database_down(user):
        raise OperationalError("connection failed: Connection refused")

    monkeypatch.setattr(selectors, "learner_dashboard", database_down)
    response = client.get("/learning/")
    assert response.status_code == 503
    assert response["Retry-After"] == "10"


def test_any_other_error_is_still_500(client, monkeypatch):
    client.force_login(UserFactory())

    def broken(user):
        raise RuntimeError("a bug")

    monkeypatch.setattr(selectors, "learner_dashboard", broken)
    assert client.get("/learning/").status_code == 500


def test_a_deadlock_is_still_500(client, monkeypatch):
    import psycopg.errors

    client.force_login(UserFactory())

    def deadlock(user):
        try:
            raise psycopg.errors.DeadlockDetected("deadlock detected")
        except psycopg.errors.DeadlockDetected as cause:
            raise OperationalError("deadlock detected") from cause

    monkeypatch.setattr(selectors, "learner_dashboard", deadlock)
    assert client.get("/learning/").status_code == 500
