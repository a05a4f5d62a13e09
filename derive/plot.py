"""Plots of a function and its derivative, with the low-gradient region shaded.

matplotlib is an optional extra (``pip install 'derive-steps[plot]'``); without it ``derive plot``
says how to install it. The numbers drawn come from the same expressions and threshold
interval that ``derive gradient`` verifies.
"""

from __future__ import annotations

import io
from pathlib import Path

import sympy as sp

from .analysis import _function, gradient
from .errors import DeriveError
from .files import write_output
from .model import Kind

FORMATS = (".png", ".svg")
X_RANGE = (-10.0, 10.0)
SAMPLES = 801


def plot(name: str, path: str | Path, threshold: str | float | None = None) -> Path:
    """Draw ``name`` and its derivative into ``path`` (PNG or SVG), atomically."""
    target = Path(path)
    if target.suffix.lower() not in FORMATS:
        suffix = target.suffix or "no extension"
        raise DeriveError(f"plots are written as {' or '.join(FORMATS)}, not {suffix}")
    if not target.parent.is_dir():
        raise DeriveError(f"cannot write {target}: no such folder")
    try:
        import matplotlib

        matplotlib.use("Agg")  # no screen needed
        import matplotlib.pyplot as plt
    except ImportError:
        raise DeriveError("plotting needs matplotlib: pip install 'derive-steps[plot]'") from None

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
