"""The result sheets as frames with Dutch headers, ready for the write-back.

``ouderdom`` (per debtor), ``actielijst`` (the proposed dunning steps),
``kerncijfers`` (one row for this review; the write-back appends it to the
sheet, so trends build up) and ``prognose`` (per week). Money is ``Decimal`` euros (exact), day counts and ratios ``Decimal``
with one decimal or None, dates ``datetime.date``. The write-back adds the line
saying when and from what each sheet was generated.
"""

from __future__ import annotations

import pandas as pd

from .kpi import CREDIT_LINES, DISPUTED, HANDED_OVER, OUTSTANDING, PAST_DUE, WRITTEN_OFF
from .money import cents_to_decimal
from .register.write.plan import ResultSheet
from .review import Review
from .segments import HIGH


def ouderdom(review: Review) -> pd.DataFrame:
    """Ageing per debtor: one row per debtor with anything open or a credit line, or interest on
    invoices paid late (claimable, shown in "Rente te laat betaald" next to the interest on what is open)."""
    ageing = review.ageing
    rows = ageing.by_debtor
    names = review.debtors.set_index("debtor_id")
    paid_late = names["paid_late_interest_cents"]
    # A debtor who paid everything, but late, still owes that interest: a row of its own (zeros elsewhere).
    extra = [i for i in paid_late.index[paid_late > 0] if i not in set(rows["debtor_id"])]
    if extra:
        filler = pd.DataFrame({"debtor_id": extra})
        for column in rows.columns.drop("debtor_id"):
            filler[column] = 0
        rows = pd.concat([rows, filler[rows.columns]], ignore_index=True)
    ids = rows["debtor_id"]
    frame = pd.DataFrame({"Debiteurnummer": ids.to_numpy(dtype=object)})
    frame["Naam"] = names["name"].reindex(ids).to_numpy(dtype=object)
    for label in ageing.labels:
        frame[label] = _money(rows[label])
    frame["Totaal open"] = _money(rows["open_cents"])
    frame["Waarvan betwist"] = _money(rows["disputed_cents"])
    frame["Niet toegewezen / creditsaldo"] = _money(rows["credit_cents"])
    frame["Saldo"] = _money(rows["balance_cents"])
    frame["Rente tot peildatum"] = _money(names["interest_cents"].reindex(ids).fillna(0))
    frame["Rente te laat betaald"] = _money(paid_late.reindex(ids).fillna(0))
    frame["Segment"] = names["segment"].reindex(ids).to_numpy(dtype=object)
    frame["Vroegsignaal"] = ["ja" if x else "nee" for x in names["early_warning"].reindex(ids)]
    return _blank_missing(frame)


def actielijst(review: Review) -> pd.DataFrame:
    """The proposed dunning steps, due ones first, then the paused debtors.

    A debtor with thousands of overdue invoices gets the ones that fit in a cell and
    "… en nog N": one large customer never stops the sheet for everyone else (the letter
    and the log keep the full list).
    """
    frame = review.plan.action_list()
    frame["Facturen"] = [fit_list_in_cell(text) for text in frame["Facturen"]]
    return _blank_missing(frame)


# What one Excel cell holds.
EXCEL_CELL_CHARACTERS = 32_767


def fit_list_in_cell(text: str | None, limit: int = EXCEL_CELL_CHARACTERS, separator: str = ", ") -> str | None:
    """A joined list as far as it fits in a cell of ``limit`` characters, then "… en nog N".

    >>> fit_list_in_cell("F-1, F-2, F-3, F-4", limit=16)
    'F-1 … en nog 3'
    >>> fit_list_in_cell("F-1, F-2, F-3, F-4", limit=18)
    'F-1, F-2, F-3, F-4'
    """
    if text is None or len(text) <= limit:
        return text
    items = text.split(separator)
    length = -len(separator)
    for kept, item in enumerate(items):
        tail = f" … en nog {len(items) - kept}"
        if length + len(separator) + len(item) + len(f" … en nog {len(items) - kept - 1}") > limit:
            return separator.join(items[:kept]) + tail
        length += len(separator) + len(item)
    return text  # not reached: the whole list is longer than the limit


def kerncijfers(review: Review) -> pd.DataFrame:
    """The key figures of this review as one row."""
    k = review.kpis
    amounts = k.position_cents
    segments = dict(zip(k.per_segment["segment"], k.per_segment["debtors"]))
    row = {
        "Peildatum": review.peildatum,
        "Openstaand": cents_to_decimal(amounts[OUTSTANDING]),
        "Vervallen": cents_to_decimal(amounts[PAST_DUE]),
        "Betwist": cents_to_decimal(amounts[DISPUTED]),
        "Uit handen": cents_to_decimal(amounts[HANDED_OVER]),
        "Afgeboekt": cents_to_decimal(amounts[WRITTEN_OFF]),
        "Rente tot peildatum": cents_to_decimal(review.interest_cents),
        "Niet toegewezen en creditsaldi": cents_to_decimal(amounts[CREDIT_LINES]),
        "DSO (terugrekenmethode)": k.dso_countback,
        "DSO (eenvoudig, 3 maanden)": k.dso_simple,
        "Beste DSO (terugrekenmethode)": k.best_dso_countback,
        "Beste DSO (eenvoudig)": k.best_dso_simple,
        "ADD (DSO - beste DSO)": k.add_countback,
        "ADD eenvoudig (DSO - beste DSO)": k.add_simple,
        "Gem. dagen over vervaldatum (open posten)": k.days_past_due_open,
        "CEI maand (%)": k.cei,
        "Gem. betaaldagen (12 maanden)": k.days_to_pay,
        "Gem. dagen na vervaldatum (12 maanden)": k.days_beyond_terms,
        "Debiteuren met saldo": int((review.debtors["balance_cents"] != 0).sum()),
        "Vroegsignalen": len(review.early_warnings),
        "Hoog risico": int(segments.get(HIGH, 0)),
    }
    return _blank_missing(pd.DataFrame([row], dtype=object))


def prognose(review: Review) -> pd.DataFrame:
    """Expected cash in per week for the next 13 weeks."""
    weeks = review.forecast.weeks
    return pd.DataFrame(
        {
            "Week": weeks["week"].astype(int).tolist(),
            "Van": [d.date() for d in weeks["start"]],
            "Tot en met": [d.date() for d in weeks["end"]],
            "Facturen": _money(weeks["invoices_cents"]),
            "Beloften": _money(weeks["promises_cents"]),
            "Regelingen": _money(weeks["arrangements_cents"]),
            "Totaal": _money(weeks["total_cents"]),
        },
        dtype=object,
    )


def _money(cents: pd.Series) -> list:
    return [cents_to_decimal(int(c)) for c in cents]


def _blank_missing(frame: pd.DataFrame) -> pd.DataFrame:
    """Empty cells as None (never NaN or NA), so the write-back leaves them empty."""
    frame = frame.astype(object)
    return frame.where(frame.notna(), None)


KERNCIJFERS_MONEY = (
    "Openstaand", "Vervallen", "Betwist", "Uit handen", "Afgeboekt", "Rente tot peildatum",
    "Niet toegewezen en creditsaldi",
)  # fmt: skip
OUDERDOM_MONEY_AFTER_BUCKETS = (
    "Totaal open", "Waarvan betwist", "Niet toegewezen / creditsaldo", "Saldo", "Rente tot peildatum",
    "Rente te laat betaald",
)  # fmt: skip
PROGNOSE_MONEY = ("Facturen", "Beloften", "Regelingen", "Totaal")


def result_sheets(review: Review) -> tuple[ResultSheet, ...]:
    """The four result sheets with their money columns, ready for ``write_back``."""
    return (
        ResultSheet(
            "Ouderdom",
            ouderdom(review),
            money_columns=(*review.ageing.labels, *OUDERDOM_MONEY_AFTER_BUCKETS),
            totals=True,
        ),
        ResultSheet("Actielijst", actielijst(review), money_columns=("Bedrag",)),
        ResultSheet("Kerncijfers", kerncijfers(review), money_columns=KERNCIJFERS_MONEY, append_key="Peildatum"),
        ResultSheet("Prognose", prognose(review), money_columns=PROGNOSE_MONEY, totals=True),
    )
