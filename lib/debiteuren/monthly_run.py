"""The monthly run: read the register, review it, write the results back.

One orchestration for the command line and the notebooks alike. The register
is read from the workbook open in Excel when there is one (and the results go
back into it), from the .xlsx file otherwise. The clock is a parameter: the
caller passes ``generated_at`` (the edge owns ``datetime.now()``).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import pandas as pd

from .dunning import ProposedStep
from .register import Register, read_register
from .register.live_backend import find_open_book
from .register.writeback import WorkbookBusy, WriteReport, write_back
from .register.xlsx_patch import file_identity, register_lock
from .result_sheets import result_sheets
from .review import Review, review


class NothingToReview(Exception):
    """The register is valid but holds no invoices yet."""


class LettersNotMade(Exception):
    """Nothing was made or written: the workbook changed after the review the letters would follow,
    or another review holds it."""


@dataclass(frozen=True)
class MonthlyRun:
    register: Register
    review: Review
    written: WriteReport | None  # None when the workbook was left alone
    # The workbook file as this run left it (``file_identity``); None for a workbook open in Excel.
    # Letters from this run are refused once the file has changed: their plan could be stale.
    identity: tuple[int, int, int] | None = None


def _is_file_target(target) -> bool:
    return isinstance(target, (str, os.PathLike))


def changed_since_review_message(path: Path) -> str:
    return (
        f"De werkmap '{Path(path).name}' is gewijzigd sinds de review (opgeslagen in Excel, of een tweede "
        "review); de brieven zouden op verouderde gegevens berusten. Er is niets gemaakt of geschreven. "
        "Lees het register opnieuw in en maak de brieven dan."
    )


def workbook_target(source):
    """The open xlwings Book for ``source`` when Excel has it open, else the path itself."""
    if isinstance(source, (str, Path)):
        book = find_open_book(Path(source))
        return book if book is not None else Path(source)
    return source  # already a Book


def run_month(source, peildatum: date, *, generated_at: datetime, write: bool = True) -> MonthlyRun:
    """Review ``source`` as of ``peildatum`` and (unless ``write=False``) write the result sheets back.

    Raises ``RegisterInvalid`` / ``WorkbookUnreadable`` before anything is
    computed, ``WriteBackRefused`` (e.g. ``WorkbookLocked``) before anything is written.
    """
    target = workbook_target(source)
    identity = file_identity(Path(target)) if _is_file_target(target) and Path(target).is_file() else None
    register = read_register(target)
    if register.invoices.empty:
        raise NothingToReview(
            "Het register bevat nog geen facturen: er valt niets te reviewen. Vul eerst de bladen "
            "Debiteuren en Facturen (zie het blad Toelichting); de werkmap is niet gewijzigd."
        )
    result = review(register, peildatum)
    written = None
    if write:
        written = write_back(target, result_sheets(result), None, generated_at=generated_at, peildatum=peildatum)
        if identity is not None:
            identity = file_identity(Path(target))
    return MonthlyRun(register, result, written, identity)


@dataclass(frozen=True)
class LetterBatch:
    """What ``generate_letters`` made and logged."""

    rendered: tuple  # letters.RenderedLetter, one per letter, with .docx
    bundle: object | None  # letters.Bundle (PDFs, merged PDF, signing list); None when nothing was made
    logged: WriteReport | None  # the Acties rows appended; None when not written
    skipped: tuple[tuple[ProposedStep, str], ...]  # steps that are no letter, with a Dutch reason
    messages: tuple[str, ...]  # Dutch lines for the controller


def logged_letters(folder: Path, register) -> set[str]:
    """Stems of the documents in ``folder`` whose SHA-256 is in the register's log.

    Those are letters sent and recorded: a later batch must never overwrite them
    (their dossier entry names the file and its hash). A document that is not in
    the log is left over from a run that stopped before logging, and may be made again.
    """
    from .letters.bundle import sha256_of

    digests = set(register.actions["digest"].dropna())
    if not digests or not folder.is_dir():
        return set()
    return {p.stem for p in folder.iterdir() if p.suffix in (".pdf", ".docx") and sha256_of(p) in digests}


def default_letter_folder(source, letter_date: date) -> Path:
    """``brieven/JJJJ-MM-DD`` next to the workbook."""
    folder = Path(getattr(source, "fullname", source)).resolve().parent
    return folder / "brieven" / letter_date.isoformat()


def generate_letters(
    run: MonthlyRun,
    steps: Sequence[ProposedStep],
    out_dir: Path | None = None,
    *,
    letter_date: date,
    generated_at: datetime,
    progress: Callable[[int, int, str], None] | None = None,
    write: bool = True,
) -> LetterBatch:
    """Letters for ``steps`` (from ``run.review.plan``): .docx, PDFs, a bundle for signature, a log line each.

    Tasks (a call) are skipped with a reason, and so is a letter the debtor's data
    cannot make (``LetterError``). Each letter is logged in Acties with its document
    and SHA-256 through the write-back, so the next review moves on to the next step
    and a rerun never makes the same letter twice. Raises ``LettersNotMade`` before
    making anything when the workbook file changed since ``run`` read it, or another
    review holds it.
    """
    from .dunning_letters import build_letter, is_letter, not_a_letter_reason
    from .letters import LetterError

    source = run.register.source
    out = Path(out_dir) if out_dir is not None else default_letter_folder(source, letter_date)
    letters, skipped, steps_made, notes = [], [], [], []
    for step in steps:
        if not is_letter(step):
            skipped.append((step, not_a_letter_reason(step)))
            continue
        try:
            letter, letter_notes = build_letter(run.register, run.review, step, letter_date)
        except LetterError as error:  # this debtor's data cannot make a correct letter; the others go on
            skipped.append((step, f"geen brief gemaakt: {error}"))
            continue
        letters.append(letter)
        notes += letter_notes
        steps_made.append(step)
    if not letters:
        return LetterBatch((), None, None, tuple(skipped), ("Er zijn geen brieven te maken.",))
    target = workbook_target(source) if write else None
    with ExitStack() as held:
        if write and _is_file_target(target):
            # Held from here to the last log row (re-entrant: the command line holds it already).
            try:
                held.enter_context(register_lock(Path(target)))
            except WorkbookBusy as busy:
                raise LettersNotMade(str(busy)) from None
            if run.identity is not None and file_identity(Path(target)) != run.identity:
                raise LettersNotMade(changed_since_review_message(Path(target)))
        return _make_and_log(run, letters, skipped, steps_made, notes, out, target, letter_date=letter_date,
                             generated_at=generated_at, progress=progress, write=write)


def _make_and_log(run, letters, skipped, steps_made, notes, out, target, *, letter_date, generated_at, progress,
                  write) -> LetterBatch:
    from .dunning_letters import log_entries
    from .letters import KIND_LABELS, make_bundle, render_letters

    source = run.register.source
    out.mkdir(parents=True, exist_ok=True)
    done = iter(range(len(letters)))

    def rendering(letter) -> None:
        if progress:
            progress(next(done), len(letters), f"{KIND_LABELS[letter.kind]} voor {letter.debtor.name}")

    sent = logged_letters(out, run.register)
    rendered = render_letters(letters, out, progress=rendering, taken={out / f"{stem}.docx" for stem in sent})
    if progress:
        progress(len(letters), len(letters), "PDF's en bundel maken")
    bundle = make_bundle(rendered, out, name="brievenbundel" if not sent else f"brievenbundel-{generated_at:%H%M%S}")
    messages = [f"{len(rendered)} brie{'ven' if len(rendered) != 1 else 'f'} gemaakt in {out}."]
    if bundle.pdf is not None:
        messages.append(f"Bundel om te tekenen: {bundle.pdf}")
    messages += list(bundle.warnings) + notes
    rows = []
    for step, document in zip(steps_made, bundle.documents):
        letter = document.letter
        try:
            shown = document.document.relative_to(Path(getattr(source, "parent", out)).resolve())
        except ValueError:
            shown = document.document
        # One row per step the letter took (one letter per debtor per day may hold several), same document.
        for soort, invoice_ids, what in log_entries(step, letter):
            rows.append(
                {
                    "Datum": letter_date,
                    "Debiteurnummer": step.debtor_id,
                    "Factuurnummers": ", ".join(invoice_ids),
                    "Soort": soort,
                    "Omschrijving": what,
                    "Door": "debiteuren",
                    "Document": str(shown),
                    "Kenmerk": document.sha256,
                }
            )
    logged = None
    if write:
        logged = write_back(
            target, (), pd.DataFrame(rows), generated_at=generated_at, peildatum=run.review.peildatum
        )
        messages.append(logged.summary())
    return LetterBatch(tuple(rendered), bundle, logged, tuple(skipped), tuple(messages))
