"""The DCR share against fidelity on small tables: how far apart the two targets of issue 13 are.

Run from the repository root::

    .venv/bin/python -m bench.bench_dcr_frontier [--seeds 3] [--repeats 6] [--smoothing 0,1,1.5,2]

Two tables.

**The dial.** Our learner at several ``learn(smoothing=...)`` widths on penguins, wine, diabetes and
breast_cancer: overall (mean of ``--seeds`` seeds, learned and sampled at the real size) against the
fidelity target (the row bootstrap's overall minus 0.015), and the DCR share (8 random 50/50 splits of
2,000 synthetic rows, :func:`~sqlalchemy_syda.learn.report.holdout_dcr_shares`; the target is 0.55).
Wider kernels lower the share and the overall together.

**A known truth.** Is a DCR share of 0.55 reachable with that fidelity at all, at these sizes? Real data
cannot say (its population is unknown), so a population is made up: one Gaussian per class (means and
full covariance of the real rows of that class; the other categories drawn with their class's shares).
Data sets of the real size are drawn from it, ``--repeats`` times, split 50/50, and each generator
learns from the train half:

* ``truth`` -- rows drawn from the population itself (what a perfect learner would give);
* ``gaussian`` -- the population's own family (per-class Gaussian), fitted by maximum likelihood;
* ``diagonal`` -- the same without correlations;
* ``ours`` -- :func:`~sqlalchemy_syda.learn`.

For each: the DCR share, and the overall of the generator fitted on the whole data set against that data
set, next to the fidelity target computed the same way. If the population's own rows score below the
fidelity target, the target asks a learner to follow its sample more closely than the population does, and
following the sample is what puts synthetic rows closer to the train half.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "learn"))

from learn_data import load_dataset  # noqa: E402

from sqlalchemy_syda import learn  # noqa: E402
from sqlalchemy_syda.learn.report import fidelity, holdout_dcr_shares  # noqa: E402
from sqlalchemy_syda.learn.report.privacy import privacy  # noqa: E402

DATASETS = ["penguins", "wine", "diabetes", "breast_cancer"]
CLASS = {"penguins": "species", "wine": "target"}


class PerClassGaussian:
    """One multivariate normal per class over the numbers; the other categories by their class's shares."""

    def __init__(self, frame: pd.DataFrame, by: str, numbers: list[str], diagonal: bool = False) -> None:
        self.columns, self.by, self.numbers = list(frame.columns), by, numbers
        self.dtypes = frame.dtypes.to_dict()
        others = [c for c in frame.columns if c != by and c not in numbers]
        self.classes = []
        for value, part in frame.groupby(by):
            x = part[numbers].to_numpy(float)
            cov = np.cov(x.T) + 1e-9 * np.eye(len(numbers))
            self.classes.append((value, len(part) / len(frame), x.mean(0), np.diag(np.diag(cov)) if diagonal else cov,
                                 {c: part[c].value_counts(normalize=True) for c in others}))

    def sample(self, n: int, seed: int) -> pd.DataFrame:
        rng = np.random.default_rng(seed)
        which = rng.choice(len(self.classes), n, p=[c[1] for c in self.classes])
        parts = []
        for i, (value, _, mean, cov, shares) in enumerate(self.classes):
            m = int((which == i).sum())
            part = pd.DataFrame(rng.multivariate_normal(mean, cov, m), columns=self.numbers)
            part[self.by] = value
            for c, share in shares.items():
                part[c] = rng.choice(share.index.to_numpy(), m, p=share.to_numpy())
            parts.append(part)
        out = pd.concat(parts, ignore_index=True).sample(frac=1, random_state=seed).reset_index(drop=True)
        return out[self.columns].astype({c: t for c, t in self.dtypes.items() if c not in self.numbers})


def _halves(frame: pd.DataFrame, seed: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    order = np.random.default_rng(seed).permutation(len(frame))
    half = len(frame) // 2
    return (frame.iloc[np.sort(order[:half])].reset_index(drop=True),
            frame.iloc[np.sort(order[half:2 * half])].reset_index(drop=True))


def _bootstrap(frame: pd.DataFrame, seed: int) -> pd.DataFrame:
    return frame.sample(len(frame), replace=True, random_state=seed).reset_index(drop=True)


def dial(widths: list[float], seeds: int) -> None:
    print("| data | smoothing | overall | fidelity target | DCR share |\n| --- | --- | --- | --- | --- |")
    for name in DATASETS:
        real = load_dataset(name)
        target = np.mean([fidelity(real, _bootstrap(real, s))["overall"] for s in range(seeds)]) - 0.015
        for width in widths:
            overall = np.mean([fidelity(real, learn(real, smoothing=width).sample(len(real), seed=s))
                               ["overall"] for s in range(seeds)])
            share = np.mean(holdout_dcr_shares(real, smoothing=width))
            print(f"| {name} | {width:g} | {overall:.3f} | {target:.3f} | {share:.3f} |", flush=True)


def known_truth(name: str, repeats: int) -> None:
    real = load_dataset(name).dropna().reset_index(drop=True)
    by = CLASS[name]
    numbers = [c for c in real.columns if pd.api.types.is_float_dtype(real[c])]
    population = PerClassGaussian(real, by, numbers)
    makers = {
        "truth": lambda data, n, s: population.sample(n, 10_000 + s),
        "gaussian": lambda data, n, s: PerClassGaussian(data, by, numbers).sample(n, s),
        "diagonal": lambda data, n, s: PerClassGaussian(data, by, numbers, diagonal=True).sample(n, s),
        "ours": lambda data, n, s: learn(data).sample(n, seed=s),
    }
    shares: dict[str, list[float]] = {k: [] for k in makers}
    overall: dict[str, list[float]] = {k: [] for k in [*makers, "bootstrap"]}
    for rep in range(repeats):
        data = population.sample(len(real), 1_000 + rep)
        train, holdout = _halves(data, rep)
        for key, make in makers.items():
            shares[key].append(privacy(train, holdout, make(train, 2_000, rep), max_rows=2_000, seed=rep)["dcr_share"])
            overall[key].append(fidelity(data, make(data, len(data), rep))["overall"])
        overall["bootstrap"].append(fidelity(data, _bootstrap(data, rep))["overall"])
    target = np.mean(overall["bootstrap"]) - 0.015
    print(f"\n{name}: {repeats} data sets of {len(real)} rows drawn from a per-class Gaussian made from the real "
          f"one; fidelity target {target:.3f}, DCR target 0.55")
    print("| generator | DCR share (sd) | overall |\n| --- | --- | --- |")
    for key in makers:
        print(f"| {key} | {np.mean(shares[key]):.3f} ({np.std(shares[key]):.3f}) | {np.mean(overall[key]):.3f} |",
              flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--repeats", type=int, default=6)
    parser.add_argument("--smoothing", default="0,1,1.5,2", help="comma-separated learn(smoothing=) widths")
    args = parser.parse_args()
    dial([float(w) for w in args.smoothing.split(",")], args.seeds)
    for name in CLASS:
        known_truth(name, args.repeats)


if __name__ == "__main__":
    main()
