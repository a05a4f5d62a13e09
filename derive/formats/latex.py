"""LaTeX: the steps in an ``align*`` environment, each annotated with its rule.

The verdict of each step is written as a LaTeX comment at the end of its line (so importers
and the PDF are not cluttered); a standalone document also lists the verdicts in its text.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

import sympy as sp

from ..model import Definition, Derivation, Status, Step
from ..oneline import split_title
from ..printing import LogNotation, latex
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
    # relations in the conditions a verdict states ("holds for x ≠ 0") and the notation of rule
    # names (σ, −, ≔, δᵢⱼ); pdflatex's default fonts have no glyphs for them
    "≠": r"$\neq$",
    "≥": r"$\geq$",
    "≤": r"$\leq$",
    "−": r"$-$",
    "≔": r"$:=$",
    "≈": r"$\approx$",
    "·": r"$\cdot$",
    "√": r"$\surd$",
    "∂": r"$\partial$",
    "π": r"$\pi$",
    "∞": r"$\infty$",
    "′": r"$'$",
    "ℯ": "e",
}
_SUPERSCRIPT_DIGITS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻ⁿ", "0123456789-n")
_SUBSCRIPT_DIGITS = str.maketrans("₀₁₂₃₄₅₆₇₈₉ᵢⱼₖ", "0123456789ijk")


def _special(char: str) -> str:
    """The LaTeX for one character of text: Greek letters in math mode (σ → ``$\\sigma$``),
    superscripts and subscripts as math scripts, the others from the table above."""
    if char in _SPECIAL:
        return _SPECIAL[char]
    if char.translate(_SUPERSCRIPT_DIGITS) != char:
        return f"$^{{{char.translate(_SUPERSCRIPT_DIGITS)}}}$"
    if char.translate(_SUBSCRIPT_DIGITS) != char:
        return f"$_{{{char.translate(_SUBSCRIPT_DIGITS)}}}$"
    words = unicodedata.name(char, "").split()
    if len(words) == 4 and words[:3] in (["GREEK", "SMALL", "LETTER"], ["GREEK", "CAPITAL", "LETTER"]):
        letter = "lambda" if words[3] == "LAMDA" else words[3].lower()
        if words[1] == "CAPITAL":
            letter = letter.capitalize()
        if letter in _GREEK:
            return f"$\\{letter}$"
    return char


# the Greek letters LaTeX has commands for (capital alpha is a Latin A, and has none)
_GREEK = frozenset(
    "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi pi rho sigma tau "
    "upsilon phi chi psi omega Gamma Delta Theta Lambda Xi Pi Sigma Upsilon Phi Psi Omega".split()
)


# the verdict marks in math mode (amssymb's \checkmark; MathJax and KaTeX know it too)
_VERDICT_MARKS = {
    Status.SYMBOLIC: r"\checkmark",
    Status.NUMERIC: r"\approx",
    Status.FAILED: r"\boldsymbol{\times}",
    Status.UNDECIDED: "?",
    Status.UNCHECKED: "?",
}


def escape(text: str) -> str:
    """``text`` safe inside ``\\text{…}`` or a paragraph: LaTeX's special characters escaped.
    Neighbouring symbols share one ``$…$`` (σ⁻¹ is ``$\\sigma^{-1}$``): ``$$`` would open display
    math in Markdown and Jupyter."""
    joined = _ADJACENT_MATH.sub("", "".join(_special(char) for char in text))
    while _SCRIPTS.search(joined):  # ⁻¹ is ^{-1}, not the double superscript ^{-}^{1}
        joined = _SCRIPTS.sub(r"\1{\2", joined)
    return joined


_ADJACENT_MATH = re.compile(r"(?<!\\)\$\$")
_SCRIPTS = re.compile(r"([\^_])\{([^{}]*)\}\1\{")


def render_align(
    derivation: Derivation,
    *,
    environment: str = "align*",
    comments: bool = True,
    verdicts: bool = False,
    log_notation: LogNotation = "ln",
) -> str:
    """The definitions, steps and result as one ``align*`` (or ``aligned``) block; each step's
    verdict as a LaTeX comment (``comments``) or shown in its row (``verdicts``)."""
    return _block(
        _rows(derivation, comments=comments, verdicts=verdicts, log_notation=log_notation), environment
    )


def _block(rows: list[tuple[str, str]], environment: str) -> str:
    """The rows in ``environment``, each with its verdict comment."""
    # The line break goes before the comment: after it, it would be commented out.
    body = "\n".join(
        row + (" \\\\" if i < len(rows) - 1 else "") + comment for i, (row, comment) in enumerate(rows)
    )
    return f"\\begin{{{environment}}}\n{body}\n\\end{{{environment}}}"


def _rows(
    derivation: Derivation, *, comments: bool, verdicts: bool, log_notation: LogNotation
) -> list[tuple[str, str]]:
    """Each row of the block, with its verdict comment."""

    def tex(expr: sp.Basic) -> str:
        return latex(expr, log_notation=log_notation)

    rows: list[tuple[str, str]] = [
        (rf"{tex(d.lhs)} &\mathrel{{:=}} {tex(d.rhs)} && \text{{definition}}", "")
        for d in derivation.definitions
    ]
    previous: Step | None = None
    for step in shown_steps(derivation):
        comment = f" % {step.verdict.describe()}" if comments else ""
        shown = rf" && {_VERDICT_MARKS[step.verdict.status]}\ \text{{{escape(step.verdict.describe())}}}"
        shown = shown if verdicts else ""
        if step.unreadable:  # the author's text goes in the list of verdicts, where it can wrap
            where = f"line {step.line}" if step.line is not None else "this claim"
            rows.append((rf"& \text{{({where} was not read)}}{shown}", comment.replace("\n", " ")))
            previous = step
            continue
        shown_lhs, shown_rhs = step.shown
        lhs = "" if continues(previous, step) and step is not derivation.result else tex(shown_lhs)
        rows.append((rf"{lhs} &= {tex(shown_rhs)} && \text{{{escape(step.rule)}}}{shown}", comment))
        previous = step
    return rows


_ENVIRONMENT = re.compile(r"\\(begin|end)\{[^{}]*\}")


def _cells(row: str) -> list[str]:
    """``row`` split at its alignment points: a top-level ``&``, not an escaped ``\\&`` nor one
    inside braces or an environment (``cases``)."""
    cells, start, depth, index = [], 0, 0, 0
    while index < len(row):
        environment = _ENVIRONMENT.match(row, index)
        if environment:
            depth += 1 if environment.group(1) == "begin" else -1
            index = environment.end()
            continue
        char = row[index]
        if char == "\\":
            index += 2
            continue
        if char in "{}":
            depth += 1 if char == "{" else -1
        elif char == "&" and depth == 0:
            cells.append(row[start:index])
            start = index + 1
        index += 1
    return [*cells, row[start:]]


def _page_fits(block_rows: list[tuple[str, str]]) -> list[str]:
    """TeX that measures the widest entry of each column of the block and, when together they
    are wider than the text, widens the text and the page to fit: nothing runs off the page."""
    rows = [_cells(row) for row, _ in block_rows]
    columns = max(len(cells) for cells in rows)
    tex = [r"\newlength{\derivecell}\newlength{\derivewidest}"]
    for column in range(columns):
        tex.append(rf"\newlength{{\derivecolumn{_LETTERS[column]}}}")
        for cells in rows:
            if column < len(cells) and cells[column].strip():
                tex.append(
                    # \ensuremath, not $…$: a reader of this file looks for claims in $…$
                    rf"\settowidth{{\derivecell}}{{\ensuremath{{\displaystyle {{}}{cells[column]}}}}}"
                    rf"\ifdim\derivecell>\derivecolumn{_LETTERS[column]}"
                    rf"\setlength{{\derivecolumn{_LETTERS[column]}}}{{\derivecell}}\fi"
                )
        tex.append(rf"\addtolength{{\derivewidest}}{{\derivecolumn{_LETTERS[column]}}}")
    return [
        *tex,
        r"\addtolength{\derivewidest}{6em}% the gaps align* leaves between columns",
        r"\ifdim\derivewidest>\textwidth",
        r"  \setlength{\textwidth}{\derivewidest}\setlength{\hsize}{\derivewidest}",
        r"  \setlength{\linewidth}{\derivewidest}\setlength{\columnwidth}{\derivewidest}",
        r"  \setlength{\paperwidth}{\dimexpr\derivewidest+2in\relax}\pdfpagewidth=\paperwidth",
        r"\fi",
    ]


_LETTERS = "abcdefghij"  # TeX names hold no digits: \derivecolumna, \derivecolumnb, …


def notebook(derivation: Derivation) -> str:
    """For Jupyter's ``_repr_latex_``: every step with its rule and verdict (a wrong step's
    counterexample included) and the summary, so a notebook converted to PDF shows them."""
    block = render_align(derivation, environment="aligned", comments=False, verdicts=True)
    return f"$${block}$$\n\n{escape(summary(derivation))}"


def _name(step: Step) -> str:
    """What a verdict in the list is about: the rule, or the line of a document's claim."""
    if step.rule:
        return step.rule
    return f"line {step.line}" if step.line is not None else "claim"


def reading_line(derivation: Derivation, *, log_notation: LogNotation = "ln") -> str:
    """``Reading: $x \\sin{\\left(x \\right)}$`` and the note, when the derivation was asked for in text."""
    if derivation.reading is None:
        return ""
    line = rf"Reading: ${latex(derivation.reading, log_notation=log_notation)}$"
    return line + (f"\n\nNote: {escape(derivation.note)}" if derivation.note else "")


def title(derivation: Derivation, *, log_notation: LogNotation = "ln") -> str:
    """The title as LaTeX text: its words escaped, the expression it names typeset as math
    (``Second derivative of $x^{3} \\sin{\\left(x \\right)}$``)."""
    words, subject = split_title(derivation.title, derivation.subject)
    if subject is None:
        return escape(words)
    return f"{escape(words)} ${latex(subject, log_notation=log_notation)}$"


def render_latex(
    derivation: Derivation, *, standalone: bool = False, log_notation: LogNotation = "ln"
) -> str:
    """The ``align*`` block, or with ``standalone`` a complete document for ``pdflatex``.

    ``log_notation`` is ``"ln"`` (the default) or ``"log"``: how the natural logarithm is written.
    """
    rows = _rows(derivation, comments=True, verdicts=False, log_notation=log_notation)
    block = _block(rows, "align*")
    reading = reading_line(derivation, log_notation=log_notation)
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
            r"\allowdisplaybreaks % a long derivation goes on over the next page",
            # measured once the fonts are loaded; in the preamble, where readers look for no claims
            r"\AtBeginDocument{%",
            *(f"{line}%" for line in _page_fits(rows)),
            "}",
            r"\begin{document}",
            rf"\section*{{{title(derivation, log_notation=log_notation)}}}",
            *([reading, ""] if reading else []),
            block,
            r"\subsection*{Verification}",
            rf"{escape(summary(derivation))}. Each step was checked by \texttt{{derive}}:",
            r"\sloppy % long method names break between words rather than run into the margin",
            r"\begin{enumerate}",
            verdicts,
            r"\end{enumerate}",
            r"\end{document}",
            "",
        ]
    )


def write(derivation: Derivation, *, standalone: bool = False, log_notation: LogNotation = "ln") -> str:
    """The registry's writer: :func:`render_latex`."""
    return render_latex(derivation, standalone=standalone, log_notation=log_notation)


def read(text: str, definitions: Sequence[Definition] = (), name: str = "") -> Derivation:
    """The claims of a LaTeX document, not yet verified."""
    from ..read.documents import read_document

    return read_document(text, "latex", definitions, name)
