"""Editions: "New edition" (and Wagtail's copy) makes a linked draft copy with its own code."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.models import Page

from courses.models import CoursePage, ModulePage
from courses.permissions import ensure_instructor_group, ensure_review_workflow
from enrollments.models import Enrollment
from enrollments.services import EnrollmentRefused, enroll
from tests.accounts.factories import UserFactory
from tests.courses import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def ctn():
    return factories.program("ctn", "Clinical Trials Network")


@pytest.fixture
def course(ctn):
    course = factories.course(
        ctn, "CTN-101", modules=2, post_test=True, title="GCP basics", course_version="2026",
        credits=(("AMA_PRA_1", "1.5"), ("VOICE_CEH", "1.5")),
    )  # fmt: skip
    return course


@pytest.fixture
def instructor(client, ctn):
    ensure_instructor_group(ctn)
    ensure_review_workflow(factories.home_page())
    user = UserFactory(email="ctn.instructor@example.org")
    user.groups.add(Group.objects.get(name="CTN instructors"))
    client.force_login(user)
    return user


def new_edition_url(course):
    return reverse("courses_admin:new_edition", args=[course.pk])


def make_edition(client, course, code="CTN-101-2027", version="2027"):
    return client.post(
        new_edition_url(course), {"title": course.title, "code": code, "version": version}
    )


def test_new_edition_copies_modules_quizzes_and_credits_as_linked_drafts(
    client, instructor, course
):
    response = make_edition(client, course)
    edition = CoursePage.objects.get(code="CTN-101-2027")
    assert response.status_code == 302
    assert response.url == reverse("wagtailadmin_explore", args=[edition.pk])
    assert edition.previous_edition_id == course.pk
    assert edition.course_version == "2027"
    assert edition.live is False
    assert edition.get_parent().pk == course.get_parent().pk
    assert sorted((c.credit_type.code, str(c.hours)) for c in edition.credits.all()) == [
        ("AMA_PRA_1", "1.50"),
        ("VOICE_CEH", "1.50"),
    ]
    old_modules = list(ModulePage.objects.child_of(course).order_by("path"))
    new_modules = list(ModulePage.objects.child_of(edition).order_by("path"))
    assert [m.title for m in new_modules] == [m.title for m in old_modules]
    assert [m.live for m in new_modules] == [False] * len(old_modules)
    assert [len(m.questions) for m in new_modules] == [len(m.questions) for m in old_modules]
    # The old edition is untouched and still live.
    course.refresh_from_db()
    assert course.live is True
    assert course.code == "CTN-101"


def test_a_duplicate_code_is_a_form_error_and_copies_nothing(client, instructor, course):
    pages_before = Page.objects.count()
    response = make_edition(client, course, code="ctn-101")
    assert response.status_code == 400
    assert "The course code ctn-101 is already in use." in response.content.decode()
    assert Page.objects.count() == pages_before


def test_wagtail_copy_of_a_course_asks_for_the_new_code_instead_of_failing(
    client, instructor, course
):
    copy_url = reverse("wagtailadmin_pages:copy", args=[course.pk])
    response = client.get(copy_url)
    assert response.status_code == 302
    assert response.url == new_edition_url(course)
    pages_before = Page.objects.count()
    # The copy form as Wagtail posts it (same code: the IntegrityError of old) changes nothing.
    response = client.post(
        copy_url,
        {"new_title": "GCP basics copy", "new_slug": "gcp-copy", "new_parent_page": str(
            course.get_parent().pk), "copy_subpages": "on"},
    )  # fmt: skip
    assert response.status_code == 302
    assert Page.objects.count() == pages_before


def test_course_header_offers_new_edition(client, instructor, course):
    response = client.get(reverse("wagtailadmin_explore", args=[course.pk]))
    assert new_edition_url(course) in response.content.decode()


def test_catalog_lists_only_the_current_edition_once_it_is_live(client, instructor, course):
    make_edition(client, course)
    edition = CoursePage.objects.get(code="CTN-101-2027")
    catalog = client.get(reverse("courses:catalog")).content.decode()
    assert f"/{edition.slug}/" not in catalog  # a draft edition does not replace anything yet
    assert f"/{course.slug}/" in catalog
    edition.save_revision().publish()
    catalog = client.get(reverse("courses:catalog")).content.decode()
    program = client.get(course.get_parent().url).content.decode()
    for listing in (catalog, program):
        assert f"/{edition.slug}/" in listing
        assert f"/{course.slug}/" not in listing


def test_an_older_edition_serves_its_enrolled_learners_until_its_termination_date(
    client, instructor, course
):
    learner = UserFactory(email="enrolled@example.org")
    newcomer = UserFactory(email="newcomer@example.org")
    Enrollment.objects.create(user=learner, course=course)
    make_edition(client, course)
    CoursePage.objects.get(code="CTN-101-2027").save_revision().publish()
    with pytest.raises(EnrollmentRefused, match="CTN-101-2027"):
        enroll(user=newcomer, course=course)
    module = ModulePage.objects.child_of(course).first()
    client.force_login(learner)
    assert "Lesson text about GCP" in client.get(module.url).content.decode()
    CoursePage.objects.filter(pk=course.pk).update(termination_date=datetime.date(2020, 1, 1))
    course.refresh_from_db()
    course.save_revision().publish()  # as an editor changes it: the pages show it at once
    body = client.get(module.url).content.decode()
    assert "Lesson text about GCP" not in body
    assert "This module is closed" in body
    assert "newer edition replaces it" in body


def test_a_certificate_names_its_edition(client, course):
    from certificates import services
    from tests.certificates.conftest import completed_enrollment

    enrollment = completed_enrollment(UserFactory(email="done@example.org"), course)
    pending = services.create_pending_certificate(enrollment_id=enrollment.pk)
    certificate = services.issue_certificate(certificate_id=pending.pk)
    assert certificate.course_version == "2026"
    body = client.get(certificate.get_absolute_url()).content.decode()
    assert "<dt>Edition</dt><dd>2026</dd>" in body
