"""Activation functions and losses: derivatives step by step, then through the function itself.

Each entry is differentiated by the rule engine and, where a form exists, written through the
function's own value (``y``) and the sigmoid (``sigma``), as backpropagation uses it. Where no
such form exists (GELU needs the normal density) the derivation says so by ending without it.

Each entry states that form (:data:`FORMS`) rather than searching for it on every run: the
search through named functions takes seconds, the check of a known form a fraction of one. A
stated form is not trusted: it passes the same tests as one the search finds (free of the
variable, defined wherever the derivative is, verified), its step is verified again with the
rest of the derivation, and the test suite runs the full search on every entry and requires
the same form, reached by the same moves.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import sympy as sp

from ..analysis import corners, without_corners
from ..interms import Solve, Stated, Substitute, WriteThrough
from ..model import Definition, Derivation, Step
from ..oneline import one_line

x, z, y = sp.symbols("x z y")
sigma = sp.Symbol("sigma")
alpha, scale = sp.symbols("alpha lambda")  # plain symbols, as JSON writes them back


def _sigmoid(variable: sp.Symbol) -> sp.Expr:
    return 1 / (1 + sp.exp(-variable))


# name -> (function, variable, names to write the derivative through; None names the function)
CATALOG: dict[str, Callable[[], tuple[sp.Expr, sp.Symbol, dict[str, sp.Expr | None]]]] = {
    "tanh": lambda: (sp.tanh(x), x, {"y": None}),
    "softplus": lambda: (sp.log(1 + sp.exp(x)), x, {"y": None, "sigma": _sigmoid(x)}),
    "swish": lambda: (x * _sigmoid(x), x, {"y": None, "sigma": _sigmoid(x)}),
    "logsigmoid": lambda: (-sp.log(1 + sp.exp(-x)), x, {"y": None, "sigma": _sigmoid(x)}),
    "logistic-loss": lambda: (
        -(y * sp.log(_sigmoid(z)) + (1 - y) * sp.log(1 - _sigmoid(z))),
        z,
        {"sigma": _sigmoid(z)},
    ),
    "gelu": lambda: (x * (1 + sp.erf(x / sp.sqrt(2))) / 2, x, {"y": None}),
    "gelu-tanh": lambda: (
        x * (1 + sp.tanh(sp.sqrt(2 / sp.pi) * (x + sp.Rational(44715, 10**6) * x**3))) / 2,
        x,
        {"y": None},
    ),
    "mish": lambda: (x * sp.tanh(sp.log(1 + sp.exp(x))), x, {"y": None, "sigma": _sigmoid(x)}),
    "softsign": lambda: (x / (1 + sp.Abs(x)), x, {"y": None}),
    "relu": lambda: (sp.Max(0, x), x, {}),
    "leaky-relu": lambda: (sp.Max(x / 100, x), x, {}),
    "elu": lambda: (sp.Piecewise((x, x > 0), (alpha * (sp.exp(x) - 1), True)), x, {}),
    "selu": lambda: (scale * sp.Piecewise((x, x > 0), (alpha * (sp.exp(x) - 1), True)), x, {}),
}


def _mish_form() -> sp.Expr:
    inner = sp.log(-1 / (sigma - 1))  # x = ln(σ/(1 − σ)), so ln(1 + e^x) = ln(1/(1 − σ))
    return sigma * sp.log(-sigma / (sigma - 1)) / sp.cosh(inner) ** 2 + sp.tanh(inner)


# name -> the derivative through the names above, as the search finds it, with its moves
# (Stated(None): the search finds none); every entry with names has one
FORMS: dict[str, Callable[[], Stated]] = {
    "tanh": lambda: Stated(1 - y**2, (Substitute(y),)),
    "softplus": lambda: Stated(sigma, (Solve(sigma),)),
    "swish": lambda: Stated(y + sigma * (1 - y), (WriteThrough(sp.exp(-x), y), Solve(y))),
    "logsigmoid": lambda: Stated(1 - sigma, (Solve(sigma),)),
    "logistic-loss": lambda: Stated(sigma - y, (Solve(sigma),)),
    "gelu": lambda: Stated(None),
    "gelu-tanh": lambda: Stated(None),
    "mish": lambda: Stated(_mish_form(), (Solve(sigma),)),
    "softsign": lambda: Stated(None),
}


# name -> the inverse of an increasing function, in y, as `derive properties` finds it with
# SymPy's solve (seconds for tanh). Stated, like FORMS: the tests run the search and require
# exactly this expression, and the claim f(inverse) = y is verified with the other properties.
INVERSES: dict[str, Callable[[], sp.Expr]] = {
    "sigmoid": lambda: sp.log(-y / (y - 1)),
    # −(y + 1)/(y − 1), not SymPy's (−y − 1)/(y − 1): the minus is multiplied in last, as solve has it
    "tanh": lambda: sp.log(sp.sqrt((y + 1) / (y - 1) * -1)),
    "softplus": lambda: sp.log(sp.exp(y) - 1),
    "logsigmoid": lambda: -sp.log(-1 + sp.exp(-y)),
    "softsign": lambda: sp.Piecewise((-y / (y - 1), (y >= 0) & (y < 1)), (y / (y + 1), (y > -1) & (y < 0))),
    "leaky-relu": lambda: sp.Piecewise((y, y >= 0), (100 * y, True)),
}


SOFTMAX_SIZE = 3


def softmax(n: int = SOFTMAX_SIZE) -> Derivation:
    """∂sᵢ/∂zⱼ = sᵢ(δᵢⱼ − sⱼ) for the softmax of n inputs, every entry of the Jacobian a claim."""
    zs = sp.symbols(f"z_1:{n + 1}")
    ss = sp.symbols(f"s_1:{n + 1}")
    total = sp.Add(*(sp.exp(zk) for zk in zs))
    definitions = tuple(
        Definition(si, sp.exp(zi) / total, "softmax output") for si, zi in zip(ss, zs, strict=True)
    )
    steps = []
    for i in range(n):
        for j in range(n):
            delta = 1 if i == j else 0
            steps.append(
                Step(
                    sp.Derivative(ss[i], zs[j]),
                    sp.Mul(ss[i], delta - ss[j], evaluate=False) if delta else -ss[i] * ss[j],
                    "quotient rule" if i == j else "quotient rule, constant numerator",
                    "∂sᵢ/∂zⱼ = sᵢ(δᵢⱼ − sⱼ)",
                )
            )
    return Derivation(
        f"Jacobian of the softmax of {n} inputs",
        zs[0],
        definitions,
        tuple(steps),
        replace(steps[0], rule="result"),
    )


def build(name: str) -> Derivation:
    """The catalog entry ``name``, unverified (``derive.library.get`` verifies it)."""
    # imported here: derive properties and gradient read CATALOG without the rule engine
    from ..differentiate import derive_steps, through_names

    if name == "softmax":
        return softmax()
    function, variable, names = CATALOG[name]()
    derivation = derive_steps(function, variable)
    stated = FORMS[name]() if names else None
    if stated is not None and stated.expr is not None:  # none: the search finds none (tested)
        derivation = through_names(derivation, function, variable, names, stated)
    derivation = _with_corners(derivation, function, variable)
    return replace(derivation, title=f"Derivative of {name}", subject=None)


def _with_corners(derivation: Derivation, function: sp.Expr, variable: sp.Symbol) -> Derivation:
    """For a function given by cases: where the cases meet and the one-sided derivatives differ,
    record both as claims, and state the derivative only where it exists: every set of cases
    after differentiating gets strict conditions that leave the corner out (ReLU' is 0 for
    x < 0 and 1 for x > 0, and nothing at x = 0, rather than a value taken from one side)."""
    found = corners(function, variable)
    if not found:
        return derivation
    points = [c.point for c in found]
    steps = [replace(step, rhs=without_corners(step.rhs, variable, points)) for step in derivation.steps]
    for corner in found:
        why = corner.differ(variable)
        steps += [
            Step(
                sp.Subs(sp.Derivative(corner.left_case, variable), variable, corner.point),
                corner.left,
                f"derivative from the left at {one_line(sp.Eq(variable, corner.point))}",
                why,
            ),
            Step(
                sp.Subs(sp.Derivative(corner.right_case, variable), variable, corner.point),
                corner.right,
                f"derivative from the right at {one_line(sp.Eq(variable, corner.point))}",
                why,
            ),
        ]
    where = " and ".join(one_line(sp.Eq(variable, p)) for p in points)
    exists = Step(
        derivation.result.lhs,
        without_corners(derivation.result.rhs, variable, points),
        f"no derivative at {where}",
        "; ".join(c.differ(variable) for c in found),
    )
    steps.append(exists)
    result = replace(exists, rule="result")
    return replace(derivation, steps=tuple(steps), result=result)
