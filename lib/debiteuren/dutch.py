"""Dates, day counts and numbers as a Dutch controller reads them: the one place for their notation.

Amounts of money are written by ``money.format_eur`` (money.py is the one place that rounds);
it is re-exported here so a module that writes Dutch text finds every notation in one import.

>>> from datetime import date, datetime
>>> format_date(date(2025, 7, 1))
'01-07-2025'
>>> format_datetime(datetime(2026, 10, 31, 9, 5))
'31-10-2026 09:05'
>>> format_eur(Decimal("1234.5"))
'€ 1.234,50'
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from .money import format_eur

__all__ = [
    "DATE_FORMAT",
    "decimal_comma",
    "format_date",
    "format_datetime",
    "format_days",
    "format_eur",
    "format_figure",
    "format_month",
]

DATE_FORMAT = "%d-%m-%Y"  # dd-mm-jjjj, as Excel shows a date in the Dutch locale


def format_date(day: date) -> str:
    """A date (or a datetime or pandas Timestamp: its day) as dd-mm-jjjj.

    >>> import pandas as pd
    >>> format_date(date(2026, 2, 3)), format_date(datetime(2026, 2, 3, 23, 59)), format_date(pd.Timestamp("2026-02-03"))
    ('03-02-2026', '03-02-2026', '03-02-2026')
    """
    return format(day, DATE_FORMAT)


def format_datetime(moment: datetime) -> str:
    """A moment as dd-mm-jjjj uu:mm (a log line, a result sheet's title line).

    >>> format_datetime(datetime(2026, 12, 4, 14, 30, 59))
    '04-12-2026 14:30'
    """
    return format(moment, f"{DATE_FORMAT} %H:%M")


def format_month(day: date) -> str:
    """The month of a date, as a chart's axis labels a point: ``okt 2026`` (babel's Dutch abbreviations).

    >>> format_month(date(2026, 10, 31)), format_month(date(2026, 3, 1))
    ('okt 2026', 'mrt 2026')
    """
    from babel.dates import format_date as babel_date  # babel is slow to import; only charts need it

    return babel_date(day, "MMM yyyy", locale="nl")


def decimal_comma(value: Decimal | int) -> str:
    """A number as written, with a decimal comma and no thousands separator.

    >>> decimal_comma(Decimal("45.5")), decimal_comma(12), decimal_comma(Decimal("-0.25"))
    ('45,5', '12', '-0,25')
    """
    return f"{value}".replace(".", ",")


def format_figure(value: Decimal | None) -> str:
    """A day count or ratio to one decimal: a point between thousands, a decimal comma; '-' for none.

    >>> format_figure(Decimal("1234.5")), format_figure(Decimal("45")), format_figure(None)
    ('1.234,5', '45,0', '-')
    """
    if value is None:
        return "-"
    text = f"{value:,.1f}"
    return text.replace(",", "_").replace(".", ",").replace("_", ".")


def format_days(value: Decimal | None) -> str:
    """A number of days (an average, a DSO) as the review writes it; '-' for none.

    >>> format_days(Decimal("45.3")), format_days(Decimal("1234")), format_days(None)
    ('45,3 dagen', '1.234,0 dagen', '-')
    """
    return "-" if value is None else f"{format_figure(value)} dagen"
