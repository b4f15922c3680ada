import pytest

from enrollments.signals import course_completed
from tests import factories
from tests.factories import (  # noqa: F401 (imported from here by older tests)
    EVALUATION,
    UserFactory,
    correct_answers,
    wrong_answers,
)


@pytest.fixture
def course(db):
    program = factories.program("ctn")
    course = factories.course(program, "CTN-101", modules=2, post_test=True, pass_mark=80)
    return course


@pytest.fixture
def modules(course):
    return list(course.get_children().live().specific().order_by("path"))


@pytest.fixture
def learner(db):
    return UserFactory(email="learner@example.org")


@pytest.fixture
def completions():
    """The enrollment ids ``course_completed`` announced during the test."""
    sent = []

    def receiver(sender, enrollment_id, **kwargs):
        sent.append(enrollment_id)

    course_completed.connect(receiver, weak=False)
    yield sent
    course_completed.disconnect(receiver)
