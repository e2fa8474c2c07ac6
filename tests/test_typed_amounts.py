"""One notation for a typed amount: a register cell, the command line and the app read it alike.

``money.parse_amount`` is the one parser; ``register.cells.read_money`` (cells, open-item exports)
and ``money.read_typed_amount`` (``rente``/``incassokosten``, the app's amount fields) differ only in
their bounds and their messages. Bank statements and the XML Auditfile carry decimals of their own
format and are read apart (docs/development.md, "Amounts").
"""

from __future__ import annotations

import argparse
from decimal import Decimal

import pytest

from debiteuren.bank.statements import StatementError, parse_amount_text
from debiteuren.cli.law import _amount
from debiteuren.money import NotAnAmount, read_typed_amount, to_cents
from debiteuren.register.cells import CellError, read_money

NOTATIONS = {
    "1234,56": Decimal("1234.56"),
    "1.234,56": Decimal("1234.56"),
    "€ 1.234,56": Decimal("1234.56"),
    "1,234.56": Decimal("1234.56"),
    "1234.56": Decimal("1234.56"),
    "1.234": Decimal("1234"),
    "€ 1.250,-": Decimal("1250"),
    "1.250,--": Decimal("1250"),
    "99,95 euro": Decimal("99.95"),
    "EUR 1.000": Decimal("1000"),
    "eur1.000": Decimal("1000"),
    "1\u00a0234,50": Decimal("1234.50"),
    "1\u202f234,50": Decimal("1234.50"),
}


@pytest.mark.parametrize("text", sorted(NOTATIONS))
def test_a_cell_and_the_command_line_read_a_typed_amount_alike(text):
    expected = NOTATIONS[text]
    assert read_typed_amount(text) == expected
    assert _amount(text) == expected
    assert read_money(text) == to_cents(expected)


@pytest.mark.parametrize("text", ["twaalf", "1,2,3", "12..5", "€", "1.250,-,-"])
def test_what_is_no_amount_is_refused_by_both(text):
    with pytest.raises(NotAnAmount):
        read_typed_amount(text)
    with pytest.raises(argparse.ArgumentTypeError, match="is geen bedrag"):
        _amount(text)
    with pytest.raises(CellError):
        read_money(text)


def test_a_bank_statement_amount_is_a_decimal_not_a_typed_amount():
    # "1.234" typed is a thousand and more; in a statement it is a decimal with three places.
    assert read_typed_amount("1.234") == Decimal("1234")
    with pytest.raises(StatementError, match="meer dan twee decimalen"):
        parse_amount_text("1.234", "Ntry 1")
    assert parse_amount_text("1234,5", "x") == Decimal("1234.50")
