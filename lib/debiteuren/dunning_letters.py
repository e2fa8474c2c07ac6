"""From proposed dunning steps to letters: the amounts, terms and dossier each letter states.

- **Betalingsherinnering**: friendly; the open amounts only (no interest or costs
  yet), pay-by date the policy's term after the letter date (at most 7 days).
- **Ingebrekestelling** (business): the open amounts, the statutory commercial
  interest up to the letter date, and the collection costs that become due when
  the term passes (the staffel over the summed principal, never less than € 40
  per invoice); term per the policy, extended under the Algemene termijnenwet.
- **Veertiendagenbrief** (consumer): the open amounts, interest up to the letter
  date if the consumer is already in default, and the exact collection costs of
  the staffel over all claims in the letter (with VAT when the settings say the
  creditor cannot deduct it); the term runs 14 days from the day after delivery.
- **Overdracht** (Uit handen): the claim specification for the collection agency:
  interest per period for each invoice, the payments received, the dossier.

Interest per invoice runs from its first interest day in the review (see
``invoice_interest``) to the letter date, exactly, with the claim calculator.
Tasks (a phone call, filing with the trustee) are not letters.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pandas as pd

from .dunning import CALL, FOURTEEN_DAY_LETTER, HAND_OVER, NOTICE_OF_DEFAULT, REMINDER, ProposedStep, step_term_end
from .law.collection_costs import Invoice, business_collection_costs, collection_costs
from .law.interest import calculate_interest
from .letters import ActionLine, ClaimSpecification, Company, Debtor, InterestPeriod, InvoiceLine, Letter, PaymentLine
from .money import cents_to_decimal, round_cents
from .register.model import Register
from .review import Review

LETTER_KINDS = {
    REMINDER: "betalingsherinnering",
    NOTICE_OF_DEFAULT: "ingebrekestelling",
    FOURTEEN_DAY_LETTER: "veertiendagenbrief",
    HAND_OVER: "overdracht",
}
ZERO = Decimal("0")


def is_letter(step: ProposedStep) -> bool:
    return step.action in LETTER_KINDS


def not_a_letter_reason(step: ProposedStep) -> str:
    if step.action == CALL:
        return "Een telefoongesprek is een taak, geen brief: leg het gesprek vast in het dossier (blad Acties)."
    return f"'{step.action}' is een taak, geen brief."


def _text(value) -> str:
    return "" if value is None or pd.isna(value) else str(value)


def debtor_record(row: pd.Series) -> Debtor:
    return Debtor(
        number=str(row["debtor_id"]),
        name=str(row["name"]),
        contact=_text(row.get("contact")),
        address=_text(row.get("address")),
        postcode=_text(row.get("postcode")),
        city=_text(row.get("city")),
        country=_text(row.get("country")) or "NL",
        language=_text(row.get("language")) or "nl",
        kind=str(row["kind"]),
        salutation=_text(row.get("salutation")),
    )


def _interest_results(review: Review, invoice_ids, letter_date: date, register: Register):
    """invoice_id -> InterestResult from its first interest day to the letter date (or None)."""
    rows = review.interest_by_id
    results = {}
    for invoice_id in invoice_ids:
        if invoice_id not in rows.index:
            continue
        row = rows.loc[invoice_id]
        first = row["first_interest_day"]
        if pd.isna(first) or first.date() > letter_date or row["open_cents"] <= 0:
            continue
        results[invoice_id] = calculate_interest(
            cents_to_decimal(int(row["open_cents"])),
            first.date(),
            letter_date,
            str(row["interest_kind"]),
            rates=review.rates,
            compound=register.settings.compound_interest,
            rounding=register.settings.interest_rounding,
        )
    return results


def build_letter(
    register: Register, review: Review, step: ProposedStep, letter_date: date
) -> tuple[Letter, tuple[str, ...]]:
    """The Letter a proposed step asks for, dated ``letter_date``, and Dutch notes (e.g. a copy not enclosed)."""
    kind = LETTER_KINDS[step.action]
    settings = register.settings
    debtor_row = register.debtor(step.debtor_id)
    invoices = review.invoices_by_id.loc[list(step.invoice_ids)]
    lines = tuple(
        InvoiceLine(
            number=str(invoice_id),
            invoice_date=row["invoice_date"].date(),
            due_date=row["due_date"].date(),
            amount=cents_to_decimal(int(row["amount_cents"])),
            open_amount=cents_to_decimal(int(row["open_cents"])),
            days_overdue=max((letter_date - row["due_date"].date()).days, 0),
        )
        for invoice_id, row in invoices.iterrows()
    )
    policy_term = next((s.term_days for s in register.policy if s.action == step.action), None)
    pay_by = step_term_end(step.action, letter_date, policy_term) if step.action != HAND_OVER else letter_date
    vat_pct = settings.vat_pct if settings.collection_costs_vat else None
    principal = sum((line.open_amount for line in lines), ZERO)

    interest = ZERO
    costs = vat = ZERO
    claim = None
    attachments, notes = _attachments(register, invoices)
    if kind != "betalingsherinnering":
        results = _interest_results(review, step.invoice_ids, letter_date, register)
        interest = sum((r.interest for r in results.values()), ZERO)
    if kind == "ingebrekestelling":
        claims = [Invoice(line.number, line.open_amount, line.due_date) for line in lines]
        result = business_collection_costs(claims, pay_by, in_default=True, vat_pct=vat_pct)
        costs, vat = result.costs, result.vat
    elif kind == "veertiendagenbrief":
        result = collection_costs(principal, vat_pct=vat_pct)
        costs, vat = result.costs, result.vat
    elif kind == "overdracht":
        claim = _claim_specification(register, step, results)
        claims = [Invoice(line.number, line.open_amount, line.due_date) for line in lines]
        if str(debtor_row["kind"]) == "zakelijk":
            result = business_collection_costs(claims, letter_date, in_default=True, vat_pct=vat_pct)
            costs, vat = result.costs, result.vat
    letter = Letter(
        kind=kind,
        company=Company.from_settings(settings),
        debtor=debtor_record(debtor_row),
        letter_date=letter_date,
        pay_by=pay_by,
        invoices=lines,
        interest=interest,
        collection_costs=costs,
        collection_costs_vat=vat,
        claim=claim,
        attachments=attachments,
    )
    return letter, notes


def _attachments(register: Register, invoices: pd.DataFrame) -> tuple[tuple[Path, ...], tuple[str, ...]]:
    """Invoice PDFs the register names (Factuurbestand), and notes on those not enclosed.

    Only files inside the register's own folder are enclosed: a path in a cell
    must never pull an arbitrary file from the computer into a letter.
    """
    if register.source is None or "invoice_file" not in invoices:
        return (), ()
    folder = register.source.resolve().parent
    found, notes = [], []
    for invoice_id, name in invoices["invoice_file"].dropna().items():
        path = (folder / str(name)).resolve()
        if not path.is_relative_to(folder):
            notes.append(f"Factuur {invoice_id}: '{name}' staat buiten de map van het register en is niet bijgevoegd.")
        elif not path.is_file():
            notes.append(f"Factuur {invoice_id}: het bestand '{name}' bestaat niet en is niet bijgevoegd.")
        elif path.suffix.lower() != ".pdf":
            notes.append(f"Factuur {invoice_id}: '{name}' is geen PDF en is niet bijgevoegd.")
        else:
            found.append(path)
    return tuple(found), tuple(notes)


def _claim_specification(register: Register, step: ProposedStep, results) -> ClaimSpecification:
    periods = tuple(
        # Segments are exact under rounding 'einde'; the specification shows them in cents.
        InterestPeriod(s.start, s.end, s.days, s.rate_pct, round_cents(s.base), round_cents(s.interest))
        for result in results.values()
        for s in result.segments
        if s.days > 0
    )
    payments = register.payments.loc[register.payments["debtor_id"] == step.debtor_id]
    # Payments as booked in the register (to principal); the allocation per 6:44 is the calculator's.
    payment_lines = tuple(
        PaymentLine(row.payment_date.date(), cents_to_decimal(int(row.amount_cents)), ZERO, ZERO,
                    cents_to_decimal(int(row.amount_cents)))
        for row in payments.itertuples(index=False)
        if not pd.isna(row.invoice_id) and str(row.invoice_id) in step.invoice_ids
    )
    actions = register.actions.loc[register.actions["debtor_id"] == step.debtor_id]
    action_lines = tuple(
        ActionLine(row.action_date.date(), str(row.kind), _text(row.description))
        for row in actions.sort_values("action_date", kind="stable").itertuples(index=False)
    )
    return ClaimSpecification(interest_periods=periods, payments=payment_lines, actions=action_lines)
