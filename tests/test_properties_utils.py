"""Property-based tests of every public function and class of ``utils`` (issue 14): a bad argument gets a clear
error, never a crash, a hang or a silent acceptance.

For each function, Hypothesis replaces one argument of a valid call by a bad or edge-case value (a string,
``None``, NaN, infinity, a negative or astronomically large number such as ``10**400``, a complex number, a wrong
shape, a NumPy scalar, ...) and checks that the call either

- raises ``TypeError`` or ``ValueError`` whose message names the argument; or
- returns, and then: the value is not one the argument's ``Kind`` marks as certainly wrong (a string for a
  boolean or a list, a number out of bounds), the result holds only finite numbers when the input was finite,
  and a value that is only a different spelling of the valid one (``np.int64(3)`` for ``3``, a tuple or an
  array for a list) gives the *same* result as the valid call;

never another exception, never longer than the deadline (a hang fails the test).

What this suite does **not** check is whether a result is *right*: a conversion with a factor dropped still
returns finite numbers. That is the unit tests' job, which compare the functions the lessons stand on with the
library's own implementation or hand-computed values (``tests/test_penalties.py``, ``test_linear.py``,
``test_bias_variance.py``, ``test_batched_against_keras.py``, ...). At the end of this file, the cases a probe of
bad calls found (issue 19) are each pinned to the message or the result they now give.

The profile (tests/conftest.py) is derandomized, so CI sees the same examples every run; Keras calls use
tiny models and train for at most two epochs. ``exercises`` and ``checks`` are tested elsewhere.
"""

from __future__ import annotations

import math
import os
import signal
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from numbers import Integral, Real
from typing import Any

import pytest

pytest.importorskip("hypothesis")

from utils import (
    batched,
    data,
    environment,
    explorers,
    linear,
    measures,
    models,
    penalties,
    plots,
    progress,
    repro,
    training,
)
from utils import bias_variance as bv

import keras
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.linear_model import ElasticNet, Lasso, LassoCV, Ridge, SGDRegressor

TIMEOUT_SECONDS = 20  # a hang fails here; the profile's deadline catches merely slow calls

NAN, INF = float("nan"), float("inf")
# What a learner has at hand: each is wrong for most arguments and right for a few.
BAD_VALUES: list[Any] = [
    None, "", "abc", "no", "0.5", True, False, 0, -1, 1, 3, 10**12, -(10**12), 10**400, 0.5, -0.5, 1e300, 1e308, NAN,
    INF, -INF, 1 + 2j,
    np.int64(3), np.float32(0.5), np.bool_(True), [], [1, 2, 3], ["a"], (1,), {}, {"a": 1}, object(),
    np.array([]), np.zeros((2, 2)), np.full(3, NAN), np.array(["a", "b"]), np.array([1 + 2j]),
    pd.DataFrame({"a": [1.0, 2.0]}), lambda x: x, np.random.default_rng(0),
]

RNG = np.random.default_rng(0)
X = RNG.normal(size=(40, 3))
Y_REG = X @ np.array([1.0, -2.0, 0.0]) + 0.1 * RNG.normal(size=40)
Y_BIN = (X[:, 0] > 0).astype(int)
X_SMALL = X[:16].astype(np.float32)
Y_SMALL = Y_BIN[:16]


# ---------------------------------------------------------------- argument kinds ---------------------------------


@dataclass
class Kind:
    """What an argument accepts: ``invalid(v)`` is True for values that must be refused, ``same`` lists
    other spellings of the valid value that must give the same result, ``edges`` more values to try."""

    invalid: Callable[[Any], bool] = lambda v: False
    same: list[Any] = field(default_factory=list)
    edges: list[Any] = field(default_factory=list)


def _is_int(v: Any) -> bool:
    return isinstance(v, Integral) and not isinstance(v, bool | np.bool_)


def _is_real(v: Any) -> bool:
    return isinstance(v, Real) and not isinstance(v, bool | np.bool_)


def Int(base: int, lo: int | None = None, hi: int | None = None, *, optional: bool = False, big: bool = True) -> Kind:
    """A whole number in [lo, hi]; ``big``: 10**12 must be refused (a size bound)."""

    def invalid(v: Any) -> bool:
        if v is None:
            return not optional
        if not _is_int(v):
            return True
        return (lo is not None and v < lo) or (hi is not None and v > hi) or (big and v >= 10**12)

    edges = [e for e in {lo, hi, (lo or 0) - 1, (hi or 0) + 1} if e is not None]
    return Kind(invalid, [np.int64(base)], edges + [2.0, "3", np.int32(lo if lo is not None else base) - 1])


def Float(base: float, lo: float | None = None, hi: float | None = None, *, strict_lo: bool = False,
          strict_hi: bool = False, optional: bool = False) -> Kind:
    def invalid(v: Any) -> bool:
        if v is None:
            return not optional
        if not _is_real(v) or abs(v) > 1e308 or not math.isfinite(v):  # 10**400 is no float
            return True
        v = float(v)
        if lo is not None and (v <= lo if strict_lo else v < lo):
            return True
        return hi is not None and (v >= hi if strict_hi else v > hi)

    edges = [e for e in (lo, hi) if e is not None] + [np.nextafter(lo, -INF) if lo is not None else -1e-300]
    return Kind(invalid, [np.float64(base), np.float32(base)] if base == float(np.float32(base)) else [np.float64(base)],
                edges + [1e-300, -1e-300])


def Bool(base: bool) -> Kind:
    return Kind(lambda v: not isinstance(v, bool | np.bool_), [np.bool_(base)], ["yes", "False", 1, 0])


def Choice(*choices: str, optional: bool = False) -> Kind:
    return Kind(lambda v: not (v is None and optional) and (not isinstance(v, str) or v not in choices),
                [], [c.upper() for c in choices] + [c + " " for c in choices])


def Str(*, optional: bool = False) -> Kind:
    return Kind(lambda v: not (v is None and optional) and not isinstance(v, str), [], ["", "a b", "é"])


def Names(base: list[str], *, optional: bool = False) -> Kind:
    return Kind(lambda v: isinstance(v, str) or (v is None and not optional) or (v is not None and np.ndim(v) == 0
                                                                                and not isinstance(v, list | tuple)),
                [tuple(base), np.array(base), pd.Index(base)], ["".join(base), base[:-1], [*base, "extra"], [1] * len(base)])


def IntSeq(base: list[int], *, empty_ok: bool = False) -> Kind:
    return Kind(lambda v: isinstance(v, str | Mapping) or v is None or (np.ndim(v) == 0 and not isinstance(v, list | tuple))
                or (not empty_ok and isinstance(v, list | tuple) and not v),
                [tuple(base), np.array(base), [np.int64(b) for b in base]],
                [str(base[0]), base[0], [0], [-1], [10**12], [1.5], [np.nan], [[1, 2]]])


RNG_KIND = Kind(lambda v: v is not None and not isinstance(v, np.random.Generator), [],
                ["seed", 0, np.random.RandomState(0), np.random.default_rng])


def Array(*edges: Any) -> Kind:
    """Any array-like: edges are extra shapes and contents to try; NaN and infinity must be refused."""
    return Kind(lambda v: _has_nonfinite(v), [], list(edges))


def _has_nonfinite(v: Any) -> bool:
    if isinstance(v, Mapping):
        return any(_has_nonfinite(item) for item in v.values())
    try:
        array = np.asarray(v, dtype=float)
    except OverflowError:  # an int such as 10**400: no finite float
        return True
    except (TypeError, ValueError):
        return False
    return array.size > 0 and not np.all(np.isfinite(array))


ANY = Kind()


def arrays_like(shape: tuple[int, ...], *, low: float = -1e6, high: float = 1e6) -> st.SearchStrategy[np.ndarray]:
    """Finite float arrays of a valid shape (content varies), and arrays of other shapes or with NaN."""
    from hypothesis.extra import numpy as hnp

    good = hnp.arrays(np.float64, shape, elements=st.floats(low, high, allow_nan=False, allow_subnormal=False))
    odd = hnp.arrays(np.float64, hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=5),
                     elements=st.sampled_from([0.0, 1.0, -2.5, NAN, INF]))
    return st.one_of(good, odd)


# ---------------------------------------------------------------- the property ----------------------------------


@dataclass
class Spec:
    """One public callable: a valid call and, per argument, what it accepts."""

    name: str
    call: Callable[..., Any]
    valid: Callable[[], dict[str, Any]]
    kinds: dict[str, Kind]
    aliases: dict[str, tuple[str, ...]] = field(default_factory=dict)
    arrays: dict[str, st.SearchStrategy[Any]] = field(default_factory=dict)
    finite: bool = True  # the result must hold no NaN or infinity (some tables use NaN for "never")
    compare: bool = True  # other spellings of a valid value must give an equal result
    examples: int | None = None
    extra_errors: tuple[type[BaseException], ...] = ()


def _timeout(*_: Any) -> None:
    raise TimeoutError(f"still running after {TIMEOUT_SECONDS} s: a hang")


def _run(call: Callable[..., Any], kwargs: dict[str, Any]) -> Any:
    previous = signal.signal(signal.SIGALRM, _timeout)
    signal.setitimer(signal.ITIMER_REAL, TIMEOUT_SECONDS)
    try:
        return call(**kwargs)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        plt.close("all")


def _numbers(result: Any) -> list[np.ndarray]:
    """Every numeric array inside a result, to check for NaN and infinity."""
    if isinstance(result, bool | np.bool_ | str | None) or isinstance(result, plt.Axes | keras.Model):
        return []
    if isinstance(result, Real):
        return [np.asarray(float(result))]
    if isinstance(result, np.ndarray):
        return [result] if result.dtype.kind in "fiu" else []
    if isinstance(result, pd.DataFrame):
        return [result.select_dtypes("number").to_numpy(dtype=float)]
    if isinstance(result, pd.Series):
        return [result.to_numpy(dtype=float)] if result.dtype.kind in "fiu" else []
    if isinstance(result, data.Split):
        return [result.X_train, result.X_val, result.X_test, result.y_train, result.y_val, result.y_test]
    if isinstance(result, Mapping):
        return [a for v in result.values() for a in _numbers(v)]
    if isinstance(result, list | tuple):
        return [a for v in result for a in _numbers(v)]
    return []


def _assert_same(a: Any, b: Any) -> None:
    if isinstance(a, data.Split):
        for part in ("X_train", "X_val", "X_test", "y_train", "y_val", "y_test"):
            np.testing.assert_array_equal(getattr(a, part), getattr(b, part))
        assert a.feature_names == b.feature_names
    elif isinstance(a, pd.DataFrame):
        pd.testing.assert_frame_equal(a, b)
    elif isinstance(a, plt.Axes | keras.Model | keras.layers.Layer | keras.constraints.Constraint):
        return
    elif isinstance(a, Mapping):
        assert a.keys() == b.keys()
        for key in a:
            _assert_same(a[key], b[key])
    elif hasattr(a, "get_params"):  # a scikit-learn estimator
        assert repr(a) == repr(b)
    else:
        np.testing.assert_equal(a, b)


def _mentions(message: str, names: tuple[str, ...]) -> bool:
    return any(name in message for name in names)


def check_valid_call(spec: Spec) -> Any:
    """The valid call itself: it must succeed, with finite numbers."""
    result = _run(spec.call, spec.valid())
    if spec.finite:
        for array in _numbers(result):
            assert np.all(np.isfinite(array)), f"{spec.name}: NaN or infinity from a valid call"
    return result


def check_value(spec: Spec, param: str, how: str, value: Any) -> None:
    """The property, for one argument replaced by ``value`` (``how``: "same" if it is the valid value spelt
    another way, else "other")."""
    kind = spec.kinds[param]
    kwargs = spec.valid()
    names_ok = (param, *spec.aliases.get(param, ()))
    try:
        result = _run(spec.call, {**kwargs, param: value})
    except (TypeError, ValueError) as exc:
        assert how != "same", f"{spec.name}({param}={value!r}) is the valid value in another type, yet: {exc}"
        assert _mentions(str(exc), names_ok), (
            f"{spec.name}({param}={value!r}) raised {type(exc).__name__} without naming {param}: {exc}"
        )
        return
    except spec.extra_errors:
        return
    assert not kind.invalid(value), f"{spec.name}({param}={value!r}) was accepted silently"
    if spec.finite and not _has_nonfinite(value):
        for array in _numbers(result):
            assert np.all(np.isfinite(array)), f"{spec.name}({param}={value!r}) gave NaN or infinity"
    if how == "same" and spec.compare:
        _assert_same(result, _run(spec.call, kwargs))


def generated(spec: Spec, param: str) -> st.SearchStrategy[Any]:
    """Random values for one argument: numbers of every size and sign (NaN and infinity included), short
    texts, lists of numbers, and arrays of the valid shape (finite) or of other shapes."""
    scalars = st.one_of(
        st.integers(-(2**70), 2**70),
        st.floats(allow_nan=True, allow_infinity=True),
        st.text(max_size=6),
        st.lists(st.integers(-5, 50), max_size=4),
        st.lists(st.floats(-1e3, 1e3), max_size=4),
    )
    return st.one_of(spec.arrays[param], scalars) if param in spec.arrays else scalars


# ---------------------------------------------------------------- fixtures shared by the specs -------------------


def _binary_model() -> keras.Model:
    return training.compile_model(models.build_mlp(3, (4,), task="binary"), task="binary")


_MODEL = _binary_model()
_UNCOMPILED = models.build_mlp(3, (2,), task="binary")  # compile_model compiles it again and again
_HISTORY = training.fit(_MODEL, X_SMALL, Y_SMALL, validation=(X_SMALL, Y_SMALL), epochs=2)
_SPLIT = data.load_noisy_cosine(n_train=20, n_val=20)
_CV = LassoCV(cv=3, alphas=5).fit(X, Y_REG)


def _as_dict(frames: explorers.Frames) -> dict[str, Any]:
    """A Frames as a dict of its arrays (comparable, and checked for NaN like any result)."""
    return {"parameter": frames.parameter, "values": frames.values, **frames.series}


_GAP = explorers.frames("dropout rate", [0.0, 0.5], train_loss=[0.01, 0.05], validation_loss=[0.4, 0.2],
                        gap=[0.39, 0.15])


def _optional_array(*edges: Any) -> Kind:
    """An array-like or None (the default grid)."""
    return Kind(lambda v: v is not None and _has_nonfinite(v), [], list(edges))


_LIVE = Kind(lambda v: v is not None and not isinstance(v, bool | np.bool_), [], [True, np.bool_(True)])


X_STACK = X_SMALL[:8].reshape(1, 8, 3)
Y_STACK = Y_SMALL[:8].reshape(1, 8)
X_SIDE = np.stack([X_SMALL[:8], X_SMALL[8:16]], axis=1)  # (examples, networks, inputs)
Y_SIDE = np.stack([Y_SMALL[:8], Y_SMALL[8:16]], axis=1) + np.array([0, 1])  # classes 0 to 2


def _side_model() -> keras.Model:
    return batched.build_side_by_side_mlp([1, 2], [0.0, 0.5], n_inputs=3, hidden=[2], n_classes=3, seed=0)


_SIDE_MODEL = _side_model()
_SIDE_WEIGHTS = _SIDE_MODEL.get_weights()


def _bad_side_weights(v: Any) -> bool:
    """Not None and not a list of arrays shaped as _SIDE_MODEL.get_weights()."""
    if v is None:
        return False
    if isinstance(v, str | bytes | Mapping) or not isinstance(v, list | tuple | np.ndarray | pd.DataFrame):
        return True
    try:
        items = list(v)
    except TypeError:
        return True
    return len(items) != len(_SIDE_WEIGHTS) or any(np.shape(a) != b.shape or _has_nonfinite(a)
                                                   for a, b in zip(items, _SIDE_WEIGHTS, strict=False))


def _bad_factors(v: Any, top: float = 1e6) -> bool:
    """Not a sequence of 2 finite numbers in [0, top]: what train_stack's l1, l2 and dropout refuse."""
    if isinstance(v, str | bytes | Mapping) or v is None or np.ndim(v) != 1:
        return True
    try:
        values = np.asarray(v, dtype=float)
    except (TypeError, ValueError):
        return True
    return len(values) != 2 or not np.all(np.isfinite(values)) or np.any(values < 0) or np.any(values > top)


FACTORS = Kind(_bad_factors, [(0.0, 0.01), np.array([0.0, 0.01])], [[0.0, -1.0], [0.0, 1e7], [0.1]])


def _show_drawn(**kwargs: Any) -> None:
    """plots.show on a figure with a line drawn (the current one, for fig=None): show refuses a blank figure."""
    plt.figure().add_subplot().plot([0, 1], [0, 1])
    return plots.show(**kwargs)


def _fit_call(**kwargs: Any) -> pd.DataFrame:
    return training.fit(**kwargs)


def _compile_call(**kwargs: Any) -> keras.Model:
    return training.compile_model(**kwargs)


SPECS = [
    # data
    Spec("sha256_of", data.sha256_of, lambda: {"path": data.DATA_DIR / "noisy_cosine.csv"}, {"path": ANY},
         extra_errors=(FileNotFoundError,)),
    Spec("read_dataset", data.read_dataset, lambda: {"name": "noisy_cosine"}, {"name": Choice(*data.DATASETS)}),
    Spec("make_split", data.make_split,
         lambda: {"X": X, "y": Y_BIN, "n_train": 20, "n_val": 10, "n_test": 5, "stratify": False,
                  "scaling": "standard", "seed": 3, "feature_names": ["a", "b", "c"], "target_name": "y", "truth": None},
         {"X": Array(X * 1e300, pd.DataFrame(X)), "y": Array(Y_BIN.astype(float)), "n_train": Int(20, 2, 25),
          "n_val": Int(10, 2, 15), "n_test": Int(5, 0, 10, optional=True), "stratify": Bool(False),
          "scaling": Choice("standard", "unit", "none"), "seed": Int(3, 0, optional=True, big=False),
          "feature_names": Names(["a", "b", "c"], optional=True),
          "target_name": Str(), "truth": Kind(lambda v: v is not None and not isinstance(v, pd.DataFrame))},
         aliases={"X": ("y",), "y": ("X",), "n_train": ("n_val",), "n_val": ("n_train",), "n_test": ("n_train",)},
         arrays={"X": arrays_like((40, 3)), "y": arrays_like((40,))}),
    Spec("load_diabetes_split", data.load_diabetes_split, lambda: {"val_size": 0.2, "test_size": 0.2, "seed": 1},
         {"val_size": Float(0.2, 0, 0.5, strict_lo=True, strict_hi=True), "test_size": Float(0.2, 0, 0.5, strict_lo=True, strict_hi=True),
          "seed": Int(1, 0, optional=True, big=False)}, examples=10),
    Spec("load_digits_split", data.load_digits_split, lambda: {"n_train": 300, "n_val": 500, "seed": 1},
         {"n_train": Int(300, 10, 1500), "n_val": Int(500, 10, 1497), "seed": Int(1, 0, optional=True, big=False)},
         aliases={"n_train": ("n_val",)}, examples=10),
    Spec("load_sparse_signals", data.load_sparse_signals,
         lambda: {"task": "regression", "n_train": 300, "n_val": 150, "seed": 1},
         {"task": Choice("regression", "classification"), "n_train": Int(300, 2, 598), "n_val": Int(150, 2, 598)},
         aliases={"n_train": ("n_val",), "n_val": ("n_train",)}, examples=8),
    Spec("load_correlated_groups", data.load_correlated_groups, lambda: {"n_train": 150, "n_val": 75, "seed": 1},
         {"n_train": Int(150, 2, 298), "n_val": Int(75, 2, 298), "seed": Int(1, 0, optional=True, big=False)},
         aliases={"n_train": ("n_val",), "n_val": ("n_train",)}, examples=10),
    Spec("load_noisy_cosine", data.load_noisy_cosine, lambda: {"n_train": 30, "n_val": 100, "seed": 1},
         {"n_train": Int(30, 2, 298), "n_val": Int(100, 2, 298), "seed": Int(1, 0, optional=True, big=False)},
         aliases={"n_train": ("n_val",), "n_val": ("n_train",)}, examples=10),
    Spec("cosine_truth", data.cosine_truth, lambda: {"x": np.linspace(0, 1, 5)}, {"x": Array()},
         arrays={"x": arrays_like((5,))}),
    Spec("runge", data.runge, lambda: {"x": np.linspace(-1, 1, 5)}, {"x": Array()}, arrays={"x": arrays_like((5,))}),
    Spec("sample_function", data.sample_function,
         lambda: {"truth": data.runge, "x": np.linspace(-1, 1, 5), "noise_sd": 0.1, "repeats": 3,
                  "rng": np.random.default_rng(1)},
         {"truth": ANY, "x": Array(), "noise_sd": Float(0.1, 0, 1e6, strict_lo=True), "repeats": Int(3, 1),
          "rng": RNG_KIND},
         arrays={"x": arrays_like((5,))}, compare=False),
    # repro, environment
    Spec("repro.rng", repro.rng, lambda: {"offset": 1}, {"offset": Int(1, 0, big=False)}, compare=False),
    Spec("read_pins", environment.read_pins, lambda: {"path": environment.REQUIREMENTS}, {"path": ANY},
         extra_errors=(FileNotFoundError, IsADirectoryError)),
    # models
    Spec("build_mlp", models.build_mlp,
         lambda: {"n_inputs": 3, "hidden": [4], "task": "binary", "n_classes": None, "activation": "relu",
                  "kernel_regularizer": None, "regularize": "all", "kernel_constraint": None, "dropout": 0.0,
                  "input_dropout": 0.0, "name": "mlp"},
         {"n_inputs": Int(3, 1, 100_000), "hidden": IntSeq([4], empty_ok=True), "task": Choice("regression", "binary", "multiclass"),
          "n_classes": Kind(lambda v: v is not None), "activation": Choice("relu", "tanh", "sigmoid", "linear"),
          "kernel_regularizer": Kind(lambda v: v is not None, [], [keras.regularizers.L1L2(), keras.regularizers.L2(0.0), "l1l2"]),
          "regularize": Choice("all", "hidden", "first"), "kernel_constraint": Kind(lambda v: v is not None),
          "dropout": Float(0.0, 0, 1, strict_hi=True), "input_dropout": Float(0.0, 0, 1, strict_hi=True), "name": Str()},
         aliases={"task": ("n_classes",), "n_classes": ("task",)}, examples=15),
    Spec("build_linear", models.build_linear,
         lambda: {"n_inputs": 3, "kernel_regularizer": None, "kernel_constraint": None, "name": "linear"},
         {"n_inputs": Int(3, 1, 100_000), "kernel_regularizer": Kind(lambda v: v is not None, [], [keras.regularizers.L1L2()]),
          "kernel_constraint": Kind(lambda v: v is not None), "name": Str()}, examples=10),
    Spec("dense_kernels", models.dense_kernels, lambda: {"model": _MODEL},
         {"model": Kind(lambda v: True, [], [keras.Sequential([keras.layers.Dense(2)])])}, examples=10),
    Spec("pruned_copy", models.pruned_copy, lambda: {"model": _MODEL, "threshold": 0.1, "layer": None},
         {"model": Kind(lambda v: True), "threshold": Float(0.1, 0, strict_lo=True), "layer": Kind(lambda v: v is not None and not isinstance(v, str), [], ["output", "nope"])},
         compare=False, examples=8),
    Spec("MCDropout", models.MCDropout, lambda: {"rate": 0.2}, {"rate": Float(0.25, 0, 1, strict_hi=True)}),
    # training
    Spec("compile_model", _compile_call,
         lambda: {"model": _UNCOMPILED, "task": "binary", "optimizer": "adam", "learning_rate": 1e-3},
         {"model": Kind(lambda v: True), "task": Choice("regression", "binary", "multiclass"),
          "optimizer": Choice("adam", "adamw", "sgd", "rmsprop"), "learning_rate": Float(1e-3, 0, strict_lo=True)},
         aliases={"task": ("model",), "optimizer": ("learning_rate",)}, compare=False, examples=12),
    Spec("make_dataset", training.make_dataset,
         lambda: {"X": X_SMALL, "y": Y_SMALL, "batch_size": 4, "shuffle": True, "seed": 1},
         {"X": Array(), "y": Array(), "batch_size": Int(4, 1, optional=True, big=False), "shuffle": Bool(True),
          "seed": Int(1, 0, 2**32 - 1, optional=True)},
         aliases={"X": ("y",), "y": ("X",)}, arrays={"X": arrays_like((16, 3))}, compare=False, examples=12),
    Spec("fit", _fit_call,
         lambda: {"model": _MODEL, "X_train": X_SMALL, "y_train": Y_SMALL, "validation": None, "epochs": 1,
                  "batch_size": None, "callbacks": (), "seed": None, "progress": None},
         {"model": Kind(lambda v: True), "X_train": Array(X_SMALL[:, :2]), "y_train": Array(Y_SMALL * 2, np.arange(16)),
          "validation": Kind(lambda v: v is not None, [], [(X_SMALL[:, :2], Y_SMALL), (X_SMALL, Y_SMALL[:3]),
                                                           (np.full_like(X_SMALL, NAN), Y_SMALL), [X_SMALL, Y_SMALL]]),
          "epochs": Int(1, 1), "batch_size": Int(8, 1, optional=True, big=False), "progress": Str(optional=True),
          "callbacks": Kind(lambda v: isinstance(v, str | keras.callbacks.Callback | Mapping)
                            or (v is not None and not isinstance(v, list | tuple | np.ndarray)),
                            [], [keras.callbacks.EarlyStopping(), [keras.callbacks.EarlyStopping()], ["stop"]]),
          "seed": Int(1, 0, 2**32 - 1, optional=True)},
         aliases={"X_train": ("y_train",), "y_train": ("X_train",), "validation": ("X_val", "y_val")},
         arrays={"X_train": arrays_like((16, 3), low=-10, high=10)}, compare=False, examples=10),
    Spec("train_steps", training.train_steps,
         lambda: {"model": _MODEL, "X_train": X_SMALL, "y_train": Y_SMALL, "steps": 1, "progress": None},
         {"model": Kind(lambda v: True), "X_train": Array(X_SMALL[:, :2]), "y_train": Array(Y_SMALL * 2, np.arange(16)),
          "steps": Int(1, 1), "progress": Str(optional=True)},
         aliases={"X_train": ("y_train",), "y_train": ("X_train",)},
         arrays={"X_train": arrays_like((16, 3), low=-10, high=10)}, compare=False, examples=8),
    Spec("evaluate", training.evaluate, lambda: {"model": _MODEL, "X": X_SMALL, "y": Y_SMALL},
         {"model": Kind(lambda v: True), "X": Array(X_SMALL[:, :2]), "y": Array(Y_SMALL * 2)},
         aliases={"X": ("y",), "y": ("X",), "model": ("compile",)}, arrays={"X": arrays_like((16, 3), low=-10, high=10)},
         examples=12),
    Spec("ValidationMetrics", training.ValidationMetrics, lambda: {"X_val": X_SMALL, "y_val": Y_SMALL, "task": "binary"},
         {"X_val": Array(), "y_val": Array(), "task": Choice("regression", "binary", "multiclass")},
         aliases={"X_val": ("y_val",), "y_val": ("X_val",), "task": ("y_val",)}, arrays={"X_val": arrays_like((16, 3))},
         compare=False),
    Spec("tidy_history", training.tidy_history, lambda: {"history": {"loss": [1.0, 0.5]}, "seconds": 1.0},
         {"history": Kind(lambda v: not isinstance(v, dict), [], [{"loss": "ab"}, {1: [1.0]}, {"loss": [NAN]}]),
          "seconds": Float(1.0, 0, optional=True)}),
    Spec("final_metrics", training.final_metrics, lambda: {"history": _HISTORY, "best": None},
         {"history": Kind(lambda v: not isinstance(v, pd.DataFrame), [], [_HISTORY.iloc[:0]]),
          "best": Kind(lambda v: v is not None and not isinstance(v, str), [], ["data_loss", "accuracy", "nope"])}),
    Spec("fit_linear", training.fit_linear,
         lambda: {"X": X[:16], "y": Y_REG[:16], "kernel_regularizer": None, "kernel_constraint": None, "steps": 10},
         {"X": Array(), "y": Array(), "kernel_regularizer": Kind(lambda v: v is not None), "kernel_constraint": Kind(lambda v: v is not None),
          "steps": Int(10, 10)},
         aliases={"X": ("y",), "y": ("X",)}, compare=False, examples=6),
    Spec("train_stack", batched.train_stack,
         lambda: {"X_train": X_STACK, "y_train": Y_STACK, "l1": [0.0, 0.01], "l2": [0.0, 0.1], "dropout": [0.0, 0.5],
                  "units": 2, "epochs": 1, "learning_rate": 1e-2, "learning_rates": None,
                  "evaluate": {"validation": (X_STACK, Y_STACK)}, "progress": None},
         {"X_train": Array(X_STACK[0], X_STACK[..., :2]), "y_train": Array(Y_STACK * 2, Y_STACK[:, :3]),
          "l1": FACTORS, "l2": FACTORS, "dropout": Kind(lambda v: _bad_factors(v, 1.0) or max(v) >= 1, [(0.0, 0.5), np.array([0.0, 0.5])], [[0.0, 1.0], [0.5]]),
          "units": Int(2, 1, 10_000), "epochs": Int(1, 1, 2_000), "learning_rate": Float(1e-2, 0, 10, strict_lo=True),
          "learning_rates": Kind(lambda v: v is not None and (_bad_factors(v, 10.0) or min(v) <= 0), [],
                                 [[1e-3, 1e-2], (0.0, 1e-2), [1e-2], [1e-3, 11.0]]),
          "evaluate": Kind(lambda v: v is not None and not isinstance(v, Mapping), [],
                           [{"test": (X_STACK[..., :2], Y_STACK)}, {"test": [X_STACK, Y_STACK]}, {1: (X_STACK, Y_STACK)}]),
          "progress": Str(optional=True)},
         aliases={"X_train": ("y_train",), "y_train": ("X_train",), "l1": ("l2", "dropout"), "l2": ("l1", "dropout"),
                  "dropout": ("l1", "l2"), "evaluate": ("X",)},
         arrays={"X_train": arrays_like((1, 4, 3), low=-10, high=10)}, compare=False, examples=8),
    Spec("build_side_by_side_mlp", batched.build_side_by_side_mlp,
         lambda: {"seeds": [1, 2], "rates": [0.0, 0.5], "n_inputs": 3, "hidden": [2], "n_classes": 3, "seed": 0,
                  "name": "side"},
         {"seeds": IntSeq([1, 2]), "rates": Kind(lambda v: _bad_factors(v, 1.0) or max(v) >= 1,
                                                  [(0.0, 0.5), np.array([0.0, 0.5])], [[0.0, 1.0], [0.5]]),
          "n_inputs": Int(3, 1, models.MAX_UNITS), "hidden": IntSeq([2]), "n_classes": Int(3, 2, models.MAX_UNITS),
          "seed": Int(0, 0, 2**32 - 2), "name": Str()},
         aliases={"seeds": ("rates",), "rates": ("seeds",), "n_inputs": ("weights",), "hidden": ("weights",),
                  "n_classes": ("weights",)}, compare=False, examples=8),
    Spec("side_by_side_data", batched.side_by_side_data, lambda: {"splits": [_SPLIT, _SPLIT], "part": "val"},
         {"splits": Kind(lambda v: not (isinstance(v, list | tuple) and v and all(isinstance(s, data.Split) for s in v)),
                         [(_SPLIT, _SPLIT)], [[_SPLIT], [], [_SPLIT, 1], _SPLIT]),
          "part": Choice("train", "val", "test")}, aliases={"part": ("splits",)}),
    Spec("train_side_by_side", lambda **kw: batched.train_side_by_side(_side_model(), **kw),
         lambda: {"X_train": X_SIDE, "y_train": Y_SIDE, "X_val": X_SIDE, "y_val": Y_SIDE, "epochs": 2,
                  "learning_rate": 3e-3, "patience": 2, "watch": None, "progress": None},
         {"X_train": Array(X_SIDE[..., :2], X_SIDE[:, :1]), "y_train": Array(Y_SIDE * 2, Y_SIDE[:3], Y_SIDE + 0.5),
          "X_val": Array(X_SIDE[:3], X_SIDE[..., :2]), "y_val": Array(Y_SIDE[:, :1], -Y_SIDE),
          "epochs": Int(2, 1, 2_000), "learning_rate": Float(3e-3, 0, 10, strict_lo=True), "patience": Int(2, 1, 2_000),
          "watch": Kind(lambda v: v is not None and not (np.ndim(v) == 1 and len(v) == 2
                                                         and np.asarray(v).dtype == bool),
                        [[True, True], np.array([True, True])], [[True], [1, 0], np.array([True, False])]),
          "progress": Str(optional=True)},
         aliases={"X_train": ("y_train",), "y_train": ("X_train",), "X_val": ("y_val",), "y_val": ("X_val",)},
         arrays={"X_train": arrays_like((8, 2, 3), low=-10, high=10)}, compare=False, examples=8),
    Spec("predict_side_by_side", lambda **kw: batched.predict_side_by_side(_SIDE_MODEL, **kw),
         lambda: {"X": X_SIDE, "y": Y_SIDE, "weights": None},
         {"X": Array(X_SIDE[..., :2], X_SIDE[:1]), "y": Array(Y_SIDE * 2, Y_SIDE[:3], Y_SIDE + 0.5),
          "weights": Kind(_bad_side_weights, [list(_SIDE_WEIGHTS), tuple(_SIDE_WEIGHTS)],
                          [_SIDE_WEIGHTS[:-1], [w * 0 for w in _SIDE_WEIGHTS], [w[..., :1] for w in _SIDE_WEIGHTS]])},
         aliases={"X": ("y",), "y": ("X",)}, arrays={"X": arrays_like((8, 2, 3), low=-10, high=10)}, examples=8),
    # bias_variance
    Spec("polynomial_model", bv.polynomial_model, lambda: {"degree": 3, "alpha": 1.0},
         {"degree": Int(3, 1, 30), "alpha": Float(1.0, 0, strict_lo=True, optional=True)}),
    Spec("errors_by_degree", bv.errors_by_degree, lambda: {"split": _SPLIT, "degrees": [1, 3]},
         {"split": Kind(lambda v: not isinstance(v, data.Split)), "degrees": IntSeq([1, 3])}, examples=12),
    Spec("decompose", bv.decompose,
         lambda: {"truth": data.runge, "x": np.linspace(-1, 1, 8), "noise_sd": 0.1, "model": bv.polynomial_model(2),
                  "repeats": 5, "rng": np.random.default_rng(2)},
         {"truth": ANY, "x": Array(), "noise_sd": Float(0.1, 0, 1e6, strict_lo=True), "model": ANY, "repeats": Int(5, 2),
          "rng": RNG_KIND},
         arrays={"x": arrays_like((8,), low=-10, high=10)}, compare=False),
    Spec("learning_curve", bv.learning_curve,
         lambda: {"truth": data.cosine_truth, "degree": 1, "sizes": [5, 8], "noise_sd": 0.1, "repeats": 2, "n_val": 20,
                  "low": 0.0, "high": 1.0, "rng": None},
         {"truth": ANY, "degree": Int(1, 1, 3), "sizes": IntSeq([5, 8]), "noise_sd": Float(0.1, 0, 1e6, strict_lo=True),
          "repeats": Int(2, 1), "n_val": Int(20, 10), "low": Float(0.0, -1e150, 1e150), "high": Float(1.0, -1e150, 1e150),
          "rng": RNG_KIND},
         aliases={"degree": ("sizes",), "low": ("high",), "high": ("low",)}),
    Spec("double_descent", bv.double_descent,
         lambda: {"n_train": 10, "n_inputs": 2, "n_features": (5, 20), "ridge_alpha": 0.1, "noise_sd": 0.1, "draws": 1,
                  "n_test": 20, "rng": None, "progress": None},
         {"n_train": Int(10, 2), "n_inputs": Int(2, 1), "n_features": IntSeq([5, 20]),
          "ridge_alpha": Float(0.1, 0, strict_lo=True), "noise_sd": Float(0.1, 0, 1e6), "draws": Int(1, 1),
          "n_test": Int(20, 10), "rng": RNG_KIND, "progress": Str(optional=True)}),
    # linear
    Spec("lasso_alpha_max", linear.lasso_alpha_max, lambda: {"X": X, "y": Y_REG}, {"X": Array(), "y": Array()},
         aliases={"X": ("y",), "y": ("X",)}, arrays={"X": arrays_like((40, 3)), "y": arrays_like((40,))}),
    Spec("lasso_entry_order", linear.lasso_entry_order, lambda: {"X": X, "y": Y_REG, "feature_names": ["a", "b", "c"]},
         {"X": Array(), "y": Array(), "feature_names": Names(["a", "b", "c"])},
         aliases={"X": ("y", "feature_names"), "y": ("X",)}, arrays={"X": arrays_like((40, 3))}, finite=False),
    Spec("coefficient_path", linear.coefficient_path,
         lambda: {"make_model": lambda a: Ridge(alpha=a), "X": X, "y": Y_REG, "alphas": [0.1, 1.0]},
         {"make_model": ANY, "X": Array(), "y": Array(), "alphas": Array([0.0, 1.0], [-1.0])},
         aliases={"X": ("y",), "y": ("X",)}, arrays={"alphas": arrays_like((2,), low=1e-3, high=1e3)}),
    Spec("one_standard_error_alpha", linear.one_standard_error_alpha, lambda: {"cv_model": _CV},
         {"cv_model": Kind(lambda v: not isinstance(v, LassoCV), [], [Lasso(), LassoCV()])}),
    # measures
    Spec("weight_norm", measures.weight_norm, lambda: {"weights": X, "ord": 2},
         {"weights": Array([1e300, 1e300], {"a": X, "b": [1.0]}, _MODEL), "ord": Kind(lambda v: not _is_real(v) or v not in (1, 2), [np.int64(2), 2.0], [0, 3, 1.5])},
         arrays={"weights": arrays_like((4, 2))}),
    Spec("count_zeros", measures.count_zeros, lambda: {"weights": X, "tol": 0.0},
         {"weights": Array(), "tol": Float(0.0, 0)}),
    Spec("sparsity_table", measures.sparsity_table, lambda: {"weights": X, "tols": (0.0, 1e-3)},
         {"weights": Array(), "tols": Kind(lambda v: isinstance(v, str) or v is None or (np.ndim(v) == 0 and not isinstance(v, list | tuple)),
                                           [[0.0, 1e-3], np.array([0.0, 1e-3])], [[], [-1.0], [NAN]])}),
    Spec("input_importance", measures.input_importance, lambda: {"weights": X},
         {"weights": Array(models.dense_kernels(_MODEL), _MODEL, np.float64(1.0))}, arrays={"weights": arrays_like((4, 2))}),
    Spec("kept_inputs", measures.kept_inputs, lambda: {"weights": X, "threshold": 0.0},
         {"weights": Array(models.dense_kernels(_MODEL), _MODEL), "threshold": Float(0.0, 0)}),
    Spec("select_features", measures.select_features, lambda: {"importance": np.arange(5.0), "top": 2, "threshold": None},
         {"importance": Array(), "top": Int(2, 1, 5, optional=True), "threshold": Kind(lambda v: v is not None)},
         aliases={"top": ("threshold",), "threshold": ("top",)}, arrays={"importance": arrays_like((5,))}),
    Spec("feature_recovery", measures.feature_recovery, lambda: {"selected": [0, 1], "true": [1, 2], "n_features": 4},
         {"selected": Array([True, False], [1.5], [-1], [7]), "true": Array([True, False, False], [], [9]),
          "n_features": Int(4, 3, optional=True, big=False)},
         aliases={"selected": ("n_features", "true"), "true": ("n_features", "selected"), "n_features": ("selected", "true")}),
    Spec("compare_to_reference", measures.compare_to_reference,
         lambda: {"values": np.ones(3), "reference": np.arange(3.0), "kind": "max_abs"},
         {"values": Array(), "reference": Array(np.zeros(3)), "kind": Choice("max_abs", "max_rel")},
         aliases={"values": ("reference",), "reference": ("values",), "kind": ("reference",)},
         arrays={"values": arrays_like((3,)), "reference": arrays_like((3,))}),
    # penalties
    Spec("ridge_to_keras_l2", penalties.ridge_to_keras_l2, lambda: {"alpha": 1.0, "n_samples": 10},
         {"alpha": Float(1.0, 0), "n_samples": Int(10, 1, big=False)}),
    Spec("lasso_to_keras_l1", penalties.lasso_to_keras_l1, lambda: {"alpha": 1.0}, {"alpha": Float(1.0, 0)}),
    Spec("elastic_net_to_keras_l1l2", penalties.elastic_net_to_keras_l1l2, lambda: {"alpha": 1.0, "l1_ratio": 0.5},
         {"alpha": Float(1.0, 0), "l1_ratio": Float(0.5, 0, 1)}),
    Spec("keras_l1l2_to_elastic_net", penalties.keras_l1l2_to_elastic_net, lambda: {"l1": 1.0, "l2": 0.5},
         {"l1": Float(1.0, 0), "l2": Float(0.5, 0)}, aliases={"l1": ("l2",), "l2": ("l1",)}),
    Spec("keras_regularizer_for", penalties.keras_regularizer_for, lambda: {"estimator": Ridge(alpha=1.0), "n_samples": 10},
         {"estimator": Kind(lambda v: not isinstance(v, Ridge | Lasso | ElasticNet | SGDRegressor), [], [Lasso(alpha=0.5), ElasticNet(), SGDRegressor(), SGDRegressor(penalty="l1"),
                                                 Ridge(alpha=NAN), Lasso(alpha="x")]),
          "n_samples": Int(10, 1, big=False)},
         aliases={"estimator": ("alpha", "penalty", "l1_ratio", "n_samples")}, compare=False),
    Spec("soft_threshold", penalties.soft_threshold, lambda: {"w": np.array([-2.0, 0.5, 3.0]), "threshold": 1.0},
         {"w": Array(), "threshold": Float(1.0, 0)}, arrays={"w": arrays_like((3,))}),
    Spec("SoftThreshold", penalties.SoftThreshold, lambda: {"threshold": 0.5}, {"threshold": Float(0.5, 0, strict_lo=True)},
         compare=False),
    # plots
    Spec("plot_learning_curves", plots.plot_learning_curves,
         lambda: {"history": _HISTORY, "metric": "data_loss", "by": None, "ax": None, "ylabel": None, "log_y": False},
         {"history": Kind(lambda v: not isinstance(v, pd.DataFrame)), "metric": Kind(lambda v: not isinstance(v, str), [], ["accuracy", "nope"]),
          "by": Kind(lambda v: v is not None and not isinstance(v, str), [], ["split", "nope"]), "ax": Kind(lambda v: v is not None),
          "ylabel": Str(optional=True), "log_y": Bool(False)}, examples=12),
    Spec("plot_coefficient_paths", plots.plot_coefficient_paths,
         lambda: {"alphas": [0.1, 1.0], "coefs": np.ones((2, 3)), "feature_names": None, "ax": None, "xlabel": "a",
                  "ylabel": "c", "label_top": 2},
         {"alphas": Array([0.0, 1.0]), "coefs": Array(np.ones((3, 3))), "feature_names": Kind(lambda v: isinstance(v, str), [], ["abc", ["a"]]),
          "ax": Kind(lambda v: v is not None), "xlabel": Str(), "ylabel": Str(), "label_top": Int(2, 0, 100)},
         aliases={"alphas": ("coefs",), "coefs": ("alphas",)}, examples=12),
    Spec("plot_weight_histograms", plots.plot_weight_histograms,
         lambda: {"weights": {"a": X}, "ax": None, "bins": 10, "scale": "log"},
         {"weights": Kind(lambda v: not isinstance(v, Mapping) or not v, [], [{"a": np.zeros(3)}, {"a": np.full(3, 0.5)}, {"a": [NAN]}]),
          "ax": Kind(lambda v: v is not None), "bins": Int(10, 2, 1000), "scale": Choice("log", "linear")},
         aliases={"weights": ("weight",)}, examples=12),
    Spec("plot_curves", plots.plot_curves,
         lambda: {"x": [1.0, 2.0, 3.0], "curves": {"a": [1.0, 2.0, 3.0]}, "xlabel": "x", "ylabel": "y", "ax": None,
                  "log_x": False, "log_y": False, "mark": None, "mark_label": None},
         {"x": Array([0.0, 1.0, 2.0]), "curves": Kind(lambda v: not isinstance(v, Mapping) or not v, [], [{"a": [1.0]}, {"a": "abc"}]),
          "xlabel": Str(), "ylabel": Str(), "ax": Kind(lambda v: v is not None), "log_x": Bool(False), "log_y": Bool(False),
          "mark": Float(2.0, optional=True), "mark_label": Str(optional=True)},
         aliases={"x": ("curves",), "curves": ("x",), "xlabel": ("ylabel",), "ylabel": ("xlabel",)}, examples=12),
    Spec("show", _show_drawn, lambda: {"fig": None, "alt": "A line that rises from left to right."},
         {"fig": Kind(lambda v: v is not None), "alt": Str()}, compare=False, examples=12),
    # progress
    Spec("track", lambda **kw: list(progress.track(**kw)), lambda: {"iterable": [1, 2, 3], "desc": "loop", "total": None},
         {"iterable": Kind(lambda v: isinstance(v, str | bytes) or not hasattr(v, "__iter__"), [(1, 2, 3), np.array([1, 2, 3])]),
          "desc": Str(), "total": Int(3, 1, 10**9, optional=True)}, finite=False, compare=False),
    Spec("bar", progress.bar, lambda: {"total": 3, "desc": "loop"}, {"total": Int(3, 1, 10**9), "desc": Str()},
         finite=False, compare=False),
    Spec("label", progress.label, lambda: {"desc": "loop", "name": "desc"}, {"desc": Str(), "name": Str()},
         finite=False, compare=False),
    # explorers (batch runs: the suite sets COURSE_PROGRESS=0; live=True is among the values tried)
    Spec("Frames", lambda **kw: _as_dict(explorers.Frames(**kw)),
         lambda: {"parameter": "lambda", "values": [0.1, 1.0, 10.0], "series": {"kept": [3.0, 2.0, 1.0]}},
         {"parameter": Str(), "values": Array([0.0, 1.0, 2.0], [3.0, 2.0, 1.0]),
          "series": Kind(lambda v: not isinstance(v, Mapping) or not v, [],
                         [{"kept": [1.0]}, {"kept": np.ones((3, 2))}, {3: [1.0, 2.0, 3.0]}, {"kept": [NAN] * 3}])},
         aliases={"series": ("kept", "values")}, arrays={"values": arrays_like((3,))}),
    Spec("frames", lambda **kw: _as_dict(explorers.frames(**kw)),
         lambda: {"parameter": "alpha", "values": [0.1, 1.0, 10.0], "kept": [3.0, 2.0, 1.0]},
         {"parameter": Str(), "values": Array([1.0, 1.0, 2.0]), "kept": Array([1.0, 2.0], np.ones((3, 2, 2, 2)))},
         aliases={"values": ("kept",), "kept": ("values",)}, arrays={"values": arrays_like((3,)), "kept": arrays_like((3,))}),
    Spec("lasso_ridge_paths", lambda **kw: _as_dict(explorers.lasso_ridge_paths(**kw)),
         lambda: {"X": X, "y": Y_REG, "alphas": [0.1, 1.0]},
         {"X": Array(X[:, :1]), "y": Array(Y_REG[:5]), "alphas": Array([1.0, 0.1], [0.0, 1.0])},
         aliases={"X": ("y",), "y": ("X",)}, arrays={"alphas": arrays_like((2,), low=1e-3, high=1e3)}, examples=8),
    Spec("elastic_net_coefficients", lambda **kw: _as_dict(explorers.elastic_net_coefficients(**kw)),
         lambda: {"X": X, "y": Y_REG, "alpha": 0.1, "l1_ratios": [0.5, 1.0]},
         {"X": Array(X[:, :1]), "y": Array(Y_REG[:5]), "alpha": Float(0.1, 0, strict_lo=True),
          "l1_ratios": Array([0.0, 1.0], [0.5, 1.5], [1.0, 0.5])},
         aliases={"X": ("y",), "y": ("X",)}, arrays={"l1_ratios": arrays_like((2,), low=0.01, high=1.0)}, examples=8),
    Spec("describe", explorers.describe,
         lambda: {"kind": "dropout_gap", "data": _GAP, "index": 1},
         {"kind": Choice(*explorers.KINDS), "data": Kind(lambda v: not isinstance(v, explorers.Frames)),
          "index": Int(1, 0, 1)},
         aliases={"kind": ("data",)}, finite=False),
    Spec("is_live", explorers.is_live, lambda: {"live": False},
         {"live": Kind(lambda v: v is not None and not isinstance(v, bool | np.bool_), [np.bool_(False)])}),
    Spec("BatchNote", explorers.BatchNote, lambda: {"text": "Explorer: a slider over alpha."}, {"text": Str()}),
    Spec("penalty_paths", explorers.penalty_paths,
         lambda: {"X": X, "y": Y_REG, "feature_names": ["a", "b", "c"], "alphas": None, "start": 1.0, "live": None},
         {"X": Array(X[:, :1]), "y": Array(Y_REG[:5]), "feature_names": Names(["a", "b", "c"]),
          "alphas": _optional_array([1.0, 0.1], [0.0, 1.0]), "start": Float(1.0, 0, strict_lo=True, optional=True),
          "live": _LIVE},
         aliases={"X": ("y", "feature_names"), "y": ("X",)}, finite=False, examples=8),
    Spec("lambda_sweep", explorers.lambda_sweep,
         lambda: {"lambdas": [0.01, 0.1, 1.0], "inputs_kept": [30.0, 10.0, 0.0], "validation_loss": [0.5, 0.4, 0.7],
                  "chance": 0.693, "start": None, "live": None},
         {"lambdas": Array([0.0, 0.1, 1.0], [1.0, 0.1, 0.01]), "inputs_kept": Array([1.0, 2.0]),
          "validation_loss": Array(np.ones((3, 2))), "chance": Float(0.693, 0, optional=True),
          "start": Float(0.1, 0, strict_lo=True, optional=True), "live": _LIVE},
         aliases={"lambdas": ("inputs_kept", "validation_loss"), "inputs_kept": ("lambdas",),
                  "validation_loss": ("lambdas",)}, finite=False, examples=8),
    Spec("dropout_gap", explorers.dropout_gap,
         lambda: {"rates": [0.0, 0.2, 0.5], "train_loss": [0.01, 0.02, 0.05], "validation_loss": [0.4, 0.3, 0.2],
                  "start": None, "live": None},
         {"rates": Array([0.0, 0.5, 1.0], [0.5, 0.2, 0.0]), "train_loss": Array([1.0]),
          "validation_loss": Array(np.ones((3, 2))), "start": Float(0.2, optional=True), "live": _LIVE},
         aliases={"rates": ("train_loss", "validation_loss"), "train_loss": ("rates",), "validation_loss": ("rates",)},
         finite=False, examples=8),
    Spec("l1_ratio_group", explorers.l1_ratio_group,
         lambda: {"X": X, "y": Y_REG, "group": [0, 0, -1], "alpha": 0.1, "l1_ratios": None, "start": 1.0, "live": None},
         {"X": Array(X[:, :1]), "y": Array(Y_REG[:5]), "group": Array([0.5, 0.0, -1.0], [-1.0, -1.0, -1.0], [0, 0]),
          "alpha": Float(0.1, 0, strict_lo=True), "l1_ratios": _optional_array([0.0, 1.0], [0.5, 1.5]),
          "start": Float(1.0, 0, strict_lo=True, optional=True), "live": _LIVE},
         aliases={"X": ("y", "group"), "y": ("X",)}, finite=False, examples=8),
]


CASES = [(spec, param) for spec in SPECS for param in spec.kinds]
CASE_IDS = [f"{spec.name}-{param}" for spec, param in CASES]


@pytest.mark.parametrize("spec", SPECS, ids=[spec.name for spec in SPECS])
def test_valid_call(spec: Spec) -> None:
    check_valid_call(spec)


@pytest.mark.parametrize(("spec", "param"), CASES, ids=CASE_IDS)
def test_listed_values(spec: Spec, param: str) -> None:
    """Every value a learner has at hand (BAD_VALUES), the argument's edges and its other spellings."""
    kind = spec.kinds[param]
    for value in kind.same:
        check_value(spec, param, "same", value)
    for value in [*BAD_VALUES, *kind.edges]:
        check_value(spec, param, "other", value)


@pytest.mark.parametrize(("spec", "param"), CASES, ids=CASE_IDS)
def test_generated_values(spec: Spec, param: str) -> None:
    """Values Hypothesis generates, from the same property."""
    chosen = settings(max_examples=spec.examples) if spec.examples else settings()

    @chosen
    @given(value=generated(spec, param))
    def run(value: Any) -> None:
        check_value(spec, param, "other", value)

    run()


@given(raw=st.one_of(st.text(max_size=12).filter(lambda t: "\x00" not in t), st.integers(-(2**40), 2**40).map(str)))
def test_course_seed_variable(raw: str) -> None:
    """COURSE_SEED: any text gives the seed it spells, or a ValueError naming the variable."""
    saved = os.environ.get("COURSE_SEED")
    os.environ["COURSE_SEED"] = raw
    try:
        seed = repro.get_seed()
    except ValueError as exc:
        assert "COURSE_SEED" in str(exc)
        return
    finally:
        if saved is None:
            del os.environ["COURSE_SEED"]
        else:
            os.environ["COURSE_SEED"] = saved
    assert 0 <= seed < 2**32 and (seed == int(raw.strip()) if raw.strip() else seed == repro.DEFAULT_SEED)


@settings(max_examples=10)
@given(seed=st.sampled_from([*BAD_VALUES, 2**32 - 1, 2**32, np.int64(5)]), deterministic=st.sampled_from([True, "no", None]))
def test_set_seed(seed: Any, deterministic: Any) -> None:
    try:
        result = repro.set_seed(seed, deterministic=deterministic)
    except (TypeError, ValueError) as exc:
        assert "seed" in str(exc) or "deterministic" in str(exc)
    else:
        assert seed is None or (_is_int(seed) and 0 <= seed < 2**32 and result == int(seed))
        assert isinstance(deterministic, bool)
    finally:
        repro.set_seed(repro.DEFAULT_SEED)


def test_every_public_callable_has_a_property() -> None:
    """A new public function in utils must be added to SPECS (or listed here as taking no arguments)."""
    import inspect

    no_arguments = {"verify_datasets", "environment_report", "check_environment", "set_style", "get_seed",
                    "set_seed", "RecordWeightNorms", "Split", "enabled"}
    # Lesson 07's two side-by-side helpers have value tests (tests/test_batched_values.py: add_network against a
    # plain Keras network and EarlyStopping, describe_network against model_checks.summary, and their bad arguments)
    # and are used by tests/test_handson_lesson07.py, but have no property spec here yet: a known gap, kept visible.
    spec_still_to_write = {"add_network", "describe_network"}
    covered = {spec.name.split(".")[-1] for spec in SPECS} | no_arguments | spec_still_to_write
    modules = (data, environment, repro, models, training, batched, bv, linear, measures, penalties, plots, progress,
               explorers)
    public = {
        name for module in modules for name, obj in vars(module).items()
        if not name.startswith("_") and (inspect.isfunction(obj) or inspect.isclass(obj))
        and getattr(obj, "__module__", "") == module.__name__
    }
    assert public <= covered, f"no property test for {sorted(public - covered)}"


# ---------------------------------------------------------------- the probe's cases (issue 19, point 3) ----------
# Each case a probe of 3,115 bad calls found silent, unclear or longer than documented, with what it does now:
# a clear error naming the argument (and what is accepted), or, for side-by-side weights given as lists, the
# same result as for the arrays they spell.


def _history(values: dict[str, list[float]]) -> pd.DataFrame:
    rows = [(e + 1, "validation", m, v) for m, vs in values.items() for e, v in enumerate(vs)]
    return pd.DataFrame(rows, columns=["epoch", "split", "metric", "value"])


def _split_with_truth(truth: pd.DataFrame) -> data.Split:
    return data.make_split(X, Y_BIN, n_train=20, n_val=10, seed=0, truth=truth)


def _non_utf8_pins(tmp: Any) -> Any:
    path = tmp / "requirements.txt"
    path.write_bytes(b"numpy==2.0\n\xff\xfe not text\n")
    return path


PROBE_ERRORS = {
    # silent wrong results
    "make_split(truth of 5 rows for 3 features)": (
        lambda: _split_with_truth(pd.DataFrame({"is_true": [True] * 5})), ValueError, r"truth must have one row per feature of X \(3\)"),
    "make_split(truth['is_true'] of 'no'/'yes')": (
        lambda: _split_with_truth(pd.DataFrame({"is_true": ["no", "yes", "no"]})), ValueError, r"truth\['is_true'\] must hold True or False"),
    "Split.true_features() of a hand-made truth with extra rows": (
        lambda: data.Split(X[:4], X[:4], X[:4], Y_BIN[:4], Y_BIN[:4], Y_BIN[:4], ["a", "b", "c"], "y",
                           truth=pd.DataFrame({"is_true": [False, True, False, True]})).true_features(),
        ValueError, "one row per feature"),
    "plots.show(alt=...) with no figure open": (
        lambda: (plt.close("all"), plots.show(alt="A line that rises from left to right.")), ValueError, "fig: no figure is open"),
    "plots.show(empty figure)": (
        lambda: plots.show(plt.figure(), alt="A line that rises from left to right."), ValueError, "fig is empty"),
    "lasso_to_keras_l1(1e308)": (lambda: penalties.lasso_to_keras_l1(1e308), ValueError, "alpha is too large"),
    "elastic_net_to_keras_l1l2(1e308, 1.0)": (
        lambda: penalties.elastic_net_to_keras_l1l2(1e308, 1.0), ValueError, "alpha is too large"),
    "fit(targets of 1e30)": (
        lambda: training.fit(_MODEL, X_SMALL, np.full(16, 1e30), epochs=1), ValueError, "y_train holds values as large as 1e"),
    "fit(features of 1e30)": (
        lambda: training.fit(_MODEL, np.full_like(X_SMALL, 1e30), Y_SMALL, epochs=1), ValueError, "X_train holds values"),
    "describe(feature_nmes=...)": (
        lambda: explorers.describe("dropout_gap", _GAP, 0, feature_nmes=["a"]), TypeError, "feature_nmes"),
    "describe(kind='dropout_gap', feature_names=...)": (
        lambda: explorers.describe("dropout_gap", _GAP, 0, feature_names=["a"]), ValueError, "feature_names is read by"),
    # unclear errors
    "check_real(10**400) via lasso_to_keras_l1": (
        lambda: penalties.lasso_to_keras_l1(10**400), ValueError, "alpha must be a finite real number of ordinary size"),
    "check_real(10**400) via build_mlp(dropout=...)": (
        lambda: models.build_mlp(3, (4,), task="binary", dropout=10**400), ValueError, "dropout must be a finite"),
    "check_int(10**5000) is described, not printed": (
        lambda: data.load_noisy_cosine(n_train=10**5000), ValueError, "n_train must be <= .*, got an integer of about 5001 digits"),
    "load_digits_split(n_train=1500)": (
        lambda: data.load_digits_split(n_train=1500), ValueError, r"n_train \+ n_val = 1500 \+ 500 .* n_val can be at most 297"),
    "read_pins(non-UTF-8 file)": (None, ValueError, "path .* is not a requirements file in UTF-8 text"),
    "decompose(model=LinearRegression)": (
        lambda: bv.decompose(data.runge, np.linspace(-1, 1, 5), noise_sd=0.1, model=Ridge), TypeError,
        r"got the class Ridge itself: add the brackets, model=Ridge\(\)"),
    "predict_side_by_side(weights=<lists>)": ("lists", None, None),
    "predict_side_by_side(weights=<a list of the wrong shape>)": (
        lambda: batched.predict_side_by_side(_SIDE_MODEL, X_SIDE, Y_SIDE, weights=[[1.0]] * len(_SIDE_WEIGHTS)),
        ValueError, "weights must match model.get_weights"),
    "SoftThreshold(0.1)('abc')": (lambda: penalties.SoftThreshold(0.1)("abc"), TypeError, "w must be array-like"),
    "SoftThreshold(0.1)(a tensor of strings)": (
        lambda: penalties.SoftThreshold(0.1)(np.array(["a"])), TypeError, "w must hold real numbers"),
    "Frames.at(10)": (lambda: explorers.frames("alpha", [0.1, 1.0], kept=[1.0, 2.0]).at(10), IndexError,
                      "index must be a whole number from 0 to 1"),
    # longer than documented
    "learning_curve(sizes=[10**5], repeats=10**4)": (
        lambda: bv.learning_curve(data.cosine_truth, degree=1, sizes=[10**5], repeats=10**4, noise_sd=0.1), ValueError,
        r"sizes .* repeats .* would take about .* s \(estimated\), more than the 60 s"),
    "double_descent(n_features=[10_000] * 5, draws=1000)": (
        lambda: bv.double_descent(n_features=[10_000] * 5, draws=1000), ValueError,
        r"n_features .* draws .* would take about .* s \(estimated\)"),
}


@pytest.mark.parametrize("case", PROBE_ERRORS, ids=list(PROBE_ERRORS))
def test_probe_case_gets_a_clear_message_or_the_same_result(case: str, tmp_path: Any) -> None:
    call, error, match = PROBE_ERRORS[case]
    if case.startswith("read_pins"):
        call = lambda: environment.read_pins(_non_utf8_pins(tmp_path))  # noqa: E731
    if call == "lists":  # the same result: lists are arrays spelt another way
        as_lists = [w.tolist() for w in _SIDE_WEIGHTS]
        got = batched.predict_side_by_side(_SIDE_MODEL, X_SIDE, Y_SIDE, weights=as_lists)
        np.testing.assert_allclose(got["proba"], batched.predict_side_by_side(_SIDE_MODEL, X_SIDE, Y_SIDE)["proba"])
        return
    try:
        with pytest.raises(error, match=match):
            _run(call, {})
    finally:
        plt.close("all")


@pytest.mark.parametrize(
    ("metric", "values", "epoch"),
    [
        ("accuracy", [0.5, 0.9, 0.7], 2),  # the HIGHEST accuracy (it picked the lowest, epoch 1)
        ("data_loss", [0.3, 0.1, 0.2], 2),  # the lowest loss
        ("total_loss", [0.3, 0.4, 0.1], 3),
        ("accuracy", [0.9, 0.9, 0.8], 1),  # a tie: the first epoch
    ],
)
def test_final_metrics_picks_the_best_epoch_of_a_score_or_a_loss(metric: str, values: list[float], epoch: int) -> None:
    others = {"accuracy": [0.1, 0.2, 0.3], "data_loss": [1.0, 1.0, 1.0], "total_loss": [1.0, 1.0, 1.0]}
    history = _history({**others, metric: values})
    picked = training.final_metrics(history, best=metric)
    assert picked["epoch"] == epoch and picked[f"validation {metric}"] == values[epoch - 1]


@pytest.mark.parametrize(
    ("raw", "shown"),
    [("0", False), ("0.0", False), (" 00 ", False), ("off", False), ("False", False), ("no", False),
     ("disabled", False), ("NONE", False), ("", True), ("1", True), ("1.0", True), ("on", True), ("yes", True),
     ("true", True), ("enabled", True)],
)
def test_course_progress_values(raw: str, shown: bool, monkeypatch: Any) -> None:
    monkeypatch.setenv("COURSE_PROGRESS", raw)
    assert progress.enabled() is shown


@pytest.mark.parametrize("raw", ["of", "disbled", "nan", "inf", "maybe", "0,0"])
def test_course_progress_refuses_what_it_cannot_read(raw: str, monkeypatch: Any) -> None:
    monkeypatch.setenv("COURSE_PROGRESS", raw)
    with pytest.raises(ValueError, match="COURSE_PROGRESS=.* is not understood: set it to 0"):
        progress.enabled()


def test_course_progress_unset_shows_progress(monkeypatch: Any) -> None:
    monkeypatch.delenv("COURSE_PROGRESS", raising=False)
    assert progress.enabled() is True


def test_bars_are_drawn_only_when_course_progress_is_on(monkeypatch: Any) -> None:
    """COURSE_PROGRESS=0: bar() and track() draw nothing (a do-nothing bar, the plain items); =1: a tqdm bar of the
    given total and label, which track() iterates through, items unchanged."""
    from tqdm.auto import tqdm

    monkeypatch.setenv("COURSE_PROGRESS", "0")
    quiet = progress.bar(3, desc="sweep")
    assert not isinstance(quiet, tqdm)
    with quiet as same:
        same.update(1)
    assert not isinstance(progress.track([1, 2], desc="sweep"), tqdm)
    assert list(progress.track([1, 2], desc="sweep")) == [1, 2]
    monkeypatch.setenv("COURSE_PROGRESS", "1")
    shown = progress.bar(3, desc=" sweep ")
    try:
        assert isinstance(shown, tqdm) and shown.total == 3 and shown.desc.startswith("sweep")
    finally:
        shown.close()
    assert list(progress.track(iter([1, 2]), desc="sweep", total=2)) == [1, 2]


def test_the_run_time_estimates_let_the_lessons_calls_through_and_stop_the_probes() -> None:
    """The lessons' own calls are estimated well under a minute; the probe's calls far over it."""
    lesson_01 = bv._learning_curve_seconds(degree=12, sizes=[20, 25, 30, 40, 50, 100, 200, 400], repeats=20, n_val=1000)
    defaults = bv._double_descent_seconds(
        n_train=100, n_inputs=5, n_features=(10, 25, 50, 75, 90, 100, 110, 125, 150, 250, 500, 1000, 2000), draws=5,
        n_test=2000)
    assert lesson_01 < 5 and defaults < 15
    assert bv._learning_curve_seconds(degree=1, sizes=[10**5], repeats=10**4, n_val=1000) > 10 * bv.MAX_SECONDS
    assert bv._double_descent_seconds(n_train=100, n_inputs=5, n_features=[10_000] * 5, draws=1000, n_test=2000) > 100 * bv.MAX_SECONDS


def test_an_exercise_evaluation_never_lets_system_exit_out() -> None:
    from utils.checks import Exercise

    def checker(answer: Any) -> None:
        raise SystemExit(2)

    assert Exercise("q", "Why?", checker, "hint", "answer = 1").evaluate(1)[0] is False


def test_huge_values_found_by_the_listed_10_to_the_400() -> None:
    """Two more cases the values 10**400 and 1e308 of BAD_VALUES found: a clear error naming the argument."""
    with pytest.raises(ValueError, match="n_samples must be <= "):
        penalties.ridge_to_keras_l2(1.0, 10**400)
    with pytest.raises(ValueError, match="x must be at most 1e15"):
        data.cosine_truth([1e308])
