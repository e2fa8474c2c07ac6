"""Bank statements (CAMT.053 and MT940) read into immutable records.

``read_statement(path)`` recognises the format from the content, reads every
entry into a ``BankTransaction`` that says where it came from, and raises one
``StatementError`` (Dutch message) for a file it cannot read completely: a
statement is imported whole or not at all.

CAMT.053 (ISO 20022 XML, as ING, Rabobank and ABN AMRO export it) is parsed
with lxml against the element names of the published schema; any
``camt.053.001.*`` version is accepted. MT940 is parsed with the ``mt-940``
package; the ``:86:`` details in the Dutch banks' ``/TAG/value`` structure
(``/EREF/``, ``/CNTP/``, ``/ORDP//NAME/``, ``/REMI/USTD//`` ...) are split here.

>>> split_mt940_details("/EREF/E2E-1//CNTP/NL44RABO0123456789/RABONL2U/Bakkerij B.V.///REMI/USTD//Factuur 2026-0501/")["REMI"]
'USTD//Factuur 2026-0501/'
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import NamedTuple

CAMT053 = "CAMT.053"
MT940 = "MT940"
NOT_PROVIDED = "NOTPROVIDED"


class StatementError(ValueError):
    """A bank statement that cannot be read; the message is Dutch and names the file."""


class BankTransaction(NamedTuple):
    """One booked transaction; ``amount`` in euros, positive, ``credit`` tells the direction."""

    booking_date: date
    amount: Decimal
    credit: bool
    currency: str
    counterparty_name: str
    counterparty_iban: str
    remittance: str  # unstructured remittance information, joined
    structured_reference: str  # e.g. an RF creditor reference
    end_to_end_id: str
    bank_reference: str  # what identifies the transaction for Betalingen.Bankreferentie
    source: str  # file name
    position: str  # where in the file: "regel 12" or "Ntry 3"

    @property
    def amount_cents(self) -> int:
        return int(self.amount * 100)

    @property
    def text(self) -> str:
        """Everything a payer may have written: structured reference and remittance."""
        return " ".join(t for t in (self.structured_reference, self.remittance) if t)


class Statement(NamedTuple):
    format: str  # CAMT053 or MT940
    account_iban: str  # compact, upper case
    transactions: tuple[BankTransaction, ...]
    source: str

    def credits(self) -> tuple[BankTransaction, ...]:
        return tuple(t for t in self.transactions if t.credit)


def compact_iban(text: str | None) -> str:
    """An IBAN without spaces, dots or hyphens, upper case.

    >>> compact_iban(" nl91 abna 0417 1643 00 ")
    'NL91ABNA0417164300'
    """
    return re.sub(r"[\s.\-]+", "", text or "").upper()


def read_statement(path: Path | str) -> Statement:
    """Read a CAMT.053 or MT940 file; ``StatementError`` when it is neither or is damaged."""
    path = Path(path)
    if not path.is_file():
        raise StatementError(f"Het bankafschrift '{path}' bestaat niet.")
    try:
        data = path.read_bytes()
    except OSError as error:
        raise StatementError(f"Het bankafschrift '{path.name}' kan niet worden gelezen: {error.strerror}.") from None
    head = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:4000]
    if head.startswith(b"<"):
        return parse_camt053(data, path.name)
    text = _decode(data)
    if re.search(r"^:20:", text, re.M) and re.search(r"^:25:", text, re.M) and re.search(r"^:61:", text, re.M):
        return parse_mt940(text, path.name)
    raise StatementError(
        f"'{path.name}' is geen bankafschrift in CAMT.053- of MT940-formaat. "
        "Exporteer de afschriften in internetbankieren als CAMT.053 (XML) of MT940."
    )


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")  # pragma: no cover - latin-1 decodes everything


def parse_amount_text(text: str | None, where: str) -> Decimal:
    """A statement amount (dot or MT940 comma as decimal separator), at most two decimals.

    >>> parse_amount_text("1210,5", "x")
    Decimal('1210.50')
    >>> parse_amount_text("12.345", "Ntry 1")
    Traceback (most recent call last):
    ...
    debiteuren.bank.statements.StatementError: Ntry 1: bedrag '12.345' heeft meer dan twee decimalen.
    """
    raw = (text or "").strip()
    if not re.fullmatch(r"\d+([.,]\d*)?", raw):
        raise StatementError(f"{where}: bedrag '{raw}' is geen geldig bedrag.")
    try:
        amount = Decimal(raw.replace(",", "."))
    except InvalidOperation:  # pragma: no cover - guarded by the regex
        raise StatementError(f"{where}: bedrag '{raw}' is geen geldig bedrag.") from None
    if amount != amount.quantize(Decimal("0.01")):
        raise StatementError(f"{where}: bedrag '{raw}' heeft meer dan twee decimalen.")
    return amount.quantize(Decimal("0.01"))


# --- CAMT.053 --------------------------------------------------------------------------------


def parse_camt053(data: bytes, source: str) -> Statement:
    from lxml import etree

    try:
        root = etree.fromstring(data, parser=etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError as error:
        raise StatementError(f"'{source}' is geen geldig XML-bestand ({error.msg}).") from None
    namespace = etree.QName(root).namespace or ""
    if not namespace.startswith("urn:iso:std:iso:20022:tech:xsd:camt.053."):
        raise StatementError(
            f"'{source}' is wel XML, maar geen CAMT.053-bankafschrift (naamruimte '{namespace or 'geen'}')."
        )
    ns = {"c": namespace}

    def text(node, xpath: str) -> str:
        found = node.xpath(xpath, namespaces=ns)
        return " ".join(str(f).strip() for f in found if str(f).strip())

    statements = root.xpath("c:BkToCstmrStmt/c:Stmt", namespaces=ns)
    if not statements:
        raise StatementError(f"'{source}' bevat geen afschrift (geen element Stmt).")
    accounts = {compact_iban(text(s, "c:Acct/c:Id/c:IBAN/text()")) for s in statements}
    if len(accounts) != 1 or "" in accounts:
        raise StatementError(f"'{source}' bevat afschriften van meer dan één rekening of zonder IBAN.")
    transactions = []
    entry_number = 0
    for statement in statements:
        for entry in statement.xpath("c:Ntry", namespaces=ns):
            entry_number += 1
            where = f"{source}, Ntry {entry_number}"
            status = text(entry, "c:Sts/text() | c:Sts/c:Cd/text()")
            if status and status != "BOOK":
                continue  # pending or informational entries are not (yet) money
            direction = text(entry, "c:CdtDbtInd/text()")
            if direction not in ("CRDT", "DBIT"):
                raise StatementError(f"{where}: onbekende richting '{direction}' (verwacht CRDT of DBIT).")
            if text(entry, "c:RvslInd/text()") == "true":
                direction = "DBIT" if direction == "CRDT" else "CRDT"
            booked = _camt_date(text(entry, "c:BookgDt/c:Dt/text() | c:BookgDt/c:DtTm/text()"), where)
            entry_ref = text(entry, "c:AcctSvcrRef/text()")
            details = entry.xpath("c:NtryDtls/c:TxDtls", namespaces=ns)
            entry_amount = parse_amount_text(text(entry, "c:Amt/text()"), where)
            currency = entry.xpath("c:Amt/@Ccy", namespaces=ns)
            for index, detail in enumerate(details or [None], start=1):
                here = where if len(details) <= 1 else f"{where}, TxDtls {index}"
                node = detail if detail is not None else entry
                amount = entry_amount
                if detail is not None and len(details) > 1:
                    own = text(detail, "c:AmtDtls/c:TxAmt/c:Amt/text() | c:Amt/text()")
                    if not own:
                        raise StatementError(f"{here}: een deel van een verzamelboeking heeft geen bedrag.")
                    amount = parse_amount_text(own, here)
                party = "c:RltdPties/c:Dbtr" if direction == "CRDT" else "c:RltdPties/c:Cdtr"
                party_account = "c:RltdPties/c:DbtrAcct" if direction == "CRDT" else "c:RltdPties/c:CdtrAcct"
                end_to_end = text(node, "c:Refs/c:EndToEndId/text()") if detail is not None else ""
                if end_to_end == NOT_PROVIDED:
                    end_to_end = ""
                own_ref = text(node, "c:Refs/c:AcctSvcrRef/text()") if detail is not None else ""
                if len(details) > 1:
                    reference = own_ref or (f"{entry_ref}/{index}" if entry_ref else end_to_end)
                else:
                    reference = entry_ref or own_ref or end_to_end
                if not reference:
                    raise StatementError(f"{here}: de boeking heeft geen bankreferentie (AcctSvcrRef of EndToEndId).")
                transactions.append(
                    BankTransaction(
                        booking_date=booked,
                        amount=amount,
                        credit=direction == "CRDT",
                        currency=currency[0] if currency else "EUR",
                        counterparty_name=text(node, f"{party}/c:Nm/text() | {party}/c:Pty/c:Nm/text()"),
                        counterparty_iban=compact_iban(text(node, f"{party_account}/c:Id/c:IBAN/text()")),
                        remittance=" ".join(text(node, "c:RmtInf/c:Ustrd/text()").split())
                        or (text(entry, "c:AddtlNtryInf/text()") if detail is None else ""),
                        structured_reference=text(node, "c:RmtInf/c:Strd/c:CdtrRefInf/c:Ref/text()"),
                        end_to_end_id=end_to_end,
                        bank_reference=reference,
                        source=source,
                        position=here.removeprefix(f"{source}, "),
                    )
                )
    return Statement(CAMT053, accounts.pop(), tuple(transactions), source)


def _camt_date(text: str, where: str) -> date:
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        raise StatementError(f"{where}: boekdatum '{text}' is geen geldige datum.") from None


# --- MT940 -----------------------------------------------------------------------------------

MT940_TAGS = (
    "EREF", "MARF", "CSID", "CNTP", "REMI", "PURP", "ORDP", "BENM", "ULTC", "ULTD", "ULTB", "NAME",
    "ID", "ADDR", "IBAN", "BIC", "RTRN", "ISDT", "SVCL", "TRCD", "BUSP", "PREF", "CDTRREFTP", "CDTRREF",
)
_TAG = re.compile(r"/(" + "|".join(sorted(MT940_TAGS, key=len, reverse=True)) + r")/")


def split_mt940_details(details: str) -> dict[str, str]:
    """The ``:86:`` ``/TAG/value`` fields (ING, Rabobank, ABN AMRO SEPA style); first value per tag."""
    flat = (details or "").replace("\r", "").replace("\n", "")
    fields: dict[str, str] = {}
    matches = list(_TAG.finditer(flat))
    for i, match in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(flat)
        fields.setdefault(match.group(1), flat[match.end() : end])
    return fields


def _remittance(value: str) -> tuple[str, str]:
    """(unstructured text, structured reference) from a /REMI/ field."""
    value = value.strip("/")
    if value.startswith("USTD//"):
        return value[6:].strip("/ ").strip(), ""
    if value.startswith("STRD/"):
        parts = [p for p in value[5:].split("/") if p]
        return "", parts[-1] if parts else ""
    return value.strip(), ""


def parse_mt940(text: str, source: str) -> Statement:
    import mt940

    numbered = _amount_lines(text, source)
    try:
        parsed = mt940.models.Transactions()
        parsed.parse(text)
    except Exception as error:  # the library raises plain exceptions for malformed input
        raise StatementError(f"'{source}' is geen geldig MT940-bestand ({error}).") from None
    accounts = {_mt940_account(m) for m in re.findall(r"^:25:(.+)$", text, re.M)}
    if len(accounts) != 1:
        raise StatementError(f"'{source}' bevat afschriften van meer dan één rekening.")
    account = accounts.pop()
    if len(parsed) != len(numbered):
        raise StatementError(f"'{source}': niet elke :61:-regel kon worden gelezen; controleer het bestand.")
    transactions = []
    for (line, raw_amount), item in zip(numbered, parsed):
        data = item.data
        where = f"regel {line}"
        amount = parse_amount_text(raw_amount, f"{source}, {where}")
        status = str(data.get("status", ""))
        credit = status in ("C", "RD")  # RD: reversal of a debit
        details = str(data.get("transaction_details") or "")
        fields = split_mt940_details(details)
        remittance, structured = _remittance(fields.get("REMI", ""))
        if not fields:
            remittance = " ".join(details.replace("\n", " ").split())
        name, iban = "", ""
        if "CNTP" in fields:  # ING: /CNTP/account/BIC/name/city/
            parts = fields["CNTP"].split("/")
            iban = parts[0] if parts else ""
            name = parts[2] if len(parts) > 2 else ""
        party = fields.get("ORDP" if credit else "BENM")
        if party is not None or "NAME" in fields:  # Rabobank: /ORDP//NAME/name/ID/.../ and the IBAN on :61:
            name = name or fields.get("NAME", "").strip("/")
            iban = iban or fields.get("IBAN", "").strip("/") or _iban_in(str(data.get("extra_details") or ""))
        end_to_end = fields.get("EREF", "").strip("/")
        if end_to_end == NOT_PROVIDED:
            end_to_end = ""
        bank_ref = str(data.get("bank_reference") or "").strip()
        customer_ref = str(data.get("customer_reference") or "").strip()
        reference = bank_ref or end_to_end or ("" if customer_ref in ("", "NONREF") else customer_ref)
        if not reference:
            reference = f"MT940/{account}/{data['date'].isoformat()}/{amount}/{line}"
        transactions.append(
            BankTransaction(
                booking_date=date(data["date"].year, data["date"].month, data["date"].day),
                amount=amount,
                credit=credit,
                currency=str(getattr(data.get("amount"), "currency", "") or "EUR"),
                counterparty_name=name.strip(),
                counterparty_iban=compact_iban(iban),
                remittance=remittance,
                structured_reference=structured,
                end_to_end_id=end_to_end,
                bank_reference=reference,
                source=source,
                position=where,
            )
        )
    return Statement(MT940, account, tuple(transactions), source)


_STATEMENT_LINE = re.compile(r"^:61:\d{6}(\d{4})?(C|D|RC|RD)[A-Z]?([^N]*)N")


def _amount_lines(text: str, source: str) -> list[tuple[int, str]]:
    """(line number, amount text) of every :61: line, so a bad amount is named with its line."""
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        if line.startswith(":61:"):
            match = _STATEMENT_LINE.match(line)
            if not match:
                raise StatementError(f"{source}, regel {number}: de boekingsregel ':61:' is onleesbaar: '{line[:40]}'.")
            found.append((number, match.group(3)))
    return found


def _mt940_account(field: str) -> str:
    """The IBAN of a :25: field: 'NL91ABNA0417164300EUR', 'NL91ABNA0417164300 EUR', 'ABNANL2A/NL91...'.

    >>> _mt940_account("NL91ABNA0417164300EUR")
    'NL91ABNA0417164300'
    """
    from stdnum import iban

    value = compact_iban(field.split("/")[-1] if "/" in field else field)
    if not iban.is_valid(value) and re.fullmatch(r".+[A-Z]{3}", value) and iban.is_valid(value[:-3]):
        return value[:-3]
    return value


def _iban_in(text: str) -> str:
    match = re.search(r"\b([A-Z]{2}\d{2}[A-Z0-9]{10,30})\b", text.replace(" ", ""))
    return match.group(1) if match else ""
