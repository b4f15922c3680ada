"""An attempt keeps the questions it was graded on: editing a live quiz rewrites no past attempt."""

import importlib
import re

import pytest
from django.apps import apps
from django.urls import reverse

from enrollments import services
from enrollments.models import QuizAttempt
from tests.factories import correct_answers, question

pytestmark = pytest.mark.django_db
backfill = importlib.import_module(
    "enrollments.migrations.0005_backfill_attempt_questions"
).backfill


@pytest.fixture
def enrollment(learner, course):
    return services.enroll(user=learner, course=course)[0]


def review_text(client, enrollment, module, number=1) -> str:
    response = client.get(reverse("enrollments:attempt", args=[enrollment.pk, module.pk, number]))
    assert response.status_code == 200
    html = response.content.decode()
    # Only the part that depends on the attempt: the heading, the count and the questions.
    main = html[html.index('<header class="page-header">') : html.index("</ol>")]
    return re.sub(r"\s+", " ", re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", main))


def edit_answer_key(module, *, prompt="Edited prompt", correct=0):
    """Publish a revision whose every question now has option ``correct`` right."""
    stream = module.questions.raw_data
    for block in stream:
        block["value"]["prompt"] = prompt
        for index, option in enumerate(block["value"]["options"]):
            value = option["value"] if "value" in option else option
            value["correct"] = index == correct
    module.questions = list(stream)
    module.save_revision().publish()
    module.refresh_from_db()


def test_the_attempt_records_exactly_the_questions_graded(enrollment, modules):
    post_test = modules[-1]
    attempt = services.submit_quiz(
        enrollment=enrollment, module_id=post_test.pk, answers=correct_answers(post_test),
        attempt_number=1,
    )  # fmt: skip
    attempt.refresh_from_db()
    first = post_test.questions[0]
    assert len(attempt.questions) == 5
    assert attempt.questions[0] == {
        "id": first.id,
        "prompt": "Q0",
        "explanation": "<p>Because.</p>",
        "options": [
            {"index": 0, "text": "Option 0", "correct": False},
            {"index": 1, "text": "Option 1", "correct": True},
            {"index": 2, "text": "Option 2", "correct": False},
            {"index": 3, "text": "Option 3", "correct": False},
        ],
    }
    assert attempt.answers == {block.id: [1] for block in post_test.questions}
    assert [q["id"] for q in attempt.questions] == [b.id for b in post_test.questions]


def test_the_review_reads_the_same_before_and_after_the_quiz_is_edited(
    client, learner, enrollment, modules
):
    post_test = modules[-1]
    client.force_login(learner)
    services.submit_quiz(
        enrollment=enrollment, module_id=post_test.pk, answers=correct_answers(post_test),
        attempt_number=1,
    )  # fmt: skip
    before = review_text(client, enrollment, post_test)
    assert "Passed: 100%" in before
    assert "5 of 5 correct" in before
    assert before.count("✓ Correct") == 5
    assert "✗ Incorrect" not in before

    # An editor moves every answer key to option 0 and renames the questions.
    edit_answer_key(post_test)
    after = review_text(client, enrollment, post_test)

    assert after == before
    assert "Edited prompt" not in after
    attempt = QuizAttempt.objects.get(enrollment=enrollment)
    assert (attempt.correct_count, attempt.score, attempt.passed) == (5, 100, True)


def test_a_question_removed_after_the_attempt_still_shows_in_its_review(
    client, learner, enrollment, course
):
    from tests.factories import module as make_module

    check = make_module(course, "Check", quiz_kind="knowledge_check",
                        questions=[question("Kept"), question("Removed later")])  # fmt: skip
    client.force_login(learner)
    services.submit_quiz(
        enrollment=enrollment, module_id=check.pk, answers=correct_answers(check),
        attempt_number=1,
    )  # fmt: skip
    check.questions = [check.questions.raw_data[0]]
    check.save_revision().publish()
    text = review_text(client, enrollment, check)
    assert "Removed later" in text
    assert text.count("✓ Correct") == 2


def test_backfill_takes_the_revision_live_when_the_attempt_was_submitted(
    learner, enrollment, modules
):
    post_test = modules[-1]
    services.submit_quiz(
        enrollment=enrollment, module_id=post_test.pk, answers=correct_answers(post_test),
        attempt_number=1,
    )  # fmt: skip
    edit_answer_key(post_test, prompt="Later wording")
    # As a database migrated to 0004 has them: attempts without their questions.
    QuizAttempt.objects.update(questions=[])

    backfill(apps, None)

    attempt = QuizAttempt.objects.get()
    assert [q["prompt"] for q in attempt.questions] == ["Q0", "Q1", "Q2", "Q3", "Q4"]
    assert all([o["index"] for o in q["options"] if o["correct"]] == [1] for q in attempt.questions)
    assert attempt.questions[0]["explanation"] == "<p>Because.</p>"


def test_backfill_without_a_publication_log_takes_the_current_questions(
    learner, enrollment, modules
):
    from wagtail.models import PageLogEntry

    post_test = modules[-1]
    services.submit_quiz(
        enrollment=enrollment, module_id=post_test.pk, answers=correct_answers(post_test),
        attempt_number=1,
    )  # fmt: skip
    edit_answer_key(post_test, prompt="Current wording")
    PageLogEntry.objects.filter(page=post_test).delete()
    QuizAttempt.objects.update(questions=[])
    kept = QuizAttempt.objects.create(
        enrollment=enrollment, module=post_test, number=2, score=0, passed=False,
        questions=[{"id": "x", "prompt": "kept", "explanation": "", "options": []}],
    )  # fmt: skip

    backfill(apps, None)

    attempt = QuizAttempt.objects.get(number=1)
    assert [q["prompt"] for q in attempt.questions] == ["Current wording"] * 5
    assert [o["correct"] for o in attempt.questions[0]["options"]] == [True, False, False, False]
    kept.refresh_from_db()
    assert kept.questions[0]["prompt"] == "kept"
