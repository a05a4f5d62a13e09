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
        note = _escape(derivation.note)
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
        name = f"line {step.line}" if step.line is not None else str(number)
        heading = f"{name}. {step.rule}" if step.rule else name
        if step.unreadable:  # the author's text as written, and the reason once
            out += [f"**{heading}** — {mark(step.verdict, reason=False)}: {_escape(step.unreadable)}", ""]
            out += ["```latex", step.source, "```", ""]
            continue
        out += [f"**{heading}** — {mark(step.verdict)}", ""]
        if step.why:
            out += [step.why, ""]
        out += [f"$$ {latex(step.equation)} $$", ""]
    result = derivation.result
    if derivation.result_is_added:  # the last claim is the result, already shown
        out += ["## Result", "", f"{summary(derivation)}.", ""]
    else:
        out += [
            "## Result",
            "",
            f"$$ {latex(result.equation)} $$",
            "",
            f"{mark(result.verdict)}. {summary(derivation)}.",
            "",
        ]
    return "\n".join(out)


def _escape(text: str) -> str:
    """Prose safe in Markdown: the characters that would start emphasis, code or a link."""
    return "".join(f"\\{c}" if c in "*_`[]<>\\$" else c for c in text)
