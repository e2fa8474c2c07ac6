"""A table of thousands of rows that appears at once: sort by a column, search, page, tick, open a row.

Only one page of rows exists as widgets (``page_size`` rows, made once and reused), so
a register of 2,000 debtors draws as fast as one of 20; sorting, filtering and
searching run in Python over the rows and redraw that page. Each cell is cut off
with an ellipsis to fit its column and shows its full text on hover (``title``);
``on_open`` gets the row whose detail button was clicked, for a detail pane.
Plain ipywidgets and HTML: nothing is loaded from the internet.

    table = DataTable(columns, page_size=25, checkable=True, on_open=show_detail)
    table.show(rows)               # any objects; the columns read them
    table.filter = lambda row: ... # then table.refresh()
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import ipywidgets as widgets

ROW_STYLE = """<style>
.dt-row {display: flex; width: 100%; line-height: 26px; font-size: 13px}
.dt-row > span {flex: none; overflow: hidden; text-overflow: ellipsis; white-space: nowrap;
  padding: 0 4px; box-sizing: border-box}
.dt-row > span.dt-rest {flex: 1 1 0}
.dt-row > span.dt-right {text-align: right}
.dt-odd .dt-row {background: #f4f6f8}
.dt-open .dt-row {background: #fff3c4}
.dt-header .widget-button {font-weight: bold; text-align: left; padding: 0 4px; background: #e8edf2}
.dt-rij .widget-html-content {width: 100%; overflow: hidden}
</style>"""
CHECK_WIDTH = "28px"
OPEN_WIDTH = "34px"
ASCENDING, DESCENDING = " ▲", " ▼"


@dataclass(frozen=True)
class Column:
    """A column: its header, its width (CSS; None: the rest of the row), its text and its sort key."""

    header: str
    width: str | None
    text: Callable[[object], str]
    key: Callable[[object], object] | None = None  # None: not sortable
    right: bool = False


def _fixed(width: str, **more) -> widgets.Layout:
    """A column of the row that never grows or shrinks, so header and rows line up."""
    return widgets.Layout(width=width, min_width=width, max_width=width, flex=f"0 0 {width}", margin="0", **more)


def _sorted(rows: list, key: Callable[[object], object], descending: bool) -> list:
    """Rows by ``key``; rows whose key is None go last in either direction (the sort is stable)."""
    keyed = [(key(r), r) for r in rows]
    present = [(k, r) for k, r in keyed if k is not None]
    present.sort(key=lambda pair: pair[0], reverse=descending)
    return [r for _, r in present] + [r for k, r in keyed if k is None]


class _Row:
    """One row of the page: tick box, open button, the cells as one HTML."""

    def __init__(self, table: DataTable, position: int):
        self.table, self.position = table, position
        self.item: int | None = None  # index into table.rows
        self.checkbox = widgets.Checkbox(value=False, indent=False, layout=_fixed(CHECK_WIDTH))
        self.checkbox.observe(self._ticked, names="value")
        self.open_button = widgets.Button(description="›", tooltip="Details", layout=_fixed(OPEN_WIDTH, height="24px"))
        self.open_button.on_click(lambda _: self.table.open(self.item))
        self.cells = widgets.HTML(layout=widgets.Layout(flex="1 1 auto", min_width="0", margin="0"))
        parts = ([self.checkbox] if table.checkable else []) + ([self.open_button] if table.on_open else [])
        self.widget = widgets.HBox([*parts, self.cells], layout=widgets.Layout(width="100%", align_items="center"))
        self.widget.add_class("dt-rij")
        if position % 2:
            self.widget.add_class("dt-odd")

    def _ticked(self, change) -> None:
        if self.item is not None and not self.table._drawing:
            self.table._tick(self.item, change["new"])

    def draw(self, item: int | None) -> None:
        self.item = item
        if item is None:
            self.widget.layout.display = "none"
            return
        row = self.table.rows[item]
        self.widget.layout.display = None
        self.checkbox.value = item in self.table.checked
        spans = []
        for column in self.table.columns:
            text = html.escape(column.text(row))
            classes = " ".join(
                c for c in ("dt-rest" if column.width is None else "", "dt-right" if column.right else "") if c
            )
            style = f' style="width:{column.width}"' if column.width else f' style="min-width:{self.table.rest_width}"'
            spans.append(f'<span class="{classes}"{style} title="{text}">{text}</span>')
        self.cells.value = f'<div class="dt-row">{"".join(spans)}</div>'
        if item == self.table.opened:
            self.widget.add_class("dt-open")
        else:
            self.widget.remove_class("dt-open")


class DataTable:
    """Rows of any kind shown through ``columns``: sortable headers, a search box, pages, ticks."""

    def __init__(
        self,
        columns: Sequence[Column],
        *,
        page_size: int = 25,
        checkable: bool = False,
        on_open: Callable[[object], None] | None = None,
        search: Callable[[object], str] | None = None,
        search_placeholder: str = "zoeken",
        empty: str = "Geen regels.",
        on_change: Callable[[], None] | None = None,
        rest_width: str = "160px",
    ):
        self.columns = tuple(columns)
        self.page_size = page_size
        self.checkable = checkable
        self.on_open = on_open
        self.on_change = on_change
        self.search_text = search
        self.rest_width = rest_width  # the least the column without a width (the rest of the row) gets
        self.rows: list = []
        self.checked: set[int] = set()
        self.filter: Callable[[object], bool] | None = None
        self.sort_column: int | None = None
        self.descending = False
        self.page = 0
        self.opened: int | None = None
        self.visible: list[int] = []
        self._drawing = False
        self.search_input = widgets.Text(
            placeholder=search_placeholder, layout=widgets.Layout(width="300px"), continuous_update=True
        )
        self.search_input.observe(lambda _: self._first_page(), names="value")
        if search is None:
            self.search_input.layout.display = "none"
        self.header = widgets.HBox(layout=widgets.Layout(width="100%"))
        self.header.add_class("dt-header")
        self.set_columns(self.columns)
        self._rows = [_Row(self, n) for n in range(page_size)]
        self.empty = widgets.HTML(f"<i>{html.escape(empty)}</i>")
        self.previous_button = widgets.Button(description="‹ Vorige", layout=widgets.Layout(width="100px"))
        self.next_button = widgets.Button(description="Volgende ›", layout=widgets.Layout(width="100px"))
        self.previous_button.on_click(lambda _: self.go(self.page - 1))
        self.next_button.on_click(lambda _: self.go(self.page + 1))
        self.count_label = widgets.Label()
        # The rows keep their columns' widths; in a window narrower than that the table scrolls
        # sideways in its own box instead of being cut off at the right edge.
        self.body = widgets.VBox(
            [widgets.HTML(ROW_STYLE), self.header, *(r.widget for r in self._rows), self.empty],
            layout=widgets.Layout(width="100%", min_width=self._least_width()),
        )
        self.widget = widgets.VBox(
            [
                widgets.Box([self.body], layout=widgets.Layout(width="100%", overflow="auto")),
                widgets.HBox(
                    [self.previous_button, self.count_label, self.next_button],
                    layout=widgets.Layout(align_items="center"),
                ),
            ],
            layout=widgets.Layout(width="100%"),
        )
        self.widget.add_class("debiteuren-datatabel")
        self.refresh()

    def set_columns(self, columns: Sequence[Column]) -> None:
        """Other columns (e.g. the register's own ageing buckets); the sort is reset."""
        self.columns = tuple(columns)
        self.sort_column, self.descending = None, False
        self.header_buttons = []
        for i, column in enumerate(self.columns):
            button = widgets.Button(
                description=column.header,
                tooltip="Sorteren" if column.key else column.header,
                layout=widgets.Layout(
                    width=column.width or "auto",
                    flex="none" if column.width else "1 1 0",
                    min_width="0" if column.width else self.rest_width,
                    height="28px",
                    margin="0",
                ),
            )
            if column.key is not None:
                button.on_click(lambda _, i=i: self.sort_by(i))
            self.header_buttons.append(button)
        spacers = ([widgets.HTML(layout=_fixed(CHECK_WIDTH))] if self.checkable else []) + (
            [widgets.HTML(layout=_fixed(OPEN_WIDTH))] if self.on_open else []
        )
        self.header.children = (*spacers, *self.header_buttons)
        if hasattr(self, "body"):
            self.body.layout.min_width = self._least_width()

    def _least_width(self) -> str:
        """The row's width with the flexible column at its least (CSS pixels)."""
        fixed = [self.rest_width if c.width is None else c.width for c in self.columns]
        fixed += [CHECK_WIDTH] * self.checkable + [OPEN_WIDTH] * (self.on_open is not None)
        return f"{sum(int(w.removesuffix('px')) for w in fixed)}px"

    # --- contents -------------------------------------------------------------------------------

    def show(self, rows: Sequence[object]) -> None:
        """New rows (ticks and the open row are cleared; sort, filter and search stay)."""
        self.rows = list(rows)
        self.checked = set()
        self.opened = None
        self._first_page()

    def refresh(self) -> None:
        """Apply filter, search and sort again and draw the current page."""
        wanted = self.search_input.value.strip().casefold()
        items = [
            i
            for i, row in enumerate(self.rows)
            if (self.filter is None or self.filter(row))
            and (not wanted or (self.search_text is not None and wanted in self.search_text(row).casefold()))
        ]
        if self.sort_column is not None:
            key = self.columns[self.sort_column].key
            items = _sorted(items, lambda i: key(self.rows[i]), self.descending)
        self.visible = items
        pages = max(1, -(-len(items) // self.page_size))
        self.page = min(max(self.page, 0), pages - 1)
        self._draw()

    def _first_page(self) -> None:
        self.page = 0
        self.refresh()

    def go(self, page: int) -> None:
        self.page = page
        self.refresh()

    def sort_by(self, column: int, descending: bool | None = None) -> None:
        """Sort by a column; clicking the same header again reverses the order."""
        if descending is None:
            descending = (not self.descending) if self.sort_column == column else False
        self.sort_column, self.descending = column, descending
        for i, (button, col) in enumerate(zip(self.header_buttons, self.columns)):
            button.description = col.header + ((DESCENDING if descending else ASCENDING) if i == column else "")
        self._first_page()

    def page_rows(self) -> list:
        """The rows on the current page, in the order shown."""
        start = self.page * self.page_size
        return [self.rows[i] for i in self.visible[start : start + self.page_size]]

    def shown_rows(self) -> list:
        """Every row that passes filter and search, in the order shown (all pages)."""
        return [self.rows[i] for i in self.visible]

    # --- ticks and the open row -----------------------------------------------------------------

    def ticked(self) -> list:
        return [row for i, row in enumerate(self.rows) if i in self.checked]

    def tick_where(self, wanted: Callable[[object], bool]) -> int:
        """Tick exactly the rows ``wanted`` says (on every page); returns how many are ticked."""
        self.checked = {i for i, row in enumerate(self.rows) if wanted(row)}
        self._draw()
        self._changed()
        return len(self.checked)

    def add_ticks(self, items: set[int]) -> None:
        """Tick these rows (indexes into ``rows``) besides those ticked."""
        self.checked |= set(items)
        self._draw()
        self._changed()

    def set_ticked(self, row: object, value: bool) -> None:
        self._tick(self.rows.index(row), value)
        self._draw()

    def _tick(self, item: int, value: bool) -> None:
        (self.checked.add if value else self.checked.discard)(item)
        self._count()
        self._changed()

    def _changed(self) -> None:
        if self.on_change is not None:
            self.on_change()

    def open(self, item: int | None) -> None:
        if item is None:
            return
        self.opened = item
        self._draw()
        if self.on_open is not None:
            self.on_open(self.rows[item])

    # --- drawing --------------------------------------------------------------------------------

    def _draw(self) -> None:
        start = self.page * self.page_size
        shown = self.visible[start : start + self.page_size]
        self._drawing = True
        try:
            for n, row in enumerate(self._rows):
                row.draw(shown[n] if n < len(shown) else None)
        finally:
            self._drawing = False
        self.empty.layout.display = None if not shown else "none"
        self._count()

    def _count(self) -> None:
        start = self.page * self.page_size
        shown = self.visible[start : start + self.page_size]
        total, everything = len(self.visible), len(self.rows)
        first = start + 1 if shown else 0
        text = f"{first}–{start + len(shown)} van {total}"
        if total != everything:
            text += f" (van {everything} in totaal)"
        if self.checkable:
            text += f"; {len(self.checked)} aangevinkt"
        self.count_label.value = text
        self.previous_button.disabled = self.page == 0
        self.next_button.disabled = start + self.page_size >= total
