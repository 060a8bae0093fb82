"""``utils.models.MCDropout``: Monte Carlo dropout is ``keras.layers.Dropout`` always in training mode.

In a file of its own: mutmut's copy of ``utils/models.py`` cannot build this layer (the mutated ``__init__`` has no
``self`` argument, which Keras's ``Operation.__new__`` reads), so ``python3 tasks.py mutate utils/models.py`` leaves
this file out (``MUTATION_TESTS`` in tasks.py).
"""

from __future__ import annotations

from utils import models

import keras
import numpy as np
import pytest


def test_mc_dropout_is_always_on():
    layer = models.MCDropout(0.5, seed=1)
    x = np.ones((4, 100), dtype=np.float32)
    out = np.asarray(layer(x, training=False))
    assert set(np.unique(out)) == {0.0, 2.0}
    plain = np.asarray(keras.layers.Dropout(0.5)(x, training=False))
    assert np.array_equal(plain, x)


def test_mc_dropout_refuses_rate_one():
    with pytest.raises(ValueError, match="rate must be < 1.0, got 1.0"):
        models.MCDropout(1.0)
    layer = models.MCDropout.from_config(models.MCDropout(0.2).get_config())
    assert layer.rate == 0.2


@pytest.mark.parametrize(("rate", "message"), [(1.0, r"^rate must be < 1.0"), (-0.1, r"^rate must be >= 0")])
def test_mc_dropout_names_a_rate_outside_0_1(rate, message):
    with pytest.raises(ValueError, match=message):
        models.MCDropout(rate)


def test_mc_dropout_is_keras_dropout_in_training_mode():
    """Same rate, seed and noise shape: the same mask and the same 1/(1-rate) scale as keras.layers.Dropout with
    training=True, whatever training flag it is called with."""
    x = np.ones((4, 50), dtype=np.float32)
    for kwargs in ({"seed": 3}, {"seed": 3, "noise_shape": (1, 50)}):
        mc = np.asarray(models.MCDropout(0.3, **kwargs)(x, training=False))
        plain = np.asarray(keras.layers.Dropout(0.3, **kwargs)(x, training=True))
        np.testing.assert_allclose(mc, plain, rtol=1e-6)
        np.testing.assert_allclose(np.unique(mc), [0.0, 1 / 0.7], rtol=1e-6)
    shared = np.asarray(models.MCDropout(0.3, noise_shape=(1, 50), seed=3)(x))
    assert (shared == shared[0]).all()  # one mask for every row
    assert np.array_equal(np.asarray(models.MCDropout(0.0)(x)), x)
    layer = models.MCDropout(0.2, seed=4, name="mc")
    assert layer.name == "mc" and layer.rate == 0.2 and layer.seed == 4
