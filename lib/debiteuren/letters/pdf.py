"""From .docx to PDF: LibreOffice headless in one call for all files, or Word through docx2pdf.

Starting LibreOffice costs seconds; converting a page costs little. So every
document of a run goes to ONE ``soffice --convert-to pdf`` call, with a
private, throw-away user profile (an open LibreOffice of the user, or a second
run at the same time, cannot get in the way). Without LibreOffice, on Windows
or macOS with Word, docx2pdf does the work (imported only then; it is not a
dependency). Without either, ``PdfUnavailable`` says so in Dutch; the .docx
files are there regardless.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Sequence

SOFFICE_CANDIDATES = (
    "soffice",
    "libreoffice",
    r"C:\Program Files\LibreOffice\program\soffice.exe",
    r"C:\Program Files (x86)\LibreOffice\program\soffice.exe",
    "/Applications/LibreOffice.app/Contents/MacOS/soffice",
)
SECONDS_BASE, SECONDS_PER_FILE = 120, 10

UNAVAILABLE = (
    "PDF maken lukt niet: LibreOffice is niet gevonden en Microsoft Word (via docx2pdf) ook niet. "
    "De Word-bestanden (.docx) zijn wel gemaakt. Installeer LibreOffice (Linux: "
    "'sudo apt-get install libreoffice-writer-nogui'), of op Windows/macOS met Word: 'pip install docx2pdf'."
)


class PdfUnavailable(RuntimeError):
    """Neither LibreOffice nor Word can be used to make PDFs."""


class PdfConversionError(RuntimeError):
    """The converter ran but did not produce every PDF."""


def find_soffice() -> str | None:
    """The LibreOffice program, or None."""
    for candidate in SOFFICE_CANDIDATES:
        found = shutil.which(candidate)
        if found:
            return found
        if os.path.isabs(candidate) and os.path.exists(candidate):
            return candidate
    return None


def converter() -> str | None:
    """'soffice', 'docx2pdf' or None: what ``convert_to_pdf`` would use."""
    if find_soffice():
        return "soffice"
    if sys.platform in ("win32", "darwin") and importlib.util.find_spec("docx2pdf") is not None:
        return "docx2pdf"  # optional, not a dependency; needs Word
    return None


def convert_to_pdf(documents: Sequence[Path | str], out_dir: Path | str) -> list[Path]:
    """Every .docx as a PDF in ``out_dir`` (same file name, .pdf), in the order given."""
    documents = [Path(d).resolve() for d in documents]
    out = Path(out_dir).resolve()
    out.mkdir(parents=True, exist_ok=True)
    if not documents:
        return []
    stems = [d.stem for d in documents]
    if len(set(stems)) != len(stems):
        raise PdfConversionError("PDF maken: twee documenten hebben dezelfde naam; hun PDF's zouden elkaar overschrijven.")
    targets = [out / f"{d.stem}.pdf" for d in documents]
    for target in targets:
        target.unlink(missing_ok=True)
    kind = converter()
    if kind == "soffice":
        _convert_soffice(find_soffice(), documents, out)
    elif kind == "docx2pdf":
        _convert_word(documents, targets)
    else:
        raise PdfUnavailable(UNAVAILABLE)
    missing = [t.name for t in targets if not t.exists()]
    if missing:
        raise PdfConversionError(f"PDF maken: deze PDF's zijn niet gemaakt: {', '.join(missing)}.")
    return targets


def _convert_soffice(soffice: str, documents: list[Path], out: Path) -> None:
    with tempfile.TemporaryDirectory(prefix="debiteuren-lo-") as profile:
        command = [
            soffice,
            f"-env:UserInstallation={Path(profile).as_uri()}",
            "--headless",
            "--norestore",
            "--nolockcheck",
            "--convert-to",
            "pdf:writer_pdf_Export",
            "--outdir",
            str(out),
            *map(str, documents),
        ]
        try:
            result = subprocess.run(
                command,
                capture_output=True,
                text=True,
                timeout=SECONDS_BASE + SECONDS_PER_FILE * len(documents),
                stdin=subprocess.DEVNULL,
            )
        except subprocess.TimeoutExpired:
            raise PdfConversionError("PDF maken: LibreOffice reageerde niet binnen de tijd.") from None
        if result.returncode != 0:
            detail = (result.stderr or result.stdout).strip()[-500:]
            raise PdfConversionError(f"PDF maken: LibreOffice stopte met code {result.returncode}. {detail}")


def _convert_word(documents: list[Path], targets: list[Path]) -> None:  # pragma: no cover - needs Word
    from docx2pdf import convert

    for document, target in zip(documents, targets):
        convert(str(document), str(target))
