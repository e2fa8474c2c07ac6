"""The XML Auditfile Financieel (XAF 3.2 and 4.0) read by import-openposten, from small files built here.

The files follow the public schemas (XAF 3.2 as published in OCA's
l10n_nl_xaf_auditfile_export, XAF 4.0 of the ODB) with fictitious data.
"""

from __future__ import annotations

import argparse
import json
from datetime import date, datetime
from pathlib import Path

import pytest

from debiteuren.openposten import OpenpostenError
from debiteuren.openposten.auditfile import import_auditfile, is_auditfile, read_auditfile
from debiteuren.cli.openposten import add_commands
from debiteuren.register import read_register
from workbooks import write_register

NOW = datetime(2026, 11, 2, 9, 30)
NS32 = "http://www.auditfiles.nl/XAF/3.2"
NS40 = "http://www.odb.belastingdienst.nl/Belastingdienst/BCPP/1.1/structures/XmlauditfileXAF_4.0"


def relation(cid, name, tp="C", extra=""):
    return (f"<customerSupplier><custSupID>{cid}</custSupID><custSupName>{name}</custSupName>"
            f"<custSupTp>{tp}</custSupTp>{extra}</customerSupplier>")  # fmt: skip


RELATIONS = (
    relation("1001", "Bakkerij De Korenschoof B.V.")
    + relation("2001", "Groothandel Van Dijk B.V.", extra="<streetAddress><streetname>Dorpsstraat</streetname>"
               "<number>1</number><city>Zwolle</city><postalCode>8011 AB</postalCode></streetAddress>"
               "<bankAccount><bankAccNr>NL44RABO0123456789</bankAccNr></bankAccount>")
    + relation("9001", "Papierleverancier", tp="S")
)  # fmt: skip


def ledger(accounts=(("1300", "Debiteuren", "B"), ("8000", "Omzet", "P"), ("1100", "Bank", "B"), ("1500", "Btw", "B"))):
    return (
        "<generalLedger>"
        + "".join(
            f"<ledgerAccount><accID>{a}</accID><accDesc>{d}</accDesc><accTp>{t}</accTp></ledgerAccount>"
            for a, d, t in accounts
        )
        + "</generalLedger>"
    )


def line(nr, acc, amount, side, *, cust="", inv="", eff="2026-10-01", doc="D1"):
    return (f"<trLine><nr>{nr}</nr><accID>{acc}</accID><docRef>{doc}</docRef><effDate>{eff}</effDate>"
            f"<amnt>{amount}</amnt><amntTp>{side}</amntTp>" + (f"<custSupID>{cust}</custSupID>" if cust else "")
            + (f"<invRef>{inv}</invRef>" if inv else "") + "</trLine>")  # fmt: skip


def journals(*, payment_ref=True, wrap=False):
    """A sales journal with two invoices and a bank journal with one (partial) payment."""

    def t(nr, day, *lines):
        body = "".join(lines)
        return f"<transaction><nr>{nr}</nr><periodNumber>10</periodNumber><trDt>{day}</trDt>" + (
            f"<trLines>{body}</trLines>" if wrap else body) + "</transaction>"  # fmt: skip

    sales = ("<journal><jrnID>V</jrnID><desc>Verkoop</desc><jrnTp>S</jrnTp>"
             + t("1", "2026-10-01", line(1, "1300", "1210.00", "D", cust="1001", inv="F-100"),
                 line(2, "8000", "1000.00", "C", cust="1001"), line(3, "1500", "210.00", "C"))
             + t("2", "2026-10-05", line(1, "1300", "2420.00", "D", cust="2001", inv="F-101", eff="2026-10-05"),
                 line(2, "8000", "2000.00", "C", cust="2001"), line(3, "1500", "420.00", "C"))
             + "</journal>")  # fmt: skip
    bank = ("<journal><jrnID>B</jrnID><desc>Bank</desc><jrnTp>B</jrnTp>"
            + t("3", "2026-10-20", line(1, "1100", "1000.00", "D"),
                line(2, "1300", "1000.00", "C", cust="2001", inv="F-101" if payment_ref else "", eff="2026-10-20"))
            + "</journal>")  # fmt: skip
    return f"<transactions><linesCount>8</linesCount><totalDebit>4630.00</totalDebit><totalCredit>4630.00</totalCredit>{sales}{bank}</transactions>"


def auditfile(tmp_path, body: str, *, ns=NS32, name="administratie.xaf", relations=RELATIONS) -> Path:
    path = tmp_path / name
    path.write_text(
        f'<?xml version="1.0" encoding="UTF-8"?>\n<auditfile xmlns="{ns}"><header><fiscalYear>2026</fiscalYear>'
        "<startDate>2026-01-01</startDate><endDate>2026-10-31</endDate><curCode>EUR</curCode>"
        "<dateCreated>2026-11-01</dateCreated></header><company><companyName>Voorbeeld B.V.</companyName>"
        "<taxRegistrationCountry>NL</taxRegistrationCountry><taxRegIdent>NL001234567B01</taxRegIdent>"
        f"<customersSuppliers>{relations}</customersSuppliers>{ledger()}{body}</company></auditfile>",
        encoding="utf-8",
    )
    return path


def subledger_cu():
    """XAF 3.2's CU subledger: opening item F-090 and the year's lines, with invRef, invDt and invDueDt."""
    ob = ("<openingBalance><opBalDate>2026-01-01</opBalDate><linesCount>1</linesCount><totalDebit>121.00</totalDebit>"
          "<totalCredit>121.00</totalCredit><obLine><nr>1</nr><accID>1300</accID><amnt>121.00</amnt><amntTp>D</amntTp></obLine>"
          "<obSubledgers><obSubledger><sbType>CU</sbType><linesCount>1</linesCount><totalDebit>121.00</totalDebit>"
          "<totalCredit>0</totalCredit><obSbLine><nr>1</nr><obLineNr>1</obLineNr><amnt>121.00</amnt><amntTp>D</amntTp>"
          "<custSupID>1001</custSupID><invRef>F-090</invRef><invDt>2025-12-15</invDt><invDueDt>2026-01-14</invDueDt>"
          "</obSbLine></obSubledger></obSubledgers></openingBalance>")  # fmt: skip

    def sb(nr, trnr, amount, side, cust, inv, dt, due):
        return (f"<sbLine><nr>{nr}</nr><jrnID>V</jrnID><trNr>{trnr}</trNr><trLineNr>1</trLineNr><amnt>{amount}</amnt>"
                f"<amntTp>{side}</amntTp><custSupID>{cust}</custSupID><invRef>{inv}</invRef>"
                + (f"<invDt>{dt}</invDt><invDueDt>{due}</invDueDt>" if dt else "") + "</sbLine>")  # fmt: skip

    subledgers = ("<subledgers><subledger><sbType>CU</sbType><linesCount>3</linesCount><totalDebit>3630.00</totalDebit>"
                  "<totalCredit>1000.00</totalCredit>"
                  + sb(1, 1, "1210.00", "D", "1001", "F-100", "2026-10-01", "2026-10-31")
                  + sb(2, 2, "2420.00", "D", "2001", "F-101", "2026-10-05", "2026-11-04")
                  + sb(3, 3, "1000.00", "C", "2001", "F-101", "", "")
                  + "</subledger></subledgers>")  # fmt: skip
    return ob, journals(payment_ref=False).replace("</transactions>", subledgers + "</transactions>")


def run_command(argv):
    parser = argparse.ArgumentParser(prog="debiteuren")
    add_commands(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["import-openposten", *argv])
    return args.func(args)


def test_the_format_is_recognised_from_the_file(tmp_path):
    ob, trans = subledger_cu()
    assert is_auditfile(auditfile(tmp_path, ob + trans))
    other = tmp_path / "export.xml"
    other.write_text("<Document/>", encoding="utf-8")
    assert not is_auditfile(other)


def test_xaf_32_with_a_cu_subledger_gives_open_invoices_with_their_dates(tmp_path):
    ob, trans = subledger_cu()
    result = read_auditfile(auditfile(tmp_path, ob + trans))
    assert result.version == "3.2" and result.why_no_items == ""
    assert [(i.debtor_id, i.invoice_id, i.invoice_date, i.due_date, i.amount_cents, i.open_cents) for i in result.items] == [
        ("1001", "F-090", date(2025, 12, 15), date(2026, 1, 14), 12100, 12100),
        ("1001", "F-100", date(2026, 10, 1), date(2026, 10, 31), 121000, 121000),
        ("2001", "F-101", date(2026, 10, 5), date(2026, 11, 4), 242000, 142000),
    ]  # fmt: skip
    assert set(result.customers) == {"1001", "2001"}  # the supplier is left out
    assert result.balances == {"1001": 133100, "2001": 142000}


@pytest.mark.parametrize("version", ["3.2", "4.0"])
def test_invoice_references_on_invoice_and_payment_lines_prove_open_items(tmp_path, version):
    ns, wrap = (NS32, False) if version == "3.2" else (NS40, True)
    result = read_auditfile(auditfile(tmp_path, journals(wrap=wrap), ns=ns))
    assert result.version == version
    assert [(i.debtor_id, i.invoice_id, i.invoice_date, i.open_cents) for i in result.items] == [
        ("1001", "F-100", date(2026, 10, 1), 121000), ("2001", "F-101", date(2026, 10, 5), 142000),
    ]  # fmt: skip
    assert result.balances == {"1001": 121000, "2001": 142000}


def test_a_payment_without_invoice_reference_gives_no_open_items_and_says_why(tmp_path):
    result = read_auditfile(auditfile(tmp_path, journals(payment_ref=False)))
    assert result.items == ()
    assert result.why_no_items == (
        "Het auditbestand bewijst geen openstaande posten per factuur: 1 regel(s) op de debiteurenrekening hebben "
        "geen factuurverwijzing (invRef); alleen de debiteuren en hun saldo's zijn gelezen. Importeer de openstaande "
        "posten uit een export van het pakket (--pakket)."
    )
    assert result.balances == {"1001": 121000, "2001": 142000}  # the balances are still known


def test_xaf_40_closing_balances_of_the_relations_are_used_for_the_check(tmp_path):
    relations = RELATIONS.replace("<custSupTp>C</custSupTp></customerSupplier>",
                                  "<custSupTp>C</custSupTp><clBalDesc>1331.00</clBalDesc><clBalTp>D</clBalTp></customerSupplier>", 1)  # fmt: skip
    result = read_auditfile(auditfile(tmp_path, journals(wrap=True), ns=NS40, relations=relations))
    assert result.balances["1001"] == 133100


def test_import_adds_debtors_and_proven_invoices_and_checks_every_balance(tmp_path, capsys):
    register = write_register(tmp_path)  # 1001 and 1002; F-001 (1.210,00, 210,00 paid) and F-002 for 1002
    path = auditfile(tmp_path, journals())
    assert run_command([str(register), str(path), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["version"] == "3.2" and data["why_no_items"] is None
    assert [i["invoice"] for i in data["new_invoices"]] == ["F-100", "F-101"]
    assert {c["debtor"]: (c["auditfile"], c["register"], c["differs"]) for c in data["balance_checks"]} == {
        "1001": ("1210.00", "1000.00", True), "1002": ("0.00", "121.00", True), "2001": ("1420.00", None, False),
    }  # fmt: skip
    assert run_command([str(register), str(path), "--toepassen"]) == 0
    out = capsys.readouterr().out
    assert "Auditbestand (XAF 3.2)." in out
    assert "- 1001 Bakkerij De Korenschoof B.V.: auditbestand € 1.210,00, register € 1.000,00" in out
    after = read_register(register)
    assert {"F-100", "F-101"} <= set(after.invoices["invoice_id"])
    debtor = after.debtors.set_index("debtor_id").loc["2001"]
    assert (debtor["name"], debtor["city"], debtor["iban"]) == (
        "Groothandel Van Dijk B.V.",
        "Zwolle",
        "NL44RABO0123456789",
    )
    before = register.read_bytes()
    assert run_command([str(register), str(path), "--toepassen"]) == 0
    assert register.read_bytes() == before  # nothing new the second time


def test_without_proven_items_only_debtors_with_a_balance_are_added(tmp_path):
    register = write_register(tmp_path)
    result = import_auditfile(register, auditfile(tmp_path, journals(payment_ref=False)), apply=True, generated_at=NOW)
    assert result.why_no_items.startswith("Het auditbestand bewijst geen openstaande posten per factuur")
    after = read_register(register)
    assert "2001" in set(after.debtors["debtor_id"])
    assert len(after.invoices) == 2  # nothing invoiced on a guess


def test_a_file_in_another_currency_is_refused(tmp_path):
    path = auditfile(tmp_path, journals())
    path.write_text(
        path.read_text(encoding="utf-8").replace("<curCode>EUR</curCode>", "<curCode>USD</curCode>"), encoding="utf-8"
    )
    with pytest.raises(OpenpostenError, match="is in USD, niet in euro"):
        read_auditfile(path)


def test_an_export_without_package_and_not_an_auditfile_asks_for_the_package(tmp_path, capsys):
    register = write_register(tmp_path)
    export = tmp_path / "export.csv"
    export.write_text("a;b\n", encoding="utf-8")
    assert run_command([str(register), str(export)]) == 1
    assert "Geef met --pakket aan uit welk pakket de export komt" in capsys.readouterr().err


def test_a_cu_subledger_payment_without_invoice_reference_proves_nothing_per_invoice(tmp_path):
    ob, trans = subledger_cu()
    trans = trans.replace(
        "<custSupID>2001</custSupID><invRef>F-101</invRef></sbLine>", "<custSupID>2001</custSupID></sbLine>"
    )
    result = read_auditfile(auditfile(tmp_path, ob + trans))
    # the subledger cannot allocate the payment; the journals' payment line has no invRef either
    assert result.items == ()
    assert "hebben geen factuurverwijzing (invRef)" in result.why_no_items
