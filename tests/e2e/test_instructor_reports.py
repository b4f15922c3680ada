"""The CTN instructor reads their course's evaluations and their post-test's question statistics
in a browser: figures, the bias flag, anonymous comments, the attempts toggle, no axe violations."""

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group

from courses.permissions import ensure_instructor_group
from enrollments.models import CourseEvaluation, Enrollment, QuizAttempt
from enrollments.services import question_snapshot
from tests.courses import factories
from tests.e2e.test_accessibility import Audit

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
PASSWORD = "Fluorine-18-FDG-2027"
# (Q1 choice, Q2 choice) per learner's first attempt; right answers are option 1 and option 0.
FIRST_ATTEMPTS = [(1, 0), (1, 0), (1, 2), (0, 0)]


def user(django_user_model, email, **extra):
    account = django_user_model.objects.create_user(email, PASSWORD, full_name=email, **extra)
    EmailAddress.objects.create(user=account, email=email, verified=True, primary=True)
    return account


def build(django_user_model):
    ctn = factories.program("ctn", "CTN Clinical Research Education")
    cmiit = factories.program("cmiit", "CMIIT")
    ensure_instructor_group(ctn)
    ensure_instructor_group(cmiit)
    course = factories.course(ctn, "CTN-101", modules=1, title="GCP for Imaging Trials")
    other = factories.course(cmiit, "CMIIT-101", modules=1, title="Translational Imaging")
    quiz = factories.module(course, title="Post-test", quiz_kind="post_test", questions=[
        factories.question("Who signs Form FDA 1572?", correct=(1,), options=3),
        factories.question("How long is a GCP certificate valid?", correct=(0,), options=3),
    ])  # fmt: skip
    snapshot = question_snapshot(quiz)
    for i, choices in enumerate(FIRST_ATTEMPTS):
        learner = user(django_user_model, f"learner{i}@example.org")
        enrollment = Enrollment.objects.create(user=learner, course=course)
        QuizAttempt.objects.create(
            enrollment=enrollment, module=quiz, number=1, questions=snapshot, score=0,
            passed=False, answers={q["id"]: [c] for q, c in zip(snapshot, choices, strict=True)},
        )  # fmt: skip
        CourseEvaluation.objects.create(
            enrollment=enrollment, overall=(5, 4, 4, 2)[i], relevance=(3, 3, 4, 5)[i],
            objectives_met=True, free_of_bias=i != 1, would_recommend=i != 3,
            comments=("Clear and practical.", "The vendor slides read like an advert.", "",
                      "Too long.")[i],
        )  # fmt: skip
    stranger = user(django_user_model, "cmiit.learner@example.org")
    CourseEvaluation.objects.create(
        enrollment=Enrollment.objects.create(user=stranger, course=other), overall=1,
        relevance=1, objectives_met=False, free_of_bias=True, would_recommend=False,
        comments="CMIIT remark",
    )  # fmt: skip
    instructor = user(django_user_model, "instructor.ctn@example.org")
    instructor.groups.add(Group.objects.get(name="CTN instructors"))
    return quiz, instructor


def test_the_ctn_instructor_reads_evaluations_and_question_statistics(ui, django_user_model):
    quiz, instructor = build(django_user_model)
    page = ui.page
    ui.goto("/accounts/login/")
    page.get_by_label("Email").fill(instructor.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    audit = Audit(ui)

    audit.check("evaluations", "/admin/learning-reports/evaluations/")
    alert = page.get_by_role("alert").filter(has_text="Commercial bias reported")
    assert "1 learner answered that the content was not free of commercial bias" in (
        alert.inner_text()
    )
    row = page.locator("table.listing tbody tr").filter(has_text="CTN-101")
    assert "3.75" in row.inner_text()  # overall (5 + 4 + 4 + 2) / 4
    assert "0 · 1 · 0 · 2 · 1" in row.inner_text()
    assert "CMIIT-101" not in page.content()
    ui.screenshot("evaluations")

    audit.check("evaluation comments", "/admin/learning-reports/evaluation-comments/")
    table = page.locator("table.listing").inner_text()
    assert "The vendor slides read like an advert." in table
    assert "learner1@example.org" not in page.content() and "CMIIT remark" not in table
    ui.screenshot("evaluation-comments")

    audit.check(
        "question statistics", f"/admin/learning-reports/question-statistics/?quiz={quiz.pk}"
    )
    rows = page.locator("table.listing tbody tr")
    # Q1: 3 of 4 right (75.0); Q2: 3 of 4 right (75.0).
    assert rows.count() == 2
    assert "75.0" in rows.nth(0).inner_text()
    assert "Option 1 (correct): 3 (75.0%)" in rows.nth(0).inner_text()
    ui.screenshot("question-statistics-first")
    ui.goto(f"/admin/learning-reports/question-statistics/?quiz={quiz.pk}&attempts=all")
    assert page.locator("table.listing tbody tr").count() == 2
    ui.screenshot("question-statistics-all")

    response = ui.goto("/admin/learning-reports/question-statistics/?quiz=999999")
    assert response.status == 404
    assert audit.write() == {}
    assert ui.server_errors == []
