"""Instructors mail their own courses' learners: preview, send in batches, log, opt-out."""

import os

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.urls import reverse

from announcements import services, tasks
from announcements.models import Announcement, AnnouncementStatus
from celery_app import app
from tests.accounts.factories import UserFactory
from tests.conftest import IN_CI
from tests.factories import EnrollmentFactory
from tests.worker import celery_worker, wait_for

pytestmark = pytest.mark.django_db

COMPOSE = "/admin/announcements/new/"
LOG = "/admin/announcements/"


@pytest.fixture
def learners(catalog):
    """Four learners of CTN-101 who get mail, one who opted out, one inactive; one of CMIIT."""
    gcp = catalog["gcp"]
    made = {}
    for i in range(4):
        made[f"l{i}"] = EnrollmentFactory(
            course=gcp, user=UserFactory(email=f"l{i}@example.org")
        ).user
    made["opted_out"] = EnrollmentFactory(
        course=gcp, user=UserFactory(email="quiet@example.org", receives_announcements=False)
    ).user
    made["inactive"] = EnrollmentFactory(
        course=gcp, user=UserFactory(email="gone@example.org", is_active=False)
    ).user
    EnrollmentFactory(course=catalog["cmiit_course"], user=UserFactory(email="cm@example.org"))
    return made


@pytest.fixture
def instructor(client, catalog):
    user = UserFactory(email="ctn.teacher@example.org", full_name="Tess Teacher")
    user.groups.add(Group.objects.get(name="CTN instructors"))
    client.force_login(user)
    return user


MESSAGE = {"subject": "Office hours moved", "body": "Thursday at 3 pm instead.\nSee you there."}


def test_the_preview_shows_the_count_and_the_mail_and_sends_nothing(
    client, catalog, learners, instructor, mailoutbox
):
    response = client.post(COMPOSE, {"course": catalog["gcp"].pk, **MESSAGE, "action": "preview"})
    assert response.status_code == 200
    assert response.context["recipient_count"] == 4
    preview = response.context["preview"]
    assert preview.subject == "[CTN-101] Office hours moved"
    assert preview.body.startswith("Thursday at 3 pm instead.\nSee you there.\n\n--\n")
    assert "/accounts/profile/#announcements" in preview.body
    assert "This message will be sent to 4 learners." in response.content.decode()
    assert Announcement.objects.count() == 0
    assert mailoutbox == []


def test_sending_mails_each_opted_in_active_learner_once_and_logs_it(
    client,
    catalog,
    learners,
    instructor,
    mailoutbox,
    django_capture_on_commit_callbacks,
    monkeypatch,
):
    enqueued = []

    def enqueue(args=None, kwargs=None, **options):
        enqueued.append(args)

    monkeypatch.setattr(tasks.send_announcement, "apply_async", enqueue)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(COMPOSE, {"course": catalog["gcp"].pk, **MESSAGE, "action": "send"})
    assert response.status_code == 302
    assert response.url == reverse("announcements_log")
    announcement = Announcement.objects.get()
    assert [list(args) for args in enqueued] == [[announcement.pk]]
    assert mailoutbox == []  # the worker sends, not the request
    result = tasks.send_announcement.apply(args=[announcement.pk])
    assert result.successful(), result.traceback
    announcement.refresh_from_db()
    assert (announcement.sender, announcement.course_id, announcement.subject) == (
        instructor, catalog["gcp"].pk, "Office hours moved",
    )  # fmt: skip
    assert (announcement.recipient_count, announcement.sent_count, announcement.status) == (
        4, 4, AnnouncementStatus.SENT,
    )  # fmt: skip
    assert sorted(m.to[0] for m in mailoutbox) == [
        "l0@example.org", "l1@example.org", "l2@example.org", "l3@example.org",
    ]  # fmt: skip
    assert all("/accounts/profile/#announcements" in m.body for m in mailoutbox)
    log = client.get(LOG).content.decode()
    assert "Office hours moved" in log and "Tess Teacher" in log


def test_batches_resume_after_the_last_one_sent(catalog, learners, instructor, mailoutbox):
    announcement = Announcement.objects.create(
        sender=instructor, course=catalog["gcp"], recipient_count=4, **MESSAGE
    )
    first_two = sorted(u.pk for k, u in learners.items() if k.startswith("l"))[:2]
    # As if a worker died after mailing the first batch of two.
    Announcement.objects.filter(pk=announcement.pk).update(
        last_user_id=first_two[-1], sent_count=2, status=AnnouncementStatus.SENDING
    )
    done = services.send_announcement(announcement_id=announcement.pk, batch_size=1)
    assert (done.status, done.sent_count) == (AnnouncementStatus.SENT, 4)
    assert sorted(m.to[0] for m in mailoutbox) == ["l2@example.org", "l3@example.org"]
    # A repeat (a redelivered task) mails no one again.
    services.send_announcement(announcement_id=announcement.pk)
    assert len(mailoutbox) == 2


@pytest.mark.parametrize("action", ["preview", "send"])
def test_an_instructor_cannot_mail_another_programs_course(
    client, catalog, learners, instructor, mailoutbox, action
):
    response = client.post(
        COMPOSE, {"course": catalog["cmiit_course"].pk, **MESSAGE, "action": action}
    )
    assert response.status_code == 403
    assert client.get(COMPOSE, {"course": catalog["cmiit_course"].pk}).status_code == 403
    assert Announcement.objects.count() == 0 and mailoutbox == []


def test_the_service_refuses_a_course_outside_the_senders_programs(catalog, instructor):
    with pytest.raises(services.AnnouncementRefused):
        services.queue_announcement(sender=instructor, course=catalog["cmiit_course"], **MESSAGE)
    assert Announcement.objects.count() == 0


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"course": "", **MESSAGE}, "course"),
        ({"course": "999999", **MESSAGE}, "course"),
        ({"subject": "Two\nlines", "body": "x"}, "subject"),
        ({"subject": "Hi", "body": ""}, "body"),
    ],
)
def test_bad_input_is_a_form_error_and_sends_nothing(
    client, catalog, instructor, mailoutbox, data, field
):
    data = {"course": catalog["gcp"].pk, **data, "action": "send"}
    response = client.post(COMPOSE, data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert Announcement.objects.count() == 0


def test_learners_and_the_other_program_see_no_announcements(client, catalog, instructor):
    Announcement.objects.create(sender=instructor, course=catalog["gcp"], **MESSAGE)
    other = UserFactory(email="cmiit.teacher@example.org")
    other.groups.add(Group.objects.get(name="CMIIT instructors"))
    client.force_login(other)
    assert "Office hours moved" not in client.get(LOG).content.decode()
    client.force_login(UserFactory(email="learner@example.org"))
    assert client.get(LOG).status_code in (302, 403)
    assert client.get(COMPOSE).status_code in (302, 403)


def test_a_learner_turns_announcements_off_in_the_profile(client):
    learner = UserFactory(email="me@example.org", full_name="Me Learner",
                          profession="technologist", organization="Lakeside")  # fmt: skip
    client.force_login(learner)
    page = client.get("/accounts/profile/").content.decode()
    assert 'id="announcements"' in page and 'name="receives_announcements"' in page
    response = client.post("/accounts/profile/", {
        "full_name": "Me Learner", "profession": "technologist", "organization": "Lakeside",
    })  # fmt: skip
    assert response.status_code == 302
    learner.refresh_from_db()
    assert learner.receives_announcements is False


@pytest.mark.worker
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_worker_sends_it_in_batches(client, catalog, learners, instructor, monkeypatch):
    if connection.vendor != "postgresql" or not os.environ.get("REDIS_URL"):
        if IN_CI:
            pytest.fail("CI runs the worker tests on PostgreSQL and Redis")
        pytest.skip("needs DATABASE_URL (PostgreSQL) and REDIS_URL")
    db = connection.settings_dict
    env = {
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:"
        f"{db['PORT'] or 5432}/{db['NAME']}",
        "LMS_ANNOUNCEMENT_BATCH_SIZE": "3",
    }
    queue = f"announce-{os.getpid()}"
    previous, app.conf.task_default_queue = app.conf.task_default_queue, queue
    try:
        response = client.post(COMPOSE, {"course": catalog["gcp"].pk, **MESSAGE, "action": "send"})
        assert response.status_code == 302
        with celery_worker(queue, env=env):
            finished = wait_for(
                lambda: Announcement.objects.filter(status=AnnouncementStatus.SENT).exists(),
                timeout=120,
            )
    finally:
        app.conf.task_default_queue = previous
    assert finished is True
    announcement = Announcement.objects.get()
    assert (announcement.recipient_count, announcement.sent_count) == (4, 4)
