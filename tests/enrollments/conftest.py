import pytest

from enrollments.signals import course_completed
from tests.accounts.factories import UserFactory
from tests.courses import factories


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


def correct_answers(module):
    return {
        block.id: [str(i) for i, o in enumerate(block.value["options"]) if o["correct"]]
        for block in module.questions
    }


def wrong_answers(module):
    return {
        block.id: [str(next(i for i, o in enumerate(block.value["options"]) if not o["correct"]))]
        for block in module.questions
    }


EVALUATION = {
    "overall": "5",
    "relevance": "4",
    "objectives_met": "True",
    "free_of_bias": "True",
    "would_recommend": "True",
    "practice_change": "Check the delegation log before every study visit.",
    "comments": "",
}
