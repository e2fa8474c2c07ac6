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
>>> read_money("€ 1.250,-"), read_money("99,95 euro"), read_money("eur1.000")
(125000, 9995, 100000)
>>> read_money("USD 100")
Traceback (most recent call last):
...
debiteuren.register.cells.CellError: een bedrag in euro's ('USD' is een andere munteenheid; reken het om naar euro's)
>>> read_date("5 jan. 2026"), read_date("21 september 2026"), read_date(46022.5)
(datetime.date(2026, 1, 5), datetime.date(2026, 9, 21), datetime.date(2025, 12, 31))
>>> read_date("01-01-0201")
Traceback (most recent call last):
...
debiteuren.register.cells.CellError: een datum tussen 01-01-1950 en 31-12-2099 (controleer het jaartal)
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

from ..dutch import format_date
from ..errors import InvalidInput
from ..money import AmountError, is_whole_cents, parse_amount, to_cents

EXCEL_EPOCH = date(1899, 12, 30)  # the 1900 date system, past the 1900 leap-year bug
# Excel serial numbers we accept as dates: 1-1-1950 .. 31-12-2099.
_SERIAL_MIN, _SERIAL_MAX = 18264, 73050
# Every date in a register lies in this window; outside it the year is a typo
# (0201 for 2021), and pandas' nanosecond dates could not even hold year 201.
DATE_MIN, DATE_MAX = date(1950, 1, 1), date(2099, 12, 31)
EXPECT_DATE_RANGE = "een datum tussen 01-01-1950 en 31-12-2099 (controleer het jaartal)"
# A register holds no amount of a billion euros or more; such a value is a typo.
MAX_AMOUNT_CENTS = 100_000_000_000

EXPECT_DATE = "een geldige datum (dd-mm-jjjj)"
EXPECT_MONEY = "een bedrag in euro's, bijvoorbeeld 1.234,56"
EXPECT_WHOLE_CENTS = "een bedrag in hele centen (hoogstens twee decimalen)"
EXPECT_INT = "een geheel getal"
EXPECT_BELOW_MAX = "een bedrag onder € 1.000.000.000"
# Whole-number columns hold days, steps and instalments: more digits than this is a typo.
MAX_INT = 1_000_000
EXPECT_INT_RANGE = "een geheel getal onder 1.000.000"
EXPECT_BOOL = "ja of nee"
EXPECT_PERCENT = "een percentage, bijvoorbeeld 10,15"
EXPECT_NUMBER = "een getal"


class CellError(InvalidInput):
    """A cell that cannot be read; its text is what was expected (Dutch)."""


def is_empty(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


_DMY = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$")
_YMD = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_DMY_TIME = re.compile(r"^(.*?)[ T]\d{1,2}:\d{2}(:\d{2})?$")


# "5 jan 2026", "5 januari 2026", "5-jan.-2026": how Dutch dates are typed in words.
_DAY_MONTH_NAME = re.compile(r"^(\d{1,2})[\s-]+([a-z]+)\.?[\s-]+(\d{4})$")
_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "januari"),
            ("feb", "februari"),
            ("mrt", "maart", "mar"),
            ("apr", "april"),
            ("mei",),
            ("jun", "juni"),
            ("jul", "juli"),
            ("aug", "augustus"),
            ("sep", "sept", "september"),
            ("okt", "oktober", "oct"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}


def read_date(value: object) -> date:
    """A date from a date cell, an Excel serial number or Dutch/ISO text."""
    return _in_range(_read_date(value))


def _in_range(day: date) -> date:
    if not DATE_MIN <= day <= DATE_MAX:
        raise CellError(EXPECT_DATE_RANGE)
    return day


def _read_date(value: object) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        # A fraction is the time of day of a date-and-time typed as a number.
        if _SERIAL_MIN <= value < _SERIAL_MAX + 1:
            return EXCEL_EPOCH + timedelta(days=int(value))
        raise CellError(EXPECT_DATE)
    text = str(value).strip()
    with_time = _DMY_TIME.match(text)
    if with_time:
        text = with_time.group(1)
    try:
        match = _DMY.match(text)
        if match:
            day, month, year = (int(g) for g in match.groups())
            return date(year, month, day)
        match = _YMD.match(text)
        if match:
            year, month, day = (int(g) for g in match.groups())
            return date(year, month, day)
        match = _DAY_MONTH_NAME.match(text.casefold())
        if match and match.group(2) in _MONTHS:
            return date(int(match.group(3)), _MONTHS[match.group(2)], int(match.group(1)))
    except ValueError:
        pass
    raise CellError(EXPECT_DATE)


# Currencies a register may meet in a pasted amount; any of them is not euros.
_CURRENCY_SIGNS = re.compile(r"[$£¥₤₹₽₩₺₣ƒ¢]")
_CURRENCY_CODES = frozenset(
    "USD GBP CHF JPY CNY SEK NOK DKK PLN CZK HUF RON BGN ISK TRY RUB UAH CAD AUD NZD HKD SGD INR ZAR BRL MXN "
    "ANG AWG SRD XCD AED SAR".split()
)


def read_money(value: object) -> int:
    """An amount in euros to integer cents; more than two decimals is an error."""
    if isinstance(value, str):
        _refuse_other_currency(value)
    try:
        amount = parse_amount(value)  # the euro word and ",-" are parse_amount's notation
    except AmountError:
        raise CellError(EXPECT_MONEY) from None
    # Size first: a number of 30 digits cannot even be rounded to cents.
    if abs(amount) * 100 >= MAX_AMOUNT_CENTS:
        raise CellError(EXPECT_BELOW_MAX)
    if not is_whole_cents(amount):
        raise CellError(EXPECT_WHOLE_CENTS)
    return to_cents(amount)


def _refuse_other_currency(text: str) -> None:
    """A pasted amount in another currency is named, not read as euros (or as "no amount")."""
    sign = _CURRENCY_SIGNS.search(text)
    code = next((w for w in re.findall(r"[A-Za-z]+", text) if w.upper() in _CURRENCY_CODES), None)
    if sign or code:
        shown = sign.group(0) if sign else code.upper()
        raise CellError(f"een bedrag in euro's ('{shown}' is een andere munteenheid; reken het om naar euro's)")


def read_int(value: object) -> int:
    number = _read_int(value)
    if abs(number) >= MAX_INT:
        raise CellError(EXPECT_INT_RANGE)
    return number


def _read_int(value: object) -> int:
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
        return format_date(value)
    if isinstance(value, date):
        return format_date(value)
    return str(value).strip()


def read_choice(value: object, choices: tuple[str, ...]) -> str:
    text = str(value).strip().casefold()
    for choice in choices:
        if text == choice.casefold():
            return choice
    raise CellError("een van: " + ", ".join(choices))


def read_number(value: object) -> Decimal:
    """A number as a tuning setting is typed: 15, '2,5', '25%'.

    >>> read_number("2,5"), read_number("25%"), read_number(15)
    (Decimal('2.5'), Decimal('25'), Decimal('15'))
    """
    if isinstance(value, bool):
        raise CellError(EXPECT_NUMBER)
    if isinstance(value, str):
        value = value.strip().rstrip("%")
    try:
        return parse_amount(value)
    except AmountError:
        raise CellError(EXPECT_NUMBER) from None


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
