"""Renderers: functions of a :class:`~derive.model.Derivation` that return text.

This module only names the formats (so the CLI can check a request without importing SymPy);
each renderer lives in its own module and is imported when used.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import DeriveError

if TYPE_CHECKING:
    from ..model import Derivation

FORMATS = ("text", "latex", "markdown", "json")
LOG_NOTATIONS = ("ln", "log")  # the natural logarithm in LaTeX and Markdown: \ln (default) or \log
EXTENSIONS = {".txt": "text", ".tex": "latex", ".md": "markdown", ".markdown": "markdown", ".json": "json"}


def format_for(path: str | Path) -> str:
    """The output format implied by a file name's extension."""
    suffix = Path(path).suffix.lower()
    if suffix not in EXTENSIONS:
        known = ", ".join(sorted(EXTENSIONS))
        raise DeriveError(f"cannot tell the format from {str(path)!r}; use --format or one of {known}")
    return EXTENSIONS[suffix]


def render(derivation: Derivation, fmt: str, *, standalone: bool = False, log_notation: str = "ln") -> str:
    """``derivation`` as text in format ``fmt`` (one of :data:`FORMATS`); ``log_notation`` (``"ln"``
    or ``"log"``) is how LaTeX and Markdown write the natural logarithm."""
    if log_notation not in LOG_NOTATIONS:
        raise DeriveError(f"unknown log notation {log_notation!r}; choose one of {', '.join(LOG_NOTATIONS)}")
    if fmt == "text":
        from .text import render_text

        return render_text(derivation)
    if fmt == "latex":
        from .latex import render_latex

        return render_latex(derivation, standalone=standalone, log_notation=log_notation)  # type: ignore[arg-type]
    if fmt == "markdown":
        from .markdown import render_markdown

        return render_markdown(derivation, log_notation=log_notation)  # type: ignore[arg-type]
    if fmt == "json":
        return derivation.to_json()
    raise DeriveError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
