"""The data migration from the free-text organization field to records and memberships."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("organizations", "0001_initial"), ("accounts", "0003_pages_version")]
AFTER = [("organizations", "0002_from_free_text")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_free_text_organizations_become_memberships_and_nothing_typed_is_lost():
    old = migrate(BEFORE)
    User = old.get_model("accounts", "User")
    Organization = old.get_model("organizations", "Organization")
    registry = Organization.objects.create(
        name="Riverside Imaging Research Center",
        normalized_name="riverside imaging research center", status="approved",
    )  # fmt: skip
    texts = {
        "a@example.org": "Riverside Imaging Research Center",
        "b@example.org": "  riverside imaging  RESEARCH center",
        "c@example.org": "Northgate PET  Center",
        "d@example.org": "northgate pet center",
        "e@example.org": "",
    }
    for email, text in texts.items():
        User.objects.create(email=email, organization=text)

    new = migrate(AFTER)

    User = new.get_model("accounts", "User")
    Organization = new.get_model("organizations", "Organization")
    Membership = new.get_model("organizations", "Membership")
    memberships = {m.user.email: m.organization.name for m in Membership.objects.select_related(
        "user", "organization")}  # fmt: skip
    assert memberships == {
        "a@example.org": "Riverside Imaging Research Center",
        "b@example.org": "Riverside Imaging Research Center",
        "c@example.org": "Northgate PET Center",
        "d@example.org": "Northgate PET Center",
    }
    assert Organization.objects.get(pk=registry.pk).status == "approved"
    northgate = Organization.objects.get(name="Northgate PET Center")
    assert (northgate.status, northgate.requested_text) == ("pending", "Northgate PET  Center")
    assert Organization.objects.count() == 2
    # The users' own text is untouched.
    assert {u.email: u.organization for u in User.objects.all()} == texts
    assert set(Membership.objects.values_list("role", flat=True)) == {"member"}
