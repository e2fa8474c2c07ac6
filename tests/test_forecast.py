"""The 13-week forecast of cash in (forecast.py)."""

from decimal import Decimal

import pandas as pd

from debiteuren.forecast import project, typical_delays
from debiteuren.kpi import key_figures
from debiteuren.ledger import settle
from debiteuren.payment_behaviour import analyse
from registers import d, eur, make_register

PEILDATUM = "2025-12-31"  # week 1 = 2026-01-01 .. 01-07, week 2 = 01-08 .. 01-14, ...


def forecast_of(register, peildatum=PEILDATUM):
    ledger = settle(register.invoices, register.payments, d(peildatum), pd.Index(register.debtors["debtor_id"]))
    behaviour = analyse(ledger)
    no_segments = pd.DataFrame({"debtor_id": [], "segment": [], "open_cents": []})
    fallback = key_figures(register, ledger, behaviour.paid, no_segments).days_beyond_terms
    return project(register, ledger, behaviour.by_debtor["days_beyond_12m"], fallback)


def invoice(invoice_id, debtor, issued, amount, **more):
    return dict(invoice_id=invoice_id, debtor_id=debtor, invoice_date=issued, amount=amount, **more)


REGISTER = make_register(
    debtors=[
        dict(debtor_id="H"),
        dict(debtor_id="N"),
        dict(debtor_id="P"),
        dict(debtor_id="A"),
        dict(debtor_id="E"),
        dict(debtor_id="U", status="uit handen"),
        dict(debtor_id="F", status="failliet"),
    ],
    invoices=[
        invoice("H-1", "H", "2025-06-01", "100,00"),  # due 07-01, paid 07-11: 10 days beyond
        invoice("H-2", "H", "2025-12-10", "1.000,00"),  # due 2026-01-09 + 10 = 01-19: week 3
        invoice("H-3", "H", "2025-12-20", "250,00", due_date="2026-04-01"),  # 04-11: after week 13
        invoice("N-1", "N", "2025-12-03", "200,00"),  # due 2026-01-02 + 10 (everyone's) = 01-12: week 2
        invoice("P-1", "P", "2025-10-31", "600,00"),  # due 11-30
        invoice("P-2", "P", "2025-12-21", "400,00"),  # due 2026-01-20 + 10 = 01-30: week 5
        invoice("A-1", "A", "2025-10-01", "1.000,00"),
        invoice("E-1", "E", "2025-12-01", "50,00", disputed=True),
        invoice("U-1", "U", "2025-12-01", "70,00"),
        invoice("F-1", "F", "2025-12-01", "80,00"),
    ],
    payments=[
        dict(payment_date="2025-07-11", debtor_id="H", invoice_id="H-1", amount="100,00"),
        dict(payment_date="2025-12-15", debtor_id="A", invoice_id="A-1", amount="300,00"),
    ],
    actions=[
        # 500 by 2026-01-05 (week 1): covers 500 of P-1; its other 100 was expected 12-10: late.
        dict(
            action_date="2025-12-20",
            debtor_id="P",
            kind="Betalingsbelofte",
            promised="500,00",
            promised_date="2026-01-05",
        ),
        dict(action_date="2025-12-20", debtor_id="H", kind="Telefoongesprek"),
    ],
    arrangements=[
        # A owes 700: instalment 1 is past; 2 (week 3) and 3 (week 7) in full, 4 (week 11) only 100.
        dict(debtor_id="A", instalment=1, due_date="2025-12-15", amount="300,00"),
        dict(debtor_id="A", instalment=2, due_date="2026-01-15", amount="300,00"),
        dict(debtor_id="A", instalment=3, due_date="2026-02-15", amount="300,00"),
        dict(debtor_id="A", instalment=4, due_date="2026-03-15", amount="300,00"),
    ],
)


def test_expected_cash_per_week():
    forecast = forecast_of(REGISTER)
    weeks = forecast.weeks.set_index("week")
    assert list(weeks.index) == list(range(1, 14))
    assert (weeks.loc[1, "start"], weeks.loc[1, "end"]) == (pd.Timestamp("2026-01-01"), pd.Timestamp("2026-01-07"))
    assert weeks.loc[13, "end"] == pd.Timestamp("2026-04-01")
    nonzero = {
        week: (r.invoices_cents, r.promises_cents, r.arrangements_cents, r.total_cents)
        for week, r in weeks.iterrows()
        if r.total_cents
    }
    assert nonzero == {
        1: (0, eur("500"), 0, eur("500")),
        2: (eur("200"), 0, 0, eur("200")),
        3: (eur("1.000"), 0, eur("300"), eur("1.300")),
        5: (eur("400"), 0, 0, eur("400")),
        7: (0, 0, eur("300"), eur("300")),
        11: (0, 0, eur("100"), eur("100")),
    }
    assert forecast.total_cents == eur("2.800")


def test_what_is_not_in_the_weeks_is_totalled_beside_them():
    forecast = forecast_of(REGISTER)
    assert forecast.late_cents == eur("100")  # rest of P-1
    assert forecast.later_cents == eur("250")  # H-3
    assert forecast.disputed_cents == eur("50")
    assert forecast.handed_over_cents == eur("70")
    assert forecast.not_expected_cents == eur("80")


def test_each_expected_amount_is_listed_with_its_source():
    items = forecast_of(REGISTER).items
    p = items.loc[items["debtor_id"] == "P"]
    got = list(
        zip(p["source"], p["reference"], p["expected_date"].dt.strftime("%Y-%m-%d"), p["week"], p["amount_cents"])
    )
    assert got == [
        ("factuur", "P-1", "2025-12-10", 0, eur("100")),
        ("belofte", "Acties rij 2", "2026-01-05", 1, eur("500")),
        ("factuur", "P-2", "2026-01-30", 5, eur("400")),
    ]


def test_typical_delays_round_half_away_from_zero_to_whole_days():
    assert typical_delays([Decimal("2.5"), Decimal("-2.5"), None], Decimal("9.4")).tolist() == [3, -3, 9]
    assert typical_delays([Decimal("2.4"), None], None).tolist() == [2, 0]
