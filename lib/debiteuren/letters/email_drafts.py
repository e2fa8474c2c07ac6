"""E-mail drafts of the Betalingsherinnering: an unsent .eml per debtor with an e-mail address.

A reminder may go by e-mail (peers send it so); the legal letters (notice of
default, 14-day letter, hand-over) stay on paper. For each reminder whose PDF was
made, and whose debtor has an ``E-mail`` in Debiteuren, ``write_email_drafts``
writes ``<letter>.eml`` next to the letter: the PDF attached, a short body with
the same figures and words as the letter, and the header ``X-Unsent: 1`` so that
a mail program (Outlook, Thunderbird, Apple Mail) opens it as a message ready to
send. Nothing is sent: the controller reads it and presses send herself, so the
log says "klaargezet", never "verstuurd per e-mail".

Built with the standard library's ``email`` package.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from email.errors import MessageError
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import parseaddr
from pathlib import Path
from typing import Mapping, Sequence

from .bundle import GeneratedDocument, write_whole
from .render import letter_context

# The letter kinds that may go by e-mail: only the reminder; legal letters stay on paper.
EMAIL_KINDS = ("betalingsherinnering",)

SUBJECT = {
    "nl": "Betalingsherinnering {bedrijf} – debiteurnummer {nummer}",
    "en": "Payment reminder {bedrijf} – customer number {nummer}",
}
BODY = {
    "nl": (
        "{aanhef},\n\n"
        "In de bijlage vindt u onze betalingsherinnering van {datum}. Volgens onze administratie staat op "
        "debiteurnummer {nummer} nog {bedrag} open (factuur {facturen}).\n\n"
        "Wij verzoeken u dit bedrag uiterlijk {betalen_voor} over te maken op rekening {iban} ten name van "
        "{bedrijf}, onder vermelding van {kenmerk}.\n\n"
        "Heeft u inmiddels betaald, dan kunt u deze herinnering als niet verzonden beschouwen. Heeft u vragen "
        "over de factuur, neem dan contact met ons op.\n\n"
        "Met vriendelijke groet,\n\n{afzender}"
    ),
    "en": (
        "{aanhef},\n\n"
        "Please find attached our payment reminder of {datum}. According to our records, {bedrag} is still "
        "outstanding on customer number {nummer} (invoice {facturen}).\n\n"
        "We kindly ask you to transfer this amount by {betalen_voor} to account {iban} in the name of "
        "{bedrijf}, quoting {kenmerk}.\n\n"
        "If you have already paid, please disregard this reminder. If you have any questions about the "
        "invoice, please contact us.\n\n"
        "Kind regards,\n\n{afzender}"
    ),
}


@dataclass(frozen=True)
class EmailDraft:
    """One unsent e-mail written next to its letter."""

    debtor_number: str
    to: str  # the address(es), as in the E-mail cell
    eml: Path
    letter: Path  # the PDF attached


@dataclass(frozen=True)
class EmailDrafts:
    """What ``write_email_drafts`` wrote, and the reminders it wrote no draft for (with a Dutch reason)."""

    drafts: tuple[EmailDraft, ...] = ()
    skipped: tuple[tuple[str, str], ...] = ()  # (debtor number, reason)
    failure: str = ""  # Dutch: why no drafts could be written at all (e.g. a full disk)

    def messages(self, out: Path) -> list[str]:
        """Dutch lines for the controller: what was made, that nothing was sent, what was skipped."""
        lines = []
        if self.drafts:
            count = len(self.drafts)
            lines.append(
                f"{count} e-mailconcept{'en' if count != 1 else ''} van de betalingsherinnering klaargezet in {out} "
                "(.eml, met de PDF als bijlage). Er is niets verzonden: open elk concept in uw mailprogramma, "
                "controleer het en verstuur het zelf."
            )
        lines += [f"Geen e-mailconcept voor debiteur {number}: {reason}." for number, reason in self.skipped]
        if self.failure:
            lines.append(self.failure)
        return lines


def valid_addresses(text: str) -> tuple[str, ...] | None:
    """The bare addresses in an E-mail cell (one, or several separated by ; or ,), or None when one is not valid.

    >>> valid_addresses(" Crediteuren <crediteuren@delinde.nl> "), valid_addresses("a@b.nl; c@d.nl")
    (('crediteuren@delinde.nl',), ('a@b.nl', 'c@d.nl'))
    >>> valid_addresses("info@x"), valid_addresses("jansen at techniek"), valid_addresses("a@b.nl;")
    (None, None, None)
    """
    found = []
    for part in re.split(r"[;,]", str(text or "")):
        _, address = parseaddr(part.strip())
        local, at, domain = address.partition("@")
        if not (local and at and "." in domain.strip(".")) or any(c in address for c in " <>\"'"):
            return None
        found.append(address)
    return tuple(found) or None


def _one_line(text: str) -> str:
    """Header text on one line: a line break in a name (or anywhere) must never start a header of its own."""
    return " ".join(str(text).split())


def draft_message(document: GeneratedDocument, to_addresses: tuple[str, ...]) -> EmailMessage:
    """The unsent e-mail for one reminder: headers, a short body in the letter's language, the PDF attached."""
    letter = document.letter
    context = letter_context(letter)
    language = letter.language if letter.language in BODY else "nl"
    company, debtor, brief = context["bedrijf"], context["debiteur"], context["brief"]
    sender = "\n".join(
        part
        for part in (company["ondertekenaar"], company["functie_ondertekenaar"], company["naam"], company["telefoon"])
        if part
    )
    words = {
        "aanhef": debtor["aanhef"],
        "datum": brief["datum"],
        "nummer": debtor["nummer"],
        "bedrag": context["bedragen"]["te_betalen"],
        "facturen": ", ".join(line["nummer"] for line in context["facturen"]),
        "betalen_voor": brief["betalen_voor"],
        "iban": company["iban"],
        "bedrijf": company["naam"],
        "kenmerk": brief["kenmerk"],
        "afzender": sender,
    }
    message = EmailMessage(policy=SMTP)
    subject = SUBJECT[language].format(bedrijf=company["naam"], nummer=debtor["nummer"])
    message["Subject"] = _one_line(subject)  # also: no company name, no double space
    own = valid_addresses(company["email"])
    if own and len(own) == 1:  # no address of its own in Instellingen: the mail program fills in the sender
        message["From"] = Address(display_name=_one_line(company["naam"]), addr_spec=own[0])
    name = _one_line(debtor["contactpersoon"] or debtor["naam"]) if len(to_addresses) == 1 else ""
    message["To"] = [Address(display_name=name, addr_spec=address) for address in to_addresses]
    message["X-Unsent"] = "1"  # a draft: the mail program opens it ready to send
    message.set_content(BODY[language].format(**words))
    message.add_attachment(document.pdf.read_bytes(), maintype="application", subtype="pdf", filename=document.pdf.name)
    return message


def write_email_drafts(documents: Sequence[GeneratedDocument], addresses: Mapping[str, str], out: Path) -> EmailDrafts:
    """An .eml next to each reminder in ``documents`` whose debtor has an address in ``addresses``.

    ``addresses``: debtor number -> the E-mail cell of Debiteuren (empty or missing: no draft, no remark).
    A reminder without a PDF (none was asked) gets no draft: an e-mail carries the letter as a PDF.
    """
    drafts, skipped = [], []
    for document in documents:
        letter = document.letter
        if letter.kind not in EMAIL_KINDS:
            continue
        number = letter.debtor.number
        given = str(addresses.get(number) or "").strip()
        if not given:
            continue
        address = valid_addresses(given)
        if address is None:
            skipped.append(
                (number, f"'{given}' in de kolom E-mail is geen geldig e-mailadres (verwacht: naam@domein.nl)")
            )
            continue
        if document.pdf is None:
            skipped.append((number, "er is geen PDF van de herinnering gemaakt om mee te sturen"))
            continue
        try:
            data = draft_message(document, address).as_bytes()
        except (ValueError, MessageError):  # an address the e-mail standard cannot carry
            skipped.append((number, f"'{given}' in de kolom E-mail is geen bruikbaar e-mailadres"))
            continue
        eml = write_whole(Path(out) / (document.docx.stem + ".eml"), data)
        drafts.append(EmailDraft(number, ", ".join(address), eml, document.pdf))
    return EmailDrafts(tuple(drafts), tuple(skipped))
