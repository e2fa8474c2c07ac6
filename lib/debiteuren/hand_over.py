"""The hand-over to the collection agency: interest, collection costs and the claim specification.

``hand_over_figures`` is the one place the overdracht letter, its PDF and the Acties row get their figures
from (see ``dunning_letters`` for what the letter states).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields, replace
from datetime import date
from decimal import Decimal

import pandas as pd

from .dunning import ProposedStep, consumer_verzuim
from .dutch import format_date
from .hand_over_costs import (
    CostsPaidFirst,
    FourteenDayLetter,
    NoFourteenDayLetter,
    NoticeOfDefault,
    NotInDefault,
    Staffel,
    StrictTerms,
    VatOnCosts,
    business_hand_over_costs,
    consumer_hand_over_costs,
)
from .invoice_prescription import prescription_per_invoice
from .law.collection_costs import Invoice
from .letter_claims import ZERO, claims_for_letter, costs_after_payments, owed_interest, text_or_empty
from .letters import (
    ActionLine,
    ClaimSpecification,
    InterestPeriod,
    PaymentLine,
)
from .money import cents_to_decimal, format_eur, round_cents
from .register.model import Register
from .review import Review


@dataclass(frozen=True)
class HandOverFigures:
    """What the overdracht letter, its claim specification and the log state about the claim.

    One function makes them (``hand_over_figures``), so a better calculation (6:44 per
    payment) replaces it in one place.
    """

    interest: Decimal
    costs: Decimal
    vat: Decimal
    specification: ClaimSpecification
    # invoice_id -> principal still owed by 6:44 once the costs took their part of later payments
    principal_left: tuple[tuple[str, Decimal], ...] = ()


def hand_over_figures(register: Register, review: Review, step: ProposedStep, letter_date: date) -> HandOverFigures:
    """Interest to ``letter_date``, collection costs and the claim specification for handing ``step`` over.

    Business debtor: € 40 per invoice, and the staffel over the summed principal (never
    less than € 40 per invoice) once in verzuim: with fatal terms since the due date,
    otherwise after a notice of default's term (``business_hand_over_costs``). Consumer: the costs of each valid 14-day
    letter (sent on or after the first day of verzuim of every invoice it covers)
    whose term has passed, over the principal of its invoices in this hand-over.
    """
    settings = register.settings
    vat_pct = settings.vat_pct if settings.collection_costs_vat else None
    claimed = claims_for_letter(register, review, step, letter_date)
    interest = owed_interest(claimed)
    invoices = review.invoices_by_id.loc[list(step.invoice_ids)]
    # The principal still owed by 6:44 (a payment went to interest first): the base of the costs.
    claims = [
        Invoice(
            str(i),
            claimed[str(i)].outstanding_principal if str(i) in claimed else cents_to_decimal(int(row["open_cents"])),
            row["due_date"].date(),
        )
        for i, row in invoices.iterrows()
    ]
    if step.kind == "zakelijk":
        costs, vat, basis, due = business_hand_over_costs(register, review, step, claims, letter_date, vat_pct)
    else:
        costs, vat, basis, due = consumer_hand_over_costs(register, review, step, claims, letter_date, vat_pct)
    if due:
        # 6:44: a payment made once the costs were due goes to them first; the costs' base
        # (the principal above) stays as computed before them.
        claimed = claims_for_letter(register, review, step, letter_date, costs=due)
        interest = owed_interest(claimed)
        paid = sum((claimed[i].result.costs_paid for i in due if i in claimed), ZERO)
        if paid > 0:
            costs, vat = costs_after_payments(costs, vat, paid)
            basis += (CostsPaidFirst(paid, costs + vat),)
    if vat > 0:
        basis += (VatOnCosts(vat_pct, vat),)
    results = {i: c.result for i, c in claimed.items() if any(s.days > 0 for s in c.result.segments)}
    lines = _interest_lines(register, review, step, results, letter_date, claimed)
    prescription = _prescription_lines(register, review, step, letter_date)
    specification = claim_specification(register, step, claimed, render(basis), render(lines), render(prescription))
    # The same lines in English, for when the hand-over letter is asked for in English.
    specification = replace(
        specification,
        costs_basis_en=render(basis, "en"),
        interest_basis_en=render(lines, "en"),
        prescription_en=render(prescription, "en"),
    )
    left = tuple((i, c.outstanding_principal) for i, c in claimed.items())
    return HandOverFigures(interest, costs, vat, specification, left)


# The lines of the claim specification that say why: each decision (which basis an invoice's interest
# rests on, its prescription; in hand_over_costs which costs basis applies) is taken once into a record,
# and each language's sentence is made from that record by the table ``_SENTENCES``: the Dutch and the
# English line state the same facts by construction.


@dataclass(frozen=True)
class InterestStart:
    """An invoice of the hand-over: its principal, and from when and on what its interest runs.

    ``basis``: 'due_date' (business, art. 6:119a lid 1 BW), 'strict_term' (consumer, fatal terms, art. 6:83
    sub a BW), 'notice' (consumer, after the term of the ``letter_kind`` sent on ``sent``, art. 6:82 BW) or
    'not_in_default' (consumer, no interest). ``first_day`` None: no interest yet on ``letter_date``.
    """

    invoice_id: str
    principal: Decimal
    left: Decimal | None  # the principal payments left by 6:44, when they took some
    basis: str
    due_date: date
    letter_date: date
    first_day: date | None = None
    letter_kind: str = ""  # the Soort in Acties (Dutch)
    sent: date | None = None


@dataclass(frozen=True)
class PaidLate:
    """An invoice paid late, not in the hand-over, on which 6:44 leaves something owed."""

    invoice_id: str
    principal: Decimal
    due_date: date
    interest: Decimal
    interest_paid: Decimal
    principal_left: Decimal
    interest_left: Decimal


@dataclass(frozen=True)
class Capitalisation:
    """A year's unpaid interest added to the base on ``day`` (``article``: 6:119 lid 2 or 6:119a lid 3 BW)."""

    invoice_id: str
    day: date
    amount: Decimal
    article: str


@dataclass(frozen=True)
class Prescription:
    """An invoice's prescription on the letter date (law/prescription): prescribed or the day it will be."""

    invoice_id: str
    prescribed: bool
    prescribed_on: date
    article: str
    years: int
    due_date: date
    interrupted: date | None  # the last interruption (stuiting), if any


@dataclass(frozen=True)
class InterestPrescription:
    """Interest on the invoice that became due before ``before`` may be prescribed (art. 3:308 BW)."""

    invoice_id: str
    before: date


_CIVIL_CODE = "of the Dutch Civil Code"
# One sentence per record kind (and variant) per language; fields as ``_values`` gives them.
_SENTENCES = {
    "nl": {
        "head": "Factuur {invoice_id}: hoofdsom {principal}",
        "left": ", na betalingen (art. 6:44 BW) nog {left}",
        "due_date": "de dag na de vervaldatum {due_date} (art. 6:119a lid 1 BW)",
        "strict_term": "de dag na de vervaldatum {due_date}, een fatale betaaltermijn (art. 6:83 sub a BW)",
        "notice": "de eerste dag van verzuim, na de termijn van de {letter_kind} van {sent} (art. 6:82 BW)",
        "not_in_default": "{head}; geen rente: de consument is voor deze factuur niet in verzuim.",
        "not_yet": "{head}; nog geen rente op {letter_date}: die begint op {why}.",
        "first_day": "{head}; eerste rentedag {first_day}: {why}.",
        "paid_late": "Factuur {invoice_id}: te laat betaald (hoofdsom {principal}, vervaldatum {due_date}); rente "
        "{interest}, waarvan de betalingen {interest_paid} voldeden (art. 6:44 BW): nog verschuldigd hoofdsom "
        "{principal_left} en rente {interest_left}.",
        "capitalisation": "Factuur {invoice_id}: op {day} is {amount} rente bij de hoofdsom gevoegd ({article}).",
        "since": ", gestuit op {interrupted}",
        "prescribed": "Factuur {invoice_id}: verjaard sinds {prescribed_on} ({article}, {years} jaar na de "
        "vervaldatum {due_date}{since}).",
        "not_prescribed": "Factuur {invoice_id}: niet verjaard; verjaart op {prescribed_on} ({article}, {years} jaar "
        "na de vervaldatum {due_date}{since}).",
        "interest_prescription": "Factuur {invoice_id}: rente die vóór {before} opeisbaar werd, kan verjaard zijn "
        "(art. 3:308 BW).",
        "business_not_in_default": "Factuur {invoice_ids}: geen ingebrekestelling waarvan de termijn vóór "
        "{letter_date} verstreek, en de betaaltermijnen zijn niet fataal: de debiteur is niet in verzuim (art. 6:82 "
        "BW) en is alleen {flat} per factuur verschuldigd, vanaf de dag na de vervaldatum. {explanation}",
        "strict_terms": "Fatale betaaltermijnen: de debiteur is in verzuim vanaf de dag na elke vervaldatum "
        "(art. 6:83 sub a BW); de incassokosten zijn vanaf die dag verschuldigd, over de hoofdsom op de "
        "vervaldatum.\n{explanation}",
        "notice_of_default": "Ingebrekestelling van {sent} (termijn tot en met {end}) voor factuur {invoice_ids}: in "
        "verzuim vanaf {default_from} (art. 6:82 BW). {flat} per factuur is verschuldigd vanaf de dag na de "
        "vervaldatum (art. 6:96 lid 4 BW), de staffel daarboven vanaf de eerste dag van verzuim, over de hoofdsom "
        "van de laatste dag van de termijn.\n{explanation}",
        "letter": "veertiendagenbrief van {sent} (bezorgd vermoed {delivered}, termijn tot en met {last_day}) voor "
        "factuur {invoice_ids}",
        "before_default": "Geen incassokosten uit de {letter}: verstuurd vóór het verzuim (art. 6:96 lid 6 BW).",
        "no_costs": "Geen incassokosten uit de {letter}: {explanation}",
        "costs": "Uit de {letter}: {explanation}",
        "share": "\nDeze overdracht neemt factuur {taken} ({part} van {whole}) over; haar deel van de "
        "incassokosten: {share}.",
        "no_letter": "Geen incassokosten: er is geen veertiendagenbrief verstuurd (art. 6:96 lid 6 BW).",
        "costs_paid_first": "Betalingen na de dag waarop de incassokosten verschuldigd werden, gingen eerst naar die "
        "kosten (art. 6:44 BW): {paid}; nog verschuldigd {owed}.",
        # The creditor's express statement that it cannot deduct the VAT on the collection costs
        # (art. 2 lid 3 Besluit vergoeding voor buitengerechtelijke incassokosten).
        "vat": "Btw over de incassokosten: {pct} %, {vat}. Wij kunnen de btw over de incassokosten niet verrekenen "
        "(art. 2 lid 3 Besluit vergoeding voor buitengerechtelijke incassokosten).",
    },
    "en": {
        "head": "Invoice {invoice_id}: principal {principal}",
        "left": f", after payments (Article 6:44 {_CIVIL_CODE}) {{left}} left",
        "due_date": f"the day after the due date {{due_date}} (Article 6:119a(1) {_CIVIL_CODE})",
        "strict_term": f"the day after the due date {{due_date}}, a strict payment term (Article 6:83(a) {_CIVIL_CODE})",
        "notice": "the first day of default, after the term of the {letter_kind} of {sent} "
        f"(Article 6:82 {_CIVIL_CODE})",
        "not_in_default": "{head}; no interest: the consumer is not in default for this invoice.",
        "not_yet": "{head}; no interest yet on {letter_date}: it starts on {why}.",
        "first_day": "{head}; first day of interest {first_day}: {why}.",
        "paid_late": "Invoice {invoice_id}: paid late (principal {principal}, due date {due_date}); interest "
        f"{{interest}}, of which the payments settled {{interest_paid}} (Article 6:44 {_CIVIL_CODE}): still owed "
        "principal {principal_left} and interest {interest_left}.",
        "capitalisation": "Invoice {invoice_id}: on {day}, {amount} of interest was added to the principal "
        "({article}).",
        "since": ", interrupted on {interrupted}",
        "prescribed": "Invoice {invoice_id}: prescribed since {prescribed_on} ({article}, {years} years after the "
        "due date {due_date}{since}).",
        "not_prescribed": "Invoice {invoice_id}: not prescribed; prescribes on {prescribed_on} ({article}, {years} "
        "years after the due date {due_date}{since}).",
        "interest_prescription": "Invoice {invoice_id}: interest that became due before {before} may be prescribed "
        f"(Article 3:308 {_CIVIL_CODE}).",
        "business_not_in_default": "Invoice {invoice_ids}: no notice of default whose term ended before "
        "{letter_date}, and the payment terms are not strict: the debtor is not in default (Article 6:82 "
        f"{_CIVIL_CODE}) and owes only {{flat}} per invoice, from the day after its due date. {{explanation}}",
        "strict_terms": "Strict payment terms: the debtor is in default from the day after each due date (Article "
        f"6:83(a) {_CIVIL_CODE}); the collection costs are due from that day, on the principal on the due "
        "date.\n{explanation}",
        "notice_of_default": "Notice of default of {sent} (term up to and including {end}) for invoice "
        f"{{invoice_ids}}: in default from {{default_from}} (Article 6:82 {_CIVIL_CODE}). {{flat}} per invoice is "
        f"due from the day after its due date (Article 6:96(4) {_CIVIL_CODE}), the scale above it from the first "
        "day of default, on the principal of the last day of the term.\n{explanation}",
        "letter": "14-day letter of {sent} (presumed delivered {delivered}, term up to and including {last_day}) "
        "for invoice {invoice_ids}",
        "before_default": f"No collection costs from the {{letter}}: sent before the default (Article 6:96(6) "
        f"{_CIVIL_CODE}).",
        "no_costs": "No collection costs from the {letter}: {explanation}",
        "costs": "From the {letter}: {explanation}",
        "share": "\nThis hand-over takes invoice {taken} ({part} of {whole}); its share of the collection costs: "
        "{share}.",
        "no_letter": f"No collection costs: no 14-day letter has been sent (Article 6:96(6) {_CIVIL_CODE}).",
        "costs_paid_first": "Payments made after the day the collection costs became due went to those costs first "
        f"(Article 6:44 {_CIVIL_CODE}): {{paid}}; still owed {{owed}}.",
        "vat": "VAT on the collection costs: {pct}%, {vat}. We cannot deduct the VAT on the collection costs "
        "(Article 2(3) of the Besluit vergoeding voor buitengerechtelijke incassokosten).",
    },
}
# Letter kinds as the English hand-over names them (the log's Soort is Dutch).
_KIND_EN = {
    "betalingsherinnering": "payment reminder",
    "ingebrekestelling": "notice of default",
    "veertiendagenbrief": "14-day letter",
}


def render(lines, language: str = "nl") -> tuple[str, ...]:
    """The sentences of ``lines`` (records above) in ``language`` ('nl', otherwise English)."""
    return tuple(_sentence(line, "nl" if language == "nl" else "en") for line in lines)


def _sentence(line, language: str) -> str:
    texts, values = _SENTENCES[language], _values(line, language)
    if isinstance(line, InterestStart):
        values["head"] = texts["head"].format(**values) + (
            texts["left"].format(**values) if line.left is not None else ""
        )
        if line.basis == "not_in_default":
            return texts["not_in_default"].format(**values)
        values["why"] = texts[line.basis].format(**values)
        key = "not_yet" if line.first_day is None else "first_day"
    elif isinstance(line, Prescription):
        values["since"] = "" if line.interrupted is None else texts["since"].format(**values)
        key = "prescribed" if line.prescribed else "not_prescribed"
    elif isinstance(line, FourteenDayLetter):
        values["letter"] = texts["letter"].format(**values)
        key = line.outcome
        if line.taken:
            return texts[key].format(**values) + texts["share"].format(**values)
    else:
        key = _KEYS[type(line)]
    return texts[key].format(**values)


_KEYS = {
    PaidLate: "paid_late",
    Capitalisation: "capitalisation",
    InterestPrescription: "interest_prescription",
    NotInDefault: "business_not_in_default",
    StrictTerms: "strict_terms",
    NoticeOfDefault: "notice_of_default",
    NoFourteenDayLetter: "no_letter",
    CostsPaidFirst: "costs_paid_first",
    VatOnCosts: "vat",
}


def _values(line, language: str) -> dict[str, str]:
    """The fields of a record as the letters of ``language`` show them: dates, money, invoice lists, articles."""
    values = {}
    for field in fields(line):
        value = getattr(line, field.name)
        if value is None:
            text = ""
        elif field.name == "pct":
            text = _pct(value, language)
        elif field.name == "article":
            text = _article(value, language)
        elif field.name == "letter_kind":
            kind = value.lower()
            text = kind if language == "nl" else _KIND_EN.get(kind, kind)
        elif isinstance(value, Staffel):  # the law explains its own figures, in the language asked
            values["explanation"] = value.result(language).explanation
            continue
        elif isinstance(value, date):
            text = _day(value, language)
        elif isinstance(value, Decimal):
            text = _eur(value, language)
        elif isinstance(value, tuple):
            text = ", ".join(value)
        else:
            text = str(value)
        values[field.name] = text
    return values


def _pct(value, language: str = "nl") -> str:
    text = format(Decimal(str(value)).normalize(), "f")
    return text.replace(".", ",") if language == "nl" else text


def _eur(value: Decimal, language: str) -> str:
    """Money as the letters of ``language`` show it: '€ 1.234,56' (English: '€1,234.56')."""
    if language == "nl":
        return format_eur(value)
    amount = round_cents(Decimal(value))
    return f"{'-' if amount < 0 else ''}€{abs(amount):,.2f}"


def _day(value, language: str) -> str:
    """A date as the letters of ``language`` show it: 01-07-2026 (English: 01/07/2026)."""
    return format_date(value) if language == "nl" else pd.Timestamp(value).strftime("%d/%m/%Y")


def _article(text: str, language: str) -> str:
    """``art. 3:307 BW`` in ``language``: English 'Article 3:307 of the Dutch Civil Code'."""
    if language == "nl":
        return text
    return re.sub(
        r"art\. (\S+?)(?: lid (\d+))?(?: sub ([a-z]))? BW",
        lambda m: f"Article {m[1]}{f'({m[2]})' if m[2] else ''}{f'({m[3]})' if m[3] else ''} of the Dutch Civil Code",
        text,
    )


def _prescription_lines(register: Register, review: Review, step: ProposedStep, letter_date: date) -> tuple:
    """Per invoice: prescribed on the letter date or not, the day it prescribes (law/prescription), and
    from before when its interest may be prescribed."""
    ledger = review.ledger.invoices
    own = ledger.loc[ledger["invoice_id"].isin(set(map(str, step.invoice_ids)))]
    table = prescription_per_invoice(register, own, letter_date)
    lines = []
    for row in table.itertuples(index=False):
        interrupted = None if pd.isna(row.last_interruption) else row.last_interruption.date()
        lines.append(
            Prescription(
                str(row.invoice_id),
                bool(row.prescribed),
                row.prescribed_on.date(),
                str(row.article),
                int(row.years),
                row.due_date.date(),
                interrupted,
            )
        )
        if row.interest_prescribed_before.date() > row.due_date.date():
            lines.append(InterestPrescription(str(row.invoice_id), row.interest_prescribed_before.date()))
    return tuple(lines)


def _interest_lines(register: Register, review: Review, step: ProposedStep, results, letter_date: date, claimed):
    """Per invoice: the principal, the first interest day and on what it rests, capitalisations; then the
    invoices paid late that still owe something."""
    invoices = review.invoices_by_id.loc[list(step.invoice_ids)]
    verzuim = consumer_verzuim(register, invoices.reset_index(), letter_date)
    lines = []
    for invoice_id, row in invoices.iterrows():
        invoice_id, due = str(invoice_id), row["due_date"].date()
        statement = claimed.get(invoice_id)
        principal = statement.claim.principal if statement else cents_to_decimal(int(row["open_cents"]))
        left = None
        if statement is not None and statement.outstanding_principal != principal:
            left = statement.outstanding_principal
        basis, letter_kind, sent = "due_date", "", None
        if step.kind != "zakelijk":
            if invoice_id not in verzuim:
                basis = "not_in_default"
            else:
                _, letter_kind, sent = verzuim[invoice_id]
                basis = "strict_term" if sent is None else "notice"
        result = None if basis == "not_in_default" else results.get(invoice_id)
        first = None if result is None else next(s.start for s in result.segments if s.days > 0)
        lines.append(InterestStart(invoice_id, principal, left, basis, due, letter_date, first, letter_kind, sent))
        if result is not None:
            lines += _capitalisations(invoice_id, result, step.kind)
    for invoice_id, statement in claimed.items():
        if invoice_id in invoices.index or not statement.claim.settled:
            continue
        lines.append(
            PaidLate(
                invoice_id,
                statement.claim.principal,
                statement.claim.due_date,
                statement.interest,
                statement.result.interest_paid,
                statement.outstanding_principal,
                statement.outstanding_interest,
            )
        )
        if invoice_id in results:
            lines += _capitalisations(invoice_id, results[invoice_id], step.kind)
    return tuple(lines)


def _capitalisations(invoice_id: str, result, kind: str) -> list[Capitalisation]:
    """The days a year's unpaid interest was added to the base (art. 6:119 lid 2, 6:119a lid 3 BW)."""
    article = "art. 6:119a lid 3 BW" if kind == "zakelijk" else "art. 6:119 lid 2 BW"
    return [
        Capitalisation(invoice_id, s.start, round_cents(s.capitalised), article)
        for s in result.segments
        if s.capitalised > 0
    ]


def claim_specification(
    register: Register, step: ProposedStep, claimed, basis=(), interest_basis=(), prescription=()
) -> ClaimSpecification:
    """The specification from the one claim calculation: its periods and each payment's 6:44 split per invoice."""
    periods = tuple(
        # Segments are exact under rounding 'einde'; the specification shows them in cents. A new base
        # after a full year is the capitalisation (6:119 lid 2, 6:119a lid 3 BW).
        InterestPeriod(s.start, s.end, s.days, s.rate_pct, round_cents(s.base), round_cents(s.interest), str(invoice))
        for invoice, statement in claimed.items()
        for s in statement.result.segments
        if s.days > 0
    )
    # Each payment as it reached each invoice (6:43), split into costs, interest and principal (6:44).
    payment_lines = tuple(
        sorted(
            (
                PaymentLine(a.day, a.costs + a.interest + a.principal, a.costs, a.interest, a.principal, str(invoice))
                for invoice, statement in claimed.items()
                for a in statement.payments
                if a.costs + a.interest + a.principal > 0
            ),
            key=lambda line: (line.date, line.invoice),
        )
    )
    actions = register.actions.loc[register.actions["debtor_id"] == step.debtor_id]
    action_lines = tuple(
        ActionLine(row.action_date.date(), str(row.kind), text_or_empty(row.description))
        for row in actions.sort_values("action_date", kind="stable").itertuples(index=False)
    )
    return ClaimSpecification(
        interest_periods=periods,
        payments=payment_lines,
        actions=action_lines,
        costs_basis=tuple(basis),
        interest_basis=tuple(interest_basis),
        prescription=tuple(prescription),
    )
