"""The hand-over specification's basis lines: one record per decision, its Dutch and English sentence from it.

Every kind of record (and each variant of it) is rendered in both languages: the two sentences must state
the same dates, amounts, invoices, articles and percentages in the same order, and the English one none
of the Dutch words. Then whole hand-overs (business with a notice of default or fatal terms, VAT and a
payment after the costs became due; a consumer hand-over taking part of a 14-day letter) are checked the
same way, line by line.
"""

from __future__ import annotations

import re
import string
from dataclasses import FrozenInstanceError
from datetime import date
from decimal import Decimal

import pytest

from debiteuren.dunning import ProposedStep
from debiteuren.hand_over import (
    _SENTENCES,
    Capitalisation,
    InterestPrescription,
    InterestStart,
    PaidLate,
    Prescription,
    hand_over_figures,
    render,
)
from debiteuren.hand_over_costs import (
    CostsPaidFirst,
    FourteenDayLetter,
    NoFourteenDayLetter,
    NoticeOfDefault,
    NotInDefault,
    Staffel,
    StrictTerms,
    VatOnCosts,
)
from debiteuren.law.collection_costs import Invoice
from debiteuren.register.model import Settings
from debiteuren.review import review
from registers import make_register

D = date
EUR = Decimal
VAT = EUR("21")
BILLS = (Invoice("F7-1", EUR("1210.00"), D(2026, 7, 1)), Invoice("F7-2", EUR("305.50"), D(2026, 8, 14)))

RECORDS = {
    "interest from the due date": InterestStart("F7-1", EUR("1210.00"), None, "due_date", D(2026, 7, 1),
                                                D(2026, 11, 3), first_day=D(2026, 7, 2)),
    "no interest yet": InterestStart("F7-1", EUR("1210.00"), None, "due_date", D(2026, 11, 5), D(2026, 11, 3)),
    "after payments, strict term": InterestStart("F7-2", EUR("605.50"), EUR("305.50"), "strict_term",
                                                 D(2026, 8, 14), D(2026, 11, 3), first_day=D(2026, 8, 15)),
    "all principal paid": InterestStart("F7-2", EUR("605.50"), EUR("0.00"), "strict_term", D(2026, 8, 14),
                                        D(2026, 11, 3), first_day=D(2026, 8, 15)),
    "after a notice": InterestStart("F7-1", EUR("1210.00"), None, "notice", D(2026, 7, 1), D(2026, 11, 3),
                                    first_day=D(2026, 9, 18), letter_kind="Ingebrekestelling", sent=D(2026, 9, 3)),
    "after a 14-day letter": InterestStart("F7-1", EUR("1210.00"), None, "notice", D(2026, 7, 1), D(2026, 11, 3),
                                           first_day=D(2026, 10, 21), letter_kind="Veertiendagenbrief",
                                           sent=D(2026, 10, 3)),
    "consumer not in default": InterestStart("F7-1", EUR("1210.00"), None, "not_in_default", D(2026, 7, 1),
                                             D(2026, 11, 3)),
    "paid late": PaidLate("F7-3", EUR("400.00"), D(2026, 4, 1), EUR("7.40"), EUR("3.00"), EUR("3.00"),
                          EUR("4.40")),
    "capitalised, business": Capitalisation("F7-1", D(2025, 7, 2), EUR("96.80"), "art. 6:119a lid 3 BW"),
    "capitalised, consumer": Capitalisation("F7-1", D(2025, 7, 2), EUR("48.40"), "art. 6:119 lid 2 BW"),
    "prescribed, interrupted": Prescription("F7-1", True, D(2024, 3, 2), "art. 3:307 BW", 5, D(2019, 3, 1),
                                            D(2021, 6, 10)),
    "not prescribed": Prescription("F7-2", False, D(2031, 8, 15), "art. 3:307 BW", 5, D(2026, 8, 14), None),
    "interest prescribed": InterestPrescription("F7-1", D(2021, 11, 3)),
    "business not in default": NotInDefault(("F7-1", "F7-2"), D(2026, 11, 3),
                                            Staffel(BILLS, D(2026, 11, 3), None, in_default=False)),
    "strict terms, VAT": StrictTerms(Staffel(BILLS, D(2026, 11, 3), VAT, in_default=True)),
    "notice of default": NoticeOfDefault(("F7-1", "F7-2"), D(2026, 9, 3), D(2026, 9, 17), D(2026, 9, 18),
                                         Staffel(BILLS, D(2026, 11, 3), None, in_default=True)),
    "14-day letter before default": FourteenDayLetter(D(2026, 8, 20), D(2026, 8, 22), D(2026, 9, 5),
                                                      ("F7-1", "F7-2"), "before_default"),
    "14-day letter, term running": FourteenDayLetter(
        D(2026, 10, 28), D(2026, 10, 30), D(2026, 11, 13), ("F7-1",), "no_costs",
        Staffel(BILLS[:1], D(2026, 11, 3), None, term_end=D(2026, 11, 13)),
    ),
    "14-day letter": FourteenDayLetter(
        D(2026, 10, 3), D(2026, 10, 6), D(2026, 10, 20), ("F7-1", "F7-2"), "costs",
        Staffel(BILLS, D(2026, 11, 3), VAT, term_end=D(2026, 10, 20)),
    ),
    "14-day letter, part taken": FourteenDayLetter(
        D(2026, 10, 3), D(2026, 10, 6), D(2026, 10, 20), ("F7-1", "F7-2"), "costs",
        Staffel(BILLS, D(2026, 11, 3), None, term_end=D(2026, 10, 20)),
        taken=("F7-2",), part=EUR("305.50"), whole=EUR("1515.50"), share=EUR("45.41"),
    ),
    "no 14-day letter": NoFourteenDayLetter(),
    "costs paid first": CostsPaidFirst(EUR("50.00"), EUR("1234.56")),
    "VAT": VatOnCosts(VAT, EUR("48.40")),
    "VAT, a fraction": VatOnCosts(EUR("8.5"), EUR("19.59")),
}  # fmt: skip

# Dutch words the English sentences must not carry (a law's name, 'Besluit ... incassokosten', is kept).
DUTCH = ("Factuur", "factuur", "hoofdsom", "rentedag", "verjaar", "gestuit", "staffel", "vervaldatum", "Samen",
         "Incassokosten", "bezorgd", "termijn", "verzuim", "betalingen", " BW", "lid ", "sub ", "jaar ", "Btw ")  # fmt: skip


def figures(text: str, language: str) -> list[str]:
    """Amounts, dates, invoice numbers, articles, percentages and years, in order, in one notation."""
    if language == "nl":
        text = re.sub(r"€ (-?[\d.]+),(\d\d)", lambda m: f"AMOUNT{m[1].replace('.', '')}.{m[2]}", text)
        text = re.sub(r"(\d\d)-(\d\d)-(\d{4})", r"DATE\1/\2/\3", text)
        text = re.sub(r"(\d+),(\d+) ?%", r"\1.\2%", text).replace(" %", "%")
        text = re.sub(r"(\d+) jaar", r"YEARS\1", text)
    else:
        text = re.sub(r"(-?)€([\d,]+)\.(\d\d)", lambda m: f"AMOUNT{m[1]}{m[2].replace(',', '')}.{m[3]}", text)
        text = re.sub(r"(\d\d)/(\d\d)/(\d{4})", r"DATE\1/\2/\3", text)
        text = re.sub(r"(\d+) years", r"YEARS\1", text)
    return re.findall(r"AMOUNT-?\d+\.\d\d|DATE\d\d/\d\d/\d{4}|F\d+-\d+|\d:\d+a?|\d+(?:\.\d+)?%|YEARS\d+", text)


@pytest.mark.parametrize("name", list(RECORDS))
def test_dutch_and_english_sentences_of_a_record_state_the_same_figures(name):
    record = RECORDS[name]
    (dutch,), (english,) = render([record]), render([record], "en")
    assert figures(dutch, "nl") == figures(english, "en"), (dutch, english)
    assert figures(english, "en"), english  # every line states something to check
    left = [word for word in DUTCH if word in english]
    assert left == [], f"Dutch left in the English of {name}: {left}\n{english}"


def test_the_facts_of_a_record_are_in_both_sentences():
    record = RECORDS["after a notice"]
    (dutch,), (english,) = render([record]), render([record], "en")
    assert "eerste rentedag 18-09-2026" in dutch and "ingebrekestelling van 03-09-2026 (art. 6:82 BW)" in dutch
    assert "first day of interest 18/09/2026" in english and "notice of default of 03/09/2026" in english
    # A principal paid off entirely is still said to be left at nothing, in both languages.
    paid = RECORDS["all principal paid"]
    assert "nog € 0,00" in render([paid])[0] and "€0.00 left" in render([paid], "en")[0]
    # The part a hand-over takes of a 14-day letter comes after the letter's own explanation.
    dutch = render([RECORDS["14-day letter, part taken"]])[0]
    assert dutch.startswith("Uit de veertiendagenbrief van 03-10-2026") and dutch.endswith(
        "Deze overdracht neemt factuur F7-2 (€ 305,50 van € 1.515,50) over; haar deel van de incassokosten: € 45,41."
    )


def test_every_sentence_has_both_languages_with_the_same_fields():
    def names(template: str) -> set[str]:
        return {field for _, field, _, _ in string.Formatter().parse(template) if field}

    assert _SENTENCES["nl"].keys() == _SENTENCES["en"].keys()
    for key, dutch in _SENTENCES["nl"].items():
        assert names(dutch) == names(_SENTENCES["en"][key]), key


def test_records_are_immutable():
    with pytest.raises(FrozenInstanceError):
        RECORDS["paid late"].interest = EUR("0")


def _hand_over_lines(fatal: bool, debtor_kind: str, ids: tuple[str, ...]):
    x = "7"
    invoices = [
        dict(invoice_id=f"F{x}-1", debtor_id=x, invoice_date="2024-04-01", due_date="2024-05-01", amount="8.000,00"),
        dict(invoice_id=f"F{x}-2", debtor_id=x, invoice_date="2026-06-01", due_date="2026-07-01", amount="1.210,00"),
        dict(invoice_id=f"F{x}-3", debtor_id=x, invoice_date="2026-07-15", due_date="2026-08-14", amount="605,50"),
        dict(invoice_id=f"F{x}-4", debtor_id=x, invoice_date="2026-03-01", due_date="2026-04-01", amount="400,00"),
    ]
    payments = [
        dict(payment_date="2026-06-20", debtor_id=x, invoice_id=f"F{x}-4", amount="400,00"),  # paid late
        dict(payment_date="2026-10-25", debtor_id=x, invoice_id=f"F{x}-2", amount="100,00"),  # after the costs
    ]
    actions = [
        dict(action_date="2024-07-03", debtor_id=x, invoice_ids=f"F{x}-1", kind="Ingebrekestelling"),
        dict(action_date="2026-09-03", debtor_id=x, invoice_ids=f"F{x}-2, F{x}-3", kind="Ingebrekestelling"),
    ]
    if debtor_kind == "consument":
        actions.append(dict(action_date="2026-10-03", debtor_id=x, invoice_ids=f"F{x}-2, F{x}-3", kind="Veertiendagenbrief"))  # fmt: skip
    settings = Settings(terms_are_fatal=fatal, collection_costs_vat=True, claim_paid_late_interest=True)
    register = make_register(
        debtors=[dict(debtor_id=x, name="Debiteur", kind=debtor_kind)],
        invoices=invoices,
        payments=payments,
        actions=actions,
        settings=settings,
    )
    step = ProposedStep(x, "Debiteur", debtor_kind, 5, "Uit handen", ids, 0, D(2026, 10, 31), True, None, "")
    figures_ = hand_over_figures(register, review(register, D(2026, 10, 31)), step, D(2026, 11, 3))
    return figures_.specification


@pytest.mark.parametrize(
    "fatal, debtor_kind, ids",
    [
        (False, "zakelijk", ("F7-1", "F7-2", "F7-3")),
        (True, "zakelijk", ("F7-2", "F7-3")),
        (False, "consument", ("F7-3",)),
        (True, "consument", ("F7-1", "F7-2", "F7-3")),
    ],
)
def test_a_hand_over_states_the_same_figures_in_both_languages(fatal, debtor_kind, ids):
    spec = _hand_over_lines(fatal, debtor_kind, ids)
    for dutch, english in (
        (spec.costs_basis, spec.costs_basis_en),
        (spec.interest_basis, spec.interest_basis_en),
        (spec.prescription, spec.prescription_en),
    ):
        assert dutch and len(dutch) == len(english)
        for nl_line, en_line in zip(dutch, english):
            assert figures(nl_line, "nl") == figures(en_line, "en"), (nl_line, en_line)
    # The VAT statement closes the costs basis.
    assert spec.costs_basis[-1].startswith("Btw over de incassokosten: 21 %")
    assert spec.costs_basis_en[-1].startswith("VAT on the collection costs: 21%")
    if fatal or debtor_kind == "zakelijk":  # in verzuim on it: the late-paid invoice owes interest
        assert any(line.startswith("Factuur F7-4: te laat betaald") for line in spec.interest_basis)
    if debtor_kind == "consument" and not fatal:  # the hand-over takes one of the letter's two invoices
        assert "Deze overdracht neemt factuur F7-3" in spec.costs_basis[0]
