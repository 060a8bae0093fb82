"""A small Sphinx extension for the course book: each figure's alt text from its output's metadata.

The lessons store a figure's alt text in the output's metadata (`utils.plots.show(fig, alt=...)` writes
`{"image/png": {"alt": "..."}}`). myst-nb 1.4 reads only `width` and `height` from there and leaves `<img alt>`
as the file name, so this wraps its image renderer to copy `alt` onto the image node. An image output without
alt text stops the build (a warning, and the book builds with -W), so a figure without a description cannot ship.
"""

from __future__ import annotations

from typing import Any

from myst_nb.core.render import NbElementRenderer


def _render_image_with_alt(original: Any) -> Any:
    def render_image(self: NbElementRenderer, data: Any) -> list[Any]:
        nodes = original(self, data)
        alt = (data.output_metadata or {}).get(data.mime_type, {}).get("alt")
        if isinstance(alt, str) and alt.strip():
            for node in nodes:
                node["alt"] = " ".join(alt.split())
        else:
            self.logger.warning(
                f"an image output ({data.mime_type}) has no alt text in its metadata: draw it with "
                "utils.plots.show(fig, alt=...)", subtype="image", line=data.line,
            )
        return nodes

    render_image.__wrapped__ = original  # type: ignore[attr-defined]
    return render_image


def setup(app: Any) -> dict[str, Any]:
    if not hasattr(NbElementRenderer.render_image, "__wrapped__"):
        NbElementRenderer.render_image = _render_image_with_alt(NbElementRenderer.render_image)
    app.connect("doctree-read", _readable_section_ids, priority=100)  # before the table-of-contents collector
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}


def _readable_section_ids(app: Any, doctree: Any) -> None:
    """A repeated heading ("The claim, checked") gets docutils' id1, id2...: make it the-claim-checked-2, -3."""
    import re

    from docutils import nodes

    seen: dict[str, int] = {}
    for section in doctree.findall(nodes.section):
        ids = section["ids"]
        if not ids:
            continue
        if re.fullmatch(r"id\d+", ids[0]) and section["names"] or re.fullmatch(r"id\d+", ids[0]) and section.children:
            title = section.next_node(nodes.title)
            base = nodes.make_id(title.astext()) if title is not None else ids[0]
            seen[base] = seen.get(base, 1) + 1
            new = f"{base}-{seen[base]}"
            while new in doctree.ids:
                seen[base] += 1
                new = f"{base}-{seen[base]}"
            doctree.ids[new] = section
            ids.insert(0, new)
        else:
            seen.setdefault(ids[0], 1)
