"""The checks across rows and sheets, each ``(frames, settings) -> problems``, and the defaults step.

They run on the typed frames (``sheet_typing``) in ``validation.build_register``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from ..dutch import format_date
from .model import (
    Settings,
)
from .problem_collector import Collector
from .problems import InputProblem
from .schema import (
    MAX_INSTALMENTS,
    MAX_TERM_DAYS,
)

# Above this many days a business term needs express agreement (legal.md §7).
MAX_BUSINESS_TERM_DAYS = 60


# --- cross-sheet checks --------------------------------------------------------


def _check_unique(frame, field, sheet, header, what, problems: Collector) -> None:
    keys = frame[field]
    dup = keys.notna() & keys.duplicated(keep=False)
    if not dup.any():
        return
    first_row = frame.loc[dup].groupby(field, sort=False)["excel_row"].min()
    for value, excel_row in frame.loc[dup & keys.duplicated(keep="first"), [field, "excel_row"]].itertuples(
        index=False
    ):
        problems.error(
            sheet, int(excel_row), header, value, f"een uniek {what} (komt ook voor op rij {first_row[value]})"
        )


def _check_range(frame, field, low, high, sheet, header_of, expected, problems: Collector, money=False) -> None:
    """Values outside low..high (a bound of None is open) are errors."""
    values = frame[field]
    outside = values.notna() & (values < low)
    if high is not None:
        outside |= values.notna() & (values > high)
    for value, excel_row in frame.loc[outside, [field, "excel_row"]].itertuples(index=False):
        problems.error(sheet, int(excel_row), header_of[field], _euro_text(value) if money else value, expected)


def _check_known_debtor(frame, debtor_ids, sheet, header, problems: Collector) -> None:
    unknown = frame["debtor_id"].notna() & ~frame["debtor_id"].isin(debtor_ids)
    if not unknown.any():
        return
    # '01001' typed as text here and 1001 as a number there: say which one the register has.
    without_zeros = {str(k).lstrip("0"): k for k in debtor_ids}
    for value, excel_row in frame.loc[unknown, ["debtor_id", "excel_row"]].itertuples(index=False):
        expected = "een debiteurnummer uit het blad 'Debiteuren'"
        twin = without_zeros.get(str(value).lstrip("0"))
        if twin is not None:
            expected += f" (daar staat '{twin}'; gebruik overal hetzelfde nummer, ook de voorloopnullen)"
        problems.error(sheet, int(excel_row), header, value, expected)


# The sheets build_register types column by column (Instellingen is read row by row).


@dataclass(frozen=True)
class Frames:
    """The typed sheets the checks read, and each sheet's headers as the workbook writes them (field -> header)."""

    debtors: pd.DataFrame
    invoices: pd.DataFrame
    payments: pd.DataFrame
    actions: pd.DataFrame
    arrangements: pd.DataFrame
    headers: Mapping[str, Mapping[str, str]]


Check = Callable[[Frames, Settings], list[InputProblem]]


def check_payment_terms(frames: Frames, settings: Settings) -> list[InputProblem]:
    """A debtor's Betaaltermijn from 0 to 365 days."""
    problems = Collector()
    _check_range(
        frames.debtors, "payment_term_days", 0, MAX_TERM_DAYS, "Debiteuren", frames.headers["Debiteuren"],
        f"0 tot en met {MAX_TERM_DAYS} dagen", problems,
    )  # fmt: skip
    return problems.found()


def check_unique_numbers(frames: Frames, settings: Settings) -> list[InputProblem]:
    """Each debtor number and each invoice number once."""
    problems = Collector()
    h_deb, h_inv = frames.headers["Debiteuren"], frames.headers["Facturen"]
    _check_unique(frames.debtors, "debtor_id", "Debiteuren", h_deb["debtor_id"], "debiteurnummer", problems)
    _check_unique(frames.invoices, "invoice_id", "Facturen", h_inv["invoice_id"], "factuurnummer", problems)
    return problems.found()


def check_invoice_numbers_separable(frames: Frames, settings: Settings) -> list[InputProblem]:
    """No comma or semicolon in an invoice number."""
    # Acties lists a letter's invoices separated by these, so a number holding one could not be found back.
    problems = Collector()
    invoices = frames.invoices
    ids = invoices["invoice_id"].dropna()
    joined = "\n".join(ids.tolist())  # one scan of a joined text: a quarter million numbers in milliseconds
    separated = ids.index[ids.str.contains(r"[,;]", regex=True)] if "," in joined or ";" in joined else []
    for value, excel_row in invoices.loc[separated, ["invoice_id", "excel_row"]].itertuples(index=False):
        problems.error(
            "Facturen", int(excel_row), frames.headers["Facturen"]["invoice_id"], value,
            "een factuurnummer zonder komma of puntkomma (die scheiden de factuurnummers in het blad Acties)",
        )  # fmt: skip
    return problems.found()


def check_known_debtors(frames: Frames, settings: Settings) -> list[InputProblem]:
    """Every debtor number on Facturen, Betalingen, Acties and Regelingen is on Debiteuren."""
    problems = Collector()
    known = pd.Index(frames.debtors["debtor_id"].dropna().unique())
    for frame, sheet in (
        (frames.invoices, "Facturen"),
        (frames.payments, "Betalingen"),
        (frames.actions, "Acties"),
        (frames.arrangements, "Regelingen"),
    ):
        _check_known_debtor(frame, known, sheet, frames.headers[sheet]["debtor_id"], problems)
    return problems.found()


def _due_before_invoice_date(invoices: pd.DataFrame) -> pd.Series:
    return invoices["due_date"].notna() & (invoices["due_date"] < invoices["invoice_date"])


def check_due_dates(frames: Frames, settings: Settings) -> list[InputProblem]:
    """A Vervaldatum, where given, on or after the Factuurdatum."""
    problems = Collector()
    invoices = frames.invoices
    early = _due_before_invoice_date(invoices)
    for due, inv_date, excel_row in invoices.loc[early, ["due_date", "invoice_date", "excel_row"]].itertuples(
        index=False
    ):
        problems.error(
            "Facturen",
            int(excel_row),
            frames.headers["Facturen"]["due_date"],
            due.date(),
            f"een datum op of na de factuurdatum ({format_date(inv_date)})",
        )
    return problems.found()


def check_payments_are_receipts(frames: Frames, settings: Settings) -> list[InputProblem]:
    """Payments are receipts: a refund is not a negative payment."""
    problems = Collector()
    payments = frames.payments
    nonpositive = payments["amount_cents"].notna() & (payments["amount_cents"] <= 0)
    for value, excel_row in payments.loc[nonpositive, ["amount_cents", "excel_row"]].itertuples(index=False):
        problems.error(
            "Betalingen", int(excel_row), frames.headers["Betalingen"]["amount_cents"], _euro_text(value),
            "een positief bedrag (een ontvangst)",
        )  # fmt: skip
    return problems.found()


def check_designated_invoices(frames: Frames, settings: Settings) -> list[InputProblem]:
    """A payment's Factuurnummer, where given, is an invoice of the same debtor."""
    problems = Collector()
    _check_designated_invoices(frames.payments, frames.invoices, frames.headers["Betalingen"], problems)
    return problems.found()


def check_arrangements(frames: Frames, settings: Settings) -> list[InputProblem]:
    """At most four instalments per debtor, numbered 1 to 4, each a positive amount."""
    problems = Collector()
    arrangements, h_arr = frames.arrangements, frames.headers["Regelingen"]
    counts = arrangements.groupby("debtor_id")["instalment"].transform("count")
    too_many = arrangements.loc[counts > MAX_INSTALMENTS]
    for debtor_id, group in too_many.groupby("debtor_id"):
        excel_row = int(group["excel_row"].iloc[MAX_INSTALMENTS])
        problems.error(
            "Regelingen",
            excel_row,
            h_arr["instalment"],
            len(group),
            f"hoogstens {MAX_INSTALMENTS} termijnen per regeling (debiteur {debtor_id} heeft er {len(group)})",
        )
    bad_term = arrangements["instalment"].notna() & ~arrangements["instalment"].between(1, MAX_INSTALMENTS)
    for value, excel_row in arrangements.loc[bad_term, ["instalment", "excel_row"]].itertuples(index=False):
        problems.error(
            "Regelingen", int(excel_row), h_arr["instalment"], value, f"een termijn van 1 tot en met {MAX_INSTALMENTS}"
        )
    _check_range(
        arrangements,
        "amount_cents",
        1,
        None,
        "Regelingen",
        h_arr,
        "een positief bedrag per termijn",
        problems,
        money=True,
    )
    return problems.found()


def warn_long_invoice_terms(frames: Frames, settings: Settings) -> list[InputProblem]:
    """An invoice's own Vervaldatum far after its date (art. 6:119a lid 5 and 6 BW): a warning."""
    problems = Collector()
    invoices = frames.invoices
    given = invoices["due_date"].notna() & ~_due_before_invoice_date(invoices)
    _warn_long_invoice_terms(invoices.loc[given], frames.debtors, settings, frames.headers["Facturen"], problems)
    return problems.found()


def warn_overpayments(frames: Frames, settings: Settings) -> list[InputProblem]:
    """A payment more than everything open at that moment: a warning."""
    problems = Collector()
    _warn_overpayments(frames.invoices, frames.payments, frames.headers["Betalingen"], problems)
    return problems.found()


def warn_long_debtor_terms(frames: Frames, settings: Settings) -> list[InputProblem]:
    """A business debtor's Betaaltermijn (or the default it gets) above 60 days, or when we are an SME a
    large debtor's above 30: a warning."""
    problems = Collector()
    _warn_long_business_terms(frames.debtors, frames.headers["Debiteuren"], problems)
    if settings.company_is_sme:
        _warn_large_debtor_terms(frames.debtors, frames.headers["Debiteuren"], problems)
    return problems.found()


# The checks of what the controller typed, in the order their problems are listed (then sorted by sheet
# and row). They read the frames before the defaults: a default must neither hide nor cause an error.
CHECKS: tuple[Check, ...] = (
    check_payment_terms,
    check_unique_numbers,
    check_invoice_numbers_separable,
    check_known_debtors,
    check_due_dates,
    check_payments_are_receipts,
    check_designated_invoices,
    check_arrangements,
    warn_long_invoice_terms,
    warn_overpayments,
)
# Warnings about what a filled-in default means (a debtor without a term gets Standaard betaaltermijn).
CHECKS_WITH_DEFAULTS: tuple[Check, ...] = (warn_long_debtor_terms,)


def with_defaults(frames: Frames, settings: Settings) -> Frames:
    """The frames with the defaults the design names filled in; the frames given are left as they were.

    A debtor without a Betaaltermijn gets Standaard betaaltermijn, without a status
    'actief', without a language 'nl', without a country 'NL'; an invoice without a
    Vervaldatum is due its debtor's term after its date.

    >>> text = lambda *values: pd.array(values, dtype="string")
    >>> frames = Frames(
    ...     debtors=pd.DataFrame({"debtor_id": text("1", "2"), "payment_term_days": pd.array([None, 30], dtype="Int64"),
    ...                           "status": text(None, "gesloten"), "language": text(None, "en"), "country": text(None, "GB")}),
    ...     invoices=pd.DataFrame({"debtor_id": text("1", "2"), "invoice_date": pd.to_datetime(["2026-06-01"] * 2),
    ...                            "due_date": pd.to_datetime([None, "2026-06-05"])}),
    ...     payments=pd.DataFrame(), actions=pd.DataFrame(), arrangements=pd.DataFrame(), headers={})
    >>> filled = with_defaults(frames, Settings(default_term_days=14))
    >>> filled.debtors.drop(columns="debtor_id").to_dict("records")
    [{'payment_term_days': 14, 'status': 'actief', 'language': 'nl', 'country': 'NL'}, \
{'payment_term_days': 30, 'status': 'gesloten', 'language': 'en', 'country': 'GB'}]
    >>> [day.date().isoformat() for day in filled.invoices["due_date"]]
    ['2026-06-15', '2026-06-05']
    >>> frames.invoices["due_date"].isna().tolist()  # the frames given are left as they were
    [True, False]
    """
    debtors = frames.debtors.assign(
        payment_term_days=frames.debtors["payment_term_days"].fillna(settings.default_term_days).astype(np.int64),
        status=frames.debtors["status"].fillna("actief"),
        language=frames.debtors["language"].fillna("nl"),
        country=frames.debtors["country"].fillna("NL"),
    )
    invoices = frames.invoices
    terms = invoices["debtor_id"].map(debtors.drop_duplicates("debtor_id").set_index("debtor_id")["payment_term_days"])
    # A term out of range is an error of its own; clipped here only so the date arithmetic cannot overflow.
    days = terms.fillna(settings.default_term_days).clip(-MAX_TERM_DAYS, MAX_TERM_DAYS)
    default_due = invoices["invoice_date"] + pd.to_timedelta(days, unit="D")
    invoices = invoices.assign(due_date=invoices["due_date"].fillna(default_due))
    return replace(frames, debtors=debtors, invoices=invoices)


def _euro_text(cents) -> str:
    from ..money import format_eur

    return format_eur(int(cents), cents=True)


def _check_designated_invoices(payments, invoices, h_pay, problems: Collector) -> None:
    designated = np.flatnonzero(payments["invoice_id"].notna().to_numpy())
    if not len(designated):
        return
    # One hash lookup per payment in C (the first of duplicate invoice numbers counts; those are
    # reported elsewhere), then the owners compared as arrays.
    known = invoices.loc[~invoices["invoice_id"].duplicated(), ["invoice_id", "debtor_id"]]
    position = pd.Index(known["invoice_id"]).get_indexer(payments["invoice_id"].iloc[designated])
    owners = known["debtor_id"].to_numpy(dtype=object)
    owner = np.where(position >= 0, owners[np.maximum(position, 0)] if len(owners) else None, None)
    owner_missing = pd.isna(owner)
    payer = payments["debtor_id"].to_numpy(dtype=object)[designated]
    other = ~owner_missing & ~pd.isna(payer) & (owner != payer)
    invoice_ids = payments["invoice_id"].to_numpy(dtype=object)[designated]
    excel_rows = payments["excel_row"].to_numpy()[designated]
    for at in np.flatnonzero(owner_missing | other).tolist():
        if owner_missing[at]:
            expected = "een factuurnummer uit het blad 'Facturen' (of leeg)"
        else:
            expected = f"een factuur van debiteur {payer[at]} (deze factuur hoort bij debiteur {owner[at]})"
        problems.error("Betalingen", int(excel_rows[at]), h_pay["invoice_id"], invoice_ids[at], expected)


def _warn_long_business_terms(debtors, h_deb, problems: Collector) -> None:
    terms = debtors["payment_term_days"]
    long_terms = (debtors["kind"] == "zakelijk") & (terms > MAX_BUSINESS_TERM_DAYS) & (terms <= MAX_TERM_DAYS)
    for days, excel_row in debtors.loc[long_terms, ["payment_term_days", "excel_row"]].itertuples(index=False):
        problems.warn(
            "Debiteuren",
            int(excel_row),
            h_deb["payment_term_days"],
            days,
            "",
            f"Betaaltermijn van {days} dagen voor een zakelijke klant: boven 60 dagen mag alleen als het "
            "uitdrukkelijk is afgesproken en niet onbillijk is (art. 6:119a lid 5 BW).",
        )


# Art. 6:119a lid 6 BW as amended by Stb. 2022, 146: a large company paying an SME may agree at most
# 30 days, for contracts from 2022-07-01 and for all contracts from 2023-07-01 (legal.md §7).
MAX_LARGE_DEBTOR_TERM_DAYS = 30
LARGE_DEBTOR_RULE_FROM = pd.Timestamp("2023-07-01")
_LONG_TERM_TEXT = (
    "boven 60 dagen mag alleen als het uitdrukkelijk is afgesproken en niet onbillijk is (art. 6:119a lid 5 BW)."
)
_LARGE_DEBTOR_TEXT = (
    "een grote onderneming mag met een mkb-onderneming hoogstens 30 dagen afspreken (art. 6:119a lid 6 BW, "
    "Stb. 2022, 146; voor alle overeenkomsten sinds 1 juli 2023); een langere termijn is nietig en dan geldt "
    "30 dagen."
)


def _warn_long_invoice_terms(invoices, debtors, settings, h_inv, problems: Collector) -> None:
    """Per invoice with a Vervaldatum of its own: a business term above 60 days, or (when we are an
    SME) a large debtor's term above 30 days. Credit notes have no term."""
    by_id = debtors.drop_duplicates("debtor_id").set_index("debtor_id")
    kind = invoices["debtor_id"].map(by_id["kind"])
    size = invoices["debtor_id"].map(by_id["size"])
    term = (invoices["due_date"] - invoices["invoice_date"]).dt.days
    business = (kind == "zakelijk") & (invoices["amount_cents"] > 0)
    long_term = business & (term > MAX_BUSINESS_TERM_DAYS)
    large = pd.Series(False, index=invoices.index)
    if settings.company_is_sme:
        large = (
            business
            & (size == "groot")
            & (term > MAX_LARGE_DEBTOR_TERM_DAYS)
            & (invoices["invoice_date"] >= LARGE_DEBTOR_RULE_FROM)
        )
    flagged = invoices.loc[(long_term | large).fillna(False)]
    for row, days, is_large in zip(flagged.itertuples(index=False), term[flagged.index], large[flagged.index]):
        text = _LARGE_DEBTOR_TEXT if is_large else _LONG_TERM_TEXT
        who = "een grote zakelijke klant" if is_large else "een zakelijke klant"
        problems.warn(
            "Facturen",
            int(row.excel_row),
            h_inv["due_date"],
            row.due_date.date(),
            "",
            f"Factuur {row.invoice_id}: betaaltermijn van {int(days)} dagen na de factuurdatum voor {who}: {text}",
        )


def _warn_large_debtor_terms(debtors, h_deb, problems: Collector) -> None:
    """A large business debtor whose Betaaltermijn exceeds 30 days, when we are an SME."""
    terms = debtors["payment_term_days"]
    large = (
        (debtors["kind"] == "zakelijk")
        & (debtors["size"] == "groot")
        & (terms > MAX_LARGE_DEBTOR_TERM_DAYS)
        & (terms <= MAX_BUSINESS_TERM_DAYS)
    )  # above 60 days the general warning already speaks
    for days, excel_row in debtors.loc[large.fillna(False), ["payment_term_days", "excel_row"]].itertuples(index=False):
        problems.warn(
            "Debiteuren", int(excel_row), h_deb["payment_term_days"], days, "",
            f"Betaaltermijn van {days} dagen voor een grote zakelijke klant: {_LARGE_DEBTOR_TEXT}",
        )  # fmt: skip


def _warn_overpayments(invoices, payments, h_pay, problems: Collector) -> None:
    """A payment that takes the debtor's balance below zero: more than everything open then."""
    if payments.empty:
        return
    # A debtor with an invoice whose amount or date could not be read (an error reported already) has
    # an unknown balance: checking its payments would only add false warnings to that one error.
    unreadable = invoices["debtor_id"].notna() & (invoices["invoice_date"].isna() | invoices["amount_cents"].isna())
    if unreadable.any():
        payments = payments.loc[~payments["debtor_id"].isin(set(invoices.loc[unreadable, "debtor_id"]))]
        if payments.empty:
            return
    # In numpy on integer codes: sorting a half million events by debtor number as text is slow.
    parts = []
    for frame, date_field, sign, order in ((invoices, "invoice_date", 1, 0), (payments, "payment_date", -1, 1)):
        valid = (frame["debtor_id"].notna() & frame[date_field].notna() & frame["amount_cents"].notna()).to_numpy()
        rows = frame["excel_row"].to_numpy()[valid] if order else np.full(int(valid.sum()), -1)
        parts.append(
            (
                frame["debtor_id"].to_numpy(dtype=object)[valid],
                frame[date_field].to_numpy()[valid].view(np.int64),
                np.full(int(valid.sum()), order, dtype=np.int8),
                sign * frame["amount_cents"].to_numpy(dtype=np.int64, na_value=0)[valid],
                rows,
            )
        )
    debtor, when, order, delta, excel_row = (np.concatenate(column) for column in zip(*parts))
    codes = pd.factorize(debtor)[0]
    sequence = np.lexsort((order, when, codes))  # stable: ties keep invoices before payments
    codes, order, delta, excel_row = codes[sequence], order[sequence], delta[sequence], excel_row[sequence]
    running = np.cumsum(delta)
    starts = np.flatnonzero(np.r_[True, codes[1:] != codes[:-1]])
    before_debtor = np.r_[0, running[starts[1:] - 1]]  # what earlier debtors added up to
    balance = running - np.repeat(before_debtor, np.diff(np.r_[starts, len(codes)]))
    over = (order == 1) & (balance < 0)
    for excel_row, value in zip(excel_row[over].tolist(), delta[over].tolist()):
        problems.warn(
            "Betalingen",
            int(excel_row),
            h_pay["amount_cents"],
            _euro_text(-value),
            "",
            f"Betaling van {_euro_text(-value)} is groter dan alles wat op dat moment openstond; "
            "het verschil staat als tegoed van de klant in de ouderdom.",
        )
