"""Budgets for SymPy work on large input: counted work, and recursion depth.

What ``derive`` writes should not depend on how fast the machine is or how loaded it is. An
operation that may not finish in reasonable time (``simplify``, ``cancel``, ``solve``, a limit)
runs under :func:`work_limit`, which counts the SymPy objects built inside it (every ``Basic``
constructed: SymPy builds some 4,000 to 25,000 a second while it rewrites expressions) and stops
the block with :class:`OutOfWork` once the count runs out; the caller gives up ("no form found",
"undecided"). The count does not depend on the machine or its load. It does depend on SymPy's
state in the process: its cache (what was computed before: a command repeats the same sequence,
a library user's program may not), the hash seed (set iteration order moves a count by a small
fraction) and the order in which SymPy asks assumptions, which it shuffles with a random
generator that each outermost budget seeds the same way. The budgets sit far above what real
claims need (see the README), so only a claim near an edge could be decided differently.

Under each count stays a wall-clock backstop, for work that builds next to no objects
(polynomial arithmetic on a huge degree, mpmath at a huge precision, big integers): a second per
:data:`BACKSTOP_RATE` objects of the budget, at most :data:`BACKSTOP_SECONDS`. Only such work
can meet it, and there the clock, so the load, decides. ``DERIVE_TIME_SCALE`` (a positive
number, default 1) stretches or shrinks the backstop, for very slow machines or to test that it
decides nothing on ordinary input. Budgets belong to the thread that opened the first of them;
work in other threads is neither counted nor stopped.
"""

from __future__ import annotations

import math
import os
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from sympy.core.basic import Basic
from sympy.core.random import _assumptions_rng


class OutOfWork(BaseException):
    """Raised when a budget runs out; a BaseException so that SymPy's broad handlers let it pass."""


TIME_SCALE_VARIABLE = "DERIVE_TIME_SCALE"
# The backstop's pace: a block may take one second per this many objects of its budget, and
# never more than BACKSTOP_SECONDS (a stage that builds nothing for that long has hung).
BACKSTOP_RATE = 1_000
BACKSTOP_SECONDS = 120.0

_PLAIN_NEW = Basic.__dict__["__new__"]  # SymPy's own constructor (a staticmethod)
_build = _PLAIN_NEW.__func__
_built = 0  # objects built while some budget was open
_deadlines: list[int] = []  # for each open budget, the count at which it runs out
_owner: int | None = None  # the thread whose work is counted


def _counted_new(cls: type, *args: object, **kwargs: object) -> Basic:
    global _built
    if threading.get_ident() == _owner:
        _built += 1
        if _built > _deadlines[-1]:
            raise OutOfWork
    return _build(cls, *args, **kwargs)


@contextmanager
def work_limit(objects: int) -> Iterator[None]:
    """Interrupt the block with :class:`OutOfWork` once it has built ``objects`` SymPy objects.

    Budgets nest: an inner budget never outlives an outer one, and a block whose count ran out
    ends with :class:`OutOfWork` even when code inside it caught the exception and went on.
    Counting is switched on only while a budget is open, so work outside every budget runs at
    full speed. In a thread other than the one counting, the block runs unbudgeted.
    """
    global _owner
    if _deadlines and threading.get_ident() != _owner:
        yield
        return
    deadline = _built + objects
    if _deadlines:
        deadline = min(deadline, _deadlines[-1])
    else:
        _owner = threading.get_ident()
        _assumptions_rng.seed(0)  # the order SymPy asks assumptions in moves the count
        Basic.__new__ = staticmethod(_counted_new)
    _deadlines.append(deadline)
    try:
        with wall_clock_limit(min(objects / BACKSTOP_RATE, BACKSTOP_SECONDS)):
            yield
        if _built > deadline:  # ran out inside, and a handler there carried on regardless
            raise OutOfWork
    finally:
        _deadlines.pop()
        if not _deadlines:
            Basic.__new__ = _PLAIN_NEW
            _owner = None


def time_scale() -> float:
    """The factor from ``DERIVE_TIME_SCALE`` (read at each call, so tests can set it); 1 when the
    variable is unset or not a positive finite number."""
    text = os.environ.get(TIME_SCALE_VARIABLE, "").strip()
    try:
        scale = float(text) if text else 1.0
    except ValueError:
        return 1.0
    return scale if math.isfinite(scale) and scale > 0 else 1.0


@contextmanager
def wall_clock_limit(seconds: float) -> Iterator[None]:
    """Interrupt the block with :class:`OutOfWork` after ``seconds`` times :func:`time_scale`:
    the backstop under each work budget, and a guard against a hang where no output depends on
    it (the tests use it so).

    Uses ``SIGALRM``, so it applies in the main thread on POSIX systems; elsewhere the block
    runs with its count alone. An inner backstop never outlives an outer one.
    """
    seconds *= time_scale()
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return
    outer_remaining, _ = signal.getitimer(signal.ITIMER_REAL)
    seconds = min(seconds, outer_remaining) if outer_remaining > 0 else seconds

    def alarm(signum: int, frame: object) -> None:
        raise OutOfWork

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, max(seconds, 1e-4))
    try:
        yield
    finally:
        remaining, _ = signal.getitimer(signal.ITIMER_REAL)
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if outer_remaining > 0:  # give the enclosing backstop back what it had left
            signal.setitimer(signal.ITIMER_REAL, max(outer_remaining - (seconds - remaining), 1e-4))


def expression_depth(expr: object, known: dict[object, int] | None = None) -> int:
    """The number of levels in an expression tree (counted without recursion, each distinct part
    once: a derivative with its inner functions substituted back repeats them at every level).
    ``known`` carries the depths already counted across calls: the steps of a derivation share
    most of their parts."""
    from .walk import bottom_up

    if not getattr(expr, "args", ()):
        return 1
    depth = {} if known is None else known
    for node in bottom_up(expr, depth):  # type: ignore[arg-type]
        depth[node] = 1 + max((depth[a] for a in node.args), default=0)
    return depth[expr]


@contextmanager
def recursion_room(depth: int) -> Iterator[None]:
    """Enough Python recursion for SymPy to walk expressions ``depth`` levels deep.

    SymPy's printers, ``subs`` and ``diff`` recurse a few frames per level of an expression.
    """
    old = sys.getrecursionlimit()
    sys.setrecursionlimit(max(old, 40 * depth + 2_000))
    try:
        yield
    finally:
        sys.setrecursionlimit(old)


def derivation_depth(derivation: object) -> int:
    """How deeply nested a derivation's expressions are: the recursion allowance that SymPy needs
    to verify or print it (``recursion_room(derivation_depth(d))``)."""
    steps = (*getattr(derivation, "steps", ()), getattr(derivation, "result", None))
    sides = [e for s in steps if s is not None for e in (s.lhs, s.rhs)]
    sides += [e for d in getattr(derivation, "definitions", ()) for e in (d.lhs, d.rhs)]
    known: dict[object, int] = {}
    return max((expression_depth(e, known) for e in sides), default=1)
