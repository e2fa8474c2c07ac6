"""An import run with its refusals turned into one Dutch message (``attempt_import``).

The import commands (``cli/imports.py``) and the notebook's Importeren tab both run
their imports through it, so they refuse with the same words.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from .errors import user_lines
from .register import RegisterInvalid, WorkbookUnreadable
from .register.write.messages import WriteBackRefused

NOTHING_CHANGED = "Er is niets geïmporteerd; de werkmap is niet gewijzigd."


class ImportAttempt(NamedTuple):
    """The import's result, or (when it was refused) ``None`` and the Dutch message."""

    result: object | None
    refusal: str | None = None


def attempt_import(do_import: Callable[[], object], refusals: tuple[type[Exception], ...]) -> ImportAttempt:
    """Run an import; a refusal (bad file, invalid register, write refused) becomes one Dutch message.

    Every refusal is raised before anything is written, so the message always
    ends with ``NOTHING_CHANGED``.
    """
    try:
        return ImportAttempt(do_import())
    except (*refusals, WorkbookUnreadable, RegisterInvalid, WriteBackRefused) as error:
        return ImportAttempt(None, "\n".join([*user_lines(error), NOTHING_CHANGED]))
