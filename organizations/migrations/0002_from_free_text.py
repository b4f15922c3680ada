"""Every user's free-text organization becomes a membership of a record.

Names are matched to existing records with case and runs of spaces ignored; a name with no record
becomes a pending one (holding the text as typed) for an administrator to approve or merge. The
user's text field is left as it was: nothing typed is lost.
"""

from django.db import migrations


def normalize(name):
    return " ".join(name.split()).casefold()


def forwards(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    Organization = apps.get_model("organizations", "Organization")
    Membership = apps.get_model("organizations", "Membership")
    by_key = {org.normalized_name: org for org in Organization.objects.all()}
    for user in User.objects.exclude(organization="").filter(membership__isnull=True).iterator():
        text = user.organization
        key = normalize(text)
        if not key:
            continue
        organization = by_key.get(key)
        if organization is None:
            organization = Organization.objects.create(
                name=" ".join(text.split()), normalized_name=key, status="pending",
                requested_text=text,
            )  # fmt: skip
            by_key[key] = organization
        Membership.objects.create(user=user, organization=organization, role="member")


class Migration(migrations.Migration):
    dependencies = [
        ("organizations", "0001_initial"),
        ("accounts", "0003_pages_version"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
