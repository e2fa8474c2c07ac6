"""The command ``import-openposten WERKMAP BESTAND [--pakket NAAM] [--toepassen] [--json]``.

An XML Auditfile Financieel (.xaf) is recognised from its content and needs no
``--pakket``; any other export does.

``add_commands(subparsers)`` registers it; its handler prints Dutch text (or
one JSON object) and returns the exit code: 0 done, 1 when the export, the
mapping or the register cannot be read or written (nothing was changed then).
The clock (``datetime.now()`` for the write-back) is read here only.
"""

from __future__ import annotations

import argparse
from datetime import datetime
from pathlib import Path

from ..openposten.auditfile import import_auditfile, is_auditfile
from ..openposten.importer import OpenpostenError, import_openposten
from ..openposten.mappings import MappingError, available_mappings, load_mapping
from ..openposten.report import import_json, import_text
from .imports import holding_register, run_import


def add_commands(subparsers: argparse._SubParsersAction) -> None:
    """Register ``import-openposten`` on ``subparsers``."""
    command = subparsers.add_parser(
        "import-openposten",
        help="lees openstaande posten: een export (Exact Online, Twinfield, AFAS, Yuki, Moneybird, SnelStart) "
        "of een XML Auditfile Financieel (.xaf)",
        description="Lees een export van openstaande posten debiteuren (CSV of Excel) uit een boekhoudpakket, "
        "toon welke debiteuren en facturen nieuw zijn en wat afwijkt van het register, en voeg met --toepassen "
        "de nieuwe toe aan de bladen Debiteuren en Facturen. Afwijkingen worden gemeld, nooit overschreven.",
    )
    command.add_argument("werkmap", metavar="WERKMAP", help="het register (.xlsx)")
    command.add_argument("bestand", metavar="BESTAND", help="de export (.csv of .xlsx) of het auditbestand (.xaf)")
    command.add_argument(
        "--pakket",
        required=False,
        metavar="NAAM",
        help="het pakket van de export: "
        + ", ".join(available_mappings())
        + " (of het pad van een .toml-koppelbestand)",
    )
    command.add_argument("--toepassen", action="store_true", help="voeg de nieuwe debiteuren en facturen toe")
    command.add_argument("--json", action="store_true", help="uitvoer als één JSON-object")
    command.set_defaults(func=run_import_openposten)


def run_import_openposten(args) -> int:
    def do_import():
        if is_auditfile(args.bestand):
            return import_auditfile(
                Path(args.werkmap), Path(args.bestand), apply=args.toepassen, generated_at=datetime.now()
            )
        if not args.pakket:
            raise MappingError(PACKAGE_NEEDED)
        mapping = load_mapping(args.pakket)
        return import_openposten(
            Path(args.werkmap), Path(args.bestand), mapping, apply=args.toepassen, generated_at=datetime.now()
        )

    return run_import(
        holding_register(args.werkmap, do_import, writes=args.toepassen),
        (MappingError, OpenpostenError),
        as_json=args.json,
        to_json=import_json,
        to_text=lambda result: import_text(result, applied=args.toepassen),
    )


PACKAGE_NEEDED = (
    "Geef met --pakket aan uit welk pakket de export komt (" + ", ".join(available_mappings()) + "); "
    "een XML Auditfile (.xaf) wordt vanzelf herkend."
)
