"""Allocation of payments: within a claim (6:44) and between a debtor's claims (6:43)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from debiteuren.law.allocation import OpenClaim, allocate_between_claims, allocate_within_claim
from debiteuren.law.interest import HANDELSRENTE, WETTELIJKE, Claim, Payment, calculate_debtor_interest
from debiteuren.law.rates import LawInputError


def d(text: str) -> date:
    return date.fromisoformat(text)


def eur(text: str) -> Decimal:
    return Decimal(text.replace(".", "").replace(",", "."))


# ---------------------------------------------------------------------------
# 6:44 within one claim


@pytest.mark.parametrize(
    "amount, costs, interest, principal, expected",
    [
        ("30", "40", "10", "100", ("30", "0", "0", "0")),  # costs first
        ("45", "40", "10", "100", ("40", "5", "0", "0")),  # then interest
        ("100", "40", "10", "100", ("40", "10", "50", "0")),  # then principal
        ("200", "40", "10", "100", ("40", "10", "100", "50")),  # the rest is left over
        ("0", "40", "10", "100", ("0", "0", "0", "0")),
    ],
    ids=["costs-only", "costs-then-interest", "then-principal", "overpaid", "nothing"],
)
def test_within_claim_costs_interest_principal(amount, costs, interest, principal, expected):
    split = allocate_within_claim(eur(amount), costs=eur(costs), interest=eur(interest), principal=eur(principal))
    assert tuple(split) == tuple(eur(x) for x in expected)
    assert sum(split) == eur(amount)


def test_within_claim_refuses_a_negative_payment():
    with pytest.raises(LawInputError, match="Een betaling kan niet negatief zijn"):
        allocate_within_claim(eur("-1"), costs=eur("0"), interest=eur("0"), principal=eur("10"))


# ---------------------------------------------------------------------------
# 6:43 between claims


def claim(claim_id, outstanding, due=True, rate="8", due_date="2025-01-31") -> OpenClaim:
    return OpenClaim(claim_id, eur(outstanding), due, Decimal(rate), d(due_date))


def test_due_claims_before_claims_not_yet_due():
    split = allocate_between_claims(eur("150"), [claim("later", "100", due=False, rate="12"), claim("now", "100")])
    assert split.shares == (("now", eur("100")), ("later", eur("50")))


def test_most_onerous_first_then_oldest():
    claims = [
        claim("old-low", "100", rate="4", due_date="2024-01-31"),
        claim("new-high", "100", rate="12", due_date="2025-03-31"),
        claim("old-high", "100", rate="12", due_date="2025-01-31"),
    ]
    split = allocate_between_claims(eur("250"), claims)
    assert split.shares == (("old-high", eur("100")), ("new-high", eur("100")), ("old-low", eur("50")))


def test_equal_claims_share_pro_rata_to_the_cent():
    claims = [claim("A", "100"), claim("B", "100"), claim("C", "100")]
    split = allocate_between_claims(eur("100"), claims)
    assert split.shares == (("A", eur("33,34")), ("B", eur("33,33")), ("C", eur("33,33")))
    assert sum(share for _, share in split.shares) == eur("100")


def test_designated_claim_first_and_the_rest_by_the_statutory_order():
    claims = [claim("F1", "100", rate="12"), claim("F2", "300", rate="4")]
    split = allocate_between_claims(eur("350"), claims, designated="F2")
    assert split.shares == (("F2", eur("300")), ("F1", eur("50")))
    with pytest.raises(LawInputError) as raised:
        allocate_between_claims(eur("10"), claims, designated="F9")
    assert str(raised.value) == "De betaling is bestemd voor vordering 'F9', maar die is er niet."


def test_overpayment_is_left_over():
    split = allocate_between_claims(eur("500"), [claim("F1", "100"), claim("F2", "150")])
    assert split.rest == eur("250")


# ---------------------------------------------------------------------------
# a debtor's claims with interest


def test_debtor_payment_goes_to_the_handelsrente_claim_first_then_within_it_by_6_44():
    claims = [
        Claim("F-cons", eur("1.000"), d("2025-01-01"), WETTELIJKE, due_date=d("2024-12-31")),
        Claim("F-b2b", eur("1.000"), d("2025-01-01"), HANDELSRENTE, due_date=d("2024-12-31"), costs=eur("40")),
    ]
    result = calculate_debtor_interest(claims, [Payment(d("2025-03-31"), eur("1.100"))], d("2025-06-30"))
    (split,) = result.payments
    # F-b2b carries 11,15 % (the most onerous): costs 40 + interest 1000 × 11,15 % × 90/365 = 27.49 + principal 1000
    assert split.shares == (("F-b2b", eur("1.067,49")), ("F-cons", eur("32,51")))
    b2b = result.claim("F-b2b")
    assert (b2b.payments[0].costs, b2b.payments[0].interest, b2b.payments[0].principal) == (
        eur("40"),
        eur("27,49"),
        eur("1.000"),
    )
    assert b2b.outstanding_principal == 0 and b2b.total == 0
    # F-cons: 32.51 goes to its interest 1000 × 6 % × 90/365 = 14.79, then 17.72 principal
    cons = result.claim("F-cons")
    assert (cons.payments[0].interest, cons.payments[0].principal) == (eur("14,79"), eur("17,72"))
    # 982.28 × 6 % × 91/365 = 14.69 more interest up to 30 June
    assert cons.outstanding_principal == eur("982,28")
    assert cons.outstanding_interest == eur("14,69")
    assert result.interest == b2b.interest + cons.interest
    assert result.unallocated == 0


def test_debtor_designation_and_claims_not_yet_due():
    claims = [
        Claim("F1", eur("500"), d("2025-02-01"), HANDELSRENTE, due_date=d("2025-01-31")),
        Claim("F2", eur("500"), d("2025-05-01"), HANDELSRENTE, due_date=d("2025-04-30")),
    ]
    # on 15 March F2 is not yet due: an undesignated payment goes to F1 first
    plain = calculate_debtor_interest(claims, [Payment(d("2025-03-15"), eur("600"))], d("2025-03-31"))
    assert [name for name, _ in plain.payments[0].shares] == ["F1", "F2"]
    # the debtor may designate F2 anyway
    designated = calculate_debtor_interest(claims, [Payment(d("2025-03-15"), eur("200"), "F2")], d("2025-03-31"))
    assert designated.payments[0].shares == (("F2", eur("200")),)
    assert designated.claim("F2").outstanding_principal == eur("300")


def test_debtor_claims_need_distinct_ids():
    claims = [Claim("F1", eur("1"), d("2025-01-01"), WETTELIJKE)] * 2
    with pytest.raises(LawInputError, match="Elke vordering moet een eigen kenmerk hebben"):
        calculate_debtor_interest(claims, [], d("2025-03-31"))
