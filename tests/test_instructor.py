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



# --- each builder function against values written out by hand (issue 23: mutation testing) ------------------

ROUTED = {0: {"minutes": 1, "stumbles": ["a"]}, 1: {"minutes": 2, "stumbles": ["b"], "routes": {"15": "skip"}},
          3: {"minutes": 4, "stumbles": ["c"], "ask": ["Q1?", "Q2?"], "answers": ["A1", "A2"]},
          6: {"minutes": 5, "stumbles": ["d"], "routes": {"45": "teach"}}}


def test_the_table_of_minutes_in_full():
    edition = instructor.build_edition(lesson(ROUTED), "notebooks/97_synthetic.ipynb")
    assert edition.cells[1].metadata["tags"] == ["instructor-edition", "instructor-summary"]
    assert edition.cells[1].source == "\n".join([
        "**Instructor edition.** Built by `python3 tasks.py instructor` from the lesson and its notes (cell metadata "
        "`instructor` of the headings); do not edit this copy. 3 exercise solutions run inline after the learners' "
        "check cells.",
        "",
        "| section | minutes | 15-min route | 45-min route |",
        "|---|---:|---|---|",
        "| [Lesson 97: Synthetic](#Lesson-97:-Synthetic) | 1 | teach | teach |",
        "| [Setup](#Setup) | 2 | skip | teach |",
        "| [The idea](#The-idea) | 4 | teach | teach |",
        "| [Going further: more](#Going-further:-more) | 5 | skip | teach |",
        "| **total, core path** | **7** | | |",
        "| **total, Going further** | **5** | | |",
        "",
        "The lesson states: core about 7 min.",
        "",
        "Questions for the room: 2 (2 with an answer), shown under their sections.",
    ])


def test_one_solution_is_singular_and_no_stated_time_no_going_further_total():
    source = lesson({1: {"minutes": 2, "stumbles": ["b"]}})
    source.cells[0].source = "# Lesson 97: Synthetic\n\nA summary."
    source.cells = source.cells[:6]  # one check left (ex.q2), no Going further
    summary = instructor.build_edition(source, "notebooks/97_synthetic.ipynb").cells[1].source
    assert "do not edit this copy. 1 exercise solution run inline" in summary
    assert "Going further" not in summary and "The lesson states" not in summary and "Times disagree" not in summary
    assert summary.endswith("Questions for the room: 0 (0 with an answer), shown under their sections.")


@pytest.mark.parametrize(("total", "disagree"), [(7, True), (8, False), (10, False), (12, False), (13, True)])
def test_times_disagree_beyond_a_fifth_of_the_stated_core_time(total, disagree):
    source = lesson({1: {"minutes": total - 1, "stumbles": ["b"]}, 3: {"minutes": 1, "stumbles": ["c"]},
                     6: {"minutes": 30, "stumbles": ["d"]}})  # the Going further minutes do not count
    source.cells[0].source = "# Lesson 97: Synthetic\n\n**Time:** core about 10 min."
    notes = instructor.notes_of(source, "notebooks/97_synthetic.ipynb")
    expected = [f"the core path's notes add up to {total} min, the lesson says core about 10 min"] if disagree else []
    assert instructor.time_agreement(source, notes, "notebooks/97_synthetic.ipynb") == expected
    summary = instructor.build_edition(source, "notebooks/97_synthetic.ipynb").cells[1].source
    assert (f"**Times disagree:** the core path's notes add up to {total} min, the lesson says core about 10 min."
            in summary) is disagree


def test_times_agree_with_no_core_notes_and_against_the_course_map():
    source = lesson({6: {"minutes": 5, "stumbles": ["d"]}})
    notes = instructor.notes_of(source, "notebooks/97_synthetic.ipynb")
    assert instructor.time_agreement(source, notes, "notebooks/97_synthetic.ipynb") == []
    real = next(p for p in LESSONS if not p.name.startswith("00_"))
    mapped = instructor.course_map_minutes(real.name)
    assert mapped is not None, f"the course map lists no {real.name[:2]}"
    source = lesson({1: {"minutes": mapped[0] + 1, "stumbles": ["b"]}})
    source.cells[0].source = f"# L\n\ncore about {mapped[0] + 1} min"
    notes = instructor.notes_of(source, f"notebooks/{real.name}")
    assert instructor.time_agreement(source, notes, f"notebooks/{real.name}") == [
        f"the course map says {mapped[0]} min for the core path, the lesson {mapped[0] + 1} min"]
    summary = instructor.summary_cell(source, notes, 0, f"notebooks/{real.name}").source
    assert (f"The course map (00_start_here.ipynb) states: {mapped[0]} min core, {mapped[1]} min whole."
            in summary.splitlines())


def test_course_map_minutes_reads_the_lessons_row(tmp_path):
    page = tmp_path / "00_start_here.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[
        md("# Start\n\n| 04 | no times here |"),
        code("| 05 | 9 min / 9 min |"),
        md("| lesson | what | time |\n|---|---|---|\n| 03 | L1 | 12 min / 30 min |\n| 04 | L2 | 15 min / 35 min |"),
    ]), page)
    assert instructor.course_map_minutes("notebooks/04_applying_l2.ipynb", page) == (15, 35)
    assert instructor.course_map_minutes("03_x.ipynb", page) == (12, 30)
    assert instructor.course_map_minutes("notebooks/05_x.ipynb", page) == (9, 9)  # any cell's line counts
    assert instructor.course_map_minutes("notebooks/06_x.ipynb", page) is None
    assert instructor.course_map_minutes("notebooks/scratch.ipynb", page) is None
    assert instructor.course_map_minutes("notebooks/04_x.ipynb", tmp_path / "missing.ipynb") is None


def test_a_note_cell_in_full():
    note = instructor.Note(3, 2, "The idea", 4, ("s1", "s2"), ("Q1?", "Q2?"), ("A1",), "Talk.", (("15", "skim"),))
    cell = instructor.note_cell(note, 12.4)
    assert cell.metadata["tags"] == ["instructor-edition", "instructor-note"]
    assert cell.source == "\n".join([
        "> **Instructor note: 4 min on this section.**",
        ">",
        "> *Where learners stumble:*",
        "> - s1",
        "> - s2",
        ">",
        "> *Ask the room (let them predict before you run the next cell):*",
        "> 1. Q1?",
        ">    *Answer:* A1",
        "> 2. Q2?",
        ">",
        "> *While it runs* (its slow cells took 12 s when last measured, benchmarks/cells.csv): Talk.",
        ">",
        "> *Routes:* 15 min: skim; 45 min: teach.",
    ])


def test_a_note_cell_at_the_one_second_boundary_and_in_going_further():
    plain = instructor.Note(1, 2, "Setup", 2, ("s",), ())
    assert instructor.note_cell(plain).source == "> **Instructor note: 2 min on this section.**\n>\n" \
                                                 "> *Where learners stumble:*\n> - s"
    assert instructor.note_cell(plain, 1.0).source.endswith(
        ">\n> *While it runs* (its slow cells took 1 s when last measured, benchmarks/cells.csv):")
    talk = instructor.Note(1, 2, "Setup", 2, ("s",), (), while_running="Talk.")
    assert instructor.note_cell(talk, 0.99).source.endswith("> - s\n>\n> *While it runs:* Talk.")
    further = instructor.Note(6, 2, "Going further: more", 5, ("s",), (), going_further=True)
    assert instructor.note_cell(further).source == (
        "> **Instructor note: 5 min on this Going further section, if there is time.**\n>\n"
        "> *Where learners stumble:*\n> - s\n>\n> *Routes:* 15 min: skip; 45 min: skip.")


def test_routes_default_to_teach_on_the_core_path_and_skip_in_going_further():
    core = instructor.Note(1, 2, "S", 2, ("s",), (), routes=(("45", "skim"),))
    further = instructor.Note(6, 2, "G", 2, ("s",), (), routes=(("15", "teach"),), going_further=True)
    assert (core.route("15"), core.route("45")) == ("teach", "skim")
    assert (further.route("15"), further.route("45")) == ("teach", "skip")


def test_headings_sections_and_the_going_further_boundary():
    source = lesson()
    source.cells.insert(4, md("Some text.\n\n## Not a heading cell: its first line is prose"))
    source.cells.insert(5, code("# ## a comment, not a heading"))
    assert instructor.opening_heading(source.cells[0]) == (1, "Lesson 97: Synthetic")
    assert instructor.opening_heading(md("\n\n###   Spaced   ")) == (3, "Spaced")
    assert instructor.opening_heading(md("#NoSpace")) is None and instructor.opening_heading(code("# x")) is None
    assert instructor.going_further_index(source) == 8
    assert instructor.going_further_index(lesson()) == 6
    assert instructor.going_further_index(nbformat.v4.new_notebook(cells=[md("# T"), md("## going Further x")])) == 1
    assert instructor.going_further_index(nbformat.v4.new_notebook(cells=[md("# T"), code("## Going further")])) == 2
    assert instructor.core_headings(source) == [(0, 1, "Lesson 97: Synthetic"), (1, 2, "Setup"), (3, 2, "The idea")]
    assert instructor.note_headings(source) == [(0, 1, "Lesson 97: Synthetic"), (1, 2, "Setup"), (3, 2, "The idea"),
                                                (8, 2, "Going further: more")]
    plain = lesson()
    title, setup, idea, further = (instructor.Note(i, level, text, 1, ("s",), ())
                                   for i, level, text in instructor.note_headings(plain))
    assert instructor.section_cells(plain, title) == range(0, 1)
    assert instructor.section_cells(plain, setup) == range(1, 3)
    assert instructor.section_cells(plain, idea) == range(3, 6), "a ### heading does not end a ## section"
    assert instructor.section_cells(plain, further) == range(6, 10)
    deep = instructor.Note(4, 3, "The claim, checked", 1, ("s",), ())
    assert instructor.section_cells(plain, deep) == range(4, 6)
    assert instructor.section_seconds(plain, idea, {2: 3.0, 5: 1.5, 9: 8.0}) == 1.5


def test_stated_core_minutes():
    assert instructor.stated_core_minutes(lesson()) == 7
    assert instructor.stated_core_minutes(nbformat.v4.new_notebook(cells=[md("# T\n\nCore About 12 MIN.")])) == 12
    assert instructor.stated_core_minutes(nbformat.v4.new_notebook(cells=[md("# T"), md("core about 5 min")])) is None
    assert instructor.stated_core_minutes(nbformat.v4.new_notebook()) is None


def test_slow_cells_ignore_other_lessons_short_rows_and_a_missing_table(tmp_path):
    import hashlib

    source = lesson()
    source.cells[2].source = source.cells[2].source.replace("\n", "\r\n")
    digest = hashlib.sha256(lesson().cells[2].source.encode()).hexdigest()[:16]
    table = tmp_path / "cells.csv"
    table.write_text(f"notebook,cell,source_sha256_16,seconds\n98_other,1,{digest},5.0\n97_synthetic,1,{digest}\n"
                     f"97_synthetic,1,{digest},2.5,extra\n")
    assert instructor.slow_cells(source, "notebooks/97_synthetic.ipynb", table) == {}
    table.write_text(f"notebook,cell,source_sha256_16,seconds\n97_synthetic,1,{digest},2.5\n")
    assert instructor.slow_cells(source, "97_synthetic.ipynb", table) == {2: 2.5}, "CRLF sources hash as LF"
    assert instructor.slow_cells(source, "97_synthetic.ipynb", tmp_path / "none.csv") == {}


def test_exercise_names_from_every_import_form():
    source = nbformat.v4.new_notebook(cells=[
        code("from utils.exercises import lesson03 as ex, lesson04"),
        code("from utils.exercises.lesson02 import q1, q2 as second"),
        code("import utils.exercises.lesson05 as l5, utils.exercises.lesson06\nimport numpy as np"),
        code("%%time\nfrom utils.exercises import lesson07 as magic"),
        md("from utils.exercises import lesson08 as prose"),
        code("from utils import exercises\nfrom utils.data import load"),
    ])
    modules, direct = instructor.exercise_names(source, "notebooks/97_synthetic.ipynb")
    assert modules == {"ex": "utils.exercises.lesson03", "lesson04": "utils.exercises.lesson04",
                       "l5": "utils.exercises.lesson05"}
    assert direct == {"q1": ("utils.exercises.lesson02", "q1"), "second": ("utils.exercises.lesson02", "q2")}


def test_checked_exercises_resolve_each_call():
    from utils.exercises import lesson02, lesson03

    found = instructor.checked_exercises(lesson(), "notebooks/97_synthetic.ipynb")
    assert {index: [(call, module, attr) for call, module, attr, _ in calls] for index, calls in found.items()} == {
        5: [("ex.q2", "utils.exercises.lesson03", "q2")], 7: [("q1", "utils.exercises.lesson02", "q1")],
        9: [("ex.q3", "utils.exercises.lesson03", "q3")]}
    assert found[5][0][3] is lesson03.q2 and found[7][0][3] is lesson02.q1
    # Without an import, `ex` is the lesson's own exercises module, from its number.
    two = nbformat.v4.new_notebook(cells=[md("# T"), code("ex.q1.check(1)\n  ex.q2.check(2)  # indented\n# ex.q3.check(3)")])
    calls = instructor.checked_exercises(two, "notebooks/03_applying_l1_regularization.ipynb")
    assert [(c, m, a) for c, m, a, _ in calls[1]] == [("ex.q1", "utils.exercises.lesson03", "q1"),
                                                     ("ex.q2", "utils.exercises.lesson03", "q2")]


@pytest.mark.parametrize(
    ("source", "name", "message"),
    [
        ("q5.check(answer)", "notebooks/03_x.ipynb", r"^notebooks/03_x\.ipynb, cell 2 of the notebook \(counting from 1; "
         r"a code cell\): q5\.check\(\.\.\.\) but q5 is not imported from utils\.exercises$"),
        ("zz.q1.check(answer)", "notebooks/scratch.ipynb", r"cell 2 of the notebook .*: cannot tell which "
         r"utils\.exercises module 'zz' is$"),
        ("ex.q1.check(answer)", "notebooks/99_x.ipynb", r"ex\.q1\.check\(\.\.\.\) names no exercise in "
         r"utils\.exercises\.lesson99 \(No module named"),
    ],
)
def test_unresolvable_exercise_calls_fail_clearly(source, name, message):
    with pytest.raises(instructor.NotesError, match=message):
        instructor.checked_exercises(nbformat.v4.new_notebook(cells=[md("# T"), code(source)]), name)


def test_top_level_names():
    code_text = ("import os.path, sys as system\nfrom math import pi as circle, e\ndef f():\n    inner = 1\n"
                 "class C:\n    attr = 2\nfor i, (j, k) in []:\n    m = 1\nanswer = [n for n in range(3)]\nx += 1\n"
                 "print(answer)\n")
    assert instructor._top_level_names(code_text) == {"os", "system", "circle", "e", "f", "C", "i", "j", "k", "m",
                                                      "answer", "n", "x"}


def test_solution_source_in_full():
    header = "# Instructor edition: the solution of lesson03.q1 (utils/exercises/lesson03.py), run and checked."
    check = ["ex.q1.check(answer)",
             'assert ex.q1.evaluate(answer)[0], "instructor edition: the solution of lesson03.q1 fails its check"']
    assert instructor.solution_source("ex.q1", "utils.exercises.lesson03", "q1", "\nanswer = np.pi\n\n") == \
        "\n".join([header, "import numpy as np", "answer = np.pi", *check]) + "\n"
    wrapped = instructor.solution_source("ex.q1", "utils.exercises.lesson03", "q1",
                                         "x = pd.Series([1.0])\n\nanswer = float(x.sum())\n")
    assert wrapped == "\n".join([
        header, "# It runs in a function so that its own variables do not replace the lesson's.",
        "def solution_q1():", "    import pandas as pd", "    x = pd.Series([1.0])", "", "    answer = float(x.sum())",
        "    return answer", "", "", "answer = solution_q1()", *check]) + "\n"
    assert "import utils" in instructor.solution_source("q1", "utils.exercises.lesson02", "q1", "answer = utils.x")


def test_apply_content_merges_keys_into_the_heading_notes():
    source = lesson({3: {"minutes": 4, "stumbles": ["c"]}})
    missing = instructor.apply_content(source, {"The idea": {"ask": ["Why?"]}, "Setup": {"minutes": 2},
                                                "The claim, checked": {"minutes": 1}, "Nope": {}}, "x")
    assert missing == ["The claim, checked", "Nope"]
    assert source.cells[3].metadata["instructor"] == {"minutes": 4, "stumbles": ["c"], "ask": ["Why?"]}
    assert source.cells[1].metadata["instructor"] == {"minutes": 2}
    assert "instructor" not in source.cells[4].metadata


def test_build_writes_plans_and_an_index_and_refuses_unknown_content_headings(tmp_path):
    path = tmp_path / "97_synthetic.ipynb"
    nbformat.write(lesson({3: NOTE}), path)
    written = instructor.build([path], tmp_path / "out")
    assert written == [tmp_path / "out" / "97_synthetic.ipynb"]
    assert (tmp_path / "out" / "97_synthetic.plan.html").is_file() and (tmp_path / "out" / "index.html").is_file()
    edition = nbformat.read(written[0], as_version=4)
    assert len(tagged(edition, "instructor-note")) == 1 and edition.metadata["course"]["edition"] == "instructor"
    bare = instructor.build([path], tmp_path / "bare", plans=False,
                            content={"97_synthetic.ipynb": {"Setup": {"minutes": 3, "stumbles": ["x"]}}})
    assert not (tmp_path / "bare" / "index.html").exists()
    assert len(tagged(nbformat.read(bare[0], as_version=4), "instructor-note")) == 2
    with pytest.raises(instructor.NotesError, match=r"97_synthetic\.ipynb: --content names headings the lesson does "
                                                    r"not have: \['Nope'\]"):
        instructor.build([path], tmp_path / "bad", plans=False, content={"97_synthetic.ipynb": {"Nope": {}}})


def test_the_edition_drops_the_lessons_record_of_inputs():
    source = lesson()
    source.metadata["course"] = {"inputs": {"code_cells": []}, "other": 1}
    source.metadata["widgets"] = {"state": {}}
    edition = instructor.build_edition(source, "notebooks/97_synthetic.ipynb")
    assert edition.metadata["course"] == {"other": 1, "edition": "instructor"} and "widgets" not in edition.metadata
    assert source.metadata["course"]["inputs"] == {"code_cells": []}, "the lesson itself is not changed"


def test_command_line_builds_with_content_and_without_plans(tmp_path, capsys):
    path = tmp_path / "97_synthetic.ipynb"
    nbformat.write(lesson(), path)
    content = tmp_path / "content.json"
    content.write_text('{"97_synthetic.ipynb": {"The idea": {"minutes": 4, "stumbles": ["x"]}}}')
    assert instructor.main([str(path), "--out", str(tmp_path / "out"), "--no-plans", "--content", str(content)]) == 0
    edition = nbformat.read(tmp_path / "out" / "97_synthetic.ipynb", as_version=4)
    assert len(tagged(edition, "instructor-note")) == 1 and not (tmp_path / "out" / "index.html").exists()
    assert f"[instructor] {tmp_path / 'out' / '97_synthetic.ipynb'}: 1 notes, 3 solutions" in capsys.readouterr().out


def test_execute_solutions_runs_only_the_solutions_and_reports_failures():
    good = instructor.build_edition(lesson(), "notebooks/97_synthetic.ipynb")
    failing = nbformat.v4.new_notebook(cells=[code("import utils.exercises.lesson99 as ex"),
                                              code("# the solution of lesson99.q1\nraise ValueError('boom')")])
    failing.cells[1].metadata["tags"] = ["instructor-edition", "instructor-solution"]
    without = nbformat.v4.new_notebook(cells=[code("x = 1")])
    assert instructor.execute_solutions([without]) == (0, [], 0.0)
    passed, problems, seconds = instructor.execute_solutions([good, without, failing])
    assert passed == 3 and seconds > 0
    assert problems == ["imports failed: ModuleNotFoundError: No module named 'utils.exercises.lesson99'",
                        "the solution of lesson99.q1...: ValueError: boom"], problems
    for index in tagged(good, "instructor-solution"):
        outputs = good.cells[index].outputs
        assert "".join(o.get("text", "") for o in outputs).startswith("✓ Correct!"), outputs
        assert all(o.get("name") != "stderr" for o in outputs) and good.cells[index].execution_count is None
    assert failing.cells[1].outputs == []
