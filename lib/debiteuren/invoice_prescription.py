"""Prescription per open invoice, from the register: the dates of law/prescription.py applied to the log.

Per open invoice: the period (five years, art. 3:307 BW; two for a consumer sale when
the setting ``Verkoop aan consumenten is consumentenkoop`` says ``ja``, art. 7:28 BW),
counted from the due date and restarted by each interruption in Acties (the kinds in
:data:`debiteuren.law.prescription.INTERRUPTING_KINDS`: a ``Stuiting``, the written
demands of the route, a promise or arrangement of the debtor). A log row without
Factuurnummers covers the debtor's invoices that were due before its date.

The review warns about prescribed invoices, invoices that prescribe within
:data:`SOON_DAYS`, and interest older than five years (art. 3:308 BW); the dunning
plan leaves prescribed invoices out unless the setting ``Verjaarde vorderingen
aanmanen`` says ``ja``.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from .dunning import parse_invoice_list
from .law.prescription import INTEREST_INTERRUPTING_KINDS, INTERRUPTING_KINDS, interest_prescribed_before, prescription
from .ledger import settle
from .money import format_eur
from .register.model import Register

SOON_DAYS = 92  # warn about three months ahead: time for a letter that interrupts
LISTED = 10  # invoices named per kind of warning; the rest are counted


def prescription_per_invoice(register: Register, invoices: pd.DataFrame, peildatum: date) -> pd.DataFrame:
    """Per open invoice of ``invoices`` (ledger rows): ``invoice_id``, ``debtor_id``, ``due_date``,
    ``open_cents``, ``years``, ``article``, ``last_interruption`` (NaT: none), ``prescribed_on``
    (the first day it is prescribed), ``prescribed`` (on the peildatum) and
    ``interest_prescribed_before`` (interest due before that day may be prescribed, art. 3:308 BW)."""
    items = invoices.loc[invoices["open_cents"] > 0, ["invoice_id", "debtor_id", "due_date", "open_cents"]]
    kinds = register.debtors.drop_duplicates("debtor_id").set_index("debtor_id")["kind"]
    consumer_sale = bool(register.settings.consumer_sale)
    interruptions = _interruptions(register, items, peildatum)
    rows = []
    for item in items.itertuples(index=False):
        found = interruptions.get(item.invoice_id, ())
        days = [day for day, _ in found]
        interest_days = [day for day, kind in found if kind in INTEREST_INTERRUPTING_KINDS]
        sale = consumer_sale and kinds.get(item.debtor_id) == "consument"
        p = prescription(item.due_date.date(), days, consumer_sale=sale)
        rows.append((
            item.invoice_id, item.debtor_id, item.due_date, int(item.open_cents), p.years, p.article,
            pd.Timestamp(p.last_interruption) if p.last_interruption else pd.NaT, pd.Timestamp(p.prescribed_on),
            p.is_prescribed(peildatum), pd.Timestamp(interest_prescribed_before(peildatum, interest_days)),
        ))  # fmt: skip
    columns = [
        "invoice_id", "debtor_id", "due_date", "open_cents", "years", "article", "last_interruption",
        "prescribed_on", "prescribed", "interest_prescribed_before",
    ]  # fmt: skip
    frame = pd.DataFrame(rows, columns=columns)
    return frame.astype({"open_cents": "int64", "years": "int64", "prescribed": "bool"})


def _interruptions(register: Register, items: pd.DataFrame, peildatum: date) -> dict[str, list[tuple[date, str]]]:
    actions = register.actions
    actions = actions.loc[actions["kind"].isin(INTERRUPTING_KINDS) & (actions["action_date"] <= pd.Timestamp(peildatum))]
    found: dict[str, list[tuple[date, str]]] = {}
    if actions.empty or items.empty:
        return found
    by_debtor = {k: g for k, g in items.groupby("debtor_id", sort=False)}
    for row in actions.itertuples(index=False):
        named = parse_invoice_list(row.invoice_ids)
        if not named:
            own = by_debtor.get(row.debtor_id)
            named = tuple(own.loc[own["due_date"] < row.action_date, "invoice_id"]) if own is not None else ()
        for invoice_id in named:
            found.setdefault(invoice_id, []).append((row.action_date.date(), row.kind))
    return found


def prescription_warnings(table: pd.DataFrame, peildatum: date, first_interest_days: pd.Series | None = None) -> tuple[str, ...]:
    """Dutch warnings: prescribed invoices, invoices that prescribe soon, interest older than five years.

    ``first_interest_days`` (invoice_id -> first interest day) adds the interest check.
    """
    notes = []
    prescribed = table.loc[table["prescribed"]].sort_values("prescribed_on", kind="stable")
    soon = table.loc[~table["prescribed"] & (table["prescribed_on"] <= pd.Timestamp(peildatum) + pd.Timedelta(days=SOON_DAYS))]
    for row in prescribed.head(LISTED).itertuples(index=False):
        notes.append(
            f"Factuur {row.invoice_id} van debiteur {row.debtor_id} ({format_eur(row.open_cents, cents=True)} open, "
            f"vervallen {row.due_date:%d-%m-%Y}) is verjaard sinds {row.prescribed_on:%d-%m-%Y} "
            f"({row.article}: {row.years} jaar{_since(row)}). Een klant die zich op verjaring beroept, hoeft niet "
            "meer te betalen; het aanmaanschema slaat de factuur over tenzij bij Instellingen "
            "'Verjaarde vorderingen aanmanen' op ja staat."
        )
    notes += _more(len(prescribed), "verjaarde facturen")
    for row in soon.sort_values("prescribed_on", kind="stable").head(LISTED).itertuples(index=False):
        notes.append(
            f"Factuur {row.invoice_id} van debiteur {row.debtor_id} verjaart op {row.prescribed_on:%d-%m-%Y} "
            f"({row.article}: {row.years} jaar{_since(row)}): stuit de verjaring op tijd met een schriftelijke "
            "aanmaning of een stuitingsbrief en leg die vast in Acties (Soort 'Stuiting')."
        )
    notes += _more(len(soon), "facturen die binnenkort verjaren")
    if first_interest_days is not None and len(table):
        first = table["invoice_id"].map(first_interest_days)
        old = table.loc[first.notna().to_numpy() & (first < table["interest_prescribed_before"]).to_numpy() & ~table["prescribed"]]
        for row in old.head(LISTED).itertuples(index=False):
            notes.append(
                f"Factuur {row.invoice_id} van debiteur {row.debtor_id}: rente die vóór "
                f"{row.interest_prescribed_before:%d-%m-%Y} opeisbaar werd, kan verjaard zijn "
                "(art. 3:308 BW: vijf jaar); vorder die alleen na controle."
            )
        notes += _more(len(old), "facturen met rente ouder dan vijf jaar")
    return tuple(notes)


def register_prescription_warnings(register: Register, peildatum: date) -> tuple[str, ...]:
    """The warnings for ``debiteuren controleer``: the register's open invoices on ``peildatum``."""
    ledger = settle(register.invoices, register.payments, peildatum, pd.Index(register.debtors["debtor_id"]))
    return prescription_warnings(prescription_per_invoice(register, ledger.invoices, peildatum), peildatum)


def _since(row) -> str:
    return "" if pd.isna(row.last_interruption) else f" vanaf de stuiting van {row.last_interruption:%d-%m-%Y}"


def _more(count: int, what: str) -> list[str]:
    return [f"... en nog {count - LISTED} {what}."] if count > LISTED else []
