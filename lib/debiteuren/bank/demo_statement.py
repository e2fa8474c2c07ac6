"""The demo's bank statement: what came in on the demo's last day, for a new user to import.

``demo_statement(register)`` builds a CAMT.053 statement of the demo register's
company account, dated the peildatum (31 October 2026), whose credits pay
invoices still open in the demo and are not yet in Betalingen: three that
quote their invoice number (``hoog``), one with the exact open amount of one
invoice but no text (``midden``), one part-payment from a debtor's IBAN
(``midden``), one part-payment under the debtor's name only (``laag``), one
credit nobody can place, a failed direct debit returned (a reversal, never a
payment received) and the bank's costs (a debit). The Importeren tab then
shows every kind of proposal; confirming or correcting the ``midden`` and
``laag`` ones is the controller's work.

``python -m debiteuren.bank.demo_statement`` writes ``workbook/bankafschrift-demo.xml``
from ``workbook/debiteuren.xlsx``; run it after regenerating the demo.
"""

from __future__ import annotations

import sys
from datetime import date
from decimal import Decimal
from pathlib import Path
from xml.sax.saxutils import escape

import pandas as pd

from ..ledger import settle
from ..register import Register, read_register
from .statements import compact_iban

STATEMENT_NAME = "bankafschrift-demo.xml"


def _entry(n: int, day: date, cents: int, direction: str, *, name="", iban="", text="", reversal=False) -> str:
    amount = f"{Decimal(cents) / 100:.2f}"
    party, account = ("Dbtr", "DbtrAcct") if direction == "CRDT" else ("Cdtr", "CdtrAcct")
    parties = (f"<{party}><Nm>{escape(name)}</Nm></{party}>" if name else "") + (
        f"<{account}><Id><IBAN>{iban}</IBAN></Id></{account}>" if iban else ""
    )
    return (
        f'<Ntry><Amt Ccy="EUR">{amount}</Amt><CdtDbtInd>{direction}</CdtDbtInd>'
        + ("<RvslInd>true</RvslInd>" if reversal else "")
        + f"<Sts>BOOK</Sts><BookgDt><Dt>{day.isoformat()}</Dt></BookgDt><ValDt><Dt>{day.isoformat()}</Dt></ValDt>"
        f"<AcctSvcrRef>DEMO{day:%Y%m%d}{n:04d}</AcctSvcrRef><NtryDtls><TxDtls><Refs><EndToEndId>NOTPROVIDED</EndToEndId>"
        f"</Refs><RltdPties>{parties}</RltdPties><RmtInf><Ustrd>{escape(text)}</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>"
    )


def demo_statement(register: Register, day: date) -> bytes:
    """The statement of ``day`` (see the module's docstring), deterministic for one register."""
    ledger = settle(register.invoices, register.payments, day, pd.Index(register.debtors["debtor_id"]))
    open_invoices = ledger.invoices.loc[ledger.invoices["open_cents"] > 0].sort_values("invoice_id")
    debtors = register.debtors.set_index("debtor_id")
    counts = open_invoices["open_cents"].value_counts()
    unique = open_invoices.loc[open_invoices["open_cents"].map(counts) == 1]
    with_iban = [r for r in unique.itertuples() if isinstance(debtors.loc[r.debtor_id, "iban"], str)]
    by_debtor: dict[str, list] = {}
    for r in with_iban:
        by_debtor.setdefault(r.debtor_id, []).append(r)
    picks = [rows[0] for rows in by_debtor.values()][:6]  # six invoices of six debtors
    if len(picks) < 6:  # pragma: no cover - the demo has dozens
        raise ValueError("the register has too few open invoices for the demo statement")
    entries = []

    def name(debtor):
        return str(debtors.loc[debtor, "name"]).upper()

    def iban(debtor):
        return compact_iban(debtors.loc[debtor, "iban"])

    for r in picks[:3]:  # hoog: the invoice number quoted
        entries.append(
            dict(
                cents=int(r.open_cents), name=name(r.debtor_id), iban=iban(r.debtor_id), text=f"Factuur {r.invoice_id}"
            )
        )
    r = picks[3]  # midden: the exact open amount, from an account the register does not know
    entries.append(dict(cents=int(r.open_cents), name="STICHTING DERDENGELDEN BETAALSERVICE", iban="NL02ABNA0123456789",
                        text="Betaling namens klant"))  # fmt: skip
    r = picks[4]  # midden: a part-payment from the debtor's IBAN
    entries.append(
        dict(cents=int(r.open_cents) // 2, name=name(r.debtor_id), iban=iban(r.debtor_id), text="Eerste termijn")
    )
    r = picks[5]  # laag: a part-payment under the debtor's name, from another account
    entries.append(dict(cents=int(r.open_cents) // 3, name=str(debtors.loc[r.debtor_id, "name"]), iban="NL44RABO0123456789",
                        text="Deelbetaling"))  # fmt: skip
    entries.append(
        dict(cents=4_250, name="J. JANSEN", iban="NL20INGB0001234567", text="Terugbetaling borg")
    )  # no proposal
    xml = [
        _entry(n, day, e["cents"], "CRDT", name=e["name"], iban=e["iban"], text=e["text"])
        for n, e in enumerate(entries, 1)
    ]
    n = len(xml)
    xml.append(_entry(n + 1, day, 12_100, "DBIT", name=name(picks[0].debtor_id), iban=iban(picks[0].debtor_id),
                      text="Storno incasso: rekening opgeheven", reversal=True))  # fmt: skip
    xml.append(_entry(n + 2, day, 1_895, "DBIT", name="ABN AMRO BANK N.V.", text="Kosten betalingsverkeer oktober"))
    account = compact_iban(register.settings.iban)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt>'
        f"<GrpHdr><MsgId>DEMO-{day:%Y%m%d}</MsgId><CreDtTm>{day.isoformat()}T23:00:00</CreDtTm></GrpHdr>"
        f"<Stmt><Id>DEMO-{day:%Y%m%d}</Id><CreDtTm>{day.isoformat()}T23:00:00</CreDtTm>"
        f"<Acct><Id><IBAN>{account}</IBAN></Id><Ccy>EUR</Ccy></Acct>"
        + "\n".join(xml)
        + "</Stmt></BkToCstmrStmt></Document>\n"
    ).encode("utf-8")


def main(argv: list[str] | None = None) -> int:
    from ..demo import DEMO_PEILDATUM

    args = sys.argv[1:] if argv is None else argv
    folder = Path(args[0]) if args else Path(__file__).resolve().parents[3] / "workbook"
    register = read_register(folder / "debiteuren.xlsx")
    (folder / STATEMENT_NAME).write_bytes(demo_statement(register, DEMO_PEILDATUM))
    print(f"{folder / STATEMENT_NAME} geschreven.")
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
