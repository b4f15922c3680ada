"""A prerequisite counts once it is live: a draft one never locks a course nor shows its title."""

import pytest

from enrollments import services
from tests.courses import factories

pytestmark = pytest.mark.django_db

DRAFT_TITLE = "Secret prerequisite draft"


@pytest.fixture
def advanced(course):
    draft = factories.course(course.get_parent(), "CTN-050", title=DRAFT_TITLE, publish=False)
    advanced = factories.course(course.get_parent(), "CTN-301", modules=1)
    advanced.prerequisites.add(draft)
    advanced.save_revision().publish()
    advanced.refresh_from_db()
    return advanced


def test_a_draft_prerequisite_does_not_block_enrollment(learner, advanced):
    assert services.enrollment_blockers(user=learner, course=advanced) == []
    _, created = services.enroll(user=learner, course=advanced)
    assert created is True


def test_learners_never_see_a_draft_prerequisites_title(client, learner, advanced):
    client.force_login(learner)

    page = client.get(advanced.url)
    refusal = client.post(f"/learning/courses/{advanced.pk}/enroll/", follow=True)

    assert page.status_code == 200
    assert DRAFT_TITLE not in page.content.decode()
    assert refusal.status_code == 200
    assert DRAFT_TITLE not in refusal.content.decode()


def test_a_prerequisite_counts_once_published_and_stops_counting_when_unpublished(
    learner, advanced
):
    draft = advanced.prerequisites.get()
    draft.save_revision().publish()

    assert services.enrollment_blockers(user=learner, course=advanced) == [
        f"Complete the prerequisite first: CTN-050 {DRAFT_TITLE}."
    ]
    draft.refresh_from_db()
    draft.unpublish()
    assert services.enrollment_blockers(user=learner, course=advanced) == []
