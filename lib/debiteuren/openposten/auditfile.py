"""The XML Auditfile Financieel (XAF 3.x and 4.0) as an open-item source.

Every Dutch accounting package must export the auditfile, so it is the one
source that needs no mapping file. ``read_auditfile(path)`` recognises the
version from the file (root ``auditfile``; namespace or vocabulary: 4.0 has
``trLines``/``clBalDesc``/``RGScode`` and no subledgers) and returns:

- the debtors' master data from ``customersSuppliers`` (``custSupTp`` C or B,
  or every relation when the file gives no type);
- per-invoice open items only where the file proves them:
  (a) XAF 3.x with a ``CU`` subledger whose lines carry ``invRef`` and
  ``invDt`` (opening subledger included): open = debits - credits per
  customer and ``invRef``;
  (b) otherwise invoice references on both the invoice and the payment lines
  of the receivables account (the balance account that carries customer
  lines in the sales journal and in a bank or cash journal), with no opening
  balance on that account that is not given per invoice;
  else no open items and a Dutch sentence that says why;
- the open balance per debtor (4.0 ``clBalDesc``/``clBalTp``; otherwise from
  the subledger or the receivables account), for the check against the
  register that ``import_auditfile`` always reports.

Public schemas: XAF 3.2 (auditfiles.nl/XAF/3.2; as published in OCA's
l10n-netherlands ``l10n_nl_xaf_auditfile_export``) and the ODB's XAF 4.0
package. The tests build small files of their own from those schemas.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pandas as pd

from ..ledger import settle
from ..money import format_eur, json_amount
from ..register import read_register
from .importer import OpenItem, OpenpostenError, OpenpostenImport, SkippedRow, append_plan, plan_import
from .mappings import Mapping

CUSTOMER_TYPES = ("C", "B")  # customer, both customer and supplier


def valid_iban(text: str) -> str:
    from stdnum import iban

    compact = iban.compact(text or "")
    return compact if compact and iban.is_valid(compact) else ""


@dataclass(frozen=True)
class BalanceCheck:
    """One debtor's open balance in the auditfile against the register's, on the file's end date."""

    debtor_id: str
    name: str
    auditfile_cents: int
    register_cents: int | None  # None: the debtor is not in the register

    @property
    def differs(self) -> bool:
        return self.register_cents is not None and self.register_cents != self.auditfile_cents


@dataclass(frozen=True)
class Auditfile:
    source: str
    version: str  # "3.2", "3.2.1", "3.1", "3.0" or "4.0"
    end_date: date
    customers: dict[str, dict]  # custSupID -> {"name": ..., "contact": ..., ...} (master data)
    balances: dict[str, int]  # custSupID -> open balance in cents (debit positive)
    items: tuple[OpenItem, ...]  # proven open invoices
    why_no_items: str = ""  # Dutch, when the file does not prove open items per invoice
    credit_items: tuple[SkippedRow, ...] = field(default_factory=tuple)  # invRefs with a credit balance


def _local(tag) -> str:
    return tag.split("}", 1)[-1] if isinstance(tag, str) else ""


def is_auditfile(path: Path | str) -> bool:
    """True when the file is XML whose root element is ``auditfile`` (any namespace, any case)."""
    path = Path(path)
    try:
        head = path.read_bytes()[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    except OSError:
        return False
    if not head.startswith(b"<"):
        return False
    match = re.search(rb"<(?:[A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)[\s>/]", re.sub(rb"<[?!][^>]*>", b"", head))
    return bool(match) and match.group(1).lower() == b"auditfile"


class _Node:
    """Namespace-free access to an lxml element: child text and children by local name."""

    def __init__(self, element):
        self.element = element

    def all(self, name: str) -> list[_Node]:
        return [_Node(e) for e in self.element.iter() if _local(e.tag) == name and e is not self.element]

    def children(self, name: str) -> list[_Node]:
        return [_Node(e) for e in self.element if _local(e.tag) == name]

    def child(self, name: str) -> _Node | None:
        found = self.children(name)
        return found[0] if found else None

    def text(self, name: str) -> str:
        node = self.child(name)
        return (node.element.text or "").strip() if node is not None else ""


def _cents(text: str, where: str) -> int:
    # An XML decimal (xs:decimal: a dot, no thousands separator), not a typed amount: not money.parse_amount.
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise OpenpostenError(f"{where}: bedrag '{text}' is geen getal.") from None
    if value != value.quantize(Decimal("0.01")):
        raise OpenpostenError(f"{where}: bedrag '{text}' heeft meer dan twee decimalen.")
    return int(value * 100)


def _signed(node: _Node, where: str, amount="amnt", side="amntTp") -> int:
    cents = _cents(node.text(amount) or "0", where)
    return -cents if node.text(side).upper() == "C" else cents


def _date(text: str) -> date | None:
    try:
        return date.fromisoformat(text[:10]) if text else None
    except ValueError:
        return None


def _version(root: _Node, namespace: str) -> str:
    ns = namespace.casefold().rstrip("/")
    if "xaf_4.0" in ns or ns.endswith("xaf/4.0"):
        return "4.0"
    if "3.2.1" in ns:
        return "3.2.1"
    for v in ("3.2", "3.1", "3.0"):
        if ns.endswith(f"xaf/{v}"):
            return v
    names = {_local(e.tag) for e in root.element.iter()}
    if names & {"trLines", "clBalDesc", "RGScode", "Commercenr", "settDate"}:
        return "4.0"
    return "3.2"


def read_auditfile(path: Path | str) -> Auditfile:
    from lxml import etree

    path = Path(path)
    try:
        tree = etree.parse(str(path), parser=etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True))
    except (OSError, etree.XMLSyntaxError) as error:
        raise OpenpostenError(
            f"'{path.name}' is geen leesbaar XML-auditbestand ({error}); exporteer het opnieuw."
        ) from None
    root = _Node(tree.getroot())
    if _local(root.element.tag).lower() != "auditfile":
        raise OpenpostenError(f"'{path.name}' is geen XML Auditfile Financieel (het hoofdelement is geen auditfile).")
    namespace = etree.QName(root.element).namespace or ""
    version = _version(root, namespace)
    header = root.child("header")
    company = root.child("company")
    if header is None or company is None:
        raise OpenpostenError(
            f"'{path.name}' is een auditbestand zonder header of company; alleen XAF 3.x en 4.0 worden gelezen."
        )
    if header.text("curCode") and header.text("curCode").upper() != "EUR":
        raise OpenpostenError(f"'{path.name}' is in {header.text('curCode')}, niet in euro; alleen euro wordt gelezen.")
    end_date = _date(header.text("endDate"))
    if end_date is None:
        raise OpenpostenError(f"'{path.name}': de header noemt geen geldige einddatum (endDate).")

    customers, closing = _customers(company, path.name)
    ledger_types = {n.text("accID"): n.text("accTp").upper() for n in company.all("ledgerAccount")}
    journals = company.child("transactions").children("journal") if company.child("transactions") is not None else []
    lines = []  # (jrnTp, trLine node, transaction date)
    for journal in journals:
        kind = journal.text("jrnTp").upper()
        for transaction in journal.children("transaction"):
            for line in transaction.all("trLine"):  # 3.x: directly below; 4.0: in trLines
                lines.append((kind, line, _date(transaction.text("trDt"))))

    items, why, balances, credits = _from_subledger(company, version, customers, path.name)
    if items is None:
        items, why, computed, credits = _from_invoice_references(company, lines, ledger_types, customers, path.name)
        balances = computed
    if closing:  # 4.0: the file states each relation's closing balance; it wins for the check
        balances = {**balances, **closing}
    return Auditfile(path.name, version, end_date, customers, balances, tuple(items), why, tuple(credits))


def _customers(company: _Node, source: str) -> tuple[dict[str, dict], dict[str, int]]:
    section = company.child("customersSuppliers")
    relations = section.children("customerSupplier") if section is not None else []
    typed = any(r.text("custSupTp") for r in relations)
    customers: dict[str, dict] = {}
    closing: dict[str, int] = {}
    for r in relations:
        if typed and r.text("custSupTp").upper() not in CUSTOMER_TYPES:
            continue
        cid = r.text("custSupID")
        if not cid:
            continue
        address = r.child("streetAddress")
        bank = r.child("bankAccount")
        fields = {
            "name": r.text("custSupName") or cid,
            "contact": r.text("contact"),
            "phone": r.text("telephone"),
            "email": r.text("eMail"),
            "kvk": r.text("commerceNr"),
        }
        if address is not None:
            street = " ".join(
                x for x in (address.text("streetname"), address.text("number"), address.text("numberExtension")) if x
            )
            fields.update(address=street, postcode=address.text("postalCode"), city=address.text("city"),
                          country=address.text("country"))  # fmt: skip
        if bank is not None and valid_iban(bank.text("bankAccNr")):  # a non-IBAN account would fail validation
            fields["iban"] = valid_iban(bank.text("bankAccNr"))
        customers[cid] = {k: v for k, v in fields.items() if v}
        if r.child("clBalDesc") is not None:  # 4.0: an amount despite the name
            closing[cid] = _signed(r, f"{source}, relatie {cid}", "clBalDesc", "clBalTp")
    return customers, closing


def _item(cid, ref, customers, invoice_cents, open_cents, invoice_date, due_date) -> OpenItem:
    extra = tuple((k, v) for k, v in customers.get(cid, {}).items() if k != "name")
    return OpenItem(
        row=0, debtor_id=cid, debtor_name=customers.get(cid, {}).get("name", cid), invoice_id=ref,
        invoice_date=invoice_date, amount_cents=invoice_cents, due_date=due_date, open_cents=open_cents,
        debtor_fields=extra,
    )  # fmt: skip


def _collect(entries, customers, source):
    """Open items from (custSupID, invRef, signed cents, invoice date, due date) entries."""
    by_invoice: dict[tuple[str, str], dict] = defaultdict(lambda: {"net": 0, "invoiced": 0, "date": None, "due": None})
    balances: dict[str, int] = defaultdict(int)
    for cid, ref, cents, day, due in entries:
        balances[cid] += cents
        if not ref:
            continue
        entry = by_invoice[(cid, ref)]
        entry["net"] += cents
        if cents > 0:
            entry["invoiced"] += cents
            entry["date"] = min(d for d in (entry["date"], day) if d) if (entry["date"] or day) else None
            entry["due"] = entry["due"] or due
    items, credits = [], []
    for (cid, ref), entry in sorted(by_invoice.items()):
        if entry["net"] > 0 and cid in customers:
            if entry["date"] is None:
                continue
            items.append(_item(cid, ref, customers, entry["invoiced"], entry["net"], entry["date"], entry["due"]))
        elif entry["net"] < 0:
            credits.append(SkippedRow(0, f"debiteur {cid}, {ref}: creditsaldo, niet ingelezen", entry["net"]))
    return items, dict(balances), credits


def _from_subledger(company: _Node, version: str, customers, source):
    """(a) XAF 3.x: the CU subledger (opening and transactions) with invRef and invDt on its lines."""
    if version == "4.0":
        return None, "", {}, []
    lines = []
    for container in ("obSubledger", "subledger"):
        for ledger in company.all(container):
            if ledger.text("sbType").upper() == "CU":
                lines += ledger.children("obSbLine" if container == "obSubledger" else "sbLine")
    has_year = any(ledger.text("sbType").upper() == "CU" for ledger in company.all("subledger"))
    # Proof: the year's CU subledger exists (not only the opening one), every line names its
    # invoice (a payment without invRef cannot be allocated) and every invoice line has its date.
    if not lines or not has_year or not all(line.text("invRef") for line in lines):
        return None, "", {}, []
    if not all(line.text("invDt") for line in lines if line.text("amntTp").upper() == "D"):
        return None, "", {}, []
    entries = [
        (line.text("custSupID"), line.text("invRef"), _signed(line, f"{source}, subadministratie CU regel {line.text('nr')}"),
         _date(line.text("invDt")), _date(line.text("invDueDt")))
        for line in lines
    ]  # fmt: skip
    items, balances, credits = _collect(entries, customers, source)
    return items, "", balances, credits


def _from_invoice_references(company, lines, ledger_types, customers, source):
    """(b) The receivables account's lines, when both invoices and payments carry invRef."""
    customer_lines = [(kind, line, day) for kind, line, day in lines if line.text("custSupID") in customers]
    sales = {line.text("accID") for kind, line, _ in customer_lines if kind == "S"}
    money = {line.text("accID") for kind, line, _ in customer_lines if kind in ("B", "C")}
    receivable = {a for a in sales & money if ledger_types.get(a, "B") != "P"}
    if not receivable:  # no journal types: a balance account with customer debits and credits
        sides = defaultdict(set)
        for _, line, _ in customer_lines:
            if ledger_types.get(line.text("accID"), "") == "B":
                sides[line.text("accID")].add(line.text("amntTp").upper())
        receivable = {a for a, s in sides.items() if s >= {"D", "C"}}
    rec_lines = [(line, day) for _, line, day in customer_lines if line.text("accID") in receivable]
    entries = [
        (line.text("custSupID"), line.text("invRef"), _signed(line, f"{source}, boekingsregel {line.text('nr')}"),
         _date(line.text("effDate")) or day, None)
        for line, day in rec_lines
    ]  # fmt: skip
    _, balances, _ = _collect(entries, customers, source)
    opening = [
        n for n in company.all("obLine") if n.text("accID") in receivable and _cents(n.text("amnt") or "0", source) != 0
    ]
    if not receivable:
        why = ("het bestand wijst geen debiteurenrekening aan (geen rekening met klantregels in zowel het verkoop- als "
               "een bank- of kasdagboek)")  # fmt: skip
    elif any(not line.text("invRef") for line, _ in rec_lines):
        missing = sum(1 for line, _ in rec_lines if not line.text("invRef"))
        why = f"{missing} regel(s) op de debiteurenrekening hebben geen factuurverwijzing (invRef)"
    elif opening:
        why = "het beginsaldo van de debiteurenrekening staat er niet per factuur in"
    else:
        items, _, credits = _collect(entries, customers, source)
        return items, "", balances, credits
    return (
        [],
        (
            f"Het auditbestand bewijst geen openstaande posten per factuur: {why}; alleen de debiteuren en hun "
            "saldo's zijn gelezen. Importeer de openstaande posten uit een export van het pakket (--pakket)."
        ),
        balances,
        [],
    )


def register_balances(register, end_date: date) -> dict[str, int]:
    """The register's open balance per debtor on ``end_date`` (invoices and payments up to that day)."""
    ledger = settle(register.invoices, register.payments, end_date, pd.Index(register.debtors["debtor_id"]))
    per = ledger.invoices.groupby("debtor_id")["open_cents"].sum()
    result = {str(d): 0 for d in register.debtors["debtor_id"]}
    result.update({str(k): int(v) for k, v in per.items()})
    return result


def balance_checks(auditfile: Auditfile, register) -> tuple[BalanceCheck, ...]:
    """Per debtor with a balance in the file or in the register: both balances on the file's end date.

    A register debtor the file does not name has a balance of 0 in the file.
    """
    ours = register_balances(register, auditfile.end_date)
    ids = sorted({d for d, c in auditfile.balances.items() if c} | {d for d, c in ours.items() if c})
    return tuple(
        BalanceCheck(d, auditfile.customers.get(d, {}).get("name", d), auditfile.balances.get(d, 0), ours.get(d))
        for d in ids
    )


@dataclass(frozen=True)
class AuditfileImport(OpenpostenImport):
    version: str = ""
    why_no_items: str = ""
    checks: tuple[BalanceCheck, ...] = ()


def auditfile_mapping(version: str) -> Mapping:
    return Mapping(name="auditfile", title=f"XML Auditfile Financieel {version}", columns={}, kind="zakelijk")


def import_auditfile(source, path: Path | str, *, apply: bool, generated_at: datetime) -> AuditfileImport:
    """Read the auditfile, compare it with the register and (``apply``) append new debtors and proven invoices.

    New debtors are the file's customers with an open balance or open items
    that the register does not know; nothing in the register is changed.
    """
    from ..register.live_backend import workbook_target

    auditfile = read_auditfile(path)
    target = workbook_target(source)
    register = read_register(target)
    plan = plan_import(auditfile.items, register)
    known = {str(d) for d in register.debtors["debtor_id"]} | {i.debtor_id for i in plan.new_debtors}
    for cid, cents in sorted(auditfile.balances.items()):
        if cents and cid not in known and cid in auditfile.customers:
            # a debtor with a balance but no proven invoice: its master data only (no invoice is written)
            plan.new_debtors.append(_item(cid, "", auditfile.customers, 0, cents, auditfile.end_date, None))
    checks = balance_checks(auditfile, register)
    mapping = auditfile_mapping(auditfile.version)
    written = append_plan(target, plan, mapping.kind, register, generated_at) if apply else None
    return AuditfileImport(
        auditfile.source, mapping, auditfile.items, plan, written, auditfile.credit_items,
        version=auditfile.version, why_no_items=auditfile.why_no_items, checks=checks,
    )  # fmt: skip


def check_lines(result: AuditfileImport) -> list[str]:
    """The Dutch report of what the file could prove and of the balance check per debtor."""
    lines = [f"Auditbestand (XAF {result.version})."]
    if result.why_no_items:
        lines.append(result.why_no_items)
    differing = [c for c in result.checks if c.differs]
    missing = [c for c in result.checks if c.register_cents is None]
    lines.append(
        f"Saldo per debiteur vergeleken ({len(result.checks)}): {len(differing)} wijken af, "
        f"{len(missing)} staan niet in het register."
    )
    lines += [
        f"- {c.debtor_id} {c.name}: auditbestand {format_eur(c.auditfile_cents, cents=True)}, "
        f"register {format_eur(c.register_cents, cents=True)}"
        for c in differing
    ]
    return lines


def checks_json(result: AuditfileImport) -> dict:
    return {
        "version": result.version,
        "why_no_items": result.why_no_items or None,
        "balance_checks": [
            {
                "debtor": c.debtor_id,
                "name": c.name,
                "auditfile": json_amount(c.auditfile_cents),
                "register": json_amount(c.register_cents) if c.register_cents is not None else None,
                "differs": c.differs,
            }
            for c in result.checks
        ],
    }
