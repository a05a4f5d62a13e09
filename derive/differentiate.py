"""Step-by-step derivatives of any expression: ``derive diff`` and :func:`differentiate`.

The derivative is written as a chain of equalities about ``d/dx expr``. Each step rewrites every
``Derivative`` still open in the current expression by its rule (:mod:`derive.rules`), so the
chain is as long as the expression is deep, and each step names the rules it used. Inner
functions get fresh names (u, v, w, then u₄, u₅, …) shown as definitions. When no derivative is
left, the names are substituted back and a bounded clean-up looks for a shorter form. Every
step is then verified.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

import sympy as sp
from sympy.core.function import AppliedUndef

from .budgets import OutOfWork, expression_depth, recursion_room, work_limit
from .errors import DeriveError
from .model import Definition, Derivation, Kind, Step
from .oneline import derivative_title, one_line
from .parse import parse, read
from .printing import is_unevaluated, sstr
from .rules import Rule, UndefinedFunctionRule, VariableRule, rule_for
from .verify import Budget, verify
from .walk import Inside, atoms, distinct, preorder

if TYPE_CHECKING:
    from .interms import Stated

MAX_ORDER = 10
# The clean-up is bounded by work: results larger than this many operations are left as they
# are (factor may take minutes on them), so the same input gets the same clean-up anywhere.
CLEANUP_MAX_OPS = 400
# Counted work per operation (SymPy objects built, see derive.budgets), far above what an
# operation within CLEANUP_MAX_OPS needs; when it runs out there is no clean-up at all.
CLEANUP_WORK = 300_000


@dataclass
class _Names:
    """Fresh names for inner functions, one per distinct inner expression."""

    taken: set[str]
    definitions: list[Definition] = field(default_factory=list)
    by_expression: dict[sp.Expr, sp.Symbol] = field(default_factory=dict)

    def candidates(self) -> Iterator[str]:
        yield from ("u", "v", "w")
        for index in itertools.count(1):
            yield f"u_{index}"

    def fresh(self) -> sp.Symbol:
        """A name used nowhere yet."""
        name = next(n for n in self.candidates() if n not in self.taken)
        self.taken.add(name)
        return sp.Symbol(name)

    def name_for(self, inner: sp.Expr) -> sp.Symbol:
        if inner in self.by_expression:
            return self.by_expression[inner]
        symbol = self.fresh()
        self.by_expression[inner] = symbol
        self.definitions.append(Definition(symbol, inner, "inner function"))
        return symbol

    def folded_definitions(self) -> tuple[Definition, ...]:
        """Each definition written through the later names: u := sin(v), not u := sin(sin(x))."""
        folded = []
        for index, definition in enumerate(self.definitions):
            later = {d.rhs: d.lhs for d in self.definitions[index + 1 :]}
            folded.append(Definition(definition.lhs, _fold(definition.rhs, later), definition.why))
        return tuple(folded)

    def values(self) -> dict[sp.Symbol, sp.Expr]:
        return {d.lhs: d.rhs for d in self.definitions}


def _fold(
    expr: sp.Expr, names: dict[sp.Expr, sp.Symbol], done: dict[sp.Expr, sp.Expr] | None = None
) -> sp.Expr:
    """Replace the largest subexpressions that have names by those names, keeping products and
    sums that are written out (unevaluated) as they are. ``done`` remembers folded parts across
    calls: consecutive steps share all but the path down to what changed."""
    if expr in names:
        return names[expr]
    if not expr.args:
        return expr
    done = {} if done is None else done
    if expr not in done:
        args = tuple(_fold(a, names, done) for a in expr.args)
        if _same(args, expr.args):
            done[expr] = expr
        else:
            done[expr] = expr.func(*args, evaluate=False) if is_unevaluated(expr) else expr.func(*args)
    return done[expr]


def _same(first: tuple[sp.Basic, ...], second: tuple[sp.Basic, ...]) -> bool:
    """``first == second``, quick where parts differ: SymPy compares two parts whole, while their
    hashes (kept on each part) tell most different ones apart at once, and the same object is
    equal to itself (a part folded earlier is an equal copy, whose comparison walks all of it)."""
    return len(first) == len(second) and all(
        a is b or (hash(a) == hash(b) and a == b) for a, b in zip(first, second, strict=True)
    )


def _open_derivatives(
    expr: sp.Expr, x: sp.Symbol, final: set[sp.Expr], inside: Inside | None = None
) -> list[sp.Derivative]:
    """The derivatives with respect to x that a rule can still rewrite, outermost first.

    ``inside`` remembers the derivatives in each part across the steps of one derivation: a step
    shares all of the line above but the paths down to what it rewrote, so only those are walked
    (walking every line whole made a derivation n levels deep cost n² visits)."""
    found = (inside or Inside(sp.Derivative))(expr)
    return [node for node in found if node not in final and node.variables == (x,)]


def _rewrite_all(
    current: sp.Expr,
    x: sp.Symbol,
    names: _Names,
    final: set[sp.Expr],
    values: dict[sp.Symbol, sp.Expr],
    inside: Inside | None = None,
) -> tuple[sp.Expr, list[Rule], list[str], list[str]]:
    """One step: every open derivative replaced by its rule's rewrite; the rules applied, their
    labels, and the sentences of rules that hold only part of the way (no derivative at a jump)."""
    inside = inside or Inside(sp.Derivative)
    replacements: dict[sp.Expr, sp.Expr] = {}
    applied: list[Rule] = []
    labels: list[str] = []
    whys: list[str] = []
    for node in _open_derivatives(current, x, final, inside):
        if node in replacements:
            continue
        target = node.expr
        # du/dx for a name introduced by the chain rule differentiates what the name stands for
        rule = rule_for(values.get(target, target) if isinstance(target, sp.Symbol) else target, x)
        rewritten, took_variable = _variable_rule(rule.rewrite(names), x)
        if isinstance(rule, UndefinedFunctionRule):  # f'(x) for an unspecified f stays as it is
            final.update({node, rewritten})
        replacements[node] = rewritten
        values.update(names.values())
        applied.append(rule)
        for label in (rule.label, VariableRule(x, x).label if took_variable else None):
            if label is not None and label not in labels:
                labels.append(label)
        if rule.why and rule.why not in whys:
            whys.append(rule.why)
    # current.xreplace(replacements), walking only the parts that hold a derivative
    return inside.xreplace(current, replacements), applied, labels, whys


def _variable_rule(expr: sp.Expr, x: sp.Symbol) -> tuple[sp.Expr, bool]:
    """``expr`` with every d/dx x replaced by 1 (never left as ``dx/dx`` for a later step), a
    factor 1 dropped from a product kept as written; and whether there was one."""
    target = sp.Derivative(x, x)
    if expr == target:
        return sp.Integer(1), True
    if not expr.args or not expr.has(target):
        return expr, False
    args = tuple(_variable_rule(a, x)[0] for a in expr.args)
    if not is_unevaluated(expr):
        return expr.func(*args), True
    if isinstance(expr, sp.Mul):
        args = tuple(a for a in args if a != 1) or (sp.Integer(1),)
        if len(args) == 1:
            return args[0], True
    return expr.func(*args, evaluate=False), True


def _cleanup(expr: sp.Expr) -> list[tuple[sp.Expr, str]]:
    """Shorter equivalent forms, each with the operation that produced it; none for a result
    above ``CLEANUP_MAX_OPS`` operations or when an operation runs out of work."""
    steps: list[tuple[sp.Expr, str]] = []
    # a sum of n terms counts at least n − 1 operations (an addition or subtraction between
    # each two): a long sum is known to be too large without counting the rest of it
    if isinstance(expr, sp.Add) and len(expr.args) - 1 > CLEANUP_MAX_OPS:
        return steps
    if sp.count_ops(expr) > CLEANUP_MAX_OPS:
        return steps
    candidates = (
        ("evaluate", lambda e: e.doit()),
        ("factor out", sp.factor_terms),
        ("cancel", sp.cancel),
        ("factor", sp.factor),
    )
    best, best_cost = expr, _Cost(expr)
    for operation_name, operation in candidates:
        try:
            with work_limit(CLEANUP_WORK):
                candidate = operation(best)
                cost = None if candidate == best else _Cost(candidate)  # an equal tree costs the same
                shorter = cost is not None and cost < best_cost
        except OutOfWork:
            return []  # not a different clean-up on a slower machine: none
        except (TypeError, ValueError, NotImplementedError, sp.PolynomialError, RecursionError):
            continue
        if shorter and cost is not None:
            steps.append((candidate, _tidy_label(operation_name, best, candidate)))
            best, best_cost = candidate, cost
    return steps


def _tidy_label(operation: str, before: sp.Expr, after: sp.Expr) -> str:
    """What a clean-up step visibly did to ``before``, named after the change rather than after
    the SymPy function that made it: ``cancel`` only "combines over a common denominator" where a
    sum held a fraction, and otherwise multiplies out or cancels a common factor."""
    combined = _fractions_in_sums(after) < _fractions_in_sums(before)
    top_before, bottom_before = sp.fraction(before)
    top_after, bottom_after = sp.fraction(after)
    if operation == "evaluate":
        return "multiply out the constants" if _written_out(before) else "evaluate"
    if operation == "factor out":
        was_sum = isinstance(before, sp.Add) or isinstance(top_before, sp.Add)
        if was_sum and (_has_sum_factor(after) or _has_sum_factor(top_after)):
            return "factor out common terms"
        if bottom_before == bottom_after and top_before != top_after:
            return "simplify the numerator"
        return "combine over a common denominator" if combined else "simplify"
    if operation == "cancel":
        if combined:
            return "combine over a common denominator"
        if not _has_denominator(before):
            return "multiply out"
        return "cancel common factors"
    labels = ["combine over a common denominator"] if combined else []
    if _sum_factors(after) > _sum_factors(before):
        labels.append("factor")
    elif bottom_before == bottom_after and _sum_factors(top_after) < _sum_factors(top_before):
        labels.append("multiply out the numerator")
    return " and ".join(labels) or "simplify"


def _has_denominator(expr: sp.Expr) -> bool:
    """True when some part of ``expr`` divides by something that is not a number."""
    return any(
        isinstance(node, sp.Pow) and node.exp.is_negative and not node.base.is_Number
        for node in distinct(expr)
    ) or any(isinstance(node, sp.exp) and node.args[0].could_extract_minus_sign() for node in distinct(expr))


def _fractions_in_sums(expr: sp.Expr) -> int:
    """How many terms of sums in ``expr`` are fractions (e^(−x) counts as 1/e^x): what combining
    over a common denominator removes."""
    return sum(
        1
        for node in preorder(expr)
        if isinstance(node, sp.Add)
        for term in node.args
        if sp.fraction(term)[1].free_symbols
    )


def _sum_factors(expr: sp.Expr) -> int:
    """How many factors of products in ``expr`` are sums (or powers of sums): how factored it is."""
    return sum(
        1
        for node in preorder(expr)
        if isinstance(node, sp.Mul)
        for factor in node.args
        if isinstance(factor.as_base_exp()[0], sp.Add)
    )


def _has_sum_factor(expr: sp.Expr) -> bool:
    """True for a product with a sum among the factors it multiplies by (not divides by): x·(x + 1),
    (x + 1)·e^x."""
    return isinstance(expr, sp.Mul) and any(
        isinstance(base, sp.Add) and exponent.is_positive
        for base, exponent in (f.as_base_exp() for f in expr.args)
    )


def _written_out(expr: sp.Expr) -> bool:
    """True when ``expr`` holds a sum or product kept as written (``e^(−x)·(−1)``)."""
    return any(isinstance(node, sp.Basic) and is_unevaluated(node) for node in distinct(expr))


class _Cost:
    """How long a form is: its operations (``count_ops``), then the length of its text; the text
    is printed only to break a tie in operations, and each count is taken once."""

    def __init__(self, expr: sp.Expr) -> None:
        self.expr = expr
        self.ops = sp.count_ops(expr)
        self.printed: int | None = None

    def length(self) -> int:
        if self.printed is None:
            self.printed = len(sstr(self.expr))
        return self.printed

    def __lt__(self, other: _Cost) -> bool:
        if self.ops != other.ops:
            return self.ops < other.ops
        return self.length() < other.length()


@dataclass(frozen=True)
class _Input:
    """What was asked: the expression as understood, the variable, the order, and how it was read."""

    expr: sp.Expr
    variable: sp.Symbol
    order: int
    text: str = ""
    notes: tuple[str, ...] = ()


def _as_expression(expr: sp.Expr | str, variable: str | sp.Symbol) -> tuple[sp.Expr, sp.Symbol]:
    """The expression and the variable, for a side input (``--in-terms-of``) about a known ``variable``."""
    request = _read_input(expr, variable, 1)
    return request.expr, request.variable


def _real_parts(expr: sp.Basic) -> sp.Basic:
    """re(x) → x and im(x) → 0 for every name: SymPy writes |e^x| as e^re(x) for a complex x."""
    parts = {p: p.args[0] if isinstance(p, sp.re) else sp.Integer(0) for p in expr.atoms(sp.re, sp.im)}
    return expr.xreplace({p: v for p, v in parts.items() if isinstance(p.args[0], sp.Symbol)})


def _variable(variable: str | sp.Symbol) -> sp.Symbol:
    if isinstance(variable, sp.Symbol):
        return variable
    if not isinstance(variable, str):
        raise DeriveError(f"the variable must be a name or a SymPy Symbol, not {type(variable).__name__}")
    x = parse(variable, names=frozenset({variable.strip()}))
    if not isinstance(x, sp.Symbol):
        raise DeriveError(f"the variable must be a single name, not {variable!r}")
    return x


def _read_input(expr: sp.Expr | str, variable: str | sp.Symbol | None, order: int) -> _Input:
    """Read text with the calculator-style parser and settle the variable and the order.

    A SymPy Symbol of any kind is the variable, one with assumptions (``real=True``) included:
    the expression's own symbol of that name is used, so that ``x`` in the expression and the
    variable are the same object. A leading ``d/dt`` names the variable (and ``d²/dx²`` the
    order); ``y = …`` and ``f(x) = …`` differentiate the right side. With no variable given and
    no ``x`` in the text, its only name is the variable (``t^2`` is differentiated in t).
    """
    notes: list[str] = []
    text = expr if isinstance(expr, str) else ""
    if isinstance(expr, str):
        known = {variable.strip()} if isinstance(variable, str) else set()
        if isinstance(variable, sp.Symbol):
            known.add(variable.name)
        reading = read(expr, names=frozenset(known))
        expr, notes = reading.expr, list(reading.notes)
    if not isinstance(expr, sp.Basic):
        raise DeriveError(f"cannot differentiate a {type(expr).__name__}: give text or a SymPy expression")
    real = _real_parts(expr)
    if real != expr:
        notes.append(f"read {one_line(expr)} as {one_line(real)}, since the variables are real")
        expr = real
    if isinstance(expr, sp.Eq) and (
        (isinstance(expr.lhs, sp.Symbol) and expr.lhs.name not in {str(variable), "x"})
        or isinstance(expr.lhs, AppliedUndef)
    ):
        notes.append(f"differentiating the right side of {one_line(expr.lhs)} = {one_line(expr.rhs)}")
        expr = expr.rhs
    if isinstance(expr, sp.Derivative) and len(expr.variable_count) == 1:
        ((asked, count),) = expr.variable_count
        if variable is not None and _variable(variable).name != asked.name:
            raise DeriveError(f"the expression asks for d/d{asked} but the variable given is {variable}")
        if order not in (1, count):
            raise DeriveError(f"the expression asks for order {count} but the order given is {order}")
        expr, variable, order = expr.expr, asked, int(count)
    if not isinstance(expr, sp.Expr):
        raise DeriveError(f"cannot differentiate {one_line(expr)}: it is not an expression")
    if expr.has(sp.oo, -sp.oo, sp.zoo, sp.nan):
        raise DeriveError("cannot differentiate an expression containing infinity or nan")
    by_name = {s.name: s for s in expr.free_symbols if isinstance(s, sp.Symbol)}
    if variable is None:
        others = sorted(by_name)
        if text and "x" not in by_name and len(others) == 1:
            notes.append(f"differentiating with respect to {others[0]}, the only variable")
            variable = by_name[others[0]]
        else:
            variable = "x"
    x = _variable(variable)
    own = by_name.get(x.name)
    if own is not None and own != x:
        if text:  # the parser's plain x becomes the variable given, assumptions and all
            expr = expr.xreplace({own: x})
        else:
            x = own
    return _Input(expr, x, order, text, tuple(notes))


def derive_steps(expr: sp.Expr, x: sp.Symbol, order: int = 1) -> Derivation:
    """The steps for the ``order``-th derivative of ``expr``, not yet verified."""
    if not 1 <= order <= MAX_ORDER:
        raise DeriveError(f"the order must be between 1 and {MAX_ORDER}")
    taken = {s.name for s in atoms(expr, sp.Symbol)} | {x.name}
    taken |= {f.func.__name__ for f in atoms(expr, AppliedUndef)}
    names = _Names(taken)
    final: set[sp.Expr] = set()
    values: dict[sp.Symbol, sp.Expr] = {}
    inside = Inside(sp.Derivative)  # the derivatives in each part, shared by every step
    steps: list[Step] = []
    rule_steps: list[int] = []  # written through the names once all names are known
    current = expr
    for k in range(1, order + 1):
        lhs = sp.Derivative(expr, (x, k)) if k > 1 else sp.Derivative(expr, x)
        rhs = sp.Derivative(current, x)
        if k > 1:
            steps.append(Step(lhs, rhs, f"order {k}: differentiate the order {k - 1} result"))
        while _open_derivatives(rhs, x, final, inside):
            rewritten, applied, labels, whys = _rewrite_all(rhs, x, names, final, values, inside)
            if rewritten != rhs:
                rhs = rewritten
                rule_steps.append(len(steps))
                steps.append(
                    Step(lhs, rhs, "; ".join(labels), "; ".join(whys), kind=Kind.RULES, rules=tuple(applied))
                )
        if names.definitions and rhs.free_symbols & set(values):
            rhs = _substitute_back(rhs, names)
            steps.append(Step(lhs, rhs, "substitute the inner functions back", kind=Kind.TIDY))
        for tidier, label in _cleanup(rhs):
            steps.append(Step(lhs, tidier, label, kind=Kind.TIDY))
            rhs = tidier
        current = rhs
    if not steps or steps[-1].lhs != lhs:
        steps.append(Step(lhs, current, "differentiate"))
    named = {d.rhs: d.lhs for d in names.definitions}
    folded: dict[sp.Expr, sp.Expr] = {}
    for index in rule_steps:
        steps[index] = replace(steps[index], rhs=_fold(steps[index].rhs, named, folded))
    return Derivation(
        title=derivative_title(expr, order),
        variable=x,
        definitions=names.folded_definitions(),
        steps=tuple(steps),
        result=Step(lhs, current, "result"),
        subject=expr,
    )


def _substitute_back(expr: sp.Expr, names: _Names) -> sp.Expr:
    """Names replaced by what they stand for, in one pass (each name stands for a subexpression of
    the original, which holds no names).

    f'(u) for an unspecified f becomes ``Subs(Derivative(f(ξ), ξ), ξ, g(x))``, SymPy's way of
    writing f' evaluated at g(x); the bound variable gets a name of its own.
    """
    values = names.values()
    replacements: dict[sp.Expr, sp.Expr] = {}
    for derivative in atoms(expr, sp.Derivative):
        bound = [v for v in derivative.variables if v in values]
        if bound:
            (u,) = bound
            fresh = names.fresh()
            replacements[derivative] = sp.Subs(derivative.xreplace({u: fresh}), fresh, values[u])
    return expr.xreplace(replacements).xreplace(values)


def differentiate(
    expr: sp.Expr | str,
    var: str | sp.Symbol | None = None,
    order: int = 1,
    budget: Budget | None = None,
    in_terms_of: dict[str, sp.Expr | str | None] | None = None,
) -> Derivation:
    """The verified, step-by-step ``order``-th derivative of ``expr`` with respect to ``var``.

    ``expr`` is a SymPy expression or text, read by the safe parser (``x^2 sin(x)``, ``e^(-x)``,
    ``|x|``…). Every step carries the verifier's verdict. ``in_terms_of`` names functions
    (``{"s": "1/(1+exp(-x))"}``; ``None`` as the value names ``expr`` itself): when the
    derivative can be written through them alone, a last verified step does so (σ' = σ(1 − σ));
    when it cannot, the derivation ends as it would without them (see :func:`derive.interms.express`).

    The variable ``var`` is ``x`` unless the text starts with ``d/dt`` (or, as text, names only
    one variable); any SymPy Symbol works, one with assumptions such as ``real=True`` included (the
    expression's symbol of the same name is the variable). The derivation records the text as
    typed (``input``), the expression as understood (``reading``) and any choice the reader made
    (``note``: ``xsin(x)`` read as x·sin(x)). Variables are real: ``|e^x|`` is e^x and ``re(x)``
    is x. Step functions (floor, ceiling, frac, sign) have derivative 0 (1 for frac) between
    their jumps and none at them, written as cases that leave the jumps out; a function SymPy
    knows no derivative for (``zeta``) raises :class:`derive.errors.DeriveError` instead of
    looping.
    """
    request = _read_input(expr, var, order)
    expression, x = request.expr, request.variable
    with recursion_room(expression_depth(expression) * (request.order + 1)):
        derivation = derive_steps(expression, x, request.order)
        if in_terms_of:
            derivation = through_names(derivation, expression, x, in_terms_of)
        derivation = replace(
            derivation, input=request.text, reading=expression, note="; ".join(request.notes)
        )
        return verify(derivation, budget) if budget else verify(derivation)


def through_names(
    derivation: Derivation,
    expr: sp.Expr,
    x: sp.Symbol,
    in_terms_of: dict[str, sp.Expr | str | None],
    stated: Stated | None = None,
) -> Derivation:
    """The derivation with a last step writing the result through the named functions (a
    ``stated`` form is checked instead of searched for: see :func:`derive.interms.express`)."""
    from .interms import express

    taken = {str(d.lhs) for d in derivation.definitions} | {s.name for s in expr.free_symbols}
    names: dict[sp.Symbol, sp.Expr] = {}
    for name, value in in_terms_of.items():
        symbol = parse(name)
        if not isinstance(symbol, sp.Symbol) or name in taken:
            raise DeriveError(f"cannot use {name!r} as a name here: choose a new single name")
        names[symbol] = expr if value is None else _as_expression(value, x)[0]
    result = derivation.result
    order = sum(count for _, count in result.lhs.variable_count)
    form = express(result.rhs, x, names, (sp.diff(expr, x, order),), stated)
    if form is None:
        return derivation
    listed = ", ".join(one_line(n) for n in sorted(names, key=str))
    step = Step(result.lhs, form.expr, f"in terms of {listed}: {form.how}", kind=Kind.IN_TERMS_OF)
    return replace(
        derivation,
        definitions=(
            *derivation.definitions,
            *(Definition(n, v, "named function") for n, v in names.items()),
        ),
        steps=(*derivation.steps, step),
        result=replace(step, rule="result"),
    )
