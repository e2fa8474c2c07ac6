"""Input problems: where a cell is wrong and what was expected, in Dutch.

Checks collect problems instead of raising at the first one, so a controller
sees everything to fix at once.

>>> p = InputProblem("Facturen", 17, "Vervaldatum", "31-02-2025", "een geldige datum (dd-mm-jjjj)")
>>> str(p)
"Blad 'Facturen', rij 17, kolom 'Vervaldatum': '31-02-2025' is ongeldig; verwacht: een geldige datum (dd-mm-jjjj)."
>>> str(InputProblem("Debiteuren", 4, "Naam", "Bakkerij\\nJansen", "een naam op één regel"))
"Blad 'Debiteuren', rij 4, kolom 'Naam': 'Bakkerij ↵ Jansen' is ongeldig; verwacht: een naam op één regel."
>>> str(InputProblem("Betalingen", None, None, None, "", message="Het blad ontbreekt."))
"Blad 'Betalingen': Het blad ontbreekt."
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from ..dutch import format_date, format_datetime
from ..errors import DebiteurenError


@dataclass(frozen=True)
class InputProblem:
    """One problem in the register, pointing at sheet, Excel row and column.

    ``message`` overrides the standard sentence "'value' is ongeldig;
    verwacht: expected." for problems that are not about a single value.
    """

    sheet: str
    row: int | None
    column: str | None
    value: object
    expected: str
    message: str | None = None
    severity: str = "fout"  # "fout" blocks; "waarschuwing" does not

    def location(self) -> str:
        parts = [f"Blad '{self.sheet}'"]
        if self.row is not None:
            parts.append(f"rij {self.row}")
        if self.column is not None:
            parts.append(f"kolom '{self.column}'")
        return ", ".join(parts)

    def __str__(self) -> str:
        if self.message is not None:
            return f"{self.location()}: {self.message}"
        return f"{self.location()}: {show_value(self.value)} is ongeldig; verwacht: {self.expected}."


def show_value(value: object) -> str:
    """A cell value as the controller would recognise it in Excel."""
    if value is None or value == "":
        return "(leeg)"
    if isinstance(value, datetime):
        if value.time() == datetime.min.time():
            return f"'{format_date(value)}'"
        return f"'{format_datetime(value)}'"
    if isinstance(value, date):
        return f"'{format_date(value)}'"
    if isinstance(value, float) and value.is_integer():
        return f"'{int(value)}'"
    if isinstance(value, str) and ("\n" in value or "\r" in value):
        # A line break typed with Alt+Enter would split the message over lines: shown as Excel's ↵ would be.
        value = value.replace("\r\n", "\n").replace("\r", "\n").replace("\n", " ↵ ")
    return f"'{value}'"


class RegisterInvalid(DebiteurenError):
    """The register has errors; nothing may be computed or written from it."""

    lead = ""  # the report's head line says it already

    def __init__(self, problems: list[InputProblem] | tuple[InputProblem, ...], warnings=()):
        self.problems = tuple(problems)
        self.warnings = tuple(warnings)
        super().__init__(self.report())

    def report(self) -> str:
        count = len(self.problems)
        head = f"Het register bevat {count} fout{'en' if count != 1 else ''}:"
        return "\n".join([head, *(f"- {p}" for p in self.problems)])

    def lines(self) -> list[str]:
        return self.report().splitlines()


class WorkbookUnreadable(DebiteurenError):
    """The file cannot be opened as a register at all (missing, corrupt, wrong format)."""
