"""LaTeX: the steps in an ``align*`` environment, each annotated with its rule.

The verdict of each step is written as a LaTeX comment at the end of its line (so importers
and the PDF are not cluttered); a standalone document also lists the verdicts in its text.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from typing import ClassVar

from ..errors import DeriveError
from ..model import Definition, Derivation, Kind, Status, Step, Verdict
from ..oneline import split_title
from ..printing import DeriveLatexPrinter, LogNotation
from . import LOG_NOTATIONS
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


class DerivationLatexPrinter(DeriveLatexPrinter):
    """LaTeX for the model, by SymPy's own dispatch: as ``_print_Mul`` prints a product,
    ``_print_Derivation`` prints a derivation (an ``align*`` block, or with ``standalone`` a
    document), ``_print_Definition`` and ``_print_Step`` its rows and ``_print_Verdict`` a
    verdict. What justifies a step is printed by the method named for its kind
    (``_justify_unreadable``); a kind without its own method is justified by its rule's name.

    Settings besides SymPy's: ``environment`` (``align*`` or ``aligned``), ``comments`` (each
    verdict as a LaTeX comment after its row), ``verdicts`` (each verdict in its row) and
    ``standalone``.
    """

    _default_settings: ClassVar[dict[str, object]] = {
        **DeriveLatexPrinter._default_settings,
        "environment": "align*",
        "comments": True,
        "verdicts": False,
        "standalone": False,
    }

    def _print_Derivation(self, derivation: Derivation) -> str:
        rows = self._rows(derivation)
        block = _block(rows, self._settings["environment"])
        reading = self._reading(derivation)
        if not self._settings["standalone"]:
            return (f"{reading}\n\n" if reading else "") + block + "\n"
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
                rf"\section*{{{self._title(derivation)}}}",
                *([reading, ""] if reading else []),
                block,
                r"\subsection*{Verification}",
                rf"{escape(summary(derivation))}. Each step was checked by \texttt{{derive}}:",
                r"\sloppy % long method names break between words rather than run into the margin",
                r"\begin{enumerate}",
                *(rf"  \item {self._listed(step)}" for step in shown_steps(derivation)),
                r"\end{enumerate}",
                r"\end{document}",
                "",
            ]
        )

    def _rows(self, derivation: Derivation) -> list[tuple[str, str]]:
        """Each row of the block, with its verdict comment."""
        rows = [(self._print(d), "") for d in derivation.definitions]
        previous: Step | None = None
        for step in shown_steps(derivation):
            lhs_shown = not continues(previous, step) or step is derivation.result
            comment = f" % {step.verdict.describe()}".replace("\n", " ") if self._settings["comments"] else ""
            rows.append((self._print(step, lhs_shown=lhs_shown), comment))
            previous = step
        return rows

    def _print_Definition(self, definition: Definition) -> str:
        lhs, rhs = self._print(definition.lhs), self._print(definition.rhs)
        return rf"{lhs} &\mathrel{{:=}} {rhs} && \text{{definition}}"

    def _print_Step(self, step: Step, lhs_shown: bool = True) -> str:
        justify = getattr(self, f"_justify_{step.kind.name.lower()}", self._justify)
        verdict = f" && {self._print(step.verdict)}" if self._settings["verdicts"] else ""
        if step.kind is Kind.UNREADABLE:  # no sides: what stands in their place says why
            return rf"& {justify(step)}{verdict}"
        lhs, rhs = step.shown
        left = self._print(lhs) if lhs_shown else ""
        return rf"{left} &= {self._print(rhs)} && {justify(step)}{verdict}"

    def _print_Verdict(self, verdict: Verdict) -> str:
        return rf"{_VERDICT_MARKS[verdict.status]}\ \text{{{escape(verdict.describe())}}}"

    def _justify(self, step: Step) -> str:
        return rf"\text{{{escape(step.rule)}}}"

    def _justify_unreadable(self, step: Step) -> str:
        # the author's text goes in the list of verdicts, where it can wrap
        where = f"line {step.line}" if step.line is not None else "this claim"
        return rf"\text{{({where} was not read)}}"

    def _listed(self, step: Step) -> str:
        """A standalone document's list entry: what the verdict is about, and the verdict."""
        name = step.rule or (f"line {step.line}" if step.line is not None else "claim")
        text = f"{escape(name)}: {escape(step.verdict.describe())}"
        return text + (rf" \texttt{{{escape(step.source)}}}" if step.kind is Kind.UNREADABLE else "")

    def _reading(self, derivation: Derivation) -> str:
        """``Reading: $x \\sin{\\left(x \\right)}$`` and the note, when the derivation was asked
        for in text."""
        if derivation.reading is None:
            return ""
        line = rf"Reading: ${self._print(derivation.reading)}$"
        return line + (f"\n\nNote: {escape(derivation.note)}" if derivation.note else "")

    def _title(self, derivation: Derivation) -> str:
        """The title as LaTeX text: its words escaped, the expression it names typeset as math
        (``Second derivative of $x^{3} \\sin{\\left(x \\right)}$``)."""
        words, subject = split_title(derivation.title, derivation.subject)
        return escape(words) if subject is None else f"{escape(words)} ${self._print(subject)}$"


def printer(log_notation: LogNotation = "ln", **settings: object) -> DerivationLatexPrinter:
    """The LaTeX printer with ``log_notation`` (``"ln"`` or ``"log"``) and other settings."""
    if log_notation not in LOG_NOTATIONS:
        raise DeriveError(f"unknown log notation {log_notation!r}; choose one of {', '.join(LOG_NOTATIONS)}")
    return DerivationLatexPrinter({"ln_notation": log_notation == "ln", **settings})


def _block(rows: list[tuple[str, str]], environment: str) -> str:
    """The rows in ``environment``, each with its verdict comment."""
    # The line break goes before the comment: after it, it would be commented out.
    body = "\n".join(
        row + (" \\\\" if i < len(rows) - 1 else "") + comment for i, (row, comment) in enumerate(rows)
    )
    return f"\\begin{{{environment}}}\n{body}\n\\end{{{environment}}}"


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
    block = printer(environment="aligned", comments=False, verdicts=True).doprint(derivation)
    return f"$${block.strip()}$$\n\n{escape(summary(derivation))}"


def render_latex(
    derivation: Derivation, *, standalone: bool = False, log_notation: LogNotation = "ln"
) -> str:
    """The ``align*`` block, or with ``standalone`` a complete document for ``pdflatex``.

    ``log_notation`` is ``"ln"`` (the default) or ``"log"``: how the natural logarithm is written.
    """
    return printer(log_notation, standalone=standalone).doprint(derivation)


def write(derivation: Derivation, *, standalone: bool = False, log_notation: LogNotation = "ln") -> str:
    """The registry's writer: :func:`render_latex`."""
    return render_latex(derivation, standalone=standalone, log_notation=log_notation)


def read(text: str, definitions: Sequence[Definition] = (), name: str = "") -> Derivation:
    """The claims of a LaTeX document, not yet verified."""
    from ..read.documents import read_document

    return read_document(text, "latex", definitions, name)
