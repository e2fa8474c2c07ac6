"""The command ``import-bank WERKMAP BESTAND [--toepassen] [--json]``.

``add_commands(subparsers)`` registers it; its handler prints Dutch text (or
one JSON object) and returns the exit code: 0 done, 1 when the statement or
the register cannot be read or written (nothing was changed then). The clock
(``datetime.now()`` for the write-back) is read here only.
"""

from __future__ import annotations

import argparse
from datetime import datetime
from pathlib import Path

from ..bank.bank_import import Confirmation, StatementRefused, import_bank
from ..bank.statements import StatementError
from ..bank.report import import_json, import_text
from .imports import holding_register, run_import


def add_commands(subparsers: argparse._SubParsersAction) -> None:
    """Register ``import-bank`` on ``subparsers``."""
    command = subparsers.add_parser(
        "import-bank",
        help="lees een bankafschrift (CAMT.053 of MT940) en stel per ontvangst een debiteur en factuur voor",
        description="Lees een bankafschrift (CAMT.053 of MT940), koppel elke ontvangst aan een openstaande "
        "factuur en boek met --toepassen de zekere koppelingen (betrouwbaarheid 'hoog') in het blad Betalingen.",
    )
    command.add_argument("werkmap", metavar="WERKMAP", help="het register (.xlsx)")
    command.add_argument("bestand", metavar="BESTAND", help="het bankafschrift (CAMT.053 .xml of MT940)")
    command.add_argument(
        "--toepassen", action="store_true", help="voeg de voorstellen met betrouwbaarheid 'hoog' toe aan Betalingen"
    )
    command.add_argument(
        "--bevestig",
        action="append",
        default=[],
        metavar="REFERENTIE=DEBITEUR[/FACTUUR]",
        help="boek met --toepassen ook deze ontvangst (de bankreferentie uit de lijst) op deze debiteur en "
        "factuur (zonder factuur: de oudste open factuur); mag vaker",
    )
    command.add_argument("--json", action="store_true", help="uitvoer als één JSON-object")
    command.set_defaults(func=run_import_bank)


def parse_confirmation(text: str) -> Confirmation:
    """``REFERENTIE=DEBITEUR[/FACTUUR]`` as the controller types it after ``--bevestig``.

    >>> parse_confirmation("ID-20261031-C663.20-0A1B2C3D4E=10002/2026-0411")
    Confirmation(bank_reference='ID-20261031-C663.20-0A1B2C3D4E', debtor_id='10002', invoice_id='2026-0411')
    >>> parse_confirmation("DEMO202610310005=10002").invoice_id is None
    True
    """
    reference, sep, choice = text.partition("=")
    debtor, _, invoice = choice.partition("/")
    if not sep or not reference.strip() or not debtor.strip():
        raise StatementRefused(
            f"--bevestig '{text}' is onleesbaar; schrijf REFERENTIE=DEBITEUR of REFERENTIE=DEBITEUR/FACTUUR, "
            "met de bankreferentie uit de lijst van voorstellen (--json)."
        )
    return Confirmation(reference.strip(), debtor.strip(), invoice.strip() or None)


def run_import_bank(args) -> int:
    return run_import(
        holding_register(
            args.werkmap,
            lambda: import_bank(
                Path(args.werkmap),
                Path(args.bestand),
                apply=args.toepassen,
                generated_at=datetime.now(),
                confirmations=tuple(parse_confirmation(c) for c in args.bevestig),
            ),
            writes=args.toepassen,
        ),
        (StatementError, StatementRefused),
        as_json=args.json,
        to_json=import_json,
        to_text=lambda result: import_text(result, applied=args.toepassen),
    )
