import os
import uuid

import pytest
from hypothesis import settings as hypothesis_settings

# Playwright runs an event loop in the test thread; Django's ORM calls from there are safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# Property tests check properties, not speed: on a loaded 2-core machine a case may take longer
# than Hypothesis's 200 ms default deadline, which would make the result depend on the load.
hypothesis_settings.register_profile("lms", deadline=None)
hypothesis_settings.load_profile("lms")

IN_CI = os.environ.get("CI", "").lower() == "true"


@pytest.fixture(autouse=True)
def _media_storage(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_STORAGE_ROOT = tmp_path / "private"


@pytest.fixture(autouse=True)
def _fresh_render_cache():
    """Routes and settings kept per content version: the numbers repeat from test to test."""
    from infrastructure import render_cache, shell

    render_cache.forget()
    shell.forget()


@pytest.fixture
def fresh_cache(settings):
    """A cache namespace of this test's own: pages another test cached cannot answer here.

    (Version numbers live in the database, which each test rolls back, so two tests can share one.)
    """
    default = settings.CACHES["default"]
    prefix = f"{default.get('KEY_PREFIX', '')}-{uuid.uuid4().hex[:8]}"
    settings.CACHES = {**settings.CACHES, "default": {**default, "KEY_PREFIX": prefix}}
