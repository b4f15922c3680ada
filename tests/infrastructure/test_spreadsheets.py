"""The one spreadsheet safety path: whatever text goes in, no cell comes out as a formula."""

import csv
import datetime
import io
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from infrastructure.spreadsheets import cell_value, neutralize, write_csv, write_xlsx

TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n", "|", "＝", "＋", "－", "＠")
hostile_text = st.one_of(
    st.text(max_size=40),
    st.builds(lambda head, tail: head + tail, st.sampled_from(TRIGGERS), st.text(max_size=40)),
)


@given(st.lists(hostile_text, min_size=1, max_size=6))
def test_no_csv_cell_starts_like_a_formula(values):
    handle = io.StringIO()
    write_csv(handle, ["Heading"] * len(values), [values])
    cells = list(csv.reader(io.StringIO(handle.getvalue())))[1]
    assert [cell for cell in cells if cell.startswith(TRIGGERS)] == []
    assert cells == ["'" + v if v.startswith(TRIGGERS) else v for v in values]


@given(st.lists(hostile_text, min_size=1, max_size=6))
def test_no_xlsx_cell_is_or_looks_like_a_formula(values):
    handle = io.BytesIO()
    write_xlsx(handle, ["=Heading"] * len(values), [values])
    sheet = load_workbook(io.BytesIO(handle.getvalue())).active
    for row in sheet.iter_rows():
        for cell in row:
            assert cell.data_type != "f"
            assert not (isinstance(cell.value, str) and cell.value.startswith(TRIGGERS))


def test_text_keeps_its_content_behind_the_quote_and_other_values_stay_typed():
    assert neutralize("=SUM(A1)") == "'=SUM(A1)"
    assert neutralize("Riverside =SUM(A1)") == "Riverside =SUM(A1)"
    assert cell_value(-2) == -2
    assert cell_value(Decimal("-1.5")) == Decimal("-1.5")
    assert cell_value(None) == ""
    assert cell_value(["=a", "b"]) == "'=a, b"
    moment = datetime.datetime(2026, 1, 2, 3, 4, tzinfo=datetime.UTC)
    assert cell_value(moment, "xlsx") == datetime.datetime(2026, 1, 2, 3, 4)


def test_every_formula_trigger_is_one_character_so_the_first_one_decides():
    from infrastructure.spreadsheets import FORMULA_PREFIXES

    assert {len(prefix) for prefix in FORMULA_PREFIXES} == {1}


class _Lazy:
    def __str__(self):
        return "=lazy"


@given(hostile_text)
def test_the_csv_fast_path_writes_what_cell_value_writes(text):
    from infrastructure.spreadsheets import _csv_cell

    moment = datetime.datetime(2026, 1, 2, 3, 4, tzinfo=datetime.UTC)
    for value in (text, None, 3, 2.5, True, Decimal("-1.5"), moment, moment.date(), ["=a", text],
                  _Lazy()):  # fmt: skip
        assert _csv_cell(value) == cell_value(value, "csv")
