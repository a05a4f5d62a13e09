"""Derivatives written through named functions: σ' = σ(1 − σ), tanh' = 1 − tanh².

Given a derivative D(x) and named functions (s := 1/(1 + e^(−x)), …), the search looks for a
form of D in the names alone:

1. replace each name's expression where it appears in D (tanh' = 1 − tanh² is found so);
2. eliminate x through a name: solve s = e(x) for x and substitute each solution into D
   (σ' becomes σ(1 − σ) so; a branch that holds only for some x is rejected below);
3. both again on what is left, for forms that need two names.

Every candidate is verified (:func:`derive.verify.check_equation`) with the names defined by
their expressions; only a verified candidate is used, the simplest first (fewest names, then
fewest operations). When none is free of x, the search says so instead of inventing one.
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

from .model import Definition
from .timing import OutOfTime, time_limit
from .verify import check_equation

SOLVE_SECONDS = 2.0
SIMPLIFY_SECONDS = 2.0
SEARCH_SECONDS = 8.0  # generating candidates
CHECK_SECONDS = 20.0  # the whole search, verification included


@dataclass(frozen=True)
class Form:
    """A verified way to write a derivative through names."""

    expr: sp.Expr
    how: str  # "substitute s" or "solve s = … for x"
    status: str  # the verifier's verdict: "symbolic" or "numeric"


def _bounded(operation, *args: object, seconds: float = SIMPLIFY_SECONDS) -> object | None:
    try:
        with time_limit(seconds):
            return operation(*args)
    except OutOfTime:
        return None
    except (NotImplementedError, ValueError, TypeError, AttributeError, RecursionError, ZeroDivisionError):
        return None


def _tidy(expr: sp.Expr, names: set[sp.Symbol]) -> sp.Expr:
    """The shortest of the expression, its expansion, factored and collected forms, with minus
    signs folded into differences (σ(1 − σ)(1 − 2σ) rather than σ(σ − 1)(2σ − 1)); a product
    wins a tie (s(1 − s) rather than s − s²)."""
    simpler = _bounded(sp.simplify, expr)
    forms = [expr, simpler, _bounded(sp.expand, expr), _bounded(sp.factor, expr)]
    forms += [_bounded(sp.factor, simpler)] if isinstance(simpler, sp.Expr) else []
    forms += [_bounded(_simplified_in_exp, expr)]
    forms += [_bounded(sp.collect, expr, name) for name in sorted(names & expr.free_symbols, key=str)]
    tidy = [_fold_signs(f) for f in forms if isinstance(f, sp.Expr)]
    return min(tidy, key=lambda f: (sp.count_ops(f), isinstance(f, sp.Add), len(str(f))))


def _fold_signs(expr: sp.Expr) -> sp.Expr:
    if not isinstance(expr, sp.Mul):
        return expr
    sign, factors = 1, []
    for factor in expr.args:
        if factor == -1:
            sign = -sign
        elif isinstance(factor, sp.Add) and factor.as_coeff_Add()[0] < 0:  # s − 1 becomes 1 − s
            sign, factors = -sign, [*factors, -factor]
        else:
            factors.append(factor)
    return sp.Mul(sign, *factors)


def _in_names(value: sp.Expr, names: dict[sp.Symbol, sp.Expr], own: sp.Symbol) -> sp.Expr:
    """A name's expression written through the other names (swish = x·σ once σ is named)."""
    for name, other in names.items():
        if name != own:
            value = value.subs(other, name)
    return value


def _steps_for(expr: sp.Expr, x: sp.Symbol, names: dict[sp.Symbol, sp.Expr]) -> list[tuple[sp.Expr, str]]:
    """One round: each way a single name can take a part of x's place in ``expr``."""
    found: list[tuple[sp.Expr, str]] = []
    for name, value in names.items():
        substituted = expr.subs(value, name)
        if substituted != expr:
            found.append((substituted, f"substitute {name}"))
        # e^(−x) through σ: solve σ = 1/(1 + E) for E and put it where e^(−x) stands
        for atom in sorted(value.atoms(sp.exp, sp.Function), key=str):
            if x not in atom.free_symbols or atom not in expr.atoms(type(atom)):
                continue
            placeholder = sp.Dummy("a")
            solutions = _bounded(sp.solve, sp.Eq(name, value.xreplace({atom: placeholder})), placeholder)
            if isinstance(solutions, list) and len(solutions) == 1:
                found.append((expr.xreplace({atom: solutions[0]}), f"write {atom} through {name}"))
        own = _in_names(value, names, name)
        solutions = _bounded(sp.solve, sp.Eq(name, own), x, seconds=SOLVE_SECONDS)
        for solution in solutions if isinstance(solutions, list) else []:
            rewritten = _bounded(sp.simplify, expr.subs(x, solution))
            if isinstance(rewritten, sp.Expr):
                found.append((rewritten, f"solve {name} = {sp.sstr(own)} for {x}"))
    return found


def _simplified_in_exp(expr: sp.Expr) -> sp.Expr:
    """Through exponentials, over one denominator, radicals cleared (cosh(asinh s) → √(1 + s²))."""
    return sp.radsimp(sp.together(expr.rewrite(sp.exp)))


def _expanded_in_exp(expr: sp.Expr) -> sp.Expr:
    return sp.expand(expr.rewrite(sp.exp))


def _candidates(
    derivative: sp.Expr, x: sp.Symbol, names: dict[sp.Symbol, sp.Expr], others: tuple[sp.Expr, ...]
) -> list[tuple[sp.Expr, str]]:
    found: list[tuple[sp.Expr, str]] = []
    # the same derivative in other shapes: which parts a name can replace depends on the shape
    shapes = [derivative, *others, _bounded(sp.expand, derivative), _bounded(_expanded_in_exp, derivative)]
    frontier = [(shape, "") for shape in dict.fromkeys(s for s in shapes if isinstance(s, sp.Expr))]
    try:
        with time_limit(SEARCH_SECONDS):
            for _ in range(3):  # later rounds combine names
                next_frontier = []
                for expr, how in frontier:
                    for candidate, note in _steps_for(expr, x, names):
                        found.append((candidate, f"{how}; {note}" if how else note))
                        next_frontier.append(found[-1])
                frontier = [(e, h) for e, h in next_frontier if x in e.free_symbols][:12]
    except OutOfTime:
        pass  # the search is bounded; what was found so far still counts
    return found


def express(
    derivative: sp.Expr, x: sp.Symbol, names: dict[sp.Symbol, sp.Expr], others: tuple[sp.Expr, ...] = ()
) -> Form | None:
    """The simplest verified form of ``derivative`` through ``names`` without ``x``, or None.

    ``others`` are the same derivative in other shapes to start the search from (each candidate
    is verified against ``derivative`` itself).
    """
    definitions = tuple(Definition(name, value) for name, value in names.items())
    best: tuple[tuple[int, int], Form] | None = None
    seen: set[sp.Expr] = set()
    try:
        with time_limit(CHECK_SECONDS):
            for candidate, how in _candidates(derivative, x, names, others):
                best = _consider(candidate, how, derivative, x, names, definitions, best, seen)
    except OutOfTime:
        pass  # keep the best verified form found in time
    return best[1] if best else None


def _consider(
    candidate: sp.Expr,
    how: str,
    derivative: sp.Expr,
    x: sp.Symbol,
    names: dict[sp.Symbol, sp.Expr],
    definitions: tuple[Definition, ...],
    best: tuple[tuple[int, int], Form] | None,
    seen: set[sp.Expr],
) -> tuple[tuple[int, int], Form] | None:
    """``best``, or the candidate instead when it is free of x, simpler, and verified."""
    if x in candidate.free_symbols or candidate.has(sp.I, sp.zoo, sp.nan):
        return best
    form = _tidy(candidate, set(names))
    if form in seen:
        return best
    seen.add(form)
    # one more name is worth three operations: swish + σ(1 − swish) beats a σ-only logarithm
    cost = (sp.count_ops(form) + 3 * len(form.free_symbols & set(names)), len(str(form)))
    if best is not None and cost >= best[0]:
        return best
    verdict = check_equation(form, derivative, definitions, x)
    return (cost, Form(form, how, verdict.status)) if verdict.ok else best
