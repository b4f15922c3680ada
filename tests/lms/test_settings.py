"""Each settings mode loads, and production refuses to start without what it needs."""

import pytest

from tests.helpers import clean_env, expect_success, manage, run_python


def load(*names: str) -> str:
    """Python that sets Django up and prints the named settings, space-separated."""
    shown = ", ".join(f"settings.{name}" for name in names)
    return f"import django; django.setup(); from django.conf import settings; print({shown})"


PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "lms.settings.production",
    "DJANGO_SECRET_KEY": "k" * 20 + "-production-secret-key-for-the-settings-test-only-0123",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/lms",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
    "ALLOWED_HOSTS": "education.example.org",
}


@pytest.mark.parametrize(
    ("module", "expected_engine"),
    [
        ("lms.settings.dev", "django.db.backends.sqlite3"),
        ("lms.settings.test", "django.db.backends.sqlite3"),
    ],
)
def test_embedded_default_needs_no_server(module, expected_engine):
    env = clean_env(DJANGO_SETTINGS_MODULE=module, DATABASE_URL=None, REDIS_URL=None)
    result = run_python(
        load("DATABASES['default']['ENGINE']", "CELERY_BROKER_URL", "CACHES['default']['BACKEND']"),
        env,
    )
    expect_success(result)
    engine, broker, cache = result.stdout.split()
    assert engine == expected_engine
    assert broker == "filesystem://"
    assert cache.endswith("FileBasedCache")


def test_environment_switches_to_postgres_and_redis():
    env = clean_env(
        DJANGO_SETTINGS_MODULE="lms.settings.dev",
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/lms",
        REDIS_URL="redis://127.0.0.1:6379/3",
    )
    result = run_python(
        load(
            "DATABASES['default']['ENGINE']",
            "CELERY_BROKER_URL",
            "CELERY_RESULT_BACKEND",
            "CACHES['default']['BACKEND']",
        ),
        env,
    )
    expect_success(result)
    assert result.stdout.split() == [
        "django.db.backends.postgresql",
        "redis://127.0.0.1:6379/3",
        "redis://127.0.0.1:6379/3",
        "infrastructure.cache.FailSoftRedisCache",
    ]


def test_the_cache_may_have_a_redis_of_its_own():
    env = clean_env(
        DJANGO_SETTINGS_MODULE="lms.settings.dev",
        REDIS_URL="redis://broker.internal:6379/0",
        REDIS_CACHE_URL="redis://cache.internal:6379/0",
    )
    result = run_python(load("CELERY_BROKER_URL", "CACHES['default']['LOCATION']"), env)
    expect_success(result)
    assert result.stdout.split() == [
        "redis://broker.internal:6379/0",
        "redis://cache.internal:6379/0",
    ]


def test_production_loads_with_its_variables():
    names = ("DEBUG", "SESSION_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY", "CSRF_COOKIE_SECURE",
             "CSRF_COOKIE_HTTPONLY", "X_FRAME_OPTIONS", "PASSWORD_HASHERS[0]")  # fmt: skip
    result = run_python(load(*names), clean_env(**PRODUCTION_ENV))
    expect_success(result)
    assert result.stdout.split() == [
        "False", "True", "True", "True", "True", "DENY",
        "accounts.hashers.TunedArgon2PasswordHasher",  # Argon2id, OWASP minimum
    ]  # fmt: skip


@pytest.mark.parametrize(
    "missing", ["DJANGO_SECRET_KEY", "DATABASE_URL", "REDIS_URL", "ALLOWED_HOSTS"]
)
def test_production_refuses_to_start_naming_the_missing_variable(missing):
    env = clean_env(**{**PRODUCTION_ENV, missing: None})
    result = run_python(load("DEBUG"), env)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1  # one line, no traceback
    assert missing in lines[0]
    assert lines[0].startswith("Configuration error:")


def test_bad_database_url_is_one_clear_line():
    env = clean_env(DJANGO_SETTINGS_MODULE="lms.settings.dev", DATABASE_URL="nosuchdb://x/y")
    result = run_python(load("DEBUG"), env)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "DATABASE_URL" in lines[0]


def test_bad_redis_url_is_one_clear_line():
    env = clean_env(DJANGO_SETTINGS_MODULE="lms.settings.dev", REDIS_URL="localhost:6379")
    result = run_python(load("DEBUG"), env)
    assert result.returncode == 1
    assert "REDIS_URL" in result.stderr.strip().splitlines()[-1]
    assert "Traceback" not in result.stderr


def test_production_passes_the_deploy_check():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=clean_env(**PRODUCTION_ENV))
    expect_success(result)
    assert "no issues" in result.stdout


def test_the_benchmark_floor_view_is_off_in_production():
    env = clean_env(**{**PRODUCTION_ENV, "LMS_BENCH_FLOOR": "true"})
    result = run_python(load("LMS_BENCH_FLOOR"), env)
    assert expect_success(result).split() == ["False"]
