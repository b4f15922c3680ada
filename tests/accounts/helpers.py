"""Small helpers for the account tests."""

import re

from tests.factories import PASSWORD, verified_user  # noqa: F401 (imported from here)


def link_in(message, path_prefix: str) -> str:
    """The path of the first link in a mail that starts with path_prefix."""
    match = re.search(rf"https?://[^/\s]+({re.escape(path_prefix)}\S+)", message.body)
    assert match is not None
    return match.group(1)
