"""Verification: every step is a claimed equation, and this module decides whether it holds.

A step ``lhs = rhs`` holds when ``lhs − rhs`` is zero wherever both sides are real and finite,
once the derivation's definitions are substituted and derivatives are evaluated. Variables are
real. A derivative with respect to a defined quantity, ``dσ/du`` with ``u := 1 + e^(−x)``,
means ``σ'(x) / u'(x)`` (Leibniz notation between two quantities that depend on the variable).

The ladder, cheapest rung first; each rung is bounded by the size of the expression it works
on (operations counted by ``count_ops``), so the same claim gets the same verdict on any
machine under any load. Each stage also runs under a budget of counted work
(:mod:`derive.budgets`): when it runs out, the claim is undecided.

1. ``identical`` — the sides are the same expression;
2. ``cancel`` — the rational normal form of the difference is zero;
3. a numeric probe (:mod:`derive.evidence`): a false claim fails here, with its point;
4. ``expand``, ``simplify``, ``simplify in exp`` — SymPy's heuristics reach zero;
   a difference that is a nonzero rational function is refuted exactly;
5. for a condition or a domain on one side of zero (``x > 0``), the same with the variable
   assumed positive (or negative);
6. functions with jumps (sign, |·|, Max, Piecewise, floor, …) in one variable: the claim is cut
   at its breakpoints and decided on each piece and at each breakpoint (:mod:`derive.cases`);
   numeric agreement alone never passes a claim with jumps;
7. ``numeric`` — agreement to 120 digits at random points (:mod:`derive.evidence`): evidence,
   never called a proof.

A refuted claim in one variable is also tried on x > 0 and x < 0, and says where it does hold.
A claim with unspecified functions f(…) is checked with one random smooth f shared by both
sides; when it fails only for that f, it is undecided ("depends on what f is").
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, replace

import sympy as sp
from sympy.core.function import AppliedUndef
from sympy.functions.elementary.trigonometric import InverseTrigonometricFunction, TrigonometricFunction

from . import cases, relations
from .budgets import OutOfWork, derivation_depth, recursion_room, work_limit
from .evidence import (
    PRECISIONS,
    Outcome,
    Sample,
    Sampler,
    Tally,
    requirements,
    side_conditions,
    value,
    vouched_nonzero,
)
from .model import Definition, Derivation, Status, Step, Verdict, condition_text
from .sizes import expansion_safe
from .sympydiff import Differentiator, defining_class
from .walk import Inside, SymbolReplacer, atoms, bottom_up, contains, distinct


@dataclass(frozen=True)
class Budget:
    """How much work one claim may cost: the largest difference (in operations, as SymPy's
    ``count_ops`` counts them) each symbolic rung is tried on, how many points must agree, how
    many may be drawn, and the work each stage may do (SymPy objects built, see
    :mod:`derive.budgets`)."""

    cancel_ops: int = 3000
    expand_ops: int = 1500
    simplify_ops: int = 300
    points: int = 8
    attempts: int = 40
    work: int = 300_000


DEFAULT_BUDGET = Budget()
_PROBE_POINTS = 3
_MIN_AGREE = 6


class _CannotCheck(Exception):
    """The claim cannot be put into a checkable form; it is undecided."""


class _OverBudget(Exception):
    """A stage used up its budget of work."""


class Expander:
    """Substitutes a derivation's definitions into expressions and evaluates derivatives.

    Every symbol that is not defined is read as a real variable (``derive`` does calculus over
    the reals: d|x|/dx is sign(x)). The value of each defined name is computed once.
    """

    def __init__(
        self,
        definitions: tuple[Definition, ...],
        variable: sp.Symbol,
        calculus: Differentiator | None = None,
    ) -> None:
        self.names = {d.lhs: d.rhs for d in definitions if isinstance(d.lhs, sp.Symbol)}
        # SymPy's d/dx, remembered part by part (shared with the other checks of a derivation)
        self.calculus = calculus or Differentiator()
        self.functions = {d.lhs.func: d for d in definitions if isinstance(d.lhs, AppliedUndef)}
        self.variable = _real(variable)
        self.values: dict[sp.Basic, sp.Basic] = {}
        self.expanded: dict[sp.Basic, sp.Basic] = {}
        self.written: dict[sp.Basic, sp.Basic] = {}
        self.busy: set[object] = set()
        # the claims of a derivation share most of their parts: each is substituted once
        self.substitution = SymbolReplacer(self.value, lambda s: True)
        self.reals: dict[frozenset[sp.Basic], SymbolReplacer] = {}
        # for claims with indices: one expander per concrete case's definitions, sharing the
        # derivatives, and the verdict of each concrete claim checked with them
        self.siblings: dict[tuple[tuple[sp.Basic, sp.Basic], ...], Expander] = {}
        self.proved: dict[tuple[sp.Basic, sp.Basic, Budget], Verdict] = {}

    def __call__(self, expr: sp.Basic) -> sp.Basic:
        """``expr`` with every defined name replaced and every derivative carried out; every
        name that is not defined is a real variable."""
        if expr not in self.expanded:
            done = self.real_symbols(self.calculus.doit(self.substituted(expr)))
            if done.has(sp.Derivative):
                done = done.replace(lambda e: isinstance(e, sp.Derivative), _between_jumps)
            self.expanded[expr] = done
        return self.expanded[expr]

    def sibling(self, definitions: tuple[Definition, ...]) -> Expander:
        """The expander for other definitions of the same variable (those of a concrete case of
        an indexed claim), made once per distinct set of them; it shares this one's derivatives.
        The cases of one size share their definitions, so each is substituted once."""
        key = tuple((d.lhs, d.rhs) for d in definitions)
        if key not in self.siblings:
            self.siblings[key] = Expander(definitions, self.variable, self.calculus)
        return self.siblings[key]

    def substituted(self, expr: sp.Basic) -> sp.Basic:
        """``expr`` with the definitions substituted, derivatives not yet carried out."""
        if expr not in self.written:
            self.written[expr] = self.real_symbols(self.substitute(expr))
        return self.written[expr]

    def real_symbols(self, expr: sp.Basic) -> sp.Basic:
        """``_real_symbols(expr)``, each part rebuilt once for all the claims. Only the parts
        with a symbol that changes are rebuilt: those the expander substituted are built with
        real symbols already, and rebuilding them again was most of the check of a long sum."""
        free = frozenset(s for s in expr.free_symbols if _real(s) is not s)
        if free not in self.reals:
            self.reals[free] = SymbolReplacer(_real, free.__contains__)
        return self.reals[free](expr)

    def substitute(self, expr: sp.Basic) -> sp.Basic:
        if any(v in self.names for d in atoms(expr, sp.Derivative) for v in d.variables):
            expr = expr.replace(
                lambda e: isinstance(e, sp.Derivative) and any(v in self.names for v in e.variables),
                self.leibniz,
            )
        for function in self.functions.keys() & {a.func for a in atoms(expr, AppliedUndef)}:
            expr = expr.replace(function, self.apply(self.functions[function]))
        return self.substitution(expr)  # every symbol (bound ones too) by its value

    def value(self, symbol: sp.Basic) -> sp.Basic:
        if symbol not in self.values:
            if symbol not in self.names:
                return _real(symbol)
            self.values[symbol] = self.guarded(symbol, lambda: self.substitute(self.names[symbol]))
        return self.values[symbol]

    def guarded(self, key: object, compute: Callable[[], sp.Basic]) -> sp.Basic:
        if key in self.busy:
            raise _CannotCheck("the definitions refer to each other in a cycle")
        self.busy.add(key)
        try:
            return compute()
        finally:
            self.busy.discard(key)

    def apply(self, definition: Definition) -> Callable[..., sp.Basic]:
        parameters = definition.lhs.args

        def body(*args: sp.Basic) -> sp.Basic:
            if len(args) != len(parameters):
                raise _CannotCheck(f"{definition.lhs.func} is applied to {len(args)} arguments")
            bound = definition.rhs.xreplace(dict(zip(parameters, args, strict=True)))
            # keyed by the arguments too: σ(w·σ(z)) uses σ inside σ without any cycle
            return self.guarded((definition.lhs.func, args), lambda: self.substitute(bound))

        return body

    def leibniz(self, derivative: sp.Derivative) -> sp.Basic:
        """dA/du for a defined u is A'(x)/u'(x): both sides are functions of the variable."""
        result = self(derivative.expr)
        for v, count in derivative.variable_count:
            if v not in self.names:
                result = (
                    self.calculus.diff(result, _real(v)) if count == 1 else sp.diff(result, (_real(v), count))
                )
                continue
            inner = self.calculus.diff(self(v), self.variable)
            if inner == 0:
                raise _CannotCheck(f"d/d{v} is undefined: {v} does not depend on {self.variable}")
            for _ in range(int(count)):
                result = self.calculus.diff(result, self.variable) / inner
        return result


def _between_jumps(derivative: sp.Derivative) -> sp.Basic:
    """SymPy leaves d/dx floor(u) unevaluated; between the jumps (where frac(u) ≠ 0) it is 0, and
    d/dx frac(u) is u' there. At the jumps there is no derivative, so the cases leave them out."""
    inner = derivative.expr
    if not isinstance(inner, (sp.floor, sp.ceiling, sp.frac)) or len(derivative.variables) != 1:
        return derivative
    (u,) = inner.args
    x = derivative.variables[0]
    slope = sp.diff(u, x) if isinstance(inner, sp.frac) else sp.Integer(0)
    return sp.Piecewise((slope, sp.Ne(sp.frac(u), 0)))


def _real(symbol: sp.Basic) -> sp.Basic:
    if isinstance(symbol, sp.Symbol) and not isinstance(symbol, sp.Dummy) and symbol.is_real is None:
        return sp.Symbol(symbol.name, real=True)
    return symbol


def _real_symbols(expr: sp.Basic) -> sp.Basic:
    return expr.xreplace({s: _real(s) for s in expr.free_symbols})


def as_expression(value: sp.Basic | str | int | float) -> sp.Basic:
    """A SymPy object for ``value``: text goes through the safe parser, never ``sympify``."""
    if isinstance(value, sp.Basic):
        return value
    if isinstance(value, str):
        from .parse import parse  # only for text: a built-in derivation never loads the parser

        return parse(value)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"expected an expression, got {type(value).__name__}")
    return sp.Integer(value) if isinstance(value, int) else sp.Float(value)


_ERRORS = (
    StopIteration,  # raised from inside simplify on some sums
    IndexError,
    TypeError,
    ValueError,
    NotImplementedError,
    AttributeError,
    RecursionError,
    ZeroDivisionError,
    sp.PolynomialError,
)


def _guarded(budget: int, work: Callable[[], sp.Basic]) -> sp.Basic | None:
    """``work()``, or None when SymPy cannot do it; :class:`_OverBudget` past ``budget``."""
    try:
        with work_limit(budget):
            return work()
    except OutOfWork:
        raise _OverBudget from None
    except _ERRORS:
        return None


def _cancel_in_exp(difference: sp.Expr) -> sp.Expr:
    return sp.cancel(sp.expand(difference.rewrite(sp.exp)))


def _nesting(expr: sp.Basic) -> int:
    """How many functions deep the expression goes (tanh(log(1 + e^x)) is 3): rewritten in
    exponentials, each level multiplies the size, whatever the operation count says."""
    if not isinstance(expr, sp.Basic):
        return 0
    depth: dict[sp.Basic, int] = {}
    for node in bottom_up(expr):
        inner = max((depth[a] for a in node.args), default=0)
        depth[node] = inner + 1 if isinstance(node, sp.Function) else inner
    return depth[expr]


_EXP_NESTING = 2  # rewrite in exponentials only up to this depth


def _symbolic_zero(
    difference: sp.Expr,
    budget: Budget,
    first: int = 0,
    last: int = 6,
    known: dict[str, sp.Basic | None] | None = None,
) -> str | None:
    """The name of the first rung that reduces ``difference`` to zero, if any (the rungs from
    ``first`` up to ``last``; each only when the difference is small enough for it). ``known``
    holds what a rung already gave for this difference (None: over budget or an error)."""
    known = known or {}
    if not expansion_safe(difference):
        return None
    ops = sp.count_ops(difference)
    # in exponentials, trigonometric functions become complex ones that cancel slowly
    d_has_trig = contains(difference, TrigonometricFunction, InverseTrigonometricFunction)
    rungs: tuple[tuple[str, int, Callable[[sp.Expr], sp.Expr]], ...] = (
        ("cancel", budget.cancel_ops, sp.cancel),
        ("expand", budget.expand_ops, lambda d: sp.expand(d, deep=True)),
        ("expand functions", budget.expand_ops, lambda d: sp.cancel(sp.expand_func(sp.expand_trig(d)))),
        # in exponentials a sum of hyperbolic terms can grow as much as simplify makes it
        (
            "cancel in exp",
            0 if d_has_trig or _nesting(difference) > _EXP_NESTING else budget.expand_ops,
            _cancel_in_exp,
        ),
        ("simplify", budget.simplify_ops, sp.simplify),
        ("simplify in exp", budget.simplify_ops, lambda d: sp.simplify(d.rewrite(sp.exp))),
    )
    for name, limit, rung in rungs[first:last]:
        if ops > limit:
            continue
        reduced = known[name] if name in known else _guarded(budget.work, lambda rung=rung: rung(difference))
        if reduced == 0:
            return name
    return None


def check_equation(
    lhs: sp.Basic | str | int | float,
    rhs: sp.Basic | str | int | float,
    definitions: tuple[Definition, ...] = (),
    variable: sp.Symbol | None = None,
    budget: Budget = DEFAULT_BUDGET,
    expander: Expander | None = None,
    condition: sp.Basic | None = None,
) -> Verdict:
    """Decide whether ``lhs = rhs`` holds, given the definitions; see the module docstring.

    ``condition`` (a SymPy condition such as ``x > 0``) restricts the claim to where it holds.
    Steps of one derivation share an ``expander``, so each definition is expanded only once.
    """
    variable = variable if variable is not None else sp.Symbol("x")
    lhs, rhs = as_expression(lhs), as_expression(rhs)
    try:
        with work_limit(budget.work):
            expand = expander or Expander(definitions, variable)
            left, right = expand(lhs), expand(rhs)
            needs = (requirements(expand.substituted(lhs)), requirements(expand.substituted(rhs)))
    except _CannotCheck as exc:
        return Verdict(Status.UNDECIDED, str(exc))
    except OutOfWork:
        return Verdict(Status.UNDECIDED, "substituting the definitions ran past its budget of work")
    except _ERRORS as exc:
        return Verdict(Status.UNDECIDED, f"the derivatives could not be evaluated ({type(exc).__name__})")
    if condition is not None:
        condition = _real_symbols(condition)
        if condition == sp.false:
            return Verdict(Status.UNDECIDED, "the condition never holds")
        if condition == sp.true:
            condition = None
    relation = relations.relation_of(condition)
    if relation is not None and not all(expansion_safe(e) for e in (left, right, relation)):
        return Verdict(Status.UNDECIDED, "too large to multiply out on the curve of its relation")
    if relation is not None:
        shown = f"{sp.sstr(relation.lhs)} = {sp.sstr(relation.rhs)}"
        try:
            found = relations.follows(left, right, relation, _real(variable), condition)
        except _ERRORS:  # SymPy could not find the curve's points (roots over exp(x), say)
            return Verdict(Status.UNDECIDED, f"not decided on the curve {shown}")
        if found is not None:
            return found
        return Verdict(Status.UNDECIDED, f"the relation {shown} defines no function to check it on")
    derivatives = contains(lhs, sp.Derivative, sp.Subs) or contains(rhs, sp.Derivative, sp.Subs)
    try:
        verdict = _Claim(left, right, condition, budget, derivatives, needs).decide()
    except _OverBudget:
        return Verdict(Status.UNDECIDED, "checking ran past its budget of work")
    except _ERRORS as exc:  # SymPy could not evaluate the sides: nothing is claimed either way
        return Verdict(Status.UNDECIDED, f"the sides could not be evaluated ({type(exc).__name__})")
    if derivatives and verdict.ok:
        verdict = _where_derivatives_exist(verdict, expand.substituted(lhs), expand.substituted(rhs), budget)
    if verdict.where is None:
        return verdict
    # the condition in the claim's own symbols (checking made them real)
    own = {s.name: s for s in (lhs.free_symbols | rhs.free_symbols)}
    back = {s: own.get(s.name, sp.Symbol(s.name)) for s in verdict.where.free_symbols}
    return replace(verdict, where=verdict.where.xreplace(back))


def _count(number: int, noun: str) -> str:
    """``1 piece``, ``2 pieces``."""
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def _where_derivatives_exist(verdict: Verdict, left: sp.Basic, right: sp.Basic, budget: Budget) -> Verdict:
    """A proved claim about the derivative of a function with jumps or corners holds only where
    that derivative exists: SymPy's d/dx of x for x < 1 and x + 1 otherwise is 1 everywhere, yet
    there is no derivative at 1. The verdict states where (``x ≠ 1``, ``sin(x) ≠ 0`` for
    |sin(x)|), and is undecided when that cannot be said (floor) or the claim is about a value
    at a point (``Subs``)."""
    away: list[sp.Basic] = []
    for side in (left, right):
        for node in atoms(side, sp.Derivative, sp.Subs):
            inner = atoms(node.expr, sp.Derivative) if isinstance(node, sp.Subs) else [node]
            if not any(cases.has_jumps(d.expr) for d in inner):
                continue
            if isinstance(node, sp.Subs):
                if not _exists_at(node, budget):
                    return Verdict(Status.UNDECIDED, "a derivative of a function with jumps at a point")
                continue
            found = _smooth_where(node, budget)
            if found is None:
                return Verdict(
                    Status.UNDECIDED, "where the derivative of a function with jumps exists was not found"
                )
            away += found
    if not away:
        return verdict
    where = sp.And(*away) if verdict.where is None else sp.And(verdict.where, *away)
    return replace(verdict, where=where)


def _exists_at(value: sp.Subs, budget: Budget) -> bool:
    """Whether each derivative in ``Subs(d/dx f, x, a)`` exists at a: a is off every jump and
    corner, or the one-sided difference quotients of f agree there (x·|x| at 0)."""
    from .points import slope_at

    point = dict(zip(value.variables, value.point, strict=True))
    for derivative in atoms(value.expr, sp.Derivative):
        if not cases.has_jumps(derivative.expr):
            continue
        conditions = _smooth_where(derivative, budget)
        if conditions is not None:
            named = {s: point[v] for v in point for s in sp.And(*conditions).free_symbols if s.name == v.name}
            if sp.And(*conditions).xreplace(named) is sp.true:
                continue
        (variable, count), *more = derivative.variable_count
        if more or count != 1 or variable not in point:
            return False
        if slope_at(derivative.expr, variable, point[variable]).value is None:
            return False
    return True


def _smooth_where(derivative: sp.Derivative, budget: Budget) -> list[sp.Basic] | None:
    """Conditions that leave out every jump and corner of what ``derivative`` differentiates:
    g ≠ 0 for |g|, sign(g) and Heaviside(g); a ≠ b for max(a, b); the breakpoints of cases in one
    variable. None where there is no such condition (floor, ceiling, frac). The derivative is
    one of the expander's, so its names are real already."""
    if len(derivative.variable_count) != 1:
        return None
    x = derivative.variable_count[0][0]
    conditions: list[sp.Basic] = []
    for node in atoms(derivative.expr, *cases.JUMPY):
        if isinstance(node, (sp.Abs, sp.sign, sp.Heaviside)):
            conditions.append(sp.Ne(node.args[0], 0))
        elif isinstance(node, (sp.Max, sp.Min)) and len(node.args) == 2:
            first, second = sorted(node.args, key=lambda a: a.is_number)  # x ≠ 0, not 0 ≠ x
            conditions.append(sp.Ne(first, second))
        elif isinstance(node, sp.Piecewise):
            try:
                found = _guarded(budget.work, lambda n=node, x=x: cases.split(n, n, x))
            except _OverBudget:
                found = None
            if found is None:
                return None
            conditions += [sp.Ne(x, point) for point in found.breakpoints]
        else:
            return None
    return conditions


class _Claim:
    """One claim with its sides expanded, decided by the ladder."""

    def __init__(
        self,
        left: sp.Expr,
        right: sp.Expr,
        condition: sp.Basic | None,
        budget: Budget,
        derivatives: bool = False,
        needs: tuple[tuple, tuple] = ((), ()),
    ) -> None:
        self.left, self.right, self.condition, self.budget = left, right, condition, budget
        self.needs = needs
        self.known: dict[str, sp.Basic | None] = {}  # what a rung of the ladder gave for left − right
        # a derivative at a corner has no value, whatever convention SymPy evaluates it by
        self.derivatives = derivatives
        self.symbols = sorted((left.free_symbols | right.free_symbols), key=lambda s: s.name)
        self.unspecified = sorted(
            {str(a.func) for a in atoms(left - right, AppliedUndef)} if _has_undef(left, right) else set()
        )

    def decide(self) -> Verdict:
        left, right = self.left, self.right
        difference = left - right
        if left == right or difference == 0:
            return Verdict(Status.SYMBOLIC, "identical")
        if _symbolic_zero(difference, self.budget, last=1):
            return Verdict(Status.SYMBOLIC, "cancel")
        sampler = self.sampler()
        probe = self.run(sampler, _PROBE_POINTS, _PROBE_POINTS * 3, last=2)
        if probe.counterexample is not None:
            return self.refuted(probe.counterexample)
        constant = self.constant_difference(difference, sampler)
        if constant is not None:
            return constant
        # simplify can spend minutes on a constant (a derivative's value at a point), which the
        # numeric rung decides to 120 digits in a moment
        method = _symbolic_zero(
            difference, self.budget, first=1, last=6 if self.symbols else 4, known=self.known
        )
        if method:
            return Verdict(Status.SYMBOLIC, method)
        return (
            self.exactly_nonzero(difference, sampler)
            or self.on_one_side(difference)
            or self.case_by_case(difference)
            or (self.by_cases() if cases.has_jumps(difference) else self.numeric())
        )

    # -- pieces of the ladder ----------------------------------------------------------------
    def sampler(self, condition: sp.Basic | None = None, near: tuple[sp.Expr, ...] = ()) -> Sampler:
        condition = self.condition if condition is None else _both(self.condition, condition)
        return Sampler(self.left, self.right, condition, near, self.needs)

    def run(self, sampler: Sampler, wanted: int, attempts: int, last: int = 4) -> Tally:
        try:
            with work_limit(self.budget.work):
                return sampler.run(wanted, attempts, last=last)
        except OutOfWork:
            raise _OverBudget from None

    @functools.cached_property
    def special(self) -> tuple[sp.Expr, ...]:
        """Where a claim in one variable may change its behaviour: the real zeros of its
        denominators, of the arguments of log and roots (the ends of the real domain) and of
        arg ∓ 1 for the inverse trigonometric functions (their branch points)."""
        if len(self.symbols) != 1 or not expansion_safe(self.left - self.right):
            return ()
        x = self.symbols[0]
        found: set[sp.Expr] = set()
        for node in distinct(sp.Tuple(self.left, self.right)):
            if isinstance(node, sp.Pow) and node.exp.is_negative:
                targets = [node.base]
            elif (isinstance(node, sp.Pow) and not node.exp.is_integer) or isinstance(node, sp.log):
                targets = [node.args[0]]
            elif isinstance(node, (sp.asin, sp.acos, sp.atanh, sp.acoth, sp.asec, sp.acsc)):
                targets = [node.args[0] - 1, node.args[0] + 1]
            else:
                continue
            for target in targets:
                found |= _real_zeros(target, x, self.budget)
            if len(found) > 8:
                break
        return tuple(sorted(found, key=sp.default_sort_key))[:8]

    def constant_difference(self, difference: sp.Expr, sampler: Sampler) -> Verdict | None:
        """A difference that reduces to a nonzero constant (e^(−1000), 10⁻⁵⁰) is refuted at the
        first point where both sides are defined, however small the constant."""
        trig = contains(difference, TrigonometricFunction, InverseTrigonometricFunction)
        if trig or _nesting(difference) > _EXP_NESTING or not expansion_safe(difference):
            return None
        reduced = _guarded(self.budget.work, lambda: _cancel_in_exp(difference))
        self.known["cancel in exp"] = reduced  # the ladder's rung of that name gets the same
        if reduced is None or reduced == 0 or reduced.free_symbols or reduced.has(AppliedUndef):
            return None
        gap = vouched_nonzero(reduced, {})
        if gap is None:
            return None
        for point, _ in zip(sampler.points(), range(self.budget.attempts), strict=False):
            if not sampler.allowed(point):
                continue
            left, right = (value(side, point, PRECISIONS[-1]) for side in (sampler.left, sampler.right))
            if left is not None and right is not None:
                return self.refuted(Sample(point, Outcome.DIFFER, left, right, gap))
        return None

    def exactly_nonzero(self, difference: sp.Expr, sampler: Sampler) -> Verdict | None:
        """A difference that is a nonzero rational function with rational coefficients is not
        zero on any interval: find a point where its exact value shows it."""
        if not expansion_safe(difference):
            return None
        cancelled = _guarded(self.budget.work, lambda: sp.cancel(difference))
        if cancelled is None or cancelled == 0 or not _rational_function(cancelled, self.symbols):
            return None
        for point, _ in zip(sampler.points(), range(self.budget.attempts), strict=False):
            if not sampler.allowed(point):
                continue
            exact = cancelled.xreplace(point)
            if not exact.is_Rational or exact == 0:
                continue
            left, right = (value(side, point, PRECISIONS[-1]) for side in (sampler.left, sampler.right))
            if left is not None and right is not None:
                return self.refuted(Sample(point, Outcome.DIFFER, left, right, exact))
        return None

    def on_one_side(self, difference: sp.Expr) -> Verdict | None:
        """Proof for x > 0 (or x < 0) alone, when the condition or the domain asks for it."""
        if len(self.symbols) != 1:
            return None
        x = self.symbols[0]
        side = _sign_of(self.condition, x) if self.condition is not None else self.domain_sign(x)
        if side is None:
            return None
        signed = sp.Symbol(x.name, positive=True) if side > 0 else sp.Symbol(x.name, negative=True)
        method = _symbolic_zero(difference.xreplace({x: signed}), self.budget)
        if method is None:
            return None
        where = None
        if self.condition is None:  # where both sides are real: all of it, not just its sign
            domain = self.common_domain(x)
            where = self.domain_note(domain, x) if domain is not None else (x > 0 if side > 0 else x < 0)
        return Verdict(Status.SYMBOLIC, f"{method}, for {x} {'>' if side > 0 else '<'} 0", where=where)

    def domain_sign(self, x: sp.Symbol) -> int | None:
        """+1 when both sides are real only for x > 0 (as with log x), -1 for x < 0."""
        domain = self.common_domain(x)
        if domain is None or domain == sp.S.Reals:
            return None
        if domain.is_subset(sp.Interval.open(0, sp.oo)):
            return 1
        if domain.is_subset(sp.Interval.open(-sp.oo, 0)):
            return -1
        return None

    def common_domain(self, x: sp.Symbol) -> sp.Set | None:
        from sympy.calculus.util import continuous_domain

        if not expansion_safe(self.left - self.right):
            return None
        domains = []
        for side in (self.left, self.right):
            if _has_undef(side, sp.Integer(0)) or cases.has_jumps(side):
                return None
            found = _guarded(self.budget.work, lambda side=side: continuous_domain(side, x, sp.S.Reals))
            if not isinstance(found, sp.Set):
                return None
            domains.append(found)
        return _guarded(self.budget.work, lambda: sp.Intersection(*domains))

    def where(self, tally: Tally) -> sp.Basic | None:
        """Where the claim was checked, when one side is defined beyond the other: the common
        domain in one variable; in several, the conditions every part needs to be real."""
        if tally.count(Outcome.ONE_SIDED) == 0:
            return None
        if len(self.symbols) != 1:
            needed = [c for side in self.needs for c in side_conditions(side)]
            return sp.And(*needed) if needed else None
        domain = self.common_domain(self.symbols[0])
        if domain is None or domain == sp.S.Reals:
            return None
        relation = _guarded(self.budget.work, lambda: _relation(domain, self.symbols[0]))
        return relation if isinstance(relation, sp.Basic) and relation != sp.true else None

    def numeric(self) -> Verdict:
        sampler = self.sampler(near=self.special)
        tally = self.run(sampler, self.budget.points, self.budget.attempts)
        if tally.counterexample is not None:
            return self.refuted(tally.counterexample)
        agreed = tally.count(Outcome.AGREE)
        if not self.symbols and agreed:
            return Verdict(Status.NUMERIC, "equal to 120 digits")
        if agreed >= _MIN_AGREE:
            return Verdict(
                Status.NUMERIC, f"equal at {agreed} random points to 120 digits", where=self.where(tally)
            )
        if self.condition is None and tally.count(Outcome.ONE_SIDED) and not agreed:
            return Verdict(Status.UNDECIDED, "the two sides are never real at the same points tried")
        return Verdict(Status.UNDECIDED, f"no proof found, and only {agreed} points could be compared")

    def case_by_case(self, difference: sp.Expr) -> Verdict | None:
        """A difference that folds into cases, each of them zero: the sides are equal wherever
        the cases are defined (and the verdict says where that is)."""
        if not difference.has(sp.Piecewise):
            return None
        if not expansion_safe(difference):
            return None
        folded = _guarded(self.budget.work, lambda: sp.piecewise_fold(difference))
        if not isinstance(folded, sp.Piecewise):
            return None
        for value_, _ in folded.args:
            if value_ != 0 and not _symbolic_zero(value_, self.budget, last=4):
                return None
        conditions = [c for _, c in folded.args]
        where = None if sp.true in conditions else sp.Or(*conditions)
        return Verdict(Status.SYMBOLIC, f"case by case ({_count(len(conditions), 'case')})", where=where)

    def by_cases(self) -> Verdict:
        """Decide a claim with jumps piece by piece (see :mod:`derive.cases`)."""
        undecided = Verdict(
            Status.UNDECIDED,
            "it has jumps or corners, and agreement at points is not evidence for those; no proof found",
        )
        x = self.symbols[0] if len(self.symbols) == 1 and expansion_safe(self.left - self.right) else None
        pieces = _guarded(self.budget.work, lambda: cases.split(self.left, self.right, x)) if x else None
        if pieces is None:
            tally = self.run(self.sampler(), self.budget.points, self.budget.attempts)
            return self.refuted(tally.counterexample) if tally.counterexample else undecided
        checked: list[sp.Set] = []  # where the claim was shown to hold
        numeric = False
        within = self.condition_set(x)
        for piece in pieces.pieces:
            if (
                within is not None
                and _guarded(self.budget.work, lambda p=piece: within.intersect(p.interval)) == sp.S.EmptySet
            ):
                continue  # the claim is not made there
            verdict = self.piece(piece, x)
            if verdict is None:
                continue  # a side is not real on this piece
            if not verdict.ok:
                return verdict if verdict.status is Status.FAILED else undecided
            numeric = numeric or verdict.status is Status.NUMERIC
            checked.append(piece.interval)
        for point in pieces.breakpoints:
            if self.derivatives:
                continue  # a derivative has no value at a corner
            if within is not None and within.contains(point) != sp.true:
                continue  # the claim is not made there
            sample = self.sampler().sample({x: point})
            if sample.outcome is Outcome.DIFFER:
                return self.refuted(sample)
            if sample.outcome is Outcome.AGREE:
                checked.append(sp.FiniteSet(point))
        if not checked:
            return Verdict(Status.UNDECIDED, "the two sides are never real on the same piece")
        counts = _count(len(pieces.pieces), "piece"), _count(len(pieces.breakpoints), "breakpoint")
        method = f"by cases: {counts[0]} and {counts[1]}"
        status = Status.NUMERIC if numeric else Status.SYMBOLIC
        return Verdict(status, method, where=self.domain_note(sp.Union(*checked), x))

    def condition_set(self, x: sp.Symbol) -> sp.Set | None:
        """The condition as a set of values of x, when it is one."""
        if self.condition is None or self.condition.free_symbols != {x}:
            return None
        found = _guarded(self.budget.work, lambda: self.condition.as_set())
        return found if isinstance(found, sp.Set) else None

    def domain_note(self, checked: sp.Set, x: sp.Symbol) -> sp.Basic | None:
        """``checked`` as a condition on x, or None when it is the whole line (or the condition's
        part of it)."""
        if checked == sp.S.Reals:
            return None
        if self.condition is not None:
            within = _guarded(self.budget.work, lambda: self.condition.as_set())
            if isinstance(within, sp.Set) and _guarded(self.budget.work, lambda: within.is_subset(checked)):
                return None
        relation = _guarded(self.budget.work, lambda: _relation(checked, x))
        return relation if isinstance(relation, sp.Basic) and relation != sp.true else None

    def piece(self, piece: cases.Piece, x: sp.Symbol) -> Verdict | None:
        """The claim on one open piece; None where a side is not real there."""
        if piece.left.has(sp.nan) or piece.right.has(sp.nan):
            return None
        difference = piece.left - piece.right
        if difference == 0:
            return Verdict(Status.SYMBOLIC, "piece")
        signed = x
        if piece.low.is_nonnegative:
            signed = sp.Symbol(x.name, positive=True)
        elif piece.high.is_nonpositive:
            signed = sp.Symbol(x.name, negative=True)
        if _symbolic_zero(difference.xreplace({x: signed}), self.budget):
            return Verdict(Status.SYMBOLIC, "piece")
        inside = piece.interval.as_relational(x)
        inner = _Claim(piece.left, piece.right, _both(self.condition, inside), self.budget, needs=self.needs)
        sampler = Sampler(piece.left, piece.right, inner.condition, (piece.low, piece.high), self.needs)
        tally = inner.run(sampler, self.budget.points, self.budget.attempts)
        if tally.counterexample is not None:
            return self.refuted(tally.counterexample)
        if tally.count(Outcome.AGREE) >= _MIN_AGREE:
            return Verdict(Status.NUMERIC, "piece")
        if tally.count(Outcome.AGREE) == 0 and tally.count(Outcome.UNDEFINED) + tally.count(
            Outcome.ONE_SIDED
        ):
            return None
        return Verdict(Status.UNDECIDED)

    def refuted(self, sample: Sample) -> Verdict:
        """The verdict for a counterexample: failed, with where the claim does hold if that is one
        side of zero; undecided when it fails only for the random choice of an unspecified f."""
        point = tuple((s.name, _decimal(v)) for s, v in sample.point.items())
        left, right = _distinct(sample.left, sample.right, sample.gap)
        method = "the sides differ"
        if self.unspecified:
            names = " and ".join(self.unspecified)
            verb = "is" if len(self.unspecified) == 1 else "are"
            reason = f"depends on what {names} {verb}: it fails for a random smooth {names}"
            return Verdict(Status.UNDECIDED, reason, point, left, right)
        try:
            where = self.holds_on_a_side() if self.condition is None else None
        except _OverBudget:  # the counterexample stands; only where the claim holds is not known
            where = None
        return Verdict(Status.FAILED, method, point, left, right, where)

    def holds_on_a_side(self) -> sp.Basic | None:
        """x > 0 or x < 0 when the claim holds there: proved with the sign assumed, or (for a
        claim without jumps) borne out at random points."""
        if len(self.symbols) != 1:
            return None
        x = self.symbols[0]
        difference = self.left - self.right
        for half, signed in (
            (x > 0, sp.Symbol(x.name, positive=True)),
            (x < 0, sp.Symbol(x.name, negative=True)),
        ):
            if _symbolic_zero(difference.xreplace({x: signed}), self.budget, last=4):  # cheap rungs only
                return half
        if cases.has_jumps(difference):
            return None
        for half in (x > 0, x < 0):
            tally = self.run(self.sampler(half, near=self.special), self.budget.points, self.budget.attempts)
            if tally.counterexample is None and tally.count(Outcome.AGREE) >= self.budget.points:
                return half
        return None


def _real_zeros(expr: sp.Expr, x: sp.Symbol, budget: Budget) -> set[sp.Expr]:
    """The real zeros of ``expr`` in x when they are few and found in closed form."""
    if x not in expr.free_symbols or sp.count_ops(expr) > budget.simplify_ops or cases.has_jumps(expr):
        return set()
    solutions = _guarded(budget.work, lambda: sp.solveset(expr, x, domain=sp.S.Reals))
    if not isinstance(solutions, sp.FiniteSet) or len(solutions) > 8:
        return set()
    return {s for s in solutions.args if s.is_real and s.is_finite}


def _relation(found: sp.Set, x: sp.Symbol) -> sp.Basic:
    """A set of values of x as a condition, without the infinite ends ``as_relational`` keeps
    (x > 0, not 0 < x < ∞)."""
    relation = found.as_relational(x).replace(
        lambda e: isinstance(e, sp.core.relational.Relational) and e.has(sp.oo, -sp.oo), lambda e: sp.true
    )
    return relation.replace(  # x > 0 rather than 0 < x
        lambda e: isinstance(e, sp.core.relational.Relational) and e.lhs.is_number, lambda e: e.reversed
    )


def _both(first: sp.Basic | None, second: sp.Basic | None) -> sp.Basic | None:
    if first is None:
        return second
    if second is None:
        return first
    return sp.And(first, second)


def _has_undef(left: sp.Basic, right: sp.Basic) -> bool:
    return contains(left, AppliedUndef) or contains(right, AppliedUndef)


def _rational_function(expr: sp.Expr, symbols: list[sp.Symbol]) -> bool:
    """True for a quotient of polynomials with rational coefficients (or a rational number)."""
    if not symbols:
        return bool(expr.is_Rational)
    if contains(expr, AppliedUndef):
        return False
    return all(
        part.is_polynomial(*symbols) and all(c.is_Rational for c in sp.Poly(part, *symbols).coeffs())
        for part in sp.fraction(expr)
    )


def _sign_of(condition: sp.Basic, x: sp.Symbol) -> int | None:
    """+1 when ``condition`` implies x > 0, -1 when it implies x < 0 (for x ≥ 0 and the like a
    single point does not change an identity between continuous functions)."""
    found = (
        _guarded(DEFAULT_BUDGET.work, lambda: condition.as_set()) if condition.free_symbols == {x} else None
    )
    if not isinstance(found, sp.Set):
        return None
    if found.is_subset(sp.Interval(0, sp.oo)):
        return 1
    if found.is_subset(sp.Interval(-sp.oo, 0)):
        return -1
    return None


def _decimal(number: sp.Basic | None, digits: int = 12) -> str:
    if number is None:
        return "undefined"
    if number.is_zero:
        return "0"
    return (
        str(sp.Float(number, digits))
        if abs(number) >= 1e15 or abs(number) < 1e-4
        else f"{float(number):.{digits}g}"
    )


def _distinct(left: sp.Basic | None, right: sp.Basic | None, gap: sp.Basic | None) -> tuple[str, str]:
    """Both values with as few digits (12 at least) as tell them apart."""
    for digits in (12, 20, 30, 45, 60):
        shown = (_decimal(left, digits), _decimal(right, digits))
        if shown[0] != shown[1]:
            return shown
    if left is None or gap is None:
        return _decimal(left), _decimal(right)
    # equal to 60 digits: the right side as the left one less the difference left − right
    return _decimal(left), f"{_decimal(left)} {'−' if gap > 0 else '+'} {_decimal(abs(gap), 3)}"


def verify_step(
    step: Step,
    derivation: Derivation,
    budget: Budget = DEFAULT_BUDGET,
    expander: Expander | None = None,
    previous: Step | None = None,
) -> Verdict:
    """The verdict for one step, in the context of ``derivation``'s definitions. A claim with
    indices or sums up to n is checked in each of its concrete cases (:mod:`derive.indexed`);
    when ``previous`` (the verified line above) has the same left side, a case of it is first
    shown from the same case of that line (equality is transitive)."""
    from . import indexed

    if isinstance(step.lhs, sp.MatrixBase) or isinstance(step.rhs, sp.MatrixBase):
        from .multivariable import matrix_verdict  # a gradient, Jacobian or Hessian: entry by entry

        return matrix_verdict(step.lhs, step.rhs, derivation, budget)
    context = (step.lhs, step.rhs, step.condition)
    if indexed.is_indexed(*context) or indexed.is_indexed(*(d.rhs for d in derivation.definitions)):
        shared = expander or Expander(derivation.definitions, derivation.variable)
        return _by_instances(step, derivation, budget, shared, previous)
    return check_equation(
        step.lhs, step.rhs, derivation.definitions, derivation.variable, budget, expander, step.condition
    )


def _by_instances(
    step: Step, derivation: Derivation, budget: Budget, shared: Expander, previous: Step | None
) -> Verdict:
    from . import indexed

    try:
        cases_ = indexed.instances(step.lhs, step.rhs, step.condition, definitions=derivation.definitions)
    except (ValueError, *_ERRORS) as exc:
        return Verdict(Status.UNDECIDED, f"its concrete cases could not be formed: {exc}")
    if not cases_:
        return Verdict(Status.UNDECIDED, "no concrete case of it could be formed")
    continues = (
        previous is not None
        and previous.lhs == step.lhs
        and previous.condition == step.condition
        and previous.verdict.ok
    )
    functions = indexed.indexed_functions(derivation.definitions)
    kinds = set()
    where: dict[sp.Basic, str] = {}  # a case proved only on part of the line: where, and in which case
    unstated: Verdict | None = None  # ...and one whose part has no name in the claim leaves it open
    for case in cases_:
        try:
            definitions = indexed.concrete_definitions(derivation.definitions, case)
            above = indexed.concrete(previous.rhs, case.substitution, functions) if continues else None  # type: ignore[union-attr]
        except (ValueError, *_ERRORS) as exc:  # d/dn of a definition, at n = 1
            failure = f"the case {case.description} could not be formed ({type(exc).__name__})"
            return Verdict(Status.UNDECIDED, failure)
        expander = shared.sibling(definitions)
        # a case under a condition (z_1 > 0) is its own claim: it neither proves nor chains the plain one
        key = (case.lhs, case.rhs, budget) + (() if case.condition is None else (case.condition,))
        verdict = expander.proved.get(key)
        if verdict is None and above is not None and case.condition is None:
            verdict = _case_continues(case.lhs, above, case.rhs, definitions, derivation, budget, expander)
        if verdict is None:
            verdict = check_equation(
                case.lhs, case.rhs, definitions, derivation.variable, budget, expander, case.condition
            )
        expander.proved[key] = verdict
        if not verdict.ok:
            return replace(verdict, method=f"in the case {case.description}: {verdict.method}")
        kinds.add(verdict.status)
        if verdict.where is not None:
            general = indexed.lifted(verdict.where, (step.lhs, step.rhs), case, functions)
            if general is not None:
                where.setdefault(general, case.description)
            elif unstated is None:  # a later case may still refute the claim
                unstated = Verdict(
                    Status.UNDECIDED,
                    f"in the case {case.description} it holds only for {verdict.condition_text()}, "
                    "a condition not stated in the claim's own names",
                )
    if unstated is not None:
        return unstated
    if len(where) > 1:  # z[i] < 0 at i = 1 and z[i] > 0 elsewhere: no one condition says it
        shown = "; ".join(f"{condition_text(c)} in the case {case}" for c, case in where.items())
        return Verdict(
            Status.UNDECIDED, f"it holds on a part of the line that differs between the cases ({shown})"
        )
    method = f"in each of its {len(cases_)} concrete cases (sizes 1 to 4, every index)"
    if not indexed.every_case(step.lhs, step.rhs, step.condition, derivation.definitions):
        kinds.add(Status.NUMERIC)  # sizes 1 to 4 are evidence about every size, not a proof
        method += "; not proved for larger sizes or indices"
    status = Status.NUMERIC if Status.NUMERIC in kinds else Status.SYMBOLIC
    return Verdict(status, method, where=next(iter(where), None))


def _by_common_factors(left: sp.Basic, right: sp.Basic, budget: Budget, expander: Expander) -> Verdict | None:
    """A symbolic verdict for ``left = right`` when, with the definitions in, both sides are
    products with factors in common and what is left of each is equal (identical, or after
    ``cancel``): a line rewritten inside a product (the chain rule's outer factor kept, the
    inner derivative worked out) needs no expansion of the factor it keeps. None when that does
    not show it. Only for claims without jumps or unspecified functions, where a symbolic
    verdict states no condition."""
    try:
        with work_limit(budget.work):
            a, b = expander(left), expander(right)
            if cases.has_jumps(a) or cases.has_jumps(b) or _has_undef(a, b):
                return None
            first, second = Counter(sp.Mul.make_args(a)), Counter(sp.Mul.make_args(b))
            shared = first & second
            if not shared:
                return None
            rest = sp.Mul(*(first - shared).elements()) - sp.Mul(*(second - shared).elements())
            if rest == 0:
                return Verdict(Status.SYMBOLIC, "identical after the common factors")
            if sp.count_ops(rest) <= budget.cancel_ops and sp.cancel(rest) == 0:
                return Verdict(Status.SYMBOLIC, "cancel after the common factors")
    except (_CannotCheck, OutOfWork, *_ERRORS):
        return None
    return None


def _case_continues(
    lhs: sp.Basic,
    above: sp.Basic,
    rhs: sp.Basic,
    definitions: tuple[Definition, ...],
    derivation: Derivation,
    budget: Budget,
    expander: Expander,
) -> Verdict | None:
    """A symbolic verdict for the concrete claim ``lhs = rhs`` when the same case of the line
    above, ``lhs = above``, was proved symbolically and ``above = rhs`` is proved too; None
    otherwise (the case is then checked directly). Only proofs chain: a rewrite shown by
    numbers alone, or a line above that was, leaves the case to the direct check."""
    held = expander.proved.get((lhs, above, budget))
    # a = b for x in A and b = c for x in B give a = c only in A ∩ B, and the middle line may be
    # defined on less of the line than either end: only proofs that hold everywhere chain
    if held is None or held.status is not Status.SYMBOLIC or held.where is not None:
        return None
    rewrite = expander.proved.get((above, rhs, budget))
    if rewrite is None:
        rewrite = _by_common_factors(above, rhs, budget, expander) or check_equation(
            above, rhs, definitions, derivation.variable, budget, expander
        )
        expander.proved[(above, rhs, budget)] = rewrite
    if rewrite.status is not Status.SYMBOLIC or rewrite.where is not None:
        return None
    return Verdict(Status.SYMBOLIC, f"{rewrite.method} with the line above")


class _NameSpace:
    """Claims read with the derivation's names as free symbols.

    ``du/dx`` for a name is worked out by the chain rule through its definition, which is itself
    written in names (u := sin(v)); deeper derivatives stay as ``dv/dx`` terms. An equality
    proved this way holds for every value of the names, so for their actual values too. It lets
    a long chain of steps be checked line against line without expanding every name.
    """

    def __init__(self, derivation: Derivation, calculus: Differentiator | None = None) -> None:
        self.names = {d.lhs: d.rhs for d in derivation.definitions if isinstance(d.lhs, sp.Symbol)}
        self.calculus = calculus or Differentiator()
        self.held = {name: sp.Dummy(name.name) for name in self.names}  # the same for every step
        self.x = derivation.variable
        self.derivatives: dict[sp.Basic, sp.Basic] = {}
        self.busy: set[sp.Basic] = set()
        self.read: dict[sp.Basic, sp.Basic] = {}  # each line is read once, as the step and as the line above
        self.folded: dict[sp.Basic, sp.Basic] = {}
        # the derivatives in each part of every line read so far: the lines of a chain share most
        # of their parts, and a part met again is not walked again (a deep chain would walk it per line)
        self.inside = Inside(sp.Derivative)
        self.free: dict[sp.Basic, frozenset[sp.Basic]] = {}

    def __call__(self, expr: sp.Basic) -> sp.Basic:
        """``expr`` with every derivative carried out, each line's derivatives found among the
        parts not met in an earlier line. As ``xreplace`` does, every part above a derivative is
        built anew, so a line written unevaluated, 3·(x² + y²·y'), is read evaluated,
        3·x² + 3·y²·y', even where the derivative stays as it is; derivatives inside derivatives
        are carried out inner ones first, as ``replace`` does."""
        if expr not in self.read:
            found = self.inside(expr)
            if any(v != self.x for d in found for v in d.variables):
                raise _CannotCheck("a derivative with respect to another quantity")
            if any(self.inside(d.expr) for d in found):  # inner ones first, as replace does
                self.read[expr] = expr.replace(lambda e: isinstance(e, sp.Derivative), self.carried_out)
            else:  # one pass that rebuilds only the paths down to the derivatives
                self.read[expr] = self.inside.xreplace(expr, {d: self.carried_out(d) for d in found})
        return self.read[expr]

    def free_symbols(self, expr: sp.Basic) -> frozenset[sp.Basic]:
        """``expr.free_symbols``, each distinct part asked once for all the lines."""
        for node in bottom_up(expr, self.free):
            if defining_class(type(node), "free_symbols") is sp.Basic:  # the union of its parts'
                self.free[node] = frozenset().union(*(self.free[a] for a in node.args))
            else:  # a symbol, or a part that binds some (a derivative, a sum)
                self.free[node] = frozenset(node.free_symbols)
        return self.free[expr]

    def carried_out(self, derivative: sp.Derivative) -> sp.Basic:
        """d^k/dx^k of the derivative's expression: the total derivative taken k times."""
        result = derivative.expr
        for _ in range(int(derivative.derivative_count)):
            result = self.total(result)
        return result

    def total(self, expr: sp.Basic) -> sp.Basic:
        """d/dx ``expr``: its own dependence on x plus, for each name in it, ∂/∂name · dname/dx."""
        inner = [s for s in expr.free_symbols if s in self.names]
        held = {s: self.held[s] for s in inner}
        body = expr.xreplace(held)
        result = self.calculus.diff(body, self.x)
        for name, dummy in held.items():
            result += self.calculus.diff(body, dummy) * self.derivative(name)
        return result.xreplace({dummy: name for name, dummy in held.items()})

    def fold(self, expr: sp.Basic) -> sp.Basic:
        """``expr`` with every part that is exactly what a name stands for (its definition with
        the names inside it substituted) replaced by that name, the largest parts first. Putting
        the values back gives ``expr`` again, so a claim proved about the folded sides holds."""
        if expr in self.by_value:
            return self.by_value[expr]
        if not expr.args:
            return expr
        if expr not in self.folded:
            args = tuple(self.fold(a) for a in expr.args)
            self.folded[expr] = expr if args == expr.args else expr.func(*args)
        return self.folded[expr]

    @functools.cached_property
    def by_value(self) -> dict[sp.Basic, sp.Basic]:
        """Each name's full value (no names left in it) → the name; the first name of a value wins."""
        full: dict[sp.Basic, sp.Basic] = {}

        def value(name: sp.Basic) -> sp.Basic:
            if name not in full:
                if name in self.busy:
                    raise _CannotCheck("the definitions refer to each other in a cycle")
                self.busy.add(name)
                inner = {s: value(s) for s in self.names[name].free_symbols if s in self.names}
                full[name] = self.names[name].xreplace(inner)
                self.busy.discard(name)
            return full[name]

        by_value: dict[sp.Basic, sp.Basic] = {}
        for name in self.names:
            by_value.setdefault(value(name), name)
        return by_value

    def derivative(self, name: sp.Basic) -> sp.Basic:
        if name not in self.derivatives:
            if name in self.busy:
                raise _CannotCheck("the definitions refer to each other in a cycle")
            self.busy.add(name)
            self.derivatives[name] = self.total(self.names[name])
            self.busy.discard(name)
        return self.derivatives[name]


def _continues(previous: Step, step: Step, names: _NameSpace, budget: Budget) -> Verdict | None:
    """The verdict for a step that rewrites the previous line, when that line holds and the two
    right sides are equal in terms of the names; None when that cannot be shown this way."""
    if previous.lhs != step.lhs or previous.condition != step.condition or not previous.verdict.ok:
        return None
    try:
        with work_limit(budget.work):
            before, after = names(previous.rhs), names(step.rhs)
            if names.free_symbols(before) != names.free_symbols(after):
                return None  # e.g. names substituted back: the direct check suits it better
            if before == after:
                method = "identical"
            elif sp.count_ops(before - after) <= budget.cancel_ops and sp.cancel(before - after) == 0:
                method = "cancel"
            else:
                return None
    except (_CannotCheck, OutOfWork, *_ERRORS):
        return None
    return replace(previous.verdict, method=f"{method} with the line above")


# Nested deeper than this (levels of functions), a claim is first checked through the
# derivation's names: SymPy's own derivative of a composition n levels deep costs about n³ (each
# level walks the whole result so far), the chain rule through the names about n per level.
NAMED_NESTING = 40


def _through_names(step: Step, names: _NameSpace, budget: Budget) -> Verdict | None:
    """The verdict for a deeply nested claim whose sides, written through the names, are equal
    (identical, or after ``cancel``) once the derivatives are carried out by the chain rule
    through the definitions; None when that does not show it (the direct check decides)."""
    if step.condition is not None or max(_nesting(step.lhs), _nesting(step.rhs)) <= NAMED_NESTING:
        return None
    try:
        with work_limit(budget.work):
            left, right = names(names.fold(step.lhs)), names(names.fold(step.rhs))
            if left == right:
                method = "identical"
            elif sp.count_ops(left - right) <= budget.cancel_ops and sp.cancel(left - right) == 0:
                method = "cancel"
            else:
                return None
    except (_CannotCheck, OutOfWork, *_ERRORS):
        return None
    return Verdict(Status.SYMBOLIC, f"{method} through the inner functions")


def _broken_step(
    previous: Step, step: Step, derivation: Derivation, budget: Budget, expander: Expander
) -> Verdict | None:
    """A failed verdict when ``step`` rewrites the line above (same left side) into something
    that is not equal to it. The left side may be undecidable (an unspecified s'(x)), yet the
    rewriting itself is a claim, and a wrong one puts the error on this line."""
    if previous.lhs != step.lhs or previous.unreadable or previous.condition != step.condition:
        return None
    rewrite = check_equation(
        previous.rhs, step.rhs, derivation.definitions, derivation.variable, budget, expander, step.condition
    )
    if rewrite.status is not Status.FAILED:
        return None
    return replace(
        rewrite, method="it does not follow from the line above, whose right side is the left value"
    )


def verify(derivation: Derivation, budget: Budget = DEFAULT_BUDGET) -> Derivation:
    """A copy of ``derivation`` with a freshly computed verdict on every step and the result.

    Nothing a derivation says about its own verdicts is kept: a step that could not be read is
    "not read", whatever it was marked. A step that continues the line above is first compared
    with that line (equality is transitive); when that does not settle it, it is checked against
    its left side directly. The result is always checked directly (a claim checked directly once
    in the derivation, as the result usually repeats the last step, keeps that verdict). A claim
    nested deeper than :data:`NAMED_NESTING` levels is first checked through the names. A claim
    with indices is checked case by case; a case already proved in this derivation (the
    result's cases are the last line's) keeps its verdict, and a case of a line that rewrites
    the line above is first shown from that line's same case.
    """
    calculus = Differentiator()  # every check of the derivation shares what was differentiated
    expander = Expander(derivation.definitions, derivation.variable, calculus)
    names = _NameSpace(derivation, calculus)
    checked: list[Step] = []
    direct: dict[tuple[sp.Basic, sp.Basic, sp.Basic | None], Verdict] = {}

    def directly(step: Step) -> Verdict:
        """The direct check, once per exact claim: the result repeats the last step's claim."""
        key = (step.lhs, step.rhs, step.condition)
        if key not in direct:
            above = checked[-1] if checked and not checked[-1].unreadable else None
            direct[key] = verify_step(step, derivation, budget, expander, above)
        return direct[key]

    with recursion_room(derivation_depth(derivation)):
        for step in derivation.steps:
            if step.unreadable:
                checked.append(replace(step, verdict=_not_read(step)))
                continue
            verdict = (checked and _continues(checked[-1], step, names, budget)) or _through_names(
                step, names, budget
            )
            if not verdict:
                verdict = directly(step)
            if verdict.status is Status.UNDECIDED and checked:
                verdict = _broken_step(checked[-1], step, derivation, budget, expander) or verdict
            checked.append(replace(step, verdict=verdict))
        result = derivation.result
        verdict = (
            _not_read(result)
            if result.unreadable
            else _through_names(result, names, budget) or directly(result)
        )
    return derivation.with_verdicts([s.verdict for s in checked], verdict)


def _not_read(step: Step) -> Verdict:
    return Verdict(Status.UNCHECKED, f"could not be read: {step.unreadable}")
