"""What the import commands (import-bank, import-openposten) share: Dutch refusals, JSON or text output."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable

from .register import RegisterInvalid, WorkbookUnreadable
from .register.writeback import WriteBackRefused

NOTHING_CHANGED = "Er is niets geïmporteerd; de werkmap is niet gewijzigd."


def run_import(
    do_import: Callable[[], object],
    refusals: tuple[type[Exception], ...],
    *,
    as_json: bool,
    to_json: Callable[[object], dict],
    to_text: Callable[[object], str],
) -> int:
    """Run an import, print its result; every refusal is one Dutch message and exit code 1."""
    try:
        result = do_import()
    except (*refusals, WorkbookUnreadable) as error:
        print(f"Fout: {error}\n{NOTHING_CHANGED}", file=sys.stderr)
        return 1
    except RegisterInvalid as invalid:
        print(f"{invalid.report()}\n{NOTHING_CHANGED}", file=sys.stderr)
        return 1
    except WriteBackRefused as refused:
        print(f"Niet teruggeschreven: {refused}\n{NOTHING_CHANGED}", file=sys.stderr)
        return 1
    print(json.dumps(to_json(result), ensure_ascii=False, indent=2) if as_json else to_text(result))
    return 0
