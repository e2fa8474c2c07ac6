"""Benchmark of the whole month on a small, medium or large register (issue 8).

    python bench/run.py --size small|medium|large [--json] [--repeat N]
    python bench/run.py --size medium --size large --markdown bench/results.md

Each phase runs ``--repeat`` times and the median is reported; beside it, in
the same run, what a user would otherwise do (the baseline):

- ``read``: ``read_register`` vs ``pandas.read_excel(engine="openpyxl")`` of
  the same data sheets;
- ``review``: ``review.review`` (open items, ageing, KPIs, segments, forecast,
  dunning plan, interest for every open invoice) vs a plain per-invoice Python
  loop (payments allocated per invoice, ageing, per-debtor totals, interest per
  open invoice with the exact single-claim calculator
  ``law.interest.calculate_interest``). On large the loop runs on a sample of
  debtors and is extrapolated linearly by invoice count;
- ``write_back``: ``write_back`` of the four result sheets and 100 log rows vs
  openpyxl load, write the same cells, save (both on a fresh copy);
- ``app_load``: the monthly review app's view (``app.MaandReview``) made and
  loaded as the notebook's cells do it: read, review and every widget of the
  page (no baseline; the browser's drawing and Voilà's kernel start come on top);
- ``letters_docx``: 100 letters rendered to .docx (no baseline);
- ``letters_pdf``: the 100 .docx converted in one LibreOffice call vs one call
  per file (timed on a sample of 10 files, extrapolated linearly);
- ``letters_batch_pdf``: a batch of 500 letters as the review makes it: .docx,
  PDFs in chunks under one LibreOffice profile (what fails is retried), the
  signing list and the merged bundle (``letters.make_bundle``), once; every
  letter must come out (no baseline). ``--only letters_batch_pdf`` runs just this.

Peak memory: the whole month (read, review, result sheets, write-back, 100
.docx letters) runs in a child process, which reports its own
``resource.getrusage(RUSAGE_SELF).ru_maxrss``; during the read it adds that of the
read's second process on a large file (``RUSAGE_CHILDREN``; LibreOffice not included). CPU
seconds count finished child processes too.

The openpyxl and per-file baselines are slow on the large register: they run
``--baseline-repeat`` times (default: once on large). Generated registers are
cached in ``bench/.cache/`` (gitignored).
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import traceback
from contextlib import contextmanager
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from importlib import metadata
from pathlib import Path

HERE = Path(__file__).resolve().parent
CACHE = HERE / ".cache"

# size -> (debtors, months); 24 months of the generator give ~25 invoices per debtor.
SIZES = {
    "small": (60, 24),  # the demo register
    "medium": (2_000, 24),  # ~50,000 invoices
    "large": (10_000, 24),  # ~250,000 invoices
}
DEFAULT_REPEAT = {"small": 5, "medium": 3, "large": 3}
DEFAULT_BASELINE_REPEAT = {"small": 3, "medium": 1, "large": 1}
# Fraction of debtors the review baseline loops over (then extrapolated).
REVIEW_BASELINE_SAMPLE = {"small": 1, "medium": 1, "large": 10}  # every n-th debtor
PHASES = ("read", "review", "app_load", "write_back", "letters_docx", "letters_pdf", "letters_batch_pdf")
LETTERS = 100
LETTERS_BATCH = 500
LOG_ROWS = 100
PDF_SAMPLE = 10

# Targets of issue 8 (2-core machine, large register).
TARGETS = {
    "read": {"seconds": 4.0, "ratio": 5.0},
    "review": {"seconds": 2.0},
    "app_load": {"seconds": 10.0},  # the page filled on the large register; the medium one in a few seconds
    "write_back": {"seconds": 3.0, "ratio": 10.0},
    "letters_docx": {"seconds": 4.0},
    "letters_pdf": {"ratio": 5.0},
}
PEAK_MEMORY_TARGET_MB = 2048.0
GENERATED_AT = datetime(2026, 11, 23, 9, 0)


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def timed(fn, *args, **kwargs):
    start = time.perf_counter()
    result = fn(*args, **kwargs)
    return time.perf_counter() - start, result


# CPU seconds of this process for the last median_of call (median over the runs): on a
# shared machine wall time depends on the load, CPU time much less.
LAST_CPU: list[float] = [0.0]


def cpu_seconds() -> float:
    """CPU of this process and its finished children (the second process of a split read)."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def median_of(fn, repeat: int, setup=None) -> tuple[float, list[float], object]:
    """Median wall time of ``fn(*setup())`` over ``repeat`` runs (setup untimed)."""
    times, cpu, result = [], [], None
    for _ in range(max(1, repeat)):
        # A user's process does not hold the previous run's result: drop it before timing
        # (a large read forks, and a heap full of a previous register slows the fork's copy-on-write).
        result = None
        gc.collect()
        args = setup() if setup else ()
        start_cpu = cpu_seconds()
        seconds, result = timed(fn, *args)
        cpu.append(cpu_seconds() - start_cpu)
        times.append(seconds)
    LAST_CPU[0] = statistics.median(cpu)
    return statistics.median(times), times, result


# --------------------------------------------------------------------------
# The register.


def register_path(size: str) -> Path:
    from debiteuren.demo import DEMO_SEED, build_demo

    debtors, months = SIZES[size]
    path = CACHE / f"{size}-{debtors}d-{months}m-{DEMO_SEED}.xlsx"
    if not path.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        log(f"generating the {size} register ({debtors} debtors, {months} months) -> {path}")
        partial = path.with_suffix(".tmp.xlsx")
        build_demo(partial, debtors=debtors, months=months, seed=DEMO_SEED)
        partial.replace(path)
    return path


def counts(register) -> dict[str, int]:
    return {
        "debtors": len(register.debtors),
        "invoices": len(register.invoices),
        "payments": len(register.payments),
        "log_rows": len(register.actions),
    }


# --------------------------------------------------------------------------
# Phase: read.


def read_ours(path: Path):
    from debiteuren.register import read_register

    return read_register(path, live=False)


def read_baseline(path: Path):
    import pandas as pd

    from debiteuren.register.schema import SHEETS

    return pd.read_excel(path, sheet_name=list(SHEETS), engine="openpyxl")


# --------------------------------------------------------------------------
# Phase: the app's page.


def app_load(path: Path, peildatum: date):
    """The monthly review's view made and loaded, as notebooks/maandreview.ipynb does (read and review included)."""
    from debiteuren.app import MaandReview

    view = MaandReview(path, peildatum, clock=lambda: GENERATED_AT, load=False)
    view.load()
    return view


# --------------------------------------------------------------------------
# Phase: review baseline, a straightforward per-invoice Python loop.


def _consumer_first_days(register, peildatum: date, chosen: set) -> dict:
    """invoice_id -> first interest day of a consumer invoice: the day after the term of the first notice.

    A plain loop over the log rows of the chosen debtors (the rule of ``invoice_interest.py``).
    """
    from debiteuren.dunning import parse_invoice_list, step_term_end

    terms = {s.action: s.term_days for s in register.policy}
    notices = []
    for row in register.actions.itertuples(index=False):
        if row.debtor_id in chosen and row.kind in ("Ingebrekestelling", "Veertiendagenbrief"):
            if row.action_date.date() <= peildatum:
                notices.append(row)
    notices.sort(key=lambda r: r.action_date)
    due_dates: dict[str, list] = {}
    if any(not parse_invoice_list(r.invoice_ids) for r in notices):
        for row in register.invoices.itertuples(index=False):
            if row.debtor_id in chosen:
                due_dates.setdefault(row.debtor_id, []).append((row.invoice_id, row.due_date))
    first: dict[str, date] = {}
    for row in notices:
        sent = row.action_date.date()
        start = step_term_end(row.kind, sent, terms.get(row.kind) or 14) + timedelta(days=1)
        named = parse_invoice_list(row.invoice_ids) or [
            i for i, due in due_dates.get(row.debtor_id, []) if due < row.action_date
        ]
        for invoice_id in named:
            first.setdefault(invoice_id, start)
    return first


def sample_register(register, every: int):
    """The register with only every ``every``-th debtor and their rows (untimed setup of the baseline)."""
    import dataclasses

    if every <= 1:
        return register
    ids = register.debtors["debtor_id"].iloc[::every]
    keep = set(ids)

    def own(frame):
        return frame.loc[frame["debtor_id"].isin(keep)]

    return dataclasses.replace(
        register, debtors=own(register.debtors), invoices=own(register.invoices), payments=own(register.payments),
        actions=own(register.actions), arrangements=own(register.arrangements),
    )  # fmt: skip


def review_baseline(register, peildatum: date, every: int = 1) -> dict:
    """Open items, ageing, per-debtor totals, simple KPIs and interest per open invoice.

    Plain Python over the rows of every ``every``-th debtor: payments go to the
    invoice they name, the rest (and credit notes) to the oldest open invoice
    first; interest per open invoice with ``calculate_interest`` (exact, per
    claim). Returns totals and the number of invoices looked at.
    """
    from debiteuren.invoice_interest import register_rates
    from debiteuren.law.interest import calculate_interest

    rates = register_rates(register)
    compound = register.settings.compound_interest
    buckets = register.settings.ageing_buckets
    debtor_ids = list(register.debtors["debtor_id"])[::every]
    chosen = set(debtor_ids)
    kind_of = dict(zip(register.debtors["debtor_id"], register.debtors["kind"]))
    consumer_first = {} if register.settings.terms_are_fatal else _consumer_first_days(register, peildatum, chosen)

    invoices: dict[str, list] = {d: [] for d in debtor_ids}
    looked_at = 0
    for row in register.invoices.itertuples(index=False):
        if row.debtor_id in chosen:
            looked_at += 1
            issued = row.invoice_date.date()
            if issued <= peildatum:
                due = row.due_date.date() if row.due_date == row.due_date else issued
                invoices[row.debtor_id].append([row.invoice_id, issued, due, int(row.amount_cents), 0])
    payments: dict[str, list] = {d: [] for d in debtor_ids}
    for row in register.payments.itertuples(index=False):
        if row.debtor_id in chosen and row.payment_date.date() <= peildatum:
            target = row.invoice_id if isinstance(row.invoice_id, str) else None
            payments[row.debtor_id].append((row.payment_date.date(), int(row.amount_cents), target))

    totals = {"open_cents": 0, "overdue_cents": 0, "interest_cents": 0, "open_invoices": 0}
    ageing = [0] * (len(buckets) + 2)
    three_months_ago = peildatum - timedelta(days=91)
    sales_3m = 0
    for debtor in debtor_ids:
        bills = sorted((i for i in invoices[debtor] if i[3] > 0), key=lambda i: (i[2], i[1], i[0]))
        by_id = {i[0]: i for i in bills}
        pool = [(i[1], -i[3], None) for i in invoices[debtor] if i[3] < 0]  # credit notes
        for day, amount, target in sorted(payments[debtor] + pool, key=lambda p: p[0]):
            bill = by_id.get(target) if target else None
            if bill is not None:
                applied = min(amount, bill[3] - bill[4])
                bill[4] += applied
                amount -= applied
            for bill in bills:
                if amount <= 0:
                    break
                applied = min(amount, bill[3] - bill[4])
                bill[4] += applied
                amount -= applied
        for invoice_id, issued, due, amount, paid in bills:
            if issued >= three_months_ago:
                sales_3m += amount
            open_cents = amount - paid
            if open_cents <= 0:
                continue
            totals["open_invoices"] += 1
            totals["open_cents"] += open_cents
            late = (peildatum - due).days
            if late > 0:
                totals["overdue_cents"] += open_cents
            ageing[sum(1 for b in buckets if late > b) + (1 if late > 0 else 0)] += open_cents
            if kind_of.get(debtor) == "zakelijk":
                kind, first = "handelsrente", due + timedelta(days=1)
            else:
                kind, first = "wettelijke", consumer_first.get(invoice_id)
            if first is None or first > peildatum:
                continue
            result = calculate_interest(
                Decimal(open_cents) / 100, first, peildatum, kind, rates=rates, compound=compound
            )
            totals["interest_cents"] += int(result.interest * 100)
    totals["dso_simple"] = round(totals["open_cents"] / sales_3m * 91, 1) if sales_3m else None
    totals["ageing"] = ageing
    totals["invoices_looked_at"] = looked_at
    return totals


# --------------------------------------------------------------------------
# Phase: write-back.


def baseline_of(args, fn, repeat: int, setup):
    """``median_of`` for a baseline, or (None, [], None) with ``--skip-baselines``."""
    if args.skip_baselines:
        return None, [], None
    return median_of(fn, repeat, setup)


def log_rows(register, peildatum: date, n: int = LOG_ROWS):
    """``n`` rows for the Acties log, one reminder per debtor with something overdue."""
    import pandas as pd

    items = register.invoices
    overdue = items.loc[items["due_date"] < pd.Timestamp(peildatum)]
    debtors = list(dict.fromkeys(overdue["debtor_id"]))
    rows = []
    for i in range(n):
        debtor = debtors[i % len(debtors)]
        first = overdue.loc[overdue["debtor_id"] == debtor, "invoice_id"].iloc[0]
        rows.append(
            {
                "Datum": peildatum,
                "Debiteurnummer": debtor,
                "Factuurnummers": first,
                "Soort": "Betalingsherinnering",
                "Omschrijving": f"Herinnering {i + 1} verstuurd (benchmark)",
                "Door": "benchmark",
                "Document": f"brieven/herinnering-{i + 1}.pdf",
            }
        )
    return pd.DataFrame(rows)


def fresh_copy(path: Path, workdir: Path) -> Path:
    target = Path(tempfile.mkdtemp(dir=workdir)) / path.name
    shutil.copyfile(path, target)
    return target


def write_ours(copy: Path, sheets, actions, peildatum: date):
    from debiteuren.register.writeback import write_back

    return write_back(copy, sheets, actions, generated_at=GENERATED_AT, peildatum=peildatum)


def write_baseline(copy: Path, sheets, actions, peildatum: date):
    """openpyxl: load the workbook, replace the result sheets, append the log rows, save."""
    import openpyxl

    book = openpyxl.load_workbook(copy)
    for sheet in sheets:
        if sheet.name in book.sheetnames:
            del book[sheet.name]
        ws = book.create_sheet(sheet.name)
        ws.append([f"Gegenereerd op {GENERATED_AT:%d-%m-%Y %H:%M} uit het register per peildatum {peildatum:%d-%m-%Y}"])
        ws.append([])
        ws.append([str(c) for c in sheet.frame.columns])
        for row in sheet.frame.itertuples(index=False):
            ws.append(list(row))
    log_sheet = book["Acties"]
    headers = [c.value for c in log_sheet[1]]
    for record in actions.to_dict("records"):
        log_sheet.append([record.get(h) for h in headers])
    if "Acties" in log_sheet.tables:
        table = log_sheet.tables["Acties"]
        table.ref = f"{table.ref.split(':')[0]}:{table.ref.split(':')[1].rstrip('0123456789')}{log_sheet.max_row}"
    book.save(copy)


# --------------------------------------------------------------------------
# Phase: letters.


def _text(value) -> str:
    import pandas as pd

    return "" if value is None or pd.isna(value) else str(value)


def build_letters(register, result, n: int = LETTERS):
    """``n`` Letter records from the review: reminders and notices of default with real invoices."""
    import pandas as pd

    from debiteuren.law.collection_costs import collection_costs
    from debiteuren.letters import Company, Debtor, InvoiceLine, Letter, LetterError
    from debiteuren.money import cents_to_decimal

    s = register.settings
    company = Company(
        name=s.company_name, iban=s.iban, bic=s.bic, address=s.company_address, postcode=s.company_postcode,
        city=s.company_city, phone=s.company_phone, email=s.company_email, kvk=s.kvk, vat_number=s.vat_number,
        signatory=s.signatory, signatory_title=s.signatory_title, collection_agency=s.collection_agency,
    )  # fmt: skip
    peildatum = result.peildatum
    items = result.ledger.open_items
    items = items.loc[items["due_date"] < pd.Timestamp(peildatum)]
    interest = dict(zip(result.interest["invoice_id"], result.interest["interest_cents"]))
    debtors = register.debtors.drop_duplicates("debtor_id").set_index("debtor_id")
    groups = [(d, g.head(5)) for d, g in items.groupby("debtor_id", sort=False)]
    letters: list = []
    for i in range(n * 3):
        if len(letters) >= n or not groups:
            break
        debtor_id, rows = groups[i % len(groups)]
        info = debtors.loc[debtor_id]
        debtor = Debtor(
            number=str(debtor_id), name=_text(info["name"]), contact=_text(info.get("contact")),
            address=_text(info.get("address")), postcode=_text(info.get("postcode")), city=_text(info.get("city")),
            country=_text(info.get("country")) or "NL", language=_text(info.get("language")) or "nl",
            kind=_text(info["kind"]),
        )  # fmt: skip
        lines = tuple(
            InvoiceLine(
                r.invoice_id,
                r.invoice_date.date(),
                r.due_date.date(),
                cents_to_decimal(int(r.amount_cents)),
                cents_to_decimal(int(r.open_cents)),
                max((peildatum - r.due_date.date()).days, 0),
            )
            for r in rows.itertuples(index=False)
        )
        principal = sum((line.open_amount for line in lines), Decimal(0))
        notice = i % 2 == 1
        fields = dict(kind="betalingsherinnering", company=company, debtor=debtor, letter_date=peildatum,
                      pay_by=peildatum + timedelta(days=7), invoices=lines)  # fmt: skip
        if notice and debtor.kind == "zakelijk":
            fields.update(
                kind="ingebrekestelling",
                interest=cents_to_decimal(sum(int(interest.get(r.invoice_id, 0)) for r in rows.itertuples())),
                collection_costs=collection_costs(principal).costs,
            )
        try:
            letters.append(Letter(**fields))
        except LetterError:
            continue
    return letters


def render_ours(letters, out: Path):
    from debiteuren.letters import render_letters

    return render_letters(letters, out)


def pdf_batch(documents, out: Path):
    from debiteuren.letters import convert_to_pdf

    return convert_to_pdf(documents, out)


def pdf_one_by_one(documents, out: Path):
    from debiteuren.letters import convert_to_pdf

    for document in documents:
        convert_to_pdf([document], out)


# --------------------------------------------------------------------------
# Peak memory: the whole month in a child process.


def letters_batch_pdf(register, result, n: int, workdir: Path, phases: dict, notes: list[str]) -> None:
    """``n`` letters through the whole letters pipeline (docx, PDFs in chunks, signing list, bundle), once."""
    from debiteuren.letters import make_bundle, render_letters
    from debiteuren.letters.pdf import converter

    if converter() is None:
        notes.append("letters_batch_pdf: not measured, no PDF converter (LibreOffice soffice) on this machine")
        return
    letters = build_letters(register, result, n)
    out = Path(tempfile.mkdtemp(dir=workdir))
    log(f"letters_batch_pdf: {len(letters)} letters: .docx, PDFs, signing list, bundle (once)")
    cpu = cpu_seconds()
    seconds, bundle = timed(lambda: make_bundle(render_letters(letters, out), out))
    pdfs = sum(1 for d in bundle.documents if d.pdf is not None and d.pdf.exists())
    phases["letters_batch_pdf"] = phase_entry(
        seconds,
        cpu_seconds=cpu_seconds() - cpu,
        letters=len(letters),
        pdfs=pdfs,
        failed=len(bundle.failed),
        bundle=bundle.pdf is not None,
    )
    notes.append(
        f"letters_batch_pdf: {len(letters)} letters, {pdfs} PDFs, {len(bundle.failed)} failed, "
        f"bundle {'made' if bundle.pdf is not None else 'MISSING'}; one run (CPU includes LibreOffice)"
    )


def month_child(path: Path, workdir: Path, letters_n: int) -> dict:
    """Run in the child: read, review, result sheets, write-back (on a copy), letters; report ru_maxrss."""
    from debiteuren.result_sheets import result_sheets
    from debiteuren.review import review

    from debiteuren.demo import DEMO_PEILDATUM

    copy = fresh_copy(path, workdir)
    register = read_ours(copy)
    # The read's second process (RUSAGE_CHILDREN) lived only during the read, beside this one:
    # this process's peak so far plus the child's is an upper bound of the read's memory
    # (pages shared since the fork are counted twice).
    during_read = (
        resource.getrusage(resource.RUSAGE_SELF).ru_maxrss + resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    )
    result = review(register, DEMO_PEILDATUM)
    write_ours(copy, result_sheets(result), log_rows(register, DEMO_PEILDATUM), DEMO_PEILDATUM)
    render_ours(build_letters(register, result, letters_n), Path(tempfile.mkdtemp(dir=workdir)))
    rss = max(during_read, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
    # ru_maxrss is in KiB on Linux, in bytes on macOS.
    return {"peak_memory_mb": rss / (1024 * 1024 if sys.platform == "darwin" else 1024)}


def read_child(path: Path) -> dict:
    """Run in a fresh process: one read, as ``debiteuren review`` does it; wall and CPU seconds."""
    from debiteuren.register import read_register

    start_cpu = cpu_seconds()
    start = time.perf_counter()
    read_register(path, live=False)
    return {"seconds": time.perf_counter() - start, "cpu_seconds": cpu_seconds() - start_cpu}


def read_in_fresh_processes(path: Path, repeat: int) -> tuple[float, list[float]]:
    """Median wall time of ``read_child`` over ``repeat`` fresh processes (start-up not timed).

    A controller's command reads the register once, in a new process; a long-lived process that has
    read before has a larger heap, which slows the read's fork (copy-on-write) by a few tenths.
    """
    times, cpu = [], []
    for _ in range(max(1, repeat)):
        command = [sys.executable, str(Path(__file__).resolve()), "--read-child", str(path)]
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise RuntimeError(f"the read child failed:\n{done.stderr[-2000:]}")
        measured = json.loads(done.stdout.strip().splitlines()[-1])
        times.append(measured["seconds"])
        cpu.append(measured["cpu_seconds"])
    LAST_CPU[0] = statistics.median(cpu)
    return statistics.median(times), times


def peak_memory(path: Path, workdir: Path, letters_n: int) -> float:
    command = [sys.executable, str(Path(__file__).resolve()), "--month-child", str(path),
               "--workdir", str(workdir), "--letters", str(letters_n)]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"the month child failed:\n{done.stderr[-2000:]}")
    return float(json.loads(done.stdout.strip().splitlines()[-1])["peak_memory_mb"])


# --------------------------------------------------------------------------
# One size.


def phase_entry(seconds: float, baseline: float | None = None, **extra) -> dict:
    entry = {"seconds": seconds}
    if baseline is not None:
        entry["baseline_seconds"] = baseline
        entry["ratio"] = baseline / seconds if seconds > 0 else None
    entry.update(extra)
    return entry


@contextmanager
def guarded(name: str, notes: list[str]):
    """A phase that fails is reported (note and traceback on stderr); the other phases still run."""
    try:
        yield
    except Exception as error:  # noqa: BLE001 - the benchmark reports, it does not crash
        log(f"{name} failed:\n{traceback.format_exc()}")
        notes.append(f"{name}: FAILED, not measured ({type(error).__name__}: {str(error)[:300]})")


def run_size(size: str, args) -> dict:
    from debiteuren.demo import DEMO_PEILDATUM
    from debiteuren.letters.pdf import converter
    from debiteuren.result_sheets import result_sheets
    from debiteuren.review import review

    repeat = args.repeat or DEFAULT_REPEAT[size]
    base_repeat = args.baseline_repeat or DEFAULT_BASELINE_REPEAT[size]
    peildatum = DEMO_PEILDATUM
    path = register_path(size)
    workdir = Path(tempfile.mkdtemp(prefix=f"bench-{size}-", dir=CACHE))
    phases: dict[str, dict] = {}
    notes: list[str] = [
        f"ours: median of {repeat} runs; baselines: median of {base_repeat} run(s)"
        if not args.skip_baselines
        else f"ours: median of {repeat} runs; baselines skipped"
    ]
    register = result = sheets = actions = letters = None
    memory = None
    try:
        if args.only == "letters_batch_pdf":
            register = read_ours(path)
            result = review(register, peildatum)
            with guarded("letters_batch_pdf", notes):
                letters_batch_pdf(register, result, args.letters_batch, workdir, phases, notes)
            return {
                "size": size,
                "phases": phases,
                "peak_memory_mb": None,
                "counts": counts(register),
                "register_mb": round(path.stat().st_size / 2**20, 1),
                "notes": notes,
            }
        with guarded("read", notes):
            log(f"{size}: read x{repeat}")
            seconds, times = read_in_fresh_processes(path, repeat)
            cpu = LAST_CPU[0]
            notes.append("read: each run in a fresh process, as `debiteuren review` reads (start-up not timed)")
            log(f"{size}: read {times}; openpyxl baseline x{base_repeat}")
            baseline, _, _ = baseline_of(args, read_baseline, base_repeat, lambda: (path,))
            phases["read"] = phase_entry(seconds, baseline, cpu_seconds=cpu)
        if register is None:
            register = read_ours(path)  # the other phases need it; a failure here ends this size

        with guarded("review", notes):
            log(f"{size}: review x{repeat}")
            seconds, times, result = median_of(review, repeat, lambda: (register, peildatum))
            cpu = LAST_CPU[0]
            every = args.review_sample or REVIEW_BASELINE_SAMPLE[size]
            log(f"{size}: review {times}; per-invoice loop baseline (every {every}. debtor)")
            sampled = sample_register(register, every)
            raw, _, loop = baseline_of(args, review_baseline, base_repeat, lambda: (sampled, peildatum))
            scale = len(register.invoices) / max(loop["invoices_looked_at"], 1) if loop else 1
            extra = {"cpu_seconds": cpu}
            if loop is None:
                pass
            elif every > 1:
                extra |= {"baseline_sampled_invoices": loop["invoices_looked_at"], "baseline_measured_seconds": raw}
                notes.append(
                    f"review baseline: timed on every {every}th debtor ({loop['invoices_looked_at']} of "
                    f"{len(register.invoices)} invoices, {raw:.2f} s) and extrapolated linearly (x{scale:.2f})"
                )
            else:
                ours_open = result.ledger.open_cents
                ours_interest = int(result.interest["interest_cents"].sum())
                notes.append(
                    f"review baseline check: open {loop['open_cents'] / 100:.2f} vs ours {ours_open / 100:.2f} EUR; "
                    f"interest {loop['interest_cents'] / 100:.2f} vs ours {ours_interest / 100:.2f} EUR"
                )
            phases["review"] = phase_entry(seconds, raw * scale if raw is not None else None, **extra)
        if result is None:
            result = review(register, peildatum)

        with guarded("app_load", notes):
            log(f"{size}: app view x{repeat}")
            seconds, times, _ = median_of(app_load, repeat, lambda: (path, peildatum))
            phases["app_load"] = phase_entry(seconds, cpu_seconds=LAST_CPU[0])
            log(f"{size}: app view {times}")

        with guarded("write_back", notes):
            sheets = result_sheets(result)
            actions = log_rows(register, peildatum)
            log(f"{size}: write-back x{repeat}")
            seconds, times, _ = median_of(
                write_ours, repeat, lambda: (fresh_copy(path, workdir), sheets, actions, peildatum)
            )
            cpu = LAST_CPU[0]
            log(f"{size}: write-back {times}; openpyxl load-and-save baseline x{base_repeat}")
            baseline, _, _ = baseline_of(
                args, write_baseline, base_repeat, lambda: (fresh_copy(path, workdir), sheets, actions, peildatum)
            )
            phases["write_back"] = phase_entry(seconds, baseline, cpu_seconds=cpu)

        documents = []
        with guarded("letters_docx", notes):
            letters = build_letters(register, result, args.letters)
            notes.append(f"letters: {len(letters)} records built from the review's overdue invoices")
            log(f"{size}: {len(letters)} letters to .docx x{repeat}")
            seconds, times, rendered = median_of(
                render_ours, repeat, lambda: (letters, Path(tempfile.mkdtemp(dir=workdir)))
            )
            phases["letters_docx"] = phase_entry(seconds, cpu_seconds=LAST_CPU[0])
            documents = [r.docx for r in rendered]
            log(f"{size}: letters docx {times}")

        with guarded("letters_pdf", notes):
            if converter() is None:
                notes.append("letters_pdf: not measured, no PDF converter (LibreOffice soffice) on this machine")
            elif documents:
                pdf_repeat = args.pdf_repeat or min(repeat, 3)
                log(f"{size}: PDF of {len(documents)} letters in one call x{pdf_repeat}")
                seconds, times, _ = median_of(
                    pdf_batch, pdf_repeat, lambda: (documents, Path(tempfile.mkdtemp(dir=workdir)))
                )
                sample = documents[: min(args.pdf_sample, len(documents))]
                log(f"{size}: PDF batch {times}; one call per file on {len(sample)} files")
                raw, _, _ = baseline_of(args, pdf_one_by_one, 1, lambda: (sample, Path(tempfile.mkdtemp(dir=workdir))))
                scale = len(documents) / len(sample)
                if raw is None:
                    phases["letters_pdf"] = phase_entry(seconds)
                else:
                    phases["letters_pdf"] = phase_entry(seconds, raw * scale, baseline_sampled_files=len(sample),
                                                        baseline_measured_seconds=raw)  # fmt: skip
                if raw is not None:
                    notes.append(
                        f"letters_pdf baseline: one soffice call per file timed on {len(sample)} files ({raw:.2f} s), "
                        f"extrapolated linearly to {len(documents)}"
                    )

        with guarded("letters_batch_pdf", notes):
            letters_batch_pdf(register, result, args.letters_batch, workdir, phases, notes)

        with guarded("peak_memory", notes):
            log(f"{size}: peak memory of the whole month in a child process")
            memory = peak_memory(path, workdir, args.letters)
            notes.append(
                "peak_memory_mb: ru_maxrss of a child process running read, review, result sheets, write-back "
                f"and {args.letters} .docx letters; during the read, plus the read's second process (LibreOffice not included)"
            )
        if args.profile and size == "large":
            with guarded("profile", notes):
                profile_missed(size, path, register, result, sheets, actions, letters, workdir, phases, args)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return {
        "size": size,
        "phases": phases,
        "peak_memory_mb": memory,
        "counts": counts(register),
        "register_mb": round(path.stat().st_size / 2**20, 1),
        "notes": notes,
    }


# --------------------------------------------------------------------------
# Targets and profiles.


def target_status(phase: str, entry: dict) -> str:
    target = TARGETS.get(phase, {})
    parts, ok = [], True
    if "seconds" in target:
        parts.append(f"≤ {target['seconds']:g} s")
        ok &= entry["seconds"] <= target["seconds"]
    if "ratio" in target:
        parts.append(f"≥ {target['ratio']:g}×")
        ok &= (entry.get("ratio") or 0) >= target["ratio"]
    if not parts:
        return ""
    return f"{' and '.join(parts)}: {'met' if ok else 'MISSED'}"


def shown_status(size: str, phase: str, entry: dict) -> str:
    """The target with met/MISSED on the large register; on the others only what it would be."""
    status = target_status(phase, entry)
    if size == "large" or not status:
        return status
    return "(large only) " + status.replace("met", "would be met").replace("MISSED", "would be missed")


def missed(result: dict) -> list[str]:
    return [p for p, e in result["phases"].items() if target_status(p, e).endswith("MISSED")]


def profile_missed(size, path, register, result, sheets, actions, letters, workdir, phases, args) -> None:
    """Profile one run of each phase that misses a timing target (pyinstrument), kept in the phase entry."""
    try:
        from pyinstrument import Profiler
    except ImportError:
        log("pyinstrument is not installed; no profiles (pip install pyinstrument)")
        return
    from debiteuren.review import review

    calls = {
        "read": lambda: read_ours(path),
        "review": lambda: review(register, result.peildatum),
        "write_back": lambda: write_ours(fresh_copy(path, workdir), sheets, actions, result.peildatum),
        "letters_docx": lambda: render_ours(letters, Path(tempfile.mkdtemp(dir=workdir))),
    }
    for phase in [p for p in missed({"phases": phases}) if p in calls]:
        if not TARGETS[phase].get("seconds") or phases[phase]["seconds"] <= TARGETS[phase]["seconds"]:
            continue  # only timing targets are profiled
        log(f"{size}: profiling {phase}")
        profiler = Profiler(interval=0.005)
        profiler.start()
        calls[phase]()
        profiler.stop()
        text = profiler.output_text(unicode=False, color=False, show_all=False)
        phases[phase]["profile"] = "\n".join(text.splitlines()[:70])


# --------------------------------------------------------------------------
# Output.


def fmt(value, digits: int = 2) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def table(result: dict) -> str:
    rows = [f"## {result['size']}: " + ", ".join(f"{v:,} {k}" for k, v in result["counts"].items())
            + f"; {result['register_mb']} MiB workbook", "",
            "| phase | ours (s) | ours CPU (s) | baseline (s) | ratio | target (large) |",
            "| --- | ---: | ---: | ---: | ---: | --- |"]  # fmt: skip
    for phase in PHASES:
        e = result["phases"].get(phase)
        if e is None:
            rows.append(f"| {phase} | not measured | | | | |")
            continue
        ratio = f"{e['ratio']:.1f}×" if e.get("ratio") else "–"
        rows.append(f"| {phase} | {fmt(e['seconds'])} | {fmt(e.get('cpu_seconds'))} | "
                    f"{fmt(e.get('baseline_seconds'))} | {ratio} | "
                    f"{shown_status(result['size'], phase, e)} |")  # fmt: skip
    mem = result["peak_memory_mb"]
    if mem is None:
        rows.append("| peak memory (MiB) | not measured | | | | |")
    else:
        status = f"≤ {PEAK_MEMORY_TARGET_MB:.0f} MiB: {'met' if mem <= PEAK_MEMORY_TARGET_MB else 'MISSED'}"
        if result["size"] != "large":
            status = "(large only) " + status.replace("met", "would be met").replace("MISSED", "would be missed")
        rows.append(f"| peak memory (MiB) | {mem:.0f} | | | | {status} |")
    rows += ["", *[f"- {n}" for n in result["notes"]]]
    return "\n".join(rows)


def machine() -> dict:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        cpu = platform.processor()
    memory = ""
    try:
        kib = int(
            next(l for l in Path("/proc/meminfo").read_text().splitlines() if l.startswith("MemTotal")).split()[1]
        )
        memory = f"{kib / 2**20:.1f} GiB"
    except (OSError, StopIteration):
        pass
    versions = {}
    for name in ("debiteuren", "pandas", "numpy", "openpyxl", "xlsxwriter", "docxtpl", "python-docx", "lxml"):
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            pass
    soffice = shutil.which("soffice")
    office = ""
    if soffice:
        try:
            office = subprocess.run([soffice, "--version"], capture_output=True, text=True, timeout=60).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            office = "?"
    return {
        "nproc": os.cpu_count(),
        "memory": memory,
        "cpu": cpu,
        "platform": platform.platform(),
        "python": platform.python_version(),
        "packages": versions,
        "libreoffice": office,
        "load_average_at_end": " ".join(f"{x:.2f}" for x in os.getloadavg()),
    }


def code_state() -> str:
    """The commit and the library files changed in the work tree (read-only git), as one line."""
    root = HERE.parent
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=root, capture_output=True, text=True,
                              timeout=30).stdout.strip()  # fmt: skip
        changed = subprocess.run(["git", "status", "--porcelain", "--", "lib"], cwd=root, capture_output=True,
                                 text=True, timeout=30).stdout.split("\n")  # fmt: skip
    except (OSError, subprocess.SubprocessError):
        return "unknown (no git)"
    files = [line[3:] for line in changed if line.strip()]
    return f"commit {head or '?'}" + (f", with uncommitted changes in {', '.join(files)}" if files else ", clean lib/")


CODE_STATE: list[str] = []  # taken when the run starts: the library may change while it runs


def markdown(results: list[dict], started: datetime) -> str:
    m = machine()
    lines = [
        "# Benchmark results (issue 8)",
        "",
        f"Generated by `python bench/run.py` ({' '.join(sys.argv[1:])}) on {started:%Y-%m-%d %H:%M} UTC; "
        "do not edit by hand. See bench/README.md for what each phase and baseline measures.",
        "",
        "## Machine",
        "",
        f"- CPU: {m['cpu']}, nproc {m['nproc']}, memory {m['memory']}",
        f"- {m['platform']}, Python {m['python']}",
        "- packages: " + ", ".join(f"{k} {v}" for k, v in m["packages"].items()),
        f"- LibreOffice: {m['libreoffice'] or 'not installed'}",
        f"- load average at the end: {m['load_average_at_end']} (shared machine: timings are noisy; medians)",
        f"- code at the start of the run: {CODE_STATE[0] if CODE_STATE else code_state()}",
        "",
    ]
    for result in results:
        lines += [table(result), ""]
    profiled = [(r["size"], p, e["profile"]) for r in results for p, e in r["phases"].items() if e.get("profile")]
    if profiled:
        lines += ["## Profiles of the missed timing targets (pyinstrument, one run)", ""]
        for size, phase, text in profiled:
            lines += [f"### {size}: {phase}", "", "```", text, "```", ""]
    remaining = Path(__file__).with_name("remaining.md")
    if remaining.exists():  # the hand-written account of what is left to do
        lines += [remaining.read_text(encoding="utf-8").rstrip(), ""]
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", action="append", choices=list(SIZES), help="small, medium or large (repeatable)")
    parser.add_argument("--json", action="store_true", help="print one JSON object per size instead of the table")
    parser.add_argument("--repeat", type=int, default=0, help="runs per phase (default: 5 small, 3 medium/large)")
    parser.add_argument("--baseline-repeat", type=int, default=0, help="runs per baseline (default: 1 on medium/large)")
    parser.add_argument("--pdf-repeat", type=int, default=0, help="runs of the PDF batch (default: min(repeat, 3))")
    parser.add_argument("--letters", type=int, default=LETTERS, help="letters to render and convert (default 100)")
    parser.add_argument(
        "--letters-batch",
        type=int,
        default=LETTERS_BATCH,
        help="letters in the batch with PDFs and bundle (default 500)",
    )
    parser.add_argument("--only", choices=["letters_batch_pdf"], help="run only this phase (after one read and review)")
    parser.add_argument("--pdf-sample", type=int, default=PDF_SAMPLE, help="files for the one-call-per-file baseline")
    parser.add_argument("--review-sample", type=int, default=0, help="review baseline on every n-th debtor")
    parser.add_argument("--skip-baselines", action="store_true", help="time only our phases (quick re-check)")
    parser.add_argument("--markdown", type=Path, help="also write the results with the machine to this file")
    parser.add_argument("--profile", action="store_true", help="profile phases that miss a timing target")
    parser.add_argument("--month-child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--read-child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--workdir", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.read_child:
        print(json.dumps(read_child(args.read_child)))
        return 0
    if args.month_child:
        print(json.dumps(month_child(args.month_child, args.workdir, args.letters)))
        return 0
    started = datetime.now(timezone.utc)
    if args.markdown:
        CODE_STATE.append(code_state())
    results = []
    for size in args.size or ["small"]:
        result = run_size(size, args)
        results.append(result)
        if args.json:
            print(json.dumps(result), flush=True)
        else:
            print(table(result) + "\n", flush=True)
        if args.markdown:  # rewritten after each size, so a later failure keeps the earlier sizes
            args.markdown.write_text(markdown(results, started) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
