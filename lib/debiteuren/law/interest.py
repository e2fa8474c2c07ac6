"""Statutory interest (art. 6:119, 6:119a, 6:120 BW) for one claim, a debtor's claims, or many claims at once.

The rules are those of ``shared/legal.md`` §2:

- the period is given as the first and the last interest day, **both inclusive**;
- each day carries the rate in force on that calendar day (6:120), actual days / 365,
  also in a leap year;
- compound interest (the default): after each full year counted from the first
  interest day the unpaid interest of that year is added to the base (6:119 lid 2,
  6:119a lid 3); a first day of 29 February has its anniversary on 1 March in years
  without one (a setting: ``leap_anniversary``);
- rounding ``einde`` (default): full precision, the total rounded half-up to cents;
  ``periode``: segments also cut at every 1 January and 1 July and each rounded;
- partial payments: costs first, then interest accrued to the payment day, then
  principal (6:44); several claims: 6:43 (see :mod:`debiteuren.law.allocation`).

Arithmetic is exact (``fractions.Fraction``); amounts come out as ``Decimal``.

€ 10.000 handelsrente from 1 June to 31 July 2025, across the change on 1 July
(11,15 % then 10,15 %):

    10000 × 11,15 % × 30/365 =  91.643836...
    10000 × 10,15 % × 31/365 =  86.205479...
    total                      177.849315...  ->  € 177,85

>>> r = calculate_interest(Decimal("10000"), date(2025, 6, 1), date(2025, 7, 31), HANDELSRENTE)
>>> r.interest, r.total
(Decimal('177.85'), Decimal('10177.85'))
>>> [(s.start.isoformat(), s.days, s.rate_pct, round_cents(s.interest)) for s in r.segments]
[('2025-06-01', 30, Decimal('11.15'), Decimal('91.64')), ('2025-07-01', 31, Decimal('10.15'), Decimal('86.21'))]

Rounding per period rounds each of those first (91,64 + 86,21 = 177,85 here too).

Compound interest: € 10.000 handelsrente from 1 January 2024 to 31 December 2025.
Year 1 (2024 has 366 days, each still 1/365 of the annual rate):

    10000 × 12,50 % × 182/365 = 623.287671...
    10000 × 12,25 % × 184/365 = 617.534247...   year 1: 1240.821918...

on 1 January 2025 that is added to the base, 11240.821918...:

    11240.821918... × 11,15 % × 181/365 = 621.525062...
    11240.821918... × 10,15 % × 184/365 = 575.160521...
    total 2437.507500...  ->  € 2.437,51

>>> calculate_interest(Decimal("10000"), date(2024, 1, 1), date(2025, 12, 31), HANDELSRENTE).interest
Decimal('2437.51')

Rounding per period rounds each segment and so the capitalised amount
(623,29 + 617,53 = 1240,82; 11240,82 × ... = 621,52 and 575,16):

>>> calculate_interest(Decimal("10000"), date(2024, 1, 1), date(2025, 12, 31), HANDELSRENTE,
...                    rounding=ROUND_PERIOD).interest
Decimal('2437.50')

A payment goes to the interest accrued up to its day first (6:44); interest then
runs on what is left of the principal from the next day on. € 1.000 wettelijke
rente (6 % in 2025), € 500 paid on 31 March:

    1000 × 6 % × 90/365  = 14.79 interest, so 485.21 goes to the principal
    514.79 × 6 % × 275/365 = 23.27 interest still owed on 31 December

>>> r = calculate_interest(Decimal("1000"), date(2025, 1, 1), date(2025, 12, 31), WETTELIJKE,
...                        payments=[Payment(date(2025, 3, 31), Decimal("500"))])
>>> a = r.payments[0]
>>> a.interest, a.principal
(Decimal('14.79'), Decimal('485.21'))
>>> r.interest, r.outstanding_principal, r.outstanding_interest, r.total
(Decimal('38.06'), Decimal('514.79'), Decimal('23.27'), Decimal('538.06'))
>>> r.provisional  # the 2025 wettelijke rente comes from secondary sources
True
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Context, Decimal, localcontext
from fractions import Fraction
from typing import Iterable, NamedTuple, Sequence

import numpy as np
import pandas as pd

from ..money import divide_half_up, round_cents
from .allocation import OpenClaim, allocate_between_claims, allocate_within_claim
from .rates import (
    HANDELSRENTE,
    KIND_LABELS,
    WETTELIJKE,
    LawInputError,
    Rates,
    check_amount,
    check_kind,
    format_date,
    format_pct,
    half_year_end,
    load_rates,
)

__all__ = [
    "HANDELSRENTE",
    "WETTELIJKE",
    "ROUND_END",
    "ROUND_PERIOD",
    "LEAP_MARCH_1",
    "LEAP_FEB_28",
    "Payment",
    "Claim",
    "Segment",
    "PaymentAllocation",
    "PaymentSplit",
    "InterestResult",
    "DebtorInterest",
    "anniversary",
    "calculate_interest",
    "calculate_debtor_interest",
    "interest_to_date_cents",
    "uses_provisional_rate",
]

ROUND_END = "einde"
ROUND_PERIOD = "periode"
ROUNDINGS = (ROUND_END, ROUND_PERIOD)

LEAP_MARCH_1 = "1 maart"
LEAP_FEB_28 = "28 februari"
LEAP_RULES = (LEAP_MARCH_1, LEAP_FEB_28)

_ZERO = Decimal(0)


# ---------------------------------------------------------------------------
# records


class Payment(NamedTuple):
    """A (partial) payment: the day the creditor's account was credited, the amount,
    and optionally the claim the debtor designated (6:43 lid 1)."""

    day: date
    amount: Decimal
    claim_id: str | None = None


@dataclass(frozen=True)
class Claim:
    """One claim of a debtor, for :func:`calculate_debtor_interest`.

    ``due_date`` decides whether the claim is due on a payment day and which is
    oldest (6:43); it defaults to the day before the first interest day.
    ``costs`` (e.g. collection costs) carry no interest but are paid first (6:44),
    from ``costs_due_from`` on (``None``: always): a payment before that day pays
    interest and principal only, because the costs were not yet owed.
    ``later_costs`` are further costs, each (amount, the day it became due): e.g. a
    business debtor's staffel above € 40 per invoice, owed once a notice of default's
    term passed; a payment reaches each part from its day on, the earliest first.
    """

    claim_id: str
    principal: Decimal
    first_day: date
    kind: str
    due_date: date | None = None
    costs: Decimal = _ZERO
    costs_due_from: date | None = None
    later_costs: tuple[tuple[Decimal, date], ...] = ()
    agreed_rate_pct: Decimal | None = None
    surcharge_pct: Decimal | None = None


class Segment(NamedTuple):
    """A stretch of days with one base and one rate.

    ``base`` and ``interest`` are exact under rounding ``einde`` (shown to 34
    digits) and whole cents under ``periode``; ``capitalised`` is the interest
    added to the base at this segment's start (an anniversary).
    """

    start: date
    end: date
    days: int
    rate_pct: Decimal
    base: Decimal
    interest: Decimal
    provisional: bool
    capitalised: Decimal = _ZERO


class PaymentAllocation(NamedTuple):
    """What one payment (or the part of it that reached this claim) paid off."""

    day: date
    amount: Decimal
    costs: Decimal
    interest: Decimal
    principal: Decimal
    rest: Decimal  # not needed for this claim


class PaymentSplit(NamedTuple):
    """How one payment was divided over a debtor's claims (6:43)."""

    day: date
    amount: Decimal
    designated: str | None
    shares: tuple[tuple[str, Decimal], ...]
    unallocated: Decimal


@dataclass(frozen=True)
class InterestResult:
    """The interest calculation of one claim: every segment, every payment, the totals.

    ``interest`` is all interest charged over the period (paid plus outstanding);
    ``total`` is what is still owed in principal and interest (costs excluded).
    """

    claim_id: str | None
    kind: str
    rate_label: str
    principal: Decimal
    first_day: date
    last_day: date
    compound: bool
    rounding: str
    segments: tuple[Segment, ...]
    payments: tuple[PaymentAllocation, ...]
    interest: Decimal
    costs: Decimal
    interest_paid: Decimal
    costs_paid: Decimal
    principal_paid: Decimal
    unallocated: Decimal
    outstanding_principal: Decimal
    outstanding_interest: Decimal
    outstanding_costs: Decimal
    costs_due_from: date | None = None  # the day the costs became due (None: always owed)

    @property
    def total(self) -> Decimal:
        return self.outstanding_principal + self.outstanding_interest

    @property
    def provisional(self) -> bool:
        """True when any day carried a rate that is not (yet) established."""
        return any(s.provisional for s in self.segments)


@dataclass(frozen=True)
class DebtorInterest:
    """Several claims of one debtor with their payments allocated by 6:43 and 6:44."""

    claims: tuple[InterestResult, ...]
    payments: tuple[PaymentSplit, ...]
    last_day: date

    @property
    def interest(self) -> Decimal:
        return sum((c.interest for c in self.claims), _ZERO)

    @property
    def unallocated(self) -> Decimal:
        return sum((p.unallocated for p in self.payments), _ZERO)

    @property
    def total(self) -> Decimal:
        return sum((c.total for c in self.claims), _ZERO)

    @property
    def provisional(self) -> bool:
        return any(c.provisional for c in self.claims)

    def claim(self, claim_id: str) -> InterestResult:
        for c in self.claims:
            if c.claim_id == claim_id:
                return c
        raise KeyError(claim_id)


# ---------------------------------------------------------------------------
# helpers


def anniversary(first_day: date, years: int, leap_anniversary: str = LEAP_MARCH_1) -> date:
    """The day compounding happens for the ``years``-th time: counted from the first interest day.

    A first day of 29 February has no anniversary in a year without one; by
    default it is 1 March then (unsettled in law; ``LEAP_FEB_28`` is the other choice).

    >>> anniversary(date(2024, 3, 15), 1)
    datetime.date(2025, 3, 15)
    >>> [anniversary(date(2024, 2, 29), n).isoformat() for n in (1, 2, 4)]
    ['2025-03-01', '2026-03-01', '2028-02-29']
    >>> anniversary(date(2024, 2, 29), 1, LEAP_FEB_28)
    datetime.date(2025, 2, 28)
    """
    try:
        return first_day.replace(year=first_day.year + years)
    except ValueError:  # 29 February in a year without one
        year = first_day.year + years
        return date(year, 3, 1) if leap_anniversary == LEAP_MARCH_1 else date(year, 2, 28)


def _decimal(value: Fraction, prec: int = 34) -> Decimal:
    """An exact fraction as Decimal; exact whenever it terminates within ``prec`` digits."""
    with localcontext(Context(prec=prec)):
        return Decimal(value.numerator) / Decimal(value.denominator)


def _amount(value: Decimal | Fraction) -> Decimal:
    """A whole-cent amount shown with two decimals (quantizing changes no value here)."""
    return round_cents(_decimal(value) if isinstance(value, Fraction) else value)


def _cents(value: Fraction) -> Decimal:
    # 50 digits: any half-cent tie (a terminating value) is represented exactly,
    # so money.round_cents sees it and rounds it up.
    return round_cents(_decimal(value, prec=50))


def _check_money(value: object, what: str, *, positive: bool = False) -> Decimal:
    check_amount(value, what)
    if value < 0 or (positive and value == 0):
        word = "groter dan nul" if positive else "niet negatief"
        raise LawInputError(f"{what} moet {word} zijn, niet {value}.")
    return value


def _check_options(rounding: str, leap_anniversary: str) -> None:
    if rounding not in ROUNDINGS:
        raise LawInputError(f"Onbekende afronding {rounding!r}; kies 'einde' of 'periode'.")
    if leap_anniversary not in LEAP_RULES:
        raise LawInputError(f"Onbekende regel voor 29 februari {leap_anniversary!r}; kies '1 maart' of '28 februari'.")


def _rate_label(kind: str, agreed: Decimal | None, surcharge: Decimal | None) -> str:
    if agreed is not None:
        return f"overeengekomen rente {format_pct(agreed)} per jaar"
    label = KIND_LABELS[kind]
    if surcharge:
        label += f" + {format_pct(surcharge).rstrip('%')} procentpunt"
    return label


# ---------------------------------------------------------------------------
# the exact engine


class _Account:
    """The running state of one claim while days are accrued and payments applied.

    Mutable and private: only the frozen :class:`InterestResult` leaves this module.
    Base = principal + capitalised interest; ``running`` is this interest year's
    unpaid interest, added to the base at the next anniversary.
    """

    def __init__(
        self,
        *,
        claim_id: str | None,
        principal: Decimal,
        first_day: date,
        kind: str,
        rates: Rates,
        compound: bool,
        rounding: str,
        leap_anniversary: str,
        costs: Decimal = _ZERO,
        agreed_rate_pct: Decimal | None = None,
        surcharge_pct: Decimal | None = None,
        due_date: date | None = None,
        costs_due_from: date | None = None,
        later_costs: tuple[tuple[Decimal, date], ...] = (),
    ):
        check_kind(kind)
        if agreed_rate_pct is not None and surcharge_pct is not None:
            raise LawInputError("Geef een overeengekomen rente óf een opslag op de wettelijke rente, niet beide.")
        for what, pct in (("De overeengekomen rente", agreed_rate_pct), ("De opslag", surcharge_pct)):
            if pct is not None and (not isinstance(pct, Decimal) or not pct.is_finite() or pct < 0):
                raise LawInputError(f"{what} moet een percentage van nul of meer zijn, niet {pct!r}.")
        self.claim_id = claim_id
        self.kind = kind
        self.rates = rates
        self.compound = compound
        self.rounding = rounding
        self.leap = leap_anniversary
        self.first_day = first_day
        self.due_date = due_date if due_date is not None else first_day - timedelta(days=1)
        self.original_principal = _check_money(principal, "De hoofdsom")
        self.original_costs = _check_money(costs, "De kosten") + sum(
            (_check_money(amount, "De kosten") for amount, _ in later_costs), _ZERO
        )
        self.agreed = agreed_rate_pct
        self.surcharge = surcharge_pct or _ZERO
        self.principal = Fraction(principal)
        self.capitalised = Fraction(0)
        self.running = Fraction(0)
        self.costs = Fraction(costs) + sum((Fraction(amount) for amount, _ in later_costs), Fraction(0))
        self.costs_due_from = costs_due_from
        # [amount still owed, the day it became due (date.min: always)], the earliest first
        self.cost_parts = sorted(
            [[Fraction(costs), costs_due_from or date.min]] + [[Fraction(amount), day] for amount, day in later_costs],
            key=lambda part: part[1],
        )
        self.next_day = first_day
        self.next_anniversary_index = 1
        self.segments: list[Segment] = []
        self.allocations: list[PaymentAllocation] = []
        self.paid_interest = _ZERO
        self.paid_costs = _ZERO
        self.paid_principal = _ZERO
        self.unallocated = _ZERO

    def _rate(self, day: date) -> tuple[Decimal, bool, date | None]:
        """Rate on ``day``, whether it is provisional, and the day the rate may change."""
        if self.agreed is not None:
            return self.agreed, False, None
        period = self.rates.rate_on(self.kind, day)
        change = period.end + timedelta(days=1) if period.end is not None else None
        return period.rate_pct + self.surcharge, period.provisional, change

    def _capitalise(self, day: date) -> Fraction:
        added = Fraction(0)
        while self.compound and anniversary(self.first_day, self.next_anniversary_index, self.leap) <= day:
            added += self.running
            self.capitalised += self.running
            self.running = Fraction(0)
            self.next_anniversary_index += 1
        return added

    def accrue_to(self, last: date) -> None:
        """Accrue interest for every day up to and including ``last``."""
        while self.next_day <= last:
            start = self.next_day
            added = self._capitalise(start)
            rate_pct, provisional, change = self._rate(start)
            end = last
            if change is not None:
                end = min(end, change - timedelta(days=1))
            if self.compound:
                end = min(end, anniversary(self.first_day, self.next_anniversary_index, self.leap) - timedelta(days=1))
            if self.rounding == ROUND_PERIOD:
                end = min(end, half_year_end(start))
            days = (end - start).days + 1
            base = self.principal + self.capitalised
            interest = base * Fraction(rate_pct) * days / 36500
            if self.rounding == ROUND_PERIOD:
                interest = Fraction(_cents(interest))
            if base or added:
                self.segments.append(
                    Segment(
                        start, end, days, rate_pct, _decimal(base), _decimal(interest), provisional, _decimal(added)
                    )
                )
            self.running += interest
            self.next_day = end + timedelta(days=1)

    def interest_due(self) -> Decimal:
        return _cents(self.capitalised + self.running)

    def costs_due(self, day: date) -> Decimal:
        """The costs a payment on ``day`` can reach: none before they became due."""
        return _decimal(sum((amount for amount, since in self.cost_parts if since <= day), Fraction(0)))

    def outstanding(self, day: date | None = None) -> Decimal:
        costs = _decimal(self.costs) if day is None else self.costs_due(day)
        return costs + self.interest_due() + _decimal(self.principal)

    def rate_on(self, day: date) -> Decimal:
        """How onerous the claim is on ``day`` (6:43): its rate, or 0 before interest runs."""
        if day < self.first_day:
            return _ZERO
        return self._rate(day)[0]

    def pay(self, day: date, amount: Decimal) -> Decimal:
        """Apply ``amount`` by 6:44 after accruing up to ``day``; returns what is left over."""
        self.accrue_to(day)
        due = self.interest_due()
        split = allocate_within_claim(
            amount, costs=self.costs_due(day), interest=due, principal=_decimal(self.principal)
        )
        self.costs -= Fraction(split.costs)
        paying = Fraction(split.costs)
        for part in self.cost_parts:  # the costs due first are paid first
            taken = min(paying, part[0]) if part[1] <= day else Fraction(0)
            part[0] -= taken
            paying -= taken
        if split.interest == due:
            # settled in full: the sub-cent remainder of the exact amount goes with it
            self.capitalised = Fraction(0)
            self.running = Fraction(0)
        else:
            # the oldest interest (already capitalised) first; the rest of this
            # year's interest still capitalises at the next anniversary
            paid = Fraction(split.interest)
            from_capitalised = min(paid, self.capitalised)
            self.capitalised -= from_capitalised
            self.running -= paid - from_capitalised
        self.principal -= Fraction(split.principal)
        self.paid_costs += split.costs
        self.paid_interest += split.interest
        self.paid_principal += split.principal
        self.allocations.append(PaymentAllocation(day, _amount(amount), *(_amount(x) for x in split)))
        return split.rest

    def result(self, last_day: date) -> InterestResult:
        self.accrue_to(last_day)
        outstanding_interest = self.interest_due()
        return InterestResult(
            claim_id=self.claim_id,
            kind=self.kind,
            rate_label=_rate_label(self.kind, self.agreed, self.surcharge if self.surcharge else None),
            principal=_amount(self.original_principal),
            first_day=self.first_day,
            last_day=last_day,
            compound=self.compound,
            rounding=self.rounding,
            segments=tuple(self.segments),
            payments=tuple(self.allocations),
            interest=self.paid_interest + outstanding_interest,
            costs=_amount(self.original_costs),
            interest_paid=_amount(self.paid_interest),
            costs_paid=_amount(self.paid_costs),
            principal_paid=_amount(self.paid_principal),
            unallocated=_amount(self.unallocated),
            outstanding_principal=_amount(self.principal),
            outstanding_interest=outstanding_interest,
            outstanding_costs=_amount(self.costs),
            costs_due_from=self.costs_due_from,
        )


def _check_payments(payments: Iterable[Payment], last_day: date) -> list[Payment]:
    checked = []
    for p in payments:
        p = Payment(*p)
        _check_money(p.amount, f"De betaling van {format_date(p.day)}", positive=True)
        if p.day > last_day:
            raise LawInputError(
                f"De betaling van {format_date(p.day)} valt na de laatste rentedag {format_date(last_day)}."
            )
        checked.append(p)
    return sorted(checked, key=lambda p: p.day)  # stable: same-day payments keep their order


def calculate_interest(
    principal: Decimal,
    first_day: date,
    last_day: date,
    kind: str,
    *,
    rates: Rates | None = None,
    agreed_rate_pct: Decimal | None = None,
    surcharge_pct: Decimal | None = None,
    compound: bool = True,
    rounding: str = ROUND_END,
    payments: Sequence[Payment] = (),
    costs: Decimal = _ZERO,
    leap_anniversary: str = LEAP_MARCH_1,
    costs_due_from: date | None = None,
) -> InterestResult:
    """Interest on one claim over ``first_day`` .. ``last_day`` (both inclusive).

    ``kind`` is ``"handelsrente"`` or ``"wettelijke"``; ``agreed_rate_pct``
    replaces the statutory rate, ``surcharge_pct`` adds points to it.
    ``payments`` are allocated by 6:44 to ``costs`` (from ``costs_due_from`` on), interest, principal; a
    designation in them is ignored (there is only one claim). A last day before
    the first day means no interest.
    """
    _check_options(rounding, leap_anniversary)
    account = _Account(
        claim_id=None,
        principal=principal,
        first_day=first_day,
        kind=kind,
        rates=rates or load_rates(),
        compound=compound,
        rounding=rounding,
        leap_anniversary=leap_anniversary,
        costs=costs,
        agreed_rate_pct=agreed_rate_pct,
        surcharge_pct=surcharge_pct,
        costs_due_from=costs_due_from,
    )
    for payment in _check_payments(payments, last_day):
        account.unallocated += account.pay(payment.day, payment.amount)
    return account.result(last_day)


def calculate_debtor_interest(
    claims: Sequence[Claim],
    payments: Sequence[Payment],
    last_day: date,
    *,
    rates: Rates | None = None,
    compound: bool = True,
    rounding: str = ROUND_END,
    leap_anniversary: str = LEAP_MARCH_1,
) -> DebtorInterest:
    """Interest on several claims of one debtor up to ``last_day``, payments allocated by 6:43 and 6:44.

    On each payment day every claim is brought up to date (interest through
    that day), the payment is divided over the claims by 6:43 (see
    :func:`~debiteuren.law.allocation.allocate_between_claims`) and each share is
    applied within its claim by 6:44.
    """
    _check_options(rounding, leap_anniversary)
    rates = rates or load_rates()
    ids = [c.claim_id for c in claims]
    if len(set(ids)) != len(ids):
        raise LawInputError("Elke vordering moet een eigen kenmerk hebben.")
    accounts = {
        c.claim_id: _Account(
            claim_id=c.claim_id,
            principal=c.principal,
            first_day=c.first_day,
            kind=c.kind,
            rates=rates,
            compound=compound,
            rounding=rounding,
            leap_anniversary=leap_anniversary,
            costs=c.costs,
            agreed_rate_pct=c.agreed_rate_pct,
            surcharge_pct=c.surcharge_pct,
            due_date=c.due_date,
            costs_due_from=c.costs_due_from,
            later_costs=c.later_costs,
        )
        for c in claims
    }
    splits = []
    for payment in _check_payments(payments, last_day):
        for account in accounts.values():
            account.accrue_to(payment.day)
        open_claims = [
            OpenClaim(
                a.claim_id, a.outstanding(payment.day), a.due_date <= payment.day, a.rate_on(payment.day), a.due_date
            )
            for a in accounts.values()
        ]
        between = allocate_between_claims(payment.amount, open_claims, payment.claim_id)
        for claim_id, share in between.shares:
            accounts[claim_id].pay(payment.day, share)
        splits.append(PaymentSplit(payment.day, payment.amount, payment.claim_id, between.shares, between.rest))
    return DebtorInterest(tuple(a.result(last_day) for a in accounts.values()), tuple(splits), last_day)


# ---------------------------------------------------------------------------
# vectorised, for the review: many open claims, no payments, rounding "einde"

# interest in cents = principal in cents x sum over days of rate in hundredths of a percent / _DENOMINATOR
_DENOMINATOR = 365 * 100 * 100
_INT64_SAFE = 2**61  # room for 2 × numerator + denominator in the half-up division


def _cents_array(value: object) -> tuple[np.ndarray, np.ndarray]:
    """Amounts in cents as int64 and a mask of missing values (a nullable ``Int64`` column may hold NA)."""
    if isinstance(value, pd.Series):
        missing = value.isna().to_numpy()
        value = value.where(~missing, 0)
    else:
        missing = None
    values = np.asarray(value)
    if values.dtype.kind not in "iu" and not (values.dtype == object and all(isinstance(v, int) for v in values.flat)):
        raise LawInputError("Bedragen in centen moeten gehele getallen zijn (int64), geen kommagetallen.")
    values = values.astype(np.int64)
    return values, missing if missing is not None else np.zeros(values.shape, dtype=bool)


def _day_numbers(value: object, size: int) -> tuple[np.ndarray, np.ndarray]:
    """Days since 1970-01-01 as int64, and a mask of missing values."""
    if isinstance(value, (date, np.datetime64, pd.Timestamp)):
        value = [value] * size
    if isinstance(value, pd.Series):
        value = value.to_numpy()
    days = np.asarray(value, dtype="datetime64[D]")
    if days.shape != (size,):
        raise LawInputError("Alle kolommen van de renteberekening moeten even lang zijn.")
    missing = np.isnat(days)
    return days.astype(np.int64), missing


def _kind_codes(kind: object, size: int) -> tuple[np.ndarray, np.ndarray]:
    """The kinds as an object array, and codes: 1 handelsrente, 0 wettelijke, -1 anything else."""
    kinds = np.asarray(kind.to_numpy() if isinstance(kind, pd.Series) else kind, dtype=object)
    if kinds.ndim == 0:
        kinds = np.full(size, kinds.item(), dtype=object)
    if kinds.shape != (size,):
        raise LawInputError("Alle kolommen van de renteberekening moeten even lang zijn.")
    return kinds, np.where(kinds == HANDELSRENTE, 1, np.where(kinds == WETTELIJKE, 0, -1))


def _cumulative_rates(rates: Rates, origin: int, last: int) -> np.ndarray:
    """cum[k, i] = sum of the daily rate (hundredths of a percent) of kind k over days origin .. origin+i-1."""
    days = np.arange(origin, last + 1, dtype=np.int64)
    cumulative = np.zeros((2, len(days) + 1), dtype=np.int64)
    for code, kind in ((0, WETTELIJKE), (1, HANDELSRENTE)):
        periods = rates.periods(kind)
        starts = np.array([np.datetime64(p.start, "D").astype(np.int64) for p in periods])
        hundredths = np.array([int(p.rate_pct * 100) for p in periods], dtype=np.int64)
        daily = hundredths[np.searchsorted(starts, days, side="right") - 1]
        cumulative[code, 1:] = np.cumsum(daily)
    return cumulative


def _cumulative_provisional(rates: Rates, origin: int, last: int) -> np.ndarray:
    """prov[k, i] = number of days with a provisional rate of kind k over days origin .. origin+i-1."""
    days = np.arange(origin, last + 1, dtype=np.int64)
    cumulative = np.zeros((2, len(days) + 1), dtype=np.int64)
    for code, kind in ((0, WETTELIJKE), (1, HANDELSRENTE)):
        periods = rates.periods(kind)
        starts = np.array([np.datetime64(p.start, "D").astype(np.int64) for p in periods])
        flags = np.array([p.provisional for p in periods], dtype=np.int64)
        cumulative[code, 1:] = np.cumsum(flags[np.searchsorted(starts, days, side="right") - 1])
    return cumulative


def _anniversaries(first: np.ndarray, years: np.ndarray, leap_anniversary: str) -> np.ndarray:
    """Vectorised :func:`anniversary` on day numbers (``first`` and ``years`` broadcast)."""
    first_d = first.astype("datetime64[D]")
    month = first_d.astype("datetime64[M]")
    day_of_month = (first_d - month.astype("datetime64[D]")).astype(np.int64)
    target = month.astype(np.int64) + 12 * years
    month_start = target.astype("datetime64[M]").astype("datetime64[D]").astype(np.int64)
    result = month_start + day_of_month  # 29 Feb in a year without one lands on 1 March
    if leap_anniversary == LEAP_FEB_28:
        next_month = (target + 1).astype("datetime64[M]").astype("datetime64[D]").astype(np.int64)
        result = np.where(result >= next_month, next_month - 1, result)
    return result


def _year_of(days: np.ndarray) -> np.ndarray:
    return days.astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64)


def interest_to_date_cents(
    principal_cents: object,
    first_day: object,
    last_day: object,
    kind: object,
    *,
    rates: Rates | None = None,
    compound: bool = True,
    leap_anniversary: str = LEAP_MARCH_1,
) -> np.ndarray | pd.Series:
    """Interest in whole cents (int64) for many claims at once: no payments, rounding ``einde``.

    Arguments are equal-length arrays or Series (``last_day`` and ``kind`` may be
    one value for all): principal in cents, first and last interest day (both
    inclusive), kind. Agrees to the cent with :func:`calculate_interest`.
    No interest when the principal is not positive, a day is missing (NaT) or
    the first day lies after the last.

    How it stays fast and exact: a claim's interest depends on its principal only
    through one factor per (first day, last day, kind). With S(d) the sum of the
    daily rates before day d, a claim within its first year earns
    P × (S(last + 1) - S(first)) / 3 650 000 cents (int64); a longer claim earns
    P × (prod(D + dS_year) - D^(n+1)) / D^(n+1), computed once per distinct
    (first, last, kind) with Python integers and then applied per claim on an
    object array, so no rounding happens before the final half-up to cents.

    >>> interest_to_date_cents(np.array([1_000_000, 1_000_000, 500]),
    ...                        np.array(["2025-06-01", "2024-01-01", "2025-09-01"], dtype="datetime64[D]"),
    ...                        np.datetime64("2025-07-31"), "handelsrente")
    array([ 17785, 195925,      0])
    """
    _check_options(ROUND_END, leap_anniversary)
    rates = rates or load_rates()
    index = principal_cents.index if isinstance(principal_cents, pd.Series) else None
    principal, principal_missing = _cents_array(principal_cents)
    size = principal.shape[0]
    first, first_missing = _day_numbers(first_day, size)
    last, last_missing = _day_numbers(last_day, size)
    kinds, codes = _kind_codes(kind, size)
    result = np.zeros(size, dtype=np.int64)

    valid = (principal > 0) & ~principal_missing & ~first_missing & ~last_missing
    valid[valid] = first[valid] <= last[valid]
    if (codes[valid] < 0).any():
        bad = sorted({repr(k) for k in kinds[valid & (codes < 0)]})[:5]
        raise LawInputError(f"Onbekende soort rente {', '.join(bad)}; kies 'handelsrente' of 'wettelijke'.")
    if not valid.any():
        return pd.Series(result, index=index, name="interest_cents") if index is not None else result

    origin = int(np.datetime64(rates.first_day, "D").astype(np.int64))
    p, f, l, k = principal[valid], first[valid], last[valid], codes[valid]
    if f.min() < origin:
        raise LawInputError(
            f"Er is geen rentepercentage bekend vóór {format_date(rates.first_day)}; "
            "een vordering begint eerder te renten."
        )
    cumulative = _cumulative_rates(rates, origin, int(l.max()) + 1)

    # one factor per distinct (first day, last day, kind)
    span = int(l.max()) - origin + 2
    key = ((f - origin) * span + (l - origin)) * 2 + k
    _, first_of_group, group = np.unique(key, return_index=True, return_inverse=True)
    gf, gl, gk = f[first_of_group], l[first_of_group], k[first_of_group]
    if compound:
        elapsed = _year_of(gl) - _year_of(gf)
        years = np.where(_anniversaries(gf, elapsed, leap_anniversary) <= gl, elapsed, elapsed - 1).clip(min=0)
    else:
        years = np.zeros(len(gf), dtype=np.int64)

    out = np.zeros(len(p), dtype=np.int64)
    short = years[group] == 0
    if short.any():
        rate_days = cumulative[gk, gl + 1 - origin] - cumulative[gk, gf - origin]
        claim_rate_days = rate_days[group[short]]
        if int(p[short].max()) <= _INT64_SAFE // max(int(claim_rate_days.max()), 1):
            out[short] = divide_half_up(p[short] * claim_rate_days, _DENOMINATOR)
        else:  # principals too large for int64 products: exact Python integers
            out[short] = divide_half_up(p[short].astype(object) * claim_rate_days.astype(object), _DENOMINATOR).astype(
                np.int64
            )
    if (~short).any():
        long_groups = np.flatnonzero(years > 0)
        most = int(years[long_groups].max())
        steps = np.arange(most + 2, dtype=np.int64)
        bounds = _anniversaries(gf[long_groups, None], steps[None, :], leap_anniversary)
        bounds = np.minimum(bounds, gl[long_groups, None] + 1)
        sums = cumulative[gk[long_groups, None], bounds - origin]
        year_rate_days = np.diff(sums, axis=1)  # per interest year; 0 past the last day
        denominator = _DENOMINATOR ** (most + 1)
        growth = np.prod((year_rate_days + _DENOMINATOR).astype(object), axis=1) - denominator
        growth_of_group = np.zeros(len(gf), dtype=object)
        growth_of_group[long_groups] = growth
        claims = ~short
        out[claims] = divide_half_up(p[claims].astype(object) * growth_of_group[group[claims]], denominator).astype(
            np.int64
        )
    result[valid] = out
    return pd.Series(result, index=index, name="interest_cents") if index is not None else result


def uses_provisional_rate(
    first_day: object, last_day: object, kind: object, *, rates: Rates | None = None
) -> np.ndarray | pd.Series:
    """For many claims at once: does any day from the first to the last interest day carry a provisional rate?

    The review shows such interest as *voorlopig*. Same arguments as
    :func:`interest_to_date_cents` (without the principal); an empty period is never provisional.

    >>> uses_provisional_rate(np.array(["2024-01-01", "2026-06-01", "2026-06-01"], dtype="datetime64[D]"),
    ...                       np.array(["2025-12-31", "2026-06-30", "2026-07-01"], dtype="datetime64[D]"),
    ...                       "handelsrente")   # 10,40 % from 2026-07-01 is provisional
    array([False, False,  True])
    """
    rates = rates or load_rates()
    index = first_day.index if isinstance(first_day, pd.Series) else None
    size = len(first_day)
    first, first_missing = _day_numbers(first_day, size)
    last, last_missing = _day_numbers(last_day, size)
    kinds, codes = _kind_codes(kind, size)
    result = np.zeros(size, dtype=bool)
    valid = ~first_missing & ~last_missing
    valid[valid] = first[valid] <= last[valid]
    if (codes[valid] < 0).any():
        bad = sorted({repr(k) for k in kinds[valid & (codes < 0)]})[:5]
        raise LawInputError(f"Onbekende soort rente {', '.join(bad)}; kies 'handelsrente' of 'wettelijke'.")
    if valid.any():
        origin = int(np.datetime64(rates.first_day, "D").astype(np.int64))
        f, l, k = np.maximum(first[valid], origin), last[valid], codes[valid]
        counted = _cumulative_provisional(rates, origin, int(l.max()) + 1)
        result[valid] = (counted[k, l + 1 - origin] - counted[k, f - origin]) > 0
    return pd.Series(result, index=index, name="provisional") if index is not None else result
