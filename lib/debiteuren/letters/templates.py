"""Locating the Word templates and checking the fields they ask for.

A controller edits the templates in Word. A field she mistypes
(``{{ debiteur.naaam }}``) must stop the run with a message naming the
template and the field, not print an empty space in a letter to a debtor. So
every template is checked before it is filled: its top-level variables
(docxtpl's ``get_undeclared_template_variables``) against the data supplied,
and every dotted field (``debiteur.naam``, ``factuur.nummer`` inside a
``for`` over ``facturen``) against ``PLACEHOLDERS``, the one list of fields,
which ``LEESMIJ.md`` shows to the controller. Rendering uses
``StrictUndefined`` besides, so nothing can come out silently blank.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Iterable, Mapping

import jinja2
from docxtpl import DocxTemplate
from jinja2 import meta, nodes

from .. import resources
from ..errors import InvalidInput
from .context import KINDS

# The shipped templates: package data when installed, letter_templates/ in a checkout.
DEFAULT_TEMPLATES_DIR = resources.shipped_dir("letter_templates")
LANGUAGE_SUFFIX = {"nl": "", "en": "_en"}

# Every field a template may use: name -> description (a leaf), a nested
# mapping, or a one-element list describing the items of a list.
PLACEHOLDERS: dict[str, object] = {
    "bedrijf": {
        "naam": "bedrijfsnaam (Instellingen: Bedrijfsnaam)",
        "adres": "straat en huisnummer",
        "postcode": "postcode",
        "plaats": "plaats",
        "telefoon": "telefoonnummer",
        "email": "e-mailadres",
        "iban": "IBAN, voluit in groepen van vier (NL91 ABNA 0417 1643 00)",
        "bic": "BIC (mag leeg zijn)",
        "kvk": "KvK-nummer",
        "btw_nummer": "btw-nummer",
        "ondertekenaar": "naam van wie de brief ondertekent",
        "functie_ondertekenaar": "functie van de ondertekenaar",
        "incassobureau": "naam van het incassobureau (leeg ingesteld: 'een incassobureau')",
        "incassobureau_adres": "straat en huisnummer van het incassobureau (Instellingen: Adres incassobureau)",
        "incassobureau_postcode": "postcode van het incassobureau",
        "incassobureau_plaats": "plaats van het incassobureau",
    },
    "debiteur": {
        "nummer": "debiteurnummer",
        "naam": "naam van de debiteur",
        "contactpersoon": "contactpersoon (mag leeg zijn)",
        "adres": "straat en huisnummer",
        "postcode": "postcode",
        "plaats": "plaats",
        "land": "land; leeg bij Nederland",
        "soort": "zakelijk of consument",
        "aanhef": (
            "aanhef zonder komma: de kolom Aanhef van de debiteur ('Geachte mevrouw Groen'); is die leeg, "
            "dan 'Geachte <contactpersoon>', zonder contactpersoon bij een consument 'Geachte <naam>', "
            "bij een bedrijf 'Geachte heer, mevrouw'"
        ),
    },
    "brief": {
        "soort": "soort brief (Betalingsherinnering, Ingebrekestelling, ...)",
        "datum": "briefdatum, voluit (31 oktober 2026)",
        "betalen_voor": "uiterste betaaldatum, voluit",
        "termijn_dagen": "aantal dagen van briefdatum tot uiterste betaaldatum",
        "kenmerk": "betalingskenmerk (RF-kenmerk) in groepen van vier",
        "meerdere_stappen": "waar als de brief facturen in verschillende stappen noemt (één brief per debiteur per dag)",
        "eigen_facturen": "de facturen waarvoor deze brief zelf is (bij een veertiendagenbrief: die met incassokosten)",
        "andere_stappen": "de andere facturen in de brief met hun eigen stap ('factuur 2026-0590: herinnering')",
    },
    "facturen": [
        {
            "nummer": "factuurnummer",
            "factuurdatum": "factuurdatum (31-10-2026)",
            "vervaldatum": "vervaldatum",
            "bedrag": "factuurbedrag incl. btw (€ 1.234,56)",
            "openstaand": "openstaand bedrag",
            "dagen_over": "dagen na de vervaldatum",
            "stap": "de stap waarvoor de brief deze factuur noemt (herinnering, ingebrekestelling, ...)",
        }
    ],
    "bedragen": {
        "hoofdsom": "som van de openstaande bedragen",
        "rente": "rente tot en met de briefdatum",
        "incassokosten": "buitengerechtelijke incassokosten, zonder btw",
        "btw_incassokosten": "btw over de incassokosten (alleen als die van toepassing is)",
        "incassokosten_totaal": "incassokosten met btw",
        "totaal": "hoofdsom + rente + incassokosten met btw",
        "te_betalen": "wat deze brief nu vraagt te betalen (ook het bedrag in de betaal-QR)",
        "heeft_rente": "waar als er rente is (voor `{%p if bedragen.heeft_rente %}`)",
        "heeft_incassokosten": "waar als er incassokosten zijn",
        "heeft_btw_incassokosten": "waar als er btw over de incassokosten wordt gevraagd",
        "incassokosten_verschuldigd": (
            "incassokosten die op de briefdatum al verschuldigd zijn, met btw, vóór betalingen (ingebrekestelling "
            "aan een bedrijf: € 40 per factuur; bij fatale betaaltermijnen alle incassokosten)"
        ),
        "incassokosten_betaald": "wat betalingen al op de incassokosten voldeden (art. 6:44 BW)",
        "incassokosten_nu": "al verschuldigde incassokosten die nog openstaan (zitten in te_betalen)",
        "incassokosten_geheel": "alle incassokosten met btw, vóór wat betalingen erop voldeden",
        "heeft_incassokosten_verschuldigd": "waar als er op de briefdatum al incassokosten verschuldigd zijn",
        "heeft_incassokosten_betaald": "waar als betalingen al iets op de incassokosten voldeden",
        "heeft_incassokosten_nu": "waar als er al verschuldigde incassokosten openstaan",
        "in_verzuim": "waar als de debiteur op de briefdatum al in verzuim is (fatale betaaltermijnen)",
    },
    "rente": {
        "soort": "wettelijke handelsrente of wettelijke rente",
        "artikel": "wetsartikel (artikel 6:119a BW of artikel 6:119 BW)",
        "tot": "de rente is berekend tot en met deze datum (de briefdatum)",
    },
    "termijnen": [
        {
            "nummer": "termijn 1 tot en met 4",
            "vervaldatum": "uiterste betaaldatum van de termijn, voluit",
            "bedrag": "bedrag van de termijn",
        }
    ],
    "afspraak": {
        "datum": "toegezegde betaaldatum, voluit",
        "bedrag": "toegezegd bedrag",
    },
    "specificatie": {
        "renteperioden": [
            {
                "factuur": "factuurnummer waarop de periode betrekking heeft",
                "van": "eerste rentedag",
                "tot": "laatste rentedag (inbegrepen)",
                "dagen": "aantal dagen",
                "percentage": "rentepercentage per jaar",
                "grondslag": "bedrag waarover rente loopt",
                "rente": "rente over de periode",
            }
        ],
        "betalingen": [
            {
                "datum": "datum van de betaling",
                "factuur": "factuur waarop dit deel van de betaling is afgeboekt (art. 6:43 BW)",
                "bedrag": "deel van de betaling dat deze factuur bereikte",
                "naar_kosten": "deel naar de kosten",
                "naar_rente": "deel naar de rente",
                "naar_hoofdsom": "deel naar de hoofdsom",
            }
        ],
        "acties": [
            {
                "datum": "datum van de actie",
                "soort": "soort actie (Betalingsherinnering, Telefoongesprek, ...)",
                "omschrijving": "omschrijving",
            }
        ],
        "kostengrondslag": ["waarop de incassokosten rusten (of waarom er geen zijn), per regel"],
        "rentegrondslag": [
            "per factuur: hoofdsom, eerste rentedag en waarom (vervaldatum of verzuim door welke brief)"
        ],
        "verjaring": ["per factuur: verjaard of niet, en de dag waarop de vordering verjaart (art. 3:307 BW)"],
    },
    "bijlagen": ["bestandsnaam van een bijgevoegde kopie van een factuur"],
    "betaal_qr": "de betaal-QR, een afbeelding: zet `{{ betaal_qr }}` in een eigen alinea of tabelcel",
}


class TemplateProblem(InvalidInput):
    """A template that cannot be used; the message names the template and every problem."""

    def __init__(self, template: Path, problems: Iterable[str]):
        self.template = Path(template)
        self.problems = tuple(problems)
        lines = "\n".join(f"- {p}" for p in self.problems)
        super().__init__(
            f"Sjabloon '{self.template.name}' kan niet worden gebruikt:\n{lines}\n"
            f"De velden die een sjabloon mag gebruiken staan in letter_templates/LEESMIJ.md."
        )


class _Environment(jinja2.Environment):
    """Compiles each distinct source once: docxtpl hands over the same template XML for every letter."""

    def __init__(self, **options):
        super().__init__(**options)
        self._compiled: dict[str, jinja2.Template] = {}

    def from_string(self, source, globals=None, template_class=None):
        if globals is not None or template_class is not None or not isinstance(source, str):
            return super().from_string(source, globals, template_class)
        if source not in self._compiled:
            self._compiled[source] = super().from_string(source)
        return self._compiled[source]


def jinja_environment() -> jinja2.Environment:
    """The environment templates are parsed and filled with: autoescaping on, nothing silently blank."""
    return _Environment(autoescape=True, undefined=jinja2.StrictUndefined)


def templates_dir(directory: Path | str | None = None) -> Path:
    return Path(directory) if directory is not None else DEFAULT_TEMPLATES_DIR


def template_folders(directory: Path | str | None = None) -> tuple[Path, ...]:
    """Where templates are looked for, first match wins: ``directory`` alone when given, else the
    user's folder (``~/debiteuren/sjablonen``, see ``resources``) and then the shipped templates."""
    if directory is not None:
        return (Path(directory),)
    return resources.search_path("letter_templates")


def template_name(kind: str, language: str) -> str:
    return f"{kind}{LANGUAGE_SUFFIX[language]}.docx"


def template_path(kind: str, language: str, directory: Path | str | None = None) -> Path:
    """The template for a kind of letter, from the first of ``template_folders`` that has it; an
    English letter falls back to Dutch when no folder has its English template."""
    folders = template_folders(directory)
    names = [template_name(kind, language)] + ([template_name(kind, "nl")] if language != "nl" else [])
    for name in names:
        for folder in folders:
            if (folder / name).exists():
                return folder / name
    where = " of ".join(str(f) for f in folders)
    raise FileNotFoundError(f"Sjabloon '{names[-1]}' ontbreekt in {where}.")


def template_variables(path: Path | str) -> set[str]:
    """The top-level names a template uses (docxtpl's ``get_undeclared_template_variables``)."""
    return DocxTemplate(str(path)).get_undeclared_template_variables(jinja_environment())


def template_source(path: Path | str) -> str:
    """The Jinja source docxtpl fills: body, headers and footers, one paragraph per line."""
    template = DocxTemplate(str(path))
    template.init_docx()
    parts = [template.get_xml()]
    for uri in (template.HEADER_URI, template.FOOTER_URI):
        parts += [template.get_part_xml(part) for _, part in template.get_headers_footers(uri)]
    return jinja_source([template.patch_xml(xml) for xml in parts])


def jinja_source(patched_parts: Iterable[str]) -> str:
    """Parts cleaned by docxtpl's ``patch_xml`` as one Jinja source, one paragraph per line
    (so a syntax error names a line near its paragraph)."""
    return "".join(re.sub(r"<w:p([ >])", r"\n<w:p\1", xml) for xml in patched_parts)


def template_problems(
    path: Path | str, supplied: Iterable[str] | None = None, *, source: str | None = None
) -> list[str]:
    """Every problem with a template's fields, in Dutch; empty when it can be filled.

    ``supplied`` are the top-level names the caller will fill (default: all of
    ``PLACEHOLDERS``); ``source`` is the template's ``template_source`` when the
    caller has it already (the letters' ``PreparedTemplate``), which saves
    opening the .docx again.
    """
    supplied = set(PLACEHOLDERS if supplied is None else supplied)
    environment = jinja_environment()
    source = template_source(path) if source is None else source
    try:
        tree = environment.parse(source)
    except jinja2.TemplateSyntaxError as error:
        return [_syntax_problem(error, source)]
    # The same names as template_variables (docxtpl's check), from the tree parsed already.
    missing = meta.find_undeclared_variables(tree) - supplied - set(environment.globals)
    problems = [f"het veld '{name}' bestaat niet" for name in sorted(missing)]
    for written, known in _field_usage(tree, PLACEHOLDERS, environment)[1]:
        if written.split(".")[0] in missing:
            continue  # already named above
        hint = f" (bekend: {', '.join(known)})" if known else ""
        problems.append(f"het veld '{written}' bestaat niet{hint}")
    return problems


def check_template(path: Path | str, supplied: Iterable[str] | None = None, *, source: str | None = None) -> None:
    """Raise ``TemplateProblem`` unless every field the template asks for exists (``source``: as above)."""
    problems = template_problems(path, supplied, source=source)
    if problems:
        raise TemplateProblem(Path(path), problems)


def check_templates(directory: Path | str | None = None) -> list[str]:
    """Every problem of every template used, each naming its template (for `controleer`): those in
    ``directory``, or by default the user's own templates and the shipped ones they do not replace."""
    folders = template_folders(directory)
    messages = []
    for kind in KINDS:
        for language in LANGUAGE_SUFFIX:
            name = template_name(kind, language)
            path = next((f / name for f in folders if (f / name).exists()), None)
            if path is None:
                if language == "nl":
                    messages.append(f"Sjabloon '{name}' ontbreekt in {' of '.join(str(f) for f in folders)}.")
                continue
            messages += [f"Sjabloon '{path.name}': {p}." for p in template_problems(path)]
    return messages


def _syntax_problem(error: jinja2.TemplateSyntaxError, source: str) -> str:
    lines = source.splitlines()
    near = ""
    if error.lineno and 0 < error.lineno <= len(lines):
        near = re.sub(r"<[^>]+>", "", lines[error.lineno - 1]).strip()
    where = f" bij de tekst '{near}'" if near else ""
    return f"een opdracht tussen {{{{ }}}} of {{% %}} is onvolledig of fout{where} ({error.message})"


_ANY = object()  # a value whose fields are not checked (a text, a loop variable of unknown shape)


def _dotted(node: nodes.Node) -> tuple[str, list[str]] | None:
    """``debiteur.naam`` -> ("debiteur", ["naam"]); None for anything that is not a plain field path."""
    attrs = []
    while True:
        if isinstance(node, nodes.Getattr):
            attrs.append(node.attr)
            node = node.node
        elif isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const) and isinstance(node.arg.value, str):
            attrs.append(node.arg.value)
            node = node.node
        elif isinstance(node, nodes.Name):
            return node.name, attrs[::-1]
        else:
            return None


def _field_usage(
    tree: nodes.Template, schema: Mapping[str, object], environment: jinja2.Environment
) -> tuple[set[str], list[tuple[str, list[str]]]]:
    """The schema fields a template uses (``facturen[].nummer`` for a field of a list item), and
    (field as written, the known fields at that level) for every field the schema lacks."""
    assigned = {n.name for n in tree.find_all(nodes.Name) if n.ctx in ("store", "param")}
    used: set[str] = set()
    unknown: list[tuple[str, list[str]]] = []

    def shape_of(node: nodes.Node, scope: Mapping[str, tuple[object, str]]) -> tuple[object, str]:
        while isinstance(node, nodes.Filter) and node.node is not None:
            node = node.node
        dotted = _dotted(node)
        if dotted is None:
            return _ANY, ""
        root, attrs = dotted
        if root not in scope:
            if not (root in assigned or root in environment.globals or root == "loop"):
                unknown.append((".".join([root, *attrs]), []))
            return _ANY, ""
        shape, canonical = scope[root]
        for depth, attr in enumerate(attrs, start=1):
            if not isinstance(shape, Mapping):
                break  # a method of a text, an attribute of a list: not a field
            if attr not in shape:
                written = ".".join([root, *attrs[:depth]])
                prefix = ".".join([root, *attrs[: depth - 1]])
                unknown.append((written, [f"{prefix}.{key}" for key in shape]))
                return _ANY, ""
            shape, canonical = shape[attr], f"{canonical}.{attr}"
        if canonical:
            used.add(canonical)
        return shape, canonical

    def visit(node: nodes.Node, scope: Mapping[str, tuple[object, str]]) -> None:
        if isinstance(node, nodes.For):
            visit(node.iter, scope)
            items, canonical = shape_of(node.iter, scope)
            inner = dict(scope)
            if isinstance(node.target, nodes.Name) and isinstance(items, list):
                inner[node.target.name] = (items[0], f"{canonical}[]")
            else:  # unpacking, or a loop over something that is not a list of the schema
                inner.update((name.name, (_ANY, "")) for name in node.target.find_all(nodes.Name))
            for child in [*node.body, *([node.test] if node.test is not None else [])]:
                visit(child, inner)
            for child in node.else_:
                visit(child, scope)
            return
        if isinstance(node, (nodes.Getattr, nodes.Getitem, nodes.Name)) and _dotted(node) is not None:
            if not (isinstance(node, nodes.Name) and node.ctx != "load"):
                shape_of(node, scope)
            return
        for child in node.iter_child_nodes():
            visit(child, scope)

    visit(tree, {name: (shape, name) for name, shape in schema.items()})
    seen: set[str] = set()
    return used, [(w, k) for w, k in unknown if not (w in seen or seen.add(w))]


def template_fields(path: Path | str) -> list[str]:
    """The fields of ``PLACEHOLDERS`` a template uses, sorted (``facturen[].nummer`` for list items)."""
    environment = jinja_environment()
    used, _ = _field_usage(environment.parse(template_source(path)), PLACEHOLDERS, environment)
    return sorted(used)
