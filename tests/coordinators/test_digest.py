"""The monthly digest: each coordinator, once a month, the people whose certificates expire
within the horizon (certificates.constants.EXPIRY_HORIZON_DAYS)."""

import datetime
import smtplib

import pytest

from certificates.constants import EXPIRY_HORIZON_DAYS
from certificates.models import CertificateStatus
from coordinators import services
from coordinators.models import CoordinatorDigest, DigestStatus
from infrastructure.tasks import PartialFailure
from tests import factories
from tests.coordinators.conftest import certify

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 7, 1)
DAY = datetime.timedelta(days=1)


@pytest.fixture
def expiring(catalog, sites):
    riverside, lakeside = sites["riverside"], sites["lakeside"]
    soon = factories.member(riverside, email="soon@riverside.example", full_name="Sam Soon")
    certify(soon, catalog["gcp"], completed_on=TODAY - 700 * DAY, expires_on=TODAY + 10 * DAY)
    edge = factories.member(riverside, email="edge@riverside.example", full_name="Eddie Edge")
    certify(edge, catalog["rdrc"], completed_on=TODAY - 700 * DAY,
            expires_on=TODAY + EXPIRY_HORIZON_DAYS * DAY)  # fmt: skip
    later = factories.member(riverside, email="later@riverside.example", full_name="Lou Later")
    certify(later, catalog["gcp"], completed_on=TODAY - 600 * DAY,
            expires_on=TODAY + (EXPIRY_HORIZON_DAYS + 1) * DAY)  # fmt: skip
    gone = factories.member(riverside, email="gone@riverside.example", full_name="Gail Gone")
    certify(gone, catalog["gcp"], completed_on=TODAY - 900 * DAY, expires_on=TODAY - DAY)
    revoked = factories.member(riverside, email="revoked@riverside.example")
    certify(revoked, catalog["gcp"], completed_on=TODAY - 100 * DAY, expires_on=TODAY + 5 * DAY,
            status=CertificateStatus.REVOKED)  # fmt: skip
    other = factories.member(lakeside, email="other@lakeside.example", full_name="Olga Other")
    certify(other, catalog["gcp"], completed_on=TODAY - 700 * DAY, expires_on=TODAY + 20 * DAY)
    return sites


def test_each_coordinator_gets_their_own_people_expiring_within_the_horizon(expiring, mailoutbox):
    assert services.send_monthly_digests(today=TODAY) == 2

    by_recipient = {m.to[0]: m for m in mailoutbox}
    riverside = by_recipient["boss@riverside.example"]
    assert riverside.subject == (
        "Riverside Imaging Research Center: 2 certificates expire in the next 90 days"
    )
    lines = [line for line in riverside.body.splitlines() if line.startswith("- ")]
    assert lines == [
        "- Sam Soon <soon@riverside.example>: CTN-101, expires on 2026-07-11 (in 10 days)",
        "- Eddie Edge <edge@riverside.example>: CTN-102, expires on 2026-09-29 (in 90 days)",
    ]
    assert f"/site/{expiring['riverside'].pk}/" in riverside.body
    lakeside = by_recipient["boss@lakeside.example"]
    assert "Olga Other" in lakeside.body and "Sam Soon" not in lakeside.body
    assert lakeside.subject.endswith("1 certificate expires in the next 90 days")


def test_a_month_is_mailed_once_and_the_next_month_again(expiring, mailoutbox):
    services.send_monthly_digests(today=TODAY)
    assert services.send_monthly_digests(today=TODAY + 20 * DAY) == 0
    assert len(mailoutbox) == 2
    # August: Lakeside's one certificate has expired; Riverside's next ones come into the horizon.
    assert services.send_monthly_digests(today=TODAY.replace(month=8)) == 1
    assert "Lou Later" in mailoutbox[-1].body and "Sam Soon" not in mailoutbox[-1].body
    assert CoordinatorDigest.objects.filter(status=DigestStatus.SENT).count() == 3


def test_nothing_expiring_sends_nothing(catalog, sites, mailoutbox):
    assert services.send_monthly_digests(today=TODAY) == 0
    assert mailoutbox == []


def test_a_failed_mail_is_recorded_and_retried(expiring, mailoutbox, monkeypatch):
    real = services.send_mail

    def refuse_riverside(subject, body, sender, recipients):
        if recipients == ["boss@riverside.example"]:
            raise smtplib.SMTPServerDisconnected("down")
        return real(subject, body, sender, recipients)

    monkeypatch.setattr(services, "send_mail", refuse_riverside)
    with pytest.raises(PartialFailure, match="1 coordinator digest"):
        services.send_monthly_digests(today=TODAY)
    failed = CoordinatorDigest.objects.get(status=DigestStatus.FAILED)
    assert failed.user.email == "boss@riverside.example"
    assert "SMTPServerDisconnected" in failed.last_error
    monkeypatch.setattr(services, "send_mail", real)

    assert services.send_monthly_digests(today=TODAY + DAY) == 1
    assert [m.to for m in mailoutbox] == [["boss@lakeside.example"], ["boss@riverside.example"]]
