"""E-mail drafts of the Betalingsherinnering (issue 16, Build 9): an unsent .eml per debtor with an E-mail."""

from __future__ import annotations

import email
import os
import sys
from datetime import date, datetime
from email import policy
from pathlib import Path

import pytest

from debiteuren.letters.bundle import GeneratedDocument
from debiteuren.letters.email_drafts import write_email_drafts
from debiteuren.letters.pdf import find_soffice
from debiteuren.monthly_run import run_month_with_letters
from debiteuren.register import read_register
from test_letter_batches import FAKE_SOFFICE
from test_letters import ENGLISH, make_letter
from workbooks import DEFAULT_SHEETS, write_register

PEILDATUM = date(2026, 10, 31)
NOW = datetime(2026, 11, 2, 9, 30)
LETTER_DATE = date(2026, 11, 2)
PDF = b"%PDF-1.4 the reminder\n%%EOF\n"


def read_eml(path: Path) -> email.message.EmailMessage:
    return email.message_from_bytes(path.read_bytes(), policy=policy.default)


def body_of(message) -> str:
    """The plain-text body with the line ends of a file (the .eml has CRLF, as e-mail does)."""
    return message.get_body(preferencelist=("plain",)).get_content().replace("\r\n", "\n")


def who(header) -> tuple[str, str]:
    (address,) = header.addresses
    return address.display_name, address.addr_spec


def document(tmp_path: Path, letter, *, pdf: bool = True) -> GeneratedDocument:
    stem = f"{letter.debtor.number}_{letter.kind}"
    docx = tmp_path / f"{stem}.docx"
    docx.write_bytes(b"docx")
    pdf_path = tmp_path / f"{stem}.pdf" if pdf else None
    if pdf_path:
        pdf_path.write_bytes(PDF)
    return GeneratedDocument(letter, docx, "0" * 64, pdf_path, "1" * 64 if pdf else None)


def test_a_reminder_becomes_an_unsent_eml_with_the_pdf_and_a_dutch_body(tmp_path):
    reminder = document(tmp_path, make_letter("betalingsherinnering"))
    drafts = write_email_drafts([reminder], {"D1023": "administratie@jansentechniek.nl"}, tmp_path)
    (draft,) = drafts.drafts
    assert (draft.debtor_number, draft.to, draft.eml) == (
        "D1023",
        "administratie@jansentechniek.nl",
        tmp_path / "D1023_betalingsherinnering.eml",
    )
    message = read_eml(draft.eml)
    assert message["X-Unsent"] == "1"
    assert who(message["To"]) == ("P. Jansen", "administratie@jansentechniek.nl")
    assert message["Subject"].startswith("Betalingsherinnering ") and message["Subject"].endswith(
        "debiteurnummer D1023"
    )
    assert who(message["From"]) == ("Voorbeeld Installatietechniek B.V.", "debiteuren@voorbeeld.nl")  # Instellingen
    body = body_of(message)
    assert body.startswith("Geachte P. Jansen,\n")
    for text in (
        "€ 1.510,00",
        "F2026-0101, F2026-0133",
        "7 november 2026",
        "debiteurnummer D1023",
        "als niet verzonden beschouwen",
        "Met vriendelijke groet",
    ):
        assert text in body, text
    (attachment,) = message.iter_attachments()
    assert attachment.get_filename() == "D1023_betalingsherinnering.pdf"
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_content() == PDF


def test_an_english_debtor_gets_an_english_body(tmp_path):
    reminder = document(tmp_path, make_letter("betalingsherinnering", ENGLISH))
    cell = "accounts@smith.example.co.uk; john@smith.example.co.uk"  # two addresses in one cell: both get it
    (draft,) = write_email_drafts([reminder], {"D3001": cell}, tmp_path).drafts
    message = read_eml(draft.eml)
    assert [a.addr_spec for a in message["To"].addresses] == [
        "accounts@smith.example.co.uk",
        "john@smith.example.co.uk",
    ]
    assert message["Subject"].startswith("Payment reminder ")
    assert body_of(message).startswith("Dear John Smith,\n")


def test_legal_letters_no_address_a_bad_address_or_no_pdf_give_no_draft(tmp_path):
    notice = document(tmp_path, make_letter("ingebrekestelling"))  # with a PDF and an address: stays on paper
    no_pdf = document(tmp_path, make_letter("betalingsherinnering"), pdf=False)
    documents = [notice, no_pdf]
    drafts = write_email_drafts(documents, {"D1023": "administratie@jansentechniek.nl"}, tmp_path)
    assert drafts.drafts == ()
    assert drafts.skipped == (("D1023", "er is geen PDF van de herinnering gemaakt om mee te sturen"),)
    bad = document(tmp_path, make_letter("betalingsherinnering"))
    drafts = write_email_drafts([bad], {"D1023": "jansen at techniek"}, tmp_path)
    assert drafts.drafts == () and drafts.messages(tmp_path) == [
        "Geen e-mailconcept voor debiteur D1023: 'jansen at techniek' in de kolom E-mail is geen geldig "
        "e-mailadres (verwacht: naam@domein.nl)."
    ]
    assert write_email_drafts([bad], {"D1023": ""}, tmp_path) == write_email_drafts([bad], {}, tmp_path)
    assert list(tmp_path.rglob("*.eml")) == []


# --- in the review with letters (a fake soffice on PATH makes the PDFs) -----------------------------------------


@pytest.fixture
def fake_soffice(tmp_path, monkeypatch):
    folder = tmp_path / "fake-bin"
    folder.mkdir()
    script = folder / "soffice"
    script.write_text(FAKE_SOFFICE.format(python=sys.executable))
    script.chmod(0o755)
    monkeypatch.setenv("PATH", f"{folder}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("FAKE_SOFFICE_LOG", str(tmp_path / "soffice-calls.jsonl"))
    assert find_soffice() == str(script)


def test_the_review_with_letters_puts_a_draft_next_to_the_reminder_and_logs_it_as_not_sent(tmp_path, fake_soffice):
    debtors = [
        [*DEFAULT_SHEETS["Debiteuren"][0], "E-mail"],
        [*DEFAULT_SHEETS["Debiteuren"][1], "info@korenschoof.nl"],
        [*DEFAULT_SHEETS["Debiteuren"][2], "j.devries@example.nl"],
        ["1003", "Garage Hoekstra", "zakelijk", 14, "geen adres"],
    ]
    invoices = [*DEFAULT_SHEETS["Facturen"], ["F-003", "1003", date(2026, 9, 15), None, 242.00, "nee"]]
    settings = [*DEFAULT_SHEETS["Instellingen"], ["E-mail", "debiteuren@voorbeeld.nl"]]
    path = write_register(tmp_path, Debiteuren=debtors, Facturen=invoices, Instellingen=settings)
    out = tmp_path / "brieven"
    _, batch = run_month_with_letters(path, PEILDATUM, generated_at=NOW, letter_date=LETTER_DATE, out_dir=out)
    assert batch.complete, batch.problems
    (draft,) = batch.email_drafts.drafts  # 1002's reminder; 1001 is due for a call, not a letter
    assert draft.eml.parent == out and draft.eml.with_suffix(".pdf") == draft.letter and draft.letter.is_file()
    message = read_eml(draft.eml)
    assert (message["X-Unsent"], who(message["To"]), who(message["From"])) == (
        "1",
        ("J. de Vries", "j.devries@example.nl"),
        ("Voorbeeld B.V.", "debiteuren@voorbeeld.nl"),
    )
    body = body_of(message)
    assert body.startswith("Geachte J. de Vries,\n") and "€ 121,00" in body and "NL91 ABNA 0417 1643 00" in body
    (attachment,) = message.iter_attachments()
    assert attachment.get_content() == draft.letter.read_bytes()
    # The log: the reminder as made, the draft as prepared and not sent; 1003's bad address named.
    actions = read_register(path).actions
    rows = actions.loc[actions["kind"] == "Betalingsherinnering"].set_index("debtor_id")["description"]
    assert rows["1002"].endswith(f". E-mailconcept klaargezet, nog niet verzonden: {draft.eml.name}")
    assert "E-mail" not in rows["1003"]
    assert (actions["kind"] == "E-mail").sum() == 0  # no e-mail is logged as sent
    assert any("Er is niets verzonden" in m for m in batch.messages)
    assert (
        "Geen e-mailconcept voor debiteur 1003: 'geen adres' in de kolom E-mail is geen geldig e-mailadres "
        "(verwacht: naam@domein.nl)."
    ) in batch.messages


def test_a_line_break_in_a_name_never_becomes_a_header_of_its_own(tmp_path):
    from dataclasses import replace

    from test_letters import BUSINESS

    debtor = replace(BUSINESS, contact='P. Jansen\r\nBcc: spion@example.nl "=cmd|x"')
    reminder = document(tmp_path, make_letter("betalingsherinnering", debtor))
    (draft,) = write_email_drafts([reminder], {"D1023": "administratie@jansentechniek.nl"}, tmp_path).drafts
    message = read_eml(draft.eml)
    assert message["Bcc"] is None and [a.addr_spec for a in message["To"].addresses] == [
        "administratie@jansentechniek.nl"
    ]
    assert who(message["To"])[0] == 'P. Jansen Bcc: spion@example.nl "=cmd|x"'
