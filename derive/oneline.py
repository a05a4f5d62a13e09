"""Expressions on one line in conventional notation: ``x·sin(x)``, ``e^x``, ``x²``, ``|x|``, ``ln(x)``.

The "Reading:" line of every view and the parser's notes use it, so that what ``derive``
understood is stated the way people write it, not in SymPy's ``x*sin(x)`` syntax.
"""

from __future__ import annotations

import sympy as sp
from sympy.core.function import AppliedUndef
from sympy.printing.pretty.pretty_symbology import pretty_symbol
from sympy.printing.str import StrPrinter

from .memo import PrintsOnce

_SUPERSCRIPTS = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")


_RELATIONS = {"<=": "≤", ">=": "≥", "!=": "≠", "==": "="}

_ARC = frozenset("asin acos atan acot asec acsc asinh acosh atanh acoth asech acsch".split())


class _OneLinePrinter(PrintsOnce, StrPrinter):
    """SymPy's str printer with ^, ·, e^u, |u|, ln, π, Greek letters and superscript small powers."""

    def _print_Symbol(self, expr: sp.Symbol) -> str:
        return pretty_symbol(expr.name)  # sigma → σ, z_1 → z₁, as the terminal's art writes them

    def _print_Pow(self, expr: sp.Pow, rational: bool = False) -> str:
        base, exponent = expr.as_base_exp()
        if exponent == sp.Rational(1, 2):
            return f"√{self._atom(base)}"
        if exponent.is_Integer and exponent < 0:
            denominator = self._print(sp.Pow(base, -exponent, evaluate=False) if exponent != -1 else base)
            return f"1/{denominator if (base.is_Atom and exponent == -1) else '(' + denominator + ')'}"
        power = self._atom(base)
        if exponent.is_Integer and 1 < exponent < 10:
            return power + str(exponent).translate(_SUPERSCRIPTS)
        return f"{power}^{self._atom(exponent)}"

    def _atom(self, expr: sp.Basic) -> str:
        text = self._print(expr)
        simple = (
            expr.is_Atom
            and not (expr.is_Rational and not expr.is_Integer)
            and not (expr.is_Number and expr < 0)
        )
        return text if simple or isinstance(expr, (sp.Function, sp.Abs)) else f"({text})"

    def _print_exp(self, expr: sp.exp) -> str:
        return f"e^{self._atom(expr.args[0])}"

    def _print_Exp1(self, expr: sp.Basic) -> str:
        return "e"

    def _print_Pi(self, expr: sp.Basic) -> str:
        return "π"

    def _print_Infinity(self, expr: sp.Basic) -> str:
        return "∞"

    def _print_NegativeInfinity(self, expr: sp.Basic) -> str:
        return "-∞"

    def _print_Relational(self, expr: sp.core.relational.Relational) -> str:
        sign = _RELATIONS.get(expr.rel_op, expr.rel_op)
        return f"{self._print(expr.lhs)} {sign} {self._print(expr.rhs)}"

    def _print_Abs(self, expr: sp.Abs) -> str:
        return f"|{self._print(expr.args[0])}|"

    def _print_log(self, expr: sp.log) -> str:
        return f"ln({self._print(expr.args[0])})"

    def _print_Function(self, expr: sp.Function) -> str:
        name = type(expr).__name__
        if name in _ARC:
            return f"arc{name[1:]}({self.stringify(expr.args, ', ')})"
        if isinstance(expr, AppliedUndef):
            return f"{pretty_symbol(name)}({self.stringify(expr.args, ', ')})"
        return super()._print_Function(expr)

    def _print_Mul(self, expr: sp.Mul) -> str:
        return super()._print_Mul(expr).replace("*", "·")

    def _print_MatrixBase(self, expr: sp.MatrixBase) -> str:
        """A matrix on one line, rows separated by semicolons: ``[a, b; c, d]``, a column
        ``[a; b]``, a row ``[a, b]`` (the notation of MATLAB, Octave and Julia)."""
        rows = (", ".join(self._print(expr[i, j]) for j in range(expr.cols)) for i in range(expr.rows))
        return f"[{'; '.join(rows)}]"

    _print_ImmutableDenseMatrix = _print_MutableDenseMatrix = _print_MatrixBase

    def _print_Derivative(self, expr: sp.Derivative) -> str:
        (variable, count), *_ = expr.variable_count
        order = "" if count == 1 else str(count).translate(_SUPERSCRIPTS)
        return f"d{order}/d{variable}{order} {self._atom(expr.expr)}"


def one_line(expr: sp.Basic) -> str:
    """``expr`` on one line, as people write it: ``x·sin(x)``, ``e^(−x²)``, ``|x|``."""
    return _OneLinePrinter().doprint(expr).replace("-", "−")


_ORDINALS = ("", "", "Second", "Third", "Fourth", "Fifth", "Sixth", "Seventh", "Eighth", "Ninth", "Tenth")


def derivative_title(expr: sp.Basic, order: int = 1) -> str:
    """``Derivative of x·sin(x)``, ``Second derivative of x³·sin(x)``: a title in the notation people
    write, never in SymPy syntax."""
    if order == 1:
        words = "Derivative of"
    elif order < len(_ORDINALS):
        words = f"{_ORDINALS[order]} derivative of"
    else:
        words = f"Derivative of order {order} of"
    return f"{words} {one_line(expr)}"


def split_title(title: str, subject: sp.Basic | None) -> tuple[str, sp.Basic | None]:
    """The words of ``title`` and the expression it ends with, for formats that typeset it
    (``Second derivative of`` and x³·sin(x)); the whole title and None when it does not end with
    ``subject`` in one-line notation (a title someone chose)."""
    if subject is None:
        return title, None
    ending = " " + one_line(subject)
    if not title.endswith(ending):
        return title, None
    return title[: -len(ending)], subject
