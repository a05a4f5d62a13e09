"""Cost of step-by-step derivatives, against plain ``sympy.diff`` measured in the same run.

Prints three tables:

1. per expression: derivative with steps and verification, against ``sympy.diff`` of the same
   expression (median of ``--repeat`` runs each, interleaved), and the ratio;
2. growth with size: nested compositions of depth 25/50/100/200, sums of 100/200/400/1000 terms,
   products of 10/20/40 factors (one run each: these take seconds);
3. cold start: the ``derive diff`` command against ``python -c "import sympy"``.

Usage: ``python benchmarks/diff.py [--repeat 5] [--quick]`` (``--quick`` skips the largest sizes).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable

import sympy as sp

from derive.budgets import expression_depth, recursion_room
from derive.differentiate import differentiate
from derive.parse import parse

x = sp.Symbol("x")
TEXTBOOK = [
    "x^2 sin(x)",
    "1/(1+e^(-x))",
    "x e^(-x^2)",
    "ln(x^2+1)",
    "x^x",
    "sin(x)/x",
    "atan(e^x)",
    "sqrt(1+x^2)",
    "(x^2+1)/(x^2-1)",
    "x tanh(ln(1+e^x))",
    "e^x sin(x) cos(x)",
    "|x^2 - 1|",
]


def _seconds(work: Callable[[], object]) -> float:
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


def nested(depth: int) -> sp.Expr:
    expr = x
    for level in range(depth):
        expr = sp.sin(expr + x) if level % 2 else sp.cos(expr)
    return expr


def long_sum(terms: int) -> sp.Expr:
    return sp.Add(*(sp.Integer(k % 7 + 1) * x**k * sp.sin(k * x) for k in range(1, terms + 1)))


def long_product(factors: int) -> sp.Expr:
    return sp.Mul(*(x + k for k in range(1, factors + 1)))


def per_expression(repeat: int) -> None:
    print(f"{'expression':<24}{'derive':>10}{'sympy.diff':>12}{'ratio':>8}")
    ratios = []
    for text in TEXTBOOK:
        expr = parse(text)
        ours, plain = [], []
        for _ in range(repeat):
            sp.core.cache.clear_cache()  # neither side profits from the other's cached results
            ours.append(_seconds(lambda expr=expr: differentiate(expr)))
            sp.core.cache.clear_cache()
            plain.append(_seconds(lambda expr=expr: sp.diff(expr, x)))
        a, b = statistics.median(ours), statistics.median(plain)
        ratios.append(a / b)
        print(f"{text:<24}{a * 1000:>8.1f}ms{b * 1000:>10.2f}ms{a / b:>8.0f}x")
    print(f"median ratio: {statistics.median(ratios):.0f}x\n")


def growth(quick: bool) -> None:
    cases = [
        ("nested depth", nested, (25, 50, 100) if quick else (25, 50, 100, 200)),
        ("sum of terms", long_sum, (100, 200) if quick else (100, 200, 400, 1000)),
        ("product of factors", long_product, (10, 20, 40)),
    ]
    print(f"{'family':<20}{'size':>6}{'derive':>10}{'per unit':>12}{'sympy.diff':>12}{'steps':>7}  verified")
    for family, build, sizes in cases:
        for size in sizes:
            expr = build(size)
            sp.core.cache.clear_cache()
            start = time.perf_counter()
            derivation = differentiate(expr)
            ours = time.perf_counter() - start
            sp.core.cache.clear_cache()
            with recursion_room(expression_depth(expr) * 2):  # the allowance derive gives itself
                plain = _seconds(lambda expr=expr: sp.diff(expr, x))
            print(
                f"{family:<20}{size:>6}{ours:>9.2f}s{ours / size * 1000:>10.1f}ms{plain * 1000:>10.1f}ms"
                f"{len(derivation.steps):>7}  {derivation.ok}"
            )
    print()


def cold_start(repeat: int) -> None:
    derive = [found] if (found := shutil.which("derive")) else [sys.executable, "-m", "derive"]
    commands = {
        "python -c 'import sympy'": [sys.executable, "-c", "import sympy"],
        "derive diff 'x^2 sin(x)'": [*derive, "diff", "x^2 sin(x)"],
        "derive diff '1/(1+e^(-x))'": [*derive, "diff", "1/(1+e^(-x))"],
    }
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(repeat * 2 + 1):
        for name, command in commands.items():
            times[name].append(
                _seconds(lambda c=command: subprocess.run(c, check=True, stdout=subprocess.DEVNULL))
            )
    base = statistics.median(times["python -c 'import sympy'"])
    for name, values in times.items():
        median = statistics.median(values)
        print(f"{name:<30}{median * 1000:>8.0f} ms{median / base:>7.2f}x")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    per_expression(args.repeat)
    growth(args.quick)
    cold_start(args.repeat)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
