"""Question pools: a quiz draws N of its questions per attempt, stored when the attempt starts."""

import random

import pytest
from django.urls import reverse

from enrollments import services
from enrollments.models import QuizAttempt, QuizDraw
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def pool(course):
    """The course's post-test becomes a pool: 6 questions, 3 drawn, options shuffled."""
    post_test = course.get_children().specific().get(modulepage__quiz_kind="post_test")
    post_test.questions = [factories.question(f"Pool {i}") for i in range(6)]
    post_test.draw_count = 3
    post_test.shuffle_options = True
    post_test.save_revision().publish()
    course.attempt_limit = 12
    course.save_revision().publish()
    return post_test


@pytest.fixture
def enrollment(learner, course):
    return services.enroll(user=learner, course=course)[0]


def page(client, module):
    response = client.get(module.url)
    assert response.status_code == 200
    return response.content.decode()


def drawn(enrollment, module, number):
    return QuizDraw.objects.get(enrollment=enrollment, module=module, number=number).questions


def right(questions):
    return {q["id"]: [str(o["index"]) for o in q["options"] if o["correct"]] for q in questions}


def post(client, enrollment, module, answers, number):
    data = {"attempt": str(number), **{f"q-{k}": v for k, v in answers.items()}}
    return client.post(reverse("enrollments:submit_quiz", args=[enrollment.pk, module.pk]), data)


def test_a_seeded_draw_takes_n_questions_in_pool_order_with_options_shuffled(pool):
    questions = services.draw_questions(pool, rng=random.Random(7))
    assert len(questions) == 3
    prompts = [q["prompt"] for q in questions]
    assert prompts == sorted(prompts)  # kept in the pool's order
    assert set(prompts) <= {f"Pool {i}" for i in range(6)}
    for question in questions:
        assert sorted(o["index"] for o in question["options"]) == [0, 1, 2, 3]
        assert [o["index"] for o in question["options"] if o["correct"]] == [1]
    # The same seed draws the same set; shuffling moved at least one question's options.
    assert services.draw_questions(pool, rng=random.Random(7)) == questions
    assert any([o["index"] for o in q["options"]] != [0, 1, 2, 3] for q in questions)


def test_the_form_shows_the_drawn_set_stored_when_the_attempt_starts(
    client, learner, enrollment, pool
):
    client.force_login(learner)
    html = page(client, pool)
    questions = drawn(enrollment, pool, 1)
    assert len(questions) == 3
    assert "3 questions" in html
    for question in questions:
        assert question["prompt"] in html
    for prompt in {f"Pool {i}" for i in range(6)} - {q["prompt"] for q in questions}:
        assert prompt not in html
    # Showing the page again keeps the same draw (one row for attempt 1).
    page(client, pool)
    assert QuizDraw.objects.filter(enrollment=enrollment, module=pool).count() == 1
    # The options appear in the drawn order.
    first = questions[0]
    positions = [html.index(f'id="q-{first["id"]}-{o["index"]}"') for o in first["options"]]
    assert positions == sorted(positions)


def test_grading_and_the_review_use_the_drawn_set(client, learner, enrollment, pool):
    client.force_login(learner)
    page(client, pool)
    questions = drawn(enrollment, pool, 1)
    response = post(client, enrollment, pool, right(questions), 1)
    assert response.status_code == 302
    attempt = QuizAttempt.objects.get(enrollment=enrollment, module=pool)
    assert (attempt.correct_count, attempt.question_count, attempt.score, attempt.passed) == (
        3, 3, 100, True,
    )  # fmt: skip
    assert attempt.questions == questions
    review = client.get(response.url).content.decode()
    assert "3 of 3 correct" in review
    assert review.count("✓ Correct") == 3


def test_answers_naming_a_question_not_drawn_are_400_and_record_nothing(
    client, learner, enrollment, pool
):
    client.force_login(learner)
    page(client, pool)
    questions = drawn(enrollment, pool, 1)
    drawn_ids = {q["id"] for q in questions}
    other = next(block for block in pool.questions if block.id not in drawn_ids)
    answers = right(questions)
    answers[other.id] = ["1"]
    response = post(client, enrollment, pool, answers, 1)
    assert response.status_code == 400
    assert b"not in this quiz" in response.content
    # Swapping a drawn question for one not drawn is refused too.
    answers = right(questions[1:])
    answers[other.id] = ["1"]
    assert post(client, enrollment, pool, answers, 1).status_code == 400
    assert QuizAttempt.objects.count() == 0


def test_a_submission_for_an_attempt_never_started_is_400(client, learner, enrollment, pool):
    client.force_login(learner)
    answers = {block.id: ["1"] for block in pool.questions}
    response = post(client, enrollment, pool, answers, 1)
    assert response.status_code == 400
    assert b"not started" in response.content
    assert QuizAttempt.objects.count() == 0


def test_retakes_draw_again(client, learner, enrollment, pool):
    client.force_login(learner)
    sets = []
    for number in range(1, 9):
        page(client, pool)
        questions = drawn(enrollment, pool, number)
        sets.append(tuple(q["id"] for q in questions))
        wrong = {q["id"]: [str(next(o["index"] for o in q["options"] if not o["correct"]))]
                 for q in questions}  # fmt: skip
        assert post(client, enrollment, pool, wrong, number).status_code == 302
    assert QuizDraw.objects.filter(enrollment=enrollment, module=pool).count() == 8
    assert all(len(ids) == 3 for ids in sets)
    # 8 draws of 3 from 6 (20 possible sets): all alike would be a chance of 1 in 20**7.
    assert len(set(sets)) > 1
