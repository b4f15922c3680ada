"""The quiz editor: a new question starts complete enough to show no error, and says what the
learner's page adds to it."""

import html

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from courses.blocks import MIN_OPTIONS, QuestionBlock
from courses.models import ModulePage
from courses.permissions import ensure_instructor_group
from tests.accounts.factories import UserFactory
from tests.courses import factories

pytestmark = pytest.mark.django_db


def test_a_new_question_starts_with_two_empty_options():
    value = QuestionBlock().get_default()
    assert [(o["text"], o["correct"]) for o in value["options"]] == [("", False)] * MIN_OPTIONS


def test_the_module_editor_adds_questions_with_two_options():
    # The editor builds a new question from this state (StreamBlock's childBlockDefaultStates).
    question = ModulePage._meta.get_field("questions").stream_block.child_blocks["question"]
    state = question.get_form_state(question.get_default())
    assert [option["value"]["correct"] for option in state["options"]] == [False] * MIN_OPTIONS
    assert not any(option["value"]["text"] for option in state["options"])


def test_the_editor_says_when_select_all_that_apply_is_added(client):
    ctn = factories.program("ctn", "Clinical Trials Network")
    ensure_instructor_group(ctn)
    user = UserFactory(email="ctn.instructor@example.org")
    user.groups.add(Group.objects.get(name="CTN instructors"))
    client.force_login(user)
    module = factories.course(ctn, "CTN-101", modules=1).get_children().first()
    page = html.unescape(
        client.get(reverse("wagtailadmin_pages:edit", args=[module.pk])).content.decode()
    )
    # The prompt's help, the options' help and the block's description each say it.
    for said in (
        'the learner\'s page adds \\"(select all that apply)\\" after it',
        'two or more make it \\"select all that apply\\"',
        'the learner sees \\"(select all that apply)\\" after the question',
    ):
        assert said in page
