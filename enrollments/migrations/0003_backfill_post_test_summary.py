"""Fill the post-test summary that 0002 added from the attempts already recorded."""

from django.db import migrations
from django.db.models import F, Max


def backfill(apps, schema_editor):
    Enrollment = apps.get_model("enrollments", "Enrollment")
    QuizAttempt = apps.get_model("enrollments", "QuizAttempt")
    summaries = (
        QuizAttempt.objects.filter(module__quiz_kind="post_test", cycle=F("enrollment__cycle"))
        .values("enrollment_id")
        .annotate(attempts=Max("number"), best=Max("score"))
    )
    changed = []
    for summary in summaries.iterator():
        changed.append(
            Enrollment(
                pk=summary["enrollment_id"],
                post_test_attempts=summary["attempts"],
                post_test_best_score=summary["best"],
            )
        )
        if len(changed) == 1000:
            Enrollment.objects.bulk_update(changed, ["post_test_attempts", "post_test_best_score"])
            changed = []
    Enrollment.objects.bulk_update(changed, ["post_test_attempts", "post_test_best_score"])


class Migration(migrations.Migration):
    dependencies = [
        ("enrollments", "0002_post_test_summary"),
        ("courses", "0001_initial"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
