"""A short Dutch account of what a register holds, for `debiteuren controleer`."""

from __future__ import annotations

from ..dutch import format_date
from ..money import format_eur
from .model import Register


def register_summary(register: Register) -> str:
    """Counts and totals of the register's sheets, in Dutch."""
    debtors = register.debtors
    invoices = register.invoices
    credit = invoices["amount_cents"] < 0
    kinds = debtors["kind"].value_counts()
    lines = [
        f"Debiteuren: {len(debtors)} ({kinds.get('zakelijk', 0)} zakelijk, {kinds.get('consument', 0)} consument)",
        f"Facturen: {int((~credit).sum())} voor {format_eur(int(invoices.loc[~credit, 'amount_cents'].sum()), cents=True)}"
        f"; creditnota's: {int(credit.sum())} voor {format_eur(int(-invoices.loc[credit, 'amount_cents'].sum()), cents=True)}",
        f"Betalingen: {len(register.payments)} voor {format_eur(int(register.payments['amount_cents'].sum()), cents=True)}",
        f"Acties in het logboek: {len(register.actions)}",
        f"Betalingsregelingen: {register.arrangements['debtor_id'].nunique()}",
    ]
    if len(invoices):
        first, last = invoices["invoice_date"].min(), invoices["invoice_date"].max()
        lines.append(f"Factuurdata van {format_date(first)} tot en met {format_date(last)}")
    return "\n".join(lines)
