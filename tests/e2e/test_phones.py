"""The main pages at 320, 390 and 1366 px on the demo curriculum: nothing wider than the
screen, the catalog's filters behind a button on a phone, the enroll/continue action in the
first screen, and no axe violation in the real content. Screenshots go to
var/test/e2e-screenshots/main_pages_fit_every_screen/."""

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse

from courses.demo import load_demo_curriculum
from courses.models import CoursePage, ModulePage
from enrollments import services
from tests.accounts.factories import UserFactory
from tests.e2e.test_accessibility import sign_in, violations

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

WIDTHS = (320, 390, 1366)
PHONE_HEIGHT = 740


def overflow(page) -> int:
    """How many pixels the page is wider than the screen (0 when it fits)."""
    return page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


def test_main_pages_fit_every_screen(ui):
    from playwright.sync_api import expect

    load_demo_curriculum(log=lambda *_: None)
    course = CoursePage.objects.live().get(code="CTN-101").specific
    modules = list(course.get_modules())
    diagram = next(m for m in ModulePage.objects.live().descendant_of(course)
                   if "image" in [b.block_type for b in m.body])  # fmt: skip
    post_test = next(m for m in modules if m.quiz_kind == "post_test")
    learner = UserFactory(email="phone@example.org", full_name="Amara Okafor")
    EmailAddress.objects.create(user=learner, email=learner.email, verified=True, primary=True)
    enrollment, _ = services.enroll(user=learner, course=course)
    services.complete_module(enrollment=enrollment, module_id=modules[0].pk)

    page = ui.page
    anonymous = {"home": "/", "catalog": reverse("courses:catalog"), "sign-in": "/accounts/login/",
                 "verify": "/verify/", "course-anonymous": course.url}  # fmt: skip
    signed_in = {"my-learning": reverse("enrollments:dashboard"), "course": course.url,
                 "diagram": diagram.url, "post-test": post_test.url,
                 "transcript": reverse("certificates:transcript"),
                 "profile": reverse("profile")}  # fmt: skip
    too_wide = {}
    found = {}
    for group in (anonymous, signed_in):
        if group is signed_in:
            sign_in(ui, learner.email)
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": PHONE_HEIGHT})
            for name, path in group.items():
                ui.goto(path)
                page.wait_for_load_state("load")
                if (extra := overflow(page)) > 0:
                    too_wide[f"{name} at {width}px"] = extra
                ui.screenshot(f"{width}-{name}")
                if width in (320, 1366) and (problems := violations(page)):
                    found[f"{name} at {width}px"] = problems

            if width < 640:
                # The catalog's filters wait behind a button; the search box does not.
                ui.goto(reverse("courses:catalog"))
                expect(page.get_by_role("textbox", name="Search")).to_be_visible()
                profession = page.locator("#catalog-filters")
                expect(profession).to_be_hidden()
                page.get_by_role("button", name="Filters").click()
                expect(profession).to_be_visible()
                # The course's main action is in the first screen.
                ui.goto(course.url)
                action = page.locator(".mobile-only .enroll-panel .button").first
                box = action.bounding_box()
                assert box is not None and box["y"] + box["height"] < PHONE_HEIGHT
    assert too_wide == {}
    # The demo curriculum's own content (headings in lessons, diagrams) passes axe too.
    assert found == {}
