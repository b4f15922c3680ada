"""The module editor in a browser: a new question has two empty options and no error; the status
panel says who can open the module."""

import pytest
from django.contrib.auth.models import Group

from courses.permissions import ensure_instructor_group
from tests.courses import factories
from tests.e2e.test_instructor_editions import sign_in, user

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_a_new_question_shows_two_empty_options_and_no_error(ui, django_user_model):
    program = factories.program("ctn", "CTN Clinical Research Education")
    ensure_instructor_group(program)
    module = factories.course(program, "CTN-101", modules=1).get_children().first()
    instructor = user(django_user_model, "ctn.instructor@example.org")
    instructor.groups.add(Group.objects.get(name="CTN instructors"))
    sign_in(ui, instructor.email)

    ui.goto(f"/admin/pages/{module.pk}/edit/")
    page = ui.page
    field = page.locator("[data-contentpath='questions']")
    # Questions are the only block here: "+" adds one at once (no chooser).
    field.get_by_role("button", name="Insert a block").first.click()
    question = field.locator("[data-contentpath='options']").first
    question.wait_for()
    question.scroll_into_view_if_needed()
    ui.screenshot("new-question")

    options = question.locator("[data-contentpath='text'] input")
    assert options.count() == 2
    assert [options.nth(i).input_value() for i in range(2)] == ["", ""]
    errors = field.locator(".help-critical, .error-message, .w-field__errors").all_inner_texts()
    assert [text.strip() for text in errors if text.strip()] == []
    assert field.get_by_text("The minimum number of items is").count() == 0

    # The status panel says who can open the module (enrolled learners), not "Visible to all".
    page.locator("[data-side-panel-toggle='status']").first.click()
    panel = page.locator("[data-side-panel='status']")
    panel.get_by_text("Enrolled learners only").wait_for()
    ui.screenshot("status-panel")
    assert panel.get_by_text("Visible to all").count() == 0
