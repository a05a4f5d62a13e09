"""Every speed goal of derive in one table, each figure against a baseline measured in the same run.

Start-up: whole commands, run through the installed ``derive`` console script (``python -m
derive`` where it is not installed), each interleaved with its baseline (A B A B …) so that
machine noise hits both alike; the ratio is the median of the pairwise ratios. The baseline is
``python -c "import sympy"``, or bare ``python -c pass`` for ``--version`` and ``--help``.

Engine: in-process timings of :func:`derive.differentiate` (steps and verification) against
``sympy.diff`` of the same expression, SymPy's cache cleared before each run; nested
compositions (the cost per level and per node of the lines written); depth 250, the parser's
limit, through the command line in every format; a 1,000-term sum.

Usage: ``python benchmarks/goals.py [--repeat 5] [--skip-startup] [--skip-engine]``.
Nothing here is a test: it measures and prints; the targets are the README's.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import sympy as sp

sys.path.insert(0, str(Path(__file__).resolve().parent))
from diff import TEXTBOOK, long_sum, nested

from derive.budgets import expression_depth, recursion_room
from derive.differentiate import derive_steps, differentiate
from derive.formats import WRITTEN
from derive.library import BUILTINS
from derive.parse import MAX_DEPTH, parse
from derive.verify import verify
from derive.walk import distinct

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
_SCRIPT = Path(PYTHON).with_name("derive")  # the console script pip installs beside python
DERIVE = [str(_SCRIPT)] if _SCRIPT.is_file() else [PYTHON, "-m", "derive"]
IMPORT_SYMPY = [PYTHON, "-c", "import sympy"]
BARE = [PYTHON, "-c", "pass"]
DIFF_TEXTBOOK = ("x^2 sin(x)", "1/(1+e^(-x))", "x e^(-x^2)")


@dataclass
class Row:
    """One line of the table: what was measured, the figure, the goal, and whether it is met."""

    goal: str
    figure: str
    target: str
    met: bool | None

    def cells(self) -> tuple[str, str, str, str]:
        mark = "" if self.met is None else ("yes" if self.met else "NO")
        return self.goal, self.figure, self.target, mark


def report(goal: str, figure: str, target: str, met: bool | None) -> Row:
    """A row of the table, printed as soon as it is measured (a long run shows its progress)."""
    row = Row(goal, figure, target, met)
    _print(row.cells())
    return row


def _seconds(work: Callable[[], object]) -> float:
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


def _run(command: list[str]) -> tuple[float, int]:
    start = time.perf_counter()
    done = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)
    return time.perf_counter() - start, done.returncode


def paired(command: list[str], baseline: list[str], repeat: int) -> tuple[float, float, int]:
    """Median seconds of ``command``, the median of its pairwise ratios to ``baseline``, and its
    exit code; one warm-up of each first (the file cache)."""
    _run(command)
    _run(baseline)
    ours, ratios, code = [], [], 0
    for _ in range(repeat):
        seconds, code = _run(command)
        base, _ = _run(baseline)
        ours.append(seconds)
        ratios.append(seconds / base)
    return statistics.median(ours), statistics.median(ratios), code


def startup(repeat: int) -> list[Row]:
    rows = []

    def against(label: str, command: list[str], baseline: list[str], target: float, unit: str) -> None:
        seconds, ratio, code = paired(command, baseline, repeat)
        note = "" if code in (0, 3) else f" (exit {code})"
        figure = f"{seconds * 1000:.0f} ms, {ratio:.2f}×{note}"
        rows.append(report(label, figure, f"≤ {target}× {unit}", ratio <= target))

    for flag in ("--version", "--help"):
        against(f"derive {flag}", [*DERIVE, flag], BARE, 1.5, "bare Python")
    against("derive sigmoid", [*DERIVE, "sigmoid"], IMPORT_SYMPY, 1.15, "import sympy")
    for text in DIFF_TEXTBOOK:
        against(f"derive diff '{text}'", [*DERIVE, "diff", text], IMPORT_SYMPY, 1.2, "import sympy")
    for name in BUILTINS:
        against(f"derive {name}", [*DERIVE, name], IMPORT_SYMPY, 1.5, "import sympy")
    for example in sorted((ROOT / "examples").iterdir()):
        command = [*DERIVE, "check", str(example.relative_to(ROOT))]
        against(f"derive check {example.name}", command, IMPORT_SYMPY, 1.5, "import sympy")
    for command in ("properties", "gradient"):
        for name in ("sigmoid", "tanh"):
            against(f"derive {command} {name}", [*DERIVE, command, name], IMPORT_SYMPY, 2.0, "import sympy")
    return rows


def textbook(repeat: int) -> Row:
    ratios, x = [], sp.Symbol("x")
    for text in TEXTBOOK:
        expr = parse(text)
        ours, plain = [], []
        for _ in range(repeat):
            sp.core.cache.clear_cache()  # neither side profits from the other's cached results
            ours.append(_seconds(lambda expr=expr: differentiate(expr)))
            sp.core.cache.clear_cache()
            plain.append(_seconds(lambda expr=expr: sp.diff(expr, x)))
        ratios.append(statistics.median(ours) / statistics.median(plain))
    median = statistics.median(ratios)
    spread = f"{min(ratios):.1f}× to {max(ratios):.1f}×"
    figure = f"median {median:.1f}× ({spread}, {len(TEXTBOOK)} expressions)"
    return report("textbook set vs sympy.diff", figure, "≤ 3×", median <= 3)


def nesting() -> list[Row]:
    """The cost at growing depth, per level and per node of the lines the derivation writes.

    A composition n levels deep takes about 1.5·n steps, and step k writes a line about k levels
    deep (the rule's result around the derivative still open), so the lines hold Θ(n²) nodes in
    all: the whole cannot grow linearly with n. What can stay flat is the cost per node written,
    for building the steps and for verifying them.
    """
    rows: list[Row] = []
    per_level: dict[int, float] = {}
    per_node: dict[int, tuple[float, float]] = {}
    x = sp.Symbol("x")
    for depth in (50, 100, 200, MAX_DEPTH):
        expr = nested(depth)
        with recursion_room(expression_depth(expr) * 2):  # the allowance derive gives itself
            sp.core.cache.clear_cache()
            start = time.perf_counter()
            steps = derive_steps(expr, x)
            built = time.perf_counter() - start
            checked = _seconds(lambda steps=steps: verify(steps))
            sp.core.cache.clear_cache()
            plain = _seconds(lambda expr=expr: sp.diff(expr, x))
        nodes = sum(sum(1 for _ in distinct(step.rhs)) for step in steps.steps)
        seconds = built + checked
        per_level[depth] = seconds / depth
        per_node[depth] = (built / nodes, checked / nodes)
        build, check = (share * 1e6 for share in per_node[depth])
        figure = (
            f"{seconds:.2f} s (sympy.diff {plain:.2f} s); {len(steps.steps)} lines of {nodes:,} nodes; "
            f"per node {build:.1f} µs building, {check:.1f} µs verifying"
        )
        rows.append(report(f"nested depth {depth}", figure, "", None))
    growth = per_level[MAX_DEPTH] / per_level[50]
    rows.append(
        report(
            f"cost per level, depth {MAX_DEPTH} vs 50",
            f"{growth:.2f}× for {MAX_DEPTH // 50}× the depth (the lines grow as depth²)",
            "",
            None,
        )
    )
    build, check = (per_node[MAX_DEPTH][i] / per_node[50][i] for i in (0, 1))
    rows.append(
        report(
            f"cost per node written, depth {MAX_DEPTH} vs 50",
            f"building {build:.2f}×, verifying {check:.2f}×",
            "near flat (≤ 1.5×)",
            max(build, check) <= 1.5,
        )
    )
    return rows


def deepest(repeat: int) -> list[Row]:
    """Depth 250 through the command line, in every format: completes, exit 0, < 10 s."""
    with recursion_room(MAX_DEPTH * 4):
        text = sp.sstr(nested(MAX_DEPTH))
    rows = []
    for fmt in WRITTEN:
        times, codes = [], set()
        for _ in range(max(1, repeat // 2)):
            seconds, code = _run([*DERIVE, "diff", text, "-f", fmt])
            times.append(seconds)
            codes.add(code)
        seconds = statistics.median(times)
        ok = codes == {0}
        figure = f"{seconds:.2f} s, exit {'/'.join(map(str, sorted(codes)))}"
        rows.append(report(f"depth {MAX_DEPTH}, -f {fmt}", figure, "< 10 s, exit 0", ok and seconds < 10))
    return rows


def long_sums() -> Row:
    sp.core.cache.clear_cache()
    expr = long_sum(1000)
    seconds = _seconds(lambda: differentiate(expr))
    sp.core.cache.clear_cache()
    plain = _seconds(lambda: sp.diff(expr, sp.Symbol("x")))
    return report("1,000-term sum", f"{seconds:.2f} s (sympy.diff {plain:.2f} s)", "< 5 s", seconds < 5)


WIDTHS = (34, 52, 22, 3)


def _print(row: tuple[str, str, str, str]) -> None:
    print("| " + " | ".join(cell.ljust(w) for cell, w in zip(row, WIDTHS, strict=True)) + " |", flush=True)


def _machine() -> str:
    model = "unknown CPU"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.is_file():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    version = ".".join(map(str, sys.version_info[:3]))
    return f"{os.cpu_count()} cores, {model}, Python {version}, SymPy {sp.__version__}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="pairs per start-up figure (default 5)")
    parser.add_argument("--skip-startup", action="store_true")
    parser.add_argument("--skip-engine", action="store_true")
    args = parser.parse_args()
    print(f"{_machine()}; derive run as {' '.join(Path(p).name for p in DERIVE)}\n")
    _print(("goal", "measured", "target", "met"))
    print("|" + "|".join("-" * (w + 2) for w in WIDTHS) + "|")
    if not args.skip_startup:
        startup(args.repeat)
    if not args.skip_engine:
        textbook(args.repeat)
        nesting()
        deepest(args.repeat)
        long_sums()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
