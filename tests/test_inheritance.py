"""Several classes of one mapped hierarchy in one seed: each class gets its own rows and loads as itself.

Joined-table, single-table and mixed hierarchies, on SQLite and PostgreSQL, also when rows exist already.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from schemas import make_engine
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

from sqlalchemy_syda import generate, seed
from sqlalchemy_syda.exceptions import PlanError
from sqlalchemy_syda.inheritance import hierarchy_layout


class Base(DeclarativeBase):
    pass


class Staff(Base):
    """A member of staff."""

    __tablename__ = "staff_members"
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(80))
    team_lead: Mapped[str | None] = mapped_column(String(80))  # single-table column of Supervisor
    __mapper_args__ = {"polymorphic_on": "kind", "polymorphic_identity": "staff"}


class Supervisor(Staff):  # single-table: lives in staff_members
    __mapper_args__ = {"polymorphic_identity": "supervisor"}


class Developer(Staff):  # joined
    __tablename__ = "developers"
    id: Mapped[int] = mapped_column(ForeignKey("staff_members.id"), primary_key=True)
    language: Mapped[str] = mapped_column(String(40))
    __mapper_args__ = {"polymorphic_identity": "developer"}


class Architect(Developer):  # joined below a joined class
    __tablename__ = "architects"
    id: Mapped[int] = mapped_column(ForeignKey("developers.id"), primary_key=True)
    domain: Mapped[str] = mapped_column(String(40))
    __mapper_args__ = {"polymorphic_identity": "architect"}


class QualityEngineer(Staff):  # joined, a sibling of Developer
    __tablename__ = "testers"
    id: Mapped[int] = mapped_column(ForeignKey("staff_members.id"), primary_key=True)
    tool: Mapped[str] = mapped_column(String(40))
    __mapper_args__ = {"polymorphic_identity": "tester"}


COUNTS = {Staff: 6, Supervisor: 2, Developer: 5, Architect: 3, QualityEngineer: 4}


def test_the_layout_gives_each_table_its_rows_and_each_subclass_table_one_block():
    layout = hierarchy_layout(list(COUNTS.items()))
    assert layout.counts == {"staff_members": 20, "developers": 8, "architects": 3, "testers": 4}
    # pre-order: Architect's block sits inside Developer's, so developers' rows are one run of staff rows
    blocks = {table: card.a for (table, _), card in layout.cardinality.items()}
    assert blocks == {"developers": 6, "architects": 5, "testers": 14}  # staff 6, then developers (5 + 3)
    assert hierarchy_layout([(Developer, 3)]) is None  # one class: seed() adds its parent rows as before


def _loaded(engine) -> dict[str, list]:
    """Every row as the class the ORM loads it as, with its attributes read while the session is open."""
    with Session(engine) as s:
        out: dict[str, list] = {}
        for obj in s.scalars(sa.select(Staff).order_by(Staff.id)):
            attrs = {a: getattr(obj, a) for a in ("name", "language", "domain", "tool") if hasattr(obj, a)}
            out.setdefault(type(obj).__name__, []).append(type("Loaded", (), attrs))
        return out


@pytest.mark.parametrize("db", ["sqlite", "postgresql"])
def test_each_class_gets_its_own_rows_and_loads_as_itself(db, sqlite_url, request):
    url = sqlite_url if db == "sqlite" else request.getfixturevalue("pg_schema_url")
    engine = make_engine(url)
    Base.metadata.create_all(engine)
    result = seed(engine, COUNTS, seed=4)
    assert result.counts == {"staff_members": 20, "developers": 8, "architects": 3, "testers": 4}
    loaded = _loaded(engine)
    assert {k: len(v) for k, v in loaded.items()} == {"Staff": 6, "Supervisor": 2, "Developer": 5, "Architect": 3,
                                                      "QualityEngineer": 4}
    assert all(a.language and a.domain for a in loaded["Architect"])
    assert all(t.tool for t in loaded["QualityEngineer"]) and all(d.language for d in loaded["Developer"])
    with engine.connect() as conn:  # no subclass row without its own class in the base table
        stray = conn.execute(sa.text(
            "SELECT count(*) FROM developers d JOIN staff_members s ON s.id = d.id "
            "WHERE s.kind NOT IN ('developer', 'architect')")).scalar()
        stray += conn.execute(sa.text(
            "SELECT count(*) FROM testers t JOIN staff_members s ON s.id = t.id WHERE s.kind <> 'tester'")).scalar()
    assert stray == 0

    # a second seed appends: new blocks after the existing rows, still one class per row
    seed(engine, {Staff: 1, Developer: 2, QualityEngineer: 1}, seed=5)
    loaded = _loaded(engine)
    assert {k: len(v) for k, v in loaded.items()} == {"Staff": 7, "Supervisor": 2, "Developer": 7, "Architect": 3,
                                                      "QualityEngineer": 5}
    engine.dispose()


def test_subclasses_without_their_base_class_and_overrides_per_class(sqlite_url):
    engine = make_engine(sqlite_url)
    Base.metadata.create_all(engine)
    seed(engine, {Developer: 3, QualityEngineer: 2}, seed=1, overrides={QualityEngineer: {"tool": "pytest"}})
    loaded = _loaded(engine)
    assert {k: len(v) for k, v in loaded.items()} == {"Developer": 3, "QualityEngineer": 2}
    assert {t.tool for t in loaded["QualityEngineer"]} == {"pytest"}
    with pytest.raises(PlanError, match="give each class"):
        seed(engine, {Developer: None, QualityEngineer: 2})
    engine.dispose()


def test_generate_without_a_database_uses_the_same_blocks():
    frames = generate([Staff, Developer, Architect], {Staff: 3, Developer: 2, Architect: 1}, seed=1)
    staff, developers, architects = frames["staff_members"], frames["developers"], frames["architects"]
    assert staff.kind.tolist() == ["staff"] * 3 + ["developer"] * 2 + ["architect"]
    assert developers.id.tolist() == staff.id[3:].tolist()
    assert architects.id.tolist() == developers.id[2:].tolist()


def test_the_blocks_do_not_depend_on_the_chunk_size(sqlite_url):
    frames = generate([Staff, Developer, QualityEngineer], {Staff: 5, Developer: 4, QualityEngineer: 3}, seed=2)
    small = generate([Staff, Developer, QualityEngineer], {Staff: 5, Developer: 4, QualityEngineer: 3}, seed=2,
                     chunk_size=2)
    for name, frame in frames.items():
        assert frame.equals(small[name]), name
    engine = make_engine(sqlite_url)
    Base.metadata.create_all(engine)
    seed(engine, {Staff: 5, Developer: 4, QualityEngineer: 3}, seed=2, chunk_size=3)
    with engine.connect() as conn:
        kinds = [r[0] for r in conn.execute(sa.text("SELECT kind FROM staff_members ORDER BY id"))]
    assert kinds == frames["staff_members"].kind.tolist()
    engine.dispose()


def test_dict_schemas_and_other_models_keep_their_counts_next_to_a_hierarchy():
    """Regression: the layout step looked dict schemas up in the counts (unhashable) and dropped their counts."""
    records = {"id": "number", "name": "full_name"}
    assert len(generate([records], {"records": 3}, seed=1)["records"]) == 3
    frames = generate([records, Staff, Developer], {"records": 2, Staff: 2, Developer: 1}, seed=1)
    assert {name: len(f) for name, f in frames.items()} == {"records": 2, "staff_members": 3, "developers": 1}


# --- found in review -------------------------------------------------------------------------------------------

class Badge(Base):  # an ordinary child of the base table, next to the joined subclasses
    __tablename__ = "badges"
    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff_members.id"))
    label: Mapped[str] = mapped_column(String(40))


def test_reuse_with_another_child_of_the_base_table_keeps_each_subclass_on_its_block(sqlite_url):
    engine = make_engine(sqlite_url)
    Base.metadata.create_all(engine)
    seed(engine, {Staff: 6, Developer: 4, QualityEngineer: 3}, seed=1)
    seed(engine, {Staff: 6, Developer: 4, QualityEngineer: 3, Badge: 50}, seed=2, existing="reuse")
    loaded = _loaded(engine)
    assert {k: len(v) for k, v in loaded.items()} == {"Staff": 12, "Developer": 8, "QualityEngineer": 6}
    with engine.connect() as conn:
        wrong = conn.execute(sa.text("SELECT count(*) FROM developers d JOIN staff_members s ON s.id = d.id "
                                     "WHERE s.kind <> 'developer'")).scalar()
        old_badges = conn.execute(sa.text("SELECT count(*) FROM badges WHERE staff_id <= 13")).scalar()
    assert wrong == 0 and old_badges > 0  # badges also point at the staff rows that were there before
    engine.dispose()


def test_top_up_of_a_hierarchy_is_refused_with_what_to_do_instead(sqlite_url):
    engine = make_engine(sqlite_url)
    Base.metadata.create_all(engine)
    seed(engine, {Staff: 6, Developer: 4}, seed=1)
    with pytest.raises(PlanError, match="top-up.*existing='append'"):
        seed(engine, {Staff: 6, Developer: 6}, seed=2, existing="top-up")
    assert {k: len(v) for k, v in _loaded(engine).items()} == {"Staff": 6, "Developer": 4}
    engine.dispose()


def test_generate_takes_counts_by_table_name_rows_or_one_number():
    by_name = generate([Staff, Developer], {"staff_members": 6, "developers": 2}, seed=1)
    assert {k: len(v) for k, v in by_name.items()} == {"staff_members": 6, "developers": 2}
    each = generate([Staff, Developer], rows=5, seed=1)
    assert each["staff_members"].kind.tolist() == ["staff"] * 5 + ["developer"] * 5
    assert len(generate([Staff, Developer], 3, seed=1)["developers"]) == 3
