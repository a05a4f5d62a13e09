"""SymPy's own d/dx and ``doit``, computed bottom-up with a memo: the same expressions, faster.

Verification differentiates the same parts many times: each step of a derivation still holds
derivatives of the same terms, and the direct checks differentiate the whole expression again.
``sp.diff(e, x)`` builds ``Derivative(e, x, evaluate=True)``, which applies ``e``'s own rule
(``_eval_derivative``); the rule differentiates the arguments through ``sp.diff`` again, and
every one of those calls asks ``is_zero`` of its result (an assumption query on a new
expression, most of the time of ``sp.diff`` on a long sum) only to return that same result
early, then walks it once more to put its derivatives in canonical order.

:class:`Differentiator` applies the rules of SymPy's core classes (sums, products, powers,
functions through ``fdiff``, cases, ``|·|`` and ``sign`` of real arguments) with SymPy's own
formulas and constructors, each distinct part once, so its result is the very expression
``sp.diff`` gives (the tests compare them on many expressions). Whatever it does not mirror
(a derivative with several variables inside, ``Subs``, a complex ``|·|``, matrices, any other
class) is handed to SymPy whole, so nothing is ever computed by a rule SymPy would not use.
"""

from __future__ import annotations

import functools

import sympy as sp
from sympy.core.function import ArgumentIndexError
from sympy.core.operations import AssocOp

_Hints = tuple[tuple[str, object], ...]


@functools.cache
def defining_class(cls: type, attribute: str) -> type | None:
    """The class in ``cls``'s method resolution order that defines ``attribute``: where it is
    :class:`sympy.Basic` itself, the class answers as every expression does (from its args)."""
    return next((k for k in cls.__mro__ if attribute in k.__dict__), None)


class Differentiator:
    """``sp.diff(expr, s)`` (first order, ``s`` a symbol) and ``expr.doit()``, remembered per part.

    One instance serves one derivation: every check of it shares what was differentiated.
    """

    def __init__(self) -> None:
        self.derivatives: dict[tuple[sp.Basic, sp.Symbol], sp.Basic] = {}
        self.depends: dict[tuple[sp.Basic, sp.Symbol], bool] = {}
        self.done: dict[tuple[sp.Basic, _Hints], sp.Basic] = {}
        self.plain: dict[sp.Basic, bool] = {}

    # -- d/ds ----------------------------------------------------------------------------
    def diff(self, expr: sp.Basic, s: sp.Symbol) -> sp.Basic:
        """The expression ``sp.diff(expr, s)`` returns."""
        key = (expr, s)
        found = self.derivatives.get(key)
        if found is None:
            found = self.derivatives[key] = self._derivative(expr, s)
        return found

    def _depends(self, expr: sp.Basic, s: sp.Symbol) -> bool:
        """``s in expr.free_symbols``, from the parts' answers where free symbols are theirs."""
        key = (expr, s)
        found = self.depends.get(key)
        if found is None:
            if isinstance(expr, sp.Symbol):
                found = expr == s
            elif defining_class(type(expr), "free_symbols") is sp.Basic:
                found = any(self._depends(a, s) for a in expr.args)
            else:
                found = s in expr.free_symbols
            self.depends[key] = found
        return found

    def _plain(self, expr: sp.Basic) -> bool:
        """No derivative in ``expr`` that SymPy would put in another order (several variables):
        ``Derivative`` puts every derivative in its result in canonical order, which changes
        only those."""
        found = self.plain.get(expr)
        if found is None:
            if isinstance(expr, sp.Derivative) and len(expr.variable_count) > 1:
                found = False
            else:
                found = all(self._plain(a) for a in expr.args)
            self.plain[expr] = found
        return found

    def _derivative(self, expr: sp.Basic, s: sp.Symbol) -> sp.Basic:
        if not isinstance(s, sp.Symbol) or not isinstance(expr, sp.Expr):
            return sp.diff(expr, s)
        if not self._depends(expr, s):
            return sp.S.Zero  # Derivative's quick exit
        if isinstance(expr, sp.Symbol):
            return sp.S.One  # expr is s
        if not expr.is_commutative or not self._plain(expr):
            return sp.diff(expr, s)
        cls = type(expr)
        if cls is sp.Add:
            return sp.Add(*[self.diff(a, s) for a in expr.args])
        if cls is sp.Mul:
            return self._product(expr, s)
        if cls is sp.Pow:
            base, exp = expr.args
            dbase, dexp = self.diff(base, s), self.diff(exp, s)
            return expr * (dexp * sp.log(base) + dbase * exp / base)
        rule = defining_class(cls, "_eval_derivative")
        if rule is sp.Function:
            return self._chain(expr, s)
        if rule is sp.Piecewise:
            return expr.func(*[(self.diff(e, s), c) for e, c in expr.args])
        if rule is sp.Abs and expr.args[0].is_extended_real:
            return self.diff(expr.args[0], s) * sp.sign(sp.conjugate(expr.args[0]))
        if rule is sp.sign and expr.args[0].is_extended_real:
            return 2 * self.diff(expr.args[0], s) * sp.DiracDelta(expr.args[0])
        return sp.diff(expr, s)

    def _product(self, expr: sp.Mul, s: sp.Symbol) -> sp.Basic:
        """The Leibniz rule as ``Mul._eval_derivative_n_times`` writes it for a first derivative."""
        args = expr.args
        terms = []
        for i in range(len(args)):
            factors = [self.diff(a, s) if j == i else a for j, a in enumerate(args)]
            terms.append(1 * sp.Mul(*factors))
        return sp.Add(*terms)

    def _chain(self, expr: sp.Function, s: sp.Symbol) -> sp.Basic:
        """The chain rule as ``Function._eval_derivative`` writes it."""
        terms = []
        for i, a in enumerate(expr.args, start=1):
            da = self.diff(a, s)
            if da.is_zero:
                continue
            try:
                df = expr.fdiff(i)
            except ArgumentIndexError:
                df = sp.Function.fdiff(expr, i)
            terms.append(df * da)
        return sp.Add(*terms)

    # -- doit ----------------------------------------------------------------------------
    def doit(self, expr: sp.Basic, **hints: object) -> sp.Basic:
        """The expression ``expr.doit(**hints)`` returns (``deep`` is not supported)."""
        key = (expr, tuple(sorted(hints.items())))
        found = self.done.get(key)
        if found is None:
            found = self.done[key] = self._doit(expr, hints)
        return found

    def _doit(self, expr: sp.Basic, hints: dict[str, object]) -> sp.Basic:
        if "deep" in hints:
            return expr.doit(**hints)
        owner = defining_class(type(expr), "doit")
        if owner is sp.Atom:
            return expr
        if owner is sp.Basic:
            return expr.func(*[self.doit(a, **hints) for a in expr.args])
        if owner is AssocOp:
            return expr.func(*[self.doit(a, **hints) for a in expr.args], evaluate=True)
        if owner is sp.Derivative:
            return self._carry_out(expr, hints)
        return expr.doit(**hints)

    def _carry_out(self, derivative: sp.Derivative, hints: dict[str, object]) -> sp.Basic:
        """``Derivative.doit``: the inner expression done, then differentiated."""
        inner = self.doit(derivative.expr, **hints)
        hints = {**hints, "evaluate": True}
        ((variable, count), *more) = derivative.variable_count
        if not more and count == 1 and isinstance(variable, sp.Symbol):
            result = self.diff(inner, variable)
        else:
            result = derivative.func(inner, *derivative.variable_count, **hints)
        if result != derivative and result.has(sp.Derivative):
            result = self.doit(result, **hints)
        return result
