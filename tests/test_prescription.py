"""Prescription (art. 3:307, 3:308, 3:317-3:319, 7:28 BW): the dates, the review's warnings, the plan, the tools.

Expected dates are worked out by hand from the articles (comments), not with the code under test.
"""

from __future__ import annotations

import dataclasses
import json
from datetime import date

import pytest

from debiteuren.cli import main
from debiteuren.law.prescription import INTERRUPTING_KINDS, prescription
from debiteuren.register.model import Settings
from debiteuren.register.schema import ACTION_KINDS
from debiteuren.review import review
from registers import d, make_register
from workbooks import write_register


@pytest.mark.parametrize(
    "due, interruptions, consumer_sale, prescribed_on",
    [
        # 3:307: the period starts on 16-03-2021 and ends at the end of 15-03-2026
        ("2021-03-15", [], False, "2026-03-16"),
        # an interruption before the due date does nothing; one on the last day still counts (3:319: 5 new years)
        ("2021-03-15", ["2021-03-01", "2026-03-15"], False, "2031-03-16"),
        # two interruptions: the last one counts
        ("2021-03-15", ["2023-01-10", "2025-06-30"], False, "2030-07-01"),
        # 7:28: two years; an interruption gives two new years (3:319: as long as the old period)
        ("2024-01-31", [], True, "2026-02-01"),
        ("2024-01-31", ["2025-12-01"], True, "2027-12-02"),
        # prescribed on 2026-02-01: a letter of 2026-03-01 does not revive it
        ("2024-01-31", ["2026-03-01"], True, "2026-02-01"),
        # due on 29 February: five years later there is none; the period ends on 28 February (the earlier end)
        ("2024-02-29", [], False, "2029-03-01"),
    ],
    ids=[
        "five-years",
        "interrupted-on-the-last-day",
        "last-interruption",
        "consumer-sale",
        "consumer-sale-interrupted",
        "no-revival",
        "29-february",
    ],
)
def test_prescription_dates(due, interruptions, consumer_sale, prescribed_on):
    p = prescription(d(due), [d(x) for x in interruptions], consumer_sale=consumer_sale)
    assert p.prescribed_on == d(prescribed_on)
    assert p.article == ("art. 7:28 BW" if consumer_sale else "art. 3:307 BW")


def test_stuiting_is_an_action_kind_and_interrupts():
    assert "Stuiting" in ACTION_KINDS
    assert set(INTERRUPTING_KINDS) <= set(ACTION_KINDS)
    assert "Telefoongesprek" not in INTERRUPTING_KINDS and "Uit handen" not in INTERRUPTING_KINDS


def consumer_register(actions=(), **settings):
    register = make_register(
        debtors=[dict(debtor_id="C1", name="J. de Vries", kind="consument")],
        invoices=[
            dict(invoice_id="OUD", debtor_id="C1", invoice_date="2021-05-01", due_date="2021-05-31", amount="250,00"),
            dict(invoice_id="NIEUW", debtor_id="C1", invoice_date="2026-09-01", due_date="2026-10-01", amount="100,00"),
        ],
        actions=list(actions),
    )
    if settings:
        register = dataclasses.replace(register, settings=dataclasses.replace(register.settings, **settings))
    return register


PEILDATUM = d("2026-10-20")


def test_a_prescribed_consumer_invoice_gets_no_reminder_and_a_warning():
    # OUD is due 31-05-2021: the period ends at the end of 31-05-2026, prescribed from 01-06-2026
    result = review(consumer_register(), PEILDATUM)
    row = result.prescription.set_index("invoice_id").loc["OUD"]
    assert (bool(row.prescribed), row.prescribed_on.date()) == (True, d("2026-06-01"))
    assert all("OUD" not in step.invoice_ids for step in result.plan.steps)
    assert any(step.invoice_ids == ("NIEUW",) for step in result.plan.steps)
    (note,) = [n for n in result.notes if "OUD" in n]
    assert note.startswith(
        "Factuur OUD van debiteur C1 (€ 250,00 open, vervallen 31-05-2021) is verjaard sinds "
        "01-06-2026 (art. 3:307 BW: 5 jaar)."
    )


def test_the_controller_can_still_dun_a_prescribed_invoice():
    result = review(consumer_register(dun_prescribed=True), PEILDATUM)
    assert any("OUD" in step.invoice_ids for step in result.plan.steps)


def test_a_logged_stuiting_keeps_the_claim_alive():
    # Stuiting on 02-02-2026, inside the period: five new years from 03-02-2026, prescribed from 03-02-2031
    stuiting = dict(action_date="2026-02-02", debtor_id="C1", invoice_ids="OUD", kind="Stuiting")
    result = review(consumer_register([stuiting]), PEILDATUM)
    row = result.prescription.set_index("invoice_id").loc["OUD"]
    assert (bool(row.prescribed), row.prescribed_on.date(), row.last_interruption.date()) == (
        False, d("2031-02-03"), d("2026-02-02"),
    )  # fmt: skip
    assert any("OUD" in step.invoice_ids for step in result.plan.steps)


def test_a_consumer_sale_prescribes_after_two_years_and_a_warning_comes_ahead():
    register = make_register(
        debtors=[dict(debtor_id="C1", name="J. de Vries", kind="consument")],
        invoices=[
            dict(invoice_id="K1", debtor_id="C1", invoice_date="2024-10-01", due_date="2024-12-15", amount="80,00")
        ],
    )
    register = dataclasses.replace(register, settings=dataclasses.replace(register.settings, consumer_sale=True))
    # 7:28: from 16-12-2024 two years, to the end of 15-12-2026: prescribed from 16-12-2026, within 92 days
    result = review(register, PEILDATUM)
    row = result.prescription.set_index("invoice_id").loc["K1"]
    assert (row.years, row.prescribed_on.date(), bool(row.prescribed)) == (2, d("2026-12-16"), False)
    assert any(
        n.startswith("Factuur K1 van debiteur C1 verjaart op 16-12-2026 (art. 7:28 BW: 2 jaar)") for n in result.notes
    )
    # without the setting: five years, no warning
    plain = review(dataclasses.replace(register, settings=Settings()), PEILDATUM)
    assert plain.prescription.set_index("invoice_id").loc["K1"].years == 5
    assert not any("K1" in n for n in plain.notes)


def test_interest_older_than_five_years_is_flagged():
    # Z1 due 31-01-2021, interest from 01-02-2021; a reminder on 15-01-2026 interrupts the claim (3:317: alive
    # until the end of 15-01-2031) but does not demand the interest, so on 20-10-2026 interest that became
    # due before 20-10-2021 (five years back, 3:308) may be prescribed.
    reminder = dict(action_date="2026-01-15", debtor_id="B1", invoice_ids="Z1", kind="Betalingsherinnering")
    register = make_register(
        debtors=[dict(debtor_id="B1", name="Bakkerij", kind="zakelijk")],
        invoices=[
            dict(invoice_id="Z1", debtor_id="B1", invoice_date="2020-12-01", due_date="2021-01-31", amount="500,00")
        ],
        actions=[reminder],
    )
    result = review(register, PEILDATUM)
    row = result.prescription.set_index("invoice_id").loc["Z1"]
    assert (bool(row.prescribed), row.prescribed_on.date(), row.interest_prescribed_before.date()) == (
        False, d("2031-01-16"), d("2021-10-20"),
    )  # fmt: skip
    assert any(
        n.startswith(
            "Factuur Z1 van debiteur B1: rente die vóór 20-10-2021 opeisbaar werd, kan verjaard zijn (art. 3:308 BW"
        )
        for n in result.notes
    )
    # a Stuiting the same day demands the interest too: interest due from 15-01-2021 on is kept: no warning
    stuiting = make_register(
        debtors=[dict(debtor_id="B1", name="Bakkerij", kind="zakelijk")],
        invoices=[
            dict(invoice_id="Z1", debtor_id="B1", invoice_date="2020-12-01", due_date="2021-01-31", amount="500,00")
        ],
        actions=[{**reminder, "kind": "Stuiting"}],
    )
    kept = review(stuiting, PEILDATUM)
    assert kept.prescription.set_index("invoice_id").loc["Z1"].interest_prescribed_before.date() == d("2021-01-15")
    assert not any("3:308" in n for n in kept.notes)
    # without any interruption the claim itself prescribed from 01-02-2026
    bare = dataclasses.replace(register, actions=register.actions.iloc[0:0])
    assert review(bare, PEILDATUM).prescription.set_index("invoice_id").loc["Z1"].prescribed


def test_rente_warns_about_interest_older_than_five_years(capsys):
    assert (
        main(
            [
                "rente",
                "--hoofdsom",
                "1000",
                "--vanaf",
                "2006-01-01",
                "--tot",
                "2026-11-30",
                "--soort",
                "wettelijke",
                "--json",
            ]
        )
        == 0
    )
    warnings = json.loads(capsys.readouterr().out)["warnings"]
    assert any("rente die vóór 30-11-2021 opeisbaar werd, kan verjaard zijn (art. 3:308 BW" in w for w in warnings)


def test_controleer_warns_about_a_prescribed_invoice(tmp_path, capsys):
    path = write_register(
        tmp_path,
        Facturen=[
            ["Factuurnummer", "Debiteurnummer", "Factuurdatum", "Vervaldatum", "Bedrag", "Betwist"],
            ["F-001", "1001", date(2019, 9, 1), date(2019, 10, 1), 1210.00, "nee"],
        ],
        Betalingen=[["Datum", "Debiteurnummer", "Factuurnummer", "Bedrag"]],
        Acties=[["Datum", "Debiteurnummer", "Factuurnummers", "Soort", "Omschrijving"]],
    )
    assert main(["controleer", str(path)]) == 0
    out = capsys.readouterr().out
    # due 01-10-2019: prescribed from 02-10-2024, whatever today is
    assert "Factuur F-001 van debiteur 1001 (€ 1.210,00 open, vervallen 01-10-2019) is verjaard sinds 02-10-2024" in out
