"""One error model: every error the package raises on purpose derives from DebiteurenError, and
``user_lines`` is what the command line and the app show for any error (issue 18)."""

from __future__ import annotations

import errno
import importlib
import inspect
import pkgutil
from pathlib import Path

import debiteuren
import pytest
from debiteuren.errors import DEBUG_HINT, DebiteurenError, InvalidInput, NotWritten, user_lines

# The classes the package raises for what a user can act on (the issue counted 22).
EXPECTED = {
    "AmountError",
    "CellError",
    "EpcError",
    "InputError",
    "LawInputError",
    "LetterError",
    "LettersNotMade",
    "MappingError",
    "NothingToReview",
    "OpenpostenError",
    "OutcomeInvalid",
    "PaymentReferenceError",
    "PdfConversionError",
    "PdfUnavailable",
    "RateOverridesInvalid",
    "RateTableInvalid",
    "RegisterInvalid",
    "RegisterMissing",
    "StatementError",
    "StatementRefused",
    "TemplateProblem",
    "WorkbookBusy",
    "WorkbookLocked",
    "WorkbookUnreadable",
    "WriteBackRefused",
}


def package_exceptions() -> dict[str, type]:
    found = {}
    for info in pkgutil.walk_packages(debiteuren.__path__, "debiteuren."):
        module = importlib.import_module(info.name)
        for name, value in vars(module).items():
            if inspect.isclass(value) and issubclass(value, BaseException) and value.__module__ == info.name:
                found[name] = value
    return found


def test_every_exception_of_the_package_derives_from_the_one_root():
    found = package_exceptions()
    assert EXPECTED <= set(found), sorted(EXPECTED - set(found))
    rootless = sorted(name for name, cls in found.items() if not issubclass(cls, DebiteurenError))
    assert rootless == []


def test_input_errors_are_still_value_errors():
    # Callers that caught ValueError before keep working.
    from debiteuren.money import AmountError
    from debiteuren.register.cells import CellError

    assert issubclass(AmountError, ValueError) and issubclass(CellError, InvalidInput)


def test_a_refused_write_opens_with_not_written_on_the_command_line_and_bare_in_the_app():
    from debiteuren.register.writeback import WorkbookLocked

    locked = WorkbookLocked("De werkmap 'r.xlsx' is geopend in Excel; het bestand is niet gewijzigd.")
    assert isinstance(locked, NotWritten)
    assert user_lines(locked) == [
        "Niet teruggeschreven: De werkmap 'r.xlsx' is geopend in Excel; het bestand is niet gewijzigd."
    ]
    assert user_lines(locked, lead=False) == ["De werkmap 'r.xlsx' is geopend in Excel; het bestand is niet gewijzigd."]


def test_an_invalid_register_shows_its_report_without_a_lead():
    from debiteuren.register.problems import InputProblem, RegisterInvalid

    problems = [
        InputProblem("Facturen", 4, "Bedrag", "veel", "een bedrag"),
        InputProblem("Facturen", 5, "Datum", "x", "een datum"),
    ]
    invalid = RegisterInvalid(problems)
    assert user_lines(invalid) == invalid.report().splitlines() == user_lines(invalid, lead=False)
    assert user_lines(invalid)[0] == "Het register bevat 2 fouten:" and len(user_lines(invalid)) == 3


@pytest.mark.parametrize(
    "make, cli, app",
    [
        (
            lambda: __import__("debiteuren.money", fromlist=["x"]).parse_amount("twaalf"),
            "Fout: '{}' is geen bedrag",
            "'{}' is geen bedrag",
        ),
        (
            lambda: __import__("debiteuren.register", fromlist=["x"]).read_register(Path("/niet/hier.xlsx")),
            "Fout: Het bestand '/niet/hier.xlsx' bestaat niet",
            "Het bestand '/niet/hier.xlsx' bestaat niet",
        ),
    ],
    ids=["amount", "unreadable"],
)
def test_errors_raised_by_the_library_read_as_dutch_with_and_without_lead(make, cli, app):
    with pytest.raises(DebiteurenError) as raised:
        make()
    error = raised.value
    assert user_lines(error)[0].startswith(cli.format("twaalf"))
    assert user_lines(error, lead=False)[0].startswith(app.format("twaalf"))


def test_the_run_errors_and_the_law_errors_are_user_errors():
    from debiteuren.law.rates import LawInputError
    from debiteuren.monthly_run import LettersNotMade, NothingToReview

    for error in (
        NothingToReview("Het register bevat nog geen facturen."),
        LettersNotMade("Er loopt al een review op de werkmap 'x.xlsx'."),
        LawInputError("De betaling van 01-07-2025 valt na de laatste rentedag 30-06-2025."),
    ):
        assert user_lines(error) == [f"Fout: {error}"]
        assert user_lines(error, lead=False) == [str(error)]


def test_a_full_disk_is_said_in_dutch():
    full = OSError(errno.ENOSPC, "No space left on device", "/brieven/a.docx")
    assert user_lines(full) == [
        "Fout: een bestand of map is niet te lezen of te schrijven (/brieven/a.docx): de schijf is vol."
    ]
    assert user_lines(full, lead=False) == [
        "Een bestand of map is niet te lezen of te schrijven (/brieven/a.docx): de schijf is vol."
    ]


def test_a_value_error_from_library_code_is_a_bug_not_a_user_error():
    from debiteuren.ageing import bucket_labels

    with pytest.raises(ValueError) as raised:
        bucket_labels((30, 60), basis="onzin")
    for lead in (True, False):
        lines = user_lines(raised.value, lead=lead, debug=False)
        assert lines == [f"Onverwachte fout: ValueError: {raised.value}", DEBUG_HINT]


def test_debug_shows_the_traceback():
    try:
        {}["debtor_id"]
    except KeyError as error:
        lines = user_lines(error, debug=True)
    assert lines[:2] == ["Onverwachte fout: KeyError: 'debtor_id'", DEBUG_HINT]
    assert lines[2].startswith("Traceback") and "test_errors.py" in "\n".join(lines)


def test_the_app_shows_a_bug_as_unexpected_not_as_invalid_input():
    from debiteuren.app.widgets_common import Messages

    messages = Messages()
    messages.error(ValueError("basis must be one of ('due', 'invoice'), not 'x'"))
    assert messages.kind == "fout"
    assert messages.lines[0] == "Onverwachte fout: ValueError: basis must be one of ('due', 'invoice'), not 'x'"
    assert "DEBITEUREN_DEBUG=1" in messages.lines[1]


def test_the_command_line_shows_a_bug_as_unexpected_and_raises_it_when_debugging(monkeypatch, capsys):
    from debiteuren import cli

    def broken(args):
        raise ValueError("row 3: 'Status' 'x' is not one of ('open',)")

    monkeypatch.setattr(cli, "run_check", broken)
    monkeypatch.delenv("DEBITEUREN_DEBUG", raising=False)
    assert cli.main(["controleer", "x.xlsx"]) == 1
    assert capsys.readouterr().err == (
        "Onverwachte fout: ValueError: row 3: 'Status' 'x' is not one of ('open',)\n" + DEBUG_HINT + "\n"
    )
    monkeypatch.setenv("DEBITEUREN_DEBUG", "1")
    with pytest.raises(ValueError):
        cli.main(["controleer", "x.xlsx"])


def test_a_user_error_is_dutch_on_the_command_line_even_when_debugging(monkeypatch, capsys, tmp_path):
    from debiteuren import cli

    monkeypatch.setenv("DEBITEUREN_DEBUG", "1")
    assert cli.main(["controleer", str(tmp_path / "weg.xlsx")]) == 1
    assert capsys.readouterr().err.startswith(f"Fout: Het bestand '{tmp_path / 'weg.xlsx'}' bestaat niet")
