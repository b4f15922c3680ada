"""Regrade: one question's fixed answer key copied into the attempts graded on it.

Four learners answered the post-test (5 questions, pass mark 80) when Q0's key said option 1;
the editor then fixes it to option 0. Before -> after: Ana 80 -> 100 (passed), Ben 60 -> 80 (now
passes), Cai 100 -> 80 (still passed), Dee 80 -> 60 (now fails).
"""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from wagtail.models import PageLogEntry

from certificates.models import Certificate
from enrollments import services
from enrollments.models import Enrollment, ModuleProgress, QuizAttempt, Regrade
from tests import factories

pytestmark = pytest.mark.django_db

# option chosen for Q0..Q4 (the key says option 1 everywhere until the fix)
ANSWERS = {
    "ana@example.org": [0, 1, 1, 1, 1],
    "ben@example.org": [0, 2, 1, 1, 1],
    "cai@example.org": [1, 1, 1, 1, 1],
    "dee@example.org": [1, 2, 1, 1, 1],
}


@pytest.fixture
def world(db):
    program = factories.program("ctn")
    course = factories.course(program, "CTN-201", modules=1, post_test=True, pass_mark=80,
                              evaluation_required=False)  # fmt: skip
    lesson, post_test = course.get_children().specific().order_by("path")
    enrollments = {}
    for email, chosen in ANSWERS.items():
        user = factories.UserFactory(email=email)
        enrollment = services.enroll(user=user, course=course)[0]
        services.complete_module(enrollment=enrollment, module_id=lesson.pk)
        answers = {block.id: [str(chosen[i])] for i, block in enumerate(post_test.questions)}
        services.submit_quiz(enrollment=enrollment, module_id=post_test.pk, answers=answers,
                             attempt_number=1)  # fmt: skip
        enrollments[email] = enrollment
    return course, post_test, enrollments


def fix_q0(post_test):
    stream = post_test.questions.raw_data
    for index, option in enumerate(stream[0]["value"]["options"]):
        value = option["value"] if "value" in option else option
        value["correct"] = index == 0
    post_test.questions = list(stream)
    post_test.save_revision().publish()
    post_test.refresh_from_db()
    return post_test.questions[0].id


def scores():
    return {
        a.enrollment.user.email: (a.score, a.passed)
        for a in QuizAttempt.objects.select_related("enrollment__user")
    }


def test_the_plan_counts_what_would_change_and_changes_nothing(world):
    course, post_test, enrollments = world
    question_id = fix_q0(post_test)
    before = scores()

    plan = services.plan_regrade(module=post_test, question_id=question_id)

    assert plan.attempts_considered == 4
    assert len(plan.changes) == 4
    assert (plan.passed_before, plan.passed_after) == (3, 3)
    assert plan.now_passing == ["ben@example.org"]
    assert plan.now_failing == ["dee@example.org"]
    assert plan.correct == [0]
    assert {(c.learner, c.score_before, c.score_after) for c in plan.changes} == {
        ("ana@example.org", Decimal("80.00"), Decimal("100.00")),
        ("ben@example.org", Decimal("60.00"), Decimal("80.00")),
        ("cai@example.org", Decimal("100.00"), Decimal("80.00")),
        ("dee@example.org", Decimal("80.00"), Decimal("60.00")),
    }
    assert scores() == before
    assert Regrade.objects.count() == 0


def test_apply_rescores_attempts_and_completes_the_learner_who_now_passes(
    world, completions, django_capture_on_commit_callbacks
):
    course, post_test, enrollments = world
    admin = factories.superuser()
    question_id = fix_q0(post_test)
    dee = enrollments["dee@example.org"]
    assert Enrollment.objects.get(pk=dee.pk).is_completed
    completions.clear()

    with django_capture_on_commit_callbacks() as callbacks:
        regrade = services.apply_regrade(module=post_test, question_id=question_id, user=admin)
    for callback in callbacks:
        if "course_completed" in callback.__code__.co_names:
            callback()

    assert scores() == {
        "ana@example.org": (Decimal("100.00"), True),
        "ben@example.org": (Decimal("80.00"), True),
        "cai@example.org": (Decimal("80.00"), True),
        "dee@example.org": (Decimal("60.00"), False),
    }
    ben = Enrollment.objects.get(pk=enrollments["ben@example.org"].pk)
    assert ben.is_completed
    assert ben.post_test_best_score == Decimal("80.00")
    assert completions == [ben.pk]
    # Dee now fails: her best score follows, her progress and completion stay.
    dee.refresh_from_db()
    assert dee.post_test_best_score == Decimal("60.00")
    assert dee.is_completed
    assert ModuleProgress.objects.filter(enrollment=dee, module=post_test).exists()
    # The snapshot now carries the fixed key for Q0 only; the review reads it.
    attempt = QuizAttempt.objects.get(enrollment=ben)
    assert [o["correct"] for o in attempt.questions[0]["options"]] == [True, False, False, False]
    assert [o["correct"] for o in attempt.questions[1]["options"]] == [False, True, False, False]
    assert attempt.correct_count == 4
    assert (regrade.user, regrade.question_id, regrade.correct_options) == (admin, question_id, [0])
    assert (
        regrade.attempts_considered, regrade.attempts_changed, regrade.passed_before,
        regrade.passed_after, regrade.learners_now_passing, regrade.learners_now_failing,
    ) == (4, 4, 3, 3, 1, 1)  # fmt: skip
    # Applying again changes nothing more.
    again = services.apply_regrade(module=post_test, question_id=question_id, user=admin)
    assert (again.attempts_changed, again.learners_now_passing) == (0, 0)


def test_an_attempt_without_the_question_is_left_alone(world):
    course, post_test, enrollments = world
    admin = factories.superuser()
    QuizAttempt.objects.filter(enrollment=enrollments["cai@example.org"]).update(
        questions=[{"id": "elsewhere", "prompt": "", "explanation": "", "options": []}]
    )
    question_id = fix_q0(post_test)
    regrade = services.apply_regrade(module=post_test, question_id=question_id, user=admin)
    assert regrade.attempts_considered == 3
    assert scores()["cai@example.org"] == (Decimal("100.00"), True)


# --- The admin views -----------------------------------------------------------------------


def urls(post_test, question_id):
    return {
        "index": reverse("enrollments_regrade:index"),
        "quiz": reverse("enrollments_regrade:quiz", args=[post_test.pk]),
        "preview": reverse("enrollments_regrade:preview", args=[post_test.pk, question_id]),
        "apply": reverse("enrollments_regrade:apply", args=[post_test.pk, question_id]),
    }


def state():
    return (sorted(scores().items()), Regrade.objects.count(), ModuleProgress.objects.count(),
            Enrollment.objects.completed().count())  # fmt: skip


def test_preview_then_apply_in_the_admin(client, world):
    course, post_test, enrollments = world
    client.force_login(factories.superuser())
    question_id = fix_q0(post_test)
    route = urls(post_test, question_id)

    chosen = client.get(route["index"], {"module": post_test.pk})
    assert chosen.status_code == 302 and chosen.url == route["quiz"]
    quiz = client.get(route["quiz"]).content.decode()
    assert route["preview"] in quiz
    preview = client.get(route["preview"])
    assert preview.status_code == 200
    html = preview.content.decode()
    assert "4 attempts change score." in html
    assert "Attempts passed: 3 before, 3 after." in html
    assert "1 learner now passes: ben@example.org" in html
    assert "1 learner now fails: dee@example.org" in html
    assert "keeps the module's progress and any certificate already issued" in html

    unconfirmed = state()
    assert client.post(route["apply"], {}).status_code == 400
    assert state() == unconfirmed

    response = client.post(route["apply"], {"confirm": "on"})
    assert response.status_code == 302
    assert response.url == route["index"]
    assert Regrade.objects.count() == 1
    assert scores()["ben@example.org"] == (Decimal("80.00"), True)
    entry = PageLogEntry.objects.get(page=post_test, action="lms.regrade")
    assert entry.data["attempts_changed"] == 4
    history = client.get(f"/admin/pages/{post_test.pk}/history/")
    assert history.status_code == 200
    assert "Regraded a question; past attempts rescored" in history.content.decode()
    listing = client.get(route["index"]).content.decode()
    assert "3 → 3" in listing and "1 / 1" in listing


@pytest.mark.parametrize(
    "case,method,expected",
    [
        ("unknown quiz", "get", 404),
        ("unknown quiz", "post", 404),
        ("a lesson, not a quiz", "get", 404),
        ("question not in the quiz", "get", 404),
        ("question not in the quiz", "post", 404),
        ("a very long question id", "get", 404),
        ("GET apply", "get", 405),
    ],
)
def test_bad_input_is_refused_and_changes_nothing(client, world, case, method, expected):
    course, post_test, enrollments = world
    client.force_login(factories.superuser())
    question_id = fix_q0(post_test)
    lesson = course.get_children().specific().order_by("path").first()
    route = {
        "unknown quiz": f"/admin/regrade/{post_test.pk + 1000}/questions/{question_id}/",
        "a lesson, not a quiz": f"/admin/regrade/{lesson.pk}/questions/{question_id}/",
        "question not in the quiz": f"/admin/regrade/{post_test.pk}/questions/nope/",
        "a very long question id": f"/admin/regrade/{post_test.pk}/questions/{'a' * 300}/",
        "GET apply": f"/admin/regrade/{post_test.pk}/questions/{question_id}/",
    }[case]
    if method == "post" or case == "GET apply":
        route += "apply/"
    before = state()
    response = getattr(client, method)(route, {"confirm": "on"} if method == "post" else {})
    assert response.status_code == expected
    assert state() == before


def test_only_superusers_and_holders_of_the_permission_may_regrade(client, world):
    course, post_test, enrollments = world
    question_id = fix_q0(post_test)
    route = urls(post_test, question_id)
    staff = factories.UserFactory(email="editor@example.org", is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="access_admin"))
    learner = Enrollment.objects.get(pk=enrollments["ana@example.org"].pk).user
    before = state()
    client.force_login(learner)
    for name in ("index", "quiz", "preview"):
        assert client.get(route[name]).status_code in (302, 403)
    assert client.post(route["apply"], {"confirm": "on"}).status_code in (302, 403)
    client.force_login(staff)
    assert client.get(route["preview"]).status_code == 302  # Wagtail: permission denied
    assert client.post(route["apply"], {"confirm": "on"}).status_code == 302
    assert state() == before
    staff.user_permissions.add(Permission.objects.get(codename="regrade_quiz"))
    staff = type(staff).objects.get(pk=staff.pk)  # a fresh permission cache
    client.force_login(staff)
    assert client.get(route["preview"]).status_code == 200
    assert client.post(route["apply"], {"confirm": "on"}).status_code == 302
    assert Regrade.objects.get().user == staff


# --- The editor's warning ------------------------------------------------------------------


def test_the_editor_warns_that_a_quiz_with_attempts_keeps_them(client, world):
    course, post_test, enrollments = world
    client.force_login(factories.superuser())
    response = client.get(f"/admin/pages/{post_test.pk}/edit/")
    assert response.status_code == 200
    warning = (
        "This quiz has 4 attempts; they keep the questions they were graded on. "
        "To fix an answer key for past attempts use Regrade."
    )
    assert warning in response.content.decode()
    lesson = course.get_children().specific().order_by("path").first()
    response = client.get(f"/admin/pages/{lesson.pk}/edit/")
    assert "they keep the questions" not in response.content.decode()


def test_a_certificate_already_issued_stays_after_a_regrade_that_fails_the_learner(world):
    course, post_test, enrollments = world
    dee = enrollments["dee@example.org"]
    certificate = factories.issued_certificate(Enrollment.objects.get(pk=dee.pk))
    question_id = fix_q0(post_test)
    services.apply_regrade(module=post_test, question_id=question_id, user=factories.superuser())
    certificate.refresh_from_db()
    assert Certificate.objects.filter(enrollment=dee).count() == 1
    assert certificate.status == "issued"


def test_saving_changed_questions_of_a_quiz_with_attempts_warns_unchanged_does_not(rf, world):
    from django.contrib.messages import get_messages
    from django.contrib.messages.storage.fallback import FallbackStorage

    from enrollments.admin_views import warn_after_edit

    course, post_test, enrollments = world

    def saved():
        request = rf.post("/admin/pages/edit/")
        request.session = {}
        request._messages = FallbackStorage(request)
        warn_after_edit(request, post_test)
        return [str(message) for message in get_messages(request)]

    fix_q0(post_test)
    assert saved() == [
        "This quiz has 4 attempts; they keep the questions they were graded on. "
        "To fix an answer key for past attempts use Regrade."
    ]
    post_test.title = "Post-test (renamed)"
    post_test.save_revision()
    assert saved() == []
