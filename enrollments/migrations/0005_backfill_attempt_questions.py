"""Give every attempt recorded before 0004 the questions it was graded on.

The questions come from the module's revision that was live when the attempt was submitted (its
last publication at or before that moment, from Wagtail's log), else from the module as it is
now. An attempt that already has its questions is left alone. Scores are not recomputed.
"""

import json

from django.db import migrations


def _raw(value):
    """A StreamField's stored form (a list of {type, value, id}), whatever holds it."""
    if value is None:
        return []
    if isinstance(value, str):
        return json.loads(value or "[]")
    raw = getattr(value, "raw_data", value)
    return list(raw)


def snapshot(stream) -> list[dict]:
    questions = []
    for block in _raw(stream):
        if block.get("type") != "question":
            continue
        value = block.get("value") or {}
        options = []
        for index, option in enumerate(value.get("options") or []):
            # A ListBlock stores {type: "item", value, id} items (older data: bare values).
            if isinstance(option, dict) and "value" in option and "type" in option:
                option = option["value"]
            options.append(
                {
                    "index": index,
                    "text": str(option.get("text", "")),
                    "correct": bool(option.get("correct")),
                }
            )
        questions.append(
            {
                "id": str(block.get("id")),
                "prompt": str(value.get("prompt", "")),
                "explanation": str(value.get("explanation") or ""),
                "options": options,
            }
        )
    return questions


def backfill(apps, schema_editor):
    QuizAttempt = apps.get_model("enrollments", "QuizAttempt")
    ModulePage = apps.get_model("courses", "ModulePage")
    PageLogEntry = apps.get_model("wagtailcore", "PageLogEntry")
    Revision = apps.get_model("wagtailcore", "Revision")

    current: dict[int, list[dict]] = {}
    publications: dict[int, list[tuple]] = {}
    revisions: dict[int, list[dict] | None] = {}

    def live_at(module_id, moment):
        if module_id not in publications:
            publications[module_id] = list(
                PageLogEntry.objects.filter(
                    page_id=module_id, action="wagtail.publish", revision_id__isnull=False
                )
                .order_by("timestamp")
                .values_list("timestamp", "revision_id")
            )
        chosen = None
        for timestamp, revision_id in publications[module_id]:
            if timestamp <= moment:
                chosen = revision_id
        if chosen is None:
            return None
        if chosen not in revisions:
            content = Revision.objects.filter(pk=chosen).values_list("content", flat=True).first()
            if isinstance(content, str):
                content = json.loads(content)
            revisions[chosen] = snapshot(content.get("questions")) if content else None
        return revisions[chosen]

    def now(module_id):
        if module_id not in current:
            stream = (
                ModulePage.objects.filter(pk=module_id).values_list("questions", flat=True).first()
            )
            current[module_id] = snapshot(stream)
        return current[module_id]

    changed = []
    attempts = QuizAttempt.objects.only("id", "module_id", "submitted_at", "questions")
    for attempt in attempts.iterator():
        if attempt.questions:
            continue
        attempt.questions = live_at(attempt.module_id, attempt.submitted_at) or now(
            attempt.module_id
        )
        changed.append(attempt)
        if len(changed) == 500:
            QuizAttempt.objects.bulk_update(changed, ["questions"])
            changed = []
    QuizAttempt.objects.bulk_update(changed, ["questions"])


class Migration(migrations.Migration):
    dependencies = [
        ("enrollments", "0004_attempt_questions"),
        ("courses", "0010_question_two_options_and_help"),
        ("wagtailcore", "0097_baselogentry_uuid_action_timestamp_indexes"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
