"""Lesson 05's grouping claim over many course seeds, without executing the notebook (scikit-learn only, fast).

    python build_tools/grouping_claims_05.py --seeds $(seq 0 114)

For each course seed s the lesson fits LassoCV(cv=5, alphas=30) and ElasticNetCV(cv=5, l1_ratio=0.5, alphas=30)
on the six splits ``data.load_correlated_groups(seed=s + k)``, k = 0..5, and asserts (its "The claim, checked"):

1. for each true group, Elastic Net keeps more members than the lasso on average over the six splits;
2. in every split, Elastic Net keeps at least as many members of every true group as the lasso;
3. every non-zero Elastic Net coefficient of a true group has the group's sign;
4. summed over the six splits, Elastic Net keeps more of the 20 independent noise features than the lasso.

This script repeats exactly those fits (each split once, shared by the seeds whose six splits contain it) and
prints, per claim, the smallest margin over the seeds and the number of seeds where it fails.
"""

from __future__ import annotations

import argparse
import sys
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from utils import data

import numpy as np
from sklearn.linear_model import ElasticNetCV, LassoCV

SPLITS = 6


def split_counts(split_seed: int) -> tuple[np.ndarray, np.ndarray, int]:
    """Members kept per group (0-4, then independent) by the lasso and Elastic Net, and wrong signs, for one split."""
    split = data.load_correlated_groups(seed=split_seed)
    group = split.truth["group"].to_numpy()
    true_coef = split.truth["coef"].to_numpy()
    lasso = LassoCV(cv=5, alphas=30).fit(split.X_train, split.y_train).coef_
    enet = ElasticNetCV(cv=5, l1_ratio=0.5, alphas=30).fit(split.X_train, split.y_train).coef_
    count = [lambda c, g=g: int(np.count_nonzero(c[group == g])) for g in (0, 1, 2, 3, 4, -1)]
    wrong = 0
    for g in range(3):
        members = enet[group == g]
        wrong += int((np.sign(members[members != 0]) != np.sign(true_coef[group == g][0])).sum())
    return np.array([f(lasso) for f in count]), np.array([f(enet) for f in count]), wrong


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[*range(30), 42])
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    cache: dict[int, tuple[np.ndarray, np.ndarray, int]] = {}
    rows = []
    for seed in args.seeds:
        for key in range(seed, seed + SPLITS):
            if key not in cache:
                cache[key] = split_counts(key)
        parts = [cache[key] for key in range(seed, seed + SPLITS)]
        lasso = np.array([p[0] for p in parts])
        enet = np.array([p[1] for p in parts])
        wrong = sum(p[2] for p in parts)
        rows.append({
            "seed": seed,
            "mean_gain": float((enet[:, :3].mean(axis=0) - lasso[:, :3].mean(axis=0)).min()),
            "split_gain": int((enet[:, :3] - lasso[:, :3]).min()),
            "wrong_signs": wrong,
            "noise_lasso": int(lasso[:, -1].sum()),
            "noise_enet": int(enet[:, -1].sum()),
        })
    print(f"course seeds: {len(rows)} ({min(args.seeds)}..{max(args.seeds)}), {SPLITS} splits each")
    print("| claim | smallest margin | failing seeds |")
    print("|---|---|---|")
    print(f"| per true group, Elastic Net's mean kept > the lasso's | {min(r['mean_gain'] for r in rows):.2f} members "
          f"| {sum(r['mean_gain'] <= 0 for r in rows)} |")
    print(f"| every split and true group, Elastic Net kept >= the lasso | {min(r['split_gain'] for r in rows)} members "
          f"| {sum(r['split_gain'] < 0 for r in rows)} |")
    print(f"| no wrong sign among Elastic Net's true-group coefficients | max {max(r['wrong_signs'] for r in rows)} wrong "
          f"| {sum(r['wrong_signs'] > 0 for r in rows)} |")
    gaps = [(r["noise_enet"] - r["noise_lasso"], r["noise_lasso"]) for r in rows]
    smallest = min(gaps)
    print(f"| noise features summed over the splits, Elastic Net > the lasso | {smallest[0]} features "
          f"({smallest[0] / smallest[1]:.0%} of the lasso's {smallest[1]}) | {sum(g <= 0 for g, _ in gaps)} |")


if __name__ == "__main__":
    main()
