"""Every public bank statement under ../shared/real-files/bank/ (other projects' data, never copied here).

Each file is read with the EUR credits and total that ``expected.json`` states
(from the source repository's own expectations or the file's balances), or
refused in one Dutch sentence where ``must_read`` allows a refusal. Imported
twice with ``--toepassen`` into a register made for its payments, the second
run adds nothing; a reversal or return is never proposed as a payment received;
overlapping exports of one account import each payment once.
"""

from __future__ import annotations

import argparse
import json
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from debiteuren.bank import StatementError, import_bank, read_statement
from debiteuren.cli.bank import add_commands
from debiteuren.bank.statements import valid_iban
from debiteuren.register import read_register
from workbooks import DEFAULT_SHEETS, write_register

REAL = Path(__file__).resolve().parents[1].parent / "shared" / "real-files" / "bank"
if not REAL.is_dir():  # the worktrees live next to ../shared; the main checkout too
    REAL = Path("/work/shared/real-files/bank")
EXPECTED = json.loads((REAL / "expected.json").read_text(encoding="utf-8")) if REAL.is_dir() else {}
CLOCK = datetime(2026, 10, 9, 9, 0)

pytestmark = pytest.mark.skipif(
    not REAL.is_dir(), reason="../shared/real-files/bank/ is absent (other projects' statements, not in the repository)"
)


def test_every_file_in_the_folder_has_an_expectation():
    files = {p.relative_to(REAL).as_posix() for p in REAL.rglob("*") if p.is_file() and p.name != "expected.json"}
    assert files == set(EXPECTED)


def eur_credits(statement):
    credits = [t for t in statement.credits() if t.currency == "EUR"]
    return len(credits), sum((t.amount for t in credits), Decimal("0.00"))


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_a_real_statement_is_read_as_its_source_states_or_refused_in_one_dutch_sentence(name, capfd):
    expected = EXPECTED[name]
    try:
        statement = read_statement(REAL / name)
    except StatementError as error:
        message = str(error)
        assert not expected["must_read"], message
        assert "\n" not in message and message.endswith(".") and "object at 0x" not in message
        assert any(w in message for w in ("exporteer", "Exporteer")), message  # says what to do
        assert capfd.readouterr() == ("", "")
        return
    assert capfd.readouterr() == ("", ""), "the MT940 library's log must not reach the terminal"
    if "credits" in expected:
        assert eur_credits(statement) == (expected["credits"], Decimal(expected["total"]))
    # a reversal is never a payment received
    assert all(not t.reversal for t in statement.payments_received())


def register_for(folder: Path, statement, account: str) -> Path:
    """A register whose debtors and invoices are the statement's payments received (fictitious numbers)."""
    debtors = [["Debiteurnummer", "Naam", "Soort", "Betaaltermijn", "IBAN"]]
    invoices = [["Factuurnummer", "Debiteurnummer", "Factuurdatum", "Vervaldatum", "Bedrag", "Betwist"]]
    payments = [t for t in statement.for_account(account).payments_received() if t.currency == "EUR" and t.amount > 0]
    for n, t in enumerate(payments, start=1):
        debtors.append(
            [f"D{n}", t.counterparty_name or f"Onbekend {n}", "zakelijk", 30, valid_iban(t.counterparty_iban) or None]
        )
        day = t.booking_date - timedelta(days=40)
        invoices.append([f"F-{n:04d}", f"D{n}", day, day + timedelta(days=30), float(t.amount), "nee"])
    return write_register(
        folder, Debiteuren=debtors, Facturen=invoices,
        Betalingen=[["Datum", "Debiteurnummer", "Factuurnummer", "Bedrag", "Omschrijving", "Bankreferentie"]],
        Instellingen=[["Instelling", "Waarde"], ["Bedrijfsnaam", "Voorbeeld B.V."], ["IBAN", account]],
        Acties=DEFAULT_SHEETS["Acties"][:1],
    )  # fmt: skip


def run_json(argv: list[str], capsys) -> tuple[int, dict]:
    parser = argparse.ArgumentParser(prog="debiteuren")
    add_commands(parser.add_subparsers(dest="command"))
    args = parser.parse_args(argv)
    code = args.func(args)
    return code, json.loads(capsys.readouterr().out)


def importable():
    """Readable files with a payment received in euros on an account given as IBAN."""
    names = []
    for name in sorted(EXPECTED):
        try:
            statement = read_statement(REAL / name)
        except StatementError:
            continue
        accounts = [a for a in statement.accounts if valid_iban(a)]
        if accounts and any(
            t.currency == "EUR" and t.amount > 0 for t in statement.for_account(accounts[0]).payments_received()
        ):
            names.append(name)
    return names


@pytest.mark.parametrize("name", importable() if REAL.is_dir() else [])
def test_applying_a_real_statement_twice_adds_nothing_the_second_time(name, tmp_path, capsys):
    statement = read_statement(REAL / name)
    account = next(a for a in statement.accounts if valid_iban(a))
    workbook = register_for(tmp_path, statement, account)
    code, first = run_json(["import-bank", str(workbook), str(REAL / name), "--toepassen", "--json"], capsys)
    assert code == 0
    booked = read_register(workbook).payments
    assert len(booked) == sum(p["applied"] for p in first["proposals"])
    assert booked["bank_reference"].is_unique
    after_first = workbook.read_bytes()
    code, second = run_json(["import-bank", str(workbook), str(REAL / name), "--toepassen", "--json"], capsys)
    assert code == 0 and second["written"] is None
    assert workbook.read_bytes() == after_first
    assert [p["already_imported"] for p in second["proposals"]] == [p["applied"] for p in first["proposals"]]
    reversals = {t.bank_reference for t in statement.transactions if t.reversal}
    assert not reversals & {p["bank_reference"] for p in first["proposals"]}


def test_a_failed_direct_debit_is_not_booked_as_money_received(tmp_path):
    """OCA's ABN AMRO CAMT: two DBIT entries marked as reversals stay debits; one real credit of 1,405.31."""
    statement = read_statement(REAL / "oca" / "test-camt053.xml")
    assert [(t.credit, t.reversal, str(t.amount)) for t in statement.transactions] == [
        (False, False, "754.25"), (False, True, "564.05"), (False, True, "100.00"), (True, False, "1405.31"),
    ]  # fmt: skip
    result = import_bank(register_for(tmp_path, statement, statement.accounts[0]), REAL / "oca" / "test-camt053.xml",
                         apply=False, generated_at=CLOCK)  # fmt: skip
    assert [str(p.transaction.amount) for p in result.proposals] == ["1405.31"]


def test_overlapping_rabobank_exports_import_each_payment_once(tmp_path):
    """zilverline's Rabobank export and php-mt940's rabo-sample3 overlap (3 and 4 April 2013, same account)."""
    short = read_statement(REAL / "zilverline-mt940" / "rabobank_mt940_structured.txt")
    long = read_statement(REAL / "php-mt940" / "rabo-sample3.txt")
    assert {t.bank_reference for t in short.transactions} < {t.bank_reference for t in long.transactions}
    workbook = register_for(tmp_path, long, "NL50RABO0123456789")
    first = import_bank(
        workbook, REAL / "zilverline-mt940" / "rabobank_mt940_structured.txt", apply=True, generated_at=CLOCK
    )
    second = import_bank(workbook, REAL / "php-mt940" / "rabo-sample3.txt", apply=True, generated_at=CLOCK)
    again = {p.transaction.bank_reference for p in second.proposals if p.already_imported}
    assert again == {p.transaction.bank_reference for p in first.applied} and again
    references = read_register(workbook).payments["bank_reference"]
    assert references.is_unique and len(references) == len(first.applied) + len(second.applied)


def test_different_payments_with_one_placeholder_reference_are_all_proposed(tmp_path):
    """Moneyou puts the account number in every :61: customer reference; ING's example uses EREF/NONREF."""
    for name in ("zilverline-mt940/abn-moneyou.txt", "libmt94x/ibp-unstructured-ing-provided-example.txt"):
        statement = read_statement(REAL / name)
        references = [t.bank_reference for t in statement.transactions]
        assert len(set(references)) == len(references), name


def test_swift_envelope_text_never_lands_in_a_transaction():
    """Van Lanschot wraps each statement in SWIFT headers ('0000 01FVLBNL22AXXX00042', '940 00', '-XXX')."""
    statement = read_statement(REAL / "zilverline-mt940" / "van_lanschot-van_lanschot.txt")
    texts = [" ".join((t.remittance, t.end_to_end_id, t.counterparty_name)) for t in statement.transactions]
    assert texts and not any(("FVLBNL22" in x or "-XXX" in x or "D000000C" in x) for x in texts)
    first = statement.transactions[0]
    assert (first.end_to_end_id, first.remittance, first.counterparty_name) == (
        "333333333",
        "201400-001",
        "ABDFGEKSLJFN ASLDJDKE B.V",
    )


@pytest.mark.parametrize("name", ["oca/test-camt053.xml", "wolph-mt940/asnb-0708271685_09022020_164516.940.txt"])
def test_the_import_tab_handles_a_real_file_as_the_command_does(name, tmp_path):
    from debiteuren.app.import_step import ImportStep

    statement = read_statement(REAL / name)
    workbook = register_for(tmp_path, statement, statement.accounts[0])
    step = ImportStep(lambda: workbook, clock=lambda: CLOCK)
    step.path_input.value = str(REAL / name)
    assert step.preview()
    expected = import_bank(workbook, REAL / name, apply=False, generated_at=CLOCK)
    assert step.result.proposals == expected.proposals and len(expected.proposals) > 0


def test_the_real_rabobank_export_of_two_accounts_is_read_for_the_company_account(tmp_path):
    name = REAL / "invoiced" / "rabobank-CAMT053.xml"
    statement = read_statement(name)
    assert statement.accounts == ("NL17RABO0310029597", "NL59RABO3181240869")
    workbook = register_for(tmp_path, statement, "NL59RABO3181240869")
    result = import_bank(workbook, name, apply=False, generated_at=CLOCK)
    assert {p.transaction.account for p in result.proposals} == {"NL59RABO3181240869"} and len(result.proposals) == 1
    assert result.warnings == (
        "Het afschrift bevat ook rekening NL17RABO0310029597; alleen de boekingen van NL59RABO3181240869 zijn gelezen.",
    )
