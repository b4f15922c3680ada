"""Passwords: Argon2id at OWASP's minimum, and older hashes upgraded at sign-in."""

import pytest
from argon2 import extract_parameters
from django.contrib.auth.hashers import Argon2PasswordHasher, check_password, make_password

from tests.helpers import clean_env, run_python

TUNED = "accounts.hashers.TunedArgon2PasswordHasher"


@pytest.fixture
def production_hashers(settings):
    settings.PASSWORD_HASHERS = [TUNED, "django.contrib.auth.hashers.PBKDF2PasswordHasher"]


def parameters(encoded: str):
    return extract_parameters("$" + encoded.split("$", 1)[1])


def test_new_passwords_get_owasps_minimum(production_hashers):
    encoded = make_password("correct horse battery staple")
    used = parameters(encoded)
    assert encoded.startswith("argon2$argon2id$")
    assert (used.memory_cost, used.time_cost, used.parallelism) == (19 * 1024, 2, 1)
    assert check_password("correct horse battery staple", encoded)
    assert not check_password("wrong horse", encoded)


def test_a_hash_with_djangos_defaults_verifies_and_is_rehashed_at_sign_in(production_hashers):
    old = Argon2PasswordHasher().encode("correct horse battery staple", "saltsaltsaltsalt")
    assert parameters(old).memory_cost == 102400
    stored = []
    assert check_password("correct horse battery staple", old, setter=stored.append)
    assert len(stored) == 1  # rehashed with the deployment's parameters
    assert parameters(make_password("x")).memory_cost == 19 * 1024
    assert not check_password("wrong horse", old)


def test_a_deployment_may_raise_the_parameters(production_hashers, settings):
    settings.LMS_ARGON2_MEMORY_KIB = 64 * 1024
    settings.LMS_ARGON2_TIME_COST = 3
    used = parameters(make_password("correct horse battery staple"))
    assert (used.memory_cost, used.time_cost) == (64 * 1024, 3)


@pytest.mark.parametrize(
    "setting", [("LMS_ARGON2_MEMORY_KIB", "4096"), ("LMS_ARGON2_TIME_COST", "1")]
)
def test_settings_refuse_parameters_below_owasps_minimum(setting):
    env = clean_env(DJANGO_SETTINGS_MODULE="lms.settings.dev", **{setting[0]: setting[1]})
    result = run_python("import django; django.setup()", env)
    assert result.returncode != 0
    assert "LMS_ARGON2_" in result.stderr + result.stdout
