"""Writing results back into the register: ``write_back`` to a workbook file or an open xlwings Book.

The write path lives in ``register/write/`` (see docs/development.md, "The write path"):
``plan`` (which cells, of which kind, where), ``messages`` (the Dutch refusals),
``formats`` (cell kinds and number formats), ``file_safety`` (lock, backups, atomic
replace), ``xlsx/`` (the file writer's parts), ``file_writer`` and ``live`` (the two
writers). This module is the entry point both front ends call; it also re-exports the
names that used to live here, so ``from debiteuren.register.writeback import ...`` keeps
working.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from pathlib import Path

import pandas as pd

from .model import KeyTypes
from .schema import ACTIES, RESULT_SHEETS, SHEETS, header_key
from .write.file_safety import BACKUP_FOLDER
from .write.formats import (
    BUILTIN_DATE_IDS,
    BUILTIN_FORMATS,
    DATE,
    DATE_FORMAT,
    DATETIME,
    DATETIME_FORMAT,
    EURO_FORMAT,
    FORMAT_FOR_KIND,
    FORMULA_STARTS,
    GENERAL_FORMAT,
    MONEY,
    NUMBER,
    TEXT,
    TEXT_FORMAT,
    column_letter,
    format_suits,
    is_date_format,
    needs_text_guard,
)
from .write.messages import (
    OS_ERROR_TEXTS,
    WorkbookBusy,
    WorkbookLocked,
    WriteBackRefused,
    busy_message,
    cells_in_the_way_message,
    changed_meanwhile_message,
    file_error_text,
    key_column_missing_message,
    locked_message,
    missing_actions_sheet_message,
    no_header_message,
    not_a_worksheet_message,
    os_error_text,
    read_only_message,
    replace_failed_message,
    totals_row_message,
    unsupported_workbook_message,
    write_failed_message,
)
from .write.plan import (
    ACTION_KINDS_BY_CELL,
    ACTIONS_SHEET,
    EXCEL_CELL_CHARACTERS,
    HEADER_ROW,
    TABLE_STYLE,
    TITLE_ROW,
    TOTALS_LABEL,
    ActionCells,
    AppendPlacement,
    PlannedColumn,
    ResultSheet,
    SheetCells,
    WriteReport,
    _earlier_table,
    infer_kind,
    place_appended_rows,
    plan_actions,
    plan_result_sheet,
    split_long_invoice_lists,
    structured_column,
    title_line,
)


def _is_path(target) -> bool:
    return isinstance(target, (str, os.PathLike))


def write_back(
    target,
    sheets: Sequence[ResultSheet],
    actions: pd.DataFrame | None,
    *,
    generated_at: datetime,
    peildatum: date,
    backups: int = 10,
    appends: Mapping[str, pd.DataFrame] | None = None,
    key_types: KeyTypes | None = None,
) -> WriteReport:
    """Write result sheets and append actions to a workbook file or an open xlwings Book.

    ``key_types`` is the register's (``Register.key_types``): debtor numbers (and
    invoice numbers) are written as numbers wherever the register holds them as
    numbers; without it they are text.

    Raises ``WorkbookLocked`` when the file is open in Excel or LibreOffice,
    ``WriteBackRefused`` when writing would overwrite something of the
    controller's, ``WorkbookUnreadable`` when the file is no workbook. In all
    of these cases nothing was written.
    """
    # The writers are imported when used: a caller that only plans never loads lxml or xlwings code.
    from .write import file_safety, file_writer, live

    names = [s.name for s in sheets]
    unknown = [n for n in names if n not in RESULT_SHEETS]
    if unknown:
        raise ValueError(f"only the result sheets {RESULT_SHEETS} are written, not {unknown}")
    if len({n.casefold() for n in names}) != len(names):
        raise ValueError(f"a result sheet is given twice: {names}")
    to_append = [(ACTIES, actions)] if actions is not None else []
    for name, frame in (appends or {}).items():
        spec = next((spec for key, spec in SHEETS.items() if header_key(key) == header_key(name)), None)
        if spec is None or spec.name in ("Instellingen", "Aanmaanschema", "Rentetabel"):
            raise ValueError(f"rows are appended only to the register's data tables, not to {name!r}")
        to_append.append((spec, frame))
    action_cells = [
        plan_actions(split_long_invoice_lists(frame) if spec is ACTIES else frame, spec, key_types)
        for spec, frame in to_append
        if frame is not None and len(frame)
    ]
    backend = file_writer if _is_path(target) else live
    if _is_path(target):
        file_safety.check_writable(Path(target))  # refuse before reading anything
    plans = [
        plan_result_sheet(
            sheet,
            generated_at=generated_at,
            peildatum=peildatum,
            existing=backend.existing_grid(target, sheet.name) if sheet.append_key else None,
            key_types=key_types,
        )
        for sheet in sheets
    ]
    if _is_path(target):
        return file_writer.write(Path(target), plans, action_cells, generated_at=generated_at, backups=backups)
    return live.write(target, plans, action_cells)


__all__ = [
    "ACTIONS_SHEET",
    "ACTION_KINDS_BY_CELL",
    "ActionCells",
    "AppendPlacement",
    "BACKUP_FOLDER",
    "BUILTIN_DATE_IDS",
    "BUILTIN_FORMATS",
    "DATE",
    "DATETIME",
    "DATETIME_FORMAT",
    "DATE_FORMAT",
    "EURO_FORMAT",
    "EXCEL_CELL_CHARACTERS",
    "FORMAT_FOR_KIND",
    "FORMULA_STARTS",
    "GENERAL_FORMAT",
    "HEADER_ROW",
    "MONEY",
    "NUMBER",
    "OS_ERROR_TEXTS",
    "PlannedColumn",
    "ResultSheet",
    "SheetCells",
    "TABLE_STYLE",
    "TEXT",
    "TEXT_FORMAT",
    "TITLE_ROW",
    "TOTALS_LABEL",
    "WorkbookBusy",
    "WorkbookLocked",
    "WriteBackRefused",
    "WriteReport",
    "_earlier_table",
    "busy_message",
    "cells_in_the_way_message",
    "changed_meanwhile_message",
    "column_letter",
    "file_error_text",
    "format_suits",
    "infer_kind",
    "is_date_format",
    "key_column_missing_message",
    "locked_message",
    "missing_actions_sheet_message",
    "needs_text_guard",
    "no_header_message",
    "not_a_worksheet_message",
    "os_error_text",
    "place_appended_rows",
    "plan_actions",
    "plan_result_sheet",
    "read_only_message",
    "replace_failed_message",
    "split_long_invoice_lists",
    "structured_column",
    "title_line",
    "totals_row_message",
    "unsupported_workbook_message",
    "write_back",
    "write_failed_message",
]
