"""Smoke test of the benchmark script (bench/run.py): the small size, few repeats, no timing assertions."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from debiteuren.letters.pdf import converter

RUN = Path(__file__).resolve().parents[1] / "bench" / "run.py"
PHASES = ("read", "review", "app_load", "write_back", "letters_docx", "letters_pdf", "letters_batch_pdf")
NEED_PDF = ("letters_pdf", "letters_batch_pdf")
WITH_BASELINE = ("read", "review", "write_back", "letters_pdf")


def test_small_benchmark_prints_one_json_object_with_every_phase():
    command = [sys.executable, str(RUN), "--size", "small", "--json", "--repeat", "1", "--baseline-repeat", "1",
               "--pdf-repeat", "1", "--letters", "3", "--pdf-sample", "1", "--letters-batch", "3"]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    lines = done.stdout.strip().splitlines()
    assert len(lines) == 1, done.stdout
    result = json.loads(lines[0])

    assert result["size"] == "small"
    assert result["peak_memory_mb"] > 0
    assert result["counts"]["debtors"] == 60 and result["counts"]["invoices"] > 0
    expected = PHASES if converter() is not None else tuple(p for p in PHASES if p not in NEED_PDF)
    assert set(result["phases"]) == set(expected)
    for name in expected:
        phase = result["phases"][name]
        assert phase["seconds"] > 0, name
        if name in WITH_BASELINE:
            assert phase["baseline_seconds"] > 0, name
            assert abs(phase["ratio"] - phase["baseline_seconds"] / phase["seconds"]) < 1e-9, name
        else:
            assert "baseline_seconds" not in phase and "ratio" not in phase, name
    if converter() is not None:  # every letter of the batch came out, and the bundle
        batch = result["phases"]["letters_batch_pdf"]
        assert (batch["letters"], batch["pdfs"], batch["failed"], batch["bundle"]) == (3, 3, 0, True)
    # The per-invoice baseline agrees with the review on the small register (run in full there).
    check = next(n for n in result["notes"] if n.startswith("review baseline check"))
    open_part = check.split(";")[0].removeprefix("review baseline check: open ")
    assert open_part.split(" vs ours ")[0] == open_part.split(" vs ours ")[1].removesuffix(" EUR")
