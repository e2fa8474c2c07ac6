"""Statutory interest to date for every open invoice of the review.

Conventions (legal.md §2; the user guide repeats them):

- **Kind.** Business debtors (``zakelijk``): wettelijke handelsrente (6:119a);
  consumers: wettelijke rente (6:119).
- **First interest day.** Business: the day after the due date (6:119a lid 1, no
  reminder needed). Consumer: the day after the debtor is in default: the day
  after an agreed fatal term when the settings say the register's terms are
  fatal (``Betaaltermijnen zijn fataal``), otherwise the day after the term of
  the latest Ingebrekestelling or Veertiendagenbrief in Acties covering the
  invoice. A consumer without such a letter owes no interest yet.
- **Last interest day.** The peildatum, inclusive.
- **Principal.** The amount open on the peildatum. Payments made earlier are
  taken as paid on principal; for the legal allocation of a payment history
  (6:44: costs, then interest, then principal) use the claim calculator
  (``debiteuren rente`` / the vordering notebook), which is exact per payment.
- Compound per year from the first interest day unless the settings say
  ``Samengestelde rente: nee``; the total rounded half-up to cents.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from .dunning import parse_invoice_list, step_term_end
from .law.interest import interest_to_date_cents, uses_provisional_rate
from .law.rates import HANDELSRENTE, WETTELIJKE, Rates, load_rates, merge_overrides
from .register.model import Register

DEFAULT_LETTERS = ("Ingebrekestelling", "Veertiendagenbrief")


def register_rates(register: Register) -> Rates:
    """The shipped rate tables with the workbook's Rentetabel applied."""
    return merge_overrides(load_rates(), register.rate_overrides)


def consumer_default_days(register: Register, peildatum: date) -> dict[str, date]:
    """invoice_id -> first interest day for consumer invoices, from the notices in the log."""
    policy_terms = {s.action: s.term_days for s in register.policy}
    actions = register.actions
    notices = actions.loc[actions["kind"].isin(DEFAULT_LETTERS) & (actions["action_date"] <= pd.Timestamp(peildatum))]
    first_day: dict[str, date] = {}
    if notices.empty:
        return first_day
    blanket = set(notices.loc[notices["invoice_ids"].isna(), "debtor_id"])
    invoices = register.invoices.loc[register.invoices["debtor_id"].isin(blanket)]
    by_debtor = {k: g for k, g in invoices.groupby("debtor_id", sort=False)}
    for row in notices.sort_values("action_date", kind="stable").itertuples(index=False):
        sent = row.action_date.date()
        start = step_term_end(row.kind, sent, policy_terms.get(row.kind) or 14) + pd.Timedelta(days=1)
        named = parse_invoice_list(row.invoice_ids)
        if not named:
            own = by_debtor.get(row.debtor_id)
            named = tuple(own.loc[own["due_date"] < row.action_date, "invoice_id"]) if own is not None else ()
        for invoice_id in named:
            # The earliest valid notice puts the debtor in default for that invoice.
            first_day.setdefault(invoice_id, start)
    return first_day


def interest_per_invoice(
    register: Register, open_invoices: pd.DataFrame, peildatum: date, rates: Rates | None = None
) -> pd.DataFrame:
    """Per open invoice: kind of interest, first interest day, interest to date (cents), provisional flag."""
    rates = rates or register_rates(register)
    kinds = register.debtors.drop_duplicates("debtor_id").set_index("debtor_id")["kind"]
    items = open_invoices.loc[open_invoices["open_cents"] > 0, ["invoice_id", "debtor_id", "due_date", "open_cents"]]
    debtor_kind = items["debtor_id"].map(kinds)
    business = (debtor_kind == "zakelijk").to_numpy()
    first = items["due_date"] + pd.Timedelta(days=1)
    if not register.settings.terms_are_fatal:
        defaults = consumer_default_days(register, peildatum)
        consumer_first = pd.to_datetime(items["invoice_id"].map(defaults))
        first = first.where(business, consumer_first)
    kind = np.where(business, HANDELSRENTE, WETTELIJKE)
    interest = interest_to_date_cents(
        items["open_cents"].to_numpy(np.int64),
        first.to_numpy("datetime64[ns]"),
        pd.Timestamp(peildatum).to_datetime64(),
        kind,
        rates=rates,
        compound=register.settings.compound_interest,
    )
    provisional = uses_provisional_rate(
        first.to_numpy("datetime64[ns]"), pd.Timestamp(peildatum).to_datetime64(), kind, rates=rates
    )
    return pd.DataFrame(
        {
            "invoice_id": items["invoice_id"].to_numpy(),
            "debtor_id": items["debtor_id"].to_numpy(),
            "interest_kind": kind,
            "first_interest_day": first.to_numpy("datetime64[ns]"),
            "open_cents": items["open_cents"].to_numpy(np.int64),
            "interest_cents": np.asarray(interest, dtype=np.int64),
            "provisional": np.asarray(provisional, dtype=bool),
        }
    )
