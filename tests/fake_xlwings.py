"""A fake of the few xlwings calls the live backend and the live writer use, for Linux CI.

Not Excel: it imitates what xlwings returns through Excel's COM/AppleScript
bridge for a workbook, read independently of calamine (with openpyxl): numbers
come back as floats, dates as datetimes, empty cells as None. Tests that use
it have `fake_excel` in their names so no one mistakes them for tests against
Excel.

Writing imitates what Excel does with a value assigned to a cell: numbers are
stored as doubles, and a string in a cell that is not formatted as text ("@")
is parsed the way Excel parses typed input: "1001" becomes the number 1001,
"31-10-2026" a date, and "=...", "+...", "-..." or "@..." a formula. The fake
records each of those in ``book.coerced`` so a test can assert that nothing the
writer meant as text was turned into something else, and every
``range.value = ...`` in ``book.value_writes`` so a test can assert the writes
are in bulk. ``Decimal`` is refused: pywin32 would hand it to Excel as Currency.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import openpyxl
from openpyxl.utils.cell import get_column_letter, range_boundaries
from openpyxl.worksheet.table import Table, TableStyleInfo


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


_NUMBER = re.compile(r"^\s*[-+]?(\d+([.,]\d*)?|[.,]\d+)([eE][-+]?\d+)?\s*$")
_DATE = re.compile(r"^\s*\d{1,2}[-/]\d{1,2}[-/]\d{2,4}\s*$")


def _ref(min_col, min_row, max_col, max_row) -> str:
    return f"{get_column_letter(min_col)}{min_row}:{get_column_letter(max_col)}{max_row}"


class FakeRange:
    def __init__(self, worksheet, min_col, min_row, max_col, max_row, book=None):
        self._ws = worksheet
        self._book = book
        self.column, self.row = min_col, min_row
        self._max_col, self._max_row = max_col, max_row
        self._ndim = None

    def options(self, ndim=None, **_):
        clone = FakeRange(self._ws, self.column, self.row, self._max_col, self._max_row, self._book)
        clone._ndim = ndim
        return clone

    @property
    def shape(self):
        return (self._max_row - self.row + 1, self._max_col - self.column + 1)

    @property
    def address(self):
        return "$" + _ref(self.column, self.row, self._max_col, self._max_row).replace(":", ":$")

    @property
    def value(self):
        # Reading never creates cells (Excel's used range does not grow from a read).
        cells = self._ws._cells
        grid = [
            [
                _as_xlwings(cells[(r, c)].value) if (r, c) in cells else None
                for c in range(self.column, self._max_col + 1)
            ]
            for r in range(self.row, self._max_row + 1)
        ]
        if self._ndim == 2:
            return grid
        # Like xlwings: a single row or cell collapses without ndim=2.
        if len(grid) == 1:
            return grid[0][0] if len(grid[0]) == 1 else grid[0]
        return grid

    @value.setter
    def value(self, data):
        if isinstance(data, (list, tuple)):
            grid = [list(row) for row in data] if data and isinstance(data[0], (list, tuple)) else [list(data)]
        else:
            grid = [[data]]
        if self._book is not None:
            self._book.value_writes.append((self._ws.title, self.row, self.column, len(grid), max(map(len, grid))))
        for r, row in enumerate(grid):
            for c, item in enumerate(row):
                self._enter(self._ws.cell(self.row + r, self.column + c), item)

    def _enter(self, cell, item):
        """What Excel stores when xlwings assigns ``item`` to ``cell``."""
        if isinstance(item, Decimal):
            raise TypeError("xlwings would pass a Decimal to Excel as Currency; write a float")
        if item is None:
            cell.value = None
        elif isinstance(item, bool):
            cell.value = item
        elif isinstance(item, (int, float)):
            cell.value = float(item)
        elif isinstance(item, datetime):
            cell.value = item
        elif isinstance(item, date):
            cell.value = datetime(item.year, item.month, item.day)
        elif isinstance(item, str):
            if cell.number_format == "@":
                cell.value = item
                cell.data_type = "s"
            elif _NUMBER.match(item):
                self._coerced(cell, item, "getal")
                cell.value = float(item.replace(",", "."))
            elif item.startswith(("=", "+", "-", "@")):
                self._coerced(cell, item, "formule")
                cell.value = item if item.startswith("=") else "=" + item
            elif _DATE.match(item):
                self._coerced(cell, item, "datum")
                cell.value = item
            else:
                cell.value = item
        else:
            raise TypeError(f"xlwings cannot write {type(item).__name__}")

    def _coerced(self, cell, item, what):
        if self._book is not None:
            self._book.coerced.append((self._ws.title, cell.coordinate, item, what))

    def _cells(self):
        for r in range(self.row, self._max_row + 1):
            for c in range(self.column, self._max_col + 1):
                yield self._ws.cell(r, c)

    @property
    def number_format(self):
        formats = {cell.number_format for cell in self._cells()}
        return formats.pop() if len(formats) == 1 else None

    @number_format.setter
    def number_format(self, code):
        if self._book is not None:
            self._book.format_writes.append((self._ws.title, self.address, code))
        for cell in self._cells():
            cell.number_format = code

    @property
    def formula(self):
        """Like xlwings: the top-left cell's formula, or its constant as text."""
        value = self._ws._cells[(self.row, self.column)].value if (self.row, self.column) in self._ws._cells else None
        if not (isinstance(value, str) and value.startswith("=")) and self._book is not None:
            # the book is loaded with cached values (what xlwings reads); formulas come from the file
            original = self._book.formulas[self._ws.title]._cells.get((self.row, self.column))
            if original is not None and isinstance(original.value, str) and original.value.startswith("="):
                return original.value
        return "" if value is None else str(value)

    def copy(self, destination):
        """Range.copy: values and formats; formulas with their relative references moved, as Excel does."""
        from openpyxl.formula.translate import Translator

        source = self._ws.cell(self.row, self.column)
        if self._book is not None:
            self._book.copies.append((self._ws.title, self.address, destination.address))
        for cell in destination._cells():
            value = self.formula if self.formula.startswith("=") else source.value
            if isinstance(value, str) and value.startswith("="):
                value = Translator(value, origin=source.coordinate).translate_formula(cell.coordinate)
            cell.value = value
            cell.number_format = source.number_format

    def autofit(self):
        if self._book is not None:
            self._book.autofits.append((self._ws.title, self.address))


class FakeTable:
    def __init__(self, worksheet, table, book=None):
        self._ws = worksheet
        self._table = table
        self._book = book

    @property
    def name(self):
        return self._table.displayName

    @property
    def range(self):
        min_col, min_row, max_col, max_row = range_boundaries(self._table.ref)
        return FakeRange(self._ws, min_col, min_row, max_col, max_row, self._book)

    @property
    def header_row_range(self):
        whole = self.range
        return FakeRange(self._ws, whole.column, whole.row, whole._max_col, whole.row, self._book)

    @property
    def show_totals(self):
        return bool(self._table.totalsRowCount)

    @show_totals.setter
    def show_totals(self, value):
        """ListObject.ShowTotals: a totals row appears under the data (or goes)."""
        min_col, min_row, max_col, max_row = range_boundaries(self._table.ref)
        if bool(value) == self.show_totals:
            return
        max_row += 1 if value else -1
        self._table.totalsRowCount = 1 if value else None
        self._table.ref = _ref(min_col, min_row, max_col, max_row)
        if self._table.autoFilter is not None:
            self._table.autoFilter.ref = _ref(min_col, min_row, max_col, max_row - (1 if value else 0))
        if self._book is not None:
            self._book.resizes.append((self._ws.title, self.name, self._table.ref))

    def resize(self, rng):
        """ListObject.Resize: the table now covers ``rng`` (its header stays in the same row)."""
        ref = _ref(rng.column, rng.row, rng._max_col, rng._max_row)
        if rng.row != self.range.row:
            raise ValueError("Excel: the header row of a resized table must stay where it is")
        self._table.ref = ref
        if self._table.autoFilter is not None:
            self._table.autoFilter.ref = ref
        self._table.tableColumns = []  # openpyxl rebuilds them from the header cells when saving
        if self._book is not None:
            self._book.resizes.append((self._ws.title, self.name, ref))


class FakeTables(list):
    def __init__(self, worksheet, book=None):
        super().__init__(FakeTable(worksheet, t, book) for t in worksheet.tables.values())
        self._ws, self._book = worksheet, book

    def add(self, source=None, name=None, table_style_name="TableStyleMedium2", **_):
        ref = _ref(source.column, source.row, source._max_col, source._max_row)
        table = Table(displayName=name, ref=ref)
        table.tableStyleInfo = TableStyleInfo(name=table_style_name, showRowStripes=True)
        self._ws.add_table(table)
        fake = FakeTable(self._ws, table, self._book)
        self.append(fake)
        return fake


class FakePageSetup:
    """Excel's ``PageSetup`` (COM) over the openpyxl sheet's page, with Excel's values and defaults."""

    _HEADERS = {"LeftHeader": ("oddHeader", "left"), "RightHeader": ("oddHeader", "right")}
    _HEADERS |= {"CenterHeader": ("oddHeader", "center"), "CenterFooter": ("oddFooter", "center")}

    def __init__(self, worksheet):
        object.__setattr__(self, "_ws", worksheet)

    def __getattr__(self, name):
        ws, page = self._ws, self._ws.page_setup
        if name == "Orientation":
            return 2 if page.orientation == "landscape" else 1
        if name == "PaperSize":
            return int(page.paperSize or 9)
        if name == "Zoom":
            return False if ws.sheet_properties.pageSetUpPr and ws.sheet_properties.pageSetUpPr.fitToPage else 100
        if name == "PrintTitleRows":
            return ws.print_title_rows or ""
        if name in self._HEADERS:
            part, side = self._HEADERS[name]
            return getattr(getattr(ws, part), side).text or ""
        raise AttributeError(name)

    def __setattr__(self, name, value):
        ws, page = self._ws, self._ws.page_setup
        if name == "Orientation":
            page.orientation = "landscape" if value == 2 else "portrait"
        elif name == "PaperSize":
            page.paperSize = value
        elif name == "Zoom":
            ws.sheet_properties.pageSetUpPr.fitToPage = value is False
        elif name == "FitToPagesWide":
            page.fitToWidth = 0 if value is False else value
        elif name == "FitToPagesTall":
            page.fitToHeight = 0 if value is False else value
        elif name == "PrintTitleRows":
            ws.print_title_rows = value.replace("$", "") or None
        elif name in self._HEADERS:
            part, side = self._HEADERS[name]
            getattr(getattr(ws, part), side).text = value or None
        else:
            raise AttributeError(name)


class FakeSheetApi:
    """``sheet.api``: COM's Worksheet on Windows; on a Mac (``book.mac``) AppleScript without PageSetup."""

    def __init__(self, worksheet, book):
        self._ws, self._book = worksheet, book

    @property
    def PageSetup(self):  # noqa: N802 (COM's name)
        if self._book is not None and self._book.mac:
            raise AttributeError("Unknown property, element or command: 'PageSetup'")
        return FakePageSetup(self._ws)


class FakeSheet:
    def __init__(self, worksheet, book=None):
        self._ws = worksheet
        self._book = book
        self.name = worksheet.title
        self.tables = FakeTables(worksheet, book)
        self.api = FakeSheetApi(worksheet, book)

    @property
    def used_range(self):
        ws = self._ws
        return FakeRange(ws, ws.min_column, ws.min_row, ws.max_column, ws.max_row, self._book)

    def range(self, first, last=None):
        last = last or first
        return FakeRange(self._ws, first[1], first[0], last[1], last[0], self._book)

    def clear(self):
        """Cells.Clear: contents and formats go; tables, charts and shapes stay."""
        self._ws._cells.clear()

    def activate(self):
        if self._book is not None:
            self._book._active = self


class FakeSheets(list):
    def __init__(self, book, sheets):
        super().__init__(sheets)
        self._book = book

    @property
    def active(self):
        return self._book._active

    def add(self, name=None, before=None, after=None):
        index = self.index(after) + 1 if after is not None else (self.index(before) if before is not None else 0)
        worksheet = self._book.workbook.create_sheet(name, index)
        sheet = FakeSheet(worksheet, self._book)
        self.insert(index, sheet)
        self._book._active = sheet  # Excel activates a new sheet
        return sheet


class FakeBook:
    def __init__(self, path: Path, app=None, mac: bool = False):
        self.mac = mac  # Excel for Mac: no COM PageSetup behind sheet.api
        self.fullname = str(Path(path).resolve())
        self.name = Path(path).name
        self.workbook = openpyxl.load_workbook(path, data_only=True)
        self._path, self._formulas = Path(path), None
        self.copies: list[tuple] = []
        self.value_writes: list[tuple] = []
        self.format_writes: list[tuple] = []
        self.resizes: list[tuple] = []
        self.autofits: list[tuple] = []
        self.coerced: list[tuple] = []
        self.sheets = FakeSheets(self, [FakeSheet(ws, self) for ws in self.workbook.worksheets])
        self._active = self.sheets[0] if self.sheets else None
        self.app = app if app is not None else FakeApp([self])

    @property
    def formulas(self):
        """The workbook as saved, formulas and all (loaded only when a formula is asked for)."""
        if self._formulas is None:
            self._formulas = openpyxl.load_workbook(self._path)
        return self._formulas


class FakeAppApi:
    """``app.api``: COM's Application; ``PrintCommunication`` exists on Windows only."""

    def __init__(self, app):
        object.__setattr__(self, "_app", app)
        object.__setattr__(self, "log", [])
        object.__setattr__(self, "_printing", True)

    def __getattr__(self, name):
        if name == "PrintCommunication" and not any(b.mac for b in self._app.books):
            return self._printing
        raise AttributeError(name)

    def __setattr__(self, name, value):
        if name != "PrintCommunication" or any(b.mac for b in self._app.books):
            raise AttributeError(name)
        self.log.append(value)
        object.__setattr__(self, "_printing", value)


class FakeApp:
    def __init__(self, books):
        self.books = books
        self._screen_updating = True
        self.screen_updating_log: list[bool] = []
        self.api = FakeAppApi(self)

    @property
    def screen_updating(self):
        return self._screen_updating

    @screen_updating.setter
    def screen_updating(self, value):
        self.screen_updating_log.append(value)
        self._screen_updating = value


class FakeXlwings:
    """Stands in for the ``xlwings`` module: ``apps`` lists running Excel instances."""

    def __init__(self, *open_paths: Path):
        self.apps = []
        if open_paths:
            app = FakeApp([])
            app.books = [FakeBook(p, app) for p in open_paths]
            self.apps = [app]
