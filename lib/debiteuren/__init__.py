"""Debiteurenbeheer: the Excel register of a Dutch controller, reviewed and dunned."""

__version__ = "0.1.0"
