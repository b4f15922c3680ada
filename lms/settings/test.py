"""The test suite: the embedded default unless DATABASE_URL / REDIS_URL are set (CI sets both)."""

import os

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
PRIVATE_STORAGE_ROOT = VAR_DIR / "test" / _worker / "private"
