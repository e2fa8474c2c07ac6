"""The write path's Dutch messages and the refusals that carry them (``WriteBackRefused``)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ...errors import OS_ERROR_TEXTS, NotWritten, file_error_text, os_error_text  # noqa: F401 - re-exported

# --- Dutch messages ---------------------------------------------------------------------------


class WriteBackRefused(NotWritten):
    """Writing back would overwrite or lose something of the controller's; nothing was written."""


class WorkbookLocked(WriteBackRefused):
    """The workbook file is open in Excel or LibreOffice; the file is left untouched."""


class WorkbookBusy(WorkbookLocked):
    """Another review (another process or window) is writing this workbook; the file is left untouched."""


def locked_message(workbook: Path, owner_file: Path, program: str) -> str:
    if program == "Excel":
        return (
            f"De werkmap '{workbook.name}' is geopend in Excel (het eigenaarsbestand '{owner_file.name}' "
            "staat ernaast); het bestand is niet gewijzigd. Sluit de werkmap, of laat Excel hem open en "
            "gebruik de live-modus: start de review op de computer waar Excel de werkmap open heeft, dan "
            "schrijft debiteuren de resultaten rechtstreeks in de geopende werkmap en slaat u zelf op. "
            f"Is Excel niet open, verwijder dan het achtergebleven bestand '{owner_file.name}'."
        )
    return (
        f"De werkmap '{workbook.name}' is geopend in LibreOffice (het vergrendelbestand '{owner_file.name}' "
        "staat ernaast); het bestand is niet gewijzigd. Sluit de werkmap en probeer het opnieuw; de live-modus "
        "werkt alleen met Excel. Is LibreOffice niet open, verwijder dan het achtergebleven bestand "
        f"'{owner_file.name}'."
    )


def replace_failed_message(workbook: Path) -> str:
    return (
        f"De werkmap '{workbook.name}' kon niet worden vervangen: een ander programma heeft hem open. "
        "Het bestand is niet gewijzigd. Sluit de werkmap, of laat Excel hem open en gebruik de live-modus: "
        "start de review op de computer waar Excel de werkmap open heeft."
    )


def write_failed_message(workbook: Path, error: OSError) -> str:
    return (
        f"De werkmap '{workbook.name}' kon niet worden geschreven ({os_error_text(error)}); "
        "het bestand is niet gewijzigd."
    )


def read_only_message(workbook: Path) -> str:
    return (
        f"De werkmap '{workbook.name}' is alleen-lezen; het bestand is niet gewijzigd. Zet in de eigenschappen "
        "van het bestand 'Alleen-lezen' uit (of vraag schrijfrechten) en probeer het opnieuw."
    )


def busy_message(workbook: Path) -> str:
    return (
        f"Er loopt al een review op de werkmap '{workbook.name}' (een tweede venster of opdracht); het bestand "
        "is niet gewijzigd. Wacht tot die klaar is en probeer het dan opnieuw."
    )


def changed_meanwhile_message(workbook: Path) -> str:
    return (
        f"De werkmap '{workbook.name}' is gewijzigd terwijl de resultaten werden geschreven (door een ander "
        "programma of een tweede review); er is niets overschreven. Start de review opnieuw."
    )


def missing_actions_sheet_message(sheet: str = "Acties") -> str:
    return f"De werkmap heeft geen blad '{sheet}'; de regels zijn niet toegevoegd en er is niets geschreven."


def cells_in_the_way_message(sheet: str, cells: Sequence[str]) -> str:
    shown = ", ".join(cells[:5]) + (" …" if len(cells) > 5 else "")
    return (
        f"Blad '{sheet}': de tabel kan niet groeien, want direct eronder of ernaast staan gegevens "
        f"({shown}). Verplaats die cellen en probeer het opnieuw; er is niets geschreven."
    )


def totals_row_message(sheet: str) -> str:
    return (
        f"Blad '{sheet}': de tabel heeft een totaalrij, waardoor er geen regels onder kunnen worden "
        "toegevoegd. Zet de totaalrij uit (Tabelontwerp > Totaalrij) en probeer het opnieuw; er is niets geschreven."
    )


def no_header_message(sheet: str) -> str:
    return f"Blad '{sheet}': de kopregel van het logboek is niet gevonden; er is niets geschreven."


def key_column_missing_message(sheet: str, key: str) -> str:
    return (
        f"Blad '{sheet}' bestaat al, maar heeft geen kolom '{key}'. Eerdere regels kunnen dus niet worden "
        "bewaard; hernoem het blad (de tool maakt dan een nieuw) en probeer het opnieuw. Er is niets geschreven."
    )


def not_a_worksheet_message(sheet: str) -> str:
    return (
        f"De werkmap heeft al een blad '{sheet}' dat geen werkblad is (bijvoorbeeld een grafiekblad). "
        "Hernoem dat blad, zodat de tool zijn resultaten kwijt kan; er is niets geschreven."
    )


def unsupported_workbook_message(name: str, what: str) -> str:
    return f"'{name}' kan niet veilig worden bijgewerkt: {what}. Er is niets geschreven."
