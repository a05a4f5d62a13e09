"""The tree walks visit what SymPy's own traversals visit, in the same order, without recursion."""

from __future__ import annotations

import sympy as sp

from derive.walk import Inside, atoms, bottom_up, contains, distinct, preorder

x, y = sp.symbols("x y")
f = sp.Function("f")
SHARED = sp.sin(x + 1)
EXPR = SHARED * sp.cos(SHARED) + f(SHARED) + sp.Abs(y) ** 2


def test_preorder_is_sympys_order_with_repeats() -> None:
    assert list(preorder(EXPR)) == list(sp.preorder_traversal(EXPR))


def test_distinct_keeps_the_first_appearance_of_each_part() -> None:
    first = list(dict.fromkeys(sp.preorder_traversal(EXPR)))
    assert list(distinct(EXPR)) == first


def test_bottom_up_puts_every_part_after_its_arguments() -> None:
    order = list(bottom_up(EXPR))
    assert len(order) == len(set(order)) == len(set(sp.preorder_traversal(EXPR)))
    position = {node: index for index, node in enumerate(order)}
    for node in order:
        assert all(position[arg] < position[node] for arg in node.args)


def test_atoms_and_contains_agree_with_sympy() -> None:
    for types in ((sp.Symbol,), (sp.sin, sp.cos), (sp.core.function.AppliedUndef,), (sp.Abs,)):
        assert atoms(EXPR, *types) == EXPR.atoms(*types)
        assert contains(EXPR, *types) == bool(EXPR.atoms(*types))
    assert not contains(EXPR, sp.tan)


def test_a_tree_thousands_of_levels_deep_needs_no_recursion() -> None:
    deep = x
    for _ in range(3000):  # SymPy's own recursive walks stop at Python's limit of 1,000 frames
        deep = sp.sin(deep, evaluate=False)
    assert sum(1 for _ in preorder(deep)) == 3001
    assert atoms(deep, sp.Symbol) == {x}
    assert next(iter(bottom_up(deep))) == x


D = sp.Derivative
# derivatives shared between parts, nested in one another, and one with respect to another variable
WITH_DERIVATIVES = sp.Mul(
    sp.Add(D(sp.sin(x), x), D(D(f(x), x) * x, x), evaluate=False),
    D(sp.sin(x), x) + D(f(y), y) * sp.cos(D(x**2, x)),
    evaluate=False,
)


def test_inside_lists_parts_in_the_order_distinct_meets_them() -> None:
    inside = Inside(sp.Derivative)
    for expr in (WITH_DERIVATIVES, EXPR, WITH_DERIVATIVES.args[1], sp.Integer(3)):
        assert list(inside(expr)) == [n for n in distinct(expr) if isinstance(n, sp.Derivative)]
    assert Inside(sp.sin, sp.Abs)(EXPR) == tuple(n for n in distinct(EXPR) if isinstance(n, (sp.sin, sp.Abs)))


def test_inside_xreplace_is_sympys_xreplace() -> None:
    inside = Inside(sp.Derivative)
    rules = (
        {D(sp.sin(x), x): sp.cos(x)},
        {D(f(x), x): sp.Integer(2), D(x**2, x): 2 * x},
        {D(f(y), y): D(f(y), y)},  # replaced by itself: the parts above are still rebuilt, evaluated
        {D(sp.tan(x), x): sp.Integer(0)},  # nothing to replace
        {},
    )
    for rule in rules:
        ours = inside.xreplace(WITH_DERIVATIVES, rule)
        assert ours == WITH_DERIVATIVES.xreplace(rule)
        assert sp.srepr(ours) == sp.srepr(WITH_DERIVATIVES.xreplace(rule))
