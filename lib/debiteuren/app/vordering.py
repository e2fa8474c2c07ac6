"""The claim calculator notebook's view: invoices (or a free principal), payments, interest, costs, export.

Everything is computed by the library: ``law.claim_specification.calculate_specification`` (interest
by 6:119/6:119a with payments by 6:43 and 6:44, the collection costs, the warnings and the
specification, the same functions as ``debiteuren rente`` and ``incassokosten``) and, for a
debtor of the register, ``invoice_interest.calculator_input``. The view gathers the input,
shows the tables and writes the specification to a file.
"""

from __future__ import annotations

import html
from datetime import date, timedelta
from pathlib import Path

import ipywidgets as widgets
import pandas as pd

from ..invoice_interest import calculator_input
from ..law.claim_specification import (
    BUSINESS,
    CONSUMER,
    NO_COSTS,
    STAFFEL,
    Calculation,
    calculate_specification,
)
from ..law.interest import ROUND_END, ROUND_PERIOD, Claim, Payment
from ..law.rates import HANDELSRENTE, KIND_LABELS, WETTELIJKE, format_date, format_pct
from ..money import format_eur
from ..register import read_register
from ..register.live_backend import workbook_target
from ..review import review
from .widgets_common import (
    InputError,
    Messages,
    RegisterMissing,
    date_input,
    eur,
    html_table,
    notebook_links,
    read_amount,
    text_input,
)

COSTS_CHOICES = (
    ("Geen incassokosten", NO_COSTS),
    ("Staffel over de hoofdsom (Besluit BIK)", STAFFEL),
    ("Zakelijk: € 40 per factuur, staffel na verzuim (art. 6:96 lid 4 BW)", BUSINESS),
    ("Consument: na een veertiendagenbrief (art. 6:96 lid 6 BW)", CONSUMER),
)
ROUNDING_CHOICES = (("Alleen het totaal afronden", ROUND_END), ("Elke periode afronden", ROUND_PERIOD))


class ClaimRow:
    def __init__(self, number: int, amount: str = "", due: date | None = None):
        self.id_input = text_input("Kenmerk", f"vordering {number}", width="220px")
        self.amount_input = text_input("Bedrag", amount, width="200px", placeholder="bijv. 1.250,00")
        self.due_input = date_input("Vervaldatum", due)
        self.first_input = date_input("Eerste rentedag", due + timedelta(days=1) if due else None)
        # A convenience the controller sees and may change: interest from the day after the due date.
        self.due_input.observe(self._due_changed, names="value")
        self.widget = widgets.HBox([self.id_input, self.amount_input, self.due_input, self.first_input])

    def _due_changed(self, change) -> None:
        if change["new"] is not None and (self.first_input.value is None or change["old"] is not None):
            self.first_input.value = change["new"] + timedelta(days=1)


class PaymentRow:
    def __init__(self):
        self.day_input = date_input("Datum", None)
        self.amount_input = text_input("Bedrag", "", width="200px")
        self.claim_input = text_input("Voor kenmerk (leeg: volgens de wet)", "", width="330px")
        self.widget = widgets.HBox([self.day_input, self.amount_input, self.claim_input])


class Vordering:
    """The claim calculator: interest per period, payments allocated, collection costs, a specification."""

    def __init__(self, last_day: date, *, export_folder: str | Path | None = None, register: str | Path | None = None):
        self.calculation: Calculation | None = None
        self.review = None  # the register's review as of last_day, when a register is given
        self.register = None  # the register itself, for the library's claim calculation
        self.exported: Path | None = None
        self.claim_rows: list[ClaimRow] = [ClaimRow(1)]
        self.payment_rows: list[PaymentRow] = []
        self.claims_box = widgets.VBox([r.widget for r in self.claim_rows])
        self.payments_box = widgets.VBox()
        self.add_claim_button = widgets.Button(description="Vordering toevoegen", layout=widgets.Layout(width="200px"))
        self.remove_claim_button = widgets.Button(
            description="Laatste vordering weg", layout=widgets.Layout(width="220px")
        )
        self.add_payment_button = widgets.Button(description="Betaling toevoegen", layout=widgets.Layout(width="200px"))
        self.remove_payment_button = widgets.Button(
            description="Laatste betaling weg", layout=widgets.Layout(width="220px")
        )
        self.kind_input = widgets.Dropdown(
            options=[(KIND_LABELS[HANDELSRENTE], HANDELSRENTE), (KIND_LABELS[WETTELIJKE], WETTELIJKE)],
            description="Soort rente",
            style={"description_width": "initial"},
            layout=widgets.Layout(width="460px"),
        )
        self.compound_input = widgets.Checkbox(
            value=True,
            description="Samengestelde rente (na elk jaar bijschrijven)",
            indent=False,
            layout=widgets.Layout(width="380px"),
        )
        self.rounding_input = widgets.Dropdown(
            options=ROUNDING_CHOICES, description="Afronding", style={"description_width": "initial"}
        )
        self.last_day_input = date_input("Rente tot en met", last_day)
        self.costs_input = widgets.Dropdown(
            options=COSTS_CHOICES,
            value=STAFFEL,
            description="Incassokosten",
            style={"description_width": "initial"},
            layout=widgets.Layout(width="620px"),
        )
        self.in_default_input = widgets.Checkbox(
            value=True, description="Debiteur is in verzuim", indent=False, layout=widgets.Layout(width="240px")
        )
        self.letter_term_end_input = date_input("Laatste dag termijn veertiendagenbrief", None)
        self.vat_input = text_input("Btw over incassokosten (%; leeg: geen)", "", width="320px")
        self.calculate_button = widgets.Button(description="Berekenen", button_style="primary")
        self.messages = Messages()
        self.periods = widgets.HTML()
        self.allocation = widgets.HTML()
        self.totals = widgets.HTML()
        self.specification = widgets.HTML()
        folder = Path(export_folder) if export_folder else Path.cwd()
        self.export_input = text_input("Opslaan als", str(folder / "renteberekening.txt"), width="620px")
        self.export_text_button = widgets.Button(
            description="Specificatie opslaan (.txt)", layout=widgets.Layout(width="240px")
        )
        self.export_xlsx_button = widgets.Button(
            description="Tabellen opslaan (.xlsx)", layout=widgets.Layout(width="240px")
        )
        self.export_messages = Messages()
        self.add_claim_button.on_click(lambda _: self.add_claim())
        self.remove_claim_button.on_click(lambda _: self.remove_claim())
        self.add_payment_button.on_click(lambda _: self.add_payment())
        self.remove_payment_button.on_click(lambda _: self.remove_payment())
        self.calculate_button.on_click(lambda _: self.calculate())
        self.export_text_button.on_click(lambda _: self.export_text())
        self.export_xlsx_button.on_click(lambda _: self.export_xlsx())
        self.costs_input.observe(lambda _: self._show_costs_inputs(), names="value")
        self._show_costs_inputs()
        self.register_path = Path(register) if register is not None else None
        self.debtor_input = widgets.Dropdown(
            description="Debiteur",
            options=[],
            layout=widgets.Layout(width="520px"),
            style={"description_width": "initial"},
        )
        self.take_over_button = widgets.Button(
            description="Openstaande facturen overnemen", layout=widgets.Layout(width="260px")
        )
        self.register_messages = Messages()
        self.take_over_button.on_click(lambda _: self.take_over())
        self.widget = self._layout()
        if self.register_path is not None:
            self.load_register()

    # --- input ----------------------------------------------------------------------------------

    def load_register(self) -> bool:
        """Read the register and review it as of the last interest day, for taking over open invoices."""
        self.register_messages.clear()
        try:
            target = workbook_target(self.register_path)
            if isinstance(target, Path) and not target.exists():
                raise RegisterMissing(target)
            self.register = read_register(target)
            self.review = review(self.register, self.last_day_input.value)
        except (
            Exception
        ) as error:  # the view's edge: every error is shown in Dutch (errors.user_lines), a bug as unexpected
            self.review = None
            self.register = None
            self.debtor_input.options = []
            self.register_messages.error(error)
            return False
        debtors = self.review.debtors.loc[self.review.debtors["open_cents"] > 0]
        self.debtor_input.options = [
            (f"{d} — {n} ({eur(c)} open)", str(d))
            for d, n, c in zip(debtors["debtor_id"], debtors["name"], debtors["open_cents"])
        ]
        self.debtor_input.value = str(debtors["debtor_id"].iloc[0]) if len(debtors) else None
        return True

    def take_over(self, debtor_id: str | None = None) -> int:
        """Replace claims and payments by the debtor's as the review computes them (law/claims.py): every
        invoice that is open or that a payment reached, with its amount (less credit notes), due date and
        first interest day (legal.md §2), and every payment through the peildatum with the invoice it names,
        so 6:43 and 6:44 work here as in the review. Returns how many invoices."""
        debtor_id = debtor_id or self.debtor_input.value
        if self.review is None or self.register is None or debtor_id is None:
            self.register_messages.show("Kies eerst een debiteur uit het register.", "fout")
            return 0
        found = calculator_input(
            self.register, self.review.ledger.invoices, debtor_id, self.review.peildatum, self.review.rates
        )
        if not found.accruing:
            self.register_messages.show(
                "Deze debiteur heeft geen vervallen facturen waarover al rente loopt.", "let op"
            )
            return 0
        self.claim_rows = []
        for claim in found.claims:
            row = ClaimRow(len(self.claim_rows) + 1)
            row.id_input.value = claim.claim_id
            row.amount_input.value = format_eur(claim.principal)
            row.due_input.value = claim.due_date
            row.first_input.value = claim.first_day
            self.claim_rows.append(row)
        self.claims_box.children = [r.widget for r in self.claim_rows]
        self.payment_rows = []
        for p in found.payments:
            self.add_payment(p.day, format_eur(p.amount), p.claim_id or "")
        self.payments_box.children = [r.widget for r in self.payment_rows]
        self.kind_input.value = found.kind
        n, m = len(found.claims), len(found.payments)
        lines = [
            f"{n} factu{'ren' if n != 1 else 'ur'} en {m} "
            f"betaling{'en' if m != 1 else ''} overgenomen (toegerekend volgens art. 6:43 en 6:44 BW)."
        ]
        if found.without_first_day:
            lines.append("Nog geen rente (consument zonder verzuim): " + ", ".join(found.without_first_day) + ".")
        self.register_messages.show(lines, "ok")
        return n

    def add_claim(self, amount: str = "", due: date | None = None, claim_id: str | None = None) -> ClaimRow:
        row = ClaimRow(len(self.claim_rows) + 1, amount, due)
        if claim_id:
            row.id_input.value = claim_id
        self.claim_rows.append(row)
        self.claims_box.children = [r.widget for r in self.claim_rows]
        return row

    def remove_claim(self) -> None:
        if len(self.claim_rows) > 1:
            self.claim_rows.pop()
            self.claims_box.children = [r.widget for r in self.claim_rows]

    def add_payment(self, day: date | None = None, amount: str = "", claim_id: str = "") -> PaymentRow:
        row = PaymentRow()
        row.day_input.value, row.amount_input.value, row.claim_input.value = day, amount, claim_id
        self.payment_rows.append(row)
        self.payments_box.children = [r.widget for r in self.payment_rows]
        return row

    def remove_payment(self) -> None:
        if self.payment_rows:
            self.payment_rows.pop()
            self.payments_box.children = [r.widget for r in self.payment_rows]

    def claims(self) -> list[Claim]:
        kind = self.kind_input.value
        out = []
        for n, row in enumerate(self.claim_rows, start=1):
            claim_id = row.id_input.value.strip() or f"vordering {n}"
            if row.first_input.value is None:
                raise InputError(f"Vordering {n}: vul de eerste rentedag (of de vervaldatum) in.")
            out.append(
                Claim(
                    claim_id,
                    read_amount(row.amount_input.value, f"Vordering {n}"),
                    row.first_input.value,
                    kind,
                    due_date=row.due_input.value,
                )
            )
        return out

    def payments(self) -> list[Payment]:
        out = []
        for n, row in enumerate(self.payment_rows, start=1):
            if row.day_input.value is None:
                raise InputError(f"Betaling {n}: vul de datum in.")
            out.append(
                Payment(
                    row.day_input.value,
                    read_amount(row.amount_input.value, f"Betaling {n}"),
                    row.claim_input.value.strip() or None,
                )
            )
        return out

    # --- computing ------------------------------------------------------------------------------

    def calculate(self) -> Calculation | None:
        """Compute from the inputs and show the tables; ``None`` (and a Dutch message) when the input is wrong."""
        self.messages.clear()
        self.export_messages.clear()
        try:
            last_day = self.last_day_input.value
            if last_day is None:
                raise InputError("Vul in tot en met welke dag de rente loopt.")
            claims, payments = self.claims(), self.payments()
            choice = self.costs_input.value
            vat = None
            if choice != NO_COSTS and self.vat_input.value.strip():
                vat = read_amount(self.vat_input.value, "Btw-percentage")
            calculation = calculate_specification(
                claims,
                payments,
                last_day,
                compound=self.compound_input.value,
                rounding=self.rounding_input.value,
                costs_basis=choice,
                vat_pct=vat,
                in_default=self.in_default_input.value,
                letter_term_end=self.letter_term_end_input.value,
            )
        except (
            Exception
        ) as error:  # the view's edge: every error is shown in Dutch (errors.user_lines), a bug as unexpected
            self.calculation = None
            self.messages.error(error)
            self.periods.value = self.allocation.value = self.totals.value = ""
            self.specification.value = ""
            return None
        self.calculation = calculation
        self._show()
        return self.calculation

    # --- export ---------------------------------------------------------------------------------

    def export_text(self, path: str | Path | None = None) -> Path | None:
        """Write the specification as a text file (UTF-8); returns the path."""
        if self.calculation is None and self.calculate() is None:
            return None
        target = Path(path or self.export_input.value.strip()).expanduser()
        if target.suffix.lower() != ".txt":
            target = target.with_suffix(".txt")
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(self.calculation.specification + "\n", encoding="utf-8")
        except OSError as error:
            self.export_messages.show(f"Kon '{target}' niet schrijven: {error.strerror or error}.", "fout")
            return None
        self.exported = target
        self.export_messages.show(f"Specificatie opgeslagen: {target}", "ok")
        return target

    def export_xlsx(self, path: str | Path | None = None) -> Path | None:
        """Write the periods, payments and totals as an Excel workbook; returns the path."""
        if self.calculation is None and self.calculate() is None:
            return None
        target = Path(path or self.export_input.value.strip()).expanduser().with_suffix(".xlsx")
        sheets = {
            "Perioden": pd.DataFrame(self._period_rows(excel=True), columns=PERIOD_HEADERS),
            "Betalingen": pd.DataFrame(self._payment_rows(excel=True), columns=PAYMENT_HEADERS),
            "Totalen": pd.DataFrame(self._total_rows(excel=True), columns=TOTAL_HEADERS),
            "Specificatie": pd.DataFrame({"Specificatie": self.calculation.specification.splitlines()}),
        }
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            with pd.ExcelWriter(target, engine="openpyxl") as writer:
                for name, frame in sheets.items():
                    frame.to_excel(writer, sheet_name=name, index=False)
        except OSError as error:
            self.export_messages.show(f"Kon '{target}' niet schrijven: {error.strerror or error}.", "fout")
            return None
        self.exported = target
        self.export_messages.show(f"Tabellen opgeslagen: {target}", "ok")
        return target

    # --- drawing --------------------------------------------------------------------------------

    def _period_rows(self, excel: bool = False) -> list[list]:
        money = (lambda v: v) if excel else format_eur
        when = (lambda d: d) if excel else format_date
        return [
            [
                p.claim_id,
                when(p.start),
                when(p.end),
                p.days,
                p.rate_pct if excel else format_pct(p.rate_pct),
                money(p.base),
                money(p.interest),
                money(p.capitalised) if p.capitalised is not None else (None if excel else ""),
                "voorlopig percentage" if p.provisional else "",
            ]
            for p in self.calculation.period_lines()
        ]

    def _payment_rows(self, excel: bool = False) -> list[list]:
        money = (lambda v: v) if excel else format_eur
        when = (lambda d: d) if excel else format_date
        return [
            [
                p.claim_id,
                when(p.day),
                money(p.amount),
                money(p.costs),
                money(p.interest),
                money(p.principal),
                money(p.rest),
            ]  # fmt: skip
            for p in self.calculation.payment_lines()
        ]

    def _total_rows(self, excel: bool = False) -> list[list]:
        money = (lambda v: v) if excel else format_eur
        rows = [
            [
                c.claim_id,
                money(c.principal),
                money(c.interest),
                money(c.interest_paid),
                money(c.principal_paid),
                money(c.outstanding_principal),
                money(c.outstanding_interest),
                money(c.total),
            ]
            for c in self.calculation.interest.claims
        ]
        return rows

    def _show(self) -> None:
        calc = self.calculation
        self.periods.value = "<h4>Rente per periode</h4>" + html_table(
            PERIOD_HEADERS, self._period_rows(), right=(3, 4, 5, 6, 7)
        )
        allocation = html_table(PAYMENT_HEADERS, self._payment_rows(), right=(2, 3, 4, 5, 6))
        if len(calc.interest.claims) > 1 and calc.interest.payments:
            allocation = (
                html_table(
                    ["Datum", "Bedrag", "Verdeling over de vorderingen (art. 6:43 BW)", "Niet toegerekend"],
                    [
                        [
                            format_date(s.day),
                            format_eur(s.amount),
                            "; ".join(f"{cid}: {format_eur(a)}" for cid, a in s.shares),
                            format_eur(s.unallocated),
                        ]
                        for s in calc.interest.payments
                    ],
                    right=(1, 3),
                )
                + "<br>"
                + allocation
            )
        self.allocation.value = "<h4>Betalingen (art. 6:44 BW: kosten, rente, hoofdsom)</h4>" + allocation
        totals = html_table(TOTAL_HEADERS, self._total_rows(), right=(1, 2, 3, 4, 5, 6, 7))
        lines = [f"Totaal openstaand hoofdsom en rente: <b>{format_eur(calc.interest.total)}</b>"]
        if calc.costs is not None:
            lines.append(f"Incassokosten: <b>{format_eur(calc.costs.total)}</b>")
            lines.append(f"Totaal te vorderen: <b>{format_eur(calc.total)}</b>")
        self.totals.value = "<h4>Totalen</h4>" + totals + "<p>" + "<br>".join(lines) + "</p>"
        self.specification.value = f'<pre style="font-size:90%">{html.escape(calc.specification)}</pre>'
        if calc.notes:
            self.messages.show(list(calc.notes), "let op")

    def _show_costs_inputs(self) -> None:
        choice = self.costs_input.value
        self.in_default_input.layout.display = None if choice == BUSINESS else "none"
        self.letter_term_end_input.layout.display = None if choice == CONSUMER else "none"
        self.vat_input.layout.display = "none" if choice == NO_COSTS else None

    def _layout(self) -> widgets.Widget:
        from_register = widgets.VBox(
            [
                widgets.HTML(f"<h4>Uit het register</h4><code>{self.register_path}</code>"),
                widgets.HBox([self.debtor_input, self.take_over_button]),
                self.register_messages,
            ]
        )
        if self.register_path is None:
            from_register.layout.display = "none"
        inputs = widgets.VBox(
            [
                notebook_links("vordering.ipynb"),
                from_register,
                widgets.HTML("<h4>Vorderingen (facturen of een vrije hoofdsom)</h4>"),
                self.claims_box,
                widgets.HBox([self.add_claim_button, self.remove_claim_button]),
                widgets.HTML("<h4>Betalingen</h4>"),
                self.payments_box,
                widgets.HBox([self.add_payment_button, self.remove_payment_button]),
                widgets.HTML("<h4>Rente en kosten</h4>"),
                self.kind_input,
                widgets.HBox([self.compound_input, self.rounding_input]),
                self.last_day_input,
                self.costs_input,
                widgets.HBox([self.in_default_input, self.letter_term_end_input, self.vat_input]),
                self.calculate_button,
                self.messages,
            ]
        )
        results = widgets.VBox(
            [
                self.totals,
                self.periods,
                self.allocation,
                widgets.HTML("<h4>Specificatie</h4>"),
                self.specification,
                self.export_input,
                widgets.HBox([self.export_text_button, self.export_xlsx_button]),
                self.export_messages,
            ]
        )
        return widgets.VBox([inputs, results])

    def _ipython_display_(self):
        from IPython.display import display

        display(self.widget)


PERIOD_HEADERS = ["Vordering", "Van", "Tot en met", "Dagen", "Rente", "Grondslag", "Rentebedrag", "Bijgeschreven",
                  "Toelichting"]  # fmt: skip
PAYMENT_HEADERS = ["Vordering", "Datum", "Bedrag", "Kosten", "Rente", "Hoofdsom", "Niet toegerekend"]
TOTAL_HEADERS = ["Vordering", "Hoofdsom", "Rente", "Betaald op rente", "Betaald op hoofdsom", "Openstaande hoofdsom",
                 "Openstaande rente", "Totaal openstaand"]  # fmt: skip
