"""Expiry reminders: recorded sent only once the mail went out; a failure is retried and shown."""

import smtplib
from datetime import timedelta

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.utils import timezone

from certificates import services, tasks
from certificates.constants import REMINDER_MAX_ATTEMPTS
from certificates.models import (
    Certificate,
    CertificateEvent,
    CertificateStatus,
    ExpiryReminder,
    ReminderStatus,
)
from infrastructure.tasks import PartialFailure
from tests.accounts.factories import UserFactory
from tests.certificates.conftest import completed_enrollment
from tests.courses import factories

pytestmark = pytest.mark.django_db

FAILING_BACKEND = "tests.certificates.test_reminders.FailingEmailBackend"
FAILING_FOR_ONE = "tests.certificates.test_reminders.FailingForOneBackend"


class FailingEmailBackend(BaseEmailBackend):
    """A mail server that refuses everything."""

    def send_messages(self, email_messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


class FailingForOneBackend(LocmemBackend):
    """Delivers, except to one address (a full mailbox)."""

    def send_messages(self, messages):
        if any("bounce@example.org" in m.to for m in messages):
            raise smtplib.SMTPRecipientsRefused({"bounce@example.org": (552, b"Mailbox full")})
        return super().send_messages(messages)


def expiring_certificate(course, email, days=85):
    enrollment = completed_enrollment(UserFactory(email=email), course)
    return Certificate.objects.create(
        enrollment=enrollment, status=CertificateStatus.ISSUED, course_code=course.code,
        learner_name=email, completed_on=timezone.localdate(), issued_at=timezone.now(),
        expires_on=timezone.localdate() + timedelta(days=days),
    )  # fmt: skip


@pytest.fixture
def course(db):
    return factories.course(factories.program("ctn"), "CTN-101", certificate_validity_months=36)


def test_a_reminder_whose_mail_fails_is_not_recorded_sent_and_goes_out_on_the_next_run(
    settings, course
):
    certificate = expiring_certificate(course, "learner@example.org")
    settings.EMAIL_BACKEND = FAILING_BACKEND

    with pytest.raises(PartialFailure):
        services.send_expiry_reminders()

    reminder = ExpiryReminder.objects.get()
    assert (reminder.status, reminder.sent_at, reminder.attempts) == (
        ReminderStatus.FAILED,
        None,
        1,
    )
    assert "Connection unexpectedly closed" in reminder.last_error
    assert not CertificateEvent.objects.filter(action__startswith="reminder").exists()

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox.clear()
    assert services.send_expiry_reminders() == 1
    reminder.refresh_from_db()
    assert (reminder.status, reminder.attempts, reminder.last_error) == (ReminderStatus.SENT, 2, "")
    assert reminder.sent_at is not None
    assert [m.to for m in mail.outbox] == [["learner@example.org"]]
    assert services.send_expiry_reminders() == 0  # sent once, never again
    assert (
        CertificateEvent.objects.filter(certificate=certificate, action="reminder_90").count() == 1
    )


def test_one_failed_mail_does_not_stop_the_others(settings, course):
    expiring_certificate(course, "bounce@example.org")
    expiring_certificate(course, "ok@example.org")
    settings.EMAIL_BACKEND = FAILING_FOR_ONE
    mail.outbox.clear()

    with pytest.raises(PartialFailure, match="1 expiry reminder"):
        services.send_expiry_reminders()

    statuses = dict(
        ExpiryReminder.objects.values_list("certificate__enrollment__user__email", "status")
    )
    assert statuses == {"bounce@example.org": "failed", "ok@example.org": "sent"}
    assert [m.to for m in mail.outbox] == [["ok@example.org"]]


def test_a_reminder_is_given_up_after_its_attempts(settings, course):
    expiring_certificate(course, "learner@example.org")
    settings.EMAIL_BACKEND = FAILING_BACKEND
    for _ in range(REMINDER_MAX_ATTEMPTS):
        with pytest.raises(PartialFailure):
            services.send_expiry_reminders()

    assert services.send_expiry_reminders() == 0  # no more tries, and no new failure
    reminder = ExpiryReminder.objects.get()
    assert (reminder.status, reminder.attempts) == ("failed", REMINDER_MAX_ATTEMPTS)


def test_the_periodic_task_retries_with_backoff_when_a_mail_fails(settings, course):
    expiring_certificate(course, "learner@example.org")
    settings.EMAIL_BACKEND = FAILING_BACKEND

    result = tasks.send_expiry_reminders.apply()  # eager: the retries run at once

    assert result.state == "FAILURE"
    retries = tasks.send_expiry_reminders.max_retries
    assert ExpiryReminder.objects.get().attempts == 1 + retries
    assert tasks.send_expiry_reminders.retry_backoff == 60
    assert tasks.sweep_certificates.autoretry_for == tasks.send_expiry_reminders.autoretry_for


def test_the_sweep_leaves_a_failed_certificate_mail_unsent_with_its_error(settings, course):
    certificate = expiring_certificate(course, "learner@example.org", days=700)
    Certificate.objects.filter(pk=certificate.pk).update(
        issued_at=timezone.now() - timedelta(hours=1)
    )
    settings.EMAIL_BACKEND = FAILING_BACKEND

    with pytest.raises(PartialFailure):
        services.sweep()

    certificate.refresh_from_db()
    assert certificate.emailed_at is None
    assert certificate.last_error.startswith("Mail not sent: SMTPServerDisconnected")
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert services.sweep()["mailed"] == 1
    certificate.refresh_from_db()
    assert (certificate.emailed_at is not None, certificate.last_error) == (True, "")


def test_administrators_see_failed_reminders_with_their_error(client, settings, course):
    expiring_certificate(course, "learner@example.org")
    settings.EMAIL_BACKEND = FAILING_BACKEND
    with pytest.raises(PartialFailure):
        services.send_expiry_reminders()
    client.force_login(UserFactory(email="admin@example.org", is_staff=True, is_superuser=True))

    response = client.get("/admin/expiry-reminders/", {"status": "failed"})

    assert response.status_code == 200
    body = response.content.decode()
    assert "Connection unexpectedly closed" in body
    assert "Failed" in body
    assert client.get("/admin/expiry-reminders/add/").status_code in (302, 403, 404)


def test_a_reminder_left_sending_by_a_dead_worker_is_taken_again_later(course):
    certificate = expiring_certificate(course, "learner@example.org")
    reminder = ExpiryReminder.objects.create(
        certificate=certificate, days_before=90, status=ReminderStatus.SENDING, attempts=1,
        last_attempt_at=timezone.now() - timedelta(minutes=5),
    )  # fmt: skip
    mail.outbox.clear()

    assert services.send_expiry_reminders() == 0  # another run may still be sending it

    ExpiryReminder.objects.filter(pk=reminder.pk).update(
        last_attempt_at=timezone.now() - timedelta(hours=1)
    )
    assert services.send_expiry_reminders() == 1
    reminder.refresh_from_db()
    assert (reminder.status, reminder.attempts, len(mail.outbox)) == ("sent", 2, 1)
