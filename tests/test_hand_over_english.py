"""The English overdracht letter is English throughout: its costs basis, interest basis and prescription lines.

The golden register's English debtors (a business and a consumer, tests/golden_letters.py) are handed
over; the letter is rendered in English and its text must hold none of the Dutch those lines used to
carry, while each English line states the same figures (amounts, dates, invoices, articles) as its
Dutch counterpart in the same specification.
"""

from __future__ import annotations

import re
import tempfile
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from debiteuren.law.collection_costs import Invoice, business_collection_costs, consumer_collection_costs
from debiteuren.letters.render import WORDS, render_letters
from debiteuren.register.schema import ACTION_KINDS
from golden_letters import docx_lines, golden_letters

# Words of the Dutch lines of the hand-over (case-sensitive: the log's Soort, e.g. 'Veertiendagenbrief', is
# named in English in the letter, but its descriptions are data and stay as typed).
DUTCH = (
    "Factuur",
    "factuur",
    "hoofdsom",
    "eerste rentedag",
    "verjaard",
    "verjaart",
    "gestuit",
    "staffel",
    "vervaldatum",
    "Samen",
    "Incassokosten",
    "bezorgd vermoed",
    "termijn tot en met",
    "na betalingen",
    " BW",
    "lid ",
)


@pytest.fixture(scope="module")
def letters():
    made = golden_letters()
    return {kind: made[f"overdracht_en_{kind}.txt"] for kind in ("zakelijk", "consument")}


@pytest.fixture(scope="module")
def texts(letters):
    with tempfile.TemporaryDirectory() as folder:
        rendered = render_letters(list(letters.values()), folder)
        return {kind: "\n".join(docx_lines(r.docx)) for kind, r in zip(letters, rendered)}


def _figures(text: str, language: str) -> list[str]:
    """Amounts, dates, invoice numbers and article numbers in order, in one notation for both languages."""
    if language == "nl":
        text = re.sub(r"€ (-?[\d.]+),(\d\d)", lambda m: f"AMOUNT{m[1].replace('.', '')}.{m[2]}", text)
        text = re.sub(r"(\d\d)-(\d\d)-(\d{4})", r"DATE\1/\2/\3", text)
    else:
        text = re.sub(r"(-?)€([\d,]+)\.(\d\d)", lambda m: f"AMOUNT{m[1]}{m[2].replace(',', '')}.{m[3]}", text)
        text = re.sub(r"(\d\d)/(\d\d)/(\d{4})", r"DATE\1/\2/\3", text)
    return re.findall(r"AMOUNT-?\d+\.\d\d|DATE\d\d/\d\d/\d{4}|F\d+-\d+|\d:\d+a?|\d+%", text)


@pytest.mark.parametrize("kind", ["zakelijk", "consument"])
def test_english_hand_over_has_no_dutch_basis_lines(kind, texts):
    text = texts[kind]
    sections = text[text.index("Basis of the collection costs") : text.index("Actions taken")]
    assert "Invoice F100" in sections and "Article 3:307 of the Dutch Civil Code" in sections
    left = [word for word in DUTCH if word in sections]
    assert left == [], f"Dutch left in the English hand-over ({kind}): {left}\n{sections}"


@pytest.mark.parametrize("kind", ["zakelijk", "consument"])
def test_english_lines_carry_the_figures_of_the_dutch_lines(kind, letters, texts):
    spec = letters[kind].claim
    for dutch, english in (
        (spec.costs_basis, spec.costs_basis_en),
        (spec.interest_basis, spec.interest_basis_en),
        (spec.prescription, spec.prescription_en),
    ):
        assert dutch and len(dutch) == len(english)
        for nl_line, en_line in zip(dutch, english):
            assert _figures(nl_line, "nl") == _figures(en_line, "en"), (nl_line, en_line)
            assert _figures(en_line, "en")  # each line states figures
    # And the rendered English letter shows those lines.
    for line in spec.interest_basis_en + spec.prescription_en:
        assert line in texts[kind]


@pytest.mark.parametrize("kind", ["zakelijk", "consument"])
def test_the_same_hand_over_in_dutch_keeps_the_dutch_lines(kind, letters):
    dutch = replace(letters[kind], language="nl")
    with tempfile.TemporaryDirectory() as folder:
        text = "\n".join(docx_lines(render_letters([dutch], folder)[0].docx))
    for line in dutch.claim.interest_basis + dutch.claim.prescription:
        assert line in text
    assert "Invoice F100" not in text and "of the Dutch Civil Code" not in text


def test_english_costs_explanation_has_the_figures_of_the_dutch_one_with_vat_and_minimum():
    # Two small invoices: the staffel (15% of 150 = 22.50) is raised to the minimum, then 2 x 40 applies.
    bills = [Invoice("A1", Decimal("100.00"), date(2026, 1, 1))]
    bills.append(Invoice("A2", Decimal("50.00"), date(2026, 1, 1)))
    day = date(2026, 3, 1)
    nl = business_collection_costs(bills, day, in_default=True, vat_pct=Decimal("21"))
    en = business_collection_costs(bills, day, in_default=True, vat_pct=Decimal("21"), language="en")
    assert (nl.costs, nl.vat) == (en.costs, en.vat) == (Decimal("80.00"), Decimal("16.80"))
    assert _figures(nl.explanation, "nl") == _figures(en.explanation, "en")
    assert "minimum" in en.explanation and "VAT 21%" in en.explanation
    assert not [word for word in DUTCH if word in en.explanation]
    waiting = consumer_collection_costs(bills, day, letter_term_end=day, language="en")
    assert waiting.costs == 0 and "01/03/2026" in waiting.explanation and "nog" not in waiting.explanation


@pytest.mark.parametrize("kind", ["zakelijk", "consument"])
def test_english_hand_over_names_the_actions_taken_in_english(kind, letters, texts):
    text = texts[kind]
    actions = text[text.index("Actions taken") :]
    # The golden log: two reminders and a notice of default (the consumer also a 14-day letter).
    expected = ["10/07/2026 | Payment reminder", "24/08/2026 | Payment reminder", "03/09/2026 | Notice of default"]
    if kind == "consument":
        expected.append("03/10/2026 | Fourteen-day letter")
    assert [row for row in expected if row in actions] == expected
    assert [a.kind for a in letters[kind].claim.actions][:2] == ["Betalingsherinnering"] * 2  # the log is Dutch
    left = [k for k in ACTION_KINDS if f"| {k} |" in actions]
    assert left == [], f"Dutch action kinds left in the English hand-over ({kind}): {left}"


def test_every_kind_of_action_has_an_english_name():
    # Each Soort the Acties sheet accepts, named in English and not left in Dutch.
    english = WORDS["en"]["actions"]
    assert sorted(english) == sorted(ACTION_KINDS)
    assert not set(english.values()) & set(ACTION_KINDS)
