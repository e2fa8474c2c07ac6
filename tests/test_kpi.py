"""Key figures (kpi.py), each against a hand computation."""

from decimal import Decimal

import pandas as pd

from debiteuren.kpi import key_figures, ratio
from debiteuren.ledger import settle
from debiteuren.payment_behaviour import paid_invoices
from registers import d, eur, make_register

NO_SEGMENTS = pd.DataFrame({"debtor_id": [], "segment": [], "open_cents": []})


def figures(register, peildatum):
    ledger = settle(register.invoices, register.payments, d(peildatum), pd.Index(register.debtors["debtor_id"]))
    return key_figures(register, ledger, paid_invoices(ledger), NO_SEGMENTS)


def invoice(invoice_id, issued, amount, debtor="D1", **more):
    return dict(invoice_id=invoice_id, debtor_id=debtor, invoice_date=issued, amount=amount, **more)


def payment(paid, amount, debtor="D1", invoice_id=None):
    return dict(payment_date=paid, debtor_id=debtor, invoice_id=invoice_id, amount=amount)


# Four months of sales, 30-day terms; 55.000 paid, oldest first:
#   March 40.000 (due 04-14)  paid 04-20
#   April 30.000 (due 05-15)  15.000 paid 06-10, 15.000 open, 46 days past due on 06-30
#   May   20.000 (due 06-14)  open, 16 days past due
#   June  10.000 (due 07-15)  open, not yet due
FOUR_MONTHS = make_register(
    invoices=[
        invoice("M", "2025-03-15", "40.000,00"),
        invoice("A", "2025-04-15", "30.000,00"),
        invoice("Y", "2025-05-15", "20.000,00"),
        invoice("J", "2025-06-15", "10.000,00"),
    ],
    payments=[payment("2025-04-20", "40.000,00"), payment("2025-06-10", "15.000,00")],
)


def test_receivables_and_not_yet_due():
    k = figures(FOUR_MONTHS, "2025-06-30")
    assert k.ar_cents == eur("45.000")  # 100.000 invoiced - 55.000 paid
    assert k.not_due_cents == eur("10.000")  # June
    # past due: April's 15.000 left and May's 20.000
    assert (k.position_cents["Openstaand"], k.position_cents["Vervallen"]) == (eur("45.000"), eur("35.000"))


def test_dso_count_back_walks_back_several_months():
    k = figures(FOUR_MONTHS, "2025-06-30")
    # 45.000: June 10.000 (30 days) -> 35.000; May 20.000 (31 days) -> 15.000;
    # April: 15.000 / 30.000 x 30 = 15 days. 30 + 31 + 15 = 76.
    assert k.dso_countback == Decimal("76.0")
    assert list(k.countback["counted_days"]) == [Decimal("30.0"), Decimal("31.0"), Decimal("15.0")]
    assert [m.month for m in k.countback["month"]] == [6, 5, 4]
    # Best possible: 10.000 not yet due is June's sales exactly: 30 days.
    assert k.best_dso_countback == Decimal("30.0")
    assert k.add_countback == Decimal("46.0")


def test_dso_simple_over_the_last_three_months():
    k = figures(FOUR_MONTHS, "2025-06-30")
    # Sales April-June 60.000 over 30 + 31 + 30 = 91 days.
    assert (k.sales_3m_cents, k.days_3m) == (eur("60.000"), 91)
    assert k.dso_simple == Decimal("68.3")  # 45.000 x 91 / 60.000 = 68.25, half up
    assert k.best_dso_simple == Decimal("15.2")  # 10.000 x 91 / 60.000 = 15.17
    assert k.add_simple == Decimal("53.1")  # 35.000 x 91 / 60.000 = 53.08


def test_add_as_days_past_due_of_the_open_items():
    k = figures(FOUR_MONTHS, "2025-06-30")
    # (15.000 x 46 + 20.000 x 16) / 35.000 = 28.86
    assert k.days_past_due_open == Decimal("28.9")


def test_cei_of_the_month():
    k = figures(FOUR_MONTHS, "2025-06-30")
    # AR on 31 May: 90.000 - 40.000 = 50.000; June sales 10.000; AR now 45.000, 10.000 not due.
    # (50.000 + 10.000 - 45.000) / (50.000 + 10.000 - 10.000) x 100 = 30
    assert (k.ar_start_cents, k.sales_month_cents) == (eur("50.000"), eur("10.000"))
    assert k.cei == Decimal("30.0")
    assert k.cei_from == d("2025-06-01")


def test_a_past_month_uses_only_what_was_there():
    k = figures(FOUR_MONTHS, "2025-05-31")
    # On 31 May: invoiced 90.000, paid 40.000: AR 50.000; May 20.000 not yet due (06-14).
    # Count-back: May 20.000 (31) -> 30.000; April 30.000 (30) -> 0: 61 days.
    assert (k.ar_cents, k.not_due_cents) == (eur("50.000"), eur("20.000"))
    assert k.dso_countback == Decimal("61.0")
    # CEI May: AR 30 April 70.000 - 40.000 = 30.000; sales 20.000.
    # (30.000 + 20.000 - 50.000) / (30.000 + 20.000 - 20.000) = 0
    assert k.cei == Decimal("0.0")


def test_count_back_stops_at_a_month_without_sales():
    register = make_register(invoices=[invoice("A", "2025-04-10", "100,00"), invoice("J", "2025-06-10", "60,00")])
    k = figures(register, "2025-06-30")
    # AR 160: June 60 (30 days) -> 100; May has no sales: stop at 30.
    assert k.dso_countback == Decimal("30.0")
    assert len(k.countback) == 1


def test_a_peildatum_in_the_middle_of_a_month_counts_its_days_so_far():
    register = make_register(invoices=[invoice("Y", "2025-05-01", "310,00"), invoice("J", "2025-06-01", "300,00")])
    k = figures(register, "2025-06-10")
    # June up to the 10th: 300 over 10 days -> 310 left; May 310 over 31 days: 41.
    assert k.dso_countback == Decimal("41.0")
    # Simple: 610 x (10 + 31 + 30) / 610 = 71.
    assert (k.days_3m, k.dso_simple) == (71, Decimal("71.0"))


def test_nothing_owed_gives_zero_dso():
    register = make_register(
        invoices=[invoice("J", "2025-06-01", "100,00")], payments=[payment("2025-06-05", "120,00")]
    )
    k = figures(register, "2025-06-30")
    assert k.ar_cents == -eur("20")
    assert (k.dso_countback, k.dso_simple) == (Decimal("0.0"), Decimal("0.0"))


def test_no_sales_at_all_gives_no_dso():
    k = figures(make_register(), "2025-06-30")
    assert (k.dso_simple, k.best_dso_simple, k.cei, k.days_to_pay) == (None, None, None, None)


def test_days_to_pay_and_beyond_terms_amount_weighted_over_12_months():
    register = make_register(
        invoices=[
            invoice("A", "2025-03-01", "1.000,00"),  # due 03-31
            invoice("B", "2025-04-01", "3.000,00"),  # due 05-01
            invoice("C", "2024-04-01", "9.000,00"),  # paid 2024-05-15: over 12 months ago
        ],
        payments=[
            payment("2025-03-21", "1.000,00", invoice_id="A"),  # 20 days to pay, 10 early
            payment("2025-05-11", "3.000,00", invoice_id="B"),  # 40 days, 10 late
            payment("2024-05-15", "9.000,00", invoice_id="C"),
        ],
    )
    k = figures(register, "2025-06-30")
    # (1000 x 20 + 3000 x 40) / 4000 = 35; (1000 x -10 + 3000 x 10) / 4000 = 5
    assert (k.days_to_pay, k.days_beyond_terms) == (Decimal("35.0"), Decimal("5.0"))


def test_counts_and_amounts_outstanding_overdue_disputed_handed_over_written_off():
    register = make_register(
        debtors=[
            dict(debtor_id="D1"),
            dict(debtor_id="D2", status="uit handen"),
            dict(debtor_id="D3", status="oninbaar"),
            dict(debtor_id="D4"),
            dict(debtor_id="D5"),
            dict(debtor_id="D6"),
        ],
        invoices=[
            invoice("F1", "2025-04-01", "100,00"),
            invoice("F2", "2025-06-15", "50,00", disputed=True),  # due 07-15: not past due
            invoice("F3", "2025-04-01", "200,00", debtor="D2"),
            invoice("F4", "2025-04-01", "70,00", debtor="D3"),
            invoice("F5", "2025-04-01", "30,00", debtor="D4"),
            invoice("F6", "2025-04-01", "20,00", debtor="D4"),
            invoice("F7", "2025-04-01", "10,00", debtor="D5"),
            invoice("F8", "2025-04-01", "5,00", debtor="D5"),
        ],
        payments=[payment("2025-06-01", "12,00", debtor="D6")],
        actions=[
            dict(action_date="2025-06-01", debtor_id="D4", kind="Afgeboekt", invoice_ids="F5"),
            dict(action_date="2025-06-02", debtor_id="D5", kind="Afgeboekt"),
            dict(action_date="2025-07-01", debtor_id="D1", kind="Afgeboekt"),  # after the peildatum
            dict(action_date="2025-06-03", debtor_id="D1", kind="Notitie", invoice_ids="F1"),
        ],
    )
    k = figures(register, "2025-06-30")
    got = {row.category: (row.debtors, row.invoices, row.amount_cents) for row in k.positions.itertuples()}
    assert got == {
        "Openstaand": (5, 8, eur("485")),  # 100 + 50 + 200 + 70 + 30 + 20 + 10 + 5
        "Vervallen": (5, 7, eur("435")),  # all but F2
        "Betwist": (1, 1, eur("50")),
        "Uit handen": (1, 1, eur("200")),
        "Afgeboekt": (3, 4, eur("115")),  # F4 (oninbaar) 70, F5 30, F7 10, F8 5
        "Niet toegewezen en creditsaldi": (1, 1, -eur("12")),
    }


def test_debtors_and_revenue_per_kind_and_size():
    register = make_register(
        debtors=[
            dict(debtor_id="D1", size="klein"),
            dict(debtor_id="D2", size="klein"),
            dict(debtor_id="D3", kind="consument"),
            dict(debtor_id="D4", size="groot", customer_since="2025-07-15"),  # not yet a customer
        ],
        invoices=[
            invoice("F1", "2025-03-01", "1.000,00"),
            invoice("C1", "2025-04-01", "-100,00"),
            invoice("F0", "2024-05-01", "500,00"),  # before the last 12 months
            invoice("F2", "2025-06-01", "200,00", debtor="D2"),
            invoice("F3", "2025-01-01", "50,00", debtor="D3"),
        ],
    )
    k = figures(register, "2025-06-30")
    rows = [
        (r.kind, None if pd.isna(r.size) else r.size, r.debtors, r.revenue_cents) for r in k.per_kind_size.itertuples()
    ]
    assert rows == [("consument", None, 1, eur("50")), ("zakelijk", "klein", 2, eur("1.100"))]  # 1000 - 100 + 200


def test_ratio_rounds_half_up_exactly():
    # 68.25 lies exactly on the half: up, not to even.
    assert ratio(6825, 100) == Decimal("68.3")
    assert ratio(-6825, 100) == Decimal("-68.3")
    assert ratio(1, 0) is None
