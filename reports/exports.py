"""Spreadsheet safety and the exports too large to build in a request."""

from infrastructure.spreadsheets import neutralize

ASYNC_EXPORT_THRESHOLD = 5000


class SafeSpreadsheetMixin:
    """Wagtail's export, with every text cell neutralized, in CSV as well as XLSX."""

    def preprocess_field_value(self, field, value, export_format):
        return neutralize(super().preprocess_field_value(field, value, export_format))
