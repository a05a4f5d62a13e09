"""Shared fixtures: the verified sigmoid derivation and a runner for the real command line."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from derive.library import get
from derive.model import Derivation

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def sigmoid() -> Derivation:
    return get("sigmoid")


def run_derive(
    *args: str, stdin: str | None = None, env: dict[str, str] | None = None, cwd: Path | None = None
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
        timeout=120,
    )


@pytest.fixture
def derive_cli():
    return run_derive
