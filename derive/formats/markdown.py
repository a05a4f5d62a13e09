"""Markdown with ``$$…$$`` math blocks, which GitHub, Jupyter, MathJax and KaTeX render."""

from __future__ import annotations

from collections.abc import Sequence

import sympy as sp

from ..model import Definition, Derivation, Status
from ..oneline import split_title
from ..printing import LogNotation, latex
from .marks import mark, summary

_MARKDOWN = "*_`[]<>\\$"


def escape(text: str) -> str:
    """``text`` with the characters Markdown would read as markup escaped (``x**2`` stays literal)."""
    return "".join(f"\\{c}" if c in _MARKDOWN else c for c in text)


def render_markdown(derivation: Derivation, *, log_notation: LogNotation = "ln") -> str:
    """A heading, the definitions, each step as a math block under its rule and verdict.

    ``log_notation`` is ``"ln"`` (the default) or ``"log"``: how the natural logarithm is written.
    """

    def tex(expr: sp.Basic) -> str:
        return latex(expr, log_notation=log_notation)

    out = []
    if derivation.reading is not None:
        out += [f"Reading: ${tex(derivation.reading)}$", ""]
        out += [f"Note: {escape(derivation.note)}", ""] if derivation.note else []
    words, subject = split_title(derivation.title, derivation.subject)
    heading = escape(words) if subject is None else f"{escape(words)} ${tex(subject)}$"
    out += [f"# {heading}", "", f"Variable: ${tex(derivation.variable)}$", ""]
    if derivation.definitions:
        out += ["## Definitions", ""]
    for definition in derivation.definitions:
        if definition.why:
            out += [f"Let {escape(definition.why)}:", ""]
        out += [f"$$ {tex(definition.lhs)} := {tex(definition.rhs)} $$", ""]
    out += ["## Steps", ""]
    for number, step in enumerate(derivation.steps, 1):
        name = f"line {step.line}" if step.line is not None else str(number)
        heading = f"{name}. {escape(step.rule)}" if step.rule else name
        if step.unreadable:  # the author's text as written, and the reason once
            out += [f"**{heading}** — {mark(step.verdict, reason=False)}: {escape(step.unreadable)}", ""]
            out += ["```latex", step.source, "```", ""]
            continue
        out += [f"**{heading}** — {mark(step.verdict)}", ""]
        if step.verdict.status == Status.FAILED:  # the counterexample, which the mark leaves out
            out += [f"*{escape(step.verdict.describe())}*", ""]
        if step.why:
            out += [escape(step.why), ""]
        out += [f"$$ {tex(step.equation)} $$", ""]
    result = derivation.result
    if derivation.result_is_added:  # the last claim is the result, already shown
        out += ["## Result", "", f"{summary(derivation)}.", ""]
    else:
        out += [
            "## Result",
            "",
            f"$$ {tex(result.equation)} $$",
            "",
            f"{mark(result.verdict)}. {summary(derivation)}.",
            "",
        ]
    return "\n".join(out)


def write(derivation: Derivation, *, standalone: bool = False, log_notation: LogNotation = "ln") -> str:
    """The registry's writer: :func:`render_markdown` (Markdown is always a whole document)."""
    return render_markdown(derivation, log_notation=log_notation)


def read(text: str, definitions: Sequence[Definition] = (), name: str = "") -> Derivation:
    """The claims of a Markdown document (``$…$``, ``$$…$$``, ``\\(…\\)``), not yet verified."""
    from ..read.documents import read_document

    return read_document(text, "markdown", definitions, name)
