"""Deadlines: presumed delivery of a letter, the 14-day term (art. 6:96 lid 6 BW), the Algemene termijnenwet.

**Holidays.** The Algemene termijnenwet (Atw) art. 3 names Nieuwjaarsdag, Goede
Vrijdag, tweede Paasdag, Koningsdag (27 April, 26 April when the 27th is a Sunday;
before 2014 Koninginnedag), 5 mei, Hemelvaartsdag, tweede Pinksterdag and eerste en
tweede Kerstdag. They come from ``holidays.NL(categories=("public", "optional"))``,
which has 5 May every year (the tests restate them independently). Its list also
holds Easter Sunday and Whit Sunday, which are Sundays anyway.

>>> is_holiday(date(2025, 4, 26)), is_holiday(date(2025, 4, 27)), is_holiday(date(2025, 5, 5))
(True, False, True)

**Presumed delivery** (``shared/legal.md`` §4), read literally: "delivery may be
presumed on the second day after sending, where Sunday, Monday and official
holidays do not count as that second day or as a day in between". So walk forward
from the day of sending, counting only days that are not a Sunday, a Monday or an
Atw holiday; the second day counted is the day of delivery. (Mail is not delivered
on Sundays and Mondays; a Saturday counts.) As official holidays we take the Atw
list above, 5 May and Good Friday included: a later presumed delivery gives the
debtor more time, which is the cautious side.

>>> presumed_delivery(date(2025, 9, 1))   # Monday -> Tuesday (1), Wednesday (2)
datetime.date(2025, 9, 3)
>>> presumed_delivery(date(2025, 9, 4))   # Thursday -> Friday (1), Saturday (2)
datetime.date(2025, 9, 6)
>>> presumed_delivery(date(2025, 9, 5))   # Friday -> Saturday (1), skip Sunday and Monday, Tuesday (2)
datetime.date(2025, 9, 9)
>>> presumed_delivery(date(2025, 9, 6))   # Saturday -> skip Sunday and Monday, Tuesday (1), Wednesday (2)
datetime.date(2025, 9, 10)
>>> presumed_delivery(date(2025, 12, 24)) # skip both Christmas days, Saturday 27 (1), skip Sun/Mon, Tuesday 30 (2)
datetime.date(2025, 12, 30)
>>> presumed_delivery(date(2025, 4, 17))  # skip Good Friday, Saturday (1), skip Easter Sunday and Monday, Tuesday (2)
datetime.date(2025, 4, 22)

**The 14-day term** starts the day after delivery, so its last day is delivery +
14; a last day on a Saturday, Sunday or holiday moves to the next working day
(Atw art. 1, applied as the cautious default).

>>> t = fourteen_day_term(date(2025, 9, 1))
>>> t.delivered, t.last_day
(datetime.date(2025, 9, 3), datetime.date(2025, 9, 17))
>>> t = fourteen_day_term(date(2025, 9, 4))   # delivered Saturday 6 September; day 14 is Saturday 20
>>> t.last_day_unextended, t.last_day
(datetime.date(2025, 9, 20), datetime.date(2025, 9, 22))

**A notice of default** (ingebrekestelling) with a term of N days from a date:

>>> notice_term_end(date(2025, 4, 11), 7)  # day 7 is Good Friday 18 April; then Sat, Sun, Easter Monday
datetime.date(2025, 4, 22)

Contractual payment terms are not extended: an invoice due on a Sunday stays due
on that Sunday (Atw applies to statutory terms only); do not use these helpers for it.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache
from types import MappingProxyType
from typing import Mapping, NamedTuple

import holidays

from .rates import LawInputError

_ONE_DAY = timedelta(days=1)
_SUNDAY, _MONDAY, _SATURDAY = 6, 0, 5


@lru_cache(maxsize=None)
def atw_holidays(year: int) -> Mapping[date, str]:
    """The recognised holidays of ``year`` with their Dutch names (Atw art. 3); read-only, it is cached."""
    found = holidays.NL(categories=("public", "optional"), years=year, language="nl")
    return MappingProxyType(dict(sorted(found.items())))


def is_holiday(day: date) -> bool:
    """True on a holiday of Atw art. 3."""
    return day in atw_holidays(day.year)


def is_rest_day(day: date) -> bool:
    """Saturday, Sunday or an Atw holiday: a term cannot end on it (Atw art. 1).

    >>> is_rest_day(date(2025, 12, 26)), is_rest_day(date(2025, 12, 29))
    (True, False)
    """
    return day.weekday() >= _SATURDAY or is_holiday(day)


def next_working_day(day: date) -> date:
    """``day`` itself when it is a working day, otherwise the first working day after it (Atw art. 1).

    >>> next_working_day(date(2025, 12, 25)), next_working_day(date(2025, 12, 29))
    (datetime.date(2025, 12, 29), datetime.date(2025, 12, 29))
    """
    while is_rest_day(day):
        day += _ONE_DAY
    return day


def term_end(start: date, days: int) -> date:
    """The last day of a term of ``days`` days that starts the day after ``start``, under the Atw.

    Art. 2: a term of at least three days is extended so that it holds at least
    two working days; art. 1: a last day on a Saturday, Sunday or holiday moves to
    the next working day.

    >>> term_end(date(2025, 4, 17), 3)  # Fri 18 (Good Friday), Sat, Sun: no working day; Mon 21 is Easter Monday
    datetime.date(2025, 4, 23)
    """
    if days < 1:
        raise LawInputError(f"Een termijn moet minstens één dag zijn, niet {days}.")
    last = start + timedelta(days=days)
    if days >= 3:
        working = sum(1 for n in range(1, days + 1) if not is_rest_day(start + timedelta(days=n)))
        while working < 2:
            last += _ONE_DAY
            if not is_rest_day(last):
                working += 1
    return next_working_day(last)


def _counts_for_delivery(day: date) -> bool:
    return day.weekday() not in (_SUNDAY, _MONDAY) and not is_holiday(day)


def presumed_delivery(sent: date) -> date:
    """The day a letter posted on ``sent`` is presumed delivered (see the module docstring)."""
    day, counted = sent, 0
    while counted < 2:
        day += _ONE_DAY
        if _counts_for_delivery(day):
            counted += 1
    return day


class FourteenDayTerm(NamedTuple):
    """The dates of a 14-day letter (art. 6:96 lid 6 BW)."""

    sent: date
    delivered: date  # presumed
    first_day: date  # the day after delivery
    last_day_unextended: date  # delivery + 14
    last_day: date  # after the Algemene termijnenwet: pay by this day at the latest


def fourteen_day_term(sent: date, delivered: date | None = None) -> FourteenDayTerm:
    """The term of a 14-day letter posted on ``sent`` (or delivered on a known day)."""
    delivered = delivered if delivered is not None else presumed_delivery(sent)
    if delivered < sent:
        raise LawInputError("Een brief kan niet bezorgd zijn vóór de dag van verzending.")
    unextended = delivered + timedelta(days=14)
    return FourteenDayTerm(sent, delivered, delivered + _ONE_DAY, unextended, term_end(delivered, 14))


def notice_term_end(day: date, days: int) -> date:
    """The last day of a notice-of-default term of ``days`` days from ``day``, Atw-extended.

    A term set in a letter is not a statutory term; extending it anyway (art. 1
    and 2) is the cautious default, as for the 14-day letter.
    """
    return term_end(day, days)
