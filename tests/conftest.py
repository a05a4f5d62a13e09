"""Shared fixtures: the verified sigmoid derivation and a runner for the real command line."""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import settings

from derive.library import get
from derive.model import Derivation

ROOT = Path(__file__).resolve().parent.parent

# The property tests draw the same examples on every run, so the suite passes or fails the same
# way on any machine; `pytest --hypothesis-profile=explore` draws new ones to look for bugs.
settings.register_profile("repeatable", derandomize=True)
settings.register_profile("explore", derandomize=False)
settings.load_profile("repeatable")


def required(variable: str) -> bool:
    """True when CI asks for a tool (``DERIVE_REQUIRE_LATEX=1``): then its absence fails."""
    return os.environ.get(variable) == "1"


def pdflatex(source: str, folder: Path) -> str:
    """Compile ``source`` with pdflatex in ``folder``; the log. Skips (or, where CI requires
    pdflatex, fails) when it is not installed; fails with the log's end when it does not compile."""
    import shutil

    if shutil.which("pdflatex") is None:
        if required("DERIVE_REQUIRE_LATEX"):
            pytest.fail("pdflatex is required (DERIVE_REQUIRE_LATEX=1) but not installed")
        pytest.skip("pdflatex not installed")
    (folder / "doc.tex").write_text(source, encoding="utf-8")
    run = subprocess.run(
        ["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "doc.tex"],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stdout[-2000:]
    assert (folder / "doc.pdf").stat().st_size > 1000
    return (folder / "doc.log").read_text(errors="replace")


def katex_failures(formulas: list[str]) -> list[dict[str, object]]:
    """Render each formula with KaTeX (``tests/js/katex_check.js``, the package ``DERIVE_KATEX``
    names); the results of those that fail. Skips (or, where CI requires KaTeX, fails) when KaTeX
    or node is missing."""
    import json
    import shutil

    if not os.environ.get("DERIVE_KATEX") or shutil.which("node") is None:
        if required("DERIVE_REQUIRE_KATEX"):
            pytest.fail("KaTeX is required (DERIVE_REQUIRE_KATEX=1) but DERIVE_KATEX or node is missing")
        pytest.skip("set DERIVE_KATEX to a KaTeX package folder to run")
    run = subprocess.run(
        ["node", str(ROOT / "tests" / "js" / "katex_check.js")],
        input=json.dumps(formulas),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    results = [json.loads(line) for line in run.stdout.splitlines()]
    assert len(results) == len(formulas)
    return [r for r in results if not r["ok"]]


# (class of claim, label, verdict status) -> count, filled by tests/test_trust.py
TRUST_TALLY: Counter[tuple[str, str, str]] = Counter()
_STATUSES = ("symbolic", "numeric", "failed", "undecided", "unchecked")


@pytest.fixture(scope="session")
def sigmoid() -> Derivation:
    return get("sigmoid")


def run_derive(
    *args: str,
    stdin: str | None = None,
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
    timeout: float = 120,
) -> subprocess.CompletedProcess[str]:
    """Run ``python -m derive ARGS`` as a user would, capturing both streams."""
    environment = {**os.environ, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "derive", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=environment,
        cwd=cwd or ROOT,
        timeout=timeout,
    )


@pytest.fixture
def derive_cli():
    return run_derive


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """How the trust suite's claims were decided: per label, the share of each verdict."""
    if not TRUST_TALLY:
        return
    write = terminalreporter.write_line
    terminalreporter.section("trust suite: how the claims were decided")
    labels = sorted({label for _, label, _ in TRUST_TALLY})
    write(f"{'label':<20}{'claims':>7}" + "".join(f"{s:>11}" for s in _STATUSES))
    for label in labels:
        counts: Counter[str] = Counter()
        for (_, lab, status), n in TRUST_TALLY.items():
            if lab == label:
                counts[status] += n
        total = sum(counts.values())
        shares = "".join(f"{counts[s] / total:>11.0%}" for s in _STATUSES)
        write(f"{label:<20}{total:>7}{shares}")
    write("")
    write(f"{'class':<16}{'false verified':>16}{'true refuted':>14}{'domain verified':>17}")
    for kind in sorted({k for k, _, _ in TRUST_TALLY}):

        def count(label: str, statuses: tuple[str, ...], kind: str = kind) -> str:
            hits = sum(
                n for (k, lab, st), n in TRUST_TALLY.items() if (k, lab) == (kind, label) and st in statuses
            )
            total = sum(n for (k, lab, _), n in TRUST_TALLY.items() if (k, lab) == (kind, label))
            return f"{hits}/{total}" if total else "-"

        ok = ("symbolic", "numeric")
        write(f"{kind:<16}{count('false', ok):>16}{count('true', ('failed',)):>14}{count('domain', ok):>17}")
    total = sum(TRUST_TALLY.values())
    decided = {s: sum(n for (_, _, st), n in TRUST_TALLY.items() if st == s) for s in _STATUSES}
    write(
        f"all {total} verdicts: {decided['symbolic'] / total:.0%} symbolic, "
        f"{decided['numeric'] / total:.0%} numeric, {decided['failed'] / total:.0%} refuted, "
        f"{(decided['undecided'] + decided['unchecked']) / total:.0%} undecided"
    )
