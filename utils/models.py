"""Keras model builders: a multilayer perceptron with optional kernel penalties and dropout, and the
one-layer linear model that mirrors scikit-learn's linear estimators (many networks side by side in one model
live in :mod:`utils.batched`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from utils._validate import (
    check_choice,
    check_int,
    check_int_sequence,
    check_model,
    check_real,
    check_str,
)

import keras
import numpy as np

TASKS = ("regression", "binary", "multiclass")
MAX_UNITS = 100_000
"""Most inputs, units per layer or classes a builder accepts: more would not fit in memory with its neighbours."""
REGULARIZE = ("all", "hidden", "first")


def _check_regularizer(name: str, value: Any) -> keras.regularizers.Regularizer | None:
    if value is None:
        return value
    if isinstance(value, keras.regularizers.Regularizer):
        _check_penalty_factors(name, value)
        return value
    if isinstance(value, str):
        raise TypeError(
            f"{name} must be a regularizer object such as keras.regularizers.L2(1e-3), not the string {value!r}: "
            "in Keras 3 'l1_l2' raises and 'l1l2' silently builds L1L2(0, 0), which adds nothing"
        )
    raise TypeError(f"{name} must be a keras.regularizers.Regularizer or None, got {type(value).__name__}")


def _check_penalty_factors(name: str, value: keras.regularizers.Regularizer) -> None:
    """Refuse a regularizer whose every factor is 0 (such as ``L1L2()``): it adds nothing, silently."""
    try:
        config = value.get_config()
    except (NotImplementedError, TypeError, AttributeError):  # a custom regularizer without a config
        return
    factors = {k: v for k, v in config.items() if isinstance(v, int | float) and not isinstance(v, bool)}
    if factors and all(v == 0 for v in factors.values()):
        shown = ", ".join(f"{k}={v}" for k, v in factors.items())
        raise ValueError(
            f"{name} is {type(value).__name__}({shown}): every factor is 0, so it adds no penalty. "
            "Give explicit factors such as keras.regularizers.L1L2(l1=1e-3, l2=1e-3), or None for no penalty"
        )


def _check_constraint(name: str, value: Any) -> keras.constraints.Constraint | None:
    if value is None or isinstance(value, keras.constraints.Constraint):
        return value
    raise TypeError(f"{name} must be a keras.constraints.Constraint or None, got {type(value).__name__}")


def build_mlp(
    n_inputs: int,
    hidden: Sequence[int] = (64,),
    *,
    task: str = "binary",
    n_classes: int | None = None,
    activation: str = "relu",
    kernel_regularizer: keras.regularizers.Regularizer | None = None,
    regularize: str = "all",
    kernel_constraint: keras.constraints.Constraint | None = None,
    dropout: float = 0.0,
    input_dropout: float = 0.0,
    name: str = "mlp",
) -> keras.Model:
    """Build a fully connected network.

    Parameters
    ----------
    n_inputs : int
        Number of input features.
    hidden : sequence of int, default (64,)
        Units of each hidden layer, e.g. ``(256, 256)``; empty for no hidden layer.
    task : {"regression", "binary", "multiclass"}, default "binary"
        Sets the output layer: one linear unit, one sigmoid unit, or ``n_classes`` softmax units.
    n_classes : int, optional
        Number of classes; required for ``task="multiclass"``.
    activation : str, default "relu"
        Activation of the hidden layers (any Keras activation name, e.g. ``"tanh"``).
    kernel_regularizer : keras.regularizers.Regularizer, optional
        Penalty on the kernels (weights), never on the biases. Pass an object with explicit factors,
        e.g. ``keras.regularizers.L1(0.03)``.
    regularize : {"all", "hidden", "first"}, default "all"
        Which kernels get the penalty (and the constraint): every Dense layer, the hidden layers only,
        or the first Dense layer only (the one that sees the inputs: feature selection).
    kernel_constraint : keras.constraints.Constraint, optional
        Applied after every optimizer step to the same kernels as the penalty.
    dropout : float, default 0.0
        Drop rate (the fraction dropped, Keras's convention) after each hidden layer; 0 for none.
    input_dropout : float, default 0.0
        Drop rate applied to the inputs; 0 for none.
    name : str, default "mlp"
        The model's name.

    Returns
    -------
    keras.Model
        Not compiled: see :func:`utils.training.compile_model`.
    """
    n_inputs = check_int("n_inputs", n_inputs, minimum=1, maximum=MAX_UNITS)
    hidden = check_int_sequence(
        "hidden", hidden, minimum=1, maximum=MAX_UNITS, allow_empty=True, max_length=100, example="(64,) or (256, 256)"
    )
    check_choice("task", task, TASKS)
    if task == "multiclass":
        if n_classes is None:
            raise ValueError("task='multiclass' needs n_classes (the number of classes, at least 3)")
        n_classes = check_int("n_classes", n_classes, minimum=3, maximum=MAX_UNITS)
    elif n_classes is not None:
        raise ValueError(f"n_classes is only used with task='multiclass', got n_classes={n_classes} for {task!r}")
    if not isinstance(activation, str):
        raise TypeError(f"activation must be a Keras activation name such as 'relu', got {activation!r}")
    try:
        keras.activations.get(activation)
    except ValueError:
        raise ValueError(f"activation {activation!r} is not a Keras activation; try 'relu', 'tanh' or 'elu'") from None
    kernel_regularizer = _check_regularizer("kernel_regularizer", kernel_regularizer)
    kernel_constraint = _check_constraint("kernel_constraint", kernel_constraint)
    check_choice("regularize", regularize, REGULARIZE)
    dropout = check_real("dropout", dropout, minimum=0.0, maximum=1.0, strict_maximum=True)
    input_dropout = check_real("input_dropout", input_dropout, minimum=0.0, maximum=1.0, strict_maximum=True)
    if regularize == "hidden" and not hidden:
        raise ValueError("regularize='hidden' needs at least one hidden layer")
    name = check_str("name", name)

    def penalised(index: int, is_output: bool) -> bool:
        if regularize == "all":
            return True
        if regularize == "first":
            return index == 0
        return not is_output

    layers: list[keras.layers.Layer] = [keras.Input(shape=(n_inputs,), name="inputs")]
    if input_dropout > 0:
        layers.append(keras.layers.Dropout(input_dropout, name="input_dropout"))
    for index, units in enumerate(hidden):
        on = penalised(index, is_output=False)
        layers.append(
            keras.layers.Dense(
                units,
                activation=activation,
                kernel_regularizer=kernel_regularizer if on else None,
                kernel_constraint=kernel_constraint if on else None,
                name=f"hidden_{index + 1}",
            )
        )
        if dropout > 0:
            layers.append(keras.layers.Dropout(dropout, name=f"dropout_{index + 1}"))
    units, out_activation = {"regression": (1, None), "binary": (1, "sigmoid")}.get(task, (n_classes, "softmax"))
    on = penalised(len(hidden), is_output=True)
    layers.append(
        keras.layers.Dense(
            units,
            activation=out_activation,
            kernel_regularizer=kernel_regularizer if on else None,
            kernel_constraint=kernel_constraint if on else None,
            name="output",
        )
    )
    return keras.Sequential(layers, name=name)


def build_linear(
    n_inputs: int,
    *,
    kernel_regularizer: keras.regularizers.Regularizer | None = None,
    kernel_constraint: keras.constraints.Constraint | None = None,
    name: str = "linear",
) -> keras.Model:
    """Build ``y = X w + b`` as one Dense unit: the Keras twin of scikit-learn's linear models.

    Parameters
    ----------
    n_inputs : int
        Number of input features.
    kernel_regularizer : keras.regularizers.Regularizer, optional
        Penalty on ``w`` (the bias is never penalised); see :mod:`utils.penalties` for the conversion
        from scikit-learn's ``alpha``.
    kernel_constraint : keras.constraints.Constraint, optional
        Applied to ``w`` after every optimizer step (e.g. :class:`utils.penalties.SoftThreshold`).
    name : str, default "linear"
        The model's name.

    Returns
    -------
    keras.Model
        Not compiled.
    """
    n_inputs = check_int("n_inputs", n_inputs, minimum=1, maximum=MAX_UNITS)
    kernel_regularizer = _check_regularizer("kernel_regularizer", kernel_regularizer)
    kernel_constraint = _check_constraint("kernel_constraint", kernel_constraint)
    name = check_str("name", name)
    return keras.Sequential(
        [
            keras.Input(shape=(n_inputs,), name="inputs"),
            keras.layers.Dense(
                1, kernel_regularizer=kernel_regularizer, kernel_constraint=kernel_constraint, name="output"
            ),
        ],
        name=name,
    )


def dense_kernels(model: keras.Model) -> dict[str, Any]:
    """Return the kernel (weight matrix) of every Dense layer, by layer name, as NumPy arrays.

    Parameters
    ----------
    model : keras.Model

    Returns
    -------
    dict of str to numpy.ndarray
        In layer order; biases are left out.
    """
    check_model("model", model)
    unbuilt = [layer.name for layer in model.layers if isinstance(layer, keras.layers.Dense) and not layer.built]
    if unbuilt:
        raise ValueError(
            f"model {model.name!r} is not built yet (Dense layers {unbuilt} have no weights): start it with "
            "keras.Input(shape=(n_inputs,)) or call it once on data"
        )
    kernels = {
        layer.name: np.array(layer.kernel.numpy())
        for layer in model.layers
        if isinstance(layer, keras.layers.Dense)
    }
    if not kernels:
        raise ValueError(f"model {model.name!r} has no Dense layer")
    return kernels


def pruned_copy(model: keras.Model, threshold: float, *, layer: str | None = None) -> keras.Model:
    """A copy of ``model`` whose small kernel weights are set exactly to zero (magnitude pruning).

    Parameters
    ----------
    model : keras.Model
        A trained model; it is not changed.
    threshold : float
        Weights with ``|w| <= threshold`` become 0 (> 0).
    layer : str, optional
        Prune only this Dense layer (e.g. ``"hidden_1"``); default: every Dense kernel.

    Returns
    -------
    keras.Model
        Compiled like the original when the original was compiled with
        :func:`utils.training.compile_model`.
    """
    from utils._validate import check_real

    check_model("model", model)
    threshold = check_real("threshold", threshold, minimum=0.0, strict_minimum=True)
    check_str("layer", layer, optional=True)
    names = list(dense_kernels(model))
    if layer is not None and layer not in names:
        raise ValueError(f"layer {layer!r} is not a Dense layer of this model; its Dense layers are {names}")
    copy = keras.models.clone_model(model)
    copy.set_weights(model.get_weights())
    for name in names if layer is None else [layer]:
        kernel = copy.get_layer(name).kernel
        values = np.array(kernel.numpy())
        with np.errstate(over="ignore"):  # a threshold beyond float32 compares as infinity: every weight goes
            kernel.assign(np.where(np.abs(values) <= threshold, 0.0, values).astype(values.dtype))
    task = getattr(model, "_course_task", None)
    if task is not None:
        from utils.training import compile_model

        compile_model(copy, task=task)
    return copy


@keras.saving.register_keras_serializable(package="course")
class MCDropout(keras.layers.Dropout):
    """A dropout layer that is always on, in ``fit``, ``predict`` and ``evaluate`` alike.

    For Monte Carlo dropout (Gal & Ghahramani, 2016): repeated ``predict`` calls give different outputs whose
    spread estimates the model's uncertainty. Safer than calling ``model(x, training=True)``, which would also
    switch every BatchNormalization layer to batch statistics.

    Parameters
    ----------
    rate : float
        Fraction of units dropped (0 <= rate < 1), as in ``keras.layers.Dropout``; 1 would drop everything.
    """

    def __init__(self, rate: float, noise_shape: Any = None, seed: int | None = None, **kwargs: Any) -> None:
        rate = check_real("rate", rate, minimum=0.0, maximum=1.0, strict_maximum=True)
        super().__init__(rate, noise_shape=noise_shape, seed=seed, **kwargs)

    def call(self, inputs: Any, training: bool | None = None) -> Any:
        return super().call(inputs, training=True)
