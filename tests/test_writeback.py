"""Write-back: result sheets and the action log, to the .xlsx file and to the open workbook.

The file tests build registers with every kind of content a controller may have
(XlsxWriter: Tables, validation, conditional formatting with x14 data bars,
sparklines, charts, images, text boxes, comments, defined names, a .xlsm with a
VBA project; a pivot table from tests/fixtures/draaitabel.xlsx), write back,
and prove every member that had no reason to change is byte-for-byte the same.
The writer's contract runs once per backend (the ``backend`` fixture: the file,
and the open workbook through tests/fake_xlwings.py). Runs and tests against
the fake have ``fake_excel`` in their ids: they test the live writer against a
fake, not against Excel.
"""

from __future__ import annotations

import io
import os
import shutil
import signal
import struct
import subprocess
import sys
import time
import zipfile
import zlib
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
import python_calamine as calamine
import xlsxwriter
from lxml import etree

from debiteuren.register import read_tables
from debiteuren.register.live_backend import read_tables as read_live_tables
from debiteuren.register.schema import ACTION_KINDS
from debiteuren.register.writeback import (
    DATE_FORMAT,
    EURO_FORMAT,
    ResultSheet,
    WorkbookLocked,
    WriteBackRefused,
    write_back,
)
from debiteuren.register.write import file_writer
from debiteuren.register.write.file_safety import backups_of
from fake_xlwings import FakeBook
from workbooks import DEFAULT_SHEETS, write_register

FIXTURES = Path(__file__).parent / "fixtures"
GENERATED = datetime(2026, 11, 23, 14, 5)
PEILDATUM = date(2026, 10, 31)
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
NS_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


# --- inputs -----------------------------------------------------------------------------------


def eur(text: str) -> Decimal:
    return Decimal(text)


def result_sheets(peildatum: date = PEILDATUM, dso: str = "45.3") -> list[ResultSheet]:
    ouderdom = pd.DataFrame(
        {
            "Debiteurnummer": ["1001", "1002"],
            "Naam": ["Bakkerij De Korenschoof B.V.", '=HYPERLINK("http://x")'],
            "Niet vervallen": [eur("0.00"), eur("121.00")],
            "1-30": [eur("1000.00"), None],
            "Totaal": [eur("1000.00"), eur("121.00")],
            "Facturen": [1, 1],
            "Oudste vervaldatum": [date(2026, 10, 1), date(2026, 11, 2)],
        }
    )
    actielijst = pd.DataFrame(
        {
            "Debiteurnummer": ["1001", "1002"],
            "Stap": [2, 1],
            "Actie": ["Telefoongesprek", "Betalingsherinnering"],
            "Reden": ["-14 dagen na herinnering", "+7 dagen na vervaldatum"],
            "Uiterlijk": [date(2026, 11, 24), date(2026, 11, 30)],
            "Bedrag": [eur("1000.00"), eur("121.00")],
            "Notitie": ["@ boekhouding", None],
        }
    )
    kerncijfers = pd.DataFrame(
        {
            "Peildatum": [peildatum],
            "Openstaand": [eur("1121.00")],
            "Vervallen": [eur("1000.00")],
            "DSO": [Decimal(dso)],
            "Debiteuren": [2],
        }
    )
    prognose = pd.DataFrame(
        {
            "Week vanaf": [date(2026, 11, 2), date(2026, 11, 9)],
            "Verwacht": [eur("121.00"), eur("1000.00")],
            "Toelichting": ["=1+1", "gewoon"],
        }
    )
    return [
        ResultSheet("Ouderdom", ouderdom, money_columns=("Niet vervallen", "1-30", "Totaal")),
        ResultSheet("Actielijst", actielijst, money_columns=("Bedrag",)),
        ResultSheet("Kerncijfers", kerncijfers, money_columns=("Openstaand", "Vervallen"), append_key="Peildatum"),
        ResultSheet("Prognose", prognose, money_columns=("Verwacht",), totals=True),
    ]


def actions_frame(n: int = 2, start: int = 0) -> pd.DataFrame:
    rows = []
    for i in range(start, start + n):
        rows.append(
            {
                "Datum": date(2026, 11, 23),
                "Debiteurnummer": "1001" if i % 2 == 0 else "1002",
                "Factuurnummers": "F-001",
                "Soort": ACTION_KINDS[i % len(ACTION_KINDS)],
                "Omschrijving": "=SOM(A1:A2)" if i == 0 else f"Herinnering {i} verstuurd",
                "Toegezegd bedrag": eur("250.00") if i % 3 == 0 else None,
                "Toegezegde datum": date(2026, 12, 1) if i % 3 == 0 else None,
                "Door": "-controller",
                "Document": f"brieven/herinnering-{i}.pdf",
                "Kenmerk": f"{i:064x}",
            }
        )
    return pd.DataFrame(rows)


def tiny_png() -> bytes:
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00"))
        + chunk(b"IEND", b"")
    )


ACTIES_HEADERS = [
    "Datum",
    "Debiteurnummer",
    "Factuurnummers",
    "Soort",
    "Omschrijving",
    "Toegezegd bedrag",
    "Toegezegde datum",
    "Door",
    "Document",
    "Kenmerk",
]


def rich_register(folder: Path, name: str = "register.xlsx", *, invoices: int = 3) -> Path:
    """A register with every kind of content a controller may have built around her tables."""
    path = Path(folder) / name
    wb = xlsxwriter.Workbook(str(path))
    if name.endswith(".xlsm"):
        wb.add_vba_project(str(FIXTURES / "vbaProject.bin"))
        wb.set_vba_name("ThisWorkbook")
    long_date = wb.add_format({"num_format": "d mmm yyyy"})
    money = wb.add_format({"num_format": "#,##0.00"})
    highlight = wb.add_format({"bg_color": "#FFC7CE"})

    debtors = wb.add_worksheet("Debiteuren")
    debtors.add_table(
        0,
        0,
        2,
        3,
        {
            "name": "Debiteuren",
            "columns": [{"header": h} for h in ("Debiteurnummer", "Naam", "Soort", "Betaaltermijn")],
            "data": [
                ["1001", "Bakkerij De Korenschoof B.V.", "zakelijk", 30],
                ["1002", "J. de Vries", "consument", 14],
            ],
        },
    )

    facturen = wb.add_worksheet("Facturen")
    rows = [
        [
            f"F-{i + 1:06d}",
            "1001" if i % 2 == 0 else "1002",
            date(2026, 9, 1 + i % 28),
            None,
            [1210.0, 121.0, 605.0][i % 3],
            "nee",
        ]
        for i in range(invoices)
    ]
    facturen.add_table(
        0,
        0,
        invoices,
        5,
        {
            "name": "Facturen",
            "columns": [
                {"header": "Factuurnummer"},
                {"header": "Debiteurnummer"},
                {"header": "Factuurdatum", "format": long_date},
                {"header": "Vervaldatum", "format": long_date},
                {"header": "Bedrag", "format": money},
                {"header": "Betwist"},
            ],
            "data": rows,
        },
    )
    facturen.conditional_format(1, 4, invoices, 4, {"type": "data_bar", "data_bar_2010": True, "bar_solid": True})
    facturen.add_sparkline("H2", {"range": f"Facturen!E2:E{min(invoices, 20) + 1}"})
    if invoices <= 1000:
        facturen.write_comment("A2", "Eerste factuur: nagekeken met de klant.")

    payments = wb.add_worksheet("Betalingen")
    payments.add_table(
        0,
        0,
        1,
        3,
        {
            "name": "Betalingen",
            "columns": [
                {"header": "Datum", "format": long_date},
                {"header": "Debiteurnummer"},
                {"header": "Factuurnummer"},
                {"header": "Bedrag", "format": money},
            ],
            "data": [[date(2026, 10, 5), "1001", "F-000001", 210.0]],
        },
    )

    acties = wb.add_worksheet("Acties")
    acties.add_table(
        0,
        0,
        2,
        9,
        {
            "name": "Acties",
            "style": "Table Style Light 9",
            "columns": [
                {
                    "header": h,
                    **({"format": long_date} if h in ("Datum", "Toegezegde datum") else {}),
                    **({"format": money} if h == "Toegezegd bedrag" else {}),
                }
                for h in ACTIES_HEADERS
            ],
            "data": [
                [
                    date(2026, 10, 8),
                    "1001",
                    "F-000001",
                    "Betalingsherinnering",
                    "Herinnering verstuurd",
                    None,
                    None,
                    "AB",
                    None,
                    None,
                ],
                [date(2026, 10, 20), "1001", "F-000001", "Telefoongesprek", "Belt terug", None, None, "AB", None, None],
            ],
        },
    )
    acties.data_validation(1, 3, 2, 3, {"validate": "list", "source": list(ACTION_KINDS)})
    acties.conditional_format(
        1, 3, 2, 3, {"type": "cell", "criteria": "==", "value": '"Ingebrekestelling"', "format": highlight}
    )
    acties.set_column(0, 0, 14)
    acties.write("L1", "Notitie naast de tabel")  # the controller's own cell, right of the table

    wb.add_worksheet("Regelingen").add_table(
        0,
        0,
        1,
        3,
        {
            "name": "Regelingen",
            "columns": [{"header": h} for h in ("Debiteurnummer", "Termijn", "Vervaldatum", "Bedrag")],
        },
    )
    wb.add_worksheet("Aanmaanschema").add_table(
        0,
        0,
        1,
        4,
        {"name": "Aanmaanschema", "columns": [{"header": h} for h in ("Stap", "Actie", "Voor", "Dagen", "Termijn")]},
    )
    settings = wb.add_worksheet("Instellingen")
    settings.add_table(
        0,
        0,
        3,
        1,
        {
            "name": "Instellingen",
            "columns": [{"header": "Instelling"}, {"header": "Waarde"}],
            "data": [
                ["Bedrijfsnaam", "Voorbeeld B.V."],
                ["IBAN", "NL91ABNA0417164300"],
                ["Standaard betaaltermijn", 30],
            ],
        },
    )

    overview = wb.add_worksheet("Overzicht")
    overview.write_formula("A1", "=SUM(Facturen[Bedrag])", money, 1936)
    overview.write_comment("A1", "Totaal van alle facturen")
    overview.write_url("A3", "https://www.rijksoverheid.nl", string="Wettelijke rente")
    chart = wb.add_chart({"type": "column"})
    chart.add_series({"name": "Bedrag", "categories": "=Facturen!$A$2:$A$4", "values": "=Facturen!$E$2:$E$4"})
    overview.insert_chart("C2", chart)
    overview.insert_image("L2", "logo.png", {"image_data": io.BytesIO(tiny_png())})
    overview.insert_textbox("C20", "Handwerk van de controller: niet overschrijven!", {"width": 300, "height": 60})
    wb.define_name("Omzet", "=Facturen!$E$2:$E$4")
    wb.define_name("Overzicht!Lokaal", "=Overzicht!$A$1")

    # An earlier Prognose with the controller's chart on it: the chart must survive the replacement.
    prognose = wb.add_worksheet("Prognose")
    prognose.write_row(2, 0, ["Week vanaf", "Verwacht"])
    prognose.write_row(3, 0, ["oud", 1.0])
    prognose_chart = wb.add_chart({"type": "line"})
    prognose_chart.add_series({"values": "=Prognose!$B$4:$B$6"})
    prognose.insert_chart("E2", prognose_chart)
    wb.close()
    return path


def members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {name: z.read(name) for name in z.namelist()}


def sheet_parts(path: Path) -> dict[str, str]:
    """Sheet name -> worksheet part, read from workbook.xml and its rels (independently of the writer)."""
    data = members(path)
    workbook = etree.fromstring(data["xl/workbook.xml"])
    rels = etree.fromstring(data["xl/_rels/workbook.xml.rels"])
    targets = {r.get("Id"): r.get("Target") for r in rels.iter(f"{NS_REL}Relationship")}
    result = {}
    for sheet in workbook.iter(f"{NS}sheet"):
        target = targets[sheet.get(R_ID)]
        result[sheet.get("name")] = target.lstrip("/") if target.startswith("/") else "xl/" + target
    return result


def sheet_owned_parts(path: Path, sheet: str) -> set[str]:
    """The worksheet part, its rels and its Table parts."""
    part = sheet_parts(path)[sheet]
    folder, name = part.rsplit("/", 1)
    rels_part = f"{folder}/_rels/{name}.rels"
    owned = {part, rels_part}
    data = members(path)
    if rels_part in data:
        for rel in etree.fromstring(data[rels_part]).iter(f"{NS_REL}Relationship"):
            if rel.get("Type").endswith("/table"):
                owned.add(os.path.normpath(f"{folder}/{rel.get('Target')}"))
    return owned


ALWAYS_ALLOWED = {
    "xl/workbook.xml",
    "xl/_rels/workbook.xml.rels",
    "[Content_Types].xml",
    "docProps/app.xml",
    "xl/styles.xml",
}


def allowed_changes(before: Path, after: Path) -> set[str]:
    allowed = set(ALWAYS_ALLOWED) | sheet_owned_parts(before, "Acties") | sheet_owned_parts(after, "Acties")
    for name in ("Ouderdom", "Actielijst", "Kerncijfers", "Prognose"):
        if name in sheet_parts(after):
            allowed |= sheet_owned_parts(after, name)
    return allowed


def write_standard(path, **kwargs):
    return write_back(path, result_sheets(), actions_frame(), generated_at=GENERATED, peildatum=PEILDATUM, **kwargs)


def grid(path: Path, sheet: str) -> list[list[object]]:
    workbook = calamine.CalamineWorkbook.from_path(str(path))
    try:
        return workbook.get_sheet_by_name(sheet).to_python()
    finally:
        workbook.close()


# --- one contract, two backends --------------------------------------------------------------
#
# The writer's contract runs once per backend: the .xlsx file and the workbook open in Excel
# (tests/fake_xlwings.py). A test takes ``backend`` and writes to ``backend.target(path)``; the
# fake's runs have ``fake_excel`` in their ids.

WRITTEN_SHEETS = ("Ouderdom", "Actielijst", "Kerncijfers", "Prognose", "Acties")


class Backend:
    """A writer's target and how to read back what was written, for the file or the Excel fake."""

    def __init__(self, name: str):
        self.name = name
        self.live = name == "fake_excel"

    def __repr__(self):
        return self.name

    def target(self, path: Path):
        """What ``write_back`` writes to: the file itself, or the workbook open in (fake) Excel."""
        return FakeBook(path) if self.live else path

    def book(self, target) -> openpyxl.Workbook:
        """The workbook as openpyxl holds it after the write (formulas as their text)."""
        return target.workbook if self.live else openpyxl.load_workbook(target)

    def grid(self, target, sheet: str) -> list[list[object]]:
        """The sheet's values as python-calamine reads the file: a date at midnight as a date, empty as ''."""
        if self.live:
            return [[_as_calamine(v) for v in row] for row in _fake_grid(target, sheet)]
        return grid(target, sheet)

    def formula(self, target, sheet: str, row: int, column: int) -> str:
        """A cell's formula (or its constant as text), as xlwings' ``Range.formula`` gives it."""
        if self.live:
            return next(s for s in target.sheets if s.name == sheet).range((row, column)).formula
        value = openpyxl.load_workbook(target)[sheet].cell(row, column).value
        return "" if value is None else str(value)

    def read_tables(self, target):
        """The register reader of this backend."""
        return read_live_tables(target) if self.live else read_tables(target, live=False)

    def not_text(self, target) -> list[tuple[str, str, str, str]]:
        """Cells of the written sheets that hold something other than the text given: (sheet, cell, text, what).

        The fake records what Excel makes of a string it is handed (a number, a date, a
        formula); the file writer types every cell itself, so there only a formula can be.
        """
        if self.live:
            return list(target.coerced)
        book = openpyxl.load_workbook(target)
        return [
            (sheet.title, cell.coordinate, cell.value, "formule")
            for sheet in book.worksheets
            if sheet.title in WRITTEN_SHEETS
            for row in sheet.iter_rows()
            for cell in row
            if cell.data_type == "f"
        ]


@pytest.fixture(params=["file", "fake_excel"])
def backend(request) -> Backend:
    return Backend(request.param)


# --- the file: nothing else changes -----------------------------------------------------------


@pytest.mark.parametrize("name", ["register.xlsx", "register.xlsm"])
def test_every_untouched_member_is_byte_for_byte_the_same(tmp_path, name):
    path = rich_register(tmp_path, name)
    before_copy = tmp_path / f"voor-{name}"
    shutil.copy2(path, before_copy)
    before = members(path)
    report = write_standard(path)
    after = members(path)

    assert set(before) <= set(after), "no member may disappear"
    changed = {n for n in before if before[n] != after[n]}
    assert changed <= allowed_changes(before_copy, path), changed
    untouched = set(before) - changed
    # Everything the controller built is among the untouched members, byte for byte.
    for expected in (
        "xl/sharedStrings.xml",
        "xl/drawings/drawing1.xml",
        "xl/charts/chart1.xml",
        "xl/media/image1.png",
        "xl/comments1.xml",
        "xl/drawings/vmlDrawing1.vml",
        "xl/theme/theme1.xml",
    ):
        assert expected in untouched, expected
    facturen = sheet_parts(path)["Facturen"]
    assert facturen in untouched
    assert b"x14:dataBar" in after[facturen] and b"x14:sparklineGroup" in after[facturen]
    overview_drawing = after["xl/drawings/drawing1.xml"]
    assert b"Handwerk van de controller" in overview_drawing  # the text box
    assert report.sheets_added == ("Ouderdom", "Actielijst", "Kerncijfers")
    assert report.sheets_replaced == ("Prognose",)
    assert report.rows_appended == 2
    if name.endswith(".xlsm"):
        assert after["xl/vbaProject.bin"] == (FIXTURES / "vbaProject.bin").read_bytes()
        assert b"application/vnd.ms-excel.sheet.macroEnabled.main+xml" in after["[Content_Types].xml"]
        assert b"vbaProject" in after["[Content_Types].xml"]


def test_changed_members_keep_what_they_held(tmp_path):
    path = rich_register(tmp_path)
    before = members(path)
    write_standard(path)
    after = members(path)

    def c14n(element):
        return etree.tostring(element, method="c14n")

    # workbook.xml: the same sheets in the same order, the defined names untouched, new sheets at the end.
    old_wb, new_wb = etree.fromstring(before["xl/workbook.xml"]), etree.fromstring(after["xl/workbook.xml"])
    old_sheets = [c14n(s) for s in old_wb.iter(f"{NS}sheet")]
    new_sheets = [c14n(s) for s in new_wb.iter(f"{NS}sheet")]
    assert new_sheets[: len(old_sheets)] == old_sheets
    assert [s.get("name") for s in new_wb.iter(f"{NS}sheet")][len(old_sheets) :] == [
        "Ouderdom",
        "Actielijst",
        "Kerncijfers",
    ]
    # The controller's names as they were; one print title (the header row) per result sheet added.
    old_names, new_names = list(old_wb.find(f"{NS}definedNames")), list(new_wb.find(f"{NS}definedNames"))
    assert [c14n(n) for n in new_names[: len(old_names)]] == [c14n(n) for n in old_names]
    sheet_names = [s.get("name") for s in new_wb.iter(f"{NS}sheet")]
    assert sorted(
        (sheet_names[int(n.get("localSheetId"))], n.get("name"), n.text) for n in new_names[len(old_names) :]
    ) == [
        (name, "_xlnm.Print_Titles", f"'{name}'!$3:$3")
        for name in ("Actielijst", "Kerncijfers", "Ouderdom", "Prognose")
    ]
    # styles.xml: formats appended, never renumbered.
    old_xfs = [c14n(x) for x in etree.fromstring(before["xl/styles.xml"]).find(f"{NS}cellXfs")]
    new_xfs = [c14n(x) for x in etree.fromstring(after["xl/styles.xml"]).find(f"{NS}cellXfs")]
    assert new_xfs[: len(old_xfs)] == old_xfs and len(new_xfs) > len(old_xfs)
    old_fmts = etree.fromstring(before["xl/styles.xml"]).find(f"{NS}numFmts")
    new_fmts = etree.fromstring(after["xl/styles.xml"]).find(f"{NS}numFmts")
    assert [c14n(f) for f in new_fmts][: len(old_fmts)] == [c14n(f) for f in old_fmts]
    assert {f.get("formatCode") for f in new_fmts} >= {DATE_FORMAT, EURO_FORMAT}
    # The Acties sheet: its original rows are all still there, unchanged.
    acties = sheet_parts(path)["Acties"]
    old_rows = {r.get("r"): c14n(r) for r in etree.fromstring(before[acties]).iter(f"{NS}row")}
    new_rows = {r.get("r"): c14n(r) for r in etree.fromstring(after[acties]).iter(f"{NS}row")}
    assert {k: new_rows[k] for k in old_rows} == old_rows
    assert sorted(set(new_rows) - set(old_rows), key=int) == ["4", "5"]
    # app.xml lists the new sheets after the old ones.
    assert b"<vt:lpstr>Prognose</vt:lpstr><vt:lpstr>Ouderdom</vt:lpstr>" in after["docProps/app.xml"]


def test_a_rerun_changes_only_the_result_sheets_and_acties(tmp_path):
    path = rich_register(tmp_path)
    write_standard(path)
    first = members(path)
    copy = tmp_path / "na-eerste.xlsx"
    shutil.copy2(path, copy)
    write_back(
        path,
        result_sheets(dso="44.0"),
        actions_frame(1, start=5),
        generated_at=datetime(2026, 11, 24, 9, 0),
        peildatum=PEILDATUM,
    )
    second = members(path)
    changed = {n for n in first if first[n] != second[n]}
    owned = sheet_owned_parts(path, "Acties")
    for sheet in ("Ouderdom", "Actielijst", "Kerncijfers", "Prognose"):
        owned |= sheet_owned_parts(path, sheet)
    assert set(second) == set(first)
    assert changed <= owned, changed - owned  # no styles, workbook, rels or content types this time


def test_result_sheets_read_back_with_calamine_and_openpyxl(tmp_path):
    path = write_register(tmp_path)
    write_standard(path)

    ouderdom = grid(path, "Ouderdom")
    assert ouderdom[0][0] == (
        "Gegenereerd op 23-11-2026 14:05 uit het register per peildatum 31-10-2026 — wordt bij elke review "
        "vervangen; wijzig hier niets."
    )
    assert ouderdom[2] == [
        "Debiteurnummer",
        "Naam",
        "Niet vervallen",
        "1-30",
        "Totaal",
        "Facturen",
        "Oudste vervaldatum",
    ]
    assert ouderdom[3] == ["1001", "Bakkerij De Korenschoof B.V.", 0.0, 1000.0, 1000.0, 1.0, date(2026, 10, 1)]
    assert ouderdom[4] == ["1002", '=HYPERLINK("http://x")', 121.0, "", 121.0, 1.0, date(2026, 11, 2)]
    assert grid(path, "Prognose")[3:] == [
        [date(2026, 11, 2), 121.0, "=1+1"],
        [date(2026, 11, 9), 1000.0, "gewoon"],
        ["Totaal", 1121.0, ""],
    ]

    book = openpyxl.load_workbook(path)
    sheet = book["Ouderdom"]
    assert sheet["C4"].number_format == EURO_FORMAT and sheet["C4"].value == 0
    assert sheet["G4"].number_format == DATE_FORMAT and sheet["G4"].value == datetime(2026, 10, 1)
    assert sheet["B5"].data_type == "s" and sheet["B5"].value == '=HYPERLINK("http://x")'
    assert sheet["F4"].value == 1 and sheet["F4"].number_format == "General"
    assert sheet.tables["Ouderdom"].ref == "A3:G5"
    assert sheet.freeze_panes == "A4"
    assert book.sheetnames == [*DEFAULT_SHEETS, "Ouderdom", "Actielijst", "Kerncijfers", "Prognose"]
    assert book["Actielijst"]["D4"].data_type == "s" and book["Actielijst"]["D4"].value == "-14 dagen na herinnering"
    assert book["Actielijst"]["G4"].value == "@ boekhouding"
    assert book["Prognose"]["C4"].data_type == "s" and book["Prognose"]["C4"].value == "=1+1"


def test_money_is_written_from_the_decimal_digits(tmp_path):
    path = write_register(tmp_path)
    sheet = ResultSheet(
        "Prognose",
        pd.DataFrame({"Bedrag": [Decimal("0.10"), Decimal("1234567.89"), Decimal("-0.01")]}),
        money_columns=("Bedrag",),
    )
    write_back(path, [sheet], None, generated_at=GENERATED, peildatum=PEILDATUM)
    xml = members(path)[sheet_parts(path)["Prognose"]].decode()
    assert "<v>0.10</v>" in xml and "<v>1234567.89</v>" in xml and "<v>-0.01</v>" in xml
    with pytest.raises(TypeError, match="Decimal"):
        write_back(
            path,
            [ResultSheet("Prognose", pd.DataFrame({"Bedrag": [0.1]}), money_columns=("Bedrag",))],
            None,
            generated_at=GENERATED,
            peildatum=PEILDATUM,
        )


def test_actions_are_appended_and_the_table_grows_with_its_validation(tmp_path):
    path = rich_register(tmp_path)
    report = write_back(path, [], actions_frame(3), generated_at=GENERATED, peildatum=PEILDATUM)
    assert report.rows_appended == 3 and report.columns_added == () and report.sheets == ()

    book = openpyxl.load_workbook(path)
    sheet = book["Acties"]
    table = sheet.tables["Acties"]
    assert table.ref == "A1:J6" and table.autoFilter.ref == "A1:J6"
    assert table.tableStyleInfo.name == "TableStyleLight9"
    assert [str(v.sqref) for v in sheet.data_validations.dataValidation] == ["D2:D6"]
    assert [str(r.sqref) for r in sheet.conditional_formatting] == ["D2:D6"]
    assert sheet["L1"].value == "Notitie naast de tabel"
    # The controller's date format of the column is kept; the money format too.
    assert sheet["A4"].number_format == "d mmm yyyy" and sheet["A4"].value == datetime(2026, 11, 23)
    assert sheet["F4"].number_format == "#,##0.00" and sheet["F4"].value == 250
    assert sheet["E4"].data_type == "s" and sheet["E4"].value == "=SOM(A1:A2)"
    assert sheet["H4"].value == "-controller"

    tables = read_tables(path, live=False)
    acties = tables["Acties"]
    assert [row for _, row in acties.rows][2:] == [
        (
            date(2026, 11, 23),
            "1001",
            "F-001",
            "Betalingsherinnering",
            "=SOM(A1:A2)",
            250.0,
            date(2026, 12, 1),
            "-controller",
            "brieven/herinnering-0.pdf",
            "0" * 64,
        ),
        (
            date(2026, 11, 23),
            "1002",
            "F-001",
            "Telefoongesprek",
            "Herinnering 1 verstuurd",
            None,
            None,
            "-controller",
            "brieven/herinnering-1.pdf",
            f"{1:064x}",
        ),
        (
            date(2026, 11, 23),
            "1001",
            "F-001",
            "Ingebrekestelling",
            "Herinnering 2 verstuurd",
            None,
            None,
            "-controller",
            "brieven/herinnering-2.pdf",
            f"{2:064x}",
        ),
    ]
    assert [row_number for row_number, _ in acties.rows] == [2, 3, 4, 5, 6]


def test_missing_acties_columns_are_added_to_the_table(tmp_path, backend):
    target = backend.target(write_register(tmp_path))  # its Acties table has five columns
    report = write_back(target, [], actions_frame(1), generated_at=GENERATED, peildatum=PEILDATUM)
    assert report.columns_added == ("Toegezegd bedrag", "Toegezegde datum", "Door", "Document", "Kenmerk")
    sheet = backend.book(target)["Acties"]
    table = sheet.tables["Acties"]
    assert table.ref == "A1:J3"
    if not backend.live:  # Excel names a Table's columns after its header cells (the fake leaves that to them)
        assert [c.name for c in table.tableColumns] == ACTIES_HEADERS
    assert [c.value for c in sheet[1]] == ACTIES_HEADERS
    assert backend.grid(target, "Acties")[0] == ACTIES_HEADERS
    register_tables = backend.read_tables(target)
    assert register_tables["Acties"].headers == tuple(ACTIES_HEADERS)


def test_an_empty_acties_table_is_filled_from_its_first_row(tmp_path):
    path = write_register(tmp_path, Acties=[["Datum", "Debiteurnummer", "Factuurnummers", "Soort", "Omschrijving"]])
    write_back(
        path, [], actions_frame(2)[["Datum", "Debiteurnummer", "Soort"]], generated_at=GENERATED, peildatum=PEILDATUM
    )
    sheet = openpyxl.load_workbook(path)["Acties"]
    assert sheet.tables["Acties"].ref == "A1:E3"
    assert [sheet.cell(r, 4).value for r in (2, 3)] == ["Betalingsherinnering", "Telefoongesprek"]


def test_acties_without_a_table_get_rows_below_the_last_one(tmp_path, backend):
    target = backend.target(write_register(tmp_path, tables=False))
    write_back(
        target,
        [],
        actions_frame(1)[["Datum", "Debiteurnummer", "Soort", "Omschrijving"]],
        generated_at=GENERATED,
        peildatum=PEILDATUM,
    )
    assert backend.grid(target, "Acties")[2] == [date(2026, 11, 23), "1001", "", "Betalingsherinnering", "=SOM(A1:A2)"]
    assert backend.not_text(target) == []


def test_cells_in_the_way_of_the_growing_table_are_refused_and_nothing_written(tmp_path, backend):
    path = write_register(tmp_path)
    book = openpyxl.load_workbook(path)
    book["Acties"]["B3"] = "iets van de controller"
    book.save(path)
    before = path.read_bytes()
    target = backend.target(path)
    if backend.live:
        target.app.screen_updating = True
    with pytest.raises(WriteBackRefused) as caught:
        write_standard(target)
    assert str(caught.value) == (
        "Blad 'Acties': de tabel kan niet groeien, want direct eronder of ernaast staan gegevens (B3). "
        "Verplaats die cellen en probeer het opnieuw; er is niets geschreven."
    )
    assert path.read_bytes() == before
    assert not (tmp_path / "reservekopieen").exists()
    if backend.live:  # nothing entered in the open workbook, and the screen updates again
        assert target.value_writes == [] and target.format_writes == [] and target.resizes == []
        assert [s.name for s in target.sheets] == list(DEFAULT_SHEETS)
        assert target.app.screen_updating is True and target.app.screen_updating_log[-2:] == [False, True]


def test_a_totals_row_is_refused(tmp_path):
    path = write_register(tmp_path)
    book = openpyxl.load_workbook(path)
    book["Acties"].tables["Acties"].totalsRowCount = 1
    book.save(path)
    with pytest.raises(WriteBackRefused, match="de tabel heeft een totaalrij"):
        write_back(path, [], actions_frame(1), generated_at=GENERATED, peildatum=PEILDATUM)


def test_kerncijfers_build_up_and_a_rerun_replaces_its_peildatum(tmp_path, backend):
    target = backend.target(write_register(tmp_path))
    for peildatum, dso in ((date(2026, 10, 31), "45.3"), (date(2026, 9, 30), "50.0"), (date(2026, 10, 31), "44.1")):
        sheets = [s for s in result_sheets(peildatum, dso) if s.name == "Kerncijfers"]
        write_back(target, sheets, None, generated_at=GENERATED, peildatum=peildatum)
    rows = backend.grid(target, "Kerncijfers")
    assert rows[0][0].endswith(
        "elke review voegt hier een regel toe (een herhaalde peildatum vervangt de oude); wijzig hier niets."
    )
    assert rows[2:] == [
        ["Peildatum", "Openstaand", "Vervallen", "DSO", "Debiteuren"],
        [date(2026, 9, 30), 1121.0, 1000.0, 50.0, 2.0],
        [date(2026, 10, 31), 1121.0, 1000.0, 44.1, 2.0],
    ]
    sheet = backend.book(target)["Kerncijfers"]
    assert sheet["B5"].number_format == EURO_FORMAT and sheet.tables["Kerncijfers"].ref == "A3:E5"


def test_a_result_sheet_keeps_the_chart_the_controller_put_on_it(tmp_path):
    path = rich_register(tmp_path)
    before = members(path)
    prognose = sheet_parts(path)["Prognose"]
    write_standard(path)
    after = members(path)
    assert b'<drawing r:id="rId1"/><tableParts' in after[prognose]
    assert b'<c r="A3" t="s">' not in after[prognose]  # the old cells are gone (they were shared strings)
    drawing_parts = [n for n in before if n.startswith("xl/charts/") or n.startswith("xl/drawings/")]
    assert all(before[n] == after[n] for n in drawing_parts)
    assert grid(path, "Prognose")[3] == [date(2026, 11, 2), 121.0, "=1+1"]


def test_pivot_table_fixture_survives_byte_for_byte(tmp_path):
    path = tmp_path / "draaitabel.xlsx"
    shutil.copy2(FIXTURES / "draaitabel.xlsx", path)
    before = members(path)
    write_back(
        path,
        result_sheets(),
        actions_frame(1)[["Datum", "Debiteurnummer", "Soort", "Omschrijving"]],
        generated_at=GENERATED,
        peildatum=PEILDATUM,
    )
    after = members(path)
    pivot_parts = [n for n in before if "pivot" in n.lower()]
    assert len(pivot_parts) >= 4
    for name in pivot_parts + ["xl/sharedStrings.xml", sheet_parts(path)["Draaitabel"], sheet_parts(path)["Facturen"]]:
        assert after[name] == before[name], name
    assert grid(path, "Acties")[-1] == [date(2026, 11, 23), "1001", "", "Betalingsherinnering", "=SOM(A1:A2)"]


def test_nothing_to_write_leaves_the_file_alone(tmp_path):
    path = write_register(tmp_path)
    before = path.read_bytes()
    report = write_back(path, [], None, generated_at=GENERATED, peildatum=PEILDATUM)
    assert path.read_bytes() == before and report.backup is None
    assert report.summary() == "Er was niets te schrijven; de werkmap is niet gewijzigd."


def test_report_summary_is_dutch(tmp_path):
    path = write_register(tmp_path)
    report = write_standard(path)
    assert report.summary().splitlines()[:3] == [
        "Resultaatbladen geschreven: Ouderdom, Actielijst, Kerncijfers, Prognose.",
        "Nieuw toegevoegd: Ouderdom, Actielijst, Kerncijfers, Prognose.",
        "2 regels toegevoegd aan het logboek (blad 'Acties').",
    ]


# --- locks and backups ------------------------------------------------------------------------


def test_workbook_open_in_excel_is_refused_in_dutch_and_untouched(tmp_path):
    path = write_register(tmp_path)
    before = path.read_bytes()
    (tmp_path / "~$register.xlsx").write_bytes(b"AB")
    with pytest.raises(WorkbookLocked) as caught:
        write_standard(path)
    assert str(caught.value) == (
        "De werkmap 'register.xlsx' is geopend in Excel (het eigenaarsbestand '~$register.xlsx' staat ernaast); "
        "het bestand is niet gewijzigd. Sluit de werkmap, of laat Excel hem open en gebruik de live-modus: "
        "start de review op de computer waar Excel de werkmap open heeft, dan schrijft debiteuren de resultaten "
        "rechtstreeks in de geopende werkmap en slaat u zelf op. Is Excel niet open, verwijder dan het "
        "achtergebleven bestand '~$register.xlsx'."
    )
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["register.xlsx", "~$register.xlsx"]


def test_workbook_open_in_libreoffice_is_refused_in_dutch(tmp_path):
    path = write_register(tmp_path)
    before = path.read_bytes()
    (tmp_path / ".~lock.register.xlsx#").write_text("lock")
    with pytest.raises(WorkbookLocked) as caught:
        write_standard(path)
    assert str(caught.value).startswith(
        "De werkmap 'register.xlsx' is geopend in LibreOffice (het vergrendelbestand '.~lock.register.xlsx#' "
        "staat ernaast); het bestand is niet gewijzigd. Sluit de werkmap en probeer het opnieuw"
    )
    assert path.read_bytes() == before


def test_backups_keep_the_previous_version_and_rotate_at_ten(tmp_path):
    path = write_register(tmp_path)
    versions = []
    for run in range(12):
        versions.append(path.read_bytes())
        report = write_back(
            path,
            result_sheets(dso=f"{40 + run}.0"),
            None,
            generated_at=datetime(2026, 11, 23, 14, run),
            peildatum=PEILDATUM,
        )
        assert report.backup is not None and report.backup.read_bytes() == versions[-1]
    backups = backups_of(path)
    assert len(backups) == 10
    assert [b.read_bytes() for b in backups] == versions[2:]
    assert all(b.parent == tmp_path / "reservekopieen" for b in backups)
    assert (
        write_back(path, result_sheets(), None, generated_at=GENERATED, peildatum=PEILDATUM, backups=0).backup is None
    )
    assert len(backups_of(path)) == 10


def test_a_workbook_saved_by_someone_else_during_the_write_is_not_overwritten(tmp_path, monkeypatch):
    path = write_register(tmp_path)
    real = file_writer.write_temporary

    def write_temporary_while_excel_saves(target, package, when):
        temp = real(target, package, when)
        os.utime(path, ns=(time.time_ns(), time.time_ns() + 5_000_000_000))  # saved again by someone else
        return temp

    monkeypatch.setattr(file_writer, "write_temporary", write_temporary_while_excel_saves)
    saved = path.read_bytes()
    with pytest.raises(WriteBackRefused) as caught:
        write_standard(path)
    assert str(caught.value) == (
        "De werkmap 'register.xlsx' is gewijzigd terwijl de resultaten werden geschreven (door een ander "
        "programma of een tweede review); er is niets overschreven. Start de review opnieuw."
    )
    assert path.read_bytes() == saved
    assert sorted(p.name for p in tmp_path.iterdir()) == ["register.xlsx"]


def test_write_keeps_the_file_mode(tmp_path):
    path = write_register(tmp_path)
    os.chmod(path, 0o664)
    write_standard(path)
    assert (path.stat().st_mode & 0o777) == 0o664
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


# --- a kill at any moment leaves the old or the new workbook ----------------------------------

KILL_CHILD = r"""
import os, shutil, signal, sys, time
from datetime import date, datetime
sys.path.insert(0, {tests!r})
from debiteuren.register.write.xlsx.package import Package
from debiteuren.register.write import file_safety
from debiteuren.register.writeback import write_back
from test_writeback import GENERATED, PEILDATUM, actions_frame, result_sheets

path, stage = sys.argv[1], sys.argv[2]

def die():
    os.kill(os.getpid(), signal.SIGKILL)

real_replace, real_copy2 = os.replace, shutil.copy2
if stage == "schrijven":
    real_write_to = Package.write_to
    limit = os.path.getsize(path) // 2
    def write_to(self, out, when):
        class HalfThenDie:
            written = 0
            def write(self, data):
                out.write(data)
                HalfThenDie.written += len(data)
                if HalfThenDie.written > limit:
                    out.flush(); os.fsync(out.fileno()); die()
        real_write_to(self, HalfThenDie(), when)
    Package.write_to = write_to
elif stage == "reservekopie":
    def copy2(src, dst, **kwargs):
        with open(src, "rb") as a, open(dst, "wb") as b:
            b.write(a.read(os.path.getsize(src) // 2)); b.flush(); os.fsync(b.fileno())
        die()
    shutil.copy2 = copy2
elif stage in ("voor-vervangen", "na-vervangen"):
    def replace(src, dst):
        if os.path.abspath(dst) == os.path.abspath(path):
            if stage == "voor-vervangen":
                die()
            real_replace(src, dst); die()
        return real_replace(src, dst)
    os.replace = replace
    real_exchange = file_safety.exchange_names
    def exchange_names(first, second):  # where the names are exchanged in one step (Linux)
        if os.path.abspath(second) == os.path.abspath(path):
            if stage == "voor-vervangen":
                die()
            if real_exchange(first, second):
                die()
            return False
        return real_exchange(first, second)
    file_safety.exchange_names = exchange_names
elif stage == "rotatie":
    file_safety.rotate_backups = lambda *a: die()

print("begin", flush=True)
started = time.perf_counter()
write_back(path, result_sheets(), actions_frame(100), generated_at=GENERATED, peildatum=PEILDATUM)
print("klaar", time.perf_counter() - started, flush=True)
"""


@pytest.fixture(scope="module")
def large_register(tmp_path_factory) -> Path:
    return rich_register(tmp_path_factory.mktemp("groot"), invoices=40_000)


def _contents(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        assert z.testzip() is None
        return {n: z.read(n) for n in z.namelist()}


def _run_child(script: Path, path: Path, stage: str, kill_after: float | None = None):
    child = subprocess.Popen(
        [sys.executable, str(script), str(path), stage], stdout=subprocess.PIPE, text=True, cwd=path.parent
    )
    assert child.stdout.readline().strip() == "begin"
    if kill_after is not None:
        time.sleep(kill_after)
        child.send_signal(signal.SIGKILL)
    output = child.stdout.read()
    child.wait(timeout=120)
    return child.returncode, output


@pytest.mark.slow
def test_killing_the_writer_at_any_moment_leaves_the_old_or_the_new_workbook(tmp_path, large_register):
    script = tmp_path / "schrijver.py"
    script.write_text(KILL_CHILD.format(tests=str(Path(__file__).parent)))
    old = _contents(large_register)

    reference = tmp_path / "referentie" / "register.xlsx"
    reference.parent.mkdir()
    shutil.copy2(large_register, reference)
    code, output = _run_child(script, reference, "geen")
    assert code == 0, output
    new = _contents(reference)
    assert new != old
    duration = float(output.split()[-1])

    def check(folder: Path, expect: str | None):
        path = folder / "register.xlsx"
        contents = _contents(path)  # always a complete, readable zip
        assert contents in (old, new)
        if expect is not None:
            assert contents == (old if expect == "oud" else new), expect
        for backup in (folder / "reservekopieen").glob("*.xlsx") if (folder / "reservekopieen").exists() else []:
            assert _contents(backup) == old  # a backup with a real name is always complete
        leftovers = [p.name for p in folder.iterdir() if p.name not in ("register.xlsx", "reservekopieen")]
        # A killed writer may leave its temporary file (removed by the next write) and its lock file.
        assert all(
            name.startswith(".register.xlsx.") and name.endswith((".tmp", ".debiteuren.lock")) for name in leftovers
        ), leftovers
        assert grid(path, "Acties")[0][:2] == ["Datum", "Debiteurnummer"]  # and calamine opens it

    # Killed at chosen moments (the child kills itself there) ...
    stages = {
        "schrijven": "oud",
        "reservekopie": "oud",
        "voor-vervangen": "oud",
        "na-vervangen": "nieuw",
        "rotatie": "nieuw",
    }
    # ... and from outside, at moments spread over the write as it runs undisturbed.
    timed = {f"na-{n}": duration * fraction for n, fraction in enumerate((0.0, 0.25, 0.5, 0.75, 1.0, 1.5))}
    runs = [(stage, None) for stage in stages] + list(timed.items())
    for name, _ in runs:
        (tmp_path / name).mkdir()
        shutil.copy2(large_register, tmp_path / name / "register.xlsx")

    def run(item):
        name, delay = item
        stage = name if delay is None else "geen"
        return _run_child(script, tmp_path / name / "register.xlsx", stage, kill_after=delay)

    with ThreadPoolExecutor(max_workers=4) as pool:
        results = dict(zip([name for name, _ in runs], pool.map(run, runs)))
    for stage, expect in stages.items():
        code, output = results[stage]
        assert code == -signal.SIGKILL, (stage, code, output)
        check(tmp_path / stage, expect)
    for name in timed:
        check(tmp_path / name, None)


# --- LibreOffice still opens the result -------------------------------------------------------


@pytest.mark.skipif(
    SOFFICE is None, reason="LibreOffice (soffice) is niet geïnstalleerd; apt-get install libreoffice-calc-nogui"
)
def test_libreoffice_opens_the_written_workbooks_and_reads_the_new_values(tmp_path):
    rich = rich_register(tmp_path, "rijk.xlsx")
    macro = rich_register(tmp_path, "macro.xlsm")
    pivot = tmp_path / "draaitabel.xlsx"
    shutil.copy2(FIXTURES / "draaitabel.xlsx", pivot)
    for path in (rich, macro):
        write_standard(path)
    write_back(
        pivot,
        result_sheets(),
        actions_frame(1)[["Datum", "Debiteurnummer", "Soort", "Omschrijving"]],
        generated_at=GENERATED,
        peildatum=PEILDATUM,
    )
    out = tmp_path / "lo"
    profile = tmp_path / "lo-profiel"
    done = subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--calc",
            "--convert-to",
            "xlsx",
            "--outdir",
            str(out),
            str(rich),
            str(macro),
            str(pivot),
        ],
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert done.returncode == 0, done.stderr
    for name in ("rijk.xlsx", "macro.xlsx", "draaitabel.xlsx"):
        converted = out / name
        assert converted.exists(), (name, done.stdout, done.stderr)
        # The totals row as LibreOffice computes its SUBTOTAL: the formula is one Calc understands.
        assert grid(converted, "Prognose")[3:] == [
            [date(2026, 11, 2), 121.0, "=1+1"],
            [date(2026, 11, 9), 1000.0, "gewoon"],
            ["Totaal", 1121.0, ""],
        ]
        assert grid(converted, "Ouderdom")[4][:3] == ["1002", '=HYPERLINK("http://x")', 121.0]
        assert grid(converted, "Kerncijfers")[3][:2] == [date(2026, 10, 31), 1121.0]
    acties = grid(out / "rijk.xlsx", "Acties")
    assert acties[3][:5] == [date(2026, 11, 23), "1001", "F-001", "Betalingsherinnering", "=SOM(A1:A2)"]
    assert acties[4][3] == "Telefoongesprek"
    workbook = calamine.CalamineWorkbook.from_path(str(out / "rijk.xlsx"), load_tables=True)
    assert {"Acties", "Ouderdom", "Actielijst", "Kerncijfers", "Prognose"} <= set(workbook.table_names)
    assert grid(out / "rijk.xlsx", "Facturen")[1][0] == "F-000001"
    assert grid(out / "draaitabel.xlsx", "Acties")[-1][3] == "Betalingsherinnering"


# --- the open workbook: what only the fake can tell (the shared contract takes ``backend``) -----


def _fake_grid(book, name):
    sheet = next(s for s in book.sheets if s.name == name)
    return sheet.used_range.options(ndim=2).value


def _as_calamine(value):
    if value is None:
        return ""
    if isinstance(value, datetime) and value.time() == datetime.min.time():
        return value.date()
    return value


def test_fake_excel_writes_the_same_cells_as_the_file_writer(tmp_path):
    original = rich_register(tmp_path)
    file_copy = tmp_path / "bestand.xlsx"
    shutil.copy2(original, file_copy)
    write_standard(file_copy)
    book = FakeBook(original)
    report = write_standard(book)
    assert report.live and report.backup is None
    assert report.sheets_added == ("Ouderdom", "Actielijst", "Kerncijfers")
    for name in ("Ouderdom", "Actielijst", "Kerncijfers", "Prognose"):
        from_fake = [[_as_calamine(v) for v in row] for row in _fake_grid(book, name)]
        if name == "Prognose":  # the totals row: a formula in Excel, its cached sum in the file
            assert from_fake[-1] == ["Totaal", "=SUBTOTAL(109,Prognose[Verwacht])", ""]
            assert grid(file_copy, name)[-1] == ["Totaal", 1121.0, ""]
            from_fake = from_fake[:-1] + [grid(file_copy, name)[-1]]
        assert from_fake == grid(file_copy, name), name
    assert read_live_tables(book)["Acties"] == read_tables(file_copy, live=False)["Acties"]
    assert [s.name for s in book.sheets][-3:] == ["Ouderdom", "Actielijst", "Kerncijfers"]


def test_fake_excel_writes_in_bulk_with_screen_updating_off_then_restored(tmp_path):
    book = FakeBook(rich_register(tmp_path))
    write_back(book, result_sheets(), actions_frame(100), generated_at=GENERATED, peildatum=PEILDATUM)
    assert book.app.screen_updating_log == [False, True] and book.app.screen_updating is True
    per_sheet = {}
    for sheet, *_ in book.value_writes:
        per_sheet[sheet] = per_sheet.get(sheet, 0) + 1
    # A title and one block per result sheet; one block for 100 Acties rows.
    # Title and table in two writes; Prognose's totals row (formulas) in a third.
    assert per_sheet == {"Ouderdom": 2, "Actielijst": 2, "Kerncijfers": 2, "Prognose": 3, "Acties": 1}
    assert ("Acties", 4, 1, 100, 10) in book.value_writes
    assert book.resizes[0] == ("Acties", "Acties", "A1:J103")
    assert book.sheets.active.name == "Debiteuren"  # adding sheets did not move the controller


def test_formula_like_text_stays_text(tmp_path, backend):
    target = backend.target(write_register(tmp_path))
    write_standard(target)
    # Nothing became a number, a date or a formula, but the one formula meant as one: the totals row's.
    assert backend.not_text(target) == [("Prognose", "B6", "=SUBTOTAL(109,Prognose[Verwacht])", "formule")]
    ouderdom = backend.grid(target, "Ouderdom")
    assert ouderdom[3][0] == "1001" and ouderdom[4][1] == '=HYPERLINK("http://x")'
    acties = backend.grid(target, "Acties")
    assert acties[2][4] == "=SOM(A1:A2)" and acties[2][7] == "-controller"


def test_number_formats_per_column(tmp_path, backend):
    target = backend.target(rich_register(tmp_path))
    write_standard(target)
    book = backend.book(target)
    sheet = book["Ouderdom"]
    assert sheet["C4"].number_format == EURO_FORMAT and sheet["G5"].number_format == DATE_FORMAT
    assert sheet["F4"].number_format == "General"
    acties = book["Acties"]
    assert acties["A4"].number_format == "d mmm yyyy"  # the controller's format of the column
    assert acties["F4"].number_format == "#,##0.00"
    assert sheet["A4"].data_type == "s" and acties["E4"].data_type == "s"
    if backend.live:  # Excel keeps a string text only in a cell formatted as text; the file types the cell itself
        assert sheet["A4"].number_format == "@" and acties["E4"].number_format == "@"
        formats = [w for w in target.format_writes if w[0] == "Ouderdom"]
        assert len(formats) == 2 + 7  # title, header row, one per column: never per cell


# --- text, dates and unusual workbooks --------------------------------------------------------


def test_text_and_dates_read_back_exactly_also_in_a_1904_workbook(tmp_path):
    path = write_register(tmp_path)
    book = openpyxl.load_workbook(path)
    book.epoch = openpyxl.utils.datetime.CALENDAR_MAC_1904  # a workbook from an old Mac
    book.save(path)
    texts = ["_x0041_", "a\x01b", "  spaties  ", "regel1\nregel2", "<&>\"'", "€ ü ß 漢"]
    frame = pd.DataFrame(
        {"Tekst": texts, "Datum": [date(2026, 11, 2)] * 6, "Tijdstip": [datetime(2026, 11, 2, 13, 30)] * 6}
    )
    write_back(path, [ResultSheet("Prognose", frame)], None, generated_at=GENERATED, peildatum=PEILDATUM)
    assert grid(path, "Prognose")[3:] == [[t, date(2026, 11, 2), datetime(2026, 11, 2, 13, 30)] for t in texts]
    assert openpyxl.load_workbook(path)["Prognose"]["C4"].number_format == "dd-mm-yyyy hh:mm"


def _prefixed(xml: bytes) -> bytes:
    """The same part written with an x: prefix for the main namespace, as some .NET tools do."""
    main = NS.strip("{}")
    old = etree.fromstring(xml)
    new = etree.Element(old.tag, attrib=dict(old.attrib), nsmap={"x": main, "r": R_ID.split("}")[0][1:]})

    def copy(source, target):
        for child in source:
            element = etree.SubElement(target, child.tag, attrib=dict(child.attrib))
            element.text = child.text
            copy(child, element)

    copy(old, new)
    return etree.tostring(new, xml_declaration=True, encoding="UTF-8", standalone=True)


def test_a_workbook_written_with_namespace_prefixes(tmp_path):
    made = write_register(tmp_path, "gemaakt.xlsx")
    write_standard(made)
    parts = sheet_parts(made)
    targets = {parts["Acties"], parts["Prognose"], "xl/workbook.xml"}
    path = tmp_path / "register.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, content in members(made).items():
            z.writestr(name, _prefixed(content) if name in targets else content)
    write_back(path, result_sheets(), actions_frame(1), generated_at=GENERATED, peildatum=PEILDATUM)
    assert grid(path, "Acties")[-1][:5] == [date(2026, 11, 23), "1001", "F-001", "Betalingsherinnering", "=SOM(A1:A2)"]
    assert grid(path, "Prognose")[3] == [date(2026, 11, 2), 121.0, "=1+1"]
    assert openpyxl.load_workbook(path)["Acties"].tables["Acties"].ref == "A1:J5"  # 1 + 2 + 1 rows


def test_a_chart_sheet_with_a_result_sheet_name_is_refused(tmp_path):
    path = write_register(tmp_path)
    book = openpyxl.load_workbook(path)
    book.create_chartsheet("Actielijst")
    book.save(path)
    before = path.read_bytes()
    with pytest.raises(WriteBackRefused) as caught:
        write_standard(path)
    assert str(caught.value) == (
        "De werkmap heeft al een blad 'Actielijst' dat geen werkblad is (bijvoorbeeld een grafiekblad). "
        "Hernoem dat blad, zodat de tool zijn resultaten kwijt kan; er is niets geschreven."
    )
    assert path.read_bytes() == before


def test_rows_append_to_regelingen_and_the_plan_pauses_for_the_arrangement(tmp_path):
    from debiteuren.monthly_run import run_month
    from debiteuren.register import read_register

    path = write_register(
        tmp_path,
        Acties=[
            ["Datum", "Debiteurnummer", "Factuurnummers", "Soort"],
            [date(2026, 10, 8), "1001", "F-001", "Betalingsherinnering"],
        ],
        Regelingen=[["Debiteurnummer", "Termijn", "Vervaldatum", "Bedrag"], [None, None, None, None]],
    )
    instalments = pd.DataFrame(
        {
            "Debiteurnummer": ["1001", "1001"],
            "Termijn": [1, 2],
            "Vervaldatum": [date(2026, 11, 15), date(2026, 12, 15)],
            "Bedrag": [Decimal("500.00"), Decimal("500.00")],
        }
    )
    log = pd.DataFrame(
        {
            "Datum": [date(2026, 10, 30)],
            "Debiteurnummer": ["1001"],
            "Soort": ["Betalingsregeling"],
            "Omschrijving": ["Regeling in 2 termijnen"],
        }
    )
    report = write_back(
        path,
        (),
        log,
        generated_at=datetime(2026, 10, 30, 9, 0),
        peildatum=date(2026, 10, 30),
        appends={"Regelingen": instalments},
    )
    assert report.appended == (("Acties", 1), ("Regelingen", 2))
    assert "2 regels toegevoegd aan het blad 'Regelingen'." in report.summary()
    register = read_register(path)
    assert register.arrangements[["debtor_id", "instalment", "amount_cents"]].values.tolist() == [
        ["1001", 1, 50000],
        ["1001", 2, 50000],
    ]
    plan = run_month(path, date(2026, 10, 31), generated_at=datetime(2026, 10, 31), write=False).review.plan
    assert [p.debtor_id for p in plan.pauses] == ["1001"] and not [s for s in plan.steps if s.debtor_id == "1001"]


def test_appends_are_checked_against_the_sheets_schema(tmp_path):
    path = write_register(tmp_path)
    before = path.read_bytes()
    bad = pd.DataFrame({"Debiteurnummer": ["1001"], "Termijn": [1], "Bedrag": [Decimal("1.00")]})
    with pytest.raises(ValueError, match="'Vervaldatum' is required in Regelingen"):
        write_back(
            path,
            (),
            None,
            generated_at=datetime(2026, 10, 30),
            peildatum=date(2026, 10, 30),
            appends={"Regelingen": bad},
        )
    with pytest.raises(ValueError, match="not to 'Instellingen'"):
        write_back(
            path,
            (),
            None,
            generated_at=datetime(2026, 10, 30),
            peildatum=date(2026, 10, 30),
            appends={"Instellingen": bad},
        )
    assert path.read_bytes() == before


# --- a calculated column and names over Acties grow with the table (issue 18, bug 2) -----------


def calculated_column_register(folder: Path) -> Path:
    """Acties with a calculated column 'Maand' (a formula filled down by Excel), a name and a rule over it."""
    path = write_register(folder)  # the standard sheets, then Acties rebuilt by xlsxwriter below
    book = openpyxl.load_workbook(path)
    del book["Acties"]
    book.save(path)
    tables = read_tables(path, live=False)
    out = folder / "berekend.xlsx"
    wb = xlsxwriter.Workbook(str(out))
    for name, table in tables.items():
        if table is None or name == "Acties":
            continue
        sheet = wb.add_worksheet(name)
        rows = [list(r) for _, r in table.rows]
        sheet.add_table(
            0,
            0,
            max(len(rows), 1),
            len(table.headers) - 1,
            {"name": name, "columns": [{"header": h} for h in table.headers], "data": rows},
        )
    acties = wb.add_worksheet("Acties")
    acties.add_table(
        0,
        0,
        2,
        10,
        {
            "name": "Acties",
            "columns": [{"header": h} for h in ACTIES_HEADERS]
            + [{"header": "Maand", "formula": "=MONTH(Acties[[#This Row],[Datum]])"}],
            "data": [
                [
                    date(2026, 10, 8),
                    "1001",
                    "F-001",
                    "Betalingsherinnering",
                    "Herinnering",
                    None,
                    None,
                    "AB",
                    None,
                    None,
                ],
                [date(2026, 10, 20), "1001", "F-001", "Telefoongesprek", "Belt terug", None, None, "AB", None, None],
            ],
        },
    )
    acties.conditional_format(
        1, 10, 2, 10, {"type": "cell", "criteria": ">", "value": 6, "format": wb.add_format({"bold": True})}
    )
    wb.define_name("ActieDatums", "=Acties!$A$2:$A$3")
    wb.define_name("Ernaast", "=Acties!$M$2:$M$3")
    wb.close()
    return out


def test_appended_rows_get_the_tables_calculated_column_and_names_grow(tmp_path, backend):
    target = backend.target(calculated_column_register(tmp_path))
    write_back(target, [], actions_frame(3), generated_at=GENERATED, peildatum=PEILDATUM)
    book = backend.book(target)
    sheet = book["Acties"]
    assert sheet.tables["Acties"].ref == "A1:K6"
    assert [backend.formula(target, "Acties", r, 11) for r in range(2, 7)] == [
        "=MONTH(Acties[[#This Row],[Datum]])"
    ] * 5
    if not backend.live:  # in Excel, names and rules over a Table grow with it by themselves
        assert [str(r.sqref) for r in sheet.conditional_formatting] == ["K2:K6"]
        assert book.defined_names["ActieDatums"].attr_text == "Acties!$A$2:$A$6"
        assert book.defined_names["Ernaast"].attr_text == "Acties!$M$2:$M$3"  # not over the table: as it was
    # The appended values themselves are where they were before.
    assert [row[3] for row in backend.grid(target, "Acties")[3:6]] == list(ACTION_KINDS[:3])


# --- sheets that print, with a totals row and zero as a dash (issue 16, point 5) ----------------


def test_result_sheets_print_landscape_one_page_wide_with_header_row_repeated(tmp_path, backend):
    target = backend.target(rich_register(tmp_path))
    write_standard(target)
    book = backend.book(target)
    for name in ("Ouderdom", "Actielijst", "Kerncijfers", "Prognose"):
        sheet = book[name]
        assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.paperSize == 9, name
        assert sheet.page_setup.fitToWidth == 1 and sheet.page_setup.fitToHeight == 0, name
        assert sheet.sheet_properties.pageSetUpPr.fitToPage, name
        assert sheet.print_title_rows == "$3:$3", name
        assert sheet.oddHeader.right.text == "Peildatum 31-10-2026" and sheet.oddHeader.left.text == "&B&A&B", name
        assert sheet.oddFooter.center.text == "Pagina &P van &N", name
    # A second review keeps one print title per sheet and moves the header's peildatum.
    write_back(
        target,
        result_sheets(date(2026, 11, 30)),
        actions_frame(0),
        generated_at=GENERATED,
        peildatum=date(2026, 11, 30),
    )
    assert backend.book(target)["Ouderdom"].oddHeader.right.text == "Peildatum 30-11-2026"
    if backend.live:  # one PrintTitleRows per sheet is Excel's own doing; the page set with printing paused
        assert target.app.api.log == [False, True, False, True]
        return
    path = target
    titles = [
        n
        for n in etree.fromstring(members(path)["xl/workbook.xml"]).iter(f"{NS}definedName")
        if n.get("name") == "_xlnm.Print_Titles"
    ]
    assert len(titles) == 4


def test_fake_excel_keeps_the_page_the_controller_set_up_and_moves_only_the_header(tmp_path):
    book = FakeBook(rich_register(tmp_path))
    write_standard(book)
    page = next(s for s in book.sheets if s.name == "Ouderdom").api.PageSetup
    page.Orientation, page.Zoom, page.PrintTitleRows = 1, False, "$1:$3"  # portrait, fitted: her choice
    write_back(
        book, result_sheets(date(2026, 11, 30)), actions_frame(0), generated_at=GENERATED, peildatum=date(2026, 11, 30)
    )
    page = next(s for s in book.sheets if s.name == "Ouderdom").api.PageSetup
    assert (page.Orientation, page.PrintTitleRows) == (1, "$1:$3")
    assert page.RightHeader == "Peildatum 30-11-2026"


def test_fake_excel_for_mac_writes_the_sheets_and_says_their_page_is_not_set(tmp_path):
    book = FakeBook(rich_register(tmp_path), mac=True)
    report = write_standard(book)
    assert set(report.sheets) == {"Ouderdom", "Actielijst", "Kerncijfers", "Prognose"}
    assert set(report.pages_not_set) == set(report.sheets)
    assert "Afdrukinstelling niet gezet (dat kan de tool niet in Excel voor Mac) voor: " in report.summary()
    assert book.workbook["Ouderdom"].page_setup.orientation != "landscape"


def test_a_totals_row_sums_the_money_exactly_and_zero_shows_as_a_dash(tmp_path, backend):
    target = backend.target(rich_register(tmp_path))
    write_standard(target)
    write_standard(target)  # a rerun replaces the totals row, it does not stack a second one
    sheet = backend.book(target)["Prognose"]
    table = sheet.tables["Prognose"]
    assert table.ref == "A3:C6" and table.totalsRowCount == 1
    if backend.live:  # Excel's ListObject: ShowTotals, then the row's formulas
        live_table = next(
            t for t in next(s for s in target.sheets if s.name == "Prognose").tables if t.name == "Prognose"
        )
        assert live_table.show_totals and live_table.range.shape == (4, 3)
    else:
        assert table.autoFilter.ref == "A3:C5"
        assert [c.totalsRowFunction for c in table.tableColumns] == [None, "sum", None]
        assert table.tableColumns[0].totalsRowLabel == "Totaal"
        assert grid(target, "Prognose")[-1] == [
            "Totaal",
            1121.0,
            "",
        ]  # the cached value Excel shows before recalculating
    assert [sheet["A6"].value, backend.formula(target, "Prognose", 6, 2)] == [
        "Totaal",
        "=SUBTOTAL(109,Prognose[Verwacht])",
    ]
    assert sheet["B4"].number_format == '"€ "#,##0.00;"€ -"#,##0.00;"–"' == EURO_FORMAT
