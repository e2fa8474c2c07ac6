"""Small register workbooks built inline for tests, with real Excel Tables.

``write_register(tmp_path, Facturen=[...])`` writes a valid minimal register
and lets a test replace any sheet by its own rows (a header row first). Pass
``None`` for a sheet to leave it out; ``tables=False`` writes plain ranges.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import openpyxl
from openpyxl.worksheet.table import Table

DEFAULT_SHEETS: dict[str, list[list[object]]] = {
    "Debiteuren": [
        ["Debiteurnummer", "Naam", "Soort", "Betaaltermijn"],
        ["1001", "Bakkerij De Korenschoof B.V.", "zakelijk", 30],
        ["1002", "J. de Vries", "consument", 14],
    ],
    "Facturen": [
        ["Factuurnummer", "Debiteurnummer", "Factuurdatum", "Vervaldatum", "Bedrag", "Betwist"],
        ["F-001", "1001", date(2026, 9, 1), date(2026, 10, 1), 1210.00, "nee"],
        ["F-002", "1002", date(2026, 9, 15), None, 121.00, "nee"],
    ],
    "Betalingen": [
        ["Datum", "Debiteurnummer", "Factuurnummer", "Bedrag"],
        [date(2026, 10, 5), "1001", "F-001", 210.00],
    ],
    "Acties": [
        ["Datum", "Debiteurnummer", "Factuurnummers", "Soort", "Omschrijving"],
        [date(2026, 10, 8), "1001", "F-001", "Betalingsherinnering", "Herinnering verstuurd"],
    ],
    "Regelingen": [["Debiteurnummer", "Termijn", "Vervaldatum", "Bedrag"]],
    "Aanmaanschema": [["Stap", "Actie", "Voor", "Dagen", "Termijn"]],
    "Instellingen": [
        ["Instelling", "Waarde"],
        ["Bedrijfsnaam", "Voorbeeld B.V."],
        ["IBAN", "NL91ABNA0417164300"],
        ["Standaard betaaltermijn", 30],
    ],
}


def write_register(folder: Path, name: str = "register.xlsx", *, tables: bool = True, **sheets) -> Path:
    """Write a register workbook; keyword arguments replace (or with None drop) sheets."""
    content = {**DEFAULT_SHEETS, **sheets}
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for sheet_name, rows in content.items():
        if rows is None:
            continue
        sheet = workbook.create_sheet(sheet_name)
        for row in rows:
            sheet.append(row)
        if tables and rows and len(rows) >= 1:
            width = max(len(r) for r in rows)
            last_row = max(len(rows), 2)  # a Table needs at least one data row
            ref = f"A1:{openpyxl.utils.get_column_letter(width)}{last_row}"
            sheet.add_table(Table(displayName=sheet_name.replace(" ", "_"), ref=ref))
    path = Path(folder) / name
    workbook.save(path)
    return path
