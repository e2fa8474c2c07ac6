"""Ageing of the open items (ageing.py)."""

import pandas as pd
import pytest

from debiteuren.ageing import age, bucket_labels
from debiteuren.ledger import settle
from debiteuren.register.model import Settings
from registers import d, eur, make_register

PEILDATUM = "2025-06-30"


def ageing_of(register, peildatum=PEILDATUM, **options):
    ledger = settle(register.invoices, register.payments, d(peildatum), pd.Index(register.debtors["debtor_id"]))
    return age(ledger, register.settings.ageing_buckets, **options)


def due(invoice_id, due_date, amount, debtor="D1", **more):
    # Invoiced 2025-01-01 with an explicit due date, so the age is exact.
    return dict(
        invoice_id=invoice_id, debtor_id=debtor, invoice_date="2025-01-01", due_date=due_date, amount=amount, **more
    )


def test_bucket_bounds_are_inclusive_and_sum_to_the_open_total():
    # Days past due on 2025-06-30 in the comment of each invoice.
    register = make_register(
        invoices=[
            due("A", "2025-07-10", "1,00"),  # -10: niet vervallen
            due("B", "2025-06-30", "2,00"),  # 0: niet vervallen (due today)
            due("C", "2025-06-29", "4,00"),  # 1
            due("D", "2025-05-31", "8,00"),  # 30
            due("E", "2025-05-30", "16,00"),  # 31
            due("F", "2025-05-01", "32,00"),  # 60
            due("G", "2025-04-30", "64,00"),  # 61
            due("H", "2025-04-01", "128,00"),  # 90
            due("I", "2025-03-31", "256,00"),  # 91
            due("J", "2025-03-02", "512,00"),  # 120
            due("K", "2025-03-01", "1.024,00"),  # 121
        ]
    )
    ageing = ageing_of(register)
    assert ageing.amounts() == {
        "niet vervallen": eur("3"),  # 1 + 2
        "1-30": eur("12"),  # 4 + 8
        "31-60": eur("48"),  # 16 + 32
        "61-90": eur("192"),  # 64 + 128
        "91-120": eur("768"),  # 256 + 512
        ">120": eur("1.024"),
    }
    assert ageing.open_cents == eur("2.047") == sum(ageing.amounts().values())
    assert ageing.overdue_cents == eur("2.044")  # everything but A and B
    assert list(ageing.totals["count"]) == [2, 2, 2, 2, 2, 1]
    days = dict(zip(ageing.by_invoice["invoice_id"], ageing.by_invoice["days"]))
    assert (days["A"], days["B"], days["K"]) == (-10, 0, 121)


def test_partial_payments_age_what_is_left_and_disputes_have_their_own_column():
    register = make_register(
        invoices=[
            due("A", "2025-06-15", "1.000,00"),  # 15 days: 1-30
            due("B", "2025-04-15", "300,00", disputed=True),  # 76 days: 61-90
            due("C", "2025-06-15", "50,00", debtor="D2"),
        ],
        payments=[dict(payment_date="2025-06-20", debtor_id="D1", invoice_id="A", amount="400,00")],
    )
    ageing = ageing_of(register)
    # A: 1000 - 400 = 600 in 1-30; B 300 in 61-90 and also in the disputed column.
    row = ageing.by_debtor.set_index("debtor_id").loc["D1"]
    assert (row["1-30"], row["61-90"], row["open_cents"]) == (eur("600"), eur("300"), eur("900"))
    assert (row["disputed_cents"], row["overdue_cents"]) == (eur("300"), eur("900"))
    assert ageing.disputed_cents == eur("300")
    assert ageing.amounts()["1-30"] == eur("650")  # 600 + D2's 50


def test_unallocated_cash_is_its_own_line_not_a_bucket():
    register = make_register(
        invoices=[due("A", "2025-06-15", "100,00"), due("B", "2025-06-15", "70,00", debtor="D2")],
        payments=[
            dict(payment_date="2025-06-20", debtor_id="D1", amount="130,00"),
            dict(payment_date="2025-06-21", debtor_id="D3", amount="25,00"),
        ],
    )
    ageing = ageing_of(register)
    # D1: A paid, 30 left over; D2 owes 70; D3 paid 25 with nothing to pay.
    assert sum(ageing.amounts().values()) == ageing.open_cents == eur("70")
    assert ageing.credit_cents == -eur("55")
    assert ageing.balance_cents == eur("15")
    rows = ageing.by_debtor.set_index("debtor_id")
    assert list(rows.index) == ["D1", "D2", "D3"]
    assert list(rows["credit_cents"]) == [-eur("30"), 0, -eur("25")]
    assert list(rows["balance_cents"]) == [-eur("30"), eur("70"), -eur("25")]


def test_buckets_come_from_the_settings():
    register = make_register(
        invoices=[due("A", "2025-06-20", "1,00"), due("B", "2025-05-01", "2,00"), due("C", "2025-04-01", "4,00")],
        settings=Settings(ageing_buckets=(14, 45)),
    )
    ageing = ageing_of(register)
    # 10, 60 and 90 days past due.
    assert ageing.amounts() == {"niet vervallen": 0, "1-14": eur("1"), "15-45": 0, ">45": eur("6")}


def test_ageing_by_invoice_date():
    register = make_register(
        invoices=[
            dict(invoice_id="A", debtor_id="D1", invoice_date="2025-06-30", amount="1,00"),  # 0 days
            dict(invoice_id="B", debtor_id="D1", invoice_date="2025-05-31", amount="2,00"),  # 30
            dict(invoice_id="C", debtor_id="D1", invoice_date="2025-05-30", amount="4,00"),  # 31
            dict(invoice_id="D", debtor_id="D1", invoice_date="2025-01-01", amount="8,00"),  # 180
        ]
    )
    ageing = ageing_of(register, basis="invoice_date")
    assert ageing.amounts() == {
        "0-30": eur("3"), "31-60": eur("4"), "61-90": 0, "91-120": 0, ">120": eur("8"),
    }  # fmt: skip
    # Past due is still by due date (30-day terms): C (due 06-29) and D; B is due today.
    assert ageing.overdue_cents == eur("12")


def test_a_past_peildatum_ages_as_it_stood_then():
    register = make_register(
        invoices=[due("A", "2025-05-15", "100,00"), due("B", "2025-06-25", "40,00")],
        payments=[dict(payment_date="2025-06-10", debtor_id="D1", invoice_id="A", amount="100,00")],
    )
    may = ageing_of(register, "2025-05-31")
    # On 31 May: A 16 days past due, unpaid; B (invoiced 1 January) not yet due.
    assert may.amounts()["1-30"] == eur("100")
    assert may.amounts()["niet vervallen"] == eur("40")
    june = ageing_of(register)
    assert june.amounts()["1-30"] == eur("40")  # only B, 5 days past due


@pytest.mark.parametrize(
    ("bounds", "labels"),
    [
        ((30, 60, 90, 120), ("niet vervallen", "1-30", "31-60", "61-90", "91-120", ">120")),
        ((7,), ("niet vervallen", "1-7", ">7")),
    ],
)
def test_bucket_labels(bounds, labels):
    assert bucket_labels(bounds) == labels


def test_open_by_debtor_largest_first_ties_in_register_order_nothing_open_left_out():
    register = make_register(
        debtors=[dict(debtor_id=i) for i in ("D1", "D2", "D3", "D4")],
        invoices=[
            due("A", "2025-06-01", "100,00", debtor="D1"),
            due("B", "2025-06-01", "300,00", debtor="D2"),
            due("C", "2025-06-01", "100,00", debtor="D3"),
            due("D", "2025-06-01", "50,00", debtor="D4"),
        ],
        payments=[dict(payment_date="2025-06-10", debtor_id="D4", invoice_id="D", amount="50,00")],  # D4 paid
    )
    rows = ageing_of(register).open_by_debtor()
    assert list(zip(rows["debtor_id"], rows["open_cents"])) == [("D2", 30000), ("D1", 10000), ("D3", 10000)]
