"""The memoized derivative gives the very expression SymPy's ``diff`` and ``doit`` give, and the
memoized replacement of symbols the very expression ``xreplace`` gives."""

from __future__ import annotations

import pytest
import sympy as sp

from derive.parse import parse
from derive.sympydiff import Differentiator
from derive.walk import SymbolReplacer
from tests.expressions import EXPRESSIONS

x, y = sp.symbols("x y")
REAL = sp.Symbol("x", real=True)
f, g = sp.Function("f"), sp.Function("g")

CASES = [parse(text) for text, _ in EXPRESSIONS] + [
    sp.Piecewise((x**2, x < 1), (sp.sin(x), True)),
    sp.Piecewise((sp.exp(x) * x, x > 0), (0, True)) * sp.cos(x),
    sp.Abs(REAL**2 - 1) * REAL,
    sp.Abs(x**2 - 1),  # a complex |·|: SymPy's own rule, through re and im
    sp.sign(REAL) * REAL**2,
    sp.Heaviside(x - 1) * x,
    sp.Max(x, x**2) + sp.Min(sp.sin(x), 0),
    sp.atan2(x, x**2 + 1),
    f(x, y) * x + g(x**2, x),
    f(x) * g(sp.sin(x)) / (1 + f(x) ** 2),
    sp.Derivative(f(x, y), x, y) * x,  # SymPy reorders the variables of its result
    sp.Derivative(f(x), x) * f(x) + sp.Derivative(g(x), (x, 2)),
    sp.Subs(sp.Derivative(f(y), y), y, x**2) * x,
    sp.Float(2.5) * x ** sp.Float(1.5) + sp.Rational(1, 3) * x ** sp.Rational(2, 3),
    sp.floor(x) * x + sp.frac(x**2),
    sp.exp(sp.exp(x)) * sp.log(x, 2) + x**y * y**x,
    sp.Add(*(sp.Integer(k % 7 + 1) * x**k * sp.sin(k * x) for k in range(1, 40))),
    sp.cos(sp.sin(sp.cos(sp.sin(x + 1) + x) + x)),
    sp.Mul(x, sp.Add(x, 1, evaluate=False), sp.sin(x), evaluate=False),  # written out, unevaluated
    x * sp.Symbol("n", integer=True) + sp.Dummy("d") * x**2,
]


@pytest.mark.parametrize("expr", CASES, ids=[sp.sstr(e)[:40] for e in CASES])
def test_the_derivative_is_sympys_own(expr: sp.Expr) -> None:
    calculus = Differentiator()
    for variable in (x, REAL, y):
        ours = calculus.diff(expr, variable)
        assert ours == sp.diff(expr, variable)
        assert sp.srepr(ours) == sp.srepr(sp.diff(expr, variable))
    # a second time from the memo: the same object
    assert calculus.diff(expr, x) is calculus.diff(expr, x)


@pytest.mark.parametrize("expr", CASES, ids=[sp.sstr(e)[:40] for e in CASES])
def test_carrying_out_derivatives_is_sympys_doit(expr: sp.Expr) -> None:
    calculus = Differentiator()
    for claim in (
        sp.Derivative(expr, x),
        sp.Add(sp.Derivative(expr, x), sp.Derivative(expr, y), evaluate=False),
        sp.Mul(3, sp.Derivative(expr, x), evaluate=False),
        sp.Derivative(expr, (x, 2)),
        sp.Derivative(expr, x, y),
    ):
        assert sp.srepr(calculus.doit(claim)) == sp.srepr(claim.doit())


def test_a_part_met_in_two_expressions_is_differentiated_once() -> None:
    calculus = Differentiator()
    term = sp.sin(x**2) * sp.exp(x)
    calculus.diff(term + 1, x)
    known = dict(calculus.derivatives)
    calculus.diff(term * 3, x)
    assert (term, x) in known
    assert calculus.derivatives[(term, x)] is known[(term, x)]


WRITTEN = [
    sp.Add(x, x, evaluate=False),  # xreplace rebuilds it even when x is replaced by itself
    sp.Mul(2, sp.Add(x, y, evaluate=False), evaluate=False),
    sp.Subs(f(y) * y, y, x) + sp.Derivative(f(x), x),
    sp.sin(sp.cos(x) + y) * sp.exp(-x),
    sp.Integer(3),
]


@pytest.mark.parametrize("expr", WRITTEN, ids=[sp.sstr(e) for e in WRITTEN])
def test_replacing_symbols_is_xreplace(expr: sp.Basic) -> None:
    real = {s: sp.Symbol(s.name, real=True) for s in (x, y)}
    everything = SymbolReplacer(lambda s: real.get(s, s), lambda s: True)
    assert sp.srepr(everything(expr)) == sp.srepr(
        expr.xreplace({s: real.get(s, s) for s in expr.atoms(sp.Symbol)})
    )
    only_x = SymbolReplacer(lambda s: s, lambda s: s == x)  # x by itself: still rebuilt
    assert sp.srepr(only_x(expr)) == sp.srepr(expr.xreplace({x: x}))
