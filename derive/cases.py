"""Claims with jumps and corners, decided piece by piece.

Numeric agreement says little about ``floor``, ``sign``, ``Heaviside``, ``Max``/``Min``,
``Piecewise`` or ``|u|``: two sides can agree at every random point and still differ on an
interval the points missed, or at the jump itself. So such a claim in one variable is cut at
its breakpoints (the real zeros of the arguments of sign, |·|, Heaviside, and the boundaries of
the cases), each open piece gets the branch that holds there, and the claim is checked on each
piece and at each breakpoint on its own. When the breakpoints cannot all be found (``floor``
jumps at infinitely many points), the claim is split no further.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import sympy as sp

from .sizes import small_degree
from .walk import contains, distinct

JUMPY = (
    sp.floor,
    sp.ceiling,
    sp.frac,
    sp.sign,
    sp.Heaviside,
    sp.Max,
    sp.Min,
    sp.Piecewise,
    sp.Abs,
    sp.DiracDelta,
)
_UNSPLITTABLE = (sp.floor, sp.ceiling, sp.frac)
MAX_BREAKPOINTS = 12


def has_jumps(expr: sp.Basic) -> bool:
    """True when ``expr`` holds a function with a jump or a corner."""
    return contains(expr, *JUMPY)


@dataclass(frozen=True)
class Piece:
    """An open interval between breakpoints, with the claim's two sides as they are there."""

    low: sp.Expr  # -oo for the first piece
    high: sp.Expr  # oo for the last
    left: sp.Expr
    right: sp.Expr

    @property
    def interval(self) -> sp.Interval:
        return sp.Interval.open(self.low, self.high)


@dataclass(frozen=True)
class Split:
    pieces: tuple[Piece, ...]
    breakpoints: tuple[sp.Expr, ...]


def split(left: sp.Expr, right: sp.Expr, x: sp.Symbol) -> Split | None:
    """The claim cut at its breakpoints, or None when they cannot all be found.

    A jump inside the argument of another (sign(1/(1 + |x|)²)) is handled in rounds: the inner
    breakpoints cut the line first, and on each piece the outer argument, with the inner jumps
    resolved, is solved for its own zeros there."""
    whole = sp.Tuple(left, right)
    if contains(whole, *_UNSPLITTABLE):
        return None
    plain = whole.replace(lambda e: isinstance(e, (sp.Max, sp.Min)), lambda e: e.rewrite(sp.Piecewise))
    points: set[sp.Expr] = set()
    nested: list[sp.Expr] = []  # arguments with jumps of their own, solved piece by piece
    for node in distinct(plain):
        if isinstance(node, (sp.sign, sp.Heaviside, sp.Abs, sp.DiracDelta)):
            if has_jumps(node.args[0]):
                nested.append(node.args[0])
                continue
            found = _zeros(node.args[0], x)
        elif isinstance(node, sp.log) or (isinstance(node, sp.Pow) and not node.exp.is_integer):
            found = _zeros(node.args[0], x) or set()  # where the real domain ends, if known
        elif isinstance(node, sp.Piecewise):
            found = _boundaries(node, x)
        else:
            continue
        if found is None:
            return None
        points |= found
        if len(points) > MAX_BREAKPOINTS:
            return None
    for _ in range(3):
        pieces = _pieces(plain, x, points)
        if pieces is None:
            return None
        added: set[sp.Expr] = set()
        for piece in pieces if nested else ():
            for argument in nested:
                resolved = _branch(argument, x, _inside(piece.low, piece.high)[0])
                if resolved is None or has_jumps(resolved):
                    return None
                found = _zeros(resolved, x)
                if found is None:
                    return None
                added |= {p for p in found if piece.interval.contains(p) == sp.true}
        if not added - points:
            return Split(tuple(pieces), _ordered(points) or ())
        points |= added
        if len(points) > MAX_BREAKPOINTS:
            return None
    return None


def _ordered(points: set[sp.Expr]) -> tuple[sp.Expr, ...] | None:
    try:
        return tuple(sorted(points, key=lambda p: float(sp.N(p, 30))))
    except (TypeError, ValueError):
        return None


def _pieces(plain: sp.Tuple, x: sp.Symbol, points: set[sp.Expr]) -> list[Piece] | None:
    ordered = _ordered(points)
    if ordered is None:
        return None
    pieces = []
    for low, high in itertools.pairwise((-sp.oo, *ordered, sp.oo)):
        for inside in _inside(low, high):
            sides = [_branch(side, x, inside) for side in plain]
            if all(s is not None for s in sides):
                break
        else:
            return None
        pieces.append(Piece(low, high, sides[0], sides[1]))
    return pieces


def _zeros(expr: sp.Expr, x: sp.Symbol) -> set[sp.Expr] | None:
    if x not in expr.free_symbols:
        return set()
    if has_jumps(expr):
        return None  # nested jumps: the pieces would need splitting again
    if not small_degree(expr):
        return None
    try:
        solutions = sp.solveset(expr, x, domain=sp.S.Reals)
    except (NotImplementedError, ValueError, TypeError):
        return None
    if solutions == sp.S.EmptySet:
        return set()
    if not isinstance(solutions, sp.FiniteSet):
        return None
    return set(solutions.args)


def _boundaries(piecewise: sp.Piecewise, x: sp.Symbol) -> set[sp.Expr] | None:
    points: set[sp.Expr] = set()
    for _, condition in piecewise.args:
        for relation in condition.atoms(sp.core.relational.Relational):
            found = _zeros(relation.lhs - relation.rhs, x)
            if found is None:
                return None
            points |= found
    return points


def _inside(low: sp.Expr, high: sp.Expr) -> list[sp.Rational]:
    """Rational points strictly inside (low, high), the middle first."""
    if low == -sp.oo and high == sp.oo:
        return [sp.Integer(0), sp.Integer(1), sp.Integer(-1)]
    if low == -sp.oo:
        end = sp.Rational(str(sp.N(high, 40)))
        return [end - 1, end - sp.Rational(1, 2), end - sp.Rational(1, 1000)]
    if high == sp.oo:
        end = sp.Rational(str(sp.N(low, 40)))
        return [end + 1, end + sp.Rational(1, 2), end + sp.Rational(1, 1000)]
    a, b = sp.Rational(str(sp.N(low, 40))), sp.Rational(str(sp.N(high, 40)))
    return [(a + b) / 2, a + (b - a) / 3, a + 2 * (b - a) / 3]


def _branch(expr: sp.Expr, x: sp.Symbol, inside: sp.Rational) -> sp.Expr | None:
    """``expr`` with each jumpy function replaced by the branch it takes around ``inside``
    (innermost first), or by nan where its argument is not real; None when a branch cannot be
    told."""
    replacements: dict[sp.Basic, sp.Basic] = {}
    for node in sp.postorder_traversal(expr):
        if not isinstance(node, (sp.sign, sp.Heaviside, sp.Abs, sp.DiracDelta, sp.Piecewise)):
            continue
        if node in replacements:
            continue
        current = node.xreplace(replacements)
        if type(current) is not type(node):  # the inner branches settled it already (sign(1) = 1)
            replacements[node] = current
            continue
        if isinstance(current, sp.Piecewise):
            chosen = None
            for value, condition in current.args:
                truth = condition.xreplace({x: inside})
                if truth == sp.true:
                    chosen = value
                    break
                if truth != sp.false:
                    return None
            if chosen is None:
                chosen = sp.nan  # no case holds: undefined on this piece
            replacements[node] = chosen
            continue
        argument = current.args[0]
        at = sp.N(argument.xreplace({x: inside}), 30)
        if not at.is_number:
            return None
        if at.has(sp.nan, sp.zoo) or not at.is_real:
            replacements[node] = sp.nan  # outside the real domain on this whole piece
            continue
        sign = sp.sign(at)
        if sign == 0:
            return None
        if isinstance(current, sp.DiracDelta):
            replacements[node] = sp.Integer(0)  # zero away from the zeros of its argument
        elif isinstance(current, sp.Abs):
            replacements[node] = sign * argument
        elif isinstance(current, sp.sign):
            replacements[node] = sign
        else:
            replacements[node] = sp.Integer(1) if sign > 0 else sp.Integer(0)
    return expr.xreplace(replacements) if replacements else expr
