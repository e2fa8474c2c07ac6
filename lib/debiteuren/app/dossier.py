"""The debtor dossier notebook's view: one debtor's invoices, payments, days-to-pay trend and log,
and recording a call, a promise to pay or an arrangement in the register's Acties log.

An arrangement goes to Acties as a 'Betalingsregeling' row (its instalments
summarised in Omschrijving) and its instalments to the Regelingen sheet, both
through the write-back, so the dunning plan follows the arrangement at once. What is shown
is ``debtor_dossier.debtor_dossier``, what is recorded ``debtor_dossier.entry_rows``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

import ipywidgets as widgets

from ..debtor_dossier import ARRANGEMENT, CALL, ENTRY_KINDS, PROMISE, DossierEntry, debtor_dossier, entry_rows
from ..errors import InvalidInput
from ..monthly_run import MonthlyRun, run_month
from ..register.schema import MAX_INSTALMENTS
from ..register.writeback import write_back
from ..task_outcomes import OutcomeRows
from .widgets_common import (
    InputError,
    Messages,
    RegisterChooser,
    date_input,
    day,
    eur,
    figure,
    html_table,
    line_chart,
    notebook_links,
    text_input,
)

KINDS = ENTRY_KINDS


class Dossier:
    """One debtor's dossier, and recording what was agreed with them."""

    def __init__(
        self,
        source: str | Path,
        peildatum: date,
        *,
        clock: Callable[[], datetime],
        debtor_id: str | None = None,
        by: str = "",
        load: bool = True,
        xw=None,
    ):
        self.clock = clock
        self.peildatum = peildatum
        self.run: MonthlyRun | None = None
        self.target = None
        self.last_written = None
        self.chooser = RegisterChooser(source, xw=xw)
        self.source_input = self.chooser.path_input
        self.peildatum_input = date_input("Peildatum", peildatum)
        self.load_button = widgets.Button(description="Inlezen", button_style="primary")
        self.debtor_input = widgets.Dropdown(description="Debiteur", options=[], layout=widgets.Layout(width="520px"))
        self.messages = Messages()
        self.header = widgets.HTML()
        self.invoices = widgets.HTML()
        self.payments = widgets.HTML()
        self.chart = widgets.Image(format="png", layout=widgets.Layout(width="640px", max_width="100%", height="auto"))
        self.log = widgets.HTML()
        # the form
        self.kind_input = widgets.ToggleButtons(options=KINDS, value=CALL, description="Soort")
        self.date_input = date_input("Datum", peildatum)
        self.invoices_input = text_input("Factuurnummers", "", width="520px", placeholder="leeg: alle openstaande")
        self.description_input = widgets.Textarea(
            description="Omschrijving",
            layout=widgets.Layout(width="620px", height="70px"),
            style={"description_width": "initial"},
        )
        self.by_input = text_input("Door", by, width="300px")
        self.promised_amount_input = text_input("Toegezegd bedrag", "", width="260px", placeholder="bijv. 1.250,00")
        self.promised_date_input = date_input("Toegezegde datum", None)
        self.instalment_inputs = [
            (date_input(f"Termijn {n}: vervaldatum", None), text_input("bedrag", "", width="200px"))
            for n in range(1, MAX_INSTALMENTS + 1)
        ]
        self.record_button = widgets.Button(
            description="Vastleggen in het register",
            button_style="success",
            layout=widgets.Layout(width="240px"),
            disabled=True,
        )
        self.record_messages = Messages()
        self.promise_box = widgets.HBox([self.promised_amount_input, self.promised_date_input])
        self.arrangement_box = widgets.VBox([widgets.HBox([d, a]) for d, a in self.instalment_inputs])
        self.load_button.on_click(lambda _: self.load())
        self.debtor_input.observe(lambda _: self._show_debtor(), names="value")
        self.kind_input.observe(lambda _: self._show_form(), names="value")
        self.record_button.on_click(lambda _: self.record())
        self.widget = self._layout()
        self._show_form()
        self._wanted = debtor_id
        if load:
            self.load()

    # --- public ---------------------------------------------------------------------------------

    @property
    def debtor_id(self) -> str | None:
        return self.debtor_input.value

    def load(self) -> bool:
        """Read and review the register (nothing is written); keeps the chosen debtor when it still exists."""
        self.messages.clear()
        wanted = self.debtor_input.value or self._wanted
        try:
            self.target = self.chooser.target()
            self.run = run_month(self.target, self.peildatum_input.value, generated_at=self.clock(), write=False)
        except (
            Exception
        ) as error:  # the view's edge: every error is shown in Dutch (errors.user_lines), a bug as unexpected
            self.run = None
            self.debtor_input.options = []
            self.record_button.disabled = True
            self.messages.error(error)
            return False
        debtors = self.run.review.debtors
        options = [(f"{d} — {n}", str(d)) for d, n in zip(debtors["debtor_id"], debtors["name"])]
        ids = [o[1] for o in options]
        self.debtor_input.options = options
        self.debtor_input.value = wanted if wanted in ids else (ids[0] if ids else None)
        self._show_debtor()
        self.record_button.disabled = False
        return True

    def choose(self, debtor_id: str) -> None:
        self.debtor_input.value = debtor_id

    def entry(self) -> DossierEntry:
        """What the form says, as typed; raises ``InputError`` (Dutch) when no debtor is chosen."""
        if self.debtor_id is None:
            raise InputError("Kies eerst een debiteur.")
        return DossierEntry(
            self.debtor_id,
            self.kind_input.value,
            self.date_input.value,
            description=self.description_input.value,
            invoice_ids=self.invoices_input.value,
            by=self.by_input.value,
            promised_amount=self.promised_amount_input.value,
            promised_date=self.promised_date_input.value,
            instalments=tuple((due.value, amount.value) for due, amount in self.instalment_inputs),
        )

    def rows(self) -> OutcomeRows:
        """The Acties row (and Regelingen rows) the form describes (``debtor_dossier.entry_rows``)."""
        return entry_rows(self.entry())

    def record(self) -> bool:
        """Append the form's row to Acties (write-back) and read the register again."""
        self.record_messages.clear()
        if self.run is None:
            self.record_messages.show("Lees eerst het register in.", "fout")
            return False
        try:
            rows = self.rows()
            appends = {"Regelingen": rows.arrangements} if rows.arrangements is not None else None
            self.last_written = write_back(
                self.target,
                (),
                rows.actions,
                generated_at=self.clock(),
                peildatum=self.peildatum_input.value,
                appends=appends,
                key_types=self.run.register.key_types,
            )
        except InvalidInput as error:  # the form's input (InputError, EntryInvalid, AmountError)
            self.record_messages.show(str(error), "fout")
            return False
        except (
            Exception
        ) as error:  # the view's edge: every error is shown in Dutch (errors.user_lines), a bug as unexpected
            self.record_messages.error(error)
            return False
        lines = self.last_written.summary().splitlines()
        self._clear_form()
        self.load()
        self.record_messages.show(lines, "ok")
        return True

    # --- drawing --------------------------------------------------------------------------------

    def _clear_form(self) -> None:
        self.description_input.value = ""
        self.invoices_input.value = ""
        self.promised_amount_input.value = ""
        self.promised_date_input.value = None
        for due, amount in self.instalment_inputs:
            due.value, amount.value = None, ""

    def _show_form(self) -> None:
        kind = self.kind_input.value
        self.promise_box.layout.display = None if kind == PROMISE else "none"
        self.arrangement_box.layout.display = None if kind == ARRANGEMENT else "none"

    def _show_debtor(self) -> None:
        if self.run is None or self.debtor_id is None:
            return
        dossier = debtor_dossier(self.run.register, self.run.review, self.debtor_id)
        f = dossier.facts

        def text(value) -> str:
            return "" if value is None else str(value)

        self.header.value = (
            f"<h3>{text(f.name)} ({f.debtor_id})</h3>"
            + html_table(
                [
                    "Soort",
                    "Status",
                    "Segment",
                    "Risico",
                    "Contact",
                    "Telefoon",
                    "E-mail",
                    "Openstaand",
                    "Vervallen",
                    "Rente tot peildatum",
                    "Dagen na vervaldatum (12 mnd)",
                ],
                [
                    [
                        text(f.kind),
                        text(f.status),
                        text(f.segment),
                        text(f.risk),
                        text(f.contact),
                        text(f.phone),
                        text(f.email),
                        eur(f.open_cents),
                        eur(f.overdue_cents),
                        eur(f.interest_cents),
                        figure(f.days_beyond_12m) if f.days_beyond_12m is not None else "–",
                    ]
                ],
            )
            + (f"<p><b>Vroegsignaal:</b> {text(f.warning)}</p>" if f.early_warning else "")
            + (f"<p>Segment omdat: {f.why}</p>" if f.why else "")
        )
        self.header.value += "<h4>Volgende stap</h4>" + html_table(
            ["Actie", "Vanaf", "Betalen uiterlijk", "Facturen", "Bedrag", "Reden"],
            [
                [
                    st.action,
                    day(st.earliest),
                    day(st.deadline),
                    ", ".join(st.invoice_ids),
                    eur(st.amount_cents),
                    st.reason,
                ]
                for st in dossier.steps
            ]
            + [["Gepauzeerd", day(p.until), "", "", "", p.reason] for p in dossier.pauses],
            right=(4,),
            empty="Geen stap voorgesteld op de peildatum.",
        )
        self.invoices.value = "<h4>Facturen</h4>" + html_table(
            ["Factuur", "Datum", "Vervaldatum", "Bedrag", "Betaald", "Gecrediteerd", "Open", "Betaald op", "Betwist"],
            [
                [
                    r.invoice_id,
                    day(r.invoice_date),
                    day(r.due_date),
                    eur(r.amount_cents),
                    eur(r.paid_cents),
                    eur(r.credited_cents),
                    eur(r.open_cents),
                    day(r.paid_date),
                    "ja" if r.disputed else "",
                ]
                for r in dossier.invoices.itertuples()
            ],
            right=(3, 4, 5, 6),
        )
        self.payments.value = "<h4>Betalingen</h4>" + html_table(
            ["Datum", "Factuur", "Bedrag", "Omschrijving"],
            [[day(p.day), text(p.invoice_id), eur(p.amount_cents), text(p.description)] for p in dossier.payments],
            right=(2,),
        )
        self.chart.value = line_chart(
            [p.paid_date for p in dossier.paid],
            [float(p.days_to_pay) for p in dossier.paid],
            "Betaaldagen per betaalde factuur",
            "dagen",
        )
        self.log.value = "<h4>Logboek (blad Acties)</h4>" + html_table(
            ["Datum", "Soort", "Facturen", "Omschrijving", "Toegezegd", "Toegezegd op", "Door", "Document"],
            [
                [
                    day(a.day),
                    text(a.kind),
                    text(a.invoice_ids),
                    text(a.description),
                    eur(a.promised_cents) if a.promised_cents is not None else "",
                    day(a.promised_date),
                    text(a.by),
                    text(a.document),
                ]
                for a in dossier.actions
            ],
        )

    def _layout(self) -> widgets.Widget:
        top = widgets.VBox(
            [
                notebook_links("dossier.ipynb"),
                self.chooser.widget,
                widgets.HBox([self.peildatum_input, self.load_button]),
                self.messages,
                self.debtor_input,
                self.header,
            ]
        )
        history = widgets.VBox([self.chart, self.invoices, self.payments, self.log])
        form = widgets.VBox(
            [
                self.kind_input,
                widgets.HBox([self.date_input, self.by_input]),
                self.invoices_input,
                self.description_input,
                self.promise_box,
                self.arrangement_box,
                self.record_button,
                self.record_messages,
            ]
        )
        tabs = widgets.Tab(children=[history, form])
        tabs.set_title(0, "Geschiedenis")
        tabs.set_title(1, "Vastleggen")
        return widgets.VBox([top, tabs])

    def _ipython_display_(self):
        from IPython.display import display

        display(self.widget)
