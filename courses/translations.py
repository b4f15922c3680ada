"""The demo's Spanish translation of a course, made through wagtail-localize's workflow.

The Spanish text is the project's own demo data (``courses/fixtures/demo_translations_es.yaml``):
a map from each English source string (a wagtail-localize segment: a title, a paragraph, a
question, an option, an explanation) to its Spanish text. The course's program and the home page
are translated first (a translation needs its parent's); a string with no Spanish text falls back
to the English one. Idempotent: run again, it updates the translation and publishes it.
"""

import uuid
from pathlib import Path

import yaml
from django.db import transaction
from wagtail.models import Locale, Page
from wagtail_localize.models import String, StringTranslation, Translation, TranslationSource

from courses.models import CoursePage, ModulePage

FIXTURES = Path(__file__).resolve().parent / "fixtures"
SPANISH = FIXTURES / "demo_translations_es.yaml"


def _as_items(values: list) -> list:
    return [
        value
        if isinstance(value, dict) and value.get("type") == "item"
        else {"type": "item", "value": value, "id": str(uuid.uuid4())}
        for value in values
    ]


def _normalise_streams(page: Page) -> None:
    """Store the quiz options and takeaway items in ListBlock's block format (items with ids),
    which wagtail-localize offers for translation (the demo once stored them as plain lists)."""
    changed = False
    for name, key in (("questions", "options"), ("body", "items")):
        raw = [dict(block) for block in getattr(page, name).raw_data]
        for block in raw:
            value = block.get("value")
            if isinstance(value, dict) and isinstance(value.get(key), list):
                items = _as_items(value[key])
                if items != value[key]:
                    block["value"] = {**value, key: items}
                    changed = True
        if changed:
            setattr(page, name, raw)
    if changed:
        page.save_revision().publish()


def _translate_page(page: Page, locale: Locale, strings: dict[str, str]) -> Page:
    source, _created = TranslationSource.get_or_create_from_instance(page)
    source.update_from_db()
    translation, _created = Translation.objects.get_or_create(
        source=source, target_locale=locale, defaults={"enabled": True}
    )
    for string in String.objects.filter(segments__source=source).distinct():
        spanish = strings.get(string.data)
        if not spanish:
            continue
        for context_id in source.stringsegment_set.filter(string=string).values_list(
            "context_id", flat=True
        ):
            StringTranslation.objects.update_or_create(
                translation_of=string,
                locale=locale,
                context_id=context_id,
                defaults={
                    "data": spanish,
                    "translation_type": StringTranslation.TRANSLATION_TYPE_MANUAL,
                },
            )
    # Saved as a draft revision, then published here and now: wagtail-localize's own publish waits
    # for the transaction's commit and then saves a stale copy of the page (its tree counters).
    translation.save_target(publish=False)
    target = Page.objects.get(translation_key=page.translation_key, locale=locale)
    # Repairs a child count an earlier load left wrong (counted by path: treebeard's own count
    # trusts numchild).
    target.numchild = Page.objects.filter(
        path__startswith=target.path, depth=target.depth + 1
    ).count()
    Page.objects.filter(pk=target.pk).update(numchild=target.numchild)
    target.get_latest_revision().publish()
    return target


@transaction.atomic
def translate_course(course: CoursePage, *, language: str, strings: dict[str, str]) -> Page:
    """Translate ``course`` (with its program and home page first, then its modules) into
    ``language`` through wagtail-localize, with ``strings`` as the translations, and publish."""
    locale, _created = Locale.objects.get_or_create(language_code=language)
    for ancestor in course.get_ancestors().filter(depth__gt=1).specific():
        _translate_page(ancestor, locale, strings)
    translated = _translate_page(course.specific, locale, strings)
    for module in ModulePage.objects.child_of(course).order_by("path").specific():
        _normalise_streams(module)
        _translate_page(module, locale, strings)
    return translated


def load_demo_translation(path: Path = SPANISH) -> list[str]:
    """Create (or refresh) the Spanish locale and the Spanish pages the fixture names."""
    with path.open(encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    strings: dict[str, str] = {str(k).strip(): str(v).strip() for k, v in data["strings"].items()}
    done = []
    for code in data["courses"]:
        course = CoursePage.objects.in_default_locale().filter(code=code).first()
        if course is not None:
            translate_course(course, language=data["language"], strings=strings)
            done.append(f"{code} ({data['language']})")
    return done
