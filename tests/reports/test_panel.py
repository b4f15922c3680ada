"""The "Learning" panel on the Wagtail dashboard: its figures, its chart, who sees it, its cost."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from certificates.models import Certificate, CertificateStatus
from enrollments.models import Enrollment, EnrollmentStatus
from reports.panels import LearningFigures, LearningPanel, learning_figures, weekly_activity
from tests.accounts.factories import UserFactory
from tests.courses import factories

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
# A Wednesday: this month began on Sunday 1 March, this week on Monday 16 March.
NOW = datetime.datetime(2026, 3, 18, 12, 0, tzinfo=UTC)


def at(year, month, day, hour=12, minute=0) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, minute, tzinfo=UTC)


def enroll(user, course, *, enrolled_at, last_activity_at=None, completed_at=None) -> Enrollment:
    enrollment = Enrollment.objects.create(user=user, course=course)
    status = EnrollmentStatus.COMPLETED if completed_at else EnrollmentStatus.ACTIVE
    Enrollment.objects.filter(pk=enrollment.pk).update(
        enrolled_at=enrolled_at,
        last_activity_at=last_activity_at or enrolled_at,
        completed_at=completed_at,
        status=status,
    )
    return enrollment


def certificate(enrollment, *, status=CertificateStatus.ISSUED, expires_on=None, cycle=1):
    return Certificate.objects.create(
        enrollment=enrollment, cycle=cycle, status=status, expires_on=expires_on,
        issued_at=NOW if status == CertificateStatus.ISSUED else None,
    )  # fmt: skip


@pytest.fixture
def courses():
    program = factories.program("ctn")
    return factories.course(program, "CTN-101"), factories.course(program, "CTN-102")


@pytest.fixture
def admin_user():
    return UserFactory(email="admin@example.org", is_staff=True, is_superuser=True)


def staff_member(email, *permissions):
    user = UserFactory(email=email, is_staff=True)
    group = Group.objects.create(name=f"Group of {email}")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    for codename in permissions:
        group.permissions.add(Permission.objects.get(codename=codename))
    user.groups.add(group)
    return user


def test_figures_count_active_learners_this_months_activity_and_certificates(courses):
    ctn101, ctn102 = courses
    ana, ben, cleo, dev = (UserFactory(email=f"{name}@example.org")
                           for name in ("ana", "ben", "cleo", "dev"))  # fmt: skip
    # Ana: two courses this month, active this week (counted once), one completed.
    ana_101 = enroll(ana, ctn101, enrolled_at=at(2026, 3, 2), last_activity_at=at(2026, 3, 17),
                     completed_at=at(2026, 3, 16))  # fmt: skip
    ana_102 = enroll(ana, ctn102, enrolled_at=at(2026, 3, 10))
    # Ben: enrolled and completed last month, last seen 26 days ago: active, nothing this month.
    ben_101 = enroll(ben, ctn101, enrolled_at=at(2026, 2, 10), last_activity_at=at(2026, 2, 20),
                     completed_at=at(2026, 2, 27))  # fmt: skip
    # Cleo: last seen 45 days ago.
    enroll(cleo, ctn101, enrolled_at=at(2026, 1, 5), last_activity_at=at(2026, 2, 1))
    # Dev: enrolled at the first instant of the month, completed this morning.
    dev_102 = enroll(dev, ctn102, enrolled_at=at(2026, 3, 1, 0, 0), completed_at=at(2026, 3, 18, 9))
    certificate(ana_101, expires_on=datetime.date(2026, 5, 1))  # within 90 days
    certificate(dev_102, expires_on=datetime.date(2026, 3, 18))  # expires today: still soon
    certificate(ben_101, expires_on=datetime.date(2029, 2, 27))  # years away
    certificate(ben_101, cycle=2, expires_on=datetime.date(2026, 3, 17))  # already expired
    certificate(ana_102, status=CertificateStatus.REVOKED, expires_on=datetime.date(2026, 4, 1))

    figures = LearningPanel(now=NOW).get_context_data({"request": None})["figures"]

    assert figures == LearningFigures(
        active_learners=3,
        enrollments_this_month=3,
        completions_this_month=2,
        certificates_issued=4,
        certificates_expiring=2,
    )


def test_weekly_series_covers_twelve_monday_weeks_ending_with_this_week(courses):
    weeks = weekly_activity(now=NOW)

    assert len(weeks) == 12
    assert weeks[0].start == datetime.date(2025, 12, 29)
    assert weeks[-1].start == datetime.date(2026, 3, 16)
    assert {week.start.weekday() for week in weeks} == {0}


def test_weekly_series_counts_a_completion_in_the_week_it_happened(courses):
    ctn101, ctn102 = courses
    learner = UserFactory()
    # Late on Sunday 15 March belongs to the week of 9 March; just after midnight, to the next.
    sunday_night, monday_morning = at(2026, 3, 15, 23, 30), at(2026, 3, 16, 0, 10)
    # Enrolled a minute before the chart's first week, and at its first instant.
    enroll(learner, ctn101, enrolled_at=at(2025, 12, 28, 23, 59), completed_at=sunday_night)
    enroll(learner, ctn102, enrolled_at=at(2025, 12, 29, 0, 0), completed_at=monday_morning)

    weeks = weekly_activity(now=NOW)

    completions = {week.start: week.completions for week in weeks if week.completions}
    enrollments = {week.start: week.enrollments for week in weeks if week.enrollments}
    assert completions == {datetime.date(2026, 3, 9): 1, datetime.date(2026, 3, 16): 1}
    assert enrollments == {datetime.date(2025, 12, 29): 1}


def test_figures_and_series_take_two_queries_each(courses, django_assert_num_queries):
    enroll(UserFactory(), courses[0], enrolled_at=at(2026, 3, 2), completed_at=at(2026, 3, 9))

    with django_assert_num_queries(2):
        learning_figures(now=NOW)
    with django_assert_num_queries(2):
        weekly_activity(now=NOW)


def test_superuser_sees_the_learning_panel_with_its_chart_on_the_dashboard(
    client, admin_user, courses
):
    enroll(UserFactory(), courses[0], enrolled_at=timezone.now(), completed_at=timezone.now())
    client.force_login(admin_user)

    response = client.get("/admin/")

    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="learning-section"' in html
    assert '<svg viewBox="0 0 960 280" role="img"' in html
    assert 'aria-labelledby="lms-learning-chart-title lms-learning-chart-desc"' in html
    assert '<title id="lms-learning-chart-title">' in html
    assert "Show the weekly figures as a table" in html


def test_staff_without_the_reports_permission_get_no_learning_panel(client):
    client.force_login(staff_member("instructor@example.org"))

    response = client.get("/admin/")

    assert response.status_code == 200
    assert 'id="learning-section"' not in response.content.decode()


def test_staff_with_the_reports_permission_see_the_learning_panel(client):
    client.force_login(staff_member("analyst@example.org", "view_learning_reports"))

    response = client.get("/admin/")

    assert response.status_code == 200
    assert 'id="learning-section"' in response.content.decode()


def test_chart_says_so_when_nothing_happened_in_twelve_weeks(client, admin_user):
    client.force_login(admin_user)

    html = client.get("/admin/").content.decode()

    assert "No enrollments or completions in these weeks yet." in html


def add_enrollments(course, count, start):
    """``count`` learners enrolled over the last twelve weeks, every other one completed."""
    User = get_user_model()
    users = User.objects.bulk_create(
        User(email=f"bulk{start + n}@example.org") for n in range(count)
    )
    enrollments = Enrollment.objects.bulk_create(
        Enrollment(user=user, course=course) for user in users
    )
    # enrolled_at is auto_now_add, which bulk_create fills in too: spread the dates afterwards.
    now = timezone.now()
    for n, enrollment in enumerate(enrollments):
        enrollment.enrolled_at = now - datetime.timedelta(days=4 + (n * 5) % 80)
        enrollment.last_activity_at = enrollment.enrolled_at + datetime.timedelta(days=1)
        if n % 2 == 0:
            enrollment.status = EnrollmentStatus.COMPLETED
            enrollment.completed_at = enrollment.enrolled_at + datetime.timedelta(days=3)
    Enrollment.objects.bulk_update(
        enrollments, ["enrolled_at", "last_activity_at", "status", "completed_at"]
    )
    Certificate.objects.bulk_create(
        Certificate(enrollment=e, status=CertificateStatus.ISSUED, issued_at=e.completed_at,
                    expires_on=(e.completed_at + datetime.timedelta(days=60)).date())
        for e in enrollments if e.completed_at
    )  # fmt: skip


def count_queries(client, url) -> int:
    client.get(url)  # warm per-process caches (site root, content types, permissions)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    assert 'id="learning-section"' in response.content.decode()
    return len(captured)


def test_dashboard_costs_the_same_with_5_and_200_enrollments(client, admin_user, courses):
    client.force_login(admin_user)
    add_enrollments(courses[0], 5, start=0)
    small = count_queries(client, "/admin/")

    add_enrollments(courses[1], 195, start=5)

    assert Enrollment.objects.count() == 200
    assert count_queries(client, "/admin/") == small
