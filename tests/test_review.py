"""The review pipeline end to end, its summary, JSON and result sheets."""

import dataclasses
from datetime import date, datetime
from decimal import Decimal

import pandas as pd
import pytest

from debiteuren.result_sheets import kerncijfers, ouderdom, prognose, result_sheets
from debiteuren.review import Review, review
from debiteuren.review_report import review_json, summary_text
from registers import d, make_register


def small_register(text_dtype="string"):
    return make_register(
        debtors=[
            dict(
                debtor_id="D1",
                name="Bakkerij De Korst",
                size="groot",
                credit_limit="1.000,00",
                customer_since="2020-01-01",
            ),
            dict(debtor_id="D2", name="Jansen", kind="consument", customer_since="2026-05-01"),
        ],
        invoices=[
            dict(invoice_id="F1", debtor_id="D1", invoice_date="2026-08-01", amount="1.210,00"),  # due 08-31
            dict(
                invoice_id="F2", debtor_id="D1", invoice_date="2026-10-01", amount="500,00", disputed=True
            ),  # due 10-31
            dict(invoice_id="F3", debtor_id="D2", invoice_date="2026-09-15", amount="99,95"),  # due 10-15
        ],
        payments=[
            dict(payment_date="2026-09-20", debtor_id="D1", invoice_id="F1", amount="210,00"),
            dict(payment_date="2026-10-20", debtor_id="D2", amount="150,00"),  # F3 + 50,05 over
        ],
        actions=[
            dict(
                action_date="2026-10-25",
                debtor_id="D1",
                kind="Betalingsbelofte",
                promised="400,00",
                promised_date="2026-11-10",
            ),
        ],
        text_dtype=text_dtype,
    )


PEILDATUM = d("2026-10-31")


@pytest.fixture(scope="module")
def result() -> Review:
    return review(small_register(), PEILDATUM)


def test_the_review_holds_every_part(result):
    assert result.peildatum == PEILDATUM
    assert (result.ageing.open_cents, result.ageing.credit_cents) == (150000, -5005)
    assert list(result.debtors["debtor_id"]) == ["D1", "D2"]
    interest = result.interest.set_index("invoice_id")["interest_cents"].to_dict()
    # F1: 1.210 from 1 Sept at 10,40 %, 210 paid on 20 Sept, allocated by 6:44:
    #   1 to 20 Sept: 1.210 x 0,104 x 20 / 365 = 6,8953 -> 6,90 to interest, 203,10 to principal: 1.006,90 left
    #   21 Sept to 31 Oct: 1.006,90 x 0,104 x 41 / 365 = 11,7626 -> 11,76
    #   interest charged 6,90 + 11,76 = 18,66 (taking the 210 off the principal would give 17,38)
    # F2 falls due on the peildatum: no interest yet. F3 is paid (consumer, no default: no interest).
    assert interest == {"F1": 1866, "F2": 0}
    assert result.debtors.set_index("debtor_id")["interest_cents"].to_dict() == {"D1": 1866, "D2": 0}
    assert result.debtors.set_index("debtor_id")["paid_late_interest_cents"].to_dict() == {"D1": 0, "D2": 0}
    assert result.interest_cents == 1866  # the key figure: F1's 18,66, nothing on F2
    # D1 promised to pay on 10 November: its dunning waits, with a call the day before.
    assert [(p.debtor_id, p.until) for p in result.plan.pauses] == [("D1", d("2026-11-10"))]
    assert [(s.debtor_id, s.action, s.earliest) for s in result.plan.steps] == [
        ("D1", "Telefoongesprek", d("2026-11-09"))
    ]


def test_the_overview_per_debtor(result):
    rows = result.debtors.set_index("debtor_id")
    # D1: F1 1.210 - 210 = 1.000, 61 days past due; F2 500 disputed, due today.
    d1 = rows.loc["D1"]
    assert (d1.open_cents, d1.overdue_cents, d1.disputed_cents, d1.max_days_past_due) == (150000, 100000, 50000, 61)
    # 1.000 of 1.500 past due (+2), 1.500 on a 1.000 limit (+2), a dispute (+1): 5, hoog.
    assert (d1.score, d1.segment) == (5, "hoog")
    # D2 paid F3 35 days after the invoice date, 5 after the due date; a customer since May: starter.
    d2 = rows.loc["D2"]
    assert (d2.balance_cents, d2.days_beyond_12m, d2.segment) == (-5005, Decimal("5.0"), "starter")


def test_review_json(result):
    data = review_json(result)
    assert {k: data[k] for k in ("peildatum", "open_total", "overdue_total", "credit_total", "balance")} == {
        "peildatum": "2026-10-31",
        "open_total": "1500.00",
        "overdue_total": "1000.00",
        "credit_total": "-50.05",
        "balance": "1449.95",
    }
    assert data["ageing"] == {
        "niet vervallen": "500.00", "1-30": "0.00", "31-60": "0.00",
        "61-90": "1000.00", "91-120": "0.00", ">120": "0.00",
    }  # fmt: skip
    # AR 1.449,95. Count-back: October 500 (31 days) -> 949,95; September 99,95 (30) -> 850;
    # August 850 / 1.210 x 31 = 21,78: 82,78.
    assert data["dso_countback"] == "82.8"
    # Simple: 1.449,95 x (31 + 30 + 31) / (1.210 + 99,95 + 500) = 73,70.
    assert data["dso_simple"] == "73.7"
    # CEI October: AR 30 September 1.309,95 - 210 = 1.099,95; sales 500; not due 500.
    # (1.099,95 + 500 - 1.449,95) / (1.099,95 + 500 - 500) = 150 / 1.099,95 = 13,64%
    assert data["cei"] == "13.6"
    assert (data["days_to_pay"], data["days_beyond_terms"]) == ("35.0", "5.0")
    assert data["positions"]["Vervallen"] == {"debtors": 1, "invoices": 1, "amount": "1000.00"}
    assert data["segments"] == {"hoog": 1, "midden": 0, "laag": 0, "starter": 1, "grote organisatie": 0}
    assert [
        {k: debtor[k] for k in ("debiteurnummer", "open", "overdue", "segment", "early_warning")}
        for debtor in data["debtors"]
    ] == [
        {"debiteurnummer": "D1", "open": "1500.00", "overdue": "1000.00", "segment": "hoog", "early_warning": False},
        {"debiteurnummer": "D2", "open": "0.00", "overdue": "0.00", "segment": "starter", "early_warning": False},
    ]
    assert data["forecast"][1] == {"week": 2, "start": "2026-11-08", "end": "2026-11-14", "amount": "400.00"}
    assert not _floats(data)


def _floats(value) -> list:
    """Every float anywhere in a JSON-ready structure."""
    if isinstance(value, float):
        return [value]
    if isinstance(value, dict):
        return [f for v in value.values() for f in _floats(v)]
    if isinstance(value, list):
        return [f for v in value for f in _floats(v)]
    return []


def test_summary_text(result):
    assert summary_text(result) == (
        "Maandreview per 31-10-2026\n"
        "\n"
        "Openstaand: € 1.500,00 in 2 facturen bij 1 debiteur\n"
        "Vervallen € 1.000,00 · betwist € 500,00 · uit handen € 0,00 · afgeboekt € 0,00\n"
        "Niet toegewezen betalingen en creditsaldi: € -50,05 · saldo € 1.449,95\n"
        "\n"
        "Ouderdom (dagen na vervaldatum)\n"
        "  niet vervallen          € 500,00\n"
        "  1-30                      € 0,00\n"
        "  31-60                     € 0,00\n"
        "  61-90                 € 1.000,00\n"
        "  91-120                    € 0,00\n"
        "  >120                      € 0,00\n"
        "\n"
        "Kerncijfers\n"
        "  DSO, terugrekenmethode         82,8 dagen (beste DSO 31,0; ADD = DSO - beste DSO: 51,8)\n"
        "  DSO, eenvoudig (3 maanden)     73,7 dagen (beste DSO 25,4; ADD = DSO - beste DSO: 48,3)\n"
        "  Gem. dagen over vervaldatum    61,0 dagen (openstaande vervallen posten)\n"
        "  CEI oktober 2026 t/m 31-10     13,6%\n"
        "  Betaald, laatste 12 maanden    gem. 35,0 dagen na factuurdatum, 5,0 dagen na vervaldatum\n"
        "  Segmenten                      hoog 1 · starter 1\n"
        "  Prognose 13 weken              € 400,00 (waarvan beloften € 400,00, regelingen € 0,00)\n"
        "  Verwacht maar nog niet binnen  € 600,00\n"
        "  Rente tot peildatum            € 18,66 wettelijke (handels)rente over de vervallen posten "
        "(met voorlopig percentage)\n"
        "\n"
        "Aandacht nodig\n"
        "  Grootste vervallen saldi:\n"
        "    D1 Bakkerij De Korst: € 1.000,00 vervallen, oudste 61 dagen\n"
        "  Betwist:\n"
        "    D1 Bakkerij De Korst: € 500,00\n"
        "  Hoog risico:\n"
        "    D1 Bakkerij De Korst: score 5 - 66,7% van het openstaande bedrag is vervallen (+2); "
        "Saldo is 150,0% van de kredietlimiet (+2); Betwiste facturen open: € 500,00 (+1); Grote organisatie\n"
        "\n"
        "Voorgestelde stappen (nu uit te voeren)\n"
        "  Geen.\n"
        "  Later: 1 stap; gepauzeerd: 1 debiteur (zie het blad Actielijst).\n"
    )


def test_a_past_month_reviewed_again():
    data = review_json(review(small_register(), d("2026-09-30")))
    # On 30 September: F1 (1.000 after the 210 of 09-20, 30 days past due) and F3 (not yet due);
    # F2 and D2's payment did not exist yet.
    assert (data["open_total"], data["credit_total"]) == ("1099.95", "0.00")
    assert (data["ageing"]["1-30"], data["ageing"]["niet vervallen"]) == ("1000.00", "99.95")


def test_text_columns_as_the_reader_makes_them_give_the_same_review():
    assert review_json(review(small_register("str"), PEILDATUM)) == review_json(review(small_register(), PEILDATUM))


def test_the_peildatum_is_a_date():
    assert review(small_register(), datetime(2026, 10, 31, 12, 0)).peildatum == date(2026, 10, 31)
    with pytest.raises(TypeError):
        review(small_register(), "2026-10-31")


def test_ouderdom_sheet(result):
    sheet = ouderdom(result)
    assert list(sheet.columns) == [
        "Debiteurnummer", "Naam", "niet vervallen", "1-30", "31-60", "61-90", "91-120", ">120",
        "Totaal open", "Waarvan betwist", "Niet toegewezen / creditsaldo", "Saldo", "Rente tot peildatum",
        "Rente te laat betaald", "Segment", "Vroegsignaal",
    ]  # fmt: skip
    assert sheet.iloc[0].tolist() == [
        "D1", "Bakkerij De Korst", Decimal("500.00"), Decimal("0.00"), Decimal("0.00"), Decimal("1000.00"),
        Decimal("0.00"), Decimal("0.00"), Decimal("1500.00"), Decimal("500.00"), Decimal("0.00"),
        Decimal("1500.00"), Decimal("18.66"), Decimal("0.00"), "hoog", "nee",
    ]  # fmt: skip
    assert sheet.iloc[1]["Saldo"] == Decimal("-50.05")


def test_kerncijfers_sheet(result):
    sheet = kerncijfers(result)
    assert len(sheet) == 1
    row = sheet.iloc[0]
    assert row["Peildatum"] == date(2026, 10, 31)
    assert (row["Openstaand"], row["Vervallen"], row["Niet toegewezen en creditsaldi"]) == (
        Decimal("1500.00"), Decimal("1000.00"), Decimal("-50.05"),
    )  # fmt: skip
    assert (row["DSO (terugrekenmethode)"], row["CEI maand (%)"], row["Hoog risico"]) == (
        Decimal("82.8"), Decimal("13.6"), 1,
    )  # fmt: skip
    assert row["Rente tot peildatum"] == Decimal("18.66")
    assert not any(isinstance(v, float) for v in row.tolist())


def test_actielijst_sheet(result):
    from debiteuren.result_sheets import actielijst

    sheet = actielijst(result)
    assert sheet[["Debiteurnummer", "Actie", "Vanaf", "Nu uitvoeren"]].values.tolist() == [
        ["D1", "Telefoongesprek", date(2026, 11, 9), "nee"],
        ["D1", "Gepauzeerd", date(2026, 11, 10), "nee"],
    ]


def test_prognose_sheet(result):
    sheet = prognose(result)
    assert list(sheet.columns) == ["Week", "Van", "Tot en met", "Facturen", "Beloften", "Regelingen", "Totaal"]
    assert len(sheet) == 13
    assert sheet.iloc[1].tolist() == [
        2, date(2026, 11, 8), date(2026, 11, 14), Decimal("0.00"), Decimal("400.00"), Decimal("0.00"), Decimal("400.00"),
    ]  # fmt: skip


def test_an_empty_register_reviews_to_zero():
    result = review(make_register(), PEILDATUM)
    data = review_json(result)
    assert (data["open_total"], data["dso_simple"], data["cei"], data["debtors"]) == ("0.00", None, None, [])
    assert "Geen bijzonderheden." in summary_text(result)
    assert pd.isna(kerncijfers(result).iloc[0]["CEI maand (%)"])


def test_no_float_anywhere_in_the_review(result):
    frames = {
        "ledger.invoices": result.ledger.invoices,
        "ledger.credits": result.ledger.credits,
        "ageing.by_invoice": result.ageing.by_invoice,
        "ageing.by_debtor": result.ageing.by_debtor,
        "ageing.totals": result.ageing.totals,
        "behaviour.paid": result.behaviour.paid,
        "behaviour.by_debtor": result.behaviour.by_debtor,
        "segments.by_debtor": result.segments.by_debtor,
        "segments.reasons": result.segments.reasons,
        "segments.promises": result.segments.promises,
        "kpis.countback": result.kpis.countback,
        "kpis.positions": result.kpis.positions,
        "kpis.per_kind_size": result.kpis.per_kind_size,
        "kpis.per_segment": result.kpis.per_segment,
        "forecast.weeks": result.forecast.weeks,
        "forecast.items": result.forecast.items,
        "debtors": result.debtors,
    }
    floats = [
        f"{name}.{column}"
        for name, frame in frames.items()
        for column in frame.columns
        if pd.api.types.is_float_dtype(frame[column])
        or any(isinstance(v, float) for v in frame[column].tolist() if not pd.isna(v))
    ]
    assert floats == []


def test_review_json_splits_interest_on_open_invoices_from_invoices_paid_late():
    register = make_register(
        debtors=[dict(debtor_id="D1", name="Bakkerij De Korst")],
        invoices=[
            dict(invoice_id="F1", debtor_id="D1", invoice_date="2026-08-01", due_date="2026-08-31", amount="1.000,00"),
            dict(invoice_id="F2", debtor_id="D1", invoice_date="2026-09-01", due_date="2026-09-30", amount="2.000,00"),
        ],
        payments=[dict(payment_date="2026-09-30", debtor_id="D1", invoice_id="F1", amount="1.000,00")],
    )
    data = review_json(review(register, PEILDATUM))
    debtor = data["debtors"][0]
    # F1, paid in full 30 days late (handelsrente 10,40 % from 1 Sept): 1.000 x 0,104 x 30 / 365 = 8,5479 -> 8,55
    #   goes to interest first (6:44), so 8,55 of principal stays owed: 1 to 31 Oct 8,55 x 0,104 x 31 / 365 = 0,0755
    #   -> 0,08; paid-late interest 8,55 + 0,08 = 8,63
    # F2, open, from 1 Oct: 2.000 x 0,104 x 31 / 365 = 17,6658 -> 17,67
    assert (debtor["interest_cents"], debtor["paid_late_interest_cents"]) == (1767, 863)
    assert (debtor["interest"], debtor["paid_late_interest"]) == ("17.67", "8.63")
    per_invoice = {
        i["invoice"]: (i["interest_cents"], i["paid_late_interest_cents"], i["paid_on_interest"])
        for i in debtor["invoices"]
    }
    assert per_invoice == {"F1": (0, 863, "8.55"), "F2": (1767, 0, "0.00")}
    assert (data["interest_total"], data["paid_late_interest_total"]) == ("17.67", "8.63")
    text = summary_text(review(register, PEILDATUM))
    assert (
        "€ 17,67 wettelijke (handels)rente over de vervallen posten (met voorlopig percentage); daarnaast € 8,63 "
        "over te laat betaalde facturen (vorderbaar, niet gevorderd)" in text
    )
    asked = dataclasses.replace(
        register, settings=dataclasses.replace(register.settings, claim_paid_late_interest=True)
    )
    assert "(vorderbaar, in brieven gevorderd)" in summary_text(review(asked, PEILDATUM))


def test_ouderdom_shows_the_interest_on_invoices_paid_late_with_totals():
    # D3 (business) paid F4 (€ 1.000,00 due 31 August) in full on 30 September: 30 days late.
    # 1 - 30 September: 1.000 × 10,40 % × 30/365 = 8,5479 -> 8,55: by 6:44 the payment went to that interest
    # first, so 8,55 of principal is still owed; 1 - 31 October: 8,55 × 10,40 % × 31/365 = 0,0755 -> 0,08.
    # Interest on an invoice paid late: 8,55 + 0,08 = 8,63.
    # D3 has nothing open, yet gets a row so the column's total is the review's.
    register = make_register(
        debtors=[dict(debtor_id="D3", name="Laat B.V.")],
        invoices=[dict(invoice_id="F4", debtor_id="D3", invoice_date="2026-08-01", amount="1.000,00")],
        payments=[dict(payment_date="2026-09-30", debtor_id="D3", invoice_id="F4", amount="1.000,00")],
    )
    result = review(register, PEILDATUM)
    sheet = ouderdom(result).set_index("Debiteurnummer")
    assert (
        sheet.loc["D3", "Totaal open"],
        sheet.loc["D3", "Rente tot peildatum"],
        sheet.loc["D3", "Rente te laat betaald"],
    ) == (Decimal("0.00"), Decimal("0.00"), Decimal("8.63"))
    [ouderdom_sheet] = [s for s in result_sheets(result) if s.name == "Ouderdom"]
    assert "Rente te laat betaald" in ouderdom_sheet.money_columns and ouderdom_sheet.totals


def test_early_warnings_are_the_debtors_with_one():
    result = review(small_register(), PEILDATUM)
    flagged = result.debtors.assign(early_warning=[True, False])
    assert list(dataclasses.replace(result, debtors=flagged).early_warnings["debtor_id"]) == ["D1"]
    assert result.early_warnings.empty  # neither debtor has paid late enough in the small register
