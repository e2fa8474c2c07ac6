"""The register workbook: schema, reading (file and live), validation, write-back.

``read_register(path)`` reads the workbook open in Excel when there is one
(xlwings), the .xlsx file otherwise, and returns a validated ``Register`` or
raises ``RegisterInvalid`` listing every problem.
"""

from __future__ import annotations

import gc
from pathlib import Path

from . import file_backend, live_backend, split_read
from .model import DEFAULT_POLICY, DunningStep, RateOverride, Register, Settings
from .problems import InputProblem, RegisterInvalid, WorkbookUnreadable
from .validation import build_register

__all__ = [
    "DEFAULT_POLICY",
    "DunningStep",
    "InputProblem",
    "RateOverride",
    "Register",
    "RegisterInvalid",
    "Settings",
    "WorkbookUnreadable",
    "read_register",
    "read_tables",
]


def read_tables(source, *, live: bool | None = None):
    """The raw tables of a workbook path or an open xlwings Book.

    ``live=None`` uses the open workbook when Excel has ``source`` open, the file
    otherwise; ``live=False`` always reads the file.
    """
    book = _open_book(source, live)
    return live_backend.read_tables(book) if book is not None else file_backend.read_tables(Path(source))


def _open_book(source, live: bool | None):
    """The xlwings Book to read, or None to read the file."""
    if not isinstance(source, (str, Path)):
        return source  # an xlwings Book
    path = Path(source)
    if live is not False:
        book = live_backend.find_open_book(path)
        if book is not None:
            return book
        if live:
            raise WorkbookUnreadable(f"Excel heeft '{path.name}' niet open.")
    return None


def _read_file(path: Path) -> dict:
    """The raw (or typed-ahead) tables of a register file, refused in Dutch when it is damaged."""
    from .write.xlsx.workbook import check_package

    if split_read.worth_splitting(path):
        tables = split_read.read_typed(path)  # a large file: two processes
    else:
        tables = file_backend.read_tables(path)  # both check every member's CRC before believing a cell
    # What a write will need (workbook.xml, relationships, styles, Tables) is checked too, so a
    # register that reads as valid can also be written.
    check_package(path, verify=False)
    return tables


def read_register(source, *, live: bool | None = None) -> Register:
    """Read and validate a register (see ``read_tables`` for ``live``)."""
    path = Path(source) if isinstance(source, (str, Path)) else Path(getattr(source, "fullname", ""))
    # Reading makes millions of small objects and no reference cycles: the cyclic
    # garbage collector would only rescan them again and again.
    enabled = gc.isenabled()
    gc.disable()
    try:
        book = _open_book(source, live)
        if book is not None:
            tables = live_backend.read_tables(book)
        else:
            tables = _read_file(Path(source))
        return build_register(tables, source=path)
    finally:
        if enabled:
            gc.enable()
