"""Numeric evidence about a claimed equation: both sides evaluated at random points.

A point is evidence only where both sides are real and finite (and the claim's condition
holds). There the two values are compared at rising precision, 30 → 60 → 120 → 240 digits:

* the sides *agree* when their difference stays below the rounding error of each precision up
  to 120 digits;
* they *differ* when the difference stays put as the precision rises: a counterexample, with
  the point and both values;
* otherwise the point is *unclear* and counts neither way.

Points come from a continuous distribution over three scales (|t| from 0.001 to 0.1, 0.1 to 3,
3 to 100), both signs, plus points just beside the claim's breakpoints and the real zeros of
its denominators. Unspecified functions ``f(…)`` are replaced by one random smooth function
per name, shared by both sides. Everything is seeded by the claim, so the same claim gets the
same points on every machine, and no decision here depends on time: an argument too large to
evaluate (``exp`` of 10¹⁰⁰⁰) makes the point unclear instead of letting the evaluation run on.
"""

from __future__ import annotations

import random
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from enum import Enum

import sympy as sp
from sympy.core.function import AppliedUndef

from .sizes import exact_at_points
from .walk import distinct

PRECISIONS = (30, 60, 120, 240)
AGREE_AT = 120  # agreement to this many digits counts
_SLACK = 10  # digits a precision may lose to rounding
_WITNESS_DIGITS = 1000  # working precision the difference itself may use: sees 10⁻⁹⁰⁰
_WIDE_WITNESSES = 3  # points of a run that get that much
_SCALES = ((-3, -1), (-1, 0.5), (0.5, 2))  # log10 of |t|: tiny, moderate, large

# Largest argument magnitude evaluated, by kind of function: beyond these an exact evaluation
# needs more digits than a check should spend (exp(10^6) has 434,295 digits before the point).
_GROWTH_LIMIT = 1e5
_GAMMA_LIMIT = 1e3
_PERIODIC_LIMIT = 1e50
_GROWING = (sp.exp, sp.sinh, sp.cosh, sp.tanh, sp.coth, sp.sech, sp.csch, sp.erf, sp.erfc, sp.erfi)
_FACTORIAL_LIKE = (sp.gamma, sp.factorial, sp.loggamma, sp.polygamma, sp.zeta, sp.beta, sp.LambertW)
_PERIODIC = (sp.sin, sp.cos, sp.tan, sp.cot, sp.sec, sp.csc)


class Outcome(Enum):
    AGREE = "agree"
    DIFFER = "differ"
    UNDEFINED = "undefined"  # neither side is real and finite here: not evidence
    ONE_SIDED = "one-sided"  # exactly one side is real and finite: outside the common domain
    UNCLEAR = "unclear"
    # the sides agree to the last precision a quick probe asked for, below AGREE_AT: it ends the
    # probe's search for a counterexample there, and is no evidence that the claim holds
    CLOSE = "close"


@dataclass(frozen=True)
class Sample:
    """What one point showed."""

    point: dict[sp.Symbol, sp.Rational]
    outcome: Outcome
    left: sp.Float | None = None
    right: sp.Float | None = None
    gap: sp.Float | None = None  # left − right, where they differ


@dataclass
class Tally:
    """What a run of points showed, in order."""

    samples: list[Sample] = field(default_factory=list)

    def count(self, outcome: Outcome) -> int:
        return sum(1 for s in self.samples if s.outcome is outcome)

    @property
    def counterexample(self) -> Sample | None:
        return next((s for s in self.samples if s.outcome is Outcome.DIFFER), None)


class RandomFunctions:
    """One random smooth function per unspecified function name: f(t₁, …, tₖ) =
    a·sin(Σ bᵢtᵢ + c) + d·exp(Σ eᵢtᵢ / 4), with coefficients drawn per argument position, so that
    f(x, y) and f(y, x) are different functions, as they are in general."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.chosen: dict[object, sp.Lambda] = {}

    def _coefficient(self) -> sp.Rational:
        return sp.Rational(self.rng.randint(30, 170), 100)

    def function(self, func: object, arity: int) -> sp.Lambda:
        if func not in self.chosen:
            ts = sp.symbols(f"t_1:{arity + 1}", real=True)
            a, c, d = (self._coefficient() for _ in range(3))
            b = [self._coefficient() * self.rng.choice((-1, 1)) for _ in ts]
            e = [self._coefficient() * self.rng.choice((-1, 1)) for _ in ts]
            phase = sum((bi * t for bi, t in zip(b, ts, strict=True)), c)
            growth = sum((ei * t for ei, t in zip(e, ts, strict=True)), sp.Integer(0)) / 4
            self.chosen[func] = sp.Lambda(ts, a * sp.sin(phase) + d * sp.exp(growth))
        return self.chosen[func]

    def replace(self, expr: sp.Basic) -> sp.Basic:
        """``expr`` with every unspecified function replaced and derivatives carried out.

        A derivative with respect to f(x) itself (what the chain rule writes as f'(g(x))) is
        first written as f' evaluated there, so that replacing the functions leaves it valid."""
        functions = sorted({a.func for a in expr.atoms(AppliedUndef)}, key=str)
        if not functions:
            return expr
        expr = expr.replace(
            lambda e: isinstance(e, sp.Derivative) and any(not v.is_Symbol for v in e.variables),
            _at_the_point,
        )
        for func in functions:
            arity = next(len(a.args) for a in expr.atoms(AppliedUndef) if a.func == func)
            expr = expr.replace(func, self.function(func, arity))
        try:
            return expr.doit()
        except (ValueError, TypeError, NotImplementedError):
            return expr


def _at_the_point(derivative: sp.Derivative) -> sp.Basic:
    """d/dv F for a variable v that is an expression: (d/dt F[v := t]) at t = v."""
    expr, points, names = derivative.expr, [], []
    variables = []
    for v, count in derivative.variable_count:
        if v.is_Symbol:
            variables.append((v, count))
            continue
        t = sp.Dummy("t", real=True)
        expr = expr.xreplace({v: t})
        variables.append((t, count))
        names.append(t)
        points.append(v)
    return sp.Subs(sp.Derivative(expr, *variables), tuple(names), tuple(points))


def seed_of(*parts: sp.Basic) -> int:
    """A seed fixed by the claim itself: the same claim gets the same points everywhere. A
    ``Dummy`` counts as its name: its index depends on what the process made before."""
    named = (p.xreplace({d: sp.Symbol(f"_{d.name}") for d in p.atoms(sp.Dummy)}) for p in parts)
    return zlib.crc32("=".join(sp.srepr(p) for p in named).encode())


# Where a function is real: log needs a positive argument, a root a nonnegative base, …
# Each test is written once, over SymPy numbers, and serves both as a check of a point and as
# the condition a verdict states.
_REQUIREMENTS: tuple[tuple[type, Callable[[sp.Expr], sp.Basic]], ...] = (
    (sp.log, lambda a: a > 0),
    (sp.asin, lambda a: abs(a) <= 1),
    (sp.acos, lambda a: abs(a) <= 1),
    (sp.acosh, lambda a: a >= 1),
    (sp.atanh, lambda a: abs(a) < 1),
    (sp.acoth, lambda a: abs(a) > 1),
    (sp.asec, lambda a: abs(a) >= 1),
    (sp.acsc, lambda a: abs(a) >= 1),
)


def side_conditions(needs: tuple[tuple[sp.Expr, Callable[[sp.Expr], sp.Basic]], ...]) -> list[sp.Basic]:
    """The requirements as SymPy conditions (x·y ≥ 0, x > 0), for a verdict to state."""
    return [test(part) for part, test in needs]


def requirements(expr: sp.Basic) -> tuple[tuple[sp.Expr, Callable[[sp.Float], bool]], ...]:
    """What ``expr`` needs of each part of itself to be a real function there: every log of a
    positive quantity, every root or fractional power of a nonnegative one (a positive one when
    it divides), every inverse function within its real range. These hold inside derivatives
    too: d/dx acosh(x) says nothing for x < 1, whatever formula its derivative has."""
    found: list[tuple[sp.Expr, Callable[[sp.Float], bool]]] = []
    for node in distinct(expr):  # each part once: the list is made unique below anyway
        if isinstance(node, sp.Pow) and not node.exp.is_integer and node.base.free_symbols:
            negative = node.exp.is_negative
            found.append((node.base, (lambda a: a > 0) if negative else (lambda a: a >= 0)))
            continue
        for kind, test in _REQUIREMENTS:
            if isinstance(node, kind) and node.args[0].free_symbols:
                found.append((node.args[0], test))
    # a variable bound inside Subs or a sum is not the claim's: its requirements are not either
    free = expr.free_symbols
    return tuple(dict.fromkeys((part, test) for part, test in found if part.free_symbols <= free))


def meets(needs: tuple[tuple[sp.Expr, Callable[[sp.Float], bool]], ...], point: dict) -> bool:
    """True when every requirement holds at ``point`` (a part that is not a real number fails)."""
    for part, test in needs:
        if out_of_range(part, point):
            return False
        try:
            number = _evaluate(part, point, 30)
        except (TypeError, ValueError, ZeroDivisionError, ArithmeticError, RecursionError, AttributeError):
            return False
        if not number.is_Number or not number.is_real or number.has(sp.nan, sp.zoo, sp.oo, -sp.oo):
            return False
        if not test(number):
            return False
    return True


class Sampler:
    """Evaluates two expressions at reproducible random points (see the module docstring).

    ``needs`` are the requirements (:func:`requirements`) of the left and right side as the
    claim was written, before derivatives were carried out."""

    def __init__(
        self,
        left: sp.Basic,
        right: sp.Basic,
        condition: sp.Basic | None = None,
        near: tuple[sp.Expr, ...] = (),
        needs: tuple[tuple, tuple] = ((), ()),
    ) -> None:
        self.needs = needs
        self.rng = random.Random(seed_of(left, right, sp.true if condition is None else condition))
        self.functions = RandomFunctions(self.rng)
        self.left, self.right = self.functions.replace(left), self.functions.replace(right)
        self.difference = self.left - self.right
        self.condition = condition
        free = self.left.free_symbols | self.right.free_symbols
        if condition is not None:
            free |= condition.free_symbols
        self.symbols = sorted(free, key=lambda s: s.name)
        self.near = [value for value in near if value.is_real and value.is_finite]
        self.interval = self._interval()
        self.drawn = 0
        self.witnessed = 0

    def _interval(self) -> sp.Interval | None:
        """The interval the condition confines a single variable to, if it is one."""
        if self.condition is None or len(self.symbols) != 1:
            return None
        try:
            found = self.condition.as_set()
        except (NotImplementedError, TypeError, ValueError):
            return None
        if not isinstance(found, sp.Interval) or found == sp.S.Reals:
            return None
        return found

    # -- points ---------------------------------------------------------------------------------
    def _number(self, scale: int) -> sp.Rational:
        low, high = _SCALES[scale % len(_SCALES)]
        magnitude = 10 ** self.rng.uniform(low, high)
        sign = self.rng.choice((-1, 1))
        return sp.Rational(f"{sign * magnitude:.12e}")

    def _within(self, interval: sp.Interval, scale: int) -> sp.Rational:
        """A point inside the interval: uniform when it is bounded, at a random distance from
        its end otherwise."""
        low, high = interval.start, interval.end
        if low.is_finite and high.is_finite:
            a, b = (sp.Rational(f"{float(sp.N(end, 20)):.15e}") for end in (low, high))
            return a + (b - a) * sp.Rational(f"{self.rng.uniform(0.001, 0.999):.12e}")
        distance = abs(self._number(scale))
        if low.is_finite:
            return sp.Rational(f"{float(sp.N(low, 20)):.15e}") + distance
        return sp.Rational(f"{float(sp.N(high, 20)):.15e}") - distance

    def _beside(self, index: int) -> sp.Rational | None:
        """A point just beside a breakpoint or singularity: b ± 10⁻ᵏ·(1 + u)."""
        if not self.near:
            return None
        centre = self.near[index % len(self.near)]
        offset = sp.Rational(f"{10 ** -self.rng.choice((2, 4, 7)) * (1 + self.rng.random()):.8e}")
        base = sp.Rational(f"{float(sp.N(centre, 20)):.15e}")
        return base + self.rng.choice((-1, 1)) * offset

    def points(self) -> Iterator[dict[sp.Symbol, sp.Rational]]:
        """Endless reproducible points; in one variable, every second one beside a special
        point. Points where the condition fails are drawn too (so that a run of attempts ends
        even when the condition holds nowhere) and left to :meth:`allowed`."""
        while True:
            index = self.drawn
            self.drawn += 1
            beside = self._beside(index // 2) if len(self.symbols) == 1 and index % 2 == 1 else None
            if beside is not None:
                yield {self.symbols[0]: beside}
            elif self.interval is not None:
                yield {self.symbols[0]: self._within(self.interval, index)}
            else:
                yield {s: self._number(index + k) for k, s in enumerate(self.symbols)}

    def allowed(self, point: dict[sp.Symbol, sp.Rational]) -> bool:
        if self.condition is None:
            return True
        return bool(self.condition.xreplace(point) == sp.true)

    # -- evaluation -----------------------------------------------------------------------------
    def sample(self, point: dict[sp.Symbol, sp.Rational], last: int = len(PRECISIONS)) -> Sample:
        """Compare both sides at ``point`` at rising precision (the first ``last`` precisions)."""
        inside = [meets(need, point) for need in self.needs]
        if not all(inside):
            return Sample(point, Outcome.ONE_SIDED if any(inside) else Outcome.UNDEFINED)
        previous: sp.Float | None = None
        for index, digits in enumerate(PRECISIONS[:last]):
            left, right = value(self.left, point, digits), value(self.right, point, digits)
            if left is None or right is None:
                if index == 0 and (left is None) != (right is None):
                    return Sample(point, Outcome.ONE_SIDED)
                return Sample(point, Outcome.UNDEFINED if index == 0 else Outcome.UNCLEAR)
            gap = abs(left - right)
            if gap <= tolerance(left, right, digits):
                if digits >= AGREE_AT or index == last - 1:
                    # a true identity drives the witness to its full working precision, so the
                    # wide room is spent on the first few agreeing points of a full run only
                    wide = digits >= AGREE_AT and self.witnessed < _WIDE_WITNESSES
                    self.witnessed += wide
                    tiny = vouched_nonzero(self.difference, point, _WITNESS_DIGITS if wide else 0)
                    if tiny is not None:
                        return Sample(point, Outcome.DIFFER, left, right, tiny)
                    return Sample(point, Outcome.AGREE if digits >= AGREE_AT else Outcome.CLOSE, left, right)
                previous = None
                continue
            if previous is not None and abs(gap - previous) <= gap / 1000:
                return Sample(point, Outcome.DIFFER, left, right, left - right)
            previous = gap
        return Sample(point, Outcome.UNCLEAR)

    def run(self, wanted: int, attempts: int, *, last: int = len(PRECISIONS)) -> Tally:
        """Points until ``wanted`` agree, one differs, or ``attempts`` have been drawn (a claim
        without variables has one point)."""
        if not self.symbols:
            wanted = attempts = 1
        tally = Tally()
        for point, _ in zip(self.points(), range(attempts), strict=False):
            if not self.allowed(point):
                continue
            sample = self.sample(point, last)
            tally.samples.append(sample)
            agreed = tally.count(Outcome.AGREE) + tally.count(Outcome.CLOSE)
            if sample.outcome is Outcome.DIFFER or agreed >= wanted:
                break
        return tally


def tolerance(left: sp.Float, right: sp.Float, digits: int) -> sp.Float:
    """The largest difference that rounding at ``digits`` digits can explain."""
    scale = max(sp.Float(1, digits), abs(left), abs(right))
    return scale * sp.Float(10, digits) ** (_SLACK - digits)


def vouched_nonzero(
    difference: sp.Basic, point: dict[sp.Symbol, sp.Rational], room: int = _WITNESS_DIGITS
) -> sp.Float | None:
    """The difference at ``point`` when SymPy's evaluation, which tracks its own accuracy through
    cancellation, vouches at 30 and at 60 digits for the same nonzero value: a difference
    too small for the sides' own comparison (10⁻²⁰⁰·sin x) still shows here. A difference that is
    really zero evaluates to a number with no correct digits, and is not vouched for."""
    if out_of_range(difference, point):
        return None
    # the gamma family at a thousand digits costs seconds a point: give it only a little room
    room = 0 if difference.has(*_FACTORIAL_LIKE, sp.besselj, sp.bessely) else room
    found = []
    for digits in PRECISIONS[:2]:
        try:
            result = _evaluate(difference, point, digits, maxn=room + 4 * digits)
        except (TypeError, ValueError, ZeroDivisionError, ArithmeticError, RecursionError, AttributeError):
            return None
        if not isinstance(result, sp.Float) or result == 0 or result._prec < 3 * digits:
            return None
        found.append(result)
    first, second = found
    return second if abs(first - second) <= abs(second) / 10**20 else None


def value(expr: sp.Basic, point: dict[sp.Symbol, sp.Rational], digits: int) -> sp.Float | None:
    """``expr`` at ``point`` to ``digits`` digits; None where it is not a real, finite number
    (or too large to evaluate)."""
    if out_of_range(expr, point):
        return None
    try:
        result = _evaluate(expr, point, digits)
    except (TypeError, ValueError, ZeroDivisionError, ArithmeticError, RecursionError, AttributeError):
        return None
    if result.free_symbols or result.has(sp.nan, sp.zoo, sp.oo, -sp.oo, AppliedUndef):
        return None
    real, imag = result.as_real_imag()
    if not (real.is_Number and imag.is_Number) or real.has(sp.nan, sp.oo, -sp.oo):
        return None
    if imag != 0 and abs(imag) > max(sp.Float(1, digits), abs(real)) * sp.Float(10, digits) ** (
        _SLACK - digits
    ):
        return None  # not real here
    return sp.Float(real, digits)


def _evaluate(expr: sp.Basic, point: dict[sp.Symbol, sp.Rational], digits: int, maxn: int = 0) -> sp.Basic:
    """``expr`` at ``point`` numerically. The point is handed to the evaluation rather than put
    into the expression: building x^a with exact rationals for x and a would make SymPy look for
    an exact root with a huge index. Cases (Piecewise) need their conditions substituted."""
    options = {"maxn": maxn} if maxn else {}
    if not all(exact_at_points(expr, symbol) for symbol in point):
        # where SymPy falls back to substituting (a function with no numeric evaluation), exact
        # rationals in x^a or 2^x would again ask for huge exact roots: hand it decimals instead
        point = {symbol: sp.Float(value, digits + 20) for symbol, value in point.items()}
    if not expr.has(sp.Piecewise):
        result = expr.evalf(digits, subs=point, **options)
        if not result.free_symbols:
            return result
    return expr.xreplace(point).evalf(digits, **options)


def out_of_range(expr: sp.Basic, point: dict[sp.Symbol, sp.Rational]) -> bool:
    """True when some function in ``expr`` gets an argument too large to evaluate exactly.

    Inner functions are looked at first, so each argument is evaluated only once it is known
    to be in range itself."""
    for node in sp.postorder_traversal(expr):
        if isinstance(node, _GROWING):
            limit = _GROWTH_LIMIT
        elif isinstance(node, _FACTORIAL_LIKE):
            limit = _GAMMA_LIMIT
        elif isinstance(node, _PERIODIC):
            limit = _PERIODIC_LIMIT
        elif isinstance(node, sp.Pow) and not node.exp.is_Number:
            argument = node.exp * sp.log(abs(node.base)) if node.base.free_symbols else node.exp
            if _magnitude(argument, point) > _GROWTH_LIMIT:
                return True
            continue
        else:
            continue
        if any(_magnitude(a, point) > limit for a in node.args):
            return True
    return False


def _magnitude(expr: sp.Basic, point: dict[sp.Symbol, sp.Rational]) -> float:
    if not expr.free_symbols and expr.is_Number:
        return abs(float(expr))
    try:
        return abs(complex(_evaluate(expr, point, 15)))
    except (TypeError, ValueError, ZeroDivisionError, ArithmeticError, OverflowError, RecursionError):
        return float("inf")
