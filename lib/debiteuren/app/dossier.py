"""The debtor dossier notebook's view: one debtor's invoices, payments, days-to-pay trend and log,
and recording a call, a promise to pay or an arrangement in the register's Acties log.

An arrangement goes to Acties as a 'Betalingsregeling' row (its instalments
summarised in Omschrijving) and its instalments to the Regelingen sheet, both
through the write-back, so the dunning plan follows the arrangement at once.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

import ipywidgets as widgets
import pandas as pd

from ..money import format_eur
from ..monthly_run import MonthlyRun, run_month
from ..register.writeback import write_back
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
    read_amount,
    text_input,
)

CALL = "Telefoongesprek"
PROMISE = "Betalingsbelofte"
ARRANGEMENT = "Betalingsregeling"
NOTE = "Notitie"
EMAIL = "E-mail"
KINDS = (CALL, PROMISE, ARRANGEMENT, EMAIL, NOTE)
MAX_INSTALMENTS = 4  # design §2: arrangements of at most 4 instalments
ACTION_COLUMNS = ("Datum", "Debiteurnummer", "Factuurnummers", "Soort", "Omschrijving",
                  "Toegezegd bedrag", "Toegezegde datum", "Door")  # fmt: skip


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

    def action_frame(self) -> pd.DataFrame:
        """The Acties row(s) the form describes; raises ``InputError`` (Dutch) when something is missing."""
        if self.debtor_id is None:
            raise InputError("Kies eerst een debiteur.")
        kind = self.kind_input.value
        when = self.date_input.value
        if when is None:
            raise InputError("Vul de datum in.")
        text = self.description_input.value.strip()
        promised_amount = promised_date = None
        if kind == PROMISE:
            if not self.promised_amount_input.value.strip() or self.promised_date_input.value is None:
                raise InputError("Een betalingsbelofte heeft een toegezegd bedrag en een toegezegde datum.")
            promised_amount = read_amount(self.promised_amount_input.value, "Toegezegd bedrag")
            promised_date = self.promised_date_input.value
            text = text or f"Belooft {format_eur(promised_amount)} te betalen op {day(promised_date)}."
        elif kind == ARRANGEMENT:
            text = self._arrangement_text(text)
        elif not text:
            raise InputError(f"Schrijf in Omschrijving wat er is besproken ({kind}).")
        row = {
            "Datum": when,
            "Debiteurnummer": self.debtor_id,
            "Factuurnummers": self.invoices_input.value.strip() or None,
            "Soort": kind,
            "Omschrijving": text,
            "Toegezegd bedrag": promised_amount,
            "Toegezegde datum": promised_date,
            "Door": self.by_input.value.strip() or None,
        }
        return pd.DataFrame([row], columns=list(ACTION_COLUMNS), dtype=object)

    def record(self) -> bool:
        """Append the form's row to Acties (write-back) and read the register again."""
        self.record_messages.clear()
        if self.run is None:
            self.record_messages.show("Lees eerst het register in.", "fout")
            return False
        try:
            frame = self.action_frame()
            appends = {"Regelingen": self.instalment_frame()} if frame.iloc[0]["Soort"] == ARRANGEMENT else None
            self.last_written = write_back(
                self.target,
                (),
                frame,
                generated_at=self.clock(),
                peildatum=self.peildatum_input.value,
                appends=appends,
                key_types=self.run.register.key_types,
            )
        except InputError as error:
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

    def instalment_frame(self) -> pd.DataFrame:
        """The arrangement's instalments as rows for the Regelingen sheet."""
        rows = []
        for n, (due, amount) in enumerate(self.instalment_inputs, start=1):
            if due.value is None or not amount.value.strip():
                continue
            rows.append(
                {
                    "Debiteurnummer": self.debtor_id,
                    "Termijn": len(rows) + 1,
                    "Vervaldatum": due.value,
                    "Bedrag": read_amount(amount.value, f"Termijn {n}"),
                }
            )
        return pd.DataFrame(rows, columns=["Debiteurnummer", "Termijn", "Vervaldatum", "Bedrag"], dtype=object)

    # --- drawing --------------------------------------------------------------------------------

    def _arrangement_text(self, text: str) -> str:
        parts = []
        for n, (due, amount) in enumerate(self.instalment_inputs, start=1):
            filled = due.value is not None, bool(amount.value.strip())
            if filled == (False, False):
                continue
            if not all(filled):
                raise InputError(f"Termijn {n}: vul zowel de vervaldatum als het bedrag in.")
            parts.append(f"termijn {n} op {day(due.value)} {format_eur(read_amount(amount.value, f'Termijn {n}'))}")
        if not parts:
            raise InputError("Een betalingsregeling heeft ten minste één termijn (vervaldatum en bedrag).")
        summary = (
            f"Betalingsregeling in {len(parts)} termijn{'en' if len(parts) != 1 else ''}: " + "; ".join(parts) + "."
        )
        return f"{summary} {text}".strip()

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
        register, review = self.run.register, self.run.review
        debtor_id = self.debtor_id
        who = register.debtor(debtor_id)
        over = review.debtors.loc[review.debtors["debtor_id"] == debtor_id].iloc[0]

        def text(value) -> str:
            return "" if value is None or pd.isna(value) else str(value)

        self.header.value = (
            f"<h3>{text(who['name'])} ({debtor_id})</h3>"
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
                        text(who["kind"]),
                        text(who["status"]),
                        text(over["segment"]),
                        text(over["risk"]),
                        text(who["contact"]),
                        text(who["phone"]),
                        text(who["email"]),
                        eur(over["open_cents"]),
                        eur(over["overdue_cents"]),
                        eur(over["interest_cents"]),
                        figure(over["days_beyond_12m"]) if over["days_beyond_12m"] is not None else "–",
                    ]
                ],
            )
            + (f"<p><b>Vroegsignaal:</b> {text(over['warning'])}</p>" if bool(over["early_warning"]) else "")
            + (f"<p>Segment omdat: {text(over['why'])}</p>" if text(over["why"]) else "")
        )
        steps = [st for st in review.plan.steps if st.debtor_id == debtor_id]
        pauses = [p for p in review.plan.pauses if p.debtor_id == debtor_id]
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
                for st in steps
            ]
            + [["Gepauzeerd", day(p.until), "", "", "", p.reason] for p in pauses],
            right=(4,),
            empty="Geen stap voorgesteld op de peildatum.",
        )
        invoices = review.ledger.invoices.loc[review.ledger.invoices["debtor_id"] == debtor_id]
        invoices = invoices.sort_values("invoice_date", ascending=False)
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
                for r in invoices.itertuples()
            ],
            right=(3, 4, 5, 6),
        )
        payments = register.payments.loc[register.payments["debtor_id"] == debtor_id]
        payments = payments.loc[payments["payment_date"] <= pd.Timestamp(review.peildatum)]
        payments = payments.sort_values("payment_date", ascending=False)
        self.payments.value = "<h4>Betalingen</h4>" + html_table(
            ["Datum", "Factuur", "Bedrag", "Omschrijving"],
            [
                [day(r.payment_date), text(r.invoice_id), eur(r.amount_cents), text(r.description)]
                for r in payments.itertuples()
            ],
            right=(2,),
        )
        paid = review.behaviour.paid
        paid = paid.loc[paid["debtor_id"] == debtor_id].sort_values("paid_date")
        self.chart.value = line_chart(
            [d.date() for d in paid["paid_date"]],
            [float(x) for x in paid["days_to_pay"]],
            "Betaaldagen per betaalde factuur",
            "dagen",
        )
        log = register.actions
        log = log.loc[log["debtor_id"] == debtor_id].sort_values("action_date", ascending=False)
        self.log.value = "<h4>Logboek (blad Acties)</h4>" + html_table(
            ["Datum", "Soort", "Facturen", "Omschrijving", "Toegezegd", "Toegezegd op", "Door", "Document"],
            [
                [
                    day(r.action_date),
                    text(r.kind),
                    text(r.invoice_ids),
                    text(r.description),
                    eur(r.promised_cents) if not pd.isna(r.promised_cents) else "",
                    day(r.promised_date),
                    text(r.by),
                    text(r.document),
                ]
                for r in log.itertuples()
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
