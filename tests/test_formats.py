"""The format registry: one entry per format, asked by everything that reads or writes one."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
import sympy as sp

from derive import formats
from derive.errors import DeriveError
from derive.model import Derivation, Kind

from .conftest import ROOT


def test_every_format_is_registered_once_with_its_suffixes() -> None:
    suffixes = [s for fmt in formats.REGISTRY.values() for s in fmt.suffixes]
    assert len(suffixes) == len(set(suffixes))
    assert formats.for_path("notes.TEX").name == "latex"  # type: ignore[union-attr]
    assert formats.for_path("x.ipynb").name == "notebook"  # type: ignore[union-attr]
    assert formats.format_for("out.md") == "markdown"
    with pytest.raises(DeriveError, match="cannot tell the format"):
        formats.format_for("out.ipynb")  # read, never written
    with pytest.raises(DeriveError, match="unknown format 'yaml'"):
        formats.render(None, "yaml")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="registered already"):
        formats.register(formats.Format("tex-again", (".tex",), "latex"))


@pytest.mark.parametrize("name", [n for n, f in formats.REGISTRY.items() if f.writes and f.reads])
def test_what_derive_writes_it_reads_back(sigmoid: Derivation, name: str) -> None:
    fmt = formats.get(name)
    text = formats.render(sigmoid, name, standalone=name == "latex")
    read = fmt.reader()(text, ())
    assert sp.expand(read.result.rhs - sigmoid.result.rhs) == 0
    assert len(read.steps) >= len(sigmoid.steps)


def test_the_model_imports_only_sympy_and_the_errors_module() -> None:
    tree = ast.parse((ROOT / "derive" / "model.py").read_text(encoding="utf-8"))
    top = [node for node in tree.body if isinstance(node, (ast.Import, ast.ImportFrom))]
    modules = {n.module if isinstance(n, ast.ImportFrom) else n.names[0].name for n in top}
    assert {m for m in modules if m and not m.startswith("sympy")} <= {
        "__future__",
        "dataclasses",
        "enum",
        "errors",
    }


def test_no_code_reads_a_fact_back_out_of_a_label() -> None:
    for path in (ROOT / "derive").rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        for node in ast.walk(ast.parse(source)):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "startswith"
                and isinstance(node.func.value, ast.Attribute)
                and node.func.value.attr in ("rule", "why", "method", "title")
            ):
                pytest.fail(f"{path.name}:{node.lineno} reads a label")


def test_steps_say_what_justifies_them(sigmoid: Derivation) -> None:
    from derive.analysis import gradient
    from derive.differentiate import differentiate

    derivation = differentiate("sin(x^2)")
    kinds = {s.kind for s in derivation.steps}
    assert Kind.RULES in kinds
    ruled = next(s for s in derivation.steps if s.kind is Kind.RULES)
    assert ruled.rules and all(hasattr(r, "label") for r in ruled.rules)
    through = differentiate("1/(1+exp(-x))", in_terms_of={"s": "1/(1+exp(-x))"})
    assert any(s.kind is Kind.IN_TERMS_OF for s in (*through.steps, through.result))
    assert any(s.kind is Kind.THRESHOLD for s in gradient("sigmoid", "0.01").steps)
    assert all(s.kind is Kind.STATED for s in sigmoid.steps)


def test_json_keeps_the_kind(tmp_path: Path) -> None:
    from derive.differentiate import differentiate
    from derive.formats.json import read, write

    derivation = differentiate("x^2 sin(x)")
    again = read(write(derivation))
    assert [s.kind for s in again.steps] == [s.kind for s in derivation.steps]


def test_latex_and_markdown_are_printers_dispatching_on_the_model(sigmoid: Derivation) -> None:
    from derive.formats.latex import DerivationLatexPrinter
    from derive.formats.markdown import DerivationMarkdownPrinter
    from derive.read.documents import check

    class Marked(DerivationLatexPrinter):
        def _print_Verdict(self, verdict: object) -> str:
            return r"\text{VERDICT}"

        def _justify_unreadable(self, step: object) -> str:
            return r"\text{UNREAD}"

    rows = Marked({"verdicts": True}).doprint(sigmoid)
    assert rows.count(r"\text{VERDICT}") == len(sigmoid.steps) + 1
    assert formats.render(sigmoid, "latex") == DerivationLatexPrinter().doprint(sigmoid)
    assert formats.render(sigmoid, "markdown") == DerivationMarkdownPrinter().doprint(sigmoid)
    unread = check("$$ x^2 = 2x + \\oint $$\n\n$$ \\frac{d}{dx} x^2 = 2x $$", "markdown")
    assert unread.steps[0].kind is Kind.UNREADABLE
    assert Marked().doprint(unread).count(r"\text{UNREAD}") == 1
    assert "```latex" in DerivationMarkdownPrinter().doprint(unread)  # its own method: the source
