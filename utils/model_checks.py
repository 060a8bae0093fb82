"""Reading a learner's Keras model for the hands-on exercises: its layers, their penalties, dropout rates.

The hands-on exercises (lessons 03, 04, 05, 07, 08) ask the learner to *write* the Keras code that applies a
technique; the answer is a model, or a function that builds one. This module reads such an answer the same way
for every lesson, so that every right form passes and a typical mistake is named:

- :func:`read_model` accepts a ``keras.Model`` (Sequential or functional, built or not, any layer names) or a
  function that builds one (run under :data:`utils.checks.TIME_LIMIT`), and says clearly what else it was given;
- :func:`layers_of` lists the layers in forward order as :class:`LayerSpec` records (nested models flattened);
- :func:`penalty_of` reads a regularizer as its ``(l1, l2)`` factors (``L1``, ``L2``, ``L1L2``, their lower-case
  aliases, strings resolved as Keras resolves them);
- :func:`expect_kernel_penalty` and :func:`expect_no_penalty` raise :class:`~utils.checks.Incorrect` naming the
  mistake (the penalty on the bias instead of the kernel, Keras's default factor 0.01 from the string ``'l2'``,
  L1 for L2, the two parts of ``L1L2`` swapped, a factor off by a known conversion factor).

Which layers must carry what is each lesson's rule, written in ``utils/exercises/lessonNN.py`` on top of these.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from utils._validate import check_int, check_str
from utils.checks import (
    REL_TOL,
    Incorrect,
    NotAttempted,
    call_learner_function,
    describe,
)

__all__ = [
    "DEFAULT_FACTOR",
    "LayerSpec",
    "dense",
    "expect_kernel_penalty",
    "expect_no_penalty",
    "layers_of",
    "penalty_of",
    "read_model",
    "summary",
]

DEFAULT_FACTOR = 0.01
"""The factor Keras uses when a regularizer is given as a string (``'l1'``, ``'l2'``) or built without one."""

_PARTS = {
    "kernel": ("kernel_penalty", "kernel_regularizer", "the weights (the kernel)"),
    "bias": ("bias_penalty", "bias_regularizer", "the biases"),
    "activity": ("activity_penalty", "activity_regularizer", "the layer's outputs (activity)"),
}


@dataclass(frozen=True)
class LayerSpec:
    """What an exercise checker needs to know about one layer of a learner's model.

    Attributes
    ----------
    kind : str
        The layer's class name: ``"Dense"``, ``"Dropout"``, ``"GaussianDropout"``, ``"BatchNormalization"``, ...
    units : int or None
        A ``Dense`` layer's number of units.
    activation : str or None
        The activation's name (``"relu"``, ``"sigmoid"``, ``"softmax"``, ``"linear"``, ...) of a ``Dense`` or
        ``Activation`` layer.
    rate : float or None
        The rate of a dropout-family layer: the fraction *dropped*, as Keras defines it.
    kernel_penalty, bias_penalty, activity_penalty : tuple of two floats, or None
        The ``(l1, l2)`` factors of the layer's ``kernel_regularizer``, ``bias_regularizer`` and
        ``activity_regularizer``; ``None`` when there is none.
    use_bias : bool or None
        Whether a ``Dense`` layer has a bias.
    layer : keras.layers.Layer
        The layer itself.
    """

    kind: str
    units: int | None
    activation: str | None
    rate: float | None
    kernel_penalty: tuple[float, float] | None
    bias_penalty: tuple[float, float] | None
    activity_penalty: tuple[float, float] | None
    use_bias: bool | None
    layer: Any


# --------------------------------------------------------------------------------------------------------------
# Reading the answer as a model
# --------------------------------------------------------------------------------------------------------------


def _is_model(value: Any) -> bool:
    import keras

    return isinstance(value, keras.Model)


def _input_width(model: Any) -> int | None:
    try:
        inputs = model.inputs
    except Exception:  # a subclassed model has no symbolic inputs
        inputs = None
    if inputs:
        width = inputs[0].shape[-1]
        return None if width is None else int(width)
    return None


def read_model(
    answer: Any,
    *,
    input_dim: int,
    what: str = "your model",
    args: Sequence[Any] = (),
    time_limit: float | None = None,
) -> Any:
    """Read a learner's answer as a built Keras model with ``input_dim`` inputs.

    Parameters
    ----------
    answer : keras.Model or callable
        A model (Sequential or functional, built or not) or a function that builds and returns one.
    input_dim : int
        The number of input features the exercise's data has.
    what : str, default "your model"
        How feedback names the answer.
    args : sequence, default ()
        Arguments passed to a builder function (for example a dropout rate).
    time_limit : float, optional
        Seconds a builder may run (default :data:`utils.checks.TIME_LIMIT`).

    Returns
    -------
    keras.Model
        The model, built on inputs of width ``input_dim``.

    Raises
    ------
    NotAttempted
        For ``...`` or a builder whose body is still ``...``.
    Incorrect
        With a specific message for anything that is not such a model.
    """
    import keras

    input_dim = check_int("input_dim", input_dim, minimum=1)
    what = check_str("what", what) or "your model"
    if answer is Ellipsis:
        raise NotAttempted
    if answer is None:
        raise Incorrect(f"{what} is None: give the model itself (or a function that returns it).")
    if isinstance(answer, type):
        if issubclass(answer, keras.Model | keras.layers.Layer):
            raise Incorrect(
                f"you gave the class {answer.__name__} itself: call it to make a model, e.g. "
                "keras.Sequential([...]) with the layers inside."
            )
        raise Incorrect(f"{what} should be a keras Model, but it is the class {answer.__name__}.")
    if isinstance(answer, keras.layers.Layer) and not _is_model(answer):
        raise Incorrect(
            f"you gave a single {type(answer).__name__} layer: put the layers in a model, e.g. "
            "keras.Sequential([layer1, layer2, ...])."
        )
    if isinstance(answer, list | tuple):
        if answer and all(isinstance(item, keras.layers.Layer) for item in answer):
            raise Incorrect("you gave a list of layers: wrap it in a model, keras.Sequential([...]).")
        raise Incorrect(f"{what} should be a keras Model, but it is {describe(answer)}.")
    model = answer
    if not _is_model(answer):
        if not callable(answer):
            raise Incorrect(f"{what} should be a keras Model (or a function that returns one); you gave {describe(answer)}.")
        model = call_learner_function(
            answer, *args, signature="that builds and returns a keras Model", time_limit=time_limit
        )
        if isinstance(model, tuple) and model and _is_model(model[0]):
            raise Incorrect("your function returned a tuple: return only the model.")
        if not _is_model(model):
            raise Incorrect(f"your function should return a keras Model, but it returned {describe(model)}.")
    if not model.layers:
        raise Incorrect(f"{what} has no layers yet: add them, e.g. keras.Sequential([keras.layers.Dense(...), ...]).")
    width = _input_width(model)
    if width is None and not model.built:
        try:
            model.build((None, input_dim))
        except Exception as error:
            raise Incorrect(
                f"{what} could not be built on inputs of {input_dim} features "
                f"({type(error).__name__}: {_first_line(error)})."
            ) from None
        width = _input_width(model)
    if width is not None and width != input_dim:
        raise Incorrect(
            f"{what} takes inputs of {width} features, but the data has {input_dim}: "
            f"use keras.Input(shape=({input_dim},)) or let fit build it."
        )
    return model


def _first_line(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    line = text[0] if text else ""
    return line if len(line) <= 100 else line[:97] + "..."


# --------------------------------------------------------------------------------------------------------------
# Layers and penalties
# --------------------------------------------------------------------------------------------------------------


def _factor(value: Any) -> float:
    return float(value) if value is not None else 0.0


def penalty_of(regularizer: Any) -> tuple[float, float] | None:
    """The ``(l1, l2)`` factors of a Keras regularizer, ``None`` for none.

    Parameters
    ----------
    regularizer : keras.regularizers.Regularizer, str, class or None
        ``L1(x)`` reads as ``(x, 0.0)``, ``L2(x)`` as ``(0.0, x)``, ``L1L2(a, b)`` as ``(a, b)``; the lower-case
        aliases are the same classes; a string or a class is resolved as Keras resolves it (``'l2'`` is
        ``L2(0.01)``).

    Returns
    -------
    tuple of two floats, or None

    Raises
    ------
    Incorrect
        For a regularizer this module cannot read (a custom function or another kind).
    """
    import keras

    if regularizer is None:
        return None
    if isinstance(regularizer, str) or isinstance(regularizer, type):
        try:
            regularizer = keras.regularizers.get(regularizer)
        except Exception:
            raise Incorrect(
                f"Keras cannot read the regularizer {describe(regularizer)}: use keras.regularizers.L1(...), "
                "L2(...) or L1L2(l1=..., l2=...)."
            ) from None
    if isinstance(regularizer, keras.regularizers.L1L2):
        return (_factor(regularizer.l1), _factor(regularizer.l2))
    if isinstance(regularizer, keras.regularizers.L1):
        return (_factor(regularizer.l1), 0.0)
    if isinstance(regularizer, keras.regularizers.L2):
        return (0.0, _factor(regularizer.l2))
    raise Incorrect(
        f"this check cannot read the regularizer {describe(regularizer)}: use keras.regularizers.L1(...), L2(...) "
        "or L1L2(l1=..., l2=...)."
    )


def _activation_name(layer: Any) -> str | None:
    activation = getattr(layer, "activation", None)
    if activation is None:
        return None
    name = getattr(activation, "__name__", None)
    return str(name) if name else type(activation).__name__


def _spec(layer: Any) -> LayerSpec:
    import keras

    is_dense = isinstance(layer, keras.layers.Dense)
    rate = getattr(layer, "rate", None) if "Dropout" in type(layer).__name__ else None
    return LayerSpec(
        kind=type(layer).__name__,
        units=int(layer.units) if is_dense else None,
        activation=_activation_name(layer) if is_dense or isinstance(layer, keras.layers.Activation) else None,
        rate=float(rate) if rate is not None else None,
        kernel_penalty=penalty_of(getattr(layer, "kernel_regularizer", None)),
        bias_penalty=penalty_of(getattr(layer, "bias_regularizer", None)),
        activity_penalty=penalty_of(getattr(layer, "activity_regularizer", None)),
        use_bias=bool(layer.use_bias) if is_dense else None,
        layer=layer,
    )


def layers_of(model: Any) -> list[LayerSpec]:
    """Every layer of ``model`` in forward order, as :class:`LayerSpec` records.

    ``InputLayer`` is left out and a model nested inside another is flattened into its layers.

    Parameters
    ----------
    model : keras.Model
        A model, for example from :func:`read_model`.

    Returns
    -------
    list of LayerSpec
    """
    import keras

    if not _is_model(model):
        raise TypeError(f"model must be a keras Model (see read_model), got {type(model).__name__}")
    specs: list[LayerSpec] = []
    for layer in model.layers:
        if isinstance(layer, keras.layers.InputLayer):
            continue
        if _is_model(layer):
            specs.extend(layers_of(layer))
        else:
            specs.append(_spec(layer))
    return specs


def dense(specs: Sequence[LayerSpec]) -> list[LayerSpec]:
    """The ``Dense`` layers among ``specs``, in order (the hidden ones, then the output layer)."""
    if not isinstance(specs, Sequence) or not all(isinstance(spec, LayerSpec) for spec in specs):
        raise TypeError("specs must be the list that layers_of(model) returns")
    return [spec for spec in specs if spec.kind == "Dense"]


def _penalty_text(penalty: tuple[float, float] | None) -> str:
    if penalty is None:
        return "none"
    l1, l2 = penalty
    parts = [f"L1={l1:g}"] if l1 else []
    parts += [f"L2={l2:g}"] if l2 else []
    return ", ".join(parts) if parts else "L1L2(0, 0)"


def summary(specs: Sequence[LayerSpec]) -> str:
    """One line describing the layers, e.g. ``"Dense(64, relu, kernel L1=0.03) → Dropout(0.5) → Dense(1, sigmoid)"``."""
    if not isinstance(specs, Sequence) or not all(isinstance(spec, LayerSpec) for spec in specs):
        raise TypeError("specs must be the list that layers_of(model) returns")
    items = []
    for spec in specs:
        inside: list[str] = []
        if spec.units is not None:
            inside.append(str(spec.units))
        if spec.activation is not None:
            inside.append(spec.activation)
        if spec.rate is not None:
            inside.append(f"{spec.rate:g}")
        for part, (attr, _, _) in _PARTS.items():
            penalty = getattr(spec, attr)
            if penalty is not None:
                inside.append(f"{part} {_penalty_text(penalty)}")
        items.append(f"{spec.kind}({', '.join(inside)})" if inside else spec.kind)
    return " → ".join(items)


# --------------------------------------------------------------------------------------------------------------
# Expectations that name the mistake
# --------------------------------------------------------------------------------------------------------------


def _close(value: float, target: float, rel: float = REL_TOL) -> bool:
    return math.isclose(value, target, rel_tol=rel, abs_tol=0.0)


def _kind(penalty: tuple[float, float]) -> str:
    l1, l2 = penalty
    return "L1 and L2" if l1 and l2 else "L1" if l1 else "L2" if l2 else "nothing"


_MEANING = {"L1": "absolute values", "L2": "squares"}


def expect_kernel_penalty(
    spec: LayerSpec,
    *,
    l1: float = 0.0,
    l2: float = 0.0,
    where: str,
    off_by: Mapping[str, float] | None = None,
    reveal: bool = True,
) -> None:
    """Raise :class:`~utils.checks.Incorrect`, naming the mistake, unless ``spec``'s kernel penalty is ``(l1, l2)``.

    Parameters
    ----------
    spec : LayerSpec
        The layer, from :func:`layers_of`.
    l1, l2 : float, default 0.0
        The factors the task asks for (``L1(x)`` is ``l1=x``; a part of 0 must be absent or 0). Each is matched
        within :data:`utils.checks.REL_TOL`.
    where : str
        How feedback names the layer, e.g. ``"the first Dense layer"``.
    off_by : mapping of str to float, optional
        Known conversion factors a learner may miss, by name, e.g.
        ``{"2 (scikit-learn's 1/(2n) against Keras's mean)": 2.0}``: a factor off by one of them, either way, is
        named.
    reveal : bool, default True
        Whether feedback may state the asked factors. Pass ``False`` when finding them is the exercise (a
        conversion from scikit-learn's ``alpha``): the feedback then names the mistake without the answer.
    """
    if not isinstance(spec, LayerSpec):
        raise TypeError("spec must be a LayerSpec from layers_of(model)")
    if not isinstance(reveal, bool):
        raise TypeError(f"reveal must be True or False, got {reveal!r}")
    where = check_str("where", where) or "this layer"
    asked = (float(l1), float(l2))
    if any(not math.isfinite(value) or value < 0 for value in asked) or asked == (0.0, 0.0):
        raise ValueError(f"l1 and l2 must be finite, at least 0 and not both 0, got {asked}")
    factors = dict(off_by or {})
    for name, factor in factors.items():
        if not isinstance(factor, int | float) or not math.isfinite(factor) or factor <= 0 or factor == 1:
            raise ValueError(f"off_by[{name!r}] must be a positive factor other than 1, got {factor!r}")
    asked_text = _penalty_text(asked)
    shown = f" ({asked_text})" if reveal else ""  # the asked factors, where feedback may state them
    got = spec.kernel_penalty
    if got is None or got == (0.0, 0.0):
        for part in ("bias", "activity"):
            attr, argument, meaning = _PARTS[part]
            other = getattr(spec, attr)
            if other is not None and other != (0.0, 0.0):
                raise Incorrect(
                    f"{where} has its penalty on {argument}, which penalises {meaning}; the task penalises the "
                    "weights: pass it as kernel_regularizer."
                )
        if got == (0.0, 0.0):
            raise Incorrect(
                f"{where}'s kernel_regularizer is L1L2(0, 0), which adds nothing (what the string 'l1l2' or L1L2() "
                f"builds): give the factors explicitly{shown}."
            )
        raise Incorrect(f"{where} has no kernel_regularizer: the task asks for a penalty on its kernel{shown}.")
    if _close(got[0], asked[0]) and _close(got[1], asked[1]):
        return
    asked_kind, got_kind = _kind(asked), _kind(got)
    if asked_kind in _MEANING and got_kind in _MEANING and asked_kind != got_kind:
        raise Incorrect(
            f"{where}'s kernel penalty is {got_kind} (a sum of {_MEANING[got_kind]}); the task asks for "
            f"{asked_kind} (a sum of {_MEANING[asked_kind]})."
        )
    if asked_kind in _MEANING and got_kind == "L1 and L2":
        extra = "L2" if asked_kind == "L1" else "L1"
        raise Incorrect(f"{where}'s kernel penalty adds an {extra} part too; the task asks for {asked_kind} only.")
    if asked_kind == "L1 and L2" and got_kind in _MEANING:
        missing = "L2" if got_kind == "L1" else "L1"
        raise Incorrect(f"{where}'s kernel penalty has no {missing} part; the task asks for both{shown}.")
    if asked_kind == "L1 and L2" and _close(got[0], asked[1]) and _close(got[1], asked[0]):
        raise Incorrect(f"{where}'s L1 and L2 factors are swapped{': the task asks for ' + asked_text if reveal else ''}.")
    if any(_close(value, DEFAULT_FACTOR) and not _close(target, DEFAULT_FACTOR) for value, target in zip(got, asked, strict=True)
           if value):
        raise Incorrect(
            f"{where}'s kernel penalty is {_penalty_text(got)}: 0.01 is Keras's default factor (what the string "
            f"'l1' or 'l2', or L2() without a factor, gives); pass the factor the task asks for{shown}."
        )
    for part, value, target in (("L1", got[0], asked[0]), ("L2", got[1], asked[1])):
        if not value or not target or _close(value, target):
            continue
        for name, factor in factors.items():
            if _close(value, target * factor) or _close(value, target / factor):
                direction = "too large" if value > target else "too small"
                raise Incorrect(
                    f"{where}'s {part} factor is {value:g}, {direction} by a factor of {name}"
                    + (f": the task asks for {part}={target:g}." if reveal else ".")
                )
    raise Incorrect(
        f"{where}'s kernel penalty is {_penalty_text(got)}; "
        + (f"the task asks for {asked_text}." if reveal else "the task asks for other factors: check how each is converted.")
    )


def expect_no_penalty(spec: LayerSpec, *, where: str, parts: Sequence[str] = ("kernel", "bias", "activity")) -> None:
    """Raise :class:`~utils.checks.Incorrect` naming the regularizer if ``spec`` carries one of ``parts``.

    Parameters
    ----------
    spec : LayerSpec
        The layer, from :func:`layers_of`.
    where : str
        How feedback names the layer, e.g. ``"the output layer"``.
    parts : sequence of {"kernel", "bias", "activity"}, default all three
        Which regularizers must be absent (a factor of 0 counts as absent).
    """
    if not isinstance(spec, LayerSpec):
        raise TypeError("spec must be a LayerSpec from layers_of(model)")
    where = check_str("where", where) or "this layer"
    if isinstance(parts, str) or not all(part in _PARTS for part in parts):
        raise ValueError(f"parts must be a sequence of {sorted(_PARTS)}, got {parts!r}")
    for part in parts:
        attr, argument, meaning = _PARTS[part]
        penalty = getattr(spec, attr)
        if penalty is not None and penalty != (0.0, 0.0):
            raise Incorrect(
                f"{where} has a {argument} ({_penalty_text(penalty)}), which penalises {meaning}; "
                "the task leaves it unpenalised."
            )
