"""Every cell that takes more than 3 s on this machine shows progress while it runs (issue 13, item 6).

The committed benchmark (``python3 tasks.py benchmark``) lists, in ``benchmarks/cells.csv``, every cell that took at
least a second, with the SHA-256 of its source. Each cell over 3 s must use ``utils.progress`` (``track(...)`` or
``progress.bar(...)``) or train with ``utils.training.fit(..., progress=...)``. A listed cell whose source is no longer
in its notebook means the table is stale: re-run the benchmark. The bars themselves never reach a committed output:
``COURSE_PROGRESS=0`` turns them off in ``tasks.py execute`` and in every test run (see ``utils.progress``).

One kind of cell is exempt: a lesson's set-up cell, the first code cell, when it only imports, sets the seed and
style and defines constants (no ``for`` or ``while`` loop; a one-line comprehension that loads data is allowed). Importing TensorFlow takes about 3 s, the floor every notebook pays; a progress bar cannot measure
an import, and JupyterLab's ``[*]`` prompt already shows the kernel is busy.

And one more: an applying lesson's plain-Keras recipe cell (cell tag ``recipe``), which must not call ``utils`` (the
learner copies it into a model of their own, issue 18), so it cannot show ``utils.progress``'s bar; it must stay
under :data:`RECIPE_LIMIT_SECONDS`, a wait the ``[*]`` prompt covers.
"""

from __future__ import annotations

import ast
import csv
import hashlib
import io
import re
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
CELLS = ROOT / "benchmarks" / "cells.csv"
LIMIT_SECONDS = 3.0
RECIPE_LIMIT_SECONDS = 6.0
SHOWS_PROGRESS = re.compile(r"\btrack\(|\bprogress\.bar\(|\bprogress\s*=\s*[\"'fA-Za-z_]")


def _digest(source: str) -> str:
    return hashlib.sha256(source.replace("\r\n", "\n").encode("utf-8")).hexdigest()[:16]


def _is_setup(source: str, first: bool) -> bool:
    """The first code cell, made only of imports and plain calls or assignments, with no for or while loop."""
    if not first:
        return False
    tree = ast.parse(source)
    loops = (ast.For, ast.While, ast.AsyncFor)
    return not any(isinstance(node, loops) for node in ast.walk(tree)) and all(
        isinstance(stmt, ast.Import | ast.ImportFrom | ast.Expr | ast.Assign) for stmt in tree.body
    )


def _slow_rows() -> list[dict[str, str]]:
    if not CELLS.exists():
        return []
    text = "".join(line for line in CELLS.read_text().splitlines(keepends=True) if not line.startswith("#"))
    return [row for row in csv.DictReader(io.StringIO(text)) if float(row["seconds"]) > LIMIT_SECONDS]


def test_the_benchmark_lists_cells():
    assert CELLS.exists(), "benchmarks/cells.csv is missing: run python3 tasks.py benchmark"


@pytest.mark.parametrize("row", _slow_rows(), ids=lambda r: f"{r['notebook']}[{r['cell']}]")
def test_slow_cell_shows_progress(row):
    name = row["notebook"] if row["notebook"].endswith(".ipynb") else row["notebook"] + ".ipynb"
    path = ROOT / "notebooks" / name
    notebook = nbformat.read(path, as_version=4)
    code = [c.source for c in notebook.cells if c.cell_type == "code"]
    sources = {_digest(source): source for source in code}
    assert row["source_sha256_16"] in sources, (
        f"{row['notebook']} cell [{row['cell']}] ({row['seconds']} s in benchmarks/cells.csv) has changed since the "
        "benchmark: re-run python3 tasks.py benchmark and commit benchmarks/"
    )
    source = sources[row["source_sha256_16"]]
    if _is_setup(source, first=source == code[0]):
        pytest.skip("the set-up cell only imports (see the module docstring)")
    cell = next(c for c in notebook.cells if c.cell_type == "code" and c.source == source)
    if "recipe" in cell.metadata.get("tags", []):
        assert not re.search(r"(?<!keras\.)\butils\b", source), "a recipe cell (tag 'recipe') must not use utils"
        assert float(row["seconds"]) < RECIPE_LIMIT_SECONDS, (
            f"{row['notebook']} cell [{row['cell']}], the plain-Keras recipe, takes {row['seconds']} s: keep it under "
            f"{RECIPE_LIMIT_SECONDS:g} s (it cannot show utils' progress bar)")
        return
    assert SHOWS_PROGRESS.search(source), (
        f"{row['notebook']} cell [{row['cell']}] takes {row['seconds']} s: wrap its loop in utils.progress.track(...) "
        "or train with utils.training.fit(..., progress='label') so the learner sees it moving"
    )
