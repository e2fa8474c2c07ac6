"""The file writer: change only the zip members that must change, copy every other one raw.

An .xlsx (or .xlsm) is a zip of XML parts. Loading it into a spreadsheet model
and saving it again (openpyxl) drops what the model does not know: text boxes,
x14 extensions (data bars, sparklines), pivot caches, slicers. So this writer
never does that. It changes exactly these members, and only when needed:

- the result sheets' XML (replaced) and their Table parts;
- the Acties sheet XML (rows appended, the dimension and validation / conditional
  formatting ranges that end at the table's last row extended) and its Table;
- ``xl/styles.xml`` when a date or euro format (or a cell format using it) is not
  there yet: appended, never renumbered;
- ``xl/workbook.xml``, its ``.rels``, ``[Content_Types].xml`` and ``docProps/app.xml``
  only to add a result sheet that does not exist yet (added at the end).

New cells are inline strings (``t="inlineStr"``), so ``sharedStrings.xml`` is
not touched, and text is never read as a formula. Every other member is copied
as its compressed bytes (local header rebuilt from the central directory), so
its content is byte-for-byte what it was; that is also what makes a write of a
register with 250,000 invoices take a fraction of a second.

The write is atomic: the new workbook is written to a temporary file in the same
folder, flushed to disk, and put in place with ``os.replace``; the previous
version is copied to ``reservekopieen/`` first (the last ``backups`` are kept).
A write holds ``register_lock`` (an OS lock on ``.NAME.debiteuren.lock`` next to
the workbook, which the command line holds over a whole review with letters), so
a second review is refused, and it removes what a killed write left behind.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from .. import zip_integrity
from .file_safety import check_writable, file_identity, put_in_place, register_lock, write_temporary
from .plan import ActionCells, SheetCells, WriteReport
from .xlsx.append import append_actions
from .xlsx.package import Package
from .xlsx.result_sheets import update_app_properties, write_result_sheet
from .xlsx.styles import Styles
from .xlsx.workbook import TableRegistry, Workbook, existing_grid  # noqa: F401 - write_back reads Kerncijfers through it

# --- the entry point --------------------------------------------------------------------------


def write(
    path: Path,
    plans: list[SheetCells],
    appends: Sequence[ActionCells],
    *,
    generated_at: datetime,
    backups: int = 10,
) -> WriteReport:
    """Write result sheets and append rows to the workbook file at ``path`` (see the module doc)."""
    shown = str(path)
    path = Path(path).resolve()
    check_writable(path)
    if not plans and not appends:
        return WriteReport(shown, live=False)
    with register_lock(path):  # one writer at a time: the identity check and the rename belong together
        identity = file_identity(path)
        with Package(path) as package:
            workbook = Workbook(package)
            styles = Styles(package, workbook)
            tables = TableRegistry(workbook)
            replaced, added_sheets = [], []
            appended, columns_added = [], ()
            for cells in appends:
                count, added_columns = append_actions(workbook, styles, cells)
                appended.append((cells.spec.name, count))
                columns_added += added_columns
            for cells in plans:
                name = workbook.sheet_name(cells.name)
                if write_result_sheet(workbook, styles, tables, cells):
                    added_sheets.append(name)
                else:
                    replaced.append(name)
            styles.save()
            update_app_properties(package, workbook, added_sheets)
            workbook.save()
            temp = write_temporary(path, package, generated_at)
        backup = put_in_place(path, temp, backups, identity, generated_at)  # the old file is closed now
        zip_integrity.remember_verified(path)  # verified members copied, the changed ones read back
    return WriteReport(
        target=shown,
        live=False,
        sheets_replaced=tuple(replaced),
        sheets_added=tuple(added_sheets),
        rows_appended=sum(count for _, count in appended),
        columns_added=columns_added,
        appended=tuple(appended),
        backup=backup,
    )
