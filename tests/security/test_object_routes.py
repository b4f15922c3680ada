"""Every route of ours that names an object, for every kind of visitor (a table over the URL conf).

Anonymous visitors, the owning learner, another learner, an instructor of another program and an
administrator each get what they should; a new route that names an object must join the table.
"""

import datetime
import re

import pytest
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver

from certificates import services as certificate_services
from certificates.models import Board, BoardCertification
from coordinators.models import StudyRoster
from courses.permissions import ensure_instructor_group
from credentials import keys
from enrollments import services
from organizations import services as organization_services
from organizations.models import Membership, Organization, OrganizationStatus, Role
from reports.models import ReportExport
from tests import factories as all_factories
from tests.accounts.factories import UserFactory
from tests.certificates.conftest import completed_enrollment
from tests.courses import factories
from tests.enrollments.conftest import wrong_answers

pytestmark = pytest.mark.django_db

ACTORS = ("anonymous", "owner", "other_learner", "other_instructor", "admin")
LOGIN = "login"  # a redirect to the sign-in page

# route name: (method, {actor: expected status or LOGIN})
TABLE = {
    "enrollments:enroll": ("post", {"anonymous": LOGIN, "owner": 302, "other_learner": 302,
                                    "other_instructor": 302, "admin": 302}),
    "enrollments:complete_module": ("post", {"anonymous": LOGIN, "owner": 302,
                                             "other_learner": 404, "other_instructor": 404,
                                             "admin": 404}),
    "enrollments:submit_quiz": ("post", {"anonymous": LOGIN, "owner": 302, "other_learner": 404,
                                         "other_instructor": 404, "admin": 404}),
    "enrollments:attempt": ("get", {"anonymous": LOGIN, "owner": 200, "other_learner": 404,
                                    "other_instructor": 404, "admin": 404}),
    "enrollments:evaluation": ("get", {"anonymous": LOGIN, "owner": 200, "other_learner": 404,
                                       "other_instructor": 404, "admin": 404}),
    "certificates:verify": ("get", {a: 200 for a in ACTORS}),
    "certificates:verify_pdf": ("get", {a: 200 for a in ACTORS}),
    "certificates:download": ("get", {"anonymous": LOGIN, "owner": 200, "other_learner": 404,
                                      "other_instructor": 404, "admin": 200}),
    "certificates:renew": ("post", {"anonymous": LOGIN, "owner": 409, "other_learner": 404,
                                    "other_instructor": 404, "admin": 404}),
    "certificates:status": ("get", {"anonymous": LOGIN, "owner": 200, "other_learner": 404,
                                    "other_instructor": 404, "admin": 404}),
    "certificates:board_remove": ("post", {"anonymous": LOGIN, "owner": 302,
                                           "other_learner": 404, "other_instructor": 404,
                                           "admin": 404}),
    "certificates_admin:revoke": ("get", {"anonymous": LOGIN, "owner": 403, "other_learner": 403,
                                          "other_instructor": 302, "admin": 200}),
    "certificates_admin:reissue": ("get", {"anonymous": LOGIN, "owner": 403,
                                           "other_learner": 403, "other_instructor": 302,
                                           "admin": 200}),
    "enrollments_regrade:quiz": ("get", {"anonymous": LOGIN, "owner": 403, "other_learner": 403,
                                         "other_instructor": 302, "admin": 200}),
    "enrollments_regrade:preview": ("get", {"anonymous": LOGIN, "owner": 403,
                                            "other_learner": 403, "other_instructor": 302,
                                            "admin": 200}),
    # An admin's POST without the confirmation box is a 400 that changes nothing.
    "enrollments_regrade:apply": ("post", {"anonymous": LOGIN, "owner": 403,
                                           "other_learner": 403, "other_instructor": 302,
                                           "admin": 400}),
    "reports_export_download": ("get", {"anonymous": LOGIN, "owner": 403, "other_learner": 403,
                                        "other_instructor": 404, "admin": 200}),
    # SCORM: files for the enrolled learner and editors (anyone else: 404, nothing to probe);
    # commits and launches for the enrolled learner only.
    "scorm:file": ("get", {"anonymous": 404, "owner": 200, "other_learner": 404,
                           "other_instructor": 200, "admin": 200}),
    "scorm:commit": ("post", {"anonymous": LOGIN, "owner": 200, "other_learner": 404,
                              "other_instructor": 404, "admin": 404}),
    "scorm:launch": ("post", {"anonymous": LOGIN, "owner": 200, "other_learner": 404,
                              "other_instructor": 404, "admin": 404}),
    "credentials:key": ("get", {a: 200 for a in ACTORS}),
    "credentials:status_list": ("get", {a: 200 for a in ACTORS}),
    "credentials:achievement": ("get", {a: 200 for a in ACTORS}),
    "credentials:download_json": ("get", {"anonymous": LOGIN, "owner": 200,
                                          "other_learner": 404, "other_instructor": 404,
                                          "admin": 200}),
    "credentials:download_jwt": ("get", {"anonymous": LOGIN, "owner": 200,
                                         "other_learner": 404, "other_instructor": 404,
                                         "admin": 200}),
    # A site coordinator's pages: "owner" coordinates the organization named, "other_learner"
    # coordinates another one; nobody else (administrators included) sees them.
    **{f"coordinators:{name}": ("get", {"anonymous": LOGIN, "owner": 200, "other_learner": 404,
                                        "other_instructor": 404, "admin": 404})
       for name in ("roster", "person", "studies", "study", "study_csv", "study_pdf",
                    "invitations")},
    "coordinators:withdraw_invitation": ("post", {"anonymous": LOGIN, "owner": 302,
                                                  "other_learner": 404, "other_instructor": 404,
                                                  "admin": 404}),
    # An invitation's link (to the owner's address): others are told it is not theirs.
    "organizations:invitation": ("get", {"anonymous": 200, "owner": 200, "other_learner": 403,
                                         "other_instructor": 403, "admin": 403}),
    "organization_actions:approve": ("get", {"anonymous": LOGIN, "owner": 403,
                                             "other_learner": 403, "other_instructor": 302,
                                             "admin": 200}),
    "organization_actions:merge": ("get", {"anonymous": LOGIN, "owner": 403,
                                           "other_learner": 403, "other_instructor": 302,
                                           "admin": 200}),
    # These name their object in the query string (?course=, ?quiz=).
    "reports_evaluations": ("get", {"anonymous": LOGIN, "owner": 403, "other_learner": 403,
                                    "other_instructor": 404, "admin": 200}),
    "reports_evaluation_comments": ("get", {"anonymous": LOGIN, "owner": 403,
                                            "other_learner": 403, "other_instructor": 404,
                                            "admin": 200}),
    "reports_question_statistics": ("get", {"anonymous": LOGIN, "owner": 403,
                                            "other_learner": 403, "other_instructor": 404,
                                            "admin": 200}),
    "announcements_compose": ("get", {"anonymous": LOGIN, "owner": 403, "other_learner": 403,
                                      "other_instructor": 403, "admin": 200}),
}  # fmt: skip
OUR_NAMESPACES = (
    "enrollments", "certificates", "certificates_admin", "credentials", "enrollments_regrade",
    "coordinators", "organizations", "organization_actions", "scorm",
)  # fmt: skip
# Routes of ours that name an object in their query string rather than their path.
QUERY_OBJECT_ROUTES = (
    "reports_evaluations", "reports_evaluation_comments", "reports_question_statistics",
    "announcements_compose",
)  # fmt: skip


def our_object_routes() -> set[str]:
    """Names of our routes that take an object in the URL."""
    found = set()

    def walk(patterns, namespace=""):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, entry.namespace or namespace)
            elif isinstance(entry, URLPattern) and entry.name in QUERY_OBJECT_ROUTES:
                found.add(entry.name)
            elif isinstance(entry, URLPattern) and entry.pattern.converters and entry.name:
                name = f"{namespace}:{entry.name}" if namespace else entry.name
                if namespace in OUR_NAMESPACES or name.startswith("reports_export"):
                    found.add(name)

    walk(get_resolver().url_patterns)
    return found


def test_every_object_route_is_in_the_table():
    assert our_object_routes() == set(TABLE)


@pytest.fixture
def world(django_user_model, settings, tmp_path):
    settings.LMS_VERIFY_RATE_LIMIT = 10_000
    settings.CREDENTIALS_KEY_DIR = tmp_path / "keys"
    kid = keys.generate_key()
    ctn = factories.program("ctn")
    cmiit = factories.program("cmiit")
    course = factories.course(ctn, "CTN-101", modules=1, post_test=True)
    other_course = factories.course(ctn, "CTN-102", modules=1)
    ensure_instructor_group(ctn)
    ensure_instructor_group(cmiit)
    owner = UserFactory(email="owner@example.org")
    enrollment = services.enroll(user=owner, course=course)[0]
    post_test = course.get_children().specific().get(modulepage__quiz_kind="post_test")
    services.submit_quiz(enrollment=enrollment, module_id=post_test.pk,
                         answers=wrong_answers(post_test), attempt_number=1)  # fmt: skip
    done = completed_enrollment(owner, other_course)
    pending = certificate_services.create_pending_certificate(enrollment_id=done.pk)
    certificate = certificate_services.issue_certificate(certificate_id=pending.pk)
    admin = django_user_model.objects.create_superuser("root@example.org", "pw")
    export = ReportExport.objects.create(user=admin, report="learner_progress",
                                         export_format="csv", status="ready")  # fmt: skip
    export.file.save("x.csv", ContentFile(b"a"))
    other_instructor = UserFactory(email="cmiit.instructor@example.org")
    other_instructor.groups.add(Group.objects.get(name="CMIIT instructors"))
    first_module = course.get_children().specific().exclude(modulepage__quiz_kind="post_test")[0]
    scorm_module = factories.module(
        course, title="Interactive", scorm_package=factories.scorm_package("1.2")
    )
    board = BoardCertification.objects.create(
        user=owner, board=Board.objects.get(code="arrt"), cycle_start=datetime.date(2025, 3, 1)
    )
    site = all_factories.organization("Riverside Imaging Research Center")
    Membership.objects.create(user=owner, organization=site, role=Role.COORDINATOR)
    other_site = all_factories.organization("Lakeside University Hospital")
    other_learner = UserFactory(email="other@example.org")
    Membership.objects.create(user=other_learner, organization=other_site, role=Role.COORDINATOR)
    roster = StudyRoster.objects.create(organization=site, name="ACRIN", on_date="2026-06-01")
    roster.courses.set([course])
    invitation = organization_services.invite(organization=site, email=owner.email,
                                              invited_by=owner)  # fmt: skip
    withdrawable = organization_services.invite(organization=site, email="x@example.org",
                                                invited_by=owner)  # fmt: skip
    pending = Organization.objects.create(name="Northside", status=OrganizationStatus.PENDING)
    s = f"/site/{site.pk}"
    urls = {
        "coordinators:roster": f"{s}/",
        "coordinators:person": f"{s}/people/{owner.pk}/",
        "coordinators:studies": f"{s}/studies/",
        "coordinators:study": f"{s}/studies/{roster.pk}/",
        "coordinators:study_csv": f"{s}/studies/{roster.pk}/csv/",
        "coordinators:study_pdf": f"{s}/studies/{roster.pk}/pdf/",
        "coordinators:invitations": f"{s}/invitations/",
        "coordinators:withdraw_invitation":
            f"{s}/invitations/{withdrawable.invitation.pk}/withdraw/",
        "organizations:invitation": f"/organizations/invitations/{invitation.token}/",
        "organization_actions:approve": f"/admin/organization-actions/{pending.pk}/approve/",
        "organization_actions:merge": f"/admin/organization-actions/{pending.pk}/merge/",
        "enrollments:enroll": f"/learning/courses/{course.pk}/enroll/",
        "enrollments:complete_module":
            f"/learning/enrollments/{enrollment.pk}/modules/{first_module.pk}/complete/",
        "enrollments:submit_quiz":
            f"/learning/enrollments/{enrollment.pk}/modules/{post_test.pk}/quiz/",
        "enrollments:attempt":
            f"/learning/enrollments/{enrollment.pk}/modules/{post_test.pk}/attempts/1/",
        "enrollments:evaluation": f"/learning/enrollments/{enrollment.pk}/evaluation/",
        "certificates:verify": f"/certificates/verify/{certificate.code}/",
        "certificates:verify_pdf": f"/certificates/verify/{certificate.code}/pdf/",
        "certificates:download": f"/certificates/download/{certificate.code}/",
        "certificates:renew": f"/certificates/renew/{done.pk}/",
        "certificates:status": f"/certificates/status/{done.pk}/",
        "certificates:board_remove": f"/certificates/boards/{board.pk}/remove/",
        "enrollments_regrade:quiz": f"/admin/regrade/{post_test.pk}/",
        "enrollments_regrade:preview":
            f"/admin/regrade/{post_test.pk}/questions/{post_test.questions[0].id}/",
        "enrollments_regrade:apply":
            f"/admin/regrade/{post_test.pk}/questions/{post_test.questions[0].id}/apply/",
        "certificates_admin:revoke": f"/admin/certificate-actions/{certificate.pk}/revoke/",
        "certificates_admin:reissue": f"/admin/certificate-actions/{certificate.pk}/reissue/",
        "reports_export_download": f"/admin/learning-reports/exports/{export.pk}/download/",
        "scorm:file": f"/scorm/{scorm_module.scorm_package_id}/index.html",
        "scorm:commit": f"/scorm/modules/{scorm_module.pk}/commit/",
        "scorm:launch": f"/scorm/modules/{scorm_module.pk}/launch/",
        "credentials:key": f"/credentials/keys/{kid}/",
        "credentials:status_list": "/credentials/status/1/",
        "credentials:achievement": "/credentials/achievements/CTN-102/",
        "credentials:download_json": f"/credentials/{certificate.code}/credential.json",
        "credentials:download_jwt": f"/credentials/{certificate.code}/credential.jwt",
        "reports_evaluations": f"/admin/learning-reports/evaluations/?course={course.pk}",
        "reports_evaluation_comments":
            f"/admin/learning-reports/evaluation-comments/?course={course.pk}",
        "reports_question_statistics":
            f"/admin/learning-reports/question-statistics/?quiz={post_test.pk}",
        "announcements_compose": f"/admin/announcements/new/?course={course.pk}",
    }  # fmt: skip
    actors = {
        "anonymous": None,
        "owner": owner,
        "other_learner": other_learner,
        "other_instructor": other_instructor,
        "admin": admin,
    }
    return {"urls": urls, "actors": actors, "post_test": post_test}


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("route", sorted(TABLE))
def test_each_visitor_gets_what_they_should(client, world, route, actor):
    method, expected = TABLE[route]
    user = world["actors"][actor]
    if user is not None:
        client.force_login(user)
    url = world["urls"][route]
    data = {"attempt": "2"} if route == "enrollments:submit_quiz" else {}
    if route == "enrollments:submit_quiz":
        data.update({f"q-{k}": v for k, v in wrong_answers(world["post_test"]).items()})
    if route == "scorm:commit":
        response = client.post(url, '{"cmi": {}}', content_type="application/json")
    else:
        response = getattr(client, method)(url, data)
    want = expected[actor]
    if want == LOGIN:
        assert response.status_code == 302
        assert "/accounts/login/" in response.url
    else:
        assert response.status_code == want


HUGE = "9" * 20


def _with_ids(url: str, replacement: str) -> str:
    return re.sub(r"/\d+(?=/)", f"/{replacement}", url)


@pytest.mark.parametrize("replacement", [HUGE, "0", "abc", "-1", "1e3"])
@pytest.mark.parametrize("route", sorted(TABLE))
def test_a_malformed_or_unknown_id_is_a_404(client, world, route, replacement):
    url = world["urls"][route]
    crafted = _with_ids(url, replacement)
    if crafted == url:
        pytest.skip("this route names its object by a code, not an id")
    client.force_login(world["actors"]["admin"])
    method, _ = TABLE[route]
    assert getattr(client, method)(crafted).status_code == 404
    if not url.startswith("/admin/"):  # a learner never reaches the admin (403)
        client.force_login(world["actors"]["owner"])
        assert getattr(client, method)(crafted).status_code == 404


@pytest.mark.parametrize("route", sorted(TABLE))
def test_a_wrong_method_is_a_405(client, world, route):
    method, _ = TABLE[route]
    url = world["urls"][route]
    client.force_login(world["actors"]["admin" if url.startswith("/admin/") else "owner"])
    wrong = {"get": client.put, "post": client.get}[method]
    assert wrong(world["urls"][route]).status_code == 405


@pytest.mark.parametrize("route", sorted(r for r, (method, _) in TABLE.items() if method == "post"))
def test_a_post_without_csrf_is_refused_and_changes_nothing(world, route):
    from django.test import Client

    from enrollments.models import Enrollment, ModuleProgress, QuizAttempt

    def state():
        return (Enrollment.objects.count(), ModuleProgress.objects.count(),
                QuizAttempt.objects.count())  # fmt: skip

    client = Client(enforce_csrf_checks=True)
    client.force_login(world["actors"]["owner"])
    before = state()
    assert client.post(world["urls"][route]).status_code == 403
    assert state() == before


# Admin routes of ours that name a page: an id longer than any of ours is a 404, as on the
# object routes above (Django's int converter let a 20-digit id reach the database: a 500).
PAGE_ADMIN_ROUTES = [
    ("get", "/admin/courses/{id}/new-edition/"),
    ("get", "/admin/courses/{id}/outline/"),
    ("get", "/admin/courses/{id}/changes/"),
    ("post", "/admin/learning-preview/modules/{id}/grade/"),
    ("get", "/admin/regrade/{id}/"),
]


@pytest.mark.parametrize(("method", "url"), PAGE_ADMIN_ROUTES)
def test_an_admin_page_route_with_an_overlong_id_is_a_404(client, world, method, url):
    client.force_login(world["actors"]["admin"])
    assert getattr(client, method)(url.format(id=HUGE)).status_code == 404
