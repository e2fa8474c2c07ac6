"""The monthly review notebook's view: register and peildatum in, KPIs, charts, the action list, letters out,
and an import step (bank statement or open-item export, app/import_step.py).

``MaandReview`` wires widgets to the library and holds no rules: the numbers
are ``run_month``'s ``Review``, the trend is ``kpi_history.kerncijfers_trend`` (the Kerncijfers sheet's rows plus
this review's row), the letters, their log and the refreshed sheets from ``run_month_with_letters``.

    view = MaandReview("register.xlsx", date(2026, 10, 31), clock=datetime.now)
    view.widget        # display this
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

import ipywidgets as widgets
import pandas as pd

from .. import monthly_run
from ..dunning import ProposedStep
from ..errors import LETTERS_NOT_LOGGED
from ..kpi import OUTSTANDING, PAST_DUE
from ..kpi_history import TrendPoint, kerncijfers_trend
from ..monthly_run import MonthlyRun, run_month, write_results
from ..register.write.messages import WriteBackRefused
from ..review import Review
from ..task_outcomes import (
    ARRANGEMENT,
    OUTCOME_LABELS,
    PROMISE,
    Instalment,
    OutcomeInvalid,
    TaskOutcome,
    outcome_notes,
    outcomes_for,
    record_task_outcome,
)
from .data_table import Column, DataTable
from .import_step import ImportStep
from .widgets_common import (
    InputError,
    Messages,
    RegisterChooser,
    bar_chart,
    date_input,
    day,
    eur,
    figure,
    html_table,
    notebook_links,
    read_amount,
    text_input,
    tile,
    trend_chart,
)

ALL = "(alle)"
DUE_CHOICES = (("Alles", ALL), ("Nu uitvoeren", "nu"), ("Later", "later"))
PAGE_SIZE = 25
MAX_INSTALMENTS = 4


def action_columns(segment_of: Callable[[str], str]) -> tuple[Column, ...]:
    """The action list's columns: what a ProposedStep holds, as the controller reads it."""
    return (
        Column("Debiteur", "80px", lambda s: s.debtor_id, lambda s: s.debtor_id),
        Column("Naam", "190px", lambda s: s.name, lambda s: s.name.casefold()),
        Column("Segment", "82px", lambda s: segment_of(s.debtor_id), lambda s: segment_of(s.debtor_id) or None),
        Column("Stap", "46px", lambda s: str(s.step), lambda s: s.step),
        Column("Actie", "160px", lambda s: s.action, lambda s: s.action),
        Column("Nu", "42px", lambda s: "ja" if s.due_now else "nee", lambda s: not s.due_now),
        Column("Vanaf", "90px", lambda s: day(s.earliest), lambda s: s.earliest),
        Column("Uiterlijk", "90px", lambda s: day(s.deadline), lambda s: s.deadline),
        Column("Facturen", "120px", lambda s: ", ".join(s.invoice_ids), lambda s: len(s.invoice_ids)),
        Column("Bedrag", "108px", lambda s: eur(s.amount_cents), lambda s: s.amount_cents, right=True),
        Column("Reden", None, lambda s: s.reason, lambda s: s.reason),
    )


def ageing_columns(labels: tuple[str, ...], name_of: Callable[[str], str]) -> tuple[Column, ...]:
    """Ageing per debtor: one row of ``Ageing.by_debtor`` (a dict), a column per bucket."""
    return (
        Column("Debiteur", "76px", lambda r: r["debtor_id"], lambda r: r["debtor_id"]),
        Column("Naam", None, lambda r: name_of(r["debtor_id"]), lambda r: name_of(r["debtor_id"]).casefold()),
        *(
            Column(
                label,
                "90px",
                lambda r, label=label: eur(r[label]) if r[label] else "–",
                lambda r, label=label: r[label],
                right=True,
            )
            for label in labels
        ),
        Column("Totaal", "100px", lambda r: eur(r["open_cents"]), lambda r: r["open_cents"], right=True),
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
        self.batch = None
        self.segment_of: dict[str, str] = {}
        self.name_of: dict[str, str] = {}
        self.chooser = RegisterChooser(source, xw=xw)
        self.source_input = self.chooser.path_input
        self.peildatum_input = date_input("Peildatum", peildatum)
        self.load_button = widgets.Button(description="Inlezen", button_style="primary")
        self.write_button = widgets.Button(
            description="Resultaten naar werkmap", disabled=True, layout=widgets.Layout(width="220px")
        )
        self.target_label = widgets.HTML()
        self.messages = Messages()
        self.notes = Messages()
        # Warnings and notes fold away under their count, so the key figures stay at the top.
        self.notes_box = widgets.Accordion(children=[self.notes], selected_index=None)
        self.notes_box.layout.display = "none"
        self.tiles = widgets.HBox(layout=widgets.Layout(flex_flow="row wrap"))
        chart_layout = {"max_width": "100%", "height": "auto", "object_fit": "contain"}
        self.ageing_chart = widgets.Image(format="png", layout=widgets.Layout(width="370px", **chart_layout))
        self.trend_chart = widgets.Image(format="png", layout=widgets.Layout(width="480px", **chart_layout))
        self.ageing_chart.layout.display = self.trend_chart.layout.display = "none"  # until there is a review
        self.ageing_table = DataTable(
            ageing_columns((), self.name_of.get),
            page_size=12,
            search=self._debtor_text,
            rest_width="110px",
            search_placeholder="zoek op naam of debiteurnummer",
            empty="Niets openstaand.",
        )
        self.segments = widgets.HTML()
        self.warnings = widgets.HTML()
        # The action list: a table of every proposed step, filters above it, the chosen step below it.
        self.table = DataTable(
            action_columns(lambda debtor: self.segment_of.get(debtor, "")),
            page_size=PAGE_SIZE,
            checkable=True,
            on_open=self.open_step,
            search=lambda s: f"{s.debtor_id} {s.name}",
            search_placeholder="zoek op naam of debiteurnummer",
            empty="Geen stappen die hieraan voldoen.",
        )
        self.table.widget.add_class("debiteuren-actielijst")
        self.action_filter = widgets.Dropdown(description="Actie", options=[ALL], layout=widgets.Layout(width="280px"))
        self.segment_filter = widgets.Dropdown(
            description="Segment", options=[ALL], layout=widgets.Layout(width="230px")
        )
        self.due_filter = widgets.Dropdown(
            description="Wanneer", options=DUE_CHOICES, value=ALL, layout=widgets.Layout(width="220px")
        )
        for choice in (self.action_filter, self.segment_filter, self.due_filter):
            choice.style.description_width = "initial"
            choice.observe(lambda _: self._filter_steps(), names="value")
        self.table.filter = self._wanted_step
        self.select_due_button = widgets.Button(
            description="Alle brieven die nu moeten aanvinken", layout=widgets.Layout(width="280px")
        )
        self.clear_button = widgets.Button(description="Niets aanvinken")
        self.pauses = widgets.HTML()
        self.pauses_box = widgets.Accordion(children=[self.pauses], selected_index=None)
        # The step opened in the table: its full texts, and for a task the form to mark it done.
        self.opened: ProposedStep | None = None
        self.detail = widgets.HTML("<i>Klik op › bij een stap voor alle gegevens; een taak kunt u hier afhandelen.</i>")
        self.outcome_input = widgets.Dropdown(
            description="Resultaat",
            options=[],
            layout=widgets.Layout(width="420px"),
            style={"description_width": "initial"},
        )
        self.done_on_input = date_input("Datum", None)
        self.by_input = text_input("Door", "", width="260px")
        self.note_input = widgets.Textarea(
            description="Notitie",
            layout=widgets.Layout(width="620px", height="60px"),
            style={"description_width": "initial"},
            placeholder="wat is besproken; bij een betwisting de reden",
        )
        self.promised_amount_input = text_input("Toegezegd bedrag", "", width="260px", placeholder="bijv. 1.250,00")
        self.promised_date_input = date_input("Toegezegde datum", None)
        self.instalment_inputs = [
            (date_input(f"Termijn {n}: vervaldatum", None), text_input("bedrag", "", width="200px"))
            for n in range(1, MAX_INSTALMENTS + 1)
        ]
        self.promise_box = widgets.HBox([self.promised_amount_input, self.promised_date_input])
        self.arrangement_box = widgets.VBox([widgets.HBox([d, a]) for d, a in self.instalment_inputs])
        self.record_button = widgets.Button(
            description="Vastleggen als gedaan", button_style="success", layout=widgets.Layout(width="220px")
        )
        self.outcome_messages = Messages()
        self.outcome_form = widgets.VBox(
            [
                widgets.HTML("<b>Taak afhandelen</b> (komt in het blad Acties)"),
                widgets.HBox([self.outcome_input, self.done_on_input]),
                self.promise_box,
                self.arrangement_box,
                self.note_input,
                self.by_input,
                self.record_button,
            ]
        )
        self.outcome_input.observe(lambda _: self._show_outcome_fields(), names="value")
        self.outcome_form.layout.display = "none"
        self.letters_folder_input = text_input(
            "Map voor de brieven",
            str(letters_folder or ""),
            width="620px",
            placeholder="leeg: brieven/<briefdatum> naast het register",
        )
        self.letter_date_input = date_input("Briefdatum", None)
        self.generate_button = widgets.Button(
            description="Brieven maken en vastleggen",
            button_style="success",
            disabled=True,
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
        self.record_button.on_click(lambda _: self.record_outcome())
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
        self.messages.show("Het register wordt ingelezen en gereviewd…", "info")
        self.load_button.disabled = True
        try:
            self.target = self.chooser.target()
            self.run = run_month(self.target, peildatum, generated_at=self.clock(), write=False)
            self.trend = kerncijfers_trend(self.target, self.run.review)
        except Exception as error:  # every error becomes a Dutch message, nothing is shown half
            self.run = None
            self._clear_views()
            self.messages.error(error)
            return False
        finally:
            self.load_button.disabled = False
        if self.letter_date_input.value is None:
            # Letters are dated the day they are made (the clock is the edge), never the peildatum.
            self.letter_date_input.value = self.clock().date()
        self._show()
        self.messages.clear()
        return True

    def steps(self) -> tuple[ProposedStep, ...]:
        """All proposed steps, in the plan's order."""
        return tuple(self.table.rows)

    def shown_steps(self) -> tuple[ProposedStep, ...]:
        """The steps that pass the filters and the search, in the table's order (all pages)."""
        return tuple(self.table.shown_rows())

    def selected_steps(self) -> tuple[ProposedStep, ...]:
        """The steps the controller ticked."""
        return tuple(self.table.ticked())

    def select(self, debtor_id: str, action: str | None = None) -> int:
        """Tick the steps of a debtor (optionally one action) besides those ticked; returns how many were added."""
        hits = {
            i
            for i, s in enumerate(self.table.rows)
            if s.debtor_id == debtor_id and (action is None or s.action == action)
        }
        self.table.add_ticks(hits)
        return len(hits)

    def tick(self, *steps: ProposedStep) -> None:
        """Tick exactly these steps (and untick the others)."""
        self.table.tick_where(lambda s: s in steps)

    def select_due(self) -> None:
        """Tick every letter due now (tasks are done and recorded one by one, not in a batch)."""
        self.table.tick_where(lambda s: s.due_now and not outcomes_for(s))

    def select_none(self) -> None:
        self.table.tick_where(lambda s: False)

    def filter_steps(self, *, action: str = ALL, segment: str = ALL, due: str = ALL, search: str = "") -> None:
        """Set the action list's filters (as the controller does with the drop-downs and the search box)."""
        with self.table.search_input.hold_trait_notifications():
            self.action_filter.value, self.segment_filter.value, self.due_filter.value = action, segment, due
            self.table.search_input.value = search
        self._filter_steps()

    def open_step(self, step: ProposedStep) -> None:
        """Show a step in full below the table; a task gets the form to mark it done."""
        self.opened = step
        rows = [
            ("Debiteur", f"{step.debtor_id} {step.name}"),
            ("Segment", self.segment_of.get(step.debtor_id, "")),
            ("Stap", f"{step.step}: {step.action}"),
            ("Nu uitvoeren", "ja" if step.due_now else "nee"),
            ("Vanaf", day(step.earliest)),
            ("Betalen uiterlijk", day(step.deadline)),
            ("Facturen", ", ".join(step.invoice_ids)),
            ("Bedrag", eur(step.amount_cents)),
            ("Reden", step.reason),
        ]
        self.detail.value = "<h4>Gekozen stap</h4>" + html_table(["", ""], rows)
        outcomes = outcomes_for(step)
        self.outcome_messages.clear()
        if outcomes:
            self.outcome_input.options = [(OUTCOME_LABELS[o], o) for o in outcomes]
            self.outcome_input.value = outcomes[0]
            self.done_on_input.value = self.clock().date()
            self._clear_outcome_fields()
            self.outcome_form.layout.display = None
        else:
            self.outcome_form.layout.display = "none"
            self.outcome_messages.show(
                "Dit is een brief: vink hem aan in de lijst en maak hem hieronder met 'Brieven maken en vastleggen'.",
                "info",
            )
        self._show_outcome_fields()

    def outcome(self) -> TaskOutcome:
        """The outcome the form describes; ``InputError`` (Dutch) for an amount that cannot be read."""
        result = self.outcome_input.value
        promised = None
        if result == PROMISE and self.promised_amount_input.value.strip():
            promised = read_amount(self.promised_amount_input.value, "Toegezegd bedrag")
        instalments = ()
        if result == ARRANGEMENT:
            instalments = tuple(
                Instalment(due.value, read_amount(amount.value, f"Termijn {n}: bedrag"))
                for n, (due, amount) in enumerate(self.instalment_inputs, start=1)
                if due.value is not None or amount.value.strip()
            )
        return TaskOutcome(
            result,
            self.done_on_input.value,
            note=self.note_input.value,
            by=self.by_input.value,
            promised_amount=promised,
            promised_date=self.promised_date_input.value if result == PROMISE else None,
            instalments=instalments,
        )

    def record_outcome(self) -> bool:
        """Record the opened task as done, with its outcome, in Acties (through the library); then review again."""
        step = self.opened
        if self.run is None or step is None:
            self.outcome_messages.show("Kies eerst een taak in de actielijst (klik op ›).", "fout")
            return False
        try:
            outcome = self.outcome()
            written = record_task_outcome(
                self.target,
                self.run.register,
                step,
                outcome,
                generated_at=self.clock(),
                peildatum=self.review.peildatum,
            )
        except (InputError, OutcomeInvalid) as error:
            self.outcome_messages.show(str(error).splitlines(), "fout")
            return False
        except (
            Exception
        ) as error:  # the view's edge: every error is shown in Dutch (errors.user_lines), a bug as unexpected
            self.outcome_messages.error(error)
            return False
        peildatum = self.review.peildatum
        self.opened = None  # the task is done: the pane shows what was recorded, not the next step
        self.load()
        lines = [
            f"Vastgelegd voor {step.debtor_id} {step.name}: {OUTCOME_LABELS[outcome.result].lower()}.",
            *written.summary().splitlines(),
            *outcome_notes(step, outcome, peildatum, self.steps()),
        ]
        self.outcome_messages.show(lines, "ok")
        return True

    def write_results(self) -> bool:
        """Write the result sheets (Ouderdom, Actielijst, Kerncijfers, Prognose) of this review into the register."""
        if self.run is None:
            self.messages.show("Lees eerst het register in.", "fout")
            return False
        before = self.run
        try:
            self.run = write_results(self.target, self.run, generated_at=self.clock())
            if self.run.review is not before.review:  # the workbook had changed: it was reviewed again
                self.trend = kerncijfers_trend(self.target, self.run.review)
        except (
            Exception
        ) as error:  # the view's edge: every error is shown in Dutch (errors.user_lines), a bug as unexpected
            self.messages.error(error)
            return False
        if self.run.review is not before.review:
            self._show()
        self.messages.show(self.run.written.summary().splitlines(), "ok")
        return True

    def generate(self) -> bool:
        """Make the letters for the ticked steps, log them in Acties and write the result sheets (one write)."""
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
            run, batch = monthly_run.run_month_with_letters(
                self.target,
                self.review.peildatum,
                reviewed=self.run,
                steps=steps,
                out_dir=self._letters_folder(),
                letter_date=letter_date,
                generated_at=self.clock(),
                progress=self._progress,
            )
        except WriteBackRefused as refused:  # letters made, log not written (e.g. the workbook is open)
            self.progress.bar_style = "danger"
            self.letters_messages.show(
                [
                    f"{LETTERS_NOT_LOGGED}: {refused}",
                    "Sluit de werkmap (of los het genoemde op) en maak de brieven opnieuw; controleer dan de map.",
                ],
                "fout",
            )
            self.generate_button.disabled = False
            return False
        except (
            Exception
        ) as error:  # the view's edge: every error is shown in Dutch (errors.user_lines), a bug as unexpected
            self.progress.bar_style = "danger"
            self.letters_messages.error(error)
            self.generate_button.disabled = False
            return False
        self.batch = batch
        lines = list(batch.messages)
        for step, reason in batch.skipped:
            lines.append(f"Geen brief voor {step.debtor_id} {step.name} ({step.action}): {reason}")
        self.progress.value = self.progress.max
        if batch.logged is not None:  # the log and the result sheets moved on together: show the review after it
            self.run = run
            self.trend = kerncijfers_trend(self.target, run.review)
            self._show()
        if batch.problems:  # letters without their PDF: an error, with what to do
            self.progress.bar_style = "danger"
            self.letters_messages.show([*batch.problems, "", *lines], "fout")
            return False
        self.progress.bar_style = "success"
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

    def _debtor_text(self, row) -> str:
        return f"{row['debtor_id']} {self.name_of.get(row['debtor_id'], '')}"

    def _wanted_step(self, step: ProposedStep) -> bool:
        action, segment, due = self.action_filter.value, self.segment_filter.value, self.due_filter.value
        return (
            (action == ALL or step.action == action)
            and (segment == ALL or self.segment_of.get(step.debtor_id) == segment)
            and (due == ALL or step.due_now == (due == "nu"))
        )

    def _filter_steps(self) -> None:
        self.table.page = 0
        self.table.refresh()

    def _show_outcome_fields(self) -> None:
        result = self.outcome_input.value
        self.promise_box.layout.display = None if result == PROMISE else "none"
        self.arrangement_box.layout.display = None if result == ARRANGEMENT else "none"

    def _clear_outcome_fields(self) -> None:
        self.note_input.value = self.promised_amount_input.value = ""
        self.promised_date_input.value = None
        for due, amount in self.instalment_inputs:
            due.value, amount.value = None, ""

    def _clear_views(self) -> None:
        self.tiles.children = ()
        self.ageing_chart.value = b""
        self.trend_chart.value = b""
        self.ageing_chart.layout.display = self.trend_chart.layout.display = "none"
        self.segments.value = self.warnings.value = self.pauses.value = ""
        self.notes_box.layout.display = "none"
        self.table.show(())
        self.ageing_table.show(())
        self.opened = None
        self.outcome_form.layout.display = "none"
        self.generate_button.disabled = self.write_button.disabled = True
        self.target_label.value = ""

    def _show(self) -> None:
        review, register = self.review, self.run.register
        self.target_label.value = RegisterChooser.describe(self.target)
        notes = [*review.notes, *(f"Waarschuwing: {w}" for w in register.warnings)]
        self.notes.show(notes, "let op")
        self.notes_box.set_title(0, f"Opmerkingen en waarschuwingen ({len(notes)})")
        self.notes_box.layout.display = None if notes else "none"
        k = review.kpis
        amounts = k.position_cents
        self.tiles.children = (
            tile("Openstaand", eur(amounts[OUTSTANDING])),
            tile("Vervallen", eur(amounts[PAST_DUE])),
            tile(
                "DSO (terugrekenmethode)",
                figure(k.dso_countback, " dagen"),
                f"beste DSO {figure(k.best_dso_countback)}",
            ),
            tile("Gem. dagen na vervaldatum", figure(k.days_beyond_terms, " dagen"), "betaalde facturen, 12 maanden"),
            tile("CEI deze maand", figure(k.cei, " %")),
            tile("Rente tot peildatum", eur(review.interest_cents)),
            tile("Vroegsignalen", str(len(review.early_warnings))),
        )
        debtors = review.debtors
        self.name_of.clear()
        self.name_of.update(zip(debtors["debtor_id"], debtors["name"]))
        self.segment_of = {d: ("" if pd.isna(s) else str(s)) for d, s in zip(debtors["debtor_id"], debtors["segment"])}
        ageing = review.ageing
        if tuple(c.header for c in self.ageing_table.columns[2:-1]) != tuple(ageing.labels):
            self.ageing_table.set_columns(ageing_columns(tuple(ageing.labels), lambda d: self.name_of.get(d, "")))
        by_debtor = ageing.open_by_debtor()
        fields = ["debtor_id", *ageing.labels, "open_cents"]
        self.ageing_table.show([dict(zip(fields, values)) for values in by_debtor[fields].itertuples(index=False)])
        seg = k.per_segment
        self.segments.value = "<h4>Segmenten</h4>" + html_table(
            ["Segment", "Debiteuren", "Openstaand"],
            [[s, int(n), eur(c)] for s, n, c in zip(seg["segment"], seg["debtors"], seg["open_cents"])],
            right=(1, 2),
        )
        early = review.early_warnings
        self.warnings.value = "<h4>Vroegsignalen</h4>" + html_table(
            ["Debiteur", "Naam", "Segment", "Openstaand", "Signaal"],
            [[r.debtor_id, r.name, r.segment, eur(r.open_cents), r.warning] for r in early.itertuples()],
            right=(3,),
        )
        steps = review.plan.steps
        with self.action_filter.hold_trait_notifications(), self.segment_filter.hold_trait_notifications():
            actions = sorted({s.action for s in steps})
            segments = sorted({self.segment_of.get(s.debtor_id, "") for s in steps} - {""})
            self.action_filter.options = [("Alle acties", ALL), *((a, a) for a in actions)]
            self.segment_filter.options = [("Alle segmenten", ALL), *((g, g) for g in segments)]
            if self.action_filter.value not in (ALL, *actions):
                self.action_filter.value = ALL
            if self.segment_filter.value not in (ALL, *segments):
                self.segment_filter.value = ALL
        self.table.show(steps)
        pauses = review.plan.pauses
        self.pauses.value = html_table(
            ["Debiteur", "Naam", "Tot", "Reden"],
            [[p.debtor_id, p.name, day(p.until), p.reason] for p in pauses],
        )
        self.pauses_box.set_title(0, f"Gepauzeerd ({len(pauses)})")
        still = next(
            (
                s
                for s in steps
                if self.opened is not None and (s.debtor_id, s.action) == (self.opened.debtor_id, self.opened.action)
            ),
            None,
        )
        if still is not None:
            self.open_step(still)
        else:
            self.opened = None
            self.outcome_form.layout.display = "none"
            self.detail.value = "<i>Klik op › bij een stap voor alle gegevens; een taak kunt u hier afhandelen.</i>"
        self.generate_button.disabled = False
        self.write_button.disabled = False
        # The charts last: matplotlib is the slowest part, and the tables are wanted first.
        totals = ageing.totals
        self.ageing_chart.value = bar_chart(
            list(totals["bucket"]), [int(c) for c in totals["amount_cents"]], "Ouderdom openstaande posten", width=4.6
        )
        self.ageing_chart.layout.display = self.trend_chart.layout.display = None
        points = [p for p in self.trend if p.dso is not None]
        self.trend_chart.value = trend_chart(
            [p.month for p in points],
            [float(p.dso) for p in points],
            "DSO per peildatum (blad Kerncijfers)",
            "dagen",
        )

    def _layout(self) -> widgets.Widget:
        choose = widgets.VBox(
            [
                notebook_links("maandreview.ipynb"),
                self.chooser.widget,
                widgets.HBox(
                    [self.peildatum_input, self.load_button, self.write_button],
                    layout=widgets.Layout(flex_flow="row wrap"),
                ),
                self.target_label,
                self.messages,
                self.tiles,
                self.notes_box,
            ]
        )
        wrap = widgets.Layout(flex_flow="row wrap", align_items="flex-start", width="100%")
        overview = widgets.VBox(
            [
                widgets.HBox(
                    [
                        self.ageing_chart,
                        widgets.VBox(
                            [
                                widgets.HTML("<h4>Ouderdom per debiteur</h4>"),
                                self.ageing_table.search_input,
                                self.ageing_table.widget,
                            ],
                            layout=widgets.Layout(flex="1 1 600px", min_width="0"),
                        ),
                    ],
                    layout=wrap,
                ),
                widgets.HBox([self.trend_chart, self.segments], layout=wrap),
                self.warnings,
            ]
        )
        letters = widgets.VBox(
            [
                widgets.HTML("<h4>Actielijst</h4>"),
                widgets.HBox(
                    [self.action_filter, self.segment_filter, self.due_filter, self.table.search_input],
                    layout=widgets.Layout(flex_flow="row wrap"),
                ),
                self.table.widget,
                self.detail,
                self.outcome_form,
                self.outcome_messages,
                self.pauses_box,
                widgets.HTML("<h4>Brieven: vink in de lijst aan welke stappen u zet</h4>"),
                widgets.HBox([self.select_due_button, self.clear_button]),
                self.letters_folder_input,
                widgets.HBox([self.letter_date_input, self.generate_button]),
                widgets.HBox([self.progress, self.progress_text]),
                self.letters_messages,
            ]
        )
        tabs = widgets.Tab(children=[overview, letters, self.importer.widget])
        tabs.set_title(0, "Overzicht")
        tabs.set_title(1, "Actielijst en brieven")
        tabs.set_title(2, "Importeren")
        return widgets.VBox([choose, tabs], layout=widgets.Layout(width="100%"))

    def _ipython_display_(self):  # a notebook cell ending in the view shows it
        from IPython.display import display

        display(self.widget)
