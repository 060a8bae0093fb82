import shutil
import subprocess
import sys

from utils import data

import numpy as np
import pandas as pd
import pytest


def test_every_data_file_matches_its_checksum():
    assert set(data.verify_datasets().values()) == {"ok"}


def test_datasheet_records_every_checksum(root):
    sheet = (root / "data" / "README.md").read_text()
    for entry in data.DATASETS.values():
        for key in ("sha256", "truth_sha256"):
            if key in entry:
                assert entry[key] in sheet, f"data/README.md lacks the SHA-256 of {entry}"


def test_data_folder_is_small(root):
    size = sum(p.stat().st_size for p in (root / "data").rglob("*") if p.is_file())
    assert size < 20e6


def test_generator_script_rebuilds_identical_files(tmp_path, root):
    subprocess.run(
        [sys.executable, str(root / "build_tools" / "make_datasets.py"), "--out", str(tmp_path)],
        check=True, capture_output=True,
    )
    for entry in data.DATASETS.values():
        for key, digest in (("file", "sha256"), ("truth", "truth_sha256")):
            if key in entry:
                assert data.sha256_of(tmp_path / entry[key]) == entry[digest], entry[key]


@pytest.fixture
def private_data(tmp_path, monkeypatch, root):
    """A copy of data/ that tests may break without touching the real one."""
    copy = tmp_path / "data"
    shutil.copytree(root / "data", copy)
    monkeypatch.setattr(data, "DATA_DIR", copy)
    return copy


def test_missing_file_says_how_to_restore(private_data):
    (private_data / "noisy_cosine.csv").unlink()
    with pytest.raises(FileNotFoundError, match="missing.*git checkout"):
        data.load_noisy_cosine()
    assert "missing" in data.verify_datasets()["noisy_cosine.csv"]


def test_altered_file_is_refused(private_data):
    with (private_data / "correlated_groups.csv").open("a") as handle:
        handle.write("1\n")
    with pytest.raises(ValueError, match="altered"):
        data.load_correlated_groups()


def test_unknown_dataset_lists_the_known_ones():
    with pytest.raises(ValueError, match="sparse_signals"):
        data.read_dataset("iris")


def test_sparse_signals_split_and_truth():
    split = data.load_sparse_signals(task="classification")
    assert split.sizes() == {"train": 300, "validation": 150, "test": 150}
    assert split.n_features == 500
    assert len(split.true_features()) == 10
    assert set(np.unique(split.y_train)) == {0, 1}
    assert split.X_train.dtype == np.float32
    # scaled on the training rows only: training columns are standardised, validation ones only roughly
    assert np.allclose(split.X_train.mean(axis=0), 0, atol=1e-5)
    assert np.allclose(split.X_train.std(axis=0), 1, atol=1e-3)
    assert not np.allclose(split.X_val.mean(axis=0), 0, atol=1e-3)


def test_regression_truth_is_recorded():
    split = data.load_sparse_signals(task="regression", n_train=200, n_val=200)
    truth = split.truth
    assert truth["is_true"].sum() == 10
    assert (truth.loc[truth["is_true"], "coef_regression"].abs() >= 1).all()
    assert split.sizes()["test"] == 200


def test_splits_change_with_the_seed_and_repeat_with_it():
    a, b, c = (data.load_noisy_cosine(seed=s) for s in (1, 1, 2))
    assert np.array_equal(a.X_train, b.X_train)
    assert not np.array_equal(a.X_train, c.X_train)


def test_split_without_test_rows():
    X, y = np.arange(40.0).reshape(20, 2), np.arange(20.0)
    split = data.make_split(X, y, n_train=12, n_val=8, scaling="none")
    assert split.sizes() == {"train": 12, "validation": 8, "test": 0}
    assert split.X_test.shape == (0, 2)
    assert sorted(np.concatenate([split.y_train, split.y_val]).tolist()) == y.tolist()


def test_splits_follow_course_seed(monkeypatch):
    monkeypatch.setenv("COURSE_SEED", "5")
    assert data.load_diabetes_split().info["seed"] == 5


def test_diabetes_and_digits():
    diabetes = data.load_diabetes_split()
    assert diabetes.sizes() == {"train": 266, "validation": 88, "test": 88}
    assert diabetes.feature_names[2] == "bmi"
    digits = data.load_digits_split()
    assert digits.X_train.max() <= 1.0 and digits.X_train.min() >= 0.0
    assert len(np.unique(digits.y_train)) == 10
    with pytest.raises(ValueError, match="ground truth"):
        digits.true_features()


def test_correlated_groups_are_correlated():
    split = data.load_correlated_groups()
    group = split.truth["group"].to_numpy()
    first = split.X_train[:, group == 0]
    corr = np.corrcoef(first, rowvar=False)
    assert corr[np.triu_indices(6, 1)].min() > 0.8
    assert set(group) == {-1, 0, 1, 2, 3, 4}


def test_truth_functions_and_fresh_draws():
    x = np.linspace(-1, 1, 5)
    assert data.runge(np.array([0.0]))[0] == 1.0
    assert np.allclose(data.cosine_truth(np.array([0.0, 2 / 3])), [1.0, -1.0])
    draws = data.sample_function(data.runge, x, noise_sd=0.1, repeats=300, rng=np.random.default_rng(0))
    assert draws.shape == (5, 300)
    assert np.allclose(draws.mean(axis=1), data.runge(x), atol=0.03)


def test_cosine_file_follows_its_truth():
    frame, _ = data.read_dataset("noisy_cosine")
    assert np.allclose(frame["y_true"], data.cosine_truth(frame["x"].to_numpy()), atol=1e-4)  # x is stored rounded
    assert abs((frame["y"] - frame["y_true"]).std() - data.NOISE_SD_COSINE) < 0.02


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"n_train": 500, "n_val": 200}, ValueError, "more than"),
        ({"n_train": 1.5, "n_val": 10}, TypeError, "n_train"),
        ({"n_train": 10, "n_val": 10, "scaling": "minmax"}, ValueError, "standard"),
        ({"n_train": 10, "n_val": 10, "n_test": 500}, ValueError, "n_test"),
        ({"n_train": 10, "n_val": 10, "feature_names": ["a"]}, ValueError, "feature_names"),
    ],
)
def test_make_split_rejects_bad_arguments(kwargs, error, match):
    X, y = np.zeros((40, 3)), np.zeros(40)
    with pytest.raises(error, match=match):
        data.make_split(X, y, **kwargs)


@pytest.mark.parametrize(
    ("X", "y", "match"),
    [
        (np.zeros(40), np.zeros(40), "dimension"),
        (np.zeros((40, 2)), np.zeros(39), "same number of rows"),
        (np.full((40, 2), np.nan), np.zeros(40), "NaN"),
        ("table.csv", np.zeros(40), "array-like"),
        (pd.DataFrame({"a": ["x"] * 40}), np.zeros(40), "numbers"),
    ],
)
def test_make_split_rejects_bad_data(X, y, match):
    with pytest.raises((TypeError, ValueError), match=match):
        data.make_split(X, y, n_train=10, n_val=10)


def test_loaders_reject_bad_arguments():
    with pytest.raises(ValueError, match="regression"):
        data.load_sparse_signals(task="clustering")
    with pytest.raises(ValueError, match="val_size"):
        data.load_diabetes_split(val_size=0.7)
    with pytest.raises(ValueError, match="n_train"):
        data.load_digits_split(n_train=5)
    with pytest.raises(TypeError, match="truth"):
        data.sample_function("runge", np.zeros(3), noise_sd=0.1)
    with pytest.raises(ValueError, match="noise_sd"):
        data.sample_function(data.runge, np.zeros(3), noise_sd=0)


# Issue 14: misuse gives a clear message naming the parameter; a DataFrame gives the split of its array, with its
# column names kept.


def _xy(n: int = 40, p: int = 3):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(n, p))
    return X, (X[:, 0] > 0).astype(int)


def test_make_split_refuses_a_string_of_feature_names():
    X, y = _xy()
    with pytest.raises(TypeError, match="feature_names must be a sequence of names.*got str 'abc'"):
        data.make_split(X, y, n_train=20, n_val=10, feature_names="abc")


def test_make_split_refuses_a_string_as_stratify():
    X, y = _xy()
    with pytest.raises(TypeError, match="stratify must be True or False, got str 'no'"):
        data.make_split(X, y, n_train=20, n_val=10, stratify="no")


def test_make_split_stratify_needs_class_labels():
    X, _ = _xy()
    with pytest.raises(ValueError, match="stratify=True needs class labels"):
        data.make_split(X, X[:, 0], n_train=20, n_val=10, stratify=True)
    y = np.r_[np.zeros(39, dtype=int), 1]  # one row of class 1: it cannot be in every part
    with pytest.raises(ValueError, match="stratify=True cannot keep the class proportions"):
        data.make_split(X, y, n_train=20, n_val=10, stratify=True)


def test_make_split_keeps_a_dataframes_column_names():
    X, y = _xy()
    split = data.make_split(pd.DataFrame(X, columns=list("abc")), y, n_train=20, n_val=10)
    assert split.feature_names == ["a", "b", "c"]
    plain = data.make_split(X, y, n_train=20, n_val=10)
    np.testing.assert_array_equal(split.X_train, plain.X_train)  # same numbers as the array


def test_make_split_refuses_values_too_large_to_scale():
    X, y = _xy()
    with pytest.raises(ValueError, match="X is too large to scale"):
        data.make_split(X * 1e300, y, n_train=20, n_val=10)


@pytest.mark.parametrize("name", ["val_size", "test_size"])
def test_diabetes_sizes_too_small_for_two_rows_name_the_argument(name):
    with pytest.raises(ValueError, match=f"{name}=0.001 gives 0 of the 442 rows.*{name} must be >="):
        data.load_diabetes_split(**{name: 0.001})


def test_sample_function_checks_rng_and_truth():
    with pytest.raises(TypeError, match="rng must be a numpy.random.Generator"):
        data.sample_function(data.runge, np.zeros(3), noise_sd=0.1, rng="seed")
    with pytest.raises(ValueError, match="truth\\(x\\) must return one value per input"):
        data.sample_function(lambda x: 0.0, np.zeros(3), noise_sd=0.1)
    with pytest.raises(ValueError, match="repeats must be <="):
        data.sample_function(data.runge, np.zeros(3), noise_sd=0.1, repeats=10**9)
