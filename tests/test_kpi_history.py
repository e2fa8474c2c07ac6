"""The DSO trend (kpi_history.py): the Kerncijfers rows as history, the review's row for its own peildatum."""

from datetime import date, datetime
from decimal import Decimal

from debiteuren.kpi_history import TrendPoint, dso_trend, kerncijfers_trend
from debiteuren.review import review
from test_kpi import FOUR_MONTHS

TITLE = ["Kerncijfers per peildatum, geschreven 01-07-2025 09:00"]
HEADERS = ["Peildatum", "Openstaand", "DSO (terugrekenmethode)", "CEI"]


def test_rows_of_the_sheet_oldest_first_with_their_dso():
    grid = [
        TITLE,
        [],
        HEADERS,
        [datetime(2025, 5, 31), 50000.0, 61.0, 12.5],  # written later than April, listed first
        [datetime(2025, 4, 30), 30000.0, 30.25, None],
        [date(2025, 3, 31), 0.0, "n.v.t.", None],  # a DSO that is not a number: a point without a value
        ["totaal", 1.0, 1.0, 1.0],  # not a date: not a peildatum, not history
        [None, None, None, None],
    ]
    assert dso_trend(grid) == (
        TrendPoint(date(2025, 3, 31), None),
        TrendPoint(date(2025, 4, 30), Decimal("30.25")),
        TrendPoint(date(2025, 5, 31), Decimal("61.0")),
    )


def test_without_a_kerncijfers_sheet_or_its_columns_there_is_no_history():
    assert dso_trend(None) == ()
    assert dso_trend([TITLE, ["Peildatum", "Openstaand"], [datetime(2025, 5, 31), 1.0]]) == ()


def test_the_reviews_row_replaces_the_sheets_row_of_its_peildatum():
    grid = [TITLE, HEADERS, [datetime(2025, 5, 31), 1.0, 61.0, None], [datetime(2025, 6, 30), 1.0, 99.0, None]]
    trend = dso_trend(grid, review(FOUR_MONTHS, date(2025, 6, 30)))
    # test_kpi's count-back on 30-06-2025: June 30 + May 31 + April 15 (15.000 / 30.000 x 30) = 76 days
    assert trend == (TrendPoint(date(2025, 5, 31), Decimal("61.0")), TrendPoint(date(2025, 6, 30), Decimal("76.0")))


def test_a_point_is_labelled_with_the_month_of_its_peildatum_not_the_next():
    assert TrendPoint(date(2026, 10, 31), None).month == "okt 2026"
    assert TrendPoint(date(2026, 3, 1), Decimal("1")).month == "mrt 2026"


def test_a_register_not_there_has_no_history(tmp_path):
    assert kerncijfers_trend(tmp_path / "weg.xlsx") == ()
