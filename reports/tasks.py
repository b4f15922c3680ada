from typing import Any

from celery import shared_task
from celery.contrib.django.task import DjangoTask
from django.db import InterfaceError, OperationalError

from reports import services


class ExportTask(DjangoTask):
    """An export that fails for good (an error, or retries used up) is marked failed, not left
    "Being prepared": ``on_failure`` runs once Celery gives up, never between retries."""

    def on_failure(
        self,
        exc: BaseException,
        task_id: str,
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
        einfo: Any,
    ) -> None:
        export_id = kwargs.get("export_id", args[0] if args else None)
        if export_id is not None:
            services.fail_export(export_id=export_id, error=exc)


@shared_task(
    base=ExportTask,
    name="reports.build_export",
    ignore_result=True,
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=5,
    max_retries=3,
    soft_time_limit=1500,
    time_limit=1800,
)
def build_export(export_id: int) -> None:
    services.build_export(export_id=export_id)
