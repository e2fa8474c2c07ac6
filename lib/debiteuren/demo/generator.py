"""The demo register and the empty register, generated deterministically.

``build_demo`` writes the workbook a tidy Dutch controller would keep for the
fictional wholesaler "Voorbeeld Groothandel B.V.": debtors, two years of
invoices, payments, the dunning log, a payment arrangement, the settings, the
default dunning policy and an example rate; every sheet an Excel Table named
like the sheet, with the Dutch headers of ``register/schema.py``, dates as
dd-mm-jjjj, euro amounts, drop-down lists for the choice columns and a frozen
header row. ``build_empty`` writes the same structure without data. The same
seed gives the same file, byte for byte.

    python -m debiteuren.demo [MAP]

regenerates both into MAP (default: the repository's ``workbook/``).

The bulk is vectorised (numpy) so the benchmark can ask for 10,000 debtors. A
small story on top makes sure a monthly review at ``end`` finds what it should:
large overdue debtors, a payer who is slipping, a disputed invoice, a promise
to pay, an arrangement, a bankrupt and a handed-over debtor, and debtors at
every step of the dunning policy. ``DemoRegister.roles`` names them.

Money is integer cents throughout; a cell gets the exact decimal text of its
cents ("1493.67"), never a float computed on the way.

>>> data = generate_demo()
>>> len(data.debtors), len(data.arrangements), data.roles["worsening"]
(60, 3, ('10002',))
"""

from __future__ import annotations

import argparse
import io
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from types import MappingProxyType
from typing import Mapping, Sequence

import numpy as np
import pandas as pd
import xlsxwriter
from xlsxwriter.utility import xl_col_to_name, xl_range, xl_rowcol_to_cell

from ..dutch import format_date
from ..money import format_eur, json_amount
from ..register.model import DEFAULT_POLICY, SETTINGS
from ..register.schema import (
    BOOL,
    CHOICE,
    DATE,
    INT,
    KEY,
    MAX_INSTALMENTS,
    MONEY,
    PERCENT,
    RESULT_SHEETS,
    SHEETS,
    TEXT,
    Column,
    SheetSpec,
)

DEMO_SEED = 20261031
DEMO_PEILDATUM = date(2026, 10, 31)
# Fixed document date, so a rebuild does not change the file.
WORKBOOK_CREATED = datetime(2026, 10, 31, 17, 0, 0)
MIN_DEBTORS = 30  # the story needs this many debtors
LOG_MONTHS = 3  # months of dossier history before the review month
NOTICE_AFTER_DAYS = 45  # history: a notice of default only for invoices this late

# --------------------------------------------------------------------------
# Dates: internally int64 day numbers since 1970-01-01 (vectorised arithmetic).

_EPOCH = date(1970, 1, 1)
_EXCEL_EPOCH_OFFSET = 25569  # Excel serial of 1970-01-01
_OPEN = 10**6  # "never paid" in day arithmetic


def _day(d: date) -> int:
    return (d - _EPOCH).days


def _date(day: int) -> date:
    return _EPOCH + timedelta(days=int(day))


def _weekday(days):
    """Monday 0 .. Sunday 6 (1970-01-01 was a Thursday)."""
    return (days + 3) % 7


def _next_weekday(days):
    """Saturday and Sunday move to the Monday after (bank and office days).

    Day numbers in, day numbers out: an array or a single int.
    """
    wd = _weekday(days)
    return days + np.where(wd == 5, 2, np.where(wd == 6, 1, 0))


def _previous_weekday(days):
    """Saturday and Sunday move to the Friday before (invoices are dated on weekdays)."""
    wd = _weekday(days)
    return days - np.where(wd == 5, 1, np.where(wd == 6, 2, 0))


def _month_start(d: date, months: int) -> date:
    index = d.year * 12 + d.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def _nl_date(d: date) -> str:
    return format_date(d)


# --------------------------------------------------------------------------
# Fictional Dutch names, places and trades.

_FIRST_NAMES = (
    "Anna",
    "Sanne",
    "Lotte",
    "Emma",
    "Julia",
    "Sophie",
    "Lisa",
    "Eva",
    "Fleur",
    "Iris",
    "Noor",
    "Femke",
    "Marieke",
    "Inge",
    "Linda",
    "Petra",
    "Monique",
    "Esther",
    "Karin",
    "Ingrid",
    "Jan",
    "Pieter",
    "Kees",
    "Henk",
    "Willem",
    "Gerrit",
    "Thijs",
    "Daan",
    "Bram",
    "Ruben",
    "Joost",
    "Mark",
    "Erik",
    "Jeroen",
    "Bas",
    "Tom",
    "Sander",
    "Martijn",
    "Niels",
    "Rob",
    "Hans",
    "Wouter",
    "Koen",
    "Stefan",
    "Dennis",
    "Frank",
    "Yvonne",
    "Mirjam",
)
_SURNAMES = (
    "de Jong",
    "Jansen",
    "de Vries",
    "van den Berg",
    "van Dijk",
    "Bakker",
    "Janssen",
    "Visser",
    "Smit",
    "Meijer",
    "de Boer",
    "Mulder",
    "de Groot",
    "Bos",
    "Vos",
    "Peters",
    "Hendriks",
    "van Leeuwen",
    "Dekker",
    "Brouwer",
    "de Wit",
    "Dijkstra",
    "Smits",
    "de Graaf",
    "van der Meer",
    "van der Linden",
    "Kok",
    "Jacobs",
    "de Haan",
    "Vermeulen",
    "van den Heuvel",
    "van der Veen",
    "van den Broek",
    "de Bruijn",
    "van der Heijden",
    "Schouten",
    "van Beek",
    "Willems",
    "van Vliet",
    "van de Ven",
    "Hoekstra",
    "Maas",
    "Verhoeven",
    "van Dam",
    "van der Wal",
    "Prins",
    "Blom",
    "Huisman",
    "de Lange",
    "Kuipers",
    "van Wijk",
    "Post",
    "Veenstra",
    "Kramer",
    "van den Brink",
    "Scholten",
    "Postma",
    "Martens",
    "Vink",
    "de Ruiter",
    "Timmermans",
    "Groen",
    "Gerritsen",
    "Jonker",
    "van Loon",
    "Verbeek",
    "Boersma",
    "Wijnands",
    "Lammers",
    "Molenaar",
)
# (trade, what the wholesaler delivers to it)
_TRADES = (
    ("Bouwbedrijf", "bouwmaterialen"),
    ("Installatiebedrijf", "installatiemateriaal"),
    ("Hoveniersbedrijf", "tuinartikelen"),
    ("Schildersbedrijf", "verf en toebehoren"),
    ("Restaurant", "horecabenodigdheden"),
    ("Hotel", "horecabenodigdheden"),
    ("Bakkerij", "verpakkingsmaterialen"),
    ("Kapsalon", "salonproducten"),
    ("Drukkerij", "papier en karton"),
    ("Transportbedrijf", "verpakkingsmaterialen"),
    ("Autobedrijf", "onderdelen en smeermiddelen"),
    ("Schoonmaakbedrijf", "schoonmaakmiddelen"),
    ("Administratiekantoor", "kantoorartikelen"),
    ("Tandartspraktijk", "praktijkbenodigdheden"),
    ("Fysiotherapiepraktijk", "praktijkbenodigdheden"),
    ("Kinderdagverblijf", "verzorgingsproducten"),
    ("Fietsenwinkel", "onderdelen"),
    ("Bloemenzaak", "verpakkingsmaterialen"),
    ("Timmerbedrijf", "hout en bevestigingsmaterialen"),
    ("Loodgietersbedrijf", "sanitair"),
    ("Elektrotechniek", "elektramateriaal"),
    ("Dakdekkersbedrijf", "dakbedekking"),
    ("Cateringbedrijf", "horecabenodigdheden"),
    ("Slagerij", "verpakkingsmaterialen"),
    ("Architectenbureau", "kantoorartikelen"),
    ("Evenementenbureau", "evenementenmateriaal"),
)
_LEGAL_FORMS = (" B.V.", " B.V.", "", " V.O.F.", " & Zn.")
_LARGE_ORGANISATIONS = (
    ("Stichting Zorggroep Lindenhof", "praktijkbenodigdheden"),
    ("Woningcorporatie Het Baken", "bouwmaterialen"),
    ("ROC Noordoever", "kantoorartikelen"),
    ("Distributiecentrum Vlietland B.V.", "verpakkingsmaterialen"),
    ("Facilitair Bedrijf Randmeren B.V.", "schoonmaakmiddelen"),
    ("Hotelgroep De Drie Linden B.V.", "horecabenodigdheden"),
    ("Bouwcombinatie Eemkwartier V.O.F.", "bouwmaterialen"),
    ("Stichting Kinderopvang Zonnehoek", "verzorgingsproducten"),
)
_STREETS = (
    "Dorpsstraat",
    "Kerkstraat",
    "Stationsweg",
    "Molenweg",
    "Schoolstraat",
    "Julianalaan",
    "Beatrixlaan",
    "Wilhelminastraat",
    "Oranjelaan",
    "Hoofdstraat",
    "Lindelaan",
    "Eikenlaan",
    "Beukenlaan",
    "Rozenstraat",
    "Tulpstraat",
    "Parallelweg",
    "Marktplein",
)
_BUSINESS_STREETS = (
    "Industrieweg",
    "Nijverheidsweg",
    "Handelsweg",
    "Energieweg",
    "Ambachtsweg",
    "Edisonweg",
    "Transportweg",
    "Kanaalweg",
    "Celsiusstraat",
    "Vlasakker",
)
# (city, first and last postcode number, area code); the region around Utrecht weighs most.
_CITIES = (
    ("Utrecht", 3511, 3585, "030"),
    ("Utrecht", 3511, 3585, "030"),
    ("Nieuwegein", 3430, 3439, "030"),
    ("Houten", 3990, 3995, "030"),
    ("Zeist", 3700, 3709, "030"),
    ("Amersfoort", 3811, 3829, "033"),
    ("Woerden", 3440, 3449, "0348"),
    ("Veenendaal", 3900, 3906, "0318"),
    ("Amsterdam", 1011, 1109, "020"),
    ("Rotterdam", 3011, 3089, "010"),
    ("Den Haag", 2491, 2599, "070"),
    ("Eindhoven", 5611, 5658, "040"),
    ("Arnhem", 6811, 6846, "026"),
    ("Nijmegen", 6511, 6546, "024"),
    ("Zwolle", 8011, 8043, "038"),
    ("Apeldoorn", 7311, 7339, "055"),
    ("'s-Hertogenbosch", 5211, 5249, "073"),
    ("Breda", 4811, 4839, "076"),
    ("Haarlem", 2011, 2037, "023"),
    ("Leiden", 2311, 2334, "071"),
    ("Hilversum", 1211, 1223, "035"),
    ("Groningen", 9711, 9747, "050"),
)
_POSTCODE_LETTERS = "ABCDEGHJKLMNPRSTVWXZ"  # Dutch postcodes use no F, I, O, Q, U, Y
_BANKS = ("ABNA", "INGB", "RABO", "SNSB", "TRIO", "ASNB", "KNAB", "BUNQ")
_CALL_NOTES = (
    "Gebeld met crediteurenadministratie: betaling staat klaar voor de volgende betaalrun.",
    "Geen gehoor; voicemail ingesproken met verzoek om terug te bellen.",
    "Factuur was niet ontvangen; kopie per e-mail gestuurd, betaling toegezegd.",
    "Contactpersoon afwezig; collega zegt betaling deze week toe.",
    "Gebeld: factuur ligt ter goedkeuring bij de budgethouder.",
)
_CONSUMER_PRODUCTS = ("Bestelling webwinkel", "Levering aan huis", "Bestelling afhaalpunt")

_COMPANY_SETTINGS = {
    "company_name": "Voorbeeld Groothandel B.V.",
    "company_address": "Kanaalweg 14",
    "company_postcode": "3526 KL",
    "company_city": "Utrecht",
    "company_phone": "030-2345670",
    "company_email": "debiteuren@voorbeeldgroothandel.example",
    "iban": "NL91ABNA0417164300",
    "bic": "ABNANL2A",
    "kvk": "30287461",
    "vat_number": "NL863129456B01",
    "signatory": "Marleen Bosman",
    "signatory_title": "Hoofd financiële administratie",
    "collection_agency": "Incassobureau Vechtstroom B.V.",
    "collection_agency_address": "Zandweg 81",
    "collection_agency_postcode": "3454 HG",
    "collection_agency_city": "De Meern",
}
_CREDIT_CONTROLLER = "Sanne Koster"  # sends reminders and makes the calls
_SIGNATORY = _COMPANY_SETTINGS["signatory"]  # signs notices and hands claims over

# Roles that describe a group of debtors rather than cast one in the story.
_GROUPS = ("large", "starters")

# Payment profiles.
_PUNCTUAL, _MODERATE, _SLOW = 0, 1, 2


# --------------------------------------------------------------------------
# The generated data.


@dataclass(frozen=True)
class DemoRegister:
    """What the generator made: one DataFrame per data sheet, in the schema's fields.

    Columns are the ``Column.field`` names of ``register/schema.py``; money in
    ``*_cents`` int64 (nullable ``Int64`` where optional), dates as
    ``datetime64``, debtor numbers as int. ``roles`` maps a story role
    (``worsening``, ``disputed``, ``promise``, ``arrangement``, ``bankrupt``,
    ``handed_over``, ``starters``, ``large``, ``large_overdue``, ``english``,
    ``low_risk``, ``step_1`` .. ``step_4``, ``step_3_consumer``, ``overpaid``,
    ``unallocated``) to debtor numbers as text, the way the register's reader
    returns them.
    """

    debtors: pd.DataFrame
    invoices: pd.DataFrame
    payments: pd.DataFrame
    actions: pd.DataFrame
    arrangements: pd.DataFrame
    settings: tuple[tuple[str, str], ...]
    end: date
    roles: Mapping[str, tuple[str, ...]]

    def tables(self) -> dict[str, pd.DataFrame]:
        """The data sheets by sheet name."""
        return {
            "Debiteuren": self.debtors,
            "Facturen": self.invoices,
            "Betalingen": self.payments,
            "Acties": self.actions,
            "Regelingen": self.arrangements,
        }


def generate_demo(
    *, debtors: int = 60, months: int = 24, seed: int = DEMO_SEED, end: date = DEMO_PEILDATUM
) -> DemoRegister:
    """The demo register's data, without writing a file."""
    if debtors < MIN_DEBTORS:
        raise ValueError(f"debtors must be at least {MIN_DEBTORS}, got {debtors}")
    if months < 9:
        raise ValueError(f"months must be at least 9 for the story, got {months}")
    return _Generator(debtors, months, seed, end).run()


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
    _write_workbook(Path(path), sheets, _explanation(demo_end=end))
    return data


def build_empty(path: str | Path) -> None:
    """Write the empty register: the structure, the default policy and settings, no data."""
    sheets = {name: pd.DataFrame() for name in SHEETS}
    sheets["Aanmaanschema"] = _policy_frame()
    sheets["Instellingen"] = _settings_frame(
        tuple((s.name, _setting_text(s.default)) for s in SETTINGS) + _analysis_settings()
    )
    _write_workbook(Path(path), sheets, _explanation(demo_end=None))


# --------------------------------------------------------------------------
# The fixed sheets.


def _analysis_settings() -> tuple[tuple[str, str], ...]:
    """The early warning's and the scorecard's settings at their defaults, so a controller sees them."""
    from ..payment_behaviour import WarningRule
    from ..segments import Scorecard

    return tuple(
        (name, _setting_text(value)) for name, value in WarningRule.setting_defaults() + Scorecard.setting_defaults()
    )


def _setting_text(value: object) -> str:
    """A setting's value as the controller types it in the Waarde column."""
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, tuple):
        return ",".join(str(v) for v in value)
    return str(value)


def _demo_settings() -> tuple[tuple[str, str], ...]:
    company = tuple((s.name, _COMPANY_SETTINGS.get(s.field, _setting_text(s.default))) for s in SETTINGS)
    return company + _analysis_settings()


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


def _explanation(demo_end: date | None) -> list[tuple[str, str, str]]:
    """The Toelichting sheet, Dutch: rows of (style, column A, column B).

    Lines are short enough to need no wrapping, so every spreadsheet program
    shows them the same.
    """
    company = _COMPANY_SETTINGS["company_name"]
    if demo_end is not None:
        intro = [
            f"Dit is een voorbeeldregister van de verzonnen {company}, bijgewerkt tot en met {_nl_date(demo_end)}.",
            "Alle namen, adressen, nummers en bedragen zijn fictief.",
        ]
    else:
        intro = [
            "Dit is een leeg register. Vul eerst het blad Instellingen in,",
            "daarna Debiteuren, Facturen en Betalingen.",
        ]
    own = {
        "Debiteuren": [
            "Eén regel per klant: debiteurnummer, naam, soort (zakelijk of consument), adres,",
            "betaaltermijn in dagen, kredietlimiet, klant sinds, grootte, status en taal.",
        ],
        "Facturen": [
            "Eén regel per factuur, bedrag inclusief btw; een creditnota is een negatief bedrag.",
            "Lege vervaldatum: de factuurdatum plus de betaaltermijn van de debiteur.",
            "Betwist: ja (met de reden) of nee; leeg betekent nee.",
        ],
        "Betalingen": [
            "De ontvangen betalingen. Een betaling zonder factuurnummer gaat naar de oudste",
            "openstaande factuur van de debiteur.",
        ],
        "Acties": [
            "Het dossier: herinneringen, telefoongesprekken, toezeggingen, regelingen en overdrachten.",
            "Meerdere factuurnummers scheidt u met komma's.",
        ],
        "Regelingen": [f"Betalingsregelingen: één regel per termijn, ten hoogste {MAX_INSTALMENTS} termijnen."],
        "Aanmaanschema": ["De stappen van het aanmaanbeleid, met hun dagen en termijnen."],
        "Instellingen": ["De bedrijfsgegevens voor de brieven en de rekenregels."],
        "Rentetabel": [
            "Mag leeg blijven. Wettelijke rente en handelsrente in procenten (bijvoorbeeld 10,40)",
            "vanaf een ingangsdatum; vult de meegeleverde rentetabel aan of verbetert die.",
        ],
    }
    written = {
        "Ouderdom": "De openstaande posten per debiteur, naar dagen na de vervaldatum.",
        "Actielijst": "De voorgestelde aanmaanstappen, met reden en termijn.",
        "Kerncijfers": "DSO, CEI en andere kerncijfers; per review een regel, zodat u de ontwikkeling ziet.",
        "Prognose": "De verwachte ontvangsten per week.",
    }
    assert tuple(own) == tuple(SHEETS) and tuple(written) == RESULT_SHEETS
    rows = [("title", "Debiteurenregister: toelichting", ""), ("", "", "")]
    rows += [("", line, "") for line in intro]
    rows += [("", "", ""), ("head", "Bladen die u zelf bijhoudt", "")]
    rows += [("", name if i == 0 else "", line) for name, lines in own.items() for i, line in enumerate(lines)]
    rows += [("", "", ""), ("head", "Wat het programma schrijft", "")]
    rows += [("", name, line) for name, line in written.items()]
    rows += [
        ("", "", "Deze vier bladen schrijft het programma zelf bij elke review; wijzig ze niet."),
        ("", "Acties", "Het programma voegt alleen regels toe (bijvoorbeeld per verstuurde brief)"),
        ("", "", "en wijzigt of verwijdert nooit een regel."),
        ("", "", "Al het andere in dit bestand (bladen, opmaak, tabellen, formules) blijft zoals het is."),
        ("", "", ""),
        ("head", "Invullen", ""),
        ("", "", "Typ nieuwe regels direct onder de laatste regel van een tabel; de tabel groeit mee."),
        ("", "", "Datums als dd-mm-jjjj; bedragen in euro met twee decimalen."),
        ("", "", "Kies bij Soort, Status, Grootte, Taal, Segment, Betwist en Voor uit de keuzelijst."),
        ("", "", "Wijzig de kolomkoppen niet. Eigen kolommen toevoegen mag; het programma slaat ze over."),
    ]
    return rows


# --------------------------------------------------------------------------
# The generator.


@dataclass
class _Story:
    """A story debtor's invoices: random ones after ``replace_from`` make way for these."""

    replace_from: int | None = None  # day number
    # (invoice day, days beyond terms or _OPEN, tag)
    invoices: list[tuple[int, int, str]] = field(default_factory=list)


class _Generator:
    def __init__(self, n: int, months: int, seed: int, end: date):
        self.n = n
        self.months = months
        self.rng = np.random.default_rng(seed)
        self.end = end
        self.E = _day(end)
        self.start = _month_start(end, -(months - 1))
        # The controller's last monthly review: the log is complete up to here;
        # what fell due after it is for the review at ``end`` to propose.
        self.cutoff = _day(_month_start(end, 0)) - 1
        # The dossier has been kept since then (the months before have no log).
        self.log_start = _day(_month_start(end, -LOG_MONTHS))
        self.roles: dict[str, list[int]] = {}

    # -- debtors -----------------------------------------------------------

    def run(self) -> DemoRegister:
        self._debtors()
        self._cast()
        self._invoices()
        self._credit_notes()
        self._number_invoices()
        self._payments()
        self._actions()
        return self._assemble()

    def _debtors(self) -> None:
        rng, n = self.rng, self.n
        n_consumer = round(n * 0.25)
        n_business = n - n_consumer
        n_large = max(3, round(n_business * 0.08))
        n_medium = round(n_business * 0.30)
        business = np.r_[np.full(n_large, 2), np.full(n_medium, 1), np.zeros(n_business - n_large - n_medium, int)]
        size = np.r_[rng.permutation(business), np.full(n_consumer, -1)]  # -1: consumer
        order = rng.permutation(n)
        size = size[order]
        consumer = size < 0

        # Customer since: most long before the history starts, some during it,
        # and starters (small businesses) in the last year.
        start = _day(self.start)
        since = start - rng.integers(30, 3000, n)
        joined = rng.random(n) < 0.10
        since = np.where(joined, rng.integers(start, self.E - 400, n), since)
        small = np.flatnonzero(size == 0)
        n_starters = max(3, round(n * 0.05))
        starters = rng.choice(small, n_starters, replace=False)
        since[starters] = self.E - rng.integers(60, 330, n_starters)

        # Number debtors in the order they became customers.
        order = np.argsort(since, kind="stable")
        self.since = since[order]
        self.size = size[order]
        self.consumer = consumer[order]
        rank = np.empty(n, int)
        rank[order] = np.arange(n)
        self.roles["starters"] = sorted(rank[starters].tolist())
        self.number = 10001 + np.arange(n)

        term = np.where(self.consumer, 14, rng.choice([14, 30, 30, 30, 30, 60], n))
        self.term = np.where(self.size == 2, rng.choice([30, 60], n), term)
        profile = np.where(
            self.consumer,
            rng.choice([_PUNCTUAL, _MODERATE], n, p=[0.65, 0.35]),
            rng.choice([_PUNCTUAL, _MODERATE, _SLOW], n, p=[0.55, 0.30, 0.15]),
        )
        self.profile = np.where(
            self.size == 2, rng.choice([_PUNCTUAL, _MODERATE, _SLOW], n, p=[0.4, 0.2, 0.4]), profile
        )
        self.slow_centre = rng.uniform(25, 45, n)
        rate = np.select(
            [self.consumer, self.size == 0, self.size == 1],
            [rng.uniform(0.15, 0.5, n), rng.uniform(0.5, 1.4, n), rng.uniform(1.2, 2.4, n)],
            rng.uniform(2.0, 3.5, n),
        )
        self.rate = rate
        low = np.select([self.consumer, self.size == 0, self.size == 1], [50, 250, 400], 2000)
        high = np.select([self.consumer, self.size == 0, self.size == 1], [1500, 4000, 9000], 25000)
        self.amount_range = (low, high)
        self.trade = rng.integers(0, len(_TRADES), n)
        self.stop = np.full(n, self.E)  # last possible invoice day
        self.status = np.full(n, "actief", dtype=object)
        self.language = np.full(n, "nl", dtype=object)
        self.segment = np.full(n, None, dtype=object)
        self.notes = np.full(n, None, dtype=object)
        self.country = np.full(n, "NL", dtype=object)
        self.story: dict[int, _Story] = {}
        self.worsening_from: int | None = None

    def _pick(self, role: str, candidates: np.ndarray, k: int = 1) -> list[int]:
        """Draw ``k`` debtors for a role from candidates not yet cast."""
        cast = {d for role, ds in self.roles.items() if role not in _GROUPS for d in ds}
        free = np.array([c for c in candidates.tolist() if c not in cast], dtype=int)
        chosen = sorted(self.rng.choice(free, k, replace=False).tolist())
        self.roles[role] = chosen
        return chosen

    def _cast(self) -> None:
        """Give the story's roles to debtors and set what each role needs."""
        E = self.E
        veteran = self.since < _day(self.start) - 365
        business = np.flatnonzero(~self.consumer & veteran & (self.size < 2))
        consumers = np.flatnonzero(self.consumer & veteran)
        large = np.flatnonzero(self.size == 2)
        self.roles["large"] = large.tolist()

        def story(role: str, pool: np.ndarray, replace_from: int | None, invoices) -> int:
            (d,) = self._pick(role, pool)
            if not self.consumer[d]:
                self.term[d] = 30
            self.story[d] = _Story(replace_from, [(E + off, dbt, tag) for off, dbt, tag in invoices])
            return d

        # A business that used to pay on time and is now 40-70 days late
        # (see _days_beyond_terms); its invoices of the last ten weeks are all open.
        w = story(
            "worsening",
            np.flatnonzero(~self.consumer & veteran & (self.size == 1)),
            E - 75,
            [(off, _OPEN, "") for off in (-70, -58, -45, -33, -20, -8)],
        )
        self.profile[w], self.rate[w] = _PUNCTUAL, 2.6
        self.worsening_from = _day(_month_start(self.end, -4))
        # Two large organisations that pay slowly: large overdue amounts at the end.
        for d in self._pick("large_overdue", large, 2):
            self.profile[d], self.slow_centre[d], self.term[d], self.rate[d] = _SLOW, 45.0, 30, 3.5
        for d in self._pick("english", business, 2):
            self.language[d], self.profile[d] = "en", _PUNCTUAL
        gb, nl = self.roles["english"]
        self.country[gb] = "GB"
        self.trade[nl] = [t for t, _ in _TRADES].index("Administratiekantoor")

        # A disputed invoice, otherwise a good payer.
        d = story("disputed", business, None, [(-50, _OPEN, "disputed")])
        self.profile[d] = _PUNCTUAL
        # Dunning steps at the review: each debtor's oldest open invoice is due for step N.
        story("step_1", business, E - 60, [(-42, _OPEN, ""), (-8, _OPEN, "")])
        story("step_2", business, E - 80, [(-69, _OPEN, ""), (-25, _OPEN, "")])
        story("step_3", business, E - 90, [(-75, _OPEN, ""), (-40, _OPEN, "")])
        story("step_3_consumer", consumers, E - 70, [(-59, _OPEN, "")])
        story("step_4", business, E - 120, [(-105, _OPEN, ""), (-90, _OPEN, "")])
        # A promise to pay, recorded after a call.
        d = story("promise", business, E - 90, [(-80, _OPEN, "promise"), (-66, _OPEN, "promise"), (-10, _OPEN, "")])
        self.segment[d] = "hoog"
        # An arrangement in three instalments after a 14-day letter.
        d = story("arrangement", consumers, E - 130, [(-118, _OPEN, "arrangement")])
        self.notes[d] = "Betalingsregeling in 3 termijnen, zie blad Regelingen."
        # Bankrupt: deliveries stopped, invoices open, claim to be filed.
        d = story("bankrupt", business, E - 160, [(-150, _OPEN, ""), (-136, _OPEN, ""), (-122, _OPEN, "")])
        self.status[d], self.stop[d] = "failliet", E - 122
        self.bankruptcy_day = int(_next_weekday(E - 67))
        self.notes[d] = (
            f"Failliet verklaard op {_nl_date(_date(self.bankruptcy_day))} (rechtbank "
            "Midden-Nederland); curator mr. R. Hoekstra."
        )
        # Handed over to the collection agency.
        d = story("handed_over", business, E - 170, [(-160, _OPEN, ""), (-146, _OPEN, ""), (-132, _OPEN, "")])
        self.status[d], self.stop[d] = "uit handen", E - 132
        self.handover_day = int(_next_weekday(E - 50))
        self.notes[d] = (
            f"Vordering op {_nl_date(_date(self.handover_day))} uit handen gegeven aan "
            f"{_COMPANY_SETTINGS['collection_agency']}."
        )
        # A reliable customer the controller marked low risk.
        (d,) = self._pick("low_risk", business)
        self.segment[d], self.profile[d] = "laag", _PUNCTUAL
        for d in self.roles["large"]:
            self.notes[d] = self.notes[d] or "Factuur alleen met inkoopordernummer (PO) indienen."
        self.notes[self.roles["english"][0]] = "Correspondence in English."
        self.notes[self.roles["starters"][0]] = "Startende onderneming; eerste order vooruitbetaald."
        self.story_debtors = np.zeros(self.n, bool)
        cast = [d for role, ds in self.roles.items() if role not in _GROUPS for d in ds]
        self.story_debtors[cast] = True

    # -- invoices ----------------------------------------------------------

    def _invoices(self) -> None:
        rng, n = self.rng, self.n
        months = [_month_start(self.start, m) for m in range(self.months + 1)]
        first = np.array([_day(m) for m in months[:-1]])
        length = np.diff([_day(m) for m in months])
        counts = rng.poisson(self.rate[:, None] * np.ones(self.months))
        debtor = np.repeat(np.repeat(np.arange(n), self.months), counts.ravel())
        month = np.repeat(np.tile(np.arange(self.months), n), counts.ravel())
        day = _previous_weekday(first[month] + (rng.random(len(month)) * length[month]).astype(int))
        keep = (day >= self.since[debtor]) & (day <= self.stop[debtor]) & (day <= self.E)
        for d, s in self.story.items():
            if s.replace_from is not None:
                keep &= ~((debtor == d) & (day >= s.replace_from))
        debtor, day = debtor[keep], day[keep]
        forced = np.full(len(day), -1)
        tag = np.full(len(day), "", dtype=object)
        extra = [(d, day_, dbt, t) for d, s in self.story.items() for day_, dbt, t in s.invoices]
        if extra:
            ed, eday, edbt, etag = (np.array(x) for x in zip(*extra))
            debtor = np.r_[debtor, ed]
            day = np.r_[day, _previous_weekday(eday)]
            forced = np.r_[forced, edbt]
            tag = np.r_[tag, etag.astype(object)]
        low, high = self.amount_range
        net = np.exp(rng.uniform(np.log(low[debtor] / 1.21), np.log(high[debtor] / 1.21))) * 100
        # The story's disputed, promised and arranged invoices are sizeable ones.
        sizeable = np.isin(tag, ["disputed", "promise", "arrangement"])
        net = np.where(sizeable, high[debtor] / 1.21 * rng.uniform(0.55, 0.9, len(net)) * 100, net)
        net_cents = np.round(net).astype(np.int64)
        gross = (net_cents * 121 + 50) // 100  # 21% VAT, half-up on positive cents
        self.inv = pd.DataFrame(
            {
                "debtor": debtor,
                "day": day,
                "cents": gross,
                "forced": forced,
                "tag": tag,
                "credit_of": -1,  # row of the credited invoice, for credit notes
            }
        )

    def _credit_notes(self) -> None:
        """About 2% credit notes: negative amounts, referring to the invoice in Omschrijving."""
        rng, inv = self.rng, self.inv
        eligible = np.flatnonzero(
            ~self.story_debtors[inv["debtor"].to_numpy()] & (inv["day"].to_numpy() <= self.E - 25)
        )
        k = round(len(inv) * 0.02)
        rows = np.sort(rng.choice(eligible, k, replace=False))
        full = rng.random(k) < 0.3
        share = np.where(full, 1.0, rng.uniform(0.1, 0.6, k))
        cents = inv["cents"].to_numpy()[rows]
        credit = np.where(full, cents, np.round(cents * share).astype(np.int64))
        day = _next_weekday(inv["day"].to_numpy()[rows] + rng.integers(2, 20, k))
        self.credit_full = dict(zip(rows.tolist(), full.tolist()))
        notes = pd.DataFrame(
            {
                "debtor": inv["debtor"].to_numpy()[rows],
                "day": day,
                "cents": -credit,
                "forced": -1,
                "tag": "credit",
                "credit_of": rows,
            }
        )
        self.inv = pd.concat([inv, notes], ignore_index=True)

    def _number_invoices(self) -> None:
        """Number invoices per year in date order, like an invoicing system does."""
        inv = self.inv
        tiebreak = self.rng.random(len(inv))
        order = np.lexsort((tiebreak, inv["debtor"].to_numpy(), inv["day"].to_numpy()))
        inv = inv.iloc[order].reset_index().rename(columns={"index": "old_row"})
        remap = np.empty(len(inv), int)
        remap[inv["old_row"].to_numpy()] = np.arange(len(inv))
        credit_of = inv["credit_of"].to_numpy()
        inv["credit_of"] = np.where(credit_of >= 0, remap[np.maximum(credit_of, 0)], -1)
        self.credit_full = {int(remap[k]): v for k, v in self.credit_full.items()}
        year = inv["day"].to_numpy().astype("datetime64[D]").astype("datetime64[Y]").astype(int) + 1970
        seq = inv.groupby(year).cumcount().to_numpy() + 1
        width = max(4, len(str(int(seq.max()))))
        inv["id"] = [f"{y}-{s:0{width}d}" for y, s in zip(year.tolist(), seq.tolist())]
        inv["due"] = inv["day"].to_numpy() + self.term[inv["debtor"].to_numpy()]
        self.inv = inv.drop(columns="old_row")

    # -- payments ----------------------------------------------------------

    def _days_beyond_terms(self) -> np.ndarray:
        rng, inv = self.rng, self.inv
        debtor = inv["debtor"].to_numpy()
        m = len(inv)
        profile = self.profile[debtor]
        dbt = np.select(
            [profile == _PUNCTUAL, profile == _MODERATE],
            [np.clip(np.round(rng.normal(-1, 3, m)), -12, 5), rng.integers(0, 17, m)],
            np.clip(np.round(self.slow_centre[debtor] + rng.normal(0, 7, m)), 20, 55),
        ).astype(np.int64)
        # The worsening payer: 40 days late at first, rising to 70.
        (w,) = self.roles["worsening"]
        day = inv["day"].to_numpy()
        late = (debtor == w) & (day >= self.worsening_from)
        span = max(1, self.E - 30 - self.worsening_from)
        trend = 40 + 30 * (day - self.worsening_from) / span + rng.normal(0, 3, m)
        dbt = np.where(late, np.clip(np.round(trend), 40, 70), dbt).astype(np.int64)
        forced = inv["forced"].to_numpy()
        return np.where(forced >= 0, forced, dbt)

    def _payments(self) -> None:
        rng, inv, E = self.rng, self.inv, self.E
        m = len(inv)
        debtor = inv["debtor"].to_numpy()
        day = inv["day"].to_numpy()
        due = inv["due"].to_numpy()
        cents = inv["cents"].to_numpy()
        is_credit = cents < 0
        credit_of = inv["credit_of"].to_numpy()

        # Amount left to pay after a credit note, and the credit note's day.
        to_pay = cents.copy()
        credited_day = np.full(m, -_OPEN)
        notes = np.flatnonzero(is_credit)
        np.add.at(to_pay, credit_of[notes], cents[notes])
        credited_day[credit_of[notes]] = day[notes]

        dbt = self._days_beyond_terms()
        pay = np.where(dbt >= _OPEN, _OPEN, due + np.minimum(dbt, _OPEN))
        pay = np.maximum(pay, np.maximum(day + 1, credited_day + 1))
        pay = np.where(pay >= _OPEN, _OPEN, _next_weekday(pay))
        pay = np.where(pay > E, _OPEN, pay)
        paid = ~is_credit & (pay <= E) & (to_pay > 0)
        # When the invoice was settled in full (the dunning log needs it).
        settled = np.where(paid, pay, _OPEN)
        settled = np.where(~is_credit & (to_pay <= 0), credited_day, settled)

        rows = np.flatnonzero(paid)
        amount = to_pay[rows].copy()
        when = pay[rows].copy()
        text = np.full(len(rows), None, dtype=object)
        parts: list[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]] = []

        # Partial payments: part first, the rest weeks later (or still open).
        plain = (
            ~self.story_debtors[debtor[rows]]
            & ~self.consumer[debtor[rows]]
            & (credited_day[rows] < 0)
            & (self.profile[debtor[rows]] != _PUNCTUAL)
        )
        candidates = np.flatnonzero(plain)
        k = min(len(candidates), max(3, round(len(rows) * 0.015)))
        split = np.sort(rng.choice(candidates, k, replace=False))
        first = (np.round(amount[split] * rng.uniform(0.3, 0.7, k) / 100) * 100).astype(np.int64)
        first = np.clip(first, 100, amount[split] - 100)
        rest_day = _next_weekday(when[split] + rng.integers(14, 46, k))
        rest_paid = rest_day <= E
        parts.append(
            (
                rows[split][rest_paid],
                rest_day[rest_paid],
                (amount[split] - first)[rest_paid],
                np.full(rest_paid.sum(), "Restant", dtype=object),
            )
        )
        settled[rows[split]] = np.where(rest_paid, rest_day, _OPEN)
        amount[split] = first
        text[split] = "Deelbetaling"
        used = np.zeros(len(rows), bool)
        used[split] = True

        # Payments without an invoice number: the debtor's oldest open invoice, exactly.
        punctual = ~self.story_debtors[debtor] & (self.profile[debtor] == _PUNCTUAL) & ~self.consumer[debtor]
        has_credit = np.zeros(self.n, bool)
        has_credit[debtor[is_credit]] = True
        order = np.lexsort((day, debtor))
        # Every earlier invoice of the debtor was settled before this payment.
        group = debtor[order]
        running = pd.Series(np.where(is_credit, -_OPEN, settled)[order]).groupby(group).cummax()
        earlier = running.groupby(group).shift(1).fillna(-_OPEN).to_numpy()
        oldest_open = np.empty(m, bool)
        oldest_open[order] = earlier < pay[order]
        recent = day >= self.E - 270
        ok = ~used & punctual[rows] & ~has_credit[debtor[rows]] & oldest_open[rows] & recent[rows]
        k = max(3, round(len(rows) * 0.002))
        unallocated = np.sort(rng.choice(np.flatnonzero(ok), k, replace=False))
        text[unallocated] = "Overboeking zonder factuurnummer"
        used[unallocated] = True
        no_reference = np.zeros(len(rows), bool)
        no_reference[unallocated] = True

        # Overpayment: an invoice paid twice, a week apart. It is the debtor's last
        # payment and nothing else was open then, so a credit balance remains.
        last_pay = np.full(self.n, -_OPEN)
        np.maximum.at(last_pay, debtor[rows], when)
        again = _next_weekday(last_pay + 7)
        open_then = (day <= again[debtor]) & (settled >= last_pay[debtor]) & ~is_credit
        others_open = np.bincount(debtor[open_then], minlength=self.n) > 1
        ok = (
            ~used
            & punctual[rows]
            & (when == last_pay[debtor[rows]])
            & ~others_open[debtor[rows]]
            & (day[rows] >= E - 120)
            & (again[debtor[rows]] <= E)
            & ~has_credit[debtor[rows]]
            & ~np.isin(debtor[rows], debtor[rows[unallocated]])
        )
        # A small register may have no candidate; the story then goes without this one.
        k = min(max(1, round(len(rows) * 0.0005)), int(ok.sum()))
        over = rows[np.sort(rng.choice(np.flatnonzero(ok), k, replace=False))]
        parts.append((over, again[debtor[over]], to_pay[over], np.full(k, "Dubbel betaald", dtype=object)))
        for r in over.tolist():
            self.notes[debtor[r]] = (
                f"Factuur {inv['id'].iat[r]} dubbel betaald; terugbetalen of verrekenen met de volgende factuur."
            )
        self.roles["overpaid"] = sorted({int(d) for d in debtor[over]})
        self.roles["unallocated"] = sorted({int(debtor[rows[r]]) for r in unallocated})

        # The arrangement's first instalment.
        self.instalments = self._instalments()
        (a_row, first_due, first_amount) = self.instalments[0]
        parts.append(
            (
                np.array([a_row]),
                np.array([_previous_weekday(first_due - 1)]),
                np.array([first_amount]),
                np.array(["Termijn 1 van 3 (betalingsregeling)"], dtype=object),
            )
        )

        pay_rows = np.concatenate([rows] + [p[0] for p in parts])
        payments = pd.DataFrame(
            {
                "day": np.concatenate([when] + [p[1] for p in parts]),
                "debtor": debtor[pay_rows],
                "row": pay_rows,
                "cents": np.concatenate([amount] + [p[2] for p in parts]).astype(np.int64),
                "text": np.concatenate([text] + [p[3] for p in parts]),
                "no_reference": np.r_[no_reference, np.zeros(len(pay_rows) - len(rows), bool)],
            }
        )
        payments = payments[payments["day"] <= E]
        self.payments = payments.sort_values(["day", "debtor", "row"], kind="stable").reset_index(drop=True)
        self.settled = settled

    def _instalments(self) -> list[tuple[int, int, int]]:
        """(invoice row, due day, cents) of the arrangement: 3 instalments, the 15th of each month."""
        inv = self.inv
        rows = np.flatnonzero(inv["tag"].to_numpy() == "arrangement")
        total = int(inv["cents"].to_numpy()[rows].sum())
        share = total // 3
        amounts = [share, share, total - 2 * share]
        days = [_day(_month_start(self.end, k).replace(day=15)) for k in range(3)]
        return [(int(rows[0]), d, a) for d, a in zip(days, amounts)]

    # -- the dunning log ---------------------------------------------------

    def _actions(self) -> None:
        """History by the default policy up to the last review, then the story's own entries."""
        inv = self.inv
        debtor = inv["debtor"].to_numpy()
        due = inv["due"].to_numpy()
        dunned = (inv["cents"].to_numpy() > 0) & (inv["tag"].to_numpy() != "disputed")
        settled = self.settled
        reminder = _next_weekday(due + 7)
        call = _next_weekday(reminder + 7)
        notice = _next_weekday(reminder + 12)
        step3 = np.where(self.consumer[debtor], "Veertiendagenbrief", "Ingebrekestelling")
        entries = []
        # No steps once a debtor is bankrupt or handed over.
        log_until = np.full(self.n, self.cutoff)
        log_until[self.roles["bankrupt"]] = self.bankruptcy_day - 1
        log_until[self.roles["handed_over"]] = self.handover_day - 1
        # A formal notice only where the invoice stayed open long (or still is).
        notice_needed = settled > due + NOTICE_AFTER_DAYS
        for when, kind, needed in (
            (reminder, "Betalingsherinnering", True),
            (call, "Telefoongesprek", True),
            (notice, step3, notice_needed),
        ):
            hit = dunned & needed & (settled > when) & (when >= self.log_start) & (when <= log_until[debtor])
            entries.append(
                pd.DataFrame(
                    {
                        "day": when[hit],
                        "debtor": debtor[hit],
                        "kind": kind if isinstance(kind, str) else kind[hit],
                        "id": inv["id"].to_numpy()[hit],
                    }
                )
            )
        log = pd.concat(entries, ignore_index=True)
        log = (
            log.sort_values(["day", "debtor", "kind", "id"], kind="stable")
            .groupby(["day", "debtor", "kind"], sort=False)["id"]
            .agg(", ".join)
            .reset_index()
        )
        kind = log["kind"].to_numpy()
        call_note = np.array(_CALL_NOTES, dtype=object)[self.rng.integers(0, len(_CALL_NOTES), len(log))]
        log["text"] = np.select(
            [kind == "Betalingsherinnering", kind == "Telefoongesprek", kind == "Ingebrekestelling"],
            [
                "Betalingsherinnering per e-mail verstuurd.",
                call_note,
                "Ingebrekestelling aangetekend en per e-mail verstuurd; termijn 7 dagen.",
            ],
            "Veertiendagenbrief verstuurd; termijn 14 dagen na ontvangst.",
        )
        log["by"] = np.where(np.isin(kind, ["Betalingsherinnering", "Telefoongesprek"]), _CREDIT_CONTROLLER, _SIGNATORY)
        log["promised_cents"] = pd.array([None] * len(log), dtype="Int64")
        log["promised_day"] = pd.array([None] * len(log), dtype="Int64")
        story = pd.DataFrame(self._story_actions())
        self.actions = (
            pd.concat([log, story], ignore_index=True)
            .sort_values(["day", "debtor"], kind="stable")
            .reset_index(drop=True)
        )

    def _story_actions(self) -> list[dict]:
        inv, E = self.inv, self.E
        ids = inv["id"].to_numpy()
        tag = inv["tag"].to_numpy()
        debtor = inv["debtor"].to_numpy()
        cents = inv["cents"].to_numpy()

        def entry(day, d, kind, rows, text, by=_CREDIT_CONTROLLER, promised=None, promised_day=None):
            return {
                "day": int(day),
                "debtor": int(d),
                "kind": kind,
                "id": ", ".join(ids[rows].tolist()),
                "text": text,
                "by": by,
                "promised_cents": promised,
                "promised_day": promised_day,
            }

        out = []
        (d,) = self.roles["disputed"]
        rows = np.flatnonzero(tag == "disputed")
        out.append(
            entry(
                _next_weekday(inv["day"].to_numpy()[rows[0]] + 6),
                d,
                "Betwisting",
                rows,
                "Klant meldt per e-mail: deel van de partij beschadigd geleverd; "
                "factuur betwist tot de retour is afgehandeld.",
            )
        )
        (d,) = self.roles["promise"]
        rows = np.flatnonzero(tag == "promise")
        when = _previous_weekday(E - 4)
        promised_day = int(_next_weekday(E + 6))
        total = int(cents[rows].sum())
        out.append(
            entry(
                when,
                d,
                "Telefoongesprek",
                rows,
                "Gebeld met de directeur: liquiditeit krap door een late betaling van een grote klant.",
            )
        )
        out.append(
            entry(
                when,
                d,
                "Betalingsbelofte",
                rows,
                f"Toegezegd: beide facturen betaald op {_nl_date(_date(promised_day))}; een dag eerder bellen.",
                promised=total,
                promised_day=promised_day,
            )
        )
        (d,) = self.roles["arrangement"]
        rows = np.flatnonzero(tag == "arrangement")
        amounts = ", ".join(format_eur(a, cents=True) for _, _, a in self.instalments)
        out.append(
            entry(
                _next_weekday(self.cutoff + 1),
                d,
                "Betalingsregeling",
                rows,
                f"Betalingsregeling in 3 termijnen ({amounts}) op de 15e van de maand; schriftelijk bevestigd.",
                by=_SIGNATORY,
            )
        )
        (d,) = self.roles["bankrupt"]
        rows = np.flatnonzero((debtor == d) & (self.settled >= _OPEN))
        out.append(
            entry(
                self.bankruptcy_day + 1,
                d,
                "Notitie",
                rows,
                "Faillissement uitgesproken; vordering nog indienen bij de curator.",
                by=_SIGNATORY,
            )
        )
        (d,) = self.roles["handed_over"]
        rows = np.flatnonzero((debtor == d) & (self.settled >= _OPEN))
        out.append(
            entry(
                self.handover_day,
                d,
                "Uit handen",
                rows,
                f"Vordering overgedragen aan {_COMPANY_SETTINGS['collection_agency']} "
                "met specificatie en kopieën van de facturen.",
                by=_SIGNATORY,
            )
        )
        return out

    # -- output ------------------------------------------------------------

    def _assemble(self) -> DemoRegister:
        n, rng = self.n, self.rng
        number = self.number
        people = self._people()
        size_names = np.array(["klein", "middel", "groot"], dtype=object)
        credit_limit = np.select(
            [self.consumer, self.size == 0, self.size == 1],
            [0, rng.choice([500000, 750000, 1000000], n), rng.choice([1500000, 2500000], n)],
            rng.choice([5000000, 10000000], n),
        )
        debtors = pd.DataFrame(
            {
                "debtor_id": number,
                "name": people["name"],
                "kind": np.where(self.consumer, "consument", "zakelijk").astype(object),
                "contact": people["contact"],
                "address": people["address"],
                "postcode": people["postcode"],
                "city": people["city"],
                "country": self.country,
                "email": people["email"],
                "phone": people["phone"],
                "kvk": people["kvk"],
                "payment_term_days": self.term.astype(np.int64),
                "credit_limit_cents": pd.array(np.where(self.consumer, None, credit_limit), dtype="Int64"),
                "customer_since": _datetimes(self.since),
                "size": np.where(self.consumer, None, size_names[np.maximum(self.size, 0)]),
                "status": self.status,
                "segment_override": self.segment,
                "language": self.language,
                "iban": people["iban"],
                "notes": self.notes,
            }
        )

        inv = self.inv
        d = inv["debtor"].to_numpy()
        trade_product = np.array([p for _, p in _TRADES], dtype=object)[self.trade]
        for i, (_, product) in zip(self._large_index(), _LARGE_ORGANISATIONS):
            trade_product[i] = product
        variant = rng.integers(0, 3, len(inv))
        product = trade_product[d]
        business_text = np.where(
            variant == 0,
            "Levering " + product,
            np.where(variant == 1, "Levering " + product + " volgens order", "Maandlevering " + product),
        )
        consumer_text = np.array(_CONSUMER_PRODUCTS, dtype=object)[variant]
        text = np.where(self.consumer[d], consumer_text, business_text).astype(object)
        credit = np.flatnonzero(inv["credit_of"].to_numpy() >= 0)
        ids = inv["id"].to_numpy()
        for r in credit.tolist():
            of = inv["credit_of"].iat[r]
            reason = "factuur vervalt (dubbel gefactureerd)" if self.credit_full[of] else "retour ontvangen goederen"
            text[r] = f"Creditnota op factuur {ids[of]}: {reason}"
        reference = np.where(
            self.size[d] == 2,
            "PO " + pd.Series(rng.integers(4500000000, 4500999999, len(inv))).astype(str).to_numpy(),
            None,
        )
        disputed = inv["tag"].to_numpy() == "disputed"
        invoices = pd.DataFrame(
            {
                "invoice_id": ids,
                "debtor_id": number[d],
                "invoice_date": _datetimes(inv["day"].to_numpy()),
                "due_date": _datetimes(inv["due"].to_numpy()),
                "amount_cents": inv["cents"].to_numpy().astype(np.int64),
                "description": text,
                "reference": reference,
                "disputed": np.where(disputed, "ja", None),  # empty means "nee"
                "dispute_reason": np.where(
                    disputed, "Deel van de partij beschadigd geleverd; retour aangekondigd.", None
                ),
                "invoice_file": None,
            }
        )

        pay = self.payments
        invoice_ref = ids[pay["row"].to_numpy()].astype(object)
        invoice_ref[pay["no_reference"].to_numpy()] = None
        payments = pd.DataFrame(
            {
                "payment_date": _datetimes(pay["day"].to_numpy()),
                "debtor_id": number[pay["debtor"].to_numpy()],
                "invoice_id": invoice_ref,
                "amount_cents": pay["cents"].to_numpy().astype(np.int64),
                "description": pay["text"].to_numpy(),
                "bank_reference": None,
            }
        )

        act = self.actions
        actions = pd.DataFrame(
            {
                "action_date": _datetimes(act["day"].to_numpy()),
                "debtor_id": number[act["debtor"].to_numpy()],
                "invoice_ids": act["id"].to_numpy(),
                "kind": act["kind"].to_numpy(),
                "description": act["text"].to_numpy(),
                "promised_cents": pd.array(act["promised_cents"], dtype="Int64"),
                "promised_date": _datetimes(act["promised_day"]),
                "by": act["by"].to_numpy(),
                "document": None,
                "digest": None,
            }
        )

        (a,) = self.roles["arrangement"]
        arrangements = pd.DataFrame(
            {
                "debtor_id": number[a],
                "instalment": np.arange(1, len(self.instalments) + 1),
                "due_date": _datetimes(np.array([day for _, day, _ in self.instalments])),
                "amount_cents": np.array([c for _, _, c in self.instalments], dtype=np.int64),
            }
        )
        roles = {role: tuple(str(number[d]) for d in ds) for role, ds in sorted(self.roles.items())}
        return DemoRegister(
            debtors=debtors,
            invoices=invoices,
            payments=payments,
            actions=actions,
            arrangements=arrangements,
            settings=_demo_settings(),
            end=self.end,
            roles=MappingProxyType(roles),
        )

    def _large_index(self) -> list[int]:
        return self.roles["large"][: len(_LARGE_ORGANISATIONS)]

    def _people(self) -> dict[str, list]:
        """Names, addresses and numbers: fictional, plausible, deterministic."""
        rng, n = self.rng, self.n
        first = rng.choice(_FIRST_NAMES, n)
        surname = rng.choice(_SURNAMES, n)
        contact_first = rng.choice(_FIRST_NAMES, n)
        contact_surname = rng.choice(_SURNAMES, n)
        form = rng.choice(_LEGAL_FORMS, n)
        city_index = rng.integers(0, len(_CITIES), n)
        postcode_number = rng.random(n)
        letters = rng.integers(0, len(_POSTCODE_LETTERS), (n, 2))
        street = rng.choice(_STREETS, n)
        business_street = rng.choice(_BUSINESS_STREETS, n)
        house = rng.integers(1, 240, n)
        phone_digits = rng.integers(0, 10, (n, 8))
        kvk = rng.integers(10000000, 99999999, n)
        bank = rng.choice(_BANKS, n)
        account = rng.integers(0, 10**10, n)
        large_names = dict(zip(self._large_index(), _LARGE_ORGANISATIONS))
        out: dict[str, list] = {
            k: [] for k in ("name", "contact", "address", "postcode", "city", "email", "phone", "kvk", "iban")
        }
        english = set(self.roles["english"])
        for i in range(n):
            city, lo, hi, area = _CITIES[city_index[i]]
            pc = lo + int(postcode_number[i] * (hi - lo + 1))
            pair = _POSTCODE_LETTERS[letters[i, 0]] + _POSTCODE_LETTERS[letters[i, 1]]
            if pair in ("SA", "SD", "SS"):
                pair = "SB"
            digits = "".join(map(str, phone_digits[i]))
            if self.consumer[i]:
                name = f"{first[i]} {surname[i]}"
                out["name"].append(name)
                out["contact"].append(None)
                out["address"].append(f"{street[i]} {house[i]}")
                out["email"].append(f"{first[i].lower()}.{_slug(surname[i])}@thuismail.example")
                out["phone"].append(f"06-{digits}")
                out["kvk"].append(None)
            else:
                if i in large_names:
                    name = large_names[i][0]
                elif i in english:
                    name = "Harbourside Trading Ltd" if self.country[i] == "GB" else "Northbridge Consulting B.V."
                else:
                    name = f"{_TRADES[self.trade[i]][0]} {_capitalised(surname[i])}{form[i]}"
                out["name"].append(name)
                out["contact"].append(f"{contact_first[i]} {contact_surname[i]}")
                out["address"].append(f"{business_street[i]} {house[i]}")
                mailbox = "accounts" if i in english else "administratie"
                out["email"].append(f"{mailbox}@{_slug(_without_legal_form(name))}.example")
                out["phone"].append(f"{area}-{digits[: 10 - len(area)]}")
                out["kvk"].append(str(kvk[i]))
            out["postcode"].append(f"{pc} {pair}")
            out["city"].append(city)
            out["iban"].append(_iban(bank[i], int(account[i])))
        gb = self.roles["english"][0]
        out["address"][gb], out["postcode"][gb], out["city"][gb] = "14 Wharf Road", "N1 7GR", "London"
        out["phone"][gb], out["kvk"][gb] = "+44 20 7946 0321", None
        out["iban"][gb] = None
        return out


def _capitalised(surname: str) -> str:
    """'van den Berg' as it is written without a first name: 'Van den Berg'."""
    return surname[0].upper() + surname[1:]


def _without_legal_form(name: str) -> str:
    for form in (" B.V.", " V.O.F.", " & Zn.", " Ltd"):
        name = name.removesuffix(form)
    return name


def _slug(text: str) -> str:
    return "".join(c for c in text.lower() if c.isalnum())


def _iban(bank: str, account: int) -> str:
    """A Dutch IBAN with valid check digits (ISO 13616 mod 97)."""
    bban = f"{bank}{account:010d}"
    digits = "".join(str(int(c, 36)) for c in bban + "NL00")
    return f"NL{98 - int(digits) % 97:02d}{bban}"


def _datetimes(days) -> pd.Series:
    """Day numbers (None where empty) as datetime64[ns], NaT where empty."""
    return pd.to_datetime(pd.Series(days, dtype="Int64"), unit="D").astype("datetime64[ns]")


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
    """Write the register: xlsxwriter lays out every sheet, then the rows go in.

    xlsxwriter writes the structure: formats, column widths, the Tables (over
    the header and one row), drop-downs, frozen panes, print setup. Writing a
    quarter of a million rows through it cell by cell takes most of a minute,
    so the data rows are added to its output afterwards, in the same XML it
    writes itself in constant_memory mode (inline strings), and each Table is
    stretched over its rows. Deterministic: the zip entries keep xlsxwriter's
    fixed timestamps.
    """
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(
        buffer, {"strings_to_numbers": False, "strings_to_formulas": False, "strings_to_urls": False}
    )
    workbook.set_properties(
        {
            "title": "Debiteurenregister",
            "company": _COMPANY_SETTINGS["company_name"] if len(sheets["Debiteuren"]) else "",
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
    layouts = []
    for name, spec in SHEETS.items():
        sheet = workbook.add_worksheet(name)
        frame = sheets.get(name, pd.DataFrame())
        layouts.append((sheet, spec, frame, _write_table_layout(sheet, spec, len(frame), formats)))
    workbook.close()

    rows_xml: dict[str, tuple[str, str]] = {}  # worksheet part -> (rows, dimension)
    table_refs: dict[str, str] = {}  # Table name -> its range
    for sheet, spec, frame, column_formats in layouts:
        if frame.empty:
            continue
        styles = [None if f is None else f.xf_index for f in column_formats]
        last = xl_rowcol_to_cell(len(frame), len(spec.columns) - 1)
        rows_xml[f"xl/worksheets/sheet{sheet.index + 1}.xml"] = (_rows_xml(spec, frame, styles), f"A1:{last}")
        table_refs[spec.name] = f"A1:{last}"
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename in rows_xml:
                data = _with_rows(data, *rows_xml[info.filename])
            elif info.filename.startswith("xl/tables/"):
                data = _stretched_table(data, table_refs)
            target.writestr(info, data)


def _with_rows(sheet_xml: bytes, rows: str, dimension: str) -> bytes:
    """The sheet's XML with the data rows after the header row and the used range set."""
    text = sheet_xml.decode("utf-8")
    head, tail = text.split("</sheetData>", 1)
    head = re.sub(r'<dimension ref="[^"]*"/>', f'<dimension ref="{dimension}"/>', head, count=1)
    return (head + rows + "</sheetData>" + tail).encode("utf-8")


def _stretched_table(table_xml: bytes, refs: Mapping[str, str]) -> bytes:
    """A Table's XML with its range (and its filter's) over all its rows."""
    text = table_xml.decode("utf-8")
    name = re.search(r'<table [^>]*\bname="([^"]+)"', text).group(1)
    if name not in refs:
        return table_xml
    text = re.sub(r'(<table [^>]*\bref=")[^"]*"', rf'\g<1>{refs[name]}"', text, count=1)
    text = re.sub(r'(<autoFilter ref=")[^"]*"', rf'\g<1>{refs[name]}"', text, count=1)
    return text.encode("utf-8")


def _rows_xml(spec: SheetSpec, frame: pd.DataFrame, styles: list[int | None]) -> str:
    """The data rows of a register sheet as worksheet XML, from row 2."""
    numbers = [str(r) for r in range(2, len(frame) + 2)]
    columns = []
    for col, (column, style) in enumerate(zip(spec.columns, styles)):
        if column.field not in frame:
            continue
        letter = xl_col_to_name(col)
        attribute = "" if style is None else f' s="{style}"'
        values = _cell_values(frame[column.field], column.kind)
        if _numeric(column.kind, frame[column.field]):
            cells = [
                f'<c r="{letter}{r}"{attribute}><v>{v}</v></c>' if v is not None else ""
                for r, v in zip(numbers, values)
            ]
        else:
            cells = [
                f'<c r="{letter}{r}"{attribute} t="inlineStr"><is>{_xml_text(v)}</is></c>' if v is not None else ""
                for r, v in zip(numbers, values)
            ]
        columns.append(cells)
    return "".join(f'<row r="{r}">{"".join(cells)}</row>' for r, *cells in zip(numbers, *columns))


def _cell_values(values: pd.Series, kind: str) -> list[str | None]:
    """Each cell's value as the text of its XML element; None where the cell stays empty."""
    if kind == DATE:
        days = values.to_numpy(dtype="datetime64[ns]").astype("datetime64[D]")
        serial = (days.astype(np.int64) + _EXCEL_EPOCH_OFFSET).tolist()
        return [str(v) if ok else None for v, ok in zip(serial, (~np.isnat(days)).tolist())]
    present = values.to_numpy(dtype=object, na_value=None).tolist()
    if kind == MONEY:  # exact decimal text from integer cents: no float on the way
        return [None if c is None else json_amount(c) for c in present]
    if kind == PERCENT or pd.api.types.is_integer_dtype(values.dtype):
        return [None if v is None else str(v) for v in present]
    return [None if v is None or v == "" else str(v) for v in present]


def _xml_text(text: str) -> str:
    """An inline string's <t> element, escaped; spaces at the ends kept."""
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    preserve = ' xml:space="preserve"' if text != text.strip() else ""
    return f"<t{preserve}>{escaped}</t>"


def _numeric(kind: str, values: pd.Series) -> bool:
    return kind in (DATE, MONEY, PERCENT) or pd.api.types.is_integer_dtype(values.dtype)


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
    # The header and one row; _stretched_table extends it over the data.
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
