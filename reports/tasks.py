from celery import shared_task
from django.db import InterfaceError, OperationalError

from reports import services


@shared_task(
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
