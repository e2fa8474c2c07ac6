"""One debtor's dossier (debtor_dossier.py): what belongs to the debtor, in which order, typed without NaN."""

from datetime import date
from decimal import Decimal

import pytest

from debiteuren.debtor_dossier import (
    ARRANGEMENT,
    CALL,
    PROMISE,
    ActionLine,
    DossierEntry,
    EntryInvalid,
    PaidLine,
    PaymentLine,
    debtor_dossier,
    entry_rows,
)
from debiteuren.money import AmountError
from debiteuren.review import review
from registers import make_register

PEILDATUM = date(2026, 10, 31)


def register(text_dtype):
    return make_register(
        debtors=[dict(debtor_id="D1", name="Bakkerij De Korst", contact="Anne", payment_term_days=30)],
        invoices=[
            dict(invoice_id="F1", debtor_id="D1", invoice_date="2026-06-01", amount="1.000,00"),  # due 07-01
            dict(invoice_id="F2", debtor_id="D1", invoice_date="2026-08-01", amount="500,00"),  # due 08-31
            dict(invoice_id="F3", debtor_id="D1", invoice_date="2026-09-15", amount="2.000,00"),  # due 10-15
            dict(invoice_id="G1", debtor_id="D2", invoice_date="2026-09-01", amount="100,00"),
        ],
        payments=[
            dict(payment_date="2026-07-11", debtor_id="D1", invoice_id="F1", amount="1.000,00"),
            dict(payment_date="2026-09-20", debtor_id="D1", invoice_id="F2", amount="500,00", description="bank"),
            dict(payment_date="2026-11-05", debtor_id="D1", invoice_id="F3", amount="300,00"),  # after the peildatum
            dict(payment_date="2026-10-01", debtor_id="D2", invoice_id="G1", amount="100,00"),
        ],
        actions=[
            dict(action_date="2026-10-20", debtor_id="D1", kind="Telefoongesprek", description="Gebeld"),
            dict(
                action_date="2026-10-25",
                debtor_id="D1",
                kind="Betalingsbelofte",
                promised="400,00",
                promised_date="2026-11-10",
                by="Anne",
            ),
            dict(action_date="2026-11-03", debtor_id="D1", kind="Notitie", description="Na de peildatum"),
            dict(action_date="2026-10-22", debtor_id="D2", kind="Notitie", description="Ander"),
        ],
        text_dtype=text_dtype,
    )


@pytest.fixture(scope="module", params=["string", "str"])
def dossier(request):
    """D1's dossier, from text columns with NA (``string``) and with NaN (``str``, as the reader makes them)."""
    reg = register(request.param)
    return debtor_dossier(reg, review(reg, PEILDATUM), "D1"), reg


def test_payments_through_the_peildatum_newest_first(dossier):
    result, _ = dossier
    # the 300,00 of 05-11 comes after the peildatum; D2's payment is not D1's
    assert result.payments == (
        PaymentLine(date(2026, 9, 20), "F2", 50000, "bank"),
        PaymentLine(date(2026, 7, 11), "F1", 100000, None),
    )


def test_the_whole_log_newest_first_with_empty_cells_as_none(dossier):
    result, _ = dossier
    assert result.actions == (
        ActionLine(date(2026, 11, 3), "Notitie", None, "Na de peildatum", None, None, None, None),
        ActionLine(date(2026, 10, 25), "Betalingsbelofte", None, None, 40000, date(2026, 11, 10), "Anne", None),
        ActionLine(date(2026, 10, 20), "Telefoongesprek", None, "Gebeld", None, None, None, None),
    )


def test_paid_invoices_oldest_first_with_their_days_to_pay(dossier):
    result, _ = dossier
    # F1: 01-06 to 11-07 = 30 + 10 = 40 days; F2: 01-08 to 20-09 = 31 + 19 = 50 days; F3 is open
    assert result.paid == (PaidLine(date(2026, 7, 11), 40), PaidLine(date(2026, 9, 20), 50))


def test_invoices_newest_first_and_the_facts(dossier):
    result, _ = dossier
    assert list(result.invoices["invoice_id"]) == ["F3", "F2", "F1"]
    facts = result.facts
    assert (facts.debtor_id, facts.name, facts.kind, facts.contact) == ("D1", "Bakkerij De Korst", "zakelijk", "Anne")
    assert facts.phone is None and facts.email is None
    # only F3 is open (2.000,00), due 15-10: overdue on 31-10
    assert (facts.open_cents, facts.overdue_cents) == (200000, 200000)
    assert isinstance(facts.early_warning, bool)


def test_only_the_debtors_steps(dossier):
    result, reg = dossier
    plan = review(reg, PEILDATUM).plan
    assert result.steps and all(s.debtor_id == "D1" for s in result.steps)
    assert result.steps == tuple(s for s in plan.steps if s.debtor_id == "D1")


# --- recording an entry ------------------------------------------------------------------------

DAY = date(2026, 11, 2)


def test_a_call_is_one_acties_row_as_typed():
    rows = entry_rows(DossierEntry("D1", CALL, DAY, description="  Gebeld ", invoice_ids=" F1, F2 ", by=" Anne "))
    assert rows.arrangements is None
    assert rows.actions.values.tolist() == [[DAY, "D1", "F1, F2", CALL, "Gebeld", None, None, "Anne"]]


def test_an_arrangement_numbers_its_instalments_and_says_them_in_the_description():
    # the form's rows 1 and 3 filled, row 2 empty: Regelingen numbers them 1 and 2, the text keeps the rows
    entry = DossierEntry(
        "D1",
        ARRANGEMENT,
        DAY,
        description="Na overleg.",
        instalments=((date(2026, 11, 15), "500"), (None, " "), (date(2026, 12, 15), "250,50")),
    )
    rows = entry_rows(entry)
    assert rows.actions.iloc[0]["Omschrijving"] == (
        "Betalingsregeling in 2 termijnen: termijn 1 op 15-11-2026 € 500,00; termijn 3 op 15-12-2026 € 250,50. "
        "Na overleg."
    )
    assert rows.arrangements.values.tolist() == [
        ["D1", 1, date(2026, 11, 15), Decimal("500")],
        ["D1", 2, date(2026, 12, 15), Decimal("250.50")],
    ]


@pytest.mark.parametrize(
    "entry, error, message",
    [
        (DossierEntry("D1", CALL, None, description="x"), EntryInvalid, "Vul de datum in."),
        (DossierEntry("D1", CALL, DAY), EntryInvalid, "Schrijf in Omschrijving wat er is besproken (Telefoongesprek)."),
        # a promise: both fields are asked for before the amount is read
        (
            DossierEntry("D1", PROMISE, DAY, promised_amount="tien"),
            EntryInvalid,
            "Een betalingsbelofte heeft een toegezegd bedrag en een toegezegde datum.",
        ),
        (
            DossierEntry("D1", PROMISE, DAY, promised_amount="tien", promised_date=DAY),
            AmountError,
            "Toegezegd bedrag: 'tien' is geen bedrag.",
        ),
        # the first problem in the form's order: row 1's half-filled row before row 2's amount
        (
            DossierEntry("D1", ARRANGEMENT, DAY, instalments=((None, "5"), (DAY, "tien"))),
            EntryInvalid,
            "Termijn 1: vul zowel de vervaldatum als het bedrag in.",
        ),
        (
            DossierEntry("D1", ARRANGEMENT, DAY, instalments=((DAY, "0"),)),
            AmountError,
            "Termijn 1: het bedrag moet groter dan nul zijn.",
        ),
        (
            DossierEntry("D1", ARRANGEMENT, DAY, instalments=((None, ""),)),
            EntryInvalid,
            "Een betalingsregeling heeft ten minste één termijn (vervaldatum en bedrag).",
        ),
    ],
)
def test_an_entry_that_cannot_be_recorded_says_why_in_dutch(entry, error, message):
    with pytest.raises(error) as raised:
        entry_rows(entry)
    assert str(raised.value) == message
