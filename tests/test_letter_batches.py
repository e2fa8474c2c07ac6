"""Every letter accounted for, at any batch size; LibreOffice ended with the review (issues 16, 17).

A letter is logged only when its PDF exists; what LibreOffice does not convert
is tried once more, then named per debtor with exit code 1, and left out of
the bundle and the signing list. The conversion runs in chunks with a time
limit each, under one profile per run, and never outlives the review: a
review killed while LibreOffice works takes LibreOffice and its profile with
it, and a rerun removes what a run killed together with its guard left.

Failures are triggered deterministically: a fake ``soffice`` on PATH that
fails (or hangs on) given files, and, with the real LibreOffice, letters made
unreadable right after they are rendered. Kills happen at a file event (the
first PDF appearing), never after a sleep.
"""

from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
from pypdf import PdfReader

import debiteuren.letters as letters_package
from debiteuren.letters import pdf
from debiteuren.letters.bundle import make_bundle, sha256_of
from debiteuren.letters.pdf import find_soffice, processes_using
from debiteuren.letters.render import render_letters
from debiteuren.register import read_register
from demo_registers import PEILDATUM, demo_copy, letters_folder, logged_letters, run_cli

needs_soffice = pytest.mark.skipif(find_soffice() is None, reason="LibreOffice (soffice) is niet geïnstalleerd")

FAKE_SOFFICE = r"""#!{python}
# A stand-in for LibreOffice: logs each call, writes a one-page PDF per document except those whose
# name starts with a prefix in FAKE_SOFFICE_FAIL (no PDF, as for a file LibreOffice cannot load) or
# FAKE_SOFFICE_HANG (a child process, as soffice.bin under oosplash, that never ends).
import json, os, sys, time
from pathlib import Path

from pypdf import PdfWriter

args = sys.argv[1:]
out = Path(args[args.index("--outdir") + 1])
documents = [Path(a) for a in args if a.endswith(".docx")]
profile = next(a for a in args if a.startswith("-env:UserInstallation="))
log = os.environ["FAKE_SOFFICE_LOG"]
with open(log, "a") as handle:
    handle.write(json.dumps({{"profile": profile, "documents": [d.stem for d in documents]}}) + "\n")
fail = [p for p in os.environ.get("FAKE_SOFFICE_FAIL", "").split(",") if p]
hang = [p for p in os.environ.get("FAKE_SOFFICE_HANG", "").split(",") if p]
for document in documents:
    if any(document.stem.startswith(p) for p in hang):
        child = os.fork()
        if child == 0:
            time.sleep(3600)
            os._exit(0)
        with open(log + ".hanging", "a") as handle:
            handle.write(f"{{child}}\n")
        os.waitpid(child, 0)
    if any(document.stem.startswith(p) for p in fail):
        print("Error: source file could not be loaded", flush=True)
        continue
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    with open(out / f"{{document.stem}}.pdf", "wb") as handle:
        writer.write(handle)
"""


@pytest.fixture
def fake_soffice(tmp_path, monkeypatch):
    """A fake ``soffice`` first on PATH; returns its call log (one JSON line per call)."""
    folder = tmp_path / "fake-bin"
    folder.mkdir()
    script = folder / "soffice"
    script.write_text(FAKE_SOFFICE.format(python=sys.executable))
    script.chmod(0o755)
    log = tmp_path / "soffice-calls.jsonl"
    monkeypatch.setenv("PATH", f"{folder}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("FAKE_SOFFICE_LOG", str(log))
    assert find_soffice() == str(script)
    return log


def calls_of(log: Path) -> list[dict]:
    return [json.loads(line) for line in log.read_text().splitlines()] if log.exists() else []


def review(path: Path) -> tuple[int, str, str]:
    return run_cli(
        ["review", str(path), "--peildatum", PEILDATUM.isoformat(), "--brieven", "--briefdatum", PEILDATUM.isoformat()]
    )


# The demo month (tests/demo_registers.py) makes 8 letters, one per debtor; those of 10004 and 10008 are
# the ones made to fail.
LETTERS, FAILING = 8, ("10004", "10008")


def documents_of(rows) -> set[str]:
    """The letters (documents) among logged rows: a letter with claims at several steps has a row per step."""
    return {document for _, _, document in rows}


def profile_folder(profile_argument: str) -> Path:
    return Path(profile_argument.split("=", 1)[1].removeprefix("file://"))


def bundle_titles(path: Path) -> list[str]:
    return [item.title for item in PdfReader(path).outline if not isinstance(item, list)]


def signing_debtors(path: Path) -> list[str]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return [row["Debiteurnummer"] for row in csv.DictReader(handle, delimiter=";")]


def alive(pid: int) -> bool:
    """Running (a zombie waiting for its parent counts as gone)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


# --- letters without a PDF (fake LibreOffice) ------------------------------------------------------


def test_letters_without_a_pdf_are_named_not_logged_and_not_in_the_bundle(tmp_path, fake_soffice, monkeypatch):
    monkeypatch.setattr(pdf, "CHUNK", 4)
    monkeypatch.setenv("FAKE_SOFFICE_FAIL", ",".join(f"{d}_" for d in FAILING))
    path = demo_copy(tmp_path / "register")
    before = logged_letters(path)
    code, out, err = review(path)

    assert code == 1, err
    calls = calls_of(fake_soffice)
    made = [stem for call in calls[:2] for stem in call["documents"]]
    failed = sorted(stem for stem in made if stem.startswith(tuple(f"{d}_" for d in FAILING)))
    assert len(made) == LETTERS and len(failed) == 2
    # Chunks of at most 4; what failed once more in a call of its own; then the signing list; one profile.
    assert [len(call["documents"]) for call in calls[:2]] == [4, 4]
    assert sorted(calls[2]["documents"]) == failed
    assert calls[3]["documents"] == ["brievenbundel_tekenlijst"] and len(calls) == 4
    assert len({call["profile"] for call in calls}) == 1
    assert not profile_folder(calls[0]["profile"]).exists()  # removed with the run

    # Logged: exactly the letters whose PDF exists, each with the PDF's hash.
    folder = letters_folder(path)
    new = [row for row in logged_letters(path) if row not in before]
    assert len(documents_of(new)) == LETTERS - 2 and not {debtor for debtor, _, _ in new} & set(FAILING)
    for _, _, document in new:
        assert document.endswith(".pdf") and (path.parent / document).exists()
    digests = set(read_register(path).actions["digest"])
    assert {sha256_of(path.parent / document) for _, _, document in new} <= digests

    # Named per debtor, with what to do, as an error.
    assert "Van 2 brieven is geen PDF gemaakt" in err
    assert all(err.count(f"- {d} ") == 1 for d in FAILING)
    assert "LibreOffice maakte er geen PDF van" in err and "Wat te doen" in err
    assert f"{LETTERS - 2} brieven gemaakt in" in out

    # The bundle and the signing list hold exactly what exists.
    titles = bundle_titles(folder / "brievenbundel.pdf")
    assert titles[0] == "Tekenlijst" and len(titles) == LETTERS - 1
    assert not any(t.startswith(FAILING) for t in titles)
    assert sorted(signing_debtors(folder / "brievenbundel_tekenlijst.csv")) == sorted({d for d, _, _ in new})

    # Once LibreOffice converts them, a rerun makes and logs only the two that were missing.
    monkeypatch.delenv("FAKE_SOFFICE_FAIL")
    code, _, err = review(path)
    assert code == 0, err
    again = [row for row in logged_letters(path) if row not in before]
    assert len(documents_of(again)) == LETTERS
    assert set(FAILING) <= {debtor for debtor, _, _ in again} and set(new) <= set(again)


def test_json_output_names_what_failed_and_exits_non_zero(tmp_path, fake_soffice, monkeypatch):
    monkeypatch.setenv("FAKE_SOFFICE_FAIL", ",".join(f"{d}_" for d in FAILING))
    path = demo_copy(tmp_path / "register")
    code, out, err = run_cli(
        [
            "review",
            str(path),
            "--peildatum",
            PEILDATUM.isoformat(),
            "--brieven",
            "--briefdatum",
            PEILDATUM.isoformat(),
            "--json",
        ]
    )
    assert code == 1
    data = json.loads(out)
    assert sorted((f["debtor"], f["reason"]) for f in data["failed"]) == [
        (d, "LibreOffice maakte er geen PDF van") for d in FAILING
    ]
    assert len(data["letters"]) == LETTERS - 2 and data["bundle"].endswith("brievenbundel.pdf")
    assert "Van 2 brieven is geen PDF gemaakt" in err


def test_a_chunk_past_its_time_limit_is_ended_with_its_children_and_the_rest_retried(
    tmp_path, fake_soffice, monkeypatch
):
    from dataclasses import replace

    from test_letters import BUSINESS, make_letter

    monkeypatch.setattr(pdf, "CHUNK", 4)
    monkeypatch.setattr(pdf, "SECONDS_BASE", 2)
    monkeypatch.setattr(pdf, "SECONDS_PER_FILE", 0)
    monkeypatch.setenv("FAKE_SOFFICE_HANG", "D02_")
    letters = [make_letter("betalingsherinnering", replace(BUSINESS, number=f"D0{n}")) for n in range(1, 7)]
    rendered = render_letters(letters, tmp_path / "uit")
    result = make_bundle(rendered, tmp_path / "uit")

    assert [f.letter.debtor.number for f in result.failed] == ["D02"]
    assert result.failed[0].reason == "LibreOffice reageerde niet binnen 2 seconden"
    assert [d.letter.debtor.number for d in result.documents] == ["D01", "D03", "D04", "D05", "D06"]
    assert (
        all(d.pdf.exists() for d in result.documents)
        and not (tmp_path / "uit" / f"{rendered[1].docx.stem}.pdf").exists()
    )
    assert len(bundle_titles(result.pdf)) == 6 and not result.complete
    # D01 came out of the first chunk before D02 hung it; D02-D04 went again in a small chunk, which D02
    # hung again; then each on its own: D03 and D04 came out, D02 hung a third time. Every hanging
    # LibreOffice child was ended with its process group.
    hanging = [int(pid) for pid in Path(f"{fake_soffice}.hanging").read_text().split()]
    assert len(hanging) == 3 and not any(alive(pid) for pid in hanging)


# --- the real LibreOffice ----------------------------------------------------------------------------


@pytest.mark.slow
@needs_soffice
def test_with_libreoffice_unreadable_letters_are_named_and_only_the_others_logged(tmp_path, monkeypatch):
    path = demo_copy(tmp_path / "register")
    before = logged_letters(path)
    real_render = letters_package.render_letters

    def render_then_damage(*args, **kwargs):  # a letter LibreOffice cannot open: its .docx cut short
        rendered = real_render(*args, **kwargs)
        for item in rendered:
            if item.letter.debtor.number in FAILING:
                item.docx.write_bytes(item.docx.read_bytes()[:2000])
        return rendered

    monkeypatch.setattr(letters_package, "render_letters", render_then_damage)
    code, _, err = review(path)
    assert code == 1
    new = [row for row in logged_letters(path) if row not in before]
    assert len(documents_of(new)) == LETTERS - 2 and not {debtor for debtor, _, _ in new} & set(FAILING)
    assert all(
        (path.parent / document).suffix == ".pdf" and (path.parent / document).exists() for _, _, document in new
    )
    assert "Van 2 brieven is geen PDF gemaakt" in err and all(err.count(f"- {d} ") == 1 for d in FAILING)
    folder = letters_folder(path)
    assert not any(list(folder.glob(f"{d}_*.pdf")) for d in FAILING)
    reader = PdfReader(folder / "brievenbundel.pdf")
    titles = [item.title for item in reader.outline if not isinstance(item, list)]
    assert len(titles) == LETTERS - 1 and not any(t.startswith(FAILING) for t in titles)
    assert len(signing_debtors(folder / "brievenbundel_tekenlijst.csv")) == LETTERS - 2


@pytest.mark.slow
@needs_soffice
def test_a_batch_of_300_letters_yields_300_pdfs_and_a_bundle(tmp_path):
    from dataclasses import replace

    from test_letters import BUSINESS, make_letter

    letters = [
        make_letter("betalingsherinnering", replace(BUSINESS, number=f"D{n:04d}", name=f"Klant {n} B.V."))
        for n in range(1, 301)
    ]
    rendered = render_letters(letters, tmp_path / "uit")
    result = make_bundle(rendered, tmp_path / "uit")
    assert result.failed == () and result.complete
    assert len(result.documents) == 300 and all(d.pdf.exists() for d in result.documents)
    assert len({d.pdf for d in result.documents}) == 300
    titles = bundle_titles(result.pdf)
    assert titles[0] == "Tekenlijst" and titles[1:] == [
        f"D{n:04d} – Klant {n} B.V. – Betalingsherinnering" for n in range(1, 301)
    ]
    assert len(signing_debtors(result.signing_list_csv)) == 300


# --- a killed review takes LibreOffice with it (issue 17, point 9) --------------------------------

CHILD = r"""
import sys
sys.path.insert(0, {tests!r})
from debiteuren.cli import main
sys.exit(main(["review", sys.argv[1], "--peildatum", sys.argv[2], "--brieven", "--briefdatum", sys.argv[2]]))
"""


def start_review(tmp_path: Path, path: Path) -> subprocess.Popen:
    script = tmp_path / "review_kind.py"
    script.write_text(CHILD.format(tests=str(Path(__file__).parent)))
    return subprocess.Popen(
        [sys.executable, str(script), str(path), PEILDATUM.isoformat()],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        cwd=path.parent,
    )


def until(condition, seconds: float = 120.0, what: str = ""):
    """Wait for an event (a file appearing, processes gone) by polling, with a deadline."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = condition()
        if found:
            return found
        time.sleep(0.01)
    raise AssertionError(f"not within {seconds} s: {what}")


def profiles_of(pid: int) -> list[Path]:
    return list(Path(tempfile.gettempdir()).glob(f"{pdf.PROFILE_PREFIX}{pid}-*"))


def kill_at_first_pdf(tmp_path: Path, path: Path) -> tuple[subprocess.Popen, Path]:
    """Start a review with letters and SIGKILL it the moment LibreOffice's first PDF is in the folder."""
    folder = letters_folder(path)
    child = start_review(tmp_path, path)
    until(lambda: folder.is_dir() and any(folder.glob("*.pdf")) or child.poll() is not None, what="a first PDF")
    (profile,) = profiles_of(child.pid)
    child.kill()
    child.wait()
    return child, profile


@pytest.mark.slow
@needs_soffice
def test_a_killed_review_takes_libreoffice_and_its_profile_with_it(tmp_path):
    path = demo_copy(tmp_path / "register")
    before = logged_letters(path)
    child, profile = kill_at_first_pdf(tmp_path, path)
    assert child.returncode == -signal.SIGKILL
    # The guard ends LibreOffice and removes the profile; no PDF is written after that.
    until(lambda: not processes_using(profile) and not profile.exists(), 30, "LibreOffice ended, profile gone")
    folder = letters_folder(path)
    pdfs = sorted(p.name for p in folder.glob("*.pdf"))
    assert 1 <= len(pdfs) < LETTERS and not (folder / "brievenbundel.pdf").exists()
    assert logged_letters(path) == before  # nothing logged by the killed run
    # A rerun completes the month: every letter once, each logged with its PDF.
    code, _, err = review(path)
    assert code == 0, err
    new = [row for row in logged_letters(path) if row not in before]
    assert len(documents_of(new)) == LETTERS and all((path.parent / d).suffix == ".pdf" for _, _, d in new)


@pytest.mark.slow
@needs_soffice
def test_a_rerun_removes_what_a_review_killed_with_its_guard_left(tmp_path):
    path = demo_copy(tmp_path / "register")
    before = logged_letters(path)
    folder = letters_folder(path)
    child = start_review(tmp_path, path)
    until(lambda: folder.is_dir() and any(folder.glob("*.pdf")) or child.poll() is not None, what="a first PDF")
    (profile,) = profiles_of(child.pid)
    guard = [
        pid for pid in processes_using_path(profile) if b"-c" in Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    ]
    assert len(guard) == 1 and processes_using(profile)  # the guard, and LibreOffice still at work
    for pid in [child.pid, *guard]:  # everything but LibreOffice, as an OOM killer or a hard stop might
        os.kill(pid, signal.SIGKILL)
    child.wait()
    assert profile.exists()  # left behind: nobody cleaned up
    code, _, err = review(path)
    assert code == 0, err
    assert not profile.exists() and not processes_using(profile)
    new = [row for row in logged_letters(path) if row not in before]
    assert len(documents_of(new)) == LETTERS


def processes_using_path(profile: Path) -> list[int]:
    """Processes whose command line names ``profile`` as a path (the guard) or a URI (LibreOffice)."""
    needle = str(profile).encode()
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if needle in (entry / "cmdline").read_bytes():
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


# --- a full disk while the signing list is written (issue 17, point 8) ---------------------------

FULL_DISK_CHILD = r"""
import builtins, errno, io, os, sys
sys.path.insert(0, {tests!r})
import debiteuren.letters.pdf as pdf

pdf.converter = lambda: None  # the .docx route: the signing list is written all the same
real_open = io.open


class FillsUp:
    # A file on a disk with ``room`` bytes left: then every write fails, as on a full tmpfs.
    def __init__(self, handle, room):
        self.handle, self.room = handle, room

    def write(self, data):
        data = bytes(data)
        if len(data) > self.room:
            self.handle.write(data[: self.room])
            self.room = 0
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        self.room -= len(data)
        return self.handle.write(data)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.handle.close()

    def __getattr__(self, name):
        return getattr(self.handle, name)


def open_(file, mode="r", *args, **kwargs):
    handle = real_open(file, mode, *args, **kwargs)
    if isinstance(file, (str, os.PathLike)) and "w" in mode and str(file).endswith("_tekenlijst.docx"):
        return FillsUp(handle, 2000)
    return handle


builtins.open = io.open = open_
from debiteuren.cli import main

sys.exit(main(["review", sys.argv[1], "--peildatum", sys.argv[2], "--brieven", "--briefdatum", sys.argv[2]]))
"""


def test_a_full_disk_while_the_signing_list_is_written_gives_one_message_and_leaves_no_half_file(tmp_path):
    path = demo_copy(tmp_path / "register")
    before = logged_letters(path)
    script = tmp_path / "full_disk.py"
    script.write_text(FULL_DISK_CHILD.format(tests=str(Path(__file__).parent)))
    done = subprocess.run(
        [sys.executable, str(script), str(path), PEILDATUM.isoformat()],
        check=False,
        capture_output=True,
        text=True,
        cwd=path.parent,
        timeout=300,
    )
    assert done.returncode == 1
    assert "de schijf is vol" in done.stderr and "De brieven zijn niet in het logboek gezet" in done.stderr
    assert "Exception ignored" not in done.stderr and "Traceback" not in done.stderr
    assert not list(letters_folder(path).glob("*_tekenlijst.docx"))  # the half-written file is removed
    assert logged_letters(path) == before
    with pytest.MonkeyPatch.context() as patch:  # the rerun, in-process, without a converter
        patch.setattr(pdf, "converter", lambda: None)
        code, _, err = review(path)
    assert code == 0, err
    assert len(documents_of(row for row in logged_letters(path) if row not in before)) == LETTERS


TMPFS_CHILD = r"""
import sys
sys.path.insert(0, {tests!r})
import debiteuren.letters.pdf as pdf

pdf.converter = lambda: None  # the .docx route: the letters, then the signing list and its CSV
from debiteuren.cli import main

sys.exit(main(["review", sys.argv[1], "--peildatum", sys.argv[2], "--brieven", "--briefdatum", sys.argv[2],
               "--uitvoer", sys.argv[3]]))
"""
PAGE = 4096


def pages(size: int) -> int:
    return -(-size // PAGE)


@contextmanager
def tmpfs(mount_point: Path, size: int):
    """A tmpfs of ``size`` bytes (whole pages) at ``mount_point``; the test is skipped where mounting is not allowed."""
    mount_point.mkdir(parents=True)
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(mount_point)], capture_output=True, text=True
    )
    if done.returncode != 0:
        pytest.skip(f"geen tmpfs te koppelen (alleen als root, zoals in CI): {done.stderr.strip()}")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], check=False)


@pytest.mark.skipif(sys.platform != "linux", reason="tmpfs is Linux")
def test_a_tmpfs_that_fills_while_the_signing_list_is_written_gives_one_message_and_leaves_no_half_file(tmp_path):
    """Issue 17, point 8, the way it was found: the letters' folder on a tmpfs with room for the letters
    but not for the signing list."""
    script = tmp_path / "tmpfs_child.py"
    script.write_text(TMPFS_CHILD.format(tests=str(Path(__file__).parent)))

    def run(path: Path, out: Path) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, str(script), str(path), PEILDATUM.isoformat(), str(out)],
            check=False,
            capture_output=True,
            text=True,
            cwd=path.parent,
            timeout=300,
        )

    # Measure on a roomy tmpfs what the letters and the signing list take, in tmpfs pages.
    with tmpfs(tmp_path / "ruim", 64 * 2**20) as roomy:
        measured = run(demo_copy(tmp_path / "meting"), roomy / "brieven")
        assert measured.returncode == 0, measured.stderr
        files = list((roomy / "brieven").iterdir())
        signing = [f for f in files if "tekenlijst" in f.name]
        letters_pages = sum(pages(f.stat().st_size) for f in files if f not in signing)
        signing_pages = pages(next(f for f in signing if f.suffix == ".docx").stat().st_size)
    assert signing_pages >= 2, "the signing list must be larger than one page for the disk to fill inside it"

    path = demo_copy(tmp_path / "register")
    before = logged_letters(path)
    with tmpfs(tmp_path / "vol", (letters_pages + signing_pages // 2) * PAGE) as small:
        done = run(path, small / "brieven")
        assert done.returncode == 1, done.stderr
        assert "de schijf is vol" in done.stderr and "De brieven zijn niet in het logboek gezet" in done.stderr
        assert "Exception ignored" not in done.stderr and "Traceback" not in done.stderr
        assert len(list((small / "brieven").glob("*.docx"))) == LETTERS  # the letters fitted
        assert not list((small / "brieven").glob("*_tekenlijst*"))  # the half-written list is removed
    assert logged_letters(path) == before
    done = run(path, tmp_path / "brieven")  # with room again: the month completes
    assert done.returncode == 0, done.stderr
    assert len(documents_of(row for row in logged_letters(path) if row not in before)) == LETTERS


def test_the_app_shows_letters_without_a_pdf_as_an_error_with_what_to_do(tmp_path, fake_soffice, monkeypatch):
    from datetime import datetime

    from debiteuren.app.maandreview import MaandReview
    from debiteuren.dunning_letters import is_letter

    monkeypatch.setenv("FAKE_SOFFICE_FAIL", ",".join(f"{d}_" for d in FAILING))
    path = demo_copy(tmp_path / "register")
    before = logged_letters(path)
    view = MaandReview(path, PEILDATUM, clock=lambda: datetime(2026, 11, 23, 15, 0))
    view.select_due()
    due = view.selected_steps()
    assert view.generate() is False
    assert view.letters_messages.kind == "fout" and view.progress.bar_style == "danger"
    lines = view.letters_messages.lines
    assert lines[0] == "Van 2 brieven is geen PDF gemaakt. Deze staan niet in het logboek en niet in de bundel:"
    assert all(sum(line.startswith(f"- {d} ") for line in lines) == 1 for d in FAILING)
    assert any(line.startswith("Wat te doen: maak de brieven opnieuw") for line in lines)
    new = [row for row in logged_letters(path) if row not in before]
    assert len(documents_of(new)) == LETTERS - 2 and not {debtor for debtor, _, _ in new} & set(FAILING)
    # The view shows the review after what was logged: the letters made are no longer proposed, the two
    # without a PDF still are.
    proposed = {(s.debtor_id, s.action, s.invoice_ids) for s in view.steps()}
    failed = {(step.debtor_id, step.action, step.invoice_ids) for step, _ in view.batch.failed}
    sent = {(s.debtor_id, s.action, s.invoice_ids) for s in due if is_letter(s)} - failed
    assert len(sent) == LETTERS - 2 and not sent & proposed
    assert len(failed) == 2 and failed <= proposed
