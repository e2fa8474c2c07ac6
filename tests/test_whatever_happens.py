"""Nothing lost, nothing false, whatever happens (issue 17).

Each test reproduces a fault the way it was found: a pipe named like a
register, a stored zip member with one bit flipped, a debtor with 2,000
overdue invoices, a review killed while its second process reads, two imports
started together, a program that saves the workbook in place the instant a
backup appears.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from demo_registers import PEILDATUM, demo_copy

LIB = str(Path(__file__).resolve().parents[1] / "lib")


def cli(*argv: str, timeout: float = 120, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """The command line in its own process, so a hang fails the test instead of stopping the run."""
    env = {**os.environ, "PYTHONPATH": LIB + os.pathsep + os.environ.get("PYTHONPATH", "")}
    return subprocess.run(
        [sys.executable, "-m", "debiteuren.cli", *argv],
        capture_output=True, text=True, timeout=timeout, env=env, cwd=cwd,
    )


# --- 7. only regular files are registers -------------------------------------------------------------


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are a POSIX thing")
@pytest.mark.parametrize("command", ["controleer", "review"])
def test_a_pipe_named_like_a_register_is_refused_at_once(tmp_path, command):
    fifo = tmp_path / "reg.xlsx"
    os.mkfifo(fifo)
    argv = [command, str(fifo)] + (["--peildatum", PEILDATUM.isoformat()] if command == "review" else [])
    done = cli(*argv, timeout=60)  # before the fix: waits forever for a writer to the pipe
    assert done.returncode == 1
    assert "'reg.xlsx' is geen gewoon bestand (maar bijvoorbeeld een pipe of apparaat)" in done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["reg.xlsx"]  # no lock, no backup left


def test_a_device_named_like_a_register_is_refused(tmp_path):
    device = tmp_path / "reg.xlsx"
    device.symlink_to("/dev/zero")
    done = cli("controleer", str(device), timeout=60)
    assert done.returncode == 1
    assert "geen gewoon bestand" in done.stderr
