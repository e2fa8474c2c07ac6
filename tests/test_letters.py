"""Letters: records, payment reference, betaal-QR, templates, rendering, PDF and the bundle.

Letters are built inline, rendered with the shipped templates, and read back
with python-docx; every legal and seed requirement is checked on the text a
debtor would read.
"""

from __future__ import annotations

import csv
import io
import re
import shutil
import zipfile
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from xml.etree import ElementTree

import pytest
from docx import Document
from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage
from jinja2 import meta
from pypdf import PdfReader, PdfWriter

from debiteuren.letters import bundle as bundle_module
from debiteuren.letters.bundle import make_bundle, sha256_of
from debiteuren.letters.context import (
    KIND_CODES,
    KINDS,
    ClaimSpecification,
    Company,
    Debtor,
    InvoiceLine,
    Letter,
    LetterError,
    letter_warnings,
)
from debiteuren.letters.epc_qr import EpcError, epc_payload, epc_qr_png
from make_templates import build_all, leesmij_text
from debiteuren.letters.payment_reference import (
    PaymentReferenceError,
    creditor_reference,
    parse_reference,
)
from debiteuren.letters.pdf import PdfUnavailable, convert_to_pdf, find_soffice
from debiteuren.letters.prepared_template import PreparedTemplate
from debiteuren.letters.render import (
    QR_WIDTH,
    letter_context,
    letter_filename,
    output_path,
    qr_payload,
    render_letter,
    render_letters,
    safe_name,
)
from debiteuren.letters.templates import (
    DEFAULT_TEMPLATES_DIR,
    PLACEHOLDERS,
    TemplateProblem,
    check_templates,
    jinja_environment,
    template_fields,
    template_name,
    template_source,
    template_variables,
)
from debiteuren.money import parse_amount
from debiteuren.register.model import Settings

needs_soffice = pytest.mark.skipif(find_soffice() is None, reason="LibreOffice (soffice) is niet geïnstalleerd")


# -- inline builders ------------------------------------------------------------------------------


def d(text: str) -> date:
    return date.fromisoformat(text)


def eur(text: str) -> Decimal:
    return parse_amount(text)


LETTER_DATE = d("2026-10-31")

COMPANY = Company(
    name="Voorbeeld Installatietechniek B.V.",
    iban="NL91ABNA0417164300",
    bic="ABNANL2A",
    address="Industrieweg 12",
    postcode="3542 AD",
    city="Utrecht",
    phone="030 123 45 67",
    email="debiteuren@voorbeeld.nl",
    kvk="12345678",
    vat_number="NL001234567B01",
    signatory="M. de Vries",
    signatory_title="Controller",
    collection_agency="Incasso Noord B.V.",
)
BUSINESS = Debtor(
    "D1023", "Jansen Techniek B.V.", contact="P. Jansen", address="Markt 1", postcode="1234 AB", city="Amsterdam"
)
CONSUMER = Debtor("D2001", "A. Bakker", address="Dorpsstraat 5", postcode="9999 ZZ", city="Groningen", kind="consument")
ENGLISH = Debtor(
    "D3001",
    "Smith Ltd",
    contact="John Smith",
    address="1 High Street",
    postcode="SW1A 1AA",
    city="London",
    country="GB",
    language="en",
)
ENGLISH_CONSUMER = replace(ENGLISH, number="D3002", name="Mary Jones", contact="", kind="consument")

INVOICES = (
    InvoiceLine("F2026-0101", d("2026-09-01"), d("2026-10-01"), eur("1.210,00"), eur("1.210,00"), 30),
    InvoiceLine("F2026-0133", d("2026-09-10"), d("2026-10-10"), eur("605,50"), eur("300,00"), 21),
)
CLAIM = ClaimSpecification(
    interest_periods=[(d("2026-10-02"), d("2026-10-31"), 30, Decimal("10.15"), eur("1.510,00"), eur("12,60"))],
    payments=[(d("2026-10-15"), eur("305,50"), eur("0"), eur("0"), eur("305,50"), "F2026-0101")],
    actions=[
        (d("2026-10-08"), "Betalingsherinnering", "brief verstuurd"),
        (d("2026-10-16"), "Telefoongesprek", "belofte voor 20-10"),
    ],
    costs_basis=["Incassokosten volgens de staffel over een hoofdsom van € 1.510,00."],
    interest_basis=["Factuur F2026-0101: hoofdsom € 1.210,00; eerste rentedag 02-10-2026: de dag na de vervaldatum."],
    prescription=["Factuur F2026-0101: niet verjaard; verjaart op 02-10-2031 (art. 3:307 BW)."],
)


def make_letter(kind: str, debtor: Debtor = BUSINESS, **changes) -> Letter:
    """A correct letter of each kind; ``changes`` override any field."""
    fields = dict(
        kind=kind,
        company=COMPANY,
        debtor=debtor,
        letter_date=LETTER_DATE,
        pay_by=LETTER_DATE + timedelta(days=7),
        invoices=INVOICES,
    )
    if kind == "ingebrekestelling" and debtor.kind == "zakelijk":
        fields.update(interest=eur("12,60"), collection_costs=eur("226,50"))
    elif kind == "ingebrekestelling":  # a consumer's notice of default carries no costs (art. 6:96 lid 6 BW)
        fields.update(interest=eur("12,60"))
    elif kind == "veertiendagenbrief":
        fields.update(pay_by=LETTER_DATE + timedelta(days=17), collection_costs=eur("226,50"))
    elif kind == "bevestiging_betalingsregeling":
        fields.update(
            pay_by=d("2026-11-15"),
            instalments=[
                (1, d("2026-11-15"), eur("500,00")),
                (2, d("2026-12-15"), eur("500,00")),
                (3, d("2027-01-15"), eur("510,00")),
            ],
        )
    elif kind == "bevestiging_betalingsafspraak":
        fields.update(pay_by=d("2026-11-10"), promise=(d("2026-11-10"), eur("1.000,00")))
    elif kind == "overdracht":
        fields.update(pay_by=LETTER_DATE, interest=eur("12,60"), collection_costs=eur("226,50"), claim=CLAIM)
    fields.update(changes)
    return Letter(**fields)


def docx_text(path: Path) -> str:
    """All text a reader sees: body paragraphs, tables (also nested), headers and footers."""
    document = Document(str(path))
    parts = []

    def cells(table):
        for row in table.rows:
            for cell in row.cells:
                parts.extend(p.text for p in cell.paragraphs)
                for inner in cell.tables:
                    cells(inner)

    parts.extend(p.text for p in document.paragraphs)
    for table in document.tables:
        cells(table)
    for section in document.sections:
        parts.extend(p.text for p in section.header.paragraphs)
        parts.extend(p.text for p in section.footer.paragraphs)
    return "\n".join(parts)


def flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture
def rendered(tmp_path):
    """Render one letter and return (letter, its text, the Document)."""

    def render(letter: Letter):
        result = render_letter(letter, tmp_path)
        return result, flat(docx_text(result.docx)), Document(str(result.docx))

    return render


# -- payment reference ---------------------------------------------------------------------------


def mod97_of(reference: str) -> int:
    """ISO 11649 check, restated: move RF and the check digits to the end, letters to 10..35, mod 97."""
    moved = reference[4:] + reference[:4]
    return int("".join(str(int(char, 36)) for char in moved)) % 97


@pytest.mark.parametrize("number", ["D1023", "1", "ABCDEFGHIJ1234", "d-10/23"])
@pytest.mark.parametrize("kind", KINDS)
def test_reference_is_valid_rf_and_reads_back(number, kind):
    reference = creditor_reference(number, LETTER_DATE, KIND_CODES[kind])
    assert reference.startswith("RF") and len(reference) <= 25
    assert mod97_of(reference) == 1
    parts = parse_reference(reference)
    assert parts.debtor == re.sub(r"[^0-9A-Z]", "", number.upper())
    assert parts.letter_date == LETTER_DATE
    assert parts.code == KIND_CODES[kind]


def test_reference_differs_per_kind_and_date():
    references = {
        creditor_reference("D1", LETTER_DATE + timedelta(days=n), code)
        for n in range(3)
        for code in KIND_CODES.values()
    }
    assert len(references) == 3 * len(KINDS)


def test_reference_refuses_a_debtor_number_too_long():
    with pytest.raises(PaymentReferenceError, match="te lang voor een betalingskenmerk"):
        creditor_reference("D" * 15, LETTER_DATE, "H")


def test_letter_carries_its_reference():
    letter = make_letter("betalingsherinnering")
    assert letter.reference == creditor_reference("D1023", LETTER_DATE, "H")
    given = make_letter("betalingsherinnering", reference="RF18 5390 0754 7034")
    assert given.reference == "RF18539007547034"


# -- EPC QR --------------------------------------------------------------------------------------


def test_epc_payload_exact():
    payload = epc_payload(
        name="Voorbeeld Installatietechniek B.V.",
        iban="NL91 ABNA 0417 1643 00",
        bic="ABNANL2A",
        amount=eur("1.522,60"),
        reference="RF08 D102 3261 031H",
    )
    assert payload == (
        "BCD\n002\n1\nSCT\nABNANL2A\nVoorbeeld Installatietechniek B.V.\nNL91ABNA0417164300\n"
        "EUR1522.60\n\nRF08D1023261031H"
    )


def test_epc_payload_without_bic_keeps_the_empty_line():
    payload = epc_payload(name="X B.V.", iban="NL91ABNA0417164300", amount=eur("40"), reference="RF18539007547034")
    assert payload.split("\n") == [
        "BCD",
        "002",
        "1",
        "SCT",
        "",
        "X B.V.",
        "NL91ABNA0417164300",
        "EUR40.00",
        "",
        "RF18539007547034",
    ]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"amount": 12.5}, "bedrag 12.5"),
        ({"amount": Decimal("0")}, "bedrag 0"),
        ({"amount": Decimal("1.005")}, "bedrag 1.005"),
        ({"iban": "NL91ABNA0417164301"}, "IBAN 'NL91ABNA0417164301' is ongeldig"),
        ({"bic": "XYZ"}, "BIC 'XYZ' is ongeldig"),
        ({"name": "N" * 71}, "1 tot 70 tekens"),
        ({"reference": "RF17539007547034"}, "geen geldig RF-kenmerk"),
        ({"text": "ook tekst"}, "niet allebei"),
    ],
)
def test_epc_payload_refuses_what_a_bank_would(changes, message):
    arguments = dict(name="X B.V.", iban="NL91ABNA0417164300", amount=eur("10"), reference="RF18539007547034")
    arguments.update(changes)
    with pytest.raises(EpcError, match=re.escape(message)):
        epc_payload(**arguments)


def test_epc_qr_is_a_png():
    assert epc_qr_png("BCD\n002\n1\nSCT").startswith(b"\x89PNG\r\n\x1a\n")


def read_qr(png: bytes):
    """The one QR code a decoder (zxing-cpp) finds in a PNG."""
    import zxingcpp
    from PIL import Image

    found = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))
    assert len(found) == 1
    return found[0]


def test_epc_qr_decodes_to_its_payload_at_level_m():
    payload = epc_payload(
        name="Jansen & Zn <Holding> Café",
        iban="NL91ABNA0417164300",
        amount=eur("1.234,56"),
        reference="RF18539007547034",
    )
    code = read_qr(epc_qr_png(payload))
    assert code.bytes == payload.encode("utf-8")  # byte mode, UTF-8 as line 3 of the payload says
    assert code.ec_level == "M"


def test_betaal_qr_in_a_letter_decodes_to_the_letters_payment(tmp_path):
    letter = make_letter("ingebrekestelling")
    with zipfile.ZipFile(render_letter(letter, tmp_path).docx) as docx:
        (png,) = [docx.read(name) for name in docx.namelist() if name.startswith("word/media/")]
    assert read_qr(png).text == qr_payload(letter)
    assert f"\nEUR{letter.amount_to_pay:.2f}\n" in qr_payload(letter)


@pytest.mark.parametrize(
    ("kind", "amount"),
    [
        ("betalingsherinnering", "EUR1510.00"),
        ("ingebrekestelling", "EUR1522.60"),  # principal + interest; costs are the consequence
        ("veertiendagenbrief", "EUR1510.00"),
        ("bevestiging_betalingsregeling", "EUR500.00"),  # the instalment now due
        ("bevestiging_betalingsafspraak", "EUR1000.00"),  # the promised amount
        ("overdracht", "EUR1749.10"),  # the whole claim
    ],
)
def test_qr_asks_for_what_the_letter_asks(kind, amount):
    letter = make_letter(kind)
    lines = qr_payload(letter).split("\n")
    assert lines[7] == amount
    assert lines[9] == letter.reference
    assert lines[6] == "NL91ABNA0417164300"


# -- the Letter record ---------------------------------------------------------------------------


def test_derived_amounts():
    letter = make_letter("ingebrekestelling", collection_costs_vat=eur("47,57"))
    assert letter.principal == eur("1.510,00")
    assert letter.costs_total == eur("274,07")
    assert letter.total_due == eur("1.796,67")
    assert letter.amount_to_pay == eur("1.522,60")
    assert letter.term_days == 7
    assert letter.interest_kind == "handelsrente"
    assert make_letter("veertiendagenbrief", CONSUMER).interest_kind == "wettelijke"


def test_letter_lists_every_problem_in_dutch():
    with pytest.raises(LetterError) as caught:
        make_letter(
            "betalingsherinnering",
            interest=0.1,
            collection_costs=Decimal("1.234"),
            company=replace(COMPANY, iban="NL00"),
        )
    assert caught.value.problems == (
        "Brief aan debiteur 'D1023': het IBAN 'NL00' ontbreekt of is ongeldig (Instellingen, 'IBAN').",
        "Brief aan debiteur 'D1023': rente moet een Decimal zijn, niet float (0.1).",
        "Brief aan debiteur 'D1023': incassokosten 1.234 is geen bedrag in hele centen.",
    )


def test_arrangement_has_at_most_four_instalments():
    five = [(n, d("2026-11-15") + timedelta(days=30 * (n - 1)), eur("302,00")) for n in range(1, 6)]
    with pytest.raises(LetterError, match="1 tot 4 termijnen, niet 5"):
        make_letter("bevestiging_betalingsregeling", instalments=five)


def test_arrangement_must_add_up_and_start_on_the_pay_by_date():
    with pytest.raises(LetterError) as caught:
        make_letter(
            "bevestiging_betalingsregeling", pay_by=d("2026-11-14"), instalments=[(1, d("2026-11-15"), eur("500,00"))]
        )
    assert any(
        "tellen op tot € 500,00, maar het totaal verschuldigde is € 1.510,00" in p for p in caught.value.problems
    )
    assert any("moet de vervaldatum van termijn 1 (2026-11-15) zijn" in p for p in caught.value.problems)


def test_promise_letter_needs_a_promise():
    with pytest.raises(LetterError, match="toegezegde datum en bedrag nodig"):
        make_letter("bevestiging_betalingsafspraak", promise=None)


def test_unknown_kind_is_refused():
    with pytest.raises(LetterError, match="onbekende soort brief 'aanmaning'"):
        make_letter("aanmaning")


def test_warnings_for_terms_outside_the_advice():
    assert letter_warnings(make_letter("betalingsherinnering")) == ()
    assert letter_warnings(make_letter("betalingsherinnering", pay_by=LETTER_DATE + timedelta(days=10))) == (
        "Betalingsherinnering aan debiteur 'D1023': betaaltermijn 10 dagen; "
        "advies is een datum hoogstens 7 dagen na de brief.",
    )
    assert letter_warnings(make_letter("ingebrekestelling", pay_by=LETTER_DATE + timedelta(days=4))) == (
        "Ingebrekestelling aan debiteur 'D1023': termijn 4 dagen; advies is 5 tot 7 dagen.",
    )
    early = make_letter("veertiendagenbrief", CONSUMER, pay_by=LETTER_DATE + timedelta(days=14))
    assert letter_warnings(early) == (
        "Veertiendagenbrief aan debiteur 'D2001': de termijn loopt tot 14 dagen na de dag van bezorging; "
        "de einddatum 2026-11-14 ligt te vroeg (minstens 16 dagen na de brief).",
    )


def test_company_from_settings():
    settings = Settings(
        company_name="X B.V.",
        iban="NL91ABNA0417164300",
        signatory="A",
        signatory_title="B",
        collection_agency="Incasso C",
    )
    company = Company.from_settings(settings)
    assert (company.name, company.iban, company.signatory, company.signatory_title, company.collection_agency) == (
        "X B.V.",
        "NL91ABNA0417164300",
        "A",
        "B",
        "Incasso C",
    )


# -- placeholders --------------------------------------------------------------------------------


def shape(value):
    if isinstance(value, dict):
        return {key: shape(sub) for key, sub in value.items()}
    if isinstance(value, list):
        return [shape(value[0])] if value else []
    return None


def test_context_has_exactly_the_documented_placeholders():
    context = letter_context(make_letter("overdracht", attachments=[Path("F2026-0101.pdf")]))
    context_shape = shape(context)
    context_shape["termijnen"] = shape(letter_context(make_letter("bevestiging_betalingsregeling")))["termijnen"]
    context_shape["betaal_qr"] = None
    assert context_shape == shape(PLACEHOLDERS)


def test_shipped_templates_are_all_there_and_use_only_known_fields():
    assert check_templates() == []
    for kind in KINDS:
        for language in ("nl", "en"):
            path = DEFAULT_TEMPLATES_DIR / template_name(kind, language)
            assert template_variables(path) <= set(PLACEHOLDERS)
            assert "betaal_qr" in template_variables(path), path.name
            assert "brief.kenmerk" in template_fields(path), path.name


def test_templates_are_reproducible(tmp_path):
    build_all(tmp_path)
    for kind in KINDS:
        for language in ("nl", "en"):
            name = template_name(kind, language)
            assert docx_text(tmp_path / name) == docx_text(DEFAULT_TEMPLATES_DIR / name), name
    shipped = (DEFAULT_TEMPLATES_DIR / "LEESMIJ.md").read_text(encoding="utf-8")
    assert shipped == leesmij_text(DEFAULT_TEMPLATES_DIR)
    assert "{{ debiteur.naam }}" in shipped


# -- rendering: what every letter has ------------------------------------------------------------

ALL_LETTERS = [
    pytest.param(kind, debtor, id=f"{kind}-{debtor.number}")
    for debtor in (BUSINESS, CONSUMER, ENGLISH, ENGLISH_CONSUMER)
    for kind in KINDS
]


@pytest.mark.parametrize(("kind", "debtor"), ALL_LETTERS)
def test_every_letter_names_debtor_invoices_account_reference_and_has_a_qr(kind, debtor, rendered):
    letter = make_letter(kind, debtor)
    result, text, document = rendered(letter)
    context = letter_context(letter)
    assert result.docx.name == letter_filename(letter)
    assert "{{" not in text and "{%" not in text and "}}" not in text
    assert letter.debtor.name in text
    assert letter.debtor.number in text
    assert all(line.number in text for line in INVOICES)
    assert "NL91 ABNA 0417 1643 00" in text  # the IBAN in full
    assert context["brief"]["kenmerk"] in text
    assert context["bedragen"]["te_betalen"] in text
    assert COMPANY.signatory in text and COMPANY.signatory_title in text
    assert len(document.inline_shapes) == 1  # the betaal-QR


@pytest.mark.parametrize("language", ["nl", "en"])
def test_english_letters_are_english_and_dutch_letters_dutch(language, rendered):
    debtor = ENGLISH if language == "en" else BUSINESS
    _, text, _ = rendered(make_letter("ingebrekestelling", debtor))
    if language == "en":
        assert "31 October 2026" in text and "7 November 2026" in text
        assert "€1,522.60" in text and "Dear John Smith," in text
    else:
        assert "31 oktober 2026" in text and "7 november 2026" in text
        assert "€ 1.522,60" in text and "Geachte P. Jansen," in text


# -- the reminder ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("debtor", "title", "never"),
    [
        (BUSINESS, "Betalingsherinnering", "eerste"),
        (CONSUMER, "Betalingsherinnering", "eerste"),
        (ENGLISH, "Payment reminder", "first"),
    ],
)
def test_reminder_title_amount_date_account(debtor, title, never, rendered):
    letter = make_letter("betalingsherinnering", debtor)
    _, text, document = rendered(letter)
    assert title in [p.text for p in document.paragraphs]
    assert never not in text.lower()
    assert 0 < (letter.pay_by - letter.letter_date).days <= 7
    pay_by = "7 november 2026" if debtor.language == "nl" else "7 November 2026"
    assert pay_by in text
    assert ("€ 1.510,00" if debtor.language == "nl" else "€1,510.00") in text


# -- the notice of default ---------------------------------------------------------------------


@pytest.mark.parametrize(("term", "pay_by"), [(5, "5 november 2026"), (6, "6 november 2026"), (7, "7 november 2026")])
def test_notice_of_default_names_amount_date_interest_costs_consequences(term, pay_by, rendered):
    letter = make_letter("ingebrekestelling", pay_by=LETTER_DATE + timedelta(days=term))
    _, text, document = rendered(letter)
    assert "Ingebrekestelling" in [p.text for p in document.paragraphs]
    assert 5 <= letter.term_days <= 7
    assert f"uiterlijk op {pay_by} te betalen" in text
    assert "€ 1.522,60" in text  # principal + interest, the amount demanded
    assert "Rente (wettelijke handelsrente) tot en met 31 oktober 2026 € 12,60" in text
    assert "buitengerechtelijke incassokosten verschuldigd van € 226,50" in text
    assert "artikel 6:119a BW" in text and "doorlopen" in text
    assert "gerechtelijke procedure" in text and "Incasso Noord B.V." in text
    assert "Wij kunnen de btw over de incassokosten niet verrekenen" not in text  # no VAT, no statement


def test_notice_of_default_with_vat_says_so(rendered):
    _, text, _ = rendered(make_letter("ingebrekestelling", collection_costs_vat=eur("47,57")))
    assert "De btw over het incasseren van deze vordering kunnen wij niet als voorbelasting aftrekken" in text
    assert "€ 47,57 btw, tot in totaal € 274,07" in text


# -- the 14-day letter -------------------------------------------------------------------------


@pytest.mark.parametrize("vat", [Decimal("0.00"), eur("47,57")], ids=["zonder-btw", "met-btw"])
def test_fourteen_day_letter_wording_costs_and_vat(vat, rendered):
    letter = make_letter("veertiendagenbrief", CONSUMER, collection_costs_vat=vat)
    _, text, _ = rendered(letter)
    # The Hoge Raad's words, word for word (HR 25-11-2016, ECLI:NL:HR:2016:2704).
    assert "binnen veertien dagen vanaf de dag nadat deze brief bij u is bezorgd" in text
    assert "Dit zijn alle facturen" not in text
    for forbidden in ("dagtekening", "na verzending", "na heden"):
        assert forbidden not in text
    assert "21 november 2026" not in text  # no date of our own beside the Hoge Raad's term
    assert "buitengerechtelijke incassokosten verschuldigd van € 226,50" in text
    assert "Aan deze brief zijn voor u geen kosten verbonden." in text
    assert all(line.number in text for line in INVOICES)  # all claims in one letter
    vat_statement = "De btw over het incasseren van deze vordering kunnen wij niet als voorbelasting aftrekken"
    if vat:
        assert vat_statement in text and "€ 47,57 btw, tot in totaal € 274,07" in text
    else:
        assert vat_statement not in text and "274,07" not in text


def test_fourteen_day_letter_in_english_keeps_the_term(rendered):
    _, text, _ = rendered(make_letter("veertiendagenbrief", ENGLISH_CONSUMER))
    assert "within fourteen days from the day after this letter has been delivered to you" in text
    assert "€226.50" in text and "free of charge" in text
    assert "dagtekening" not in text and "date of this letter" not in text
    assert "Dear Mary Jones," in text


# -- confirmations and hand-over ---------------------------------------------------------------


@pytest.mark.parametrize("debtor", [BUSINESS, ENGLISH])
def test_arrangement_lists_each_instalment(debtor, rendered):
    letter = make_letter("bevestiging_betalingsregeling", debtor)
    _, text, document = rendered(letter)
    instalment_table = next(t for t in document.tables if t.rows[0].cells[0].text in ("Termijn", "Instalment"))
    rows = [[c.text for c in row.cells] for row in instalment_table.rows[1:]]
    if debtor.language == "nl":
        assert rows == [
            ["1", "15 november 2026", "€ 500,00"],
            ["2", "15 december 2026", "€ 500,00"],
            ["3", "15 januari 2027", "€ 510,00"],
        ]
    else:
        assert rows == [
            ["1", "15 November 2026", "€500.00"],
            ["2", "15 December 2026", "€500.00"],
            ["3", "15 January 2027", "€510.00"],
        ]
    assert len(rows) <= 4


def test_promise_confirmation_names_date_and_amount(rendered):
    _, text, _ = rendered(make_letter("bevestiging_betalingsafspraak"))
    assert "u betaalt € 1.000,00 uiterlijk op 10 november 2026" in text


def test_hand_over_carries_the_claim_specification(rendered):
    _, text, document = rendered(make_letter("overdracht"))
    assert "Overdracht ter incasso" in [p.text for p in document.paragraphs]
    assert "Incasso Noord B.V." in text
    assert "02-10-2026 31-10-2026 30 10,15% € 1.510,00 € 12,60" in text  # interest per period
    assert "15-10-2026 F2026-0101 € 305,50 € 0,00 € 0,00 € 305,50" in text  # payment, its invoice and allocation
    assert "Factuur F2026-0101: niet verjaard; verjaart op 02-10-2031 (art. 3:307 BW)." in text  # prescription check
    assert "16-10-2026 Telefoongesprek belofte voor 20-10" in text  # the dossier
    assert "Totaal vordering € 1.749,10" in text


def test_hand_over_without_payments_says_so(rendered):
    claim = replace(CLAIM, payments=())
    _, text, _ = rendered(make_letter("overdracht", claim=claim))
    assert "Er zijn geen betalingen ontvangen." in text


def test_enclosed_invoices_are_named(rendered):
    letter = make_letter("betalingsherinnering", attachments=["/facturen/F2026-0101.pdf"])
    _, text, _ = rendered(letter)
    assert "Bijlagen: kopie van F2026-0101.pdf" in text


# -- data is never template ----------------------------------------------------------------------


@pytest.mark.parametrize("name", ["Jansen & Zn <Holding>", "{{ x }} {% for a in b %} {# c #}", 'O\'Brien "Q" &amp;'])
def test_data_comes_out_literally(name, rendered):
    letter = make_letter("betalingsherinnering", replace(BUSINESS, name=name, contact=name))
    _, text, _ = rendered(letter)
    assert flat(name) in text
    assert f"Geachte {flat(name)}," in text


def test_control_characters_in_data_do_not_break_the_document(rendered):
    _, text, _ = rendered(make_letter("betalingsherinnering", replace(BUSINESS, name="Jansen\x0b\x07 B.V.")))
    assert "Jansen B.V." in text


# -- templates a controller edited ---------------------------------------------------------------


def edited_template(tmp_path: Path, text: str, kind: str = "betalingsherinnering") -> Path:
    folder = tmp_path / "sjablonen"
    shutil.copytree(DEFAULT_TEMPLATES_DIR, folder)
    document = Document(str(folder / f"{kind}.docx"))
    document.add_paragraph(text)
    document.save(str(folder / f"{kind}.docx"))
    return folder


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("{{ debiteur.naaam }}", "het veld 'debiteur.naaam' bestaat niet (bekend: debiteur.nummer, debiteur.naam,"),
        ("{{ klant.naam }}", "het veld 'klant' bestaat niet"),
        ("{{ bedragen.rente.totaal }}", None),  # past a text the check cannot see; filling stops it
        ("{% for f in facturen %}{{ f.nummr }}{% endfor %}", "het veld 'f.nummr' bestaat niet (bekend: f.nummer,"),
        ("{{ debiteur.naam", "een opdracht tussen {{ }} of {% %} is onvolledig of fout"),
    ],
)
def test_edited_template_with_an_unknown_field_fails_loudly(tmp_path, text, problem):
    folder = edited_template(tmp_path, text)
    letter = make_letter("betalingsherinnering")
    if problem is None:
        with pytest.raises(TemplateProblem, match="een veld ontbreekt bij het invullen"):
            render_letter(letter, tmp_path / "uit", templates_dir=folder)
        return
    with pytest.raises(TemplateProblem) as caught:
        render_letter(letter, tmp_path / "uit", templates_dir=folder)
    message = str(caught.value)
    assert message.startswith("Sjabloon 'betalingsherinnering.docx' kan niet worden gebruikt:\n- ")
    assert problem in message
    assert check_templates(folder) and check_templates(folder)[0].startswith("Sjabloon 'betalingsherinnering.docx': ")
    assert not (tmp_path / "uit" / letter_filename(letter)).exists()


def test_english_template_missing_falls_back_to_dutch(tmp_path):
    folder = tmp_path / "sjablonen"
    shutil.copytree(DEFAULT_TEMPLATES_DIR, folder)
    (folder / "betalingsherinnering_en.docx").unlink()
    result = render_letter(make_letter("betalingsherinnering", ENGLISH), tmp_path / "uit", templates_dir=folder)
    assert result.template.name == "betalingsherinnering.docx"
    assert "Betalingsherinnering" in docx_text(result.docx)


# -- filling: docxtpl's result, with each template prepared once --------------------------------


def docxtpl_alone(letter: Letter, template: Path) -> bytes:
    """The letter as docxtpl makes it on its own (``DocxTemplate.render`` and ``save``), to compare with."""
    document = DocxTemplate(str(template))
    context = letter_context(letter)
    context["betaal_qr"] = InlineImage(document, io.BytesIO(epc_qr_png(qr_payload(letter))), width=QR_WIDTH)
    document.render(context, jinja_env=jinja_environment(), autoescape=True)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def content_types(docx: zipfile.ZipFile) -> dict[str, str]:
    """Each part's content type, as a reader resolves it (an Override, else the Default of its extension)."""
    types = ElementTree.fromstring(docx.read("[Content_Types].xml"))
    defaults = {e.get("Extension").lower(): e.get("ContentType") for e in types if e.tag.endswith("Default")}
    overrides = {e.get("PartName"): e.get("ContentType") for e in types if e.tag.endswith("Override")}
    return {
        name: overrides.get("/" + name) or defaults.get(name.rsplit(".", 1)[-1].lower(), "")
        for name in docx.namelist()
        if name != "[Content_Types].xml"
    }


def assert_same_document(ours: bytes, theirs: bytes) -> None:
    """Every part byte for byte; the content types and core properties as a reader sees them."""
    mine, reference = zipfile.ZipFile(io.BytesIO(ours)), zipfile.ZipFile(io.BytesIO(theirs))
    assert sorted(mine.namelist()) == sorted(reference.namelist())
    assert content_types(mine) == content_types(reference)
    properties = ("author", "comments", "identifier", "language", "subject", "title", "created", "modified")
    core = [Document(io.BytesIO(docx)).core_properties for docx in (ours, theirs)]
    assert [getattr(core[0], p) for p in properties] == [getattr(core[1], p) for p in properties]
    for name in reference.namelist():
        if name not in ("[Content_Types].xml", "docProps/core.xml"):
            assert mine.read(name) == reference.read(name), name


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("debtor", [BUSINESS, ENGLISH], ids=["nl", "en"])
def test_letter_is_what_docxtpl_makes_of_its_template(kind, debtor, tmp_path):
    letter = make_letter(kind, debtor)
    result = render_letter(letter, tmp_path)
    assert_same_document(result.docx.read_bytes(), docxtpl_alone(letter, result.template))


def test_edited_template_with_pictures_and_fields_everywhere_is_what_docxtpl_makes(tmp_path):
    """A logo in the body, the betaal-QR in the header and the footer too, a field in the title."""
    path = edited_template(tmp_path, "Logo hierboven.") / "betalingsherinnering.docx"
    document = Document(str(path))
    document.add_picture(io.BytesIO(epc_qr_png("logo")), width=Mm(10))
    document.sections[0].header.add_paragraph("Betaal met {{ betaal_qr }}")
    document.sections[0].footer.add_paragraph("Of met {{ betaal_qr }}")
    document.core_properties.title = "Herinnering voor {{ debiteur.naam }}"
    document.save(str(path))
    letter = make_letter("betalingsherinnering")
    result = render_letter(letter, tmp_path / "uit", templates_dir=path.parent)
    ours = result.docx.read_bytes()
    assert_same_document(ours, docxtpl_alone(letter, path))
    with zipfile.ZipFile(io.BytesIO(ours)) as docx:
        media = sorted(name for name in docx.namelist() if name.startswith("word/media/"))
    assert media == ["word/media/image1.png", "word/media/image2.png"]  # the logo, then the QR once
    assert Document(io.BytesIO(ours)).core_properties.title == "Herinnering voor Jansen Techniek B.V."


def test_two_pictures_in_one_header_get_two_ids(tmp_path):
    # python-docx would give both the same wp:docPr id (its next_id looks at the template only).
    path = edited_template(tmp_path, "") / "betalingsherinnering.docx"
    document = Document(str(path))
    document.sections[0].header.add_paragraph("{{ betaal_qr }} en {{ betaal_qr }}")
    document.save(str(path))
    result = render_letter(make_letter("betalingsherinnering"), tmp_path / "uit", templates_dir=path.parent)
    with zipfile.ZipFile(result.docx) as docx:
        header = docx.read("word/header1.xml").decode()
        media = [n for n in docx.namelist() if n.startswith("word/media/")]
    assert media == ["word/media/image1.png"]  # the same QR in body and header is stored once
    ids = re.findall(r"<wp:docPr id=\"(\d+)\"", header)
    embeds = re.findall(r'r:embed="(rId\d+)"', header)
    assert len(ids) == 2 and len(set(ids)) == 2
    assert len(embeds) == 2 and len(set(embeds)) == 1


def test_a_letter_has_the_same_bytes_alone_in_a_batch_and_on_a_rerun(tmp_path):
    letters = [
        make_letter("ingebrekestelling", ENGLISH),
        make_letter("betalingsherinnering", CONSUMER),
        make_letter("betalingsherinnering"),
        make_letter("overdracht"),
    ]
    batch = render_letters(letters, tmp_path / "batch")
    again = render_letters(letters, tmp_path / "again")
    alone = render_letter(letters[2], tmp_path / "alone")
    assert [r.docx.read_bytes() for r in batch] == [r.docx.read_bytes() for r in again]
    assert alone.docx.read_bytes() == batch[2].docx.read_bytes()
    assert len({r.docx.read_bytes() for r in batch}) == len(letters)


def test_prepared_template_checks_the_same_source_as_the_template_file():
    for kind in KINDS:
        for language in ("nl", "en"):
            path = DEFAULT_TEMPLATES_DIR / template_name(kind, language)
            prepared = PreparedTemplate(path.read_bytes(), jinja_environment())
            assert prepared.jinja_source == template_source(path), path.name
            undeclared = meta.find_undeclared_variables(jinja_environment().parse(prepared.jinja_source))
            assert undeclared == template_variables(path), path.name


# -- file names --------------------------------------------------------------------------------


@pytest.mark.parametrize("number", ["../../etc/passwd", "..", "a/b\\c", "C:\\Windows\\x", "/abs", "D:1:2", "~root"])
def test_file_names_cannot_leave_the_output_folder(number, tmp_path):
    out = tmp_path / "uit"
    letter = make_letter("betalingsherinnering", replace(BUSINESS, number=number), reference="RF18539007547034")
    name = letter_filename(letter)
    assert re.fullmatch(r"[A-Za-z0-9_-]+_betalingsherinnering_2026-10-31\.docx", name)
    result = render_letter(letter, out)
    assert result.docx.parent == out.resolve()
    assert [p.name for p in out.iterdir()] == [name]


def test_safe_name_and_output_path(tmp_path):
    assert safe_name("../../etc/passwd") == "etc_passwd"
    assert safe_name("..") == "debiteur"
    with pytest.raises(ValueError, match="valt buiten de uitvoermap"):
        output_path(tmp_path, "../x.docx")
    taken: set[Path] = set()
    assert output_path(tmp_path, "a.docx", taken).name == "a.docx"
    assert output_path(tmp_path, "a.docx", taken).name == "a-2.docx"


def test_two_letters_of_the_same_kind_and_day_get_two_files(tmp_path):
    letters = [make_letter("betalingsherinnering"), make_letter("betalingsherinnering")]
    names = [r.docx.name for r in render_letters(letters, tmp_path)]
    assert names == ["D1023_betalingsherinnering_2026-10-31.docx", "D1023_betalingsherinnering_2026-10-31-2.docx"]


# -- PDF and the bundle ----------------------------------------------------------------------------


def small_pdf(path: Path) -> Path:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    with open(path, "wb") as handle:
        writer.write(handle)
    return path


@needs_soffice
def test_pdfs_and_bundle(tmp_path):
    invoice_pdf = small_pdf(tmp_path / "F2026-0101.pdf")
    letters = [
        make_letter("betalingsherinnering", attachments=[invoice_pdf, tmp_path / "ontbreekt.pdf"]),
        make_letter("veertiendagenbrief", CONSUMER),
        make_letter("ingebrekestelling", ENGLISH),
    ]
    rendered_letters = render_letters(letters, tmp_path / "uit")
    result = make_bundle(rendered_letters, tmp_path / "uit")

    for document, letter in zip(result.documents, letters):
        text = flat(" ".join(page.extract_text() for page in PdfReader(document.pdf).pages))
        assert letter.debtor.name in text
        assert letter_context(letter)["bedragen"]["te_betalen"] in text
        assert document.pdf_sha256 == sha256_of(document.pdf) and document.sha256 == document.pdf_sha256
        assert document.docx_sha256 == sha256_of(document.docx)
        # LibreOffice lists the QR among the resources of every page of a letter; it is one image
        (image,) = {image.data: image for page in PdfReader(document.pdf).pages for image in page.images}.values()
        png = io.BytesIO()
        image.image.save(png, format="PNG")
        assert read_qr(png.getvalue()).text == qr_payload(letter)  # the betaal-QR survives into the PDF

    reader = PdfReader(result.pdf)
    top = [item for item in reader.outline if not isinstance(item, list)]
    assert [item.title for item in top] == [
        "Tekenlijst",
        "D1023 – Jansen Techniek B.V. – Betalingsherinnering",
        "D2001 – A. Bakker – Veertiendagenbrief",
        "D3001 – Smith Ltd – Ingebrekestelling",
    ]
    assert [item.title for item in reader.outline[2]] == ["Bijlage: F2026-0101.pdf"]  # children of the reminder
    signing_pages = len(PdfReader(tmp_path / "uit" / "brievenbundel_tekenlijst.pdf").pages)
    letter_pages = sum(len(PdfReader(d.pdf).pages) for d in result.documents)
    assert len(reader.pages) == signing_pages + letter_pages + 1  # + the enclosed invoice
    assert result.warnings == (
        f"Bijlage '{tmp_path / 'ontbreekt.pdf'}' bij D1023 – Jansen Techniek B.V. – Betalingsherinnering "
        "is niet toegevoegd: het bestand bestaat niet.",
    )
    assert "Tekenlijst brieven" in reader.pages[0].extract_text()
    assert result.pdf_sha256 == sha256_of(result.pdf)

    with open(result.signing_list_csv, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter=";"))
    assert [(r["Ondertekenaar"], r["Debiteurnummer"], r["Soort brief"], r["Bedrag"]) for r in rows] == [
        ("M. de Vries, Controller", "D1023", "Betalingsherinnering", "1510,00"),
        ("M. de Vries, Controller", "D2001", "Veertiendagenbrief", "1510,00"),
        ("M. de Vries, Controller", "D3001", "Ingebrekestelling", "1522,60"),
    ]


def test_signing_list_csv_keeps_formulas_as_text(tmp_path):
    letter = make_letter("betalingsherinnering", replace(BUSINESS, name='=HYPERLINK("x")'))
    rendered_letters = render_letters([letter], tmp_path)
    path = bundle_module.write_signing_csv(rendered_letters, tmp_path / "lijst.csv")
    row = next(csv.DictReader(open(path, encoding="utf-8-sig", newline=""), delimiter=";"))
    assert row["Debiteur"] == '\'=HYPERLINK("x")'


def test_without_a_converter_the_docx_files_remain(tmp_path, monkeypatch):
    monkeypatch.setattr("debiteuren.letters.pdf.converter", lambda: None)
    rendered_letters = render_letters([make_letter("betalingsherinnering")], tmp_path)
    with pytest.raises(PdfUnavailable, match="^PDF maken lukt niet: LibreOffice is niet gevonden"):
        convert_to_pdf([rendered_letters[0].docx], tmp_path)
    result = make_bundle(rendered_letters, tmp_path)
    assert result.pdf is None and result.documents[0].pdf is None
    assert result.documents[0].document == rendered_letters[0].docx
    assert result.documents[0].sha256 == sha256_of(rendered_letters[0].docx)
    assert result.warnings[0].startswith("PDF maken lukt niet")
    assert result.signing_list_csv.exists() and result.signing_list_docx.exists()


def test_company_name_must_fit_the_betaal_qr():
    with pytest.raises(LetterError, match="de bedrijfsnaam is langer dan 70 tekens"):
        make_letter("betalingsherinnering", company=replace(COMPANY, name="N" * 71))


# -- the route's letter points (issue 14) -----------------------------------------------------------


def test_a_consumers_notice_of_default_names_no_costs_and_announces_the_fourteen_day_letter(rendered):
    _, text, _ = rendered(make_letter("ingebrekestelling", CONSUMER))
    assert "Hierbij stellen wij u in gebreke." in text
    assert "incassokosten verschuldigd van" not in text
    assert "sturen wij u een laatste aanmaning met een termijn van veertien dagen" in text
    assert "Aan deze brief zijn voor u geen kosten verbonden." in text
    _, business, _ = rendered(make_letter("ingebrekestelling"))
    assert "bent u buitengerechtelijke incassokosten verschuldigd van € 226,50" in business
    assert "laatste aanmaning" not in business


def test_a_business_notice_of_default_states_the_costs_already_owed(rendered):
    # Principal 1.210,00 + 300,00 = 1.510,00, interest 12,60. Not fatal: € 40,00 per invoice is owed since
    # the day after each due date, 80,00; a payment put 40,00 on them (6:44), so 40,00 is open and demanded:
    # 1.510,00 + 12,60 + 40,00 = 1.562,60. The staffel if the term passes: 15 % × 1.510,00 = 226,50, less
    # the 40,00 paid: 186,50; the claim then 1.510,00 + 12,60 + 186,50 = 1.709,10.
    notice = make_letter(
        "ingebrekestelling", collection_costs=eur("186,50"), costs_due_now=eur("80,00"), costs_paid=eur("40,00")
    )
    assert (notice.costs_owed_now, notice.costs_whole) == (eur("40,00"), eur("226,50"))
    assert (notice.amount_to_pay, notice.total_due) == (eur("1.562,60"), eur("1.709,10"))
    _, text, _ = rendered(notice)
    assert (
        "Sinds de dag na de vervaldatum bent u per factuur € 40,00 aan incassokosten verschuldigd (artikel 6:96 "
        "lid 4 BW): samen € 80,00. Uw betalingen sindsdien gingen eerst naar die kosten (artikel 6:44 BW): "
        "€ 40,00. Nog open: € 40,00; dat bedrag zit in het bedrag dat u nu moet betalen."
    ) in text
    assert "Incassokosten, al verschuldigd € 40,00" in text
    assert "Wij sommeren u het bedrag van € 1.562,60 uiterlijk" in text
    assert (
        "bent u buitengerechtelijke incassokosten verschuldigd van € 226,50, berekend volgens het Besluit "
        "vergoeding voor buitengerechtelijke incassokosten (de € 40,00 per factuur hierboven daarin begrepen; "
        "u betaalde daarvan al € 40,00); uw schuld is dan € 1.709,10, plus de rente na 31 oktober 2026;"
    ) in text
    # Fatal terms: in verzuim since the day after each due date, so all 226,50 is owed now and demanded
    # (1.510,00 + 12,60 + 226,50 = 1.749,10); passing the term adds no costs, only the hand-over.
    fatal = make_letter(
        "ingebrekestelling", collection_costs=eur("226,50"), costs_due_now=eur("226,50"), in_default=True
    )
    assert fatal.amount_to_pay == fatal.total_due == eur("1.749,10")
    _, text, _ = rendered(fatal)
    assert (
        "Uw betaaltermijn was fataal: u bent sinds de dag na de vervaldatum in verzuim (artikel 6:83 sub a BW) "
        "en daarom de buitengerechtelijke incassokosten al verschuldigd, berekend volgens het Besluit vergoeding "
        "voor buitengerechtelijke incassokosten: € 226,50. Nog open: € 226,50;"
    ) in text
    assert "incassokosten verschuldigd van" not in text
    assert "geven wij de vordering zonder nadere aankondiging uit handen" in text
    assert "laatste aanmaning" not in text
    # All of them paid: nothing open, and still the business consequences, not the consumer's.
    paid = make_letter("ingebrekestelling", costs_due_now=eur("226,50"), costs_paid=eur("226,50"), in_default=True)
    assert paid.amount_to_pay == eur("1.522,60")
    _, text, _ = rendered(paid)
    assert "Daarvan staat niets meer open." in text and "Incassokosten, al verschuldigd" not in text
    assert "geven wij de vordering zonder nadere aankondiging uit handen" in text
    assert "laatste aanmaning" not in text


def test_costs_already_due_lie_between_what_was_paid_and_all_the_costs():
    with pytest.raises(LetterError, match="de al verschuldigde incassokosten"):
        make_letter("ingebrekestelling", costs_due_now=eur("40,00"), costs_paid=eur("80,00"))
    with pytest.raises(LetterError, match="de al verschuldigde incassokosten"):
        make_letter("ingebrekestelling", collection_costs=eur("40,00"), costs_due_now=eur("80,00"))
    with pytest.raises(LetterError, match="alleen een geldige veertiendagenbrief kan ze verschuldigd maken"):
        # costs a payment settled are costs all the same
        make_letter("ingebrekestelling", CONSUMER, costs_due_now=eur("40,00"), costs_paid=eur("40,00"))


def test_a_consumer_letter_other_than_the_fourteen_day_letter_cannot_claim_costs():
    with pytest.raises(LetterError, match="alleen een geldige veertiendagenbrief kan ze verschuldigd maken"):
        make_letter("ingebrekestelling", CONSUMER, collection_costs=eur("40,00"))
    with pytest.raises(LetterError, match="mag geen incassokosten noemen"):
        make_letter("betalingsherinnering", CONSUMER, collection_costs=eur("40,00"))


def test_a_letter_with_invoices_at_different_steps_says_which_step_each_is(rendered):
    mixed = (INVOICES[0], replace(INVOICES[1], state="Betalingsherinnering"))
    _, text, _ = rendered(make_letter("veertiendagenbrief", CONSUMER, invoices=mixed))
    assert (
        "De incassokosten hieronder gaan alleen over factuur F2026-0101, waarvoor u in verzuim bent. Voor de "
        "andere facturen is deze brief een eerdere stap: factuur F2026-0133: herinnering."
    ) in text
    _, single, _ = rendered(make_letter("veertiendagenbrief", CONSUMER))
    assert "eerdere stap" not in single
    _, notice, _ = rendered(make_letter("ingebrekestelling", ENGLISH, invoices=mixed))
    assert "This notice of default concerns invoice F2026-0101" in notice
    assert "an earlier step: invoice F2026-0133: reminder." in notice
    assert "the collection costs below concern those invoices only" in notice
    _, consumer, _ = rendered(make_letter("ingebrekestelling", CONSUMER, invoices=mixed))
    assert (
        "Deze ingebrekestelling geldt voor factuur F2026-0101. Voor de andere facturen is deze brief een "
        "eerdere stap: factuur F2026-0133: herinnering."
    ) in consumer


def test_vat_on_costs_beside_a_vat_number_is_worded_for_the_collection_and_warned_about(rendered):
    letter = make_letter("veertiendagenbrief", CONSUMER, collection_costs_vat=eur("47,57"))
    _, text, _ = rendered(letter)
    assert "Wij kunnen de btw" not in text and "niet verrekenen" not in text
    assert "De btw over het incasseren van deze vordering kunnen wij niet als voorbelasting aftrekken" in text
    assert any("btw-nummer NL001234567B01" in w for w in letter_warnings(letter))
    plain = make_letter("veertiendagenbrief", CONSUMER)
    assert not any("btw-nummer" in w for w in letter_warnings(plain))
    _, without, _ = rendered(plain)
    assert "voorbelasting" not in without


def test_english_hand_over_translates_interest_hides_an_empty_country_and_uses_the_english_title(rendered):
    company = replace(COMPANY, signatory_title="Hoofd financiële administratie", signatory_title_en="Head of Finance")
    dutch_debtor = replace(ENGLISH, country="NL")
    letter = make_letter("overdracht", dutch_debtor, company=company, language="en")
    _, text, _ = rendered(letter)
    assert "Interest: statutory commercial interest" in text and "Rente:" not in text
    assert "Country" not in text
    assert "Head of Finance" in text and "Hoofd financiële administratie" not in text
    assert "Basis of the collection costs" in text and "staffel over een hoofdsom van € 1.510,00" in text
    _, abroad, _ = rendered(make_letter("overdracht", ENGLISH, language="en"))
    assert "Country UNITED KINGDOM" in abroad
    _, dutch, _ = rendered(make_letter("overdracht", BUSINESS, company=company))
    assert "Rente: wettelijke handelsrente" in dutch and "Hoofd financiële administratie" in dutch
    assert "Grondslag van de incassokosten" in dutch
