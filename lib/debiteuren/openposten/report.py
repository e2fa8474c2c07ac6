"""What an open-item import says: its heading, the rows left out, the outcome, the text and the JSON.

The command ``import-openposten`` prints it and the notebook's Importeren tab shows it.
"""

from __future__ import annotations

from ..dutch import format_date
from ..money import format_eur, json_amount
from .auditfile import AuditfileImport, check_lines, checks_json
from .importer import Difference, OpenpostenImport

APPLY_HINT = "Voeg de nieuwe debiteuren en facturen toe met --toepassen."
NOTHING_NEW = "Niets nieuws om toe te voegen; de werkmap is niet gewijzigd."


def heading_line(result: OpenpostenImport) -> str:
    return f"Export {result.source} ({result.mapping.title}): {len(result.items)} openstaande posten."


def difference_line(d: Difference) -> str:
    return f"- {d.what} {d.key}, {d.field}: register {d.register}, export {d.export} (rij {d.row})"


def skipped_lines(result: OpenpostenImport) -> list[str]:
    """Rows left out (no invoice number, another currency): the controller books them herself."""
    if not result.skipped:
        return []
    return [f"Niet ingelezen ({len(result.skipped)}; boek ze zelf):"] + [
        f"- rij {r.row}: {r.reason}"
        + (f" ({format_eur(r.amount_cents, cents=True)})" if r.amount_cents is not None else "")
        for r in result.skipped
    ]


def outcome_lines(result: OpenpostenImport, *, applied: bool, apply_hint: str = APPLY_HINT) -> list[str]:
    """What was written (or would be written)."""
    plan = result.plan
    if applied:
        return result.written.summary().splitlines() if result.written is not None else [NOTHING_NEW]
    if plan.new_debtors or plan.new_invoices:
        return [f"{apply_hint} De werkmap is niet gewijzigd."]
    return [NOTHING_NEW]


def import_text(result: OpenpostenImport, *, applied: bool) -> str:
    plan = result.plan
    lines = [heading_line(result)]
    lines.append(f"Nieuwe debiteuren: {len(plan.new_debtors)}")
    lines += [f"- {i.debtor_id} {i.debtor_name} (soort: {result.mapping.kind})" for i in plan.new_debtors]
    lines.append(f"Nieuwe facturen: {len(plan.new_invoices)}")
    lines += [
        f"- {i.invoice_id} debiteur {i.debtor_id}, {format_date(i.invoice_date)}, {format_eur(i.amount_cents, cents=True)}"
        for i in plan.new_invoices
    ]
    lines.append(f"Al in het register, gelijk: {len(plan.unchanged)} factuur/facturen")
    if plan.differences:
        lines.append(f"Afwijkingen ({len(plan.differences)}; niet overgenomen, controleer ze zelf):")
        lines += [difference_line(d) for d in plan.differences]
    else:
        lines.append("Afwijkingen: geen")
    lines += skipped_lines(result)
    if isinstance(result, AuditfileImport):
        lines += check_lines(result)
    lines.append("")
    lines += outcome_lines(result, applied=applied)
    return "\n".join(lines)


def import_json(result: OpenpostenImport) -> dict:
    plan = result.plan
    auditfile = checks_json(result) if isinstance(result, AuditfileImport) else {}
    return auditfile | {
        "export": result.source,
        "package": result.mapping.name,
        "rows": len(result.items),
        "new_debtors": [
            {"debtor": i.debtor_id, "name": i.debtor_name, "kind": result.mapping.kind, "row": i.row}
            for i in plan.new_debtors
        ],
        "new_invoices": [
            {
                "invoice": i.invoice_id,
                "debtor": i.debtor_id,
                "invoice_date": i.invoice_date.isoformat(),
                "due_date": i.due_date.isoformat() if i.due_date else None,
                "amount": json_amount(i.amount_cents),
                "open_amount": json_amount(i.open_cents) if i.open_cents is not None else None,
                "row": i.row,
            }
            for i in plan.new_invoices
        ],
        "unchanged": [i.invoice_id for i in plan.unchanged],
        "differences": [
            {"what": d.what, "key": d.key, "field": d.field, "register": d.register, "export": d.export, "row": d.row}
            for d in plan.differences
        ],
        "skipped": [
            {
                "row": r.row,
                "reason": r.reason,
                "amount": json_amount(r.amount_cents) if r.amount_cents is not None else None,
            }
            for r in result.skipped
        ],
        "applied": result.written is not None,
        "written": result.written.summary() if result.written is not None else None,
    }
