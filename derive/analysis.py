"""Properties and the vanishing gradient of a one-variable function, as verified claims.

Every value here is computed with SymPy (limits, solve, substitution) and then stated as an
equation that the verifier checks like any other step, so ``derive properties`` and
``derive gradient`` print derivations: the same renderers, formats and verdicts.
"""

from __future__ import annotations

from dataclasses import replace

import sympy as sp

from .errors import DeriveError
from .model import Definition, Derivation, Step
from .timing import OutOfTime, time_limit

SAMPLE_POINTS = (0, 2, -2, 5, -5, 10, -10)
LAYERS = (1, 2, 5, 10)


def _function(name: str) -> tuple[sp.Expr, sp.Symbol, sp.Expr]:
    from .library.catalog import CATALOG

    x = sp.Symbol("x")
    if name == "sigmoid":
        expr = 1 / (1 + sp.exp(-x))
    elif name in CATALOG:
        expr, variable, _ = CATALOG[name]()
        if variable != x or expr.free_symbols - {x}:
            raise DeriveError(f"{name} is not a function of x alone; properties need one variable")
    else:
        raise DeriveError(f"unknown function {name!r}; try sigmoid, tanh, softplus, swish, …")
    f = sp.Function(_short(name))
    return f(x), x, expr


def _short(name: str) -> str:
    """The function's name in formulas: σ for the sigmoid, f for the others (a name such as tanh
    would be read back as SymPy's own function)."""
    return "sigma" if name == "sigmoid" else "f"


def _solve(equation: sp.Eq, x: sp.Symbol) -> list[sp.Expr]:
    try:
        with time_limit(5):
            solutions = sp.solve(equation, x)
    except (OutOfTime, NotImplementedError, ValueError, TypeError):
        return []
    return [s for s in solutions if s.is_real is not False]


def properties(name: str) -> Derivation:
    """Limits at ±∞ (the range), the value at 0, symmetry, monotonicity, the largest slope,
    the inflection point and the inverse, for a catalog function of x."""
    fx, x, expr = _function(name)
    f = fx.func
    d1 = sp.diff(expr, x)
    d2 = sp.diff(expr, x, 2)
    steps: list[Step] = []
    for end in (sp.oo, -sp.oo):
        value = sp.limit(expr, x, end)
        steps.append(
            Step(sp.Limit(fx, x, end), value, f"limit at {end}", "the range lies between the limits")
        )
    steps.append(Step(f(0), expr.subs(x, 0), "value at 0"))
    mirror = sp.simplify(expr.subs(x, -x) + expr)
    if x not in mirror.free_symbols:
        steps.append(Step(f(-x), mirror - fx, "symmetry", "f(−x) + f(x) is constant"))
    elif x not in sp.simplify(expr.subs(x, -x) - expr).free_symbols:
        steps.append(Step(f(-x), fx, "symmetry (even)"))
    if name == "sigmoid":
        steps.append(Step(fx, (1 + sp.tanh(x / 2)) / 2, "relation to tanh"))
    if _is_positive(d1, x):
        steps.append(
            Step(sp.sign(sp.Derivative(fx, x)), 1, "increasing", "the derivative is positive for every x")
        )
    for point in _solve(sp.Eq(d2, 0), x)[:2]:
        steps.append(
            Step(
                sp.Subs(sp.Derivative(fx, (x, 2)), x, point),
                0,
                "inflection point",
                "the second derivative vanishes: the slope is largest (or smallest) here",
            )
        )
        steps.append(
            Step(sp.Subs(sp.Derivative(fx, x), x, point), sp.simplify(d1.subs(x, point)), "largest slope")
        )
    y = sp.Symbol("y")
    inverses = _solve(sp.Eq(y, expr), x)
    if len(inverses) == 1:
        steps.append(Step(f(inverses[0]), y, "inverse", f"x = {sp.sstr(inverses[0])} undoes {f}"))
    return Derivation(
        f"Properties of {name}",
        x,
        (Definition(fx, expr, name),),
        tuple(steps),
        replace(steps[-1], rule="result"),
    )


def _decimal(value: sp.Expr) -> str:
    return f"{float(sp.N(value, 15)):.6g}"


def _is_positive(expr: sp.Expr, x: sp.Symbol) -> bool:
    real = sp.Symbol(x.name, real=True)
    return bool(sp.simplify(expr.xreplace({x: real})).is_positive)


def gradient(name: str, threshold: sp.Expr | float | str | None = None) -> Derivation:
    """Where the derivative is at least ``threshold`` (in closed form), its values at a few points,
    and the bound on the gradient through n stacked layers."""
    fx, x, expr = _function(name)
    if threshold is None:
        threshold = sp.Rational(1, 100)
    try:
        epsilon = threshold if isinstance(threshold, sp.Basic) else sp.Rational(str(threshold))
    except (TypeError, ValueError):
        raise DeriveError(f"the threshold must be a number, not {threshold!r}") from None
    if not (epsilon > 0):
        raise DeriveError("the threshold must be positive")
    d1 = sp.diff(expr, x)
    derivative = sp.Derivative(fx, x)
    steps: list[Step] = []
    ends = sorted((sp.simplify(p) for p in _solve(sp.Eq(d1, epsilon), x)), key=lambda p: sp.N(p))
    title = f"Vanishing gradient of {name}"
    if len(ends) == 2:
        low, high = _decimal(ends[0]), _decimal(ends[1])
        title += f": the derivative is at least {epsilon} exactly for {low} ≤ x ≤ {high}"
    for end in ends:
        steps.append(
            Step(sp.Subs(derivative, x, end), epsilon, f"derivative = threshold at x ≈ {_decimal(end)}")
        )
    for point in SAMPLE_POINTS:
        value = sp.simplify(d1.subs(x, point))
        steps.append(
            Step(sp.Subs(derivative, x, point), value, f"value of the derivative ≈ {_decimal(value)}")
        )
    peaks = [sp.simplify(d1.subs(x, p)) for p in _solve(sp.Eq(sp.diff(expr, x, 2), 0), x)]
    if peaks:
        peak = max(peaks, key=lambda v: sp.N(v))
        for layers in LAYERS:
            steps.append(
                Step(
                    sp.Pow(peak, layers, evaluate=False),
                    peak**layers,
                    f"bound through {layers} stacked layers ≈ {_decimal(peak**layers)}",
                    "a product of derivatives is at most the largest slope to that power",
                )
            )
    if not steps:
        raise DeriveError(f"nothing to say about the gradient of {name}")
    return Derivation(title, x, (Definition(fx, expr, name),), tuple(steps), replace(steps[0], rule="result"))
