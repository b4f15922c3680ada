"""The data migration from the free-text organization field to records and memberships."""

import importlib

import pytest
from django.apps import apps

pytestmark = pytest.mark.django_db

# The data migration's own function, run on a database holding what it was written for: users
# with free text and no memberships. (Migrating the schema back and forth in a test left later
# tests on the same worker with a half-migrated schema and renumbered content types.)
forwards = importlib.import_module("organizations.migrations.0002_from_free_text").forwards


def test_free_text_organizations_become_memberships_and_nothing_typed_is_lost():
    User = apps.get_model("accounts", "User")
    Organization = apps.get_model("organizations", "Organization")
    Membership = apps.get_model("organizations", "Membership")
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
    Membership.objects.all().delete()
    assert Organization.objects.count() == 1

    forwards(apps, None)

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
