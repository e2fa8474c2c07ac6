"""The monthly run: read the register, review it, write the results back; with letters, make and log them.

One orchestration for the command line and the notebooks alike: ``run_month``
for a review, ``run_month_with_letters`` for a review with letters (review,
letters, log and the refreshed result sheets in one write). The register is
read from the workbook open in Excel when there is one (and the results go
back into it), from the .xlsx file otherwise. The clock is a parameter: the
caller passes ``generated_at`` (the edge owns ``datetime.now()``).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path

import pandas as pd

from .dunning import ProposedStep
from .errors import NO_INVOICES, DebiteurenError
from .register import Register, read_register
from .register.live_backend import workbook_target
from .register.write.file_safety import check_writable, file_identity, register_lock
from .register.write.messages import WorkbookBusy, WriteBackRefused
from .register.write.plan import WriteReport
from .register.writeback import write_back
from .result_sheets import result_sheets
from .review import Review, review


class NothingToReview(DebiteurenError):
    """The register is valid but holds no invoices yet."""


class LettersNotMade(DebiteurenError):
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


def letter_day(peildatum: date, generated_at: datetime, letter_date: date | None = None) -> date:
    """The day the letters of a review go out: ``letter_date`` when given, else the day of the run
    (``generated_at``), never before the peildatum (a review ahead of time plans from its peildatum).

    >>> letter_day(date(2026, 10, 31), datetime(2026, 11, 3, 9, 0))
    datetime.date(2026, 11, 3)
    >>> letter_day(date(2026, 12, 31), datetime(2026, 11, 3, 9, 0))
    datetime.date(2026, 12, 31)
    """
    return letter_date or max(peildatum, generated_at.date())


def dated_review(result: Review, letter_date: date) -> Review:
    """``result`` with its plan's pay-by dates counted from ``letter_date`` (``DunningPlan.dated``)."""
    return replace(result, plan=result.plan.dated(letter_date))


def run_month(
    source, peildatum: date, *, generated_at: datetime, write: bool = True, letter_date: date | None = None
) -> MonthlyRun:
    """Review ``source`` as of ``peildatum`` and (unless ``write=False``) write the result sheets back.

    The plan's pay-by dates count from the day the letters go out (``letter_day``): the
    Actielijst and the review show the dates the letters will state.

    Raises ``RegisterInvalid`` / ``WorkbookUnreadable`` before anything is
    computed, ``WriteBackRefused`` (e.g. ``WorkbookLocked``) before anything is written.
    """
    target = workbook_target(source)
    identity = file_identity(Path(target)) if _is_file_target(target) and Path(target).is_file() else None
    register = read_register(target)
    if register.invoices.empty:
        raise NothingToReview(
            f"Het register {NO_INVOICES}: er valt niets te reviewen. Vul eerst de bladen "
            "Debiteuren en Facturen (zie het blad Toelichting); de werkmap is niet gewijzigd."
        )
    result = dated_review(review(register, peildatum), letter_day(peildatum, generated_at, letter_date))
    written = None
    if write:
        written = write_back(
            target,
            result_sheets(result),
            None,
            generated_at=generated_at,
            peildatum=peildatum,
            key_types=register.key_types,
        )
        if identity is not None:
            identity = file_identity(Path(target))
    return MonthlyRun(register, result, written, identity)


def write_results(source, run: MonthlyRun, *, generated_at: datetime) -> MonthlyRun:
    """Write ``run``'s result sheets into ``source`` (the workbook it read), as ``run_month(write=True)`` would.

    The review is not made again when the workbook file is as the run read it (that
    is what makes writing from the app as fast as from the command line); a file
    that changed since, or a workbook open in Excel, is read and reviewed afresh
    first, so the sheets never show an outdated review.
    """
    target = workbook_target(source)
    if not (
        _is_file_target(target)
        and run.identity is not None
        and Path(target).is_file()
        and file_identity(Path(target)) == run.identity
    ):
        return run_month(target, run.review.peildatum, generated_at=generated_at, write=True)
    written = write_back(
        target,
        result_sheets(run.review),
        None,
        generated_at=generated_at,
        peildatum=run.review.peildatum,
        key_types=run.register.key_types,
    )
    return MonthlyRun(run.register, run.review, written, file_identity(Path(target)))


@dataclass(frozen=True)
class LetterBatch:
    """What ``generate_letters`` made and logged."""

    rendered: tuple  # letters.RenderedLetter, one per letter, with .docx
    bundle: object | None  # letters.Bundle (PDFs, merged PDF, signing list); None when nothing was made
    logged: WriteReport | None  # the Acties rows appended; None when not written
    skipped: tuple[tuple[ProposedStep, str], ...]  # steps that are no letter, with a Dutch reason
    messages: tuple[str, ...]  # Dutch lines for the controller
    # Letters whose PDF did not come out, with the reason: not logged, not in the bundle.
    failed: tuple[tuple[ProposedStep, str], ...] = ()
    problems: tuple[str, ...] = ()  # Dutch: what failed and what to do; empty when everything was made
    review: Review | None = None  # the review after this batch's log rows (``refresh``), as written
    register: Register | None = None  # the register with this batch's log rows (``refresh``)
    email_drafts: object | None = None  # letters.email_drafts.EmailDrafts: unsent .eml files of the reminders

    @property
    def complete(self) -> bool:
        """Every letter made as asked and logged, and the bundle for signature made."""
        return not self.problems


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
    refresh: bool = False,
) -> LetterBatch:
    """Letters for ``steps`` (from ``run.review.plan``): .docx, PDFs, a bundle for signature, a log line each.

    Tasks (a call) are skipped with a reason, and so is a letter the debtor's data
    cannot make (``LetterError``). Each letter is logged in Acties with its document
    and SHA-256 through the write-back, so the next review moves on to the next step
    and a rerun never makes the same letter twice. A letter is logged only when it
    exists as asked: with a PDF converter, only when its PDF came out; the others
    are named in ``failed`` and ``problems``. Raises ``LettersNotMade`` before
    making anything when the workbook file changed since ``run`` read it, or another
    review holds it.

    With ``refresh`` the same write also replaces the result sheets with those of
    the review that follows from the new log rows (``run_month_with_letters``).
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
    nothing = LetterBatch((), None, None, tuple(skipped), ("Er zijn geen brieven te maken.",))
    if not letters and not (write and refresh):
        return nothing
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
            try:  # refuse before making anything when the workbook cannot be written
                check_writable(Path(target))
            except WriteBackRefused as refused:
                raise LettersNotMade(str(refused)) from None
        if not letters:  # the review's result sheets all the same
            logged = write_back(
                target,
                result_sheets(run.review),
                None,
                generated_at=generated_at,
                peildatum=run.review.peildatum,
                key_types=run.register.key_types,
            )
            return replace(
                nothing,
                logged=logged,
                review=run.review,
                register=run.register,
                messages=(*nothing.messages, logged.summary()),
            )
        return _make_and_log(
            run,
            letters,
            skipped,
            steps_made,
            notes,
            out,
            target,
            letter_date=letter_date,
            generated_at=generated_at,
            progress=progress,
            write=write,
            refresh=refresh,
        )


def _make_and_log(
    run, letters, skipped, steps_made, notes, out, target, *, letter_date, generated_at, progress, write, refresh
) -> LetterBatch:
    from .dunning_letters import log_entries
    from .letters import KIND_LABELS, make_bundle, render_letters

    source = run.register.source
    done = iter(range(len(letters)))

    def rendering(letter) -> None:
        if progress:
            progress(next(done), len(letters), f"{KIND_LABELS[letter.kind]} voor {letter.debtor.name}")

    try:
        out.mkdir(parents=True, exist_ok=True)
        sent = logged_letters(out, run.register)
        rendered = render_letters(letters, out, progress=rendering, taken={out / f"{stem}.docx" for stem in sent})
        if progress:
            progress(len(letters), len(letters), "PDF's en bundel maken")
        name = "brievenbundel" if not sent else f"brievenbundel-{generated_at:%H%M%S}"
        bundle = make_bundle(rendered, out, name=name)
    except Exception:
        # The letters failed halfway: the review's result sheets still go into the workbook, on their own.
        if write and refresh:
            _write_results_anyway(target, run, generated_at)
        raise
    step_of = {item.docx.resolve(): step for item, step in zip(rendered, steps_made)}
    failed = tuple((step_of[f.docx.resolve()], f.reason) for f in bundle.failed)
    made = len(bundle.documents)
    messages = [f"{made} brie{'ven' if made != 1 else 'f'} gemaakt in {out}."]
    if bundle.pdf is not None:
        messages.append(f"Bundel om te tekenen: {bundle.pdf}")
    messages += list(bundle.warnings) + notes
    drafts = _email_drafts(bundle.documents, run.register, out)
    draft_of = {d.letter.resolve(): d.eml for d in drafts.drafts}
    messages += drafts.messages(out)
    rows = []
    for document in bundle.documents:
        step = step_of[document.docx.resolve()]
        letter = document.letter
        try:
            shown = document.document.relative_to(Path(getattr(source, "parent", out)).resolve())
        except ValueError:
            shown = document.document
        entries = log_entries(step, letter)
        eml = draft_of.get(document.document.resolve())
        if eml is not None and entries:  # a draft is not a sent e-mail: the log says so
            soort, invoice_ids, what = entries[0]
            entries[0] = (soort, invoice_ids, f"{what}. E-mailconcept klaargezet, nog niet verzonden: {eml.name}")
        # One row per step the letter took (one letter per debtor per day may hold several), same document.
        for soort, invoice_ids, what in entries:
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
    problems = failed_letters_text(failed, out) if failed else []
    if bundle.documents and bundle.pdfs_asked and bundle.pdf is None:
        problems.append(
            "De bundel om te tekenen ontbreekt (zie hierboven); de brieven zelf zijn gemaakt en vastgelegd."
        )
    logged = refreshed = register = None
    if write:
        frame = pd.DataFrame(rows) if rows else None
        sheets = ()
        if refresh:
            register = with_actions(run.register, rows) if rows else run.register
            refreshed = dated_review(review(register, run.review.peildatum), letter_date) if rows else run.review
            sheets = result_sheets(refreshed)
        if frame is not None or sheets:
            logged = write_back(
                target,
                sheets,
                frame,
                generated_at=generated_at,
                peildatum=run.review.peildatum,
                key_types=run.register.key_types,
            )
            messages.append(logged.summary())
    return LetterBatch(
        tuple(rendered),
        bundle,
        logged,
        tuple(skipped),
        tuple(messages),
        failed,
        tuple(problems),
        refreshed,
        register,
        drafts,
    )


def _email_drafts(documents, register: Register, out: Path):
    """Unsent e-mails of the reminders to debtors with an E-mail; a failure to write them is told, not raised.

    The letters are made and will be logged either way: a draft that could not be written
    must not cost the dossier its entries.
    """
    from .letters.email_drafts import EmailDrafts, write_email_drafts
    from .register.writeback import file_error_text

    addresses = dict(zip(register.debtors["debtor_id"], register.debtors["email"]))
    try:
        return write_email_drafts(documents, addresses, out)
    except OSError as error:
        return EmailDrafts(
            failure=f"De e-mailconcepten konden niet worden geschreven: {file_error_text(error)}. "
            "De brieven zelf zijn gemaakt."
        )


def failed_letters_text(failed: Sequence[tuple[ProposedStep, str]], out: Path) -> list[str]:
    """Dutch lines naming each letter without its PDF, and what to do."""
    count = len(failed)
    lines = [
        (
            f"Van {count} brie{'ven' if count != 1 else 'f'} is geen PDF gemaakt. "
            f"{'Deze staan' if count != 1 else 'Deze staat'} niet in het logboek en niet in de bundel:"
        )
    ]
    lines += [f"- {step.debtor_id} {step.name} ({step.action}): {reason}." for step, reason in failed]
    lines.append(
        "Wat te doen: maak de brieven opnieuw (opdrachtregel: 'debiteuren review --brieven'; app: 'Brieven maken "
        "en vastleggen'); alleen de brieven die nog niet in het logboek staan worden dan gemaakt. Mislukt het "
        f"weer, open dan het Word-bestand van die debiteur in {out} en kijk of het te openen en als PDF op te "
        "slaan is."
    )
    return lines


def with_actions(register: Register, rows: Sequence[dict]) -> Register:
    """The register as it reads once ``rows`` (Dutch headers, as written to Acties) are appended to its log.

    Typed by the same code that reads the sheet, so the refreshed review sees exactly what a reread would.
    """
    from .register.problem_collector import Collector
    from .register.schema import SHEETS
    from .register.sheet_typing import read_sheet
    from .register.tables import RawTable, normalise_cell

    headers = tuple(rows[0])
    first = int(register.actions["excel_row"].max()) + 1 if len(register.actions) else 2
    raw = RawTable(
        sheet="Acties",
        header_row=first - 1,
        headers=headers,
        excel_rows=tuple(range(first, first + len(rows))),
        columns=tuple(tuple(normalise_cell(row[h]) for row in rows) for h in headers),
        from_table=True,
    )
    problems = Collector()
    frame, _ = read_sheet(raw, SHEETS["Acties"], problems)
    if problems.errors:  # our own rows: a bug, never the controller's input
        raise ValueError(f"log rows that do not read back: {problems.errors}")
    actions = pd.concat([register.actions, frame[register.actions.columns]], ignore_index=True)
    return replace(register, actions=actions)


def _write_results_anyway(target, run: MonthlyRun, generated_at: datetime) -> None:
    """The review's result sheets after letters that failed; a failure here leaves the first error to report."""
    try:
        write_back(
            target,
            result_sheets(run.review),
            None,
            generated_at=generated_at,
            peildatum=run.review.peildatum,
            key_types=run.register.key_types,
        )
    except (WriteBackRefused, OSError):
        pass


def run_month_with_letters(
    source,
    peildatum: date,
    *,
    generated_at: datetime,
    letter_date: date,
    steps: Sequence[ProposedStep] | None = None,
    reviewed: MonthlyRun | None = None,
    out_dir: Path | None = None,
    progress: Callable[[int, int, str], None] | None = None,
) -> tuple[MonthlyRun, LetterBatch]:
    """The review with letters, as both front ends run it: review, letters, log and refresh.

    Reads and reviews ``source`` as of ``peildatum`` (or takes ``reviewed``, the
    run the controller chose ``steps`` from), makes the letters for ``steps``
    (default: every step due now), and writes in ONE write (one backup) the
    letters' log rows and the result sheets of the review that follows from them,
    so the Actielijst no longer lists the steps just sent. When the letters fail
    halfway the review's result sheets are written on their own and the error is
    raised. Returns the run as written (its review is the refreshed one) and the batch.
    """
    target = workbook_target(source) if reviewed is None else workbook_target(reviewed.register.source)
    with ExitStack() as held:
        if _is_file_target(target) and Path(target).is_file():
            try:
                held.enter_context(register_lock(Path(target)))
            except WorkbookBusy as busy:
                raise LettersNotMade(str(busy)) from None
        run = reviewed or run_month(target, peildatum, generated_at=generated_at, write=False, letter_date=letter_date)
        chosen = run.review.plan.due() if steps is None else steps
        batch = generate_letters(
            run,
            chosen,
            out_dir,
            letter_date=letter_date,
            generated_at=generated_at,
            progress=progress,
            write=True,
            refresh=True,
        )
    identity = file_identity(Path(target)) if _is_file_target(target) and Path(target).is_file() else None
    return MonthlyRun(batch.register or run.register, batch.review or run.review, batch.logged, identity), batch
