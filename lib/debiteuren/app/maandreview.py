"""The monthly review notebook's view: register and peildatum in, KPIs, charts, the action list, letters out,
and an import step (bank statement or open-item export, app/import_step.py).

``MaandReview`` wires widgets to the library and holds no rules: the numbers
are ``run_month``'s ``Review``, the trend is the Kerncijfers sheet's rows (plus
this review's row), the letters come from ``generate_letters``.

    view = MaandReview("register.xlsx", date(2026, 10, 31), clock=datetime.now)
    view.widget        # display this
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import ipywidgets as widgets

from .. import monthly_run
from ..dunning import ProposedStep
from ..kpi import OUTSTANDING, PAST_DUE
from ..monthly_run import MonthlyRun, run_month
from ..register import xlsx_patch
from ..register.writeback import WriteBackRefused, _earlier_table
from ..result_sheets import kerncijfers
from ..review import Review
from .import_step import ImportStep
from .widgets_common import (
    Messages, RegisterChooser, bar_chart, date_input, day, eur, figure, html_table, line_chart, text_input, tile,
)

DSO_COLUMN = "DSO (terugrekenmethode)"
PEILDATUM_COLUMN = "Peildatum"


@dataclass(frozen=True)
class TrendPoint:
    peildatum: date
    dso: Decimal | None


def kerncijfers_trend(target, review: Review | None) -> tuple[TrendPoint, ...]:
    """DSO per peildatum from the workbook's Kerncijfers rows, with this review's row in place of its peildatum."""
    points: dict[date, Decimal | None] = {}
    grid = None
    if isinstance(target, Path):
        grid = xlsx_patch.existing_grid(target, "Kerncijfers") if target.exists() else None
    else:  # the workbook open in Excel
        from ..register import live_writer

        grid = live_writer.existing_grid(target, "Kerncijfers")
    table = _earlier_table(grid, PEILDATUM_COLUMN) if grid else None
    if table is not None:
        headers, rows = table
        if PEILDATUM_COLUMN in headers and DSO_COLUMN in headers:
            at, dso = headers.index(PEILDATUM_COLUMN), headers.index(DSO_COLUMN)
            for row in rows:
                when = row[at]
                if isinstance(when, datetime):
                    when = when.date()
                if isinstance(when, date):
                    value = row[dso]
                    points[when] = Decimal(repr(value)) if isinstance(value, (int, float)) else None
    if review is not None:
        row = kerncijfers(review).iloc[0]
        points[review.peildatum] = row[DSO_COLUMN]
    return tuple(TrendPoint(d, points[d]) for d in sorted(points))


class ActionRow:
    """One proposed step with the check box the controller ticks."""

    def __init__(self, step: ProposedStep):
        self.step = step
        self.checkbox = widgets.Checkbox(value=False, indent=False, layout=widgets.Layout(width="30px"))
        cells = [
            (step.debtor_id, "70px"), (step.name, "240px"), (str(step.step), "40px"), (step.action, "190px"),
            ("ja" if step.due_now else "nee", "40px"),
            (day(step.earliest), "90px"), (day(step.deadline), "90px"), (", ".join(step.invoice_ids), "200px"),
            (eur(step.amount_cents), "110px"), (step.reason, "420px"),
        ]
        self.widget = widgets.HBox(
            [self.checkbox, *(widgets.Label(text, tooltip=text, layout=widgets.Layout(width=w)) for text, w in cells)]
        )


ACTION_HEADERS = (
    ("", "30px"), ("Debiteur", "70px"), ("Naam", "240px"), ("Stap", "40px"), ("Actie", "190px"), ("Nu", "40px"),
    ("Vanaf", "90px"), ("Betalen uiterlijk", "90px"), ("Facturen", "200px"), ("Bedrag", "110px"),
    ("Reden", "420px"),
)


class MaandReview:
    """The monthly review: choose register and peildatum, read, review, tick steps, make letters."""

    def __init__(
        self,
        source: str | Path,
        peildatum: date,
        *,
        clock: Callable[[], datetime],
        letters_folder: str | Path | None = None,
        load: bool = True,
        xw=None,
    ):
        self.clock = clock
        self.run: MonthlyRun | None = None
        self.target = None
        self.trend: tuple[TrendPoint, ...] = ()
        self.rows: list[ActionRow] = []
        self.batch = None
        self.chooser = RegisterChooser(source, xw=xw)
        self.source_input = self.chooser.path_input
        self.peildatum_input = date_input("Peildatum", peildatum)
        self.load_button = widgets.Button(description="Inlezen", button_style="primary", icon="refresh")
        self.write_button = widgets.Button(
            description="Resultaten naar werkmap", icon="save", disabled=True, layout=widgets.Layout(width="220px")
        )
        self.target_label = widgets.HTML()
        self.messages = Messages()
        self.notes = Messages()
        self.tiles = widgets.HBox(layout=widgets.Layout(flex_flow="row wrap"))
        self.ageing_chart = widgets.Image(format="png")
        self.trend_chart = widgets.Image(format="png")
        self.segments = widgets.HTML()
        self.warnings = widgets.HTML()
        self.actions_box = widgets.VBox()
        self.select_due_button = widgets.Button(
            description="Alles wat nu moet aanvinken", icon="check-square", layout=widgets.Layout(width="240px")
        )
        self.clear_button = widgets.Button(description="Niets aanvinken", icon="square")
        self.letters_folder_input = text_input(
            "Map voor de brieven", str(letters_folder or ""), width="620px",
            placeholder="leeg: brieven/<briefdatum> naast het register",
        )
        self.letter_date_input = date_input("Briefdatum", None)
        self.generate_button = widgets.Button(
            description="Brieven maken en vastleggen", button_style="success", icon="envelope", disabled=True,
            layout=widgets.Layout(width="260px"),
        )
        self.progress = widgets.IntProgress(value=0, min=0, max=1, description="Voortgang", bar_style="info")
        self.progress_text = widgets.Label()
        self.letters_messages = Messages()
        # Importing writes Betalingen (or Debiteuren/Facturen): read the review again afterwards.
        self.importer = ImportStep(self.chooser.target, clock=clock, on_applied=self.load)
        self.load_button.on_click(lambda _: self.load())
        self.write_button.on_click(lambda _: self.write_results())
        self.generate_button.on_click(lambda _: self.generate())
        self.select_due_button.on_click(lambda _: self.select_due())
        self.clear_button.on_click(lambda _: self.select_none())
        self.widget = self._layout()
        if load:
            self.load()

    # --- public ---------------------------------------------------------------------------------

    @property
    def review(self) -> Review | None:
        return self.run.review if self.run is not None else None

    def load(self) -> bool:
        """Read the register and review it as of the peildatum (nothing is written). True when it worked."""
        self.messages.clear()
        self.notes.clear()
        self.letters_messages.clear()
        self.batch = None
        peildatum = self.peildatum_input.value
        if peildatum is None:
            self.messages.show("Kies een peildatum.", "fout")
            return False
        try:
            self.target = self.chooser.target()
            self.run = run_month(self.target, peildatum, generated_at=self.clock(), write=False)
            self.trend = kerncijfers_trend(self.target, self.run.review)
        except Exception as error:  # every error becomes a Dutch message, nothing is shown half
            self.run = None
            self._clear_views()
            self.messages.error(error)
            return False
        if self.letter_date_input.value is None:
            # Letters are dated the day they are made (the clock is the edge), never the peildatum.
            self.letter_date_input.value = self.clock().date()
        self._show()
        return True

    def steps(self) -> tuple[ProposedStep, ...]:
        """All proposed steps, in the order of the table."""
        return tuple(row.step for row in self.rows)

    def selected_steps(self) -> tuple[ProposedStep, ...]:
        """The steps the controller ticked."""
        return tuple(row.step for row in self.rows if row.checkbox.value)

    def select(self, debtor_id: str, action: str | None = None) -> int:
        """Tick the steps of a debtor (optionally one action); returns how many were ticked."""
        hits = [r for r in self.rows if r.step.debtor_id == debtor_id and (action is None or r.step.action == action)]
        for row in hits:
            row.checkbox.value = True
        return len(hits)

    def tick(self, *steps: ProposedStep) -> None:
        """Tick exactly these steps (and untick the others)."""
        for row in self.rows:
            row.checkbox.value = row.step in steps

    def select_due(self) -> None:
        for row in self.rows:
            row.checkbox.value = row.step.due_now

    def select_none(self) -> None:
        for row in self.rows:
            row.checkbox.value = False

    def write_results(self) -> bool:
        """Write the result sheets (Ouderdom, Actielijst, Kerncijfers, Prognose) into the register."""
        if self.run is None:
            self.messages.show("Lees eerst het register in.", "fout")
            return False
        try:
            self.run = run_month(self.target, self.review.peildatum, generated_at=self.clock(), write=True)
            self.trend = kerncijfers_trend(self.target, self.run.review)
        except Exception as error:
            self.messages.error(error)
            return False
        self._show()
        self.messages.show(self.run.written.summary().splitlines(), "ok")
        return True

    def generate(self) -> bool:
        """Make the letters for the ticked steps, log them in Acties and write the result sheets."""
        generate_letters = getattr(monthly_run, "generate_letters", None)
        if generate_letters is None:
            self.letters_messages.show("Brieven maken is in deze versie niet beschikbaar.", "fout")
            return False
        steps = self.selected_steps()
        if self.run is None or not steps:
            self.letters_messages.show("Vink eerst in de actielijst aan welke stappen u wilt zetten.", "fout")
            return False
        letter_date = self.letter_date_input.value
        if letter_date is None:
            self.letters_messages.show("Kies een briefdatum.", "fout")
            return False
        self.progress.max, self.progress.value = len(steps), 0
        self.progress.bar_style = "info"
        self.generate_button.disabled = True
        self.progress_text.value = ""
        try:
            batch = generate_letters(
                self.run, steps, self._letters_folder(),
                letter_date=letter_date, generated_at=self.clock(), progress=self._progress, write=True,
            )
        except WriteBackRefused as refused:  # letters made, log not written (e.g. the workbook is open)
            self.progress.bar_style = "danger"
            self.letters_messages.show(
                [f"De brieven zijn gemaakt, maar niet in het logboek gezet: {refused}",
                 "Sluit de werkmap (of los het genoemde op) en maak de brieven opnieuw; controleer dan de map."],
                "fout",
            )
            self.generate_button.disabled = False
            return False
        except Exception as error:
            self.progress.bar_style = "danger"
            self.letters_messages.error(error)
            self.generate_button.disabled = False
            return False
        self.batch = batch
        lines = list(batch.messages)
        for step, reason in batch.skipped:
            lines.append(f"Geen brief voor {step.debtor_id} {step.name} ({step.action}): {reason}")
        self.progress.value = self.progress.max
        self.progress.bar_style = "success"
        if batch.logged is not None:  # the log moved on: review again and write the result sheets
            if self.write_results():
                lines += self.messages.lines
                self.messages.clear()
        self.letters_messages.show(lines, "ok" if batch.rendered else "let op")
        return True

    # --- drawing --------------------------------------------------------------------------------

    def _letters_folder(self) -> Path | None:
        folder = self.letters_folder_input.value.strip()
        return Path(folder).expanduser() if folder else None

    def _progress(self, done: int, total: int, text: str) -> None:
        self.progress.max = max(total, 1)
        self.progress.value = done
        self.progress_text.value = text

    def _clear_views(self) -> None:
        self.tiles.children = ()
        self.ageing_chart.value = b""
        self.trend_chart.value = b""
        self.segments.value = self.warnings.value = ""
        self.rows = []
        self.actions_box.children = ()
        self.generate_button.disabled = self.write_button.disabled = True
        self.target_label.value = ""

    def _show(self) -> None:
        review, register = self.review, self.run.register
        self.target_label.value = RegisterChooser.describe(self.target)
        notes = [*review.notes, *(f"Waarschuwing: {w}" for w in register.warnings)]
        self.notes.show(notes, "let op")
        k = review.kpis
        amounts = {row.category: int(row.amount_cents) for row in k.positions.itertuples()}
        self.tiles.children = (
            tile("Openstaand", eur(amounts[OUTSTANDING])),
            tile("Vervallen", eur(amounts[PAST_DUE])),
            tile("DSO (terugrekenmethode)", figure(k.dso_countback, " dagen"), f"beste DSO {figure(k.best_dso_countback)}"),
            tile("Gem. dagen na vervaldatum", figure(k.days_beyond_terms, " dagen"), "betaalde facturen, 12 maanden"),
            tile("CEI deze maand", figure(k.cei, " %")),
            tile("Rente tot peildatum", eur(int(review.interest["interest_cents"].sum()))),
            tile("Vroegsignalen", str(int(review.debtors["early_warning"].sum()))),
        )
        totals = review.ageing.totals
        self.ageing_chart.value = bar_chart(
            list(totals["bucket"]), [int(c) for c in totals["amount_cents"]], "Ouderdom openstaande posten"
        )
        points = [p for p in self.trend if p.dso is not None]
        self.trend_chart.value = line_chart(
            [p.peildatum for p in points], [float(p.dso) for p in points], "DSO per peildatum (blad Kerncijfers)", "dagen"
        )
        seg = k.per_segment
        self.segments.value = "<h4>Segmenten</h4>" + html_table(
            ["Segment", "Debiteuren", "Openstaand"],
            [[s, int(n), eur(c)] for s, n, c in zip(seg["segment"], seg["debtors"], seg["open_cents"])],
            right=(1, 2),
        )
        early = review.debtors.loc[review.debtors["early_warning"].astype(bool)]
        self.warnings.value = "<h4>Vroegsignalen</h4>" + html_table(
            ["Debiteur", "Naam", "Segment", "Openstaand", "Signaal"],
            [[r.debtor_id, r.name, r.segment, eur(r.open_cents), r.warning] for r in early.itertuples()],
            right=(3,),
        )
        self.rows = [ActionRow(step) for step in review.plan.steps]
        header = widgets.HBox([widgets.HTML(f"<b>{t}</b>", layout=widgets.Layout(width=w)) for t, w in ACTION_HEADERS])
        pauses = html_table(
            ["Debiteur", "Naam", "Tot", "Reden"],
            [[p.debtor_id, p.name, day(p.until), p.reason] for p in review.plan.pauses],
        )
        self.actions_box.children = (
            header, *(row.widget for row in self.rows), widgets.HTML("<h4>Gepauzeerd</h4>" + pauses)
        )
        self.generate_button.disabled = not hasattr(monthly_run, "generate_letters")
        self.write_button.disabled = False

    def _layout(self) -> widgets.Widget:
        choose = widgets.VBox([
            widgets.HTML("<h3>Maandreview debiteuren</h3>"),
            self.chooser.widget,
            widgets.HBox([self.peildatum_input, self.load_button, self.write_button]),
            self.target_label, self.messages, self.notes,
        ])
        overview = widgets.VBox([
            self.tiles,
            widgets.HBox([self.ageing_chart, self.trend_chart]),
            widgets.HBox([self.segments, self.warnings], layout=widgets.Layout(justify_content="space-around")),
        ])
        letters = widgets.VBox([
            widgets.HTML("<h4>Actielijst: vink aan welke stappen u zet</h4>"),
            widgets.HBox([self.select_due_button, self.clear_button]),
            self.actions_box,
            self.letters_folder_input,
            widgets.HBox([self.letter_date_input, self.generate_button]),
            widgets.HBox([self.progress, self.progress_text]),
            self.letters_messages,
        ])
        tabs = widgets.Tab(children=[overview, letters, self.importer.widget])
        tabs.set_title(0, "Overzicht")
        tabs.set_title(1, "Actielijst en brieven")
        tabs.set_title(2, "Importeren")
        return widgets.VBox([choose, tabs])

    def _ipython_display_(self):  # a notebook cell ending in the view shows it
        from IPython.display import display

        display(self.widget)
