"""The claim calculator's calculation (law/claim_specification.py), each figure worked out by hand.

Wettelijke rente 2024 is 7 % (vastgesteld); interest counts actual days over 365, the first and
last day included. 3.650,00 x 7 % = 255,50 a year = 0,70 a day; 7.300,00 x 7 % = 1,40 a day.
"""

import argparse
from datetime import date
from decimal import Decimal

import pytest

from debiteuren.cli import law as commands
from debiteuren.law.claim_specification import (
    BUSINESS,
    NO_COSTS,
    STAFFEL,
    PeriodLine,
    calculate_specification,
    claim_collection_costs,
)
from debiteuren.law.collection_costs import ABOVE_MAXIMUM_WARNING
from debiteuren.law.interest import Claim, Payment

A = Claim("A", Decimal("3650.00"), date(2024, 1, 1), "wettelijke", due_date=date(2023, 12, 31))
B = Claim("B", Decimal("7300.00"), date(2024, 2, 1), "wettelijke", due_date=date(2024, 1, 31))
LAST = date(2024, 3, 31)


def test_one_claim_interest_per_period():
    calc = calculate_specification([A], [], LAST)
    # 1 Jan - 31 Mar 2024: 31 + 29 + 31 = 91 days x 0,70 = 63,70
    assert calc.interest.claims[0].interest == Decimal("63.70")
    assert calc.period_lines() == (
        PeriodLine("A", date(2024, 1, 1), LAST, 91, Decimal("7"), Decimal("3650.00"), Decimal("63.70"), None, False),
    )
    assert calc.costs is None and calc.total == Decimal("3713.70")
    assert calc.notes == ()


def test_a_payment_goes_to_the_oldest_claim_interest_first_and_the_costs_by_the_staffel():
    calc = calculate_specification([A, B], [Payment(date(2024, 3, 1), Decimal("1000.00"))], LAST, costs_basis=STAFFEL)
    # 6:43: both due on 1 March, A is the older. 6:44 within A: its interest through 1 March,
    # 31 + 29 + 1 = 61 days x 0,70 = 42,70, then 957,30 principal: 2.692,70 left.
    a, b = calc.interest.claims
    assert [(p.day, p.interest, p.principal) for p in a.payments] == [
        (date(2024, 3, 1), Decimal("42.70"), Decimal("957.30"))
    ]
    # 2 - 31 March: 30 days x 2.692,70 x 7 % / 365 = 15,4922...; with the 42,70 paid: 58,19 in all
    assert (a.interest, a.outstanding_principal, a.outstanding_interest) == (
        Decimal("58.19"),
        Decimal("2692.70"),
        Decimal("15.49"),
    )
    # B: 1 Feb - 31 Mar = 29 + 31 = 60 days x 1,40 = 84,00; the payment did not reach it
    assert (b.interest, b.payments) == (Decimal("84.00"), ())
    # staffel over 10.950,00: 15 % of 2.500 + 10 % of 2.500 + 5 % of 5.000 + 1 % of 950 = 375 + 250 + 250 + 9,50
    assert calc.costs.costs == Decimal("884.50")
    # 2.692,70 + 15,49 + 7.300,00 + 84,00 = 10.092,19; with the costs 10.976,69
    assert calc.interest.total == Decimal("10092.19") and calc.total == Decimal("10976.69")
    lines = calc.specification.splitlines()
    assert "  01-03-2024 € 1.000,00: A € 1.000,00" in lines
    assert lines[-3:] == [
        "Totaal openstaand hoofdsom en rente: € 10.092,19",
        "Incassokosten:                       € 884,50",
        "Totaal te vorderen:                  € 10.976,69",
    ]
    assert calc.payment_lines()[0][:3] == ("A", date(2024, 3, 1), Decimal("1000.00"))


def test_capitalised_interest_and_amounts_rounded_to_cents_for_showing():
    claim = Claim("C", Decimal("1000.00"), date(2023, 1, 1), "wettelijke")
    calc = calculate_specification([claim], [], date(2024, 1, 31))
    # 2023: 1.000 x 4 % x 181/365 = 19,8356... and 1.000 x 6 % x 184/365 = 30,2465...: 50,0821...
    # added on 1 January 2024; January: 1.050,0821... x 7 % x 31/365 = 6,2429...
    january = calc.period_lines()[-1]
    assert (january.start, january.capitalised, january.base, january.interest) == (
        date(2024, 1, 1),
        Decimal("50.08"),
        Decimal("1050.08"),
        Decimal("6.24"),
    )
    assert [p.capitalised for p in calc.period_lines()[:-1]] == [None, None]
    assert calc.interest.total == Decimal("1056.33")  # 1.000 + 50,0821... + 6,2429... = 1.056,3251...


@pytest.mark.parametrize(
    "basis, in_default, expected",
    [(NO_COSTS, True, None), (BUSINESS, False, Decimal("80.00")), (STAFFEL, True, Decimal("884.50"))],
)
def test_the_costs_basis(basis, in_default, expected):
    # zakelijk before default: € 40 per invoice (art. 6:96 lid 4 BW), two invoices
    costs = claim_collection_costs([A, B], LAST, basis, in_default=in_default)
    assert (costs.costs if costs is not None else None) == expected


def test_interest_older_than_five_years_is_warned_about():
    # the last day 31-03-2024: interest due before 31-03-2019 may be prescribed (art. 3:308 BW)
    old = Claim("O", Decimal("100"), date(2019, 3, 30), "wettelijke")
    warned = calculate_specification([old], [], LAST)
    assert any("vóór 31-03-2019 opeisbaar werd" in w for w in warned.warnings)
    assert warned.specification.endswith(f"Let op: {warned.warnings[-1]}")
    not_old = Claim("O", Decimal("100"), date(2019, 3, 31), "wettelijke")
    assert not any("3:308" in w for w in calculate_specification([not_old], [], LAST).warnings)


def test_vat_above_the_maximum_is_a_note():
    big = Claim("G", Decimal("2000000"), date(2024, 1, 1), "wettelijke")
    calc = calculate_specification([big], [], LAST, costs_basis=STAFFEL, vat_pct=Decimal("21"))
    # the staffel's maximum € 6.775 plus 21 % = 8.197,75 is above the maximum
    assert calc.costs.total == Decimal("8197.75")
    assert ABOVE_MAXIMUM_WARNING in calc.notes


def test_the_calculator_and_debiteuren_rente_print_the_same_specification(capsys):
    parser = argparse.ArgumentParser()
    commands.add_commands(parser.add_subparsers())
    args = parser.parse_args(
        ["rente", "--hoofdsom", "3650", "--vanaf", "2024-01-01", "--tot", "2024-03-31", "--soort", "wettelijke"]
    )
    assert args.func(args) == 0
    printed = capsys.readouterr().out
    specification = calculate_specification([A], [], LAST).specification
    assert specification.startswith("=== A ===\n" + printed.rstrip("\n") + "\n\nTotaal openstaand")
