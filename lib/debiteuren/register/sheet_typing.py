"""Each sheet typed column by column, every cell's problem collected (the first step of reading a register)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from . import cells
from .problem_collector import Collector
from .problems import InputProblem
from .schema import (
    BOOL,
    CHOICE,
    DATE,
    INT,
    KEY,
    MONEY,
    PERCENT,
    SHEETS,
    TEXT,
    Column,
    SheetSpec,
)
from .tables import RawTable

_UNIX_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
EXPECT_REQUIRED = "een waarde (dit veld is verplicht)"

# --- columns -----------------------------------------------------------------


def _convert(
    column: Column, values: list[object], kinds: frozenset[type] | None = None
) -> tuple[list[object], list[tuple[int, str]]]:
    """Typed values (None for empty) and (index, expected) for the cells that fail.

    Each distinct value is read once: keys, dates and choices repeat across a
    register's hundreds of thousands of rows. Columns of one plain type (all
    text, all dates, all numbers) skip even that. ``kinds``, when the reader
    knows it, is a superset of the cells' types (``RawTable.kinds``).
    """
    kind = column.kind
    kinds = set(map(type, values)) if kinds is None else kinds
    if kind == MONEY and values and kinds <= {float, int}:
        try:
            return _money_fast(values)
        except OverflowError:
            pass  # an integer beyond any float: the cell reader calls it too large
    if kind in (KEY, TEXT) and kinds <= {str, type(None)}:
        return list(values), []  # text arrives stripped (tables.normalise_column)
    if kind == DATE and kinds <= {date, type(None)} and _dates_in_range(values):
        return list(values), []
    reader = _reader(column)
    if bool in kinds:
        # True == 1 == 1.0 as dict keys: read such a column cell by cell.
        results = [_read_one(reader, kind, v) for v in values]
        out = [value for value, _ in results]
        return out, [(i, expected) for i, (_, expected) in enumerate(results) if expected is not None]
    typed, failed = {}, {}
    for value in set(values):
        typed[value], expected = _read_one(reader, kind, value)
        if expected is not None:
            failed[value] = expected
    out = list(map(typed.__getitem__, values))
    bad = [(i, failed[v]) for i, v in enumerate(values) if v in failed] if failed else []
    return out, bad


def _dates_in_range(values: list[object]) -> bool:
    """Whether no date cell holds a year outside the register's window (a typo like 0201 or 9999)."""
    present = [v for v in values if v is not None]
    return not present or (cells.DATE_MIN <= min(present) and max(present) <= cells.DATE_MAX)


def _reader(column: Column):
    if column.kind == CHOICE:
        return lambda value: cells.read_choice(value, column.choices)
    return {
        KEY: cells.read_key,
        TEXT: cells.read_text,
        DATE: cells.read_date,
        MONEY: cells.read_money,
        INT: cells.read_int,
        PERCENT: cells.read_percent,
        BOOL: cells.read_bool,
    }[column.kind]


def _read_one(reader, kind: str, value: object) -> tuple[object, str | None]:
    """(typed value, None) or (None, what was expected)."""
    if kind != BOOL and cells.is_empty(value):
        return None, None
    try:
        return reader(value), None
    except cells.CellError as error:
        return None, str(error)


def _money_fast(values: list[object]) -> tuple[list[object], list[tuple[int, str]]]:
    # Whole columns of numbers are the common case on a large register.
    # A cell of 1e308 overflows to inf here; it is reported as too large, so numpy need not warn.
    with np.errstate(over="ignore", invalid="ignore"):
        amounts = np.asarray(values, dtype=np.float64) * 100
        cents = np.rint(amounts)
        off = np.abs(amounts - cents) > 1e-6
    too_large = np.abs(cents) >= cells.MAX_AMOUNT_CENTS
    # As read_money: too large first, then more than two decimals.
    bad = [(int(i), cells.EXPECT_BELOW_MAX) for i in np.flatnonzero(too_large)]
    bad += [(int(i), cells.EXPECT_WHOLE_CENTS) for i in np.flatnonzero(off & ~too_large)]
    out: list[object] = np.where(too_large, 0, cents).astype(np.int64).tolist()
    for i, _ in bad:
        out[i] = None
    return out, bad


def _series(kind: str, values: list[object]) -> pd.Series:
    """A typed column as the Register's frames hold it."""
    if kind == DATE:
        # Day numbers through toordinal: far faster than numpy's own conversion of date objects.
        missing = np.iinfo(np.int64).min
        if None not in values:  # the common case: one C-level pass
            ordinals = np.fromiter(map(date.toordinal, values), dtype=np.int64, count=len(values))
            ordinals -= _UNIX_EPOCH_ORDINAL
        else:
            ordinals = np.array(
                [v.toordinal() - _UNIX_EPOCH_ORDINAL if v is not None else missing for v in values], dtype=np.int64
            )
        days = ordinals.astype("datetime64[D]")
        days[ordinals == missing] = np.datetime64("NaT")
        return pd.Series(days.astype("datetime64[ns]"))
    if kind in (MONEY, INT):
        if values and None not in values:
            return pd.Series(np.asarray(values, dtype=np.int64))
        return pd.Series(values, dtype="Int64")
    if kind == BOOL:
        return pd.Series(np.asarray(values, dtype=bool))
    if kind == PERCENT:
        return pd.Series(values, dtype=object)
    if values and values.count(None) == len(values):
        # A column left blank (common for optional columns): no check per cell.
        return pd.Series(np.nan, index=pd.RangeIndex(len(values)), dtype="str")
    return pd.Series(values, dtype="str")


def read_sheet(
    raw: RawTable | None, spec: SheetSpec, problems: Collector
) -> tuple[pd.DataFrame, dict[str, str]] | None:
    """A sheet's typed frame and field -> header as written; None when the sheet is unusable."""
    if raw is None:
        if spec.required:
            problems.error(spec.name, None, None, None, "", f"Het blad '{spec.name}' ontbreekt in de werkmap.")
        return None
    if not raw.headers and not spec.required:
        return empty_frame(spec)  # an optional sheet left blank says nothing
    if not raw.headers:
        required = [c.header for c in spec.columns if c.required]
        problems.error(
            raw.sheet,
            None,
            None,
            None,
            "",
            "Het blad is leeg: er staat geen kopregel in. Verwacht ten minste de kolommen "
            + ", ".join(f"'{h}'" for h in required)
            + ".",
        )
        return None
    index_of: dict[str, int] = {}
    header_of: dict[str, str] = {}
    for i, header in enumerate(raw.headers):
        column = spec.column_for(header)
        if column is None:
            continue  # extra columns are the controller's own: kept, ignored
        if column.field in index_of:
            problems.error(
                raw.sheet,
                raw.header_row,
                header,
                header,
                "",
                f"De kolom '{header}' staat er twee keer in; verwijder of hernoem een van beide.",
            )
            continue
        index_of[column.field] = i
        header_of[column.field] = header
    missing = [c for c in spec.columns if c.required and c.field not in index_of]
    for column in missing:
        problems.error(
            raw.sheet, raw.header_row, column.header, None, "", f"De verplichte kolom '{column.header}' ontbreekt."
        )
    if missing:
        return None
    excel_rows = list(raw.excel_rows)
    columns = raw.columns
    data: dict[str, pd.Series] = {}
    for column in spec.columns:
        if column.field not in index_of:
            data[column.field] = _series(
                column.kind, [None] * len(excel_rows) if column.kind != BOOL else [False] * len(excel_rows)
            )
            header_of[column.field] = column.header
            continue
        values = columns[index_of[column.field]]
        typed, bad = _convert(column, values, raw.kinds[index_of[column.field]] if raw.kinds else None)
        for i, expected in bad:
            problems.error(raw.sheet, excel_rows[i], header_of[column.field], values[i], expected)
        if column.required and None in typed:
            failed = {i for i, _ in bad}
            for i, value in enumerate(typed):
                if value is None and i not in failed:
                    problems.error(raw.sheet, excel_rows[i], header_of[column.field], None, EXPECT_REQUIRED)
        data[column.field] = _series(column.kind, typed)
    frame = pd.DataFrame(data)
    frame["excel_row"] = np.asarray(excel_rows, dtype=np.int64)
    return frame, header_of


def empty_frame(spec: SheetSpec) -> tuple[pd.DataFrame, dict[str, str]]:
    data = {c.field: _series(c.kind, []) for c in spec.columns}
    frame = pd.DataFrame(data)
    frame["excel_row"] = np.asarray([], dtype=np.int64)
    return frame, {c.field: c.header for c in spec.columns}


TYPED_SHEETS = ("Debiteuren", "Facturen", "Betalingen", "Acties", "Regelingen", "Aanmaanschema", "Rentetabel")


@dataclass(frozen=True)
class TypedSheet:
    """A sheet typed ahead by ``type_ahead`` (possibly in another process), with the problems it had."""

    result: tuple[pd.DataFrame, dict[str, str]] | None
    errors: tuple[InputProblem, ...]
    warnings: tuple[InputProblem, ...]
    numeric_keys: frozenset[str] = frozenset()  # see numeric_keys()


# The key columns whose type the tool copies when it writes: (sheet, field).
KEY_TYPE_SOURCES = (("Debiteuren", "debtor_id"), ("Facturen", "invoice_id"))


def numeric_keys(raw: RawTable | None, spec: SheetSpec) -> frozenset[str]:
    """The fields of ``KEY_TYPE_SOURCES`` on this sheet whose every filled cell is a whole number.

    The typed frame holds keys as text (1001 and '1001' are one debtor), so how the
    workbook types them is read from the raw cells: it decides how the tool writes them.

    >>> raw = RawTable("Debiteuren", 1, ("Debiteurnummer",), (2, 3), ((1001.0, 1002),), True)
    >>> sorted(numeric_keys(raw, SHEETS["Debiteuren"]))
    ['debtor_id']
    >>> raw = RawTable("Debiteuren", 1, ("Debiteurnummer",), (2, 3), ((1001.0, "01002"),), True)
    >>> sorted(numeric_keys(raw, SHEETS["Debiteuren"]))
    []
    """
    if raw is None or not raw.headers:
        return frozenset()
    found = set()
    for sheet, field in KEY_TYPE_SOURCES:
        if sheet != spec.name:
            continue
        index = next((i for i, h in enumerate(raw.headers) if (c := spec.column_for(h)) and c.field == field), None)
        if index is None:
            continue
        if raw.kinds and not raw.kinds[index] & {int, float}:
            continue  # text only, known without a scan
        present = [v for v in raw.columns[index] if v is not None]
        if present and all(_whole_number(v) for v in present):
            found.add(field)
    return frozenset(found)


def _whole_number(value: object) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return abs(value) < 10**15
    return isinstance(value, float) and value.is_integer() and abs(value) < 1e15


def type_ahead(tables: dict[str, RawTable | None]) -> dict[str, RawTable | TypedSheet | None]:
    """The tables with each sheet that build_register types already typed.

    Lets a large register be typed in two processes; build_register takes the
    result as it takes raw tables and reports the same problems in the same order.
    """
    typed: dict[str, RawTable | TypedSheet | None] = {}
    for name, raw in tables.items():
        if name in TYPED_SHEETS and raw is not None:
            problems = Collector()
            result = read_sheet(raw, SHEETS[name], problems)
            typed[name] = TypedSheet(
                result, tuple(problems.errors), tuple(problems.warnings), numeric_keys(raw, SHEETS[name])
            )
        else:
            typed[name] = raw
    return typed
