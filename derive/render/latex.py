"""LaTeX: the steps in an ``align*`` environment, each annotated with its rule.

The verdict of each step is written as a LaTeX comment at the end of its line (so importers
and the PDF are not cluttered); a standalone document also lists the verdicts in its text.
"""

from __future__ import annotations

from ..model import Derivation, Step
from ..printing import latex
from .marks import continues, shown_steps, summary

_SPECIAL = {
    "\\": r"\textbackslash{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "{": r"\{",
    "}": r"\}",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
    # relations in the conditions a verdict states ("holds for x ≠ 0"); pdflatex has no glyphs
    "≠": r"$\neq$",
    "≥": r"$\geq$",
    "≤": r"$\leq$",
    "−": "-",
}


def escape(text: str) -> str:
    """``text`` safe inside ``\\text{…}`` or a paragraph: LaTeX's special characters escaped."""
    return "".join(_SPECIAL.get(char, char) for char in text)


def render_align(derivation: Derivation, *, environment: str = "align*", comments: bool = True) -> str:
    """The definitions, steps and result as one ``align*`` (or ``aligned``) block."""
    rows: list[tuple[str, str]] = [
        (rf"{latex(d.lhs)} &\mathrel{{:=}} {latex(d.rhs)} && \text{{definition}}", "")
        for d in derivation.definitions
    ]
    previous: Step | None = None
    for step in shown_steps(derivation):
        comment = f" % {step.verdict.describe()}" if comments else ""
        if step.unreadable:  # the author's text goes in the list of verdicts, where it can wrap
            where = f"line {step.line}" if step.line is not None else "this claim"
            rows.append((rf"& \text{{({where} was not read)}}", comment.replace("\n", " ")))
            previous = step
            continue
        shown_lhs, shown_rhs = step.shown
        lhs = "" if continues(previous, step) and step is not derivation.result else latex(shown_lhs)
        rows.append((rf"{lhs} &= {latex(shown_rhs)} && \text{{{escape(step.rule)}}}", comment))
        previous = step
    # The line break goes before the comment: after it, it would be commented out.
    body = "\n".join(
        row + (" \\\\" if i < len(rows) - 1 else "") + comment for i, (row, comment) in enumerate(rows)
    )
    return f"\\begin{{{environment}}}\n{body}\n\\end{{{environment}}}"


def _name(step: Step) -> str:
    """What a verdict in the list is about: the rule, or the line of a document's claim."""
    if step.rule:
        return step.rule
    return f"line {step.line}" if step.line is not None else "claim"


def reading_line(derivation: Derivation) -> str:
    """``Reading: $x \\sin{\\left(x \\right)}$`` and the note, when the derivation was asked for in text."""
    if derivation.reading is None:
        return ""
    line = rf"Reading: ${latex(derivation.reading)}$"
    return line + (f"\n\nNote: {escape(derivation.note)}" if derivation.note else "")


def render_latex(derivation: Derivation, *, standalone: bool = False) -> str:
    """The ``align*`` block, or with ``standalone`` a complete document for ``pdflatex``."""
    block = render_align(derivation)
    reading = reading_line(derivation)
    if not standalone:
        return (f"{reading}\n\n" if reading else "") + block + "\n"
    verdicts = "\n".join(
        rf"  \item {escape(_name(step))}: {escape(step.verdict.describe())}"
        + (rf" \texttt{{{escape(step.source)}}}" if step.unreadable else "")
        for step in shown_steps(derivation)
    )
    return "\n".join(
        [
            r"\documentclass{article}",
            r"\usepackage{amsmath}",
            r"\begin{document}",
            rf"\section*{{{escape(derivation.title)}}}",
            *([reading, ""] if reading else []),
            block,
            r"\subsection*{Verification}",
            rf"{escape(summary(derivation))}. Each step was checked by \texttt{{derive}}:",
            r"\begin{enumerate}",
            verdicts,
            r"\end{enumerate}",
            r"\end{document}",
            "",
        ]
    )
