"""Derivatives through named functions: each form checked by substituting the functions back."""

from __future__ import annotations

import pytest
import sympy as sp

from derive.differentiate import differentiate
from derive.formats.json import read as read_json
from derive.interms import _undefined_where_derivative_is, express, isolable
from derive.parse import parse

x, y = sp.symbols("x y")
s, sigma = sp.symbols("s sigma")
SIGMOID = 1 / (1 + sp.exp(-x))
REAL_X = sp.Symbol("x", real=True)  # derive works over the reals

# (function of x, extra names, expected form or None when no form through the names exists)
CASES = [
    (SIGMOID, {}, s * (1 - s)),
    (sp.exp(-x), {}, -s),
    (sp.tanh(x), {}, 1 - s**2),
    (sp.exp(x), {}, s),
    (sp.exp(3 * x), {}, 3 * s),
    (2**x, {}, sp.log(2) * s),
    (sp.log(1 + sp.exp(x)), {sigma: SIGMOID}, sigma),
    (x * SIGMOID, {sigma: SIGMOID}, s + sigma * (1 - s)),
    (sp.log(SIGMOID), {sigma: SIGMOID}, 1 - sigma),
    (-(y * sp.log(SIGMOID) + (1 - y) * sp.log(1 - SIGMOID)), {sigma: SIGMOID}, sigma - y),
    (sp.tan(x), {}, 1 + s**2),
    (1 / x, {}, -(s**2)),
    (sp.sqrt(x), {}, 1 / (2 * s)),
    (sp.log(x), {}, sp.exp(-s)),
    (sp.cosh(x) ** -1, {}, None),  # sech' = −sech·tanh: not through sech alone (sign of x)
    (sp.exp(-(x**2)), {}, None),  # −2x·e^(−x²): x is not a function of e^(−x²)
    (x**2, {}, None),  # 2x = ±2√s: no single branch for every x
    (sp.sin(x), {}, None),  # cos x = ±√(1 − s²)
    (x * (1 + sp.erf(x / sp.sqrt(2))) / 2, {}, None),  # GELU needs the normal density
    (sp.atan(x), {}, sp.cos(s) ** 2),
    (sp.sinh(x), {}, sp.sqrt(1 + s**2)),  # cosh x = √(1 + s²) for every x
    (sp.exp(x) / (1 + sp.exp(x)), {}, s * (1 - s)),
]


@pytest.mark.parametrize(("function", "extra", "expected"), CASES, ids=[str(c[0]) for c in CASES])
def test_forms(function: sp.Expr, extra: dict, expected: sp.Expr | None) -> None:
    names = {s: function, **extra}
    form = express(sp.diff(function, x), x, names)
    if expected is None:
        assert form is None
        return
    assert form is not None
    assert sp.expand(form.expr - expected) == 0, form.expr
    # substitute the functions back: the difference from the derivative must vanish
    difference = (form.expr.xreplace(names) - sp.diff(function, x)).xreplace({x: REAL_X})
    assert sp.simplify(difference) == 0 or sp.simplify(difference.rewrite(sp.exp)) == 0


@pytest.mark.parametrize(
    ("order", "expected"),
    [
        (2, s * (1 - s) * (1 - 2 * s)),
        (3, s * (1 - s) * (1 - 6 * s + 6 * s**2)),
    ],
)
def test_higher_derivatives_of_the_sigmoid_through_the_sigmoid(order: int, expected: sp.Expr) -> None:
    derivation = differentiate("1/(1+exp(-x))", order=order, in_terms_of={"s": None})
    assert derivation.ok
    assert sp.expand(derivation.result.rhs - expected) == 0
    assert sp.simplify(derivation.result.rhs.xreplace({s: SIGMOID}) - sp.diff(SIGMOID, x, order)) == 0


def test_at_least_twenty_functions() -> None:
    assert len(CASES) >= 20
    assert sum(expected is None for _, _, expected in CASES) >= 4


def test_differentiate_ends_with_the_form_through_the_name() -> None:
    derivation = differentiate("1/(1+exp(-x))", in_terms_of={"s": None})
    assert derivation.ok
    assert derivation.result.rhs == s * (1 - s) or sp.expand(derivation.result.rhs - s * (1 - s)) == 0
    assert derivation.steps[-1].rule.startswith("in terms of s")
    assert (s, SIGMOID) in [(d.lhs, d.rhs) for d in derivation.definitions]


def test_names_may_be_given_as_text() -> None:
    derivation = differentiate("ln(1+e^x)", in_terms_of={"sigma": "1/(1+exp(-x))"})
    assert derivation.result.rhs == sigma


def test_no_form_leaves_the_derivation_as_it_is() -> None:
    assert differentiate("x^2", in_terms_of={"s": None}).result.rhs == 2 * x


def test_a_name_that_is_taken_is_refused() -> None:
    from derive.errors import DeriveError

    with pytest.raises(DeriveError):
        differentiate("sin(u x^2)", in_terms_of={"u": None})
    with pytest.raises(DeriveError):
        differentiate("x", in_terms_of={"a b": None})


def test_cli_in_terms_of(derive_cli) -> None:
    run = derive_cli("diff", "--in-terms-of", "s=1/(1+exp(-x))", "--format", "json", "--", "1/(1+exp(-x))")
    assert run.returncode == 0, run.stderr

    result = read_json(run.stdout).result
    assert sp.expand(result.rhs - parse("s (1 - s)")) == 0
    run = derive_cli("diff", "--in-terms-of", "s", "x^2")
    assert run.returncode == 0 and "no form of the derivative through s alone was found" in run.stderr


@pytest.mark.parametrize(
    ("expr", "expected"),
    [
        (SIGMOID, True),
        (sp.diff(SIGMOID, x, 2), True),  # a polynomial in e^(−x): e^(−2x) counts as its square
        (sp.exp(x) / (1 + sp.exp(x)), True),
        (2**x + 4**x, False),  # 2^x and 4^x are not powers of one base here
        (sp.sqrt(1 + x**2), True),
        (x * sp.tanh(x), False),  # x enters twice, through different parts
        (x * (1 + sp.tanh(x + x**3)), False),  # GELU's tanh form: solve would search for minutes
        (sp.sin(x) + sp.cos(x), False),
        (y * sp.log(x) + 1, True),  # other names are constants
    ],
)
def test_isolable(expr: sp.Expr, expected: bool) -> None:
    assert isolable(expr, x) is expected


def test_a_form_that_divides_by_zero_where_the_derivative_is_finite_is_rejected() -> None:
    t = sp.Symbol("t")
    shifted = {t: sp.exp(x) - 1}  # vanishes at x = 0, where (e^x)' = e^x is 1
    assert _undefined_where_derivative_is((t**2 + t) / t, sp.exp(x), x, shifted)
    assert not _undefined_where_derivative_is(t + 1, sp.exp(x), x, shifted)
    # 1/(2√x) has no value at x = 0 either: the form 1/(2s) is as defined as the derivative
    assert not _undefined_where_derivative_is(1 / (2 * s), 1 / (2 * sp.sqrt(x)), x, {s: sp.sqrt(x)})
    # zeros that cannot be listed (sin x = 0 at every multiple of π) count against the form
    assert _undefined_where_derivative_is(t / (2 * s), sp.cos(x), x, {s: sp.sin(x), t: sp.sin(2 * x)})
    # a logarithm of zero is as undefined as a division by zero
    assert _undefined_where_derivative_is(sp.log(t) + 1, sp.exp(x), x, shifted)


def test_search_budgets_are_work_not_seconds() -> None:
    """No budget of the search is a number of seconds: each counts work."""
    from derive import interms

    assert not [name for name in vars(interms) if name.endswith("SECONDS")]
    assert interms.OPERATION_WORK >= 100_000 and interms.SEARCH_WORK >= interms.OPERATION_WORK


def test_a_safety_net_that_fires_gives_no_form(monkeypatch: pytest.MonkeyPatch) -> None:
    from derive import interms

    assert interms.express(sp.diff(SIGMOID, x), x, {s: SIGMOID}) is not None
    monkeypatch.setattr(interms, "OPERATION_WORK", 10)  # every operation runs out at once
    assert express(sp.diff(SIGMOID, x), x, {s: SIGMOID}) is None
