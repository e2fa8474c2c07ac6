"""Interest to date per open invoice in the review; amounts computed by hand."""

from __future__ import annotations

import dataclasses
from datetime import date

from debiteuren.dunning import consumer_verzuim_days
from debiteuren.invoice_interest import interest_per_invoice
from debiteuren.ledger import settle
from registers import d, make_register

PEILDATUM = date(2026, 10, 31)


def interest_of(register, peildatum=PEILDATUM):
    ledger = settle(register.invoices, register.payments, peildatum)
    frame = interest_per_invoice(register, ledger.invoices, peildatum)
    return frame.set_index("invoice_id")


def register_with(kind, actions=(), settings=None):
    register = make_register(
        debtors=[dict(debtor_id="1001", name="Klant", kind=kind)],
        invoices=[
            dict(invoice_id="F1", debtor_id="1001", invoice_date="2026-08-31", due_date="2026-09-30", amount="1.000,00")
        ],
        actions=list(actions),
    )
    return dataclasses.replace(register, settings=settings) if settings else register


def test_business_interest_runs_from_the_day_after_the_due_date():
    row = interest_of(register_with("zakelijk")).loc["F1"]
    # 1 to 31 October 2026: 31 days at 10,40 % handelsrente: 1.000 x 0,104 x 31 / 365 = 8,8329 -> 8,83
    assert (row.interest_kind, row.first_interest_day.date(), row.interest_cents) == (
        "handelsrente",
        d("2026-10-01"),
        883,
    )
    assert bool(row.provisional)  # the 2026-07-01 handelsrente is marked voorlopig


def test_consumer_owes_interest_only_after_default():
    assert interest_of(register_with("consument")).loc["F1"].interest_cents == 0
    letter = dict(action_date="2026-09-02", debtor_id="1001", invoice_ids="F1", kind="Veertiendagenbrief")
    row = interest_of(register_with("consument", [letter])).loc["F1"]
    # Sent Wed 2 Sept, delivered Fri 4 Sept, term to Fri 18 Sept; from 19 Sept to 31 Oct: 12 + 31 = 43 days
    # at 4 % wettelijke rente: 1.000 x 0,04 x 43 / 365 = 4,7123 -> 4,71
    assert (row.interest_kind, row.first_interest_day.date(), row.interest_cents) == (
        "wettelijke",
        d("2026-09-19"),
        471,
    )


def test_fatal_terms_setting_starts_consumer_interest_after_the_due_date():
    from debiteuren.register.model import Settings

    row = interest_of(register_with("consument", settings=Settings(terms_are_fatal=True))).loc["F1"]
    # 31 days at 4 %: 1.000 x 0,04 x 31 / 365 = 3,3973 -> 3,40
    assert (row.first_interest_day.date(), row.interest_cents) == (d("2026-10-01"), 340)


def test_interest_runs_on_what_is_still_open():
    register = make_register(
        debtors=[dict(debtor_id="1001", name="Klant", kind="zakelijk")],
        invoices=[
            dict(invoice_id="F1", debtor_id="1001", invoice_date="2026-08-31", due_date="2026-09-30", amount="1.000,00")
        ],
        payments=[dict(payment_date="2026-10-05", debtor_id="1001", invoice_id="F1", amount="500,00")],
    )
    # 6:44: first interest through the payment day, then principal.
    # 1 to 5 October: 1.000 x 0,104 x 5 / 365 = 1,4247 -> 1,42 of the payment goes to interest,
    # 498,58 to principal, 501,42 left; 6 to 31 October: 501,42 x 0,104 x 26 / 365 = 3,7145 -> 3,71
    # interest charged 1,42 + 3,71 = 5,13 (the ledger has 500,00 open: 500 + 5,13 = 501,42 + 3,71)
    row = interest_of(register).loc["F1"]
    assert (row.interest_cents, row.interest_paid_cents, row.principal_left_cents) == (513, 142, 50142)


def test_the_review_and_the_plan_count_the_same_first_day_of_verzuim():
    # One letter of Tuesday 3 November 2026 is a 14-day letter for F1 and the notice of default for F2.
    # The letter gives one term for both: presumed delivered Thursday 5 November, last day 19 November,
    # so F2 is in verzuim from 20 November (not 11 November, the notice's own 7 days).
    register = make_register(
        debtors=[dict(debtor_id="1001", name="Klant", kind="consument")],
        invoices=[
            dict(
                invoice_id="F1", debtor_id="1001", invoice_date="2026-06-01", due_date="2026-07-01", amount="1.000,00"
            ),
            dict(invoice_id="F2", debtor_id="1001", invoice_date="2026-07-15", due_date="2026-08-14", amount="500,00"),
        ],
        actions=[
            dict(action_date="2026-09-03", debtor_id="1001", invoice_ids="F1", kind="Ingebrekestelling"),
            dict(action_date="2026-11-03", debtor_id="1001", invoice_ids="F1", kind="Veertiendagenbrief"),
            dict(action_date="2026-11-03", debtor_id="1001", invoice_ids="F2", kind="Ingebrekestelling"),
        ],
    )
    peildatum = d("2026-11-30")
    ledger = settle(register.invoices, register.payments, peildatum)
    plan_days = consumer_verzuim_days(register, ledger.invoices, peildatum)
    review_days = {i: day.date() for i, day in interest_of(register, peildatum)["first_interest_day"].items()}
    assert plan_days["F2"] == d("2026-11-20")
    assert review_days == plan_days


def test_the_claim_calculator_takes_the_open_and_the_paid_invoices_with_their_payments():
    from decimal import Decimal

    from debiteuren.invoice_interest import calculator_input
    from debiteuren.law.interest import Claim, Payment

    register = make_register(
        debtors=[dict(debtor_id="1001", name="Bedrijf"), dict(debtor_id="2001", name="Klant", kind="consument")],
        invoices=[
            dict(invoice_id="F1", debtor_id="1001", invoice_date="2026-08-31", due_date="2026-09-30", amount="1.000"),
            dict(invoice_id="F2", debtor_id="1001", invoice_date="2026-08-01", due_date="2026-08-31", amount="500"),
            dict(invoice_id="G1", debtor_id="2001", invoice_date="2026-09-01", due_date="2026-09-15", amount="300"),
        ],
        payments=[
            dict(payment_date="2026-09-15", debtor_id="1001", invoice_id="F2", amount="500"),  # F2 paid (late)
            dict(payment_date="2026-10-10", debtor_id="1001", amount="100"),  # names no invoice
            dict(payment_date="2026-11-05", debtor_id="1001", invoice_id="F1", amount="900"),  # after the last day
        ],
    )
    ledger = settle(register.invoices, register.payments, PEILDATUM)
    business = calculator_input(register, ledger.invoices, "1001", PEILDATUM)
    # business: interest from the day after the due date (6:119a), F2 too: a payment reached it
    assert business.claims == (
        Claim("F1", Decimal("1000.00"), d("2026-10-01"), "handelsrente", due_date=d("2026-09-30")),
        Claim("F2", Decimal("500.00"), d("2026-09-01"), "handelsrente", due_date=d("2026-08-31")),
    )
    assert business.payments == (
        Payment(d("2026-09-15"), Decimal("500.00"), "F2"),
        Payment(d("2026-10-10"), Decimal("100.00"), None),
    )
    assert (business.kind, business.without_first_day, business.accruing) == ("handelsrente", (), True)
    # a consumer without a letter putting them in default owes no interest yet: first day after the last day
    consumer = calculator_input(register, ledger.invoices, "2001", PEILDATUM)
    assert consumer.claims == (Claim("G1", Decimal("300.00"), d("2026-11-01"), "wettelijke", due_date=d("2026-09-15")),)
    assert (consumer.without_first_day, consumer.accruing) == (("G1",), False)
