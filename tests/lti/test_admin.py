"""Administrators register a platform and its deployments in the Wagtail admin."""

import pytest
from lti_tool.models import LtiDeployment, LtiRegistration

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("root@example.org", "pw"))
    return client


def test_an_administrator_registers_a_platform_and_a_deployment(admin_client):
    response = admin_client.post(
        "/admin/lti_registrations/new/",
        {"name": "Riverside Canvas", "issuer": "https://canvas.instructure.com",
         "client_id": "10000000000123", "audience": "",
         "auth_url": "https://sso.canvaslms.com/api/lti/authorize_redirect",
         "token_url": "https://sso.canvaslms.com/login/oauth2/token",
         "keyset_url": "https://sso.canvaslms.com/api/lti/security/jwks", "is_active": "on"},
    )  # fmt: skip
    assert response.status_code == 302
    registration = LtiRegistration.objects.get()
    assert registration.client_id == "10000000000123"
    response = admin_client.post(
        "/admin/lti_deployments/new/",
        {"registration": registration.pk, "deployment_id": "42:abcdef", "is_active": "on"},
    )
    assert response.status_code == 302
    assert LtiDeployment.objects.get().is_active is True
    listing = admin_client.get("/admin/lti_registrations/")
    assert "Riverside Canvas" in listing.content.decode()


def test_a_bad_url_is_a_form_error_and_saves_nothing(admin_client):
    response = admin_client.post(
        "/admin/lti_registrations/new/",
        {"name": "X", "issuer": "https://x.example", "client_id": "1", "auth_url": "not a url",
         "token_url": "https://x.example/t", "keyset_url": "https://x.example/k"},
    )  # fmt: skip
    assert response.status_code == 200
    assert "Enter a valid URL." in response.content.decode()
    assert LtiRegistration.objects.count() == 0


def test_learners_cannot_open_the_registrations(client, django_user_model):
    client.force_login(django_user_model.objects.create_user("l@example.org", "pw"))
    response = client.get("/admin/lti_registrations/")
    assert response.status_code in (302, 403)
