"""Committed outputs are never stale: a notebook whose inputs changed since it was executed fails here.

Outputs that come from training a Keras model are not compared digit for digit (they differ between CPUs;
see CONTRIBUTING.md, "The nbval policy"). What guarantees that they are still the outputs of the code a
learner reads is the record of inputs that ``python3 tasks.py execute`` stores in every notebook: its code
cells, the ``utils`` modules it imported, its data files and the pins. This module checks the record against
the working tree, and shows on a copy of the repository that each kind of change is caught and named.
"""

from __future__ import annotations

import importlib.util
import json
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))

_spec = importlib.util.spec_from_file_location("notebook_inputs", ROOT / "build_tools" / "notebook_inputs.py")
notebook_inputs = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(notebook_inputs)


def _stale_message(path: Path, reasons: list[str]) -> str:
    return (
        f"{path.name} is stale: " + "; ".join(reasons)
        + f". Re-execute it: python3 tasks.py execute notebooks/{path.name}"
    )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_committed_outputs_were_made_from_the_current_inputs(path):
    reasons = notebook_inputs.stale_reasons(path, ROOT)
    assert not reasons, _stale_message(path, reasons)


def test_every_lesson_records_its_utils_modules_data_and_pins():
    for path in NOTEBOOKS:
        record = json.loads(path.read_text(encoding="utf-8"))["metadata"]["course"]["inputs"]
        files = record["files"]
        assert "utils/__init__.py" in files, f"{path.name}: no utils module recorded"
        assert all(name in files for name in notebook_inputs.PIN_FILES), f"{path.name}: pins not recorded"


# --- the staleness cases, on a copy of the repository ----------------------------------------------------

EXAMPLE = "03_applying_l1_regularization.ipynb"  # imports utils.data, utils.measures, ... and trains models


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    """A copy of what the notebooks are made from: notebooks, utils, data and the pins."""
    for folder in ("notebooks", "utils", "data"):
        shutil.copytree(ROOT / folder, tmp_path / folder, ignore=shutil.ignore_patterns("__pycache__"))
    for name in notebook_inputs.PIN_FILES:
        shutil.copy(ROOT / name, tmp_path / name)
    # Record the copy's own inputs, as `tasks.py execute` would have: the cases below start from a fresh
    # notebook whether or not the working tree's notebook is fresh (its own test above says that).
    path = tmp_path / "notebooks" / EXAMPLE
    notebook = json.loads(path.read_text(encoding="utf-8"))
    modules = [str(tmp_path / name) for name in notebook["metadata"]["course"]["inputs"]["files"] if name.startswith("utils/")]
    notebook["metadata"]["course"]["inputs"] = notebook_inputs.inputs_of(notebook, modules, tmp_path)
    path.write_text(json.dumps(notebook), encoding="utf-8")
    return tmp_path


def _reasons(copy: Path) -> list[str]:
    return notebook_inputs.stale_reasons(copy / "notebooks" / EXAMPLE, copy)


def test_the_copy_starts_fresh(copy):
    assert _reasons(copy) == []


def test_an_edited_code_cell_is_caught_and_named(copy):
    path = copy / "notebooks" / EXAMPLE
    notebook = json.loads(path.read_text(encoding="utf-8"))
    code = [i for i, c in enumerate(notebook["cells"]) if c["cell_type"] == "code"]
    notebook["cells"][code[2]]["source"] = "".join(notebook["cells"][code[2]]["source"]).replace("200", "100", 1)
    path.write_text(json.dumps(notebook), encoding="utf-8")
    reasons = _reasons(copy)
    assert reasons == [f"code cell 2 (cell {code[2]} of the notebook) was edited"]
    assert EXAMPLE in _stale_message(path, reasons)


def test_a_changed_utils_module_is_caught_and_named(copy):
    module = copy / "utils" / "measures.py"
    module.write_text(module.read_text().replace("def ", "def _unused() -> None: ...\n\n\ndef ", 1))
    assert _reasons(copy) == ["utils/measures.py changed"]


def test_an_altered_data_file_is_caught_and_named(copy):
    data = copy / "data" / "sparse_signals.csv"
    data.write_bytes(data.read_bytes()[:-200])
    assert _reasons(copy) == ["data/sparse_signals.csv changed"]


def test_changed_pins_are_caught(copy):
    pins = copy / notebook_inputs.PIN_FILES[0]
    pins.write_text(pins.read_text().replace("numpy==", "numpy>=", 1))
    assert _reasons(copy) == [f"{notebook_inputs.PIN_FILES[0]} changed"]


def test_a_notebook_saved_without_the_record_is_caught(copy):
    path = copy / "notebooks" / EXAMPLE
    notebook = json.loads(path.read_text(encoding="utf-8"))
    del notebook["metadata"]["course"]
    path.write_text(json.dumps(notebook), encoding="utf-8")
    assert "tasks.py execute" in _reasons(copy)[0]


def test_windows_line_endings_are_not_a_change(copy):
    module = copy / "utils" / "measures.py"
    module.write_bytes(module.read_bytes().replace(b"\n", b"\r\n"))
    assert _reasons(copy) == []


def test_an_edited_markdown_cell_is_not_a_change(copy):
    path = copy / "notebooks" / EXAMPLE
    notebook = json.loads(path.read_text(encoding="utf-8"))
    prose = next(c for c in notebook["cells"] if c["cell_type"] == "markdown")
    prose["source"] = "".join(prose["source"]) + "\n\nOne more sentence."
    path.write_text(json.dumps(notebook), encoding="utf-8")
    assert _reasons(copy) == []
