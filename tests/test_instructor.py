"""The instructor edition (build_tools/instructor.py): notes shown, schema enforced, every solution inline.

The builder is tested on a small synthetic lesson, built and executed here (one kernel, a few seconds). The
editions of the real lessons are executed by the second notebook pass of ``python3 tasks.py test``
(``COURSE_SEED=7``, ``--nbval-lax``), where every solution must pass its check.
"""

from __future__ import annotations

import os
import re
import sys
import time
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
    with pytest.raises(instructor.NotesError, match=rf"cell {index + 1} of the notebook.*: instructor notes belong on "
                       r"heading cells only \(the first cell and the `##` headings, of the core path or of the Going "
                       r"further sections\)$"):
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
    notes = [c.source for p in written for c in nbformat.read(p, as_version=4).cells
             if "instructor-note" in c.metadata.get("tags", [])]
    assert any("> *While it runs* (its slow cells: " in note for note in notes), \
        "benchmarks/cells.csv has slow cells in noted sections: their notes give the live run time"
    pages = [*tmp_path.glob("*.plan.html"), *written]
    unanswered = [p.name for p in pages if "no answer in the notes yet" in p.read_text(encoding="utf-8")]
    assert not unanswered, f"a question for the room without its answer in {unanswered}"


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
        ({**NOTE, "in_one_sentence": " "}, "'in_one_sentence' must be a non-empty string"),
        ({**NOTE, "in_one_sentence": 5}, "'in_one_sentence' must be a non-empty string"),
    ],
)
def test_malformed_optional_keys_fail(note, message):
    with pytest.raises(instructor.NotesError, match=re.escape(message)) as error:
        instructor.build_edition(lesson({3: note}), "notebooks/97_synthetic.ipynb")
    assert str(error.value).startswith("notebooks/97_synthetic.ipynb, cell 4 of the notebook"), error.value


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
    assert "A bell with a spike at zero." in page and "skim or skip The idea" in page
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
    assert "its slow cells: 8 s" in instructor.note_cell(note, 7.5).source


def _timed_lesson() -> nbformat.NotebookNode:
    """A lesson whose section "The idea" holds two code cells (cells 4 and 6, the 2nd and 3rd code cells)."""
    notebook = lesson({0: {"minutes": 1, "stumbles": ["x"], "routes": {"15": "skim"}},
                       1: {"minutes": 1, "stumbles": ["x"]},
                       3: {**NOTE, "while_running": "Ask for a bet."},
                       6: {"minutes": 5, "stumbles": ["x"], "while_running": "Say why."}})
    notebook.cells.insert(4, code("fit_one = 1"))
    return notebook


def _table(tmp_path: Path, rows: list[tuple[int, str, float]]) -> Path:
    table = tmp_path / "cells.csv"
    table.write_text("# hand-made\nnotebook,cell,source_sha256_16,seconds\n"
                     + "".join(f"97_synthetic,{n},{digest},{seconds}\n" for n, digest, seconds in rows))
    return table


def test_live_run_is_the_sum_of_a_sections_slow_cells(tmp_path):
    """Both slow cells of a section count (3.84 + 3.17 = 7.01 s: "7 s", not one of them)."""
    import hashlib

    import plan

    source = _timed_lesson()
    digest = {i: hashlib.sha256(c.source.encode()).hexdigest()[:16] for i, c in enumerate(source.cells)}
    assert [i for i, c in enumerate(source.cells) if c.cell_type == "code"][:4] == [2, 4, 6, 8]
    table = _table(tmp_path, [(1, digest[2], 2.5), (2, digest[4], 3.84), (3, digest[6], 3.17)])
    measured, unmeasured = instructor.cell_times(source, "notebooks/97_synthetic.ipynb", table)
    assert measured == {2: 2.5, 4: 3.84, 6: 3.17} and unmeasured == set()
    notes = instructor.notes_of(source, "notebooks/97_synthetic.ipynb")
    idea = next(note for note in notes if note.heading == "The idea")
    assert instructor.live_run(source, idea, measured, unmeasured) == "7 s"
    page = plan.plan_html(source, "notebooks/97_synthetic.ipynb", table=table)
    assert "Live run: 7 s.</b> Ask for a bet." in page and "Live run: 2 s" not in page.split("Setup")[0]
    assert "Live run: 2 s." in page  # the Setup section's import cell (2.5 s, rounded)


def test_a_slow_cell_whose_source_changed_says_time_not_measured(tmp_path):
    """A row whose hash matches no cell (the cell was edited after the benchmark) gives no wrong time: the cell
    at its position is "not measured", alone or next to a measured one; a row past the last cell is ignored."""
    import hashlib

    import plan

    source = _timed_lesson()
    digest = {i: hashlib.sha256(c.source.encode()).hexdigest()[:16] for i, c in enumerate(source.cells)}
    table = _table(tmp_path, [(2, "0" * 16, 3.84), (3, digest[6], 3.17), (4, "f" * 16, 5.03),
                              (99, "e" * 16, 9.0)])
    measured, unmeasured = instructor.cell_times(source, "notebooks/97_synthetic.ipynb", table)
    assert measured == {6: 3.17} and unmeasured == {4, 8}
    notes = {note.heading: note for note in instructor.notes_of(source, "notebooks/97_synthetic.ipynb")}
    assert instructor.live_run(source, notes["The idea"], measured, unmeasured).startswith(
        "3 s + 1 slow cell not measured")
    assert instructor.live_run(source, notes["Going further: more"], measured, unmeasured).startswith(
        "time not measured")
    page = plan.plan_html(source, "notebooks/97_synthetic.ipynb", table=table)
    assert "Live run: time not measured" in page and "5 s" not in page and "9 s" not in page


def test_the_plan_never_lists_the_title_row_as_something_to_skip():
    import plan

    page = plan.plan_html(_timed_lesson(), "notebooks/97_synthetic.ipynb")
    late = page.split('class="late">')[1]
    assert "Synthetic" not in late and "skim or skip The idea" not in late
    assert "stop after the exercise" in late


def test_the_plan_gives_each_exercises_checked_answer():
    import plan

    edition = instructor.build_edition(lesson(), "notebooks/97_synthetic.ipynb")
    position = tagged(edition, "instructor-solution")[0]
    edition.cells[position].outputs = [nbformat.v4.new_output("stream", name="stdout",
                                                              text="✓ Correct! alpha = 20: stronger.\n")]
    answers = instructor.checked_answers(edition)
    assert answers == {"q2": "✓ Correct! alpha = 20: stronger."}
    notes = {3: NOTE}
    page = plan.plan_html(lesson(notes), "notebooks/97_synthetic.ipynb", answers)
    assert "<b>Exercise q2:</b> alpha = 20</div>" in page
    assert "<b>Exercise q3:</b>" not in page  # q3 sits in Going further, which has no note here


@pytest.mark.parametrize(
    ("message", "shown"),
    [
        ("✓ Correct! (1 - 2 * 0.01 * 0.001)^1000 = 0.980: plain SGD + L2 barely moves it.",
         "(1 - 2 * 0.01 * 0.001)^1000 = 0.980"),
        ("✓ Correct! your network: Dense(256, relu) → Dense(10, softmax). Its gap: 0.167.",
         "your network: Dense(256, relu) → Dense(10, softmax)."),
        ("✓ Correct! No: as with Adam, the L2 gradient is rescaled. Only SGD is.", "No: as with Adam, the L2 "
         "gradient is rescaled."),
    ],
)
def test_the_plan_shows_the_answer_part_of_a_checkers_message(message, shown):
    import plan

    assert plan.short_answer(message) == shown


def test_each_lessons_time_line_and_the_course_map_say_what_its_notes_add_up_to():
    """The notes' minutes per section are the one source of a lesson's times: its first cell's "core about N
    min, full about M min" and its course-map row "N min / M min" must be exactly their sums."""
    problems = []
    for path in LESSONS:
        if path.name.startswith("00_"):
            continue
        notebook = nbformat.read(path, as_version=4)
        notes = instructor.notes_of(notebook, path.name)
        core = sum(note.minutes for note in notes if not note.going_further)
        whole = sum(note.minutes for note in notes)
        said = (instructor.stated_core_minutes(notebook), instructor.stated_full_minutes(notebook))
        mapped = instructor.course_map_minutes(path.name)
        if said != (core, whole) or mapped != (core, whole):
            problems.append(f"{path.name}: notes {core} / {whole} min, Time line {said}, course map {mapped}")
    assert not problems, "\n".join(problems)


def test_time_agreement_reports_each_disagreement():
    notebook = lesson({0: {"minutes": 3, "stumbles": ["x"]}, 3: NOTE, 6: {"minutes": 3, "stumbles": ["x"]}})
    assert not [p for p in instructor.time_agreement(notebook, instructor.notes_of(notebook, "97_x"), "97_x")
                if "lesson says" in p]  # 3 + 4 = 7 core, 10 whole: as its Time line says
    notebook.cells[6].metadata["instructor"]["minutes"] = 4
    problems = instructor.time_agreement(notebook, instructor.notes_of(notebook, "97_x"), "97_x")
    assert any("11 min for the whole lesson, the lesson says full about 10 min" in p for p in problems)
    notebook.cells[3].metadata["instructor"]["minutes"] = 5
    problems = instructor.time_agreement(notebook, instructor.notes_of(notebook, "97_x"), "97_x")
    assert any("core path's notes add up to 8 min, the lesson says core about 7 min" in p for p in problems)


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


def test_every_question_for_the_room_has_its_answer():
    """Each `ask` of every lesson's notes has its answer (the edition and the plan print it under the question)."""
    missing = [f"{path.name} / {note.heading}: {question}" for path in LESSONS
               for note in instructor.notes_of(nbformat.read(path, as_version=4), path.name)
               for question in note.ask[len(note.answers):]]
    assert not missing, "questions without an answer in the notes:\n" + "\n".join(missing)


def test_every_slow_cell_has_what_to_say_while_it_runs():
    """Every cell of benchmarks/cells.csv that took over 3 s sits in a section whose note says what to say
    while it runs (`while_running`). A row whose cell was edited since the benchmark (its hash matches no cell)
    is followed to the cell at its position, as the plan does ("time not measured")."""
    import csv

    rows = list(csv.reader(line for line in instructor.CELLS_CSV.read_text().splitlines()
                           if not line.startswith("#")))[1:]
    slow_rows = [row for row in rows if float(row[3]) > 3]
    assert slow_rows, "benchmarks/cells.csv lists no cell over 3 s: the test would check nothing"
    problems, matched = [], 0
    for path in LESSONS:
        notebook = nbformat.read(path, as_version=4)
        notes = instructor.notes_of(notebook, path.name)
        lesson_rows = [row for row in slow_rows if row[0] == path.stem]
        if not lesson_rows:
            continue
        code = [index for index, cell in enumerate(notebook.cells) if cell.cell_type == "code"]
        digests = {instructor._source_digest(notebook.cells[index].source): index for index in code}
        for _, number, digest, seconds in lesson_rows:
            index = digests.get(digest, code[int(number) - 1] if int(number) <= len(code) else None)
            if index is None:
                continue
            matched += 1
            owners = [note for note in notes if index in instructor.section_cells(notebook, note)]
            if not any(note.while_running for note in owners):
                where = owners[-1].heading if owners else "no noted section"
                problems.append(f"{path.name}: cell {index + 1} ({seconds} s) in {where!r} has no while_running")
    assert matched == len(slow_rows), f"{len(slow_rows) - matched} slow cells of cells.csv match no lesson cell"
    assert not problems, "\n".join(problems)


def _route_lesson(routes: dict[int, dict[str, str]], minutes: dict[int, int]) -> list[instructor.Note]:
    notes = {index: {"minutes": minutes[index], "stumbles": ["x"], **({"routes": routes[index]} if index in routes
                                                                       else {})} for index in minutes}
    return instructor.notes_of(lesson(notes), "notebooks/97_synthetic.ipynb")


def test_route_minutes_count_taught_whole_skimmed_half_skipped_none():
    """Minutes by hand: title 2 (teach), Setup 6 (skim: 3), The idea 5 (skip), Going further 9 (45: skim, 5)."""
    notes = _route_lesson({1: {"15": "skim", "45": "skim"}, 3: {"15": "skip"}, 6: {"45": "skim"}},
                          {0: 2, 1: 6, 3: 5, 6: 9})
    assert instructor.route_total(notes, "15") == 2 + 3 + 0 + 0
    assert instructor.route_total(notes, "45") == 2 + 3 + 5 + 5


@pytest.mark.parametrize(
    ("minutes", "routes", "expected"),
    [
        ({0: 2, 1: 6, 3: 8}, {}, "the 15-minute route adds up to 16 min, over its 15 min"),
        ({0: 2, 1: 2, 3: 8, 6: 40}, {6: {"45": "teach"}}, "the 45-minute route adds up to 52 min, over its 45 min"),
        ({0: 2, 1: 2, 3: 8, 6: 40}, {3: {"15": "skip"}}, "the 15-minute route adds up to 4 min, under 12 min"),
        ({0: 2, 1: 2, 3: 8, 6: 40}, {}, "the 45-minute route adds up to 12 min, under 36 min"),
    ],
)
def test_a_route_that_does_not_fit_its_budget_is_reported(minutes, routes, expected):
    problems = instructor.route_problems(_route_lesson(routes, minutes))
    assert any(problem.startswith(expected) for problem in problems), problems


def test_each_lessons_routes_fit_15_and_45_minutes():
    """The 15-minute route of every lesson (01-08) adds up to 12-15 minutes and its 45-minute route to at most 45
    (and at least 80% of 45, or of the whole lesson when it is shorter); every core section the 15-minute route
    skips has the sentence to say instead (`in_one_sentence`)."""
    problems = []
    for path in LESSONS:
        if path.name.startswith("00_"):
            continue  # the start page is not taught as a class slot
        notes = instructor.notes_of(nbformat.read(path, as_version=4), path.name)
        problems += [f"{path.name}: {problem}" for problem in instructor.route_problems(notes)]
        problems += [f"{path.name}: the 15-minute route skips {note.heading!r} with no in_one_sentence"
                     for note in notes if not note.going_further and note.route("15") == "skip"
                     and not note.in_one_sentence]
    assert not problems, "\n".join(problems)


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
        "| **total, each route** (skimmed sections count half) | | **5** | **12** |",
        "",
        "The lesson states: core about 7 min, full about 10 min.",
        "**Times disagree:** the notes add up to 12 min for the whole lesson, the lesson says full about 10 min.",
        "**Times disagree:** the 15-minute route adds up to 5 min, under 10 min (80% of 12 min): it leaves time unused.",
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
        f"the course map says {mapped[0]} min core / {mapped[1]} min whole, the notes add up to "
        f"{mapped[0] + 1} min / {mapped[0] + 1} min"]
    summary = instructor.summary_cell(source, notes, 0, f"notebooks/{real.name}").source
    course_map = f"The course map (00_start_here.ipynb) states: {mapped[0]} min core, {mapped[1]} min whole."
    assert course_map in summary.splitlines()
    assert course_map in instructor.build_edition(source, f"notebooks/{real.name}").cells[1].source.splitlines()
    assert summary.startswith("**Instructor edition.**") and f"| **total, core path** | **{mapped[0] + 1}** | | |" in summary


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
        "> *While it runs* (its slow cells: 12 s; benchmarks/cells.csv): Talk.",
        ">",
        "> *Routes:* 15 min: skim (2 min); 45 min: teach.",
    ])


def test_a_note_cell_at_the_one_second_boundary_and_in_going_further():
    plain = instructor.Note(1, 2, "Setup", 2, ("s",), ())
    assert instructor.note_cell(plain).source == "> **Instructor note: 2 min on this section.**\n>\n" \
                                                 "> *Where learners stumble:*\n> - s"
    assert instructor.note_cell(plain, 1.0).source.endswith(
        ">\n> *While it runs* (its slow cells: 1 s; benchmarks/cells.csv):")
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
    assert instructor.opening_heading(md("")) is None and instructor.opening_heading(md(" \n\t\n")) is None
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


def test_execute_solutions_runs_only_the_solutions_and_reports_failures(monkeypatch):
    """One kernel for every edition: each edition's exercise imports, then its solutions. A solution that fails is
    reported (its first line and the error, each cut to its first characters) and the next ones still run; a
    passing one keeps its stdout, not its stderr; the kernel runs in notebooks/ with progress bars and TensorFlow's
    log lines off, and the caller's environment is restored afterwards."""
    good = instructor.build_edition(lesson(), "notebooks/97_synthetic.ipynb")
    failing = nbformat.v4.new_notebook(cells=[code("import utils.exercises.lesson99 as ex"),
                                              code("# the solution of lesson99.q1\nraise ValueError('boom')")])
    failing.cells[1].metadata["tags"] = ["instructor-edition", "instructor-solution"]
    without = nbformat.v4.new_notebook(cells=[code("x = 1")])
    module = "utils.exercises.lesson99_" + "x" * 120
    first_line = "# the solution of lesson99.q2, " + "with a first line longer than seventy characters " * 2
    probe = nbformat.v4.new_notebook(cells=[
        code(f"import {module} as ex"),
        code(f"{first_line}\nraise ValueError('v' * 130)"),
        code("# the solution of lesson99.q3\nimport os, sys\nprint('a warning', file=sys.stderr)\n"
             "print(os.environ.get('COURSE_PROGRESS'), os.environ.get('TF_CPP_MIN_LOG_LEVEL'), os.getcwd())")])
    for cell in probe.cells[1:]:
        cell.metadata["tags"] = ["instructor-edition", "instructor-solution"]
    assert instructor.execute_solutions([without]) == (0, [], 0.0)
    monkeypatch.delenv("COURSE_PROGRESS", raising=False)
    monkeypatch.setenv("TF_CPP_MIN_LOG_LEVEL", "0")  # `import utils` only sets a default: the kernel must get 3
    started = time.monotonic()
    passed, problems, seconds = instructor.execute_solutions([good, without, failing, probe])
    assert passed == 4 and 0 < seconds <= time.monotonic() - started
    assert problems == ["imports failed: ModuleNotFoundError: No module named 'utils.exercises.lesson99'",
                        "the solution of lesson99.q1...: ValueError: boom",
                        # each message cut at 120 characters, the solution's first line at 70 (without its "# ")
                        "imports failed: ModuleNotFoundError: No module named 'utils.exercises.lesson99_"
                        + "x" * (120 - 42),
                        "the solution of lesson99.q2, with a first line longer than seventy c...: ValueError: "
                        + "v" * 120], problems
    assert "COURSE_PROGRESS" not in os.environ and os.environ["TF_CPP_MIN_LOG_LEVEL"] == "0", "environment restored"
    for index in tagged(good, "instructor-solution"):
        outputs = good.cells[index].outputs
        assert "".join(o.get("text", "") for o in outputs).startswith("✓ Correct!"), outputs
        assert all(o.get("name") != "stderr" for o in outputs) and good.cells[index].execution_count is None
    assert failing.cells[1].outputs == [] and probe.cells[1].outputs == []
    printed = probe.cells[2].outputs
    assert [(o.output_type, o.name, o.text) for o in printed] == [
        ("stream", "stdout", f"0 3 {ROOT / 'notebooks'}\n")], printed
    assert probe.cells[2].metadata == {"tags": ["instructor-edition", "instructor-solution"]}, \
        "the edition's cell is not the one the kernel ran (no execution timings in its metadata)"


def test_execute_solutions_stops_a_solution_that_runs_over_its_timeout():
    """A hung solution stops the build (nbclient's CellTimeoutError) instead of hanging it."""
    from nbclient.exceptions import CellTimeoutError

    edition = nbformat.v4.new_notebook(cells=[code("# the solution of lesson99.q1\nimport time\ntime.sleep(20)")])
    edition.cells[0].metadata["tags"] = ["instructor-edition", "instructor-solution"]
    started = time.monotonic()
    with pytest.raises(CellTimeoutError):
        instructor.execute_solutions([edition], timeout=1)
    assert time.monotonic() - started < 15


def _lesson_file(folder: Path, number: int, notes: dict[int, dict] | None = None) -> Path:
    """lesson() written as folder/NN_synthetic.ipynb, titled "Lesson NN"."""
    folder.mkdir(parents=True, exist_ok=True)
    notebook = lesson(notes)
    notebook.cells[0].source = notebook.cells[0].source.replace("Lesson 97", f"Lesson {number}")
    path = folder / f"{number}_synthetic.ipynb"
    nbformat.write(notebook, path)
    return path


def _solutions_checked(monkeypatch, problems: list[str]) -> list[list]:
    """Stand in for the kernel (execute_solutions is tested above): ex.q2's solution prints its checked answer."""
    seen = []

    def fake(editions):
        seen.append(editions)
        for edition in editions:
            for index in tagged(edition, "instructor-solution"):
                if "lesson03.q2" in edition.cells[index].source:
                    edition.cells[index].outputs = [nbformat.v4.new_output(
                        "stream", name="stdout", text="✓ Correct! alpha = 20: stronger.\n")]
        return 1, problems, 1.26

    monkeypatch.setattr(instructor, "execute_solutions", fake)
    return seen


def test_build_with_execute_keeps_the_checked_answers_and_says_what_ran(tmp_path, monkeypatch, capsys):
    path = _lesson_file(tmp_path / "lessons", 97, {3: NOTE})
    seen = _solutions_checked(monkeypatch, ["the solution of lesson02.q1...: NameError: x", "imports failed: E: y"])
    written = instructor.build([path], tmp_path / "out", execute=True)
    assert len(seen) == 1 and len(seen[0]) == 1 and seen[0][0].metadata["course"]["edition"] == "instructor"
    assert capsys.readouterr().out.splitlines()[:3] == [
        "[instructor] 1 solutions run (alone, one kernel) and checked in 1.3 s",
        "[instructor] not run alone: the solution of lesson02.q1...: NameError: x",
        "[instructor] not run alone: imports failed: E: y"]
    edition = nbformat.read(written[0], as_version=4)
    outputs = [edition.cells[i].outputs for i in tagged(edition, "instructor-solution")]
    assert [o[0].text for o in outputs if o] == ["✓ Correct! alpha = 20: stronger.\n"]
    page = (tmp_path / "out" / "97_synthetic.plan.html").read_text(encoding="utf-8")
    assert "<b>Exercise q2:</b> alpha = 20</div>" in page, "the plan gives the checked answer"


def test_build_without_execute_runs_nothing_and_orders_lessons_by_file_name(tmp_path, monkeypatch):
    """Lessons from two folders, in the order of their file names (not their paths), into a folder not yet made."""
    def no_kernel(editions):
        raise AssertionError("build ran the solutions without execute=True")

    monkeypatch.setattr(instructor, "execute_solutions", no_kernel)
    late = _lesson_file(tmp_path / "a", 98)
    early = _lesson_file(tmp_path / "b", 97)
    out = tmp_path / "not" / "yet"
    written = instructor.build([late, early], out)
    assert written == [out / "97_synthetic.ipynb", out / "98_synthetic.ipynb"]
    index = (out / "index.html").read_text(encoding="utf-8")
    assert 0 < index.index("Lesson 97: Synthetic") < index.index("Lesson 98: Synthetic"), "the index in lesson order"
    edition = nbformat.read(written[0], as_version=4)
    assert all(edition.cells[i].outputs == [] for i in tagged(edition, "instructor-solution"))


def test_command_line_defaults_build_every_numbered_lesson_with_plans(tmp_path, monkeypatch, capsys):
    """No arguments: every notebooks/NN_*.ipynb of the checkout (not other notebooks) into build/instructor/,
    with the plans and the index; --execute runs the solutions."""
    monkeypatch.setattr(instructor, "ROOT", tmp_path)
    monkeypatch.setattr(sys, "path", list(sys.path))
    _lesson_file(tmp_path / "notebooks", 97, {3: NOTE})
    nbformat.write(lesson({1: {"minutes": 2}}), tmp_path / "notebooks" / "scratch.ipynb")  # a bad note: not built
    assert instructor.main([]) == 0
    out = tmp_path / "build" / "instructor"
    assert sorted(p.name for p in out.iterdir()) == ["97_synthetic.ipynb", "97_synthetic.plan.html", "index.html"]
    seen = _solutions_checked(monkeypatch, [])
    assert instructor.main([str(tmp_path / "notebooks" / "97_synthetic.ipynb"), "--out", str(tmp_path / "x"),
                            "--no-plans", "--execute"]) == 0
    assert len(seen) == 1
    assert "[instructor] 1 solutions run (alone, one kernel) and checked in 1.3 s" in capsys.readouterr().out


def test_command_line_help_opens_with_what_the_builder_does(capsys):
    with pytest.raises(SystemExit) as stopped:
        instructor.main(["--help"])
    assert stopped.value.code == 0
    first_line = ("The instructor edition of every lesson: its notes shown and every exercise's solution inline, run "
                  "and checked.")
    shown = " ".join(capsys.readouterr().out.split())
    assert first_line in shown and "runs it" not in shown, "the docstring's first line, not the whole docstring"


def test_cell_times_follow_a_stale_row_to_its_position_from_the_first_to_the_last_code_cell(tmp_path):
    """The code cells of _timed_lesson are cells 2, 4, 6, 8, 9 and 10: stale rows at positions 1 and 6 point to
    the first and the last; positions 0 and 7 and a non-number point to none."""
    source = _timed_lesson()
    assert [i for i, c in enumerate(source.cells) if c.cell_type == "code"] == [2, 4, 6, 8, 9, 10]
    table = _table(tmp_path, [(0, "a" * 16, 1.0), (1, "b" * 16, 2.0), (6, "c" * 16, 3.0), (7, "d" * 16, 4.0)])
    table.write_text(table.read_text() + "97_synthetic,x,eeeeeeeeeeeeeeee,5.0\n")
    assert instructor.cell_times(source, "notebooks/97_synthetic.ipynb", table) == ({}, {2, 10})


def test_live_run_in_words_at_its_boundaries():
    """_timed_lesson's sections: the title is cell 0, Setup cells 1-2, The idea cells 3-6, Going further 7-10."""
    source, why = _timed_lesson(), "edited since the benchmark"
    title = instructor.Note(0, 1, "Lesson 97: Synthetic", 1, ("x",), ())
    setup = instructor.Note(1, 2, "Setup", 1, ("x",), ())
    idea = instructor.Note(3, 2, "The idea", 4, ("x",), ())
    further = instructor.Note(7, 2, "Going further: more", 5, ("x",), (), going_further=True)
    assert instructor.live_run(source, title, {0: 5.0, 2: 5.0}, {0}) == "", "the title's section runs nothing"
    assert instructor.live_run(source, setup, {2: 2.4}, set()) == "2 s"
    assert instructor.live_run(source, idea, {4: 1.0}, {6, 8, 9}) == f"1 s + 1 slow cell not measured ({why})"
    assert instructor.live_run(source, further, {8: 1.4, 4: 9.0}, {9, 10}) == f"1 s + 2 slow cells not measured ({why})"
    assert instructor.live_run(source, idea, {4: 0.99}, {6}) == f"time not measured ({why})"
    assert instructor.live_run(source, idea, {4: 1.0}, {8}) == "1 s"
    assert instructor.live_run(source, idea, {4: 0.99, 8: 5.0}, set()) == ""


def test_checked_answers_join_a_messages_stream_outputs():
    edition = instructor.build_edition(lesson(), "notebooks/97_synthetic.ipynb")
    first, second, _ = tagged(edition, "instructor-solution")
    edition.cells[first].outputs = [nbformat.v4.new_output("stream", name="stdout", text="✓ Correct! alpha"),
                                    nbformat.v4.new_output("stream", name="stdout", text=" = 20.\n")]
    edition.cells[second].outputs = [nbformat.v4.new_output("stream", name="stdout", text="✗ Not yet.\n")]
    empty = code("")
    empty.metadata["tags"] = ["instructor-edition", "instructor-solution"]
    edition.cells.append(empty)
    assert instructor.checked_answers(edition) == {"q2": "✓ Correct! alpha = 20."}


def test_exercise_imports_are_the_lessons_own_once_each():
    edition = nbformat.v4.new_notebook(cells=[
        code("%%time\nx = 1"),
        code("import numpy as np\nfrom utils.exercises import lesson03 as ex"),
        md("from utils.exercises import lesson08 as prose"),
        code("from utils.exercises import lesson04 as own"),
        code("import utils.exercises.lesson05 as l5\nfrom utils.exercises import lesson03 as ex"),
    ])
    edition.cells[3].metadata["tags"] = ["instructor-edition", "instructor-solution"]
    assert instructor._exercise_imports(edition) == ("from utils.exercises import lesson03 as ex\n"
                                                     "import utils.exercises.lesson05 as l5")


def test_exercise_names_read_on_after_a_cell_magic():
    source = nbformat.v4.new_notebook(cells=[code("%%time\nx = 1"), code("from utils.exercises import lesson03 as ex")])
    assert instructor.exercise_names(source, "notebooks/97_synthetic.ipynb") == ({"ex": "utils.exercises.lesson03"}, {})


def test_a_note_cell_with_every_answer_and_the_sentence_for_a_skipping_route():
    note = instructor.Note(3, 2, "The idea", 4, ("s",), ("Q1?", "Q2?"), ("A1", "A2"),
                           in_one_sentence="Penalties shrink weights.")
    assert instructor.note_cell(note).source == "\n".join([
        "> **Instructor note: 4 min on this section.**", ">", "> *Where learners stumble:*", "> - s", ">",
        "> *Ask the room (let them predict before you run the next cell):*",
        "> 1. Q1?", ">    *Answer:* A1", "> 2. Q2?", ">    *Answer:* A2",
        ">", "> *When a route skips it, say instead:* Penalties shrink weights."])


def test_solution_source_keeps_a_solution_that_starts_and_ends_with_x():
    assert instructor.solution_source("ex.q1", "utils.exercises.lesson03", "q1", "\nX = 2\nanswer = X\n") == "\n".join([
        "# Instructor edition: the solution of lesson03.q1 (utils/exercises/lesson03.py), run and checked.",
        "# It runs in a function so that its own variables do not replace the lesson's.",
        "def solution_q1():", "    X = 2", "    answer = X", "    return answer", "", "", "answer = solution_q1()",
        "ex.q1.check(answer)",
        'assert ex.q1.evaluate(answer)[0], "instructor edition: the solution of lesson03.q1 fails its check"']) + "\n"


def test_summary_without_a_full_time_and_without_notes():
    source = lesson({1: {"minutes": 2, "stumbles": ["b"]}})
    source.cells[0].source = "# Lesson 97: Synthetic\n\n**Time:** core about 2 min."
    notes = instructor.notes_of(source, "notebooks/97_synthetic.ipynb")
    assert "The lesson states: core about 2 min." in instructor.summary_cell(source, notes, 3).source.splitlines()
    assert instructor.stated_full_minutes(source) is None
    assert instructor.stated_full_minutes(nbformat.v4.new_notebook()) is None
    assert instructor.summary_cell(lesson(), [], 3).source == (
        "**Instructor edition.** Built by `python3 tasks.py instructor` from the lesson and its notes (cell metadata "
        "`instructor` of the headings); do not edit this copy. 3 exercise solutions run inline after the learners' "
        "check cells.\n\nThis lesson has no instructor notes yet: add them to the `instructor` metadata of its "
        "headings (see CONTRIBUTING.md).")


def test_notes_of_gives_each_note_in_full_with_its_defaults():
    assert instructor.notes_of(lesson({3: NOTE}), "notebooks/97_synthetic.ipynb") == [instructor.Note(
        3, 2, "The idea", 4, ("They read near-zero as zero.",), ("What will the histogram show?",))]


def test_validate_note_bounds_minutes_and_questions():
    assert instructor.validate_note({"minutes": 60, "stumbles": ["x"]}, "w") == (60, ("x",), ())
    assert instructor.validate_note({"minutes": 1, "stumbles": ["x"], "ask": ["a", "b", "c"]}, "w") == (
        1, ("x",), ("a", "b", "c"))
    for note, message in [({"minutes": 61, "stumbles": ["x"]}, "'minutes' must be a whole number of minutes from 1 to 60"),
                          ({"minutes": 4, "stumbles": ["x"], "ask": ["a", "b", "c", "d"]},
                           "field 'ask' must be a list of 1 to 3 strings"),
                          ({"minutes": 4, "stumbles": ["x"], "ask": [" "]}, "field 'ask' must hold non-empty strings")]:
        with pytest.raises(instructor.NotesError, match=re.escape(message)):
            instructor.validate_note(note, "w")
