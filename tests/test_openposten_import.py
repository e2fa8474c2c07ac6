"""Importing open-item exports (Exact Online, Twinfield, AFAS, Moneybird, SnelStart) into the register."""

from __future__ import annotations

import argparse
import json
from datetime import date, datetime
from pathlib import Path

import pytest

from debiteuren.openposten import (
    MappingError,
    OpenpostenError,
    available_mappings,
    import_openposten,
    load_mapping,
    read_export,
)
from debiteuren.cli.openposten import add_commands
from debiteuren.register import read_register
from workbooks import write_register

FIXTURES = Path(__file__).parent / "fixtures_openposten"
NOW = datetime(2026, 11, 2, 9, 30)

# package -> (sample export, new debtors, new invoices)
SAMPLES = {
    "exact_online": (
        "exact_online.csv",
        {"2001": "Groothandel Van Dijk B.V."},
        {"F-003": 242050, "F-004": 1210000, "F-005": -60500},
    ),
    "twinfield": ("twinfield.csv", {"3001": "Installatiebedrijf Jansen & Zn."}, {"F-003": 242050, "F-006": 484000}),
    "afas": ("afas.xlsx", {"6001": "Zorginstelling De Linde"}, {"F-009": 290425}),
    "moneybird": ("moneybird.csv", {"4001": "Fietsenmaker Öztürk"}, {"F-007": 36300}),
    "snelstart": ("snelstart.csv", {"5001": "Café ’t Hoekje"}, {"F-008": 181500}),
    "yuki": ("yuki.csv", {"7001": "Kapsalon Knipwerk"}, {"F-003": 242050, "F-010": 105572}),
}


def run_command(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="debiteuren")
    add_commands(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["import-openposten", *argv])
    return args.func(args)


def test_every_package_has_a_mapping_and_a_sample():
    assert set(available_mappings()) == set(SAMPLES)
    for name in SAMPLES:
        mapping = load_mapping(name)
        assert mapping.name == name and mapping.title
        text = mapping.source.read_text(encoding="utf-8")
        # every mapping states its provenance, and says what was not checked against a real export
        assert any(line.startswith("# Status:") for line in text.splitlines()), name
        assert "kolomnamen niet geverifieerd tegen een echte export" in text, name


@pytest.mark.parametrize("package", sorted(SAMPLES))
def test_sample_export_appends_new_and_reports_differences(tmp_path, package, capsys):
    sample, new_debtors, new_invoices = SAMPLES[package]
    register_path = write_register(tmp_path)

    assert run_command([str(register_path), str(FIXTURES / sample), "--pakket", package, "--toepassen"]) == 0
    out = capsys.readouterr().out
    assert f"Nieuwe debiteuren: {len(new_debtors)}" in out
    assert "factuur F-002, Bedrag: register € 121,00, export € 130,00" in out
    assert "toegevoegd aan het blad 'Facturen'" in out

    register = read_register(register_path)
    debtors = register.debtors.set_index("debtor_id")
    for debtor_id, name in new_debtors.items():
        assert debtors.loc[debtor_id, "name"] == name
        assert debtors.loc[debtor_id, "kind"] == "zakelijk"
    assert debtors.loc["1002", "kind"] == "consument"  # existing debtors untouched
    invoices = register.invoices.set_index("invoice_id")
    assert sorted(invoices.index) == sorted(["F-001", "F-002", *new_invoices])
    for invoice_id, cents in new_invoices.items():
        assert invoices.loc[invoice_id, "amount_cents"] == cents
    # Same data: skipped; different amount: reported, not changed.
    assert invoices.loc["F-001", "amount_cents"] == 121000
    assert invoices.loc["F-002", "amount_cents"] == 12100


def test_import_details_dates_descriptions_and_debtor_fields(tmp_path):
    register_path = write_register(tmp_path)
    result = import_openposten(
        register_path, FIXTURES / "afas.xlsx", load_mapping("afas"), apply=True, generated_at=NOW
    )
    assert [i.invoice_id for i in result.plan.unchanged] == ["F-001"]
    register = read_register(register_path)
    invoice = register.invoices.set_index("invoice_id").loc["F-009"]
    assert invoice["invoice_date"].date() == date(2026, 10, 20)
    assert invoice["due_date"].date() == date(2026, 11, 19)
    assert invoice["description"] == "Catering"
    debtor = register.debtors.set_index("debtor_id").loc["6001"]
    assert (debtor["city"], debtor["email"]) == ("Apeldoorn", "crediteuren@delinde.nl")


def test_without_toepassen_nothing_is_written(tmp_path, capsys):
    register_path = write_register(tmp_path)
    before = register_path.read_bytes()
    assert run_command([str(register_path), str(FIXTURES / "exact_online.csv"), "--pakket", "exact_online"]) == 0
    out = capsys.readouterr().out
    assert "Nieuwe facturen: 3" in out
    assert "voeg de nieuwe debiteuren en facturen toe met --toepassen".casefold() in out.casefold()
    assert register_path.read_bytes() == before


def test_second_import_finds_nothing_new(tmp_path, capsys):
    register_path = write_register(tmp_path)
    mapping = load_mapping("exact_online")
    import_openposten(register_path, FIXTURES / "exact_online.csv", mapping, apply=True, generated_at=NOW)
    after_first = register_path.read_bytes()
    again = import_openposten(register_path, FIXTURES / "exact_online.csv", mapping, apply=True, generated_at=NOW)
    assert not again.plan.new_debtors and not again.plan.new_invoices
    assert again.written is None
    assert len(again.plan.unchanged) == 4 and len(again.plan.differences) == 1
    assert register_path.read_bytes() == after_first


def test_json_output(tmp_path, capsys):
    register_path = write_register(tmp_path)
    assert run_command([str(register_path), str(FIXTURES / "moneybird.csv"), "--pakket", "moneybird", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["package"] == "moneybird" and data["applied"] is False
    assert data["new_debtors"] == [{"debtor": "4001", "name": "Fietsenmaker Öztürk", "kind": "zakelijk", "row": 4}]
    assert data["new_invoices"][0]["amount"] == "363.00"
    assert data["differences"] == [
        {"what": "factuur", "key": "F-002", "field": "Bedrag", "register": "€ 121,00", "export": "€ 130,00", "row": 3}
    ]


def test_debtor_name_difference_is_reported_not_written(tmp_path):
    register_path = write_register(tmp_path)
    export = tmp_path / "export.csv"
    export.write_text(
        "Code;Naam;Factuurnummer;Factuurdatum;Bedrag\n1001;Bakkerij Korenschoof;F-001;01-09-2026;1.210,00\n",
        encoding="utf-8",
    )
    result = import_openposten(register_path, export, load_mapping("exact_online"), apply=True, generated_at=NOW)
    [difference] = result.plan.differences
    assert (difference.what, difference.key, difference.field) == ("debiteur", "1001", "Naam")
    assert result.written is None
    assert (
        read_register(register_path).debtors.set_index("debtor_id").loc["1001", "name"]
        == "Bakkerij De Korenschoof B.V."
    )


BAD_FILES = {
    "wrong_delimiter": (
        "export.csv",
        'Code,Naam,Factuurnummer,Factuurdatum,Bedrag\n2001,Van Dijk,F-010,01-10-2026,"100,00"\n',
        ["'export.csv'", "komma (,)", "puntkomma (;)"],
    ),
    "missing_column": (
        "export.csv",
        "Code;Naam;Factuurnummer;Factuurdatum\n2001;Van Dijk;F-010;01-10-2026\n",
        [
            "'export.csv' mist verplichte kolommen",
            "factuurbedrag: kolom 'Bedrag' of 'Factuurbedrag'",
            "Gevonden kolommen",
        ],
    ),
    "bad_amount": (
        "export.csv",
        "Code;Naam;Factuurnummer;Factuurdatum;Bedrag\n2001;Van Dijk;F-010;01-10-2026;100,00\n"
        "2001;Van Dijk;F-011;02-10-2026;honderd\n",
        ["'export.csv'", "rij 3, kolom 'Bedrag': 'honderd' is geen een bedrag in euro's"],
    ),
    "three_decimals": (
        "export.csv",
        "Code;Naam;Factuurnummer;Factuurdatum;Bedrag\n2001;Van Dijk;F-010;01-10-2026;12,345\n",
        ["rij 2, kolom 'Bedrag'", "hele centen"],
    ),
    "bad_date": (
        "export.csv",
        "Code;Naam;Factuurnummer;Factuurdatum;Bedrag\n2001;Van Dijk;F-010;31-02-2026;100,00\n",
        ["rij 2, kolom 'Factuurdatum': '31-02-2026' is geen een geldige datum"],
    ),
    "iso_date_where_dmy_expected": (
        "export.csv",
        "Code;Naam;Factuurnummer;Factuurdatum;Bedrag\n2001;Van Dijk;F-010;2026-10-01;100,00\n",
        ["rij 2, kolom 'Factuurdatum'", "dd-mm-jjjj"],
    ),
    "empty_required_cell": (
        "export.csv",
        "Code;Naam;Factuurnummer;Factuurdatum;Bedrag\n2001;;F-010;01-10-2026;100,00\n",
        ["rij 2, kolom 'Naam': leeg, verwacht naam debiteur"],
    ),
    "two_names_for_one_debtor": (
        "export.csv",
        "Code;Naam;Factuurnummer;Factuurdatum;Bedrag\n2001;Van Dijk;F-010;01-10-2026;1,00\n"
        "2001;Jansen;F-011;01-10-2026;1,00\n",
        ["rij 3: debiteur 2001 heet hier 'Jansen', op rij 2 'Van Dijk'"],
    ),
    "unknown_format": ("export.pdf", "%PDF-1.4", ["'export.pdf' heeft een onbekend formaat (.pdf)"]),
    "xlsx_that_is_not": ("export.xlsx", "Code;Naam\n", ["'export.xlsx' is geen Excel-werkmap"]),
}


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_bad_file_is_refused_in_dutch_and_changes_nothing(tmp_path, capsys, case):
    name, content, expected = BAD_FILES[case]
    register_path = write_register(tmp_path)
    before = register_path.read_bytes()
    export = tmp_path / name
    export.write_text(content, encoding="utf-8")

    assert run_command([str(register_path), str(export), "--pakket", "exact_online", "--toepassen"]) == 1
    err = capsys.readouterr().err
    for text in expected:
        assert text in err
    assert "de werkmap is niet gewijzigd" in err
    assert register_path.read_bytes() == before
    assert not (tmp_path / "reservekopieen").exists()


def test_text_in_the_wrong_encoding_is_refused(tmp_path):
    export = tmp_path / "export.csv"
    export.write_bytes("Code;Naam;Factuurnummer;Factuurdatum;Bedrag\n2001;Café;F-1;01-10-2026;1,00\n".encode("cp1252"))
    with pytest.raises(OpenpostenError, match="tekenset utf-8-sig"):
        read_export(export, load_mapping("exact_online"))


def test_unknown_package_is_refused(tmp_path, capsys):
    register_path = write_register(tmp_path)
    assert run_command([str(register_path), str(FIXTURES / "exact_online.csv"), "--pakket", "king"]) == 1
    err = capsys.readouterr().err
    assert "Onbekend pakket 'king'" in err and "exact_online" in err


def test_json_answers_a_refusal_with_one_object_too(tmp_path, capsys):
    register_path = write_register(tmp_path)
    before = register_path.read_bytes()
    assert run_command([str(register_path), str(FIXTURES / "exact_online.csv"), "--pakket", "king", "--json"]) == 1
    out, err = capsys.readouterr()
    data = json.loads(out)
    assert err == "" and data["refused"] is True and data["changed"] is False
    assert data["message"].startswith("Fout: Onbekend pakket 'king'")
    assert register_path.read_bytes() == before


def test_a_new_package_is_a_new_mapping_file(tmp_path):
    mapping_file = tmp_path / "mijnpakket.toml"
    mapping_file.write_text(
        'title = "Mijn Pakket"\n[csv]\ndelimiter = "|"\ndecimal = "."\ndate_order = "ymd"\n'
        '[defaults]\nkind = "consument"\n'
        '[columns]\ndebtor_id = "Klant"\ndebtor_name = "Naam"\ninvoice_id = "Nr"\n'
        'invoice_date = "Datum"\namount = ["Totaal", "Bedrag"]\n',
        encoding="utf-8",
    )
    export = tmp_path / "export.txt"
    export.write_text("Klant|Naam|Nr|Datum|Totaal\n7001|P. Bakker|F-100|2026-10-30|1,000.50\n", encoding="utf-8")
    register_path = write_register(tmp_path)
    result = import_openposten(register_path, export, load_mapping(mapping_file), apply=True, generated_at=NOW)
    assert [i.amount_cents for i in result.plan.new_invoices] == [100050]
    debtor = read_register(register_path).debtors.set_index("debtor_id").loc["7001"]
    assert debtor["kind"] == "consument"


FULL_COLUMNS = '[columns]\ndebtor_id = "Klant"\ndebtor_name = "Naam"\ninvoice_id = "Nr"\ninvoice_date = "Datum"\namount = "Bedrag"\n'


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ('title = "X"\n[columns]\ndebtor_id = "A"\n', "verplichte velden ontbreken"),
        ('title = "X"\n[columns]\nfoo = "A"\n', "onbekend veld 'foo'"),
        ('title = "X"\n[csv]\ndecimal = ";"\n' + FULL_COLUMNS, "'decimal' moet"),
        ('title = "X"\n[csv]\nencoding = "klingon"\n' + FULL_COLUMNS, "onbekende tekenset"),
        ('title = "X"\n' + FULL_COLUMNS + 'description = "Naam"\n', "kolomkop 'Naam' staat bij zowel"),
        ('title = "X"\n[columns\n', "geen geldige TOML"),
    ],
)
def test_malformed_mapping_is_refused(tmp_path, body, message):
    mapping_file = tmp_path / "kapot.toml"
    mapping_file.write_text(body, encoding="utf-8")
    with pytest.raises(MappingError, match=message):
        load_mapping(mapping_file)


def test_workbook_open_in_excel_is_refused_and_changes_nothing(tmp_path, capsys):
    register_path = write_register(tmp_path)
    (tmp_path / "~$register.xlsx").write_bytes(b"AB")
    before = register_path.read_bytes()
    assert (
        run_command([str(register_path), str(FIXTURES / "snelstart.csv"), "--pakket", "snelstart", "--toepassen"]) == 1
    )
    err = capsys.readouterr().err
    assert err.startswith("Niet teruggeschreven: De werkmap 'register.xlsx' is geopend in Excel")
    assert err.rstrip().endswith("Er is niets geïmporteerd; de werkmap is niet gewijzigd.")
    assert register_path.read_bytes() == before


def test_decimal_point_convention_reads_thousands_commas(tmp_path):
    export = tmp_path / "export.csv"
    export.write_text(
        "Klantnummer,Contact,Factuurnummer,Factuurdatum,Totaalbedrag\n"
        '2001,Van Dijk,F-1,2026-10-01,"1,234.56"\n2001,Van Dijk,F-2,2026-10-01,1.000\n',
        encoding="utf-8",
    )
    items = read_export(export, load_mapping("moneybird"))
    assert [i.amount_cents for i in items] == [123456, 100]


def test_a_debtor_called_totaal_is_not_taken_for_the_totals_row(tmp_path):
    export = tmp_path / "export.csv"
    export.write_text(
        "Naam;Code;Factuurnummer;Factuurdatum;Bedrag\nTotaalbouw B.V.;2001;F-1;01-10-2026;10,00\nTotaal;;;;10,00\n",
        encoding="utf-8",
    )
    [item] = read_export(export, load_mapping("exact_online"))
    assert (item.debtor_name, item.invoice_id, item.amount_cents) == ("Totaalbouw B.V.", "F-1", 1000)


# --- the packages' documented layouts (issue 15, points 7-9, 11, 13) ------------------------------


def test_twinfield_takes_the_debtors_naam_by_position_and_the_euro_amount(tmp_path, capsys):
    register_path = write_register(tmp_path)
    result = import_openposten(
        register_path, FIXTURES / "twinfield.csv", load_mapping("twinfield"), apply=False, generated_at=NOW
    )
    assert {i.debtor_id: i.debtor_name for i in result.items} == {
        "1001": "Bakkerij De Korenschoof B.V.",
        "1002": "J. de Vries",
        "3001": "Installatiebedrijf Jansen & Zn.",
    }  # fmt: skip  (never the journal's 'Verkoopboek')
    assert [(r.row, r.reason, r.amount_cents) for r in result.skipped] == [
        (6, "bedrag in USD, niet in euro", 100000),
        (7, "geen factuurnummer (een niet-toegewezen betaling of creditering?)", -25000),
    ]
    assert "F-007" not in {i.invoice_id for i in result.items}
    assert run_command([str(register_path), str(FIXTURES / "twinfield.csv"), "--pakket", "twinfield"]) == 0
    out = capsys.readouterr().out
    assert "Niet ingelezen (2; boek ze zelf):\n- rij 6: bedrag in USD, niet in euro (€ 1.000,00)\n" in out
    assert "- rij 7: geen factuurnummer (een niet-toegewezen betaling of creditering?) (€ -250,00)" in out


def test_skipped_rows_are_in_the_json_too(tmp_path, capsys):
    register_path = write_register(tmp_path)
    assert run_command([str(register_path), str(FIXTURES / "yuki.csv"), "--pakket", "yuki", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["skipped"] == [
        {"row": 6, "reason": "geen factuurnummer (een niet-toegewezen betaling of creditering?)", "amount": "-100.00"}
    ]
    assert [i["invoice"] for i in data["new_invoices"]] == ["F-003", "F-010"]


def test_a_header_twice_without_saying_which_is_refused(tmp_path):
    export = tmp_path / "export.csv"
    export.write_text(
        "Code;Naam;Ons ref.;Factuurdatum;Bedrag;Naam\n2001;Van Dijk;F-1;01-10-2026;10,00;Verkoopboek\n",
        encoding="utf-8",
    )
    with pytest.raises(OpenpostenError) as error:
        read_export(export, load_mapping("exact_online"))
    assert str(error.value) == (
        "'export.csv': de kolom 'Naam' staat 2 keer in de kopregel (kolom 2 en 6), dus is niet te zeggen welke de "
        "naam debiteur is; zet in het koppelbestand bij 'debtor_name' welke bedoeld is, bijvoorbeeld "
        '{ headers = ["Naam"], after = "<de kolom ervoor>" }.'
    )


def test_afas_documented_totaal_factuurbedrag_is_accepted(tmp_path):
    export = tmp_path / "afas.csv"
    export.write_text(
        "Debiteur;Naam;Factuurnummer;Factuurdatum;Vervaldatum;Totaal factuurbedrag;Saldo\n"
        "6001;Zorginstelling De Linde;F-009;20-10-2026;19-11-2026;2.904,25;2.904,25\n",
        encoding="utf-8",
    )
    (item,) = read_export(export, load_mapping("afas"))
    assert (item.invoice_id, item.amount_cents, item.open_cents) == ("F-009", 290425, 290425)


def test_yuki_without_the_relation_code_says_how_to_add_it(tmp_path):
    export = tmp_path / "yuki.csv"
    export.write_text(
        "Factuurnr.;Relatie;Onderwerp;Factuurdatum;Vervaldatum;Btw-bedrag;Bedrag;Uitstaand;Dagen achterstallig\n"
        "F-010;Kapsalon Knipwerk;Inrichting;02-10-2026;01-11-2026;183,22;1.055,72;1.055,72;0\n",
        encoding="utf-8",
    )
    with pytest.raises(OpenpostenError) as error:
        read_export(export, load_mapping("yuki"))
    assert str(error.value).splitlines()[1] == (
        "- debiteurnummer: kolom 'Relatiecode'. Yuki toont de relatiecode niet standaard: voeg in het overzicht "
        "'Te herinneren facturen' de kolom 'Relatiecode' toe (via de kolomkeuze van het overzicht) en exporteer opnieuw"
    )


def test_every_mapping_says_what_each_column_name_rests_on_and_the_guide_shows_it():
    from debiteuren.openposten.mappings import BASES, basis_table

    for name in available_mappings():
        mapping = load_mapping(name)
        assert set(mapping.basis) == set(mapping.columns), name
        assert set(mapping.basis.values()) <= set(BASES)
    guide = (Path(__file__).resolve().parents[1] / "docs" / "handleiding.md").read_text(encoding="utf-8")
    assert basis_table() in guide
    assert (
        "| Twinfield | `Naam` (na `Debiteur`) | naam debiteur | gedocumenteerde exportindeling van de leverancier |"
        in basis_table()
    )
