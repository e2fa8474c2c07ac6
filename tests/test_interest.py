"""Statutory interest: worked examples (arithmetic in the comments), rules, properties, and the
vectorised calculator against the exact one."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

import numpy as np
import pandas as pd
import pytest

from debiteuren.law.interest import (
    HANDELSRENTE,
    LEAP_FEB_28,
    LEAP_MARCH_1,
    ROUND_END,
    ROUND_PERIOD,
    WETTELIJKE,
    InterestResult,
    Payment,
    anniversary,
    calculate_interest,
    interest_to_date_cents,
    uses_provisional_rate,
)
from debiteuren.law.rates import LawInputError, load_rates


def d(text: str) -> date:
    return date.fromisoformat(text)


def eur(text: str) -> Decimal:
    return Decimal(text.replace(".", "").replace(",", "."))


def interest(principal: str, first: str, last: str, kind: str, **options) -> InterestResult:
    return calculate_interest(eur(principal), d(first), d(last), kind, **options)


# ---------------------------------------------------------------------------
# worked examples; every figure is recomputed by hand in the comment (actual days / 365)

WORKED = [
    # € 10.000 handelsrente across the change on 1 July 2025:
    #   10000 × 11,15 % × 30/365 = 91.643836 (periode: 91.64)
    #   10000 × 10,15 % × 31/365 = 86.205479 (periode: 86.21)
    #   sum 177.849315 -> 177.85; periode 91.64 + 86.21 = 177.85
    pytest.param(
        "10.000,00",
        "2025-06-01",
        "2025-07-31",
        HANDELSRENTE,
        True,
        "177,85",
        "177,85",
        id="hand-handelsrente-2025-07-01-change",
    ),
    # € 10.000 handelsrente 2024-01-01 .. 2025-12-31, compounded on 2025-01-01:
    #   2024: 10000 × (12,50 % × 182 + 12,25 % × 184)/365 = 452900/365 = 1240.821918
    #         (periode: 623.29 + 617.53 = 1240.82)
    #   2025 on 11240.821918: × 11,15 % × 181/365 = 621.525062; × 10,15 % × 184/365 = 575.160521
    #         (periode on 11240.82: 621.5249 -> 621.52; 575.1604 -> 575.16)
    #   einde 1240.821918 + 621.525062 + 575.160521 = 2437.507500 -> 2437.51
    #   periode 1240.82 + 621.52 + 575.16 = 2437.50
    pytest.param(
        "10.000,00",
        "2024-01-01",
        "2025-12-31",
        HANDELSRENTE,
        True,
        "2437,51",
        "2437,50",
        id="hand-handelsrente-compound-2024-2025",
    ),
    # same, simple: 1240.821918 + 10000 × 11,15 % × 181/365 (552.917808)
    #   + 10000 × 10,15 % × 184/365 (511.671233) = 2305.410959 -> 2305.41;
    #   periode 623.29 + 617.53 + 552.92 + 511.67 = 2305.41
    pytest.param(
        "10.000,00",
        "2024-01-01",
        "2025-12-31",
        HANDELSRENTE,
        False,
        "2305,41",
        "2305,41",
        id="hand-handelsrente-simple-2024-2025",
    ),
    # € 1.000 wettelijke rente in 2023: 4 % for 181 days, 6 % for 184 days
    #   1000 × 4 % × 181/365 = 19.835616 (19.84); 1000 × 6 % × 184/365 = 30.246575 (30.25)
    #   einde 50.082192 -> 50.08; periode 19.84 + 30.25 = 50.09: the conventions differ
    pytest.param(
        "1.000,00",
        "2023-01-01",
        "2023-12-31",
        WETTELIJKE,
        True,
        "50,08",
        "50,09",
        id="hand-wettelijke-2023-conventions-differ",
    ),
    # € 1.000 wettelijke rente 2015-2016 at 2 %; 2016 has 366 days, each 1/365 of the rate:
    #   2015: 1000 × 2 % × 365/365 = 20.00 (periode 9.92 + 10.08 = 20.00)
    #   2016 on 1020: 1020 × 2 % × 366/365 = 20.455890 -> total 40.455890 -> 40.46
    #   periode: 1020 × 2 % × 182/365 = 10.1721 (10.17) + × 184/365 = 10.2838 (10.28) -> 40.45
    pytest.param(
        "1.000,00",
        "2015-01-01",
        "2016-12-31",
        WETTELIJKE,
        True,
        "40,46",
        "40,45",
        id="hand-wettelijke-leap-year-366-over-365",
    ),
    # simple: 20.00 + 1000 × 2 % × 366/365 (20.054795) = 40.054795 -> 40.05
    pytest.param(
        "1.000,00",
        "2015-01-01",
        "2016-12-31",
        WETTELIJKE,
        False,
        "40,05",
        "40,05",
        id="hand-wettelijke-leap-year-simple",
    ),
    # € 10.000 handelsrente from 29 February 2024; anniversary 1 March 2025 (legal.md default):
    #   year 1 (366 days): 10000 × (12,50 % × 123 + 12,25 % × 184 + 11,15 % × 59)/365
    #     = 10000 × 4449.35/36500 = 1219.00 exactly
    #   2025-03-01 .. 03-31 on 11219.00: 11219 × 11,15 % × 31/365 = 106.242393
    #   total 1325.242393 -> 1325.24
    #   periode: 421.232877 -> 421.23, 617.534247 -> 617.53, 180.232877 -> 180.23: year 1 = 1218.99;
    #   11218.99 × 11,15 % × 31/365 = 106.242298 -> 106.24; total 1325.23
    pytest.param(
        "10.000,00",
        "2024-02-29",
        "2025-03-31",
        HANDELSRENTE,
        True,
        "1325,24",
        "1325,23",
        id="hand-handelsrente-29-february-first-day",
    ),
    # Before 2002-12-01 commercial claims carry the 6:119 rate: 2002-11-01 .. 2002-12-31
    #   1000 × 7 % × 30/365 = 5.753425; 1000 × 10,35 % × 31/365 = 8.790411; 14.543836 -> 14.54
    pytest.param(
        "1.000,00",
        "2002-11-01",
        "2002-12-31",
        HANDELSRENTE,
        True,
        "14,54",
        "14,54",
        id="hand-handelsrente-starts-2002-12-01",
    ),
]


@pytest.mark.parametrize("principal, first, last, kind, compound, end_total, period_total", WORKED)
def test_worked_examples_both_rounding_conventions(principal, first, last, kind, compound, end_total, period_total):
    end = interest(principal, first, last, kind, compound=compound, rounding=ROUND_END)
    period = interest(principal, first, last, kind, compound=compound, rounding=ROUND_PERIOD)
    assert (end.interest, period.interest) == (eur(end_total), eur(period_total))
    assert end.total == eur(principal) + eur(end_total)


def test_segments_of_the_compound_example():
    r = interest("10.000,00", "2024-01-01", "2025-12-31", HANDELSRENTE)
    assert [(s.start, s.end, s.days, s.rate_pct) for s in r.segments] == [
        (d("2024-01-01"), d("2024-06-30"), 182, Decimal("12.50")),
        (d("2024-07-01"), d("2024-12-31"), 184, Decimal("12.25")),
        (d("2025-01-01"), d("2025-06-30"), 181, Decimal("11.15")),
        (d("2025-07-01"), d("2025-12-31"), 184, Decimal("10.15")),
    ]
    # the year's interest, 452900/365, is added to the base on the anniversary
    assert Fraction(r.segments[2].capitalised).limit_denominator(365) == Fraction(452900, 365)
    assert r.segments[2].base == r.segments[3].base
    assert abs(r.segments[2].base - 10000 - r.segments[2].capitalised) < Decimal("1e-20")


def test_periode_rounds_each_segment_and_cuts_at_half_years():
    r = interest("10.000,00", "2024-01-01", "2025-12-31", HANDELSRENTE, rounding=ROUND_PERIOD)
    assert [s.interest for s in r.segments] == [eur("623,29"), eur("617,53"), eur("621,52"), eur("575,16")]
    assert r.segments[2].base == eur("11.240,82")
    # an agreed rate never changes, yet the period convention still cuts on 1 January and 1 July
    r = interest(
        "1.000,00", "2025-03-01", "2025-08-31", WETTELIJKE, agreed_rate_pct=Decimal("8"), rounding=ROUND_PERIOD
    )
    assert [(s.start, s.end) for s in r.segments] == [
        (d("2025-03-01"), d("2025-06-30")),
        (d("2025-07-01"), d("2025-08-31")),
    ]


def test_29_february_first_day_anniversary_on_1_march_or_28_february():
    r = interest("10.000,00", "2024-02-29", "2025-03-31", HANDELSRENTE)
    capitalised = [(s.start, s.capitalised) for s in r.segments if s.capitalised]
    assert capitalised == [(d("2025-03-01"), Decimal("1219"))]
    r = interest("10.000,00", "2024-02-29", "2025-03-31", HANDELSRENTE, leap_anniversary=LEAP_FEB_28)
    assert [s.start for s in r.segments if s.capitalised] == [d("2025-02-28")]
    # counted from the first day, not from the previous anniversary: 2028 has a 29 February again
    assert [anniversary(d("2024-02-29"), n) for n in (1, 3, 4, 5)] == [
        d("2025-03-01"),
        d("2027-03-01"),
        d("2028-02-29"),
        d("2029-03-01"),
    ]


def test_rate_changes_inside_a_compounding_year():
    # first day 15 October 2024: the first interest year holds the changes of 1 January and 1 July 2025
    r = interest("5.000,00", "2024-10-15", "2025-11-30", HANDELSRENTE)
    assert [(s.start, s.rate_pct, s.capitalised > 0) for s in r.segments] == [
        (d("2024-10-15"), Decimal("12.25"), False),
        (d("2025-01-01"), Decimal("11.15"), False),
        (d("2025-07-01"), Decimal("10.15"), False),
        (d("2025-10-15"), Decimal("10.15"), True),
    ]
    # 5000 × (12,25 % × 78 + 11,15 % × 181 + 10,15 % × 106)/365 is capitalised exactly
    year_one = Fraction(5000) * (Fraction("12.25") * 78 + Fraction("11.15") * 181 + Fraction("10.15") * 106) / 36500
    assert abs(Fraction(r.segments[3].capitalised) - year_one) < Fraction(1, 10**25)
    assert abs(r.segments[3].base - 5000 - r.segments[3].capitalised) < Decimal("1e-20")


# ---------------------------------------------------------------------------
# payments (6:44)


def test_payment_on_an_anniversary_is_allocated_after_capitalisation():
    # € 1.000 wettelijke rente from 1 March 2024, € 500 paid on 1 March 2025, rounding per period:
    #   2024-03-01..06-30: 1000 × 7 % × 122/365 = 23.397 -> 23.40
    #   2024-07-01..12-31: 1000 × 7 % × 184/365 = 35.288 -> 35.29
    #   2025-01-01..02-28: 1000 × 6 % × 59/365 = 9.699 -> 9.70; year 1 = 68.39, capitalised on 1 March
    #   2025-03-01 (the payment day counts): 1068.39 × 6 % / 365 = 0.1756 -> 0.18
    #   the payment: interest 68.39 + 0.18 = 68.57, principal 500 - 68.57 = 431.43 -> 568.57 left
    r = interest(
        "1.000,00",
        "2024-03-01",
        "2025-04-30",
        WETTELIJKE,
        rounding=ROUND_PERIOD,
        payments=[Payment(d("2025-03-01"), eur("500"))],
    )
    (a,) = r.payments
    assert (a.costs, a.interest, a.principal, a.rest) == (eur("0"), eur("68,57"), eur("431,43"), eur("0"))
    after = [s for s in r.segments if s.start == d("2025-03-02")]
    # 568.57 × 6 % × 60/365 = 5.6078 -> 5.61 (2 March .. 30 April)
    assert [(s.base, s.days, s.interest) for s in after] == [(eur("568,57"), 60, eur("5,61"))]
    assert (r.outstanding_principal, r.outstanding_interest) == (eur("568,57"), eur("5,61"))
    assert r.interest == eur("68,57") + eur("5,61") == r.interest_paid + r.outstanding_interest


def test_payment_larger_than_interest_goes_to_principal_and_the_excess_is_unallocated():
    r = interest(
        "1.000,00",
        "2025-01-01",
        "2025-12-31",
        WETTELIJKE,
        payments=[Payment(d("2025-03-31"), eur("500")), Payment(d("2025-06-30"), eur("600"))],
    )
    first, second = r.payments
    # 1000 × 6 % × 90/365 = 14.794521 -> 14.79 interest, 485.21 principal
    assert (first.interest, first.principal) == (eur("14,79"), eur("485,21"))
    # 514.79 × 6 % × 91/365 = 7.700731 -> 7.70 interest, all 514.79 principal, 77.51 left over
    assert (second.interest, second.principal, second.rest) == (eur("7,70"), eur("514,79"), eur("77,51"))
    assert r.unallocated == eur("77,51")
    assert (r.outstanding_principal, r.outstanding_interest, r.total) == (0, 0, 0)
    assert r.segments[-1].end == d("2025-06-30")  # nothing left to bear interest


def test_payment_smaller_than_interest_leaves_the_rest_to_capitalise():
    # € 10.000 handelsrente from 2024-01-01; on 31 December 2024 (year 1 interest 1240.821918) € 100 is paid:
    # all of it to interest; the remaining 1140.821918 is still added to the base on 1 January 2025
    r = interest("10.000,00", "2024-01-01", "2025-03-31", HANDELSRENTE, payments=[Payment(d("2024-12-31"), eur("100"))])
    assert (r.payments[0].interest, r.payments[0].principal) == (eur("100"), eur("0"))
    last = r.segments[-1]
    assert Fraction(last.capitalised).limit_denominator(365) == Fraction(452900, 365) - 100
    # 11140.821918 × 11,15 % × 90/365 = 306.296296 -> outstanding 1140.821918 + 306.296296 = 1447.118214
    assert r.outstanding_interest == eur("1.447,12")
    assert r.interest == eur("1.547,12")


def test_costs_are_paid_first_and_bear_no_interest():
    r = interest(
        "1.000,00",
        "2025-01-01",
        "2025-12-31",
        WETTELIJKE,
        costs=eur("150"),
        payments=[Payment(d("2025-03-31"), eur("160"))],
    )
    (a,) = r.payments
    assert (a.costs, a.interest, a.principal) == (eur("150"), eur("10"), eur("0"))
    # interest keeps running on the full principal: 1000 × 6 % × 365/365 = 60.00
    assert r.interest == eur("60,00")
    assert (r.outstanding_costs, r.outstanding_interest) == (eur("0"), eur("50,00"))


def test_payment_before_the_first_interest_day_reduces_the_principal():
    r = interest("1.000,00", "2025-01-01", "2025-12-31", WETTELIJKE, payments=[Payment(d("2024-12-15"), eur("400"))])
    assert r.payments[0].principal == eur("400")
    assert r.interest == eur("36,00")  # 600 × 6 %


def test_no_interest_when_the_last_day_precedes_the_first():
    r = interest("1.000,00", "2025-06-01", "2025-05-31", HANDELSRENTE)
    assert (r.interest, r.segments, r.total) == (eur("0"), (), eur("1000"))


# ---------------------------------------------------------------------------
# rate options and input problems


def test_agreed_rate_replaces_and_surcharge_adds():
    agreed = interest("10.000,00", "2025-01-01", "2025-12-31", HANDELSRENTE, agreed_rate_pct=Decimal("12"))
    assert agreed.interest == eur("1.200,00")
    assert agreed.rate_label == "overeengekomen rente 12,00% per jaar"
    surcharge = interest("1.000,00", "2015-01-01", "2015-12-31", WETTELIJKE, surcharge_pct=Decimal("2"))
    assert surcharge.interest == eur("40,00")  # (2 % + 2 points) × 1000
    assert surcharge.segments[0].rate_pct == Decimal("4")


def test_provisional_rates_are_marked():
    assert interest("100", "2026-08-01", "2026-08-31", HANDELSRENTE).provisional  # 10,40 from one source
    assert not interest("100", "2024-08-01", "2024-08-31", HANDELSRENTE).provisional
    r = interest("100", "2026-12-01", "2027-01-31", HANDELSRENTE)
    assert [s.provisional for s in r.segments] == [True, True]  # the row itself, then the assumed rate
    assert r.segments[1].start == d("2027-01-01")


@pytest.mark.parametrize(
    "call, message",
    [
        (
            lambda: interest("1.000,00", "2025-01-01", "2025-12-31", "consument"),
            "Onbekende soort rente 'consument'; kies 'handelsrente' of 'wettelijke'.",
        ),
        (
            lambda: interest("1.000,00", "2025-01-01", "2025-12-31", WETTELIJKE, rounding="dag"),
            "Onbekende afronding 'dag'; kies 'einde' of 'periode'.",
        ),
        (
            lambda: calculate_interest(Decimal("10.005"), d("2025-01-01"), d("2025-12-31"), WETTELIJKE),
            "De hoofdsom moet in hele centen zijn, niet 10.005.",
        ),
        (
            lambda: calculate_interest(Decimal("-1"), d("2025-01-01"), d("2025-12-31"), WETTELIJKE),
            "De hoofdsom moet niet negatief zijn, niet -1.",
        ),
        (
            lambda: interest(
                "1.000,00", "2025-01-01", "2025-06-30", WETTELIJKE, payments=[Payment(d("2025-07-01"), eur("5"))]
            ),
            "De betaling van 01-07-2025 valt na de laatste rentedag 30-06-2025.",
        ),
        (
            lambda: interest(
                "1.000,00",
                "2025-01-01",
                "2025-06-30",
                WETTELIJKE,
                agreed_rate_pct=Decimal("9"),
                surcharge_pct=Decimal("1"),
            ),
            "Geef een overeengekomen rente óf een opslag op de wettelijke rente, niet beide.",
        ),
        (
            lambda: interest("1.000,00", "2000-06-01", "2001-06-30", WETTELIJKE),
            "Er is geen percentage voor de wettelijke rente (art. 6:119 BW) bekend vóór 01-01-2001; 01-06-2000 valt daarvoor.",
        ),
    ],
    ids=["kind", "rounding", "cents", "negative", "payment-after-last-day", "agreed-and-surcharge", "before-table"],
)
def test_input_problems_in_dutch(call, message):
    with pytest.raises(LawInputError) as raised:
        call()
    assert str(raised.value) == message


def _floats_in(value) -> list:
    if isinstance(value, float):
        return [value]
    if dataclasses.is_dataclass(value):
        return [f for field in dataclasses.fields(value) for f in _floats_in(getattr(value, field.name))]
    if isinstance(value, tuple):
        return [f for item in value for f in _floats_in(item)]
    return []


def test_results_are_immutable_and_hold_no_floats():
    r = interest("1.000,00", "2024-03-01", "2025-04-30", WETTELIJKE, payments=[Payment(d("2025-03-01"), eur("500"))])
    assert _floats_in(r) == []
    assert all(isinstance(x, Decimal) for s in r.segments for x in (s.base, s.interest, s.rate_pct, s.capitalised))
    with pytest.raises(dataclasses.FrozenInstanceError):
        r.interest = Decimal(0)


# ---------------------------------------------------------------------------
# properties


def _random_claims(seed: int, count: int):
    rng = np.random.default_rng(seed)
    for _ in range(count):
        first = d("2003-01-01") + timedelta(days=int(rng.integers(0, 8800)))
        yield (
            Decimal(int(rng.integers(1, 5_000_000))) / 100,
            first,
            first + timedelta(days=int(rng.integers(0, 2200))),
            str(rng.choice([HANDELSRENTE, WETTELIJKE])),
        )


@pytest.mark.parametrize("rounding", [ROUND_END, ROUND_PERIOD])
def test_more_days_never_less_interest_and_compound_at_least_simple(rounding):
    for principal, first, last, kind in _random_claims(7, 60):
        now = calculate_interest(principal, first, last, kind, rounding=rounding)
        later = calculate_interest(principal, first, last + timedelta(days=1), kind, rounding=rounding)
        simple = calculate_interest(principal, first, last, kind, rounding=rounding, compound=False)
        assert later.interest >= now.interest
        assert now.interest >= simple.interest


def test_the_two_conventions_differ_by_at_most_half_a_cent_per_segment():
    for principal, first, last, kind in _random_claims(11, 60):
        end = calculate_interest(principal, first, last, kind, compound=False)
        period = calculate_interest(principal, first, last, kind, compound=False, rounding=ROUND_PERIOD)
        assert abs(end.interest - period.interest) <= Decimal("0.005") * len(period.segments) + Decimal("0.01")


# ---------------------------------------------------------------------------
# the vectorised calculator agrees to the cent with the exact one


def _exact_cents(principal_cents, first, last, kind, **options) -> int:
    r = calculate_interest(Decimal(int(principal_cents)) / 100, first, last, kind, **options)
    return int(r.interest * 100)


@pytest.mark.parametrize("compound", [True, False], ids=["compound", "simple"])
@pytest.mark.parametrize("leap", [LEAP_MARCH_1, LEAP_FEB_28], ids=["29feb-to-1mar", "29feb-to-28feb"])
def test_vectorised_agrees_with_exact_on_random_claims(compound, leap):
    rng = np.random.default_rng(20250701)
    count = 300
    principal = rng.integers(1, 100_000_000, count)
    first = np.datetime64("2001-01-01") + rng.integers(0, 9600, count).astype("timedelta64[D]")
    # force the hard cases: 29 February first days, multi-year spans, empty periods
    leap_days = np.array(
        ["2004-02-29", "2008-02-29", "2012-02-29", "2016-02-29", "2020-02-29", "2024-02-29"], dtype="datetime64[D]"
    )
    first[:30] = leap_days[rng.integers(0, len(leap_days), 30)]
    length = rng.integers(0, 3650, count)
    length[30:40] = -rng.integers(1, 40, 10)  # first day after the last
    last = first + length.astype("timedelta64[D]")
    kind = rng.choice([HANDELSRENTE, WETTELIJKE], count)

    fast = interest_to_date_cents(principal, first, last, kind, compound=compound, leap_anniversary=leap)

    exact = [
        _exact_cents(p, f.astype(date), l.astype(date), k, compound=compound, leap_anniversary=leap)
        for p, f, l, k in zip(principal, first, last, kind)
    ]
    assert fast.dtype == np.int64
    assert fast.tolist() == exact
    assert (fast[30:40] == 0).all()
    assert (length[40:] >= 366).sum() > 100  # many multi-year claims were compared


def test_vectorised_rate_change_inside_a_compounding_year_and_29_february():
    first = np.array(["2024-10-15", "2024-02-29", "2020-02-29"], dtype="datetime64[D]")
    result = interest_to_date_cents(
        np.array([500_000, 1_000_000, 1_000_000]), first, np.datetime64("2025-11-30"), "handelsrente"
    )
    assert result.tolist() == [
        _exact_cents(500_000, d("2024-10-15"), d("2025-11-30"), HANDELSRENTE),
        _exact_cents(1_000_000, d("2024-02-29"), d("2025-11-30"), HANDELSRENTE),
        _exact_cents(1_000_000, d("2020-02-29"), d("2025-11-30"), HANDELSRENTE),
    ]


def test_vectorised_takes_pandas_and_skips_what_cannot_bear_interest():
    frame = pd.DataFrame(
        {
            "principal_cents": pd.array([1_000_000, -5_000, 1_000_000, None], dtype="Int64"),
            "first_day": pd.to_datetime(["2025-06-01", "2025-06-01", None, "2025-06-01"]),
            "kind": ["handelsrente", "handelsrente", "wettelijke", "wettelijke"],
        },
        index=["F1", "F2", "F3", "F4"],
    )
    result = interest_to_date_cents(frame["principal_cents"], frame["first_day"], date(2025, 7, 31), frame["kind"])
    assert isinstance(result, pd.Series) and result.dtype == np.int64
    # F1: 177.85 (the worked example); F2 a credit, F3 no first day, F4 no amount: nothing
    assert result.to_dict() == {"F1": 17785, "F2": 0, "F3": 0, "F4": 0}


def test_vectorised_input_problems():
    with pytest.raises(LawInputError, match="moeten gehele getallen zijn"):
        interest_to_date_cents(
            np.array([100.5]), np.array(["2025-01-01"], dtype="datetime64[D]"), date(2025, 2, 1), "wettelijke"
        )
    with pytest.raises(LawInputError, match="Onbekende soort rente 'b2b'"):
        interest_to_date_cents(
            np.array([100]), np.array(["2025-01-01"], dtype="datetime64[D]"), date(2025, 2, 1), "b2b"
        )
    with pytest.raises(LawInputError, match="geen rentepercentage bekend vóór 01-01-2001"):
        interest_to_date_cents(
            np.array([100]), np.array(["2000-01-01"], dtype="datetime64[D]"), date(2025, 2, 1), "wettelijke"
        )


def test_vectorised_uses_the_rates_it_is_given():
    from debiteuren.law.rates import merge_overrides
    from debiteuren.register.model import RateOverride

    rates = merge_overrides(load_rates(), (RateOverride(d("2025-07-01"), None, Decimal("20"), 2),))
    got = interest_to_date_cents(
        np.array([1_000_000]),
        np.array(["2025-07-01"], dtype="datetime64[D]"),
        date(2025, 7, 31),
        "handelsrente",
        rates=rates,
    )
    # 10000 × 20 % × 31/365 = 169.863014 -> 169.86
    assert got.tolist() == [16986]


def test_vectorised_provisional_flag_matches_the_exact_result():
    rng = np.random.default_rng(3)
    first = np.datetime64("2022-01-01") + rng.integers(0, 1800, 200).astype("timedelta64[D]")
    last = first + rng.integers(-10, 900, 200).astype("timedelta64[D]")
    kind = rng.choice([HANDELSRENTE, WETTELIJKE], 200)
    flags = uses_provisional_rate(pd.Series(first), pd.Series(last), pd.Series(kind))
    assert isinstance(flags, pd.Series)
    expected = [
        calculate_interest(Decimal(100), f.astype(date), l.astype(date), k).provisional
        for f, l, k in zip(first, last, kind)
    ]
    assert flags.tolist() == expected
    assert 0 < sum(expected) < 200


def test_vectorised_huge_principals_stay_exact():
    # € 100 billion for 10 years: the int64 product would overflow, Python integers take over
    principal = np.array([10_000_000_000_000, 10_000_000_000_000])
    first = np.array(["2015-01-01", "2025-01-01"], dtype="datetime64[D]")
    last = np.array(["2025-12-31", "2025-12-31"], dtype="datetime64[D]")
    got = interest_to_date_cents(principal, first, last, "handelsrente", compound=False)
    assert got.tolist() == [
        _exact_cents(p, f.astype(date), l.astype(date), HANDELSRENTE, compound=False)
        for p, f, l in zip(principal, first, last)
    ]
