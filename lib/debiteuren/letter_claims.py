"""The one claim calculation as a letter takes it: its invoices through the letter date (6:43/6:44).

Also the collection costs as parts the calculation takes (``business_cost_parts``: each part with the
day it became due, so 6:44 puts a later payment on it first), shared by the notice of default and the
hand-over so both run the same parts through the same calculation.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pandas as pd

from .dunning import ProposedStep
from .invoice_interest import debtor_claims
from .law.claims import InvoiceStatement
from .law.collection_costs import PER_INVOICE, Invoice
from .letters import InvoiceLine
from .money import cents_to_decimal, round_cents
from .register.model import Register
from .review import Review

ZERO = Decimal("0")


def text_or_empty(value) -> str:
    return "" if value is None or pd.isna(value) else str(value)


def claims_for_letter(
    register: Register, review: Review, step: ProposedStep, letter_date: date, costs=None
) -> dict[str, InvoiceStatement]:
    """invoice_id -> the one claim calculation (6:43 across invoices, 6:44 within) through ``letter_date``.

    The letter's own invoices, and, when the setting ``Rente op te laat betaalde facturen
    vorderen`` says ``ja``, the debtor's invoices paid late that still owe something by
    6:44 (interest the payment went to first, so principal is left). A consumer's first
    interest day is the first day of verzuim as the route counts it (``invoice_interest``).
    """
    statement = debtor_claims(
        register, review.ledger.invoices, step.debtor_id, letter_date, rates=review.rates, costs=costs
    )
    wanted = set(map(str, step.invoice_ids))
    claimed = {i.invoice_id: i for i in statement.invoices if i.invoice_id in wanted}
    if register.settings.claim_paid_late_interest:
        claimed |= {i.invoice_id: i for i in statement.claimable(paid_late=True) if i.claim.settled}
    return claimed


def costs_after_payments(costs: Decimal, vat: Decimal, paid: Decimal) -> tuple[Decimal, Decimal]:
    """(costs, VAT) still owed once payments put ``paid`` (VAT included) on them, taken off both in proportion.

    >>> costs_after_payments(Decimal("100"), Decimal("21"), Decimal("60.50"))
    (Decimal('50.00'), Decimal('10.50'))
    """
    if paid <= 0:
        return costs, vat
    paid_vat = round_cents(paid * vat / (costs + vat)) if vat else ZERO
    return costs - (paid - paid_vat), vat - paid_vat


def owed_interest(claims: dict[str, InvoiceStatement]) -> Decimal:
    """The interest still owed by 6:44 (charged through the letter date, less what payments put on it)."""
    return sum((c.outstanding_interest for c in claims.values()), ZERO)


def paid_late_lines(claims: dict[str, InvoiceStatement], invoices: pd.DataFrame, letter_date: date, state: str):
    """InvoiceLines for the claimed invoices paid late (not in ``invoices``): what 6:44 leaves owed on them."""
    ledger = invoices.set_index("invoice_id") if "invoice_id" in invoices else invoices
    lines = []
    for invoice_id, c in claims.items():
        if not c.claim.settled or invoice_id not in ledger.index:
            continue
        row = ledger.loc[invoice_id]
        lines.append(
            InvoiceLine(
                number=invoice_id,
                invoice_date=row["invoice_date"].date(),
                due_date=c.claim.due_date,
                amount=cents_to_decimal(int(row["amount_cents"])),
                open_amount=c.outstanding_principal,
                days_overdue=max((letter_date - c.claim.due_date).days, 0),
                state=state,
            )
        )
    return tuple(lines)


ONE_DAY = timedelta(days=1)


def spread_by_principal(amount: Decimal, shares: list[tuple[str, Decimal, date]]) -> dict[str, tuple[Decimal, date]]:
    """invoice_id -> (its part of ``amount`` by principal, rounded, the rest on the last; the day due).

    >>> spread_by_principal(Decimal("100"), [("A", Decimal("1"), date(2026, 1, 1)), ("B", Decimal("2"), date(2026, 1, 2))])
    {'A': (Decimal('33.33'), datetime.date(2026, 1, 1)), 'B': (Decimal('66.67'), datetime.date(2026, 1, 2))}
    """
    whole = sum((p for _, p, _ in shares), ZERO)
    if amount <= 0 or not shares:
        return {}
    out, given = {}, ZERO
    for n, (invoice_id, principal, day) in enumerate(shares):
        part = amount - given if n == len(shares) - 1 else (round_cents(amount * principal / whole) if whole else ZERO)
        out[invoice_id] = (part, day)
        given += part
    return out


def principal_through(register, review, step, day: date, cache: dict, costs=None) -> dict[str, Decimal]:
    """invoice_id -> the principal 6:44 leaves through ``day`` (the payments up to and including it), with
    ``costs`` (invoice_id -> parts) taking their share of the payments first."""
    if day not in cache:
        cache[day] = {
            c.invoice_id: c.outstanding_principal
            for c in debtor_claims(
                register, review.ledger.invoices, step.debtor_id, day, rates=review.rates, costs=costs
            ).invoices
        }
    return cache[day]


def day_after_due(invoice: Invoice) -> date:
    """The first day of a business debtor's verzuim without a notice (€ 40 per invoice; fatal terms)."""
    return invoice.due_date + ONE_DAY


def on_due_dates(register, review, step, invoices, cache: dict) -> list[Invoice]:
    """``invoices`` with the principal 6:44 leaves on each one's due date: the base of costs due the day after
    (a later payment goes to those costs first and cannot lower them)."""
    return [
        Invoice(
            i.invoice_id,
            principal_through(register, review, step, i.due_date, cache).get(i.invoice_id, i.principal),
            i.due_date,
        )
        for i in invoices
    ]


def flat_cost_parts(result, invoices, vat_pct) -> dict[str, list[tuple[Decimal, date]]]:
    """invoice_id -> [its € 40 (with VAT), due the day after its due date] of a business result (6:96 lid 4)."""
    return {i: parts[:1] for i, parts in business_cost_parts(result, invoices, vat_pct, day_after_due).items()}


def business_cost_parts(result, invoices, vat_pct, rest_from) -> dict[str, list[tuple[Decimal, date]]]:
    """invoice_id -> parts (amount incl. VAT, day due) of a business result: € 40 per invoice from the day
    after its due date (art. 6:96 lid 4 BW), the rest spread by principal from ``rest_from(invoice)``."""
    kept = [i for i in invoices if i.invoice_id in result.invoices]
    if not kept or result.costs <= 0:
        return {}
    flat = PER_INVOICE * len(kept)
    flat_total = flat + (round_cents(flat * vat_pct / 100) if result.vat else ZERO)
    parts: dict[str, list[tuple[Decimal, date]]] = {}
    for invoice_id, (amount, day) in spread_by_principal(
        flat_total, [(i.invoice_id, Decimal(1), day_after_due(i)) for i in kept]
    ).items():
        parts.setdefault(invoice_id, []).append((amount, day))
    for invoice_id, (amount, day) in spread_by_principal(
        result.costs + result.vat - flat_total, [(i.invoice_id, i.principal, rest_from(i)) for i in kept]
    ).items():
        parts.setdefault(invoice_id, []).append((amount, day))
    return parts
