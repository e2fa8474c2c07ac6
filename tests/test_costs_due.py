"""6:44 with collection costs that become due on a day: a payment goes to costs only from that day on.

Consumer F1: principal € 1.000,00, fatal term, due 31-08-2026, first interest day
01-09-2026, wettelijke rente 4 % in 2026. A valid 14-day letter's term ended on
30-09-2026, so its collection costs (15 % of € 1.000,00 = € 150,00) are due from
01-10-2026 (art. 6:96 lid 6 BW).
"""

from datetime import date
from decimal import Decimal

from debiteuren.law.claims import InvoiceClaim, Payment, calculate_claims
from debiteuren.law.rates import HANDELSRENTE, WETTELIJKE

D = Decimal
COSTS_DUE = date(2026, 10, 1)


def _f1(costs_due_from=COSTS_DUE):
    return InvoiceClaim(
        "F1", D("1000.00"), date(2026, 8, 31), date(2026, 9, 1), WETTELIJKE,
        costs=D("150.00"), costs_due_from=costs_due_from,
    )  # fmt: skip


def test_payment_after_the_term_goes_to_costs_then_interest_then_principal():
    # € 200,00 paid 10-10-2026. Interest 01-09 .. 10-10 = 40 days: 1000 × 4 % × 40 / 365 = 4,3835… -> € 4,38.
    # 6:44: costs € 150,00, interest € 4,38, principal 200 - 150 - 4,38 = € 45,62 -> principal left € 954,38.
    # Then 11-10 .. 31-10 = 21 days on € 954,38: 954,38 × 4 % × 21 / 365 = 2,1963… -> € 2,20 owed.
    s = calculate_claims([_f1()], [Payment(date(2026, 10, 10), D("200.00"))], date(2026, 10, 31)).invoice("F1")
    (a,) = s.payments
    assert (a.costs, a.interest, a.principal) == (D("150.00"), D("4.38"), D("45.62"))
    assert s.outstanding_costs == D("0.00")
    assert s.outstanding_principal == D("954.38")
    assert s.outstanding_interest == D("2.20")


def test_payment_on_the_day_costs_become_due_reaches_them():
    # 01-10-2026: interest 01-09 .. 01-10 = 31 days: 1000 × 4 % × 31 / 365 = 3,3972… -> € 3,40.
    # € 100,00 all to costs; € 50,00 of costs still owed, nothing on interest or principal.
    s = calculate_claims([_f1()], [Payment(COSTS_DUE, D("100.00"))], date(2026, 10, 1)).invoice("F1")
    (a,) = s.payments
    assert (a.costs, a.interest, a.principal) == (D("100.00"), D("0.00"), D("0.00"))
    assert s.outstanding_costs == D("50.00")
    assert s.outstanding_interest == D("3.40")


def test_payment_before_the_term_ends_goes_to_interest_and_principal_only():
    # € 200,00 paid 20-09-2026, before the costs were due. Interest 01-09 .. 20-09 = 20 days:
    # 1000 × 4 % × 20 / 365 = 2,1917… -> € 2,19; principal 200 - 2,19 = € 197,81 -> left € 802,19.
    # The costs stay owed in full: € 150,00.
    s = calculate_claims([_f1()], [Payment(date(2026, 9, 20), D("200.00"))], date(2026, 9, 30)).invoice("F1")
    (a,) = s.payments
    assert (a.costs, a.interest, a.principal) == (D("0.00"), D("2.19"), D("197.81"))
    assert s.outstanding_costs == D("150.00")
    assert s.outstanding_principal == D("802.19")


def test_costs_without_a_due_day_are_paid_first_as_before():
    # No due day given: the costs are owed from the start (the existing behaviour of `rente --kosten`).
    s = calculate_claims([_f1(None)], [Payment(date(2026, 9, 20), D("200.00"))], date(2026, 9, 30)).invoice("F1")
    (a,) = s.payments
    assert (a.costs, a.interest, a.principal) == (D("150.00"), D("2.19"), D("47.81"))


def test_costs_not_yet_due_do_not_draw_a_payment_between_claims():
    # 6:43 with two claims and an undesignated payment of € 10,00 on 20-09-2026: F1's costs are not
    # yet due, so they do not make F1 owe more; the payment goes to F1's interest (€ 2,19) and principal.
    f2 = InvoiceClaim("F2", D("5000.00"), date(2026, 9, 30), None, WETTELIJKE)
    s = calculate_claims([_f1(), f2], [Payment(date(2026, 9, 20), D("10.00"))], date(2026, 9, 30))
    (a,) = s.invoice("F1").payments
    assert a.costs == D("0.00") and a.interest == D("2.19")


def test_later_costs_are_reached_only_from_their_own_day():
    # Business F1, handelsrente 10,40 %: € 40,00 due from 01-09-2026 (6:96 lid 4 BW), a further € 110,00
    # (the staffel above it) from 13-10-2026, after a notice's term. € 100,00 paid 10-10-2026 reaches the
    # € 40,00 only; interest 01-09 .. 10-10 = 40 days: 1000 × 10,40 % × 40 / 365 = 11,3972… -> € 11,40;
    # principal 100 - 40 - 11,40 = € 48,60. € 200,00 on 20-10-2026: the € 110,00 first; interest 11-10 .. 20-10,
    # 10 days on € 951,40: 951,40 × 10,40 % × 10 / 365 = 2,7108… -> € 2,71; principal € 87,29.
    f1 = InvoiceClaim(
        "F1", D("1000.00"), date(2026, 8, 31), date(2026, 9, 1), HANDELSRENTE,
        costs=D("40.00"), costs_due_from=date(2026, 9, 1), later_costs=((D("110.00"), date(2026, 10, 13)),),
    )  # fmt: skip
    pays = [Payment(date(2026, 10, 10), D("100.00")), Payment(date(2026, 10, 20), D("200.00"))]
    s = calculate_claims([f1], pays, date(2026, 10, 20)).invoice("F1")
    first, second = s.payments
    assert (first.costs, first.interest, first.principal) == (D("40.00"), D("11.40"), D("48.60"))
    assert (second.costs, second.interest, second.principal) == (D("110.00"), D("2.71"), D("87.29"))
    assert (s.result.costs, s.outstanding_costs, s.outstanding_principal) == (D("150.00"), D("0.00"), D("864.11"))
