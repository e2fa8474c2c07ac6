"""Letters: Word templates filled with docxtpl, PDF export, a bundle for signature.

The dunning plan fills ``Letter`` records (``context.py``); ``render_letters``
makes one .docx per letter from the templates in ``letter_templates/``;
``make_bundle`` converts them to PDF (LibreOffice in chunks, one profile per run)
and merges those that came out, with a signing list in front, into one PDF with a
bookmark per letter; the others are named in ``Bundle.failed``.
"""

from .bundle import Bundle, GeneratedDocument, make_bundle
from .context import (
    ACTION_KINDS,
    KIND_LABELS,
    KINDS,
    ActionLine,
    ClaimSpecification,
    Company,
    Debtor,
    Instalment,
    InterestPeriod,
    InvoiceLine,
    Letter,
    LetterError,
    PaymentLine,
    Promise,
    letter_warnings,
)
from .pdf import PdfConversionError, PdfUnavailable, convert_to_pdf
from .render import RenderedLetter, letter_context, render_letter, render_letters
from .templates import TemplateProblem, check_templates

__all__ = [
    "ACTION_KINDS",
    "KIND_LABELS",
    "KINDS",
    "ActionLine",
    "Bundle",
    "ClaimSpecification",
    "Company",
    "Debtor",
    "GeneratedDocument",
    "Instalment",
    "InterestPeriod",
    "InvoiceLine",
    "Letter",
    "LetterError",
    "PaymentLine",
    "PdfConversionError",
    "PdfUnavailable",
    "Promise",
    "RenderedLetter",
    "TemplateProblem",
    "check_templates",
    "convert_to_pdf",
    "letter_context",
    "letter_warnings",
    "make_bundle",
    "render_letter",
    "render_letters",
]
