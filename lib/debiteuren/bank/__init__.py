"""Bank statements into the register: CAMT.053 / MT940 reading, matching to open invoices, import.

``import_bank`` (bank_import.py) is the pipeline; the command ``import-bank`` is
``cli/bank.py``.
"""

from .bank_import import BankImport, Confirmation, StatementRefused, import_bank, payments_frame, proposals_for
from .matching import HOOG, LAAG, MIDDEN, Proposal, normalise_name, propose
from .statements import BankTransaction, Statement, StatementError, read_statement

__all__ = [
    "HOOG",
    "LAAG",
    "MIDDEN",
    "BankImport",
    "BankTransaction",
    "Confirmation",
    "Proposal",
    "Statement",
    "StatementError",
    "StatementRefused",
    "import_bank",
    "normalise_name",
    "payments_frame",
    "propose",
    "proposals_for",
    "read_statement",
]
