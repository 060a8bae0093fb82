"""Committed outputs are never stale: a notebook whose inputs changed since it was executed fails here.

Outputs that come from training a Keras model are not compared digit for digit (they differ between CPUs;
see CONTRIBUTING.md, "The nbval policy"). What guarantees that they are still the outputs of the code a
learner reads is the record of inputs that ``python3 tasks.py execute`` stores in every notebook: its code
cells, the ``utils`` modules it imported, its data files and the pins. This module checks the record against
the working tree, and shows on a copy of the repository that each kind of change is caught and named.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

# Imported by its package path (the repository root is on sys.path: conftest.py is there), so that mutmut,
# which names each mutant by its file's path (build_tools.notebook_inputs), sees these tests call it.
from build_tools import notebook_inputs

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


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


# --- added and removed cells, deleted and new inputs (issue 23) ---------------------------------------------


def _edit_cells(copy: Path, edit) -> tuple[int, int]:
    """Apply ``edit`` to the example's cell list; return its code-cell counts before and after."""
    path = copy / "notebooks" / EXAMPLE
    notebook = json.loads(path.read_text(encoding="utf-8"))
    before = sum(c["cell_type"] == "code" for c in notebook["cells"])
    edit(notebook["cells"])
    path.write_text(json.dumps(notebook), encoding="utf-8")
    return before, sum(c["cell_type"] == "code" for c in notebook["cells"])


def test_an_appended_code_cell_is_caught(copy):
    cell = {"cell_type": "code", "metadata": {}, "execution_count": None, "outputs": [], "source": "print('new')"}
    before, after = _edit_cells(copy, lambda cells: cells.append(cell))
    assert _reasons(copy) == [f"it has {after} code cells, but {before} when it was executed"]


def test_a_removed_code_cell_is_caught(copy):
    def remove_last_code_cell(cells):
        del cells[max(i for i, c in enumerate(cells) if c["cell_type"] == "code")]

    before, after = _edit_cells(copy, remove_last_code_cell)
    assert after == before - 1
    assert _reasons(copy) == [f"it has {after} code cells, but {before} when it was executed"]


def test_a_deleted_recorded_module_is_gone(copy):
    (copy / "utils" / "measures.py").unlink()
    assert _reasons(copy) == ["utils/measures.py is gone"]


def test_a_deleted_data_file_is_gone(copy):
    (copy / "data" / "noisy_cosine.csv").unlink()
    assert _reasons(copy) == ["data/noisy_cosine.csv is gone"]


def test_a_new_data_file_is_new(copy):
    (copy / "data" / "extra_signals.csv").write_text("x,y\n1,2\n", encoding="utf-8")
    assert _reasons(copy) == ["data/extra_signals.csv is new"]


def test_the_record_holds_sha256_of_each_input_computed_by_hand(copy):
    """The writer, checked without its own digest function: SHA-256 of the bytes (LF line endings) of each
    imported module, the data files and the pins, and of each code cell's source."""
    import hashlib

    path = copy / "notebooks" / EXAMPLE
    notebook = json.loads(path.read_text(encoding="utf-8"))
    record = notebook["metadata"]["course"]["inputs"]
    sources = ["".join(c["source"]) if isinstance(c["source"], list) else c["source"]
               for c in notebook["cells"] if c["cell_type"] == "code"]
    assert record["code_cells"] == [hashlib.sha256(s.encode()).hexdigest() for s in sources]
    expected = {p.relative_to(copy).as_posix() for p in (copy / "data").glob("*.csv")} | set(notebook_inputs.PIN_FILES)
    assert expected <= set(record["files"])
    for name, recorded in record["files"].items():
        assert recorded == hashlib.sha256((copy / name).read_bytes().replace(b"\r\n", b"\n")).hexdigest(), name


def _imported_utils_modules(path: Path) -> set[str]:
    """The utils modules a notebook's code cells import, read from the code itself (not from the record)."""
    import ast

    notebook = json.loads(path.read_text(encoding="utf-8"))
    found = set()
    for cell in notebook["cells"]:
        if cell["cell_type"] != "code":
            continue
        source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        lines = [line for line in source.splitlines() if not line.lstrip().startswith(("%", "!"))]
        try:
            tree = ast.parse("\n".join(lines))
        except SyntaxError:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                found |= {alias.name for alias in node.names if alias.name.split(".")[0] == "utils"}
            elif isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "utils":
                found.add(node.module)
                for alias in node.names:  # `from utils import data` imports the module utils.data
                    found.add(f"{node.module}.{alias.name}")
    return found


def _module_file(name: str) -> str | None:
    """``utils/x.py`` or ``utils/x/__init__.py`` for a dotted name, or None when it is not a module (a function)."""
    parts = name.split(".")
    if (ROOT / Path(*parts)).with_suffix(".py").is_file():
        return Path(*parts).with_suffix(".py").as_posix()
    if (ROOT / Path(*parts) / "__init__.py").is_file():
        return (Path(*parts) / "__init__.py").as_posix()
    return None


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_every_utils_module_a_lesson_imports_is_in_its_record(path):
    files = json.loads(path.read_text(encoding="utf-8"))["metadata"]["course"]["inputs"]["files"]
    imported = {_module_file(name) for name in _imported_utils_modules(path)} - {None}
    assert imported, f"{path.name}: no utils import found (the parser above is broken?)"
    missing = sorted(imported - set(files))
    assert not missing, f"{path.name} imports {missing}, which its record of inputs does not hold"
