"""Golden texts of every letter: each kind x language x business/consumer, as a debtor would read it.

A fixed small register (four debtors: business and consumer, Dutch and English,
each with the same two invoices, a part payment and the route's log up to the
fourteen-day letter) and fixed dates give one letter per kind, language and kind
of debtor. The letters of the route (reminder, notice of default, fourteen-day
letter, hand-over) come from ``dunning_letters.build_letter`` as the monthly run
makes them; the two confirmations are built from the reminder's debtor and
invoices. Each is rendered with the shipped templates and its text (body
paragraphs and table rows in document order, then headers and footers) is kept
in ``tests/golden/<kind>_<language>_<zakelijk|consument>.txt``. A change of
wording, figures or layout of the text is then a visible diff.

Regenerate after an intended change (``make golden`` runs the same)::

    PYTHONPATH=lib python tests/golden_letters.py --bijwerken

``tests/test_golden_letters.py`` compares; without ``--bijwerken`` this script
lists the letters whose text differs and exits 1.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

GOLDEN_DIR = Path(__file__).resolve().parent / "golden"

if __name__ == "__main__":  # run as a script: the helpers beside it and the package (PYTHONPATH=lib)
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    sys.path.insert(1, str(Path(__file__).resolve().parent.parent / "lib"))

PEILDATUM = date(2026, 10, 31)
LETTER_DATE = date(2026, 11, 3)  # letters are made (and dated) after the peildatum, as the edge decides

DEBTOR_KINDS = ("zakelijk", "consument")
LANGUAGES = ("nl", "en")
# (debtor id, language, kind of debtor) -> the debtor's row in Debiteuren.
DEBTORS = {
    ("nl", "zakelijk"): dict(
        debtor_id="1001",
        name="Jansen Techniek B.V.",
        kind="zakelijk",
        contact="P. Jansen",
        address="Markt 1",
        postcode="1234 AB",
        city="Amsterdam",
    ),
    ("nl", "consument"): dict(
        debtor_id="1002",
        name="A. Bakker",
        kind="consument",
        address="Dorpsstraat 5",
        postcode="9999 ZZ",
        city="Groningen",
    ),
    ("en", "zakelijk"): dict(
        debtor_id="1003",
        name="Smith Ltd",
        kind="zakelijk",
        contact="John Smith",
        address="1 High Street",
        postcode="SW1A 1AA",
        city="London",
        country="GB",
        language="en",
    ),
    ("en", "consument"): dict(
        debtor_id="1004",
        name="Mary Jones",
        kind="consument",
        address="2 Low Road",
        postcode="M1 1AA",
        city="Manchester",
        country="GB",
        language="en",
    ),
}
# The Acties kinds of the route, and the letter kind each makes.
REMINDER, NOTICE, FOURTEEN_DAY, HAND_OVER = (
    "Betalingsherinnering",
    "Ingebrekestelling",
    "Veertiendagenbrief",
    "Uit handen",
)
ROUTE = {
    "betalingsherinnering": REMINDER,
    "ingebrekestelling": NOTICE,
    "veertiendagenbrief": FOURTEEN_DAY,
    "overdracht": HAND_OVER,
}


def applies(kind: str, debtor_kind: str) -> bool:
    """A fourteen-day letter is only for consumers (art. 6:96 lid 6 BW); every other kind for both."""
    return kind != "veertiendagenbrief" or debtor_kind == "consument"


def golden_name(kind: str, language: str, debtor_kind: str) -> str:
    """``overdracht_en_consument.txt``"""
    return f"{kind}_{language}_{debtor_kind}.txt"


def golden_register():
    """The fixed register: four debtors, two invoices each, a part payment, the log up to the 14-day letter."""
    from debiteuren.register.model import Settings
    from registers import make_register

    invoices, payments, actions = [], [], []
    for row in DEBTORS.values():
        debtor = row["debtor_id"]
        first, second = f"F{debtor}-1", f"F{debtor}-2"
        invoices += [
            dict(
                invoice_id=first, debtor_id=debtor, invoice_date="2026-06-01", due_date="2026-07-01", amount="1.210,00"
            ),
            dict(
                invoice_id=second, debtor_id=debtor, invoice_date="2026-07-15", due_date="2026-08-14", amount="605,50"
            ),
        ]
        payments.append(dict(payment_date="2026-09-15", debtor_id=debtor, invoice_id=second, amount="300,00"))
        actions += [
            dict(action_date="2026-07-10", debtor_id=debtor, invoice_ids=first, kind=REMINDER),
            dict(action_date="2026-08-24", debtor_id=debtor, invoice_ids=second, kind=REMINDER),
            dict(action_date="2026-09-03", debtor_id=debtor, invoice_ids=f"{first}, {second}", kind=NOTICE),
        ]
        if row["kind"] == "consument":
            actions.append(
                dict(action_date="2026-10-03", debtor_id=debtor, invoice_ids=f"{first}, {second}", kind=FOURTEEN_DAY)
            )
    settings = Settings(
        company_name="Voorbeeld Installatietechniek B.V.",
        company_address="Industrieweg 12",
        company_postcode="3542 AD",
        company_city="Utrecht",
        company_phone="030 123 45 67",
        company_email="debiteuren@voorbeeld.nl",
        iban="NL91ABNA0417164300",
        bic="ABNANL2A",
        kvk="12345678",
        vat_number="NL001234567B01",
        signatory="M. de Vries",
        signatory_title="Controller",
        collection_agency="Incasso Noord B.V.",
        collection_agency_address="Havenstraat 3",
        collection_agency_postcode="9700 AA",
        collection_agency_city="Groningen",
    )
    return make_register(
        debtors=list(DEBTORS.values()),
        invoices=invoices,
        payments=payments,
        actions=actions,
        settings=settings,
        raw_settings={"Functie ondertekenaar (Engels)": "Financial controller"},
    )


def golden_letters() -> dict[str, object]:
    """File name -> Letter, for every kind x language x kind of debtor where the kind applies."""
    from debiteuren.dunning import ProposedStep
    from debiteuren.dunning_letters import build_letter
    from debiteuren.letters.context import KINDS, Instalment, Promise
    from debiteuren.review import review

    register = golden_register()
    result = review(register, PEILDATUM)
    open_cents = result.invoices_by_id["open_cents"]
    letters = {}
    for (language, debtor_kind), row in DEBTORS.items():
        debtor = row["debtor_id"]
        ids = tuple(f"F{debtor}-{n}" for n in (1, 2))
        amount = int(sum(int(open_cents[i]) for i in ids))

        def route_letter(action):
            number = next(
                (s.step for s in register.policy if s.action == action and s.applies_to in ("alle", debtor_kind)), 0
            )
            step = ProposedStep(
                debtor, row["name"], debtor_kind, number, action, ids, amount, PEILDATUM, True, None, ""
            )
            return build_letter(register, result, step, LETTER_DATE)[0]

        reminder = route_letter(REMINDER)
        total = reminder.total_due
        for kind in KINDS:
            if not applies(kind, debtor_kind):
                continue
            if kind in ROUTE:
                letter = route_letter(ROUTE[kind])
            elif kind == "bevestiging_betalingsregeling":
                first = date(2026, 11, 15)
                letter = replace(
                    reminder,
                    kind=kind,
                    reference="",
                    pay_by=first,
                    instalments=(
                        Instalment(1, first, Decimal("500.00")),
                        Instalment(2, date(2026, 12, 15), Decimal("500.00")),
                        Instalment(3, date(2027, 1, 15), total - Decimal("1000.00")),
                    ),
                )
            else:  # bevestiging_betalingsafspraak
                letter = replace(
                    reminder,
                    kind=kind,
                    reference="",
                    pay_by=date(2026, 11, 10),
                    promise=Promise(date(2026, 11, 10), Decimal("1000.00")),
                )
            # A hand-over is Dutch unless asked otherwise; the English template is there to be asked for.
            letters[golden_name(kind, language, debtor_kind)] = replace(letter, language=language)
    return letters


def docx_lines(path: Path) -> list[str]:
    """The text of a .docx as lines: body paragraphs and table rows in document order, then headers and footers.

    A table row is one line, its cells separated by `` | `` (a merged cell once),
    the paragraphs within a cell by `` / ``; a nested table follows its row,
    indented. Runs of empty lines become one.
    """
    from docx import Document
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    def cell_text(cell) -> str:
        return " / ".join(p.text.strip() for p in cell.paragraphs if p.text.strip())

    def table_lines(table: Table, indent: str) -> list[str]:
        lines = []
        for row in table.rows:
            seen, cells = [], []
            for cell in row.cells:
                if any(cell._tc is other for other in seen):
                    continue
                seen.append(cell._tc)
                cells.append(cell)
            lines.append(indent + "| " + " | ".join(cell_text(c) for c in cells) + " |")
            for cell in cells:
                for inner in cell.tables:
                    lines += table_lines(inner, indent + "    ")
        return lines

    def block_lines(parent, container) -> list[str]:
        lines = []
        for child in container.iterchildren():
            tag = child.tag.rsplit("}", 1)[-1]
            if tag == "p":
                lines.append(Paragraph(child, parent).text.rstrip())
            elif tag == "tbl":
                lines += table_lines(Table(child, parent), "")
        return lines

    document = Document(str(path))
    lines = block_lines(document, document.element.body)
    for number, section in enumerate(document.sections, 1):
        for label, part in (
            ("kop", section.first_page_header),
            ("kop", section.header),
            ("voet", section.first_page_footer),
            ("voet", section.footer),
        ):
            if part.is_linked_to_previous:
                continue
            text = block_lines(part, part._element)
            if any(line.strip() for line in text):
                lines += ["", f"[{label}, sectie {number}]", *text]
    squeezed = []
    for line in lines:
        if line.strip() or (squeezed and squeezed[-1].strip()):
            squeezed.append(line if line.strip() else "")
    while squeezed and not squeezed[-1]:
        squeezed.pop()
    return squeezed


def rendered_texts() -> dict[str, str]:
    """File name -> the golden text of that letter as rendered now."""
    from debiteuren.letters.render import render_letters

    letters = golden_letters()
    with tempfile.TemporaryDirectory() as folder:
        rendered = render_letters(list(letters.values()), folder)
        return {name: "\n".join(docx_lines(result.docx)) + "\n" for name, result in zip(letters, rendered)}


def differences(texts: dict[str, str], folder: Path = GOLDEN_DIR) -> list[str]:
    """Names of golden files that differ from ``texts``, are missing, or are no longer made."""
    kept = {path.name for path in folder.glob("*.txt")} if folder.is_dir() else set()
    changed = [
        name for name, text in texts.items() if name not in kept or (folder / name).read_text(encoding="utf-8") != text
    ]
    return sorted(changed + [name for name in kept if name not in texts])


def write_goldens(texts: dict[str, str], folder: Path = GOLDEN_DIR) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for path in folder.glob("*.txt"):
        if path.name not in texts:
            path.unlink()
    for name, text in texts.items():
        (folder / name).write_text(text, encoding="utf-8", newline="\n")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bijwerken", action="store_true", help="write the golden files from the current code")
    args = parser.parse_args(argv)
    texts = rendered_texts()
    changed = differences(texts)
    if args.bijwerken:
        write_goldens(texts)
        print(f"{len(texts)} golden letters in {GOLDEN_DIR}; {len(changed)} changed: {', '.join(changed) or '-'}")
        return 0
    for name in changed:
        print(f"differs: {name}")
    return 1 if changed else 0


if __name__ == "__main__":
    sys.exit(main())
