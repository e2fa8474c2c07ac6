"""Reading a large register in two processes gives exactly what reading it in one gives."""

from __future__ import annotations

import multiprocessing
import os
import sys
import threading
from datetime import date, datetime

import numpy as np
import pandas as pd
import pytest

from debiteuren.register import RegisterInvalid, WorkbookUnreadable, file_backend, read_register, split_read
from debiteuren.register.tables import is_total_label, normalise_cell, normalise_column, total_rows
from debiteuren.register.validation import build_register
from workbooks import DEFAULT_SHEETS, write_register

needs_fork = pytest.mark.skipif(
    "fork" not in multiprocessing.get_all_start_methods(), reason="this platform cannot fork a process"
)


def messy_register(tmp_path):
    """Valid, but with what real registers hold: spaces, blank rows, totals rows, mixed cell types."""
    return write_register(
        tmp_path,
        "rommelig.xlsx",
        Debiteuren=[
            ["  debiteur nummer ", "NAAM", "soort", "Betaal-termijn", "Eigen kolom"],
            [1001, " Bakkerij B.V. ", "Zakelijk ", 30, "x"],
            [None, None, None, None, None],
            ["1002", "J. de Vries", "consument", None, 7],
            ["1003", "Groot B.V.", "zakelijk", 90, None],
        ],
        Facturen=[
            ["Factuurnummer", "Debiteurnummer", "Factuurdatum", "Vervaldatum", "Bedrag", "Betwist", "Omschrijving"],
            ["F-1", "1001 ", "31-12-2025", "2026-01-30", "€ 1.234,56", "Ja", "  levering  "],
            [None, None, None, None, None, None, None],
            ["F-2", 1002.0, 46022, None, "1,50", None, ""],
            [" F-3", 1003, datetime(2026, 2, 1, 0, 0), date(2026, 3, 1), 99.95, "nee", 12],
            ["Totaal:", None, None, None, 1335.01, None, None],
        ],
        Betalingen=[
            ["Datum", "Debiteurnummer", "Factuurnummer", "Bedrag", "Omschrijving"],
            ["5-1-2026", 1001, "F-1", "€ 34,56", " overboeking "],
            [None, None, None, None, None],
            [date(2026, 2, 3), "1003", None, 500, None],  # more than open: a warning
            ["TOTAAL", None, None, 534.56, None],
        ],
    )


def invalid_register(tmp_path):
    """Errors and warnings on every large sheet, so both processes have problems to report."""
    return write_register(
        tmp_path,
        "fout.xlsx",
        Debiteuren=[
            ["Debiteurnummer", "Naam", "Soort", "Status", "Betaaltermijn"],
            ["1001", "Bakkerij B.V.", "zakelijk", "actief", 90],
            ["1001", "Dubbel B.V.", "zakelijk", "slapend", 30],
            ["1003", None, "particulier", None, None],
        ],
        Facturen=[
            ["Factuurnummer", "Debiteurnummer", "Factuurdatum", "Vervaldatum", "Bedrag"],
            ["F-001", "1001", "31-02-2025", None, "100,00"],
            ["F-002", "9999", date(2025, 3, 1), date(2025, 2, 1), "12,345"],
            ["F-002", "1001", date(2025, 3, 1), None, "USD 100"],
        ],
        Betalingen=[
            ["Datum", "Debiteurnummer", "Factuurnummer", "Bedrag"],
            [date(2025, 4, 1), None, None, 50],
            [date(2025, 4, 2), "1001", "F-404", -5],
            ["gisteren", "1001", "F-002", 10],
        ],
        Acties=[["Datum", "Debiteurnummer", "Soort"], [date(2025, 4, 3), "1001", "Koffie"]],
    )


def outcome(tables):
    """What build_register makes of the tables: the register, or the problems it reports."""
    try:
        register = build_register(tables)
    except RegisterInvalid as invalid:
        return "invalid", invalid.problems, invalid.warnings
    return "valid", register


def assert_same_outcome(got, expected):
    assert got[0] == expected[0]
    if expected[0] == "invalid":
        assert [str(p) for p in got[1]] == [str(p) for p in expected[1]]
        assert got[1:] == expected[1:]
        return
    got, expected = got[1], expected[1]
    for table in ("debtors", "invoices", "payments", "actions", "arrangements"):
        pd.testing.assert_frame_equal(getattr(got, table), getattr(expected, table))
    assert got.settings == expected.settings
    assert got.policy == expected.policy
    assert got.rate_overrides == expected.rate_overrides
    assert got.warnings == expected.warnings


@needs_fork
@pytest.mark.parametrize("make", [messy_register, invalid_register])
def test_two_processes_report_what_one_process_reports(tmp_path, make):
    path = make(tmp_path)
    plain = outcome(file_backend.read_tables(path))
    assert_same_outcome(outcome(split_read.read_typed(path)), plain)
    assert multiprocessing.active_children() == []
    if make is messy_register:
        # The messy cells really were messy: the totals rows and blank rows are gone, the warning is there.
        register = plain[1]
        assert register.invoices["invoice_id"].tolist() == ["F-1", "F-2", "F-3"]
        assert register.invoices["excel_row"].tolist() == [2, 4, 5]
        assert register.payments["excel_row"].tolist() == [2, 4]
        assert register.debtors["name"].tolist() == ["Bakkerij B.V.", "J. de Vries", "Groot B.V."]
        assert [w.row for w in register.warnings] == [5, 4]


def test_a_spawned_second_process_reports_the_same(tmp_path):
    # Windows and macOS would spawn; read_register does not split there, but the path must stay correct.
    path = messy_register(tmp_path)
    assert_same_outcome(outcome(split_read.read_typed(path, "spawn")), outcome(file_backend.read_tables(path)))
    assert multiprocessing.active_children() == []


@needs_fork
def test_when_the_second_process_fails_this_one_reads_its_sheets(tmp_path, monkeypatch):
    path = invalid_register(tmp_path)
    plain = outcome(file_backend.read_tables(path))
    parent = os.getpid()

    def broken(*args, **kwargs):
        if os.getpid() == parent:
            raise AssertionError("the parent reads through read_sheets, not read_tables")
        os._exit(3)  # the child dies without a word

    monkeypatch.setattr(file_backend, "read_tables", broken)
    assert_same_outcome(outcome(split_read.read_typed(path)), plain)
    assert multiprocessing.active_children() == []


@needs_fork
def test_an_error_here_stops_the_second_process(tmp_path, monkeypatch):
    path = messy_register(tmp_path)
    parent = os.getpid()
    read_sheets = file_backend.read_sheets

    def failing_here(workbook, names):
        if os.getpid() == parent:
            raise ValueError("kapot blad")
        return read_sheets(workbook, names)

    monkeypatch.setattr(file_backend, "read_sheets", failing_here)
    with pytest.raises(ValueError, match="kapot blad"):
        split_read.read_typed(path)
    assert multiprocessing.active_children() == []


@needs_fork
def test_two_broken_sheets_give_the_plain_paths_message(tmp_path, monkeypatch):
    # Facturen is read here, Debiteuren (before it in the workbook) by the other process.
    path = messy_register(tmp_path)
    build = file_backend.raw_table_from_grid

    def broken(sheet, *args):
        if sheet in ("Debiteuren", "Facturen"):
            raise WorkbookUnreadable(f"Het blad '{sheet}' is kapot.")
        return build(sheet, *args)

    monkeypatch.setattr(file_backend, "raw_table_from_grid", broken)
    with pytest.raises(WorkbookUnreadable) as plain:
        file_backend.read_tables(path)
    with pytest.raises(WorkbookUnreadable) as split:
        split_read.read_typed(path)
    assert str(split.value) == str(plain.value) == "Het blad 'Debiteuren' is kapot."
    assert multiprocessing.active_children() == []


def _problems_read_by_a_daemon(path, sender):
    # A daemonic process may not start one: read_typed must read everything itself.
    sender.send([str(p) for p in outcome(split_read.read_typed(path))[1]])


@needs_fork
def test_a_daemon_process_reads_alone(tmp_path):
    path = invalid_register(tmp_path)
    receiver, sender = multiprocessing.get_context("fork").Pipe(duplex=False)
    daemon = multiprocessing.get_context("fork").Process(
        target=_problems_read_by_a_daemon, args=(path, sender), daemon=True
    )
    daemon.start()
    problems = receiver.recv()
    daemon.join()
    assert daemon.exitcode == 0
    assert problems == [str(p) for p in outcome(file_backend.read_tables(path))[1]]
    assert problems  # the register is invalid: there is something to compare


def test_read_register_splits_only_large_files(tmp_path, monkeypatch):
    path = messy_register(tmp_path)
    assert not split_read.worth_splitting(path)
    assert not split_read.worth_splitting(tmp_path / "weg.xlsx")
    plain = read_register(path, live=False)
    monkeypatch.setattr(split_read, "SPLIT_MIN_BYTES", 0)
    calls = []
    monkeypatch.setattr(split_read, "read_typed", lambda p: calls.append(p) or file_backend.read_tables(p))
    assert_same_outcome(("valid", read_register(path, live=False)), ("valid", plain))
    assert calls == ([path] if split_read.worth_splitting(path) else [])
    assert split_read.worth_splitting(path) == (
        sys.platform.startswith("linux")
        and "fork" in multiprocessing.get_all_start_methods()
        and threading.active_count() == 1
    )


def test_a_caller_with_other_threads_does_not_fork(tmp_path, monkeypatch):
    path = messy_register(tmp_path)
    monkeypatch.setattr(split_read, "SPLIT_MIN_BYTES", 0)
    single = split_read.worth_splitting(path)
    release = threading.Event()
    other = threading.Thread(target=release.wait)  # as a Jupyter kernel's threads would be
    other.start()
    try:
        assert not split_read.worth_splitting(path)
    finally:
        release.set()
        other.join()
    assert split_read.worth_splitting(path) == single


def test_missing_file_has_the_plain_message_on_the_split_path(tmp_path):
    with pytest.raises(WorkbookUnreadable, match="bestaat niet"):
        split_read.read_typed(tmp_path / "weg.xlsx")


# --- the fast paths of tables.py against the cell-by-cell definitions ------------------


TRICKY = [
    "Totaal",
    " totaal: ",
    "TOTAAL :",
    "Eindtotaal::",
    "ſom",  # long s: casefolds to 'som'
    "Subtotal",
    "2024-000001",
    "tot",
    "Som van alles",
    "",
    "   ",
    "é",
    "\u00a0Totaal\u00a0",
]


@pytest.mark.parametrize(
    "column",
    [
        TRICKY,
        [v for v in TRICKY if v.strip()],
        ["2024-000001", "2024-000002"],
        ["a", None, "Totaal"],
        ["b ", None, ""],
        [1.0, "Totaal", date(2026, 1, 1), None, True],
        [1.0, 2.0],
    ],
)
def test_fast_column_paths_match_cell_by_cell(column):
    normalised = normalise_column(column)
    assert normalised == tuple(normalise_cell(v) for v in column)
    expected = np.array([is_total_label(v) for v in normalised], dtype=bool)
    totals = total_rows(normalised)
    assert (totals if totals is not None else np.zeros(len(column), dtype=bool)).tolist() == expected.tolist()
    assert (totals is None) == (not expected.any())


def test_default_register_has_no_totals():
    assert total_rows([row[0] for row in DEFAULT_SHEETS["Facturen"][1:]]) is None
