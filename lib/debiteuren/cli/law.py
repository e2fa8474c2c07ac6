"""The command-line commands ``rente`` and ``incassokosten`` (design §9).

``add_commands(subparsers)`` registers both on the main parser's subparsers; each
sets ``func`` to a handler that prints and returns the exit code.

>>> import argparse
>>> parser = argparse.ArgumentParser(prog="debiteuren")
>>> add_commands(parser.add_subparsers(dest="command"))
>>> args = parser.parse_args(["incassokosten", "--hoofdsom", "2.500,00", "--json"])
>>> args.func(args)
{"principal": "2500.00", "costs": "375.00", "vat": "0.00", "total": "375.00", "vat_pct": null, "above_maximum": false, "explanation": "Incassokosten volgens de staffel van het Besluit vergoeding voor buitengerechtelijke incassokosten over een hoofdsom van € 2.500,00:\\n  15% over € 2.500,00 = € 375,00\\nSamen € 375,00."}
0
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from decimal import Decimal

from ..errors import user_lines
from ..law.collection_costs import CollectionCosts, collection_costs
from ..law.interest import ROUND_END, ROUND_PERIOD, InterestResult, Payment, calculate_interest
from ..law.prescription import interest_prescribed_before
from ..law.rates import (
    HANDELSRENTE,
    WETTELIJKE,
    LawInputError,
    format_date,
    format_pct,
    load_rates,
    stale_rate_warnings,
)
from ..money import (
    AmountError,
    NotAnAmount,
    format_eur,
    json_amount,
    parse_amount,
    read_typed_amount,
    round_cents,
    to_cents,
)

PROVISIONAL_NOTE = (
    "* voorlopig percentage: niet officieel vastgesteld of na de laatst bekende wijziging aangenomen; "
    "controleer het vóór gebruik."
)


# ---------------------------------------------------------------------------
# argument types: Dutch messages, argparse exits with code 2


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"'{text}' is geen geldige datum (verwacht jjjj-mm-dd, bijvoorbeeld 2026-11-30)"
        )


def _amount(text: str) -> Decimal:
    try:
        amount = read_typed_amount(text)
    except NotAnAmount:
        raise argparse.ArgumentTypeError(f"'{text}' is geen bedrag (bijvoorbeeld 1234,56 of 1234.56)") from None
    except AmountError as error:  # too large, or more than two decimals
        raise argparse.ArgumentTypeError(str(error)) from None
    if amount < 0:
        raise argparse.ArgumentTypeError(f"'{text}' is negatief")
    return amount


def _payment(text: str) -> Payment:
    day, sep, amount = text.partition("=")
    if not sep:
        raise argparse.ArgumentTypeError(
            f"'{text}' is geen betaling (verwacht DATUM=BEDRAG, bijvoorbeeld 2025-09-30=500,00)"
        )
    return Payment(_date(day.strip()), _amount(amount.strip()))


def _percentage(text: str) -> Decimal:
    try:
        pct = parse_amount(text.rstrip("%"))
    except AmountError:
        raise argparse.ArgumentTypeError(f"'{text}' is geen percentage (bijvoorbeeld 21)")
    if not 0 <= pct <= 100:
        raise argparse.ArgumentTypeError(f"'{text}' ligt niet tussen 0 en 100")
    return pct


def add_commands(subparsers: argparse._SubParsersAction) -> None:
    """Register ``rente`` and ``incassokosten`` on ``subparsers``."""
    rente = subparsers.add_parser(
        "rente",
        help="wettelijke (handels)rente over een hoofdsom, met specificatie per periode",
        description="Bereken de wettelijke rente (art. 6:119 BW) of wettelijke handelsrente (art. 6:119a BW) "
        "over een hoofdsom, van de eerste tot en met de laatste rentedag.",
    )
    rente.add_argument(
        "--hoofdsom", required=True, type=_amount, metavar="BEDRAG", help="hoofdsom, bijvoorbeeld 1234,56"
    )
    rente.add_argument(
        "--vanaf", required=True, type=_date, metavar="DATUM", help="eerste rentedag (jjjj-mm-dd), telt mee"
    )
    rente.add_argument(
        "--tot", required=True, type=_date, metavar="DATUM", help="laatste rentedag (jjjj-mm-dd), telt mee"
    )
    rente.add_argument("--soort", required=True, choices=(HANDELSRENTE, WETTELIJKE), help="handelsrente of wettelijke")
    rente.add_argument(
        "--betaling",
        action="append",
        type=_payment,
        default=[],
        metavar="DATUM=BEDRAG",
        help="deelbetaling (mag vaker); toegerekend aan kosten, rente, hoofdsom (art. 6:44 BW)",
    )
    rente.add_argument(
        "--kosten",
        type=_amount,
        default=Decimal(0),
        metavar="BEDRAG",
        help="kosten (bijvoorbeeld incassokosten) waaraan een betaling eerst wordt toegerekend (art. 6:44 BW); "
        "er loopt geen rente over",
    )
    rente.add_argument(
        "--kosten-vanaf",
        type=_date,
        metavar="DATUM",
        help="dag (jjjj-mm-dd) vanaf wanneer de kosten verschuldigd zijn; een betaling daarvóór gaat alleen naar "
        "rente en hoofdsom (standaard: de kosten zijn al verschuldigd)",
    )
    rente.add_argument(
        "--afronding",
        choices=(ROUND_END, ROUND_PERIOD),
        default=ROUND_END,
        help="einde: alleen het totaal afronden (standaard); periode: per halfjaar en per periode afronden",
    )
    rente.add_argument("--enkelvoudig", action="store_true", help="enkelvoudige rente (geen rente op rente)")
    rente.add_argument("--json", action="store_true", help="uitvoer als één JSON-object")
    rente.set_defaults(func=run_interest)

    costs = subparsers.add_parser(
        "incassokosten",
        help="buitengerechtelijke incassokosten volgens de staffel",
        description="Bereken de buitengerechtelijke incassokosten volgens het Besluit vergoeding voor "
        "buitengerechtelijke incassokosten (minimaal € 40, maximaal € 6.775).",
    )
    costs.add_argument(
        "--hoofdsom", required=True, type=_amount, metavar="BEDRAG", help="hoofdsom, bijvoorbeeld 1234,56"
    )
    costs.add_argument(
        "--btw",
        type=_percentage,
        metavar="PCT",
        help="btw-percentage erbovenop (alleen als de schuldeiser de btw niet kan verrekenen)",
    )
    costs.add_argument("--json", action="store_true", help="uitvoer als één JSON-object")
    costs.set_defaults(func=run_collection_costs)


# ---------------------------------------------------------------------------
# handlers


def run_interest(args: argparse.Namespace) -> int:
    try:
        result = calculate_interest(
            args.hoofdsom,
            args.vanaf,
            args.tot,
            args.soort,
            compound=not args.enkelvoudig,
            rounding=args.afronding,
            payments=args.betaling,
            costs=args.kosten,
            costs_due_from=args.kosten_vanaf,
        )
    except LawInputError as problem:
        print("\n".join(user_lines(problem)), file=sys.stderr)
        return 1
    warnings = stale_rate_warnings(load_rates(), args.tot, kinds=(args.soort,)) + interest_prescription_warnings(
        args.vanaf, args.tot
    )
    if args.json:
        print(json.dumps(interest_json(result, warnings), ensure_ascii=False))
    else:
        print(format_interest_specification(result, warnings))
    return 0


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


def run_collection_costs(args: argparse.Namespace) -> int:
    try:
        result = collection_costs(args.hoofdsom, vat_pct=args.btw)
    except LawInputError as problem:
        print("\n".join(user_lines(problem)), file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps(collection_costs_json(args.hoofdsom, result), ensure_ascii=False))
    else:
        print(result.explanation)
        if result.vat:
            print(
                f"Incassokosten {format_eur(result.costs)} + btw {format_eur(result.vat)} = {format_eur(result.total)}"
            )
        else:
            print(f"Incassokosten: {format_eur(result.total)}")
    return 0


# ---------------------------------------------------------------------------
# output


def _j(amount: Decimal) -> str:
    return json_amount(to_cents(amount))


def interest_json(result: InterestResult, warnings: tuple[str, ...] = ()) -> dict:
    """The JSON object of ``rente --json``: amounts as strings with two decimals."""
    return {
        "kind": result.kind,
        "rate": result.rate_label,
        "principal": _j(result.principal),
        "first_day": result.first_day.isoformat(),
        "last_day": result.last_day.isoformat(),
        "compound": result.compound,
        "rounding": result.rounding,
        "interest": _j(result.interest),
        "total": _j(result.total),
        "provisional": result.provisional,
        "periods": [
            {
                "from": s.start.isoformat(),
                "to": s.end.isoformat(),
                "days": s.days,
                "rate": f"{s.rate_pct:.2f}" if s.rate_pct == s.rate_pct.quantize(Decimal("0.01")) else str(s.rate_pct),
                "base": _j(s.base),
                "interest": _j(s.interest),
                "capitalised": _j(s.capitalised),
                "provisional": s.provisional,
            }
            for s in result.segments
        ],
        "payments": [
            {
                "date": p.day.isoformat(),
                "amount": _j(p.amount),
                "costs": _j(p.costs),
                "interest": _j(p.interest),
                "principal": _j(p.principal),
                "unallocated": _j(p.rest),
            }
            for p in result.payments
        ],
        "costs": _j(result.costs),
        "costs_due_from": result.costs_due_from.isoformat() if result.costs_due_from else None,
        "costs_paid": _j(result.costs_paid),
        "outstanding_costs": _j(result.outstanding_costs),
        "interest_paid": _j(result.interest_paid),
        "principal_paid": _j(result.principal_paid),
        "outstanding_principal": _j(result.outstanding_principal),
        "outstanding_interest": _j(result.outstanding_interest),
        "unallocated": _j(result.unallocated),
        "warnings": list(warnings),
    }


def collection_costs_json(principal: Decimal, result: CollectionCosts) -> dict:
    """The JSON object of ``incassokosten --json``."""
    return {
        "principal": _j(principal),
        "costs": _j(result.costs),
        "vat": _j(result.vat),
        "total": _j(result.total),
        "vat_pct": None if result.vat_pct is None else str(result.vat_pct),
        "above_maximum": result.above_maximum,
        "explanation": result.explanation,
    }


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
