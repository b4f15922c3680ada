import pytest

pytestmark = pytest.mark.django_db


def directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in policy.split("; ") if part}


def test_the_site_forbids_inline_and_foreign_scripts(client):
    site = directives(client.get("/"))
    assert site["script-src"] == ["'self'"]
    assert site["object-src"] == ["'none'"]
    assert site["frame-ancestors"] == ["'self'"]


def test_the_admin_has_its_own_policy(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("csp@example.org", "pw"))
    admin = directives(client.get("/admin/"))
    assert admin["script-src"] == ["'self'", "'unsafe-inline'"]
    assert admin["object-src"] == ["'none'"]


def test_the_built_once_header_is_django_csps_own_and_a_response_may_still_change_it(rf):
    from csp.utils import build_policy
    from django.http import HttpResponse

    from infrastructure.csp import SiteAndAdminCSPMiddleware

    middleware = SiteAndAdminCSPMiddleware(lambda request: HttpResponse("ok"))
    for _ in range(2):  # built, then reused
        plain = middleware(rf.get("/catalog/"))
        assert plain["Content-Security-Policy"] == build_policy()
    changed = HttpResponse("ok")
    changed._csp_update = {"form-action": ["https://platform.example"]}
    middleware = SiteAndAdminCSPMiddleware(lambda request: changed)
    policy = middleware(rf.get("/lti/deep-link/"))["Content-Security-Policy"]
    assert "form-action 'self' https://platform.example" in policy
