"""The monthly review's import step (Importeren), driven like a controller would: set values, click, check.

It must do what ``debiteuren import-bank`` / ``import-openposten`` do: the same
proposals, the same rows appended (once), the same Dutch refusals, and nothing
written for a bad file.
"""

from __future__ import annotations

import hashlib
import html
from datetime import datetime, timezone
from pathlib import Path

import pytest

from bank_statements import COMPANY_IBAN, demo_month
from debiteuren.app import MaandReview
from debiteuren.app.import_step import NO_FILE, OPENPOSTEN
from debiteuren.bank import HOOG, import_bank
from debiteuren.import_attempt import NOTHING_CHANGED
from debiteuren.demo import DEMO_PEILDATUM
from debiteuren.openposten import available_mappings, load_mapping
from debiteuren.register import read_register
from workbooks import write_register

FIXTURES_BANK = Path(__file__).parent / "fixtures_bank"
FIXTURES_OPENPOSTEN = Path(__file__).parent / "fixtures_openposten"
NOW = datetime(2026, 11, 2, 9, 30)


def clock() -> datetime:
    return NOW


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def booked(payments) -> list[tuple]:
    """Betalingen rows as comparable tuples."""
    return [
        (r.payment_date.date(), r.debtor_id, r.invoice_id, int(r.amount_cents), r.bank_reference)
        for r in payments.itertuples()
    ]


@pytest.fixture(scope="module")
def october(tmp_path_factory):
    """The demo's October payments as a CAMT.053 statement, and the demo as of 30 September (not written)."""
    return demo_month(tmp_path_factory.mktemp("oktober"))


def test_import_tab_is_the_third_and_lists_every_package(tmp_path, october):
    view = MaandReview(october.register, DEMO_PEILDATUM, clock=clock, load=False)
    tabs = view.widget.children[1]
    assert [tabs.get_title(i) for i in range(3)] == ["Overzicht", "Actielijst en brieven", "Importeren"]
    assert tabs.children[2] is view.importer.widget
    step = view.importer
    assert step.package_input.options == tuple((load_mapping(n).title, n) for n in available_mappings())
    assert step.package_input.layout.display == "none"  # a bank statement needs no package
    step.kind_input.value = OPENPOSTEN
    assert step.package_input.layout.display is None


def test_bank_statement_preview_then_apply_appends_the_confident_payments_once(tmp_path, october):
    register = tmp_path / "debiteuren.xlsx"
    register.write_bytes(october.register.read_bytes())
    view = MaandReview(register, DEMO_PEILDATUM, clock=clock)
    step = view.importer
    expected = import_bank(register, october.statement, apply=False, generated_at=NOW)  # the command's answer
    before = read_register(register).payments
    untouched = digest(register)

    step.path_input.value = str(october.statement)
    step.preview_button.click()
    assert digest(register) == untouched
    assert step.messages.kind == "info"
    assert (
        step.messages.lines[0]
        == f"Bankafschrift afschrift-oktober.xml (CAMT.053, rekening {COMPANY_IBAN}): 63 ontvangsten."
    )
    ready = len(expected.applied)
    assert step.messages.lines[-1] == (
        f"{ready} voorstel(len) met betrouwbaarheid 'hoog'; klik op Toepassen om ze aan Betalingen toe te voegen. "
        "De werkmap is niet gewijzigd."
    )
    assert step.result.proposals == expected.proposals
    assert step.table.value.count("<tr>") == 1 + 63
    assert all(html.escape(p.reason) in step.table.value for p in expected.proposals)

    step.apply_button.click()
    after = read_register(register).payments
    added = booked(after)[len(before) :]
    assert len(after) == len(before) + ready and ready >= 0.8 * 63
    assert added == [
        (
            p.transaction.booking_date,
            p.debtor_id,
            p.invoice_id,
            p.transaction.amount_cents,
            p.transaction.bank_reference,
        )
        for p in expected.applied
    ]
    # every payment booked is one of the month's real payments (right debtor, invoice and amount)
    real = {
        (r.payment_date.date(), r.debtor_id, r.invoice_id, int(r.amount_cents)) for r in october.payments.itertuples()
    }
    assert {row[:4] for row in added} <= real
    assert step.messages.kind == "ok"
    assert "toegevoegd aan het blad 'Betalingen'" in "\n".join(step.messages.lines)
    assert f"Zelf te boeken ({63 - ready}):" in step.messages.lines
    # the review was read again: it knows the new payments
    assert booked(view.run.register.payments) == booked(after)
    assert view.messages.kind != "fout"

    step.apply_button.click()  # a second apply imports nothing twice
    assert booked(read_register(register).payments) == booked(after)
    assert "Geen voorstellen met betrouwbaarheid 'hoog'; de werkmap is niet gewijzigd." in step.messages.lines
    assert sum(p.already_imported for p in step.result.proposals) == ready
    assert not any(p.confidence == HOOG and p.applicable for p in step.result.proposals)


def test_an_uploaded_statement_is_imported_like_a_path(tmp_path, october):
    register = tmp_path / "debiteuren.xlsx"
    register.write_bytes(october.register.read_bytes())
    view = MaandReview(register, DEMO_PEILDATUM, clock=clock, load=False)
    step = view.importer
    content = october.statement.read_bytes()
    step.upload.value = (  # what the browser sends, as ipywidgets hands it to the kernel
        {
            "name": "ing-oktober.xml",
            "type": "text/xml",
            "size": len(content),
            "content": memoryview(content),
            "last_modified": NOW.replace(tzinfo=timezone.utc),
        },
    )
    step.path_input.value = str(tmp_path / "bestaat-niet.xml")  # the upload goes first
    assert step.upload_label.value == "Geüpload: ing-oktober.xml (gaat voor het pad)"
    assert step.preview()
    assert step.messages.lines[0].startswith("Bankafschrift ing-oktober.xml (CAMT.053")
    assert len(step.result.proposals) == 63
    assert step.apply()
    assert len(read_register(register).payments) == len(read_register(october.register).payments) + len(
        step.result.applied
    )
    step.clear_upload_button.click()  # back to the typed path
    assert step.upload.value == () and step.upload_label.value == ""
    assert step.clear_upload_button.layout.display == "none"
    assert step.preview() is False
    assert (
        step.messages.lines[0]
        == f"Fout: Het bankafschrift '{tmp_path / 'bestaat-niet.xml'}' bestaat niet; controleer het pad."
    )


BAD_STATEMENTS = [
    (
        "afschrift.xml",
        "<html><body>geen afschrift</body></html>",
        "Fout: 'afschrift.xml' is wel XML, maar geen CAMT.053",
    ),
    (
        "afschrift.sta",
        "dit is geen MT940\n",
        "Fout: 'afschrift.sta' is geen bankafschrift in CAMT.053- of MT940-formaat.",
    ),
    (
        "half.xml",
        (FIXTURES_BANK / "abnamro_camt053.xml").read_text(encoding="utf-8")[:3000],
        "Fout: 'half.xml' is geen geldig XML-bestand",
    ),
]


@pytest.mark.parametrize("name, content, start", BAD_STATEMENTS, ids=["other-xml", "text", "truncated"])
def test_a_bad_statement_shows_the_dutch_message_and_changes_nothing(tmp_path, october, name, content, start):
    register = tmp_path / "debiteuren.xlsx"
    register.write_bytes(october.register.read_bytes())
    view = MaandReview(register, DEMO_PEILDATUM, clock=clock)
    step = view.importer
    bad = tmp_path / name
    bad.write_text(content, encoding="utf-8")
    untouched = digest(register)
    step.path_input.value = str(bad)
    for button in (step.preview_button, step.apply_button):
        button.click()
        assert step.messages.kind == "fout"
        assert step.messages.lines[0].startswith(start)
        assert step.messages.lines[-1] == NOTHING_CHANGED
        assert step.result is None and step.table.value == ""
    assert digest(register) == untouched


def test_a_statement_of_another_account_is_refused(tmp_path):
    register = write_register(tmp_path, Instellingen=[["Instelling", "Waarde"], ["IBAN", "NL02ABNA0123456789"]])
    view = MaandReview(register, DEMO_PEILDATUM, clock=clock, load=False)
    untouched = digest(register)
    view.importer.path_input.value = str(FIXTURES_BANK / "abnamro_camt053.xml")
    assert view.importer.apply() is False
    assert view.importer.messages.lines == (
        f"Fout: Het afschrift 'abnamro_camt053.xml' is van rekening {COMPANY_IBAN}, niet van de bedrijfsrekening "
        "NL02ABNA0123456789 uit Instellingen. Er is niets geïmporteerd.",
        NOTHING_CHANGED,
    )
    assert digest(register) == untouched


def test_no_file_or_a_missing_file_is_said_in_dutch(tmp_path):
    register = write_register(tmp_path)
    view = MaandReview(register, DEMO_PEILDATUM, clock=clock, load=False)
    step = view.importer
    assert step.apply() is False
    assert step.messages.lines == (NO_FILE,)
    step.path_input.value = str(tmp_path / "weg.xml")
    assert step.preview() is False
    assert step.messages.lines == (
        f"Fout: Het bankafschrift '{tmp_path / 'weg.xml'}' bestaat niet; controleer het pad.",
        NOTHING_CHANGED,
    )


def test_open_items_export_adds_new_debtors_and_invoices_once(tmp_path):
    register = write_register(tmp_path)
    view = MaandReview(register, DEMO_PEILDATUM, clock=clock)
    step = view.importer
    step.kind_input.value = OPENPOSTEN
    step.package_input.value = "exact_online"
    step.path_input.value = str(FIXTURES_OPENPOSTEN / "exact_online.csv")
    untouched = digest(register)
    assert step.preview()
    assert digest(register) == untouched
    plan = step.result.plan
    new_invoices = [i.invoice_id for i in plan.new_invoices]
    assert new_invoices == ["F-003", "F-004", "F-005"]
    assert step.messages.lines[-1] == (
        "Klik op Toepassen om de nieuwe debiteuren en facturen toe te voegen. De werkmap is niet gewijzigd."
    )
    assert "<td>Groothandel Van Dijk B.V.</td>" in step.table.value
    assert "<td>Bedrag</td><td>€ 121,00</td><td>€ 130,00</td>" in step.table.value  # a difference, shown not written

    step.apply_button.click()
    after = read_register(register)
    assert set(new_invoices) <= set(after.invoices["invoice_id"])
    assert "2001" in set(after.debtors["debtor_id"])
    assert step.messages.kind == "ok"
    assert set(view.run.register.invoices["invoice_id"]) == set(after.invoices["invoice_id"])  # review read again
    written = digest(register)
    step.apply_button.click()
    assert digest(register) == written
    assert step.messages.lines[-1] == "Niets nieuws om toe te voegen; de werkmap is niet gewijzigd."


def test_an_export_of_another_package_is_refused_and_changes_nothing(tmp_path):
    register = write_register(tmp_path)
    view = MaandReview(register, DEMO_PEILDATUM, clock=clock, load=False)
    step = view.importer
    step.kind_input.value = OPENPOSTEN
    step.package_input.value = "exact_online"
    step.path_input.value = str(FIXTURES_OPENPOSTEN / "moneybird.csv")
    untouched = digest(register)
    step.apply_button.click()
    assert step.messages.kind == "fout"
    assert step.messages.lines[0] == (
        "Fout: 'moneybird.csv' gebruikt als scheidingsteken een komma (,), maar een export uit Exact Online "
        "gebruikt een puntkomma (;). Is dit de export van het juiste pakket?"
    )
    assert step.messages.lines[-1] == NOTHING_CHANGED
    assert digest(register) == untouched


def test_the_tab_shows_the_rows_of_an_export_it_did_not_import(tmp_path):
    register = write_register(tmp_path)
    view = MaandReview(register, DEMO_PEILDATUM, clock=clock, load=False)
    step = view.importer
    step.kind_input.value = OPENPOSTEN
    step.package_input.value = "twinfield"
    step.path_input.value = str(FIXTURES_OPENPOSTEN / "twinfield.csv")
    assert step.preview()
    assert "Niet ingelezen (2; boek ze zelf):" in step.messages.lines
    assert "- rij 6: bedrag in USD, niet in euro (€ 1.000,00)" in step.messages.lines
    assert "<td>Installatiebedrijf Jansen &amp; Zn.</td>" in step.table.value


DEMO_FOLDER = Path(__file__).resolve().parents[1] / "workbook"


def demo_copy(folder: Path) -> Path:
    """The demo register and its bank statement side by side, as they ship."""
    import shutil

    from debiteuren.bank.demo_statement import STATEMENT_NAME

    shutil.copyfile(DEMO_FOLDER / "debiteuren.xlsx", folder / "debiteuren.xlsx")
    shutil.copyfile(DEMO_FOLDER / STATEMENT_NAME, folder / STATEMENT_NAME)
    return folder / "debiteuren.xlsx"


def test_the_demo_ships_a_statement_that_shows_every_kind_of_proposal(tmp_path):
    from debiteuren.bank.demo_statement import STATEMENT_NAME, demo_statement

    shipped = (DEMO_FOLDER / STATEMENT_NAME).read_bytes()
    # run `python -m debiteuren.bank.demo_statement` after regenerating the demo register
    assert shipped == demo_statement(read_register(DEMO_FOLDER / "debiteuren.xlsx"), DEMO_PEILDATUM)
    register = demo_copy(tmp_path)
    view = MaandReview(register, DEMO_PEILDATUM, clock=clock, load=False)
    step = view.importer
    assert step.path_input.value == str(tmp_path / STATEMENT_NAME)  # suggested for a new user
    assert step.preview()
    confidences = [p.confidence for p in step.result.proposals]
    assert confidences == [HOOG, HOOG, HOOG, "midden", "midden", "laag", ""]
    assert [str(p.transaction.amount) for p in step.result.proposals if p.transaction.reversal] == []
    assert len(step.review_rows) == 4  # midden, midden, laag and the credit without a proposal


def test_midden_and_laag_proposals_are_confirmed_or_corrected_one_by_one(tmp_path):
    register = demo_copy(tmp_path)
    view = MaandReview(register, DEMO_PEILDATUM, clock=clock, load=False)
    step = view.importer
    assert step.preview()
    amount_row, iban_row, name_row, unknown_row = step.review_rows
    amount_row.book.value = True  # confirmed as proposed
    name_row.book.value = True  # corrected: another invoice of that debtor
    debtor = name_row.proposal.debtor_id
    invoices = read_register(register).invoices
    of_debtor = invoices.loc[invoices["debtor_id"] == debtor, "invoice_id"].tolist()
    name_row.invoice.value = of_debtor[-1]
    unknown_row.book.value = False
    before = len(read_register(register).payments)
    step.apply_button.click()
    assert step.messages.kind == "ok", step.messages.lines
    added = read_register(register).payments.iloc[before:]
    assert list(zip(added["debtor_id"], added["invoice_id"])) == [
        *((p.debtor_id, p.invoice_id) for p in step.result.proposals[:3]),
        (amount_row.proposal.debtor_id, amount_row.proposal.invoice_id),
        (debtor, of_debtor[-1]),
    ]
    confirmed = [p for p in step.result.proposals if p.confirmed]
    assert [p.reason.split(" (")[0] for p in confirmed] == [
        "bevestigd door de controller",
        "gekozen door de controller",
    ]
    assert [r.proposal.transaction.bank_reference for r in step.review_rows] == [
        iban_row.proposal.transaction.bank_reference, unknown_row.proposal.transaction.bank_reference,
    ]  # what is booked is no longer to review  # fmt: skip
    # a second Toepassen books nothing twice
    written = digest(register)
    step.apply_button.click()
    assert digest(register) == written


def test_a_wrong_correction_is_refused_and_can_be_fixed(tmp_path):
    register = demo_copy(tmp_path)
    view = MaandReview(register, DEMO_PEILDATUM, clock=clock, load=False)
    step = view.importer
    assert step.preview()
    row = step.review_rows[-1]  # the credit without a proposal
    row.book.value = True
    row.debtor.value = "99999"
    untouched = digest(register)
    step.apply_button.click()
    assert step.messages.kind == "fout"
    assert step.messages.lines[0] == (
        "Fout: Niet geboekt: debiteur '99999' staat niet in het blad Debiteuren. "
        "Pas de keuze aan en klik opnieuw op Toepassen."
    )
    assert digest(register) == untouched
    assert step.review_rows[-1] is row  # still there to correct
    row.debtor.value = "10001"
    step.apply_button.click()
    assert step.messages.kind == "ok"
    booked_rows = read_register(register).payments
    assert booked_rows.iloc[-1]["debtor_id"] == "10001"


def test_an_auditfile_is_recognised_in_the_tab_whatever_the_package(tmp_path):
    from test_openposten_auditfile import auditfile, journals

    register = write_register(tmp_path)
    view = MaandReview(register, DEMO_PEILDATUM, clock=clock, load=False)
    step = view.importer
    step.kind_input.value = OPENPOSTEN
    step.package_input.value = "exact_online"  # ignored for an auditfile
    step.path_input.value = str(auditfile(tmp_path, journals()))
    assert step.preview()
    assert [i.invoice_id for i in step.result.plan.new_invoices] == ["F-100", "F-101"]
    assert "Auditbestand (XAF 3.2)." in step.messages.lines
    assert "- 1001 Bakkerij De Korenschoof B.V.: auditbestand € 1.210,00, register € 1.000,00" in step.messages.lines
