"""derive implicit: implicit derivatives against SymPy's idiff, each step checked on the curve,
and a written implicit differentiation checked the same way by derive check."""

from __future__ import annotations

from collections.abc import Callable

import pytest
import sympy as sp

from derive import check, implicit, load
from derive.errors import DeriveError
from derive.formats import render
from derive.model import Status
from derive.relations import follows, shorten

from .conftest import ROOT, run_derive

x, y = sp.symbols("x y")

# (relation as a user types it, the same relation built in SymPy as lhs − rhs, a point of the curve
# to compare at: x there and a guess for y near a branch)
Relation = tuple[str, Callable[[sp.Symbol, sp.Symbol], sp.Expr], float, float]
RELATIONS: list[Relation] = [
    ("x^2 + y^2 = 1", lambda x, y: x**2 + y**2 - 1, 0.6, 0.8),
    ("x^3 + y^3 = 6xy", lambda x, y: x**3 + y**3 - 6 * x * y, 1.0, 2.3),
    ("x^2 + xy + y^2 = 3", lambda x, y: x**2 + x * y + y**2 - 3, 1.0, 0.9),
    ("y^2 = 4x", lambda x, y: y**2 - 4 * x, 1.0, 1.9),
    ("sin(xy) = x", lambda x, y: sp.sin(x * y) - x, 0.5, 1.0),
    ("e^y + xy = e", lambda x, y: sp.exp(y) + x * y - sp.E, 0.3, 0.9),
    ("xy = 1", lambda x, y: x * y - 1, 2.0, 0.5),
    ("x^2/4 + y^2/9 = 1", lambda x, y: x**2 / 4 + y**2 / 9 - 1, 1.0, 2.5),
    ("y^3 + y = x", lambda x, y: y**3 + y - x, 2.0, 1.1),
    ("ln(y) + x = y", lambda x, y: sp.log(y) + x - y, 2.0, 3.0),
    ("x^2 y + y^3 = 2", lambda x, y: x**2 * y + y**3 - 2, 1.0, 0.9),
    ("sqrt(x) + sqrt(y) = 3", lambda x, y: sp.sqrt(x) + sp.sqrt(y) - 3, 1.0, 3.8),
    ("cos(x + y) = y", lambda x, y: sp.cos(x + y) - y, 0.2, 0.6),
    ("y e^x = x^2 + 1", lambda x, y: y * sp.exp(x) - x**2 - 1, 0.5, 0.7),
    ("x^4 + y^4 = 16", lambda x, y: x**4 + y**4 - 16, 1.0, 1.9),
    ("tan(y) = x", lambda x, y: sp.tan(y) - x, 1.0, 0.8),
    ("x^2 - y^2 = 1", lambda x, y: x**2 - y**2 - 1, 2.0, 1.7),
    ("x y^2 - x^3 = 2 y", lambda x, y: x * y**2 - x**3 - 2 * y, 1.0, 2.5),
]
SECOND_ORDER = [r for r in RELATIONS if r[0] not in {"sin(xy) = x", "cos(x + y) = y", "ln(y) + x = y"}]


def _at_curve_point(relation: Relation) -> dict[sp.Symbol, sp.Float]:
    """A point of the curve near the guess, to 30 digits (SymPy's nsolve, independent of derive)."""
    _, built, x0, guess = relation
    y0 = sp.nsolve(built(sp.Float(x0, 30), y), y, guess, prec=30)
    return {x: sp.Float(x0, 30), y: y0}


def _compare(relation: Relation, order: int) -> None:
    text, built, _, _ = relation
    derivation = implicit(text, order=order)
    assert all(s.verdict.status is Status.SYMBOLIC for s in (*derivation.steps, derivation.result)), [
        (s.rule, s.verdict.describe()) for s in derivation.steps if s.verdict.status is not Status.SYMBOLIC
    ]
    ours = derivation.result.rhs.xreplace({sp.Function("y")(derivation.variable): y}).xreplace(
        {derivation.variable: x}
    )
    assert not ours.has(sp.Derivative)
    expected = sp.idiff(built(x, y), y, x, order)
    # derive may shorten the result with the relation, so the two are compared on the curve
    point = _at_curve_point(relation)
    assert abs(sp.N(ours.subs(point), 25) - sp.N(expected.subs(point), 25)) < 1e-15


@pytest.mark.parametrize("relation", RELATIONS, ids=[r[0] for r in RELATIONS])
def test_first_derivative_agrees_with_idiff_on_the_curve(relation: Relation) -> None:
    _compare(relation, 1)


@pytest.mark.parametrize("relation", SECOND_ORDER, ids=[r[0] for r in SECOND_ORDER])
def test_second_derivative_agrees_with_idiff_on_the_curve(relation: Relation) -> None:
    _compare(relation, 2)


def test_third_derivative_of_a_hyperbola() -> None:
    _compare(RELATIONS[16], 3)


def test_the_circle_step_by_step() -> None:
    derivation = implicit("x^2 + y^2 = 1", order=2)
    Y = sp.Function("y")(derivation.variable)
    X = derivation.variable
    # the relation is the condition of every step that needs it; the engine's steps are identities
    assert derivation.steps[0].condition == sp.Eq(X**2 + Y**2, 1)
    assert any(s.condition is None and s.rule.startswith("sum rule") for s in derivation.steps)
    solved = next(s for s in derivation.steps if s.lhs == sp.Derivative(Y, X) and s.rule.startswith("divide"))
    assert solved.rhs == -X / Y
    assert derivation.result.rhs == -1 / Y**3  # shortened with the relation: −(x² + y²)/y³ = −1/y³
    used = next(s for s in derivation.steps if s.rule.startswith("use the relation"))
    assert "remainder 0 modulo the relation" in used.verdict.method


def test_a_parameter_other_names_and_variables() -> None:
    derivation = implicit("t^2 + s^3 = a", var="t", dep="s")
    s = sp.Function("s")(derivation.variable)
    assert derivation.variable.name == "t"
    assert sp.simplify(derivation.result.rhs - (-2 * derivation.variable / (3 * s**2))) == 0
    assert derivation.ok


def test_value_at_a_point_of_the_curve() -> None:
    derivation = implicit("x^2 + y^2 = 25", order=1, at="x=3,y=4")
    assert derivation.result.rhs == sp.Rational(-3, 4)
    assert "≈ −0.75" in derivation.result.why and derivation.ok
    on_curve = derivation.steps[-2]
    assert on_curve.rule == "the point (3, 4) lies on the curve"
    second = implicit("x^2 + y^2 = 1", order=2, at={"x": 0, "y": -1})
    assert second.result.rhs == 1 and second.ok


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (("x^2 + y^2",), "needs an '='"),
        (("x^2 + y^2 < 1",), "needs an '='"),
        (("x^2 = 1",), "does not involve y"),
        (("x^2 + y^2 = 1", "x+1"), "--var must be a single name"),
        (("x^2 + y^2 = 1", "x", "x"), "must be different names"),
        (("x^2 + y^2 = 1", "x", "y", 4), "between 1 and 3"),
        (("x^2 + y^2 = 1", "x", "y", 1, "x=0,y=2"), r"not on the curve"),
        (("x^2 + y^2 = 1", "x", "y", 1, "x=1,y=0"), "not defined at"),
        (("x^2 + y^2 = 1", "x", "y", 1, "x=0"), "give both"),
        (("x^2 + y^2 = 1", "x", "y", 1, "z=0,y=1"), "names 'z'"),
        (("x^2 + y^2 = 1", "x", "y", 1, "x=i,y=1"), "real number"),
        (("y + x = y + 1",), "does not determine"),
    ],
)
def test_bad_input_is_one_line(arguments: tuple, message: str) -> None:
    with pytest.raises(DeriveError, match=message):
        implicit(*arguments)


@pytest.mark.parametrize(
    "arguments",
    [
        ["implicit", "x^2 + y^2"],
        ["implicit", "x^2 + y^2 = 1", "--var", "2"],
        ["implicit", "x^2 + y^2 = 1", "--at", "x=0,y=3"],
        ["implicit", "x^2 + y^2 = 1", "--at", "x==1"],
    ],
)
def test_cli_errors_are_one_line_with_exit_2(arguments: list[str]) -> None:
    run = run_derive(*arguments)
    assert run.returncode == 2 and run.stdout == ""
    assert run.stderr.startswith("derive: error: ") and run.stderr.count("\n") == 1, run.stderr


def test_cli_shows_the_value_exact_and_decimal() -> None:
    run = run_derive("implicit", "x^3 + y^3 = 6xy", "--at", "x=3,y=3", "-f", "text")
    assert run.returncode == 0, run.stderr
    assert "dy/dx at x = 3, y = 3 (≈ −1)" in run.stdout
    assert "verified symbolically" in run.stdout or "✓ symbolic" in run.stdout


@pytest.mark.parametrize("fmt", ["json", "latex", "markdown", "text"])
def test_the_derivation_reads_back_and_checks_the_same(fmt: str) -> None:
    derivation = implicit("x^2 + x y + y^2 = 3", order=2)
    again = check(render(derivation, fmt), fmt)
    assert again.ok and all(s.verdict.status is Status.SYMBOLIC for s in again.steps)
    assert len(again.steps) >= len(derivation.steps) - 1


def test_json_keeps_the_relation() -> None:
    derivation = implicit("y^2 = 4x")
    loaded = load(render(derivation, "json"), "json")
    assert loaded.result.condition == derivation.result.condition


WRITTEN = r"""
Differentiate $x^2 + y^2 = 25$ implicitly.
\begin{align*}
2x + 2y \frac{dy}{dx} &= 0 \\
\frac{dy}{dx} &= %s \\
\frac{d^2y}{dx^2} &= -\frac{y - x \frac{dy}{dx}}{y^2} \\
&= %s
\end{align*}
"""


def test_a_written_implicit_differentiation_right_is_proved() -> None:
    checked = check(WRITTEN % (r"-\frac{x}{y}", r"-\frac{25}{y^3}"), "latex")
    assert [s.verdict.status for s in checked.steps] == [Status.SYMBOLIC] * 4
    assert "follows from x**2 + y**2 = 25" in checked.steps[0].verdict.method
    # −25/y³ needs the relation itself (x² + y² = 25), not only dy/dx written through x and y
    assert "remainder 0 modulo the relation" in checked.steps[3].verdict.method


def test_a_written_implicit_differentiation_wrong_is_refuted_on_its_line() -> None:
    checked = check(WRITTEN % (r"\frac{x}{y}", r"-\frac{25}{y^3}"), "latex")
    statuses = [s.verdict.status for s in checked.steps]
    assert statuses[0] is Status.SYMBOLIC and statuses[1] is Status.FAILED
    failed = checked.steps[1].verdict
    assert failed.point and failed.lhs_value != failed.rhs_value
    wrong_end = check(WRITTEN % (r"-\frac{x}{y}", r"\frac{25}{y^3}"), "latex")
    assert [s.verdict.status for s in wrong_end.steps][-1] is Status.FAILED


def test_cli_check_of_a_written_derivation(tmp_path) -> None:  # type: ignore[no-untyped-def]
    right = tmp_path / "right.tex"
    right.write_text(WRITTEN % (r"-\frac{x}{y}", r"-\frac{25}{y^3}"), encoding="utf-8")
    wrong = tmp_path / "wrong.tex"
    wrong.write_text(WRITTEN % (r"\frac{x}{y}", r"-\frac{25}{y^3}"), encoding="utf-8")
    assert run_derive("check", str(right)).returncode == 0
    assert run_derive("check", str(wrong)).returncode == 1


# -- the relations module directly ------------------------------------------------------------------

X = sp.Symbol("x", real=True)
Y = sp.Function("y")(X)
CIRCLE = sp.Eq(X**2 + Y**2, 1)


def test_a_claim_at_a_point_of_the_curve_is_decided_exactly() -> None:
    slope, second = sp.Subs(sp.Derivative(Y, X), X, 0), sp.Subs(sp.Derivative(Y, (X, 2)), X, 0)
    at_top = sp.And(CIRCLE, sp.Eq(sp.Function("y")(0), 1))
    at_bottom = sp.And(CIRCLE, sp.Eq(sp.Function("y")(0), -1))
    assert follows(slope, sp.Integer(0), CIRCLE, X, at_top).status is Status.SYMBOLIC
    assert follows(second, sp.Integer(-1), CIRCLE, X, at_top).status is Status.SYMBOLIC
    assert follows(second, sp.Integer(-1), CIRCLE, X, at_bottom).status is Status.FAILED
    off = sp.And(CIRCLE, sp.Eq(sp.Function("y")(0), 2))
    assert follows(slope, sp.Integer(0), CIRCLE, X, off).status is Status.UNDECIDED


def test_reduction_treats_other_functions_as_names_of_their_own() -> None:
    # on sin(y) = x², the claim cos(y)·y' = 2x holds; sin(y)·y'... is not written through x and y
    relation = sp.Eq(sp.sin(Y) + X, X**2 + sp.sin(Y) ** 2)
    claim = sp.sin(Y) ** 2 - sp.sin(Y), X - X**2
    assert follows(*claim, relation, X).status is Status.SYMBOLIC
    assert "remainder 0" in follows(*claim, relation, X).method


def test_shorten_uses_the_relation_only_where_it_helps() -> None:
    assert shorten(-(X**2 + Y**2) / Y**3, CIRCLE, X) == -1 / Y**3
    assert shorten(-X / Y, CIRCLE, X) is None


def test_no_verdict_is_claimed_without_a_function_of_the_variable() -> None:
    assert follows(X, X, sp.Eq(X, 1), X) is None


def test_the_committed_example_is_up_to_date() -> None:
    fresh = render(implicit("x^3 + y^3 = 6xy", order=2), "markdown")
    assert (ROOT / "output" / "implicit-folium.md").read_text(encoding="utf-8") == fresh
    assert "16 x y" in fresh  # y'' = 16xy/(2x − y²)³, shortened with the relation


def test_on_a_transcendental_curve_a_wrong_claim_is_refuted_and_a_true_one_never_is() -> None:
    on_sine = sp.Eq(sp.sin(Y), X)
    # cos²y = 1 − x² holds on sin y = x (it needs sin² + cos² = 1, which no reduction sees)
    assert follows(sp.cos(Y) ** 2, 1 - X**2, on_sine, X).status is Status.UNDECIDED
    wrong = follows(sp.cos(Y) ** 2, 1 + X**2, on_sine, X)
    assert wrong.status is Status.FAILED and wrong.point
    # a difference of 10⁻⁶ is found; the point's own error (10⁻⁸⁰) is not taken for one
    lambert = sp.Eq(sp.exp(Y) + Y, X)
    assert follows(sp.exp(2 * Y), (X - Y) ** 2, lambert, X).status is Status.SYMBOLIC
    off = follows(sp.exp(2 * Y), (X - Y) ** 2 + sp.Rational(1, 10**6), lambert, X)
    assert off.status is Status.FAILED


def test_a_first_order_claim_on_a_trigonometric_curve_needs_no_higher_derivatives() -> None:
    # the third derivative of this curve takes minutes to cancel; y' alone is quick
    derivation = implicit("sin(x*y) + cos(x + y^3) = x*exp(y)")
    assert derivation.ok
