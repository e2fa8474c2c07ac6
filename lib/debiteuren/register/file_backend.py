"""Reading the register from the .xlsx file with python-calamine.

calamine reads Excel Tables by name and is many times faster than openpyxl,
which matters on a register with hundreds of thousands of invoices. A sheet
without a Table falls back to its used range.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import python_calamine as calamine

from .problems import WorkbookUnreadable
from .schema import SHEETS, header_key
from .tables import RawTable, raw_table_from_grid
from .zip_integrity import verify_members

SUPPORTED_SUFFIXES = (".xlsx", ".xlsm")


def check_path(path: Path) -> None:
    """Refuse what cannot be a register before opening it, in Dutch."""
    if not path.exists():
        raise WorkbookUnreadable(f"Het bestand '{path}' bestaat niet.")
    if path.is_dir():
        raise WorkbookUnreadable(f"'{path}' is een map, geen werkmap.")
    if not path.is_file():
        # A pipe or device would make every read below wait forever (a FIFO has no writer).
        raise WorkbookUnreadable(
            f"'{path.name}' is geen gewoon bestand (maar bijvoorbeeld een pipe of apparaat); "
            "een register is een Excel-werkmap (.xlsx of .xlsm) op schijf."
        )
    suffix = path.suffix.lower()
    if suffix in (".xls", ".ods", ".xlsb", ".csv"):
        raise WorkbookUnreadable(
            f"'{path.name}' is een {suffix}-bestand. Sla het register in Excel op als "
            "Excel-werkmap (.xlsx) en probeer het opnieuw."
        )
    if suffix not in SUPPORTED_SUFFIXES:
        raise WorkbookUnreadable(f"'{path.name}' is geen Excel-werkmap (.xlsx of .xlsm).")
    if not zipfile.is_zipfile(path):
        with path.open("rb") as handle:
            head = handle.read(8)
        if head.startswith(b"\xd0\xcf\x11\xe0"):
            # An encrypted .xlsx is an OLE container, not a zip.
            raise WorkbookUnreadable(
                f"'{path.name}' is met een wachtwoord beveiligd of geen geldige .xlsx. "
                "Haal de beveiliging weg (Bestand > Info > Werkmap beveiligen) en probeer het opnieuw."
            )
        raise WorkbookUnreadable(f"'{path.name}' is beschadigd of geen geldige Excel-werkmap.")


def read_tables(path: Path, names=None) -> dict[str, RawTable | None]:
    """Every register sheet (or those in ``names``) as a RawTable (``None`` when the sheet is missing)."""
    path = Path(path)
    check_path(path)
    verify_members(path)  # a flipped bit in a stored member would otherwise be read as a wrong amount
    workbook = open_workbook(path)
    try:
        return read_sheets(workbook, SHEETS if names is None else names)
    finally:
        workbook.close()


def open_workbook(path: Path) -> calamine.CalamineWorkbook:
    """The workbook opened with its Tables, or a Dutch ``WorkbookUnreadable``."""
    try:
        return calamine.CalamineWorkbook.from_path(str(path), load_tables=True)
    except calamine.PasswordError:
        raise WorkbookUnreadable(f"'{path.name}' is met een wachtwoord beveiligd.") from None
    except Exception as error:  # calamine raises several kinds for a broken file
        raise WorkbookUnreadable(
            f"'{path.name}' kan niet worden gelezen: het bestand is beschadigd of geen geldige werkmap ({error})."
        ) from None


def read_sheets(workbook: calamine.CalamineWorkbook, names) -> dict[str, RawTable | None]:
    """The register sheets ``names`` of an open workbook, each from its Table when it has one."""
    sheet_names = {header_key(n): n for n in workbook.sheet_names}
    table_names = {header_key(n): n for n in workbook.table_names}
    result: dict[str, RawTable | None] = {}
    for name in names:
        spec = SHEETS[name]
        sheet_name = sheet_names.get(header_key(name))
        if sheet_name is None:
            result[name] = None
            continue
        table_name = table_names.get(header_key(name))
        try:
            table = workbook.get_table_by_name(table_name) if table_name else None
            if table is not None and table.sheet == sheet_name:
                # start is the first data row (0-based); the header stands above it.
                first_row, first_col = table.start
                grid = [list(table.columns), *table.to_python()]
                result[name] = raw_table_from_grid(sheet_name, grid, first_row, first_col + 1, spec, True)
            else:
                sheet = workbook.get_sheet_by_name(sheet_name)
                grid = sheet.to_python(skip_empty_area=False)
                result[name] = raw_table_from_grid(sheet_name, grid, 1, 1, spec, False)
        except calamine.CalamineError as error:
            # A sheet's XML can be broken inside a zip that opened fine.
            raise WorkbookUnreadable(
                f"Het blad '{sheet_name}' kan niet worden gelezen: het is beschadigd (technische melding: {error}). "
                "Open de werkmap in Excel en sla hem opnieuw op, of gebruik een reservekopie."
            ) from None
    return result
