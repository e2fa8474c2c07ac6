"""The one claim calculation as a letter takes it: its invoices through the letter date (6:43/6:44)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pandas as pd

from .dunning import (
    ProposedStep,
)
from .invoice_interest import debtor_claims
from .law.claims import InvoiceStatement
from .letters import (
    InvoiceLine,
)
from .money import cents_to_decimal
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
