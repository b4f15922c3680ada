"""The finish: pages waiting for a certificate update themselves; the name is checked before."""

import re

import pytest
from django.urls import reverse

from certificates import services
from certificates.models import Certificate
from enrollments import services as enrollment_services
from tests.accounts.factories import UserFactory

# A cache namespace of its own: pages these tests cache never answer the tests after them.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_cache")]


@pytest.fixture
def signed_in(client, learner):
    client.force_login(learner)
    return client


def test_the_status_endpoint_says_pending_then_gives_the_ready_line(signed_in, enrollment):
    url = reverse("certificates:status", args=[enrollment.pk])
    pending = services.create_pending_certificate(enrollment_id=enrollment.pk)

    response = signed_in.get(url)
    assert response.json() == {"status": "pending", "ready": False}
    assert response["Cache-Control"] == "no-store"

    services.issue_certificate(certificate_id=pending.pk)
    data = signed_in.get(url).json()
    assert (data["status"], data["ready"]) == ("issued", True)
    certificate = Certificate.objects.get()
    assert f'href="{certificate.get_download_url()}">Download certificate (PDF)' in data["html"]


def test_another_learners_certificate_status_is_404(client, enrollment):
    client.force_login(UserFactory(email="other@example.org"))
    assert client.get(reverse("certificates:status", args=[enrollment.pk])).status_code == 404


def test_my_learning_and_the_course_page_wait_with_a_static_script_not_a_refresh(
    signed_in, enrollment
):
    services.create_pending_certificate(enrollment_id=enrollment.pk)
    status_url = reverse("certificates:status", args=[enrollment.pk])
    for url in (reverse("enrollments:dashboard"), enrollment.course.url):
        html = signed_in.get(url).content.decode()
        assert f'data-certificate-status-url="{status_url}"' in html
        assert "refresh in a moment" not in html
        # Strict CSP: every script is a file.
        assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html) == []
        assert '<script src="/static/js/site.js' in html


def test_the_course_page_of_a_completed_course_shows_the_issued_certificate(signed_in, enrollment):
    pending = services.create_pending_certificate(enrollment_id=enrollment.pk)
    services.issue_certificate(certificate_id=pending.pk)
    html = signed_in.get(enrollment.course.url).content.decode()
    assert "Download certificate (PDF)" in html
    assert "data-certificate-status-url" not in html


def test_before_the_certificate_the_learner_sees_the_name_as_printed_and_can_change_it(
    signed_in, learner, gcp_course
):
    enrollment, _ = enrollment_services.enroll(user=learner, course=gcp_course)
    for module in gcp_course.get_modules():
        enrollment_services.complete_module(enrollment=enrollment, module_id=module.pk)
    url = reverse("enrollments:evaluation", args=[enrollment.pk])
    html = signed_in.get(url).content.decode()
    assert '<strong class="name-check__name">Jordan A. Learner, CNMT</strong>' in html
    change = f"{reverse('profile')}?next={url}"
    assert f'<a href="{change}">Change the name on your certificate</a>' in html

    response = signed_in.post(
        reverse("profile"),
        {"full_name": "Jordan Learner", "profession": "technologist",
         "organization": "Riverside", "certificate_name": "Jordan Learner, CNMT", "next": url},
    )  # fmt: skip
    assert (response.status_code, response.url) == (302, url)
    learner.refresh_from_db()
    assert learner.certificate_name == "Jordan Learner, CNMT"


def test_the_profile_never_sends_a_learner_to_another_site(signed_in):
    response = signed_in.post(
        reverse("profile"),
        {"full_name": "Jordan Learner", "profession": "technologist",
         "organization": "Riverside", "next": "https://evil.example/"},
    )  # fmt: skip
    assert (response.status_code, response.url) == (302, reverse("profile"))
