"""The write-back's plan: which cells, of which kind, where; shared by the file and live writers.

The workbook is the controller's. The tool writes only its result sheets
(``Ouderdom``, ``Actielijst``, ``Kerncijfers``, ``Prognose``) and appends rows
to the ``Acties`` table; nothing else is changed, edited or deleted (design §6).

``write_back(target, sheets, actions, generated_at=..., peildatum=...)`` takes
a path (the .xlsx/.xlsm file; see ``file_writer``) or an open xlwings Book (the
workbook open in Excel; see ``live``). Both go through the planning in
this module, so they write the same cells with the same types and formats:

- a result sheet is a title line in A1, an empty row, and an Excel Table named
  like the sheet from A3; it is replaced whole on every run. Objects floating
  over the sheet (charts, pictures, shapes) are left where they are, so a
  chart the controller put on Kerncijfers keeps working; cell contents, cell
  formatting and cell rules are replaced. (Comments stay in the file; in the
  open workbook Excel's Clear removes them.)
- ``Kerncijfers`` builds up: its earlier rows are read back and a row with the
  same peildatum is replaced, so a rerun does not duplicate it.
- money is a number from ``Decimal`` (never float arithmetic) with a euro
  format, dates are dates with the format dd-mm-jjjj, counts are numbers, text
  is always text: a value starting with ``=``, ``+``, ``-`` or ``@`` is never a
  formula (the file gets inline strings; the live workbook gets text cells,
  number format ``@``, before the values arrive).

>>> cells = plan_result_sheet(
...     ResultSheet("Prognose", pd.DataFrame({"Week": [date(2026, 11, 2)], "Verwacht": [Decimal("10.50")],
...                 "Toelichting": ["=SOM(A1)"]}), money_columns=("Verwacht",)),
...     generated_at=datetime(2026, 11, 23, 14, 5), peildatum=date(2026, 10, 31))
>>> cells.title
'Gegenereerd op 23-11-2026 14:05 uit het register per peildatum 31-10-2026 — wordt bij elke review vervangen; wijzig hier niets.'
>>> [(c.header, c.kind) for c in cells.columns]
[('Week', 'date'), ('Verwacht', 'money'), ('Toelichting', 'text')]
>>> cells.rows
((datetime.date(2026, 11, 2), Decimal('10.50'), '=SOM(A1)'),)
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path

import numpy as np
import pandas as pd

from ...dutch import format_date, format_datetime
from ...money import AmountError, format_eur, parse_amount
from ..model import KeyTypes
from ..schema import ACTIES, SheetSpec, header_key
from ..schema import DATE as DATE_CELL
from ..schema import INT as INT_CELL
from ..schema import MONEY as MONEY_CELL
from ..tables import normalise_cell
from .formats import DATE, DATETIME, MONEY, NUMBER, TEXT
from .messages import WriteBackRefused, key_column_missing_message

# Where a result sheet's parts stand (1-based rows).
TITLE_ROW = 1
HEADER_ROW = 3
TABLE_STYLE = "TableStyleMedium2"

ACTIONS_SHEET = "Acties"


# --- public records ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ResultSheet:
    """One of Ouderdom, Actielijst, Kerncijfers, Prognose, as a frame with Dutch headers.

    Money columns hold ``Decimal`` euros, dates ``datetime.date``, counts
    ``int``, text ``str``, ``None`` for empty. ``append_key`` (Kerncijfers: the
    peildatum column) makes rows build up across reviews: earlier rows are read
    back from the sheet and a row with the same key value is replaced.
    """

    name: str
    frame: pd.DataFrame
    money_columns: tuple[str, ...] = ()
    append_key: str | None = None
    totals: bool = False  # a Table totals row under the data: "Totaal" and the sum of each money column


@dataclass(frozen=True)
class WriteReport:
    """What ``write_back`` wrote."""

    target: str  # the file path, or the open workbook's name
    live: bool  # True: written into the workbook open in Excel (not saved)
    sheets_replaced: tuple[str, ...] = ()
    sheets_added: tuple[str, ...] = ()
    rows_appended: int = 0  # over all sheets appended to
    columns_added: tuple[str, ...] = ()  # columns the appended-to tables lacked
    appended: tuple[tuple[str, int], ...] = ()  # (sheet, rows appended) per sheet
    backup: Path | None = None
    pages_not_set: tuple[str, ...] = ()  # result sheets whose printed page Excel would not let us set (Mac)

    @property
    def sheets(self) -> tuple[str, ...]:
        return self.sheets_replaced + self.sheets_added

    def summary(self) -> str:
        """A Dutch account for the command line and the notebook."""
        lines = []
        if self.sheets:
            lines.append("Resultaatbladen geschreven: " + ", ".join(self.sheets) + ".")
        if self.sheets_added:
            lines.append("Nieuw toegevoegd: " + ", ".join(self.sheets_added) + ".")
        for sheet, count in self.appended or ((("Acties", self.rows_appended),) if self.rows_appended else ()):
            regels = "regel" if count == 1 else "regels"
            where = "het logboek (blad 'Acties')" if sheet == "Acties" else f"het blad '{sheet}'"
            lines.append(f"{count} {regels} toegevoegd aan {where}.")
        if self.columns_added:
            lines.append("Kolommen toegevoegd aan de tabel: " + ", ".join(self.columns_added) + ".")
        if self.pages_not_set:
            lines.append(
                "Afdrukinstelling niet gezet (dat kan de tool niet in Excel voor Mac) voor: "
                + ", ".join(self.pages_not_set)
                + ". Kies in Excel Pagina-indeling: liggend, 1 pagina breed, rij 3 herhalen bovenaan."
            )
        if self.backup is not None:
            lines.append(f"Reservekopie van de vorige versie: {self.backup}")
        if self.live:
            lines.append("Geschreven in de werkmap die open staat in Excel; sla hem daar op.")
        if not lines:
            lines.append("Er was niets te schrijven; de werkmap is niet gewijzigd.")
        return "\n".join(lines)


# --- planned cells ----------------------------------------------------------------------------


@dataclass(frozen=True)
class PlannedColumn:
    header: str
    kind: str
    width: float = 10.0


@dataclass(frozen=True)
class SheetCells:
    """A result sheet as both writers write it: title, then a table of typed cells."""

    name: str
    title: str
    table_name: str
    columns: tuple[PlannedColumn, ...]
    rows: tuple[tuple[object, ...], ...]
    peildatum: date | None = None  # shown in the printed page's header
    totals: tuple[object, ...] | None = None  # the totals row: "Totaal", then each money column's sum

    @property
    def data_last_row(self) -> int:
        """Excel row of the table's last data row (a Table keeps one empty data row when there are none)."""
        return HEADER_ROW + max(len(self.rows), 1)

    @property
    def last_row(self) -> int:
        """Excel row of the table's last row: its totals row when it has one."""
        return self.data_last_row + (self.totals is not None)


@dataclass(frozen=True)
class ActionCells:
    """Rows to append to a register table (Acties, Regelingen, ...): typed cells keyed by the Dutch header."""

    columns: tuple[PlannedColumn, ...]
    rows: tuple[tuple[object, ...], ...]
    spec: SheetSpec = ACTIES  # the sheet (and its Table) the rows are appended to


@dataclass(frozen=True)
class AppendPlacement:
    """Where appended Acties rows go, the same for the file and the open workbook.

    ``positions``: the sheet column (1-based) of each planned column, None when
    the sheet lacks it and no row fills it; ``added``: (header, column) of the
    columns added at the table's right; rows ``start``..``end`` receive the
    values; ``areas`` are the (first col, first row, last col, last row)
    rectangles the write newly takes, which must be empty.
    """

    positions: tuple[int | None, ...]
    added: tuple[tuple[str, int], ...]
    new_last_col: int
    start: int
    end: int
    new_last: int
    areas: tuple[tuple[int, int, int, int], ...]


def place_appended_rows(
    actions: ActionCells,
    positions_by_key: dict[str, int],
    *,
    header_row: int,
    first_col: int,
    last_col: int,
    last_filled: int,
    old_last: int,
    in_table: bool,
) -> AppendPlacement:
    """Place the appended rows below the last filled row; columns the sheet lacks go at its right."""
    positions, added = [], []
    next_col = last_col + 1
    for index, column in enumerate(actions.columns):
        position = positions_by_key.get(header_key(column.header))
        if position is None and any(row[index] is not None for row in actions.rows):
            position = next_col
            added.append((column.header, position))
            next_col += 1
        positions.append(position)
    new_last_col = next_col - 1
    start = last_filled + 1
    end = last_filled + len(actions.rows)
    new_last = max(old_last, end)
    written = [p for p in positions if p is not None]
    areas = []
    if in_table:
        if new_last > old_last:
            areas.append((first_col, old_last + 1, new_last_col, new_last))
        if added:
            areas.append((last_col + 1, header_row, new_last_col, old_last))
    else:
        if written:
            areas.append((min(written), start, max(written), end))
        if added:
            areas.append((last_col + 1, header_row, new_last_col, header_row))
    return AppendPlacement(tuple(positions), tuple(added), new_last_col, start, end, new_last, tuple(areas))


def _clean(value: object) -> object:
    """A frame cell as a plain Python value; every kind of missing becomes None."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, pd.Timestamp):
        if pd.isna(value):
            return None
        value = value.to_pydatetime()
    if isinstance(value, datetime):
        value = value.replace(tzinfo=None)
        return value.date() if value.time() == time() else value
    if isinstance(value, Decimal) and not value.is_finite():
        raise ValueError(f"{value!r} is not a writable number")
    return value


def _as_text(value: object) -> str:
    """How a non-text value reads in a text column: Dutch dates, ja/nee, plain numbers."""
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, datetime):
        return format_datetime(value)
    if isinstance(value, date):
        return format_date(value)
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # 1001.0 read from Excel is the number 1001
    return str(value)


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float, Decimal)) and not isinstance(value, bool)


def infer_kind(values: Sequence[object]) -> str:
    """The kind of a column from its (cleaned) values: one kind per column, mixed is text."""
    present = [v for v in values if v is not None]
    if not present:
        return TEXT
    if all(isinstance(v, date) for v in present):  # datetime is a date too
        return DATETIME if any(isinstance(v, datetime) for v in present) else DATE
    if all(_is_number(v) for v in present):
        return NUMBER
    return TEXT


def _cast(value: object, kind: str, header: str) -> object:
    if value is None:
        return None
    if kind == MONEY:
        if not isinstance(value, Decimal):
            raise TypeError(f"column {header!r} holds money and must hold Decimal euros, not {value!r}")
        return value
    if kind == DATE:
        return value.date() if isinstance(value, datetime) else value
    if kind == DATETIME:
        return value if isinstance(value, datetime) else datetime.combine(value, time())
    if kind == TEXT:
        text = value if isinstance(value, str) else _as_text(value)
        if len(text) > 32767:
            raise ValueError(f"column {header!r}: text longer than an Excel cell holds (32,767 characters)")
        return text if text.strip() else None
    return value


def _display_width(value: object, kind: str) -> int:
    if value is None:
        return 0
    if kind == MONEY:
        return len(format_eur(value))
    if kind == DATE:
        return 10
    if kind == DATETIME:
        return 16
    return len(_as_text(value))


def _plan_columns(headers, columns_values, money_columns, fixed_kinds=None) -> tuple[list[PlannedColumn], list]:
    planned, cast_columns = [], []
    for header, values in zip(headers, columns_values):
        values = [_clean(v) for v in values]
        if header in money_columns:
            kind = MONEY
        elif fixed_kinds and header_key(header) in fixed_kinds:
            kind = fixed_kinds[header_key(header)]
            if kind == DATE:
                wrong = [v for v in values if v is not None and not isinstance(v, date)]
                if wrong:
                    raise TypeError(f"column {header!r} holds dates, not {wrong[0]!r}")
                kind = DATETIME if any(isinstance(v, datetime) for v in values) else DATE
        else:
            kind = infer_kind(values)
        cast = [_cast(v, kind, header) for v in values]
        width = max([len(header) + 3, *(_display_width(v, kind) + 1 for v in cast)])
        planned.append(PlannedColumn(header, kind, float(min(max(width, 8), 60))))
        cast_columns.append(cast)
    return planned, cast_columns


def _unique_headers(headers: Sequence[object]) -> list[str]:
    """Table column names must be non-empty and unique (ignoring case)."""
    seen, result = set(), []
    for index, header in enumerate(headers, start=1):
        base = str(header).strip() if header is not None and str(header).strip() else f"Kolom{index}"
        name, n = base, 2
        while name.casefold() in seen:
            name, n = f"{base} {n}", n + 1
        seen.add(name.casefold())
        result.append(name)
    return result


def title_line(generated_at: datetime, peildatum: date, *, builds_up: bool = False) -> str:
    """The first line of every result sheet, in Dutch.

    >>> title_line(datetime(2026, 11, 23, 14, 5), date(2026, 10, 31), builds_up=True)
    'Gegenereerd op 23-11-2026 14:05 uit het register per peildatum 31-10-2026 — elke review voegt hier een regel toe (een herhaalde peildatum vervangt de oude); wijzig hier niets.'
    """
    head = f"Gegenereerd op {format_datetime(generated_at)} uit het register per peildatum {format_date(peildatum)}"
    if builds_up:
        return f"{head} — elke review voegt hier een regel toe (een herhaalde peildatum vervangt de oude); wijzig hier niets."
    return f"{head} — wordt bij elke review vervangen; wijzig hier niets."


def plan_result_sheet(
    sheet: ResultSheet,
    *,
    generated_at: datetime,
    peildatum: date,
    existing: list[list[object]] | None = None,
    key_types: KeyTypes | None = None,
) -> SheetCells:
    """The cells of one result sheet; ``existing`` is the sheet's current grid (for ``append_key``).

    ``key_types``: the register's (``Register.key_types``); a Debiteurnummer or
    Factuurnummer column then holds numbers when the register's does.
    """
    frame = sheet.frame
    if frame.shape[1] == 0:
        raise ValueError(f"result sheet {sheet.name!r} has no columns")
    headers = _unique_headers(list(frame.columns))
    missing_money = set(sheet.money_columns) - set(headers)
    if missing_money:
        raise ValueError(f"money columns not in the frame of {sheet.name!r}: {sorted(missing_money)}")
    columns_values = [frame.iloc[:, i].tolist() for i in range(frame.shape[1])]
    columns_values = [
        _keys_as_typed(values, RESULT_KEY_FIELDS.get(header_key(header)), key_types)
        for header, values in zip(headers, columns_values)
    ]
    columns, cast = _plan_columns(headers, columns_values, set(sheet.money_columns))
    rows = list(zip(*cast)) if cast else [() for _ in range(len(frame))]
    if sheet.append_key is not None:
        columns, rows = _merge_with_earlier_rows(sheet, columns, rows, existing)
    return SheetCells(
        name=sheet.name,
        title=title_line(generated_at, peildatum, builds_up=sheet.append_key is not None),
        table_name=sheet.name,
        columns=tuple(columns),
        rows=tuple(tuple(r) for r in rows),
        peildatum=peildatum,
        totals=_totals_row(columns, rows) if sheet.totals else None,
    )


TOTALS_LABEL = "Totaal"


def structured_column(header: str) -> str:
    """A column's name inside a structured reference (``Tabel[naam]``): [, ], # and ' escaped with '.

    >>> structured_column("Rente [tot] #1")
    "Rente '[tot'] '#1"
    """
    return re.sub(r"([\[\]#'])", r"'\1", header)


def _totals_row(columns: list[PlannedColumn], rows: list[tuple]) -> tuple[object, ...]:
    """ "Totaal" in the first column, the exact sum of every money column, nothing elsewhere.

    >>> _totals_row([PlannedColumn("Naam", TEXT), PlannedColumn("Open", MONEY)], [("a", Decimal("1.10")), ("b", None)])
    ('Totaal', Decimal('1.10'))
    """
    totals: list[object] = [None] * len(columns)
    for index, column in enumerate(columns):
        if column.kind == MONEY:
            totals[index] = sum((row[index] for row in rows if row[index] is not None), Decimal("0.00"))
    if columns and totals[0] is None:
        totals[0] = TOTALS_LABEL
    return tuple(totals)


def _earlier_table(grid: list[list[object]], key: str) -> tuple[list[str], list[list[object]]] | None:
    """Headers and rows under the title line of an earlier version of a result sheet."""
    wanted = header_key(key)
    for index, row in enumerate(grid[:20]):
        cells = [normalise_cell(v) for v in row]
        keys = [header_key(v) if isinstance(v, str) else "" for v in cells]
        if wanted in keys:
            width = max(i for i, k in enumerate(keys) if k) + 1
            headers = [str(cells[i]).strip() if cells[i] is not None else "" for i in range(width)]
            body = []
            for raw in grid[index + 1 :]:
                values = [normalise_cell(v) for v in raw[:width]] + [None] * (width - len(raw))
                if any(v is not None for v in values):
                    body.append(values)
            return headers, body
    return None


def _restore(value: object, kind: str) -> object:
    """An earlier cell as read back (floats, dates) in the type the column holds."""
    if value is None:
        return None
    try:
        if kind == MONEY and _is_number(value):
            return parse_amount(value)
        if kind == MONEY and isinstance(value, str):
            return parse_amount(value)
    except AmountError:
        return value
    if kind == NUMBER and isinstance(value, float):
        return int(value) if value.is_integer() else Decimal(repr(value))
    if kind in (DATE, DATETIME) and isinstance(value, date):
        return _cast(value, kind, "")
    if kind == TEXT and not isinstance(value, str):
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        return _as_text(value)
    return value


def _merge_with_earlier_rows(sheet: ResultSheet, columns, rows, existing):
    key = sheet.append_key
    headers = [c.header for c in columns]
    if header_key(key) not in {header_key(h) for h in headers}:
        raise ValueError(f"append_key {key!r} is not a column of {sheet.name!r}")
    earlier = _earlier_table(existing, key) if existing else None
    if earlier is None:
        if existing and any(normalise_cell(v) is not None for row in existing for v in row):
            raise WriteBackRefused(key_column_missing_message(sheet.name, key))
        return columns, rows
    old_headers, old_rows = earlier
    position = {header_key(h): i for i, h in enumerate(old_headers) if h}
    # Columns the earlier version had and this one lacks are kept (history is never dropped).
    extra = [i for i, h in enumerate(old_headers) if h and header_key(h) not in {header_key(x) for x in headers}]
    extra_columns, _ = _plan_columns([old_headers[i] for i in extra], [[r[i] for r in old_rows] for i in extra], set())
    all_columns = list(columns) + extra_columns
    key_index = [header_key(h) for h in headers].index(header_key(key))
    new_keys = {row[key_index] for row in rows}
    merged = []
    for old in old_rows:
        values = []
        for column in all_columns:
            i = position.get(header_key(column.header))
            values.append(_restore(old[i], column.kind) if i is not None else None)
        if values[key_index] in new_keys:
            continue  # the same peildatum again: the new row replaces it
        merged.append(tuple(values))
    merged += [tuple(row) + (None,) * len(extra_columns) for row in rows]
    keys = [row[key_index] for row in merged]
    if all(isinstance(k, date) for k in keys) or all(isinstance(k, str) for k in keys):
        merged.sort(key=lambda row: row[key_index])
    widths = []
    for i, column in enumerate(all_columns):
        width = max([column.width, *(min(_display_width(r[i], column.kind) + 1, 60) for r in merged)])
        widths.append(PlannedColumn(column.header, column.kind, float(width)))
    return widths, merged


EXCEL_CELL_CHARACTERS = 32_767  # what one cell holds


def split_long_invoice_lists(actions: pd.DataFrame, limit: int = EXCEL_CELL_CHARACTERS) -> pd.DataFrame:
    """Log rows whose Factuurnummers would not fit in a cell, as several rows of whole invoice numbers.

    The log decides where every invoice stands, so it keeps the full list: a letter about
    2,000 invoices is logged in as many rows as its list needs, each the same but for its part.

    >>> frame = pd.DataFrame({"Debiteurnummer": ["1"], "Factuurnummers": ["F-1, F-2, F-3"]})
    >>> split_long_invoice_lists(frame, limit=8)["Factuurnummers"].tolist()
    ['F-1, F-2', 'F-3']
    """
    column = next((c for c in actions.columns if header_key(str(c)) == header_key("Factuurnummers")), None)
    if column is None:
        return actions
    texts = actions[column]
    if not any(isinstance(t, str) and len(t) > limit for t in texts):
        return actions
    rows = []
    for (_, row), text in zip(actions.iterrows(), texts):
        if not (isinstance(text, str) and len(text) > limit):
            rows.append(row)
            continue
        part: list[str] = []
        for invoice in text.split(", "):
            if part and len(", ".join([*part, invoice])) > limit:
                rows.append(row.copy().where(row.index != column, ", ".join(part)))
                part = []
            part.append(invoice)
        rows.append(row.copy().where(row.index != column, ", ".join(part)))
    return pd.DataFrame(rows, columns=actions.columns).reset_index(drop=True)


ACTION_KINDS_BY_CELL = {DATE_CELL: DATE, MONEY_CELL: MONEY, INT_CELL: NUMBER}
# Result-sheet columns that hold the register's keys (matched by header_key).
RESULT_KEY_FIELDS = {"debiteurnummer": "debtor_id", "factuurnummer": "invoice_id"}


def _keys_as_typed(values: list, field: str | None, key_types: KeyTypes | None) -> list:
    """A column of keys as numbers when the register types that key as numbers; else as it was.

    >>> _keys_as_typed(["1001", "1002"], "debtor_id", KeyTypes(debtor_ids=True))
    [1001, 1002]
    >>> _keys_as_typed(["0101"], "debtor_id", KeyTypes(debtor_ids=True))
    ['0101']
    """
    if field is None or key_types is None:
        return values
    numbers = key_types.as_numbers(field, [_clean(v) for v in values])
    return values if numbers is None else numbers


def plan_actions(actions: pd.DataFrame, spec: SheetSpec = ACTIES, key_types: KeyTypes | None = None) -> ActionCells:
    """Typed cells for the rows to append to ``spec``'s sheet, checked so the register stays readable.

    Every required column of the sheet must be filled and every choice column
    hold one of its choices (for Acties: a known Soort). With ``key_types`` (the
    register's), debtor and invoice numbers are numbers when the register's are.
    """
    headers = [str(h) for h in actions.columns]
    fixed = {}
    values = [actions.iloc[:, i].tolist() for i in range(actions.shape[1])]
    for index, header in enumerate(headers):
        column = spec.column_for(header)
        if column is not None:
            fixed[header_key(header)] = ACTION_KINDS_BY_CELL.get(column.kind, TEXT)
            numbers = _keys_as_typed(values[index], column.field, key_types)
            if numbers is not values[index]:
                values[index], fixed[header_key(header)] = numbers, NUMBER
    money = {h for h in headers if fixed.get(header_key(h)) == MONEY}
    columns, cast = _plan_columns(headers, values, money, fixed)
    rows = list(zip(*cast)) if cast else []
    by_key = {header_key(c.header): i for i, c in enumerate(columns)}
    for number, row in enumerate(rows, start=1):
        for column in spec.columns:
            i = by_key.get(header_key(column.header))
            if column.required and (i is None or row[i] is None):
                raise ValueError(f"row {number}: {column.header!r} is required in {spec.name}")
            if column.choices and i is not None and row[i] is not None and row[i] not in column.choices:
                raise ValueError(f"row {number}: {column.header} {row[i]!r} is not one of {column.choices}")
    return ActionCells(tuple(columns), tuple(tuple(r) for r in rows), spec)
