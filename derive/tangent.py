"""Tangent lines: ``derive tangent "x^2" --at x=2`` gives y = f(a) + f'(a)·(x − a), verified.

The derivative is derived step by step as ``derive diff`` does; then f(a), the slope f'(a) and the
line are each a verified step, and the line is defined as y := f(a) + f'(a)·(x − a) and multiplied
out. Whether f has a derivative at a is decided from the one-sided limits of the difference
quotient (:func:`derive.points.slope_at`): |x| at 0 and x^(1/3) at 0 have no tangent line of this
form, and say so in one line.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import sympy as sp

from .differentiate import differentiate
from .errors import DeriveError
from .model import Definition, Derivation, Step
from .oneline import one_line
from .points import decimal, no_value, slope_at, value_at, value_of
from .verify import Budget, verify_step


@dataclass(frozen=True)
class Tangent:
    """The tangent line of f at x = a: y = value + slope·(x − a)."""

    point: sp.Expr  # a
    value: sp.Expr  # f(a)
    slope: sp.Expr  # f'(a)
    line: sp.Expr  # the line, multiplied out


def tangent_line(expr: sp.Expr, x: sp.Symbol, a: sp.Expr) -> Tangent:
    """The tangent of ``expr`` at x = a, or a one-line :class:`DeriveError` where there is none."""
    where = f"{x.name} = {one_line(a)}"
    value = value_at(expr, x, a)
    if value is None:
        raise DeriveError(f"no tangent line at {where}: {no_value(expr)}")
    slope = slope_at(expr, x, a)
    if slope.value is None:
        if slope.vertical:
            raise DeriveError(
                f"no tangent line y = f(a) + f'(a)(x − a) at {where}: {slope.problem}, "
                f"from both sides alike (the tangent is the vertical line {where})"
            )
        raise DeriveError(f"no tangent line at {where}: {slope.problem}")
    return Tangent(a, value, slope.value, sp.expand(value + slope.value * (x - a)))


def tangent(
    expr: sp.Expr | str, at: str | sp.Expr, var: str | sp.Symbol | None = None, budget: Budget | None = None
) -> Derivation:
    """The verified tangent line of ``expr`` at ``at`` (``"x=2"`` or the number 2).

    The derivation holds the derivative step by step, then f(a), f'(a) and the line
    y = f(a) + f'(a)·(x − a), each verified; its result is the line multiplied out. A point where
    f is not defined or has no derivative (|x| at 0, x^(1/3) at 0) raises
    :class:`derive.errors.DeriveError` with one line saying why.
    """
    derivation = differentiate(expr, var, 1, budget) if budget else differentiate(expr, var, 1)
    x = derivation.variable
    function = derivation.result.lhs.expr
    a = value_of(at, x)
    found = tangent_line(function, x, a)
    where = f"{x.name} = {one_line(a)}"
    taken = {s.name for s in function.free_symbols} | {str(d.lhs) for d in derivation.definitions}
    y = sp.Symbol(next(n for n in ("y", "T", "L", "y_t") if n not in taken))
    at_a = sp.Subs(function, x, a)
    slope_at_a = sp.Subs(sp.Derivative(function, x), x, a)
    # kept as written (unevaluated): f(a) + f'(a)·(x − a), even where the slope is 0
    stated = sp.Add(at_a, sp.Mul(slope_at_a, x - a, evaluate=False), evaluate=False)
    inserted = sp.Add(found.value, sp.Mul(found.slope, x - a, evaluate=False), evaluate=False)
    steps = [
        Step(at_a, found.value, f"f at {where} (≈ {decimal(found.value)})"),
        Step(slope_at_a, found.slope, f"the slope f' at {where} (≈ {decimal(found.slope)})"),
        Step(y, inserted, "the tangent line y = f(a) + f'(a)·(x − a)"),
        Step(y, found.line, "multiply out"),
    ]
    derivation = replace(
        derivation,
        title=f"Tangent line to {one_line(function)} at {where}",
        definitions=(*derivation.definitions, Definition(y, stated, "the tangent line")),
        subject=None,
    )
    checked = [replace(s, verdict=verify_step(s, derivation)) for s in steps]
    result = replace(checked[-1], rule="result")
    return replace(derivation, steps=(*derivation.steps, *checked), result=result)
