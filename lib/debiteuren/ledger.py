"""Open items as of a peildatum: payments and credit notes allocated to invoices.

The rules, in the order they are applied (design §3 and §7; legal.md §2 on 6:43):

1. **As of the peildatum.** Only invoices and credit notes dated on or before the
   peildatum and payments dated on or before it count, so a past month can be
   reviewed again and gives the answer it gave then.
2. **Designated first.** A payment whose Factuurnummer is an invoice of the same
   debtor goes to that invoice. A credit note (a negative Bedrag) designates an
   invoice when its Omschrijving contains that invoice's number as a word
   (``"Creditnota op factuur 2025-014."``), of the same debtor; it then goes to
   that invoice like a designated payment. A Factuurnummer that names no invoice
   of the debtor on the peildatum counts as no designation.
3. **Overpayments stay visible.** What designated items bring beyond the
   invoice's amount is not passed on to another invoice: in date order, the last
   items are the ones beyond, and they remain as a credit line of the debtor
   (``overbetaling`` for cash, ``creditsaldo`` for a credit note).
4. **The rest, oldest open first.** Every other payment and credit note of a
   debtor joins one pool in date order (a credit note on its invoice date), which
   pays the debtor's invoices in order of due date, then invoice date, then
   invoice number (text order): the cumulative pool against the cumulative open
   amounts. What is left over after all invoices stays as credit lines
   (``niet toegewezen betaling``, ``creditsaldo``): the latest items are the ones
   left over.
5. **A state, not a history.** The allocation is what stands on the peildatum:
   designations come before the pool whatever their dates, and the pool may settle
   an invoice dated after the payment (a credit balance used up later).
6. **Paid date.** An invoice settled on the peildatum has ``paid_date`` = the date
   of the item that completed it (never before its invoice date); when both
   designated items and the pool settle it, the later of the two.

Everything is vectorised with cumulative sums per group; there is no Python loop
over invoices or payments. Amounts are integer cents.

>>> import pandas as pd
>>> from datetime import date
>>> invoices = pd.DataFrame({
...     "excel_row": [2, 3], "invoice_id": ["F1", "F2"], "debtor_id": ["D1", "D1"],
...     "invoice_date": pd.to_datetime(["2025-01-01", "2025-02-01"]),
...     "due_date": pd.to_datetime(["2025-01-31", "2025-03-03"]),
...     "amount_cents": [10_000, 5_000], "description": [None, None], "disputed": [False, False]})
>>> payments = pd.DataFrame({
...     "excel_row": [2], "payment_date": pd.to_datetime(["2025-02-10"]), "debtor_id": ["D1"],
...     "invoice_id": [None], "amount_cents": [12_000]})
>>> book = settle(invoices, payments, date(2025, 3, 31))
>>> book.invoices[["invoice_id", "paid_cents", "open_cents"]].to_string(index=False)
'invoice_id  paid_cents  open_cents\\n        F1       10000           0\\n        F2        2000        3000'
>>> book.credits.empty
True
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

# Kinds of credit line (Dutch: the controller sees them).
UNALLOCATED = "niet toegewezen betaling"
OVERPAYMENT = "overbetaling"
CREDIT_BALANCE = "creditsaldo"

_WORD_SEPARATORS = r"[\s,;:()\[\]]+"
_NO_DATE = np.iinfo(np.int64).min


@dataclass(frozen=True)
class Ledger:
    """The state of the accounts on the peildatum.

    ``invoices``: every invoice (Bedrag > 0) dated on or before the peildatum, with
    the register's columns plus ``paid_cents`` (cash applied), ``credited_cents``
    (credit notes applied), ``open_cents`` (what is still owed) and ``paid_date``
    (NaT while open). ``credits``: one line per payment or credit note, or part of
    one, that is not applied to an invoice: ``debtor_id``, ``kind`` (see the
    constants above), ``date``, ``invoice_id`` (the overpaid invoice for an
    overpayment, the credit note's own number for a credit balance), ``source``
    ('Betalingen' or 'Facturen'), ``excel_row`` of that row, ``description`` and
    ``amount_cents`` (negative: the debtor's credit). Both frames carry
    ``debtor_code``, the debtor's position in ``debtor_ids`` (the register's
    debtors in order, then any debtor it does not list), for fast grouping.
    """

    peildatum: date
    invoices: pd.DataFrame
    credits: pd.DataFrame
    debtor_ids: pd.Index

    @property
    def open_items(self) -> pd.DataFrame:
        """Invoices with something still open, in the register's order."""
        return self.invoices.loc[self.invoices["open_cents"] > 0]

    @property
    def open_cents(self) -> int:
        """Total of the open invoices (without the credit lines)."""
        return int(self.invoices["open_cents"].sum())

    @property
    def credit_cents(self) -> int:
        """Total of the credit lines (zero or negative)."""
        return int(self.credits["amount_cents"].sum())

    def per_debtor(self, debtors: pd.DataFrame, column: str) -> np.ndarray:
        """A column of the debtors table aligned with ``debtor_code`` (NA where not listed)."""
        listed = debtors["debtor_id"].to_numpy(dtype=object)
        if len(listed) == len(self.debtor_ids) and np.array_equal(listed, self.debtor_ids.to_numpy()):
            return debtors[column].to_numpy()  # the usual case: numbered from this very table
        return debtors.set_index("debtor_id")[column].reindex(self.debtor_ids).to_numpy()


def day_numbers(values) -> np.ndarray:
    """Dates (a datetime64 column or array) as int64 days since 1970-01-01.

    Whatever the resolution of the column; NaT becomes the smallest int64.

    >>> day_numbers(pd.Series(pd.to_datetime(["1970-01-02", None])))[0]
    np.int64(1)
    """
    return np.asarray(values, dtype="datetime64[ns]").astype("datetime64[D]").astype(np.int64)


def day_number(day: date) -> int:
    """A date as days since 1970-01-01.

    >>> day_number(date(1970, 2, 1))
    31
    """
    return int(np.datetime64(day, "D").astype(np.int64))


def months_before(day: date, months: int) -> date:
    """The same day ``months`` calendar months earlier (the month's last day if shorter).

    >>> months_before(date(2026, 5, 31), 3)
    datetime.date(2026, 2, 28)
    """
    return (pd.Timestamp(day) - pd.DateOffset(months=months)).date()


def group_starts(sorted_codes: np.ndarray) -> np.ndarray:
    """Boolean mask: True where a new group starts in an array sorted by group."""
    starts = np.ones(len(sorted_codes), dtype=bool)
    starts[1:] = sorted_codes[1:] != sorted_codes[:-1]
    return starts


def cumsum_by_group(sorted_codes: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Running totals restarting at each group of an array sorted by group (inclusive).

    >>> cumsum_by_group(np.array([0, 0, 1, 1, 1]), np.array([1, 2, 3, 4, 5])).tolist()
    [1, 3, 3, 7, 12]
    """
    values = np.asarray(values, dtype=np.int64)
    total = np.cumsum(values)
    if len(values) == 0:
        return total
    starts = group_starts(sorted_codes)
    before = (total - values)[starts]  # running total before each group
    return total - np.repeat(before, np.diff(np.append(np.flatnonzero(starts), len(values))))


def split_at_cutoff(sorted_codes, amounts, cutoffs) -> np.ndarray:
    """Of items in order within groups, the part of each that falls within the group's cutoff.

    ``cutoffs`` holds one value per item (the cutoff of its group). The rest of an
    item (``amounts - result``) lies beyond the cutoff.

    >>> split_at_cutoff(np.array([0, 0, 0]), np.array([40, 40, 40]), np.array([100, 100, 100])).tolist()
    [40, 40, 20]
    """
    amounts = np.asarray(amounts, dtype=np.int64)
    cum = cumsum_by_group(sorted_codes, amounts)
    cutoffs = np.asarray(cutoffs, dtype=np.int64)
    return np.minimum(cum, cutoffs) - np.minimum(cum - amounts, cutoffs)


def settle(
    invoices: pd.DataFrame,
    payments: pd.DataFrame,
    peildatum: date,
    debtor_ids: pd.Index | None = None,
) -> Ledger:
    """Allocate payments and credit notes to invoices as of ``peildatum`` (rules above).

    ``debtor_ids`` (the register's Debiteurnummers, in order) fixes the numbering
    of ``debtor_code``; debtors not in it are numbered after it.
    """
    today = pd.Timestamp(peildatum)
    dated = (invoices["invoice_date"] <= today).to_numpy()
    amounts = invoices["amount_cents"].to_numpy(np.int64)
    bills = invoices.loc[dated & (amounts > 0)].reset_index(drop=True)
    notes = invoices.loc[dated & (amounts < 0)].reset_index(drop=True)
    # payments only as arrays: copying the whole sheet would cost more than the allocation
    cash_rows = np.flatnonzero(
        (payments["payment_date"] <= today).to_numpy() & (payments["amount_cents"] > 0).to_numpy()
    )
    cash_debtor = payments["debtor_id"].to_numpy(dtype=object)[cash_rows]
    cash_invoice = payments["invoice_id"].to_numpy(dtype=object)[cash_rows]

    everyone = np.concatenate(
        [bills["debtor_id"].to_numpy(dtype=object), notes["debtor_id"].to_numpy(dtype=object), cash_debtor]
    )
    codes, debtors = _debtor_codes(everyone, debtor_ids)
    bill_code = codes[: len(bills)]
    note_code = codes[len(bills) : len(bills) + len(notes)]
    cash_code = codes[len(bills) + len(notes) :]
    n_debtors = len(debtors)

    bill_amount = bills["amount_cents"].to_numpy(np.int64)
    bill_issued = day_numbers(bills["invoice_date"])
    bill_index = pd.Index(bills["invoice_id"].to_numpy(dtype=object), dtype=object)

    # Designations: a payment's Factuurnummer, a credit note's Omschrijving.
    cash_target = np.full(len(cash_rows), -1, dtype=np.int64)
    named = payments["invoice_id"].notna().to_numpy()[cash_rows]
    cash_target[named] = bill_index.get_indexer(cash_invoice[named])
    cash_target = _same_debtor(cash_target, cash_code, bill_code)
    note_target = _credit_note_targets(notes, note_code, bill_index, bill_code)

    # All items that can settle an invoice: cash first, then credit notes.
    item_amount = np.concatenate(
        [payments["amount_cents"].to_numpy(np.int64)[cash_rows], -notes["amount_cents"].to_numpy(np.int64)]
    )
    item_day = np.concatenate([day_numbers(payments["payment_date"])[cash_rows], day_numbers(notes["invoice_date"])])
    item_code = np.concatenate([cash_code, note_code]).astype(np.int64)
    item_target = np.concatenate([cash_target, note_target])
    item_is_note = np.concatenate([np.zeros(len(cash_rows), bool), np.ones(len(notes), bool)])
    item_row = np.arange(len(item_amount))

    # --- designated items, per invoice in date order, up to the invoice's amount
    des = np.flatnonzero(item_target >= 0)
    des = des[np.lexsort((item_row[des], item_day[des], item_target[des]))]
    des_target = item_target[des]
    des_within = split_at_cutoff(des_target, item_amount[des], bill_amount[des_target])
    des_beyond = item_amount[des] - des_within
    designated = np.zeros(len(bills), np.int64)
    np.add.at(designated, des_target, des_within)
    des_credit = np.zeros(len(bills), np.int64)
    np.add.at(des_credit, des_target, np.where(item_is_note[des], des_within, 0))
    # the day the designated items completed the invoice; the last designated day
    des_cum = cumsum_by_group(des_target, item_amount[des])
    completes = des_cum >= bill_amount[des_target]
    first_complete = group_starts(des_target[completes]) if completes.any() else np.array([], bool)
    des_done_day = np.full(len(bills), _NO_DATE)
    des_done_day[des_target[completes][first_complete]] = item_day[des][completes][first_complete]
    des_last_day = np.full(len(bills), _NO_DATE)
    np.maximum.at(des_last_day, des_target, item_day[des])

    # --- the pool: every other item, per debtor in date order
    remaining = bill_amount - designated
    pool = np.flatnonzero(item_target < 0)
    pool = pool[np.lexsort((item_row[pool], item_day[pool], item_code[pool]))]
    pool_code = item_code[pool]
    pool_amount = item_amount[pool]
    pool_total = np.zeros(n_debtors, np.int64)
    np.add.at(pool_total, pool_code, pool_amount)
    pool_base = np.cumsum(pool_total) - pool_total  # pool positions of all debtors on one line
    pool_end = np.cumsum(pool_amount)  # == pool_base[code] + cumulative pool of the debtor
    pool_note_end = np.cumsum(np.where(item_is_note[pool], pool_amount, 0))

    # invoices, oldest first per debtor: due date, invoice date, invoice number
    bill_due = day_numbers(bills["due_date"])
    order = _oldest_first(bill_code, bill_due, bill_issued, bill_index)
    code_o = bill_code[order]
    owed_end = cumsum_by_group(code_o, remaining[order])
    owed_start = owed_end - remaining[order]
    cover = pool_total[code_o]
    base = pool_base[code_o]
    lo, hi = np.minimum(owed_start, cover), np.minimum(owed_end, cover)
    from_pool = np.zeros(len(bills), np.int64)
    from_pool[order] = hi - lo
    pool_credit = np.zeros(len(bills), np.int64)
    pool_credit[order] = _notes_before(base + hi, pool_end, pool_note_end, item_is_note[pool]) - (
        _notes_before(base + lo, pool_end, pool_note_end, item_is_note[pool])
    )
    # the day the pool completed an invoice: the pool item covering its last cent
    pool_done_day = np.full(len(bills), _NO_DATE)
    done = (remaining[order] > 0) & (owed_end <= cover)
    if done.any():
        k = np.searchsorted(pool_end, base[done] + owed_end[done], side="left")
        pool_done_day[order[done]] = item_day[pool][k]

    open_cents = remaining - from_pool
    credited = des_credit + pool_credit
    paid_day = np.where(remaining > 0, np.maximum(pool_done_day, des_last_day), des_done_day)
    paid_day = np.where(open_cents == 0, np.maximum(paid_day, bill_issued), _NO_DATE)

    settled = bills.assign(
        debtor_code=bill_code,
        paid_cents=bill_amount - open_cents - credited,
        credited_cents=credited,
        open_cents=open_cents,
        paid_date=from_day_numbers(paid_day),
    )

    # --- credit lines: designated items beyond their invoice, the pool's leftover
    owed_total = np.zeros(n_debtors, np.int64)
    np.add.at(owed_total, bill_code, remaining)
    pool_beyond = pool_amount - split_at_cutoff(pool_code, pool_amount, owed_total[pool_code])
    lines = np.concatenate([des, pool])
    beyond = np.concatenate([des_beyond, pool_beyond])
    overpaid = np.concatenate([des_target, np.full(len(pool), -1)])
    keep = beyond > 0
    credits = _credit_lines(
        lines[keep], beyond[keep], overpaid[keep], payments, cash_rows, notes, bill_index,
        debtors, item_code, item_day, item_is_note,
    )  # fmt: skip
    return Ledger(peildatum=peildatum, invoices=settled, credits=credits, debtor_ids=debtors)


def _credit_lines(
    lines, beyond, overpaid, payments, cash_rows, notes, bill_index, debtors, item_code, item_day, item_is_note
) -> pd.DataFrame:
    """The credit lines: for item positions ``lines`` (cash first, then credit notes) the
    amount ``beyond`` what they settled; ``overpaid`` is the designated invoice or -1."""
    is_note = item_is_note[lines]
    by_cash, by_note = ~is_note, is_note
    reference = np.full(len(lines), None, dtype=object)
    excel_row = np.zeros(len(lines), np.int64)
    description = np.full(len(lines), None, dtype=object)
    paid_row = cash_rows[lines[by_cash]]  # positions in the Betalingen frame
    target = overpaid[by_cash]
    on_invoice = np.full(len(target), None, dtype=object)
    on_invoice[target >= 0] = bill_index.to_numpy()[target[target >= 0]]
    reference[by_cash] = on_invoice
    excel_row[by_cash] = payments["excel_row"].to_numpy(np.int64)[paid_row]
    description[by_cash] = _texts(payments, "description")[paid_row]
    note_row = lines[by_note] - len(cash_rows)  # positions in ``notes``
    reference[by_note] = notes["invoice_id"].to_numpy(dtype=object)[note_row]
    excel_row[by_note] = notes["excel_row"].to_numpy(np.int64)[note_row]
    description[by_note] = _texts(notes, "description")[note_row]
    credits = pd.DataFrame(
        {
            "debtor_id": debtors.to_numpy(dtype=object)[item_code[lines]],
            "debtor_code": item_code[lines],
            "kind": np.where(by_note, CREDIT_BALANCE, np.where(overpaid >= 0, OVERPAYMENT, UNALLOCATED)),
            "date": from_day_numbers(item_day[lines]),
            "invoice_id": reference,
            "source": np.where(by_note, "Facturen", "Betalingen"),
            "excel_row": excel_row,
            "description": description,
            "amount_cents": -beyond,
        }
    )
    credits = credits.astype(
        {"debtor_id": "string", "kind": "string", "invoice_id": "string", "source": "string", "description": "string"}
    )
    return credits.sort_values(["debtor_code", "date", "excel_row"], kind="stable").reset_index(drop=True)


def _debtor_codes(ids: np.ndarray, known: pd.Index | None) -> tuple[np.ndarray, pd.Index]:
    """Number debtors: positions in ``known`` first, others after it."""
    codes, uniques = pd.factorize(ids)
    known = pd.Index([], dtype=object) if known is None else pd.Index(known, dtype=object)
    position = known.get_indexer(uniques)
    unknown = position < 0
    position[unknown] = len(known) + np.arange(unknown.sum())
    debtors = known.append(pd.Index(uniques[unknown], dtype=object))
    return position[codes].astype(np.int64), debtors


def _oldest_first(code, due, issued, numbers: pd.Index) -> np.ndarray:
    """Invoice order per debtor: due date, invoice date, then invoice number as text."""
    key = _packed(code, due, issued)
    if key is None:
        order = np.lexsort((issued, due, code))
        keys = np.stack([code[order], due[order], issued[order]])
        same = (keys[:, 1:] == keys[:, :-1]).all(axis=0)  # row i + 1 ties with row i
    else:
        order = np.argsort(key, kind="stable")
        same = key[order][1:] == key[order][:-1]
    if same.any():  # rare: sort only the tied runs by number
        run = np.cumsum(np.r_[True, ~same])
        rows = np.flatnonzero(np.r_[same, False] | np.r_[False, same])
        text = numbers.to_numpy(dtype=object)[order[rows]].astype(str)
        order[rows] = order[rows][np.lexsort((text, run[rows]))]
    return order


def _packed(*columns: np.ndarray) -> np.ndarray | None:
    """One int64 sort key for several int64 columns (most significant first), or None if it would not fit."""
    if len(columns[0]) == 0:
        return None
    key, room = np.zeros(len(columns[0]), np.int64), 1
    for column in columns:
        low, span = int(column.min()), int(column.max()) - int(column.min()) + 1
        room *= span
        if room >= 2**62:
            return None
        key = key * span + (column - low)
    return key


def _same_debtor(target: np.ndarray, code: np.ndarray, bill_code: np.ndarray) -> np.ndarray:
    """Keep a designation only where the invoice belongs to the same debtor."""
    ok = target >= 0
    ok[ok] = bill_code[target[ok]] == code[ok]
    return np.where(ok, target, -1)


def _credit_note_targets(notes, note_code, bill_index, bill_code) -> np.ndarray:
    """The invoice a credit note's Omschrijving names (first such word), or -1."""
    target = np.full(len(notes), -1, dtype=np.int64)
    if not len(notes) or "description" not in notes:
        return target
    words = notes["description"].astype("string").str.split(_WORD_SEPARATORS, regex=True).explode()
    words = words.dropna().astype(str).str.strip(".")
    if words.empty:
        return target
    hit = bill_index.get_indexer(words.to_numpy(dtype=object))
    rows = words.index.to_numpy()
    ok = hit >= 0
    ok[ok] = bill_code[hit[ok]] == note_code[rows[ok]]
    rows, hit = rows[ok], hit[ok]
    first = ~pd.Series(rows).duplicated().to_numpy()
    target[rows[first]] = hit[first]
    return target


def _notes_before(position, pool_end, pool_note_end, is_note) -> np.ndarray:
    """How much of the pool up to ``position`` (on the one line of all debtors) is credit notes."""
    if len(pool_end) == 0:
        return np.zeros(len(position), np.int64)
    k = np.minimum(np.searchsorted(pool_end, position, side="left"), len(pool_end) - 1)
    return pool_note_end[k] - np.where(is_note, 1, 0)[k] * np.maximum(pool_end[k] - position, 0)


def from_day_numbers(days: np.ndarray) -> pd.Series:
    """Day numbers (see ``day_numbers``) back to a datetime64[ns] Series; the smallest int64 is NaT."""
    out = days.astype("datetime64[D]")
    out[days == _NO_DATE] = np.datetime64("NaT")
    return pd.Series(out.astype("datetime64[ns]"))


def _texts(frame: pd.DataFrame, name: str) -> np.ndarray:
    """An optional text column as an object array (all None when the frame lacks it)."""
    if name in frame:
        return frame[name].to_numpy(dtype=object)
    return np.full(len(frame), None, dtype=object)
