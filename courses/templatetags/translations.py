"""``{{ page|localized }}``: a page's translation in the active language (no query in English)."""

from django import template

from courses.models import localized_page

register = template.Library()


@register.filter
def localized(page):
    return localized_page(page)
