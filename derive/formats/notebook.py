"""Jupyter notebooks (``.ipynb``), read only: derive checks the math in their Markdown cells."""

from __future__ import annotations

import json
from collections.abc import Sequence

from ..errors import DeriveError
from ..model import Definition, Derivation


def notebook_markdown(text: str) -> str:
    """The Markdown cells of a Jupyter notebook, each line at the line where it stands in the
    ``.ipynb`` file (so reported lines point into the file), everything else blank."""
    try:
        notebook = json.loads(text)
    except json.JSONDecodeError as exc:
        raise DeriveError(f"not a notebook: {exc.msg} at line {exc.lineno}") from None
    cells = notebook.get("cells") if isinstance(notebook, dict) else None
    if not isinstance(cells, list):
        raise DeriveError("not a notebook: no list of cells")
    physical = text.split("\n")
    lines = [""] * len(physical)
    cursor = 0
    for cell in cells:
        if not isinstance(cell, dict) or cell.get("cell_type") != "markdown":
            continue
        source = cell.get("source", [])
        parts = source.splitlines(keepends=True) if isinstance(source, str) else source
        for part in parts:
            if not isinstance(part, str):
                continue
            encoded = json.dumps(part, ensure_ascii=False)
            found = next((n for n in range(cursor, len(physical)) if encoded in physical[n]), None)
            if found is None:  # a notebook written on one line: keep the order, lose the lines
                lines.append(part.rstrip("\n"))
                continue
            lines[found] = part.rstrip("\n")
            cursor = found + 1
        lines.append("")  # a cell ends a paragraph
    return "\n".join(lines)


def read(text: str, definitions: Sequence[Definition] = (), name: str = "") -> Derivation:
    """The claims in a notebook's Markdown cells, not yet verified; lines are the file's."""
    from ..read.documents import read_document

    return read_document(notebook_markdown(text), "markdown", definitions, name)
