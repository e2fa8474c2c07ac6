"""The monthly run: read the register, review it, write the results back.

One orchestration for the command line and the notebooks alike. The register
is read from the workbook open in Excel when there is one (and the results go
back into it), from the .xlsx file otherwise. The clock is a parameter: the
caller passes ``generated_at`` (the edge owns ``datetime.now()``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from .register import Register, read_register
from .register.live_backend import find_open_book
from .register.writeback import WriteReport, write_back
from .result_sheets import result_sheets
from .review import Review, review


@dataclass(frozen=True)
class MonthlyRun:
    register: Register
    review: Review
    written: WriteReport | None  # None when the workbook was left alone


def workbook_target(source):
    """The open xlwings Book for ``source`` when Excel has it open, else the path itself."""
    if isinstance(source, (str, Path)):
        book = find_open_book(Path(source))
        return book if book is not None else Path(source)
    return source  # already a Book


def run_month(source, peildatum: date, *, generated_at: datetime, write: bool = True) -> MonthlyRun:
    """Review ``source`` as of ``peildatum`` and (unless ``write=False``) write the result sheets back.

    Raises ``RegisterInvalid`` / ``WorkbookUnreadable`` before anything is
    computed, ``WriteBackRefused`` (e.g. ``WorkbookLocked``) before anything is written.
    """
    target = workbook_target(source)
    register = read_register(target)
    result = review(register, peildatum)
    written = None
    if write:
        written = write_back(target, result_sheets(result), None, generated_at=generated_at, peildatum=peildatum)
    return MonthlyRun(register, result, written)
