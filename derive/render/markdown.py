"""Markdown with ``$$…$$`` math blocks, which GitHub, Jupyter, MathJax and KaTeX render."""

from __future__ import annotations

from ..model import Derivation
from ..printing import latex
from .marks import mark, summary


def render_markdown(derivation: Derivation) -> str:
    """A heading, the definitions, each step as a math block under its rule and verdict."""
    out = []
    if derivation.reading is not None:
        out += [f"Reading: ${latex(derivation.reading)}$", ""]
        note = "".join(f"\\{c}" if c in "*_`[]<>\\" else c for c in derivation.note)
        out += [f"Note: {note}", ""] if derivation.note else []
    out += [
        f"# {derivation.title}",
        "",
        f"Variable: ${latex(derivation.variable)}$",
        "",
        "## Definitions",
        "",
    ]
    for definition in derivation.definitions:
        if definition.why:
            out += [f"Let {definition.why}:", ""]
        out += [f"$$ {latex(definition.lhs)} := {latex(definition.rhs)} $$", ""]
    out += ["## Steps", ""]
    for number, step in enumerate(derivation.steps, 1):
        out += [f"**{number}. {step.rule}** — {mark(step.verdict)}", ""]
        if step.why:
            out += [step.why, ""]
        out += [f"$$ {latex(step.equation)} $$", ""]
    result = derivation.result
    out += [
        "## Result",
        "",
        f"$$ {latex(result.equation)} $$",
        "",
        f"{mark(result.verdict)}. {summary(derivation)}.",
        "",
    ]
    return "\n".join(out)
