"""Activation functions and losses: derivatives step by step, then through the function itself.

Each entry is differentiated by the rule engine and, where a form exists, written through the
function's own value (``y``) and the sigmoid (``sigma``), as backpropagation uses it. Where no
such form exists (GELU needs the normal density) the derivation says so by ending without it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import sympy as sp

from ..differentiate import derive_steps, through_names
from ..model import Definition, Derivation, Step

x, z, y = sp.symbols("x z y")
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
                    "∂s_i/∂z_j = s_i(δ_ij − s_j)",
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
    if name == "softmax":
        return softmax()
    function, variable, names = CATALOG[name]()
    derivation = derive_steps(function, variable)
    if names:
        derivation = through_names(derivation, function, variable, names)
    derivation = _with_corners(derivation, function, variable)
    return replace(derivation, title=f"Derivative of {name}")


def _with_corners(derivation: Derivation, function: sp.Expr, variable: sp.Symbol) -> Derivation:
    """For a function given by cases: where the cases meet, compare the one-sided derivatives and
    record as claims the point where they differ (there is no derivative there)."""
    pieces = function.rewrite(sp.Piecewise)
    pieces = next(iter(pieces.atoms(sp.Piecewise)), None)
    if pieces is None:
        return derivation
    corners = sorted(
        {b for cond in (c for _, c in pieces.args) for b in _boundaries(cond, variable)}, key=str
    )
    steps = list(derivation.steps)
    for corner in corners:
        left, right = (_one_sided(pieces, variable, corner, side) for side in (-1, 1))
        if sp.simplify(left[1] - right[1]) != 0:
            why = (
                f"the one-sided derivatives at {variable} = {corner} differ, so there is no derivative there"
            )
            steps += [
                Step(left[0], left[1], f"derivative from the left at {variable} = {corner}", why),
                Step(right[0], right[1], f"derivative from the right at {variable} = {corner}", why),
            ]
    return replace(derivation, steps=tuple(steps))


def _boundaries(condition: sp.Basic, variable: sp.Symbol) -> list[sp.Expr]:
    if isinstance(condition, sp.core.relational.Relational):
        solved = sp.solve(sp.Eq(condition.lhs, condition.rhs), variable)
        return [s for s in solved if s.is_real]
    return [b for arg in getattr(condition, "args", ()) for b in _boundaries(arg, variable)]


def _one_sided(
    pieces: sp.Piecewise, variable: sp.Symbol, corner: sp.Expr, side: int
) -> tuple[sp.Expr, sp.Expr]:
    """The claim (d/dx of the case that holds beside ``corner``, at ``corner``) and its value.

    The case's derivative is taken at the corner itself: each case is smooth there, and this
    avoids limits of piecewise expressions, which SymPy does not always get right."""
    beside = corner + side * sp.Rational(1, 10**6)
    for expr, condition in pieces.args:
        if condition.subs(variable, beside) is sp.true:
            claim = sp.Subs(sp.Derivative(expr, variable), variable, corner)
            return claim, sp.diff(expr, variable).subs(variable, corner)
    raise ValueError(f"no case holds beside {corner}")
