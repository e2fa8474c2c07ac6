"""The notebook views (debiteuren.app) driven like a controller would: set values, click, check.

Every assertion compares what a view shows or writes with what the library
returns for the same input. Registers are temporary copies of the demo; the
committed workbook/debiteuren.xlsx is never written.
"""

from __future__ import annotations

import hashlib
import html
import shutil
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from debiteuren.app import Dossier, MaandReview, Vordering
from debiteuren.app import widgets_common
from debiteuren.app.maandreview import kerncijfers_trend
from debiteuren.demo_register import DEMO_PEILDATUM
from debiteuren.law.collection_costs import collection_costs
from debiteuren.law.commands import format_interest_specification
from debiteuren.law.interest import Claim, Payment, calculate_debtor_interest
from debiteuren.law.rates import HANDELSRENTE
from debiteuren.money import cents_to_decimal, format_eur
from debiteuren.monthly_run import run_month
from debiteuren.register import RegisterInvalid, read_register
from debiteuren.result_sheets import kerncijfers

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "workbook" / "debiteuren.xlsx"
NOTEBOOKS = ROOT / "notebooks"
NOW = datetime(2026, 11, 2, 9, 30)


def clock() -> datetime:
    return NOW


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def register(tmp_path) -> Path:
    """A fresh copy of the demo register to write into."""
    target = tmp_path / "werk" / "debiteuren.xlsx"
    target.parent.mkdir()
    shutil.copyfile(DEMO, target)
    return target


@pytest.fixture(scope="module")
def demo_run():
    """The library's own answer for the demo (read only)."""
    return run_month(DEMO, DEMO_PEILDATUM, generated_at=NOW, write=False)


@pytest.fixture(scope="module")
def review_view(tmp_path_factory):
    """One monthly review view over a read-only copy, for the tests that only look."""
    folder = tmp_path_factory.mktemp("alleen-lezen")
    shutil.copyfile(DEMO, folder / "debiteuren.xlsx")
    return MaandReview(folder / "debiteuren.xlsx", DEMO_PEILDATUM, clock=clock)


# --- monthly review -----------------------------------------------------------------------------


def test_maandreview_shows_exactly_what_the_review_returns(review_view, demo_run):
    view, review = review_view, demo_run.review
    assert view.messages.lines == ()
    assert view.steps() == review.plan.steps
    amounts = {row.category: int(row.amount_cents) for row in review.kpis.positions.itertuples()}
    tiles = [t.value for t in view.tiles.children]
    assert format_eur(cents_to_decimal(amounts["Openstaand"])) in tiles[0]
    assert format_eur(cents_to_decimal(amounts["Vervallen"])) in tiles[1]
    assert str(review.kpis.dso_countback).replace(".", ",") + " dagen" in tiles[2]
    for segment, debtors in zip(review.kpis.per_segment["segment"], review.kpis.per_segment["debtors"]):
        assert f"<td>{segment}</td><td style=\"text-align:right\">{debtors}</td>" in view.segments.value
    warned = review.debtors.loc[review.debtors["early_warning"].astype(bool), "name"]
    assert len(warned) > 0 and all(name.replace("&", "&amp;") in view.warnings.value for name in warned)
    assert view.ageing_chart.value[:4] == b"\x89PNG"
    assert view.trend_chart.value[:4] == b"\x89PNG"
    assert view.trend[-1].peildatum == DEMO_PEILDATUM
    assert view.trend[-1].dso == kerncijfers(review).iloc[0]["DSO (terugrekenmethode)"]
    assert not view.generate_button.disabled


def test_maandreview_ticking_selects_the_steps(review_view):
    view = review_view
    view.select_none()
    assert view.selected_steps() == ()
    view.select_due()
    assert view.selected_steps() == tuple(s for s in view.steps() if s.due_now)
    view.select_none()
    assert view.select(view.rows[0].step.debtor_id) >= 1
    assert {s.debtor_id for s in view.selected_steps()} == {view.rows[0].step.debtor_id}
    view.select_none()
    first = view.rows[0]
    first.checkbox.value = True
    assert view.selected_steps() == (first.step,)
    view.select_none()


def test_maandreview_generate_without_ticks_says_so(review_view):
    review_view.select_none()
    assert review_view.generate() is False
    assert review_view.letters_messages.lines == ("Vink eerst in de actielijst aan welke stappen u wilt zetten.",)


def first_step(view: MaandReview, action: str):
    return next(s for s in view.steps() if s.action == action and s.due_now)


def test_maandreview_generates_the_ticked_letter_and_logs_it(register, tmp_path):
    view = MaandReview(register, DEMO_PEILDATUM, clock=clock)
    before = read_register(register).actions
    letter, task = first_step(view, "Betalingsherinnering"), first_step(view, "Telefoongesprek")
    view.tick(letter, task)
    assert view.selected_steps() == tuple(s for s in view.steps() if s in (letter, task))
    view.letters_folder_input.value = str(tmp_path / "brieven")
    assert view.generate() is True
    batch = view.batch
    assert len(batch.rendered) == 1
    docx = Path(batch.rendered[0].docx)
    assert docx.exists() and docx.suffix == ".docx" and docx.parent == tmp_path / "brieven"
    after = read_register(register).actions
    assert len(after) == len(before) + 1
    logged = after.iloc[-1]
    assert (logged["debtor_id"], logged["kind"]) == (letter.debtor_id, "Betalingsherinnering")
    # Dated the day it was made (the clock), not the peildatum: the term counts from that day.
    assert view.letter_date_input.value == NOW.date() != DEMO_PEILDATUM
    assert logged["action_date"].date() == NOW.date() and batch.rendered[0].letter.letter_date == NOW.date()
    assert view.progress.value == view.progress.max == 1 and view.progress.bar_style == "success"
    shown = view.letters_messages.lines
    assert shown[: len(batch.messages[0].splitlines())] == tuple(batch.messages[0].splitlines())
    assert [s for s, _ in batch.skipped] == [task]
    reason = batch.skipped[0][1]
    assert f"Geen brief voor {task.debtor_id} {task.name} (Telefoongesprek): {reason}" in shown
    assert "Resultaatbladen geschreven: Ouderdom, Actielijst, Kerncijfers, Prognose." in shown
    # the review moved on: the reminder is done, so it is no longer proposed for those invoices
    assert letter not in view.steps()
    assert view.steps() == run_month(register, DEMO_PEILDATUM, generated_at=NOW, write=False).review.plan.steps


def test_maandreview_writes_results_and_the_trend_comes_from_kerncijfers(register):
    view = MaandReview(register, DEMO_PEILDATUM, clock=clock)
    assert view.write_results() is True
    assert view.messages.lines[0] == "Resultaatbladen geschreven: Ouderdom, Actielijst, Kerncijfers, Prognose."
    # a second peildatum adds a Kerncijfers row: the trend has both points from the sheet
    view.peildatum_input.value = DEMO_PEILDATUM - timedelta(days=31)
    assert view.load() and view.write_results()
    trend = kerncijfers_trend(register, None)
    assert [p.peildatum for p in trend] == [DEMO_PEILDATUM - timedelta(days=31), DEMO_PEILDATUM]
    assert view.trend == trend


def test_maandreview_lists_every_register_problem_in_dutch(register):
    from openpyxl import load_workbook

    book = load_workbook(register)
    sheet = book["Facturen"]
    headers = [c.value for c in sheet[1]]
    sheet.cell(row=2, column=headers.index("Bedrag") + 1, value="twaalf")
    sheet.cell(row=3, column=headers.index("Factuurdatum") + 1, value="31-02-2025")
    book.save(register)
    with pytest.raises(RegisterInvalid) as invalid:
        read_register(register)
    view = MaandReview(register, DEMO_PEILDATUM, clock=clock)
    assert view.run is None
    assert view.messages.kind == "fout"
    assert view.messages.lines == tuple(invalid.value.report().splitlines())
    assert len(view.messages.lines) == 1 + len(invalid.value.problems) >= 3
    assert view.steps() == () and view.generate_button.disabled


def test_maandreview_missing_file(tmp_path):
    view = MaandReview(tmp_path / "weg.xlsx", DEMO_PEILDATUM, clock=clock)
    assert view.messages.lines == (
        f"Het bestand '{tmp_path / 'weg.xlsx'}' bestaat niet. Controleer het pad naar het register.",
    )


def test_maandreview_on_a_workbook_open_in_fake_excel(register, demo_run):
    """The live backend through tests/fake_xlwings.py (not Excel): pick the open workbook, review, write."""
    from fake_xlwings import FakeXlwings

    xw = FakeXlwings(register)
    book = xw.apps[0].books[0]
    file_before = digest(register)
    view = MaandReview(register.parent / "elders.xlsx", DEMO_PEILDATUM, clock=clock, xw=xw, load=False)
    assert view.chooser.open_input.options[1] == ("debiteuren.xlsx", book.fullname)
    view.chooser.open_input.value = book.fullname
    assert view.source_input.value == book.fullname
    assert view.load() is True
    assert view.target is book
    assert view.steps() == demo_run.review.plan.steps  # the same answer as from the file
    assert "(open in Excel;" in view.target_label.value
    assert view.write_results() is True
    assert "Geschreven in de werkmap die open staat in Excel; sla hem daar op." in view.messages.lines
    assert "Kerncijfers" in [s.name for s in book.sheets]
    assert [p.peildatum for p in view.trend] == [DEMO_PEILDATUM]
    assert digest(register) == file_before  # Excel saves, not the tool


def test_dossier_records_a_call_in_the_workbook_open_in_fake_excel(register):
    from fake_xlwings import FakeXlwings

    xw = FakeXlwings(register)
    book = xw.apps[0].books[0]
    view = Dossier(book, DEMO_PEILDATUM, clock=clock, debtor_id="10002", xw=xw)
    assert view.target is book
    before = len(read_register(book).actions)
    view.description_input.value = "Gebeld vanuit Excel."
    assert view.record() is True
    actions = read_register(book).actions
    assert len(actions) == before + 1
    assert (actions.iloc[-1]["kind"], actions.iloc[-1]["description"]) == ("Telefoongesprek", "Gebeld vanuit Excel.")


# --- dossier ------------------------------------------------------------------------------------


def test_dossier_shows_the_debtors_invoices_payments_and_log(register, demo_run):
    view = Dossier(register, DEMO_PEILDATUM, clock=clock, debtor_id="10002")
    assert view.debtor_id == "10002"
    invoices = demo_run.review.ledger.invoices
    mine = invoices.loc[invoices["debtor_id"] == "10002"]
    assert len(mine) > 0
    for row in mine.itertuples():
        assert f"<td>{row.invoice_id}</td>" in view.invoices.value
    open_total = demo_run.review.debtors.set_index("debtor_id").loc["10002", "open_cents"]
    assert format_eur(cents_to_decimal(int(open_total))) in view.header.value
    log = demo_run.register.actions
    assert view.log.value.count("<tr>") == 1 + int((log["debtor_id"] == "10002").sum())
    assert view.chart.value[:4] == b"\x89PNG"
    for step in (s for s in demo_run.review.plan.steps if s.debtor_id == "10002"):
        assert f"<td>{step.action}</td>" in view.header.value and html.escape(step.reason) in view.header.value
    view.choose("10005")
    assert "Bouwbedrijf Vink" in view.header.value


def test_dossier_records_a_phone_call_in_acties(register):
    view = Dossier(register, DEMO_PEILDATUM, clock=clock, debtor_id="10002", by="Sanne Koster")
    before = len(read_register(register).actions)
    view.kind_input.value = "Telefoongesprek"
    view.invoices_input.value = "2026-0518"
    view.description_input.value = "Gebeld; betaalt vrijdag."
    assert view.record() is True
    actions = read_register(register).actions
    assert len(actions) == before + 1
    row = actions.iloc[-1]
    assert (row["action_date"].date(), row["debtor_id"], row["invoice_ids"], row["kind"], row["description"], row["by"]) == (
        DEMO_PEILDATUM, "10002", "2026-0518", "Telefoongesprek", "Gebeld; betaalt vrijdag.", "Sanne Koster"
    )
    assert view.record_messages.lines[0] == "1 regel toegevoegd aan het logboek (blad 'Acties')."
    assert "Gebeld; betaalt vrijdag." in view.log.value  # read again: the dossier shows it
    assert view.description_input.value == ""


def test_dossier_records_a_promise_to_pay(register):
    view = Dossier(register, DEMO_PEILDATUM, clock=clock, debtor_id="10030")
    view.kind_input.value = "Betalingsbelofte"
    view.promised_amount_input.value = "1.250,50"
    view.promised_date_input.value = date(2026, 11, 13)
    assert view.record() is True
    row = read_register(register).actions.iloc[-1]
    assert (row["kind"], int(row["promised_cents"]), row["promised_date"].date()) == (
        "Betalingsbelofte", 125050, date(2026, 11, 13)
    )
    assert row["description"] == "Belooft € 1.250,50 te betalen op 13-11-2026."


def test_dossier_records_an_arrangement_in_acties_and_regelingen(register):
    view = Dossier(register, DEMO_PEILDATUM, clock=clock, debtor_id="10030")
    view.kind_input.value = "Betalingsregeling"
    assert len(view.instalment_inputs) == 4
    (d1, a1), (d2, a2) = view.instalment_inputs[:2]
    d1.value, a1.value = date(2026, 11, 15), "500"
    a2.value = "500"
    before = digest(register)
    assert view.record() is False
    assert view.record_messages.lines == ("Termijn 2: vul zowel de vervaldatum als het bedrag in.",)
    assert digest(register) == before  # nothing written
    d2.value = date(2026, 12, 15)
    assert view.record() is True
    row = read_register(register).actions.iloc[-1]
    assert row["kind"] == "Betalingsregeling"
    assert row["description"] == (
        "Betalingsregeling in 2 termijnen: termijn 1 op 15-11-2026 € 500,00; termijn 2 op 15-12-2026 € 500,00."
    )
    arrangements = read_register(register).arrangements
    assert arrangements.loc[arrangements["debtor_id"] == "10030", ["instalment", "amount_cents"]].values.tolist() == [
        [1, 50000], [2, 50000]
    ]
    assert "2 regels toegevoegd aan het blad 'Regelingen'." in view.record_messages.lines


@pytest.mark.parametrize(
    "kind, amount, expected",
    [
        ("Telefoongesprek", "", "Schrijf in Omschrijving wat er is besproken (Telefoongesprek)."),
        ("Betalingsbelofte", "", "Een betalingsbelofte heeft een toegezegd bedrag en een toegezegde datum."),
        ("Betalingsbelofte", "12,345", "Toegezegd bedrag: '12,345' heeft meer dan twee decimalen."),
        ("Betalingsregeling", "", "Een betalingsregeling heeft ten minste één termijn (vervaldatum en bedrag)."),
    ],
)
def test_dossier_refuses_incomplete_input_in_dutch(register, kind, amount, expected):
    view = Dossier(register, DEMO_PEILDATUM, clock=clock, debtor_id="10002")
    before = digest(register)
    view.kind_input.value = kind
    view.promised_amount_input.value = amount
    view.promised_date_input.value = date(2026, 11, 13)
    assert view.record() is False
    assert view.record_messages.lines == (expected,)
    assert digest(register) == before


# --- claim calculator ---------------------------------------------------------------------------


def test_vordering_shows_what_the_law_package_computes(tmp_path):
    view = Vordering(date(2025, 7, 31), export_folder=tmp_path)
    row = view.claim_rows[0]
    row.amount_input.value = "10.000,00"
    row.due_input.value = date(2025, 5, 31)
    assert row.first_input.value == date(2025, 6, 1)
    calc = view.calculate()
    expected = calculate_debtor_interest(
        [Claim("vordering 1", Decimal("10000"), date(2025, 6, 1), HANDELSRENTE, due_date=date(2025, 5, 31))],
        [], date(2025, 7, 31),
    )
    assert calc.interest == expected
    assert calc.interest.claims[0].interest == Decimal("177.85")
    assert calc.costs == collection_costs(Decimal("10000"))
    assert format_interest_specification(expected.claims[0]) in calc.specification
    assert "Totaal te vorderen:                  € 11.052,85" in calc.specification
    assert html.escape(calc.specification) in view.specification.value
    assert "<td>01-06-2025</td><td>30-06-2025</td>" in view.periods.value
    assert "€ 91,64" in view.periods.value and "€ 86,21" in view.periods.value


def test_vordering_two_invoices_and_a_payment_allocated_by_law(tmp_path):
    view = Vordering(date(2025, 12, 31), export_folder=tmp_path)
    view.claim_rows[0].amount_input.value = "1000"
    view.claim_rows[0].due_input.value = date(2025, 3, 31)
    view.add_claim("2.000,00", date(2025, 6, 30), "F-2")
    view.add_payment(date(2025, 9, 1), "1.500,00")
    view.kind_input.value = "wettelijke"
    view.rounding_input.value = "periode"
    view.compound_input.value = False
    view.costs_input.value = "zakelijk"
    view.in_default_input.value = False
    calc = view.calculate()
    assert view.messages.kind != "fout"
    expected = calculate_debtor_interest(
        [Claim("vordering 1", Decimal("1000"), date(2025, 4, 1), "wettelijke", due_date=date(2025, 3, 31)),
         Claim("F-2", Decimal("2000"), date(2025, 7, 1), "wettelijke", due_date=date(2025, 6, 30))],
        [Payment(date(2025, 9, 1), Decimal("1500"))], date(2025, 12, 31), compound=False, rounding="periode",
    )
    assert calc.interest == expected
    assert calc.costs.costs == Decimal("80.00")  # € 40 per invoice before default
    split = expected.payments[0]
    shares = "; ".join(f"{cid}: {format_eur(a)}" for cid, a in split.shares)
    assert shares in view.allocation.value
    assert calc.total == expected.total + Decimal("80.00")


@pytest.mark.parametrize(
    "amount, expected",
    [("", "Vordering 1: '' is geen bedrag."), ("tien", "Vordering 1: 'tien' is geen bedrag."),
     ("-5", "Vordering 1: het bedrag moet groter dan nul zijn.")],
)
def test_vordering_bad_input_in_dutch(tmp_path, amount, expected):
    view = Vordering(date(2025, 7, 31), export_folder=tmp_path)
    view.claim_rows[0].amount_input.value = amount
    view.claim_rows[0].due_input.value = date(2025, 5, 31)
    assert view.calculate() is None
    assert view.messages.lines == (expected,)


def test_vordering_exports_text_and_excel(tmp_path):
    view = Vordering(date(2025, 7, 31), export_folder=tmp_path)
    view.claim_rows[0].amount_input.value = "10000"
    view.claim_rows[0].due_input.value = date(2025, 5, 31)
    view.add_payment(date(2025, 7, 1), "500")
    text = view.export_text()
    assert text == tmp_path / "renteberekening.txt"
    assert text.read_text(encoding="utf-8") == view.calculation.specification + "\n"
    xlsx = view.export_xlsx()
    assert xlsx == tmp_path / "renteberekening.xlsx"
    periods = pd.read_excel(xlsx, sheet_name="Perioden", engine="calamine")
    assert list(periods["Dagen"]) == [s.days for s in view.calculation.interest.claims[0].segments]
    payments = pd.read_excel(xlsx, sheet_name="Betalingen", engine="calamine")
    assert len(payments) == 1 and payments.loc[0, "Bedrag"] == 500
    assert view.export_messages.lines == (f"Tabellen opgeslagen: {xlsx}",)


def test_vordering_takes_over_open_invoices_and_agrees_with_the_review(demo_run, tmp_path):
    view = Vordering(DEMO_PEILDATUM, export_folder=tmp_path, register=DEMO)
    review = demo_run.review
    assert len(view.debtor_input.options) == int((review.debtors["open_cents"] > 0).sum())
    mine = review.interest.loc[
        (review.interest["debtor_id"] == "10002") & (review.interest["first_interest_day"] <= pd.Timestamp(DEMO_PEILDATUM))
    ]
    assert view.take_over("10002") == len(mine) > 1
    assert [r.id_input.value for r in view.claim_rows] == list(mine["invoice_id"])
    assert [r.first_input.value for r in view.claim_rows] == [d.date() for d in mine["first_interest_day"]]
    calc = view.calculate()
    # no payments after the peildatum: the exact calculation gives the review's interest to date
    assert calc.interest.interest == cents_to_decimal(int(mine["interest_cents"].sum()))
    assert calc.interest.total == cents_to_decimal(int(mine["open_cents"].sum() + mine["interest_cents"].sum()))


# --- parameters and notebooks -------------------------------------------------------------------


def test_parameters_default_to_a_copy_of_the_demo(tmp_path, monkeypatch):
    monkeypatch.delenv(widgets_common.ENV_WORKBOOK, raising=False)
    monkeypatch.delenv(widgets_common.ENV_PEILDATUM, raising=False)
    monkeypatch.setattr(widgets_common.tempfile, "gettempdir", lambda: str(tmp_path))
    path = widgets_common.workbook_parameter("")
    assert path == tmp_path / "debiteuren-werkmap" / "debiteuren.xlsx"
    assert digest(path) == digest(DEMO) and path != DEMO
    assert widgets_common.peildatum_parameter("", path, today=date(2027, 1, 5)) == DEMO_PEILDATUM
    assert widgets_common.peildatum_parameter("", tmp_path / "eigen.xlsx", today=date(2027, 1, 5)) == date(2027, 1, 5)
    monkeypatch.setenv(widgets_common.ENV_WORKBOOK, str(tmp_path / "eigen.xlsx"))
    monkeypatch.setenv(widgets_common.ENV_PEILDATUM, "2026-09-30")
    assert widgets_common.workbook_parameter("") == tmp_path / "eigen.xlsx"
    assert widgets_common.peildatum_parameter("", tmp_path / "eigen.xlsx", today=date(2027, 1, 5)) == date(2026, 9, 30)
    with pytest.raises(widgets_common.InputError, match="Peildatum '30-09-2026' is geen datum"):
        widgets_common.peildatum_parameter("30-09-2026", path, today=date(2027, 1, 5))


@pytest.mark.parametrize("name", ["maandreview", "dossier", "vordering"])
def test_notebook_is_committed_small_and_without_outputs(name):
    book = nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)
    code = [c for c in book.cells if c.cell_type == "code"]
    assert len(code) <= 4
    assert all(not c.outputs and c.execution_count is None for c in code)
    assert "date.today()" in "".join(c.source for c in code if "parameters" in c.metadata.get("tags", []))


def test_notebooks_run_top_to_bottom_on_a_copy(register, monkeypatch):
    from nbclient import NotebookClient

    committed = digest(DEMO)
    monkeypatch.setenv(widgets_common.ENV_WORKBOOK, str(register))
    monkeypatch.setenv(widgets_common.ENV_PEILDATUM, DEMO_PEILDATUM.isoformat())
    for name in ("maandreview", "dossier", "vordering"):
        book = nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)
        NotebookClient(book, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(register.parent)}}).execute()
        errors = [o for c in book.cells for o in c.get("outputs", []) if o.output_type == "error"]
        assert errors == [], name
        shown = [o for o in book.cells[-1].outputs if "application/vnd.jupyter.widget-view+json" in o.get("data", {})]
        assert shown, f"{name}: the last cell shows the view"
    assert digest(DEMO) == committed


def test_errors_of_the_run_and_the_disk_are_shown_in_dutch_not_as_unexpected():
    import errno

    from debiteuren.monthly_run import LettersNotMade

    busy = LettersNotMade("Er loopt al een review op de werkmap 'x.xlsx'.")
    assert widgets_common.error_lines(busy) == ["Er loopt al een review op de werkmap 'x.xlsx'."]
    full = OSError(errno.ENOSPC, "No space left on device", "/brieven/a.docx")
    assert widgets_common.error_lines(full) == [
        "Een bestand of map is niet te lezen of te schrijven (/brieven/a.docx): de schijf is vol."
    ]
