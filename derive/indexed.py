"""Claims about indexed quantities, checked by instantiating them at small sizes.

``\\frac{\\partial a_j}{\\partial z_i} = a_j(\\delta_{ij} - a_i)`` is a claim about every size n
of the vector z and every pair of indices i, j. SymPy cannot decide such a claim symbolically
in general, but each concrete case is an ordinary equation between expressions in z_1 … z_n.
:func:`instances` lists those cases for n = 1 … 4 and every value of the free indices; a
claim holds as far as this evidence goes when every instance holds, and one failing instance
refutes it (its description says where: ``n = 3, i = 2, j = 1``).

Conventions (those of the LaTeX reader): an index is an integer symbol (i, j, k, l, m) that
appears in an ``Indexed`` name, a ``KroneckerDelta`` or the arguments of an indexed function
(``a(j)`` for a document's ``a_j = …``); the size is a symbol in the bounds of a ``Sum`` or
``Product`` (``n``), or one the caller names. In an instance every ``Indexed`` element becomes a
plain symbol named as the reader names ``z_1`` (``z[2]`` → ``z_2``, ``x[1, 2]`` → ``x_12``), every
finite sum and product is written out, and every Kronecker delta is 0 or 1.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Iterable
from dataclasses import dataclass

import sympy as sp
from sympy.core.function import AppliedUndef

from .model import Definition
from .walk import atoms

SIZES = (1, 2, 3, 4)
MAX_INSTANCES = 400  # more than this (five free indices, say) is refused, not enumerated


@dataclass(frozen=True)
class Instance:
    """One concrete case of an indexed claim.

    ``lhs`` and ``rhs`` contain no sums with symbolic bounds, no free index and no ``Indexed``
    element; ``substitution`` is what was put in (size and index values), so that the same
    case can be made of the derivation's definitions with :func:`concrete`.
    """

    lhs: sp.Basic
    rhs: sp.Basic
    substitution: tuple[tuple[sp.Symbol, int], ...]
    description: str  # "n = 3, i = 2, j = 1"
    condition: sp.Basic | None = None  # the claim's condition in this case (z_1 > 0), if it has one


def is_indexed(*exprs: sp.Basic | None) -> bool:
    """True when any expression has a sum, a product, an indexed name or a Kronecker delta."""
    kinds = (sp.Sum, sp.Product, sp.Indexed, sp.KroneckerDelta)
    return any(isinstance(e, sp.Basic) and e.has(*kinds) for e in exprs)


def sizes_of(*exprs: sp.Basic | None) -> list[sp.Symbol]:
    """The symbols that bound a sum or a product (the sizes ``n``), in name order."""
    found: set[sp.Symbol] = set()
    for expr in exprs:
        if expr is None:
            continue
        for node in expr.atoms(sp.Sum, sp.Product):
            for _, lower, upper in node.limits:
                found |= {s for s in (lower.free_symbols | upper.free_symbols) if isinstance(s, sp.Symbol)}
    return sorted(found, key=lambda s: s.name)


def free_indices(*exprs: sp.Basic | None, sizes: Iterable[sp.Symbol] = ()) -> list[sp.Symbol]:
    """The free index symbols of the expressions (not summed over, not a size), in name order."""
    excluded = set(sizes)
    found: set[sp.Symbol] = set()
    for expr in exprs:
        if expr is None:
            continue
        candidates: set[sp.Basic] = set()
        for node in expr.atoms(sp.Indexed):
            for index in node.indices:
                candidates |= index.free_symbols
        for node in expr.atoms(sp.KroneckerDelta):
            candidates |= node.free_symbols
        for node in expr.atoms(AppliedUndef):
            candidates |= {a for a in node.args if isinstance(a, sp.Symbol) and a.is_integer}
        candidates |= {s for s in expr.free_symbols if isinstance(s, sp.Symbol) and s.is_integer}
        bound = {v for node in expr.atoms(sp.Sum, sp.Product) for v in node.variables}
        found |= {s for s in candidates if isinstance(s, sp.Symbol)} - bound
    return sorted(found - excluded, key=lambda s: s.name)


def indexed_functions(definitions: Iterable[Definition]) -> frozenset[str]:
    """Names defined as functions of indices (``a(j)`` for ``a_j = …``): their values at index
    values are the names ``a_1``, ``a_2``, … of an instance."""
    return frozenset(
        d.lhs.func.__name__
        for d in definitions
        if isinstance(d.lhs, AppliedUndef) and all(a.is_integer for a in d.lhs.args)
    )


def _put_in(expr: sp.Basic, values: dict[sp.Symbol, sp.Basic]) -> sp.Basic:
    """``expr`` with the free occurrences of ``values``' symbols replaced: a sum's own index
    stays bound (p_k = e^(z_k)/Σ_k e^(z_k) at k = 1 keeps the sum over k)."""
    if not expr.has(*values):  # not free_symbols: a derivative by z[i] does not list i there
        return expr
    if isinstance(expr, (sp.Sum, sp.Product)):
        bound = {limit[0] for limit in expr.limits}
        inside = {symbol: value for symbol, value in values.items() if symbol not in bound}
        limits = [(v, _put_in(low, values), _put_in(high, values)) for v, low, high in expr.limits]
        return expr.func(_put_in(expr.function, inside), *limits)
    if not expr.args:
        return values.get(expr, expr)  # type: ignore[call-overload]
    return expr.func(*(_put_in(argument, values) for argument in expr.args))


def concrete(
    expr: sp.Basic, substitution: Iterable[tuple[sp.Symbol, int]], functions: Iterable[str] = ()
) -> sp.Basic:
    """``expr`` with the size and indices put in, sums written out and ``z[2]`` as ``z_2``;
    the functions named in ``functions`` at index values become names too (``a(2)`` → ``a_2``).

    Derivatives are kept (unevaluated) but now taken by plain symbols, so the verifier can
    evaluate them as it does any other derivative.
    """
    # only the symbols that occur in expr change it: the cases of one size share the result. A
    # letter is one quantity wherever it stands: the n of n(n + 1)/2 is the bound of Σ_{k=1}^{n}
    # even where the reader gave the bound, an integer, other assumptions than the plain n
    values = {symbol.name: value for symbol, value in substitution}
    present = sorted(atoms(expr, sp.Symbol), key=sp.default_sort_key)
    relevant = tuple((symbol, values[symbol.name]) for symbol in present if symbol.name in values)
    # an element the reader kept as one name, z_n (n is no index letter), is z_4 at n = 4
    named = {}
    for symbol in present:
        base, _, suffix = symbol.name.rpartition("_")
        if base and suffix and symbol.name not in values and all(letter in values for letter in suffix):
            named[symbol] = sp.Symbol(f"{base}_{''.join(str(values[letter]) for letter in suffix)}")
    return _concrete(expr.xreplace(named) if named else expr, relevant, frozenset(functions))


@functools.lru_cache(maxsize=2048)
def _concrete(
    expr: sp.Basic, substitution: tuple[tuple[sp.Symbol, int], ...], functions: frozenset[str]
) -> sp.Basic:
    """:func:`concrete` for the part of the substitution that occurs in ``expr``, made once per
    exact input: every case of a claim makes the derivation's definitions concrete again, and
    writing out their sums is most of that work."""
    values = {symbol: sp.Integer(value) for symbol, value in substitution}
    result = _put_in(expr, values)
    # finite sums and products, innermost first, without evaluating what is inside them
    for _ in range(20):
        finite = [
            node
            for node in result.atoms(sp.Sum, sp.Product)
            if all(lower.is_Integer and upper.is_Integer for _, lower, upper in node.limits)
        ]
        if not finite:
            break
        result = result.xreplace({node: node.doit(deep=False) for node in finite})
    elements = {
        node: sp.Symbol(f"{node.base.label}_{''.join(str(i) for i in node.indices)}")
        for node in result.atoms(sp.Indexed)
        if all(i.is_Integer for i in node.indices)
    }
    elements.update(
        {
            node: sp.Symbol(f"{node.func.__name__}_{''.join(str(a) for a in node.args)}")
            for node in result.atoms(AppliedUndef)
            if node.func.__name__ in functions and all(a.is_Integer for a in node.args)
        }
    )
    return result.xreplace(elements)


def every_case(
    lhs: sp.Basic, rhs: sp.Basic, condition: sp.Basic | None = None, definitions: Iterable[Definition] = ()
) -> bool:
    """Whether the concrete cases of :func:`instances` are all the cases the claim speaks of, so
    that proving each proves the claim. A claim about every size n is not covered by n = 1 … 4
    (Σₖ (k−1)(k−2)(k−3)(k−4)·x = 0 holds up to n = 4 only). Without sums and products, an index
    that stands only in subscripts and Kronecker deltas matters only through which indices and
    subscript numbers it equals, and the index values 1 … 4 give every such pattern when there
    are at most four indices and numbers together, each number from 1 to 4. An index in
    arithmetic (i·x, x^i) is not covered."""
    definitions = tuple(definitions)
    exprs = [e for e in (lhs, rhs, condition, *(d.rhs for d in definitions)) if e is not None]
    if any(e.has(sp.Sum, sp.Product) for e in exprs):
        return False
    functions = indexed_functions(definitions)
    # an element named outright (z_5, w_1 := 0) is one more number the indices may equal: the
    # reader keeps it as a name, so it is not counted below, and is not covered
    labels = {str(node.base.label) for e in exprs for node in atoms(e, sp.Indexed)} | functions
    names = {s.name for e in (*exprs, *(d.lhs for d in definitions)) for s in atoms(e, sp.Symbol)}
    if any(name.rpartition("_")[0] in labels for name in names):
        return False
    indices = set(free_indices(*exprs))
    for definition in definitions:
        if isinstance(definition.lhs, AppliedUndef) and definition.lhs.func.__name__ in functions:
            indices |= set(definition.lhs.args)
    numbers: set[sp.Basic] = set()
    for expr in exprs:
        positions = {}
        for node in atoms(expr, sp.Indexed, sp.KroneckerDelta, AppliedUndef):
            if isinstance(node, sp.Indexed):
                subscripts = node.indices
            elif isinstance(node, sp.KroneckerDelta) or node.func.__name__ in functions:
                subscripts = node.args
            else:
                continue
            if not all(p.is_Integer or p in indices for p in subscripts):
                return False  # z_{i+1}, δ_{i,2j}: arithmetic on an index
            numbers |= {p for p in subscripts if p.is_Integer}
            positions[node] = sp.Dummy()
        names = {index.name for index in indices}  # a letter is one quantity (see concrete)
        if any(s.name in names for s in expr.xreplace(positions).free_symbols):
            return False  # an index outside every subscript: i·x, x^i
    return all(1 <= int(n) <= max(SIZES) for n in numbers) and len(indices) + len(numbers) <= max(SIZES)


def lifted(
    condition: sp.Basic, claim: Iterable[sp.Basic], instance: Instance, functions: Iterable[str] = ()
) -> sp.Basic | None:
    """``condition``, found for the concrete case ``instance``, written in the claim's own
    indexed names: ``z_1 > 0`` in the case i = 1 is ``z[i] > 0``. None when it speaks of an
    element the claim names only through a sum (``z_2`` there), which no indexed name stands
    for. Where two names are the same element in this case (``z[i]``, ``z[j]`` at i = j), either
    one states the case's condition exactly."""
    functions = frozenset(functions)
    names: dict[sp.Basic, sp.Basic] = {}
    plain: set[sp.Basic] = set()
    for expr in claim:
        found = atoms(expr, sp.Indexed, AppliedUndef, sp.Symbol)
        plain |= {node for node in found if isinstance(node, sp.Symbol)}
        for node in sorted(found - plain, key=sp.default_sort_key):
            if isinstance(node, sp.Indexed) or node.func.__name__ in functions:
                names.setdefault(concrete(node, instance.substitution, functions), node)
    if not all(symbol in names or symbol in plain for symbol in condition.free_symbols):
        return None
    return condition.xreplace(names)


def instances(
    lhs: sp.Basic,
    rhs: sp.Basic,
    condition: sp.Basic | None = None,
    sizes: Iterable[int] = SIZES,
    context: Iterable[sp.Basic] = (),
    definitions: Iterable[Definition] = (),
) -> list[Instance]:
    """The concrete cases of the claim ``lhs = rhs`` (made only where ``condition`` holds).

    For each size N in ``sizes`` (1 … 4), every size symbol (a sum's bound ``n``, found in
    the claim, its condition or the expressions of ``context`` such as the definitions' right
    sides) is set to N, and every free index takes every value 1 … N. Cases where the
    condition is false (``i ≠ j`` at i = j) are left out. A claim with no size symbol and no
    free index has one instance, itself made concrete. Raises ``ValueError`` when there
    would be more than :data:`MAX_INSTANCES` cases.
    """
    definitions = tuple(definitions)
    context = (*context, *(d.rhs for d in definitions))
    functions = indexed_functions(definitions)
    size_symbols = sizes_of(lhs, rhs, condition, *context)
    indices = free_indices(lhs, rhs, condition, sizes=size_symbols)
    # an index free in a definition (the true class m of y_k := δ_km) takes every value too
    for definition in definitions:
        parameters = set(definition.lhs.args) if isinstance(definition.lhs, AppliedUndef) else set()
        indices += [i for i in free_indices(definition.rhs, sizes=size_symbols) if i not in parameters]
    indices = sorted(set(indices), key=lambda index: index.name)
    sizes = tuple(sizes) if (size_symbols or indices) else (0,)
    found: list[Instance] = []
    for size in sizes:
        ranges = [range(1, size + 1)] * len(indices)
        for values in itertools.product(*ranges):
            substitution = tuple([(s, size) for s in size_symbols] + list(zip(indices, values, strict=True)))
            holds = None if condition is None else concrete(condition, substitution, functions)
            if holds is sp.false or holds == sp.false:
                continue
            if len(found) >= MAX_INSTANCES:
                raise ValueError(f"more than {MAX_INSTANCES} cases: too many free indices to instantiate")
            description = ", ".join(f"{s} = {v}" for s, v in substitution)
            found.append(
                Instance(
                    concrete(lhs, substitution, functions),
                    concrete(rhs, substitution, functions),
                    substitution,
                    description,
                    None if holds is sp.true or holds == sp.true else holds,
                )
            )
    return found


def concrete_definitions(definitions: Iterable[Definition], instance: Instance) -> tuple[Definition, ...]:
    """The definitions as they are in ``instance``: sizes put in, sums written out, ``z[k]`` as
    ``z_k``. A function of indices (``a(j) := e^{z_j}/Σ_k e^{z_k}``) becomes one name per index
    value of the instance's size (``a_1 := e^{z_1}/(e^{z_1} + e^{z_2})``, ``a_2 := …`` at n = 2),
    the names its claims are written in."""
    definitions = tuple(definitions)
    functions = indexed_functions(definitions)
    size = max((v for _, v in instance.substitution), default=0)
    made = []
    for definition in definitions:
        if isinstance(definition.lhs, AppliedUndef) and definition.lhs.func.__name__ in functions:
            parameters = definition.lhs.args
            for values in itertools.product(range(1, size + 1), repeat=len(parameters)):
                substitution = [*instance.substitution, *zip(parameters, values, strict=True)]
                name = sp.Symbol(f"{definition.lhs.func.__name__}_{''.join(str(v) for v in values)}")
                made.append(
                    Definition(name, concrete(definition.rhs, substitution, functions), definition.why)
                )
            continue
        made.append(
            Definition(
                definition.lhs, concrete(definition.rhs, instance.substitution, functions), definition.why
            )
        )
    return tuple(made)
