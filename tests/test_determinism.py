"""The same input gives byte-identical output under any load: budgets are counted in work.

``derive export`` is run twice in fresh processes, once as a user would and once with every
wall-clock safety net cut to 0.3 of its length (``DERIVE_TIME_SCALE``) while another process
keeps a core busy. Any output decided by a clock instead of by counted work shows up as a
difference. This is one slow test (two full exports), part of the normal suite on purpose: a
result that depends on the machine's load is a bug a new user would meet first.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from .conftest import ROOT

EXPORT_TIMEOUT = 1200  # seconds; a loaded machine exports in a few minutes
SPIN_SECONDS = 1500  # the spinner stops by itself even if the test is killed


def _export(folder: Path, env: dict[str, str]) -> dict[str, bytes]:
    folder.mkdir()
    run = subprocess.run(
        [sys.executable, "-m", "derive", "export", str(folder)],
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        cwd=ROOT,
        timeout=EXPORT_TIMEOUT,
    )
    assert run.returncode == 0, run.stderr
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


def test_export_is_byte_identical_under_load_and_scaled_time_limits(tmp_path: Path) -> None:
    plain = _export(tmp_path / "plain", {"DERIVE_TIME_SCALE": "1"})
    spin = f"import time\nend = time.time() + {SPIN_SECONDS}\nwhile time.time() < end: pass"
    spinner = subprocess.Popen([sys.executable, "-c", spin])
    try:
        loaded = _export(tmp_path / "loaded", {"DERIVE_TIME_SCALE": "0.3"})
    finally:
        spinner.kill()
        spinner.wait()
    assert sorted(loaded) == sorted(plain)
    assert len(plain) >= 4 * 15  # every built-in in every format
    differing = [name for name in plain if loaded[name] != plain[name]]
    assert not differing, f"output depends on time or load: {differing}"
