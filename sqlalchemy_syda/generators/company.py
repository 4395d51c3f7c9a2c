"""Organisations: company names, industries, departments, job titles.

Company names are :class:`~.formats.Formats` over the locale's surnames, its legal forms and
trade words, weighted the way a register reads (``Walker LLC``, ``Perry-Cook``, ``Richardson,
Perry and Cook``, ``Summit Logistics Group``; ``Becker Logistik GmbH``; ``Transports Martin
SARL``). A thousand surnames make about a billion distinct names, so UNIQUE company names stay
free of numbers far past a million rows (:meth:`CompanyName.capacity`). Industries and
departments are short curated lists, weighted the way real CRMs look::

    >>> CompanyName()
    company_name()
    >>> SampledFrom(INDUSTRIES, name="industry")
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .base import GenContext, Generator
from .formats import Formats

__all__ = ["DEPARTMENTS", "INDUSTRIES", "CompanyName", "IndustryOfCompany", "company_vocabulary"]

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


def _templates(vocab: CompanyVocabulary) -> tuple[tuple[str, int], ...]:
    j = vocab.joiner
    common = [
        ("{surnames} {company_suffixes}", 3),
        ("{surnames}-{surnames}", 3 if j == "and" else 1),
        (f"{{surnames}}, {{surnames}} {j} {{surnames}}", 2),
    ]
    if j == "and":
        return (*common,
                ("{surnames} {company_lines}", 2),
                ("{surnames} {company_lines} {company_suffixes}", 2),
                ("{company_prefixes} {company_lines}", 2),
                ("{company_prefixes} {company_lines} {company_suffixes}", 2),
                ("{surnames} & {surnames} {partner_suffixes}", 1))
    if vocab.lines_first:
        lined = [("{company_lines} {surnames}", 2), ("{company_lines} {surnames} {company_suffixes}", 3),
                 (f"{{company_lines}} {{surnames}} {j} {{surnames}}", 1)]
    else:
        lined = [("{surnames} {company_lines}", 2), ("{surnames} {company_lines} {company_suffixes}", 3),
                 ("{surnames}-{surnames} {company_lines}", 1)]
    return (*common, (f"{{surnames}} {j} {{surnames}} {{partner_suffixes}}", 3), *lined)


def _legal_forms(suffixes: tuple[str, ...]) -> tuple[str, ...]:
    """The suffixes that are legal forms, not family words (``& Zonen``, ``e figli``): they follow partners."""
    return tuple(s for s in suffixes if s[:1].isupper() and not s.startswith(("&", "and ")))


class CompanyName(Generator):
    """Company names of the locale; see the module docstring."""

    _repr = "company_name()"

    def __init__(self) -> None:
        self._formats: dict[str, Formats] = {}

    def formats(self, ctx: GenContext) -> Formats:
        """The locale's :class:`~.formats.Formats`."""
        locale = ctx.pools.locale
        if locale not in self._formats:
            vocab = company_vocabulary(locale)
            self._formats[locale] = Formats(_templates(vocab), "company_name", vocabulary={
                "company_suffixes": vocab.suffixes, "company_lines": vocab.lines,
                "company_prefixes": vocab.prefixes or ("Allied",),
                "partner_suffixes": vocab.partner_suffixes or _legal_forms(vocab.suffixes)})
        return self._formats[locale]

    def capacity(self, ctx: GenContext) -> int:
        """Distinct names before a number is appended (``"Perry-Cook 2"``)."""
        return self.formats(ctx).capacity(ctx)

    def domain(self, ctx: GenContext) -> int | None:
        return self.formats(ctx).domain(ctx)

    def at(self, ctx: GenContext, index: np.ndarray) -> np.ndarray:
        return self.formats(ctx).at(ctx, index)

    def generate(self, ctx: GenContext, rows: np.ndarray) -> np.ndarray:
        return self.formats(ctx).generate(ctx, rows)


_INDUSTRY_OF_LINE = {
    "Logistics": "Logistics", "Analytics": "Technology", "Systems": "Technology", "Solutions": "Consulting",
    "Consulting": "Consulting", "Technologies": "Technology", "Foods": "Food & Beverage", "Health": "Healthcare",
    "Energy": "Energy", "Media": "Media", "Capital": "Finance", "Engineering": "Manufacturing",
    "Labs": "Biotechnology", "Software": "Software", "Networks": "Telecommunications", "Construction": "Construction",
    "Realty": "Real Estate", "Motors": "Automotive", "Pharma": "Pharmaceuticals", "Financial": "Finance",
    "Insurance": "Insurance", "Security": "Technology", "Design": "Media", "Studios": "Entertainment",
    "Manufacturing": "Manufacturing", "Supply": "Logistics", "Distribution": "Logistics", "Marketing": "Media",
    "Dental": "Healthcare", "Medical": "Healthcare", "Outfitters": "Retail", "Bakery": "Food & Beverage",
    "Builders": "Construction", "Electric": "Utilities", "Plumbing": "Construction", "Robotics": "Technology",
    "Biotech": "Biotechnology", "Ventures": "Finance", "Imports": "Retail", "Textiles": "Manufacturing",
    "Printing": "Manufacturing", "Freight": "Transportation", "Aviation": "Aerospace", "Interiors": "Construction",
    "Landscaping": "Agriculture", "Brewing": "Food & Beverage", "Apparel": "Retail", "Advisors": "Consulting",
    "Digital": "Technology", "Data": "Technology",
    # the other locales' trade words
    "Logistik": "Logistics", "Bau": "Construction", "Technik": "Manufacturing", "Maschinenbau": "Manufacturing",
    "Elektrotechnik": "Manufacturing", "Immobilien": "Real Estate", "Handel": "Retail", "Medien": "Media",
    "Energie": "Energy", "Systeme": "Technology", "Metallbau": "Manufacturing", "Transporte": "Transportation",
    "Beratung": "Consulting", "Automation": "Manufacturing", "Druck": "Manufacturing", "Gastronomie": "Hospitality",
    "Reisen": "Hospitality", "Holzbau": "Construction", "Versicherungen": "Insurance", "Textil": "Manufacturing",
    "Conseil": "Consulting", "Logistique": "Logistics", "Immobilier": "Real Estate", "Informatique": "Technology",
    "Transports": "Transportation", "Bâtiment": "Construction", "Énergie": "Energy", "Médias": "Media",
    "Ingénierie": "Manufacturing", "Assurances": "Insurance", "Alimentaire": "Food & Beverage",
    "Boulangerie": "Food & Beverage", "Voyages": "Hospitality",
    "Construcciones": "Construction", "Transportes": "Transportation", "Inmobiliaria": "Real Estate",
    "Consultores": "Consulting", "Ingeniería": "Manufacturing", "Logística": "Logistics", "Tecnología": "Technology",
    "Alimentación": "Food & Beverage", "Seguros": "Insurance", "Energía": "Energy", "Hostelería": "Hospitality",
    "Viajes": "Hospitality", "Costruzioni": "Construction", "Trasporti": "Transportation",
    "Immobiliare": "Real Estate", "Consulenze": "Consulting", "Ingegneria": "Manufacturing", "Logistica": "Logistics",
    "Tecnologie": "Technology", "Alimentari": "Food & Beverage", "Assicurazioni": "Insurance", "Energia": "Energy",
    "Viaggi": "Hospitality", "Bouw": "Construction", "Transport": "Transportation", "Vastgoed": "Real Estate",
    "Advies": "Consulting", "Logistiek": "Logistics", "Techniek": "Manufacturing", "Makelaardij": "Real Estate",
    "Reizen": "Hospitality",
}


class IndustryOfCompany(Generator):
    """The industry a company's own name tells (``Walker Logistics LLC``: Logistics), drawn from ``fallback``
    for names without a trade word (``Perry-Cook``)."""

    row_coherence = True

    def __init__(self, name: str, fallback: Generator) -> None:
        self.name, self.fallback = name, fallback
        self.depends_on = (name,)
        self._repr = f"industry_of_company({name!r})"

    def generate(self, ctx: GenContext, rows: np.ndarray) -> np.ndarray:
        out = np.asarray(self.fallback.generate(ctx, rows), dtype=object).copy()
        names = ctx.columns.get(self.name)
        if names is None or len(names) != len(rows):
            return out
        known = _INDUSTRY_OF_LINE
        for i, name in enumerate(np.asarray(names, dtype=object).tolist()):
            if isinstance(name, str):
                for word in name.replace(",", " ").split():
                    if word in known:
                        out[i] = known[word]
                        break
        return out
