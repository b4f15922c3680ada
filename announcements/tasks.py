from typing import Any

from celery import shared_task
from celery.contrib.django.task import DjangoTask
from django.db import InterfaceError, OperationalError

from announcements import services


class AnnouncementTask(DjangoTask):
    """An announcement that fails for good is marked failed (with what was sent so far)."""

    def on_failure(
        self,
        exc: BaseException,
        task_id: str,
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
        einfo: Any,
    ) -> None:
        announcement_id = kwargs.get("announcement_id", args[0] if args else None)
        if announcement_id is not None:
            services.fail_announcement(announcement_id=announcement_id, error=exc)


@shared_task(
    base=AnnouncementTask,
    name="announcements.send_announcement",
    ignore_result=True,
    # SMTP and database hiccups: the retry resumes after the last batch sent.
    autoretry_for=(OperationalError, InterfaceError, OSError),
    retry_backoff=10,
    retry_backoff_max=600,
    max_retries=6,
    soft_time_limit=1500,
    time_limit=1800,
)
def send_announcement(announcement_id: int) -> str:
    return str(services.send_announcement(announcement_id=announcement_id).status)
