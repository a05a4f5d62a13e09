"""The command line as users run it: formats, files, exit codes, and clean errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from derive.formats.json import read as read_json
from derive.formats.json import write as write_json
from derive.formats.pretty import render_text
from derive.model import Derivation

from .conftest import ROOT


def test_sigmoid_prints_the_verified_derivation(derive_cli, sigmoid: Derivation) -> None:
    run = derive_cli("sigmoid")
    assert run.returncode == 0, run.stderr
    assert run.stdout == render_text(sigmoid)
    assert run.stderr == ""


def test_no_colour_when_piped_even_if_forced_off(derive_cli) -> None:
    for env in ({}, {"NO_COLOR": "1"}, {"TERM": "xterm-256color"}):
        assert "\x1b[" not in derive_cli("sigmoid", env=env).stdout


@pytest.mark.parametrize("fmt", ["latex", "markdown", "json", "text"])
def test_formats_on_stdout(derive_cli, fmt: str) -> None:
    run = derive_cli("sigmoid", "--format", fmt)
    assert run.returncode == 0, run.stderr
    if fmt == "json":
        assert read_json(run.stdout).ok
    if fmt == "latex":
        assert run.stdout.startswith("\\begin{align*}")


@pytest.mark.parametrize(
    ("name", "start"),
    [
        ("s.tex", "\\begin{align*}"),
        ("s.md", "# Derivative"),
        ("s.json", "{"),
        ("s.txt", "# Derivative"),
    ],
)
def test_output_file_format_follows_the_extension(derive_cli, tmp_path: Path, name: str, start: str) -> None:
    run = derive_cli("sigmoid", "-o", str(tmp_path / name))
    assert run.returncode == 0 and run.stdout == ""
    assert (tmp_path / name).read_text(encoding="utf-8").startswith(start)
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]


def test_standalone_document(derive_cli) -> None:
    run = derive_cli("sigmoid", "--format", "latex", "--standalone")
    assert run.stdout.startswith("\\documentclass") and run.stdout.rstrip().endswith("\\end{document}")


@pytest.mark.parametrize(
    "args",
    [
        ["nosuch"],
        ["sigmoid", "--format", "pdf"],
        ["sigmoid", "-o", "out.pdf"],
        ["sigmoid", "-o", "missing-folder/out.tex"],
        ["sigmoid", "-o", "/proc/out.tex"],
        ["sigmoid", "--standalone", "--format", "json"],
        ["sigmoid", "--bogus"],
        [],
    ],
)
def test_bad_input_is_one_line_exit_2_and_no_file(derive_cli, tmp_path: Path, args: list[str]) -> None:
    run = derive_cli(*args, cwd=tmp_path)
    assert run.returncode == 2
    assert run.stdout == ""
    assert len(run.stderr.strip().splitlines()) == 1 and run.stderr.startswith("derive: error: ")
    assert "Traceback" not in run.stderr
    assert list(tmp_path.iterdir()) == []


def test_failed_write_leaves_the_old_file_untouched(derive_cli, tmp_path: Path) -> None:
    target = tmp_path / "s.tex"
    target.write_text("old", encoding="utf-8")
    folder = tmp_path / "locked"
    folder.mkdir()
    run = derive_cli("sigmoid", "-o", str(folder / "s.json" / "nested.tex"))
    assert run.returncode == 2
    assert target.read_text(encoding="utf-8") == "old"
    assert list(folder.iterdir()) == []


def test_list_names_the_builtins(derive_cli) -> None:
    run = derive_cli("list")
    assert run.returncode == 0
    assert run.stdout.startswith("sigmoid ")


def test_version_and_help_do_not_import_sympy() -> None:
    code = (
        "import sys\n"
        "from derive.cli import main\n"
        "for args in (['--version'], ['--help'], ['sigmoid', '--help']):\n"
        "    try:\n"
        "        main(args)\n"
        "    except SystemExit as exit:\n"
        "        assert exit.code == 0\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('sympy', 'rich', 'mpmath')))\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert run.stdout.strip().splitlines()[-1] == "[]"
    assert "derive 0.1.0" in run.stdout


def test_version_answered_early_says_what_argparse_says(capsys: pytest.CaptureFixture[str]) -> None:
    """``--version`` alone is answered before the parser is built; an abbreviation (``--vers``)
    or another spelling goes through argparse's version action, and both print the same."""
    from derive.cli import main

    assert main(["--version"]) == 0
    early = capsys.readouterr().out
    with pytest.raises(SystemExit) as exit:
        main(["--vers"])
    assert exit.value.code == 0
    assert capsys.readouterr().out == early == "derive 0.1.0\n"


def test_help_lists_every_command_and_each_command_parses_its_own_arguments(derive_cli) -> None:
    """Only the parser of the command being run is built: the top-level help still names every
    command with its one-line help, and each command still has its own options and errors."""
    from derive.library import BUILTINS

    listed = derive_cli("--help").stdout
    for name in [*BUILTINS, "list", "diff", "check", "properties", "gradient", "grad", "plot", "export"]:
        assert f"\n    {name} " in listed or f"\n    {name}\n" in listed, name
    assert "--log-notation" in derive_cli("tanh", "--help").stdout
    run = derive_cli("tanh", "--threshold", "1")
    assert run.returncode == 2 and "unrecognized arguments: --threshold" in run.stderr


def test_python_api_exposes_the_steps() -> None:
    code = (
        "from derive import sigmoid, Derivation, Step\n"
        "assert isinstance(sigmoid, Derivation) and all(isinstance(s, Step) for s in sigmoid.steps)\n"
        "print(sigmoid.result.verdict.status)\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert run.stdout.strip() == "symbolic"


def test_json_from_the_cli_round_trips(derive_cli, sigmoid: Derivation) -> None:
    loaded = read_json(derive_cli("sigmoid", "--format", "json").stdout)
    assert loaded == sigmoid
    assert json.loads(write_json(loaded)) == json.loads(write_json(sigmoid))


def test_diff_prints_verified_steps(derive_cli) -> None:
    run = derive_cli("diff", "x^2 sin(x)")
    assert run.returncode == 0, run.stderr
    assert "product rule" in run.stdout and "✓ symbolic" in run.stdout


def test_diff_partial_derivative_and_order(derive_cli) -> None:
    run = derive_cli("diff", "1/(1+exp(-(w*x+b)))", "--var", "w", "--format", "json")
    loaded = read_json(run.stdout)
    assert str(loaded.variable) == "w" and loaded.ok
    run = derive_cli("diff", "x^3", "--order", "3", "--format", "json")
    assert read_json(run.stdout).result.rhs == 6


@pytest.mark.parametrize(("expression", "column"), [("sin(x", 6), ("x)+", 2), ("2 ** * 3", 6), ("x $ 1", 3)])
def test_diff_parse_errors_show_the_column_with_a_caret(derive_cli, expression: str, column: int) -> None:
    run = derive_cli("diff", expression)
    assert run.returncode == 2 and run.stdout == ""
    lines = run.stderr.splitlines()
    assert lines[0].startswith("derive: error: ") and lines[0].endswith(f"at column {column}")
    assert lines[1] == f"  {expression}"
    assert lines[2] == "  " + " " * (column - 1) + "^"
    assert "Traceback" not in run.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["diff", ""],
        ["diff", "x", "--order", "0"],
        ["diff", "x", "--order", "99"],
        ["diff", "x", "--var", "x+1"],
        ["diff", "2^(10^10)"],
        ["diff", "factorial(10^7)"],
        ["diff", "(" * 2000 + "x" + ")" * 2000],
        ["diff", "x" * 20000],
        ["diff", "1/0"],
        ["diff", "x", "-o", "nowhere/out.tex"],
    ],
)
def test_diff_bad_input_is_exit_2_without_traceback(derive_cli, args: list[str]) -> None:
    run = derive_cli(*args)
    assert run.returncode == 2, run.stderr
    assert run.stderr.startswith("derive: error: ") and "Traceback" not in run.stderr


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("sigmoid-by-hand.tex", 0),
        ("tanh.md", 0),
        ("product-rule.txt", 0),
        ("sigmoid-sign-error.tex", 1),
        ("lost-chain-factor.md", 1),
        ("wrong-product-rule.txt", 1),
    ],
)
def test_check_exit_codes(derive_cli, name: str, code: int) -> None:
    run = derive_cli("check", f"examples/{name}")
    assert run.returncode == code, run.stderr
    if code == 1:
        # the view wraps prose at the terminal's width: compare words, not line breaks
        words = " ".join(run.stdout.split())
        assert "the first wrong step is on line" in words
        assert "WRONG" in words and "the left side is" in words


def test_check_json_and_standard_input(derive_cli) -> None:
    text = (ROOT / "examples" / "sigmoid-sign-error.tex").read_text(encoding="utf-8")
    run = derive_cli("check", "-", "--from", "latex", "--format", "json", stdin=text)
    assert run.returncode == 1
    loaded = read_json(run.stdout)
    assert loaded.first_failure() is not None and loaded.first_failure().line == 10


def test_check_round_trips_our_own_files(derive_cli, tmp_path: Path) -> None:
    for suffix in (".tex", ".md", ".json"):
        target = tmp_path / f"sigmoid{suffix}"
        assert derive_cli("sigmoid", "-o", str(target)).returncode == 0
        run = derive_cli("check", str(target))
        assert run.returncode == 0, run.stdout


@pytest.mark.parametrize(
    "content", ["", "no math here", "\\[ x^2 = \\frac{1}{ \\]", "$$ x = $$", '{"schema": 1}']
)
def test_check_unreadable_input_exits_2_with_a_position(derive_cli, tmp_path: Path, content: str) -> None:
    path = tmp_path / ("d.json" if content.startswith("{") else "d.tex")
    path.write_text(content, encoding="utf-8")
    run = derive_cli("check", str(path))
    assert run.returncode == 2, run.stdout + run.stderr
    assert "Traceback" not in run.stderr + run.stdout
    if "frac" in content:
        assert "line 1, column" in " ".join(run.stdout.split())  # the reason may wrap


def test_check_missing_file(derive_cli) -> None:
    run = derive_cli("check", "no-such-file.tex")
    assert run.returncode == 2 and run.stderr.startswith("derive: error: cannot read")
