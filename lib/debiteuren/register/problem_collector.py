"""The problems of a register found so far, errors and warnings apart, collected not raised (beancount's way)."""

from __future__ import annotations

from .problems import InputProblem
from .schema import SHEETS

WARNING = "waarschuwing"


class Collector:
    """The problems found so far, errors and warnings apart."""

    @staticmethod
    def ordered(problems: list[InputProblem]) -> list[InputProblem]:
        """Sheet by sheet, top to bottom, as a controller works through them."""
        order = {name: i for i, name in enumerate(SHEETS)}
        return sorted(problems, key=lambda p: (order.get(p.sheet, len(order)), p.row or 0))

    def __init__(self) -> None:
        self.errors: list[InputProblem] = []
        self.warnings: list[InputProblem] = []

    def error(self, sheet, row, column, value, expected, message=None) -> None:
        self.errors.append(InputProblem(sheet, row, column, value, expected, message))

    def warn(self, sheet, row, column, value, expected, message=None) -> None:
        self.warnings.append(InputProblem(sheet, row, column, value, expected, message, WARNING))

    def found(self) -> list[InputProblem]:
        """What a check returns: its errors, then its warnings."""
        return [*self.errors, *self.warnings]

    def add(self, found: list[InputProblem]) -> None:
        """A check's problems, errors and warnings apart (each list keeps the order they came in)."""
        for problem in found:
            (self.warnings if problem.severity == WARNING else self.errors).append(problem)
