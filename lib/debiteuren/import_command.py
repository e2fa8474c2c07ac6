"""What the imports (import-bank, import-openposten, and the notebook's import step) share.

``attempt_import`` runs an import and turns every refusal into one Dutch
message; ``run_import`` is the commands' use of it (JSON or text on stdout,
the message on stderr, exit code). The notebook shows the same message in a
widget, so the command line and the notebook refuse with the same words.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from typing import NamedTuple

from .register import RegisterInvalid, WorkbookUnreadable
from .register.writeback import WriteBackRefused

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
    except (*refusals, WorkbookUnreadable) as error:
        return ImportAttempt(None, f"Fout: {error}\n{NOTHING_CHANGED}")
    except RegisterInvalid as invalid:
        return ImportAttempt(None, f"{invalid.report()}\n{NOTHING_CHANGED}")
    except WriteBackRefused as refused:
        return ImportAttempt(None, f"Niet teruggeschreven: {refused}\n{NOTHING_CHANGED}")


def run_import(
    do_import: Callable[[], object],
    refusals: tuple[type[Exception], ...],
    *,
    as_json: bool,
    to_json: Callable[[object], dict],
    to_text: Callable[[object], str],
) -> int:
    """Run an import, print its result; every refusal is one Dutch message and exit code 1."""
    attempt = attempt_import(do_import, refusals)
    if attempt.refusal is not None:
        print(attempt.refusal, file=sys.stderr)
        return 1
    result = attempt.result
    print(json.dumps(to_json(result), ensure_ascii=False, indent=2) if as_json else to_text(result))
    return 0
