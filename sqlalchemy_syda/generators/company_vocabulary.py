"""The words companies are named with, per locale: legal forms, trade lines, prefixes; industries and departments.

Plain data with two lookups, so the pools (:mod:`.pools`) and the name generators (:mod:`.company`) can both
read it::

    >>> "GmbH" in company_vocabulary("de_DE").suffixes
    True
    >>> "LLC" in company_words("en_US")
    True
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["DEPARTMENTS", "INDUSTRIES", "CompanyVocabulary", "company_vocabulary", "company_words"]


INDUSTRIES = (
    "Technology", "Software", "Healthcare", "Finance", "Banking", "Insurance", "Retail", "E-commerce",
    "Manufacturing", "Education", "Real Estate", "Construction", "Energy", "Telecommunications",
    "Transportation", "Logistics", "Hospitality", "Media", "Entertainment", "Agriculture", "Automotive",
    "Pharmaceuticals", "Biotechnology", "Consulting", "Legal Services", "Government", "Non-profit",
    "Aerospace", "Food & Beverage", "Utilities",
)

DEPARTMENTS = (
    "Engineering", "Marketing", "Sales", "Finance", "Human Resources", "Operations", "Customer Support",
    "Product", "Legal", "Research and Development", "IT", "Procurement", "Quality Assurance", "Design",
    "Business Development", "Data Science", "Security", "Facilities", "Communications", "Administration",
)


@dataclass(frozen=True)
class CompanyVocabulary:
    """The words a locale's company names are made of."""

    suffixes: tuple[str, ...]
    """Legal forms and house words that end a name (``LLC``, ``GmbH & Co. KG``, ``et Fils``)."""
    lines: tuple[str, ...]
    """Trade words (``Logistics``, ``Logistik``, ``Transports``)."""
    joiner: str
    """The word that joins partners (``and``, ``&``, ``et``)."""
    lines_first: bool = False
    """Romance languages put the trade first: ``Transports Martin``."""
    prefixes: tuple[str, ...] = ()
    """Invented brand words (``Summit``, ``Northwind``) for names without a surname."""
    partner_suffixes: tuple[str, ...] = ()
    """Forms after two partners (``Walker & Perry LLP``)."""


_EN_LINES = (
    "Logistics", "Analytics", "Systems", "Solutions", "Consulting", "Technologies", "Foods", "Health", "Energy",
    "Media", "Capital", "Engineering", "Labs", "Software", "Networks", "Construction", "Realty", "Motors",
    "Pharma", "Financial", "Insurance", "Security", "Design", "Studios", "Manufacturing", "Supply",
    "Distribution", "Marketing", "Dental", "Medical", "Outfitters", "Bakery", "Builders", "Electric", "Plumbing",
    "Robotics", "Biotech", "Ventures", "Imports", "Textiles", "Printing", "Freight", "Aviation", "Interiors",
    "Landscaping", "Brewing", "Apparel", "Advisors", "Digital", "Data",
)
_EN_PREFIXES = (
    "Summit", "Northwind", "Bluewater", "Redwood", "Granite", "Pioneer", "Harbor", "Evergreen", "Silverline",
    "Ironbridge", "Lakeside", "Highland", "Brightpath", "Clearwater", "Stonegate", "Oakridge", "Riverbend",
    "Sunrise", "Keystone", "Westfield", "Eastgate", "Maplewood", "Cedar", "Falcon", "Beacon", "Meridian",
    "Pinnacle", "Horizon", "Crescent", "Atlas", "Orion", "Apex", "Vertex", "Nova", "Copperline", "Willow",
    "Juniper", "Aspen", "Cobalt", "Crimson", "Emerald", "Ivory", "Jade", "Onyx", "Sapphire", "Amber", "Coral",
    "Indigo", "Harvest", "Frontier", "Heritage", "Liberty", "Prairie", "Canyon", "Coastal", "Metro", "Urban",
    "Allied", "United", "Premier", "Prime", "Quantum", "Fusion", "Catalyst", "Synergy", "Momentum", "Elevate",
    "Swift", "Northstar", "Bluebird", "Greenleaf", "Trailhead", "Lighthouse", "Tidewater", "Foxglove",
    "Blackthorn", "Silverpine", "Goldcrest", "Starling", "Riverstone", "Windmill", "Ridgeline", "Brookside",
)
_VOCABULARIES = {
    "en_US": CompanyVocabulary(
        ("Inc", "LLC", "Group", "Ltd", "PLC", "and Sons", "& Co", "Partners", "Holdings"), _EN_LINES, "and",
        prefixes=_EN_PREFIXES, partner_suffixes=("LLP", "LLC", "Inc", "Associates")),
    "en_GB": CompanyVocabulary(
        ("Ltd", "PLC", "and Sons", "& Co", "Group", "Partners", "Holdings", "LLP"), _EN_LINES, "and",
        prefixes=_EN_PREFIXES, partner_suffixes=("LLP", "Ltd", "Associates")),
    "de_DE": CompanyVocabulary(
        ("GmbH", "AG", "KG", "GmbH & Co. KG", "OHG", "GbR", "SE", "e.K.", "AG & Co. KG"),
        ("Logistik", "Bau", "Consulting", "Technik", "Software", "Maschinenbau", "Elektrotechnik", "Immobilien",
         "Handel", "Medien", "Energie", "Systeme", "Metallbau", "Transporte", "Beratung", "Automation", "Pharma",
         "Druck", "Gastronomie", "Reisen", "Holzbau", "Sanitär", "Werkzeugbau", "Verpackungen", "Textil"),
        "&"),
    "fr_FR": CompanyVocabulary(
        ("SA", "SARL", "SAS", "et Fils", "Associés", "EURL"),
        ("Conseil", "Logistique", "Immobilier", "Informatique", "Transports", "Bâtiment", "Énergie", "Services",
         "Distribution", "Médias", "Ingénierie", "Assurances", "Alimentaire", "Technologies", "Design",
         "Menuiserie", "Boulangerie", "Électricité", "Plomberie", "Voyages"),
        "et", lines_first=True),
    "es_ES": CompanyVocabulary(
        ("S.A.", "S.L.", "S.L.U.", "S.Coop.", "e Hijos"),
        ("Construcciones", "Transportes", "Inmobiliaria", "Consultores", "Servicios", "Distribuciones",
         "Ingeniería", "Logística", "Tecnología", "Alimentación", "Seguros", "Comercial", "Energía", "Hostelería",
         "Industrias", "Muebles", "Talleres", "Viajes", "Gráficas", "Instalaciones"),
        "y", lines_first=True),
    "it_IT": CompanyVocabulary(
        ("S.p.A.", "S.r.l.", "e figli", "S.n.c.", "S.a.s."),
        ("Costruzioni", "Trasporti", "Immobiliare", "Consulenze", "Servizi", "Distribuzione", "Ingegneria",
         "Logistica", "Tecnologie", "Alimentari", "Assicurazioni", "Commerciale", "Energia", "Arredamenti",
         "Industrie", "Officine", "Viaggi", "Tipografia", "Impianti", "Ceramiche"),
        "e", lines_first=True),
    "nl_NL": CompanyVocabulary(
        ("B.V.", "N.V.", "Groep", "& Zonen", "V.O.F."),
        ("Bouw", "Transport", "Installatietechniek", "Vastgoed", "Advies", "Logistiek", "Techniek", "Handel",
         "Media", "Energie", "Software", "Schilders", "Groothandel", "Metaal", "Automatisering", "Makelaardij",
         "Hoveniers", "Drukkerij", "Reizen", "Verhuur"),
        "&"),
}


def company_vocabulary(locale: str) -> CompanyVocabulary:
    """The company words of ``locale`` (English for a locale without its own)."""
    return _VOCABULARIES.get(locale, _VOCABULARIES["en_US"])


def company_words(locale: str) -> set[str]:
    """Every word of the locale's company vocabulary: surnames equal to one are left out of names."""
    vocab = company_vocabulary(locale)
    words = {w for part in (vocab.suffixes, vocab.lines, vocab.prefixes, vocab.partner_suffixes) for s in part
             for w in s.split()}
    return words | {vocab.joiner}
