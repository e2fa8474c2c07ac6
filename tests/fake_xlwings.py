"""A fake of the few xlwings calls the live backend uses, for Linux CI.

Not Excel: it imitates what xlwings returns through Excel's COM/AppleScript
bridge for a workbook, read independently of calamine (with openpyxl): numbers
come back as floats, dates as datetimes, empty cells as None. Tests that use
it have `fake_excel` in their names so no one mistakes them for tests against
Excel.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import openpyxl
from openpyxl.utils.cell import range_boundaries


def _as_xlwings(value):
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    return value


class FakeRange:
    def __init__(self, worksheet, min_col, min_row, max_col, max_row):
        self._ws = worksheet
        self.column, self.row = min_col, min_row
        self._max_col, self._max_row = max_col, max_row
        self._ndim = None

    def options(self, ndim=None, **_):
        clone = FakeRange(self._ws, self.column, self.row, self._max_col, self._max_row)
        clone._ndim = ndim
        return clone

    @property
    def value(self):
        grid = [
            [_as_xlwings(cell.value) for cell in row]
            for row in self._ws.iter_rows(
                min_row=self.row, max_row=self._max_row, min_col=self.column, max_col=self._max_col
            )
        ]
        if self._ndim == 2:
            return grid
        # Like xlwings: a single row or cell collapses without ndim=2.
        if len(grid) == 1:
            return grid[0][0] if len(grid[0]) == 1 else grid[0]
        return grid


class FakeTable:
    def __init__(self, worksheet, table):
        self.name = table.displayName
        min_col, min_row, max_col, max_row = range_boundaries(table.ref)
        self.range = FakeRange(worksheet, min_col, min_row, max_col, max_row)


class FakeSheet:
    def __init__(self, worksheet):
        self.name = worksheet.title
        self.tables = [FakeTable(worksheet, t) for t in worksheet.tables.values()]
        self.used_range = FakeRange(
            worksheet, worksheet.min_column, worksheet.min_row, worksheet.max_column, worksheet.max_row
        )


class FakeBook:
    def __init__(self, path: Path):
        self.fullname = str(Path(path).resolve())
        workbook = openpyxl.load_workbook(path, data_only=True)
        self.sheets = [FakeSheet(ws) for ws in workbook.worksheets]


class FakeApp:
    def __init__(self, books):
        self.books = books


class FakeXlwings:
    """Stands in for the ``xlwings`` module: ``apps`` lists running Excel instances."""

    def __init__(self, *open_paths: Path):
        self.apps = [FakeApp([FakeBook(p) for p in open_paths])] if open_paths else []
