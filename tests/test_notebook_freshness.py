"""Committed outputs are never stale: a notebook whose inputs changed since it was executed fails here.

Outputs that come from training a Keras model are not compared digit for digit (they differ between CPUs;
see CONTRIBUTING.md, "The nbval policy"). What guarantees that they are still the outputs of the code a
learner reads is the record of inputs that ``python3 tasks.py execute`` stores in every notebook: its code
cells, the ``utils`` modules it imported, its data files and the pins. This module checks the record against
the working tree, and shows on a copy of the repository that each kind of change is caught and named.
"""

from __future__ import annotations

import json
import os
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
    edited = "".join(notebook["cells"][code[2]]["source"]).replace("= ", "=  ", 1)  # any change to the code
    assert edited != "".join(notebook["cells"][code[2]]["source"])
    notebook["cells"][code[2]]["source"] = edited
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


# --- the record's edge cases, and the command line (issue 23: mutation testing) ------------------------------


def test_a_cell_source_with_windows_line_endings_hashes_as_with_unix_ones():
    import hashlib

    expected = hashlib.sha256(b"x = 1\nprint(x)\n").hexdigest()
    assert notebook_inputs.source_digest("x = 1\r\nprint(x)\r\n") == expected
    assert notebook_inputs.source_digest("x = 1\nprint(x)\n") == expected
    notebook = {"cells": [{"cell_type": "code", "source": ["x = 1\r\n", "print(x)\r\n"]},
                          {"cell_type": "markdown", "source": "# Title"},
                          {"cell_type": "code", "source": "y = 2"}]}
    assert notebook_inputs.code_sources(notebook) == ["x = 1\r\nprint(x)\r\n", "y = 2"]


def test_a_utils_module_from_another_checkout_is_refused(tmp_path):
    elsewhere = tmp_path / "other" / "utils" / "__init__.py"
    elsewhere.parent.mkdir(parents=True)
    elsewhere.write_text("")
    with pytest.raises(ValueError, match=r"^the kernel imported utils from .*__init__\.py, outside this repository "
                                         r"\(.*\); run `pip install -e \.` in this repository \(python3 tasks\.py "
                                         r"setup does it\)$"):
        notebook_inputs.inputs_of({"cells": []}, [str(elsewhere)], ROOT)


def _write_record(copy: Path, edit) -> None:
    path = copy / "notebooks" / EXAMPLE
    notebook = json.loads(path.read_text(encoding="utf-8"))
    edit(notebook)
    path.write_text(json.dumps(notebook), encoding="utf-8")


def test_a_notebook_without_metadata_has_no_record(copy):
    _write_record(copy, lambda notebook: notebook.pop("metadata"))
    assert _reasons(copy) == ["it carries no record of its inputs: it was saved without `python3 tasks.py execute`"]


def test_a_record_without_code_cells_counts_none(copy):
    _write_record(copy, lambda notebook: notebook["metadata"]["course"]["inputs"].pop("code_cells"))
    path = copy / "notebooks" / EXAMPLE
    cells = sum(c["cell_type"] == "code" for c in json.loads(path.read_text(encoding="utf-8"))["cells"])
    assert _reasons(copy) == [f"it has {cells} code cells, but 0 when it was executed"]


def test_a_record_without_files_names_the_unknown_pins(copy):
    _write_record(copy, lambda notebook: notebook["metadata"]["course"]["inputs"].pop("files"))
    assert _reasons(copy) == [f"{name} was not part of its record (the pins it was executed with are unknown)"
                              for name in notebook_inputs.PIN_FILES]


def test_the_command_lists_the_stale_lessons_and_exits_1(copy, monkeypatch, capsys):
    """`python build_tools/notebook_inputs.py` checks notebooks/NN_*.ipynb (here: of the copy) and names each
    stale one with its reasons; given paths, it checks those."""
    monkeypatch.setattr(notebook_inputs, "ROOT", copy)
    scratch = copy / "notebooks" / "scratch.ipynb"  # not a lesson (no NN_ prefix): not checked
    scratch.write_text(json.dumps({"cells": [], "metadata": {}}), encoding="utf-8")
    assert notebook_inputs.main([]) == 0 and capsys.readouterr().out == ""

    def edit(notebook):
        for code in [c for c in notebook["cells"] if c["cell_type"] == "code"][:2]:
            code["source"] = "".join(code["source"]) + "\n# edited"

    _write_record(copy, edit)
    assert notebook_inputs.main([]) == 1
    out = capsys.readouterr().out.splitlines()
    first, second = _code_cells(copy)[:2]
    assert out == [f"{EXAMPLE} is stale: code cell 0 (cell {first} of the notebook) was edited; "
                   f"code cell 1 (cell {second} of the notebook) was edited",
                   "re-execute with: python3 tasks.py execute [notebooks/NN_name.ipynb ...]"]
    assert notebook_inputs.main([str(scratch)]) == 1
    assert capsys.readouterr().out.startswith("scratch.ipynb is stale: it carries no record of its inputs")


def _code_cells(copy: Path) -> list[int]:
    notebook = json.loads((copy / "notebooks" / EXAMPLE).read_text(encoding="utf-8"))
    return [i for i, c in enumerate(notebook["cells"]) if c["cell_type"] == "code"]


def test_the_writer_on_a_small_repository_against_a_record_written_by_hand(tmp_path):
    """inputs_of on a tiny repository: the record, written out by hand (SHA-256 of known bytes), in full."""
    import hashlib

    def sha(data: bytes) -> str:
        return hashlib.sha256(data).hexdigest()

    files = {"utils/__init__.py": b"", "utils/data.py": b"X = 1\r\n", "utils/plots.py": b"Y = 2\n",
             "data/b.csv": b"x\n2\n", "data/a.csv": b"x\r\n1\r\n", "data/README.md": b"# data\n",
             "requirements.txt": b"numpy==2.0\n", "requirements.lock": b"numpy==2.0 --hash=sha256:00\n"}
    for name, data in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(data)
    notebook = {"cells": [{"cell_type": "markdown", "source": "# T"}, {"cell_type": "code", "source": ["a = 1\n", "a"]},
                          {"cell_type": "code", "source": ""}]}
    with_data = notebook_inputs.inputs_of(notebook, [str(tmp_path / "utils" / "data.py"),
                                                     str(tmp_path / "utils" / "__init__.py")], tmp_path)
    assert with_data == {
        "code_cells": [sha(b"a = 1\na"), sha(b"")],
        "files": {"data/a.csv": sha(b"x\n1\n"), "data/b.csv": sha(b"x\n2\n"), "requirements.lock":
                  sha(b"numpy==2.0 --hash=sha256:00\n"), "requirements.txt": sha(b"numpy==2.0\n"),
                  "utils/__init__.py": sha(b""), "utils/data.py": sha(b"X = 1\n")},
    }
    assert list(with_data["files"]) == sorted(with_data["files"])
    without_data = notebook_inputs.inputs_of(notebook, [str(tmp_path / "utils" / "plots.py")], tmp_path)
    assert without_data["files"] == {"requirements.lock": sha(b"numpy==2.0 --hash=sha256:00\n"),
                                     "requirements.txt": sha(b"numpy==2.0\n"), "utils/plots.py": sha(b"Y = 2\n")}


def test_notebooks_are_read_as_utf_8_whatever_the_locale():
    """The lessons hold non-ASCII text (e.g. "✓"): under a locale whose encoding is not UTF-8 (Windows' code pages;
    here the C locale without Python's UTF-8 mode) the check must still read them."""
    import subprocess
    import sys

    code = ("import json, sys; from pathlib import Path; from build_tools import notebook_inputs; "
            "print(json.dumps(notebook_inputs.stale_reasons(Path(sys.argv[1]), Path(sys.argv[2]))))")
    env = {**os.environ, "LC_ALL": "C", "PYTHONUTF8": "0", "PYTHONCOERCECLOCALE": "0", "PYTHONIOENCODING": "utf-8"}
    path = ROOT / "notebooks" / EXAMPLE
    assert any(ord(ch) > 127 for ch in path.read_text(encoding="utf-8")), "the example has no non-ASCII text"
    done = subprocess.run([sys.executable, "-c", code, str(path), str(ROOT)], cwd=ROOT, env=env,
                          capture_output=True, text=True, encoding="utf-8", timeout=60)
    assert done.returncode == 0, done.stderr[-2000:]
    assert json.loads(done.stdout) == notebook_inputs.stale_reasons(path, ROOT)
