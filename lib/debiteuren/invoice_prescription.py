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

import numpy as np
import pandas as pd

from .dunning import parse_invoice_list
from .dutch import format_date
from .law.prescription import (
    CONSUMER_SALE_YEARS,
    INTEREST_INTERRUPTING_KINDS,
    INTEREST_YEARS,
    INTERRUPTING_KINDS,
    PRINCIPAL_YEARS,
    add_years,
    interest_prescribed_before,
    prescription,
)
from .ledger import settle
from .money import format_eur
from .register.model import Register

SOON_DAYS = 92  # warn about three months ahead: time for a letter that interrupts
LISTED = 10  # invoices named per kind of warning; the rest are counted


def prescription_per_invoice(register: Register, invoices: pd.DataFrame, peildatum: date) -> pd.DataFrame:
    """Per open invoice of ``invoices`` (ledger rows): ``invoice_id``, ``debtor_id``, ``due_date``,
    ``open_cents``, ``years``, ``article``, ``last_interruption`` (NaT: none), ``prescribed_on``
    (the first day it is prescribed), ``prescribed`` (on the peildatum) and
    ``interest_prescribed_before`` (interest due before that day may be prescribed, art. 3:308 BW).

    Invoices without an interruption are computed at once (due date + the period + 1 day, as
    :func:`~debiteuren.law.prescription.prescription` does); the few with one, one by one.
    """
    items = invoices.loc[invoices["open_cents"] > 0, ["invoice_id", "debtor_id", "due_date", "open_cents"]]
    items = items.reset_index(drop=True)
    kinds = register.debtors.drop_duplicates("debtor_id").set_index("debtor_id")["kind"]
    sale = (items["debtor_id"].map(kinds) == "consument").to_numpy() & bool(register.settings.consumer_sale)
    years = np.where(sale, CONSUMER_SALE_YEARS, PRINCIPAL_YEARS)
    due = items["due_date"]
    prescribed_on = np.where(
        sale, due + pd.DateOffset(years=CONSUMER_SALE_YEARS), due + pd.DateOffset(years=PRINCIPAL_YEARS)
    ) + np.timedelta64(1, "D")  # DateOffset ends a 29 February period on 28 February, as add_years does
    prescribed_on = pd.Series(pd.to_datetime(prescribed_on), index=items.index)
    last_interruption = pd.Series(pd.NaT, index=items.index, dtype="datetime64[ns]")
    interest_before = pd.Series(pd.Timestamp(add_years(peildatum, -INTEREST_YEARS)), index=items.index)
    found = _interruptions(register, items, peildatum)
    if found:
        position = pd.Series(items.index, index=items["invoice_id"].to_numpy())
        for invoice_id, hits in found.items():
            i = position[invoice_id]
            p = prescription(due[i].date(), [day for day, _ in hits], consumer_sale=bool(sale[i]))
            prescribed_on[i] = pd.Timestamp(p.prescribed_on)
            if p.last_interruption is not None:
                last_interruption[i] = pd.Timestamp(p.last_interruption)
            kept = [day for day, kind in hits if kind in INTEREST_INTERRUPTING_KINDS]
            interest_before[i] = pd.Timestamp(interest_prescribed_before(peildatum, kept))
    return pd.DataFrame(
        {
            "invoice_id": items["invoice_id"],
            "debtor_id": items["debtor_id"],
            "due_date": due,
            "open_cents": items["open_cents"].astype("int64"),
            "years": years.astype("int64"),
            "article": np.where(sale, "art. 7:28 BW", "art. 3:307 BW"),
            "last_interruption": last_interruption,
            "prescribed_on": prescribed_on,
            "prescribed": (prescribed_on <= pd.Timestamp(peildatum)).to_numpy(),
            "interest_prescribed_before": interest_before,
        }
    )


def _interruptions(register: Register, items: pd.DataFrame, peildatum: date) -> dict[str, list[tuple[date, str]]]:
    """invoice_id -> [(day, kind)] of the interrupting log rows that cover it (open invoices only)."""
    actions = register.actions
    actions = actions.loc[
        actions["kind"].isin(INTERRUPTING_KINDS) & (actions["action_date"] <= pd.Timestamp(peildatum))
    ]
    if actions.empty or items.empty:
        return {}
    blanket = actions["invoice_ids"].isna()
    named = actions.loc[~blanket, ["action_date", "kind", "invoice_ids"]].copy()
    named["invoice_id"] = named["invoice_ids"].map(parse_invoice_list)
    named = named.explode("invoice_id").dropna(subset=["invoice_id"])
    named = named.loc[named["invoice_id"].isin(set(items["invoice_id"]))]
    covered = actions.loc[blanket, ["debtor_id", "action_date", "kind"]].merge(
        items[["debtor_id", "invoice_id", "due_date"]], on="debtor_id"
    )
    covered = covered.loc[covered["due_date"] < covered["action_date"]]
    both = pd.concat([named[["invoice_id", "action_date", "kind"]], covered[["invoice_id", "action_date", "kind"]]])
    found: dict[str, list[tuple[date, str]]] = {}
    for invoice_id, day, kind in both.itertuples(index=False):
        found.setdefault(invoice_id, []).append((day.date(), kind))
    return found


def prescription_warnings(
    table: pd.DataFrame, peildatum: date, first_interest_days: pd.Series | None = None
) -> tuple[str, ...]:
    """Dutch warnings: prescribed invoices, invoices that prescribe soon, interest older than five years.

    ``first_interest_days`` (invoice_id -> first interest day) adds the interest check.
    """
    notes = []
    prescribed = table.loc[table["prescribed"]].sort_values("prescribed_on", kind="stable")
    soon = table.loc[
        ~table["prescribed"] & (table["prescribed_on"] <= pd.Timestamp(peildatum) + pd.Timedelta(days=SOON_DAYS))
    ]
    for row in prescribed.head(LISTED).itertuples(index=False):
        notes.append(
            f"Factuur {row.invoice_id} van debiteur {row.debtor_id} ({format_eur(row.open_cents, cents=True)} open, "
            f"vervallen {format_date(row.due_date)}) is verjaard sinds {format_date(row.prescribed_on)} "
            f"({row.article}: {row.years} jaar{_since(row)}). Een klant die zich op verjaring beroept, hoeft niet "
            "meer te betalen; het aanmaanschema slaat de factuur over tenzij bij Instellingen "
            "'Verjaarde vorderingen aanmanen' op ja staat."
        )
    notes += _more(len(prescribed), "verjaarde facturen")
    for row in soon.sort_values("prescribed_on", kind="stable").head(LISTED).itertuples(index=False):
        notes.append(
            f"Factuur {row.invoice_id} van debiteur {row.debtor_id} verjaart op {format_date(row.prescribed_on)} "
            f"({row.article}: {row.years} jaar{_since(row)}): stuit de verjaring op tijd met een schriftelijke "
            "aanmaning of een stuitingsbrief en leg die vast in Acties (Soort 'Stuiting')."
        )
    notes += _more(len(soon), "facturen die binnenkort verjaren")
    if first_interest_days is not None and len(table):
        first = table["invoice_id"].map(first_interest_days)
        old = table.loc[
            first.notna().to_numpy() & (first < table["interest_prescribed_before"]).to_numpy() & ~table["prescribed"]
        ]
        for row in old.head(LISTED).itertuples(index=False):
            notes.append(
                f"Factuur {row.invoice_id} van debiteur {row.debtor_id}: rente die vóór "
                f"{format_date(row.interest_prescribed_before)} opeisbaar werd, kan verjaard zijn "
                "(art. 3:308 BW: vijf jaar); vorder die alleen na controle."
            )
        notes += _more(len(old), "facturen met rente ouder dan vijf jaar")
    return tuple(notes)


def register_prescription_warnings(register: Register, peildatum: date) -> tuple[str, ...]:
    """The warnings for ``debiteuren controleer``: the register's open invoices on ``peildatum``."""
    ledger = settle(register.invoices, register.payments, peildatum, pd.Index(register.debtors["debtor_id"]))
    return prescription_warnings(prescription_per_invoice(register, ledger.invoices, peildatum), peildatum)


def _since(row) -> str:
    return "" if pd.isna(row.last_interruption) else f" vanaf de stuiting van {format_date(row.last_interruption)}"


def _more(count: int, what: str) -> list[str]:
    return [f"... en nog {count - LISTED} {what}."] if count > LISTED else []
