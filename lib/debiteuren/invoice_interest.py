"""Statutory interest per invoice for the review, the letters and the hand-over.

Conventions (legal.md §2; the user guide repeats them):

- **Kind.** Business debtors (``zakelijk``): wettelijke handelsrente (6:119a);
  consumers: wettelijke rente (6:119).
- **First interest day.** Business: the day after the due date (6:119a lid 1, no
  reminder needed). Consumer: the day after the debtor is in default: the day
  after an agreed fatal term when the settings say the register's terms are
  fatal (``Betaaltermijnen zijn fataal``), otherwise the day after the term of
  the first Ingebrekestelling or Veertiendagenbrief in Acties covering the
  invoice, counted as the dunning plan counts it (``consumer_verzuim_days``: a
  notice sent beside a 14-day letter has the letter's term). A consumer without
  such a letter owes no interest yet.
- **Last interest day.** The peildatum, inclusive.
- **Payments.** Every payment through the peildatum is allocated by 6:43 across
  the debtor's invoices (the invoice it names first) and by 6:44 within each
  (interest accrued through the payment day first, then principal): one
  calculation, :mod:`debiteuren.law.claims`, for the review and the letters.
  Credit notes applied by the ledger reduce the invoice's principal from the start.
- **Open and paid late.** The interest of an invoice the ledger still has open
  is interest on open invoices (``interest_cents``); that of an invoice the
  ledger has settled is interest on an invoice paid late
  (``paid_late_interest_cents``): claimable, shown apart, claimed in letters only
  when the setting ``Rente op te laat betaalde facturen vorderen`` says ``ja``.
- Compound per year from the first interest day unless the settings say
  ``Samengestelde rente: nee``; the total rounded half-up to cents.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

import numpy as np
import pandas as pd

from .dunning import consumer_verzuim_days
from .law.claims import ClaimsStatement, InvoiceClaim, Payment, calculate_claims, claims_interest_cents
from .law.interest import Claim as InterestClaim
from .law.interest import Payment as InterestPayment
from .law.interest import uses_provisional_rate
from .law.rates import HANDELSRENTE, WETTELIJKE, Rates, load_rates, merge_overrides
from .money import cents_to_decimal
from .register.model import Register


def register_rates(register: Register) -> Rates:
    """The shipped rate tables with the workbook's Rentetabel applied."""
    return merge_overrides(load_rates(), register.rate_overrides)


def consumer_default_days(register: Register, invoices: pd.DataFrame, peildatum: date) -> dict[str, date]:
    """invoice_id -> first interest day of the consumer invoices in ``invoices`` (the first day of verzuim).

    The dunning plan's own count (:func:`debiteuren.dunning.consumer_verzuim_days`), so the
    review's interest, the letters and the route agree on it: e.g. a notice of default sent in
    the same letter as a 14-day letter has that letter's term.
    """
    return consumer_verzuim_days(register, invoices, peildatum)


def first_interest_days(register: Register, invoices: pd.DataFrame, peildatum: date) -> pd.DataFrame:
    """Per invoice row of ``invoices`` (ledger rows): ``interest_kind`` and ``first_interest_day`` (NaT: none yet)."""
    kinds = register.debtors.drop_duplicates("debtor_id").set_index("debtor_id")["kind"]
    business = (invoices["debtor_id"].map(kinds) == "zakelijk").to_numpy()
    first = invoices["due_date"] + pd.Timedelta(days=1)
    if not register.settings.terms_are_fatal:
        defaults = consumer_default_days(register, invoices, peildatum)
        consumer_first = pd.to_datetime(invoices["invoice_id"].map(defaults))
        first = first.where(business, consumer_first)
    return pd.DataFrame(
        {
            "interest_kind": np.where(business, HANDELSRENTE, WETTELIJKE),
            "first_interest_day": first.to_numpy("datetime64[ns]"),
        },
        index=invoices.index,
    )


def _payments_through(register: Register, day: date) -> pd.DataFrame:
    payments = register.payments
    return payments.loc[(payments["payment_date"] <= pd.Timestamp(day)) & (payments["amount_cents"] > 0)]


def interest_per_invoice(
    register: Register, invoices: pd.DataFrame, peildatum: date, rates: Rates | None = None
) -> pd.DataFrame:
    """Per invoice with interest on the peildatum (open, or settled after its first interest day).

    ``invoices`` are the ledger's invoices (all of them: the payments are
    allocated over every invoice of a debtor). Columns: ``invoice_id``,
    ``debtor_id``, ``interest_kind``, ``first_interest_day``, ``open_cents``,
    ``settled``, ``interest_cents`` (open invoices: all interest charged, 6:44
    exact; 0 for a settled invoice), ``paid_late_interest_cents`` (settled
    invoices), ``interest_paid_cents`` (what payments put on interest),
    ``principal_left_cents`` (principal still owed after 6:44), ``provisional``.
    Only open invoices and settled ones with interest are listed.
    """
    rates = rates or register_rates(register)
    bills = invoices.reset_index(drop=True)
    start = first_interest_days(register, bills, peildatum)
    day = lambda values: values.to_numpy("datetime64[D]").astype(np.int64)  # noqa: E731
    first = start["first_interest_day"]
    first_day = np.where(first.isna().to_numpy(), -1, day(first.fillna(pd.Timestamp(0))))
    codes = bills["debtor_code"].to_numpy(np.int64)
    pays = _payments_through(register, peildatum)
    code_of = pd.Series(codes, index=bills["debtor_id"].to_numpy(dtype=object))
    code_of = code_of[~code_of.index.duplicated()]
    pay_code = pays["debtor_id"].map(code_of)
    pays, pay_code = pays.loc[pay_code.notna()], pay_code.loc[pay_code.notna()].to_numpy(np.int64)
    target = pd.Index(bills["invoice_id"].to_numpy(dtype=object)).get_indexer(pays["invoice_id"].to_numpy(dtype=object))
    target = np.where((target >= 0) & (codes[np.maximum(target, 0)] == pay_code), target, -1)
    principal = (bills["amount_cents"] - bills["credited_cents"]).to_numpy(np.int64)
    result = claims_interest_cents(
        debtor_code=codes,
        invoice_id=bills["invoice_id"].to_numpy(dtype=object),
        principal_cents=principal,
        due_day=day(bills["due_date"]),
        first_day=first_day,
        kind=start["interest_kind"].to_numpy(dtype=object),
        payment_debtor_code=pay_code,
        payment_day=day(pays["payment_date"]),
        payment_cents=pays["amount_cents"].to_numpy(np.int64),
        payment_target=target,
        last_day=peildatum,
        rates=rates,
        compound=register.settings.compound_interest,
        rounding=register.settings.interest_rounding,
    )
    settled = (bills["open_cents"] <= 0).to_numpy()
    interest = np.asarray(result.interest_cents, dtype=np.int64)
    end = np.where(
        settled & bills["paid_date"].notna().to_numpy(),
        bills["paid_date"].to_numpy("datetime64[ns]"),
        pd.Timestamp(peildatum).to_datetime64(),
    )
    provisional = uses_provisional_rate(
        first.to_numpy("datetime64[ns]"), end, start["interest_kind"].to_numpy(dtype=object), rates=rates
    )
    keep = ~settled | (interest > 0)
    return pd.DataFrame(
        {
            "invoice_id": bills["invoice_id"].to_numpy()[keep],
            "debtor_id": bills["debtor_id"].to_numpy()[keep],
            "interest_kind": start["interest_kind"].to_numpy()[keep],
            "first_interest_day": first.to_numpy("datetime64[ns]")[keep],
            "open_cents": bills["open_cents"].to_numpy(np.int64)[keep],
            "settled": settled[keep],
            "interest_cents": np.where(settled, 0, interest)[keep],
            "paid_late_interest_cents": np.where(settled, interest, 0)[keep],
            "interest_paid_cents": np.asarray(result.interest_paid_cents, dtype=np.int64)[keep],
            "principal_left_cents": np.asarray(result.outstanding_principal_cents, dtype=np.int64)[keep],
            "provisional": np.asarray(provisional, dtype=bool)[keep] & (interest[keep] > 0),
        }
    )


def debtor_claims(
    register: Register,
    invoices: pd.DataFrame,
    debtor_id: str,
    last_day: date,
    rates: Rates | None = None,
    costs: Mapping[str, Sequence[tuple[Decimal, date]]] | None = None,
) -> ClaimsStatement:
    """The claim calculation of one debtor through ``last_day``: for letters and the hand-over.

    ``invoices`` are the ledger's invoices (e.g. ``review.ledger.invoices``); those
    of ``debtor_id`` become claims, and the debtor's payments dated on or before
    ``last_day`` are allocated by 6:43 and 6:44. Each record holds the principal,
    the interest per period, each payment's allocation, and whether the interest
    is on an open invoice or one paid late (see :mod:`debiteuren.law.claims`).
    ``costs`` (invoice_id -> its collection costs as parts, each (amount, the day it
    became due)) go first by 6:44 in every payment made on or after that day.
    """
    rates = rates or register_rates(register)
    costs = costs or {}
    own = invoices.loc[invoices["debtor_id"] == debtor_id]
    start = first_interest_days(register, own, last_day)
    claims = [
        InvoiceClaim(
            str(row.invoice_id),
            cents_to_decimal(int(row.amount_cents) - int(row.credited_cents)),
            row.due_date.date(),
            None if pd.isna(first) else first.date(),
            str(kind),
            settled=bool(row.open_cents <= 0),
            costs=parts[0][0] if (parts := costs.get(str(row.invoice_id))) else Decimal(0),
            costs_due_from=parts[0][1] if parts else None,
            later_costs=tuple(parts[1:]) if parts else (),
        )
        for row, first, kind in zip(own.itertuples(index=False), start["first_interest_day"], start["interest_kind"])
    ]
    pays = _payments_through(register, last_day)
    pays = pays.loc[pays["debtor_id"] == debtor_id]
    payments = [
        Payment(
            p.payment_date.date(),
            cents_to_decimal(int(p.amount_cents)),
            None if pd.isna(p.invoice_id) else str(p.invoice_id),
        )
        for p in pays.itertuples(index=False)
    ]
    return calculate_claims(
        claims, payments, last_day, rates=rates, compound=register.settings.compound_interest,
        rounding=register.settings.interest_rounding,
    )  # fmt: skip


@dataclass(frozen=True)
class CalculatorInput:
    """A debtor's invoices and payments from the register, as claims for the claim calculator.

    ``claims`` are every invoice that is open or that a payment reached (principal less credit notes,
    due date, first interest day; a claim on which no interest runs yet, a consumer not in default,
    gets a first day after ``last_day``, so none accrues: ``without_first_day`` names them);
    ``payments`` every payment through ``last_day`` with the invoice it names, so the calculator
    allocates them by 6:43 and 6:44 as the review does. ``kind`` is the first claim's kind of interest.
    """

    claims: tuple[InterestClaim, ...]
    payments: tuple[InterestPayment, ...]
    kind: str | None
    without_first_day: tuple[str, ...]

    @property
    def accruing(self) -> bool:
        """True when interest runs on at least one claim (otherwise there is nothing to calculate)."""
        return len(self.without_first_day) < len(self.claims)


def calculator_input(
    register: Register, invoices: pd.DataFrame, debtor_id: str, last_day: date, rates: Rates | None = None
) -> CalculatorInput:
    """The claim calculator's claims and payments of ``debtor_id`` through ``last_day`` (see ``CalculatorInput``);
    ``invoices`` are the ledger's (``review.ledger.invoices``), as for ``debtor_claims``."""
    statement = debtor_claims(register, invoices, debtor_id, last_day, rates)
    chosen = [i.claim for i in statement.invoices if i.claim.principal > 0 and (not i.claim.settled or i.payments)]
    claims = tuple(
        InterestClaim(
            c.invoice_id,
            c.principal,
            c.first_interest_day or last_day + timedelta(days=1),
            c.kind,
            due_date=c.due_date,
        )
        for c in chosen
    )
    payments = tuple(InterestPayment(p.day, p.amount, p.designated) for p in statement.payments)
    return CalculatorInput(
        claims,
        payments,
        chosen[0].kind if chosen else None,
        tuple(c.invoice_id for c in chosen if c.first_interest_day is None),
    )
