"""Administrators see the outbox: pending, failed and delivered counts, each row's error."""

import re
import uuid

import pytest
from django.utils import timezone

from tests import factories
from xapi.models import DeliveryStatus, OutboxStatement, StatementKind

pytestmark = pytest.mark.django_db


def _row(status, *, attempts=0, error=""):
    statement_id = uuid.uuid4()
    return OutboxStatement.objects.create(
        statement_id=statement_id,
        kind=StatementKind.ENROLLED,
        statement={"id": str(statement_id)},
        object_id="http://lms.test/ctn/ctn-101/",
        status=status,
        attempts=attempts,
        next_attempt_at=timezone.now(),
        last_error=error,
    )


def _counts(body: str) -> dict[str, str]:
    return dict(re.findall(r'data-count="(\w+)">\s*(\d+)', body))


def test_the_outbox_listing_shows_counts_and_errors(client, settings):
    settings.XAPI_ENDPOINT = "https://lrs.example.org/xAPI/"
    _row(DeliveryStatus.PENDING)
    _row(DeliveryStatus.PENDING)
    _row(DeliveryStatus.FAILED, attempts=3, error="ConnectionError: store down")
    _row(DeliveryStatus.DELIVERED, attempts=1)
    client.force_login(factories.superuser())

    response = client.get("/admin/xapi-outbox/")
    assert response.status_code == 200
    body = response.content.decode()
    assert _counts(body) == {"pending": "2", "failed": "1", "delivered": "1"}
    assert "https://lrs.example.org/xAPI/" in body
    assert "ConnectionError: store down" in body

    failed_only = client.get("/admin/xapi-outbox/", {"status": "failed"}).content.decode()
    assert failed_only.count("ConnectionError: store down") == 1
    assert _counts(failed_only) == {"pending": "2", "failed": "1", "delivered": "1"}  # all rows
    assert client.get("/admin/xapi-outbox/", {"status": "nonsense"}).status_code == 200
    assert client.get("/admin/xapi-outbox/add/").status_code in (302, 403, 404)


def test_the_listing_says_when_no_store_is_configured(client, settings):
    settings.XAPI_ENDPOINT = ""
    client.force_login(factories.superuser())
    body = client.get("/admin/xapi-outbox/").content.decode()
    assert "No learning record store is configured" in body
    assert _counts(body) == {"pending": "0", "failed": "0", "delivered": "0"}


def test_learners_do_not_see_the_outbox(client):
    _row(DeliveryStatus.FAILED, error="ConnectionError: store down")
    client.force_login(factories.UserFactory())
    response = client.get("/admin/xapi-outbox/")
    assert response.status_code in (302, 403)
    assert b"store down" not in response.content
