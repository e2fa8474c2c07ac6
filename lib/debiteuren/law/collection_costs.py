"""Buitengerechtelijke incassokosten (BIK): the Besluit vergoeding voor buitengerechtelijke incassokosten
(Stb. 2012, 141) and art. 6:96 lid 4-7 BW.

The staffel (art. 2 of the Besluit) over the principal, half-up to cents, at least
€ 40 and at most € 6.775:

>>> [str(staffel(Decimal(p))) for p in ("100", "2500", "5000", "10000", "200000", "1000000")]
['40.00', '375.00', '625.00', '875.00', '2775.00', '6775.00']
>>> staffel(Decimal("1234.57"))   # 15 % of 1234.57 = 185.1855
Decimal('185.19')

>>> c = collection_costs(Decimal("10000"))
>>> c.costs, c.vat, c.total
(Decimal('875.00'), Decimal('0.00'), Decimal('875.00'))
>>> print(c.explanation)
Incassokosten volgens de staffel van het Besluit vergoeding voor buitengerechtelijke incassokosten over een hoofdsom van € 10.000,00:
  15% over € 2.500,00 = € 375,00
  10% over € 2.500,00 = € 250,00
  5% over € 5.000,00 = € 250,00
Samen € 875,00.

VAT on top only when the creditor cannot deduct it (a setting); whether the total
may then exceed € 6.775 is unsettled, so it is computed and flagged:

>>> c = collection_costs(Decimal("2000000"), vat_pct=Decimal("21"))
>>> c.costs, c.vat, c.total, c.above_maximum
(Decimal('6775.00'), Decimal('1422.75'), Decimal('8197.75'), True)

Business debtors owe € 40 per unpaid invoice from the day after its due date;
the staffel only after *verzuim*, then over the summed principal but never less
than € 40 per invoice:

>>> invoices = [Invoice("F1", Decimal("100"), date(2025, 5, 31)), Invoice("F2", Decimal("150"), date(2025, 6, 30))]
>>> business_collection_costs(invoices, date(2025, 7, 15), in_default=False).costs
Decimal('80.00')
>>> business_collection_costs(invoices, date(2025, 7, 15), in_default=True).costs  # staffel(250) = 40 < 2 x 40
Decimal('80.00')

Consumers owe the staffel over all claims in a valid 14-day letter, and only once
its term has passed:

>>> consumer_collection_costs(invoices, date(2025, 8, 1), letter_term_end=date(2025, 7, 31)).costs
Decimal('40.00')
>>> consumer_collection_costs(invoices, date(2025, 7, 31), letter_term_end=date(2025, 7, 31)).costs
Decimal('0.00')
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import NamedTuple, Sequence

from ..money import format_eur, round_cents
from .rates import LawInputError, check_amount, format_date

#: art. 2 lid 1 of the Besluit: (width of the band, percentage); the last band is open.
BANDS: tuple[tuple[Decimal | None, Decimal], ...] = (
    (Decimal("2500"), Decimal("15")),
    (Decimal("2500"), Decimal("10")),
    (Decimal("5000"), Decimal("5")),
    (Decimal("190000"), Decimal("1")),
    (None, Decimal("0.5")),
)
MINIMUM = Decimal("40")
MAXIMUM = Decimal("6775")
# Whether VAT may take the costs above the maximum is unsettled (legal.md §3): said wherever it happens.
ABOVE_MAXIMUM_WARNING = (
    f"De incassokosten met btw komen boven het maximum van {format_eur(MAXIMUM)} (juridisch onzeker)."
)
PER_INVOICE = Decimal("40")  # art. 6:96 lid 4 BW, per invoice (CJEU C-585/20)
FIRST_DUE_DATE = date(2012, 7, 1)  # the Besluit covers claims due on or after this day

_ZERO = Decimal("0.00")
_BESLUIT = "het Besluit vergoeding voor buitengerechtelijke incassokosten"
_BESLUIT_EN = (
    "the Besluit vergoeding voor buitengerechtelijke incassokosten (Dutch decree on extrajudicial collection costs)"
)


def _eur(value: Decimal, language: str) -> str:
    """Money as the letters of ``language`` show it: '€ 1.234,56' (English: '€1,234.56')."""
    if language == "nl":
        return format_eur(value)
    amount = round_cents(Decimal(value))
    return f"{'-' if amount < 0 else ''}€{abs(amount):,.2f}"


def _day(value: date, language: str) -> str:
    """A date as the letters of ``language`` show it: 01-07-2026 (English: 01/07/2026)."""
    return format_date(value) if language == "nl" else value.strftime("%d/%m/%Y")


def _invoices_word(n: int, language: str) -> str:
    if language == "nl":
        return f"factu{'ren' if n != 1 else 'ur'}"
    return "invoices" if n != 1 else "invoice"


class Invoice(NamedTuple):
    """One claim for the collection costs: its number, principal and due date."""

    invoice_id: str
    principal: Decimal
    due_date: date


@dataclass(frozen=True)
class CollectionCosts:
    """Collection costs with their VAT and a Dutch explanation a controller can quote.

    ``costs`` is before VAT; ``above_maximum`` flags a total above € 6.775 by the
    VAT (unsettled in law); ``invoices`` are the invoices the costs were computed on.
    """

    costs: Decimal
    vat: Decimal
    total: Decimal
    base: Decimal
    vat_pct: Decimal | None
    above_maximum: bool
    explanation: str
    invoices: tuple[str, ...] = ()


def _check_principal(value: object, what: str = "De hoofdsom") -> Decimal:
    return check_amount(value, what)


def _bands(principal: Decimal) -> list[tuple[Decimal, Decimal, Decimal]]:
    """(percentage, part of the principal in the band, exact amount) for every band used."""
    parts, left = [], principal
    for width, pct in BANDS:
        if left <= 0:
            break
        part = left if width is None else min(left, width)
        parts.append((pct, part, part * pct / 100))
        left -= part
    return parts


def staffel(principal: Decimal) -> Decimal:
    """The BIK by the staffel for ``principal``, min € 40, max € 6.775; nothing on a principal of zero or less."""
    principal = _check_principal(principal)
    if principal <= 0:
        return _ZERO
    exact = sum((amount for _, _, amount in _bands(principal)), Decimal(0))
    return round_cents(min(max(exact, MINIMUM), MAXIMUM))


def _staffel_lines(principal: Decimal, language: str = "nl") -> list[str]:
    if language != "nl":
        return _staffel_lines_en(principal)
    lines = [
        f"  {_pct(pct)} over {format_eur(part)} = {format_eur(round_cents(amount))}"
        for pct, part, amount in _bands(principal)
    ]
    exact = sum((amount for _, _, amount in _bands(principal)), Decimal(0))
    if exact < MINIMUM:
        lines.append(f"Samen {format_eur(round_cents(exact))}, verhoogd tot het minimum van {format_eur(MINIMUM)}.")
    elif exact > MAXIMUM:
        lines.append(f"Samen {format_eur(round_cents(exact))}, begrensd op het maximum van {format_eur(MAXIMUM)}.")
    else:
        lines.append(f"Samen {format_eur(round_cents(exact))}.")
    return lines


def _staffel_lines_en(principal: Decimal) -> list[str]:
    e = "en"
    lines = [
        f"  {pct.normalize():f}% of {_eur(part, e)} = {_eur(round_cents(amount), e)}"
        for pct, part, amount in _bands(principal)
    ]
    exact = round_cents(sum((amount for _, _, amount in _bands(principal)), Decimal(0)))
    if exact < MINIMUM:
        lines.append(f"Total {_eur(exact, e)}, raised to the minimum of {_eur(MINIMUM, e)}.")
    elif exact > MAXIMUM:
        lines.append(f"Total {_eur(exact, e)}, capped at the maximum of {_eur(MAXIMUM, e)}.")
    else:
        lines.append(f"Total {_eur(exact, e)}.")
    return lines


def _pct(pct: Decimal) -> str:
    return f"{pct.normalize():f}".replace(".", ",") + "%"


def _result(
    costs: Decimal, base: Decimal, vat_pct: Decimal | None, lines: list[str], invoices=(), language: str = "nl"
) -> CollectionCosts:
    costs = round_cents(costs)
    if vat_pct is None or costs == 0:
        vat = _ZERO
    else:
        if not isinstance(vat_pct, Decimal) or not (0 <= vat_pct <= 100):
            raise LawInputError(f"Het btw-percentage moet tussen 0 en 100 liggen, niet {vat_pct!r}.")
        # art. 2 lid 3: VAT on top of the staffel amount, which staffel() already capped at 6.775
        vat = round_cents(costs * vat_pct / 100)
        lines.append(
            f"Btw {_pct(vat_pct)} (de schuldeiser kan de btw niet verrekenen): {format_eur(vat)}; "
            f"totaal {format_eur(costs + vat)}."
            if language == "nl"
            else f"VAT {vat_pct.normalize():f}% (the creditor cannot deduct the VAT): {_eur(vat, language)}; "
            f"total {_eur(costs + vat, language)}."
        )
    total = costs + vat
    above = total > MAXIMUM
    if above and vat:
        lines.append(
            f"Let op: met de btw komt het totaal boven het maximum van {format_eur(MAXIMUM)}; "
            "of dat is toegestaan, is niet beslist."
            if language == "nl"
            else f"Note: with the VAT the total exceeds the maximum of {_eur(MAXIMUM, language)}; "
            "whether that is allowed has not been decided."
        )
    return CollectionCosts(
        costs, vat, total, round_cents(base), vat_pct if vat else None, above, "\n".join(lines), tuple(invoices)
    )


def collection_costs(principal: Decimal, *, vat_pct: Decimal | None = None) -> CollectionCosts:
    """The staffel over one principal, with VAT on top when ``vat_pct`` is given."""
    principal = _check_principal(principal)
    if principal <= 0:
        return _result(_ZERO, principal, vat_pct, ["Geen hoofdsom, dus geen incassokosten."])
    lines = [f"Incassokosten volgens de staffel van {_BESLUIT} over een hoofdsom van {format_eur(principal)}:"]
    lines += _staffel_lines(principal)
    return _result(staffel(principal), principal, vat_pct, lines)


# Why an invoice carries no costs, per language: nothing outstanding, due before the Besluit, not yet due.
_NOT_ELIGIBLE = {
    "nl": (
        "Factuur {id}: geen openstaand bedrag.",
        "Factuur {id}: vervallen op {due}, vóór {first}; het Besluit geldt daarvoor niet.",
        "Factuur {id}: nog niet vervallen (vervaldatum {due}).",
    ),
    "en": (
        "Invoice {id}: nothing outstanding.",
        "Invoice {id}: due on {due}, before {first}; the decree does not apply to it.",
        "Invoice {id}: not yet due (due date {due}).",
    ),
}


def _eligible(invoices: Sequence[Invoice], peildatum: date, lines: list[str], language: str = "nl") -> list[Invoice]:
    """Invoices that can carry costs on ``peildatum``; the others are explained in ``lines``."""
    texts = _NOT_ELIGIBLE["nl" if language == "nl" else "en"]
    kept = []
    for invoice in invoices:
        _check_principal(invoice.principal, f"Het bedrag van factuur {invoice.invoice_id}")
        if invoice.principal <= 0:
            reason = texts[0]
        elif invoice.due_date < FIRST_DUE_DATE:
            reason = texts[1]
        elif peildatum <= invoice.due_date:
            reason = texts[2]
        else:
            kept.append(invoice)
            continue
        lines.append(
            reason.format(
                id=invoice.invoice_id, due=_day(invoice.due_date, language), first=_day(FIRST_DUE_DATE, language)
            )
        )
    return kept


def business_collection_costs(
    invoices: Sequence[Invoice],
    peildatum: date,
    *,
    in_default: bool,
    per_invoice_staffel: bool = False,
    vat_pct: Decimal | None = None,
    language: str = "nl",
) -> CollectionCosts:
    """Collection costs for a business debtor on ``peildatum`` (art. 6:96 lid 4 BW, the Besluit).

    € 40 per invoice from the day after its due date, without any reminder. Once the
    debtor is in verzuim (``in_default``) the staffel applies: by default over the
    summed principal of the invoices (one letter), but never less than € 40 per
    invoice; ``per_invoice_staffel`` applies it per invoice instead (unsettled).
    ``language`` ``en``: the explanation in English (the English hand-over letter).
    """
    nl = language == "nl"
    lines: list[str] = []
    kept = _eligible(invoices, peildatum, lines, language)
    ids = tuple(i.invoice_id for i in kept)
    if not kept:
        none = (
            "Geen vervallen facturen waarover incassokosten verschuldigd zijn."
            if nl
            else "No overdue invoices on which collection costs are due."
        )
        return _result(_ZERO, _ZERO, vat_pct, [none, *lines], ids, language)
    base = sum((i.principal for i in kept), Decimal(0))
    flat = PER_INVOICE * len(kept)
    flat_text = (
        f"{format_eur(PER_INVOICE)} per onbetaalde factuur (art. 6:96 lid 4 BW) × {len(kept)} = {format_eur(flat)}"
        if nl
        else f"{_eur(PER_INVOICE, language)} per unpaid invoice (Article 6:96(4) of the Dutch Civil Code) "
        f"× {len(kept)} = {_eur(flat, language)}"
    )
    if not in_default:
        head = [
            f"Vergoeding van {flat_text}; een hoger bedrag volgens de staffel pas na verzuim."
            if nl
            else f"Compensation of {flat_text}; a higher amount by the decree's scale only after default."
        ]
        return _result(flat, base, vat_pct, head + lines, ids, language)
    if per_invoice_staffel:
        amount = sum((staffel(i.principal) for i in kept), Decimal(0))
        head = [
            f"Incassokosten volgens de staffel van {_BESLUIT}, per factuur:"
            if nl
            else f"Collection costs by the scale of {_BESLUIT_EN}, per invoice:"
        ]
        head += [
            f"  {'factuur' if nl else 'invoice'} {i.invoice_id}: {_eur(i.principal, language)} -> "
            f"{_eur(staffel(i.principal), language)}"
            for i in kept
        ]
        head.append(f"Samen {format_eur(amount)}." if nl else f"Total {_eur(amount, language)}.")
    else:
        amount = staffel(base)
        head = [
            f"Incassokosten volgens de staffel van {_BESLUIT} over de samengetelde hoofdsom van "
            f"{len(kept)} factu{'ren' if len(kept) != 1 else 'ur'}, {format_eur(base)}:"
            if nl
            else f"Collection costs by the scale of {_BESLUIT_EN} over the combined principal of "
            f"{len(kept)} {_invoices_word(len(kept), language)}, {_eur(base, language)}:"
        ]
        head += _staffel_lines(base, language)
    if amount < flat:
        head.append(
            f"Dat is minder dan {flat_text}; dat bedrag geldt."
            if nl
            else f"That is less than {flat_text}; that amount applies."
        )
        amount = flat
    return _result(amount, base, vat_pct, head + lines, ids, language)


def consumer_collection_costs(
    invoices: Sequence[Invoice],
    peildatum: date,
    *,
    letter_term_end: date | None,
    stated_costs: Decimal | None = None,
    vat_pct: Decimal | None = None,
    language: str = "nl",
) -> CollectionCosts:
    """Collection costs for a consumer on ``peildatum`` (art. 6:96 lid 6 en 7 BW).

    Only after a valid 14-day letter whose term (last day ``letter_term_end``,
    see :func:`~debiteuren.law.deadlines.fourteen_day_term`) has passed, over the
    summed principal of the claims in that letter. ``vat_pct`` only when the letter
    said so. ``stated_costs`` is the amount the letter named: more than the staffel
    makes the letter invalid and no costs are due; less caps the costs at it.
    ``language`` ``en``: the explanation in English (the English hand-over letter).
    """
    nl = language == "nl"
    if letter_term_end is None:
        return _result(
            _ZERO,
            _ZERO,
            None,
            [
                "Geen incassokosten: een consument is ze pas verschuldigd na een geldige veertiendagenbrief "
                "(art. 6:96 lid 6 BW)."
                if nl
                else "No collection costs: a consumer owes them only after a valid 14-day letter "
                "(Article 6:96(6) of the Dutch Civil Code)."
            ],
            language=language,
        )
    if peildatum <= letter_term_end:
        return _result(
            _ZERO,
            _ZERO,
            None,
            [
                f"Nog geen incassokosten: de termijn van de veertiendagenbrief loopt tot en met {format_date(letter_term_end)}."
                if nl
                else "No collection costs yet: the term of the 14-day letter runs up to and including "
                f"{_day(letter_term_end, language)}."
            ],
            language=language,
        )
    lines: list[str] = []
    kept = _eligible(invoices, peildatum, lines, language)
    ids = tuple(i.invoice_id for i in kept)
    if not kept:
        none = (
            "Geen vervallen facturen waarover incassokosten verschuldigd zijn."
            if nl
            else "No overdue invoices on which collection costs are due."
        )
        return _result(_ZERO, _ZERO, None, [none, *lines], ids, language)
    base = sum((i.principal for i in kept), Decimal(0))
    head = [
        f"Incassokosten volgens de staffel van {_BESLUIT} over de samengetelde hoofdsom van de "
        f"veertiendagenbrief ({len(kept)} factu{'ren' if len(kept) != 1 else 'ur'}), {format_eur(base)}:"
        if nl
        else f"Collection costs by the scale of {_BESLUIT_EN} over the combined principal of the 14-day letter "
        f"({len(kept)} {_invoices_word(len(kept), language)}), {_eur(base, language)}:"
    ]
    head += _staffel_lines(base, language)
    amount = staffel(base)
    if stated_costs is not None:
        stated = _check_principal(stated_costs, "Het bedrag in de brief")
        allowed = _result(amount, base, vat_pct, []).total
        if stated > allowed:
            return _result(
                _ZERO,
                base,
                None,
                [
                    f"Geen incassokosten: de veertiendagenbrief noemt {format_eur(stated)}, meer dan de staffel "
                    f"toestaat ({format_eur(allowed)}); daarmee is de brief ongeldig."
                    if nl
                    else f"No collection costs: the 14-day letter states {_eur(stated, language)}, more than the "
                    f"decree's scale allows ({_eur(allowed, language)}); that makes the letter invalid."
                ],
                ids,
                language,
            )
        if stated < allowed:
            # the letter must name the exact amount; claim no more than it named
            head.append(
                f"De brief noemde {format_eur(stated)} (inclusief eventuele btw); meer wordt niet gevorderd."
                if nl
                else f"The letter stated {_eur(stated, language)} (including any VAT); no more is claimed."
            )
            if not vat_pct:
                return _result(stated, base, None, head + lines, ids, language)
            costs = round_cents(stated * 100 / (100 + vat_pct))
            return CollectionCosts(
                costs, stated - costs, stated, round_cents(base), vat_pct, False, "\n".join(head + lines), ids
            )
    return _result(amount, base, vat_pct, head + lines, ids, language)
