"""Deadlines: the Atw holidays against legal.md §6, presumed delivery, the 14-day term, notice terms."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from debiteuren.law.deadlines import (
    atw_holidays,
    fourteen_day_term,
    is_holiday,
    is_rest_day,
    next_working_day,
    notice_term_end,
    presumed_delivery,
    term_end,
)
from debiteuren.law.rates import LawInputError


def d(text: str) -> date:
    return date.fromisoformat(text)


# Easter Sunday typed out from the church calendar, not computed
EASTER = {
    2014: "2014-04-20",
    2024: "2024-03-31",
    2025: "2025-04-20",
    2026: "2026-04-05",
    2027: "2027-03-28",
    2030: "2030-04-21",
}
# Koningsdag: 27 April, or 26 April when the 27th is a Sunday (2014, 2025)
KINGS_DAY = {
    2014: "2014-04-26",
    2024: "2024-04-27",
    2025: "2025-04-26",
    2026: "2026-04-27",
    2027: "2027-04-27",
    2030: "2030-04-27",
}


def legal_md_holidays(year: int) -> set[date]:
    """legal.md §6 (Atw art. 3), restated."""
    easter = d(EASTER[year])
    return {
        date(year, 1, 1),  # Nieuwjaarsdag
        easter - timedelta(days=2),  # Goede Vrijdag
        easter + timedelta(days=1),  # tweede Paasdag
        d(KINGS_DAY[year]),  # Koningsdag
        date(year, 5, 5),  # 5 mei, every year
        easter + timedelta(days=39),  # Hemelvaartsdag
        easter + timedelta(days=50),  # tweede Pinksterdag
        date(year, 12, 25),  # eerste Kerstdag
        date(year, 12, 26),  # tweede Kerstdag
    }


@pytest.mark.parametrize("year", sorted(EASTER))
def test_holidays_package_matches_legal_md(year):
    found = set(atw_holidays(year))
    expected = legal_md_holidays(year)
    assert expected <= found
    # the package also lists Easter Sunday and Whit Sunday: Sundays anyway
    assert all(day.weekday() == 6 for day in found - expected)


def test_spot_dates():
    assert d("2025-05-29") in atw_holidays(2025)  # Hemelvaartsdag 2025, typed out
    assert atw_holidays(2026)[d("2026-05-25")] == "Tweede pinksterdag"
    assert is_holiday(d("2020-05-05")) and is_holiday(d("2023-05-05"))  # 5 mei also outside lustrum years
    assert not is_holiday(d("2025-04-27"))  # Koningsdag moved to the 26th
    assert is_rest_day(d("2025-09-06")) and not is_rest_day(d("2025-09-08"))


@pytest.mark.parametrize(
    "sent, delivered",
    [
        ("2025-09-01", "2025-09-03"),  # Monday -> Tue (1), Wed (2)
        ("2025-09-02", "2025-09-04"),  # Tuesday -> Wed, Thu
        ("2025-09-03", "2025-09-05"),  # Wednesday -> Thu, Fri
        ("2025-09-04", "2025-09-06"),  # Thursday -> Fri, Sat
        ("2025-09-05", "2025-09-09"),  # Friday -> Sat (1), Sunday and Monday do not count, Tue (2)
        ("2025-09-06", "2025-09-10"),  # Saturday -> Sun and Mon do not count, Tue (1), Wed (2)
        ("2025-09-07", "2025-09-10"),  # Sunday -> Mon does not count, Tue (1), Wed (2)
        ("2025-05-28", "2025-05-31"),  # Hemelvaartsdag Thursday 29 May does not count: Fri (1), Sat (2)
        ("2025-04-17", "2025-04-22"),  # Good Friday, Easter Sunday and Monday do not count
        ("2025-04-24", "2025-04-29"),  # Fri 25 (1); Koningsdag Sat 26, Sun, Mon do not count; Tue 29 (2)
        ("2025-12-23", "2025-12-27"),  # Wed 24 (1), both Christmas days do not count, Sat 27 (2)
        ("2025-12-24", "2025-12-30"),
        ("2026-01-01", "2026-01-03"),  # sent on Nieuwjaarsdag: Fri 2 (1), Sat 3 (2)
        ("2025-12-31", "2026-01-03"),  # Nieuwjaarsdag does not count
    ],
)
def test_presumed_delivery(sent, delivered):
    assert presumed_delivery(d(sent)) == d(delivered)


def test_presumed_delivery_properties_over_two_years():
    day = d("2025-01-01")
    while day < d("2027-01-01"):
        delivered = presumed_delivery(day)
        assert delivered >= day + timedelta(days=2)
        assert delivered.weekday() not in (6, 0) and not is_holiday(delivered)
        term = fourteen_day_term(day)
        assert term.last_day >= term.delivered + timedelta(days=14)
        assert not is_rest_day(term.last_day)
        day += timedelta(days=1)


def test_fourteen_day_term():
    t = fourteen_day_term(d("2025-09-01"))
    assert (t.delivered, t.first_day, t.last_day_unextended, t.last_day) == (
        d("2025-09-03"),
        d("2025-09-04"),
        d("2025-09-17"),
        d("2025-09-17"),
    )
    # delivered Saturday 6 September: day 14 is Saturday 20 September, moved to Monday 22
    t = fourteen_day_term(d("2025-09-04"))
    assert (t.last_day_unextended, t.last_day) == (d("2025-09-20"), d("2025-09-22"))
    # delivered 12 December 2025: day 14 is Friday 26 December (tweede Kerstdag) -> Monday 29
    t = fourteen_day_term(d("2025-12-10"), delivered=d("2025-12-12"))
    assert (t.last_day_unextended, t.last_day) == (d("2025-12-26"), d("2025-12-29"))
    with pytest.raises(LawInputError, match="vóór de dag van verzending"):
        fourteen_day_term(d("2025-12-10"), delivered=d("2025-12-09"))


def test_notice_term_and_the_atw():
    assert notice_term_end(d("2025-09-01"), 7) == d("2025-09-08")  # Monday + 7 = Monday
    assert notice_term_end(d("2025-09-05"), 7) == d("2025-09-12")
    assert notice_term_end(d("2025-09-06"), 7) == d("2025-09-15")  # Saturday 13 -> Monday 15
    assert notice_term_end(d("2025-04-11"), 7) == d("2025-04-22")  # Good Friday, weekend, Easter Monday
    # Atw art. 2: a term of 3 days holds at least two working days
    assert term_end(d("2025-04-17"), 3) == d("2025-04-23")
    assert next_working_day(d("2025-12-25")) == d("2025-12-29")
    with pytest.raises(LawInputError, match="Een termijn moet minstens één dag zijn"):
        term_end(d("2025-01-01"), 0)
