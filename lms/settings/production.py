"""Production: PostgreSQL and Redis, secure transport. Refuses to start without its settings."""

import os

from .base import config_error

_REQUIRED = ("DJANGO_SECRET_KEY", "DATABASE_URL", "REDIS_URL", "ALLOWED_HOSTS")
for _name in _REQUIRED:
    if not os.environ.get(_name, "").strip():
        raise config_error(f"{_name} is not set; production needs {', '.join(_REQUIRED)}")

from .base import *  # noqa: E402, F403
from .base import _read, env  # noqa: E402

if not DATABASES["default"]["ENGINE"].endswith("postgresql"):  # noqa: F405
    raise config_error("DATABASE_URL must point at PostgreSQL (postgres://...) in production")
if len(SECRET_KEY) < 50:  # noqa: F405
    raise config_error("DJANGO_SECRET_KEY is too short: use at least 50 random characters")

DEBUG = False
LMS_BENCH_FLOOR = False  # the benchmark floor view never runs in production
STORAGES["staticfiles"]["BACKEND"] = "whitenoise.storage.CompressedManifestStaticFilesStorage"  # noqa: F405

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = _read("DJANGO_SECURE_SSL_REDIRECT", env.bool, True)
SECURE_HSTS_SECONDS = _read("DJANGO_SECURE_HSTS_SECONDS", env.int, 60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_SECURE = True
X_FRAME_OPTIONS = "DENY"
# Argon2id at OWASP's minimum (accounts/hashers.py; LMS_ARGON2_* in base.py raise it); hashes
# made with Django's heavier defaults verify and are rehashed at the next sign-in.
PASSWORD_HASHERS = [
    "accounts.hashers.TunedArgon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
ALLAUTH_TRUSTED_PROXY_COUNT = _read("ALLAUTH_TRUSTED_PROXY_COUNT", env.int, 1)
# Signing keys are provisioned (CREDENTIALS_KEY_DIR), not made by whichever process asks first.
CREDENTIALS_GENERATE_KEYS = _read("CREDENTIALS_GENERATE_KEYS", env.bool, False)
LTI_GENERATE_KEYS = _read("LTI_GENERATE_KEYS", env.bool, False)
