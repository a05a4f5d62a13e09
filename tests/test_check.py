"""derive check: our own exports read back clean, hand-written examples, hostile input."""

from __future__ import annotations

import contextlib
import random
from pathlib import Path

import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from derive.differentiate import differentiate
from derive.errors import DeriveError
from derive.model import Derivation
from derive.read.documents import check, load
from derive.read.latex_math import parse_latex
from derive.render import render

from .conftest import ROOT
from .expressions import EXPRESSIONS

EXAMPLES = ROOT / "examples"
# file -> the line of the first wrong step (None: every step holds)
EXPECTED = {
    "sigmoid-by-hand.tex": None,
    "chain-rule.md": None,
    "product-rule.txt": None,
    "logistic-loss.tex": None,
    "tanh.md": None,
    "sigmoid-sign-error.tex": 10,
    "lost-chain-factor.md": 7,
    "wrong-product-rule.txt": 4,
}
x = sp.Symbol("x")


@pytest.mark.parametrize("fmt", ["latex", "markdown", "json"])
def test_sigmoid_exports_check_clean(sigmoid: Derivation, fmt: str) -> None:
    checked = check(render(sigmoid, fmt, standalone=fmt == "latex"), fmt)
    assert checked.ok
    assert len(checked.definitions) == 2
    assert {s.rule for s in checked.steps} >= {"power rule", "chain rule", "substitute u back"}


@pytest.mark.parametrize(("text", "var"), EXPRESSIONS, ids=[f"{t} d{v}" for t, v in EXPRESSIONS])
def test_diff_exports_check_clean(text: str, var: str) -> None:
    derivation = differentiate(text, var)
    for fmt in ("latex", "markdown", "json"):
        checked = check(render(derivation, fmt), fmt)
        assert checked.ok, (fmt, [(s.line, s.verdict.describe()) for s in checked.steps if not s.verdict.ok])
        assert len(checked.steps) >= len(derivation.steps)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_examples(name: str) -> None:
    checked = check(EXAMPLES / name)
    failure = checked.first_failure()
    if EXPECTED[name] is None:
        assert checked.ok, [(s.line, s.verdict.describe()) for s in checked.steps if not s.verdict.ok]
    else:
        assert failure is not None and failure.line == EXPECTED[name]
        assert failure.verdict.point and failure.verdict.lhs_value != failure.verdict.rhs_value
        before = [s for s in checked.steps if s.line is not None and s.line < EXPECTED[name]]
        assert all(s.verdict.ok for s in before)


def test_every_example_is_tested() -> None:
    assert sorted(p.name for p in EXAMPLES.iterdir()) == sorted(EXPECTED)


@pytest.mark.parametrize(
    ("left", "right"),
    [
        (r"\sigma(x)(1 - \sigma(x))", r"\frac{e^{-x}}{(1+e^{-x})^2}"),
        (r"\frac{1}{4\cosh^2(x/2)}", r"\sigma(x)\,(1-\sigma(x))"),
        (r"\sigma'(x)", r"\sigma(1 - \sigma)"),
        (r"\frac{d\sigma}{dx}", r"\frac{e^{x}}{\left(e^{x} + 1\right)^{2}}"),
    ],
)
def test_equal_forms_are_not_reported_wrong(left: str, right: str) -> None:
    document = rf"Let $\sigma(x) := \frac{{1}}{{1+e^{{-x}}}}$. \[ {left} = {right} \]"
    assert check(document, "latex").ok


@pytest.mark.parametrize("right", [r"\sigma(x)(1 + \sigma(x))", r"\frac{e^{-x}}{1+e^{-x}}", r"\sigma(x)^2"])
def test_wrong_forms_are_never_verified(right: str) -> None:
    document = rf"Let $\sigma(x) := \frac{{1}}{{1+e^{{-x}}}}$. \[ \sigma'(x) = {right} \]"
    checked = check(document, "latex")
    assert checked.steps[0].verdict.status == "failed"


@pytest.mark.parametrize(
    ("latex", "expected"),
    [
        (r"\frac{d}{dx}\left(x^2\right)", sp.Derivative(x**2, x)),
        (r"\tanh^{2}(x)", sp.tanh(x) ** 2),
        (r"2x\,\sin x", 2 * x * sp.sin(x)),
        (r"e^{-x^2}", sp.exp(-(x**2))),
        (r"\exp(x) \cdot \ln x", sp.exp(x) * sp.log(x)),
        (r"\sqrt[3]{x} \times \log_{2} x", sp.cbrt(x) * sp.log(x, 2)),
        (r"\left|x - 1\right|", sp.Abs(x - 1)),
        (r"\frac{\partial L}{\partial z}", sp.Derivative(sp.Symbol("L"), sp.Symbol("z"))),
        (r"f''(x)", sp.Derivative(sp.Function("f")(x), (x, 2))),
        (r"\frac{d^2}{dx^2} \cos x", sp.Derivative(sp.cos(x), (x, 2))),
        (r"\operatorname{erf}{\left(x \right)}", sp.erf(x)),
    ],
)
def test_latex_notation(latex: str, expected: sp.Basic) -> None:
    assert parse_latex(latex) == expected


def test_text_format_with_definitions_and_derivatives() -> None:
    checked = check("let u = x^2\nd/dx(sin(u)) = cos(u) d/dx(u)  # chain rule\n= 2x cos(x^2)\n", "text")
    assert checked.ok
    assert next(s.rule for s in checked.steps) == "chain rule"
    assert [s.line for s in checked.steps] == [2, 3]


def test_unreadable_steps_are_reported_not_guessed() -> None:
    checked = check(r"\[ \frac{d}{dx} x^2 = 2x \] \[ \frac{d}{dx} x^3 = \foo{x} \]", "latex")
    assert checked.steps[0].verdict.status == "symbolic"
    assert checked.steps[1].unreadable and checked.steps[1].verdict.status == "unchecked"
    assert "column" in checked.steps[1].verdict.describe()


def test_load_reads_files_by_extension(tmp_path: Path) -> None:
    path = tmp_path / "d.md"
    path.write_text("$$ \\frac{d}{dx} x^2 = 2x $$\n", encoding="utf-8")
    assert load(path).steps[0].lhs == sp.Derivative(x**2, x)
    with pytest.raises(DeriveError, match="format"):
        load(_write(tmp_path / "d.xyz", "x = 1"))


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("fmt", ["latex", "markdown"])
def test_truncated_exports_fail_cleanly(sigmoid: Derivation, fmt: str) -> None:
    text = render(differentiate("x^2 sin(x)"), fmt) + render(sigmoid, fmt)
    rng = random.Random(7)
    for cut in sorted(rng.sample(range(1, len(text)), 60)):
        try:
            checked = check(text[:cut], fmt)
        except DeriveError:
            continue
        for step in checked.steps:
            if step.unreadable:
                assert "line" in step.verdict.describe()


_PIECES = [
    *"x2e^{}()\\fracdsqtinlog+-=*/|&_ $ab'",
    r"\frac",
    r"\left(",
    r"\right)",
    r"\sigma",
    r"\sin",
    "\\\\",
    r"\begin{align*}",
    r"\end{align*}",
    r"\text{r}",
    r"\sqrt",
    r"\left.",
    r"\right|",
    ":=",
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=25).map("".join))
def test_random_latex_never_raises_anything_but_derive_errors(text: str) -> None:
    for document in (f"\\[ {text} \\]", text):
        with contextlib.suppress(DeriveError):
            load(document, "latex")
