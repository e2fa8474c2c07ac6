"""Key figures (design §7) and the arithmetic of figures: exact ratios, rounded once.

Conventions, in the order of the design:

- **Receivables (AR)** on a day: everything invoiced up to that day (invoices and
  credit notes, including VAT) minus everything paid up to that day; on the
  peildatum that is the open invoices plus the (negative) credit lines of the
  ledger. **Credit sales** of a period: the invoices of that period by invoice
  date, credit notes netted.
- **Months.** The peildatum's month counts up to and including the peildatum,
  with that many days (peildatum 15 March: 15 days); earlier months are whole.
- **DSO, count-back**: from AR on the peildatum, walk back month by month (the
  peildatum's month first): while the remaining AR covers the month's sales,
  subtract them and add the month's days; then add remaining AR / that month's
  sales x its days. The walk stops at a month without (positive) sales or at
  the first month with invoices; the days counted until then are the DSO (None
  when it stops at once). AR of zero or less gives 0.
- **DSO, simple**: AR / credit sales of the last 3 months (the peildatum's month
  and the two before) x the days of those months; AR of zero or less gives 0,
  and without (positive) sales there is none.
- **Best possible DSO**: the same two computations with the not-yet-due AR (open
  invoices whose due date is on or after the peildatum) instead of AR.
- **ADD** two ways: ``add_countback`` / ``add_simple`` = DSO - best possible DSO
  ("ADD (DSO - beste DSO)"); ``days_past_due_open`` = the open-amount-weighted
  days past due of the open items past due ("gem. dagen over vervaldatum, open
  posten").
- **CEI** of the peildatum's month (up to the peildatum): (AR at the start +
  credit sales - AR at the end) / (AR at the start + credit sales - not-yet-due
  AR at the end) x 100; AR at the start is AR on the day before the month's
  first day. A quarter's CEI is the average of its months (Kerncijfers keeps one
  row per review).
- **Days to pay / days beyond terms**: over the invoices paid in the last 12
  months, weighted by the cash paid (see ``payment_behaviour``).
- **Positions**: outstanding, past due, disputed, handed over (debtor status
  'uit handen'), written off (an 'Afgeboekt' action on or before the peildatum
  for the invoices it names, or all the debtor's invoices when it names none;
  or status 'oninbaar'), each as debtors, invoices and open amount; plus the
  credit lines. Written-off invoices still count as outstanding while they are
  open in the register. Statuses are the register's current ones.
- **Debtors and revenue per kind and size**: debtors known on the peildatum
  (Klant sinds empty or not after it); revenue = credit sales of the last 12
  months.

Day counts and ratios are ``Decimal`` with one decimal, rounded half-up once,
from exact integer arithmetic; never floats.

>>> ratio(1, 3), ratio(-1, 20), ratio(1, -20), ratio(5, 0)
(Decimal('0.3'), Decimal('-0.1'), Decimal('-0.1'), None)
>>> tenths(np.array([149, -5, 10]), np.array([10, 100, 3])).tolist()
[149, -1, 33]
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

import numpy as np
import pandas as pd

from .ledger import Ledger, day_number, day_numbers, months_before
from .register.model import Register
from .register.schema import SEGMENTS

SIMPLE_MONTHS = 3  # the simple DSO's period
YEAR_MONTHS = 12  # "the last 12 months" everywhere

OUTSTANDING = "Openstaand"
PAST_DUE = "Vervallen"
DISPUTED = "Betwist"
HANDED_OVER = "Uit handen"
WRITTEN_OFF = "Afgeboekt"
CREDIT_LINES = "Niet toegewezen en creditsaldi"


# --- the arithmetic of figures -------------------------------------------------


def round_tenths(value: Fraction) -> Decimal:
    """An exact value rounded half away from zero to one decimal."""
    return ratio(value.numerator, value.denominator)


def ratio(numerator: int, denominator: int) -> Decimal | None:
    """numerator / denominator with one decimal, half away from zero; None when the denominator is 0."""
    numerator, denominator = int(numerator), int(denominator)
    if denominator == 0:
        return None
    if denominator < 0:
        numerator, denominator = -numerator, -denominator
    whole = (abs(numerator) * 20 + denominator) // (2 * denominator)
    return from_tenths(whole if numerator >= 0 else -whole)


def tenths(numerator: np.ndarray, denominator: np.ndarray) -> np.ndarray:
    """Element-wise numerator / denominator in whole tenths, half away from zero (denominator > 0)."""
    numerator = np.asarray(numerator, dtype=np.int64)
    denominator = np.asarray(denominator, dtype=np.int64)
    return np.sign(numerator) * ((np.abs(numerator) * 20 + denominator) // (2 * denominator))


def from_tenths(value: int) -> Decimal:
    """Whole tenths to a Decimal with one decimal: 155 -> Decimal('15.5')."""
    return Decimal(int(value)).scaleb(-1)


def decimals(values_in_tenths: np.ndarray, present: np.ndarray) -> np.ndarray:
    """An object array of Decimals from whole tenths where ``present``, None elsewhere.

    >>> decimals(np.array([155, 0, 155]), np.array([True, False, True])).tolist()
    [Decimal('15.5'), None, Decimal('15.5')]
    """
    out = np.full(len(values_in_tenths), None, dtype=object)
    unique, inverse = np.unique(np.asarray(values_in_tenths)[present], return_inverse=True)
    out[present] = np.array([from_tenths(v) for v in unique], dtype=object)[inverse]
    return out


# --- key figures ----------------------------------------------------------------


@dataclass(frozen=True)
class Kpis:
    """The key figures on the peildatum (see the module docstring for each definition).

    ``countback`` shows the count-back walk: ``month`` (first day), ``days``,
    ``sales_cents``, ``counted_days`` (Decimal). ``positions``: ``category``
    (Dutch), ``debtors``, ``invoices``, ``amount_cents``. ``per_kind_size``:
    ``kind``, ``size`` (NA when unknown), ``debtors``, ``revenue_cents`` (12
    months). ``per_segment``: ``segment``, ``debtors``, ``open_cents``.
    """

    peildatum: date
    ar_cents: int
    not_due_cents: int
    sales_3m_cents: int
    days_3m: int
    dso_countback: Decimal | None
    dso_simple: Decimal | None
    best_dso_countback: Decimal | None
    best_dso_simple: Decimal | None
    add_countback: Decimal | None
    add_simple: Decimal | None
    days_past_due_open: Decimal | None
    cei: Decimal | None
    cei_from: date
    ar_start_cents: int
    sales_month_cents: int
    days_to_pay: Decimal | None
    days_beyond_terms: Decimal | None
    countback: pd.DataFrame
    positions: pd.DataFrame
    per_kind_size: pd.DataFrame
    per_segment: pd.DataFrame

    @property
    def position_cents(self) -> dict[str, int]:
        """Category (``OUTSTANDING``, ``PAST_DUE``...) -> its amount in cents."""
        return {row.category: int(row.amount_cents) for row in self.positions.itertuples()}


def receivables(invoices: pd.DataFrame, payments: pd.DataFrame, day: date) -> int:
    """AR on ``day``: invoiced (credit notes netted) minus paid, both up to and including it."""
    stamp = pd.Timestamp(day)
    invoiced = invoices.loc[invoices["invoice_date"] <= stamp, "amount_cents"].sum()
    paid = payments.loc[(payments["payment_date"] <= stamp) & (payments["amount_cents"] > 0), "amount_cents"]
    return int(invoiced) - int(paid.sum())


def monthly_sales(invoices: pd.DataFrame, peildatum: date, at_least: int = SIMPLE_MONTHS) -> pd.DataFrame:
    """Credit sales per month, the peildatum's month (up to the peildatum) first.

    Back to the first invoice's month, and at least ``at_least`` months.
    Columns ``month`` (first day, datetime64), ``days`` and ``sales_cents``.
    """
    dates = invoices["invoice_date"]
    mask = (dates <= pd.Timestamp(peildatum)).to_numpy()
    dates = dates.loc[mask]
    here = peildatum.year * 12 + peildatum.month - 1
    back = here - (dates.dt.year.to_numpy(np.int64) * 12 + dates.dt.month.to_numpy(np.int64) - 1)
    n = max(int(back.max()) + 1 if len(back) else 0, at_least)
    sales = np.zeros(n, np.int64)
    np.add.at(sales, back, invoices["amount_cents"].to_numpy(np.int64)[mask])
    months, days = [], []
    for k in range(n):
        year, month = divmod(here - k, 12)
        months.append(date(year, month + 1, 1))
        days.append(peildatum.day if k == 0 else calendar.monthrange(year, month + 1)[1])
    return pd.DataFrame(
        {
            "month": pd.to_datetime(pd.Series(months, dtype=object)).astype("datetime64[ns]"),
            "days": np.array(days, np.int64),
            "sales_cents": sales,
        }
    )


def count_back(ar_cents: int, months: pd.DataFrame) -> tuple[Fraction | None, list[Fraction]]:
    """The count-back DSO as an exact value, and the days each month contributed."""
    if ar_cents <= 0:
        return Fraction(0), []
    remaining, total, steps = ar_cents, Fraction(0), []
    for sales, days in zip(months["sales_cents"].tolist(), months["days"].tolist()):
        if sales <= 0:
            break
        if remaining >= sales:
            remaining -= sales
            steps.append(Fraction(days))
            total += days
            if remaining == 0:
                break
        else:
            steps.append(Fraction(remaining * days, sales))
            total += steps[-1]
            break
    return (total if steps else None), steps


def key_figures(
    register: Register,
    ledger: Ledger,
    paid: pd.DataFrame,
    segments: pd.DataFrame,
) -> Kpis:
    """All key figures on the ledger's peildatum.

    ``paid``: ``payment_behaviour.paid_invoices(ledger)``; ``segments``: per
    debtor ``debtor_id``, ``segment``, ``open_cents`` (``segments.score``).
    """
    peildatum = ledger.peildatum
    today = day_number(peildatum)
    ar = ledger.open_cents + ledger.credit_cents
    items = ledger.open_items
    past_due_days = today - day_numbers(items["due_date"])
    open_amount = items["open_cents"].to_numpy(np.int64)
    not_due = int(open_amount[past_due_days <= 0].sum())

    months = monthly_sales(register.invoices, peildatum)
    dso_cb, steps = count_back(ar, months)
    best_cb, _ = count_back(not_due, months)
    recent = months.iloc[:SIMPLE_MONTHS]
    sales_3m, days_3m = int(recent["sales_cents"].sum()), int(recent["days"].sum())
    countback = months.iloc[: len(steps)].assign(counted_days=[round_tenths(s) for s in steps])

    late = past_due_days > 0
    ar_start_day = peildatum.replace(day=1) - timedelta(days=1)
    ar_start = receivables(register.invoices, register.payments, ar_start_day)
    sales_month = int(months["sales_cents"].iloc[0])
    cei_num = ar_start + sales_month - ar
    cei_den = ar_start + sales_month - not_due

    window = paid.loc[paid["paid_date"] > pd.Timestamp(months_before(peildatum, YEAR_MONTHS))]
    weight = window["paid_cents"].to_numpy(np.int64)
    return Kpis(
        peildatum=peildatum,
        ar_cents=ar,
        not_due_cents=not_due,
        sales_3m_cents=sales_3m,
        days_3m=days_3m,
        dso_countback=None if dso_cb is None else round_tenths(dso_cb),
        dso_simple=_simple_dso(max(ar, 0), sales_3m, days_3m),
        best_dso_countback=None if best_cb is None else round_tenths(best_cb),
        best_dso_simple=_simple_dso(not_due, sales_3m, days_3m),
        add_countback=None if dso_cb is None or best_cb is None else round_tenths(dso_cb - best_cb),
        add_simple=_simple_dso(max(ar, 0) - not_due, sales_3m, days_3m),
        days_past_due_open=_weighted(past_due_days[late], open_amount[late]),
        cei=ratio(cei_num * 100, cei_den) if cei_den > 0 else None,
        cei_from=peildatum.replace(day=1),
        ar_start_cents=ar_start,
        sales_month_cents=sales_month,
        days_to_pay=_weighted(window["days_to_pay"].to_numpy(np.int64), weight),
        days_beyond_terms=_weighted(window["days_beyond_terms"].to_numpy(np.int64), weight),
        countback=countback.reset_index(drop=True),
        positions=_positions(register, ledger, late),
        per_kind_size=_per_kind_size(register, peildatum),
        per_segment=_per_segment(segments),
    )


def _simple_dso(ar: int, sales: int, days: int) -> Decimal | None:
    if sales <= 0:
        return None
    return ratio(ar * days, sales)


def _weighted(days: np.ndarray, weights: np.ndarray) -> Decimal | None:
    """Weight-averaged days; exact (Python integers when int64 could overflow)."""
    days, weights = np.asarray(days, np.int64), np.asarray(weights, np.int64)
    total = int(weights.sum())
    if total == 0:
        return None
    if int(np.abs(days).max(initial=0)) * int(np.abs(weights).sum()) < 2**62:
        return ratio(int(np.dot(days, weights)), total)
    return ratio(int(np.dot(days.astype(object), weights.astype(object))), total)


def _positions(register: Register, ledger: Ledger, late: np.ndarray) -> pd.DataFrame:
    items = ledger.open_items
    code = items["debtor_code"].to_numpy(np.int64)
    status = pd.Series(ledger.per_debtor(register.debtors, "status"), dtype="string")
    handed_over = status.isin(["uit handen"]).to_numpy()
    written_off = status.isin(["oninbaar"]).to_numpy().copy()

    actions = register.actions
    off = actions.loc[actions["kind"].isin(["Afgeboekt"]) & (actions["action_date"] <= pd.Timestamp(ledger.peildatum))]
    ids = off["invoice_ids"].astype("string").str.strip().fillna("")
    named = set(ids.str.split(",").explode().str.strip()) - {""}
    whole = off.loc[(ids == "").to_numpy(bool)]
    whole_codes = ledger.debtor_ids.get_indexer(whole["debtor_id"].to_numpy(dtype=object))
    written_off[whole_codes[whole_codes >= 0]] = True
    off_items = written_off[code] | items["invoice_id"].isin(named).to_numpy()

    masks = {
        OUTSTANDING: np.ones(len(items), bool),
        PAST_DUE: late,
        DISPUTED: items["disputed"].to_numpy(bool),
        HANDED_OVER: handed_over[code],
        WRITTEN_OFF: off_items,
    }
    amount = items["open_cents"].to_numpy(np.int64)
    rows = [
        (label, len(np.unique(code[mask])), int(mask.sum()), int(amount[mask].sum())) for label, mask in masks.items()
    ]
    credits = ledger.credits
    rows.append((CREDIT_LINES, int(credits["debtor_code"].nunique()), len(credits), int(credits["amount_cents"].sum())))
    frame = pd.DataFrame(rows, columns=["category", "debtors", "invoices", "amount_cents"])
    return frame.astype({"category": "string", "debtors": "int64", "invoices": "int64", "amount_cents": "int64"})


def _per_kind_size(register: Register, peildatum: date) -> pd.DataFrame:
    stamp = pd.Timestamp(peildatum)
    debtors = register.debtors
    known = debtors.loc[debtors["customer_since"].isna() | (debtors["customer_since"] <= stamp)]
    invoices = register.invoices
    year = invoices.loc[
        (invoices["invoice_date"] > pd.Timestamp(months_before(peildatum, YEAR_MONTHS)))
        & (invoices["invoice_date"] <= stamp)
    ]
    revenue = year.groupby("debtor_id", sort=False)["amount_cents"].sum()
    frame = known[["debtor_id", "kind", "size"]].assign(
        revenue_cents=revenue.reindex(known["debtor_id"]).fillna(0).astype("int64").to_numpy()
    )
    out = (
        frame.groupby(["kind", "size"], dropna=False, sort=True)
        .agg(debtors=("debtor_id", "size"), revenue_cents=("revenue_cents", "sum"))
        .reset_index()
    )
    return out.astype({"kind": "string", "size": "string", "debtors": "int64", "revenue_cents": "int64"})


def _per_segment(segments: pd.DataFrame) -> pd.DataFrame:
    grouped = segments.groupby("segment", sort=False).agg(
        debtors=("debtor_id", "size"), open_cents=("open_cents", "sum")
    )
    grouped = grouped.reindex(list(SEGMENTS), fill_value=0)
    out = grouped.reset_index().rename(columns={"index": "segment"})
    return out.astype({"segment": "string", "debtors": "int64", "open_cents": "int64"})
