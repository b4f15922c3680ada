"""Small helpers for the account tests."""

import re

from allauth.account.models import EmailAddress

from tests.accounts.factories import UserFactory

PASSWORD = "correct-horse-battery"


def verified_user(**fields):
    """A user who can sign in: allauth's mandatory verification needs a verified EmailAddress."""
    user = UserFactory(**fields)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def link_in(message, path_prefix: str) -> str:
    """The path of the first link in a mail that starts with path_prefix."""
    match = re.search(rf"https?://[^/\s]+({re.escape(path_prefix)}\S+)", message.body)
    assert match is not None
    return match.group(1)
