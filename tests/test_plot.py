"""derive plot: a real figure (PNG and SVG), and a clear message without matplotlib."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from derive.errors import DeriveError
from derive.plot import plot  # matplotlib comes with the test extras


@pytest.mark.parametrize("name", ["sigmoid", "tanh"])
def test_png_and_svg(tmp_path: Path, name: str) -> None:
    png = plot(name, tmp_path / f"{name}.png")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 10_000
    svg = plot(name, tmp_path / f"{name}.svg").read_text(encoding="utf-8")
    assert "<svg" in svg and "vanishing gradient" in svg and "its derivative" in svg
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"{name}.png", f"{name}.svg"]


@pytest.mark.parametrize(
    ("target", "message"), [("a.pdf", "png or .svg"), ("missing/a.png", "no such folder")]
)
def test_bad_targets(tmp_path: Path, target: str, message: str) -> None:
    with pytest.raises(DeriveError, match=message):
        plot("sigmoid", tmp_path / target)


def test_without_matplotlib_the_message_says_how_to_install_it(tmp_path: Path) -> None:
    code = (
        "import sys; sys.modules['matplotlib'] = None\n"
        "from derive.cli import main\n"
        f"raise SystemExit(main(['plot', 'sigmoid', '-o', {str(tmp_path / 's.png')!r}]))\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert run.returncode == 2
    assert "pip install 'derive-steps[plot]'" in run.stderr and "Traceback" not in run.stderr
    assert list(tmp_path.iterdir()) == []
