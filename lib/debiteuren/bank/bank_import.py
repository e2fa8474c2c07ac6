"""The bank import: read the statement and the register, propose, and (on request) append to Betalingen.

``import_bank(workbook, statement_path, apply=..., generated_at=...)`` reads the
statement first, so a bad file stops everything before the workbook is touched;
then the register (the open workbook in Excel when there is one); then proposes
a match per incoming credit. With ``apply=True`` the ``hoog`` proposals are
appended to Betalingen through ``write_back``; nothing else is changed.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import NamedTuple

import pandas as pd

from ..errors import InvalidInput
from ..ledger import settle
from ..money import cents_to_decimal
from ..register import Register, read_register
from ..register.writeback import WriteReport, write_back
from .matching import Proposal, propose
from .statements import Statement, compact_iban, read_statement


class StatementRefused(InvalidInput):
    """A readable statement that must not be imported into this register (Dutch message)."""


class Confirmation(NamedTuple):
    """The controller's choice for one credit: book it on this debtor (and invoice, or the oldest open)."""

    bank_reference: str
    debtor_id: str
    invoice_id: str | None = None


def confirm(proposals: tuple[Proposal, ...], confirmations, register: Register) -> tuple[Proposal, ...]:
    """The proposals with the controller's confirmations applied; ``StatementRefused`` for a choice that cannot be.

    A confirmed proposal is booked like a ``hoog`` one; its reason says that the
    controller chose it, and what the tool had proposed.
    """
    chosen = {c.bank_reference: c for c in confirmations or ()}
    if not chosen:
        return proposals
    debtors = {str(d) for d in register.debtors["debtor_id"]}
    invoice_debtor = {str(i): str(d) for i, d in zip(register.invoices["invoice_id"], register.invoices["debtor_id"])}
    open_refs = {p.transaction.bank_reference for p in proposals if not p.already_imported}
    problems = []
    for c in chosen.values():
        debtor, invoice = str(c.debtor_id or "").strip(), str(c.invoice_id or "").strip()
        if c.bank_reference not in open_refs:
            problems.append(f"de ontvangst {c.bank_reference} staat niet (meer) te boeken op dit afschrift")
        elif debtor not in debtors:
            problems.append(f"debiteur '{debtor}' staat niet in het blad Debiteuren")
        elif invoice and invoice_debtor.get(invoice) != debtor:
            problems.append(
                f"factuur '{invoice}' staat niet in het blad Facturen"
                if invoice not in invoice_debtor
                else f"factuur '{invoice}' is van debiteur {invoice_debtor[invoice]}, niet van {debtor}"
            )
    if problems:
        raise StatementRefused(
            "Niet geboekt: " + "; ".join(problems) + ". Pas de keuze aan en klik opnieuw op Toepassen."
        )
    result = []
    for p in proposals:
        c = chosen.get(p.transaction.bank_reference)
        if c is None or p.already_imported:
            result.append(p)
            continue
        debtor, invoice = str(c.debtor_id).strip(), (str(c.invoice_id or "").strip() or None)
        same = (debtor, invoice) == (p.debtor_id, p.invoice_id)
        reason = (
            f"bevestigd door de controller ({p.reason})"
            if same
            else f"gekozen door de controller (voorstel was: {p.reason})"
        )
        result.append(p._replace(debtor_id=debtor, invoice_id=invoice, reason=reason, confirmed=True))
    return tuple(result)


class BankImport(NamedTuple):
    statement: Statement
    proposals: tuple[Proposal, ...]
    warnings: tuple[str, ...]
    written: WriteReport | None = None

    @property
    def applied(self) -> tuple[Proposal, ...]:
        return tuple(p for p in self.proposals if p.applicable)

    @property
    def for_controller(self) -> tuple[Proposal, ...]:
        """Credits the controller still has to book herself."""
        return tuple(p for p in self.proposals if not p.applicable and not p.already_imported)


def own_account(statement: Statement, company_iban: str) -> tuple[Statement, tuple[str, ...]]:
    """The statement narrowed to Instellingen's IBAN, and the warnings.

    A statement of other accounts only is refused; one that also holds other
    accounts (a company's export of all its accounts) is read for the own
    account, with a warning. Without an IBAN in Instellingen a one-account
    statement is read with a warning, a statement of several accounts refused.
    """
    own = compact_iban(company_iban)
    if not own:
        if len(statement.accounts) > 1:
            raise StatementRefused(
                f"Het afschrift '{statement.source}' bevat de rekeningen {', '.join(statement.accounts)} en in "
                "Instellingen staat geen IBAN; vul bij Instellingen de IBAN van de bedrijfsrekening in en "
                "importeer opnieuw. Er is niets geïmporteerd."
            )
        return statement, (
            "In Instellingen staat geen IBAN; niet gecontroleerd of het afschrift van de eigen rekening is.",
        )
    if own not in statement.accounts:
        raise StatementRefused(
            f"Het afschrift '{statement.source}' is van rekening {statement.account_iban}, niet van de "
            f"bedrijfsrekening {own} uit Instellingen. Er is niets geïmporteerd."
        )
    others = [a for a in statement.accounts if a != own]
    if not others:
        return statement, ()
    return statement.for_account(own), (
        f"Het afschrift bevat ook rekening {', '.join(others)}; alleen de boekingen van {own} zijn gelezen.",
    )


def account_warnings(statement: Statement, company_iban: str) -> tuple[str, ...]:
    """Refuse a statement without the company's account; the warnings of ``own_account``."""
    return own_account(statement, company_iban)[1]


def currency_warnings(statement: Statement) -> tuple[str, ...]:
    return tuple(
        f"{t.position}: bedrag in {t.currency}, niet in euro; niet gekoppeld."
        for t in statement.payments_received()
        if t.currency != "EUR"
    )


def proposals_for(register: Register, statement: Statement) -> tuple[Proposal, ...]:
    """Match the statement's euro credits against the register's open invoices."""
    credits = [t for t in statement.payments_received() if t.currency == "EUR"]
    if not credits:
        return ()
    payment_days = register.payments["payment_date"].dropna()
    days = [t.booking_date for t in credits] + ([payment_days.max().date()] if len(payment_days) else [])
    peildatum = max(days)
    ledger = settle(register.invoices, register.payments, peildatum, pd.Index(register.debtors["debtor_id"]))
    references = register.payments.get("bank_reference", pd.Series(dtype=object)).dropna()
    return propose(credits, register.debtors, ledger.invoices, frozenset(str(r).strip() for r in references))


def payments_frame(proposals: tuple[Proposal, ...] | list[Proposal]) -> pd.DataFrame:
    """Betalingen rows (Dutch headers, Decimal euros) for the applicable proposals."""
    rows = []
    for p in proposals:
        if not p.applicable:
            continue
        t = p.transaction
        text = " - ".join(x for x in (t.counterparty_name, t.text) if x)
        rows.append(
            {
                "Datum": t.booking_date,
                "Debiteurnummer": p.debtor_id,
                "Factuurnummer": p.invoice_id,
                "Bedrag": cents_to_decimal(t.amount_cents),
                "Omschrijving": f"Bank: {text}" if text else "Bank",
                "Bankreferentie": t.bank_reference,
            }
        )
    columns = ["Datum", "Debiteurnummer", "Factuurnummer", "Bedrag", "Omschrijving", "Bankreferentie"]
    return pd.DataFrame(rows, columns=columns, dtype=object)


def import_bank(
    source, statement_path: Path | str, *, apply: bool, generated_at: datetime, confirmations=()
) -> BankImport:
    """Read, propose and (``apply``) append the ``hoog`` and the confirmed proposals to Betalingen.

    ``confirmations``: the controller's ``Confirmation`` per credit she checked
    (a ``midden`` or ``laag`` proposal confirmed, or another debtor or invoice).

    Raises ``StatementError`` / ``StatementRefused`` (the statement),
    ``RegisterInvalid`` / ``WorkbookUnreadable`` (the register) and
    ``WriteBackRefused`` (writing); in each case nothing was written.
    """
    from ..register.live_backend import workbook_target

    statement = read_statement(statement_path)
    target = workbook_target(source)
    register = read_register(target)
    statement, warnings = own_account(statement, register.settings.iban)
    warnings += currency_warnings(statement)
    proposals = confirm(proposals_for(register, statement), confirmations, register)
    written = None
    frame = payments_frame(proposals)
    if apply and len(frame):
        written = write_back(
            target,
            (),
            None,
            generated_at=generated_at,
            peildatum=max(frame["Datum"]),
            appends={"Betalingen": frame},
            key_types=register.key_types,
        )
    return BankImport(statement, proposals, warnings, written)
