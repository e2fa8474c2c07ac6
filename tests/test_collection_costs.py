"""Buitengerechtelijke incassokosten: the staffel of the Besluit (Stb. 2012, 141), VAT, business and consumer rules."""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal

import numpy as np
import pytest

from debiteuren.law.collection_costs import (
    MAXIMUM,
    MINIMUM,
    Invoice,
    business_collection_costs,
    collection_costs,
    consumer_collection_costs,
    staffel,
)
from debiteuren.law.rates import LawInputError


def d(text: str) -> date:
    return date.fromisoformat(text)


def eur(text: str) -> Decimal:
    return Decimal(text.replace(".", "").replace(",", "."))


@pytest.mark.parametrize(
    "principal, costs",
    [
        pytest.param("100,00", "40,00", id="Besluit-art2-minimum-40"),
        pytest.param("266,66", "40,00", id="Besluit-art2-15pct-below-minimum"),  # 39.999 -> the minimum
        pytest.param("266,70", "40,01", id="Besluit-art2-half-up-40.005"),  # 15 % = 40.005 -> 40.01
        pytest.param("1.000,00", "150,00", id="Besluit-art2-15pct"),
        pytest.param("2.500,00", "375,00", id="Besluit-art2-band1-end-375"),
        pytest.param("5.000,00", "625,00", id="Besluit-art2-band2-end-625"),
        pytest.param("10.000,00", "875,00", id="Besluit-art2-band3-end-875"),
        pytest.param("200.000,00", "2.775,00", id="Besluit-art2-band4-end-2775"),
        pytest.param("1.000.000,00", "6.775,00", id="Besluit-art2-maximum-6775"),
        pytest.param("2.000.000,00", "6.775,00", id="Besluit-art2-capped"),
        pytest.param("3.333,33", "458,33", id="hand-375-plus-10pct-of-833.33"),  # 375 + 83.333 = 458.333
        pytest.param("0,00", "0,00", id="no-principal"),
    ],
)
def test_staffel_published_bands(principal, costs):
    assert staffel(eur(principal)) == eur(costs)
    assert collection_costs(eur(principal)).costs == eur(costs)


def test_staffel_is_continuous_monotone_and_bounded():
    edges = [eur(x) for x in ("266,67", "2.500", "5.000", "10.000", "200.000", "1.000.000")]
    cent = Decimal("0.01")
    for edge in edges:
        # a cent more principal adds at most 15 % of a cent, which may round up to one cent
        assert Decimal(0) <= staffel(edge + cent) - staffel(edge) <= cent
        assert Decimal(0) <= staffel(edge) - staffel(edge - cent) <= cent
    rng = np.random.default_rng(5)
    amounts = sorted(Decimal(int(c)) / 100 for c in rng.integers(1, 200_000_000, 400))
    costs = [staffel(a) for a in amounts]
    assert costs == sorted(costs)
    assert all(MINIMUM <= c <= MAXIMUM for c in costs)


def test_explanation_names_every_band():
    c = collection_costs(eur("300.000"))
    assert c.explanation.splitlines() == [
        "Incassokosten volgens de staffel van het Besluit vergoeding voor buitengerechtelijke incassokosten "
        "over een hoofdsom van € 300.000,00:",
        "  15% over € 2.500,00 = € 375,00",
        "  10% over € 2.500,00 = € 250,00",
        "  5% over € 5.000,00 = € 250,00",
        "  1% over € 190.000,00 = € 1.900,00",
        "  0,5% over € 100.000,00 = € 500,00",
        "Samen € 3.275,00.",
    ]
    assert collection_costs(eur("100")).explanation.splitlines()[-1] == (
        "Samen € 15,00, verhoogd tot het minimum van € 40,00."
    )
    assert collection_costs(eur("2.000.000")).explanation.splitlines()[-1] == (
        "Samen € 11.775,00, begrensd op het maximum van € 6.775,00."
    )


def test_vat_on_top_and_flagged_above_the_maximum():
    c = collection_costs(eur("10.000"), vat_pct=Decimal("21"))
    # 875 × 21 % = 183.75
    assert (c.costs, c.vat, c.total, c.above_maximum) == (eur("875"), eur("183,75"), eur("1.058,75"), False)
    c = collection_costs(eur("1.000.000"), vat_pct=Decimal("21"))
    # min(staffel, 6775) × 1.21 = 8197.75: computed, and flagged because it is unsettled
    assert (c.costs, c.vat, c.total, c.above_maximum) == (eur("6.775"), eur("1.422,75"), eur("8.197,75"), True)
    assert "of dat is toegestaan, is niet beslist" in c.explanation
    assert collection_costs(eur("10.000")).vat == 0


def test_result_is_immutable():
    with pytest.raises(dataclasses.FrozenInstanceError):
        collection_costs(eur("100")).costs = Decimal(0)


def test_input_problems():
    with pytest.raises(LawInputError, match="De hoofdsom moet in hele centen zijn, niet 10.001"):
        staffel(Decimal("10.001"))
    with pytest.raises(LawInputError, match="Het btw-percentage moet tussen 0 en 100 liggen"):
        collection_costs(eur("100"), vat_pct=Decimal("121"))


# ---------------------------------------------------------------------------
# business debtors


INVOICES = [
    Invoice("F1", eur("3.000"), d("2025-05-31")),
    Invoice("F2", eur("2.000"), d("2025-06-30")),
    Invoice("F3", eur("500"), d("2025-07-31")),
]


def test_business_40_per_invoice_from_the_day_after_the_due_date():
    on_due_date = business_collection_costs(INVOICES, d("2025-06-30"), in_default=False)
    assert on_due_date.costs == eur("40") and on_due_date.invoices == ("F1",)
    day_after = business_collection_costs(INVOICES, d("2025-07-01"), in_default=False)
    assert day_after.costs == eur("80") and day_after.invoices == ("F1", "F2")
    assert day_after.explanation.splitlines()[0] == (
        "Vergoeding van € 40,00 per onbetaalde factuur (art. 6:96 lid 4 BW) × 2 = € 80,00; "
        "een hoger bedrag volgens de staffel pas na verzuim."
    )


def test_business_staffel_after_default_on_the_summed_principal():
    c = business_collection_costs(INVOICES, d("2025-08-15"), in_default=True)
    # 5500: 375 + 250 + 5 % × 500 = 650
    assert (c.costs, c.base, c.invoices) == (eur("650"), eur("5.500"), ("F1", "F2", "F3"))
    per_invoice = business_collection_costs(INVOICES, d("2025-08-15"), in_default=True, per_invoice_staffel=True)
    # 3000 -> 425; 2000 -> 300; 500 -> 75
    assert per_invoice.costs == eur("800")


def test_business_never_less_than_40_per_invoice():
    small = [Invoice(f"F{n}", eur("100"), d("2025-01-31")) for n in range(5)]
    c = business_collection_costs(small, d("2025-03-01"), in_default=True)
    # staffel(500) = 75 < 5 × 40
    assert c.costs == eur("200")
    assert "Dat is minder dan € 40,00 per onbetaalde factuur" in c.explanation


def test_only_claims_due_on_or_after_2012_07_01():
    invoices = [Invoice("OUD", eur("1.000"), d("2012-06-30")), Invoice("NIEUW", eur("1.000"), d("2012-07-01"))]
    c = business_collection_costs(invoices, d("2013-01-01"), in_default=True)
    assert (c.costs, c.invoices) == (eur("150"), ("NIEUW",))
    assert "Factuur OUD: vervallen op 30-06-2012, vóór 01-07-2012; het Besluit geldt daarvoor niet." in c.explanation


# ---------------------------------------------------------------------------
# consumers


def test_consumer_only_after_the_14_day_term_summed_over_the_letter():
    none = consumer_collection_costs(INVOICES, d("2025-09-01"), letter_term_end=None)
    assert none.costs == 0 and "na een geldige veertiendagenbrief" in none.explanation
    running = consumer_collection_costs(INVOICES, d("2025-08-20"), letter_term_end=d("2025-08-20"))
    assert running.costs == 0
    assert (
        running.explanation
        == "Nog geen incassokosten: de termijn van de veertiendagenbrief loopt tot en met 20-08-2025."
    )
    due = consumer_collection_costs(INVOICES, d("2025-08-21"), letter_term_end=d("2025-08-20"))
    assert due.costs == eur("650")


def test_consumer_letter_naming_too_much_is_invalid_and_less_caps():
    invalid = consumer_collection_costs(
        INVOICES, d("2025-08-21"), letter_term_end=d("2025-08-20"), stated_costs=eur("650,01")
    )
    assert invalid.costs == 0 and "daarmee is de brief ongeldig" in invalid.explanation
    exact = consumer_collection_costs(
        INVOICES, d("2025-08-21"), letter_term_end=d("2025-08-20"), stated_costs=eur("650")
    )
    assert exact.costs == eur("650")
    lower = consumer_collection_costs(
        INVOICES, d("2025-08-21"), letter_term_end=d("2025-08-20"), stated_costs=eur("600")
    )
    assert (lower.costs, lower.total) == (eur("600"), eur("600"))
    with_vat = consumer_collection_costs(
        INVOICES, d("2025-08-21"), letter_term_end=d("2025-08-20"), stated_costs=eur("786,50"), vat_pct=Decimal("21")
    )
    # 650 + 21 % = 786.50: exactly what the letter said
    assert (with_vat.costs, with_vat.vat, with_vat.total) == (eur("650"), eur("136,50"), eur("786,50"))


@pytest.mark.parametrize(
    "language, expected",
    [
        (
            "nl",
            [
                "Factuur NUL: geen openstaand bedrag.",
                "Factuur OUD: vervallen op 30-06-2012, vóór 01-07-2012; het Besluit geldt daarvoor niet.",
                "Factuur NIEUW: nog niet vervallen (vervaldatum 15-03-2026).",
            ],
        ),
        (
            "en",
            [
                "Invoice NUL: nothing outstanding.",
                "Invoice OUD: due on 30/06/2012, before 01/07/2012; the decree does not apply to it.",
                "Invoice NIEUW: not yet due (due date 15/03/2026).",
            ],
        ),
    ],
)
def test_invoices_without_costs_are_explained_in_the_letters_language(language, expected):
    from debiteuren.law.collection_costs import _eligible

    invoices = [
        Invoice("NUL", Decimal("0"), date(2025, 1, 31)),
        Invoice("OUD", Decimal("100"), date(2012, 6, 30)),
        Invoice("NIEUW", Decimal("100"), date(2026, 3, 15)),
        Invoice("WEL", Decimal("100"), date(2025, 1, 31)),
    ]
    lines: list[str] = []
    kept = _eligible(invoices, date(2026, 3, 15), lines, language)
    assert [i.invoice_id for i in kept] == ["WEL"] and lines == expected
