"""Filling the Word templates: one .docx per letter, with docxtpl.

Each template is opened, checked and prepared for Jinja once per batch
(``prepared_template.PreparedTemplate``); per letter only the filling is done.

Data is never template: autoescaping is on, so a debtor called
``Jansen & Zn <Holding>`` comes out intact and ``{{ x }}`` in a name comes out
as those characters. Every value reaches the template as finished text in the
letter's language: money as ``€ 1.234,56`` (English: ``€1,234.56``), dates as
``31 oktober 2026`` (babel, nl_NL; English en_GB). Only ``betaal_qr`` is an
image and the ``heeft_*`` fields are true or false.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Iterable

import jinja2
from babel import Locale
from babel.dates import format_date
from babel.numbers import format_currency, format_decimal
from docx.shared import Mm
from stdnum import iban as stdnum_iban

from ..money import format_eur
from .context import ACTION_KINDS, KIND_LABELS, Letter
from .epc_qr import epc_payload, epc_qr_png
from .payment_reference import format_reference
from .prepared_template import PreparedTemplate
from .templates import PLACEHOLDERS, TemplateProblem, check_template, jinja_environment, template_path

BABEL_LOCALES = {"nl": "nl_NL", "en": "en_GB"}
QR_WIDTH = Mm(30)
DOMESTIC = {"", "NL", "NLD", "NEDERLAND", "THE NETHERLANDS", "NETHERLANDS"}

# The few words the data itself needs in the letter's language.
WORDS = {
    "nl": {
        "kinds": KIND_LABELS,
        "debtor_kinds": {"zakelijk": "zakelijk", "consument": "consument"},
        "interest": {
            "handelsrente": ("wettelijke handelsrente", "artikel 6:119a BW"),
            "wettelijke": ("wettelijke rente", "artikel 6:119 BW"),
        },
        # An invoice's own step in a letter that covers several (one letter per debtor per day).
        "steps": {
            "Betalingsherinnering": "herinnering",
            "Ingebrekestelling": "ingebrekestelling",
            "Veertiendagenbrief": "aanmaning (14 dagen)",
            "Uit handen": "uit handen",
        },
        "invoice": "factuur",
        "dear": "Geachte {}",
        "dear_unknown": "Geachte heer, mevrouw",
        "agency_unknown": "een incassobureau",
    },
    "en": {
        "kinds": {
            "betalingsherinnering": "Payment reminder",
            "ingebrekestelling": "Notice of default",
            "veertiendagenbrief": "Fourteen-day letter",
            "bevestiging_betalingsregeling": "Confirmation of payment arrangement",
            "bevestiging_betalingsafspraak": "Confirmation of promise to pay",
            "overdracht": "Transfer for collection",
        },
        "debtor_kinds": {"zakelijk": "business", "consument": "consumer"},
        "interest": {
            "handelsrente": (
                "statutory commercial interest (wettelijke handelsrente)",
                "Article 6:119a of the Dutch Civil Code",
            ),
            "wettelijke": ("statutory interest (wettelijke rente)", "Article 6:119 of the Dutch Civil Code"),
        },
        "steps": {
            "Betalingsherinnering": "reminder",
            "Ingebrekestelling": "notice of default",
            "Veertiendagenbrief": "final reminder (14 days)",
            "Uit handen": "handed over",
        },
        # The Acties sheet's Soort as the hand-over's "Actions taken" names it (register/schema.ACTION_KINDS).
        "actions": {
            "Betalingsherinnering": "Payment reminder",
            "Telefoongesprek": "Phone call",
            "Ingebrekestelling": "Notice of default",
            "Veertiendagenbrief": "Fourteen-day letter",
            "E-mail": "Email",
            "Betalingsbelofte": "Promise to pay",
            "Betalingsregeling": "Payment arrangement",
            "Betwisting": "Dispute",
            "Uit handen": "Handed over for collection",
            "Afgeboekt": "Written off",
            "Notitie": "Note",
            "Stuiting": "Interruption of prescription",
        },
        "invoice": "invoice",
        "dear": "Dear {}",
        "dear_unknown": "Dear Sir or Madam",
        "agency_unknown": "a collection agency",
    },
}

_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f]")  # not valid in (or not meant for) Word's XML; \n stays


@dataclass(frozen=True)
class RenderedLetter:
    letter: Letter
    docx: Path
    template: Path


def long_date(value: date, language: str = "nl") -> str:
    """``31 oktober 2026`` (English: ``31 October 2026``)."""
    return format_date(value, "d MMMM y", locale=BABEL_LOCALES[language])


class _Format:
    """Text for one language: money, dates, percentages, cleaned data."""

    def __init__(self, language: str):
        self.language = language
        self.locale = BABEL_LOCALES[language]

    def money(self, value: Decimal) -> str:
        # Amounts are whole cents (the Letter checks), so nothing is rounded here.
        if self.language == "nl":
            return format_eur(value)
        return format_currency(value, "EUR", locale=self.locale)

    def long_date(self, value: date) -> str:
        return long_date(value, self.language)

    def short_date(self, value: date) -> str:
        return format_date(value, "dd-MM-y" if self.language == "nl" else "dd/MM/y", locale=self.locale)

    def percent(self, value: Decimal) -> str:
        return format_decimal(value, format="#,##0.00##", locale=self.locale) + "%"

    @staticmethod
    def text(value: object) -> str:
        return _CONTROL.sub(" ", str(value or "")).strip()

    def country(self, value: str) -> str:
        code = self.text(value).upper()
        if code in DOMESTIC:
            return ""
        name = Locale.parse(self.locale).territories.get(code, self.text(value))
        return name.upper()


def letter_context(letter: Letter) -> dict[str, object]:
    """The placeholders of ``PLACEHOLDERS`` filled for one letter, except ``betaal_qr``."""
    f = _Format(letter.language)
    words = WORDS[letter.language]
    company, debtor = letter.company, letter.debtor
    money = f.money
    contact, name = f.text(debtor.contact), f.text(debtor.name)
    own = f.text(debtor.salutation).rstrip(",").rstrip()  # the template writes the comma
    if own:
        salutation = own
    elif contact:
        salutation = words["dear"].format(contact)
    elif debtor.kind == "consument":
        salutation = words["dear"].format(name)
    else:
        salutation = words["dear_unknown"]
    interest_kind, interest_article = words["interest"][letter.interest_kind]
    claim = letter.claim
    basis_texts = claim.texts(letter.language) if claim else ((), (), ())
    own_step = ACTION_KINDS[letter.kind]
    state_of = {line.number: line.state or own_step for line in letter.invoices}
    others = [line.number for line in letter.invoices if state_of[line.number] != own_step]
    title = company.signatory_title
    if letter.language != "nl" and company.signatory_title_en:
        title = company.signatory_title_en
    return {
        "bedrijf": {
            "naam": f.text(company.name),
            "adres": f.text(company.address),
            "postcode": f.text(company.postcode),
            "plaats": f.text(company.city),
            "telefoon": f.text(company.phone),
            "email": f.text(company.email),
            "iban": stdnum_iban.format(company.iban),
            "bic": f.text(company.bic),
            "kvk": f.text(company.kvk),
            "btw_nummer": f.text(company.vat_number),
            "ondertekenaar": f.text(company.signatory),
            "functie_ondertekenaar": f.text(title),
            "incassobureau": f.text(company.collection_agency) or words["agency_unknown"],
            "incassobureau_adres": f.text(company.collection_agency_address),
            "incassobureau_postcode": f.text(company.collection_agency_postcode),
            "incassobureau_plaats": f.text(company.collection_agency_city),
        },
        "debiteur": {
            "nummer": f.text(debtor.number),
            "naam": name,
            "contactpersoon": contact,
            "adres": f.text(debtor.address),
            "postcode": f.text(debtor.postcode),
            "plaats": f.text(debtor.city),
            "land": f.country(debtor.country),
            "soort": words["debtor_kinds"][debtor.kind],
            "aanhef": salutation,
        },
        "brief": {
            "soort": words["kinds"][letter.kind],
            "datum": f.long_date(letter.letter_date),
            "betalen_voor": f.long_date(letter.pay_by),
            "termijn_dagen": str(letter.term_days),
            "kenmerk": format_reference(letter.reference),
            "meerdere_stappen": bool(others),
            "eigen_facturen": ", ".join(f.text(n) for n in state_of if n not in others),
            "andere_stappen": "; ".join(
                f"{words['invoice']} {f.text(n)}: {words['steps'].get(state_of[n], state_of[n].lower())}"
                for n in others
            ),
        },
        "facturen": [
            {
                "nummer": f.text(line.number),
                "factuurdatum": f.short_date(line.invoice_date),
                "vervaldatum": f.short_date(line.due_date),
                "bedrag": money(line.amount),
                "openstaand": money(line.open_amount),
                "dagen_over": str(line.days_overdue),
                "stap": words["steps"].get(state_of[line.number], state_of[line.number].lower()),
            }
            for line in letter.invoices
        ],
        "bedragen": {
            "hoofdsom": money(letter.principal),
            "rente": money(letter.interest),
            "incassokosten": money(letter.collection_costs),
            "btw_incassokosten": money(letter.collection_costs_vat),
            "incassokosten_totaal": money(letter.costs_total),
            "totaal": money(letter.total_due),
            "te_betalen": money(letter.amount_to_pay),
            "heeft_rente": letter.interest > 0,
            "heeft_incassokosten": letter.collection_costs > 0,
            "heeft_btw_incassokosten": letter.collection_costs_vat > 0,
            "incassokosten_verschuldigd": money(letter.costs_due_now),
            "incassokosten_betaald": money(letter.costs_paid),
            "incassokosten_nu": money(letter.costs_owed_now),
            "incassokosten_geheel": money(letter.costs_whole),
            "heeft_incassokosten_verschuldigd": letter.costs_due_now > 0,
            "heeft_incassokosten_betaald": letter.costs_paid > 0,
            "heeft_incassokosten_nu": letter.costs_owed_now > 0,
            "in_verzuim": letter.in_default,
        },
        "rente": {
            "soort": interest_kind,
            "artikel": interest_article,
            "tot": f.long_date(letter.letter_date),
        },
        "termijnen": [
            {"nummer": str(i.number), "vervaldatum": f.long_date(i.due_date), "bedrag": money(i.amount)}
            for i in letter.instalments
        ],
        "afspraak": {
            "datum": f.long_date(letter.promise.date) if letter.promise else "",
            "bedrag": money(letter.promise.amount) if letter.promise else "",
        },
        "specificatie": {
            "renteperioden": [
                {
                    "factuur": f.text(p.invoice),
                    "van": f.short_date(p.start),
                    "tot": f.short_date(p.end),
                    "dagen": str(p.days),
                    "percentage": f.percent(p.rate),
                    "grondslag": money(p.base),
                    "rente": money(p.interest),
                }
                for p in (claim.interest_periods if claim else ())
            ],
            "betalingen": [
                {
                    "datum": f.short_date(p.date),
                    "factuur": f.text(p.invoice),
                    "bedrag": money(p.amount),
                    "naar_kosten": money(p.to_costs),
                    "naar_rente": money(p.to_interest),
                    "naar_hoofdsom": money(p.to_principal),
                }
                for p in (claim.payments if claim else ())
            ],
            "acties": [
                {
                    "datum": f.short_date(a.date),
                    # a kind the table does not know (none in the schema) is shown as the register has it
                    "soort": f.text(words.get("actions", {}).get(a.kind, a.kind)),
                    "omschrijving": f.text(a.description),
                }
                for a in (claim.actions if claim else ())
            ],
            "kostengrondslag": [f.text(line) for line in basis_texts[0]],
            "rentegrondslag": [f.text(line) for line in basis_texts[1]],
            "verjaring": [f.text(line) for line in basis_texts[2]],
        },
        "bijlagen": [f.text(path.name) for path in letter.attachments],
    }


def qr_payload(letter: Letter) -> str:
    """The betaal-QR of a letter: the amount it asks for, to the company's account, with its reference."""
    return epc_payload(
        name=letter.company.name,
        iban=letter.company.iban,
        bic=letter.company.bic,
        amount=letter.amount_to_pay,
        reference=letter.reference,
    )


def safe_name(text: str, fallback: str = "debiteur") -> str:
    """A file-name part of letters, digits and dashes only: no '/', '..', ':' or '\\' can steer a path.

    >>> safe_name("../../etc/passwd"), safe_name("C:\\\\temp"), safe_name("Café:12/3"), safe_name("..")
    ('etc_passwd', 'C_temp', 'Cafe_12_3', 'debiteur')
    """
    ascii_text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    cleaned = re.sub(r"[^A-Za-z0-9-]+", "_", ascii_text).strip("_-")[:60]
    return cleaned or fallback


def letter_filename(letter: Letter) -> str:
    """``<debtor number>_<kind>_<date>.docx``, the debtor number made safe."""
    language = "" if letter.language == "nl" else f"_{letter.language}"
    return f"{safe_name(letter.debtor.number)}_{letter.kind}_{letter.letter_date.isoformat()}{language}.docx"


def output_path(out_dir: Path, filename: str, taken: set[Path] | None = None) -> Path:
    """``out_dir / filename``, refused unless it stays directly in ``out_dir``; numbered when taken."""
    folder = Path(out_dir).resolve()
    stem, suffix = Path(filename).stem, Path(filename).suffix
    candidate = (folder / filename).resolve()
    number = 2
    while taken is not None and candidate in taken:
        candidate = (folder / f"{stem}-{number}{suffix}").resolve()
        number += 1
    if candidate.parent != folder:
        raise ValueError(f"Bestandsnaam {filename!r} valt buiten de uitvoermap {folder}.")
    if taken is not None:
        taken.add(candidate)
    return candidate


def render_letters(
    letters: Iterable[Letter],
    out_dir: Path | str,
    *,
    templates_dir: Path | str | None = None,
    progress: Callable[[Letter], None] | None = None,
    taken: set[Path] | None = None,
) -> list[RenderedLetter]:
    """One .docx per letter in ``out_dir``; each template is checked once before its first use.

    ``progress`` is called with each letter before it is rendered; ``taken``
    names files that must not be overwritten (a letter gets a numbered name instead).
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    environment = jinja_environment()
    prepared: dict[Path, PreparedTemplate] = {}
    taken = {Path(p).resolve() for p in taken or ()}
    rendered = []
    for letter in letters:
        if progress:
            progress(letter)
        path = template_path(letter.kind, letter.language, templates_dir)
        if path not in prepared:
            template = PreparedTemplate(path.read_bytes(), environment)
            check_template(path, supplied=PLACEHOLDERS, source=template.jinja_source)
            prepared[path] = template
        document = letter_docx(letter, prepared[path], path)
        target = output_path(out, letter_filename(letter), taken)
        target.write_bytes(document)
        rendered.append(RenderedLetter(letter, target, path))
    return rendered


def letter_docx(letter: Letter, template: PreparedTemplate, path: Path) -> bytes:
    """The .docx bytes of one letter filled into its prepared template (``path`` names it in errors)."""
    context = letter_context(letter)
    context["betaal_qr"] = template.image(epc_qr_png(qr_payload(letter)), width=QR_WIDTH)
    try:
        return template.fill(context)
    except jinja2.UndefinedError as error:
        raise TemplateProblem(path, [f"een veld ontbreekt bij het invullen ({error.message})"]) from None


def render_letter(letter: Letter, out_dir: Path | str, *, templates_dir: Path | str | None = None) -> RenderedLetter:
    """One letter as .docx in ``out_dir``."""
    return render_letters([letter], out_dir, templates_dir=templates_dir)[0]
