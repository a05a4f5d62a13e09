"""Differentiation rules: one small dataclass per rule, chosen by the head of the expression.

Each rule rewrites ``d/dx expr`` one level deep: the sum rule turns ``d/dx (a + b)`` into
``d/dx a + d/dx b``, the chain rule turns ``d/dx sin(x²)`` into ``cos(u) · du/dx`` with the
new name ``u := x²``. Parts still to be differentiated stay as unevaluated ``Derivative``
nodes, which the next rewrite picks up (see :mod:`derive.differentiate`). A rule never has to
be trusted: every step it produces goes through the verifier.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import ClassVar, Protocol

import sympy as sp
from sympy.core.function import AppliedUndef

from .errors import DeriveError
from .sympydiff import Differentiator, defining_class
from .walk import bottom_up, contains


class NoRule(DeriveError):
    """SymPy knows no derivative for a function: ``derive`` says so instead of looping on it."""


class Names(Protocol):
    """Hands out a fresh symbol standing for an inner expression (and records its definition)."""

    def name_for(self, inner: sp.Expr) -> sp.Symbol: ...


def D(expr: sp.Expr, variable: sp.Symbol) -> sp.Expr:
    """``d/dx expr``, unevaluated."""
    return sp.Derivative(expr, variable)


def _product(*factors: sp.Expr) -> sp.Expr:
    """A product kept as written; a single factor stands alone."""
    factors = tuple(f for f in factors if f != 1)
    if not factors:
        return sp.Integer(1)
    return factors[0] if len(factors) == 1 else sp.Mul(*factors, evaluate=False)


def _sum(*terms: sp.Expr) -> sp.Expr:
    return terms[0] if len(terms) == 1 else sp.Add(*terms, evaluate=False)


@dataclass(frozen=True)
class Rule(ABC):
    """A way to differentiate ``expr`` with respect to ``variable``."""

    expr: sp.Expr
    variable: sp.Symbol
    name: ClassVar[str] = ""

    @abstractmethod
    def rewrite(self, names: Names) -> sp.Expr:
        """``d/dx expr`` one level deep; parts left to differentiate stay as ``Derivative``."""

    @property
    def label(self) -> str:
        """The rule's name as shown next to the step."""
        return self.name

    @property
    def why(self) -> str:
        """A sentence for the step when the rule holds only part of the way (jumps, corners)."""
        return ""


# -- leaves: the derivative is known outright ---------------------------------------------------
@dataclass(frozen=True)
class ConstantRule(Rule):
    name: ClassVar[str] = "constant rule"

    def rewrite(self, names: Names) -> sp.Expr:
        return sp.Integer(0)


@dataclass(frozen=True)
class VariableRule(Rule):
    """d/dx x = 1, named with the variable differentiated: d/dw w = 1."""

    def rewrite(self, names: Names) -> sp.Expr:
        return sp.Integer(1)

    @property
    def label(self) -> str:
        from .oneline import one_line

        name = one_line(self.variable)
        return f"d/d{name} {name} = 1"


@dataclass(frozen=True)
class PowerRule(Rule):
    """x^n → n·x^(n−1) for a constant n (integer, negative, rational: roots too)."""

    name: ClassVar[str] = "power rule"

    def rewrite(self, names: Names) -> sp.Expr:
        base, exponent = self.expr.as_base_exp()
        return exponent * base ** (exponent - 1)


@dataclass(frozen=True)
class ExponentialRule(Rule):
    """a^x → a^x·ln a for a constant base (e^x → e^x)."""

    name: ClassVar[str] = "exponential rule"

    def rewrite(self, names: Names) -> sp.Expr:
        base, _ = self.expr.as_base_exp()
        return self.expr if base == sp.E else self.expr * sp.log(base)


@dataclass(frozen=True)
class KnownFunctionRule(Rule):
    """A function of the variable itself whose derivative is in the table: sin x → cos x."""

    def rewrite(self, names: Names) -> sp.Expr:
        return outer_derivative(self.expr, self.variable)

    @property
    def label(self) -> str:
        return function_rule_name(self.expr)

    @property
    def why(self) -> str:
        return jump_sentence(self.expr)


@dataclass(frozen=True)
class UndefinedFunctionRule(Rule):
    """f(x) for an unspecified f: the derivative stays as f'(x)."""

    name: ClassVar[str] = "unspecified function"

    def rewrite(self, names: Names) -> sp.Expr:
        return D(self.expr, self.variable)


@dataclass(frozen=True)
class TableRule(Rule):
    """Anything the named rules do not cover: SymPy's own derivative, shown as such."""

    name: ClassVar[str] = "derivative from SymPy's table"

    def rewrite(self, names: Names) -> sp.Expr:
        return _known(sp.diff(self.expr, self.variable), self.expr)


@dataclass(frozen=True)
class UndefinedFunctionOfSeveralRule(UndefinedFunctionRule):
    """f(x, y) for an unspecified f: SymPy's chain rule over its arguments (∂f/∂x stays)."""

    name: ClassVar[str] = "unspecified function of several arguments"

    def rewrite(self, names: Names) -> sp.Expr:
        return sp.diff(self.expr, self.variable)


@dataclass(frozen=True)
class NeverNegativeAbsRule(Rule):
    """|u| = u where u is never negative for real x (|e^x| = e^x), and |u| = −u where never positive."""

    name: ClassVar[str] = "|u| = u, since u ≥ 0 for real x"

    def rewrite(self, names: Names) -> sp.Expr:
        (argument,) = self.expr.args
        return D(argument if _sign_for_real(argument) > 0 else -argument, self.variable)

    @property
    def label(self) -> str:
        (argument,) = self.expr.args
        return self.name if _sign_for_real(argument) > 0 else "|u| = −u, since u ≤ 0 for real x"


# -- rules that leave parts to differentiate -----------------------------------------------------
@dataclass(frozen=True)
class SumRule(Rule):
    name: ClassVar[str] = "sum rule"

    def rewrite(self, names: Names) -> sp.Expr:
        return _sum(*(D(term, self.variable) for term in self.expr.as_ordered_terms()))


@dataclass(frozen=True)
class ConstantMultipleRule(Rule):
    coefficient: sp.Expr
    rest: sp.Expr
    name: ClassVar[str] = "constant multiple rule"

    def rewrite(self, names: Names) -> sp.Expr:
        return _product(self.coefficient, D(self.rest, self.variable))


@dataclass(frozen=True)
class ProductRule(Rule):
    """(f·g·h)' = f'·g·h + f·g'·h + f·g·h', for any number of factors."""

    factors: tuple[sp.Expr, ...]
    name: ClassVar[str] = "product rule"

    def rewrite(self, names: Names) -> sp.Expr:
        terms = []
        for index in range(len(self.factors)):
            parts = list(self.factors)
            parts[index] = D(parts[index], self.variable)
            terms.append(sp.Mul(*parts, evaluate=False))
        return _sum(*terms)


@dataclass(frozen=True)
class QuotientRule(Rule):
    """(f/g)' = (f'·g − f·g')/g², used only where the expression is written as a quotient."""

    numerator: sp.Expr
    denominator: sp.Expr
    name: ClassVar[str] = "quotient rule"

    def rewrite(self, names: Names) -> sp.Expr:
        f, g, x = self.numerator, self.denominator, self.variable
        top = sp.Add(
            sp.Mul(D(f, x), g, evaluate=False),
            sp.Mul(-1, f, D(g, x), evaluate=False),
            evaluate=False,
        )
        return sp.Mul(top, g**-2, evaluate=False)


# The stand-in for a linear inner function a·x + b while f' is worked out: the same one each time,
# so f(u) and f'(u) are built once and then found in SymPy's cache (a fresh Dummy made them anew).
_AT = sp.Dummy("u")


@dataclass(frozen=True)
class ChainRule(Rule):
    """f(g(x))' = f'(u)·du/dx with a fresh name u := g(x)."""

    inner: sp.Expr
    outer: Rule | None = None  # the rule for f applied to the name, for its label

    def rewrite(self, names: Names) -> sp.Expr:
        slope = _linear_slope(self.inner, self.variable)
        if slope is not None:  # a·x + b needs no name: its derivative is the constant a
            u = _AT  # put back by the inner function below: one stand-in serves every call
            outer = outer_derivative(self.expr.xreplace({self.inner: u}), u)
            if contains(outer, sp.Derivative):
                # f'(3x) is f' at the point 3x, a Subs; one with a bound name of derive's own is
                # equal to SymPy's f'(3x) yet not the same, and SymPy's cache then hands one for the
                # other (d²/dx² f(3x) came out 0 later in the process). Refused until written safely.
                raise NoRule(
                    f"derive cannot yet write f' at a point such as {self.inner} step by step "
                    f"(in {self.expr})"
                )
            at = outer.xreplace({u: self.inner})
            return _product(at, slope)
        u = names.name_for(self.inner)
        return _product(outer_derivative(self.expr.xreplace({self.inner: u}), u), D(u, self.variable))

    @property
    def label(self) -> str:
        return f"chain rule with the {self.outer.label}" if self.outer else "chain rule"

    @property
    def why(self) -> str:
        return jump_sentence(self.expr)


@dataclass(frozen=True)
class LogarithmicRule(Rule):
    """f^g with both depending on x: (f^g)' = f^g·(g·ln f)' (logarithmic differentiation)."""

    name: ClassVar[str] = "logarithmic differentiation"

    def rewrite(self, names: Names) -> sp.Expr:
        base, exponent = self.expr.as_base_exp()
        return _product(self.expr, D(exponent * sp.log(base), self.variable))


@dataclass(frozen=True)
class CasesRule(Rule):
    """A function given by cases is differentiated case by case, inside each open interval.

    Each case of the derivative holds only strictly inside the part of the line where its case
    of the function holds: x ≤ 0 becomes x < 0, and the catch-all "otherwise" becomes the open
    remainder. Where the cases meet, no condition holds, so nothing is claimed there (SymPy
    evaluates the Piecewise to nan): the derivative may not exist at a corner.
    """

    name: ClassVar[str] = "differentiate each case"

    def rewrite(self, names: Names) -> sp.Expr:
        x = self.variable
        cases = []
        earlier: list[sp.Basic] = []
        for expr, condition in self.expr.args:
            inside = sp.And(_interior(condition, x), *(_interior(sp.Not(c), x) for c in earlier))
            earlier.append(condition)
            if inside is not sp.false:
                cases.append((D(expr, x), inside))
        if not cases:
            return sp.nan
        return sp.Piecewise(*cases)

    @property
    def why(self) -> str:
        return (
            "each case is differentiated strictly inside its interval; where the cases meet, none is claimed"
        )


_STRICT = {sp.Ge: sp.Gt, sp.Le: sp.Lt}


def _interior(condition: sp.Basic, x: sp.Symbol) -> sp.Basic:
    """The open part of the set where ``condition`` holds: x ≥ 0 → x > 0, x = 0 → false.

    Conditions that do not involve ``x`` are kept as they are: they do not cut the line.
    """
    if condition in (sp.true, sp.false) or x not in condition.free_symbols:
        return condition
    if isinstance(condition, (sp.And, sp.Or)):
        return condition.func(*(_interior(c, x) for c in condition.args))
    if isinstance(condition, sp.Eq):
        return sp.false
    if type(condition) in _STRICT:
        return _STRICT[type(condition)](condition.lhs, condition.rhs)
    if isinstance(condition, sp.Not):
        pushed = sp.to_nnf(condition)  # Not(a and b) → (not a) or (not b)
        return condition if pushed == condition else _interior(pushed, x)
    return condition


@dataclass(frozen=True)
class RewriteAsCasesRule(Rule):
    """Max, Min and Abs-like functions are first written as cases."""

    name: ClassVar[str] = "write as cases"

    def rewrite(self, names: Names) -> sp.Expr:
        return D(self.expr.rewrite(sp.Piecewise), self.variable)


# -- the table of outer derivatives ---------------------------------------------------------------
_TRIGONOMETRIC = {
    "sin",
    "cos",
    "tan",
    "cot",
    "sec",
    "csc",
    "asin",
    "acos",
    "atan",
    "acot",
    "asec",
    "acsc",
    "sinh",
    "cosh",
    "tanh",
    "coth",
    "sech",
    "csch",
    "asinh",
    "acosh",
    "atanh",
    "acoth",
    "asech",
    "acsch",
}


def function_rule_name(expr: sp.Expr) -> str:
    """``derivative of sin``, ``logarithm rule``, ``known derivative of erf``…"""
    if isinstance(expr, AppliedUndef):
        return "unspecified function"
    name = type(expr).__name__
    if name == "exp":
        return "exponential rule"
    if name == "log":
        return "logarithm rule"
    if name == "Abs":
        return "derivative of |u| = sign(u)"
    if isinstance(expr, _STEP_FUNCTIONS):
        return f"derivative of {name}, between its jumps"
    if name in _TRIGONOMETRIC:
        return f"derivative of {name}"
    return f"known derivative of {name}"


# Step functions: the derivative is 0 between the jumps and does not exist at them. It is written
# as cases whose only condition leaves the jumps out, so that nothing is claimed there (SymPy
# evaluates such a Piecewise to nan where no condition holds) — never as a catch-all 0.
_STEP_FUNCTIONS = (sp.floor, sp.ceiling, sp.frac, sp.sign, sp.Heaviside)


def _jumps(expr: sp.Expr) -> sp.Basic:
    """Where the step function ``expr`` = F(u) is continuous: u not an integer, or u ≠ 0."""
    (argument, *_) = expr.args
    if isinstance(expr, (sp.floor, sp.ceiling, sp.frac)):
        return sp.Ne(sp.frac(argument), 0)
    return sp.Ne(argument, 0)


def jump_sentence(expr: sp.Expr) -> str:
    """Where a step function in ``expr`` (at its head) has no derivative, in words."""
    if not isinstance(expr, _STEP_FUNCTIONS):
        return ""
    argument = expr.args[0]
    name = type(expr).__name__
    where = "is an integer" if isinstance(expr, (sp.floor, sp.ceiling, sp.frac)) else "= 0"
    from .printing import pretty

    return (
        f"{name} is constant between its jumps, so its derivative is "
        f"{'1' if isinstance(expr, sp.frac) else '0'} there; at the jumps, where "
        f"{pretty(argument)} {where}, it has no derivative"
    )


def outer_derivative(expr: sp.Expr, u: sp.Symbol) -> sp.Expr:
    """d/du of ``expr``, a function applied to the symbol ``u`` (or a power of ``u``).

    Variables are real, so ``re(u)`` is ``u`` and ``im(u)`` is 0 (SymPy's complex answer would
    never finish); a function SymPy has no derivative for raises :class:`NoRule`.
    """
    if isinstance(expr, sp.Abs):
        return sp.sign(u)  # over the reals; SymPy's complex derivative of |u| is not what is meant
    if isinstance(expr, _STEP_FUNCTIONS):
        return sp.Piecewise((sp.Integer(1 if isinstance(expr, sp.frac) else 0), _jumps(expr)))
    if isinstance(expr, sp.re):
        return sp.Integer(1)
    if isinstance(expr, sp.im):
        return sp.Integer(0)
    if isinstance(expr, AppliedUndef):
        return D(expr, u)
    return _known(Differentiator().diff(expr, u), expr)  # SymPy's d/du, without its per-node queries


def _known(derivative: sp.Expr, expr: sp.Expr) -> sp.Expr:
    """``derivative`` unless SymPy left it unevaluated, which no later step could change."""
    for node in derivative.atoms(sp.Derivative):
        if not isinstance(node.expr, AppliedUndef):
            name = type(node.expr).__name__
            raise NoRule(f"no rule for the derivative of {name} (in {expr}); derive cannot go on")
    return derivative


def _sign_for_real(expr: sp.Expr) -> int:
    """1 when ``expr`` is never negative for real values of its names, −1 when never positive, else 0."""
    real = expr.xreplace({s: sp.Symbol(s.name, real=True) for s in expr.free_symbols})
    if real.is_nonnegative:
        return 1
    if real.is_nonpositive:
        return -1
    return 0


def _linear_slope(inner: sp.Expr, x: sp.Symbol) -> sp.Expr | None:
    """a for an inner function a·x + b (a, b free of x), else None."""
    if not isinstance(inner, (sp.Add, sp.Mul)) or len(inner.args) > 4:
        return None
    _, rest = inner.as_independent(x, as_Add=True)
    factor, bare = rest.as_independent(x, as_Add=False)
    return factor if bare == x else None


# -- the dispatcher --------------------------------------------------------------------------------
# Whether each part depends on each variable, as far as it has been asked: the dispatcher asks it
# of every inner function, which holds all the levels below it, so on a composition n levels
# deep SymPy's ``free_symbols`` (a walk of the whole part) made the questions cost n² visits.
# Cleared when it grows past _KEPT parts, so that a long session does not keep every expression.
_DEPENDENCE: dict[sp.Symbol, dict[sp.Basic, bool]] = {}
_KEPT = 100_000


def _depends(expr: sp.Expr, x: sp.Symbol) -> bool:
    """``x in expr.free_symbols``, from the parts' answers where free symbols are theirs."""
    known = _DEPENDENCE.get(x)
    if known is None or len(known) > _KEPT:
        if len(_DEPENDENCE) > 16:  # variables of earlier work
            _DEPENDENCE.clear()
        known = _DEPENDENCE[x] = {}
    if expr not in known:
        for node in bottom_up(expr, known):
            if isinstance(node, sp.Symbol):
                known[node] = node == x
            elif defining_class(type(node), "free_symbols") is sp.Basic:
                known[node] = any(known[a] for a in node.args)
            else:
                known[node] = x in node.free_symbols
    return known[expr]


def _is_quotient(expr: sp.Mul, x: sp.Symbol) -> tuple[sp.Expr, sp.Expr] | None:
    """Numerator and denominator when ``expr`` divides by something that depends on ``x``."""
    below = [f for f in expr.args if f.is_Pow and f.exp.is_negative and _depends(f.base, x)]
    if not below:
        return None
    above = [f for f in expr.args if f not in below]
    return sp.Mul(*above), sp.Mul(*(sp.Pow(f.base, -f.exp) for f in below))


def rule_for(expr: sp.Expr, x: sp.Symbol) -> Rule:
    """The rule that differentiates ``expr`` with respect to ``x`` one level deep."""
    if not _depends(expr, x):
        return ConstantRule(expr, x)
    if expr == x:
        return VariableRule(expr, x)
    if isinstance(expr, sp.Add):
        return SumRule(expr, x)
    if isinstance(expr, sp.Mul):
        coefficient, rest = expr.as_independent(x, as_Add=False)
        if coefficient != 1:
            return ConstantMultipleRule(expr, x, coefficient, rest)
        quotient = _is_quotient(expr, x)
        if quotient is not None and _depends(quotient[0], x):
            return QuotientRule(expr, x, *quotient)
        return ProductRule(expr, x, tuple(expr.as_ordered_factors()))
    if isinstance(expr, (sp.Pow, sp.exp)):
        base, exponent = expr.as_base_exp()
        if _depends(base, x) and _depends(exponent, x):
            return LogarithmicRule(expr, x)
        if _depends(base, x):
            return PowerRule(expr, x) if base == x else ChainRule(expr, x, base, PowerRule(base**exponent, x))
        leaf = ExponentialRule(expr, x)
        return leaf if exponent == x else ChainRule(expr, x, exponent, leaf)
    if isinstance(expr, sp.Piecewise):
        return CasesRule(expr, x)
    if isinstance(expr, (sp.Max, sp.Min)):
        return RewriteAsCasesRule(expr, x)
    if isinstance(expr, sp.Abs) and _sign_for_real(expr.args[0]):
        return NeverNegativeAbsRule(expr, x)
    if isinstance(expr, AppliedUndef) and len(expr.args) > 1:
        return UndefinedFunctionOfSeveralRule(expr, x)
    if isinstance(expr, sp.Function) and (len(expr.args) == 1 or isinstance(expr, sp.Heaviside)):
        argument = expr.args[0]
        if isinstance(expr, AppliedUndef):
            leaf: Rule = UndefinedFunctionRule(expr, x)
        else:
            leaf = KnownFunctionRule(expr, x)
        return leaf if argument == x else ChainRule(expr, x, argument, leaf)
    return TableRule(expr, x)
