"""Verification: every step is a claimed equation, and this module decides whether it holds.

A step ``lhs = rhs`` holds when ``lhs − rhs`` is identically zero once the derivation's
definitions are substituted and derivatives are evaluated. A derivative with respect to a
defined quantity, ``dσ/du`` with ``u := 1 + e^(−x)``, means ``σ'(x) / u'(x)`` (Leibniz
notation between two quantities that both depend on the variable).

The ladder, cheapest rung first, each under its own time budget:

1. ``identical`` — the expanded sides are the same expression;
2. ``cancel`` / ``expand`` — rational normal form of the difference is zero;
3. ``simplify`` / ``simplify(rewrite(exp))`` — SymPy's heuristics reach zero;
4. ``numeric`` — both sides agree to 25 significant digits at random points (evaluated with
   mpmath at 40 digits). This is evidence, not proof, and is reported as ``numeric``.

A quick numeric probe runs after ``cancel``, so a false step is reported as ``failed`` with the
point where the sides differ instead of spending the expensive symbolic budgets on it.
"""

from __future__ import annotations

import random
import zlib
from collections.abc import Callable
from dataclasses import dataclass, replace

import sympy as sp
from sympy.core.function import AppliedUndef

from .model import Definition, Derivation, Step, Verdict
from .parse import parse
from .printing import sstr
from .timing import OutOfTime, expression_depth, recursion_room, time_limit


@dataclass(frozen=True)
class Budget:
    """Seconds allowed for substituting definitions, for each symbolic rung and for the numeric
    rung of one step."""

    prepare: float = 4.0
    symbolic: float = 2.0
    numeric: float = 4.0

    def scaled(self, depth: int) -> Budget:
        """The budget for expressions ``depth`` levels deep: differentiating one costs time in
        proportion to its size, so the allowance grows beyond 50 levels."""
        factor = max(1.0, depth / 50)
        return Budget(self.prepare * factor, self.symbolic * factor, self.numeric * factor)


DEFAULT_BUDGET = Budget()
SAMPLE_POINTS = 8
_PROBE_POINTS = 3
_DIGITS = 40
_AGREE = sp.Float("1e-25")
_DISAGREE = sp.Float("1e-12")


class _CannotCheck(Exception):
    """The step cannot be put into a checkable form; the verdict is ``unchecked``."""


class Expander:
    """Substitutes a derivation's definitions into expressions and evaluates derivatives.

    Every symbol that is not defined is read as a real variable (``derive`` does calculus over
    the reals: d|x|/dx is sign(x)). The value of each defined name is computed once.
    """

    def __init__(self, definitions: tuple[Definition, ...], variable: sp.Symbol) -> None:
        self.names = {d.lhs: d.rhs for d in definitions if isinstance(d.lhs, sp.Symbol)}
        self.functions = {d.lhs.func: d for d in definitions if isinstance(d.lhs, AppliedUndef)}
        self.variable = _real(variable)
        self.values: dict[sp.Basic, sp.Basic] = {}
        self.expanded: dict[sp.Basic, sp.Basic] = {}
        self.busy: set[object] = set()

    def __call__(self, expr: sp.Basic) -> sp.Basic:
        """``expr`` with every defined name replaced and every derivative carried out."""
        if expr not in self.expanded:
            self.expanded[expr] = self.substitute(expr).doit()
        return self.expanded[expr]

    def substitute(self, expr: sp.Basic) -> sp.Basic:
        if any(v in self.names for d in expr.atoms(sp.Derivative) for v in d.variables):
            expr = expr.replace(
                lambda e: isinstance(e, sp.Derivative) and any(v in self.names for v in e.variables),
                self.leibniz,
            )
        for function in self.functions.keys() & {a.func for a in expr.atoms(AppliedUndef)}:
            expr = expr.replace(function, self.apply(self.functions[function]))
        return expr.xreplace({s: self.value(s) for s in expr.atoms(sp.Symbol)})

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
            return self.guarded(definition.lhs.func, lambda: self.substitute(bound))

        return body

    def leibniz(self, derivative: sp.Derivative) -> sp.Basic:
        """dA/du for a defined u is A'(x)/u'(x): both sides are functions of the variable."""
        result = self(derivative.expr)
        for v, count in derivative.variable_count:
            if v not in self.names:
                result = sp.diff(result, (_real(v), count))
                continue
            inner = sp.diff(self(v), self.variable)
            if inner == 0:
                raise _CannotCheck(f"d/d{v} is undefined: {v} does not depend on {self.variable}")
            for _ in range(int(count)):
                result = sp.diff(result, self.variable) / inner
        return result


def _real(symbol: sp.Basic) -> sp.Basic:
    if isinstance(symbol, sp.Symbol) and not isinstance(symbol, sp.Dummy) and symbol.is_real is None:
        return sp.Symbol(symbol.name, real=True)
    return symbol


_RUNGS: tuple[tuple[str, Callable[[sp.Basic], sp.Basic]], ...] = (
    ("cancel", sp.cancel),
    ("expand", lambda d: sp.expand(d, deep=True)),
    ("simplify", sp.simplify),
    ("simplify in exp", lambda d: sp.simplify(d.rewrite(sp.exp))),
)


def as_expression(value: sp.Basic | str | int | float) -> sp.Basic:
    """A SymPy object for ``value``: text goes through the safe parser, never ``sympify``."""
    if isinstance(value, sp.Basic):
        return value
    if isinstance(value, str):
        return parse(value)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"expected an expression, got {type(value).__name__}")
    return sp.Integer(value) if isinstance(value, int) else sp.Float(value)


def check_equation(
    lhs: sp.Basic | str | int | float,
    rhs: sp.Basic | str | int | float,
    definitions: tuple[Definition, ...] = (),
    variable: sp.Symbol | None = None,
    budget: Budget = DEFAULT_BUDGET,
    expander: Expander | None = None,
) -> Verdict:
    """Decide whether ``lhs = rhs`` holds, given the definitions; see the module docstring.

    Steps of one derivation share an ``expander``, so each definition is expanded only once.
    """
    variable = variable if variable is not None else sp.Symbol("x")
    lhs, rhs = as_expression(lhs), as_expression(rhs)
    try:
        with time_limit(budget.prepare):
            expand = expander or Expander(definitions, variable)
            left, right = expand(lhs), expand(rhs)
    except _CannotCheck as exc:
        return Verdict("unchecked", str(exc))
    except OutOfTime:
        return Verdict("unchecked", "substituting the definitions took too long")
    if left == right:
        return Verdict("symbolic", "identical")

    difference = left - right
    sampler = _Sampler(left, right)
    for index, (name, rung) in enumerate(_RUNGS):
        if index == 1:  # past the cheap rung, a false step should not cost the symbolic budgets
            probe = sampler.run(_PROBE_POINTS, budget.numeric / 4)
            if probe.status == "failed":
                return probe
        try:
            with time_limit(budget.symbolic):
                if rung(difference) == 0:
                    return Verdict("symbolic", name)
        except OutOfTime:
            continue
        except (
            TypeError,
            ValueError,
            NotImplementedError,
            AttributeError,
            RecursionError,
            ZeroDivisionError,
            sp.PolynomialError,
        ):
            continue  # a rung that cannot handle this expression proves nothing
    return sampler.run(SAMPLE_POINTS, budget.numeric)


class _Sampler:
    """Evaluates both sides at reproducible random points."""

    def __init__(self, left: sp.Basic, right: sp.Basic) -> None:
        seed = zlib.crc32(f"{sstr(left)}={sstr(right)}".encode())
        self.random = random.Random(seed)
        self.left, self.right = self._concrete(left), self._concrete(right)
        free = self.left.free_symbols | self.right.free_symbols
        self.symbols = sorted(free, key=lambda s: s.name)

    def _concrete(self, expr: sp.Basic) -> sp.Basic:
        """Undefined functions f(x) become a random smooth function: an identity meant for every f
        must hold for this one too."""
        for function in sorted({a.func for a in expr.atoms(AppliedUndef)}, key=str):
            a, b, c = (sp.Rational(self.random.randint(5, 20), 10) for _ in range(3))

            def smooth(*args: sp.Basic, a: sp.Basic = a, b: sp.Basic = b, c: sp.Basic = c) -> sp.Basic:
                t = sum(args, sp.Integer(0)) / len(args) if args else sp.Integer(0)
                return a * sp.sin(b * t) + c * sp.exp(t / 3)

            expr = expr.replace(function, smooth)
        try:
            return expr.doit()
        except (ValueError, TypeError, NotImplementedError):
            return expr  # e.g. a derivative taken with respect to f(x): not evaluable here

    def point(self) -> dict[sp.Symbol, sp.Rational]:
        return {
            s: sp.Rational(self.random.choice((-1, 1)) * self.random.randint(10, 300), 100)
            for s in self.symbols
        }

    def run(self, count: int, seconds: float) -> Verdict:
        agreed = 0
        try:
            with time_limit(seconds):
                for _ in range(count * 3):
                    if agreed == count:
                        break
                    point = self.point()
                    left = self._value(self.left, point)
                    right = self._value(self.right, point)
                    if left is None or right is None:
                        continue
                    gap = abs(left - right)
                    scale = max(sp.Float(1), abs(left), abs(right))
                    if gap <= _AGREE * scale:
                        agreed += 1
                    elif gap > _DISAGREE * scale:
                        return Verdict(
                            "failed",
                            "sides differ at a sample point",
                            tuple((s.name, f"{float(v):g}") for s, v in point.items()),
                            _show(left),
                            _show(right),
                        )
        except OutOfTime:
            pass
        if agreed >= min(count, 4):
            return Verdict("numeric", f"equal at {agreed} random points to 25 digits")
        return Verdict("unchecked", "no proof found, and too few points could be evaluated")

    @staticmethod
    def _value(expr: sp.Basic, point: dict[sp.Symbol, sp.Rational]) -> sp.Expr | None:
        try:
            value = expr.xreplace(point).evalf(_DIGITS)
        except (TypeError, ValueError, ZeroDivisionError, ArithmeticError, RecursionError):
            return None
        if value.free_symbols or value.has(sp.nan, sp.zoo, sp.oo, -sp.oo):
            return None
        real, imag = value.as_real_imag()
        if not (real.is_Number and imag.is_Number):
            return None
        return value


def _show(value: sp.Expr) -> str:
    return str(value.evalf(12))


def verify_step(
    step: Step, derivation: Derivation, budget: Budget = DEFAULT_BUDGET, expander: Expander | None = None
) -> Verdict:
    """The verdict for one step, in the context of ``derivation``'s definitions."""
    return check_equation(step.lhs, step.rhs, derivation.definitions, derivation.variable, budget, expander)


class _NameSpace:
    """Claims read with the derivation's names as free symbols.

    ``du/dx`` for a name is worked out by the chain rule through its definition, which is itself
    written in names (u := sin(v)); deeper derivatives stay as ``dv/dx`` terms. An equality
    proved this way holds for every value of the names, so for their actual values too. It lets
    a long chain of steps be checked line against line without expanding every name.
    """

    def __init__(self, derivation: Derivation) -> None:
        self.names = {d.lhs: d.rhs for d in derivation.definitions if isinstance(d.lhs, sp.Symbol)}
        self.x = derivation.variable
        self.derivatives: dict[sp.Basic, sp.Basic] = {}
        self.busy: set[sp.Basic] = set()

    def __call__(self, expr: sp.Basic) -> sp.Basic:
        if any(v != self.x for d in expr.atoms(sp.Derivative) for v in d.variables):
            raise _CannotCheck("a derivative with respect to another quantity")
        return expr.replace(lambda e: isinstance(e, sp.Derivative), lambda e: self.total(e.expr))

    def total(self, expr: sp.Basic) -> sp.Basic:
        """d/dx ``expr``: its own dependence on x plus, for each name in it, ∂/∂name · dname/dx."""
        inner = [s for s in expr.free_symbols if s in self.names]
        held = {s: sp.Dummy(s.name) for s in inner}
        body = expr.xreplace(held)
        result = sp.diff(body, self.x)
        for name, dummy in held.items():
            result += sp.diff(body, dummy) * self.derivative(name)
        return result.xreplace({dummy: name for name, dummy in held.items()})

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
    if previous.lhs != step.lhs or not previous.verdict.ok:
        return None
    try:
        with time_limit(budget.symbolic):
            before, after = names(previous.rhs), names(step.rhs)
            if before.free_symbols != after.free_symbols:
                return None  # e.g. names substituted back: the direct check suits it better
            if before == after:
                method = "identical"
            elif sp.cancel(before - after) == 0:
                method = "cancel"
            else:
                return None
    except (_CannotCheck, OutOfTime, TypeError, ValueError, NotImplementedError, sp.PolynomialError):
        return None
    return Verdict(previous.verdict.status, f"{method} with the line above")


def verify(derivation: Derivation, budget: Budget = DEFAULT_BUDGET) -> Derivation:
    """A copy of ``derivation`` with a freshly computed verdict on every step and the result.

    A step that continues the line above is first compared with that line (equality is
    transitive); when that does not settle it, it is checked against its left side directly.
    The result is always checked directly, independently of the chain that led to it.
    """
    expander = Expander(derivation.definitions, derivation.variable)
    names = _NameSpace(derivation)
    checked: list[Step] = []
    depth = _depth(derivation)
    budget = budget.scaled(depth)
    with recursion_room(depth):
        for step in derivation.steps:
            if step.unreadable:  # nothing to check: the claim could not be read
                checked.append(step)
                continue
            verdict = checked and _continues(checked[-1], step, names, budget)
            if not verdict:
                verdict = verify_step(step, derivation, budget, expander)
            checked.append(replace(step, verdict=verdict))
        result = (
            derivation.result.verdict
            if derivation.result.unreadable
            else verify_step(derivation.result, derivation, budget, expander)
        )
    return derivation.with_verdicts([s.verdict for s in checked], result)


def _depth(derivation: Derivation) -> int:
    """How deeply nested the derivation's expressions are (for the recursion allowance)."""
    return max(expression_depth(e) for s in (*derivation.steps, derivation.result) for e in (s.lhs, s.rhs))
