"""One error model: the root of every error the package raises on purpose, and how a user sees an error.

Every exception class the package raises for a situation the user can act on (an invalid
register, a workbook that cannot be read or written, a bank statement that is not one, an
amount or date that cannot be used, letters that were not made) derives from
``DebiteurenError`` and carries its Dutch text as its message. Those classes stay in the
module of their concept; this module imports none of them, so every module can import it.

``user_lines`` is the one function that turns any error into the Dutch lines a user sees; the
command line and the app both use it. An error that is not a ``DebiteurenError`` nor a file
problem is a bug: it is shown as an unexpected error with the hint how to see the traceback,
never as a mistake of the user.

>>> user_lines(InvalidInput("'31-02-2026' is geen datum."))
["Fout: '31-02-2026' is geen datum."]
>>> user_lines(NotWritten("De werkmap 'x.xlsx' is alleen-lezen."))
["Niet teruggeschreven: De werkmap 'x.xlsx' is alleen-lezen."]
>>> user_lines(InvalidInput("'31-02-2026' is geen datum."), lead=False)
["'31-02-2026' is geen datum."]
>>> user_lines(KeyError("debtor_id"), debug=False)
["Onverwachte fout: KeyError: 'debtor_id'", 'Zet DEBITEUREN_DEBUG=1 en voer de opdracht opnieuw uit voor de technische details.']
"""

from __future__ import annotations

import errno
import os
import traceback

DEBUG_VARIABLE = "DEBITEUREN_DEBUG"
DEBUG_HINT = f"Zet {DEBUG_VARIABLE}=1 en voer de opdracht opnieuw uit voor de technische details."

# Sentences more than one front end says: written once, here.
NO_INVOICES = "bevat nog geen facturen"  # the register holds debtors and sheets, but no invoice rows
LETTERS_NOT_LOGGED = "De brieven zijn gemaakt, maar niet in het logboek gezet"
NOT_A_DATE_EXPECTED = "verwacht jjjj-mm-dd of dd-mm-jjjj, bijv. 2026-11-30 of 30-11-2026"


def not_a_date(text: str) -> str:
    """A typed date that cannot be read, said the same way on the command line and in the app.

    >>> not_a_date("31-02-2026")
    "'31-02-2026' is geen datum (verwacht jjjj-mm-dd of dd-mm-jjjj, bijv. 2026-11-30 of 30-11-2026)"
    """
    return f"'{text}' is geen datum ({NOT_A_DATE_EXPECTED})"


class DebiteurenError(Exception):
    """An error the user can act on; its message is the Dutch text the user reads.

    ``lead`` opens the message where the user reads it among other output (the command line);
    ``lines`` are the message's lines without it.
    """

    lead = "Fout: "

    def lines(self) -> list[str]:
        return str(self).splitlines() or [type(self).__name__]


class InvalidInput(DebiteurenError, ValueError):
    """What the user gave (a cell, a file, an amount, a date, a setting) cannot be used.

    Also a ``ValueError``, as the classes that derive from it always were.
    """


class NotWritten(DebiteurenError):
    """Writing would overwrite or lose something of the user's, or cannot be done: nothing was written."""

    lead = "Niet teruggeschreven: "


def is_debug(environ=None) -> bool:
    """True when the user asked for the technical details (``DEBITEUREN_DEBUG=1``)."""
    return bool((os.environ if environ is None else environ).get(DEBUG_VARIABLE))


# The causes a controller can act on, in Dutch (the system's own text is often English).
OS_ERROR_TEXTS = {
    errno.ENOSPC: "de schijf is vol",
    getattr(errno, "EDQUOT", -1): "de schijfruimte (quotum) is op",  # not on every platform
    errno.EACCES: "geen schrijfrechten",
    errno.EPERM: "geen schrijfrechten",
    errno.EROFS: "de schijf is alleen-lezen",
}


def os_error_text(error: OSError) -> str:
    """Why a file could not be read or written, in Dutch when the cause is a common one.

    >>> os_error_text(OSError(errno.ENOSPC, "No space left on device"))
    'de schijf is vol'
    """
    return OS_ERROR_TEXTS.get(error.errno) or str(error.strerror or error)


def file_error_text(error: OSError) -> str:
    """A file or folder that could not be read or written, and why, in Dutch (no full stop).

    >>> file_error_text(OSError(errno.ENOSPC, "No space left on device", "/brieven/a.docx"))
    'een bestand of map is niet te lezen of te schrijven (/brieven/a.docx): de schijf is vol'
    """
    where = f" ({error.filename})" if getattr(error, "filename", None) else ""
    return f"een bestand of map is niet te lezen of te schrijven{where}: {os_error_text(error)}"


def user_lines(error: BaseException, *, lead: bool = True, debug: bool | None = None) -> list[str]:
    """The Dutch lines a user sees for ``error``.

    ``lead=False`` leaves out the opening "Fout: " where the display already says it is an
    error (the app's red message area). A bug (anything not foreseen) is shown as an
    unexpected error with the hint for ``DEBITEUREN_DEBUG=1``; with that variable set the
    traceback follows (the command line re-raises instead, so Python prints it).
    """
    if isinstance(error, DebiteurenError):
        lines = list(error.lines())
        if lead and error.lead:
            lines[0] = f"{error.lead}{lines[0]}"
        return lines
    if isinstance(error, OSError):  # a full disk, a folder that cannot be written, a file in use
        text = f"{file_error_text(error)}."
        return [f"Fout: {text}" if lead else f"{text[0].upper()}{text[1:]}"]
    lines = [f"Onverwachte fout: {type(error).__name__}: {error}", DEBUG_HINT]
    if is_debug() if debug is None else debug:
        lines += "".join(traceback.format_exception(type(error), error, error.__traceback__)).splitlines()
    return lines
