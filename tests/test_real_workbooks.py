"""Workbooks saved by Microsoft Excel keep every part through a review with letters (issue 15).

``../shared/real-files/xlsx/`` holds 15 workbooks other projects keep as test
data (pivot tables and caches, slicers, sparklines, charts and a chart sheet,
VBA projects, form controls, external links, threaded comments, Power Query;
sources and licences in ``SOURCES.md``). They are used from there, never copied
into this repository. Each gets the register's sheets added (as a controller
would add them to a workbook she already keeps), then a review with letters
runs on it: every part Excel wrote is still there, byte for byte, and the VBA
project with it.
"""

from __future__ import annotations

import shutil
import zipfile
from datetime import date, datetime
from pathlib import Path

import pandas as pd
import pytest
from debiteuren.register import read_register
from debiteuren.register.write.file_safety import write_temporary
from debiteuren.register.write.xlsx.package import Package
from debiteuren.register.write.xlsx.result_sheets import update_app_properties, write_result_sheet
from debiteuren.register.write.xlsx.styles import Styles
from debiteuren.register.write.xlsx.workbook import TableRegistry, Workbook
from debiteuren.register.writeback import ResultSheet, plan_result_sheet
from demo_registers import letters_folder, logged_letters, review_with_letters
from lxml import etree
from workbooks import DEFAULT_SHEETS

REAL_XLSX = Path(__file__).resolve().parents[2] / "shared" / "real-files" / "xlsx"
if not REAL_XLSX.is_dir():  # a worktree under /work/wt/NAME: the shared folder is /work/shared
    REAL_XLSX = Path(__file__).resolve().parents[3] / "shared" / "real-files" / "xlsx"
WORKBOOKS = sorted(REAL_XLSX.glob("*.xls[xm]")) if REAL_XLSX.is_dir() else []

# The package parts adding the register's sheets has to change (a sheet listed, its content
# type, its title in docProps/app.xml, cell formats appended to the styles).
BOOKKEEPING = {"[Content_Types].xml", "docProps/app.xml"}


def graft_register(path: Path) -> None:
    """Add the register sheets (each an Excel Table named like it) to the workbook at ``path``."""
    stamp = datetime(2026, 10, 1, 9, 0)
    with Package(path) as package:
        workbook = Workbook(package)
        styles = Styles(package, workbook)
        tables = TableRegistry(workbook)
        added = []
        for name, rows in DEFAULT_SHEETS.items():
            frame = pd.DataFrame(rows[1:] or [[None] * len(rows[0])], columns=rows[0], dtype=object)
            cells = plan_result_sheet(ResultSheet(name, frame), generated_at=stamp, peildatum=date(2026, 9, 30))
            write_result_sheet(workbook, styles, tables, cells)
            added.append(name)
        styles.save()
        update_app_properties(package, workbook, added)
        workbook.save()
        temp = write_temporary(path, package, stamp)
    temp.replace(path)


def members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def canonical(element) -> bytes:
    return etree.tostring(element, method="c14n")


@pytest.mark.skipif(not WORKBOOKS, reason=f"the real Excel workbooks are not here ({REAL_XLSX}); see SOURCES.md there")
@pytest.mark.parametrize("original", WORKBOOKS, ids=[p.name for p in WORKBOOKS])
def test_a_workbook_saved_by_excel_keeps_every_part_through_a_review_with_letters(tmp_path, original):
    path = tmp_path / "register" / original.name
    path.parent.mkdir()
    shutil.copyfile(original, path)
    excel = members(path)
    graft_register(path)
    grafted = members(path)
    with Package(path) as package:
        workbook = Workbook(package)
        workbook_part, workbook_rels = workbook.part, workbook.rels.part
        styles_part = Styles(package, workbook).part
    bookkeeping = BOOKKEEPING | {workbook_part, workbook_rels, styles_part}

    code, _, err = review_with_letters(path)
    assert code == 0, err
    assert logged_letters(path) and any(letters_folder(path).glob("*.docx"))  # letters made and logged
    after = members(path)

    # Every part Excel wrote, but the package's bookkeeping, is byte for byte what Excel wrote.
    changed = [name for name, data in excel.items() if name not in bookkeeping and after.get(name) != data]
    assert changed == []
    # The review touched nothing of the workbook but its own sheets and the log.
    own = {name for name in grafted if name not in excel}
    touched = [name for name, data in grafted.items() if name not in own | bookkeeping and after.get(name) != data]
    assert touched == []
    # The bookkeeping parts keep what Excel wrote in them.
    old_book, new_book = (etree.fromstring(d[workbook_part]) for d in (excel, after))
    for element in old_book:
        if etree.QName(element).localname == "sheets":
            new_sheets = new_book.find(element.tag)
            assert [canonical(s) for s in new_sheets][: len(element)] == [canonical(s) for s in element]
        elif etree.QName(element).localname == "definedNames":
            # Excel's names as they were; what is added is the result sheets' print titles only.
            new_names = list(new_book.find(element.tag))
            assert [canonical(n) for n in new_names][: len(element)] == [canonical(n) for n in element]
            assert {n.get("name") for n in new_names[len(element) :]} <= {"_xlnm.Print_Titles"}
        else:
            assert canonical(element) in [canonical(e) for e in new_book], etree.QName(element).localname
    old_rels, new_rels = (etree.fromstring(d[workbook_rels]) for d in (excel, after))
    assert {canonical(r) for r in old_rels} <= {canonical(r) for r in new_rels}
    old_types, new_types = (etree.fromstring(d["[Content_Types].xml"]) for d in (excel, after))
    assert {canonical(t) for t in old_types} <= {canonical(t) for t in new_types}  # incl. macro-enabled
    if styles_part in excel:
        main = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
        old_xfs, new_xfs = (etree.fromstring(d[styles_part]).find(f"{main}cellXfs") for d in (excel, after))
        assert [canonical(x) for x in new_xfs][: len(old_xfs)] == [canonical(x) for x in old_xfs]
    vba = [name for name in excel if name.lower().endswith("vbaproject.bin")]
    assert all(after[name] == excel[name] for name in vba)
    assert (original.suffix == ".xlsm") <= bool(vba)  # the macro workbooks have their VBA project
    read_register(path)  # and the result is still a valid register
