"""Fictional Dutch names, places, trades and bank accounts for the demo's debtors."""

from __future__ import annotations

_FIRST_NAMES = (
    "Anna",
    "Sanne",
    "Lotte",
    "Emma",
    "Julia",
    "Sophie",
    "Lisa",
    "Eva",
    "Fleur",
    "Iris",
    "Noor",
    "Femke",
    "Marieke",
    "Inge",
    "Linda",
    "Petra",
    "Monique",
    "Esther",
    "Karin",
    "Ingrid",
    "Jan",
    "Pieter",
    "Kees",
    "Henk",
    "Willem",
    "Gerrit",
    "Thijs",
    "Daan",
    "Bram",
    "Ruben",
    "Joost",
    "Mark",
    "Erik",
    "Jeroen",
    "Bas",
    "Tom",
    "Sander",
    "Martijn",
    "Niels",
    "Rob",
    "Hans",
    "Wouter",
    "Koen",
    "Stefan",
    "Dennis",
    "Frank",
    "Yvonne",
    "Mirjam",
)
_SURNAMES = (
    "de Jong",
    "Jansen",
    "de Vries",
    "van den Berg",
    "van Dijk",
    "Bakker",
    "Janssen",
    "Visser",
    "Smit",
    "Meijer",
    "de Boer",
    "Mulder",
    "de Groot",
    "Bos",
    "Vos",
    "Peters",
    "Hendriks",
    "van Leeuwen",
    "Dekker",
    "Brouwer",
    "de Wit",
    "Dijkstra",
    "Smits",
    "de Graaf",
    "van der Meer",
    "van der Linden",
    "Kok",
    "Jacobs",
    "de Haan",
    "Vermeulen",
    "van den Heuvel",
    "van der Veen",
    "van den Broek",
    "de Bruijn",
    "van der Heijden",
    "Schouten",
    "van Beek",
    "Willems",
    "van Vliet",
    "van de Ven",
    "Hoekstra",
    "Maas",
    "Verhoeven",
    "van Dam",
    "van der Wal",
    "Prins",
    "Blom",
    "Huisman",
    "de Lange",
    "Kuipers",
    "van Wijk",
    "Post",
    "Veenstra",
    "Kramer",
    "van den Brink",
    "Scholten",
    "Postma",
    "Martens",
    "Vink",
    "de Ruiter",
    "Timmermans",
    "Groen",
    "Gerritsen",
    "Jonker",
    "van Loon",
    "Verbeek",
    "Boersma",
    "Wijnands",
    "Lammers",
    "Molenaar",
)
# (trade, what the wholesaler delivers to it)
TRADES = (
    ("Bouwbedrijf", "bouwmaterialen"),
    ("Installatiebedrijf", "installatiemateriaal"),
    ("Hoveniersbedrijf", "tuinartikelen"),
    ("Schildersbedrijf", "verf en toebehoren"),
    ("Restaurant", "horecabenodigdheden"),
    ("Hotel", "horecabenodigdheden"),
    ("Bakkerij", "verpakkingsmaterialen"),
    ("Kapsalon", "salonproducten"),
    ("Drukkerij", "papier en karton"),
    ("Transportbedrijf", "verpakkingsmaterialen"),
    ("Autobedrijf", "onderdelen en smeermiddelen"),
    ("Schoonmaakbedrijf", "schoonmaakmiddelen"),
    ("Administratiekantoor", "kantoorartikelen"),
    ("Tandartspraktijk", "praktijkbenodigdheden"),
    ("Fysiotherapiepraktijk", "praktijkbenodigdheden"),
    ("Kinderdagverblijf", "verzorgingsproducten"),
    ("Fietsenwinkel", "onderdelen"),
    ("Bloemenzaak", "verpakkingsmaterialen"),
    ("Timmerbedrijf", "hout en bevestigingsmaterialen"),
    ("Loodgietersbedrijf", "sanitair"),
    ("Elektrotechniek", "elektramateriaal"),
    ("Dakdekkersbedrijf", "dakbedekking"),
    ("Cateringbedrijf", "horecabenodigdheden"),
    ("Slagerij", "verpakkingsmaterialen"),
    ("Architectenbureau", "kantoorartikelen"),
    ("Evenementenbureau", "evenementenmateriaal"),
)
_LEGAL_FORMS = (" B.V.", " B.V.", "", " V.O.F.", " & Zn.")
LARGE_ORGANISATIONS = (
    ("Stichting Zorggroep Lindenhof", "praktijkbenodigdheden"),
    ("Woningcorporatie Het Baken", "bouwmaterialen"),
    ("ROC Noordoever", "kantoorartikelen"),
    ("Distributiecentrum Vlietland B.V.", "verpakkingsmaterialen"),
    ("Facilitair Bedrijf Randmeren B.V.", "schoonmaakmiddelen"),
    ("Hotelgroep De Drie Linden B.V.", "horecabenodigdheden"),
    ("Bouwcombinatie Eemkwartier V.O.F.", "bouwmaterialen"),
    ("Stichting Kinderopvang Zonnehoek", "verzorgingsproducten"),
)
_STREETS = (
    "Dorpsstraat",
    "Kerkstraat",
    "Stationsweg",
    "Molenweg",
    "Schoolstraat",
    "Julianalaan",
    "Beatrixlaan",
    "Wilhelminastraat",
    "Oranjelaan",
    "Hoofdstraat",
    "Lindelaan",
    "Eikenlaan",
    "Beukenlaan",
    "Rozenstraat",
    "Tulpstraat",
    "Parallelweg",
    "Marktplein",
)
_BUSINESS_STREETS = (
    "Industrieweg",
    "Nijverheidsweg",
    "Handelsweg",
    "Energieweg",
    "Ambachtsweg",
    "Edisonweg",
    "Transportweg",
    "Kanaalweg",
    "Celsiusstraat",
    "Vlasakker",
)
# (city, first and last postcode number, area code); the region around Utrecht weighs most.
_CITIES = (
    ("Utrecht", 3511, 3585, "030"),
    ("Utrecht", 3511, 3585, "030"),
    ("Nieuwegein", 3430, 3439, "030"),
    ("Houten", 3990, 3995, "030"),
    ("Zeist", 3700, 3709, "030"),
    ("Amersfoort", 3811, 3829, "033"),
    ("Woerden", 3440, 3449, "0348"),
    ("Veenendaal", 3900, 3906, "0318"),
    ("Amsterdam", 1011, 1109, "020"),
    ("Rotterdam", 3011, 3089, "010"),
    ("Den Haag", 2491, 2599, "070"),
    ("Eindhoven", 5611, 5658, "040"),
    ("Arnhem", 6811, 6846, "026"),
    ("Nijmegen", 6511, 6546, "024"),
    ("Zwolle", 8011, 8043, "038"),
    ("Apeldoorn", 7311, 7339, "055"),
    ("'s-Hertogenbosch", 5211, 5249, "073"),
    ("Breda", 4811, 4839, "076"),
    ("Haarlem", 2011, 2037, "023"),
    ("Leiden", 2311, 2334, "071"),
    ("Hilversum", 1211, 1223, "035"),
    ("Groningen", 9711, 9747, "050"),
)
_POSTCODE_LETTERS = "ABCDEGHJKLMNPRSTVWXZ"  # Dutch postcodes use no F, I, O, Q, U, Y
_BANKS = ("ABNA", "INGB", "RABO", "SNSB", "TRIO", "ASNB", "KNAB", "BUNQ")
CONSUMER_PRODUCTS = ("Bestelling webwinkel", "Levering aan huis", "Bestelling afhaalpunt")


def contact_details(rng, consumer, trade, country, large: list[int], english: list[int]) -> dict[str, list]:
    """Names, addresses and numbers: fictional, plausible, deterministic.

    ``consumer``, ``trade`` and ``country`` per debtor; ``large`` the debtors that get a large
    organisation's name, ``english`` the two English-speaking ones (the first in London).
    """
    n = len(consumer)
    first = rng.choice(_FIRST_NAMES, n)
    surname = rng.choice(_SURNAMES, n)
    contact_first = rng.choice(_FIRST_NAMES, n)
    contact_surname = rng.choice(_SURNAMES, n)
    form = rng.choice(_LEGAL_FORMS, n)
    city_index = rng.integers(0, len(_CITIES), n)
    postcode_number = rng.random(n)
    letters = rng.integers(0, len(_POSTCODE_LETTERS), (n, 2))
    street = rng.choice(_STREETS, n)
    business_street = rng.choice(_BUSINESS_STREETS, n)
    house = rng.integers(1, 240, n)
    phone_digits = rng.integers(0, 10, (n, 8))
    kvk = rng.integers(10000000, 99999999, n)
    bank = rng.choice(_BANKS, n)
    account = rng.integers(0, 10**10, n)
    large_names = dict(zip(large, LARGE_ORGANISATIONS))
    out: dict[str, list] = {
        k: [] for k in ("name", "contact", "address", "postcode", "city", "email", "phone", "kvk", "iban")
    }
    english_set = set(english)
    for i in range(n):
        city, lo, hi, area = _CITIES[city_index[i]]
        pc = lo + int(postcode_number[i] * (hi - lo + 1))
        pair = _POSTCODE_LETTERS[letters[i, 0]] + _POSTCODE_LETTERS[letters[i, 1]]
        if pair in ("SA", "SD", "SS"):
            pair = "SB"
        digits = "".join(map(str, phone_digits[i]))
        if consumer[i]:
            name = f"{first[i]} {surname[i]}"
            out["name"].append(name)
            out["contact"].append(None)
            out["address"].append(f"{street[i]} {house[i]}")
            out["email"].append(f"{first[i].lower()}.{_slug(surname[i])}@thuismail.example")
            out["phone"].append(f"06-{digits}")
            out["kvk"].append(None)
        else:
            if i in large_names:
                name = large_names[i][0]
            elif i in english_set:
                name = "Harbourside Trading Ltd" if country[i] == "GB" else "Northbridge Consulting B.V."
            else:
                name = f"{TRADES[trade[i]][0]} {_capitalised(surname[i])}{form[i]}"
            out["name"].append(name)
            out["contact"].append(f"{contact_first[i]} {contact_surname[i]}")
            out["address"].append(f"{business_street[i]} {house[i]}")
            mailbox = "accounts" if i in english_set else "administratie"
            out["email"].append(f"{mailbox}@{_slug(_without_legal_form(name))}.example")
            out["phone"].append(f"{area}-{digits[: 10 - len(area)]}")
            out["kvk"].append(str(kvk[i]))
        out["postcode"].append(f"{pc} {pair}")
        out["city"].append(city)
        out["iban"].append(_iban(bank[i], int(account[i])))
    gb = english[0]
    out["address"][gb], out["postcode"][gb], out["city"][gb] = "14 Wharf Road", "N1 7GR", "London"
    out["phone"][gb], out["kvk"][gb] = "+44 20 7946 0321", None
    out["iban"][gb] = None
    return out


def _capitalised(surname: str) -> str:
    """'van den Berg' as it is written without a first name: 'Van den Berg'."""
    return surname[0].upper() + surname[1:]


def _without_legal_form(name: str) -> str:
    for form in (" B.V.", " V.O.F.", " & Zn.", " Ltd"):
        name = name.removesuffix(form)
    return name


def _slug(text: str) -> str:
    return "".join(c for c in text.lower() if c.isalnum())


def _iban(bank: str, account: int) -> str:
    """A Dutch IBAN with valid check digits (ISO 13616 mod 97)."""
    bban = f"{bank}{account:010d}"
    digits = "".join(str(int(c, 36)) for c in bban + "NL00")
    return f"NL{98 - int(digits) % 97:02d}{bban}"
