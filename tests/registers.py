"""Small registers for tests, built inline: English field names, ISO dates, euro strings.

``make_register`` fills defaults and dtypes as the Register contract says: a
RangeIndex and an ``excel_row`` column (from 2, below the header), text as
pandas ``string`` with NA (``text_dtype="str"``: pandas' default string dtype
with NaN, as the reader makes it today), dates as ``datetime64[ns]`` at
midnight, money as int64 cents (nullable ``Int64`` where optional), due dates
filled from the debtor's term, status 'actief', language 'nl', country 'NL'.

Money is given as ``amount="1.234,56"`` (euros, Dutch or plain notation, or a
number) or directly as ``amount_cents=123456``; the same for ``credit_limit``
and ``promised``. Debtors that invoices, payments, actions or arrangements name
but ``debtors`` does not are added as ``zakelijk`` with defaults.

>>> r = make_register(invoices=[dict(invoice_id="F1", debtor_id="D1", invoice_date="2025-06-01", amount="1.210,00")])
>>> r.invoices.loc[0, "due_date"].date(), r.invoices.loc[0, "amount_cents"]
(datetime.date(2025, 7, 1), np.int64(121000))
>>> r.debtors.loc[0, "name"], r.debtors.loc[0, "status"]
('Debiteur D1', 'actief')
"""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta
from types import MappingProxyType

import pandas as pd

from debiteuren.money import parse_amount, to_cents
from debiteuren.register.model import DEFAULT_POLICY, TUNING_SETTINGS, Register, Settings
from debiteuren.register.schema import header_key
from debiteuren.register.settings_sheets import read_setting


def d(text: str) -> date:
    """An ISO date: ``d("2025-06-30")``."""
    return date.fromisoformat(text)


def eur(text: str | int | float) -> int:
    """Euros as a controller writes them, to integer cents: ``eur("1.234,56") == 123456``."""
    return to_cents(parse_amount(text))


TEXT, DATE, CENTS, OPTIONAL_CENTS, INT, BOOL = "text", "date", "cents", "Int64", "int", "bool"

DEBTOR_FIELDS = {
    "debtor_id": TEXT, "name": TEXT, "kind": TEXT, "contact": TEXT, "address": TEXT,
    "postcode": TEXT, "city": TEXT, "country": TEXT, "email": TEXT, "phone": TEXT, "kvk": TEXT,
    "payment_term_days": INT, "credit_limit_cents": OPTIONAL_CENTS, "customer_since": DATE,
    "size": TEXT, "status": TEXT, "segment_override": TEXT, "language": TEXT, "iban": TEXT,
    "notes": TEXT,
}  # fmt: skip
INVOICE_FIELDS = {
    "invoice_id": TEXT, "debtor_id": TEXT, "invoice_date": DATE, "due_date": DATE,
    "amount_cents": CENTS, "description": TEXT, "reference": TEXT, "disputed": BOOL,
    "dispute_reason": TEXT, "invoice_file": TEXT,
}  # fmt: skip
PAYMENT_FIELDS = {
    "payment_date": DATE, "debtor_id": TEXT, "invoice_id": TEXT, "amount_cents": CENTS,
    "description": TEXT, "bank_reference": TEXT,
}  # fmt: skip
ACTION_FIELDS = {
    "action_date": DATE, "debtor_id": TEXT, "invoice_ids": TEXT, "kind": TEXT,
    "description": TEXT, "promised_cents": OPTIONAL_CENTS, "promised_date": DATE, "by": TEXT,
    "document": TEXT, "digest": TEXT,
}  # fmt: skip
ARRANGEMENT_FIELDS = {"debtor_id": TEXT, "instalment": INT, "due_date": DATE, "amount_cents": CENTS}


def make_register(
    debtors=(),
    invoices=(),
    payments=(),
    actions=(),
    arrangements=(),
    settings=None,
    raw_settings=None,
    text_dtype="string",
) -> Register:
    """A typed Register from lists of dicts (see the module docstring).

    ``settings`` is a ``Settings`` (default: all defaults); ``raw_settings`` adds
    Instellingen rows by their Dutch name, e.g. ``{"Grens hoog risico": "6"}``.
    ``text_dtype="str"`` gives text columns as the register reader makes them
    today (pandas' default string dtype, NaN for missing) instead of ``string``
    with NA, so the analyses can be checked against both.
    """
    settings = settings or Settings()
    if raw_settings:
        raw = dict(settings.raw) | {header_key(k): v for k, v in raw_settings.items()}
        tuning = dict(settings.tuning) | {
            s.field: read_setting(s, raw_settings[s.name]) for s in TUNING_SETTINGS if s.name in raw_settings
        }
        settings = dataclasses.replace(settings, raw=MappingProxyType(raw), tuning=MappingProxyType(tuning))

    named = [row["debtor_id"] for rows in (invoices, payments, actions, arrangements) for row in rows]
    listed = {row["debtor_id"] for row in debtors}
    debtor_rows = [dict(row) for row in debtors]
    for debtor_id in dict.fromkeys(named):
        if debtor_id not in listed:
            debtor_rows.append({"debtor_id": debtor_id})
            listed.add(debtor_id)
    for row in debtor_rows:
        row.setdefault("name", f"Debiteur {row['debtor_id']}")
        row.setdefault("kind", "zakelijk")
        row.setdefault("country", "NL")
        row.setdefault("payment_term_days", settings.default_term_days)
        row.setdefault("status", "actief")
        row.setdefault("language", "nl")
    debtor_frame = _frame(debtor_rows, DEBTOR_FIELDS, text_dtype)

    terms = dict(zip(debtor_frame["debtor_id"], debtor_frame["payment_term_days"]))
    invoice_rows = [dict(row) for row in invoices]
    for row in invoice_rows:
        if row.get("due_date") is None:
            due = d(row["invoice_date"]) + timedelta(days=int(terms[row["debtor_id"]]))
            row["due_date"] = due.isoformat()
        row.setdefault("disputed", False)

    return Register(
        debtors=debtor_frame,
        invoices=_frame(invoice_rows, INVOICE_FIELDS, text_dtype),
        payments=_frame(payments, PAYMENT_FIELDS, text_dtype),
        actions=_frame(actions, ACTION_FIELDS, text_dtype),
        arrangements=_frame(arrangements, ARRANGEMENT_FIELDS, text_dtype),
        settings=settings,
        policy=DEFAULT_POLICY,
        rate_overrides=(),
    )


def _frame(rows, fields: dict[str, str], text_dtype: str) -> pd.DataFrame:
    rows = [_money_fields(dict(row)) for row in rows]
    for row in rows:
        unknown = set(row) - set(fields)
        if unknown:
            raise TypeError(f"unknown field(s) {sorted(unknown)}; known: {list(fields)}")
    columns = {"excel_row": pd.Series(range(2, len(rows) + 2), dtype="int64")}
    for name, kind in fields.items():
        values = [row.get(name) for row in rows]
        columns[name] = _typed(values, kind, text_dtype)
    return pd.DataFrame(columns)


def _money_fields(row: dict) -> dict:
    for euros, cents in (
        ("amount", "amount_cents"),
        ("credit_limit", "credit_limit_cents"),
        ("promised", "promised_cents"),
    ):
        if euros in row:
            value = row.pop(euros)
            row[cents] = None if value is None else eur(value)
    return row


def _typed(values: list, kind: str, text_dtype: str) -> pd.Series:
    if kind == TEXT:
        return pd.Series(values, dtype=text_dtype)
    if kind == DATE:
        return pd.Series(pd.to_datetime(pd.Series(values, dtype=object))).astype("datetime64[ns]")
    if kind in (CENTS, INT):
        return pd.Series([int(v) for v in values], dtype="int64")
    if kind == OPTIONAL_CENTS:
        return pd.Series(values, dtype="Int64")
    if kind == BOOL:
        return pd.Series([bool(v) for v in values], dtype="bool")
    raise ValueError(kind)
