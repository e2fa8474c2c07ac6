"""Day numbers: dates as int64 days since 1970-01-01, for vectorised arithmetic (numpy)."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd

from ..dutch import format_date

_EPOCH = date(1970, 1, 1)
OPEN = 10**6  # "never paid" in day arithmetic


def day_number(d: date) -> int:
    return (d - _EPOCH).days


def day_date(day: int) -> date:
    return _EPOCH + timedelta(days=int(day))


def _weekday(days):
    """Monday 0 .. Sunday 6 (1970-01-01 was a Thursday)."""
    return (days + 3) % 7


def next_weekday(days):
    """Saturday and Sunday move to the Monday after (bank and office days).

    Day numbers in, day numbers out: an array or a single int.
    """
    wd = _weekday(days)
    return days + np.where(wd == 5, 2, np.where(wd == 6, 1, 0))


def previous_weekday(days):
    """Saturday and Sunday move to the Friday before (invoices are dated on weekdays)."""
    wd = _weekday(days)
    return days - np.where(wd == 5, 1, np.where(wd == 6, 2, 0))


def month_start(d: date, months: int) -> date:
    index = d.year * 12 + d.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def nl_date(d: date) -> str:
    return format_date(d)


def datetimes(days) -> pd.Series:
    """Day numbers (None where empty) as datetime64[ns], NaT where empty."""
    return pd.to_datetime(pd.Series(days, dtype="Int64"), unit="D").astype("datetime64[ns]")
