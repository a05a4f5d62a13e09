"""Walks over expression trees that cost one visit per node, however deep the tree.

SymPy's ``preorder_traversal`` (and ``atoms``, built on it) nests one generator per level, so a
node n levels down costs n frames to reach: on a composition nested n deep every walk is
quadratic, and a derivation walks its expressions once per step. A derivative with its inner
functions substituted back also repeats each inner expression at every level above it, so its
tree is much larger than its distinct parts. The walks here keep an explicit stack;
:func:`distinct` also visits each distinct subexpression once, which is all that questions
about *which* parts occur (atoms, the presence of a type) need.
"""

from __future__ import annotations

from collections.abc import Callable, Container, Iterator

import sympy as sp


def _children(node: object) -> tuple:
    if isinstance(node, sp.Basic):
        return node.args
    if isinstance(node, (tuple, list)):
        return tuple(node)
    return ()


def preorder(expr: object) -> Iterator[object]:
    """Every node of ``expr``, in the order of ``sp.preorder_traversal`` (repeats included)."""
    stack = [expr]
    while stack:
        node = stack.pop()
        yield node
        stack.extend(reversed(_children(node)))


def distinct(expr: object) -> Iterator[object]:
    """Each distinct subexpression of ``expr`` once, in the order of its first appearance in
    ``sp.preorder_traversal``: a subtree met again is skipped whole (all of it was seen)."""
    seen: set[sp.Basic] = set()
    stack = [expr]
    while stack:
        node = stack.pop()
        if isinstance(node, sp.Basic):  # containers (lists) are not hashable: walked as met
            if node in seen:
                continue
            seen.add(node)
        yield node
        stack.extend(reversed(_children(node)))


def atoms(expr: sp.Basic, *types: type) -> set[sp.Basic]:
    """``expr.atoms(*types)`` (at least one type), in one visit per distinct part."""
    return {node for node in distinct(expr) if isinstance(node, types)}


def contains(expr: sp.Basic, *types: type) -> bool:
    """Whether a part of ``expr`` is of one of ``types``."""
    return any(isinstance(node, types) for node in distinct(expr))


def bottom_up(expr: sp.Basic, known: Container[sp.Basic] = frozenset()) -> Iterator[sp.Basic]:
    """Each distinct subexpression of ``expr`` once, every one after all of its arguments;
    parts in ``known`` (already handled by the caller) are skipped with everything inside them."""
    done: set[sp.Basic] = set()
    stack: list[tuple[sp.Basic, bool]] = [(expr, False)]
    while stack:
        node, ready = stack.pop()
        if node in done or node in known:
            continue
        if ready:
            done.add(node)
            yield node
            continue
        stack.append((node, True))
        stack.extend((arg, False) for arg in reversed(node.args) if arg not in done)


class SymbolReplacer:
    """``expr.xreplace({s: to(s) for every symbol s that ``wanted(s)``})``, each distinct part
    rebuilt once however many expressions it is met in (the claims of one derivation share most
    of their parts).

    The result is exactly ``xreplace``'s: a part that holds a replaced symbol is rebuilt from its
    replaced arguments even when a symbol is replaced by itself, as ``xreplace`` does (which
    evaluates a sum or product that was written out unevaluated); any other part is kept as it is.
    The walk keeps a stack, so depth costs no recursion.
    """

    def __init__(self, to: Callable[[sp.Symbol], sp.Basic], wanted: Callable[[sp.Symbol], bool]) -> None:
        self.to, self.wanted = to, wanted
        self.done: dict[sp.Basic, tuple[sp.Basic, bool]] = {}

    def __call__(self, expr: sp.Basic) -> sp.Basic:
        done = self.done
        if expr not in done:
            stack: list[tuple[sp.Basic, bool]] = [(expr, False)]
            while stack:
                node, ready = stack.pop()
                if node in done:
                    continue
                if isinstance(node, sp.Symbol) and self.wanted(node):
                    done[node] = (self.to(node), True)
                elif not node.args:
                    done[node] = (node, False)
                elif not ready:
                    stack.append((node, True))
                    stack.extend((a, False) for a in node.args if a not in done)
                else:
                    parts = [done[a] for a in node.args]
                    if any(changed for _, changed in parts):
                        done[node] = (node.func(*(part for part, _ in parts)), True)
                    else:
                        done[node] = (node, False)
        return done[expr][0]


class Inside:
    """The parts of some types inside each expression, remembered per part across calls.

    ``found(expr)`` lists the parts of ``expr`` that are of one of the types, each once, in the
    order in which :func:`distinct` meets them (their first appearance in
    ``sp.preorder_traversal``). A sequence of expressions that share most of their parts (the
    steps of a derivation: each rewrites a few parts of the one before) costs one visit per new
    part, not one per part of every expression.
    """

    def __init__(self, *types: type) -> None:
        self.types = types
        self.found: dict[sp.Basic, tuple[sp.Basic, ...]] = {}

    def __call__(self, expr: sp.Basic) -> tuple[sp.Basic, ...]:
        found = self.found
        if expr not in found:
            for node in bottom_up(expr, found):
                own = (node,) if isinstance(node, self.types) else ()
                parts = [found[a] for a in node.args if found[a]]
                if not parts:
                    found[node] = own
                elif len(parts) == 1 and not own:
                    found[node] = parts[0]
                else:  # first appearances in preorder: the node itself, then each argument's in turn
                    found[node] = tuple(dict.fromkeys(own + tuple(p for part in parts for p in part)))
        return found[expr]

    def xreplace(self, expr: sp.Basic, rule: dict[sp.Basic, sp.Basic]) -> sp.Basic:
        """``expr.xreplace(rule)`` for a ``rule`` whose keys are all of the types, walking only
        down the parts that hold one (no other part can hold a key, so it stays as it is)."""
        self(expr)
        return self._xreplace(expr, rule, {})[0]

    def _xreplace(
        self, expr: sp.Basic, rule: dict[sp.Basic, sp.Basic], done: dict[sp.Basic, tuple[sp.Basic, bool]]
    ) -> tuple[sp.Basic, bool]:
        # the same steps as SymPy's Basic._xreplace: a replaced part counts as a change even when
        # its replacement is equal to it, and a changed part is rebuilt (evaluated) from its args
        if expr in rule:
            return rule[expr], True
        if not self.found[expr]:
            return expr, False
        if expr not in done:
            args, changed = [], False
            for a in expr.args:
                new, a_changed = self._xreplace(a, rule, done)
                args.append(new)
                changed |= a_changed
            done[expr] = (expr.func(*args), True) if changed else (expr, False)
        return done[expr]
