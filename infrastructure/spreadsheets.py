"""Cells safe to open in a spreadsheet: used by every export (transcripts, reports)."""

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralize(value):
    """Make a cell that a spreadsheet would read as a formula plain text (CSV injection)."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value
