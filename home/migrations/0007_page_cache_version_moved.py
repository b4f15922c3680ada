"""PageCacheVersion now belongs to infrastructure (same table): home forgets it, in state only."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0006_seed_page_cache_version"),
        ("infrastructure", "0001_page_cache_version"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="PageCacheVersion")],
            database_operations=[],
        ),
    ]
