"""HEAD is answered as GET without a body on every page a GET reaches.

Link checkers and some QR-code apps probe the certificate verification page with HEAD; a 405
there reads as a broken certificate link.
"""

import pytest

from certificates import services as certificate_services
from enrollments import services
from tests.accounts.factories import UserFactory
from tests.certificates.conftest import completed_enrollment
from tests.courses import factories
from tests.enrollments.conftest import wrong_answers

pytestmark = pytest.mark.django_db


@pytest.fixture
def urls(settings):
    settings.LMS_VERIFY_RATE_LIMIT = 10_000
    settings.LMS_ANONYMOUS_PAGE_CACHE_SECONDS = 0  # every answer comes from the view itself
    program = factories.program("ctn")
    course = factories.course(program, "CTN-101", modules=1, post_test=True)
    done_course = factories.course(program, "CTN-102", modules=1)
    owner = UserFactory(email="owner@example.org")
    enrollment = services.enroll(user=owner, course=course)[0]
    post_test = course.get_children().specific().get(modulepage__quiz_kind="post_test")
    services.submit_quiz(enrollment=enrollment, module_id=post_test.pk,
                         answers=wrong_answers(post_test), attempt_number=1)  # fmt: skip
    done = completed_enrollment(owner, done_course)
    pending = certificate_services.create_pending_certificate(enrollment_id=done.pk)
    code = certificate_services.issue_certificate(certificate_id=pending.pk).code
    public = [
        "/", "/healthz", "/catalog/", "/catalog/?q=gcp", program.url, course.url,
        f"/certificates/verify/{code}/", f"/certificates/verify/{code}/pdf/",
        "/accounts/login/", "/accounts/signup/", "/accounts/password/reset/",
    ]  # fmt: skip
    signed_in = [
        "/learning/", "/certificates/transcript/", f"/certificates/download/{code}/",
        f"/learning/enrollments/{enrollment.pk}/modules/{post_test.pk}/attempts/1/",
        f"/learning/enrollments/{enrollment.pk}/evaluation/", "/accounts/profile/",
        course.get_children().first().url,
    ]  # fmt: skip
    return {"public": public, "signed_in": signed_in, "owner": owner}


def test_head_answers_as_get_without_a_body(client, urls):
    def check(url):
        get, head = client.get(url), client.head(url)
        assert (url, head.status_code) == (url, get.status_code)
        assert head.status_code == 200
        assert head["Content-Type"] == get["Content-Type"]
        body = b"".join(head.streaming_content) if head.streaming else head.content
        assert body == b""

    for url in urls["public"]:
        check(url)
    client.force_login(urls["owner"])
    for url in urls["signed_in"]:
        check(url)
