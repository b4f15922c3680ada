"""Accreditation statements: placeholders are replaced, never interpreted as format specs."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from courses.models import CourseCredit
from courses.statements import fill_statement, validate_statement
from tests.accounts.factories import UserFactory
from tests.courses import factories
from tests.courses.test_permissions import edit_data

pytestmark = pytest.mark.django_db

HOSTILE_STATEMENTS = [
    "{provider:>99999999999999}",
    "{provider:>1000000}",
    "{amount:0>1000000}",
    "{provider!r}",
    "{provider.__class__}",
    "{provider.__class__.__mro__}",
    "{amount[0]}",
    "{0}",
    "{}",
    "{unknown}",
    "{provider} {learner}",
]


@pytest.fixture
def course():
    return factories.course(factories.program("ctn", "Clinical Trials Network"), "CTN-101")


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(email="admin@example.org", is_staff=True, is_superuser=True))
    return client


@pytest.mark.parametrize("template", HOSTILE_STATEMENTS)
def test_a_stored_statement_with_format_syntax_is_printed_as_written(course, template):
    credit = course.credits.get()
    credit.statement = template  # saved before validation existed, or straight into the database
    credit.save()

    assert credit.statement_for("SNMMI") == template.replace("{provider}", "SNMMI")


def test_known_placeholders_are_replaced_everywhere_they_appear():
    text = fill_statement("{provider} gives {amount}; {provider} again. {{provider}}",
                          provider="SNMMI", amount="1.5")  # fmt: skip
    assert text == "SNMMI gives 1.5; SNMMI again. {SNMMI}"


def test_the_course_page_stays_small_with_a_padding_format_spec(client, course):
    CourseCredit.objects.filter(course=course).update(statement="{provider:>1000000}")

    response = client.get(course.url)

    assert response.status_code == 200
    assert len(response.content) < 100_000
    assert "{provider:&gt;1000000}" in response.content.decode()


@pytest.mark.parametrize("template", HOSTILE_STATEMENTS)
def test_unknown_placeholders_are_refused_naming_the_allowed_ones(template):
    with pytest.raises(ValidationError) as error:
        validate_statement(template)
    assert "{provider}, {amount}" in error.value.messages[0]


def test_plain_statements_and_unpaired_braces_are_accepted():
    validate_statement("{provider} designates this for {amount} credits.")
    validate_statement("Closing } before opening { is text.")


def test_credit_type_editor_refuses_attribute_access_and_changes_nothing(admin_client, course):
    credit_type = course.credits.get().credit_type
    before = credit_type.statement
    response = admin_client.post(
        f"/admin/snippets/courses/credittype/edit/{credit_type.pk}/",
        {"code": credit_type.code, "name": credit_type.name, "short_name": "CME",
         "professions": "", "statement": "{provider.__class__}", "sort_order": "0"},
    )  # fmt: skip

    assert response.status_code == 200
    assert "Unknown placeholder {provider.__class__}" in response.content.decode()
    credit_type.refresh_from_db()
    assert credit_type.statement == before


def test_credit_type_editor_refuses_a_format_spec_in_the_participation_statement(
    admin_client, course
):
    credit_type = course.credits.get().credit_type
    before = credit_type.participation_statement
    response = admin_client.post(
        f"/admin/snippets/courses/credittype/edit/{credit_type.pk}/",
        {"code": credit_type.code, "name": credit_type.name, "short_name": "CME",
         "professions": "", "statement": "", "sort_order": "0",
         "participation_statement": "{provider:>1000000}"},
    )  # fmt: skip

    assert response.status_code == 200
    assert "Unknown placeholder {provider:&gt;1000000}" in response.content.decode()
    credit_type.refresh_from_db()
    assert credit_type.participation_statement == before


def test_course_preview_refuses_a_format_spec_in_a_credit_statement(admin_client, course):
    data = edit_data(course)
    data["credits-0-statement"] = "{provider:>99999999999999}"

    response = admin_client.post(f"/admin/pages/{course.pk}/edit/preview/", data)

    assert response.json()["is_valid"] is False
    saved = admin_client.post(f"/admin/pages/{course.pk}/edit/", data)
    assert saved.status_code == 200
    assert "Unknown placeholder {provider:&gt;99999999999999}" in saved.content.decode()
    assert course.credits.get().hours == Decimal("1.5")
    assert course.credits.get().statement == ""
