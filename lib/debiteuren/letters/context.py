"""The records a letter is made from: what the dunning plan fills in.

Money is ``Decimal`` in whole cents, dates are ``datetime.date``. The records
check themselves when built and raise one ``LetterError`` listing every
problem in Dutch; ``letter_warnings`` names what is allowed but departs from
the seeds or the law's safe defaults (a reminder term over 7 days, say).

Derived amounts (``Letter``):

- ``principal``: the open amounts of the letter's invoices, summed;
- ``costs_total``: collection costs plus the VAT on them;
- ``total_due``: principal + interest + costs_total, the whole claim;
- ``costs_owed_now``: the collection costs already due on the letter date
  (``costs_due_now``) less what payments put on them (``costs_paid``, 6:44);
  ``costs_whole``: all the collection costs before those payments;
- ``amount_to_pay``: what this letter asks the debtor to pay now, and the
  amount in its betaal-QR. A notice of default and a 14-day letter demand
  principal + interest + the costs already due and unpaid (a business debtor's
  € 40 per invoice), and name the collection costs that become due once the term
  has passed as the consequence of not paying; an arrangement asks for
  its first instalment, a promise for the promised amount; a reminder and a
  hand-over for the total.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Iterable

from stdnum import iban as stdnum_iban
from stdnum import iso11649

from ..errors import InvalidInput
from ..money import format_eur, is_whole_cents
from .epc_qr import MAX_NAME as EPC_MAX_NAME
from .payment_reference import PaymentReferenceError, creditor_reference

KINDS = (
    "betalingsherinnering",
    "ingebrekestelling",
    "veertiendagenbrief",
    "bevestiging_betalingsregeling",
    "bevestiging_betalingsafspraak",
    "overdracht",
)
# One character per kind in the payment reference.
KIND_CODES = {
    "betalingsherinnering": "H",
    "ingebrekestelling": "I",
    "veertiendagenbrief": "V",
    "bevestiging_betalingsregeling": "R",
    "bevestiging_betalingsafspraak": "A",
    "overdracht": "O",
}
# What a controller reads (signing list, bookmarks).
KIND_LABELS = {
    "betalingsherinnering": "Betalingsherinnering",
    "ingebrekestelling": "Ingebrekestelling",
    "veertiendagenbrief": "Veertiendagenbrief",
    "bevestiging_betalingsregeling": "Bevestiging betalingsregeling",
    "bevestiging_betalingsafspraak": "Bevestiging betalingsafspraak",
    "overdracht": "Overdracht ter incasso",
}
# The Acties sheet's Soort for the log line of each letter (design §4).
ACTION_KINDS = {
    "betalingsherinnering": "Betalingsherinnering",
    "ingebrekestelling": "Ingebrekestelling",
    "veertiendagenbrief": "Veertiendagenbrief",
    "bevestiging_betalingsregeling": "Betalingsregeling",
    "bevestiging_betalingsafspraak": "Betalingsbelofte",
    "overdracht": "Uit handen",
}
LANGUAGES = ("nl", "en")
# An optional Instellingen key (no schema change): the signatory's title in English letters.
SIGNATORY_TITLE_EN = "Functie ondertekenaar (Engels)"
DEBTOR_KINDS = ("zakelijk", "consument")
INTEREST_KINDS = ("handelsrente", "wettelijke")
MAX_INSTALMENTS = 4
REMINDER_MAX_TERM = 7
DEFAULT_NOTICE_TERM = (5, 7)
# 14 days after the day of delivery, delivery presumed no sooner than the 2nd day after sending.
FOURTEEN_DAY_MIN_TERM = 16
# Letters that never carry collection costs for a consumer (art. 6:96 lid 6 BW).
CONSUMER_NO_COSTS = ("betalingsherinnering", "ingebrekestelling")
ZERO = Decimal("0")


class LetterError(InvalidInput):
    """A letter record that cannot make a correct letter; the message lists every problem."""

    def __init__(self, problems: Iterable[str]):
        self.problems = tuple(problems)
        super().__init__("\n".join(self.problems))


@dataclass(frozen=True)
class Company:
    """The creditor, from the Instellingen sheet."""

    name: str
    iban: str
    address: str = ""
    postcode: str = ""
    city: str = ""
    phone: str = ""
    email: str = ""
    bic: str = ""
    kvk: str = ""
    vat_number: str = ""
    signatory: str = ""
    signatory_title: str = ""
    collection_agency: str = ""
    collection_agency_address: str = ""
    collection_agency_postcode: str = ""
    collection_agency_city: str = ""
    signatory_title_en: str = ""  # for English letters; empty: the Dutch title

    @classmethod
    def from_settings(cls, settings) -> Company:
        """From the register's ``Settings`` record (``register.model.Settings``)."""
        return cls(
            name=settings.company_name,
            iban=settings.iban,
            address=settings.company_address,
            postcode=settings.company_postcode,
            city=settings.company_city,
            phone=settings.company_phone,
            email=settings.company_email,
            bic=settings.bic,
            kvk=settings.kvk,
            vat_number=settings.vat_number,
            signatory=settings.signatory,
            signatory_title=settings.signatory_title,
            collection_agency=settings.collection_agency,
            collection_agency_address=settings.collection_agency_address,
            collection_agency_postcode=settings.collection_agency_postcode,
            collection_agency_city=settings.collection_agency_city,
            signatory_title_en=str(settings.get(SIGNATORY_TITLE_EN, "") or ""),
        )


@dataclass(frozen=True)
class Debtor:
    number: str
    name: str
    contact: str = ""
    address: str = ""
    postcode: str = ""
    city: str = ""
    country: str = "NL"
    language: str = "nl"  # nl / en
    kind: str = "zakelijk"  # zakelijk / consument
    salutation: str = ""  # Debiteuren's Aanhef ("Geachte mevrouw Groen"); empty: a neutral default


@dataclass(frozen=True)
class InvoiceLine:
    number: str
    invoice_date: date
    due_date: date
    amount: Decimal  # incl. VAT; negative for a credit note
    open_amount: Decimal
    days_overdue: int
    # The step this invoice is at in the letter (an Acties kind, e.g. "Betalingsherinnering");
    # empty: the letter's own step. One letter per debtor per day lists each with its own.
    state: str = ""


@dataclass(frozen=True)
class Instalment:
    number: int
    due_date: date
    amount: Decimal


@dataclass(frozen=True)
class Promise:
    date: date
    amount: Decimal


@dataclass(frozen=True)
class InterestPeriod:
    """One segment of the interest calculation (first and last day inclusive)."""

    start: date
    end: date
    days: int
    rate: Decimal  # percent per year, e.g. Decimal("10.15")
    base: Decimal
    interest: Decimal
    invoice: str = ""  # the invoice this period belongs to (a hand-over lists several)


@dataclass(frozen=True)
class PaymentLine:
    """A payment and how it was allocated (art. 6:44 BW: costs, interest, principal)."""

    date: date
    amount: Decimal
    to_costs: Decimal
    to_interest: Decimal
    to_principal: Decimal
    invoice: str = ""  # the invoice this part of the payment reached (art. 6:43 BW)


@dataclass(frozen=True)
class ActionLine:
    """One line of the dossier (the Acties sheet)."""

    date: date
    kind: str
    description: str = ""


@dataclass(frozen=True)
class ClaimSpecification:
    """What a collection agency needs beside the totals."""

    interest_periods: tuple[InterestPeriod, ...] = ()
    payments: tuple[PaymentLine, ...] = ()
    actions: tuple[ActionLine, ...] = ()
    costs_basis: tuple[str, ...] = ()  # Dutch lines: on what the collection costs rest (or why there are none)
    interest_basis: tuple[str, ...] = ()  # Dutch lines, per invoice: principal, first interest day and why
    prescription: tuple[str, ...] = ()  # Dutch lines, per invoice: prescribed or not, and when (art. 3:307 BW)
    # The same lines in English, for an English letter: the letter's language is decided after the
    # specification is made (a hand-over is Dutch unless asked otherwise), so it carries both.
    costs_basis_en: tuple[str, ...] = ()
    interest_basis_en: tuple[str, ...] = ()
    prescription_en: tuple[str, ...] = ()

    def __post_init__(self):
        _freeze(self, "interest_periods", InterestPeriod)
        _freeze(self, "payments", PaymentLine)
        _freeze(self, "actions", ActionLine)
        for name in ("costs_basis", "interest_basis", "prescription"):
            object.__setattr__(self, name, tuple(getattr(self, name)))
            object.__setattr__(self, f"{name}_en", tuple(getattr(self, f"{name}_en")))

    def texts(self, language: str) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
        """(costs basis, interest basis, prescription) lines in ``language``; Dutch when there is no English."""
        if language == "en" and (self.costs_basis_en or self.interest_basis_en or self.prescription_en):
            return self.costs_basis_en, self.interest_basis_en, self.prescription_en
        return self.costs_basis, self.interest_basis, self.prescription


@dataclass(frozen=True)
class Letter:
    """One letter to one debtor (or, for ``overdracht``, about one debtor)."""

    kind: str
    company: Company
    debtor: Debtor
    letter_date: date
    pay_by: date
    invoices: tuple[InvoiceLine, ...]
    interest: Decimal = ZERO  # up to and including the letter date
    interest_kind: str = ""  # handelsrente / wettelijke; empty: by the debtor's kind
    collection_costs: Decimal = ZERO  # before VAT
    collection_costs_vat: Decimal = ZERO  # only when the creditor cannot deduct VAT
    # Of the collection costs: the part already due on the letter date, VAT included, before payments (a
    # business notice: € 40 per invoice, art. 6:96 lid 4 BW; all of them once in verzuim), and what payments
    # made after it became due already put on it (6:44). ``collection_costs`` is what is left after them.
    costs_due_now: Decimal = ZERO
    costs_paid: Decimal = ZERO
    in_default: bool = False  # the debtor is in verzuim on the letter date (fatal terms): all costs are due
    instalments: tuple[Instalment, ...] = ()
    promise: Promise | None = None
    claim: ClaimSpecification | None = None
    reference: str = ""  # empty: built from debtor number, letter date and kind
    attachments: tuple[Path, ...] = ()  # invoice PDFs, appended after the letter in the bundle
    language: str = ""  # empty: the debtor's language (Dutch for an overdracht)

    def __post_init__(self):
        _freeze(self, "invoices", InvoiceLine)
        _freeze(self, "instalments", Instalment)
        object.__setattr__(self, "attachments", tuple(Path(p) for p in self.attachments))
        if isinstance(self.promise, tuple):
            object.__setattr__(self, "promise", Promise(*self.promise))
        if not self.interest_kind:
            kind = "wettelijke" if self.debtor.kind == "consument" else "handelsrente"
            object.__setattr__(self, "interest_kind", kind)
        if not self.language:
            language = "nl" if self.kind == "overdracht" else self.debtor.language
            object.__setattr__(self, "language", language)
        problems = _problems(self)
        if problems:
            raise LetterError(problems)
        if not self.reference:
            reference = creditor_reference(self.debtor.number, self.letter_date, KIND_CODES[self.kind])
            object.__setattr__(self, "reference", reference)
        else:
            object.__setattr__(self, "reference", iso11649.compact(self.reference))

    @property
    def principal(self) -> Decimal:
        return sum((line.open_amount for line in self.invoices), ZERO)

    @property
    def costs_total(self) -> Decimal:
        return self.collection_costs + self.collection_costs_vat

    @property
    def costs_owed_now(self) -> Decimal:
        """The collection costs due on the letter date that payments have not settled (VAT included)."""
        return max(self.costs_due_now - self.costs_paid, ZERO)

    @property
    def costs_whole(self) -> Decimal:
        """All the collection costs the claim carries, VAT included, before what payments put on them."""
        return self.costs_total + self.costs_paid

    @property
    def total_due(self) -> Decimal:
        return self.principal + self.interest + self.costs_total

    @property
    def amount_to_pay(self) -> Decimal:
        if self.kind in ("ingebrekestelling", "veertiendagenbrief"):
            # The costs that become due when the term passes are its consequence, not part of the demand;
            # those already due are (else a payment of principal and interest would go to them first, 6:44).
            return self.principal + self.interest + self.costs_owed_now
        if self.kind == "bevestiging_betalingsregeling":
            return self.instalments[0].amount
        if self.kind == "bevestiging_betalingsafspraak":
            return self.promise.amount
        return self.total_due

    @property
    def term_days(self) -> int:
        """Days from the letter date to the pay-by date."""
        return (self.pay_by - self.letter_date).days


def _freeze(record, name: str, item_type: type) -> None:
    """Lists become tuples and plain tuples become records, so the plan may pass either."""
    items = tuple(item if isinstance(item, item_type) else item_type(*item) for item in getattr(record, name))
    object.__setattr__(record, name, items)


def _money_fields(letter: Letter) -> list[tuple[str, object]]:
    fields = [
        ("rente", letter.interest),
        ("incassokosten", letter.collection_costs),
        ("btw over incassokosten", letter.collection_costs_vat),
        ("al verschuldigde incassokosten", letter.costs_due_now),
        ("betaalde incassokosten", letter.costs_paid),
    ]
    for line in letter.invoices:
        fields += [
            (f"factuur {line.number}: bedrag", line.amount),
            (f"factuur {line.number}: openstaand", line.open_amount),
        ]
    fields += [(f"termijn {i.number}: bedrag", i.amount) for i in letter.instalments]
    if letter.promise is not None:
        fields.append(("toegezegd bedrag", letter.promise.amount))
    if letter.claim is not None:
        for p in letter.claim.interest_periods:
            fields += [(f"renteperiode {p.start}: grondslag", p.base), (f"renteperiode {p.start}: rente", p.interest)]
        for p in letter.claim.payments:
            fields += [
                (f"betaling {p.date}: {label}", value)
                for label, value in (
                    ("bedrag", p.amount),
                    ("naar kosten", p.to_costs),
                    ("naar rente", p.to_interest),
                    ("naar hoofdsom", p.to_principal),
                )
            ]
    return fields


def _problems(letter: Letter) -> list[str]:
    """Every reason this record cannot make a correct letter, in Dutch."""
    who = f"Brief aan debiteur {letter.debtor.number!r}"
    problems = []
    if letter.kind not in KINDS:
        problems.append(f"{who}: onbekende soort brief {letter.kind!r} (kies uit {', '.join(KINDS)}).")
    if letter.language not in LANGUAGES:
        problems.append(f"{who}: onbekende taal {letter.language!r} (nl of en).")
    if letter.debtor.kind not in DEBTOR_KINDS:
        problems.append(f"{who}: soort debiteur {letter.debtor.kind!r} is geen 'zakelijk' of 'consument'.")
    if letter.interest_kind not in INTEREST_KINDS:
        problems.append(f"{who}: soort rente {letter.interest_kind!r} is geen 'handelsrente' of 'wettelijke'.")
    if not letter.company.name:
        problems.append(f"{who}: de bedrijfsnaam ontbreekt (Instellingen, 'Bedrijfsnaam').")
    elif len(letter.company.name) > EPC_MAX_NAME:
        problems.append(f"{who}: de bedrijfsnaam is langer dan {EPC_MAX_NAME} tekens; de betaal-QR staat dat niet toe.")
    if not stdnum_iban.is_valid(letter.company.iban):
        problems.append(f"{who}: het IBAN {letter.company.iban!r} ontbreekt of is ongeldig (Instellingen, 'IBAN').")
    for label, value in _money_fields(letter):
        if not isinstance(value, Decimal):
            problems.append(f"{who}: {label} moet een Decimal zijn, niet {type(value).__name__} ({value!r}).")
        elif not is_whole_cents(value):
            problems.append(f"{who}: {label} {value} is geen bedrag in hele centen.")
        elif value < 0 and not label.startswith("factuur "):  # a credit note may be negative
            problems.append(f"{who}: {label} {value} mag niet negatief zijn.")
    if problems:  # the checks below need valid kinds and amounts
        return problems
    if not letter.invoices:
        problems.append(f"{who}: de brief noemt geen enkele factuur.")
    elif letter.principal <= 0:
        problems.append(f"{who}: het openstaande bedrag {format_eur(letter.principal)} is niet positief.")
    if letter.pay_by < letter.letter_date:
        problems.append(f"{who}: betalen uiterlijk {letter.pay_by} ligt vóór de briefdatum {letter.letter_date}.")
    if letter.reference and not iso11649.is_valid(letter.reference):
        problems.append(f"{who}: betalingskenmerk {letter.reference!r} is geen geldig RF-kenmerk.")
    if not letter.reference:
        try:
            creditor_reference(letter.debtor.number, letter.letter_date, KIND_CODES[letter.kind])
        except PaymentReferenceError as error:
            problems.append(f"{who}: {error}")
    if letter.kind == "bevestiging_betalingsregeling":
        problems += _arrangement_problems(letter, who)
    elif letter.instalments:
        problems.append(f"{who}: alleen een bevestiging van een betalingsregeling heeft termijnen.")
    if letter.kind == "bevestiging_betalingsafspraak":
        if letter.promise is None:
            problems.append(
                f"{who}: een bevestiging van een betalingsafspraak heeft een toegezegde datum en bedrag nodig."
            )
        elif letter.promise.amount <= 0:
            problems.append(f"{who}: het toegezegde bedrag moet positief zijn.")
        elif letter.promise.date < letter.letter_date:
            problems.append(f"{who}: de toegezegde datum {letter.promise.date} ligt vóór de briefdatum.")
        elif letter.pay_by != letter.promise.date:
            problems.append(
                f"{who}: betalen uiterlijk {letter.pay_by} moet de toegezegde datum {letter.promise.date} zijn."
            )
    if letter.costs_paid > letter.costs_due_now or letter.costs_due_now > letter.costs_whole:
        problems.append(
            f"{who}: de al verschuldigde incassokosten ({format_eur(letter.costs_due_now)}) moeten tussen wat "
            f"erop betaald is ({format_eur(letter.costs_paid)}) en alle incassokosten "
            f"({format_eur(letter.costs_whole)}) liggen."
        )
    if letter.debtor.kind == "consument" and letter.kind in CONSUMER_NO_COSTS and letter.costs_whole > 0:
        # Art. 6:96 lid 6 BW: only a valid 14-day letter can make a consumer owe collection costs.
        problems.append(
            f"{who}: een {KIND_LABELS[letter.kind].lower()} aan een consument mag geen incassokosten noemen; "
            "alleen een geldige veertiendagenbrief kan ze verschuldigd maken (art. 6:96 lid 6 BW)."
        )
    if letter.kind == "overdracht" and letter.claim is None:
        problems.append(f"{who}: een overdracht ter incasso heeft een specificatie van de vordering nodig.")
    return problems


def _arrangement_problems(letter: Letter, who: str) -> list[str]:
    instalments = letter.instalments
    if not 1 <= len(instalments) <= MAX_INSTALMENTS:
        return [f"{who}: een betalingsregeling heeft 1 tot {MAX_INSTALMENTS} termijnen, niet {len(instalments)}."]
    problems = []
    if [i.number for i in instalments] != list(range(1, len(instalments) + 1)):
        problems.append(f"{who}: de termijnen moeten 1 tot en met {len(instalments)} heten, in volgorde.")
    dates = [i.due_date for i in instalments]
    if dates != sorted(set(dates)) or dates[0] < letter.letter_date:
        problems.append(f"{who}: de vervaldatums van de termijnen moeten na de briefdatum liggen en oplopen.")
    if letter.pay_by != dates[0]:
        problems.append(
            f"{who}: betalen uiterlijk {letter.pay_by} moet de vervaldatum van termijn 1 ({dates[0]}) zijn."
        )
    if any(i.amount <= 0 for i in instalments):
        problems.append(f"{who}: elke termijn moet een positief bedrag hebben.")
    total = sum((i.amount for i in instalments), ZERO)
    if total != letter.total_due:
        problems.append(
            f"{who}: de termijnen tellen op tot {format_eur(total)}, "
            f"maar het totaal verschuldigde is {format_eur(letter.total_due)}."
        )
    return problems


def letter_warnings(letter: Letter) -> tuple[str, ...]:
    """What the seeds or the law's safe defaults advise against, in Dutch; the letter can still be made."""
    who = f"{KIND_LABELS[letter.kind]} aan debiteur {letter.debtor.number!r}"
    warnings = []
    days = letter.term_days
    if letter.kind == "betalingsherinnering" and not 1 <= days <= REMINDER_MAX_TERM:
        warnings.append(f"{who}: betaaltermijn {days} dagen; advies is een datum hoogstens 7 dagen na de brief.")
    if letter.kind == "ingebrekestelling":
        low, high = DEFAULT_NOTICE_TERM
        if not low <= days <= high:
            warnings.append(f"{who}: termijn {days} dagen; advies is 5 tot 7 dagen.")
    if letter.kind == "veertiendagenbrief":
        if letter.debtor.kind == "zakelijk":
            warnings.append(f"{who}: een veertiendagenbrief is alleen voor consumenten nodig.")
        if days < FOURTEEN_DAY_MIN_TERM:
            warnings.append(
                f"{who}: de termijn loopt tot 14 dagen na de dag van bezorging; "
                f"de einddatum {letter.pay_by} ligt te vroeg (minstens {FOURTEEN_DAY_MIN_TERM} dagen na de brief)."
            )
    if letter.collection_costs_vat > 0 and letter.company.vat_number:
        warnings.append(
            f"{who}: de brief rekent btw over de incassokosten (Instellingen, 'Incassokosten met btw: ja'), maar "
            f"noemt ook btw-nummer {letter.company.vat_number}. Een ondernemer die de btw kan verrekenen, mag die "
            "niet doorberekenen (art. 2 lid 3 Besluit vergoeding voor buitengerechtelijke incassokosten); "
            "controleer de instelling."
        )
    if letter.kind == "overdracht" and not letter.company.collection_agency:
        warnings.append(f"{who}: er is geen incassobureau ingesteld (Instellingen, 'Incassobureau').")
    elif letter.kind == "overdracht" and not (
        letter.company.collection_agency_address and letter.company.collection_agency_city
    ):
        warnings.append(
            f"{who}: het adres van het incassobureau ontbreekt (Instellingen, 'Adres incassobureau', "
            "'Postcode incassobureau' en 'Plaats incassobureau'); de brief past dan niet in een vensterenvelop."
        )
    return tuple(warnings)
