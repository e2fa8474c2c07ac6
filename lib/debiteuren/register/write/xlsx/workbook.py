"""The workbook part: sheets, defined names, the Table registry; reading a sheet back; the package check."""

from __future__ import annotations

import re
from pathlib import Path

from lxml import etree

from ...problems import WorkbookUnreadable
from ..messages import WriteBackRefused, unsupported_workbook_message
from .package import (
    CT_TABLE,
    CT_WORKSHEET,
    NS_R,
    NS_STRICT_MAIN,
    REL_CALC_CHAIN,
    REL_EXTENDED_PROPERTIES,
    REL_OFFICE_DOCUMENT,
    REL_STYLES,
    REL_TABLE,
    REL_WORKSHEET,
    ContentTypes,
    Package,
    Relationships,
    qname,
    xml_bytes,
)

# --- the workbook -----------------------------------------------------------------------------


class Workbook:
    """``xl/workbook.xml`` with its sheets, relationships, content types and table inventory."""

    def __init__(self, package: Package):
        self.package = package
        root_rels = Relationships(package, "")
        documents = root_rels.of_type(REL_OFFICE_DOCUMENT)
        if not documents:
            raise WorkbookUnreadable(f"'{package.path.name}' is geen Excel-werkmap (geen workbook.xml).")
        self.part = root_rels.target(documents[0])
        self.root = package.xml(self.part)
        self.ns = etree.QName(self.root).namespace
        if self.ns == NS_STRICT_MAIN:
            raise WriteBackRefused(
                unsupported_workbook_message(
                    package.path.name, "het is een 'Strict Open XML'-werkmap; sla hem op als gewone Excel-werkmap"
                )
            )
        self.rels = Relationships(package, self.part)
        self.content_types = ContentTypes(package)
        self.changed = False
        pr = self.root.find(qname(self.ns, "workbookPr"))
        self.date1904 = pr is not None and pr.get("date1904", "0").lower() in ("1", "true")
        self.sheets_element = self.root.find(qname(self.ns, "sheets"))

    def sheets(self) -> list[tuple[str, str]]:
        """(name, part) per worksheet, in workbook order."""
        result = []
        for sheet in self.sheets_element.findall(qname(self.ns, "sheet")):
            rel = self.rels.by_id(sheet.get(qname(NS_R, "id")))
            if rel is not None and rel.get("Type") == REL_WORKSHEET:
                result.append((sheet.get("name"), self.rels.target(rel)))
        return result

    def sheet_part(self, name: str) -> str | None:
        for sheet_name, part in self.sheets():
            if sheet_name.casefold() == name.casefold():
                return part
        return None

    def is_other_sheet(self, name: str) -> bool:
        """Whether ``name`` is taken by a sheet that is no worksheet (a chart sheet, a dialog sheet)."""
        for sheet in self.sheets_element.findall(qname(self.ns, "sheet")):
            if sheet.get("name", "").casefold() == name.casefold():
                rel = self.rels.by_id(sheet.get(qname(NS_R, "id")))
                return rel is None or rel.get("Type") != REL_WORKSHEET
        return False

    def sheet_name(self, name: str) -> str:
        for sheet_name, _ in self.sheets():
            if sheet_name.casefold() == name.casefold():
                return sheet_name
        return name

    def add_sheet(self, name: str) -> str:
        """Register a new worksheet part at the end of the workbook; returns the part name."""
        part = self.package.free_name("xl/worksheets/sheet{}.xml")
        rel_id = self.rels.add(REL_WORKSHEET, part)
        ids = [int(s.get("sheetId", "0")) for s in self.sheets_element.findall(qname(self.ns, "sheet"))]
        element = etree.SubElement(self.sheets_element, qname(self.ns, "sheet"))
        element.set("name", name)
        element.set("sheetId", str(max(ids, default=0) + 1))
        element.set(qname(NS_R, "id"), rel_id)
        self.content_types.add(part, CT_WORKSHEET)
        self.changed = True
        return part

    def defined_names(self) -> set[str]:
        names = self.root.find(qname(self.ns, "definedNames"))
        if names is None:
            return set()
        return {n.get("name", "").casefold() for n in names.findall(qname(self.ns, "definedName"))}

    def extend_names(self, sheet_name: str, old_last: int, new_last: int, first_col: int, last_col: int) -> None:
        """Defined names over the sheet's table that end at its last row grow with it, as in Excel."""
        names = self.root.find(qname(self.ns, "definedNames"))
        if names is None:
            return
        for name in names.findall(qname(self.ns, "definedName")):
            if name.text:
                grown = _extend_name_ranges(name.text, sheet_name, old_last, new_last, first_col, last_col)
                if grown != name.text:
                    name.text = grown
                    self.changed = True

    def set_print_titles(self, sheet_name: str, rows: str) -> None:
        """Rows repeated at the top of every printed page of a sheet (``_xlnm.Print_Titles``)."""
        sheets = self.sheets_element.findall(qname(self.ns, "sheet"))
        index = next(i for i, sheet in enumerate(sheets) if sheet.get("name", "").casefold() == sheet_name.casefold())
        quoted = "'" + sheets[index].get("name").replace("'", "''") + "'"
        names = self.root.find(qname(self.ns, "definedNames"))
        if names is None:
            names = etree.Element(qname(self.ns, "definedNames"))
            anchor = self.sheets_element
            for tag in ("functionGroups", "externalReferences"):
                found = self.root.find(qname(self.ns, tag))
                anchor = found if found is not None else anchor
            anchor.addnext(names)
        for name in names.findall(qname(self.ns, "definedName")):
            if name.get("name", "").casefold() == "_xlnm.print_titles" and name.get("localSheetId") == str(index):
                if name.text != f"{quoted}!{rows}":
                    name.text = f"{quoted}!{rows}"
                    self.changed = True
                return
        element = etree.SubElement(names, qname(self.ns, "definedName"), name="_xlnm.Print_Titles")
        element.set("localSheetId", str(index))
        element.text = f"{quoted}!{rows}"
        self.changed = True

    def table_parts(self) -> list[str]:
        found = {p for p in self.content_types.parts_of(CT_TABLE) if self.package.exists(p)}
        return sorted(found)

    def drop_calc_chain(self) -> None:
        """Remove the calculation chain (a cache Excel rebuilds) when cells it lists lose their formula."""
        for rel in self.rels.of_type(REL_CALC_CHAIN):
            part = self.rels.target(rel)
            self.package.remove(part)
            self.content_types.remove(part)
            self.rels.remove(rel)

    def save(self) -> None:
        if self.changed:
            self.package.put(self.part, xml_bytes(self.root))
        self.rels.save()
        self.content_types.save()


# A sheet-qualified range in a defined name: Acties!$A$2:$A$9 or 'Mijn acties'!A2:C9.
_NAME_RANGE = re.compile(
    r"(?P<sheet>'(?:[^']|'')+'|[^\s!'(),;=+*/<>&^-]+)!"
    r"(?P<c1>\$?[A-Za-z]{1,3})(?P<r1>\$?\d+):(?P<c2>\$?[A-Za-z]{1,3})(?P<d2>\$?)(?P<r2>\d+)"
)


def _column_number(letters: str) -> int:
    number = 0
    for ch in letters.replace("$", "").upper():
        number = number * 26 + ord(ch) - 64
    return number


def _extend_name_ranges(text: str, sheet_name: str, old_last: int, new_last: int, first_col: int, last_col: int) -> str:
    """``text`` (a defined name's formula) with each range on ``sheet_name`` ending at ``old_last`` extended.

    >>> _extend_name_ranges("Acties!$A$2:$A$3", "Acties", 3, 6, 1, 10)
    'Acties!$A$2:$A$6'
    >>> _extend_name_ranges("'Acties'!B2:C3,Facturen!$A$2:$A$3", "acties", 3, 5, 1, 10)
    "'Acties'!B2:C5,Facturen!$A$2:$A$3"
    >>> _extend_name_ranges("Acties!$M$2:$M$3", "Acties", 3, 6, 1, 10)  # beside the table: untouched
    'Acties!$M$2:$M$3'
    """

    def grow(match: re.Match) -> str:
        sheet = match.group("sheet")
        sheet = sheet[1:-1].replace("''", "'") if sheet.startswith("'") else sheet
        if sheet.casefold() != sheet_name.casefold() or int(match.group("r2")) != old_last:
            return match.group(0)
        c1, c2 = _column_number(match.group("c1")), _column_number(match.group("c2"))
        if c2 < first_col or c1 > last_col or int(match.group("r1").replace("$", "")) > old_last:
            return match.group(0)
        return match.group(0)[: match.start("r2") - match.start()] + str(new_last)

    return _NAME_RANGE.sub(grow, text)


def _table_identity(root) -> tuple[int, str]:
    return int(root.get("id", "0")), root.get("displayName") or root.get("name") or ""


class TableRegistry:
    """Every Table in the workbook: ids and names must stay unique."""

    def __init__(self, workbook: Workbook):
        self.workbook = workbook
        self.ids: dict[str, int] = {}
        self.names: dict[str, str] = {}
        for part in workbook.table_parts():
            table_id, name = _table_identity(workbook.package.xml(part))
            self.ids[part] = table_id
            self.names[part] = name

    def free_id(self) -> int:
        return max(self.ids.values(), default=0) + 1

    def free_name(self, wanted: str, own_part: str | None) -> str:
        taken = {n.casefold() for p, n in self.names.items() if p != own_part} | self.workbook.defined_names()
        name, n = wanted, 2
        while name.casefold() in taken:
            name, n = f"{wanted}_{n}", n + 1
        return name

    def register(self, part: str, table_id: int, name: str) -> None:
        self.ids[part], self.names[part] = table_id, name

    def forget(self, part: str) -> None:
        self.ids.pop(part, None)
        self.names.pop(part, None)


def read_sheet_grid(path: Path, sheet_name: str) -> list[list[object]]:
    import python_calamine as calamine

    workbook = calamine.CalamineWorkbook.from_path(str(path))
    try:
        return workbook.get_sheet_by_name(sheet_name).to_python(skip_empty_area=False)
    finally:
        workbook.close()


def check_package(path: Path, *, verify: bool = True) -> None:
    """Everything a write will need, checked without writing: ``WorkbookUnreadable`` names a damaged part.

    Every member's CRC, then the parts a write parses: the package and workbook relationships,
    ``[Content_Types].xml``, ``workbook.xml``, the styles, every Table and every worksheet's
    relationships, ``docProps/app.xml``. ``controleer`` and every read call it, so a workbook
    that reads as "in orde" can also be written (``verify=False``: the read checks the CRCs).
    """
    with Package(Path(path), verify=verify) as package:
        workbook = Workbook(package)
        for rel in workbook.rels.of_type(REL_STYLES):
            package.xml(workbook.rels.target(rel))
        TableRegistry(workbook)
        for _, part in workbook.sheets():
            if not package.exists(part):
                package.read(part)  # raises: a sheet the workbook lists is missing
            rels = Relationships(package, part)
            for rel in rels.of_type(REL_TABLE):
                if rels.internal(rel):
                    package.xml(rels.target(rel))  # a Table the sheet names: there, and XML
        root_rels = Relationships(package, "")
        for rel in root_rels.of_type(REL_EXTENDED_PROPERTIES):
            if package.exists(root_rels.target(rel)):
                package.xml(root_rels.target(rel))


def existing_grid(path, sheet_name: str) -> list[list[object]] | None:
    """A result sheet's current cells (for Kerncijfers, whose rows build up), or None."""
    path = Path(path)
    with Package(path) as package:
        workbook = Workbook(package)
        if workbook.sheet_part(sheet_name) is None:
            return None
        name = workbook.sheet_name(sheet_name)
    return read_sheet_grid(path, name)
