"""Input typed as into an online derivative calculator: what it reads, what it refuses, and that
nothing hangs."""

from __future__ import annotations

import inspect
import json

import pytest
import sympy as sp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import derive
from derive.budgets import OutOfWork, wall_clock_limit
from derive.differentiate import differentiate
from derive.errors import DeriveError, ParseError
from derive.formats import render
from derive.formats.json import read as read_json
from derive.model import Derivation, Status
from derive.parse import ALIASES, FUNCTIONS, parse, read

x, y, t, a, b, k, n = sp.symbols("x y t a b k n")
f = sp.Function("f")
E = sp.E

# (what people type, what derive must read); each reading is a SymPy expression.
READINGS: list[tuple[str, sp.Basic]] = [
    # words run together: known functions and one-letter names
    ("2xsin(x)", 2 * x * sp.sin(x)),
    ("xsin(x)", x * sp.sin(x)),
    ("xcos(x)", x * sp.cos(x)),
    ("xln(x)", x * sp.log(x)),
    ("xe^x", x * sp.exp(x)),
    ("sinx", sp.sin(x)),
    ("cosx", sp.cos(x)),
    ("tanx", sp.tan(x)),
    ("lnx", sp.log(x)),
    ("logx", sp.log(x)),
    ("sqrtx", sp.sqrt(x)),
    ("expx", sp.exp(x)),
    ("xy", x * y),
    ("xyz", x * y * sp.Symbol("z")),
    ("sinxcosx", sp.sin(x) * sp.cos(x)),
    ("xsinx", x * sp.sin(x)),
    ("x^2sinx", x**2 * sp.sin(x)),
    ("sinhx", sp.sinh(x)),
    ("coshx", sp.cosh(x)),
    ("arctanx", sp.atan(x)),
    ("arcsinx", sp.asin(x)),
    ("absx", sp.Abs(x)),
    ("pix", sp.pi * x),
    ("2pix", 2 * sp.pi * x),
    ("sin2x", sp.sin(2 * x)),
    ("cos3x", sp.cos(3 * x)),
    ("ex", E * x),
    ("xe", x * E),
    ("axe^x", a * x * sp.exp(x)),
    ("sinx^2", sp.sin(x**2)),
    # application without parentheses
    ("sin x", sp.sin(x)),
    ("ln x", sp.log(x)),
    ("log x", sp.log(x)),
    ("sqrt x", sp.sqrt(x)),
    ("sin 2x", sp.sin(2 * x)),
    ("cos 3x", sp.cos(3 * x)),
    ("sin x^2", sp.sin(x**2)),
    ("sin x cos x", sp.sin(x) * sp.cos(x)),
    ("x sin x", x * sp.sin(x)),
    ("2 sin x", 2 * sp.sin(x)),
    ("sin x + cos x", sp.sin(x) + sp.cos(x)),
    ("sin x/x", sp.sin(x) / x),
    ("ln x + 1", sp.log(x) + 1),
    ("ln ln x", sp.log(sp.log(x))),
    ("sin cos x", sp.sin(sp.cos(x))),
    ("e^x sin x", sp.exp(x) * sp.sin(x)),
    ("x^2 ln x", x**2 * sp.log(x)),
    ("tan -x", sp.tan(-x)),
    ("exp x", sp.exp(x)),
    ("sin(x)cos(x)", sp.sin(x) * sp.cos(x)),
    ("ln(sin x)", sp.log(sp.sin(x))),
    ("sqrt(1 - x^2)", sp.sqrt(1 - x**2)),
    ("(sin x)^(cos x)", sp.sin(x) ** sp.cos(x)),
    ("(ln x)^2", sp.log(x) ** 2),
    ("2^x ln 2", 2**x * sp.log(2)),
    # powers and inverses of functions
    ("sin^2(x)", sp.sin(x) ** 2),
    ("sin^2 x", sp.sin(x) ** 2),
    ("sin^2x", sp.sin(x) ** 2),
    ("sin²x", sp.sin(x) ** 2),
    ("sin²(x)", sp.sin(x) ** 2),
    ("cos^3(2x)", sp.cos(2 * x) ** 3),
    ("tan^2 3x", sp.tan(3 * x) ** 2),
    ("ln^2 x", sp.log(x) ** 2),
    ("sec^2(x)", sp.sec(x) ** 2),
    ("sin^(2)(x)", sp.sin(x) ** 2),
    ("sin^-1(x)", sp.asin(x)),
    ("sin^-1 x", sp.asin(x)),
    ("sin⁻¹(x)", sp.asin(x)),
    ("sin⁻¹ x", sp.asin(x)),
    ("cos^-1(2x)", sp.acos(2 * x)),
    ("tan^(-1) x", sp.atan(x)),
    ("tanh^-1 x", sp.atanh(x)),
    ("ln^-1 x", 1 / sp.log(x)),
    ("sin(x)^2", sp.sin(x) ** 2),
    ("sin(x)^-1", 1 / sp.sin(x)),
    # bases as subscripts
    ("log_2(x)", sp.log(x, 2)),
    ("log_2 x", sp.log(x, 2)),
    ("log_2x", sp.log(x, 2)),
    ("log_{10} x", sp.log(x, 10)),
    ("log_{10}(x^2+1)", sp.log(x**2 + 1, 10)),
    ("log_b(x)", sp.log(x, b)),
    ("log_e x", sp.log(x)),
    ("log10(x)", sp.log(x, 10)),
    ("log(x, 3)", sp.log(x, 3)),
    # a leading d/dx
    ("d/dx x^2", sp.Derivative(x**2, x)),
    ("d/dx(x^2)", sp.Derivative(x**2, x)),
    ("d/dx (x^3 + 1)", sp.Derivative(x**3 + 1, x)),
    ("d/dx [sin x]", sp.Derivative(sp.sin(x), x)),
    ("d/dt t e^t", sp.Derivative(t * sp.exp(t), t)),
    ("d^2/dx^2 x^4", sp.Derivative(x**4, (x, 2))),
    ("d²/dx² sin x", sp.Derivative(sp.sin(x), (x, 2))),
    # exponents bind to the next atom
    ("e^xcos(x)", sp.exp(x) * sp.cos(x)),
    ("e^x cos(x)", sp.exp(x) * sp.cos(x)),
    ("e^2x", sp.exp(2) * x),
    ("e^(2x)", sp.exp(2 * x)),
    ("e^{2x}", sp.exp(2 * x)),
    ("e^-x", sp.exp(-x)),
    ("e^-x^2", sp.exp(-(x**2))),
    ("e^x^2", sp.exp(x**2)),
    ("x^2y", x**2 * y),
    ("2^3x", 8 * x),
    ("x^-2", x**-2),
    ("x^(1/2)", sp.sqrt(x)),
    ("x^1/2", x / 2),
    ("e^sinx", sp.exp(sp.sin(x))),
    ("e^sin x", sp.exp(sp.sin(x))),
    ("x^x", x**x),
    ("x^sin x", x ** sp.sin(x)),
    # grouping and everyday notation
    ("[x+1]^2", (x + 1) ** 2),
    ("{x+1}^2", (x + 1) ** 2),
    ("3x^2+2x-1", 3 * x**2 + 2 * x - 1),
    ("(x^2+1)/(x-1)", (x**2 + 1) / (x - 1)),
    ("x/(1+x^2)", x / (1 + x**2)),
    ("1/2x", x / 2),
    ("1/(2x)", 1 / (2 * x)),
    ("|x|", sp.Abs(x)),
    ("|x|^3", sp.Abs(x) ** 3),
    ("|sin x|", sp.Abs(sp.sin(x))),
    ("x|x|", x * sp.Abs(x)),
    ("2x(x+1)", 2 * x * (x + 1)),
    ("(x+1)(x-1)", (x + 1) * (x - 1)),
    ("−x²", -(x**2)),
    ("x·e^x", x * sp.exp(x)),
    ("5x³ − 2x", 5 * x**3 - 2 * x),
    ("-x^2", -(x**2)),
    ("0.5x^2", x**2 / 2),
    ("πx", sp.pi * x),
    ("theta^2", sp.Symbol("theta") ** 2),
    ("f(x^2)", f(x**2)),
    ("x!", sp.factorial(x)),
    ("y = x^3", sp.Eq(y, x**3)),
    ("arctan x", sp.atan(x)),
    ("cosec x", sp.csc(x)),
    ("ceil(x)", sp.ceiling(x)),
    ("frac(x)", sp.frac(x)),
    ("sgn x", sp.sign(x)),
    # variables are real: SymPy never brings in re(x)
    ("|e^x|", sp.exp(x)),
    ("abs(exp(x))", sp.exp(x)),
    ("abs(2^x)", 2**x),
    ("|x^2|", x**2),
    ("|x^2 + 1|", x**2 + 1),
    ("re(x)", x),
    ("im(x)", sp.Integer(0)),
    ("re(sin(x))", sp.sin(x)),
    ("sign(e^x)", sp.Integer(1)),
]


@pytest.mark.parametrize(("text", "expected"), READINGS, ids=[text for text, _ in READINGS])
def test_calculator_input_reads_as_people_mean_it(text: str, expected: sp.Basic) -> None:
    assert parse(text) == expected


def test_there_are_enough_calculator_cases() -> None:
    assert len(READINGS) >= 120
    assert len({text for text, _ in READINGS}) == len(READINGS)


# (input, a part of the message that helps); each must be refused with a ParseError or, for
# what the parser reads but no rule can differentiate, a DeriveError.
REFUSALS: list[tuple[str, str]] = [
    ("relu(x)", "derive relu"),
    ("sigmod(x)", "derive sigmoid"),
    ("softplus(x)", "derive softplus"),
    ("sinn(x)", "did you mean sin"),
    ("cosine(x)", "did you mean cos"),
    ("arctann(x)", "did you mean arctan"),
    ("x2", "did you mean x^2 or x*2"),
    ("xy3", "did you mean xy^3"),
    ("sin", "needs an argument"),
    ("sin^2", "needs an argument"),
    ("ln^", "whole number"),
    ("sin^x x", "whole number as the power of a function"),
    ("sin^1.5 x", "whole number"),
    ("ln_2 x", "only log takes a base"),
    ("log_", "base of the logarithm"),
    ("d/dx", "expected an expression after d/dx"),
    ("d^2/dx^3 x", "orders"),
    ("sin(x", "expected ')'"),
    ("[x+1)", "expected ']'"),
    ("{x", "expected '}'"),
    ("x)", "unbalanced ')'"),
    ("x]", "unbalanced ']'"),
    ("x +", "expected an expression"),
    ("2 ** * 3", "unexpected '*'"),
    ("x $ y", "unexpected character '$'"),
    ("x*10^4400", "4,300 digits"),
    ("factorial(5000)", "4,300 digits"),
    ("5000!", "4,300 digits"),
    ("1e10000", "4,300 digits"),
    ("1e-5000", "4,300 digits"),
    ("10^2000 * 10^2500", "4,300 digits"),
    ("2^(10^10)", "4,300 digits"),
    ("x'", "primes"),
    ("", "empty expression"),
    ("sin⁻ x", "cannot read the superscript"),
    ("x" * 20000, "longer than"),
]


@pytest.mark.parametrize(("text", "message"), REFUSALS, ids=[text[:30] for text, _ in REFUSALS])
def test_refused_input_says_why(text: str, message: str) -> None:
    with pytest.raises(ParseError) as info:
        parse(text)
    assert message in str(info.value)


def test_there_are_enough_refusals() -> None:
    assert len(REFUSALS) >= 30


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("xsin(x)", ["xsin", "x sin"]),
        ("sinx", ["sinx", "sin x"]),
        ("xy", ["xy", "x y"]),
        ("e^2x", ["^2x", "^(2x)"]),
        ("1/2x", ["dividing by 2 only", "1/(2x)"]),
        ("sin 2x", ["sin(2x)", "sin(2)·x"]),
        ("sin x^2", ["sin(x^2)", "(sin x)^"]),
        ("sin^-1 x", ["arcsin", "1/sin(x)"]),
        ("|e^x|", ["|e^x| as e^x", "real"]),
    ],
)
def test_an_ambiguous_reading_is_named_with_the_other_way_to_write_it(text: str, words: list[str]) -> None:
    notes = " ".join(read(text).notes)
    for word in words:
        assert word in notes


@pytest.mark.parametrize("text", ["x^2 + 1", "sin(x)", "x sin(x)", "e^(-x)", "sqrt(x^2 + 1)", "(x+1)/(x-1)"])
def test_a_plain_reading_has_no_note(text: str) -> None:
    assert read(text).notes == ()


def test_names_given_are_never_split() -> None:
    assert parse("rate^2", names=frozenset({"rate"})) == sp.Symbol("rate") ** 2
    assert parse("rate(x+1)", names=frozenset({"rate"})) == sp.Symbol("rate") * (x + 1)
    assert parse("loss^2") == sp.Symbol("loss") ** 2  # a long word of letters stays one name


# -- every function in the parser's table differentiates or is refused, within limits ---------
def _calls(name: str) -> list[str]:
    """Ways to call ``name`` with x: one argument, or x and a number for two-argument functions."""
    function = FUNCTIONS.get(name) or ALIASES[name]
    if name in ("atan2", "Max", "Min", "KroneckerDelta", "beta", "binomial", "log"):
        return [f"{name}(x, 2)", f"{name}(2, x)"] + ([f"{name}(x)"] if name in ("log", "beta") else [])
    if name in ("polygamma", "besselj", "bessely"):
        return [f"{name}(2, x)", f"{name}(x, 2)"]
    del function
    return [f"{name}(x)", f"{name}(x^2 + 1)"]


TABLE = sorted({*FUNCTIONS, *ALIASES})


@pytest.mark.parametrize("name", TABLE)
def test_every_function_in_the_table_differentiates_or_is_refused(name: str) -> None:
    for text in _calls(name):
        try:
            with wall_clock_limit(120):  # a guard only: a case that reaches it has hung
                derivation = differentiate(text)
        except OutOfWork:
            pytest.fail(f"derive diff {text!r} did not finish")
        except DeriveError as error:
            assert str(error)  # refused with a one-line reason (exit code 2 on the command line)
            continue
        assert derivation.result.lhs == sp.Derivative(derivation.reading, derivation.variable)
        assert not derivation.result.rhs.has(sp.re, sp.im)


@pytest.mark.parametrize("text", ["zeta(x)", "zeta(x^2)", "KroneckerDelta(x, 2)"])
def test_a_function_without_a_derivative_is_refused_with_exit_2(derive_cli, text: str) -> None:
    run = derive_cli("diff", text)
    assert run.returncode == 2
    assert run.stderr.startswith("derive: error: no rule for the derivative of ")
    assert run.stderr.count("\n") == 1


_STEP_DERIVATIVES = [
    ("floor(x)", sp.Piecewise((0, sp.Ne(sp.frac(x), 0)))),
    ("ceiling(x)", sp.Piecewise((0, sp.Ne(sp.frac(x), 0)))),
    ("frac(x)", sp.Piecewise((1, sp.Ne(sp.frac(x), 0)))),
    ("sign(x)", sp.Piecewise((0, sp.Ne(x, 0)))),
    ("Heaviside(x)", sp.Piecewise((0, sp.Ne(x, 0)))),
]


@pytest.mark.parametrize(("text", "derivative"), _STEP_DERIVATIVES)
def test_step_functions_have_derivative_between_jumps_only(text: str, derivative: sp.Basic) -> None:
    derivation = differentiate(text)
    assert derivation.result.rhs == derivative
    jump = derivation.result.rhs.subs(x, 1 if "frac(" in str(derivative) else 0)
    assert jump is sp.nan  # no value is claimed at a jump
    assert "no derivative" in derivation.steps[0].why


def test_higher_orders_of_abs_finish_and_leave_zero_out() -> None:
    derivation = differentiate("|x|", order=2)
    assert derivation.result.rhs == sp.Piecewise((0, sp.Ne(x, 0)))
    third = differentiate("|x|", order=3)
    assert third.result.rhs.subs(x, 0) is sp.nan


def test_abs_of_a_never_negative_expression_is_the_expression() -> None:
    derivation = differentiate(sp.Abs(x**2 + 1))
    assert derivation.result.rhs == 2 * x
    assert "since u ≥ 0" in derivation.steps[0].rule
    real = sp.Symbol("x", real=True)
    assert differentiate(sp.Abs(sp.exp(real))).result.rhs == sp.exp(real)


def test_re_of_the_variable_is_the_variable() -> None:
    squared = differentiate(sp.re(x) ** 2)
    assert squared.result.rhs == 2 * x
    assert "since the variables are real" in squared.note
    assert differentiate(sp.im(sp.sin(x))).result.rhs == 0  # SymPy: cos(re(x))·sinh(im(x))
    assert differentiate(sp.Abs(sp.exp(x))).result.rhs == sp.exp(x)  # SymPy: e^re(x)


# -- hypothesis: random expressions with floor, abs, sign and re never hang --------------------
_LEAVES = st.sampled_from(["x", "2", "x^2", "e^x", "-x", "1/2"])


def _wrap(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    unary = st.sampled_from(["floor", "abs", "sign", "re", "sin", "exp", "ceiling", "frac"])
    operators = st.sampled_from(["+", "*", "-", "/", "^"])
    return st.one_of(
        st.builds(lambda name, arg: f"{name}({arg})", unary, inner),
        st.builds(lambda u, op, v: f"({u}){op}({v})", inner, operators, inner),
        st.builds(lambda u: f"|{u}|", inner),
    )


_EXPRESSIONS = st.recursive(_LEAVES, _wrap, max_leaves=5)


@settings(max_examples=12, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(_EXPRESSIONS, st.integers(min_value=1, max_value=3))
def test_random_expressions_with_step_functions_never_hang(text: str, order: int) -> None:
    # The whole of derive diff: reading, the rule engine (d/dx floor(x) once rewrote to itself),
    # the in-terms-of search and the verification of every step, which has its own work budgets.
    try:
        with wall_clock_limit(300):  # a guard only: a case takes seconds
            derivation = differentiate(text, order=order)
    except OutOfWork:
        pytest.fail(f"derive diff {text!r} --order {order} did not finish")
    except DeriveError:
        return
    final = derivation.result.rhs
    variable = derivation.variable
    assert not final.has(sp.re, sp.im)
    assert not [d for d in final.atoms(sp.Derivative) if d.variables == (variable,)]
    refuted = [s for s in (*derivation.steps, derivation.result) if s.verdict.status == Status.FAILED]
    assert not refuted, f"derive diff {text!r} --order {order} refuted its own step {refuted[0]}"


# -- the reading, echoed in every view ------------------------------------------------------------
@pytest.fixture(scope="module")
def xsin() -> Derivation:
    return differentiate("xsin(x)")


def test_the_derivation_records_the_input_and_the_reading(xsin: Derivation) -> None:
    assert xsin.input == "xsin(x)"
    assert xsin.reading == x * sp.sin(x)
    assert "xsin as x sin" in xsin.note
    assert xsin.ok


@pytest.mark.parametrize(
    ("fmt", "first"),
    [
        ("pretty", "Reading: x·sin(x)"),
        ("text", "# Reading: x·sin(x)"),
        ("markdown", r"Reading: $x \sin{\left(x \right)}$"),
        ("latex", r"Reading: $x \sin{\left(x \right)}$"),
    ],
)
def test_every_view_states_the_reading_first(xsin: Derivation, fmt: str, first: str) -> None:
    assert render(xsin, fmt).splitlines()[0] == first


def test_json_writes_the_input_and_the_reading_and_round_trips(xsin: Derivation) -> None:
    data = json.loads(render(xsin, "json"))
    assert data["input"] == "xsin(x)"
    assert parse(data["reading"], "sympy") == x * sp.sin(x)
    assert read_json(render(xsin, "json")) == xsin


def test_built_ins_state_no_reading(sigmoid: Derivation) -> None:
    assert sigmoid.reading is None and "Reading" not in render(sigmoid, "text")
    assert "reading" not in json.loads(render(sigmoid, "json"))


# -- the Python API ---------------------------------------------------------------------------------
def test_any_symbol_is_the_variable_assumptions_included() -> None:
    real = sp.Symbol("x", real=True)
    assert differentiate(real**3).result.rhs == 3 * real**2
    assert differentiate(real**3, "x").result.rhs == 3 * real**2
    positive = sp.Symbol("x", positive=True)
    assert differentiate("x^3", positive).result.rhs == 3 * positive**2


def test_the_variable_comes_from_d_dt_or_the_only_name() -> None:
    assert differentiate("d/dt t^2").variable == t
    assert differentiate("t^2").result.rhs == 2 * t
    assert differentiate("a x^2").result.rhs == 2 * a * x
    assert differentiate("d²/dx² x^4").result.rhs == 12 * x**2
    with pytest.raises(DeriveError, match="d/dt"):
        differentiate("d/dt t^2", "x")


def test_derive_parse_stays_the_function_whatever_was_imported() -> None:
    from derive import sigmoid  # noqa: F401  (imports the submodules)

    for name in ("parse", "render", "verify", "differentiate"):
        assert inspect.isfunction(getattr(derive, name)), name
    assert derive.parse("2xsin(x)") == 2 * x * sp.sin(x)


def test_differentiate_documents_the_cases() -> None:
    doc = differentiate.__doc__ or ""
    for word in ("real=True", "d/dt", "|e^x|", "floor", "zeta"):
        assert word in doc


# -- the command line ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["sigmod"], "did you mean sigmoid"),
        (["properties", "sigmod"], "did you mean sigmoid"),
        (["gradient", "tahn"], "did you mean tanh"),
        (["plot", "softplsu", "-o", "p.png"], "did you mean softplus"),
        (["diff", "x^2", "--format", "jsno"], "did you mean json"),
    ],
)
def test_typos_get_suggestions(derive_cli, args: list[str], message: str) -> None:
    run = derive_cli(*args)
    assert run.returncode == 2
    assert message in run.stderr and run.stderr.count("\n") == 1


@pytest.mark.parametrize("args", [["diff", "-x^2"], ["diff", "-2x", "--order", "2"], ["diff", "--", "-x^2"]])
def test_an_expression_may_start_with_a_minus(derive_cli, args: list[str]) -> None:
    run = derive_cli(*args)
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith("Reading: −")


HELPS = [[], ["list"], ["sigmoid"], ["diff"], ["check"], ["properties"], ["gradient"], ["plot"], ["export"]]


@pytest.mark.parametrize("command", HELPS)
def test_every_help_has_examples(derive_cli, command: list[str]) -> None:
    run = derive_cli(*command, "--help")
    assert run.returncode == 0
    assert "examples:\n  derive " in run.stdout


def test_the_first_line_of_derive_diff_is_the_reading(derive_cli) -> None:
    run = derive_cli("diff", "2xsin(x)")
    assert run.returncode == 0
    reading, note, *_ = run.stdout.split("\n\n")[0].split("\nNote: ")
    assert reading == "Reading: 2·x·sin(x)"
    # the note wraps at the view's width like any prose
    assert " ".join(note.split()) == (
        "read xsin as x sin (known functions and one-letter names); write * or spaces to say otherwise"
    )


@pytest.mark.parametrize("text", ["f(3x)", "f(2x + 1)", "f(x*y)", "u f(2 - x)", "g(x) f(3x) + f(x/2)"])
def test_an_unspecified_function_of_a_linear_inner_function_is_refused_in_one_line(text: str) -> None:
    # f'(3x) would be a Subs with a bound name of derive's own, which SymPy's cache confuses
    # with its own f'(3x) (a later d²/dx² f(3x) evaluated to 0): refused, never a traceback
    with pytest.raises(DeriveError, match="cannot yet write f' at a point"):
        differentiate(text)
