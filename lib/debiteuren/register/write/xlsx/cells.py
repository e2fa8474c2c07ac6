"""Cell XML: values as inline strings, numbers, dates and formulas (text is never a formula)."""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal
from xml.sax.saxutils import escape

from ....dutch import format_date
from ..formats import DATE, DATETIME, TEXT

# --- cell XML ---------------------------------------------------------------------------------

_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_LOOKS_ESCAPED = re.compile(r"_(x[0-9A-Fa-f]{4})_")
EXCEL_EPOCH = date(1899, 12, 30)
EXCEL_EPOCH_1904 = date(1904, 1, 1)


def excel_text(text: str) -> str:
    """Text as Excel stores it: its own ``_xHHHH_`` escapes for characters XML cannot hold."""
    text = _LOOKS_ESCAPED.sub(r"_x005F_\1_", text)
    return _ILLEGAL_XML.sub(lambda m: f"_x{ord(m.group()):04X}_", text)


def inline_string_xml(ref: str, text: str, style: int = 0) -> str:
    text = excel_text(text)
    space = ' xml:space="preserve"' if text != text.strip() or "\n" in text else ""
    s = f' s="{style}"' if style else ""
    return f'<c r="{ref}"{s} t="inlineStr"><is><t{space}>{escape(text)}</t></is></c>'


def serial_date(value: date, date1904: bool) -> str:
    epoch = EXCEL_EPOCH_1904 if date1904 else EXCEL_EPOCH
    if isinstance(value, datetime):
        seconds = value.hour * 3600 + value.minute * 60 + value.second
        days = (value.date() - epoch).days
        return repr(days + seconds / 86400) if seconds else str(days)
    return str((value - epoch).days)


def number_text(value: object) -> str:
    if isinstance(value, Decimal):
        return format(value, "f")  # exact: the Decimal's own digits, never through float
    if isinstance(value, float):
        return repr(value)
    return str(int(value))


def cell_xml(ref: str, value: object, kind: str, style: int, date1904: bool) -> str:
    """One cell; ``value`` is already of ``kind`` (see write.plan.plan_*)."""
    if value is None:
        return f'<c r="{ref}" s="{style}"/>' if style else ""
    if kind == TEXT or isinstance(value, str):
        return inline_string_xml(ref, str(value), style)
    if kind in (DATE, DATETIME):
        earliest = EXCEL_EPOCH_1904 if date1904 else date(1900, 3, 1)
        day = value.date() if isinstance(value, datetime) else value
        if day < earliest:  # Excel has no serial number for it: keep it readable as text
            return inline_string_xml(ref, format_date(value), 0)
        text = serial_date(value, date1904)
    elif isinstance(value, float) and (value != value or value in (float("inf"), float("-inf"))):
        return ""
    else:
        text = number_text(value)
    s = f' s="{style}"' if style else ""
    return f'<c r="{ref}"{s}><v>{text}</v></c>'


def formula_cell_xml(ref: str, formula: str, style: int, array: bool = False) -> str:
    """A cell holding a formula without a cached value (Excel computes it when the file opens)."""
    s = f' s="{style}"' if style else ""
    kind = f' t="array" ref="{ref}"' if array else ""
    return f'<c r="{ref}"{s}><f{kind}>{escape(formula)}</f></c>'
