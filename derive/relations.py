"""Claims that follow from a relation: implicit differentiation.

After ``x² + y² = 1``, y is a function of x defined by the curve, and ``2x + 2y·y' = 0`` or
``y' = −x/y`` are not identities but consequences of the relation. Such a claim is checked on the
curve: y' (and y'', y''') are written through x and y by differentiating the relation
(y' = −R_x/R_y), y(x) becomes a plain unknown Y, and the claim's numerator must vanish wherever
R(x, Y) = 0. The verdict says which of these decided:

* the numerator cancels to zero once the derivatives are put in: the claim follows from the
  relation (``✓ symbolic``, "derivatives written through x and y");
* the numerator is reduced modulo R, as polynomials in x, Y and any other function of them that
  occurs (sin(Y), e^(xY) as names of their own; one polynomial is a Gröbner basis of the ideal it
  generates): remainder zero proves the claim on the curve (``✓ symbolic``, "remainder 0 modulo the
  relation"). A nonzero remainder proves nothing either way (R may not be square-free);
* a relation linear in y is solved for y, and the claim with y put in is cancelled (``✓ symbolic``)
  or refuted at a point;
* otherwise points of the curve are computed (the real roots in Y at random rational x: exactly
  for a polynomial in Y, by Newton's method to 80 digits for any other curve) and a point where
  the sides are defined and differ by far more than the point's own error refutes the claim
  (``✗ WRONG``, with the point). Agreement at such points is not a proof, and the claim stays
  ``? undecided``.

A claim about a point of the curve (dy/dx at x = 0, given y(0) = 1 among its conditions) is
decided there exactly: the point must lie on the curve, and both sides must be equal numbers.
"""

from __future__ import annotations

import random

import sympy as sp
from sympy.core.function import AppliedUndef

from .budgets import OutOfWork, work_limit
from .evidence import seed_of, value, vouched_nonzero
from .model import Status, Verdict
from .sizes import exact_at_points, expansion_safe

MAX_ORDER = 3
_POINTS = 12


def relation_of(condition: sp.Basic | None) -> sp.Eq | None:
    """The equation among a claim's conditions, if there is one: the one about a function of a
    name (the curve) before one that gives a value at a point (y(0) = 1)."""
    if condition is None:
        return None
    if isinstance(condition, sp.Eq):
        return condition
    if isinstance(condition, sp.And):
        equations = [c for c in condition.args if isinstance(c, sp.Eq)]
        curves = [e for e in equations if _point_value(e) is None]
        return next(iter(curves or equations), None)
    return None


def _point_value(equation: sp.Eq) -> tuple[sp.Basic, sp.Expr, sp.Expr] | None:
    """``y(0) = 1`` → (y, 0, 1): a function's value at a number, else None."""
    for side, other in ((equation.lhs, equation.rhs), (equation.rhs, equation.lhs)):
        if (
            isinstance(side, AppliedUndef)
            and len(side.args) == 1
            and side.args[0].is_number
            and other.is_number
        ):
            return side.func, side.args[0], other
    return None


def point_of(condition: sp.Basic | None, function: sp.Basic) -> tuple[sp.Expr, sp.Expr] | None:
    """(a, b) when the condition says ``function(a) = b``: the point of the curve a claim is about."""
    if not isinstance(condition, (sp.Eq, sp.And)):
        return None
    for part in condition.args if isinstance(condition, sp.And) else (condition,):
        found = _point_value(part) if isinstance(part, sp.Eq) else None
        if found is not None and found[0] == function:
            return found[1], found[2]
    return None


# Counted work (SymPy objects built, see derive.budgets) for deciding one claim on a curve, and
# for shortening one expression with a relation
RELATION_WORK = 300_000


def follows(
    left: sp.Expr, right: sp.Expr, relation: sp.Eq, x: sp.Symbol, condition: sp.Basic | None = None
) -> Verdict | None:
    """The verdict for ``left = right`` on the curve ``relation``, or None when the relation
    defines no function of x that the claim uses. ``condition`` (the claim's whole condition) may
    name a point of the curve, ``y(a) = b``, for a claim about the value there. Undecided when
    the work runs past :data:`RELATION_WORK`."""
    try:
        with work_limit(RELATION_WORK):
            return _follows(left, right, relation, x, condition)
    except OutOfWork:
        return Verdict(Status.UNDECIDED, f"checking it on {_equation(relation)} ran past its budget of work")


def _follows(
    left: sp.Expr, right: sp.Expr, relation: sp.Eq, x: sp.Symbol, condition: sp.Basic | None
) -> Verdict | None:
    r = relation.lhs - relation.rhs
    functions = [f for f in r.atoms(AppliedUndef) if f.args == (x,)]
    if len(functions) != 1:
        return None
    y = functions[0]
    Y = sp.Dummy(str(y.func), real=True)
    curve = r.xreplace({y: Y})
    # only the orders the claim uses: the third derivative of a curve through sin and cos is
    # minutes of cancelling that a first-order claim never needs
    order = max(
        (
            sum(c for v, c in d.variable_count if v == x)
            for side in (left, right)
            for d in side.atoms(sp.Derivative)
        ),
        default=1,
    )
    slopes = _slopes(curve, x, Y, min(max(order, 1), MAX_ORDER))
    if slopes is None:
        return None
    replaced = {
        sp.Derivative(y, (x, k)) if k > 1 else sp.Derivative(y, x): s for k, s in enumerate(slopes, 1)
    }
    point = point_of(condition, y.func)
    if point is not None:
        return _at_point(left, right, relation, curve, slopes, (x, y, Y), point)
    sides = [side.xreplace(replaced).xreplace({y: Y}) for side in (left, right)]
    if any(side.has(sp.Derivative, AppliedUndef, sp.Subs) for side in sides):
        return None
    numerator = sp.numer(sp.together(sides[0] - sides[1]))
    shown = f"follows from {_equation(relation)}"
    if sp.expand(numerator) == 0:
        return Verdict(Status.SYMBOLIC, f"{shown}: derivatives written through {x} and {y.func.__name__}")
    if _reduces_to_zero(numerator, curve, x, Y):
        return Verdict(Status.SYMBOLIC, f"{shown}: remainder 0 modulo the relation")
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
        return Verdict(Status.SYMBOLIC, f"follows from {shown}: solved for {Y.name} and put in")
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
    """``x**2 + y**2 = 1``: the relation as one line, with an equals sign and y(x) written y."""
    plain = {
        f: sp.Symbol(f.func.__name__) for f in relation.atoms(AppliedUndef) if f.args and f.args[0].is_Symbol
    }
    return f"{sp.sstr(relation.lhs.xreplace(plain))} = {sp.sstr(relation.rhs.xreplace(plain))}"


def _generators(numerator: sp.Expr, curve: sp.Expr, Y: sp.Dummy, x: sp.Symbol) -> tuple[sp.Expr, ...] | None:
    """The generators of one polynomial ring holding both, those with Y first and then x (so that
    powers of Y are removed first), or None when they are not polynomials in any generators or
    the relation is not about Y."""
    try:
        _, options = sp.parallel_poly_from_expr([sp.expand(numerator), sp.expand(curve)])
    except (sp.PolificationFailed, sp.GeneratorsNeeded):
        return None
    gens = tuple(options.gens)
    if not any(g.has(Y) for g in gens):
        return None

    def rank(g: sp.Expr) -> int:  # y itself, then functions of y (sin(y), √y), then x, then the rest
        return 0 if g == Y else 1 if g.has(Y) else 2 if g == x else 3

    return tuple(sorted(gens, key=lambda g: (rank(g), sp.default_sort_key(g))))


def _reduces_to_zero(numerator: sp.Expr, curve: sp.Expr, x: sp.Symbol, Y: sp.Dummy) -> bool:
    """The numerator lies in the ideal of the curve (as polynomials whose other generators, such
    as sin(Y), are names of their own): then it vanishes wherever the relation holds."""
    gens = _generators(numerator, curve, Y, x)
    if gens is None:
        return False
    _, remainder = sp.reduced(sp.expand(numerator), [sp.expand(curve)], *gens)
    return remainder == 0


def shorten(expr: sp.Expr, relation: sp.Eq, x: sp.Symbol) -> sp.Expr | None:
    """``expr`` (in x and y(x)) made shorter with a polynomial relation, or None when it is not:
    its numerator and denominator are each replaced by their remainder modulo the relation, which
    equals them on the curve (−(x² + y²)/y³ becomes −1/y³ on x² + y² = 1). None too when that
    runs past :data:`RELATION_WORK`: no shortening rather than a different one."""
    try:
        with work_limit(RELATION_WORK):
            return _shorten(expr, relation, x)
    except OutOfWork:
        return None


def _shorten(expr: sp.Expr, relation: sp.Eq, x: sp.Symbol) -> sp.Expr | None:
    r = relation.lhs - relation.rhs
    functions = [f for f in r.atoms(AppliedUndef) if f.args == (x,)]
    if len(functions) != 1 or not expansion_safe(expr):
        return None
    y = functions[0]
    Y = sp.Dummy(str(y.func), real=True)
    curve, plain = sp.expand(r.xreplace({y: Y})), expr.xreplace({y: Y})
    numerator, denominator = sp.fraction(sp.together(plain))
    # only polynomials in x and y: with roots or other functions as generators of their own, the
    # remainder can be longer and harder to check than what it replaces
    if not all(e.is_polynomial(x, Y) for e in (curve, numerator, denominator)):
        return None
    best, cost = plain, sp.count_ops(plain)
    orders = [(Y, x), (x, Y)]
    for order in orders:
        top = sp.reduced(sp.expand(numerator), [curve], *order)[1]
        bottom = sp.reduced(sp.expand(denominator), [curve], *order)[1]
        # the numerator alone (−18/(x + 2y)³), or both (where the denominator shrinks too)
        for candidate in (top / denominator, top / bottom if bottom != 0 else None):
            if candidate is None:
                continue
            found = sp.factor(sp.cancel(candidate))
            if sp.count_ops(found) < cost:
                best, cost = found, sp.count_ops(found)
    return None if best == plain else best.xreplace({Y: y})


def _at_point(
    left: sp.Expr,
    right: sp.Expr,
    relation: sp.Eq,
    curve: sp.Expr,
    slopes: list[sp.Expr],
    names: tuple[sp.Symbol, sp.Expr, sp.Dummy],
    point: tuple[sp.Expr, sp.Expr],
) -> Verdict | None:
    """A claim at the point (a, b) of the curve: y^(k)(a) is the k-th slope at (a, b), exactly."""
    x, y, Y = names
    a, b = point
    where = f"({sp.sstr(a)}, {sp.sstr(b)})"
    if sp.simplify(curve.xreplace({Y: b}).subs(x, a)) != 0:
        return Verdict(Status.UNDECIDED, f"the point {where} is not on the curve {_equation(relation)}")
    values: dict[sp.Basic, sp.Expr] = {y.func(a): b}
    for subs in (left + right).atoms(sp.Subs):
        inner = subs.expr
        if not (isinstance(inner, sp.Derivative) and inner.expr == y and tuple(subs.point) == (a,)):
            continue
        order = sum(count for _, count in inner.variable_count)
        if order > len(slopes):
            return None
        values[subs] = sp.simplify(slopes[order - 1].xreplace({Y: b}).subs(x, a))
    sides = [side.xreplace(values) for side in (left, right)]
    if any(side.has(sp.Derivative, AppliedUndef, sp.Subs) or side.free_symbols for side in sides):
        return None
    if any(not (v.is_finite and v.is_real) for v in values.values()):
        return Verdict(Status.UNDECIDED, f"the derivative is not defined at the point {where} of the curve")
    shown = f"at the point {where} of {_equation(relation)}"
    if sp.simplify(sides[0] - sides[1]) == 0:
        return Verdict(Status.SYMBOLIC, f"follows from {_equation(relation)}: exact {shown}")
    gap = sp.N(sides[0] - sides[1], 30)
    if gap.is_number and abs(gap) > sp.Float("1e-20"):
        at = ((x.name, f"{float(a):.12g}"), (y.func.__name__, f"{float(b):.12g}"))
        left_value, right_value = (f"{float(sp.N(s, 30)):.12g}" for s in sides)
        return Verdict(Status.FAILED, shown, at, left_value, right_value)
    return Verdict(Status.UNDECIDED, f"not decided {shown}")


def _slopes(curve: sp.Expr, x: sp.Symbol, Y: sp.Dummy, order: int = MAX_ORDER) -> list[sp.Expr] | None:
    """The first ``order`` derivatives of y through x and Y on the curve R(x, Y) = 0: the first
    is -R_x/R_Y, and each next one the total derivative of the last, d/dx = ∂/∂x + y'·∂/∂Y."""
    across = sp.diff(curve, Y)
    if across == 0:
        return None
    first = sp.cancel(-sp.diff(curve, x) / across)
    slopes = [first]
    for _ in range(order - 1):
        last = slopes[-1]
        slopes.append(sp.cancel(sp.diff(last, x) + sp.diff(last, Y) * first))
    return slopes


def _on_points(
    numerator: sp.Expr, sides: list[sp.Expr], curve: sp.Expr, x: sp.Symbol, Y: sp.Dummy, relation: sp.Eq
) -> Verdict:
    """Look for a point of the curve where the claim fails; undecided when none is found."""
    if not curve.is_polynomial(Y):
        return _on_numeric_points(numerator, sides, curve, (x, Y), relation)
    if not (exact_at_points(curve, x) and exact_at_points(numerator, x)) or not (
        curve.is_polynomial(Y) and sp.degree(curve, Y) <= _DEGREE
    ):
        return Verdict(Status.UNDECIDED, f"not decided on the curve {_equation(relation)}")
    rng = random.Random(seed_of(numerator, curve))
    points = _Points(numerator, sides, (x, Y), relation)
    for _ in range(_POINTS * 3):
        at = sp.Rational(f"{rng.uniform(-3, 3):.10e}")
        on_curve = curve.xreplace({x: at})
        if not on_curve.is_polynomial(Y):
            return Verdict(Status.UNDECIDED, f"not decided on the curve {_equation(relation)}")
        for root in sp.Poly(on_curve, Y).real_roots() if sp.Poly(on_curve, Y).degree() > 0 else []:
            refuted = points.refuted_at({x: at, Y: sp.N(root, 60)})
            if refuted is not None:
                return refuted
    return points.none_refutes(f"no real point of {_equation(relation)} was found to check it on")


class _Points:
    """The points of a curve tried against a claim: a point where SymPy vouches for a nonzero
    difference refutes it; how many points could be evaluated says what "none refutes it" means."""

    def __init__(
        self, numerator: sp.Expr, sides: list[sp.Expr], names: tuple[sp.Symbol, sp.Dummy], relation: sp.Eq
    ) -> None:
        self.numerator, self.sides, self.names, self.relation = numerator, sides, names, relation
        self.checked = 0

    def refuted_at(self, point: dict[sp.Basic, sp.Expr]) -> Verdict | None:
        """The failed verdict when the claim fails at ``point``; None when it holds there or either
        side has no value there."""
        values = [value(side, point, 30) for side in self.sides]
        if any(v is None for v in values):
            return None
        self.checked += 1
        if not (_apart(values) and vouched_nonzero(self.numerator, point, 0) is not None):
            return None
        where = tuple((s.name, f"{float(point[s]):.12g}") for s in self.names)
        left, right = (f"{float(v):.12g}" for v in values)
        return Verdict(Status.FAILED, f"on the curve {_equation(self.relation)}", where, left, right)

    def none_refutes(self, none_checked: str) -> Verdict:
        """Undecided: no point tried refutes the claim (or none could be evaluated: ``none_checked``)."""
        if self.checked:
            return Verdict(
                Status.UNDECIDED,
                f"not proved to follow from {_equation(self.relation)}; no point of it refutes it",
            )
        return Verdict(Status.UNDECIDED, none_checked)


_ROOT_DIGITS = 80  # points of a transcendental curve are found to this many digits
_ROOT_WORK = 100_000  # counted work for the search (derive.budgets)
_GUESSES = (-2.0, -0.5, 0.5, 2.0)  # starting values of y for each x tried


def _on_numeric_points(
    numerator: sp.Expr,
    sides: list[sp.Expr],
    curve: sp.Expr,
    names: tuple[sp.Symbol, sp.Dummy],
    relation: sp.Eq,
) -> Verdict:
    """On a curve that is not polynomial in y (sin(xy) = x), points are found by Newton's method
    to 80 digits (SymPy's nsolve, which checks the residual), and a point where SymPy vouches for
    a nonzero difference at 30 and 60 digits refutes the claim. Agreement proves nothing."""
    x, Y = names
    rng = random.Random(seed_of(numerator, curve))
    points = _Points(numerator, sides, names, relation)
    try:
        with work_limit(_ROOT_WORK):
            for _ in range(_POINTS):
                at = sp.Rational(f"{rng.uniform(-3, 3):.10e}")
                on_curve = curve.xreplace({x: at})
                for guess in _GUESSES:
                    try:
                        root = sp.nsolve(on_curve, Y, guess, prec=_ROOT_DIGITS)
                    except (ValueError, ZeroDivisionError, TypeError, ArithmeticError):
                        continue  # no convergence from here, or no real point nearby
                    if not (isinstance(root, sp.Float) and root.is_real):
                        continue
                    refuted = points.refuted_at({x: at, Y: root})
                    if refuted is not None:
                        return refuted
    except OutOfWork:
        pass
    return points.none_refutes(f"not decided on the curve {_equation(relation)}")


def _apart(values: list[sp.Float]) -> bool:
    """The two sides differ by far more than the point's own error: a point of the curve is known
    to 60 or 80 digits, so a claim that holds there is off by about 10⁻⁶⁰, never by 10⁻²⁰."""
    left, right = values
    return abs(left - right) > sp.Float("1e-20") * max(1, abs(left), abs(right))
