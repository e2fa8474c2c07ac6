"""The command line as a controller uses it: exit codes, Dutch output, nothing written."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from datetime import date
from pathlib import Path

from debiteuren.cli import main
from workbooks import write_register

ROOT = Path(__file__).resolve().parents[1]


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_controleer_accepts_a_valid_register(tmp_path, capsys):
    path = write_register(tmp_path)
    assert main(["controleer", str(path)]) == 0
    out = capsys.readouterr().out
    assert "Het register 'register.xlsx' is in orde." in out
    assert "Debiteuren: 2 (1 zakelijk, 1 consument)" in out
    assert "Facturen: 2 voor € 1.331,00" in out


def test_controleer_lists_every_error_exits_1_and_writes_nothing(tmp_path, capsys):
    path = write_register(
        tmp_path,
        Facturen=[
            ["Factuurnummer", "Debiteurnummer", "Factuurdatum", "Bedrag"],
            ["F-001", "1001", "31-02-2025", 10],
            ["F-002", "7777", date(2025, 3, 1), "tien euro"],
        ],
    )
    before = digest(path)
    files_before = sorted(p.name for p in tmp_path.iterdir())
    assert main(["controleer", str(path)]) == 1
    err = capsys.readouterr().err
    assert "Het register bevat 3 fouten:" in err
    assert "- Blad 'Facturen', rij 2, kolom 'Factuurdatum': '31-02-2025' is ongeldig" in err
    assert "- Blad 'Facturen', rij 3, kolom 'Bedrag': 'tien euro' is ongeldig" in err
    assert "- Blad 'Facturen', rij 3, kolom 'Debiteurnummer': '7777' is ongeldig" in err
    assert "Er is niets berekend of weggeschreven." in err
    assert digest(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == files_before


def test_controleer_on_a_missing_file(tmp_path, capsys):
    assert main(["controleer", str(tmp_path / "weg.xlsx")]) == 1
    assert "bestaat niet" in capsys.readouterr().err


def test_controleer_on_the_demo_register_exits_0():
    result = subprocess.run(
        [sys.executable, "-m", "debiteuren.cli", "controleer", str(ROOT / "workbook" / "debiteuren.xlsx")],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert "is in orde" in result.stdout


def test_controleer_on_the_empty_register_says_there_is_nothing_to_check(capsys):
    assert main(["controleer", str(ROOT / "workbook" / "leeg-register.xlsx")]) == 1
    err = capsys.readouterr().err
    assert err.startswith("Fout: Het register 'leeg-register.xlsx' bevat nog geen facturen")
    assert "De bladen en kolommen zijn in orde" in err


def test_unknown_option_is_reported_in_dutch(capsys):
    try:
        main(["controleer"])
    except SystemExit as stop:
        assert stop.code == 2
    assert "deze argumenten ontbreken" in capsys.readouterr().err


def test_review_json_on_the_demo_register_has_the_contract_fields():
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "debiteuren.cli",
            "review",
            str(ROOT / "workbook" / "debiteuren.xlsx"),
            "--peildatum",
            "2026-10-31",
            "--niet-terugschrijven",
            "--json",
        ],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["peildatum"] == "2026-10-31"
    for field in ("open_total", "overdue_total", "ageing", "dso_countback", "dso_simple", "cei", "debtors"):
        assert field in data
    # Amounts are strings with two decimals; the ageing buckets add up to the open total.
    ageing_cents = sum(int(v.replace(".", "")) for v in data["ageing"].values())
    assert data["open_total"].count(".") == 1 and len(data["open_total"].split(".")[1]) == 2
    assert ageing_cents == int(data["open_total"].replace(".", ""))
    debtor = data["debtors"][0]
    assert set(debtor) >= {"debiteurnummer", "open", "overdue", "segment", "early_warning"}


def test_review_writes_the_result_sheets_back_by_default(tmp_path, capsys):
    import python_calamine

    path = write_register(tmp_path)
    for _ in range(2):  # a rerun on the same peildatum replaces, never duplicates
        assert main(["review", str(path), "--peildatum", "2026-10-31"]) == 0
    out = capsys.readouterr().out
    assert "Resultaatbladen geschreven: Ouderdom, Actielijst, Kerncijfers, Prognose." in out
    workbook = python_calamine.CalamineWorkbook.from_path(str(path), load_tables=True)
    assert {"Ouderdom", "Actielijst", "Kerncijfers", "Prognose"} <= set(workbook.sheet_names)
    kerncijfers = workbook.get_table_by_name("Kerncijfers").to_python()
    assert len(kerncijfers) == 1
    ouderdom = workbook.get_table_by_name("Ouderdom")
    rows = {row[0]: dict(zip(ouderdom.columns, row)) for row in ouderdom.to_python()}
    # 1001: F-001 of 1.210,00 less 210,00 paid, due 1 October: 30 days past due on 31 October.
    assert rows["1001"]["1-30"] == 1000.0 and rows["1001"]["Totaal open"] == 1000.0
    # The register itself still reads the same.
    assert main(["controleer", str(path)]) == 0


def test_review_with_niet_terugschrijven_leaves_the_workbook_untouched(tmp_path):
    path = write_register(tmp_path)
    before = digest(path)
    assert main(["review", str(path), "--peildatum", "2026-10-31", "--niet-terugschrijven"]) == 0
    assert digest(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["register.xlsx"]


def test_review_refuses_to_write_while_excel_has_the_workbook_open(tmp_path, capsys):
    path = write_register(tmp_path)
    (tmp_path / "~$register.xlsx").write_bytes(b"owner")
    before = digest(path)
    assert main(["review", str(path), "--peildatum", "2026-10-31"]) == 1
    assert "is geopend in Excel" in capsys.readouterr().err
    assert digest(path) == before


def test_review_of_an_empty_register_says_so_and_writes_nothing(tmp_path, capsys):
    empty = tmp_path / "leeg.xlsx"
    empty.write_bytes((ROOT / "workbook" / "leeg-register.xlsx").read_bytes())
    before = digest(empty)
    assert main(["review", str(empty), "--peildatum", "2026-10-31"]) == 1
    assert "Het register bevat nog geen facturen" in capsys.readouterr().err
    assert digest(empty) == before


def test_an_unwritable_letters_folder_gives_a_message_not_a_traceback(tmp_path, capsys):
    path = write_register(
        tmp_path,
        Acties=[["Datum", "Debiteurnummer", "Soort"]],
    )
    blocker = tmp_path / "bezet"
    blocker.write_text("a file where the letters folder should go")
    code = main(["review", str(path), "--peildatum", "2026-10-31", "--brieven", "--uitvoer", str(blocker / "brieven")])
    err = capsys.readouterr().err
    assert code == 1
    assert err.startswith("Fout: een bestand of map is niet te lezen of te schrijven")
    assert "Traceback" not in err


def test_peildatum_is_also_accepted_as_a_dutch_date_and_a_wrong_one_is_named(tmp_path, capsys):
    path = write_register(tmp_path)
    assert main(["review", str(path), "--peildatum", "31-10-2026", "--niet-terugschrijven", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["peildatum"] == "2026-10-31"
    try:
        main(["review", str(path), "--peildatum", "31-02-2026", "--niet-terugschrijven"])
    except SystemExit as stop:
        assert stop.code == 2
    else:
        raise AssertionError("a date that does not exist must stop the command")
    assert "'31-02-2026' is geen datum (verwacht jjjj-mm-dd of dd-mm-jjjj" in capsys.readouterr().err


def test_letters_are_dated_the_day_they_are_made_or_the_briefdatum(tmp_path, monkeypatch):
    import datetime as dt

    import debiteuren.cli as cli
    import debiteuren.letters.pdf as pdf
    from debiteuren.register import read_register
    from demo_registers import demo_copy, run_cli

    class MadeOn(dt.date):  # the edge's clock: letters made on Monday 2 November 2026
        @classmethod
        def today(cls):
            return dt.date(2026, 11, 2)

    monkeypatch.setattr(cli, "date", MadeOn)
    monkeypatch.setattr(pdf, "converter", lambda: None)
    for folder, extra, made in (
        ("standaard", [], "2026-11-02"),
        ("gekozen", ["--briefdatum", "2026-11-03"], "2026-11-03"),
    ):
        path = demo_copy(tmp_path / folder)
        code, _, err = run_cli(["review", str(path), "--peildatum", "2026-10-31", "--brieven", *extra])
        assert code == 0, err
        assert (path.parent / "brieven" / made).is_dir() and not (path.parent / "brieven" / "2026-10-31").exists()
        actions = read_register(path).actions
        letters = actions.loc[actions["digest"].notna()]
        assert len(letters) > 0 and set(letters["action_date"].dt.date.astype(str)) == {made}
        reminders = letters.loc[letters["description"].str.startswith("Betalingsherinnering verstuurd"), "description"]
        reminder = reminders.iloc[0]
        # 7 days from the letter's date, not from the peildatum (31 October + 7 = 7 November).
        pay_by = dt.date.fromisoformat(made) + dt.timedelta(days=7)
        assert reminder.endswith(f"uiterlijk {pay_by:%d-%m-%Y}")


def test_demo_copies_the_register_and_runs_the_review_with_every_review_option_at_its_default(tmp_path, capsys):
    # `debiteuren demo` builds the review's arguments itself; a review option it did not know of once
    # made it fail ("no attribute 'briefdatum'"). It parses them as the command line does now.
    assert main(["demo", str(tmp_path / "demo")]) == 0
    out = capsys.readouterr().out
    assert "maandreview per 31-10-2026" in out and "Resultaatbladen geschreven" in out
    assert (tmp_path / "demo" / "debiteuren.xlsx").is_file()
