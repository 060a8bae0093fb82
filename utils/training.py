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


MAX_ABS_VALUE = 1e18
"""Largest size of a feature or target :func:`fit` accepts: Keras computes in float32 (at most 3.4e38), where
the square of a larger value (in the mean squared error, or an activation) would overflow to infinity."""


def _in_float32_range(name: str, array: np.ndarray) -> np.ndarray:
    largest = float(np.max(np.abs(array))) if array.size and array.dtype != bool else 0.0
    if largest > MAX_ABS_VALUE:
        raise ValueError(
            f"{name} holds values as large as {largest:.3g}; training computes in float32, where their squares "
            f"overflow to infinity: keep every |value| at most {MAX_ABS_VALUE:.0e} (rescale, e.g. standardise)"
        )
    return array


def _features(name: str, X: Any, model: Any) -> np.ndarray:
    """A feature matrix checked against the model's number of inputs."""
    X = _in_float32_range(name, check_array(name, X, ndim=2, min_columns=1))
    expected = model_inputs(model)
    if expected is not None:
        check_columns(name, X, expected, source=f"the model {model.name!r}")
    return X


def _labels(name: str, y: Any, model: Any, task: str) -> np.ndarray:
    """Targets checked against the model's task and output units, shaped as its loss expects."""
    units, _ = model_outputs(model)
    return check_labels(name, _in_float32_range(name, check_array(name, y, ndim=(1, 2))), task, units)


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
    batch_size = min(check_int("batch_size", batch_size, minimum=1), len(X))  # larger is one full batch anyway
    dataset = tf.data.Dataset.from_tensor_slices((X, y))
    if shuffle:
        dataset = dataset.shuffle(len(X), seed=seed, reshuffle_each_iteration=True)
    return dataset.batch(batch_size).repeat(), math.ceil(len(X) / batch_size)


def _build_for_training(model: keras.Model, X: np.ndarray, y: np.ndarray) -> None:
    """Create now every variable that ``model.fit``'s first step would create, so Keras traces that step once.

    ``fit`` compiles its training step into a graph at its first step (about 0.3 s for this course's models).
    When that first trace creates variables (the optimizer's slots, the state of the compiled metrics and
    loss), TensorFlow traces the step a second time; creating them beforehand saves the second trace. No number
    changes: the metrics and the loss are built on a made-up prediction of zeros for the first example (the
    model is not run, so no dropout mask is drawn, not even by a layer that drops at inference), then the
    metrics are reset. ``X`` and ``y`` are checked arrays, shaped as ``fit`` receives them.
    """
    first, targets = X[:1].astype(np.float32), y[:1]
    pred = keras.ops.zeros((1, *model.output_shape[1:]))
    model.compute_metrics(first, targets, pred)
    model.compute_loss(first, targets, pred)
    model.reset_metrics()
    model.optimizer.build(model.trainable_variables)


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
    _build_for_training(model, X_train, y_train)
    start = time.perf_counter()
    history = model.fit(
        train_data, steps_per_epoch=steps, epochs=epochs, verbose=0, shuffle=False, callbacks=[*extra, *callbacks]
    )
    seconds = time.perf_counter() - start
    return tidy_history(history.history, seconds=seconds)


def train_steps(
    model: keras.Model,
    X_train: Any,
    y_train: Any,
    *,
    steps: int,
    progress: str | None = None,
) -> keras.Model:
    """Train a model compiled by :func:`compile_model` for ``steps`` full-batch steps, recording nothing.

    The same updates as ``fit(model, X_train, y_train, epochs=steps)`` (one full-batch step per epoch), in the
    same order, so the trained weights are the same; but Keras runs them as one epoch of ``steps`` steps, without
    the bookkeeping ``fit`` does at the end of every epoch (about 4 ms each here). For runs whose history is not
    looked at: only the trained model is.

    Parameters
    ----------
    model : keras.Model
        Compiled with :func:`compile_model`.
    X_train, y_train : array-like
        Training data; targets as class labels (classification) or values (regression).
    steps : int
        Full-batch steps (the epochs of full-batch training).
    progress : str, optional
        A short label: show a bar of the steps while training (see :mod:`utils.progress`).

    Returns
    -------
    keras.Model
        The same model, trained in place.
    """
    task = _compiled_task(model)
    steps = check_int("steps", steps, minimum=1, maximum=MAX_EPOCHS)
    X_train = _features("X_train", X_train, model)
    y_train = _labels("y_train", y_train, model, task)
    check_same_length(X_train=X_train, y_train=y_train)
    callbacks: list[keras.callbacks.Callback] = []
    if progress is not None:
        progress = utils_progress.label(progress, name="progress")
        callbacks.append(_StepBar(utils_progress.bar(steps, desc=progress)))
    train_data, _ = make_dataset(X_train, y_train)
    _build_for_training(model, X_train, y_train)
    model.fit(train_data, steps_per_epoch=steps, epochs=1, verbose=0, shuffle=False, callbacks=callbacks)
    return model


class _Bar(keras.callbacks.Callback):
    """Holds a :func:`utils.progress.bar` and closes it when training ends; a subclass advances it."""

    def __init__(self, bar: Any) -> None:
        super().__init__()
        self._bar = bar

    def on_train_end(self, logs: dict[str, Any] | None = None) -> None:
        self._bar.close()


class _StepBar(_Bar):
    """Advances its bar by one per training step."""

    def on_train_batch_end(self, batch: int, logs: dict[str, Any] | None = None) -> None:
        self._bar.update(1)


class _EpochBar(_Bar):
    """Advances its bar by one per epoch. It has no per-step hook, so Keras keeps calling back after each step
    asynchronously (a per-step hook makes Keras wait for every step's numbers)."""

    def on_epoch_end(self, epoch: int, logs: dict[str, Any] | None = None) -> None:
        self._bar.update(1)


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


HIGHER_IS_BETTER = ("accuracy", "auc", "precision", "recall")
"""Words in a metric's name that make :func:`final_metrics` pick its highest value rather than its lowest."""


def final_metrics(history: pd.DataFrame, *, best: str | None = None) -> pd.Series:
    """Metrics of one epoch of a tidy history: the last one, or the one where ``best`` was best.

    Parameters
    ----------
    history : pandas.DataFrame
        As returned by :func:`fit`.
    best : str, optional
        A validation metric that picks the epoch: its **highest** value for a score where higher is better
        (a name containing ``"accuracy"``, ``"auc"``, ``"precision"`` or ``"recall"``), its **lowest** value for
        any other metric (a loss, e.g. ``"data_loss"``). Default: the last epoch. The first epoch wins a tie.

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
        higher_is_better = any(word in best.lower() for word in HIGHER_IS_BETTER)
        chosen = rows["value"].idxmax() if higher_is_better else rows["value"].idxmin()
        epoch = int(rows.loc[chosen, "epoch"])
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
    # Keras runs 50 steps per call into its compiled graph instead of one: the same updates, half the time here
    model.steps_per_execution = math.gcd(steps, 50)
    data, _ = make_dataset(X, y.astype(np.float32).reshape(-1, 1))
    _build_for_training(model, X, y.astype(np.float32).reshape(-1, 1))
    model.fit(data, steps_per_epoch=steps, epochs=1, verbose=0, shuffle=False)
    kernel, bias = (np.array(w.numpy()) for w in model.get_layer("output").weights)
    return kernel.ravel(), float(bias[0])
