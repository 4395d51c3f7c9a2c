"""New rows never repeat a UNIQUE value that rows already in the table hold (even foreign rows)."""

import sqlalchemy as sa

from examples.crm_models import Base, Contact, Customer
from sqlalchemy_syda import seed, table_spec
from sqlalchemy_syda.recipe_planner import TableInputs, table_recipe
from sqlalchemy_syda.run import recipe_rows


def _engine(url: str) -> sa.Engine:
    engine = sa.create_engine(url)
    if engine.dialect.name == "sqlite":
        sa.event.listen(engine, "connect", lambda c, _: c.execute("PRAGMA foreign_keys=ON"))
    return engine


def test_taken_values_are_drawn_again(pg_url, sqlite_url):
    for url in (pg_url, sqlite_url):
        engine = _engine(url)
        Base.metadata.create_all(engine)
        existing = 40
        # the e-mails syda *would* give the next 60 rows, already used by rows it did not write
        upcoming = recipe_rows(table_recipe(TableInputs(table_spec(Contact), 60, existing, 9)), 0, 60)["email"]
        with engine.begin() as conn:
            conn.execute(sa.insert(Customer), [{"id": 1, "name": "Foreign Inc"}])
            conn.execute(sa.insert(Contact), [
                {"id": 1 + i, "customer_id": 1, "first_name": "F", "last_name": "R",
                 "email": upcoming[i] if i < 30 else f"other{i}@example.org"} for i in range(existing)])
        seed(engine, {Contact: 60}, seed=9)
        with engine.connect() as conn:
            total, distinct = conn.execute(sa.text("SELECT count(*), count(DISTINCT email) FROM contacts")).one()
            new = conn.execute(sa.text("SELECT email FROM contacts WHERE id > 40")).scalars().all()
        assert (total, distinct) == (100, 100)
        assert len(new) == 60
        assert not set(new) & set(upcoming[:30].tolist())  # every stolen value was drawn again
        assert set(new) & set(upcoming[30:].tolist())      # the others kept their values
        engine.dispose()
