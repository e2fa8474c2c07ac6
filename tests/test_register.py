"""Reading and validating the register: typed tables, every problem at once, in Dutch."""

from __future__ import annotations

import hashlib
from datetime import date, datetime

import pandas as pd
import pytest

from debiteuren.register import RegisterInvalid, WorkbookUnreadable, read_register, read_tables
from debiteuren.register.live_backend import find_open_book
from fake_xlwings import FakeBook, FakeXlwings
from workbooks import DEFAULT_SHEETS, write_register


def problems_of(path) -> list[str]:
    with pytest.raises(RegisterInvalid) as caught:
        read_register(path)
    return [str(p) for p in caught.value.problems]


def test_minimal_register_is_typed(tmp_path):
    register = read_register(write_register(tmp_path))
    invoices = register.invoices
    assert invoices["invoice_id"].tolist() == ["F-001", "F-002"]
    assert invoices["amount_cents"].tolist() == [121000, 12100]
    assert invoices["amount_cents"].dtype == "int64"
    assert invoices["invoice_date"].dt.date.tolist() == [date(2026, 9, 1), date(2026, 9, 15)]
    # F-002 has no due date: invoice date plus the consumer's 14 days.
    assert invoices["due_date"].dt.date.tolist() == [date(2026, 10, 1), date(2026, 9, 29)]
    assert invoices["disputed"].tolist() == [False, False]
    assert invoices["excel_row"].tolist() == [2, 3]
    assert register.debtors["status"].tolist() == ["actief", "actief"]
    assert register.settings.company_name == "Voorbeeld B.V."
    assert register.settings.iban == "NL91 ABNA 0417 1643 00"
    assert register.payments["amount_cents"].tolist() == [21000]
    assert register.actions["kind"].tolist() == ["Betalingsherinnering"]
    assert [s.action for s in register.policy][:2] == ["Betalingsherinnering", "Telefoongesprek"]


def test_every_problem_is_reported_at_once_with_sheet_row_column_value(tmp_path):
    path = write_register(
        tmp_path,
        Debiteuren=[
            ["Debiteurnummer", "Naam", "Soort", "Status"],
            ["1001", "Bakkerij B.V.", "zakelijk", "actief"],
            ["1001", "Dubbel B.V.", "zakelijk", "slapend"],
            ["1003", None, "particulier", None],
        ],
        Facturen=[
            ["Factuurnummer", "Debiteurnummer", "Factuurdatum", "Vervaldatum", "Bedrag"],
            ["F-001", "1001", "31-02-2025", None, "100,00"],
            ["F-002", "9999", date(2025, 3, 1), date(2025, 2, 1), "12,345"],
            ["F-002", "1001", date(2025, 3, 1), None, "USD 100"],
        ],
        Betalingen=[
            ["Datum", "Debiteurnummer", "Factuurnummer", "Bedrag"],
            [date(2025, 4, 1), None, None, 50],
            [date(2025, 4, 2), "1001", "F-404", -5],
        ],
        Regelingen=[
            ["Debiteurnummer", "Termijn", "Vervaldatum", "Bedrag"],
            *[["1001", n, date(2025, 5, n), 10] for n in range(1, 6)],
        ],
    )
    assert problems_of(path) == [
        "Blad 'Debiteuren', rij 3, kolom 'Status': 'slapend' is ongeldig; verwacht: een van: actief, uit handen, failliet, oninbaar.",
        "Blad 'Debiteuren', rij 3, kolom 'Debiteurnummer': '1001' is ongeldig; verwacht: een uniek debiteurnummer (komt ook voor op rij 2).",
        "Blad 'Debiteuren', rij 4, kolom 'Naam': (leeg) is ongeldig; verwacht: een waarde (dit veld is verplicht).",
        "Blad 'Debiteuren', rij 4, kolom 'Soort': 'particulier' is ongeldig; verwacht: een van: zakelijk, consument.",
        "Blad 'Facturen', rij 2, kolom 'Factuurdatum': '31-02-2025' is ongeldig; verwacht: een geldige datum (dd-mm-jjjj).",
        "Blad 'Facturen', rij 3, kolom 'Bedrag': '12,345' is ongeldig; verwacht: een bedrag in hele centen (hoogstens twee decimalen).",
        "Blad 'Facturen', rij 3, kolom 'Debiteurnummer': '9999' is ongeldig; verwacht: een debiteurnummer uit het blad 'Debiteuren'.",
        "Blad 'Facturen', rij 3, kolom 'Vervaldatum': '01-02-2025' is ongeldig; verwacht: een datum op of na de factuurdatum (01-03-2025).",
        "Blad 'Facturen', rij 4, kolom 'Bedrag': 'USD 100' is ongeldig; verwacht: een bedrag in euro's "
        "('USD' is een andere munteenheid; reken het om naar euro's).",
        "Blad 'Facturen', rij 4, kolom 'Factuurnummer': 'F-002' is ongeldig; verwacht: een uniek factuurnummer (komt ook voor op rij 3).",
        "Blad 'Betalingen', rij 2, kolom 'Debiteurnummer': (leeg) is ongeldig; verwacht: een waarde (dit veld is verplicht).",
        "Blad 'Betalingen', rij 3, kolom 'Bedrag': '€ -5,00' is ongeldig; verwacht: een positief bedrag (een ontvangst).",
        "Blad 'Betalingen', rij 3, kolom 'Factuurnummer': 'F-404' is ongeldig; verwacht: een factuurnummer uit het blad 'Facturen' (of leeg).",
        "Blad 'Regelingen', rij 6, kolom 'Termijn': '5' is ongeldig; verwacht: hoogstens 4 termijnen per regeling (debiteur 1001 heeft er 5).",
        "Blad 'Regelingen', rij 6, kolom 'Termijn': '5' is ongeldig; verwacht: een termijn van 1 tot en met 4.",
    ]


def test_missing_sheet_and_column_are_named(tmp_path):
    path = write_register(
        tmp_path,
        Betalingen=None,
        Facturen=[["Factuurnummer", "Debiteurnummer", "Bedrag"], ["F-1", "1001", 10]],
    )
    assert problems_of(path) == [
        "Blad 'Facturen', rij 1, kolom 'Factuurdatum': De verplichte kolom 'Factuurdatum' ontbreekt.",
        "Blad 'Betalingen': Het blad 'Betalingen' ontbreekt in de werkmap.",
    ]


def test_duplicate_column_is_an_error(tmp_path):
    path = write_register(
        tmp_path,
        Betalingen=[["Datum", "Debiteurnummer", "Bedrag", "bedrag "], [date(2025, 1, 1), "1001", 1, 2]],
    )
    assert problems_of(path) == [
        "Blad 'Betalingen', rij 1, kolom 'bedrag': De kolom 'bedrag' staat er twee keer in; verwijder of hernoem een van beide."
    ]


def test_real_world_cells_are_accepted(tmp_path):
    path = write_register(
        tmp_path,
        Debiteuren=[
            ["  debiteur nummer ", "NAAM", "soort", "Betaal-termijn"],
            [1001, " Bakkerij B.V. ", "Zakelijk ", 30],
            ["1002", "J. de Vries", "consument", None],
        ],
        Facturen=[
            ["Factuurnummer", "Debiteurnummer", "Factuurdatum", "Vervaldatum", "Bedrag", "Betwist"],
            ["F-1", "1001 ", "31-12-2025", "2026-01-30", "€ 1.234,56", "Ja"],
            [None, None, None, None, None, None],  # an empty row inside the Table
            ["F-2", 1002.0, 46022, None, "1,50", None],
        ],
        Betalingen=[["Datum", "Debiteurnummer", "Factuurnummer", "Bedrag"], ["5-1-2026", 1001, "F-1", "€ 34,56"]],
    )
    register = read_register(path)
    invoices = register.invoices
    assert invoices["debtor_id"].tolist() == ["1001", "1002"]
    assert invoices["invoice_date"].dt.date.tolist() == [date(2025, 12, 31), date(2025, 12, 31)]
    assert invoices["due_date"].dt.date.tolist() == [date(2026, 1, 30), date(2026, 1, 30)]
    assert invoices["amount_cents"].tolist() == [123456, 150]
    assert invoices["disputed"].tolist() == [True, False]
    assert invoices["excel_row"].tolist() == [2, 4]
    assert register.payments["payment_date"].dt.date.tolist() == [date(2026, 1, 5)]
    assert register.payments["amount_cents"].tolist() == [3456]
    assert register.debtors["name"].tolist() == ["Bakkerij B.V.", "J. de Vries"]
    assert register.debtors["kind"].tolist() == ["zakelijk", "consument"]
    # No term given: the settings' default term.
    assert register.debtors["payment_term_days"].tolist() == [30, 30]


def test_sheet_without_table_and_title_row_is_read(tmp_path):
    sheets = {name: rows for name, rows in DEFAULT_SHEETS.items()}
    sheets["Facturen"] = [["Facturen 2026 (bijgewerkt door Anne)"], [], *DEFAULT_SHEETS["Facturen"]]
    path = write_register(tmp_path, tables=False, **sheets)
    register = read_register(path)
    assert register.invoices["invoice_id"].tolist() == ["F-001", "F-002"]
    assert register.invoices["excel_row"].tolist() == [4, 5]


def test_warnings_do_not_block(tmp_path):
    path = write_register(
        tmp_path,
        Debiteuren=[["Debiteurnummer", "Naam", "Soort", "Betaaltermijn"], ["1001", "Groot B.V.", "zakelijk", 90]],
        Facturen=[
            ["Factuurnummer", "Debiteurnummer", "Factuurdatum", "Bedrag"],
            ["F-1", "1001", date(2026, 1, 1), 100],
        ],
        Betalingen=[["Datum", "Debiteurnummer", "Bedrag"], [date(2026, 2, 1), "1001", 150]],
        Acties=[["Datum", "Debiteurnummer", "Soort"]],
    )
    register = read_register(path)
    assert [str(w) for w in register.warnings] == [
        "Blad 'Debiteuren', rij 2, kolom 'Betaaltermijn': Betaaltermijn van 90 dagen voor een zakelijke klant: "
        "boven 60 dagen mag alleen als het uitdrukkelijk is afgesproken en niet onbillijk is (art. 6:119a lid 5 BW).",
        "Blad 'Betalingen', rij 2, kolom 'Bedrag': Betaling van € 150,00 is groter dan alles wat op dat moment "
        "openstond; het verschil staat als tegoed van de klant in de ouderdom.",
    ]


def test_a_typo_in_an_invoice_amount_gives_one_message_not_warnings_about_payments_that_are_fine(tmp_path):
    invoices = [["Factuurnummer", "Debiteurnummer", "Factuurdatum", "Bedrag"]]
    payments = [["Datum", "Debiteurnummer", "Factuurnummer", "Bedrag"]]
    for i in range(10):  # ten invoices, each paid in full; the first amount has a letter O for a zero
        invoices.append([f"F-{i}", "1001", date(2026, 1, 1 + i), "1.0O0,00" if i == 0 else 100.0])
        payments.append([date(2026, 3, 1 + i), "1001", f"F-{i}", 1000.0 if i == 0 else 100.0])
    # 1002 overpays for real: its warning stays.
    invoices.append(["G-1", "1002", date(2026, 1, 1), 50.0])
    payments.append([date(2026, 3, 1), "1002", "G-1", 80.0])
    path = write_register(tmp_path, Facturen=invoices, Betalingen=payments)
    with pytest.raises(RegisterInvalid) as raised:
        read_register(path)
    assert [str(p) for p in raised.value.problems] == [
        "Blad 'Facturen', rij 2, kolom 'Bedrag': '1.0O0,00' is ongeldig; verwacht: een bedrag in euro's, "
        "bijvoorbeeld 1.234,56."
    ]
    assert [str(w) for w in raised.value.warnings] == [
        "Blad 'Betalingen', rij 12, kolom 'Bedrag': Betaling van € 80,00 is groter dan alles wat op dat moment "
        "openstond; het verschil staat als tegoed van de klant in de ouderdom."
    ]


@pytest.mark.parametrize(
    "name, content, expected",
    [
        ("oud.xls", b"\xd0\xcf\x11\xe0rest", "is een .xls-bestand"),
        ("register.ods", b"PK\x03\x04", "is een .ods-bestand"),
        ("kapot.xlsx", b"dit is geen werkmap", "is beschadigd of geen geldige Excel-werkmap"),
        ("beveiligd.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "is met een wachtwoord beveiligd"),
    ],
)
def test_unreadable_files_get_a_dutch_message(tmp_path, name, content, expected):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(WorkbookUnreadable, match=expected):
        read_register(path)


def test_missing_file(tmp_path):
    with pytest.raises(WorkbookUnreadable, match="bestaat niet"):
        read_register(tmp_path / "weg.xlsx")


# --- one contract for both backends -----------------------------------------
# The live backend runs against tests/fake_xlwings.py, not against Excel.


def contract_workbooks(tmp_path):
    tidy = write_register(tmp_path, "netjes.xlsx")
    messy = write_register(
        tmp_path,
        "rommelig.xlsx",
        Facturen=[
            ["Factuurnummer", "Debiteurnummer", "Factuurdatum", "Vervaldatum", "Bedrag"],
            ["F-1", 1001, datetime(2025, 12, 31, 0, 0), "2026-01-30", "€ 1.234,56"],
            ["F-2", "1002", 46022, None, 99.95],
        ],
        Betalingen=[["Datum", "Debiteurnummer", "Factuurnummer", "Bedrag"], [date(2026, 1, 5), "1001", "F-1", 34.56]],
    )
    return [tidy, messy]


def test_fake_excel_live_backend_returns_what_the_file_backend_returns(tmp_path):
    for path in contract_workbooks(tmp_path):
        from_file = read_tables(path, live=False)
        from_fake_excel = read_tables(FakeBook(path))
        assert from_fake_excel == from_file, path.name


def test_fake_excel_live_register_equals_file_register(tmp_path):
    for path in contract_workbooks(tmp_path):
        from_file = read_register(path, live=False)
        from_fake_excel = read_register(FakeBook(path))
        for table in ("debtors", "invoices", "payments", "actions", "arrangements"):
            pd.testing.assert_frame_equal(getattr(from_fake_excel, table), getattr(from_file, table))
        assert from_fake_excel.settings == from_file.settings


def test_fake_excel_open_book_is_found_only_when_open(tmp_path):
    path = write_register(tmp_path)
    assert find_open_book(path, xw=FakeXlwings()) is None
    book = find_open_book(path, xw=FakeXlwings(path))
    assert book is not None and book.fullname == str(path.resolve())


def test_no_excel_on_this_machine_means_file_backend(tmp_path):
    # xlwings raises on Linux when asked for running Excel instances; that means "none".
    assert find_open_book(write_register(tmp_path)) is None


def test_reading_never_changes_the_file(tmp_path):
    path = write_register(tmp_path)
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    read_register(path)
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before


def test_a_totals_row_under_the_data_is_not_read_as_data(tmp_path):
    sheets = dict(DEFAULT_SHEETS)
    sheets["Facturen"] = [
        *DEFAULT_SHEETS["Facturen"],
        [None, None, None, None, None, None],
        ["Totaal:", None, None, None, 1331.00, None],
    ]
    register = read_register(write_register(tmp_path, tables=False, **sheets))
    assert register.invoices["invoice_id"].tolist() == ["F-001", "F-002"]


def test_debtor_numbers_differing_in_leading_zeros_are_named(tmp_path):
    path = write_register(
        tmp_path,
        Betalingen=[["Datum", "Debiteurnummer", "Bedrag"], [date(2026, 10, 5), "01001", 10]],
    )
    assert problems_of(path) == [
        "Blad 'Betalingen', rij 2, kolom 'Debiteurnummer': '01001' is ongeldig; verwacht: een debiteurnummer uit het "
        "blad 'Debiteuren' (daar staat '1001'; gebruik overal hetzelfde nummer, ook de voorloopnullen)."
    ]


def test_every_tuning_setting_is_checked_when_the_register_is_read(tmp_path):
    """Issue 18, bug 1: the scorecard and early-warning settings were parsed only during the
    review, so `controleer` passed them and `review` reported only the first bad one."""
    settings = DEFAULT_SHEETS["Instellingen"] + [
        ["Score te laat punten", "veel"],
        ["Score zeer laat punten", "veel"],
        ["Signaal verslechtering procent", "2,5"],
        ["Signaal minimaal eerdere facturen", "2,5"],
    ]
    assert problems_of(write_register(tmp_path, Instellingen=settings)) == [
        "Blad 'Instellingen', rij 5, kolom 'Waarde': 'veel' is ongeldig; verwacht: een geheel getal "
        "(instelling 'Score te laat punten').",
        "Blad 'Instellingen', rij 6, kolom 'Waarde': 'veel' is ongeldig; verwacht: een geheel getal "
        "(instelling 'Score zeer laat punten').",
        "Blad 'Instellingen', rij 8, kolom 'Waarde': '2,5' is ongeldig; verwacht: een geheel getal "
        "(instelling 'Signaal minimaal eerdere facturen').",
    ]


def test_tuning_settings_reach_the_analyses_typed(tmp_path):
    from decimal import Decimal

    from debiteuren.payment_behaviour import WarningRule
    from debiteuren.segments import Scorecard

    settings = DEFAULT_SHEETS["Instellingen"] + [
        ["Score te laat punten", 4],
        ["Signaal verslechtering procent", "12,5%"],
    ]
    register = read_register(write_register(tmp_path, Instellingen=settings))
    assert Scorecard.from_settings(register.settings).late_points == 4
    assert WarningRule.from_settings(register.settings).min_worsening_pct == Decimal("12.5")
    assert Scorecard.from_settings(register.settings).very_late_points == Scorecard.very_late_points


def test_tuning_settings_table_matches_the_rules_it_tunes():
    from dataclasses import fields

    from debiteuren.payment_behaviour import WarningRule
    from debiteuren.register.model import TUNING_SETTINGS
    from debiteuren.segments import Scorecard

    kinds = {s.field: s.kind for s in TUNING_SETTINGS}
    rule_fields = {f.name: ("whole" if f.type == "int" else "number") for f in fields(WarningRule) + fields(Scorecard)}
    assert kinds == rule_fields


@pytest.mark.parametrize(("text", "value"), [("25%", "25"), ("2,5", "2.5"), (15, "15"), (7.5, "7.5")])
def test_numeric_tuning_settings_as_typed(tmp_path, text, value):
    from decimal import Decimal

    settings = DEFAULT_SHEETS["Instellingen"] + [["Signaal vanaf dagen na vervaldatum", text]]
    register = read_register(write_register(tmp_path, Instellingen=settings))
    assert register.settings.tuning == {"min_days_late": Decimal(value)}


def test_payment_terms_are_checked_per_invoice(tmp_path):
    # legal.md §7: a business term above 60 days needs express agreement (art. 6:119a lid 5 BW); when we are
    # an SME a large debtor may take at most 30 days (art. 6:119a lid 6 BW, Stb. 2022, 146).
    sheets = dict(
        Debiteuren=[
            ["Debiteurnummer", "Naam", "Soort", "Betaaltermijn", "Grootte"],
            ["1001", "Klein B.V.", "zakelijk", 30, "klein"],
            ["1002", "Groot N.V.", "zakelijk", 45, "groot"],
            ["1003", "J. de Vries", "consument", 30, None],
        ],
        Facturen=[
            ["Factuurnummer", "Debiteurnummer", "Factuurdatum", "Vervaldatum", "Bedrag"],
            ["F-1", "1001", date(2026, 1, 1), date(2026, 5, 1), 100],  # 120 days
            ["F-2", "1001", date(2026, 1, 1), date(2026, 3, 2), 100],  # 60 days: allowed
            ["F-3", "1002", date(2026, 1, 1), date(2026, 2, 10), 100],  # 40 days, large debtor
            ["F-4", "1003", date(2026, 1, 1), date(2026, 5, 1), 100],  # consumer: no maximum
            ["F-5", "1002", date(2026, 1, 1), None, 100],  # the debtor's 45 days: warned on the debtor
        ],
        Betalingen=[["Datum", "Debiteurnummer", "Bedrag"]],
        Acties=[["Datum", "Debiteurnummer", "Soort"]],
    )
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    plain = read_register(write_register(tmp_path / "a", **sheets))
    assert [str(w) for w in plain.warnings] == [
        "Blad 'Facturen', rij 2, kolom 'Vervaldatum': Factuur F-1: betaaltermijn van 120 dagen na de factuurdatum "
        "voor een zakelijke klant: boven 60 dagen mag alleen als het uitdrukkelijk is afgesproken en niet "
        "onbillijk is (art. 6:119a lid 5 BW).",
    ]
    sme = read_register(write_register(
        tmp_path / "b", **sheets,
        Instellingen=[["Instelling", "Waarde"], ["Wij zijn een mkb-onderneming", "ja"]],
    ))  # fmt: skip
    large = (
        "een grote onderneming mag met een mkb-onderneming hoogstens 30 dagen afspreken (art. 6:119a lid 6 BW, "
        "Stb. 2022, 146; voor alle overeenkomsten sinds 1 juli 2023); een langere termijn is nietig en dan geldt "
        "30 dagen."
    )
    assert [str(w) for w in sme.warnings] == [
        f"Blad 'Debiteuren', rij 3, kolom 'Betaaltermijn': Betaaltermijn van 45 dagen voor een grote zakelijke klant: {large}",
        "Blad 'Facturen', rij 2, kolom 'Vervaldatum': Factuur F-1: betaaltermijn van 120 dagen na de factuurdatum "
        "voor een zakelijke klant: boven 60 dagen mag alleen als het uitdrukkelijk is afgesproken en niet "
        "onbillijk is (art. 6:119a lid 5 BW).",
        f"Blad 'Facturen', rij 4, kolom 'Vervaldatum': Factuur F-3: betaaltermijn van 40 dagen na de factuurdatum "
        f"voor een grote zakelijke klant: {large}",
    ]
