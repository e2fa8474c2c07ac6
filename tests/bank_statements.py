"""A month of the demo register's payments written out as a bank statement (CAMT.053), for the import tests.

``demo_month(folder, designate)`` writes the October 2026 payments of the demo
register as a CAMT.053 statement and a copy of the demo without them (the
register as it was on 30 September), so an import should give them back.
"""

from __future__ import annotations

import shutil
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import NamedTuple
from xml.sax.saxutils import escape

import openpyxl
import pandas as pd

from debiteuren.register import read_register

DEMO = Path(__file__).resolve().parents[1] / "workbook" / "debiteuren.xlsx"
COMPANY_IBAN = "NL91ABNA0417164300"  # the demo's Instellingen IBAN
MONTH = (date(2026, 10, 1), date(2026, 10, 31))


def camt053_from_payments(payments: pd.DataFrame, debtors: pd.DataFrame, account: str, *, designate) -> bytes:
    """A CAMT.053 (001.02) statement with one booked credit per Betalingen row.

    ``designate(row)`` returns (unstructured text, structured reference) for the row.
    """
    names = dict(zip(debtors["debtor_id"], debtors["name"]))
    ibans = dict(zip(debtors["debtor_id"], debtors["iban"]))
    entries = []
    for n, row in enumerate(payments.itertuples(index=False), start=1):
        day = row.payment_date.date().isoformat()
        amount = f"{Decimal(int(row.amount_cents)) / 100:.2f}"
        ustrd, strd = designate(row)
        iban = ibans.get(row.debtor_id)
        account_xml = f"<DbtrAcct><Id><IBAN>{iban}</IBAN></Id></DbtrAcct>" if isinstance(iban, str) else ""
        remittance = (f"<Ustrd>{escape(ustrd)}</Ustrd>" if ustrd else "") + (
            f"<Strd><CdtrRefInf><Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry></Tp><Ref>{strd}</Ref></CdtrRefInf></Strd>"
            if strd else ""
        )  # fmt: skip
        entries.append(
            f'<Ntry><Amt Ccy="EUR">{amount}</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts>'
            f"<BookgDt><Dt>{day}</Dt></BookgDt><ValDt><Dt>{day}</Dt></ValDt><AcctSvcrRef>DEMO{n:06d}</AcctSvcrRef>"
            f"<NtryDtls><TxDtls><Refs><EndToEndId>NOTPROVIDED</EndToEndId></Refs><RltdPties>"
            f"<Dbtr><Nm>{escape(str(names[row.debtor_id]).upper())}</Nm></Dbtr>{account_xml}</RltdPties>"
            f"<RmtInf>{remittance}</RmtInf></TxDtls></NtryDtls></Ntry>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt>'
        "<GrpHdr><MsgId>DEMO-2026-10</MsgId><CreDtTm>2026-11-01T06:00:00</CreDtTm></GrpHdr>"
        f"<Stmt><Id>DEMO-2026-10</Id><CreDtTm>2026-11-01T06:00:00</CreDtTm><Acct><Id><IBAN>{account}</IBAN></Id></Acct>"
        + "".join(entries)
        + "</Stmt></BkToCstmrStmt></Document>"
    ).encode("utf-8")


def remove_payments_from(workbook: Path, first_day: date) -> None:
    """Delete the Betalingen rows dated on or after ``first_day`` (a register as of the day before)."""
    book = openpyxl.load_workbook(workbook)
    sheet = book["Betalingen"]
    (table,) = sheet.tables.values()
    keep = [r for r in sheet.iter_rows(min_row=2, values_only=True) if r[0] is None or r[0].date() < first_day]
    sheet.delete_rows(2, sheet.max_row)
    for row in keep:
        sheet.append(row)
    last_col = table.ref.split(":")[1].rstrip("0123456789")
    table.ref = f"A1:{last_col}{len(keep) + 1}"
    book.save(workbook)


def invoice_quoted(row):
    """The payer quotes the invoice number in the remittance information."""
    return f"Factuur {row.invoice_id}", ""


class DemoMonth(NamedTuple):
    statement: Path  # the month's payments as a CAMT.053 statement
    register: Path  # a copy of the demo without those payments
    payments: pd.DataFrame  # the month's Betalingen rows of the demo (register columns)


def demo_month(folder: Path, designate=invoice_quoted) -> DemoMonth:
    """The demo's October payments as a statement, and the demo as of 30 September beside it."""
    demo = read_register(DEMO)
    first, last = MONTH
    month = demo.payments.loc[
        (demo.payments["payment_date"] >= pd.Timestamp(first)) & (demo.payments["payment_date"] <= pd.Timestamp(last))
    ].reset_index(drop=True)
    statement = folder / "afschrift-oktober.xml"
    rows = month.reset_index().rename(columns={"index": "Index"})
    statement.write_bytes(camt053_from_payments(rows, demo.debtors, COMPANY_IBAN, designate=designate))
    register = folder / "debiteuren.xlsx"
    shutil.copyfile(DEMO, register)
    remove_payments_from(register, first)
    return DemoMonth(statement, register, month)
