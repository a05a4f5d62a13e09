"""Exact notation in every format: brackets after d/dx, ln, Unicode labels, the real variable in
rule names, no dx/dx, clean-up steps named for what they did, titles in mathematical notation."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import sympy as sp

from derive.differentiate import _fractions_in_sums, _tidy_label, differentiate
from derive.errors import DeriveError
from derive.formats import render
from derive.formats.json import read as read_json
from derive.formats.json import write as write_json
from derive.formats.latex import escape
from derive.library import BUILTINS, get
from derive.model import Derivation
from derive.oneline import derivative_title, one_line, split_title
from derive.printing import latex, pretty

from .conftest import pdflatex, run_derive

x, w = sp.symbols("x w")


# -- d/dx before a product, a sum or a power is bracketed ------------------------------------------
@pytest.mark.parametrize(
    ("expr", "expected"),
    [
        (
            sp.Derivative(x**2 * sp.exp(3 * x) * sp.cos(2 * x), x),
            r"\frac{d}{d x} \left(x^{2} e^{3 x} \cos{\left(2 x \right)}\right)",
        ),
        (sp.Derivative(x + sp.sin(x), x), r"\frac{d}{d x} \left(x + \sin{\left(x \right)}\right)"),
        (sp.Derivative(x**2, x), r"\frac{d}{d x} \left(x^{2}\right)"),
        (sp.Derivative(x**2, (x, 2)), r"\frac{d^{2}}{d x^{2}} \left(x^{2}\right)"),
        (sp.Derivative(x, x), r"\frac{d}{d x} x"),
        (sp.Derivative(sp.Function("f")(x), x), r"\frac{d f}{d x}"),
    ],
)
def test_latex_brackets_what_d_dx_applies_to(expr: sp.Basic, expected: str) -> None:
    assert latex(expr) == expected


def test_product_rule_step_brackets_each_derivative_in_latex_and_markdown() -> None:
    derivation = differentiate("x^2 e^(3x) cos(2x)")
    first = (
        r"\frac{d}{d x} \left(x^{2} e^{3 x} \cos{\left(2 x \right)}\right) = "
        r"\frac{d}{d x} \left(x^{2}\right) \cdot e^{3 x} \cdot \cos{\left(2 x \right)} + "
        r"x^{2} \cos{\left(2 x \right)} \frac{d}{d x} \left(e^{3 x}\right) + "
        r"x^{2} \cdot e^{3 x} \cdot \frac{d}{d x} \left(\cos{\left(2 x \right)}\right)"
    )
    assert f"$$ {first} $$" in render(derivation, "markdown").splitlines()
    row = render(derivation, "latex").splitlines()[3]
    assert row.startswith(first.replace(" = ", " &= ", 1) + r" && \text{product rule}")


# -- \ln by default, \log on request --------------------------------------------------------------
def test_natural_log_is_ln_by_default_and_log_on_request() -> None:
    derivation = differentiate("x^2 ln(x)")
    assert latex(sp.log(x)) == r"\ln{\left(x \right)}"
    assert latex(sp.log(x), log_notation="log") == r"\log{\left(x \right)}"
    for fmt in ("latex", "markdown"):
        default = render(derivation, fmt)
        asked = render(derivation, fmt, log_notation="log")
        assert r"\ln{\left(x \right)}" in default and r"\log" not in default
        assert r"\log{\left(x \right)}" in asked and r"\ln" not in asked
    assert r"\ln{\left(x \right)}" in derivation._repr_latex_()


def test_log_notation_is_checked() -> None:
    with pytest.raises(DeriveError, match="unknown log notation"):
        render(differentiate("ln(x)"), "latex", log_notation="lg")


def test_cli_log_notation_option() -> None:
    run = run_derive("diff", "x ln(x)", "--format", "latex", "--log-notation", "log")
    assert run.returncode == 0, run.stderr
    assert r"\log{\left(x \right)}" in run.stdout and r"\ln" not in run.stdout
    run = run_derive("diff", "x ln(x)", "--format", "markdown")
    assert r"\ln{\left(x \right)}" in run.stdout and r"\log" not in run.stdout
    bad = run_derive("diff", "x ln(x)", "--log-notation", "lg")
    assert bad.returncode == 2 and len(bad.stderr.strip().splitlines()) == 1


# -- labels in Unicode ------------------------------------------------------------------------------
def test_sigmoid_labels_are_in_mathematical_notation(sigmoid: Derivation) -> None:
    rules = [step.rule for step in sigmoid.steps]
    assert "definition of σ" in rules
    assert "recognise σ and 1 − σ" in rules
    assert sigmoid.definitions[1].why == "the inner function, so that σ = 1/u"


@pytest.mark.parametrize("name", sorted(BUILTINS))
def test_builtin_labels_have_no_ascii_names_or_minus(name: str) -> None:
    derivation = get(name)
    texts = [derivation.title]
    texts += [text for step in (*derivation.steps, derivation.result) for text in (step.rule, step.why)]
    texts += [d.why for d in derivation.definitions]
    for text in texts:
        assert "sigma" not in text, text
        assert "exp(" not in text, text
        assert " - " not in text and "(-" not in text, text


def test_in_terms_of_label_names_sigma_as_sigma() -> None:
    assert get("logistic-loss").steps[-1].rule == "in terms of σ: solve σ = 1/(1 + e^(−z)) for z"


def test_latex_escape_typesets_unicode_labels() -> None:
    assert escape("recognise σ and 1 − σ") == r"recognise $\sigma$ and 1 $-$ $\sigma$"
    assert escape("u ≔ 1 + e^(−x)") == r"u $:=$ 1 + e\textasciicircum{}($-$x)"
    assert escape("∂sᵢ/∂zⱼ = sᵢ(δᵢⱼ − sⱼ)") == (
        r"$\partial$s$_{i}$/$\partial$z$_{j}$ = s$_{i}$($\delta_{ij}$ $-$ s$_{j}$)"
    )
    assert escape("uⁿ, x², Λ") == r"u$^{n}$, x$^{2}$, $\Lambda$"


# -- the real variable, and never dx/dx -------------------------------------------------------------
def test_variable_rule_names_the_variable() -> None:
    derivation = differentiate("w^3 + w", "w")
    assert derivation.steps[0].rule == "sum rule; d/dw w = 1"
    assert differentiate("x").steps[0].rule == "d/dx x = 1"


@pytest.mark.parametrize(
    "text", ["x e^x", "x + sin(x)", "sin(x)/x", "x/(1+x^2)", "x^2 + x", "max(0, x)", "x ln(x)"]
)
def test_no_derivative_of_the_variable_is_left_in_any_step(text: str) -> None:
    derivation = differentiate(text)
    for step in (*derivation.steps, derivation.result):
        assert sp.Derivative(x, x) not in sp.preorder_traversal(step.rhs), step
    for fmt in ("latex", "markdown"):
        assert r"\frac{d x}{d x}" not in render(derivation, fmt)
    assert all(step.verdict.ok for step in derivation.steps)


def test_product_rule_step_with_x_as_a_factor_reads_as_written() -> None:
    derivation = differentiate("x e^x")
    step = derivation.steps[0]
    assert step.rule == "product rule; d/dx x = 1"
    assert latex(step.rhs) == r"e^{x} + x \frac{d}{d x} \left(e^{x}\right)"


def test_pretty_prints_d_dx_x_as_an_operator() -> None:
    assert pretty(sp.Derivative(x, x)).splitlines() == ["d    ", "──(x)", "dx   "]


# -- clean-up steps are named for what they changed -----------------------------------------------
@pytest.mark.parametrize(
    ("operation", "before", "after", "label"),
    [
        ("factor out", x * sp.exp(x) + sp.exp(x), (x + 1) * sp.exp(x), "factor out common terms"),
        ("cancel", -1 / (x**2 * (1 + x**-2)), -1 / (x**2 + 1), "combine over a common denominator"),
        ("cancel", x * (x + 1) + x, x**2 + 2 * x, "multiply out"),
        ("cancel", (x**2 - 1) / ((x - 1) * (x + 2)), (x + 1) / (x + 2), "cancel common factors"),
        (
            "factor out",
            (-2 * x * (x**2 - 1) + 2 * x * (x**2 + 1)) / (x**2 + 1) ** 2,
            4 * x / (x**2 + 1) ** 2,
            "simplify the numerator",
        ),
        (
            "factor",
            ((sp.cos(x) + 1) * sp.cos(x) + sp.sin(x) ** 2) / (sp.cos(x) + 1) ** 2,
            (sp.sin(x) ** 2 + sp.cos(x) ** 2 + sp.cos(x)) / (sp.cos(x) + 1) ** 2,
            "multiply out the numerator",
        ),
        ("factor", x**2 - 1, (x - 1) * (x + 1), "factor"),
    ],
)
def test_tidy_label_names_the_change(operation: str, before: sp.Expr, after: sp.Expr, label: str) -> None:
    assert _tidy_label(operation, before, after) == label


@pytest.mark.parametrize(
    "text", ["x e^x", "1/x + 1/x^2", "atan(1/x)", "x^2/(x+1)", "x e^(-x^2)", "(x+1)^2 (x-1)"]
)
def test_common_denominator_is_named_only_where_a_sum_held_a_fraction(text: str) -> None:
    derivation = differentiate(text)
    previous = None
    for step in derivation.steps:
        if "common denominator" in step.rule:
            assert previous is not None and _fractions_in_sums(step.rhs) < _fractions_in_sums(previous)
        previous = step.rhs
    assert derivation.ok


@pytest.mark.parametrize("name", ["swish", "logsigmoid", "logistic-loss"])
def test_catalog_common_denominator_steps_combine_a_fraction(name: str) -> None:
    steps = get(name).steps
    combined = [i for i, s in enumerate(steps) if s.rule == "combine over a common denominator"]
    assert combined
    for i in combined:
        assert _fractions_in_sums(steps[i].rhs) < _fractions_in_sums(steps[i - 1].rhs)


# -- titles in mathematical notation --------------------------------------------------------------
def test_title_in_every_format() -> None:
    derivation = differentiate("x^3 sin(x)", order=2)
    assert derivation.title == "Second derivative of x³·sin(x)"
    assert derivation.subject == x**3 * sp.sin(x)
    assert "Second derivative of x³·sin(x)" in render(derivation, "pretty").splitlines()
    assert "# Second derivative of x³·sin(x)" in render(derivation, "text").splitlines()
    markdown = render(derivation, "markdown")
    heading = r"# Second derivative of $x^{3} \sin{\left(x \right)}$"
    assert heading in markdown.splitlines()
    assert "**" not in heading
    standalone = render(derivation, "latex", standalone=True)
    assert r"\section*{Second derivative of $x^{3} \sin{\left(x \right)}$}" in standalone.splitlines()


def test_title_words() -> None:
    assert derivative_title(x * sp.exp(-(x**2))) == "Derivative of x·e^(−x²)"
    assert derivative_title(x**3, 3) == "Third derivative of x³"
    assert derivative_title(w**2, 10) == "Tenth derivative of w²"
    assert split_title("Derivative of x³", x**3) == ("Derivative of", x**3)
    assert split_title("Derivative of tanh", sp.tanh(x)) == ("Derivative of tanh", None)


def test_a_chosen_title_is_kept_as_text() -> None:
    for name in ("sigmoid", "tanh"):
        derivation = get(name)
        assert render(derivation, "markdown").splitlines()[0] == f"# {derivation.title}"


def test_markdown_title_escapes_markup() -> None:
    derivation = Derivation("a **b** c_d", x, (), (), get("sigmoid").result)
    assert render(derivation, "markdown").splitlines()[0] == r"# a \*\*b\*\* c\_d"


def test_subject_round_trips_through_json() -> None:
    derivation = differentiate("x^3 sin(x)", order=2)
    data = json.loads(write_json(derivation))
    assert data["title"] == "Second derivative of x³·sin(x)"
    assert data["subject"] == "x**3*sin(x)"
    assert read_json(write_json(derivation)).subject == derivation.subject
    assert "subject" not in json.loads(write_json(get("sigmoid")))


def test_one_line_writes_greek_names_as_letters() -> None:
    sigma = sp.Function("sigma")
    assert one_line(sigma(x) * (1 - sigma(x))) == "(1 − σ(x))·σ(x)"
    assert one_line(sp.Symbol("lambda") * sp.Symbol("z_1")) == "λ·z₁"


def test_title_with_math_compiles_with_pdflatex(tmp_path: Path) -> None:
    derivation = differentiate("x^3 sin(x) ln(x)", order=2)
    pdflatex(render(derivation, "latex", standalone=True), tmp_path)
