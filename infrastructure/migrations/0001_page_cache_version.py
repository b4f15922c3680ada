"""PageCacheVersion moves here from home: the table stays where it is, only the state moves."""

from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [("home", "0006_seed_page_cache_version")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="PageCacheVersion",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("version", models.PositiveBigIntegerField(default=1)),
                    ],
                    options={"db_table": "home_pagecacheversion"},
                ),
            ],
            database_operations=[],
        ),
    ]
