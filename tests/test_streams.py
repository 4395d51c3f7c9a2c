"""Counter-based streams and keyed permutations: the determinism everything else rests on."""

import subprocess
import sys

import numpy as np
import pytest

from sqlalchemy_syda.streams import KeyedPermutation, Stream, stable_key


def test_values_depend_only_on_row_number():
    s = Stream.root(7).child("t", "c")
    whole = s.integers(np.arange(1000), 0, 10**9)
    parts = np.concatenate([s.integers(np.arange(a, min(a + 37, 1000)), 0, 10**9) for a in range(0, 1000, 37)])
    assert (whole == parts).all()
    shuffled = np.random.default_rng(0).permutation(1000)
    assert (s.integers(shuffled, 0, 10**9) == whole[shuffled]).all()


def test_streams_are_independent_and_seeded():
    rows = np.arange(10_000)
    a = Stream.root(1).child("t", "a").uniform(rows)
    b = Stream.root(1).child("t", "b").uniform(rows)
    c = Stream.root(2).child("t", "a").uniform(rows)
    assert abs(np.corrcoef(a, b)[0, 1]) < 0.05
    assert not np.allclose(a, c)
    assert 0.0 <= a.min() and a.max() < 1.0
    assert abs(a.mean() - 0.5) < 0.02


def test_stable_key_is_the_same_in_another_process():
    code = "from sqlalchemy_syda.streams import stable_key; print(stable_key('syda', 'customers', 'email'))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert int(out) == stable_key("syda", "customers", "email")


def test_golden_values():
    s = Stream.root(42).child("table", "customers")
    assert s.integers(np.arange(3), 0, 1000).tolist() == Stream.root(42).child("table", "customers").integers(
        np.arange(3), 0, 1000).tolist()
    assert stable_key("syda", 0) == stable_key("syda", "0")  # names are text


@pytest.mark.parametrize("domain", [1, 2, 3, 10, 97, 1000, 4097, 1_000_003])
def test_permutation_is_a_bijection(domain):
    perm = KeyedPermutation(domain, Stream.root(3).child("p"))
    out = perm(np.arange(domain))
    assert sorted(out.tolist()) == list(range(domain))


def test_permutation_looks_random_and_is_keyed():
    rows = np.arange(10_000)
    a = KeyedPermutation(10_000, Stream.root(1))(rows)
    b = KeyedPermutation(10_000, Stream.root(2))(rows)
    assert (a != b).mean() > 0.99
    assert abs(np.corrcoef(rows, a)[0, 1]) < 0.05


def test_permutation_rejects_rows_outside_domain():
    with pytest.raises(ValueError, match="outside"):
        KeyedPermutation(10, Stream.root(0))(np.arange(11))


def test_integers_cover_the_range_uniformly():
    s = Stream.root(5)
    x = s.integers(np.arange(60_000), 3, 9)
    counts = np.bincount(x - 3)
    assert x.min() == 3 and x.max() == 8
    assert counts.min() > 9000
