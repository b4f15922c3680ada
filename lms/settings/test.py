"""The test suite: the embedded default unless DATABASE_URL / REDIS_URL are set (CI sets both)."""

import os
import uuid
from pathlib import Path

from .base import *  # noqa: F403
from .base import VAR_DIR

DEBUG = False
SECRET_KEY = "test-only-insecure-key"
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
WAGTAILADMIN_BASE_URL = "http://testserver"

# Each xdist worker gets its own media and private storage.
_worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
MEDIA_ROOT = VAR_DIR / "test" / _worker / "media"
PRIVATE_STORAGE_ROOT = Path(
    os.environ.get("PRIVATE_STORAGE_ROOT") or VAR_DIR / "test" / _worker / "private"
)

CREDENTIALS_KEY_DIR = VAR_DIR / "test" / _worker / "keys"
LTI_KEY_DIR = VAR_DIR / "test" / _worker / "lti-keys"

# Other apps' tests force_login staff and open the admin; tests/accounts turn the rule on.
LMS_REQUIRE_STAFF_MFA = False

# A fresh cache namespace for every test process: rate-limit counters never leak between runs.
# A Celery worker a test starts shares its namespace (tests/worker.py passes it on).
_prefix = os.environ.get("LMS_TEST_CACHE_PREFIX") or f"test-{_worker}-{uuid.uuid4().hex[:8]}"
CACHES = {"default": {**CACHES["default"], "KEY_PREFIX": _prefix}}  # noqa: F405
if CACHES["default"]["BACKEND"].endswith("FileBasedCache"):
    CACHES["default"]["LOCATION"] = str(VAR_DIR / "test" / _worker / "cache")

# Tests of pages expect fresh renders; tests/home/test_caching.py turns the cache on.
LMS_ANONYMOUS_PAGE_CACHE_SECONDS = 0
# A Celery worker a test starts may send the tasks it enqueues to the test's private queue
# (tests/worker.py: the queue it consumes), instead of the default queue nobody consumes there.
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("LMS_TEST_CELERY_QUEUE", "celery")
# A template whose shared part reads something personal fails its test (infrastructure.shell).
LMS_SHELL_STRICT = True
