"""Slides of the core path and the static site: built offline, no remote URL, navigation and alt text kept.

Builds into tmp_path from notebooks 00 and 01 (about 10 s). The first run on a machine installs the pinned
reveal.js and MathJax into build/web/ with `npm ci` (build_tools/web/package-lock.json); without npm and without
that folder the tests are skipped.
"""

from __future__ import annotations

import importlib.util
import shutil
import sys
from pathlib import Path

import nbformat
import pytest
from bs4 import BeautifulSoup  # nbconvert's own dependency (it re-serializes the HTML with it)

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "build_tools"))
import links  # noqa: E402
import slides  # noqa: E402
import web_assets  # noqa: E402

# build_tools/site.py, loaded by path under another name: `import site` is the standard library's module.
_spec = importlib.util.spec_from_file_location("course_site", ROOT / "build_tools" / "site.py")
course_site = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(course_site)

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
    """Two tiny notebooks: a linked pair, one figure with alt text, a 'Going further' section."""
    md, code = nbformat.v4.new_markdown_cell, nbformat.v4.new_code_cell
    figure = code("show()", outputs=[nbformat.v4.new_output(
        "display_data", data={"image/png": PNG, "text/plain": "<Figure>"},
        metadata={"image/png": {"alt": ALT}},
    )])
    first = nbformat.v4.new_notebook(cells=[
        md(links.with_launch_line("# Lesson 10: First\n\nSee [the next lesson](11_second.ipynb#The-idea).", "10_first.ipynb")),
        md("## Setup"), code("x = 1"), md("### A detail"), figure,
        md("## Going further\n\nNot on the slides."), code("y = 2"),
    ])
    second = nbformat.v4.new_notebook(cells=[md("# Lesson 11: Second\n\nBack to [lesson 10](10_first.ipynb)."),
                                             md("## The idea\n\nMore.")])
    paths = [tmp_path / "10_first.ipynb", tmp_path / "11_second.ipynb"]
    for path, notebook in zip(paths, (first, second), strict=True):
        nbformat.write(notebook, path)
    return paths


def test_core_path_stops_at_going_further_and_headings_set_breaks(tmp_path):
    notebook = nbformat.read(synthetic(tmp_path)[0], as_version=4)
    deck = slides.set_slide_breaks(slides.core_path(notebook))
    kinds = [cell.metadata["slideshow"]["slide_type"] for cell in deck.cells]
    assert kinds == ["slide", "slide", "-", "subslide", "-"]  # H1 cell, ## Setup, code, ### A detail, figure
    assert len(notebook.cells) == 7 and "slideshow" not in notebook.cells[0].metadata  # the original is untouched
    whole = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# T"), nbformat.v4.new_code_cell("1")])
    assert len(slides.core_path(whole).cells) == 2


@needs_assets
def test_slides_are_offline(tmp_path):
    out = tmp_path / "slides"
    pages = slides.build([*LESSONS, *synthetic(tmp_path)], out)
    assert [p.name for p in pages] == ["00_start_here.slides.html", "01_bias_variance_tradeoff.slides.html",
                                       "10_first.slides.html", "11_second.slides.html"]
    for page in [*pages, out / "index.html"]:
        assert_offline(page)
    text = pages[0].read_text(encoding="utf-8")
    assert "_static/reveal.js/dist/reveal.js" in text and (out / "_static/reveal.js/dist/reveal.js").exists()
    assert (out / "_static/reveal.js/plugin/notes/notes.js").exists()
    small = pages[2].read_text(encoding="utf-8")
    assert "Not on the slides" not in small and "A detail" in small
    assert [img.get("alt") for img in BeautifulSoup(small, "html.parser").find_all("img")] == [ALT]


@needs_assets
def test_site_is_offline_linked_and_keeps_alt_text(tmp_path):
    out = tmp_path / "site"
    paths = [*LESSONS, *synthetic(tmp_path)]
    pages = course_site.build(paths, out)
    index = BeautifulSoup((out / "index.html").read_text(encoding="utf-8"), "html.parser")
    hrefs = [li.find("a")["href"] for li in index.find_all("li")]
    assert hrefs == [f"{p.stem}.html" for p in paths], "the index lists every page in course order"
    for page in [*pages, out / "index.html"]:
        assert_offline(page)
    for number, page in enumerate(pages):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        nav = [(a["rel"][0], a["href"]) for a in soup.select("nav.course-nav a[rel]")]
        wanted = ([("prev", pages[number - 1].name)] if number else []) + (
            [("next", pages[number + 1].name)] if number + 1 < len(pages) else [])
        assert sorted(set(nav)) == sorted(wanted), f"{page.name}: previous/next links"
        assert all((out / href).exists() for _, href in nav)
        assert soup.select('nav.course-nav a[href="index.html"]'), f"{page.name}: no link to the index"
    first = BeautifulSoup((out / "10_first.html").read_text(encoding="utf-8"), "html.parser")
    assert [img.get("alt") for img in first.find_all("img")] == [ALT]
    assert first.select('a[href="11_second.html#The-idea"]')
    launch = first.select(f'a[href="{links.launch_url("10_first.ipynb")}"]')
    assert [a.get_text() for a in launch] == ["Open this lesson on Binder"], "the launch line renders as a link"
    assert "index.html" in [a["href"] for a in first.select("nav.course-nav a")]
    assert BeautifulSoup((out / "11_second.html").read_text(encoding="utf-8"), "html.parser").find(id="The-idea")
    assert any("_static/mathjax/MathJax.js" in s.get("src", "") for s in first.find_all("script"))


def test_site_link_rewriting():
    repo = "https://github.com/o/r"
    text = "[a](01_x.ipynb#Top) [b](../data/README.md) [c](#Here) [d](https://e.org) [e](09_missing.ipynb)"
    assert course_site.rewrite_links(text, {"01_x"}, repo) == (
        "[a](01_x.html#Top) [b](https://github.com/o/r/blob/main/data/README.md) [c](#Here) [d](https://e.org) "
        "[e](https://github.com/o/r/blob/main/notebooks/09_missing.ipynb)"
    )
