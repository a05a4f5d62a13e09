"""How large an expression may grow before exact arithmetic on it is refused.

Counting operations (the verifier's budgets) misses the cases here: a short expression whose
exact value or expansion is astronomically large. Checks that meet one give up, undecided.
"""

from __future__ import annotations

import functools

import sympy as sp

from .walk import distinct

MAX_EXPANDED_POWER = 40


def expansion_safe(expr: sp.Basic) -> bool:
    """False when multiplying ``expr`` out could exhaust memory: a sum raised to a large power
    ((x + y)^(10^10) has too many terms for any machine)."""
    for node in distinct(expr):
        if (
            isinstance(node, sp.Pow)
            and node.exp.is_Integer
            and abs(node.exp) > MAX_EXPANDED_POWER
            and node.base.has(sp.Add)
            and node.base.free_symbols
        ):
            return False
    return True


def small_degree(expr: sp.Basic) -> bool:
    """False when ``expr`` holds an integer power above :data:`MAX_EXPANDED_POWER`: solving a
    polynomial of that degree is no check's business."""
    return not any(
        isinstance(p, sp.Pow) and p.exp.is_Integer and abs(p.exp) > MAX_EXPANDED_POWER for p in distinct(expr)
    )


@functools.lru_cache(maxsize=4096)  # asked at every point of every sample
def exact_at_points(expr: sp.Basic, x: sp.Symbol) -> bool:
    """True when putting an exact rational with ten-digit parts for ``x`` keeps ``expr`` small:
    powers of ``x`` have small rational exponents, and no exponent depends on ``x`` (2^x at
    x = p/q asks SymPy for a q-th root of 2^p, which never finishes for ten-digit p and q)."""
    for p in distinct(expr):
        if not isinstance(p, sp.Pow):
            continue
        if p.exp.has(x) and p.base is not sp.E:
            return False
        if p.base.has(x) and not (
            p.exp.is_Rational and abs(p.exp.p) <= MAX_EXPANDED_POWER and p.exp.q <= MAX_EXPANDED_POWER
        ):
            return False
    return True
