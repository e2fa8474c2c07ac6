"""The monthly review: one pipeline from the register to everything shown.

``review(register, peildatum)`` is the only place the analyses are combined;
the command line, the notebooks and the result sheets all read its ``Review``.
It is pure: no files, no clock (``peildatum`` is required).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from functools import cached_property

import numpy as np
import pandas as pd

from .ageing import Ageing, age
from .dunning import DunningPlan, plan
from .forecast import Forecast, project
from .invoice_interest import interest_per_invoice, register_rates
from .invoice_prescription import prescription_per_invoice, prescription_warnings
from .kpi import Kpis, key_figures
from .law.rates import Rates, stale_rate_warnings
from .ledger import Ledger, day_number, day_numbers, settle
from .payment_behaviour import PaymentBehaviour, WarningRule, analyse
from .register.model import Register
from .segments import Segments, score


@dataclass(frozen=True)
class Review:
    """Everything the monthly review found, as plain data.

    ``debtors`` is the overview, one row per debtor in the register's order:
    ``debtor_id``, ``name``, ``kind``, ``size``, ``status``, ``open_cents``,
    ``overdue_cents``, ``disputed_cents``, ``credit_cents``, ``balance_cents``,
    ``max_days_past_due`` (0 when nothing is past due), ``days_beyond_12m``,
    ``days_beyond_3m``, ``early_warning``, ``warning``, ``score``, ``risk``,
    ``segment``, ``why``, ``interest_cents`` (statutory interest to date on open
    invoices, payments allocated by 6:43/6:44), ``paid_late_interest_cents``
    (interest accrued on invoices the debtor paid late: claimable, not claimed by default).
    """

    peildatum: date
    company_name: str
    ledger: Ledger
    ageing: Ageing
    behaviour: PaymentBehaviour
    segments: Segments
    kpis: Kpis
    forecast: Forecast
    debtors: pd.DataFrame
    # Statutory interest per invoice (see invoice_interest.py): every open invoice
    # and every settled one that was paid late: invoice_id, debtor_id, interest_kind,
    # first_interest_day, open_cents, settled, interest_cents (open invoices),
    # paid_late_interest_cents (settled ones), interest_paid_cents,
    # principal_left_cents, provisional.
    interest: pd.DataFrame
    plan: DunningPlan
    rates: Rates  # the statutory rates with the register's Rentetabel applied
    # Dutch notes for the controller that are not register errors (e.g. a stale rate table).
    notes: tuple[str, ...] = ()
    # Prescription per open invoice (see invoice_prescription.py): invoice_id, debtor_id, due_date,
    # open_cents, years, article, last_interruption, prescribed_on, prescribed, interest_prescribed_before.
    prescription: pd.DataFrame | None = None
    # whether letters claim the interest on invoices paid late (setting 'Rente op te laat betaalde facturen vorderen')
    claims_paid_late_interest: bool = False

    @cached_property
    def invoices_by_id(self) -> pd.DataFrame:
        """The ledger's invoices indexed by number, built once (letters look many up)."""
        return self.ledger.invoices.set_index("invoice_id")

    @property
    def interest_cents(self) -> int:
        """Statutory interest to the peildatum on the open invoices, in total (the key figure)."""
        return int(self.interest["interest_cents"].sum())

    @property
    def early_warnings(self) -> pd.DataFrame:
        """The rows of ``debtors`` with an early warning, in the register's order."""
        return self.debtors.loc[self.debtors["early_warning"].astype(bool)]

    @cached_property
    def interest_by_id(self) -> pd.DataFrame:
        """The interest per open invoice indexed by number, built once."""
        return self.interest.set_index("invoice_id")


def review(register: Register, peildatum: date) -> Review:
    """Review ``register`` as of ``peildatum``: only what is dated on or before it counts."""
    if isinstance(peildatum, datetime):
        peildatum = peildatum.date()
    if not isinstance(peildatum, date):
        raise TypeError(f"peildatum moet een datum zijn, niet {peildatum!r}")
    settings = register.settings
    ledger = settle(register.invoices, register.payments, peildatum, pd.Index(register.debtors["debtor_id"]))
    ageing = age(ledger, settings.ageing_buckets)
    behaviour = analyse(ledger, WarningRule.from_settings(settings))
    segments = score(register, ledger, ageing, behaviour)
    kpis = key_figures(register, ledger, behaviour.paid, segments.by_debtor)
    forecast = project(register, ledger, behaviour.by_debtor["days_beyond_12m"], kpis.days_beyond_terms)
    rates = register_rates(register)
    interest = interest_per_invoice(register, ledger.invoices, peildatum, rates)
    prescribed = prescription_per_invoice(register, ledger.invoices, peildatum)
    dunnable = ledger.invoices
    if not settings.dun_prescribed:  # a prescribed claim is dunned only when the controller says so
        dunnable = dunnable.loc[~dunnable["invoice_id"].isin(prescribed.loc[prescribed["prescribed"], "invoice_id"])]
    first_days = interest.set_index("invoice_id")["first_interest_day"]
    debtors = _overview(register, ledger, behaviour, segments)
    per_debtor = interest.groupby("debtor_id")[["interest_cents", "paid_late_interest_cents"]].sum()
    for column in ("interest_cents", "paid_late_interest_cents"):
        debtors[column] = debtors["debtor_id"].map(per_debtor[column]).fillna(0).astype(np.int64).to_numpy()
    return Review(
        peildatum=peildatum,
        company_name=settings.company_name,
        ledger=ledger,
        ageing=ageing,
        behaviour=behaviour,
        segments=segments,
        kpis=kpis,
        forecast=forecast,
        debtors=debtors,
        interest=interest,
        plan=plan(register, dunnable, peildatum),
        rates=rates,
        notes=stale_rate_warnings(rates, peildatum, kinds=tuple(sorted(set(interest["interest_kind"]))))
        + prescription_warnings(prescribed, peildatum, first_days),
        prescription=prescribed,
        claims_paid_late_interest=settings.claim_paid_late_interest,
    )


def _overview(register: Register, ledger: Ledger, behaviour: PaymentBehaviour, segments: Segments) -> pd.DataFrame:
    ids = ledger.debtor_ids
    items = ledger.open_items
    late = np.maximum(day_number(ledger.peildatum) - day_numbers(items["due_date"]), 0)
    oldest = np.zeros(len(ids), np.int64)
    np.maximum.at(oldest, items["debtor_code"].to_numpy(np.int64), late)
    scored = segments.by_debtor
    paid = behaviour.by_debtor
    frame = pd.DataFrame({"debtor_id": pd.array(ids, dtype="string")})
    for column in ("name", "kind", "size", "status"):
        frame[column] = pd.array(ledger.per_debtor(register.debtors, column), dtype="string")
    for column in ("open_cents", "overdue_cents", "disputed_cents"):
        frame[column] = scored[column].to_numpy(np.int64)
    frame["credit_cents"] = scored["balance_cents"].to_numpy(np.int64) - scored["open_cents"].to_numpy(np.int64)
    frame["balance_cents"] = scored["balance_cents"].to_numpy(np.int64)
    frame["max_days_past_due"] = oldest
    for column in ("days_beyond_12m", "days_beyond_3m", "early_warning", "warning"):
        frame[column] = paid[column].to_numpy()
    for column in ("score", "risk", "segment", "why"):
        frame[column] = scored[column].to_numpy()
    return frame.astype({"warning": "string", "risk": "string", "segment": "string", "why": "string"})
