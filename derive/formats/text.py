"""The linear text form: one claim per line, in the syntax ``derive diff`` and ``derive check``
read, with the rule and the verdict as ``#`` comments.

It is what people paste into a mail, a chat or a plain-text file, and ``derive check`` reads it
back: every claim is read again and every verdict recomputed. The first line is the title as a
comment; a definition is written ``u := 1 + e^(−x)``; a step that rewrites the line above starts
with ``=``; the rule is the comment on the claim's own line (``derive check`` takes it as the
step's rule), and the verdict is a comment line of its own under the rule, which the reader
skips. A claim that could not be read when it was checked is kept as a comment with its reason.
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Sequence

import sympy as sp
from sympy.core.function import AppliedUndef

from ..errors import DeriveError
from ..model import Definition, Derivation, Kind, Status, Step
from ..oneline import _ARC, _OneLinePrinter
from ..parse import ALIASES
from ..printing import is_unevaluated
from .marks import continues, mark, summary

_RELATIONS = {"==": "="}  # SymPy's rel_op where the reader's differs (it reads != <= >= < > as they are)


class LinearPrinter(_OneLinePrinter):
    """One-line notation that ``derive``'s own text reader reads back to an equal expression.

    It is the "Reading:" line's notation (``·``, ``²``, ``e^x``, ``ln``, ``|x|``) except where
    the reader needs another: a derivative is ``d/dx(f)`` with its argument in parentheses
    (``d/dx(d/dx(f))`` for the second), a square root is ``sqrt(…)``, an inverse hyperbolic
    function without an ``arc`` name the reader knows keeps SymPy's (``acoth``), and a product or
    sum kept as written is printed in the order it was written.
    """

    def __init__(self, implicit: frozenset[sp.Basic] = frozenset()) -> None:
        super().__init__()
        # y(x) in x² + y² = 1: written y and y', as the reader expects (y(0) stays y(0))
        self.implicit = implicit

    def _memo_key(self) -> tuple[Hashable, ...]:
        return (*super()._memo_key(), self.implicit)  # y is printed as y there, y(x) elsewhere

    def _print_Derivative(self, expr: sp.Derivative) -> str:
        if expr.expr in self.implicit and {v for v, _ in expr.variable_count} == set(expr.expr.args):
            return f"{type(expr.expr).__name__}{chr(39) * sum(c for _, c in expr.variable_count)}"
        text = self._print(expr.expr)
        # the first variable innermost: Derivative(f, x, y) is d/dy(d/dx(f))
        for variable, count in expr.variable_count:
            for _ in range(count):
                text = f"d/d{self._print(variable)}({text})"
        return text

    def _print_Symbol(self, expr: sp.Symbol) -> str:
        return expr.name  # sigma, z_1: names the reader knows, where σ(x) would read as σ·x

    def _print_Function(self, expr: sp.Function) -> str:
        name = type(expr).__name__
        if expr in self.implicit:
            return name
        if isinstance(expr, AppliedUndef):
            return f"{name}({self.stringify(expr.args, ', ')})"
        if name in _ARC and f"arc{name[1:]}" not in ALIASES:
            # arccoth is not a name the reader knows; acoth is
            return f"{name}({self.stringify(expr.args, ', ')})"
        return super()._print_Function(expr)

    def _print_Mul(self, expr: sp.Mul) -> str:
        if not is_unevaluated(expr):
            return super()._print_Mul(expr)
        # a product kept as written (dσ/du·du/dx) is printed in the order it was written
        parts = []
        for index, factor in enumerate(expr.args):
            text = self._print(factor)
            bracket = isinstance(factor, sp.Add) or (index > 0 and factor.could_extract_minus_sign())
            parts.append(f"({text})" if bracket else text)
        return "·".join(parts)

    def _print_Add(self, expr: sp.Add, order: str | None = None) -> str:
        if not is_unevaluated(expr):
            return super()._print_Add(expr, order)
        text = self._print(expr.args[0])
        for term in expr.args[1:]:
            if term.could_extract_minus_sign():
                negated = self._print(-term)
                text += f" - ({negated})" if isinstance(-term, sp.Add) else f" - {negated}"
            else:
                printed = self._print(term)
                text += f" + ({printed})" if isinstance(term, sp.Add) else f" + {printed}"
        return text

    def _print_Piecewise(self, expr: sp.Piecewise) -> str:
        cases = ", ".join(
            f"({self._print(value)}, {'otherwise' if condition is sp.true else self._print(condition)})"
            for value, condition in expr.args
        )
        return f"Piecewise({cases})"

    def _print_And(self, expr: sp.And) -> str:
        return " and ".join(self._condition_part(part) for part in expr.args)

    def _print_Or(self, expr: sp.Or) -> str:
        return " or ".join(self._condition_part(part) for part in expr.args)

    def _condition_part(self, part: sp.Basic) -> str:
        """An ``or`` inside an ``and`` is bracketed ("and" binds tighter, as the reader reads it)."""
        text = self._print(part)
        return f"({text})" if isinstance(part, (sp.And, sp.Or)) else text

    def _print_Subs(self, expr: sp.Subs) -> str:
        if len(expr.variables) == 1:
            variables, points = self._print(expr.variables[0]), self._print(expr.point[0])
        else:  # Subs(f, (x, y), (3, 3))
            variables = f"({', '.join(self._print(v) for v in expr.variables)})"
            points = f"({', '.join(self._print(p) for p in expr.point)})"
        return f"Subs({self._print(expr.expr)}, {variables}, {points})"

    def _print_Pow(self, expr: sp.Pow, rational: bool = False) -> str:
        if expr.exp == sp.Rational(1, 2):
            return f"sqrt({self._print(expr.base)})"  # the reader has no √
        return super()._print_Pow(expr, rational)


def linear(expr: sp.Basic, implicit: frozenset[sp.Basic] = frozenset()) -> str:
    """``expr`` on one line in the syntax ``derive`` reads: ``d/dx(σ(x)) = σ(x)·(1 − σ(x))``.
    Applied functions in ``implicit`` (y(x) of x² + y² = 1) are written ``y`` and ``y'``."""
    return LinearPrinter(implicit).doprint(expr).replace("-", "−")


def _parts(condition: sp.Basic | None) -> tuple[sp.Basic, ...]:
    if condition is None:
        return ()
    return condition.args if isinstance(condition, sp.And) else (condition,)


def _is_relation(part: sp.Basic) -> bool:
    """``x² + y² = 1``, which claims follow from; not an index equality such as ``i = j``."""
    return isinstance(part, sp.Eq) and not all(s.is_integer for s in part.free_symbols)


def _condition(parts: list[sp.Basic], implicit: frozenset[sp.Basic]) -> str:
    """A claim's condition as the text reader reads it after a comma: ``x > 0, y < 1``."""
    out = []
    for part in sorted(parts, key=sp.default_sort_key):
        if isinstance(part, sp.core.relational.Relational):
            sign = _RELATIONS.get(part.rel_op, part.rel_op)
            out.append(f"{linear(part.lhs, implicit)} {sign} {linear(part.rhs, implicit)}")
        else:
            out.append(linear(part, implicit))
    return ", ".join(out)


def _verdict(step: Step) -> str:
    """The verdict comment: the mark, and for a failed claim where it fails and both values."""
    verdict = step.verdict
    text = mark(verdict)
    if verdict.status == Status.FAILED and verdict.lhs_value:
        at = ", ".join(f"{name} = {value}" for name, value in verdict.point)
        text += f" at {at}:" if at else ":"
        text += f" the left side is {verdict.lhs_value}, the right side {verdict.rhs_value}"
        if verdict.method and verdict.method != "the sides differ":  # which case of an indexed claim
            text += f" ({verdict.method})"
        if verdict.where is not None:
            text += f"; holds for {verdict.condition_text()}"
    return text


_COMMENT_COLUMN = 48  # rule comments line up here, unless the claim is longer


def _claim(lhs: str, relation: str, rhs: str, rule: str) -> str:
    text = f"{lhs} {relation} {rhs}" if lhs else f"{relation} {rhs}"
    return f"{text.ljust(_COMMENT_COLUMN - 2)}  # {rule}" if rule else text  # the reader takes it as the rule


def render_linear(derivation: Derivation) -> str:
    """The derivation as linear text (see the module's docstring); ``derive check`` reads it."""
    # what was understood comes first, in every view
    out = [f"# Reading: {linear(derivation.reading)}"] if derivation.reading is not None else []
    out += [f"# {derivation.title}", ""]
    for definition in derivation.definitions:
        out.append(_claim(linear(definition.lhs), ":=", linear(definition.rhs), definition.why))
    if derivation.definitions:
        out.append("")
    previous: Step | None = None
    claims = derivation.steps if derivation.result_is_added else (*derivation.steps, derivation.result)
    relations = [part for step in claims for part in _parts(step.condition) if _is_relation(part)]
    implicit = frozenset(
        f for relation in relations for f in relation.atoms(AppliedUndef) if f.args == (derivation.variable,)
    )
    stated: set[sp.Basic] = set()
    for step in claims:
        if step.kind is Kind.UNREADABLE:
            # a claim that was not read has no expression to write: its text stays a comment
            status = step.verdict.status
            out.append(f"# {status.mark} {status.label}: {step.source}  ({step.unreadable})")
            previous = None
            continue
        for relation in (part for part in _parts(step.condition) if _is_relation(part)):
            if relation not in stated:
                # stated once, before the first claim that follows from it, the reader makes the
                # relation the condition of every claim after it
                out.append(f"{linear(relation.lhs, implicit)} = {linear(relation.rhs, implicit)}")
                stated.add(relation)
                previous = None
        lhs = "" if continues(previous, step) else linear(step.lhs, implicit)
        rhs = linear(step.rhs, implicit)
        others = [part for part in _parts(step.condition) if not _is_relation(part)]
        if others:
            rhs = f"{rhs}, {_condition(others, implicit)}"
        out.append(_claim(lhs, "=", rhs, step.rule))
        out.append(f"{'':{_COMMENT_COLUMN}}# {_verdict(step)}")
        previous = step
    out += ["", f"# {summary(derivation)}"]
    return "\n".join(out) + "\n"


def write(derivation: Derivation, *, standalone: bool = False, log_notation: str = "ln") -> str:
    """The registry's writer: :func:`render_linear` (``log_notation`` is for LaTeX and Markdown)."""
    return render_linear(derivation)


# the 2-D view: its table header, a verdict under a stacked step ("chain rule · ✓ symbolic"), its
# summary line (the linear form writes it as a # comment), or the pieces of tall brackets
_TWO_D = re.compile(
    r"^\s*#\s+step\s+rule\s+check\s*$| · [✓✗?≈] |^\d+ (?:of \d+ )?claims(?: read)?:|[⎛⎜⎝⎞⎟⎠]", re.M
)


def read(text: str, definitions: Sequence[Definition] = (), name: str = "") -> Derivation:
    """Claims one per line in calculator syntax (``d/dx(x^2) = 2x``), ``#`` comments skipped,
    not yet verified. The 2-D view is refused: it shows a derivation, it cannot be read back."""
    if _TWO_D.search(text):
        raise DeriveError(
            f"{name or 'the input'} is derive's 2-D view, which is for reading by people; "
            "check the linear text (-f text) or the JSON (-f json) instead"
        )
    from ..read.documents import read_document

    return read_document(text, "text", definitions, name)
