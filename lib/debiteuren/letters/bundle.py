"""The bundle for signature: one PDF with a signing list in front and a bookmark per letter.

``make_bundle`` takes the rendered letters, converts them and the signing
list to PDF in one LibreOffice call, merges everything (each letter followed
by the invoice copies it encloses) into one PDF, and writes the signing list
as CSV too. It returns the SHA-256 of every document, for the log line the
write-back adds to Acties. Without a PDF converter the .docx files, the
signing list (.docx and CSV) are still made and the bundle says why there is
no PDF.
"""

from __future__ import annotations

import csv
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm, Pt
from pypdf import PdfWriter
from pypdf.errors import PyPdfError

from ..money import format_eur
from .context import KIND_LABELS, Letter
from .pdf import PdfConversionError, PdfUnavailable, convert_to_pdf
from .render import RenderedLetter, long_date

SIGNING_COLUMNS = ("Nr", "Ondertekenaar", "Debiteurnummer", "Debiteur", "Soort brief", "Bedrag", "Briefdatum", "Bestand")
# The page's columns (the file name gives way to a box to tick) and their widths in mm.
PAGE_COLUMNS = {"Nr": 10, "Ondertekenaar": 45, "Debiteurnummer": 32, "Debiteur": 60, "Soort brief": 50,
                "Bedrag": 28, "Briefdatum": 22, "Getekend": 20}


@dataclass(frozen=True)
class GeneratedDocument:
    """One letter as made: its .docx and, when a converter was there, its PDF, each with a SHA-256."""

    letter: Letter
    docx: Path
    docx_sha256: str
    pdf: Path | None = None
    pdf_sha256: str | None = None

    @property
    def document(self) -> Path:
        """The file to name in the dossier: the PDF when there is one, else the .docx."""
        return self.pdf or self.docx

    @property
    def sha256(self) -> str:
        return self.pdf_sha256 or self.docx_sha256


@dataclass(frozen=True)
class Bundle:
    documents: tuple[GeneratedDocument, ...]
    signing_list_docx: Path
    signing_list_csv: Path
    pdf: Path | None  # the merged bundle; None without a converter
    pdf_sha256: str | None
    warnings: tuple[str, ...] = ()


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def bookmark_title(letter: Letter) -> str:
    return f"{letter.debtor.number} – {letter.debtor.name} – {KIND_LABELS[letter.kind]}"


def signatory(letter: Letter) -> str:
    company = letter.company
    if not company.signatory:
        return "(niet ingesteld)"
    return f"{company.signatory}, {company.signatory_title}" if company.signatory_title else company.signatory


# Control characters (a NUL from Excel's _x0000_, a tab) are no text for Word's XML nor for a list.
_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")


def _plain(text: str) -> str:
    return _CONTROL.sub(" ", text).strip()


def signing_rows(rendered: Sequence[RenderedLetter]) -> list[dict[str, str]]:
    """One row per letter: who signs, debtor, kind, the amount it asks for, date, file."""
    return [
        {
            "Nr": str(number),
            "Ondertekenaar": _plain(signatory(item.letter)),
            "Debiteurnummer": _plain(item.letter.debtor.number),
            "Debiteur": _plain(item.letter.debtor.name),
            "Soort brief": KIND_LABELS[item.letter.kind],
            "Bedrag": format_eur(item.letter.amount_to_pay),
            "Briefdatum": item.letter.letter_date.strftime("%d-%m-%Y"),
            "Bestand": item.docx.name,
        }
        for number, item in enumerate(rendered, start=1)
    ]


def write_signing_csv(rendered: Sequence[RenderedLetter], path: Path) -> Path:
    """The signing list for Excel: semicolons, UTF-8 with BOM, amounts with a decimal comma."""
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=SIGNING_COLUMNS, delimiter=";")
        writer.writeheader()
        for row, item in zip(signing_rows(rendered), rendered):
            row = {key: _csv_text(value) for key, value in row.items()}
            writer.writerow({**row, "Bedrag": f"{item.letter.amount_to_pay:.2f}".replace(".", ",")})
    return path


def write_signing_docx(rendered: Sequence[RenderedLetter], path: Path) -> Path:
    """The signing list as one landscape page, to lie on top of the bundle."""
    # Imported here: the package imports this module, and make_templates runs as a script (python -m).
    from .make_templates import set_column_widths

    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    section.left_margin = section.right_margin = section.top_margin = section.bottom_margin = Mm(15)
    style = document.styles["Normal"]
    style.font.name, style.font.size = "Arial", Pt(9)
    heading = document.add_paragraph()
    run = heading.add_run("Tekenlijst brieven")
    run.bold, run.font.size = True, Pt(14)
    dates = sorted({item.letter.letter_date for item in rendered})
    if dates:
        span = long_date(dates[0], "nl") if len(dates) == 1 else f"{long_date(dates[0], 'nl')} tot en met {long_date(dates[-1], 'nl')}"
        document.add_paragraph(f"{len(rendered)} brieven, gedateerd {span}. Vink af wat getekend is.")
    rows = signing_rows(rendered)
    table = document.add_table(rows=1 + len(rows), cols=len(PAGE_COLUMNS))
    table.style = "Table Grid"
    set_column_widths(table, list(PAGE_COLUMNS.values()))
    for cell, title in zip(table.rows[0].cells, PAGE_COLUMNS):
        cell.paragraphs[0].add_run(title).bold = True
    for table_row, row in zip(table.rows[1:], rows):
        for cell, column in zip(table_row.cells, PAGE_COLUMNS):
            cell.text = row.get(column, "")
            if column == "Bedrag":
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    document.save(path)
    return path


def _csv_text(value: str) -> str:
    """Text Excel would take for a formula (=, +, -, @, tab or CR first; OWASP) is kept as text."""
    return f"'{value}" if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def merge_pdfs(
    signing_list: Path, letters: Sequence[tuple[Letter, Path]], target: Path
) -> list[str]:
    """Signing list, then every letter followed by its attachments, with bookmarks; returns warnings."""
    warnings = []
    writer = PdfWriter()
    writer.append(str(signing_list), import_outline=False)
    writer.add_outline_item(title="Tekenlijst", page_number=0)
    for letter, pdf in letters:
        start = len(writer.pages)
        writer.append(str(pdf), import_outline=False)
        parent = writer.add_outline_item(title=bookmark_title(letter), page_number=start)
        for attachment in letter.attachments:
            first = len(writer.pages)
            try:
                writer.append(str(attachment), import_outline=False)
            except (OSError, PyPdfError) as error:
                warnings.append(
                    f"Bijlage '{attachment}' bij {bookmark_title(letter)} is niet toegevoegd: "
                    f"{'het bestand bestaat niet' if isinstance(error, FileNotFoundError) else 'geen leesbare PDF'}."
                )
                continue
            writer.add_outline_item(title=f"Bijlage: {attachment.name}", page_number=first, parent=parent)
    with open(target, "wb") as handle:
        writer.write(handle)
    return warnings


def make_bundle(rendered: Sequence[RenderedLetter], out_dir: Path | str, *, name: str = "brievenbundel") -> Bundle:
    """PDFs of the letters, the signing list (.docx, .csv, first pages of the bundle) and the merged PDF."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    signing_docx = write_signing_docx(rendered, out / f"{name}_tekenlijst.docx")
    signing_csv = write_signing_csv(rendered, out / f"{name}_tekenlijst.csv")
    warnings: list[str] = []
    try:
        pdfs = convert_to_pdf([signing_docx, *(item.docx for item in rendered)], out)
    except (PdfUnavailable, PdfConversionError) as error:
        warnings.append(str(error))
        documents = tuple(GeneratedDocument(item.letter, item.docx, sha256_of(item.docx)) for item in rendered)
        return Bundle(documents, signing_docx, signing_csv, None, None, tuple(warnings))
    signing_pdf, letter_pdfs = pdfs[0], pdfs[1:]
    documents = tuple(
        GeneratedDocument(item.letter, item.docx, sha256_of(item.docx), pdf, sha256_of(pdf))
        for item, pdf in zip(rendered, letter_pdfs)
    )
    merged = out / f"{name}.pdf"
    warnings += merge_pdfs(signing_pdf, [(item.letter, pdf) for item, pdf in zip(rendered, letter_pdfs)], merged)
    return Bundle(documents, signing_docx, signing_csv, merged, sha256_of(merged), tuple(warnings))
