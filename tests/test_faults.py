"""Faults during a review with letters, end to end through the command line (issue 9, item 4).

A read-only workbook or folder, a full disk during the write-back or the
letters, a letters folder that cannot be written, a process killed while it
makes letters or writes the log, two reviews at once on one register. Each
time: a Dutch message, the workbook is the previous or the new version (never
a mix), and a rerun completes the month with every letter once and one log
row per letter.
"""

from __future__ import annotations

import builtins
import errno
import io
import os
import signal
import subprocess
import sys
import zipfile
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import pytest

from debiteuren.register import read_register
from debiteuren.register.write import file_safety
from debiteuren.register.write.xlsx.package import Package
from demo_registers import PEILDATUM, demo_copy, letters_folder, logged_letters, review_with_letters, run_cli
from interrupted_writes import disk_full, watch_letters

LOCKED_BY_REVIEW = "Er loopt al een review op de werkmap"


def month(path: Path, folder: Path | None = None) -> tuple[list[str], list[tuple[str, str, str]]]:
    """The letter files in the folder and the letters in the log (debtor, kind, file name)."""
    folder = folder or letters_folder(path)
    files = (
        sorted(p.name for p in folder.glob("*.docx") if not p.name.startswith("brievenbundel"))
        if folder.is_dir()
        else []
    )
    logged = sorted((debtor, kind, Path(document).name) for debtor, kind, document in logged_letters(path))
    return files, logged


@pytest.fixture(scope="module")
def complete_month(tmp_path_factory):
    """What an undisturbed review with letters leaves: the files and the log of the month."""
    path = demo_copy(tmp_path_factory.mktemp("referentie") / "register")
    code, _, err = review_with_letters(path)
    assert code == 0, err
    files, logged = month(path)
    assert len(files) == 8 and all(name in {n for _, _, n in logged} for name in files)
    return files, logged


def assert_completed(path: Path, complete_month, folder: Path | None = None) -> None:
    assert month(path, folder) == complete_month
    leftovers = [p.name for p in path.parent.rglob(".*") if p.suffix in (".tmp", ".lock")]
    assert leftovers == []


def assert_workbook_whole(path: Path) -> None:
    with zipfile.ZipFile(path) as z:
        assert z.testzip() is None
    read_register(path)  # and it reads as a valid register


@contextmanager
def writes_refused(folder: Path):
    """Nothing can be created in ``folder``.

    chmod does that for a normal user. Root (as in many CI containers) ignores
    the mode bits, so then creating files and folders there is refused where
    Python asks the OS for it (os.open, open, mkdir), with the error the OS gives.
    """
    folder = folder.resolve()
    folder.chmod(0o555)

    def inside(target) -> bool:
        try:
            return Path(os.path.abspath(os.fsdecode(target))).is_relative_to(folder)
        except TypeError:  # a file descriptor
            return False

    def denied(target):
        return PermissionError(errno.EACCES, os.strerror(errno.EACCES), os.fsdecode(target))

    try:
        with pytest.MonkeyPatch.context() as patch:
            if os.geteuid() == 0:
                real_os_open, real_open, real_mkdir = os.open, builtins.open, os.mkdir

                def os_open(target, flags, *args, **kwargs):
                    if flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT) and inside(target):
                        raise denied(target)
                    return real_os_open(target, flags, *args, **kwargs)

                def open_(target, mode="r", *args, **kwargs):
                    if any(m in mode for m in "wax+") and inside(target):
                        raise denied(target)
                    return real_open(target, mode, *args, **kwargs)

                def mkdir(target, *args, **kwargs):
                    if inside(target):
                        raise denied(target)
                    return real_mkdir(target, *args, **kwargs)

                patch.setattr(os, "open", os_open)
                patch.setattr(builtins, "open", open_)
                patch.setattr(io, "open", open_)
                patch.setattr(os, "mkdir", mkdir)
            yield
    finally:
        folder.chmod(0o755)


@contextmanager
def letters_written(folder: Path, *, half: int):
    """The ``half``-th letter file gets half its bytes, then the disk is full."""
    undo = watch_letters(folder, half, True, disk_full)
    try:
        yield
    finally:
        undo()


# --- read-only -----------------------------------------------------------------------------------


def test_a_read_only_workbook_is_refused_and_left_as_it_was(tmp_path, complete_month):
    path = demo_copy(tmp_path / "register")
    before = path.read_bytes()
    path.chmod(0o444)  # refused on the mode bits, so also when the tests run as root
    code, _, err = review_with_letters(path)
    assert code == 1
    assert "is alleen-lezen; het bestand is niet gewijzigd" in err
    assert path.read_bytes() == before
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name]  # no letters, no backup
    path.chmod(0o644)
    assert review_with_letters(path)[0] == 0
    assert_completed(path, complete_month)


def test_a_folder_that_cannot_be_written_is_refused_and_the_workbook_left_as_it_was(tmp_path, complete_month):
    path = demo_copy(tmp_path / "register")
    before = path.read_bytes()
    with writes_refused(path.parent):
        code, _, err = review_with_letters(path)
    assert code == 1
    assert (
        f"De werkmap '{path.name}' kon niet worden geschreven (geen schrijfrechten); het bestand is niet gewijzigd"
        in err
    )
    assert path.read_bytes() == before
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name]
    assert review_with_letters(path)[0] == 0
    assert_completed(path, complete_month)


def test_a_letters_folder_that_cannot_be_written_logs_nothing_and_a_rerun_completes(tmp_path, complete_month):
    path = demo_copy(tmp_path / "register")
    post = tmp_path / "post"
    post.mkdir()
    out = post / "brieven"
    before = logged_letters(path)
    with writes_refused(post):
        code, _, err = review_with_letters(path, "--uitvoer", str(out))
    assert code == 1
    assert "geen schrijfrechten" in err and "De brieven zijn niet in het logboek gezet" in err
    assert "Traceback" not in err
    assert logged_letters(path) == before
    assert_workbook_whole(path)
    assert review_with_letters(path, "--uitvoer", str(out))[0] == 0
    assert_completed(path, complete_month, out)


# --- a full disk ---------------------------------------------------------------------------------


def test_a_full_disk_during_the_write_back_leaves_the_previous_version(tmp_path, monkeypatch, complete_month):
    # One write holds the result sheets and the log (issue 18): a full disk there leaves both as they were.
    path = demo_copy(tmp_path / "register")
    before = path.read_bytes()
    real_write_to = Package.write_to
    calls = []

    def half_then_full(self, out, when):
        calls.append(when)
        buffer = io.BytesIO()
        real_write_to(self, buffer, when)
        out.write(buffer.getvalue()[: len(buffer.getvalue()) // 2])
        disk_full()

    with monkeypatch.context() as patch:
        patch.setattr(Package, "write_to", half_then_full)
        code, _, err = review_with_letters(path)
    assert code == 1 and len(calls) == 1
    assert "De brieven zijn gemaakt, maar niet in het logboek gezet" in err
    assert (
        f"De werkmap '{path.name}' kon niet worden geschreven (de schijf is vol); het bestand is niet gewijzigd" in err
    )
    assert path.read_bytes() == before
    assert [p.name for p in path.parent.iterdir() if p.name.endswith(".tmp")] == []
    assert review_with_letters(path)[0] == 0
    assert_completed(path, complete_month)


def test_a_full_disk_while_the_letters_are_made_logs_nothing_and_a_rerun_completes(tmp_path, complete_month):
    path = demo_copy(tmp_path / "register")
    before = logged_letters(path)
    with letters_written(letters_folder(path), half=4):
        code, _, err = review_with_letters(path)
    assert code == 1
    assert "de schijf is vol" in err and "De brieven zijn niet in het logboek gezet" in err
    assert logged_letters(path) == before
    assert len(list(letters_folder(path).glob("*.docx"))) == 4
    assert_workbook_whole(path)
    assert review_with_letters(path)[0] == 0
    assert_completed(path, complete_month)  # the half letter made again, under its own name


# --- killed --------------------------------------------------------------------------------------

CHILD = r"""
import io, os, signal, sys, time
from pathlib import Path

sys.path.insert(0, {tests!r})
from interrupted_writes import watch_letters

import debiteuren.letters.pdf as pdf

pdf.converter = lambda: None  # no LibreOffice: seconds per run; the PDF route has its own tests
path, stage, signal_file = sys.argv[1], sys.argv[2], Path(sys.argv[3])


def die():
    os.kill(os.getpid(), signal.SIGKILL)


if stage == "halve-brief":
    watch_letters(Path(path).parent / "brieven" / sys.argv[4], 3, True, die)
elif stage == "logboek":  # killed halfway through writing the workbook with the log rows
    from debiteuren.register.write.xlsx.package import Package

    real_write_to = Package.write_to

    def write_to(self, out, when):  # the one write of a review with letters: results and log (issue 18)
        class HalfThenDie:
            written = 0

            def write(self, data):
                out.write(data)
                HalfThenDie.written += len(data)
                if HalfThenDie.written > 100_000:
                    out.flush()
                    os.fsync(out.fileno())
                    die()

        real_write_to(self, HalfThenDie(), when)

    Package.write_to = write_to
elif stage == "na-logboek":  # killed right after the log is in place
    from debiteuren.register.write import file_safety

    real_swap_in, replaced = file_safety.swap_in, []

    def swap_in(temp, target, identity):
        real_swap_in(temp, target, identity)
        replaced.append(target)
        if len(replaced) == 1:  # results and log are one write
            die()

    file_safety.swap_in = swap_in
elif stage == "wachten":  # holds the workbook until the test says go
    import debiteuren.letters as letters

    real_render = letters.render_letters

    def render_letters(*args, **kwargs):
        print("bezig", flush=True)
        deadline = time.monotonic() + 60
        while not signal_file.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        return real_render(*args, **kwargs)

    letters.render_letters = render_letters

from debiteuren.cli import main

sys.exit(main(["review", path, "--peildatum", sys.argv[4], "--brieven", "--briefdatum", sys.argv[4]]))
"""


def start_child(tmp_path: Path, path: Path, stage: str) -> subprocess.Popen:
    script = tmp_path / "review_kind.py"
    if not script.exists():
        script.write_text(CHILD.format(tests=str(Path(__file__).parent)))
    return subprocess.Popen(
        [sys.executable, str(script), str(path), stage, str(tmp_path / "ga"), PEILDATUM.isoformat()],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=path.parent,
    )


def finish(child: subprocess.Popen) -> tuple[int, str, str]:
    out, err = child.communicate(timeout=120)
    return child.returncode, out, err


# Killed while writing the third letter, halfway through writing the log, right after the log is in place.
KILL_STAGES = ("halve-brief", "logboek", "na-logboek")


@pytest.mark.slow
def test_killed_while_making_letters_or_writing_the_log_a_rerun_completes_the_month(tmp_path, complete_month):
    paths = {stage: demo_copy(tmp_path / stage) for stage in KILL_STAGES}
    with ThreadPoolExecutor(max_workers=len(KILL_STAGES)) as pool:
        results = dict(
            zip(
                KILL_STAGES,
                pool.map(lambda stage: finish(start_child(tmp_path / stage, paths[stage], stage)), KILL_STAGES),
            )
        )
    for stage, path in paths.items():
        code, out, err = results[stage]
        assert code == -signal.SIGKILL, (stage, code, err)
        assert_workbook_whole(path)  # the previous or the new version, never a mix
        files, logged = month(path)
        if stage == "na-logboek":
            assert (files, logged) == complete_month  # everything was done but saying so
        else:
            assert logged == complete_month[1][: len(logged)] and len(logged) < len(complete_month[1])
        if stage == "logboek":
            assert [p for p in path.parent.glob(f".{path.name}.*.tmp")]  # the killed write's temporary file
        code, _, err = review_with_letters(path)
        assert code == 0, (stage, err)
        assert_completed(path, complete_month)  # no letter twice, no log row twice, no leftovers


# --- two reviews at once -------------------------------------------------------------------------


def test_a_second_review_while_one_runs_is_refused_and_changes_nothing(tmp_path, complete_month):
    path = demo_copy(tmp_path / "register")
    first = start_child(tmp_path, path, "wachten")
    try:
        assert first.stdout.readline().strip() == "bezig"  # the first review holds the workbook
        leftover = path.parent / f".{path.name}.abcd1234.tmp"
        leftover.write_bytes(b"not ours to remove while the other review runs")
        during = path.read_bytes()
        code, _, err = review_with_letters(path)
        assert code == 1 and LOCKED_BY_REVIEW in err
        assert path.read_bytes() == during and leftover.exists()
    finally:
        (tmp_path / "ga").touch()
        code, _, err = finish(first)
    assert code == 0, err
    leftover.unlink()
    assert_completed(path, complete_month)


@pytest.mark.slow
def test_two_reviews_started_together_make_and_log_every_letter_once(tmp_path, complete_month):
    path = demo_copy(tmp_path / "register")
    children = [start_child(tmp_path, path, "gewoon") for _ in range(2)]
    results = [finish(child) for child in children]
    assert any(code == 0 for code, _, _ in results), results
    for code, _, err in results:
        assert code == 0 or LOCKED_BY_REVIEW in err, err
    assert_workbook_whole(path)
    assert_completed(path, complete_month)


# --- leftovers of a killed write -----------------------------------------------------------------


def test_the_next_write_removes_only_its_own_leftover_temporary_files(tmp_path):
    path = demo_copy(tmp_path / "register")
    backups = path.parent / "reservekopieen"
    backups.mkdir()
    ours = [
        path.parent / f".{path.name}.k3j_9zq1.tmp",
        backups / f".{path.stem} 2026-11-01 120000{path.suffix}.tmp",
        backups / f".{path.stem} 2026-11-01 120000 (2){path.suffix}.tmp",
    ]
    others = [
        path.parent / f".{path.name}.notes.tmp",
        path.parent / ".anders.xlsx.abcdefgh.tmp",
        path.parent / f"{path.name}.abcdefgh.tmp",
        backups / ".anders 2026-11-01 120000.xlsx.tmp",
    ]
    for leftover in ours + others:
        leftover.write_bytes(b"x")
    code, _, err = run_cli(["review", str(path), "--peildatum", PEILDATUM.isoformat()])
    assert code == 0, err
    assert [p for p in ours if p.exists()] == []
    assert [p for p in others if p.exists()] == others
    assert not file_safety.lock_file(path).exists()


def test_letters_are_refused_while_another_review_holds_the_workbook_or_after_it_changed(tmp_path):
    import threading
    from datetime import datetime

    from debiteuren.monthly_run import LettersNotMade, generate_letters, run_month

    path = demo_copy(tmp_path / "register")
    now = datetime(2026, 11, 23, 15, 0)
    run = run_month(path, PEILDATUM, generated_at=now, write=False)  # e.g. the notebook, read earlier
    holding, done = threading.Event(), threading.Event()

    def other_review():
        with file_safety.register_lock(path):
            holding.set()
            done.wait(30)

    other = threading.Thread(target=other_review)
    other.start()
    try:
        assert holding.wait(30)
        with pytest.raises(LettersNotMade, match=LOCKED_BY_REVIEW):
            generate_letters(run, run.review.plan.due(), letter_date=PEILDATUM, generated_at=now)
    finally:
        done.set()
        other.join()
    assert not letters_folder(path).exists()
    assert run_cli(["review", str(path), "--peildatum", PEILDATUM.isoformat()])[0] == 0  # saved meanwhile
    before = path.read_bytes()
    with pytest.raises(LettersNotMade, match="is gewijzigd sinds de review"):
        generate_letters(run, run.review.plan.due(), letter_date=PEILDATUM, generated_at=now)
    assert path.read_bytes() == before and not letters_folder(path).exists()


@pytest.mark.skipif(file_safety.fcntl is None, reason="flock is the POSIX lock; Windows uses msvcrt.locking")
def test_a_file_system_without_locks_is_written_unlocked_but_a_held_lock_refuses(tmp_path, monkeypatch):
    from debiteuren.register.writeback import WorkbookBusy

    path = tmp_path / "register.xlsx"
    path.write_bytes(b"")

    def flock_failing_with(code):
        def flock(fd, operation):
            raise OSError(code, os.strerror(code))

        return flock

    # Some network shares answer ENOLCK: the review goes on as it did before the lock existed.
    monkeypatch.setattr(file_safety.fcntl, "flock", flock_failing_with(errno.ENOLCK))
    with file_safety.register_lock(path):
        entered = True
    assert entered and not file_safety.lock_file(path).exists()
    # Another process holding it answers EWOULDBLOCK: refused.
    monkeypatch.setattr(file_safety.fcntl, "flock", flock_failing_with(errno.EWOULDBLOCK))
    with pytest.raises(WorkbookBusy, match="Er loopt al een review"):
        with file_safety.register_lock(path):
            pass
