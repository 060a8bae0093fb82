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

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "build_tools"))
import instructor  # noqa: E402

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
