"""The risk scorecard and segments (segments.py)."""

import pandas as pd

from debiteuren.ageing import age
from debiteuren.ledger import settle
from debiteuren.payment_behaviour import WarningRule, analyse
from debiteuren.segments import broken_promises, score
from registers import d, eur, make_register

PEILDATUM = "2025-12-31"


def segments_of(register, peildatum=PEILDATUM):
    ledger = settle(register.invoices, register.payments, d(peildatum), pd.Index(register.debtors["debtor_id"]))
    behaviour = analyse(ledger, WarningRule.from_settings(register.settings))
    return score(register, ledger, age(ledger), behaviour)


def row(segments, debtor):
    return segments.by_debtor.set_index("debtor_id").loc[debtor]


def invoice(invoice_id, debtor, issued, amount, **more):
    return dict(invoice_id=invoice_id, debtor_id=debtor, invoice_date=issued, amount=amount, **more)


def pays(debtor, invoice_id, paid, amount):
    return dict(payment_date=paid, debtor_id=debtor, invoice_id=invoice_id, amount=amount)


def promise(debtor, made, by, amount=None):
    return dict(action_date=made, debtor_id=debtor, kind="Betalingsbelofte", promised=amount, promised_date=by)


# R: paid one invoice 30 days late; 1.500 open 61 days past due; 500 disputed, not yet due;
# a limit of 2.000; a promise to pay 1.500 by 20 November that was not kept.
RISKY = dict(
    debtors=[dict(debtor_id="R", credit_limit="2.000,00", customer_since="2020-01-01")],
    invoices=[
        invoice("R-1", "R", "2025-06-01", "1.000,00"),  # due 07-01
        invoice("R-2", "R", "2025-10-01", "1.500,00"),  # due 10-31
        invoice("R-3", "R", "2025-12-15", "500,00", disputed=True),  # due 2026-01-14
    ],
    payments=[pays("R", "R-1", "2025-07-31", "1.000,00")],
    actions=[promise("R", "2025-11-01", "2025-11-20", "1.500,00")],
)


def test_every_point_comes_with_its_reason():
    r = row(segments_of(make_register(**RISKY)), "R")
    # 3 (30 days late) + 2 (1.500 of 2.000 = 75% past due) + 2 (2.000 of 2.000 limit)
    # + 1 (dispute) + 2 (one broken promise) = 10
    assert r["score"] == 10
    assert (r["risk"], r["segment"]) == ("hoog", "hoog")
    assert r["why"] == (
        "Betaalt gemiddeld 30,0 dagen na de vervaldatum (laatste 12 maanden) (+3); "
        "75,0% van het openstaande bedrag is vervallen (+2); "
        "Saldo is 100,0% van de kredietlimiet (+2); "
        "Betwiste facturen open: € 500,00 (+1); "
        "1 gebroken betalingsbelofte in de laatste 12 maanden (+2)"
    )
    assert (str(r["overdue_share"]), str(r["limit_use"]), r["broken_promises"]) == ("75.0", "100.0", 1)


def test_the_reasons_as_a_table():
    reasons = segments_of(make_register(**RISKY)).reasons
    assert list(reasons["points"]) == [3, 2, 2, 1, 2]
    assert set(reasons["debtor_id"]) == {"R"}


def test_points_and_thresholds_are_settings():
    register = make_register(**RISKY, raw_settings={"Score betwisting punten": "3", "Grens hoog risico": "13"})
    r = row(segments_of(register), "R")
    assert (r["score"], r["risk"]) == (12, "midden")  # 10 - 1 + 3 = 12 < 13


def test_late_payment_points_step_up():
    register = make_register(
        invoices=[invoice("A-1", "A", "2025-06-01", "100,00"), invoice("B-1", "B", "2025-06-01", "100,00")],
        payments=[pays("A", "A-1", "2025-07-08", "100,00"), pays("B", "B-1", "2025-07-07", "100,00")],
    )
    segments = segments_of(register)
    # A 7 days late: 1 point; B 6 days: none.
    assert row(segments, "A")["why"] == "Betaalt gemiddeld 7,0 dagen na de vervaldatum (laatste 12 maanden) (+1)"
    assert (row(segments, "A")["score"], row(segments, "A")["risk"]) == (1, "laag")
    assert row(segments, "B")["score"] == 0 and pd.isna(row(segments, "B")["why"])


def test_labels_and_which_segment_wins():
    risky_large = {**RISKY, "debtors": [dict(RISKY["debtors"][0], size="groot")]}
    register = make_register(
        debtors=[
            *risky_large["debtors"],
            dict(debtor_id="L", customer_since="2015-03-01"),
            dict(debtor_id="S", customer_since="2025-01-01"),  # 364 days: starter
            dict(debtor_id="Y", customer_since="2024-12-31"),  # 365 days: a year
            dict(debtor_id="G", size="groot"),
            dict(debtor_id="M", segment_override="laag", size="groot"),
        ],
        invoices=[
            *RISKY["invoices"],
            invoice("M-1", "M", "2025-01-01", "100,00"),  # open, 334 days past due: 100% (+2)
            invoice("M-2", "M", "2025-01-02", "100,00", disputed=True),  # (+1)
        ],
        payments=RISKY["payments"],
        actions=RISKY["actions"],
    )
    segments = segments_of(register)
    got = {
        debtor: (r.score, r.risk, bool(r.starter), bool(r.large), r.segment, bool(r.manual))
        for debtor, r in segments.by_debtor.set_index("debtor_id").iterrows()
    }
    assert got == {
        "R": (10, "hoog", False, True, "hoog", False),  # high risk outranks the label
        "L": (0, "laag", False, False, "laag", False),
        "S": (0, "laag", True, False, "starter", False),
        "Y": (0, "laag", False, False, "laag", False),
        "G": (0, "laag", False, True, "grote organisatie", False),
        "M": (3, "midden", False, True, "laag", True),  # the register's Segment wins
    }
    assert row(segments, "S")["why"] == "Klant sinds minder dan een jaar (starter)"
    assert row(segments, "M")["why"] == (
        "100,0% van het openstaande bedrag is vervallen (+2); Betwiste facturen open: € 100,00 (+1); "
        "Grote organisatie; Segment handmatig vastgelegd: laag"
    )


def test_broken_promises():
    register = make_register(
        invoices=[invoice("F1", "D1", "2025-06-01", "5.000,00")],
        payments=[
            pays("D1", None, "2025-10-14", "300,00"),
            pays("D1", None, "2025-11-10", "200,00"),
            pays("D1", None, "2025-11-16", "400,00"),  # after the promised date
        ],
        actions=[
            promise("D1", "2025-10-01", "2025-10-15", "300,00"),  # kept: 300 on 10-14
            promise("D1", "2025-11-01", "2025-11-15", "500,00"),  # broken: only 200 by 11-15
            promise("D1", "2025-12-01", "2025-12-10"),  # no amount and no payment: broken
            promise("D1", "2025-12-20", "2026-01-10", "100,00"),  # not yet due
            promise("D1", "2024-11-01", "2024-12-15", "100,00"),  # more than 12 months ago
        ],
    )
    promises = broken_promises(register, d(PEILDATUM))
    assert list(promises["promised_date"].dt.strftime("%m-%d")) == ["10-15", "11-15", "12-10"]
    assert list(promises["paid_cents"]) == [eur("300"), eur("200"), 0]
    assert list(promises["broken"]) == [False, True, True]
    r = row(segments_of(register), "D1")
    # two broken: 2 x 2 = 4 points (at most 4); plus 5.000 open and all of it past due (+2).
    assert r["broken_promises"] == 2
    assert r["why"].endswith("2 gebroken betalingsbeloftes in de laatste 12 maanden (+4)")
