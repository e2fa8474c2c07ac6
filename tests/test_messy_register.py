"""Messy but valid registers (issue 9, item 1): a workbook typed by hand over the years.

Each test builds the mess with openpyxl as Excel stores it (merged cells, real date
cells, serial numbers as numbers, text cells) and checks that it reads to the same
typed register a tidy workbook gives, or that every cell it cannot understand is
named in one Dutch message, never a traceback.
"""

from __future__ import annotations

from datetime import date, datetime

import openpyxl

from debiteuren.cli import main
from debiteuren.register import read_register
from workbooks import DEFAULT_SHEETS, write_register


def serial(day: date) -> int:
    """Excel's serial number of a date (1900 date system)."""
    return (day - date(1899, 12, 30)).days


def replace_sheet(path, name, rows, merges=()):
    """Rewrite one sheet of a workbook as a plain range (no Table), with merged cells."""
    workbook = openpyxl.load_workbook(path)
    if name in workbook.sheetnames:
        del workbook[name]
    sheet = workbook.create_sheet(name)
    for row in rows:
        sheet.append(row)
    for ref in merges:
        sheet.merge_cells(ref)
    workbook.save(path)
    return path


def dates(frame, column):
    return frame[column].dt.date.tolist()


def test_a_hand_typed_invoice_sheet_reads_as_the_controller_meant_it(tmp_path):
    path = write_register(
        tmp_path,
        Debiteuren=[
            ["  debiteur NUMMER ", "Naam:", "SOORT", "Betaal termijn"],
            [1001, " Bakkerij B.V. ", "Zakelijk", 30],
            ["1002 ", "J. de Vries", "consument ", 14.0],
        ],
        Betalingen=[
            ["Datum:", "Debiteur-nummer", "factuurnummer", "BEDRAG"],
            ["5-10-2026", 1001, "F-001 ", "€ 210,00"],
            [serial(date(2026, 10, 7)), "1002", "F-002", 121],
        ],
    )
    replace_sheet(
        path,
        "Facturen",
        [
            ["Facturenregister 2026 (bijgehouden door Anne)"],
            ["Factuur", None, None, None, "Bedragen", None, None],
            ["FACTUURNUMMER:", " debiteur nummer ", "factuur datum", "Vervaldatum:", "Bedrag", None, "Betwist"],
            ["F-001", 1001, date(2026, 9, 1), serial(date(2026, 10, 1)), "€ 1.210,00", None, "Nee"],
            [None] * 7,
            ["F-002 ", "1002 ", "15-9-2026", None, "121,00", None, None],
            ["F-003", "1001", "2026-09-20", "20.10.2026", "1.234.567,89", None, None],
            ["F-004", 1001.0, datetime(2026, 9, 21, 14, 30), None, "€ 1.000,-", None, "ja"],
            ["F-005", " 1001", "21 sep. 2026", None, "100 EUR", None, None],
            ["F-006", "1001", serial(date(2026, 9, 25)) + 0.75, None, "-€ 50,00", None, None],
            [None] * 7,
            ["Totaal:", None, None, None, "=SUM(E4:E10)", None, None],
        ],
        # A title over the whole width, a group row, and 'Bedrag' over two columns.
        merges=("A1:G1", "A2:D2", "E2:F2", "E3:F3"),
    )
    register = read_register(path)
    invoices = register.invoices
    assert invoices["invoice_id"].tolist() == ["F-001", "F-002", "F-003", "F-004", "F-005", "F-006"]
    assert invoices["excel_row"].tolist() == [4, 6, 7, 8, 9, 10]
    assert invoices["debtor_id"].tolist() == ["1001", "1002", "1001", "1001", "1001", "1001"]
    assert dates(invoices, "invoice_date") == [
        date(2026, 9, 1),
        date(2026, 9, 15),
        date(2026, 9, 20),
        date(2026, 9, 21),
        date(2026, 9, 21),
        date(2026, 9, 25),
    ]
    # Given due dates as typed; the others are the invoice date plus the debtor's term (30 or 14 days).
    assert dates(invoices, "due_date") == [
        date(2026, 10, 1),
        date(2026, 9, 29),
        date(2026, 10, 20),
        date(2026, 10, 21),
        date(2026, 10, 21),
        date(2026, 10, 25),
    ]
    assert invoices["amount_cents"].tolist() == [121000, 12100, 123456789, 100000, 10000, -5000]
    assert invoices["disputed"].tolist() == [False, False, False, True, False, False]
    assert register.debtors["debtor_id"].tolist() == ["1001", "1002"]
    assert register.debtors["name"].tolist() == ["Bakkerij B.V.", "J. de Vries"]
    assert register.debtors["kind"].tolist() == ["zakelijk", "consument"]
    assert register.debtors["payment_term_days"].tolist() == [30, 14]
    payments = register.payments
    assert payments["debtor_id"].tolist() == ["1001", "1002"]
    assert payments["invoice_id"].tolist() == ["F-001", "F-002"]
    assert dates(payments, "payment_date") == [date(2026, 10, 5), date(2026, 10, 7)]
    assert payments["amount_cents"].tolist() == [21000, 12100]
    # And the month's review runs on it as on a tidy register.
    assert main(["review", str(path), "--peildatum", "2026-10-31", "--niet-terugschrijven"]) == 0


def test_one_amount_column_in_every_way_a_controller_types_money(tmp_path):
    typed = [
        ("€ 1.234,56", 123456),
        ("1.234,56", 123456),
        ("1234,5", 123450),
        ("€1.234", 123400),
        ("1.234.567,89", 123456789),
        ("1,234.56", 123456),
        ("EUR 12,00", 1200),
        ("12,00 euro", 1200),
        ("12 Euro's", 1200),
        ("€ 1.250,-", 125000),
        ("€\u00a01.000,00", 100000),
        ("1\u202f000,00", 100000),
        ("€ -40,00", -4000),
        ("40,00-", -4000),
        ("(40,00)", -4000),
        (99.95, 9995),
        (250, 25000),
    ]
    rows = [["F-%03d" % i, "1001", date(2026, 9, 1), amount] for i, (amount, _) in enumerate(typed, start=1)]
    path = write_register(
        tmp_path,
        Facturen=[["Factuurnummer", "Debiteurnummer", "Factuurdatum", "Bedrag"], *rows],
    )
    register = read_register(path)
    assert register.invoices["amount_cents"].tolist() == [cents for _, cents in typed]


def test_one_date_column_mixes_date_cells_serial_numbers_and_text(tmp_path):
    day = date(2026, 3, 5)
    typed = [
        day,
        datetime(2026, 3, 5, 9, 41),
        serial(day),
        float(serial(day)),
        serial(day) + 0.5,  # a date and time typed as a number
        "5-3-2026",
        "05-03-2026",
        "5/3/2026",
        "05.03.2026",
        "2026-03-05",
        "5-3-2026 09:41",
        "5 maart 2026",
        "5 mrt. 2026",
        "5-mrt-2026",
    ]
    rows = [["F-%03d" % i, "1001", value, 10] for i, value in enumerate(typed, start=1)]
    path = write_register(tmp_path, Facturen=[["Factuurnummer", "Debiteurnummer", "Factuurdatum", "Bedrag"], *rows])
    assert dates(read_register(path).invoices, "invoice_date") == [day] * len(typed)


def test_debtor_numbers_as_numbers_in_one_sheet_and_text_in_another_are_one_key(tmp_path):
    path = write_register(
        tmp_path,
        Debiteuren=[
            ["Debiteurnummer", "Naam", "Soort"],
            [1001, "Bakkerij B.V.", "zakelijk"],
            ["1002", "J. de Vries", "consument"],
            ["01003 ", "Oud Nummer B.V.", "zakelijk"],
        ],
        Facturen=[
            ["Factuurnummer", "Debiteurnummer", "Factuurdatum", "Bedrag"],
            [2026001, "1001 ", date(2026, 9, 1), 100],
            ["2026002", 1002, date(2026, 9, 2), 100],
            ["2026003", "01003", date(2026, 9, 3), 100],
        ],
        Betalingen=[
            ["Datum", "Debiteurnummer", "Factuurnummer", "Bedrag"],
            [date(2026, 10, 1), 1001.0, "2026001", 100],
            [date(2026, 10, 2), "1002\u00a0", 2026002, 100],
        ],
        Acties=[["Datum", "Debiteurnummer", "Soort"], [date(2026, 10, 3), " 01003", "Notitie"]],
    )
    register = read_register(path)
    assert register.debtors["debtor_id"].tolist() == ["1001", "1002", "01003"]
    assert register.invoices["invoice_id"].tolist() == ["2026001", "2026002", "2026003"]
    assert register.invoices["debtor_id"].tolist() == ["1001", "1002", "01003"]
    assert register.payments["debtor_id"].tolist() == ["1001", "1002"]
    assert register.payments["invoice_id"].tolist() == ["2026001", "2026002"]
    assert register.actions["debtor_id"].tolist() == ["01003"]


def test_a_number_that_lost_its_leading_zero_is_named_with_the_form_the_register_has(tmp_path, capsys):
    # Excel turns 01003 typed into a General cell into the number 1003.
    path = write_register(
        tmp_path,
        Debiteuren=[
            ["Debiteurnummer", "Naam", "Soort"],
            ["1001", "Bakkerij B.V.", "zakelijk"],
            ["01003", "Oud B.V.", "zakelijk"],
        ],
        Facturen=[
            ["Factuurnummer", "Debiteurnummer", "Factuurdatum", "Bedrag"],
            ["F-001", "1001", date(2026, 9, 1), 100],
            ["F-002", 1003, date(2026, 9, 2), 100],
        ],
    )
    assert main(["controleer", str(path)]) == 1
    err = capsys.readouterr().err
    assert (
        "- Blad 'Facturen', rij 3, kolom 'Debiteurnummer': '1003' is ongeldig; verwacht: een debiteurnummer uit het "
        "blad 'Debiteuren' (daar staat '01003'; gebruik overal hetzelfde nummer, ook de voorloopnullen)."
    ) in err.splitlines()
    assert "Traceback" not in err


def test_an_excel_table_with_its_totals_row_switched_on(tmp_path):
    path = write_register(
        tmp_path,
        Facturen=[
            ["factuurnummer", "DEBITEURNUMMER", "Factuur datum:", "Bedrag"],
            *[row[:3] + [row[4]] for row in DEFAULT_SHEETS["Facturen"][1:]],
        ],
    )
    workbook = openpyxl.load_workbook(path)
    sheet = workbook["Facturen"]
    sheet.append(["Totaal", None, None, "=SUBTOTAL(109,[Bedrag])"])
    table = sheet.tables["Facturen"]
    table.ref, table.totalsRowCount = "A1:D4", 1
    workbook.save(path)
    invoices = read_register(path).invoices
    assert invoices["invoice_id"].tolist() == ["F-001", "F-002"]
    assert invoices["amount_cents"].tolist() == [121000, 12100]


def test_a_header_merged_over_two_rows_and_blank_rows_between_the_data(tmp_path):
    path = write_register(tmp_path)
    replace_sheet(
        path,
        "Betalingen",
        [
            ["Datum", "Debiteurnummer", "Factuurnummer", "Bedrag"],
            [None, None, None, None],  # the lower half of the merged header cells
            [None, None, None, None],
            [date(2026, 10, 5), "1001", "F-001", 200],
            [None, None, None, None],
            [date(2026, 10, 6), "1001", "F-001", 10],
            ["Totalen", None, None, 210],
        ],
        merges=("A1:A2", "B1:B2", "C1:C2", "D1:D2"),
    )
    payments = read_register(path).payments
    assert payments["excel_row"].tolist() == [4, 6]
    assert payments["amount_cents"].tolist() == [20000, 1000]


def test_a_sheet_without_a_table_and_extra_columns_of_the_controllers_own(tmp_path):
    sheets = dict(DEFAULT_SHEETS)
    sheets["Debiteuren"] = [
        ["Klantenlijst", None, None, None, None],
        ["Debiteurnummer", "Naam", "Accountmanager", "Soort", "Betaaltermijn"],
        ["1001", "Bakkerij De Korenschoof B.V.", "Piet", "zakelijk", 30],
        ["1002", "J. de Vries", "Anne", "consument", 14],
    ]
    register = read_register(write_register(tmp_path, tables=False, **sheets))
    assert register.debtors["debtor_id"].tolist() == ["1001", "1002"]
    assert register.debtors["excel_row"].tolist() == [3, 4]
    assert "Accountmanager" not in register.debtors.columns


def test_cells_it_cannot_understand_are_all_named_at_once(tmp_path, capsys):
    path = write_register(
        tmp_path,
        Facturen=[
            ["Factuurnummer", "Debiteurnummer", "Factuurdatum", "Bedrag"],
            ["F-001", "1001", date(2026, 9, 1), 1210],
            ["F-002", "1001", "12/31/2026", 10],  # month first: nothing is guessed
            ["F-003", "1001", "31-12-26", 10],  # a two-digit year
            ["F-004", "1001", date(2026, 9, 1), "ca. 100"],
            ["F-005", "1001", date(2026, 9, 1), "#N/A"],  # an Excel error value reads as empty
            ["F-006", date(2026, 1, 2), date(2026, 9, 1), 10],  # Excel made a date of '1-2'
        ],
    )
    before = path.read_bytes()
    assert main(["controleer", str(path)]) == 1
    err = capsys.readouterr().err
    lines = err.splitlines()
    assert lines[0] == "Het register bevat 5 fouten:"
    assert lines[1:6] == [
        "- Blad 'Facturen', rij 3, kolom 'Factuurdatum': '12/31/2026' is ongeldig; verwacht: een geldige datum (dd-mm-jjjj).",
        "- Blad 'Facturen', rij 4, kolom 'Factuurdatum': '31-12-26' is ongeldig; verwacht: een geldige datum (dd-mm-jjjj).",
        "- Blad 'Facturen', rij 5, kolom 'Bedrag': 'ca. 100' is ongeldig; verwacht: een bedrag in euro's, bijvoorbeeld 1.234,56.",
        "- Blad 'Facturen', rij 6, kolom 'Bedrag': (leeg) is ongeldig; verwacht: een waarde (dit veld is verplicht).",
        "- Blad 'Facturen', rij 7, kolom 'Debiteurnummer': '02-01-2026' is ongeldig; verwacht: een nummer of code, geen datum.",
    ]
    assert "Traceback" not in err
    assert path.read_bytes() == before


def test_headers_with_odd_case_spaces_and_a_trailing_colon_in_an_excel_table(tmp_path):
    path = write_register(
        tmp_path,
        Acties=[
            ["DATUM:", " Debiteur nummer ", "soort :", "Omschrijving"],
            [date(2026, 10, 8), "1001", "betalingsherinnering", "Herinnering verstuurd"],
        ],
    )
    # openpyxl writes the Table's column names from these header cells, as Excel does.
    assert [c.name for c in openpyxl.load_workbook(path)["Acties"].tables["Acties"].tableColumns][:2] == [
        "DATUM:",
        " Debiteur nummer ",
    ]
    actions = read_register(path).actions
    assert actions["kind"].tolist() == ["Betalingsherinnering"]
    assert dates(actions, "action_date") == [date(2026, 10, 8)]


def test_optional_sheets_may_be_blank_or_missing(tmp_path):
    path = write_register(tmp_path, Regelingen=[], Aanmaanschema=None)
    register = read_register(path)
    assert register.arrangements.empty
    # No Aanmaanschema: the default policy of the design.
    assert [s.action for s in register.policy][:2] == ["Betalingsherinnering", "Telefoongesprek"]
