"""CSV / JSON / Parquet output of generated tables."""

import json

import pandas as pd
import pytest

from examples.crm_models import MODELS, Customer, Order
from sqlalchemy_syda import OutputError, generate, write_frame, write_frames


def test_csv_json_parquet_round_trip(tmp_path):
    df = generate(Customer, 50, seed=3)
    for ext in ("csv", "json", "parquet"):
        path = write_frame(df, tmp_path / f"customers.{ext}")
        assert path.exists()
        if ext == "csv":
            back = pd.read_csv(path)
        elif ext == "json":
            back = pd.DataFrame(json.loads(path.read_text()))
        else:
            back = pd.read_parquet(path)
        assert len(back) == 50
        assert back["name"].tolist() == df["name"].tolist()
        assert back["id"].tolist() == list(range(1, 51))


def test_write_frames_one_file_per_table(tmp_path):
    frames = generate(MODELS, {m: 20 for m in MODELS}, seed=1)
    paths = write_frames(frames, tmp_path / "out", fmt="csv")
    assert sorted(p.name for p in paths.values()) == sorted(f"{t}.csv" for t in frames)
    orders = pd.read_csv(paths[Order.__tablename__])
    customers = pd.read_csv(paths[Customer.__tablename__])
    assert set(orders.customer_id) <= set(customers.id)


@pytest.mark.parametrize("name", ["out.xlsx", "out", "out.txt"])
def test_bad_extension_is_a_clear_error(tmp_path, name):
    with pytest.raises(OutputError, match=r"\.csv, \.json, \.parquet"):
        write_frame(pd.DataFrame({"a": [1]}), tmp_path / name)


def test_bad_format_name(tmp_path):
    with pytest.raises(OutputError, match="Unknown output format"):
        write_frames({"t": pd.DataFrame({"a": [1]})}, tmp_path, fmt="xml")
