"""Expected cash in per week for the next 13 weeks.

Week 1 runs from the day after the peildatum through the seventh day after it,
week 2 the seven days after that, and so on up to week 13.

What is expected, per debtor with status 'actief':

1. **Commitments first.** Open promises (a Betalingsbelofte made on or before
   the peildatum with a Toegezegde datum after it: its Toegezegd bedrag on that
   date, or everything open when no amount was given) and the instalments of a
   Regeling due after the peildatum, in date order. Together they never count
   for more than the debtor's open (undisputed) amount; they cover its open
   invoices oldest first (by due date).
2. **The rest by habit.** What commitments do not cover is expected on the due
   date plus the debtor's typical days beyond terms: its amount-weighted
   average over the last 12 months rounded half-up to whole days; without
   history, the same average over all debtors (``fallback_days``), else 0.

Not in the weeks, but totalled beside them: disputed open items; the open items
of debtors with status 'uit handen' (handed over) or 'failliet'/'oninbaar'
(not expected); amounts whose expected date is on or before the peildatum
(already late against the debtor's own habit: ``late_cents``) or after week 13
(``later_cents``). Unallocated cash and credit balances are not forecast.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import numpy as np
import pandas as pd

from .ledger import Ledger, day_number, day_numbers, from_day_numbers, split_at_cutoff
from .register.model import Register

WEEKS = 13
FROM_INVOICES, FROM_PROMISES, FROM_ARRANGEMENTS = "factuur", "belofte", "regeling"
SOURCES = (FROM_INVOICES, FROM_PROMISES, FROM_ARRANGEMENTS)


@dataclass(frozen=True)
class Forecast:
    """``weeks``: ``week`` (1..13), ``start``, ``end`` (inclusive), ``invoices_cents``,
    ``promises_cents``, ``arrangements_cents``, ``total_cents``. ``items``: every
    expected amount: ``debtor_id``, ``source`` (factuur/belofte/regeling),
    ``reference`` (invoice number, or the Acties/Regelingen row), ``expected_date``,
    ``week`` (0 = already late, 14 = after week 13), ``amount_cents``.
    """

    peildatum: date
    weeks: pd.DataFrame
    items: pd.DataFrame
    late_cents: int
    later_cents: int
    disputed_cents: int
    handed_over_cents: int
    not_expected_cents: int

    @property
    def total_cents(self) -> int:
        return int(self.weeks["total_cents"].sum())


def typical_delays(days_beyond, fallback: Decimal | None) -> np.ndarray:
    """Whole days to add to due dates, per debtor: its own average days beyond
    terms (one decimal) rounded half away from zero; without one, ``fallback``
    rounded the same way; without that, 0.

    >>> typical_delays([Decimal("4.5"), None, Decimal("-2.5")], Decimal("9.4")).tolist()
    [5, 9, -3]
    >>> typical_delays([None], None).tolist()
    [0]
    """
    spare = 0 if fallback is None else _whole_days(fallback)
    return np.array([spare if v is None else _whole_days(v) for v in days_beyond], dtype=np.int64)


def _whole_days(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def project(
    register: Register,
    ledger: Ledger,
    days_beyond: pd.Series,
    fallback_days: Decimal | None,
) -> Forecast:
    """The forecast; ``days_beyond``: per debtor code the 12-month days beyond terms (Decimal or None)."""
    peildatum = ledger.peildatum
    today = day_number(peildatum)
    ids = ledger.debtor_ids
    n = len(ids)
    if len(days_beyond) != n:
        raise ValueError(f"days_beyond has {len(days_beyond)} values for {n} debtors")
    status = pd.Series(ledger.per_debtor(register.debtors, "status"), dtype="string").fillna("actief")
    handed_over = status.isin(["uit handen"]).to_numpy()
    not_expected = status.isin(["failliet", "oninbaar"]).to_numpy()

    items = ledger.open_items
    code = items["debtor_code"].to_numpy(np.int64)
    amount = items["open_cents"].to_numpy(np.int64)
    disputed = items["disputed"].to_numpy(bool)
    out_handed = handed_over[code]
    out_lost = not_expected[code] & ~out_handed
    out_disputed = disputed & ~out_handed & ~out_lost
    live = ~(out_handed | out_lost | out_disputed)

    code, amount, due = code[live], amount[live], day_numbers(items["due_date"])[live]
    numbers = items["invoice_id"].to_numpy(dtype=object)[live]
    oldest = np.lexsort((due, code))  # per debtor by due date: commitments cover these first
    code, amount, due, numbers = code[oldest], amount[oldest], due[oldest], numbers[oldest]
    open_total = np.zeros(n, np.int64)
    np.add.at(open_total, code, amount)

    commitments = _commitments(register, ledger, open_total)
    c_code = commitments["code"].to_numpy(np.int64)
    c_amount = commitments["amount_cents"].to_numpy(np.int64)
    covered = np.zeros(n, np.int64)
    np.add.at(covered, c_code, c_amount)
    rest = amount - split_at_cutoff(code, amount, covered[code])

    delays = typical_delays(days_beyond, fallback_days)
    invoice_part = pd.DataFrame(
        {
            "code": code,
            "source": FROM_INVOICES,
            "reference": numbers,
            "day": due + delays[code],
            "amount_cents": rest,
        }
    )
    expected = pd.concat([invoice_part.loc[rest > 0], commitments], ignore_index=True)
    days_ahead = expected["day"].to_numpy(np.int64) - today
    week = np.where(days_ahead <= 0, 0, np.minimum((days_ahead - 1) // 7 + 1, WEEKS + 1))
    order = np.lexsort((expected["code"].to_numpy(np.int64), expected["day"].to_numpy(np.int64)))
    expected, week = expected.iloc[order].reset_index(drop=True), week[order]
    expected_items = pd.DataFrame(
        {
            "debtor_id": pd.array(ids.to_numpy(dtype=object)[expected["code"].to_numpy(np.int64)], dtype="string"),
            "source": pd.array(expected["source"].to_numpy(dtype=object), dtype="string"),
            "reference": pd.array(expected["reference"].to_numpy(dtype=object), dtype="string"),
            "expected_date": from_day_numbers(expected["day"].to_numpy(np.int64)),
            "week": week.astype(np.int64),
            "amount_cents": expected["amount_cents"].to_numpy(np.int64),
        }
    )

    grid = np.zeros((WEEKS + 2, len(SOURCES)), np.int64)
    source_index = pd.Index(SOURCES).get_indexer(expected["source"])
    np.add.at(grid, (week, source_index), expected["amount_cents"].to_numpy(np.int64))
    start = today + 1 + 7 * np.arange(WEEKS)
    weeks = pd.DataFrame(
        {
            "week": np.arange(1, WEEKS + 1, dtype=np.int64),
            "start": from_day_numbers(start),
            "end": from_day_numbers(start + 6),
            "invoices_cents": grid[1 : WEEKS + 1, 0],
            "promises_cents": grid[1 : WEEKS + 1, 1],
            "arrangements_cents": grid[1 : WEEKS + 1, 2],
            "total_cents": grid[1 : WEEKS + 1].sum(axis=1),
        }
    )
    all_amounts = items["open_cents"].to_numpy(np.int64)
    return Forecast(
        peildatum=peildatum,
        weeks=weeks,
        items=expected_items,
        late_cents=int(grid[0].sum()),
        later_cents=int(grid[WEEKS + 1].sum()),
        disputed_cents=int(all_amounts[out_disputed].sum()),
        handed_over_cents=int(all_amounts[out_handed].sum()),
        not_expected_cents=int(all_amounts[out_lost].sum()),
    )


def _commitments(register: Register, ledger: Ledger, open_total: np.ndarray) -> pd.DataFrame:
    """Open promises and future instalments, each capped so a debtor's total stays within its open amount."""
    today = pd.Timestamp(ledger.peildatum)
    actions = register.actions
    promises = actions.loc[
        actions["kind"].isin(["Betalingsbelofte"]).to_numpy()
        & (actions["action_date"] <= today).to_numpy()
        & (actions["promised_date"] > today).to_numpy()
    ]
    instalments = register.arrangements.loc[register.arrangements["due_date"] > today]
    p_code = ledger.debtor_ids.get_indexer(promises["debtor_id"].to_numpy(dtype=object))
    a_code = ledger.debtor_ids.get_indexer(instalments["debtor_id"].to_numpy(dtype=object))
    frame = pd.DataFrame(
        {
            "code": np.concatenate([p_code, a_code]).astype(np.int64),
            "source": [FROM_PROMISES] * len(promises) + [FROM_ARRANGEMENTS] * len(instalments),
            "reference": [f"Acties rij {r}" for r in promises["excel_row"]]
            + [f"Regelingen rij {r}" for r in instalments["excel_row"]],
            "day": np.concatenate([day_numbers(promises["promised_date"]), day_numbers(instalments["due_date"])]),
            "amount_cents": pd.array(
                list(promises["promised_cents"]) + list(instalments["amount_cents"]), dtype="Int64"
            ),
        }
    )
    frame = frame.loc[frame["code"] >= 0]
    frame = frame.loc[open_total[frame["code"].to_numpy(np.int64)] > 0]
    frame = frame.sort_values(["code", "day"], kind="stable").reset_index(drop=True)
    code = frame["code"].to_numpy(np.int64)
    cap = open_total[code]
    wanted = frame["amount_cents"].fillna(0).to_numpy(np.int64)
    wanted = np.where(frame["amount_cents"].isna().to_numpy(), cap, wanted)
    frame["amount_cents"] = split_at_cutoff(code, wanted, cap)
    return frame.loc[frame["amount_cents"] > 0].reset_index(drop=True)
