"""The one content-version row exists from the start, so a bump is a single UPDATE."""

from django.db import migrations


def seed(apps, schema_editor):
    PageCacheVersion = apps.get_model("home", "PageCacheVersion")
    if not PageCacheVersion.objects.exists():
        PageCacheVersion.objects.create(version=1)


class Migration(migrations.Migration):
    dependencies = [("home", "0005_page_cache_version")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
