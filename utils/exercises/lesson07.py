"""Exercises of lesson 07: applying dropout to a deep learning model.

q1 is hands-on: the learner writes, in plain Keras, the function that builds the digits network with dropout
after each hidden layer, trains it and measures its generalization gap. The check runs that function on digits
of its own under a time limit, reads the returned model's layers (:mod:`utils.model_checks`) and measures the
gap itself; each typical mistake gets its own message.
"""

from __future__ import annotations

import functools
import math
from typing import Any

from utils import checks
from utils import model_checks as mc
from utils.checks import (
    Exercise,
    Incorrect,
    NotAttempted,
    as_choice,
    as_number,
    call_learner_function,
    describe,
    expect,
)

# ------------------------------------------------------------------ q1: dropout in Keras, and its gap

Q1_RATE = 0.3
"""The dropout rate q1 asks for."""

Q1_HIDDEN = (256, 256)
"""The hidden layers of the digits network (lesson 04's)."""

Q1_TIME_FACTOR = 4.0
"""The learner's function may run this many times :data:`utils.checks.TIME_LIMIT` (20 s by default): it trains for
20 epochs, a few seconds on an idle machine (7 s measured; a review measured 22-24 s for a right answer at a load
average of 18 on 2 cores, and the time-out message then says to run the check again); a loop that never ends is
stopped. More would break the checkers' own deadline (tests/test_checker_robustness.py)."""

Q1_SIGNATURE = "train_and_measure(X_train, y_train, X_val, y_val) that returns (model, gap)"


@functools.cache
def _q1_data() -> tuple[Any, Any, Any, Any]:
    """The check's own digits: 300 training and 500 validation images of a fixed split."""
    from utils import data

    split = data.load_digits_split(n_train=300, n_val=500, seed=2024)
    return split.X_train, split.y_train, split.X_val, split.y_val


def _is_dropout(spec: mc.LayerSpec) -> bool:
    return "Dropout" in spec.kind


def _close(value: float, target: float) -> bool:
    return math.isclose(value, target, rel_tol=1e-3, abs_tol=1e-9)


def _check_layers(specs: list[mc.LayerSpec]) -> None:
    """Raise Incorrect naming the first way the layers differ from the task's network."""
    rate, keep = Q1_RATE, 1 - Q1_RATE
    dense = [i for i, spec in enumerate(specs) if spec.kind == "Dense"]
    expect(bool(dense), f"your model has no Dense layer: build the digits network with keras.layers.Dense ({mc.summary(specs)}).")
    first, last = dense[0], dense[-1]
    expect(not any(_is_dropout(s) for s in specs[last + 1:]),
           "your model has dropout after its output layer: it would zero some class scores at random in training. "
           "Put Dropout after each hidden layer only, none after the output layer.")
    expect(not any(_is_dropout(s) for s in specs[:first]),
           "your model drops inputs (a Dropout before the first Dense layer): the task asks for dropout after each "
           "hidden layer only, not on the 64 pixels.")
    expect(specs[last].units == 10,
           f"the output layer has {specs[last].units} units; the digits need 10, one per class ({mc.summary(specs)}).")
    hidden = dense[:-1]
    expect([specs[i].units for i in hidden] == list(Q1_HIDDEN),
           f"the task asks for two hidden layers of 256 ReLU units, then the output layer; yours: {mc.summary(specs)}.")
    for k, (i, j) in enumerate(zip(hidden, dense[1:], strict=True), start=1):
        between = specs[i + 1:j]
        relu = specs[i].activation == "relu" or any(s.activation == "relu" or s.kind == "ReLU" for s in between)
        expect(relu, f"hidden layer {k} has no ReLU activation: use keras.layers.Dense(256, activation=\"relu\").")
        drops = [s for s in between if _is_dropout(s)]
        expect(bool(drops), f"hidden layer {k} has no dropout after it: put keras.layers.Dropout({rate:g}) after "
                            f"each hidden layer ({mc.summary(specs)}).")
        expect(len(drops) == 1, f"hidden layer {k} is followed by {len(drops)} dropout layers; one is enough.")
        drop = drops[0]
        expect(drop.kind == "Dropout", f"after hidden layer {k} you used {drop.kind}, another kind of noise: the task "
                                       "asks for keras.layers.Dropout, which drops units.")
        expect(not _close(drop.rate, keep),
               f"the dropout after hidden layer {k} has rate {drop.rate:g}: Keras's rate is the fraction of units "
               f"DROPPED, not kept. To drop {rate:g} of them, write Dropout({rate:g}).")
        expect(_close(drop.rate, rate), f"the dropout after hidden layer {k} has rate {drop.rate:g}; the task asks for {rate:g}.")


def _trained_steps(model: Any) -> int:
    optimizer = getattr(model, "optimizer", None)
    if optimizer is None or not getattr(model, "compiled", False):
        return 0
    try:
        return int(optimizer.iterations.numpy())
    except Exception:
        return 0


def _epochs_trained(model: Any) -> float | None:
    """The epochs of training the optimizer's step count stands for, at the steps per epoch of the last ``fit``
    (None if unknown): several ``fit`` calls of one epoch each count as their sum."""
    params = getattr(getattr(model, "history", None), "params", None) or {}
    steps = params.get("steps")
    if not isinstance(steps, int) or steps <= 0:
        return None
    return _trained_steps(model) / steps


def _accuracy_gap(model: Any, X_train: Any, y_train: Any, X_val: Any, y_val: Any) -> float:
    """Training accuracy minus validation accuracy, in inference mode."""
    import numpy as np

    def accuracy(X: Any, y: Any) -> float:
        return float((np.argmax(np.asarray(model.predict(X, verbose=0)), axis=1) == y).mean())

    return accuracy(X_train, y_train) - accuracy(X_val, y_val)


def _losses(model: Any, X: Any, y: Any) -> float:
    try:
        return float(model.evaluate(X, y, verbose=0, return_dict=True)["loss"])
    except Exception as error:
        raise Incorrect(f"the check could not evaluate your model on the digits ({type(error).__name__}): was it "
                        "compiled with loss=\"sparse_categorical_crossentropy\"?") from None


def _training_loss_with_dropout_on(model: Any, X: Any, y: Any, passes: int = 5) -> float:
    """The training loss as fit records it, estimated: the mean cross-entropy with dropout ON (several masks)."""
    import keras
    import numpy as np

    values = []
    for _ in range(passes):
        out = np.asarray(model(X, training=True), dtype=np.float64)
        if not np.allclose(out.sum(axis=1), 1.0, atol=1e-3) or (out < 0).any():  # logits
            out = np.asarray(keras.ops.softmax(out, axis=-1), dtype=np.float64)
        values.append(-np.log(np.clip(out[np.arange(len(y)), y], 1e-7, 1.0)).mean())
    return float(np.mean(values))


def _check_dropout_gap(answer: Any) -> str:
    import keras

    if answer is Ellipsis:
        raise NotAttempted
    if isinstance(answer, keras.Model):
        raise Incorrect(f"you gave a model; give your function itself, answer = train_and_measure (without "
                        f"parentheses): the check calls it on digits of its own. It must be {Q1_SIGNATURE}.")
    X_train, y_train, X_val, y_val = _q1_data()
    try:
        result = call_learner_function(answer, X_train, y_train, X_val, y_val, signature=Q1_SIGNATURE,
                                       time_limit=checks.TIME_LIMIT * Q1_TIME_FACTOR)
    except Incorrect as error:
        if "did not return within" not in str(error):
            raise
        raise Incorrect(f"{error} (Or the machine is busy: 20 epochs on 300 images take a few seconds on an idle "
                        "machine; if your function has no such loop, run the check again.)") from None
    if isinstance(result, tuple | list) and len(result) == 2 and result[0] is Ellipsis:
        raise NotAttempted
    expect(isinstance(result, tuple | list) and len(result) == 2,
           f"your function should return two things, the trained model and its gap (return model, gap); it returned "
           f"{describe(result)}.")
    returned, gap_answer = result
    expect(not (isinstance(gap_answer, keras.Model) and not isinstance(returned, keras.Model)),
           "your function returned (gap, model): return them in the order model, gap.")
    expect(not isinstance(returned, keras.callbacks.History),
           "your function returned fit's History: return the model itself (fit trains it in place), then the gap.")
    model = mc.read_model(returned, input_dim=X_train.shape[1], what="the model your function returned")
    specs = mc.layers_of(model)
    _check_layers(specs)
    expect(_trained_steps(model) > 0,
           "the model your function returned was never trained: compile it and train it with fit (20 epochs) before "
           "measuring its gap.")
    epochs = _epochs_trained(model)
    expect(epochs is None or epochs >= 19.5,
           f"your model was trained for {epochs:.3g} epoch{'' if epochs == 1 else 's'}; the task asks for 20 "
           "(fit(..., epochs=20)): the gap of a network barely trained says little." if epochs is not None else "")
    if hasattr(gap_answer, "numpy") and not isinstance(gap_answer, type):  # a TensorFlow tensor
        try:
            gap_answer = gap_answer.numpy()
        except Exception:
            pass
    gap = as_number(gap_answer, "the gap your function returned")
    train_loss, val_loss = _losses(model, X_train, y_train), _losses(model, X_val, y_val)
    measured = val_loss - train_loss
    if math.isclose(gap, measured, rel_tol=1e-3, abs_tol=1e-5):
        return (f"your network: {mc.summary(specs)}. Its gap, both losses measured in inference mode: "
                f"{val_loss:.3g} - {train_loss:.3g} = {measured:.3g}.")
    expect(not math.isclose(gap, -measured, rel_tol=1e-3, abs_tol=1e-5),
           f"your gap, {gap:.3g}, has the wrong sign: the generalization gap is validation loss minus training loss "
           f"({measured:.3g} for your model).")
    accuracy_gap = _accuracy_gap(model, X_train, y_train, X_val, y_val)
    expect(not math.isclose(abs(gap), abs(accuracy_gap), rel_tol=1e-3, abs_tol=1e-6),
           f"your gap, {gap:.3g}, is a difference of accuracies (or error rates): here the generalization gap is in "
           f"loss, validation loss minus training loss, both with model.evaluate: {measured:.3g} for your model.")
    with_dropout = val_loss - _training_loss_with_dropout_on(model, X_train, y_train)
    # fit's loss only if the gap lies nearer the dropout-on estimate than the right one, and within one handicap of it:
    # a gap far from both (a loss minus an accuracy, a typo) gets the plain message below
    from_fit = abs(gap - with_dropout) < abs(gap - measured) and abs(gap - with_dropout) <= abs(measured - with_dropout)
    expect(not from_fit,
           f"your gap, {gap:.3g}, looks taken from the training loss fit recorded (dropout on: a handicapped "
           f"network). Measure it as the validation loss is measured, model.evaluate on the training data: "
           f"{measured:.3g} for your model.")
    raise Incorrect(f"your gap is {gap:.3g}, but the model you returned measures {measured:.3g}: validation loss "
                    f"({val_loss:.3g}) minus training loss ({train_loss:.3g}), both with model.evaluate.")


Q1_SOLUTION = '''import keras


def train_and_measure(X_train, y_train, X_val, y_val):
    model = keras.Sequential([
        keras.Input(shape=(64,)),
        keras.layers.Dense(256, activation="relu"),
        keras.layers.Dropout(0.3),  # after each hidden layer
        keras.layers.Dense(256, activation="relu"),
        keras.layers.Dropout(0.3),
        keras.layers.Dense(10, activation="softmax"),  # none after the output layer
    ])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    model.fit(X_train, y_train, epochs=20, verbose=0)
    # both losses of the full network (dropout off), as evaluate measures them; not the loss fit recorded
    gap = model.evaluate(X_val, y_val, verbose=0) - model.evaluate(X_train, y_train, verbose=0)
    return model, gap


answer = train_and_measure
'''


def _compiled_and_trained(model: Any, X: Any, y: Any, **fit: Any) -> Any:
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    model.fit(X, y, epochs=20, verbose=0, **fit)
    return model


def _gap(model: Any, X_train: Any, y_train: Any, X_val: Any, y_val: Any) -> float:
    return model.evaluate(X_val, y_val, verbose=0) - model.evaluate(X_train, y_train, verbose=0)


def _sequential(*, rate: float = Q1_RATE, hidden_rates: tuple[float | None, ...] | None = None,
                inputs: float | None = None, output: float | None = None) -> Any:
    import keras

    rates = hidden_rates if hidden_rates is not None else (rate, rate)
    layers: list[Any] = [keras.Input(shape=(64,))]
    if inputs is not None:
        layers.append(keras.layers.Dropout(inputs))
    for units, r in zip(Q1_HIDDEN, rates, strict=True):
        layers.append(keras.layers.Dense(units, activation="relu"))
        if r is not None:
            layers.append(keras.layers.Dropout(r))
    layers.append(keras.layers.Dense(10, activation="softmax"))
    if output is not None:
        layers.append(keras.layers.Dropout(output))
    return keras.Sequential(layers)


# right answers written differently (the tests run each one)


def right_functional(X_train: Any, y_train: Any, X_val: Any, y_val: Any) -> tuple[Any, float]:
    """The functional API, mini-batches of 64, losses from a dict."""
    import keras

    inputs = keras.Input(shape=(64,))
    h = keras.layers.Dropout(0.3, name="drop_a")(keras.layers.Dense(256, activation="relu", name="h1")(inputs))
    h = keras.layers.Dropout(0.3, name="drop_b")(keras.layers.Dense(256, activation="relu", name="h2")(h))
    model = keras.Model(inputs, keras.layers.Dense(10, activation="softmax")(h))
    model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    model.fit(X_train, y_train, epochs=20, batch_size=64, verbose=0)
    train = model.evaluate(X_train, y_train, verbose=0, return_dict=True)["loss"]
    val = model.evaluate(X_val, y_val, verbose=0, return_dict=True)["loss"]
    return model, val - train


def right_logits_added(X_train: Any, y_train: Any, X_val: Any, y_val: Any) -> tuple[Any, float]:
    """Sequential built with .add and no Input (fit builds it), ReLU as its own layer, logits out."""
    import keras

    model = keras.Sequential()
    for _ in range(2):
        model.add(keras.layers.Dense(256))
        model.add(keras.layers.ReLU())
        model.add(keras.layers.Dropout(rate=0.3))
    model.add(keras.layers.Dense(10))
    model.compile(optimizer="adam", loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    model.fit(X_train, y_train, epochs=20, batch_size=len(X_train), verbose=0)
    return model, _gap(model, X_train, y_train, X_val, y_val)


def right_by_hand(X_train: Any, y_train: Any, X_val: Any, y_val: Any) -> tuple[Any, float]:
    """The gap computed by hand from the model's inference-mode predictions, as a NumPy float."""
    import numpy as np

    model = _compiled_and_trained(_sequential(), X_train, y_train)

    def loss(X: Any, y: Any) -> Any:
        p = model.predict(X, verbose=0)  # predict runs in inference mode: dropout off
        return -np.log(np.clip(p[np.arange(len(y)), y], 1e-7, 1.0)).mean()

    return model, np.float64(loss(X_val, y_val) - loss(X_train, y_train))


# typical mistakes (the tests run each one and check that each gets its own message)


def wrong_dropout_after_output(X_train: Any, y_train: Any, X_val: Any, y_val: Any) -> tuple[Any, float]:
    model = _compiled_and_trained(_sequential(output=0.3), X_train, y_train)
    return model, _gap(model, X_train, y_train, X_val, y_val)


def wrong_dropout_on_inputs(X_train: Any, y_train: Any, X_val: Any, y_val: Any) -> tuple[Any, float]:
    model = _compiled_and_trained(_sequential(inputs=0.3), X_train, y_train)
    return model, _gap(model, X_train, y_train, X_val, y_val)


def wrong_keep_probability(X_train: Any, y_train: Any, X_val: Any, y_val: Any) -> tuple[Any, float]:
    model = _compiled_and_trained(_sequential(rate=0.7), X_train, y_train)
    return model, _gap(model, X_train, y_train, X_val, y_val)


def wrong_second_layer_without_dropout(X_train: Any, y_train: Any, X_val: Any, y_val: Any) -> tuple[Any, float]:
    model = _compiled_and_trained(_sequential(hidden_rates=(Q1_RATE, None)), X_train, y_train)
    return model, _gap(model, X_train, y_train, X_val, y_val)


def wrong_untrained(X_train: Any, y_train: Any, X_val: Any, y_val: Any) -> tuple[Any, float]:
    model = _sequential()
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    return model, _gap(model, X_train, y_train, X_val, y_val)


def wrong_gap_from_history(X_train: Any, y_train: Any, X_val: Any, y_val: Any) -> tuple[Any, float]:
    model = _sequential()
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    history = model.fit(X_train, y_train, epochs=20, validation_data=(X_val, y_val), verbose=0)
    return model, history.history["val_loss"][-1] - history.history["loss"][-1]


def wrong_one_epoch(X_train: Any, y_train: Any, X_val: Any, y_val: Any) -> tuple[Any, float]:
    model = _sequential()
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    model.fit(X_train, y_train, epochs=1, verbose=0)
    return model, _gap(model, X_train, y_train, X_val, y_val)


def wrong_accuracy_gap(X_train: Any, y_train: Any, X_val: Any, y_val: Any) -> tuple[Any, float]:
    model = _sequential()
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    model.fit(X_train, y_train, epochs=20, verbose=0)
    return model, model.evaluate(X_train, y_train, verbose=0)[1] - model.evaluate(X_val, y_val, verbose=0)[1]


def wrong_loss_minus_accuracy(X_train: Any, y_train: Any, X_val: Any, y_val: Any) -> tuple[Any, float]:
    """evaluate returns [loss, accuracy] when compiled with a metric: the wrong index on one side."""
    model = _sequential()
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    model.fit(X_train, y_train, epochs=20, verbose=0)
    return model, model.evaluate(X_val, y_val, verbose=0)[0] - model.evaluate(X_train, y_train, verbose=0)[1]


def wrong_sign(X_train: Any, y_train: Any, X_val: Any, y_val: Any) -> tuple[Any, float]:
    model = _compiled_and_trained(_sequential(), X_train, y_train)
    return model, -_gap(model, X_train, y_train, X_val, y_val)


q1 = Exercise(
    name="q1",
    question=(
        "Write train_and_measure(X_train, y_train, X_val, y_val): the digits network with Dropout(0.3) after each "
        "hidden layer, compiled, trained for 20 epochs; return the model and its generalization gap, measured right."
    ),
    checker=_check_dropout_gap,
    hint_text=(
        "keras.layers.Dropout(0.3) goes right after each hidden Dense layer, and nowhere else. For the gap, measure "
        "the training loss the way the validation loss is measured: is dropout on or off in each?"
    ),
    solution_code=Q1_SOLUTION,
    right_answers=(right_functional, right_logits_added, right_by_hand),
    wrong_answers=(wrong_dropout_after_output, wrong_dropout_on_inputs, wrong_keep_probability,
                   wrong_second_layer_without_dropout, wrong_untrained, wrong_one_epoch, wrong_gap_from_history, wrong_accuracy_gap, wrong_sign,
                   wrong_loss_minus_accuracy),
)

# ------------------------------------------------------------------ q2: which training loss

GAP_CHOICES = {
    "the one recorded by fit": ("fit", "fit()", "recorded by fit", "one recorded by fit", "the one from fit",
                                "the training loss recorded by fit", "history"),
    "model.evaluate on the training set": ("evaluate", "evaluate()", "model.evaluate", "model.evaluate()",
                                           "model.evaluate(x_train, y_train)", "evaluate on the training set",
                                           "evaluate on the training data", "model.evaluate on the training data",
                                           "inference mode", "the inference-mode one", "the inference-mode training loss"),
}


def _check_gap(answer: Any) -> str:
    word = as_choice(answer, GAP_CHOICES)
    expect(
        word == "model.evaluate on the training set",
        "fit records the training loss with dropout on (a handicapped network), before each step's update (and, "
        "with mini-batches, averaged over an epoch while the weights change); the validation loss is measured on "
        "the full network.",
    )
    return "model.evaluate runs the full network (dropout off) on the training set, as the validation loss does: like for like."


q2 = Exercise(
    name="q2",
    question=(
        "To measure a dropout network's generalization gap, which training loss do you compare with its validation "
        "loss: 'the one recorded by fit' or 'model.evaluate on the training set'?"
    ),
    checker=_check_gap,
    hint_text="The gap compares two measurements of the same network. Is dropout on or off in each of them?",
    solution_code="answer = 'model.evaluate on the training set'",
    right_answers=("evaluate", "model.evaluate", "Model.evaluate on the training set.", " EVALUATE ", "evaluate()",
                   "model.evaluate(X_train, y_train)", "inference mode"),
    wrong_answers=("the one recorded by fit", "fit", "history", 0.5, "both"),
)

# ------------------------------------------------------------------ q3: why fit's training loss is above

CHOICES = {
    "a bug": ("bug",),
    "the dropout handicap": ("dropout handicap", "handicap", "dropout"),
    "overfitting": ("overfit",),
}


def _check_reason(answer: Any) -> str:
    word = as_choice(answer, CHOICES)
    expect(word != "a bug", "nothing is wrong: the two losses are measured on different networks.")
    expect(word != "overfitting", "overfitting makes the training loss *lower* than the validation loss, not higher.")
    return "During fit, the training loss is measured with units dropped; the validation loss with the full network."


q3 = Exercise(
    name="q3",
    question=(
        "A dropout model's training loss, as recorded by fit, is above its validation loss. Is that 'a bug', "
        "'the dropout handicap' or 'overfitting'?"
    ),
    checker=_check_reason,
    hint_text="When is dropout on, and when is it off?",
    solution_code="answer = 'the dropout handicap'",
    right_answers=("dropout handicap", "The Dropout Handicap", "handicap", "'the dropout handicap'.", "dropout"),
    wrong_answers=("a bug", "overfitting", 1, "underfitting"),
)
