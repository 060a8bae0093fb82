"""Launch links come from pyproject.toml, and every relative link of the collection resolves.

If a lesson's launch link is missing or stale, run `python3 tasks.py links` (build_tools/links.py).
"""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from urllib.parse import unquote

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
_spec = importlib.util.spec_from_file_location("course_links", ROOT / "build_tools" / "links.py")
links = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(links)

# [text](target) and ![alt](target), target without spaces; an optional "title" after it is ignored.
MD_LINK = re.compile(r"!?\[(?:[^\[\]]|\[[^\]]*\])*\]\(<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\)")
HTML_LINK = re.compile(r"""(?:href|src)=["']([^"']+)["']""")


def markdown_links(text: str) -> list[str]:
    text = re.sub(r"```.*?```", "", text, flags=re.S)  # code blocks hold no links
    text = re.sub(r"`[^`\n]*`", "", text)
    return MD_LINK.findall(text) + HTML_LINK.findall(text)


def rendered_text(heading: str) -> str:
    """A Markdown heading's text as a browser renders it (code, emphasis and link syntax dropped)."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", heading)
    text = re.sub(r"<[^>]+>", "", text)
    return re.sub(r"[`*_]", "", text).strip()


def notebook_anchors(path: Path) -> set[str]:
    """JupyterLab's (and nbconvert's) heading anchors: the rendered heading text, spaces replaced by '-'."""
    anchors = set()
    for cell in nbformat.read(path, as_version=4).cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                match = re.match(r"^#{1,6}\s+(.*?)\s*#*\s*$", line)
                if match:
                    anchors.add(rendered_text(match.group(1)).replace(" ", "-"))
    return anchors


def markdown_anchors(path: Path) -> set[str]:
    """GitHub's heading anchors in a Markdown file: lower case, punctuation dropped, spaces as '-'."""
    anchors = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        match = re.match(r"^#{1,6}\s+(.*?)\s*$", line)
        if match:
            text = rendered_text(match.group(1)).lower()
            anchors.add(re.sub(r"[^\w\- ]", "", text).replace(" ", "-"))
    return anchors


def broken(target: str, source: Path) -> str | None:
    """Why a relative link from `source` does not resolve, or None if it does (remote links are skipped)."""
    if re.match(r"^[a-z][a-z0-9+.-]*:", target, re.I):  # http:, https:, mailto:, data:
        return None
    file_part, _, anchor = target.partition("#")
    path = source if not file_part else (source.parent / unquote(file_part)).resolve()
    if not path.exists():
        return f"{target}: no file {path}"
    if anchor:
        if path.suffix == ".ipynb":
            anchors = notebook_anchors(path)
        elif path.suffix == ".md":
            anchors = markdown_anchors(path)
        else:
            return None
        if unquote(anchor) not in anchors:
            return f"{target}: {path.name} has no heading with anchor #{anchor}"
    return None


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_lesson_carries_its_own_launch_link(path):
    first = nbformat.read(path, as_version=4).cells[0]
    urls = links.project_urls()
    wanted = links.launch_line(path.name, urls)
    lines = first.source.splitlines()
    assert wanted in lines, f"{path.name}: no (or a stale) launch link; run `python3 tasks.py links`"
    assert sum(bool(links.LAUNCH_RE.search(line)) for line in lines) == 1, f"{path.name}: more than one launch line"
    h1 = next(i for i, line in enumerate(lines) if line.startswith("# "))
    assert lines[h1 + 2] == wanted, f"{path.name}: the launch link must follow the H1 (after one blank line)"
    assert links.with_launch_line(first.source, path.name, urls) == first.source, "links.py would change it"
    assert f"notebooks/{path.name}" in links.launch_url(path.name, urls)


def test_readme_badge_and_table_match_pyproject():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    urls = links.project_urls()
    assert links.readme_text(text, urls) == text, "README links are stale; run `python3 tasks.py links`"
    assert f"]({links.launch_url(links.START, urls)})" in text.split("\n", 5)[2], "badge must open the start page"
    for path in NOTEBOOKS:
        assert f"({links.launch_url(path.name, urls)})" in text, f"README: no launch link for {path.name}"


def test_pyproject_has_the_public_address():
    urls = links.project_urls()
    org_repo = urls["Repository"].removeprefix("https://github.com/")
    assert urls["Binder"].startswith(f"https://mybinder.org/v2/gh/{org_repo}/"), "Binder must launch Repository"


def test_launch_line_is_idempotent_and_keeps_the_h1():
    source = "# Title\n\nFirst paragraph."
    once = links.with_launch_line(source, "01_x.ipynb")
    assert once.splitlines()[0] == "# Title" and once.count("<!-- launch -->") == 1
    assert links.with_launch_line(once, "01_x.ipynb") == once
    other = {"Repository": "https://github.com/o/r", "Binder": "https://mybinder.org/v2/gh/o/r/main"}
    moved = links.with_launch_line(once, "01_x.ipynb", other)
    assert "gh/o/r/main?urlpath=lab/tree/notebooks/01_x.ipynb" in moved and moved.count("<!-- launch -->") == 1


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_relative_links_in_notebook_resolve(path):
    problems = []
    for cell in nbformat.read(path, as_version=4).cells:
        if cell.cell_type == "markdown":
            problems += [why for target in markdown_links(cell.source) if (why := broken(target, path))]
    assert not problems, f"{path.name}: " + "; ".join(problems)


@pytest.mark.parametrize("name", ["README.md", "CONTRIBUTING.md", "data/README.md"])
def test_relative_links_in_markdown_files_resolve(name):
    path = ROOT / name
    problems = [why for target in markdown_links(path.read_text(encoding="utf-8")) if (why := broken(target, path))]
    assert not problems, f"{name}: " + "; ".join(problems)


def test_link_checker_catches_broken_links(tmp_path):
    (tmp_path / "01_a.ipynb").write_text(nbformat.writes(nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("# A\n\n## Where the penalty lives: `model.losses`"),
    ])))
    source = tmp_path / "02_b.ipynb"
    assert broken("01_a.ipynb#Where-the-penalty-lives:-model.losses", source) is None
    assert broken("01_a.ipynb#Nowhere", source) is not None
    assert broken("03_missing.ipynb", source) is not None
    assert broken("https://example.org/x", source) is None


def _stale_copy(tmp_path: Path) -> tuple[Path, Path]:
    """A copy of two lessons and the README, current to begin with."""
    folder = tmp_path / "notebooks"
    folder.mkdir()
    for path in NOTEBOOKS[:2]:
        (folder / path.name).write_bytes(path.read_bytes())
    readme = tmp_path / "README.md"
    readme.write_bytes((ROOT / "README.md").read_bytes())
    return folder, readme


def test_links_check_fails_on_a_stale_lesson_link_and_changes_nothing(tmp_path, capsys):
    """`links --check` (what `python3 tasks.py links --check` runs): exit 0 while current; exit 1, naming the
    notebook, once its launch link points at an old address; and the files are left as they were."""
    import subprocess
    import sys

    folder, readme = _stale_copy(tmp_path)
    args = ["--notebooks", str(folder), "--readme", str(readme), "--check"]
    assert links.main(args) == 0, capsys.readouterr().out
    lesson = folder / NOTEBOOKS[1].name
    current = links.launch_url(NOTEBOOKS[1].name)
    text = lesson.read_text(encoding="utf-8")
    assert current in text
    lesson.write_text(text.replace(current, "https://mybinder.org/v2/gh/someone/old-fork/HEAD"), encoding="utf-8")
    before = lesson.read_bytes()
    capsys.readouterr()
    assert links.main(args) == 1
    assert f"stale: {lesson}" in capsys.readouterr().out
    assert lesson.read_bytes() == before, "--check must change nothing"
    run = subprocess.run([sys.executable, str(ROOT / "build_tools" / "links.py"), *args], capture_output=True, text=True,
                         timeout=60)
    assert run.returncode == 1 and lesson.name in run.stdout


def test_links_check_fails_on_a_stale_readme_badge(tmp_path, capsys):
    folder, readme = _stale_copy(tmp_path)
    text = readme.read_text(encoding="utf-8")
    badge = links.launch_url(links.START)
    assert badge in text
    readme.write_text(text.replace(badge, "https://mybinder.org/v2/gh/someone/old-fork/HEAD"), encoding="utf-8")
    assert links.main(["--notebooks", str(folder), "--readme", str(readme), "--check"]) == 1
    assert f"stale: {readme}" in capsys.readouterr().out
