"""Gradient, Jacobian and Hessian (derive grad / jacobian / hessian): each partial derivative a
verified stage, the results equal to SymPy's own diff, jacobian and hessian, matrices in every
format, JSON that reads back as a SymPy Matrix, and clean errors for bad input."""

from __future__ import annotations

import json as jsonlib
import random
import re
from dataclasses import replace
from functools import cache

import pytest
import sympy as sp

import derive
from derive.errors import DeriveError
from derive.formats import json, render
from derive.formats.pretty import render_text
from derive.formats.text import linear
from derive.model import Derivation, Status
from derive.multivariable import matrix_verdict, variables_from, verify_partials
from derive.printing import latex

from .conftest import ROOT, katex_failures, pdflatex, run_derive

x, y, z, w, b, r, t, p = sp.symbols("x y z w b r t p")

# (as typed, variables, the same function built directly in SymPy)
FUNCTIONS: list[tuple[str, str, sp.Expr]] = [
    ("x^2 y", "x,y", x**2 * y),
    ("x y + y z + z x", "x,y,z", x * y + y * z + z * x),
    ("sin(x) cos(y)", "x,y", sp.sin(x) * sp.cos(y)),
    ("e^(x y)", "x,y", sp.exp(x * y)),
    ("ln(x^2 + y^2)", "x,y", sp.log(x**2 + y**2)),
    ("x/y", "x,y", x / y),
    ("(x + y)/(x - y)", "x,y", (x + y) / (x - y)),
    ("sqrt(x^2 + y^2)", "x,y", sp.sqrt(x**2 + y**2)),
    ("1/(1 + e^(-(w x + b)))", "w,b", 1 / (1 + sp.exp(-(w * x + b)))),
    ("x e^(-x^2 - y^2)", "x,y", x * sp.exp(-(x**2) - y**2)),
    ("tanh(x y)", "x,y", sp.tanh(x * y)),
    ("atan(y/x)", "x,y", sp.atan(y / x)),
    ("sin(x y) + cos(x + y)", "x,y", sp.sin(x * y) + sp.cos(x + y)),
    ("ln(1 + e^(x + y))", "x,y", sp.log(1 + sp.exp(x + y))),
    ("x y z", "x,y,z", x * y * z),
    ("e^x sin(y) z", "x,y,z", sp.exp(x) * sp.sin(y) * z),
    ("(x^2 + y^2)^3", "x,y", (x**2 + y**2) ** 3),
    ("x^3 - 3 x y^2", "x,y", x**3 - 3 * x * y**2),
    ("1/sqrt(x^2 + y^2 + z^2)", "x,y,z", 1 / sp.sqrt(x**2 + y**2 + z**2)),
    ("x ln(y)", "x,y", x * sp.log(y)),
    ("sin(x)^2 + cos(y)^2", "x,y", sp.sin(x) ** 2 + sp.cos(y) ** 2),
    ("exp(-(x^2 + y^2)/2)", "x,y", sp.exp(-(x**2 + y**2) / 2)),
    ("x/(1 + e^(-y))", "x,y", x / (1 + sp.exp(-y))),
    ("ln(1 + x^2 y^2)", "x,y", sp.log(1 + x**2 * y**2)),
    ("1/(1 + e^(-x - 2y))", "x,y", 1 / (1 + sp.exp(-x - 2 * y))),
    ("x^2 sin(1/y)", "x,y", x**2 * sp.sin(1 / y)),
    ("cosh(x) sinh(y)", "x,y", sp.cosh(x) * sp.sinh(y)),
    ("(x - y)^2/(x + y + 1)", "x,y", (x - y) ** 2 / (x + y + 1)),
    ("sqrt(1 + x^2) e^y", "x,y", sp.sqrt(1 + x**2) * sp.exp(y)),
    ("x y/(x^2 + y^2)", "x,y", x * y / (x**2 + y**2)),
    ("tan(x + y^2)", "x,y", sp.tan(x + y**2)),
    ("x^y", "x,y", x**y),
    ("w x + b - ln(1 + e^(w x + b))", "w,b", w * x + b - sp.log(1 + sp.exp(w * x + b))),
]
IDS = [text for text, _, _ in FUNCTIONS]

# (as typed, variables, the functions built directly in SymPy)
VECTOR_FUNCTIONS: list[tuple[str, str, list[sp.Expr]]] = [
    ("r cos(t); r sin(t)", "r,t", [r * sp.cos(t), r * sp.sin(t)]),
    (
        "r sin(p) cos(t); r sin(p) sin(t); r cos(p)",
        "r,p,t",
        [r * sp.sin(p) * sp.cos(t), r * sp.sin(p) * sp.sin(t), r * sp.cos(p)],
    ),
    ("x y; x + y; x^2 - y", "x,y", [x * y, x + y, x**2 - y]),
    ("e^x cos(y); e^x sin(y)", "x,y", [sp.exp(x) * sp.cos(y), sp.exp(x) * sp.sin(y)]),
    (
        "e^x/(e^x + e^y); e^y/(e^x + e^y)",
        "x,y",
        [sp.exp(x) / (sp.exp(x) + sp.exp(y)), sp.exp(y) / (sp.exp(x) + sp.exp(y))],
    ),
    ("x^2 + y z; ln(x) - z; x/(y + z^2)", "x,y,z", [x**2 + y * z, sp.log(x) - z, x / (y + z**2)]),
]


def _symbols(variables: str) -> list[sp.Symbol]:
    return [sp.Symbol(name) for name in variables.split(",")]


def _same(ours: sp.Expr, theirs: sp.Expr) -> bool:
    """Equal by algebra, or (where SymPy's simplify does not reach zero) to 25 digits at random
    points where both are real."""
    difference = ours - theirs
    if sp.simplify(difference) == 0:
        return True
    rng = random.Random(str(ours))
    compared = 0
    for _ in range(40):
        point = {s: sp.Rational(rng.randint(1, 300), 100) for s in difference.free_symbols}
        left, right = ours.evalf(40, subs=point), theirs.evalf(40, subs=point)
        if not (left.is_real and right.is_real and left.is_finite and right.is_finite):
            continue
        if abs(left - right) > sp.Float(10) ** -25 * (1 + abs(right)):
            return False
        compared += 1
    return compared >= 8


def _entries_match(ours: sp.MatrixBase, theirs: sp.MatrixBase) -> None:
    assert ours.shape == theirs.shape
    for i in range(ours.rows):
        for j in range(ours.cols):
            assert _same(ours[i, j], theirs[i, j]), (i, j, ours[i, j], theirs[i, j])


def _fully_verified(derivation: Derivation) -> None:
    bad = [(s.rule, s.verdict) for s in (*derivation.steps, derivation.result) if not s.verdict.ok]
    assert not bad, bad


@cache
def _hessian(index: int) -> Derivation:
    text, variables, _ = FUNCTIONS[index]
    return derive.hessian(text, variables)


def test_at_least_thirty_functions() -> None:
    assert len(FUNCTIONS) >= 30
    assert len({text for text, _, _ in FUNCTIONS}) == len(FUNCTIONS)


# -- against SymPy -------------------------------------------------------------------------------
@pytest.mark.parametrize("index", range(len(FUNCTIONS)), ids=IDS)
def test_gradient_matches_sympy_diff(index: int) -> None:
    text, variables, expr = FUNCTIONS[index]
    symbols = _symbols(variables)
    derivation = derive.grad(text, variables)
    _fully_verified(derivation)
    assert isinstance(derivation.result.rhs, sp.MatrixBase)
    _entries_match(derivation.result.rhs, sp.Matrix([sp.diff(expr, v) for v in symbols]))
    # one stage per variable, each opened by the step that says what is held constant
    stages = [s for s in derivation.steps if s.rule.startswith("partial derivative in")]
    assert [s.lhs.variables for s in stages] == [(v,) for v in symbols]


@pytest.mark.parametrize("index", range(len(FUNCTIONS)), ids=IDS)
def test_hessian_matches_sympy_hessian(index: int) -> None:
    _, variables, expr = FUNCTIONS[index]
    symbols = _symbols(variables)
    derivation = _hessian(index)
    _fully_verified(derivation)
    _entries_match(derivation.result.rhs, sp.hessian(expr, symbols))


@pytest.mark.parametrize("index", range(len(FUNCTIONS)), ids=IDS)
def test_jacobian_of_one_function_is_its_gradient_as_a_row(index: int) -> None:
    text, variables, expr = FUNCTIONS[index]
    symbols = _symbols(variables)
    derivation = derive.jacobian(text, variables)
    _fully_verified(derivation)
    _entries_match(derivation.result.rhs, sp.Matrix([expr]).jacobian(symbols))


@pytest.mark.parametrize("case", VECTOR_FUNCTIONS, ids=[c[0] for c in VECTOR_FUNCTIONS])
def test_jacobian_matches_sympy_jacobian(case: tuple[str, str, list[sp.Expr]]) -> None:
    text, variables, exprs = case
    symbols = _symbols(variables)
    derivation = derive.jacobian(text, variables)
    _fully_verified(derivation)
    _entries_match(derivation.result.rhs, sp.Matrix(exprs).jacobian(symbols))
    # the same from a list of SymPy expressions
    again = derive.jacobian(exprs, symbols)
    assert again.result.rhs == derivation.result.rhs


# -- the Hessian computes each mixed partial once --------------------------------------------------
def test_hessian_reuses_the_mixed_partials_and_checks_the_equality() -> None:
    index = IDS.index("x y + y z + z x")
    derivation = _hessian(index)
    n = 3
    computed = [s for s in derivation.steps if s.rule.startswith("differentiate ∂f/∂")]
    reused = [s for s in derivation.steps if s.rule.startswith("mixed partials are equal")]
    assert len(computed) == n * (n + 1) // 2
    assert len(reused) == n * (n - 1) // 2
    for step in reused:
        # the claim is between the two orders of differentiation, not a value
        assert isinstance(step.lhs, sp.Derivative) and isinstance(step.rhs, sp.Derivative)
        assert step.lhs.variable_count == tuple(reversed(step.rhs.variable_count))
        assert "Schwarz" in step.why
        assert step.verdict.status is Status.SYMBOLIC
    assert "computed once" in derivation.result.rule
    hessian = derivation.result.rhs
    assert hessian == hessian.T


def test_a_wrong_reused_value_is_caught() -> None:
    derivation = derive.hessian("x^2 y^3", "x,y")
    index = next(i for i, s in enumerate(derivation.steps) if s.rule == "the value found above")
    steps = list(derivation.steps)
    steps[index] = replace(steps[index], rhs=steps[index].rhs + 1)
    checked = verify_partials(replace(derivation, steps=tuple(steps)))
    assert checked.steps[index].verdict.status is Status.FAILED


def test_a_wrong_matrix_entry_is_caught_and_named() -> None:
    derivation = derive.grad("x^2 sin(y)", "x,y")
    result = derivation.result
    wrong = result.rhs + sp.ImmutableMatrix([[0], [x]])
    verdict = matrix_verdict(result.lhs, wrong, derivation)
    assert verdict.status is Status.FAILED
    assert verdict.method.startswith("entry (2, 1)")
    assert matrix_verdict(result.lhs, result.rhs, derivation).status is Status.SYMBOLIC
    shape = matrix_verdict(result.lhs, result.rhs.T, derivation)
    assert shape.status is Status.FAILED and "shape" in shape.method
    tampered = verify_partials(replace(derivation, result=replace(result, rhs=wrong)))
    assert tampered.result.verdict.status is Status.FAILED


def test_other_names_are_constants_and_shared_inner_names_are_unique() -> None:
    derivation = derive.grad("1/(1 + e^(-(w x + b)))", "w,b")
    # x is a constant: it stays in both partial derivatives, and f is a function of w and b only
    assert all(x in entry.free_symbols for entry in derivation.result.rhs)
    assert derivation.definitions[0].lhs.args == (w, b)
    names = [d.lhs for d in derivation.definitions]
    assert len(names) == len(set(names))
    values = [d.rhs for d in derivation.definitions[1:]]
    assert len(values) == len(set(values)), "one name per distinct inner expression"
    assert "w held constant" in " ".join(s.rule for s in derivation.steps)
    assert "b held constant" in " ".join(s.rule for s in derivation.steps)


def test_unspecified_functions_of_inner_expressions_verify_in_every_stage() -> None:
    # dh/dw with w := y² is read through y in the y stages; f' at g(x) keeps its own bound name
    derivation = derive.hessian("g(x^2) + h(y^2) + sin(x y)", "x,y")
    _fully_verified(derivation)
    bound = {v for s in derivation.steps for sub in s.rhs.atoms(sp.Subs) for v in sub.variables}
    assert bound and not bound & {d.lhs for d in derivation.definitions}


def test_function_name_avoids_the_names_in_the_expression() -> None:
    derivation = derive.grad("f x + y", "x,y")
    (function,) = [d.lhs for d in derivation.definitions if d.lhs.is_Function]
    assert function.func.__name__ != "f"
    _fully_verified(derivation)


def test_variables_with_assumptions_are_the_expressions_own() -> None:
    xr, yr = sp.Symbol("x", positive=True), sp.Symbol("y", positive=True)
    derivation = derive.grad(xr**yr, [xr, yr])
    _fully_verified(derivation)
    assert derivation.result.rhs[0].free_symbols <= {xr, yr}


# -- JSON --------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "make",
    [
        lambda: derive.grad("x^2 sin(y) z", "x,y,z"),
        lambda: derive.jacobian("r cos(t); r sin(t)", "r,t"),
        lambda: derive.hessian("x^2 y^3 + e^(x y)", "x,y"),
    ],
    ids=["grad", "jacobian", "hessian"],
)
def test_json_round_trip_gives_a_sympy_matrix(make) -> None:
    derivation = make()
    text = json.write(derivation)
    data = jsonlib.loads(text)
    rhs = data["result"]["rhs"]
    assert isinstance(rhs, list) and all(isinstance(row, list) for row in rhs)
    assert all(isinstance(entry, str) for row in rhs for entry in row)
    back = json.read(text)
    assert back == derivation
    assert isinstance(back.result.rhs, sp.MatrixBase)
    loaded = derive.load(text, "json")
    assert isinstance(loaded.result.rhs, sp.MatrixBase)
    assert loaded.result.rhs == derivation.result.rhs
    assert loaded.result.lhs == derivation.result.lhs


@pytest.mark.parametrize(
    "rhs",
    [[], [[]], [["x"], ["x", "y"]], [["x"], "y"], [[["x"]]], [[1]]],
    ids=["empty", "empty row", "ragged", "row not a list", "nested too deep", "not a string"],
)
def test_json_with_a_malformed_matrix_is_refused(rhs) -> None:
    data = jsonlib.loads(json.write(derive.grad("x y", "x,y")))
    data["result"]["rhs"] = rhs
    with pytest.raises(DeriveError, match=r"result\.rhs"):
        json.read(jsonlib.dumps(data))


# -- the formats ---------------------------------------------------------------------------------
@pytest.mark.parametrize("fmt", ["latex", "markdown", "text"])
@pytest.mark.parametrize(
    "make",
    [
        lambda: derive.grad("x e^(x y)", "x,y"),
        lambda: derive.jacobian("x y; x + y^2; sin(x y)", "x,y"),
        lambda: derive.hessian("x^2 y^3 + e^(x y)", "x,y"),
    ],
    ids=["grad", "jacobian", "hessian"],
)
def test_every_step_reads_back_and_checks(make, fmt: str) -> None:
    derivation = make()
    checked = derive.check(render(derivation, fmt), fmt)
    *steps, last = [*checked.steps, checked.result] if not checked.result_is_added else checked.steps
    assert len(steps) == len(derivation.steps)
    assert all(step.verdict.ok for step in steps), [(s.rule, s.verdict) for s in steps if not s.verdict.ok]
    # the claim between matrices is not checked by derive check yet: never wrong, at most not read
    assert last.verdict.ok or last.verdict.status is Status.UNCHECKED


def test_latex_and_markdown_write_bmatrix() -> None:
    derivation = derive.hessian("x^2 y", "x,y")
    for fmt in ("latex", "markdown"):
        text = render(derivation, fmt)
        assert r"\begin{bmatrix}" in text and r"\end{bmatrix}" in text
        assert r"\left[\begin{matrix}" not in text


def test_mixed_partials_are_written_in_the_usual_order() -> None:
    f = sp.Function("f")(x, y)
    first_x_then_y = sp.Derivative(f, x, y)
    assert latex(first_x_then_y) == r"\frac{\partial^{2} f}{\partial y \partial x}"
    assert linear(first_x_then_y) == "d/dy(d/dx(f(x, y)))"
    assert linear(sp.Derivative(x**2 * y, x, y)) == "d/dy(d/dx(x²·y))"


def test_linear_text_writes_matrices_on_one_line() -> None:
    assert linear(sp.ImmutableMatrix([[x, 1], [y, x * y]])) == "[x, 1; y, x·y]"
    assert linear(sp.ImmutableMatrix([x, y])) == "[x; y]"
    text = render(derive.grad("x^2 y", "x,y"), "text")
    assert "[d/dx(f(x, y)); d/dy(f(x, y))] = [2·x·y; x²]" in text


def test_hessian_latex_compiles(tmp_path) -> None:
    derivation = derive.hessian("ln(x^2 + y^2 + z^2) + x y z", "x,y,z")
    log = pdflatex(render(derivation, "latex", standalone=True), tmp_path)
    assert "Overfull" not in log  # the page is as wide as the widest row, the matrix included


def test_markdown_matrices_render_with_katex() -> None:
    formulas = []
    for derivation in (
        derive.hessian("x^2 y^3 + e^(x y)", "x,y"),
        derive.jacobian("r cos(t); r sin(t)", "r,t"),
    ):
        formulas += re.findall(r"^\$\$ (.*) \$\$$", render(derivation, "markdown"), flags=re.MULTILINE)
    assert any(r"\begin{bmatrix}" in formula for formula in formulas)
    assert katex_failures(formulas) == []


@pytest.mark.parametrize("width", [80, 60])
def test_terminal_does_not_overflow(width: int) -> None:
    derivation = derive.hessian("ln(x^2 + y^2 + z^2) + x y z e^(-x^2 - y^2)", "x,y,z")
    out = render_text(derivation, width)
    assert max(len(line) for line in out.splitlines()) <= width
    # the matrix, too wide to show whole, is shown entry by entry: every entry's left side
    assert out.count("∂z ∂x") >= 1 and out.count("∂x ∂z") >= 1
    assert "9 entries" in out


def test_a_small_matrix_is_drawn_whole() -> None:
    out = render_text(derive.jacobian("x y; x + y", "x,y"))
    assert "⎡" in out and "⎦" in out


# -- bad input --------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("variables", "message"),
    [
        ("", "no variables"),
        ("  ", "no variables"),
        ("x,", "variable 2 is empty"),
        ("x,x", "listed twice"),
        ("x,2x", "not a name"),
        ("x,sin", "not a name"),
        ("x,e", "not a name"),
        ("x y", "separate the variables with commas"),
        ("x,z", "does not occur"),
        ([], "no variables"),
        (",".join(f"x_{i}" for i in range(11)), "at most 10"),
    ],
)
def test_bad_variables_are_refused(variables, message: str) -> None:
    with pytest.raises(DeriveError, match=message):
        derive.grad("x^2 y", variables)


def test_variables_from_accepts_text_symbols_and_lists() -> None:
    assert variables_from("x, y") == (x, y)
    assert variables_from(x) == (x,)
    assert variables_from(["x", y]) == (x, y)


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ("d/dx x^2 y", "derivative"),
        ("x^2 = y", "not an expression"),
        ("x^2 + oo y", "infinity"),
        ("", "empty"),
    ],
)
def test_bad_expressions_are_refused(expression: str, message: str) -> None:
    with pytest.raises(DeriveError, match=message):
        derive.grad(expression, "x,y")


@pytest.mark.parametrize(
    "args",
    [
        ["grad", "x^2 y", "--vars", ""],
        ["grad", "x^2 y", "--vars", "x,x"],
        ["grad", "x^2 y", "--vars", "x,2"],
        ["grad", "x^2 y", "--vars", "x,z"],
        ["grad", "x^2 y"],
        ["grad", "x^2 sin((y)", "--vars", "x,y"],
        ["jacobian", "x y; ; y", "--vars", "x,y"],
        ["jacobian", "x y; x +", "--vars", "x,y"],
        ["hessian", "x^2 y", "--vars", "x,,y"],
        ["hessian", "x^2 y", "--vars", "x,y", "--format", "nope"],
    ],
)
def test_cli_bad_input_exits_2_with_one_error_line(derive_cli, args: list[str]) -> None:
    run = derive_cli(*args)
    assert run.returncode == 2, run.stderr
    assert run.stdout == ""
    assert run.stderr.startswith("derive: error: ")
    assert "Traceback" not in run.stderr
    # one line, or for text that could not be read, the line with the text and a caret under it
    lines = run.stderr.splitlines()
    assert len(lines) == 1 or (len(lines) == 3 and lines[2].strip() == "^")


@pytest.mark.parametrize(
    "args",
    [
        ["grad", "x^2 sin(y)", "--vars", "x,y"],
        ["jacobian", "x y; x + y^2", "--vars", "x,y", "-f", "json"],
        ["hessian", "x^2 y^3", "--vars", "x,y", "-f", "latex"],
        ["grad", "--vars", "x,y", "-f", "text", "--", "-x^2 y"],
    ],
)
def test_cli_exits_0_when_verified(derive_cli, args: list[str]) -> None:
    run = derive_cli(*args)
    assert run.returncode == 0, run.stderr
    assert run.stderr == ""
    if "json" in args:
        assert isinstance(json.read(run.stdout).result.rhs, sp.MatrixBase)


@pytest.mark.parametrize("expression", ["g(x y)", "max(x, y)", "x^2 floor(y)", "f(x) + y", "|x - y|"])
def test_cli_never_shows_a_traceback(derive_cli, expression: str) -> None:
    run = derive_cli("grad", expression, "--vars", "x,y")
    assert "Traceback" not in run.stderr
    assert run.returncode in (0, 2, 3), run.stderr
    if run.returncode == 2:
        assert len(run.stderr.splitlines()) == 1


def test_cli_hessian_at_80_columns(derive_cli) -> None:
    run = derive_cli("hessian", "x y z/(x^2 + y^2 + z^2 + 1)", "--vars", "x,y,z", timeout=600)
    assert run.returncode == 0, run.stderr
    assert max(len(line) for line in run.stdout.splitlines()) <= 80


def test_help_tells_grad_from_gradient(derive_cli) -> None:
    text = derive_cli("--help").stdout
    grad = next(line for line in text.splitlines() if line.strip().startswith("grad "))
    gradient = next(line for line in text.splitlines() if line.strip().startswith("gradient "))
    assert "several variables" in grad
    assert "vanishing" in gradient
    assert "derive gradient" in derive_cli("grad", "--help").stdout


def test_check_of_the_json_verifies_the_matrix_result() -> None:
    derivation = derive.grad("x e^(x y)", "x,y")  # the result's entries are factored: not identical
    checked = derive.check(json.write(derivation), "json")
    assert checked.result.verdict.status is Status.SYMBOLIC


def test_readme_multivariable_python_example_runs() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", readme, flags=re.DOTALL)
    (code,) = [block for block in blocks if "derive.hessian" in block]
    exec(compile(code, "README.md", "exec"), {})  # our own README, not user input


@pytest.mark.parametrize(
    ("make", "at", "expected"),
    [
        (lambda: derive.grad("x^2 y + sin(y)", "x,y"), "x=1,y=2", sp.Matrix([[4], [1 + sp.cos(2)]])),
        (lambda: derive.hessian("x^2 y^3 + e^(x y)", "x,y"), "y=0,x=1", sp.Matrix([[0, 1], [1, 1]])),
        (
            lambda: derive.jacobian("x y; x + y^2", "x,y"),
            "x=1,y=-1/2",
            sp.Matrix([[-sp.Rational(1, 2), 1], [1, -1]]),
        ),
    ],
)
def test_a_value_at_a_point_is_a_last_verified_step(make: object, at: str, expected: sp.Matrix) -> None:
    from derive.multivariable import value_at

    derivation = make()  # type: ignore[operator]
    valued = value_at(derivation, at)
    assert valued.result.rhs == expected
    assert valued.ok and valued.steps[-1].verdict.status is Status.SYMBOLIC
    wrong = replace(valued.steps[-1], rhs=expected + sp.ones(*expected.shape))
    assert matrix_verdict(wrong.lhs, wrong.rhs, derivation).status is Status.FAILED


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["sqrt(x^2 + y^2)", "--at", "x=0,y=0"], "no derivative at x = 0, y = 0"),
        (["|x| y", "--at", "x=1,y=0"], "corners or jumps"),
        (["x y", "--at", "x=1"], "add y"),
        (["x y", "--at", "x=1,z=2"], "which is not x or y"),
    ],
)
def test_a_point_where_no_value_is_given_is_one_line(arguments: list[str], message: str) -> None:
    run = run_derive("grad", arguments[0], "--vars", "x,y", *arguments[1:])
    assert run.returncode == 2 and message in run.stderr and run.stderr.count("\n") == 1, run.stderr
