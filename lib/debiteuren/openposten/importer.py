"""Read an open-item export (CSV or XLSX), compare it with the register, plan and append.

``read_export(path, mapping)`` returns the export's rows as ``OpenItem``s or
raises ``OpenpostenError`` naming the file, row and column of every problem.
``plan_import(items, register)`` sorts them into new debtors, new invoices,
unchanged invoices and differences. ``import_openposten(...)`` does both and,
with ``apply=True``, appends the new debtors and invoices through
``write_back``; what differs is reported, never written.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import NamedTuple

import pandas as pd

from ..dutch import format_date
from ..errors import InvalidInput
from ..money import cents_to_decimal, format_eur
from ..register import Register, read_register
from ..register.cells import CellError, is_empty, read_date, read_int, read_key, read_money, read_text
from ..register.schema import header_key
from ..register.writeback import WriteReport, write_back
from .mappings import FIELDS, REQUIRED_FIELDS, Mapping

CSV_SUFFIXES = (".csv", ".txt")
XLSX_SUFFIXES = (".xlsx", ".xlsm")
HEADER_SEARCH_ROWS = 10  # exports may start with a title block above the header row
MAX_PROBLEMS = 20
_DELIMITERS = (";", ",", "\t", "|")
_DELIMITER_NAMES = {";": "puntkomma (;)", ",": "komma (,)", "\t": "tab", "|": "verticale streep (|)"}
_ISO_START = re.compile(r"^\d{4}-")

DEBTOR_EXTRA = (
    "contact",
    "address",
    "postcode",
    "city",
    "country",
    "email",
    "phone",
    "kvk",
    "iban",
    "payment_term_days",
)
DEBTOR_HEADERS = {
    "contact": "Contactpersoon",
    "address": "Adres",
    "postcode": "Postcode",
    "city": "Plaats",
    "country": "Land",
    "email": "E-mail",
    "phone": "Telefoon",
    "kvk": "KvK-nummer",
    "iban": "IBAN",
    "payment_term_days": "Betaaltermijn",
}


class OpenpostenError(InvalidInput):
    """An export that cannot be imported (Dutch message); nothing was changed."""


@dataclass(frozen=True)
class OpenItem:
    """One row of the export: an open invoice and its debtor."""

    row: int  # the row number in the file (1 = first line)
    debtor_id: str
    debtor_name: str
    invoice_id: str
    invoice_date: date
    amount_cents: int
    due_date: date | None = None
    open_cents: int | None = None
    description: str = ""
    debtor_fields: tuple[tuple[str, object], ...] = ()  # (field, value) of DEBTOR_EXTRA present


@dataclass(frozen=True)
class SkippedRow:
    """A row of the export that is not an open invoice in euros: reported, not imported."""

    row: int
    reason: str  # Dutch
    amount_cents: int | None = None


class ExportRows(NamedTuple):
    items: tuple[OpenItem, ...]
    skipped: tuple[SkippedRow, ...]


@dataclass(frozen=True)
class Difference:
    """A debtor or invoice in both the register and the export, with different data."""

    what: str  # "debiteur" or "factuur"
    key: str  # debtor or invoice number
    field: str  # Dutch label
    register: str  # the register's value, for display
    export: str  # the export's value, for display
    row: int


@dataclass
class ImportPlan:
    new_debtors: list[OpenItem] = field(default_factory=list)  # first row of each new debtor
    new_invoices: list[OpenItem] = field(default_factory=list)
    unchanged: list[OpenItem] = field(default_factory=list)
    differences: list[Difference] = field(default_factory=list)

    def debtors_frame(self, kind: str) -> pd.DataFrame:
        """Debiteuren rows (Dutch headers) for the new debtors; empty optional columns left out."""
        rows = []
        for item in self.new_debtors:
            row = {"Debiteurnummer": item.debtor_id, "Naam": item.debtor_name, "Soort": kind}
            extra = dict(item.debtor_fields)
            for name in DEBTOR_EXTRA:
                row[DEBTOR_HEADERS[name]] = extra.get(name)
            rows.append(row)
        columns = ["Debiteurnummer", "Naam", "Soort", *(DEBTOR_HEADERS[n] for n in DEBTOR_EXTRA)]
        return _drop_empty(pd.DataFrame(rows, columns=columns, dtype=object), keep=3)

    def invoices_frame(self) -> pd.DataFrame:
        """Facturen rows (Dutch headers, Decimal euros) for the new invoices."""
        rows = [
            {
                "Factuurnummer": i.invoice_id,
                "Debiteurnummer": i.debtor_id,
                "Factuurdatum": i.invoice_date,
                "Vervaldatum": i.due_date,
                "Bedrag": cents_to_decimal(i.amount_cents),
                "Omschrijving": i.description or None,
            }
            for i in self.new_invoices
        ]
        columns = ["Factuurnummer", "Debiteurnummer", "Factuurdatum", "Vervaldatum", "Bedrag", "Omschrijving"]
        return _drop_empty(pd.DataFrame(rows, columns=columns, dtype=object), keep=5)


@dataclass(frozen=True)
class OpenpostenImport:
    source: str  # the export's file name
    mapping: Mapping
    items: tuple[OpenItem, ...]
    plan: ImportPlan
    written: WriteReport | None = None
    skipped: tuple[SkippedRow, ...] = ()  # rows without an invoice number or not in euros


def _drop_empty(frame: pd.DataFrame, *, keep: int) -> pd.DataFrame:
    """Leave out optional columns that are empty in every row (so no column is added for nothing)."""
    optional = [c for c in frame.columns[keep:] if frame[c].isna().all() or (frame[c] == "").all()]
    return frame.drop(columns=optional)


# --- reading the export ---------------------------------------------------------------------


def _read_csv(path: Path, mapping: Mapping) -> list[list[object]]:
    raw = path.read_bytes()
    if raw.startswith(b"PK\x03\x04"):
        raise OpenpostenError(f"'{path.name}' is geen CSV-bestand maar een Excel- of zip-bestand; noem het .xlsx.")
    try:
        text = raw.decode(mapping.encoding)
    except UnicodeDecodeError as error:
        raise OpenpostenError(
            f"'{path.name}' is niet te lezen als tekst in de tekenset {mapping.encoding} "
            f"(byte {error.start + 1}); exporteer opnieuw uit {mapping.title}."
        ) from None
    if "\x00" in text:
        raise OpenpostenError(f"'{path.name}' is geen tekstbestand (CSV).")
    return [list(row) for row in csv.reader(io.StringIO(text, newline=""), delimiter=mapping.delimiter)]


def _read_xlsx(path: Path) -> list[list[object]]:
    import openpyxl

    if not zipfile.is_zipfile(path):
        raise OpenpostenError(f"'{path.name}' is geen Excel-werkmap (.xlsx).")
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise OpenpostenError(f"'{path.name}' is geen leesbare Excel-werkmap: {error}") from None
    try:
        sheet = book.worksheets[0]
        return [list(row) for row in sheet.iter_rows(values_only=True)]
    finally:
        book.close()


def _find_header(path: Path, rows: list[list[object]], mapping: Mapping, is_csv: bool) -> int:
    """The index of the header row: the first of the top rows holding every required column."""
    best, best_found = 0, -1
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        found = {mapping.field_for(cell) for cell in row} & set(REQUIRED_FIELDS)
        if len(found) == len(REQUIRED_FIELDS):
            return index
        if len(found) > best_found:
            best, best_found = index, len(found)
    if not rows:
        raise OpenpostenError(f"'{path.name}' is leeg.")
    if is_csv and best_found <= 0:
        # One column holding another delimiter: the file uses a different separator.
        line = next((r for r in rows[:HEADER_SEARCH_ROWS] if len(r) == 1 and r[0]), None)
        if line is not None:
            other = next((d for d in _DELIMITERS if d != mapping.delimiter and d in line[0]), None)
            if other is not None:
                raise OpenpostenError(
                    f"'{path.name}' gebruikt als scheidingsteken een {_DELIMITER_NAMES[other]}, "
                    f"maar een export uit {mapping.title} gebruikt een {_DELIMITER_NAMES.get(mapping.delimiter, repr(mapping.delimiter))}. "
                    "Is dit de export van het juiste pakket?"
                )
    header = rows[best]
    present = {mapping.field_for(cell) for cell in header}
    missing = [f for f in REQUIRED_FIELDS if f not in present]
    found_headers = ", ".join(f"'{c}'" for c in header if not is_empty(c)) or "geen"
    lines = [f"'{path.name}' mist verplichte kolommen voor een export uit {mapping.title} (kopregel {best + 1}):"]
    lines += [
        f"- {FIELDS[f][0]}: kolom {mapping.headers_for(f)}" + (f". {mapping.hints[f]}" if f in mapping.hints else "")
        for f in missing
    ]
    lines.append(f"Gevonden kolommen: {found_headers}.")
    raise OpenpostenError("\n".join(lines))


def _money_cell(value: object, mapping: Mapping) -> int:
    # Read as a register cell; a package writing a decimal dot says so in its mapping ("1.234" is then no thousand).
    if isinstance(value, str) and mapping.decimal == ".":
        value = value.replace(",", "").replace(".", ",")
    return read_money(value)


def _date_cell(value: object, mapping: Mapping) -> date:
    if isinstance(value, str):
        text = value.strip()
        iso = bool(_ISO_START.match(text))
        if (mapping.date_order == "ymd") != iso:
            expected = "jjjj-mm-dd" if mapping.date_order == "ymd" else "dd-mm-jjjj"
            raise CellError(f"een datum als {expected}")
    return read_date(value)


def _cell(field_name: str, value: object, mapping: Mapping) -> object:
    if field_name in ("amount", "open_amount"):
        return _money_cell(value, mapping)
    if field_name in ("invoice_date", "due_date"):
        return _date_cell(value, mapping)
    if field_name in ("debtor_id", "invoice_id", "kvk"):
        return read_key(value)
    if field_name == "payment_term_days":
        return read_int(value)
    return read_text(value)


def _is_totals_row(row: list[object], invoice_position: int) -> bool:
    """A totals line: no invoice number and the first filled cell starts with 'Totaal'."""
    if invoice_position < len(row) and not is_empty(row[invoice_position]):
        return False
    first = next((c for c in row if not is_empty(c)), None)
    return isinstance(first, str) and first.strip().casefold().startswith(("totaal", "total"))


def column_positions(path: Path, header: list[object], mapping: Mapping) -> dict[str, tuple[int, str]]:
    """field -> (position, header text) in the header row.

    A header that stands more than once in the row (Twinfield's two 'Naam'
    columns: the journal's, then the debtor's) is taken by position when the
    mapping says which (``after``), and refused otherwise: guessing would put
    the wrong data in the register.
    """
    keys = [header_key(c) for c in header]
    positions: dict[str, tuple[int, str]] = {}
    for name, headers in mapping.columns.items():
        wanted = {header_key(h) for h in headers}
        found = [i for i, k in enumerate(keys) if k and k in wanted]
        if name in mapping.after:
            anchor = next((i for i, k in enumerate(keys) if k == header_key(mapping.after[name])), None)
            found = [i for i in found if anchor is not None and i > anchor][:1]
            if not found:
                raise OpenpostenError(
                    f"'{path.name}' mist de kolom {mapping.headers_for(name)} na de kolom '{mapping.after[name]}' "
                    f"({FIELDS[name][0]}); is dit een export uit {mapping.title}?"
                )
        if not found:
            continue
        twins = [i for i in found if keys[i] == keys[found[0]]]
        if len(twins) > 1:
            header_text = str(header[found[0]]).strip()
            raise OpenpostenError(
                f"'{path.name}': de kolom '{header_text}' staat {len(twins)} keer in de kopregel (kolom "
                f"{' en '.join(str(i + 1) for i in twins)}), dus is niet te zeggen welke de {FIELDS[name][0]} is; "
                f"zet in het koppelbestand bij '{name}' welke bedoeld is, bijvoorbeeld "
                f'{{ headers = ["{header_text}"], after = "<de kolom ervoor>" }}.'
            )
        positions[name] = (found[0], str(header[found[0]]).strip())
    return positions


def read_export(path: Path | str, mapping: Mapping) -> tuple[OpenItem, ...]:
    """The export's open invoices; ``OpenpostenError`` names the file, row and column of each problem."""
    return read_export_rows(path, mapping).items


def read_export_rows(path: Path | str, mapping: Mapping) -> ExportRows:
    """The export's open invoices and the rows left out (no invoice number, not in euros)."""
    path = Path(path)
    if not path.is_file():
        raise OpenpostenError(f"Het bestand '{path}' bestaat niet.")
    suffix = path.suffix.casefold()
    if suffix in CSV_SUFFIXES:
        rows, is_csv = _read_csv(path, mapping), True
    elif suffix in XLSX_SUFFIXES:
        rows, is_csv = _read_xlsx(path), False
    else:
        raise OpenpostenError(
            f"'{path.name}' heeft een onbekend formaat ({path.suffix or 'geen extensie'}); "
            "lees een export als CSV (.csv) of Excel-werkmap (.xlsx)."
        )
    header_index = _find_header(path, rows, mapping, is_csv)
    header = rows[header_index]
    positions = column_positions(path, header, mapping)
    problems: list[str] = []
    items: list[OpenItem] = []
    skipped: list[SkippedRow] = []
    invoice_position = positions["invoice_id"][0]
    for index in range(header_index + 1, len(rows)):
        row = rows[index]
        if all(is_empty(c) for c in row) or _is_totals_row(row, invoice_position):
            continue
        if invoice_position >= len(row) or is_empty(row[invoice_position]):
            # an unallocated payment or credit (Twinfield, Yuki): the controller books it herself
            skipped.append(
                SkippedRow(index + 1, "geen factuurnummer (een niet-toegewezen betaling of creditering?)",
                           _amount_or_none(row, positions, mapping))
            )  # fmt: skip
            continue
        currency = _text_at(row, positions.get("currency"))
        if currency and currency.upper() not in ("EUR", "€"):
            skipped.append(
                SkippedRow(index + 1, f"bedrag in {currency}, niet in euro", _amount_or_none(row, positions, mapping))
            )
            continue
        values: dict[str, object] = {}
        for name, (position, column) in positions.items():
            value = row[position] if position < len(row) else None
            if is_empty(value):
                if FIELDS[name][1]:
                    problems.append(f"rij {index + 1}, kolom '{column}': leeg, verwacht {FIELDS[name][0]}")
                continue
            try:
                values[name] = _cell(name, value, mapping)
            except CellError as expected:
                problems.append(f"rij {index + 1}, kolom '{column}': '{str(value).strip()}' is geen {expected}")
        if any(name not in values for name in REQUIRED_FIELDS):
            continue
        items.append(
            OpenItem(
                row=index + 1,
                debtor_id=values["debtor_id"],
                debtor_name=values["debtor_name"],
                invoice_id=values["invoice_id"],
                invoice_date=values["invoice_date"],
                amount_cents=values["amount"],
                due_date=values.get("due_date"),
                open_cents=values.get("open_amount"),
                description=values.get("description", ""),
                debtor_fields=tuple((n, values[n]) for n in DEBTOR_EXTRA if n in values),
            )
        )
    problems += _inconsistencies(items)
    if problems:
        shown = problems[:MAX_PROBLEMS]
        more = len(problems) - len(shown)
        lines = [f"'{path.name}' ({mapping.title}) is niet te importeren:"] + [f"- {p}" for p in shown]
        if more:
            lines.append(f"- en nog {more} andere fout(en)")
        raise OpenpostenError("\n".join(lines))
    if not items:
        left_out = f" ({len(skipped)} rij(en) zonder factuurnummer of niet in euro)" if skipped else ""
        raise OpenpostenError(f"'{path.name}' bevat geen openstaande facturen{left_out}.")
    return ExportRows(tuple(items), tuple(skipped))


def _text_at(row: list[object], position: tuple[int, str] | None) -> str:
    if position is None or position[0] >= len(row) or is_empty(row[position[0]]):
        return ""
    return str(row[position[0]]).strip()


def _amount_or_none(row: list[object], positions: dict[str, tuple[int, str]], mapping: Mapping) -> int | None:
    """The row's open amount (else its amount) when it reads as one, for the report of skipped rows."""
    for name in ("open_amount", "amount"):
        text = row[positions[name][0]] if name in positions and positions[name][0] < len(row) else None
        if not is_empty(text):
            try:
                return _money_cell(text, mapping)
            except CellError:
                return None
    return None


def _inconsistencies(items: list[OpenItem]) -> list[str]:
    """An invoice number twice with other data, or a debtor number with two names."""
    problems = []
    invoices: dict[str, OpenItem] = {}
    names: dict[str, OpenItem] = {}
    for item in items:
        earlier = invoices.setdefault(item.invoice_id, item)
        if earlier is not item and _invoice_data(earlier) != _invoice_data(item):
            problems.append(
                f"rij {item.row}: factuur {item.invoice_id} staat ook op rij {earlier.row} met andere gegevens"
            )
        first = names.setdefault(item.debtor_id, item)
        if _name_key(first.debtor_name) != _name_key(item.debtor_name):
            problems.append(
                f"rij {item.row}: debiteur {item.debtor_id} heet hier '{item.debtor_name}', "
                f"op rij {first.row} '{first.debtor_name}'"
            )
    return problems


def _invoice_data(item: OpenItem) -> tuple:
    return (item.debtor_id, item.invoice_date, item.due_date, item.amount_cents)


def _name_key(name: str) -> str:
    return " ".join(str(name).split()).casefold()


# --- comparing with the register ------------------------------------------------------------


def _as_date(value: object) -> date | None:
    if value is None or pd.isna(value):
        return None
    return value.date() if isinstance(value, (pd.Timestamp, datetime)) else value


def _show_date(value: date | None) -> str:
    return format_date(value) if value is not None else "(leeg)"


def plan_import(items: tuple[OpenItem, ...] | list[OpenItem], register: Register) -> ImportPlan:
    """Sort the export's rows: new debtors, new invoices, unchanged invoices, differences."""
    plan = ImportPlan()
    debtors = {row.debtor_id: row for row in register.debtors.itertuples(index=False)}
    invoices = {row.invoice_id: row for row in register.invoices.itertuples(index=False)}
    seen_debtors: set[str] = set()
    seen_invoices: set[str] = set()
    for item in items:
        if item.debtor_id not in seen_debtors:
            seen_debtors.add(item.debtor_id)
            known = debtors.get(item.debtor_id)
            if known is None:
                plan.new_debtors.append(item)
            elif _name_key(known.name) != _name_key(item.debtor_name):
                plan.differences.append(
                    Difference("debiteur", item.debtor_id, "Naam", str(known.name), item.debtor_name, item.row)
                )
        if item.invoice_id in seen_invoices:
            continue  # the same invoice twice in the export (checked identical on reading)
        seen_invoices.add(item.invoice_id)
        known = invoices.get(item.invoice_id)
        if known is None:
            plan.new_invoices.append(item)
            continue
        found = []
        if known.debtor_id != item.debtor_id:
            found.append(("Debiteurnummer", str(known.debtor_id), item.debtor_id))
        if int(known.amount_cents) != item.amount_cents:
            found.append(
                ("Bedrag", format_eur(int(known.amount_cents), cents=True), format_eur(item.amount_cents, cents=True))
            )
        if _as_date(known.invoice_date) != item.invoice_date:
            found.append(("Factuurdatum", _show_date(_as_date(known.invoice_date)), _show_date(item.invoice_date)))
        if item.due_date is not None and _as_date(known.due_date) != item.due_date:
            found.append(("Vervaldatum", _show_date(_as_date(known.due_date)), _show_date(item.due_date)))
        if found:
            plan.differences += [Difference("factuur", item.invoice_id, f, r, e, item.row) for f, r, e in found]
        else:
            plan.unchanged.append(item)
    return plan


def import_openposten(
    source, export_path: Path | str, mapping: Mapping, *, apply: bool, generated_at: datetime
) -> OpenpostenImport:
    """Read the export, compare it with the register and (``apply``) append what is new.

    Raises ``OpenpostenError`` (the export), ``RegisterInvalid`` /
    ``WorkbookUnreadable`` (the register) and ``WriteBackRefused`` (writing);
    in each case nothing was written.
    """
    from ..register.live_backend import workbook_target

    items, skipped = read_export_rows(export_path, mapping)
    target = workbook_target(source)
    register = read_register(target)
    plan = plan_import(items, register)
    written = append_plan(target, plan, mapping.kind, register, generated_at) if apply else None
    return OpenpostenImport(Path(export_path).name, mapping, items, plan, written, skipped)


def append_plan(target, plan, kind, register, generated_at: datetime):
    """Append the plan's new debtors and invoices to the register (one write), or None when there are none."""
    if not (plan.new_debtors or plan.new_invoices):
        return None
    appends = {}
    if plan.new_debtors:
        appends["Debiteuren"] = plan.debtors_frame(kind)
    if plan.new_invoices:
        appends["Facturen"] = plan.invoices_frame()
    return write_back(
        target,
        (),
        None,
        generated_at=generated_at,
        peildatum=generated_at.date(),
        appends=appends,
        key_types=register.key_types,
    )
