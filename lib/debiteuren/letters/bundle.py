"""The bundle for signature: one PDF with a signing list in front and a bookmark per letter.

``make_bundle`` takes the rendered letters and converts them to PDF (under
one LibreOffice profile, in chunks, see ``pdf.py``). A letter whose PDF did
not come out is left out of everything that follows and named in
``Bundle.failed``: the signing list (.docx, its PDF, and CSV) and the merged
PDF (each letter followed by the invoice copies it encloses) hold exactly the
letters whose PDF exists. It returns the SHA-256 of every document, for the
log line the write-back adds to Acties. Without a PDF converter the .docx
files and the signing list are still made and the bundle says why there is
no PDF.

Every file is made in memory and written in one go; a write that fails (a
full disk) removes its half-written file, so no broken list or bundle stays.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from pypdf import PdfWriter
from pypdf.errors import PyPdfError

from ..dutch import format_date
from ..money import format_eur
from .context import KIND_LABELS, Letter
from .pdf import PdfUnavailable, converting
from .render import RenderedLetter, long_date

SIGNING_COLUMNS = (
    "Nr",
    "Ondertekenaar",
    "Debiteurnummer",
    "Debiteur",
    "Soort brief",
    "Bedrag",
    "Briefdatum",
    "Bestand",
)
# The page's columns (the file name gives way to a box to tick) and their widths in mm.
PAGE_COLUMNS = {
    "Nr": 10,
    "Ondertekenaar": 45,
    "Debiteurnummer": 32,
    "Debiteur": 60,
    "Soort brief": 50,
    "Bedrag": 28,
    "Briefdatum": 22,
    "Getekend": 20,
}


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
class FailedLetter:
    """A letter whose PDF was asked for and did not come out: not in the bundle, not to be logged."""

    letter: Letter
    docx: Path
    reason: str  # Dutch


@dataclass(frozen=True)
class Bundle:
    documents: tuple[GeneratedDocument, ...]  # the letters that exist as asked (PDF when a converter is there)
    signing_list_docx: Path | None  # None when no letter came out
    signing_list_csv: Path | None
    pdf: Path | None  # the merged bundle; None without a converter or when it could not be made
    pdf_sha256: str | None
    warnings: tuple[str, ...] = ()
    failed: tuple[FailedLetter, ...] = ()
    pdfs_asked: bool = True  # False without a converter: the .docx files are the letters

    @property
    def complete(self) -> bool:
        """Every letter made as asked, and (with PDFs) the bundle for signature too."""
        return not self.failed and (self.pdf is not None or not self.pdfs_asked or not self.documents)


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
            "Briefdatum": format_date(item.letter.letter_date),
            "Bestand": item.docx.name,
        }
        for number, item in enumerate(rendered, start=1)
    ]


def write_whole(path: Path, data: bytes) -> Path:
    """``data`` as the file ``path``; when the write fails (a full disk) the half-written file is removed."""
    try:
        with open(path, "wb") as handle:
            handle.write(data)
    except BaseException:
        Path(path).unlink(missing_ok=True)
        raise
    return path


def write_signing_csv(rendered: Sequence[RenderedLetter], path: Path) -> Path:
    """The signing list for Excel: semicolons, UTF-8 with BOM, amounts with a decimal comma."""
    text = io.StringIO(newline="")
    writer = csv.DictWriter(text, fieldnames=SIGNING_COLUMNS, delimiter=";")
    writer.writeheader()
    for row, item in zip(signing_rows(rendered), rendered):
        row = {key: _csv_text(value) for key, value in row.items()}
        writer.writerow({**row, "Bedrag": f"{item.letter.amount_to_pay:.2f}".replace(".", ",")})
    return write_whole(path, text.getvalue().encode("utf-8-sig"))


def set_column_widths(table, widths_mm: list[int]) -> None:
    """Fixed column widths that Word and LibreOffice both honour (grid and cells); rows never split."""
    table.autofit = False
    grid = table._tbl.tblGrid
    for col, width in zip(grid.findall(qn("w:gridCol")), widths_mm):
        col.set(qn("w:w"), str(int(Mm(width).twips)))
    for row in table.rows:
        for cell, width in zip(row.cells, widths_mm):
            cell.width = Mm(width)
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    table._tbl.tblPr.append(layout)
    for row in table.rows:  # a row never breaks across pages
        row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))


def write_signing_docx(rendered: Sequence[RenderedLetter], path: Path) -> Path:
    """The signing list as one landscape page, to lie on top of the bundle."""
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
        span = (
            long_date(dates[0], "nl")
            if len(dates) == 1
            else f"{long_date(dates[0], 'nl')} tot en met {long_date(dates[-1], 'nl')}"
        )
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
    # Saved in memory first: a zip written straight to a full disk fails twice (once more when
    # the garbage collector closes it, as a traceback after the Dutch message).
    data = io.BytesIO()
    document.save(data)
    return write_whole(path, data.getvalue())


def _csv_text(value: str) -> str:
    """Text Excel would take for a formula (=, +, -, @, tab or CR first; OWASP) is kept as text."""
    return f"'{value}" if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def merge_pdfs(signing_list: Path, letters: Sequence[tuple[Letter, Path]], target: Path) -> list[str]:
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
    data = io.BytesIO()
    writer.write(data)
    write_whole(target, data.getvalue())
    return warnings


def make_bundle(rendered: Sequence[RenderedLetter], out_dir: Path | str, *, name: str = "brievenbundel") -> Bundle:
    """PDFs of the letters, then the signing list (.docx, .csv, first pages of the bundle) and the merged PDF
    of exactly the letters whose PDF exists; the others in ``Bundle.failed``."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    signing_docx, signing_csv = out / f"{name}_tekenlijst.docx", out / f"{name}_tekenlijst.csv"
    try:
        with converting() as convert:
            conversion = convert([item.docx for item in rendered], out)
            made = [(item, pdf) for item, pdf in zip(rendered, conversion.pdfs) if pdf is not None]
            failed = tuple(
                FailedLetter(item.letter, item.docx, conversion.reasons[item.docx.resolve()])
                for item, pdf in zip(rendered, conversion.pdfs)
                if pdf is None
            )
            if not made:
                return Bundle((), None, None, None, None, (), failed)
            write_signing_docx([item for item, _ in made], signing_docx)
            write_signing_csv([item for item, _ in made], signing_csv)
            signing = convert([signing_docx], out)
    except PdfUnavailable as error:
        write_signing_docx(rendered, signing_docx)
        write_signing_csv(rendered, signing_csv)
        documents = tuple(GeneratedDocument(item.letter, item.docx, sha256_of(item.docx)) for item in rendered)
        return Bundle(documents, signing_docx, signing_csv, None, None, (str(error),), pdfs_asked=False)
    documents = tuple(
        GeneratedDocument(item.letter, item.docx, sha256_of(item.docx), pdf, sha256_of(pdf)) for item, pdf in made
    )
    warnings: list[str] = []
    (signing_pdf,) = signing.pdfs
    if signing_pdf is None:
        warnings.append(
            f"De bundel om te tekenen is niet gemaakt: van de tekenlijst kwam geen PDF "
            f"({next(iter(signing.reasons.values()))}). De brieven zelf staan als PDF in {out}."
        )
        return Bundle(documents, signing_docx, signing_csv, None, None, tuple(warnings), failed)
    merged = out / f"{name}.pdf"
    warnings += merge_pdfs(signing_pdf, [(item.letter, pdf) for item, pdf in made], merged)
    return Bundle(documents, signing_docx, signing_csv, merged, sha256_of(merged), tuple(warnings), failed)
