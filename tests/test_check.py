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
from derive.formats import render
from derive.formats.json import read as read_json
from derive.formats.json import write as write_json
from derive.model import Derivation
from derive.read.documents import check, load
from derive.read.latex_math import normalise, parse_latex

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
    "logistic-regression.md": None,
    "tanh-as-sigmoid-slip.md": 5,
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


# -- reading published notation ----------------------------------------------------------------------
z, y = sp.symbols("z y")
sigma = sp.Function("sigma")


@pytest.mark.parametrize(
    ("latex", "expected"),
    [
        (r"\frac12 + \frac1x", sp.Rational(1, 2) + 1 / x),
        (r"{1 \over 1 + e^{-x}}", 1 / (1 + sp.exp(-x))),
        (r"\dfrac{\mathrm{d}}{\mathrm{d}x} x^2", sp.Derivative(x**2, x)),
        (r"\frac{{\rm d}}{{\rm d}x} x^2", sp.Derivative(x**2, x)),
        (r"\frac{\operatorname{d}}{\operatorname{d}x}\left[x^3\right]", sp.Derivative(x**3, x)),
        (r"{\partial L \over \partial w}", sp.Derivative(sp.Symbol("L"), sp.Symbol("w"))),
        (r"\partial L/\partial w", sp.Derivative(sp.Symbol("L"), sp.Symbol("w"))),
        (r"\nabla_w L", sp.Derivative(sp.Symbol("L"), sp.Symbol("w"))),
        (r"dy/dx", sp.Derivative(y, x)),
        (r"ln x + sin(x) + exp(2x) + tanh x", sp.log(x) + sp.sin(x) + sp.exp(2 * x) + sp.tanh(x)),
        (r"\max(0, z) + relu(x)", sp.Max(0, z) + sp.Max(0, x)),
        (r"softplus(x)", sp.log(1 + sp.exp(x))),
        (r"\operatorname{sigmoid}(x)", 1 / (1 + sp.exp(-x))),
        (r"\hat{y} - \bar{x} + \tilde{z}", sp.Symbol("yhat") - sp.Symbol("xbar") + sp.Symbol("ztilde")),
        (r"z1 + z_1 + z_{1}", 3 * sp.Symbol("z_1")),
        (r"\mathrm{e}^{x} \biggl( 1 \biggr) \, \! \; \Big(x\Big)", x * sp.exp(x)),
        (r"y’", sp.Derivative(y, x)),
        (r"(x^2)'", sp.Derivative(x**2, x)),
        (r"\left(x^2 + 1\right)'", sp.Derivative(x**2 + 1, x)),
        (r"y''", sp.Derivative(y, (x, 2))),
        (r"\delta_{ij}", sp.KroneckerDelta(sp.Symbol("i", integer=True), sp.Symbol("j", integer=True))),
        (r"\mathbb{1}_{i=j}", sp.KroneckerDelta(sp.Symbol("i", integer=True), sp.Symbol("j", integer=True))),
        (r"\mathbf{w} \cdot \boldsymbol{x}", sp.Symbol("w") * x),
        (r"D_x x^2", sp.Derivative(x**2, x)),
        (
            r"\lim_{h \to 0} \frac{\sin h}{h}",
            sp.Limit(sp.sin(sp.Symbol("h")) / sp.Symbol("h"), sp.Symbol("h"), 0, "+-"),
        ),
        (r"\sin 2\theta", sp.sin(2 * sp.Symbol("theta"))),
        (r"y'(2)", sp.Subs(sp.Derivative(y, x), x, 2)),
        (r"x^2 \Big|_{x=3}", sp.Subs(x**2, x, 3)),
        (r"\boxed{x^2} + {\color{red} x}", x**2 + x),
        (r"\underbrace{x \cdot x}_{\text{product}} + \operatorname{sgn}(x)", x**2 + sp.sign(x)),
        (r"\left. x^2 \right|_{x=3}", sp.Subs(x**2, x, 3)),
    ],
)
def test_published_notation(latex: str, expected: sp.Basic) -> None:
    assert parse_latex(latex) == expected


def test_a_prime_on_a_function_of_a_function_is_the_derivative_at_that_point() -> None:
    f, g = sp.Function("f"), sp.Function("g")
    value = parse_latex(r"f'(g(x))")
    assert isinstance(value, sp.Subs)
    t = sp.Symbol("t")
    assert value.replace(f, sp.Lambda(t, t**3)).doit() == 3 * g(x) ** 2
    assert value.point == (g(x),)


def test_sums_and_indices() -> None:
    k, n = sp.Symbol("k", integer=True), sp.Symbol("n", integer=True, positive=True)
    z_ = sp.IndexedBase("z")
    assert parse_latex(r"\sum_{k=1}^{n} e^{z_k}") == sp.Sum(sp.exp(z_[k]), (k, 1, n))
    assert parse_latex(r"\sum_k e^{z_k}") == sp.Sum(sp.exp(z_[k]), (k, 1, n))
    assert parse_latex(r"\prod_{k=1}^{3} k") == sp.Product(k, (k, 1, 3))
    j = sp.Symbol("j", integer=True)
    assert parse_latex(r"\sum e^{z_j}") == sp.Sum(sp.exp(z_[j]), (j, 1, n))
    assert (
        parse_latex(r"x_{ij}")
        == sp.IndexedBase("x")[sp.Symbol("i", integer=True), sp.Symbol("j", integer=True)]
    )


def test_a_defined_function_at_a_number_is_evaluated_not_multiplied() -> None:
    functions = {"sigma": (x,)}
    assert parse_latex(r"\sigma(0)", functions) == sigma(0)
    assert parse_latex(r"\sigma(1 - \sigma)", functions) == sigma(x) * (1 - sigma(x))
    text = r"Let $\sigma(x) = \frac{1}{1+e^{-x}}$. $$\sigma(0) = \frac12$$ $$\sigma(0) = 0$$"
    checked = check(text, "markdown")
    assert [s.verdict.status for s in checked.steps] == ["symbolic", "failed"]


@pytest.mark.parametrize(
    "text",
    [
        r"2^{10^{10}}",
        r"(10^{7})!",
        r"\Gamma\left(10^{9}\right)",
        r"x^{a=b}",
        r"\frac{d^{x}}{dx} x",
        r"\frac{d}{dx_} x",
        r"\frac{d^2}{dx} x",
        r"\sin^{10^{10}}(2)",
        r"\sum_{1} x",
        r"\frac{\partial}{\partial 2} x",
    ],
)
def test_hostile_formulas_are_refused_at_once(text: str) -> None:
    with pytest.raises(DeriveError):
        parse_latex(text)


def test_hostile_formulas_in_a_document_are_not_read_with_line_and_column() -> None:
    document = "$$ a = 2^{10^{10}} $$\n\n$$ \\frac{d}{dx} x^{a=b} = 1 $$\n\n$$ \\frac{d}{dx} x^2 = 2x $$\n"
    checked = check(document, "markdown")
    assert [s.line for s in checked.steps if s.unreadable] == [1, 3]
    assert all("column" in s.unreadable for s in checked.steps if s.unreadable)
    assert checked.steps[-1].verdict.status == "symbolic"


def _statuses(text: str, fmt: str = "markdown") -> list[tuple[int | None, str]]:
    return [(s.line, str(s.verdict.status)) for s in check(text, fmt).steps]


def test_inline_math_in_prose_is_read_and_non_claims_are_skipped() -> None:
    text = (
        "The derivative of $\\Phi(\\cdot)$ at $x$ is known.\n"
        "We have \\(\\frac{d}{dx} x^3 = 3x^2\\) and $\\frac{d}{dx}\\sin x = \\cos x$,\n"
        "while $\\frac{d}{dx}\n x^2 = x$ is a slip.\n"
    )
    assert _statuses(text) == [(2, "symbolic"), (2, "symbolic"), (3, "failed")]


def test_a_value_given_in_prose_is_a_point_not_a_definition() -> None:
    text = "At $x = 0$ the slope is one: $$\\frac{d}{dx} \\sin x = \\cos x$$ and $$x^2 = 0$$\n"
    checked = check(text, "markdown")
    assert checked.definitions == ()
    assert [str(s.verdict.status) for s in checked.steps] == ["symbolic", "failed"]


def test_environments_inside_display_math_and_rows_continued_with_plus() -> None:
    text = (
        "$$\\begin{align}\n"
        "\\frac{d}{dx}\\left(x^2 + x^3\\right) &= 2x \\\\\n"
        "&+ 3x^2 \\\\\n"
        "&= x(2 + 3x)\n"
        "\\end{align}$$\n"
    )
    assert _statuses(text) == [(2, "symbolic"), (4, "symbolic")]


@pytest.mark.parametrize(
    "separator",
    [
        r"\Rightarrow",
        r"\implies",
        r"\iff",
        r"\to",
        r"\therefore",
        r"\text{and}",
        r"\quad",
        r"\qquad",
        ",",
        ";",
    ],
)
def test_a_chain_never_continues_across_a_separator(separator: str) -> None:
    text = f"$$ \\frac{{d}}{{dx}} x^2 = 2x {separator} \\frac{{d}}{{dx}} x^3 = 3x^2 $$"
    checked = check(text, "markdown")
    assert [(str(s.lhs), str(s.verdict.status)) for s in checked.steps] == [
        ("Derivative(x**2, x)", "symbolic"),
        ("Derivative(x**3, x)", "symbolic"),
    ]


def test_a_chain_resumes_only_from_a_row_that_was_read() -> None:
    text = "$$\\begin{aligned} x^2 &= x \\cdot x \\\\ \\foo{x} &= 1 \\\\ &= x^2 \\end{aligned}$$"
    checked = check(text, "markdown")
    assert [bool(s.unreadable) for s in checked.steps] == [False, True, True]
    assert checked.first_failure() is None


@pytest.mark.parametrize(
    ("row", "condition"),
    [
        (r"\frac{d}{dx}|x| = 1, \quad x > 0", sp.Symbol("x") > 0),
        (r"\frac{d}{dx}|x| = -1 \text{ for } x < 0", sp.Symbol("x") < 0),
        (r"\frac{x^2}{x} = x \quad (x \neq 0)", sp.Ne(sp.Symbol("x"), 0)),
        (
            r"\delta_{ij} = 1, \quad i = j",
            sp.Eq(sp.Symbol("i", integer=True), sp.Symbol("j", integer=True)),
        ),
        (
            r"\delta_{ij} = 0 \quad \text{if } i \neq j",
            sp.Ne(sp.Symbol("i", integer=True), sp.Symbol("j", integer=True)),
        ),
    ],
)
def test_conditions_are_part_of_the_claim_not_steps(row: str, condition: sp.Basic) -> None:
    steps = load(f"$$ {row} $$", "markdown").steps
    assert len(steps) == 1
    assert steps[0].condition == condition


@pytest.mark.parametrize(
    ("text", "fmt"), [("2 != 2", "text"), ("$$ 2 \\neq 2 $$", "markdown"), ("1 < 2", "text")]
)
def test_relations_other_than_equality_are_not_read_as_equations(text: str, fmt: str) -> None:
    (step,) = load(text, fmt).steps
    assert step.unreadable and "not an equation" in step.unreadable


@pytest.mark.parametrize(
    "definition",
    [
        r"$z = wx + b$",
        r"Let $z := wx + b$.",
        r"where $z \coloneqq wx + b$",
        r"$z \equiv wx + b$",
        r"$z \triangleq wx + b$",
        r"$z \stackrel{\text{def}}{=} wx + b$",
    ],
)
def test_definitions_anywhere(definition: str) -> None:
    derivation = load(f"{definition}\n\n$$\\frac{{dz}}{{dw}} = x$$", "markdown")
    assert [str(d.lhs) for d in derivation.definitions] == ["z"]
    assert [str(s.lhs) for s in derivation.steps] == ["Derivative(z, w)"]


def test_an_undefined_sigma_is_a_function_and_the_sigmoid_is_named_in_words() -> None:
    claim = r"$$\sigma'(x) = \sigma(x)(1 - \sigma(x))$$"
    open_sigma = load(claim, "markdown")
    assert open_sigma.definitions == ()
    assert open_sigma.steps[0].rhs == sigma(x) * (1 - sigma(x))
    named = check(f"Here $\\sigma$ is the sigmoid.\n\n{claim}", "markdown")
    assert named.ok
    defined = check(claim, "markdown", ["sigma(x)=1/(1+exp(-x))"])
    assert defined.ok


def test_implicit_differentiation_puts_the_relation_into_the_condition() -> None:
    text = "$$x^2 + y^2 = 1$$\n\n$$2x + 2y y' = 0$$\n\n$$y' = -\\frac{x}{y}$$\n"
    derivation = load(text, "markdown")
    yx = sp.Function("y")(x)
    assert [s.condition for s in derivation.steps] == [sp.Eq(x**2 + yx**2, 1)] * 2
    assert derivation.steps[1].lhs == sp.Derivative(yx, x)


def test_the_summary_counts_the_authors_claims_only() -> None:
    from derive.formats.marks import summary

    checked = check("$$ \\frac{d}{dx} x^2 = 2x $$\n\n$$ \\frac{d}{dx} x^3 = \\foo $$", "markdown")
    assert summary(checked).startswith("1 of 2 claims read: 1 verified symbolically, 1 not read")


def test_define_on_the_command_line(tmp_path: Path) -> None:
    from .conftest import run_derive

    path = _write(tmp_path / "s.md", r"$$\sigma'(x) = \sigma(x)(1 - \sigma(x))$$")
    run = run_derive("check", str(path), "--define", "sigma(x)=1/(1+exp(-x))")
    assert run.returncode == 0, run.stdout + run.stderr
    bad = run_derive("check", str(path), "--define", "sigma(x)")
    assert bad.returncode == 2 and "definition" in bad.stderr


_SEEDS = [
    (
        "markdown",
        "# s\nLet $\\sigma(x) = \\frac{1}{1+e^{-x}}$, the sigmoid.\n\n"
        "$$\\begin{aligned} \\sigma'(x) &= \\frac{e^{-x}}{(1+e^{-x})^2} \\\\\n"
        "&= \\sigma(1-\\sigma) \\end{aligned}$$\n"
        "At $x = 0$: $\\sigma(0) = \\frac12$, and $2 \\neq 3$.\n",
    ),
    (
        "latex",
        "\\begin{align}\nf(x) &= x^x \\Rightarrow \\ln f = x \\ln x \\\\\n"
        "\\frac{f'}{f} &= \\ln x + 1 \\quad (x > 0)\n\\end{align}\n"
        "\\[ \\frac{\\partial a_j}{\\partial z_i} = a_j(\\delta_{ij} - a_i), \\quad i \\neq j \\]\n",
    ),
    ("text", "let u = x^2\nd/dx(sin(u)) = cos(u) d/dx(u)  # chain rule\n= 2x cos(x^2), x != 0\n"),
    (
        "markdown",
        "$$x^2 + y^2 = 1 \\implies 2x + 2yy' = 0$$\n\n$$y' = -\\frac{x}{y} \\text{ for } y \\ne 0$$\n"
        "$$\\sum_{k=1}^{n} k = \\frac{n(n+1)}{2}$$ $$\\frac{d}{dx}\\left[\\tanh x\\right] = 1 - \\tanh^2 x$$",
    ),
]
_INSERTS = [
    *"$&=^_{}()\\'!,;<>|",
    r"\frac",
    r"\left(",
    r"\right)",
    r"\sum_{k=1}^{n}",
    r"\delta_{ij}",
    r"\\",
    r"\begin{aligned}",
    r"\end{aligned}",
    r"\text{if }",
    r"\quad",
    r"\Rightarrow",
    r"\over",
    "10^{10}",
    "!",
    "’",
    r"\mathrm{d}",
    r"\partial",
    "$$",
    "\n\n",
]


@st.composite
def _mutated(draw: st.DrawFn) -> tuple[str, str]:
    fmt, text = draw(st.sampled_from(_SEEDS))
    for _ in range(draw(st.integers(1, 4))):
        position = draw(st.integers(0, len(text)))
        action = draw(st.sampled_from(["insert", "delete", "duplicate"]))
        if action == "insert":
            text = text[:position] + draw(st.sampled_from(_INSERTS)) + text[position:]
        elif action == "delete":
            text = text[:position] + text[position + draw(st.integers(1, 12)) :]
        else:
            text = text[:position] + text[position : position + draw(st.integers(1, 20))] + text[position:]
    return fmt, text


@settings(max_examples=1000, deadline=None, derandomize=True)  # the same cases on every run
@given(_mutated())
def test_mutated_documents_never_raise_and_exit_within_the_contract(case: tuple[str, str]) -> None:
    import io
    import tempfile

    from derive.cli import main

    fmt, text = case
    suffix = {"markdown": ".md", "latex": ".tex", "text": ".txt"}[fmt]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"doc{suffix}"
        path.write_text(text, encoding="utf-8")
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            code = main(["check", str(path)])
    assert code in (0, 1, 2, 3)


def test_a_left_side_alone_on_its_row_starts_the_chain_below() -> None:
    text = (
        "\\begin{align*}\n\\frac{d}{dx}\\left(x^2 + 1\\right)^3 \\\\\n"
        "&= 3\\left(x^2+1\\right)^2 \\cdot 2x \\\\\n&= 6x\\left(x^2+1\\right)^3\n\\end{align*}\n"
    )
    assert _statuses(text, "latex") == [(3, "symbolic"), (4, "failed")]


def test_a_notebooks_markdown_cells_are_read_with_the_files_line_numbers(tmp_path: Path) -> None:
    import json

    cells = [
        {"cell_type": "markdown", "metadata": {}, "source": ["Let $u = x^2$.\n"]},
        {"cell_type": "code", "metadata": {}, "outputs": [], "source": ["y = 1  # $y = 3$\n"]},
        {"cell_type": "markdown", "metadata": {}, "source": ["$$\\frac{d}{dx}\\sin u = 2x\\cos(x^2)$$"]},
    ]
    path = _write(tmp_path / "n.ipynb", json.dumps({"cells": cells, "nbformat": 4}, indent=1))
    checked = check(path)
    (step,) = checked.steps
    assert step.verdict.status == "symbolic"
    assert '"$$\\\\frac{d}{dx}' in path.read_text().split("\n")[step.line - 1]


def test_a_chain_goes_on_from_a_left_side_that_was_read() -> None:
    text = "$$\\begin{aligned} x^2 + 2x &= \\foo{x} \\\\ &= x(x + 2) \\end{aligned}$$"
    checked = check(text, "markdown")
    assert [bool(s.unreadable) for s in checked.steps] == [True, False]
    assert checked.steps[1].verdict.ok


def test_the_added_result_survives_json() -> None:
    checked = check("$$ \\frac{d}{dx} x^2 = 2x $$", "markdown")
    assert checked.result_is_added
    assert read_json(write_json(checked)).result_is_added


def test_a_name_defined_again_for_a_new_example_is_a_new_name_from_there_on() -> None:
    text = (
        "Let $f(x) = x^2$. Then $f'(x) = 2x$ and $f(2) = 4$.\n\n"
        "Let $f(x) = \\sin x$. Then $f'(x) = \\cos x$.\n"
    )
    checked = check(text, "markdown")
    assert [str(d.lhs) for d in checked.definitions] == ["f(x)", "f_2(x)"]
    assert checked.ok


def test_each_claim_is_shown_as_its_author_wrote_it() -> None:
    from derive.printing import is_unevaluated, latex

    text = (
        "$$\\begin{aligned}\n"
        "\\frac{d}{dx}\\left(1+e^{-x}\\right)^{-1} &= -\\left(1+e^{-x}\\right)^{-2} \\cdot (-e^{-x}) \\\\\n"
        "&= \\frac{e^{-x}}{(1+e^{-x})^2}\n"
        "\\end{aligned}$$\n"
    )
    checked = check(text, "markdown")
    first = checked.steps[0]
    assert first.source == (
        r"\frac{d}{dx}\left(1+e^{-x}\right)^{-1} = -\left(1+e^{-x}\right)^{-2} \cdot (-e^{-x})"
    )
    assert first.written is not None and is_unevaluated(first.written[1])
    assert r"\cdot \left(- e^{- x}\right)" in latex(first.equation)  # the author's grouping, kept
    assert first.rhs == sp.exp(-x) / (1 + sp.exp(-x)) ** 2  # what was checked is the evaluated form
    assert checked.steps[1].source == r"= \frac{e^{-x}}{(1+e^{-x})^2}"
    assert read_json(write_json(checked)).steps[0].written == first.written
    # once: the result derive adds repeats the last claim, and no view shows it a second time
    for fmt in ("text", "markdown", "latex"):
        shown = render(checked, fmt)
        assert shown.count("result") == 0, fmt


def test_an_unreadable_row_is_shown_once_with_its_reason_once() -> None:
    checked = check("$$ \\frac{d}{dx} x^2 = 2x $$\n\n$$ a \\circ b = c $$\n", "markdown")
    row = checked.steps[-1]
    assert row.unreadable and row.source == r"a \circ b = c"
    for fmt in ("text", "markdown"):
        shown = render(checked, fmt)
        assert shown.count(r"a \circ b = c") == 1, fmt
        assert shown.count("unknown command") == 1, fmt
    assert "\\\\circ" not in row.unreadable  # the formula as written, not as a Python repr


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        (r"\sigma.(1-\sigma)", sp.Symbol("sigma") * (1 - sp.Symbol("sigma"))),
        (r"f(x).g(x)", sp.Function("f")(x) * sp.Function("g")(x)),
        (r"2.5x", sp.Rational(5, 2) * x),
        (r"\left. x^2 \right|_{x=3}", sp.Subs(x**2, x, 3)),
    ],
)
def test_a_full_stop_between_factors_is_a_product(row: str, expected: sp.Basic) -> None:
    assert parse_latex(row, scalars=frozenset({"sigma"})) == expected


def test_a_stated_equation_for_a_quantity_that_is_differentiated_is_a_premise() -> None:
    # the Q&A style: (1 + e^{-x})σ = 1 is given, σ is then differentiated; σ is no number
    text = (
        "From the given equation\n\n$(1+e^{-x})\\sigma=1$\n\n"
        "$\\Rightarrow -e^{-x}\\sigma+(1+e^{-x})\\frac{d\\sigma}{dx}=0$\n\n"
        "$\\Rightarrow \\frac{d\\sigma}{dx}=\\sigma.\\frac{e^{-x}}{1+e^{-x}}"
        "=\\sigma.\\frac{(1+e^{-x})-1}{1+e^{-x}}$\n"
    )
    checked = check(text, "markdown")
    assert [s.line for s in checked.steps] == [5, 7, 7]
    assert all(s.verdict.status == "symbolic" for s in checked.steps)
    assert "follows from" in checked.steps[0].verdict.method


def test_a_curve_with_a_power_of_two_to_the_x_is_decided_or_left_quickly() -> None:
    # exact points on 2^x + y^2 = 1 once asked SymPy for a q-th root of 2^p with ten-digit p, q
    text = "$$ 2^{x} + y^2 = 1 $$\n\n$$ 2^x \\ln 2 + 2 y y' = 0 $$\n\n$$ y' = 3 $$\n"
    statuses = [str(s.verdict.status) for s in check(text, "markdown").steps]
    assert statuses == ["symbolic", "undecided"]


def test_a_greek_letter_typed_in_unicode_names_a_function_as_its_latex_does() -> None:
    # σ(x) := … in a plain-text file once read as σ·x, and a right claim about it came out WRONG
    text = "σ(x) := 1/(1+e^(-x))\nd/dx(σ(x)) = σ(x)*(1-σ(x))\nd/dx(σ(x)) = σ(x)*(1+σ(x))\n"
    assert _statuses(text, "text") == [(2, "symbolic"), (3, "failed")]


def test_a_sentence_ending_full_stop_is_not_a_product() -> None:
    # "y = 3x. \qquad y' = 3." once lost the definition to "3x \cdot" and then called y' = 3 WRONG
    assert _statuses("$$ y = 3x. \\qquad y' = 3. $$\n") == [(1, "symbolic")]
    assert r"\cdot" not in normalise(r"\mathrm{e.g.}\ x")  # prose, never a product


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("sigma(x) := 1/(1+e^(-x))\nsigma'(x) = sigma(x)*(1-sigma(x))\n", [(2, "symbolic")]),
        ("f(x) := x^2\nf'(x) = 2x\nf''(x) = 2\n", [(2, "symbolic"), (3, "symbolic")]),
        # Unicode and ASCII spellings mixed, as derive's own .txt and a person's typing would be
        (
            "σ(x) := 1/(1+e^(-x))\nd/dx(sigma(x)) = σ(x)(1 − σ(x))\nσ'(x) = sigma(x)\n",
            [(2, "symbolic"), (3, "failed")],
        ),
        ("d/dx(σ(x)) = σ(x)(1 − σ(x))\n", [(1, "undecided")]),  # σ left open: depends on what σ is
        ("d/dθ(sin(θ)) = cos(θ)\n", [(1, "symbolic")]),
    ],
)
def test_primes_and_greek_letters_in_plain_text(text: str, expected: list[tuple[int, str]]) -> None:
    assert _statuses(text, "text") == expected


@pytest.mark.parametrize(
    ("latex", "expected"),
    [
        (r"\tan^{-1} x", sp.atan(x)),
        (r"\sin^{-1}(x)", sp.asin(x)),
        (r"\sinh^{-1} x", sp.asinh(x)),
        (r"\sin^{2} x", sp.sin(x) ** 2),
        (r"\tan^{-2} x", sp.tan(x) ** -2),
    ],
)
def test_a_function_to_the_minus_one_is_its_inverse(latex: str, expected: sp.Basic) -> None:
    assert parse_latex(latex) == expected


def test_a_premise_linear_in_the_quantity_decides_what_follows() -> None:
    text = (
        "From the given equation $(1+e^{-x})\\sigma=1$ we get\n\n"
        "$$\\frac{d\\sigma}{dx}=\\sigma.\\frac{e^{-x}}{1+e^{-x}}=\\sigma.(1-\\sigma)$$\n\n"
        "and not $$\\frac{d\\sigma}{dx}=\\sigma.(1+\\sigma)$$\n"
    )
    assert _statuses(text) == [(3, "symbolic"), (3, "symbolic"), (5, "failed")]


def test_the_stacked_2d_view_is_refused_in_one_line() -> None:
    from derive.formats import render

    wide = check("$$ \\frac{d}{dx} x^2 = 2x $$\n", "markdown")
    stacked = render(wide, "pretty").replace("─", " ")  # no table rule, as in a narrow stacked view
    with pytest.raises(DeriveError, match="2-D view"):
        check(stacked, "text")


def test_a_sentences_full_stop_ends_a_claim() -> None:
    # two right claims once read as one chain across ". \;\;" and came out WRONG twice
    text = "$$ \\frac{d}{dx}\\,\\sin x = \\cos x. \\;\\; \\frac{d}{dx}\\,e^{x} = e^{x}. $$\n"
    assert _statuses(text) == [(1, "symbolic"), (1, "symbolic")]
    assert _statuses("$$ \\frac{d}{dx} x^{2.5} = 2.5 x^{1.5} $$\n") == [(1, "symbolic")]


def test_the_invisible_delimiter_is_no_full_stop() -> None:
    text = "$$ \\left. x^2 \\right|_{x=3} = 9 \\quad \\bigl. y \\bigr|_{y=1} = y $$\n"
    assert _statuses(text)[0][1] == "symbolic"


@pytest.mark.parametrize(
    ("text", "statuses"),
    [
        # dy/dx, d²y/dx² and d/dx(y) in plain text are derivatives of an implicit y, not x·y
        ("x^2+y^2=1\n2x + 2y*dy/dx = 0\ndy/dx = -x/y\nd^2y/dx^2 = -1/y^3\n", ["symbolic"] * 3),
        ("x^2+y^2=1\ndy/dx = x/y\n", ["failed"]),
        ("x^2+y^2=1\nd/dx(y) = -x/y\n", ["symbolic"]),
        # a relation through a known function: x is the variable, y depends on it
        ("sin(y) = x\ny' = 1/cos(y)\n", ["symbolic"]),
        ("ln(y) = x\ny' = y\n", ["symbolic"]),
        ("sin(y) = x^2\ny' = x/cos(y)\n", ["failed"]),
        # a later y = … is a claim about one branch, not a definition that ends the relation
        ("x^2+y^2=1\n2x + 2y*y' = 0\ny' = -x/y\ny = sqrt(1-x^2)\n", ["symbolic", "symbolic", "failed"]),
    ],
)
def test_implicit_differentiation_in_plain_text(text: str, statuses: list[str]) -> None:
    checked = check(text, "text")
    assert [s.verdict.status.value for s in checked.steps] == statuses


@pytest.mark.parametrize(
    ("claim", "status", "where"),
    [
        # SymPy differentiates across a jump as if there were none: the verdict says where it holds
        ("d/dx(Piecewise((x, x < 1), (x + 1, otherwise))) = 1", "symbolic", "x ≠ 1"),
        ("d/dx(Piecewise((1, x < 0), (2, otherwise))) = 0", "symbolic", "x ≠ 0"),
        ("d/dx(|x|) = sign(x)", "symbolic", "x ≠ 0"),
        ("d/dx(|sin(x)|) = cos(x)*sign(sin(x))", "symbolic", "sin(x) ≠ 0"),
        ("d/dx(floor(x)) = 0", "undecided", ""),
        ("d/dx(|x|) = 1", "failed", "x > 0"),
    ],
)
def test_a_derivative_across_a_jump_is_claimed_only_where_it_exists(
    claim: str, status: str, where: str
) -> None:
    (step,) = check(claim + "\n", "text").steps
    assert step.verdict.status.value == status
    assert step.verdict.condition_text() == where


def test_a_function_letter_defined_as_a_quantity_is_that_quantity() -> None:
    """``Let f = x² sin x`` and then f': f is the defined quantity, as u would be, not an
    unspecified function f(x) (which left every line undecided and a wrong one unflagged)."""
    checked = check(
        "Let $f = x^2 \\sin x$.\n\n$$f' = 2x \\sin x + x^2 \\cos x$$\n\n"
        "$$\\frac{\\partial f}{\\partial x} = 2x \\sin x$$\n",
        "markdown",
    )
    assert [s.verdict.status for s in checked.steps] == ["symbolic", "failed"]


def test_a_function_letter_applied_to_an_argument_stays_a_function() -> None:
    checked = check("$$f(x) = x^2 \\sin x$$\n\n$$f'(x) = 2x \\sin x + x^2 \\cos x$$\n", "markdown")
    assert [s.verdict.status for s in checked.steps] == ["symbolic"]
