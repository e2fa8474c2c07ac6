"""Styles: number formats appended, never renumbered."""

from __future__ import annotations

import copy

from lxml import etree

from ..formats import BUILTIN_FORMATS, FORMAT_FOR_KIND, TEXT, format_suits
from ..messages import WriteBackRefused, unsupported_workbook_message
from .package import CT_STYLES, REL_STYLES, Package, parse_xml, qname, xml_bytes
from .workbook import Workbook

# --- styles: number formats appended, never renumbered ----------------------------------------


class Styles:
    """``xl/styles.xml``: finds or appends the cell formats the written cells need."""

    def __init__(self, package: Package, workbook: "Workbook"):
        self.package = package
        rels = workbook.rels.of_type(REL_STYLES)
        if rels:
            self.part = workbook.rels.target(rels[0])
            self.root = package.xml(self.part)
        else:  # a workbook without styles (some generators): the minimal stylesheet Excel writes
            self.part = "xl/styles.xml" if not package.exists("xl/styles.xml") else package.free_name("xl/styles{}.xml")
            self.root = parse_xml(_MINIMAL_STYLES)
            workbook.rels.add(REL_STYLES, self.part)
            workbook.content_types.add(self.part, CT_STYLES)
            self.package.put(self.part, xml_bytes(self.root))
        self.ns = etree.QName(self.root).namespace
        self.cell_xfs = self.root.find(qname(self.ns, "cellXfs"))
        if self.cell_xfs is None:
            raise WriteBackRefused(unsupported_workbook_message(package.path.name, "styles.xml zonder cellXfs"))
        self.changed = False
        self._xfs = self.cell_xfs.findall(qname(self.ns, "xf"))
        self._keys = [self._key(xf) for xf in self._xfs]

    @staticmethod
    def _key(xf) -> bytes:
        return etree.tostring(xf, method="c14n")

    def _custom_formats(self) -> dict[int, str]:
        numfmts = self.root.find(qname(self.ns, "numFmts"))
        if numfmts is None:
            return {}
        return {int(f.get("numFmtId")): f.get("formatCode", "") for f in numfmts.findall(qname(self.ns, "numFmt"))}

    def format_code(self, xf_index: int) -> str:
        if not 0 <= xf_index < len(self._xfs):
            xf_index = 0
        fmt_id = int(self._xfs[xf_index].get("numFmtId", "0")) if self._xfs else 0
        return self._custom_formats().get(fmt_id) or BUILTIN_FORMATS.get(fmt_id, "General")

    def format_id(self, code: str) -> int:
        for fmt_id, builtin in ((0, "General"), (49, "@")):
            if code == builtin:
                return fmt_id
        custom = self._custom_formats()
        for fmt_id, existing in custom.items():
            if existing == code:
                return fmt_id
        numfmts = self.root.find(qname(self.ns, "numFmts"))
        if numfmts is None:
            numfmts = etree.Element(qname(self.ns, "numFmts"))
            self.root.insert(0, numfmts)  # numFmts is the stylesheet's first child
        new_id = max([163, *custom]) + 1
        etree.SubElement(numfmts, qname(self.ns, "numFmt"), numFmtId=str(new_id), formatCode=code)
        numfmts.set("count", str(len(numfmts)))
        self.changed = True
        return new_id

    def with_format(self, base: int, code: str) -> int:
        """A cell format like ``base`` but with number format ``code``: found, or appended at the end."""
        if not 0 <= base < len(self._xfs):
            base = 0
        if self._xfs and self.format_code(base) == code:
            return base
        fmt_id = self.format_id(code)
        xf = copy.deepcopy(self._xfs[base]) if self._xfs else etree.Element(qname(self.ns, "xf"))
        xf.tail = None
        xf.set("numFmtId", str(fmt_id))
        xf.set("applyNumberFormat", "1")
        if not self._xfs:
            for attr in ("fontId", "fillId", "borderId", "xfId"):
                xf.set(attr, "0")
        key = self._key(xf)
        if key in self._keys:
            return self._keys.index(key)
        self.cell_xfs.append(xf)
        self._xfs.append(xf)
        self._keys.append(key)
        self.cell_xfs.set("count", str(len(self._xfs)))
        self.changed = True
        return len(self._xfs) - 1

    def for_kind(self, kind: str | None, base: int = 0) -> int:
        """The style for a value of ``kind`` in a cell whose format would be ``base``."""
        if kind is None or kind == TEXT:
            return base
        if format_suits(kind, self.format_code(base)):
            return base
        return self.with_format(base, FORMAT_FOR_KIND[kind])

    def save(self) -> None:
        if self.changed:
            self.package.put(self.part, xml_bytes(self.root))


_MINIMAL_STYLES = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    b'<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
    b'<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>'
    b'<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    b'<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    b'<cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs>'
    b'<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    b"</styleSheet>"
)
