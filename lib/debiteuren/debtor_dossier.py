"""One debtor's dossier: what the register and the review hold about them, as the dossier view shows it.

``debtor_dossier(register, review, debtor_id)`` picks the debtor's facts, the plan's steps and
pauses, invoices (newest first), payments received on or before the peildatum (newest first),
the days to pay of each paid invoice (oldest first, the chart's order) and the Acties log
(newest first). Register cells that are empty are ``None`` in the records, never NaN or NaT,
so a view writes them as empty cells without testing pandas' kinds of missing.

``entry_rows(entry)`` is the other way: what the controller records in the dossier (a call, a
promise to pay, an arrangement, an e-mail, a note) as the Acties row and, for an arrangement,
the Regelingen rows the write-back appends; ``EntryInvalid`` (Dutch) when something is missing.

>>> rows = entry_rows(DossierEntry("1001", PROMISE, date(2026, 11, 2), promised_amount="1.250,50",
...                                promised_date=date(2026, 11, 13)))
>>> rows.actions.iloc[0][["Soort", "Omschrijving", "Toegezegd bedrag"]].tolist()
['Betalingsbelofte', 'Belooft € 1.250,50 te betalen op 13-11-2026.', Decimal('1250.50')]
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pandas as pd

from .dunning import Pause, ProposedStep
from .dutch import format_date
from .errors import InvalidInput
from .money import format_eur, read_entered_amount
from .register.model import Register
from .review import Review
from .task_outcomes import ACTION_COLUMNS, ARRANGEMENT_COLUMNS, OutcomeRows

# What the controller can record in the dossier: Acties kinds.
CALL = "Telefoongesprek"
PROMISE = "Betalingsbelofte"
ARRANGEMENT = "Betalingsregeling"
NOTE = "Notitie"
EMAIL = "E-mail"
ENTRY_KINDS = (CALL, PROMISE, ARRANGEMENT, EMAIL, NOTE)


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


class EntryInvalid(InvalidInput):
    """The dossier entry cannot be recorded as given; the message is Dutch."""


@dataclass(frozen=True)
class DossierEntry:
    """What the controller records for a debtor, as typed: amounts as text (read here, so the first
    problem in the form's order is the one reported), instalments as the form's rows (due date, amount)."""

    debtor_id: str
    kind: str  # one of ENTRY_KINDS
    day: date | None
    description: str = ""
    invoice_ids: str = ""  # empty: all open invoices
    by: str = ""
    promised_amount: str = ""
    promised_date: date | None = None
    instalments: tuple[tuple[date | None, str], ...] = ()


def _instalments(entry: DossierEntry) -> list[tuple[int, date, Decimal]]:
    """The filled rows with their row number; a half-filled row is refused, an empty one skipped."""
    filled = []
    for n, (due, amount) in enumerate(entry.instalments, start=1):
        given = due is not None, bool(amount.strip())
        if given == (False, False):
            continue
        if not all(given):
            raise EntryInvalid(f"Termijn {n}: vul zowel de vervaldatum als het bedrag in.")
        filled.append((n, due, read_entered_amount(amount, f"Termijn {n}")))
    if not filled:
        raise EntryInvalid("Een betalingsregeling heeft ten minste één termijn (vervaldatum en bedrag).")
    return filled


def entry_rows(entry: DossierEntry) -> OutcomeRows:
    """The Acties row of ``entry`` and, for an arrangement, its Regelingen rows (numbered 1, 2...).

    A promise without a description says what was promised; an arrangement's description starts
    with its instalments (``termijn n``: the form's row). Raises ``EntryInvalid`` or ``AmountError``.
    """
    if entry.day is None:
        raise EntryInvalid("Vul de datum in.")
    text = entry.description.strip()
    promised_amount = promised_date = None
    arrangements = None
    if entry.kind == PROMISE:
        if not entry.promised_amount.strip() or entry.promised_date is None:
            raise EntryInvalid("Een betalingsbelofte heeft een toegezegd bedrag en een toegezegde datum.")
        promised_amount = read_entered_amount(entry.promised_amount, "Toegezegd bedrag")
        promised_date = entry.promised_date
        text = text or f"Belooft {format_eur(promised_amount)} te betalen op {format_date(promised_date)}."
    elif entry.kind == ARRANGEMENT:
        terms = _instalments(entry)
        parts = [f"termijn {n} op {format_date(due)} {format_eur(amount)}" for n, due, amount in terms]
        count = f"{len(parts)} termijn{'en' if len(parts) != 1 else ''}"
        text = f"Betalingsregeling in {count}: {'; '.join(parts)}. {text}".strip()
        arrangements = pd.DataFrame(
            [(entry.debtor_id, i, due, amount) for i, (_, due, amount) in enumerate(terms, start=1)],
            columns=list(ARRANGEMENT_COLUMNS),
            dtype=object,
        )
    elif not text:
        raise EntryInvalid(f"Schrijf in Omschrijving wat er is besproken ({entry.kind}).")
    row = {
        "Datum": entry.day,
        "Debiteurnummer": entry.debtor_id,
        "Factuurnummers": entry.invoice_ids.strip() or None,
        "Soort": entry.kind,
        "Omschrijving": text,
        "Toegezegd bedrag": promised_amount,
        "Toegezegde datum": promised_date,
        "Door": entry.by.strip() or None,
    }
    return OutcomeRows(pd.DataFrame([row], columns=list(ACTION_COLUMNS), dtype=object), arrangements)
