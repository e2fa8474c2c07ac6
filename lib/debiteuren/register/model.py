"""The validated register: typed tables, settings, the dunning policy, rate overrides.

Tables are pandas DataFrames with English column names (see ``schema.py``):
money in ``*_cents`` int64 columns (nullable ``Int64`` where optional), dates
as ``datetime64[ns]`` (``NaT`` when empty), keys and text as Python strings or
``None``, booleans as ``bool``. Every table keeps an ``excel_row`` column so
later checks can point back at the cell.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from types import MappingProxyType
from typing import Mapping

import pandas as pd

from ..law.rates import RateOverride  # the Rentetabel row; a law record, part of the Register
from .problems import InputProblem


@dataclass(frozen=True)
class DunningStep:
    """One row of the Aanmaanschema sheet."""

    step: int
    action: str
    applies_to: str  # zakelijk / consument / alle
    days: int  # after the due date (first step) or after the previous step's term
    term_days: int | None


DEFAULT_POLICY: tuple[DunningStep, ...] = (
    DunningStep(1, "Betalingsherinnering", "alle", 7, 7),
    DunningStep(2, "Telefoongesprek", "alle", 0, None),
    DunningStep(3, "Ingebrekestelling", "zakelijk", 5, 7),
    DunningStep(3, "Veertiendagenbrief", "consument", 5, 14),
    DunningStep(4, "Uit handen", "alle", 0, None),
)


@dataclass(frozen=True)
class Setting:
    """How one Instellingen key is read: Dutch name, field, kind, default."""

    name: str
    field: str
    kind: str  # text / int / bool / money / percent / buckets / choice; tuning: number / whole
    default: object
    choices: tuple[str, ...] = ()


SETTINGS: tuple[Setting, ...] = (
    Setting("Bedrijfsnaam", "company_name", "text", ""),
    Setting("Adres", "company_address", "text", ""),
    Setting("Postcode", "company_postcode", "text", ""),
    Setting("Plaats", "company_city", "text", ""),
    Setting("Telefoon", "company_phone", "text", ""),
    Setting("E-mail", "company_email", "text", ""),
    Setting("IBAN", "iban", "text", ""),
    Setting("BIC", "bic", "text", ""),
    Setting("KvK-nummer", "kvk", "text", ""),
    Setting("Btw-nummer", "vat_number", "text", ""),
    Setting("Ondertekenaar", "signatory", "text", ""),
    Setting("Functie ondertekenaar", "signatory_title", "text", ""),
    Setting("Standaard betaaltermijn", "default_term_days", "int", 30),
    Setting("Ouderdomsklassen", "ageing_buckets", "buckets", (30, 60, 90, 120)),
    Setting("Incassokosten met btw", "collection_costs_vat", "bool", False),
    Setting("Btw-percentage", "vat_pct", "percent", Decimal("21")),
    Setting("Afronding rente", "interest_rounding", "choice", "einde", ("einde", "periode")),
    Setting("Samengestelde rente", "compound_interest", "bool", True),
    Setting("Betaaltermijnen zijn fataal", "terms_are_fatal", "bool", False),
    Setting("Incassobureau", "collection_agency", "text", ""),
    Setting("Adres incassobureau", "collection_agency_address", "text", ""),
    Setting("Postcode incassobureau", "collection_agency_postcode", "text", ""),
    Setting("Plaats incassobureau", "collection_agency_city", "text", ""),
    Setting("Rente op te laat betaalde facturen vorderen", "claim_paid_late_interest", "bool", False),
    Setting("Wij zijn een mkb-onderneming", "company_is_sme", "bool", False),
    Setting("Verkoop aan consumenten is consumentenkoop", "consumer_sale", "bool", False),
    Setting("Verjaarde vorderingen aanmanen", "dun_prescribed", "bool", False),
)

# Instellingen rows that tune the analyses: the early warning (payment_behaviour.WarningRule)
# and the scorecard (segments.Scorecard). Their defaults live with those rules; the register
# checks the cells when it is read, so `controleer` reports every bad one at once.
TUNING_SETTINGS: tuple[Setting, ...] = (
    Setting("Signaal vanaf dagen na vervaldatum", "min_days_late", "number", None),
    Setting("Signaal verslechtering dagen", "min_worsening_days", "number", None),
    Setting("Signaal verslechtering procent", "min_worsening_pct", "number", None),
    Setting("Signaal minimaal recente facturen", "min_recent", "whole", None),
    Setting("Signaal minimaal eerdere facturen", "min_history", "whole", None),
    Setting("Score te laat vanaf dagen", "late_days", "number", None),
    Setting("Score te laat punten", "late_points", "whole", None),
    Setting("Score zeer laat vanaf dagen", "very_late_days", "number", None),
    Setting("Score zeer laat punten", "very_late_points", "whole", None),
    Setting("Score verslechtering punten", "worsening_points", "whole", None),
    Setting("Score vervallen aandeel vanaf procent", "overdue_share_pct", "number", None),
    Setting("Score vervallen aandeel punten", "overdue_share_points", "whole", None),
    Setting("Score kredietlimiet vanaf procent", "limit_use_pct", "number", None),
    Setting("Score kredietlimiet punten", "limit_use_points", "whole", None),
    Setting("Score betwisting punten", "dispute_points", "whole", None),
    Setting("Score gebroken belofte punten", "broken_promise_points", "whole", None),
    Setting("Score gebroken beloftes maximaal", "broken_promise_max", "whole", None),
    Setting("Grens hoog risico", "high_from", "whole", None),
    Setting("Grens midden risico", "medium_from", "whole", None),
)
TUNING_NAMES: Mapping[str, str] = MappingProxyType({s.field: s.name for s in TUNING_SETTINGS})


@dataclass(frozen=True)
class Settings:
    """The Instellingen sheet, typed, with defaults for what is missing.

    ``raw`` keeps every key as written (normalised header key -> cell text),
    so a module can read its own settings (e.g. the scorecard's points) with
    its own defaults without this record knowing them.
    """

    company_name: str = ""
    company_address: str = ""
    company_postcode: str = ""
    company_city: str = ""
    company_phone: str = ""
    company_email: str = ""
    iban: str = ""
    bic: str = ""
    kvk: str = ""
    vat_number: str = ""
    signatory: str = ""
    signatory_title: str = ""
    default_term_days: int = 30
    ageing_buckets: tuple[int, ...] = (30, 60, 90, 120)
    collection_costs_vat: bool = False
    vat_pct: Decimal = Decimal("21")
    interest_rounding: str = "einde"
    compound_interest: bool = True
    terms_are_fatal: bool = False
    collection_agency: str = ""
    collection_agency_address: str = ""
    collection_agency_postcode: str = ""
    collection_agency_city: str = ""
    # field of TUNING_SETTINGS -> Decimal or int, only for the rows the sheet fills in
    tuning: Mapping[str, object] = field(default_factory=lambda: MappingProxyType({}))
    # letters claim the interest on invoices paid late only when asked (issue 14)
    claim_paid_late_interest: bool = False
    # art. 6:119a lid 6 BW (Stb. 2022, 146): a large debtor may not take more than 30 days from an SME
    company_is_sme: bool = False
    # art. 7:28 BW: the price of a consumer sale prescribes after two years instead of five
    consumer_sale: bool = False
    # the dunning plan leaves prescribed invoices out unless the controller says so
    dun_prescribed: bool = False
    raw: Mapping[str, object] = field(default_factory=lambda: MappingProxyType({}))

    def get(self, name: str, default: object = None) -> object:
        """A raw setting by its Dutch name (matched like headers), or ``default``."""
        from .schema import header_key

        value = self.raw.get(header_key(name))
        return default if value is None or value == "" else value


# A key written as a number must read back as the same key: no leading zero (0123 is not 123)
# and at most 15 digits (Excel keeps 15 significant digits).
_KEY_AS_NUMBER = re.compile(r"-?[1-9][0-9]{0,14}|0")


@dataclass(frozen=True)
class KeyTypes:
    """How the register types its numbers, so that what the tool writes has the same type.

    A Debiteurnummer column in Debiteuren whose every cell is a whole number is
    numeric: the tool then writes debtor numbers as numbers in every sheet it
    writes, so a pivot table or a lookup sees one debtor, not the number 1001 and
    the text '1001'. Likewise the Factuurnummer column in Facturen for invoice
    numbers. A register that types them as text (leading zeros, letters) gets text.

    >>> KeyTypes(debtor_ids=True).as_numbers("debtor_id", ["1001", None, 1002])
    [1001, None, 1002]
    >>> KeyTypes(debtor_ids=True).as_numbers("debtor_id", ["1001", "01002"]) is None  # one text number: all text
    True
    >>> KeyTypes().as_numbers("debtor_id", ["1001"]) is None
    True
    """

    debtor_ids: bool = False  # Debiteuren's Debiteurnummer holds numbers
    invoice_ids: bool = False  # Facturen's Factuurnummer holds numbers

    def numeric(self, field: str) -> bool:
        return {"debtor_id": self.debtor_ids, "invoice_id": self.invoice_ids}.get(field, False)

    def as_numbers(self, field: str, values) -> list | None:
        """``values`` (keys as read: text) as whole numbers when the register types ``field`` as numbers.

        None when it does not, or when one of the values cannot be a number without
        changing (a column holds one type, so it stays text, as before).
        """
        if not self.numeric(field):
            return None
        out = []
        for value in values:
            if value is None or isinstance(value, int) and not isinstance(value, bool):
                out.append(value)
            elif isinstance(value, str) and _KEY_AS_NUMBER.fullmatch(value):
                out.append(int(value))
            elif isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
                out.append(int(value))
            else:
                return None
        return out


@dataclass(frozen=True)
class Register:
    """Everything read from one workbook, validated and typed."""

    debtors: pd.DataFrame
    invoices: pd.DataFrame
    payments: pd.DataFrame
    actions: pd.DataFrame
    arrangements: pd.DataFrame
    settings: Settings
    policy: tuple[DunningStep, ...]
    rate_overrides: tuple[RateOverride, ...]
    warnings: tuple[InputProblem, ...] = ()
    source: Path | None = None
    key_types: KeyTypes = KeyTypes()  # how the workbook types debtor and invoice numbers

    def debtor(self, debtor_id: str) -> pd.Series:
        """One debtor's row by number."""
        rows = self.debtors.loc[self.debtors["debtor_id"] == debtor_id]
        if rows.empty:
            raise KeyError(debtor_id)
        return rows.iloc[0]
