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
    """The number of levels in an expression tree (counted without recursion)."""
    depth, frontier = 0, [expr]
    while frontier:
        depth += 1
        frontier = [a for e in frontier for a in getattr(e, "args", ())]
    return depth


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
