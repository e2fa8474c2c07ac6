"""Invalid registers (issue 9, item 2): each gives its Dutch message and exit code 1.

Every case goes through the command line in-process, both `controleer` and
`review`, and checks that nothing was written: the file's bytes and the folder's
listing (no backup folder, no temporary file) are what they were before.
"""

from __future__ import annotations

import hashlib
import io
import shutil
import zipfile
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from debiteuren.cli import main
from workbooks import DEFAULT_SHEETS, write_register

ROOT = Path(__file__).resolve().parents[1]
PEILDATUM = "2026-10-31"
INVOICE_HEADER = ["Factuurnummer", "Debiteurnummer", "Factuurdatum", "Vervaldatum", "Bedrag"]
F001 = ["F-001", "1001", date(2026, 9, 1), date(2026, 10, 1), 1210.00]  # the default payment points here


def invoices(*rows):
    return [INVOICE_HEADER, F001, *rows]


def snapshot(folder: Path) -> dict[str, str]:
    """Every path under the folder with the sha256 of each file."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else "map"
        for p in sorted(folder.rglob("*"))
    }


def error_lines(err: str) -> list[str]:
    """The problem lines of a RegisterInvalid report (warnings excluded)."""
    lines = err.splitlines()
    assert lines and lines[0].startswith("Het register bevat "), err
    out = []
    for line in lines[1:]:
        if not line.startswith("- "):
            break
        out.append(line[2:])
    return out


def run_both(path: Path, capsys) -> list[str]:
    """stderr of `controleer` and of `review`, after checking each exits 1 and writes nothing."""
    folder = path.parent
    before = snapshot(folder)
    outputs = []
    for argv in (["controleer", str(path)], ["review", str(path), "--peildatum", PEILDATUM]):
        code = main(argv)
        captured = capsys.readouterr()
        assert code == 1, (argv, captured.out, captured.err)
        for text in (captured.out, captured.err):
            assert "Traceback" not in text and "Onverwachte fout" not in text
        assert snapshot(folder) == before, argv
        outputs.append(captured.err)
    return outputs


# --- the register's content -----------------------------------------------------
# (sheets for write_register, the exact error lines the controller gets)

CONTENT_CASES = {
    "missing sheet": (
        {"Betalingen": None, "Acties": None},
        [
            "Blad 'Betalingen': Het blad 'Betalingen' ontbreekt in de werkmap.",
            "Blad 'Acties': Het blad 'Acties' ontbreekt in de werkmap.",
        ],
    ),
    "missing columns": (
        {"Facturen": [["Factuurnummer", "Debiteurnummer", "Vervaldatum"], ["F-001", "1001", date(2026, 10, 1)]]},
        [
            "Blad 'Facturen', rij 1, kolom 'Factuurdatum': De verplichte kolom 'Factuurdatum' ontbreekt.",
            "Blad 'Facturen', rij 1, kolom 'Bedrag': De verplichte kolom 'Bedrag' ontbreekt.",
        ],
    ),
    "sheet without a header": (
        {"Debiteuren": []},
        [
            "Blad 'Debiteuren': Het blad is leeg: er staat geen kopregel in. Verwacht ten minste de kolommen "
            "'Debiteurnummer', 'Naam', 'Soort'."
        ],
    ),
    "duplicate column": (
        {
            "Debiteuren": [
                ["Debiteurnummer", "Naam", "Soort", "naam:"],
                ["1001", "A B.V.", "zakelijk", "B B.V."],
                ["1002", "J. de Vries", "consument", None],
            ]
        },
        [
            "Blad 'Debiteuren', rij 1, kolom 'naam:': De kolom 'naam:' staat er twee keer in; verwijder of hernoem een van beide."
        ],
    ),
    "duplicate keys": (
        {
            "Debiteuren": [
                ["Debiteurnummer", "Naam", "Soort"],
                [1001, "Bakkerij B.V.", "zakelijk"],
                ["1002", "J. de Vries", "consument"],
                ["1001 ", "Bakkerij (oud)", "zakelijk"],
            ],
            "Facturen": invoices(
                ["F-002", "1002", date(2026, 9, 2), None, 10], ["F-001", "1002", date(2026, 9, 3), None, 10]
            ),
        },
        [
            "Blad 'Debiteuren', rij 4, kolom 'Debiteurnummer': '1001' is ongeldig; verwacht: een uniek debiteurnummer "
            "(komt ook voor op rij 2).",
            "Blad 'Facturen', rij 4, kolom 'Factuurnummer': 'F-001' is ongeldig; verwacht: een uniek factuurnummer "
            "(komt ook voor op rij 2).",
        ],
    ),
    "separators in invoice numbers": (
        {
            "Facturen": invoices(
                ["F-002,3", "1001", date(2026, 9, 2), None, 10], ["F;004", "1001", date(2026, 9, 3), None, 10]
            )
        },
        [
            "Blad 'Facturen', rij 3, kolom 'Factuurnummer': 'F-002,3' is ongeldig; verwacht: een factuurnummer zonder "
            "komma of puntkomma (die scheiden de factuurnummers in het blad Acties).",
            "Blad 'Facturen', rij 4, kolom 'Factuurnummer': 'F;004' is ongeldig; verwacht: een factuurnummer zonder "
            "komma of puntkomma (die scheiden de factuurnummers in het blad Acties).",
        ],
    ),
    "unknown debtors": (
        {
            "Facturen": invoices(["F-002", "7777", date(2026, 9, 2), None, 10]),
            "Acties": [["Datum", "Debiteurnummer", "Soort"], [date(2026, 10, 1), 8888, "Notitie"]],
        },
        [
            "Blad 'Facturen', rij 3, kolom 'Debiteurnummer': '7777' is ongeldig; verwacht: een debiteurnummer uit het blad 'Debiteuren'.",
            "Blad 'Acties', rij 2, kolom 'Debiteurnummer': '8888' is ongeldig; verwacht: een debiteurnummer uit het blad 'Debiteuren'.",
        ],
    ),
    "negative and zero payments": (
        {
            "Betalingen": [
                ["Datum", "Debiteurnummer", "Factuurnummer", "Bedrag"],
                [date(2026, 10, 5), "1001", "F-001", -210.00],
                [date(2026, 10, 6), "1001", None, "0,00"],
            ]
        },
        [
            "Blad 'Betalingen', rij 2, kolom 'Bedrag': '€ -210,00' is ongeldig; verwacht: een positief bedrag (een ontvangst).",
            "Blad 'Betalingen', rij 3, kolom 'Bedrag': '€ 0,00' is ongeldig; verwacht: een positief bedrag (een ontvangst).",
        ],
    ),
    "due date before invoice date": (
        {"Facturen": invoices(["F-002", "1002", "15-09-2026", "15-08-2026", 10])},
        [
            "Blad 'Facturen', rij 3, kolom 'Vervaldatum': '15-08-2026' is ongeldig; verwacht: een datum op of na de "
            "factuurdatum (15-09-2026)."
        ],
    ),
    "impossible dates": (
        {
            "Facturen": invoices(
                ["F-002", "1002", "31-02-2026", None, 10],
                ["F-003", "1002", "30-13-2026", None, 10],
                ["F-004", "1002", "01-01-0201", None, 10],  # a typo for 2021
                ["F-005", "1002", date(9999, 12, 31), None, 10],  # a real date cell
                ["F-006", "1002", 12, None, 10],  # a small number is no date
                ["F-007", "1002", "gisteren", None, 10],
            )
        },
        [
            "Blad 'Facturen', rij 3, kolom 'Factuurdatum': '31-02-2026' is ongeldig; verwacht: een geldige datum (dd-mm-jjjj).",
            "Blad 'Facturen', rij 4, kolom 'Factuurdatum': '30-13-2026' is ongeldig; verwacht: een geldige datum (dd-mm-jjjj).",
            "Blad 'Facturen', rij 5, kolom 'Factuurdatum': '01-01-0201' is ongeldig; verwacht: een datum tussen 01-01-1950 "
            "en 31-12-2099 (controleer het jaartal).",
            "Blad 'Facturen', rij 6, kolom 'Factuurdatum': '31-12-9999' is ongeldig; verwacht: een datum tussen 01-01-1950 "
            "en 31-12-2099 (controleer het jaartal).",
            "Blad 'Facturen', rij 7, kolom 'Factuurdatum': '12' is ongeldig; verwacht: een geldige datum (dd-mm-jjjj).",
            "Blad 'Facturen', rij 8, kolom 'Factuurdatum': 'gisteren' is ongeldig; verwacht: een geldige datum (dd-mm-jjjj).",
        ],
    ),
    "amounts in another currency": (
        {
            "Facturen": invoices(
                ["F-002", "1002", date(2026, 9, 2), None, "$ 100"],
                ["F-003", "1002", date(2026, 9, 2), None, "USD 100"],
                ["F-004", "1002", date(2026, 9, 2), None, "100 GBP"],
                ["F-005", "1002", date(2026, 9, 2), None, "£ 50,00"],
                ["F-006", "1002", date(2026, 9, 2), None, "1.000 chf"],
            )
        },
        [
            f"Blad 'Facturen', rij {row}, kolom 'Bedrag': '{value}' is ongeldig; verwacht: een bedrag in euro's "
            f"('{currency}' is een andere munteenheid; reken het om naar euro's)."
            for row, value, currency in [
                (3, "$ 100", "$"),
                (4, "USD 100", "USD"),
                (5, "100 GBP", "GBP"),
                (6, "£ 50,00", "£"),
                (7, "1.000 chf", "CHF"),
            ]
        ],
    ),
    "absurd values": (
        {
            "Debiteuren": [
                ["Debiteurnummer", "Naam", "Soort", "Betaaltermijn"],
                ["1001", "Bakkerij B.V.", "zakelijk", 3000],  # 30 with two zeros too many
                ["1002", "J. de Vries", "consument", -14],
            ],
            "Facturen": invoices(
                ["F-002", "1002", date(2026, 9, 2), None, 10**12],
                ["F-003", "1002", date(2026, 9, 2), None, "1.000.000.000.000,00"],
                ["F-004", "1002", date(2026, 9, 2), None, 12.345],
                ["F-005", "1002", date(2026, 9, 2), None, "123456789012345678901234567890"],
            ),
            "Regelingen": [
                ["Debiteurnummer", "Termijn", "Vervaldatum", "Bedrag"],
                ["1002", 1, date(2026, 11, 1), -10],
                ["1002", 10**7, date(2026, 12, 1), 10],
            ],
        },
        [
            "Blad 'Debiteuren', rij 2, kolom 'Betaaltermijn': '3000' is ongeldig; verwacht: 0 tot en met 365 dagen.",
            "Blad 'Debiteuren', rij 3, kolom 'Betaaltermijn': '-14' is ongeldig; verwacht: 0 tot en met 365 dagen.",
            "Blad 'Facturen', rij 3, kolom 'Bedrag': '1000000000000' is ongeldig; verwacht: een bedrag onder € 1.000.000.000.",
            "Blad 'Facturen', rij 4, kolom 'Bedrag': '1.000.000.000.000,00' is ongeldig; verwacht: een bedrag onder "
            "€ 1.000.000.000.",
            "Blad 'Facturen', rij 5, kolom 'Bedrag': '12.345' is ongeldig; verwacht: een bedrag in hele centen "
            "(hoogstens twee decimalen).",
            "Blad 'Facturen', rij 6, kolom 'Bedrag': '123456789012345678901234567890' is ongeldig; verwacht: een bedrag "
            "onder € 1.000.000.000.",
            "Blad 'Regelingen', rij 2, kolom 'Bedrag': '€ -10,00' is ongeldig; verwacht: een positief bedrag per termijn.",
            "Blad 'Regelingen', rij 3, kolom 'Termijn': '10000000' is ongeldig; verwacht: een geheel getal onder 1.000.000.",
        ],
    ),
}


@pytest.mark.parametrize("case", list(CONTENT_CASES))
def test_invalid_content_is_named_cell_by_cell_and_nothing_is_written(tmp_path, capsys, case):
    sheets, expected = CONTENT_CASES[case]
    path = write_register(tmp_path, **sheets)
    for err in run_both(path, capsys):
        assert error_lines(err) == expected
        assert "Er is niets berekend of weggeschreven." in err


# --- the file itself --------------------------------------------------------------


def zipped(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def with_broken_sheet(valid: bytes, part: str) -> bytes:
    """A valid .xlsx whose one sheet's XML is cut off halfway."""
    source = zipfile.ZipFile(io.BytesIO(valid))
    files = {}
    for name in source.namelist():
        content = source.read(name)
        files[name] = content[: len(content) // 2] if name == part else content
    return zipped(files)


def sheet_part(path: Path, sheet: str) -> str:
    index = openpyxl.load_workbook(path).sheetnames.index(sheet) + 1
    return f"xl/worksheets/sheet{index}.xml"


# A password-protected .xlsx is an OLE compound file; so is an old .xls. No tool on
# this machine encrypts, so the files carry the OLE signature and some header bytes.
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
ODS = zipped(
    {"mimetype": b"application/vnd.oasis.opendocument.spreadsheet", "content.xml": b"<office:document-content/>"}
)


def file_cases(tmp_path: Path) -> dict[str, tuple[Path, str]]:
    valid = write_register(tmp_path, "geldig.xlsx").read_bytes()
    cases = {
        "not a zip": (
            "kapot.xlsx",
            b"Dit is geen werkmap maar tekst.",
            "Fout: 'kapot.xlsx' is beschadigd of geen geldige Excel-werkmap.",
        ),
        "truncated": (
            "afgebroken.xlsx",
            valid[: len(valid) // 2],
            "Fout: 'afgebroken.xlsx' is beschadigd of geen geldige Excel-werkmap.",
        ),
        "an .ods renamed to .xlsx": (
            "hernoemd.xlsx",
            ODS,
            "Fout: 'hernoemd.xlsx' kan niet worden gelezen: het bestand is beschadigd of geen geldige werkmap",
        ),
        "password-protected": (
            "beveiligd.xlsx",
            OLE,
            "Fout: 'beveiligd.xlsx' is met een wachtwoord beveiligd of geen geldige .xlsx. Haal de beveiliging weg",
        ),
        ".xls": (
            "oud.xls",
            OLE,
            "Fout: 'oud.xls' is een .xls-bestand. Sla het register in Excel op als Excel-werkmap (.xlsx)",
        ),
        ".ods": (
            "register.ods",
            ODS,
            "Fout: 'register.ods' is een .ods-bestand. Sla het register in Excel op als Excel-werkmap (.xlsx)",
        ),
        ".csv": ("facturen.csv", b"Factuurnummer;Bedrag\nF-1;10\n", "Fout: 'facturen.csv' is een .csv-bestand."),
        "other suffix": ("register.txt", valid, "Fout: 'register.txt' is geen Excel-werkmap (.xlsx of .xlsm)."),
    }
    out = {}
    for case, (name, content, message) in cases.items():
        folder = tmp_path / case.replace(" ", "_").replace(".", "")
        folder.mkdir()
        (folder / name).write_bytes(content)
        out[case] = (folder / name, message)
    broken_folder = tmp_path / "broken_sheet"
    broken_folder.mkdir()
    broken = broken_folder / "half.xlsx"
    broken.write_bytes(with_broken_sheet(valid, sheet_part(tmp_path / "geldig.xlsx", "Facturen")))
    out["a sheet's XML is broken"] = (broken, "Fout: Het blad 'Facturen' kan niet worden gelezen: het is beschadigd")
    return out


FILE_CASES = [
    "not a zip",
    "truncated",
    "an .ods renamed to .xlsx",
    "password-protected",
    ".xls",
    ".ods",
    ".csv",
    "other suffix",
    "a sheet's XML is broken",
]


@pytest.mark.parametrize("case", FILE_CASES)
def test_a_file_that_is_no_register_gets_one_dutch_line(tmp_path, capsys, case):
    path, message = file_cases(tmp_path)[case]
    for err in run_both(path, capsys):
        assert err.startswith(message), err
        assert len(err.strip().splitlines()) == 1


def test_a_path_that_does_not_exist(tmp_path, capsys):
    missing = tmp_path / "maand" / "register.xlsx"
    for err in run_both(missing, capsys):
        assert err == f"Fout: Het bestand '{missing}' bestaat niet.\n"
    assert not missing.parent.exists()


def test_a_folder_instead_of_a_workbook(tmp_path, capsys):
    folder = tmp_path / "register.xlsx"
    folder.mkdir()
    for err in run_both(folder, capsys):
        assert err == f"Fout: '{folder}' is een map, geen werkmap.\n"


# --- a register of zero rows ------------------------------------------------------


def test_a_register_of_zero_rows_is_refused_by_the_review(tmp_path, capsys):
    empty = tmp_path / "leeg.xlsx"
    shutil.copyfile(ROOT / "workbook" / "leeg-register.xlsx", empty)
    before = snapshot(tmp_path)
    assert main(["review", str(empty), "--peildatum", PEILDATUM]) == 1
    err = capsys.readouterr().err
    assert err.startswith("Fout: Het register bevat nog geen facturen: er valt niets te reviewen.")
    assert snapshot(tmp_path) == before
    # controleer refuses it too, saying its sheets and columns are in order (the template is where one starts).
    assert main(["controleer", str(empty)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("Fout: Het register 'leeg.xlsx' bevat nog geen facturen: er valt niets te controleren.")
    assert snapshot(tmp_path) == before


def test_sheets_with_headers_only_are_zero_rows_too(tmp_path, capsys):
    headers_only = {name: rows[:1] for name, rows in DEFAULT_SHEETS.items() if name != "Instellingen"}
    path = write_register(tmp_path, **headers_only)
    before = snapshot(tmp_path)
    assert main(["review", str(path), "--peildatum", PEILDATUM]) == 1
    assert "Het register bevat nog geen facturen" in capsys.readouterr().err
    assert snapshot(tmp_path) == before
