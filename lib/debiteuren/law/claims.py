"""One claim calculation for every invoice of a debtor: interest through each payment day,
payments allocated by art. 6:43 BW across the invoices and by art. 6:44 BW within each.

This is the calculation the review, the letters, the hand-over and the claim
calculator share (legal.md §2, "Partial payments"):

- every invoice is a claim with its own first interest day (``None``: no interest
  runs yet, e.g. a consumer not yet in verzuim) and its own kind of interest;
- a payment goes to the invoice it names (6:43 lid 1), otherwise to the due
  invoices first, then the most onerous (highest rate that day), then the oldest,
  equal ones pro rata (6:43 lid 2);
- within an invoice: costs first, then the interest accrued through the payment
  day, then the principal (6:44 lid 1); interest then runs on the principal left.

Two entry points with the same rules:

- :func:`calculate_claims`: one debtor, exact, every segment and every allocation:
  for letters, the hand-over and the claim specification;
- :func:`claims_interest_cents`: many debtors at once in integer cents, for the
  review; it agrees to the cent with :func:`calculate_claims` (the test suite
  checks it on the whole demo register) and hands a debtor to it whenever its
  short-cut does not apply (an interest year completed while something was owed,
  equal claims sharing a payment, rounding per period).

An invoice is *settled* when the ledger says so (the debtor paid its amount,
``InvoiceClaim.settled``). Its interest is then interest on an invoice **paid
late**: claimable, but shown apart and claimed only when the settings say so; the
interest of the other invoices is interest on **open** invoices.

Invoice 2026-0513 of the demo register: € 1.517,50, due 16-09-2026, handelsrente
from 17-09-2026 (10,40 %), € 913,00 paid on 23-10-2026, peildatum 31-10-2026:

    1517.50 × 10,40 % × 37/365 = 15.998...   -> € 16,00 of the payment goes to interest,
                                                € 897,00 to principal: € 620,50 left
    620.50 × 10,40 % × 8/365   =  1.414...   -> € 1,41 interest still owed
    interest charged 16,00 + 1,41 = € 17,41 (the ledger, which takes the payment off
    the principal, has € 604,50 open: 604,50 + 17,41 = 620,50 + 1,41 = € 621,91)

>>> from datetime import date
>>> from decimal import Decimal
>>> s = calculate_claims(
...     [InvoiceClaim("2026-0513", Decimal("1517.50"), date(2026, 9, 16), date(2026, 9, 17), HANDELSRENTE)],
...     [Payment(date(2026, 10, 23), Decimal("913.00"), "2026-0513")], date(2026, 10, 31))
>>> i = s.invoice("2026-0513")
>>> i.interest, i.interest_open, i.interest_paid_late, i.outstanding_principal, i.outstanding_interest
(Decimal('17.41'), Decimal('17.41'), Decimal('0.00'), Decimal('620.50'), Decimal('1.41'))
>>> [(a.day.isoformat(), a.interest, a.principal) for a in i.payments]
[('2026-10-23', Decimal('16.00'), Decimal('897.00'))]
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import NamedTuple, Sequence

import numpy as np

from ..money import cents_to_decimal, divide_half_up
from .interest import (
    _DENOMINATOR,
    LEAP_MARCH_1,
    ROUND_END,
    Claim,
    InterestResult,
    Payment,
    PaymentAllocation,
    PaymentSplit,
    _anniversaries,
    _cumulative_rates,
    calculate_debtor_interest,
)
from .rates import HANDELSRENTE, WETTELIJKE, Rates, load_rates

__all__ = [
    "HANDELSRENTE",
    "WETTELIJKE",
    "InvoiceClaim",
    "InvoiceStatement",
    "ClaimsStatement",
    "Payment",
    "calculate_claims",
    "claims_interest_cents",
]

_ZERO = Decimal(0)


class InvoiceClaim(NamedTuple):
    """One invoice as a claim: what the ledger row and the register say about it.

    ``principal`` is the invoice amount less the credit notes applied to it;
    ``first_interest_day`` is ``None`` while no interest runs; ``settled`` is the
    ledger's verdict that the debtor paid it (its interest is then paid-late interest).
    """

    invoice_id: str
    principal: Decimal
    due_date: date
    first_interest_day: date | None
    kind: str
    settled: bool = False
    costs: Decimal = _ZERO
    costs_due_from: date | None = None  # collection costs are owed from this day (None: always)
    later_costs: tuple[tuple[Decimal, date], ...] = ()  # further costs, each (amount, the day it became due)


@dataclass(frozen=True)
class InvoiceStatement:
    """The calculation of one invoice: the claim, every segment and allocation (``result``)."""

    claim: InvoiceClaim
    result: InterestResult

    @property
    def invoice_id(self) -> str:
        return self.claim.invoice_id

    @property
    def interest(self) -> Decimal:
        """All interest charged through the last day: paid by 6:44 plus still owed."""
        return self.result.interest

    @property
    def interest_open(self) -> Decimal:
        return _ZERO.quantize(Decimal("0.01")) if self.claim.settled else self.result.interest

    @property
    def interest_paid_late(self) -> Decimal:
        return self.result.interest if self.claim.settled else _ZERO.quantize(Decimal("0.01"))

    @property
    def payments(self) -> tuple[PaymentAllocation, ...]:
        return self.result.payments

    @property
    def outstanding_principal(self) -> Decimal:
        return self.result.outstanding_principal

    @property
    def outstanding_interest(self) -> Decimal:
        return self.result.outstanding_interest

    @property
    def outstanding_costs(self) -> Decimal:
        return self.result.outstanding_costs

    @property
    def owed(self) -> Decimal:
        """What the debtor still owes on this invoice by 6:44: principal, interest and costs left."""
        return self.outstanding_principal + self.outstanding_interest + self.outstanding_costs


@dataclass(frozen=True)
class ClaimsStatement:
    """All invoices of one debtor through ``last_day``, with how each payment was split (6:43)."""

    last_day: date
    invoices: tuple[InvoiceStatement, ...]
    payments: tuple[PaymentSplit, ...]

    def invoice(self, invoice_id: str) -> InvoiceStatement:
        for statement in self.invoices:
            if statement.invoice_id == invoice_id:
                return statement
        raise KeyError(invoice_id)

    @property
    def interest_open(self) -> Decimal:
        return sum((i.interest_open for i in self.invoices), _ZERO)

    @property
    def interest_paid_late(self) -> Decimal:
        return sum((i.interest_paid_late for i in self.invoices), _ZERO)

    @property
    def unallocated(self) -> Decimal:
        return sum((p.unallocated for p in self.payments), _ZERO)

    def claimable(self, paid_late: bool = False) -> tuple[InvoiceStatement, ...]:
        """The invoices a letter claims: the open ones, and with ``paid_late`` (the setting
        ``Rente op te laat betaalde facturen vorderen``) also those paid late that still owe
        something by 6:44 (the interest the payment went to first, and the interest since).

        >>> s = calculate_claims(
        ...     [InvoiceClaim("F1", Decimal("1000"), date(2026, 8, 31), date(2026, 9, 1), HANDELSRENTE, settled=True),
        ...      InvoiceClaim("F2", Decimal("500"), date(2026, 10, 15), date(2026, 10, 16), HANDELSRENTE)],
        ...     [Payment(date(2026, 9, 30), Decimal("1000"), "F1")], date(2026, 10, 31))
        >>> [i.invoice_id for i in s.claimable()], [i.invoice_id for i in s.claimable(paid_late=True)]
        (['F2'], ['F1', 'F2'])
        >>> f1 = s.invoice("F1")  # 1.000 x 10,40 % x 30/365 = 8,55 went to interest: 8,55 principal left
        >>> f1.outstanding_principal, f1.outstanding_interest, f1.owed
        (Decimal('8.55'), Decimal('0.08'), Decimal('8.63'))
        """
        return tuple(i for i in self.invoices if not i.claim.settled or (paid_late and i.owed > 0))

    @property
    def provisional(self) -> bool:
        return any(i.result.provisional for i in self.invoices)


def calculate_claims(
    invoices: Sequence[InvoiceClaim],
    payments: Sequence[Payment],
    last_day: date,
    *,
    rates: Rates | None = None,
    compound: bool = True,
    rounding: str = ROUND_END,
    leap_anniversary: str = LEAP_MARCH_1,
) -> ClaimsStatement:
    """Every invoice of one debtor through ``last_day`` (inclusive), payments by 6:43 and 6:44.

    ``payments`` are the debtor's payments dated on or before ``last_day``; a
    ``claim_id`` that names one of ``invoices`` designates it, any other is ignored.
    """
    ids = {i.invoice_id for i in invoices}
    claims = [
        Claim(
            i.invoice_id,
            i.principal,
            # no interest yet: a first day after the last one accrues nothing
            i.first_interest_day if i.first_interest_day is not None else last_day + timedelta(days=1),
            i.kind,
            due_date=i.due_date,
            costs=i.costs,
            costs_due_from=i.costs_due_from,
            later_costs=i.later_costs,
        )
        for i in invoices
    ]
    named = [Payment(p.day, p.amount, p.claim_id if p.claim_id in ids else None) for p in payments]
    result = calculate_debtor_interest(
        claims, named, last_day, rates=rates, compound=compound, rounding=rounding, leap_anniversary=leap_anniversary
    )
    statements = tuple(InvoiceStatement(i, r) for i, r in zip(invoices, result.claims))
    return ClaimsStatement(last_day, statements, result.payments)


# ---------------------------------------------------------------------------
# many debtors at once, in integer cents (the review)


class ClaimsCents(NamedTuple):
    """Per claim, in the order given: interest charged (paid + owed), paid on interest, principal left."""

    interest_cents: np.ndarray
    interest_paid_cents: np.ndarray
    outstanding_principal_cents: np.ndarray
    exact_debtors: np.ndarray  # debtor codes recomputed with :func:`calculate_claims`


def claims_interest_cents(
    *,
    debtor_code: np.ndarray,
    invoice_id: np.ndarray,
    principal_cents: np.ndarray,
    due_day: np.ndarray,
    first_day: np.ndarray,
    kind: np.ndarray,
    payment_debtor_code: np.ndarray,
    payment_day: np.ndarray,
    payment_cents: np.ndarray,
    payment_target: np.ndarray,
    last_day: date,
    rates: Rates | None = None,
    compound: bool = True,
    rounding: str = ROUND_END,
    leap_anniversary: str = LEAP_MARCH_1,
) -> ClaimsCents:
    """:func:`calculate_claims` for every debtor at once; arrays in, integer cents out.

    Claims: ``debtor_code`` (int), ``invoice_id``, ``principal_cents``, ``due_day``
    and ``first_day`` as day numbers since 1970-01-01 (``first_day`` < 0: no interest
    yet), ``kind`` (``handelsrente`` / ``wettelijke``). Payments: the debtor's code,
    day number, cents and ``payment_target`` (index of the claim it names, -1 none),
    all dated on or before ``last_day``.

    Payments are handled in rounds: round k applies the k-th payment of every
    debtor at once, exactly as the one-debtor engine does: unpaid interest is kept
    as an integer numerator over 365 × 100 × 100 (cents), rounded half-up to cents
    when a payment meets it. Interest on principal is exact that way; interest on
    capitalised interest is not, so a debtor that has any is computed twice, that
    part rounded down and then up: the exact figures lie between, and where both
    passes agree to the cent they are the exact figures. A debtor where they do
    not, whose payment is shared pro rata by equal claims, or any debtor under
    rounding per period, is computed by :func:`calculate_claims` itself.
    """
    rates = rates or load_rates()
    codes = np.asarray(debtor_code, dtype=np.int64)
    p_code = np.asarray(payment_debtor_code, dtype=np.int64)
    n = len(codes)
    n_debtors = max(int(codes.max(initial=-1)), int(p_code.max(initial=-1))) + 1
    last = int(np.datetime64(last_day, "D").astype(np.int64))
    first = np.asarray(first_day, dtype=np.int64)
    has_first = (first >= 0) & (first <= last)
    claims = _Claims(
        codes=codes,
        principal=np.asarray(principal_cents, dtype=np.int64),
        due=np.asarray(due_day, dtype=np.int64),
        first=np.where(has_first, first, last + 1),
        kind=np.where(np.asarray(kind, dtype=object) == HANDELSRENTE, 1, 0),
    )
    payments = _Payments(
        codes=p_code,
        day=np.asarray(payment_day, dtype=np.int64),
        cents=np.asarray(payment_cents, dtype=np.int64),
        target=np.asarray(payment_target, dtype=np.int64),
    )
    origin = int(np.datetime64(rates.first_day, "D").astype(np.int64))
    cumulative = _cumulative_rates(rates, origin, last + 2)
    exact = np.zeros(max(n_debtors, 1), dtype=bool)
    if rounding != ROUND_END:
        exact[:] = True
    exact[codes[claims.first < origin]] = True  # the exact engine names the claim that starts too early
    exact[codes[claims.principal > _INT64_PRINCIPAL]] = True

    interest = np.zeros(n, dtype=np.int64)
    paid = np.zeros(n, dtype=np.int64)
    left = claims.principal.copy()
    # Pass 1 rounds the interest earned on capitalised interest down, pass 2 (only debtors that had
    # any) up: the exact value lies between, so where both give the same cents, so does the exact one.
    compounding = np.zeros(max(n_debtors, 1), dtype=bool)
    chosen = ~exact
    rows = np.flatnonzero(chosen[codes]) if n else np.zeros(0, np.int64)
    sub = claims.take(rows)
    pays = payments.take(np.flatnonzero(chosen[p_code]) if len(p_code) else np.zeros(0, np.int64), rows)
    low = _run(sub, pays, last, origin, cumulative, compound, leap_anniversary, False, exact, compounding)
    if compounding.any():
        again = np.flatnonzero(compounding[sub.codes])
        sub2 = sub.take(again)
        pays2 = pays.take(np.flatnonzero(compounding[pays.codes]), again)
        high = _run(sub2, pays2, last, origin, cumulative, compound, leap_anniversary, True, exact, compounding)
        differ = np.zeros(len(sub.codes), dtype=bool)
        differ[again] = (low[0][again] != high[0]) | (low[1][again] != high[1]) | (low[2][again] != high[2])
        exact[sub.codes[differ]] = True
    done = ~exact[sub.codes]
    interest[rows[done]], paid[rows[done]], left[rows[done]] = low[0][done], low[1][done], low[2][done]

    recomputed = np.flatnonzero(exact[:n_debtors]) if n_debtors else np.zeros(0, np.int64)
    if len(recomputed):
        ids = np.asarray(invoice_id, dtype=object)
        kinds = np.asarray(kind, dtype=object)
        order = np.argsort(codes, kind="stable")
        bounds = np.searchsorted(codes[order], np.arange(n_debtors + 1))
        for debtor in recomputed:
            rows = order[bounds[debtor] : bounds[debtor + 1]]
            invoices = [
                InvoiceClaim(
                    str(ids[i]),
                    cents_to_decimal(int(claims.principal[i])),
                    _date(int(claims.due[i])),
                    _date(int(first[i])) if has_first[i] else None,
                    str(kinds[i]),
                )
                for i in rows
            ]
            pays = [
                Payment(
                    _date(int(payments.day[j])),
                    cents_to_decimal(int(payments.cents[j])),
                    str(ids[payments.target[j]]) if payments.target[j] >= 0 else None,
                )
                for j in np.flatnonzero(p_code == debtor)
            ]
            statement = calculate_claims(
                invoices, pays, last_day, rates=rates, compound=compound, rounding=rounding,
                leap_anniversary=leap_anniversary,
            )  # fmt: skip
            for i, s in zip(rows, statement.invoices):
                interest[i] = int(s.result.interest * 100)
                paid[i] = int(s.result.interest_paid * 100)
                left[i] = int(s.result.outstanding_principal * 100)
    return ClaimsCents(interest, paid, left, recomputed)


# int64 room in the first pass: principal × a year of daily rates (below 1300 × 366 hundredths)
_INT64_PRINCIPAL = (2**62) // (1300 * 366)


class _Claims(NamedTuple):
    codes: np.ndarray
    principal: np.ndarray
    due: np.ndarray
    first: np.ndarray
    kind: np.ndarray

    def take(self, rows: np.ndarray) -> "_Claims":
        return _Claims(*(column[rows] for column in self))


class _Payments(NamedTuple):
    codes: np.ndarray
    day: np.ndarray
    cents: np.ndarray
    target: np.ndarray

    def take(self, rows: np.ndarray, claim_rows: np.ndarray) -> "_Payments":
        """The chosen payments, their targets renumbered to positions in ``claim_rows``."""
        position = np.full(max(int(self.target.max(initial=-1)) + 1, 1), -1, dtype=np.int64)
        position[claim_rows[claim_rows < len(position)]] = np.flatnonzero(claim_rows < len(position))
        target = self.target[rows]
        return _Payments(
            self.codes[rows],
            self.day[rows],
            self.cents[rows],
            np.where(target >= 0, position[np.maximum(target, 0)], -1),
        )


def _run(claims, payments, last, origin, cumulative, compound, leap, round_up, exact, compounding):
    """One pass of :func:`claims_interest_cents` over ``claims``: (interest, paid on interest, principal left).

    Interest is held in int64 as numerators over 365 × 100 × 100 (cents). Interest
    on principal is exact; interest on capitalised interest needs a division, here
    rounded down (or up with ``round_up``); debtors with such interest are marked in
    ``compounding``, debtors the short-cut cannot hold in ``exact``.
    """
    n = len(claims.codes)
    codes, due, first, k = claims.codes, claims.due, claims.first, claims.kind
    scale = _DENOMINATOR
    principal = claims.principal.copy()
    capitalised = np.zeros(n, dtype=np.int64)
    running = np.zeros(n, dtype=np.int64)
    paid_interest = np.zeros(n, dtype=np.int64)
    next_day = first.copy()
    index = np.ones(n, dtype=np.int64)  # the next anniversary's number
    anniversary = np.full(n, np.iinfo(np.int64).max, dtype=np.int64)
    live = first <= last
    if compound and live.any():
        anniversary[live] = _anniversaries(first[live], np.int64(1), leap)
    daily = np.diff(cumulative, axis=1)

    def owed_interest(rows):
        return divide_half_up(capitalised[rows] + running[rows], scale)

    def accrue_plain(rows, until):
        run = next_day[rows] <= until
        rows, until = rows[run], until[run]
        if not len(rows):
            return
        start = next_day[rows]
        rate_days = cumulative[k[rows], until + 1 - origin] - cumulative[k[rows], start - origin]
        running[rows] += principal[rows] * rate_days
        on_interest = capitalised[rows] != 0
        if on_interest.any():
            at, days = rows[on_interest], rate_days[on_interest]
            whole, rest = np.divmod(capitalised[at], _DENOMINATOR)
            part = rest * days
            part = -((-part) // _DENOMINATOR) if round_up else part // _DENOMINATOR
            running[at] += whole * days + part
            compounding[codes[at]] = True
        next_day[rows] = until + 1

    def accrue(rows, until):
        while True:
            crossing = (anniversary[rows] <= until) & (next_day[rows] <= until)
            if not crossing.any():
                break
            at = rows[crossing]
            accrue_plain(at, anniversary[at] - 1)
            capitalised[at] += running[at]
            running[at] = 0
            index[at] += 1
            anniversary[at] = _anniversaries(first[at], index[at], leap)
        accrue_plain(rows, until)

    def apply(rows, share):
        paying = share > 0  # as the exact engine: only a claim that receives something is touched
        rows, share = rows[paying], share[paying]
        due_now = owed_interest(rows)
        to_interest = np.minimum(share, due_now)
        settled = to_interest == due_now
        paid_num = to_interest * scale
        from_cap = np.minimum(paid_num, capitalised[rows])  # the oldest (capitalised) interest first
        capitalised[rows] = np.where(settled, 0, capitalised[rows] - from_cap)
        running[rows] = np.where(settled, 0, running[rows] - (paid_num - from_cap))
        principal[rows] -= share - to_interest
        paid_interest[rows] += to_interest

    p_code, p_day, p_cents, p_target = payments
    order = np.lexsort((np.arange(len(p_code)), p_day, p_code))
    p_code, p_day, p_cents, p_target = p_code[order], p_day[order], p_cents[order], p_target[order]
    group_first = np.ones(len(p_code), dtype=bool)
    group_first[1:] = p_code[1:] != p_code[:-1]
    rank = np.arange(len(p_code)) - np.maximum.accumulate(np.where(group_first, np.arange(len(p_code)), 0))
    n_debtors = len(exact)
    left = p_cents.copy()  # per payment: what is still to place
    for r in range(int(rank.max()) + 1 if len(rank) else 0):
        sel = np.flatnonzero(rank == r)
        # The designated invoice first (6:43 lid 1). Interest accrues lazily: a claim is brought up to
        # date only when a payment reaches it (and at the end); principal × rate-days adds up the same.
        named = sel[p_target[sel] >= 0]
        if len(named):
            t = p_target[named]
            accrue(t, p_day[named])
            take = np.minimum(left[named], owed_interest(t) + principal[t])
            apply(t, take)
            left[named] -= take
        rest = sel[left[sel] > 0]
        if not len(rest):
            continue
        pay_of = np.full(n_debtors, -1, dtype=np.int64)
        pay_of[p_code[rest]] = rest
        claim_pay = pay_of[codes]
        rows = np.flatnonzero(claim_pay >= 0)
        if not len(rows):
            continue
        accrue(rows, p_day[claim_pay[rows]])
        # the rest by 6:43 lid 2: due first, highest rate, oldest; equal ones pro rata
        owed = owed_interest(rows) + principal[rows]
        rows, owed = rows[owed > 0], owed[owed > 0]
        if not len(rows):
            continue
        day = p_day[claim_pay[rows]]
        not_due = (due[rows] > day).astype(np.int64)
        rate = np.where(day >= first[rows], daily[k[rows], day - origin], 0)
        ranked = np.lexsort((due[rows], -rate, not_due, codes[rows]))
        rows, owed, not_due, rate = rows[ranked], owed[ranked], not_due[ranked], rate[ranked]
        group = codes[rows]
        cum = np.cumsum(owed)
        starts = np.ones(len(rows), dtype=bool)
        starts[1:] = group[1:] != group[:-1]
        before = (cum - owed)[np.maximum.accumulate(np.where(starts, np.arange(len(rows)), 0))]
        cum_in = cum - before
        amount = left[pay_of[group]]
        share = np.maximum(np.minimum(cum_in, amount) - np.minimum(cum_in - owed, amount), 0)
        # a payment that ends inside a run of equal claims is shared pro rata: exact engine
        partial = (share > 0) & (share < owed)
        key = np.stack([group, not_due, rate, due[rows]])
        tie_prev = np.zeros(len(rows), dtype=bool)
        tie_prev[1:] = (key[:, 1:] == key[:, :-1]).all(axis=0)
        tie_next = np.zeros(len(rows), dtype=bool)
        tie_next[:-1] = tie_prev[1:]
        exact[group[partial & (tie_prev | tie_next)]] = True
        apply(rows, share)

    everything = np.arange(n)
    accrue(everything, np.full(n, last, dtype=np.int64))
    owed = owed_interest(everything) if n else np.zeros(0, np.int64)
    return paid_interest + owed, paid_interest, principal


def _date(day_number: int) -> date:
    return date(1970, 1, 1) + timedelta(days=day_number)
