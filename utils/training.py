"""Compiling and training Keras models the fast way, with histories as tidy DataFrames.

Feeding NumPy arrays to ``fit`` costs about 50 ms of fixed overhead per epoch on this course's machines;
a ``tf.data`` pipeline removes it (about 7x faster for full-batch training of small models). The
``loss`` Keras reports includes every penalty in ``model.losses``; :func:`compile_model` also compiles
the plain data loss as a metric, so regularized and unregularized models can be compared fairly.
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from typing import Any

from utils import progress as utils_progress
from utils._validate import (
    check_array,
    check_bool,
    check_callbacks,
    check_choice,
    check_columns,
    check_int,
    check_labels,
    check_model,
    check_output_for_task,
    check_real,
    check_same_length,
    check_sequence,
    check_str,
    model_inputs,
    model_outputs,
)
from utils.models import TASKS, build_linear
from utils.repro import get_seed

import keras
import numpy as np
import pandas as pd

OPTIMIZERS = ("adam", "adamw", "sgd", "rmsprop")


def _quiet_tensorflow_logger() -> None:
    """TensorFlow's Python logger warns about retracing whenever a lesson trains several small models in a
    loop, which is the point of a sweep; the warning would land in the notebook's stderr. Errors still show,
    and a level the learner has set on that logger is kept."""
    import logging

    import tensorflow as tf

    logger = tf.get_logger()
    if logger.level == logging.NOTSET:
        logger.setLevel(logging.ERROR)


_quiet_tensorflow_logger()
_METRIC_NAMES = {"loss": "total_loss", "data_loss": "data_loss", "accuracy": "accuracy"}


def compile_model(
    model: keras.Model,
    *,
    task: str,
    optimizer: str | keras.optimizers.Optimizer = "adam",
    learning_rate: float | keras.optimizers.schedules.LearningRateSchedule = 1e-3,
) -> keras.Model:
    """Compile ``model`` with the loss of its task, a ``data_loss`` metric and (for classifiers) accuracy.

    Parameters
    ----------
    model : keras.Model
        The model to compile (in place).
    task : {"regression", "binary", "multiclass"}
        Mean squared error, binary cross-entropy, or sparse categorical cross-entropy (integer labels).
    optimizer : str or keras.optimizers.Optimizer, default "adam"
        ``"adam"``, ``"adamw"``, ``"sgd"`` (plain, no momentum) or ``"rmsprop"``, or a ready optimizer
        object (then ``learning_rate`` is ignored).
    learning_rate : float or LearningRateSchedule, default 1e-3
        Step size for a named optimizer.

    Returns
    -------
    keras.Model
        The same model, compiled.
    """
    check_model("model", model)
    check_choice("task", task, TASKS)
    check_output_for_task("model", model, task)
    if isinstance(optimizer, str):
        check_choice("optimizer", optimizer, OPTIMIZERS)
        if not isinstance(learning_rate, keras.optimizers.schedules.LearningRateSchedule):
            learning_rate = check_real("learning_rate", learning_rate, minimum=0.0, strict_minimum=True)
        optimizer = {
            "adam": keras.optimizers.Adam,
            "adamw": keras.optimizers.AdamW,
            "sgd": keras.optimizers.SGD,
            "rmsprop": keras.optimizers.RMSprop,
        }[optimizer](learning_rate=learning_rate)
    elif not isinstance(optimizer, keras.optimizers.Optimizer):
        raise TypeError(
            f"optimizer must be one of {OPTIMIZERS} or a keras.optimizers.Optimizer, got {type(optimizer).__name__}"
        )
    if task == "regression":
        loss, data_loss, extra = "mse", keras.metrics.MeanSquaredError(name="data_loss"), []
    elif task == "binary":
        loss = keras.losses.BinaryCrossentropy()
        data_loss, extra = keras.metrics.BinaryCrossentropy(name="data_loss"), [keras.metrics.BinaryAccuracy(name="accuracy")]
    else:
        loss = keras.losses.SparseCategoricalCrossentropy()
        data_loss = keras.metrics.SparseCategoricalCrossentropy(name="data_loss")
        extra = [keras.metrics.SparseCategoricalAccuracy(name="accuracy")]
    model.compile(optimizer=optimizer, loss=loss, metrics=[data_loss, *extra])
    model._course_task = task  # remembered so that fit() can shape the targets the way the loss expects
    return model


MAX_EPOCHS = 100_000
"""Most epochs (or steps) one call trains for: more is a typo that would look like a hang."""


def _compiled_task(model: Any) -> str:
    """The task a model was compiled for by :func:`compile_model`, or raise."""
    check_model("model", model)
    task = getattr(model, "_course_task", None)
    if task is None:
        raise ValueError("compile the model with utils.training.compile_model(model, task=...) first")
    return task


def _features(name: str, X: Any, model: Any) -> np.ndarray:
    """A feature matrix checked against the model's number of inputs."""
    X = check_array(name, X, ndim=2, min_columns=1)
    expected = model_inputs(model)
    if expected is not None:
        check_columns(name, X, expected, source=f"the model {model.name!r}")
    return X


def _labels(name: str, y: Any, model: Any, task: str) -> np.ndarray:
    """Targets checked against the model's task and output units, shaped as its loss expects."""
    units, _ = model_outputs(model)
    return check_labels(name, check_array(name, y, ndim=(1, 2)), task, units)


def make_dataset(
    X: Any, y: Any, *, batch_size: int | None = None, shuffle: bool = True, seed: int | None = None
) -> tuple[Any, int]:
    """A repeating ``tf.data`` pipeline and the number of steps that make one epoch.

    Parameters
    ----------
    X : array-like of shape (n, p)
    y : array-like of shape (n,) or (n, 1)
    batch_size : int, optional
        ``None`` (default) for full-batch training: the whole set is one step.
    shuffle : bool, default True
        Reshuffle mini-batches every epoch (ignored for full batch).
    seed : int, optional
        Shuffle seed; default: the course seed.

    Returns
    -------
    dataset : tf.data.Dataset
        Repeats forever; pass ``steps_per_epoch`` to ``fit``.
    steps : int
        Steps per epoch.
    """
    import tensorflow as tf

    X = check_array("X", X, ndim=2, min_columns=1)
    y = check_array("y", y, ndim=(1, 2))
    check_same_length(X=X, y=y)
    shuffle = check_bool("shuffle", shuffle)
    seed = get_seed() if seed is None else check_int("seed", seed, minimum=0, maximum=2**32 - 1)
    X = X.astype(np.float32)
    if batch_size is None:
        return tf.data.Dataset.from_tensors((X, y)).repeat(), 1
    batch_size = check_int("batch_size", batch_size, minimum=1)
    dataset = tf.data.Dataset.from_tensor_slices((X, y))
    if shuffle:
        dataset = dataset.shuffle(len(X), seed=seed, reshuffle_each_iteration=True)
    return dataset.batch(batch_size).repeat(), math.ceil(len(X) / batch_size)


def fit(
    model: keras.Model,
    X_train: Any,
    y_train: Any,
    *,
    validation: tuple[Any, Any] | None = None,
    epochs: int,
    batch_size: int | None = None,
    callbacks: Sequence[keras.callbacks.Callback] = (),
    seed: int | None = None,
    progress: str | None = None,
) -> pd.DataFrame:
    """Train a model compiled by :func:`compile_model`, quietly and fast, and return its history.

    Parameters
    ----------
    model : keras.Model
        Compiled with :func:`compile_model`.
    X_train, y_train : array-like
        Training data; targets as class labels (classification) or values (regression).
    validation : tuple (X_val, y_val), optional
        Evaluated at the end of every epoch.
    epochs : int
        Passes over the training data.
    batch_size : int, optional
        ``None`` (default): full batch, one step per epoch.
    callbacks : sequence of keras.callbacks.Callback, optional
        E.g. ``keras.callbacks.EarlyStopping``.
    seed : int, optional
        Seed of the mini-batch shuffling; default: the course seed.
    progress : str, optional
        A short label (1 to 60 characters): show a bar of the epochs while training (see
        :mod:`utils.progress`; nothing is shown when ``COURSE_PROGRESS=0``). Default: no bar.

    Returns
    -------
    pandas.DataFrame
        Tidy: one row per epoch, split and metric, with columns ``epoch`` (from 1), ``split``
        (``"train"`` or ``"validation"``), ``metric`` (``"total_loss"``: the loss with every penalty,
        ``"data_loss"``: the loss alone, ``"accuracy"`` for classifiers) and ``value``.
        ``history.attrs["seconds"]`` holds the training time.
    """
    task = _compiled_task(model)
    epochs = check_int("epochs", epochs, minimum=1, maximum=MAX_EPOCHS)
    X_train = _features("X_train", X_train, model)
    y_train = _labels("y_train", y_train, model, task)
    check_same_length(X_train=X_train, y_train=y_train)
    extra: list[keras.callbacks.Callback] = []
    if validation is not None:
        if not (isinstance(validation, tuple) and len(validation) == 2):
            raise TypeError(f"validation must be a tuple (X_val, y_val), got {type(validation).__name__}")
        X_val = _features("X_val", validation[0], model)
        y_val = _labels("y_val", validation[1], model, task)
        check_same_length(X_val=X_val, y_val=y_val)
        extra.append(ValidationMetrics(X_val, y_val, task=task))
    callbacks = check_callbacks("callbacks", callbacks)
    if progress is not None:
        progress = utils_progress.label(progress, name="progress")
        extra.append(_EpochBar(utils_progress.bar(epochs, desc=progress)))
    train_data, steps = make_dataset(X_train, y_train, batch_size=batch_size, seed=seed)
    start = time.perf_counter()
    history = model.fit(
        train_data, steps_per_epoch=steps, epochs=epochs, verbose=0, shuffle=False, callbacks=[*extra, *callbacks]
    )
    seconds = time.perf_counter() - start
    return tidy_history(history.history, seconds=seconds)


class _EpochBar(keras.callbacks.Callback):
    """Advances a :func:`utils.progress.bar` by one step per epoch and closes it when training ends."""

    def __init__(self, bar: Any) -> None:
        super().__init__()
        self._bar = bar

    def on_epoch_end(self, epoch: int, logs: dict[str, Any] | None = None) -> None:
        self._bar.update(1)

    def on_train_end(self, logs: dict[str, Any] | None = None) -> None:
        self._bar.close()


class ValidationMetrics(keras.callbacks.Callback):
    """Evaluate the validation set at the end of every epoch with one direct forward pass.

    Adds ``val_loss`` (data loss plus every penalty in ``model.losses``), ``val_data_loss`` and, for
    classifiers, ``val_accuracy`` to the epoch's logs, as Keras's ``validation_data`` would, but about
    ten times faster for small models (Keras's own validation loop costs ~15 ms per epoch here). Callbacks
    after it, such as ``EarlyStopping(monitor="val_data_loss")``, see these values.

    Parameters
    ----------
    X_val : numpy.ndarray of shape (n, p)
    y_val : numpy.ndarray
        Targets shaped as :func:`fit` shapes them: ``(n, 1)`` floats, or ``(n,)`` integer labels.
    task : {"regression", "binary", "multiclass"}
    """

    def __init__(self, X_val: np.ndarray, y_val: np.ndarray, *, task: str) -> None:
        super().__init__()
        check_choice("task", task, TASKS)
        X_val = check_array("X_val", X_val, ndim=2, min_columns=1)
        y_val = check_array("y_val", y_val, ndim=(1, 2))
        check_same_length(X_val=X_val, y_val=y_val)
        self.n_columns = X_val.shape[1]
        self.X_val = keras.ops.convert_to_tensor(np.asarray(X_val, dtype=np.float32))
        self.y_val = check_labels("y_val", y_val, task, None) if task == "multiclass" else np.asarray(y_val)
        if task == "binary":
            check_labels("y_val", y_val, task, None)
        self.task = task
        self._forward: Any = None

    def on_train_begin(self, logs: dict[str, float] | None = None) -> None:
        import tensorflow as tf

        model = self.model
        expected = model_inputs(model)
        if expected is not None and expected != self.n_columns:
            raise ValueError(f"X_val has {self.n_columns} columns but the model {model.name!r} expects {expected}")
        units, _ = model_outputs(model)
        if self.task == "multiclass":
            check_labels("y_val", self.y_val, self.task, units)

        def forward(x: Any) -> tuple[Any, Any]:
            penalty = keras.ops.sum(keras.ops.stack(model.losses)) if model.losses else keras.ops.zeros(())
            return model(x, training=False), penalty

        self._forward = tf.function(forward)  # one compiled graph: an eager call costs ~10 ms per epoch

    def on_epoch_end(self, epoch: int, logs: dict[str, float] | None = None) -> None:
        if logs is None:
            return
        pred, penalty = self._forward(self.X_val)
        scores = _scores(keras.ops.convert_to_numpy(pred), self.y_val, self.task)
        logs.update({f"val_{name}": value for name, value in scores.items()})
        logs["val_loss"] = scores["data_loss"] + float(penalty)


def _scores(pred: np.ndarray, y: np.ndarray, task: str) -> dict[str, float]:
    """Data loss (and accuracy) of predictions, computed as Keras's metrics compute them."""
    pred = np.asarray(pred, dtype=np.float64)
    eps = 1e-7  # Keras clips probabilities the same way
    if task == "regression":
        return {"data_loss": float(np.mean((y.reshape(pred.shape) - pred) ** 2))}
    if task == "binary":
        p = np.clip(pred, eps, 1 - eps)
        t = y.reshape(p.shape)
        return {
            "data_loss": float(np.mean(-(t * np.log(p) + (1 - t) * np.log(1 - p)))),
            "accuracy": float(np.mean((pred > 0.5) == (t > 0.5))),
        }
    p = np.clip(pred, eps, 1 - eps)
    return {
        "data_loss": float(np.mean(-np.log(p[np.arange(len(y)), y.astype(int)]))),
        "accuracy": float(np.mean(np.argmax(pred, axis=1) == y)),
    }


class RecordWeightNorms(keras.callbacks.Callback):
    """Record the L2 norm of every Dense kernel at the end of each epoch.

    Pass it to :func:`fit` in ``callbacks`` and read :meth:`frame` afterwards.
    """

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[dict[str, float]] = []

    def on_epoch_end(self, epoch: int, logs: dict[str, float] | None = None) -> None:
        for layer in self.model.layers:
            if isinstance(layer, keras.layers.Dense):
                norm = float(np.sqrt(np.square(layer.kernel.numpy().astype(np.float64)).sum()))
                self.rows.append({"epoch": epoch + 1, "layer": layer.name, "norm": norm})

    def frame(self) -> pd.DataFrame:
        """The norms recorded so far: columns ``epoch``, ``layer``, ``norm``."""
        return pd.DataFrame(self.rows, columns=["epoch", "layer", "norm"])


def evaluate(model: keras.Model, X: Any, y: Any) -> dict[str, float]:
    """The data loss (and accuracy, for classifiers) of a model compiled by :func:`compile_model`.

    Parameters
    ----------
    model : keras.Model
    X : array-like of shape (n, p)
    y : array-like
        Targets as for :func:`fit`.

    Returns
    -------
    dict
        ``data_loss``, ``total_loss`` (with every penalty) and, for classifiers, ``accuracy``.
    """
    task = _compiled_task(model)
    X = _features("X", X, model).astype(np.float32)
    y = _labels("y", y, model, task)
    check_same_length(X=X, y=y)
    # One direct forward pass: Keras's evaluate() traces a new graph for every model (~0.3 s each).
    scores = _scores(keras.ops.convert_to_numpy(model(X, training=False)), y, task)
    penalty = sum(float(keras.ops.convert_to_numpy(loss)) for loss in model.losses)
    return {"total_loss": scores["data_loss"] + penalty, **scores}


def tidy_history(history: dict[str, Sequence[float]], *, seconds: float | None = None) -> pd.DataFrame:
    """Turn a Keras ``History.history`` dict into the tidy table that :func:`fit` returns.

    Parameters
    ----------
    history : dict of str to list of float
        E.g. ``{"loss": [...], "val_loss": [...]}``.
    seconds : float, optional
        Training time, stored in ``attrs["seconds"]``.

    Returns
    -------
    pandas.DataFrame
        Columns ``epoch``, ``split``, ``metric``, ``value``.
    """
    if not isinstance(history, dict) or not history:
        raise TypeError("history must be a non-empty dict such as keras_history.history")
    for key, values in history.items():
        if not isinstance(key, str):
            raise TypeError(f"history's keys must be metric names (strings), got {type(key).__name__} {key!r}")
        check_array(f"history[{key!r}]", values, ndim=1, min_rows=0, finite=False)  # a diverged run has NaN
    if seconds is not None:
        seconds = check_real("seconds", seconds, minimum=0.0)
    rows = []
    for key, values in history.items():
        split, name = ("validation", key[4:]) if key.startswith("val_") else ("train", key)
        metric = _METRIC_NAMES.get(name, name)
        rows += [(epoch, split, metric, float(v)) for epoch, v in enumerate(values, start=1)]
    frame = pd.DataFrame(rows, columns=["epoch", "split", "metric", "value"])
    if seconds is not None:
        frame.attrs["seconds"] = seconds
    return frame


def final_metrics(history: pd.DataFrame, *, best: str | None = None) -> pd.Series:
    """Metrics of one epoch of a tidy history: the last one, or the one where ``best`` was lowest.

    Parameters
    ----------
    history : pandas.DataFrame
        As returned by :func:`fit`.
    best : str, optional
        A validation metric to minimise (e.g. ``"data_loss"``) to pick the epoch; default: last epoch.

    Returns
    -------
    pandas.Series
        Indexed by ``"<split> <metric>"``, plus ``"epoch"``.
    """
    if not isinstance(history, pd.DataFrame) or not {"epoch", "split", "metric", "value"} <= set(history):
        raise TypeError("history must be the DataFrame returned by utils.training.fit")
    if history.empty:
        raise ValueError("history is empty: it has no epoch to report")
    check_str("best", best, optional=True)
    if best is None:
        epoch = int(history["epoch"].max())
    else:
        rows = history[(history["split"] == "validation") & (history["metric"] == best)]
        if rows.empty:
            raise ValueError(
                f"best={best!r}: there is no validation {best!r} in this history; it has {sorted(history['metric'].unique())}"
            )
        if rows["value"].isna().all():
            raise ValueError(f"every validation {best!r} in this history is NaN: training diverged")
        epoch = int(rows.loc[rows["value"].idxmin(), "epoch"])
    at = history[history["epoch"] == epoch]
    series = pd.Series({f"{s} {m}": v for s, m, v in at[["split", "metric", "value"]].itertuples(index=False)})
    series["epoch"] = epoch
    return series


def fit_linear(
    X: Any,
    y: Any,
    *,
    kernel_regularizer: keras.regularizers.Regularizer | None = None,
    kernel_constraint: keras.constraints.Constraint | None = None,
    steps: int = 1000,
) -> tuple[np.ndarray, float]:
    """Fit a Keras linear model to convergence, full batch, to compare it with scikit-learn.

    Adam with a step-down learning rate (0.1, then 0.01, 0.001 and 1e-4 over the last 40% of steps)
    minimises mean squared error plus the penalty; with standardised ``X`` and ``y`` it reaches
    scikit-learn's ``Ridge``/``ElasticNet`` coefficients within about 1e-3 when the penalty is
    converted with :mod:`utils.penalties`.

    Parameters
    ----------
    X : array-like of shape (n, p)
        Standardised features.
    y : array-like of shape (n,)
        Targets (standardise them too for the default step sizes).
    kernel_regularizer : keras.regularizers.Regularizer, optional
        The penalty on the coefficients.
    kernel_constraint : keras.constraints.Constraint, optional
        A constraint applied after every step.
    steps : int, default 1000
        Full-batch steps.

    Returns
    -------
    coef : numpy.ndarray of shape (p,)
    intercept : float
    """
    X = check_array("X", X, ndim=2, min_columns=1)
    y = check_array("y", y, ndim=1)
    check_same_length(X=X, y=y)
    steps = check_int("steps", steps, minimum=10, maximum=MAX_EPOCHS)
    bounds = [int(steps * f) for f in (0.6, 0.8, 0.9)]
    schedule = keras.optimizers.schedules.PiecewiseConstantDecay(bounds, [0.1, 0.01, 0.001, 1e-4])
    model = build_linear(X.shape[1], kernel_regularizer=kernel_regularizer, kernel_constraint=kernel_constraint)
    compile_model(model, task="regression", optimizer=keras.optimizers.Adam(learning_rate=schedule))
    data, _ = make_dataset(X, y.astype(np.float32).reshape(-1, 1))
    model.fit(data, steps_per_epoch=steps, epochs=1, verbose=0, shuffle=False)
    kernel, bias = (np.array(w.numpy()) for w in model.get_layer("output").weights)
    return kernel.ravel(), float(bias[0])


MAX_STACK_VALUES = 50_000_000
"""At most this many recorded numbers (epochs x groups x members x inputs) in :func:`train_stack` (200 MB)."""

MAX_STACK_EPOCHS = 2_000
"""Most epochs of one :func:`train_stack` call: it records every epoch, so more is a typo that would look like a hang."""


class _MemberCrossEntropy(keras.losses.Loss):
    """Binary cross-entropy of each member on its own group's rows, summed over members and groups, so
    that each member's gradient is exactly the one it would get if it were trained alone."""

    def __init__(self) -> None:
        super().__init__(reduction="sum", name="member_cross_entropy")

    def call(self, y_true: Any, y_pred: Any) -> Any:
        p = keras.ops.clip(y_pred, 1e-7, 1 - 1e-7)
        return keras.ops.mean(-(y_true * keras.ops.log(p) + (1 - y_true) * keras.ops.log(1 - p)), axis=1)


def _stack_part(name: str, X: Any, y: Any, *, groups: int | None, n_inputs: int | None) -> tuple[np.ndarray, np.ndarray]:
    X = check_array(name if not isinstance(name, tuple) else name[0], X, ndim=3)
    x_name, y_name = (name, f"y of {name}") if isinstance(name, str) else name
    y = check_array(y_name, y, ndim=2)
    if X.shape[0] < 1 or X.shape[1] < 1 or X.shape[2] < 1:
        raise ValueError(f"{x_name} must have at least one group, one row and one input, got shape {X.shape}")
    if y.shape != X.shape[:2]:
        raise ValueError(f"{y_name} must have shape (groups, rows) = {X.shape[:2]} to match {x_name}, got {y.shape}")
    if groups is not None and X.shape[0] != groups:
        raise ValueError(f"{x_name} has {X.shape[0]} groups but X_train has {groups}")
    if n_inputs is not None and X.shape[2] != n_inputs:
        raise ValueError(f"{x_name} has {X.shape[2]} inputs but X_train has {n_inputs}")
    if not np.all((y == 0) | (y == 1)):
        raise ValueError(f"{y_name} must hold binary labels 0 and 1 only")
    return X.astype(np.float32), y.astype(np.float32)[..., None]


def _factors(name: str, value: Any, *, maximum: float, strict_maximum: bool = False) -> np.ndarray:
    array = check_array(name, value, ndim=1)
    for item in array:
        check_real(name, float(item), minimum=0.0, maximum=maximum, strict_maximum=strict_maximum)
    return array.astype(np.float32)


def train_stack(
    X_train: Any,
    y_train: Any,
    *,
    l1: Sequence[float],
    l2: Sequence[float],
    dropout: Sequence[float],
    units: int = 16,
    epochs: int,
    learning_rate: float = 1e-2,
    evaluate: dict[str, tuple[Any, Any]] | None = None,
    progress: str | None = None,
) -> dict[str, Any]:
    """Train many small binary classifiers at once, full batch with Adam, and record their curves.

    Each of ``groups`` data sets (for example one split per seed) trains ``members`` independent networks
    ``inputs -> units ReLU units (dropout) -> 1 sigmoid unit``; member ``m`` adds ``l1[m] * sum|W| +
    l2[m] * sum W^2`` on its first-layer kernel (Keras's ``L1L2(l1, l2)``; biases are not penalised) and
    drops hidden units at rate ``dropout[m]`` during training. All networks are one Keras model and train
    in one ``fit`` call (one compilation, one matrix product per group and step), several times faster than
    training them one after another; each member's updates are those it would get alone. Within a group
    every member starts from the same initial weights.

    Parameters
    ----------
    X_train : array-like of shape (groups, rows, inputs)
        One training set per group.
    y_train : array-like of shape (groups, rows)
        Its 0/1 labels.
    l1, l2 : sequence of float
        Penalty factors of each member (>= 0, at most 1e6), one per member.
    dropout : sequence of float
        Drop rate of each member (0 <= rate < 1).
    units : int, default 16
        Hidden units of every network.
    epochs : int
        Full-batch steps (at most 2,000).
    learning_rate : float, default 0.01
        Adam's step size (at most 10).
    evaluate : dict of str to (X, y), optional
        Data sets shaped like the training set (same groups and inputs, any number of rows), e.g.
        ``{"validation": (X_val, y_val), "test": (X_test, y_test)}``, scored after every epoch.
    progress : str, optional
        A short label: show a bar of the epochs (see :mod:`utils.progress`).

    Returns
    -------
    dict
        ``"loss"`` and ``"accuracy"``: for each name in ``evaluate``, an array ``(epochs, groups, members)``
        of the data loss (binary cross-entropy, in inference mode) and accuracy after each epoch;
        ``"train_loss"`` and ``"train_accuracy"``: ``(groups, members)`` after the last epoch;
        ``"importance"``: ``(epochs, groups, members, inputs)``, each input's outgoing first-layer weight
        norm after each epoch (as :func:`utils.measures.input_importance`); ``"seconds"``: the training time.
    """
    import tensorflow as tf

    X_train, y_train = _stack_part(("X_train", "y_train"), X_train, y_train, groups=None, n_inputs=None)
    groups, n_inputs = X_train.shape[0], X_train.shape[2]
    l1 = _factors("l1", l1, maximum=1e6)
    l2 = _factors("l2", l2, maximum=1e6)
    dropout = _factors("dropout", dropout, maximum=1.0, strict_maximum=True)
    if not len(l1) == len(l2) == len(dropout):
        raise ValueError(f"l1, l2 and dropout need one value per member each; got lengths {len(l1)}, {len(l2)}, {len(dropout)}")
    members = len(l1)
    units = check_int("units", units, minimum=1, maximum=10_000)
    epochs = check_int("epochs", epochs, minimum=1, maximum=MAX_STACK_EPOCHS)
    learning_rate = check_real("learning_rate", learning_rate, minimum=0.0, maximum=10.0, strict_minimum=True)
    if evaluate is None:
        evaluate = {}
    if not isinstance(evaluate, dict):
        raise TypeError(f"evaluate must be a dict of name to (X, y), got {type(evaluate).__name__}")
    parts = {}
    for key, pair in evaluate.items():
        check_str("evaluate", key)
        if not (isinstance(pair, tuple) and len(pair) == 2):
            raise TypeError(f"evaluate[{key!r}] must be a tuple (X, y), got {type(pair).__name__}")
        parts[key] = _stack_part((f"evaluate[{key!r}] X", f"evaluate[{key!r}] y"), *pair, groups=groups, n_inputs=n_inputs)
    if epochs * groups * members * n_inputs > MAX_STACK_VALUES or groups * members * units * n_inputs > MAX_STACK_VALUES:
        raise ValueError(
            f"epochs x groups x members x inputs = {epochs * groups * members * n_inputs:,} numbers to record (or as many "
            f"weights) is more than {MAX_STACK_VALUES:,}: use fewer epochs, groups or members"
        )
    if progress is not None:
        progress = utils_progress.label(progress, name="progress")

    from utils.models import _StackedMLP

    inputs = keras.Input(shape=(None, n_inputs), batch_size=groups)
    layer = _StackedMLP(l1, l2, dropout, units, name="stack")
    model = keras.Model(inputs, layer(inputs), name="mlp_stack")
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=learning_rate), loss=_MemberCrossEntropy())

    names = list(parts)
    rows = np.cumsum([0] + [parts[k][0].shape[1] for k in names])
    X_eval = tf.constant(np.concatenate([parts[k][0] for k in names], axis=1)) if names else None
    y_eval = np.concatenate([parts[k][1] for k in names], axis=1) if names else None
    forward = tf.function(lambda x: model(x, training=False))
    # after each epoch one compiled call returns both the importances and the predictions on every evaluated set
    snapshot = tf.function(lambda x: (layer.importance(), model(x, training=False)))
    importance_of = tf.function(layer.importance)
    loss = {k: np.empty((epochs, groups, members)) for k in names}
    accuracy = {k: np.empty((epochs, groups, members)) for k in names}
    importance = np.empty((epochs, groups, members, n_inputs), dtype=np.float32)

    def scores(pred: Any, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        p = np.clip(np.asarray(pred, dtype=np.float64), 1e-7, 1 - 1e-7)
        return -(y * np.log(p) + (1 - y) * np.log(1 - p)), (p > 0.5) == (y > 0.5)

    class Record(keras.callbacks.Callback):
        def on_epoch_end(self, epoch: int, logs: dict[str, float] | None = None) -> None:
            if X_eval is None:
                importance[epoch] = np.asarray(importance_of())
                return
            weights, pred = snapshot(X_eval)
            importance[epoch] = np.asarray(weights)
            losses, right = scores(pred, y_eval)
            for i, k in enumerate(names):
                loss[k][epoch] = losses[:, rows[i]:rows[i + 1]].mean(axis=1)
                accuracy[k][epoch] = right[:, rows[i]:rows[i + 1]].mean(axis=1)

    callbacks: list[keras.callbacks.Callback] = [Record()]
    if progress is not None:
        callbacks.append(_EpochBar(utils_progress.bar(epochs, desc=progress)))
    data = tf.data.Dataset.from_tensors((X_train, y_train)).repeat()
    start = time.perf_counter()
    model.fit(data, steps_per_epoch=1, epochs=epochs, verbose=0, shuffle=False, callbacks=callbacks)
    seconds = time.perf_counter() - start
    train_losses, train_right = scores(forward(X_train), y_train)
    return {
        "loss": loss, "accuracy": accuracy,
        "train_loss": train_losses.mean(axis=1), "train_accuracy": train_right.mean(axis=1),
        "importance": importance, "seconds": seconds,
    }


# ------------------------------------------------------------------ many multiclass networks side by side (lesson 07)


def side_by_side_data(splits: Sequence[Any], part: str) -> tuple[np.ndarray, np.ndarray]:
    """One part of each network's own split, side by side, as :func:`train_side_by_side` takes it.

    Parameters
    ----------
    splits : sequence of utils.data.Split
        One split per network (the same split may appear several times), each with as many rows in ``part``
        and as many features.
    part : {"train", "val", "test"}
        Which part.

    Returns
    -------
    X : numpy.ndarray of shape (examples, networks, features), float32
    y : numpy.ndarray of shape (examples, networks)
    """
    from utils.data import Split

    check_choice("part", part, ("train", "val", "test"))
    items = _check_splits(splits, Split)
    X = [getattr(s, f"X_{part}") for s in items]
    y = [getattr(s, f"y_{part}") for s in items]
    if len({x.shape for x in X}) > 1:
        raise ValueError(f"splits must all have the same shape of X_{part}, got {sorted({x.shape for x in X})}")
    if len(X[0]) == 0:
        raise ValueError(f"splits have no rows in part {part!r}")
    return np.stack(X, axis=1).astype("float32"), np.stack(y, axis=1)


def _check_splits(splits: Any, split_type: type) -> list[Any]:
    """Return ``splits`` as a non-empty list of ``split_type`` objects, or raise naming ``splits``."""
    if isinstance(splits, split_type):
        raise TypeError("splits must be a sequence of utils.data.Split (one per network), got a single Split; "
                        "write [split]")
    items = check_sequence("splits", splits, what="utils.data.Split objects", example="[split_42, split_43]")
    if not items:
        raise ValueError("splits must not be empty: give one utils.data.Split per network")
    for item in items:
        if not isinstance(item, split_type):
            raise TypeError(f"each item of splits must be a utils.data.Split, got {type(item).__name__}")
    return items


def _side_by_side_cross_entropy(proba: np.ndarray, y: np.ndarray) -> np.ndarray:
    """-log p(true class) of every example and network, clipped below at 1e-7 as Keras clips it."""
    n, m = y.shape
    return -np.log(np.clip(proba[np.arange(n)[:, None], np.arange(m), y].astype("float64"), 1e-7, 1.0))


_SIDE_BY_SIDE_FORWARD: Any = None


def _side_by_side_forward(model: keras.Model, X: np.ndarray) -> np.ndarray:
    """Inference-mode probabilities (dropout off), through one compiled graph per model."""
    global _SIDE_BY_SIDE_FORWARD
    import weakref

    import tensorflow as tf

    if _SIDE_BY_SIDE_FORWARD is None:
        _SIDE_BY_SIDE_FORWARD = weakref.WeakKeyDictionary()
    if model not in _SIDE_BY_SIDE_FORWARD:
        owner = weakref.ref(model)  # the cached graph must not keep its model alive
        _SIDE_BY_SIDE_FORWARD[model] = tf.function(lambda x: owner()(x, training=False), reduce_retracing=True)
    return _SIDE_BY_SIDE_FORWARD[model](X).numpy()


def _side_by_side_model(model: Any) -> tuple[int, int, int]:
    """Networks, inputs and classes of a model from :func:`utils.models.build_side_by_side_mlp`, or raise."""
    check_model("model", model)
    shape_in, shape_out = getattr(model, "input_shape", None), getattr(model, "output_shape", None)
    if not (isinstance(shape_in, tuple) and len(shape_in) == 3 and isinstance(shape_out, tuple) and len(shape_out) == 3
            and shape_in[1] == shape_out[1] and shape_in[1] is not None):
        raise ValueError("model must come from utils.models.build_side_by_side_mlp: input (examples, networks, inputs) "
                         f"and output (examples, networks, classes); got input {shape_in} and output {shape_out}")
    return shape_in[1], shape_in[2], shape_out[2]


def _side_by_side_part(x_name: str, y_name: str, X: Any, y: Any, shape: tuple[int, int, int]) -> tuple[np.ndarray, np.ndarray]:
    networks, n_inputs, n_classes = shape
    X = check_array(x_name, X, ndim=3)
    y = check_array(y_name, y, ndim=2)
    if X.shape[1:] != (networks, n_inputs):
        raise ValueError(f"{x_name} must have shape (examples, {networks} networks, {n_inputs} inputs) for this model, "
                         f"got {X.shape}")
    if y.shape != X.shape[:2]:
        raise ValueError(f"{y_name} must have shape (examples, networks) = {X.shape[:2]} to match {x_name}, got {y.shape}")
    if not np.all(np.equal(np.mod(y, 1), 0)) or y.min() < 0 or y.max() >= n_classes:
        raise ValueError(f"{y_name} must hold integer class labels from 0 to {n_classes - 1}")
    return X.astype(np.float32, copy=False), y if np.issubdtype(y.dtype, np.integer) else y.astype(np.int64)


def train_side_by_side(
    model: keras.Model,
    X_train: Any,
    y_train: Any,
    X_val: Any,
    y_val: Any,
    *,
    epochs: int,
    learning_rate: float = 3e-3,
    patience: int = 10,
    watch: Any = None,
    progress: str | None = None,
) -> dict[str, Any]:
    """Train the networks of a side-by-side model full batch with Adam, and record their curves.

    The loss is the sum of the networks' own mean cross-entropies, so each weight gets exactly the gradient
    it would get if its network were trained alone (and Adam scales every weight on its own): the same
    training as one ``fit`` per network, up to the random draws and the order of floating-point operations.
    Each epoch records each network's training loss as Keras's ``fit`` records it (in the training step,
    dropout on, before the update) and its validation loss (one forward pass, dropout off), and applies
    ``keras.callbacks.EarlyStopping(patience=patience, restore_best_weights=True)``'s bookkeeping to every
    network (without stopping any): the epoch it would stop at, and, for the watched networks, the weights
    of its best epoch before that.

    Parameters
    ----------
    model : keras.Model
        From :func:`utils.models.build_side_by_side_mlp`; trained in place.
    X_train, y_train : array-like of shape (examples, networks, inputs) and (examples, networks)
        Each network's training set and integer class labels (see :func:`side_by_side_data`).
    X_val, y_val : array-like
        Each network's validation set, shaped the same way (any number of examples).
    epochs : int
        Full-batch steps (at most 2,000).
    learning_rate : float, default 0.003
        Adam's step size (at most 10).
    patience : int, default 10
        Early stopping's patience, in epochs.
    watch : array-like of bool of shape (networks,), optional
        The networks whose best-epoch weights are kept; default: every network.
    progress : str, optional
        A short label: show a bar of the epochs (see :mod:`utils.progress`).

    Returns
    -------
    dict
        ``"fit"`` and ``"validation"``: arrays ``(epochs, networks)`` of the training loss as fit records it
        and the validation loss; ``"early_stop"``: a dict with ``"stop_epoch"`` (networks,) the epoch each
        network would stop at (``epochs`` if never), ``"best"`` its lowest validation loss before it,
        ``"wait"`` and ``"weights"`` (the model's weights, a list as ``model.get_weights()``, holding each
        watched network's weights of its best epoch); ``"model"``: the model.
    """
    import tensorflow as tf

    shape = _side_by_side_model(model)
    n = shape[0]
    X_train, y_train = _side_by_side_part("X_train", "y_train", X_train, y_train, shape)
    X_val, y_val = _side_by_side_part("X_val", "y_val", X_val, y_val, shape)
    epochs = check_int("epochs", epochs, minimum=1, maximum=MAX_STACK_EPOCHS)
    learning_rate = check_real("learning_rate", learning_rate, minimum=0.0, maximum=10.0, strict_minimum=True)
    patience = check_int("patience", patience, minimum=1, maximum=MAX_STACK_EPOCHS)
    if watch is None:
        watched = np.ones(n, dtype=bool)
    else:
        watched = check_array("watch", watch, ndim=1)
        if watched.dtype != bool:
            raise TypeError(f"watch must hold True or False, one per network, got dtype {watched.dtype}")
        if len(watched) != n:
            raise ValueError(f"watch must have one value per network ({n}), got {len(watched)}")
    if progress is not None:
        progress = utils_progress.label(progress, name="progress")
    optimizer = keras.optimizers.Adam(learning_rate)

    @tf.function
    def step(x: Any, y: Any) -> Any:
        """One full-batch Adam step; returns each network's training loss, measured with dropout on."""
        with tf.GradientTape() as tape:
            losses = keras.ops.mean(keras.losses.sparse_categorical_crossentropy(y, model(x, training=True)), axis=0)
            total = keras.ops.sum(losses)
        gradients = tape.gradient(total, model.trainable_variables)
        optimizer.apply_gradients(zip(gradients, model.trainable_variables, strict=True))
        return losses

    record: dict[str, Any] = {"fit": [], "validation": [], "best": np.full(n, np.inf),
                              "stop_epoch": np.full(n, epochs), "wait": np.zeros(n, int)}
    loop = range(epochs) if progress is None else utils_progress.track(range(epochs), desc=progress)
    for epoch in loop:
        record["fit"].append(step(X_train, y_train).numpy())
        val = _side_by_side_cross_entropy(_side_by_side_forward(model, X_val), y_val).mean(axis=0)
        record["validation"].append(val)
        running = record["stop_epoch"] == epochs  # early stopping's bookkeeping, as EarlyStopping does it
        better = running & (val < record["best"])
        if epoch == 0:
            record["weights"] = [w.copy() for w in model.get_weights()]
        elif (better & watched).any():
            for kept, now in zip(record["weights"], model.get_weights(), strict=True):
                kept[better & watched] = now[better & watched]
        record["best"][better] = val[better]
        record["wait"] = np.where(better, 0, record["wait"] + 1)
        record["stop_epoch"][running & (record["wait"] >= patience)] = epoch + 1
    curves = {k: np.array(record.pop(k)) for k in ("fit", "validation")}
    return {"model": model, **curves, "early_stop": record}


def predict_side_by_side(model: keras.Model, X: Any, y: Any, *, weights: Sequence[Any] | None = None) -> dict[str, np.ndarray]:
    """Inference-mode predictions (dropout off) of every network of a side-by-side model on its own data.

    Parameters
    ----------
    model : keras.Model
        From :func:`utils.models.build_side_by_side_mlp`; left with the weights it had.
    X, y : array-like of shape (examples, networks, inputs) and (examples, networks)
        Each network's data and integer class labels (see :func:`side_by_side_data`).
    weights : list of numpy.ndarray, optional
        Other weights to predict with, as ``model.get_weights()`` gives them (for example
        ``train_side_by_side(...)["early_stop"]["weights"]``); default: the model's own.

    Returns
    -------
    dict
        ``"loss"``: (examples, networks) ``-log p(true class)``, clipped as Keras clips it; ``"right"``:
        (examples, networks) whether the most probable class is the true one; ``"proba"``: (examples,
        networks, classes) the probabilities.
    """
    shape = _side_by_side_model(model)
    X, y = _side_by_side_part("X", "y", X, y, shape)
    final = model.get_weights()
    if weights is not None:
        items = check_sequence("weights", weights, what="arrays as model.get_weights() gives them",
                               example="model.get_weights()")
        if len(items) != len(final) or any(np.shape(w) != f.shape for w, f in zip(items, final, strict=False)):
            raise ValueError(f"weights must match model.get_weights(): {len(final)} arrays of shapes "
                             f"{[f.shape for f in final]}")
        for i, w in enumerate(items):
            check_array(f"weights[{i}]", w, ndim=final[i].ndim)
        model.set_weights(items)
    try:
        proba = _side_by_side_forward(model, X)
    finally:
        model.set_weights(final)
    return {"loss": _side_by_side_cross_entropy(proba, y), "right": proba.argmax(axis=-1) == y, "proba": proba}
