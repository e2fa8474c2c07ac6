"""Proposals: which debtor (and invoice) an incoming bank credit pays.

Pure functions over the register's frames; no files. Each credit is tried in
this order, the first rule that recognises something decides:

(a) an invoice number in the remittance text or structured reference, or an
    RF payment reference from one of our letters (it names the debtor);
(b) the amount equals the open amount of exactly one invoice;
(c) the counterparty's IBAN (Debiteuren.IBAN) or name (normalised) is a debtor's.

Confidence: ``hoog`` (applied with ``--toepassen``), ``midden`` (probably right,
the controller checks), ``laag`` (a hint). Credits processed earlier in the same
statement reduce the open amounts the later ones are matched against, so two
payments of the same invoice are not both proposed for its full amount.

>>> normalise_name("Bakkerij De Korenschoof B.V.") == normalise_name("BAKKERIJ DE KORENSCHOOF BV")
True
>>> normalise_name("Timmerbedrijf Hendriks & Zn.")
'timmerbedrijf hendriks'
"""

from __future__ import annotations

import re
from typing import NamedTuple

import pandas as pd

from .statements import BankTransaction, compact_iban

HOOG, MIDDEN, LAAG = "hoog", "midden", "laag"
CONFIDENCES = (HOOG, MIDDEN, LAAG)

# Legal forms and suffixes that banks spell in many ways; dropped before comparing names.
_LEGAL_FORMS = {"bv", "nv", "vof", "cv", "zn", "zonen", "en", "ltd", "gmbh", "bvba", "holding", "eenmanszaak"}
_TOKEN = re.compile(r"[0-9A-Za-z]+(?:[-/.][0-9A-Za-z]+)*")
_RF = re.compile(r"\bRF\s?\d{2}(?:\s?[0-9A-Z]{1,4}){1,6}\b", re.I)


class Proposal(NamedTuple):
    """What to do with one incoming credit; ``confidence`` is '' when there is no proposal."""

    transaction: BankTransaction
    debtor_id: str | None
    invoice_id: str | None
    confidence: str
    reason: str  # Dutch, shown to the controller
    already_imported: bool = False
    confirmed: bool = False  # the controller confirmed (or corrected) debtor and invoice

    @property
    def applicable(self) -> bool:
        """Appended to Betalingen with ``--toepassen``: a ``hoog`` proposal, or one the controller confirmed."""
        return (self.confidence == HOOG or self.confirmed) and not self.already_imported and self.debtor_id is not None


def normalise_name(name: object) -> str:
    """Case, punctuation and legal forms (B.V., V.O.F., & Zn.) removed."""
    words = re.findall(r"[0-9a-zà-ÿ]+", str(name or "").casefold().replace(".", ""))  # b.v. -> bv
    return " ".join(w for w in words if w not in _LEGAL_FORMS)


def compact_key(text: str) -> str:
    return re.sub(r"[^0-9A-Za-z]", "", text).upper()


class _Book:
    """The open amounts while a statement is being matched (mutable, private to ``propose``)."""

    def __init__(self, debtors: pd.DataFrame, invoices: pd.DataFrame):
        self.debtor_ids = [str(d) for d in debtors["debtor_id"]]
        self.names = {d: str(n) for d, n in zip(self.debtor_ids, debtors["name"])}
        by_iban: dict[str, list[str]] = {}
        by_name: dict[str, list[str]] = {}
        ibans = debtors["iban"] if "iban" in debtors else pd.Series([None] * len(debtors))
        for debtor, iban, name in zip(self.debtor_ids, ibans, debtors["name"]):
            if isinstance(iban, str) and compact_iban(iban):
                by_iban.setdefault(compact_iban(iban), []).append(debtor)
            if normalise_name(name):
                by_name.setdefault(normalise_name(name), []).append(debtor)
        self.by_iban = {k: v[0] for k, v in by_iban.items() if len(set(v)) == 1}
        self.by_name = {k: v[0] for k, v in by_name.items() if len(set(v)) == 1}
        self.by_compact_debtor = {compact_key(d): d for d in self.debtor_ids}
        ordered = invoices.sort_values(["invoice_date", "invoice_id"], kind="stable")
        self.invoice_debtor = {str(i): str(d) for i, d in zip(ordered["invoice_id"], ordered["debtor_id"])}
        self.open = {str(i): int(c) for i, c in zip(ordered["invoice_id"], ordered["open_cents"])}
        self.order = list(self.open)  # oldest first
        self.by_compact_invoice = {}
        for invoice in self.order:
            key = compact_key(invoice)
            if len(key) >= 4:
                self.by_compact_invoice.setdefault(key, invoice)

    def invoices_in(self, text: str) -> list[str]:
        tokens = [t for t in _TOKEN.findall(text)]
        found: list[str] = []
        candidates = [compact_key(t) for t in tokens]
        candidates += [compact_key(a + b) for a, b in zip(tokens, tokens[1:])]  # "2026 0511"
        for key in candidates:
            invoice = self.by_compact_invoice.get(key)
            if invoice is not None and invoice not in found:
                found.append(invoice)
        return found

    def open_of(self, debtor: str) -> list[str]:
        return [i for i in self.order if self.invoice_debtor[i] == debtor and self.open[i] > 0]

    def open_with_amount(self, cents: int, debtor: str | None = None) -> list[str]:
        return [i for i in self.order if self.open[i] == cents and (debtor is None or self.invoice_debtor[i] == debtor)]

    def book(self, debtor: str, invoice: str | None, cents: int) -> None:
        """Reduce open amounts as the ledger would: the named invoice first, then the oldest."""
        targets = ([invoice] if invoice else []) + [i for i in self.open_of(debtor) if i != invoice]
        for target in targets:
            take = min(cents, self.open[target])
            self.open[target] -= take
            cents -= take
            if cents <= 0:
                return


def _reference_debtor(book: _Book, transaction: BankTransaction) -> tuple[str, str] | None:
    """(debtor, reference) for an RF payment reference of one of our letters."""
    from ..letters.payment_reference import PaymentReferenceError, parse_reference

    for candidate in [transaction.structured_reference, *_RF.findall(transaction.remittance)]:
        if not candidate or not compact_key(candidate).startswith("RF"):
            continue
        try:
            parts = parse_reference(compact_key(candidate))
        except PaymentReferenceError:
            continue
        debtor = book.by_compact_debtor.get(parts.debtor)
        if debtor is not None:
            return debtor, compact_key(candidate)
    return None


def _one(book: _Book, transaction: BankTransaction, imported: set[str]) -> Proposal:
    t = transaction
    cents = t.amount_cents
    if t.bank_reference in imported:
        return Proposal(t, None, None, "", f"al geïmporteerd (bankreferentie {t.bank_reference})", True)
    iban_debtor = book.by_iban.get(compact_iban(t.counterparty_iban))
    name_debtor = book.by_name.get(normalise_name(t.counterparty_name)) if t.counterparty_name else None
    party = iban_debtor or name_debtor

    def propose(debtor, invoice, confidence, reason):
        book.book(debtor, invoice, cents)
        return Proposal(t, debtor, invoice, confidence, reason)

    # (a) invoice numbers or our RF reference
    invoices = book.invoices_in(t.text)
    if len(invoices) == 1:
        invoice = invoices[0]
        debtor = book.invoice_debtor[invoice]
        reason = f"factuurnummer {invoice} in de omschrijving"
        if iban_debtor is not None and iban_debtor != debtor:
            return propose(debtor, invoice, MIDDEN, f"{reason}, maar de IBAN hoort bij debiteur {iban_debtor}")
        if book.open[invoice] == 0:
            return propose(debtor, invoice, MIDDEN, f"{reason}, maar die factuur staat niet meer open")
        if cents > book.open[invoice]:
            return propose(debtor, invoice, MIDDEN, f"{reason}, maar het bedrag is hoger dan wat openstaat")
        return propose(debtor, invoice, HOOG, reason)
    if len(invoices) > 1:
        debtors = {book.invoice_debtor[i] for i in invoices}
        listed = ", ".join(invoices)
        if len(debtors) > 1:
            return Proposal(
                t, None, None, LAAG, f"factuurnummers {listed} van verschillende debiteuren in de omschrijving"
            )
        debtor = debtors.pop()
        together = sum(book.open[i] for i in invoices)
        if together == cents:
            return propose(
                debtor, None, HOOG, f"factuurnummers {listed} in de omschrijving; bedrag gelijk aan hun openstaande som"
            )
        return propose(
            debtor, None, MIDDEN, f"factuurnummers {listed} in de omschrijving; bedrag wijkt af van hun openstaande som"
        )
    referenced = _reference_debtor(book, t)
    if referenced is not None:
        debtor, reference = referenced
        reason = f"betalingskenmerk {reference} van een brief aan debiteur {debtor}"
        same = book.open_with_amount(cents, debtor)
        if same:
            return propose(debtor, same[0], HOOG, f"{reason}; bedrag gelijk aan openstaande factuur {same[0]}")
        return propose(debtor, None, HOOG, reason)

    # (b) the exact open amount of one invoice
    same = book.open_with_amount(cents)
    if len(same) == 1 and (party is None or party == book.invoice_debtor[same[0]]):
        invoice = same[0]
        debtor = book.invoice_debtor[invoice]
        reason = f"bedrag gelijk aan openstaande factuur {invoice} van {debtor}"
        if iban_debtor == debtor:
            return propose(debtor, invoice, HOOG, f"{reason}; IBAN van debiteur {debtor}")
        if name_debtor == debtor:
            return propose(debtor, invoice, HOOG, f"{reason}; naam van debiteur {debtor}")
        return propose(debtor, invoice, MIDDEN, reason)

    # (c) the counterparty's IBAN, then its name
    for debtor, how, plain, with_amount in (
        (iban_debtor, "IBAN", MIDDEN, HOOG),
        (name_debtor, "naam", LAAG, MIDDEN),
    ):
        if debtor is None:
            continue
        reason = f"{how} van debiteur {debtor}"
        own = book.open_with_amount(cents, debtor)
        if own:
            return propose(debtor, own[0], with_amount, f"{reason}; bedrag gelijk aan openstaande factuur {own[0]}")
        return propose(debtor, None, plain, reason)
    if len(same) > 1:
        return Proposal(t, None, None, "", f"geen voorstel: {len(same)} openstaande facturen met dit bedrag")
    return Proposal(t, None, None, "", "geen voorstel: factuurnummer, bedrag, IBAN en naam niet herkend")


def propose(
    transactions: tuple[BankTransaction, ...] | list[BankTransaction],
    debtors: pd.DataFrame,
    invoices: pd.DataFrame,
    imported_references: frozenset[str] | set[str] = frozenset(),
) -> tuple[Proposal, ...]:
    """One proposal per payment received (debits, reversals and returns are left out), in booking order.

    ``debtors``: debtor_id, name, iban; ``invoices``: invoice_id, debtor_id,
    invoice_date, open_cents (e.g. ``ledger.settle(...).invoices``);
    ``imported_references``: Betalingen.Bankreferentie values already in the register.
    A bank reference seen twice in the statement is proposed once.
    """
    book = _Book(debtors, invoices)
    seen = {str(r) for r in imported_references if isinstance(r, str) and r}
    proposals = []
    credits = sorted((t for t in transactions if t.credit and not t.reversal), key=lambda t: t.booking_date)
    for transaction in credits:
        proposal = _one(book, transaction, seen)
        seen.add(transaction.bank_reference)
        proposals.append(proposal)
    return tuple(proposals)
