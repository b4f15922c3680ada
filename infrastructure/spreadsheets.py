"""The one path every spreadsheet the platform produces goes through (CSV and XLSX).

A cell a spreadsheet would read as a formula (CSV/formula injection, including DDE payloads such
as ``=cmd|'/C calc'!A0``) is written as plain text by prefixing a single quote, as OWASP advises.
Callers never write cells themselves: Wagtail's exports (reports, listings, snippets) are wrapped
by :func:`guard_wagtail_exports`; everything else writes with :func:`csv_writer` /
:func:`write_csv` / :func:`write_xlsx`.
"""

from __future__ import annotations

import csv
import datetime
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import IO, Any

from django.utils import timezone
from django.utils.encoding import force_str

# ASCII triggers, the full-width forms some spreadsheets also accept, and "|" (DDE) and
# line breaks, which some spreadsheets skip before reading a formula.
FORMULA_PREFIXES = (
    "=", "+", "-", "@", "\t", "\r", "\n", "|", "\uff1d", "\uff0b", "\uff0d", "\uff20",
)  # fmt: skip

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
XLSX_DATE_FORMAT = "yyyy-mm-dd"
XLSX_DATETIME_FORMAT = "yyyy-mm-dd hh:mm"


def neutralize(value: Any) -> Any:
    """A text cell a spreadsheet would read as a formula made plain text; others unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def xlsx_text(value: Any) -> Any:
    """Text without the control characters XLSX cannot hold (openpyxl refuses them: a 500)."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value


def cell_value(value: Any, export_format: str = "csv") -> Any:
    """A Python value as a safe spreadsheet cell: numbers and dates kept, everything else text."""
    if value is None:
        return ""
    if isinstance(value, bool | int | float | Decimal):
        return value
    if isinstance(value, datetime.datetime):
        if export_format == "xlsx" and timezone.is_aware(value):
            return timezone.make_naive(value, datetime.UTC)
        return value
    if isinstance(value, datetime.date | datetime.time):
        return value
    if isinstance(value, list | tuple):
        value = ", ".join(force_str(item) for item in value)
    text = force_str(value)
    return neutralize(xlsx_text(text) if export_format == "xlsx" else text)


# Every trigger is one character: a text cell is checked by its first character alone.
_FORMULA_FIRST = frozenset(FORMULA_PREFIXES)
# Types whose CSV cell is the value itself (exact types; subclasses take cell_value's path).
_CSV_AS_IS = frozenset({int, float, bool, Decimal, datetime.datetime, datetime.date, datetime.time})


def _csv_cell(value: Any) -> Any:
    """:func:`cell_value` for CSV, with the common cases first (an export's every cell)."""
    kind = type(value)
    if kind is str:
        return "'" + value if value[:1] in _FORMULA_FIRST else value
    if value is None:
        return ""
    if kind in _CSV_AS_IS:
        return value
    return cell_value(value, "csv")


class SafeCsvWriter:
    """``csv.writer`` whose every cell goes through :func:`cell_value`."""

    def __init__(self, handle: IO[str]):
        self._writer = csv.writer(handle)

    def writerow(self, cells: Iterable[Any]) -> Any:
        return self._writer.writerow([_csv_cell(cell) for cell in cells])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def csv_writer(handle: IO[str]) -> SafeCsvWriter:
    return SafeCsvWriter(handle)


def write_csv(handle: IO[str], headings: Sequence[Any], rows: Iterable[Sequence[Any]]) -> int:
    """Write a heading row and the rows; return the number of rows written (headings excluded)."""
    writer = csv.writer(handle)
    writer.writerow([_csv_cell(cell) for cell in headings])
    count = 0
    cell = _csv_cell
    write = writer.writerow
    for row in rows:
        write([cell(value) for value in row])
        count += 1
    return count


def write_xlsx(handle: IO[bytes], headings: Sequence[Any], rows: Iterable[Sequence[Any]]) -> int:
    """Write a one-sheet workbook, streaming (write-only); return the number of rows written."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title="Sheet1")

    def cells(values: Sequence[Any]):
        for value in values:
            cell = WriteOnlyCell(sheet, cell_value(value, "xlsx"))
            if cell.data_type == "f":  # never a formula, whatever openpyxl guesses
                cell.data_type = "s"
            if isinstance(cell.value, datetime.datetime):
                cell.number_format = XLSX_DATETIME_FORMAT
            elif isinstance(cell.value, datetime.date):
                cell.number_format = XLSX_DATE_FORMAT
            yield cell

    sheet.append(list(cells(headings)))
    count = 0
    for row in rows:
        sheet.append(list(cells(row)))
        count += 1
    workbook.save(handle)
    return count


def guard_wagtail_exports() -> None:
    """Route Wagtail's own CSV/XLSX exports (every report, listing and snippet) through here.

    Wagtail writes cells in ``SpreadsheetExportMixin`` (and an XLSX export of a name holding a
    control character was a 500 there); its reports (site history, aging and
    locked pages, workflows), generic listings and snippets all inherit it, and their URLs are
    registered before any app's, so subclassing each one could not replace them all. Wrapping
    the two methods that produce cells covers every one, ours included. Idempotent.
    """
    from wagtail.admin.views.mixins import SpreadsheetExportMixin

    if getattr(SpreadsheetExportMixin, "_lms_guarded", False):
        return
    preprocess = SpreadsheetExportMixin.preprocess_field_value
    get_heading = SpreadsheetExportMixin.get_heading

    def safe_preprocess_field_value(self, field, value, export_format):
        value = preprocess(self, field, value, export_format)
        return neutralize(xlsx_text(value) if export_format == "xlsx" else value)

    def safe_get_heading(self, queryset, field):
        return neutralize(get_heading(self, queryset, field))

    SpreadsheetExportMixin.preprocess_field_value = safe_preprocess_field_value
    SpreadsheetExportMixin.get_heading = safe_get_heading
    SpreadsheetExportMixin._lms_guarded = True
