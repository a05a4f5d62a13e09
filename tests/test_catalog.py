"""The catalog of activation functions: verified derivations, forms through the function itself."""

from __future__ import annotations

import pytest
import sympy as sp

from derive.formats import render
from derive.formats.json import read as read_json
from derive.formats.json import write as write_json
from derive.library import BUILTINS, get
from derive.library.catalog import CATALOG
from derive.model import Derivation
from derive.read.documents import check

x, y, z = sp.symbols("x y z")
sigma = sp.Symbol("sigma")

EXPECTED = {
    "tanh": 1 - y**2,
    "softplus": sigma,
    "swish": y + sigma * (1 - y),
    "logsigmoid": 1 - sigma,
    "logistic-loss": sigma - y,
}


@pytest.fixture(scope="module", params=sorted(CATALOG))
def entry(request: pytest.FixtureRequest) -> tuple[str, Derivation]:
    return request.param, get(request.param)


def test_every_catalog_entry_is_listed() -> None:
    assert set(CATALOG) <= set(BUILTINS)


def test_every_step_holds(entry: tuple[str, Derivation]) -> None:
    name, derivation = entry
    assert not [
        s for s in (*derivation.steps, derivation.result) if s.verdict.status in ("failed", "unchecked")
    ]
    function, variable, _ = CATALOG[name]()
    real = sp.Symbol(variable.name, real=True)  # derive works over the reals: |x|' = sign(x)
    value = derivation.result.rhs.xreplace({d.lhs: d.rhs for d in derivation.definitions})
    difference = value.xreplace({variable: real}) - sp.diff(function.xreplace({variable: real}), real)
    difference = difference.rewrite(sp.Piecewise)
    point = {real: sp.Rational(7, 10), sp.Symbol("alpha"): 2, sp.Symbol("lambda"): 3}
    assert abs(sp.N(difference.subs(point).subs({y: sp.Rational(1, 3)}))) < 1e-12


@pytest.mark.parametrize(("name", "expected"), sorted(EXPECTED.items()))
def test_forms_through_the_function(name: str, expected: sp.Expr) -> None:
    result = get(name).result
    assert sp.expand(result.rhs - expected) == 0
    assert result.verdict.status == "symbolic"


@pytest.mark.parametrize("name", ["relu", "leaky-relu", "elu", "selu"])
def test_cases_say_where_there_is_no_derivative(name: str) -> None:
    derivation = get(name)
    sides = [s for s in derivation.steps if s.rule.startswith("derivative from the")]
    assert len(sides) == 2 and sides[0].rhs != sides[1].rhs
    assert "no derivative at x = 0" in sides[0].why
    assert derivation.steps[-1].rule == "no derivative at x = 0"
    assert "no derivative at x = 0" in derivation.result.why
    # nothing states a value of the derivative at the corner: every set of cases after
    # differentiating leaves x = 0 out (SymPy's Heaviside(0) = 1/2 would be a value)
    stated = [s.rhs for s in (*derivation.steps, derivation.result) if s.rhs.has(sp.Piecewise)]
    stated = [rhs for rhs in stated if not any(d.expr.has(sp.Piecewise) for d in rhs.atoms(sp.Derivative))]
    assert len(stated) >= 3
    assert all(rhs.subs(x, 0) is sp.nan for rhs in stated), stated
    for fmt in ("text", "latex", "markdown", "json"):
        shown = render(derivation, fmt)
        assert "Heaviside" not in shown and "no derivative at x = 0" in shown, fmt


def test_corner_notes_are_computed() -> None:
    why = {name: get(name).result.why for name in ("relu", "leaky-relu", "elu", "selu")}
    assert why["relu"].startswith("the one-sided derivatives at x = 0 differ, so")
    assert "differ, so" in why["leaky-relu"]
    assert "differ unless α = 1, so" in why["elu"]  # equal slopes when α = 1
    assert "differ unless α = 1 or λ = 0, so" in why["selu"]


def test_a_function_with_cases_but_no_corner_keeps_its_derivative() -> None:
    derivation = get("softsign")  # |x| has a corner, x/(1 + |x|) does not
    assert not any("no derivative" in s.rule for s in derivation.steps)
    assert not derivation.result.rhs.has(sp.Piecewise)


def test_mish_form_is_defined_where_the_derivative_is() -> None:
    """A form through σ and y can divide by ln(σ/(1 − σ)) = x: 0/0 at x = 0. The form used
    must have the derivative's value there."""
    derivation = get("mish")
    names = {d.lhs: d.rhs for d in derivation.definitions if isinstance(d.lhs, sp.Symbol)}
    form = derivation.result.rhs
    assert derivation.steps[-1].rule.startswith("in terms of")
    function, variable, _ = CATALOG["mish"]()
    expected = sp.diff(function, variable)
    for point in (0, sp.Rational(1, 1000), -1, 3):
        value = sp.N(form.xreplace(names).subs(variable, point), 30)
        assert value.is_finite and abs(value - sp.N(expected.subs(variable, point), 30)) < 1e-20


def test_gelu_has_no_form_through_itself() -> None:
    assert not any(s.rule.startswith("in terms of") for s in get("gelu").steps)


def test_exports_read_back(entry: tuple[str, Derivation]) -> None:
    _, derivation = entry
    assert read_json(write_json(derivation)) == derivation
    assert check(render(derivation, "json"), "json").ok or not derivation.ok


def test_softmax_jacobian() -> None:
    from derive.library.catalog import softmax
    from derive.verify import verify

    derivation = get("softmax")
    assert len(derivation.steps) == 9 and derivation.ok
    s1, s2 = sp.symbols("s_1 s_2")
    entries = {(str(step.lhs.expr), str(step.lhs.variables[0])): step.rhs for step in derivation.steps}
    assert sp.expand(entries[("s_1", "z_1")] - s1 * (1 - s1)) == 0
    assert entries[("s_1", "z_2")] == -s1 * s2
    bigger = verify(softmax(4))
    assert len(bigger.steps) == 16 and bigger.ok
    wrong = verify(
        Derivation(
            derivation.title,
            derivation.variable,
            derivation.definitions,
            (derivation.steps[1].__class__(derivation.steps[1].lhs, s1 * s2, "sign lost"),),
            derivation.result,
        )
    )
    assert wrong.steps[0].verdict.status == "failed"
