"""Claims that follow from a relation: implicit differentiation.

After ``x² + y² = 1``, y is a function of x defined by the curve, and ``2x + 2y·y' = 0`` or
``y' = −x/y`` are not identities but consequences of the relation. Such a claim is checked on the
curve: y' (and y'', y''') are written through x and y by differentiating the relation
(y' = −R_x/R_y), y(x) becomes a plain unknown Y, and the claim's numerator must vanish wherever
R(x, Y) = 0:

* for a polynomial relation, the numerator is reduced modulo R (one polynomial is a Gröbner basis
  of the ideal it generates): remainder zero means the claim follows from the relation;
* otherwise, or when the remainder is not zero, points of the curve are computed (real roots in
  Y at random rational x) and a point where the claim fails on the curve refutes it.

A claim neither reduced to zero nor refuted on the curve is undecided.
"""

from __future__ import annotations

import random

import sympy as sp
from sympy.core.function import AppliedUndef

from .evidence import seed_of, value, vouched_nonzero
from .model import Status, Verdict
from .sizes import exact_at_points, expansion_safe

MAX_ORDER = 3
_POINTS = 12


def relation_of(condition: sp.Basic | None) -> sp.Eq | None:
    """The equation among a claim's conditions, if there is one."""
    if condition is None:
        return None
    if isinstance(condition, sp.Eq):
        return condition
    if isinstance(condition, sp.And):
        return next((c for c in condition.args if isinstance(c, sp.Eq)), None)
    return None


def follows(left: sp.Expr, right: sp.Expr, relation: sp.Eq, x: sp.Symbol) -> Verdict | None:
    """The verdict for ``left = right`` on the curve ``relation``, or None when the relation
    defines no function of x that the claim uses."""
    r = relation.lhs - relation.rhs
    functions = [f for f in r.atoms(AppliedUndef) if f.args == (x,)]
    if len(functions) != 1:
        return None
    y = functions[0]
    Y = sp.Dummy(str(y.func), real=True)
    curve = r.xreplace({y: Y})
    slopes = _slopes(curve, x, Y)
    if slopes is None:
        return None
    replaced = {
        sp.Derivative(y, (x, k)) if k > 1 else sp.Derivative(y, x): s for k, s in enumerate(slopes, 1)
    }
    sides = [side.xreplace(replaced).xreplace({y: Y}) for side in (left, right)]
    if any(side.has(sp.Derivative, AppliedUndef) for side in sides):
        return None
    numerator = sp.numer(sp.together(sides[0] - sides[1]))
    shown = f"follows from {_equation(relation)}"
    if numerator == 0:
        return Verdict(Status.SYMBOLIC, shown)
    if numerator.is_polynomial(x, Y) and curve.is_polynomial(x, Y):
        _, remainder = sp.reduced(sp.expand(numerator), [sp.expand(curve)], Y, x)
        if remainder == 0:
            return Verdict(Status.SYMBOLIC, shown)
    explicit = _explicit(curve, Y)
    if explicit is not None:
        return _with_y(sides, numerator, explicit, x, Y, relation)
    return _on_points(numerator, sides, curve, x, Y, relation)


def _explicit(curve: sp.Expr, Y: sp.Dummy) -> sp.Expr | None:
    """y as a function of x when the relation is linear in y (a·y + b = 0: y = −b/a)."""
    if not curve.is_polynomial(Y) or sp.degree(curve, Y) != 1:
        return None
    a, b = sp.Poly(curve, Y).all_coeffs()
    return None if a == 0 else -b / a


def _with_y(
    sides: list[sp.Expr], numerator: sp.Expr, explicit: sp.Expr, x: sp.Symbol, Y: sp.Dummy, relation: sp.Eq
) -> Verdict:
    """The claim with y put in as the function of x the relation makes it: proved when the
    difference cancels, refuted at a point where both sides are defined and differ."""
    shown = _equation(relation)
    difference = numerator.xreplace({Y: explicit})
    small = expansion_safe(difference) and sp.count_ops(difference) <= _CANCEL_OPS
    if small and sp.cancel(sp.together(difference)) == 0:
        return Verdict(Status.SYMBOLIC, f"follows from {shown}")
    rng = random.Random(seed_of(numerator, explicit))
    for _ in range(_POINTS):
        at = sp.Rational(f"{rng.uniform(-3, 3):.10e}")
        point = {x: at, Y: explicit.xreplace({x: at})}
        values = [value(side, point, 30) for side in sides]
        if any(v is None for v in values) or value(point[Y], {}, 30) is None:
            continue
        if vouched_nonzero(difference, {x: at}, 0) is not None:
            where = ((x.name, f"{float(at):.12g}"),)
            left, right = (f"{float(v):.12g}" for v in values)
            return Verdict(Status.FAILED, f"on the curve {shown}", where, left, right)
    return Verdict(Status.UNDECIDED, f"not proved to follow from {shown}; no point of it refutes it")


_CANCEL_OPS = 400  # the claim with y put in, above this many operations: not multiplied out
_DEGREE = 6  # curves of higher degree in y: finding their points exactly is too much work


def _equation(relation: sp.Eq) -> str:
    """``x**2 + y(x)**2 = 1``: the relation as one line, with an equals sign."""
    return f"{sp.sstr(relation.lhs)} = {sp.sstr(relation.rhs)}"


def _slopes(curve: sp.Expr, x: sp.Symbol, Y: sp.Dummy) -> list[sp.Expr] | None:
    """The first three derivatives of y through x and Y on the curve R(x, Y) = 0: the first is
    -R_x/R_Y, and each next one the total derivative of the last, d/dx = ∂/∂x + y'·∂/∂Y."""
    across = sp.diff(curve, Y)
    if across == 0:
        return None
    first = sp.cancel(-sp.diff(curve, x) / across)
    slopes = [first]
    for _ in range(MAX_ORDER - 1):
        last = slopes[-1]
        slopes.append(sp.cancel(sp.diff(last, x) + sp.diff(last, Y) * first))
    return slopes


def _on_points(
    numerator: sp.Expr, sides: list[sp.Expr], curve: sp.Expr, x: sp.Symbol, Y: sp.Dummy, relation: sp.Eq
) -> Verdict:
    """Look for a point of the curve where the claim fails; undecided when none is found."""
    if not (exact_at_points(curve, x) and exact_at_points(numerator, x)) or not (
        curve.is_polynomial(Y) and sp.degree(curve, Y) <= _DEGREE
    ):
        return Verdict(Status.UNDECIDED, f"not decided on the curve {_equation(relation)}")
    rng = random.Random(seed_of(numerator, curve))
    checked = 0
    for _ in range(_POINTS * 3):
        at = sp.Rational(f"{rng.uniform(-3, 3):.10e}")
        on_curve = curve.xreplace({x: at})
        if not on_curve.is_polynomial(Y):
            return Verdict(Status.UNDECIDED, f"not decided on the curve {_equation(relation)}")
        for root in sp.Poly(on_curve, Y).real_roots() if sp.Poly(on_curve, Y).degree() > 0 else []:
            point = {x: at, Y: sp.N(root, 60)}
            values = [value(side, point, 30) for side in sides]
            if any(v is None for v in values):
                continue
            checked += 1
            if vouched_nonzero(numerator, point, 0) is not None:
                where = ((x.name, f"{float(at):.12g}"), (Y.name, f"{float(point[Y]):.12g}"))
                left, right = (f"{float(v):.12g}" for v in values)
                return Verdict(Status.FAILED, f"on the curve {_equation(relation)}", where, left, right)
    if checked:
        return Verdict(
            Status.UNDECIDED, f"not proved to follow from {_equation(relation)}; no point of it refutes it"
        )
    return Verdict(Status.UNDECIDED, f"no real point of {_equation(relation)} was found to check it on")
