"""Plots of a function and its derivative: a catalog function with the low-gradient region
shaded, or any expression of one variable with its tangent at a point.

matplotlib is an optional extra (``pip install 'derive-steps[plot]'``); without it ``derive plot``
says how to install it. For a catalog function the numbers drawn come from the same expressions
and threshold interval that ``derive gradient`` verifies; for an expression, from the derivative
``derive diff`` derives, and the tangent from :func:`derive.tangent.tangent_line`.
"""

from __future__ import annotations

import io
import math
from pathlib import Path

import sympy as sp

from .analysis import _function, gradient
from .errors import DeriveError
from .files import write_output
from .model import Kind
from .oneline import one_line

FORMATS = (".png", ".svg")
X_RANGE = (-10.0, 10.0)
SAMPLES = 801


def _target(path: str | Path) -> Path:
    target = Path(path)
    if target.suffix.lower() not in FORMATS:
        suffix = target.suffix or "no extension"
        raise DeriveError(f"plots are written as {' or '.join(FORMATS)}, not {suffix}")
    if not target.parent.is_dir():
        raise DeriveError(f"cannot write {target}: no such folder")
    return target


def _pyplot():  # type: ignore[no-untyped-def]  # matplotlib.pyplot, an optional extra
    try:
        import matplotlib

        matplotlib.use("Agg")  # no screen needed
        import matplotlib.pyplot as plt
    except ImportError:
        raise DeriveError("plotting needs matplotlib: pip install 'derive-steps[plot]'") from None
    return plt


def _save(plt, figure, target: Path) -> Path:  # type: ignore[no-untyped-def]
    # Drawn into memory first, so the file is written as every other -o is (atomically, and
    # through symlinks and pipes).
    image = io.BytesIO()
    try:
        metadata = {"Date": None} if target.suffix.lower() == ".svg" else {"Software": None}
        figure.savefig(image, format=target.suffix.lower()[1:], metadata=metadata)
    finally:
        plt.close(figure)
    write_output(target, image.getvalue())
    return target


def plot(name: str, path: str | Path, threshold: str | float | None = None) -> Path:
    """Draw ``name`` and its derivative into ``path`` (PNG or SVG), atomically."""
    target = _target(path)
    plt = _pyplot()

    _, x, expr = _function(name)
    report = gradient(name, threshold)
    ends = sorted(float(s.lhs.point[0]) for s in report.steps if s.kind is Kind.THRESHOLD)
    epsilon = report.steps[0].rhs if ends else None
    value = sp.lambdify(x, expr, "math")
    slope = sp.lambdify(x, sp.diff(expr, x), "math")
    xs = [X_RANGE[0] + (X_RANGE[1] - X_RANGE[0]) * k / (SAMPLES - 1) for k in range(SAMPLES)]

    figure, axes = plt.subplots(figsize=(8, 4.5), dpi=100)
    label = "σ" if name == "sigmoid" else name
    axes.plot(xs, [value(t) for t in xs], label=f"{label}(x)", color="#1f5fa8", linewidth=2)
    axes.plot(xs, [slope(t) for t in xs], label=f"{label}'(x)", color="#c0392b", linewidth=2)
    if len(ends) == 2:
        shading = f"{label}'(x) < {epsilon} (vanishing gradient)"
        for low, high in ((X_RANGE[0], ends[0]), (ends[1], X_RANGE[1])):
            axes.axvspan(low, high, color="#c0392b", alpha=0.12, linewidth=0, label=shading)
            shading = "_"  # one legend entry for both sides
    axes.axhline(0, color="#888888", linewidth=0.8)
    axes.set_xlim(*X_RANGE)
    axes.set_xlabel("x")
    axes.set_ylabel("value")
    axes.set_title(f"{label} and its derivative")
    axes.grid(alpha=0.3)
    axes.legend(loc="upper left")
    figure.tight_layout()

    return _save(plt, figure, target)


def parse_range(text: str) -> tuple[float, float]:
    """``-2,3`` (or ``-pi,pi``) → (−2.0, 3.0): the interval of x drawn; a one-line error otherwise."""
    from .parse import parse

    parts = text.split(",")
    if len(parts) != 2:
        raise DeriveError(f"--range takes two numbers a,b such as -5,5, not {text!r}")
    ends = []
    for part in parts:
        try:
            number = parse(part)
        except DeriveError:
            raise DeriveError(f"--range takes two numbers a,b such as -5,5, not {text!r}") from None
        if number.free_symbols or not number.is_real or not number.is_finite:
            raise DeriveError(f"--range takes two real numbers, not {part.strip()!r}")
        ends.append(float(number))
    if not ends[0] < ends[1]:
        raise DeriveError(f"--range a,b needs a < b, not {text!r}")
    return ends[0], ends[1]


def _sampler(expr: sp.Expr, x: sp.Symbol):  # type: ignore[no-untyped-def]
    """x → the real value of expr, or NaN where it has none (a pole, a root of a negative)."""
    try:
        compiled = sp.lambdify(x, expr, "mpmath")
    except (TypeError, ValueError, NameError, SyntaxError, KeyError, NotImplementedError):
        compiled = None  # evaluated point by point by SymPy instead

    def at(t: float) -> float:
        try:
            found = complex(compiled(t)) if compiled is not None else complex(expr.evalf(20, subs={x: t}))
        except (TypeError, ValueError, ZeroDivisionError, OverflowError, NameError, AttributeError):
            try:  # a function the numeric library lacks (Heaviside): SymPy evaluates it
                found = complex(expr.evalf(20, subs={x: t}))
            except (TypeError, ValueError, ZeroDivisionError, OverflowError):
                return math.nan
        if not math.isfinite(found.real) or abs(found.imag) > 1e-9 * max(1.0, abs(found.real)):
            return math.nan
        return found.real

    return at


def _window(values: list[float]) -> tuple[float, float]:
    """The y-range drawn: the middle of the values, so that a pole or e^x does not flatten the rest."""
    finite = sorted(v for v in values if math.isfinite(v))
    if not finite:
        return -1.0, 1.0
    low, high = finite[len(finite) // 50], finite[-1 - len(finite) // 50]
    pad = (high - low) * 0.1 or 1.0
    return low - pad, high + pad


def plot_expression(
    text: str | sp.Expr,
    path: str | Path,
    x_range: tuple[float, float] | None = None,
    at: str | None = None,
    var: str | None = None,
) -> Path:
    """Draw an expression of one variable, its derivative and, with ``at`` (``"x=1"``), its tangent
    line there, into ``path`` (PNG or SVG), atomically. ``x_range`` is the interval drawn
    (default −10 … 10, or 5 either side of the point)."""
    from .differentiate import _read_input
    from .points import value_of
    from .tangent import tangent_line

    target = _target(path)
    request = _read_input(text, var, 1)
    # a real variable, so that d/dx |x − 1| is sign(x − 1), not a formula in re and im
    x = sp.Symbol(request.variable.name, real=True)
    expr = request.expr.xreplace({request.variable: x})
    others = sorted(s.name for s in expr.free_symbols if s != x)
    if others:
        raise DeriveError(f"a plot needs an expression of {x.name} alone; it also has {', '.join(others)}")
    line = None
    if at is not None:
        line = tangent_line(expr, x, value_of(at, x))
    if x_range is None:
        x_range = (float(line.point) - 5, float(line.point) + 5) if line is not None else X_RANGE
    plt = _pyplot()
    derivative = sp.diff(expr, x)
    xs = [x_range[0] + (x_range[1] - x_range[0]) * k / (SAMPLES - 1) for k in range(SAMPLES)]
    ys, slopes = ([f(t) for t in xs] for f in (_sampler(expr, x), _sampler(derivative, x)))
    low, high = _window(ys + slopes)
    # points far outside the window (beside a pole) are not joined across it
    clip = [v if low - 10 * (high - low) < v < high + 10 * (high - low) else math.nan for v in ys]
    clipped_slopes = [
        v if low - 10 * (high - low) < v < high + 10 * (high - low) else math.nan for v in slopes
    ]

    name = one_line(expr)
    figure, axes = plt.subplots(figsize=(8, 4.5), dpi=100)
    axes.plot(xs, clip, label=f"f({x.name}) = {name}", color="#1f5fa8", linewidth=2)
    axes.plot(
        xs, clipped_slopes, label=f"f'({x.name}) = {one_line(derivative)}", color="#c0392b", linewidth=2
    )
    if line is not None:
        tangent_values = _sampler(line.line, x)
        axes.plot(
            xs,
            [tangent_values(t) for t in xs],
            label=f"tangent at {x.name} = {one_line(line.point)}: y = {one_line(line.line)}",
            color="#27ae60",
            linewidth=1.5,
            linestyle="--",
        )
        axes.plot([float(line.point)], [float(line.value)], "o", color="#27ae60")
    axes.axhline(0, color="#888888", linewidth=0.8)
    axes.set_xlim(*x_range)
    axes.set_ylim(low, high)
    axes.set_xlabel(x.name)
    axes.set_ylabel("value")
    axes.set_title(f"{name} and its derivative")
    axes.grid(alpha=0.3)
    axes.legend(loc="best", fontsize="small")
    figure.tight_layout()
    return _save(plt, figure, target)
