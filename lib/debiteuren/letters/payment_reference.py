"""Payment reference: an ISO 11649 RF creditor reference per letter.

The reference is ``RF`` + two check digits + a body of at most 21 letters
and digits. The body is the debtor number (letters and digits only, at most
14), the letter date as ``YYMMDD`` and a one-character code for the kind of
letter, so an incoming payment can be traced back to debtor and letter
(``parse_reference``). python-stdnum's ``iso11649`` validates the result.

>>> ref = creditor_reference("D-1023", date(2026, 10, 31), "H")
>>> ref
'RF08D1023261031H'
>>> format_reference(ref)
'RF08 D102 3261 031H'
>>> iso11649.is_valid(ref)
True
>>> parse_reference("rf08 d102 3261 031h")
ReferenceParts(debtor='D1023', letter_date=datetime.date(2026, 10, 31), code='H')

The check digits follow ISO 7064 MOD 97-10, as in stdnum's own example:

>>> creditor_reference_for_body("539007547034")
'RF18539007547034'

A debtor number that leaves no room for date and code is refused, in Dutch:

>>> creditor_reference("ABCDEFGHIJKLMNOP", date(2026, 10, 31), "H")
Traceback (most recent call last):
...
debiteuren.letters.payment_reference.PaymentReferenceError: Debiteurnummer 'ABCDEFGHIJKLMNOP' is te lang voor een betalingskenmerk (hoogstens 14 letters en cijfers).
>>> parse_reference("RF17 5390 0754 7034")
Traceback (most recent call last):
...
debiteuren.letters.payment_reference.PaymentReferenceError: 'RF17 5390 0754 7034' is geen geldig betalingskenmerk (RF-kenmerk volgens ISO 11649).
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import NamedTuple

from stdnum import iso11649
from stdnum.exceptions import ValidationError
from stdnum.iso7064 import mod_97_10

from ..errors import InvalidInput

MAX_DEBTOR_CHARS = 14  # 21 body characters - 6 for the date - 1 for the code


class PaymentReferenceError(InvalidInput):
    """A payment reference that cannot be built or read."""


class ReferenceParts(NamedTuple):
    debtor: str  # the debtor number, letters and digits only, upper case
    letter_date: date
    code: str


def compact_debtor_number(debtor_number: str) -> str:
    """The debtor number as it appears in a reference: letters and digits, upper case.

    >>> compact_debtor_number(" d-10/23 ")
    'D1023'
    """
    return re.sub(r"[^0-9A-Z]", "", str(debtor_number).upper())


def creditor_reference_for_body(body: str) -> str:
    """``RF`` + check digits + ``body`` (1 to 21 letters and digits)."""
    body = body.upper()
    if not re.fullmatch(r"[0-9A-Z]{1,21}", body):
        raise PaymentReferenceError(f"{body!r} kan geen betalingskenmerk worden (1 tot 21 letters en cijfers).")
    return "RF" + mod_97_10.calc_check_digits(body + "RF") + body


def creditor_reference(debtor_number: str, letter_date: date, code: str) -> str:
    """The RF reference of one letter: debtor number, date (YYMMDD), kind code."""
    debtor = compact_debtor_number(debtor_number)
    if not debtor:
        raise PaymentReferenceError(
            f"Debiteurnummer {debtor_number!r} bevat geen letters of cijfers voor een betalingskenmerk."
        )
    if len(debtor) > MAX_DEBTOR_CHARS:
        raise PaymentReferenceError(
            f"Debiteurnummer {debtor_number!r} is te lang voor een betalingskenmerk "
            f"(hoogstens {MAX_DEBTOR_CHARS} letters en cijfers)."
        )
    if not re.fullmatch(r"[0-9A-Z]", code):
        raise PaymentReferenceError(f"Briefcode {code!r} moet één hoofdletter of cijfer zijn.")
    return creditor_reference_for_body(f"{debtor}{letter_date:%y%m%d}{code}")


def format_reference(reference: str) -> str:
    """The reference in groups of four, as printed on a letter."""
    return iso11649.format(reference)


def parse_reference(reference: str) -> ReferenceParts:
    """Debtor, letter date and kind code back from a reference this module built."""
    try:
        compact = iso11649.validate(reference)
    except ValidationError:
        raise PaymentReferenceError(
            f"{reference!r} is geen geldig betalingskenmerk (RF-kenmerk volgens ISO 11649)."
        ) from None
    body = compact[4:]
    match = re.fullmatch(r"([0-9A-Z]{1,14})(\d{6})([0-9A-Z])", body)
    if not match:
        raise PaymentReferenceError(f"{reference!r} is geen betalingskenmerk van een brief uit deze tool.")
    try:
        letter_date = datetime.strptime(match.group(2), "%y%m%d").date()
    except ValueError:
        raise PaymentReferenceError(f"{reference!r} is geen betalingskenmerk van een brief uit deze tool.") from None
    return ReferenceParts(match.group(1), letter_date, match.group(3))
