"""Cell kinds and the number formats both writers use (Excel stores format codes in English)."""

from __future__ import annotations

# Column kinds of planned cells.
TEXT = "text"
NUMBER = "number"
MONEY = "money"
DATE = "date"
DATETIME = "datetime"

# Number formats (Excel stores format codes in English; a Dutch Excel shows dd-mm-jjjj).
DATE_FORMAT = "dd-mm-yyyy"
DATETIME_FORMAT = "dd-mm-yyyy hh:mm"
# Zero shows as a dash, as on a printed ledger: "€ 0,00" in every empty bucket hides the figures that matter.
EURO_FORMAT = '"€ "#,##0.00;"€ -"#,##0.00;"–"'
TEXT_FORMAT = "@"
GENERAL_FORMAT = "General"
FORMAT_FOR_KIND = {
    TEXT: TEXT_FORMAT,
    NUMBER: GENERAL_FORMAT,
    MONEY: EURO_FORMAT,
    DATE: DATE_FORMAT,
    DATETIME: DATETIME_FORMAT,
}

# Text that Excel would take for a formula if it were typed or assigned as a value.
FORMULA_STARTS = ("=", "+", "-", "@")


# --- number formats shared by both writers ----------------------------------------------------

# Built-in Excel number formats by id (ECMA-376 §18.8.30) that the writers need to recognise.
BUILTIN_FORMATS = {
    0: "General",
    1: "0",
    2: "0.00",
    3: "#,##0",
    4: "#,##0.00",
    9: "0%",
    10: "0.00%",
    11: "0.00E+00",
    12: "# ?/?",
    13: "# ??/??",
    14: "mm-dd-yy",
    15: "d-mmm-yy",
    16: "d-mmm",
    17: "mmm-yy",
    18: "h:mm AM/PM",
    19: "h:mm:ss AM/PM",
    20: "h:mm",
    21: "h:mm:ss",
    22: "m/d/yy h:mm",
    37: "#,##0 ;(#,##0)",
    38: "#,##0 ;[Red](#,##0)",
    39: "#,##0.00;(#,##0.00)",
    40: "#,##0.00;[Red](#,##0.00)",
    45: "mm:ss",
    46: "[h]:mm:ss",
    47: "mmss.0",
    48: "##0.0E+0",
    49: "@",
}
BUILTIN_DATE_IDS = frozenset([*range(14, 23), *range(27, 37), *range(45, 48), *range(50, 59), *range(71, 82)])


def is_date_format(code: str | None) -> bool:
    """Whether an Excel number format shows a date or time.

    >>> [is_date_format(c) for c in ("dd-mm-yyyy", "General", '"€ "#,##0.00', "[Red]0.00", "[h]:mm", "@")]
    [True, False, False, False, True, False]
    """
    if not code or code.strip().casefold() == "general":
        return False
    stripped, i, in_quote = [], 0, False
    while i < len(code):
        ch = code[i]
        if ch == '"':
            in_quote = not in_quote
        elif in_quote:
            pass
        elif ch == "\\" or ch == "_" or ch == "*":
            i += 1  # the next character is a literal (or padding)
        elif ch == "[":
            end = code.find("]", i)
            inner = code[i + 1 : end if end > 0 else len(code)].casefold()
            if inner in ("h", "hh", "m", "mm", "s", "ss"):
                stripped.append(inner)
            i = end if end > 0 else len(code)
        else:
            stripped.append(ch.casefold())
        i += 1
    return any(ch in "dmyhs" for ch in "".join(stripped).split(";")[0])


def format_suits(kind: str | None, code: str | None) -> bool:
    """Whether a cell's existing number format already suits a value of this kind.

    A column the controller formatted (say ``d mmm yyyy``) keeps her format for
    appended rows; only a format that would show the value wrongly is replaced.
    """
    code = code or "General"
    general = code.strip().casefold() == "general"
    text = code.strip() == "@"
    if kind in (DATE, DATETIME):
        return is_date_format(code)
    if kind == MONEY:
        return not (general or text or is_date_format(code))
    if kind == NUMBER:
        return not (text or is_date_format(code))
    return True  # text and empty cells: any format shows them as they are


def needs_text_guard(value: object) -> bool:
    """Text Excel would take for a formula when assigned as a value.

    >>> [needs_text_guard(v) for v in ("=1+1", "+31 6 1234", "-", "@home", "Herinnering", 5)]
    [True, True, True, True, False, False]
    """
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def column_letter(index: int) -> str:
    """1 -> A, 27 -> AA."""
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters
