"""derive tangent, --at on derive diff, and derive plot of any expression."""

from __future__ import annotations

from pathlib import Path

import pytest
import sympy as sp

from derive import differentiate, tangent, with_value
from derive.errors import DeriveError
from derive.formats import render
from derive.model import Status
from derive.parse import parse
from derive.points import parse_at, slope_at

from .conftest import ROOT, run_derive

x = sp.Symbol("x")

# (expression as typed, the same built in SymPy, the point a): slopes positive, zero, negative
TANGENTS = [
    ("x^2", x**2, 2),
    ("x^3 - 3x", x**3 - 3 * x, 1),  # slope 0: a horizontal tangent
    ("-x^2", -(x**2), 1),  # slope −2
    ("e^(-x)", sp.exp(-x), 0),
    ("sin x", sp.sin(x), sp.pi / 4),
    ("ln x", sp.log(x), sp.E),
    ("x/(1 + x^2)", x / (1 + x**2), 3),  # slope −2/25
    ("sqrt(x)", sp.sqrt(x), 4),
    ("x|x|", x * sp.Abs(x), 0),  # |x| inside, yet x|x| has a derivative at 0: 0
    ("max(0, x)", sp.Max(0, x), 2),  # ReLU away from its corner
    ("cos(x)^2", sp.cos(x) ** 2, sp.pi / 2),  # slope 0 at a minimum
]


@pytest.mark.parametrize(("text", "built", "a"), TANGENTS, ids=[t[0] for t in TANGENTS])
def test_tangent_line_agrees_with_sympy(text: str, built: sp.Expr, a: sp.Expr) -> None:
    derivation = tangent(text, at=f"x={sp.sstr(a)}")
    assert derivation.ok and all(s.verdict.status is Status.SYMBOLIC for s in derivation.steps)
    X = derivation.variable
    expected = sp.expand(built.subs(x, a) + sp.diff(built, x).subs(x, a) * (x - a))
    assert sp.simplify(derivation.result.rhs.xreplace({X: x}) - expected) == 0
    assert derivation.result.lhs == sp.Symbol("y")


def test_the_line_is_stated_as_f_a_plus_slope_times_x_minus_a() -> None:
    derivation = tangent("x^3 - 3x", at="x=1")
    stated = next(s for s in derivation.steps if s.rule.startswith("the tangent line"))
    X = derivation.variable
    # kept as written, the zero slope included: −2 + 0·(x − 1)
    assert set(stated.rhs.args) == {sp.Integer(-2), sp.Mul(0, X - 1, evaluate=False)}
    assert derivation.result.rhs == -2
    assert any("slope f' at x = 1 (≈ 0)" in s.rule for s in derivation.steps)


@pytest.mark.parametrize(
    ("text", "a", "message"),
    [
        ("|x|", "x=0", "one-sided slopes of"),
        ("x^(1/3)", "x=0", "infinite"),
        ("sqrt(x)", "x=0", "infinite"),
        ("max(0, x)", "x=0", "one-sided slopes of"),
        ("ln x", "x=0", "no real value"),
        ("1/x", "x=0", "no real value"),
        ("sqrt(x)", "x=-1", "no real value"),
        ("x^2", "y=1", "names 'y'"),
        ("x^2", "x=", "name=value"),
        ("x^2", "x=oops", "real number"),
        ("sign(x)|x|^(1/3)", "x=0", "the vertical line x = 0"),
    ],
)
def test_no_tangent_where_there_is_no_derivative(text: str, a: str, message: str) -> None:
    with pytest.raises(DeriveError, match=message):
        tangent(text, at=a)


@pytest.mark.parametrize(("text", "a"), [("|x|", "x=0"), ("x^(1/3)", "x=0"), ("x^2", "x=1,y=2")])
def test_cli_no_tangent_is_one_line_and_exit_2(text: str, a: str) -> None:
    run = run_derive("tangent", text, "--at", a)
    assert run.returncode == 2 and run.stdout == ""
    assert run.stderr.startswith("derive: error: ") and run.stderr.count("\n") == 1, run.stderr


def test_cli_tangent_with_a_leading_minus() -> None:
    run = run_derive("tangent", "-x^2", "--at", "x=1", "-f", "text")
    assert run.returncode == 0, run.stderr
    assert "= 1 − 2·x" in run.stdout and "(≈ −2)" in run.stdout


def test_a_slope_is_decided_by_one_sided_limits_not_by_the_formula() -> None:
    # d/dx |x| = sign(x) is 0 at 0 by formula; |x| has no derivative there
    assert sp.sign(0) == 0 and slope_at(sp.Abs(x), x, 0).value is None
    assert slope_at(x * sp.Abs(x), x, 0).value == 0
    assert slope_at(sp.cbrt(x), x, 0).problem == "the slope of x^(1/3) is infinite there"
    assert (
        slope_at(sp.Abs(x), x, 0).problem
        == "the one-sided slopes of |x| differ (−1 from the left, 1 from the right)"
    )
    assert slope_at(x**3, x, -2).value == 12


def test_points_given_in_python_are_numbers_never_text_to_evaluate() -> None:
    line = tangent("x^2", at=sp.Rational(1, 2))
    assert line.result.rhs == line.variable - sp.Rational(1, 4)
    for bad in ("__import__('os')", "x", object()):
        with pytest.raises(DeriveError):
            tangent("x^2", at=bad)


def test_parse_at() -> None:
    assert parse_at("x=1/2, y=-3", ("x", "y")) == {"x": sp.Rational(1, 2), "y": -3}
    assert parse_at("x=pi/4", ("x",)) == {"x": sp.pi / 4}
    for bad in ("x=1,x=2", "x", "x=1=2", "x=I"):
        with pytest.raises(DeriveError):
            parse_at(bad, ("x",))


# -- --at on derive diff ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "order", "a", "built"),
    [
        ("x e^(-x)", 1, 2, x * sp.exp(-x)),
        ("sin x", 1, sp.pi / 3, sp.sin(x)),
        ("x^3 sin(x)", 2, sp.pi, x**3 * sp.sin(x)),
        ("x|x|", 1, 0, x * sp.Abs(x)),
        ("ln(1 + x^2)", 3, 1, sp.log(1 + x**2)),
    ],
)
def test_value_at_a_point_is_a_final_verified_step(text: str, order: int, a: sp.Expr, built: sp.Expr) -> None:
    derivation = with_value(differentiate(text, order=order), f"x={sp.sstr(a)}")
    expected = sp.diff(built, x, order).subs(x, a)
    assert sp.simplify(derivation.result.rhs - expected) == 0
    assert derivation.result.verdict.status is Status.SYMBOLIC and derivation.ok
    assert f"(≈ {float(expected):.12g})".replace("-", "−") in derivation.steps[-1].rule


def test_no_value_where_there_is_no_derivative() -> None:
    with pytest.raises(DeriveError, match="no derivative at x = 0"):
        with_value(differentiate("|x|"), "x=0")
    with pytest.raises(DeriveError, match="no derivative at x = 0"):
        with_value(differentiate("|x|", order=2), "x=0")


def test_cli_diff_at_shows_exact_and_decimal() -> None:
    run = run_derive("diff", "x e^(-x)", "--at", "x=2", "-f", "text")
    assert run.returncode == 0, run.stderr
    assert "value at x = 2 (≈ −0.135335283237)" in run.stdout and "= −e^(−2)" in run.stdout
    bad = run_derive("diff", "|x|", "--at", "x=0")
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1 and "one-sided slopes of" in bad.stderr


# -- plots of any expression -------------------------------------------------------------------------


def test_plot_of_an_expression_with_its_tangent(tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    from derive.plot import plot_expression

    svg = plot_expression("x^3 - 3x", tmp_path / "cubic.svg", (-3.0, 3.0), "x=2").read_text(encoding="utf-8")
    assert "<svg" in svg and "tangent at x = 2: y = 9·x − 16" in svg and "3·x² − 3" in svg
    png = plot_expression("1/x + |x - 1|", tmp_path / "pole.png")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_cli_plot_of_an_expression_and_of_a_catalog_name(tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    run = run_derive("plot", "sin x", "-o", str(tmp_path / "s.png"), "--range", "-pi,pi", "--at", "x=0")
    assert run.returncode == 0, run.stderr
    assert (tmp_path / "s.png").read_bytes()[:4] == b"\x89PNG"
    assert run_derive("plot", "tanh", "-o", str(tmp_path / "t.png")).returncode == 0


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["x*y"], "of x alone"),
        (["x^2", "--range", "3,1"], "a < b"),
        (["x^2", "--range", "1"], "two numbers"),
        (["|x|", "--at", "x=0"], "no tangent line"),
        (["sigmod"], "did you mean sigmoid"),
        (["tanh", "--range", "0,1"], "not a catalog name"),
    ],
)
def test_cli_plot_errors(tmp_path: Path, arguments: list[str], message: str) -> None:
    pytest.importorskip("matplotlib")
    run = run_derive("plot", arguments[0], "-o", str(tmp_path / "p.png"), *arguments[1:])
    assert run.returncode == 2 and message in run.stderr and run.stderr.count("\n") == 1, run.stderr
    assert list(tmp_path.iterdir()) == []


def test_the_committed_example_is_up_to_date() -> None:
    fresh = render(tangent("x^3 - 3x", at="x=2"), "markdown")
    assert (ROOT / "output" / "tangent-cubic.md").read_text(encoding="utf-8") == fresh
    assert (ROOT / "output" / "cubic-tangent.png").read_bytes()[:4] == b"\x89PNG"


@pytest.mark.parametrize("expression", ["sign(x)", "Heaviside(x)", "floor(x)"])
def test_a_jump_has_no_tangent_not_a_vertical_one(expression: str) -> None:
    slope = slope_at(parse(expression), sp.Symbol("x"), sp.Integer(0))
    assert slope.value is None and not slope.vertical and "jumps" in slope.problem


def test_an_unspecified_function_has_a_value_that_depends_on_it_not_none() -> None:
    # f(1) is some number: "f(x) has no real value there" would be false
    with pytest.raises(DeriveError, match="the value of f\\(x\\) there depends on what f is"):
        with_value(differentiate("f(x)"), "x=1")
    with pytest.raises(DeriveError, match="depends on what f is"):
        tangent("f(x)", "x=0")
    with pytest.raises(DeriveError, match="1/x has no real value there"):
        with_value(differentiate("1/x"), "x=0")
