"""From .docx to PDF: LibreOffice headless in chunks under one profile per run, or Word through docx2pdf.

Starting LibreOffice costs seconds; converting a page costs little. So the
documents of a run go to ``soffice --convert-to pdf`` in chunks of ``CHUNK``
(one call for a thousand files stopped part-way on a real register), each
chunk with a time limit; what did not come out is tried once more in small
chunks, and whatever still fails is reported per document, never hidden.
All chunks share one private, throw-away user profile (an open LibreOffice of
the user, or a second run at the same time, cannot get in the way).

LibreOffice never outlives the run: each call runs in a process group of its
own (so a chunk past its time limit is ended with its helpers), and a small
guard process, holding the read end of a pipe whose write end only this
process has, ends those groups and removes the profile the moment this
process is gone (killed, say, by the OOM killer). A later run removes what a
run whose guard was killed too left behind (``sweep_leftovers``).

Without LibreOffice, on Windows or macOS with Word, docx2pdf does the work
(imported only then; it is not a dependency). Without either,
``PdfUnavailable`` says so in Dutch; the .docx files are there regardless.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import DebiteurenError

SOFFICE_CANDIDATES = (
    "soffice",
    "libreoffice",
    r"C:\Program Files\LibreOffice\program\soffice.exe",
    r"C:\Program Files (x86)\LibreOffice\program\soffice.exe",
    "/Applications/LibreOffice.app/Contents/MacOS/soffice",
)
# Documents per LibreOffice call, then per retry call of what failed (then one by one, see convert_all).
CHUNK, RETRY_CHUNK = 50, 5
# A chunk's time limit: a first start on a fresh profile takes seconds (more on a busy machine),
# a letter well under one.
SECONDS_BASE, SECONDS_PER_FILE = 90, 6
# Profiles live in the temporary folder as debiteuren-lo-<pid of the run>-<random>.
PROFILE_PREFIX = "debiteuren-lo-"

UNAVAILABLE = (
    "PDF maken lukt niet: LibreOffice is niet gevonden en Microsoft Word (via docx2pdf) ook niet. "
    "De Word-bestanden (.docx) zijn wel gemaakt. Installeer LibreOffice (Linux: "
    "'sudo apt-get install libreoffice-writer-nogui'), of op Windows/macOS met Word: 'pip install docx2pdf'."
)
NO_PDF = "LibreOffice maakte er geen PDF van"


class PdfUnavailable(DebiteurenError, RuntimeError):
    """Neither LibreOffice nor Word can be used to make PDFs."""


class PdfConversionError(DebiteurenError, RuntimeError):
    """The converter ran but did not produce every PDF."""


@dataclass(frozen=True)
class Conversion:
    """Per document given (in order) its PDF, or None with the reason in ``reasons``."""

    pdfs: tuple[Path | None, ...]
    reasons: dict[Path, str] = field(default_factory=dict)  # document -> Dutch reason

    @property
    def failed(self) -> tuple[Path, ...]:
        return tuple(self.reasons)


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
    """Every .docx as a PDF in ``out_dir`` (same file name, .pdf), in the order given; raises when one is missing."""
    with converting() as convert:
        result = convert(documents, out_dir)
    if result.reasons:
        names = ", ".join(f"{Path(d).stem}.pdf ({reason})" for d, reason in result.reasons.items())
        raise PdfConversionError(f"PDF maken: deze PDF's zijn niet gemaakt: {names}.")
    return list(result.pdfs)


@contextmanager
def converting() -> Iterator[Callable[[Sequence[Path | str], Path | str], Conversion]]:
    """A converter for one run: ``convert(documents, out_dir) -> Conversion``, one LibreOffice profile throughout.

    Raises ``PdfUnavailable`` when there is nothing to convert with.
    """
    kind = converter()
    if kind == "soffice":
        with LibreOfficeRun(find_soffice()) as office:
            yield lambda documents, out: _convert(documents, out, office.convert_all)
    elif kind == "docx2pdf":  # pragma: no cover - needs Word
        yield lambda documents, out: _convert(documents, out, _convert_word)
    else:
        raise PdfUnavailable(UNAVAILABLE)


def _convert(documents, out_dir, convert_all) -> Conversion:
    documents = [Path(d).resolve() for d in documents]
    out = Path(out_dir).resolve()
    out.mkdir(parents=True, exist_ok=True)
    if not documents:
        return Conversion(())
    stems = [d.stem for d in documents]
    if len(set(stems)) != len(stems):
        raise PdfConversionError(
            "PDF maken: twee documenten hebben dezelfde naam; hun PDF's zouden elkaar overschrijven."
        )
    targets = {d: out / f"{d.stem}.pdf" for d in documents}
    for target in targets.values():
        target.unlink(missing_ok=True)  # a PDF left by an earlier run is no proof of this one
    reasons = convert_all(documents, targets)
    return Conversion(tuple(None if d in reasons else targets[d] for d in documents), reasons)


def is_complete_pdf(path: Path) -> bool:
    """A PDF written to its end (a converter stopped halfway leaves a file without its %%EOF)."""
    try:
        with open(path, "rb") as handle:
            handle.seek(0, os.SEEK_END)
            size = handle.tell()
            handle.seek(max(0, size - 1024))
            return size > 0 and b"%%EOF" in handle.read()
    except OSError:
        return False


class LibreOfficeRun:
    """One throw-away LibreOffice profile for a run, and a guard that ends LibreOffice with this process."""

    def __init__(self, soffice: str):
        self.soffice = soffice
        self.profile: Path | None = None
        self.guard: subprocess.Popen | None = None

    def __enter__(self) -> LibreOfficeRun:
        sweep_leftovers()
        self.profile = Path(tempfile.mkdtemp(prefix=f"{PROFILE_PREFIX}{os.getpid()}-"))
        if os.name == "posix":
            self.guard = subprocess.Popen(
                [sys.executable, "-c", GUARD, str(self.profile)],
                stdin=subprocess.PIPE,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                text=True,
                start_new_session=True,  # a kill of our process group leaves the guard to clean up
            )
        return self

    def __exit__(self, *exc) -> None:
        if self.guard is not None:
            self.guard.stdin.close()  # the guard ends what is left and removes the profile
            try:
                self.guard.wait(timeout=30)
            except subprocess.TimeoutExpired:  # pragma: no cover - a guard that hangs is ended
                self.guard.kill()
                self.guard.wait()
        shutil.rmtree(self.profile, ignore_errors=True)

    def _tell(self, line: str) -> None:
        if self.guard is not None:
            self.guard.stdin.write(line + "\n")
            self.guard.stdin.flush()

    def convert_all(self, documents: list[Path], targets: dict[Path, Path]) -> dict[Path, str]:
        """Chunks of ``CHUNK``; what failed again in chunks of ``RETRY_CHUNK``; what failed in a chunk that had
        to be stopped (it may have been another file's fault) once more on its own. Returns document -> reason."""
        final: dict[Path, str] = {}
        todo = documents
        for attempt, size in enumerate((CHUNK, RETRY_CHUNK, 1)):
            again = []
            for start in range(0, len(todo), size):
                chunk = todo[start : start + size]
                stopped = self.run_chunk(chunk, targets[chunk[0]].parent)
                for document in chunk:
                    if is_complete_pdf(targets[document]):
                        continue
                    targets[document].unlink(missing_ok=True)  # a half-written PDF is no PDF
                    if attempt == 0 or (stopped is not None and len(chunk) > 1 and size > 1):
                        again.append(document)
                    final[document] = stopped or NO_PDF
            for document in again:
                del final[document]
            todo = again
            if not todo:
                break
        return {d: final[d] for d in documents if d in final}

    def run_chunk(self, chunk: list[Path], out: Path) -> str | None:
        """One LibreOffice call; None when it ended by itself, else why it was stopped (Dutch)."""
        command = [
            self.soffice,
            f"-env:UserInstallation={self.profile.as_uri()}",
            "--headless",
            "--norestore",
            "--nolockcheck",
            "--convert-to",
            "pdf:writer_pdf_Export",
            "--outdir",
            str(out),
            *map(str, chunk),
        ]
        seconds = SECONDS_BASE + SECONDS_PER_FILE * len(chunk)
        process = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=os.name == "posix",
        )
        self._tell(f"+ {process.pid}")
        try:
            output, _ = process.communicate(timeout=seconds)
        except subprocess.TimeoutExpired:
            _end_group(process)
            return f"LibreOffice reageerde niet binnen {seconds} seconden"
        except BaseException:  # interrupted (Ctrl-C): LibreOffice goes with us
            _end_group(process)
            raise
        finally:
            self._tell(f"- {process.pid}")
        if process.returncode != 0:
            detail = (output or "").strip().splitlines()[-1:] or [""]
            return f"LibreOffice stopte met code {process.returncode} {detail[0][:200]}".strip()
        return None


def _end_group(process: subprocess.Popen) -> None:
    """Kill the call's process group (LibreOffice's launcher and soffice.bin) before reaping it."""
    try:
        if os.name == "posix":
            os.killpg(process.pid, signal.SIGKILL)
        else:  # pragma: no cover
            process.kill()
    except (ProcessLookupError, PermissionError):
        pass
    process.communicate()


# The guard: reads "+ pgid" / "- pgid" lines; at end of input (the run finished, or its process is
# gone) kills the groups still running and removes the profile. It ignores Ctrl-C so it outlives one.
GUARD = r"""
import os, shutil, signal, sys
signal.signal(signal.SIGINT, signal.SIG_IGN)
running = set()
for line in sys.stdin:
    sign, pgid = line.split()
    (running.add if sign == "+" else running.discard)(int(pgid))
for pgid in running:
    try:
        os.killpg(pgid, signal.SIGKILL)
    except OSError:
        pass
shutil.rmtree(sys.argv[1], ignore_errors=True)
"""

_PROFILE = re.compile(re.escape(PROFILE_PREFIX) + r"(\d+)-")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def sweep_leftovers(folder: Path | None = None) -> list[Path]:
    """Remove profiles (and end the LibreOffice using them) of runs whose process is gone; returns them."""
    folder = Path(folder or tempfile.gettempdir())
    removed = []
    try:
        candidates = [p for p in folder.iterdir() if p.name.startswith(PROFILE_PREFIX) and p.is_dir()]
    except OSError:
        return removed
    for profile in candidates:
        found = _PROFILE.match(profile.name)
        if not found or _alive(int(found.group(1))):
            continue
        for pid in processes_using(profile):
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
        shutil.rmtree(profile, ignore_errors=True)
        removed.append(profile)
    return removed


def processes_using(profile: Path) -> list[int]:
    """Processes whose command line names ``profile`` (Linux /proc; elsewhere none are found)."""
    needle = profile.as_uri().encode()
    found = []
    proc = Path("/proc")
    if not proc.is_dir():
        return found
    for entry in proc.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if needle in (entry / "cmdline").read_bytes():
                found.append(int(entry.name))
        except OSError:
            continue
    return found


def _convert_word(documents: list[Path], targets: dict[Path, Path]) -> dict[Path, str]:  # pragma: no cover - Word
    from docx2pdf import convert

    reasons = {}
    for document in documents:
        try:
            convert(str(document), str(targets[document]))
        except Exception as error:  # Word's COM errors have no common type
            reasons[document] = f"Word maakte er geen PDF van ({error})"
        else:
            if not targets[document].exists():
                reasons[document] = "Word maakte er geen PDF van"
    return reasons
