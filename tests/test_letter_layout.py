"""Letters that go into a window envelope as printed, read back from the PDF.

The PDF's text positions come from pypdf (text matrix × current transformation
matrix); a line's box is its baseline minus the font's ascent to plus its
descent (Liberation Sans, the Arial LibreOffice prints with), and its width as
Pillow measures that font. The address must lie inside ``SAFE_AREA`` (the part
of the sheet every documented window shows wherever the folded sheet slides),
and nothing else may show through a window (``WINDOW_ZONE``).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd
import pytest
from docx import Document
from pypdf import PdfReader

from debiteuren.dunning_letters import debtor_record
from debiteuren.letters.context import KINDS, Company, letter_warnings
from debiteuren.letters.envelopes import ENVELOPES, SAFE_AREA, WINDOW_ZONE, Area
from make_templates import TOP_MARGIN_MM
from debiteuren.letters.pdf import convert_to_pdf, find_soffice
from debiteuren.letters.render import letter_context, render_letter, render_letters
from debiteuren.register import read_register
from debiteuren.register.model import Settings
from test_letters import BUSINESS, COMPANY, CONSUMER, ENGLISH, docx_text, flat, make_letter
from workbooks import DEFAULT_SHEETS, write_register

needs_soffice = pytest.mark.skipif(find_soffice() is None, reason="LibreOffice (soffice) is niet geïnstalleerd")
MM_PER_PT = 25.4 / 72
FONT_FILE = Path("/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf")
ASCENT, DESCENT = 0.905, 0.212  # Liberation Sans (= Arial metrics), in em

AGENCY = replace(
    COMPANY,
    collection_agency="Incasso Noord B.V.",
    collection_agency_address="Postbus 120",
    collection_agency_postcode="9700 AC",
    collection_agency_city="Groningen",
)


@dataclass(frozen=True)
class Line:
    text: str
    box: Area  # mm from the sheet's top-left corner


def text_width_mm(text: str, size_pt: float) -> float:
    if FONT_FILE.exists():
        from PIL import ImageFont

        return ImageFont.truetype(str(FONT_FILE), 100).getlength(text) / 100 * size_pt * MM_PER_PT
    return 0.6 * len(text) * size_pt * MM_PER_PT  # wider than Arial's average letter: errs on the safe side


def pdf_lines(page) -> list[Line]:
    """Every piece of text on a page with its box in mm."""
    height = float(page.mediabox.height)
    lines = []

    def visit(text, cm, tm, font, size):
        text = text.strip()
        if not text:
            return
        x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        size_pt = size * abs(tm[3] * cm[3] or 1)
        left, baseline = x * MM_PER_PT, (height - y) * MM_PER_PT
        box = Area(
            left,
            baseline - ASCENT * size_pt * MM_PER_PT,
            left + text_width_mm(text, size_pt),
            baseline + DESCENT * size_pt * MM_PER_PT,
        )
        lines.append(Line(text, box))

    page.extract_text(visitor_text=visit)
    return lines


def address_lines(letter) -> list[str]:
    """The lines the window must show, as the letter's data has them."""
    context = letter_context(letter)
    if letter.kind == "overdracht":
        company = context["bedrijf"]
        return [
            company["incassobureau"],
            company["incassobureau_adres"],
            f"{company['incassobureau_postcode']}  {company['incassobureau_plaats']}",
        ]
    debtor = context["debiteur"]
    attention = "Attn." if letter.language == "en" else "t.a.v."
    lines = [debtor["naam"]]
    if debtor["contactpersoon"]:
        lines.append(f"{attention} {debtor['contactpersoon']}")
    lines += [debtor["adres"], f"{debtor['postcode']}  {debtor['plaats']}"]
    return lines + ([debtor["land"]] if debtor["land"] else [])


LETTERS = [(kind, debtor) for kind in KINDS for debtor in (BUSINESS, CONSUMER, ENGLISH)]


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory):
    """Every kind of letter for a business with a contact, a consumer and a debtor abroad, as PDF."""
    folder = tmp_path_factory.mktemp("vensterenvelop")
    letters = [make_letter(kind, debtor, company=AGENCY) for kind, debtor in LETTERS]
    documents = convert_to_pdf([r.docx for r in render_letters(letters, folder)], folder)
    return dict(zip(LETTERS, zip(letters, documents)))


def test_the_documented_windows_leave_room_for_six_address_lines():
    assert SAFE_AREA.bottom - SAFE_AREA.top >= 6 * 12 * MM_PER_PT  # six lines of the templates' 12 pt
    for envelope in ENVELOPES:  # the field is what every window shows, wherever the sheet slides
        assert envelope.always_visible().contains(SAFE_AREA)
        assert WINDOW_ZONE.contains(envelope.ever_visible())


@needs_soffice
@pytest.mark.slow
@pytest.mark.parametrize(("kind", "debtor"), LETTERS, ids=[f"{k}-{d.number}" for k, d in LETTERS])
def test_the_address_shows_through_the_window_and_nothing_else_does(kind, debtor, pdfs):
    letter, pdf = pdfs[(kind, debtor)]
    lines = pdf_lines(PdfReader(pdf).pages[0])
    expected = address_lines(letter)
    found = [line for line in lines if line.text in expected]
    assert [line.text for line in found if WINDOW_ZONE.overlaps(line.box)] == expected
    for line in found:
        if WINDOW_ZONE.overlaps(line.box):
            assert SAFE_AREA.contains(line.box), (line.text, line.box, SAFE_AREA)
    strays = [line.text for line in lines if WINDOW_ZONE.overlaps(line.box) and line.text not in expected]
    assert strays == []


@needs_soffice
@pytest.mark.slow
@pytest.mark.parametrize(("kind", "debtor"), LETTERS, ids=[f"{k}-{d.number}" for k, d in LETTERS])
def test_the_payment_box_and_signature_never_stand_alone_on_a_page(kind, debtor, pdfs):
    letter, pdf = pdfs[(kind, debtor)]
    caption = "Scan met uw bankapp" if letter.language == "nl" else "Scan with your banking app"
    pages = [pdf_lines(page) for page in PdfReader(pdf).pages]
    (page,) = [p for p in pages if any(line.text == caption for line in p)]
    assert any(line.text == COMPANY.signatory for line in page)  # the signature is with the box
    box_top = min(line.box.top for line in page if line.text.startswith(("Bedrag", "Amount", "Termijn", "Instalment")))
    # below the letterhead (which ends above the top margin) and above the box: the text kept with it
    body_above = [line for line in page if line.box.bottom > TOP_MARGIN_MM and line.box.top < box_top - 5]
    assert body_above, "op deze bladzijde staan alleen het betaalvak en de ondertekening"


def address_block(docx: Path) -> list[str]:
    """The lines of the address field (the first table's first cell) of a rendered letter."""
    return [p.text for p in Document(str(docx)).tables[0].cell(0, 0).paragraphs]


def test_hand_over_is_addressed_to_the_agency_in_full(tmp_path):
    result = render_letter(make_letter("overdracht", company=AGENCY), tmp_path)
    assert address_block(result.docx) == ["Incasso Noord B.V.", "Postbus 120", "9700 AC  Groningen"]


def test_letters_to_debtors_are_addressed_without_empty_lines(tmp_path):
    assert address_block(render_letter(make_letter("ingebrekestelling"), tmp_path / "a").docx) == [
        "Jansen Techniek B.V.",
        "t.a.v. P. Jansen",
        "Markt 1",
        "1234 AB  Amsterdam",
    ]
    assert address_block(render_letter(make_letter("veertiendagenbrief", CONSUMER), tmp_path / "b").docx) == [
        "A. Bakker",
        "Dorpsstraat 5",
        "9999 ZZ  Groningen",
    ]
    assert address_block(render_letter(make_letter("betalingsherinnering", ENGLISH), tmp_path / "c").docx) == [
        "Smith Ltd",
        "Attn. John Smith",
        "1 High Street",
        "SW1A 1AA  London",
        "UNITED KINGDOM",
    ]


def test_hand_over_leaves_out_empty_land_and_contact_rows(tmp_path):
    dutch = flat(docx_text(render_letter(make_letter("overdracht", CONSUMER), tmp_path / "nl").docx))
    assert "Land" not in dutch.split() and "Contactpersoon" not in dutch
    abroad = flat(docx_text(render_letter(make_letter("overdracht", ENGLISH), tmp_path / "gb").docx))
    assert "Land VERENIGD KONINKRIJK" in abroad and "Contactpersoon John Smith" in abroad


def test_hand_over_without_an_agency_address_leaves_no_empty_lines_and_warns(tmp_path):
    letter = make_letter("overdracht")  # COMPANY names the agency but not its address
    assert address_block(render_letter(letter, tmp_path).docx) == ["Incasso Noord B.V."]
    assert any("het adres van het incassobureau ontbreekt" in w for w in letter_warnings(letter))
    with_address = make_letter("overdracht", company=AGENCY)
    assert not any("adres van het incassobureau" in w for w in letter_warnings(with_address))


def test_agency_address_comes_from_the_settings():
    settings = Settings(
        company_name="X B.V.",
        iban="NL91ABNA0417164300",
        collection_agency="Incasso Noord B.V.",
        collection_agency_address="Postbus 120",
        collection_agency_postcode="9700 AC",
        collection_agency_city="Groningen",
    )
    company = Company.from_settings(settings)
    assert (company.collection_agency_address, company.collection_agency_postcode, company.collection_agency_city) == (
        "Postbus 120",
        "9700 AC",
        "Groningen",
    )


@pytest.mark.parametrize(
    ("debtor", "language", "salutation"),
    [
        (replace(BUSINESS, salutation="Geachte heer Jansen"), "nl", "Geachte heer Jansen"),
        (replace(BUSINESS, salutation="  Geachte heer Jansen,  "), "nl", "Geachte heer Jansen"),
        (replace(CONSUMER, salutation="Beste Anna"), "nl", "Beste Anna"),
        (BUSINESS, "nl", "Geachte P. Jansen"),
        (replace(BUSINESS, contact=""), "nl", "Geachte heer, mevrouw"),
        (CONSUMER, "nl", "Geachte A. Bakker"),
        (replace(ENGLISH, salutation="Dear Mr Smith"), "en", "Dear Mr Smith"),
        (replace(ENGLISH, contact=""), "en", "Dear Sir or Madam"),
    ],
    ids=[
        "eigen",
        "eigen-met-komma",
        "eigen-consument",
        "contactpersoon",
        "bedrijf-neutraal",
        "consument",
        "eigen-engels",
        "engels-neutraal",
    ],
)
def test_salutation_uses_the_aanhef_column_or_a_neutral_default(debtor, language, salutation, tmp_path):
    letter = make_letter("betalingsherinnering", debtor)
    assert letter_context(letter)["debiteur"]["aanhef"] == salutation
    assert f"{salutation}," in docx_text(render_letter(letter, tmp_path).docx).splitlines()


def test_the_aanhef_column_reaches_the_letter_record():
    row = pd.Series(
        {
            "debtor_id": "D1",
            "name": "M. Groen",
            "kind": "consument",
            "contact": None,
            "salutation": "Geachte mevrouw Groen",
            "address": "Laan 1",
            "postcode": "1234 AB",
            "city": "Utrecht",
            "country": None,
            "language": None,
        }
    )
    assert debtor_record(row).salutation == "Geachte mevrouw Groen"
    assert debtor_record(row.drop("salutation")).salutation == ""


def test_aanhef_column_and_agency_address_are_read_from_the_workbook(tmp_path):
    debtors = [
        ["Debiteurnummer", "Naam", "Soort", "Aanhef"],
        ["1001", "Bakkerij De Korenschoof B.V.", "zakelijk", None],
        ["1002", "M. Groen", "consument", "Geachte mevrouw Groen"],
    ]
    settings = DEFAULT_SHEETS["Instellingen"] + [
        ["Incassobureau", "Incasso Noord B.V."],
        ["Adres incassobureau", "Postbus 120"],
        ["Postcode incassobureau", "9700 AC"],
        ["Plaats incassobureau", "Groningen"],
    ]
    register = read_register(write_register(tmp_path, Debiteuren=debtors, Instellingen=settings))
    records = {row.debtor_id: debtor_record(pd.Series(row._asdict())) for row in register.debtors.itertuples()}
    assert records["1002"].salutation == "Geachte mevrouw Groen" and records["1001"].salutation == ""
    company = Company.from_settings(register.settings)
    assert (
        company.collection_agency,
        company.collection_agency_address,
        company.collection_agency_postcode,
        company.collection_agency_city,
    ) == ("Incasso Noord B.V.", "Postbus 120", "9700 AC", "Groningen")
