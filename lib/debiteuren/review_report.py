"""The review for people and programs: a short Dutch summary and a JSON object.

Both only read a ``Review``; nothing is computed here that the review does not
hold, apart from choosing what to show. Amounts in JSON are strings with two
decimals (``"1234.56"``); day counts and ratios strings with one decimal
(``"45.3"``), ``null`` when there is none.
"""

from __future__ import annotations

from decimal import Decimal

import pandas as pd

from .dutch import format_date, format_days, format_figure
from .forecast import WEEKS
from .kpi import DISPUTED, HANDED_OVER, OUTSTANDING, PAST_DUE, WRITTEN_OFF
from .money import format_eur, json_amount
from .review import Review
from .segments import HIGH

MONTHS = (
    "januari", "februari", "maart", "april", "mei", "juni",
    "juli", "augustus", "september", "oktober", "november", "december",
)  # fmt: skip
ATTENTION_ROWS = 5  # debtors per list in the summary


def summary_text(review: Review) -> str:
    """A short Dutch summary for the terminal."""
    k = review.kpis
    ageing = review.ageing
    positions = _positions(review)
    heading = f"Maandreview per {format_date(review.peildatum)}"
    if review.company_name:
        heading += f" - {review.company_name}"
    lines = [heading, ""]

    count, debtors, amount = positions[OUTSTANDING]
    lines.append(
        f"Openstaand: {_eur(amount)} in {_count(count, 'factuur', 'facturen')} "
        f"bij {_count(debtors, 'debiteur', 'debiteuren')}"
    )
    lines.append(
        f"Vervallen {_eur(positions[PAST_DUE][2])} · betwist {_eur(positions[DISPUTED][2])} · "
        f"uit handen {_eur(positions[HANDED_OVER][2])} · afgeboekt {_eur(positions[WRITTEN_OFF][2])}"
    )
    lines.append(
        f"Niet toegewezen betalingen en creditsaldi: {_eur(ageing.credit_cents)} · saldo {_eur(ageing.balance_cents)}"
    )

    basis = "dagen na vervaldatum" if ageing.basis == "due_date" else "dagen na factuurdatum"
    lines += ["", f"Ouderdom ({basis})"]
    width = max(len(label) for label in ageing.labels)
    for label, cents in ageing.amounts().items():
        lines.append(f"  {label:<{width}}  {_eur(cents):>16}")

    month = f"{MONTHS[k.cei_from.month - 1]} {k.cei_from.year}"
    segments = k.per_segment.loc[k.per_segment["debtors"] > 0]
    f = review.forecast
    by_source = f.weeks[["promises_cents", "arrangements_cents"]].sum()
    figures = [
        ("DSO, terugrekenmethode", f"{format_days(k.dso_countback)} (beste DSO {format_figure(k.best_dso_countback)}; "
         f"ADD = DSO - beste DSO: {format_figure(k.add_countback)})"),
        ("DSO, eenvoudig (3 maanden)", f"{format_days(k.dso_simple)} (beste DSO {format_figure(k.best_dso_simple)}; "
         f"ADD = DSO - beste DSO: {format_figure(k.add_simple)})"),
        ("Gem. dagen over vervaldatum", f"{format_days(k.days_past_due_open)} (openstaande vervallen posten)"),
        (f"CEI {month} t/m {review.peildatum:%d-%m}", "-" if k.cei is None else f"{format_figure(k.cei)}%"),
        ("Betaald, laatste 12 maanden", f"gem. {format_days(k.days_to_pay)} na factuurdatum, "
         f"{format_days(k.days_beyond_terms)} na vervaldatum"),
        ("Segmenten", " · ".join(f"{row.segment} {row.debtors}" for row in segments.itertuples()) or "-"),
        (f"Prognose {WEEKS} weken", f"{_eur(f.total_cents)} (waarvan beloften {_eur(by_source['promises_cents'])}, "
         f"regelingen {_eur(by_source['arrangements_cents'])})"),
        ("Verwacht maar nog niet binnen", _eur(f.late_cents)),
        ("Rente tot peildatum", _interest_line(review)),
    ]  # fmt: skip
    width = max(len(label) for label, _ in figures)
    lines += ["", "Kerncijfers"]
    lines += [f"  {label:<{width}}  {value}" for label, value in figures]

    lines += ["", "Aandacht nodig"]
    attention = _attention(review)
    if not any(rows for _, rows in attention):
        lines.append("  Geen bijzonderheden.")
    for title, rows in attention:
        if rows:
            lines.append(f"  {title}:")
            lines += [f"    {row}" for row in rows]

    lines += ["", "Voorgestelde stappen (nu uit te voeren)"]
    due = review.plan.due()
    if not due:
        lines.append("  Geen.")
    for step in due:
        until = f", betalen uiterlijk {format_date(step.deadline)}" if step.deadline else ""
        lines.append(
            f"  {step.debtor_id} {step.name}: {step.action} "
            f"({_count(len(step.invoice_ids), 'factuur', 'facturen')}, {_eur(step.amount_cents)}{until})"
        )
    later = len(review.plan.steps) - len(due)
    if later or review.plan.pauses:
        lines.append(
            f"  Later: {_count(later, 'stap', 'stappen')}; gepauzeerd: "
            f"{_count(len(review.plan.pauses), 'debiteur', 'debiteuren')} (zie het blad Actielijst)."
        )
    if review.notes:
        lines += ["", *(f"Let op: {note}" for note in review.notes)]
    return "\n".join(lines) + "\n"


def _interest_line(review: Review) -> str:
    interest = review.interest
    total = review.interest_cents
    provisional = bool(interest.loc[interest["interest_cents"] > 0, "provisional"].any())
    late = int(interest["paid_late_interest_cents"].sum())
    text = f"{_eur(total)} wettelijke (handels)rente over de vervallen posten" + (
        " (met voorlopig percentage)" if provisional else ""
    )
    if late:
        claimed = "in brieven gevorderd" if review.claims_paid_late_interest else "niet gevorderd"
        text += f"; daarnaast {_eur(late)} over te laat betaalde facturen (vorderbaar, {claimed})"
    return text


def review_json(review: Review) -> dict:
    """The review as one JSON-ready dict (see the module docstring for the notation).

    ``debtors`` lists every debtor with a balance, an early warning, a high risk
    or interest on invoices paid late, in the register's order; per debtor
    ``interest_cents`` (open invoices, payments allocated by 6:43/6:44) and
    ``paid_late_interest_cents`` (invoices paid late: claimable, not claimed by
    default), and ``invoices`` with the same split per invoice.
    """
    k = review.kpis
    positions = {
        row.category: {
            "debtors": int(row.debtors),
            "invoices": int(row.invoices),
            "amount": json_amount(row.amount_cents),
        }
        for row in k.positions.itertuples()
    }
    debtors = review.debtors
    active = debtors.loc[
        (debtors["balance_cents"] != 0)
        | debtors["early_warning"]
        | (debtors["risk"] == HIGH)
        | (debtors["paid_late_interest_cents"] > 0)
    ]
    invoices: dict[str, list[dict]] = {}
    for row in review.interest.itertuples():
        invoices.setdefault(row.debtor_id, []).append({
            "invoice": row.invoice_id,
            "open": json_amount(row.open_cents),
            "interest_kind": row.interest_kind,
            "first_interest_day": None if pd.isna(row.first_interest_day) else row.first_interest_day.date().isoformat(),
            "interest": json_amount(row.interest_cents),
            "interest_cents": int(row.interest_cents),
            "paid_late_interest": json_amount(row.paid_late_interest_cents),
            "paid_late_interest_cents": int(row.paid_late_interest_cents),
            "paid_on_interest": json_amount(row.interest_paid_cents),
            "provisional": bool(row.provisional),
        })  # fmt: skip
    return {
        "peildatum": review.peildatum.isoformat(),
        "open_total": json_amount(review.ageing.open_cents),
        "overdue_total": json_amount(review.ageing.overdue_cents),
        "disputed_total": json_amount(review.ageing.disputed_cents),
        "credit_total": json_amount(review.ageing.credit_cents),
        "balance": json_amount(review.ageing.balance_cents),
        "ageing": {label: json_amount(cents) for label, cents in review.ageing.amounts().items()},
        "dso_countback": _figure(k.dso_countback),
        "dso_simple": _figure(k.dso_simple),
        "best_dso_countback": _figure(k.best_dso_countback),
        "best_dso_simple": _figure(k.best_dso_simple),
        "add_countback": _figure(k.add_countback),
        "add_simple": _figure(k.add_simple),
        "days_past_due_open": _figure(k.days_past_due_open),
        "cei": _figure(k.cei),
        "cei_from": k.cei_from.isoformat(),
        "days_to_pay": _figure(k.days_to_pay),
        "days_beyond_terms": _figure(k.days_beyond_terms),
        "interest_total": json_amount(review.interest_cents),
        "paid_late_interest_total": json_amount(int(review.interest["paid_late_interest_cents"].sum())),
        "positions": positions,
        "segments": {row.segment: int(row.debtors) for row in k.per_segment.itertuples()},
        "forecast": [
            {
                "week": int(row.week),
                "start": row.start.date().isoformat(),
                "end": row.end.date().isoformat(),
                "amount": json_amount(row.total_cents),
            }
            for row in review.forecast.weeks.itertuples()
        ],
        "debtors": [
            {
                "debiteurnummer": row.debtor_id,
                "name": _text(row.name),
                "open": json_amount(row.open_cents),
                "overdue": json_amount(row.overdue_cents),
                "disputed": json_amount(row.disputed_cents),
                "balance": json_amount(row.balance_cents),
                "segment": row.segment,
                "risk": row.risk,
                "score": int(row.score),
                "early_warning": bool(row.early_warning),
                "warning": _text(row.warning),
                "reasons": _text(row.why),
                "interest": json_amount(row.interest_cents),
                "interest_cents": int(row.interest_cents),
                "paid_late_interest": json_amount(row.paid_late_interest_cents),
                "paid_late_interest_cents": int(row.paid_late_interest_cents),
                "invoices": invoices.get(row.debtor_id, []),
            }
            for row in active.itertuples()
        ],
        "plan": [
            {
                "debiteurnummer": step.debtor_id,
                "step": step.step,
                "action": step.action,
                "invoices": list(step.invoice_ids),
                "amount": json_amount(step.amount_cents),
                "earliest": step.earliest.isoformat(),
                "due_now": step.due_now,
                "deadline": step.deadline.isoformat() if step.deadline else None,
                "reason": step.reason,
            }
            for step in review.plan.steps
        ],
        "paused": [
            {"debiteurnummer": p.debtor_id, "until": p.until.isoformat() if p.until else None, "reason": p.reason}
            for p in review.plan.pauses
        ],
        "notes": list(review.notes),
    }


def _attention(review: Review) -> list[tuple[str, list[str]]]:
    debtors = review.debtors
    warned = debtors.loc[debtors["early_warning"]]
    overdue = debtors.loc[debtors["overdue_cents"] > 0].sort_values("overdue_cents", ascending=False, kind="stable")
    disputed = debtors.loc[debtors["disputed_cents"] > 0].sort_values("disputed_cents", ascending=False, kind="stable")
    risky = debtors.loc[debtors["risk"] == HIGH].sort_values("score", ascending=False, kind="stable")
    return [
        ("Vroegsignaal: betaalt duidelijk later dan eerder", [
            f"{_who(r)}: {r.warning}" for r in warned.head(ATTENTION_ROWS).itertuples()
        ] + _more(len(warned))),
        ("Grootste vervallen saldi", [
            f"{_who(r)}: {_eur(r.overdue_cents)} vervallen, oudste {r.max_days_past_due} dagen"
            for r in overdue.head(ATTENTION_ROWS).itertuples()
        ] + _more(len(overdue))),
        ("Betwist", [
            f"{_who(r)}: {_eur(r.disputed_cents)}" for r in disputed.head(ATTENTION_ROWS).itertuples()
        ] + _more(len(disputed))),
        ("Hoog risico", [
            f"{_who(r)}: score {r.score} - {r.why}" for r in risky.head(ATTENTION_ROWS).itertuples()
        ] + _more(len(risky))),
    ]  # fmt: skip


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _more(count: int) -> list[str]:
    return [f"... en nog {count - ATTENTION_ROWS}"] if count > ATTENTION_ROWS else []


def _who(row) -> str:
    name = _text(row.name)
    return f"{row.debtor_id} {name}" if name else str(row.debtor_id)


def _positions(review: Review) -> dict[str, tuple[int, int, int]]:
    return {
        row.category: (int(row.invoices), int(row.debtors), int(row.amount_cents))
        for row in review.kpis.positions.itertuples()
    }


def _eur(cents) -> str:
    return format_eur(int(cents), cents=True)


def _figure(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _text(value) -> str | None:
    return None if pd.isna(value) else str(value)
