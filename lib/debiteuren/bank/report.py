"""What a bank import says: the proposals table, its heading and outcome, and its JSON.

The command ``import-bank`` prints it and the notebook's Importeren tab shows it, so
both tell the controller the same thing in the same words.
"""

from __future__ import annotations

from ..dutch import format_date
from ..money import format_eur, json_amount
from .bank_import import BankImport
from .matching import Proposal


PROPOSAL_HEADERS = ("Datum", "Bedrag", "Tegenpartij", "Voorstel", "Betrouwbaarheid", "Reden")
APPLY_HINT = "voeg ze toe met --toepassen"


def proposal_label(p: Proposal) -> str:
    if p.already_imported:
        return "al geïmporteerd"
    if p.debtor_id is None:
        return "-"
    return f"{p.debtor_id} / {p.invoice_id}" if p.invoice_id else f"{p.debtor_id} (oudste open factuur)"


def proposal_cells(p: Proposal) -> tuple[str, ...]:
    """One proposal as the cells under ``PROPOSAL_HEADERS`` (the command's table and the notebook's)."""
    return (
        format_date(p.transaction.booking_date),
        format_eur(p.transaction.amount_cents, cents=True),
        p.transaction.counterparty_name or p.transaction.counterparty_iban or "-",
        proposal_label(p),
        (p.confidence or "-") + (", bevestigd" if p.confirmed else ""),
        p.reason,
    )


def proposals_table(proposals) -> str:
    """The Dutch table: date, amount, counterparty, proposal, confidence, reason."""
    headers = PROPOSAL_HEADERS
    rows = [(a, b, c[:34], *rest) for a, b, c, *rest in map(proposal_cells, proposals)]
    widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(headers)]
    right = {1}

    def line(cells):
        return "  ".join(
            c.rjust(w) if i in right else c.ljust(w) for i, (c, w) in enumerate(zip(cells, widths))
        ).rstrip()

    return "\n".join([line(headers), line(["-" * w for w in widths]), *(line(r) for r in rows)])


def heading_lines(result: BankImport) -> list[str]:
    """The statement, its number of credits and the warnings."""
    s = result.statement
    lines = [f"Bankafschrift {s.source} ({s.format}, rekening {s.account_iban}): {len(result.proposals)} ontvangsten."]
    return lines + [f"Waarschuwing: {w}" for w in result.warnings]


def outcome_lines(result: BankImport, *, applied: bool, apply_hint: str = APPLY_HINT) -> list[str]:
    """What was written (or would be) and, after applying, what the controller still has to book."""
    if not applied:
        return [
            f"{len(result.applied)} voorstel(len) met betrouwbaarheid 'hoog'; {apply_hint}. De werkmap is niet gewijzigd."
        ]
    if result.written is not None:
        lines = result.written.summary().splitlines()
    else:
        lines = ["Geen voorstellen met betrouwbaarheid 'hoog'; de werkmap is niet gewijzigd."]
    rest = result.for_controller
    if rest:
        lines.append(f"Zelf te boeken ({len(rest)}):")
        lines += [
            f"- {format_date(p.transaction.booking_date)} {format_eur(p.transaction.amount_cents, cents=True)} "
            f"{p.transaction.counterparty_name or '-'}: "
            + (f"{proposal_label(p)} ({p.confidence}; {p.reason})" if p.confidence else p.reason)
            for p in rest
        ]
    return lines


def import_text(result: BankImport, *, applied: bool) -> str:
    lines = heading_lines(result)
    if result.proposals:
        lines += ["", proposals_table(result.proposals)]
    lines.append("")
    lines += outcome_lines(result, applied=applied)
    return "\n".join(lines)


def import_json(result: BankImport) -> dict:
    s = result.statement
    return {
        "statement": s.source,
        "format": s.format,
        "account": s.account_iban,
        "warnings": list(result.warnings),
        "proposals": [
            {
                "date": p.transaction.booking_date.isoformat(),
                "amount": json_amount(p.transaction.amount_cents),
                "counterparty": p.transaction.counterparty_name,
                "counterparty_iban": p.transaction.counterparty_iban,
                "description": p.transaction.text,
                "bank_reference": p.transaction.bank_reference,
                "debtor": p.debtor_id,
                "invoice": p.invoice_id,
                "confidence": p.confidence or None,
                "reason": p.reason,
                "already_imported": p.already_imported,
                "confirmed": p.confirmed,
                "applied": p.applicable and result.written is not None,
            }
            for p in result.proposals
        ],
        "written": result.written.summary() if result.written is not None else None,
    }
