"""From proposed dunning steps to letters: the amounts, terms and dossier each letter states.

A letter is dated the day it is made (``letter_date``, decided at the edge: the
command line's ``--briefdatum`` or today, the app's Briefdatum), never the
peildatum; its pay-by date, presumed delivery and interest count from that date.
One letter per debtor per day: each invoice keeps its own step (``InvoiceLine.state``)
and the collection costs go over the invoices at the letter's own step only.

- **Betalingsherinnering**: friendly; the open amounts only (no interest or costs
  yet), pay-by date the policy's term after the letter date (at most 7 days).
- **Ingebrekestelling**: the open amounts, the statutory interest up to the letter
  date, a term per the policy, extended under the Algemene termijnenwet. Consumer: no
  costs; it puts the consumer in verzuim, and the 14-day letter follows. Business
  (``_business_notice_costs``, the hand-over's cost parts from ``letter_claims``): € 40
  per invoice at its own step is owed from the day after its due date (6:96 lid 4), so
  it goes into the claim calculation as a cost part due from that day and a later
  payment goes to it first (6:44), as in the hand-over; the letter states it
  (``costs_due_now``), what payments paid of it (``costs_paid``), demands what is open
  of it with the principal and interest 6:44 leaves, and names as the consequence the
  staffel over that summed principal (never less than € 40 per invoice), due the day
  after the term: the hand-over after the term claims the same principal and costs.
  Fatal terms: the debtor is in verzuim since the day after each due date, so, as in
  the hand-over, the whole staffel (on the principal of the due date) is owed from
  then: the letter states it all as owed and demands what is open of it; passing the
  term adds no costs.
- **Veertiendagenbrief** (consumer, only in verzuim): the open amounts, interest up
  to the letter date, and the exact collection costs of the staffel over all claims
  at this step (with VAT when the settings say the creditor cannot deduct it); the
  term runs 14 days from the day after delivery. Refused (``LetterError``) when an
  invoice in it is not yet in verzuim on the letter date.
- **Overdracht** (Uit handen): the claim specification for the collection agency,
  from ``hand_over_figures``: per invoice the principal, the first interest day and
  its basis, interest per period with capitalisations, each payment as 6:43 and 6:44
  allocated it (to costs, interest, principal), the basis of the collection costs
  (business: € 40 per invoice from the day after its due date, the staffel above it
  from the first day of verzuim: fatal terms or a notice of default whose term has
  passed; consumer: only valid 14-day letters whose term has passed)
  with the VAT statement when VAT is charged, a prescription check per invoice, and
  the dossier. The letter, its PDF and the Acties row state the same figures.

Interest and principal come from the one claim calculation (``invoice_interest.debtor_claims``,
:mod:`debiteuren.law.claims`) through the letter date: payments go by 6:43 across the
debtor's invoices and by 6:44 within each, so the principal a letter claims is what
6:44 leaves (more than the ledger's open amount when a payment went to interest first)
and the interest is what is still owed. A consumer's first interest day is the first
day of verzuim as the route counts it. Interest on invoices paid late is claimed (as
extra lines, never a base of the costs) only when the setting ``Rente op te laat
betaalde facturen vorderen`` says ``ja``. Tasks (a phone call, filing with the
trustee) are not letters.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

import pandas as pd

from .dunning import (
    CALL,
    FOURTEEN_DAY_LETTER,
    HAND_OVER,
    NOTICE_OF_DEFAULT,
    REMINDER,
    ProposedStep,
    consumer_verzuim_days,
    step_term_end,
    term_days_for,
)
from .dutch import format_date
from .hand_over import hand_over_figures
from .law.collection_costs import (
    CollectionCosts,
    Invoice,
    business_collection_costs,
    collection_costs,
)
from .letter_claims import (
    ZERO,
    business_cost_parts,
    claims_for_letter,
    costs_after_payments,
    day_after_due,
    flat_cost_parts,
    on_due_dates,
    owed_interest,
    paid_late_lines,
    text_or_empty,
)
from .letters import (
    ACTION_KINDS,
    KIND_LABELS,
    Company,
    Debtor,
    InvoiceLine,
    Letter,
    LetterError,
)
from .money import cents_to_decimal, format_eur
from .register.model import Register
from .review import Review

LETTER_KINDS = {
    REMINDER: "betalingsherinnering",
    NOTICE_OF_DEFAULT: "ingebrekestelling",
    FOURTEEN_DAY_LETTER: "veertiendagenbrief",
    HAND_OVER: "overdracht",
}


def is_letter(step: ProposedStep) -> bool:
    return step.action in LETTER_KINDS


def not_a_letter_reason(step: ProposedStep) -> str:
    if step.action == CALL:
        return "Een telefoongesprek is een taak, geen brief: leg het gesprek vast in het dossier (blad Acties)."
    return f"'{step.action}' is een taak, geen brief."


def debtor_record(row: pd.Series) -> Debtor:
    return Debtor(
        number=str(row["debtor_id"]),
        name=str(row["name"]),
        contact=text_or_empty(row.get("contact")),
        address=text_or_empty(row.get("address")),
        postcode=text_or_empty(row.get("postcode")),
        city=text_or_empty(row.get("city")),
        country=text_or_empty(row.get("country")) or "NL",
        language=text_or_empty(row.get("language")) or "nl",
        kind=str(row["kind"]),
        salutation=text_or_empty(row.get("salutation")),
    )


def build_letter(
    register: Register, review: Review, step: ProposedStep, letter_date: date
) -> tuple[Letter, tuple[str, ...]]:
    """The Letter a proposed step asks for, dated ``letter_date``, and Dutch notes (e.g. a copy not enclosed).

    ``letter_date`` is the day the letter is made and sent (the edge decides it, never
    the peildatum): the pay-by date, presumed delivery and interest count from it.
    Each invoice keeps its own step (one letter per debtor per day); collection costs
    are computed over the invoices at the letter's own step only. Raises
    ``LetterError`` for a consumer's 14-day letter that would go out before an
    invoice in it is in verzuim: such a letter cannot make the costs due.
    """
    kind = LETTER_KINDS[step.action]
    settings = register.settings
    debtor_row = register.debtor(step.debtor_id)
    consumer = str(debtor_row["kind"]) == "consument"
    invoices = review.invoices_by_id.loc[list(step.invoice_ids)]
    state_of = {c.invoice_id: c.action for c in step.claim_states()}
    claims = claims_for_letter(register, review, step, letter_date) if step.action != REMINDER else {}
    notice_costs = None
    if step.action == NOTICE_OF_DEFAULT and not consumer:
        # The € 40 per invoice (all the costs, with fatal terms) is owed before this letter: payments
        # go to it first (6:44), so the principal and interest come from the calculation with it.
        own_ids = [str(i) for i in step.invoice_ids if state_of.get(str(i), step.action) == step.action]
        claims, notice_costs = _business_notice_costs(register, review, step, own_ids, claims, letter_date)
    lines = tuple(
        InvoiceLine(
            number=str(invoice_id),
            invoice_date=row["invoice_date"].date(),
            due_date=row["due_date"].date(),
            amount=cents_to_decimal(int(row["amount_cents"])),
            # By 6:44 a payment went to interest before principal: the principal still owed.
            open_amount=(
                claims[str(invoice_id)].outstanding_principal
                if str(invoice_id) in claims
                else cents_to_decimal(int(row["open_cents"]))
            ),
            days_overdue=max((letter_date - row["due_date"].date()).days, 0),
            state=state_of.get(str(invoice_id), step.action),
        )
        for invoice_id, row in invoices.iterrows()
    )
    # The lines this letter's own step is about: the base of its collection costs.
    own = [line for line in lines if line.state == step.action]
    policy_term = term_days_for(register.policy, step.action)
    pay_by = step_term_end(step.action, letter_date, policy_term) if step.action != HAND_OVER else letter_date
    vat_pct = settings.vat_pct if settings.collection_costs_vat else None

    interest = ZERO
    costs = vat = ZERO
    claim = None
    attachments, notes = _attachments(register, invoices)
    if kind != "betalingsherinnering":
        interest = owed_interest(claims)
        # Invoices paid late are claimed (setting) after the letter's own; never a base of the costs.
        lines += paid_late_lines(claims, review.ledger.invoices, letter_date, step.action)
    due_now = paid = ZERO
    in_default = False
    if notice_costs is not None:
        bills = [Invoice(line.number, line.open_amount, line.due_date) for line in own]
        if notice_costs.in_default:
            result = notice_costs.result
        else:
            # The staffel becomes due the day after the term, on the principal 6:44 leaves then (the
            # € 40 per invoice took its part of the payments first): as the hand-over will count it.
            result = business_collection_costs(bills, pay_by, in_default=True, vat_pct=vat_pct)
        due_now, paid, in_default = notice_costs.due_now, notice_costs.paid, notice_costs.in_default
        costs, vat = costs_after_payments(result.costs, result.vat, paid)
    elif kind == "veertiendagenbrief":
        _check_in_verzuim(register, review, step, [line.number for line in own], letter_date)
        result = collection_costs(sum((line.open_amount for line in own), ZERO), vat_pct=vat_pct)
        costs, vat = result.costs, result.vat
    elif kind == "overdracht":
        figures = hand_over_figures(register, review, step, letter_date)
        interest, costs, vat, claim = figures.interest, figures.costs, figures.vat, figures.specification
        left = dict(figures.principal_left)
        lines = tuple(
            dataclasses.replace(line, open_amount=left[line.number]) if line.number in left else line for line in lines
        )
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
        costs_due_now=due_now,
        costs_paid=paid,
        in_default=in_default,
        claim=claim,
        attachments=attachments,
    )
    return letter, notes


@dataclass(frozen=True)
class NoticeCosts:
    """The collection costs of a business notice of default that are due on its date."""

    due_now: Decimal  # VAT included, before payments
    paid: Decimal  # what payments made after they became due put on them (6:44)
    in_default: bool  # fatal terms: in verzuim since the day after each due date, all costs due
    result: CollectionCosts  # the costs due now (with fatal terms: all of them)


def _business_notice_costs(
    register: Register, review: Review, step: ProposedStep, own_ids, claims, letter_date: date
) -> tuple[dict, NoticeCosts]:
    """(the claims with the costs due on ``letter_date`` run through 6:44, those costs) for a business notice.

    The same parts as the hand-over (``letter_claims.business_cost_parts``): € 40 per invoice from the
    day after its due date, without any reminder (art. 6:96 lid 4 BW). With fatal terms the debtor
    is in verzuim from that day too (art. 6:83 sub a BW), so the hand-over makes the whole staffel due
    from it, on the principal of the due date; the notice then states the same: all the costs are
    already owed and part of what it demands, and passing its term adds no costs, only the
    hand-over. Not fatal: the staffel above the € 40 needs the verzuim this notice brings about, so
    it is the consequence the notice names. Only the invoices at the notice's own step carry costs
    (those at an earlier step in the same letter are reminded, and a reminder claims none).
    """
    vat_pct = register.settings.vat_pct if register.settings.collection_costs_vat else None
    rows = review.invoices_by_id
    bills = [
        Invoice(
            i,
            claims[i].outstanding_principal if i in claims else cents_to_decimal(int(rows.loc[i, "open_cents"])),
            rows.loc[i, "due_date"].date(),
        )
        for i in own_ids
    ]
    fatal = register.settings.terms_are_fatal
    if fatal:
        # The hand-over's base: the principal on each due date, before any cost was owed.
        bills = on_due_dates(register, review, step, bills, {})
        result = business_collection_costs(bills, letter_date, in_default=True, vat_pct=vat_pct)
        parts = business_cost_parts(result, bills, vat_pct, day_after_due)
    else:
        result = business_collection_costs(bills, letter_date, in_default=False, vat_pct=vat_pct)
        parts = flat_cost_parts(result, bills, vat_pct)
    claims = claims_for_letter(register, review, step, letter_date, costs=parts)
    paid = sum((claims[i].result.costs_paid for i in parts if i in claims), ZERO)
    return claims, NoticeCosts(result.costs + result.vat, paid, fatal, result)


def _check_in_verzuim(register: Register, review: Review, step: ProposedStep, invoice_ids, letter_date: date) -> None:
    """A consumer's 14-day letter only for invoices in verzuim on its date (art. 6:96 lid 6 BW)."""
    frame = review.invoices_by_id.loc[list(invoice_ids)].reset_index()
    starts = consumer_verzuim_days(register, frame, letter_date)
    late = [i for i in invoice_ids if i not in starts or starts[i] > letter_date]
    if late:
        raise LetterError(
            [
                f"Brief aan debiteur {step.debtor_id!r}: een veertiendagenbrief van {format_date(letter_date)} kan geen "
                f"incassokosten opeisen voor factuur {', '.join(late)}: de consument is daarvoor op die dag nog niet in "
                "verzuim (art. 6:96 lid 6 BW). Stuur eerst een ingebrekestelling, of kies een latere briefdatum."
            ]
        )


def log_entries(step: ProposedStep, letter: Letter) -> list[tuple[str, tuple[str, ...], str]]:
    """(Acties Soort, invoices, Dutch description) per step the letter took: its own first, then the others.

    A letter that lists invoices at an earlier step (one letter per debtor per day) is
    logged for those as that step, so the log says exactly where each invoice stands.
    """
    own = ACTION_KINDS[letter.kind]
    main = f"{KIND_LABELS[letter.kind]} verstuurd; te betalen {format_eur(letter.amount_to_pay)}"
    if letter.kind != "overdracht":
        main += f" uiterlijk {format_date(letter.pay_by)}"
    if letter.kind == "overdracht":  # every invoice in it goes to the collection agency, with the same figures
        vat = f" + btw {format_eur(letter.collection_costs_vat)}" if letter.collection_costs_vat else ""
        main = (
            f"{KIND_LABELS[letter.kind]} verstuurd; vordering {format_eur(letter.total_due)}: hoofdsom "
            f"{format_eur(letter.principal)}, rente {format_eur(letter.interest)}, incassokosten "
            f"{format_eur(letter.collection_costs)}{vat}"
        )
        return [(own, tuple(step.invoice_ids), main)]
    by_state: dict[str, list[str]] = {}
    for claim in step.claim_states():
        by_state.setdefault(claim.action, []).append(claim.invoice_id)
    entries = [(own, tuple(by_state.pop(step.action, ())), main)]
    for action, ids in by_state.items():
        entries.append((action, tuple(ids), f"{action} in de {KIND_LABELS[letter.kind].lower()} van deze datum."))
    return [e for e in entries if e[1]]


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
