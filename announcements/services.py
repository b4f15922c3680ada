"""Queueing an announcement and mailing it in batches, resumable after a failure."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from announcements import selectors
from announcements.models import Announcement, AnnouncementStatus
from courses.models import CoursePage

logger = logging.getLogger(__name__)

ERROR_LENGTH = 500


class AnnouncementRefused(Exception):
    """The sender may not mail this course."""


@dataclass(frozen=True)
class RenderedMail:
    subject: str
    body: str


def profile_settings_url() -> str:
    return f"{settings.SITE_URL}{reverse('profile')}#announcements"


def render_announcement(*, course: CoursePage, subject: str, body: str) -> RenderedMail:
    """The mail every recipient gets (plain text: nothing the sender types is HTML)."""
    context = {
        "course": course,
        "body": body,
        "settings_url": profile_settings_url(),
        "course_url": course.get_full_url() or "",
    }
    return RenderedMail(
        subject=f"[{course.code}] {subject}",
        body=render_to_string("announcements/email/announcement.txt", context),
    )


def queue_announcement(
    *, sender: User, course: CoursePage, subject: str, body: str
) -> Announcement:
    """Record the announcement and hand it to the worker once this transaction commits.

    The sender must be allowed to mail the course (an instructor: their own programs only),
    whatever the request said; the recipient count is taken now.
    """
    from announcements.tasks import send_announcement as send_task

    if not selectors.may_announce(sender, course):
        raise AnnouncementRefused(_("You may not send announcements to this course."))
    announcement = Announcement.objects.create(
        sender=sender,
        course=course,
        subject=subject,
        body=body,
        recipient_count=selectors.recipients(course).count(),
    )
    send_task.delay_on_commit(announcement.pk)
    return announcement


def send_announcement(*, announcement_id: int, batch_size: int | None = None) -> Announcement:
    """Mail the course's recipients in batches (``LMS_ANNOUNCEMENT_BATCH_SIZE``), one connection
    each.

    Each batch runs with the announcement's row locked and moves its cursor (the last user id
    mailed) in the same transaction, so two workers never mail the same batch and a retry
    resumes where the last finished batch ended. Recipients are read per batch: someone who
    turns announcements off while it is sending gets no more of it. A finished announcement
    does nothing.
    """
    size = batch_size or settings.LMS_ANNOUNCEMENT_BATCH_SIZE
    while True:
        with transaction.atomic():
            announcement = (
                Announcement.objects.select_for_update()
                .select_related("course")
                .get(pk=announcement_id)
            )
            if announcement.status in (AnnouncementStatus.SENT, AnnouncementStatus.FAILED):
                return announcement
            batch = list(
                selectors.recipients(announcement.course)
                .filter(pk__gt=announcement.last_user_id)
                .only("pk", "email")[:size]
            )
            if not batch:
                announcement.status = AnnouncementStatus.SENT
                announcement.finished_at = timezone.now()
                announcement.save(update_fields=["status", "finished_at"])
                return announcement
            mail = render_announcement(
                course=announcement.course, subject=announcement.subject, body=announcement.body
            )
            messages = [
                EmailMessage(subject=mail.subject, body=mail.body, to=[user.email])
                for user in batch
            ]
            sent = get_connection().send_messages(messages) or 0
            announcement.sent_count += sent
            announcement.last_user_id = batch[-1].pk
            announcement.status = AnnouncementStatus.SENDING
            announcement.save(update_fields=["sent_count", "last_user_id", "status"])


def fail_announcement(*, announcement_id: int, error: BaseException) -> None:
    """Mark an unfinished announcement failed with a reason (once Celery has given up)."""
    logger.error("announcement %s failed: %r", announcement_id, error)
    Announcement.objects.filter(
        pk=announcement_id, status__in=[AnnouncementStatus.QUEUED, AnnouncementStatus.SENDING]
    ).update(
        status=AnnouncementStatus.FAILED,
        error=(_("Sending stopped (%(error)s).") % {"error": type(error).__name__})[:ERROR_LENGTH],
        finished_at=timezone.now(),
    )
