"""Regrade in a browser: an administrator picks the quiz and question, reads the preview, confirms
and applies it; the learner who now passes completes the course."""

import pytest

from enrollments import services
from enrollments.models import Enrollment, QuizAttempt, Regrade
from tests.courses import factories
from tests.e2e.test_instructor_editions import sign_in, user
from tests.enrollments.test_regrade import ANSWERS, fix_q0

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_an_administrator_previews_and_applies_a_regrade(ui, django_user_model):
    program = factories.program("ctn", "CTN Clinical Research Education")
    course = factories.course(program, "CTN-201", modules=1, post_test=True, pass_mark=80,
                              evaluation_required=False)  # fmt: skip
    lesson, post_test = course.get_children().specific().order_by("path")
    for email, chosen in ANSWERS.items():
        enrollment = services.enroll(user=user(django_user_model, email), course=course)[0]
        services.complete_module(enrollment=enrollment, module_id=lesson.pk)
        answers = {block.id: [str(chosen[i])] for i, block in enumerate(post_test.questions)}
        services.submit_quiz(enrollment=enrollment, module_id=post_test.pk, answers=answers,
                             attempt_number=1)  # fmt: skip
    fix_q0(post_test)
    admin = user(django_user_model, "admin@example.org", is_staff=True, is_superuser=True)
    sign_in(ui, admin.email)

    page = ui.page
    ui.goto("/admin/")
    page.get_by_role("link", name="Regrade").first.click()
    page.get_by_label("Quiz").select_option(label="CTN-201 · Post-test")
    page.get_by_role("button", name="Show its questions").click()
    page.get_by_role("row", name="Q0").get_by_role("link", name="Preview regrade").click()
    page.get_by_text("4 attempts change score.").wait_for()
    ui.screenshot("regrade-preview")
    summary = page.locator(".regrade-summary").inner_text()
    assert "Attempts passed: 3 before, 3 after." in summary
    assert "1 learner now passes: ben@example.org" in summary
    assert "1 learner now fails: dee@example.org" in summary
    assert page.locator("table.listing tbody tr").count() == 4

    # Without the confirmation nothing happens.
    page.get_by_role("button", name="Apply the regrade").click()
    page.get_by_text("Tick the box to confirm the regrade.").wait_for()
    assert Regrade.objects.count() == 0

    page.get_by_label("I have checked the preview: change these attempts.").check()
    page.get_by_role("button", name="Apply the regrade").click()
    page.get_by_text("Regraded: 4 attempts changed score.").wait_for()
    ui.screenshot("regrade-applied")
    row = page.locator("table.listing tbody tr").first.inner_text()
    assert "3 → 3" in row and "1 / 1" in row

    assert Regrade.objects.get().user == admin
    ben = Enrollment.objects.get(user__email="ben@example.org")
    assert ben.is_completed
    assert QuizAttempt.objects.get(enrollment=ben).passed
    assert ui.server_errors == []
