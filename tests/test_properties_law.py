"""Property-based tests of the law engine (issue 9, item 5): random claims and payments.

The rules asserted are those of ``shared/legal.md`` (§2 interest, 6:43/6:44 allocation, §3 BIK),
written out here independently of the implementation: interest is never negative, grows with
the end date, the principal and compounding, and the exact and vectorised engines agree to the
cent; a payment is split exactly (costs, then interest, then principal; nothing more than owed);
collection costs stay within the staffel's bounds and never fall when the principal rises.
"""

from __future__ import annotations

import contextlib
import io
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from debiteuren.cli import main
from debiteuren.law.allocation import OpenClaim, allocate_between_claims, allocate_within_claim
from debiteuren.law.collection_costs import (
    Invoice,
    business_collection_costs,
    collection_costs,
    consumer_collection_costs,
    staffel,
)
from debiteuren.law.interest import (
    HANDELSRENTE,
    LEAP_FEB_28,
    LEAP_MARCH_1,
    ROUND_END,
    ROUND_PERIOD,
    WETTELIJKE,
    Claim,
    Payment,
    calculate_debtor_interest,
    calculate_interest,
    interest_to_date_cents,
    uses_provisional_rate,
)
from debiteuren.law.rates import MAX_AMOUNT, LawInputError, load_rates

RATES = load_rates()
CENT = Decimal("0.01")
ZERO = Decimal(0)
FIRST_RATE_DAY = date(2001, 1, 1)  # legal.md §1a: the first row of the tables

kinds = st.sampled_from([HANDELSRENTE, WETTELIJKE])
first_days = st.dates(min_value=FIRST_RATE_DAY, max_value=date(2026, 12, 31))
# small, ordinary and very large principals (the vectorised engine switches to Python ints above ~10^12 cents)
principal_cents = st.one_of(
    st.integers(1, 10_000), st.integers(1, 100_000_000), st.integers(100_000_000, int(MAX_AMOUNT * 100) - 1)
)
roundings = st.sampled_from([ROUND_END, ROUND_PERIOD])
leap_rules = st.sampled_from([LEAP_MARCH_1, LEAP_FEB_28])
# a first interest day of 29 February is the unsettled case (legal.md §2): draw it often
leap_first_days = st.sampled_from([date(y, 2, 29) for y in (2004, 2008, 2012, 2016, 2020, 2024)])


def euros(cents: int) -> Decimal:
    return Decimal(cents) / 100


@st.composite
def claims(draw, max_years: int = 12):
    """(principal in euros, first interest day, last interest day, kind)."""
    first = draw(st.one_of(first_days, first_days, leap_first_days))
    length = draw(st.integers(-30, 366 * max_years))  # sometimes the last day precedes the first
    return euros(draw(principal_cents)), first, first + timedelta(days=length), draw(kinds)


# ---------------------------------------------------------------------------
# interest


@settings(max_examples=120, deadline=None)
@given(claims(), st.booleans(), roundings, leap_rules)
def test_interest_is_never_negative_and_in_whole_cents(claim, compound, rounding, leap):
    principal, first, last, kind = claim
    r = calculate_interest(
        principal, first, last, kind, rates=RATES, compound=compound, rounding=rounding, leap_anniversary=leap
    )
    assert r.interest >= 0 and r.outstanding_interest >= 0
    assert r.interest == r.interest.quantize(CENT)
    assert all(s.interest >= 0 and s.base >= 0 and s.days >= 1 for s in r.segments)
    if last < first:
        assert r.interest == 0
    # segments tile the period day by day (both ends inclusive)
    if r.segments:
        assert r.segments[0].start == first and r.segments[-1].end == last
        assert all(a.end + timedelta(days=1) == b.start for a, b in zip(r.segments, r.segments[1:]))
        assert sum(s.days for s in r.segments) == (last - first).days + 1
    # interest is at most the highest rate in the tables, compounded, over the period
    years = Fraction((last - first).days + 1, 365) if last >= first else 0
    highest = max(p.rate_pct for k in (HANDELSRENTE, WETTELIJKE) for p in RATES.periods(k))
    bound = Fraction(principal) * ((1 + Fraction(highest) / 100) ** (int(years) + 1) - 1)
    assert Fraction(r.interest) <= bound + Fraction(1, 100)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(principal_cents, st.one_of(first_days, leap_first_days), st.integers(-10, 366 * 15), kinds),
        min_size=1,
        max_size=12,
    ),
    st.booleans(),
    leap_rules,
)
def test_vectorised_interest_agrees_to_the_cent_with_the_exact_engine(rows, compound, leap):
    principal = np.array([p for p, _, _, _ in rows], dtype=np.int64)
    first = np.array([f for _, f, _, _ in rows], dtype="datetime64[D]")
    last = np.array([f + timedelta(days=n) for _, f, n, _ in rows], dtype="datetime64[D]")
    kind = np.array([k for _, _, _, k in rows], dtype=object)
    fast = interest_to_date_cents(principal, first, last, kind, rates=RATES, compound=compound, leap_anniversary=leap)
    provisional = uses_provisional_rate(first, last, kind, rates=RATES)
    assert fast.dtype == np.int64
    for i, (p, f, n, k) in enumerate(rows):
        exact = calculate_interest(
            euros(p), f, f + timedelta(days=n), k, rates=RATES, compound=compound, leap_anniversary=leap
        )
        assert int(fast[i]) == int(exact.interest * 100) >= 0
        assert bool(provisional[i]) == exact.provisional


@settings(max_examples=60, deadline=None)
@given(claims(max_years=8), st.integers(0, 800), st.booleans(), roundings)
def test_interest_never_falls_when_the_last_day_moves_later(claim, extra, compound, rounding):
    principal, first, last, kind = claim
    now = calculate_interest(principal, first, last, kind, rates=RATES, compound=compound, rounding=rounding)
    later = calculate_interest(
        principal, first, last + timedelta(days=extra), kind, rates=RATES, compound=compound, rounding=rounding
    )
    assert later.interest >= now.interest


@settings(max_examples=40, deadline=None)
@given(
    st.integers(1, 10**11),
    st.one_of(first_days, leap_first_days),
    kinds,
    st.booleans(),
    st.lists(st.integers(0, 366 * 20), min_size=2, max_size=40),
)
def test_vectorised_interest_never_falls_along_the_last_days(cents, first, kind, compound, lengths):
    lasts = np.array(sorted(first + timedelta(days=n) for n in lengths), dtype="datetime64[D]")
    size = len(lasts)
    fast = interest_to_date_cents(
        np.full(size, cents, dtype=np.int64),
        np.full(size, first, dtype="datetime64[D]"),
        lasts,
        kind,
        rates=RATES,
        compound=compound,
    )
    assert (np.diff(fast) >= 0).all()
    assert (fast >= 0).all()


@settings(max_examples=60, deadline=None)
@given(claims(), principal_cents, st.booleans(), roundings)
def test_interest_never_falls_when_the_principal_rises(claim, more, compound, rounding):
    principal, first, last, kind = claim
    small = calculate_interest(principal, first, last, kind, rates=RATES, compound=compound, rounding=rounding)
    larger = min(principal + euros(more), MAX_AMOUNT - CENT)
    large = calculate_interest(larger, first, last, kind, rates=RATES, compound=compound, rounding=rounding)
    assert large.interest >= small.interest


@settings(max_examples=60, deadline=None)
@given(claims(), roundings)
def test_compound_interest_is_at_least_simple_interest(claim, rounding):
    principal, first, last, kind = claim
    compound = calculate_interest(principal, first, last, kind, rates=RATES, rounding=rounding)
    simple = calculate_interest(principal, first, last, kind, rates=RATES, rounding=rounding, compound=False)
    if rounding == ROUND_END:
        assert compound.interest >= simple.interest
    else:
        # legal.md §2 (b) rounds every segment, and compounding cuts one more segment at each
        # anniversary: two roundings instead of one may lose a cent there (e.g. € 0,34 over 2004-02-29 ..
        # 2005-03-01: 0,03 compound against 0,04 simple)
        extra_cuts = len(compound.segments) - len(simple.segments)
        assert compound.interest >= simple.interest - CENT * extra_cuts
    if (last - first).days + 1 <= 365:  # no anniversary inside the period: nothing to capitalise
        assert compound.interest == simple.interest


@settings(max_examples=60, deadline=None)
@given(claims(max_years=6), st.data())
def test_simple_interest_is_additive_over_adjacent_periods(claim, data):
    """Both ends are inclusive: [first, middle] and [middle + 1, last] together cover [first, last] once."""
    principal, first, last, kind = claim
    assume(last > first)
    middle = first + timedelta(days=data.draw(st.integers(0, (last - first).days - 1)))
    whole = calculate_interest(principal, first, last, kind, rates=RATES, compound=False)
    left = calculate_interest(principal, first, middle, kind, rates=RATES, compound=False)
    right = calculate_interest(principal, middle + timedelta(days=1), last, kind, rates=RATES, compound=False)
    assert abs(whole.interest - left.interest - right.interest) <= CENT  # each total is rounded once


@settings(max_examples=30, deadline=None)
@given(principal_cents, st.dates(min_value=date(1990, 1, 1), max_value=FIRST_RATE_DAY - timedelta(days=1)), kinds)
def test_a_first_day_before_the_rate_tables_is_a_dutch_input_error(cents, first, kind):
    last = first + timedelta(days=400)
    with pytest.raises(LawInputError, match="bekend"):
        calculate_interest(euros(cents), first, last, kind, rates=RATES)
    with pytest.raises(LawInputError, match="bekend"):
        interest_to_date_cents(
            np.array([cents]),
            np.array([first], dtype="datetime64[D]"),
            np.array([last], dtype="datetime64[D]"),
            kind,
            rates=RATES,
        )


amounts_out_of_range = st.one_of(
    st.integers(10**14, 10**60).map(euros),  # € 10^12 and more, up to 60 digits
    st.integers(10**30, 10**60).map(lambda n: Decimal(n) / 1000),  # and with a tenth of a cent
    st.sampled_from([Decimal("NaN"), Decimal("Infinity"), Decimal("-Infinity"), Decimal("sNaN")]),
)


@settings(max_examples=60, deadline=None)
@given(amounts_out_of_range, first_days, kinds)
def test_amounts_the_engine_cannot_round_are_dutch_input_errors(amount, first, kind):
    """A typo of 40 digits must not end in decimal.InvalidOperation (quantize needs room for the digits)."""
    calls = [
        lambda: calculate_interest(amount, first, first + timedelta(days=30), kind, rates=RATES),
        lambda: calculate_interest(
            Decimal(100), first, first + timedelta(days=30), kind, rates=RATES, payments=[Payment(first, amount)]
        ),
        lambda: calculate_interest(Decimal(100), first, first, kind, rates=RATES, costs=amount),
        lambda: staffel(amount),
        lambda: collection_costs(amount),
        lambda: business_collection_costs([Invoice("F1", amount, first)], first + timedelta(days=1), in_default=True),
        lambda: allocate_within_claim(amount, costs=ZERO, interest=ZERO, principal=Decimal(1)),
        lambda: allocate_between_claims(amount, [OpenClaim("F1", Decimal(1), True, Decimal(8), first)]),
    ]
    for call in calls:
        with pytest.raises(LawInputError):
            call()


@settings(max_examples=20, deadline=None)
@given(st.integers(10**12, 10**60), st.sampled_from(["", ",5", ",001"]), st.sampled_from(["rente", "incassokosten"]))
def test_the_cli_refuses_an_amount_it_cannot_round_in_dutch(whole, decimals, command):
    args = ["--hoofdsom", f"{whole}{decimals}"]
    if command == "rente":
        args += ["--soort", "handelsrente", "--vanaf", "2025-01-01", "--tot", "2025-12-31"]
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()), pytest.raises(SystemExit) as exit_:
        main([command, *args])
    assert exit_.value.code == 2  # argparse: a wrong argument
    assert "te groot" in err.getvalue() and "Traceback" not in err.getvalue()


# ---------------------------------------------------------------------------
# payments within one claim (6:44)


@st.composite
def claims_with_payments(draw):
    principal, first, last, kind = draw(claims(max_years=6))
    assume(last >= first)
    span = (last - first).days
    costs = euros(draw(st.one_of(st.just(0), st.integers(1, 700_000))))
    owed = int(principal * 100) + int(costs * 100)
    payments = draw(
        st.lists(
            # Up to half as much again as owed (overpayments), below the bound every amount must keep.
            st.tuples(st.integers(-60, span), st.integers(1, min(max(2, owed * 3 // 2), int(MAX_AMOUNT * 100) - 1))),
            max_size=6,
        )
    )
    return principal, first, last, kind, costs, [Payment(first + timedelta(days=n), euros(c)) for n, c in payments]


def _assert_split(amount, part_costs, part_interest, part_principal, rest):
    assert min(part_costs, part_interest, part_principal, rest) >= 0
    assert part_costs + part_interest + part_principal + rest == amount


@settings(max_examples=80, deadline=None)
@given(claims_with_payments(), st.booleans(), roundings)
def test_payments_on_one_claim_add_up_and_never_pay_more_than_owed(case, compound, rounding):
    principal, first, last, kind, costs, payments = case
    r = calculate_interest(
        principal, first, last, kind, rates=RATES, compound=compound, rounding=rounding, payments=payments, costs=costs
    )
    for a in r.payments:
        _assert_split(a.amount, a.costs, a.interest, a.principal, a.rest)
    assert sum(a.amount for a in r.payments) == sum(p.amount for p in payments)
    assert r.costs_paid + r.outstanding_costs == costs and r.costs_paid <= costs
    assert r.principal_paid + r.outstanding_principal == principal and r.principal_paid <= principal
    assert r.interest == r.interest_paid + r.outstanding_interest
    assert min(r.outstanding_interest, r.outstanding_principal, r.outstanding_costs, r.interest_paid) >= 0
    assert r.unallocated == sum(a.rest for a in r.payments)
    if r.unallocated > 0:  # an overpayment is left over only when everything was paid
        assert r.outstanding_principal == r.outstanding_costs == 0
    # paying early never makes the interest larger; each payment settles interest in whole cents,
    # which may round a sub-cent remainder up once per payment
    unpaid = calculate_interest(principal, first, last, kind, rates=RATES, compound=compound, rounding=rounding)
    assert r.interest <= unpaid.interest + CENT * len(payments)


@settings(max_examples=30, deadline=None)
@given(claims_with_payments(), st.booleans())
def test_a_payment_reaches_the_principal_only_when_costs_and_interest_are_paid(case, compound):
    """Checked from outside: recompute the claim up to each payment day."""
    principal, first, last, kind, costs, payments = case
    ordered = sorted(payments, key=lambda p: p.day)
    for i, payment in enumerate(ordered):
        before = calculate_interest(
            principal, first, payment.day, kind, rates=RATES, compound=compound, payments=ordered[:i], costs=costs
        )
        after = calculate_interest(
            principal, first, payment.day, kind, rates=RATES, compound=compound, payments=ordered[: i + 1], costs=costs
        )
        a = after.payments[-1]
        owed_costs, owed_interest = before.outstanding_costs, before.outstanding_interest
        assert a.costs == min(payment.amount, owed_costs)
        assert a.interest == min(payment.amount - a.costs, owed_interest)
        assert a.principal == min(payment.amount - a.costs - a.interest, before.outstanding_principal)


@settings(max_examples=300, deadline=None)
@given(*(st.integers(0, 10**10) for _ in range(4)))
def test_allocation_within_a_claim_is_exact_and_in_the_order_of_6_44(amount, costs, interest, principal):
    a = allocate_within_claim(euros(amount), costs=euros(costs), interest=euros(interest), principal=euros(principal))
    _assert_split(euros(amount), a.costs, a.interest, a.principal, a.rest)
    assert a.costs <= euros(costs) and a.interest <= euros(interest) and a.principal <= euros(principal)
    if a.interest > 0:
        assert a.costs == euros(costs)
    if a.principal > 0:
        assert a.costs == euros(costs) and a.interest == euros(interest)
    # an overpayment: everything is paid and what is left is returned as ``rest``
    assert a.rest == max(euros(amount - costs - interest - principal), ZERO)


@settings(max_examples=30, deadline=None)
@given(st.integers(1, 10**8))
def test_a_negative_payment_is_refused(cents):
    with pytest.raises(LawInputError):
        allocate_within_claim(-euros(cents), costs=ZERO, interest=ZERO, principal=euros(cents))
    with pytest.raises(LawInputError):
        allocate_between_claims(-euros(cents), [])


# ---------------------------------------------------------------------------
# payments between claims (6:43)

rates_pct = st.sampled_from([Decimal(0), Decimal("2"), Decimal("4"), Decimal("8"), Decimal("10.15"), Decimal("12.5")])


@st.composite
def open_claims(draw):
    count = draw(st.integers(0, 7))
    result = []
    for i in range(count):
        result.append(
            OpenClaim(
                f"F{i}",
                euros(draw(st.one_of(st.just(0), st.integers(1, 1000), st.integers(1, 10**9)))),
                draw(st.booleans()),
                draw(rates_pct),
                draw(st.dates(min_value=date(2020, 1, 1), max_value=date(2020, 3, 1))),  # narrow: many ties
            )
        )
    return result


def _rank(c: OpenClaim):
    return (not c.due, -c.rate_pct, c.due_date)


@settings(max_examples=300, deadline=None)
@given(open_claims(), st.integers(0, 3 * 10**9), st.data())
def test_allocation_between_claims_is_exact_and_in_the_order_of_6_43(claims_, amount_cents, data):
    designated = data.draw(st.one_of(st.none(), st.sampled_from([c.claim_id for c in claims_]))) if claims_ else None
    amount = euros(amount_cents)
    result = allocate_between_claims(amount, claims_, designated)
    shares = dict(result.shares)
    owed = {c.claim_id: c.outstanding for c in claims_}
    assert len(shares) == len(result.shares)  # each claim once
    assert sum(shares.values(), ZERO) + result.rest == amount
    assert result.rest >= 0
    assert all(0 < share <= owed[claim_id] and share == share.quantize(CENT) for claim_id, share in shares.items())
    if result.rest > 0:  # left over only when every claim is paid in full
        assert all(shares.get(c.claim_id, ZERO) == c.outstanding for c in claims_)
    if designated is not None:
        assert shares.get(designated, ZERO) == min(amount, owed[designated])
    # the statutory order for what the designation did not take
    rest_owed = {cid: owed[cid] - (min(amount, owed[cid]) if cid == designated else ZERO) for cid in owed}
    got = {cid: shares.get(cid, ZERO) - (min(amount, owed[cid]) if cid == designated else ZERO) for cid in owed}
    for low in claims_:
        if got[low.claim_id] > 0:
            for high in claims_:
                if _rank(high) < _rank(low):  # a claim that goes first is paid in full first
                    assert got[high.claim_id] == rest_owed[high.claim_id]
    # equal claims share pro rata to within a cent
    for group_rank in {_rank(c) for c in claims_}:
        group = [c for c in claims_ if _rank(c) == group_rank and rest_owed[c.claim_id] > 0]
        total_owed = sum((rest_owed[c.claim_id] for c in group), ZERO)
        paid = sum((got[c.claim_id] for c in group), ZERO)
        if group and paid < total_owed:
            for c in group:
                exact = Fraction(paid) * Fraction(rest_owed[c.claim_id]) / Fraction(total_owed)
                assert abs(Fraction(got[c.claim_id]) - exact) < Fraction(1, 100)


@st.composite
def debtors(draw):
    count = draw(st.integers(1, 4))
    result = []
    for i in range(count):
        first = draw(st.dates(min_value=date(2015, 1, 1), max_value=date(2025, 12, 31)))
        result.append(
            Claim(
                f"F{i}",
                euros(draw(st.integers(1, 10**8))),
                first,
                draw(kinds),
                due_date=first - timedelta(days=draw(st.integers(1, 60))),
                costs=euros(draw(st.one_of(st.just(0), st.integers(4000, 677_500)))),
            )
        )
    last = draw(st.dates(min_value=date(2026, 1, 1), max_value=date(2026, 12, 31)))
    ids = [c.claim_id for c in result] + [None]
    payments = draw(
        st.lists(
            st.builds(
                Payment,
                st.dates(min_value=date(2014, 6, 1), max_value=last),
                st.integers(1, 2 * 10**8).map(euros),
                st.sampled_from(ids),
            ),
            max_size=6,
        )
    )
    return result, payments, last


@settings(max_examples=40, deadline=None)
@given(debtors(), st.booleans())
def test_a_debtors_payments_are_divided_exactly_and_interest_stays_positive(case, compound):
    claims_, payments, last = case
    r = calculate_debtor_interest(claims_, payments, last, rates=RATES, compound=compound)
    for split in r.payments:
        assert sum((share for _, share in split.shares), ZERO) + split.unallocated == split.amount
        assert split.unallocated >= 0
    paid = {c.claim_id: ZERO for c in claims_}
    for split in r.payments:
        for claim_id, share in split.shares:
            paid[claim_id] += share
    for claim, result in zip(claims_, r.claims):
        assert result.claim_id == claim.claim_id
        assert result.interest >= 0 and result.outstanding_interest >= 0
        assert result.principal_paid + result.outstanding_principal == claim.principal
        assert result.costs_paid + result.outstanding_costs == claim.costs
        assert result.costs_paid + result.interest_paid + result.principal_paid == paid[claim.claim_id]
        assert result.unallocated == 0  # 6:43 never hands a claim more than it owes
    assert r.unallocated + sum(paid.values(), ZERO) == sum((p.amount for p in payments), ZERO)


# ---------------------------------------------------------------------------
# collection costs (BIK)

# legal.md §3, art. 2 of the Besluit: (upper end of the band in cents, percent)
STAFFEL = ((250_000, 15), (500_000, 10), (1_000_000, 5), (20_000_000, 1), (None, Fraction(1, 2)))
MIN_BIK, MAX_BIK = Decimal("40.00"), Decimal("6775.00")


def staffel_by_the_table(cents: int) -> Fraction:
    """The staffel straight from legal.md's table, before the minimum, maximum and rounding."""
    total, lower = Fraction(0), 0
    for upper, pct in STAFFEL:
        part = max(0, (cents if upper is None else min(cents, upper)) - lower)
        total += Fraction(part, 100) * Fraction(pct) / 100
        if upper is None or cents <= upper:
            break
        lower = upper
    return total


bik_principals = st.one_of(st.integers(1, 30_000), st.integers(1, 2_000_000), st.integers(1, 3 * 10**8))


@settings(max_examples=400, deadline=None)
@given(bik_principals)
def test_bik_staffel_follows_the_bands_within_40_and_6775(cents):
    bik = staffel(euros(cents))
    assert MIN_BIK <= bik <= MAX_BIK
    assert bik == bik.quantize(CENT)
    exact = min(max(staffel_by_the_table(cents), Fraction(40)), Fraction(6775))
    assert abs(Fraction(bik) - exact) <= Fraction(1, 200)  # half-up to cents
    if cents >= 100_000_000:  # € 1.000.000 and more: the maximum
        assert bik == MAX_BIK
    if cents <= 26_666:  # 15 % of € 266,66 is below € 40: the minimum
        assert bik == MIN_BIK


@settings(max_examples=300, deadline=None)
@given(
    bik_principals, st.integers(0, 10**7), st.one_of(st.none(), st.sampled_from([Decimal(0), Decimal(9), Decimal(21)]))
)
def test_bik_never_falls_when_the_principal_rises(cents, more, vat_pct):
    low, high = collection_costs(euros(cents), vat_pct=vat_pct), collection_costs(euros(cents + more), vat_pct=vat_pct)
    assert high.costs >= low.costs and high.total >= low.total
    for c in (low, high):
        assert MIN_BIK <= c.costs <= MAX_BIK
        assert c.total == c.costs + c.vat and c.vat >= 0
        assert c.vat == ((c.costs * vat_pct / 100).quantize(CENT, rounding=ROUND_HALF_UP) if vat_pct else ZERO)
        assert c.above_maximum == (c.total > MAX_BIK)
    # no more than the marginal rate of the first band: 15 % of the extra principal (plus rounding)
    assert high.costs - low.costs <= euros(more) * Decimal("0.15") + CENT


@st.composite
def invoices(draw, min_size=0):
    count = draw(st.integers(min_size, 6))
    return [
        Invoice(
            f"F{i}",
            euros(draw(st.one_of(st.just(0), st.integers(1, 50_000), st.integers(1, 10**9)))),
            draw(st.dates(min_value=date(2010, 1, 1), max_value=date(2026, 12, 31))),
        )
        for i in range(count)
    ]


def _eligible(items, peildatum):
    """Legal.md §3: a positive principal, due on or after 2012-07-01, and the due date passed."""
    return [i for i in items if i.principal > 0 and i.due_date >= date(2012, 7, 1) and peildatum > i.due_date]


peildata = st.dates(min_value=date(2012, 1, 1), max_value=date(2027, 6, 30))


@settings(max_examples=200, deadline=None)
@given(invoices(), peildata, st.booleans(), st.booleans())
def test_business_bik_is_40_per_invoice_and_the_staffel_after_default(items, peildatum, in_default, per_invoice):
    c = business_collection_costs(items, peildatum, in_default=in_default, per_invoice_staffel=per_invoice)
    eligible = _eligible(items, peildatum)
    assert set(c.invoices) == {i.invoice_id for i in eligible}
    flat = Decimal(40) * len(eligible)
    if not in_default:
        assert c.costs == flat  # 6:96 lid 4: € 40 per invoice, no more without verzuim
    else:
        assert c.costs >= flat  # never less than € 40 per invoice
        summed = sum((i.principal for i in eligible), ZERO)
        staffel_amount = (
            sum((staffel(i.principal) for i in eligible), ZERO)
            if per_invoice
            else (staffel(summed) if eligible else ZERO)
        )
        assert c.costs == max(flat, staffel_amount)
        if not per_invoice:
            assert c.costs <= max(flat, MAX_BIK)
        else:
            assert c.costs <= MAX_BIK * len(eligible)
    assert c.vat == 0 and c.total == c.costs


@settings(max_examples=150, deadline=None)
@given(invoices(min_size=1), peildata, st.booleans(), st.data())
def test_business_bik_never_falls_when_a_principal_rises(items, peildatum, in_default, data):
    index = data.draw(st.integers(0, len(items) - 1))
    more = euros(data.draw(st.integers(0, 10**8)))
    raised = list(items)
    raised[index] = items[index]._replace(principal=items[index].principal + more)
    before = business_collection_costs(items, peildatum, in_default=in_default)
    after = business_collection_costs(raised, peildatum, in_default=in_default)
    assert after.costs >= before.costs


@settings(max_examples=200, deadline=None)
@given(invoices(), peildata, st.one_of(st.none(), peildata), st.integers(0, 10**6))
def test_consumer_bik_only_after_the_fourteen_day_term_and_within_the_staffel(items, peildatum, term_end, more):
    c = consumer_collection_costs(items, peildatum, letter_term_end=term_end)
    eligible = _eligible(items, peildatum)
    if term_end is None or peildatum <= term_end or not eligible:
        assert c.costs == 0 and c.total == 0
        return
    summed = sum((i.principal for i in eligible), ZERO)
    assert MIN_BIK <= c.costs <= MAX_BIK
    assert c.costs == staffel(summed)  # 6:96 lid 7: the claims in one letter are summed
    # more principal never lowers the costs
    raised = [eligible[0]._replace(principal=eligible[0].principal + euros(more)), *eligible[1:]]
    assert consumer_collection_costs(raised, peildatum, letter_term_end=term_end).costs >= c.costs
    # a letter stating more than the staffel is invalid: no costs at all; less caps them at what it said
    too_much = consumer_collection_costs(items, peildatum, letter_term_end=term_end, stated_costs=c.total + CENT)
    assert too_much.total == 0
    if c.total > MIN_BIK:
        less = c.total - CENT
        assert consumer_collection_costs(items, peildatum, letter_term_end=term_end, stated_costs=less).total == less
