"""The register's schema: Dutch sheet and column headers, their fields and types.

The workbook speaks Dutch; the code speaks English. Each sheet is a
``SheetSpec``; each column a ``Column`` that maps its Dutch header to the field
name of the typed table and says how a cell is read. Headers are matched
ignoring case, spaces, hyphens, underscores, dots and a trailing colon:

>>> header_key("  Factuur-nummer: ")
'factuurnummer'
>>> SHEETS["Facturen"].column_for("vervaldatum").field
'due_date'
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Cell kinds: how a value is read (see register/cells.py).
KEY = "key"  # identifier: text, a whole number becomes its digits
TEXT = "text"
DATE = "date"
MONEY = "money"  # euros, stored as integer cents
INT = "int"
BOOL = "bool"  # ja / nee
CHOICE = "choice"
PERCENT = "percent"  # a rate in percent, kept as Decimal


@dataclass(frozen=True)
class Column:
    header: str
    field: str
    kind: str
    required: bool = False
    choices: tuple[str, ...] = ()


@dataclass(frozen=True)
class SheetSpec:
    name: str
    columns: tuple[Column, ...]
    required: bool = True
    # Field names whose values must be unique within the sheet.
    unique: tuple[str, ...] = ()

    def column_for(self, header: str) -> Column | None:
        key = header_key(header)
        for column in self.columns:
            if header_key(column.header) == key:
                return column
        return None

    @property
    def headers(self) -> tuple[str, ...]:
        return tuple(c.header for c in self.columns)


def header_key(header: object) -> str:
    """Normalise a header for matching: case, spaces, '-', '_', '.', ':' ignored."""
    return re.sub(r"[\s\-_.:]+", "", str(header or "")).casefold()


DEBTOR_KINDS = ("zakelijk", "consument")
DEBTOR_SIZES = ("klein", "middel", "groot")
DEBTOR_STATUSES = ("actief", "uit handen", "failliet", "oninbaar")
LANGUAGES = ("nl", "en")
SEGMENTS = ("hoog", "midden", "laag", "starter", "grote organisatie")
ACTION_KINDS = (
    "Betalingsherinnering",
    "Telefoongesprek",
    "Ingebrekestelling",
    "Veertiendagenbrief",
    "E-mail",
    "Betalingsbelofte",
    "Betalingsregeling",
    "Betwisting",
    "Uit handen",
    "Afgeboekt",
    "Notitie",
    "Stuiting",  # a letter that interrupts prescription (art. 3:317 BW); see law/prescription.py
)
POLICY_TARGETS = ("zakelijk", "consument", "alle")
MAX_INSTALMENTS = 4
# A payment term beyond a year is a typo (3650 for 30), not an agreement.
MAX_TERM_DAYS = 365

DEBITEUREN = SheetSpec(
    "Debiteuren",
    (
        Column("Debiteurnummer", "debtor_id", KEY, required=True),
        Column("Naam", "name", TEXT, required=True),
        Column("Soort", "kind", CHOICE, required=True, choices=DEBTOR_KINDS),
        Column("Contactpersoon", "contact", TEXT),
        Column("Aanhef", "salutation", TEXT),
        Column("Adres", "address", TEXT),
        Column("Postcode", "postcode", TEXT),
        Column("Plaats", "city", TEXT),
        Column("Land", "country", TEXT),
        Column("E-mail", "email", TEXT),
        Column("Telefoon", "phone", TEXT),
        Column("KvK-nummer", "kvk", KEY),
        Column("Betaaltermijn", "payment_term_days", INT),
        Column("Kredietlimiet", "credit_limit_cents", MONEY),
        Column("Klant sinds", "customer_since", DATE),
        Column("Grootte", "size", CHOICE, choices=DEBTOR_SIZES),
        Column("Status", "status", CHOICE, choices=DEBTOR_STATUSES),
        Column("Segment", "segment_override", CHOICE, choices=SEGMENTS),
        Column("Taal", "language", CHOICE, choices=LANGUAGES),
        Column("IBAN", "iban", TEXT),
        Column("Opmerkingen", "notes", TEXT),
    ),
    unique=("debtor_id",),
)

FACTUREN = SheetSpec(
    "Facturen",
    (
        Column("Factuurnummer", "invoice_id", KEY, required=True),
        Column("Debiteurnummer", "debtor_id", KEY, required=True),
        Column("Factuurdatum", "invoice_date", DATE, required=True),
        Column("Vervaldatum", "due_date", DATE),
        Column("Bedrag", "amount_cents", MONEY, required=True),
        Column("Omschrijving", "description", TEXT),
        Column("Referentie", "reference", TEXT),
        Column("Betwist", "disputed", BOOL),
        Column("Reden betwisting", "dispute_reason", TEXT),
        Column("Factuurbestand", "invoice_file", TEXT),
    ),
    unique=("invoice_id",),
)

BETALINGEN = SheetSpec(
    "Betalingen",
    (
        Column("Datum", "payment_date", DATE, required=True),
        Column("Debiteurnummer", "debtor_id", KEY, required=True),
        Column("Factuurnummer", "invoice_id", KEY),
        Column("Bedrag", "amount_cents", MONEY, required=True),
        Column("Omschrijving", "description", TEXT),
        Column("Bankreferentie", "bank_reference", TEXT),
    ),
)

ACTIES = SheetSpec(
    "Acties",
    (
        Column("Datum", "action_date", DATE, required=True),
        Column("Debiteurnummer", "debtor_id", KEY, required=True),
        Column("Factuurnummers", "invoice_ids", TEXT),
        Column("Soort", "kind", CHOICE, required=True, choices=ACTION_KINDS),
        Column("Omschrijving", "description", TEXT),
        Column("Toegezegd bedrag", "promised_cents", MONEY),
        Column("Toegezegde datum", "promised_date", DATE),
        Column("Door", "by", TEXT),
        Column("Document", "document", TEXT),
        Column("Kenmerk", "digest", TEXT),
    ),
)

REGELINGEN = SheetSpec(
    "Regelingen",
    (
        Column("Debiteurnummer", "debtor_id", KEY, required=True),
        Column("Termijn", "instalment", INT, required=True),
        Column("Vervaldatum", "due_date", DATE, required=True),
        Column("Bedrag", "amount_cents", MONEY, required=True),
    ),
    required=False,
)

AANMAANSCHEMA = SheetSpec(
    "Aanmaanschema",
    (
        Column("Stap", "step", INT, required=True),
        Column("Actie", "action", TEXT, required=True),
        Column("Voor", "applies_to", CHOICE, required=True, choices=POLICY_TARGETS),
        Column("Dagen", "days", INT, required=True),
        Column("Termijn", "term_days", INT),
    ),
    required=False,
)

INSTELLINGEN = SheetSpec(
    "Instellingen",
    (
        Column("Instelling", "key", TEXT, required=True),
        Column("Waarde", "value", TEXT),
    ),
)

RENTETABEL = SheetSpec(
    "Rentetabel",
    (
        Column("Ingangsdatum", "start_date", DATE, required=True),
        Column("Wettelijke rente", "statutory_pct", PERCENT),
        Column("Handelsrente", "commercial_pct", PERCENT),
    ),
    required=False,
)

SHEETS: dict[str, SheetSpec] = {
    s.name: s
    for s in (
        DEBITEUREN,
        FACTUREN,
        BETALINGEN,
        ACTIES,
        REGELINGEN,
        AANMAANSCHEMA,
        INSTELLINGEN,
        RENTETABEL,
    )
}

# Sheets the tool writes and replaces whole; never read as input.
RESULT_SHEETS = ("Ouderdom", "Actielijst", "Kerncijfers", "Prognose")
