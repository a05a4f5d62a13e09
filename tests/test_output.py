"""output/ holds every built-in derivation and worked example in every format, exactly as the
tool writes it today."""

from __future__ import annotations

from pathlib import Path

from derive.library import BUILTINS
from derive.library.examples import EXAMPLES

from .conftest import ROOT, run_derive

SUFFIXES = (".txt", ".tex", ".md", ".json")


def test_committed_outputs_are_up_to_date(tmp_path: Path) -> None:
    run = run_derive("export", str(tmp_path), timeout=1200)  # every built-in, verified: minutes
    assert run.returncode == 0, run.stderr
    for name in [*BUILTINS, *EXAMPLES]:
        for suffix in SUFFIXES:
            fresh = (tmp_path / f"{name}{suffix}").read_text(encoding="utf-8")
            committed = ROOT / "output" / f"{name}{suffix}"
            assert committed.exists(), f"{committed} is missing: run 'derive export output'"
            assert committed.read_text(encoding="utf-8") == fresh, (
                f"{committed} is stale: run 'derive export output'"
            )
