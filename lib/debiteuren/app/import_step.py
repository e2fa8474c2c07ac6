"""The monthly review's import step: a bank statement or an open-item export into the register.

``ImportStep`` is the notebook face of ``debiteuren import-bank`` and
``debiteuren import-openposten``: the same library calls (``import_bank``,
``import_openposten``), the same refusals (``attempt_import``) and the same
Dutch words (the commands' table and outcome lines). "Voorstellen tonen" is the
command without ``--toepassen``, "Toepassen" the command with it. Below the
bank proposals, each credit the tool is not sure of (``midden``, ``laag`` or
no proposal) has a row to confirm or correct it one by one: tick *Boeken*,
change the debtor or invoice when needed; "Toepassen" then books those rows
with the ``hoog`` ones (``import_bank(..., confirmations=...)``).

The file comes from a typed path or from the upload button (in Voilà the file
is on the controller's computer, not on the server); an upload is written to a
temporary folder under its own name for the duration of the import only.
"""

from __future__ import annotations

import html
import tempfile
from collections.abc import Callable
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import ipywidgets as widgets

from ..bank import Confirmation, StatementError, StatementRefused, import_bank
from ..openposten import report as openposten_report
from ..bank.report import PROPOSAL_HEADERS, heading_lines, outcome_lines, proposal_cells
from ..import_attempt import attempt_import
from ..dutch import format_date
from ..errors import DebiteurenError
from ..money import format_eur
from ..openposten import MappingError, OpenpostenError, available_mappings, import_openposten, load_mapping
from ..openposten.auditfile import AuditfileImport, check_lines, import_auditfile, is_auditfile
from .widgets_common import Messages, day, html_table, text_input

BANK = "bank"
OPENPOSTEN = "openposten"
KINDS = (
    ("Bankafschrift (CAMT.053 of MT940)", BANK),
    ("Openstaande posten uit een boekhoudpakket (CSV, Excel of XML Auditfile .xaf)", OPENPOSTEN),
)
BANK_HINT = "klik op Toepassen om ze aan Betalingen toe te voegen"
OPENPOSTEN_HINT = "Klik op Toepassen om de nieuwe debiteuren en facturen toe te voegen."
NO_FILE = "Kies een bestand: vul het pad in of upload het bestand."


def suggested_statement(target: Callable[[], object]) -> str:
    """The demo's bank statement when it lies next to the register (so a new user sees an import), else ''."""
    from ..bank.demo_statement import STATEMENT_NAME

    try:
        register = target()
    except (DebiteurenError, OSError):  # no register chosen yet, or not there: nothing to suggest
        return ""
    candidate = register.with_name(STATEMENT_NAME) if isinstance(register, Path) else None
    return str(candidate) if candidate is not None and candidate.is_file() else ""


def package_options() -> list[tuple[str, str]]:
    """(title, --pakket name) of every mapping file; a malformed one shows by name (loading it says why)."""
    options = []
    for name in available_mappings():
        try:
            options.append((load_mapping(name).title, name))
        except MappingError:
            options.append((name, name))
    return options


class ImportStep:
    """Choose a file and its kind, see the proposals, apply them; ``on_applied`` runs after a write."""

    def __init__(
        self,
        target: Callable[[], object],
        *,
        clock: Callable[[], datetime],
        on_applied: Callable[[], object] = lambda: None,
    ):
        self._target = target
        self.clock = clock
        self.on_applied = on_applied
        self.result = None  # the last BankImport or OpenpostenImport
        self.kind_input = widgets.Dropdown(
            description="Soort bestand",
            options=KINDS,
            value=BANK,
            style={"description_width": "initial"},
            layout=widgets.Layout(width="620px"),
        )
        self.package_input = widgets.Dropdown(
            description="Pakket",
            options=package_options(),
            style={"description_width": "initial"},
            layout=widgets.Layout(width="620px"),
        )
        self.path_input = text_input(
            "Bestand (pad)", "", width="620px", placeholder="pad naar het afschrift of de export, of upload hieronder"
        )
        self.upload = widgets.FileUpload(
            description="Bestand uploaden", multiple=False, layout=widgets.Layout(width="220px")
        )
        self.upload_label = widgets.Label()
        self.clear_upload_button = widgets.Button(description="Upload wissen", icon="times")
        self.preview_button = widgets.Button(description="Voorstellen tonen", button_style="primary", icon="search")
        self.apply_button = widgets.Button(description="Toepassen", button_style="success", icon="check")
        self.messages = Messages()
        self.table = widgets.HTML()
        self.review_rows: list[ReviewRow] = []  # the credits to confirm or correct, after a bank preview
        self.review_box = widgets.VBox()
        self.kind_input.observe(lambda _: self._kind_changed(), names="value")
        self.upload.observe(lambda _: self._upload_changed(), names="value")
        self.preview_button.on_click(lambda _: self.preview())
        self.apply_button.on_click(lambda _: self.apply())
        self.clear_upload_button.on_click(lambda _: self.clear_upload())
        self._kind_changed()
        self._upload_changed()
        self.path_input.value = suggested_statement(target)
        self.widget = widgets.VBox(
            [
                widgets.HTML(
                    "<h4>Importeren: bankafschrift of openstaande posten</h4>"
                    "<p>Kies het soort bestand en het bestand, en klik op <b>Voorstellen tonen</b>: er wordt nog niets "
                    "geschreven. <b>Toepassen</b> zet de zekere koppelingen (betrouwbaarheid 'hoog') in het blad "
                    "Betalingen, of de nieuwe debiteuren en facturen in het register; daarna wordt de review opnieuw "
                    "ingelezen. Wat al is ingelezen, wordt nooit een tweede keer toegevoegd.</p>"
                ),
                self.kind_input,
                self.package_input,
                self.path_input,
                widgets.HBox([self.upload, self.upload_label, self.clear_upload_button]),
                widgets.HBox([self.preview_button, self.apply_button]),
                self.messages,
                self.table,
                self.review_box,
            ]
        )

    # --- public ---------------------------------------------------------------------------------

    def preview(self) -> bool:
        """Show the proposals; nothing is written. True when the file could be read."""
        return self._run(apply=False)

    def apply(self) -> bool:
        """Import as ``--toepassen`` does; after a write the review is read again. True when it worked."""
        return self._run(apply=True)

    def clear_upload(self) -> None:
        """Forget the uploaded file, so the typed path is used again."""
        self.upload.value = ()

    # --- running ----------------------------------------------------------------------------------

    def confirmations(self) -> tuple[Confirmation, ...]:
        """The ticked review rows, as the controller left debtor and invoice."""
        return tuple(row.confirmation() for row in self.review_rows if row.book.value)

    def _run(self, *, apply: bool) -> bool:
        confirmations = self.confirmations() if apply else ()
        self.messages.clear()
        self.table.value = ""
        self.result = None
        kind = self.kind_input.value
        try:
            target = self._target()
        except Exception as error:  # the register path is wrong: nothing to import into
            self.messages.error(error)
            return False
        try:
            with self._file() as path:
                if path is None:
                    self.messages.show(NO_FILE, "fout")
                    return False
                if kind == BANK:
                    attempt = attempt_import(
                        lambda: import_bank(
                            target, path, apply=apply, generated_at=self.clock(), confirmations=confirmations
                        ),
                        (StatementError, StatementRefused),
                    )
                elif is_auditfile(path):  # recognised from the file: no package needed
                    attempt = attempt_import(
                        lambda: import_auditfile(target, path, apply=apply, generated_at=self.clock()),
                        (OpenpostenError,),
                    )
                else:
                    attempt = attempt_import(
                        lambda: import_openposten(
                            target,
                            path,
                            load_mapping(self.package_input.value),
                            apply=apply,
                            generated_at=self.clock(),
                        ),
                        (MappingError, OpenpostenError),
                    )
        except Exception as error:  # unforeseen: a Dutch message, and the import raised before writing
            self.messages.error(error)
            return False
        if attempt.refusal is not None:
            self.messages.show(attempt.refusal, "fout")
            return False  # the review rows stay as they were, so a wrong choice can be corrected
        self.result = attempt.result
        self._set_review_rows([])
        if kind == BANK:
            self._show_bank(applied=apply)
        else:
            self._show_openposten(applied=apply)
        if apply and self.result.written is not None:
            self.on_applied()
        return True

    @contextmanager
    def _file(self):
        """The path of the file to import: the upload (in a temporary folder) or the typed path; None for none."""
        upload = self.upload.value
        if upload:
            item = upload[0]
            with tempfile.TemporaryDirectory(prefix="debiteuren-import-") as folder:
                path = Path(folder) / Path(str(item["name"])).name
                path.write_bytes(bytes(item["content"]))
                yield path
            return
        text = self.path_input.value.strip()
        yield Path(text).expanduser() if text else None

    # --- drawing ----------------------------------------------------------------------------------

    def _kind_changed(self) -> None:
        self.package_input.layout.display = None if self.kind_input.value == OPENPOSTEN else "none"

    def _upload_changed(self) -> None:
        names = [str(item["name"]) for item in self.upload.value]
        self.upload_label.value = f"Geüpload: {', '.join(names)} (gaat voor het pad)" if names else ""
        self.clear_upload_button.layout.display = None if names else "none"

    def _show_bank(self, *, applied: bool) -> None:
        result = self.result
        lines = heading_lines(result) + outcome_lines(result, applied=applied, apply_hint=BANK_HINT)
        self.messages.show(lines, "ok" if result.written is not None else "info")
        self.table.value = html_table(
            PROPOSAL_HEADERS,
            [proposal_cells(p) for p in result.proposals],
            right=(1,),
            nowrap=(0, 1, 3, 4),
            empty="Geen ontvangsten op dit afschrift.",
        )
        self._set_review_rows([ReviewRow(p) for p in result.for_controller])

    def _set_review_rows(self, rows: list[ReviewRow]) -> None:
        self.review_rows = rows
        if not rows:
            self.review_box.children = ()
            return
        self.review_box.children = (
            widgets.HTML(
                f"<h4>Zelf beoordelen ({len(rows)})</h4><p>Vink <b>Boeken</b> aan bij een ontvangst die je wilt "
                "boeken, pas zo nodig de debiteur of de factuur aan (factuur leeg: de oudste open factuur) en "
                "klik op <b>Toepassen</b>. Alleen wat is aangevinkt wordt geboekt.</p>"
            ),
            *(row.widget for row in rows),
        )

    def _show_openposten(self, *, applied: bool) -> None:
        result, plan = self.result, self.result.plan
        lines = [openposten_report.heading_line(result)]
        lines.append(f"Al in het register, gelijk: {len(plan.unchanged)} factuur/facturen")
        lines += openposten_report.skipped_lines(result)
        if isinstance(result, AuditfileImport):
            lines += check_lines(result)
        lines += openposten_report.outcome_lines(result, applied=applied, apply_hint=OPENPOSTEN_HINT)
        self.messages.show(lines, "ok" if result.written is not None else "info")
        self.table.value = (
            f"<h4>Nieuwe debiteuren ({len(plan.new_debtors)})</h4>"
            + html_table(
                ["Debiteurnummer", "Naam", "Soort", "Rij"],
                [[i.debtor_id, i.debtor_name, result.mapping.kind, i.row] for i in plan.new_debtors],
            )
            + f"<h4>Nieuwe facturen ({len(plan.new_invoices)})</h4>"
            + html_table(
                ["Factuurnummer", "Debiteur", "Factuurdatum", "Vervaldatum", "Bedrag", "Rij"],
                [
                    [
                        i.invoice_id,
                        i.debtor_id,
                        day(i.invoice_date),
                        day(i.due_date),
                        format_eur(i.amount_cents, cents=True),
                        i.row,
                    ]
                    for i in plan.new_invoices
                ],
                right=(4,),
                nowrap=(2, 3, 4),
            )
            + f"<h4>Afwijkingen ({len(plan.differences)}; niet overgenomen, controleer ze zelf)</h4>"
            + html_table(
                ["Soort", "Nummer", "Veld", "Register", "Export", "Rij"],
                [[d.what, d.key, d.field, d.register, d.export, d.row] for d in plan.differences],
            )
        )


class ReviewRow:
    """One credit the controller confirms or corrects: Boeken, debtor, invoice."""

    def __init__(self, proposal):
        self.proposal = proposal
        t = proposal.transaction
        self.book = widgets.Checkbox(
            description="Boeken", value=False, indent=False, layout=widgets.Layout(width="80px")
        )
        self.debtor = widgets.Text(value=proposal.debtor_id or "", placeholder="debiteurnummer",
                                   layout=widgets.Layout(width="130px"))  # fmt: skip
        self.invoice = widgets.Text(value=proposal.invoice_id or "", placeholder="factuur (leeg: oudste)",
                                    layout=widgets.Layout(width="170px"))  # fmt: skip
        label = (
            f"{format_date(t.booking_date)} {format_eur(t.amount_cents, cents=True)} "
            f"{t.counterparty_name or t.counterparty_iban or '-'}: {proposal.confidence or 'geen voorstel'}, {proposal.reason}"
        )
        self.widget = widgets.HBox(
            [self.book, self.debtor, self.invoice, widgets.HTML(html.escape(label))],
            layout=widgets.Layout(align_items="center"),
        )

    def confirmation(self) -> Confirmation:
        return Confirmation(
            self.proposal.transaction.bank_reference, self.debtor.value.strip(), self.invoice.value.strip() or None
        )
