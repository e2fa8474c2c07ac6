"""Bank statements (CAMT.053 and MT940) read into immutable records.

``read_statement(path)`` recognises the format from the content, reads every
entry into a ``BankTransaction`` that says where it came from, and raises one
``StatementError`` (one Dutch sentence that says what to do) for a file it
cannot read completely: a statement is imported whole or not at all.

CAMT.053 (ISO 20022 XML, as ING, Rabobank and ABN AMRO export it) is parsed
with lxml against the element names of the published schema; any
``camt.053.001.*`` version is accepted. MT940 is parsed with the ``mt-940``
package, one statement (``:20:`` block) at a time; the ``:86:`` details in the
Dutch banks' ``/TAG/value`` structure (``/EREF/``, ``/CNTP/``, ``/ORDP//NAME/``,
``/REMI/USTD//`` ...) are split here.

Direction: an entry's credit/debit mark is its direction. A reversal (CAMT
``RvslInd``, MT940 ``RC``/``RD``, a SEPA return) keeps its direction but is
marked ``reversal``: it is money back from a failed payment or direct debit,
never a payment received (``Statement.payments_received``).

Identity (``bank_reference``, kept in Betalingen.Bankreferentie): the bank's own
unique entry reference where the format has one (CAMT ``AcctSvcrRef``);
otherwise a reference derived from the content (account, date, direction,
amount, counterparty, remittance, end-to-end id), numbered only among identical
transactions, so overlapping exports of one account give each payment the same
identity. MT940 ``:61:`` references are not used: the customer reference is an
account number or a placeholder (``NONREF``, ``EREF``), and some banks number
the bank reference per file.

>>> split_mt940_details("/EREF/E2E-1//CNTP/NL44RABO0123456789/RABONL2U/Bakkerij B.V.///REMI/USTD//Factuur 2026-0501/")["REMI"]
'USTD//Factuur 2026-0501/'
"""

from __future__ import annotations

import hashlib
import logging
import re
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import NamedTuple

from ..errors import InvalidInput

CAMT053 = "CAMT.053"
MT940 = "MT940"
NOT_PROVIDED = "NOTPROVIDED"
REEXPORT = "exporteer het afschrift opnieuw in internetbankieren (CAMT.053 of MT940) en importeer dat bestand"

# The mt-940 package logs every failed pattern match (and Python prints an unhandled
# logger's errors on stderr); a refusal here is one Dutch sentence, so its log stays silent.
logging.getLogger("mt940").addHandler(logging.NullHandler())
logging.getLogger("mt940").propagate = False


class StatementError(InvalidInput):
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
    bank_reference: str  # the transaction's identity, for Betalingen.Bankreferentie
    source: str  # file name
    position: str  # where in the file: "regel 12" or "Ntry 3"
    reversal: bool = False  # a reversal or return: money back, never a payment received
    account: str = ""  # the statement's own account this entry is on

    @property
    def amount_cents(self) -> int:
        return int(self.amount * 100)

    @property
    def text(self) -> str:
        """Everything a payer may have written: structured reference and remittance."""
        return " ".join(t for t in (self.structured_reference, self.remittance) if t)


class Statement(NamedTuple):
    format: str  # CAMT053 or MT940
    accounts: tuple[str, ...]  # compact, upper case; usually one
    transactions: tuple[BankTransaction, ...]
    source: str

    @property
    def account_iban(self) -> str:
        return " + ".join(self.accounts)

    def credits(self) -> tuple[BankTransaction, ...]:
        """Every credit entry (money in), reversals included: what the balances count."""
        return tuple(t for t in self.transactions if t.credit)

    def payments_received(self) -> tuple[BankTransaction, ...]:
        """Credits that can be a debtor's payment: reversals and returns left out."""
        return tuple(t for t in self.transactions if t.credit and not t.reversal)

    def for_account(self, account: str) -> Statement:
        """The entries of one of the statement's accounts."""
        return Statement(
            self.format, (account,), tuple(t for t in self.transactions if t.account == account), self.source
        )


def compact_iban(text: str | None) -> str:
    """An IBAN without spaces, dots or hyphens, upper case.

    >>> compact_iban(" nl91 abna 0417 1643 00 ")
    'NL91ABNA0417164300'
    """
    return re.sub(r"[\s.\-]+", "", text or "").upper()


def valid_iban(text: str | None) -> str:
    """The compact IBAN when it is one (checksum included), else ''.

    >>> valid_iban("NL91 ABNA 0417 1643 00"), valid_iban("123")
    ('NL91ABNA0417164300', '')
    """
    from stdnum import iban

    value = compact_iban(text)
    return value if value and iban.is_valid(value) else ""


def _key(text: str) -> str:
    return re.sub(r"[\W_]+", "", (text or "").casefold())


def content_identity(t: BankTransaction) -> str:
    """A reference for a transaction without a bank reference, from what it is, not where it is.

    >>> t = BankTransaction(date(2013, 4, 4), Decimal("1640.76"), True, "EUR", "DLN CONSULTING", "",
    ...                     "factuurnummer 201303-128", "", "", "", "a.txt", "regel 9", account="NL50RABO0123456789")
    >>> content_identity(t) == content_identity(t._replace(source="b.txt", position="regel 40"))
    True
    >>> content_identity(t)[:21]
    'ID-20130404-C1640.76-'
    """
    parts = (
        t.account, t.booking_date.isoformat(), "C" if t.credit else "D", str(t.amount), t.currency,
        compact_iban(t.counterparty_iban), _key(t.counterparty_name), _key(t.remittance),
        _key(t.structured_reference), _key(t.end_to_end_id),
    )  # fmt: skip
    digest = hashlib.sha256("|".join(parts).encode("utf-8")).hexdigest()[:10].upper()
    return f"ID-{t.booking_date:%Y%m%d}-{'C' if t.credit else 'D'}{t.amount}-{digest}"


def with_identities(transactions: list[BankTransaction]) -> tuple[BankTransaction, ...]:
    """Give every transaction without a bank reference its content identity.

    Identical transactions (same day, amount, party and text) are numbered in
    their order: the second gets ``-2``. Overlapping exports that both hold the
    whole day number them alike.
    """
    seen: dict[str, int] = {}
    result = []
    for t in transactions:
        if t.bank_reference:
            result.append(t)
            continue
        identity = content_identity(t)
        seen[identity] = seen.get(identity, 0) + 1
        n = seen[identity]
        result.append(t._replace(bank_reference=identity if n == 1 else f"{identity}-{n}"))
    return tuple(result)


def read_statement(path: Path | str) -> Statement:
    """Read a CAMT.053 or MT940 file; ``StatementError`` when it is neither or is damaged."""
    path = Path(path)
    if not path.is_file():
        raise StatementError(f"Het bankafschrift '{path}' bestaat niet; controleer het pad.")
    try:
        data = path.read_bytes()
    except OSError as error:
        raise StatementError(
            f"Het bankafschrift '{path.name}' kan niet worden gelezen ({error.strerror}); "
            "sluit het in andere programma's en probeer het opnieuw."
        ) from None
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

    Not ``money.parse_amount``: a bank file has no thousands separator, so "1.234" is a decimal
    (refused for its three decimals), never the typed Dutch 1.234 = 1234.

    Trailing zeros beyond the cents are not decimals ("12.34000" is 12.34).

    >>> parse_amount_text("1210,5", "x")
    Decimal('1210.50')
    >>> parse_amount_text("12.345", "Ntry 1")
    Traceback (most recent call last):
    ...
    debiteuren.bank.statements.StatementError: Ntry 1: bedrag '12.345' heeft meer dan twee decimalen; exporteer het afschrift opnieuw in internetbankieren (CAMT.053 of MT940) en importeer dat bestand.
    """
    raw = (text or "").strip()
    if not re.fullmatch(r"\d+([.,]\d*)?", raw):
        raise StatementError(f"{where}: bedrag '{raw}' is geen geldig bedrag; {REEXPORT}.")
    try:
        amount = Decimal(raw.replace(",", "."))
    except InvalidOperation:  # pragma: no cover - guarded by the regex
        raise StatementError(f"{where}: bedrag '{raw}' is geen geldig bedrag; {REEXPORT}.") from None
    if amount != amount.quantize(Decimal("0.01")):
        raise StatementError(f"{where}: bedrag '{raw}' heeft meer dan twee decimalen; {REEXPORT}.")
    return amount.quantize(Decimal("0.01"))


# --- CAMT.053 --------------------------------------------------------------------------------

# Bank transaction sub-family codes (ISO 20022 external code list) of returns and
# unpaid direct debits: money back, never a payment received, whatever RvslInd says.
RETURN_SUBFAMILIES = {"RRTN", "UPDD", "ARET", "RPCR", "PRDD", "UPCT", "RCDD"}


def parse_camt053(data: bytes, source: str) -> Statement:
    from lxml import etree

    try:
        root = etree.fromstring(data, parser=etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError as error:
        raise StatementError(f"'{source}' is geen geldig XML-bestand ({error.msg}); {REEXPORT}.") from None
    namespace = etree.QName(root).namespace or ""
    if not namespace.startswith("urn:iso:std:iso:20022:tech:xsd:camt.053."):
        raise StatementError(
            f"'{source}' is wel XML, maar geen CAMT.053-bankafschrift (naamruimte '{namespace or 'geen'}'); "
            "exporteer in internetbankieren het afschrift als CAMT.053."
        )
    ns = {"c": namespace}

    def text(node, xpath: str) -> str:
        found = node.xpath(xpath, namespaces=ns)
        return " ".join(str(f).strip() for f in found if str(f).strip())

    statements = root.xpath("c:BkToCstmrStmt/c:Stmt", namespaces=ns)
    if not statements:
        raise StatementError(f"'{source}' bevat geen afschrift (geen element Stmt); {REEXPORT}.")
    accounts: list[str] = []
    transactions = []
    entry_number = 0
    for statement in statements:
        account = compact_iban(text(statement, "c:Acct/c:Id/c:IBAN/text()")) or compact_iban(
            text(statement, "c:Acct/c:Id/c:Othr/c:Id/text()")
        )
        if not account:
            raise StatementError(f"'{source}' noemt bij een afschrift geen rekeningnummer (Acct/Id); {REEXPORT}.")
        if account not in accounts:
            accounts.append(account)
        for entry in statement.xpath("c:Ntry", namespaces=ns):
            entry_number += 1
            where = f"{source}, Ntry {entry_number}"
            status = text(entry, "c:Sts/text() | c:Sts/c:Cd/text()")
            if status and status != "BOOK":
                continue  # pending or informational entries are not (yet) money
            direction = text(entry, "c:CdtDbtInd/text()")
            if direction not in ("CRDT", "DBIT"):
                raise StatementError(f"{where}: onbekende richting '{direction}' (verwacht CRDT of DBIT); {REEXPORT}.")
            # CdtDbtInd is the direction of the entry as booked; RvslInd only says that
            # it undoes an earlier one (a failed direct debit), it does not flip it.
            entry_reversal = text(entry, "c:RvslInd/text()") in ("true", "1") or (
                text(entry, "c:BkTxCd/c:Domn/c:Fmly/c:SubFmlyCd/text()") in RETURN_SUBFAMILIES
            )
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
                        raise StatementError(f"{here}: een deel van een verzamelboeking heeft geen bedrag; {REEXPORT}.")
                    amount = parse_amount_text(own, here)
                party = "c:RltdPties/c:Dbtr" if direction == "CRDT" else "c:RltdPties/c:Cdtr"
                party_account = "c:RltdPties/c:DbtrAcct" if direction == "CRDT" else "c:RltdPties/c:CdtrAcct"
                end_to_end = text(node, "c:Refs/c:EndToEndId/text()") if detail is not None else ""
                if end_to_end == NOT_PROVIDED:
                    end_to_end = ""
                own_ref = text(node, "c:Refs/c:AcctSvcrRef/text()") if detail is not None else ""
                if len(details) > 1:
                    reference = own_ref or (f"{entry_ref}/{index}" if entry_ref else "")
                else:
                    reference = entry_ref or own_ref
                returned = detail is not None and bool(detail.xpath("c:RtrInf", namespaces=ns))
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
                        bank_reference=reference,  # '' gets the content identity below
                        source=source,
                        position=here.removeprefix(f"{source}, "),
                        reversal=entry_reversal or returned,
                        account=account,
                    )
                )
    return Statement(CAMT053, tuple(accounts), with_identities(transactions), source)


def _camt_date(text: str, where: str) -> date:
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        raise StatementError(f"{where}: boekdatum '{text}' is geen geldige datum; {REEXPORT}.") from None


# --- MT940 -----------------------------------------------------------------------------------

MT940_TAGS = (
    "EREF",
    "MARF",
    "CSID",
    "CNTP",
    "REMI",
    "PURP",
    "ORDP",
    "BENM",
    "ULTC",
    "ULTD",
    "ULTB",
    "NAME",
    "ID",
    "ADDR",
    "IBAN",
    "BIC",
    "RTRN",
    "ISDT",
    "SVCL",
    "TRCD",
    "BUSP",
    "PREF",
    "CDTRREFTP",
    "CDTRREF",
    "TRTP",
)
_TAG = re.compile(r"/(" + "|".join(sorted(MT940_TAGS, key=len, reverse=True)) + r")/")
# A SEPA return reason code (AC04, MS03 ...) before the counterparty's IBAN: ING's unstructured
# :86: of a returned payment.
_RETURN_CODE = re.compile(r"^(?:AC|AG|AM|BE|FF|MD|MS|RC|RR|SL)\d{2}\s+[A-Z]{2}\d{2}[A-Z0-9]{10,30}\b")
# de Volksbank (ASN Bank, SNS, RegioBank) puts the counterparty's IBAN (up to 34 characters) in the
# :61: customer reference, where the SWIFT layout (and the mt-940 package's default) allows 16.
VOLKSBANK = {"ASNB", "SNSB", "RBRB"}
MT940_FIELDS = {20: "referentie", 25: "rekening", 28: "afschriftnummer", 60: "beginsaldo", 61: "boekingsregel",
                62: "eindsaldo", 64: "beschikbaar saldo", 65: "toekomstig saldo", 86: "omschrijving"}  # fmt: skip
_END_OF_BLOCK = re.compile(r"^-(?:\}.*|XXX\s*|\s*)$")


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


def mt940_blocks(text: str) -> list[tuple[int, str]]:
    """(first line number, text) of every statement: from a ``:20:`` line to the next, without trailers.

    SWIFT envelopes and bank headers between statements (``-}``, ``-XXX``,
    ``0000 01FVLBNL22AXXX00042``, ``940 00``) end a block, so they never end up
    in the last transaction's details.
    """
    # \x1a: the DOS end-of-file mark some exports leave between concatenated statements
    lines = text.replace("\x1a", "").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    blocks: list[tuple[int, str]] = []
    current: list[str] | None = None
    last_tag, skipping = "", False
    for number, line in enumerate(lines, start=1):
        if line.startswith(":20:"):
            current, last_tag, skipping = [line], "20", False
            blocks.append((number, ""))
        elif current is None:
            continue
        elif _END_OF_BLOCK.match(line) or line.startswith("{"):
            blocks[-1] = (blocks[-1][0], "\n".join(current))
            current = None
            continue
        else:
            tag = re.match(r":(\d\d)[A-Z]?:", line)
            if tag:
                # a :86: after the closing balance describes the statement, not its last transaction
                skipping = tag.group(1) == "86" and last_tag in ("62", "64", "65")
                last_tag = tag.group(1)
            if not skipping:
                current.append(line)
        blocks[-1] = (blocks[-1][0], "\n".join(current))
    return blocks


def _parse_block(block: str, first_line: int, source: str, account: str):
    """The mt-940 package's reading of one statement; its errors become one Dutch sentence."""
    import mt940

    tags = {}
    if len(account) > 8 and account[4:8] in VOLKSBANK:
        tags[mt940.tags.StatementASNB.id] = mt940.tags.StatementASNB()
    try:
        parsed = mt940.models.Transactions(tags=tags)
        parsed.parse(block)
    except Exception as error:  # the package raises plain exceptions (RuntimeError with the tag) for bad input
        tag = next((a for a in getattr(error, "args", ()) if hasattr(a, "id")), None)
        value = next((a for a in getattr(error, "args", ())[2:3] if isinstance(a, str)), "")
        line = first_line
        if value:
            offset = block.find(value.split("\n")[0])
            line = first_line + block[:offset].count("\n") if offset >= 0 else first_line
        field = f"het veld :{tag.id}: ({MT940_FIELDS.get(_tag_number(tag.id), 'veld')})" if tag else "een veld"
        raise StatementError(
            f"'{source}' is geen geldig MT940-bestand: {field} bij regel {line} is onleesbaar; {REEXPORT}."
        ) from None
    return parsed


def _tag_number(tag_id) -> int:
    match = re.match(r"\d+", str(tag_id))
    return int(match.group(0)) if match else 0


def parse_mt940(text: str, source: str) -> Statement:
    accounts: list[str] = []
    transactions = []
    blocks = mt940_blocks(text)
    for first_line, block in blocks:
        found = re.findall(r"^:25:(.+)$", block, re.M)
        if len(found) != 1:
            raise StatementError(
                f"'{source}': het afschrift bij regel {first_line} heeft geen rekeningnummer (:25:); {REEXPORT}."
            )
        account = _mt940_account(found[0])
        if account not in accounts:
            accounts.append(account)
        numbered = _amount_lines(block, first_line, source)
        parsed = _parse_block(block, first_line, source, account)
        if len(parsed) != len(numbered):
            raise StatementError(
                f"'{source}': niet elke boekingsregel (:61:) na regel {first_line} kon worden gelezen; {REEXPORT}."
            )
        for (line, raw_amount), item in zip(numbered, parsed):
            transactions.append(_mt940_transaction(item.data, line, raw_amount, source, account))
    if not transactions and not blocks:  # pragma: no cover - read_statement saw :20:, :25: and :61:
        raise StatementError(f"'{source}' bevat geen afschrift; {REEXPORT}.")
    return Statement(MT940, tuple(accounts), with_identities(transactions), source)


def _mt940_transaction(data, line: int, raw_amount: str, source: str, account: str) -> BankTransaction:
    where = f"regel {line}"
    amount = parse_amount_text(raw_amount, f"{source}, {where}")
    status = str(data.get("status", ""))
    credit = status in ("C", "RD")  # RD: reversal of a debit, money back on the account
    details = str(data.get("transaction_details") or "")
    flat = " ".join(details.replace("\n", " ").split())
    fields = split_mt940_details(details)
    remittance, structured = _remittance(fields.get("REMI", ""))
    if not fields:
        remittance = flat
    customer_ref = str(data.get("customer_reference") or "").strip()
    extra = " ".join(str(data.get("extra_details") or "").split())
    name, iban = "", ""
    if "CNTP" in fields:  # ING: /CNTP/account/BIC/name/city/
        parts = fields["CNTP"].split("/")
        iban = parts[0] if parts else ""
        name = parts[2] if len(parts) > 2 else ""
    party = fields.get("ORDP" if credit else "BENM")
    if party is not None or "NAME" in fields:  # Rabobank: /ORDP//NAME/name/ID/.../ and the IBAN on :61:
        name = name or fields.get("NAME", "").strip("/")
        iban = iban or fields.get("IBAN", "").strip("/")
    iban = valid_iban(iban)
    if not iban:  # de Volksbank: the IBAN in the customer reference, the name on the next line;
        # Rabobank: the IBAN on the line after :61:; ING (unstructured): the IBAN first in :86:
        for candidate in (
            customer_ref,
            extra.split(" ")[0],
            _RETURN_CODE.sub("", flat[:60]).split(" ")[0] if flat else "",
        ):
            iban = valid_iban(candidate)
            if iban:
                break
        if iban and not name and customer_ref and valid_iban(customer_ref) and extra and not valid_iban(extra):
            name = extra
    end_to_end = fields.get("EREF", "").strip("/")
    if end_to_end == NOT_PROVIDED:
        end_to_end = ""
    reversal = status.startswith("R") or "RTRN" in fields or bool(_RETURN_CODE.match(flat))
    return BankTransaction(
        booking_date=date(data["date"].year, data["date"].month, data["date"].day),
        amount=amount,
        credit=credit,
        currency=str(getattr(data.get("amount"), "currency", "") or "EUR"),
        counterparty_name=name.strip(),
        counterparty_iban=iban,
        remittance=remittance,
        structured_reference=structured,
        end_to_end_id=end_to_end,
        bank_reference="",  # the content identity: :61: references are placeholders or per-file numbers
        source=source,
        position=where,
        reversal=reversal,
        account=account,
    )


_STATEMENT_LINE = re.compile(r"^:61:\d{6}(\d{4})?(C|D|RC|RD)[A-Z]?([^N]*)N")


def _amount_lines(block: str, first_line: int, source: str) -> list[tuple[int, str]]:
    """(line number, amount text) of every :61: line, so a bad amount is named with its line."""
    found = []
    for number, line in enumerate(block.split("\n"), start=first_line):
        if line.startswith(":61:"):
            match = _STATEMENT_LINE.match(line)
            if not match:
                raise StatementError(
                    f"{source}, regel {number}: de boekingsregel ':61:' is onleesbaar ('{line[:40]}'); {REEXPORT}."
                )
            found.append((number, match.group(3)))
    return found


def _mt940_account(field: str) -> str:
    """The IBAN of a :25: field: 'NL91ABNA0417164300EUR', 'NL91ABNA0417164300 EUR', 'ABNANL2A/NL91...'.

    >>> _mt940_account("NL91ABNA0417164300EUR"), _mt940_account("1567.50.961EUR")
    ('NL91ABNA0417164300', '156750961')
    """
    from stdnum import iban

    value = compact_iban(field.split("/")[-1] if "/" in field else field)
    if (
        not iban.is_valid(value)
        and re.fullmatch(r".+[A-Z]{3}", value)
        and (iban.is_valid(value[:-3]) or value[:-3].isdigit())
    ):
        return value[:-3]  # the currency after the account: 'NL91ABNA0417164300EUR', '1567.50.961EUR'
    return value
