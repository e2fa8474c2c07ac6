"""Writing results into the workbook open in Excel, through xlwings.

Thin on purpose: the cells come from ``write.plan`` (the same plan the file
writer writes); this module only moves them into Excel, in bulk:

- screen updating is off while writing and restored in ``finally``;
- per block of cells one ``range.value = grid`` (never cell by cell), and one
  ``number_format`` per column;
- text cells get the number format ``@`` *before* their values arrive, so Excel
  stores text as text: ``=SOM(A1)``, ``+31 6 …``, ``-`` and ``@home`` never become
  formulas, and ``1001`` stays the text ``1001``. (The alternative, an apostrophe
  prefix, would change what a later reader gets back for Excel versions that
  keep it; ``@`` does not);
- money goes in as a number converted from the ``Decimal``'s digits
  (``float(str(d))``: what Excel itself stores when it reads "1234.56"), dates
  as dates with the format dd-mm-jjjj.

Each result sheet gets the printed page the file writer gives it (A4 landscape, one
page wide, the header row on every page, sheet name and peildatum in the header)
through Excel's ``PageSetup`` (Windows, COM). Excel for Mac hands xlwings AppleScript
objects without ``PageSetup``; there the page is left as it is and the report says so.

The Acties table is resized with ``Table.resize`` before its new rows get their
values, so Excel extends the table's own formatting to them; a calculated column's
formula is copied down from the last filled row; the workbook is not
saved: the controller sees the results at once and saves herself. xlwings
cannot run on Linux; tests run this module against ``tests/fake_xlwings.py``
(their names contain ``fake_excel``).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time
from decimal import Decimal

from ...dutch import format_date
from ..schema import header_key
from ..tables import locate_header, normalise_cell
from .formats import DATE, DATETIME, FORMAT_FOR_KIND, TEXT, TEXT_FORMAT, column_letter, format_suits
from .messages import (
    WriteBackRefused,
    cells_in_the_way_message,
    missing_actions_sheet_message,
    no_header_message,
    totals_row_message,
)
from .plan import (
    HEADER_ROW,
    TABLE_STYLE,
    TITLE_ROW,
    ActionCells,
    SheetCells,
    WriteReport,
    place_appended_rows,
    structured_column,
)


def _grid(rng) -> list[list[object]]:
    values = rng.options(ndim=2).value
    return [list(row) for row in values] if values else []


def _find_sheet(book, name: str):
    for sheet in book.sheets:
        if sheet.name.casefold() == name.casefold():
            return sheet
    return None


def _find_table(sheet, name: str):
    for table in sheet.tables:
        if header_key(table.name) == header_key(name):
            return table
    return None


def excel_value(value: object, kind: str) -> object:
    """A planned cell as xlwings hands it to Excel."""
    if value is None:
        return None
    if isinstance(value, Decimal):
        return float(str(value))  # the Decimal's digits, parsed once; no arithmetic in float
    if kind in (DATE, DATETIME) and isinstance(value, date) and not isinstance(value, datetime):
        return datetime.combine(value, time())
    return value


def existing_grid(book, sheet_name: str) -> list[list[object]] | None:
    """A result sheet's current cells (for Kerncijfers, whose rows build up), or None."""
    sheet = _find_sheet(book, sheet_name)
    if sheet is None:
        return None
    used = sheet.used_range
    # Padded to start at A1, like the file reader's grid.
    grid = [[None] * (used.column - 1) + row for row in _grid(used)]
    width = len(grid[0]) if grid else 0
    return [[None] * width for _ in range(used.row - 1)] + grid


def write_result_sheet(book, cells: SheetCells) -> bool:
    """Replace (or add at the end) one result sheet; returns True when it was added."""
    sheet = _find_sheet(book, cells.name)
    added = sheet is None
    if added:
        active = book.sheets.active
        sheet = book.sheets.add(cells.name, after=book.sheets[len(book.sheets) - 1])
        active.activate()  # adding a sheet activates it; the controller keeps her place
    else:
        sheet.clear()  # contents and formats; charts, pictures and shapes stay
    width = max(len(cells.columns), 1)
    last_row = cells.last_row
    first_data = HEADER_ROW + 1
    sheet.range((TITLE_ROW, 1)).number_format = TEXT_FORMAT
    sheet.range((HEADER_ROW, 1), (HEADER_ROW, width)).number_format = TEXT_FORMAT
    for index, column in enumerate(cells.columns, start=1):
        sheet.range((first_data, index), (last_row, index)).number_format = FORMAT_FOR_KIND[column.kind]
    sheet.range((TITLE_ROW, 1)).value = cells.title
    kinds = [c.kind for c in cells.columns]
    grid = [[c.header for c in cells.columns]]
    grid += [[excel_value(v, kinds[i]) for i, v in enumerate(row)] for row in cells.rows]
    sheet.range((HEADER_ROW, 1)).value = grid
    table_range = sheet.range((HEADER_ROW, 1), (cells.data_last_row, width))
    table = _find_table(sheet, cells.table_name)
    if table is not None:
        if table.show_totals:
            table.show_totals = False  # resized over the data only; the totals row comes back below it
        table.resize(table_range)
    else:
        table = sheet.tables.add(source=table_range, name=cells.table_name, table_style_name=TABLE_STYLE)
    if cells.totals is not None:
        table.show_totals = True
        sheet.range((last_row, 1)).value = [
            [
                f"=SUBTOTAL(109,{table.name}[{structured_column(cells.columns[i].header)}])"
                if isinstance(value, Decimal)
                else value
                for i, value in enumerate(cells.totals)
            ]
        ]
    sheet.range((HEADER_ROW, 1), (last_row, width)).autofit()
    return added


# Excel's constants (XlPageOrientation, XlPaperSize).
XL_PORTRAIT, XL_LANDSCAPE = 1, 2
XL_PAPER_A4 = 9
PAGE_HEADER_LEFT = "&B&A&B"  # the sheet's name in bold, as the file writer's header
PAGE_FOOTER_CENTER = "Pagina &P van &N"


def set_page(sheet, cells: SheetCells, added: bool) -> bool:
    """The printed page of a result sheet; False where Excel offers no ``PageSetup`` (Mac).

    A sheet that still has Excel's default page (portrait at 100 %) gets the whole page,
    like a new one; a page the controller set up herself is kept, except the header, which
    names this review's peildatum (as the file writer does).
    """
    try:
        page = sheet.api.PageSetup
    except AttributeError:
        return False
    if added or (page.Orientation == XL_PORTRAIT and page.Zoom == 100):
        page.PaperSize = XL_PAPER_A4
        page.Orientation = XL_LANDSCAPE
        page.Zoom = False  # False: scale by FitToPages* instead of a percentage
        page.FitToPagesWide = 1
        page.FitToPagesTall = False  # as many pages tall as it takes
        page.PrintTitleRows = f"${HEADER_ROW}:${HEADER_ROW}"
        page.CenterFooter = PAGE_FOOTER_CENTER
    page.LeftHeader = PAGE_HEADER_LEFT
    page.RightHeader = f"Peildatum {format_date(cells.peildatum)}" if cells.peildatum else ""
    return True


def _runs(columns: list[int]) -> list[list[int]]:
    """Consecutive sheet columns, each run written as one block."""
    runs: list[list[int]] = []
    for col in sorted(columns):
        if runs and runs[-1][-1] == col - 1:
            runs[-1].append(col)
        else:
            runs.append([col])
    return runs


def append_actions(book, actions: ActionCells) -> tuple[int, tuple[str, ...]]:
    spec = actions.spec
    sheet = next((s for s in book.sheets if header_key(s.name) == header_key(spec.name)), None)
    if sheet is None:
        raise WriteBackRefused(missing_actions_sheet_message(spec.name))
    table = _find_table(sheet, spec.name)
    if table is not None:
        if table.show_totals:
            raise WriteBackRefused(totals_row_message(sheet.name))
        whole = table.range
        header_row, first_col = whole.row, whole.column
        rows_count, cols_count = whole.shape
        last_col, old_last = first_col + cols_count - 1, header_row + rows_count - 1
        values = _grid(whole)
        headers = values[0] if values else []
        last_filled = header_row
        for offset in range(len(values) - 1, 0, -1):
            if any(normalise_cell(v) is not None for v in values[offset]):
                last_filled = header_row + offset
                break
        positions_by_key = {header_key(h): first_col + i for i, h in enumerate(headers) if h is not None}
    else:
        used = sheet.used_range
        grid = _grid(used)
        if not grid:
            raise WriteBackRefused(no_header_message(sheet.name))
        index = locate_header(grid, spec)
        positions_by_key = {
            header_key(v): used.column + i for i, v in enumerate(grid[index]) if normalise_cell(v) is not None
        }
        if not any(header_key(c.header) in positions_by_key for c in spec.columns if c.required):
            raise WriteBackRefused(no_header_message(sheet.name))
        header_row = used.row + index
        first_col, last_col = min(positions_by_key.values()), max(positions_by_key.values())
        last_filled = header_row
        for offset in range(len(grid) - 1, index, -1):
            if any(normalise_cell(grid[offset][c - used.column]) is not None for c in positions_by_key.values()):
                last_filled = used.row + offset
                break
        old_last = last_filled

    placed = place_appended_rows(
        actions,
        positions_by_key,
        header_row=header_row,
        first_col=first_col,
        last_col=last_col,
        last_filled=last_filled,
        old_last=old_last,
        in_table=table is not None,
    )
    positions, added, areas = placed.positions, placed.added, placed.areas
    new_last_col, start, end, new_last = placed.new_last_col, placed.start, placed.end, placed.new_last
    in_the_way = []
    for a_col, a_row, b_col, b_row in areas:
        block = _grid(sheet.range((a_row, a_col), (b_row, b_col)))
        for r, row in enumerate(block):
            for c, value in enumerate(row):
                if normalise_cell(value) is not None:
                    in_the_way.append(f"{column_letter(a_col + c)}{a_row + r}")
    if in_the_way:
        raise WriteBackRefused(cells_in_the_way_message(sheet.name, in_the_way))

    if added:
        headers = sheet.range((header_row, last_col + 1), (header_row, new_last_col))
        headers.number_format = TEXT_FORMAT
        headers.value = [[h for h, _ in added]]
    if table is not None and (new_last > old_last or added):
        table.resize(sheet.range((header_row, first_col), (new_last, new_last_col)))
    value_at = {p: i for i, p in enumerate(positions) if p is not None}
    for col, index in value_at.items():
        kind = actions.columns[index].kind
        target = sheet.range((start, col), (end, col))
        template = sheet.range((last_filled, col)).number_format if last_filled > header_row else None
        if kind == TEXT:
            target.number_format = TEXT_FORMAT  # before the values: text stays text
        elif not format_suits(kind, template):
            target.number_format = FORMAT_FOR_KIND[kind]
        elif template:
            target.number_format = template
    for run in _runs(list(value_at)):
        block = [
            [excel_value(row[value_at[col]], actions.columns[value_at[col]].kind) for col in run]
            for row in actions.rows
        ]
        sheet.range((start, run[0])).value = block
    if table is not None and last_filled > header_row:
        # A calculated column gets its formula in the new rows, whether or not this Excel version
        # fills it on resize: copied from the last filled row, so relative references follow.
        for col in range(first_col, last_col + 1):
            source = sheet.range((last_filled, col))
            if col not in value_at and str(source.formula or "").startswith("="):
                source.copy(sheet.range((start, col), (end, col)))
    return len(actions.rows), tuple(h for h, _ in added)


def write(book, plans: list[SheetCells], appends: Sequence[ActionCells]) -> WriteReport:
    """Write result sheets and append rows to an open xlwings Book (not saved)."""
    app = book.app
    previous = app.screen_updating
    replaced, added_sheets, no_page = [], [], []
    appended, columns_added = [], ()
    app.screen_updating = False
    printing = _print_communication(app, False)  # page settings in one go, not one printer round trip each
    try:
        for cells in appends:
            count, added_columns = append_actions(book, cells)
            appended.append((cells.spec.name, count))
            columns_added += added_columns
        for cells in plans:
            existing = _find_sheet(book, cells.name)
            added = write_result_sheet(book, cells)
            if added:
                added_sheets.append(cells.name)
            else:
                replaced.append(existing.name)
            if not set_page(_find_sheet(book, cells.name), cells, added):
                no_page.append(cells.name)
    finally:
        if printing is not None:
            _print_communication(app, printing)
        app.screen_updating = previous
    return WriteReport(
        target=book.name,
        live=True,
        sheets_replaced=tuple(replaced),
        sheets_added=tuple(added_sheets),
        rows_appended=sum(count for _, count in appended),
        columns_added=columns_added,
        appended=tuple(appended),
        pages_not_set=tuple(no_page),
    )


def _print_communication(app, value: bool) -> bool | None:
    """Set Excel's ``PrintCommunication``; returns what it was, or None where Excel has none (Mac)."""
    try:
        previous = app.api.PrintCommunication
        app.api.PrintCommunication = value
    except AttributeError:
        return None
    return previous
