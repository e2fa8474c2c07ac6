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
from debiteuren.app.widgets_common import day, eur
from debiteuren.debtor_dossier import debtor_dossier, entry_rows
from debiteuren.demo import DEMO_PEILDATUM
from debiteuren.kpi_history import kerncijfers_trend
from debiteuren.law.collection_costs import collection_costs
from debiteuren.invoice_interest import calculator_input
from debiteuren.law.claim_specification import calculate_specification, format_interest_specification
from debiteuren.law.rates import format_date
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
    assert eur(review.interest_cents) in tiles[5] and f">{len(review.early_warnings)}<" in tiles[6]
    for segment, debtors in zip(review.kpis.per_segment["segment"], review.kpis.per_segment["debtors"]):
        assert f'<td>{segment}</td><td style="text-align:right">{debtors}</td>' in view.segments.value
    warned = review.debtors.loc[review.debtors["early_warning"].astype(bool), "name"]
    assert len(warned) > 0 and all(name.replace("&", "&amp;") in view.warnings.value for name in warned)
    assert view.ageing_chart.value[:4] == b"\x89PNG"
    assert view.trend_chart.value[:4] == b"\x89PNG"
    assert view.trend[-1].peildatum == DEMO_PEILDATUM
    assert view.trend[-1].dso == kerncijfers(review).iloc[0]["DSO (terugrekenmethode)"]
    assert view.trend == kerncijfers_trend(view.target, review)  # the chart's points are the library's
    assert not view.generate_button.disabled


def test_maandreview_ticking_selects_the_steps(review_view):
    view = review_view
    view.select_none()
    assert view.selected_steps() == ()
    view.select_due()  # every letter due now; tasks are recorded one by one
    tasks = ("Telefoongesprek", "Vordering indienen bij curator")
    letters_due = tuple(s for s in view.steps() if s.due_now and s.action not in tasks)
    assert view.selected_steps() == letters_due and letters_due
    view.select_none()
    first = view.steps()[0]
    assert view.select(first.debtor_id) >= 1
    assert {s.debtor_id for s in view.selected_steps()} == {first.debtor_id}
    view.select_none()
    # Ticking the box of the first row on the page, as the controller does.
    row = view.table._rows[0]
    row.checkbox.value = True
    assert view.selected_steps() == (view.table.page_rows()[0],)
    assert view.table.count_label.value.endswith("; 1 aangevinkt")
    view.select_none()


def test_maandreview_action_list_sorts_filters_and_searches(review_view):
    view, steps = review_view, review_view.steps()
    view.filter_steps()
    amount = [c.header for c in view.table.columns].index("Bedrag")
    view.table.sort_by(amount)
    assert [s.amount_cents for s in view.shown_steps()] == sorted(s.amount_cents for s in steps)
    view.table.header_buttons[amount].click()  # the same header again: largest first
    assert view.table.header_buttons[amount].description == "Bedrag ▼"
    assert view.shown_steps()[0].amount_cents == max(s.amount_cents for s in steps)
    page = view.table._rows[0].cells.value
    first = view.shown_steps()[0]
    assert f'title="{html.escape(first.reason)}"' in page and html.escape(first.name) in page
    view.filter_steps(action="Telefoongesprek")
    assert set(view.shown_steps()) == {s for s in steps if s.action == "Telefoongesprek"} != set()
    segment = view.segment_of[steps[0].debtor_id]
    view.filter_steps(segment=segment, due="nu")
    assert set(view.shown_steps()) == {s for s in steps if view.segment_of[s.debtor_id] == segment and s.due_now}
    target = steps[-1]
    view.filter_steps(search=target.name.upper())
    assert target in view.shown_steps() and all(s.name == target.name for s in view.shown_steps())
    view.filter_steps(search=target.debtor_id)
    assert {s.debtor_id for s in view.shown_steps()} == {target.debtor_id}
    view.filter_steps(search="bestaat niet")
    assert view.shown_steps() == () and view.table.count_label.value.startswith("0–0 van 0")
    view.filter_steps()
    view.table.sort_by(0)


def test_maandreview_folds_the_warnings_under_their_count_and_keeps_the_key_figures_on_top(review_view, demo_run):
    view = review_view
    notes = [*demo_run.review.notes, *(f"Waarschuwing: {w}" for w in demo_run.register.warnings)]
    assert view.notes.lines == tuple(line for note in notes for line in note.splitlines())
    assert view.notes_box.selected_index is None  # folded
    assert view.notes_box.get_title(0) == f"Opmerkingen en waarschuwingen ({len(notes)})"
    top = view.widget.children[0].children
    assert top.index(view.tiles) < top.index(view.notes_box)


def test_maandreview_ageing_per_debtor_is_the_reviews(review_view, demo_run):
    view, ageing = review_view, demo_run.review.ageing
    table = view.ageing_table
    by_debtor = ageing.by_debtor.loc[ageing.by_debtor["open_cents"] != 0]
    assert len(table.rows) == len(by_debtor) and len(table.rows) > table.page_size
    assert [r["debtor_id"] for r in table.rows] == list(ageing.open_by_debtor()["debtor_id"])
    assert [c.header for c in table.columns] == ["Debiteur", "Naam", *ageing.labels, "Totaal"]
    largest = by_debtor.sort_values("open_cents", ascending=False).iloc[0]
    first = table.page_rows()[0]
    assert first["debtor_id"] == largest["debtor_id"] and first["open_cents"] == largest["open_cents"]
    cells = table._rows[0].cells.value
    assert eur(largest["open_cents"]) in cells
    for label in ageing.labels:
        assert (eur(largest[label]) if largest[label] else "–") in cells
    table.search_input.value = str(largest["debtor_id"])
    assert [r["debtor_id"] for r in table.shown_rows()] == [largest["debtor_id"]]
    table.search_input.value = ""


def test_a_trend_of_one_point_is_a_chart():
    one = widgets_common.trend_chart(["okt 2026"], [41.5], "DSO", "dagen")
    assert one[:4] == b"\x89PNG"


def open_in_table(view: MaandReview, step) -> None:
    """Click › on the step's row, as the controller does (searching for the debtor first)."""
    view.filter_steps(search=step.debtor_id, action=step.action)
    row = next(r for r in view.table._rows if r.item is not None and view.table.rows[r.item] == step)
    row.open_button.click()


def test_maandreview_marks_a_call_done_with_a_promise_and_it_lands_in_acties(register):
    view = MaandReview(register, DEMO_PEILDATUM, clock=clock)
    call = next(s for s in view.steps() if s.action == "Telefoongesprek" and s.due_now)
    open_in_table(view, call)
    assert view.opened == call and view.outcome_form.layout.display is None
    assert call.reason in view.detail.value
    view.outcome_input.value = "belofte"
    view.done_on_input.value = DEMO_PEILDATUM
    view.promised_amount_input.value = "tien euro"
    view.record_button.click()
    assert view.outcome_messages.kind == "fout" and "Toegezegd bedrag" in view.outcome_messages.lines[0]
    before = digest(register)
    view.promised_amount_input.value = ""
    view.record_button.click()
    assert view.outcome_messages.lines == (
        "Een betalingsbelofte heeft een toegezegd bedrag groter dan nul.",
        "Een betalingsbelofte heeft een toegezegde datum.",
    )
    assert digest(register) == before
    logged = len(read_register(register).actions)
    view.promised_amount_input.value = "250,00"
    view.promised_date_input.value = DEMO_PEILDATUM + timedelta(days=14)
    view.note_input.value = "Betaalt in twee keer."
    view.record_button.click()
    assert view.outcome_messages.kind == "ok", view.outcome_messages.lines
    actions = read_register(register).actions.iloc[logged:]
    assert list(zip(actions["debtor_id"], actions["kind"])) == [
        (call.debtor_id, "Telefoongesprek"),
        (call.debtor_id, "Betalingsbelofte"),
    ]
    assert actions.iloc[1]["promised_cents"] == 25000
    assert actions.iloc[1]["promised_date"].date() == DEMO_PEILDATUM + timedelta(days=14)
    # The review moved on: the call is done, the debtor waits for the promised date.
    assert call not in view.steps()
    assert view.steps() == run_month(register, DEMO_PEILDATUM, generated_at=NOW, write=False).review.plan.steps
    assert call.debtor_id in view.pauses.value


def test_maandreview_a_letter_has_no_outcome_form(review_view):
    view = review_view
    letter = next(s for s in view.steps() if s.action == "Betalingsherinnering")
    open_in_table(view, letter)
    assert view.outcome_form.layout.display == "none"
    assert view.outcome_messages.lines[0].startswith("Dit is een brief")
    view.filter_steps()


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


def test_dossier_shows_what_debtor_dossier_returns(register, demo_run):
    view = Dossier(register, DEMO_PEILDATUM, clock=clock, debtor_id="10002")
    dossier = debtor_dossier(demo_run.register, demo_run.review, "10002")
    assert dossier.payments and dossier.actions
    # every payment and log row the library picked, in its order, and no other
    payment_rows = view.payments.value.split("<tr>")[2:]
    assert len(payment_rows) == len(dossier.payments)
    for shown, p in zip(payment_rows, dossier.payments):
        assert f"<td>{day(p.day)}</td>" in shown and eur(p.amount_cents) in shown
    log_rows = view.log.value.split("<tr>")[2:]
    assert len(log_rows) == len(dossier.actions)
    for shown, a in zip(log_rows, dossier.actions):
        assert f"<td>{day(a.day)}</td><td>{a.kind}</td>" in shown
        if a.promised_cents is not None:
            assert eur(a.promised_cents) in shown
    invoice_rows = view.invoices.value.split("<tr>")[2:]
    assert [r.split("</td>")[0].removeprefix("<td>") for r in invoice_rows] == list(dossier.invoices["invoice_id"])
    assert eur(dossier.facts.interest_cents) in view.header.value


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
    assert (
        row["action_date"].date(),
        row["debtor_id"],
        row["invoice_ids"],
        row["kind"],
        row["description"],
        row["by"],
    ) == (DEMO_PEILDATUM, "10002", "2026-0518", "Telefoongesprek", "Gebeld; betaalt vrijdag.", "Sanne Koster")
    assert view.record_messages.lines[0] == "1 regel toegevoegd aan het logboek (blad 'Acties')."
    assert "Gebeld; betaalt vrijdag." in view.log.value  # read again: the dossier shows it
    assert view.description_input.value == ""


def test_dossier_records_a_promise_to_pay(register):
    view = Dossier(register, DEMO_PEILDATUM, clock=clock, debtor_id="10030")
    view.kind_input.value = "Betalingsbelofte"
    view.promised_amount_input.value = "1.250,50"
    view.promised_date_input.value = date(2026, 11, 13)
    expected = entry_rows(view.entry()).actions.iloc[0]  # what the library makes of the form is written
    assert view.record() is True
    row = read_register(register).actions.iloc[-1]
    assert (row["kind"], int(row["promised_cents"]), row["promised_date"].date()) == (
        "Betalingsbelofte",
        125050,
        date(2026, 11, 13),
    )
    assert row["description"] == "Belooft € 1.250,50 te betalen op 13-11-2026." == expected["Omschrijving"]


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
        [1, 50000],
        [2, 50000],
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
        [],
        date(2025, 7, 31),
    )
    assert calc.interest == expected
    assert calc.interest.claims[0].interest == Decimal("177.85")
    assert calc.costs == collection_costs(Decimal("10000"))
    assert format_interest_specification(expected.claims[0]) in calc.specification
    assert "Totaal te vorderen:                  € 11.052,85" in calc.specification
    assert html.escape(calc.specification) in view.specification.value
    assert "<td>01-06-2025</td><td>30-06-2025</td>" in view.periods.value
    assert "€ 91,64" in view.periods.value and "€ 86,21" in view.periods.value
    # the view shows what the library's calculation returns, line by line
    library = calculate_specification(
        [Claim("vordering 1", Decimal("10000"), date(2025, 6, 1), HANDELSRENTE, due_date=date(2025, 5, 31))],
        [],
        date(2025, 7, 31),
        costs_basis="staffel",
    )
    assert calc == library
    shown = view.periods.value.split("<tr>")[2:]
    assert len(shown) == len(library.period_lines())
    for row, line in zip(shown, library.period_lines()):
        assert f"<td>{format_date(line.start)}</td><td>{format_date(line.end)}</td>" in row
        assert format_eur(line.base) in row and format_eur(line.interest) in row
    assert format_eur(library.total) in view.totals.value


def test_vordering_warns_about_interest_older_than_five_years(tmp_path):
    # interest from 01-06-2020 to 31-07-2025: interest due before 31-07-2020 may be prescribed (art. 3:308 BW)
    view = Vordering(date(2025, 7, 31), export_folder=tmp_path)
    row = view.claim_rows[0]
    row.amount_input.value = "1.000,00"
    row.due_input.value = date(2020, 5, 31)
    calc = view.calculate()
    assert any("rente die vóór 31-07-2020 opeisbaar werd, kan verjaard zijn (art. 3:308 BW" in w for w in calc.warnings)
    row.due_input.value = date(2020, 7, 30)  # first interest day 31-07-2020: nothing older than five years
    assert not any("3:308" in w for w in view.calculate().warnings)


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
        [
            Claim("vordering 1", Decimal("1000"), date(2025, 4, 1), "wettelijke", due_date=date(2025, 3, 31)),
            Claim("F-2", Decimal("2000"), date(2025, 7, 1), "wettelijke", due_date=date(2025, 6, 30)),
        ],
        [Payment(date(2025, 9, 1), Decimal("1500"))],
        date(2025, 12, 31),
        compound=False,
        rounding="periode",
    )
    assert calc.interest == expected
    assert calc.costs.costs == Decimal("80.00")  # € 40 per invoice before default
    split = expected.payments[0]
    shares = "; ".join(f"{cid}: {format_eur(a)}" for cid, a in split.shares)
    assert shares in view.allocation.value
    assert calc.total == expected.total + Decimal("80.00")


@pytest.mark.parametrize(
    "amount, expected",
    [
        ("", "Vordering 1: '' is geen bedrag."),
        ("tien", "Vordering 1: 'tien' is geen bedrag."),
        ("-5", "Vordering 1: het bedrag moet groter dan nul zijn."),
    ],
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
    rows = review.interest.set_index("invoice_id")
    taken = view.take_over("10002")
    assert taken > 1
    ids = [r.id_input.value for r in view.claim_rows]
    found = calculator_input(demo_run.register, review.ledger.invoices, "10002", review.peildatum, review.rates)
    assert view.claims() == list(found.claims) and view.payments() == list(found.payments)
    assert set(rows.loc[(rows["debtor_id"] == "10002") & ~rows["settled"]].index) <= set(ids)
    calc = view.calculate()
    # the same calculation as the review: every invoice's interest (open and paid late), 6:43/6:44
    expected = sum(int(rows["interest_cents"].get(i, 0) + rows["paid_late_interest_cents"].get(i, 0)) for i in ids)
    assert calc.interest.interest == cents_to_decimal(expected)
    open_rows = rows.loc[(rows["debtor_id"] == "10002") & ~rows["settled"]]
    assert sum(c.total for c in calc.interest.claims if c.claim_id in set(open_rows.index)) == cents_to_decimal(
        int(open_rows["principal_left_cents"].sum())
    ) + sum(c.outstanding_interest for c in calc.interest.claims if c.claim_id in set(open_rows.index))


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


@pytest.mark.slow
def test_notebooks_run_top_to_bottom_on_a_copy(register, monkeypatch):
    from nbclient import NotebookClient

    committed = digest(DEMO)
    monkeypatch.setenv(widgets_common.ENV_WORKBOOK, str(register))
    monkeypatch.setenv(widgets_common.ENV_PEILDATUM, DEMO_PEILDATUM.isoformat())
    for name in ("maandreview", "dossier", "vordering"):
        book = nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)
        NotebookClient(
            book, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(register.parent)}}
        ).execute()
        errors = [o for c in book.cells for o in c.get("outputs", []) if o.output_type == "error"]
        assert errors == [], name
        shown = [
            o
            for c in book.cells
            if c.cell_type == "code"
            for o in c.outputs
            if "application/vnd.jupyter.widget-view+json" in o.get("data", {})
        ]
        assert len(shown) == 1, f"{name}: one cell shows the view"
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


def test_the_app_is_served_offline_and_culls_idle_kernels():
    import json
    import re

    app = ROOT / "lib" / "debiteuren" / "app" / "voila"
    config = json.loads((app / "voila.json").read_text())
    assert config["VoilaConfiguration"]["template"] == "debiteuren"
    culling = config["MappingKernelManager"]
    assert 0 < culling["cull_idle_timeout"] <= 3600 and 0 < culling["cull_interval"] <= culling["cull_idle_timeout"]
    # The templates link nothing outside this computer (Voilà's own lab template loads Font Awesome from a CDN).
    for template in app.rglob("*.htm*"):
        assert not re.search(r"(href|src)=\"(https?:)?//", template.read_text()), template
    for template in app.rglob("*.j2"):
        assert not re.search(r"(href|src)=\"(https?:)?//", template.read_text()), template
    # `make app` serves all three notebooks with that template and config.
    makefile = (ROOT / "Makefile").read_text()
    recipe = makefile[makefile.index("\napp:") :]
    recipe = recipe[: recipe.index("\n\n")]
    assert "debiteuren app" in recipe  # cli/program.py's voila_command adds the template and config
    # No button asks for an icon: the icon font is not loaded.
    for view in ("maandreview", "dossier", "vordering", "data_table", "widgets_common"):
        assert "icon=" not in (ROOT / "lib" / "debiteuren" / "app" / f"{view}.py").read_text(), view


@pytest.mark.parametrize("name", ["maandreview", "dossier", "vordering"])
def test_each_notebook_says_first_in_dutch_how_to_run_it(name):
    book = nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)
    first = book.cells[0]
    assert first.cell_type == "markdown"
    assert "Zo start u dit notebook." in first.source and "Run All Cells" in first.source
    assert "make app" in first.source


def test_data_table_pages_sorts_with_empty_values_last_and_keeps_ticks_across_pages():
    from debiteuren.app.data_table import Column, DataTable

    rows = [{"n": n, "due": None if n % 3 == 0 else date(2026, 1, 1) + timedelta(days=n % 7)} for n in range(60)]
    columns = (
        Column("Nr", "60px", lambda r: str(r["n"]), lambda r: r["n"], right=True),
        Column("Datum", None, lambda r: "" if r["due"] is None else r["due"].isoformat(), lambda r: r["due"]),
    )
    table = DataTable(columns, page_size=25, checkable=True, search=lambda r: str(r["n"]))
    table.show(rows)
    assert [r["n"] for r in table.page_rows()] == list(range(25))
    assert table.count_label.value == "1–25 van 60; 0 aangevinkt"
    table.next_button.click()
    table.next_button.click()
    assert [r["n"] for r in table.page_rows()] == list(range(50, 60)) and table.next_button.disabled
    assert [r.widget.layout.display for r in table._rows].count("none") == 15
    table.sort_by(1)  # by date: the rows without one last, in their own order
    shown = table.shown_rows()
    dated = [r for r in shown if r["due"] is not None]
    assert [r["due"] for r in dated] == sorted(r["due"] for r in dated)
    assert [r["n"] for r in shown[len(dated) :]] == list(range(0, 60, 3))
    table.sort_by(1)  # again: newest first, still the empty ones last
    assert table.header_buttons[1].description == "Datum ▼"
    assert table.shown_rows()[0]["due"] == max(r["due"] for r in dated) and table.shown_rows()[-1]["due"] is None
    # A tick on page 1 stays when paging, sorting or searching.
    table.sort_by(0)
    table._rows[3].checkbox.value = True
    table.go(2)
    table.search_input.value = "5"
    assert [r["n"] for r in table.ticked()] == [3]
    assert table.count_label.value == "1–15 van 15 (van 60 in totaal); 1 aangevinkt"
    assert '<span class="dt-right" style="width:60px" title="5">5</span>' in table._rows[0].cells.value


def test_maandreview_marks_the_trustee_task_done_and_says_it_stays_on_the_list(register):
    view = MaandReview(register, DEMO_PEILDATUM, clock=clock)
    task = next(s for s in view.steps() if s.action == "Vordering indienen bij curator")
    open_in_table(view, task)
    assert [v for _, v in view.outcome_input.options] == ["uitgevoerd"]
    view.done_on_input.value = DEMO_PEILDATUM
    view.note_input.value = "Ingediend bij mr. De Wit."
    logged = len(read_register(register).actions)
    assert view.record_outcome() is True
    added = read_register(register).actions.iloc[logged:]
    assert list(zip(added["kind"], added["description"])) == [
        ("Notitie", "Vordering indienen bij curator: uitgevoerd. Ingediend bij mr. De Wit."),
    ]
    assert view.outcome_messages.lines[-1] == (
        "'Vordering indienen bij curator' blijft in de actielijst staan tot de vordering is afgeboekt of uit "
        "handen is gegeven (blad Acties)."
    )


def test_maandreview_writes_results_without_reviewing_again(register, monkeypatch):
    from debiteuren import monthly_run

    view = MaandReview(register, DEMO_PEILDATUM, clock=clock)
    shown = view.table.rows
    reviews = []
    original = monthly_run.review
    monkeypatch.setattr(monthly_run, "review", lambda *a: reviews.append(a) or original(*a))
    assert view.write_results() is True
    assert reviews == [] and view.table.rows is shown  # nothing read, reviewed or redrawn again
    assert view.messages.lines[0] == "Resultaatbladen geschreven: Ouderdom, Actielijst, Kerncijfers, Prognose."
    assert [p.peildatum for p in kerncijfers_trend(register, None)] == [DEMO_PEILDATUM]


def test_vordering_says_when_vat_takes_the_costs_above_the_maximum(tmp_path):
    from debiteuren.app.vordering import STAFFEL
    from debiteuren.law.collection_costs import ABOVE_MAXIMUM_WARNING

    view = Vordering(date(2025, 12, 31), export_folder=tmp_path)
    view.claim_rows[0].amount_input.value = "2.000.000,00"  # the staffel's maximum, € 6.775, plus 21 % btw
    view.claim_rows[0].due_input.value = date(2025, 3, 31)
    view.costs_input.value = STAFFEL
    view.vat_input.value = "21"
    calc = view.calculate()
    assert calc.costs.costs == Decimal("6775.00") and calc.costs.above_maximum
    assert ABOVE_MAXIMUM_WARNING in view.messages.lines
    assert (
        ABOVE_MAXIMUM_WARNING == "De incassokosten met btw komen boven het maximum van € 6.775,00 (juridisch onzeker)."
    )
