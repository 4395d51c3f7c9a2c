"""Organisations: company names, industries, departments, job titles.

Company names are :class:`~.formats.Formats` over the locale's surnames, its legal forms and
trade words, weighted the way a register reads (``Walker LLC``, ``Perry-Cook``, ``Richardson,
Perry and Cook``, ``Summit Logistics Group``; ``Becker Logistik GmbH``; ``Transports Martin
SARL``). A thousand surnames make about a billion distinct names, so UNIQUE company names stay
free of numbers far past a million rows (:meth:`CompanyName.capacity`). Industries and
departments are short curated lists, weighted the way real CRMs look::

    >>> CompanyName(), CompanyName().generate(ctx, np.arange(4)).tolist()
    (company_name(), ['Sullivan and Sons', 'Madden Design', 'Stephens Data', 'Benson & Oconnell LLP'])
    >>> CompanyName().capacity(ctx)
    1000000000
    >>> INDUSTRIES[:4], DEPARTMENTS[:4]
    (('Technology', 'Software', 'Healthcare', 'Finance'), ('Engineering', 'Marketing', 'Sales', 'Finance'))
"""

from __future__ import annotations

import numpy as np

from .base import GenContext, Generator
from .company_vocabulary import DEPARTMENTS, INDUSTRIES, CompanyVocabulary, company_vocabulary
from .formats import Formats

__all__ = ["DEPARTMENTS", "INDUSTRIES", "CompanyName", "IndustryOfCompany", "company_vocabulary"]

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
