"""The certificates admin: listing with filters and search, revoke and reissue, permissions."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext

from certificates import services
from certificates.models import CertificateStatus
from tests.factories import UserFactory, completed_enrollment, issued_certificate

pytestmark = pytest.mark.django_db

LIST_URL = "/admin/certificates/"


@pytest.fixture
def admin_client(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("admin@example.org", "pw"))
    return client


def issued(user, course):
    return issued_certificate(completed_enrollment(user, course))


def test_listing_filters_and_search(admin_client, gcp_course, learner):
    certificate = issued(learner, gcp_course)
    other = issued(UserFactory(email="x@example.org", full_name="Pat Other"), gcp_course)
    services.revoke_certificate(certificate=other, actor=None, reason="Duplicate account")
    response = admin_client.get(LIST_URL)
    assert response.status_code == 200
    assert certificate.code in response.content.decode()
    revoked = admin_client.get(LIST_URL, {"status": "revoked"}).content.decode()
    assert other.code in revoked
    assert certificate.code not in revoked
    found = admin_client.get(LIST_URL, {"q": "Jordan"}).content.decode()
    assert certificate.code in found
    assert other.code not in found
    expiring = admin_client.get(LIST_URL, {"expiring": "false"}).content.decode()
    assert certificate.code in expiring


def test_listing_query_count_does_not_grow_with_rows(admin_client, gcp_course):
    for index in range(2):
        issued(UserFactory(email=f"a{index}@example.org"), gcp_course)
    admin_client.get(LIST_URL)
    with CaptureQueriesContext(connection) as small:
        admin_client.get(LIST_URL)
    for index in range(8):
        issued(UserFactory(email=f"b{index}@example.org"), gcp_course)
    with CaptureQueriesContext(connection) as large:
        admin_client.get(LIST_URL)
    assert len(large) == len(small)


def test_revoke_from_the_admin_records_who_and_why(admin_client, gcp_course, learner):
    certificate = issued(learner, gcp_course)
    url = f"/admin/certificate-actions/{certificate.pk}/revoke/"
    assert admin_client.post(url, {"reason": ""}).status_code == 400
    response = admin_client.post(url, {"reason": "Completed under another's account"})
    assert response.status_code == 302
    certificate.refresh_from_db()
    assert certificate.status == CertificateStatus.REVOKED
    assert certificate.revoked_by.email == "admin@example.org"
    inspect = admin_client.get(f"/admin/certificates/inspect/{certificate.pk}/")
    assert b"Completed under another&#x27;s account" in inspect.content


def test_reissue_from_the_admin_keeps_the_code(admin_client, gcp_course, learner):
    certificate = issued(learner, gcp_course)
    code = certificate.code
    response = admin_client.post(
        f"/admin/certificate-actions/{certificate.pk}/reissue/", {"reason": "Name corrected"}
    )
    assert response.status_code == 302
    certificate.refresh_from_db()
    assert (certificate.code, certificate.files.count()) == (code, 2)


def test_instructors_and_learners_cannot_revoke(client, gcp_course, learner):
    certificate = issued(learner, gcp_course)
    instructor = UserFactory(email="instructor@example.org")
    group = Group.objects.create(name="Some instructors")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    instructor.groups.add(group)
    for user in (instructor, learner):
        client.force_login(user)
        response = client.post(
            f"/admin/certificate-actions/{certificate.pk}/revoke/", {"reason": "x"}
        )
        assert response.status_code in (302, 403)
    certificate.refresh_from_db()
    assert certificate.status == CertificateStatus.ISSUED


def test_certificates_cannot_be_created_or_edited_in_the_admin(admin_client):
    assert admin_client.get("/admin/certificates/new/").status_code in (302, 403)
