"""LTI 1.3: the tests act as a platform with keys of their own (as django-lti's tests do)."""

from urllib.parse import parse_qs, urlparse

import pytest
from django.contrib.auth import get_user_model
from lti_tool.models import LtiDeployment, LtiUser

from enrollments.models import Enrollment
from lti.models import GradeLink
from tests.accounts.factories import UserFactory
from tests.lti.conftest import CLAIM, CLIENT_ID, ISSUER, _rsa

pytestmark = pytest.mark.django_db


def login_initiation(client, registration) -> tuple[str, str]:
    """Step 1, OIDC login: the tool sends the browser back to the platform with state + nonce."""
    response = client.get(
        "/lti/login/",
        {"iss": ISSUER, "client_id": CLIENT_ID, "login_hint": "42",
         "target_link_uri": "https://evil.example/steal", "lti_message_hint": "m"},
    )  # fmt: skip
    assert response.status_code == 302
    location = urlparse(response["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == registration.auth_url
    query = {k: v[0] for k, v in parse_qs(location.query).items()}
    assert query["redirect_uri"] == "http://127.0.0.1:8000/lti/launch/"  # never the target given
    assert query["client_id"] == CLIENT_ID
    assert query["response_mode"] == "form_post"
    return query["state"], query["nonce"]


def launch(client, platform, registration, **overrides):
    state, nonce = login_initiation(client, registration)
    key = overrides.pop("key", None)
    token = platform.id_token(nonce=overrides.pop("nonce", nonce), key=key, **overrides)
    return client.post("/lti/launch/", {"id_token": token, "state": state}), token, state


def snapshot() -> dict:
    return {
        "users": get_user_model().objects.count(),
        "enrollments": Enrollment.objects.count(),
        "lti_users": LtiUser.objects.count(),
        "deployments": LtiDeployment.objects.count(),
        "grade_links": GradeLink.objects.count(),
    }


def test_a_launch_signs_in_enrolls_and_opens_the_course(client, platform, registration, gcp_course):
    response, _, _ = launch(client, platform, registration)
    assert response.status_code == 302
    assert response["Location"] == gcp_course.url
    user = get_user_model().objects.get(email="nurse.rivera@riverside-hospital.example")
    assert user.full_name == "Sam Rivera"
    assert int(client.session["_auth_user_id"]) == user.pk
    assert Enrollment.objects.filter(user=user, course=gcp_course).count() == 1
    link = LtiUser.objects.get(registration=registration, sub="platform-user-42")
    assert link.auth_user == user
    grade_link = GradeLink.objects.get()
    assert grade_link.lineitem_url.endswith("/courses/7/lineitems/3/lineitem?type=course")


def test_an_existing_account_is_matched_by_email_and_then_by_platform_user_id(
    client, platform, registration, gcp_course
):
    existing = UserFactory(email="nurse.rivera@riverside-hospital.example")
    launch(client, platform, registration)
    client.logout()
    # The platform changes the person's email: the platform's user id still links them.
    response, _, _ = launch(client, platform, registration, email="s.rivera@new.example")
    assert response.status_code == 302
    assert get_user_model().objects.count() == 1
    assert int(client.session["_auth_user_id"]) == existing.pk
    assert Enrollment.objects.filter(user=existing).count() == 1


def test_a_staff_account_is_never_signed_in_by_a_launch(client, platform, registration, gcp_course):
    UserFactory(email="nurse.rivera@riverside-hospital.example", is_staff=True)
    before = snapshot()
    response, _, _ = launch(client, platform, registration)
    assert response.status_code == 403
    assert "Staff accounts cannot be signed in from an LMS" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert snapshot() == before


@pytest.mark.parametrize(
    ("case", "reason"),
    [
        ("bad_signature", "Can&#x27;t decode id_token: Signature verification failed"),
        ("wrong_audience", "Registration not found"),
        ("unknown_deployment", "Unable to find deployment"),
        ("expired", "Signature has expired"),
        ("wrong_issuer", "Registration not found"),
        ("unknown_nonce", "Invalid Nonce"),
        ("bad_state", "State not found"),
        ("not_a_jwt", "JWT must contain 3 parts"),
    ],
)
def test_each_failed_check_is_refused_and_changes_nothing(
    client, platform, registration, gcp_course, case, reason
):
    import time

    before = snapshot()
    overrides = {
        "bad_signature": {"key": _rsa()},
        "wrong_audience": {"aud": "someone-elses-client"},
        "unknown_deployment": {CLAIM + "deployment_id": "deployment-we-never-registered"},
        "expired": {"exp": int(time.time()) - 60, "iat": int(time.time()) - 400},
        "wrong_issuer": {"iss": "https://lms.elsewhere.example"},
        "unknown_nonce": {"nonce": "a-nonce-we-never-issued"},
    }.get(case, {})
    if case in ("bad_state", "not_a_jwt"):
        state, nonce = login_initiation(client, registration)
        token = platform.id_token(nonce=nonce) if case == "bad_state" else "not.a-jwt"
        response = client.post(
            "/lti/launch/",
            {"id_token": token, "state": "forged" if case == "bad_state" else state},
        )
    else:
        response, _, _ = launch(client, platform, registration, **overrides)
    assert response.status_code == 403
    body = response.content.decode()
    assert "The LMS launch was refused" in body
    assert reason in body
    assert "_auth_user_id" not in client.session
    assert snapshot() == before


def test_a_replayed_launch_is_refused(client, platform, registration, gcp_course):
    response, token, state = launch(client, platform, registration)
    assert response.status_code == 302
    client.logout()
    client.cookies[f"lti1p3-{state}"] = state  # the attacker has the state too
    replay = client.post("/lti/launch/", {"id_token": token, "state": state})
    assert replay.status_code == 403
    assert "This launch has already been used" in replay.content.decode()
    assert "_auth_user_id" not in client.session


def test_an_inactive_deployment_is_refused(client, platform, registration, gcp_course):
    LtiDeployment.objects.update(is_active=False)
    response, _, _ = launch(client, platform, registration)
    assert response.status_code == 403
    assert "Unable to find deployment" in response.content.decode()


def test_a_link_to_no_course_is_refused_and_changes_nothing(
    client, platform, registration, gcp_course
):
    before = snapshot()
    response, _, _ = launch(client, platform, registration, **{CLAIM + "custom": {"course": "X"}})
    assert response.status_code == 404
    assert "does not name a course of ours" in response.content.decode()
    assert snapshot() == before


def test_login_from_an_unregistered_platform_is_a_clear_400(client, registration):
    response = client.get(
        "/lti/login/",
        {"iss": "https://unknown.example", "client_id": "x", "login_hint": "1",
         "target_link_uri": "http://127.0.0.1:8000/lti/launch/"},
    )  # fmt: skip
    assert response.status_code == 400
    assert "This LMS is not registered with us." in response.content.decode()
    assert client.get("/lti/login/").status_code == 400
    assert client.post("/lti/launch/", {}).status_code == 403


def test_the_tool_publishes_its_keys_and_configuration(client, platform):
    jwks = client.get("/lti/jwks.json").json()
    assert [k["kid"] for k in jwks["keys"]] == [k["kid"] for k in platform.tool_jwks["keys"]]
    assert jwks["keys"][0]["kty"] == "RSA"
    assert "d" not in jwks["keys"][0]
    config = client.get("/lti/config.json").json()
    assert config["initiate_login_uri"] == "http://127.0.0.1:8000/lti/login/"
    assert config["jwks_uri"] == "http://127.0.0.1:8000/lti/jwks.json"
    tool = config["https://purl.imsglobal.org/spec/lti-tool-configuration"]
    assert {m["type"] for m in tool["messages"]} == {
        "LtiResourceLinkRequest",
        "LtiDeepLinkingRequest",
    }


def test_a_platform_whose_keys_do_not_answer_fails_the_launch_in_time(
    client, platform, registration, gcp_course, settings
):
    import time

    settings.LTI_PLATFORM_TIMEOUT_SECONDS = 0.3
    platform.delay = 3
    started = time.monotonic()
    response, _, _ = launch(client, platform, registration)
    assert time.monotonic() - started < 2.5
    assert response.status_code == 403
    assert "Read timed out" in response.content.decode()
    assert "_auth_user_id" not in client.session
