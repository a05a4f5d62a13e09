"""Markdown with ``$$…$$`` math blocks, which GitHub, Jupyter, MathJax and KaTeX render."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

import sympy as sp
from sympy.printing.printer import Printer

from ..errors import DeriveError
from ..model import Definition, Derivation, Status, Step, Verdict
from ..oneline import split_title
from ..printing import LogNotation, latex
from . import LOG_NOTATIONS
from .marks import mark, summary

_MARKDOWN = "*_`[]<>\\$"


def escape(text: str) -> str:
    """``text`` with the characters Markdown would read as markup escaped (``x**2`` stays literal)."""
    return "".join(f"\\{c}" if c in _MARKDOWN else c for c in text)


class DerivationMarkdownPrinter(Printer):
    """Markdown for the model, by SymPy's printer dispatch: ``_print_Derivation`` writes the
    document, ``_print_Definition`` and ``_print_Step`` their paragraphs and ``_print_Verdict``
    a verdict's mark; every expression (``_print_Basic``) is LaTeX for KaTeX or MathJax. What
    justifies a step is printed by the method named for its kind (``_justify_unreadable``); a
    kind without its own method is justified by its rule's name.

    Setting: ``log_notation`` (``"ln"`` or ``"log"``), how the natural logarithm is written.
    """

    printmethod = "_markdown"
    _default_settings: ClassVar[dict[str, object]] = {"log_notation": "ln"}

    def _print_Basic(self, expr: sp.Basic) -> str:
        return latex(expr, log_notation=self._settings["log_notation"])  # type: ignore[arg-type]

    def _print_Derivation(self, derivation: Derivation) -> str:
        out = []
        if derivation.reading is not None:
            out += [f"Reading: ${self._print(derivation.reading)}$", ""]
            out += [f"Note: {escape(derivation.note)}", ""] if derivation.note else []
        words, subject = split_title(derivation.title, derivation.subject)
        heading = escape(words) if subject is None else f"{escape(words)} ${self._print(subject)}$"
        out += [f"# {heading}", "", f"Variable: ${self._print(derivation.variable)}$", ""]
        if derivation.definitions:
            out += ["## Definitions", "", *(self._print(d) for d in derivation.definitions)]
        out += ["## Steps", ""]
        out += [self._print(step, number=n) for n, step in enumerate(derivation.steps, 1)]
        out += ["## Result", ""]
        if derivation.result_is_added:  # the last claim is the result, already shown
            out += [f"{summary(derivation)}.", ""]
        else:
            result = derivation.result
            out += [
                f"$$ {self._print(result.equation)} $$",
                "",
                f"{self._print(result.verdict)}. {summary(derivation)}.",
                "",
            ]
        return "\n".join(out)

    def _print_Definition(self, definition: Definition) -> str:
        let = f"Let {escape(definition.why)}:\n\n" if definition.why else ""
        return f"{let}$$ {self._print(definition.lhs)} := {self._print(definition.rhs)} $$\n"

    def _print_Step(self, step: Step, number: int = 0) -> str:
        name = f"line {step.line}" if step.line is not None else str(number)
        justify = getattr(self, f"_justify_{step.kind.name.lower()}", self._justify)
        return justify(step, name)

    def _print_Verdict(self, verdict: Verdict) -> str:
        return mark(verdict)

    def _justify(self, step: Step, name: str) -> str:
        """A step justified by its rule: the rule and the verdict, the equation in a math block."""
        heading = f"{name}. {escape(step.rule)}" if step.rule else name
        out = [f"**{heading}** — {self._print(step.verdict)}", ""]
        if step.verdict.status == Status.FAILED:  # the counterexample, which the mark leaves out
            out += [f"*{escape(step.verdict.describe())}*", ""]
        if step.why:
            out += [escape(step.why), ""]
        return "\n".join([*out, f"$$ {self._print(step.equation)} $$", ""])

    def _justify_unreadable(self, step: Step, name: str) -> str:
        """A claim that was not read: the author's text as written, and the reason once."""
        heading = f"{name}. {escape(step.rule)}" if step.rule else name
        reason = f"{mark(step.verdict, reason=False)}: {escape(step.unreadable)}"
        return "\n".join([f"**{heading}** — {reason}", "", "```latex", step.source, "```", ""])


def render_markdown(derivation: Derivation, *, log_notation: LogNotation = "ln") -> str:
    """A heading, the definitions, each step as a math block under its rule and verdict.

    ``log_notation`` is ``"ln"`` (the default) or ``"log"``: how the natural logarithm is written.
    """
    if log_notation not in LOG_NOTATIONS:
        raise DeriveError(f"unknown log notation {log_notation!r}; choose one of {', '.join(LOG_NOTATIONS)}")
    return DerivationMarkdownPrinter({"log_notation": log_notation}).doprint(derivation)


def write(derivation: Derivation, *, standalone: bool = False, log_notation: LogNotation = "ln") -> str:
    """The registry's writer: :func:`render_markdown` (Markdown is always a whole document)."""
    return render_markdown(derivation, log_notation=log_notation)


def read(text: str, definitions: Sequence[Definition] = (), name: str = "") -> Derivation:
    """The claims of a Markdown document (``$…$``, ``$$…$$``, ``\\(…\\)``), not yet verified."""
    from ..read.documents import read_document

    return read_document(text, "markdown", definitions, name)
