"""What the import commands (import-bank, import-openposten) share.

``run_import`` runs an import through ``import_attempt.attempt_import`` (every
refusal one Dutch message, as the notebook's Importeren tab shows it) and prints it (text on stdout and the
refusal on stderr, or with ``--json`` one JSON object on stdout for every
outcome, refusals included; exit code). The notebook shows the same message in a
widget, so the command line and the notebook refuse with the same words.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path

from ..import_attempt import NOTHING_CHANGED, attempt_import


def holding_register(werkmap, do_import: Callable[[], object], *, writes: bool) -> Callable[[], object]:
    """``do_import`` holding the register's lock from its read to its last write, when it writes a file.

    Two imports started together would otherwise both read, both find a payment new and both
    book it; with the lock the second is refused (``WorkbookBusy``) before it reads.
    """
    path = Path(werkmap)
    if not writes or not path.is_file():
        return do_import

    def locked():
        from ..register.write.file_safety import register_lock

        with register_lock(path) as taken_over:
            if taken_over:
                print(taken_over, file=sys.stderr)
            return do_import()

    return locked


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
        if as_json:
            print(json.dumps(refusal_json(attempt.refusal), ensure_ascii=False, indent=2))
        else:
            print(attempt.refusal, file=sys.stderr)
        return 1
    result = attempt.result
    print(
        json.dumps({"refused": False, **to_json(result)}, ensure_ascii=False, indent=2) if as_json else to_text(result)
    )
    return 0


def refusal_json(refusal: str) -> dict:
    """A refusal as the JSON object of ``--json``: the Dutch message, and that nothing was changed.

    >>> refusal_json("Fout: Het bankafschrift 'x.xml' bestaat niet; controleer het pad.\\n" + NOTHING_CHANGED)
    {'refused': True, 'message': "Fout: Het bankafschrift 'x.xml' bestaat niet; controleer het pad.", 'changed': False}
    """
    lines = refusal.splitlines()
    if lines and lines[-1] == NOTHING_CHANGED:
        lines = lines[:-1]
    return {"refused": True, "message": "\n".join(lines), "changed": False}
