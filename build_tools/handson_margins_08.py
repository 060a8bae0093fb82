"""Margin of lesson 08's hands-on solution (q1) over seeds: the baseline and the solution, trained the check's way.

The check trains every answer under one fixed seed (``utils.exercises.lesson08.CHECK_SEED``); this script trains the
baseline and the solution under other seeds too, to show that the solution's win does not hinge on that seed or on
this CPU (run it with ``TF_ENABLE_ONEDNN_OPTS=1`` as a stand-in for another CPU). Results:
``benchmarks/claim_margins_08.md``.

Usage: ``python build_tools/handson_margins_08.py 0 1 2 ...`` (the seeds).
"""

import os
import sys

import utils  # noqa: F401 - first: it silences TensorFlow's start-up messages
from utils.exercises import lesson08

import keras
import numpy as np


def main(seeds: list[int]) -> None:
    solution = lesson08.q1.run_solution()
    rows = []
    for seed in seeds:
        keras.utils.set_random_seed(seed)
        _, base = lesson08.train_and_score(lesson08.baseline())
        keras.utils.set_random_seed(seed)
        _, val = lesson08.train_and_score(solution())
        rows.append((base, val))
        print(f"seed {seed} oneDNN {os.environ.get('TF_ENABLE_ONEDNN_OPTS')}: baseline {base:.3f}, solution {val:.3f}, "
              f"win over baseline {base - val:.3f}, below ln2 by {lesson08.CHANCE - val:.3f}", flush=True)
    r = np.array(rows)
    print(f"{len(seeds)} seeds: smallest win over the baseline {(r[:, 0] - r[:, 1]).min():.3f}, smallest margin below "
          f"ln 2 {(lesson08.CHANCE - r[:, 1]).min():.3f}")


if __name__ == "__main__":
    main([int(s) for s in sys.argv[1:]] or [0])
