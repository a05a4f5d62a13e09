"""Where ``-o`` and ``export`` put their output: atomic files, modes, symlinks, pipes, devices."""

from __future__ import annotations

import io
import os
import pty
import re
import socket
import stat
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from derive import files
from derive.cli import terminal_console
from derive.errors import DeriveError
from derive.formats.pretty import renderable
from derive.formats.text import render_linear
from derive.model import Derivation

from .conftest import ROOT


@pytest.fixture
def umask() -> Iterator[None]:
    """Run with umask 027 (whatever the test runner's), restored afterwards."""
    previous = os.umask(0o027)
    try:
        yield
    finally:
        os.umask(previous)


def _one_line_error(run: subprocess.CompletedProcess[str]) -> None:
    assert run.returncode == 2, run.stdout + run.stderr
    assert run.stderr.startswith("derive: error: ") and len(run.stderr.strip().splitlines()) == 1
    assert "Traceback" not in run.stderr


# --- regular files --------------------------------------------------------------------------


def test_a_new_file_follows_the_umask(derive_cli, tmp_path: Path, umask: None) -> None:
    target = tmp_path / "s.tex"
    assert derive_cli("sigmoid", "-o", str(target)).returncode == 0
    assert stat.S_IMODE(target.stat().st_mode) == 0o640


@pytest.mark.parametrize("mode", [0o644, 0o600, 0o664])
def test_overwriting_keeps_the_mode(tmp_path: Path, mode: int) -> None:
    target = tmp_path / "s.md"
    target.write_text("old", encoding="utf-8")
    target.chmod(mode)
    files.write_output(target, "new\n")
    assert target.read_text(encoding="utf-8") == "new\n"
    assert stat.S_IMODE(target.stat().st_mode) == mode


def test_a_failed_write_leaves_the_old_file_and_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "s.json"
    target.write_text("old", encoding="utf-8")

    def disk_full(handle: int, data: object) -> int:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(files.os, "write", disk_full)
    with pytest.raises(OSError, match="No space left") as raised:
        files.write_output(target, "new")
    assert raised.value.filename == str(target)  # the user's path, not the temporary one
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["s.json"]


@pytest.mark.skipif(os.geteuid() != 0, reason="only root can own a file for someone else")
def test_root_overwriting_someone_elses_file_keeps_its_owner(tmp_path: Path) -> None:
    target = tmp_path / "s.tex"
    target.write_text("old", encoding="utf-8")
    os.chown(target, 65534, 65534)
    target.chmod(0o640)
    files.write_output(target, "new")
    info = target.stat()
    assert (info.st_uid, info.st_gid, stat.S_IMODE(info.st_mode)) == (65534, 65534, 0o640)
    assert target.read_text(encoding="utf-8") == "new"


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write any file")
def test_a_read_only_file_is_refused(derive_cli, tmp_path: Path) -> None:
    target = tmp_path / "s.tex"
    target.write_text("old", encoding="utf-8")
    target.chmod(0o444)
    _one_line_error(derive_cli("sigmoid", "-o", str(target)))
    assert target.read_text(encoding="utf-8") == "old"


# --- symlinks -------------------------------------------------------------------------------


def test_a_symlink_stays_a_link_and_its_target_gets_the_content(
    derive_cli, tmp_path: Path, sigmoid: Derivation
) -> None:
    (tmp_path / "real").mkdir()
    real = tmp_path / "real" / "s.txt"
    real.write_text("old", encoding="utf-8")
    real.chmod(0o604)
    link = tmp_path / "link.txt"
    link.symlink_to(Path("real") / "s.txt")  # relative, resolved from the link's folder
    run = derive_cli("sigmoid", "-o", str(link))
    assert run.returncode == 0, run.stderr
    assert link.is_symlink() and os.readlink(link) == os.path.join("real", "s.txt")
    assert real.read_text(encoding="utf-8") == render_linear(sigmoid)
    assert stat.S_IMODE(real.stat().st_mode) == 0o604
    assert sorted(p.name for p in (tmp_path / "real").iterdir()) == ["s.txt"]


def test_a_dangling_symlink_creates_its_target(tmp_path: Path) -> None:
    link = tmp_path / "link.md"
    link.symlink_to(tmp_path / "made.md")
    files.write_output(link, "# made\n")
    assert link.is_symlink()
    assert (tmp_path / "made.md").read_text(encoding="utf-8") == "# made\n"


def test_a_chain_of_symlinks_is_followed_to_the_end(tmp_path: Path) -> None:
    (tmp_path / "c.txt").write_text("old", encoding="utf-8")
    (tmp_path / "b.txt").symlink_to("c.txt")
    (tmp_path / "a.txt").symlink_to("b.txt")
    files.write_output(tmp_path / "a.txt", "new")
    assert (tmp_path / "a.txt").is_symlink() and (tmp_path / "b.txt").is_symlink()
    assert (tmp_path / "c.txt").read_text(encoding="utf-8") == "new"


def test_a_symlink_loop_is_one_line_exit_2(derive_cli, tmp_path: Path) -> None:
    (tmp_path / "a.tex").symlink_to("b.tex")
    (tmp_path / "b.tex").symlink_to("a.tex")
    _one_line_error(derive_cli("sigmoid", "-o", str(tmp_path / "a.tex")))
    assert (tmp_path / "a.tex").is_symlink() and (tmp_path / "b.tex").is_symlink()


# --- special files --------------------------------------------------------------------------


def test_dev_stdout_writes_to_standard_output(derive_cli, sigmoid: Derivation) -> None:
    run = derive_cli("sigmoid", "-f", "text", "-o", "/dev/stdout")
    assert run.returncode == 0, run.stderr
    assert run.stdout == render_linear(sigmoid)


def test_dev_stdout_appends_to_a_file_the_shell_opened(tmp_path: Path, sigmoid: Derivation) -> None:
    log = tmp_path / "log.txt"
    log.write_text("before\n", encoding="utf-8")
    with log.open("a", encoding="utf-8") as stream:  # as `>> log.txt` would
        run = subprocess.run(
            [sys.executable, "-m", "derive", "sigmoid", "-f", "text", "-o", "/dev/stdout"],
            stdout=stream,
            stderr=subprocess.PIPE,
            text=True,
            cwd=ROOT,
            timeout=120,
        )
    assert run.returncode == 0, run.stderr
    assert log.read_text(encoding="utf-8") == "before\n" + render_linear(sigmoid)
    assert not log.is_symlink() and stat.S_ISREG(log.lstat().st_mode)


def test_a_fifo_is_written_through_and_stays_a_fifo(tmp_path: Path, sigmoid: Derivation) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    run = subprocess.run(
        [sys.executable, "-m", "derive", "sigmoid", "-f", "text", "-o", str(fifo)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    reader.join(timeout=30)
    assert run.returncode == 0, run.stderr
    assert received == [render_linear(sigmoid).encode("utf-8")]
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pipe"]


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full on this system")
def test_dev_full_is_one_line_exit_2_and_stays_a_device(derive_cli) -> None:
    run = derive_cli("sigmoid", "-f", "text", "-o", "/dev/full")
    _one_line_error(run)
    assert "/dev/full" in run.stderr and "No space left" in run.stderr
    assert stat.S_ISCHR(os.lstat("/dev/full").st_mode)


def test_a_symlink_to_a_fifo_is_written_through(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    (tmp_path / "link").symlink_to("pipe")
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    files.write_output(tmp_path / "link", "σ′ = σ(1 − σ)\n")
    reader.join(timeout=30)
    assert received == ["σ′ = σ(1 − σ)\n".encode()]
    assert (tmp_path / "link").is_symlink() and stat.S_ISFIFO(fifo.lstat().st_mode)


def test_a_folder_is_refused(derive_cli, tmp_path: Path) -> None:
    (tmp_path / "out.tex").mkdir()
    run = derive_cli("sigmoid", "-o", str(tmp_path / "out.tex"))
    _one_line_error(run)
    assert "folder" in run.stderr
    assert (tmp_path / "out.tex").is_dir() and list((tmp_path / "out.tex").iterdir()) == []


def test_a_socket_is_refused_and_left_alone() -> None:
    # A short folder: socket paths are limited to about 100 bytes.
    with tempfile.TemporaryDirectory(dir="/tmp") as folder:
        path = Path(folder) / "s.sock"
        with socket.socket(socket.AF_UNIX) as server:
            server.bind(str(path))
            with pytest.raises(DeriveError, match="it is a socket"):
                files.write_output(path, "text")
            assert stat.S_ISSOCK(path.lstat().st_mode)


# --- export ---------------------------------------------------------------------------------


def test_export_creates_a_missing_folder_and_its_parents(
    derive_cli, tmp_path: Path, sigmoid: Derivation
) -> None:
    folder = tmp_path / "site" / "derivations"
    run = derive_cli("export", str(folder), timeout=900)
    assert run.returncode == 0, run.stderr
    assert (folder / "sigmoid.txt").read_text(encoding="utf-8") == render_linear(sigmoid)
    assert {p.suffix for p in folder.iterdir()} == {".txt", ".tex", ".md", ".json"}


def test_export_refuses_a_folder_that_is_a_file(derive_cli, tmp_path: Path) -> None:
    (tmp_path / "out").write_text("a file", encoding="utf-8")
    run = derive_cli("export", str(tmp_path / "out"))
    _one_line_error(run)
    assert (tmp_path / "out").read_text(encoding="utf-8") == "a file"


# --- NO_COLOR -------------------------------------------------------------------------------


@pytest.mark.parametrize(("no_color", "styled"), [(None, True), ("", True), ("1", False), ("yes", False)])
def test_no_color_leaves_no_style_on_a_terminal(
    monkeypatch: pytest.MonkeyPatch, sigmoid: Derivation, no_color: str | None, styled: bool
) -> None:
    if no_color is None:
        monkeypatch.delenv("NO_COLOR", raising=False)
    else:
        monkeypatch.setenv("NO_COLOR", no_color)
    buffer = io.StringIO()
    terminal_console(buffer, force_terminal=True).print(renderable(sigmoid))
    assert ("\x1b[" in buffer.getvalue()) is styled
    assert "σ(x)⋅(1 - σ(x))" in buffer.getvalue()


def _on_a_terminal(*args: str, env: dict[str, str]) -> bytes:
    """What ``derive ARGS`` writes to a pseudo-terminal."""
    main, sub = pty.openpty()
    inherited = {name: value for name, value in os.environ.items() if name != "NO_COLOR"}
    environment = {**inherited, "TERM": "xterm-256color", "COLUMNS": "200", **env}
    process = subprocess.Popen(
        [sys.executable, "-m", "derive", *args],
        stdout=sub,
        stderr=subprocess.DEVNULL,
        env=environment,
        cwd=ROOT,
    )
    os.close(sub)
    output = b""
    while True:
        try:
            chunk = os.read(main, 65536)
        except OSError:  # the terminal closed: the command has finished
            break
        if not chunk:
            break
        output += chunk
    process.wait(timeout=120)
    os.close(main)
    return output


def test_no_color_on_a_real_terminal() -> None:
    assert b"\x1b[" in _on_a_terminal("sigmoid", env={})
    plain = _on_a_terminal("sigmoid", env={"NO_COLOR": "1"})
    assert b"Derivative of the sigmoid" in plain and b"\x1b" not in plain


# --- packaging ------------------------------------------------------------------------------


def test_the_distribution_name_is_not_the_taken_one() -> None:
    # Read as text: tomllib is Python 3.11 and later.
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert re.search(r'^name = "derive-steps"$', pyproject, flags=re.MULTILINE)
    assert re.search(r'^derive = "derive.cli:main"$', pyproject, flags=re.MULTILINE)


def test_no_install_hint_names_the_other_projects_distribution() -> None:
    sources = [ROOT / "README.md", ROOT / ".ci" / "run", *sorted((ROOT / "derive").rglob("*.py"))]
    for source in sources:
        text = source.read_text(encoding="utf-8")
        assert "derive[" not in text, source
        assert "install derive " not in text and "install derive\n" not in text, source
