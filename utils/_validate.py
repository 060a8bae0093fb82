"""Small input checks shared by every public function: each raises a message that says what was wrong
and what is accepted."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from numbers import Integral, Real
from typing import Any

import numpy as np


def check_int(name: str, value: Any, *, minimum: int | None = None, maximum: int | None = None) -> int:
    """Return ``value`` as an int, or raise if it is not a whole number within the bounds."""
    if isinstance(value, bool) or not isinstance(value, Integral):
        raise TypeError(f"{name} must be a whole number (int), got {type(value).__name__} {_short(value)}")
    value = int(value)
    if minimum is not None and value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {_short(value)}")
    if maximum is not None and value > maximum:
        raise ValueError(f"{name} must be <= {maximum}, got {_short(value)}")
    return value


def check_real(
    name: str,
    value: Any,
    *,
    minimum: float | None = None,
    maximum: float | None = None,
    strict_minimum: bool = False,
    strict_maximum: bool = False,
) -> float:
    """Return ``value`` as a float, or raise if it is not a finite real number within the bounds."""
    if isinstance(value, bool) or not isinstance(value, Real):
        raise TypeError(f"{name} must be a real number, got {type(value).__name__} {_short(value)}")
    try:
        value = float(value)
    except OverflowError:  # an int such as 10**400: too large for a float
        raise ValueError(f"{name} must be a finite real number of ordinary size, got {_short(value)}") from None
    if not np.isfinite(value):
        raise ValueError(f"{name} must be finite, got {value}")
    if minimum is not None and (value <= minimum if strict_minimum else value < minimum):
        raise ValueError(f"{name} must be {'>' if strict_minimum else '>='} {minimum}, got {value}")
    if maximum is not None and (value >= maximum if strict_maximum else value > maximum):
        raise ValueError(f"{name} must be {'<' if strict_maximum else '<='} {maximum}, got {value}")
    return value


def _short(value: Any) -> str:
    """A repr of ``value`` of at most 80 characters (an int of 400 digits is described, not printed)."""
    if isinstance(value, int) and not isinstance(value, bool) and abs(value).bit_length() > 200:
        return f"an integer of about {int(abs(value).bit_length() * 0.30103) + 1} digits"
    try:
        text = repr(value)
    except Exception:  # a broken __repr__
        text = f"<{type(value).__name__}>"
    return text if len(text) <= 80 else text[:77] + "..."


def check_finite_result(name: str, value: Any, *, of: str) -> Any:
    """Return ``value`` (a number or an array) if every number in it is finite, else raise ``ValueError``
    naming the argument ``name`` whose size made ``of`` overflow to infinity or NaN."""
    if not np.all(np.isfinite(np.asarray(value, dtype=float))):
        raise ValueError(
            f"{name} is too large: {of} overflows to infinity or NaN in floating point; give a smaller {name}"
        )
    return value


def check_choice(name: str, value: Any, choices: Iterable[str]) -> str:
    """Return ``value`` if it is one of ``choices``, or raise listing the choices."""
    choices = tuple(choices)
    if not isinstance(value, str) or value not in choices:
        raise ValueError(f"{name} must be one of {', '.join(map(repr, choices))}; got {_short(value)}")
    return value


def check_array(
    name: str,
    value: Any,
    *,
    ndim: int | tuple[int, ...] | None = None,
    min_rows: int = 1,
    min_columns: int = 0,
    numeric: bool = True,
    finite: bool = True,
) -> np.ndarray:
    """Return ``value`` as a NumPy array, or raise if it has the wrong dimensions, is empty (fewer than
    ``min_rows`` rows, or than ``min_columns`` columns for a 2-D array), is not real-valued or holds NaN
    or infinity."""
    if isinstance(value, str | bytes) or value is None:
        raise TypeError(f"{name} must be array-like (a NumPy array, list or DataFrame), got {type(value).__name__}")
    try:
        array = np.asarray(value)
    except Exception as exc:  # numpy raises many kinds here, e.g. for ragged lists
        raise TypeError(f"{name} must be array-like (a NumPy array, list or DataFrame), got {type(value).__name__}: {exc}") from exc
    if ndim is not None:
        allowed = (ndim,) if isinstance(ndim, int) else ndim
        if array.ndim not in allowed:
            raise ValueError(
                f"{name} must have {' or '.join(str(d) for d in allowed)} dimension(s), "
                f"got shape {array.shape}"
            )
    if array.ndim >= 1 and array.shape[0] < min_rows:
        raise ValueError(f"{name} must have at least {min_rows} row(s), got shape {array.shape}")
    if array.ndim == 2 and array.shape[1] < min_columns:
        raise ValueError(f"{name} must have at least {min_columns} column(s), got shape {array.shape}")
    if numeric:
        if not (np.issubdtype(array.dtype, np.integer) or np.issubdtype(array.dtype, np.floating) or array.dtype == bool):
            raise TypeError(f"{name} must hold real numbers, got dtype {array.dtype}")
        if finite and array.dtype != bool and not np.all(np.isfinite(array)):
            raise ValueError(f"{name} must not contain NaN or infinity")
    return array


def check_same_length(**arrays: np.ndarray) -> None:
    """Raise if the arrays do not all have the same number of rows."""
    lengths = {name: len(array) for name, array in arrays.items()}
    if len(set(lengths.values())) > 1:
        detail = ", ".join(f"{name} has {n}" for name, n in lengths.items())
        raise ValueError(f"these must have the same number of rows: {detail}")


def check_bool(name: str, value: Any) -> bool:
    """Return ``value`` as a bool, or raise if it is anything but True or False (a string such as
    ``"no"`` would otherwise count as true)."""
    if isinstance(value, bool | np.bool_):
        return bool(value)
    raise TypeError(f"{name} must be True or False, got {type(value).__name__} {_short(value)}")


def check_str(name: str, value: Any, *, optional: bool = False) -> str | None:
    """Return ``value`` if it is a string (or ``None`` when ``optional``), else raise."""
    if value is None and optional:
        return None
    if not isinstance(value, str):
        accepted = "a string or None" if optional else "a string"
        raise TypeError(f"{name} must be {accepted}, got {type(value).__name__} {_short(value)}")
    return value


def check_sequence(name: str, value: Any, *, what: str, example: str) -> list[Any]:
    """Return the items of a list-like ``value``; refuse a string, a mapping or a single scalar, which
    Python would otherwise split into characters or keys, or fail on deep inside a library."""
    if isinstance(value, str | bytes | Mapping) or value is None or not _is_iterable(value):
        raise TypeError(f"{name} must be a sequence of {what} such as {example}, got {type(value).__name__} {_short(value)}")
    if isinstance(value, np.ndarray) and value.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional, got an array of shape {value.shape}")
    try:
        return list(value)
    except TypeError:
        raise TypeError(
            f"{name} must be a sequence of {what} such as {example}, got {type(value).__name__} {_short(value)}"
        ) from None


def _is_iterable(value: Any) -> bool:
    try:
        iter(value)
    except TypeError:
        return False
    return True


def check_int_sequence(
    name: str,
    value: Any,
    *,
    minimum: int | None = None,
    maximum: int | None = None,
    allow_empty: bool = False,
    max_length: int = 10_000,
    example: str = "(1, 2, 3)",
) -> list[int]:
    """Return a list of whole numbers (NumPy integers included) within the bounds, or raise."""
    items = check_sequence(name, value, what="whole numbers", example=example)
    if not items and not allow_empty:
        raise ValueError(f"{name} must not be empty; give a sequence of whole numbers such as {example}")
    if len(items) > max_length:
        raise ValueError(f"{name} must have at most {max_length} items, got {len(items)}")
    return [check_int(f"each item of {name}", item, minimum=minimum, maximum=maximum) for item in items]


def check_names(name: str, value: Any, count: int, *, of: str = "columns") -> list[str]:
    """Return ``value`` as a list of ``count`` strings, one per column; refuse a single string, which
    would otherwise be split into one-letter names."""
    items = check_sequence(name, value, what="names (strings)", example='["age", "bmi"]')
    if len(items) != count:
        raise ValueError(f"{name} has {len(items)} names for {count} {of}; give one name per {of.rstrip('s')}")
    if not all(isinstance(item, str | Integral) and not isinstance(item, bool) for item in items):
        bad = next(item for item in items if not isinstance(item, str | Integral) or isinstance(item, bool))
        raise TypeError(f"{name} must hold strings, got {type(bad).__name__} {bad!r} among them")
    return [str(item) for item in items]


def check_rng(name: str, value: Any) -> np.random.Generator | None:
    """Return ``value`` if it is ``None`` or a NumPy random Generator, else raise saying how to make one."""
    if value is None or isinstance(value, np.random.Generator):
        return value
    raise TypeError(
        f"{name} must be a numpy.random.Generator such as np.random.default_rng(0) or utils.repro.rng(), "
        f"or None for the course seed; got {type(value).__name__} {_short(value)}"
    )


def check_callable(name: str, value: Any, *, of: str, example: str) -> Callable[..., Any]:
    """Return ``value`` if it can be called, else raise with an example of what is accepted."""
    if not callable(value):
        raise TypeError(f"{name} must be a function of {of} such as {example}, got {type(value).__name__} {_short(value)}")
    return value


def check_columns(name: str, array: np.ndarray, expected: int, *, source: str) -> None:
    """Raise if the 2-D ``array`` does not have ``expected`` columns."""
    if array.shape[1] != expected:
        raise ValueError(f"{name} has {array.shape[1]} columns but {source} expects {expected}")


def check_model(name: str, value: Any) -> Any:
    """Return ``value`` if it is a Keras model, else raise."""
    import keras

    if not isinstance(value, keras.Model):
        raise TypeError(
            f"{name} must be a keras.Model (e.g. from utils.models.build_mlp), got {type(value).__name__}"
        )
    return value


def model_inputs(model: Any) -> int | None:
    """Number of input columns of a built single-input Keras model, or ``None`` if unknown."""
    try:
        shape = model.input_shape
    except (AttributeError, ValueError):
        return None
    if not isinstance(shape, tuple) or not shape or not isinstance(shape[-1], int):
        return None
    return shape[-1]


def model_outputs(model: Any) -> tuple[int | None, str | None]:
    """Units and activation name of a built single-output Keras model's last layer (``None`` if unknown)."""
    try:
        shape = model.output_shape
    except (AttributeError, ValueError):
        shape = None
    units = shape[-1] if isinstance(shape, tuple) and shape and isinstance(shape[-1], int) else None
    activation = None
    if model.layers:
        function = getattr(model.layers[-1], "activation", None)
        activation = getattr(function, "__name__", None)
    return units, activation


def check_output_for_task(name: str, model: Any, task: str) -> None:
    """Raise if the model's output layer does not fit the loss of ``task``: one linear unit for
    regression, one sigmoid unit for binary, two or more softmax units for multiclass."""
    units, activation = model_outputs(model)
    builder = {
        "regression": "build_mlp(..., task='regression')",
        "binary": "build_mlp(..., task='binary')",
        "multiclass": "build_mlp(..., task='multiclass', n_classes=k)",
    }[task]
    need = {
        "regression": "one unit with no (linear) activation",
        "binary": "one unit with a sigmoid activation",
        "multiclass": "one unit per class (at least 2) with a softmax activation",
    }[task]
    have = f"{units if units is not None else 'an unknown number of'} unit(s)" + (
        f" with a {activation} activation" if activation else ""
    )
    wrong_units = units is not None and (units != 1 if task != "multiclass" else units < 2)
    wrong_activation = activation is not None and (
        (task == "regression" and activation in ("sigmoid", "softmax"))
        or (task == "binary" and activation != "sigmoid")
        or (task == "multiclass" and activation != "softmax")
    )
    if wrong_units or wrong_activation:
        raise ValueError(
            f"{name}'s output layer has {have}, which does not fit task={task!r}: that task needs {need}, "
            f"as {builder} builds"
        )


def check_callbacks(name: str, value: Any) -> list[Any]:
    """Return the callbacks as a list (``None`` is no callback); refuse a single callback (Keras wants a
    list) or anything else."""
    import keras

    if value is None:
        return []
    if isinstance(value, keras.callbacks.Callback):
        raise TypeError(
            f"{name} must be a list of callbacks, got one {type(value).__name__}; "
            f"write {name}=[{type(value).__name__}(...)]"
        )
    items = check_sequence(name, value, what="keras.callbacks.Callback objects", example="[EarlyStopping()]")
    for item in items:
        if not isinstance(item, keras.callbacks.Callback):
            raise TypeError(f"each item of {name} must be a keras.callbacks.Callback, got {type(item).__name__}")
    return items


def check_labels(name: str, y: np.ndarray, task: str, n_outputs: int | None) -> np.ndarray:
    """Check targets against a model's task (and number of output units) and shape them the way the
    compiled loss expects: ``(n,)`` int32 labels for multiclass, ``(n, 1)`` float32 otherwise."""
    if y.ndim == 2 and y.shape[1] != 1:
        raise ValueError(f"{name} must have one value per row (shape (n,) or (n, 1)), got shape {y.shape}")
    y = y.reshape(-1)
    if task == "multiclass":
        if not np.all(np.equal(np.mod(y, 1), 0)):
            raise ValueError(f"{name} must hold integer class labels 0, 1, ..., n_classes - 1 for task='multiclass'")
        if y.size and (y.min() < 0 or (n_outputs is not None and y.max() >= n_outputs)):
            top = "n_classes - 1" if n_outputs is None else str(n_outputs - 1)
            raise ValueError(
                f"{name} must hold class labels from 0 to {top} (the model has "
                f"{n_outputs if n_outputs is not None else 'n_classes'} output units), "
                f"got labels from {int(y.min())} to {int(y.max())}"
            )
        return y.astype(np.int32)
    if task == "binary" and not np.all(np.isin(y, (0, 1))):
        found = np.unique(y)[:5]
        raise ValueError(f"{name} must hold binary labels 0 or 1 for task='binary', got values such as {found.tolist()}")
    return y.astype(np.float32).reshape(-1, 1)
