"""Celery tasks: thin. Take ids, call one service; retries and time limits are declared here."""

from celery import shared_task
from celery.signals import worker_process_init
from django.db import DatabaseError, InterfaceError, OperationalError
from kombu.exceptions import OperationalError as BrokerError

from certificates import pdf, services
from infrastructure.tasks import PERIODIC_TASK_RETRY

TRANSIENT = (OperationalError, InterfaceError, DatabaseError, BrokerError, ConnectionError)


@worker_process_init.connect
def warm_pdf_renderer(**kwargs: object) -> None:
    """Each worker process loads the PDF renderer as it starts, before taking a task."""
    pdf.warm_up()


@shared_task(
    name="certificates.issue_certificate",
    # No result to keep; and a result backend that subscribes on send would wait on a dead Redis.
    ignore_result=True,
    autoretry_for=TRANSIENT,
    retry_backoff=2,
    retry_backoff_max=300,
    retry_jitter=True,
    max_retries=8,
    soft_time_limit=60,
    time_limit=90,
)
def issue_certificate(certificate_id: int) -> str:
    return services.issue_certificate(certificate_id=certificate_id).status


@shared_task(name="certificates.sweep", soft_time_limit=240, time_limit=300, **PERIODIC_TASK_RETRY)
def sweep_certificates() -> dict[str, int]:
    return services.sweep()


@shared_task(
    name="certificates.send_expiry_reminders",
    soft_time_limit=600,
    time_limit=900,
    **PERIODIC_TASK_RETRY,
)
def send_expiry_reminders() -> int:
    return services.send_expiry_reminders()


@shared_task(
    name="certificates.notify_revision_holders",
    ignore_result=True,
    autoretry_for=TRANSIENT,
    retry_backoff=2,
    max_retries=8,
    soft_time_limit=600,
    time_limit=900,
)
def notify_revision_holders(course_id: int) -> int:
    return services.notify_revision_holders(course_id=course_id)
