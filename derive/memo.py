"""Printing each distinct sub-expression once.

The steps of a derivation share most of their parts, and a chain n levels deep repeats each
inner function in every factor of its derivative, so printing every occurrence afresh costs n²
printer calls where n suffice (and SymPy's printers sort the terms of every sum they print).
A printer with :class:`PrintsOnce` among its bases keeps what it printed; inside
:func:`printing_once` (a whole derivation being written) that is shared by every printer of the
same kind and settings, from one step to the next.

It imports no SymPy printer, so that the one-line printer can use it without loading them.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, ClassVar

import sympy as sp

# what has been printed while one derivation is written: for each kind of printer (its class and
# settings) the text of each sub-expression, and under "unevaluated" the answers of is_unevaluated
_SHARED: ContextVar[dict[Hashable, dict[sp.Basic, Any]] | None] = ContextVar("derive_printed", default=None)


@contextmanager
def printing_once() -> Iterator[None]:
    """Within it, what a printer has printed is kept for every printer of the same kind and
    settings, so that a sub-expression shared by several steps is printed once. Nested uses
    share the outermost one; everything kept is dropped when it ends."""
    if _SHARED.get() is not None:
        yield
        return
    token = _SHARED.set({})
    try:
        yield
    finally:
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
