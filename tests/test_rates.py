"""The shipped rate tables against legal.md §1, their checks, the Rentetabel overrides, the staleness warning."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from debiteuren.law.rates import (
    HANDELSRENTE,
    VASTGESTELD,
    VOORLOPIG,
    WETTELIJKE,
    LawInputError,
    RateOverridesInvalid,
    RateTableInvalid,
    format_pct,
    load_rates,
    merge_overrides,
    parse_rate_csv,
    stale_rate_warnings,
)
from debiteuren.register.model import RateOverride
from debiteuren.register import read_register
from debiteuren.register.problems import InputProblem, RegisterInvalid
from workbooks import write_register


def d(text: str) -> date:
    return date.fromisoformat(text)


# legal.md §1a and §1b, typed out again rather than read from the CSV under test
LEGAL_WETTELIJKE = {
    "2001-01-01": "8",
    "2002-01-01": "7",
    "2003-08-01": "5",
    "2004-02-01": "4",
    "2007-01-01": "6",
    "2009-07-01": "4",
    "2010-01-01": "3",
    "2011-07-01": "4",
    "2012-07-01": "3",
    "2015-01-01": "2",
    "2023-01-01": "4",
    "2023-07-01": "6",
    "2024-01-01": "7",
    "2025-01-01": "6",
    "2026-01-01": "4",
}
LEGAL_HANDELSRENTE = {
    "2002-12-01": "10.35",
    "2003-01-01": "9.85",
    "2003-07-01": "9.10",
    "2004-01-01": "9.02",
    "2004-07-01": "9.01",
    "2005-01-01": "9.09",
    "2005-07-01": "9.05",
    "2006-01-01": "9.25",
    "2006-07-01": "9.83",
    "2007-01-01": "10.58",
    "2007-07-01": "11.07",
    "2008-01-01": "11.20",
    "2008-07-01": "11.07",
    "2009-01-01": "9.50",
    "2009-07-01": "8.00",
    "2011-07-01": "8.25",
    "2012-01-01": "8.00",
    "2013-01-01": "7.75",
    "2013-03-16": "8.75",
    "2013-07-01": "8.50",
    "2014-01-01": "8.25",
    "2014-07-01": "8.15",
    "2015-01-01": "8.05",
    "2016-07-01": "8.00",
    "2023-01-01": "10.50",
    "2023-07-01": "12.00",
    "2024-01-01": "12.50",
    "2024-07-01": "12.25",
    "2025-01-01": "11.15",
    "2025-07-01": "10.15",
    "2026-01-01": "10.15",
    "2026-07-01": "10.40",
}


@pytest.mark.parametrize(
    "kind, legal",
    [(WETTELIJKE, LEGAL_WETTELIJKE), (HANDELSRENTE, LEGAL_HANDELSRENTE)],
    ids=["legal.md-1a-art-6:119", "legal.md-1b-art-6:119a"],
)
def test_shipped_tables_match_legal_md(kind, legal):
    rows = load_rates().table(kind).rows
    assert {r.start_date.isoformat(): r.rate_pct for r in rows} == {k: Decimal(v) for k, v in legal.items()}
    assert all(r.source for r in rows)


def test_status_follows_the_sources():
    provisional = {
        (kind, r.start_date.isoformat())
        for kind in (WETTELIJKE, HANDELSRENTE)
        for r in load_rates().table(kind).rows
        if r.status == VOORLOPIG
    }
    # 10,40 % from one source only; the 2025 and 2026 wettelijke rente from secondary sources (legal.md)
    assert provisional == {(HANDELSRENTE, "2026-07-01"), (WETTELIJKE, "2025-01-01"), (WETTELIJKE, "2026-01-01")}


@pytest.mark.parametrize(
    "kind, day, rate",
    [
        (WETTELIJKE, "2001-01-01", "8"),
        (WETTELIJKE, "2014-12-31", "3"),
        (WETTELIJKE, "2015-01-01", "2"),
        (HANDELSRENTE, "2001-06-01", "8"),  # before 2002-12-01: the 6:119 rate
        (HANDELSRENTE, "2002-11-30", "7"),
        (HANDELSRENTE, "2002-12-01", "10.35"),
        (HANDELSRENTE, "2013-03-15", "7.75"),
        (HANDELSRENTE, "2013-03-16", "8.75"),  # surcharge 7 -> 8 points
        (HANDELSRENTE, "2022-12-31", "8.00"),
        (HANDELSRENTE, "2030-01-01", "10.40"),  # past the table: the last rate
    ],
)
def test_rate_on_a_day(kind, day, rate):
    assert load_rates().rate_on(kind, d(day)).rate_pct == Decimal(rate)


def test_periods_are_contiguous_and_the_last_is_open_and_provisional():
    for kind in (WETTELIJKE, HANDELSRENTE):
        periods = load_rates().periods(kind)
        assert periods[0].start == d("2001-01-01")
        for before, after in zip(periods, periods[1:]):
            assert before.end + timedelta(days=1) == after.start
        assert periods[-1].end is None and periods[-1].provisional
    rates = load_rates()
    # the newest row holds until the end of its half year; after that the rate is an assumption
    assert rates.rate_on(HANDELSRENTE, d("2026-12-31")).source.startswith("één bron")
    assert rates.rate_on(HANDELSRENTE, d("2027-01-01")).source.startswith("aangenomen")
    assert rates.rate_on(WETTELIJKE, d("2026-07-01")).provisional
    assert not rates.rate_on(WETTELIJKE, d("2024-12-31")).provisional


def test_no_rate_before_the_table():
    with pytest.raises(LawInputError) as raised:
        load_rates().rate_on(HANDELSRENTE, d("2000-12-31"))
    assert str(raised.value) == (
        "Er is geen percentage voor de wettelijke handelsrente (art. 6:119a BW) bekend vóór 01-01-2001; "
        "31-12-2000 valt daarvoor."
    )


def test_a_broken_file_lists_every_problem():
    text = (
        "start_date,rate_pct,status,source,note\n"
        "2024-01-01,7,vastgesteld,Stb.,\n"
        "2024-13-01,7,vastgesteld,Stb.,\n"
        "2024-07-01,7.125,vastgesteld,Stb.,\n"
        "2024-06-01,-1,voorlopig,Stb.,\n"
        "2025-01-01,6,vastgesteld,Stb.\n"
    )
    with pytest.raises(RateTableInvalid) as raised:
        parse_rate_csv(text, WETTELIJKE, "wettelijke_rente.csv")
    assert raised.value.problems == (
        "wettelijke_rente.csv, regel 3: '2024-13-01' is geen datum (verwacht jjjj-mm-dd).",
        "wettelijke_rente.csv, regel 4: percentage '7.125' heeft meer dan twee decimalen.",
        "wettelijke_rente.csv, regel 5: percentage '-1' ligt niet tussen 0 en 25.",
        "wettelijke_rente.csv, regel 5: datum 2024-06-01 ligt niet na de vorige (2024-07-01).",
        "wettelijke_rente.csv, regel 6: 4 velden in plaats van 5.",
    )


def test_wrong_header_is_refused():
    with pytest.raises(RateTableInvalid, match="de kolommen moeten start_date,rate_pct,status,source,note zijn"):
        parse_rate_csv("datum,percentage\n2024-01-01,7\n", WETTELIJKE, "x.csv")


def test_overrides_correct_and_extend():
    rates = load_rates()
    merged = merge_overrides(
        rates,
        (
            RateOverride(d("2026-07-01"), None, Decimal("10.15"), 5),  # corrects handelsrente only
            RateOverride(d("2027-01-01"), Decimal("3"), Decimal("9.90"), 6),  # a new half year
            RateOverride(d("2002-01-01"), Decimal("7.5"), None, 7),  # a 6:119 correction before handelsrente
        ),
    )
    assert merged.rate_on(HANDELSRENTE, d("2026-08-01")).rate_pct == Decimal("10.15")
    assert merged.rate_on(HANDELSRENTE, d("2026-08-01")).source == "werkmap, blad Rentetabel, rij 5"
    assert not merged.rate_on(HANDELSRENTE, d("2026-08-01")).provisional
    assert merged.rate_on(WETTELIJKE, d("2026-08-01")).rate_pct == Decimal("4")  # None: unchanged
    assert merged.rate_on(WETTELIJKE, d("2027-03-01")).rate_pct == Decimal("3")
    assert merged.rate_on(HANDELSRENTE, d("2027-03-01")).rate_pct == Decimal("9.90")
    assert merged.rate_on(HANDELSRENTE, d("2002-06-01")).rate_pct == Decimal("7.5")  # 6:119 rate for commerce too
    assert merged.table(WETTELIJKE).newest.start_date == d("2027-01-01")
    # the shipped tables are untouched
    assert rates.rate_on(HANDELSRENTE, d("2026-08-01")).rate_pct == Decimal("10.40")
    assert merge_overrides(rates, ()) is rates


def test_bad_overrides_are_reported_together_in_dutch():
    with pytest.raises(RateOverridesInvalid) as raised:
        merge_overrides(
            load_rates(),
            (
                RateOverride(d("2027-01-01"), Decimal("26"), Decimal("9.999"), 3),
                RateOverride(d("2027-01-01"), Decimal("3"), None, 4),
            ),
        )
    assert [str(p) for p in raised.value.problems] == [
        "Blad 'Rentetabel', rij 3, kolom 'Wettelijke rente': '26' is ongeldig; "
        "verwacht: een percentage tussen 0 en 25 met hoogstens twee decimalen.",
        "Blad 'Rentetabel', rij 3, kolom 'Handelsrente': '9.999' is ongeldig; "
        "verwacht: een percentage tussen 0 en 25 met hoogstens twee decimalen.",
        "Blad 'Rentetabel', rij 4, kolom 'Ingangsdatum': '01-01-2027' is ongeldig; "
        "verwacht: een datum die nog niet eerder in de Rentetabel staat.",
    ]
    assert str(raised.value).startswith("Het blad Rentetabel bevat fouten:\n- Blad 'Rentetabel', rij 3, ")


def test_the_register_reports_the_rentetabel_problems_as_its_own(tmp_path):
    # The law checks the rows; the register turns each into its InputProblem, with the other sheets' problems.
    path = write_register(
        tmp_path,
        Rentetabel=[
            ["Ingangsdatum", "Wettelijke rente", "Handelsrente"],
            [date(2001, 7, 1), None, 9.5],
            [date(2027, 1, 1), 26, None],
        ],
    )
    with pytest.raises(RegisterInvalid) as raised:
        read_register(path)
    assert [p for p in raised.value.problems if p.sheet == "Rentetabel"] == [
        InputProblem(
            "Rentetabel",
            2,
            "Handelsrente",
            Decimal("9.5"),
            "geen handelsrente vóór 01-12-2002 (daarvoor geldt de wettelijke rente)",
        ),
        InputProblem(
            "Rentetabel",
            3,
            "Wettelijke rente",
            Decimal("26"),
            "een percentage tussen 0 en 25 met hoogstens twee decimalen",
        ),
    ]


def test_stale_warning_after_seven_months():
    rates = load_rates()
    newest = rates.table(HANDELSRENTE).newest.start_date  # 2026-07-01
    assert [w for w in stale_rate_warnings(rates, d("2027-02-01")) if "handelsrente" in w] == []
    (warning,) = [w for w in stale_rate_warnings(rates, d("2027-02-02")) if "handelsrente" in w]
    assert warning == (
        f"De nieuwste wettelijke handelsrente (art. 6:119a BW) in de rentetabel geldt vanaf {newest:%d-%m-%Y}; "
        "de peildatum 02-02-2027 ligt meer dan 7 maanden later: controleer of er een nieuw percentage is "
        "en vul het zo nodig aan in het blad Rentetabel."
    )
    extended = merge_overrides(rates, (RateOverride(d("2027-01-01"), Decimal("4"), Decimal("10.40"), 2),))
    assert stale_rate_warnings(extended, d("2027-02-02")) == ()


def test_rates_are_immutable_data():
    rates = load_rates()
    with pytest.raises(AttributeError):
        rates.statutory = rates.commercial
    assert all(r.status in (VASTGESTELD, VOORLOPIG) for r in rates.table(WETTELIJKE).rows)


def test_format_pct():
    assert [format_pct(Decimal(x)) for x in ("8", "10.15", "0.5")] == ["8,00%", "10,15%", "0,50%"]


def test_an_unchanged_wettelijke_rente_is_no_stale_rate():
    # legal.md §1a: 4 % from 2026-01-01, no change found for 2026-07-01; an unchanged rate gets no row.
    # A new row would be due on 2027-01-01: no warning on 1 December 2026 (the case) nor on
    # 1 February 2027, a warning once the peildatum lies more than a month into 2027's first half-year.
    rates = load_rates()
    assert rates.table(WETTELIJKE).newest.start_date == d("2026-01-01")
    assert stale_rate_warnings(rates, d("2026-12-01"), kinds=(WETTELIJKE,)) == ()
    assert stale_rate_warnings(rates, d("2027-02-01"), kinds=(WETTELIJKE,)) == ()
    (warning,) = stale_rate_warnings(rates, d("2027-02-02"), kinds=(WETTELIJKE,))
    assert "nagekeken voor het halfjaar vanaf 01-07-2026" in warning
    # the second half of 2026 is covered by the 2026-01-01 row (its own status), not assumed
    assert rates.rate_on(WETTELIJKE, d("2026-12-31")).start == d("2026-01-01")
