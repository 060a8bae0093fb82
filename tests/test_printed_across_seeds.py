"""build_tools/printed_across_seeds.py reads a number a notebook prints, under each seed."""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "build_tools"))

import printed_across_seeds as pas  # noqa: E402


@pytest.fixture
def notebook(tmp_path):
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("a number that depends on the seed"),
        nbformat.v4.new_code_cell("import os\nseed = int(os.environ['COURSE_SEED'])"),
        nbformat.v4.new_code_cell("print(f'other {seed}')\nprint(f'the value is {seed / 4:.3f} here')"),
        nbformat.v4.new_code_cell("raise RuntimeError('cells after the match are not run')"),
    ]
    path = tmp_path / "n.ipynb"
    nbformat.write(nb, path)
    return path


def test_reads_the_captured_number_under_each_seed(notebook):
    assert pas.value_at_seed(notebook, r"the value is ([0-9.]+)", 3) == 0.75
    assert pas.value_at_seed(notebook, r"the value is ([0-9.]+)", 42) == 10.5


def test_a_pattern_no_cell_prints_and_a_bad_pattern_are_refused(notebook):
    with pytest.raises(RuntimeError, match="seed 1: a cell failed.*cells after the match"):  # no match: runs on
        pas.value_at_seed(notebook, r"never printed ([0-9]+)", 1)
    with pytest.raises(ValueError, match="exactly one group"):
        pas.value_at_seed(notebook, r"the value is [0-9.]+", 1)
