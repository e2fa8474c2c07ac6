"""Debtor numbers keep the register's type in everything the tool writes (issue 16, Build 5).

A register whose Debiteurnummer column holds numbers gets numbers back in Acties,
Betalingen, Facturen, Debiteuren and the result sheets, so a pivot table or a
lookup sees one debtor; a register that types them as text (leading zeros) keeps text.
Both writers are held to it: the file (register/write/file_writer.py) and the open workbook
(register/write/live.py, run against tests/fake_xlwings.py, not Excel).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from bank_statements import camt053_from_payments
from debiteuren.bank import import_bank
from debiteuren.monthly_run import run_month, run_month_with_letters
from debiteuren.openposten import import_openposten, load_mapping
from debiteuren.register import read_register
from debiteuren.register.model import KeyTypes
from debiteuren.register.writeback import write_back
from debiteuren.review import review
from debiteuren.task_outcomes import SPOKEN, TaskOutcome, record_task_outcome
from fake_xlwings import FakeBook
from workbooks import DEFAULT_SHEETS, write_register

PEILDATUM = date(2026, 10, 31)
NOW = datetime(2026, 11, 2, 9, 30)
COMPANY_IBAN = "NL91ABNA0417164300"
OPENPOSTEN = Path(__file__).parent / "fixtures_openposten"
# Every sheet the tool writes debtor numbers into, and the header of that column.
WRITTEN_SHEETS = ("Debiteuren", "Facturen", "Betalingen", "Acties", "Ouderdom", "Actielijst")


def with_debtor_numbers(number) -> dict[str, list[list[object]]]:
    """The default small register with each debtor number passed through ``number`` (1001 -> 1001 or '01001')."""
    sheets = {}
    for name in ("Debiteuren", "Facturen", "Betalingen", "Acties"):
        rows = [list(r) for r in DEFAULT_SHEETS[name]]
        at = rows[0].index("Debiteurnummer")
        for row in rows[1:]:
            row[at] = number(row[at])
        sheets[name] = rows
    return sheets


def debtor_cells(sheet) -> list[openpyxl.cell.Cell]:
    """The Debiteurnummer cells below the header of a register or result sheet (not a totals row's label)."""
    for row in sheet.iter_rows(max_row=5):
        for cell in row:
            if cell.value == "Debiteurnummer":
                return [
                    sheet.cell(r, cell.column)
                    for r in range(cell.row + 1, sheet.max_row + 1)
                    if sheet.cell(r, cell.column).value not in (None, "Totaal")
                ]
    raise AssertionError(f"no Debiteurnummer column in {sheet.title}")


def statement_paying_f002(folder: Path) -> Path:
    """A bank statement with one payment: 1002 pays invoice F-002 in full, quoting it."""
    payments = pd.DataFrame(
        {
            "payment_date": [pd.Timestamp("2026-10-30")],
            "amount_cents": [12100],
            "debtor_id": ["1002"],
            "invoice_id": ["F-002"],
        }
    )
    debtors = pd.DataFrame({"debtor_id": ["1002"], "name": ["J. de Vries"], "iban": [None]})
    path = folder / "afschrift.xml"
    path.write_bytes(
        camt053_from_payments(payments, debtors, COMPANY_IBAN, designate=lambda r: (f"Factuur {r.invoice_id}", ""))
    )
    return path


def a_month_of_writing(path: Path, tmp_path: Path) -> None:
    """A review with letters, a task outcome, a bank import and an open-items import, each writing the file."""
    _, batch = run_month_with_letters(
        path, PEILDATUM, generated_at=NOW, letter_date=date(2026, 11, 2), out_dir=tmp_path / "brieven"
    )
    assert batch.logged is not None and batch.logged.rows_appended >= 1  # the reminder to 1002
    register = read_register(path)
    call = next(s for s in review(register, PEILDATUM).plan.steps if s.action == "Telefoongesprek")
    record_task_outcome(
        path,
        register,
        call,
        TaskOutcome(SPOKEN, date(2026, 10, 30), note="Betaalt deze week."),
        generated_at=NOW,
        peildatum=PEILDATUM,
    )
    paid = import_bank(path, statement_paying_f002(tmp_path), apply=True, generated_at=NOW)
    assert [(p.debtor_id, p.invoice_id) for p in paid.applied] == [("1002", "F-002")]
    imported = import_openposten(
        path, OPENPOSTEN / "exact_online.csv", load_mapping("exact_online"), apply=True, generated_at=NOW
    )
    assert imported.written is not None and [d.debtor_id for d in imported.plan.new_debtors] == ["2001"]
    run_month(path, PEILDATUM, generated_at=NOW)  # the result sheets of the month as it now stands


@pytest.fixture
def no_pdfs(monkeypatch):
    monkeypatch.setattr("debiteuren.letters.pdf.converter", lambda: None)


def test_a_register_of_numbers_gets_numbers_in_every_sheet_the_tool_writes(tmp_path, no_pdfs):
    path = write_register(tmp_path, **with_debtor_numbers(int))
    before = read_register(path)
    assert before.key_types == KeyTypes(debtor_ids=True, invoice_ids=False)
    a_month_of_writing(path, tmp_path)
    book = openpyxl.load_workbook(path)
    for name in WRITTEN_SHEETS:
        cells = debtor_cells(book[name])
        assert cells, name
        text = [f"{c.coordinate}={c.value!r}" for c in cells if c.data_type != "n"]
        assert text == [], f"{name}: debtor numbers written as text"
    # Rows the tool appended are among them: the log grew by the letter and the call, Betalingen by one.
    after = read_register(path)
    assert len(after.actions) == len(before.actions) + 2 and len(after.payments) == len(before.payments) + 1
    # ...and they read back as the same debtors (the register stays numeric, still one debtor per number).
    assert after.key_types.debtor_ids
    assert set(after.actions["debtor_id"]) == {"1001", "1002"}
    assert set(after.payments["debtor_id"]) == {"1001", "1002"}
    assert set(after.debtors["debtor_id"]) == {"1001", "1002", "2001"}
    assert set(after.invoices["debtor_id"]) == {"1001", "1002", "2001"}
    # Invoice numbers F-001 are text in this register and stay text where the tool wrote them.
    assert {c.data_type for c in debtor_cells(book["Betalingen"])} == {"n"}
    assert {book["Betalingen"].cell(r, 3).data_type for r in range(2, book["Betalingen"].max_row + 1)} == {"s"}


def test_a_register_of_text_numbers_with_leading_zeros_stays_text(tmp_path, no_pdfs):
    path = write_register(tmp_path, **with_debtor_numbers(lambda n: "0" + str(n)))
    assert read_register(path).key_types == KeyTypes()
    _, batch = run_month_with_letters(
        path, PEILDATUM, generated_at=NOW, letter_date=date(2026, 11, 2), out_dir=tmp_path / "brieven"
    )
    assert batch.logged is not None and batch.logged.rows_appended >= 1
    book = openpyxl.load_workbook(path)
    for name in ("Acties", "Ouderdom", "Actielijst"):
        cells = debtor_cells(book[name])
        assert cells and {c.data_type for c in cells} == {"s"}, name
        assert all(str(c.value).startswith("0") for c in cells), name
    assert set(read_register(path).actions["debtor_id"]) == {"01001", "01002"}


def test_a_register_mixing_numbers_and_text_numbers_is_text(tmp_path):
    mixed = with_debtor_numbers(int)
    mixed["Debiteuren"][2][0] = "1002"  # typed as text in one cell
    path = write_register(tmp_path, **mixed)
    assert read_register(path).key_types == KeyTypes()


def test_numeric_invoice_numbers_in_facturen_are_appended_as_numbers(tmp_path):
    sheets = with_debtor_numbers(int)
    sheets["Facturen"] = [sheets["Facturen"][0]] + [
        [5001 + i, *row[1:]] for i, row in enumerate(sheets["Facturen"][1:])
    ]
    sheets["Betalingen"][1][2] = 5001
    sheets["Acties"][1][2] = "5001"
    path = write_register(tmp_path, **sheets)
    register = read_register(path)
    assert register.key_types == KeyTypes(debtor_ids=True, invoice_ids=True)
    new = pd.DataFrame(
        {
            "Factuurnummer": ["5003"],
            "Debiteurnummer": ["1001"],
            "Factuurdatum": [date(2026, 10, 1)],
            "Bedrag": [Decimal("50.00")],
        }
    )
    write_back(
        path, (), None, generated_at=NOW, peildatum=PEILDATUM, appends={"Facturen": new}, key_types=register.key_types
    )
    sheet = openpyxl.load_workbook(path)["Facturen"]
    assert (sheet["A4"].value, sheet["A4"].data_type, sheet["B4"].value, sheet["B4"].data_type) == (
        5003,
        "n",
        1001,
        "n",
    )
    assert read_register(path).invoices["invoice_id"].tolist() == ["5001", "5002", "5003"]


# --- the open workbook (tests/fake_xlwings.py, not Excel) -------------------------------------------------------


def test_fake_excel_live_writer_writes_debtor_numbers_as_numbers_like_the_file_writer(tmp_path):
    path = write_register(tmp_path, **with_debtor_numbers(int))
    book = FakeBook(path)
    run = run_month(book, PEILDATUM, generated_at=NOW)  # Ouderdom and Actielijst into the open workbook
    register = run.register
    assert register.key_types.debtor_ids
    call = next(s for s in run.review.plan.steps if s.action == "Telefoongesprek")
    record_task_outcome(
        book, register, call, TaskOutcome(SPOKEN, date(2026, 10, 30)), generated_at=NOW, peildatum=PEILDATUM
    )
    for name in ("Acties", "Ouderdom", "Actielijst"):
        cells = debtor_cells(book.workbook[name])
        assert cells and all(type(c.value) in (int, float) for c in cells), name  # numbers, no text
        assert all(c.number_format != "@" for c in cells), name
    # No number went in as text for Excel to guess (the totals row's formulas are meant as formulas).
    assert [c for c in book.coerced if c[3] != "formule"] == []
    assert set(read_register(book).actions["debtor_id"]) == {"1001"}
    assert len(read_register(book).actions) == 2


def test_a_large_register_read_in_two_processes_types_its_numbers_the_same(tmp_path):
    from debiteuren.register import file_backend, split_read
    from debiteuren.register.validation import build_register

    for number, expected in ((int, KeyTypes(debtor_ids=True)), (lambda n: "0" + str(n), KeyTypes())):
        path = write_register(tmp_path, f"r{expected.debtor_ids}.xlsx", **with_debtor_numbers(number))
        assert build_register(split_read.read_typed(path)).key_types == expected
        assert build_register(file_backend.read_tables(path)).key_types == expected
