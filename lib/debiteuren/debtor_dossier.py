"""One debtor's dossier: what the register and the review hold about them, as the dossier view shows it.

``debtor_dossier(register, review, debtor_id)`` picks the debtor's facts, the plan's steps and
pauses, invoices (newest first), payments received on or before the peildatum (newest first),
the days to pay of each paid invoice (oldest first, the chart's order) and the Acties log
(newest first). Register cells that are empty are ``None`` in the records, never NaN or NaT,
so a view writes them as empty cells without testing pandas' kinds of missing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pandas as pd

from .dunning import Pause, ProposedStep
from .register.model import Register
from .review import Review


@dataclass(frozen=True)
class DebtorFacts:
    """Who the debtor is (Debiteuren) and where they stand on the peildatum (the review)."""

    debtor_id: str
    name: str | None
    kind: str | None
    status: str | None
    contact: str | None
    phone: str | None
    email: str | None
    segment: str | None
    why: str | None  # why the segment
    risk: str | None
    open_cents: int
    overdue_cents: int
    interest_cents: int  # statutory interest up to the peildatum
    days_beyond_12m: Decimal | None  # average days paid after the due date, last 12 months; None: none paid
    early_warning: bool
    warning: str | None


@dataclass(frozen=True)
class PaymentLine:
    day: date
    invoice_id: str | None
    amount_cents: int
    description: str | None


@dataclass(frozen=True)
class ActionLine:
    """One row of the Acties log."""

    day: date | None
    kind: str | None
    invoice_ids: str | None
    description: str | None
    promised_cents: int | None
    promised_date: date | None
    by: str | None
    document: str | None


@dataclass(frozen=True)
class PaidLine:
    """A paid invoice: the day it was paid in full and how many days after its date."""

    paid_date: date
    days_to_pay: int


@dataclass(frozen=True)
class DebtorDossier:
    facts: DebtorFacts
    steps: tuple[ProposedStep, ...]
    pauses: tuple[Pause, ...]
    invoices: pd.DataFrame  # the ledger's rows of the debtor, newest invoice date first
    payments: tuple[PaymentLine, ...]
    paid: tuple[PaidLine, ...]
    actions: tuple[ActionLine, ...]


def _value(value):
    """A register cell as a record holds it: None for every kind of empty, a date for a timestamp."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and value != value:
        return None
    if isinstance(value, pd.Timestamp):
        return value.date()
    return value


def _text(value) -> str | None:
    value = _value(value)
    return None if value is None else str(value)


def _int(value) -> int | None:
    value = _value(value)
    return None if value is None else int(value)


def debtor_facts(register: Register, review: Review, debtor_id: str) -> DebtorFacts:
    """The debtor's header: their Debiteuren row and their row of ``review.debtors``."""
    who = register.debtor(debtor_id)
    over = review.debtors.loc[review.debtors["debtor_id"] == debtor_id].iloc[0]
    return DebtorFacts(
        debtor_id=debtor_id,
        name=_text(who["name"]),
        kind=_text(who["kind"]),
        status=_text(who["status"]),
        contact=_text(who["contact"]),
        phone=_text(who["phone"]),
        email=_text(who["email"]),
        segment=_text(over["segment"]),
        why=_text(over["why"]),
        risk=_text(over["risk"]),
        open_cents=int(over["open_cents"]),
        overdue_cents=int(over["overdue_cents"]),
        interest_cents=int(over["interest_cents"]),
        days_beyond_12m=_value(over["days_beyond_12m"]),
        early_warning=bool(over["early_warning"]),
        warning=_text(over["warning"]),
    )


def debtor_payments(register: Register, debtor_id: str, peildatum: date) -> tuple[PaymentLine, ...]:
    """The debtor's payments received on or before the peildatum, newest first (the review sees no later one)."""
    payments = register.payments
    mine = payments.loc[(payments["debtor_id"] == debtor_id) & (payments["payment_date"] <= pd.Timestamp(peildatum))]
    mine = mine.sort_values("payment_date", ascending=False, kind="stable")
    return tuple(
        PaymentLine(_value(r.payment_date), _text(r.invoice_id), int(r.amount_cents), _text(r.description))
        for r in mine.itertuples()
    )


def debtor_actions(register: Register, debtor_id: str) -> tuple[ActionLine, ...]:
    """The debtor's rows of the Acties log, newest first; every row, also one dated after the peildatum."""
    log = register.actions
    mine = log.loc[log["debtor_id"] == debtor_id].sort_values("action_date", ascending=False, kind="stable")
    return tuple(
        ActionLine(
            day=_value(r.action_date),
            kind=_text(r.kind),
            invoice_ids=_text(r.invoice_ids),
            description=_text(r.description),
            promised_cents=_int(r.promised_cents),
            promised_date=_value(r.promised_date),
            by=_text(r.by),
            document=_text(r.document),
        )
        for r in mine.itertuples()
    )


def debtor_dossier(register: Register, review: Review, debtor_id: str) -> DebtorDossier:
    """Everything the dossier shows of ``debtor_id`` (``register`` as read, ``review`` of it on its peildatum)."""
    invoices = review.ledger.invoices
    invoices = invoices.loc[invoices["debtor_id"] == debtor_id].sort_values(
        "invoice_date", ascending=False, kind="stable"
    )
    paid = review.behaviour.paid
    paid = paid.loc[paid["debtor_id"] == debtor_id].sort_values("paid_date", kind="stable")
    return DebtorDossier(
        facts=debtor_facts(register, review, debtor_id),
        steps=tuple(s for s in review.plan.steps if s.debtor_id == debtor_id),
        pauses=tuple(p for p in review.plan.pauses if p.debtor_id == debtor_id),
        invoices=invoices,
        payments=debtor_payments(register, debtor_id, review.peildatum),
        paid=tuple(PaidLine(d.date(), int(n)) for d, n in zip(paid["paid_date"], paid["days_to_pay"])),
        actions=debtor_actions(register, debtor_id),
    )
