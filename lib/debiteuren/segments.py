"""Risk segments: a transparent scorecard, plus starters and large organisations.

Each debtor gets points for what the register shows on the peildatum; every
point comes with a Dutch reason. The points and thresholds are settings in
Instellingen (Dutch name, default):

=============================================  =======  =======================================
setting                                        default  points for
=============================================  =======  =======================================
Score te laat vanaf dagen                      7        average days beyond terms, last 12
Score te laat punten                           1        months (amount-weighted), at least ...
Score zeer laat vanaf dagen                    30       ... or at least this many days: these
Score zeer laat punten                         3        points instead
Score verslechtering punten                    2        the early-warning signal (payment_behaviour)
Score vervallen aandeel vanaf procent          50       past-due share of the open amount
Score vervallen aandeel punten                 2
Score kredietlimiet vanaf procent              100      balance as a share of the Kredietlimiet
Score kredietlimiet punten                     2        (only where a limit is set)
Score betwisting punten                        1        an open disputed invoice
Score gebroken belofte punten                  2        per broken promise, last 12 months,
Score gebroken beloftes maximaal               4        up to this many points in all
Grens hoog risico                              5        total points for 'hoog'
Grens midden risico                            2        total points for 'midden'; less: 'laag'
=============================================  =======  =======================================

A **broken promise** is a Betalingsbelofte in Acties whose Toegezegde datum
lies before the peildatum (and within the last 12 months) while the debtor's
payments from the day of the promise up to and including that date add up to
less than the Toegezegd bedrag (without an amount: while there was no payment
at all).

Labels: **starter** when Klant sinds lies less than 365 days before the
peildatum; **grote organisatie** when Grootte is 'groot'.

The segment: the register's Segment when filled in (it always wins); otherwise
'hoog' when the score says so, then 'starter', then 'grote organisatie',
otherwise the score's 'midden' or 'laag'. Ratios compared with thresholds are
the ones shown, with one decimal.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date
from decimal import ROUND_CEILING, Decimal

import numpy as np
import pandas as pd

from .ageing import Ageing
from .dutch import format_figure
from .kpi import YEAR_MONTHS, decimals, from_tenths, tenths
from .ledger import Ledger, group_starts, months_before
from .money import format_eur
from .payment_behaviour import PaymentBehaviour
from .register.model import TUNING_NAMES, Register, Settings

HIGH, MEDIUM, LOW = "hoog", "midden", "laag"
STARTER, LARGE = "starter", "grote organisatie"
STARTER_DAYS = 365


@dataclass(frozen=True)
class Scorecard:
    """Points and thresholds; the Dutch setting names are in ``SETTING_NAMES``."""

    late_days: Decimal = Decimal(7)
    late_points: int = 1
    very_late_days: Decimal = Decimal(30)
    very_late_points: int = 3
    worsening_points: int = 2
    overdue_share_pct: Decimal = Decimal(50)
    overdue_share_points: int = 2
    limit_use_pct: Decimal = Decimal(100)
    limit_use_points: int = 2
    dispute_points: int = 1
    broken_promise_points: int = 2
    broken_promise_max: int = 4
    high_from: int = 5
    medium_from: int = 2

    @classmethod
    def from_settings(cls, settings: Settings) -> Scorecard:
        """The scorecard with the Instellingen rows that the register read and checked."""
        return cls(**{f.name: settings.tuning[f.name] for f in fields(cls) if f.name in settings.tuning})

    @classmethod
    def setting_defaults(cls) -> tuple[tuple[str, object], ...]:
        """(Dutch setting name, default) for the Instellingen sheet."""
        return tuple((SETTING_NAMES[f.name], f.default) for f in fields(cls))


SETTING_NAMES = {f.name: TUNING_NAMES[f.name] for f in fields(Scorecard)}


@dataclass(frozen=True)
class Segments:
    """``by_debtor``: one row per debtor of the ledger: ``debtor_id``, ``score``,
    ``risk`` (hoog/midden/laag), ``starter``, ``large``, ``segment`` (the final
    one), ``manual`` (True when the register's Segment decided), ``why`` (the
    reasons in one Dutch line), ``open_cents``, ``overdue_cents``,
    ``disputed_cents``, ``balance_cents``, ``overdue_share`` and ``limit_use``
    (percent, Decimal or None), ``broken_promises``.
    ``reasons``: ``debtor_id``, ``reason`` (Dutch), ``points``, in scoring order.
    ``promises``: the promises judged, with ``paid_cents`` and ``broken``.
    """

    by_debtor: pd.DataFrame
    reasons: pd.DataFrame
    promises: pd.DataFrame
    scorecard: Scorecard


def broken_promises(register: Register, peildatum: date) -> pd.DataFrame:
    """The promises whose date passed in the last 12 months, judged (see the module docstring)."""
    actions = register.actions
    start = pd.Timestamp(months_before(peildatum, YEAR_MONTHS))
    today = pd.Timestamp(peildatum)
    promises = actions.loc[
        actions["kind"].isin(["Betalingsbelofte"]).to_numpy()
        & (actions["promised_date"] < today).to_numpy()
        & (actions["promised_date"] > start).to_numpy()
        & (actions["action_date"] <= today).to_numpy(),
        ["excel_row", "debtor_id", "action_date", "promised_date", "promised_cents"],
    ].reset_index(drop=True)
    payments = register.payments[["debtor_id", "payment_date", "amount_cents"]]
    pairs = promises.reset_index().merge(payments, on="debtor_id", how="inner")
    within = (pairs["payment_date"] >= pairs["action_date"]) & (pairs["payment_date"] <= pairs["promised_date"])
    paid = pairs.loc[within].groupby("index")["amount_cents"].sum()
    promises["paid_cents"] = paid.reindex(promises.index, fill_value=0).astype("int64").to_numpy()
    promised = promises["promised_cents"]
    broken = np.where(
        promised.isna().to_numpy(),
        promises["paid_cents"].to_numpy() == 0,
        promises["paid_cents"].to_numpy() < promised.fillna(0).to_numpy(np.int64),
    )
    promises["broken"] = broken.astype(bool)
    return promises


def score(
    register: Register,
    ledger: Ledger,
    ageing: Ageing,
    behaviour: PaymentBehaviour,
    card: Scorecard | None = None,
) -> Segments:
    """Score every debtor of the ledger and give it its segment."""
    card = card or Scorecard.from_settings(register.settings)
    peildatum = ledger.peildatum
    ids = ledger.debtor_ids
    n = len(ids)
    open_, overdue, disputed, balance = (
        _per_code(ageing.by_debtor, column, n)
        for column in ("open_cents", "overdue_cents", "disputed_cents", "balance_cents")
    )
    limit = pd.array(ledger.per_debtor(register.debtors, "credit_limit_cents"), dtype="Int64")
    limit = limit.fillna(0).to_numpy(np.int64)
    since = pd.Series(ledger.per_debtor(register.debtors, "customer_since")).astype("datetime64[ns]")
    size = pd.Series(ledger.per_debtor(register.debtors, "size"), dtype="string")
    manual = pd.Series(ledger.per_debtor(register.debtors, "segment_override"), dtype="string")

    promises = broken_promises(register, peildatum)
    broken_count = np.zeros(n, np.int64)
    broken_codes = ids.get_indexer(promises.loc[promises["broken"], "debtor_id"].to_numpy(dtype=object))
    np.add.at(broken_count, broken_codes[broken_codes >= 0], 1)

    beyond = behaviour.by_debtor["days_beyond_12m"].to_numpy(dtype=object)
    known = np.array([v is not None for v in beyond], dtype=bool)
    beyond_t = np.array([int(v * 10) if v is not None else 0 for v in beyond], dtype=np.int64)
    share_t = tenths(overdue * 100, np.maximum(open_, 1))
    use_t = tenths(balance * 100, np.maximum(limit, 1))
    very_late = known & (beyond_t >= _tenths_at_least(card.very_late_days))
    late = known & (beyond_t >= _tenths_at_least(card.late_days)) & ~very_late
    shared = (open_ > 0) & (share_t >= _tenths_at_least(card.overdue_share_pct))
    over_limit = (limit > 0) & (use_t >= _tenths_at_least(card.limit_use_pct))
    warned = behaviour.by_debtor["early_warning"].to_numpy(bool)
    promise_points = np.minimum(broken_count * card.broken_promise_points, card.broken_promise_max)
    # (mask, points per debtor, reason per debtor in the mask), in scoring order
    criteria = [
        (very_late, card.very_late_points, lambda i: _late(beyond_t[i])),
        (late, card.late_points, lambda i: _late(beyond_t[i])),
        (warned, card.worsening_points, lambda i: "Betaalgedrag verslechtert (vroegsignaal)"),
        (
            shared,
            card.overdue_share_points,
            lambda i: _figures(share_t[i]) + "% van het openstaande bedrag is vervallen",
        ),
        (
            over_limit,
            card.limit_use_points,
            lambda i: "Saldo is " + _figures(use_t[i]) + "% van de kredietlimiet",
        ),
        (
            disputed > 0,
            card.dispute_points,
            lambda i: "Betwiste facturen open: " + _euros(disputed[i]),
        ),
        (
            broken_count > 0,
            promise_points,
            lambda i: _broken(broken_count[i]),
        ),
    ]
    days_known = (pd.Timestamp(peildatum) - since).dt.days
    starter = (days_known < STARTER_DAYS).fillna(False).to_numpy(bool)
    large = size.isin(["groot"]).to_numpy()
    has_manual = manual.notna().to_numpy()
    manual_text = manual.fillna("").to_numpy(dtype=object)
    criteria += [
        (starter, 0, lambda i: "Klant sinds minder dan een jaar (starter)"),
        (large, 0, lambda i: "Grote organisatie"),
        (has_manual, 0, lambda i: "Segment handmatig vastgelegd: " + manual_text[i]),
    ]

    total = np.zeros(n, np.int64)
    parts = []
    for mask, points, text in criteria:
        where = np.flatnonzero(mask)
        gained = np.broadcast_to(np.asarray(points, dtype=np.int64), (n,))[where]
        total[where] += gained
        reason = np.broadcast_to(np.asarray(text(where), dtype=object), where.shape)
        parts.append(pd.DataFrame({"code": where, "reason": reason, "points": gained}))
    reasons = pd.concat(parts, ignore_index=True).sort_values("code", kind="stable")  # per debtor
    shown = reasons["reason"] + np.where(reasons["points"] > 0, " (+" + reasons["points"].astype(str) + ")", "")
    why = _joined(reasons["code"].to_numpy(np.int64), shown.to_numpy(dtype=object), n)
    risk = np.where(total >= card.high_from, HIGH, np.where(total >= card.medium_from, MEDIUM, LOW))
    segment = np.where(
        has_manual,
        manual_text,
        np.where(risk == HIGH, HIGH, np.where(starter, STARTER, np.where(large, LARGE, risk))),
    )
    share = decimals(share_t, open_ > 0)
    use = decimals(use_t, limit > 0)
    reason_frame = pd.DataFrame(
        {
            "debtor_id": pd.array(ids.to_numpy(dtype=object)[reasons["code"].to_numpy(np.int64)], dtype="string"),
            "reason": pd.array(reasons["reason"].to_numpy(dtype=object), dtype="string"),
            "points": reasons["points"].to_numpy(np.int64),
        }
    )

    by_debtor = pd.DataFrame(
        {
            "debtor_id": pd.array(ids, dtype="string"),
            "score": total,
            "risk": pd.array(risk, dtype="string"),
            "starter": starter,
            "large": large,
            "segment": pd.array(segment, dtype="string"),
            "manual": has_manual,
            "why": pd.array(why, dtype="string"),
            "open_cents": open_,
            "overdue_cents": overdue,
            "disputed_cents": disputed,
            "balance_cents": balance,
            "overdue_share": share,
            "limit_use": use,
            "broken_promises": broken_count,
        }
    )
    return Segments(by_debtor=by_debtor, reasons=reason_frame, promises=promises, scorecard=card)


def _per_code(frame: pd.DataFrame, column: str, n: int) -> np.ndarray:
    """A per-debtor column of a frame with ``debtor_code`` spread over all ``n`` debtors (0 elsewhere)."""
    out = np.zeros(n, np.int64)
    out[frame["debtor_code"].to_numpy(np.int64)] = frame[column].to_numpy(np.int64)
    return out


def _tenths_at_least(threshold: Decimal) -> int:
    """The smallest whole number of tenths that is at least ``threshold``."""
    return int((Decimal(threshold) * 10).to_integral_value(rounding=ROUND_CEILING))


def _joined(codes: np.ndarray, texts: np.ndarray, n: int) -> np.ndarray:
    """Per code (``codes`` sorted) its texts joined with '; '; None for codes without any."""
    out = np.full(n, None, dtype=object)
    starts = np.flatnonzero(group_starts(codes))
    for start, end in zip(starts, np.append(starts[1:], len(codes))):
        out[codes[start]] = "; ".join(texts[start:end])
    return out


def _figures(values_in_tenths: np.ndarray) -> np.ndarray:
    """Dutch texts ('12,5') for whole tenths, each distinct value formatted once."""
    unique, inverse = np.unique(values_in_tenths, return_inverse=True)
    return np.array([format_figure(from_tenths(v)) for v in unique], dtype=object)[inverse]


def _euros(cents: np.ndarray) -> np.ndarray:
    return np.array([format_eur(int(c), cents=True) for c in cents], dtype=object)


def _broken(counts: np.ndarray) -> np.ndarray:
    return np.array(
        [f"{c} gebroken betalings{'belofte' if c == 1 else 'beloftes'} in de laatste 12 maanden" for c in counts],
        dtype=object,
    )


def _late(values_in_tenths: np.ndarray) -> np.ndarray:
    return "Betaalt gemiddeld " + _figures(values_in_tenths) + " dagen na de vervaldatum (laatste 12 maanden)"
