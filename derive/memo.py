"""Printing each distinct sub-expression once.

The steps of a derivation share most of their parts, and a chain n levels deep repeats each
inner function in every factor of its derivative, so printing every occurrence afresh costs n²
printer calls where n suffice (and SymPy's printers sort the terms of every sum they print).
A printer with :class:`PrintsOnce` among its bases keeps what it printed; inside
:func:`printing_once` (a whole derivation being written) that is shared by every printer of the
same kind and settings, from one step to the next.

SymPy's printers put the terms of a sum and the factors of a product in order with
``Expr.sort_key`` and ``Expr.as_ordered_terms``, which recurse through whole sub-trees and ask
``Expr.is_number`` (uncached, itself recursive) of every factor; the LaTeX printer asks
``has(Mod)`` and ``has(Integral, Product, Sum)`` of every factor, each a walk of the whole factor.
SymPy's own cache holds 1000 entries, so on a chain hundreds of levels deep it evicts what it
needs next and the ordering and bracketing grow quadratically. Within :func:`printing_once`
these four (``has`` when asked about types only) are answered from a table keyed by the exact
expression (SymPy expressions are immutable, so each answer is a function of the tree):
the same answers, each computed once. Outside it, and in any thread not inside it, SymPy's own
methods answer as before.

It imports no SymPy printer, so that the one-line printer can use it without loading them.
"""

from __future__ import annotations

import copy
import threading
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, ClassVar

import sympy as sp
from sympy.core.expr import Expr

from .walk import Inside

# what has been printed while one derivation is written: for each kind of printer (its class and
# settings) the text of each sub-expression, under "unevaluated" the answers of is_unevaluated, and
# under ("has", types) the parts of those types in each part
_SHARED: ContextVar[dict[Hashable, Any] | None] = ContextVar("derive_printed", default=None)


@contextmanager
def printing_once() -> Iterator[None]:
    """Within it, what a printer has printed is kept for every printer of the same kind and
    settings, so that a sub-expression shared by several steps is printed once. Nested uses
    share the outermost one; everything kept is dropped when it ends."""
    if _SHARED.get() is not None:
        yield
        return
    token = _SHARED.set({})
    _ordering_kept(True)
    try:
        yield
    finally:
        _ordering_kept(False)
        _SHARED.reset(token)


def kept(key: Hashable) -> dict[sp.Basic, Any]:
    """The table kept under ``key`` for the current :func:`printing_once`, or a fresh one."""
    shared = _SHARED.get()
    return {} if shared is None else shared.setdefault(key, {})


def printed_once(printer: Any, expr: object, kwargs: dict[str, Any], fresh: Callable[..., Any]) -> Any:
    """``fresh(expr, **kwargs)``, or what ``printer`` already printed for an equal ``expr``.

    Only expressions with arguments are kept: an atom is quick to print, and a float's digits
    depend on how deep it is printed (SymPy's ``_print_level``), while everything inside a
    compound is printed below the top. A call with keyword arguments (LaTeX's ``exp=`` for
    ``sin²``) depends on them and is not kept. Equal SymPy expressions are equal trees (a
    float's precision included), so they print alike.
    """
    if kwargs or not isinstance(expr, sp.Basic) or not expr.args:
        return fresh(expr, **kwargs)
    memo = printer.__dict__.get("_printed")
    if memo is None:
        memo = printer._printed = kept(printer._memo_key())
    try:
        result = memo[expr]
    except KeyError:
        result = memo[expr] = fresh(expr)
    return copy.copy(result) if printer._copies else result


class PrintsOnce:
    """A printer mixin (before SymPy's printer in the bases) that prints each distinct
    sub-expression once; see :func:`printing_once`."""

    _settings: dict[str, Any]
    _copies: ClassVar[bool] = False  # True where what is printed is an object callers adjust

    def _memo_key(self) -> tuple[Hashable, ...]:
        """What printed text depends on besides the expression: the printer and its settings."""
        return (type(self), repr(sorted(self._settings.items())))

    def _print(self, expr: Any, **kwargs: Any) -> Any:
        return printed_once(self, expr, kwargs, super()._print)  # type: ignore[misc]

    def _as_ordered_terms(self, expr: Any, order: str | None = None) -> list[Any]:
        """The terms of a sum in SymPy's printing order, sorted once for every printer: sorting
        compares whole sub-trees, and the JSON view prints each sum twice (LaTeX and SymPy syntax)."""
        order = order or self.order  # type: ignore[attr-defined]
        if order in ("old", "none"):  # "old" sorts by the printer's own comparison
            return super()._as_ordered_terms(expr, order)  # type: ignore[misc, no-any-return]
        terms = kept(("terms", order))
        if expr not in terms:
            terms[expr] = expr.as_ordered_terms(order=order)
        return list(terms[expr])


# SymPy's own ordering methods, which the kept ones call for what is not in the table yet
_SORT_KEY = Expr.sort_key
_FRESH_SORT_KEY = Expr.sort_key.__wrapped__  # under SymPy's cacheit: the table replaces its cache
_ORDERED_TERMS = Expr.as_ordered_terms
_IS_NUMBER = Expr.is_number
_HAS = sp.Basic.has
_INSTALLED = threading.Lock()
_users = 0  # printing_once contexts open in any thread; the kept methods are in place while > 0


def _sort_key(self: Expr, order: Any = None) -> Any:
    shared = _SHARED.get()
    if shared is None:
        return _SORT_KEY(self, order)
    table = shared.setdefault("sort_key", {})
    try:
        return table[self, order]
    except KeyError:
        answer = table[self, order] = _FRESH_SORT_KEY(self, order)
        return answer


def _kept_ordered_terms(self: Expr, order: Any = None, data: bool = False) -> Any:
    shared = _SHARED.get()
    if shared is None or data:
        return _ORDERED_TERMS(self, order, data)
    table = shared.setdefault("ordered_terms", {})
    try:
        terms = table[self, order]
    except KeyError:
        terms = table[self, order] = tuple(_ORDERED_TERMS(self, order))
    return list(terms)  # a fresh list each time, as SymPy returns: callers may change it


def _is_number(self: Expr) -> bool:
    shared = _SHARED.get()
    if shared is None:
        return _IS_NUMBER.fget(self)  # type: ignore[attr-defined, no-any-return]
    table = shared.setdefault("is_number", {})
    try:
        return table[self]  # type: ignore[no-any-return]
    except KeyError:
        # SymPy's definition, its recursion going through this table
        answer = table[self] = all(arg.is_number for arg in self.args)
        return answer


def _is_type(pattern: Any) -> bool:
    return isinstance(pattern, type) and issubclass(pattern, sp.Basic)


def _kept_has(self: sp.Basic, *patterns: Any) -> bool:
    shared = _SHARED.get()
    if shared is None or not patterns or not all(_is_type(p) for p in patterns):
        return _HAS(self, *patterns)  # type: ignore[no-any-return]
    # SymPy's answer for types: whether the part or any part inside it is one of them
    inside = shared.get(("has", patterns))
    if inside is None:
        inside = shared[("has", patterns)] = Inside(*patterns)
    return bool(inside(self))


def _ordering_kept(entering: bool) -> None:
    """Put the kept ordering methods in place when the first :func:`printing_once` opens (in any
    thread) and SymPy's own back when the last one closes. Each kept method answers from
    SymPy's own where no table is open (another thread), so the swap never changes an answer."""
    global _users
    with _INSTALLED:
        _users += 1 if entering else -1
        if _users == (1 if entering else 0):
            kept_methods = entering
            Expr.sort_key = _sort_key if kept_methods else _SORT_KEY  # type: ignore[method-assign]
            Expr.as_ordered_terms = _kept_ordered_terms if kept_methods else _ORDERED_TERMS  # type: ignore[method-assign]
            Expr.is_number = property(_is_number) if kept_methods else _IS_NUMBER  # type: ignore[method-assign, assignment]
            sp.Basic.has = _kept_has if kept_methods else _HAS  # type: ignore[method-assign]
