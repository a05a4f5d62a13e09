"""Budgets for SymPy work on large input: time (simplify may not finish) and recursion depth.

What ``derive`` writes never depends on how fast the machine is: every budget that can change
an output is counted in work (rounds, candidates, operations). The wall-clock limits here are
only a safety net against an operation that does not finish; when one fires, the caller gives
up on that piece of work ("no form found", "no clean-up"). ``DERIVE_TIME_SCALE`` (a positive
number, default 1) multiplies every such limit, for slow machines or to test that the limits
never decide anything.
"""

from __future__ import annotations

import math
import os
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager


class OutOfTime(BaseException):
    """Raised when a budget runs out; a BaseException so that SymPy's broad handlers let it pass."""


TIME_SCALE_VARIABLE = "DERIVE_TIME_SCALE"


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
def time_limit(seconds: float) -> Iterator[None]:
    """Interrupt the block with :class:`OutOfTime` after ``seconds`` times :func:`time_scale`.

    Uses ``SIGALRM``, so the limit applies in the main thread on POSIX systems; elsewhere the
    block runs unlimited. Budgets nest: an inner budget never outlives an outer one.
    """
    seconds *= time_scale()
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return
    outer_remaining, _ = signal.getitimer(signal.ITIMER_REAL)
    seconds = min(seconds, outer_remaining) if outer_remaining > 0 else seconds

    def alarm(signum: int, frame: object) -> None:
        raise OutOfTime

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, max(seconds, 1e-4))
    try:
        yield
    finally:
        remaining, _ = signal.getitimer(signal.ITIMER_REAL)
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if outer_remaining > 0:  # give the enclosing budget back what it had left
            signal.setitimer(signal.ITIMER_REAL, max(outer_remaining - (seconds - remaining), 1e-4))


def expression_depth(expr: object) -> int:
    """The number of levels in an expression tree (counted without recursion, each distinct part
    once: a derivative with its inner functions substituted back repeats them at every level)."""
    from .walk import bottom_up

    if not getattr(expr, "args", ()):
        return 1
    depth: dict[object, int] = {}
    for node in bottom_up(expr):  # type: ignore[arg-type]
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
    return max((expression_depth(e) for e in sides), default=1)
