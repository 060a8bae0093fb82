"""The instructor edition (build_tools/instructor.py): notes shown, schema enforced, every solution inline.

The builder is tested on a small synthetic lesson, built and executed here (one kernel, a few seconds). The
editions of the real lessons are executed by the second notebook pass of ``python3 tasks.py test``
(``COURSE_SEED=7``, ``--nbval-lax``), where every solution must pass its check.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from build_tools import instructor  # by its package path, so that mutmut sees these tests call it

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "build_tools"))  # instructor imports its sibling `plan` by name

LESSONS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
md, code = nbformat.v4.new_markdown_cell, nbformat.v4.new_code_cell
NOTE = {"minutes": 4, "stumbles": ["They read near-zero as zero."], "ask": ["What will the histogram show?"]}


def lesson(notes: dict[int, dict] | None = None) -> nbformat.NotebookNode:
    """A tiny lesson: title, two core sections with an exercise each (two import styles), a Going further part."""
    cells = [
        md("# Lesson 97: Synthetic\n\nA summary. **Time:** core about 7 min, full about 10 min."),
        md("## Setup"),
        code("import utils\nfrom utils.exercises import lesson03 as ex\nimport numpy as np"),
        md("## The idea\n\nText."),
        md("### The claim, checked"),
        code("answer = ...  # your answer here\nex.q2.check(answer)\n# ex.q2.hint()\n# ex.q2.solution()"),
        md("## Going further: more"),
        code("from utils.exercises.lesson02 import q1\n\nbunch = 'the lesson own variable'\nanswer = ...\n"
             "q1.check(answer)"),
        code("assert bunch == 'the lesson own variable', 'a solution replaced a variable of the lesson'"),
        code("def l1_gradient(kernel, l1):\n    ...\n\n\nex.q3.check(l1_gradient)"),
    ]
    notebook = nbformat.v4.new_notebook(cells=cells)
    for index, note in (notes or {}).items():
        notebook.cells[index].metadata["instructor"] = note
    return notebook


def tagged(notebook: nbformat.NotebookNode, tag: str) -> list[int]:
    return [i for i, c in enumerate(notebook.cells) if tag in c.metadata.get("tags", [])]


def test_edition_with_notes_shows_them_after_their_headings_and_a_table_of_minutes():
    notes = {0: {"minutes": 1, "stumbles": ["Where is the data?"]}, 1: {"minutes": 2, "stumbles": ["Kernel."]},
             3: NOTE}
    source = lesson(notes)
    edition = instructor.build_edition(source, "notebooks/97_synthetic.ipynb")
    assert edition.cells[0].source == source.cells[0].source, "the title cell stays first"
    summary = edition.cells[1].source
    assert "instructor-summary" in edition.cells[1].metadata["tags"]
    assert "| [Setup](#Setup) | 2 | teach | teach |" in summary and "| **total, core path** | **7** |" in summary
    assert not any(line.startswith(">") for line in summary.splitlines()), "a table in a block quote prints as pipes"
    assert "| [The idea](#The-idea) | 4 |" in summary, "a multi-word row links to JupyterLab's anchor"
    assert "core about 7 min" in summary
    positions = tagged(edition, "instructor-note")
    assert positions[0] == 2 and edition.cells[2].source.startswith("> **Instructor note: 1 min"), \
        "the title's note follows the table of minutes"
    headings = [edition.cells[i - 1].source.splitlines()[0] for i in positions[1:]]
    assert headings == ["## Setup", "## The idea"], "each note follows its heading"
    idea = edition.cells[positions[2]].source
    assert "4 min" in idea and "They read near-zero as zero." in idea and "What will the histogram show?" in idea
    assert source.cells[1].metadata["instructor"]["minutes"] == 2, "the lesson itself is not changed"


def test_edition_without_notes_builds_and_says_so():
    edition = instructor.build_edition(lesson(), "notebooks/97_synthetic.ipynb")
    assert not tagged(edition, "instructor-note")
    assert "no instructor notes yet" in edition.cells[1].source
    assert len(tagged(edition, "instructor-solution")) == 3


def test_every_check_call_gets_its_solution_right_after_it():
    edition = instructor.build_edition(lesson(), "notebooks/97_synthetic.ipynb")
    for index in tagged(edition, "instructor-solution"):
        before, solution = edition.cells[index - 1].source, edition.cells[index].source
        call = instructor.CHECK_CALL.search("\n".join(line for line in before.splitlines() if ".check(" in line))
        assert call is not None, f"cell {index} does not follow a check call"
        name = f"{call.group(1)}.{call.group(2)}" if call.group(1) else call.group(2)
        assert f"{name}.check(answer)" in solution and f"assert {name}.evaluate(answer)[0]" in solution


def test_edition_runs_and_every_solution_passes(tmp_path):
    """Executed in a kernel: the solutions pass their checks, a solution with helper variables (lesson02.q1
    assigns `bunch`) leaves the lesson's variables alone, and a function answer (lesson03.q3) works."""
    edition = instructor.build_edition(lesson({3: NOTE}), "notebooks/97_synthetic.ipynb")
    edition.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    NotebookClient(edition, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(ROOT)}}).execute()
    printed = ["".join(o.get("text", "") for o in edition.cells[i].outputs)
               for i in tagged(edition, "instructor-solution")]
    assert len(printed) == 3 and all(text.startswith("✓ Correct!") for text in printed), printed


@pytest.mark.parametrize(
    ("note", "message"),
    [
        ({"minutes": "4", "stumbles": ["x"]}, "'minutes' must be a whole number"),
        ({"minutes": True, "stumbles": ["x"]}, "'minutes' must be a whole number"),
        ({"minutes": 0, "stumbles": ["x"]}, "'minutes' must be a whole number"),
        ({"minutes": 4}, "lacks 'stumbles'"),
        ({"minutes": 4, "stumbles": []}, "'stumbles' must be a list of 1 to 3"),
        ({"minutes": 4, "stumbles": ["a", "b", "c", "d"]}, "'stumbles' must be a list of 1 to 3"),
        ({"minutes": 4, "stumbles": "one sentence"}, "'stumbles' must be a list"),
        ({"minutes": 4, "stumbles": ["x"], "ask": [" "]}, "non-empty strings"),
        ({"minutes": 4, "stumbles": ["x"], "asks": ["y"]}, "unknown instructor note field(s) ['asks']"),
        ("4 minutes", "must be an object"),
    ],
)
def test_malformed_notes_fail_naming_notebook_and_cell(note, message):
    with pytest.raises(instructor.NotesError) as error:
        instructor.build_edition(lesson({3: note}), "notebooks/97_synthetic.ipynb")
    text = str(error.value)
    assert message in text and "notebooks/97_synthetic.ipynb, cell 4 of the notebook" in text, text
    assert "'## The idea'" in text, text


@pytest.mark.parametrize("index", [4, 5], ids=["### heading", "code cell"])
def test_notes_off_the_headings_fail(index):
    with pytest.raises(instructor.NotesError, match=rf"cell {index + 1} of the notebook.*heading cells only"):
        instructor.build_edition(lesson({index: NOTE}), "notebooks/97_synthetic.ipynb")


def test_an_unknown_exercise_fails_clearly():
    notebook = lesson()
    notebook.cells[5].source = "answer = 1\nex.q9.check(answer)"
    with pytest.raises(instructor.NotesError, match=r"cell 6 of the notebook.*ex\.q9\.check\(\.\.\.\) names no exercise"):
        instructor.build_edition(notebook, "notebooks/97_synthetic.ipynb")


def test_command_line_reports_a_bad_note_and_exits_1(tmp_path, capsys):
    path = tmp_path / "97_synthetic.ipynb"
    nbformat.write(lesson({1: {"minutes": 2}}), path)
    assert instructor.main([str(path), "--out", str(tmp_path / "out")]) == 1
    assert "97_synthetic.ipynb, cell 2 of the notebook" in capsys.readouterr().err


def test_every_lesson_builds_with_a_solution_after_each_check(tmp_path):
    written = instructor.build(LESSONS, tmp_path)
    assert [p.name for p in written] == [p.name for p in LESSONS]
    for source, built in zip(LESSONS, written, strict=True):
        lesson_nb, edition = nbformat.read(source, as_version=4), nbformat.read(built, as_version=4)
        checks = sum(bool(instructor.CHECK_CALL.match(line)) for c in lesson_nb.cells if c.cell_type == "code"
                     for line in c.source.splitlines())
        assert len(tagged(edition, "instructor-solution")) == checks >= 1, source.name
        originals = [c for c in edition.cells if "instructor-edition" not in c.metadata.get("tags", [])]
        assert [c.source for c in originals] == [c.source for c in lesson_nb.cells], "every lesson cell, in order"
        links = re.findall(r"\]\(#([^)\s]+)\)", edition.cells[1].source)
        missing = sorted(set(links) - _heading_ids(edition))
        assert not missing, f"{source.name}: the minutes table links to {missing}, which no heading has as its id"


def test_core_path_headings_carry_notes():
    """Once any lesson has notes, every lesson (01-08) has them on each core-path heading, with 2-3 questions
    over its core path and minutes that add up to its stated core time (within 20%)."""
    with_notes = [p for p in LESSONS if instructor.notes_of(nbformat.read(p, as_version=4), p.name)]
    if not with_notes:
        pytest.skip("no lesson has instructor notes yet (cell metadata 'instructor' on the core-path headings)")
    problems = []
    for path in LESSONS:
        if path.name.startswith("00_"):
            continue  # the start page is not taught as a class slot
        notebook = nbformat.read(path, as_version=4)
        notes = {note.cell: note for note in instructor.notes_of(notebook, path.name) if not note.going_further}
        missing = [f"{'#' * level} {text}" for index, level, text in instructor.core_headings(notebook)
                   if index not in notes]
        if missing:
            problems.append(f"{path.name}: no instructor note on {missing}")
            continue
        asks = sum(len(note.ask) for note in notes.values())
        if not 2 <= asks <= 3:
            problems.append(f"{path.name}: {asks} questions for the room over the core path (want 2-3)")
        stated, total = instructor.stated_core_minutes(notebook), sum(n.minutes for n in notes.values())
        if stated is None:
            problems.append(f"{path.name}: the first cell states no 'core about N min'")
        elif abs(total - stated) > 0.2 * stated:
            problems.append(f"{path.name}: the notes' minutes add up to {total}, the lesson states core about "
                            f"{stated} min")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    ("note", "message"),
    [
        ({**NOTE, "answers": ["a", "b"]}, "'answers' must be a list of 1 to 1"),
        ({"minutes": 4, "stumbles": ["x"], "answers": ["a"]}, "'answers' needs 'ask'"),
        ({**NOTE, "while_running": " "}, "'while_running' must be a non-empty string"),
        ({**NOTE, "routes": {"30": "teach"}}, "'routes' must map '15' and/or '45'"),
        ({**NOTE, "routes": {"15": "maybe"}}, "'routes' must map '15' and/or '45'"),
    ],
)
def test_malformed_optional_keys_fail(note, message):
    with pytest.raises(instructor.NotesError, match=re.escape(message)):
        instructor.build_edition(lesson({3: note}), "notebooks/97_synthetic.ipynb")


def test_answers_routes_going_further_and_the_plan(tmp_path):
    notes = {3: {**NOTE, "answers": ["A bell with a spike at zero."], "while_running": "Ask for a bet.",
                 "routes": {"15": "skim"}},
             6: {"minutes": 5, "stumbles": ["They skip it."]}}
    source = lesson(notes)
    edition = instructor.build_edition(source, "notebooks/97_synthetic.ipynb")
    texts = [edition.cells[i].source for i in tagged(edition, "instructor-note")]
    assert "*Answer:* A bell with a spike at zero." in texts[0] and "*While it runs:* Ask for a bet." in texts[0]
    assert "Going further section, if there is time" in texts[1] and "15 min: skip; 45 min: skip" in texts[1]
    summary = edition.cells[1].source
    assert "| [The idea](#The-idea) | 4 | skim | teach |" in summary and "**total, Going further** | **5**" in summary
    sys.path.insert(0, str(ROOT / "build_tools"))
    import plan

    page = plan.plan_html(source, "notebooks/97_synthetic.ipynb")
    assert "A bell with a spike at zero." in page and "skim or skip: The idea" in page
    assert "0:00" in page and "Going further: more" in page


def test_slow_cells_are_matched_by_their_source(tmp_path):
    source = lesson()
    table = tmp_path / "cells.csv"
    import hashlib

    digest = hashlib.sha256(source.cells[2].source.encode()).hexdigest()[:16]
    table.write_text(f"# header\nnotebook,cell,source_sha256_16,seconds\n97_synthetic,1,{digest},7.5\n"
                     "97_synthetic,2,0000000000000000,9.0\n")
    slow = instructor.slow_cells(source, "notebooks/97_synthetic.ipynb", table)
    assert slow == {2: 7.5}
    note = instructor.Note(1, 2, "Setup", 2, ("x",), ())
    assert instructor.section_seconds(source, note, slow) == 7.5
    assert "took 8 s" in instructor.note_cell(note, 7.5).source


@pytest.mark.parametrize(
    ("heading", "expected"),
    [
        ("Setup", "Setup"),
        ("The idea", "The-idea"),
        ("The concept, with its mathematics", "The-concept,-with-its-mathematics"),
        ("Going further: `L1` on *many* inputs", "Going-further:-L1-on-many-inputs"),
    ],
)
def test_anchor_is_jupyterlabs_heading_id(heading, expected):
    """JupyterLab's heading id is the heading's rendered text with every space turned into a hyphen
    (@jupyterlab/rendermime, headerId: ``textContent.replace(/ /g, '-')``): written out by hand here."""
    assert instructor.anchor(heading) == expected


def _heading_ids(edition: nbformat.NotebookNode) -> set[str]:
    """The ids nbconvert's HTML gives the edition's headings (JupyterLab gives the same: the heading's rendered
    text with each space made a hyphen), from the heading lines alone (fast: no outputs, no prose)."""
    from nbconvert import HTMLExporter

    lines = [line for cell in edition.cells if cell.cell_type == "markdown"
             for line in cell.source.splitlines() if instructor.HEADING.match(line)]
    page, _ = HTMLExporter(template_name="basic").from_notebook_node(
        nbformat.v4.new_notebook(cells=[md(line) for line in lines]))
    return set(re.findall(r'<h[1-6][^>]*\sid="([^"]+)"', page))


def test_each_link_of_the_minutes_table_reaches_its_heading_in_the_built_page():
    """Multi-word headings, with code and emphasis: each row's link is the id the rendered page really gives
    its heading (nbconvert's HTML, not a copy of instructor.anchor)."""
    source = lesson({0: {"minutes": 1, "stumbles": ["x"]}, 1: {"minutes": 2, "stumbles": ["x"]}, 3: NOTE,
                     6: {"minutes": 5, "stumbles": ["x"]}})
    source.cells[3].source = "## The concept, with `L1` on *many* inputs\n\nText."
    edition = instructor.build_edition(source, "notebooks/97_synthetic.ipynb")
    links = re.findall(r"\]\(#([^)\s]+)\)", edition.cells[1].source)
    ids = _heading_ids(edition)
    assert "The-concept,-with-L1-on-many-inputs" in ids and "Going-further:-more" in ids, ids
    assert len(links) == 4 and set(links) <= ids, (links, ids)

