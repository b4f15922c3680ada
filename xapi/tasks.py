"""Celery tasks: thin. The outbox's rows carry their own retry schedule (``next_attempt_at``)."""

from celery import shared_task

from infrastructure.tasks import PERIODIC_TASK_RETRY, PartialFailure
from xapi import services


@shared_task(name="xapi.deliver", ignore_result=True, soft_time_limit=240, time_limit=300)
def deliver() -> int:
    """Send what is due now (enqueued after each event commits); failures wait for the sweep."""
    return services.deliver_due().delivered


@shared_task(name="xapi.sweep", soft_time_limit=240, time_limit=300, **PERIODIC_TASK_RETRY)
def sweep() -> dict[str, int]:
    """The beat's pass over the outbox: every row whose delay has passed is sent again."""
    report = services.deliver_due()
    if report.failed:
        raise PartialFailure(f"{report.failed} xAPI statement(s) not delivered: {report.errors[0]}")
    return {"delivered": report.delivered, "failed": report.failed}
