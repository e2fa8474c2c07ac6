"""The hand-over's collection costs: which basis applies (a business debtor's notices of default or fatal
terms, a consumer's 14-day letters), the costs and VAT it gives and the day each part became due (6:44).

Each decision is kept in a record (``Staffel`` and the lines below it); ``hand_over`` renders their
sentences per language, the law (``law/collection_costs``) explains the staffel itself.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

import pandas as pd

from .dunning import (
    FOURTEEN_DAY_LETTER,
    NOTICE_OF_DEFAULT,
    ProposedStep,
    consumer_verzuim_days,
    parse_invoice_list,
    step_term_end,
    term_days_for,
)
from .invoice_interest import debtor_claims
from .law.collection_costs import (
    PER_INVOICE,
    CollectionCosts,
    Invoice,
    business_collection_costs,
    consumer_collection_costs,
)
from .law.deadlines import fourteen_day_term
from .letter_claims import (
    ONE_DAY,
    ZERO,
    business_cost_parts,
    day_after_due,
    flat_cost_parts,
    on_due_dates,
    principal_through,
    spread_by_principal,
)
from .money import cents_to_decimal, round_cents
from .register.model import Register


@dataclass(frozen=True)
class Staffel:
    """The law's collection costs a costs line rests on; the law explains them in the letter's language.

    ``in_default`` for a business debtor; ``term_end`` (the 14-day letter's) for a consumer.
    """

    invoices: tuple[Invoice, ...]
    peildatum: date
    vat_pct: Decimal | None
    in_default: bool | None = None
    term_end: date | None = None

    def result(self, language: str = "nl") -> CollectionCosts:
        if self.term_end is None:
            return business_collection_costs(
                list(self.invoices),
                self.peildatum,
                in_default=bool(self.in_default),
                vat_pct=self.vat_pct,
                language=language,
            )
        return consumer_collection_costs(
            list(self.invoices),
            self.peildatum,
            letter_term_end=self.term_end,
            vat_pct=self.vat_pct,
            language=language,
        )


@dataclass(frozen=True)
class NotInDefault:
    """Business, terms not fatal, no notice whose term ended before the letter date: only € 40 per invoice."""

    invoice_ids: tuple[str, ...]
    letter_date: date
    staffel: Staffel
    flat: Decimal = PER_INVOICE


@dataclass(frozen=True)
class StrictTerms:
    """Business, fatal terms: in verzuim from the day after each due date, the staffel over that day's principal."""

    staffel: Staffel


@dataclass(frozen=True)
class NoticeOfDefault:
    """Business: the first Ingebrekestelling covering ``invoice_ids`` put them in verzuim from ``default_from``."""

    invoice_ids: tuple[str, ...]
    sent: date
    end: date
    default_from: date
    staffel: Staffel
    flat: Decimal = PER_INVOICE


@dataclass(frozen=True)
class FourteenDayLetter:
    """Consumer: what a 14-day letter in the log gives.

    ``outcome``: 'before_default' (sent before the verzuim, nothing), 'no_costs' (the law gives none yet,
    ``staffel`` says why) or 'costs'. ``taken`` (with ``part`` of ``whole`` principal and ``share`` of the
    costs) when this hand-over takes only some of the letter's invoices.
    """

    sent: date
    delivered: date
    last_day: date
    invoice_ids: tuple[str, ...]
    outcome: str
    staffel: Staffel | None = None
    taken: tuple[str, ...] = ()
    part: Decimal | None = None
    whole: Decimal | None = None
    share: Decimal | None = None


@dataclass(frozen=True)
class NoFourteenDayLetter:
    """Consumer: no 14-day letter was sent, so no collection costs (art. 6:96 lid 6 BW)."""


@dataclass(frozen=True)
class CostsPaidFirst:
    """Payments after the costs became due went to them first (6:44): ``paid``; ``owed`` is left."""

    paid: Decimal
    owed: Decimal


@dataclass(frozen=True)
class VatOnCosts:
    """The VAT on the collection costs the creditor cannot deduct."""

    pct: Decimal
    vat: Decimal


def _first_notices(register: Register, step: ProposedStep, ids, letter_date: date) -> dict[str, tuple[date, date]]:
    """invoice_id -> (date, last day of the term) of the first Ingebrekestelling in Acties covering it whose
    term ended before ``letter_date``: from the day after, the debtor is in verzuim (art. 6:82 BW).

    An Acties row names its invoices, or (no invoices named) covers those due before it was sent.
    """
    log = register.actions
    notices = log.loc[
        (log["debtor_id"] == step.debtor_id)
        & (log["kind"] == NOTICE_OF_DEFAULT)
        & (log["action_date"] < pd.Timestamp(letter_date))
    ]
    term = term_days_for(register.policy, NOTICE_OF_DEFAULT)
    due_of = dict(ids)
    first: dict[str, tuple[date, date]] = {}
    for row in notices.itertuples(index=False):
        sent = row.action_date.date()
        end = step_term_end(NOTICE_OF_DEFAULT, sent, term)
        if end >= letter_date:
            continue
        named = parse_invoice_list(row.invoice_ids)
        for invoice_id, due_date in due_of.items():
            if (invoice_id in named if named else due_date < sent) and (
                invoice_id not in first or end < first[invoice_id][1]
            ):
                first[invoice_id] = (sent, end)
    return first


def business_hand_over_costs(register, review, step, claims, letter_date, vat_pct):
    """(costs, VAT, the basis lines' records, invoice_id -> parts (amount incl. VAT, day due)).

    € 40 per invoice is due from the day after its due date, without any reminder (art. 6:96
    lid 4 BW). The staffel above it needs verzuim: with fatal terms from the day after each due
    date (art. 6:83 sub a BW), otherwise from the day after the term of the first Ingebrekestelling
    covering the invoice (art. 6:82 BW); the staffel over the summed principal of the invoices that
    one notice put in verzuim, never less than € 40 per invoice. Without either, only the € 40.
    Each part is due from its own day, so a later payment goes to it first (6:44).
    """
    cache: dict = {}
    costs = vat = ZERO
    basis, due = [], {}
    # The € 40 per invoice is owed from the day after the due date whatever follows: a payment before a
    # notice's term ended went to it first, so the principal the staffel rests on is what is left after.
    flat = flat_cost_parts(
        business_collection_costs(claims, letter_date, in_default=False, vat_pct=vat_pct), claims, vat_pct
    )
    if register.settings.terms_are_fatal:
        groups = [(None, claims)]
    else:
        first = _first_notices(register, step, [(c.invoice_id, c.due_date) for c in claims], letter_date)
        by_notice: dict = {}
        for c in claims:
            by_notice.setdefault(first.get(c.invoice_id), []).append(c)
        groups = sorted(by_notice.items(), key=lambda item: (item[0] is None, item[0] or ()))
    for notice, group in groups:
        ids = tuple(c.invoice_id for c in group)
        if notice is None and not register.settings.terms_are_fatal:
            staffel = Staffel(tuple(group), letter_date, vat_pct, in_default=False)
            basis.append(NotInDefault(ids, letter_date, staffel))
            result = staffel.result()
            parts = business_cost_parts(result, group, vat_pct, day_after_due)
        else:
            if notice is None:
                # The costs became due the day after each due date, so their base is the principal of the
                # due date (payments up to and including it), not of the letter date: a later payment goes
                # to the costs first (6:44) and cannot lower them, as a consumer's rest on the principal
                # at the end of the 14-day term.
                base = on_due_dates(register, review, step, group, cache)
                staffel = Staffel(tuple(base), letter_date, vat_pct, in_default=True)
                basis.append(StrictTerms(staffel))
                rest_from = day_after_due
            else:
                sent, end = notice
                left = principal_through(register, review, step, end, cache, flat)
                base = [Invoice(c.invoice_id, left.get(c.invoice_id, c.principal), c.due_date) for c in group]
                staffel = Staffel(tuple(base), letter_date, vat_pct, in_default=True)
                basis.append(NoticeOfDefault(ids, sent, end, end + ONE_DAY, staffel))
                rest_from = lambda i, since=end + ONE_DAY: since  # noqa: E731
            result = staffel.result()
            parts = business_cost_parts(result, base, vat_pct, rest_from)
        costs, vat = costs + result.costs, vat + result.vat
        for invoice_id, more in parts.items():
            due.setdefault(invoice_id, []).extend(more)
    return costs, vat, tuple(basis), due


def consumer_hand_over_costs(register, review, step, claims, letter_date, vat_pct):
    """(costs, VAT, the basis lines' records, invoice_id -> parts (amount incl. VAT, day due))
    from the valid 14-day letters in the debtor's log.

    The costs of a letter are due from the day after its term ended (6:96 lid 6 BW).

    A 14-day letter's costs are the staffel over the summed principal of all its
    invoices still open (6:96 lid 7 BW), principal as 6:44 leaves it. When this hand-over takes only some of
    them, it claims their share by principal, so two hand-overs never claim more
    than the letter stated.
    """
    log = register.actions
    letters = log.loc[
        (log["debtor_id"] == step.debtor_id)
        & (log["kind"] == FOURTEEN_DAY_LETTER)
        & (log["action_date"] < pd.Timestamp(letter_date))
    ].sort_values("action_date", kind="stable")
    by_id = {c.invoice_id: c for c in claims}
    open_now = review.invoices_by_id.loc[
        (review.invoices_by_id["debtor_id"] == step.debtor_id) & (review.invoices_by_id["open_cents"] > 0)
    ]
    # The principal each open invoice still has by 6:44 (a payment went to interest first).
    left = {
        c.invoice_id: c.outstanding_principal
        for c in debtor_claims(
            register, review.ledger.invoices, step.debtor_id, letter_date, rates=review.rates
        ).invoices
    }
    everything = {
        str(i): Invoice(str(i), left.get(str(i), cents_to_decimal(int(row["open_cents"]))), row["due_date"].date())
        for i, row in open_now.iterrows()
    }
    frame = open_now.reset_index()
    taken: set[str] = set()
    costs = vat = ZERO
    basis = []
    due: dict[str, list[tuple[Decimal, date]]] = {}
    then: dict[date, dict[str, Decimal]] = {}
    for row in letters.itertuples(index=False):
        sent = row.action_date.date()
        named = parse_invoice_list(row.invoice_ids)
        covered = [i for i in everything if i not in taken and (i in named if named else everything[i].due_date < sent)]
        here = [i for i in covered if i in by_id]
        if not here:
            continue
        starts = consumer_verzuim_days(register, frame, sent)
        term = fourteen_day_term(sent)
        letter = FourteenDayLetter(sent, term.delivered, term.last_day, tuple(covered), "before_default")
        if any(i not in starts or starts[i] > sent for i in covered):
            basis.append(letter)
            continue
        # The costs are fixed on the day they become due (the day after the term): over the principal
        # 6:44 left then; a later payment goes to them first and does not lower them.
        at = min(term.last_day, letter_date)
        if at not in then:
            then[at] = {
                c.invoice_id: c.outstanding_principal
                for c in debtor_claims(
                    register, review.ledger.invoices, step.debtor_id, at, rates=review.rates
                ).invoices
            }
        base = {i: Invoice(i, then[at].get(i, everything[i].principal), everything[i].due_date) for i in covered}
        staffel = Staffel(tuple(base[i] for i in covered), letter_date, vat_pct, term_end=term.last_day)
        result = staffel.result()
        if result.costs <= 0:
            basis.append(replace(letter, outcome="no_costs", staffel=staffel))
            continue
        taken.update(covered)
        whole = sum((base[i].principal for i in covered), ZERO)
        part = sum((base[i].principal for i in here), ZERO)
        share_costs, share_vat = result.costs, result.vat
        letter = replace(letter, outcome="costs", staffel=staffel)
        if part != whole:
            share_costs = round_cents(result.costs * part / whole)
            share_vat = round_cents(result.vat * part / whole)
            letter = replace(letter, taken=tuple(here), part=part, whole=whole, share=share_costs)
        costs, vat = costs + share_costs, vat + share_vat
        due_from = term.last_day + ONE_DAY
        for i, part in spread_by_principal(
            share_costs + share_vat, [(i, base[i].principal, due_from) for i in here]
        ).items():
            due.setdefault(i, []).append(part)
        basis.append(letter)
    if not basis:
        basis.append(NoFourteenDayLetter())
    return costs, vat, tuple(basis), due
