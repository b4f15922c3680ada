"""Deep linking: the platform's instructor picks a course; the tool answers with a signed item."""

import re
from html import unescape

import jwt as pyjwt
import pytest

from tests.lti.conftest import CLAIM, CLIENT_ID, ISSUER
from tests.lti.test_launch import launch, snapshot

pytestmark = pytest.mark.django_db

DL = "https://purl.imsglobal.org/spec/lti-dl/claim/"
INSTRUCTOR = "http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor"


def deep_link_request(platform, role=INSTRUCTOR) -> dict:
    return {
        CLAIM + "message_type": "LtiDeepLinkingRequest",
        CLAIM + "resource_link": None,
        CLAIM + "custom": None,
        CLAIM + "roles": [role],
        DL + "deep_linking_settings": {
            "deep_link_return_url": f"{platform.base}/deep-link-return",
            "accept_types": ["ltiResourceLink"],
            "accept_presentation_document_targets": ["iframe", "window"],
            "data": "platform-opaque-data",
        },
    }


def test_an_instructor_places_a_course_and_the_platform_gets_a_signed_link(
    client, platform, registration, gcp_course
):
    before = snapshot()
    response, _, _ = launch(client, platform, registration, **deep_link_request(platform))
    assert response.status_code == 302
    assert response["Location"] == "/lti/deep-link/"
    picker = client.get("/lti/deep-link/").content.decode()
    assert "CTN-101" in picker
    answer = client.post("/lti/deep-link/", {"course": gcp_course.pk})
    assert answer.status_code == 200
    body = answer.content.decode()
    assert f'action="{platform.base}/deep-link-return"' in body
    assert platform.base in answer["Content-Security-Policy"].split("form-action")[1]
    token = unescape(re.search(r'name="JWT" value="([^"]+)"', body).group(1))
    header = pyjwt.get_unverified_header(token)
    jwk = next(k for k in client.get("/lti/jwks.json").json()["keys"] if k["kid"] == header["kid"])
    message = pyjwt.decode(token, pyjwt.PyJWK(jwk).key, algorithms=["RS256"], audience=ISSUER)
    assert message["iss"] == CLIENT_ID
    assert message[CLAIM + "message_type"] == "LtiDeepLinkingResponse"
    assert message[DL + "data"] == "platform-opaque-data"
    (item,) = message[DL + "content_items"]
    assert item["type"] == "ltiResourceLink"
    assert item["url"] == "http://127.0.0.1:8000/lti/launch/"
    assert item["custom"] == {"course": "CTN-101"}
    # Choosing signs no one in and enrolls no one.
    assert "_auth_user_id" not in client.session
    assert snapshot() == before
    # The choice is used once.
    assert client.post("/lti/deep-link/", {"course": gcp_course.pk}).status_code == 400


def test_a_learner_cannot_place_courses(client, platform, registration, gcp_course):
    learner = "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"
    response, _, _ = launch(client, platform, registration, **deep_link_request(platform, learner))
    assert response.status_code == 403
    assert "Only instructors can choose a course to place." in response.content.decode()
    assert client.get("/lti/deep-link/").status_code == 400


def test_choosing_nothing_or_garbage_is_a_form_error(client, platform, registration, gcp_course):
    launch(client, platform, registration, **deep_link_request(platform))
    for data in ({}, {"course": "abc"}, {"course": "999999"}):
        response = client.post("/lti/deep-link/", data)
        assert response.status_code == 400
        assert "Choose one of the courses." in response.content.decode()
