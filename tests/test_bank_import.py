"""Bank import: CAMT.053 and MT940 statements, matching to open invoices, append to Betalingen."""

from __future__ import annotations

import argparse
import json
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest

from debiteuren.bank import HOOG, LAAG, MIDDEN, StatementError, StatementRefused, import_bank, read_statement
from debiteuren.bank.bank_import import proposals_for
from debiteuren.cli.bank import add_commands
from debiteuren.bank.matching import normalise_name, propose
from debiteuren.bank.statements import BankTransaction
from debiteuren.register import read_register
from bank_statements import demo_month
from workbooks import write_register

FIXTURES = Path(__file__).parent / "fixtures_bank"
DEMO = Path(__file__).resolve().parents[1] / "workbook" / "debiteuren.xlsx"
COMPANY_IBAN = "NL91ABNA0417164300"
CLOCK = datetime(2026, 10, 9, 9, 0)


def d(text: str) -> date:
    return date.fromisoformat(text)


def eur(text: str) -> Decimal:
    return Decimal(text.replace(".", "").replace(",", "."))


def make_register(tmp_path: Path, *, payments=None, iban: str = COMPANY_IBAN) -> Path:
    return write_register(
        tmp_path,
        Debiteuren=[
            ["Debiteurnummer", "Naam", "Soort", "Betaaltermijn", "IBAN"],
            ["1001", "Bakkerij De Korenschoof B.V.", "zakelijk", 30, "NL44 RABO 0123 4567 89"],
            ["1002", "J. de Vries", "consument", 14, None],
            ["1003", "Garage Hoekstra V.O.F.", "zakelijk", 30, None],
            ["1004", "Drukkerij Mulder", "zakelijk", 30, "NL09KNAB0255555555"],
        ],
        Facturen=[
            ["Factuurnummer", "Debiteurnummer", "Factuurdatum", "Vervaldatum", "Bedrag", "Betwist"],
            ["2026-0501", "1001", d("2026-09-01"), d("2026-10-01"), 1210.00, "nee"],
            ["2026-0502", "1001", d("2026-09-10"), d("2026-10-10"), 484.00, "nee"],
            ["2026-0503", "1002", d("2026-09-15"), d("2026-09-29"), 121.00, "nee"],
            ["2026-0504", "1003", d("2026-09-16"), d("2026-10-16"), 350.90, "nee"],
            ["2026-0505", "1004", d("2026-09-17"), d("2026-10-17"), 726.00, "nee"],
            ["2026-0506", "1004", d("2026-09-24"), d("2026-10-24"), 726.00, "nee"],
        ],
        Betalingen=payments
        or [["Datum", "Debiteurnummer", "Factuurnummer", "Bedrag", "Omschrijving", "Bankreferentie"]],
        Instellingen=[["Instelling", "Waarde"], ["Bedrijfsnaam", "Voorbeeld B.V."], ["IBAN", iban]],
    )


def run_command(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="debiteuren")
    add_commands(parser.add_subparsers(dest="command"))
    args = parser.parse_args(argv)
    return args.func(args)


def outcome(proposals):
    return [(str(p.transaction.amount), p.debtor_id, p.invoice_id, p.confidence) for p in proposals]


# --- reading ---------------------------------------------------------------------------------


def test_camt053_reads_credits_debits_and_both_kinds_of_remittance():
    statement = read_statement(FIXTURES / "abnamro_camt053.xml")
    assert (statement.format, statement.account_iban) == ("CAMT.053", COMPANY_IBAN)
    assert len(statement.transactions) == 7
    assert len(statement.credits()) == 6
    first, second = statement.transactions[:2]
    assert first == BankTransaction(
        d("2026-10-05"), eur("1210,00"), True, "EUR", "BAKKERIJ DE KORENSCHOOF BV", "NL44RABO0123456789",
        "Factuur 2026-0501 debiteur 1001", "", "KORENSCHOOF-2026-112", "0000000001261005",
        "abnamro_camt053.xml", "Ntry 1", account=COMPANY_IBAN,
    )  # fmt: skip
    assert (second.structured_reference, second.remittance, second.end_to_end_id) == ("RF801002260930H", "", "")


def test_mt940_ing_style_details_are_split():
    statement = read_statement(FIXTURES / "ing_mt940.sta")
    assert (statement.format, statement.account_iban) == ("MT940", COMPANY_IBAN)
    credits = statement.credits()
    assert [(t.booking_date, t.amount) for t in credits] == [
        (d("2026-10-05"), eur("1210,00")), (d("2026-10-06"), eur("121,00")), (d("2026-10-08"), eur("726,00")),
    ]  # fmt: skip
    first = credits[0]
    assert (first.counterparty_name, first.counterparty_iban) == ("BAKKERIJ DE KORENSCHOOF BV", "NL44RABO0123456789")
    assert first.remittance == "Factuur 2026-0501 debiteur 1001"  # continuation line joined
    assert (first.end_to_end_id, first.position) == ("KORENSCHOOF-2026-112", "regel 6")
    assert first.bank_reference.startswith("ID-20261005-C1210.00-")  # from the content, not the :61: reference
    assert credits[1].structured_reference == "RF801002260930H"
    assert type(first.booking_date) is date


def test_mt940_rabobank_style_ordp_name_and_iban_on_the_61_line():
    statement = read_statement(FIXTURES / "rabobank_mt940.swi")
    credits = statement.credits()
    assert [(t.counterparty_name, t.counterparty_iban, t.remittance, t.end_to_end_id) for t in credits] == [
        ("Garage Hoekstra VOF", "NL26TRIO0390000001", "Factuur 2026 0504", "RABO-E2E-77821"),
        ("Bakkerij De Korenschoof BV", "NL44RABO0123456789", "nota 2026-0502", "RABO-E2E-77822"),
    ]


def test_camt_batch_entry_gives_one_transaction_per_detail_and_pending_entries_are_skipped(tmp_path):
    source = (FIXTURES / "abnamro_camt053.xml").read_text()
    batch = """<Ntry><Amt Ccy="EUR">1331.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts>
        <BookgDt><Dt>2026-10-08</Dt></BookgDt><AcctSvcrRef>0000000009261008</AcctSvcrRef>
        <NtryDtls>
          <TxDtls><Refs><EndToEndId>A1</EndToEndId></Refs><AmtDtls><TxAmt><Amt Ccy="EUR">1210.00</Amt></TxAmt></AmtDtls>
            <RltdPties><Dbtr><Nm>Incassant A</Nm></Dbtr></RltdPties><RmtInf><Ustrd>2026-0501</Ustrd></RmtInf></TxDtls>
          <TxDtls><Refs><EndToEndId>A2</EndToEndId></Refs><AmtDtls><TxAmt><Amt Ccy="EUR">121.00</Amt></TxAmt></AmtDtls>
            <RltdPties><Dbtr><Nm>Incassant B</Nm></Dbtr></RltdPties><RmtInf><Ustrd>2026-0503</Ustrd></RmtInf></TxDtls>
        </NtryDtls></Ntry>
      <Ntry><Amt Ccy="EUR">5.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>PDNG</Sts>
        <BookgDt><Dt>2026-10-08</Dt></BookgDt><AcctSvcrRef>0000000010261008</AcctSvcrRef></Ntry>
    </Stmt>"""
    path = tmp_path / "batch.xml"
    path.write_text(source.replace("</Stmt>", batch), encoding="utf-8")
    credits = read_statement(path).credits()
    assert [(t.amount, t.bank_reference, t.remittance, t.position) for t in credits[-2:]] == [
        (eur("1210,00"), "0000000009261008/1", "2026-0501", "Ntry 8, TxDtls 1"),
        (eur("121,00"), "0000000009261008/2", "2026-0503", "Ntry 8, TxDtls 2"),
    ]
    assert len(credits) == 8


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("Datum;Bedrag\n2026-10-05;12,00\n", "'afschrift.txt' is geen bankafschrift in CAMT.053- of MT940-formaat."),
        (
            "<html><body>geen afschrift</body></html>",
            "'afschrift.txt' is wel XML, maar geen CAMT.053-bankafschrift (naamruimte 'geen'); exporteer",
        ),
        ("<Document", "'afschrift.txt' is geen geldig XML-bestand"),
    ],
    ids=["csv", "other-xml", "broken-xml"],
)
def test_wrong_format_is_refused_in_dutch(tmp_path, content, message):
    path = tmp_path / "afschrift.txt"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(StatementError) as error:
        read_statement(path)
    assert str(error.value).startswith(message)


def test_amount_that_does_not_parse_names_the_entry(tmp_path):
    path = tmp_path / "kapot.xml"
    path.write_text((FIXTURES / "abnamro_camt053.xml").read_text().replace(">350.90<", ">350,9O<"), encoding="utf-8")
    with pytest.raises(
        StatementError,
        match=r"^kapot.xml, Ntry 3: bedrag '350,9O' is geen geldig bedrag; exporteer het afschrift opnieuw",
    ):
        read_statement(path)


def test_mt940_amount_with_three_decimals_names_the_line(tmp_path):
    path = tmp_path / "kapot.sta"
    path.write_text((FIXTURES / "ing_mt940.sta").read_text().replace("C121,00N078", "C121,005N078"), encoding="utf-8")
    with pytest.raises(
        StatementError,
        match=r"^kapot.sta, regel 11: bedrag '121,005' heeft meer dan twee decimalen; exporteer het afschrift opnieuw",
    ):
        read_statement(path)


# --- matching --------------------------------------------------------------------------------


def test_names_are_compared_without_legal_form_case_or_punctuation():
    assert normalise_name("Bakkerij De Korenschoof B.V.") == "bakkerij de korenschoof"
    assert normalise_name("BAKKERIJ DE KORENSCHOOF BV") == "bakkerij de korenschoof"
    assert normalise_name("Garage Hoekstra V.O.F.") == normalise_name("garage hoekstra vof")


def test_camt_proposals_follow_invoice_reference_amount_iban_name(tmp_path):
    register = read_register(make_register(tmp_path))
    proposals = proposals_for(register, read_statement(FIXTURES / "abnamro_camt053.xml"))
    assert outcome(proposals) == [
        ("1210.00", "1001", "2026-0501", HOOG),  # (a) invoice number
        ("121.00", "1002", "2026-0503", HOOG),  # (a) RF reference of a letter to 1002
        ("350.90", "1003", "2026-0504", MIDDEN),  # (b) unique open amount, unknown account
        ("726.00", "1004", "2026-0505", HOOG),  # (c) IBAN, oldest invoice with that amount
        ("200.00", "1001", None, LAAG),  # (c) name only
        ("99.99", None, None, ""),  # nothing recognised
    ]
    assert [p.reason for p in proposals] == [
        "factuurnummer 2026-0501 in de omschrijving",
        "betalingskenmerk RF801002260930H van een brief aan debiteur 1002; bedrag gelijk aan openstaande factuur 2026-0503",
        "bedrag gelijk aan openstaande factuur 2026-0504 van 1003",
        "IBAN van debiteur 1004; bedrag gelijk aan openstaande factuur 2026-0505",
        "naam van debiteur 1001",
        "geen voorstel: factuurnummer, bedrag, IBAN en naam niet herkend",
    ]


def _credit(amount: str, *, name="", iban="", text="", ref="R1", day="2026-10-10") -> BankTransaction:
    return BankTransaction(d(day), Decimal(amount), True, "EUR", name, iban, text, "", "", ref, "test", "Ntry 1")


def _frames():
    debtors = pd.DataFrame(
        {"debtor_id": ["10", "20"], "name": ["Alfa B.V.", "Beta"], "iban": ["NL44RABO0123456789", None]}
    )
    invoices = pd.DataFrame(
        {
            "invoice_id": ["A-101", "A-102", "B-101"],
            "debtor_id": ["10", "10", "20"],
            "invoice_date": pd.to_datetime(["2026-09-01", "2026-09-02", "2026-09-03"]),
            "open_cents": [10000, 5000, 0],
        }
    )
    return debtors, invoices


def test_invoice_of_another_debtor_than_the_iban_is_only_midden():
    debtors, invoices = _frames()
    debtors.loc[1, "iban"] = "NL20INGB0001234567"
    (p,) = propose([_credit("100.00", iban="NL20INGB0001234567", text="factuur A-101")], debtors, invoices)
    assert (p.debtor_id, p.invoice_id, p.confidence) == ("10", "A-101", MIDDEN)
    assert p.reason == "factuurnummer A-101 in de omschrijving, maar de IBAN hoort bij debiteur 20"


def test_paid_invoice_and_overpayment_are_midden():
    debtors, invoices = _frames()
    paid, over = propose(
        [_credit("10.00", text="B-101", ref="R1"), _credit("60.00", text="A-102", ref="R2")], debtors, invoices
    )
    assert (paid.confidence, paid.reason) == (
        MIDDEN,
        "factuurnummer B-101 in de omschrijving, maar die factuur staat niet meer open",
    )
    assert (over.confidence, over.reason) == (
        MIDDEN,
        "factuurnummer A-102 in de omschrijving, maar het bedrag is hoger dan wat openstaat",
    )


def test_several_invoice_numbers_summing_to_the_amount_are_hoog_without_one_invoice():
    debtors, invoices = _frames()
    (p,) = propose([_credit("150.00", text="A-101 en A-102")], debtors, invoices)
    assert (p.debtor_id, p.invoice_id, p.confidence) == ("10", None, HOOG)


def test_second_payment_of_the_same_amount_does_not_match_the_invoice_again():
    debtors, invoices = _frames()
    first, second = propose(
        [_credit("50.00", ref="R1"), _credit("50.00", ref="R2", day="2026-10-11")], debtors, invoices
    )
    assert (first.invoice_id, first.confidence) == ("A-102", MIDDEN)
    assert (second.debtor_id, second.confidence, second.reason) == (
        None, "", "geen voorstel: factuurnummer, bedrag, IBAN en naam niet herkend",
    )  # fmt: skip


def test_same_bank_reference_twice_in_a_file_is_proposed_once():
    debtors, invoices = _frames()
    first, again = propose([_credit("100.00", text="A-101"), _credit("100.00", text="A-101")], debtors, invoices)
    assert first.applicable and not again.applicable and again.already_imported


# --- the pipeline and the command --------------------------------------------------------------


def test_preview_changes_nothing_and_prints_the_dutch_table(tmp_path, capsys):
    workbook = make_register(tmp_path)
    before = workbook.read_bytes()
    assert run_command(["import-bank", str(workbook), str(FIXTURES / "abnamro_camt053.xml")]) == 0
    out = capsys.readouterr().out
    assert workbook.read_bytes() == before
    lines = out.splitlines()
    assert lines[0] == "Bankafschrift abnamro_camt053.xml (CAMT.053, rekening NL91ABNA0417164300): 6 ontvangsten."
    assert lines[2].split() == ["Datum", "Bedrag", "Tegenpartij", "Voorstel", "Betrouwbaarheid", "Reden"]
    assert "05-10-2026  € 1.210,00  BAKKERIJ DE KORENSCHOOF BV" in lines[4]
    assert "1001 / 2026-0501" in lines[4] and "hoog" in lines[4]
    assert (
        lines[-1]
        == "3 voorstel(len) met betrouwbaarheid 'hoog'; voeg ze toe met --toepassen. De werkmap is niet gewijzigd."
    )


def test_apply_appends_the_hoog_proposals_and_a_second_run_imports_nothing_twice(tmp_path, capsys):
    workbook = make_register(tmp_path)
    statement = FIXTURES / "abnamro_camt053.xml"
    assert run_command(["import-bank", str(workbook), str(statement), "--toepassen"]) == 0
    out = capsys.readouterr().out
    assert "3 regels toegevoegd aan het blad 'Betalingen'." in out
    assert out.split("Zelf te boeken (3):\n")[1].splitlines() == [
        "- 07-10-2026 € 350,90 HOEKSTRA G: 1003 / 2026-0504 (midden; bedrag gelijk aan openstaande factuur 2026-0504 van 1003)",
        "- 08-10-2026 € 200,00 Bakkerij de Korenschoof: 1001 (oudste open factuur) (laag; naam van debiteur 1001)",
        "- 08-10-2026 € 99,99 P. Onbekend: geen voorstel: factuurnummer, bedrag, IBAN en naam niet herkend",
    ]
    payments = read_register(workbook).payments
    assert payments[["payment_date", "debtor_id", "invoice_id", "amount_cents", "bank_reference"]].astype(
        str
    ).values.tolist() == [
        ["2026-10-05", "1001", "2026-0501", "121000", "0000000001261005"],
        ["2026-10-06", "1002", "2026-0503", "12100", "0000000002261006"],
        ["2026-10-08", "1004", "2026-0505", "72600", "0000000005261008"],
    ]
    assert payments["description"].iloc[0] == "Bank: BAKKERIJ DE KORENSCHOOF BV - Factuur 2026-0501 debiteur 1001"

    after_first = workbook.read_bytes()
    assert run_command(["import-bank", str(workbook), str(statement), "--toepassen", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert workbook.read_bytes() == after_first
    assert data["written"] is None
    imported = [p for p in data["proposals"] if p["already_imported"]]
    assert [p["bank_reference"] for p in imported] == ["0000000001261005", "0000000002261006", "0000000005261008"]
    assert data["proposals"][0]["amount"] == "1210.00"


def test_mt940_and_camt_of_the_same_day_are_told_apart_by_bank_reference(tmp_path):
    workbook = make_register(tmp_path)
    result = import_bank(workbook, FIXTURES / "ing_mt940.sta", apply=True, generated_at=CLOCK)
    assert [(p.debtor_id, p.invoice_id, p.confidence) for p in result.applied] == [
        ("1001", "2026-0501", HOOG), ("1002", "2026-0503", HOOG), ("1004", "2026-0505", HOOG),
    ]  # fmt: skip
    references = read_register(workbook).payments["bank_reference"].tolist()
    assert [r.rsplit("-", 1)[0] for r in references] == [
        "ID-20261005-C1210.00",
        "ID-20261006-C121.00",
        "ID-20261008-C726.00",
    ]
    assert references == [p.transaction.bank_reference for p in result.applied]


def test_statement_of_another_account_is_refused_and_changes_nothing(tmp_path, capsys):
    workbook = make_register(tmp_path, iban="NL20INGB0001234567")
    before = workbook.read_bytes()
    assert run_command(["import-bank", str(workbook), str(FIXTURES / "abnamro_camt053.xml"), "--toepassen"]) == 1
    err = capsys.readouterr().err
    assert err.splitlines() == [
        "Fout: Het afschrift 'abnamro_camt053.xml' is van rekening NL91ABNA0417164300, niet van de bedrijfsrekening "
        "NL20INGB0001234567 uit Instellingen. Er is niets geïmporteerd.",
        "Er is niets geïmporteerd; de werkmap is niet gewijzigd.",
    ]
    assert workbook.read_bytes() == before
    with pytest.raises(StatementRefused):
        import_bank(workbook, FIXTURES / "abnamro_camt053.xml", apply=True, generated_at=CLOCK)


def test_missing_company_iban_is_a_warning(tmp_path):
    workbook = make_register(tmp_path, iban="")
    result = import_bank(workbook, FIXTURES / "abnamro_camt053.xml", apply=False, generated_at=CLOCK)
    assert result.warnings == (
        "In Instellingen staat geen IBAN; niet gecontroleerd of het afschrift van de eigen rekening is.",
    )


@pytest.mark.parametrize("content", ["geen afschrift", "<Document"], ids=["text", "broken-xml"])
def test_bad_file_exits_1_and_leaves_the_workbook_byte_for_byte(tmp_path, capsys, content):
    workbook = make_register(tmp_path)
    before = workbook.read_bytes()
    bad = tmp_path / "afschrift.xml"
    bad.write_text(content, encoding="utf-8")
    assert run_command(["import-bank", str(workbook), str(bad), "--toepassen"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("Fout: 'afschrift.xml' is geen")
    assert err.rstrip().endswith("Er is niets geïmporteerd; de werkmap is niet gewijzigd.")
    assert workbook.read_bytes() == before


# --- a month of the demo register's payments as a bank statement ---------------------------------


def quoted_mostly(row):
    """Most payers quote the invoice number; every fifth writes nothing useful; some use odd spacing."""
    if row.Index % 5 == 4:
        return "betaling", ""
    if row.Index % 7 == 3:
        return f"fact nr {str(row.invoice_id).replace('-', ' ')}", ""
    return f"Factuur {row.invoice_id}", ""


def nothing_quoted(row):
    return "", ""


@pytest.mark.parametrize("designate", [quoted_mostly, nothing_quoted], ids=["invoice-quoted-mostly", "no-remittance"])
def test_a_month_of_demo_payments_is_matched_to_the_right_debtor_and_invoice(tmp_path, designate):
    month = demo_month(tmp_path, designate)
    october = month.payments
    assert len(october) == 63
    as_of_september = read_register(month.register)
    assert len(as_of_september.payments) == len(read_register(DEMO).payments) - 63
    statement_path = month.statement

    proposals = proposals_for(as_of_september, read_statement(statement_path))
    assert len(proposals) == 63
    pairs = list(zip(proposals, october.itertuples()))
    assert sum(p.debtor_id == row.debtor_id for p, row in pairs) >= 0.9 * len(pairs)
    assert sum(p.invoice_id == row.invoice_id for p, row in pairs) >= 0.85 * len(pairs)
    hoog = [(p, row) for p, row in pairs if p.confidence == HOOG]
    assert len(hoog) >= 0.8 * len(pairs)
    for p, row in hoog:
        assert p.debtor_id == row.debtor_id, p
        assert p.invoice_id in (None, row.invoice_id), p
    if designate is quoted_mostly:
        quoted = [(p, row) for i, (p, row) in enumerate(pairs) if i % 5 != 4]
        assert all(p.invoice_id == row.invoice_id for p, row in quoted)
        # the invoice paid twice ("Dubbel betaald"): the second payment is left to the controller
        (twice,) = [p for p, row in pairs if row.description == "Dubbel betaald"]
        assert (twice.confidence, twice.reason) == (
            MIDDEN, "factuurnummer 2026-0586 in de omschrijving, maar die factuur staat niet meer open",
        )  # fmt: skip


def test_workbook_open_in_excel_is_refused_and_changes_nothing(tmp_path, capsys):
    workbook = make_register(tmp_path)
    (tmp_path / "~$register.xlsx").write_bytes(b"AB")
    before = workbook.read_bytes()
    assert run_command(["import-bank", str(workbook), str(FIXTURES / "abnamro_camt053.xml"), "--toepassen"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("Niet teruggeschreven: De werkmap 'register.xlsx' is geopend in Excel")
    assert err.rstrip().endswith("Er is niets geïmporteerd; de werkmap is niet gewijzigd.")
    assert workbook.read_bytes() == before


def test_rabobank_mt940_matches_on_invoice_numbers_with_odd_spacing(tmp_path):
    result = import_bank(make_register(tmp_path), FIXTURES / "rabobank_mt940.swi", apply=False, generated_at=CLOCK)
    assert outcome(result.proposals) == [("350.90", "1003", "2026-0504", HOOG), ("484.00", "1001", "2026-0502", HOOG)]
    assert result.written is None


# --- direction, identity and formats of real banks (issue 15, points 1-6) -------------------------


def camt(tmp_path: Path, entries: str, *, account: str = f"<IBAN>{COMPANY_IBAN}</IBAN>", name="afschrift.xml") -> Path:
    """A CAMT.053.001.02 statement of one account with the given ``<Ntry>`` elements."""
    path = tmp_path / name
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?><Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">'
        f"<BkToCstmrStmt><GrpHdr><MsgId>1</MsgId></GrpHdr><Stmt><Id>1</Id><Acct><Id>{account}</Id></Acct>"
        f"{entries}</Stmt></BkToCstmrStmt></Document>",
        encoding="utf-8",
    )
    return path


def ntry(
    amount: str, direction: str, *, reversal: bool = False, ref: str = "", text: str = "", day="2026-10-09"
) -> str:
    return (
        f'<Ntry><Amt Ccy="EUR">{amount}</Amt><CdtDbtInd>{direction}</CdtDbtInd>'
        + ("<RvslInd>true</RvslInd>" if reversal else "")
        + f"<Sts>BOOK</Sts><BookgDt><Dt>{day}</Dt></BookgDt>"
        + (f"<AcctSvcrRef>{ref}</AcctSvcrRef>" if ref else "")
        + f"<NtryDtls><TxDtls><RltdPties><Dbtr><Nm>Drukkerij Mulder</Nm></Dbtr><DbtrAcct><Id><IBAN>NL09KNAB0255555555"
        f"</IBAN></Id></DbtrAcct><Cdtr><Nm>Drukkerij Mulder</Nm></Cdtr></RltdPties><RmtInf><Ustrd>{text}</Ustrd></RmtInf>"
        "</TxDtls></NtryDtls></Ntry>"
    )


def test_a_camt_reversal_keeps_its_direction_and_is_never_a_payment_received(tmp_path):
    # a returned direct debit (DBIT + RvslInd) and a refunded debit (CRDT + RvslInd), both naming invoice 2026-0505
    path = camt(tmp_path, ntry("726.00", "DBIT", reversal=True, text="Storno incasso 2026-0505")
                + ntry("726.00", "CRDT", reversal=True, text="Terugboeking 2026-0505")
                + ntry("726.00", "CRDT", text="Factuur 2026-0506"))  # fmt: skip
    statement = read_statement(path)
    assert [(t.credit, t.reversal, t.amount) for t in statement.transactions] == [
        (False, True, eur("726,00")), (True, True, eur("726,00")), (True, False, eur("726,00")),
    ]  # fmt: skip
    workbook = make_register(tmp_path)
    result = import_bank(workbook, path, apply=True, generated_at=CLOCK)
    assert outcome(result.proposals) == [("726.00", "1004", "2026-0506", HOOG)]
    assert read_register(workbook).payments["amount_cents"].tolist() == [72600]


def mt940(lines: list[str], *, account: str = COMPANY_IBAN) -> str:
    return "\n".join([":20:940S261031", f":25:{account}", ":28C:1", ":60F:C261001EUR1000,00", *lines,
                      ":62F:C261031EUR1000,00", "-"]) + "\n"  # fmt: skip


def test_an_mt940_reversal_or_sepa_return_is_never_a_payment_received(tmp_path):
    path = tmp_path / "afschrift.sta"
    path.write_text(mt940([
        ":61:2610091009RD726,00NRTINONREF", ":86:/RTRN/MD06/EREF/X//CNTP/NL09KNAB0255555555/KNABNL2H/Drukkerij Mulder///REMI/USTD//2026-0505/",
        ":61:2610091009C726,00NTRFNONREF", ":86:/EREF/Y//CNTP/NL09KNAB0255555555/KNABNL2H/Drukkerij Mulder///REMI/USTD//2026-0505/",
        ":61:2610091009C484,00NTRFNONREF", ":86:/RTRN/AC04/CNTP/NL44RABO0123456789/RABONL2U/Bakkerij///REMI/USTD//2026-0502/",
        ":61:2610091009C121,00NTRFNONREF", ":86:MS03 NL44RABO0123456789 RABONL2U Bakkerij 2026-0503",
    ]), encoding="utf-8")  # fmt: skip
    statement = read_statement(path)
    assert [(t.credit, t.reversal) for t in statement.transactions] == [
        (True, True),
        (True, False),
        (True, True),
        (True, True),
    ]
    assert [t.amount for t in statement.payments_received()] == [eur("726,00")]


def test_placeholder_customer_references_never_make_different_payments_one(tmp_path):
    workbook = make_register(tmp_path)
    first, second = tmp_path / "sep.sta", tmp_path / "okt.sta"
    first.write_text(mt940([":61:2610051005C1210,00NTRFNL44RABO0123456789", ":86:/REMI/USTD//Factuur 2026-0501/"]))
    second.write_text(mt940([":61:2610091009C484,00NTRFNL44RABO0123456789", ":86:/REMI/USTD//Factuur 2026-0502/",
                             ":61:2610091009C121,00NTRFNONREF", ":86:/REMI/USTD//Factuur 2026-0503/"]))  # fmt: skip
    assert len(import_bank(workbook, first, apply=True, generated_at=CLOCK).applied) == 1
    result = import_bank(workbook, second, apply=True, generated_at=CLOCK)
    assert outcome(result.applied) == [("484.00", "1001", "2026-0502", HOOG), ("121.00", "1002", "2026-0503", HOOG)]
    assert not any(p.already_imported for p in result.proposals)
    assert len(read_register(workbook).payments) == 3


def test_overlapping_exports_import_each_payment_once_wherever_it_stands_in_the_file(tmp_path):
    workbook = make_register(tmp_path)
    a = [":61:2610051005C1210,00NTRFNONREF", "NL44RABO0123456789", ":86:/ORDP//NAME/Bakkerij/REMI/Factuur 2026-0501/"]
    b = [":61:2610061006C121,00NTRFNONREF", ":86:/ORDP//NAME/J de Vries/REMI/Factuur 2026-0503/"]
    c = [":61:2610081008C726,00NTRFNONREF", ":86:/ORDP//NAME/Drukkerij Mulder/REMI/Factuur 2026-0505/"]
    debit = [":61:2610011001D5,00NMSCNONREF", ":86:Kosten"]
    (tmp_path / "1.sta").write_text(mt940(a + b))
    (tmp_path / "2.sta").write_text(mt940(debit + a + b + c))  # the same payments on other lines, and one more
    first = import_bank(workbook, tmp_path / "1.sta", apply=True, generated_at=CLOCK)
    second = import_bank(workbook, tmp_path / "2.sta", apply=True, generated_at=CLOCK)
    assert [p.already_imported for p in second.proposals] == [True, True, False]
    assert [p.transaction.bank_reference for p in second.proposals[:2]] == [
        p.transaction.bank_reference for p in first.proposals
    ]
    assert outcome(second.applied) == [("726.00", "1004", "2026-0505", HOOG)]
    assert read_register(workbook).payments["amount_cents"].tolist() == [121000, 12100, 72600]


def test_identical_payments_of_one_day_are_both_kept(tmp_path):
    path = tmp_path / "a.sta"
    path.write_text(mt940([":61:2610091009C726,00NTRFNONREF", ":86:/REMI/USTD//Factuur/"] * 2))
    first, second = read_statement(path).transactions
    assert second.bank_reference == f"{first.bank_reference}-2"


def test_de_volksbank_mt940_with_the_iban_in_the_customer_reference_is_read(tmp_path):
    path = tmp_path / "asn.940"
    path.write_text(
        "{1:F01ASNBNL21XXXX0000000000}{2:O940ASNBNL21XXXXN}{3:}{4:\n"
        + mt940(
            [
                ":61:2610091009C484,00NOVBNL44RABO0123456789",
                "bakkerij de korenschoof",
                ":86:NL44RABO0123456789 bakkerij de korenschoof",
                "Factuur 2026-0502",
            ],
            account="NL39ASNB0123456789",
        ).replace("\n-\n", "\n-}\n")  # fmt: skip
    )
    (t,) = read_statement(path).transactions
    assert (t.counterparty_iban, t.counterparty_name, t.amount, t.credit) == (
        "NL44RABO0123456789",
        "bakkerij de korenschoof",
        eur("484,00"),
        True,
    )
    assert "Factuur 2026-0502" in t.remittance


def test_a_damaged_mt940_is_refused_in_one_dutch_sentence_without_library_output(tmp_path, capfd):
    path = tmp_path / "kapot.sta"
    path.write_text(mt940([":61:2610091009C484,00NTRFNONREF", ":86:x"]).replace(":28C:1", ":28C:0000\n0"))
    with pytest.raises(StatementError) as error:
        read_statement(path)
    assert str(error.value) == (
        "'kapot.sta' is geen geldig MT940-bestand: het veld :28: (afschriftnummer) bij regel 3 is onleesbaar; "
        "exporteer het afschrift opnieuw in internetbankieren (CAMT.053 of MT940) en importeer dat bestand."
    )
    assert capfd.readouterr() == ("", "")


def test_a_statement_of_two_accounts_is_read_for_the_company_account_only(tmp_path):
    other = mt940([":61:2610091009C121,00NTRFNONREF", ":86:/REMI/USTD//2026-0503/"], account="NL20INGB0001234567")
    own = mt940([":61:2610091009C484,00NTRFNONREF", ":86:/REMI/USTD//Factuur 2026-0502/"])
    path = tmp_path / "twee.sta"
    path.write_text(other + own)
    assert read_statement(path).accounts == ("NL20INGB0001234567", COMPANY_IBAN)
    result = import_bank(make_register(tmp_path), path, apply=False, generated_at=CLOCK)
    assert outcome(result.proposals) == [("484.00", "1001", "2026-0502", HOOG)]
    assert result.warnings == (
        f"Het afschrift bevat ook rekening NL20INGB0001234567; alleen de boekingen van {COMPANY_IBAN} zijn gelezen.",
    )
    (tmp_path / "zonder").mkdir()
    with pytest.raises(StatementRefused, match="vul bij Instellingen de IBAN van de bedrijfsrekening in"):
        import_bank(make_register(tmp_path / "zonder", iban=""), path, apply=False, generated_at=CLOCK)


def test_camt_without_bank_reference_and_with_an_other_account_id_is_read(tmp_path):
    path = camt(tmp_path, ntry("484.00", "CRDT", text="2026-0502"), account="<Othr><Id>0574908765</Id></Othr>")
    statement = read_statement(path)
    assert statement.accounts == ("0574908765",)
    (t,) = statement.transactions
    assert t.bank_reference.startswith("ID-20261009-C484.00-")


def test_a_counterparty_account_that_is_no_iban_is_left_empty(tmp_path):
    path = tmp_path / "knab.sta"
    path.write_text(mt940([":61:2610091009C567,42NTRFNONREF//C0D27XM01D000031",
                           ":86:/TRTP/OVERBOEKING/IBAN/123/BIC/SXPYDEHHXXX/NAME/STRIPE/REMI/SHOPIFY"]))  # fmt: skip
    (t,) = read_statement(path).transactions
    assert (t.counterparty_iban, t.counterparty_name, t.remittance) == ("", "STRIPE", "SHOPIFY")


@pytest.mark.parametrize("case", ["bad-file", "other-account", "success"])
def test_json_answers_every_outcome_with_one_object(tmp_path, capsys, case):
    workbook = make_register(tmp_path, iban="NL20INGB0001234567" if case == "other-account" else COMPANY_IBAN)
    statement = tmp_path / "kapot.xml"
    statement.write_text("<Document", encoding="utf-8")
    if case != "bad-file":
        statement = FIXTURES / "abnamro_camt053.xml"
    code = run_command(["import-bank", str(workbook), str(statement), "--json"])
    out, err = capsys.readouterr()
    data = json.loads(out)
    assert err == ""
    if case == "success":
        assert (code, data["refused"], len(data["proposals"])) == (0, False, 6)
        return
    assert code == 1
    assert set(data) == {"refused", "message", "changed"} and data["refused"] is True and data["changed"] is False
    assert data["message"].startswith(
        "Fout: 'kapot.xml' is geen geldig XML-bestand" if case == "bad-file"
        else "Fout: Het afschrift 'abnamro_camt053.xml' is van rekening NL91ABNA0417164300"
    )  # fmt: skip


def test_the_command_line_confirms_a_midden_proposal_with_bevestig(tmp_path, capsys):
    workbook = make_register(tmp_path)
    path = tmp_path / "a.sta"
    # 484,00 from an unknown account, naming no invoice: the amount of 2026-0502 only -> midden
    path.write_text(mt940([":61:2610091009C484,00NTRFNONREF", ":86:/REMI/USTD//betaling/"]))
    assert run_command(["import-bank", str(workbook), str(path), "--json"]) == 0
    (proposal,) = json.loads(capsys.readouterr().out)["proposals"]
    assert (proposal["confidence"], proposal["applied"]) == ("midden", False)
    reference = proposal["bank_reference"]
    assert (
        run_command(
            ["import-bank", str(workbook), str(path), "--toepassen", "--bevestig", f"{reference}=1001/2026-0502"]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert "midden, bevestigd" in out and "bevestigd door de controller" in out
    booked = read_register(workbook).payments
    assert booked[["debtor_id", "invoice_id", "bank_reference"]].values.tolist() == [["1001", "2026-0502", reference]]
    assert run_command(["import-bank", str(workbook), str(path), "--toepassen", "--bevestig", "kapot"]) == 1
    assert "--bevestig 'kapot' is onleesbaar" in capsys.readouterr().err
