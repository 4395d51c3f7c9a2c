"""The seed document's API learning from data: ``generate_data(schema=..., sample_data=df)`` and ``from_data``."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import sqlalchemy as sa
from learn_data import load_dataset
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from sqlalchemy_syda import quality_report
from sqlalchemy_syda.exceptions import SchemaError
from sqlalchemy_syda.structured import SyntheticDataGenerator


class Base(DeclarativeBase):
    pass


class Penguin(Base):
    __tablename__ = "penguins"
    id: Mapped[int] = mapped_column(primary_key=True)
    species: Mapped[str] = mapped_column(sa.String(20))
    bill_length_mm: Mapped[float | None]
    flipper_length_mm: Mapped[float | None]
    body_mass_g: Mapped[float | None]
    keeper_email: Mapped[str] = mapped_column(sa.String(80))


class Customer(Base):
    __tablename__ = "customers"
    id: Mapped[int] = mapped_column(primary_key=True)
    tier: Mapped[str] = mapped_column(sa.String(10))


class Invoice(Base):
    __tablename__ = "invoices"
    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(sa.ForeignKey("customers.id"))
    total: Mapped[float]


@pytest.fixture(scope="module")
def penguins() -> pd.DataFrame:
    return load_dataset("penguins")


def test_from_data_without_a_schema_samples_the_datas_own_columns(penguins):
    """Test that ``from_data(df).generate_data()`` gives as many rows as learned, the data's columns and dtypes,
    a fidelity like ``learn(df).sample`` (overall >= 0.9 on penguins) and no copied row."""
    generator = SyntheticDataGenerator.from_data(penguins, llm=None, seed=1)
    synthetic = generator.generate_data()
    assert list(synthetic.columns) == list(penguins.columns) and len(synthetic) == len(penguins)
    assert synthetic["year"].dtype == penguins["year"].dtype
    assert generator.profile.table().rows == len(penguins)
    assert quality_report(penguins, synthetic).overall >= 0.9
    merged = synthetic.merge(penguins.dropna(), how="inner")
    assert len(merged) == 0
    assert len(generator.generate_data(sample_size=50)) == 50


def test_generate_data_fills_a_models_columns_from_sample_data(penguins):
    """Test that ``generate_data(schema=Model, sample_data=df)`` gives the model's columns: those the data has
    follow it (species, the bill/flipper correlation per species, the ranges), the rest (an e-mail) come from the
    schema path, and the key is the engine's."""
    rows = SyntheticDataGenerator(llm=None, seed=3).generate_data(schema=Penguin, sample_data=penguins,
                                                                  sample_size=1000)
    assert len(rows) == 1000 and set(rows.columns) == {c.name for c in Penguin.__table__.columns}
    assert rows["id"].is_unique
    assert set(rows["species"]) == set(penguins["species"])
    shares = rows["species"].value_counts(normalize=True)
    real_shares = penguins["species"].value_counts(normalize=True)
    assert (shares - real_shares).abs().max() < 0.06
    for species, group in penguins.groupby("species"):
        r_real = group["bill_length_mm"].corr(group["flipper_length_mm"])
        syn = rows[rows["species"] == species]
        assert abs(syn["bill_length_mm"].corr(syn["flipper_length_mm"]) - r_real) < 0.2
    lo, hi = penguins["body_mass_g"].min(), penguins["body_mass_g"].max()
    assert rows["body_mass_g"].dropna().between(lo, hi).all()
    assert rows["keeper_email"].str.fullmatch(r"[^@\s]+@[^@\s]+\.[a-z]+").all()


def test_generate_related_data_learns_the_children_per_parent(tmp_path):
    """Test that ``generate_related_data(models=..., sample_data={table: df})`` gives every table its learned row
    count and reproduces the learned children-per-parent histogram, zeros included, with valid foreign keys."""
    rng = np.random.default_rng(4)
    fanout = rng.choice([0, 2, 5], 120, p=[0.25, 0.5, 0.25])
    customers = pd.DataFrame({"id": np.arange(1, 121), "tier": rng.choice(["gold", "basic"], 120)})
    invoices = pd.DataFrame({"id": np.arange(1, fanout.sum() + 1),
                             "customer_id": np.repeat(np.arange(1, 121), fanout),
                             "total": rng.gamma(2.0, 40.0, fanout.sum())})
    generator = SyntheticDataGenerator(llm=None)
    frames = generator.generate_related_data(
        models=[Customer, Invoice], output_dir=tmp_path,
        sample_data={"customers": customers, "invoices": invoices})
    assert len(frames["Customer"]) == 120 and len(frames["Invoice"]) == int(fanout.sum())
    per_parent = frames["Invoice"]["customer_id"].value_counts().reindex(frames["Customer"]["id"], fill_value=0)
    assert sorted(per_parent.value_counts().items()) == sorted(pd.Series(fanout).value_counts().items())
    assert (tmp_path / "Invoice.csv").is_file()


def test_generate_data_needs_a_schema_or_data():
    """Test that generate_data() with neither a schema nor sample data says what to pass."""
    with pytest.raises(SchemaError, match="needs a schema: .*or give sample_data="):
        SyntheticDataGenerator(llm=None).generate_data()
