"""Derivatives written through named functions: σ' = σ(1 − σ), tanh' = 1 − tanh².

Given a derivative D(x) and named functions (s := 1/(1 + e^(−x)), …), the search looks for a
form of D in the names alone:

1. replace each name's expression where it appears in D (tanh' = 1 − tanh² is found so);
2. eliminate x through a name: solve s = e(x) for x and substitute each solution into D
   (σ' becomes σ(1 − σ) so; a branch that holds only for some x is rejected below);
3. both again on what is left, for forms that need two names.

A caller that already knows the form (a catalog entry states its own, with the moves that lead
to it) passes it as :class:`Stated` and no search is run. The form must still be free of x and
defined wherever the derivative is, as a found one must; its equation is not checked here but
by the verifier, as the derivation's step that shows it (so it is verified once, not twice, and
a wrong stated form shows as a failed step). The test suite runs the search on every catalog
entry and requires the form it states.

Every candidate is verified (:func:`derive.verify.check_equation`) with the names defined by
their expressions, and it must be defined wherever the derivative is: a form that divides by a
quantity vanishing at a point where the derivative is finite (0/0 there) is rejected. Only such
a candidate is used, the simplest first (fewest names, then fewest operations). When none is
free of x, the search says so instead of inventing one.

The search is bounded by work, never by the clock, so it finds the same form on any machine:
a fixed number of rounds and candidates, and SymPy's ``solve`` and ``simplify`` only on input
they finish on quickly (x isolated through one chain of functions; a bounded operation count).
Each SymPy call, and the search as a whole, also has a budget of counted work
(:mod:`derive.budgets`); if one runs out, the whole search reports no form rather than a
different one.
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

from .budgets import OutOfWork, work_limit
from .model import Definition
from .oneline import one_line
from .verify import check_equation

# Work budgets: these decide what is found.
ROUNDS = 3  # later rounds combine names
FRONTIER = 12  # partial rewrites carried into the next round
MAX_CANDIDATES = 200  # candidates generated, in a fixed order
MAX_CHECKS = 40  # candidates sent to the verifier
SIMPLIFY_MAX_OPS = 150  # simplify beyond this may take seconds or minutes
SOLVE_MAX_OPS = 40
CANDIDATE_MAX_OPS = 300  # larger candidates are not tidied or checked: factor may explode
DERIVATIVE_MAX_OPS = 400  # a larger derivative is not searched at all
# Counted work (SymPy objects built, see derive.budgets): far above what any step of the search
# needs; when one runs out the search gives up and reports no form.
OPERATION_WORK = 300_000
SEARCH_WORK = 3_000_000


class _GaveUp(Exception):
    """A budget of work ran out: the search stops without a form."""


@dataclass(frozen=True)
class Form:
    """A verified way to write a derivative through names."""

    expr: sp.Expr
    how: str  # "substitute s" or "solve s = … for x"
    status: str  # the verifier's verdict: "symbolic" or "numeric"; "unchecked" for a stated form


@dataclass(frozen=True)
class Substitute:
    """Put the name where its expression stands."""

    name: sp.Symbol

    def note(self, x: sp.Symbol, names: dict[sp.Symbol, sp.Expr]) -> str:
        """The move in words, as the derivation's rule shows it."""
        return f"substitute {one_line(self.name)}"


@dataclass(frozen=True)
class WriteThrough:
    """Solve the name's definition for one of its parts (e^(−x)) and put that where it stands."""

    atom: sp.Expr
    name: sp.Symbol

    def note(self, x: sp.Symbol, names: dict[sp.Symbol, sp.Expr]) -> str:
        """The move in words, as the derivation's rule shows it."""
        return f"write {one_line(self.atom)} through {one_line(self.name)}"


@dataclass(frozen=True)
class Solve:
    """Solve the name's definition (written through the other names) for the variable."""

    name: sp.Symbol

    def note(self, x: sp.Symbol, names: dict[sp.Symbol, sp.Expr]) -> str:
        """The move in words, as the derivation's rule shows it."""
        own = _in_names(names[self.name], names, self.name)
        return f"solve {one_line(self.name)} = {one_line(own)} for {one_line(x)}"


Move = Substitute | WriteThrough | Solve


@dataclass(frozen=True)
class Stated:
    """A form known in advance, with the moves that lead to it; ``expr`` None states that the
    search finds no form. It is held to a found candidate's tests, and its equation is proved
    by the verifier as the derivation's step (see :func:`express`)."""

    expr: sp.Expr | None
    moves: tuple[Move, ...] = ()

    def how(self, x: sp.Symbol, names: dict[sp.Symbol, sp.Expr]) -> str:
        """The moves in words, joined as the search joins them."""
        return "; ".join(move.note(x, names) for move in self.moves)


def _bounded(operation, *args: object) -> object | None:
    """``operation(*args)``, or None when SymPy cannot do it; :class:`_GaveUp` when its budget
    of work runs out."""
    try:
        with work_limit(OPERATION_WORK):
            return operation(*args)
    except OutOfWork:
        raise _GaveUp from None
    except (NotImplementedError, ValueError, TypeError, AttributeError, RecursionError, ZeroDivisionError):
        return None


def _simplify(expr: sp.Expr) -> sp.Expr | None:
    """``simplify`` within the work budget, or None for an expression too large for it."""
    if sp.count_ops(expr) > SIMPLIFY_MAX_OPS:
        return None
    simpler = _bounded(sp.simplify, expr)
    return simpler if isinstance(simpler, sp.Expr) else None


def _solve(equation: sp.Eq, unknown: sp.Symbol) -> list[sp.Expr]:
    """``solve`` within the work budget: only when the unknown can be isolated by undoing one
    chain of functions (SymPy may search for minutes on x·tanh(x³ + x) = y), and for small
    equations. Solutions are cached: the search asks the same question in several rounds."""
    difference = equation.lhs - equation.rhs
    if sp.count_ops(difference) > SOLVE_MAX_OPS or not isolable(difference, unknown):
        return []
    key = (difference, unknown)
    if key not in _SOLUTIONS:
        solutions = _bounded(sp.solve, equation, unknown)
        _SOLUTIONS[key] = solutions if isinstance(solutions, list) else []
    return _SOLUTIONS[key]


_SOLUTIONS: dict[tuple[sp.Expr, sp.Symbol], list[sp.Expr]] = {}


def isolable(expr: sp.Expr, x: sp.Symbol) -> bool:
    """Whether ``x`` enters ``expr`` through a single chain: arithmetic with terms free of x and
    one distinct non-arithmetic part g(x) (x itself, or a function of one argument, or a power
    with an exponent depending on x) whose own argument is isolable again (e^x/(1 + e^x) is,
    x·tanh(x) is not)."""
    generators: set[sp.Expr] = set()
    pending = [expr]
    while pending:
        node = pending.pop()
        if x not in node.free_symbols:
            continue
        if isinstance(node, (sp.Add, sp.Mul)):
            pending.extend(node.args)
        elif isinstance(node, sp.Pow) and x not in node.exp.free_symbols:
            pending.append(node.base)
        else:
            generators.add(_primitive(node))
    if len(generators) != 1:
        return False
    (generator,) = generators
    if generator == x:
        return True
    if isinstance(generator, sp.Pow):  # a^u with u depending on x: undo it as e^(u log a)
        return x not in generator.base.free_symbols and isolable(generator.exp, x)
    return len(generator.args) == 1 and isolable(generator.args[0], x)


def _primitive(node: sp.Expr) -> sp.Expr:
    """e^(−2x) as a power of e^(−x)'s kin: the exponential of the argument without its numeric
    factor, so that e^(−x) and e^(−2x) count as one part (a polynomial in e^(−x))."""
    if isinstance(node, sp.exp):
        return sp.exp(node.args[0].as_coeff_Mul()[1], evaluate=False)
    if isinstance(node, sp.Pow):
        return sp.Pow(node.base, node.exp.as_coeff_Mul()[1], evaluate=False)
    return node


def _tidy(expr: sp.Expr, names: set[sp.Symbol]) -> sp.Expr:
    """The shortest of the expression, its expansion, factored and collected forms, with minus
    signs folded into differences (σ(1 − σ)(1 − 2σ) rather than σ(σ − 1)(2σ − 1)); a product
    wins a tie (s(1 − s) rather than s − s²)."""
    simpler = _simplify(expr)
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
            found.append((substituted, Substitute(name).note(x, names)))
        # e^(−x) through σ: solve σ = 1/(1 + E) for E and put it where e^(−x) stands
        for atom in sorted(value.atoms(sp.exp, sp.Function), key=str):
            if x not in atom.free_symbols or atom not in expr.atoms(type(atom)):
                continue
            solutions = _solve(sp.Eq(name, value.xreplace({atom: _PLACEHOLDER})), _PLACEHOLDER)
            if len(solutions) == 1:
                found.append((expr.xreplace({atom: solutions[0]}), WriteThrough(atom, name).note(x, names)))
        own = _in_names(value, names, name)
        for solution in _solve(sp.Eq(name, own), x):
            rewritten = _simplify(expr.subs(x, solution))
            if rewritten is not None:
                found.append((rewritten, Solve(name).note(x, names)))
    return found


# one placeholder for every search, so that equal questions are cached as equal
_PLACEHOLDER = sp.Dummy("a")


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
    for _ in range(ROUNDS):
        next_frontier = []
        for expr, how in frontier:
            for candidate, note in _steps_for(expr, x, names):
                found.append((candidate, f"{how}; {note}" if how else note))
                next_frontier.append(found[-1])
                if len(found) >= MAX_CANDIDATES:
                    return found
        frontier = [(e, h) for e, h in next_frontier if x in e.free_symbols][:FRONTIER]
    return found


def express(
    derivative: sp.Expr,
    x: sp.Symbol,
    names: dict[sp.Symbol, sp.Expr],
    others: tuple[sp.Expr, ...] = (),
    stated: Stated | None = None,
) -> Form | None:
    """The simplest verified form of ``derivative`` through ``names`` without ``x``, or None.

    ``others`` are the same derivative in other shapes to start the search from (each candidate
    is verified against ``derivative`` itself). A ``stated`` form replaces the search: it is
    used when it is free of x and defined wherever the derivative is, its equation left to the
    verifier of the derivation that shows it (its status is then "unchecked"); should it fail
    those tests, the search runs after all.
    """
    if sp.count_ops(derivative) > DERIVATIVE_MAX_OPS:
        return None
    definitions = tuple(Definition(name, value) for name, value in names.items())
    if stated is not None:
        if stated.expr is None:
            return None
        form = _confirm(stated.expr, stated.how(x, names), derivative, x, names)
        if form is not None:
            return form
    best: tuple[tuple[int, int], Form] | None = None
    seen: set[sp.Expr] = set()
    checks = [MAX_CHECKS]
    try:
        with work_limit(SEARCH_WORK):
            for candidate, how in _candidates(derivative, x, names, others):
                best = _consider(candidate, how, derivative, x, names, definitions, best, seen, checks)
    except (_GaveUp, OutOfWork):
        return None  # out of work: no form, rather than whichever was found first
    return best[1] if best else None


def _confirm(
    form: sp.Expr,
    how: str,
    derivative: sp.Expr,
    x: sp.Symbol,
    names: dict[sp.Symbol, sp.Expr],
) -> Form | None:
    """The stated form when it passes the tests a found candidate must pass before it is
    verified, else None (the verification is the derivation's, see :func:`express`)."""
    if x in form.free_symbols or form.has(sp.I, sp.zoo, sp.nan) or sp.count_ops(form) > CANDIDATE_MAX_OPS:
        return None
    try:
        with work_limit(SEARCH_WORK):
            if _undefined_where_derivative_is(form, derivative, x, names):
                return None
    except (_GaveUp, OutOfWork):
        return None
    return Form(form, how, "unchecked")


def _consider(
    candidate: sp.Expr,
    how: str,
    derivative: sp.Expr,
    x: sp.Symbol,
    names: dict[sp.Symbol, sp.Expr],
    definitions: tuple[Definition, ...],
    best: tuple[tuple[int, int], Form] | None,
    seen: set[sp.Expr],
    checks: list[int],
) -> tuple[tuple[int, int], Form] | None:
    """``best``, or the candidate instead when it is free of x, simpler, defined wherever the
    derivative is, and verified (``checks`` counts down the verifications left)."""
    if x in candidate.free_symbols or candidate.has(sp.I, sp.zoo, sp.nan):
        return best
    if sp.count_ops(candidate) > CANDIDATE_MAX_OPS:
        return best
    form = _tidy(candidate, set(names))
    if form in seen:
        return best
    seen.add(form)
    # one more name is worth three operations: swish + σ(1 − swish) beats a σ-only logarithm
    cost = (sp.count_ops(form) + 3 * len(form.free_symbols & set(names)), len(str(form)))
    if best is not None and cost >= best[0]:
        return best
    if checks[0] <= 0 or _undefined_where_derivative_is(form, derivative, x, names):
        return best
    checks[0] -= 1
    verdict = check_equation(form, derivative, definitions, x)
    return (cost, Form(form, how, verdict.status)) if verdict.ok else best


def _undefined_where_derivative_is(
    form: sp.Expr, derivative: sp.Expr, x: sp.Symbol, names: dict[sp.Symbol, sp.Expr]
) -> bool:
    """Whether the form, with the names put back, divides by zero or takes a logarithm of zero
    at a real point where the derivative is finite (mish' through σ and y divides by ln(σ/(1 − σ)),
    which is x: 0/0 at x = 0). A point that cannot be decided counts against the form."""
    real = sp.Symbol(x.name, real=True)
    singular: list[sp.Expr] = []
    for node in sp.preorder_traversal(form):
        if isinstance(node, sp.Pow) and node.exp.is_negative:
            singular.append(node.base)
        elif isinstance(node, sp.log):
            singular.append(node.args[0])
    for part in dict.fromkeys(singular):
        if not part.free_symbols & set(names):
            continue
        in_x = part.xreplace(names).xreplace({x: real})
        zeros = _bounded(sp.solveset, in_x, real, sp.S.Reals)
        if not isinstance(zeros, sp.FiniteSet):
            if zeros is sp.S.EmptySet:
                continue
            return True  # zeros not known (an interval, a condition): not shown defined
        for zero in zeros:
            value = _bounded(lambda z: derivative.xreplace({x: real}).subs(real, z), zero)
            undefined = isinstance(value, sp.Expr) and (value.is_finite is False or value.has(sp.nan, sp.zoo))
            if not undefined:  # the derivative has a value here and the form has none
                return True
    return False
