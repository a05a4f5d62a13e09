"""Derivatives of functions of several variables: the gradient, the Jacobian and the Hessian.

Each partial derivative is its own stage, worked out by the step-by-step engine of
:mod:`derive.differentiate` with the other variables held constant, so every rule it applies is
named and every step verified as a ``derive diff`` step is. The function is named (``f(x, y) :=
x²·sin(y)``) so that each stage reads ``∂f/∂x = …``; the inner names the engine introduces (u, v,
w, …) are shared across the stages, one per distinct inner expression.

The result is one claim about a matrix: the matrix of the partial derivatives (as ``Derivative``
objects) equals the matrix of their values. The verifier decides equations between scalars, so
this module checks that claim entry by entry with it, and states in the verdict how many entries
were checked. Each stage is verified as a derivation about its own variable
(:func:`verify_partials`).

The Hessian differentiates each first partial derivative again, but only for the entries on and
above the diagonal; an entry below it is the mixed partial derivative already computed in the
other order. That reuse is a claim of its own (∂²f/∂y∂x = ∂²f/∂x∂y, true where f is twice
continuously differentiable), and it is checked like any other step: both sides are evaluated
independently by the verifier.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace

import sympy as sp
from sympy.core.function import AppliedUndef

from .budgets import expression_depth, recursion_room
from .differentiate import _real_parts, derive_steps
from .errors import DeriveError, ParseError
from .model import Definition, Derivation, Status, Step, Verdict
from .oneline import one_line
from .parse import parse, read
from .verify import DEFAULT_BUDGET, Budget, Expander, check_equation, verify

# At most this many variables and functions: a Hessian of n variables has n(n + 1)/2 stages of
# its own after the n of the gradient, each verified step by step.
MAX_VARIABLES = 10
MAX_FUNCTIONS = 10
# the names functions of several variables are given, the first ones free: not e, d (read as a
# differential), i, j, k, l, m, n (indices), u, v, w (the engine's inner names) nor x, y, z, t
_FUNCTION_NAMES = tuple("fghFGHpqrsabcABCPQRS")

Variables = str | sp.Symbol | Sequence[str | sp.Symbol]
Expression = str | sp.Expr


# -- reading what was asked ------------------------------------------------------------------
def variables_from(variables: Variables) -> tuple[sp.Symbol, ...]:
    """The variables, from ``"x,y,z"``, a Symbol, or a sequence of names and Symbols.

    Raises :class:`DeriveError` (one line) for an empty list, an empty item, a duplicate, a
    word that is not a name (``2x``, ``sin``, ``e``) or more than ``MAX_VARIABLES`` of them.
    """
    if isinstance(variables, sp.Symbol):
        items: list[str | sp.Symbol] = [variables]
    elif isinstance(variables, str):
        if not variables.strip():
            raise DeriveError("no variables given: list them, e.g. x,y")
        items = [item.strip() for item in variables.split(",")]
    elif isinstance(variables, Iterable):
        items = list(variables)
    else:
        raise DeriveError(f"the variables must be names, not {type(variables).__name__}")
    if not items:
        raise DeriveError("no variables given: list them, e.g. x,y")
    if len(items) > MAX_VARIABLES:
        raise DeriveError(f"at most {MAX_VARIABLES} variables, not {len(items)}")
    symbols: list[sp.Symbol] = []
    for position, item in enumerate(items, 1):
        symbol = _variable(item, position)
        if any(s.name == symbol.name for s in symbols):
            raise DeriveError(f"the variable {symbol.name} is listed twice")
        symbols.append(symbol)
    return tuple(symbols)


def _variable(item: str | sp.Symbol, position: int) -> sp.Symbol:
    if isinstance(item, sp.Symbol):
        return item
    if not isinstance(item, str):
        raise DeriveError(f"the variables must be names, not {type(item).__name__}")
    if not item:
        raise DeriveError(f"variable {position} is empty: list the names separated by commas, e.g. x,y")
    try:
        symbol = parse(item, names=frozenset({item}))
    except ParseError:
        symbol = None
    if len(item.split()) > 1:
        raise DeriveError(f"{item!r} is not a name: separate the variables with commas, e.g. x,y")
    if not isinstance(symbol, sp.Symbol) or symbol.name != item:
        raise DeriveError(f"{item!r} is not a name a variable can have (e.g. x, t, x_1, theta)")
    return symbol


@dataclass(frozen=True)
class _Reading:
    expr: sp.Expr
    text: str
    notes: tuple[str, ...]


def _expression(expr: Expression, variables: tuple[sp.Symbol, ...], which: str = "") -> _Reading:
    """One expression, read by the safe parser; its names that are variables become the
    variables' own symbols (assumptions and all)."""
    notes: list[str] = []
    text = expr if isinstance(expr, str) else ""
    if isinstance(expr, str):
        if not expr.strip():
            raise DeriveError(f"{which or 'the expression'} is empty")
        try:
            reading = read(expr, names=frozenset(v.name for v in variables))
        except ParseError as exc:
            if not which:
                raise
            raise ParseError(f"{which}: {exc.message}", exc.text, exc.column) from None
        expr, notes = reading.expr, list(reading.notes)
    if not isinstance(expr, sp.Basic):
        raise DeriveError(f"cannot differentiate a {type(expr).__name__}: give text or a SymPy expression")
    names = {v.name for v in variables}
    if isinstance(expr, sp.Eq) and (
        isinstance(expr.lhs, AppliedUndef) or (isinstance(expr.lhs, sp.Symbol) and expr.lhs.name not in names)
    ):
        notes.append(f"differentiating the right side of {one_line(expr.lhs)} = {one_line(expr.rhs)}")
        expr = expr.rhs
    if isinstance(expr, sp.Derivative):
        raise DeriveError(f"{which or 'the expression'} is a derivative: give the function itself")
    if not isinstance(expr, sp.Expr) or isinstance(expr, sp.MatrixBase):
        raise DeriveError(f"cannot differentiate {one_line(expr)}: it is not an expression")
    if expr.has(sp.oo, -sp.oo, sp.zoo, sp.nan):
        raise DeriveError("cannot differentiate an expression containing infinity or nan")
    real = _real_parts(expr)
    if real != expr:
        notes.append(f"read {one_line(expr)} as {one_line(real)}, since the variables are real")
        expr = real
    own = {s.name: s for s in expr.free_symbols if isinstance(s, sp.Symbol)}
    expr = expr.xreplace({own[v.name]: v for v in variables if v.name in own and own[v.name] != v})
    return _Reading(expr, text, tuple(notes))


def _functions(exprs: Expression | Sequence[Expression] | sp.MatrixBase) -> list[Expression]:
    """The functions of a Jacobian: ``"f1; f2"``, a sequence, or a SymPy vector."""
    if isinstance(exprs, str):
        return [piece.strip() for piece in exprs.split(";")]
    if isinstance(exprs, sp.MatrixBase):
        if 1 not in exprs.shape:
            raise DeriveError(f"the functions must form a vector, not a {exprs.rows}×{exprs.cols} matrix")
        return list(exprs)
    if isinstance(exprs, sp.Basic):
        return [exprs]
    if isinstance(exprs, Iterable):
        return list(exprs)
    raise DeriveError(f"the functions must be text or SymPy expressions, not {type(exprs).__name__}")


def _ordinal(n: int) -> str:
    return {1: "1st", 2: "2nd", 3: "3rd"}.get(n, f"{n}th")


def _matching(readings: Sequence[_Reading], variables: tuple[sp.Symbol, ...]) -> None:
    """Every variable must occur in some function: one that does not is most likely a typo."""
    names = set().union(*({s.name for s in r.expr.free_symbols} for r in readings))
    for v in variables:
        if v.name not in names:
            shown = "; ".join(one_line(r.expr) for r in readings)
            occurring = ", ".join(sorted(names)) or "none"
            raise DeriveError(f"the variable {v.name} does not occur in {shown} (its names: {occurring})")


# -- the stages ------------------------------------------------------------------------------
@dataclass
class _SharedNames:
    """The engine's inner names, shared by every stage: one name per distinct inner expression,
    none that the functions or another stage already use."""

    taken: set[str]
    definitions: list[Definition] = field(default_factory=list)
    by_value: dict[sp.Expr, sp.Symbol] = field(default_factory=dict)

    def fresh(self) -> sp.Symbol:
        candidates = itertools.chain(("u", "v", "w"), (f"u_{i}" for i in itertools.count(1)))
        name = next(n for n in candidates if n not in self.taken)
        self.taken.add(name)
        return sp.Symbol(name)

    def adopt(self, definitions: Sequence[Definition]) -> dict[sp.Symbol, sp.Symbol]:
        """The stage's own names mapped to shared ones; its definitions added where new."""
        local = {d.lhs: d.rhs for d in definitions}
        mapping: dict[sp.Symbol, sp.Symbol] = {}
        new: list[Definition] = []
        for definition in definitions:
            value = _unfolded(definition.rhs, local)
            if value not in self.by_value:
                self.by_value[value] = self.fresh()
                new.append(definition)
            mapping[definition.lhs] = self.by_value[value]
        for definition in new:
            self.definitions.append(
                Definition(mapping[definition.lhs], definition.rhs.xreplace(mapping), definition.why)
            )
        return mapping


def _unfolded(expr: sp.Expr, names: dict[sp.Expr, sp.Expr]) -> sp.Expr:
    """``expr`` with the names of one stage replaced by what they stand for, to the bottom."""
    for _ in range(len(names) + 1):
        replaced = expr.xreplace(names)
        if replaced == expr:
            return expr
        expr = replaced
    return expr


def _others(variables: tuple[sp.Symbol, ...], var: sp.Symbol) -> str:
    rest = [one_line(v) for v in variables if v != var]
    if not rest:
        return ""
    return f"{', '.join(rest)} held constant" if len(rest) > 1 else f"{rest[0]} held constant"


def _stage(
    expr: sp.Expr, var: sp.Symbol, lhs: sp.Expr, first: Step, names: _SharedNames
) -> tuple[list[Step], sp.Expr]:
    """The steps of one partial derivative of ``expr`` by the engine, written about ``lhs``
    (``∂f/∂x``) after the step ``first`` that says what is differentiated; and its value."""
    try:
        engine = derive_steps(expr, var)
    except ValueError as exc:  # SymPy refusing a derivative the engine wrote (f'(g(x)) with g(x) = 2x)
        reason = " ".join(str(exc).split())
        raise DeriveError(
            f"cannot differentiate {one_line(expr)} in {one_line(var)} step by step: {reason}"
        ) from None
    mapping = names.adopt(engine.definitions)
    # f' at g(x) is Subs(d/dξ f(ξ), ξ, g(x)) with a bound name of the stage's own choosing, which
    # another stage may have given to an inner function: every bound name gets a new one
    bound = {v for step in engine.steps for sub in step.rhs.atoms(sp.Subs) for v in sub.variables}
    mapping.update({v: names.fresh() for v in sorted(bound, key=str)})
    value = engine.result.rhs.xreplace(mapping)
    steps = [first]
    for step in engine.steps:
        rhs = step.rhs.xreplace(mapping)
        if rhs == value and rhs == steps[-1].rhs:
            continue  # the engine's closing "differentiate" step repeats a value it has shown
        steps.append(replace(step, lhs=lhs, rhs=rhs))
    return steps, value


def _function_name(exprs: Sequence[sp.Expr], count: int) -> list[sp.FunctionClass]:
    """One-letter names for the functions (f, or f, g, h, … for a Jacobian) that none of them uses.

    One letter, because every reader of derive's formats takes ``f(x, y)``, ``g(x, y)`` as a
    function of x and y, where ``f_{1}(x, y)`` in LaTeX would not be read back.
    """
    used = {str(a.func) for e in exprs for a in e.atoms(AppliedUndef)}
    used |= {s.name for e in exprs for s in e.free_symbols}
    free = [name for name in _FUNCTION_NAMES if name not in used]
    if len(free) < count:
        raise DeriveError("the expressions use every name a function could be given here")
    return [sp.Function(name) for name in free[:count]]


# -- verification of the matrix claim --------------------------------------------------------
def matrix_verdict(
    lhs: sp.Basic, rhs: sp.Basic, derivation: Derivation, budget: Budget = DEFAULT_BUDGET
) -> Verdict:
    """The verdict on ``lhs = rhs`` between two matrices, entry by entry with the verifier.

    Matrices of different shapes are unequal, and so are a matrix and a scalar. The first entry
    that is wrong (or, failing that, undecided) decides, and the method names it, ``entry (2,
    1)``; otherwise the claim is symbolic when every entry was proved, numeric when some were
    only verified numerically.
    """
    if not (isinstance(lhs, sp.MatrixBase) and isinstance(rhs, sp.MatrixBase)):
        return Verdict(Status.FAILED, "one side is a matrix and the other is not")
    if lhs.shape != rhs.shape:
        return Verdict(
            Status.FAILED, f"the sides differ in shape: {lhs.rows}×{lhs.cols} and {rhs.rows}×{rhs.cols}"
        )
    expander = Expander(derivation.definitions, derivation.variable)
    verdicts: list[Verdict] = []
    first_open: Verdict | None = None  # the first entry neither proved nor refuted
    for (i, j), left in _entries(lhs):
        verdict = check_equation(
            left, rhs[i, j], derivation.definitions, derivation.variable, budget, expander
        )
        if not verdict.ok:
            at = f"entry ({i + 1}, {j + 1})"
            verdict = replace(verdict, method=f"{at}: {verdict.method}" if verdict.method else at)
            if verdict.status is Status.FAILED:
                return verdict
            first_open = first_open or verdict
        verdicts.append(verdict)
    if first_open is not None:
        return first_open
    methods = sorted({v.method for v in verdicts})
    status = Status.NUMERIC if any(v.status is Status.NUMERIC for v in verdicts) else Status.SYMBOLIC
    count = len(verdicts)
    return Verdict(status, f"each of its {count} entries: {', '.join(methods)}" if count > 1 else methods[0])


def _entries(matrix: sp.MatrixBase) -> Iterator[tuple[tuple[int, int], sp.Expr]]:
    for i in range(matrix.rows):
        for j in range(matrix.cols):
            yield (i, j), matrix[i, j]


def verify_partials(derivation: Derivation, budget: Budget = DEFAULT_BUDGET) -> Derivation:
    """A copy of a derivation about several variables with a fresh verdict on every step.

    The verifier reads a derivative with respect to an inner name (dh/dw, with w := y²) through
    the derivation's one variable, so each stage is verified as a derivation about its own
    variable, the one its left side differentiates in last, as ``derive diff --var y`` would
    verify it; consecutive steps about the same variable are verified together, so a step that
    rewrites the line above is compared with it. A claim between matrices is decided entry by
    entry (:func:`matrix_verdict`).
    """
    verdicts: list[Verdict] = []
    for variable, group in itertools.groupby(derivation.steps, key=lambda s: _stage_variable(s, derivation)):
        steps = tuple(group)
        part = replace(derivation, variable=variable, steps=steps, result=steps[-1])
        checked = verify(part, budget)
        verdicts += [
            matrix_verdict(s.lhs, s.rhs, part, budget) if _about_matrices(s) else s.verdict
            for s in checked.steps
        ]
    result = derivation.result
    if _about_matrices(result):
        verdict = matrix_verdict(result.lhs, result.rhs, derivation, budget)
    else:
        part = replace(derivation, variable=_stage_variable(result, derivation), steps=())
        verdict = verify(part, budget).result.verdict
    return derivation.with_verdicts(verdicts, verdict)


def _stage_variable(step: Step, derivation: Derivation) -> sp.Symbol:
    """The variable a step's stage differentiates in: the last one of its left side."""
    if isinstance(step.lhs, sp.Derivative) and isinstance(step.lhs.variable_count[-1][0], sp.Symbol):
        return step.lhs.variable_count[-1][0]
    return derivation.variable


def _about_matrices(step: Step) -> bool:
    return isinstance(step.lhs, sp.MatrixBase) or isinstance(step.rhs, sp.MatrixBase)


# -- the three derivations -------------------------------------------------------------------
def _partials(
    exprs: Sequence[sp.Expr],
    functions: Sequence[sp.Expr],
    variables: tuple[sp.Symbol, ...],
    names: _SharedNames,
) -> tuple[list[Step], dict[tuple[int, int], sp.Expr]]:
    """Every first partial derivative ∂fᵢ/∂xⱼ as a stage; the steps and the values."""
    steps: list[Step] = []
    values: dict[tuple[int, int], sp.Expr] = {}
    for i, (expr, function) in enumerate(zip(exprs, functions, strict=True)):
        for j, var in enumerate(variables):
            lhs = sp.Derivative(function, var)
            held = _others(variables, var)
            rule = f"partial derivative in {one_line(var)}" + (f": {held}" if held else "")
            first = Step(lhs, sp.Derivative(expr, var), rule)
            stage, values[i, j] = _stage(expr, var, lhs, first, names)
            steps += stage
    return steps, values


def _named(
    readings: Sequence[_Reading], variables: tuple[sp.Symbol, ...]
) -> tuple[list[sp.Expr], list[Definition], _SharedNames]:
    """The functions named, ``f(x, y) := …``, and the shared inner names."""
    exprs = [r.expr for r in readings]
    functions = [f(*variables) for f in _function_name(exprs, len(exprs))]
    definitions = [Definition(f, e, "the function") for f, e in zip(functions, exprs, strict=True)]
    taken = {s.name for e in exprs for s in e.free_symbols} | {v.name for v in variables}
    taken |= {str(a.func) for e in exprs for a in e.atoms(AppliedUndef)} | {str(f.func) for f in functions}
    return functions, definitions, _SharedNames(taken)


def _finish(
    title: str,
    variables: tuple[sp.Symbol, ...],
    definitions: list[Definition],
    names: _SharedNames,
    steps: list[Step],
    result: Step,
    readings: Sequence[_Reading],
    subject: sp.Basic,
    budget: Budget | None,
) -> Derivation:
    derivation = Derivation(
        title=title,
        variable=variables[0],
        definitions=(*definitions, *names.definitions),
        steps=tuple(steps),
        result=result,
        input="; ".join(r.text for r in readings) if any(r.text for r in readings) else "",
        reading=subject,
        note="; ".join(note for r in readings for note in r.notes),
        subject=subject,
    )
    return verify_partials(derivation, budget or DEFAULT_BUDGET)


def _depth(readings: Sequence[_Reading]) -> int:
    return max(expression_depth(r.expr) for r in readings) * 3


def grad(expr: Expression, variables: Variables, budget: Budget | None = None) -> Derivation:
    """The verified gradient of ``expr`` with respect to ``variables``, step by step.

    ``expr`` is text (read by the safe parser: ``x^2 sin(y)``, ``e^(-x y)``) or a SymPy
    expression; ``variables`` is ``"x,y"``, a Symbol or a sequence of names or Symbols. Names
    that are not variables are constants. Each partial derivative ∂f/∂xᵢ is a stage of its own,
    worked out by the rules of :func:`derive.differentiate` with the other variables held
    constant and verified step by step; the result is the column of the partial derivatives,
    ``Matrix([[∂f/∂x], [∂f/∂y]]) = Matrix([[…], […]])``, checked entry by entry.

    Raises :class:`derive.errors.DeriveError` for bad variables (none, a duplicate, a word that
    is not a name, one that does not occur in ``expr``) and for text that cannot be read.
    """
    symbols = variables_from(variables)
    reading = _expression(expr, symbols)
    _matching([reading], symbols)
    with recursion_room(_depth([reading])):
        functions, definitions, names = _named([reading], symbols)
        steps, values = _partials([reading.expr], functions, symbols, names)
        lhs = sp.ImmutableMatrix([[sp.Derivative(functions[0], v)] for v in symbols])
        rhs = sp.ImmutableMatrix([[values[0, j]] for j in range(len(symbols))])
        result = Step(lhs, rhs, "result: the gradient, the partial derivatives above")
        title = f"Gradient of {one_line(reading.expr)}"
        return _finish(title, symbols, definitions, names, steps, result, [reading], reading.expr, budget)


def jacobian(
    exprs: Expression | Sequence[Expression] | sp.MatrixBase,
    variables: Variables,
    budget: Budget | None = None,
) -> Derivation:
    """The verified Jacobian matrix of the functions ``exprs`` with respect to ``variables``.

    ``exprs`` is text with the functions separated by semicolons (``"x y; x + y"``), a sequence
    of texts or SymPy expressions, or a SymPy vector. Entry (i, j) is ∂fᵢ/∂xⱼ, each a stage of its
    own worked out and verified as in :func:`grad`; the result, the m×n matrix, is checked entry
    by entry. The functions are named f, g, h, … (letters the expressions do not use).
    """
    symbols = variables_from(variables)
    items = _functions(exprs)
    if len(items) > MAX_FUNCTIONS:
        raise DeriveError(f"at most {MAX_FUNCTIONS} functions, not {len(items)}")
    readings = [
        _expression(item, symbols, f"the {_ordinal(n)} function" if len(items) > 1 else "")
        for n, item in enumerate(items, 1)
    ]
    _matching(readings, symbols)
    with recursion_room(_depth(readings)):
        functions, definitions, names = _named(readings, symbols)
        steps, values = _partials([r.expr for r in readings], functions, symbols, names)
        lhs = sp.ImmutableMatrix([[sp.Derivative(f, v) for v in symbols] for f in functions])
        rhs = sp.ImmutableMatrix([[values[i, j] for j in range(len(symbols))] for i in range(len(functions))])
        result = Step(lhs, rhs, "result: the Jacobian, the partial derivatives above")
        # the functions as the column they form (a Tuple's LaTeX would read as a product)
        subject = sp.ImmutableMatrix([r.expr for r in readings]) if len(readings) > 1 else readings[0].expr
        title = f"Jacobian of {one_line(subject)}"
        return _finish(title, symbols, definitions, names, steps, result, readings, subject, budget)


def _second(f: sp.Expr, i: int, j: int, symbols: tuple[sp.Symbol, ...]) -> sp.Derivative:
    """∂²f/∂xᵢ∂xⱼ: the derivative in xᵢ of ∂f/∂xⱼ."""
    if i == j:
        return sp.Derivative(f, (symbols[i], 2))
    return sp.Derivative(f, symbols[j], symbols[i])


def hessian(expr: Expression, variables: Variables, budget: Budget | None = None) -> Derivation:
    """The verified Hessian matrix of ``expr`` with respect to ``variables``, step by step.

    First each ∂f/∂xᵢ, as in :func:`grad`; then each second derivative on and above the
    diagonal, ∂²f/∂xᵢ∂xⱼ for i ≤ j, by differentiating ∂f/∂xᵢ again, a stage of its own. An entry
    below the diagonal is not computed again: a step states that the mixed partial derivatives
    are equal (∂²f/∂y∂x = ∂²f/∂x∂y) and the verifier checks that claim, both sides worked out
    independently; the next step takes the value found above. The result, the symmetric n×n
    matrix, is checked entry by entry.
    """
    symbols = variables_from(variables)
    reading = _expression(expr, symbols)
    _matching([reading], symbols)
    n = len(symbols)
    with recursion_room(_depth([reading])):
        functions, definitions, names = _named([reading], symbols)
        f = functions[0]
        steps, first = _partials([reading.expr], functions, symbols, names)
        name = one_line(sp.Symbol(str(f.func)))
        # entry (i, j) is ∂²f/∂xᵢ∂xⱼ, the derivative in xᵢ of ∂f/∂xⱼ (SymPy's Derivative(f, xⱼ, xᵢ)):
        # on and above the diagonal it is worked out, below it it is the entry (j, i) reused
        second: dict[tuple[int, int], sp.Expr] = {}
        for i, j in itertools.combinations_with_replacement(range(n), 2):
            xi, xj = symbols[i], symbols[j]
            held = _others(symbols, xi)
            rule = f"differentiate ∂{name}/∂{one_line(xj)} in {one_line(xi)}" + (f": {held}" if held else "")
            start = Step(_second(f, i, j, symbols), sp.Derivative(first[0, j], xi), rule)
            stage, second[i, j] = _stage(first[0, j], xi, start.lhs, start, names)
            steps += stage
        why = (
            f"The Hessian is symmetric where {name} is twice continuously differentiable (Schwarz's "
            "theorem), so this entry is not differentiated again; the equality is a claim like any "
            "other, checked by working out both sides."
        )
        for i, j in itertools.combinations(range(n), 2):
            lower, upper = _second(f, j, i, symbols), _second(f, i, j, symbols)
            steps.append(Step(lower, upper, "mixed partials are equal: reuse the entry above", why))
            steps.append(Step(lower, second[i, j], "the value found above"))
            second[j, i] = second[i, j]
        lhs = sp.ImmutableMatrix([[_second(f, i, j, symbols) for j in range(n)] for i in range(n)])
        rhs = sp.ImmutableMatrix([[second[i, j] for j in range(n)] for i in range(n)])
        rule = "result: the Hessian, each mixed partial computed once"
        result = Step(lhs, rhs, rule)
        title = f"Hessian of {one_line(reading.expr)}"
        return _finish(title, symbols, definitions, names, steps, result, [reading], reading.expr, budget)


def value_at(derivation: Derivation, at: str) -> Derivation:
    """A gradient, Jacobian or Hessian (from :func:`grad`, :func:`jacobian`, :func:`hessian`)
    with its value at a point as a last verified step: ``at`` gives every variable, ``"x=1,y=2"``.

    The value is each entry's formula at the point. That is the partial derivative there only
    where the formula holds around the point, so a one-line :class:`DeriveError` refuses a point
    where an entry is not a finite real number, and any point of a function with corners or
    jumps (|x|, max, cases), whose formulas can be finite where no derivative exists.
    """
    from .points import _NOT_SMOOTH, decimal, parse_at

    lhs, rhs = derivation.result.lhs, derivation.result.rhs
    if not (isinstance(lhs, sp.MatrixBase) and isinstance(rhs, sp.MatrixBase)):
        raise DeriveError("a value at a point needs a gradient, Jacobian or Hessian as the result")
    variables = next(iter(sorted(lhs.atoms(AppliedUndef), key=sp.default_sort_key))).args
    names = tuple(v.name for v in variables)
    given = parse_at(at, names)
    missing = [name for name in names if name not in given]
    if missing:
        raise DeriveError(f"--at needs a value of every variable; add {', '.join(missing)}")
    point = tuple(given[name] for name in names)
    formulas = [d.rhs for d in derivation.definitions] + list(rhs)
    if any(f.has(*_NOT_SMOOTH) for f in formulas):
        raise DeriveError(
            "a value at a point is not given for functions with corners or jumps (|x|, max, cases)"
        )
    where = ", ".join(f"{name} = {one_line(value)}" for name, value in zip(names, point, strict=True))
    values = rhs.xreplace(dict(zip(variables, point, strict=True))).applyfunc(sp.simplify)
    for value in values:
        if not (value.is_real and value.is_finite):
            raise DeriveError(f"no derivative at {where}: an entry's formula is {one_line(value)} there")
    at_point = lhs.applyfunc(lambda entry: sp.Subs(entry, variables, point))
    decimals = ", ".join(decimal(v) for v in values)
    step = Step(sp.ImmutableMatrix(at_point), sp.ImmutableMatrix(values), f"value at {where} (≈ {decimals})")
    step = replace(step, verdict=matrix_verdict(step.lhs, step.rhs, derivation))
    return replace(derivation, steps=(*derivation.steps, step), result=replace(step, rule="result"))
