"""Kept for the tests that import it: the builders live in ``tests/factories.py``."""

from tests.factories import (  # noqa: F401
    CREDIT_NAMES,
    block,
    course,
    credit_type,
    home_page,
    module,
    program,
    question,
    scorm_package,
    scorm_zip,
)
