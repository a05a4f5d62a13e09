"""The sigmoid derivation: the route of the hand derivation, each step true, verdicts honest."""

from __future__ import annotations

import sympy as sp

from derive.library import build
from derive.model import Derivation
from derive.verify import check_equation

x, u = sp.symbols("x u")
sigma = sp.Function("sigma")
SIGMA = 1 / (1 + sp.exp(-x))
U = 1 + sp.exp(-x)


def by_hand(expr: sp.Basic) -> sp.Basic:
    """The meaning of a step's side, computed here without the verifier: derivatives with respect
    to u are quotients of derivatives with respect to x, then sigma and u are replaced."""
    expr = expr.subs(
        {
            sp.Derivative(sigma(x), u): sp.diff(SIGMA, x) / sp.diff(U, x),
            sp.Derivative(u, x): sp.diff(U, x),
            sp.Derivative(sigma(x), x): sp.diff(SIGMA, x),
        }
    )
    return expr.subs({sigma(x): SIGMA, u: U}).doit()


def test_every_step_is_true_by_sympy_alone() -> None:
    derivation = build("sigmoid")
    for step in (*derivation.steps, derivation.result):
        assert sp.simplify(by_hand(step.lhs) - by_hand(step.rhs)) == 0, step.rule


def test_route_follows_the_hand_derivation() -> None:
    steps = build("sigmoid").steps
    claims = [(s.lhs, s.rhs.doit()) for s in steps]
    assert (sigma(x), 1 / u) in claims
    assert (sp.Derivative(sigma(x), u), -(u**-2)) in claims
    assert (sp.Derivative(u, x), -sp.exp(-x)) in claims
    assert (sp.Derivative(sigma(x), x), sp.exp(-x) / u**2) in claims
    assert (sp.Derivative(sigma(x), x), sp.exp(-x) / U**2) in claims
    assert (1 - sigma(x), sp.exp(-x) / U) in claims
    rules = [s.rule for s in steps]
    assert rules.index("power rule") < rules.index("chain rule") < rules.index("substitute u back")


def test_chain_rule_step_is_written_as_a_product_of_two_derivatives() -> None:
    step = next(s for s in build("sigmoid").steps if s.rule == "chain rule")
    assert step.lhs == sp.Derivative(sigma(x), x)
    assert set(step.rhs.args) == {sp.Derivative(sigma(x), u), sp.Derivative(u, x)}


def test_result_keeps_sigma_as_sigma() -> None:
    result = build("sigmoid").result
    assert result.lhs == sp.Derivative(sigma(x), x)
    assert not result.rhs.has(sp.exp)
    assert sp.expand(result.rhs.doit() - sigma(x) * (1 - sigma(x))) == 0


def test_every_step_is_verified_symbolically(sigmoid: Derivation) -> None:
    assert [s.verdict.status for s in sigmoid.steps] == ["symbolic"] * len(sigmoid.steps)
    assert sigmoid.result.verdict.status == "symbolic"
    assert sigmoid.ok


def test_flipped_sign_is_rejected_with_a_point_where_the_sides_differ() -> None:
    derivation = build("sigmoid")
    step = next(s for s in derivation.steps if s.rule == "substitute u back")
    verdict = check_equation(step.lhs, -step.rhs, derivation.definitions, x)
    assert verdict.status == "failed"
    point = {sp.Symbol(k): sp.Rational(v) for k, v in verdict.point}
    left = by_hand(step.lhs).subs(point).evalf()
    right = by_hand(-step.rhs).subs(point).evalf()
    assert abs(left - right) > 1e-6
    assert abs(float(verdict.lhs_value) - float(left)) < 1e-9
    assert abs(float(verdict.rhs_value) - float(right)) < 1e-9


def test_lost_chain_factor_is_rejected() -> None:
    derivation = build("sigmoid")
    verdict = check_equation(
        sp.Derivative(sigma(x), x), sp.Derivative(sigma(x), u), derivation.definitions, x
    )
    assert verdict.status == "failed"
