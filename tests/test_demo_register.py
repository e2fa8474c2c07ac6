"""The demo register and the empty register: structure, story, determinism.

The committed files in ``workbook/`` are read the way the tool reads them
(python-calamine, Tables by name) and the way Excel sees them (openpyxl:
Tables, data validation, freeze panes, number formats). Facts about the story
are computed from the data; nothing is looked up by a hard-coded debtor number.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from debiteuren.demo import DEMO_PEILDATUM, build_demo, build_empty, generate_demo, main
from debiteuren.register.model import DEFAULT_POLICY, SETTINGS
from debiteuren.register.schema import BOOL, CHOICE, DATE, MONEY, RESULT_SHEETS, SHEETS
from debiteuren.payment_behaviour import SETTING_NAMES as WARNING_SETTING_NAMES
from debiteuren.segments import SETTING_NAMES as SCORECARD_SETTING_NAMES

TUNING_NAMES = [*WARNING_SETTING_NAMES.values(), *SCORECARD_SETTING_NAMES.values()]

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "workbook" / "debiteuren.xlsx"
EMPTY = ROOT / "workbook" / "leeg-register.xlsx"
END = DEMO_PEILDATUM

# The drop-down columns design §4 asks for, by sheet and header.
DROPDOWNS = {
    "Debiteuren": ("Soort", "Status", "Grootte", "Taal", "Segment"),
    "Facturen": ("Betwist",),
    "Acties": ("Soort",),
    "Aanmaanschema": ("Voor",),
}


# --------------------------------------------------------------------------
# helpers


def table_names(workbook: CalamineWorkbook) -> list[str]:
    names = workbook.table_names  # a property in recent python-calamine, a method before
    return list(names() if callable(names) else names)


def read_tables(path: Path) -> dict[str, list[dict]]:
    """Every Table by name as a list of {header: value}, blank rows left out."""
    workbook = CalamineWorkbook.from_path(str(path), load_tables=True)
    tables = {}
    for name in table_names(workbook):
        table = workbook.get_table_by_name(name)
        headers = list(table.columns)
        rows = [r for r in table.to_python() if any(v not in ("", None) for v in r)]
        tables[name] = [dict(zip(headers, r)) for r in rows]
    return tables


def sheet_grids(path: Path) -> dict[str, list[list]]:
    workbook = CalamineWorkbook.from_path(str(path))
    return {name: workbook.get_sheet_by_name(name).to_python() for name in workbook.sheet_names}


def cents(value) -> int:
    """An Excel amount as integer cents; fails on more than two decimals."""
    amount = Decimal(repr(value))
    assert amount == amount.quantize(Decimal("0.01")), value
    return int(amount * 100)


def key(value) -> str:
    """A key cell as the reader sees it: a whole number becomes its digits."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def d(text: str) -> date:
    return date.fromisoformat(text)


@pytest.fixture(scope="module")
def demo() -> dict[str, list[dict]]:
    return read_tables(DEMO)


@pytest.fixture(scope="module")
def ledger(demo):
    """Per invoice: amount, paid on it (by Factuurnummer), and the invoice row."""
    paid = defaultdict(int)
    for p in demo["Betalingen"]:
        if p["Factuurnummer"]:
            paid[p["Factuurnummer"]] += cents(p["Bedrag"])
    return {
        f["Factuurnummer"]: {**f, "cents": cents(f["Bedrag"]), "paid": paid[f["Factuurnummer"]]}
        for f in demo["Facturen"]
    }


# --------------------------------------------------------------------------
# structure


@pytest.mark.parametrize("path", [DEMO, EMPTY], ids=["demo", "leeg"])
def test_every_sheet_is_a_table_named_like_it_with_the_schema_headers(path):
    workbook = CalamineWorkbook.from_path(str(path), load_tables=True)
    assert workbook.sheet_names == ["Toelichting", *SHEETS]
    assert sorted(table_names(workbook)) == sorted(SHEETS)
    for name, spec in SHEETS.items():
        table = workbook.get_table_by_name(name)
        assert table.sheet == name
        assert list(table.columns) == list(spec.headers)
        assert table.start == (1, 0)  # header on row 1, data from row 2, column A


@pytest.mark.parametrize("path", [DEMO, EMPTY], ids=["demo", "leeg"])
def test_excel_sees_tables_drop_downs_and_frozen_headers(path):
    workbook = openpyxl.load_workbook(path)
    for name, spec in SHEETS.items():
        sheet = workbook[name]
        assert list(sheet.tables) == [name]
        header = [c.value for c in sheet[1][: len(spec.headers)]]
        assert header == list(spec.headers)
        assert sheet.freeze_panes in ("A2", "C2")
        last_data_row = openpyxl.utils.cell.range_boundaries(sheet.tables[name].ref)[3]
        validations = {str(v.sqref): v for v in sheet.data_validations.dataValidation if v.type == "list"}
        for header_text in DROPDOWNS.get(name, ()):
            column = spec.column_for(header_text)
            letter = openpyxl.utils.get_column_letter(spec.headers.index(column.header) + 1)
            matching = [v for ref, v in validations.items() if ref.startswith(f"{letter}2:")]
            assert len(matching) == 1, (name, header_text)
            listed = matching[0].formula1.strip('"').split(",")
            assert listed == (["ja", "nee"] if column.kind == BOOL else list(column.choices))
            bottom = int(str(matching[0].sqref).split(":")[1][len(letter) :])
            assert bottom >= last_data_row + 500  # room below the table
    assert workbook["Debiteuren"].freeze_panes == "C2"


def test_every_choice_column_has_a_drop_down():
    with_choices = {(s.name, c.header) for s in SHEETS.values() for c in s.columns if c.kind in (CHOICE, BOOL)}
    listed = {(sheet, h) for sheet, headers in DROPDOWNS.items() for h in headers}
    assert listed <= with_choices
    assert with_choices - listed == set()


def test_dates_and_money_have_dutch_formats(demo):
    workbook = openpyxl.load_workbook(DEMO, read_only=True)
    for name in ("Facturen", "Betalingen", "Acties", "Regelingen"):
        spec = SHEETS[name]
        row = next(workbook[name].iter_rows(min_row=2, max_row=2))
        for column, cell in zip(spec.columns, row):
            if cell.value is None:
                continue
            if column.kind == DATE:
                assert cell.number_format == "dd-mm-yyyy" and isinstance(cell.value, datetime)
            if column.kind == MONEY:
                assert "€" in cell.number_format and "#,##0.00" in cell.number_format


@pytest.mark.parametrize("path", [DEMO, EMPTY], ids=["demo", "leeg"])
def test_openpyxl_reads_the_same_cells_as_calamine(path):
    """Two independent parsers agree on every data cell the generator wrote."""
    workbook = openpyxl.load_workbook(path, read_only=True)
    tables = read_tables(path)
    for name, spec in SHEETS.items():
        rows = [r for r in workbook[name].iter_rows(min_row=2, values_only=True) if any(v is not None for v in r)]
        seen = [[_plain(v) for v in r[: len(spec.headers)]] for r in rows]
        expected = [[_plain(row[h]) for h in spec.headers] for row in tables[name]]
        assert seen == expected, name


def _plain(value):
    if value in ("", None):
        return None
    if isinstance(value, datetime):
        return value.date()
    return value


def test_the_explanation_comes_first_and_names_what_the_tool_writes():
    workbook = CalamineWorkbook.from_path(str(DEMO))
    rows = workbook.get_sheet_by_name("Toelichting").to_python()
    names = {row[0] for row in rows}
    assert set(SHEETS) | set(RESULT_SHEETS) <= names
    text = " ".join(str(cell) for row in rows for cell in row)
    assert "voegt alleen regels toe" in text and "wijzigt of verwijdert nooit een regel" in text


# --------------------------------------------------------------------------
# the demo's content


def test_sizes_are_in_the_stated_ranges(demo):
    debtors = demo["Debiteuren"]
    kinds = Counter(r["Soort"] for r in debtors)
    assert len(debtors) == 60 and kinds == {"zakelijk": 45, "consument": 15}
    invoices = [r for r in demo["Facturen"] if r["Bedrag"] > 0]
    notes = [r for r in demo["Facturen"] if r["Bedrag"] < 0]
    assert 1300 <= len(demo["Facturen"]) <= 1800
    assert 0.01 <= len(notes) / len(demo["Facturen"]) <= 0.03
    assert 1200 <= len(demo["Betalingen"]) <= 1700
    assert 80 <= len(demo["Acties"]) <= 300
    assert len(demo["Regelingen"]) == 3
    dates = [r["Factuurdatum"] for r in invoices]
    assert min(dates) >= END - timedelta(days=24 * 31) and max(dates) <= END


def test_debtor_numbers_are_unique_and_every_reference_names_one(demo):
    numbers = [key(r["Debiteurnummer"]) for r in demo["Debiteuren"]]
    assert len(set(numbers)) == len(numbers)
    for sheet in ("Facturen", "Betalingen", "Acties", "Regelingen"):
        assert {key(r["Debiteurnummer"]) for r in demo[sheet]} <= set(numbers), sheet
    invoice_ids = [r["Factuurnummer"] for r in demo["Facturen"]]
    assert len(set(invoice_ids)) == len(invoice_ids)
    owner = {r["Factuurnummer"]: key(r["Debiteurnummer"]) for r in demo["Facturen"]}
    for p in demo["Betalingen"]:
        if p["Factuurnummer"]:
            assert owner[p["Factuurnummer"]] == key(p["Debiteurnummer"])
    for a in demo["Acties"]:
        for invoice in filter(None, (x.strip() for x in a["Factuurnummers"].split(","))):
            assert owner[invoice] == key(a["Debiteurnummer"])


def test_amounts_are_whole_cents_in_realistic_ranges(demo):
    kind = {key(r["Debiteurnummer"]): r["Soort"] for r in demo["Debiteuren"]}
    for r in demo["Facturen"]:
        amount = cents(r["Bedrag"])
        if amount > 0:
            low, high = (50_00, 1_500_00) if kind[key(r["Debiteurnummer"])] == "consument" else (250_00, 25_000_00)
            assert low <= amount <= high, r
    for r in demo["Betalingen"]:
        assert cents(r["Bedrag"]) > 0
    for r in demo["Regelingen"]:
        cents(r["Bedrag"])


def test_due_date_is_invoice_date_plus_the_debtors_term(demo):
    term = {key(r["Debiteurnummer"]): int(r["Betaaltermijn"]) for r in demo["Debiteuren"]}
    for r in demo["Facturen"]:
        assert r["Vervaldatum"] - r["Factuurdatum"] == timedelta(days=term[key(r["Debiteurnummer"])])
    assert set(term.values()) <= {14, 30, 60}
    consumers = {key(r["Debiteurnummer"]) for r in demo["Debiteuren"] if r["Soort"] == "consument"}
    assert {term[c] for c in consumers} == {14}


def test_credit_notes_refer_to_an_invoice_of_the_same_debtor(demo, ledger):
    notes = [r for r in demo["Facturen"] if r["Bedrag"] < 0]
    for note in notes:
        words = note["Omschrijving"].replace(":", " ").split()
        assert words[:3] == ["Creditnota", "op", "factuur"]
        original = ledger[words[3]]
        assert original["Debiteurnummer"] == note["Debiteurnummer"]
        assert -cents(note["Bedrag"]) <= original["cents"]
        assert note["Factuurdatum"] >= original["Factuurdatum"]


def test_payments_are_dated_at_most_the_peildatum_and_most_old_invoices_are_paid(demo, ledger):
    assert max(r["Datum"] for r in demo["Betalingen"]) <= END
    credited = defaultdict(int)
    for r in demo["Facturen"]:
        if r["Bedrag"] < 0:
            credited[r["Omschrijving"].replace(":", " ").split()[3]] -= cents(r["Bedrag"])
    unallocated = sum(cents(p["Bedrag"]) for p in demo["Betalingen"] if not p["Factuurnummer"])
    old = [i for i in ledger.values() if i["cents"] > 0 and i["Vervaldatum"] < END - timedelta(days=180)]
    still_open = [i for i in old if i["cents"] - i["paid"] - credited[i["Factuurnummer"]] > 0]
    # A few old ones: the troubled debtors and those paid without an invoice number.
    assert len(still_open) / len(old) < 0.03
    assert sum(i["cents"] - i["paid"] for i in still_open) - unallocated < 50_000_00


def test_the_worsening_payer_is_found_from_the_data(demo, ledger):
    late_by_debtor = defaultdict(lambda: ([], []))
    for p in demo["Betalingen"]:
        invoice = ledger.get(p["Factuurnummer"])
        if invoice is None or invoice["paid"] != invoice["cents"]:
            continue
        days = (p["Datum"] - invoice["Vervaldatum"]).days
        early, recent = late_by_debtor[key(p["Debiteurnummer"])]
        if invoice["Factuurdatum"] < END - timedelta(days=365):
            early.append(days)
        elif invoice["Factuurdatum"] >= END - timedelta(days=150):
            recent.append(days)
    overdue_open = Counter(
        key(i["Debiteurnummer"])
        for i in ledger.values()
        if i["cents"] > 0 and i["paid"] == 0 and i["Vervaldatum"] < END
    )
    worsening = [
        debtor
        for debtor, (early, recent) in late_by_debtor.items()
        if len(early) >= 6
        and len(recent) >= 3
        and sum(early) / len(early) <= 5
        and sum(recent) / len(recent) >= 40
        and overdue_open[debtor] >= 3
    ]
    assert len(worsening) == 1
    (debtor,) = worsening
    row = next(r for r in demo["Debiteuren"] if key(r["Debiteurnummer"]) == debtor)
    assert row["Soort"] == "zakelijk" and row["Status"] == "actief"
    assert generate_demo().roles["worsening"] == (debtor,)


def test_one_disputed_invoice_with_reason_and_log_entry(demo, ledger):
    disputed = [r for r in demo["Facturen"] if r["Betwist"] == "ja"]
    assert len(disputed) == 1
    (invoice,) = disputed
    assert invoice["Reden betwisting"]
    assert invoice["Vervaldatum"] < END and ledger[invoice["Factuurnummer"]]["paid"] == 0
    assert {r["Betwist"] for r in demo["Facturen"]} == {"ja", ""}
    logged = [a for a in demo["Acties"] if a["Soort"] == "Betwisting"]
    assert [a["Factuurnummers"] for a in logged] == [invoice["Factuurnummer"]]


def test_the_arrangement_has_three_instalments_and_the_first_is_paid(demo, ledger):
    rows = demo["Regelingen"]
    assert [int(r["Termijn"]) for r in rows] == [1, 2, 3]
    (debtor,) = {key(r["Debiteurnummer"]) for r in rows}
    (entry,) = [a for a in demo["Acties"] if a["Soort"] == "Betalingsregeling"]
    assert key(entry["Debiteurnummer"]) == debtor
    arranged = [ledger[i.strip()] for i in entry["Factuurnummers"].split(",")]
    assert sum(cents(r["Bedrag"]) for r in rows) == sum(i["cents"] for i in arranged)
    first = rows[0]
    paid_first = [
        p
        for p in demo["Betalingen"]
        if key(p["Debiteurnummer"]) == debtor
        and cents(p["Bedrag"]) == cents(first["Bedrag"])
        and entry["Datum"] <= p["Datum"] <= first["Vervaldatum"]
    ]
    assert len(paid_first) == 1
    assert rows[1]["Vervaldatum"] > END  # the rest is still to come


def test_a_promise_to_pay_in_early_november(demo, ledger):
    (promise,) = [a for a in demo["Acties"] if a["Soort"] == "Betalingsbelofte"]
    promised = promise["Toegezegde datum"]
    assert END < promised <= END + timedelta(days=14) and promised.weekday() < 5
    invoices = [ledger[i.strip()] for i in promise["Factuurnummers"].split(",")]
    assert cents(promise["Toegezegd bedrag"]) == sum(i["cents"] - i["paid"] for i in invoices)
    assert all(i["Vervaldatum"] < END for i in invoices)


def test_statuses_starters_large_organisations_and_languages(demo):
    debtors = demo["Debiteuren"]
    status = Counter(r["Status"] for r in debtors)
    assert status["failliet"] == 1 and status["uit handen"] == 1 and status["oninbaar"] == 0
    (handed_over,) = [key(r["Debiteurnummer"]) for r in debtors if r["Status"] == "uit handen"]
    assert [key(a["Debiteurnummer"]) for a in demo["Acties"] if a["Soort"] == "Uit handen"] == [handed_over]
    starters = [r for r in debtors if r["Klant sinds"] >= END - timedelta(days=365)]
    assert 3 <= len(starters) <= 6
    assert 3 <= sum(r["Grootte"] == "groot" for r in debtors) <= 6
    assert 1 <= sum(r["Taal"] == "en" for r in debtors) <= 2
    assert {r["Taal"] for r in debtors} == {"nl", "en"}


def test_the_log_has_history_and_one_fourteen_day_letter(demo):
    kinds = Counter(a["Soort"] for a in demo["Acties"])
    assert kinds["Betalingsherinnering"] >= 30
    assert kinds["Telefoongesprek"] >= 3 and kinds["Ingebrekestelling"] >= 3
    assert kinds["Veertiendagenbrief"] == 1
    assert min(a["Datum"] for a in demo["Acties"]) < END - timedelta(days=60)
    multi = [a for a in demo["Acties"] if "," in a["Factuurnummers"]]
    assert multi and all(", " in a["Factuurnummers"] for a in multi)


def test_unallocated_payments_and_one_overpaid_invoice(demo, ledger):
    unallocated = [p for p in demo["Betalingen"] if not p["Factuurnummer"]]
    assert 2 <= len(unallocated) <= 3
    overpaid = [i for i in ledger.values() if i["paid"] > i["cents"] > 0]
    assert len(overpaid) == 1
    partial = [i for i in ledger.values() if 0 < i["paid"] < i["cents"]]
    assert len(partial) >= 5


def test_a_review_at_the_peildatum_has_large_overdue_debtors(demo, ledger):
    overdue = defaultdict(int)
    for i in ledger.values():
        if i["cents"] > 0 and i["Vervaldatum"] < END and i["Betwist"] != "ja":
            overdue[key(i["Debiteurnummer"])] += max(0, i["cents"] - i["paid"])
    assert sum(amount >= 20_000_00 for amount in overdue.values()) >= 3


def test_settings_have_a_row_per_setting_with_the_demo_company(demo):
    rows = demo["Instellingen"]
    assert [r["Instelling"] for r in rows] == [s.name for s in SETTINGS] + TUNING_NAMES
    value = {r["Instelling"]: r["Waarde"] for r in rows}
    # The early warning and the scorecard at their defaults, visible to the controller.
    assert (value["Signaal verslechtering procent"], value["Grens hoog risico"], value["Score te laat punten"]) == (
        "25",
        "5",
        "1",
    )
    assert value["Bedrijfsnaam"] == "Voorbeeld Groothandel B.V." and value["Plaats"] == "Utrecht"
    assert value["Standaard betaaltermijn"] == "30"
    assert value["Ouderdomsklassen"] == "30,60,90,120"
    assert value["Incassokosten met btw"] == "nee" and value["Afronding rente"] == "einde"
    assert all(
        value[k] for k in ("BIC", "KvK-nummer", "Btw-nummer", "Ondertekenaar", "Functie ondertekenaar", "Incassobureau")
    )
    assert iban_is_valid(value["IBAN"]) and value["IBAN"].startswith("NL")


def test_debtor_ibans_have_valid_check_digits(demo):
    ibans = [r["IBAN"] for r in demo["Debiteuren"] if r["IBAN"]]
    assert len(ibans) >= 50 and all(iban_is_valid(i) for i in ibans)


def iban_is_valid(iban: str) -> bool:
    """ISO 13616: move the first four characters to the end, letters to numbers, mod 97 is 1."""
    text = iban.replace(" ", "")
    digits = "".join(str(int(c, 36)) for c in text[4:] + text[:4])
    return len(text) == 18 and int(digits) % 97 == 1


def test_policy_and_example_rate(demo):
    policy = [
        (int(r["Stap"]), r["Actie"], r["Voor"], int(r["Dagen"]), int(r["Termijn"]) if r["Termijn"] != "" else None)
        for r in demo["Aanmaanschema"]
    ]
    assert policy == [(s.step, s.action, s.applies_to, s.days, s.term_days) for s in DEFAULT_POLICY]
    assert [(r["Ingangsdatum"], r["Wettelijke rente"], r["Handelsrente"]) for r in demo["Rentetabel"]] == [
        (d("2026-07-01"), 4.0, 10.4)
    ]


# --------------------------------------------------------------------------
# the empty register


def test_the_empty_register_has_only_settings_and_the_policy():
    tables = read_tables(EMPTY)
    for name in ("Debiteuren", "Facturen", "Betalingen", "Acties", "Regelingen", "Rentetabel"):
        assert tables[name] == [], name
    assert [r["Instelling"] for r in tables["Instellingen"]] == [s.name for s in SETTINGS] + TUNING_NAMES
    value = {r["Instelling"]: r["Waarde"] for r in tables["Instellingen"]}
    assert value["Bedrijfsnaam"] == "" and value["IBAN"] == ""
    assert value["Standaard betaaltermijn"] == "30" and value["Ouderdomsklassen"] == "30,60,90,120"
    assert value["Incassokosten met btw"] == "nee" and value["Samengestelde rente"] == "ja"
    assert len(tables["Aanmaanschema"]) == len(DEFAULT_POLICY)


# --------------------------------------------------------------------------
# determinism and size


def test_the_committed_files_equal_a_fresh_build(tmp_path):
    build_demo(tmp_path / "debiteuren.xlsx")
    build_empty(tmp_path / "leeg-register.xlsx")
    assert sheet_grids(tmp_path / "debiteuren.xlsx") == sheet_grids(DEMO)
    assert sheet_grids(tmp_path / "leeg-register.xlsx") == sheet_grids(EMPTY)


def test_two_builds_are_byte_identical(tmp_path):
    digests = set()
    for name in ("a.xlsx", "b.xlsx"):
        build_demo(tmp_path / name)
        digests.add(hashlib.sha256((tmp_path / name).read_bytes()).hexdigest())
    assert len(digests) == 1
    assert read_tables(tmp_path / "a.xlsx") == read_tables(tmp_path / "b.xlsx")


def test_another_seed_gives_another_register(tmp_path):
    build_demo(tmp_path / "other.xlsx", seed=7)
    other = read_tables(tmp_path / "other.xlsx")
    assert other["Facturen"] != read_tables(DEMO)["Facturen"]
    assert len(other["Regelingen"]) == 3 and sum(r["Betwist"] == "ja" for r in other["Facturen"]) == 1


def test_a_register_of_2000_debtors(tmp_path):
    data = build_demo(tmp_path / "groot.xlsx", debtors=2000)
    tables = read_tables(tmp_path / "groot.xlsx")
    assert len(tables["Debiteuren"]) == len(data.debtors) == 2000
    assert 40_000 <= len(tables["Facturen"]) == len(data.invoices) <= 60_000
    assert 0.8 <= len(tables["Betalingen"]) / len(tables["Facturen"]) <= 1.0
    assert len(tables["Acties"]) == len(data.actions) >= 1000
    assert len(tables["Regelingen"]) == 3


@pytest.mark.parametrize("debtors", range(30, 51))
def test_every_small_size_from_the_minimum_up_is_generated(debtors):
    # The story's rarer roles (a double payment) may not fit a small register; the rest must.
    data = generate_demo(debtors=debtors)
    assert len(data.debtors) == debtors
    assert data.roles["worsening"] and data.roles["unallocated"]
    assert len(data.roles["overpaid"]) <= 1


def test_too_few_debtors_for_the_story_is_refused():
    with pytest.raises(ValueError, match="at least"):
        generate_demo(debtors=10)


def test_the_command_regenerates_both_files(tmp_path, capsys):
    assert main([str(tmp_path)]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["debiteuren.xlsx", "leeg-register.xlsx"]
    assert "60 debiteuren" in capsys.readouterr().out
    assert sheet_grids(tmp_path / "debiteuren.xlsx") == sheet_grids(DEMO)
