"""Every field an instructor fills in has a capitalised label and help text."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from courses.permissions import ensure_instructor_group
from tests.accounts.factories import UserFactory
from tests.courses import factories

pytestmark = pytest.mark.django_db

# Wagtail's own fields (title, slug, SEO...) come with Wagtail's help; these are the project's.
COURSE_FIELDS = (
    "code", "summary", "objectives", "audience", "level", "estimated_minutes", "faculty",
    "release_date", "last_review_date", "termination_date", "pass_mark", "attempt_limit",
    "certificate_validity_months", "is_gcp", "ich_e6_revision", "enrollment_open",
    "prerequisites", "evaluation_required", "refresher_for",
)  # fmt: skip
MODULE_FIELDS = ("estimated_minutes", "body", "quiz_kind")


@pytest.fixture
def instructor_client(client):
    ctn = factories.program("ctn", "Clinical Trials Network")
    ensure_instructor_group(ctn)
    user = UserFactory(email="ctn.instructor@example.org")
    user.groups.add(Group.objects.get(name="CTN instructors"))
    client.force_login(user)
    course = factories.course(ctn, "CTN-101", modules=1)
    return client, course


@pytest.mark.parametrize("kind", ["course", "module"])
def test_every_field_has_a_capitalised_label_and_help(instructor_client, kind):
    client, course = instructor_client
    page = course if kind == "course" else course.get_children().first()
    form = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).context["form"]
    names = COURSE_FIELDS if kind == "course" else MODULE_FIELDS
    lower = [name for name in names if not str(form.fields[name].label)[:1].isupper()]
    unhelped = [name for name in names if not str(form.fields[name].help_text).strip()]
    assert (lower, unhelped) == ([], [])


def test_the_enduring_rule_is_stated_before_it_is_enforced(instructor_client):
    client, course = instructor_client
    form = client.get(reverse("wagtailadmin_pages:edit", args=[course.pk])).context["form"]
    assert "at most 3 years" in str(form.fields["termination_date"].help_text)
    assert "at most 3 years" in str(form.fields["release_date"].help_text)
