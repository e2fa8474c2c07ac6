"""The deterministic generator: debtors, invoices, credit notes, payments, the arrangement, the dossier.

The bulk is vectorised (numpy) so the benchmark can ask for 10,000 debtors; the story's debtors
(story.py) get their invoices and entries on top. Money is integer cents throughout.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from types import MappingProxyType
from typing import Mapping

import numpy as np
import pandas as pd

from .days import OPEN, datetimes, day_number, month_start, next_weekday, previous_weekday
from .names import CONSUMER_PRODUCTS, LARGE_ORGANISATIONS, TRADES, contact_details
from .story import (
    CALL_NOTES,
    CREDIT_CONTROLLER,
    MODERATE,
    PUNCTUAL,
    SIGNATORY,
    SLOW,
    Story,
    cast,
    demo_settings,
    instalments,
    story_actions,
)

DEMO_SEED = 20261031
DEMO_PEILDATUM = date(2026, 10, 31)
MIN_DEBTORS = 30  # the story needs this many debtors
LOG_MONTHS = 3  # months of dossier history before the review month
NOTICE_AFTER_DAYS = 45  # history: a notice of default only for invoices this late


@dataclass(frozen=True)
class DemoRegister:
    """What the generator made: one DataFrame per data sheet, in the schema's fields.

    Columns are the ``Column.field`` names of ``register/schema.py``; money in
    ``*_cents`` int64 (nullable ``Int64`` where optional), dates as
    ``datetime64``, debtor numbers as int. ``roles`` maps a story role
    (``worsening``, ``disputed``, ``promise``, ``arrangement``, ``bankrupt``,
    ``handed_over``, ``starters``, ``large``, ``large_overdue``, ``english``,
    ``low_risk``, ``step_1`` .. ``step_4``, ``step_3_consumer``, ``overpaid``,
    ``unallocated``) to debtor numbers as text, the way the register's reader
    returns them.
    """

    debtors: pd.DataFrame
    invoices: pd.DataFrame
    payments: pd.DataFrame
    actions: pd.DataFrame
    arrangements: pd.DataFrame
    settings: tuple[tuple[str, str], ...]
    end: date
    roles: Mapping[str, tuple[str, ...]]

    def tables(self) -> dict[str, pd.DataFrame]:
        """The data sheets by sheet name."""
        return {
            "Debiteuren": self.debtors,
            "Facturen": self.invoices,
            "Betalingen": self.payments,
            "Acties": self.actions,
            "Regelingen": self.arrangements,
        }


def generate_demo(
    *, debtors: int = 60, months: int = 24, seed: int = DEMO_SEED, end: date = DEMO_PEILDATUM
) -> DemoRegister:
    """The demo register's data, without writing a file."""
    if debtors < MIN_DEBTORS:
        raise ValueError(f"debtors must be at least {MIN_DEBTORS}, got {debtors}")
    if months < 9:
        raise ValueError(f"months must be at least 9 for the story, got {months}")
    return Generator(debtors, months, seed, end).run()


class Generator:
    """One run of the generator: its state is the register being made, step by step."""

    def __init__(self, n: int, months: int, seed: int, end: date):
        self.n = n
        self.months = months
        self.rng = np.random.default_rng(seed)
        self.end = end
        self.E = day_number(end)
        self.start = month_start(end, -(months - 1))
        # The controller's last monthly review: the log is complete up to here;
        # what fell due after it is for the review at ``end`` to propose.
        self.cutoff = day_number(month_start(end, 0)) - 1
        # The dossier has been kept since then (the months before have no log).
        self.log_start = day_number(month_start(end, -LOG_MONTHS))
        self.roles: dict[str, list[int]] = {}

    # -- debtors -----------------------------------------------------------

    def run(self) -> DemoRegister:
        self._debtors()
        cast(self)
        self._invoices()
        self._credit_notes()
        self._number_invoices()
        self._payments()
        self._actions()
        return self._assemble()

    def _debtors(self) -> None:
        rng, n = self.rng, self.n
        n_consumer = round(n * 0.25)
        n_business = n - n_consumer
        n_large = max(3, round(n_business * 0.08))
        n_medium = round(n_business * 0.30)
        business = np.r_[np.full(n_large, 2), np.full(n_medium, 1), np.zeros(n_business - n_large - n_medium, int)]
        size = np.r_[rng.permutation(business), np.full(n_consumer, -1)]  # -1: consumer
        order = rng.permutation(n)
        size = size[order]
        consumer = size < 0

        # Customer since: most long before the history starts, some during it,
        # and starters (small businesses) in the last year.
        start = day_number(self.start)
        since = start - rng.integers(30, 3000, n)
        joined = rng.random(n) < 0.10
        since = np.where(joined, rng.integers(start, self.E - 400, n), since)
        small = np.flatnonzero(size == 0)
        n_starters = max(3, round(n * 0.05))
        starters = rng.choice(small, n_starters, replace=False)
        since[starters] = self.E - rng.integers(60, 330, n_starters)

        # Number debtors in the order they became customers.
        order = np.argsort(since, kind="stable")
        self.since = since[order]
        self.size = size[order]
        self.consumer = consumer[order]
        rank = np.empty(n, int)
        rank[order] = np.arange(n)
        self.roles["starters"] = sorted(rank[starters].tolist())
        self.number = 10001 + np.arange(n)

        term = np.where(self.consumer, 14, rng.choice([14, 30, 30, 30, 30, 60], n))
        self.term = np.where(self.size == 2, rng.choice([30, 60], n), term)
        profile = np.where(
            self.consumer,
            rng.choice([PUNCTUAL, MODERATE], n, p=[0.65, 0.35]),
            rng.choice([PUNCTUAL, MODERATE, SLOW], n, p=[0.55, 0.30, 0.15]),
        )
        self.profile = np.where(self.size == 2, rng.choice([PUNCTUAL, MODERATE, SLOW], n, p=[0.4, 0.2, 0.4]), profile)
        self.slow_centre = rng.uniform(25, 45, n)
        rate = np.select(
            [self.consumer, self.size == 0, self.size == 1],
            [rng.uniform(0.15, 0.5, n), rng.uniform(0.5, 1.4, n), rng.uniform(1.2, 2.4, n)],
            rng.uniform(2.0, 3.5, n),
        )
        self.rate = rate
        low = np.select([self.consumer, self.size == 0, self.size == 1], [50, 250, 400], 2000)
        high = np.select([self.consumer, self.size == 0, self.size == 1], [1500, 4000, 9000], 25000)
        self.amount_range = (low, high)
        self.trade = rng.integers(0, len(TRADES), n)
        self.stop = np.full(n, self.E)  # last possible invoice day
        self.status = np.full(n, "actief", dtype=object)
        self.language = np.full(n, "nl", dtype=object)
        self.segment = np.full(n, None, dtype=object)
        self.notes = np.full(n, None, dtype=object)
        self.country = np.full(n, "NL", dtype=object)
        self.story: dict[int, Story] = {}
        self.worsening_from: int | None = None

    # -- invoices ----------------------------------------------------------

    def _invoices(self) -> None:
        rng, n = self.rng, self.n
        months = [month_start(self.start, m) for m in range(self.months + 1)]
        first = np.array([day_number(m) for m in months[:-1]])
        length = np.diff([day_number(m) for m in months])
        counts = rng.poisson(self.rate[:, None] * np.ones(self.months))
        debtor = np.repeat(np.repeat(np.arange(n), self.months), counts.ravel())
        month = np.repeat(np.tile(np.arange(self.months), n), counts.ravel())
        day = previous_weekday(first[month] + (rng.random(len(month)) * length[month]).astype(int))
        keep = (day >= self.since[debtor]) & (day <= self.stop[debtor]) & (day <= self.E)
        for d, s in self.story.items():
            if s.replace_from is not None:
                keep &= ~((debtor == d) & (day >= s.replace_from))
        debtor, day = debtor[keep], day[keep]
        forced = np.full(len(day), -1)
        tag = np.full(len(day), "", dtype=object)
        extra = [(d, day_, dbt, t) for d, s in self.story.items() for day_, dbt, t in s.invoices]
        if extra:
            ed, eday, edbt, etag = (np.array(x) for x in zip(*extra))
            debtor = np.r_[debtor, ed]
            day = np.r_[day, previous_weekday(eday)]
            forced = np.r_[forced, edbt]
            tag = np.r_[tag, etag.astype(object)]
        low, high = self.amount_range
        net = np.exp(rng.uniform(np.log(low[debtor] / 1.21), np.log(high[debtor] / 1.21))) * 100
        # The story's disputed, promised and arranged invoices are sizeable ones.
        sizeable = np.isin(tag, ["disputed", "promise", "arrangement"])
        net = np.where(sizeable, high[debtor] / 1.21 * rng.uniform(0.55, 0.9, len(net)) * 100, net)
        net_cents = np.round(net).astype(np.int64)
        gross = (net_cents * 121 + 50) // 100  # 21% VAT, half-up on positive cents
        self.inv = pd.DataFrame(
            {
                "debtor": debtor,
                "day": day,
                "cents": gross,
                "forced": forced,
                "tag": tag,
                "credit_of": -1,  # row of the credited invoice, for credit notes
            }
        )

    def _credit_notes(self) -> None:
        """About 2% credit notes: negative amounts, referring to the invoice in Omschrijving."""
        rng, inv = self.rng, self.inv
        eligible = np.flatnonzero(
            ~self.story_debtors[inv["debtor"].to_numpy()] & (inv["day"].to_numpy() <= self.E - 25)
        )
        k = round(len(inv) * 0.02)
        rows = np.sort(rng.choice(eligible, k, replace=False))
        full = rng.random(k) < 0.3
        share = np.where(full, 1.0, rng.uniform(0.1, 0.6, k))
        cents = inv["cents"].to_numpy()[rows]
        credit = np.where(full, cents, np.round(cents * share).astype(np.int64))
        day = next_weekday(inv["day"].to_numpy()[rows] + rng.integers(2, 20, k))
        self.credit_full = dict(zip(rows.tolist(), full.tolist()))
        notes = pd.DataFrame(
            {
                "debtor": inv["debtor"].to_numpy()[rows],
                "day": day,
                "cents": -credit,
                "forced": -1,
                "tag": "credit",
                "credit_of": rows,
            }
        )
        self.inv = pd.concat([inv, notes], ignore_index=True)

    def _number_invoices(self) -> None:
        """Number invoices per year in date order, like an invoicing system does."""
        inv = self.inv
        tiebreak = self.rng.random(len(inv))
        order = np.lexsort((tiebreak, inv["debtor"].to_numpy(), inv["day"].to_numpy()))
        inv = inv.iloc[order].reset_index().rename(columns={"index": "old_row"})
        remap = np.empty(len(inv), int)
        remap[inv["old_row"].to_numpy()] = np.arange(len(inv))
        credit_of = inv["credit_of"].to_numpy()
        inv["credit_of"] = np.where(credit_of >= 0, remap[np.maximum(credit_of, 0)], -1)
        self.credit_full = {int(remap[k]): v for k, v in self.credit_full.items()}
        year = inv["day"].to_numpy().astype("datetime64[D]").astype("datetime64[Y]").astype(int) + 1970
        seq = inv.groupby(year).cumcount().to_numpy() + 1
        width = max(4, len(str(int(seq.max()))))
        inv["id"] = [f"{y}-{s:0{width}d}" for y, s in zip(year.tolist(), seq.tolist())]
        inv["due"] = inv["day"].to_numpy() + self.term[inv["debtor"].to_numpy()]
        self.inv = inv.drop(columns="old_row")

    # -- payments ----------------------------------------------------------

    def _days_beyond_terms(self) -> np.ndarray:
        rng, inv = self.rng, self.inv
        debtor = inv["debtor"].to_numpy()
        m = len(inv)
        profile = self.profile[debtor]
        dbt = np.select(
            [profile == PUNCTUAL, profile == MODERATE],
            [np.clip(np.round(rng.normal(-1, 3, m)), -12, 5), rng.integers(0, 17, m)],
            np.clip(np.round(self.slow_centre[debtor] + rng.normal(0, 7, m)), 20, 55),
        ).astype(np.int64)
        # The worsening payer: 40 days late at first, rising to 70.
        (w,) = self.roles["worsening"]
        day = inv["day"].to_numpy()
        late = (debtor == w) & (day >= self.worsening_from)
        span = max(1, self.E - 30 - self.worsening_from)
        trend = 40 + 30 * (day - self.worsening_from) / span + rng.normal(0, 3, m)
        dbt = np.where(late, np.clip(np.round(trend), 40, 70), dbt).astype(np.int64)
        forced = inv["forced"].to_numpy()
        return np.where(forced >= 0, forced, dbt)

    def _payments(self) -> None:
        rng, inv, E = self.rng, self.inv, self.E
        m = len(inv)
        debtor = inv["debtor"].to_numpy()
        day = inv["day"].to_numpy()
        due = inv["due"].to_numpy()
        cents = inv["cents"].to_numpy()
        is_credit = cents < 0
        credit_of = inv["credit_of"].to_numpy()

        # Amount left to pay after a credit note, and the credit note's day.
        to_pay = cents.copy()
        credited_day = np.full(m, -OPEN)
        notes = np.flatnonzero(is_credit)
        np.add.at(to_pay, credit_of[notes], cents[notes])
        credited_day[credit_of[notes]] = day[notes]

        dbt = self._days_beyond_terms()
        pay = np.where(dbt >= OPEN, OPEN, due + np.minimum(dbt, OPEN))
        pay = np.maximum(pay, np.maximum(day + 1, credited_day + 1))
        pay = np.where(pay >= OPEN, OPEN, next_weekday(pay))
        pay = np.where(pay > E, OPEN, pay)
        paid = ~is_credit & (pay <= E) & (to_pay > 0)
        # When the invoice was settled in full (the dunning log needs it).
        settled = np.where(paid, pay, OPEN)
        settled = np.where(~is_credit & (to_pay <= 0), credited_day, settled)

        rows = np.flatnonzero(paid)
        amount = to_pay[rows].copy()
        when = pay[rows].copy()
        text = np.full(len(rows), None, dtype=object)
        parts: list[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]] = []

        # Partial payments: part first, the rest weeks later (or still open).
        plain = (
            ~self.story_debtors[debtor[rows]]
            & ~self.consumer[debtor[rows]]
            & (credited_day[rows] < 0)
            & (self.profile[debtor[rows]] != PUNCTUAL)
        )
        candidates = np.flatnonzero(plain)
        k = min(len(candidates), max(3, round(len(rows) * 0.015)))
        split = np.sort(rng.choice(candidates, k, replace=False))
        first = (np.round(amount[split] * rng.uniform(0.3, 0.7, k) / 100) * 100).astype(np.int64)
        first = np.clip(first, 100, amount[split] - 100)
        rest_day = next_weekday(when[split] + rng.integers(14, 46, k))
        rest_paid = rest_day <= E
        parts.append(
            (
                rows[split][rest_paid],
                rest_day[rest_paid],
                (amount[split] - first)[rest_paid],
                np.full(rest_paid.sum(), "Restant", dtype=object),
            )
        )
        settled[rows[split]] = np.where(rest_paid, rest_day, OPEN)
        amount[split] = first
        text[split] = "Deelbetaling"
        used = np.zeros(len(rows), bool)
        used[split] = True

        # Payments without an invoice number: the debtor's oldest open invoice, exactly.
        punctual = ~self.story_debtors[debtor] & (self.profile[debtor] == PUNCTUAL) & ~self.consumer[debtor]
        has_credit = np.zeros(self.n, bool)
        has_credit[debtor[is_credit]] = True
        order = np.lexsort((day, debtor))
        # Every earlier invoice of the debtor was settled before this payment.
        group = debtor[order]
        running = pd.Series(np.where(is_credit, -OPEN, settled)[order]).groupby(group).cummax()
        earlier = running.groupby(group).shift(1).fillna(-OPEN).to_numpy()
        oldest_open = np.empty(m, bool)
        oldest_open[order] = earlier < pay[order]
        recent = day >= self.E - 270
        ok = ~used & punctual[rows] & ~has_credit[debtor[rows]] & oldest_open[rows] & recent[rows]
        k = max(3, round(len(rows) * 0.002))
        unallocated = np.sort(rng.choice(np.flatnonzero(ok), k, replace=False))
        text[unallocated] = "Overboeking zonder factuurnummer"
        used[unallocated] = True
        no_reference = np.zeros(len(rows), bool)
        no_reference[unallocated] = True

        # Overpayment: an invoice paid twice, a week apart. It is the debtor's last
        # payment and nothing else was open then, so a credit balance remains.
        last_pay = np.full(self.n, -OPEN)
        np.maximum.at(last_pay, debtor[rows], when)
        again = next_weekday(last_pay + 7)
        open_then = (day <= again[debtor]) & (settled >= last_pay[debtor]) & ~is_credit
        others_open = np.bincount(debtor[open_then], minlength=self.n) > 1
        ok = (
            ~used
            & punctual[rows]
            & (when == last_pay[debtor[rows]])
            & ~others_open[debtor[rows]]
            & (day[rows] >= E - 120)
            & (again[debtor[rows]] <= E)
            & ~has_credit[debtor[rows]]
            & ~np.isin(debtor[rows], debtor[rows[unallocated]])
        )
        # A small register may have no candidate; the story then goes without this one.
        k = min(max(1, round(len(rows) * 0.0005)), int(ok.sum()))
        over = rows[np.sort(rng.choice(np.flatnonzero(ok), k, replace=False))]
        parts.append((over, again[debtor[over]], to_pay[over], np.full(k, "Dubbel betaald", dtype=object)))
        for r in over.tolist():
            self.notes[debtor[r]] = (
                f"Factuur {inv['id'].iat[r]} dubbel betaald; terugbetalen of verrekenen met de volgende factuur."
            )
        self.roles["overpaid"] = sorted({int(d) for d in debtor[over]})
        self.roles["unallocated"] = sorted({int(debtor[rows[r]]) for r in unallocated})

        # The arrangement's first instalment.
        self.instalments = instalments(self)
        (a_row, first_due, first_amount) = self.instalments[0]
        parts.append(
            (
                np.array([a_row]),
                np.array([previous_weekday(first_due - 1)]),
                np.array([first_amount]),
                np.array(["Termijn 1 van 3 (betalingsregeling)"], dtype=object),
            )
        )

        pay_rows = np.concatenate([rows] + [p[0] for p in parts])
        payments = pd.DataFrame(
            {
                "day": np.concatenate([when] + [p[1] for p in parts]),
                "debtor": debtor[pay_rows],
                "row": pay_rows,
                "cents": np.concatenate([amount] + [p[2] for p in parts]).astype(np.int64),
                "text": np.concatenate([text] + [p[3] for p in parts]),
                "no_reference": np.r_[no_reference, np.zeros(len(pay_rows) - len(rows), bool)],
            }
        )
        payments = payments[payments["day"] <= E]
        self.payments = payments.sort_values(["day", "debtor", "row"], kind="stable").reset_index(drop=True)
        self.settled = settled

    # -- the dunning log ---------------------------------------------------

    def _actions(self) -> None:
        """History by the default policy up to the last review, then the story's own entries."""
        inv = self.inv
        debtor = inv["debtor"].to_numpy()
        due = inv["due"].to_numpy()
        dunned = (inv["cents"].to_numpy() > 0) & (inv["tag"].to_numpy() != "disputed")
        settled = self.settled
        reminder = next_weekday(due + 7)
        call = next_weekday(reminder + 7)
        notice = next_weekday(reminder + 12)
        step3 = np.where(self.consumer[debtor], "Veertiendagenbrief", "Ingebrekestelling")
        entries = []
        # No steps once a debtor is bankrupt or handed over.
        log_until = np.full(self.n, self.cutoff)
        log_until[self.roles["bankrupt"]] = self.bankruptcy_day - 1
        log_until[self.roles["handed_over"]] = self.handover_day - 1
        # A formal notice only where the invoice stayed open long (or still is).
        notice_needed = settled > due + NOTICE_AFTER_DAYS
        for when, kind, needed in (
            (reminder, "Betalingsherinnering", True),
            (call, "Telefoongesprek", True),
            (notice, step3, notice_needed),
        ):
            hit = dunned & needed & (settled > when) & (when >= self.log_start) & (when <= log_until[debtor])
            entries.append(
                pd.DataFrame(
                    {
                        "day": when[hit],
                        "debtor": debtor[hit],
                        "kind": kind if isinstance(kind, str) else kind[hit],
                        "id": inv["id"].to_numpy()[hit],
                    }
                )
            )
        log = pd.concat(entries, ignore_index=True)
        log = (
            log.sort_values(["day", "debtor", "kind", "id"], kind="stable")
            .groupby(["day", "debtor", "kind"], sort=False)["id"]
            .agg(", ".join)
            .reset_index()
        )
        kind = log["kind"].to_numpy()
        call_note = np.array(CALL_NOTES, dtype=object)[self.rng.integers(0, len(CALL_NOTES), len(log))]
        log["text"] = np.select(
            [kind == "Betalingsherinnering", kind == "Telefoongesprek", kind == "Ingebrekestelling"],
            [
                "Betalingsherinnering per e-mail verstuurd.",
                call_note,
                "Ingebrekestelling aangetekend en per e-mail verstuurd; termijn 7 dagen.",
            ],
            "Veertiendagenbrief verstuurd; termijn 14 dagen na ontvangst.",
        )
        log["by"] = np.where(np.isin(kind, ["Betalingsherinnering", "Telefoongesprek"]), CREDIT_CONTROLLER, SIGNATORY)
        log["promised_cents"] = pd.array([None] * len(log), dtype="Int64")
        log["promised_day"] = pd.array([None] * len(log), dtype="Int64")
        story = pd.DataFrame(story_actions(self))
        self.actions = (
            pd.concat([log, story], ignore_index=True)
            .sort_values(["day", "debtor"], kind="stable")
            .reset_index(drop=True)
        )

    # -- output ------------------------------------------------------------

    def _assemble(self) -> DemoRegister:
        n, rng = self.n, self.rng
        number = self.number
        details = contact_details(
            rng, self.consumer, self.trade, self.country, self._large_index(), self.roles["english"]
        )
        size_names = np.array(["klein", "middel", "groot"], dtype=object)
        credit_limit = np.select(
            [self.consumer, self.size == 0, self.size == 1],
            [0, rng.choice([500000, 750000, 1000000], n), rng.choice([1500000, 2500000], n)],
            rng.choice([5000000, 10000000], n),
        )
        debtors = pd.DataFrame(
            {
                "debtor_id": number,
                "name": details["name"],
                "kind": np.where(self.consumer, "consument", "zakelijk").astype(object),
                "contact": details["contact"],
                "address": details["address"],
                "postcode": details["postcode"],
                "city": details["city"],
                "country": self.country,
                "email": details["email"],
                "phone": details["phone"],
                "kvk": details["kvk"],
                "payment_term_days": self.term.astype(np.int64),
                "credit_limit_cents": pd.array(np.where(self.consumer, None, credit_limit), dtype="Int64"),
                "customer_since": datetimes(self.since),
                "size": np.where(self.consumer, None, size_names[np.maximum(self.size, 0)]),
                "status": self.status,
                "segment_override": self.segment,
                "language": self.language,
                "iban": details["iban"],
                "notes": self.notes,
            }
        )

        inv = self.inv
        d = inv["debtor"].to_numpy()
        trade_product = np.array([p for _, p in TRADES], dtype=object)[self.trade]
        for i, (_, product) in zip(self._large_index(), LARGE_ORGANISATIONS):
            trade_product[i] = product
        variant = rng.integers(0, 3, len(inv))
        product = trade_product[d]
        business_text = np.where(
            variant == 0,
            "Levering " + product,
            np.where(variant == 1, "Levering " + product + " volgens order", "Maandlevering " + product),
        )
        consumer_text = np.array(CONSUMER_PRODUCTS, dtype=object)[variant]
        text = np.where(self.consumer[d], consumer_text, business_text).astype(object)
        credit = np.flatnonzero(inv["credit_of"].to_numpy() >= 0)
        ids = inv["id"].to_numpy()
        for r in credit.tolist():
            of = inv["credit_of"].iat[r]
            reason = "factuur vervalt (dubbel gefactureerd)" if self.credit_full[of] else "retour ontvangen goederen"
            text[r] = f"Creditnota op factuur {ids[of]}: {reason}"
        reference = np.where(
            self.size[d] == 2,
            "PO " + pd.Series(rng.integers(4500000000, 4500999999, len(inv))).astype(str).to_numpy(),
            None,
        )
        disputed = inv["tag"].to_numpy() == "disputed"
        invoices = pd.DataFrame(
            {
                "invoice_id": ids,
                "debtor_id": number[d],
                "invoice_date": datetimes(inv["day"].to_numpy()),
                "due_date": datetimes(inv["due"].to_numpy()),
                "amount_cents": inv["cents"].to_numpy().astype(np.int64),
                "description": text,
                "reference": reference,
                "disputed": np.where(disputed, "ja", None),  # empty means "nee"
                "dispute_reason": np.where(
                    disputed, "Deel van de partij beschadigd geleverd; retour aangekondigd.", None
                ),
                "invoice_file": None,
            }
        )

        pay = self.payments
        invoice_ref = ids[pay["row"].to_numpy()].astype(object)
        invoice_ref[pay["no_reference"].to_numpy()] = None
        payments = pd.DataFrame(
            {
                "payment_date": datetimes(pay["day"].to_numpy()),
                "debtor_id": number[pay["debtor"].to_numpy()],
                "invoice_id": invoice_ref,
                "amount_cents": pay["cents"].to_numpy().astype(np.int64),
                "description": pay["text"].to_numpy(),
                "bank_reference": None,
            }
        )

        act = self.actions
        actions = pd.DataFrame(
            {
                "action_date": datetimes(act["day"].to_numpy()),
                "debtor_id": number[act["debtor"].to_numpy()],
                "invoice_ids": act["id"].to_numpy(),
                "kind": act["kind"].to_numpy(),
                "description": act["text"].to_numpy(),
                "promised_cents": pd.array(act["promised_cents"], dtype="Int64"),
                "promised_date": datetimes(act["promised_day"]),
                "by": act["by"].to_numpy(),
                "document": None,
                "digest": None,
            }
        )

        (a,) = self.roles["arrangement"]
        arrangements = pd.DataFrame(
            {
                "debtor_id": number[a],
                "instalment": np.arange(1, len(self.instalments) + 1),
                "due_date": datetimes(np.array([day for _, day, _ in self.instalments])),
                "amount_cents": np.array([c for _, _, c in self.instalments], dtype=np.int64),
            }
        )
        roles = {role: tuple(str(number[d]) for d in ds) for role, ds in sorted(self.roles.items())}
        return DemoRegister(
            debtors=debtors,
            invoices=invoices,
            payments=payments,
            actions=actions,
            arrangements=arrangements,
            settings=demo_settings(),
            end=self.end,
            roles=MappingProxyType(roles),
        )

    def _large_index(self) -> list[int]:
        return self.roles["large"][: len(LARGE_ORGANISATIONS)]
