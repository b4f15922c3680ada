"""Names as printed on certificates: visible, and made of characters the certificate can draw."""

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from infrastructure.fonts import undrawable

# Invisible by design: zero-width spaces and joiners, direction marks and overrides (Cf), and
# separators. Allowed inside a name (ZWNJ matters in Persian), never as the whole of it; nor
# are they looked up in the fonts, which rightly have no glyph for them.
INVISIBLE_CATEGORIES = {"Cf", "Zs", "Zl", "Zp"}
REFUSED_CATEGORIES = {"Cc", "Cs", "Co", "Cn"}  # control, surrogate, private use, unassigned


def _describe(chars) -> str:
    return ", ".join(f"{char} (U+{ord(char):04X})" for char in chars)


def validate_printable_name(value: str) -> None:
    """A name is refused when nothing in it is visible, or a certificate cannot print it.

    Control, private-use and unassigned characters are refused, and so is any character that no
    installed font can draw (an emoji, on a server with the DejaVu fonts): it would print as a box.
    """
    refused = [char for char in value if unicodedata.category(char) in REFUSED_CATEGORIES]
    if refused:
        raise ValidationError(
            _("The name contains characters that cannot be printed: %(chars)s.")
            % {"chars": _describe(dict.fromkeys(refused))},
            code="unprintable_name",
        )
    visible = [char for char in value if unicodedata.category(char) not in INVISIBLE_CATEGORIES]
    if not visible:
        raise ValidationError(
            _("Enter a name with letters in it: this one is made only of invisible characters."),
            code="invisible_name",
        )
    missing = undrawable("".join(visible))
    if missing:
        raise ValidationError(
            _(
                "Certificates cannot print %(chars)s: the certificate font has no such "
                "character. Remove it, or write it another way."
            )
            % {"chars": _describe(missing)},
            code="undrawable_name",
        )
