"""Start-up cost of the command line, measured against baselines in the same run.

Runs each command ``--repeat`` times, interleaved so that machine noise hits all of them alike,
and prints the median wall time of each and the ratios:

* ``derive sigmoid`` (derive, verify and print) against ``python -c "import sympy"``;
* ``derive --version`` against ``python -c pass``.

Usage: ``python benchmarks/startup.py [--repeat 21]``.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import time

PYTHON = sys.executable
DERIVE = [found] if (found := shutil.which("derive")) else [PYTHON, "-m", "derive"]

COMMANDS = {
    "python -c pass": [PYTHON, "-c", "pass"],
    "python -c 'import sympy'": [PYTHON, "-c", "import sympy"],
    "derive --version": [*DERIVE, "--version"],
    "derive sigmoid": [*DERIVE, "sigmoid"],
}
RATIOS = [("derive sigmoid", "python -c 'import sympy'", 1.15), ("derive --version", "python -c pass", 2.0)]


def _time(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=21)
    repeat = parser.parse_args().repeat
    times: dict[str, list[float]] = {name: [] for name in COMMANDS}
    for command in COMMANDS.values():  # warm the file cache once
        _time(command)
    for _ in range(repeat):
        for name, command in COMMANDS.items():
            times[name].append(_time(command))
    medians = {name: statistics.median(values) for name, values in times.items()}
    print(f"{'command':<28}{'median':>10}")
    for name, value in medians.items():
        print(f"{name:<28}{value * 1000:>8.0f} ms")
    print()
    for subject, baseline, target in RATIOS:
        ratio = medians[subject] / medians[baseline]
        verdict = "within" if ratio <= target else "OVER"
        print(f"{subject} / {baseline}: {ratio:.2f}x ({verdict} the {target}x target)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
