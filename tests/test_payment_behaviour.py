"""Payment behaviour per debtor and the early-warning signal (payment_behaviour.py)."""

from datetime import timedelta
from decimal import Decimal

import pandas as pd

from debiteuren.ledger import settle
from debiteuren.payment_behaviour import WarningRule, analyse
from registers import d, make_register

PEILDATUM = "2025-12-31"  # last 12 months: paid after 2024-12-31; last 3: after 2025-09-30


def paid_late(debtor, number, issued, amount, late_days):
    """An invoice (30-day term) and the payment that settles it ``late_days`` after the due date."""
    paid = d(issued) + timedelta(days=30 + late_days)
    return (
        dict(invoice_id=f"{debtor}-{number}", debtor_id=debtor, invoice_date=issued, amount=amount),
        dict(payment_date=paid.isoformat(), debtor_id=debtor, invoice_id=f"{debtor}-{number}", amount=amount),
    )


def register_of(*histories, invoices=(), raw_settings=None):
    pairs = [pair for history in histories for pair in history]
    return make_register(
        invoices=[i for i, _ in pairs] + list(invoices),
        payments=[p for _, p in pairs],
        raw_settings=raw_settings,
    )


def behaviour_of(register, peildatum=PEILDATUM):
    ledger = settle(register.invoices, register.payments, d(peildatum), pd.Index(register.debtors["debtor_id"]))
    return analyse(ledger, WarningRule.from_settings(register.settings))


def row(behaviour, debtor):
    return behaviour.by_debtor.set_index("debtor_id").loc[debtor]


# Four invoices in the first half of 2025 paid 2 days late, then one of 1.000 paid 30 days
# late and one of 3.000 paid 10 days late in the last three months.
WORSENING = [
    paid_late("W", 1, "2025-01-01", "1.000,00", 2),
    paid_late("W", 2, "2025-02-01", "1.000,00", 2),
    paid_late("W", 3, "2025-03-01", "1.000,00", 2),
    paid_late("W", 4, "2025-04-01", "1.000,00", 2),
    paid_late("W", 5, "2025-09-01", "1.000,00", 30),  # paid 10-31
    paid_late("W", 6, "2025-10-01", "3.000,00", 10),  # paid 11-10
]
STEADY = [paid_late("S", n, f"2025-0{n}-01", "500,00", 20) for n in range(1, 5)] + [
    paid_late("S", 5, "2025-09-10", "500,00", 22),
    paid_late("S", 6, "2025-10-10", "500,00", 22),
]
NO_HISTORY = [paid_late("N", 1, "2025-09-05", "800,00", 40), paid_late("N", 2, "2025-10-05", "800,00", 40)]


def test_days_per_paid_invoice_use_the_day_it_became_fully_paid():
    register = make_register(
        invoices=[dict(invoice_id="F1", debtor_id="D1", invoice_date="2025-03-01", amount="1.000,00")],
        payments=[
            dict(payment_date="2025-03-20", debtor_id="D1", invoice_id="F1", amount="600,00"),
            dict(payment_date="2025-04-10", debtor_id="D1", invoice_id="F1", amount="400,00"),
        ],
    )
    paid = behaviour_of(register).paid
    # Due 03-31; fully paid 04-10: 40 days to pay, 10 beyond terms.
    assert list(paid[["invoice_id", "days_to_pay", "days_beyond_terms"]].itertuples(index=False, name=None)) == [
        ("F1", 40, 10)
    ]


def test_amount_weighted_over_12_and_3_months():
    b = row(behaviour_of(register_of(WORSENING)), "W")
    # 12 months, all six: beyond (4 x 1000 x 2 + 1000 x 30 + 3000 x 10) / 8000 = 8.5;
    # to pay: each early invoice 32 days, then 60 and 40: (4000 x 32 + 1000 x 60 + 3000 x 40) / 8000 = 38.5
    assert (b["paid_12m"], b["days_beyond_12m"], b["days_to_pay_12m"]) == (6, Decimal("8.5"), Decimal("38.5"))
    # 3 months: (1000 x 30 + 3000 x 10) / 4000 = 15; (1000 x 60 + 3000 x 40) / 4000 = 45
    assert (b["paid_3m"], b["days_beyond_3m"], b["days_to_pay_3m"]) == (2, Decimal("15.0"), Decimal("45.0"))
    # before: the 12 months up to 2025-09-30, the four early invoices at 2 days.
    assert (b["paid_before"], b["days_beyond_before"]) == (4, Decimal("2.0"))


def test_a_worsening_payer_is_flagged():
    b = row(behaviour_of(register_of(WORSENING)), "W")
    # Recent 15.0 >= 15; 13 days worse >= 10; 13 >= 25% of 2.
    assert b["early_warning"]
    assert b["warning"] == (
        "Betaalt recent gemiddeld 15,0 dagen na de vervaldatum (laatste 3 maanden en openstaande "
        "vervallen facturen), tegen 2,0 dagen in de 12 maanden daarvoor."
    )


def test_the_thresholds_are_settings():
    register = register_of(WORSENING, raw_settings={"Signaal vanaf dagen na vervaldatum": "15,1"})
    assert not row(behaviour_of(register), "W")["early_warning"]
    register = register_of(WORSENING, raw_settings={"Signaal verslechtering procent": "700"})
    assert not row(behaviour_of(register), "W")["early_warning"]  # 13 < 7 x 2 = 14
    register = register_of(WORSENING, raw_settings={"Signaal minimaal eerdere facturen": "5"})
    assert not row(behaviour_of(register), "W")["early_warning"]


def test_a_steady_payer_is_not_flagged():
    b = row(behaviour_of(register_of(STEADY)), "S")
    # Recent 22 >= 15 but only 2 days worse than 20.
    assert (b["days_beyond_recent"], b["days_beyond_before"]) == (Decimal("22.0"), Decimal("20.0"))
    assert not b["early_warning"] and pd.isna(b["warning"])


def test_a_debtor_without_history_gets_no_signal():
    behaviour = behaviour_of(register_of(NO_HISTORY))
    b = row(behaviour, "N")
    assert (b["paid_before"], b["days_beyond_recent"]) == (0, Decimal("40.0"))
    assert not b["early_warning"]


def test_a_debtor_who_stops_paying_is_flagged_by_its_open_items():
    history = [paid_late("X", n, f"2025-0{n}-01", "1.000,00", 1) for n in range(1, 5)]
    register = register_of(
        history,
        invoices=[
            dict(invoice_id="X-5", debtor_id="X", invoice_date="2025-10-01", amount="1.000,00"),  # 61 days
            dict(invoice_id="X-6", debtor_id="X", invoice_date="2025-11-01", amount="1.000,00"),  # 30 days
            dict(invoice_id="X-7", debtor_id="X", invoice_date="2025-06-01", amount="9.000,00", disputed=True),
        ],
    )
    b = row(behaviour_of(register), "X")
    # No payment in the last 3 months; open past due: (61 + 30) / 2 = 45.5; the disputed one does not count.
    assert (b["paid_3m"], b["recent"], b["days_beyond_recent"]) == (0, 2, Decimal("45.5"))
    assert b["early_warning"]


def test_an_invoice_settled_by_a_credit_note_is_no_payment_behaviour():
    register = make_register(
        invoices=[
            dict(invoice_id="F1", debtor_id="D1", invoice_date="2025-03-01", amount="100,00"),
            dict(invoice_id="C1", debtor_id="D1", invoice_date="2025-05-01", amount="-100,00", description="F1"),
            dict(invoice_id="F2", debtor_id="D1", invoice_date="2025-03-01", amount="100,00"),
            dict(invoice_id="C2", debtor_id="D1", invoice_date="2025-03-05", amount="-40,00", description="F2"),
        ],
        payments=[dict(payment_date="2025-04-10", debtor_id="D1", invoice_id="F2", amount="60,00")],
    )
    behaviour = behaviour_of(register)
    # F1 was cancelled, not paid; F2 counts with the 60 paid in cash, 10 days late.
    assert list(behaviour.paid["invoice_id"]) == ["F2"]
    assert list(behaviour.paid["paid_cents"]) == [6000]
    assert row(behaviour, "D1")["days_beyond_12m"] == Decimal("10.0")


def test_rule_fires_on_the_shown_values():
    rule = WarningRule()
    assert rule.fires(Decimal("15.0"), Decimal("5.0"))  # 15 >= 15, 10 >= 10, 10 >= 1.25
    assert not rule.fires(Decimal("14.9"), Decimal("0.0"))
    assert not rule.fires(Decimal("40.0"), Decimal("31.0"))  # 9 days worse
    assert not rule.fires(Decimal("60.0"), Decimal("49.0"))  # 11 days but < 25% of 49 (12.25)
    assert rule.fires(Decimal("20.0"), Decimal("-10.0"))  # early before: only the days count
