"""Small copies of the demo register for end-to-end tests through the command line.

``demo_copy(folder)`` writes a 40-debtor demo register (built once per test
session) to ``folder/debiteuren.xlsx``. ``edit_demo`` changes cells with
openpyxl (text stays text, also when it starts with ``=``), ``rename_debtors``
gives debtors other numbers on every sheet. ``review_with_letters`` runs
``debiteuren review --brieven`` in-process without a PDF converter: LibreOffice
costs seconds per run, and the bundle's PDF route has its own tests.
"""

from __future__ import annotations

import functools
import tempfile
from contextlib import redirect_stderr, redirect_stdout
from datetime import date
from io import StringIO
from pathlib import Path

import openpyxl
import pytest

PEILDATUM = date(2026, 10, 31)
DEMO_NAME = "debiteuren.xlsx"


@functools.cache
def _demo_bytes() -> bytes:
    from debiteuren.demo import build_demo

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / DEMO_NAME
        build_demo(path, debtors=40)  # the story's smallest size that builds (30 does not)
        return path.read_bytes()


def demo_copy(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / DEMO_NAME
    path.write_bytes(_demo_bytes())
    return path


def edit_demo(path: Path, edit) -> None:
    """Load with openpyxl, ``edit(workbook)``, save (write text with ``set_text``)."""
    workbook = openpyxl.load_workbook(path)
    edit(workbook)
    workbook.save(path)


def set_text(cell, value: str) -> None:
    """A text cell, even for ``=...`` (openpyxl would make that a formula)."""
    cell.value = value
    cell.data_type = "s"


def headers(sheet) -> dict[str, int]:
    return {c.value: c.column for c in sheet[1] if c.value}


def rows_of(sheet, column: str, value: str):
    """The rows (1-based numbers) where ``column`` holds ``value``."""
    col = headers(sheet)[column]
    return [r for r in range(2, sheet.max_row + 1) if str(sheet.cell(r, col).value) == value]


def rename_debtors(workbook, numbers: dict[str, str]) -> None:
    """Give debtors other numbers everywhere they appear (Debiteurnummer columns)."""
    for sheet in workbook.worksheets:
        col = headers(sheet).get("Debiteurnummer")
        if col is None:
            continue
        for r in range(2, sheet.max_row + 1):
            cell = sheet.cell(r, col)
            if cell.value is not None and str(cell.value) in numbers:
                set_text(cell, numbers[str(cell.value)])


def run_cli(argv: list[str]) -> tuple[int, str, str]:
    from debiteuren.cli import main

    out, err = StringIO(), StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(argv)
    return code, out.getvalue(), err.getvalue()


def review_with_letters(path: Path, *extra: str) -> tuple[int, str, str]:
    import debiteuren.letters.pdf as pdf

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(pdf, "converter", lambda: None)
        # Dated the peildatum on purpose (the default is the day they are made), so the folder is known.
        return run_cli(
            [
                "review",
                str(path),
                "--peildatum",
                PEILDATUM.isoformat(),
                "--brieven",
                "--briefdatum",
                PEILDATUM.isoformat(),
                *extra,
            ]
        )


def letters_folder(path: Path) -> Path:
    return path.parent / "brieven" / PEILDATUM.isoformat()


def logged_letters(path: Path) -> list[tuple[str, str, str]]:
    """(debtor, kind, document) of every letter in the log: rows with a document hash."""
    from debiteuren.register import read_register

    actions = read_register(path).actions
    rows = actions.loc[actions["digest"].notna()]
    return sorted(zip(rows["debtor_id"], rows["kind"], rows["document"]))
