"""The README shows what the tool prints today."""

from __future__ import annotations

import re
import shlex

from derive.formats.pretty import render_text
from derive.model import Derivation

from .conftest import ROOT, run_derive


def test_readme_text_excerpts_match_the_current_output(sigmoid: Derivation) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    excerpts = re.findall(r"```text\n(.*?)```", readme, flags=re.DOTALL)
    assert excerpts
    output = render_text(sigmoid)
    for excerpt in excerpts:
        assert excerpt in output


def test_readme_python_example_runs() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    code = re.search(r"```python\n(.*?)```", readme, flags=re.DOTALL)
    assert code is not None
    exec(compile(code.group(1), "README.md", "exec"), {})  # our own README, not user input


def test_readme_console_examples_match_what_the_command_prints() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    examples = re.findall(r"```console\n\$ derive (.*?)\n(.*?)```", readme, flags=re.DOTALL)
    assert examples
    for command, expected in examples:
        run = run_derive(*shlex.split(command))
        assert run.stdout + run.stderr == expected
