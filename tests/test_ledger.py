"""Open items: allocation of payments and credit notes as of a peildatum (ledger.py)."""

import pandas as pd
import pytest

from debiteuren.ledger import CREDIT_BALANCE, OVERPAYMENT, UNALLOCATED, settle
from registers import d, eur, make_register


def book(register, peildatum):
    return settle(register.invoices, register.payments, d(peildatum))


def row(ledger, invoice_id):
    rows = ledger.invoices.loc[ledger.invoices["invoice_id"] == invoice_id]
    assert len(rows) == 1, invoice_id
    return rows.iloc[0]


def credits(ledger):
    return [
        (r.debtor_id, r.kind, None if pd.isna(r.invoice_id) else r.invoice_id, r.amount_cents)
        for r in ledger.credits.itertuples()
    ]


def invoice(invoice_id, issued, amount, debtor="D1", **more):
    return dict(invoice_id=invoice_id, debtor_id=debtor, invoice_date=issued, amount=amount, **more)


def payment(paid, amount, invoice_id=None, debtor="D1", **more):
    return dict(payment_date=paid, debtor_id=debtor, invoice_id=invoice_id, amount=amount, **more)


def test_partial_payments_on_a_designated_invoice_leave_the_rest_open():
    register = make_register(
        invoices=[invoice("F1", "2025-01-01", "1.000,00"), invoice("F2", "2024-12-01", "500,00")],
        payments=[payment("2025-02-01", "400,00", "F1"), payment("2025-02-20", "350,00", "F1")],
    )
    ledger = book(register, "2025-03-31")
    # F1: 1000 - 400 - 350 = 250 open; F2 is older but the payments name F1.
    assert (row(ledger, "F1").paid_cents, row(ledger, "F1").open_cents) == (eur("750"), eur("250"))
    assert pd.isna(row(ledger, "F1").paid_date)
    assert row(ledger, "F2").open_cents == eur("500")
    assert ledger.open_cents == eur("750")
    assert ledger.credits.empty


def test_the_payment_that_completes_an_invoice_gives_its_paid_date():
    register = make_register(
        invoices=[invoice("F1", "2025-01-01", "1.000,00")],
        payments=[payment("2025-02-01", "400,00", "F1"), payment("2025-02-20", "600,00", "F1")],
    )
    f1 = row(book(register, "2025-03-31"), "F1")
    assert (f1.open_cents, f1.paid_date) == (0, pd.Timestamp("2025-02-20"))


def test_undesignated_cash_goes_to_the_oldest_due_date_first():
    # F1 issued first but with a 60-day term: due 2025-03-02; F2 due 2025-02-09.
    register = make_register(
        invoices=[
            invoice("F1", "2025-01-01", "300,00", due_date="2025-03-02"),
            invoice("F2", "2025-01-10", "200,00"),
            invoice("F3", "2025-01-20", "100,00"),
        ],
        payments=[payment("2025-02-15", "250,00")],
    )
    ledger = book(register, "2025-03-31")
    # 250 pays F2 (due 02-09) in full (200), then 50 of F3 (due 02-19); F1 (due 03-02) untouched.
    assert row(ledger, "F2").open_cents == 0
    assert row(ledger, "F2").paid_date == pd.Timestamp("2025-02-15")
    assert row(ledger, "F3").open_cents == eur("50")
    assert row(ledger, "F1").open_cents == eur("300")


def test_same_due_date_then_invoice_date_then_invoice_number():
    register = make_register(
        invoices=[
            invoice("F9", "2025-01-05", "100,00", due_date="2025-02-28"),
            invoice("F8", "2025-01-01", "100,00", due_date="2025-02-28"),
            invoice("B2", "2025-01-05", "100,00", due_date="2025-02-28"),
        ],
        payments=[payment("2025-03-01", "150,00")],
    )
    ledger = book(register, "2025-03-31")
    # F8 is issued earliest: paid first (100); then B2 before F9 by number: 50 of it.
    assert [row(ledger, i).open_cents for i in ("F8", "B2", "F9")] == [0, eur("50"), eur("100")]


def test_cash_beyond_all_open_invoices_is_unallocated_not_netted():
    register = make_register(
        invoices=[invoice("F1", "2025-01-01", "100,00"), invoice("F2", "2025-01-01", "80,00", debtor="D2")],
        payments=[payment("2025-02-01", "60,00"), payment("2025-02-10", "70,00")],
    )
    ledger = book(register, "2025-03-31")
    # 60 + 70 = 130 against 100 open: F1 paid, 30 left of the later payment.
    assert row(ledger, "F1").open_cents == 0
    assert row(ledger, "F1").paid_date == pd.Timestamp("2025-02-10")
    assert credits(ledger) == [("D1", UNALLOCATED, None, -eur("30"))]
    assert ledger.credits.loc[0, "date"] == pd.Timestamp("2025-02-10")
    assert ledger.credits.loc[0, "excel_row"] == 3  # the second payment row
    # D2's invoice is not touched by D1's surplus.
    assert row(ledger, "F2").open_cents == eur("80")
    assert (ledger.open_cents, ledger.credit_cents) == (eur("80"), -eur("30"))


def test_an_overpayment_stays_on_its_invoice_as_a_credit_line():
    register = make_register(
        invoices=[invoice("F1", "2025-01-01", "500,00"), invoice("F2", "2025-01-15", "200,00")],
        payments=[payment("2025-02-01", "600,00", "F1")],
    )
    ledger = book(register, "2025-03-31")
    # F1: 500 paid, 100 over; F2 stays fully open: the surplus is not passed on.
    assert row(ledger, "F1").open_cents == 0
    assert row(ledger, "F2").open_cents == eur("200")
    assert credits(ledger) == [("D1", OVERPAYMENT, "F1", -eur("100"))]


def test_a_credit_note_naming_an_invoice_in_its_description_goes_there():
    register = make_register(
        invoices=[
            invoice("F1", "2025-01-01", "1.000,00"),
            invoice("F2", "2025-01-15", "400,00"),
            invoice("C1", "2025-02-01", "-250,00", description="Creditnota op factuur F2."),
        ]
    )
    ledger = book(register, "2025-03-31")
    # F2: 400 - 250 = 150; F1 (older) untouched.
    f2 = row(ledger, "F2")
    assert (f2.credited_cents, f2.paid_cents, f2.open_cents) == (eur("250"), 0, eur("150"))
    assert row(ledger, "F1").open_cents == eur("1.000")
    assert "C1" not in set(ledger.invoices["invoice_id"])  # a credit note is not an open item


def test_a_credit_note_without_designation_goes_to_the_oldest_open_invoice():
    register = make_register(
        invoices=[
            invoice("F1", "2025-01-01", "100,00"),
            invoice("F2", "2025-01-15", "400,00"),
            invoice("C1", "2025-02-01", "-250,00", description="Korting volume 2024"),
        ]
    )
    ledger = book(register, "2025-03-31")
    # 250: 100 settles F1 (on the credit note's date), 150 of F2.
    assert (row(ledger, "F1").credited_cents, row(ledger, "F1").open_cents) == (eur("100"), 0)
    assert row(ledger, "F1").paid_date == pd.Timestamp("2025-02-01")
    assert (row(ledger, "F2").credited_cents, row(ledger, "F2").open_cents) == (eur("150"), eur("250"))


def test_the_pool_tells_credit_notes_from_cash_per_invoice():
    register = make_register(
        invoices=[
            invoice("F1", "2025-01-01", "250,00"),
            invoice("F2", "2025-01-02", "250,00"),
            invoice("C1", "2025-01-20", "-100,00"),
        ],
        payments=[payment("2025-02-05", "300,00")],
    )
    ledger = book(register, "2025-03-31")
    # Pool in date order: C1 100 (01-20), cash 300 (02-05) = 400 against F1 250, F2 250.
    # F1 takes C1's 100 and 150 cash; F2 takes the remaining 150 cash; 100 stays open.
    f1, f2 = row(ledger, "F1"), row(ledger, "F2")
    assert (f1.credited_cents, f1.paid_cents, f1.open_cents) == (eur("100"), eur("150"), 0)
    assert (f2.credited_cents, f2.paid_cents, f2.open_cents) == (0, eur("150"), eur("100"))


def test_a_credit_note_larger_than_its_invoice_leaves_a_credit_balance():
    register = make_register(
        invoices=[
            invoice("F1", "2025-01-01", "100,00"),
            invoice("C1", "2025-01-10", "-150,00", description="Credit F1"),
            invoice("F2", "2025-01-05", "80,00", debtor="D2"),
            invoice("C2", "2025-01-12", "-20,00", debtor="D2", description="Credit (F1)"),
        ]
    )
    ledger = book(register, "2025-03-31")
    # C1 settles F1 and 50 remains; C2 names D1's F1, which is not D2's: it goes to F2 (80 - 20).
    assert row(ledger, "F1").open_cents == 0
    assert row(ledger, "F2").open_cents == eur("60")
    assert credits(ledger) == [("D1", CREDIT_BALANCE, "C1", -eur("50"))]


def test_a_payment_naming_another_debtors_invoice_counts_as_undesignated():
    register = make_register(
        invoices=[invoice("F1", "2025-01-01", "100,00"), invoice("F2", "2025-01-01", "100,00", debtor="D2")],
        payments=[payment("2025-02-01", "100,00", invoice_id="F2", debtor="D1")],
    )
    ledger = book(register, "2025-03-31")
    assert row(ledger, "F1").open_cents == 0
    assert row(ledger, "F2").open_cents == eur("100")


def test_a_past_month_ignores_later_payments_and_invoices():
    register = make_register(
        invoices=[invoice("F1", "2025-01-01", "1.000,00"), invoice("F2", "2025-04-02", "500,00")],
        payments=[
            payment("2025-03-15", "300,00", "F1"),
            payment("2025-04-10", "700,00", "F1"),
            payment("2025-04-12", "100,00"),
        ],
    )
    march = book(register, "2025-03-31")
    # On 31 March only F1 exists and only 300 was paid.
    assert list(march.invoices["invoice_id"]) == ["F1"]
    assert (row(march, "F1").open_cents, pd.isna(row(march, "F1").paid_date)) == (eur("700"), True)
    april = book(register, "2025-04-30")
    # On 30 April F1 is paid (10 April) and 100 of F2's 500.
    assert row(april, "F1").paid_date == pd.Timestamp("2025-04-10")
    assert row(april, "F2").open_cents == eur("400")


def test_designated_cash_and_pool_together_paid_on_the_later_date():
    register = make_register(
        invoices=[invoice("F1", "2025-01-01", "100,00")],
        payments=[payment("2025-03-01", "30,00"), payment("2025-02-01", "70,00", "F1")],
    )
    f1 = row(book(register, "2025-03-31"), "F1")
    # 70 designated on 02-01; the pool's 30 on 03-01 completes it.
    assert (f1.open_cents, f1.paid_date) == (0, pd.Timestamp("2025-03-01"))


def test_a_prepayment_settles_on_the_invoice_date_not_before():
    register = make_register(
        invoices=[invoice("F1", "2025-02-01", "100,00")],
        payments=[payment("2025-01-15", "100,00")],
    )
    assert row(book(register, "2025-03-31"), "F1").paid_date == pd.Timestamp("2025-02-01")


def test_allocation_is_per_debtor_when_debtors_interleave():
    register = make_register(
        invoices=[
            invoice("A1", "2025-01-01", "10,00", debtor="A"),
            invoice("B1", "2025-01-01", "10,00", debtor="B"),
            invoice("A2", "2025-01-02", "10,00", debtor="A"),
            invoice("B2", "2025-01-02", "10,00", debtor="B"),
        ],
        payments=[
            payment("2025-02-01", "15,00", debtor="B"),
            payment("2025-02-01", "12,00", debtor="A"),
            payment("2025-02-02", "10,00", debtor="C"),
        ],
    )
    ledger = book(register, "2025-03-31")
    opened = dict(zip(ledger.invoices["invoice_id"], ledger.invoices["open_cents"]))
    assert opened == {"A1": 0, "B1": 0, "A2": eur("8"), "B2": eur("5")}
    # C has no invoices at all: its payment is unallocated cash.
    assert credits(ledger) == [("C", UNALLOCATED, None, -eur("10"))]


@pytest.mark.parametrize("peildatum", ["2024-12-31", "2025-06-30"])
def test_totals_balance_invoices_against_payments(peildatum):
    register = make_register(
        invoices=[
            invoice("F1", "2025-01-01", "100,00"),
            invoice("F2", "2025-01-05", "55,55", debtor="D2"),
            invoice("C1", "2025-01-06", "-20,00", description="op F2", debtor="D2"),
        ],
        payments=[payment("2025-01-10", "130,00"), payment("2025-01-11", "10,00", "F2", debtor="D2")],
    )
    ledger = book(register, peildatum)
    day = pd.Timestamp(peildatum)
    invoiced = register.invoices.loc[register.invoices["invoice_date"] <= day, "amount_cents"].sum()
    paid = register.payments.loc[register.payments["payment_date"] <= day, "amount_cents"].sum()
    assert ledger.open_cents + ledger.credit_cents == invoiced - paid
