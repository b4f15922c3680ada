"""Question statistics: facility, point-biserial discrimination, option counts and flags, read
from each attempt's snapshot, with figures worked out by hand in the comments."""

import csv
import io

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext

from enrollments.models import QuizAttempt
from enrollments.services import question_snapshot
from reports import item_analysis, selectors
from tests.accounts.factories import UserFactory
from tests.courses import factories
from tests.factories import EnrollmentFactory

pytestmark = pytest.mark.django_db

STATS = "/admin/learning-reports/question-statistics/"
LABELS = {"too_easy": "easy", "too_hard": "hard", "negative": "negative"}

# First attempts of five learners at a three-question quiz (correct options: Q1 1, Q2 0, Q3 2).
FIRST = {
    "A": (1, 0, 2),  # all right
    "B": (1, 0, 0),  # Q3 wrong
    "C": (1, 1, 2),  # Q2 wrong
    "D": (1, 3, 0),  # Q2, Q3 wrong
    "E": (0, 0, 1),  # Q1, Q3 wrong
}


@pytest.fixture
def quiz(catalog):
    course = catalog["gcp"]
    module = factories.module(course, "Post-test", quiz_kind="post_test", questions=[
        factories.question("Q1 prompt", correct=(1,)),
        factories.question("Q2 prompt", correct=(0,)),
        factories.question("Q3 prompt", correct=(2,)),
    ])  # fmt: skip
    return module


def attempt(module, learner, choices, *, number=1, questions=None):
    snapshot = question_snapshot(module) if questions is None else questions
    full = question_snapshot(module)
    ids = [q["id"] for q in full]
    enrollment = EnrollmentFactory(
        course=module.get_parent().specific, user=UserFactory(email=f"{learner}@example.org")
    ) if number == 1 else QuizAttempt.objects.get(
        enrollment__user__email=f"{learner}@example.org", number=1
    ).enrollment  # fmt: skip
    answers = {
        qid: [choice] for qid, choice in zip(ids, choices, strict=False) if choice is not None
    }
    return QuizAttempt.objects.create(
        enrollment=enrollment, module=module, number=number, questions=snapshot,
        answers={k: v for k, v in answers.items() if k in {q["id"] for q in snapshot or full}},
        score=0, passed=False,
    )  # fmt: skip


@pytest.fixture
def attempts(quiz):
    for learner, choices in FIRST.items():
        attempt(quiz, learner, choices)
    attempt(quiz, "D", (1, 0, 2), number=2)  # D's second attempt: all right
    return quiz


def stats(quiz, which=selectors.AttemptSet.FIRST, scope=None):
    rows = selectors.question_statistics(
        selectors.QuestionStatisticsFilter(
            scope=scope or selectors.ReportScope.everything(), quiz_id=quiz.pk, attempts=which
        )
    )
    return list(rows.batches())[0]


def test_first_attempts_facility_discrimination_and_options(attempts):
    q1, q2, q3 = stats(attempts)
    assert [q.attempts for q in (q1, q2, q3)] == [5, 5, 5]
    # Rest score = share of the attempt's other two questions answered right.
    # Q1: right A B C D (rests 1, .5, .5, 0), wrong E (rest .5): M1 = .5 = M0, so r = 0.
    assert (q1.facility, q1.discrimination, q1.flags) == (80.0, 0.0, [])
    # Q2: right A B E (rests 1, .5, 0), wrong C D (rests 1, .5). Mean .6, s = sqrt(.7 / 5) =
    # .374166; M1 = .5, M0 = .75, p = .6: r = (.5 - .75) / .374166 * sqrt(.24) = -0.327.
    assert (q2.facility, q2.discrimination) == (60.0, -0.327)
    assert q2.flags == [selectors.FLAG_LABELS["negative"]]
    # Q3: right A C (rests 1, .5), wrong B D E (rests 1, .5, .5). Mean .7, s = sqrt(.3 / 5) =
    # .244949; M1 = .75, M0 = .666667, p = .4: r = .083333 / .244949 * sqrt(.24) = 0.167.
    assert (q3.facility, q3.discrimination, q3.flags) == (40.0, 0.167, [])
    # Q2's options (0 correct): chosen by A B E, C, -, D.
    assert [(o.index, o.correct, o.chosen, o.percent) for o in q2.options] == [
        (0, True, 3, 60.0), (1, False, 1, 20.0), (2, False, 0, 0.0), (3, False, 1, 20.0),
    ]  # fmt: skip
    assert q3.options_text == (
        "Option 0: 2 (40.0%); Option 1: 1 (20.0%); Option 2 (correct): 2 (40.0%); "
        "Option 3: 0 (0.0%)"
    )


def test_all_attempts_count_second_attempts_too(attempts):
    q1, q2, q3 = stats(attempts, selectors.AttemptSet.ALL)
    # D's second attempt is all right: Q1 5 of 6 = 83.3%, Q2 4 of 6 = 66.7%, Q3 3 of 6 = 50.0%.
    assert [(q.attempts, q.correct, q.facility) for q in (q1, q2, q3)] == [
        (6, 5, 83.3), (6, 4, 66.7), (6, 3, 50.0),
    ]  # fmt: skip


def test_a_pooled_question_counts_over_the_attempts_that_contained_it(quiz):
    full = question_snapshot(quiz)
    q1, q2, q3 = full
    # Three attempts drew Q1 and Q2, two drew Q1 and Q3; one old attempt has no snapshot.
    for learner, (first, second) in {"P": (1, 0), "Q": (1, 1), "R": (0, 0)}.items():
        attempt(quiz, learner, (first, second, None), questions=[q1, q2])
    for learner, (first, third) in {"S": (1, 2), "T": (1, 3)}.items():
        attempt(quiz, learner, (first, None, third), questions=[q1, q3])
    attempt(quiz, "U", (1, 0, 2), questions=[])  # read against the quiz's current questions
    r1, r2, r3 = stats(quiz)
    assert [(r.attempts, r.correct) for r in (r1, r2, r3)] == [(6, 5), (4, 3), (3, 2)]
    # Q3 over S, T, U: right S U; rests (Q1 share) S 1, T 1, U 1 (U: Q1, Q2 both right): s = 0.
    assert (r3.facility, r3.discrimination) == (66.7, None)


def test_flags_too_easy_and_too_hard():
    two = [{"index": 0, "text": "a", "correct": True}, {"index": 1, "text": "b", "correct": False}]
    questions = [
        {"id": "easy", "prompt": "E", "options": two},
        {"id": "hard", "prompt": "H", "options": two},
    ]
    answers = [{"easy": [0], "hard": [1]}] * 9 + [{"easy": [0], "hard": [0]}]
    easy, hard = item_analysis.analyse(
        [(questions, a) for a in answers], current=questions, labels=LABELS
    )
    assert (easy.facility, easy.flags, easy.discrimination) == (100.0, ["easy"], None)
    assert (hard.facility, hard.flags) == (10.0, ["hard"])


def test_the_report_page_and_export_as_the_programs_instructor(client, attempts):
    instructor = UserFactory(email="ctn.teacher@example.org")
    instructor.groups.add(Group.objects.get(name="CTN instructors"))
    client.force_login(instructor)
    page = client.get(STATS, {"quiz": attempts.pk})
    assert page.status_code == 200
    html = page.content.decode()
    assert "Q2 prompt" in html and "-0.327" in html and "Negative discrimination" in html
    assert "r = (M1 − M0) / s × √(p × (1 − p))" in html
    export = client.get(STATS, {"quiz": attempts.pk, "attempts": "all", "export": "csv"})
    data = b"".join(export.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(data)))
    assert rows[0] == ["Question", "Prompt", "Attempts", "Answered right", "Facility (% right)",
                       "Discrimination (point-biserial)", "Flags", "Options chosen"]  # fmt: skip
    assert rows[1][:5] == ["1", "Q1 prompt", "6", "5", "83.3"]


def test_another_programs_instructor_gets_a_404_for_the_quiz(client, attempts):
    other = UserFactory(email="cmiit.teacher@example.org")
    other.groups.add(Group.objects.get(name="CMIIT instructors"))
    client.force_login(other)
    assert client.get(STATS, {"quiz": attempts.pk}).status_code == 404
    assert client.get(STATS, {"quiz": attempts.pk, "export": "csv"}).status_code == 404
    assert client.get(STATS, {"quiz": "9" * 20}).status_code == 404
    assert client.get(STATS, {"quiz": "abc"}).status_code == 404
    scope = selectors.ReportScope.for_user(other)
    assert stats(attempts, scope=scope) == []


def test_the_query_count_does_not_grow_with_the_attempts(client, attempts):
    client.force_login(UserFactory(email="root@example.org", is_superuser=True, is_staff=True))
    client.get(STATS, {"quiz": attempts.pk})

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(STATS, {"quiz": attempts.pk, "attempts": "all"}).status_code == 200
        return len(queries)

    before = count()
    for i in range(25):
        attempt(attempts, f"more{i}", (i % 4, (i + 1) % 4, (i + 2) % 4))
    assert count() == before
    assert stats(attempts)[0].attempts == 30
