"""(Re)build the Word templates in letter_templates/ and their LEESMIJ.md.

    python tools/make_templates.py [MAP]

The templates are plain Word documents with the fields in sight
(``{{ debiteur.naam }}``), so a controller can change the wording in Word.
This script is how they came about; run it again only to start over (it
overwrites edited templates in MAP).
"""

from __future__ import annotations

import sys
from pathlib import Path

from docx import Document
from docx.enum.table import WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

if __name__ == "__main__":  # a developer tool run from the checkout: the package beside it, not an installed one
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "lib"))

from debiteuren.letters.bundle import set_column_widths  # noqa: E402
from debiteuren.letters.context import KINDS  # noqa: E402
from debiteuren.letters.envelopes import (  # noqa: E402
    ADDRESS_FIELD,
    BODY_AFTER_ADDRESS_MM,
    ENVELOPES,
    SAFE_AREA,
    WINDOW_ZONE,
)
from debiteuren.letters.templates import (  # noqa: E402
    DEFAULT_TEMPLATES_DIR,
    LANGUAGE_SUFFIX,
    PLACEHOLDERS,
    template_fields,
    template_name,
)

FONT = "Arial"  # LibreOffice substitutes the metric-compatible Liberation Sans
TEXT_WIDTH_MM = 160
# The page's top margin: the letterhead (header, from 10 mm) ends above it, so the body starts here
# in Word and LibreOffice alike, and the address field below can be placed from it (envelopes.py).
TOP_MARGIN_MM = 25
ADDRESS_LINE_PT = 12  # exact line height of the address: six lines fit the field
META_LEFT_MM = 120  # the date and references beside the address, right of every window (envelopes.py)


class LetterBuilder:
    """A small vocabulary for letters: letterhead, address, title, text, tables, signature."""

    def __init__(self, language: str):
        self.language = language
        self.doc = Document()
        section = self.doc.sections[0]
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.left_margin = section.right_margin = Mm(ADDRESS_FIELD.left)
        section.top_margin, section.bottom_margin = Mm(TOP_MARGIN_MM), Mm(15)
        section.header_distance = section.footer_distance = Mm(10)
        normal = self.doc.styles["Normal"]
        normal.font.name = FONT
        normal.font.size = Pt(10)
        normal.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
        normal.paragraph_format.space_after = Pt(4)
        core = self.doc.core_properties
        core.author = "debiteuren"
        core.comments = "Gemaakt door debiteuren.letters.make_templates; zie LEESMIJ.md."
        self._body = self.doc  # where paragraphs and tables go: the page, or the closing block's cell
        self._meta_cell = None  # the reference column beside the address, until meta() fills it
        self._letterhead()

    # -- building blocks -------------------------------------------------
    def _letterhead(self):
        section = self.doc.sections[0]
        header = section.header.paragraphs[0]
        header.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        run = header.add_run("{{ bedrijf.naam }}")
        run.bold, run.font.size = True, Pt(14)
        for text in (
            "{{ bedrijf.adres }}, {{ bedrijf.postcode }} {{ bedrijf.plaats }}",
            ("Telefoon" if self.language == "nl" else "Phone") + " {{ bedrijf.telefoon }} · {{ bedrijf.email }}",
        ):
            p = section.header.add_paragraph(text)
            p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            p.runs[0].font.size = Pt(9)
        for paragraph in section.header.paragraphs:  # the letterhead ends above the top margin
            paragraph.paragraph_format.space_after = Pt(0)
        vat = "Btw" if self.language == "nl" else "VAT"
        footer = section.footer.paragraphs[0]
        footer.text = f"KvK {{{{ bedrijf.kvk }}}} · {vat} {{{{ bedrijf.btw_nummer }}}} · IBAN {{{{ bedrijf.iban }}}}"
        footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
        footer.runs[0].font.size = Pt(8)

    def p(self, text: str = "", *, bold: bool = False, size: int | None = None, after: int | None = None):
        paragraph = self._body.add_paragraph()
        if text:
            run = paragraph.add_run(text)
            run.bold = bold
            if size:
                run.font.size = Pt(size)
        if after is not None:
            paragraph.paragraph_format.space_after = Pt(after)
        return paragraph

    def _table(self, rows: int, cols: int):
        if self._body is self.doc:
            return self.doc.add_table(rows=rows, cols=cols)
        return self._body.add_table(rows, cols)

    def gap(self):
        """A small space after a table."""
        self.p(after=0).paragraph_format.line_spacing = Pt(6)

    def tag(self, statement: str):
        """A paragraph holding only a ``{%p ... %}`` tag; docxtpl removes the paragraph itself."""
        self.p(f"{{%p {statement} %}}", after=0)

    def when(self, condition: str, *texts: str):
        """Paragraphs shown only when ``condition`` holds."""
        self.tag(f"if {condition}")
        for text in texts:
            self.p(text)
        self.tag("endif")

    def bullets(self, *texts: str):
        for text in texts:
            self._body.add_paragraph(text, style="List Bullet")

    def title(self, text: str):
        title = self.p(text, bold=True, size=14, after=6)
        title.paragraph_format.space_before = Pt(10)

    def heading(self, text: str):
        self.p(text, bold=True, size=11, after=4).paragraph_format.keep_with_next = True

    def address(self, lines: list[str]):
        """The address in the window of the envelopes in envelopes.py: an exact spacer down to the
        address field, then a borderless table as tall as the window zone, so what follows starts
        below it however many lines the address has (the row grows, never clips). Its right-hand
        column, clear of every window, takes the date and references (``meta``)."""
        spacer = self.p(after=0)
        spacer.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        spacer.paragraph_format.line_spacing = Mm(ADDRESS_FIELD.top - TOP_MARGIN_MM)
        table = self.doc.add_table(rows=1, cols=3)
        table.alignment = WD_TABLE_ALIGNMENT.LEFT
        cell, _, self._meta_cell = table.rows[0].cells
        for i, line in enumerate(lines):
            paragraph = cell.paragraphs[0] if i == 0 else cell.add_paragraph()
            paragraph.add_run(line)
            paragraph.paragraph_format.space_after = Pt(0)
            paragraph.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
            paragraph.paragraph_format.line_spacing = Pt(ADDRESS_LINE_PT)
        address_mm = int(ADDRESS_FIELD.right - ADDRESS_FIELD.left)
        set_column_widths(
            table,
            [
                address_mm,
                META_LEFT_MM - ADDRESS_FIELD.left - address_mm,
                TEXT_WIDTH_MM - (META_LEFT_MM - ADDRESS_FIELD.left),
            ],
        )
        row = table.rows[0]
        row.height, row.height_rule = Mm(BODY_AFTER_ADDRESS_MM - ADDRESS_FIELD.top), WD_ROW_HEIGHT_RULE.AT_LEAST
        _zero_cell_margins(table)

    def debtor_address(self, attention: str):
        self.address(
            [
                "{{ debiteur.naam }}",
                "{%p if debiteur.contactpersoon %}",
                f"{attention} {{{{ debiteur.contactpersoon }}}}",
                "{%p endif %}",
                "{{ debiteur.adres }}",
                "{{ debiteur.postcode }}  {{ debiteur.plaats }}",
                "{%p if debiteur.land %}",
                "{{ debiteur.land }}",
                "{%p endif %}",
            ]
        )

    def agency_address(self):
        """The collection agency's name and address (Instellingen), empty lines left out."""
        self.address(
            [
                "{{ bedrijf.incassobureau }}",
                "{%p if bedrijf.incassobureau_adres %}",
                "{{ bedrijf.incassobureau_adres }}",
                "{%p endif %}",
                "{%p if bedrijf.incassobureau_postcode or bedrijf.incassobureau_plaats %}",
                "{{ bedrijf.incassobureau_postcode }}  {{ bedrijf.incassobureau_plaats }}",
                "{%p endif %}",
            ]
        )

    def meta(self, rows: list[tuple[str, str]]):
        """Date and references: beside the address (each label above its value), else under it."""
        if self._meta_cell is None:
            self.kv(rows, label_mm=45, amounts=False)
            return
        cell, self._meta_cell = self._meta_cell, None
        for i, (label, value) in enumerate(rows):
            heading = cell.paragraphs[0] if i == 0 else cell.add_paragraph()
            heading.add_run(label).font.size = Pt(8)
            heading.paragraph_format.space_after = Pt(0)
            cell.add_paragraph(value).paragraph_format.space_after = Pt(4)

    def table(self, headers: list[str], loop: str, cells: list[str], widths: list[int], right: set[int]):
        """A gridded table with one row per item: ``{%tr for ... %}`` rows around the data row."""
        table = self._table(4, len(headers))
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        rows = table.rows
        for i, text in enumerate(headers):
            self._cell(rows[0].cells[i], text, bold=True, right=i in right, size=9)
        self._cell(rows[1].cells[0], f"{{%tr for {loop} %}}")
        for i, text in enumerate(cells):
            self._cell(rows[2].cells[i], text, right=i in right, size=9)
        self._cell(rows[3].cells[0], "{%tr endfor %}")
        set_column_widths(table, widths)
        self.gap()

    def kv(
        self, rows: list[tuple[str, str] | str], *, label_mm: int = 110, amounts: bool = True, bold_last: bool = False
    ):
        """Label-value rows without borders (amounts right-aligned); a plain string is a ``{%tr ... %}`` row."""
        table = self._table(len(rows), 2)
        table.alignment = WD_TABLE_ALIGNMENT.LEFT
        last = max(i for i, row in enumerate(rows) if not isinstance(row, str))
        for i, row in enumerate(rows):
            if isinstance(row, str):
                self._cell(table.rows[i].cells[0], row)
                continue
            label, value = row
            bold = bold_last and i == last
            self._cell(table.rows[i].cells[0], label, bold=bold)
            self._cell(table.rows[i].cells[1], value, bold=bold, right=amounts)
        set_column_widths(table, [label_mm, TEXT_WIDTH_MM - label_mm])
        self.gap()

    def payment_box(self, rows: list[tuple[str, str]], caption: str):
        """The payment details beside the betaal-QR, in a bordered two-column box. The box and all
        that follows up to the signature go in one borderless row that never splits, kept with the
        paragraph before it: the box and the signature never stand alone on a last page."""
        before = next(p for p in reversed(self.doc.paragraphs) if not p.text.startswith("{%p"))  # tags vanish
        before.paragraph_format.keep_with_next = True
        block = self.doc.add_table(rows=1, cols=1)
        set_column_widths(block, [TEXT_WIDTH_MM])  # also: the row never splits
        _zero_cell_margins(block)
        self._body = block.rows[0].cells[0]
        table = self._table(1, 2)
        for empty in self._body.paragraphs:  # the cell's own first paragraph and the one after the box
            self._body._tc.remove(empty._p)
        table.style = "Table Grid"
        left, right = table.rows[0].cells
        for i, (label, value) in enumerate(rows):
            paragraph = left.paragraphs[0] if i == 0 else left.add_paragraph()
            paragraph.add_run(f"{label}: ").bold = True
            paragraph.add_run(value)
        qr = right.paragraphs[0]
        qr.add_run("{{ betaal_qr }}")
        qr.alignment = WD_ALIGN_PARAGRAPH.CENTER
        note = right.add_paragraph(caption)
        note.alignment = WD_ALIGN_PARAGRAPH.CENTER
        note.runs[0].font.size = Pt(8)
        set_column_widths(table, [115, 45])
        margins = OxmlElement("w:tblCellMar")
        for side in ("top", "left", "bottom", "right"):
            margin = OxmlElement(f"w:{side}")
            margin.set(qn("w:w"), str(int(Mm(2).twips)))
            margin.set(qn("w:type"), "dxa")
            margins.append(margin)
        table._tbl.tblPr.append(margins)
        self.gap()

    def signature(self, closing: str):
        """Closing, company, room to sign, signatory and title: kept together on one page."""
        lines = [
            "",
            closing,
            "{{ bedrijf.naam }}",
            "",
            "",
            "{{ bedrijf.ondertekenaar }}",
            "{{ bedrijf.functie_ondertekenaar }}",
        ]
        for i, line in enumerate(lines):
            self.p(line, after=0).paragraph_format.keep_with_next = i < len(lines) - 1
        self._body = self.doc

    def attachments(self, label: str):
        self.p()
        self.when("bijlagen", f"{label} {{{{ bijlagen|join(', ') }}}}")

    def save(self, path: Path):
        self.doc.save(path)

    # -- helpers ---------------------------------------------------------
    @staticmethod
    def _cell(cell, text: str, *, bold: bool = False, right: bool = False, size: int | None = None):
        paragraph = cell.paragraphs[0]
        run = paragraph.add_run(text)
        run.bold = bold
        if size:
            run.font.size = Pt(size)
        paragraph.paragraph_format.space_after = Pt(0)
        if right:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT


def _zero_cell_margins(table) -> None:
    """No padding inside the cells, so the text starts at the table's edge (the page margin)."""
    margins = OxmlElement("w:tblCellMar")
    for side in ("top", "left", "bottom", "right"):
        margin = OxmlElement(f"w:{side}")
        margin.set(qn("w:w"), "0")
        margin.set(qn("w:type"), "dxa")
        margins.append(margin)
    table._tbl.tblPr.append(margins)


# ---------------------------------------------------------------------------
# Wording. Dutch first, English second; fields are the same in both.

NL, EN = "nl", "en"

INVOICE_TABLE = {
    NL: ["Factuurnummer", "Factuurdatum", "Vervaldatum", "Factuurbedrag", "Openstaand"],
    EN: ["Invoice number", "Invoice date", "Due date", "Invoice amount", "Outstanding"],
}
INVOICE_TABLE_OVERDUE = {
    NL: ["Factuurnummer", "Factuurdatum", "Vervaldatum", "Dagen te laat", "Factuurbedrag", "Openstaand"],
    EN: ["Invoice number", "Invoice date", "Due date", "Days overdue", "Invoice amount", "Outstanding"],
}


def invoices(b: LetterBuilder, *, overdue: bool = False):
    if overdue:
        b.table(
            INVOICE_TABLE_OVERDUE[b.language],
            "f in facturen",
            [
                "{{ f.nummer }}",
                "{{ f.factuurdatum }}",
                "{{ f.vervaldatum }}",
                "{{ f.dagen_over }}",
                "{{ f.bedrag }}",
                "{{ f.openstaand }}",
            ],
            [32, 25, 25, 22, 28, 28],
            {3, 4, 5},
        )
    else:
        b.table(
            INVOICE_TABLE[b.language],
            "f in facturen",
            ["{{ f.nummer }}", "{{ f.factuurdatum }}", "{{ f.vervaldatum }}", "{{ f.bedrag }}", "{{ f.openstaand }}"],
            [36, 28, 28, 34, 34],
            {3, 4},
        )


def amounts(b: LetterBuilder, *, last: tuple[str, str], costs: bool, costs_now: bool = False):
    """Principal, interest when there is any, costs when asked (``costs_now``: those already due and
    open, part of what the letter demands), and a bold last line."""
    nl = b.language == NL
    rows: list = [("Openstaand bedrag" if nl else "Amount outstanding", "{{ bedragen.hoofdsom }}")]
    rows += [
        "{%tr if bedragen.heeft_rente %}",
        (
            ("Rente" if nl else "Interest")
            + " ({{ rente.soort }}) "
            + ("tot en met" if nl else "up to and including")
            + " {{ rente.tot }}",
            "{{ bedragen.rente }}",
        ),
        "{%tr endif %}",
    ]
    if costs:
        rows += [
            "{%tr if bedragen.heeft_incassokosten %}",
            (
                "Buitengerechtelijke incassokosten" if nl else "Extrajudicial collection costs",
                "{{ bedragen.incassokosten }}",
            ),
            "{%tr endif %}",
            "{%tr if bedragen.heeft_btw_incassokosten %}",
            ("Btw over de incassokosten" if nl else "VAT on the collection costs", "{{ bedragen.btw_incassokosten }}"),
            "{%tr endif %}",
        ]
    if costs_now:
        rows += [
            "{%tr if bedragen.heeft_incassokosten_nu %}",
            (
                "Incassokosten, al verschuldigd" if nl else "Collection costs already due",
                "{{ bedragen.incassokosten_nu }}",
            ),
            "{%tr endif %}",
        ]
    rows.append(last)
    b.kv(rows, bold_last=True)


def opening(b: LetterBuilder, title: str):
    nl = b.language == NL
    b.debtor_address("t.a.v." if nl else "Attn.")
    b.meta(
        [
            ("Datum" if nl else "Date", "{{ bedrijf.plaats }}, {{ brief.datum }}"),
            ("Debiteurnummer" if nl else "Customer number", "{{ debiteur.nummer }}"),
            ("Betalingskenmerk" if nl else "Payment reference", "{{ brief.kenmerk }}"),
        ]
    )
    b.title(title)
    b.p("{{ debiteur.aanhef }},")


def pay_box(
    b: LetterBuilder, *, amount_label: str | None = None, term: tuple[str, str] | None = None, dated: bool = True
):
    """Amount, pay-by date (or ``term``: label and text), account, name and reference, beside the QR."""
    nl = b.language == NL
    rows = [(amount_label or ("Bedrag" if nl else "Amount"), "{{ bedragen.te_betalen }}")]
    if term:
        rows.append(term)
    elif dated:
        rows.append(("Uiterlijk op" if nl else "No later than", "{{ brief.betalen_voor }}"))
    rows += [
        ("Rekeningnummer (IBAN)" if nl else "Account (IBAN)", "{{ bedrijf.iban }}"),
        ("Ten name van" if nl else "Account holder", "{{ bedrijf.naam }}"),
        ("Betalingskenmerk" if nl else "Payment reference", "{{ brief.kenmerk }}"),
    ]
    b.payment_box(rows, "Scan met uw bankapp" if nl else "Scan with your banking app")


def closing(b: LetterBuilder):
    nl = b.language == NL
    b.signature("Met vriendelijke groet," if nl else "Kind regards,")
    b.attachments("Bijlagen: kopie van" if nl else "Enclosed: copy of")


# Shown only when the settings say the creditor cannot deduct the VAT on collection (Incassokosten met
# btw: ja). Worded for that one activity, so it does not contradict a VAT number in the footer.
VAT_NOTE = {
    NL: "De btw over het incasseren van deze vordering kunnen wij niet als voorbelasting aftrekken. Daarom "
    "verhogen wij de incassokosten met {{ bedragen.btw_incassokosten }} btw, tot in totaal "
    "{{ bedragen.incassokosten_totaal }} (artikel 2 lid 3 van het Besluit vergoeding voor "
    "buitengerechtelijke incassokosten).",
    EN: "We cannot deduct the VAT on the collection of this claim as input tax. We therefore add "
    "{{ bedragen.btw_incassokosten }} VAT to the collection costs, making {{ bedragen.incassokosten_totaal }} "
    "in total (Article 2(3) of the Dutch decree on extrajudicial collection costs).",
}
# A business notice of default: the collection costs owed before it (art. 6:96 lid 4 BW; with fatal
# terms all of them, art. 6:83 sub a BW), and what payments already put on them (art. 6:44 BW).
COSTS_OWED = {
    NL: "{% if bedragen.in_verzuim %}Uw betaaltermijn was fataal: u bent sinds de dag na de vervaldatum in verzuim "
    "(artikel 6:83 sub a BW) en daarom de buitengerechtelijke incassokosten al verschuldigd, berekend volgens het "
    "Besluit vergoeding voor buitengerechtelijke incassokosten: {{ bedragen.incassokosten_verschuldigd }}."
    "{% else %}Sinds de dag na de vervaldatum bent u per factuur € 40,00 aan incassokosten verschuldigd "
    "(artikel 6:96 lid 4 BW): samen {{ bedragen.incassokosten_verschuldigd }}.{% endif %}"
    "{% if bedragen.heeft_incassokosten_betaald %} Uw betalingen sindsdien gingen eerst naar die kosten "
    "(artikel 6:44 BW): {{ bedragen.incassokosten_betaald }}.{% endif %}"
    "{% if bedragen.heeft_incassokosten_nu %} Nog open: {{ bedragen.incassokosten_nu }}; dat bedrag zit in het "
    "bedrag dat u nu moet betalen.{% else %} Daarvan staat niets meer open.{% endif %}",
    EN: "{% if bedragen.in_verzuim %}Your payment term was strict: you have been in default since the day after the "
    "due date (Article 6:83(a) of the Dutch Civil Code) and therefore already owe the extrajudicial collection "
    "costs, calculated under the Dutch decree on extrajudicial collection costs: "
    "{{ bedragen.incassokosten_verschuldigd }}.{% else %}Since the day after the due date you have owed €40.00 "
    "of collection costs per invoice (Article 6:96(4) of the Dutch Civil Code): "
    "{{ bedragen.incassokosten_verschuldigd }} in total.{% endif %}"
    "{% if bedragen.heeft_incassokosten_betaald %} Your payments since then went to those costs first (Article "
    "6:44 of the Dutch Civil Code): {{ bedragen.incassokosten_betaald }}.{% endif %}"
    "{% if bedragen.heeft_incassokosten_nu %} Still open: {{ bedragen.incassokosten_nu }}; that amount is part of "
    "what you must pay now.{% else %} Nothing of them is open.{% endif %}",
}
# One letter per debtor per day: a letter that also names invoices at an earlier step says so.
OTHER_STEPS = {
    "ingebrekestelling": {
        NL: "Deze ingebrekestelling geldt voor factuur {{ brief.eigen_facturen }}"
        "{% if bedragen.heeft_incassokosten or bedragen.heeft_incassokosten_verschuldigd %}; "
        "de incassokosten hieronder gaan alleen over die facturen{% endif %}. Voor de andere facturen is deze "
        "brief een eerdere stap: {{ brief.andere_stappen }}.",
        EN: "This notice of default concerns invoice {{ brief.eigen_facturen }}"
        "{% if bedragen.heeft_incassokosten or bedragen.heeft_incassokosten_verschuldigd %}; "
        "the collection costs below concern those invoices only{% endif %}. For the other invoices this letter "
        "is an earlier step: {{ brief.andere_stappen }}.",
    },
    "veertiendagenbrief": {
        NL: "De incassokosten hieronder gaan alleen over factuur {{ brief.eigen_facturen }}, waarvoor u in verzuim "
        "bent. Voor de andere facturen is deze brief een eerdere stap: {{ brief.andere_stappen }}.",
        EN: "The collection costs below concern invoice {{ brief.eigen_facturen }} only, for which you are in "
        "default. For the other invoices this letter is an earlier step: {{ brief.andere_stappen }}.",
    },
    "overdracht": {
        NL: "Stap per factuur waar die niet de overdracht is: {{ brief.andere_stappen }}.",
        EN: "Step per invoice where it is not the hand-over: {{ brief.andere_stappen }}.",
    },
}
# The Hoge Raad's wording of the 14-day term, word for word (HR 25-11-2016, ECLI:NL:HR:2016:2704).
FOURTEEN_DAYS = {
    NL: "binnen veertien dagen vanaf de dag nadat deze brief bij u is bezorgd",
    EN: "within fourteen days from the day after this letter has been delivered to you",
}
PAID_ALREADY = {
    NL: "Heeft u het bedrag inmiddels betaald? Dan kunt u deze brief als niet verzonden beschouwen.",
    EN: "If you have paid in the meantime, please disregard this letter.",
}


def betalingsherinnering(b: LetterBuilder):
    nl = b.language == NL
    opening(b, "Betalingsherinnering" if nl else "Payment reminder")
    b.p(
        "Volgens onze administratie staan de onderstaande facturen nog open. Waarschijnlijk is de betaling aan "
        "uw aandacht ontsnapt; daarom sturen wij u deze herinnering."
        if nl
        else "According to our records the invoices below are still unpaid. Perhaps the payment has slipped your "
        "attention; hence this reminder."
    )
    invoices(b)
    amounts(b, last=("Te betalen" if nl else "Amount to pay", "{{ bedragen.te_betalen }}"), costs=True)
    b.p(
        "Wij vragen u het bedrag van {{ bedragen.te_betalen }} uiterlijk op {{ brief.betalen_voor }} over te maken "
        "op rekeningnummer {{ bedrijf.iban }} ten name van {{ bedrijf.naam }}, onder vermelding van "
        "betalingskenmerk {{ brief.kenmerk }}. Met de betaal-QR hieronder gaat dat in één keer goed."
        if nl
        else "Please transfer {{ bedragen.te_betalen }} no later than {{ brief.betalen_voor }} to account number "
        "{{ bedrijf.iban }} in the name of {{ bedrijf.naam }}, quoting payment reference {{ brief.kenmerk }}. "
        "The payment QR code below fills in these details for you."
    )
    pay_box(b)
    b.p(
        PAID_ALREADY[b.language]
        + (
            " Klopt er iets niet aan een factuur, of heeft u vragen? Neem dan contact met ons op via "
            "{{ bedrijf.telefoon }} of {{ bedrijf.email }}."
            if nl
            else " If anything about an invoice is not right, or if you have questions, please contact us at "
            "{{ bedrijf.telefoon }} or {{ bedrijf.email }}."
        )
    )
    closing(b)


def ingebrekestelling(b: LetterBuilder):
    nl = b.language == NL
    opening(b, "Ingebrekestelling" if nl else "Notice of default (ingebrekestelling)")
    b.p(
        "Ondanks het verstrijken van de betalingstermijn hebben wij de betaling van de onderstaande facturen "
        "nog niet van u ontvangen."
        if nl
        else "Although the payment term has expired, we have not yet received payment of the invoices below."
    )
    invoices(b, overdue=True)
    b.when("brief.meerdere_stappen", OTHER_STEPS["ingebrekestelling"][b.language])
    amounts(
        b, last=("Nu te betalen" if nl else "Now payable", "{{ bedragen.te_betalen }}"), costs=False, costs_now=True
    )
    # A business debtor owes € 40 per invoice from the day after its due date without any reminder (art.
    # 6:96 lid 4 BW), with fatal terms the whole staffel (in verzuim since then); payments made since went
    # to them first (6:44), and what is open of them is part of the demand.
    b.when("bedragen.heeft_incassokosten_verschuldigd", COSTS_OWED[b.language])
    b.p(
        "Hierbij stellen wij u in gebreke. Wij sommeren u het bedrag van {{ bedragen.te_betalen }} uiterlijk op "
        "{{ brief.betalen_voor }} te betalen op rekeningnummer {{ bedrijf.iban }} ten name van "
        "{{ bedrijf.naam }}, onder vermelding van betalingskenmerk {{ brief.kenmerk }}."
        if nl
        else "We hereby give you notice of default (ingebrekestelling, Article 6:82 of the Dutch Civil Code). We "
        "demand that you pay {{ bedragen.te_betalen }} no later than {{ brief.betalen_voor }} to account number "
        "{{ bedrijf.iban }} in the name of {{ bedrijf.naam }}, quoting payment reference {{ brief.kenmerk }}."
    )
    pay_box(b)
    b.p(
        "Betaalt u niet uiterlijk op {{ brief.betalen_voor }}, dan:"
        if nl
        else "If you do not pay by {{ brief.betalen_voor }}:"
    )
    b.bullets(
        "blijft de {{ rente.soort }} ({{ rente.artikel }}) over de hoofdsom doorlopen tot de dag waarop u "
        "volledig heeft betaald;"
        if nl
        else "the {{ rente.soort }} ({{ rente.artikel }}) on the principal continues to accrue until the day you have "
        "paid in full;",
    )
    # A consumer owes no collection costs from this letter (art. 6:96 lid 6 BW): a 14-day letter follows.
    # A business debtor does, even when payments left nothing of them open.
    b.tag("if bedragen.heeft_incassokosten or bedragen.heeft_incassokosten_verschuldigd")
    # In verzuim already (fatal terms): every cost is owed now and stated above, passing the term adds none.
    b.tag("if not bedragen.in_verzuim")
    b.bullets(
        "bent u buitengerechtelijke incassokosten verschuldigd van {{ bedragen.incassokosten_geheel }}"
        "{% if bedragen.heeft_btw_incassokosten %} met btw{% endif %}, berekend volgens het Besluit vergoeding voor "
        "buitengerechtelijke incassokosten{% if bedragen.heeft_incassokosten_verschuldigd %} (de € 40,00 per factuur "
        "hierboven daarin begrepen{% if bedragen.heeft_incassokosten_betaald %}; u betaalde daarvan al "
        "{{ bedragen.incassokosten_betaald }}{% endif %}){% endif %}; uw schuld is dan {{ bedragen.totaal }}, plus de rente na {{ rente.tot }};"
        if nl
        else "you will owe extrajudicial collection costs (buitengerechtelijke incassokosten) of "
        "{{ bedragen.incassokosten_geheel }}{% if bedragen.heeft_btw_incassokosten %} including VAT{% endif %}, "
        "calculated under the Dutch decree on extrajudicial collection costs{% if bedragen.heeft_incassokosten_verschuldigd %} (including "
        "the €40.00 per invoice above{% if bedragen.heeft_incassokosten_betaald %}; you have already paid "
        "{{ bedragen.incassokosten_betaald }} of them{% endif %}){% endif %}; you will then owe {{ bedragen.totaal }}, plus the "
        "interest after {{ rente.tot }};",
    )
    b.tag("endif")
    b.bullets(
        "geven wij de vordering zonder nadere aankondiging uit handen aan {{ bedrijf.incassobureau }} en kunnen "
        "wij een gerechtelijke procedure tegen u beginnen. De kosten daarvan kunnen op u worden verhaald."
        if nl
        else "we will hand the claim over to {{ bedrijf.incassobureau }} without further notice and may start legal "
        "proceedings against you. The costs of these may be recovered from you.",
    )
    b.tag("else")
    b.bullets(
        "bent u in verzuim en sturen wij u een laatste aanmaning met een termijn van veertien dagen. Pas als u "
        "ook die termijn laat verstrijken, bent u buitengerechtelijke incassokosten verschuldigd; het bedrag "
        "daarvan noemen wij in die aanmaning. Aan deze brief zijn voor u geen kosten verbonden."
        if nl
        else "you will be in default and we will send you a final reminder giving you fourteen days to pay. Only if "
        "you let that term pass as well will you owe extrajudicial collection costs; that reminder will state "
        "their amount. This letter is free of charge to you.",
    )
    b.tag("endif")
    b.when("bedragen.heeft_btw_incassokosten", VAT_NOTE[b.language])
    b.p(
        PAID_ALREADY[b.language]
        + (
            " Bent u het niet eens met de vordering, laat het ons dan vóór {{ brief.betalen_voor }} schriftelijk weten."
            if nl
            else " If you dispute the claim, please let us know in writing before {{ brief.betalen_voor }}."
        )
    )
    closing(b)


def veertiendagenbrief(b: LetterBuilder):
    nl = b.language == NL
    opening(b, "Aanmaning" if nl else "Reminder: fourteen days to pay before collection costs")
    b.p(
        "Volgens onze administratie heeft u de onderstaande facturen nog niet betaald, hoewel de termijn om te "
        "betalen is verstreken. Deze aanmaning gaat over alle facturen waarvoor u nu bij ons in verzuim bent."
        if nl
        else "According to our records you have not yet paid the invoices below, although the term for payment has "
        "expired. This reminder covers all invoices for which you are now in default with us."
    )
    invoices(b)
    b.when("brief.meerdere_stappen", OTHER_STEPS["veertiendagenbrief"][b.language])
    amounts(b, last=("Te betalen" if nl else "Amount to pay", "{{ bedragen.te_betalen }}"), costs=False)
    b.p(
        "Wij verzoeken u het bedrag van {{ bedragen.te_betalen }} te betalen "
        + FOURTEEN_DAYS[NL]
        + ". U kunt het bedrag overmaken op rekeningnummer {{ bedrijf.iban }} "
        "ten name van {{ bedrijf.naam }}, onder vermelding van betalingskenmerk {{ brief.kenmerk }}."
        if nl
        else "We ask you to pay {{ bedragen.te_betalen }} "
        + FOURTEEN_DAYS[EN]
        + ". Please transfer the amount to account number {{ bedrijf.iban }} in the "
        "name of {{ bedrijf.naam }}, quoting payment reference {{ brief.kenmerk }}."
    )
    pay_box(
        b,
        term=("Termijn", FOURTEEN_DAYS[NL]) if nl else ("Term", FOURTEEN_DAYS[EN]),
    )
    b.p("Wat gebeurt er als u niet op tijd betaalt?" if nl else "What happens if you do not pay in time?", bold=True)
    b.p(
        "Betaalt u niet binnen deze termijn, dan bent u naast het openstaande bedrag buitengerechtelijke "
        "incassokosten verschuldigd van {{ bedragen.incassokosten }}. Die kosten zijn berekend volgens het "
        "Besluit vergoeding voor buitengerechtelijke incassokosten. De wettelijke rente over het openstaande bedrag "
        "loopt door tot de dag waarop u volledig heeft betaald, en wij kunnen de vordering uit handen geven."
        if nl
        else "If you do not pay within this term, you will owe, in addition to the outstanding amount, extrajudicial "
        "collection costs (buitengerechtelijke incassokosten) of {{ bedragen.incassokosten }}, calculated under "
        "the Dutch decree on extrajudicial collection costs. Statutory interest (wettelijke rente) on the outstanding "
        "amount continues to accrue until the day you have paid in full, and we may hand the claim over for "
        "collection."
    )
    b.when("bedragen.heeft_btw_incassokosten", VAT_NOTE[b.language])
    b.p("Aan deze brief zijn voor u geen kosten verbonden." if nl else "This letter is free of charge to you.")
    b.p(
        PAID_ALREADY[b.language]
        + (
            " Kunt u niet in één keer betalen? Neem dan contact met ons op via {{ bedrijf.telefoon }} of "
            "{{ bedrijf.email }}; wij denken graag met u mee over een betalingsregeling."
            if nl
            else " If you cannot pay in one go, please contact us at {{ bedrijf.telefoon }} or {{ bedrijf.email }}; "
            "we are happy to discuss a payment arrangement."
        )
    )
    closing(b)


def bevestiging_betalingsregeling(b: LetterBuilder):
    nl = b.language == NL
    opening(b, "Bevestiging betalingsregeling" if nl else "Confirmation of payment arrangement")
    b.p(
        "Hierbij bevestigen wij de betalingsregeling die wij met u hebben afgesproken voor de onderstaande facturen."
        if nl
        else "We hereby confirm the payment arrangement we agreed with you for the invoices below."
    )
    invoices(b)
    amounts(b, last=("Totaal" if nl else "Total", "{{ bedragen.totaal }}"), costs=True)
    b.p(
        "U betaalt het totaal van {{ bedragen.totaal }} in de volgende termijnen:"
        if nl
        else "You will pay the total of {{ bedragen.totaal }} in the following instalments:"
    )
    b.table(
        ["Termijn", "Uiterlijk op", "Bedrag"] if nl else ["Instalment", "No later than", "Amount"],
        "t in termijnen",
        ["{{ t.nummer }}", "{{ t.vervaldatum }}", "{{ t.bedrag }}"],
        [30, 60, 40],
        {2},
    )
    b.p(
        "Wilt u elke termijn uiterlijk op de genoemde datum overmaken op rekeningnummer {{ bedrijf.iban }} ten "
        "name van {{ bedrijf.naam }}, onder vermelding van betalingskenmerk {{ brief.kenmerk }}? Met de "
        "betaal-QR hieronder betaalt u de termijn van {{ bedragen.te_betalen }}, uiterlijk op "
        "{{ brief.betalen_voor }}."
        if nl
        else "Please transfer each instalment no later than its date to account number {{ bedrijf.iban }} in the name "
        "of {{ bedrijf.naam }}, quoting payment reference {{ brief.kenmerk }}. The payment QR code below pays "
        "the instalment of {{ bedragen.te_betalen }} due on {{ brief.betalen_voor }}."
    )
    pay_box(b, amount_label="Termijn" if nl else "Instalment")
    b.p(
        "Betaalt u een termijn niet of niet op tijd, dan vervalt deze regeling. Het volledige openstaande bedrag "
        "is dan direct opeisbaar en wij zetten de invordering voort zonder nadere aankondiging."
        if nl
        else "If an instalment is not paid, or not paid on time, this arrangement lapses. The full outstanding amount "
        "then becomes payable at once and we will resume collection without further notice."
    )
    b.p("Wij danken u voor uw medewerking." if nl else "Thank you for your cooperation.")
    closing(b)


def bevestiging_betalingsafspraak(b: LetterBuilder):
    nl = b.language == NL
    opening(b, "Bevestiging betalingsafspraak" if nl else "Confirmation of your promise to pay")
    b.p(
        "Hierbij bevestigen wij onze afspraak: u betaalt {{ afspraak.bedrag }} uiterlijk op {{ afspraak.datum }} "
        "voor de onderstaande facturen."
        if nl
        else "We hereby confirm our agreement: you will pay {{ afspraak.bedrag }} no later than {{ afspraak.datum }} "
        "for the invoices below."
    )
    invoices(b)
    amounts(b, last=("Totaal" if nl else "Total", "{{ bedragen.totaal }}"), costs=True)
    b.p(
        "Wilt u het bedrag overmaken op rekeningnummer {{ bedrijf.iban }} ten name van {{ bedrijf.naam }}, onder "
        "vermelding van betalingskenmerk {{ brief.kenmerk }}?"
        if nl
        else "Please transfer the amount to account number {{ bedrijf.iban }} in the name of {{ bedrijf.naam }}, "
        "quoting payment reference {{ brief.kenmerk }}."
    )
    pay_box(b)
    b.p(
        "Ontvangen wij het bedrag niet uiterlijk op {{ afspraak.datum }}, dan zetten wij de invordering voort "
        "zonder nadere aankondiging. Blijft er na deze betaling een bedrag open, dan nemen wij daarover contact "
        "met u op."
        if nl
        else "If we have not received the amount by {{ afspraak.datum }}, we will resume collection without further "
        "notice. If an amount remains outstanding after this payment, we will contact you about it."
    )
    closing(b)


def overdracht(b: LetterBuilder):
    nl = b.language == NL
    b.agency_address()
    b.meta(
        [
            ("Datum" if nl else "Date", "{{ bedrijf.plaats }}, {{ brief.datum }}"),
            ("Debiteurnummer" if nl else "Debtor number", "{{ debiteur.nummer }}"),
            ("Betalingskenmerk" if nl else "Payment reference", "{{ brief.kenmerk }}"),
        ]
    )
    b.title("Overdracht ter incasso" if nl else "Claim handed over for collection")
    b.p("Geachte heer, mevrouw," if nl else "Dear Sir or Madam,")
    b.p(
        "Hierbij dragen wij de vordering op de onderstaande debiteur aan u over ter incasso. Hieronder vindt u de "
        "gegevens van de debiteur, de specificatie van de vordering en een overzicht van wat wij al hebben "
        "ondernomen."
        if nl
        else "We hereby hand over to you for collection our claim on the debtor below. Below you will find the "
        "debtor's details, the specification of the claim and an overview of the actions we have taken."
    )
    b.heading("Debiteur" if nl else "Debtor")
    b.kv(
        [
            ("Debiteurnummer" if nl else "Debtor number", "{{ debiteur.nummer }}"),
            ("Naam" if nl else "Name", "{{ debiteur.naam }}"),
            "{%tr if debiteur.contactpersoon %}",
            ("Contactpersoon" if nl else "Contact", "{{ debiteur.contactpersoon }}"),
            "{%tr endif %}",
            ("Adres" if nl else "Address", "{{ debiteur.adres }}"),
            ("Postcode en plaats" if nl else "Postcode and city", "{{ debiteur.postcode }} {{ debiteur.plaats }}"),
            "{%tr if debiteur.land %}",
            ("Land" if nl else "Country", "{{ debiteur.land }}"),
            "{%tr endif %}",
            ("Soort debiteur" if nl else "Kind of debtor", "{{ debiteur.soort }}"),
        ],
        label_mm=45,
        amounts=False,
    )
    b.heading("Specificatie van de vordering" if nl else "Specification of the claim")
    invoices(b, overdue=True)
    b.kv(
        [
            ("Hoofdsom" if nl else "Principal", "{{ bedragen.hoofdsom }}"),
            (
                ("Rente" if nl else "Interest")
                + ": {{ rente.soort }}, {{ rente.artikel }}, "
                + ("tot en met" if nl else "up to and including")
                + " {{ rente.tot }}",
                "{{ bedragen.rente }}",
            ),
            (
                "Buitengerechtelijke incassokosten" if nl else "Extrajudicial collection costs",
                "{{ bedragen.incassokosten }}",
            ),
            "{%tr if bedragen.heeft_btw_incassokosten %}",
            ("Btw over de incassokosten" if nl else "VAT on the collection costs", "{{ bedragen.btw_incassokosten }}"),
            "{%tr endif %}",
            ("Totaal vordering" if nl else "Total claim", "{{ bedragen.totaal }}"),
        ],
        label_mm=125,
        bold_last=True,
    )
    b.when("brief.meerdere_stappen", OTHER_STEPS["overdracht"][b.language])
    b.heading("Grondslag van de incassokosten" if nl else "Basis of the collection costs")
    b.tag("for regel in specificatie.kostengrondslag")
    b.p("{{ regel }}")
    b.tag("endfor")
    b.heading("Rente per periode" if nl else "Interest per period")
    b.tag("for regel in specificatie.rentegrondslag")
    b.p("{{ regel }}")
    b.tag("endfor")
    b.tag("if specificatie.renteperioden")
    b.table(
        ["Factuur", "Van", "Tot en met", "Dagen", "Rente per jaar", "Grondslag", "Rente"]
        if nl
        else ["Invoice", "From", "To (incl.)", "Days", "Rate per year", "Base", "Interest"],
        "r in specificatie.renteperioden",
        [
            "{{ r.factuur }}",
            "{{ r.van }}",
            "{{ r.tot }}",
            "{{ r.dagen }}",
            "{{ r.percentage }}",
            "{{ r.grondslag }}",
            "{{ r.rente }}",
        ],
        [24, 22, 22, 14, 22, 28, 28],
        {3, 4, 5, 6},
    )
    b.tag("else")
    b.p("Er is geen rente berekend." if nl else "No interest has been calculated.")
    b.tag("endif")
    b.heading("Ontvangen betalingen" if nl else "Payments received")
    b.tag("if specificatie.betalingen")
    b.table(
        ["Datum", "Factuur", "Bedrag", "Naar kosten", "Naar rente", "Naar hoofdsom"]
        if nl
        else ["Date", "Invoice", "Amount", "To costs", "To interest", "To principal"],
        "p in specificatie.betalingen",
        [
            "{{ p.datum }}",
            "{{ p.factuur }}",
            "{{ p.bedrag }}",
            "{{ p.naar_kosten }}",
            "{{ p.naar_rente }}",
            "{{ p.naar_hoofdsom }}",
        ],
        [24, 24, 28, 28, 28, 28],
        {2, 3, 4, 5},
    )
    b.tag("else")
    b.p("Er zijn geen betalingen ontvangen." if nl else "No payments have been received.")
    b.tag("endif")
    b.tag("if specificatie.verjaring")
    b.heading("Verjaring" if nl else "Prescription")
    b.tag("for regel in specificatie.verjaring")
    b.p("{{ regel }}")
    b.tag("endfor")
    b.tag("endif")
    b.heading("Dossier" if nl else "Actions taken")
    b.table(
        ["Datum", "Actie", "Omschrijving"] if nl else ["Date", "Action", "Description"],
        "a in specificatie.acties",
        ["{{ a.datum }}", "{{ a.soort }}", "{{ a.omschrijving }}"],
        [25, 40, 95],
        set(),
    )
    b.p(
        "Betaalt de debiteur toch rechtstreeks aan ons, dan melden wij dat direct aan u. De debiteur kan daarvoor "
        "betalingskenmerk {{ brief.kenmerk }} of de betaal-QR hieronder gebruiken."
        if nl
        else "Should the debtor pay us directly after all, we will inform you at once. The debtor can use payment "
        "reference {{ brief.kenmerk }} or the payment QR code below."
    )
    pay_box(b, dated=False)
    closing(b)


BUILDERS = {
    "betalingsherinnering": betalingsherinnering,
    "ingebrekestelling": ingebrekestelling,
    "veertiendagenbrief": veertiendagenbrief,
    "bevestiging_betalingsregeling": bevestiging_betalingsregeling,
    "bevestiging_betalingsafspraak": bevestiging_betalingsafspraak,
    "overdracht": overdracht,
}


def build_template(kind: str, language: str, path: Path) -> Path:
    builder = LetterBuilder(language)
    BUILDERS[kind](builder)
    builder.save(path)
    return path


# ---------------------------------------------------------------------------
# LEESMIJ.md: how to edit, and the fields (from PLACEHOLDERS, so it cannot go stale).

LEESMIJ_INTRO = """\
# Briefsjablonen

Deze map bevat de Word-sjablonen waarmee de tool brieven maakt. Elke brief heeft een Nederlandse
versie (`betalingsherinnering.docx`) en een Engelse (`betalingsherinnering_en.docx`, voor debiteuren
met Taal `en`). Ontbreekt een Engels sjabloon, dan krijgt de debiteur de Nederlandse brief.

| sjabloon | wanneer |
|---|---|
| `betalingsherinnering` | de vriendelijke herinnering, 7 dagen na de vervaldatum |
| `ingebrekestelling` | sommatie met termijn van 5 tot 7 dagen; een consument brengt hij in verzuim, zonder incassokosten |
| `veertiendagenbrief` | consument: de kosteloze aanmaning met 14 dagen na bezorging (art. 6:96 lid 6 BW) |
| `bevestiging_betalingsregeling` | bevestiging van een regeling van hoogstens 4 termijnen |
| `bevestiging_betalingsafspraak` | bevestiging van een betalingsbelofte |
| `overdracht` | begeleidende brief aan het incassobureau met de specificatie van de vordering |

## Waar je eigen sjablonen staan

De sjablonen in deze map worden met het programma meegeleverd; een nieuwe versie van het programma
overschrijft ze. Pas ze daarom aan in je eigen **gebruikersmap**: `debiteuren/sjablonen` in je
persoonlijke map (`C:\\Users\\<naam>\\debiteuren\\sjablonen` op Windows,
`/Users/<naam>/debiteuren/sjablonen` op macOS, `/home/<naam>/debiteuren/sjablonen` op Linux), of
`sjablonen` in de map die de omgevingsvariabele `DEBITEUREN_GEBRUIKERSMAP` noemt. De opdracht
`debiteuren sjablonen` kopieert de meegeleverde sjablonen erheen. Een sjabloon in je gebruikersmap
gaat voor het meegeleverde sjabloon met dezelfde naam; wat je daar niet neerzet, komt uit het
programma.

## Een sjabloon aanpassen in Word

1. Maak eerst een kopie van het sjabloon, zodat je terug kunt.
2. Open het sjabloon in Word en pas de tekst aan zoals in elk ander document: opmaak, logo in de
   koptekst, lettertype, alinea's.
3. Velden staan tussen dubbele accolades, bijvoorbeeld `{{ debiteur.naam }}`. De tool vult ze in.
   Typ een veld altijd in één keer en precies zoals in de lijst hieronder (kleine letters, punt
   ertussen, geen spaties in de naam). Een veld dat niet bestaat (een tikfout zoals
   `{{ debiteur.naaam }}`) stopt de tool met een melding die het sjabloon en het veld noemt; er
   gaat nooit een brief met een leeg gat de deur uit.
4. Regels met `{%p if ... %}`, `{%p endif %}`, `{%tr for ... %}` en `{%tr endfor %}` zijn
   opdrachten: ze staan in een eigen alinea of tabelrij, die in de brief verdwijnt. `{%p if
   bedragen.heeft_rente %}` toont de alinea's tot `{%p endif %}` alleen als er rente is; de rij met
   `{%tr for f in facturen %}` herhaalt de tabelrij eronder voor elke factuur (velden `f.nummer`,
   `f.openstaand`, ...). Laat ze staan of verwijder ze in paren.
5. `{{ betaal_qr }}` wordt de betaal-QR (een afbeelding); zet hem in een eigen alinea of cel.
6. Sla op als Word-document (.docx) onder dezelfde naam.

Na het opslaan kun je de sjablonen controleren (je eigen en de meegeleverde die je niet vervangt):
`python -c "from debiteuren.letters.templates import check_templates; print(check_templates())"`
(een lege lijst betekent: alles in orde).

Let op bij de wettelijke brieven:

- De **betalingsherinnering** heet "Betalingsherinnering" (nooit "eerste"), noemt factuur- en
  debiteurnummer, het bedrag, het rekeningnummer voluit en een datum hoogstens 7 dagen na de brief.
- De **veertiendagenbrief** moet de termijn omschrijven als "binnen veertien dagen vanaf de dag nadat
  deze brief bij u is bezorgd" (Hoge Raad, ECLI:NL:HR:2016:2704), woord voor woord. Schrijf nooit "na dagtekening",
  "na verzending" of "na heden": zo'n brief is ongeldig en dan zijn er geen incassokosten
  verschuldigd. De brief noemt het exacte bedrag aan incassokosten en, alleen als dat van
  toepassing is, de btw daarover; hij is kosteloos.
- De **ingebrekestelling** noemt een concreet bedrag en een concrete datum, de rente en de
  incassokosten en wat er gebeurt als er niet wordt betaald.

Alle bedragen komen als tekst in de schrijfwijze van de brief (`€ 1.234,56`, Engels `€1,234.56`),
datums voluit (`31 oktober 2026`) of kort in tabellen (`31-10-2026`).

Deze sjablonen zijn gemaakt met `python tools/make_templates.py` (in de broncode van het project). Dat
script opnieuw draaien overschrijft aangepaste sjablonen.
"""


def _field_lines(shape: object, prefix: str) -> list[str]:
    if isinstance(shape, dict):
        return [line for key, sub in shape.items() for line in _field_lines(sub, f"{prefix}.{key}" if prefix else key)]
    if isinstance(shape, list):
        return _field_lines(shape[0], f"{prefix}[]")
    return [f"| `{prefix}` | {shape} |"]


def _mm(value: float) -> str:
    return f"{value:g}".replace(".", ",")


def envelope_text() -> str:
    """The envelope section of LEESMIJ.md, from the measurements in envelopes.py."""
    rows = "\n".join(
        f"| {e.name} | {_mm(e.window_width)} × {_mm(e.window_height)} mm | {_mm(e.window_left)} mm "
        f"| {_mm(e.window_bottom)} mm | {_mm(e.always_visible().left)}–{_mm(e.always_visible().right)} mm "
        f"van links, {_mm(e.always_visible().top)}–{_mm(e.always_visible().bottom)} mm van boven |"
        for e in ENVELOPES
    )
    sources = "\n".join(sorted({f"- {e.source}." for e in ENVELOPES}))
    a, safe, zone = ADDRESS_FIELD, SAFE_AREA, WINDOW_ZONE
    return f"""\
## Vensterenvelop

De brieven gaan zo gedrukt in een vensterenvelop met het venster links. Vouw het A4 in drie gelijke
delen van 99 mm, met het adres op het bovenste deel aan de buitenkant. Het gevouwen vel is kleiner
dan de envelop en schuift erin heen en weer; het adres moet in elke stand in het venster staan, en
niets anders mag er ooit in te zien zijn.

| envelop | venster (b × h) | venster van links | venster van onder | altijd in het venster, gemeten op het vel |
|---|---|---|---|---|
{rows}

Daarom staat in de sjablonen:

- het **adres** {_mm(a.left)} mm van links en vanaf {_mm(a.top)} mm van boven, in een vlak van \
{_mm(a.right - a.left)} bij {_mm(a.bottom - a.top)} mm (zes regels), binnen wat elk venster hierboven altijd \
toont: {_mm(safe.left)}–{_mm(safe.right)} mm van links en {_mm(safe.top)}–{_mm(safe.bottom)} mm van boven. \
Een regel van meer dan zo'n 36 tekens kan rechts buiten het venster vallen;
- **datum, debiteurnummer en betalingskenmerk** rechts naast het adres, vanaf {META_LEFT_MM} mm van \
links, buiten elk venster;
- de **brieftekst** vanaf {_mm(BODY_AFTER_ADDRESS_MM)} mm van boven: tussen {_mm(zone.top)} en \
{_mm(zone.bottom)} mm van boven en links van {_mm(zone.right)} mm kan een venster iets tonen, dus daar \
staat alleen het adres;
- het **briefhoofd** in de koptekst, binnen de bovenste {TOP_MARGIN_MM} mm. Maak je de koptekst hoger
  (een groot logo), dan schuift het adres omlaag en valt het niet meer in het venster.

Bronnen:

{sources}
- PostNL, adresseringstips (https://www.postnl.nl/en/sending/sending-a-parcel/addressing-tips/):
  3 tot 6 adresregels, een schreefloze letter van 10 tot 12 punt, postcode met één spatie en twee
  spaties voor de plaats (`1234 AB  Amsterdam`).
- bpost, plaats van het adres (https://www.bpost.be/nl/adressering-adres-positionering): in het
  venster staat niets dat met het adres verward kan worden, en geen deel van het adres mag achter de
  rand van het venster verdwijnen.
- De Nederlandse normen (NEN 1025 voor enveloppen, NEN 1026 voor briefpapier) zijn niet vrij in te
  zien; de maten hierboven zijn die van de Duitse norm DIN 680 voor vensterenveloppen van dezelfde
  ISO-formaten. Meet je eigen enveloppen na: ligt het venster anders, pas dan het adresvlak aan.

Enveloppen waarin het A4 één keer gevouwen (EA5, C5) of ongevouwen (EA4, C4) gaat, hebben het venster
per fabrikant op een andere hoogte. Een overzicht van gangbare vensters
(https://officeconsult.no/blogg/brevmaler-plassering-av-mottakerfelt-i-vinduskonvolutter/) noemt
voor C5 een venster 44 mm van boven en 35 mm hoog, en voor EC4 42 mm van boven en 40 mm hoog: bij
een vel dat één keer gevouwen of helemaal niet gevouwen is, valt dat boven het adres van deze
sjablonen. Gebruik voor deze brieven dus EA5/6- of C6/5-vensterenveloppen, of meet na of het venster
van je envelop het adresvlak hierboven toont.
"""


def leesmij_text(directory: Path) -> str:
    lines = [
        LEESMIJ_INTRO,
        envelope_text(),
        "## Alle velden",
        "",
        "Lijsten (`[]`) gebruik je in een `{%tr for x in ... %}`-rij, de velden dan als `x.veld`.",
        "",
        "| veld | betekenis |",
        "|---|---|",
    ]
    lines += _field_lines(PLACEHOLDERS, "")
    lines += ["", "## Velden per sjabloon", ""]
    for kind in KINDS:
        path = directory / template_name(kind, "nl")
        if path.exists():
            lines.append(f"- `{kind}`: " + ", ".join(f"`{f}`" for f in template_fields(path)))
    return "\n".join(lines) + "\n"


def build_all(directory: Path | str = DEFAULT_TEMPLATES_DIR) -> list[Path]:
    """Every template in both languages, and LEESMIJ.md."""
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    paths = [
        build_template(kind, language, folder / template_name(kind, language))
        for kind in KINDS
        for language in LANGUAGE_SUFFIX
    ]
    (folder / "LEESMIJ.md").write_text(leesmij_text(folder), encoding="utf-8")
    return paths


if __name__ == "__main__":  # pragma: no cover
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_TEMPLATES_DIR
    for built in build_all(target):
        print(built)
