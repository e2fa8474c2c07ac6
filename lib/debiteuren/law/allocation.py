"""Allocation of payments: within a claim (art. 6:44 BW) and between claims (art. 6:43 BW).

Within one claim a payment goes first to the costs, then to the interest that
has accrued up to the payment day, and only then to the principal (6:44 lid 1):

>>> allocate_within_claim(Decimal("100"), costs=Decimal("40"), interest=Decimal("25.50"),
...                       principal=Decimal("1000"))
WithinClaim(costs=Decimal('40'), interest=Decimal('25.50'), principal=Decimal('34.50'), rest=Decimal('0.00'))
>>> allocate_within_claim(Decimal("2000"), costs=Decimal("0"), interest=Decimal("10"),
...                       principal=Decimal("1000")).rest
Decimal('990')

Between claims of one debtor (6:43): the claim the debtor designates; otherwise
claims that are due before claims that are not, then the most onerous (here: the
highest interest rate on the payment day), then the oldest (earliest due date),
and what is still equal shares pro rata:

>>> claims = [OpenClaim("F1", Decimal("300"), True, Decimal("8"), date(2025, 1, 31)),
...           OpenClaim("F2", Decimal("500"), True, Decimal("12"), date(2025, 3, 31)),
...           OpenClaim("F3", Decimal("900"), False, Decimal("12"), date(2025, 9, 30))]
>>> allocate_between_claims(Decimal("600"), claims)
BetweenClaims(shares=(('F2', Decimal('500.00')), ('F1', Decimal('100.00'))), rest=Decimal('0.00'))
>>> allocate_between_claims(Decimal("600"), claims, designated="F3")
BetweenClaims(shares=(('F3', Decimal('600.00')),), rest=Decimal('0.00'))

Equal claims share pro rata to their outstanding amounts, to the cent:

>>> twins = [OpenClaim("A", Decimal("100"), True, Decimal("8"), date(2025, 1, 31)),
...          OpenClaim("B", Decimal("200"), True, Decimal("8"), date(2025, 1, 31))]
>>> allocate_between_claims(Decimal("100"), twins).shares
(('A', Decimal('33.33')), ('B', Decimal('66.67')))
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import NamedTuple, Sequence

from ..money import cents_to_decimal, to_cents
from .rates import MAX_AMOUNT, LawInputError


class WithinClaim(NamedTuple):
    """How one payment on one claim is split (6:44); ``rest`` is what is left over."""

    costs: Decimal
    interest: Decimal
    principal: Decimal
    rest: Decimal


def allocate_within_claim(amount: Decimal, *, costs: Decimal, interest: Decimal, principal: Decimal) -> WithinClaim:
    """Costs first, then interest accrued to the payment day, then principal (6:44 lid 1)."""
    _check_payment(amount)
    to_costs = min(amount, max(costs, Decimal(0)))
    left = amount - to_costs
    to_interest = min(left, max(interest, Decimal(0)))
    left -= to_interest
    to_principal = min(left, max(principal, Decimal(0)))
    return WithinClaim(to_costs, to_interest, to_principal, left - to_principal)


def _check_payment(amount: object) -> Decimal:
    # NaN cannot even be compared, and a 40-digit amount cannot be rounded to cents
    if not isinstance(amount, Decimal) or not amount.is_finite() or abs(amount) >= MAX_AMOUNT:
        raise LawInputError(f"Een betaling moet een bedrag onder € 1.000.000.000.000 zijn, niet {amount!r}.")
    if amount < 0:
        raise LawInputError(f"Een betaling kan niet negatief zijn ({amount}).")
    return amount


class OpenClaim(NamedTuple):
    """What 6:43 needs to know about one claim on the payment day."""

    claim_id: str
    outstanding: Decimal  # costs + interest + principal still owed
    due: bool  # opeisbaar on the payment day
    rate_pct: Decimal  # the interest running on it that day (0 when none yet): how onerous
    due_date: date  # the oldest claim goes first


class BetweenClaims(NamedTuple):
    """The part of a payment that goes to each claim, in order; ``rest`` is left unallocated."""

    shares: tuple[tuple[str, Decimal], ...]
    rest: Decimal


def allocate_between_claims(
    amount: Decimal, claims: Sequence[OpenClaim], designated: str | None = None
) -> BetweenClaims:
    """Split a payment over a debtor's claims by art. 6:43 BW.

    A designated claim (6:43 lid 1) takes the payment up to what it owes; what is
    left goes by the statutory order (our choice: the designation cannot make the
    creditor keep an overpayment on a settled claim). Works in whole cents.
    """
    left = to_cents(_check_payment(amount))
    owed = {c.claim_id: max(to_cents(c.outstanding), 0) for c in claims}
    shares: dict[str, int] = {}
    if designated is not None:
        if designated not in owed:
            raise LawInputError(f"De betaling is bestemd voor vordering '{designated}', maar die is er niet.")
        take = min(left, owed[designated])
        shares[designated] = take
        owed[designated] -= take
        left -= take

    # 6:43 lid 2: due before not due, most onerous (highest rate), oldest; ties pro rata
    def rank(c: OpenClaim) -> tuple:
        return (not c.due, -c.rate_pct, c.due_date)

    ordered = sorted((c for c in claims if owed[c.claim_id] > 0), key=rank)
    index = 0
    while left > 0 and index < len(ordered):
        group = [ordered[index]]
        while index + len(group) < len(ordered) and rank(ordered[index + len(group)]) == rank(group[0]):
            group.append(ordered[index + len(group)])
        index += len(group)
        for claim_id, cents in _pro_rata(left, [(c.claim_id, owed[c.claim_id]) for c in group]):
            shares[claim_id] = shares.get(claim_id, 0) + cents
            owed[claim_id] -= cents
            left -= cents
    return BetweenClaims(
        tuple((claim_id, cents_to_decimal(cents)) for claim_id, cents in shares.items() if cents > 0),
        cents_to_decimal(left),
    )


def _pro_rata(amount: int, owed: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """Split ``amount`` cents in proportion to ``owed``; leftover cents to the largest remainders.

    >>> _pro_rata(100, [("A", 100), ("B", 100), ("C", 100)])
    [('A', 34), ('B', 33), ('C', 33)]
    >>> _pro_rata(1000, [("A", 100), ("B", 200)])
    [('A', 100), ('B', 200)]
    """
    total = sum(cents for _, cents in owed)
    if amount >= total:
        return list(owed)
    base = [(claim_id, amount * cents // total, amount * cents % total) for claim_id, cents in owed]
    leftover = amount - sum(share for _, share, _ in base)
    # integer shares, so the parts add up to the payment exactly; ties keep the 6:43 order
    by_remainder = sorted(range(len(base)), key=lambda i: -base[i][2])
    extra = set(by_remainder[:leftover])
    return [(claim_id, share + (1 if i in extra else 0)) for i, (claim_id, share, _) in enumerate(base)]
