"""The run-time's commits: validated, saved, restored; modules complete by their rule."""

import json
import re
from decimal import Decimal

import pytest
from django.test import Client

from courses.models import ScormCompletion
from enrollments import services as enrollment_services
from enrollments.models import Enrollment, EnrollmentStatus, ModuleProgress, QuizAttempt
from scorm import services
from scorm.models import ScormAttempt
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    program = factories.program("ctn")
    course = factories.course(
        program, "CTN-201", modules=1, evaluation_required=False, pass_mark=80
    )
    learner = factories.UserFactory(email="learner@example.org", first_name="Ada", last_name="L")
    enrollment = enrollment_services.enroll(user=learner, course=course)[0]
    return {"program": program, "course": course, "learner": learner, "enrollment": enrollment}


def scorm_module(world, version="1.2", *, rule=ScormCompletion.COMPLETED, post_test=False):
    package = factories.scorm_package(version)
    return factories.module(
        world["course"],
        title="Post-test" if post_test else "Interactive",
        quiz_kind="post_test" if post_test else "",
        scorm_package=package,
        scorm_completion=ScormCompletion.SCORE if post_test else rule,
    )


def post(client, module, payload, *, raw=None):
    body = raw if raw is not None else json.dumps(payload)
    return client.post(f"/scorm/modules/{module.pk}/commit/", body, content_type="application/json")


@pytest.fixture
def learner_client(world):
    client = Client()
    client.force_login(world["learner"])
    return client


def done(world, module) -> bool:
    return ModuleProgress.objects.filter(enrollment=world["enrollment"], module=module).exists()


def test_a_12_commit_is_saved_and_restored(world, learner_client):
    module = scorm_module(world, "1.2")
    payload = {
        "cmi": {
            "suspend_data": "step=2",
            "core": {
                "lesson_location": "page-2",
                "lesson_status": "incomplete",
                "score": {"raw": "40", "min": "", "max": "100"},
                "session_time": "00:00:05",
                "exit": "suspend",
            },
            "interactions": {"0": {"id": "q1", "result": "wrong", "objectives": {}}},
        },
        "terminate": True,
    }
    response = post(learner_client, module, payload)
    assert response.status_code == 200
    assert response.json() == {"result": "true", "errorCode": 0, "moduleDone": False}
    attempt = ScormAttempt.objects.get()
    assert (attempt.location, attempt.suspend_data, attempt.completion_status) == (
        "page-2",
        "step=2",
        "incomplete",
    )
    assert (attempt.score_raw, attempt.score_max, attempt.exit, attempt.closed) == (
        Decimal(40),
        Decimal(100),
        "suspend",
        False,
    )
    assert attempt.interactions == [{"id": "q1", "result": "wrong"}]
    assert not done(world, module)
    restored = services.initial_cmi(
        services.open_attempt(world["enrollment"], module),
        version="1.2",
        learner_id="7",
        learner_name="L, Ada",
    )
    assert restored == {
        "cmi": {
            "core": {
                "student_id": "7",
                "student_name": "L, Ada",
                "entry": "resume",
                "lesson_location": "page-2",
                "lesson_status": "incomplete",
            },
            "suspend_data": "step=2",
        }
    }


def test_the_module_page_starts_the_run_time_with_the_stored_cmi(world, learner_client):
    module = scorm_module(world, "2004")
    suspended = {"cmi": {"location": "p3", "suspend_data": "s", "exit": "suspend"}}
    post(learner_client, module, suspended)
    page = learner_client.get(module.url).content.decode()
    found = re.search(r'<script id="scorm-config" type="application/json">(.*?)</script>', page)
    config = json.loads(found.group(1))
    assert config["version"] == "2004"
    assert config["launchUrl"] == f"/scorm/{module.scorm_package_id}/index.html"
    assert config["commitUrl"] == f"/scorm/modules/{module.pk}/commit/"
    assert config["cmi"]["cmi"]["location"] == "p3"
    assert config["cmi"]["cmi"]["suspend_data"] == "s"
    assert config["cmi"]["cmi"]["entry"] == "resume"
    assert "scorm-again/scorm-again.min.js" in page
    assert "Mark complete and continue" not in page


@pytest.mark.parametrize(
    ("rule", "cmi", "complete"),
    [
        (ScormCompletion.COMPLETED, {"core": {"lesson_status": "completed"}}, True),
        (ScormCompletion.COMPLETED, {"core": {"lesson_status": "failed"}}, False),
        (ScormCompletion.PASSED, {"core": {"lesson_status": "completed"}}, False),
        (ScormCompletion.PASSED, {"core": {"lesson_status": "passed"}}, True),
        (ScormCompletion.SCORE, {"core": {"score": {"raw": "79.99"}}}, False),
        (ScormCompletion.SCORE, {"core": {"score": {"raw": "8", "min": "0", "max": "10"}}}, True),
        (ScormCompletion.LAUNCHED, {}, True),
    ],
)
def test_each_completion_rule(world, learner_client, rule, cmi, complete):
    module = scorm_module(world, "1.2", rule=rule)
    assert world["course"].pass_mark == 80
    assert post(learner_client, module, {"cmi": cmi}).status_code == 200
    assert done(world, module) is complete


def test_a_launched_module_completes_when_opened(world, learner_client):
    module = scorm_module(world, "2004", rule=ScormCompletion.LAUNCHED)
    response = learner_client.post(f"/scorm/modules/{module.pk}/launch/")
    assert response.json()["moduleDone"] is True
    assert done(world, module)


def test_completing_the_last_module_completes_the_course(world, learner_client):
    lesson = world["course"].get_children().specific().get()
    module = scorm_module(world, "2004")
    enrollment_services.complete_module(enrollment=world["enrollment"], module_id=lesson.pk)
    assert Enrollment.objects.get().status == EnrollmentStatus.ACTIVE
    post(learner_client, module, {"cmi": {"completion_status": "completed"}})
    enrollment = Enrollment.objects.get()
    assert (enrollment.status, enrollment.modules_completed) == (EnrollmentStatus.COMPLETED, 2)


def test_mark_complete_is_refused_for_a_scorm_module(world):
    module = scorm_module(world)
    with pytest.raises(enrollment_services.QuizRequired):
        enrollment_services.complete_module(enrollment=world["enrollment"], module_id=module.pk)


def test_a_scorm_post_test_records_its_score_and_gates_completion(world, learner_client):
    lesson = world["course"].get_children().specific().get()
    module = scorm_module(world, "2004", post_test=True)
    enrollment_services.complete_module(enrollment=world["enrollment"], module_id=lesson.pk)
    assert Enrollment.objects.get().status == EnrollmentStatus.ACTIVE
    failing = {
        "cmi": {
            "completion_status": "completed",
            "success_status": "failed",
            "score": {"scaled": "0.5", "raw": "50", "min": "0", "max": "100"},
            "exit": "normal",
        },
        "terminate": True,
    }
    response = post(learner_client, module, failing)
    assert response.json()["postTest"] == {"score": "50", "passed": False}
    enrollment = Enrollment.objects.get()
    assert (enrollment.status, enrollment.post_test_attempts, enrollment.post_test_best_score) == (
        EnrollmentStatus.ACTIVE,
        1,
        Decimal("50.00"),
    )
    first = QuizAttempt.objects.get()
    assert (first.number, first.score, first.passed) == (1, Decimal("50.00"), False)
    assert ScormAttempt.objects.get().closed  # the next launch starts a new attempt
    # A repeat of the same commit records nothing more (one result per attempt).
    post(learner_client, module, {"cmi": {"location": "x"}})
    assert QuizAttempt.objects.count() == 1
    passing = {**failing, "cmi": {**failing["cmi"], "success_status": "passed",
                                  "score": {"scaled": "0.9"}}}  # fmt: skip
    assert post(learner_client, module, passing).status_code == 200
    enrollment.refresh_from_db()
    assert (enrollment.status, enrollment.post_test_attempts, enrollment.post_test_best_score) == (
        EnrollmentStatus.COMPLETED,
        2,
        Decimal("90.00"),
    )
    assert list(QuizAttempt.objects.values_list("number", "passed")) == [(1, False), (2, True)]
    # The commit after the closed attempt opened attempt 2, which the passing result finished.
    attempts = ScormAttempt.objects.order_by("number").values_list("number", "closed")
    assert list(attempts) == [(1, True), (2, True)]


@pytest.mark.parametrize(
    ("version", "payload", "message"),
    [
        ("1.2", None, "not JSON"),
        ("1.2", [], "The commit must be a JSON object with a cmi object."),
        ("1.2", {"cmi": "x"}, "The commit must be a JSON object with a cmi object."),
        ("1.2", {"cmi": {"suspend_data": "x" * 4097}},
         "cmi.suspend_data is longer than 4096 characters."),
        ("2004", {"cmi": {"suspend_data": "x" * 64001}},
         "cmi.suspend_data is longer than 64000 characters."),
        ("1.2", {"cmi": {"core": {"lesson_location": "x" * 256}}},
         "cmi.core.lesson_location is longer than 255 characters."),
        ("2004", {"cmi": {"location": "x" * 1001}}, "cmi.location is longer than 1000 characters."),
        ("1.2", {"cmi": {"core": {"lesson_status": "done"}}},
         "cmi.core.lesson_status has an unknown value."),
        ("2004", {"cmi": {"success_status": 1}}, "cmi.success_status must be text."),
        ("1.2", {"cmi": {"core": {"score": {"raw": "lots"}}}},
         "cmi.core.score.raw must be a number."),
        ("1.2", {"cmi": {"core": {"score": {"raw": True}}}},
         "cmi.core.score.raw must be a number."),
        ("2004", {"cmi": {"score": {"scaled": "2"}}}, "cmi.score.scaled is out of range."),
        ("2004", {"cmi": {"score": {"raw": "NaN"}}}, "cmi.score.raw is out of range."),
        ("1.2", {"cmi": {"core": "x"}}, "core.lesson_status is not an object."),
        ("2004", {"cmi": {"session_time": "5 minutes"}}, "cmi.session_time is not a SCORM time."),
        ("1.2", {"cmi": {"core": {"session_time": "PT5M"}}},
         "cmi.core.session_time is not a SCORM time."),
        ("2004", {"cmi": {"interactions": [{"id": "q"}] * 251}},
         "cmi.interactions has more than 250 entries."),
        ("2004", {"cmi": {"interactions": "q1"}}, "cmi.interactions must be a list."),
        ("2004", {"cmi": {"interactions": [{"id": ["q"]}]}},
         "cmi.interactions.id must be text of at most 4000 characters."),
    ],
)  # fmt: skip
def test_bad_input_is_a_400_and_saves_nothing(world, learner_client, version, payload, message):
    module = scorm_module(world, version)
    raw = "{not json" if payload is None else None
    response = post(learner_client, module, payload, raw=raw)
    assert response.status_code == 400
    assert response.json()["error"] == message
    assert ScormAttempt.objects.count() == 0
    assert not done(world, module)


def test_deeply_nested_json_is_a_400(world, learner_client):
    module = scorm_module(world, "2004")
    response = post(learner_client, module, None, raw="[" * 100_000)
    assert (response.status_code, response.json()["error"]) == (400, "not JSON")


def test_a_2004_suspend_data_of_64000_characters_is_kept(world, learner_client):
    module = scorm_module(world, "2004")
    assert post(learner_client, module, {"cmi": {"suspend_data": "x" * 64000}}).status_code == 200
    assert len(ScormAttempt.objects.get().suspend_data) == 64000


def test_a_commit_without_the_csrf_header_is_refused(world):
    module = scorm_module(world)
    client = Client(enforce_csrf_checks=True)
    client.force_login(world["learner"])
    assert post(client, module, {"cmi": {}}).status_code == 403
    assert ScormAttempt.objects.count() == 0


def test_a_commit_for_a_course_one_is_not_enrolled_in_is_a_404(world):
    module = scorm_module(world)
    client = Client()
    client.force_login(factories.UserFactory(email="other@example.org"))
    assert post(client, module, {"cmi": {}}).status_code == 404
    lesson = world["course"].get_children().specific().exclude(pk=module.pk).get()
    learner = Client()
    learner.force_login(world["learner"])
    assert post(learner, lesson, {"cmi": {}}).status_code == 404  # not a SCORM module


# --- Serving the package ----------------------------------------------------------------------


def test_an_enrolled_learner_gets_the_files_with_their_own_policy(world, learner_client):
    module = scorm_module(world, "1.2")
    response = learner_client.get(f"/scorm/{module.scorm_package_id}/index.html")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    policy = response["Content-Security-Policy"]
    assert "frame-ancestors 'self'" in policy
    assert "script-src 'self' 'unsafe-inline' 'unsafe-eval'" in policy
    assert b"Imaging trial SCO" in b"".join(response.streaming_content)
    script = learner_client.get(f"/scorm/{module.scorm_package_id}/js/sco.js")
    assert script["Content-Type"] == "text/javascript"
    assert learner_client.get(f"/scorm/{module.scorm_package_id}/css/sco.css")["Content-Type"] == (
        "text/css; charset=utf-8"
    )


@pytest.mark.parametrize(
    "path",
    [
        "../index.html",
        "js/../../index.html",
        "%2e%2e/index.html",
        "js/..%2F..%2Fimsmanifest.xml",
        "js%5Csco.js",
        "/etc/passwd",
        "missing.html",
        "",
    ],
)
def test_a_path_outside_the_package_is_a_404(world, learner_client, path):
    module = scorm_module(world)
    assert learner_client.get(f"/scorm/{module.scorm_package_id}/{path}").status_code == 404


def test_the_files_are_for_enrolled_learners_and_editors_only(world, client):
    module = scorm_module(world)
    url = f"/scorm/{module.scorm_package_id}/index.html"
    assert client.get(url).status_code == 404  # anonymous
    client.force_login(factories.UserFactory(email="stranger@example.org"))
    assert client.get(url).status_code == 404
    client.force_login(factories.superuser())
    assert client.get(url).status_code == 200  # editors preview
    draft_package = factories.scorm_package("2004")  # on no live module yet
    client.force_login(world["learner"])
    assert client.get(f"/scorm/{draft_package.pk}/index.html").status_code == 404


def test_an_editor_previews_the_package_and_nothing_is_recorded(world, client):
    module = scorm_module(world, "1.2")
    client.force_login(factories.superuser())
    page = client.get(f"/admin/pages/{module.pk}/view_draft/").content.decode()
    found = re.search(r'<script id="scorm-config" type="application/json">(.*?)</script>', page)
    config = json.loads(found.group(1))
    assert (config["commitUrl"], config["launchPingUrl"]) == (None, None)
    assert config["launchUrl"] == f"/scorm/{module.scorm_package_id}/index.html"
    assert "Preview: nothing you do here is recorded." in page
    assert client.get(config["launchUrl"]).status_code == 200
    assert ScormAttempt.objects.count() == 0
