"""The demo's story: the company, who plays which role, their dossier entries and the Toelichting.

A monthly review at the demo's end finds what it should: large overdue debtors, a payer who is
slipping, a disputed invoice, a promise to pay, an arrangement, a bankrupt and a handed-over
debtor, and debtors at every step of the dunning policy.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

import numpy as np

from ..money import format_eur
from ..register.model import SETTINGS
from ..register.schema import MAX_INSTALMENTS, RESULT_SHEETS, SHEETS
from .days import OPEN, day_date, day_number, month_start, next_weekday, nl_date, previous_weekday
from .names import TRADES

if TYPE_CHECKING:
    from .generator import Generator

CALL_NOTES = (
    "Gebeld met crediteurenadministratie: betaling staat klaar voor de volgende betaalrun.",
    "Geen gehoor; voicemail ingesproken met verzoek om terug te bellen.",
    "Factuur was niet ontvangen; kopie per e-mail gestuurd, betaling toegezegd.",
    "Contactpersoon afwezig; collega zegt betaling deze week toe.",
    "Gebeld: factuur ligt ter goedkeuring bij de budgethouder.",
)

COMPANY_SETTINGS = {
    "company_name": "Voorbeeld Groothandel B.V.",
    "company_address": "Kanaalweg 14",
    "company_postcode": "3526 KL",
    "company_city": "Utrecht",
    "company_phone": "030-2345670",
    "company_email": "debiteuren@voorbeeldgroothandel.example",
    "iban": "NL91ABNA0417164300",
    "bic": "ABNANL2A",
    "kvk": "30287461",
    "vat_number": "NL863129456B01",
    "signatory": "Marleen Bosman",
    "signatory_title": "Hoofd financiële administratie",
    "collection_agency": "Incassobureau Vechtstroom B.V.",
    "collection_agency_address": "Zandweg 81",
    "collection_agency_postcode": "3454 HG",
    "collection_agency_city": "De Meern",
}
CREDIT_CONTROLLER = "Sanne Koster"  # sends reminders and makes the calls
SIGNATORY = COMPANY_SETTINGS["signatory"]  # signs notices and hands claims over

# Roles that describe a group of debtors rather than cast one in the story.
_GROUPS = ("large", "starters")

# Payment profiles.
PUNCTUAL, MODERATE, SLOW = 0, 1, 2


@dataclass
class Story:
    """A story debtor's invoices: random ones after ``replace_from`` make way for these."""

    replace_from: int | None = None  # day number
    # (invoice day, days beyond terms or OPEN, tag)
    invoices: list[tuple[int, int, str]] = field(default_factory=list)


def _pick(g: Generator, role: str, candidates: np.ndarray, k: int = 1) -> list[int]:
    """Draw ``k`` debtors for a role from candidates not yet cast."""
    taken = {d for role, ds in g.roles.items() if role not in _GROUPS for d in ds}
    free = np.array([c for c in candidates.tolist() if c not in taken], dtype=int)
    chosen = sorted(g.rng.choice(free, k, replace=False).tolist())
    g.roles[role] = chosen
    return chosen


def cast(g: Generator) -> None:
    """Give the story's roles to debtors and set what each role needs."""
    E = g.E
    veteran = g.since < day_number(g.start) - 365
    business = np.flatnonzero(~g.consumer & veteran & (g.size < 2))
    consumers = np.flatnonzero(g.consumer & veteran)
    large = np.flatnonzero(g.size == 2)
    g.roles["large"] = large.tolist()

    def story(role: str, pool: np.ndarray, replace_from: int | None, invoices) -> int:
        (d,) = _pick(g, role, pool)
        if not g.consumer[d]:
            g.term[d] = 30
        g.story[d] = Story(replace_from, [(E + off, dbt, tag) for off, dbt, tag in invoices])
        return d

    # A business that used to pay on time and is now 40-70 days late
    # (see Generator._days_beyond_terms); its invoices of the last ten weeks are all open.
    w = story(
        "worsening",
        np.flatnonzero(~g.consumer & veteran & (g.size == 1)),
        E - 75,
        [(off, OPEN, "") for off in (-70, -58, -45, -33, -20, -8)],
    )
    g.profile[w], g.rate[w] = PUNCTUAL, 2.6
    g.worsening_from = day_number(month_start(g.end, -4))
    # Two large organisations that pay slowly: large overdue amounts at the end.
    for d in _pick(g, "large_overdue", large, 2):
        g.profile[d], g.slow_centre[d], g.term[d], g.rate[d] = SLOW, 45.0, 30, 3.5
    for d in _pick(g, "english", business, 2):
        g.language[d], g.profile[d] = "en", PUNCTUAL
    gb, nl = g.roles["english"]
    g.country[gb] = "GB"
    g.trade[nl] = [t for t, _ in TRADES].index("Administratiekantoor")

    # A disputed invoice, otherwise a good payer.
    d = story("disputed", business, None, [(-50, OPEN, "disputed")])
    g.profile[d] = PUNCTUAL
    # Dunning steps at the review: each debtor's oldest open invoice is due for step N.
    story("step_1", business, E - 60, [(-42, OPEN, ""), (-8, OPEN, "")])
    story("step_2", business, E - 80, [(-69, OPEN, ""), (-25, OPEN, "")])
    story("step_3", business, E - 90, [(-75, OPEN, ""), (-40, OPEN, "")])
    story("step_3_consumer", consumers, E - 70, [(-59, OPEN, "")])
    story("step_4", business, E - 120, [(-105, OPEN, ""), (-90, OPEN, "")])
    # A promise to pay, recorded after a call.
    d = story("promise", business, E - 90, [(-80, OPEN, "promise"), (-66, OPEN, "promise"), (-10, OPEN, "")])
    g.segment[d] = "hoog"
    # An arrangement in three instalments after a 14-day letter.
    d = story("arrangement", consumers, E - 130, [(-118, OPEN, "arrangement")])
    g.notes[d] = "Betalingsregeling in 3 termijnen, zie blad Regelingen."
    # Bankrupt: deliveries stopped, invoices open, claim to be filed.
    d = story("bankrupt", business, E - 160, [(-150, OPEN, ""), (-136, OPEN, ""), (-122, OPEN, "")])
    g.status[d], g.stop[d] = "failliet", E - 122
    g.bankruptcy_day = int(next_weekday(E - 67))
    g.notes[d] = (
        f"Failliet verklaard op {nl_date(day_date(g.bankruptcy_day))} (rechtbank "
        "Midden-Nederland); curator mr. R. Hoekstra."
    )
    # Handed over to the collection agency.
    d = story("handed_over", business, E - 170, [(-160, OPEN, ""), (-146, OPEN, ""), (-132, OPEN, "")])
    g.status[d], g.stop[d] = "uit handen", E - 132
    g.handover_day = int(next_weekday(E - 50))
    g.notes[d] = (
        f"Vordering op {nl_date(day_date(g.handover_day))} uit handen gegeven aan "
        f"{COMPANY_SETTINGS['collection_agency']}."
    )
    # A reliable customer the controller marked low risk.
    (d,) = _pick(g, "low_risk", business)
    g.segment[d], g.profile[d] = "laag", PUNCTUAL
    for d in g.roles["large"]:
        g.notes[d] = g.notes[d] or "Factuur alleen met inkoopordernummer (PO) indienen."
    g.notes[g.roles["english"][0]] = "Correspondence in English."
    g.notes[g.roles["starters"][0]] = "Startende onderneming; eerste order vooruitbetaald."
    g.story_debtors = np.zeros(g.n, bool)
    in_story = [d for role, ds in g.roles.items() if role not in _GROUPS for d in ds]
    g.story_debtors[in_story] = True


def instalments(g: Generator) -> list[tuple[int, int, int]]:
    """(invoice row, due day, cents) of the arrangement: 3 instalments, the 15th of each month."""
    inv = g.inv
    rows = np.flatnonzero(inv["tag"].to_numpy() == "arrangement")
    total = int(inv["cents"].to_numpy()[rows].sum())
    share = total // 3
    amounts = [share, share, total - 2 * share]
    days = [day_number(month_start(g.end, k).replace(day=15)) for k in range(3)]
    return [(int(rows[0]), d, a) for d, a in zip(days, amounts)]


def story_actions(g: Generator) -> list[dict]:
    """The dossier entries of the story's debtors: the dispute, the promise, the arrangement, the bankruptcy, the hand-over."""
    inv, E = g.inv, g.E
    ids = inv["id"].to_numpy()
    tag = inv["tag"].to_numpy()
    debtor = inv["debtor"].to_numpy()
    cents = inv["cents"].to_numpy()

    def entry(day, d, kind, rows, text, by=CREDIT_CONTROLLER, promised=None, promised_day=None):
        return {
            "day": int(day),
            "debtor": int(d),
            "kind": kind,
            "id": ", ".join(ids[rows].tolist()),
            "text": text,
            "by": by,
            "promised_cents": promised,
            "promised_day": promised_day,
        }

    out = []
    (d,) = g.roles["disputed"]
    rows = np.flatnonzero(tag == "disputed")
    out.append(
        entry(
            next_weekday(inv["day"].to_numpy()[rows[0]] + 6),
            d,
            "Betwisting",
            rows,
            "Klant meldt per e-mail: deel van de partij beschadigd geleverd; "
            "factuur betwist tot de retour is afgehandeld.",
        )
    )
    (d,) = g.roles["promise"]
    rows = np.flatnonzero(tag == "promise")
    when = previous_weekday(E - 4)
    promised_day = int(next_weekday(E + 6))
    total = int(cents[rows].sum())
    out.append(
        entry(
            when,
            d,
            "Telefoongesprek",
            rows,
            "Gebeld met de directeur: liquiditeit krap door een late betaling van een grote klant.",
        )
    )
    out.append(
        entry(
            when,
            d,
            "Betalingsbelofte",
            rows,
            f"Toegezegd: beide facturen betaald op {nl_date(day_date(promised_day))}; een dag eerder bellen.",
            promised=total,
            promised_day=promised_day,
        )
    )
    (d,) = g.roles["arrangement"]
    rows = np.flatnonzero(tag == "arrangement")
    amounts = ", ".join(format_eur(a, cents=True) for _, _, a in g.instalments)
    out.append(
        entry(
            next_weekday(g.cutoff + 1),
            d,
            "Betalingsregeling",
            rows,
            f"Betalingsregeling in 3 termijnen ({amounts}) op de 15e van de maand; schriftelijk bevestigd.",
            by=SIGNATORY,
        )
    )
    (d,) = g.roles["bankrupt"]
    rows = np.flatnonzero((debtor == d) & (g.settled >= OPEN))
    out.append(
        entry(
            g.bankruptcy_day + 1,
            d,
            "Notitie",
            rows,
            "Faillissement uitgesproken; vordering nog indienen bij de curator.",
            by=SIGNATORY,
        )
    )
    (d,) = g.roles["handed_over"]
    rows = np.flatnonzero((debtor == d) & (g.settled >= OPEN))
    out.append(
        entry(
            g.handover_day,
            d,
            "Uit handen",
            rows,
            f"Vordering overgedragen aan {COMPANY_SETTINGS['collection_agency']} "
            "met specificatie en kopieën van de facturen.",
            by=SIGNATORY,
        )
    )
    return out


def analysis_settings() -> tuple[tuple[str, str], ...]:
    """The early warning's and the scorecard's settings at their defaults, so a controller sees them."""
    from ..payment_behaviour import WarningRule
    from ..segments import Scorecard

    return tuple(
        (name, setting_text(value)) for name, value in WarningRule.setting_defaults() + Scorecard.setting_defaults()
    )


def setting_text(value: object) -> str:
    """A setting's value as the controller types it in the Waarde column."""
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, tuple):
        return ",".join(str(v) for v in value)
    return str(value)


def empty_settings() -> tuple[tuple[str, str], ...]:
    """The empty register's settings: every one at its default."""
    return tuple((s.name, setting_text(s.default)) for s in SETTINGS) + analysis_settings()


def demo_settings() -> tuple[tuple[str, str], ...]:
    """The demo company's settings; what it does not fill in, at the default."""
    company = tuple((s.name, COMPANY_SETTINGS.get(s.field, setting_text(s.default))) for s in SETTINGS)
    return company + analysis_settings()


def explanation_rows(demo_end: date | None) -> list[tuple[str, str, str]]:
    """The Toelichting sheet, Dutch: rows of (style, column A, column B).

    Lines are short enough to need no wrapping, so every spreadsheet program
    shows them the same.
    """
    company = COMPANY_SETTINGS["company_name"]
    if demo_end is not None:
        intro = [
            f"Dit is een voorbeeldregister van de verzonnen {company}, bijgewerkt tot en met {nl_date(demo_end)}.",
            "Alle namen, adressen, nummers en bedragen zijn fictief.",
        ]
    else:
        intro = [
            "Dit is een leeg register. Vul eerst het blad Instellingen in,",
            "daarna Debiteuren, Facturen en Betalingen.",
        ]
    own = {
        "Debiteuren": [
            "Eén regel per klant: debiteurnummer, naam, soort (zakelijk of consument), adres,",
            "betaaltermijn in dagen, kredietlimiet, klant sinds, grootte, status en taal.",
        ],
        "Facturen": [
            "Eén regel per factuur, bedrag inclusief btw; een creditnota is een negatief bedrag.",
            "Lege vervaldatum: de factuurdatum plus de betaaltermijn van de debiteur.",
            "Betwist: ja (met de reden) of nee; leeg betekent nee.",
        ],
        "Betalingen": [
            "De ontvangen betalingen. Een betaling zonder factuurnummer gaat naar de oudste",
            "openstaande factuur van de debiteur.",
        ],
        "Acties": [
            "Het dossier: herinneringen, telefoongesprekken, toezeggingen, regelingen en overdrachten.",
            "Meerdere factuurnummers scheidt u met komma's.",
        ],
        "Regelingen": [f"Betalingsregelingen: één regel per termijn, ten hoogste {MAX_INSTALMENTS} termijnen."],
        "Aanmaanschema": ["De stappen van het aanmaanbeleid, met hun dagen en termijnen."],
        "Instellingen": ["De bedrijfsgegevens voor de brieven en de rekenregels."],
        "Rentetabel": [
            "Mag leeg blijven. Wettelijke rente en handelsrente in procenten (bijvoorbeeld 10,40)",
            "vanaf een ingangsdatum; vult de meegeleverde rentetabel aan of verbetert die.",
        ],
    }
    written = {
        "Ouderdom": "De openstaande posten per debiteur, naar dagen na de vervaldatum.",
        "Actielijst": "De voorgestelde aanmaanstappen, met reden en termijn.",
        "Kerncijfers": "DSO, CEI en andere kerncijfers; per review een regel, zodat u de ontwikkeling ziet.",
        "Prognose": "De verwachte ontvangsten per week.",
    }
    assert tuple(own) == tuple(SHEETS) and tuple(written) == RESULT_SHEETS
    rows = [("title", "Debiteurenregister: toelichting", ""), ("", "", "")]
    rows += [("", line, "") for line in intro]
    rows += [("", "", ""), ("head", "Bladen die u zelf bijhoudt", "")]
    rows += [("", name if i == 0 else "", line) for name, lines in own.items() for i, line in enumerate(lines)]
    rows += [("", "", ""), ("head", "Wat het programma schrijft", "")]
    rows += [("", name, line) for name, line in written.items()]
    rows += [
        ("", "", "Deze vier bladen schrijft het programma zelf bij elke review; wijzig ze niet."),
        ("", "Acties", "Het programma voegt alleen regels toe (bijvoorbeeld per verstuurde brief)"),
        ("", "", "en wijzigt of verwijdert nooit een regel."),
        ("", "", "Al het andere in dit bestand (bladen, opmaak, tabellen, formules) blijft zoals het is."),
        ("", "", ""),
        ("head", "Invullen", ""),
        ("", "", "Typ nieuwe regels direct onder de laatste regel van een tabel; de tabel groeit mee."),
        ("", "", "Datums als dd-mm-jjjj; bedragen in euro met twee decimalen."),
        ("", "", "Kies bij Soort, Status, Grootte, Taal, Segment, Betwist en Voor uit de keuzelijst."),
        ("", "", "Wijzig de kolomkoppen niet. Eigen kolommen toevoegen mag; het programma slaat ze over."),
    ]
    return rows
