"""Slides of the core path and the book (Sphinx): built offline, no remote URL, alt text kept, reader features.

Builds into tmp_path from small synthetic lessons (the book: about 10 s of Sphinx). The browser checks of the
real lessons' pages are in tests/test_book_browser.py. The first run on a machine installs the pinned
reveal.js and MathJax into build/web/ with `npm ci` (build_tools/web/package-lock.json); without npm and without
that folder the tests are skipped.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import nbformat
import pytest
from bs4 import BeautifulSoup  # nbconvert's own dependency (it re-serializes the HTML with it)

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "build_tools"))
import book  # noqa: E402
import links  # noqa: E402
import slides  # noqa: E402
import web_assets  # noqa: E402

LESSONS = [ROOT / "notebooks" / "00_start_here.ipynb", ROOT / "notebooks" / "01_bias_variance_tradeoff.ipynb"]
ALT = 'Two curves: "training" falls, validation rises'
PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="

needs_assets = pytest.mark.skipif(
    shutil.which("npm") is None and not (web_assets.MODULES / "reveal.js").exists(),
    reason="needs npm once (to install the pinned reveal.js and MathJax into build/web/)",
)


def assert_offline(page: Path) -> None:
    text = page.read_text(encoding="utf-8")
    assert not web_assets.remote_references(text), f"{page.name} loads remote URLs"
    missing = [ref for ref in web_assets.local_references(text) if not (page.parent / ref).exists()]
    assert not missing, f"{page.name} references files that are not there: {missing}"
    for ref in web_assets.local_references(text):
        if ref.endswith(".css"):  # a style sheet could still import fonts from a CDN
            css = (page.parent / ref).read_text(encoding="utf-8")
            assert not web_assets.remote_references(css), f"{ref} (used by {page.name}) loads remote URLs"


def synthetic(tmp_path: Path) -> list[Path]:
    """Two tiny lessons: a linked pair, a Setup, a figure with alt text, a claim, an exercise, Going further."""
    md, code = nbformat.v4.new_markdown_cell, nbformat.v4.new_code_cell
    figure = code("fig = draw()\nshow(fig)", outputs=[nbformat.v4.new_output(
        "display_data", data={"image/png": PNG, "text/plain": "<Figure>"},
        metadata={"image/png": {"alt": ALT}},
    )])
    opening = links.with_launch_line(
        "# Lesson 10: First\n\nA summary with $\\lambda$ math. It has two sentences.\n\n"
        "**Objectives.** After this lesson you can\n- do a thing.\n\n"
        "**Prerequisites.** None. **Time:** core about 5 min, full about 9 min.", "10_first.ipynb")
    first = nbformat.v4.new_notebook(cells=[
        md(opening),
        md("## Setup"), code("import numpy as np\nfrom utils.exercises import lesson03 as ex"),
        md("## The idea\n\nSee [the next lesson](11_second.ipynb#The-idea) and [the data](../data/README.md)."),
        figure,
        md("Notice the curve.\n\n### The claim, checked\n\n*It holds.*"), code("assert True"),
        md("## Exercise"),
        code("answer = ...  # your answer here\nex.q2.check(answer)", outputs=[nbformat.v4.new_output(
            "stream", name="stdout", text="○ Not attempted yet: replace `...`\n")]),
        md("## Going further: more\n\nNot on the slides."), code("y = 2"),
    ])
    first.cells[3].metadata["instructor"] = {"minutes": 3, "stumbles": ["A stumble."], "ask": ["A question?"],
                                             "answers": ["An answer."]}
    second = nbformat.v4.new_notebook(cells=[md("# Lesson 11: Second\n\nBack to [lesson 10](10_first.ipynb)."),
                                             md("## The idea\n\nMore.")])
    paths = [tmp_path / "10_first.ipynb", tmp_path / "11_second.ipynb"]
    for path, notebook in zip(paths, (first, second), strict=True):
        notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
        notebook.metadata["language_info"] = {"name": "python"}
        nbformat.write(notebook, path)
    return paths


def test_deck_is_made_for_a_projector(tmp_path):
    notebook = nbformat.read(synthetic(tmp_path)[0], as_version=4)
    deck = slides.deck_of(notebook, "10_first.ipynb")
    kinds = [cell.metadata["slideshow"]["slide_type"] for cell in deck.cells]
    text = [cell.source for cell in deck.cells]
    assert kinds[0] == "slide" and "Objectives" in text[0] and "**Time:** core about 5 min" in text[0]
    assert "A summary" not in text[0] and kinds[1] == "notes" and "A summary" in text[1], "the opening: notes"
    assert not any(t.startswith("## Setup") or "import numpy" in t for t in text), "no imports slide"
    assert not any("Not on the slides" in t or "answer = ..." in t for t in text), "core path, no answer cell"
    idea = text.index(next(t for t in text if t.startswith("## The idea")))
    assert kinds[idea + 1] == "notes" and "Ask the room" in text[idea + 1] and "An answer." in text[idea + 1]
    figure = next(i for i, c in enumerate(deck.cells) if c.cell_type == "code" and "show(fig)" in c.source)
    assert "remove_input" in deck.cells[figure].metadata["tags"], "the plotting code is hidden"
    assert kinds[figure + 1] == "notes" and "show(fig)" in text[figure + 1], "the plotting code: in the notes"
    claim = next(i for i, t in enumerate(text) if t.startswith("### The claim, checked"))
    before = [t for k, t in zip(kinds[:claim], text[:claim], strict=True) if k != "notes"]
    assert kinds[claim] == "subslide" and before[-1].startswith("Notice"), "a claim starts a sub-slide"
    assert any(k == "notes" and "Solution of" in t for k, t in zip(kinds, text, strict=True)), "solution: notes"
    check = claim + 1  # the claim's check: its result on the claim's screen, its code in the notes
    assert deck.cells[check].source == "assert True" and kinds[check] == "-"
    assert "remove_input" in deck.cells[check].metadata["tags"]
    assert kinds[check + 1] == "notes" and "assert True" in text[check + 1]
    assert "slideshow" not in notebook.cells[0].metadata, "the lesson itself is not changed"


def test_every_slide_has_speaker_notes_continuations_their_sections(tmp_path):
    """A section's continuation slides (prose cut over sub-slides) get "Continued: <section>" and the section's
    note in the speaker view, not empty notes."""
    notebook = nbformat.read(synthetic(tmp_path)[0], as_version=4)
    notebook.cells[3].source += "\n\n" + " ".join(["A long sentence of the section's text goes on here."] * 30)
    deck = slides.deck_of(notebook, "10_first.ipynb")
    groups: list[list] = []
    for cell in deck.cells:
        if cell.metadata["slideshow"]["slide_type"] in ("slide", "subslide") or not groups:
            groups.append([])
        groups[-1].append(cell)
    idea = [g for g in groups if any("A long sentence" in c.source for c in g)]
    assert len(idea) >= 3, "the long section continues over sub-slides"
    for group in groups:
        notes = [c.source for c in group if c.metadata["slideshow"]["slide_type"] == "notes"]
        assert notes, f"a slide without speaker notes: {group[0].source[:60]!r}"
    for group in idea[1:]:
        notes = "\n".join(c.source for c in group if c.metadata["slideshow"]["slide_type"] == "notes")
        assert "Continued: The idea." in notes and "A stumble." in notes and "An answer." in notes


@pytest.mark.parametrize(
    ("tex", "plain"),
    [
        ("adds $\\lambda \\sum w^2$ to the loss", "adds λ ∑w² to the loss"),
        ("$x_i \\cdot w$ and $\\mathrm{L2}(0.001)$", "xᵢ·w and L2(0.001)"),
        ("$$\\frac{a}{b}$$", "`\\frac{a}{b}`"),
        ("costs $5 and $6", "costs $5 and $6"),
    ],
)
def test_speaker_notes_write_math_as_plain_text(tex, plain):
    """The speaker view shows the notes' HTML without MathJax's styles (typeset math read twice, "λ∑w²λ∑w²"):
    the notes carry their math as Unicode text, and MathJax leaves the notes alone."""
    if "costs" in tex:
        plain = slides.plain_math(tex)  # a dollar amount with a space before the next $ is not math...
        assert "5" in plain and "6" in plain  # ...and whatever it becomes, no number is lost
        return
    assert slides.plain_math(tex) == plain
    assert slides.notes(f"Note: {tex}").source == f"Note: {plain}"


@needs_assets
def test_slides_are_offline(tmp_path):
    out = tmp_path / "slides"
    pages = slides.build([*LESSONS, *synthetic(tmp_path)], out)
    assert [p.name for p in pages] == ["00_start_here.slides.html", "01_bias_variance_tradeoff.slides.html",
                                       "10_first.slides.html", "11_second.slides.html"]
    for page in [*pages, out / "index.html"]:
        assert_offline(page)
    text = pages[0].read_text(encoding="utf-8")
    assert "_static/reveal.js/dist/reveal.js" in text and (out / "_static/reveal.js/plugin/notes/notes.js").exists()
    small = BeautifulSoup(pages[2].read_text(encoding="utf-8"), "html.parser")
    assert "Not on the slides" not in small.get_text()
    assert [img.get("alt") for img in small.find_all("img")] == [ALT]
    ids = [e["id"] for e in small.find_all(id=True)]
    assert len(ids) == len(set(ids)), "ids are unique"
    assert small.find_all("aside", class_="notes"), "speaker notes"
    assert 'ignoreClass: "tex2jax_ignore|notes"' in text, "MathJax does not typeset the speaker notes"
    assert all("$" not in aside.get_text() for aside in small.find_all("aside", class_="notes")
               if "```" not in aside.get_text()), "the opening's $\\lambda$ is plain text in the notes"


def test_the_note_on_trying_an_exercise_is_in_full_once_a_page(tmp_path):
    """Under the first exercise of a page the whole "Try it yourself" note; under each later one a one-line
    pointer to it (page 04 had the 80-word note four times)."""
    md, code = nbformat.v4.new_markdown_cell, nbformat.v4.new_code_cell
    notebook = nbformat.v4.new_notebook(cells=[
        md("# Lesson 10: First"), code("from utils.exercises import lesson03 as ex"),
        *[code(f"answer = ...\nex.q{n}.check(answer)") for n in (1, 2, 3)]])
    urls = {"Repository": "https://github.com/o/r", "Binder": "https://mybinder.org/v2/gh/o/r/main"}
    copy = book.book_copy(notebook, "notebooks/10_first.ipynb", {"10_first": []}, urls["Repository"], urls,
                          messages=False)
    reveals = [c.source for c in copy.cells if book.REVEAL_TAG in c.metadata.get("tags", [])]
    assert len(reveals) == 3
    assert reveals[0].count("Try it yourself") == 1 and ":name: course-try-10-first" in reveals[0]
    for later in reveals[1:]:
        assert "course-try-pointer" in later and 'href="#course-try-10-first"' in later
        assert ":::{admonition}" not in later and len(later.split("<details")[0].split()) < 40


def test_figures_link_to_their_full_size_image(tmp_path):
    page = tmp_path / "p.html"
    page.write_text('<div class="cell_output"><img alt="A curve." src="_images/a.png"/></div>'
                    '<div class="cell_output"><a href="x"><img alt="B" src="_images/b.png"/></a></div>'
                    '<p><img alt="logo" src="_static/logo.png"/></p>', encoding="utf-8")
    assert book.link_figures(page) == 1
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    link = soup.find("img", alt="A curve.").parent
    assert link.name == "a" and link["href"] == "_images/a.png" and "course-figure" in link["class"]
    assert soup.find("img", alt="logo").parent.name == "p", "only the cells' figures"


@needs_assets
def test_book_is_offline_with_alt_text_solutions_and_an_index(tmp_path):
    out = tmp_path / "site"
    paths = synthetic(tmp_path)
    index = book.build([*LESSONS, *paths], out, jupyterhub="https://hub.example.edu")
    for page in [index, *(out / f"{p.stem}.html" for p in [*LESSONS, *paths])]:
        assert_offline(page)
    home = BeautifulSoup(index.read_text(encoding="utf-8"), "html.parser")
    entries = home.select(".course-lessons dt a")
    assert [a["href"] for a in entries] == [f"{p.stem}.html" for p in [*LESSONS, *paths]], "every lesson, in order"
    first_entry = home.select(".course-lessons dd")[2].get_text(" ", strip=True)
    assert "two sentences." in first_entry and "core about 5 min, full about 9 min" in first_entry
    first = BeautifulSoup((out / "10_first.html").read_text(encoding="utf-8"), "html.parser")
    assert ALT in [img.get("alt") for img in first.find_all("img")], "alt text from the output's metadata"
    figure = first.find("img", alt=ALT)
    assert figure.parent.name == "a" and figure.parent["href"] == figure["src"], "the figure opens at full size"
    assert (out / figure["src"]).exists()
    assert [s.get_text(strip=True) for s in first.select("details.course-reveal summary")] == ["Hint (q2)",
                                                                                            "Solution (q2)"]
    assert "Not attempted yet" not in first.get_text()
    why = first.select("details.course-reveal p.course-why")
    assert len(why) == 1 and "0.002 - 0.1 * 0.03 = -0.001" in why[0].get_text(), "the checker's explanation"
    tries = first.select(".course-try")
    assert len(tries) == 1 and "utils" in tries[0].get_text() and "python3 tasks.py lab" in tries[0].get_text()
    assert links.launch_url("10_first.ipynb") in [a.get("href") for a in tries[0].find_all("a")], "Binder"
    hrefs = [a.get("href", "") for a in first.find_all("a")]
    assert "11_second.html#the-idea" in hrefs, hrefs
    assert any(h.endswith("/blob/main/data/README.md") for h in hrefs)
    assert any(h.startswith("https://hub.example.edu/hub/user-redirect/git-pull?") for h in hrefs), "JupyterHub"
    assert any("mybinder.org/v2/gh/" in h for h in hrefs), "Binder"
    assert (out / "_sources" / "10_first.ipynb").read_bytes() == paths[0].read_bytes(), "download: as committed"
    assert (out / "searchindex.js").exists()
    assert any("_static/mathjax/es5/tex-chtml.js" in s.get("src", "") for s in first.find_all("script"))


def test_book_link_rewriting():
    repo = "https://github.com/o/r"
    pages = {"01_x": ["Top", "The claim, checked"]}
    text = ("[a](01_x.ipynb#The-claim,-checked) [b](../data/README.md) [c](#Here) [d](https://e.org) "
            "[e](09_missing.ipynb)")
    assert book.rewrite_links(text, pages, repo) == (
        "[a](01_x.ipynb#the-claim-checked) [b](https://github.com/o/r/blob/main/data/README.md) [c](#Here) "
        "[d](https://e.org) [e](https://github.com/o/r/blob/main/notebooks/09_missing.ipynb)"
    )


def test_summary_keeps_whole_sentences():
    long = " ".join(f"Sentence number {i} is here." for i in range(40))
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(f"# T\n\n{long}\n\n**Time:** 5 min.")])
    summary = book.summary_of(notebook)
    assert summary.endswith(".") and len(summary.split()) <= book.SUMMARY_WORDS
    assert book.times_of(notebook) == "5 min"


def _words(pieces) -> list[str]:
    return " ".join(piece.source for piece in pieces).split()


def test_long_prose_is_cut_between_paragraphs_items_and_sentences():
    sentence = "This sentence has exactly eight words in it."  # 8 words
    paragraph = " ".join([sentence] * 5)  # 40 words
    cell = nbformat.v4.new_markdown_cell(f"## A heading\n\n{paragraph}\n\n{paragraph}\n\n{' '.join([sentence] * 20)}")
    pieces = slides.break_prose(cell, limit=50)
    assert _words(pieces) == cell.source.split(), "no word lost or moved"
    assert pieces[0].source.startswith("## A heading") and "slideshow" not in pieces[0].metadata
    assert all(p.metadata["slideshow"]["slide_type"] == "subslide" for p in pieces[1:])
    assert all(len(p.source.split()) <= 50 for p in pieces), [len(p.source.split()) for p in pieces]
    # 3 words of heading + 40 + 40 + 160: at most 50 a slide, cut between sentences of 8 -> 1 + 1 + 4 slides
    assert len(pieces) == 6
    items = nbformat.v4.new_markdown_cell("\n".join(f"- item {i} " + "word " * 20 for i in range(4)))
    listed = slides.break_prose(items, limit=50)
    assert [p.source.count("- item") for p in listed] == [2, 2], "a list is cut between its items"
    short = nbformat.v4.new_markdown_cell("Short.")
    assert slides.break_prose(short) == [short]


def test_a_long_claim_is_a_list_of_its_parts():
    cell = nbformat.v4.new_markdown_cell(
        "### The claim, checked\n\n*" + "a " * 30 + "first; " + "b " * 30 + "second.* Why it holds.\n\nMore.")
    claim, rest = slides.split_claim(cell)
    assert claim.source.splitlines()[2:] == ["- *" + "a " * 30 + "first;*", "- *" + "b " * 30 + "second.*"]
    assert rest == "Why it holds.\n\nMore."


def test_the_book_reads_the_repository_from_pyproject_only(monkeypatch):
    """One setting, [project.urls] in pyproject.toml: conf.py run without book.py's variables reads it, and no
    build tool writes an address of its own."""
    import runpy

    for key in ("COURSE_BOOK_REPOSITORY", "COURSE_BOOK_BRANCH", "COURSE_BOOK_BINDERHUB", "COURSE_BOOK_JUPYTERHUB"):
        monkeypatch.setenv(key, "recorded, so that undo() removes what conf.py sets")
        monkeypatch.delenv(key)
    urls = {"Repository": "https://github.com/someone/fork", "Binder": "https://binder.example.org/v2/gh/someone/fork/dev"}
    monkeypatch.setattr(links, "project_urls", lambda *a, **k: urls)
    conf = runpy.run_path(str(ROOT / "build_tools" / "book" / "conf.py"))
    options = conf["html_theme_options"]
    assert options["repository_url"] == urls["Repository"] and options["repository_branch"] == "dev"
    assert options["launch_buttons"]["binderhub_url"] == "https://binder.example.org"
    monkeypatch.undo()
    assert "COURSE_BOOK_REPOSITORY" not in os.environ
    real = links.project_urls()["Repository"].split("github.com/")[1]
    written = [path.relative_to(ROOT).as_posix() for path in [*(ROOT / "build_tools").rglob("*.py"), ROOT / "tasks.py"]
               if real in path.read_text(encoding="utf-8")]
    assert not written, f"the repository's address is written in {written}: read [project.urls] instead"
