"""Every credential change goes through allauth, which rate-limits it and mails the owner.

The Django admin's password change redirects to allauth's; Wagtail's account page, password reset
and user forms offer no password of their own.
"""

import pytest
from django.contrib.auth import get_user_model

from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db
OLD, NEW = "Old-Passw0rd-for-tests", "A-new-Passw0rd-for-tests"


@pytest.fixture
def staff(client, settings):
    settings.LMS_REQUIRE_STAFF_MFA = False  # the MFA step is tested elsewhere
    user = UserFactory(email="root@example.org", is_staff=True, is_superuser=True)
    user.set_password(OLD)
    user.save()
    client.force_login(user)
    return user


def password_is_unchanged(user) -> bool:
    return get_user_model().objects.get(pk=user.pk).check_password(OLD)


@pytest.mark.parametrize(
    "route", ["/django-admin/password_change/", "/django-admin/password_change/done/"]
)
def test_the_django_admin_password_change_goes_to_allauth(client, staff, route):
    response = client.get(route)
    assert response.status_code == 302
    assert response.url == "/accounts/password/change/"


def test_a_post_to_the_django_admin_password_change_changes_nothing(client, staff):
    data = {"old_password": OLD, "new_password1": NEW, "new_password2": NEW}
    response = client.post("/django-admin/password_change/", data)
    assert response.status_code == 302
    assert password_is_unchanged(staff)


def test_a_password_changed_through_allauth_sends_the_notice(client, staff, mailoutbox):
    data = {"oldpassword": OLD, "password1": NEW, "password2": NEW}
    response = client.post("/accounts/password/change/", data)
    assert response.status_code == 302
    assert not password_is_unchanged(staff)
    assert [message.to for message in mailoutbox] == [[staff.email]]


def test_wagtail_s_account_page_has_no_password_panel(client, staff):
    page = client.get("/admin/account/")
    assert page.status_code == 200
    assert 'name="password-old_password"' not in page.content.decode()
    data = {f"password-{f}": v for f, v in (("old_password", OLD), ("new_password1", NEW))}
    client.post("/admin/account/", {**data, "password-new_password2": NEW})
    assert password_is_unchanged(staff)


def test_wagtail_s_password_reset_is_gone(client):
    assert client.get("/admin/password_reset/").status_code == 404


def test_wagtail_s_user_form_sets_no_password(client, staff):
    other = UserFactory(email="editor@example.org")
    response = client.get(f"/admin/users/edit/{other.pk}/")
    assert response.status_code == 200
    assert not {"password1", "password2"} & set(response.context["form"].fields)
