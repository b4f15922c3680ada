"""Spreadsheet safety and the exports too large to build in a request."""

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
ASYNC_EXPORT_THRESHOLD = 5000


def neutralize(value):
    """Make a cell that a spreadsheet would read as a formula plain text (CSV injection)."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


class SafeSpreadsheetMixin:
    """Wagtail's export, with every text cell neutralized, in CSV as well as XLSX."""

    def preprocess_field_value(self, field, value, export_format):
        return neutralize(super().preprocess_field_value(field, value, export_format))
