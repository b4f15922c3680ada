"""The Wagtail Site has SITE_URL's address: the admin and workflow mails never say "localhost"."""

import importlib

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse
from wagtail.models import Site, Workflow

from courses.permissions import ensure_instructor_group, ensure_review_workflow
from home.services import configure_default_site
from tests.accounts.factories import UserFactory
from tests.courses import factories

pytestmark = pytest.mark.django_db
SITE_URL = "https://learn.example.org"
migration = importlib.import_module("home.migrations.0010_default_site_from_site_url")


@pytest.fixture
def site_url(settings):
    settings.SITE_URL = SITE_URL
    settings.WAGTAILADMIN_BASE_URL = SITE_URL
    settings.WAGTAIL_SITE_NAME = "SNMMI Learning"
    # As Wagtail's initial migration leaves it, before the project's own data step.
    Site.objects.filter(is_default_site=True).update(hostname="localhost", port=80, site_name="")
    return SITE_URL


def test_the_data_step_gives_wagtails_initial_site_the_configured_address(site_url):
    migration.address_default_site(apps, None)
    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port, site.site_name, site.root_url) == (
        "learn.example.org", 443, "SNMMI Learning", SITE_URL,
    )  # fmt: skip


def test_the_data_step_keeps_an_address_someone_set(site_url):
    Site.objects.filter(is_default_site=True).update(hostname="lms.snmmi.org", port=443)
    migration.address_default_site(apps, None)
    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port) == ("lms.snmmi.org", 443)


def test_a_non_default_port_is_kept_in_the_root_url(site_url):
    site = configure_default_site(site_url="http://127.0.0.1:8000", site_name="Demo")
    assert (site.root_url, site.site_name) == ("http://127.0.0.1:8000", "Demo")


@pytest.fixture
def course_in_review(site_url):
    ctn = factories.program("ctn", "Clinical Trials Network")
    ensure_instructor_group(ctn)
    ensure_review_workflow(factories.home_page())
    course = factories.course(ctn, "CTN-101", modules=1, title="GCP basics")
    instructor = UserFactory(email="ctn.instructor@example.org")
    instructor.groups.add(Group.objects.get(name="CTN instructors"))
    admin = UserFactory(email="admin@example.org", is_superuser=True, is_staff=True)
    configure_default_site()
    return course, instructor, admin


def test_the_page_listing_and_status_panel_name_the_site_not_localhost(client, course_in_review):
    course, _, admin = course_in_review
    client.force_login(admin)
    listing = client.get(reverse("wagtailadmin_explore", args=[course.pk])).content.decode()
    editor = client.get(reverse("wagtailadmin_pages:edit", args=[course.pk])).content.decode()
    assert "SNMMI Learning [default]" in listing  # the listing's site filter
    assert f'href="{course.url}"' in editor  # the status panel's live link, on this site
    assert ("localhost" in listing, "localhost" in editor) == (False, False)
    assert course.full_url == f"{SITE_URL}{course.url}"


def test_workflow_mails_link_the_site_url(course_in_review, django_capture_on_commit_callbacks):
    course, instructor, admin = course_in_review
    course.save_revision(user=instructor)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        Workflow.objects.get(name="Course review").start(course, instructor)
    with django_capture_on_commit_callbacks(execute=True):
        state = course.current_workflow_state
        state.current_task_state.task.specific.on_action(state.current_task_state, admin, "approve")
    bodies = [message.body for message in mail.outbox]
    assert len(bodies) == 2
    assert f"{SITE_URL}{course.url}" in bodies[1]  # "You can view the page here:"
    assert all(SITE_URL in body and "localhost" not in body for body in bodies)
