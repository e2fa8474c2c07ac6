"""Result sheets replaced whole (or added), with their Table and page; ``docProps/app.xml`` told."""

from __future__ import annotations

import copy
import re
from decimal import Decimal
from xml.sax.saxutils import escape, quoteattr

from lxml import etree

from ....dutch import format_date
from ..formats import column_letter
from ..messages import WriteBackRefused, not_a_worksheet_message
from ..plan import HEADER_ROW, TABLE_STYLE, TITLE_ROW, SheetCells, structured_column
from .cells import cell_xml, excel_text, inline_string_xml, number_text
from .package import (
    CT_TABLE,
    NS_EP,
    NS_MAIN,
    NS_MC,
    NS_R,
    NS_VT,
    REL_EXTENDED_PROPERTIES,
    REL_HYPERLINK,
    REL_PIVOT_TABLE,
    REL_TABLE,
    Package,
    Relationships,
    local_name,
    parse_xml,
    rels_part,
    xml_bytes,
)
from .styles import Styles
from .workbook import TableRegistry, Workbook

# Children of a result sheet that float over it or describe its page, kept when it is replaced.
KEPT_SHEET_CHILDREN = {
    "sheetPr",
    "printOptions",
    "pageMargins",
    "pageSetup",
    "headerFooter",
    "drawing",
    "legacyDrawing",
    "legacyDrawingHF",
    "drawingHF",
    "picture",
    "oleObjects",
    "controls",
    "AlternateContent",  # mc: wrapper Excel puts around controls and OLE objects
}


# --- result sheets ----------------------------------------------------------------------------

_NEW_SHEET_ROOT = f'<worksheet xmlns="{NS_MAIN}" xmlns:r="{NS_R}" xmlns:mc="{NS_MC}">'


# The page of a result sheet, in the schema's order; the old sheet's own are kept, except the header
# (it names this review's peildatum).
PAGE_ELEMENTS = ("printOptions", "pageMargins", "pageSetup", "headerFooter")
_PAGE_MARGINS = '<pageMargins left="0.5" right="0.5" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>'
# A4 landscape, one page wide and as many pages tall as it takes.
_PAGE_SETUP = '<pageSetup paperSize="9" orientation="landscape" fitToWidth="1" fitToHeight="0"/>'


def header_footer_xml(cells: SheetCells) -> str:
    """The printed page's header (sheet name, peildatum) and footer (page x of y), Excel's codes."""
    right = f"&amp;RPeildatum {format_date(cells.peildatum)}" if cells.peildatum else ""
    return (
        f"<headerFooter><oddHeader>&amp;L&amp;B&amp;A&amp;B{right}</oddHeader>"
        "<oddFooter>&amp;CPagina &amp;P van &amp;N</oddFooter></headerFooter>"
    )


def result_sheet_xml(
    cells: SheetCells, styles: Styles, date1904: bool, table_rel_id: str, old_root=None, table_name: str = ""
) -> tuple[bytes, bool]:
    """The worksheet XML of a result sheet, and whether the old version had formulas."""
    had_formulas = False
    kept_before, kept_after = [], []  # elements of the old sheet that stay
    kept_page: dict[str, object] = {}
    if old_root is not None:
        start = etree.Element(old_root.tag, attrib=dict(old_root.attrib), nsmap=old_root.nsmap)
        head = etree.tostring(start).decode()
        head = head[: head.rfind("/>")] + ">"
        ns = etree.QName(old_root).namespace
        tag = re.match(r"<([^\s>/]+)", head).group(1)
        if ":" in tag and old_root.nsmap.get(None) != ns:
            # A root written with a prefix (x:worksheet): our children use the default namespace.
            head = head.replace(f"<{tag}", f'<{tag} xmlns="{ns}"', 1)
        closing = f"</{tag}>"
        had_formulas = old_root.find(f"{{{ns}}}sheetData/{{{ns}}}row/{{{ns}}}c/{{{ns}}}f") is not None
        for child in old_root:
            if local_name(child) in PAGE_ELEMENTS:
                kept_page[local_name(child)] = child
            elif local_name(child) in KEPT_SHEET_CHILDREN:
                (kept_before if local_name(child) == "sheetPr" else kept_after).append(child)
    else:
        head, closing = _NEW_SHEET_ROOT, "</worksheet>"
    if not kept_before and "pageSetup" not in kept_page:
        head += '<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>'
    width = max(len(cells.columns), 1)
    last_col = column_letter(width)
    last_row = cells.last_row
    column_styles = [styles.for_kind(c.kind) for c in cells.columns]
    parts = [head]
    parts.append(f'<dimension ref="A{TITLE_ROW}:{last_col}{last_row}"/>')
    parts.append(
        '<sheetViews><sheetView workbookViewId="0">'
        f'<pane ySplit="{HEADER_ROW}" topLeftCell="A{HEADER_ROW + 1}" activePane="bottomLeft" state="frozen"/>'
        f'<selection pane="bottomLeft" activeCell="A{HEADER_ROW + 1}" sqref="A{HEADER_ROW + 1}"/>'
        "</sheetView></sheetViews>"
    )
    parts.append('<sheetFormatPr defaultRowHeight="15"/>')
    if cells.columns:
        parts.append("<cols>")
        for index, column in enumerate(cells.columns, start=1):
            parts.append(f'<col min="{index}" max="{index}" width="{column.width:.1f}" customWidth="1"/>')
        parts.append("</cols>")
    parts.append("<sheetData>")
    parts.append(f'<row r="{TITLE_ROW}">{inline_string_xml(f"A{TITLE_ROW}", cells.title)}</row>')
    header = "".join(
        inline_string_xml(f"{column_letter(i)}{HEADER_ROW}", c.header) for i, c in enumerate(cells.columns, start=1)
    )
    parts.append(f'<row r="{HEADER_ROW}">{header}</row>')
    letters = [column_letter(i) for i in range(1, width + 1)]
    kinds = [c.kind for c in cells.columns]
    for offset, row in enumerate(cells.rows, start=1):
        r = HEADER_ROW + offset
        body = "".join(
            cell_xml(f"{letters[i]}{r}", value, kinds[i], column_styles[i], date1904) for i, value in enumerate(row)
        )
        parts.append(f'<row r="{r}">{body}</row>')
    if cells.totals is not None:
        r = cells.last_row
        body = []
        for i, value in enumerate(cells.totals):
            ref = f"{letters[i]}{r}"
            if isinstance(value, Decimal):
                formula = f"SUBTOTAL(109,{table_name}[{structured_column(cells.columns[i].header)}])"
                body.append(
                    f'<c r="{ref}" s="{column_styles[i]}"><f>{escape(formula)}</f><v>{number_text(value)}</v></c>'
                )
            elif value is not None:
                body.append(inline_string_xml(ref, str(value)))
        parts.append(f'<row r="{r}">{"".join(body)}</row>')
    parts.append("</sheetData>")
    for name in PAGE_ELEMENTS:
        if name == "headerFooter":
            parts.append(header_footer_xml(cells))
        elif name in kept_page:
            parts.append(etree.tostring(kept_page[name]).decode())
        elif name == "pageMargins":
            parts.append(_PAGE_MARGINS)
        elif name == "pageSetup":
            parts.append(_PAGE_SETUP)
    r_declared = f'xmlns:r="{NS_R}"' in head
    parts.append(
        f'<tableParts count="1"><tablePart r:id="{table_rel_id}"{"" if r_declared else f" xmlns:r={quoteattr(NS_R)}"}/>'
        "</tableParts>"
    )
    parts.append(closing)
    data = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' + "".join(parts).encode("utf-8")
    if kept_before or kept_after:
        # Put the kept elements in their schema places: sheetPr first, the rest before tableParts.
        root = parse_xml(data)
        for element in reversed(kept_before):
            root.insert(0, copy.deepcopy(element))
        table_parts = root[len(root) - 1]
        for element in kept_after:
            table_parts.addprevious(copy.deepcopy(element))
        data = xml_bytes(root)
    return data, had_formulas


def table_column_name(header: str) -> str:
    r"""A header as a tableColumn name: Excel wants line breaks and tabs as _xHHHH_ escapes there.

    >>> table_column_name("Niet\nvervallen")
    'Niet_x000a_vervallen'
    """
    text = excel_text(header)
    return text.replace("\r", "_x000d_").replace("\n", "_x000a_").replace("\t", "_x0009_")


def table_xml(
    table_id: int, name: str, ref: str, headers: list[str], totals: tuple[object, ...] | None = None
) -> bytes:
    """A Table part; with ``totals`` its last row is a totals row (a label, or a sum per money column)."""

    def column(i: int, header: str) -> str:
        total = ""
        if totals is not None and isinstance(totals[i - 1], Decimal):
            total = ' totalsRowFunction="sum"'
        elif totals is not None and totals[i - 1] is not None:
            total = f" totalsRowLabel={quoteattr(str(totals[i - 1]))}"
        return f"<tableColumn id={quoteattr(str(i))} name={quoteattr(table_column_name(header))}{total}/>"

    columns = "".join(column(i, h) for i, h in enumerate(headers, start=1))
    filter_ref, shown = ref, 'totalsRowShown="0"'
    if totals is not None:
        first, last = ref.split(":")
        last_col, last_row = re.match(r"([A-Z]+)(\d+)", last).groups()
        filter_ref, shown = f"{first}:{last_col}{int(last_row) - 1}", 'totalsRowCount="1"'
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<table xmlns="{NS_MAIN}" id="{table_id}" name={quoteattr(name)} displayName={quoteattr(name)} '
        f'ref="{ref}" {shown}><autoFilter ref="{filter_ref}"/>'
        f'<tableColumns count="{len(headers)}">{columns}</tableColumns>'
        f'<tableStyleInfo name="{TABLE_STYLE}" showFirstColumn="0" showLastColumn="0" '
        'showRowStripes="1" showColumnStripes="0"/></table>'
    ).encode("utf-8")


def _remove_part_with_rels(workbook: Workbook, part: str) -> None:
    package = workbook.package
    package.remove(part)
    package.remove(rels_part(part))
    workbook.content_types.remove(part)


def write_result_sheet(workbook: Workbook, styles: Styles, tables: TableRegistry, cells: SheetCells) -> bool:
    """Replace (or add) one result sheet; returns True when it was added."""
    package = workbook.package
    if workbook.is_other_sheet(cells.name):
        raise WriteBackRefused(not_a_worksheet_message(cells.name))
    part = workbook.sheet_part(cells.name)
    added = part is None
    old_root = None
    if added:
        part = workbook.add_sheet(cells.name)
    else:
        old_root = package.xml(part)
    rels = Relationships(package, part)
    table_part = None
    for rel in list(rels):
        kind = rel.get("Type")
        if kind == REL_TABLE and rels.internal(rel):
            if table_part is None:
                table_part = rels.target(rel)
                table_rel_id = rel.get("Id")
            else:  # another Table on a result sheet goes with the sheet's cells
                tables.forget(rels.target(rel))
                _remove_part_with_rels(workbook, rels.target(rel))
                rels.remove(rel)
        elif kind == REL_PIVOT_TABLE and rels.internal(rel):
            _remove_part_with_rels(workbook, rels.target(rel))
            rels.remove(rel)
        elif kind == REL_HYPERLINK:
            rels.remove(rel)
    if table_part is None:
        table_part = package.free_name("xl/tables/table{}.xml")
        table_rel_id = rels.add(REL_TABLE, table_part)
        workbook.content_types.add(table_part, CT_TABLE)
        table_id = tables.free_id()
    else:
        table_id = tables.ids.get(table_part) or tables.free_id()
    name = tables.free_name(cells.table_name, table_part)
    tables.register(table_part, table_id, name)
    xml, had_formulas = result_sheet_xml(cells, styles, workbook.date1904, table_rel_id, old_root, name)
    if had_formulas:
        workbook.drop_calc_chain()
    package.put(part, xml)
    ref = f"A{HEADER_ROW}:{column_letter(max(len(cells.columns), 1))}{cells.last_row}"
    headers = [c.header for c in cells.columns] or ["Kolom1"]
    package.put(table_part, table_xml(table_id, name, ref, headers, cells.totals))
    workbook.set_print_titles(cells.name, f"${HEADER_ROW}:${HEADER_ROW}")
    rels.save()
    return added


def update_app_properties(package: Package, workbook: Workbook, new_names: list[str]) -> None:
    """List new sheets in docProps/app.xml; left alone when its layout is not the usual one."""
    root_rels = Relationships(package, "")
    rels = root_rels.of_type(REL_EXTENDED_PROPERTIES)
    if not rels or not new_names:
        return
    part = root_rels.target(rels[0])
    if not package.exists(part):
        return
    root = package.xml(part)
    pairs = root.find(f"{{{NS_EP}}}HeadingPairs/{{{NS_VT}}}vector")
    titles = root.find(f"{{{NS_EP}}}TitlesOfParts/{{{NS_VT}}}vector")
    if pairs is None or titles is None:
        return
    variants = pairs.findall(f"{{{NS_VT}}}variant")
    title_elements = titles.findall(f"{{{NS_VT}}}lpstr")
    existing = {name for name, _ in workbook.sheets()} - set(new_names)
    position = 0
    for index in range(0, len(variants) - 1, 2):
        count_element = variants[index + 1].find(f"{{{NS_VT}}}i4")
        if count_element is None:
            return
        count = int(count_element.text)
        names = {t.text for t in title_elements[position : position + count]}
        if names and names <= existing:
            anchor = title_elements[position + count - 1]
            for offset, name in enumerate(new_names, start=1):
                element = etree.Element(f"{{{NS_VT}}}lpstr")
                element.text = name
                titles.insert(titles.index(anchor) + offset, element)
            count_element.text = str(count + len(new_names))
            titles.set("size", str(len(title_elements) + len(new_names)))
            package.put(part, xml_bytes(root))
            return
        position += count
