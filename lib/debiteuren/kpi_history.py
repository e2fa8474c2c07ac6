"""The key figures over time: the DSO of every earlier peildatum, as the Kerncijfers sheet keeps them.

Each write-back adds (or replaces) one Kerncijfers row per peildatum, so the sheet is the
history; the review in hand supplies the row for its own peildatum (it may not be written
yet). The monthly review's trend chart shows these points, each labelled with the month
of its peildatum (``TrendPoint.month``).

>>> grid = [["Kerncijfers, geschreven 01-11-2026 09:00"], ["Peildatum", "DSO (terugrekenmethode)"],
...         [datetime(2026, 9, 30), 41.5], [datetime(2026, 10, 31), None]]
>>> [(p.month, p.dso) for p in dso_trend(grid)]
[('sep 2026', Decimal('41.5')), ('okt 2026', None)]
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from .dutch import format_month
from .register.write import file_writer
from .register.write.plan import _earlier_table
from .result_sheets import kerncijfers
from .review import Review

DSO_COLUMN = "DSO (terugrekenmethode)"
PEILDATUM_COLUMN = "Peildatum"
SHEET = "Kerncijfers"


@dataclass(frozen=True)
class TrendPoint:
    peildatum: date
    dso: Decimal | None  # None: the row has no DSO (no sales in the period, or a cell not a number)

    @property
    def month(self) -> str:
        """The label of the point: the month of its peildatum (never the next month's first day)."""
        return format_month(self.peildatum)


def kerncijfers_grid(target) -> list[list[object]] | None:
    """The Kerncijfers sheet's cells of ``target`` (a path, or the workbook open in Excel); None without one."""
    if isinstance(target, Path):
        return file_writer.existing_grid(target, SHEET) if target.exists() else None
    from .register.write import live as live_writer  # xlwings only for a workbook open in Excel

    return live_writer.existing_grid(target, SHEET)


def dso_trend(grid: list[list[object]] | None, review: Review | None = None) -> tuple[TrendPoint, ...]:
    """DSO per peildatum from Kerncijfers' rows (``grid``), oldest first; ``review``'s own row replaces the
    sheet's row of its peildatum. Rows without a date in Peildatum are not history and are left out."""
    points: dict[date, Decimal | None] = {}
    table = _earlier_table(grid, PEILDATUM_COLUMN) if grid else None
    if table is not None:
        headers, rows = table
        if PEILDATUM_COLUMN in headers and DSO_COLUMN in headers:
            at, dso = headers.index(PEILDATUM_COLUMN), headers.index(DSO_COLUMN)
            for row in rows:
                when = row[at]
                if isinstance(when, datetime):
                    when = when.date()
                if isinstance(when, date):
                    value = row[dso]
                    # repr: the float Excel stored, as written (41.5, not 41.499999...)
                    points[when] = Decimal(repr(value)) if isinstance(value, (int, float)) else None
    if review is not None:
        points[review.peildatum] = kerncijfers(review).iloc[0][DSO_COLUMN]
    return tuple(TrendPoint(d, points[d]) for d in sorted(points))


def kerncijfers_trend(target, review: Review | None = None) -> tuple[TrendPoint, ...]:
    """The DSO trend of the register ``target``: its Kerncijfers rows, with ``review``'s row for its peildatum."""
    return dso_trend(kerncijfers_grid(target), review)
