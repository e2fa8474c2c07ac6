"""What the three notebook views share: the register's location, Dutch messages, tables and charts.

No rules live here: amounts come formatted from :mod:`debiteuren.money`, dates
from :func:`debiteuren.law.rates.format_date`; charts are matplotlib rendered to
PNG (no CDN, works offline and in Voilà).
"""

from __future__ import annotations

import html
import io
import os
import shutil
import sys
import tempfile
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import ipywidgets as widgets
import pandas as pd

from ..demo import DEMO_PEILDATUM, build_demo
from ..dutch import decimal_comma, format_date
from ..errors import DebiteurenError, InvalidInput, user_lines
from ..money import AmountError, cents_to_decimal, format_eur, read_entered_amount

ENV_WORKBOOK = "DEBITEUREN_WERKMAP"
ENV_PEILDATUM = "DEBITEUREN_PEILDATUM"
DEMO_NAME = "debiteuren.xlsx"
WORK_FOLDER_NAME = "debiteuren-werkmap"


# --- where the register is --------------------------------------------------------------------


def committed_demo() -> Path | None:
    """The demo register shipped in the repository (never written to), when this is a checkout."""
    path = Path(__file__).resolve().parents[3] / "workbook" / DEMO_NAME
    return path if path.exists() else None


def demo_copy(folder: str | Path | None = None) -> Path:
    """A working copy of the demo register in ``folder`` (a temporary folder by default).

    The notebooks write results and log lines into the register, so they never
    use the committed demo itself; an existing copy is reused, so what was
    recorded in it stays.
    """
    folder = Path(folder) if folder is not None else Path(tempfile.gettempdir()) / WORK_FOLDER_NAME
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / DEMO_NAME
    if not target.exists():
        source = committed_demo()
        if source is not None:
            shutil.copyfile(source, target)
        else:
            build_demo(target)
    return target


def workbook_parameter(value: str | None = None) -> Path:
    """The register from the parameters cell: ``value``, else $DEBITEUREN_WERKMAP, else a demo copy."""
    value = value or os.environ.get(ENV_WORKBOOK) or ""
    return Path(value).expanduser() if value.strip() else demo_copy()


def is_demo_copy(path: str | Path) -> bool:
    """True for the working copy ``demo_copy()`` makes (its peildatum is the demo's)."""
    path = Path(path)
    return path.name == DEMO_NAME and path.parent.name == WORK_FOLDER_NAME


def peildatum_parameter(value: str | date | None, register: str | Path, *, today: date) -> date:
    """The peildatum from the parameters cell: ``value``, else $DEBITEUREN_PEILDATUM, else the demo's
    peildatum for the demo copy and ``today`` for a real register."""
    if isinstance(value, date):
        return value
    value = value or os.environ.get(ENV_PEILDATUM) or ""
    if value.strip():
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            raise InputError(
                f"Peildatum '{value.strip()}' is geen datum; schrijf jjjj-mm-dd, bijvoorbeeld 2026-10-31."
            ) from None
    return DEMO_PEILDATUM if is_demo_copy(register) else today


def open_excel_workbooks(xw=None) -> tuple:
    """The workbooks a running Excel has open (xlwings Books), .xlsx/.xlsm only; none on Linux."""
    if xw is None:
        if sys.platform not in ("win32", "darwin"):
            return ()  # xlwings drives Excel only on Windows and macOS
        try:
            import xlwings as xw
        except ImportError:  # pragma: no cover - xlwings is a dependency
            return ()
    try:
        books = [book for app in xw.apps for book in app.books]
    except Exception:  # no Excel running
        return ()
    return tuple(b for b in books if Path(str(getattr(b, "fullname", ""))).suffix.lower() in (".xlsx", ".xlsm"))


class RegisterChooser:
    """Where the register is: a workbook open in Excel (picked from a list) or a file path.

    ``target()`` is what the library reads and writes: the xlwings Book when
    Excel has the workbook open, else the path (``workbook_target`` decides for a
    typed path too).
    """

    def __init__(self, source, *, xw=None):
        self.books = {str(b.fullname): b for b in open_excel_workbooks(xw)}
        if not isinstance(source, (str, Path)):  # a Book was given
            self.books[str(source.fullname)] = source
            source = str(source.fullname)
        self.path_input = text_input("Register (pad naar .xlsx)", str(source), width="620px")
        self.open_input = widgets.Dropdown(
            description="Open in Excel",
            options=[("(geen: het bestand hierboven)", "")] + [(Path(name).name, name) for name in self.books],
            style={"description_width": "initial"},
            layout=widgets.Layout(width="620px"),
        )
        self.open_input.value = str(source) if str(source) in self.books else ""
        self.open_input.observe(self._picked, names="value")
        self.open_input.layout.display = None if self.books else "none"
        self.widget = widgets.VBox([self.path_input, self.open_input])

    def _picked(self, change) -> None:
        if change["new"]:
            self.path_input.value = change["new"]

    def target(self):
        """The Book or the Path; ``RegisterMissing`` for a path that does not exist."""
        from ..register.live_backend import workbook_target

        text = self.path_input.value.strip()
        if text in self.books:
            return self.books[text]
        target = workbook_target(Path(text).expanduser())
        if isinstance(target, Path) and not target.exists():
            raise RegisterMissing(target)
        return target

    @staticmethod
    def describe(target) -> str:
        if isinstance(target, Path):
            return f"Register: <code>{html.escape(str(target))}</code> (bestand)"
        return f"Register: <b>{html.escape(str(getattr(target, 'name', target)))}</b> (open in Excel; de resultaten komen in de open werkmap, sla hem daar op)"


# --- Dutch text ------------------------------------------------------------------------------


def eur(cents) -> str:
    """Integer cents as the controller reads them."""
    return format_eur(cents_to_decimal(int(cents)))


def day(value) -> str:
    """A date (or pandas timestamp) as dd-mm-jjjj; empty for none."""
    if value is None or pd.isna(value):
        return ""
    if isinstance(value, pd.Timestamp):
        value = value.date()
    if isinstance(value, datetime):
        value = value.date()
    return format_date(value)


def figure(value: Decimal | None, unit: str = "") -> str:
    """A day count or ratio with a Dutch comma; a dash when there is none."""
    if value is None:
        return "–"
    return decimal_comma(value) + unit


def error_lines(error: BaseException) -> list[str]:
    """The Dutch lines to show for an error: ``errors.user_lines`` without the "Fout: " (the area is red)."""
    return user_lines(error, lead=False)


def message_html(lines: Sequence[str], kind: str = "info") -> str:
    colours = {"info": "#1f4e79", "ok": "#1e6b30", "fout": "#9c1c1c", "let op": "#8a5a00"}
    body = "<br>".join(html.escape(line) for line in lines)
    return f'<div style="color:{colours.get(kind, "#000")};white-space:pre-wrap">{body}</div>'


class Messages(widgets.HTML):
    """A message area; ``lines`` and ``kind`` are kept for tests and for the next message."""

    def __init__(self):
        super().__init__()
        self.lines: tuple[str, ...] = ()
        self.kind = "info"

    def show(self, lines: Sequence[str] | str, kind: str = "info") -> None:
        lines = (lines,) if isinstance(lines, str) else lines
        self.lines = tuple(part for line in lines for part in str(line).splitlines())
        self.kind = kind
        self.value = message_html(self.lines, kind) if self.lines else ""

    def error(self, error: BaseException) -> None:
        self.show(error_lines(error), "fout")

    def clear(self) -> None:
        self.show(())


# --- tables and tiles ------------------------------------------------------------------------


TABLE_STYLE = (
    "<style>.debiteuren-tabel td, .debiteuren-tabel th {padding: 1px 8px; vertical-align: top}"
    " .debiteuren-tabel tbody tr:nth-child(odd) {background: #f4f6f8}</style>"
)


def html_table(
    headers: Sequence[str],
    rows: Sequence[Sequence[object]],
    *,
    right: Sequence[int] = (),
    nowrap: Sequence[int] = (),
    empty: str = "Geen regels.",
) -> str:
    """A plain HTML table (no JavaScript), cells already formatted as text; ``nowrap`` columns stay on one line."""
    right, nowrap = set(right), set(nowrap)

    def cell(tag: str, i: int, value: object) -> str:
        styles = ("text-align:right" if i in right else "", "white-space:nowrap" if i in nowrap else "")
        style = ";".join(s for s in styles if s)
        attribute = f' style="{style}"' if style else ""
        return f"<{tag}{attribute}>{html.escape('' if value is None else str(value))}</{tag}>"

    head = "".join(cell("th", i, h) for i, h in enumerate(headers))
    body = "".join("<tr>" + "".join(cell("td", i, v) for i, v in enumerate(r)) + "</tr>" for r in rows)
    if not rows:
        body = f'<tr><td colspan="{len(headers)}"><i>{html.escape(empty)}</i></td></tr>'
    # A table wider than the window scrolls sideways inside its own box instead of being cut off.
    return (
        f'{TABLE_STYLE}<div style="overflow-x:auto;max-width:100%"><table class="debiteuren-tabel"><thead>'
        f"<tr>{head}</tr></thead><tbody>{body}</tbody></table></div>"
    )


def tile(title: str, value: str, note: str = "") -> widgets.HTML:
    return widgets.HTML(
        f'<div style="border:1px solid #ccd;border-radius:6px;padding:4px 10px;min-width:120px">'
        f'<div style="font-size:80%;color:#555">{html.escape(title)}</div>'
        f'<div style="font-size:125%;font-weight:bold">{html.escape(value)}</div>'
        f'<div style="font-size:80%;color:#777">{html.escape(note)}</div></div>'
    )


# --- charts ----------------------------------------------------------------------------------


def png(fig) -> bytes:
    """A matplotlib figure as PNG bytes (the figure is closed)."""
    import matplotlib.pyplot as plt

    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=96, bbox_inches="tight")
    plt.close(fig)
    return buffer.getvalue()


def new_figure(width: float = 6.5, height: float = 3.0):
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    return plt.subplots(figsize=(width, height))


def bar_chart(labels: Sequence[str], cents: Sequence[int], title: str, *, width: float = 6.5) -> bytes:
    fig, ax = new_figure(width)
    euros = [int(c) / 100 for c in cents]  # drawing only; the numbers shown come from format_eur
    ax.bar([label.replace(" ", "\n") for label in labels], euros, color="#2f6f9f")  # "niet\nvervallen"
    for x, (value, amount) in enumerate(zip(euros, cents)):
        ax.annotate(eur(amount), (x, value), ha="center", va="bottom", fontsize=7 if width >= 6 else 6)
    ax.set_title(title)
    ax.set_ylabel("€")
    ax.yaxis.set_major_formatter(lambda v, _: f"{v:,.0f}".replace(",", "."))
    return png(fig)


def line_chart(xs: Sequence[date], ys: Sequence[float], title: str, ylabel: str, *, marker: str = "o") -> bytes:
    fig, ax = new_figure()
    if xs:
        ax.plot(list(xs), list(ys), marker=marker, color="#2f6f9f")
    else:
        ax.text(0.5, 0.5, "Nog geen gegevens", ha="center", va="center", transform=ax.transAxes)
    ax.set_title(title)
    ax.set_ylabel(ylabel)
    ax.grid(alpha=0.3)
    fig.autofmt_xdate()
    return png(fig)


def trend_chart(labels: Sequence[str], values: Sequence[float], title: str, ylabel: str) -> bytes:
    """One point per label (a peildatum's month, ``kpi_history.TrendPoint.month``: never the next month's
    first day, as a date axis does for the 31st); each point shows its value, so one point is a chart too."""
    fig, ax = new_figure()
    if labels:
        xs = list(range(len(labels)))
        ax.plot(xs, list(values), marker="o", color="#2f6f9f")
        for x, value in zip(xs, values):
            ax.annotate(
                f"{value:.1f}".replace(".", ","),
                (x, value),
                textcoords="offset points",
                xytext=(0, 6),
                ha="center",
                fontsize=8,
            )
        ax.set_xticks(xs, list(labels))
        ax.set_xlim(-0.5 if len(xs) > 1 else -1, len(xs) - 0.5 if len(xs) > 1 else 1)
        low, high = min(values), max(values)
        margin = max((high - low) * 0.2, abs(high) * 0.1, 1.0)
        ax.set_ylim(min(0.0, low - margin) if low >= 0 else low - margin, high + margin)
    else:
        ax.text(0.5, 0.5, "Nog geen gegevens", ha="center", va="center", transform=ax.transAxes)
    ax.set_title(title)
    ax.set_ylabel(ylabel)
    ax.grid(alpha=0.3, axis="y")
    if len(labels) > 6:
        fig.autofmt_xdate()
    return png(fig)


# --- between the notebooks --------------------------------------------------------------------

NOTEBOOKS = (
    ("maandreview.ipynb", "Maandreview"),
    ("dossier.ipynb", "Dossier debiteur"),
    ("vordering.ipynb", "Vordering berekenen"),
)


def notebook_links(current: str) -> widgets.HTML:
    """Links to the three notebooks, next to each other in the app (Voilà) and in JupyterLab."""
    parts = []
    for name, title in NOTEBOOKS:
        if name == current:
            parts.append(f"<b>{html.escape(title)}</b>")
        else:
            parts.append(f'<a href="{name}" target="_self" style="color:#1f4e79">{html.escape(title)}</a>')
    widget = widgets.HTML(" &nbsp;|&nbsp; ".join(parts))
    widget.add_class("debiteuren-navigatie")
    return widget


# --- inputs ----------------------------------------------------------------------------------


class RegisterMissing(DebiteurenError, FileNotFoundError):
    """The register path the controller typed does not exist."""

    def __init__(self, path):
        super().__init__(f"Het bestand '{path}' bestaat niet. Controleer het pad naar het register.")
        self.filename = str(path)

    def __str__(self) -> str:  # OSError's own would show "[Errno None]"
        return self.args[0]


class InputError(InvalidInput):
    """What the controller typed cannot be used; the message is Dutch."""


def read_amount(text: str, what: str, *, positive: bool = True) -> Decimal:
    """An amount typed by the controller (``1.250,00``, ``€ 40``), as on the command line; ``InputError`` otherwise."""
    try:
        return read_entered_amount(text, what, positive=positive)
    except AmountError as error:
        raise InputError(str(error)) from None


def text_input(description: str, value: str = "", width: str = "420px", placeholder: str = "") -> widgets.Text:
    return widgets.Text(
        value=value,
        description=description,
        placeholder=placeholder,
        style={"description_width": "initial"},
        layout=widgets.Layout(width=width),
    )


def date_input(description: str, value: date | None) -> widgets.DatePicker:
    return widgets.DatePicker(value=value, description=description, style={"description_width": "initial"})
