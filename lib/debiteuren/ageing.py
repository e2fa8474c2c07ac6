"""Ageing of the open items: per invoice, per debtor and in total.

By due date (the default): days past due = peildatum - due date. An item not
yet past due (0 days or fewer) is "niet vervallen"; the others fall in the
buckets of the setting Ouderdomsklassen (default 30,60,90,120), upper bounds
inclusive: 1-30, 31-60, 61-90, 91-120, >120. By invoice date: days since the
invoice date in 0-30, 31-60, ..., >120.

The buckets hold the open amounts of invoices only, so they sum exactly to the
open total; disputed open amounts are in the buckets *and* in their own column.
Unallocated cash, overpayments and credit balances are a line of their own
(``credit_cents``, negative), never inside a bucket; ``balance_cents`` = open +
credit.

>>> bucket_labels((30, 60, 90, 120))
('niet vervallen', '1-30', '31-60', '61-90', '91-120', '>120')
>>> bucket_labels((30, 60), basis="invoice_date")
('0-30', '31-60', '>60')
>>> bucket_index(np.array([-5, 0, 1, 30, 31, 120, 121]), (30, 60, 90, 120)).tolist()
[0, 0, 1, 1, 2, 4, 5]
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .ledger import Ledger, day_number, day_numbers

NOT_DUE = "niet vervallen"
CREDIT_LINE = "niet toegewezen betalingen en creditsaldi"
BASES = ("due_date", "invoice_date")


@dataclass(frozen=True)
class Ageing:
    """Open items by age on the peildatum.

    ``labels``: the bucket labels in order. ``by_invoice``: the open items with
    ``days`` (past due, or since the invoice date) and ``bucket``.
    ``by_debtor``: one row per debtor with anything open or a credit line:
    ``debtor_id``, ``debtor_code`` (see ``Ledger``), one int64 cents column per label, ``open_cents``,
    ``overdue_cents``, ``disputed_cents``, ``credit_cents``, ``balance_cents``; in the register's
    debtor order; ``overdue_cents`` is what is past its due date, whatever the
    basis. ``totals``: one row per bucket (``bucket``, ``count``,
    ``amount_cents``). ``credit_cents``: the credit line in total.
    """

    basis: str
    labels: tuple[str, ...]
    by_invoice: pd.DataFrame
    by_debtor: pd.DataFrame
    totals: pd.DataFrame
    open_cents: int
    overdue_cents: int
    disputed_cents: int
    credit_cents: int

    @property
    def balance_cents(self) -> int:
        return self.open_cents + self.credit_cents

    def amounts(self) -> dict[str, int]:
        """Bucket label -> amount in cents, in order."""
        return dict(zip(self.totals["bucket"], self.totals["amount_cents"].astype(int)))

    def open_by_debtor(self) -> pd.DataFrame:
        """The rows of ``by_debtor`` with something open, the largest open amount first (ties in register order)."""
        rows = self.by_debtor.loc[self.by_debtor["open_cents"] != 0]
        return rows.sort_values("open_cents", ascending=False, kind="stable")


def bucket_labels(bounds: tuple[int, ...], basis: str = "due_date") -> tuple[str, ...]:
    """Labels for buckets with inclusive upper ``bounds``."""
    if basis not in BASES:
        raise ValueError(f"basis must be one of {BASES}, not {basis!r}")
    lows = [1, *(b + 1 for b in bounds[:-1])]
    ranges = [f"{low}-{high}" for low, high in zip(lows, bounds)] + [f">{bounds[-1]}"]
    if basis == "due_date":
        return (NOT_DUE, *ranges)
    return (f"0-{bounds[0]}", *ranges[1:])


def bucket_index(days: np.ndarray, bounds: tuple[int, ...], basis: str = "due_date") -> np.ndarray:
    """The bucket number for each day count (see ``bucket_labels`` for the labels)."""
    edges = np.array((0, *bounds) if basis == "due_date" else bounds, dtype=np.int64)
    return np.searchsorted(edges, days, side="left")


def age(ledger: Ledger, bounds: tuple[int, ...] = (30, 60, 90, 120), basis: str = "due_date") -> Ageing:
    """Age the ledger's open items into buckets with inclusive upper ``bounds``."""
    labels = bucket_labels(bounds, basis)
    items = ledger.open_items.copy()
    days = day_number(ledger.peildatum) - day_numbers(items[basis])
    bucket = bucket_index(days, bounds, basis)
    items["days"] = days
    items["bucket"] = pd.Categorical.from_codes(bucket, categories=list(labels))

    n_debtors = len(ledger.debtor_ids)
    code = items["debtor_code"].to_numpy(np.int64)
    amount = items["open_cents"].to_numpy(np.int64)
    grid = np.zeros((n_debtors, len(labels)), np.int64)
    np.add.at(grid, (code, bucket), amount)
    disputed = np.zeros(n_debtors, np.int64)
    np.add.at(disputed, code, np.where(items["disputed"].to_numpy(bool), amount, 0))
    past_due = day_number(ledger.peildatum) - day_numbers(items["due_date"]) > 0
    overdue = np.zeros(n_debtors, np.int64)
    np.add.at(overdue, code, np.where(past_due, amount, 0))
    credit = np.zeros(n_debtors, np.int64)
    np.add.at(
        credit, ledger.credits["debtor_code"].to_numpy(np.int64), ledger.credits["amount_cents"].to_numpy(np.int64)
    )
    open_ = grid.sum(axis=1)

    by_debtor = pd.DataFrame(grid, columns=list(labels))
    by_debtor.insert(0, "debtor_id", pd.array(ledger.debtor_ids, dtype="string"))
    by_debtor.insert(1, "debtor_code", np.arange(n_debtors, dtype=np.int64))
    by_debtor["open_cents"] = open_
    by_debtor["overdue_cents"] = overdue
    by_debtor["disputed_cents"] = disputed
    by_debtor["credit_cents"] = credit
    by_debtor["balance_cents"] = open_ + credit
    by_debtor = by_debtor.loc[(open_ != 0) | (credit != 0)].reset_index(drop=True)

    counts = np.bincount(bucket, minlength=len(labels))
    totals = pd.DataFrame({"bucket": list(labels), "count": counts.astype(np.int64), "amount_cents": grid.sum(axis=0)})
    return Ageing(
        basis=basis,
        labels=labels,
        by_invoice=items.reset_index(drop=True),
        by_debtor=by_debtor,
        totals=totals,
        open_cents=int(amount.sum()),
        overdue_cents=int(overdue.sum()),
        disputed_cents=int(disputed.sum()),
        credit_cents=int(credit.sum()),
    )
