"""Mapping files: which export column holds which of our fields, per accounting package.

One TOML file per package in ``mappings/`` (the file name without ``.toml`` is
the ``--pakket`` name). ``load_mapping(name)`` reads and checks one and raises
``MappingError`` (Dutch) when it is unknown or malformed. A mapping file::

    title = "Exact Online"
    [csv]
    delimiter = ";"        # one character
    decimal = ","          # "," (1.234,56) or "." (1,234.56)
    encoding = "utf-8-sig"
    date_order = "dmy"     # "dmy" (31-12-2026) or "ymd" (2026-12-31)
    [defaults]
    kind = "zakelijk"      # Soort of new debtors
    [columns]
    debtor_id = ["Code", "Relatiecode"]   # one header or a list of accepted headers
    debtor_name = { headers = ["Naam"], after = "Debiteur" }   # a header the export has twice:
                                          # the first such column after the column 'Debiteur'
    ...
    [basis]                # what each column name rests on (shown in the user guide)
    debtor_id = "documentatie"   # the vendor's documented export layout
    amount = "api"               # the vendor's own definition of the field (its API)
    due_date = "aanname"         # an assumption, not checked
    [hints]                # optional: what to do when a column is missing (Dutch)
    debtor_id = "Voeg de kolom 'Relatiecode' toe aan de weergave en exporteer opnieuw."
"""

from __future__ import annotations

import codecs
import dataclasses
from dataclasses import dataclass
from pathlib import Path

import tomllib

from ..errors import InvalidInput
from ..register.schema import DEBTOR_KINDS, header_key

MAPPINGS_DIR = Path(__file__).with_name("mappings")

# Our fields: name -> (Dutch label for messages, required).
FIELDS: dict[str, tuple[str, bool]] = {
    "debtor_id": ("debiteurnummer", True),
    "debtor_name": ("naam debiteur", True),
    "invoice_id": ("factuurnummer", True),
    "invoice_date": ("factuurdatum", True),
    "amount": ("factuurbedrag", True),
    "due_date": ("vervaldatum", False),
    "open_amount": ("openstaand bedrag", False),
    "description": ("omschrijving", False),
    # Optional debtor fields, written to new debtors only.
    "contact": ("contactpersoon", False),
    "address": ("adres", False),
    "postcode": ("postcode", False),
    "city": ("plaats", False),
    "country": ("land", False),
    "email": ("e-mail", False),
    "phone": ("telefoon", False),
    "kvk": ("KvK-nummer", False),
    "iban": ("IBAN", False),
    "payment_term_days": ("betaaltermijn", False),
    # The currency of the row's amounts: a row in another currency than EUR is not imported.
    "currency": ("valuta", False),
}
REQUIRED_FIELDS = tuple(f for f, (_, required) in FIELDS.items() if required)
DATE_ORDERS = ("dmy", "ymd")
# What a mapping's column names rest on, in the words of the user guide.
BASES = {
    "documentatie": "gedocumenteerde exportindeling van de leverancier",
    "api": "veldnaam uit de eigen definitie van de leverancier (API), niet uit een export",
    "aanname": "aanname, niet gecontroleerd",
}
DECIMALS = (",", ".")


class MappingError(InvalidInput):
    """An unknown or malformed mapping file (Dutch message)."""


@dataclass(frozen=True)
class Mapping:
    name: str  # the --pakket name (file stem)
    title: str  # the package's name for people
    columns: dict[str, tuple[str, ...]]  # field -> accepted export headers
    delimiter: str = ";"
    decimal: str = ","
    encoding: str = "utf-8-sig"
    date_order: str = "dmy"
    kind: str = "zakelijk"  # Soort for new debtors
    source: Path | None = None
    after: dict[str, str] = dataclasses.field(default_factory=dict)  # field -> the header its column comes after
    basis: dict[str, str] = dataclasses.field(default_factory=dict)  # field -> a key of BASES
    hints: dict[str, str] = dataclasses.field(default_factory=dict)  # field -> what to do when its column is missing

    def field_for(self, header: object) -> str | None:
        """The field an export header maps to, matched as register headers are."""
        key = header_key(header)
        if not key:
            return None
        for name, headers in self.columns.items():
            if any(header_key(h) == key for h in headers):
                return name
        return None

    def headers_for(self, field: str) -> str:
        """The accepted headers of ``field`` for a Dutch message: 'Code' of 'Relatiecode'."""
        return " of ".join(f"'{h}'" for h in self.columns.get(field, ()))


def available_mappings(folder: Path = MAPPINGS_DIR) -> tuple[str, ...]:
    return tuple(sorted(p.stem for p in folder.glob("*.toml")))


def load_mapping(name_or_path: str | Path, folder: Path = MAPPINGS_DIR) -> Mapping:
    """A mapping by package name (``exact_online``) or by the path of a .toml file."""
    candidate = Path(name_or_path)
    if candidate.suffix == ".toml" and candidate.is_file():
        path = candidate
    else:
        stem = str(name_or_path).strip().casefold().replace(" ", "_").replace("-", "_")
        path = folder / f"{stem}.toml"
        if not path.is_file():
            known = ", ".join(available_mappings(folder)) or "geen"
            raise MappingError(f"Onbekend pakket '{name_or_path}'. Bekende pakketten: {known}.")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise MappingError(f"Het koppelbestand '{path.name}' is geen geldige TOML: {error}") from None
    return _check(path, data)


def _check(path: Path, data: dict) -> Mapping:
    def fail(what: str) -> MappingError:
        return MappingError(f"Het koppelbestand '{path.name}' klopt niet: {what}.")

    unknown_sections = set(data) - {"title", "csv", "defaults", "columns", "basis", "hints"}
    if unknown_sections:
        raise fail("onbekende onderdelen " + ", ".join(sorted(unknown_sections)))
    title = data.get("title")
    if not isinstance(title, str) or not title.strip():
        raise fail("'title' ontbreekt")
    raw_columns = data.get("columns")
    if not isinstance(raw_columns, dict):
        raise fail("het onderdeel [columns] ontbreekt")
    columns: dict[str, tuple[str, ...]] = {}
    after: dict[str, str] = {}
    seen: dict[str, str] = {}
    for field, headers in raw_columns.items():
        if field not in FIELDS:
            raise fail(f"onbekend veld '{field}' in [columns] (bekend: {', '.join(FIELDS)})")
        if isinstance(headers, dict):
            if set(headers) - {"headers", "after"} or not isinstance(headers.get("after"), str):
                raise fail(f"veld '{field}': schrijf {{ headers = [...], after = \"kolomkop\" }}")
            after[field] = headers["after"].strip()
            headers = headers.get("headers")
        if isinstance(headers, str):
            headers = [headers]
        if not isinstance(headers, list) or not headers or not all(isinstance(h, str) and h.strip() for h in headers):
            raise fail(f"veld '{field}' heeft geen kolomkop (tekst of lijst van teksten)")
        for header in headers:
            other = seen.setdefault(header_key(header), field)
            if other != field:
                raise fail(f"kolomkop '{header}' staat bij zowel '{other}' als '{field}'")
        columns[field] = tuple(h.strip() for h in headers)
    missing = [f for f in REQUIRED_FIELDS if f not in columns]
    if missing:
        raise fail("verplichte velden ontbreken in [columns]: " + ", ".join(missing))
    csv = data.get("csv", {})
    if not isinstance(csv, dict) or set(csv) - {"delimiter", "decimal", "encoding", "date_order"}:
        raise fail("[csv] kent alleen delimiter, decimal, encoding en date_order")
    delimiter = csv.get("delimiter", ";")
    if not isinstance(delimiter, str) or len(delimiter) != 1:
        raise fail("'delimiter' moet één teken zijn")
    decimal = csv.get("decimal", ",")
    if decimal not in DECIMALS:
        raise fail("'decimal' moet ',' of '.' zijn")
    if decimal == delimiter:
        raise fail("'decimal' en 'delimiter' zijn gelijk")
    encoding = csv.get("encoding", "utf-8-sig")
    try:
        codecs.lookup(encoding)
    except (LookupError, TypeError):
        raise fail(f"onbekende tekenset '{encoding}'") from None
    date_order = csv.get("date_order", "dmy")
    if date_order not in DATE_ORDERS:
        raise fail("'date_order' moet 'dmy' of 'ymd' zijn")
    defaults = data.get("defaults", {})
    kind = defaults.get("kind", "zakelijk") if isinstance(defaults, dict) else None
    if kind not in DEBTOR_KINDS:
        raise fail("[defaults] kind moet 'zakelijk' of 'consument' zijn")
    basis = data.get("basis", {})
    if not isinstance(basis, dict) or any(v not in BASES for v in basis.values()) or set(basis) - set(columns):
        raise fail(f"[basis] geeft per veld uit [columns] een van: {', '.join(BASES)}")
    hints = data.get("hints", {})
    if not isinstance(hints, dict) or set(hints) - set(FIELDS) or not all(isinstance(v, str) for v in hints.values()):
        raise fail("[hints] geeft per veld een tekst")
    return Mapping(
        name=path.stem,
        title=title.strip(),
        columns=columns,
        delimiter=delimiter,
        decimal=decimal,
        encoding=encoding,
        date_order=date_order,
        kind=kind,
        source=path,
        after=after,
        basis=dict(basis),
        hints=dict(hints),
    )


def basis_table(folder: Path = MAPPINGS_DIR) -> str:
    """The user guide's table: per package and column, what the column name rests on (Markdown)."""
    lines = ["| Pakket | Kolom in de export | Veld | Waar de kolomnaam op berust |", "|---|---|---|---|"]
    for name in available_mappings(folder):
        mapping = load_mapping(name, folder)
        for field_name, headers in mapping.columns.items():
            shown = " of ".join(f"`{h}`" for h in headers)
            if field_name in mapping.after:
                shown += f" (na `{mapping.after[field_name]}`)"
            basis = BASES[mapping.basis[field_name]] if field_name in mapping.basis else "niet opgegeven"
            lines.append(f"| {mapping.title} | {shown} | {FIELDS[field_name][0]} | {basis} |")
    return "\n".join(lines)
