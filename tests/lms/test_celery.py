"""Celery is configured as the design says, and a task round-trips through a real worker."""

import os
import secrets

import pytest
from django.conf import settings

from celery_app import app
from infrastructure.tasks import ping
from tests.conftest import IN_CI
from tests.worker import celery_worker


def test_celery_reads_its_configuration_from_django():
    conf = app.conf
    assert conf.task_serializer == "json"
    assert conf.accept_content == ["json"]
    assert conf.task_acks_late is True
    assert conf.task_reject_on_worker_lost is True
    assert conf.worker_prefetch_multiplier == 1
    assert conf.task_time_limit == settings.CELERY_TASK_TIME_LIMIT
    assert 0 < conf.task_soft_time_limit < conf.task_time_limit
    assert conf.beat_scheduler == "django_celery_beat.schedulers:DatabaseScheduler"


def test_tasks_are_autodiscovered():
    app.loader.import_default_modules()
    assert "home.ping" in app.tasks


@pytest.mark.worker
def test_a_task_round_trips_through_a_real_worker():
    if IN_CI and not os.environ.get("REDIS_URL"):
        pytest.fail("CI must run the worker test against Redis (REDIS_URL unset)")
    token = secrets.token_hex(8)
    with celery_worker() as (_process, queue):
        result = ping.apply_async(args=[token], queue=queue)
        assert result.get(timeout=60) == f"pong:{token}"
