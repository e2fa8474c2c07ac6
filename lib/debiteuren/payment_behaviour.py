"""Payment behaviour per debtor, from its own history, and the early-warning signal.

Per paid invoice (design §7): **days to pay** = paid date - invoice date and
**days beyond terms** = paid date - due date (negative: paid early), where the
paid date is the day the invoice became fully paid (see ``ledger``). Invoices
settled wholly by credit notes are no payment behaviour and are left out;
averages are weighted by the cash paid on each invoice.

Windows end on the peildatum and are counted in calendar months: "the last 12
months" holds invoices paid after the same day 12 months earlier, up to and
including the peildatum; likewise the last 3 months; "before" is the 12 months
before those last 3.

**Early warning** (seeds: "Begint een klant plots later te betalen dan
gewoonlijk?"). Recent behaviour = the invoices paid in the last 3 months plus
the invoices still open and past due on the peildatum (not disputed), the
latter with the days they are past due so far: a lower bound, so a debtor who
stops paying shows, and a steady payer is never made to look worse than he is.
A debtor gets the signal when all of these hold (settings, Dutch names):

- at least ``Signaal minimaal eerdere facturen`` (3) invoices paid *before*: a
  debtor without history gets no signal;
- at least ``Signaal minimaal recente facturen`` (2) recent invoices;
- recently on average at least ``Signaal vanaf dagen na vervaldatum`` (15)
  days beyond terms;
- that is at least ``Signaal verslechtering dagen`` (10) days more than
  before, and at least ``Signaal verslechtering procent`` (25) percent more
  than before (when before was later than the due date at all).

The averages compared are the ones shown, rounded to one decimal.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from decimal import Decimal

import numpy as np
import pandas as pd

from .dutch import format_figure
from .kpi import YEAR_MONTHS, decimals, from_tenths, tenths
from .ledger import Ledger, day_number, day_numbers, months_before
from .register.model import TUNING_NAMES, Settings

RECENT_MONTHS = 3
# The Instellingen rows that tune the early warning (names in register.model.TUNING_SETTINGS).
SETTING_NAMES = {
    name: TUNING_NAMES[name]
    for name in ("min_days_late", "min_worsening_days", "min_worsening_pct", "min_recent", "min_history")
}


@dataclass(frozen=True)
class WarningRule:
    """The thresholds of the early-warning signal (see the module docstring)."""

    min_days_late: Decimal = Decimal(15)
    min_worsening_days: Decimal = Decimal(10)
    min_worsening_pct: Decimal = Decimal(25)
    min_recent: int = 2
    min_history: int = 3

    @classmethod
    def from_settings(cls, settings: Settings) -> WarningRule:
        """The rule with the Instellingen rows that the register read and checked."""
        return cls(**{f.name: settings.tuning[f.name] for f in fields(cls) if f.name in settings.tuning})

    @classmethod
    def setting_defaults(cls) -> tuple[tuple[str, object], ...]:
        """(Dutch setting name, default) for the Instellingen sheet."""
        return tuple((TUNING_NAMES[f.name], f.default) for f in fields(cls))

    def fires(self, recent: Decimal, before: Decimal) -> bool:
        """True when ``recent`` days beyond terms is clearly worse than ``before``."""
        worse = recent - before
        return (
            recent >= self.min_days_late
            and worse >= self.min_worsening_days
            and worse * 100 >= self.min_worsening_pct * max(before, Decimal(0))
        )


@dataclass(frozen=True)
class PaymentBehaviour:
    """``paid``: the paid invoices with their days (the history, over time).

    ``by_debtor``, one row per debtor of the ledger: ``debtor_id``;
    ``paid_12m``, ``days_to_pay_12m``, ``days_beyond_12m`` (last 12 months);
    ``paid_3m``, ``days_to_pay_3m``, ``days_beyond_3m`` (last 3 months);
    ``paid_before``, ``days_beyond_before`` (the 12 months before the last 3);
    ``recent``, ``days_beyond_recent`` (paid in the last 3 months plus open past
    due); ``early_warning`` (bool) and ``warning`` (why, in Dutch, or NA). Days
    are ``Decimal`` with one decimal, ``None`` without invoices.
    """

    paid: pd.DataFrame
    by_debtor: pd.DataFrame
    rule: WarningRule


def paid_invoices(ledger: Ledger) -> pd.DataFrame:
    """The invoices paid (in cash, at least in part) by the peildatum, with their days.

    Columns: ``debtor_id``, ``debtor_code``, ``invoice_id``, ``invoice_date``,
    ``due_date``, ``paid_date``, ``amount_cents``, ``paid_cents``, ``days_to_pay``,
    ``days_beyond_terms``.
    """
    invoices = ledger.invoices
    paid = invoices.loc[
        invoices["paid_date"].notna() & (invoices["paid_cents"] > 0),
        [
            "debtor_id",
            "debtor_code",
            "invoice_id",
            "invoice_date",
            "due_date",
            "paid_date",
            "amount_cents",
            "paid_cents",
        ],
    ].reset_index(drop=True)
    paid_day = day_numbers(paid["paid_date"])
    paid["days_to_pay"] = paid_day - day_numbers(paid["invoice_date"])
    paid["days_beyond_terms"] = paid_day - day_numbers(paid["due_date"])
    return paid


def weighted_tenths(code, days, weights, mask, n_groups) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per group over ``mask``: count, weight-averaged days in tenths, total weight."""
    count = np.bincount(code[mask], minlength=n_groups).astype(np.int64)
    num = np.zeros(n_groups, np.int64)
    den = np.zeros(n_groups, np.int64)
    np.add.at(num, code[mask], days[mask] * weights[mask])
    np.add.at(den, code[mask], weights[mask])
    return count, tenths(num, np.maximum(den, 1)), den


def analyse(ledger: Ledger, rule: WarningRule | None = None) -> PaymentBehaviour:
    """Days to pay and beyond terms per debtor, and the early-warning signal."""
    rule = rule or WarningRule()
    paid = paid_invoices(ledger)
    today = day_number(ledger.peildatum)
    n = len(ledger.debtor_ids)
    code = paid["debtor_code"].to_numpy(np.int64)
    weight = paid["paid_cents"].to_numpy(np.int64)
    to_pay = paid["days_to_pay"].to_numpy(np.int64)
    beyond = paid["days_beyond_terms"].to_numpy(np.int64)
    paid_day = day_numbers(paid["paid_date"])
    peildatum = ledger.peildatum
    year_start = day_number(months_before(peildatum, YEAR_MONTHS))
    recent_start = day_number(months_before(peildatum, RECENT_MONTHS))
    before_start = day_number(months_before(peildatum, RECENT_MONTHS + YEAR_MONTHS))
    in_year = (paid_day > year_start) & (paid_day <= today)
    in_recent = (paid_day > recent_start) & (paid_day <= today)
    in_before = (paid_day > before_start) & (paid_day <= recent_start)

    out = pd.DataFrame({"debtor_id": pd.array(ledger.debtor_ids, dtype="string")})
    for suffix, mask in (("12m", in_year), ("3m", in_recent)):
        count, pay_t, den = weighted_tenths(code, to_pay, weight, mask, n)
        _, beyond_t, _ = weighted_tenths(code, beyond, weight, mask, n)
        out[f"paid_{suffix}"] = count
        out[f"days_to_pay_{suffix}"] = decimals(pay_t, den > 0)
        out[f"days_beyond_{suffix}"] = decimals(beyond_t, den > 0)
    before_count, before_t, before_den = weighted_tenths(code, beyond, weight, in_before, n)
    out["paid_before"] = before_count
    out["days_beyond_before"] = decimals(before_t, before_den > 0)

    # recent: paid in the last 3 months, plus open and past due (days so far), not disputed
    late = ledger.open_items
    late = late.loc[(late["due_date"] < pd.Timestamp(ledger.peildatum)) & ~late["disputed"].to_numpy(bool)]
    r_code = np.concatenate([code[in_recent], late["debtor_code"].to_numpy(np.int64)])
    r_days = np.concatenate([beyond[in_recent], today - day_numbers(late["due_date"])])
    r_weight = np.concatenate([weight[in_recent], late["open_cents"].to_numpy(np.int64)])
    recent_count, recent_t, recent_den = weighted_tenths(r_code, r_days, r_weight, np.ones(len(r_code), bool), n)
    out["recent"] = recent_count
    out["days_beyond_recent"] = decimals(recent_t, recent_den > 0)

    flagged = np.zeros(n, bool)
    reasons = np.full(n, None, dtype=object)
    enough = (before_count >= max(rule.min_history, 1)) & (recent_count >= max(rule.min_recent, 1))
    for i in np.flatnonzero(enough):
        recent, before = from_tenths(recent_t[i]), from_tenths(before_t[i])
        if rule.fires(recent, before):
            flagged[i] = True
            reasons[i] = (
                f"Betaalt recent gemiddeld {format_figure(recent)} dagen na de vervaldatum "
                f"(laatste {RECENT_MONTHS} maanden en openstaande vervallen facturen), "
                f"tegen {format_figure(before)} dagen in de {YEAR_MONTHS} maanden daarvoor."
            )
    out["early_warning"] = flagged
    out["warning"] = pd.array(reasons, dtype="string")
    return PaymentBehaviour(paid=paid, by_debtor=out, rule=rule)
