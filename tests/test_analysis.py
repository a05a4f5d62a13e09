"""derive properties and derive gradient: every claim computed, then verified."""

from __future__ import annotations

import mpmath
import pytest
import sympy as sp

from derive.analysis import _function, _inverse, gradient, properties
from derive.errors import DeriveError
from derive.library.catalog import CATALOG, INVERSES
from derive.verify import verify

x = sp.Symbol("x")
SIGMOID = 1 / (1 + sp.exp(-x))


PARAMETERS = set(sp.symbols("alpha lambda"))
ONE_VARIABLE = [
    "sigmoid",
    *(
        name
        for name, entry in sorted(CATALOG.items())
        if entry()[1] == x and entry()[0].free_symbols <= {x, *PARAMETERS}
    ),
]


def test_the_functions_of_one_variable() -> None:
    assert {"sigmoid", "tanh", "relu", "leaky-relu", "mish", "gelu-tanh", "softsign"} <= set(ONE_VARIABLE)
    assert {"elu", "selu"} <= set(ONE_VARIABLE)
    assert not {"logistic-loss", "softmax"} & set(ONE_VARIABLE)  # a second input (the label y), n inputs


@pytest.mark.parametrize("name", ONE_VARIABLE)
def test_every_property_is_verified(name: str) -> None:
    derivation = verify(properties(name))
    assert derivation.ok, [(s.rule, s.verdict.describe()) for s in derivation.steps if not s.verdict.ok]


@pytest.mark.parametrize("name", ONE_VARIABLE)
def test_every_gradient_claim_is_verified(name: str) -> None:
    derivation = verify(gradient(name))
    assert derivation.ok, [(s.rule, s.verdict.describe()) for s in derivation.steps if not s.verdict.ok]


@pytest.mark.parametrize("name", ["swish", "mish", "gelu", "gelu-tanh", "relu"])
def test_no_inverse_for_a_function_not_shown_injective(name: str) -> None:
    """swish and mish dip below zero and come back; ReLU is flat for x < 0."""
    rules = [s.rule for s in properties(name).steps]
    assert "inverse" not in rules and "increasing" not in rules


@pytest.mark.parametrize("name", ["sigmoid", "tanh", "softplus", "logsigmoid", "leaky-relu", "softsign"])
def test_inverse_of_an_increasing_function_undoes_it(name: str) -> None:
    _, _, expr = _function(name)
    claims = {step.rule: step for step in properties(name).steps}
    assert "increasing" in claims
    inverse = claims["inverse"].lhs.args[0]
    y = sp.Symbol("y")
    for t in (-3, -sp.Rational(1, 2), sp.Rational(1, 3), 2):
        value = sp.N(inverse.subs(y, expr.subs(x, t)), 30)
        assert abs(value - t) < 1e-20, (name, t, value)


@pytest.mark.parametrize("name", sorted(INVERSES))
def test_the_search_finds_the_stated_inverse(name: str) -> None:
    """The catalog states each inverse instead of solving for it on every run; SymPy's solve,
    with the verifier choosing among its candidates, finds exactly that expression, and
    ``derive properties`` states it."""
    fx, variable, expr = _function(name)
    (searched,) = _inverse(fx, variable, expr)
    assert searched.lhs.args[0] == INVERSES[name]()
    shown = [s for s in properties(name).steps if s.rule == "inverse"]
    assert [(s.lhs, s.rhs) for s in shown] == [(searched.lhs, searched.rhs)]


def test_a_stated_inverse_that_does_not_undo_the_function_is_not_stated() -> None:
    fx, variable, expr = _function("sigmoid")
    y = sp.Symbol("y")
    assert _inverse(fx, variable, expr, stated=sp.log(y / (y + 1))) == []
    assert _inverse(fx, variable, expr, stated=-sp.log(-y / (y - 1))) == []


def test_gradient_at_a_corner_states_no_value() -> None:
    slope = sp.Derivative(sp.Function("f")(x), x)
    for name, slopes in (("relu", (0, 1)), ("leaky-relu", (sp.Rational(1, 100), 1))):
        steps = gradient(name).steps
        at = {s.lhs.point[0] for s in steps if isinstance(s.lhs, sp.Subs) and s.lhs.expr == slope}
        assert 0 not in at and {2, -2, 5, -5, 10, -10} <= at
        corner = [s for s in steps if s.rule.startswith("no derivative at x = 0")]
        assert [s.rule.split()[-1] for s in corner] == ["left", "right"]
        assert tuple(s.rhs for s in corner) == slopes
        assert all("differ" in s.why for s in corner)
        values = {s.lhs.point[0]: s.rhs for s in steps if s.rule.startswith("value of the derivative")}
        assert values[2] == 1 and values[-2] == slopes[0]


def test_a_parameter_stays_symbolic() -> None:
    """ELU: the limit at −∞ is −α, stated for the case that holds there; the corner note says
    when the one-sided slopes agree."""
    claims = {s.rule: s for s in properties("elu").steps}
    assert claims["limit at −∞"].rhs == -sp.Symbol("alpha")
    assert "x ≤ 0" in claims["limit at −∞"].why
    assert "increasing" not in claims  # α(e^x − 1) increases only for α > 0
    corner = [s for s in gradient("selu").steps if s.rule.startswith("no derivative")]
    assert [s.rhs for s in corner] == [sp.Symbol("alpha") * sp.Symbol("lambda"), sp.Symbol("lambda")]
    assert "differ unless α = 1 or λ = 0" in corner[0].why


def test_softsign_is_differentiable_at_zero() -> None:
    values = {s.lhs.point[0]: s.rhs for s in gradient("softsign").steps if isinstance(s.lhs, sp.Subs)}
    assert values[0] == 1 and values[2] == sp.Rational(1, 9)


def test_cli_exit_codes_of_built_ins(derive_cli) -> None:
    """Commands that used to fail on built-ins: a wrong inverse, a crash on |x|."""
    fixed = [("properties", "relu"), ("properties", "leaky-relu"), ("gradient", "softsign")]
    fixed.append(("properties", "elu"))
    for args in fixed:
        run = derive_cli(*args)
        assert run.returncode == 0, (args, run.stdout[-500:], run.stderr[-500:])
    for args in (("properties", "logistic-loss"), ("gradient", "softmax")):
        run = derive_cli(*args)
        assert run.returncode == 2 and "one variable" in run.stderr, args


def test_sigmoid_properties() -> None:
    claims = {step.rule: step for step in properties("sigmoid").steps}
    sigma = sp.Function("sigma")
    assert claims["limit at ∞"].rhs == 1 and claims["limit at −∞"].rhs == 0
    assert claims["value at 0"].rhs == sp.Rational(1, 2)
    assert claims["symmetry"].lhs == sigma(-x) and claims["symmetry"].rhs == 1 - sigma(x)
    assert claims["increasing"].rhs == 1
    assert claims["largest slope"].rhs == sp.Rational(1, 4)
    assert claims["largest slope"].lhs == sp.Subs(sp.Derivative(sigma(x), x), x, 0)
    y = sp.Symbol("y")
    inverse = claims["inverse"].lhs.args[0]  # sigma(logit(y))
    assert sp.simplify(SIGMOID.subs(x, inverse) - y) == 0


def test_tanh_is_odd_with_slope_one() -> None:
    claims = {step.rule: step.rhs for step in properties("tanh").steps}
    assert claims["symmetry"] == -sp.Function("f")(x)
    assert claims["largest slope"] == 1


@pytest.mark.parametrize(("name", "threshold"), [("sigmoid", "0.01"), ("sigmoid", "0.1"), ("tanh", "0.01")])
def test_threshold_interval_matches_a_numerical_root(name: str, threshold: str) -> None:
    derivation = verify(gradient(name, threshold))
    assert derivation.ok
    ends = [s.lhs.point[0] for s in derivation.steps if s.rule.startswith("derivative = threshold")]
    assert len(ends) == 2
    f = SIGMOID if name == "sigmoid" else sp.tanh(x)
    slope = sp.lambdify(x, sp.diff(f, x), "mpmath")
    root = mpmath.findroot(lambda t: slope(t) - mpmath.mpf(threshold), 3)
    assert abs(float(max(ends, key=float)) - float(abs(root))) < 1e-10
    assert abs(float(min(ends, key=float)) + float(abs(root))) < 1e-10


def test_sigmoid_gradient_table_and_layer_bound() -> None:
    steps = gradient("sigmoid").steps
    values = {s.lhs.point[0]: s.rhs for s in steps if s.rule.startswith("value of the derivative")}
    assert set(values) == {0, 2, -2, 5, -5, 10, -10}
    assert values[0] == sp.Rational(1, 4)
    assert float(values[10]) < 1e-4
    bounds = [s.rhs for s in steps if s.rule.startswith("bound through")]
    assert bounds == [sp.Rational(1, 4) ** n for n in (1, 2, 5, 10)]
    assert [s.rhs for s in gradient("tanh").steps if s.rule.startswith("bound through")] == [1, 1, 1, 1]


@pytest.mark.parametrize("threshold", ["0", "-1", "abc"])
def test_bad_thresholds(threshold: str) -> None:
    with pytest.raises(DeriveError):
        gradient("sigmoid", threshold)


def test_cli(derive_cli) -> None:
    run = derive_cli("gradient", "sigmoid", "--threshold", "0.01")
    assert run.returncode == 0 and "−4.58486 ≤ x ≤ 4.58486" in run.stdout
    assert derive_cli("properties", "sigmoid", "--format", "latex").returncode == 0
    run = derive_cli("properties", "nosuch")
    assert run.returncode == 2 and run.stderr.startswith("derive: error: unknown function")


REAL = sp.Symbol("x", real=True)


@pytest.mark.parametrize(
    "condition",
    [
        REAL > 0,
        REAL <= 0,
        REAL / 100 >= REAL,
        -REAL > 2,
        sp.Rational(1, 3) * REAL - 2 <= 0,
        sp.Ne(REAL, 0),
        sp.Eq(2 * REAL, 1),
        sp.And(REAL <= 0, sp.Ne(REAL, 0)),
        sp.And(sp.Not(REAL / 100 >= REAL), sp.Ne(REAL, 0)),
        sp.Or(REAL < -1, REAL >= 3),
        sp.And(sp.Not(sp.Or(REAL <= 0, REAL > 5)), sp.Ne(REAL, 0)),
        sp.pi * REAL > 1,  # not rational: SymPy's own route
        REAL**2 > 1,  # not linear: SymPy's own route
        sp.true,
        sp.false,
    ],
    ids=str,
)
def test_sets_of_linear_conditions_are_sympys(condition: sp.Basic) -> None:
    """The direct route from intervals gives the very set SymPy's inequality solver gives."""
    from derive.analysis import as_set

    found = as_set(condition, REAL)
    assert found == condition.as_set()
    assert found.as_relational(REAL) == condition.as_set().as_relational(REAL)


def test_properties_from_the_command_line_do_not_load_the_units_system() -> None:
    """SymPy's solve asks for physics.units' Unit when it checks a solution; the command line's
    placeholder answers that without loading the units system (half an ``import sympy``)."""
    import subprocess
    import sys

    program = (
        "import sys\n"
        "from derive.startup import defer_unused_sympy_modules\n"
        "defer_unused_sympy_modules()\n"
        "from derive.analysis import properties\n"
        "from derive.verify import verify\n"
        "assert verify(properties('sigmoid')).ok\n"
        "print(type(sys.modules['sympy.physics.units']).__name__)\n"
    )
    run = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "_Placeholder"
