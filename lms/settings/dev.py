"""Local development: the embedded default unless DATABASE_URL / REDIS_URL say otherwise."""

from .base import *  # noqa: F403
from .base import _read, env

DEBUG = _read("DJANGO_DEBUG", env.bool, True)
SECRET_KEY = SECRET_KEY or "dev-only-insecure-key-do-not-use-in-production"  # noqa: F405
ALLOWED_HOSTS = ALLOWED_HOSTS + ["testserver"]  # noqa: F405
# Authors see their edits at once locally.
LMS_ANONYMOUS_PAGE_CACHE_SECONDS = _read("LMS_ANONYMOUS_PAGE_CACHE_SECONDS", env.int, 0)
