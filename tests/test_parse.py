"""The safe parser: the notation people type, SymPy's own syntax, and hostile input."""

from __future__ import annotations

import contextlib
import re
import time

import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from derive.errors import ParseError
from derive.parse import MAX_DEPTH, parse
from derive.printing import sstr

x, y, b = sp.symbols("x y b")
f, g = sp.Function("f"), sp.Function("g")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("x^2 + 1", x**2 + 1),
        ("x**2", x**2),
        ("2x", 2 * x),
        ("2 sin(x)", 2 * sp.sin(x)),
        ("x(x+1)", x * (x + 1)),
        ("sin(x)cos(x)", sp.sin(x) * sp.cos(x)),
        ("e^x", sp.exp(x)),
        ("E^x", sp.exp(x)),
        ("exp(-x^2)", sp.exp(-(x**2))),
        ("pi x", sp.pi * x),
        ("π", sp.pi),
        ("ln(x)", sp.log(x)),
        ("log(x, b)", sp.log(x, b)),
        ("sqrt(x)", sp.sqrt(x)),
        ("abs(x)", sp.Abs(x)),
        ("|x - 1|", sp.Abs(x - 1)),
        ("2|x|", 2 * sp.Abs(x)),
        ("−x", -x),
        ("x²", x**2),
        ("x·y", x * y),
        ("-x^2", -(x**2)),
        ("x^-1", 1 / x),
        ("2^3^2", sp.Integer(2) ** 9),
        ("0.5x", x / 2),
        ("f(g(x))", f(g(x))),
        ("arctan(x)", sp.atan(x)),
        ("4!", sp.Integer(24)),
        ("α + β", sp.Symbol("α") + sp.Symbol("β")),
        ("1/(1+exp(-x))", 1 / (1 + sp.exp(-x))),
    ],
)
def test_math_notation(text: str, expected: sp.Basic) -> None:
    assert parse(text) == expected


@pytest.mark.parametrize(
    "expr",
    [
        sp.Mul(-1 / x**2, -sp.exp(-x), evaluate=False),
        sp.Add(x, x, evaluate=False),
        sp.Derivative(f(x), (x, 2)),
        sp.Piecewise((x, x > 0), (0, True)),
        sp.Rational(3, 7) * x ** sp.Rational(-1, 2),
        sp.Float("0.125") * x,
        sp.exp(x) + sp.E + sp.pi + sp.I,
        sp.Subs(sp.Derivative(f(y), y), y, x**2),
    ],
)
def test_sympy_syntax_round_trips(expr: sp.Basic) -> None:
    assert parse(sstr(expr), "sympy") == expr


def test_e_is_a_name_in_sympy_syntax_and_eulers_number_in_math() -> None:
    assert parse("e", "sympy") == sp.Symbol("e")
    assert parse("e") == sp.E


@pytest.mark.parametrize(
    ("text", "column"),
    [
        ("x +", 4),
        ("(x", 3),
        ("x)", 2),
        ("2 ** * 3", 6),
        ("x $ y", 3),
        ("sin", 1),
        ("", 1),
        ("__import__('os').system('true')", 12),
        ("lambda: 0", 7),
    ],
)
def test_errors_name_the_column(text: str, column: int) -> None:
    with pytest.raises(ParseError) as info:
        parse(text)
    assert info.value.column == column
    assert f"at column {column}" in str(info.value)


@pytest.mark.parametrize(
    "text",
    [
        "2^(10^10)",
        "10^10^10",
        "factorial(10^7)",
        "(10^7)!",
        "gamma(10^9)",
        "sqrt(2)^(10^10)",
        "9" * 2000,
        "x" * 20000,
    ],
)
def test_huge_input_is_refused_quickly(text: str) -> None:
    start = time.perf_counter()
    with pytest.raises(ParseError):
        parse(text)
    assert time.perf_counter() - start < 1.0


@pytest.mark.parametrize(
    "text", ["10^3999", "factorial(1500)", "1500!", "1e3990", "2^13000", "10^2000 * 10^1999", "1/10^3999"]
)
def test_every_number_the_parser_allows_can_be_printed(text: str) -> None:
    expr = parse(text)
    assert len(str(expr)) > 3_000  # under Python's limit for int-to-str, which would raise
    assert parse(sstr(expr), "sympy") == expr


@pytest.mark.parametrize("text", ["x²", "sin⁻¹(x)", "[x]", "{x}", "x^2", "|x|"])
def test_calculator_notation_is_not_part_of_sympy_syntax(text: str) -> None:
    with pytest.raises(ParseError):
        parse(text, "sympy")


def test_deep_nesting_works_up_to_the_limit_and_fails_cleanly_beyond() -> None:
    depth = MAX_DEPTH - 5
    assert parse("(" * depth + "x" + ")" * depth) == x
    assert parse("sin(" * 100 + "x" + ")" * 100).count(sp.sin) == 100
    with pytest.raises(ParseError, match="nested"):
        parse("(" * 1000 + "x" + ")" * 1000)
    with pytest.raises(ParseError, match="nested"):
        parse("-" * 5000 + "x")


_PIECES = [*"x y 2 e ( ) + - * / ^ ** | ! . , = _ é σ ² ⁻ ¹ [ ] { } d".split(), " ", "sin", "xsin", "d/dx"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=30).map("".join))
def test_random_text_parses_or_raises_parse_error(text: str) -> None:
    try:
        result = parse(text)
    except ParseError:
        return
    assert isinstance(result, sp.Basic)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60))
def test_arbitrary_unicode_never_escapes_as_another_exception(text: str) -> None:
    for dialect in ("math", "sympy"):
        with contextlib.suppress(ParseError):
            parse(text, dialect)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Piecewise((0, x ≤ 0), (x, otherwise))", sp.Piecewise((0, x <= 0), (x, True))),
        ("piecewise((0, x<0), (x^2, x>=0))", sp.Piecewise((0, x < 0), (x**2, x >= 0))),
        ("Piecewise((1, 0 < x ≤ 1), (0, True))", sp.Piecewise((1, (x > 0) & (x <= 1)), (0, True))),
        (
            "Piecewise((x, x > 1 or x < −1), (0, otherwise))",
            sp.Piecewise((x, (x > 1) | (x < -1)), (0, True)),
        ),
        (
            "Piecewise((0, (x > 0) and (x < 1) or x = 3), (1, otherwise))",
            sp.Piecewise((0, ((x > 0) & (x < 1)) | sp.Eq(x, 3)), (1, True)),
        ),
        ("Piecewise((2x, (x + 1) < 2), (1, otherwise))", sp.Piecewise((2 * x, x < 1), (1, True))),
        ("Piecewise((x, x ≠ 0), (1, otherwise))", sp.Piecewise((x, sp.Ne(x, 0)), (1, True))),
        ("Subs(sin(y), y, x^2)", sp.Subs(sp.sin(y), y, x**2)),
        # as SymPy users type them, and in Mathematica's braces (no default: 0)
        ("Piecewise((0.5*x,x<0),(x, x>=0))", sp.Piecewise((x / 2, x < 0), (x, True))),
        ("Piecewise((x, (x > -1) & (x < 1)), (1, true))", sp.Piecewise((x, (x > -1) & (x < 1)), (1, True))),
        ("Piecewise[{{x^2, x < 0}}, 3x]", sp.Piecewise((x**2, x < 0), (3 * x, True))),
        ("Piecewise[{{x, x > 0}}]", sp.Piecewise((x, x > 0), (0, True))),
    ],
)
def test_cases_and_values_at_a_point_as_the_linear_text_form_writes_them(
    text: str, expected: sp.Basic
) -> None:
    assert parse(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("x and y", "belongs in a condition"),
        ("otherwise + 1", "belongs in a condition"),
        ("Piecewise((0, x))", "expected a condition"),
        ("Piecewise(0, x < 0)", "expected '('"),
        ("Piecewise((0, x < 0) (1, True))", "expected ')'"),
        ("Subs(x, 1, 2)", "Subs takes an expression, variables and their values"),
        ("Subs(x, x)", "expected ','"),
        ("Subs(x, (x, y), 2)", "Subs takes an expression, variables and their values"),
        ("2(x, y)", "a list (a, b) is not a value"),
        ("Piecewise[{{x, x > 0}, {0, x <= 0}]", "expected '}'"),
    ],
)
def test_malformed_cases_are_parse_errors(text: str, message: str) -> None:
    with pytest.raises(ParseError, match=re.escape(message)):
        parse(text)


def test_bracketed_conditions_stay_linear_in_their_depth() -> None:
    # a bracket may open a condition or a side of one: trying both must not double per level
    deep = "Piecewise((0, " + "(" * 200 + "x + 1" + ")" * 200 + " < 1), (1, otherwise))"
    assert parse(deep) == sp.Piecewise((0, x < 0), (1, True))
