"""From raw tables to a typed, validated Register, with every problem at once.

Reading types each sheet and collects the problems of single cells. Then the
checks across rows and sheets run, each a function ``(frames, settings) ->
problems`` listed in ``CHECKS``, on what the controller typed; the defaults
are filled in as a step of their own (``with_defaults``), and the warnings
about what a default means (``CHECKS_WITH_DEFAULTS``) run after it. Nothing
raises until every check has run. Errors block (``RegisterInvalid``); warnings
travel with the Register so the review can show them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from pathlib import Path
from types import MappingProxyType

import numpy as np
import pandas as pd
from stdnum import iban as stdnum_iban

from ..dutch import format_date
from . import cells
from .model import (
    DEFAULT_POLICY,
    SETTINGS,
    TUNING_SETTINGS,
    DunningStep,
    KeyTypes,
    RateOverride,
    Register,
    Settings,
)
from .problems import InputProblem, RegisterInvalid
from .schema import (
    BOOL,
    CHOICE,
    DATE,
    INT,
    KEY,
    MAX_INSTALMENTS,
    MONEY,
    PERCENT,
    SHEETS,
    TEXT,
    Column,
    SheetSpec,
    header_key,
)
from .tables import RawTable

WARNING = "waarschuwing"
_UNIX_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
EXPECT_REQUIRED = "een waarde (dit veld is verplicht)"

# Actions a dunning step may take: the letters and the two tasks.
POLICY_ACTIONS = (
    "Betalingsherinnering",
    "Telefoongesprek",
    "Ingebrekestelling",
    "Veertiendagenbrief",
    "Uit handen",
)
# Above this many days a business term needs express agreement (legal.md §7).
MAX_BUSINESS_TERM_DAYS = 60
# A payment term beyond a year is a typo (3650 for 30), not an agreement.
MAX_TERM_DAYS = 365


class _Collector:
    """The problems found so far, errors and warnings apart."""

    @staticmethod
    def ordered(problems: list[InputProblem]) -> list[InputProblem]:
        """Sheet by sheet, top to bottom, as a controller works through them."""
        order = {name: i for i, name in enumerate(SHEETS)}
        return sorted(problems, key=lambda p: (order.get(p.sheet, len(order)), p.row or 0))

    def __init__(self) -> None:
        self.errors: list[InputProblem] = []
        self.warnings: list[InputProblem] = []

    def error(self, sheet, row, column, value, expected, message=None) -> None:
        self.errors.append(InputProblem(sheet, row, column, value, expected, message))

    def warn(self, sheet, row, column, value, expected, message=None) -> None:
        self.warnings.append(InputProblem(sheet, row, column, value, expected, message, WARNING))

    def found(self) -> list[InputProblem]:
        """What a check returns: its errors, then its warnings."""
        return [*self.errors, *self.warnings]

    def add(self, found: list[InputProblem]) -> None:
        """A check's problems, errors and warnings apart (each list keeps the order they came in)."""
        for problem in found:
            (self.warnings if problem.severity == WARNING else self.errors).append(problem)


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


def _read_sheet(
    raw: RawTable | None, spec: SheetSpec, problems: _Collector
) -> tuple[pd.DataFrame, dict[str, str]] | None:
    """A sheet's typed frame and field -> header as written; None when the sheet is unusable."""
    if raw is None:
        if spec.required:
            problems.error(spec.name, None, None, None, "", f"Het blad '{spec.name}' ontbreekt in de werkmap.")
        return None
    if not raw.headers and not spec.required:
        return _empty_frame(spec)  # an optional sheet left blank says nothing
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


def _empty_frame(spec: SheetSpec) -> tuple[pd.DataFrame, dict[str, str]]:
    data = {c.field: _series(c.kind, []) for c in spec.columns}
    frame = pd.DataFrame(data)
    frame["excel_row"] = np.asarray([], dtype=np.int64)
    return frame, {c.field: c.header for c in spec.columns}


# --- settings, policy, rates ---------------------------------------------------


def _read_settings(raw: RawTable | None, problems: _Collector) -> Settings:
    if raw is None:
        problems.error("Instellingen", None, None, None, "", "Het blad 'Instellingen' ontbreekt in de werkmap.")
        return Settings()
    spec = SHEETS["Instellingen"]
    key_index = value_index = None
    for i, header in enumerate(raw.headers):
        column = spec.column_for(header)
        if column is not None and column.field == "key":
            key_index = i
        elif column is not None and column.field == "value":
            value_index = i
    if key_index is None or value_index is None:
        problems.error(
            raw.sheet, raw.header_row, None, None, "", "Het blad moet de kolommen 'Instelling' en 'Waarde' hebben."
        )
        return Settings()
    raw_values: dict[str, object] = {}
    rows_of: dict[str, int] = {}
    for excel_row, values in raw.rows:
        key = header_key(cells.read_text(values[key_index])) if values[key_index] is not None else ""
        if key:
            raw_values[key] = values[value_index]
            rows_of[key] = excel_row
    typed: dict[str, object] = {}
    tuning: dict[str, object] = {}
    for setting in SETTINGS + TUNING_SETTINGS:
        key = header_key(setting.name)
        value = raw_values.get(key)
        if cells.is_empty(value):
            continue
        try:
            read = read_setting(setting, value)
        except cells.CellError as error:
            problems.error(raw.sheet, rows_of[key], "Waarde", value, f"{error} (instelling '{setting.name}')")
            continue
        (tuning if setting in TUNING_SETTINGS else typed)[setting.field] = read
    iban = typed.get("iban")
    if iban and not stdnum_iban.is_valid(str(iban)):
        problems.warn(
            raw.sheet, rows_of[header_key("IBAN")], "Waarde", iban, "een geldig IBAN (controleer het rekeningnummer)"
        )
    if iban and stdnum_iban.is_valid(str(iban)):
        typed["iban"] = stdnum_iban.format(str(iban))
    shown = {k: (cells.read_text(v) if not cells.is_empty(v) else "") for k, v in raw_values.items()}
    return Settings(**typed, tuning=MappingProxyType(tuning), raw=MappingProxyType(shown))


def read_setting(setting, value):
    """One Instellingen value typed by its ``Setting``; raises ``cells.CellError``."""
    if setting.kind == "text":
        return cells.read_text(value)
    if setting.kind == "int":
        days = cells.read_int(value)
        if not 0 <= days <= MAX_TERM_DAYS:  # the one int setting is a payment term
            raise cells.CellError(f"een geheel getal van 0 tot en met {MAX_TERM_DAYS}")
        return days
    if setting.kind == "bool":
        return cells.read_bool(value)
    if setting.kind == "percent":
        return cells.read_percent(value)
    if setting.kind == "number":
        return cells.read_number(value)
    if setting.kind == "whole":
        try:
            number = cells.read_number(value)
        except cells.CellError:
            number = None
        if number is None or number != number.to_integral_value():
            raise cells.CellError(cells.EXPECT_INT)
        return int(number)
    if setting.kind == "choice":
        return cells.read_choice(value, setting.choices)
    if setting.kind == "buckets":
        text = cells.read_text(value).replace(";", ",")
        try:
            bounds = tuple(int(part) for part in text.split(",") if part.strip())
        except ValueError:
            raise cells.CellError("oplopende aantallen dagen, gescheiden door komma's (bijv. 30,60,90,120)") from None
        if not bounds or any(b <= 0 for b in bounds) or list(bounds) != sorted(set(bounds)):
            raise cells.CellError("oplopende aantallen dagen, gescheiden door komma's (bijv. 30,60,90,120)")
        return bounds
    raise AssertionError(setting.kind)  # pragma: no cover


def _read_policy(frame: pd.DataFrame | None, header_of, problems: _Collector) -> tuple[DunningStep, ...]:
    if frame is None or frame.empty:
        return DEFAULT_POLICY
    steps: list[DunningStep] = []
    rows_of: dict[int, int] = {}
    for row in frame.itertuples(index=False):
        action = next((a for a in POLICY_ACTIONS if a.casefold() == str(row.action).casefold()), None)
        if action is None:
            problems.error(
                "Aanmaanschema", row.excel_row, header_of["action"], row.action, "een van: " + ", ".join(POLICY_ACTIONS)
            )
            continue
        if pd.isna(row.step) or pd.isna(row.days):
            continue  # already reported as required
        term = None if pd.isna(row.term_days) else int(row.term_days)
        steps.append(DunningStep(int(row.step), action, str(row.applies_to), int(row.days), term))
        rows_of[len(steps) - 1] = int(row.excel_row)
    _check_consumer_route(steps, rows_of, header_of, problems)
    return tuple(sorted(steps, key=lambda s: (s.step, s.applies_to)))


def _check_consumer_route(steps: list[DunningStep], rows_of: dict[int, int], header_of, problems: _Collector) -> None:
    """Refuse a schedule that breaks the consumer route (art. 6:82 and 6:96 lid 6 BW), naming the step.

    A consumer owes collection costs only after a 14-day letter sent once in verzuim. The
    plan puts a consumer in verzuim with a notice of default before the 14-day letter
    (without fatal terms); a schedule that puts that notice after the 14-day letter, gives
    the 14-day letter another term than the law's, or a notice no term, cannot be walked.
    """
    consumer = sorted(
        (i for i, s in enumerate(steps) if s.applies_to in ("consument", "alle")), key=lambda i: steps[i].step
    )
    first_letter = next((i for i in consumer if steps[i].action == "Veertiendagenbrief"), None)
    for i, step in enumerate(steps):
        row = rows_of[i]
        if step.action == "Veertiendagenbrief" and step.term_days not in (None, 14):
            problems.error(
                "Aanmaanschema",
                row,
                header_of["term_days"],
                step.term_days,
                f"leeg of 14 bij stap {step.step} (Veertiendagenbrief): de wet geeft de consument veertien dagen "
                "vanaf de dag na bezorging (art. 6:96 lid 6 BW)",
            )
        if step.action == "Ingebrekestelling" and not step.term_days:
            problems.error(
                "Aanmaanschema",
                row,
                header_of["term_days"],
                step.term_days,
                f"een termijn in dagen bij stap {step.step} (Ingebrekestelling): pas na een redelijke termijn is "
                "de debiteur in verzuim (art. 6:82 BW)",
            )
        if (
            first_letter is not None
            and i in consumer
            and step.action == "Ingebrekestelling"
            and step.step > steps[first_letter].step
        ):
            problems.error(
                "Aanmaanschema",
                row,
                header_of["step"],
                step.step,
                f"een stap vóór stap {steps[first_letter].step} (Veertiendagenbrief): een consument moet in verzuim "
                "zijn vóór de veertiendagenbrief, anders zijn er geen incassokosten (art. 6:96 lid 6 BW)",
            )


def _read_rates(frame: pd.DataFrame | None) -> tuple[RateOverride, ...]:
    if frame is None:
        return ()
    overrides = []
    for row in frame.itertuples(index=False):
        if pd.isna(row.start_date):
            continue
        overrides.append(
            RateOverride(
                row.start_date.date(),
                None if row.statutory_pct is None else Decimal(row.statutory_pct),
                None if row.commercial_pct is None else Decimal(row.commercial_pct),
                int(row.excel_row),
            )
        )
    return tuple(sorted(overrides, key=lambda r: r.start_date))


# --- cross-sheet checks --------------------------------------------------------


def _check_unique(frame, field, sheet, header, what, problems: _Collector) -> None:
    keys = frame[field]
    dup = keys.notna() & keys.duplicated(keep=False)
    if not dup.any():
        return
    first_row = frame.loc[dup].groupby(field, sort=False)["excel_row"].min()
    for value, excel_row in frame.loc[dup & keys.duplicated(keep="first"), [field, "excel_row"]].itertuples(
        index=False
    ):
        problems.error(
            sheet, int(excel_row), header, value, f"een uniek {what} (komt ook voor op rij {first_row[value]})"
        )


def _check_range(frame, field, low, high, sheet, header_of, expected, problems: _Collector, money=False) -> None:
    """Values outside low..high (a bound of None is open) are errors."""
    values = frame[field]
    outside = values.notna() & (values < low)
    if high is not None:
        outside |= values.notna() & (values > high)
    for value, excel_row in frame.loc[outside, [field, "excel_row"]].itertuples(index=False):
        problems.error(sheet, int(excel_row), header_of[field], _euro_text(value) if money else value, expected)


def _check_known_debtor(frame, debtor_ids, sheet, header, problems: _Collector) -> None:
    unknown = frame["debtor_id"].notna() & ~frame["debtor_id"].isin(debtor_ids)
    if not unknown.any():
        return
    # '01001' typed as text here and 1001 as a number there: say which one the register has.
    without_zeros = {str(k).lstrip("0"): k for k in debtor_ids}
    for value, excel_row in frame.loc[unknown, ["debtor_id", "excel_row"]].itertuples(index=False):
        expected = "een debiteurnummer uit het blad 'Debiteuren'"
        twin = without_zeros.get(str(value).lstrip("0"))
        if twin is not None:
            expected += f" (daar staat '{twin}'; gebruik overal hetzelfde nummer, ook de voorloopnullen)"
        problems.error(sheet, int(excel_row), header, value, expected)


# The sheets build_register types column by column (Instellingen is read row by row).
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
            problems = _Collector()
            result = _read_sheet(raw, SHEETS[name], problems)
            typed[name] = TypedSheet(
                result, tuple(problems.errors), tuple(problems.warnings), numeric_keys(raw, SHEETS[name])
            )
        else:
            typed[name] = raw
    return typed


@dataclass(frozen=True)
class Frames:
    """The typed sheets the checks read, and each sheet's headers as the workbook writes them (field -> header)."""

    debtors: pd.DataFrame
    invoices: pd.DataFrame
    payments: pd.DataFrame
    actions: pd.DataFrame
    arrangements: pd.DataFrame
    headers: Mapping[str, Mapping[str, str]]


Check = Callable[[Frames, Settings], list[InputProblem]]


def check_payment_terms(frames: Frames, settings: Settings) -> list[InputProblem]:
    """A debtor's Betaaltermijn from 0 to 365 days."""
    problems = _Collector()
    _check_range(
        frames.debtors, "payment_term_days", 0, MAX_TERM_DAYS, "Debiteuren", frames.headers["Debiteuren"],
        f"0 tot en met {MAX_TERM_DAYS} dagen", problems,
    )  # fmt: skip
    return problems.found()


def check_unique_numbers(frames: Frames, settings: Settings) -> list[InputProblem]:
    """Each debtor number and each invoice number once."""
    problems = _Collector()
    h_deb, h_inv = frames.headers["Debiteuren"], frames.headers["Facturen"]
    _check_unique(frames.debtors, "debtor_id", "Debiteuren", h_deb["debtor_id"], "debiteurnummer", problems)
    _check_unique(frames.invoices, "invoice_id", "Facturen", h_inv["invoice_id"], "factuurnummer", problems)
    return problems.found()


def check_invoice_numbers_separable(frames: Frames, settings: Settings) -> list[InputProblem]:
    """No comma or semicolon in an invoice number."""
    # Acties lists a letter's invoices separated by these, so a number holding one could not be found back.
    problems = _Collector()
    invoices = frames.invoices
    ids = invoices["invoice_id"].dropna()
    joined = "\n".join(ids.tolist())  # one scan of a joined text: a quarter million numbers in milliseconds
    separated = ids.index[ids.str.contains(r"[,;]", regex=True)] if "," in joined or ";" in joined else []
    for value, excel_row in invoices.loc[separated, ["invoice_id", "excel_row"]].itertuples(index=False):
        problems.error(
            "Facturen", int(excel_row), frames.headers["Facturen"]["invoice_id"], value,
            "een factuurnummer zonder komma of puntkomma (die scheiden de factuurnummers in het blad Acties)",
        )  # fmt: skip
    return problems.found()


def check_known_debtors(frames: Frames, settings: Settings) -> list[InputProblem]:
    """Every debtor number on Facturen, Betalingen, Acties and Regelingen is on Debiteuren."""
    problems = _Collector()
    known = pd.Index(frames.debtors["debtor_id"].dropna().unique())
    for frame, sheet in (
        (frames.invoices, "Facturen"),
        (frames.payments, "Betalingen"),
        (frames.actions, "Acties"),
        (frames.arrangements, "Regelingen"),
    ):
        _check_known_debtor(frame, known, sheet, frames.headers[sheet]["debtor_id"], problems)
    return problems.found()


def _due_before_invoice_date(invoices: pd.DataFrame) -> pd.Series:
    return invoices["due_date"].notna() & (invoices["due_date"] < invoices["invoice_date"])


def check_due_dates(frames: Frames, settings: Settings) -> list[InputProblem]:
    """A Vervaldatum, where given, on or after the Factuurdatum."""
    problems = _Collector()
    invoices = frames.invoices
    early = _due_before_invoice_date(invoices)
    for due, inv_date, excel_row in invoices.loc[early, ["due_date", "invoice_date", "excel_row"]].itertuples(
        index=False
    ):
        problems.error(
            "Facturen",
            int(excel_row),
            frames.headers["Facturen"]["due_date"],
            due.date(),
            f"een datum op of na de factuurdatum ({format_date(inv_date)})",
        )
    return problems.found()


def check_payments_are_receipts(frames: Frames, settings: Settings) -> list[InputProblem]:
    """Payments are receipts: a refund is not a negative payment."""
    problems = _Collector()
    payments = frames.payments
    nonpositive = payments["amount_cents"].notna() & (payments["amount_cents"] <= 0)
    for value, excel_row in payments.loc[nonpositive, ["amount_cents", "excel_row"]].itertuples(index=False):
        problems.error(
            "Betalingen", int(excel_row), frames.headers["Betalingen"]["amount_cents"], _euro_text(value),
            "een positief bedrag (een ontvangst)",
        )  # fmt: skip
    return problems.found()


def check_designated_invoices(frames: Frames, settings: Settings) -> list[InputProblem]:
    """A payment's Factuurnummer, where given, is an invoice of the same debtor."""
    problems = _Collector()
    _check_designated_invoices(frames.payments, frames.invoices, frames.headers["Betalingen"], problems)
    return problems.found()


def check_arrangements(frames: Frames, settings: Settings) -> list[InputProblem]:
    """At most four instalments per debtor, numbered 1 to 4, each a positive amount."""
    problems = _Collector()
    arrangements, h_arr = frames.arrangements, frames.headers["Regelingen"]
    counts = arrangements.groupby("debtor_id")["instalment"].transform("count")
    too_many = arrangements.loc[counts > MAX_INSTALMENTS]
    for debtor_id, group in too_many.groupby("debtor_id"):
        excel_row = int(group["excel_row"].iloc[MAX_INSTALMENTS])
        problems.error(
            "Regelingen",
            excel_row,
            h_arr["instalment"],
            len(group),
            f"hoogstens {MAX_INSTALMENTS} termijnen per regeling (debiteur {debtor_id} heeft er {len(group)})",
        )
    bad_term = arrangements["instalment"].notna() & ~arrangements["instalment"].between(1, MAX_INSTALMENTS)
    for value, excel_row in arrangements.loc[bad_term, ["instalment", "excel_row"]].itertuples(index=False):
        problems.error(
            "Regelingen", int(excel_row), h_arr["instalment"], value, f"een termijn van 1 tot en met {MAX_INSTALMENTS}"
        )
    _check_range(
        arrangements,
        "amount_cents",
        1,
        None,
        "Regelingen",
        h_arr,
        "een positief bedrag per termijn",
        problems,
        money=True,
    )
    return problems.found()


def warn_long_invoice_terms(frames: Frames, settings: Settings) -> list[InputProblem]:
    """An invoice's own Vervaldatum far after its date (art. 6:119a lid 5 and 6 BW): a warning."""
    problems = _Collector()
    invoices = frames.invoices
    given = invoices["due_date"].notna() & ~_due_before_invoice_date(invoices)
    _warn_long_invoice_terms(invoices.loc[given], frames.debtors, settings, frames.headers["Facturen"], problems)
    return problems.found()


def warn_overpayments(frames: Frames, settings: Settings) -> list[InputProblem]:
    """A payment more than everything open at that moment: a warning."""
    problems = _Collector()
    _warn_overpayments(frames.invoices, frames.payments, frames.headers["Betalingen"], problems)
    return problems.found()


def warn_long_debtor_terms(frames: Frames, settings: Settings) -> list[InputProblem]:
    """A business debtor's Betaaltermijn (or the default it gets) above 60 days, or when we are an SME a
    large debtor's above 30: a warning."""
    problems = _Collector()
    _warn_long_business_terms(frames.debtors, frames.headers["Debiteuren"], problems)
    if settings.company_is_sme:
        _warn_large_debtor_terms(frames.debtors, frames.headers["Debiteuren"], problems)
    return problems.found()


# The checks of what the controller typed, in the order their problems are listed (then sorted by sheet
# and row). They read the frames before the defaults: a default must neither hide nor cause an error.
CHECKS: tuple[Check, ...] = (
    check_payment_terms,
    check_unique_numbers,
    check_invoice_numbers_separable,
    check_known_debtors,
    check_due_dates,
    check_payments_are_receipts,
    check_designated_invoices,
    check_arrangements,
    warn_long_invoice_terms,
    warn_overpayments,
)
# Warnings about what a filled-in default means (a debtor without a term gets Standaard betaaltermijn).
CHECKS_WITH_DEFAULTS: tuple[Check, ...] = (warn_long_debtor_terms,)


def with_defaults(frames: Frames, settings: Settings) -> Frames:
    """The frames with the defaults the design names filled in; the frames given are left as they were.

    A debtor without a Betaaltermijn gets Standaard betaaltermijn, without a status
    'actief', without a language 'nl', without a country 'NL'; an invoice without a
    Vervaldatum is due its debtor's term after its date.

    >>> text = lambda *values: pd.array(values, dtype="string")
    >>> frames = Frames(
    ...     debtors=pd.DataFrame({"debtor_id": text("1", "2"), "payment_term_days": pd.array([None, 30], dtype="Int64"),
    ...                           "status": text(None, "gesloten"), "language": text(None, "en"), "country": text(None, "GB")}),
    ...     invoices=pd.DataFrame({"debtor_id": text("1", "2"), "invoice_date": pd.to_datetime(["2026-06-01"] * 2),
    ...                            "due_date": pd.to_datetime([None, "2026-06-05"])}),
    ...     payments=pd.DataFrame(), actions=pd.DataFrame(), arrangements=pd.DataFrame(), headers={})
    >>> filled = with_defaults(frames, Settings(default_term_days=14))
    >>> filled.debtors.drop(columns="debtor_id").to_dict("records")
    [{'payment_term_days': 14, 'status': 'actief', 'language': 'nl', 'country': 'NL'}, \
{'payment_term_days': 30, 'status': 'gesloten', 'language': 'en', 'country': 'GB'}]
    >>> [day.date().isoformat() for day in filled.invoices["due_date"]]
    ['2026-06-15', '2026-06-05']
    >>> frames.invoices["due_date"].isna().tolist()  # the frames given are left as they were
    [True, False]
    """
    debtors = frames.debtors.assign(
        payment_term_days=frames.debtors["payment_term_days"].fillna(settings.default_term_days).astype(np.int64),
        status=frames.debtors["status"].fillna("actief"),
        language=frames.debtors["language"].fillna("nl"),
        country=frames.debtors["country"].fillna("NL"),
    )
    invoices = frames.invoices
    terms = invoices["debtor_id"].map(debtors.drop_duplicates("debtor_id").set_index("debtor_id")["payment_term_days"])
    # A term out of range is an error of its own; clipped here only so the date arithmetic cannot overflow.
    days = terms.fillna(settings.default_term_days).clip(-MAX_TERM_DAYS, MAX_TERM_DAYS)
    default_due = invoices["invoice_date"] + pd.to_timedelta(days, unit="D")
    invoices = invoices.assign(due_date=invoices["due_date"].fillna(default_due))
    return replace(frames, debtors=debtors, invoices=invoices)


def build_register(tables: dict[str, RawTable | TypedSheet | None], source: Path | None = None) -> Register:
    """Type and validate the raw tables; raise ``RegisterInvalid`` listing every error."""
    problems = _Collector()
    settings = _read_settings(tables.get("Instellingen"), problems)
    read = {}
    numeric: set[str] = set()
    for name in TYPED_SHEETS:
        spec = SHEETS[name]
        table = tables.get(name)
        if isinstance(table, TypedSheet):
            problems.errors.extend(table.errors)
            problems.warnings.extend(table.warnings)
            result = table.result
            numeric |= table.numeric_keys
        else:
            result = _read_sheet(table, spec, problems)
            numeric |= numeric_keys(table, spec)
        read[name] = (
            result if result is not None else (None if table is not None or spec.required else _empty_frame(spec))
        )
    if any(v is None for k, v in read.items() if k in ("Debiteuren", "Facturen", "Betalingen", "Acties")):
        # A sheet is missing or lacks a required column: the rest cannot be checked reliably.
        raise RegisterInvalid(problems.ordered(problems.errors), problems.ordered(problems.warnings))

    arrangements_read = read["Regelingen"] or _empty_frame(SHEETS["Regelingen"])
    policy_frame, h_pol = read["Aanmaanschema"] or (None, {})
    rates_frame, _ = read["Rentetabel"] or (None, {})
    frames = Frames(
        debtors=read["Debiteuren"][0],
        invoices=read["Facturen"][0],
        payments=read["Betalingen"][0],
        actions=read["Acties"][0],
        arrangements=arrangements_read[0],
        headers=MappingProxyType({
            "Debiteuren": read["Debiteuren"][1], "Facturen": read["Facturen"][1], "Betalingen": read["Betalingen"][1],
            "Acties": read["Acties"][1], "Regelingen": arrangements_read[1],
        }),
    )  # fmt: skip
    for check in CHECKS:
        problems.add(check(frames, settings))
    frames = with_defaults(frames, settings)
    for check in CHECKS_WITH_DEFAULTS:
        problems.add(check(frames, settings))
    debtors, invoices, payments, actions, arrangements = (
        frames.debtors, frames.invoices, frames.payments, frames.actions, frames.arrangements
    )  # fmt: skip

    policy = _read_policy(policy_frame, h_pol, problems)
    rate_overrides = _read_rates(rates_frame)
    # The law layer knows what a sane rate table is; imported here to keep the
    # register package importable on its own.
    from ..law.rates import OVERRIDE_SHEET, check_overrides

    problems.errors.extend(
        InputProblem(OVERRIDE_SHEET, p.excel_row, p.column, p.value, p.expected)
        for p in check_overrides(rate_overrides)
    )

    if problems.errors:
        raise RegisterInvalid(problems.ordered(problems.errors), problems.ordered(problems.warnings))
    return Register(
        debtors=debtors,
        invoices=invoices,
        payments=payments,
        actions=actions,
        arrangements=arrangements,
        settings=settings,
        policy=policy,
        rate_overrides=rate_overrides,
        warnings=tuple(problems.ordered(problems.warnings)),
        source=source,
        key_types=KeyTypes(debtor_ids="debtor_id" in numeric, invoice_ids="invoice_id" in numeric),
    )


def _euro_text(cents) -> str:
    from ..money import format_eur

    return format_eur(int(cents), cents=True)


def _check_designated_invoices(payments, invoices, h_pay, problems: _Collector) -> None:
    designated = np.flatnonzero(payments["invoice_id"].notna().to_numpy())
    if not len(designated):
        return
    # One hash lookup per payment in C (the first of duplicate invoice numbers counts; those are
    # reported elsewhere), then the owners compared as arrays.
    known = invoices.loc[~invoices["invoice_id"].duplicated(), ["invoice_id", "debtor_id"]]
    position = pd.Index(known["invoice_id"]).get_indexer(payments["invoice_id"].iloc[designated])
    owners = known["debtor_id"].to_numpy(dtype=object)
    owner = np.where(position >= 0, owners[np.maximum(position, 0)] if len(owners) else None, None)
    owner_missing = pd.isna(owner)
    payer = payments["debtor_id"].to_numpy(dtype=object)[designated]
    other = ~owner_missing & ~pd.isna(payer) & (owner != payer)
    invoice_ids = payments["invoice_id"].to_numpy(dtype=object)[designated]
    excel_rows = payments["excel_row"].to_numpy()[designated]
    for at in np.flatnonzero(owner_missing | other).tolist():
        if owner_missing[at]:
            expected = "een factuurnummer uit het blad 'Facturen' (of leeg)"
        else:
            expected = f"een factuur van debiteur {payer[at]} (deze factuur hoort bij debiteur {owner[at]})"
        problems.error("Betalingen", int(excel_rows[at]), h_pay["invoice_id"], invoice_ids[at], expected)


def _warn_long_business_terms(debtors, h_deb, problems: _Collector) -> None:
    terms = debtors["payment_term_days"]
    long_terms = (debtors["kind"] == "zakelijk") & (terms > MAX_BUSINESS_TERM_DAYS) & (terms <= MAX_TERM_DAYS)
    for days, excel_row in debtors.loc[long_terms, ["payment_term_days", "excel_row"]].itertuples(index=False):
        problems.warn(
            "Debiteuren",
            int(excel_row),
            h_deb["payment_term_days"],
            days,
            "",
            f"Betaaltermijn van {days} dagen voor een zakelijke klant: boven 60 dagen mag alleen als het "
            "uitdrukkelijk is afgesproken en niet onbillijk is (art. 6:119a lid 5 BW).",
        )


# Art. 6:119a lid 6 BW as amended by Stb. 2022, 146: a large company paying an SME may agree at most
# 30 days, for contracts from 2022-07-01 and for all contracts from 2023-07-01 (legal.md §7).
MAX_LARGE_DEBTOR_TERM_DAYS = 30
LARGE_DEBTOR_RULE_FROM = pd.Timestamp("2023-07-01")
_LONG_TERM_TEXT = (
    "boven 60 dagen mag alleen als het uitdrukkelijk is afgesproken en niet onbillijk is (art. 6:119a lid 5 BW)."
)
_LARGE_DEBTOR_TEXT = (
    "een grote onderneming mag met een mkb-onderneming hoogstens 30 dagen afspreken (art. 6:119a lid 6 BW, "
    "Stb. 2022, 146; voor alle overeenkomsten sinds 1 juli 2023); een langere termijn is nietig en dan geldt "
    "30 dagen."
)


def _warn_long_invoice_terms(invoices, debtors, settings, h_inv, problems: _Collector) -> None:
    """Per invoice with a Vervaldatum of its own: a business term above 60 days, or (when we are an
    SME) a large debtor's term above 30 days. Credit notes have no term."""
    by_id = debtors.drop_duplicates("debtor_id").set_index("debtor_id")
    kind = invoices["debtor_id"].map(by_id["kind"])
    size = invoices["debtor_id"].map(by_id["size"])
    term = (invoices["due_date"] - invoices["invoice_date"]).dt.days
    business = (kind == "zakelijk") & (invoices["amount_cents"] > 0)
    long_term = business & (term > MAX_BUSINESS_TERM_DAYS)
    large = pd.Series(False, index=invoices.index)
    if settings.company_is_sme:
        large = (
            business
            & (size == "groot")
            & (term > MAX_LARGE_DEBTOR_TERM_DAYS)
            & (invoices["invoice_date"] >= LARGE_DEBTOR_RULE_FROM)
        )
    flagged = invoices.loc[(long_term | large).fillna(False)]
    for row, days, is_large in zip(flagged.itertuples(index=False), term[flagged.index], large[flagged.index]):
        text = _LARGE_DEBTOR_TEXT if is_large else _LONG_TERM_TEXT
        who = "een grote zakelijke klant" if is_large else "een zakelijke klant"
        problems.warn(
            "Facturen",
            int(row.excel_row),
            h_inv["due_date"],
            row.due_date.date(),
            "",
            f"Factuur {row.invoice_id}: betaaltermijn van {int(days)} dagen na de factuurdatum voor {who}: {text}",
        )


def _warn_large_debtor_terms(debtors, h_deb, problems: _Collector) -> None:
    """A large business debtor whose Betaaltermijn exceeds 30 days, when we are an SME."""
    terms = debtors["payment_term_days"]
    large = (
        (debtors["kind"] == "zakelijk")
        & (debtors["size"] == "groot")
        & (terms > MAX_LARGE_DEBTOR_TERM_DAYS)
        & (terms <= MAX_BUSINESS_TERM_DAYS)
    )  # above 60 days the general warning already speaks
    for days, excel_row in debtors.loc[large.fillna(False), ["payment_term_days", "excel_row"]].itertuples(index=False):
        problems.warn(
            "Debiteuren", int(excel_row), h_deb["payment_term_days"], days, "",
            f"Betaaltermijn van {days} dagen voor een grote zakelijke klant: {_LARGE_DEBTOR_TEXT}",
        )  # fmt: skip


def _warn_overpayments(invoices, payments, h_pay, problems: _Collector) -> None:
    """A payment that takes the debtor's balance below zero: more than everything open then."""
    if payments.empty:
        return
    # A debtor with an invoice whose amount or date could not be read (an error reported already) has
    # an unknown balance: checking its payments would only add false warnings to that one error.
    unreadable = invoices["debtor_id"].notna() & (invoices["invoice_date"].isna() | invoices["amount_cents"].isna())
    if unreadable.any():
        payments = payments.loc[~payments["debtor_id"].isin(set(invoices.loc[unreadable, "debtor_id"]))]
        if payments.empty:
            return
    # In numpy on integer codes: sorting a half million events by debtor number as text is slow.
    parts = []
    for frame, date_field, sign, order in ((invoices, "invoice_date", 1, 0), (payments, "payment_date", -1, 1)):
        valid = (frame["debtor_id"].notna() & frame[date_field].notna() & frame["amount_cents"].notna()).to_numpy()
        rows = frame["excel_row"].to_numpy()[valid] if order else np.full(int(valid.sum()), -1)
        parts.append(
            (
                frame["debtor_id"].to_numpy(dtype=object)[valid],
                frame[date_field].to_numpy()[valid].view(np.int64),
                np.full(int(valid.sum()), order, dtype=np.int8),
                sign * frame["amount_cents"].to_numpy(dtype=np.int64, na_value=0)[valid],
                rows,
            )
        )
    debtor, when, order, delta, excel_row = (np.concatenate(column) for column in zip(*parts))
    codes = pd.factorize(debtor)[0]
    sequence = np.lexsort((order, when, codes))  # stable: ties keep invoices before payments
    codes, order, delta, excel_row = codes[sequence], order[sequence], delta[sequence], excel_row[sequence]
    running = np.cumsum(delta)
    starts = np.flatnonzero(np.r_[True, codes[1:] != codes[:-1]])
    before_debtor = np.r_[0, running[starts[1:] - 1]]  # what earlier debtors added up to
    balance = running - np.repeat(before_debtor, np.diff(np.r_[starts, len(codes)]))
    over = (order == 1) & (balance < 0)
    for excel_row, value in zip(excel_row[over].tolist(), delta[over].tolist()):
        problems.warn(
            "Betalingen",
            int(excel_row),
            h_pay["amount_cents"],
            _euro_text(-value),
            "",
            f"Betaling van {_euro_text(-value)} is groter dan alles wat op dat moment openstond; "
            "het verschil staat als tegoed van de klant in de ouderdom.",
        )
