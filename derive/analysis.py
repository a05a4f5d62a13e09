"""Properties and the vanishing gradient of a one-variable function, as verified claims.

Every value here is computed with SymPy (limits, solve, substitution) and then stated as an
equation that the verifier checks like any other step, so ``derive properties`` and
``derive gradient`` print derivations: the same renderers, formats and verdicts.

Only what holds is claimed. An inverse is stated only for a function shown to be strictly
increasing (its derivative proved positive, case by case for a function given by cases), and
only when the verifier confirms it (for an inverse the catalog states, the verification of the
derivation is that confirmation: a wrong one would show as a claim that failed). At a corner,
where the one-sided derivatives differ, no value of the derivative is tabulated: the two
one-sided slopes are stated instead.

Every budget is counted in work (which equations are handed to ``solve``, and the SymPy objects
``solve`` and ``solveset`` may build, see :mod:`derive.budgets`), so the claims are the same on
any machine; a budget that runs out drops the one property it guards.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import sympy as sp

from .budgets import OutOfWork, work_limit
from .errors import DeriveError
from .interms import isolable
from .model import Definition, Derivation, Kind, Step
from .oneline import one_line

SAMPLE_POINTS = (0, 2, -2, 5, -5, 10, -10)
PARAMETERS = sp.symbols("alpha lambda")  # as the catalog names them
LAYERS = (1, 2, 5, 10)
SOLVE_MAX_OPS = 60  # equations larger than this are not handed to solve
SOLVE_WORK = 300_000  # SymPy objects per call (derive.budgets); never reached on the catalog


def _function(name: str) -> tuple[sp.Expr, sp.Symbol, sp.Expr]:
    from .library import BUILTINS

    x = sp.Symbol("x")
    if name == "sigmoid":
        expr = 1 / (1 + sp.exp(-x))
    elif BUILTINS.get(name, ("",))[0] == "catalog" and name != "softmax":
        from .library.catalog import CATALOG

        expr, variable, _ = CATALOG[name]()
        # ELU's α and SELU's λ are parameters; the logistic loss's y is a second input
        others = sorted(expr.free_symbols - {variable, *PARAMETERS}, key=str)
        if others:
            listed = ", ".join(map(str, others))
            raise DeriveError(f"{name} depends on {listed} besides {variable}; properties need one variable")
        expr = expr.xreplace({variable: x})
    elif name == "softmax":
        raise DeriveError("softmax is a function of several inputs; properties need one variable")
    else:
        raise DeriveError(f"unknown function {name!r}; try sigmoid, tanh, softplus, swish, …")
    f = sp.Function(_short(name))
    return f(x), x, expr


def _short(name: str) -> str:
    """The function's name in formulas: σ for the sigmoid, f for the others (a name such as tanh
    would be read back as SymPy's own function)."""
    return "sigma" if name == "sigmoid" else "f"


def _real(x: sp.Symbol) -> sp.Symbol:
    """``derive`` does calculus over the reals: d|x|/dx is sign(x), not an expression in re and im."""
    return sp.Symbol(x.name, real=True)


def _diff(expr: sp.Expr, x: sp.Symbol, order: int = 1) -> sp.Expr:
    real = _real(x)
    return sp.diff(expr.xreplace({x: real}), real, order).xreplace({real: x})


def _solve(equation: sp.Eq, x: sp.Symbol) -> list[sp.Expr]:
    """Real solutions, asked of ``solve`` only for an equation it finishes on quickly: small, with
    x entering through one chain of functions (see :func:`derive.interms.isolable`)."""
    difference = equation.lhs - equation.rhs
    if sp.count_ops(difference) > SOLVE_MAX_OPS or not isolable(difference, x):
        return []
    try:
        with work_limit(SOLVE_WORK):
            solutions = sp.solve(equation, x)
    except (OutOfWork, NotImplementedError, ValueError, TypeError):
        return []
    return [s for s in solutions if s.is_real is not False]


@dataclass(frozen=True)
class Corner:
    """A point where a function given by cases has different one-sided derivatives.

    ``left`` and ``right`` are the derivatives of the cases that hold on either side, evaluated
    at the point; ``agree_when`` lists the parameter values for which they are equal after all
    (ELU's α = 1), empty when they never are.
    """

    point: sp.Expr
    left_case: sp.Expr
    left: sp.Expr
    right_case: sp.Expr
    right: sp.Expr
    agree_when: tuple[dict[sp.Symbol, sp.Expr], ...]

    def differ(self, variable: sp.Symbol) -> str:
        """Why there is no derivative here, in words: "…differ unless α = 1, so …"."""
        unless = " or ".join(
            ", ".join(f"{sp.pretty(k, use_unicode=True)} = {one_line(v)}" for k, v in _sorted(case))
            for case in self.agree_when
        )
        differ = f"differ unless {unless}" if unless else "differ"
        return (
            f"the one-sided derivatives at {variable} = {self.point} {differ}, "
            f"so there is no derivative at {variable} = {self.point}"
        )


def _sorted(case: dict[sp.Symbol, sp.Expr]) -> list[tuple[sp.Symbol, sp.Expr]]:
    return sorted(case.items(), key=lambda item: str(item[0]))


def as_cases(function: sp.Expr, x: sp.Symbol) -> sp.Piecewise | None:
    """The function as one set of cases (Max, Min and |u| written out), or None if it has none."""
    real = _real(x)  # |x| is written out only for a real x
    folded = sp.piecewise_fold(function.xreplace({x: real}).rewrite(sp.Piecewise)).xreplace({real: x})
    return folded if isinstance(folded, sp.Piecewise) else None


def corners(function: sp.Expr, x: sp.Symbol) -> list[Corner]:
    """The points where the cases of ``function`` meet and the one-sided derivatives differ."""
    pieces = as_cases(function, x)
    if pieces is None:
        return []
    points = sorted({b for _, c in pieces.args for b in _boundaries(c, x)}, key=sp.default_sort_key)
    found = []
    parameters = sorted(function.free_symbols - {x}, key=str)
    for point in points:
        left_case, right_case = (_case_beside(pieces, x, point, side) for side in (-1, 1))
        left, right = (sp.diff(case, x).subs(x, point) for case in (left_case, right_case))
        gap = sp.simplify(left - right)
        if gap == 0:
            continue
        agree = sp.solve(gap, parameters, dict=True) if parameters else []
        found.append(Corner(point, left_case, left, right_case, right, tuple(agree)))
    return found


def _boundaries(condition: sp.Basic, x: sp.Symbol) -> list[sp.Expr]:
    if isinstance(condition, sp.core.relational.Relational):
        return [s for s in sp.solve(sp.Eq(condition.lhs, condition.rhs), x) if s.is_real]
    return [b for arg in getattr(condition, "args", ()) for b in _boundaries(arg, x)]


def _case_beside(pieces: sp.Piecewise, x: sp.Symbol, point: sp.Expr, side: int) -> sp.Expr:
    """The case that holds just beside ``point`` (each case is smooth there, so its derivative at
    the point is the one-sided derivative; this avoids limits of piecewise expressions, which
    SymPy does not always get right)."""
    beside = point + side * sp.Rational(1, 10**6)
    for expr, condition in pieces.args:
        if condition.subs(x, beside) is sp.true:
            return expr
    raise ValueError(f"no case holds beside {point}")


def as_set(condition: sp.Basic, x: sp.Symbol) -> sp.Set:
    """The real ``x`` where ``condition`` holds: ``condition.as_set()``, built directly from
    intervals when every comparison in it is linear in x with numeric coefficients (x > 0,
    x/100 ≥ x, x ≠ 0), the case of functions given by cases such as ReLU. SymPy's own route
    solves each comparison as a general inequality, which costs a tenth of a second apiece."""
    found = _linear_set(condition, x)
    return condition.as_set() if found is None else found


def _linear_set(condition: sp.Basic, x: sp.Symbol) -> sp.Set | None:
    if isinstance(condition, sp.logic.boolalg.BooleanAtom):
        return condition.as_set()
    if isinstance(condition, (sp.And, sp.Or)):
        parts = [_linear_set(arg, x) for arg in condition.args]
        if any(part is None for part in parts):
            return None
        return sp.Intersection(*parts) if isinstance(condition, sp.And) else sp.Union(*parts)
    if isinstance(condition, sp.Not):
        inside = _linear_set(condition.args[0], x)
        return None if inside is None else sp.Complement(sp.S.Reals, inside)
    if not isinstance(condition, (sp.Lt, sp.Le, sp.Gt, sp.Ge, sp.Eq, sp.Ne)):
        return None
    difference = condition.lhs - condition.rhs  # the comparison is difference ⋚ 0
    if difference.free_symbols != {x}:
        return None
    poly = difference.as_poly(x)
    if poly is None or poly.degree() != 1:
        return None
    slope, offset = poly.all_coeffs()
    if not (slope.is_Rational and offset.is_Rational):
        return None
    root = -offset / slope
    if isinstance(condition, sp.Eq):
        return sp.FiniteSet(root)
    if isinstance(condition, sp.Ne):
        return sp.Union(sp.Interval.open(-sp.oo, root), sp.Interval.open(root, sp.oo))
    above = isinstance(condition, (sp.Gt, sp.Ge)) == (slope > 0)  # x above the root
    strict = isinstance(condition, (sp.Gt, sp.Lt))
    if above:
        return sp.Interval(root, sp.oo, left_open=strict)
    return sp.Interval(-sp.oo, root, right_open=strict)


def without_corners(expr: sp.Expr, x: sp.Symbol, points: list[sp.Expr]) -> sp.Expr:
    """``expr`` with every set of cases outside a derivative restricted to strict conditions that
    leave ``points`` out: (0 for x ≤ 0, 1 otherwise) becomes (0 for x < 0, 1 for x > 0), which
    states nothing at x = 0."""
    if not points:
        return expr
    if isinstance(expr, sp.Piecewise):
        return _strict(expr, x, points)
    if isinstance(expr, sp.Derivative) or not expr.args:
        return expr
    args = tuple(without_corners(a, x, points) for a in expr.args)
    return expr if args == expr.args else expr.func(*args)


def _strict(pieces: sp.Piecewise, x: sp.Symbol, points: list[sp.Expr]) -> sp.Piecewise:
    real = _real(x)
    taken: sp.Basic = sp.false
    cases = []
    for value, condition in pieces.args:
        alone = sp.And(condition.xreplace({x: real}), sp.Not(taken), *(sp.Ne(real, p) for p in points))
        taken = sp.Or(taken, condition.xreplace({x: real}))
        where = as_set(alone, real).as_relational(real).xreplace({real: x})
        if where is not sp.false:
            cases.append((value, where))
    return sp.Piecewise(*cases)


def properties(name: str) -> Derivation:
    """Limits at ±∞ (the range), the value at 0, symmetry, monotonicity, the largest slope,
    the inflection point and, for a strictly increasing function, the inverse."""
    fx, x, expr = _function(name)
    f = fx.func
    d1 = _diff(expr, x)
    d2 = _diff(expr, x, 2)
    steps: list[Step] = []
    for end in (sp.oo, -sp.oo):
        where, value = _limit(expr, x, end)
        claim = sp.Limit(fx if where is None else where[0], x, end)
        why = "the range lies between the limits"
        if where is not None:
            why += f"; there f(x) = {one_line(where[0])} (the case {one_line(where[1])})"
        steps.append(Step(claim, value, f"limit at {one_line(end)}", why))
    steps.append(Step(f(0), expr.subs(x, 0), "value at 0"))
    mirror = sp.simplify(expr.subs(x, -x) + expr)
    if x not in mirror.free_symbols:
        steps.append(Step(f(-x), mirror - fx, "symmetry", "f(−x) + f(x) is constant"))
    elif x not in sp.simplify(expr.subs(x, -x) - expr).free_symbols:
        steps.append(Step(f(-x), fx, "symmetry (even)"))
    if name == "sigmoid":
        steps.append(Step(fx, (1 + sp.tanh(x / 2)) / 2, "relation to tanh"))
    increasing = _increasing(expr, x)
    if increasing:
        steps.append(
            Step(
                sp.sign(sp.Derivative(fx, x)),
                1,
                "increasing",
                "the derivative is positive for every x" + (" where it exists" if corners(expr, x) else ""),
            )
        )
    for point in _solve(sp.Eq(d2, 0), x)[:2]:
        steps.append(
            Step(
                sp.Subs(sp.Derivative(fx, (x, 2)), x, point),
                0,
                "inflection point",
                "the second derivative vanishes: the slope is largest (or smallest) here",
            )
        )
        steps.append(
            Step(sp.Subs(sp.Derivative(fx, x), x, point), sp.simplify(d1.subs(x, point)), "largest slope")
        )
    if increasing:
        steps += _inverse(fx, x, expr, _stated_inverse(name))
    return Derivation(
        f"Properties of {name}",
        x,
        (Definition(fx, expr, name),),
        tuple(steps),
        replace(steps[-1], rule="result"),
    )


def _increasing(expr: sp.Expr, x: sp.Symbol) -> bool:
    """Whether the function is shown strictly increasing: its derivative proved positive, or for
    a function given by cases, each case's derivative positive where the case holds and no jump
    where the cases meet."""
    pieces = as_cases(expr, x)
    if pieces is None:
        return _positive_on(_diff(expr, x), x, sp.S.Reals)
    real = _real(x)
    taken: sp.Basic = sp.false
    for value, condition in pieces.args:
        where = as_set(sp.And(condition.xreplace({x: real}), sp.Not(taken)), real)
        taken = sp.Or(taken, condition.xreplace({x: real}))
        if where is not sp.S.EmptySet and not _positive_on(_diff(value, x), x, where):
            return False
    points = {b for _, c in pieces.args for b in _boundaries(c, x)}
    return all(
        sp.simplify(_case_beside(pieces, x, p, -1).subs(x, p) - _case_beside(pieces, x, p, 1).subs(x, p)) == 0
        for p in points
    )


def _positive_on(derivative: sp.Expr, x: sp.Symbol, where: sp.Set) -> bool:
    real = _real(x)
    value = derivative.xreplace({x: real})
    try:
        with work_limit(SOLVE_WORK):
            # SymPy's assumptions often prove it at once (e^(−x)/(1 + e^(−x))²); simplify only
            # when they cannot
            if where == sp.S.Reals and (value.is_positive or sp.simplify(value).is_positive):
                return True
            # a rational function: solve the inequality (no such promise for transcendental ones)
            if value.is_rational_function(real):
                return sp.solveset(value <= 0, real, where) is sp.S.EmptySet
    except (OutOfWork, NotImplementedError, ValueError, TypeError):
        return False
    return False


def _stated_inverse(name: str) -> sp.Expr | None:
    """The inverse the catalog states for ``name`` (see :data:`derive.library.catalog.INVERSES`)."""
    from .library.catalog import INVERSES

    return INVERSES[name]() if name in INVERSES else None


def _inverse(fx: sp.Expr, x: sp.Symbol, expr: sp.Expr, stated: sp.Expr | None = None) -> list[Step]:
    """f(g(y)) = y for the inverse g of an increasing function, when one is found and verified.

    A function given by cases is inverted case by case: the inverse of the case that holds for
    x, where that x lies in the case's own region. A ``stated`` inverse (the catalog's, which
    the tests require to be what the search finds) replaces the search; it must still undo f
    at the sample points, and its claim is left to the verifier, which proves every claim
    shown: proving it here too would prove the same claim twice.
    """
    from .verify import check_equation

    y = sp.Symbol("y")
    pieces = as_cases(expr, x)
    if stated is not None:
        candidates = [stated]
    elif pieces is None:
        candidates = _solve(sp.Eq(y, expr), x)
    else:
        cases = []
        taken: sp.Basic = sp.false
        for value, condition in pieces.args:
            solutions = _solve(sp.Eq(y, value), x)
            if len(solutions) != 1:
                return []
            alone = sp.And(condition, sp.Not(taken))  # where this case is the one that holds
            taken = sp.Or(taken, condition)
            cases.append((solutions[0], _simpler(alone.xreplace({x: solutions[0]}), y)))
        candidates = [sp.Piecewise(*cases)]
    definition = (Definition(fx, expr),)
    # g(f(t)) = t at a few points picks the real branch: both branches of tanh's inverse pass
    # f(g(y)) = y, but log(−√((1 + y)/(1 − y))) is never real
    undoes = [g for g in candidates if all(_undoes(g, y, expr, x, t) for t in (-1, 0, sp.Rational(1, 2), 1))]
    verified = (
        undoes
        if stated is not None
        else [g for g in undoes if check_equation(fx.func(g), y, definition, x).ok]
    )
    if len(verified) != 1:
        return []
    (g,) = verified
    return [
        Step(
            fx.func(g),
            y,
            "inverse",
            f"x = {one_line(g)} undoes {one_line(sp.Symbol(fx.func.__name__))}: f is strictly increasing",
        )
    ]


def _undoes(inverse: sp.Expr, y: sp.Symbol, expr: sp.Expr, x: sp.Symbol, t: sp.Expr) -> bool:
    value = sp.N(inverse.subs(y, expr.subs(x, t)), 30)
    return value.is_real is True and abs(value - t) < sp.Float("1e-20")


def _simpler(condition: sp.Basic, y: sp.Symbol) -> sp.Basic:
    """y ≥ y/100 as y ≥ 0: the condition as the set of real y it describes."""
    real = _real(y)
    try:
        return as_set(condition.xreplace({y: real}), real).as_relational(real).xreplace({real: y})
    except (NotImplementedError, TypeError, ValueError):
        return condition


def _limit(expr: sp.Expr, x: sp.Symbol, end: sp.Expr) -> tuple[tuple[sp.Expr, sp.Basic] | None, sp.Expr]:
    """The limit at ±∞, and for a function given by cases the case that holds there with its
    condition: the limit is stated for that case (SymPy's limit of cases cannot compare a
    condition with ∞ when a parameter such as ELU's α is in it)."""
    pieces = as_cases(expr, x)
    if pieces is None:
        return None, sp.limit(expr, x, end)
    far = sp.Integer(10) ** 9 * sp.sign(end)
    real = _real(x)
    taken: sp.Basic = sp.false
    for value, condition in pieces.args:
        alone = sp.And(condition, sp.Not(taken))  # where this case is the one that holds
        taken = sp.Or(taken, condition)
        if condition.subs(x, far) is sp.true:
            where = as_set(alone.xreplace({x: real}), real).as_relational(real).xreplace({real: x})
            return (value, where), sp.limit(value, x, end)
    raise ValueError(f"no case holds near {end}")


def _decimal(value: sp.Expr) -> str:
    return f"{float(sp.N(value, 15)):.6g}".replace("-", "−")


def _about(value: sp.Expr) -> str:
    """ " ≈ 0.5" for a number; nothing for a value with a parameter in it (ELU's α)."""
    return f" ≈ {_decimal(value)}" if value.is_number else ""


def gradient(name: str, threshold: sp.Expr | float | str | None = None) -> Derivation:
    """Where the derivative is at least ``threshold`` (in closed form), its values at a few points
    (the two one-sided slopes at a corner, where it has none), and the bound on the gradient
    through n stacked layers."""
    fx, x, expr = _function(name)
    if threshold is None:
        threshold = sp.Rational(1, 100)
    try:
        epsilon = threshold if isinstance(threshold, sp.Basic) else sp.Rational(str(threshold))
    except (TypeError, ValueError):
        raise DeriveError(f"the threshold must be a number, not {threshold!r}") from None
    if not (epsilon > 0):
        raise DeriveError("the threshold must be positive")
    d1 = _diff(expr, x)
    derivative = sp.Derivative(fx, x)
    steps: list[Step] = []
    ends = sorted((sp.simplify(p) for p in _solve(sp.Eq(d1, epsilon), x)), key=lambda p: sp.N(p))
    title = f"Vanishing gradient of {name}"
    if len(ends) == 2:
        low, high = _decimal(ends[0]), _decimal(ends[1])
        title += f": the derivative is at least {epsilon} exactly for {low} ≤ x ≤ {high}"
    for end in ends:
        steps.append(
            Step(
                sp.Subs(derivative, x, end),
                epsilon,
                f"derivative = threshold at x ≈ {_decimal(end)}",
                kind=Kind.THRESHOLD,
            )
        )
    at_corners = {c.point: c for c in corners(expr, x)}
    # an even derivative (tanh's) has the same value at ±x: each distinct value is simplified once
    simplified: dict[sp.Expr, sp.Expr] = {}
    for point in SAMPLE_POINTS:
        corner = at_corners.get(point)
        if corner is not None:
            why = corner.differ(x)
            for case, value, side in (
                (corner.left_case, corner.left, "left"),
                (corner.right_case, corner.right, "right"),
            ):
                steps.append(
                    Step(
                        # the case that holds on that side, differentiated at the corner: a claim
                        # the verifier decides without limits of cases
                        sp.Subs(sp.Derivative(case, x), x, point),
                        value,
                        f"no derivative at x = {one_line(point)}: slope {one_line(value)} from the {side}",
                        why,
                    )
                )
            continue
        at = d1.subs(x, point)
        if at not in simplified:
            simplified[at] = sp.simplify(at)
        value = simplified[at]
        steps.append(Step(sp.Subs(derivative, x, point), value, f"value of the derivative{_about(value)}"))
    peaks = [sp.simplify(d1.subs(x, p)) for p in _solve(sp.Eq(_diff(expr, x, 2), 0), x)]
    if peaks:
        peak = max(peaks, key=lambda v: sp.N(v))
        for layers in LAYERS:
            steps.append(
                Step(
                    sp.Pow(peak, layers, evaluate=False),
                    peak**layers,
                    f"bound through {layers} stacked layers{_about(peak**layers)}",
                    "a product of derivatives is at most the largest slope to that power",
                )
            )
    if not steps:
        raise DeriveError(f"nothing to say about the gradient of {name}")
    return Derivation(title, x, (Definition(fx, expr, name),), tuple(steps), replace(steps[0], rule="result"))
