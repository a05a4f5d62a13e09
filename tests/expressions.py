"""Expressions the engine must differentiate step by step: textbook calculus and ML activations.

Strings go through the safe parser exactly as a user would type them after ``derive diff``;
each entry is ``(text, variable)``.
"""

from __future__ import annotations

POLYNOMIALS_AND_POWERS = [
    "x", "7", "x^2", "x^3", "3x^4 - 2x + 7", "x^10", "x^-1", "x^-3", "1/x^2", "sqrt(x)",
    "x^(1/3)", "x^(3/2)", "1/sqrt(x)", "(x^2+1)^5", "(2x-3)^4", "(1-x)^(-2)", "sqrt(1+x^2)",
    "(x^3 - x)^(1/3)", "x^2 + 2x + 1", "(x+1)(x-1)", "x(x+1)(x+2)", "pi x^2", "a x^2 + b x + c",
    "x^n", "cbrt(x)", "(x^2 - 3x + 2)^3", "5/x", "x^2/4 - x/2", "(1 + 1/x)^2", "sqrt(x) + 1/x",
]
EXPONENTIALS = [
    "e^x", "e^(2x)", "e^(-x)", "e^(x^2)", "x e^x", "x^2 e^(-x)", "e^x sin(x)", "2^x", "10^x",
    "3^(x^2)", "a^x", "e^(e^x)", "e^(sin(x))", "exp(-x^2/2)", "e^(1/x)", "x e^(-x^2)",
    "(e^x - e^(-x))/2", "e^(3x+2)",
]
LOGARITHMS = [
    "ln(x)", "ln(2x)", "ln(x^2+1)", "log(x, 2)", "log(x, 10)", "x ln(x)", "ln(ln(x))",
    "ln(sin(x))", "ln(|x|)", "ln((1+x)/(1-x))", "ln(sqrt(x))", "x^2 ln(x)", "ln(x)/x",
    "ln(x + sqrt(x^2+1))", "(ln(x))^2", "1/ln(x)", "log(x^2, 3)",
]
TRIGONOMETRY = [
    "sin(x)", "cos(x)", "tan(x)", "cot(x)", "sec(x)", "csc(x)", "sin(3x)", "cos(x^2)", "tan(2x+1)",
    "sin(x)^2", "cos(x)^3", "sin(x)cos(x)", "sin(x)/x", "x sin(x)", "tan(x)/x", "sec(x)tan(x)",
    "sin(cos(x))", "cos(sin(x^2))", "sin(x)^2 + cos(x)^2", "sqrt(sin(x))", "1/(1+cos(x))",
    "sin(x)/(1+cos(x))", "e^(-x) cos(2x)", "(sin(x) + cos(x))/(sin(x) - cos(x))", "x^2 cos(1/x)",
    "asin(x)", "acos(x)", "atan(x)", "acot(x)", "asec(x)", "acsc(x)", "arctan(x^2)", "arcsin(2x)",
    "atan(1/x)", "x atan(x)", "asin(sqrt(x))", "acos(1-x)", "atan(e^x)",
]
HYPERBOLIC = [
    "sinh(x)", "cosh(x)", "tanh(x)", "coth(x)", "sech(x)", "csch(x)", "tanh(2x)", "cosh(x^2)",
    "sinh(x)cosh(x)", "ln(cosh(x))", "tanh(x)^2", "asinh(x)", "acosh(x)", "atanh(x)", "acoth(x)",
    "asech(x)", "acsch(x)", "asinh(x^2)", "x tanh(x)",
]
GENERAL_POWERS = [
    "x^x", "x^sin(x)", "(1+x)^(1/x)", "cos(x)^sin(x)", "x^(1/x)", "(x^2+1)^x", "sin(x)^x",
    "x^(x^2)",
]
ABSOLUTE_AND_CASES = [
    "|x|", "|x^2 - 1|", "|sin(x)|", "x|x|", "max(0, x)", "max(x/10, x)", "min(x, 1)",
    "Heaviside(x)", "x Heaviside(x)", "max(0, 1 - 2x)",
]
SPECIAL = ["erf(x)", "erf(2x)", "erfc(x)", "erf(x^2)", "gamma(x)", "Si(x)", "LambertW(x)", "Ei(x)"]
ACTIVATIONS = [
    "1/(1+e^(-x))", "tanh(x)", "ln(1+e^x)", "x/(1+e^(-x))", "x (1 + erf(x/sqrt(2)))/2",
    "x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))/2", "x tanh(ln(1+e^x))", "x/(1+|x|)",
    "-ln(1+e^(-x))", "e^x/(1+e^x)^2", "e^x/(e^x + e^y + e^z)", "ln(e^x + e^y)",
    "1/(s sqrt(2 pi)) e^(-(x-m)^2/(2 s^2))", "x sigmoid", "ln(1 + e^(-x)) + x",
]
UNDEFINED_FUNCTIONS = [
    "f(x)", "f(g(x))", "f(x) g(x)", "f(x)/g(x)", "f(x^2)", "sin(f(x))", "f(x)^2", "e^(f(x))",
    "f(g(h(x)))", "x f(x)",
]
LARGER = [
    "(x^2+1)/(x^2-1)", "x/(1+x^2)", "sqrt((1+x)/(1-x))", "x^3 e^(2x) sin(x)", "x^2/sqrt(1-x^2)",
    "(x+1)^2 (x-1)^3", "e^(x) ln(x) sin(x) cos(x)", "ln(tan(x/2))", "sin(sin(sin(sin(x))))",
    "((x+1)/(x+2))^3", "x sqrt(1 + x^2) ln(x)",
]
# (expression, variable): partial derivatives, everything else held constant
PARTIAL = [
    ("x y^2", "y"), ("sin(x y)", "y"), ("e^(a x)", "a"), ("1/(1+exp(-(w x + b)))", "w"),
    ("1/(1+exp(-(w x + b)))", "b"), ("(w x + b - y)^2", "w"), ("(w x + b - y)^2", "b"),
    ("-(y ln(1/(1+e^(-z))) + (1 - y) ln(1 - 1/(1+e^(-z))))", "z"), ("x^2 + x y + y^2", "y"),
    ("ln(x^2 + t^2)", "t"), ("a e^(-k t) sin(w t)", "t"), ("m v^2/2", "v"),
]

EXPRESSIONS: list[tuple[str, str]] = [
    (text, "x")
    for group in (
        POLYNOMIALS_AND_POWERS, EXPONENTIALS, LOGARITHMS, TRIGONOMETRY, HYPERBOLIC, GENERAL_POWERS,
        ABSOLUTE_AND_CASES, SPECIAL, ACTIVATIONS, UNDEFINED_FUNCTIONS, LARGER,
    )
    for text in group
] + PARTIAL
