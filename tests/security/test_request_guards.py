"""A NUL character in a path or query string is a 400 on every database (PostgreSQL refused to
compare it and answered 500)."""

import pytest

from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url",
    [
        "/credentials/achievements/%22%00x/",
        "/admin/workflows/tasks/add/%00x/%00x/",
        "/certificates/verify/abc%00/",
        "/catalog/?q=%00",
    ],
)
def test_a_nul_character_is_a_400(client, settings, url):
    settings.LMS_REQUIRE_STAFF_MFA = False
    client.force_login(UserFactory(email="root@example.org", is_staff=True, is_superuser=True))
    assert client.get(url).status_code == 400
