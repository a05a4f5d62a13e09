"""Jupyter: a derivation displayed in a notebook carries its verdicts, through nbconvert too."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
import sympy as sp

from derive.model import Status
from derive.read.documents import check

nbformat = pytest.importorskip("nbformat")
nbconvert = pytest.importorskip("nbconvert")

WRONG = "$$ \\frac{d}{dx} x^3 = 3x^2 $$\n\n$$ \\frac{d}{dx} \\sin x = -\\cos x $$\n"


def _notebook_with(derivation: object) -> object:
    """A notebook as Jupyter saves it after running a cell that displays ``derivation``."""
    cell = nbformat.v4.new_code_cell("derive.check('notes.md')", execution_count=1)
    cell.outputs = [
        nbformat.v4.new_output(
            "execute_result",
            data={
                "text/latex": derivation._repr_latex_(),  # type: ignore[attr-defined]
                "text/markdown": derivation._repr_markdown_(),  # type: ignore[attr-defined]
                "text/plain": "<Derivation>",
            },
            execution_count=1,
        )
    ]
    return nbformat.v4.new_notebook(cells=[cell])


def test_the_notebook_display_carries_every_verdict_and_the_counterexample() -> None:
    derivation = check(WRONG, "markdown")
    assert [s.verdict.status for s in derivation.steps] == [Status.SYMBOLIC, Status.FAILED]
    shown = derivation._repr_latex_()
    assert r"\checkmark" in shown and r"\boldsymbol{\times}" in shown
    assert "the left side is" in shown  # the counterexample, with both values
    assert "1 wrong" in shown  # the summary
    markdown = derivation._repr_markdown_()
    assert "✗ WRONG" in markdown and "the left side is" in markdown


def test_nbconvert_keeps_the_wrong_step_visible(tmp_path: Path) -> None:
    derivation = check(WRONG, "markdown")
    notebook = _notebook_with(derivation)
    html, _ = nbconvert.HTMLExporter().from_notebook_node(notebook)
    assert "wrong: at x" in html
    if shutil.which("pandoc") is None:  # nbconvert's LaTeX and PDF routes run pandoc
        return
    latex, _ = nbconvert.LatexExporter().from_notebook_node(notebook)
    assert r"\boldsymbol{\times}" in latex and "wrong: at x" in latex
    if shutil.which("xelatex") is None:  # nbconvert's PDF route needs XeLaTeX
        return
    pdf, _ = nbconvert.PDFExporter().from_notebook_node(notebook)
    (tmp_path / "notes.pdf").write_bytes(pdf)
    if shutil.which("pdftotext") is not None:
        text = subprocess.run(
            ["pdftotext", str(tmp_path / "notes.pdf"), "-"], capture_output=True, text=True, check=True
        ).stdout
        assert "wrong: at x" in text


def test_the_display_of_a_verified_derivation_says_so(sigmoid: object) -> None:
    shown = sigmoid._repr_latex_()  # type: ignore[attr-defined]
    assert r"\boldsymbol{\times}" not in shown
    assert shown.count(r"\checkmark") >= len(sigmoid.steps)  # type: ignore[attr-defined]
    assert sp.latex(sp.Symbol("sigma")) in shown
