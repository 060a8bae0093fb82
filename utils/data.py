"""Teaching datasets and standardised train/validation/test splits.

Every loader returns a :class:`Split` whose scaling was fitted on the training rows only, so that no
information from the validation or test rows leaks into training. Files in ``data/`` are verified
against their SHA-256 before they are read (``data/README.md`` is their datasheet); nothing here ever
writes to ``data/``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from utils._validate import (
    check_array,
    check_bool,
    check_callable,
    check_choice,
    check_int,
    check_names,
    check_real,
    check_rng,
    check_same_length,
    check_str,
)
from utils.repro import get_seed

import numpy as np
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
"""The repository's ``data/`` folder."""

DATASETS: dict[str, dict[str, str]] = {
    "sparse_signals": {
        "file": "sparse_signals.csv",
        "sha256": "d72b673f408235969b50ab033d7b4ec94d02418e3c010bc6b9335cd70491c138",
        "truth": "sparse_signals_truth.csv",
        "truth_sha256": "8e43aafe35b68f86c1f616917dcf67228c1c8a908f901b2a507c3d71a4848352",
    },
    "correlated_groups": {
        "file": "correlated_groups.csv",
        "sha256": "6018c29d8661c7711f0610eca97ff290186d7068904cc5faa16ed7da80adbe34",
        "truth": "correlated_groups_truth.csv",
        "truth_sha256": "bc2f30045065beddc1f755cc229b32e5bcbae33cdfe725331cb0006f965a626c",
    },
    "noisy_cosine": {
        "file": "noisy_cosine.csv",
        "sha256": "1f0c07f89ac51f01e9e2d93c2b300163b07b21c0c688156d82c06883f1c78f42",
    },
}
"""The teaching datasets shipped in ``data/``, with the SHA-256 of each file."""

SCALINGS = ("standard", "unit", "none")

NOISE_SD_COSINE = 0.1
"""Standard deviation of the noise in ``data/noisy_cosine.csv``."""


@dataclass
class Split:
    """A dataset split into training, validation and test parts.

    Attributes
    ----------
    X_train, X_val, X_test : numpy.ndarray
        Feature matrices (float32 for Keras), scaled with statistics of the training rows only.
    y_train, y_val, y_test : numpy.ndarray
        Targets, one-dimensional.
    feature_names : list of str
        One name per column of ``X``.
    target_name : str
        What ``y`` is.
    scaler : StandardScaler or None
        The scaler fitted on the training rows (``None`` unless ``scaling="standard"``).
    truth : pandas.DataFrame or None
        The known ground truth for synthetic data (one row per feature), else ``None``.
    info : dict
        Anything else worth knowing (the seed used, the source).
    """

    X_train: np.ndarray
    X_val: np.ndarray
    X_test: np.ndarray
    y_train: np.ndarray
    y_val: np.ndarray
    y_test: np.ndarray
    feature_names: list[str]
    target_name: str
    scaler: StandardScaler | None = None
    truth: pd.DataFrame | None = None
    info: dict[str, Any] = field(default_factory=dict)

    @property
    def n_features(self) -> int:
        """Number of input features."""
        return self.X_train.shape[1]

    def sizes(self) -> dict[str, int]:
        """Rows in each part, e.g. ``{'train': 300, 'validation': 150, 'test': 150}``."""
        return {"train": len(self.y_train), "validation": len(self.y_val), "test": len(self.y_test)}

    def true_features(self) -> list[int]:
        """Column indices of the features that truly matter (synthetic data only).

        Raises
        ------
        ValueError
            If this split has no recorded ground truth.
        """
        if self.truth is None or "is_true" not in self.truth:
            raise ValueError("this split has no recorded ground truth; only the synthetic datasets in data/ do")
        truth = _check_truth(self.truth, self.n_features)  # a Split built by hand is checked here
        return [int(i) for i in np.flatnonzero(truth["is_true"].to_numpy().astype(bool))]


def sha256_of(path: str | Path) -> str:
    """Return the SHA-256 hex digest of a file.

    Parameters
    ----------
    path : str or pathlib.Path
        The file to hash.

    Returns
    -------
    str
        64 hexadecimal characters.
    """
    if not isinstance(path, str | Path):
        raise TypeError(f"path must be a str or pathlib.Path, got {type(path).__name__} {path!r}")
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"no file at {path}")
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _verified_path(filename: str, expected: str) -> Path:
    path = DATA_DIR / filename
    if not path.is_file():
        raise FileNotFoundError(
            f"data/{filename} is missing. Restore it with `git checkout -- data/{filename}`, "
            "or regenerate every teaching dataset with `python build_tools/make_datasets.py`."
        )
    actual = sha256_of(path)
    if actual != expected:
        raise ValueError(
            f"data/{filename} has been altered: its SHA-256 is {actual[:12]}..., expected {expected[:12]}... "
            f"(see data/README.md). Restore it with `git checkout -- data/{filename}`, or regenerate every "
            "teaching dataset with `python build_tools/make_datasets.py`."
        )
    return path


def verify_datasets() -> dict[str, str]:
    """Check every file in ``data/`` against its recorded SHA-256.

    Returns
    -------
    dict
        File name to ``"ok"`` or to a message saying what is wrong.
    """
    status: dict[str, str] = {}
    for entry in DATASETS.values():
        for key in ("file", "truth"):
            if key not in entry:
                continue
            filename, expected = entry[key], entry[f"{'' if key == 'file' else 'truth_'}sha256"]
            try:
                _verified_path(filename, expected)
                status[filename] = "ok"
            except (FileNotFoundError, ValueError) as exc:
                status[filename] = str(exc)
    return status


def read_dataset(name: str) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """Read a teaching dataset from ``data/`` after verifying its checksum.

    Parameters
    ----------
    name : str
        One of the keys of :data:`DATASETS`.

    Returns
    -------
    data : pandas.DataFrame
        The rows of the dataset.
    truth : pandas.DataFrame or None
        Its ground truth (one row per feature), where the dataset has one.

    Raises
    ------
    ValueError
        If ``name`` is unknown or a file has been altered.
    FileNotFoundError
        If a file is missing.
    """
    entry = DATASETS.get(name) if isinstance(name, str) else None
    if entry is None:
        raise ValueError(f"name must be one of {', '.join(map(repr, DATASETS))}; got {name!r}")
    frame = pd.read_csv(_verified_path(entry["file"], entry["sha256"]))
    truth = None
    if "truth" in entry:
        truth = pd.read_csv(_verified_path(entry["truth"], entry["truth_sha256"]))
    return frame, truth


def _check_truth(truth: Any, n_features: int) -> pd.DataFrame:
    """The ground-truth table checked: a DataFrame with one row per feature, whose ``is_true`` column (if any)
    holds booleans (or 0/1), not text such as "no" (which would count as true)."""
    if not isinstance(truth, pd.DataFrame):
        raise TypeError(f"truth must be a pandas DataFrame (one row per feature) or None, got {type(truth).__name__}")
    if len(truth) != n_features:
        raise ValueError(f"truth must have one row per feature of X ({n_features}), got {len(truth)} rows")
    if "is_true" in truth:
        flags = truth["is_true"]
        if flags.dtype != bool and not (flags.dtype.kind in "iuf" and flags.isin((0, 1)).all()):
            found = flags.unique()[:5].tolist()
            raise ValueError(f"truth['is_true'] must hold True or False (or 1 or 0) per feature, got values such as {found}")
    return truth


def make_split(
    X: Any,
    y: Any,
    *,
    n_train: int,
    n_val: int,
    n_test: int | None = None,
    stratify: bool = False,
    scaling: str = "standard",
    seed: int | None = None,
    feature_names: Sequence[str] | None = None,
    target_name: str = "y",
    truth: pd.DataFrame | None = None,
) -> Split:
    """Split ``X, y`` at random into training, validation and test parts and scale them.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
        Features; a DataFrame's column names become ``feature_names`` unless those are given.
    y : array-like of shape (n_samples,)
        Targets.
    n_train, n_val : int
        Rows for training and for validation (each at least 2).
    n_test : int, optional
        Rows for testing; default: all rows left over (may be 0).
    stratify : bool, default False
        Keep the class proportions of ``y`` in every part (classification).
    scaling : {"standard", "unit", "none"}, default "standard"
        ``"standard"``: subtract the training mean and divide by the training standard deviation;
        ``"unit"``: divide by the largest absolute training value (keeps zeros, e.g. image pixels);
        ``"none"``: leave as is.
    seed : int, optional
        Seed of the random split; default: the course seed.
    feature_names : sequence of str, optional
        Names of the columns; default: a DataFrame's column names, else ``x0, x1, ...``.
    target_name : str, default "y"
        Name of the target.
    truth : pandas.DataFrame, optional
        Ground truth to carry along (synthetic data): one row per feature of ``X``, in the same order; its
        column ``is_true``, if it has one, holds True or False (or 1 or 0) for each feature.

    Returns
    -------
    Split
    """
    if feature_names is None and isinstance(X, pd.DataFrame):
        feature_names = [str(column) for column in X.columns]
    X = check_array("X", X, ndim=2, min_rows=4, min_columns=1)
    y = check_array("y", y, ndim=1, min_rows=4)
    check_same_length(X=X, y=y)
    n_train = check_int("n_train", n_train, minimum=2, maximum=10**15)  # a bound: 10**5000 cannot even be printed
    n_val = check_int("n_val", n_val, minimum=2, maximum=10**15)
    left = len(y) - n_train - n_val
    if left < 0:
        raise ValueError(f"n_train + n_val = {n_train + n_val} is more than the {len(y)} rows available")
    n_test = left if n_test is None else check_int("n_test", n_test, minimum=0, maximum=10**15)
    if n_test > left:
        raise ValueError(
            f"n_test = {n_test} but only {left} rows are left after n_train = {n_train} and n_val = {n_val} "
            f"of the {len(y)} rows"
        )
    stratify = check_bool("stratify", stratify)
    check_choice("scaling", scaling, SCALINGS)
    seed = get_seed() if seed is None else check_int("seed", seed, minimum=0)
    if feature_names is None:
        feature_names = [f"x{i}" for i in range(X.shape[1])]
    feature_names = check_names("feature_names", feature_names, X.shape[1])
    target_name = check_str("target_name", target_name)
    if truth is not None:
        truth = _check_truth(truth, X.shape[1])
    if stratify and not np.all(np.equal(np.mod(y, 1), 0)):
        raise ValueError("stratify=True needs class labels in y (whole numbers); y holds other values, e.g. a regression target")

    largest = float(np.max(np.abs(X)))
    limit = {"standard": 1e150, "unit": np.inf, "none": float(np.finfo(np.float32).max)}[scaling]
    if largest > limit:
        raise ValueError(
            f"X is too large to scale and store as float32 (largest |X| is {largest:.3g}, at most {limit:.3g} "
            f"with scaling={scaling!r}): NaN or infinity would result; divide X by a constant first"
        )

    index = np.arange(len(y))
    strat = y if stratify else None
    try:
        train_idx, rest_idx = train_test_split(
            index, train_size=n_train, stratify=strat, random_state=seed % (2**32 - 1)
        )
        if n_val == len(rest_idx):  # nothing left for testing
            val_idx, rest2_idx = rest_idx, rest_idx[:0]
        else:
            val_idx, rest2_idx = train_test_split(
                rest_idx, train_size=n_val, stratify=y[rest_idx] if stratify else None,
                random_state=(seed + 1) % (2**32 - 1),
            )
    except ValueError as exc:  # the sizes are checked above: what is left is stratification failing
        if not stratify:
            raise
        raise ValueError(
            f"stratify=True cannot keep the class proportions of y with n_train={n_train}, n_val={n_val} "
            f"and {left} rows left over (each part needs at least one row of every class, and every class "
            f"at least two rows): {exc}"
        ) from None
    test_idx = rest2_idx[:n_test]

    X_train, X_val, X_test = X[train_idx], X[val_idx], X[test_idx]
    scaler = None
    if scaling == "standard":
        scaler = StandardScaler().fit(X_train)
        X_train, X_val = scaler.transform(X_train), scaler.transform(X_val)
        X_test = scaler.transform(X_test) if len(test_idx) else X_test
    elif scaling == "unit":
        top = float(np.max(np.abs(X_train))) or 1.0
        X_train, X_val, X_test = X_train / top, X_val / top, X_test / top

    def as32(a: np.ndarray) -> np.ndarray:
        with np.errstate(over="ignore"):
            return np.ascontiguousarray(a, dtype=np.float32)

    X_train, X_val, X_test = as32(X_train), as32(X_val), as32(X_test).reshape(len(test_idx), X.shape[1])
    if not all(np.all(np.isfinite(part)) for part in (X_train, X_val, X_test)):
        raise ValueError(
            f"X is too large to scale and store as float32 (largest |X| is {float(np.max(np.abs(X))):.3g}): "
            "NaN or infinity would result; divide X by a constant first"
        )

    return Split(
        X_train=X_train,
        X_val=X_val,
        X_test=X_test,
        y_train=y[train_idx],
        y_val=y[val_idx],
        y_test=y[test_idx],
        feature_names=feature_names,
        target_name=target_name,
        scaler=scaler,
        truth=truth,
        info={"seed": seed, "scaling": scaling},
    )


def load_diabetes_split(
    *, val_size: float = 0.2, test_size: float = 0.2, seed: int | None = None
) -> Split:
    """The bundled diabetes data (442 patients, 10 features, disease progression after one year),
    split and standardised on the training rows.

    Parameters
    ----------
    val_size, test_size : float, default 0.2
        Fractions of the rows for validation and test (each in (0, 0.5)).
    seed : int, optional
        Seed of the split; default: the course seed.

    Returns
    -------
    Split
        ``y`` is the raw disease-progression score (not scaled).
    """
    from sklearn.datasets import load_diabetes

    val_size = check_real("val_size", val_size, minimum=0, maximum=0.5, strict_minimum=True, strict_maximum=True)
    test_size = check_real("test_size", test_size, minimum=0, maximum=0.5, strict_minimum=True, strict_maximum=True)
    seed = None if seed is None else check_int("seed", seed, minimum=0)
    bunch = load_diabetes(scaled=False)
    n = len(bunch.target)
    n_val, n_test = round(val_size * n), round(test_size * n)
    for name, size, rows in (("val_size", val_size, n_val), ("test_size", test_size, n_test)):
        if rows < 2:
            raise ValueError(
                f"{name}={size:g} gives {rows} of the {n} rows; at least 2 are needed, so {name} must be >= {1.5 / n:.2g}"
            )
    split = make_split(
        bunch.data,
        bunch.target.astype(np.float64),
        n_train=n - n_val - n_test,
        n_val=n_val,
        n_test=n_test,
        seed=seed,
        feature_names=list(bunch.feature_names),
        target_name="disease progression",
    )
    split.info["source"] = "sklearn.datasets.load_diabetes (Efron et al. 2004)"
    return split


DIGITS_ROWS = 1797
"""Images in scikit-learn's bundled digits."""


def load_digits_split(*, n_train: int = 300, n_val: int = 500, seed: int | None = None) -> Split:
    """The bundled 8x8 handwritten digits (1,797 images, 10 classes), with a small training set so that
    an MLP overfits. Pixels are divided by 16 (their known maximum), so every part is on [0, 1].

    Parameters
    ----------
    n_train : int, default 300
        Training images.
    n_val : int, default 500
        Validation images; the rest are the test set.
    seed : int, optional
        Seed of the split; default: the course seed.

    Returns
    -------
    Split
    """
    from sklearn.datasets import load_digits

    n_train = check_int("n_train", n_train, minimum=10, maximum=1500)
    n_val = check_int("n_val", n_val, minimum=10, maximum=DIGITS_ROWS - 10)
    if n_train + n_val > DIGITS_ROWS:
        raise ValueError(
            f"n_train + n_val = {n_train} + {n_val} = {n_train + n_val} is more than the {DIGITS_ROWS} digits: "
            f"with n_train={n_train}, n_val can be at most {DIGITS_ROWS - n_train} (its default is 500)"
        )
    seed = None if seed is None else check_int("seed", seed, minimum=0)  # all checked before loading
    bunch = load_digits()
    split = make_split(
        bunch.data / 16.0,
        bunch.target.astype(np.int64),
        n_train=n_train,
        n_val=n_val,
        stratify=True,
        scaling="none",
        seed=seed,
        feature_names=[f"pixel_{r}_{c}" for r in range(8) for c in range(8)],
        target_name="digit",
    )
    split.info["source"] = "sklearn.datasets.load_digits (UCI optical recognition of handwritten digits)"
    return split


def load_sparse_signals(
    *, task: str = "regression", n_train: int = 300, n_val: int = 150, seed: int | None = None
) -> Split:
    """The high-dimensional teaching set: 600 rows, 500 features, of which only 10 matter.

    Parameters
    ----------
    task : {"regression", "classification"}, default "regression"
        Which recorded target to return: a linear response with noise, or a 0/1 label drawn from a
        logistic model of the same 10 features.
    n_train, n_val : int
        Rows for training and validation; the rest (at most 600 in all) are the test set.
    seed : int, optional
        Seed of the split; default: the course seed.

    Returns
    -------
    Split
        ``split.truth`` has one row per feature with its true coefficients and ``is_true``;
        ``split.true_features()`` lists the 10 that matter.
    """
    check_choice("task", task, ("regression", "classification"))
    n_train, n_val = check_int("n_train", n_train, minimum=2), check_int("n_val", n_val, minimum=2)
    seed = None if seed is None else check_int("seed", seed, minimum=0)  # checked before the file is read
    frame, truth = read_dataset("sparse_signals")
    features = [c for c in frame.columns if c.startswith("x")]
    target = "y_regression" if task == "regression" else "y_class"
    y = frame[target].to_numpy()
    split = make_split(
        frame[features].to_numpy(),
        y.astype(np.int64) if task == "classification" else y,
        n_train=n_train,
        n_val=n_val,
        stratify=task == "classification",
        seed=seed,
        feature_names=features,
        target_name=target,
        truth=truth,
    )
    split.info["source"] = "data/sparse_signals.csv (synthetic, build_tools/make_datasets.py)"
    return split


def load_correlated_groups(*, n_train: int = 150, n_val: int = 75, seed: int | None = None) -> Split:
    """The correlated-groups teaching set: 300 rows, 50 features in 5 groups of 6 strongly correlated
    features plus 20 independent ones; three groups drive the response.

    Parameters
    ----------
    n_train, n_val : int
        Rows for training and validation; the rest are the test set.
    seed : int, optional
        Seed of the split; default: the course seed.

    Returns
    -------
    Split
        ``split.truth`` has each feature's ``group`` (-1 for none), its true coefficient and ``is_true``.
    """
    n_train, n_val = check_int("n_train", n_train, minimum=2), check_int("n_val", n_val, minimum=2)
    seed = None if seed is None else check_int("seed", seed, minimum=0)  # checked before the file is read
    frame, truth = read_dataset("correlated_groups")
    features = [c for c in frame.columns if c.startswith("x")]
    split = make_split(
        frame[features].to_numpy(),
        frame["y"].to_numpy(),
        n_train=n_train,
        n_val=n_val,
        seed=seed,
        feature_names=features,
        target_name="y",
        truth=truth,
    )
    split.info["source"] = "data/correlated_groups.csv (synthetic, build_tools/make_datasets.py)"
    return split


def cosine_truth(x: Any) -> np.ndarray:
    """The true function of the 1-D teaching set: ``cos(1.5 * pi * x)``.

    Parameters
    ----------
    x : array-like
        Inputs (any shape), each at most 1e15 in size.

    Returns
    -------
    numpy.ndarray
    """
    x = check_array("x", x, min_rows=0)
    if x.size and np.max(np.abs(x)) > 1e15:  # 1.5 * pi * x would lose every digit of its phase, or overflow
        raise ValueError(f"x must be at most 1e15 in size (the cosine of larger values means nothing), got "
                         f"{float(np.max(np.abs(x))):.3g}")
    return np.cos(1.5 * np.pi * x)


def runge(x: Any) -> np.ndarray:
    """Runge's function ``1 / (1 + 25 x^2)``: smooth, yet hard for polynomials near the ends of [-1, 1].

    Parameters
    ----------
    x : array-like
        Inputs (any shape).

    Returns
    -------
    numpy.ndarray
    """
    x = check_array("x", x, min_rows=0)
    with np.errstate(over="ignore"):  # a huge x overflows x**2 to infinity, and the result is its limit, 0
        return 1.0 / (1.0 + 25.0 * x**2)


def load_noisy_cosine(*, n_train: int = 30, n_val: int = 100, seed: int | None = None) -> Split:
    """The 1-D teaching set: 300 points of ``cos(1.5 pi x) + N(0, 0.1^2)`` with ``x`` uniform on [0, 1].

    ``x`` is left unscaled (a polynomial model scales its own features in a pipeline).

    Parameters
    ----------
    n_train : int, default 30
        Training points (few, so that flexible models overfit).
    n_val : int, default 100
        Validation points; the rest are the test set.
    seed : int, optional
        Seed of the split; default: the course seed.

    Returns
    -------
    Split
        ``split.info["truth"]`` is :func:`cosine_truth` and ``split.info["noise_sd"]`` is 0.1.
    """
    n_train, n_val = check_int("n_train", n_train, minimum=2), check_int("n_val", n_val, minimum=2)
    seed = None if seed is None else check_int("seed", seed, minimum=0)  # checked before the file is read
    frame, _ = read_dataset("noisy_cosine")
    split = make_split(
        frame[["x"]].to_numpy(),
        frame["y"].to_numpy(),
        n_train=n_train,
        n_val=n_val,
        scaling="none",
        seed=seed,
        feature_names=["x"],
        target_name="y",
    )
    split.info.update(source="data/noisy_cosine.csv (synthetic)", truth=cosine_truth, noise_sd=NOISE_SD_COSINE)
    return split



def sample_function(
    truth: Callable[[np.ndarray], np.ndarray],
    x: Any,
    *,
    noise_sd: float,
    repeats: int = 1,
    rng: np.random.Generator | None = None,
) -> np.ndarray:
    """Draw fresh noisy targets ``truth(x) + N(0, noise_sd^2)`` at fixed inputs: the "many training sets
    from the same source" of the bias-variance decomposition.

    Parameters
    ----------
    truth : callable
        The true function, e.g. :func:`runge` or :func:`cosine_truth`.
    x : array-like of shape (n,)
        The fixed inputs.
    noise_sd : float
        Standard deviation of the noise (> 0, at most 1e6).
    repeats : int, default 1
        How many independent draws.
    rng : numpy.random.Generator, optional
        Source of randomness; default: one derived from the course seed.

    Returns
    -------
    numpy.ndarray of shape (n, repeats)
        One column per draw.
    """
    check_callable("truth", truth, of="x", example="utils.data.runge")
    x = check_array("x", x, ndim=1)
    noise_sd = check_real("noise_sd", noise_sd, minimum=0, maximum=MAX_NOISE_SD, strict_minimum=True)
    repeats = check_int("repeats", repeats, minimum=1, maximum=MAX_DRAWS // len(x))
    rng = check_rng("rng", rng)
    if rng is None:
        rng = np.random.default_rng(get_seed())
    return _truth_values(truth, x)[:, None] + rng.normal(0.0, noise_sd, size=(len(x), repeats))


MAX_NOISE_SD = 1e6
"""Largest noise standard deviation: squared errors of larger noise overflow to infinity."""

MAX_DRAWS = 50_000_000
"""At most this many noisy targets in one call (400 MB): a larger request is a typo, not a lesson."""


def _truth_values(truth: Callable[[np.ndarray], np.ndarray], x: np.ndarray) -> np.ndarray:
    """``truth(x)``, checked to be one finite value per input."""
    values = np.asarray(truth(x))
    if values.shape != x.shape:
        raise ValueError(f"truth(x) must return one value per input, shape {x.shape}; got shape {values.shape}")
    if not (np.issubdtype(values.dtype, np.number) and np.all(np.isfinite(values))):
        raise ValueError("truth(x) must return finite numbers; it returned NaN, infinity or non-numbers")
    return values
