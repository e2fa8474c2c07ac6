"""The hand-over to the collection agency: interest, collection costs and the claim specification.

``hand_over_figures`` is the one place the overdracht letter, its PDF and the Acties row get their figures
from (see ``dunning_letters`` for what the letter states).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

import pandas as pd

from .dunning import (
    FOURTEEN_DAY_LETTER,
    NOTICE_OF_DEFAULT,
    ProposedStep,
    consumer_verzuim,
    consumer_verzuim_days,
    parse_invoice_list,
    step_term_end,
    term_days_for,
)
from .dutch import format_date
from .invoice_interest import debtor_claims
from .invoice_prescription import prescription_per_invoice
from .law.collection_costs import (
    PER_INVOICE,
    Invoice,
    business_collection_costs,
    consumer_collection_costs,
)
from .law.deadlines import fourteen_day_term
from .letter_claims import (
    ONE_DAY,
    ZERO,
    claims_for_letter,
    owed_interest,
    text_or_empty,
)
from .letter_claims import business_cost_parts as _flat_and_rest
from .letter_claims import principal_through as _principal_through
from .letter_claims import spread_by_principal as _spread
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
    otherwise after a notice of default's term (``_business_hand_over_costs``). Consumer: the costs of each valid 14-day
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
        costs, vat, basis, basis_en, due = _business_hand_over_costs(
            register, review, step, claims, letter_date, vat_pct
        )
    else:
        costs, vat, basis, basis_en, due = _consumer_hand_over_costs(
            register, review, step, claims, letter_date, vat_pct
        )
    if due:
        # 6:44: a payment made once the costs were due goes to them first; the costs' base
        # (the principal above) stays as computed before them.
        claimed = claims_for_letter(register, review, step, letter_date, costs=due)
        interest = owed_interest(claimed)
        paid = sum((claimed[i].result.costs_paid for i in due if i in claimed), ZERO)
        if paid > 0:
            # what the payments put on the costs, taken off costs and VAT in proportion
            paid_vat = round_cents(paid * vat / (costs + vat)) if vat else ZERO
            costs, vat = costs - (paid - paid_vat), vat - paid_vat
            basis = tuple(basis) + (
                f"Betalingen na de dag waarop de incassokosten verschuldigd werden, gingen eerst naar die kosten "
                f"(art. 6:44 BW): {format_eur(paid)}; nog verschuldigd {format_eur(costs + vat)}.",
            )
            basis_en = tuple(basis_en) + (
                f"Payments made after the day the collection costs became due went to those costs first "
                f"(Article 6:44 of the Dutch Civil Code): {_eur(paid, 'en')}; still owed {_eur(costs + vat, 'en')}.",
            )
    if vat > 0:
        basis = tuple(basis) + (VAT_STATEMENT.format(pct=_pct(vat_pct), vat=format_eur(vat)),)
        basis_en = tuple(basis_en) + (VAT_STATEMENT_EN.format(pct=_pct(vat_pct, "en"), vat=_eur(vat, "en")),)
    results = {i: c.result for i, c in claimed.items() if any(s.days > 0 for s in c.result.segments)}
    lines = _interest_basis(register, review, step, results, letter_date, claimed)
    prescription = _prescription_check(register, review, step, letter_date)
    specification = claim_specification(register, step, claimed, basis, lines, prescription)
    # The same lines in English, for when the hand-over letter is asked for in English.
    specification = replace(
        specification,
        costs_basis_en=tuple(basis_en),
        interest_basis_en=_interest_basis(register, review, step, results, letter_date, claimed, "en"),
        prescription_en=_prescription_check(register, review, step, letter_date, "en"),
    )
    left = tuple((i, c.outstanding_principal) for i, c in claimed.items())
    return HandOverFigures(interest, costs, vat, specification, left)


# The creditor's express statement that it cannot deduct the VAT on the collection costs
# (art. 2 lid 3 Besluit vergoeding voor buitengerechtelijke incassokosten).
VAT_STATEMENT = (
    "Btw over de incassokosten: {pct} %, {vat}. Wij kunnen de btw over de incassokosten niet verrekenen "
    "(art. 2 lid 3 Besluit vergoeding voor buitengerechtelijke incassokosten)."
)


VAT_STATEMENT_EN = (
    "VAT on the collection costs: {pct}%, {vat}. We cannot deduct the VAT on the collection costs "
    "(Article 2(3) of the Besluit vergoeding voor buitengerechtelijke incassokosten)."
)
# Letter kinds as the English hand-over names them (the log's Soort is Dutch).
_KIND_EN = {
    "betalingsherinnering": "payment reminder",
    "ingebrekestelling": "notice of default",
    "veertiendagenbrief": "14-day letter",
}


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


def _prescription_check(
    register: Register, review: Review, step: ProposedStep, letter_date: date, language: str = "nl"
) -> tuple[str, ...]:
    """Per invoice, in ``language``: prescribed on the letter date or not, and the day it prescribes (law/prescription)."""
    ledger = review.ledger.invoices
    own = ledger.loc[ledger["invoice_id"].isin(set(map(str, step.invoice_ids)))]
    table = prescription_per_invoice(register, own, letter_date)
    lines = []
    for row in table.itertuples(index=False):
        if language != "nl":
            lines += _prescription_lines_en(row)
            continue
        since = "" if pd.isna(row.last_interruption) else f", gestuit op {format_date(row.last_interruption)}"
        if row.prescribed:
            lines.append(
                f"Factuur {row.invoice_id}: verjaard sinds {format_date(row.prescribed_on)} ({row.article}, "
                f"{row.years} jaar na de vervaldatum {format_date(row.due_date)}{since})."
            )
        else:
            lines.append(
                f"Factuur {row.invoice_id}: niet verjaard; verjaart op {format_date(row.prescribed_on)} "
                f"({row.article}, {row.years} jaar na de vervaldatum {format_date(row.due_date)}{since})."
            )
        if row.interest_prescribed_before.date() > row.due_date.date():
            lines.append(
                f"Factuur {row.invoice_id}: rente die vóór {format_date(row.interest_prescribed_before)} "
                "opeisbaar werd, kan verjaard zijn (art. 3:308 BW)."
            )
    return tuple(lines)


def _prescription_lines_en(row) -> list[str]:
    """The English of one invoice's prescription lines (``_prescription_check``)."""
    e = "en"
    since = "" if pd.isna(row.last_interruption) else f", interrupted on {_day(row.last_interruption, e)}"
    why = f"({_article(row.article, e)}, {row.years} years after the due date {_day(row.due_date, e)}{since})."
    lines = [
        f"Invoice {row.invoice_id}: prescribed since {_day(row.prescribed_on, e)} {why}"
        if row.prescribed
        else f"Invoice {row.invoice_id}: not prescribed; prescribes on {_day(row.prescribed_on, e)} {why}"
    ]
    if row.interest_prescribed_before.date() > row.due_date.date():
        lines.append(
            f"Invoice {row.invoice_id}: interest that became due before {_day(row.interest_prescribed_before, e)} "
            "may be prescribed (Article 3:308 of the Dutch Civil Code)."
        )
    return lines


def _interest_basis(
    register: Register, review: Review, step: ProposedStep, results, letter_date: date, claimed=None, language="nl"
):
    """Per invoice, in ``language``: the principal, the first interest day and on what it rests, capitalisations."""
    if language != "nl":
        return _interest_basis_en(register, review, step, results, letter_date, claimed)
    claimed = claimed or {}
    invoices = review.invoices_by_id.loc[list(step.invoice_ids)]
    verzuim = consumer_verzuim(register, invoices.reset_index(), letter_date)
    lines = []
    for invoice_id, row in invoices.iterrows():
        invoice_id, due = str(invoice_id), row["due_date"].date()
        statement = claimed.get(invoice_id)
        principal = statement.claim.principal if statement else cents_to_decimal(int(row["open_cents"]))
        head = f"Factuur {invoice_id}: hoofdsom {format_eur(principal)}"
        if statement is not None and statement.outstanding_principal != principal:
            head += f", na betalingen (art. 6:44 BW) nog {format_eur(statement.outstanding_principal)}"
        result = results.get(invoice_id)
        if step.kind == "zakelijk":
            why = f"de dag na de vervaldatum {format_date(due)} (art. 6:119a lid 1 BW)"
        elif invoice_id in verzuim:
            _, letter_kind, sent = verzuim[invoice_id]
            why = (
                f"de dag na de vervaldatum {format_date(due)}, een fatale betaaltermijn (art. 6:83 sub a BW)"
                if sent is None
                else f"de eerste dag van verzuim, na de termijn van de {letter_kind.lower()} van {format_date(sent)} "
                "(art. 6:82 BW)"
            )
        else:
            lines.append(f"{head}; geen rente: de consument is voor deze factuur niet in verzuim.")
            continue
        if result is None:
            lines.append(f"{head}; nog geen rente op {format_date(letter_date)}: die begint op {why}.")
            continue
        first = next(s.start for s in result.segments if s.days > 0)
        lines.append(f"{head}; eerste rentedag {format_date(first)}: {why}.")
        lines += _capitalisations(invoice_id, result, step.kind)
    for invoice_id, statement in claimed.items():
        if invoice_id in invoices.index or not statement.claim.settled:
            continue
        lines.append(
            f"Factuur {invoice_id}: te laat betaald (hoofdsom {format_eur(statement.claim.principal)}, vervaldatum "
            f"{format_date(statement.claim.due_date)}); rente {format_eur(statement.interest)}, waarvan de betalingen "
            f"{format_eur(statement.result.interest_paid)} voldeden (art. 6:44 BW): nog verschuldigd hoofdsom "
            f"{format_eur(statement.outstanding_principal)} en rente {format_eur(statement.outstanding_interest)}."
        )
        if invoice_id in results:
            lines += _capitalisations(invoice_id, results[invoice_id], step.kind)
    return tuple(lines)


def _interest_basis_en(register: Register, review: Review, step: ProposedStep, results, letter_date: date, claimed):
    """The English of ``_interest_basis``, line for line."""
    e, civil_code = "en", "of the Dutch Civil Code"
    claimed = claimed or {}
    invoices = review.invoices_by_id.loc[list(step.invoice_ids)]
    verzuim = consumer_verzuim(register, invoices.reset_index(), letter_date)
    lines = []
    for invoice_id, row in invoices.iterrows():
        invoice_id, due = str(invoice_id), row["due_date"].date()
        statement = claimed.get(invoice_id)
        principal = statement.claim.principal if statement else cents_to_decimal(int(row["open_cents"]))
        head = f"Invoice {invoice_id}: principal {_eur(principal, e)}"
        if statement is not None and statement.outstanding_principal != principal:
            head += f", after payments (Article 6:44 {civil_code}) {_eur(statement.outstanding_principal, e)} left"
        result = results.get(invoice_id)
        if step.kind == "zakelijk":
            why = f"the day after the due date {_day(due, e)} (Article 6:119a(1) {civil_code})"
        elif invoice_id in verzuim:
            _, letter_kind, sent = verzuim[invoice_id]
            why = (
                f"the day after the due date {_day(due, e)}, a strict payment term (Article 6:83(a) {civil_code})"
                if sent is None
                else f"the first day of default, after the term of the "
                f"{_KIND_EN.get(letter_kind.lower(), letter_kind.lower())} of {_day(sent, e)} (Article 6:82 {civil_code})"
            )
        else:
            lines.append(f"{head}; no interest: the consumer is not in default for this invoice.")
            continue
        if result is None:
            lines.append(f"{head}; no interest yet on {_day(letter_date, e)}: it starts on {why}.")
            continue
        first = next(s.start for s in result.segments if s.days > 0)
        lines.append(f"{head}; first day of interest {_day(first, e)}: {why}.")
        lines += _capitalisations(invoice_id, result, step.kind, e)
    for invoice_id, statement in claimed.items():
        if invoice_id in invoices.index or not statement.claim.settled:
            continue
        lines.append(
            f"Invoice {invoice_id}: paid late (principal {_eur(statement.claim.principal, e)}, due date "
            f"{_day(statement.claim.due_date, e)}); interest {_eur(statement.interest, e)}, of which the payments "
            f"settled {_eur(statement.result.interest_paid, e)} (Article 6:44 {civil_code}): still owed principal "
            f"{_eur(statement.outstanding_principal, e)} and interest {_eur(statement.outstanding_interest, e)}."
        )
        if invoice_id in results:
            lines += _capitalisations(invoice_id, results[invoice_id], step.kind, e)
    return tuple(lines)


def _capitalisations(invoice_id: str, result, kind: str, language: str = "nl") -> list[str]:
    """The days a year's unpaid interest was added to the base (art. 6:119 lid 2, 6:119a lid 3 BW)."""
    article = "art. 6:119a lid 3 BW" if kind == "zakelijk" else "art. 6:119 lid 2 BW"
    if language != "nl":
        return [
            f"Invoice {invoice_id}: on {_day(s.start, language)}, {_eur(round_cents(s.capitalised), language)} "
            f"of interest was added to the principal ({_article(article, language)})."
            for s in result.segments
            if s.capitalised > 0
        ]
    return [
        f"Factuur {invoice_id}: op {format_date(s.start)} is {format_eur(round_cents(s.capitalised))} rente bij de "
        f"hoofdsom gevoegd ({article})."
        for s in result.segments
        if s.capitalised > 0
    ]


def _first_notices(register: Register, step: ProposedStep, ids, letter_date: date) -> dict[str, tuple[date, date]]:
    """invoice_id -> (date, last day of the term) of the first Ingebrekestelling in Acties covering it whose
    term ended before ``letter_date``: from the day after, the debtor is in verzuim (art. 6:82 BW).

    An Acties row names its invoices, or (no invoices named) covers those due before it was sent.
    """
    log = register.actions
    notices = log.loc[
        (log["debtor_id"] == step.debtor_id)
        & (log["kind"] == NOTICE_OF_DEFAULT)
        & (log["action_date"] < pd.Timestamp(letter_date))
    ]
    term = term_days_for(register.policy, NOTICE_OF_DEFAULT)
    due_of = dict(ids)
    first: dict[str, tuple[date, date]] = {}
    for row in notices.itertuples(index=False):
        sent = row.action_date.date()
        end = step_term_end(NOTICE_OF_DEFAULT, sent, term)
        if end >= letter_date:
            continue
        named = parse_invoice_list(row.invoice_ids)
        for invoice_id, due_date in due_of.items():
            if (invoice_id in named if named else due_date < sent) and (
                invoice_id not in first or end < first[invoice_id][1]
            ):
                first[invoice_id] = (sent, end)
    return first


def _business_hand_over_costs(register, review, step, claims, letter_date, vat_pct):
    """(costs, VAT, Dutch basis lines, the same in English, invoice_id -> parts (amount incl. VAT, day due)).

    € 40 per invoice is due from the day after its due date, without any reminder (art. 6:96
    lid 4 BW). The staffel above it needs verzuim: with fatal terms from the day after each due
    date (art. 6:83 sub a BW), otherwise from the day after the term of the first Ingebrekestelling
    covering the invoice (art. 6:82 BW); the staffel over the summed principal of the invoices that
    one notice put in verzuim, never less than € 40 per invoice. Without either, only the € 40.
    Each part is due from its own day, so a later payment goes to it first (6:44).
    """
    cache: dict = {}
    costs = vat = ZERO
    basis, basis_en, due = [], [], {}
    # The € 40 per invoice is owed from the day after the due date whatever follows: a payment before a
    # notice's term ended went to it first, so the principal the staffel rests on is what is left after.
    flat = {
        invoice_id: parts[:1]
        for invoice_id, parts in _flat_and_rest(
            business_collection_costs(claims, letter_date, in_default=False, vat_pct=vat_pct),
            claims,
            vat_pct,
            lambda i: i.due_date + ONE_DAY,
        ).items()
    }
    if register.settings.terms_are_fatal:
        groups = [(None, claims)]
    else:
        first = _first_notices(register, step, [(c.invoice_id, c.due_date) for c in claims], letter_date)
        by_notice: dict = {}
        for c in claims:
            by_notice.setdefault(first.get(c.invoice_id), []).append(c)
        groups = sorted(by_notice.items(), key=lambda item: (item[0] is None, item[0] or ()))
    for notice, group in groups:
        ids = ", ".join(c.invoice_id for c in group)
        if notice is None and not register.settings.terms_are_fatal:
            result = business_collection_costs(group, letter_date, in_default=False, vat_pct=vat_pct)
            english = business_collection_costs(group, letter_date, in_default=False, vat_pct=vat_pct, language="en")
            basis.append(
                f"Factuur {ids}: geen ingebrekestelling waarvan de termijn vóór {format_date(letter_date)} verstreek, "
                "en de betaaltermijnen zijn niet fataal: de debiteur is niet in verzuim (art. 6:82 BW) en is "
                f"alleen {format_eur(PER_INVOICE)} per factuur verschuldigd, vanaf de dag na de vervaldatum. "
                + result.explanation
            )
            basis_en.append(
                f"Invoice {ids}: no notice of default whose term ended before {_day(letter_date, 'en')}, and the "
                "payment terms are not strict: the debtor is not in default (Article 6:82 of the Dutch Civil Code) "
                f"and owes only {_eur(PER_INVOICE, 'en')} per invoice, from the day after its due date. "
                + english.explanation
            )
            parts = _flat_and_rest(result, group, vat_pct, lambda i: i.due_date + ONE_DAY)
        else:
            if notice is None:
                # The costs became due the day after each due date, so their base is the principal of the
                # due date (payments up to and including it), not of the letter date: a later payment goes
                # to the costs first (6:44) and cannot lower them, as a consumer's rest on the principal
                # at the end of the 14-day term.
                base = [
                    Invoice(
                        c.invoice_id,
                        _principal_through(register, review, step, c.due_date, cache).get(c.invoice_id, c.principal),
                        c.due_date,
                    )
                    for c in group
                ]
                head = (
                    "Fatale betaaltermijnen: de debiteur is in verzuim vanaf de dag na elke vervaldatum "
                    "(art. 6:83 sub a BW); de incassokosten zijn vanaf die dag verschuldigd, over de hoofdsom "
                    "op de vervaldatum."
                )
                head_en = (
                    "Strict payment terms: the debtor is in default from the day after each due date (Article "
                    "6:83(a) of the Dutch Civil Code); the collection costs are due from that day, on the "
                    "principal on the due date."
                )
                rest_from = lambda i: i.due_date + ONE_DAY  # noqa: E731
            else:
                sent, end = notice
                left = _principal_through(register, review, step, end, cache, flat)
                base = [Invoice(c.invoice_id, left.get(c.invoice_id, c.principal), c.due_date) for c in group]
                head = (
                    f"Ingebrekestelling van {format_date(sent)} (termijn tot en met {format_date(end)}) voor factuur "
                    f"{ids}: in verzuim vanaf {format_date(end + ONE_DAY)} (art. 6:82 BW). {format_eur(PER_INVOICE)} "
                    "per factuur is verschuldigd vanaf de dag na de vervaldatum (art. 6:96 lid 4 BW), de staffel "
                    "daarboven vanaf de eerste dag van verzuim, over de hoofdsom van de laatste dag van de termijn."
                )
                head_en = (
                    f"Notice of default of {_day(sent, 'en')} (term up to and including {_day(end, 'en')}) for "
                    f"invoice {ids}: in default from {_day(end + ONE_DAY, 'en')} (Article 6:82 of the Dutch Civil "
                    f"Code). {_eur(PER_INVOICE, 'en')} per invoice is due from the day after its due date (Article "
                    "6:96(4) of the Dutch Civil Code), the scale above it from the first day of default, on the "
                    "principal of the last day of the term."
                )
                rest_from = lambda i, since=end + ONE_DAY: since  # noqa: E731
            result = business_collection_costs(base, letter_date, in_default=True, vat_pct=vat_pct)
            english = business_collection_costs(base, letter_date, in_default=True, vat_pct=vat_pct, language="en")
            basis.append(f"{head}\n{result.explanation}")
            basis_en.append(f"{head_en}\n{english.explanation}")
            parts = _flat_and_rest(result, base, vat_pct, rest_from)
        costs, vat = costs + result.costs, vat + result.vat
        for invoice_id, more in parts.items():
            due.setdefault(invoice_id, []).extend(more)
    return costs, vat, tuple(basis), tuple(basis_en), due


def _consumer_hand_over_costs(register, review, step, claims, letter_date, vat_pct):
    """(costs, VAT, Dutch basis lines, the same in English, invoice_id -> parts (amount incl. VAT, day due))
    from the valid 14-day letters in the debtor's log.

    The costs of a letter are due from the day after its term ended (6:96 lid 6 BW).

    A 14-day letter's costs are the staffel over the summed principal of all its
    invoices still open (6:96 lid 7 BW), principal as 6:44 leaves it. When this hand-over takes only some of
    them, it claims their share by principal, so two hand-overs never claim more
    than the letter stated.
    """
    log = register.actions
    letters = log.loc[
        (log["debtor_id"] == step.debtor_id)
        & (log["kind"] == FOURTEEN_DAY_LETTER)
        & (log["action_date"] < pd.Timestamp(letter_date))
    ].sort_values("action_date", kind="stable")
    by_id = {c.invoice_id: c for c in claims}
    open_now = review.invoices_by_id.loc[
        (review.invoices_by_id["debtor_id"] == step.debtor_id) & (review.invoices_by_id["open_cents"] > 0)
    ]
    # The principal each open invoice still has by 6:44 (a payment went to interest first).
    left = {
        c.invoice_id: c.outstanding_principal
        for c in debtor_claims(
            register, review.ledger.invoices, step.debtor_id, letter_date, rates=review.rates
        ).invoices
    }
    everything = {
        str(i): Invoice(str(i), left.get(str(i), cents_to_decimal(int(row["open_cents"]))), row["due_date"].date())
        for i, row in open_now.iterrows()
    }
    frame = open_now.reset_index()
    taken: set[str] = set()
    costs = vat = ZERO
    basis, basis_en = [], []
    due: dict[str, list[tuple[Decimal, date]]] = {}
    then: dict[date, dict[str, Decimal]] = {}
    for row in letters.itertuples(index=False):
        sent = row.action_date.date()
        named = parse_invoice_list(row.invoice_ids)
        covered = [i for i in everything if i not in taken and (i in named if named else everything[i].due_date < sent)]
        here = [i for i in covered if i in by_id]
        if not here:
            continue
        starts = consumer_verzuim_days(register, frame, sent)
        term = fourteen_day_term(sent)
        when = (
            f"veertiendagenbrief van {format_date(sent)} (bezorgd vermoed {format_date(term.delivered)}, "
            f"termijn tot en met {format_date(term.last_day)}) voor factuur {', '.join(covered)}"
        )
        when_en = (
            f"14-day letter of {_day(sent, 'en')} (presumed delivered {_day(term.delivered, 'en')}, "
            f"term up to and including {_day(term.last_day, 'en')}) for invoice {', '.join(covered)}"
        )
        if any(i not in starts or starts[i] > sent for i in covered):
            basis.append(f"Geen incassokosten uit de {when}: verstuurd vóór het verzuim (art. 6:96 lid 6 BW).")
            basis_en.append(
                f"No collection costs from the {when_en}: sent before the default "
                "(Article 6:96(6) of the Dutch Civil Code)."
            )
            continue
        # The costs are fixed on the day they become due (the day after the term): over the principal
        # 6:44 left then; a later payment goes to them first and does not lower them.
        at = min(term.last_day, letter_date)
        if at not in then:
            then[at] = {
                c.invoice_id: c.outstanding_principal
                for c in debtor_claims(
                    register, review.ledger.invoices, step.debtor_id, at, rates=review.rates
                ).invoices
            }
        base = {i: Invoice(i, then[at].get(i, everything[i].principal), everything[i].due_date) for i in covered}
        result = consumer_collection_costs(
            [base[i] for i in covered], letter_date, letter_term_end=term.last_day, vat_pct=vat_pct
        )
        english = consumer_collection_costs(
            [base[i] for i in covered], letter_date, letter_term_end=term.last_day, vat_pct=vat_pct, language="en"
        )
        if result.costs <= 0:
            basis.append(f"Geen incassokosten uit de {when}: {result.explanation}")
            basis_en.append(f"No collection costs from the {when_en}: {english.explanation}")
            continue
        taken.update(covered)
        whole = sum((base[i].principal for i in covered), ZERO)
        part = sum((base[i].principal for i in here), ZERO)
        share_costs, share_vat = result.costs, result.vat
        line = f"Uit de {when}: {result.explanation}"
        line_en = f"From the {when_en}: {english.explanation}"
        if part != whole:
            share_costs = round_cents(result.costs * part / whole)
            share_vat = round_cents(result.vat * part / whole)
            line += (
                f"\nDeze overdracht neemt factuur {', '.join(here)} ({format_eur(part)} van {format_eur(whole)}) "
                f"over; haar deel van de incassokosten: {format_eur(share_costs)}."
            )
            line_en += (
                f"\nThis hand-over takes invoice {', '.join(here)} ({_eur(part, 'en')} of {_eur(whole, 'en')}); "
                f"its share of the collection costs: {_eur(share_costs, 'en')}."
            )
        costs, vat = costs + share_costs, vat + share_vat
        due_from = term.last_day + ONE_DAY
        for i, part in _spread(share_costs + share_vat, [(i, base[i].principal, due_from) for i in here]).items():
            due.setdefault(i, []).append(part)
        basis.append(line)
        basis_en.append(line_en)
    if not basis:
        basis.append("Geen incassokosten: er is geen veertiendagenbrief verstuurd (art. 6:96 lid 6 BW).")
        basis_en.append(
            "No collection costs: no 14-day letter has been sent (Article 6:96(6) of the Dutch Civil Code)."
        )
    return costs, vat, tuple(basis), tuple(basis_en), due


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
