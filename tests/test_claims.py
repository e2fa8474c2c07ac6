"""One claim calculation (law/claims.py): 6:43 across invoices, 6:44 within, for the review and the letters.

The figures of issue 14 on the demo register are checked against an independent
day-by-day calculation written here (exact fractions, one day at a time), which
shares no code with the engine.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

from debiteuren.invoice_interest import debtor_claims
from debiteuren.law.claims import InvoiceClaim, Payment, calculate_claims, claims_interest_cents
from debiteuren.law.rates import HANDELSRENTE, WETTELIJKE, load_rates
from debiteuren.register import read_register
from debiteuren.review import review
from registers import d

DEMO = Path(__file__).resolve().parent.parent / "workbook" / "debiteuren.xlsx"


# ---------------------------------------------------------------------------
# an independent reference: one day at a time, exact fractions


def reference(claims, payments, last_day, rates):
    """{invoice: (interest charged, principal left, interest owed)} in cents, by 6:43/6:44 one day at a time.

    No compounding: used on periods shorter than a year only.
    """
    state = {
        c.invoice_id: {"p": Fraction(int(c.principal * 100)), "i": Fraction(0), "paid": 0, "claim": c} for c in claims
    }

    def cents(x):  # half-up
        return int((2 * x + 1) // 2)

    def rate(c, day):
        return (
            Fraction(rates.rate_on(c.kind, day).rate_pct) if c.first_interest_day and day >= c.first_interest_day else 0
        )

    start = min([c.first_interest_day for c in claims if c.first_interest_day] + [p.day for p in payments] + [last_day])
    day = start
    pays = sorted(payments, key=lambda p: p.day)
    while day <= last_day:
        for s in state.values():
            s["i"] += s["p"] * rate(s["claim"], day) / 100 / 365
        for p in [p for p in pays if p.day == day]:
            left = int(p.amount * 100)
            order = []
            if p.claim_id in state:
                order.append(p.claim_id)
            rest = sorted(
                state,
                key=lambda k: (
                    state[k]["claim"].due_date > day,
                    -rate(state[k]["claim"], day),
                    state[k]["claim"].due_date,
                ),
            )
            order += [k for k in rest if k != p.claim_id]
            for k in order:
                if left == 0:  # a claim that receives nothing is not touched
                    break
                s = state[k]
                owed_interest = cents(s["i"])
                to_interest = min(left, owed_interest)
                if to_interest == owed_interest:
                    s["i"] = Fraction(0)
                else:
                    s["i"] -= to_interest
                left -= to_interest
                to_principal = min(left, int(s["p"]))
                s["p"] -= to_principal
                left -= to_principal
                s["paid"] += to_interest
        day += timedelta(days=1)
    return {k: (s["paid"] + cents(s["i"]), int(s["p"]), cents(s["i"])) for k, s in state.items()}


# ---------------------------------------------------------------------------
# worked examples


def test_a_payment_pays_the_interest_through_its_day_first():
    # € 1.000 handelsrente from 1 October 2026 (10,40 %), € 500 paid on 5 October:
    #   1.000 x 0,104 x 5 / 365 = 1,4247 -> 1,42 to interest, 498,58 to principal: 501,42 left
    #   6 to 31 October: 501,42 x 0,104 x 26 / 365 = 3,7145 -> 3,71
    s = calculate_claims(
        [InvoiceClaim("F1", Decimal("1000"), d("2026-09-30"), d("2026-10-01"), HANDELSRENTE)],
        [Payment(d("2026-10-05"), Decimal("500"), "F1")],
        d("2026-10-31"),
    )
    f1 = s.invoice("F1")
    assert (f1.interest, f1.outstanding_principal, f1.outstanding_interest) == (
        Decimal("5.13"), Decimal("501.42"), Decimal("3.71"),
    )  # fmt: skip
    assert [(a.interest, a.principal) for a in f1.payments] == [(Decimal("1.42"), Decimal("498.58"))]


def test_an_undesignated_payment_goes_to_the_due_and_oldest_invoice_with_its_interest_first():
    # F1 due 31 Aug, F2 due 30 Sept, both € 1.000 handelsrente; € 1.000 paid on 30 Sept, no invoice named.
    # F1 is due and older: 1 to 30 Sept, 30 days: 1.000 x 0,104 x 30 / 365 = 8,5479 -> 8,55 interest,
    # 991,45 principal: F1 keeps 8,55 principal; F2 gets nothing (6:43 lid 2).
    claims = [
        InvoiceClaim("F1", Decimal("1000"), d("2026-08-31"), d("2026-09-01"), HANDELSRENTE, settled=True),
        InvoiceClaim("F2", Decimal("1000"), d("2026-09-30"), d("2026-10-01"), HANDELSRENTE),
    ]
    s = calculate_claims(claims, [Payment(d("2026-09-30"), Decimal("1000"))], d("2026-10-31"))
    assert s.invoice("F1").outstanding_principal == Decimal("8.55")
    assert s.invoice("F2").outstanding_principal == Decimal("1000.00")
    # F1 is settled in the ledger: its interest (8,55 + 8,55 x 0,104 x 31 / 365 = 0,0755 -> 0,08) is paid-late interest
    assert (s.invoice("F1").interest_paid_late, s.invoice("F1").interest_open) == (Decimal("8.63"), Decimal("0.00"))
    expected = reference(claims, [Payment(d("2026-09-30"), Decimal("1000"))], d("2026-10-31"), load_rates())
    assert {k: v[0] for k, v in expected.items()} == {i.invoice_id: int(i.interest * 100) for i in s.invoices}


# ---------------------------------------------------------------------------
# the demo register (issue 14's figures)


@pytest.fixture(scope="module")
def demo():
    if not DEMO.exists():
        pytest.skip("the demo register workbook/debiteuren.xlsx is not built")
    return read_register(DEMO)


def test_invoice_2026_0513_of_the_demo_register(demo):
    # € 1.517,50 due 16-09-2026, handelsrente 10,40 % from 17-09; € 913,00 paid on 23-10 (designated):
    #   17-09 to 23-10, 37 days: 1.517,50 x 0,104 x 37 / 365 = 15,998 -> 16,00 to interest, 897,00 to principal
    #   24-10 to 31-10, 8 days: 620,50 x 0,104 x 8 / 365 = 1,414 -> 1,41
    #   interest 16,00 + 1,41 = 17,41 (the old review took the payment off the principal: 604,50 -> 7,75)
    result = review(demo, date(2026, 10, 31))
    row = result.interest.set_index("invoice_id").loc["2026-0513"]
    assert (row.interest_cents, row.interest_paid_cents, row.principal_left_cents) == (1741, 1600, 62050)


def test_debtor_10023_on_30_november_as_the_hand_over_must_claim_it(demo):
    statement = debtor_claims(demo, review(demo, date(2026, 11, 30)).ledger.invoices, "10023", date(2026, 11, 30))
    owed = [
        (i.invoice_id, i.outstanding_principal, i.outstanding_interest)
        for i in statement.invoices
        if i.outstanding_principal
    ]
    assert owed == [("2026-0409", Decimal("744.73"), Decimal("3.84"))]
    # the same figures from the independent day-by-day reference
    claims = [i.claim for i in statement.invoices]
    pays = [Payment(p.day, p.amount, p.designated) for p in statement.payments]
    ref = reference(claims, pays, date(2026, 11, 30), load_rates())
    assert ref["2026-0409"][1:] == (74473, 384)


@pytest.mark.parametrize("peildatum", [date(2026, 10, 31), date(2026, 11, 30)])
def test_the_review_agrees_with_the_one_debtor_calculation_on_every_demo_invoice(demo, peildatum):
    result = review(demo, peildatum)
    rows = result.interest.set_index("invoice_id")
    total_late = 0
    for debtor in result.ledger.invoices["debtor_id"].unique():
        statement = debtor_claims(demo, result.ledger.invoices, debtor, peildatum)
        for i in statement.invoices:
            ours = int(
                rows["interest_cents"].get(i.invoice_id, 0) + rows["paid_late_interest_cents"].get(i.invoice_id, 0)
            )
            assert ours == int(i.interest * 100), (debtor, i.invoice_id)
            total_late += int(i.interest_paid_late * 100)
    assert int(result.debtors["paid_late_interest_cents"].sum()) == total_late
    assert total_late > 0


def test_paid_late_interest_of_two_demo_debtors_equals_the_reference(demo):
    # 10017 and 10060 paid late and in parts; their interest periods stay under a year.
    peildatum = date(2026, 10, 31)
    result = review(demo, peildatum)
    rows = result.interest.set_index("invoice_id")
    for debtor in ("10017", "10060"):
        statement = debtor_claims(demo, result.ledger.invoices, debtor, peildatum)
        claims = [i.claim for i in statement.invoices]
        pays = [Payment(p.day, p.amount, p.designated) for p in statement.payments]
        ref = reference(claims, pays, peildatum, demo_rates(result))
        for invoice_id, (interest, _, _) in ref.items():
            ours = int(rows["interest_cents"].get(invoice_id, 0) + rows["paid_late_interest_cents"].get(invoice_id, 0))
            assert ours == interest, invoice_id


def demo_rates(result):
    return result.rates


# ---------------------------------------------------------------------------
# the vectorised engine against the exact one, on random debtors (compounding included)


def test_many_debtors_at_once_equal_one_at_a_time():
    rng = random.Random(14)
    claims, payments = [], []
    for debtor in range(40):
        kind = rng.choice([HANDELSRENTE, WETTELIJKE])
        for n in range(rng.randint(1, 5)):
            due = date(2023, 1, 1) + timedelta(days=rng.randint(0, 1100))
            first = None if rng.random() < 0.1 else due + timedelta(days=rng.choice([1, 1, 15]))
            claims.append(
                (debtor, InvoiceClaim(f"D{debtor}-{n}", Decimal(rng.randint(100, 500_000)) / 100, due, first, kind))
            )
        own = [c for dd, c in claims if dd == debtor]
        for _ in range(rng.randint(0, 6)):
            day = date(2023, 1, 1) + timedelta(days=rng.randint(0, 1400))
            target = rng.choice(own).invoice_id if rng.random() < 0.5 else None
            payments.append((debtor, Payment(day, Decimal(rng.randint(100, 300_000)) / 100, target)))
    last = date(2026, 11, 30)
    ids = [c.invoice_id for _, c in claims]
    number = lambda day: (day - date(1970, 1, 1)).days  # noqa: E731
    out = claims_interest_cents(
        debtor_code=np.array([dd for dd, _ in claims]),
        invoice_id=np.array(ids, dtype=object),
        principal_cents=np.array([int(c.principal * 100) for _, c in claims]),
        due_day=np.array([number(c.due_date) for _, c in claims]),
        first_day=np.array([number(c.first_interest_day) if c.first_interest_day else -1 for _, c in claims]),
        kind=np.array([c.kind for _, c in claims], dtype=object),
        payment_debtor_code=np.array([dd for dd, _ in payments]),
        payment_day=np.array([number(p.day) for _, p in payments]),
        payment_cents=np.array([int(p.amount * 100) for _, p in payments]),
        payment_target=np.array([ids.index(p.claim_id) if p.claim_id else -1 for _, p in payments]),
        last_day=last,
    )
    position = 0
    for debtor in range(40):
        own = [c for dd, c in claims if dd == debtor]
        statement = calculate_claims(own, [p for dd, p in payments if dd == debtor], last)
        for i in statement.invoices:
            assert (out.interest_cents[position], out.interest_paid_cents[position], out.outstanding_principal_cents[position]) == (
                int(i.interest * 100), int(i.result.interest_paid * 100), int(i.outstanding_principal * 100),
            ), i.invoice_id  # fmt: skip
            position += 1
    # most debtors went through the vectorised passes, not the exact fallback
    assert len(out.exact_debtors) < 20
