"""Write every launch link of the course from the one public address in pyproject.toml ([project.urls]).

    python build_tools/links.py                    # README.md and every notebooks/*.ipynb, in place
    python build_tools/links.py --notebooks DIR    # the notebooks of another folder (e.g. a copy)
    python build_tools/links.py --no-notebooks     # README.md only (--no-readme: the notebooks only)
    python build_tools/links.py --check            # change nothing; exit 1 if a link is missing or stale

`python3 tasks.py links` runs it. Idempotent: a second run changes nothing. What it writes:

- README.md: the Binder badge (it opens the start page) and, in the lesson table, a "Launch" column with each
  lesson's own Binder link;
- each notebook's first Markdown cell: one line right after the H1,
  `<!-- launch --><p><a href="LINK">Open this lesson on Binder</a></p><!-- /launch -->`, where LINK opens JupyterLab at
  that lesson (an HTML link: after an opening HTML comment, Markdown link syntax would not render).

Only Markdown changes, so the notebooks' execution records (code cells) stay valid. Edit `Repository` and
`Binder` in pyproject.toml's [project.urls], run this, and every link follows.
"""

from __future__ import annotations

import argparse
import re
import sys
import tomllib
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
BADGE_IMAGE = "https://mybinder.org/badge_logo.svg"
START = "00_start_here.ipynb"
LAUNCH_RE = re.compile(r"<!-- launch -->.*?<!-- /launch -->")
# A lesson row of the README's table: | NN | [Title](notebooks/NN_name.ipynb): what it covers | (launch) |
ROW_RE = re.compile(r"^\| (\d\d) \| (\[[^\]]+\]\(notebooks/(\d\d_\w+\.ipynb)\)[^|]*?) \|(?: [^|]* \|)?$")


def project_urls(pyproject: Path = ROOT / "pyproject.toml") -> dict[str, str]:
    """[project.urls] of pyproject.toml; needs `Repository` and `Binder` (the Binder base, branch included)."""
    with pyproject.open("rb") as handle:
        urls = tomllib.load(handle).get("project", {}).get("urls", {})
    for key in ("Repository", "Binder"):
        if not urls.get(key, "").startswith("https://"):
            raise ValueError(f"pyproject.toml [project.urls] needs {key} = \"https://...\"; it has {urls.get(key)!r}")
    return urls


def launch_url(notebook_name: str, urls: dict[str, str] | None = None) -> str:
    """The Binder link that opens JupyterLab at notebooks/<notebook_name>."""
    urls = project_urls() if urls is None else urls
    return f"{urls['Binder'].rstrip('/')}?urlpath=lab/tree/notebooks/{notebook_name}"


def launch_line(notebook_name: str, urls: dict[str, str] | None = None) -> str:
    """The one line links.py puts after a lesson's H1."""
    # An HTML link, not Markdown: a line that opens with an HTML comment is an HTML block in CommonMark
    # (JupyterLab, nbconvert, GitHub), where Markdown link syntax would show as raw text.
    return f'<!-- launch --><p><a href="{launch_url(notebook_name, urls)}">Open this lesson on Binder</a></p><!-- /launch -->'


def with_launch_line(source: str, notebook_name: str, urls: dict[str, str] | None = None) -> str:
    """A first cell's Markdown with exactly one launch line, right after its H1 (then a blank line)."""
    lines = source.split("\n")
    kept: list[str] = []
    skip_blank = False
    for line in lines:
        if LAUNCH_RE.search(line):
            skip_blank = True  # drop an old launch line and the blank line that followed it
            continue
        if skip_blank and not line.strip():
            skip_blank = False
            continue
        skip_blank = False
        kept.append(line)
    h1 = next((i for i, line in enumerate(kept) if re.match(r"^# \S", line)), None)
    if h1 is None:
        raise ValueError(f"{notebook_name}: the first cell has no '# Title' line to put the launch link under")
    new = [*kept[: h1 + 1], "", launch_line(notebook_name, urls)]
    rest = kept[h1 + 1 :]
    if rest and rest[0].strip():
        new.append("")
    return "\n".join(new + rest)


def update_notebook(path: Path, urls: dict[str, str], write: bool = True) -> bool:
    """Put the launch line into one notebook's first cell; True if it changed (or would change)."""
    notebook = nbformat.read(path, as_version=4)
    first = notebook.cells[0] if notebook.cells else None
    if first is None or first.cell_type != "markdown":
        raise ValueError(f"{path.name}: the first cell must be Markdown with the lesson's '# Title'")
    new = with_launch_line(first.source, path.name, urls)
    if new == first.source:
        return False
    if write:
        first.source = new
        nbformat.write(notebook, path)
    return True


def readme_text(text: str, urls: dict[str, str]) -> str:
    """README.md with the badge and the lesson table's Launch column generated from urls."""
    badge = f"[![Launch on Binder]({BADGE_IMAGE})]({launch_url(START, urls)})"
    text = re.sub(r"^\[!\[Launch on Binder\]\([^)]*\)\]\([^)]*\)$", lambda m: badge, text, count=1, flags=re.M)
    out = []
    for line in text.split("\n"):
        if re.fullmatch(r"\| # \| Lesson \|(?: Launch \|)?", line):
            line = "| # | Lesson | Launch |"
        elif re.fullmatch(r"\|---\|---\|(?:---\|)?", line) and out and out[-1] == "| # | Lesson | Launch |":
            line = "|---|---|---|"
        else:
            match = ROW_RE.match(line)
            if match:
                number, lesson, name = match.groups()
                line = f"| {number} | {lesson} | [Open {number} on Binder]({launch_url(name, urls)}) |"
        out.append(line)
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--notebooks", type=Path, default=ROOT / "notebooks", help="folder of NN_*.ipynb")
    parser.add_argument("--readme", type=Path, default=ROOT / "README.md")
    parser.add_argument("--no-readme", action="store_true", help="leave README.md alone")
    parser.add_argument("--no-notebooks", action="store_true", help="leave the notebooks alone")
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 if anything is stale")
    args = parser.parse_args(argv)
    urls = project_urls()
    stale = []
    for path in [] if args.no_notebooks else sorted(args.notebooks.glob("[0-9][0-9]_*.ipynb")):
        if update_notebook(path, urls, write=not args.check):
            stale.append(str(path))
    if not args.no_readme:
        old = args.readme.read_text(encoding="utf-8")
        new = readme_text(old, urls)
        if new != old:
            stale.append(str(args.readme))
            if not args.check:
                args.readme.write_text(new, encoding="utf-8")
    verb = "stale" if args.check else "updated"
    print(f"[links] {verb}: {', '.join(stale) if stale else 'nothing (every link is current)'}")
    print(f"[links] repository: {urls['Repository']}; Binder: {urls['Binder']}")
    return 1 if (args.check and stale) else 0


if __name__ == "__main__":
    sys.exit(main())
