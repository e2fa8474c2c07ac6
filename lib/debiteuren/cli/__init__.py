"""The command line: ``debiteuren demo | controleer | review | rente | incassokosten | import-bank | import-openposten``.

The contract is design §9. Messages are Dutch; exit code 0 on success, 1 when
the register has errors, cannot be read or cannot be written, or a letter of
``review --brieven`` could not be made as asked (it is named, and not logged),
2 for wrong arguments (argparse). The clock (``date.today()`` as the default peildatum and
letter date, ``datetime.now()`` for the result sheets' title line) is read here only.

This module holds the main parser and ``demo``, ``controleer`` and ``review``; the other commands
register themselves from their own module: ``law.py`` (rente, incassokosten), ``bank.py``
(import-bank), ``openposten.py`` (import-openposten), ``program.py`` (app, sjablonen);
``imports.py`` is what the two imports and the app's Importeren tab share.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from datetime import date, datetime
from pathlib import Path

from ..dutch import format_date
from ..errors import LETTERS_NOT_LOGGED, NO_INVOICES, DebiteurenError, is_debug, not_a_date, user_lines
from ..register import RegisterInvalid, WorkbookUnreadable, read_register
from ..register.summary import register_summary

REPO_WORKBOOK = Path(__file__).resolve().parents[3] / "workbook"


class DutchArgumentParser(argparse.ArgumentParser):
    """argparse with its few fixed English phrases in Dutch."""

    def error(self, message: str):  # pragma: no cover - exercised through main()
        message = (
            message.replace("the following arguments are required", "deze argumenten ontbreken")
            .replace("unrecognized arguments", "onbekende argumenten")
            .replace("invalid choice", "ongeldige keuze")
            .replace("expected one argument", "verwacht één waarde")
        )
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: fout: {message}\n")


def iso_date(text: str) -> date:
    """A date typed on the command line: ISO or as a Dutch controller writes it (day first).

    >>> iso_date("2026-10-31"), iso_date("31-10-2026")
    (datetime.date(2026, 10, 31), datetime.date(2026, 10, 31))
    """
    from ..register.cells import CellError, read_date

    try:
        return read_date(text)
    except CellError:
        raise argparse.ArgumentTypeError(not_a_date(text)) from None


def build_parser() -> argparse.ArgumentParser:
    parser = DutchArgumentParser(
        prog="debiteuren",
        description="Debiteurenbeheer op je Excel-register: controle, maandreview, wettelijke rente en incassokosten.",
    )
    parser._positionals.title = "opdrachten"
    parser._optionals.title = "opties"
    commands = parser.add_subparsers(dest="command", metavar="OPDRACHT", parser_class=DutchArgumentParser)

    demo = commands.add_parser("demo", help="kopieer het demoregister naar MAP en voer de maandreview erop uit")
    demo.add_argument(
        "map", nargs="?", default="demo", metavar="MAP", help="map voor het demoregister (standaard: demo)"
    )
    demo.set_defaults(func=run_demo)

    check = commands.add_parser("controleer", help="controleer het register en toon elk probleem")
    check.add_argument("werkmap", metavar="WERKMAP", help="het register (.xlsx)")
    check.set_defaults(func=run_check)

    review = commands.add_parser("review", help="de maandreview: openstaande posten, ouderdom, kerncijfers")
    review.add_argument("werkmap", metavar="WERKMAP", help="het register (.xlsx)")
    review.add_argument("--peildatum", type=iso_date, default=None, metavar="D", help="peildatum (standaard: vandaag)")
    review.add_argument(
        "--niet-terugschrijven",
        action="store_true",
        help="laat de werkmap ongemoeid (standaard worden de resultaatbladen teruggeschreven)",
    )
    review.add_argument(
        "--brieven", action="store_true", help="maak de brieven voor de stappen die nu aan de beurt zijn"
    )
    review.add_argument(
        "--briefdatum",
        type=iso_date,
        default=None,
        metavar="D",
        help="datum van de brieven: de dag waarop ze worden verstuurd (standaard: vandaag, niet de peildatum)",
    )
    review.add_argument(
        "--uitvoer", metavar="MAP", default=None, help="map voor de brieven (standaard: brieven/DATUM naast de werkmap)"
    )
    review.add_argument("--json", action="store_true", help="uitvoer als één JSON-object")
    review.set_defaults(func=run_review)

    from . import bank as bank_commands
    from . import law as law_commands
    from . import openposten as openposten_commands
    from . import program as program_commands

    law_commands.add_commands(commands)
    bank_commands.add_commands(commands)
    openposten_commands.add_commands(commands)
    program_commands.add_commands(commands)
    return parser


def _read(path: Path):
    """The register, or a Dutch message on stderr and None."""
    try:
        return read_register(path)
    except (WorkbookUnreadable, RegisterInvalid) as error:
        _report(error)
    return None


def _report(error: BaseException) -> None:
    """The error's Dutch lines on stderr; an invalid register also with its warnings and what to do."""
    print("\n".join(user_lines(error)), file=sys.stderr)
    if isinstance(error, RegisterInvalid):
        if error.warnings:
            print(_warnings_text(error.warnings), file=sys.stderr)
        print(
            "Er is niets berekend of weggeschreven. Herstel de fouten in Excel en probeer het opnieuw.", file=sys.stderr
        )


def _warnings_text(warnings) -> str:
    return "\n".join([f"Waarschuwingen ({len(warnings)}):", *(f"- {w}" for w in warnings)])


def run_check(args) -> int:
    register = _read(Path(args.werkmap))
    if register is None:
        return 1
    if register.invoices.empty:
        # The issue counts a register of zero rows as invalid: there is nothing to check or review.
        print(
            f"Fout: Het register '{Path(args.werkmap).name}' {NO_INVOICES}: er valt niets te controleren. "
            "De bladen en kolommen zijn in orde; vul de bladen 'Debiteuren' en 'Facturen' en probeer het opnieuw.",
            file=sys.stderr,
        )
        return 1
    print(f"Het register '{Path(args.werkmap).name}' is in orde.")
    print(register_summary(register))
    from ..invoice_prescription import register_prescription_warnings

    warnings = (*register.warnings, *register_prescription_warnings(register, date.today()))
    if warnings:
        print(_warnings_text(warnings))
    return 0


def run_review(args) -> int:
    from contextlib import nullcontext

    from ..register.write.file_safety import register_lock
    from ..register.write.messages import WriteBackRefused

    path = Path(args.werkmap)
    # A review that writes holds the workbook from reading to the last log row: a second review
    # started meanwhile is refused, so it never plans (and logs) the same letters again.
    writes = not args.niet_terugschrijven and path.is_file()
    try:
        with register_lock(path) if writes else nullcontext() as taken_over:
            if taken_over:
                print(taken_over, file=sys.stderr)
            return _review(args)
    except WriteBackRefused as refused:
        _report(refused)
        return 1


def _review(args) -> int:
    from ..monthly_run import LettersNotMade, NothingToReview, run_month, run_month_with_letters
    from ..register.write.messages import WriteBackRefused
    from ..review_report import review_json, summary_text

    peildatum = args.peildatum or date.today()
    letters = getattr(args, "brieven", False)
    if letters and args.niet_terugschrijven:
        print(
            "Fout: --brieven schrijft elke brief in het logboek; dat kan niet met --niet-terugschrijven.",
            file=sys.stderr,
        )
        return 1
    batch = None
    try:
        if letters:
            # Review, letters, log and the refreshed result sheets: one function, one write (issue 18).
            run, batch = run_month_with_letters(
                Path(args.werkmap),
                peildatum,
                generated_at=datetime.now(),
                # The day the letters are made and sent, never the peildatum: terms count from it.
                letter_date=args.briefdatum or date.today(),
                out_dir=Path(args.uitvoer) if args.uitvoer else None,
                progress=None if args.json else _progress_bar,
            )
        else:
            run = run_month(
                Path(args.werkmap),
                peildatum,
                generated_at=datetime.now(),
                write=not args.niet_terugschrijven,
                letter_date=args.briefdatum,  # the plan's pay-by dates count from it (default: today)
            )
    except WriteBackRefused as refused:
        if letters:  # refusals before any letter is made are LettersNotMade
            print(f"{LETTERS_NOT_LOGGED}: {refused}", file=sys.stderr)
        else:
            _report(refused)
        return 1
    except (WorkbookUnreadable, RegisterInvalid, NothingToReview, LettersNotMade) as error:
        _report(error)
        return 1
    except OSError as error:
        if not letters:
            raise
        # A full disk, a folder that cannot be written: while the letters were made.
        from ..register.write.messages import file_error_text

        print(
            f"Fout: {file_error_text(error)}. De "
            "brieven zijn niet in het logboek gezet. Los dit op en start de review opnieuw; brieven die nog "
            "niet in het logboek staan, worden dan opnieuw gemaakt.",
            file=sys.stderr,
        )
        return 1
    code = 0 if batch is None or batch.complete else 1
    if args.json:
        data = review_json(run.review)
        if batch is not None:
            data["letters"] = [str(d.docx) for d in batch.bundle.documents] if batch.bundle else []
            data["bundle"] = str(batch.bundle.pdf) if batch.bundle and batch.bundle.pdf else None
            data["failed"] = [
                {"debtor": step.debtor_id, "action": step.action, "reason": reason} for step, reason in batch.failed
            ]
        print(json.dumps(data, ensure_ascii=False, indent=2))
        if batch is not None and batch.problems:
            print("\n".join(["Fout:", *batch.problems]), file=sys.stderr)
        return code
    print(summary_text(run.review))
    if run.register.warnings:
        print(_warnings_text(run.register.warnings))
    if run.written is not None:
        print()
        print(run.written.summary())
    else:
        print("\nDe werkmap is niet gewijzigd (--niet-terugschrijven).")
    if batch is not None:
        print()
        print("\n".join(line for line in batch.messages if not run.written or line != run.written.summary()))
        for step, reason in batch.skipped:
            print(f"- {step.debtor_id} {step.name}: {reason}")
        if batch.problems:
            print("\n".join(["Fout:", *batch.problems]), file=sys.stderr)
    return code


def _progress_bar(done: int, total: int, text: str) -> None:
    width = 30
    filled = width * done // max(total, 1)
    end = "\n" if done >= total else ""
    print(
        f"\r[{'#' * filled}{' ' * (width - filled)}] {done}/{total} {text[:60]:<60}",
        end=end,
        file=sys.stderr,
        flush=True,
    )


def demo_source() -> Path | None:
    """The committed demo register when running from the repository."""
    path = REPO_WORKBOOK / "debiteuren.xlsx"
    return path if path.exists() else None


def run_demo(args) -> int:
    from ..demo import DEMO_PEILDATUM, build_demo

    folder = Path(args.map)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / "debiteuren.xlsx"
    source = demo_source()
    if source is not None:
        shutil.copyfile(source, target)
    else:
        build_demo(target)
    print(f"Demoregister gekopieerd naar {target}; maandreview per {format_date(DEMO_PEILDATUM)}:\n")
    # Parsed as the command line would: every option of `review` gets its default.
    return run_review(build_parser().parse_args(["review", str(target), "--peildatum", DEMO_PEILDATUM.isoformat()]))


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return args.func(args)
    except Exception as error:  # the outermost edge: a controller never sees a traceback, unless asked for
        if is_debug() and not isinstance(error, (DebiteurenError, OSError)):
            raise
        # A folder that cannot be written, a full disk, a refusal: Dutch; a bug: unexpected, with the hint.
        print("\n".join(user_lines(error, debug=False)), file=sys.stderr)
        return 1
