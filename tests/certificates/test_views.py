"""Verification (public), download (owner and administrators only), transcript, reminders."""

import random
from datetime import timedelta

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from certificates import services
from certificates.models import Certificate, ExpiryReminder
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def certificate(enrollment):
    pending = services.create_pending_certificate(enrollment_id=enrollment.pk)
    return services.issue_certificate(certificate_id=pending.pk)


def test_verification_page_shows_a_valid_certificate(client, certificate):
    response = client.get(certificate.get_absolute_url())
    assert response.status_code == 200
    body = response.content.decode()
    assert "Valid certificate" in body
    assert "Jordan A. Learner, CNMT" in body
    assert "CTN-101" in body
    assert "1.5 VOICE Continuing Education Hours" in body


def test_revoked_certificate_shows_revoked_with_its_date(client, certificate, django_user_model):
    admin = django_user_model.objects.create_superuser("admin@example.org", "pw")
    services.revoke_certificate(certificate=certificate, actor=admin, reason="Issued in error")
    body = client.get(certificate.get_absolute_url()).content.decode()
    assert "Revoked certificate" in body
    assert timezone.localdate().strftime("%B %Y").split()[0] in body


def test_expired_certificate_shows_expired(client, certificate):
    Certificate.objects.filter(pk=certificate.pk).update(
        expires_on=timezone.localdate() - timedelta(days=1)
    )
    body = client.get(certificate.get_absolute_url()).content.decode()
    assert "Expired certificate" in body


@pytest.mark.parametrize(
    "code", ["AAAAAAAAAAAAAAAAAAAAAA", "short", "has spaces in it!!!!!!", "x" * 40]
)
def test_unknown_or_malformed_codes_are_404(client, certificate, code):
    assert client.get(f"/certificates/verify/{code}/").status_code == 404


def test_a_pending_certificate_is_not_verifiable(client, enrollment):
    pending = services.create_pending_certificate(enrollment_id=enrollment.pk)
    assert client.get(pending.get_absolute_url()).status_code == 404


def test_the_issued_pdf_matches_and_a_tampered_one_does_not(client, certificate):
    with certificate.files.first().file.open("rb") as handle:
        original = handle.read()
    url = f"{certificate.get_absolute_url()}pdf/"
    good = client.post(url, {"pdf": SimpleUploadedFile("c.pdf", original, "application/pdf")})
    assert "The PDF matches the certificate we issued." in good.content.decode()
    tampered = original.replace(b"Jordan", b"Jordon", 1)
    if tampered == original:
        tampered = original + b"\n%tampered"
    bad = client.post(url, {"pdf": SimpleUploadedFile("c.pdf", tampered, "application/pdf")})
    assert "The PDF does not match" in bad.content.decode()


def test_a_non_pdf_upload_is_a_form_error(client, certificate):
    response = client.post(
        f"{certificate.get_absolute_url()}pdf/",
        {"pdf": SimpleUploadedFile("c.pdf", b"MZ not a pdf", "application/pdf")},
    )
    assert response.status_code == 400
    assert "That file is not a PDF." in response.content.decode()


def test_verification_is_rate_limited_per_ip(client, certificate, monkeypatch):
    monkeypatch.setattr("infrastructure.ratelimit.time.time", lambda: 1_800_000_000.0)  # one window
    url = certificate.get_absolute_url()
    ip, other_ip = (f"203.0.113.{random.randint(1, 250)}" for _ in range(2))
    statuses = [client.get(url, REMOTE_ADDR=ip).status_code for _ in range(35)]
    assert statuses.count(200) == 30
    assert statuses[-1] == 429
    assert client.get(url, REMOTE_ADDR=f"{other_ip}1"[:15]).status_code == 200


def test_the_owner_downloads_the_pdf(client, certificate, learner):
    client.force_login(learner)
    response = client.get(certificate.get_download_url())
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_another_learner_gets_404_and_anonymous_must_sign_in(client, certificate):
    client.force_login(UserFactory(email="nosy@example.org"))
    assert client.get(certificate.get_download_url()).status_code == 404
    client.logout()
    response = client.get(certificate.get_download_url())
    assert response.status_code == 302
    assert "/accounts/login/" in response.url


def test_an_administrator_can_download(client, certificate, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("admin@example.org", "pw"))
    assert client.get(certificate.get_download_url()).status_code == 200


def test_transcript_lists_certificates_and_credit_totals(client, certificate, learner):
    client.force_login(learner)
    response = client.get("/certificates/transcript/")
    assert response.status_code == 200
    totals = {t["short_name"]: str(t["hours"]) for t in response.context["totals"]}
    assert totals == {"VOICE CEH": "1.5"}  # a technologist: no CME
    csv_response = client.get("/certificates/transcript/", {"format": "csv"})
    text = csv_response.content.decode()
    assert certificate.code in text
    assert "CTN-101" in text


def test_dashboard_links_the_certificate(client, certificate, learner):
    client.force_login(learner)
    body = client.get("/learning/").content.decode()
    assert certificate.get_download_url() in body
    assert certificate.get_absolute_url() in body


def test_expiry_reminders_are_sent_once_each(certificate):
    today = timezone.localdate()
    Certificate.objects.filter(pk=certificate.pk).update(expires_on=today + timedelta(days=85))
    mail.outbox.clear()
    assert services.send_expiry_reminders(today=today) == 1
    assert services.send_expiry_reminders(today=today) == 0
    assert services.send_expiry_reminders(today=today + timedelta(days=1)) == 0
    assert services.send_expiry_reminders(today=today + timedelta(days=56)) == 1  # 29 days left
    assert services.send_expiry_reminders(today=today + timedelta(days=79)) == 1  # 6 days left
    assert services.send_expiry_reminders(today=today + timedelta(days=80)) == 0
    assert sorted(ExpiryReminder.objects.values_list("days_before", flat=True)) == [7, 30, 90]
    assert len(mail.outbox) == 3
    assert "expires in 85 days" in mail.outbox[0].subject


def test_a_revoked_certificate_is_not_served_valid_from_the_page_cache(
    client, certificate, settings, django_user_model, django_capture_on_commit_callbacks
):
    settings.LMS_ANONYMOUS_PAGE_CACHE_SECONDS = 300
    url = certificate.get_absolute_url()
    client.get(url)
    assert client.get(url)["X-Page-Cache"] == "hit"
    admin = django_user_model.objects.create_superuser("revoker@example.org", "pw")
    with django_capture_on_commit_callbacks(execute=True):
        services.revoke_certificate(certificate=certificate, actor=admin, reason="Error")
    response = client.get(url)
    assert b"Revoked certificate" in response.content
