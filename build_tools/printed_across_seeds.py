"""A number a lesson prints (not a claim), read at several seeds: run the notebook's code cells under each
``COURSE_SEED`` until one prints a line matching a pattern, and report the number it captures.

    python build_tools/printed_across_seeds.py notebooks/03_applying_l1_regularization.ipynb \\
        "pruning at one learning rate changed the validation data loss by ([0-9.]+)" --seeds $(seq 0 29) 42

For a sentence that cites how a printed demonstration varies over seeds (e.g. lesson 03's change of the validation
loss from pruning, in ``benchmarks/claim_margins_03.md``). Each seed runs in a fresh Python process, in the
notebook's folder, with progress bars off; cells after the matching one are not run. Prints one line per seed
(``seed value``), then the smallest and the largest value.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
from pathlib import Path

RUNNER = r"""
import contextlib, io, json, os, re, sys
os.environ.setdefault("MPLBACKEND", "Agg")
notebook, pattern = sys.argv[1], re.compile(sys.argv[2])
from IPython.core.interactiveshell import InteractiveShell
shell = InteractiveShell.instance()
for cell in json.load(open(notebook, encoding="utf-8"))["cells"]:
    if cell["cell_type"] != "code":
        continue
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        result = shell.run_cell("".join(cell["source"]), silent=True)
    if result.error_before_exec or result.error_in_exec:
        sys.exit(f"a cell failed: {result.error_before_exec or result.error_in_exec!r}")
    match = pattern.search(buffer.getvalue())
    if match:
        print(match.group(1))
        sys.exit(0)
sys.exit("no cell printed a line matching the pattern")
"""


def value_at_seed(notebook: Path, pattern: str, seed: int) -> float:
    """The number the first matching printed line captures, with the notebook run under ``COURSE_SEED=seed``."""
    if re.compile(pattern).groups != 1:
        raise ValueError(f"pattern must capture exactly one group (the number), got {pattern!r}")
    env = {**os.environ, "COURSE_SEED": str(seed), "COURSE_PROGRESS": "0", "TF_CPP_MIN_LOG_LEVEL": "3"}
    done = subprocess.run([sys.executable, "-c", RUNNER, str(notebook.resolve()), pattern], cwd=notebook.parent,
                          env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"seed {seed}: {done.stderr.strip().splitlines()[-1] if done.stderr.strip() else 'failed'}")
    return float(done.stdout.strip().splitlines()[-1])


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("notebook", type=Path)
    parser.add_argument("pattern", help="a regular expression with one group capturing the number")
    parser.add_argument("--seeds", type=int, nargs="+", required=True)
    args = parser.parse_args(argv)
    if not args.notebook.is_file():
        parser.error(f"no notebook at {args.notebook}")
    values = []
    for seed in args.seeds:
        value = value_at_seed(args.notebook, args.pattern, seed)
        values.append(value)
        print(f"{seed} {value:g}", flush=True)
    print(f"smallest {min(values):g}, largest {max(values):g} over {len(values)} seeds")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
