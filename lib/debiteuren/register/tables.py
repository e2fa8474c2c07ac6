"""Raw tables: what a backend reads from a sheet, before any typing.

Both backends (the file through calamine, the open workbook through xlwings)
produce ``RawTable`` records, and everything after that is shared, so the two
can only differ in how they fetch cells. A contract test holds them to it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from operator import itemgetter

import numpy as np

from .schema import SheetSpec, header_key

# How far down a sheet without a Table we look for its header row.
HEADER_SEARCH_ROWS = 20
# A row labelled like this (in its first columns) sums the rows above it: it is no data.
TOTAL_LABELS = frozenset({"totaal", "totalen", "subtotaal", "total", "totals", "subtotal", "som", "eindtotaal"})
TOTAL_INITIALS = frozenset(label[0] for label in TOTAL_LABELS)


@dataclass(frozen=True)
class RawTable:
    """A sheet's data as cells, column by column; Excel row numbers kept for messages."""

    sheet: str
    header_row: int  # Excel row number of the header
    headers: tuple[str, ...]
    excel_rows: tuple[int, ...]  # of the non-empty data rows
    columns: tuple[tuple[object, ...], ...]  # one per header, cells in row order
    from_table: bool  # read from an Excel Table (ListObject) rather than the used range
    # Per column, a superset of the Python types of its cells (None: not known). Scanning a
    # quarter million cells for their types costs; the typing layer reuses what was seen here.
    kinds: tuple[frozenset[type], ...] | None = field(default=None, compare=False, repr=False)

    @property
    def rows(self) -> tuple[tuple[int, tuple[object, ...]], ...]:
        """(Excel row, cell values) per row, for the small sheets read row by row."""
        if not self.columns:
            return tuple((r, ()) for r in self.excel_rows)
        return tuple(zip(self.excel_rows, zip(*self.columns)))


def normalise_cell(value: object) -> object:
    """One cell as both backends must present it.

    Empty cells become ``None`` and text loses surrounding spaces (a stray
    space is never data); whole floats stay floats (the typing layer
    decides); datetimes at midnight become dates, as calamine reports a
    date-formatted cell, so the live backend matches the file backend.
    """
    if value is None:
        return None
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, datetime):
        return value.date() if value.time() == datetime.min.time() else value
    if isinstance(value, bool) or isinstance(value, (int, float, date)):
        return value
    return str(value)


def is_total_label(value: object) -> bool:
    """'Totaal', 'Totaal:', 'TOTAL' and the like."""
    return isinstance(value, str) and value.strip().rstrip(":").strip().casefold() in TOTAL_LABELS


def header_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def locate_header(grid: list[list[object]], spec: SheetSpec | None) -> int:
    """Index of the header row in a sheet's grid (title rows may stand above it).

    The header is the row, among the first rows, that matches the most known
    headers; without a spec, the first non-empty row.
    """
    best, best_hits = None, 0
    known = {header_key(h) for h in spec.headers} if spec else set()
    for index, row in enumerate(grid[:HEADER_SEARCH_ROWS]):
        cells = [header_key(header_text(v)) for v in row]
        if not any(cells):
            continue
        if best is None and not known:
            return index
        hits = sum(1 for c in cells if c in known)
        if hits > best_hits:
            best, best_hits = index, hits
    if best is None:
        for index, row in enumerate(grid):
            if any(header_text(v) for v in row):
                return index
        return 0
    return best


def normalise_column(values: tuple[object, ...]) -> tuple[object, ...]:
    """``normalise_cell`` over a column, fast when the column holds one plain type.

    A column that needs no change comes back as it is, uncopied.
    """
    return normalised_column(values)[0]


_TEXT_KINDS = frozenset({str, type(None)})


def normalised_column(values: tuple[object, ...]) -> tuple[tuple[object, ...], frozenset[type]]:
    """``normalise_column`` and a superset of the types of the cells it returns."""
    kinds = frozenset(map(type, values))
    if kinds <= {float, int, date, type(None)}:
        return tuple(values), kinds
    if kinds == {str}:
        stripped = tuple(map(str.strip, values))
        if "" in stripped:
            return tuple([v or None for v in stripped]), _TEXT_KINDS
        return stripped, kinds
    if kinds <= _TEXT_KINDS:
        return tuple([v if v is None else (v.strip() or None) for v in values]), _TEXT_KINDS
    column = tuple([normalise_cell(v) for v in values])
    return column, frozenset(map(type, column))


def total_rows(column: tuple[object, ...], kinds: frozenset[type] | None = None) -> np.ndarray | None:
    """Which cells of a normalised column are total labels; None when none is.

    ``kinds``, when known, is a superset of the column's cell types.
    """
    kinds = set(map(type, column)) if kinds is None else kinds
    if str not in kinds:
        return None
    if kinds <= {str, type(None)}:
        # Normalised text is stripped and never '', so a label's first letter is the text's first:
        # a column of invoice numbers like '2024-000001' needs no closer look.
        initials = set(map(itemgetter(0), filter(None, column)))
        if not any(c.casefold()[:1] in TOTAL_INITIALS for c in initials):
            return None
    totals = np.fromiter((is_total_label(v) for v in column), dtype=bool, count=len(column))
    return totals if totals.any() else None


def raw_table_from_grid(
    sheet: str,
    grid: list[list[object]],
    first_row: int,
    first_col: int,
    spec: SheetSpec | None,
    from_table: bool,
) -> RawTable:
    """Build a RawTable from a rectangle of cells starting at (first_row, first_col), 1-based.

    For a Table the header is the rectangle's first row; for a plain sheet it is
    located. Columns without a header are dropped; fully empty rows are skipped.
    Cells are normalised column by column: a register has hundreds of thousands.
    """
    head = [[normalise_cell(v) for v in row] for row in grid[:HEADER_SEARCH_ROWS]]
    header_index = 0 if from_table else locate_header(head, spec)
    header_cells = head[header_index] if head else []
    # Merged header cells leave the covered cells empty: keep columns that have a header.
    keep = [i for i, v in enumerate(header_cells) if header_text(v)]
    headers = tuple(header_text(header_cells[i]) for i in keep)
    body = grid[header_index + 1 :]
    widths = set(map(len, body))
    width = max(widths, default=0)
    if len(widths) > 1:
        body = [list(r) + [None] * (width - len(r)) for r in body]
    columns = list(zip(*body)) if body else []
    normalised = [
        normalised_column(columns[i]) if i < len(columns) else ((None,) * len(body), frozenset({type(None)}))
        for i in keep
    ]
    kept = [column for column, _ in normalised]
    kinds = tuple(k for _, k in normalised)  # still a superset once rows are dropped below
    first_data_row = first_row + header_index + 1
    if any(None not in column for column in kept):
        filled = np.ones(len(body), dtype=bool)  # a column without gaps: no row is blank
    else:
        filled = np.zeros(len(body), dtype=bool)
        for column in kept:
            filled |= np.not_equal(np.asarray(column, dtype=object), None)
    for column, column_kinds in zip(kept[:2], kinds):
        totals = total_rows(column, column_kinds)
        if totals is not None:
            filled &= ~totals
    index = np.flatnonzero(filled)
    excel_rows = tuple((index + first_data_row).tolist())
    if len(index) == len(body):
        kept_columns = tuple(kept)
    else:
        kept_columns = tuple(tuple(np.asarray(c, dtype=object)[index].tolist()) for c in kept)
    del first_col  # columns are addressed by header, never by letter
    return RawTable(sheet, first_row + header_index, headers, excel_rows, kept_columns, from_table, kinds)
