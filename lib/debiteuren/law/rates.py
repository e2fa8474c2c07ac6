"""Statutory interest rates as dated data: art. 6:119 BW (wettelijke rente) and 6:119a BW (handelsrente).

The shipped tables are ``wettelijke_rente.csv`` and ``handelsrente.csv`` next to this
module (columns ``start_date,rate_pct,status,source,note``); ``README.md`` says how to
add a half-yearly rate. Each row holds from its date (inclusive) until the next row.
The workbook's Rentetabel corrects or extends them (:func:`merge_overrides`).

>>> rates = load_rates()
>>> rates.rate_on(WETTELIJKE, date(2024, 6, 30)).rate_pct
Decimal('7')
>>> rates.rate_on(HANDELSRENTE, date(2025, 6, 30)).rate_pct
Decimal('11.15')
>>> rates.rate_on(HANDELSRENTE, date(2025, 7, 1)).rate_pct
Decimal('10.15')

Before 2002-12-01 there was no handelsrente; commercial claims then carry the
6:119 rate:

>>> rates.rate_on(HANDELSRENTE, date(2002, 11, 30)).rate_pct
Decimal('7')

A row has its own status; 10.40 per 2026-07-01 comes from one source only:

>>> p = rates.rate_on(HANDELSRENTE, date(2026, 8, 1))
>>> p.rate_pct, p.provisional
(Decimal('10.40'), True)

Past the newest row's half-year the table does not know the rate: the last rate
is used and marked provisional (it may already have changed). A wettelijke rente
that did not change gets no row; ``rate_checks.csv`` records the half-years checked
(1 July 2026 for the wettelijke rente), so the table is known through 31 December 2026:

>>> p = rates.rate_on(WETTELIJKE, date(2027, 3, 1))
>>> p.rate_pct, p.provisional, p.start
(Decimal('4'), True, datetime.date(2027, 1, 1))

The workbook can correct a row or add a newer one (``None`` = no change for that kind):

>>> from debiteuren.law.rates import RateOverride
>>> fixed = merge_overrides(rates, (RateOverride(date(2026, 7, 1), None, Decimal("10.15"), 3),
...                                 RateOverride(date(2027, 1, 1), Decimal("4"), Decimal("9.90"), 4)))
>>> fixed.rate_on(HANDELSRENTE, date(2026, 8, 1))[2:4]
(Decimal('10.15'), False)
>>> fixed.rate_on(HANDELSRENTE, date(2027, 2, 1)).rate_pct
Decimal('9.90')

>>> stale_rate_warnings(rates, date(2026, 12, 1))
()
>>> for warning in stale_rate_warnings(rates, date(2027, 2, 2), kinds=(HANDELSRENTE,)):
...     print(warning)
De nieuwste wettelijke handelsrente (art. 6:119a BW) in de rentetabel geldt vanaf 01-07-2026; de peildatum 02-02-2027 ligt meer dan 7 maanden later: controleer of er een nieuw percentage is en vul het zo nodig aan in het blad Rentetabel.
"""

from __future__ import annotations

import bisect
import csv
import io
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from importlib import resources
from typing import Iterable, NamedTuple, Sequence

from ..dutch import format_date  # noqa: F401 - re-exported: the law's texts and the app use it from here
from ..errors import InvalidInput
from ..money import MAX_TYPED_AMOUNT, is_whole_cents


@dataclass(frozen=True)
class RateOverride:
    """A row of the workbook's Rentetabel: extends or corrects the shipped rates.

    A law record the register reads (``Register.rate_overrides``; also importable from
    ``register.model``), so the law does not import the register's model.
    """

    start_date: date
    statutory_pct: Decimal | None
    commercial_pct: Decimal | None
    excel_row: int


HANDELSRENTE = "handelsrente"
WETTELIJKE = "wettelijke"
KINDS = (HANDELSRENTE, WETTELIJKE)

#: How each kind is named to a controller.
KIND_LABELS = {
    HANDELSRENTE: "wettelijke handelsrente (art. 6:119a BW)",
    WETTELIJKE: "wettelijke rente (art. 6:119 BW)",
}

#: The first day of handelsrente; earlier commercial days carry the 6:119 rate.
HANDELSRENTE_START = date(2002, 12, 1)

VASTGESTELD = "vastgesteld"
VOORLOPIG = "voorlopig"
STATUSES = (VASTGESTELD, VOORLOPIG)

MAX_RATE_PCT = Decimal("25")
STALE_AFTER_MONTHS = 7

_FILES = {WETTELIJKE: "wettelijke_rente.csv", HANDELSRENTE: "handelsrente.csv"}
_COLUMNS = ["start_date", "rate_pct", "status", "source", "note"]
_CHECKS_FILE = "rate_checks.csv"
_ASSUMED_SOURCE = "aangenomen: geen nieuwer percentage in de rentetabel"


class LawInputError(InvalidInput):
    """Input a law calculation cannot work with; the message is Dutch, for the user."""


#: The largest amount the law engine takes, in euros: the bound on a typed amount (money.py).
MAX_AMOUNT = MAX_TYPED_AMOUNT


def check_amount(value: object, what: str) -> Decimal:
    """``value`` as a finite Decimal in whole cents below ``MAX_AMOUNT``, or a Dutch ``LawInputError``."""
    if not isinstance(value, Decimal) or not value.is_finite():
        raise LawInputError(f"{what} moet een bedrag zijn, niet {value!r}.")
    if abs(value) >= MAX_AMOUNT:
        raise LawInputError(f"{what} moet kleiner zijn dan € 1.000.000.000.000, niet {value}.")
    if not is_whole_cents(value):
        raise LawInputError(f"{what} moet in hele centen zijn, niet {value}.")
    return value


class RateTableInvalid(LawInputError):
    """A shipped rate file has errors; ``problems`` lists every one of them."""

    def __init__(self, problems: Sequence[str]):
        self.problems = tuple(problems)
        super().__init__("De rentetabel bevat fouten:\n" + "\n".join(f"- {p}" for p in self.problems))


class RateRow(NamedTuple):
    """One row of a rate table: the rate from ``start_date`` until the next row."""

    start_date: date
    rate_pct: Decimal
    status: str
    source: str
    note: str = ""


class RatePeriod(NamedTuple):
    """A stretch of days with one rate; ``end`` is inclusive, ``None`` when open-ended."""

    start: date
    end: date | None
    rate_pct: Decimal
    provisional: bool
    source: str

    def covers(self, day: date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)


def format_pct(rate_pct: Decimal) -> str:
    """A percentage with a Dutch comma and at least two decimals.

    >>> format_pct(Decimal("11.15")), format_pct(Decimal("4")), format_pct(Decimal("8.125"))
    ('11,15%', '4,00%', '8,125%')
    """
    text = f"{rate_pct:.2f}" if rate_pct == rate_pct.quantize(Decimal("0.01")) else f"{rate_pct.normalize():f}"
    return text.replace(".", ",") + "%"


def half_year_end(day: date) -> date:
    """The last day of the half-year (Jan-Jun or Jul-Dec) that holds ``day``.

    >>> half_year_end(date(2026, 1, 1)), half_year_end(date(2026, 7, 1)), half_year_end(date(2013, 3, 16))
    (datetime.date(2026, 6, 30), datetime.date(2026, 12, 31), datetime.date(2013, 6, 30))
    """
    return date(day.year, 6, 30) if day.month <= 6 else date(day.year, 12, 31)


def add_months(day: date, months: int) -> date:
    """Same day of the month ``months`` later, clamped to the month's end.

    >>> add_months(date(2025, 7, 31), 7), add_months(date(2026, 1, 1), 7)
    (datetime.date(2026, 2, 28), datetime.date(2026, 8, 1))
    """
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    for last in (31, 30, 29, 28):
        try:
            return date(year, month + 1, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")  # pragma: no cover


@dataclass(frozen=True)
class RateTable:
    """The rows of one kind, sorted by date."""

    kind: str
    rows: tuple[RateRow, ...]
    # The latest half-year checked without a new row (rate_checks.csv): a wettelijke rente that does
    # not change gets no row, so the table is known to hold through that half-year.
    checked: date | None = None

    @property
    def newest(self) -> RateRow:
        return self.rows[-1]

    @property
    def covered_until(self) -> date:
        """The last day the table knows the rate of: the end of the newest row's or checked half-year."""
        newest = self.newest.start_date
        return half_year_end(max(newest, self.checked) if self.checked else newest)

    def replace_rows(self, rows: Iterable[RateRow]) -> "RateTable":
        return RateTable(self.kind, tuple(sorted(rows, key=lambda r: r.start_date)), self.checked)


@dataclass(frozen=True)
class Rates:
    """Both tables, with lookups that apply the rules for each kind."""

    statutory: RateTable
    commercial: RateTable
    _cache: dict = field(default_factory=dict, repr=False, compare=False)

    def table(self, kind: str) -> RateTable:
        check_kind(kind)
        return self.commercial if kind == HANDELSRENTE else self.statutory

    def periods(self, kind: str) -> tuple[RatePeriod, ...]:
        """Consecutive periods from the first known day on; the last one is open-ended.

        The newest row holds until the end of its half-year; after that the same
        rate is assumed and marked provisional.
        """
        check_kind(kind)
        if kind not in self._cache:
            self._cache[kind] = self._build_periods(kind)
        return self._cache[kind]

    def _build_periods(self, kind: str) -> tuple[RatePeriod, ...]:
        if kind == HANDELSRENTE:
            rows = [r for r in self.statutory.rows if r.start_date < HANDELSRENTE_START]
            rows += [r for r in self.commercial.rows if r.start_date >= HANDELSRENTE_START]
            covered_until = self.commercial.covered_until
        else:
            rows = list(self.statutory.rows)
            covered_until = self.statutory.covered_until
        periods = []
        for row, following in zip(rows, rows[1:] + [None]):
            end = following.start_date - timedelta(days=1) if following else covered_until
            periods.append(RatePeriod(row.start_date, end, row.rate_pct, row.status == VOORLOPIG, row.source))
        last = rows[-1]
        periods.append(RatePeriod(covered_until + timedelta(days=1), None, last.rate_pct, True, _ASSUMED_SOURCE))
        return tuple(periods)

    def _starts(self, kind: str) -> list[date]:
        key = ("starts", kind)
        if key not in self._cache:
            self._cache[key] = [p.start for p in self.periods(kind)]
        return self._cache[key]

    def rate_on(self, kind: str, day: date) -> RatePeriod:
        """The period (with its rate) in force on ``day``."""
        periods = self.periods(kind)
        index = bisect.bisect_right(self._starts(kind), day) - 1
        if index < 0:
            raise LawInputError(
                f"Er is geen percentage voor de {KIND_LABELS[kind]} bekend vóór "
                f"{format_date(periods[0].start)}; {format_date(day)} valt daarvoor."
            )
        return periods[index]

    @property
    def first_day(self) -> date:
        """The first day for which both kinds have a rate."""
        return self.statutory.rows[0].start_date


def check_kind(kind: str) -> None:
    if kind not in KINDS:
        raise LawInputError(f"Onbekende soort rente {kind!r}; kies 'handelsrente' of 'wettelijke'.")


def parse_rate_csv(text: str, kind: str, name: str) -> RateTable:
    """Read and check one rate file; every problem is collected before raising.

    >>> parse_rate_csv("start_date,rate_pct,status,source,note\\n2024-01-01,7,vastgesteld,x,\\n", WETTELIJKE, "t.csv").rows[0]
    RateRow(start_date=datetime.date(2024, 1, 1), rate_pct=Decimal('7'), status='vastgesteld', source='x', note='')
    >>> parse_rate_csv("start_date,rate_pct,status,source,note\\n"
    ...                "2024-01-01,7,vastgesteld,x,\\n2023-07-01,30,geschat,,\\n", WETTELIJKE, "t.csv")
    Traceback (most recent call last):
    ...
    debiteuren.law.rates.RateTableInvalid: De rentetabel bevat fouten:
    - t.csv, regel 3: percentage '30' ligt niet tussen 0 en 25.
    - t.csv, regel 3: status 'geschat' is ongeldig; verwacht 'vastgesteld' of 'voorlopig'.
    - t.csv, regel 3: de bron ontbreekt.
    - t.csv, regel 3: datum 2023-07-01 ligt niet na de vorige (2024-01-01).
    """
    check_kind(kind)
    problems: list[str] = []
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    if header != _COLUMNS:
        raise RateTableInvalid([f"{name}: de kolommen moeten {','.join(_COLUMNS)} zijn, niet {header!r}."])
    rows: list[RateRow] = []
    previous: date | None = None
    for line_no, fields in enumerate(reader, start=2):
        if not any(f.strip() for f in fields):
            continue
        where = f"{name}, regel {line_no}"
        if len(fields) != len(_COLUMNS):
            problems.append(f"{where}: {len(fields)} velden in plaats van {len(_COLUMNS)}.")
            continue
        start_text, rate_text, status, source, note = (f.strip() for f in fields)
        try:
            start = date.fromisoformat(start_text)
        except ValueError:
            problems.append(f"{where}: '{start_text}' is geen datum (verwacht jjjj-mm-dd).")
            start = None
        rate = _check_rate(rate_text, problems, where)
        if status not in STATUSES:
            problems.append(f"{where}: status '{status}' is ongeldig; verwacht 'vastgesteld' of 'voorlopig'.")
        if not source:
            problems.append(f"{where}: de bron ontbreekt.")
        if start is not None:
            if previous is not None and start <= previous:
                problems.append(f"{where}: datum {start} ligt niet na de vorige ({previous}).")
            previous = start
        if start is not None and rate is not None:
            rows.append(RateRow(start, rate, status, source, note))
    if not rows and not problems:
        problems.append(f"{name}: de tabel is leeg.")
    if problems:
        raise RateTableInvalid(problems)
    return RateTable(kind, tuple(rows))


def _check_rate(text: str, problems: list[str], where: str) -> Decimal | None:
    try:
        rate = Decimal(text)
    except InvalidOperation:
        problems.append(f"{where}: '{text}' is geen percentage.")
        return None
    if not rate.is_finite() or not (0 <= rate <= MAX_RATE_PCT):
        problems.append(f"{where}: percentage '{text}' ligt niet tussen 0 en 25.")
        return None
    if rate != rate.quantize(Decimal("0.01")):
        # the vectorised interest works in hundredths of a percent
        problems.append(f"{where}: percentage '{text}' heeft meer dan twee decimalen.")
        return None
    return rate


@lru_cache(maxsize=1)
def load_rates() -> Rates:
    """The shipped tables, read and checked once (the result is immutable, so shared)."""
    tables = {}
    checks = _rate_checks()
    for kind, name in _FILES.items():
        text = resources.files(__package__).joinpath(name).read_text(encoding="utf-8")
        table = parse_rate_csv(text, kind, name)
        tables[kind] = RateTable(kind, table.rows, checks.get(kind))
    return Rates(statutory=tables[WETTELIJKE], commercial=tables[HANDELSRENTE])


def _rate_checks() -> dict[str, date]:
    """kind -> the latest half-year checked without a change (``rate_checks.csv``: kind, half_year, finding, source)."""
    text = resources.files(__package__).joinpath(_CHECKS_FILE).read_text(encoding="utf-8")
    reader = csv.DictReader(io.StringIO(text))
    checks: dict[str, date] = {}
    problems = []
    for line_no, row in enumerate(reader, start=2):
        try:
            check_kind(row["kind"])
            day = date.fromisoformat(row["half_year"])
            if (day.month, day.day) not in ((1, 1), (7, 1)) or not row["source"]:
                raise ValueError
        except (ValueError, LawInputError, KeyError, TypeError):
            problems.append(f"{_CHECKS_FILE}, regel {line_no}: verwacht soort, begin van een halfjaar en een bron.")
            continue
        checks[row["kind"]] = max(day, checks.get(row["kind"], day))
    if problems:
        raise RateTableInvalid(problems)
    return checks


OVERRIDE_SHEET = "Rentetabel"
_OVERRIDE_COLUMNS = {WETTELIJKE: "Wettelijke rente", HANDELSRENTE: "Handelsrente"}


@dataclass(frozen=True)
class RateOverrideProblem:
    """A value in a Rentetabel row the law cannot take: the row, the column, the value, what was expected.

    The law's own record, so the law imports nothing of the register: the register's validation
    turns each into its ``InputProblem`` (the same sentence).
    """

    excel_row: int
    column: str
    value: object
    expected: str

    def __str__(self) -> str:
        shown = format_date(self.value) if isinstance(self.value, date) else self.value
        return (
            f"Blad '{OVERRIDE_SHEET}', rij {self.excel_row}, kolom '{self.column}': '{shown}' is ongeldig; "
            f"verwacht: {self.expected}."
        )


class RateOverridesInvalid(LawInputError):
    """Rentetabel rows the law cannot take; ``problems`` lists every one of them."""

    def __init__(self, problems: Sequence[RateOverrideProblem]):
        self.problems = tuple(problems)
        super().__init__(f"Het blad {OVERRIDE_SHEET} bevat fouten:\n" + "\n".join(f"- {p}" for p in self.problems))


def check_overrides(overrides: Sequence[RateOverride]) -> tuple[RateOverrideProblem, ...]:
    """Every problem in the workbook's Rentetabel rows, in Dutch, pointing at the row.

    >>> from debiteuren.law.rates import RateOverride
    >>> for p in check_overrides((RateOverride(date(2026, 7, 1), Decimal("40"), None, 3),
    ...                           RateOverride(date(2001, 7, 1), None, Decimal("9.5"), 4),
    ...                           RateOverride(date(2026, 7, 1), Decimal("4"), None, 5))):
    ...     print(p)
    Blad 'Rentetabel', rij 3, kolom 'Wettelijke rente': '40' is ongeldig; verwacht: een percentage tussen 0 en 25 met hoogstens twee decimalen.
    Blad 'Rentetabel', rij 4, kolom 'Handelsrente': '9.5' is ongeldig; verwacht: geen handelsrente vóór 01-12-2002 (daarvoor geldt de wettelijke rente).
    Blad 'Rentetabel', rij 5, kolom 'Ingangsdatum': '01-07-2026' is ongeldig; verwacht: een datum die nog niet eerder in de Rentetabel staat.
    """
    problems: list[RateOverrideProblem] = []
    seen: set[date] = set()
    for o in overrides:
        if o.start_date in seen:
            problems.append(
                RateOverrideProblem(
                    o.excel_row,
                    "Ingangsdatum",
                    o.start_date,
                    "een datum die nog niet eerder in de Rentetabel staat",
                )
            )
        seen.add(o.start_date)
        for kind, pct in ((WETTELIJKE, o.statutory_pct), (HANDELSRENTE, o.commercial_pct)):
            if pct is None:
                continue
            column = _OVERRIDE_COLUMNS[kind]
            ok = isinstance(pct, Decimal) and pct.is_finite() and 0 <= pct <= MAX_RATE_PCT
            if not ok or pct != pct.quantize(Decimal("0.01")):
                problems.append(
                    RateOverrideProblem(
                        o.excel_row,
                        column,
                        pct,
                        "een percentage tussen 0 en 25 met hoogstens twee decimalen",
                    )
                )
            elif kind == HANDELSRENTE and o.start_date < HANDELSRENTE_START:
                problems.append(
                    RateOverrideProblem(
                        o.excel_row,
                        column,
                        pct,
                        f"geen handelsrente vóór {format_date(HANDELSRENTE_START)} "
                        "(daarvoor geldt de wettelijke rente)",
                    )
                )
    return tuple(problems)


def merge_overrides(rates: Rates, overrides: Sequence[RateOverride]) -> Rates:
    """The tables with the Rentetabel applied: a known date is corrected, a new date added.

    Raises :class:`RateOverridesInvalid` listing every problem in the overrides (a register's
    overrides were checked when it was read, as its InputProblems).
    """
    problems = check_overrides(overrides)
    if problems:
        raise RateOverridesInvalid(problems)
    if not overrides:
        return rates
    tables = {WETTELIJKE: rates.statutory, HANDELSRENTE: rates.commercial}
    for kind, attribute in ((WETTELIJKE, "statutory_pct"), (HANDELSRENTE, "commercial_pct")):
        by_date = {r.start_date: r for r in tables[kind].rows}
        for o in overrides:
            pct = getattr(o, attribute)
            if pct is None:
                continue
            note = "gecorrigeerd" if o.start_date in by_date else "toegevoegd"
            by_date[o.start_date] = RateRow(
                o.start_date, pct, VASTGESTELD, f"werkmap, blad Rentetabel, rij {o.excel_row}", note
            )
        tables[kind] = tables[kind].replace_rows(by_date.values())
    return Rates(statutory=tables[WETTELIJKE], commercial=tables[HANDELSRENTE])


def stale_rate_warnings(rates: Rates, peildatum: date, kinds=(WETTELIJKE, HANDELSRENTE)) -> tuple[str, ...]:
    """A Dutch warning per kind (of ``kinds``) whose table may miss a rate on ``peildatum``.

    New rates take effect every half-year; the table is known through the end of its
    newest row's half-year, or of a later half-year checked without a change (a
    wettelijke rente that does not change gets no new row: ``rate_checks.csv``).
    A new row would be due on the next 1 January or 1 July; more than a month into
    that half-year without one, the controller is asked to check (so 7 months after
    the newest row when every half-year has one, as the handelsrente has).

    >>> rates = load_rates()
    >>> stale_rate_warnings(rates, date(2026, 12, 1), kinds=(WETTELIJKE,))  # unchanged on 2026-07-01: no row
    ()
    >>> print(stale_rate_warnings(rates, date(2027, 2, 2), kinds=(WETTELIJKE,))[0])
    De nieuwste wettelijke rente (art. 6:119 BW) in de rentetabel geldt vanaf 01-01-2026 en is zonder wijziging nagekeken voor het halfjaar vanaf 01-07-2026; de peildatum 02-02-2027 ligt meer dan 7 maanden na dat halfjaar begon: controleer of er een nieuw percentage is en vul het zo nodig aan in het blad Rentetabel.
    """
    warnings = []
    for kind in kinds:
        table = rates.table(kind)
        newest = table.newest.start_date
        next_due = table.covered_until + timedelta(days=1)
        if peildatum > add_months(next_due, 1):
            text = f"De nieuwste {KIND_LABELS[kind]} in de rentetabel geldt vanaf {format_date(newest)}"
            if table.checked and table.checked > newest:
                text += (
                    f" en is zonder wijziging nagekeken voor het halfjaar vanaf {format_date(table.checked)}; "
                    f"de peildatum {format_date(peildatum)} ligt meer dan {STALE_AFTER_MONTHS} maanden na dat "
                    "halfjaar begon"
                )
            else:
                text += f"; de peildatum {format_date(peildatum)} ligt meer dan {STALE_AFTER_MONTHS} maanden later"
            warnings.append(
                text + ": controleer of er een nieuw percentage is en vul het zo nodig aan in het blad Rentetabel."
            )
    return tuple(warnings)
