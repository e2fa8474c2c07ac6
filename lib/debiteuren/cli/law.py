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
from ..law.claim_specification import format_interest_specification, interest_warnings
from ..law.collection_costs import CollectionCosts, collection_costs
from ..law.interest import ROUND_END, ROUND_PERIOD, InterestResult, Payment, calculate_interest
from ..law.rates import HANDELSRENTE, WETTELIJKE, LawInputError, load_rates
from ..money import (
    AmountError,
    NotAnAmount,
    format_eur,
    json_amount,
    parse_amount,
    read_typed_amount,
    to_cents,
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
    warnings = interest_warnings(load_rates(), args.vanaf, args.tot, (args.soort,))
    if args.json:
        print(json.dumps(interest_json(result, warnings), ensure_ascii=False))
    else:
        print(format_interest_specification(result, warnings))
    return 0


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
