"""From raw tables to a typed, validated Register, with every problem at once.

Reading types each sheet and collects the problems of single cells. Then the
checks across rows and sheets run, each a function ``(frames, settings) ->
problems`` listed in ``CHECKS``, on what the controller typed; the defaults
are filled in as a step of their own (``with_defaults``), and the warnings
about what a default means (``CHECKS_WITH_DEFAULTS``) run after it. Nothing
raises until every check has run. Errors block (``RegisterInvalid``); warnings
travel with the Register so the review can show them.
"""

from __future__ import annotations

from pathlib import Path
from types import MappingProxyType

from ..law.rates import OVERRIDE_SHEET, check_overrides
from .checks import CHECKS, CHECKS_WITH_DEFAULTS, Frames, with_defaults
from .model import KeyTypes, Register
from .problem_collector import Collector
from .problems import InputProblem, RegisterInvalid
from .schema import SHEETS
from .settings_sheets import read_policy, read_rates, read_settings
from .sheet_typing import TYPED_SHEETS, TypedSheet, empty_frame, numeric_keys, read_sheet
from .tables import RawTable


def build_register(tables: dict[str, RawTable | TypedSheet | None], source: Path | None = None) -> Register:
    """Type and validate the raw tables; raise ``RegisterInvalid`` listing every error."""
    problems = Collector()
    settings = read_settings(tables.get("Instellingen"), problems)
    read = {}
    numeric: set[str] = set()
    for name in TYPED_SHEETS:
        spec = SHEETS[name]
        table = tables.get(name)
        if isinstance(table, TypedSheet):
            problems.errors.extend(table.errors)
            problems.warnings.extend(table.warnings)
            result = table.result
            numeric |= table.numeric_keys
        else:
            result = read_sheet(table, spec, problems)
            numeric |= numeric_keys(table, spec)
        read[name] = (
            result if result is not None else (None if table is not None or spec.required else empty_frame(spec))
        )
    if any(v is None for k, v in read.items() if k in ("Debiteuren", "Facturen", "Betalingen", "Acties")):
        # A sheet is missing or lacks a required column: the rest cannot be checked reliably.
        raise RegisterInvalid(problems.ordered(problems.errors), problems.ordered(problems.warnings))

    arrangements_read = read["Regelingen"] or empty_frame(SHEETS["Regelingen"])
    policy_frame, h_pol = read["Aanmaanschema"] or (None, {})
    rates_frame, _ = read["Rentetabel"] or (None, {})
    frames = Frames(
        debtors=read["Debiteuren"][0],
        invoices=read["Facturen"][0],
        payments=read["Betalingen"][0],
        actions=read["Acties"][0],
        arrangements=arrangements_read[0],
        headers=MappingProxyType({
            "Debiteuren": read["Debiteuren"][1], "Facturen": read["Facturen"][1], "Betalingen": read["Betalingen"][1],
            "Acties": read["Acties"][1], "Regelingen": arrangements_read[1],
        }),
    )  # fmt: skip
    for check in CHECKS:
        problems.add(check(frames, settings))
    frames = with_defaults(frames, settings)
    for check in CHECKS_WITH_DEFAULTS:
        problems.add(check(frames, settings))
    debtors, invoices, payments, actions, arrangements = (
        frames.debtors, frames.invoices, frames.payments, frames.actions, frames.arrangements
    )  # fmt: skip

    policy = read_policy(policy_frame, h_pol, problems)
    rate_overrides = read_rates(rates_frame)
    # The law layer knows what a sane rate table is; its findings become the register's problems.
    problems.errors.extend(
        InputProblem(OVERRIDE_SHEET, p.excel_row, p.column, p.value, p.expected)
        for p in check_overrides(rate_overrides)
    )

    if problems.errors:
        raise RegisterInvalid(problems.ordered(problems.errors), problems.ordered(problems.warnings))
    return Register(
        debtors=debtors,
        invoices=invoices,
        payments=payments,
        actions=actions,
        arrangements=arrangements,
        settings=settings,
        policy=policy,
        rate_overrides=rate_overrides,
        warnings=tuple(problems.ordered(problems.warnings)),
        source=source,
        key_types=KeyTypes(debtor_ids="debtor_id" in numeric, invoice_ids="invoice_id" in numeric),
    )
