"""Reading cell values as a controller types them.

Each reader takes one cell value (as calamine or xlwings returns it: ``str``,
``float``, ``int``, ``bool``, ``date``, ``datetime`` or ``None``/``''``) and
returns the typed value or raises ``CellError`` whose text says what was
expected. Dutch dates are day-first; nothing is guessed.

>>> read_date("31-12-2025"), read_date("2025-12-31"), read_date(46022.0)
(datetime.date(2025, 12, 31), datetime.date(2025, 12, 31), datetime.date(2025, 12, 31))
>>> read_date("31-02-2025")
Traceback (most recent call last):
...
debiteuren.register.cells.CellError: een geldige datum (dd-mm-jjjj)
>>> read_date("12/31/2025")
Traceback (most recent call last):
...
debiteuren.register.cells.CellError: een geldige datum (dd-mm-jjjj)
>>> read_money("€ 1.234,56"), read_money(12.5), read_money("-40")
(123456, 1250, -4000)
>>> read_money("12,345")
Traceback (most recent call last):
...
debiteuren.register.cells.CellError: een bedrag in hele centen (hoogstens twee decimalen)
>>> read_key(1001.0), read_key(" F-2025-001 "), read_key("01001")
('1001', 'F-2025-001', '01001')
>>> read_bool("Ja"), read_bool("nee"), read_bool(None)
(True, False, False)
>>> read_choice(" Zakelijk ", ("zakelijk", "consument"))
'zakelijk'
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from decimal import Decimal

from ..money import AmountError, is_whole_cents, parse_amount, to_cents

EXCEL_EPOCH = date(1899, 12, 30)  # the 1900 date system, past the 1900 leap-year bug
# Excel serial numbers we accept as dates: 1-1-1950 .. 31-12-2099.
_SERIAL_MIN, _SERIAL_MAX = 18264, 73050
# A register holds no amount of a billion euros or more; such a value is a typo.
MAX_AMOUNT_CENTS = 100_000_000_000

EXPECT_DATE = "een geldige datum (dd-mm-jjjj)"
EXPECT_MONEY = "een bedrag in euro's, bijvoorbeeld 1.234,56"
EXPECT_WHOLE_CENTS = "een bedrag in hele centen (hoogstens twee decimalen)"
EXPECT_INT = "een geheel getal"
EXPECT_BOOL = "ja of nee"
EXPECT_PERCENT = "een percentage, bijvoorbeeld 10,15"


class CellError(ValueError):
    """A cell that cannot be read; its text is what was expected (Dutch)."""


def is_empty(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


_DMY = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$")
_YMD = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_DMY_TIME = re.compile(r"^(.*?)[ T]\d{1,2}:\d{2}(:\d{2})?$")


def read_date(value: object) -> date:
    """A date from a date cell, an Excel serial number or Dutch/ISO text."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if float(value).is_integer() and _SERIAL_MIN <= value <= _SERIAL_MAX:
            return EXCEL_EPOCH + timedelta(days=int(value))
        raise CellError(EXPECT_DATE)
    text = str(value).strip()
    with_time = _DMY_TIME.match(text)
    if with_time:
        text = with_time.group(1)
    match = _DMY.match(text)
    try:
        if match:
            day, month, year = (int(g) for g in match.groups())
            return date(year, month, day)
        match = _YMD.match(text)
        if match:
            year, month, day = (int(g) for g in match.groups())
            return date(year, month, day)
    except ValueError:
        pass
    raise CellError(EXPECT_DATE)


def read_money(value: object) -> int:
    """An amount in euros to integer cents; more than two decimals is an error."""
    try:
        amount = parse_amount(value)
    except AmountError:
        raise CellError(EXPECT_MONEY) from None
    if not is_whole_cents(amount):
        raise CellError(EXPECT_WHOLE_CENTS)
    cents = to_cents(amount)
    if abs(cents) >= MAX_AMOUNT_CENTS:
        raise CellError("een bedrag onder € 1.000.000.000")
    return cents


def read_int(value: object) -> int:
    if isinstance(value, bool):
        raise CellError(EXPECT_INT)
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if value.is_integer():
            return int(value)
        raise CellError(EXPECT_INT)
    text = str(value).strip()
    if re.fullmatch(r"[-+]?\d+", text):
        return int(text)
    raise CellError(EXPECT_INT)


_TRUE = {"ja", "j", "yes", "y", "waar", "true", "1", "x"}
_FALSE = {"nee", "n", "no", "onwaar", "false", "0", ""}


def read_bool(value: object) -> bool:
    if value is None:
        return False
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)) and value in (0, 1):
        return bool(value)
    text = str(value).strip().casefold()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise CellError(EXPECT_BOOL)


def read_key(value: object) -> str:
    """An identifier: a number typed as 1001 and text '1001' are the same key."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, (date, datetime)):
        raise CellError("een nummer of code, geen datum")
    return str(value).strip()


def read_text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return f"{value:%d-%m-%Y}"
    if isinstance(value, date):
        return f"{value:%d-%m-%Y}"
    return str(value).strip()


def read_choice(value: object, choices: tuple[str, ...]) -> str:
    text = str(value).strip().casefold()
    for choice in choices:
        if text == choice.casefold():
            return choice
    raise CellError("een van: " + ", ".join(choices))


def read_percent(value: object) -> Decimal:
    if isinstance(value, str):
        value = value.replace("%", "")
    try:
        pct = parse_amount(value)
    except AmountError:
        raise CellError(EXPECT_PERCENT) from None
    if not Decimal(0) <= pct <= Decimal(100):
        raise CellError("een percentage tussen 0 en 100")
    return pct
