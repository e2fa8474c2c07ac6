"""The monthly run end to end: review, letters for the due steps, the log written back."""

from __future__ import annotations

import hashlib
from datetime import date, datetime
from pathlib import Path

import docx
import pytest

from debiteuren.monthly_run import generate_letters, run_month
from debiteuren.register import read_register
from workbooks import write_register

NOW = datetime(2026, 11, 23, 15, 0)
PEILDATUM = date(2026, 10, 31)


def business_register(tmp_path, invoice_file=None) -> Path:
    extra = ["Factuurbestand"] if invoice_file is not None else []
    return write_register(
        tmp_path,
        Debiteuren=[
            ["Debiteurnummer", "Naam", "Soort", "Contactpersoon", "Adres", "Postcode", "Plaats"],
            ["1001", "Bakkerij <De Korenschoof> & Zn.", "zakelijk", "Anne Jansen", "Dorpsstraat 1", "1234 AB", "Ede"],
        ],
        Facturen=[
            ["Factuurnummer", "Debiteurnummer", "Factuurdatum", "Vervaldatum", "Bedrag", *extra],
            ["F-1", "1001", date(2026, 8, 17), date(2026, 9, 16), 1000.00, *([invoice_file] if extra else [])],
        ],
        Betalingen=[["Datum", "Debiteurnummer", "Factuurnummer", "Bedrag"]],
        Acties=[
            ["Datum", "Debiteurnummer", "Factuurnummers", "Soort", "Omschrijving"],
            [date(2026, 9, 23), "1001", "F-1", "Betalingsherinnering", "Herinnering"],
            [date(2026, 10, 2), "1001", "F-1", "Telefoongesprek", "Belt terug"],
        ],
        Instellingen=[
            ["Instelling", "Waarde"],
            ["Bedrijfsnaam", "Voorbeeld B.V."],
            ["IBAN", "NL91ABNA0417164300"],
            ["Ondertekenaar", "M. Bosman"],
            ["Incassobureau", "Incasso Noord B.V."],
        ],
    )


def text_of(path: Path) -> str:
    document = docx.Document(str(path))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts += [cell.text for cell in row.cells]
    return "\n".join(parts)


@pytest.mark.slow
def test_notice_of_default_states_interest_costs_and_term_and_is_logged(tmp_path):
    path = business_register(tmp_path)
    run = run_month(path, PEILDATUM, generated_at=NOW)
    [step] = run.review.plan.due()
    assert step.action == "Ingebrekestelling"
    batch = generate_letters(run, [step], tmp_path / "brieven", letter_date=PEILDATUM, generated_at=NOW)
    [letter] = batch.rendered
    text = text_of(letter.docx)
    assert "Ingebrekestelling" in text
    assert "Bakkerij <De Korenschoof> & Zn." in text  # escaped, intact
    # Interest 17 Sept - 31 Oct: 45 days at 10,40 %: 1.000 x 0,104 x 45 / 365 = 12,8219 -> 12,82.
    assert "€ 12,82" in text
    # Collection costs: 15 % of the first 2.500 -> 150,00.
    assert "€ 150,00" in text
    # 7 days from Saturday 31 October is Saturday 7 November; the Atw moves it to Monday 9 November.
    assert "9 november 2026" in text
    assert "NL91 ABNA 0417 1643 00" in text

    register = read_register(path)
    logged = register.actions.iloc[-1]
    assert (logged["kind"], logged["invoice_ids"], logged["action_date"].date()) == (
        "Ingebrekestelling",
        "F-1",
        PEILDATUM,
    )
    document = path.parent / logged["document"]
    assert logged["digest"] == hashlib.sha256(document.read_bytes()).hexdigest()

    # The next review has moved on: no second notice of default, ever.
    again = run_month(path, PEILDATUM, generated_at=NOW)
    assert all(s.action != "Ingebrekestelling" for s in again.review.plan.steps)


def test_calls_are_tasks_not_letters(tmp_path):
    path = write_register(
        tmp_path,
        Acties=[
            ["Datum", "Debiteurnummer", "Factuurnummers", "Soort"],
            [date(2026, 10, 8), "1001", "F-001", "Betalingsherinnering"],
        ],
    )
    run = run_month(path, PEILDATUM, generated_at=NOW, write=False)
    calls = [s for s in run.review.plan.due() if s.action == "Telefoongesprek"]
    assert calls
    batch = generate_letters(run, calls, tmp_path / "brieven", letter_date=PEILDATUM, generated_at=NOW)
    assert batch.rendered == () and batch.logged is None
    assert batch.skipped[0][1].startswith("Een telefoongesprek is een taak")
    assert not (tmp_path / "brieven").exists()


@pytest.mark.slow
def test_the_demo_month_letters_once_and_only_once(tmp_path):
    demo = tmp_path / "debiteuren.xlsx"
    demo.write_bytes((Path(__file__).resolve().parents[1] / "workbook" / "debiteuren.xlsx").read_bytes())
    run = run_month(demo, PEILDATUM, generated_at=NOW)
    due = run.review.plan.due()
    letters = [
        s for s in due if s.action in ("Betalingsherinnering", "Ingebrekestelling", "Veertiendagenbrief", "Uit handen")
    ]
    before = len(run.register.actions)
    seen = []
    batch = generate_letters(run, due, letter_date=PEILDATUM, generated_at=NOW, progress=lambda d, t, x: seen.append(d))
    assert len(batch.rendered) == len(letters)
    assert seen[-1] == len(letters)
    assert all(r.docx.exists() for r in batch.rendered)
    logged = read_register(demo).actions.iloc[before:]
    # One row per step a letter takes (a notice that also reminds of a newer invoice: two rows).
    steps_taken = sum(1 if s.action == "Uit handen" else len({c.action for c in s.claim_states()}) for s in letters)
    assert steps_taken > len(letters)  # the demo has such letters (10031, 10060)
    assert len(logged) == steps_taken and logged["digest"].nunique() == len(letters)
    rerun = run_month(demo, PEILDATUM, generated_at=NOW)
    assert not [
        s
        for s in rerun.review.plan.due()
        if s.action in ("Betalingsherinnering", "Ingebrekestelling", "Veertiendagenbrief", "Uit handen")
    ]


@pytest.mark.parametrize(
    "name, note",
    [
        ("facturen/F-1.pdf", None),
        ("../geheim.pdf", "staat buiten de map van het register"),
        ("ABSOLUTE", "staat buiten de map van het register"),
        ("facturen/weg.pdf", "bestaat niet"),
    ],
)
def test_invoice_copies_are_enclosed_only_from_the_registers_folder(tmp_path, name, note):
    from debiteuren.dunning_letters import build_letter

    folder = tmp_path / "register"
    folder.mkdir()
    (folder / "facturen").mkdir()
    (folder / "facturen" / "F-1.pdf").write_bytes(b"%PDF-1.4 fake")
    outside = tmp_path / "geheim.pdf"
    outside.write_bytes(b"%PDF-1.4 secret")
    name = str(outside) if name == "ABSOLUTE" else name
    path = business_register(folder, invoice_file=name)
    run = run_month(path, PEILDATUM, generated_at=NOW, write=False)
    letter, notes = build_letter(run.register, run.review, run.review.plan.due()[0], PEILDATUM)
    if note is None:
        assert letter.attachments == ((folder / "facturen" / "F-1.pdf").resolve(),) and notes == ()
    else:
        assert letter.attachments == ()
        assert note in notes[0] and "F-1" in notes[0]


@pytest.mark.slow
def test_a_run_that_stopped_before_logging_is_completed_without_duplicates(tmp_path, monkeypatch):
    import debiteuren.monthly_run as monthly_run

    path = business_register(tmp_path)
    out = tmp_path / "brieven"
    run = run_month(path, PEILDATUM, generated_at=NOW)

    def crash(*args, **kwargs):
        raise KeyboardInterrupt("stopped before the log was written")

    with monkeypatch.context() as patch:
        patch.setattr(monthly_run, "write_back", crash)
        with pytest.raises(KeyboardInterrupt):
            generate_letters(run, run.review.plan.due(), out, letter_date=PEILDATUM, generated_at=NOW)
    orphans = sorted(p.name for p in out.glob("*.docx"))
    batch = generate_letters(run, run.review.plan.due(), out, letter_date=PEILDATUM, generated_at=NOW)
    # Made again under the same name, logged once.
    assert sorted(p.name for p in out.glob("*.docx")) == orphans
    assert [r.docx.name for r in batch.rendered] == ["1001_ingebrekestelling_2026-10-31.docx"]
    assert list(read_register(path).actions["kind"]).count("Ingebrekestelling") == 1


@pytest.mark.slow
def test_a_logged_letter_is_never_overwritten_by_a_later_batch(tmp_path):
    path = business_register(tmp_path)
    out = tmp_path / "brieven"
    run = run_month(path, PEILDATUM, generated_at=NOW)
    steps = run.review.plan.due()
    first = generate_letters(run, steps, out, letter_date=PEILDATUM, generated_at=NOW)
    document = first.bundle.documents[0]
    kept = document.document.read_bytes()
    # A second batch the same day for the same debtor and kind (here: forced with the same steps).
    again = run_month(path, PEILDATUM, generated_at=NOW, write=False)
    second = generate_letters(again, steps, out, letter_date=PEILDATUM, generated_at=NOW)
    assert second.rendered[0].docx.name == "1001_ingebrekestelling_2026-10-31-2.docx"
    assert document.document.read_bytes() == kept
    assert second.bundle.pdf is None or second.bundle.pdf.name != first.bundle.pdf.name


# --- issue 18, bug 3: the Actielijst after letters; one write, one backup ------------------------


def actielijst_actions(path: Path) -> list[tuple[str, str]]:
    """(debtor, action) per row of the Actielijst sheet as written in the workbook."""
    from debiteuren.register.write.xlsx.workbook import existing_grid

    grid = existing_grid(path, "Actielijst")
    at = next(i for i, row in enumerate(grid) if "Actie" in row and "Debiteurnummer" in row)
    header = grid[at]
    return [
        (str(row[header.index("Debiteurnummer")]), row[header.index("Actie")])
        for row in grid[at + 1 :]
        if row[header.index("Actie")]
    ]


def test_review_with_letters_on_the_command_line_leaves_no_sent_step_on_the_actielijst(tmp_path, monkeypatch):
    from debiteuren.register.write.file_safety import backups_of
    from demo_registers import run_cli

    monkeypatch.setattr("debiteuren.letters.pdf.converter", lambda: None)
    path = business_register(tmp_path)
    code, _, err = run_cli(["review", str(path), "--peildatum", PEILDATUM.isoformat(), "--brieven"])
    assert code == 0, err
    assert list(read_register(path).actions["kind"]).count("Ingebrekestelling") == 1
    assert ("1001", "Ingebrekestelling") not in actielijst_actions(path)
    # ...and the Actielijst is what a fresh review of the written workbook proposes.
    fresh = run_month(path, PEILDATUM, generated_at=NOW, write=False)
    assert actielijst_actions(path) == [(s.debtor_id, s.action) for s in fresh.review.plan.steps]
    assert len(backups_of(path)) == 1  # one write: results and log together


def test_review_with_letters_in_the_app_leaves_no_sent_step_on_the_actielijst(tmp_path, monkeypatch):
    from debiteuren.app.maandreview import MaandReview
    from debiteuren.register.write.file_safety import backups_of

    monkeypatch.setattr("debiteuren.letters.pdf.converter", lambda: None)
    path = business_register(tmp_path)
    view = MaandReview(path, PEILDATUM, clock=lambda: NOW)
    view.select_due()
    view.letters_folder_input.value = str(tmp_path / "brieven")
    assert view.generate() is True
    assert ("1001", "Ingebrekestelling") not in actielijst_actions(path)
    assert ("1001", "Ingebrekestelling") not in [(s.debtor_id, s.action) for s in view.steps()]
    assert len(backups_of(path)) == 1


def test_write_results_writes_the_run_as_run_month_would_and_reviews_again_when_the_file_changed(tmp_path, monkeypatch):
    import openpyxl

    from debiteuren import monthly_run
    from debiteuren.register.write import file_safety
    from debiteuren.register.write.xlsx.workbook import existing_grid

    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    path = write_register(tmp_path / "a")
    twin = write_register(tmp_path / "b")
    run = run_month(path, date(2026, 10, 31), generated_at=NOW, write=False)
    reviews = []
    monkeypatch.setattr(monthly_run, "review", lambda *a: reviews.append(a) or monthly_run_review(*a))
    written = monthly_run.write_results(path, run, generated_at=NOW)
    assert reviews == []  # the run's own review was written, nothing read or reviewed again
    expected = run_month(twin, date(2026, 10, 31), generated_at=NOW, write=True)
    assert written.written.sheets == expected.written.sheets
    for sheet in ("Ouderdom", "Actielijst", "Kerncijfers", "Prognose"):
        assert existing_grid(path, sheet) == existing_grid(twin, sheet)
    assert written.identity == file_safety.file_identity(path)
    # Someone saves the workbook meanwhile (F-002 marked disputed in Excel): the results come from a fresh review.
    book = openpyxl.load_workbook(path)
    assert book["Facturen"]["A3"].value == "F-002"
    book["Facturen"]["F3"] = "ja"
    book.save(path)
    reviews.clear()
    again = monthly_run.write_results(path, written, generated_at=NOW)
    assert len(reviews) == 1
    assert "1002" not in {s.debtor_id for s in again.review.plan.steps}


def monthly_run_review(*args):
    from debiteuren.review import review

    return review(*args)


def test_one_letter_for_a_notice_and_a_reminder_is_logged_once_per_step(tmp_path):
    path = business_register(tmp_path)
    import openpyxl

    workbook = openpyxl.load_workbook(path)
    # A second invoice, due 20 October: its reminder (due + 7 = 27 October) is due with F-1's notice.
    workbook["Facturen"].append(["F-2", "1001", date(2026, 9, 20), date(2026, 10, 20), 250.00])
    table = workbook["Facturen"].tables["Facturen"]
    table.ref = f"A1:E{workbook['Facturen'].max_row}"
    workbook.save(path)
    run = run_month(path, PEILDATUM, generated_at=NOW)
    [step] = run.review.plan.due()
    assert (step.action, step.invoice_ids) == ("Ingebrekestelling", ("F-1", "F-2"))
    made_on = date(2026, 11, 2)
    batch = generate_letters(run, [step], tmp_path / "brieven", letter_date=made_on, generated_at=NOW)
    [letter] = batch.rendered
    assert letter.letter.letter_date == made_on
    text = text_of(letter.docx)
    assert "Deze ingebrekestelling geldt voor factuur F-1" in text and "factuur F-2: herinnering" in text
    # Costs over F-1 only: 15 % of 1.000,00.
    assert letter.letter.collection_costs == pytest.approx(150) and "€ 150,00" in text
    actions = read_register(path).actions
    rows = actions.loc[actions["digest"].notna()]
    assert [(r.kind, r.invoice_ids, r.action_date.date()) for r in rows.itertuples()] == [
        ("Ingebrekestelling", "F-1", made_on),
        ("Betalingsherinnering", "F-2", made_on),
    ]
    assert rows["digest"].nunique() == 1 and rows["document"].nunique() == 1
    # A second review of the same peildatum proposes neither again.
    again = run_month(path, PEILDATUM, generated_at=NOW, write=False)
    assert [s.action for s in again.review.plan.due()] == []


def test_the_actielijst_counts_a_letters_term_from_the_day_it_goes_out_not_from_the_peildatum(tmp_path):
    # Peildatum 31-10-2026, the review run on 23-11-2026: the Ingebrekestelling (term 7 days) made
    # today asks for payment by 23-11 + 7 = 30-11-2026 (a Monday); counted from the peildatum it would be
    # 09-11-2026 (07-11 is a Saturday), a date already past when the controller reads the list.
    from debiteuren.dunning_letters import build_letter

    path = business_register(tmp_path)
    run = run_month(path, PEILDATUM, generated_at=NOW)
    (step,) = run.review.plan.due()
    assert (step.action, step.deadline) == ("Ingebrekestelling", date(2026, 11, 30))
    sheet = read_sheet(path, "Actielijst")
    header = sheet[2]
    row = next(r for r in sheet[3:] if r[header.index("Actie")] == "Ingebrekestelling")
    assert row[header.index("Betalen uiterlijk")] == date(2026, 11, 30)
    # The letter made that day states the same date.
    letter, _ = build_letter(run.register, run.review, step, NOW.date())
    assert letter.pay_by == step.deadline
    # --briefdatum 02-11-2026 (a Monday): 02-11 + 7 = 09-11-2026.
    later = run_month(path, PEILDATUM, generated_at=NOW, write=False, letter_date=date(2026, 11, 2))
    assert later.review.plan.due()[0].deadline == date(2026, 11, 9)
    # A review ahead of its peildatum plans from the peildatum: 31-12-2026 + 7 = 07-01-2027.
    ahead = run_month(path, date(2026, 12, 31), generated_at=NOW, write=False)
    assert [s.deadline for s in ahead.review.plan.due() if s.action == "Ingebrekestelling"] == [date(2027, 1, 7)]


def read_sheet(path: Path, name: str) -> list[list[object]]:
    import python_calamine as calamine

    return calamine.CalamineWorkbook.from_path(str(path)).get_sheet_by_name(name).to_python()
