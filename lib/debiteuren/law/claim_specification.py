"""A claim's specification: interest per period, payments allocated (6:43, 6:44), collection costs, totals.

One calculation for both front ends: ``debiteuren rente`` prints ``format_interest_specification``
of one claim with ``interest_warnings``; the claim calculator (app/vordering.py) calls
``calculate_specification`` for several claims of one debtor, which uses the same two functions and the
same ``collection_costs`` as ``debiteuren incassokosten``. The view only formats the
``Calculation`` it returns (``period_lines``, ``payment_lines``, ``notes``, ``specification``).

>>> calc = calculate_specification([Claim("F-1", Decimal("1000"), date(2025, 1, 1), "wettelijke")], [],
...                         date(2025, 12, 31), costs_basis=STAFFEL)
>>> calc.costs.costs, calc.total == calc.interest.total + Decimal("150.00")
(Decimal('150.00'), True)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple
from datetime import date, timedelta
from decimal import Decimal

from ..money import format_eur, round_cents
from .collection_costs import (
    ABOVE_MAXIMUM_WARNING,
    CollectionCosts,
    Invoice,
    business_collection_costs,
    collection_costs,
    consumer_collection_costs,
)
from .interest import ROUND_END, Claim, DebtorInterest, InterestResult, Payment, calculate_debtor_interest
from .prescription import interest_prescribed_before
from .rates import Rates, format_date, format_pct, load_rates, stale_rate_warnings

PROVISIONAL_NOTE = (
    "* voorlopig percentage: niet officieel vastgesteld of na de laatst bekende wijziging aangenomen; "
    "controleer het vóór gebruik."
)


def interest_prescription_warnings(first_day: date, last_day: date) -> tuple[str, ...]:
    """A Dutch warning when the interest period reaches back more than five years (art. 3:308 BW).

    >>> interest_prescription_warnings(date(2021, 11, 30), date(2026, 11, 30))
    ()
    >>> print(interest_prescription_warnings(date(2021, 11, 29), date(2026, 11, 30))[0])
    De renteperiode begint meer dan vijf jaar vóór de laatste rentedag: rente die vóór 30-11-2021 opeisbaar werd, kan verjaard zijn (art. 3:308 BW: vijf jaar), tenzij de verjaring tijdig is gestuit (art. 3:317 en 3:318 BW).
    """
    cutoff = interest_prescribed_before(last_day)
    if first_day >= cutoff:
        return ()
    return (
        f"De renteperiode begint meer dan vijf jaar vóór de laatste rentedag: rente die vóór {format_date(cutoff)} "
        "opeisbaar werd, kan verjaard zijn (art. 3:308 BW: vijf jaar), tenzij de verjaring tijdig is gestuit "
        "(art. 3:317 en 3:318 BW).",
    )


def _table(header: list[str], rows: list[list[str]], right: set[int]) -> list[str]:
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]

    def line(cells: list[str]) -> str:
        return "  ".join(
            c.rjust(w) if i in right else c.ljust(w) for i, (c, w) in enumerate(zip(cells, widths))
        ).rstrip()

    return [line(header), line(["-" * w for w in widths]), *(line(r) for r in rows)]


def format_interest_specification(result: InterestResult, warnings: tuple[str, ...] = ()) -> str:
    """A Dutch specification of the interest, per period, to attach for a collection agency or court."""
    method = "samengestelde rente (na elk jaar bijgeschreven)" if result.compound else "enkelvoudige rente"
    rounding = (
        "alleen het totaal afgerond (per periode getoonde bedragen zijn afgerond weergegeven)"
        if result.rounding == ROUND_END
        else "elke periode afgerond op centen (ook gesplitst op 1 januari en 1 juli)"
    )
    out = [
        f"Renteberekening: {result.rate_label}",
        f"Hoofdsom:   {format_eur(result.principal)}",
        *(
            [
                f"Kosten:     {format_eur(result.costs)} (geen rente; betalingen gaan eerst hierheen, art. 6:44 BW)"
                if result.costs_due_from is None
                else f"Kosten:     {format_eur(result.costs)}, verschuldigd vanaf {format_date(result.costs_due_from)} "
                "(geen rente; betalingen vanaf die dag gaan eerst hierheen, art. 6:44 BW)"
            ]
            if result.costs
            else []
        ),
        f"Periode:    {format_date(result.first_day)} tot en met {format_date(result.last_day)} "
        "(eerste en laatste rentedag tellen mee)",
        f"Methode:    {method}; werkelijke dagen / 365; {rounding}",
        "",
    ]
    rows = []
    for s in result.segments:
        if s.capitalised:
            rows.append(
                [
                    format_date(s.start),
                    "",
                    "",
                    "",
                    f"+ {format_eur(round_cents(s.capitalised))}",
                    "",
                    "rente van het afgelopen jaar bijgeschreven",
                ]
            )
        rows.append(
            [
                format_date(s.start),
                format_date(s.end),
                str(s.days),
                format_pct(s.rate_pct),
                format_eur(round_cents(s.base)),
                format_eur(round_cents(s.interest)),
                "voorlopig percentage *" if s.provisional else "",
            ]
        )
    if rows:
        out += _table(
            ["Van", "Tot en met", "Dagen", "Rente", "Grondslag", "Rentebedrag", "Toelichting"], rows, {2, 3, 4, 5}
        )
    else:
        out.append("Geen rentedagen in deze periode.")
    if result.payments:
        out += ["", "Betalingen, toegerekend volgens art. 6:44 BW (eerst kosten, dan rente, dan hoofdsom):"]
        pay_rows = [
            [
                format_date(p.day),
                format_eur(p.amount),
                format_eur(p.costs),
                format_eur(p.interest),
                format_eur(p.principal),
                format_eur(p.rest),
            ]
            for p in result.payments
        ]
        out += _table(["Datum", "Bedrag", "Kosten", "Rente", "Hoofdsom", "Niet toegerekend"], pay_rows, {1, 2, 3, 4, 5})
    out.append("")
    totals = [("Totaal rente", result.interest)]
    if result.payments:
        totals += [
            *([("Betaald op kosten", result.costs_paid)] if result.costs else []),
            ("Betaald op rente", result.interest_paid),
            ("Betaald op hoofdsom", result.principal_paid),
            ("Openstaande hoofdsom", result.outstanding_principal),
            ("Openstaande rente", result.outstanding_interest),
            *([("Openstaande kosten", result.outstanding_costs)] if result.costs else []),
            ("Totaal openstaand (hoofdsom en rente)", result.total),
        ]
        if result.costs:
            totals.append(("Totaal openstaand met kosten", result.total + result.outstanding_costs))
        if result.unallocated:
            totals.append(("Te veel betaald (niet toegerekend)", result.unallocated))
    else:
        totals += [("Hoofdsom", result.principal), ("Totaal hoofdsom en rente", result.total)]
        if result.costs:
            totals += [("Kosten", result.costs), ("Totaal met kosten", result.total + result.costs)]
    width = max(len(label) for label, _ in totals) + 1
    amount_width = max(len(format_eur(v)) for _, v in totals)
    out += [f"{label + ':':<{width}} {format_eur(value):>{amount_width}}" for label, value in totals]
    if result.provisional:
        out += ["", PROVISIONAL_NOTE]
    for warning in warnings:
        out += ["", f"Let op: {warning}"]
    return "\n".join(out)


def interest_warnings(rates: Rates, first_day: date | None, last_day: date, kinds: Sequence[str]) -> tuple[str, ...]:
    """What to check before using an interest calculation, in Dutch: a rate the table may miss on the last
    day (per kind of ``kinds``), interest older than five years (art. 3:308 BW) when ``first_day`` is given."""
    warnings = tuple(stale_rate_warnings(rates, last_day, kinds=tuple(kinds)))
    if first_day is not None:
        warnings += interest_prescription_warnings(first_day, last_day)
    return warnings


# ---------------------------------------------------------------------------
# the claim calculator: several claims of one debtor, with collection costs

# How the collection costs are computed (the keys the calculator's choice uses).
NO_COSTS = "geen"
STAFFEL = "staffel"  # the Besluit's scale over the summed principal (`debiteuren incassokosten`)
BUSINESS = "zakelijk"  # art. 6:96 lid 4 BW: € 40 per invoice, the scale once in default
CONSUMER = "consument"  # art. 6:96 lid 6 BW: only after a fourteen-day letter's term
COSTS_BASES = (NO_COSTS, STAFFEL, BUSINESS, CONSUMER)


class PeriodLine(NamedTuple):
    """One period of one claim as the calculator's table and export show it: amounts in whole cents."""

    claim_id: str
    start: date
    end: date
    days: int
    rate_pct: Decimal
    base: Decimal
    interest: Decimal
    capitalised: Decimal | None  # interest added to the base at the start (an anniversary); None: none
    provisional: bool


class PaymentLine(NamedTuple):
    """What a payment (or its part that reached the claim) paid off of one claim (art. 6:44 BW)."""

    claim_id: str
    day: date
    amount: Decimal
    costs: Decimal
    interest: Decimal
    principal: Decimal
    rest: Decimal  # not needed for this claim


@dataclass(frozen=True)
class Calculation:
    """What the calculator computed: the interest per claim with the payments, the costs, the texts."""

    interest: DebtorInterest
    costs: CollectionCosts | None
    warnings: tuple[str, ...]
    specification: str

    @property
    def total(self) -> Decimal:
        """Still owed: principal and interest, plus the collection costs (with their VAT)."""
        return self.interest.total + (self.costs.total if self.costs is not None else Decimal(0))

    @property
    def notes(self) -> tuple[str, ...]:
        """Everything to check before using the calculation, in Dutch (the warnings first)."""
        notes = list(self.warnings)
        if self.interest.provisional:
            notes.append("Er is een voorlopig rentepercentage gebruikt; controleer het vóór gebruik.")
        if self.costs is not None and self.costs.above_maximum:
            notes.append(ABOVE_MAXIMUM_WARNING)
        return tuple(notes)

    def period_lines(self) -> tuple[PeriodLine, ...]:
        """Every claim's periods, claim by claim; exact amounts rounded half-up to cents for showing."""
        return tuple(
            PeriodLine(
                claim.claim_id,
                s.start,
                s.end,
                s.days,
                s.rate_pct,
                round_cents(s.base),
                round_cents(s.interest),
                round_cents(s.capitalised) if s.capitalised else None,
                s.provisional,
            )
            for claim in self.interest.claims
            for s in claim.segments
        )

    def payment_lines(self) -> tuple[PaymentLine, ...]:
        """Every claim's payments with what each paid off, claim by claim."""
        return tuple(PaymentLine(claim.claim_id, *p) for claim in self.interest.claims for p in claim.payments)


def claim_collection_costs(
    claims: Sequence[Claim],
    last_day: date,
    basis: str,
    *,
    vat_pct: Decimal | None = None,
    in_default: bool = True,
    letter_term_end: date | None = None,
) -> CollectionCosts | None:
    """The collection costs on ``claims`` by ``basis`` (one of ``COSTS_BASES``); None for ``NO_COSTS``.

    A claim without a due date is taken as due the day before its first interest day.
    """
    if basis == NO_COSTS:
        return None
    if basis == STAFFEL:
        return collection_costs(sum((c.principal for c in claims), Decimal(0)), vat_pct=vat_pct)
    invoices = [Invoice(c.claim_id, c.principal, c.due_date or c.first_day - timedelta(days=1)) for c in claims]
    if basis == BUSINESS:
        return business_collection_costs(invoices, last_day, in_default=in_default, vat_pct=vat_pct)
    if basis == CONSUMER:
        return consumer_collection_costs(invoices, last_day, letter_term_end=letter_term_end, vat_pct=vat_pct)
    raise ValueError(f"unknown costs basis {basis!r}")  # a bug: the calculator offers COSTS_BASES only


def format_calculation(interest: DebtorInterest, costs: CollectionCosts | None, warnings: Sequence[str]) -> str:
    """The Dutch specification of several claims: each claim's as ``debiteuren rente`` prints it, how each
    payment was divided over the claims (6:43), the collection costs and the totals."""
    parts = []
    for claim in interest.claims:
        parts += [f"=== {claim.claim_id} ===", format_interest_specification(claim, ()), ""]
    if len(interest.claims) > 1 and interest.payments:
        parts.append("Betalingen verdeeld over de vorderingen (art. 6:43 BW):")
        for split in interest.payments:
            shares = "; ".join(f"{cid} {format_eur(amount)}" for cid, amount in split.shares) or "niets"
            rest = f"; niet toegerekend {format_eur(split.unallocated)}" if split.unallocated else ""
            parts.append(f"  {format_date(split.day)} {format_eur(split.amount)}: {shares}{rest}")
        parts.append("")
    if costs is not None:
        parts += ["Incassokosten:", costs.explanation]
        if costs.vat:
            parts.append(
                f"Incassokosten {format_eur(costs.costs)} + btw {format_eur(costs.vat)} = {format_eur(costs.total)}"
            )
        parts.append("")
    parts.append(f"Totaal openstaand hoofdsom en rente: {format_eur(interest.total)}")
    if costs is not None:
        parts.append(f"Incassokosten:                       {format_eur(costs.total)}")
        parts.append(f"Totaal te vorderen:                  {format_eur(interest.total + costs.total)}")
    for warning in warnings:
        parts += ["", f"Let op: {warning}"]
    return "\n".join(parts)


def calculate_specification(
    claims: Sequence[Claim],
    payments: Sequence[Payment],
    last_day: date,
    *,
    rates: Rates | None = None,
    compound: bool = True,
    rounding: str = ROUND_END,
    costs_basis: str = NO_COSTS,
    vat_pct: Decimal | None = None,
    in_default: bool = True,
    letter_term_end: date | None = None,
) -> Calculation:
    """Interest on ``claims`` through ``last_day`` with ``payments`` allocated by 6:43 and 6:44, the collection
    costs by ``costs_basis``, the warnings and the specification. Raises the law package's Dutch input errors."""
    rates = rates if rates is not None else load_rates()
    interest = calculate_debtor_interest(claims, payments, last_day, rates=rates, compound=compound, rounding=rounding)
    costs = claim_collection_costs(
        claims, last_day, costs_basis, vat_pct=vat_pct, in_default=in_default, letter_term_end=letter_term_end
    )
    kinds = tuple(dict.fromkeys(c.kind for c in claims))
    first_day = min((c.first_day for c in claims), default=None)
    warnings = interest_warnings(rates, first_day, last_day, kinds)
    return Calculation(interest, costs, warnings, format_calculation(interest, costs, warnings))
