"""The commands ``rente`` and ``incassokosten``: they show exactly what the library computes."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from debiteuren.law.collection_costs import collection_costs
from debiteuren.cli.law import add_commands
from debiteuren.law.interest import HANDELSRENTE, ROUND_PERIOD, WETTELIJKE, Payment, calculate_interest


def run(capsys, *argv: str) -> tuple[int, str, str]:
    parser = argparse.ArgumentParser(prog="debiteuren")
    add_commands(parser.add_subparsers(dest="command", required=True))
    try:
        args = parser.parse_args(list(argv))
        code = args.func(args)
    except SystemExit as stop:
        code = stop.code
    out, err = capsys.readouterr()
    return code, out, err


def test_rente_json_has_the_contract_fields(capsys):
    code, out, _ = run(
        capsys,
        "rente",
        "--hoofdsom",
        "10000",
        "--vanaf",
        "2025-06-01",
        "--tot",
        "2025-07-31",
        "--soort",
        "handelsrente",
        "--json",
    )
    assert code == 0
    data = json.loads(out)
    assert (data["interest"], data["total"], data["principal"]) == ("177.85", "10177.85", "10000.00")
    assert data["periods"] == [
        {
            "from": "2025-06-01",
            "to": "2025-06-30",
            "days": 30,
            "rate": "11.15",
            "base": "10000.00",
            "interest": "91.64",
            "capitalised": "0.00",
            "provisional": False,
        },
        {
            "from": "2025-07-01",
            "to": "2025-07-31",
            "days": 31,
            "rate": "10.15",
            "base": "10000.00",
            "interest": "86.21",
            "capitalised": "0.00",
            "provisional": False,
        },
    ]
    assert data["provisional"] is False and data["warnings"] == []


def test_rente_json_matches_the_library_with_payments_and_options(capsys):
    code, out, _ = run(
        capsys,
        "rente",
        "--hoofdsom",
        "1.000,00",
        "--vanaf",
        "2024-03-01",
        "--tot",
        "2025-04-30",
        "--soort",
        "wettelijke",
        "--betaling",
        "2025-03-01=500",
        "--betaling",
        "2025-04-01=600,00",
        "--afronding",
        "periode",
        "--json",
    )
    assert code == 0
    data = json.loads(out)
    library = calculate_interest(
        Decimal("1000"),
        date(2024, 3, 1),
        date(2025, 4, 30),
        WETTELIJKE,
        rounding=ROUND_PERIOD,
        payments=[Payment(date(2025, 3, 1), Decimal("500")), Payment(date(2025, 4, 1), Decimal("600"))],
    )
    assert data["interest"] == f"{library.interest:.2f}"
    assert data["total"] == f"{library.total:.2f}"
    assert [p["interest"] for p in data["payments"]] == [f"{p.interest:.2f}" for p in library.payments]
    assert data["payments"][0] == {
        "date": "2025-03-01",
        "amount": "500.00",
        "costs": "0.00",
        "interest": "68.57",
        "principal": "431.43",
        "unallocated": "0.00",
    }
    assert data["unallocated"] == f"{library.unallocated:.2f}" and library.unallocated > 0
    assert data["provisional"] is True  # the 2025 wettelijke rente


def test_rente_kosten_takes_a_payment_before_interest_and_principal(capsys):
    # € 1.000 wettelijke rente 2025 (6 %), € 150 costs, € 500 paid on 31 March (6:44):
    #   costs first: 150,00; interest 1 Jan to 31 Mar: 1.000 x 0,06 x 90 / 365 = 14,79; principal 500 - 150 - 14,79 = 335,21
    #   1 Apr to 31 Dec: 664,79 x 0,06 x 275 / 365 = 30,052 -> 30,05 still owed
    code, out, _ = run(
        capsys,
        "rente",
        "--hoofdsom",
        "1000",
        "--vanaf",
        "2025-01-01",
        "--tot",
        "2025-12-31",
        "--soort",
        "wettelijke",
        "--betaling",
        "2025-03-31=500",
        "--kosten",
        "150",
        "--json",
    )
    assert code == 0
    data = json.loads(out)
    assert data["payments"] == [
        {
            "date": "2025-03-31",
            "amount": "500.00",
            "costs": "150.00",
            "interest": "14.79",
            "principal": "335.21",
            "unallocated": "0.00",
        }
    ]
    assert (data["costs"], data["costs_paid"], data["outstanding_costs"]) == ("150.00", "150.00", "0.00")
    assert (data["outstanding_principal"], data["outstanding_interest"]) == ("664.79", "30.05")
    _, text, _ = run(
        capsys,
        "rente",
        "--hoofdsom",
        "1000",
        "--vanaf",
        "2025-01-01",
        "--tot",
        "2025-12-31",
        "--soort",
        "wettelijke",
        "--kosten",
        "150",
    )
    # no payment: the costs stay owed beside principal and interest (1.000 x 0,06 x 365 / 365 = 60,00)
    assert "Kosten:     € 150,00" in text and "Totaal met kosten:        € 1.210,00" in text


def test_enkelvoudig(capsys):
    _, out, _ = run(
        capsys,
        "rente",
        "--hoofdsom",
        "10000",
        "--vanaf",
        "2024-01-01",
        "--tot",
        "2025-12-31",
        "--soort",
        "handelsrente",
        "--enkelvoudig",
        "--json",
    )
    assert json.loads(out)["interest"] == "2305.41"  # the worked example in test_interest.py
    _, out, _ = run(
        capsys,
        "rente",
        "--hoofdsom",
        "10000",
        "--vanaf",
        "2024-01-01",
        "--tot",
        "2025-12-31",
        "--soort",
        "handelsrente",
        "--json",
    )
    assert json.loads(out)["interest"] == "2437.51"


def test_rente_table_is_a_dutch_specification(capsys):
    code, out, _ = run(
        capsys,
        "rente",
        "--hoofdsom",
        "10000",
        "--vanaf",
        "2024-01-01",
        "--tot",
        "2025-12-31",
        "--soort",
        "handelsrente",
    )
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "Renteberekening: wettelijke handelsrente (art. 6:119a BW)"
    rows = [line.split() for line in lines]
    assert ["01-01-2024", "30-06-2024", "182", "12,50%", "€", "10.000,00", "€", "623,29"] in rows
    assert ["01-01-2025", "30-06-2025", "181", "11,15%", "€", "11.240,82", "€", "621,53"] in rows
    assert "+ € 1.240,82" in out and "rente van het afgelopen jaar bijgeschreven" in out
    assert lines[-3:] == [
        "Totaal rente:              € 2.437,51",
        "Hoofdsom:                 € 10.000,00",
        "Totaal hoofdsom en rente: € 12.437,51",
    ]
    assert "voorlopig" not in out


def test_rente_table_marks_provisional_rates_and_shows_the_payments(capsys):
    code, out, _ = run(
        capsys,
        "rente",
        "--hoofdsom",
        "1000",
        "--vanaf",
        "2026-05-01",
        "--tot",
        "2026-12-31",
        "--soort",
        "handelsrente",
        "--betaling",
        "2026-09-30=200",
    )
    assert code == 0
    assert "10,40%" in out and "voorlopig percentage *" in out
    assert "* voorlopig percentage: niet officieel vastgesteld" in out
    assert "Betalingen, toegerekend volgens art. 6:44 BW (eerst kosten, dan rente, dan hoofdsom):" in out
    library = calculate_interest(
        Decimal("1000"),
        date(2026, 5, 1),
        date(2026, 12, 31),
        HANDELSRENTE,
        payments=[Payment(date(2026, 9, 30), Decimal("200"))],
    )
    assert f"Totaal openstaand (hoofdsom en rente): € {library.total:.2f}".replace(".", ",") in out


def test_rente_warns_when_the_table_may_be_stale(capsys):
    _, out, _ = run(
        capsys,
        "rente",
        "--hoofdsom",
        "1000",
        "--vanaf",
        "2027-01-01",
        "--tot",
        "2027-06-30",
        "--soort",
        "wettelijke",
        "--json",
    )
    warnings = json.loads(out)["warnings"]
    assert any("controleer of er een nieuw percentage is" in w for w in warnings)


@pytest.mark.parametrize(
    "argv, message",
    [
        (["--hoofdsom", "1000", "--vanaf", "2025-13-01"], "'2025-13-01' is geen geldige datum (verwacht jjjj-mm-dd"),
        (["--hoofdsom", "12,345"], "'12,345' heeft meer dan twee decimalen"),
        (["--hoofdsom", "twaalf"], "'twaalf' is geen bedrag"),
        (["--hoofdsom", "1000", "--betaling", "2025-03-01:50"], "is geen betaling (verwacht DATUM=BEDRAG"),
    ],
    ids=["date", "cents", "amount", "payment"],
)
def test_bad_arguments_exit_2_with_a_dutch_message(capsys, argv, message):
    base = {"--hoofdsom": "1000", "--vanaf": "2025-01-01", "--tot": "2025-06-30", "--soort": "wettelijke"}
    given = dict(zip(argv[::2], argv[1::2]))
    full = [x for key, value in {**base, **given}.items() for x in (key, value)]
    code, out, err = run(capsys, "rente", *full)
    assert code == 2 and out == ""
    assert message in err


def test_a_payment_after_the_last_day_exits_1(capsys):
    code, out, err = run(
        capsys,
        "rente",
        "--hoofdsom",
        "1000",
        "--vanaf",
        "2025-01-01",
        "--tot",
        "2025-06-30",
        "--soort",
        "wettelijke",
        "--betaling",
        "2025-07-01=50",
    )
    assert (code, out) == (1, "")
    assert err == "Fout: De betaling van 01-07-2025 valt na de laatste rentedag 30-06-2025.\n"


def test_incassokosten_json(capsys):
    code, out, _ = run(capsys, "incassokosten", "--hoofdsom", "10.000,00", "--btw", "21", "--json")
    assert code == 0
    data = json.loads(out)
    assert (data["costs"], data["vat"], data["total"], data["above_maximum"]) == ("875.00", "183.75", "1058.75", False)
    assert data["explanation"] == collection_costs(Decimal("10000"), vat_pct=Decimal("21")).explanation


def test_incassokosten_text(capsys):
    code, out, _ = run(capsys, "incassokosten", "--hoofdsom", "2500")
    assert code == 0
    assert out.splitlines()[-1] == "Incassokosten: € 375,00"
    code, _, err = run(capsys, "incassokosten", "--hoofdsom", "2500", "--btw", "veel")
    assert code == 2 and "'veel' is geen percentage" in err


def test_through_the_real_command_line():
    python = Path(sys.executable)
    script = (
        "import sys; from debiteuren.cli import main; "
        "sys.exit(main(['incassokosten', '--hoofdsom', '200.000,00', '--json']))"
    )
    done = subprocess.run([str(python), "-c", script], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["total"] == "2775.00"


def test_rente_kosten_vanaf_keeps_an_earlier_payment_off_the_costs(capsys):
    # The same € 1.000 (6 % in 2025) and € 150 costs, now due from 1 April (e.g. the day after a 14-day
    # letter's term): the € 500 of 31 March reaches interest and principal only (6:44): interest 1 Jan to
    # 31 Mar 1.000 x 0,06 x 90 / 365 = 14,79; principal 500 - 14,79 = 485,21, so 514,79 left; 1 Apr to 31 Dec:
    # 514,79 x 0,06 x 275 / 365 = 23,2715 -> 23,27 still owed; the costs stay owed in full.
    argv = ["rente", "--hoofdsom", "1000", "--vanaf", "2025-01-01", "--tot", "2025-12-31", "--soort", "wettelijke"]
    argv += ["--betaling", "2025-03-31=500", "--kosten", "150", "--kosten-vanaf", "2025-04-01"]
    code, out, _ = run(capsys, *argv, "--json")
    assert code == 0
    data = json.loads(out)
    [payment] = data["payments"]
    assert (payment["costs"], payment["interest"], payment["principal"]) == ("0.00", "14.79", "485.21")
    assert (data["costs"], data["costs_paid"], data["outstanding_costs"]) == ("150.00", "0.00", "150.00")
    assert (data["outstanding_principal"], data["outstanding_interest"]) == ("514.79", "23.27")
    assert data["costs_due_from"] == "2025-04-01"
    _, text, _ = run(capsys, *argv)
    assert "Kosten:     € 150,00, verschuldigd vanaf 01-04-2025 (geen rente; betalingen vanaf die dag" in text
    # Without the option the costs are owed from the start (as before) and the JSON says so.
    code, out, _ = run(capsys, *argv[:-2], "--json")
    assert json.loads(out)["costs_due_from"] is None and json.loads(out)["costs_paid"] == "150.00"
    # A day is read as the other dates are.
    code, _, err = run(capsys, *argv[:-1], "01-04-2025")
    assert code == 2 and "'01-04-2025' is geen geldige datum (verwacht jjjj-mm-dd" in err
