"""Implicit differentiation: ``derive implicit "x^2 + y^2 = 1" --var x --dep y``.

y is a function of x defined by the relation. Both sides are differentiated by the rule engine
(:mod:`derive.differentiate`: the chain rule gives y² → 2y·y'), the terms with dy/dx are collected
on the left and the equation is solved for dy/dx. Higher orders differentiate the last result
again and put the lower derivatives back in. Where the relation is polynomial, a last step uses
it to shorten the result (y'' = −(x² + y²)/y³ becomes −1/y³ on x² + y² = 1).

Each step that needs the relation carries it as its condition (an ``Eq``), so the verifier checks
it *on the curve*, as ``derive check`` checks a written implicit differentiation (see
:mod:`derive.relations`); the engine's own steps are identities and are checked as such.
"""

from __future__ import annotations

from dataclasses import replace

import sympy as sp
from sympy.core.function import AppliedUndef

from . import relations
from .budgets import OutOfWork, expression_depth, recursion_room, work_limit
from .differentiate import _variable, derive_steps
from .errors import DeriveError
from .model import Definition, Derivation, Kind, Step
from .oneline import one_line
from .parse import read
from .points import as_number, decimal, parse_at
from .verify import Budget, verify

MAX_ORDER = relations.MAX_ORDER


def implicit(
    relation: str | sp.Eq,
    var: str | sp.Symbol = "x",
    dep: str | sp.Symbol = "y",
    order: int = 1,
    at: str | dict[str, sp.Expr] | None = None,
    budget: Budget | None = None,
) -> Derivation:
    """The verified implicit derivative d^order(dep)/d(var)^order on the curve ``relation``.

    ``relation`` is text with one ``=`` (``"x^2 + y^2 = 1"``, read by the safe parser) or a SymPy
    ``Eq``; ``dep`` (default y) is the function of ``var`` (default x) it defines. ``order`` is 1 to
    3. ``at`` (``"x=0,y=1"`` or ``{"x": 0, "y": 1}``) adds the value at that point of the curve as
    a last verified step; the point must lie on the curve. Bad input raises
    :class:`derive.errors.DeriveError` with a one-line message.
    """
    if not 1 <= order <= MAX_ORDER:
        raise DeriveError(f"the order of an implicit derivative must be between 1 and {MAX_ORDER}")
    equation, text, notes = _read_relation(relation, var, dep)
    x = _named(var, "--var")
    y_name = _named(dep, "--dep").name
    if x.name == y_name:
        raise DeriveError(f"--var and --dep must be different names, not both {x.name}")
    by_name = {s.name: s for s in equation.free_symbols if isinstance(s, sp.Symbol)}
    if y_name not in by_name:
        raise DeriveError(f"the relation {one_line(equation)} does not involve {y_name}")
    if x.name in by_name:
        equation = equation.xreplace({by_name[x.name]: x})
    y = sp.Function(y_name)(x)
    curve = sp.Eq(equation.lhs.xreplace({by_name[y_name]: y}), equation.rhs.xreplace({by_name[y_name]: y}))
    point = _point(at, curve, x, y) if at is not None else None
    with recursion_room(expression_depth(curve) * (order + 2)):
        builder = _Builder(curve, x, y)
        derivation = builder.derivation(order, equation)
        if point is not None:
            derivation = builder.with_value(derivation, order, point)
        derivation = replace(derivation, input=text, reading=equation, note="; ".join(notes))
        return verify(derivation, budget) if budget else verify(derivation)


def _named(name: str | sp.Symbol, option: str) -> sp.Symbol:
    try:
        return _variable(name)
    except DeriveError:
        raise DeriveError(f"{option} must be a single name such as x or y, not {name!r}") from None


def _read_relation(
    relation: str | sp.Eq, var: str | sp.Symbol, dep: str | sp.Symbol
) -> tuple[sp.Eq, str, list[str]]:
    """The relation as an ``Eq`` of plain names, the text as typed and the reader's notes."""
    text, notes = "", []
    if isinstance(relation, str):
        text = relation
        if "=" not in relation:
            raise DeriveError(
                f"a relation needs an '=' between its two sides, as in x^2 + y^2 = 1; got {relation!r}"
            )
        names = frozenset(str(n).strip() for n in (var, dep))
        reading = read(relation, names=names)
        relation, notes = reading.expr, list(reading.notes)
    if relation is sp.true or relation is sp.false:
        raise DeriveError("the relation holds for every value or for none: it defines no curve")
    if not isinstance(relation, sp.Eq):
        raise DeriveError(
            f"a relation needs one '=' between two expressions, as in x^2 + y^2 = 1; got {relation!r}"
        )
    return relation, text, notes


def _point(at: str | dict[str, sp.Expr], curve: sp.Eq, x: sp.Symbol, y: sp.Expr) -> tuple[sp.Expr, sp.Expr]:
    """(a, b) from ``--at x=a,y=b``, checked to lie on the curve."""
    y_name = y.func.__name__
    given = (
        parse_at(at, (x.name, y_name)) if isinstance(at, str) else {k: as_number(v, k) for k, v in at.items()}
    )
    if set(given) != {x.name, y_name}:
        raise DeriveError(f"--at needs a point of the curve: give both, as in --at {x.name}=0,{y_name}=1")
    a, b = given[x.name], given[y_name]
    left, right = (side.xreplace({y: b}).subs(x, a) for side in (curve.lhs, curve.rhs))
    gap = sp.simplify(left - right)
    if gap != 0 and not (gap.is_number and abs(sp.N(gap, 50)) > sp.Float("1e-30")):
        # too close to call: neither on the curve (proved) nor off it (a clear difference)
        raise DeriveError(f"could not confirm that ({one_line(a)}, {one_line(b)}) lies on {_shown(curve)}")
    if gap != 0:
        raise DeriveError(
            f"the point ({one_line(a)}, {one_line(b)}) is not on the curve {_shown(curve)}: "
            f"the left side is {one_line(sp.simplify(left))} there, "
            f"the right side {one_line(sp.simplify(right))}"
        )
    return a, b


def _shown(curve: sp.Eq) -> str:
    """``x² + y² = 1``: the relation with y(x) written as y."""
    plain = {f: sp.Symbol(f.func.__name__) for f in curve.atoms(AppliedUndef)}
    return f"{one_line(curve.lhs.xreplace(plain))} = {one_line(curve.rhs.xreplace(plain))}"


class _Builder:
    """The steps of one implicit differentiation, with fresh inner names across all of them."""

    def __init__(self, curve: sp.Eq, x: sp.Symbol, y: sp.Expr) -> None:
        self.curve, self.x, self.y = curve, x, y
        self.relation = sp.Eq(curve.lhs, curve.rhs, evaluate=False)
        self.definitions: list[Definition] = []
        self.named: dict[sp.Expr, sp.Expr] = {}  # inner expression (in x and y(x)) → its name
        self.taken = {s.name for s in curve.free_symbols} | {y.func.__name__}

    def derivative(self, k: int) -> sp.Expr:
        return sp.Derivative(self.y, (self.x, k)) if k > 1 else sp.Derivative(self.y, self.x)

    def engine(self, expr: sp.Expr) -> tuple[list[Step], sp.Expr]:
        """The rule engine's steps for d/dx expr (identities). An inner name for y(x) itself is
        put back (y is already a name), one for an expression named before gets that name, and
        any other gets a name not used before."""
        if not expr.has(self.x):
            return [], sp.Integer(0)
        found = derive_steps(expr, self.x)
        renames: dict[sp.Symbol, sp.Expr] = {}
        kept = []
        for definition in found.definitions:
            name, value = definition.lhs, self._unfolded(definition.rhs, found.definitions)
            if value == self.y or value in self.named:
                renames[name] = self.y if value == self.y else self.named[value]
                continue
            if name.name in self.taken:
                renames[name] = self._fresh()
            self.taken.add(renames.get(name, name).name)
            self.named[value] = renames.get(name, name)
            kept.append(definition)
        for definition in kept:  # folded definitions name later ones: rename once all are known
            lhs = renames.get(definition.lhs, definition.lhs)
            self.definitions.append(Definition(lhs, definition.rhs.xreplace(renames), definition.why))
        steps: list[Step] = []
        for step in found.steps:
            step = replace(step, lhs=step.lhs.xreplace(renames), rhs=step.rhs.xreplace(renames))
            if steps and steps[-1].lhs == step.lhs and steps[-1].rhs == step.rhs:
                continue  # a rule that only touched the name of y: nothing to show
            steps.append(step)
        return steps, found.result.rhs

    @staticmethod
    def _unfolded(expr: sp.Expr, definitions: tuple[Definition, ...]) -> sp.Expr:
        """``expr`` with the engine's inner names replaced by what they stand for."""
        values = {d.lhs: d.rhs for d in definitions}
        for _ in range(len(values) + 1):
            expr, before = expr.xreplace(values), expr
            if expr == before:
                break
        return expr

    def _fresh(self) -> sp.Symbol:
        index = 1
        while f"u_{index}" in self.taken:
            index += 1
        return sp.Symbol(f"u_{index}")

    def on_curve(self, lhs: sp.Expr, rhs: sp.Expr, rule: str, kind: Kind = Kind.STATED) -> Step:
        """A step that holds on the curve, not everywhere: the relation is its condition."""
        return Step(lhs, rhs, rule, condition=self.relation, kind=kind)

    def derivation(self, order: int, equation: sp.Eq) -> Derivation:
        x, y = self.x, self.y
        slope = self.derivative(1)
        left, right = self.curve.lhs, self.curve.rhs
        steps = [
            self.on_curve(
                sp.Derivative(left, x),
                sp.Derivative(right, x),
                f"differentiate both sides, {y.func.__name__} a function of {x}",
            )
        ]
        ends = []
        for side in (left, right):
            found, end = self.engine(side)
            steps += found
            ends.append(end)
        steps.append(self.on_curve(ends[0], ends[1], "the derivatives of both sides"))
        difference = sp.expand(ends[0] - ends[1])
        q = sp.Dummy("q")
        linear = sp.expand(difference.xreplace({slope: q}))
        if not linear.has(q):
            raise DeriveError(
                f"the relation {_shown(self.curve)} does not determine {_name(slope)}: "
                f"differentiated, it no longer holds {_name(slope)} ({one_line(self._plain(difference))} = 0)"
            )
        if not linear.is_polynomial(q) or sp.degree(linear, q) != 1:
            raise DeriveError(f"dy/dx could not be collected from {one_line(difference)} = 0")
        factor, rest = linear.coeff(q, 1), linear.coeff(q, 0)
        if sp.simplify(factor) == 0:
            raise DeriveError(
                f"the relation {_shown(self.curve)} does not determine {_name(slope)}: "
                f"its derivative in {y.func.__name__} is 0"
            )
        factor, moved = sp.factor_terms(factor), sp.factor_terms(-rest)
        if moved.could_extract_minus_sign() and isinstance(-moved, sp.Add):
            moved = sp.expand(moved)  # −2x − y, not −1·(2x + y)
        steps.append(
            self.on_curve(factor * slope, moved, "collect the terms with the derivative on the left")
        )
        solved = moved / factor
        steps.append(self.on_curve(slope, solved, f"divide by {one_line(factor)} (where it is not 0)"))
        results = [self._tidy(steps, slope, solved)]
        for k in range(2, order + 1):
            lhs = self.derivative(k)
            last = results[-1]
            steps.append(
                self.on_curve(lhs, sp.Derivative(last, x), f"differentiate the order {k - 1} result again")
            )
            found, end = self.engine(last)
            steps += found
            steps.append(self.on_curve(lhs, end, "the derivative"))
            lower = {self.derivative(j): results[j - 1] for j in range(k - 1, 0, -1)}
            inserted = end
            for derivative, value in lower.items():  # highest first: it may hold the lower ones
                inserted = inserted.xreplace({derivative: value})
            shown = ", ".join(
                f"{_name(self.derivative(j))} = {one_line(self._plain(results[j - 1]))}" for j in range(1, k)
            )
            steps.append(self.on_curve(lhs, inserted, f"put in {shown}"))
            results.append(self._tidy(steps, lhs, inserted))
        final = self.derivative(order)
        title = f"Implicit differentiation of {_shown(self.curve)}: {_name(final)}"
        return Derivation(
            title=title,
            variable=x,
            definitions=tuple(self.definitions),
            steps=tuple(steps),
            result=self.on_curve(final, results[-1], "result"),
        )

    def _plain(self, expr: sp.Expr) -> sp.Expr:
        return expr.xreplace({self.y: sp.Symbol(self.y.func.__name__)})

    def _tidy(self, steps: list[Step], lhs: sp.Expr, expr: sp.Expr) -> sp.Expr:
        """Cancel and factor, then shorten with the relation where it is polynomial; a step each
        (none when that runs past its budget of work)."""
        try:
            with work_limit(relations.RELATION_WORK):
                tidier = sp.factor(sp.cancel(sp.together(expr)))
        except OutOfWork:
            tidier = expr
        if tidier != expr and sp.count_ops(tidier) <= sp.count_ops(expr):
            steps.append(self.on_curve(lhs, tidier, "simplify", Kind.TIDY))
            expr = tidier
        shorter = relations.shorten(expr, self.relation, self.x)
        if shorter is not None:
            steps.append(self.on_curve(lhs, shorter, f"use the relation {_shown(self.curve)}"))
            expr = shorter
        return expr

    def with_value(self, derivation: Derivation, order: int, point: tuple[sp.Expr, sp.Expr]) -> Derivation:
        """The derivation with its value at the point (a, b) of the curve as a last step."""
        a, b = point
        x, y = self.x, self.y
        expr = derivation.result.rhs
        value = sp.simplify(expr.xreplace({y: b}).subs(x, a))
        where = f"({one_line(a)}, {one_line(b)})"
        if not (value.is_real and value.is_finite):
            raise DeriveError(
                f"{_name(self.derivative(order))} is not defined at {where}: "
                f"{one_line(self._plain(expr))} has no finite value there "
                "(a vertical tangent or a singular point)"
            )
        # The point is written into the claims themselves (not as a condition y(a) = b), so
        # that every format shows it and reads it back: two identities about numbers.
        plain = sp.Symbol(y.func.__name__)
        names, values = (x, plain), (a, b)
        sides = [self._plain(side) for side in (self.curve.lhs, self.curve.rhs)]
        on_curve = Step(
            *(sp.Subs(side, names, values) if side.free_symbols else side for side in sides),
            f"the point ({one_line(a)}, {one_line(b)}) lies on the curve",
        )
        at = f"{x} = {one_line(a)}, {plain} = {one_line(b)}"
        rule = f"{_name(self.derivative(order))} at {at} (≈ {decimal(value)})"
        step = Step(sp.Subs(self._plain(expr), names, values), value, rule, why=f"≈ {decimal(value)}")
        return replace(
            derivation, steps=(*derivation.steps, on_curve, step), result=replace(step, rule="result")
        )


def _name(derivative: sp.Derivative) -> str:
    """``dy/dx``, ``d²y/dx²``: a derivative of y(x) in Leibniz notation for rules and titles."""
    ((x, k),) = derivative.variable_count
    y = derivative.expr.func.__name__
    if k == 1:
        return f"d{y}/d{x}"
    power = "⁰¹²³⁴⁵⁶⁷⁸⁹"[int(k)]
    return f"d{power}{y}/d{x}{power}"
