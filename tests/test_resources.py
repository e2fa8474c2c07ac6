"""The shipped templates and notebooks, and the user's folder that overrides them file by file."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from debiteuren import resources
from debiteuren.cli import program as program_commands
from debiteuren.cli import main
from debiteuren.letters.templates import PLACEHOLDERS, check_templates, template_path

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def user(tmp_path, monkeypatch):
    folder = tmp_path / "gebruiker"
    monkeypatch.setenv(resources.ENV_USER_FOLDER, str(folder))
    return folder


def test_a_checkout_ships_the_repository_folders():
    assert resources.shipped_dir("letter_templates") == ROOT / "letter_templates"
    assert resources.shipped_dir("notebooks") == ROOT / "notebooks"
    assert [p.name for p in resources.shipped_files("notebooks")] == [
        "dossier.ipynb",
        "maandreview.ipynb",
        "vordering.ipynb",
    ]


def test_the_user_folder_defaults_to_debiteuren_in_the_home_folder(monkeypatch, tmp_path):
    monkeypatch.delenv(resources.ENV_USER_FOLDER, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    assert resources.user_dir("letter_templates") == tmp_path / "debiteuren" / "sjablonen"
    assert resources.user_dir("notebooks") == tmp_path / "debiteuren" / "notebooks"


def test_a_template_in_the_user_folder_wins_over_the_shipped_one(user):
    shipped = ROOT / "letter_templates"
    assert template_path("betalingsherinnering", "nl") == shipped / "betalingsherinnering.docx"
    own = user / "sjablonen" / "betalingsherinnering.docx"
    own.parent.mkdir(parents=True)
    shutil.copyfile(shipped / "betalingsherinnering.docx", own)
    assert template_path("betalingsherinnering", "nl") == own
    # the others still come from the shipped folder, and English falls back to the shipped English
    assert template_path("ingebrekestelling", "nl") == shipped / "ingebrekestelling.docx"
    assert template_path("betalingsherinnering", "en") == shipped / "betalingsherinnering_en.docx"


def test_an_explicit_folder_is_the_only_place_looked(user, tmp_path):
    folder = tmp_path / "eigen"
    folder.mkdir()
    with pytest.raises(FileNotFoundError, match="Sjabloon 'overdracht.docx' ontbreekt in .*eigen"):
        template_path("overdracht", "nl", folder)


def test_check_templates_names_a_broken_template_of_the_user(user):
    own = user / "sjablonen"
    own.mkdir(parents=True)
    from docx import Document

    document = Document()
    document.add_paragraph("{{ debiteur.naaam }}")
    document.save(own / "betalingsherinnering.docx")
    problems = check_templates()
    assert problems == [
        "Sjabloon 'betalingsherinnering.docx': het veld 'debiteur.naaam' bestaat niet (bekend: "
        + ", ".join(f"debiteur.{k}" for k in PLACEHOLDERS["debiteur"])
        + ")."
    ]


def test_sjablonen_copies_the_shipped_templates_and_keeps_edited_ones(user, capsys):
    own = user / "sjablonen" / "overdracht.docx"
    own.parent.mkdir(parents=True)
    own.write_bytes(b"mijn versie")
    assert main(["sjablonen"]) == 0
    names = sorted(p.name for p in (user / "sjablonen").iterdir())
    assert names == sorted(p.name for p in resources.shipped_files("letter_templates"))
    assert own.read_bytes() == b"mijn versie"
    out = capsys.readouterr().out
    assert f"12 sjablonen gekopieerd naar {user / 'sjablonen'}; 1 stonden er al" in out
    assert main(["sjablonen", "--overschrijven"]) == 0
    assert own.read_bytes() == (ROOT / "letter_templates" / "overdracht.docx").read_bytes()


def test_the_app_serves_the_shipped_notebooks_or_a_folder_with_the_users_own(user):
    with program_commands.notebooks_folder() as folder:
        assert folder == ROOT / "notebooks"
    own = user / "notebooks" / "dossier.ipynb"
    own.parent.mkdir(parents=True)
    own.write_text('{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}')
    with program_commands.notebooks_folder() as folder:
        assert sorted(p.name for p in folder.iterdir()) == ["dossier.ipynb", "maandreview.ipynb", "vordering.ipynb"]
        assert (folder / "dossier.ipynb").read_text() == own.read_text()
        assert (folder / "vordering.ipynb").read_bytes() == (ROOT / "notebooks" / "vordering.ipynb").read_bytes()
    assert not folder.exists()


def test_the_voila_command_listens_on_this_computer_only():
    command = program_commands.voila_command(Path("nb"), 8900, browser=False, extra=["--x=1"])
    config = f"--Voila.config_file_paths=['{program_commands.APP_DIR / 'voila'}']"
    assert command[1:] == ["-m", "voila", "nb", "--Voila.ip=127.0.0.1", "--port=8900", config, "--no-browser", "--x=1"]
    env = program_commands.app_environment({"JUPYTER_PATH": "/elders"})
    assert env["JUPYTER_PATH"].split(os.pathsep) == [str(program_commands.APP_DIR), "/elders"]


def test_the_app_and_the_notebooks_read_the_same_environment_variables():
    from debiteuren.app import widgets_common

    assert program_commands.ENV_WORKBOOK == widgets_common.ENV_WORKBOOK
    assert program_commands.ENV_PEILDATUM == widgets_common.ENV_PEILDATUM


def test_app_refuses_a_register_that_does_not_exist(tmp_path, capsys):
    assert main(["app", str(tmp_path / "weg.xlsx"), "--geen-browser"]) == 1
    assert "Fout: het register" in capsys.readouterr().err
