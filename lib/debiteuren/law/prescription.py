"""Prescription (verjaring) of a claim and of its interest: art. 3:307, 3:308, 3:317-3:319 and 7:28 BW.

- **Principal, five years** (art. 3:307 lid 1 BW): a claim to perform an obligation
  from a contract (the invoice) prescribes five years after the beginning of the day
  after the one on which it became due (opeisbaar): for an invoice the due date.
  The period starts the day after the due date and ends at the end of the same
  calendar date five years later; from the next day the claim is prescribed.
- **Consumer sale, two years** (art. 7:28 BW): the claim for the price of a sale of a
  movable thing to a consumer prescribes two years after it became due. Only where
  the register says so (setting ``Verkoop aan consumenten is consumentenkoop``); a
  service or a business sale keeps five years.
- **Interest, five years** (art. 3:308 BW): each day's interest prescribes five years
  after it became due, whatever the principal does: interest older than five years
  before the peildatum may be prescribed. The review and ``rente`` warn about it.
- **Interruption (stuiting)**: a written demand (schriftelijke aanmaning) or a written
  communication in which the creditor unequivocally reserves the right to performance
  (3:317 lid 1), and an acknowledgment by the debtor (3:318), interrupt. A new period
  then starts the day after, as long as the old one but never longer than five years
  (3:319 lid 1): five years again, two for a consumer sale. An interruption after the
  claim has prescribed does not revive it.

Which log entries (Acties, ``Soort``) count as an interruption, and why:

- ``Stuiting``: a letter whose purpose is interruption (3:317 lid 1).
- ``Betalingsherinnering``, ``Ingebrekestelling``, ``Veertiendagenbrief``: written
  demands to pay that name the invoices: schriftelijke aanmaningen (3:317 lid 1). A
  letter interrupts only once it reached the debtor (3:37 lid 3); the log records that it
  was made and sent, so keep the proof of sending in the dossier.
- ``Betalingsbelofte``, ``Betalingsregeling``: the debtor acknowledges the claim
  (erkenning, 3:318); the creditor must be able to prove it (a note of the call, the
  signed arrangement).
- For the **interest** (3:308) only the letters that demand the interest count:
  ``Stuiting``, ``Ingebrekestelling``, ``Veertiendagenbrief``
  (:data:`INTEREST_INTERRUPTING_KINDS`); a reminder asks for the invoice amount only,
  and a promise acknowledges the principal, so they are not relied on for the interest.
- Not counted: ``Telefoongesprek`` and ``E-mail`` (not a written demand, or of unknown
  content), ``Uit handen`` (addressed to the agency, not to the debtor), ``Notitie``.

Choices where the law leaves room, on the cautious side (the warning comes early,
never late): a period ending on 29 February in a year without one ends on 28 February;
the Algemene termijnenwet (a term ending in a weekend) is not applied.

Sources: BW Boek 3 art. 3:37, 3:307, 3:308, 3:316-3:319 and Boek 7 art. 7:28
(wetten.overheid.nl, BWBR0005291 and BWBR0005290).

An invoice due 15 March 2021 prescribes from 16 March 2026 (five years after the day
after the due date, 16 March 2021, the period ends at the end of 15 March 2026):

>>> p = prescription(date(2021, 3, 15))
>>> p.prescribed_on, p.article
(datetime.date(2026, 3, 16), 'art. 3:307 BW')
>>> p.is_prescribed(date(2026, 3, 15)), p.is_prescribed(date(2026, 3, 16))
(False, True)

A reminder of 1 February 2026 interrupts; five new years run from the day after:

>>> prescription(date(2021, 3, 15), [date(2026, 2, 1)]).prescribed_on
datetime.date(2031, 2, 2)

A consumer sale: two years, also after an interruption; a letter sent after the claim
prescribed does not revive it:

>>> prescription(date(2024, 1, 31), [date(2025, 6, 1)], consumer_sale=True).prescribed_on
datetime.date(2027, 6, 2)
>>> prescription(date(2022, 1, 31), [date(2025, 6, 1)], consumer_sale=True).prescribed_on
datetime.date(2024, 2, 1)
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Iterable, NamedTuple

__all__ = [
    "INTERRUPTING_KINDS",
    "INTEREST_INTERRUPTING_KINDS",
    "INTEREST_YEARS",
    "Prescription",
    "add_years",
    "prescription",
    "interest_prescribed_before",
]

#: Acties kinds that interrupt prescription (see the module docstring for why each one).
INTERRUPTING_KINDS = (
    "Stuiting",
    "Betalingsherinnering",
    "Ingebrekestelling",
    "Veertiendagenbrief",
    "Betalingsbelofte",
    "Betalingsregeling",
)

#: Acties kinds that also interrupt the prescription of the interest (they demand it).
INTEREST_INTERRUPTING_KINDS = ("Stuiting", "Ingebrekestelling", "Veertiendagenbrief")

PRINCIPAL_YEARS = 5  # art. 3:307 lid 1 BW
CONSUMER_SALE_YEARS = 2  # art. 7:28 BW
INTEREST_YEARS = 5  # art. 3:308 BW
MAX_YEARS_AFTER_INTERRUPTION = 5  # art. 3:319 lid 1 BW


class Prescription(NamedTuple):
    """When a claim prescribes: the first day it is prescribed, the period and its article."""

    due_date: date
    years: int
    article: str
    last_interruption: date | None
    prescribed_on: date

    def is_prescribed(self, day: date) -> bool:
        return day >= self.prescribed_on


def add_years(day: date, years: int) -> date:
    """The same calendar date ``years`` later; 29 February becomes 28 February (the earlier end).

    >>> add_years(date(2024, 2, 29), 1), add_years(date(2024, 2, 29), 4)
    (datetime.date(2025, 2, 28), datetime.date(2028, 2, 29))
    """
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return date(day.year + years, 2, 28)


def prescription(due_date: date, interruptions: Iterable[date] = (), *, consumer_sale: bool = False) -> Prescription:
    """When the claim of an invoice due on ``due_date`` prescribes, given the days it was interrupted."""
    years = CONSUMER_SALE_YEARS if consumer_sale else PRINCIPAL_YEARS
    article = "art. 7:28 BW" if consumer_sale else "art. 3:307 BW"
    # the period starts the day after the due date and ends at the end of the same date `years` later
    last_day = add_years(due_date, years)
    last_interruption = None
    for day in sorted(interruptions):
        if day <= due_date:
            continue  # before the claim was due nothing runs yet
        if day > last_day:
            break  # prescribed already: an interruption does not revive it
        last_interruption = day
        last_day = add_years(day, min(years, MAX_YEARS_AFTER_INTERRUPTION))  # 3:319 lid 1
    return Prescription(due_date, years, article, last_interruption, last_day + timedelta(days=1))


def interest_prescribed_before(peildatum: date, interruptions: Iterable[date] = ()) -> date:
    """Interest that became due before this day may be prescribed on ``peildatum`` (art. 3:308 BW).

    Five years back from the peildatum. An interruption within those five years keeps
    the interest that was due in the five years before it alive (3:317, 3:319), and so on
    back through a chain of interruptions.

    >>> interest_prescribed_before(date(2026, 11, 30))
    datetime.date(2021, 11, 30)
    >>> interest_prescribed_before(date(2026, 11, 30), [date(2024, 5, 1)])
    datetime.date(2019, 5, 1)
    >>> interest_prescribed_before(date(2026, 11, 30), [date(2020, 1, 1)])  # too long ago to help
    datetime.date(2021, 11, 30)
    """
    cutoff = add_years(peildatum, -INTEREST_YEARS)
    for day in sorted(interruptions, reverse=True):
        if cutoff <= day <= peildatum:
            cutoff = min(cutoff, add_years(day, -INTEREST_YEARS))
    return cutoff
