"""Settings shared by every mode.

Configuration comes from the environment (django-environ). With nothing set, the project runs on an
embedded default that needs no server: SQLite, a file-based cache, a filesystem Celery broker and
file-based mail, all under ``var/``. ``DATABASE_URL`` and ``REDIS_URL`` switch to PostgreSQL and
Redis.
"""

from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(environ.Env().str("LMS_VAR_DIR", default=str(BASE_DIR / "var")))

env = environ.Env()
if (BASE_DIR / ".env").is_file():
    environ.Env.read_env(BASE_DIR / ".env")


def config_error(message: str) -> SystemExit:
    """A one-line, traceback-free exit for bad configuration."""
    return SystemExit(f"Configuration error: {message}")


def _read(name, cast, default):
    try:
        return cast(name, default=default)
    except Exception as exc:  # noqa: BLE001 - any parse error is a configuration error
        raise config_error(f"{name} is not valid ({exc.__class__.__name__}: {exc})") from None


DEBUG = _read("DJANGO_DEBUG", env.bool, False)
SECRET_KEY = _read("DJANGO_SECRET_KEY", env.str, "")
ALLOWED_HOSTS = _read("ALLOWED_HOSTS", env.list, ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = _read("CSRF_TRUSTED_ORIGINS", env.list, [])
SITE_URL = _read("SITE_URL", env.str, "http://127.0.0.1:8000").rstrip("/")

# --- Applications -------------------------------------------------------------------------------
DJANGO_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sites",
]
THIRD_PARTY_APPS = [
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail_localize",
    "wagtail_localize.locales",  # replaces wagtail.locales: the admin's Locales with sync
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_celery_beat",
    "django_filters",
    "lti_tool",
]
LOCAL_APPS = [
    "infrastructure",
    "home",
    "organizations",
    "accounts",
    "courses",
    "enrollments",
    "scorm",
    "certificates",
    "reports",
    "announcements",
    "credentials",
    "lti",
    "coordinators",
    "xapi",
]
INSTALLED_APPS = DJANGO_APPS + THIRD_PARTY_APPS + LOCAL_APPS

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "infrastructure.request_guards.NulCharacterMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # The content version, read once per request, and Wagtail's site; then the public pages.
    "infrastructure.render_cache.SharedSiteMiddleware",
    "infrastructure.caching.AnonymousPageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # English URLs carry no prefix; Spanish ones live under /es/ (lms/urls.py, i18n_patterns).
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "infrastructure.csp.SiteAndAdminCSPMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

# Public pages for anonymous visitors come from the shared cache (0 turns it off).
# Learners mailed per batch (one SMTP connection each) when an announcement is sent.
LMS_ANNOUNCEMENT_BATCH_SIZE = _read("LMS_ANNOUNCEMENT_BATCH_SIZE", env.int, 100)
LMS_ANONYMOUS_PAGE_CACHE_SECONDS = _read("LMS_ANONYMOUS_PAGE_CACHE_SECONDS", env.int, 300)
# Sessions are read from the cache (Redis), written through to the database: a signed-in page
# costs no session query, and a Redis restart signs no one out.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
# Password hashing (production: accounts.hashers, Argon2id): OWASP's recommended minimum by default.
LMS_ARGON2_MEMORY_KIB = _read("LMS_ARGON2_MEMORY_KIB", env.int, 19 * 1024)
LMS_ARGON2_TIME_COST = _read("LMS_ARGON2_TIME_COST", env.int, 2)
LMS_ARGON2_PARALLELISM = _read("LMS_ARGON2_PARALLELISM", env.int, 1)
if LMS_ARGON2_MEMORY_KIB < 19 * 1024 or LMS_ARGON2_TIME_COST < 2 or LMS_ARGON2_PARALLELISM < 1:
    raise config_error(
        "LMS_ARGON2_* may only raise password hashing above OWASP's minimum "
        "(19456 KiB, 2 passes, 1 lane)"
    )
# How long Redis may keep its copy of the content version (the database holds the number).
LMS_PAGE_CACHE_VERSION_SECONDS = _read("LMS_PAGE_CACHE_VERSION_SECONDS", env.int, 5)
# Public certificate verifications per client address per minute.
LMS_VERIFY_RATE_LIMIT = _read("LMS_VERIFY_RATE_LIMIT", env.int, 30)
# The benchmark's floor view (/bench/floor/): never in production.
LMS_BENCH_FLOOR = _read("LMS_BENCH_FLOOR", env.bool, False)

# No script reads the CSRF cookie (Wagtail's admin takes the token from the page), so scripts
# may not read it either.
CSRF_COOKIE_HTTPONLY = True

ROOT_URLCONF = "lms.urls"
WSGI_APPLICATION = "lms.wsgi.application"
SITE_ID = 1

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------------------------
_sqlite_default = f"sqlite:///{VAR_DIR / 'db.sqlite3'}"
DATABASES = {"default": _read("DATABASE_URL", env.db_url, _sqlite_default)}
if DATABASES["default"].get("ENGINE") not in (
    "django.db.backends.postgresql",
    "django.db.backends.sqlite3",
):
    raise config_error("DATABASE_URL must be postgres://... (or sqlite:///... for development)")
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The web server, the worker and beat share one file: WAL and immediate transactions avoid
    # "database is locked" under their concurrent writes.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", _read("CONN_MAX_AGE", env.int, 60))
    DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis: broker, cache, result backend -------------------------------------------------------
REDIS_URL = _read("REDIS_URL", env.str, "")
if REDIS_URL and not REDIS_URL.startswith(("redis://", "rediss://", "unix://")):
    raise config_error("REDIS_URL must start with redis://, rediss:// or unix://")

if REDIS_URL:
    CACHES = {
        "default": {
            # Django's Redis cache, except that a Redis outage is a cache miss, not a 500.
            "BACKEND": "infrastructure.cache.FailSoftRedisCache",
            # At scale the cache may have a Redis of its own (maxmemory, allkeys-lru).
            "LOCATION": _read("REDIS_CACHE_URL", env.str, "") or REDIS_URL,
            "KEY_PREFIX": "lms",
            # Short: a Redis that does not answer must not hold every request for seconds.
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 1},
        }
    }
else:
    # Shared by the web server and the worker processes (allauth's rate limits need that).
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }

# --- Open Badges credentials -------------------------------------------------------------------
# Ed25519 signing keys live in files, never in the database or the repository: one PEM per key,
# the newest signing unless CREDENTIALS_ACTIVE_KEY names another. The embedded default makes one
# under var/ on first use; production mounts the directory and makes keys with
# `manage.py credential_keys rotate`.
_default_key_dir = str(VAR_DIR / "keys" / "credentials")
CREDENTIALS_KEY_DIR = Path(_read("CREDENTIALS_KEY_DIR", env.str, _default_key_dir))
CREDENTIALS_ACTIVE_KEY = _read("CREDENTIALS_ACTIVE_KEY", env.str, "")
CREDENTIALS_GENERATE_KEYS = _read("CREDENTIALS_GENERATE_KEYS", env.bool, True)

# --- LTI 1.3 tool -------------------------------------------------------------------------------
# The tool's RSA keys (JWKS at /lti/jwks.json), in files like the credential keys.
LTI_KEY_DIR = Path(_read("LTI_KEY_DIR", env.str, str(VAR_DIR / "keys" / "lti")))
LTI_GENERATE_KEYS = _read("LTI_GENERATE_KEYS", env.bool, True)
# A platform's keys, token or gradebook endpoint that does not answer in time fails the launch
# (or the passback, which the worker retries).
LTI_PLATFORM_TIMEOUT_SECONDS = _read("LTI_PLATFORM_TIMEOUT_SECONDS", env.float, 10.0)

# --- xAPI: learning records sent to a learning record store (LRS) -------------------------------
# Off unless XAPI_ENDPOINT is set: then enrollments, completed modules, quiz results, completed
# courses and issued certificates are written to an outbox in the same transaction and sent by the
# worker. The endpoint is the LRS's xAPI base (statements go to <endpoint>statements); the
# username and password are its HTTP Basic credentials (an LRS's "key" and "secret").
XAPI_ENDPOINT = _read("XAPI_ENDPOINT", env.str, "").strip()
if XAPI_ENDPOINT and not XAPI_ENDPOINT.startswith(("http://", "https://")):
    raise config_error(f"XAPI_ENDPOINT must be an http(s) URL, not {XAPI_ENDPOINT!r}")
if XAPI_ENDPOINT and not XAPI_ENDPOINT.endswith("/"):
    XAPI_ENDPOINT += "/"
XAPI_USERNAME = _read("XAPI_USERNAME", env.str, "")
XAPI_PASSWORD = _read("XAPI_PASSWORD", env.str, "")
XAPI_TIMEOUT_SECONDS = _read("XAPI_TIMEOUT_SECONDS", env.float, 10.0)
# Statements per POST, and the first retry's delay (doubling up to XAPI_RETRY_MAX_SECONDS).
XAPI_BATCH_SIZE = _read("XAPI_BATCH_SIZE", env.int, 50)
XAPI_RETRY_BASE_SECONDS = _read("XAPI_RETRY_BASE_SECONDS", env.int, 30)
XAPI_RETRY_MAX_SECONDS = _read("XAPI_RETRY_MAX_SECONDS", env.int, 3600)

# --- Celery -------------------------------------------------------------------------------------
CELERY_DATA_DIR = VAR_DIR / "celery"
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_RESULT_BACKEND = REDIS_URL
    # A short connect timeout: a web request that enqueues must not hang on a broker that is down.
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        # How long an unacknowledged task waits before Redis hands it to another worker.
        "visibility_timeout": _read("CELERY_VISIBILITY_TIMEOUT", env.int, 3600),
        "socket_connect_timeout": 1,
        "socket_timeout": 2,
        # A producer tries a dead broker once, briefly: the sweep enqueues what could not be.
        "max_retries": 1,
        "interval_start": 0,
        "interval_step": 0.2,
        "interval_max": 0.2,
    }
else:
    CELERY_BROKER_URL = "filesystem://"
    CELERY_RESULT_BACKEND = f"file://{CELERY_DATA_DIR / 'results'}"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_DATA_DIR / "queue"),
        "data_folder_out": str(CELERY_DATA_DIR / "queue"),
        "control_folder": str(CELERY_DATA_DIR / "control"),
        "processed_folder": str(CELERY_DATA_DIR / "processed"),
        "store_processed": False,
        "polling_interval": 0.05,
    }
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_RESULT_EXPIRES = 3600
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# The sweep re-enqueues certificates still pending after this long (a lost message, a dead worker).
CERTIFICATES_STALE_PENDING_SECONDS = _read("CERTIFICATES_STALE_PENDING_SECONDS", env.int, 180)
CELERY_BEAT_SCHEDULE = {
    "certificates-sweep": {"task": "certificates.sweep", "schedule": 120.0},
    "lti-sweep-scores": {"task": "lti.sweep_scores", "schedule": 600.0},
    "xapi-sweep": {"task": "xapi.sweep", "schedule": 60.0},
    "certificates-expiry-reminders": {
        "task": "certificates.send_expiry_reminders",
        "schedule": 3600.0,
    },
    # Daily: each coordinator's digest goes once a month (recorded), on the first run of the
    # month, and a failed one is tried again on the next days.
    "coordinators-monthly-digest": {
        "task": "coordinators.send_monthly_digests",
        "schedule": 86400.0,
    },
}

# Sessions stay in the database (not cached_db): a signed-in learner must be able to finish a
# course while Redis is down (tests/certificates/test_worker_faults.py proves it).

# --- Auth ---------------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_PREVENT_ENUMERATION = True
# allauth's default rate limits apply (only ACCOUNT_RATE_LIMITS = False would turn them off); they
# live in the shared cache. The failed-login limit is spelled out because it guards passwords.
ACCOUNT_RATE_LIMITS = {"login_failed": "10/m/ip,5/5m/key"}
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_FORMS = {"signup": "accounts.forms.SignupForm"}
ACCOUNT_CHANGE_EMAIL = True  # one address per account; changing it verifies the new one first
ACCOUNT_EMAIL_NOTIFICATIONS = True  # mail the user when their password or email changes
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Clinical Research Education] "
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Clinical Research Education"
# Staff must activate an authenticator app before the admins open (accounts.middleware).
LMS_REQUIRE_STAFF_MFA = _read("LMS_REQUIRE_STAFF_MFA", env.bool, True)
# The admins' own login pages go to allauth's, so staff get verification, rate limits and MFA.
WAGTAILADMIN_LOGIN_URL = "/accounts/login/"
# Private pages and documents send visitors to the same login (not Wagtail's password-only one).
WAGTAIL_FRONTEND_LOGIN_URL = "/accounts/login/"
# Every password change and reset goes through allauth (its rate limits and its notice mail):
# Wagtail's account page has no password panel, its reset pages are gone, and its user forms set
# no passwords (a new account sets its own through allauth's reset). lms/urls.py sends the
# Django admin's password change to allauth's.
WAGTAIL_PASSWORD_MANAGEMENT_ENABLED = False
WAGTAIL_PASSWORD_RESET_ENABLED = False
WAGTAILUSERS_PASSWORD_ENABLED = False
MIDDLEWARE += [
    "accounts.middleware.AdminLoginRedirectMiddleware",
    "accounts.middleware.StaffMFARequiredMiddleware",
    "accounts.middleware.AdminAccessDeniedMiddleware",
    "infrastructure.workflow_guard.WorkflowRequestGuardMiddleware",
    "infrastructure.admin_guards.ImageChooserPermissionMiddleware",
    "infrastructure.admin_guards.PageChooserScopeMiddleware",
    "infrastructure.admin_guards.WagtailBadInputMiddleware",
]

# --- Internationalization -----------------------------------------------------------------------
# The interface is English (no URL prefix) and Spanish (/es/...). A learner's language is stored
# on the user (accounts.User.language) and used for their mail and certificates.
LANGUAGE_CODE = "en-us"
LANGUAGES = [("en-us", "English"), ("es", "Español")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
# Pages are translated through wagtail-localize (Locales: English, the default, and Spanish).
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES

# --- Static and media ---------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
# The SCORM run-time comes from the npm registry (package.json; `npm ci` in make setup and CI):
# served from node_modules as /static/scorm-again/, never committed.
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("scorm-again", BASE_DIR / "node_modules" / "scorm-again" / "dist"),
]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(_read("MEDIA_ROOT", env.str, str(VAR_DIR / "media")))
# Certificate PDFs and report exports: never under MEDIA_ROOT, served only through views that check.
PRIVATE_STORAGE_ROOT = Path(_read("PRIVATE_STORAGE_ROOT", env.str, str(VAR_DIR / "private")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# --- Email --------------------------------------------------------------------------------------
EMAIL_URL = _read("EMAIL_URL", env.str, "")
if EMAIL_URL:
    vars().update(env.email_url_config(EMAIL_URL))
else:
    EMAIL_BACKEND = "infrastructure.mail.FileAndConsoleEmailBackend"
    EMAIL_FILE_PATH = VAR_DIR / "mail"
DEFAULT_FROM_EMAIL = _read("DEFAULT_FROM_EMAIL", env.str, "CTN Education <education@lms.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Wagtail ------------------------------------------------------------------------------------
WAGTAIL_SITE_NAME = "Clinical Research Education"
WAGTAILADMIN_BASE_URL = SITE_URL
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ENABLE_UPDATE_CHECK = False
# Wagtail's database backend; every query reduced to plain words first (infrastructure/search.py)
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "infrastructure.search"}}
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp", "svg"]
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 40_000_000
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "xlsx", "pptx", "csv", "txt"]
# Documents are stored privately (home.LessonDocument) and leave only through Wagtail's view,
# which applies the collection's privacy; a file's contents must match its extension.
WAGTAILDOCS_DOCUMENT_MODEL = "home.LessonDocument"
WAGTAILDOCS_DOCUMENT_FORM_BASE = "home.forms.LessonDocumentForm"
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILDOCS_MAX_UPLOAD_SIZE = _read("WAGTAILDOCS_MAX_UPLOAD_SIZE", env.int, 25 * 1024 * 1024)
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
# SCORM packages (courses/scorm.py): checked before anything is stored.
SCORM_MAX_UPLOAD_BYTES = _read("SCORM_MAX_UPLOAD_BYTES", env.int, 200 * 1024 * 1024)
SCORM_MAX_UNCOMPRESSED_BYTES = _read("SCORM_MAX_UNCOMPRESSED_BYTES", env.int, 500 * 1024 * 1024)
SCORM_MAX_FILES = _read("SCORM_MAX_FILES", env.int, 5000)
SCORM_MAX_COMPRESSION_RATIO = _read("SCORM_MAX_COMPRESSION_RATIO", env.int, 100)
SCORM_ALLOWED_EXTENSIONS = [
    "html", "htm", "xhtml", "js", "mjs", "css", "json", "xml", "xsd", "dtd", "txt", "map",
    "png", "jpg", "jpeg", "gif", "svg", "webp", "ico", "bmp",
    "mp3", "mp4", "m4a", "m4v", "webm", "ogg", "oga", "ogv", "wav", "vtt", "srt",
    "woff", "woff2", "ttf", "otf", "eot", "pdf",
]  # fmt: skip

# --- Content Security Policy (django-csp; infrastructure/csp.py gives the admin its own) ----
_SELF, _NONE, _INLINE = "'self'", "'none'", "'unsafe-inline'"
_VIDEO = ["https://www.youtube.com", "https://www.youtube-nocookie.com", "https://player.vimeo.com"]
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [_SELF],
        "script-src": [_SELF],
        # Style attributes only (progress bars); no inline <script> anywhere on the site.
        "style-src": [_SELF, _INLINE],
        "img-src": [_SELF, "data:"],
        "font-src": [_SELF, "data:"],
        "frame-src": [_SELF, *_VIDEO],
        "connect-src": [_SELF],
        "object-src": [_NONE],
        "base-uri": [_SELF],
        "form-action": [_SELF],
        "frame-ancestors": [_SELF],
    }
}
LMS_ADMIN_CSP_DIRECTIVES = {
    "default-src": [_SELF],
    "script-src": [_SELF, _INLINE],
    "style-src": [_SELF, _INLINE],
    "img-src": [_SELF, "data:", "blob:"],
    "font-src": [_SELF, "data:"],
    "frame-src": [_SELF, *_VIDEO],
    "connect-src": [_SELF],
    "object-src": [_NONE],
    "base-uri": [_SELF],
    "form-action": [_SELF],
    "frame-ancestors": [_SELF],
}

# --- Logging ------------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": _read("LOG_LEVEL", env.str, "INFO")},
    "loggers": {
        # Wagtail's background index/reference tasks log every run at INFO: too chatty.
        "django_tasks": {"level": "WARNING"},
        # WeasyPrint logs every layout step at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
