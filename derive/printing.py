"""SymPy printers that show a derivation's steps as they were written.

A step such as ``(−1/u²)·(−e^(−x))`` is a product SymPy would normally collapse, so the
derivation keeps it as ``Mul(..., evaluate=False)``. These printers subclass SymPy's own and
change these things:

* an unevaluated ``Add``/``Mul`` prints its terms in the order written, with ``·`` between
  factors and parentheses where a factor is a sum or negative;
* ``Derivative`` of a named quantity prints in Leibniz form, ``dσ/du`` rather than
  ``d/du σ(x)``; any other derivative brackets what it applies to in LaTeX as the pretty
  printer does, ``\\frac{d}{dx} \\left(x^{2}\\right) \\cdot e^{x}``, and d/dx x is never ``dx/dx``;
* :func:`latex` writes the natural logarithm as ``\\ln`` unless asked for ``\\log``;
* :func:`sstr` writes unevaluated nodes as ``Mul(a, b, evaluate=False)`` so that the JSON
  importer (:func:`derive.parse.parse` with the ``"sympy"`` dialect) rebuilds them exactly.

Every printer here prints each distinct sub-expression once (:class:`derive.memo.PrintsOnce`).
"""

from __future__ import annotations

import re
from typing import ClassVar, Literal

import sympy as sp
from sympy.core.function import AppliedUndef
from sympy.printing.conventions import requires_partial
from sympy.printing.latex import LatexPrinter
from sympy.printing.pretty import pretty_symbology, stringpict
from sympy.printing.pretty.pretty import PrettyPrinter
from sympy.printing.pretty.stringpict import prettyForm, stringPict
from sympy.printing.str import StrPrinter

from .errors import DeriveError
from .formats import LOG_NOTATIONS
from .memo import PrintsOnce, kept, printed_once

_COMBINING = re.compile(
    "[" + "".join(re.escape(chr(c)) for c in sorted(pretty_symbology._remove_combining)) + "]"
)


def line_width(line: str) -> int:
    """How many cells ``line`` takes: SymPy's ``line_width`` (combining accents take none),
    counted without building a copy of the line through ``str.translate``, which looks up every
    character of a non-ASCII line in a dict. The 2-D printer measures every line of a picture
    each time it joins two pictures, so at depth 250 SymPy's version was most of ``-f pretty``."""
    return len(line) if line.isascii() else len(line) - len(_COMBINING.findall(line))


# the same answer for every string, so it stands in for SymPy's wherever SymPy's is looked up
pretty_symbology.line_width = stringpict.line_width = line_width


def is_unevaluated(expr: sp.Basic) -> bool:
    """True for an ``Add``, ``Mul`` or ``Pow`` that evaluation would change."""
    if not isinstance(expr, (sp.Add, sp.Mul, sp.Pow)):
        return False
    known = kept("unevaluated")
    answer = known.get(expr)
    if answer is None:
        # rebuilding sorts the arguments, which compares whole sub-trees: once per distinct node
        answer = known[expr] = expr.func(*expr.args) != expr
    return bool(answer)


def _needs_parentheses(factor: sp.Basic, first: bool) -> bool:
    if isinstance(factor, (sp.Add, sp.core.relational.Relational)):
        return True
    return not first and factor.could_extract_minus_sign()


def _over(expr: sp.Mul) -> tuple[sp.Expr, sp.Expr] | None:
    """A written-out product that divides at its end (the quotient rule's ``(f'g − fg')/g²``):
    the numerator, kept as written, and the denominator."""
    *above, below = expr.args
    if not (isinstance(below, sp.Pow) and below.exp.is_negative):
        return None
    numerator = above[0] if len(above) == 1 else sp.Mul(*above, evaluate=False)
    return numerator, sp.Pow(below.base, -below.exp)


def _negated(expr: sp.Mul) -> sp.Expr | None:
    """For ``-1·rest`` written as a product, ``rest`` (printed after a minus sign)."""
    if expr.args[0] != -1 or len(expr.args) < 2:
        return None
    rest = expr.args[1:]
    return rest[0] if len(rest) == 1 else sp.Mul(*rest, evaluate=False)


def _leibniz_name(derivative: sp.Derivative) -> sp.Basic | None:
    """The quantity written in the numerator of dσ/du: a symbol, or σ for σ(x).

    None for the variable itself: d/dx x reads as an operator applied to x, never ``dx/dx``.
    """
    expr = derivative.expr
    if expr in derivative.variables:
        return None
    if isinstance(expr, sp.Symbol):
        return expr
    if isinstance(expr, AppliedUndef) and all(isinstance(a, sp.Symbol) for a in expr.args):
        return sp.Symbol(expr.func.__name__)
    return None


def _bare(expr: sp.Basic) -> bool:
    """True when d/dx can stand before ``expr`` without parentheses: a name or a number.

    Anything else (a product, a sum, a power, a function) is bracketed, so that
    ``d/dx (x²)·e^x`` never reads as the derivative of the whole product.
    """
    return isinstance(expr, sp.Symbol) or expr.is_Number


class DeriveLatexPrinter(PrintsOnce, LatexPrinter):
    """SymPy's LaTeX printer, with written-order products and Leibniz derivatives."""

    # matrices as amsmath's bmatrix, which pdflatex, MathJax, KaTeX and derive's reader all know
    _default_settings: ClassVar[dict[str, object]] = {
        **LatexPrinter._default_settings,
        "mat_str": "bmatrix",
        "mat_delim": "",
    }

    def _print_Mul(self, expr: sp.Mul) -> str:
        if not is_unevaluated(expr):
            return super()._print_Mul(expr)
        rest = _negated(expr)
        if rest is not None:
            text = self._print(rest)
            return rf"- \left({text}\right)" if isinstance(rest, sp.Add) else f"- {text}"
        split = _over(expr)
        if split is not None:
            return rf"\frac{{{self._print(split[0])}}}{{{self._print(split[1])}}}"
        parts = []
        for index, factor in enumerate(expr.args):
            text = self._print(factor)
            parts.append(rf"\left({text}\right)" if _needs_parentheses(factor, index == 0) else text)
        return r" \cdot ".join(parts)

    def _print_Add(self, expr: sp.Add, order: str | None = None) -> str:
        if not is_unevaluated(expr):
            return super()._print_Add(expr, order)
        text = self._print(expr.args[0])
        for term in expr.args[1:]:
            printed = self._print(term)
            text += f" {printed}" if printed.startswith("-") else f" + {printed}"
        return text

    def _print_Derivative(self, expr: sp.Derivative) -> str:
        name = _leibniz_name(expr)
        d = r"\partial" if requires_partial(expr.expr) else "d"
        order = sum(count for _, count in expr.variable_count)
        # the variable differentiated by first is written last, ∂²f/∂y∂x for Derivative(f, x, y),
        # as SymPy's own printers and the usual notation write a mixed partial derivative
        bottom = " ".join(
            f"{d} {self._print(v)}" if count == 1 else f"{d} {self._print(v)}^{{{count}}}"
            for v, count in reversed(expr.variable_count)
        )
        if name is not None:
            top = f"{d} {self._print(name)}" if order == 1 else f"{d}^{{{order}}} {self._print(name)}"
            return rf"\frac{{{top}}}{{{bottom}}}"
        top = d if order == 1 else f"{d}^{{{order}}}"
        argument = self._print(expr.expr)
        if not _bare(expr.expr):
            argument = rf"\left({argument}\right)"
        return rf"\frac{{{top}}}{{{bottom}}} {argument}"


class DerivePrettyPrinter(PrintsOnce, PrettyPrinter):
    _copies: ClassVar[bool] = True  # its forms are objects that callers adjust (binding, baseline)
    """SymPy's unicode pretty printer, with written-order products and Leibniz derivatives."""

    def _print_Mul(self, expr: sp.Mul) -> prettyForm:
        if not is_unevaluated(expr):
            return super()._print_Mul(expr)
        rest = _negated(expr)
        if rest is not None:
            form = self._print(rest)
            if isinstance(rest, sp.Add):
                form = prettyForm(*form.parens())
            return prettyForm(*form.left("-"), binding=prettyForm.NEG)
        split = _over(expr)
        if split is not None:
            return self._print(split[0]) / self._print(split[1])
        result: prettyForm | None = None
        for index, factor in enumerate(expr.args):
            form = self._print(factor)
            if _needs_parentheses(factor, index == 0):
                form = prettyForm(*form.parens())
            result = form if result is None else prettyForm(*stringPict.next(result, "⋅", form))
        assert result is not None
        result.binding = prettyForm.MUL
        return result

    def _print_Add(self, expr: sp.Add, order: str | None = None) -> prettyForm:
        if not is_unevaluated(expr):
            return super()._print_Add(expr, order)
        result = self._print(expr.args[0])
        for term in expr.args[1:]:
            negative = term.could_extract_minus_sign()
            form = self._print(-term if negative else term)
            if isinstance(term, sp.Add):
                form = prettyForm(*form.parens())
            result = prettyForm(*stringPict.next(result, " - " if negative else " + ", form))
        result.binding = prettyForm.ADD
        return result

    def _print_Derivative(self, expr: sp.Derivative) -> prettyForm:
        name = _leibniz_name(expr)
        if name is None:
            return super()._print_Derivative(expr)
        d = "∂" if requires_partial(expr.expr) else "d"
        order = sum(count for _, count in expr.variable_count)
        top = prettyForm(d)
        if order > 1:
            top = top ** prettyForm(str(order))
        top = prettyForm(*top.right(self._print(name)))
        bottom: prettyForm | None = None
        for v, count in reversed(expr.variable_count):  # the first variable last, as in LaTeX
            part = prettyForm(*self._print(v).left(d))
            if count > 1:
                part = part ** prettyForm(str(count))
            bottom = part if bottom is None else prettyForm(*bottom.right(" ", part))
        assert bottom is not None
        form = prettyForm(*top.below(stringPict.LINE, bottom))
        form.baseline = top.height()
        form.binding = prettyForm.MUL
        return form


class DeriveStrPrinter(PrintsOnce, StrPrinter):
    """SymPy's ``str()`` syntax, writing unevaluated nodes as constructor calls."""

    def _print(self, expr: object, **kwargs: object) -> str:
        return printed_once(self, expr, kwargs, self._print_fresh)  # type: ignore[no-any-return]

    def _print_fresh(self, expr: object, **kwargs: object) -> str:
        if isinstance(expr, sp.Basic) and is_unevaluated(expr):
            args = ", ".join(self._print(a) for a in expr.args)
            return f"{type(expr).__name__}({args}, evaluate=False)"
        if isinstance(expr, sp.Mul) and _distributes_when_reread(expr):
            return f"Mul({', '.join(self._print(a) for a in expr.args)})"
        return StrPrinter._print(self, expr, **kwargs)

    def _print_And(self, expr: sp.And) -> str:  # "a & b" is not in the parser's grammar
        return f"And({', '.join(self._print(a) for a in expr.args)})"

    def _print_Or(self, expr: sp.Or) -> str:
        return f"Or({', '.join(self._print(a) for a in expr.args)})"


def _distributes_when_reread(expr: sp.Mul) -> bool:
    """``3*(x + 1)*y`` read back factor by factor becomes ``(3*x + 3)*y``: SymPy distributes a
    number over a sum when it multiplies two factors, but not when it builds the whole product."""
    return any(a.is_Number for a in expr.args) and any(isinstance(a, sp.Add) for a in expr.args)


LogNotation = Literal["ln", "log"]  # one of formats.LOG_NOTATIONS


def latex(expr: sp.Basic, *, log_notation: LogNotation = "ln") -> str:
    """LaTeX for one expression or equation, as the renderers write it.

    The natural logarithm is ``\\ln`` (what readers of calculus expect); ``log_notation="log"``
    writes ``\\log`` instead.
    """
    if log_notation not in LOG_NOTATIONS:
        raise DeriveError(f"unknown log notation {log_notation!r}; choose one of {', '.join(LOG_NOTATIONS)}")
    return DeriveLatexPrinter({"ln_notation": log_notation == "ln"}).doprint(expr)


def pretty(expr: sp.Basic, *, unicode: bool = True) -> str:
    """Multi-line unicode (or ASCII) art for one expression, for the terminal."""
    return _pretty_printer(unicode).doprint(expr)


def _pretty_printer(unicode: bool) -> DerivePrettyPrinter:
    return DerivePrettyPrinter({"use_unicode": unicode, "wrap_line": False})


def sstr(expr: sp.Basic) -> str:
    """SymPy ``str()`` syntax that :func:`derive.parse.parse` reads back to an equal object."""
    return DeriveStrPrinter().doprint(expr)


def relation_form(
    lhs: sp.Basic | None, relation: str, rhs: sp.Basic, *, unicode: bool = True
) -> tuple[prettyForm, int, bool]:
    """``lhs relation rhs`` as one picture (``= rhs`` when ``lhs`` is None), the column where
    the right side starts, and whether the right side is drawn as one fraction."""
    printer = _pretty_printer(unicode)
    right = printer._print(rhs)
    form = prettyForm(*right.left(f"{relation} "))
    indent = len(relation) + 1
    if lhs is not None:
        left = printer._print(lhs)
        indent += left.width() + 1
        form = prettyForm(*stringPict.next(left, " ", form))
    return form, indent, right.binding == prettyForm.DIV
