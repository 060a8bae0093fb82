"""The committed notebooks are clean, executed, portable lessons.

Checks what a learner would otherwise see: each notebook executed top to bottom in one run, no errors,
no stderr, no raw progress bars, no machine paths, one H1, headings that do not skip levels, a sentence
after every figure, a text alternative on every figure, link texts that say where they go, nothing downloaded at run time, no sys.path edits, and a sensible size.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
MACHINE_PATH = re.compile(r"(/root/|/home/[^/\s]+/|/Users/[^/\s]+/|/tmp/|/work/|[A-Z]:\\\\Users)")
HEADING = re.compile(r"^(#{1,6})\s+\S", re.MULTILINE)
FORBIDDEN_CODE = {
    "keras.datasets": "downloads at run time",
    "fetch_": "scikit-learn fetch_* downloads at run time",
    "load_dataset(": "seaborn.load_dataset downloads at run time",
    "sys.path": "import utils works without path edits",
    "verbose=1": "progress bars never compare equal; use verbose=0",
    "verbose=2": "progress bars never compare equal; use verbose=0",
}
MAX_BYTES = 3 * 1024 * 1024


def _text(value) -> str:
    return "".join(value) if isinstance(value, list) else str(value or "")


def _load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def test_lessons_are_numbered_in_course_order():
    names = [p.stem for p in NOTEBOOKS]
    assert names and names[0] == "00_start_here"
    numbers = [int(n[:2]) for n in names]
    assert numbers == list(range(len(numbers))), f"notebooks must be numbered 00, 01, ... without gaps: {names}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_executed_cleanly_in_one_top_to_bottom_run(path):
    nb = _load(path)
    assert nb["metadata"]["kernelspec"]["name"] == "python3"
    expected = 1
    for index, cell in enumerate(nb["cells"]):
        if cell["cell_type"] != "code" or not _text(cell["source"]).strip():
            continue
        assert cell["execution_count"] == expected, f"cell {index}: run all cells in order from a fresh kernel"
        expected += 1
        tags = set(cell.get("metadata", {}).get("tags", []))
        for output in cell.get("outputs", []):
            assert output["output_type"] != "error" or "raises-exception" in tags, f"cell {index}: error output"
            assert not (output["output_type"] == "stream" and output["name"] == "stderr"), (
                f"cell {index}: stderr: {_text(output.get('text'))[:200]!r}"
            )
            texts = [_text(output.get("text"))] + [
                _text(v) for k, v in output.get("data", {}).items() if k.startswith("text/")
            ]
            for text in texts:
                assert not ANSI.search(text), f"cell {index}: ANSI escape codes (a raw progress bar?)"
                match = MACHINE_PATH.search(text)
                assert not match, f"cell {index}: machine-specific path {match.group(0)!r} in an output"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_headings_one_h1_first_and_no_skipped_levels(path):
    cells = _load(path)["cells"]
    first = cells[0]
    assert first["cell_type"] == "markdown"
    levels = []
    for index, cell in enumerate(cells):
        if cell["cell_type"] != "markdown":
            continue
        source = re.sub(r"```.*?```", "", _text(cell["source"]), flags=re.DOTALL)
        for hashes in HEADING.findall(source):
            levels.append((index, len(hashes)))
    assert levels and levels[0] == (0, 1), "the first cell must open with the notebook's only '# Title'"
    assert sum(1 for _, level in levels if level == 1) == 1, "exactly one level-1 heading per notebook"
    for (_, before), (index, level) in zip(levels, levels[1:], strict=False):
        assert level <= before + 1, f"cell {index}: heading level {level} follows level {before} (skipped a level)"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_every_figure_is_followed_by_a_sentence(path):
    cells = _load(path)["cells"]
    for index, cell in enumerate(cells):
        has_figure = any("image/png" in o.get("data", {}) for o in cell.get("outputs", []))
        if has_figure:
            following = cells[index + 1] if index + 1 < len(cells) else None
            assert following is not None and following["cell_type"] == "markdown", (
                f"cell {index}: a figure must be followed by a Markdown cell saying what to notice"
            )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_every_figure_has_a_text_alternative(path):
    """Every image output carries ``alt`` (set by utils.plots.show), and no cell bypasses that helper."""
    for index, cell in enumerate(_load(path)["cells"]):
        if cell["cell_type"] != "code":
            continue
        assert "plt.show(" not in _text(cell["source"]), (
            f"cell {index} calls plt.show(): show figures with utils.plots.show(fig, alt=...) so they carry a text alternative"
        )
        for output in cell.get("outputs", []):
            for mime in output.get("data", {}):
                if mime.startswith("image/"):
                    alt = output.get("metadata", {}).get(mime, {}).get("alt", "")
                    assert isinstance(alt, str) and len(alt.strip()) >= 10, (
                        f"cell {index}: a {mime} output without a text alternative (metadata alt); "
                        "show it with utils.plots.show(fig, alt=...)"
                    )


VAGUE_LINK_TEXT = re.compile(r"\[(here|click here|this|link|this link|more|read more)\]\(", re.IGNORECASE)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_link_texts_say_where_they_go(path):
    for index, cell in enumerate(_load(path)["cells"]):
        if cell["cell_type"] == "markdown":
            found = VAGUE_LINK_TEXT.search(_text(cell["source"]))
            assert found is None, f"cell {index}: link text {found.group(0)!r} does not say where it goes"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_code_downloads_nothing_and_needs_no_path_edits(path):
    for index, cell in enumerate(_load(path)["cells"]):
        if cell["cell_type"] != "code":
            continue
        source = _text(cell["source"])
        for needle, why in FORBIDDEN_CODE.items():
            assert needle not in source, f"cell {index} uses {needle!r}: {why}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_size(path):
    assert path.stat().st_size < MAX_BYTES


SHARED_HYGIENE = ROOT.parent / "shared" / "tools" / "nb_hygiene.py"


@pytest.mark.skipif(not SHARED_HYGIENE.exists(), reason="the team's shared hygiene tool is not beside this clone")
def test_shared_hygiene_tool_agrees():
    result = subprocess.run(
        [sys.executable, str(SHARED_HYGIENE), str(ROOT / "notebooks")], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_outputs_are_compared_unless_they_come_from_training(path):
    """The nbval policy (CONTRIBUTING.md): a cell's output is left uncompared only because it comes from training
    (tags ``training-output`` and ``nbval-ignore-output`` together) or, with a comment saying why, wall times."""
    for index, cell in enumerate(_load(path)["cells"]):
        if cell["cell_type"] != "code":
            continue
        tags = set(cell.get("metadata", {}).get("tags", []))
        source = _text(cell["source"])
        assert ("training-output" in tags) == ("nbval-ignore-output" in tags), (
            f"cell {index}: tag a cell whose output comes from training with both 'training-output' and "
            "'nbval-ignore-output', and no other cell with 'nbval-ignore-output'"
        )
        if "# NBVAL_IGNORE_OUTPUT" in source:
            comment = source.split("# NBVAL_IGNORE_OUTPUT", 1)[1].lstrip().splitlines()
            assert comment and comment[0].startswith("#"), (
                f"cell {index}: '# NBVAL_IGNORE_OUTPUT' must be followed by a comment saying why"
            )
        assert "NBVAL_SKIP" not in source and "nbval-skip" not in tags, f"cell {index}: every cell must run"


OPENING_WORD_LIMIT = 120
"""Words of prose a lesson's first cell may hold before its objectives (issue 20: read in ten seconds)."""


@pytest.mark.parametrize("path", sorted((ROOT / "notebooks").glob("*.ipynb")), ids=lambda p: p.stem)
def test_the_opening_is_short(path):
    """The first cell: the title, a short summary (at most 120 words, link targets not counted), then Objectives."""
    first = json.loads(path.read_text(encoding="utf-8"))["cells"][0]
    first = {"cell_type": first["cell_type"], "source": "".join(first["source"])}
    assert first["cell_type"] == "markdown", f"{path.name}: the first cell is not Markdown"
    lines = first["source"].splitlines()
    at = next((i for i, line in enumerate(lines) if "Objectives" in line), None)
    assert at is not None, f"{path.name}: the first cell has no Objectives"
    prose = " ".join(line for line in lines[:at] if not line.lstrip().startswith("#"))
    prose = re.sub(r"\]\([^)]*\)", "]", prose)  # a link's address is not read
    words = len(re.findall(r"\w[\w'-]*", prose))
    assert words <= OPENING_WORD_LIMIT, f"{path.name}: {words} words before the objectives (at most {OPENING_WORD_LIMIT})"
