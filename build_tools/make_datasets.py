"""Generate the synthetic teaching datasets in data/ (run from the repository root).

    python build_tools/make_datasets.py            # write data/*.csv and print their SHA-256
    python build_tools/make_datasets.py --out DIR  # write elsewhere (the tests regenerate into a temp dir)

The draws use their own fixed seed (GENERATION_SEED), not COURSE_SEED: the files are part of the course
and stay the same; changing COURSE_SEED changes how lessons split and initialise, not the data.
Running it again writes byte-identical files. Record any change in data/README.md and utils/data.py.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pandas as pd

GENERATION_SEED = 20240611
FLOAT_FORMAT = "%.5f"


def _write(frame: pd.DataFrame, path: Path) -> None:
    frame.to_csv(path, index=False, float_format=FLOAT_FORMAT, lineterminator="\n")


def sparse_signals(rng: np.random.Generator) -> tuple[pd.DataFrame, pd.DataFrame]:
    """600 x 500 standard-normal features; 10 at random positions carry coefficients +-U(1, 2).

    y_regression = X @ beta + N(0, 1).
    y_class ~ Bernoulli(sigmoid(X @ beta_logit)), beta_logit = beta rescaled so that X @ beta_logit has
    standard deviation 4 (a clear but not perfect signal).
    """
    n, p, k = 600, 500, 10
    X = rng.standard_normal((n, p))
    true = np.sort(rng.choice(p, size=k, replace=False))
    beta = np.zeros(p)
    beta[true] = rng.choice([-1.0, 1.0], size=k) * rng.uniform(1.0, 2.0, size=k)
    signal = X @ beta
    y_reg = signal + rng.standard_normal(n)
    beta_logit = beta * (4.0 / signal.std())
    prob = 1.0 / (1.0 + np.exp(-(X @ beta_logit)))
    y_class = (rng.uniform(size=n) < prob).astype(int)
    names = [f"x{i:03d}" for i in range(p)]
    frame = pd.DataFrame(X, columns=names)
    frame["y_regression"] = y_reg
    frame["y_class"] = y_class
    truth = pd.DataFrame(
        {"feature": names, "coef_regression": beta, "coef_logit": beta_logit, "is_true": beta != 0}
    )
    return frame, truth


def correlated_groups(rng: np.random.Generator) -> tuple[pd.DataFrame, pd.DataFrame]:
    """300 rows; 5 groups of 6 features sharing a latent factor (x = z_g + 0.1 * noise, within-group
    correlation about 0.99, the setting of Zou & Hastie 2005) and 20 independent features. Groups 0, 1, 2
    drive y with total weights 3, -2, 1.5 spread evenly over their six features; y has N(0, 1) noise."""
    n, n_groups, size, n_free = 300, 5, 6, 20
    latent = rng.standard_normal((n, n_groups))
    grouped = np.repeat(latent, size, axis=1) + 0.1 * rng.standard_normal((n, n_groups * size))
    free = rng.standard_normal((n, n_free))
    X = np.hstack([grouped, free])
    group = np.concatenate([np.repeat(np.arange(n_groups), size), np.full(n_free, -1)])
    weights = {0: 3.0, 1: -2.0, 2: 1.5}
    coef = np.array([weights.get(int(g), 0.0) / size for g in group])
    y = X @ coef + rng.standard_normal(n)
    names = [f"x{i:02d}" for i in range(X.shape[1])]
    frame = pd.DataFrame(X, columns=names)
    frame["y"] = y
    truth = pd.DataFrame({"feature": names, "group": group, "coef": coef, "is_true": coef != 0})
    return frame, truth


def noisy_cosine(rng: np.random.Generator) -> pd.DataFrame:
    """300 points, x ~ U(0, 1), y = cos(1.5 pi x) + N(0, 0.1^2); y_true is the noiseless value."""
    n = 300
    x = rng.uniform(0.0, 1.0, size=n)
    y_true = np.cos(1.5 * np.pi * x)
    return pd.DataFrame({"x": x, "y": y_true + 0.1 * rng.standard_normal(n), "y_true": y_true})


def generate(out: Path) -> dict[str, Path]:
    """Write every teaching dataset into ``out`` and return the paths written."""
    out.mkdir(parents=True, exist_ok=True)
    written: dict[str, Path] = {}
    frame, truth = sparse_signals(np.random.default_rng([GENERATION_SEED, 1]))
    written["sparse_signals.csv"] = out / "sparse_signals.csv"
    written["sparse_signals_truth.csv"] = out / "sparse_signals_truth.csv"
    _write(frame, written["sparse_signals.csv"])
    _write(truth, written["sparse_signals_truth.csv"])
    frame, truth = correlated_groups(np.random.default_rng([GENERATION_SEED, 2]))
    written["correlated_groups.csv"] = out / "correlated_groups.csv"
    written["correlated_groups_truth.csv"] = out / "correlated_groups_truth.csv"
    _write(frame, written["correlated_groups.csv"])
    _write(truth, written["correlated_groups_truth.csv"])
    written["noisy_cosine.csv"] = out / "noisy_cosine.csv"
    _write(noisy_cosine(np.random.default_rng([GENERATION_SEED, 3])), written["noisy_cosine.csv"])
    return written


def main() -> None:
    import hashlib

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent.parent / "data")
    args = parser.parse_args()
    for name, path in generate(args.out).items():
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        print(f"{name:32s} {path.stat().st_size / 1e6:6.2f} MB  sha256 {digest}")


if __name__ == "__main__":
    main()
