"""Rows appended to a register table (Acties): placed, styled, with calculated columns and growing ranges."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from lxml import etree

from ...schema import header_key
from ...tables import locate_header, normalise_cell
from ..formats import TEXT, column_letter
from ..messages import (
    WriteBackRefused,
    cells_in_the_way_message,
    missing_actions_sheet_message,
    no_header_message,
    totals_row_message,
)
from ..plan import ActionCells, place_appended_rows
from .cells import cell_xml, formula_cell_xml, inline_string_xml
from .package import NS_X14, NS_XM, REL_TABLE, XML_PARSER, Relationships, qname, range_boundaries, xml_bytes
from .result_sheets import table_column_name
from .styles import Styles
from .workbook import Workbook, read_sheet_grid

# --- appending to Acties ----------------------------------------------------------------------

_CELL_REF = re.compile(r"^([A-Za-z]{1,3})(\d+)$")


def _split_ref(ref: str) -> tuple[int, int]:
    match = _CELL_REF.match(ref.replace("$", ""))
    col = 0
    for ch in match.group(1).upper():
        col = col * 26 + ord(ch) - 64
    return col, int(match.group(2))


def _has_value(cell, ns: str) -> bool:
    return any(cell.find(f"{{{ns}}}{tag}") is not None for tag in ("v", "is", "f"))


class SheetRows:
    """The rows of a worksheet's sheetData, with their Excel row numbers (made explicit)."""

    def __init__(self, root):
        self.ns = etree.QName(root).namespace
        self.sheet_data = root.find(qname(self.ns, "sheetData"))
        self.rows: dict[int, object] = {}
        previous = 0
        for row in self.sheet_data.findall(qname(self.ns, "row")):
            number = int(row.get("r")) if row.get("r") else previous + 1
            row.set("r", str(number))
            self.rows[number] = row
            previous = number
        self.numbers = sorted(self.rows)
        self._cells: dict[int, dict[int, object]] = {}

    def cells(self, number: int) -> dict[int, object]:
        """Column number -> cell element of one row (read once, then kept up to date)."""
        if number in self._cells:
            return self._cells[number]
        row = self.rows.get(number)
        if row is None:
            return {}
        result, previous = {}, 0
        for cell in row.findall(qname(self.ns, "c")):
            if cell.get("r"):
                col, _ = _split_ref(cell.get("r"))
            else:
                col = previous + 1
                cell.set("r", f"{column_letter(col)}{number}")
            result[col] = cell
            previous = col
        self._cells[number] = result
        return result

    def row(self, number: int):
        row = self.rows.get(number)
        if row is not None:
            return row
        row = etree.Element(qname(self.ns, "row"), r=str(number))
        index = bisect.bisect_right(self.numbers, number)
        if index < len(self.numbers):
            self.rows[self.numbers[index]].addprevious(row)
        else:
            self.sheet_data.append(row)
        self.rows[number] = row
        self.numbers.insert(index, number)
        return row

    def put_cell(self, number: int, col: int, xml: str) -> None:
        """Put a cell (``xml`` as written by cell_xml) in its place, replacing an empty one there."""
        row = self.row(number)
        row.attrib.pop("spans", None)  # an optional hint; ours would be stale
        fragment = etree.fromstring(f'<x xmlns="{self.ns}">{xml}</x>'.encode("utf-8"), XML_PARSER)[0]
        existing = self.cells(number)
        if col in existing:
            existing[col].getparent().replace(existing[col], fragment)
        else:
            later = [c for c in existing if c > col]
            if later:
                existing[min(later)].addprevious(fragment)
            else:
                row.append(fragment)
        self._cells.setdefault(number, existing)[col] = fragment


def _extend_ranges(sqref: str, old_last: int, new_last: int, first_col: int, last_col: int) -> str:
    """Extend each range of a space-separated sqref that ends at ``old_last`` within the columns."""
    result = []
    for part in sqref.split():
        try:
            min_col, min_row, max_col, max_row = range_boundaries(part)
        except (ValueError, TypeError):
            result.append(part)
            continue
        if (
            max_row == old_last
            and min_row is not None
            and min_row <= old_last
            and min_col is not None
            and max_col >= first_col
            and min_col <= last_col
        ):
            part = f"{column_letter(min_col)}{min_row}:{column_letter(max_col)}{new_last}"
        result.append(part)
    return " ".join(result)


def _extend_rules(root, old_last: int, new_last: int, first_col: int, last_col: int) -> None:
    """Validation and conditional formatting that end at the table's last row grow with it."""
    ns = etree.QName(root).namespace
    paths = (f"{{{ns}}}dataValidations/{{{ns}}}dataValidation", f"{{{ns}}}conditionalFormatting")
    for path in paths:
        for element in root.iterfind(path):
            if element.get("sqref"):
                element.set("sqref", _extend_ranges(element.get("sqref"), old_last, new_last, first_col, last_col))
    for tag in ("dataValidation", "conditionalFormatting"):
        for element in root.iter(qname(NS_X14, tag)):
            sqref = element.find(qname(NS_XM, "sqref"))
            if sqref is not None and sqref.text:
                sqref.text = _extend_ranges(sqref.text, old_last, new_last, first_col, last_col)


def grow_dimension(root, last_col: int, last_row: int) -> None:
    """The sheet's used range (``<dimension>``) takes in ``last_col`` and ``last_row`` (1-based)."""
    ns = etree.QName(root).namespace
    dimension = root.find(qname(ns, "dimension"))
    if dimension is None or not dimension.get("ref"):
        return
    try:
        min_col, min_row, max_col, max_row = range_boundaries(dimension.get("ref"))
    except (ValueError, TypeError):
        return
    max_col, max_row = max(max_col or 1, last_col), max(max_row or 1, last_row)
    dimension.set("ref", f"{column_letter(min_col or 1)}{min_row or 1}:{column_letter(max_col)}{max_row}")


def _column_styles(root) -> dict[int, int]:
    ns = etree.QName(root).namespace
    result = {}
    for col in root.iterfind(f"{{{ns}}}cols/{{{ns}}}col"):
        if col.get("style"):
            for index in range(int(col.get("min")), int(col.get("max")) + 1):
                result[index] = int(col.get("style"))
    return result


def _calculated_columns(table_root, first_col: int) -> dict[int, tuple[str, bool]]:
    """Sheet column -> (formula, is array) of the Table's calculated columns (``calculatedColumnFormula``)."""
    ns = etree.QName(table_root).namespace
    result = {}
    columns = table_root.find(qname(ns, "tableColumns"))
    for offset, column in enumerate(columns.findall(qname(ns, "tableColumn"))):
        formula = column.find(qname(ns, "calculatedColumnFormula"))
        if formula is not None and formula.text:
            result[first_col + offset] = (formula.text, formula.get("array") in ("1", "true"))
    return result


@dataclass
class _Target:
    """Where appended rows go: the sheet, its rows, and the table (an Excel Table or a header row)."""

    sheet_name: str
    part: str
    root: object  # the worksheet's XML
    ns: str
    rows: SheetRows
    header_row: int
    first_col: int
    last_col: int
    last_filled: int  # the last row with a value in the table's columns (the header row if none)
    old_last: int  # the table's last row (an Excel Table may end below its last filled row)
    header_positions: dict[str, int]  # header key -> sheet column
    other_tables: list[str]  # refs of the sheet's other Tables
    table_part: str | None = None
    table_root: object = None  # the Table part's XML, when the rows go into an Excel Table


def _find_target(workbook: Workbook, spec) -> _Target:
    """The sheet named like ``spec`` and, on it, the Table named like it or else its header row."""
    package = workbook.package
    sheet_name = next((n for n, _ in workbook.sheets() if header_key(n) == header_key(spec.name)), None)
    if sheet_name is None:
        raise WriteBackRefused(missing_actions_sheet_message(spec.name))
    part = workbook.sheet_part(sheet_name)
    root = package.xml(part)
    rows = SheetRows(root)
    rels = Relationships(package, part)
    table_part, table_root, other_tables = None, None, []
    for rel in rels.of_type(REL_TABLE):
        candidate = package.xml(rels.target(rel))
        name = candidate.get("displayName") or candidate.get("name")
        if table_root is None and header_key(name) == header_key(spec.name):
            table_part, table_root = rels.target(rel), candidate
        else:
            other_tables.append(candidate.get("ref"))
    where = dict(
        sheet_name=sheet_name,
        part=part,
        root=root,
        ns=etree.QName(root).namespace,
        rows=rows,
        other_tables=other_tables,
    )
    if table_root is not None:
        return _Target(
            **where,
            **_in_table(table_root, rows, where["ns"], sheet_name),
            table_part=table_part,
            table_root=table_root,
        )
    return _Target(**where, **_under_header(package.path, sheet_name, spec))


def _in_table(table_root, rows: SheetRows, ns: str, sheet_name: str) -> dict:
    """The Excel Table's columns and rows; refused when it has no header row or has a totals row."""
    if table_root.get("headerRowCount", "1") == "0":
        raise WriteBackRefused(no_header_message(sheet_name))
    if int(table_root.get("totalsRowCount", "0") or 0) > 0:
        raise WriteBackRefused(totals_row_message(sheet_name))
    first_col, header_row, last_col, old_last = range_boundaries(table_root.get("ref"))
    headers = [
        tc.get("name", "") for tc in _table_columns(table_root).findall(qname(_table_ns(table_root), "tableColumn"))
    ]
    last_filled = header_row
    for number in reversed([n for n in rows.numbers if header_row < n <= old_last]):
        if any(first_col <= c <= last_col and _has_value(cell, ns) for c, cell in rows.cells(number).items()):
            last_filled = number
            break
    return dict(
        header_row=header_row,
        first_col=first_col,
        last_col=last_col,
        last_filled=last_filled,
        old_last=old_last,
        header_positions={header_key(h): first_col + i for i, h in enumerate(headers)},
    )


def _under_header(path, sheet_name: str, spec) -> dict:
    """A sheet without a Table: the header row the reader finds, and the rows below it."""
    grid = read_sheet_grid(path, sheet_name)
    if not grid:
        raise WriteBackRefused(no_header_message(sheet_name))
    header_index = locate_header(grid, spec)
    header_positions = {header_key(v): i + 1 for i, v in enumerate(grid[header_index]) if normalise_cell(v) is not None}
    if not any(header_key(c.header) in header_positions for c in spec.columns if c.required):
        raise WriteBackRefused(no_header_message(sheet_name))
    header_row = header_index + 1
    last_filled = header_row
    for index in range(header_index + 1, len(grid)):
        row = grid[index]
        if any(c - 1 < len(row) and normalise_cell(row[c - 1]) is not None for c in header_positions.values()):
            last_filled = index + 1
    return dict(
        header_row=header_row,
        first_col=min(header_positions.values()),
        last_col=max(header_positions.values()),
        last_filled=last_filled,
        old_last=last_filled,
        header_positions=header_positions,
    )


def _table_ns(table_root) -> str:
    return etree.QName(table_root).namespace


def _table_columns(table_root):
    return table_root.find(qname(_table_ns(table_root), "tableColumns"))


def _refuse_what_is_in_the_way(target: _Target, areas) -> None:
    """Nothing of the controller's is overwritten: filled cells, other Tables, merged cells."""
    in_the_way = []
    for a_col, a_row, b_col, b_row in areas:
        for number in range(a_row, b_row + 1):
            for col, cell in target.rows.cells(number).items():
                if a_col <= col <= b_col and _has_value(cell, target.ns):
                    in_the_way.append(f"{column_letter(col)}{number}")
    ns = target.ns
    merged = [m.get("ref") for m in target.root.iterfind(f"{{{ns}}}mergeCells/{{{ns}}}mergeCell")]
    for ref in target.other_tables + merged:
        if not ref:
            continue
        min_col, min_row, max_col, max_row = range_boundaries(ref)
        if any(
            min_col <= b_col and max_col >= a_col and min_row <= b_row and max_row >= a_row
            for a_col, a_row, b_col, b_row in areas
        ):
            in_the_way.append(ref)
    if in_the_way:
        raise WriteBackRefused(cells_in_the_way_message(target.sheet_name, in_the_way))


def _base_styles(target: _Target):
    """A cell's format: the cell that is there already, else the last filled row's, else the column's."""
    rows = target.rows
    template = rows.cells(target.last_filled) if target.last_filled > target.header_row else {}
    column_style = _column_styles(target.root)

    def base_style(number, col):
        cell = rows.cells(number).get(col)
        if cell is not None and cell.get("s"):
            return int(cell.get("s"))
        if col in template and template[col].get("s"):
            return int(template[col].get("s"))
        return column_style.get(col, 0)

    return base_style


def _write_cells(workbook: Workbook, styles: Styles, target: _Target, actions: ActionCells, placed) -> None:
    """The added headers, then every new row: values typed and formatted, calculated columns filled down."""
    rows, base_style = target.rows, _base_styles(target)
    for header, col in placed.added:
        style = base_style(target.header_row, col - 1)  # like the header cell to its left
        ref = f"{column_letter(col)}{target.header_row}"
        rows.put_cell(target.header_row, col, inline_string_xml(ref, header, style))
    positions = placed.positions
    value_at = {p: i for i, p in enumerate(positions) if p is not None}
    in_table = target.table_root is not None
    styled_cols = (
        range(target.first_col, placed.new_last_col + 1) if in_table else [p for p in positions if p is not None]
    )
    calculated = _calculated_columns(target.table_root, target.first_col) if in_table else {}
    for offset, row in enumerate(actions.rows):
        number = placed.start + offset
        for col in styled_cols:
            index = value_at.get(col)
            value = row[index] if index is not None else None
            kind = actions.columns[index].kind if index is not None else None
            base = base_style(number, col)
            ref = f"{column_letter(col)}{number}"
            if index is None and col in calculated:  # the Table's calculated column, filled down as Excel does
                formula, array = calculated[col]
                rows.put_cell(number, col, formula_cell_xml(ref, formula, base, array))
                continue
            style = styles.for_kind(kind if value is not None else None, base)
            xml = cell_xml(ref, value, kind or TEXT, style, workbook.date1904)
            if xml:
                rows.put_cell(number, col, xml)


def set_table_ref(table_root, ref: str) -> None:
    """A Table's range, and its own filter's, set to ``ref`` (header row included)."""
    table_root.set("ref", ref)
    for auto_filter in table_root.iter(qname(_table_ns(table_root), "autoFilter")):
        if auto_filter.getparent() is table_root:
            auto_filter.set("ref", ref)


def _grow_table(target: _Target, placed) -> bool:
    """The Table's ref, autofilter and sort range take in the new rows and columns; True when changed."""
    table_root, table_ns = target.table_root, _table_ns(target.table_root)
    first_col, old_last, new_last = target.first_col, target.old_last, placed.new_last
    ref = f"{column_letter(first_col)}{target.header_row}:{column_letter(placed.new_last_col)}{new_last}"
    old_ref = table_root.get("ref")
    set_table_ref(table_root, ref)
    for sort_state in table_root.iter(qname(table_ns, "sortState")):
        if sort_state.get("ref"):
            sort_state.set("ref", _extend_ranges(sort_state.get("ref"), old_last, new_last, first_col, target.last_col))
    if placed.added:
        table_columns = _table_columns(table_root)
        ids = [int(tc.get("id", "0")) for tc in table_columns]
        for offset, (header, _) in enumerate(placed.added, start=1):
            etree.SubElement(
                table_columns, qname(table_ns, "tableColumn"), id=str(max(ids) + offset), name=table_column_name(header)
            )
        table_columns.set("count", str(len(table_columns.findall(qname(table_ns, "tableColumn")))))
    return ref != old_ref or bool(placed.added)


def append_actions(workbook: Workbook, styles: Styles, actions: ActionCells) -> tuple[int, tuple[str, ...]]:
    """Append the rows to their sheet's table (``actions.spec``); returns (rows appended, columns added)."""
    package = workbook.package
    target = _find_target(workbook, actions.spec)
    # Where each planned column goes; columns the sheet lacks are added at its right.
    placed = place_appended_rows(
        actions,
        target.header_positions,
        header_row=target.header_row,
        first_col=target.first_col,
        last_col=target.last_col,
        last_filled=target.last_filled,
        old_last=target.old_last,
        in_table=target.table_root is not None,
    )
    _refuse_what_is_in_the_way(target, placed.areas)
    _write_cells(workbook, styles, target, actions, placed)
    if placed.new_last > target.old_last:
        _extend_rules(target.root, target.old_last, placed.new_last, target.first_col, target.last_col)
        if target.table_root is not None:
            workbook.extend_names(
                target.sheet_name, target.old_last, placed.new_last, target.first_col, target.last_col
            )
    grow_dimension(target.root, placed.new_last_col, placed.new_last)
    package.put(target.part, xml_bytes(target.root))
    if target.table_root is not None and _grow_table(target, placed):
        package.put(target.table_part, xml_bytes(target.table_root))
    return len(actions.rows), tuple(h for h, _ in placed.added)
