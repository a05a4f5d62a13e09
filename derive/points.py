"""Values at a point: reading ``--at x=2,y=1``, the derivative's value as a verified step, and
whether a derivative exists at a point at all.

A value is exact (a SymPy number) and its decimal is given beside it. Whether f is differentiable
at a is decided from the one-sided limits of the difference quotient (f(a + h) − f(a))/h, not from
the derivative's formula at a: d/dx |x| = sign(x) is 0 at x = 0 by formula, yet |x| has no
derivative there.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import sympy as sp
from sympy.core.function import AppliedUndef

from .budgets import OutOfWork, work_limit
from .errors import DeriveError
from .model import Derivation, Step
from .oneline import one_line
from .parse import parse

DIGITS = 12  # significant digits of the decimal shown beside an exact value
LIMIT_WORK = 100_000  # counted work for one-sided limits; past it, differentiability is not claimed

# Functions whose derivative's formula can be finite at a point where there is no derivative.
_NOT_SMOOTH = (
    sp.Abs,
    sp.sign,
    sp.Piecewise,
    sp.Heaviside,
    sp.floor,
    sp.ceiling,
    sp.frac,
    sp.Max,
    sp.Min,
    sp.DiracDelta,
)


def parse_at(text: str, names: tuple[str, ...]) -> dict[str, sp.Expr]:
    """``x=2,y=1`` → {"x": 2, "y": 1}; each value a real, finite number (``1/2``, ``pi/4``, ``-3``).

    ``names`` are the names that may be given; a one-line :class:`DeriveError` for anything else.
    """
    point: dict[str, sp.Expr] = {}
    for part in (p.strip() for p in text.split(",")):
        name, equals, value = part.partition("=")
        name = name.strip()
        if not equals or not name or not value.strip():
            raise DeriveError(f"--at takes name=value pairs such as x=2 (or x=0,y=1), not {text!r}")
        if name not in names:
            raise DeriveError(f"--at names {name!r}, which is not {' or '.join(names)}")
        if name in point:
            raise DeriveError(f"--at gives {name} twice")
        try:
            number = parse(value)
        except DeriveError:
            raise DeriveError(f"--at {name}= needs a real number, not {value.strip()!r}") from None
        if (
            not isinstance(number, sp.Expr)
            or number.free_symbols
            or not number.is_real
            or not number.is_finite
        ):
            raise DeriveError(f"--at {name}= needs a real number, not {value.strip()!r}")
        point[name] = number
    return point


def as_number(value: object, name: str) -> sp.Expr:
    """A value given in Python (an int, a Fraction, a float, a SymPy number; text goes through the
    safe parser) as a real, finite SymPy number; a one-line :class:`DeriveError` otherwise."""
    if isinstance(value, str):
        return parse_at(f"{name}={value}", (name,))[name]
    try:
        number = sp.sympify(value, strict=True)  # strict: never text, so nothing is evaluated
    except (sp.SympifyError, TypeError, ValueError):
        raise DeriveError(f"the value of {name} must be a number, not {value!r}") from None
    if not isinstance(number, sp.Expr) or number.free_symbols or not number.is_real or not number.is_finite:
        raise DeriveError(f"the value of {name} must be a real number, not {value!r}")
    return number


def value_of(at: object, x: sp.Symbol) -> sp.Expr:
    """The value of ``x`` that ``at`` gives: text such as ``"x=2"`` (a one-line
    :class:`DeriveError` when it names no value of x) or a number given in Python."""
    if not isinstance(at, str):
        return as_number(at, x.name)
    a = parse_at(at, (x.name,)).get(x.name)
    if a is None:
        raise DeriveError(f"--at needs a value of {x.name}, as in --at {x.name}=2")
    return a


def decimal(value: sp.Expr) -> str:
    """``0.270670566473``: the value to :data:`DIGITS` significant digits, as people read it."""
    text = str(sp.N(value, DIGITS))
    if "." in text and "e" not in text.lower():
        text = text.rstrip("0").rstrip(".")
    return text.replace("-", "−")


@dataclass(frozen=True)
class Slope:
    """What is known about f'(a): its value, or why there is none."""

    value: sp.Expr | None  # f'(a) when it exists
    problem: str = ""  # why there is no derivative at a, for one line
    vertical: bool = False  # both one-sided slopes are the same infinity: a vertical tangent


def _finite_real(value: sp.Basic) -> bool:
    return isinstance(value, sp.Expr) and value.is_real is True and value.is_finite is True


def value_at(expr: sp.Expr, x: sp.Symbol, a: sp.Expr) -> sp.Expr | None:
    """expr at x = a when it is a real, finite number; else None."""
    try:
        found = sp.simplify(expr.subs(x, a))
    except (ArithmeticError, TypeError, ValueError):
        return None
    return found if _finite_real(found) else None


def no_value(expr: sp.Expr) -> str:
    """Why ``expr`` has no value at a point (``value_at`` gave None), in words that follow
    "at x = a: ": an unspecified function f has one, but which depends on what f is."""
    unspecified = sorted({str(f.func) for f in expr.atoms(AppliedUndef)})
    if unspecified:
        names, verb = " and ".join(unspecified), "is" if len(unspecified) == 1 else "are"
        return f"the value of {one_line(expr)} there depends on what {names} {verb}"
    return f"{one_line(expr)} has no real value there"


def slope_at(expr: sp.Expr, x: sp.Symbol, a: sp.Expr) -> Slope:
    """The derivative of ``expr`` at x = a from the one-sided limits of the difference quotient.
    Where there is none, ``problem`` says why in words that follow "at x = a: "."""
    at = value_at(expr, x, a)
    name = one_line(expr)
    if at is None:
        return Slope(None, no_value(expr))
    h = sp.Dummy("h", positive=True)
    # SymPy takes no series of Max and Min; as cases it takes their limits
    near = expr.rewrite(sp.Piecewise) if expr.has(sp.Max, sp.Min) else expr
    quotient = (near.subs(x, a + h) - at) / h, (near.subs(x, a - h) - at) / (-h)
    try:
        with work_limit(LIMIT_WORK):
            right, left = (sp.limit(q, h, 0, "+") for q in quotient)
    except (OutOfWork, NotImplementedError, ArithmeticError, TypeError, ValueError):
        return _by_formula(expr, x, a)
    if right.has(sp.AccumBounds) or left.has(sp.AccumBounds):
        return Slope(None, f"the difference quotient of {name} has no limit there")
    if _finite_real(right) and _finite_real(left):
        if sp.simplify(right - left) == 0:
            return Slope(sp.simplify(right))
        sides = f"{one_line(left)} from the left, {one_line(right)} from the right"
        return Slope(None, f"the one-sided slopes of {name} differ ({sides})")
    infinite = [s for s in (left, right) if s in (sp.oo, -sp.oo)]
    if infinite and not _continuous(near, x, a, at, h):
        # sign(x) at 0: the quotient grows only because the function jumps; no tangent at all
        return Slope(None, f"{name} jumps there")
    if infinite:
        # x^(1/3) at 0: ∞ from the right (and, for the principal root, no real values on the left)
        vertical = len(infinite) == 2 and infinite[0] == infinite[1]
        return Slope(None, f"the slope of {name} is infinite there", vertical=vertical)
    return Slope(None, f"{name} has no derivative there")


def _continuous(expr: sp.Expr, x: sp.Symbol, a: sp.Expr, at: sp.Expr, h: sp.Symbol) -> bool:
    """Whether both one-sided limits of ``expr`` at a are its value there (False when unknown)."""
    try:
        with work_limit(LIMIT_WORK):
            return all(sp.simplify(sp.limit(expr.subs(x, a + s * h), h, 0, "+") - at) == 0 for s in (1, -1))
    except (OutOfWork, NotImplementedError, ArithmeticError, TypeError, ValueError):
        return False


def _by_formula(expr: sp.Expr, x: sp.Symbol, a: sp.Expr) -> Slope:
    """When the limits could not be taken: the formula's value, only for a function built from
    smooth pieces (where a finite formula at a means a derivative at a)."""
    if expr.has(*_NOT_SMOOTH) or any(not p.exp.is_integer for p in expr.atoms(sp.Pow)):
        return Slope(None, f"could not decide whether {one_line(expr)} has a derivative there")
    found = value_at(sp.diff(expr, x), x, a)
    if found is None:
        return Slope(None, f"{one_line(expr)} has no finite derivative there")
    return Slope(found)


def with_value(derivation: Derivation, at: str | sp.Expr) -> Derivation:
    """``derivation`` (from :func:`derive.differentiate`) with the derivative's value at x = a as
    a last verified step, exact with its decimal in the rule; the result is that value.

    ``at`` is ``"x=2"`` or the number a. Where the derivative does not exist at a (|x| at 0,
    whose formula sign(x) gives 0 there), a one-line :class:`DeriveError` says why.
    """
    from .verify import verify_step

    x = derivation.variable
    a = value_of(at, x)
    (expr, order) = _asked(derivation.result.lhs, x)
    before = sp.diff(expr, x, order - 1) if order > 1 else expr
    slope = slope_at(before, x, a)
    if slope.value is None:
        raise DeriveError(f"no derivative at {x.name} = {one_line(a)}: {slope.problem}")
    rule = f"value at {x.name} = {one_line(a)} (≈ {decimal(slope.value)})"
    step = Step(sp.Subs(derivation.result.lhs, x, a), slope.value, rule, why=f"≈ {decimal(slope.value)}")
    step = replace(step, verdict=verify_step(step, derivation))
    return replace(derivation, steps=(*derivation.steps, step), result=replace(step, rule="result"))


def _asked(lhs: sp.Basic, x: sp.Symbol) -> tuple[sp.Expr, int]:
    """(f, n) of a result d^n f/dx^n."""
    if not isinstance(lhs, sp.Derivative):
        raise DeriveError("a value at a point needs a derivative as the result")
    return lhs.expr, sum(int(count) for v, count in lhs.variable_count if v == x)
