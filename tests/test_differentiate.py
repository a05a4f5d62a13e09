"""derive diff: every expression in tests/expressions.py, random expression trees, and the rules."""

from __future__ import annotations

import random

import pytest
import sympy as sp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from derive.differentiate import differentiate
from derive.formats.json import read as read_json
from derive.formats.json import write as write_json
from derive.model import Derivation
from derive.parse import parse
from derive.verify import Expander, verify

from .expressions import EXPRESSIONS

x, y, a = sp.symbols("x y a")


def _real(expr: sp.Basic) -> sp.Basic:
    """Calculus over the reals, as derive does it: every symbol a real variable."""
    return expr.xreplace({s: sp.Symbol(s.name, real=True) for s in expr.atoms(sp.Symbol)})


def _equal(left: sp.Expr, right: sp.Expr) -> bool:
    """Symbolic equality; SymPy's simplify is the judge, with exp-rewriting as a second try."""
    difference = left - right
    return sp.simplify(difference) == 0 or sp.simplify(difference.rewrite(sp.exp)) == 0


def _agree_numerically(left: sp.Expr, right: sp.Expr, variables: list[sp.Symbol]) -> bool:
    rng = random.Random(0)
    checked = 0
    for _ in range(40):
        point = {v: sp.Rational(rng.randint(-250, 250), 100) for v in variables}
        lv, rv = left.xreplace(point).evalf(30), right.xreplace(point).evalf(30)
        if not (lv.is_number and rv.is_number) or lv.has(sp.nan, sp.zoo) or rv.has(sp.nan, sp.zoo):
            continue
        assert abs(lv - rv) < 1e-15 * max(1, abs(lv)), (point, lv, rv)
        checked += 1
    return checked >= 5


def _check(derivation: Derivation, expr: sp.Expr, variable: sp.Symbol) -> None:
    steps = (*derivation.steps, derivation.result)
    assert all(step.verdict.ok for step in steps), [(s.rule, s.verdict.describe()) for s in steps]
    assert all(step.rule for step in steps)
    assert all(step.lhs == sp.Derivative(expr, variable) for step in steps)
    expected = sp.diff(_real(expr), _real(variable))
    result = Expander((), variable)(derivation.result.rhs)
    if expr.has(sp.Piecewise, sp.Max, sp.Min, sp.Heaviside):
        # SymPy differentiates cases through Heaviside/DiracDelta; they agree away from the corners
        variables = sorted(expected.free_symbols | result.free_symbols, key=str)
        assert _agree_numerically(result, expected, variables)
    else:
        assert _equal(result, expected)


@pytest.mark.parametrize(("text", "var"), EXPRESSIONS, ids=[f"{t} d{v}" for t, v in EXPRESSIONS])
def test_expression(text: str, var: str) -> None:
    derivation = differentiate(text, var)
    _check(derivation, parse(text), sp.Symbol(var))


def test_there_are_at_least_150_expressions() -> None:
    assert len(EXPRESSIONS) >= 150


def _rules(text: str, var: str = "x") -> list[str]:
    return [step.rule for step in differentiate(text, var).steps]


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("x^2 + sin(x)", "sum rule"),
        ("3x^2", "constant multiple rule"),
        ("x^2 sin(x) e^x", "product rule"),
        ("sin(x)/x", "quotient rule"),
        ("sin(x^2)", "chain rule with the derivative of sin"),
        ("(x^2+1)^5", "chain rule with the power rule"),
        ("e^(x^2)", "chain rule with the exponential rule"),
        ("x^x", "logarithmic differentiation"),
        ("ln(x)", "logarithm rule"),
        ("2^x", "exponential rule"),
        ("|x|", "derivative of |u| = sign(u)"),
        ("erf(x)", "known derivative of erf"),
        ("max(0, x)", "write as cases"),
        ("f(g(x))", "chain rule with the unspecified function"),
        ("besselj(2, x)", "derivative from SymPy's table"),
    ],
)
def test_named_rules(text: str, rule: str) -> None:
    assert any(rule in r for r in _rules(text))


def test_product_is_not_rewritten_as_a_quotient() -> None:
    derivation = differentiate("x e^(-x^2)")
    assert derivation.steps[0].rule == "product rule; d/dx x = 1"  # x is one factor: its derivative is 1
    assert not any("quotient" in step.rule for step in derivation.steps)


def test_each_inner_function_gets_its_own_name() -> None:
    derivation = differentiate("sin(cos(x^2))")
    names = [d.lhs for d in derivation.definitions]
    assert names == list(sp.symbols("u v"))
    assert derivation.definitions[0].rhs == sp.cos(sp.Symbol("v"))
    assert derivation.definitions[1].rhs == x**2


def test_repeated_inner_function_shares_its_name() -> None:
    derivation = differentiate("sin(x^2) + cos(x^2)")
    assert [d.rhs for d in derivation.definitions] == [x**2]


def test_names_avoid_the_users_symbols() -> None:
    derivation = differentiate("sin(u x^2)")
    assert sp.Symbol("u") not in {d.lhs for d in derivation.definitions}


def test_partial_derivative_holds_other_symbols_constant() -> None:
    derivation = differentiate("1/(1+exp(-(w*x+b)))", "w")
    w, b = sp.symbols("w b")
    expected = sp.diff(1 / (1 + sp.exp(-(w * x + b))), w)
    assert sp.simplify(derivation.result.rhs - expected) == 0


def test_higher_order_shows_each_order_as_a_stage() -> None:
    derivation = differentiate("x^3 sin(x)", order=3)
    stages = [step.rule for step in derivation.steps if step.rule.startswith("order")]
    assert stages == [
        "order 2: differentiate the order 1 result",
        "order 3: differentiate the order 2 result",
    ]
    assert derivation.result.lhs == sp.Derivative(x**3 * sp.sin(x), (x, 3))
    assert sp.simplify(derivation.result.rhs - sp.diff(x**3 * sp.sin(x), x, 3)) == 0
    assert derivation.ok


def test_a_wrong_rule_is_caught_by_the_verifier(monkeypatch: pytest.MonkeyPatch) -> None:
    from derive import rules

    monkeypatch.setattr(rules.PowerRule, "rewrite", lambda self, names: 2 * self.expr)
    derivation = differentiate("x^3 + sin(x)")
    assert derivation.steps[1].verdict.status == "failed"
    assert not derivation.ok


def test_sympy_expressions_are_accepted_as_well_as_text() -> None:
    assert differentiate(sp.sin(x) * x).result.rhs == differentiate("x sin(x)").result.rhs


# -- random expression trees ----------------------------------------------------------------------
_UNARY = [sp.sin, sp.cos, sp.exp, sp.atan, sp.tanh, lambda e: sp.log(1 + e**2), lambda e: sp.sqrt(1 + e**2)]


def _trees() -> st.SearchStrategy[sp.Expr]:
    leaves = st.one_of(st.just(x), st.just(a), st.integers(-3, 5).map(sp.Integer))

    def extend(children: st.SearchStrategy[sp.Expr]) -> st.SearchStrategy[sp.Expr]:
        return st.one_of(
            st.tuples(st.sampled_from(_UNARY), children).map(lambda t: t[0](t[1])),
            st.tuples(children, children).map(lambda t: t[0] + t[1]),
            st.tuples(children, children).map(lambda t: t[0] * t[1]),
            st.tuples(children, children).map(lambda t: t[0] / (2 + t[1] ** 2)),
            st.tuples(children, st.integers(-3, 4)).map(lambda t: t[0] ** t[1]),
        )

    finite = st.recursive(leaves, extend, max_leaves=8)
    return finite.filter(lambda e: not e.has(sp.zoo, sp.nan, sp.oo, -sp.oo))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_trees())
def test_random_expression_trees(expr: sp.Expr) -> None:
    derivation = differentiate(expr)
    steps = (*derivation.steps, derivation.result)
    assert not [s for s in steps if s.verdict.status == "failed"]
    assert all(step.rule for step in steps)
    result = Expander((), x)(derivation.result.rhs)
    expected = sp.diff(_real(expr), sp.Symbol("x", real=True))
    assert (
        _agree_numerically(result, expected, sorted(expected.free_symbols | result.free_symbols, key=str))
        or sp.simplify(result - expected) == 0
    )


@pytest.mark.parametrize(("text", "var"), EXPRESSIONS, ids=[f"{t} d{v}" for t, v in EXPRESSIONS])
def test_json_round_trip(text: str, var: str) -> None:
    derivation = differentiate(text, var)
    assert read_json(write_json(derivation)) == derivation


@pytest.mark.parametrize("text", ["x^2 sin(x)", "f(g(x))", "max(0, x)", "x^x", "1/(1+e^(-x))"])
def test_reverifying_a_loaded_derivation_gives_the_same_verdicts(text: str) -> None:
    derivation = differentiate(text)
    assert verify(read_json(write_json(derivation))) == derivation


def test_depth_100_nesting_is_derived_and_verified() -> None:
    expr = x
    for level in range(100):
        expr = sp.sin(expr + x) if level % 2 else sp.cos(expr)
    derivation = differentiate(expr)
    assert derivation.ok
    assert len(derivation.definitions) == 99  # cos(x) at the bottom needs no name


F = sp.Function("f")
t = sp.Symbol("t")


@pytest.mark.parametrize(
    "expr",
    [
        sp.sin(x) * sp.cos(y) + 3,
        sp.Integer(7),
        sp.Subs(sp.Derivative(F(t), t), t, x),  # the bound t is not free; x is
        sp.Derivative(F(t), t),
        sp.Integral(x * y, (x, 0, 1)),  # x is bound: only y is free
        sp.Piecewise((x, y > 0), (y, True)),
        sp.Lambda(x, x + y),
    ],
)
def test_the_dispatchers_dependence_is_free_symbols(expr: sp.Basic) -> None:
    from derive.rules import _depends

    for variable in (x, y, t):
        assert _depends(expr, variable) == (variable in expr.free_symbols)
