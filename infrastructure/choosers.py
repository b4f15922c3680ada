"""Wagtail's chooser widgets re-render a submitted value that is not an id without a 500.

A form with a chooser (page, document, image, snippet, task) that comes back invalid renders the
submitted value again; ``BaseChooser.get_instance`` looks it up and catches only ``DoesNotExist``,
so a crafted ``zz`` for a page or task id was a ``ValueError`` (500) instead of the form's own
"Select a valid choice" error. A value that cannot name an object names none.
"""

from django.core.exceptions import ValidationError
from wagtail.admin.widgets.chooser import BaseChooser

_wagtail_get_instance = BaseChooser.get_instance


def _get_instance(self, value):
    try:
        return _wagtail_get_instance(self, value)
    except (ValueError, TypeError, OverflowError, ValidationError):
        return None


def tolerate_malformed_chooser_values() -> None:
    """Called once from the app's ``ready``; calling it again changes nothing."""
    BaseChooser.get_instance = _get_instance
