"""Renderers: LaTeX that compiles, Markdown that KaTeX renders, plain text without colour codes."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from derive.differentiate import differentiate
from derive.formats import render
from derive.formats.latex import escape, render_latex
from derive.formats.markdown import render_markdown
from derive.formats.pretty import render_text
from derive.library import BUILTINS, get
from derive.model import Derivation

from .conftest import katex_failures, pdflatex


def test_latex_is_one_align_block_with_rules(sigmoid: Derivation) -> None:
    latex = render_latex(sigmoid)
    assert latex.startswith("\\begin{align*}") and latex.rstrip().endswith("\\end{align*}")
    rows = latex.strip().splitlines()[1:-1]
    assert len(rows) == len(sigmoid.definitions) + len(sigmoid.steps) + 1
    assert all("\\text{" in row for row in rows)
    assert "\\text{chain rule}" in latex
    assert "\\frac{d \\sigma}{d u}" in latex
    # every row but the last ends its line before its verdict comment
    assert all(re.search(r"\\\\( %.*)?$", row) for row in rows[:-1])


def test_latex_escapes_text() -> None:
    assert escape("50% of a_b & {c}") == r"50\% of a\_b \& \{c\}"


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("σ(1−σ)", r"$\sigma$(1$-\sigma$)"),  # one $…$ for neighbours: $$ would open display math
        ("σ⁻¹", r"$\sigma^{-1}$"),  # not the double superscript ^{-}^{1}
        ("50$ σ", r"50\$ $\sigma$"),
    ],
)
def test_latex_escapes_neighbouring_symbols_as_one_formula(text: str, escaped: str) -> None:
    assert escape(text) == escaped


_LONG = ("x^3*sin(x)*exp(2*x)*cos(x)/(1+x^2)", 2)  # a derive diff wider and taller than a page


@pytest.mark.parametrize("name", [*sorted(BUILTINS), "long diff"])
def test_standalone_latex_compiles_with_pdflatex(name: str, tmp_path: Path) -> None:
    derivation = differentiate(_LONG[0], order=_LONG[1]) if name == "long diff" else get(name)
    log = pdflatex(render_latex(derivation, standalone=True), tmp_path)
    assert "Warning" not in log
    assert "Overfull" not in log  # the page is as wide as the widest row: nothing runs off it


def _math_blocks(markdown: str) -> list[str]:
    return re.findall(r"^\$\$ (.*) \$\$$", markdown, flags=re.MULTILINE)


def test_markdown_has_a_display_block_per_equation(sigmoid: Derivation) -> None:
    markdown = render_markdown(sigmoid)
    blocks = _math_blocks(markdown)
    assert len(blocks) == len(sigmoid.definitions) + len(sigmoid.steps) + 1
    assert markdown.count("$$") == 2 * len(blocks)
    assert "**4. chain rule** — ✓ symbolic" in markdown


@pytest.mark.parametrize("name", sorted(BUILTINS))
def test_markdown_math_renders_with_katex(name: str) -> None:
    derivation = get(name)
    formulas = _math_blocks(render_markdown(derivation))
    shown = derivation._repr_latex_()  # $$…$$ with every verdict, then the summary in words
    formulas.append(shown[2 : shown.index("$$", 2)])
    assert katex_failures(formulas) == []


def test_text_is_plain_and_numbered(sigmoid: Derivation) -> None:
    text = render_text(sigmoid)
    assert "\x1b[" not in text
    assert text.splitlines()[0] == "Derivative of the sigmoid"
    wide = render_text(sigmoid, 200)  # wide enough that no rule wraps inside its column
    for number, step in enumerate(sigmoid.steps, 1):
        assert re.search(rf"^\s*{number}\s.*{re.escape(step.rule)}\s+✓ symbolic", wide, re.MULTILINE)
    assert "σ(x)⋅(1 - σ(x))" in text
    assert "12 claims: 12 verified symbolically" in text


def test_render_dispatches_every_format(sigmoid: Derivation) -> None:
    assert json.loads(render(sigmoid, "json"))["schema"] == "derive/1"
    assert render(sigmoid, "latex", standalone=True).startswith("\\documentclass")
    assert render(sigmoid, "markdown").startswith("# ")
    assert render(sigmoid, "pretty").startswith("Derivative")
    assert render(sigmoid, "text").startswith("# Derivative")
