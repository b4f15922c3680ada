"""Issuing: one certificate, one PDF, one mail, however often or concurrently it runs."""

import io

import pytest
from django.core import mail
from pypdf import PdfReader

from certificates import pdf as pdf_module
from certificates import services
from certificates.models import (
    Certificate,
    CertificateEvent,
    CertificateFile,
    CertificateStatus,
    PublicState,
)
from enrollments.models import EnrollmentStatus
from enrollments.signals import course_completed
from tests.factories import completed_enrollment, issued_certificate

pytestmark = pytest.mark.django_db


issue = issued_certificate


def pdf_text(certificate) -> str:
    with certificate.files.first().file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    assert len(reader.pages) == 1
    page = reader.pages[0]
    assert float(page.mediabox.width) > float(page.mediabox.height)  # landscape
    return " ".join(page.extract_text().split())


def test_course_completed_creates_one_pending_certificate_with_an_unguessable_code(enrollment):
    course_completed.send(sender=None, enrollment_id=enrollment.pk)
    course_completed.send(sender=None, enrollment_id=enrollment.pk)
    certificate = Certificate.objects.get()
    assert certificate.status == CertificateStatus.PENDING
    assert len(certificate.code) >= 21  # 128 bits in URL-safe base64
    other = completed_enrollment(enrollment.user.__class__.objects.create_user("b@example.org"),
                                 enrollment.course)  # fmt: skip
    course_completed.send(sender=None, enrollment_id=other.pk)
    codes = list(Certificate.objects.values_list("code", flat=True))
    assert len(set(codes)) == 2
    assert all(set(code) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
               for code in codes)  # fmt: skip


def test_issuing_twice_gives_one_certificate_one_pdf_one_mail(enrollment):
    first = issue(enrollment)
    second = services.issue_certificate(certificate_id=first.pk)
    assert (first.pk, second.status) == (second.pk, CertificateStatus.ISSUED)
    assert Certificate.objects.count() == 1
    assert CertificateFile.objects.count() == 1
    assert len(mail.outbox) == 1
    assert first.code in mail.outbox[0].body
    assert mail.outbox[0].to == ["learner@example.org"]


def test_pdf_holds_name_course_code_credits_and_gcp_statement(enrollment):
    certificate = issue(enrollment)
    text = pdf_text(certificate)
    assert "Jordan A. Learner, CNMT" in text
    assert "ARRT ID 1234567" in text
    assert "Ethics and GCP in Imaging Research" in text
    assert "CTN-101" in text
    assert certificate.code in text
    assert "AMA PRA Category 1 Credit" in text
    assert "E6(R3)" in text
    assert "TransCelerate" in text
    assert certificate.expires_on.strftime("%B") in text
    assert (
        certificate.files.first().sha256
        == __import__("hashlib")
        .sha256(certificate.files.first().file.open("rb").read())
        .hexdigest()
    )


def test_certificate_keeps_what_it_said_when_the_course_changes(enrollment, gcp_course):
    certificate = issue(enrollment)
    gcp_course.title = "Renamed course"
    gcp_course.save_revision().publish()
    credit = gcp_course.credits.first()
    credit.hours = 3
    credit.save()
    enrollment.user.certificate_name = "Someone Else"
    enrollment.user.save()
    certificate.refresh_from_db()
    assert certificate.course_title == "Ethics and GCP in Imaging Research"
    assert certificate.learner_name == "Jordan A. Learner, CNMT"
    assert [c["hours"] for c in certificate.credits] == ["1.5"]  # VOICE: a technologist
    assert [c["hours"] for c in certificate.participation] == ["1.5"]  # AMA PRA: designated


def test_gcp_certificate_expires_after_the_courses_validity(enrollment):
    certificate = issue(enrollment)
    completed = certificate.completed_on
    assert certificate.expires_on == completed.replace(year=completed.year + 3)


def test_a_rendering_failure_ends_in_error_not_an_endless_retry(enrollment, monkeypatch):
    def broken(certificate):
        raise pdf_module.RenderError("font missing")

    monkeypatch.setattr(services, "render_certificate_pdf", broken)
    certificate = issue(enrollment)
    certificate.refresh_from_db()
    assert certificate.status == CertificateStatus.ERROR
    assert "font missing" in certificate.last_error
    assert CertificateFile.objects.count() == 0
    assert mail.outbox == []
    assert CertificateEvent.objects.filter(action="error").count() == 1


def test_reissue_keeps_the_code_adds_a_pdf_and_keeps_the_old_one(enrollment, django_user_model):
    certificate = issue(enrollment)
    old_file = certificate.files.get()
    enrollment.user.certificate_name = "Jordan Alex Learner, CNMT"
    enrollment.user.save()
    admin = django_user_model.objects.create_superuser("admin@example.org", "pw")
    services.reissue_certificate(certificate=certificate, actor=admin, reason="Name corrected")
    certificate.refresh_from_db()
    assert certificate.files.count() == 2
    assert certificate.files.first().pk != old_file.pk
    assert CertificateFile.objects.filter(pk=old_file.pk).exists()
    assert "Jordan Alex Learner, CNMT" in pdf_text(certificate)
    event = certificate.events.get(action="reissued")
    assert (event.actor, event.note) == (admin, "Name corrected")


def test_revoke_needs_a_reason_and_records_who(enrollment, django_user_model):
    certificate = issue(enrollment)
    admin = django_user_model.objects.create_superuser("admin@example.org", "pw")
    with pytest.raises(services.CertificateError):
        services.revoke_certificate(certificate=certificate, actor=admin, reason="  ")
    services.revoke_certificate(certificate=certificate, actor=admin, reason="Misconduct")
    certificate.refresh_from_db()
    assert certificate.status == CertificateStatus.REVOKED
    assert (certificate.revoked_by, certificate.revoke_reason) == (admin, "Misconduct")
    assert certificate.public_state == PublicState.REVOKED


def test_sweep_issues_what_a_lost_signal_left_behind(enrollment):
    assert Certificate.objects.count() == 0
    result = services.sweep()
    assert result["created"] == 1
    certificate = Certificate.objects.get()
    services.issue_certificate(certificate_id=certificate.pk)
    assert services.sweep()["created"] == 0


def test_renewal_archives_the_old_certificate_and_starts_a_new_cycle(enrollment):
    certificate = issue(enrollment)
    with pytest.raises(services.CertificateError, match="Renewal opens"):
        services.renew_enrollment(enrollment=enrollment, user=enrollment.user)
    Certificate.objects.filter(pk=certificate.pk).update(
        expires_on=certificate.completed_on.replace(year=certificate.completed_on.year + 1)
        if False
        else certificate.completed_on
    )
    services.renew_enrollment(enrollment=enrollment, user=enrollment.user)
    enrollment.refresh_from_db()
    certificate.refresh_from_db()
    assert (enrollment.cycle, enrollment.status) == (2, EnrollmentStatus.ACTIVE)
    assert certificate.status == CertificateStatus.ARCHIVED
    assert Certificate.objects.count() == 1  # archived, never deleted
