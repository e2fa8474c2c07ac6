"""Money: integer cents inside, ``Decimal`` at the edges, half-up rounding.

This module is the only place that rounds money. Vectorised code carries
integer cents (``int64`` columns named ``*_cents``); records and letters carry
``Decimal`` euros.

>>> to_cents(Decimal("1234.56"))
123456
>>> cents_to_decimal(123456)
Decimal('1234.56')
>>> round_cents(Decimal("0.005"))
Decimal('0.01')
>>> round_cents(Decimal("-0.005"))
Decimal('-0.01')
>>> round_cents(Decimal("2.675"))
Decimal('2.68')
>>> parse_amount("€ 1.234,56")
Decimal('1234.56')
>>> parse_amount("1,234.56")
Decimal('1234.56')
>>> parse_amount("-12,5")
Decimal('-12.5')
>>> parse_amount(1234.1)
Decimal('1234.1')
>>> parse_amount("12.345")
Decimal('12345')
>>> parse_amount("twaalf")
Traceback (most recent call last):
...
debiteuren.money.NotAnAmount: 'twaalf' is geen bedrag
>>> format_eur(Decimal("1234.5"))
'€ 1.234,50'
>>> format_eur(Decimal("-40"))
'€ -40,00'
>>> json_amount(123456)
'1234.56'
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from .errors import InvalidInput

CENT = Decimal("0.01")


class AmountError(InvalidInput):
    """A value that cannot be used as an amount of money."""


class NotAnAmount(AmountError):
    """A value that does not read as an amount at all (``parse_amount``)."""


#: The largest amount a user may type (command line, app), in euros: more is a typo, and exact
#: rounding to cents needs the room (a 40-digit amount cannot be quantized). The law engine's bound.
MAX_TYPED_AMOUNT = Decimal("1000000000000")


def round_cents(value: Decimal) -> Decimal:
    """Round to whole cents, half away from zero (the Dutch "half-up")."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def to_cents(value: Decimal) -> int:
    """Euros as ``Decimal`` to integer cents, rounding half-up."""
    return int(round_cents(value) * 100)


def cents_to_decimal(cents: int) -> Decimal:
    """Integer cents to euros as ``Decimal`` with two decimals."""
    return (Decimal(int(cents)) / 100).quantize(CENT)


def divide_half_up(numerator, denominator):
    """Integer division rounded half-up, for non-negative integers or int64 arrays.

    The array form of ``round_cents`` for vectorised code that keeps exact
    integers (e.g. interest in cents from cents x rate x days):

    >>> divide_half_up(5, 2), divide_half_up(7, 2), divide_half_up(4, 3)
    (3, 4, 1)
    """
    return (2 * numerator + denominator) // (2 * denominator)


def is_whole_cents(value: Decimal) -> bool:
    """True when ``value`` has no more than two decimals of significance.

    >>> is_whole_cents(Decimal("1.20")), is_whole_cents(Decimal("1.205"))
    (True, False)
    """
    return value == value.quantize(CENT)


_THOUSANDS_DOT = re.compile(r"^-?\d{1,3}(\.\d{3})+$")
# The euro named in words ("99,95 euro", "eur 1.000") and "1.250,-" (Dutch shorthand for whole euros):
# the notation of a typed amount, in a register cell as on the command line and in the app.
_EURO_WORD = re.compile(r"(?<![a-z])(?:euro's|euros|euro|eur)(?![a-z])", re.IGNORECASE)
_WHOLE_EUROS = re.compile(r",[-=]{1,2}$")


def parse_amount(value: object) -> Decimal:
    """Read an amount as a controller types it, exactly.

    Accepts numbers (an Excel float becomes ``Decimal(repr(x))``, so 0.1 stays
    0.1) and text with a euro sign or word, spaces, a Dutch comma and thousands dots,
    ",-" for whole euros, or the English convention when both separators appear in
    that order. A lone dot followed by exactly three digits is a Dutch thousands separator.
    Never rounds: whether the result is whole cents is the caller's check. The one
    parser of a typed amount: ``read_typed_amount`` (command line, app) and the
    register's cells (``register.cells.read_money``) both read through it.

    >>> parse_amount("€ 1.250,-"), parse_amount("99,95 euro"), parse_amount("EUR 1.000"), parse_amount("40-")
    (Decimal('1250'), Decimal('99.95'), Decimal('1000'), Decimal('-40'))
    """
    if isinstance(value, bool):
        raise NotAnAmount(f"{value!r} is geen bedrag")
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise NotAnAmount(f"{value!r} is geen bedrag")
        return Decimal(repr(value))
    if isinstance(value, Decimal):
        return value
    text = str(value).strip()
    original = text
    text = _EURO_WORD.sub("", text.replace("€", ""))
    text = _WHOLE_EUROS.sub("", re.sub("[ \u00a0\u202f]", "", text))
    negative = False
    if text.startswith("(") and text.endswith(")"):
        negative, text = True, text[1:-1]
    if text.endswith("-"):
        negative, text = True, text[:-1]
    if "," in text and "." in text:
        if text.rfind(",") > text.rfind("."):
            text = text.replace(".", "").replace(",", ".")
        else:
            text = text.replace(",", "")
    elif "," in text:
        if text.count(",") > 1:
            raise NotAnAmount(f"{original!r} is geen bedrag")
        text = text.replace(",", ".")
    elif _THOUSANDS_DOT.match(text):
        text = text.replace(".", "")
    if not re.fullmatch(r"[-+]?\d+(\.\d+)?", text):
        raise NotAnAmount(f"{original!r} is geen bedrag")
    try:
        amount = Decimal(text)
    except InvalidOperation:  # pragma: no cover - guarded by the regex
        raise NotAnAmount(f"{original!r} is geen bedrag") from None
    return -amount if negative else amount


def read_typed_amount(text: object) -> Decimal:
    """An amount the user typed (command line, app): exact, whole cents, below ``MAX_TYPED_AMOUNT``.

    The sign is the caller's rule. ``NotAnAmount`` when it is no amount, else ``AmountError``;
    both say what is wrong in Dutch.

    >>> read_typed_amount("€ 1.250,00"), read_typed_amount("1234.56"), read_typed_amount(" -40 ")
    (Decimal('1250.00'), Decimal('1234.56'), Decimal('-40'))
    >>> read_typed_amount("€ 1.250,-"), read_typed_amount("99,95 euro")
    (Decimal('1250'), Decimal('99.95'))
    >>> read_typed_amount("12,345")
    Traceback (most recent call last):
    ...
    debiteuren.money.AmountError: '12,345' heeft meer dan twee decimalen
    >>> read_typed_amount("1000000000000")
    Traceback (most recent call last):
    ...
    debiteuren.money.AmountError: '1000000000000' is te groot (hoogstens € 999.999.999.999,99)
    >>> read_typed_amount("tien")
    Traceback (most recent call last):
    ...
    debiteuren.money.NotAnAmount: 'tien' is geen bedrag
    """
    amount = parse_amount(text)
    shown = str(text).strip()
    if abs(amount) >= MAX_TYPED_AMOUNT:  # before the cents check: a 40-digit amount cannot be rounded
        raise AmountError(f"'{shown}' is te groot (hoogstens {format_eur(MAX_TYPED_AMOUNT - CENT)})")
    if not is_whole_cents(amount):
        raise AmountError(f"'{shown}' heeft meer dan twee decimalen")
    return amount


def read_entered_amount(text: str, what: str, *, positive: bool = True) -> Decimal:
    """An amount typed in a form's field ``what``; ``AmountError`` naming the field, in Dutch.

    >>> read_entered_amount("1.250,50", "Toegezegd bedrag")
    Decimal('1250.50')
    >>> read_entered_amount("0", "Termijn 2")
    Traceback (most recent call last):
    ...
    debiteuren.money.AmountError: Termijn 2: het bedrag moet groter dan nul zijn.
    """
    try:
        value = read_typed_amount(text)
    except AmountError as error:
        raise AmountError(f"{what}: {error}.") from None
    if positive and value <= 0:
        raise AmountError(f"{what}: het bedrag moet groter dan nul zijn.")
    return value


def format_eur(value: Decimal | int, *, cents: bool = False) -> str:
    """Dutch notation for the user: '€ 1.234,56'. ``cents=True`` takes integer cents."""
    amount = cents_to_decimal(value) if cents else round_cents(Decimal(value))
    sign = "-" if amount < 0 else ""
    whole, frac = f"{abs(amount):.2f}".split(".")
    groups = f"{int(whole):,}".replace(",", ".")
    return f"€ {sign}{groups},{frac}"


def json_amount(cents: int) -> str:
    """Amounts in JSON output: a string with two decimals ("123.45")."""
    return f"{cents_to_decimal(cents):.2f}"
