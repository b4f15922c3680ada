"""Kept for the tests that import it: the builders live in ``tests/factories.py``."""

from tests.factories import UserFactory  # noqa: F401
