"""Accreditation statements: editor-written text with {provider} and {amount} placeholders.

The text is never given to ``str.format``: a format spec (``{provider:>99999999}``), a
conversion or an attribute (``{provider.__class__}``) would be interpreted, and a long pad is a
MemoryError or a megabyte page. Placeholders are replaced as plain text; anything else in
braces is refused on save.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

PLACEHOLDERS = ("provider", "amount")
_BRACED = re.compile(r"\{([^{}]*)\}")


def fill_statement(template: str, *, provider: str, amount: str) -> str:
    """The statement with each known placeholder replaced; any other text is left as written."""
    values = {"provider": provider, "amount": amount}
    return _BRACED.sub(lambda match: values.get(match.group(1), match.group(0)), template)


def validate_statement(template: str) -> None:
    """Refuse braces holding anything but a known placeholder, naming the allowed ones."""
    unknown = sorted(
        {m.group(0) for m in _BRACED.finditer(template) if m.group(1) not in PLACEHOLDERS}
    )
    if unknown:
        raise ValidationError(
            _("Unknown placeholder %(unknown)s: a statement may use only %(allowed)s."),
            code="unknown_placeholder",
            params={
                "unknown": ", ".join(unknown),
                "allowed": ", ".join(f"{{{name}}}" for name in PLACEHOLDERS),
            },
        )
