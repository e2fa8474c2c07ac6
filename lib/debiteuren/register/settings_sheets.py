"""Instellingen, Aanmaanschema and Rentetabel read into Settings, dunning steps and rate overrides."""

from __future__ import annotations

from decimal import Decimal
from types import MappingProxyType

import pandas as pd
from stdnum import iban as stdnum_iban

from . import cells
from .model import (
    DEFAULT_POLICY,
    SETTINGS,
    TUNING_SETTINGS,
    DunningStep,
    RateOverride,
    Settings,
)
from .problem_collector import Collector
from .schema import (
    MAX_TERM_DAYS,
    SHEETS,
    header_key,
)
from .tables import RawTable

# Actions a dunning step may take: the letters and the two tasks.
POLICY_ACTIONS = (
    "Betalingsherinnering",
    "Telefoongesprek",
    "Ingebrekestelling",
    "Veertiendagenbrief",
    "Uit handen",
)

# --- settings, policy, rates ---------------------------------------------------


def read_settings(raw: RawTable | None, problems: Collector) -> Settings:
    if raw is None:
        problems.error("Instellingen", None, None, None, "", "Het blad 'Instellingen' ontbreekt in de werkmap.")
        return Settings()
    spec = SHEETS["Instellingen"]
    key_index = value_index = None
    for i, header in enumerate(raw.headers):
        column = spec.column_for(header)
        if column is not None and column.field == "key":
            key_index = i
        elif column is not None and column.field == "value":
            value_index = i
    if key_index is None or value_index is None:
        problems.error(
            raw.sheet, raw.header_row, None, None, "", "Het blad moet de kolommen 'Instelling' en 'Waarde' hebben."
        )
        return Settings()
    raw_values: dict[str, object] = {}
    rows_of: dict[str, int] = {}
    for excel_row, values in raw.rows:
        key = header_key(cells.read_text(values[key_index])) if values[key_index] is not None else ""
        if key:
            raw_values[key] = values[value_index]
            rows_of[key] = excel_row
    typed: dict[str, object] = {}
    tuning: dict[str, object] = {}
    for setting in SETTINGS + TUNING_SETTINGS:
        key = header_key(setting.name)
        value = raw_values.get(key)
        if cells.is_empty(value):
            continue
        try:
            read = read_setting(setting, value)
        except cells.CellError as error:
            problems.error(raw.sheet, rows_of[key], "Waarde", value, f"{error} (instelling '{setting.name}')")
            continue
        (tuning if setting in TUNING_SETTINGS else typed)[setting.field] = read
    iban = typed.get("iban")
    if iban and not stdnum_iban.is_valid(str(iban)):
        problems.warn(
            raw.sheet, rows_of[header_key("IBAN")], "Waarde", iban, "een geldig IBAN (controleer het rekeningnummer)"
        )
    if iban and stdnum_iban.is_valid(str(iban)):
        typed["iban"] = stdnum_iban.format(str(iban))
    shown = {k: (cells.read_text(v) if not cells.is_empty(v) else "") for k, v in raw_values.items()}
    return Settings(**typed, tuning=MappingProxyType(tuning), raw=MappingProxyType(shown))


def read_setting(setting, value):
    """One Instellingen value typed by its ``Setting``; raises ``cells.CellError``."""
    if setting.kind == "text":
        return cells.read_text(value)
    if setting.kind == "int":
        days = cells.read_int(value)
        if not 0 <= days <= MAX_TERM_DAYS:  # the one int setting is a payment term
            raise cells.CellError(f"een geheel getal van 0 tot en met {MAX_TERM_DAYS}")
        return days
    if setting.kind == "bool":
        return cells.read_bool(value)
    if setting.kind == "percent":
        return cells.read_percent(value)
    if setting.kind == "number":
        return cells.read_number(value)
    if setting.kind == "whole":
        try:
            number = cells.read_number(value)
        except cells.CellError:
            number = None
        if number is None or number != number.to_integral_value():
            raise cells.CellError(cells.EXPECT_INT)
        return int(number)
    if setting.kind == "choice":
        return cells.read_choice(value, setting.choices)
    if setting.kind == "buckets":
        text = cells.read_text(value).replace(";", ",")
        try:
            bounds = tuple(int(part) for part in text.split(",") if part.strip())
        except ValueError:
            raise cells.CellError("oplopende aantallen dagen, gescheiden door komma's (bijv. 30,60,90,120)") from None
        if not bounds or any(b <= 0 for b in bounds) or list(bounds) != sorted(set(bounds)):
            raise cells.CellError("oplopende aantallen dagen, gescheiden door komma's (bijv. 30,60,90,120)")
        return bounds
    raise AssertionError(setting.kind)  # pragma: no cover


def read_policy(frame: pd.DataFrame | None, header_of, problems: Collector) -> tuple[DunningStep, ...]:
    if frame is None or frame.empty:
        return DEFAULT_POLICY
    steps: list[DunningStep] = []
    rows_of: dict[int, int] = {}
    for row in frame.itertuples(index=False):
        action = next((a for a in POLICY_ACTIONS if a.casefold() == str(row.action).casefold()), None)
        if action is None:
            problems.error(
                "Aanmaanschema", row.excel_row, header_of["action"], row.action, "een van: " + ", ".join(POLICY_ACTIONS)
            )
            continue
        if pd.isna(row.step) or pd.isna(row.days):
            continue  # already reported as required
        term = None if pd.isna(row.term_days) else int(row.term_days)
        steps.append(DunningStep(int(row.step), action, str(row.applies_to), int(row.days), term))
        rows_of[len(steps) - 1] = int(row.excel_row)
    _check_consumer_route(steps, rows_of, header_of, problems)
    return tuple(sorted(steps, key=lambda s: (s.step, s.applies_to)))


def _check_consumer_route(steps: list[DunningStep], rows_of: dict[int, int], header_of, problems: Collector) -> None:
    """Refuse a schedule that breaks the consumer route (art. 6:82 and 6:96 lid 6 BW), naming the step.

    A consumer owes collection costs only after a 14-day letter sent once in verzuim. The
    plan puts a consumer in verzuim with a notice of default before the 14-day letter
    (without fatal terms); a schedule that puts that notice after the 14-day letter, gives
    the 14-day letter another term than the law's, or a notice no term, cannot be walked.
    """
    consumer = sorted(
        (i for i, s in enumerate(steps) if s.applies_to in ("consument", "alle")), key=lambda i: steps[i].step
    )
    first_letter = next((i for i in consumer if steps[i].action == "Veertiendagenbrief"), None)
    for i, step in enumerate(steps):
        row = rows_of[i]
        if step.action == "Veertiendagenbrief" and step.term_days not in (None, 14):
            problems.error(
                "Aanmaanschema",
                row,
                header_of["term_days"],
                step.term_days,
                f"leeg of 14 bij stap {step.step} (Veertiendagenbrief): de wet geeft de consument veertien dagen "
                "vanaf de dag na bezorging (art. 6:96 lid 6 BW)",
            )
        if step.action == "Ingebrekestelling" and not step.term_days:
            problems.error(
                "Aanmaanschema",
                row,
                header_of["term_days"],
                step.term_days,
                f"een termijn in dagen bij stap {step.step} (Ingebrekestelling): pas na een redelijke termijn is "
                "de debiteur in verzuim (art. 6:82 BW)",
            )
        if (
            first_letter is not None
            and i in consumer
            and step.action == "Ingebrekestelling"
            and step.step > steps[first_letter].step
        ):
            problems.error(
                "Aanmaanschema",
                row,
                header_of["step"],
                step.step,
                f"een stap vóór stap {steps[first_letter].step} (Veertiendagenbrief): een consument moet in verzuim "
                "zijn vóór de veertiendagenbrief, anders zijn er geen incassokosten (art. 6:96 lid 6 BW)",
            )


def read_rates(frame: pd.DataFrame | None) -> tuple[RateOverride, ...]:
    if frame is None:
        return ()
    overrides = []
    for row in frame.itertuples(index=False):
        if pd.isna(row.start_date):
            continue
        overrides.append(
            RateOverride(
                row.start_date.date(),
                None if row.statutory_pct is None else Decimal(row.statutory_pct),
                None if row.commercial_pct is None else Decimal(row.commercial_pct),
                int(row.excel_row),
            )
        )
    return tuple(sorted(overrides, key=lambda r: r.start_date))
