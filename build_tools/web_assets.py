"""Local copies of the JavaScript the slides and the site load, and nbconvert settings that use them (no CDN).

The packages are pinned in build_tools/web/package.json and package-lock.json (npm registry): reveal.js 5.2.1,
MathJax 2.7.9 (the version nbconvert's templates configure; the slides), MathJax 3.2.2 (npm alias `mathjax3`; the book), require.js and jQuery (nbconvert's reveal template
loads reveal.js through require.js). `npm ci` installs them once into build/web/ (ignored by git); each build then
copies what it needs next to its HTML, so the output folder works from a file:// URL with no network.
"""

from __future__ import annotations

import argparse
import hashlib
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
PINS = ROOT / "build_tools" / "web"
TEMPLATES = ROOT / "build_tools" / "templates"
BUILD = ROOT / "build" / "web"
MODULES = BUILD / "node_modules"
# What of each package a page loads (relative to node_modules/<package>).
MATHJAX_FILES = (
    "MathJax.js", "config/TeX-AMS_CHTML-full.js", "extensions", "jax/input/TeX", "jax/output/CommonHTML",
    "jax/element", "fonts/HTML-CSS/TeX/woff", "localization/en",
)
# MathJax 3 for the book (Sphinx's mathjax extension expects version 3): one file and what it loads on demand.
MATHJAX3_FILES = tuple(f"es5/{part}" for part in (
    "tex-chtml.js", "output/chtml/fonts/woff-v2", "input/tex/extensions", "ui/menu.js", "a11y"))
REVEAL_FILES = ("dist", "plugin/notes")
MATHJAX_QUERY = "MathJax.js?config=TeX-AMS_CHTML-full"
REMOTE_IN_TAG = re.compile(
    r"<(?:script|link|img|iframe|source|video|audio)\b[^>]*?\b(?:src|href)\s*=\s*[\"']?\s*(?:https?:)?//", re.I
)
REMOTE_IMPORT = re.compile(
    r"""\bimport\b[^;'"\n]*['"](?:https?:)?//|@import\s+(?:url\()?\s*['"]?(?:https?:)?//|url\(\s*['"]?(?:https?:)?//""", re.I
)


def ensure_packages() -> Path:
    """node_modules with the pinned packages (npm ci into build/web/ when the lock changed); its path."""
    lock = (PINS / "package-lock.json").read_bytes()
    stamp = BUILD / ".lock-sha256"
    wanted = hashlib.sha256(lock).hexdigest()
    if stamp.exists() and stamp.read_text() == wanted and (MODULES / "reveal.js" / "dist" / "reveal.js").exists():
        return MODULES
    npm = shutil.which("npm")
    if npm is None:
        raise SystemExit("[web] npm is needed once, to install reveal.js and MathJax from the npm registry into "
                         "build/web/ (Debian: apt-get install npm)")
    BUILD.mkdir(parents=True, exist_ok=True)
    for name in ("package.json", "package-lock.json"):
        shutil.copy2(PINS / name, BUILD / name)
    print("[web] npm ci (reveal.js, MathJax, require.js, jQuery from build_tools/web/package-lock.json)", flush=True)
    subprocess.run([npm, "ci", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error"], cwd=BUILD,
                   check=True)
    stamp.write_text(wanted)
    return MODULES


def copy_tree_parts(package: Path, parts: tuple[str, ...], dest: Path) -> None:
    for part in parts:
        source, target = package / part, dest / part
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, target, dirs_exist_ok=True)
        else:
            shutil.copy2(source, target)


def install_assets(out: Path, slides: bool) -> dict[str, str]:
    """Copy the assets into out/_static/; return the URLs (relative to out/) to give nbconvert."""
    modules = ensure_packages()
    static = out / "_static"
    copy_tree_parts(modules / "mathjax", MATHJAX_FILES, static / "mathjax")
    urls = {"mathjax": f"_static/mathjax/{MATHJAX_QUERY}"}
    if slides:
        copy_tree_parts(modules / "reveal.js", REVEAL_FILES, static / "reveal.js")
        shutil.copy2(modules / "requirejs" / "require.js", static / "require.js")
        shutil.copy2(modules / "jquery" / "dist" / "jquery.min.js", static / "jquery.min.js")
        urls.update(reveal="_static/reveal.js", require="_static/require.js", jquery="_static/jquery.min.js")
    return urls


def remote_references(html: str) -> list[str]:
    """Remote URLs a page would load (script/link/img... src or href, JS/CSS imports); plain <a> links are fine."""
    found = [m.group(0)[-120:] for m in REMOTE_IN_TAG.finditer(html)]
    return found + [m.group(0) for m in REMOTE_IMPORT.finditer(html)]


def local_references(html: str) -> list[str]:
    """Relative URLs of scripts, style sheets and images (not data: URLs), query and anchor dropped."""
    refs = re.findall(r"<(?:script|link|img)\b[^>]*?\b(?:src|href)\s*=\s*[\"']([^\"']+)[\"']", html, re.I)
    # reveal.js and its plugin are loaded by require([...]) in the page's last script
    refs += re.findall(r"[\"'](_static/[^\"'?#]+)[\"']", html)
    return sorted({r.split("?")[0].split("#")[0] for r in refs if not re.match(r"^(data:|[a-z]+:|//)", r, re.I)})


def first_heading(notebook: nbformat.NotebookNode) -> str:
    """The notebook's title: its H1, Markdown emphasis and code marks dropped."""
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("# "):
                    return re.sub(r"[`*_]", "", line[2:]).strip()
    return "Untitled"


def strip_for_export(notebook: nbformat.NotebookNode) -> None:
    """Drop what would make nbconvert load remote code (saved widget state)."""
    notebook.metadata.pop("widgets", None)


def command_line(build: Callable[[list[Path], Path], object], label: str, description: str,
                 argv: list[str] | None = None) -> int:
    """The shared command line of ``slides.py`` and ``site.py``: notebooks (default: every lesson) and ``--out``."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("notebooks", nargs="*", type=Path, help="default: notebooks/[0-9][0-9]_*.ipynb")
    parser.add_argument("--out", type=Path, default=ROOT / "outputs" / label)
    args = parser.parse_args(argv)
    paths = args.notebooks or sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    build(paths, args.out)
    print(f"[{label}] open {args.out / 'index.html'}", flush=True)
    return 0
