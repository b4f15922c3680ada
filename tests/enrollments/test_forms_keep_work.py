"""Forms that keep work: an incomplete quiz comes back filled in, and every form's errors are in a
summary at the top, linked to their fields and tied to the inputs."""

import re

import pytest
from django.urls import reverse

from enrollments import services
from enrollments.models import Enrollment, QuizAttempt
from tests.courses import factories
from tests.enrollments.conftest import correct_answers

# A cache namespace of its own: pages these tests cache never answer the tests after them.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_cache")]


@pytest.fixture
def signed_in(client, learner):
    client.force_login(learner)
    return client


@pytest.fixture
def quiz(course):
    """A post-test with a "select all that apply" question and two single-answer ones."""
    return factories.module(
        course, title="Final check", quiz_kind="post_test",
        questions=[
            factories.question("Which isotopes are PET emitters?", correct=(0, 2)),
            factories.question("Which half-life has F-18?"),
            factories.question("Who signs the charter?"),
        ],
    )  # fmt: skip


def test_an_incomplete_quiz_comes_back_with_its_answers_and_uses_no_attempt(
    signed_in, learner, course, quiz
):
    enrollment, _ = services.enroll(user=learner, course=course)
    first, second, third = (block.id for block in quiz.questions)
    url = reverse("enrollments:submit_quiz", args=[enrollment.pk, quiz.pk])
    # The "select all that apply" question left blank; the two others answered.
    response = signed_in.post(url, {"attempt": "1", f"q-{second}": "3", f"q-{third}": "1"})

    assert response.status_code == 400
    html = response.content.decode()
    assert "Answer 1 more question before submitting" in html
    assert re.search(rf'<a href="#q-{first}-0">Question 1: Which isotopes', html) is not None
    # The unanswered question says so beside it, tied to its inputs.
    assert f'aria-describedby="q-{first}-error"' in html
    assert f'id="q-{first}-error">Select at least one answer.' in html
    # The answers given are kept; nothing else is checked.
    checked = re.findall(r'id="(q-[^"]+)"[^>]* checked', html)
    assert checked == [f"q-{second}-3", f"q-{third}-1"]
    # The form is the same attempt again; no attempt was recorded or counted.
    assert '<input type="hidden" name="attempt" value="1">' in html
    assert QuizAttempt.objects.count() == 0
    assert Enrollment.objects.get(pk=enrollment.pk).post_test_attempts == 0


def test_the_completed_quiz_after_an_incomplete_one_is_attempt_one(
    signed_in, learner, course, quiz
):
    enrollment, _ = services.enroll(user=learner, course=course)
    url = reverse("enrollments:submit_quiz", args=[enrollment.pk, quiz.pk])
    signed_in.post(url, {"attempt": "1"})
    answers = {f"q-{key}": value for key, value in correct_answers(quiz).items()}
    response = signed_in.post(url, {"attempt": "1", **answers})
    assert response.status_code == 302
    assert list(QuizAttempt.objects.values_list("number", "passed")) == [(1, True)]


def test_evaluation_errors_are_summarised_and_tied_to_their_radios(signed_in, learner, course):
    enrollment, _ = services.enroll(user=learner, course=course)
    for module in course.get_modules():
        module = module.specific
        if module.quiz_kind:
            services.submit_quiz(enrollment=enrollment, module_id=module.pk,
                                 answers=correct_answers(module), attempt_number=1)  # fmt: skip
        else:
            services.complete_module(enrollment=enrollment, module_id=module.pk)
    url = reverse("enrollments:evaluation", args=[enrollment.pk])
    html = signed_in.post(url, {"relevance": "4"}).content.decode()

    summary = html.split("data-error-summary", 1)[1].split("</div>", 1)[0]
    assert '<a href="#id_overall_0">Overall, how would you rate this activity?' in summary
    assert "#id_relevance_0" not in summary
    assert '<fieldset aria-describedby="id_overall_error">' in html
    assert '<ul class="errorlist" id="id_overall_error">' in html
    assert re.search(r'<input type="radio" name="overall" value="5"[^>]*aria-invalid="true"', html)
