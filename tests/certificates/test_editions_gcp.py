"""GCP editions: a refresher renews a certificate; a newer ICH E6 revision makes holders due."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from certificates import services, tasks
from certificates.models import Certificate, CertificateStatus, RevisionNotice
from courses.services import create_edition
from tests.accounts.factories import UserFactory
from tests.certificates.conftest import completed_enrollment
from tests.courses import factories

pytestmark = pytest.mark.django_db

ROSTER = "/admin/learning-reports/organization-roster/"
ORG = "Lakeside Hospital"


@pytest.fixture
def old_gcp(db):
    program = factories.program("ctn", "Clinical Trials Network")
    return factories.course(
        program, "CTN-101", modules=1, title="GCP basics", is_gcp=True, course_version="2024",
        ich_e6_revision="E6(R2)", certificate_validity_months=36,
    )  # fmt: skip


@pytest.fixture
def admin_client(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("admin@example.org", "pw"))
    return client


def issued(user, course) -> Certificate:
    enrollment = completed_enrollment(user, course)
    pending = services.create_pending_certificate(enrollment_id=enrollment.pk)
    return services.issue_certificate(certificate_id=pending.pk)


def roster_status(client, user, course, **params):
    response = client.get(ROSTER, {"organization": ORG, **params})
    rows = response.context["object_list"]
    return next(r.gcp_status for r in rows if r.user_id == user.pk and r.course_id == course.pk)


def test_a_refresher_renews_an_expiring_gcp_certificate(admin_client, old_gcp):
    holder = UserFactory(email="holder@example.org", organization=ORG)
    old = issued(holder, old_gcp)
    Certificate.objects.filter(pk=old.pk).update(
        expires_on=timezone.localdate() + timedelta(days=20)
    )
    refresher = factories.course(
        old_gcp.get_parent(), "CTN-101R", modules=1, title="GCP refresher", is_gcp=True,
        course_version="2026", ich_e6_revision="E6(R3)", certificate_validity_months=36,
        refresher_for=old_gcp,
    )  # fmt: skip
    a_month_on = (timezone.localdate() + timedelta(days=30)).isoformat()
    assert roster_status(admin_client, holder, old_gcp, date=a_month_on) == "NOT valid"

    renewal = issued(holder, refresher)

    old.refresh_from_db()
    assert old.status == CertificateStatus.ARCHIVED
    assert old.events.filter(action="renewed").get().note.endswith(f"{renewal.code})")
    assert renewal.status == CertificateStatus.ISSUED
    assert renewal.expires_on > timezone.localdate() + timedelta(days=3 * 365 - 5)
    assert roster_status(admin_client, holder, old_gcp, date=a_month_on) == "valid"


def test_a_refresher_leaves_a_current_certificate_alone(old_gcp):
    holder = UserFactory(email="current@example.org")
    old = issued(holder, old_gcp)  # expires in three years, same revision as the refresher
    refresher = factories.course(
        old_gcp.get_parent(), "CTN-101R", modules=1, is_gcp=True, course_version="2026",
        ich_e6_revision="E6(R2)", certificate_validity_months=36, refresher_for=old_gcp,
    )  # fmt: skip
    issued(holder, refresher)
    old.refresh_from_db()
    assert old.status == CertificateStatus.ISSUED


def test_a_new_edition_on_a_newer_revision_tells_holders_and_the_roster_shows_them_due(
    admin_client, old_gcp, monkeypatch, django_capture_on_commit_callbacks
):
    holder = UserFactory(email="holder@example.org", organization=ORG)
    other = UserFactory(email="other@example.org", organization=ORG)
    issued(holder, old_gcp)
    mail.outbox.clear()
    assert roster_status(admin_client, holder, old_gcp) == "valid"

    edition = create_edition(
        course=old_gcp, user=None, code="CTN-101-2027", version="2027", slug="ctn-101-2027"
    )
    edition.ich_e6_revision = "E6(R3)"
    enqueued = []
    monkeypatch.setattr(
        tasks.notify_revision_holders,
        "apply_async",
        lambda args, **kwargs: enqueued.append(args),
    )
    with django_capture_on_commit_callbacks(execute=True):
        edition.save_revision().publish()
    assert enqueued == [[edition.pk]]

    assert tasks.notify_revision_holders(edition.pk) == 1
    assert tasks.notify_revision_holders(edition.pk) == 0  # once, however often it runs
    assert [m.to for m in mail.outbox] == [[holder.email]]
    assert "ICH E6(R3)" in mail.outbox[0].subject
    assert RevisionNotice.objects.filter(user=other).count() == 0

    status = roster_status(admin_client, holder, old_gcp)
    assert status == "due: covers E6(R2), the course now covers E6(R3)"

    admin_client.force_login(holder)
    dashboard = admin_client.get(reverse("enrollments:dashboard")).content.decode()
    assert "The new edition CTN-101-2027 covers ICH E6(R3)" in dashboard
