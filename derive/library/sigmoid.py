"""σ'(x) = σ(x)(1 − σ(x)), derived by substitution and the chain rule.

The route is the classic hand derivation: write σ as the reciprocal of u = 1 + e^(−x),
differentiate the outer and inner parts separately, combine them with the chain rule, put u
back, and recognise the two factors σ and 1 − σ.
"""

from __future__ import annotations

import sympy as sp

from ..model import Definition, Derivation, Step


def build(name: str = "sigmoid") -> Derivation:
    """The sigmoid derivation, unverified (``derive.library.get`` verifies it)."""
    x, u = sp.symbols("x u")
    sigma = sp.Function("sigma")(x)
    inner = 1 + sp.exp(-x)
    dsigma_dx = sp.Derivative(sigma, x)
    dsigma_du = sp.Derivative(sigma, u)
    du_dx = sp.Derivative(u, x)

    def product(*factors: sp.Expr) -> sp.Expr:
        """A product kept as written, factor by factor, instead of collapsed by SymPy."""
        return sp.Mul(*factors, evaluate=False)

    steps = (
        Step(sigma, 1 / u, "substitute u", "With u ≔ 1 + e^(−x) the sigmoid is the reciprocal of u, u^(−1)."),
        Step(dsigma_du, -1 / u**2, "power rule", "d/du uⁿ = n·u^(n−1), here with n = −1."),
        Step(
            du_dx,
            -sp.exp(-x),
            "exponential and chain rule",
            "The constant 1 contributes nothing; d/dx e^(−x) = e^(−x)·(−1).",
        ),
        Step(dsigma_dx, product(dsigma_du, du_dx), "chain rule", "σ depends on x only through u."),
        Step(
            dsigma_dx,
            product(-1 / u**2, -sp.exp(-x)),
            "insert the two derivatives",
            "Use the results of the power rule and the exponential rule.",
        ),
        Step(dsigma_dx, sp.exp(-x) / u**2, "multiply", "The two minus signs cancel."),
        Step(dsigma_dx, sp.exp(-x) / inner**2, "substitute u back", "Replace u by 1 + e^(−x)."),
        Step(
            dsigma_dx,
            product(1 / inner, sp.exp(-x) / inner),
            "split the fraction",
            "Write the square in the denominator as two factors.",
        ),
        Step(1 - sigma, 1 - 1 / inner, "definition of σ", "The second factor is related to 1 − σ(x)."),
        Step(
            1 - sigma,
            sp.exp(-x) / inner,
            "common denominator",
            "1 − 1/(1 + e^(−x)) = (1 + e^(−x) − 1)/(1 + e^(−x)).",
        ),
        Step(
            dsigma_dx,
            product(sigma, 1 - sigma),
            "recognise σ and 1 − σ",
            "The first factor is σ(x), the second is 1 − σ(x).",
        ),
    )
    result = Step(
        dsigma_dx,
        product(sigma, 1 - sigma),
        "result",
        "The derivative of the sigmoid, written through the sigmoid itself.",
    )
    return Derivation(
        title="Derivative of the sigmoid",
        variable=x,
        definitions=(
            Definition(sigma, 1 / inner, "the logistic sigmoid"),
            Definition(u, inner, "the inner function, so that σ = 1/u"),
        ),
        steps=steps,
        result=result,
    )
