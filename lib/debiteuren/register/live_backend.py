"""Reading the register from the workbook open in Excel, through xlwings.

Used only when Excel already has the workbook open; it never starts Excel. The
layer is thin on purpose: it fetches each Table's (or sheet's used range's)
values in one call and hands them to the same code the file backend uses.
On Linux xlwings cannot drive Excel; its tests run against a fake of the few
xlwings calls used here (tests/fake_xlwings.py).
"""

from __future__ import annotations

import sys
from pathlib import Path

from .schema import SHEETS, header_key
from .tables import RawTable, raw_table_from_grid


def find_open_book(path: Path, xw=None):
    """The xlwings Book for ``path`` if a running Excel has it open, else None."""
    if xw is None and sys.platform not in ("win32", "darwin"):
        return None  # xlwings drives Excel only on Windows and macOS; importing it costs a second
    if xw is None:
        try:
            import xlwings as xw
        except ImportError:  # pragma: no cover - xlwings is a dependency
            return None
    try:
        apps = list(xw.apps)
    except Exception:
        # No Excel here (Linux) or none running: the file backend is used.
        return None
    target = _normalise_path(path)
    for app in apps:
        for book in app.books:
            try:
                if _normalise_path(Path(book.fullname)) == target:
                    return book
            except Exception:  # a book closed meanwhile or without a path: xlwings/COM raise many kinds
                continue
    return None


def workbook_target(source):
    """The open xlwings Book for ``source`` when Excel has it open, else the path itself."""
    if isinstance(source, (str, Path)):
        book = find_open_book(Path(source))
        return book if book is not None else Path(source)
    return source  # already a Book


def _normalise_path(path: Path) -> str:
    try:
        return str(Path(path).resolve()).casefold()
    except OSError:
        return str(path).casefold()


def _values(rng) -> list[list[object]]:
    # ndim=2 so a one-row or one-cell range is still a grid.
    values = rng.options(ndim=2).value
    return [list(row) for row in values] if values else []


def read_tables(book) -> dict[str, RawTable | None]:
    """Every register sheet of an open xlwings Book as a RawTable."""
    sheets = {header_key(s.name): s for s in book.sheets}
    result: dict[str, RawTable | None] = {}
    for name, spec in SHEETS.items():
        sheet = sheets.get(header_key(name))
        if sheet is None:
            result[name] = None
            continue
        tables = {header_key(t.name): t for t in sheet.tables}
        table = tables.get(header_key(name))
        if table is not None:
            rng = table.range  # header row included
            result[name] = raw_table_from_grid(sheet.name, _values(rng), rng.row, rng.column, spec, True)
        else:
            rng = sheet.used_range
            result[name] = raw_table_from_grid(sheet.name, _values(rng), rng.row, rng.column, spec, False)
    return result
