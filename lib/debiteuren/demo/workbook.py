"""Writing the register file: xlsxwriter lays out the sheets, the project's cell writer fills them."""

from __future__ import annotations

import argparse
import tempfile
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Mapping, Sequence

import numpy as np
import pandas as pd
import xlsxwriter
from lxml import etree
from xlsxwriter.utility import xl_range

from ..money import cents_to_decimal
from ..register.model import DEFAULT_POLICY
from ..register.schema import (
    BOOL,
    CHOICE,
    DATE,
    INT,
    KEY,
    MAX_INSTALMENTS,
    MONEY,
    PERCENT,
    SHEETS,
    TEXT,
    Column,
    SheetSpec,
)
from ..register.write import formats as cell_kinds
from ..register.write.formats import column_letter
from ..register.write.xlsx.append import grow_dimension, set_table_ref
from ..register.write.xlsx.cells import cell_xml
from ..register.write.xlsx.package import Package, parse_xml, qname, xml_bytes
from ..register.write.xlsx.workbook import TableRegistry, Workbook
from .days import day_date
from .generator import DEMO_PEILDATUM, DEMO_SEED, DemoRegister, generate_demo
from .story import COMPANY_SETTINGS, empty_settings, explanation_rows

# Fixed document date, so a rebuild does not change the file.
WORKBOOK_CREATED = datetime(2026, 10, 31, 17, 0, 0)


def build_demo(
    path: str | Path,
    *,
    debtors: int = 60,
    months: int = 24,
    seed: int = DEMO_SEED,
    end: date = DEMO_PEILDATUM,
) -> DemoRegister:
    """Write the demo register to ``path`` and return what was written."""
    data = generate_demo(debtors=debtors, months=months, seed=seed, end=end)
    sheets = dict(data.tables())
    sheets["Aanmaanschema"] = _policy_frame()
    sheets["Instellingen"] = _settings_frame(data.settings)
    sheets["Rentetabel"] = _example_rates_frame()
    _write_workbook(Path(path), sheets, explanation_rows(demo_end=end))
    return data


def build_empty(path: str | Path) -> None:
    """Write the empty register: the structure, the default policy and settings, no data."""
    sheets = {name: pd.DataFrame() for name in SHEETS}
    sheets["Aanmaanschema"] = _policy_frame()
    sheets["Instellingen"] = _settings_frame(empty_settings())
    _write_workbook(Path(path), sheets, explanation_rows(demo_end=None))


# --------------------------------------------------------------------------
# The fixed sheets.


def _settings_frame(rows: Sequence[tuple[str, str]]) -> pd.DataFrame:
    return pd.DataFrame({"key": [k for k, _ in rows], "value": [v if v != "" else None for _, v in rows]})


def _policy_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "step": [s.step for s in DEFAULT_POLICY],
            "action": [s.action for s in DEFAULT_POLICY],
            "applies_to": [s.applies_to for s in DEFAULT_POLICY],
            "days": [s.days for s in DEFAULT_POLICY],
            "term_days": pd.array([s.term_days for s in DEFAULT_POLICY], dtype="Int64"),
        }
    )


def _example_rates_frame() -> pd.DataFrame:
    """One row that repeats a published rate, to show how the sheet works."""
    return pd.DataFrame(
        {
            "start_date": pd.to_datetime([date(2026, 7, 1)]),
            "statutory_pct": [Decimal("4")],
            "commercial_pct": [Decimal("10.40")],
        }
    )


# --------------------------------------------------------------------------
# Writing the workbook.

DATE_FORMAT = "dd-mm-yyyy"  # Excel shows it as dd-mm-jjjj in Dutch
MONEY_FORMAT = "[$€-413] #,##0.00;[$€-413] -#,##0.00"
PERCENT_FORMAT = "0.00"
VALIDATION_ROOM = 1000  # rows below the data that keep the drop-down lists

# Column widths by field, so the demo and the empty register look alike.
_WIDTHS = {
    "name": 36,
    "contact": 22,
    "address": 26,
    "postcode": 10,
    "city": 16,
    "country": 6,
    "email": 46,
    "phone": 16,
    "kvk": 13,
    "iban": 22,
    "notes": 60,
    "description": 56,
    "reference": 16,
    "dispute_reason": 44,
    "invoice_file": 24,
    "invoice_ids": 34,
    "by": 16,
    "document": 30,
    "digest": 20,
    "bank_reference": 18,
    "action": 22,
    "key": 30,
    "value": 42,
    "segment_override": 17,
    "status": 12,
    "kind": 20,
}
_KIND_WIDTHS = {DATE: 12, MONEY: 15, INT: 9, PERCENT: 12, KEY: 14}
# Choice columns that get a drop-down list, by sheet (design §4).
_DROPDOWNS = {
    "Debiteuren": ("kind", "status", "size", "language", "segment_override"),
    "Facturen": ("disputed",),
    "Acties": ("kind",),
    "Aanmaanschema": ("applies_to",),
}
_BOOL_CHOICES = ("ja", "nee")
_NUMERIC_KEYS = ("debtor_id",)  # debtor numbers are whole numbers; other keys are text
_FROZEN_COLUMNS = {"Debiteuren": 2}  # columns frozen beside the header row (number and name)


def _write_workbook(path: Path, sheets: Mapping[str, pd.DataFrame], explanation: list[tuple[str, str, str]]) -> None:
    """Write the register: xlsxwriter lays out every sheet, the register's cell writer fills it.

    xlsxwriter writes the structure: formats, column widths, the Tables (over
    the header and one row), drop-downs, frozen panes, print setup. Writing a
    quarter of a million rows through it cell by cell takes most of a minute,
    so the data rows go into its output afterwards, as the register's own
    writer makes them (``register/write/xlsx``: cell XML, the package, the
    sheet's used range and the Table's range). Deterministic: the zip entries
    keep xlsxwriter's fixed timestamps.
    """
    with tempfile.TemporaryDirectory(prefix="debiteuren-demo-") as folder:
        layout = Path(folder) / "layout.xlsx"
        filled = _write_layout(layout, sheets, explanation)
        path.parent.mkdir(parents=True, exist_ok=True)
        with Package(layout) as package:
            workbook = Workbook(package)
            table_parts = {name: part for part, name in TableRegistry(workbook).names.items()}
            for spec, frame, styles in filled:
                _fill(package, workbook.sheet_part(spec.name), table_parts[spec.name], spec, frame, styles)
            with open(path, "wb") as out:
                package.write_to(out, WORKBOOK_CREATED)


def _fill(package: Package, sheet_part: str, table_part: str, spec: SheetSpec, frame: pd.DataFrame, styles) -> None:
    """A sheet's data rows after its header row; its used range and its Table over all of them."""
    root = package.xml(sheet_part)
    ns = etree.QName(root).namespace
    rows = parse_xml(f'<sheetData xmlns="{ns}">{_rows_xml(spec, frame, styles)}</sheetData>'.encode())
    root.find(qname(ns, "sheetData")).extend(rows)
    grow_dimension(root, len(spec.columns), len(frame) + 1)
    package.put(sheet_part, xml_bytes(root))
    table = package.xml(table_part)
    set_table_ref(table, f"A1:{column_letter(len(spec.columns))}{len(frame) + 1}")
    package.put(table_part, xml_bytes(table))


def _write_layout(
    path: Path, sheets: Mapping[str, pd.DataFrame], explanation: list[tuple[str, str, str]]
) -> list[tuple[SheetSpec, pd.DataFrame, list[int]]]:
    """The workbook without data rows, by xlsxwriter; returns each sheet with rows to fill, with its column styles."""
    workbook = xlsxwriter.Workbook(
        str(path), {"strings_to_numbers": False, "strings_to_formulas": False, "strings_to_urls": False}
    )
    workbook.set_properties(
        {
            "title": "Debiteurenregister",
            "company": COMPANY_SETTINGS["company_name"] if len(sheets["Debiteuren"]) else "",
            # The module's former name, kept so that a rebuild leaves workbook/ as it is.
            "comments": "Gemaakt met debiteuren (debiteuren.demo_register).",
            "created": WORKBOOK_CREATED,
        }
    )
    formats = {
        TEXT: workbook.add_format({"num_format": "@"}),
        DATE: workbook.add_format({"num_format": DATE_FORMAT}),
        MONEY: workbook.add_format({"num_format": MONEY_FORMAT}),
        PERCENT: workbook.add_format({"num_format": PERCENT_FORMAT}),
        INT: workbook.add_format({"num_format": "0"}),
        "title": workbook.add_format({"bold": True, "font_size": 14}),
        "head": workbook.add_format({"bold": True}),
    }
    _write_explanation(workbook.add_worksheet("Toelichting"), explanation, formats)
    filled = []
    for name, spec in SHEETS.items():
        sheet = workbook.add_worksheet(name)
        frame = sheets.get(name, pd.DataFrame())
        column_formats = _write_table_layout(sheet, spec, len(frame), formats)
        if not frame.empty:
            filled.append((spec, frame, column_formats))
    workbook.close()  # numbers the formats: a cell's style is its format's xf_index
    return [(spec, frame, [0 if f is None else f.xf_index for f in column]) for spec, frame, column in filled]


def _rows_xml(spec: SheetSpec, frame: pd.DataFrame, styles: list[int]) -> str:
    """The data rows of a register sheet as worksheet XML, from row 2; an empty value writes no cell."""
    numbers = range(2, len(frame) + 2)
    columns = []
    for col, (column, style) in enumerate(zip(spec.columns, styles), start=1):
        if column.field not in frame:
            continue
        letter = column_letter(col)
        kind, values = _cell_values(frame[column.field], column.kind)
        columns.append(
            [
                "" if value is None else cell_xml(f"{letter}{number}", value, kind, style, False)
                for number, value in zip(numbers, values)
            ]
        )
    return "".join(f'<row r="{number}">{"".join(cells)}</row>' for number, *cells in zip(numbers, *columns))


def _cell_values(values: pd.Series, kind: str) -> tuple[str, list]:
    """A column's cells for ``cell_xml``: their kind and values (None where the cell stays empty)."""
    if kind == DATE:
        days = values.to_numpy(dtype="datetime64[ns]").astype("datetime64[D]")
        present = (~np.isnat(days)).tolist()
        return cell_kinds.DATE, [day_date(d) if ok else None for d, ok in zip(days.astype(np.int64).tolist(), present)]
    present = values.to_numpy(dtype=object, na_value=None).tolist()
    if kind == MONEY:  # exact decimal from integer cents: no float on the way
        return cell_kinds.MONEY, [None if c is None else cents_to_decimal(c) for c in present]
    if kind == PERCENT or pd.api.types.is_integer_dtype(values.dtype):
        return cell_kinds.NUMBER, present
    return cell_kinds.TEXT, [None if v is None or v == "" else str(v) for v in present]


def _write_explanation(sheet, rows: list[tuple[str, str, str]], formats) -> None:
    sheet.set_column(0, 0, 16)
    sheet.set_column(1, 1, 96)
    for row, (style, first, second) in enumerate(rows):
        fmt = formats.get(style)
        for col, text in ((0, first), (1, second)):
            if text:
                sheet.write_string(row, col, text, *(() if fmt is None else (fmt,)))
    sheet.hide_gridlines(2)
    _print_setup(sheet, landscape=False)
    sheet.activate()


def _print_setup(sheet, *, landscape: bool) -> None:
    """A4, one page wide, so a printout is readable."""
    sheet.set_paper(9)
    if landscape:
        sheet.set_landscape()
    sheet.fit_to_pages(1, 0)


def _write_table_layout(sheet, spec: SheetSpec, rows: int, formats) -> list:
    """One register sheet without its data: the Table, formats, widths, drop-downs.

    Returns each column's cell format (None for General).
    """
    columns = []
    column_formats = []
    text_columns = []
    for col, column in enumerate(spec.columns):
        fmt = formats.get(_display_kind(column))
        column_formats.append(fmt)
        if fmt is formats[TEXT]:
            text_columns.append(col)
        width = _WIDTHS.get(column.field, _KIND_WIDTHS.get(column.kind, 14))
        sheet.set_column(col, col, max(width, len(column.header) + 4), fmt)
        columns.append({"header": column.header, "format": fmt} if fmt else {"header": column.header})
    # The header and one row; _fill sets it over the data.
    # (An Excel Table needs at least one data row, so an empty one keeps a blank row.)
    sheet.add_table(
        0,
        0,
        1,
        len(spec.columns) - 1,
        {"name": spec.name, "columns": columns, "style": "Table Style Medium 2"},
    )
    last = max(rows, 1) + VALIDATION_ROOM
    for col, column in enumerate(spec.columns):
        if column.field in _DROPDOWNS.get(spec.name, ()):
            choices = _BOOL_CHOICES if column.kind == BOOL else column.choices
            sheet.data_validation(1, col, last, col, _list_validation(column.header, choices))
        elif spec.name == "Regelingen" and column.field == "instalment":
            sheet.data_validation(
                1,
                col,
                last,
                col,
                {
                    "validate": "integer",
                    "criteria": "between",
                    "minimum": 1,
                    "maximum": MAX_INSTALMENTS,
                    "error_title": column.header,
                    "error_message": f"Een termijn is een getal van 1 tot en met {MAX_INSTALMENTS}.",
                },
            )
    # Text that looks like a number (KvK, settings) is meant as text: no green triangles.
    if text_columns:
        sheet.ignore_errors({"number_stored_as_text": " ".join(xl_range(1, col, last, col) for col in text_columns)})
    sheet.freeze_panes(1, _FROZEN_COLUMNS.get(spec.name, 0))
    _print_setup(sheet, landscape=True)
    sheet.repeat_rows(0)
    return column_formats


def _display_kind(column: Column) -> str:
    """How a column's cells are formatted: text columns as Text (@), so Excel
    keeps what the controller types (leading zeros, '1-2') as typed."""
    if column.kind in (CHOICE, BOOL) or (column.kind == KEY and column.field not in _NUMERIC_KEYS):
        return TEXT
    return column.kind


def _list_validation(header: str, choices: Sequence[str]) -> dict:
    return {
        "validate": "list",
        "source": list(choices),
        "error_title": header,
        "error_message": f"Kies een waarde uit de lijst: {', '.join(choices)}.",
    }


# --------------------------------------------------------------------------
# Command line.


def _default_folder() -> Path:
    repo = Path(__file__).resolve().parents[3]
    return repo / "workbook" if (repo / "pyproject.toml").exists() else Path.cwd() / "workbook"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m debiteuren.demo",
        description="Maak het voorbeeldregister (debiteuren.xlsx) en het lege register (leeg-register.xlsx) opnieuw.",
    )
    parser.add_argument(
        "map", nargs="?", type=Path, default=None, help="map voor de bestanden (standaard: workbook/ van de repository)"
    )
    args = parser.parse_args(argv)
    folder = args.map or _default_folder()
    data = build_demo(folder / "debiteuren.xlsx")
    build_empty(folder / "leeg-register.xlsx")
    print(
        f"Geschreven: {folder / 'debiteuren.xlsx'} ({len(data.debtors)} debiteuren, "
        f"{len(data.invoices)} facturen, {len(data.payments)} betalingen, {len(data.actions)} acties) "
        f"en {folder / 'leeg-register.xlsx'}."
    )
    return 0
