"""The trust suite's claims: equations built to fool a verifier, each with its true answer.

Every claim is labelled

* ``true`` — it holds wherever both sides are real and finite (so ``log(x^2) = 2 log(x)`` is
  true: both sides are real only for x > 0, and there they agree);
* ``false`` — there is a real point where both sides are finite and differ;
* ``domain`` — it holds under the stated ``condition`` and is false somewhere outside it.

Sides are text as a user types it (read by ``derive.parse``) or SymPy expressions where the text
syntax has no notation (Piecewise, frac, Derivative, Subs, Chebyshev polynomials). This module
holds data only; tests/test_trust.py asserts on it.
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

from derive.model import Definition

x, y, z, a, b, t, u, s = sp.symbols("x y z a b t u s")
f, g = sp.Function("f"), sp.Function("g")
D = sp.Derivative


@dataclass(frozen=True)
class Claim:
    """One claimed equation and what a sound verifier may answer about it."""

    kind: str  # the class of trap, for the per-class counts
    label: str  # "true", "false" or "domain"
    lhs: sp.Basic | str
    rhs: sp.Basic | str
    condition: sp.Basic | None = None  # for "domain": where the claim holds
    definitions: tuple[Definition, ...] = ()

    @property
    def name(self) -> str:
        """A readable test id: the claim as written."""

        def side(value: sp.Basic | str) -> str:
            return value if isinstance(value, str) else sp.sstr(value)

        text = f"{side(self.lhs)} = {side(self.rhs)}"
        if self.condition is not None:
            text += f" if {sp.sstr(self.condition)}"
        if self.definitions:
            text += " with " + ", ".join(f"{d.lhs}:={d.rhs}" for d in self.definitions)
        return f"{self.kind}/{self.label}: {text}"


def _claims(kind: str, label: str, *pairs: tuple[sp.Basic | str, sp.Basic | str]) -> list[Claim]:
    return [Claim(kind, label, lhs, rhs) for lhs, rhs in pairs]


def _all(*groups: list[Claim]) -> list[Claim]:
    return [claim for group in groups for claim in group]


def _domain(kind: str, *rows: tuple[sp.Basic | str, sp.Basic | str, sp.Basic]) -> list[Claim]:
    return [Claim(kind, "domain", lhs, rhs, condition) for lhs, rhs, condition in rows]


# -- near-identities: the sides differ by far less than a coarse numeric test can see ---------------
NEAR = _all(
    _claims(
        "near-identity",
        "false",
        ("x + 10^-30", "x"),
        ("x^2", "x^2 + 10^-60"),
        ("sin(x) + 10^-200", "sin(x)"),
        ("e^x", "e^x + 10^-40 e^x"),
        ("x", "(1 + 10^-30) x"),
        ("sin(x)", "sin((1 + 10^-35) x)"),
        ("x^3", "x^3 + 10^-28 x"),
        ("log(1 + x^2)", "log(1 + x^2) + 10^-50 x^2"),
        ("1/(1 + x^2)", "1/(1 + x^2 + 10^-40)"),
        ("sqrt(1 + x^2)", "sqrt(1 + x^2 + 10^-30)"),
        ("x", "x + e^(-1000)"),
        ("tanh(1000 + x^2)", "1"),
        ("erf(x^2 + 30)", "1"),
        ("1/(1 + e^(-x^2 - 1000))", "1"),
        ("atan(10^50 + x^2)", "pi/2"),
        ("x^2", "x^2 + e^(-10000 x^2)"),
        ("cos(x)", "cos(x) + e^(-1000 - x^2)"),
        ("cosh(x) - sinh(x)", "e^(-x) + e^(-1000)"),
        ("sin(x)^2 + cos(x)^2", "1 + 10^-30"),
        ("(x + 1)^2", "x^2 + 2x + 1 + 10^-45"),
        ("x", "x + 10^-30 sin(x)"),
        ("x/(1 + x^2)", "x/(1 + x^2) + 10^-35 x^5"),
        ("e^x", "e^(x + 10^-30)"),
        ("log(x)", "log(x) + 10^-40"),
        ("1", "1 + 10^-200 x^2"),
        ("x + y", "x + y + 10^-30 x y"),
        ("atan(x)", "atan(x) + 10^-30/(1 + x^2)"),
        ("sqrt(x^2 + 1) - x", "1/(sqrt(x^2 + 1) + x) + 10^-40"),
        ("tanh(x)", "tanh(x) + 10^-32 tanh(x)^3"),
        ("e^(-x^2)", "e^(-x^2) (1 + 10^-34)"),
    ),
    _claims(
        "near-identity",
        "true",
        ("(1 + 10^-30) x - 10^-30 x", "x"),
        ("x + e^(-1000) - e^(-1000)", "x"),
        ("tanh(x)", "1 - 2/(e^(2x) + 1)"),
        ("sqrt(x^2 + 1) - x", "1/(sqrt(x^2 + 1) + x)"),
        ("log(1 + e^x) - x", "log(1 + e^(-x))"),
        ("1 - cos(x)", "2 sin(x/2)^2"),
        ("(10^30 + x) - 10^30", "x"),
        ("(x + 10^-30)^2", "x^2 + 2*10^-30 x + 10^-60"),
        ("e^(-1000) e^(1000 + x)", "e^x"),
        ("e^x - 1", "2 e^(x/2) sinh(x/2)"),
    ),
)

# -- almost-integer constants ------------------------------------------------------------------------
ALMOST_INTEGER = _all(
    _claims(
        "almost-integer",
        "false",
        ("e^(pi sqrt(163))", "262537412640768744"),
        ("e^(pi sqrt(163))", "640320^3 + 744"),
        ("(e^(pi sqrt(163)) - 744)^(1/3)", "640320"),
        ("log(640320^3 + 744)/sqrt(163)", "pi"),
        ("e^(pi sqrt(67))", "147197952744"),
        ("e^(pi sqrt(58))", "24591257752"),
        ("((1 + sqrt(5))/2)^100", "792070839848372253127"),
        ("(2 + sqrt(3))^50", "39571031999226139563162735374"),
        ("sqrt(2)", "141421356237309504880168872420969807857/10^38"),
        ("pi", "355/113"),
        ("pi", "312689/99532"),
        ("pi^4 + pi^5", "e^6"),
        ("sin(11)", "-1 + 10^-5"),
        ("cos(355)", "-1"),
        ("cos(pi cos(pi cos(log(pi + 20))))", "-1"),
        ("e^pi - pi", "20"),
        ("e^pi", "23140692632779269/10^15"),
        ("x e^(pi sqrt(163))", "262537412640768744 x"),
        ("(x^2 + 1) e^(pi sqrt(163))", "(640320^3 + 744)(x^2 + 1)"),
        ("sin(pi e^(pi sqrt(163)))", "0"),
        ("x + (1 + sqrt(2))^40", "x + 2046573816377474"),
    ),
    _claims(
        "almost-integer",
        "true",
        ("(2 + sqrt(3))^5 + (2 - sqrt(3))^5", "724"),
        ("((1 + sqrt(5))/2)^10 + ((1 - sqrt(5))/2)^10", "123"),
        ("(1 + sqrt(2))^4 + (1 - sqrt(2))^4", "34"),
        ("((1 + sqrt(5))/2)^100 + ((1 - sqrt(5))/2)^100", "792070839848372253127"),
        ("(2 + sqrt(3))^50 + (2 - sqrt(3))^50", "39571031999226139563162735374"),
        ("x ((1 + sqrt(2))^8 + (1 - sqrt(2))^8)", "1154 x"),
    ),
)

# -- periodic terms that vanish at every point of a decimal grid ------------------------------------
PERIODIC = _all(
    _claims(
        "periodic",
        "false",
        ("x^2", "x^2 + sin(100 pi x)"),
        ("x", "x + sin(1000 pi x)/1000"),
        ("cos(200 pi x)", "1"),
        ("e^x", "e^x (1 + sin(300 pi x))"),
        ("tan(100 pi x)", "0"),
        ("sin(500 pi x)^2", "0"),
        ("|sin(500 pi x)|", "0"),
        ("cos(1000 pi x)^2", "1"),
        ("x + sin(pi x) sin(100 pi x)", "x"),
        ("log(2 + sin(100 pi x))", "log(2)"),
        ("e^(sin(200 pi x))", "1"),
        ("cos(x)^2", "cos(x)^2 + sin(100 pi y)"),
        ("sin(2 pi x)", "0"),
        ("sin(pi x)", "0"),
        ("x sin(400 pi x)", "0"),
        ("1/(2 - cos(100 pi x))", "1"),
        ("sin(100 pi x) + cos(100 pi x)", "1"),
        ("sin(1000 pi x)", "0"),
    ),
    _claims(
        "periodic",
        "true",
        ("sin(x + 2 pi)", "sin(x)"),
        ("cos(1000 pi x + 2 pi)", "cos(1000 pi x)"),
        ("sin(100 pi x)^2 + cos(100 pi x)^2", "1"),
        ("sin(200 pi x)", "2 sin(100 pi x) cos(100 pi x)"),
        ("cos(2x)", "1 - 2 sin(x)^2"),
        ("tan(x + pi)", "tan(x)"),
        ("sin(1000 pi x + 1000 pi)", "sin(1000 pi x)"),
        ("sin(pi x)^2", "(1 - cos(2 pi x))/2"),
    ),
)

# -- step functions: true identities, and false ones that agree on most of the line -----------------
_frac = sp.frac
STEP = _all(
    _claims(
        "step",
        "true",
        ("Max(x, 0)", "(x + |x|)/2"),
        ("Min(x, 0)", "(x - |x|)/2"),
        ("Max(x, y)", "(x + y + |x - y|)/2"),
        ("Min(x, y)", "(x + y - |x - y|)/2"),
        ("Max(x, y) + Min(x, y)", "x + y"),
        ("Max(x, 0) - Max(-x, 0)", "x"),
        ("Max(x, 0) + Max(-x, 0)", "|x|"),
        ("|x|", "x sign(x)"),
        ("sign(x)", "x/|x|"),
        ("Heaviside(x)", "(1 + sign(x))/2"),
        ("ceiling(x)", "-floor(-x)"),
        ("floor(x + 1)", "floor(x) + 1"),
        ("floor(2x)", "floor(x) + floor(x + 1/2)"),
        ("floor(x/2) + floor((x + 1)/2)", "floor(x)"),
        ("sign(x)^3", "sign(x)"),
        ("|sign(x)|", "sign(x)^2"),
        ("|x y|", "|x| |y|"),
        ("Max(x^2, 0)", "x^2"),
        ("Min(|x|, 0)", "0"),
        ("Max(x, 0) Min(x, 0)", "0"),
        ("Heaviside(x) + Heaviside(-x)", "1"),
        ("sign(x) + sign(-x)", "0"),
        ("|x - 1| + |x + 1|", "2 Max(|x|, 1)"),
        ("Max(x, 0)^2", "x Max(x, 0)"),
        ("Max(sin(x), 2)", "2"),
        ("Min(cos(x), -2)", "-2"),
        ("|x^2 + 1|", "x^2 + 1"),
    ),
    [
        Claim("step", "true", x - sp.floor(x), _frac(x)),
        Claim("step", "true", sp.Piecewise((x, x > 0), (0, True)), sp.Max(x, 0)),
        Claim("step", "true", sp.Piecewise((-x, x < 0), (x, True)), sp.Abs(x)),
        Claim(
            "step",
            "true",
            sp.Piecewise((x**2, x < 1), (2 * x - 1, True)),
            x**2 - sp.Heaviside(x - 1) * (x - 1) ** 2,
        ),
        Claim("step", "true", _frac(x + 1), _frac(x)),
    ],
    _claims(
        "step",
        "false",
        ("Max(x, 0)", "x"),
        ("Max(x, 7/2)", "x"),
        ("Max(x, 4)", "4"),
        ("Min(x, 5)", "x"),
        ("Max(x, -4)", "x"),
        ("Heaviside(x - 4)", "0"),
        ("Heaviside(x^2 - 19/2)", "0"),
        ("floor(x^2/16)", "0"),
        ("sign(x^2 - 16)", "-1"),
        ("|x - 5|", "5 - x"),
        ("|x^3 - 27|", "27 - x^3"),
        ("Max(x^2, 10)", "10"),
        ("floor(100x)", "100x"),
        ("ceiling(100x)", "100x"),
        ("floor(x) + floor(-x)", "-1"),
        ("floor(x)", "ceiling(x) - 1"),
        ("sign(x)^2", "1"),
        ("|x^2 - 1|", "x^2 - 1"),
        ("|sin(x)|", "sin(x)"),
        ("Max(x, y)", "x"),
        ("x Heaviside(x - 1000)", "0"),
        ("floor(x/1000)", "0"),
        ("Min(x, 0) + Max(x, 1)", "x"),
        ("|x + 1| - |x - 1|", "2 sign(x)"),
    ),
    [
        Claim("step", "false", sp.Piecewise((x, x < sp.Rational(7, 2)), (0, True)), x),
        Claim("step", "false", sp.Piecewise((1, x >= 0), (-1, True)), sp.sign(x)),
        Claim("step", "false", _frac(100 * x), sp.Integer(0)),
        Claim("step", "false", sp.Piecewise((x**2, x < 1), (2 * x, True)), x**2),
    ],
    _domain(
        "step",
        ("|x|", "x", x > 0),
        ("Max(x, 0)", "x", x > 0),
        ("floor(x)", "0", sp.And(x > 0, x < 1)),
        ("sign(x)", "1", x > 0),
        ("Heaviside(x - 1)", "1", x > 1),
        ("|x - 1| + |x + 1|", "2", sp.And(x > -1, x < 1)),
        ("ceiling(x)", "1", sp.And(x > 0, x < 1)),
    ),
)

# -- branch traps: roots of squares, logs of powers, inverse functions of functions -----------------
BRANCH = _all(
    _domain(
        "branch",
        ("sqrt(x^2)", "x", x > 0),
        ("sqrt(x^2)", "-x", x < 0),
        ("(x^4)^(1/4)", "x", x > 0),
        ("(x^2)^(3/2)", "x^3", x > 0),
        ("sqrt(x^6)", "x^3", x > 0),
        ("asin(sin(x))", "x", sp.And(x > -sp.pi / 2, x < sp.pi / 2)),
        ("asin(sin(x))", "pi - x", sp.And(x > sp.pi / 2, x < 3 * sp.pi / 2)),
        ("acos(cos(x))", "x", sp.And(x > 0, x < sp.pi)),
        ("atan(tan(x))", "x", sp.And(x > -sp.pi / 2, x < sp.pi / 2)),
        ("atan(tan(x))", "x - pi", sp.And(x > sp.pi / 2, x < 3 * sp.pi / 2)),
        ("acosh(cosh(x))", "x", x > 0),
        ("atan(x) + atan(1/x)", "pi/2", x > 0),
        ("atan(x) + acot(x)", "pi/2", x > 0),
        ("atan(x) + atan(y)", "atan((x + y)/(1 - x y))", x * y < 1),
        ("sqrt(x y)", "sqrt(x) sqrt(y)", sp.And(x > 0, y > 0)),
        ("(x y)^(3/2)", "x^(3/2) y^(3/2)", sp.And(x > 0, y > 0)),
        ("sqrt(x^2 y)", "x sqrt(y)", x > 0),
        ("sqrt(x^2 - 2x + 1)", "x - 1", x > 1),
        ("sqrt((x - 3)^2)", "x - 3", x > 3),
        ("acos(x)", "atan(sqrt(1 - x^2)/x)", sp.And(x > 0, x < 1)),
        ("2 asin(x)", "asin(2x sqrt(1 - x^2))", sp.And(x > -1 / sp.sqrt(2), x < 1 / sp.sqrt(2))),
        ("2 atan(x)", "atan(2x/(1 - x^2))", sp.And(x > -1, x < 1)),
        ("sqrt(x - 2 sqrt(x - 1))", "sqrt(x - 1) - 1", x > 2),
    ),
    _claims(
        "branch",
        "true",
        ("sqrt(x^2)", "|x|"),
        ("(x^4)^(1/4)", "|x|"),
        ("log(x^2)", "2 log(x)"),
        ("log(x^2)", "2 log(-x)"),
        ("log(x^2)", "2 log(|x|)"),
        ("log(x^3)", "3 log(x)"),
        ("log(1/x)", "-log(x)"),
        ("log(x y)", "log(x) + log(y)"),
        ("log(x/y)", "log(x) - log(y)"),
        ("exp(log(x))", "x"),
        ("log(exp(x))", "x"),
        ("sqrt(x)^2", "x"),
        ("sqrt(1/x)", "1/sqrt(x)"),
        ("sqrt(x)/sqrt(y)", "sqrt(x/y)"),
        ("sqrt(x^2 y)", "|x| sqrt(y)"),
        ("(x^3)^(1/3)", "x"),
        ("exp(a log(x))", "x^a"),
        ("x^a x^b", "x^(a + b)"),
        ("sin(asin(x))", "x"),
        ("cos(acos(x))", "x"),
        ("tan(atan(x))", "x"),
        ("sinh(asinh(x))", "x"),
        ("cosh(acosh(x))", "x"),
        ("tanh(atanh(x))", "x"),
        ("asinh(sinh(x))", "x"),
        ("atanh(tanh(x))", "x"),
        ("acosh(cosh(x))", "|x|"),
        ("asin(x) + acos(x)", "pi/2"),
        ("asin(x)", "atan(x/sqrt(1 - x^2))"),
        ("acot(x)", "atan(1/x)"),
        ("e^(x ln(2))", "2^x"),
        ("x^x", "e^(x log(x))"),
        ("log(sqrt(x))", "log(x)/2"),
        ("e^(2 log(x))", "x^2"),
        ("sqrt(x + 2 sqrt(x - 1))", "sqrt(x - 1) + 1"),
        ("|log(x)|", "sqrt(log(x)^2)"),
    ),
    _claims(
        "branch",
        "false",
        ("e^(log(x)^2)", "x^2"),
        ("log(e^(x^2))", "x"),
        ("sqrt(x^2 + y^2)", "x + y"),
        ("|x + y|", "|x| + |y|"),
        ("sqrt(x + y)", "sqrt(x) + sqrt(y)"),
        ("asin(sin(x))", "x + 2 pi floor(x/(2 pi))"),
        ("sqrt(x^2)", "x"),
        ("log(x^2)", "2 log(x) + 10^-30"),
    ),
)

# -- hard true identities (and their broken twins) ------------------------------------------------
HARD = _all(
    _claims(
        "hard",
        "true",
        # trigonometric
        ("sin(3x)", "3 sin(x) - 4 sin(x)^3"),
        ("cos(3x)", "4 cos(x)^3 - 3 cos(x)"),
        ("tan(2x)", "2 tan(x)/(1 - tan(x)^2)"),
        ("tan(x/2)", "sin(x)/(1 + cos(x))"),
        ("tan(x/2)", "(1 - cos(x))/sin(x)"),
        ("sin(x)", "2 tan(x/2)/(1 + tan(x/2)^2)"),
        ("cos(x)", "(1 - tan(x/2)^2)/(1 + tan(x/2)^2)"),
        ("sin(x)^4 - cos(x)^4", "-cos(2x)"),
        ("sin(x + y)", "sin(x) cos(y) + cos(x) sin(y)"),
        ("cos(x) cos(y)", "(cos(x - y) + cos(x + y))/2"),
        ("sin(5x)", "16 sin(x)^5 - 20 sin(x)^3 + 5 sin(x)"),
        ("cos(4x)", "8 cos(x)^4 - 8 cos(x)^2 + 1"),
        ("tan(x) + cot(x)", "2/sin(2x)"),
        ("sec(x)^2 - tan(x)^2", "1"),
        ("csc(x)^2 - cot(x)^2", "1"),
        ("sin(x) sin(pi/3 - x) sin(pi/3 + x)", "sin(3x)/4"),
        ("sin(x) + sin(y)", "2 sin((x + y)/2) cos((x - y)/2)"),
        ("tan(x + y)", "(tan(x) + tan(y))/(1 - tan(x) tan(y))"),
        ("cos(x)^6 + sin(x)^6", "1 - 3 sin(x)^2 cos(x)^2"),
        ("sin(2x)", "2 tan(x)/(1 + tan(x)^2)"),
        # trigonometric constants
        ("cos(pi/7) cos(2 pi/7) cos(3 pi/7)", "1/8"),
        ("cos(2 pi/7) + cos(4 pi/7) + cos(6 pi/7)", "-1/2"),
        ("sin(pi/10)", "(sqrt(5) - 1)/4"),
        ("cos(pi/5)", "(1 + sqrt(5))/4"),
        ("tan(pi/12)", "2 - sqrt(3)"),
        ("sin(pi/12)", "(sqrt(6) - sqrt(2))/4"),
        ("tan(3 pi/11) + 4 sin(2 pi/11)", "sqrt(11)"),
        # hyperbolic
        ("cosh(x)^2 - sinh(x)^2", "1"),
        ("sinh(2x)", "2 sinh(x) cosh(x)"),
        ("tanh(x)", "(e^(2x) - 1)/(e^(2x) + 1)"),
        ("tanh(x/2)", "sinh(x)/(cosh(x) + 1)"),
        ("asinh(x)", "log(x + sqrt(x^2 + 1))"),
        ("acosh(x)", "log(x + sqrt(x^2 - 1))"),
        ("atanh(x)", "log((1 + x)/(1 - x))/2"),
        ("1/(1 + e^(-x))", "(1 + tanh(x/2))/2"),
        ("cosh(x) + sinh(x)", "e^x"),
        ("sinh(3x)", "3 sinh(x) + 4 sinh(x)^3"),
        ("cosh(2x)", "2 cosh(x)^2 - 1"),
        ("sech(x)^2", "1 - tanh(x)^2"),
        ("tanh(x + y)", "(tanh(x) + tanh(y))/(1 + tanh(x) tanh(y))"),
        ("cosh(x + y)", "cosh(x) cosh(y) + sinh(x) sinh(y)"),
        ("2 atan(tanh(x/2))", "atan(sinh(x))"),
        ("asin(tanh(x))", "atan(sinh(x))"),
        # Machin-like formulas
        ("pi/4", "4 atan(1/5) - atan(1/239)"),
        ("pi/4", "atan(1/2) + atan(1/3)"),
        ("pi/4", "2 atan(1/3) + atan(1/7)"),
        ("pi/4", "2 atan(1/2) - atan(1/7)"),
        ("pi/4", "12 atan(1/49) + 32 atan(1/57) - 5 atan(1/239) + 12 atan(1/110443)"),
        ("pi/4", "5 atan(1/7) + 2 atan(3/79)"),
        # nested radicals
        ("sqrt(5 + 2 sqrt(6))", "sqrt(2) + sqrt(3)"),
        ("sqrt(3 + 2 sqrt(2))", "1 + sqrt(2)"),
        ("sqrt(7 - 4 sqrt(3))", "2 - sqrt(3)"),
        ("sqrt(2 + sqrt(3))", "(sqrt(6) + sqrt(2))/2"),
        ("sqrt(11 + 6 sqrt(2))", "3 + sqrt(2)"),
        ("sqrt(14 + 6 sqrt(5))", "3 + sqrt(5)"),
        ("sqrt(10 + sqrt(24) + sqrt(40) + sqrt(60))", "sqrt(2) + sqrt(3) + sqrt(5)"),
        ("(26 + 15 sqrt(3))^(1/3)", "2 + sqrt(3)"),
        ("(2^(1/3) - 1)^(1/3)", "(1/9)^(1/3) - (2/9)^(1/3) + (4/9)^(1/3)"),
        ("sqrt(5^(1/3) - 4^(1/3))", "(2^(1/3) + 20^(1/3) - 25^(1/3))/3"),
        ("1/(sqrt(2) + 1)", "sqrt(2) - 1"),
        # gamma and factorial
        ("gamma(x + 1)", "x gamma(x)"),
        ("gamma(x) gamma(1 - x)", "pi/sin(pi x)"),
        ("gamma(1/2)", "sqrt(pi)"),
        ("gamma(x) gamma(x + 1/2)", "2^(1 - 2x) sqrt(pi) gamma(2x)"),
        ("x!", "gamma(x + 1)"),
        ("(x + 1)!", "(x + 1) x!"),
        ("gamma(5)", "24"),
        ("beta(x, y)", "gamma(x) gamma(y)/gamma(x + y)"),
        ("gamma(x + 2)", "x (x + 1) gamma(x)"),
        ("gamma(1/2 + x) gamma(1/2 - x)", "pi/cos(pi x)"),
        ("digamma(x + 1)", "digamma(x) + 1/x"),
        ("binomial(x, 2)", "x (x - 1)/2"),
        # algebra
        ("x^4 + 4y^4", "(x^2 + 2x y + 2y^2)(x^2 - 2x y + 2y^2)"),
        ("x^3 + y^3 + z^3 - 3x y z", "(x + y + z)(x^2 + y^2 + z^2 - x y - y z - z x)"),
        ("(a^2 + b^2)(x^2 + y^2)", "(a x - b y)^2 + (a y + b x)^2"),
        ("(x + 1)^5", "x^5 + 5x^4 + 10x^3 + 10x^2 + 5x + 1"),
        ("x^5 - 1", "(x - 1)(x^4 + x^3 + x^2 + x + 1)"),
        ("e^(x + y)", "e^x e^y"),
    ),
    [
        Claim("hard", "true", sp.chebyshevt(7, sp.cos(x)), sp.cos(7 * x)),
        Claim("hard", "true", sp.chebyshevu(5, sp.cos(x)) * sp.sin(x), sp.sin(6 * x)),
        Claim("hard", "true", sp.chebyshevt(4, sp.chebyshevt(3, x)), sp.chebyshevt(12, x)),
        Claim("hard", "true", sp.chebyshevt(5, sp.cosh(x)), sp.cosh(5 * x)),
    ],
    _claims(
        "hard",
        "false",
        ("pi/4", "4 atan(1/5) - atan(1/240)"),
        ("pi/4", "4 atan(1/5) - atan(1/239) + 10^-50"),
        ("sqrt(5 + 2 sqrt(6))", "sqrt(2) + sqrt(3) + 10^-40"),
        ("sqrt(10 + sqrt(24) + sqrt(40) + sqrt(60))", "sqrt(2) + sqrt(3) + sqrt(6)"),
        ("gamma(x + 1)", "sqrt(2 pi x) (x/e)^x"),
        ("x!", "gamma(x)"),
        ("gamma(x) gamma(1 - x)", "pi/sin(x)"),
        ("sin(3x)", "3 sin(x) - 4 sin(x)^3 + 10^-35"),
        ("tan(x/2)", "sin(x)/(1 - cos(x))"),
        ("cos(pi/7) cos(2 pi/7) cos(3 pi/7)", "1/8 + 10^-45"),
        ("x^4 + 4y^4", "(x^2 + 2y^2)^2"),
        ("cosh(x)^2 + sinh(x)^2", "1"),
    ),
    [Claim("hard", "false", sp.chebyshevt(7, sp.cos(x)), sp.cos(7 * x) + sp.Rational(1, 10**40))],
)

# -- unspecified functions: one function per name, shared by both sides ---------------------------
_df = sp.Subs(D(f(t), t), t, g(x))
UNSPECIFIED = [
    Claim("unspecified", "true", D(f(x) * g(x), x), D(f(x), x) * g(x) + f(x) * D(g(x), x)),
    Claim(
        "unspecified",
        "true",
        D(f(x) / g(x), x),
        (D(f(x), x) * g(x) - f(x) * D(g(x), x)) / g(x) ** 2,
    ),
    Claim("unspecified", "true", D(f(g(x)), x), _df * D(g(x), x)),
    Claim("unspecified", "true", D(f(x**2), x), 2 * x * sp.Subs(D(f(t), t), t, x**2)),
    Claim("unspecified", "true", D(f(2 * x), x), 2 * sp.Subs(D(f(t), t), t, 2 * x)),
    Claim("unspecified", "true", D(f(x) ** 2, x), 2 * f(x) * D(f(x), x)),
    Claim("unspecified", "true", D(sp.exp(f(x)), x), D(f(x), x) * sp.exp(f(x))),
    Claim("unspecified", "true", D(sp.log(f(x)), x), D(f(x), x) / f(x)),
    Claim("unspecified", "true", D(sp.sin(f(x)), x), sp.cos(f(x)) * D(f(x), x)),
    Claim(
        "unspecified",
        "true",
        D(f(x) * g(x), (x, 2)),
        D(f(x), (x, 2)) * g(x) + 2 * D(f(x), x) * D(g(x), x) + f(x) * D(g(x), (x, 2)),
    ),
    Claim(
        "unspecified",
        "true",
        D(f(x) * g(x), (x, 3)),
        D(f(x), (x, 3)) * g(x)
        + 3 * D(f(x), (x, 2)) * D(g(x), x)
        + 3 * D(f(x), x) * D(g(x), (x, 2))
        + f(x) * D(g(x), (x, 3)),
    ),
    Claim("unspecified", "true", D(f(x, y), x, y), D(f(x, y), y, x)),
    Claim("unspecified", "true", f(x) * (1 + g(x)) - f(x) * g(x), f(x)),
    Claim("unspecified", "true", "f(x)^2 - g(x)^2", "(f(x) - g(x))(f(x) + g(x))"),
    # equal arguments written differently: only one function per name, shared by both sides,
    # lets these hold when no symbolic rung sees through them
    *_claims(
        "unspecified",
        "true",
        ("f(tan(x/2))", "f(sin(x)/(1 + cos(x)))"),
        ("f(sqrt(5 + 2 sqrt(6)))", "f(sqrt(2) + sqrt(3))"),
        ("g(x) f(cos(3x))", "g(x) f(4 cos(x)^3 - 3 cos(x))"),
        ("f(x, tanh(y))", "f(x, (e^(2y) - 1)/(e^(2y) + 1))"),
        ("f(asinh(x))", "f(log(x + sqrt(x^2 + 1)))"),
        ("f(x) + g(pi/4)", "f(x) + g(4 atan(1/5) - atan(1/239))"),
        ("f(x) g(gamma(x + 1))", "f(x) g(x gamma(x))"),
        ("f(1/(1 + e^(-x)))", "f((1 + tanh(x/2))/2)"),
    ),
    Claim("unspecified", "false", "f(x, y)", "f(y, x)"),
    Claim("unspecified", "false", "f(x, 2y)", "f(2y, x)"),
    Claim("unspecified", "false", "f(x + 10^-30)", "f(x)"),
    Claim("unspecified", "false", "f(x) + 10^-40", "f(x)"),
    Claim("unspecified", "false", "f(x) + f(-x)", "2 f(x)"),
    Claim("unspecified", "false", "f(2x)", "2 f(x)"),
    Claim("unspecified", "false", "f(x)^2", "f(x^2)"),
    Claim("unspecified", "false", "f(x + y)", "f(x) + f(y)"),
    Claim("unspecified", "false", "f(x)", "g(x)"),
    Claim("unspecified", "false", "f(x, y) + f(y, x)", "2 f(x, y)"),
    Claim("unspecified", "false", "f(g(x))", "g(f(x))"),
    Claim("unspecified", "false", D(f(x) * g(x), x), D(f(x), x) * D(g(x), x)),
    Claim(
        "unspecified",
        "false",
        D(f(x) / g(x), x),
        (D(f(x), x) * g(x) + f(x) * D(g(x), x)) / g(x) ** 2,
    ),
    Claim("unspecified", "false", D(f(g(x)), x), _df),
    Claim("unspecified", "false", D(f(x), (x, 2)), D(f(x), x) ** 2),
    Claim(
        "unspecified",
        "false",
        D(f(x) * g(x), (x, 2)),
        D(f(x), (x, 2)) * g(x) + D(f(x), x) * D(g(x), x) + f(x) * D(g(x), (x, 2)),
    ),
    Claim("unspecified", "false", D(f(x, y), x), D(f(x, y), y)),
    Claim("unspecified", "false", D(f(x) ** 2, x), 2 * D(f(x), x)),
]

# -- derivatives inside claims ------------------------------------------------------------------------
_u_def = Definition(u, 1 + sp.exp(-x))
_s_def = Definition(s, 1 / u)
_LEIBNIZ = (_u_def, _s_def)
_SIGMOID = (Definition(s, 1 / (1 + sp.exp(-x))),)
DERIVATIVE = [
    Claim("derivative", "true", D(sp.sin(x), (x, 3)), -sp.cos(x)),
    Claim("derivative", "true", D(sp.atan(x), x), 1 / (1 + x**2)),
    Claim("derivative", "true", D(x**x, x), x**x * (1 + sp.log(x))),
    Claim("derivative", "true", D(sp.exp(x**2), (x, 2)), (4 * x**2 + 2) * sp.exp(x**2)),
    Claim("derivative", "true", D(sp.log(x), (x, 3)), 2 / x**3),
    Claim("derivative", "true", D(x**5, (x, 3)), 60 * x**2),
    Claim("derivative", "true", D(sp.Abs(x), x), sp.sign(x)),
    Claim("derivative", "true", D(sp.log(sp.Abs(x)), x), 1 / x),
    Claim("derivative", "true", D(sp.sqrt(x**2 + 1), (x, 2)), (x**2 + 1) ** sp.Rational(-3, 2)),
    Claim("derivative", "true", D(sp.tan(x), (x, 2)), 2 * sp.tan(x) * (1 + sp.tan(x) ** 2)),
    Claim(
        "derivative",
        "true",
        D(1 / (1 + sp.exp(-x)), x),
        1 / (1 + sp.exp(-x)) * (1 - 1 / (1 + sp.exp(-x))),
    ),
    Claim("derivative", "true", D(x**2 * y**3, x, y), 6 * x * y**2),
    Claim("derivative", "true", D(sp.Abs(sp.log(x)), x), sp.sign(sp.log(x)) / x),
    Claim("derivative", "true", D(x * sp.Abs(x), x), 2 * sp.Abs(x)),
    Claim("derivative", "true", D(sp.asin(x), x), 1 / sp.sqrt(1 - x**2)),
    Claim("derivative", "true", D(sp.sqrt(x), (x, 2)), -sp.Rational(1, 4) * x ** sp.Rational(-3, 2)),
    Claim("derivative", "true", D(sp.sqrt(x**2), x), x / sp.Abs(x)),
    Claim("derivative", "true", D(s, u), -1 / u**2, definitions=_LEIBNIZ),
    Claim("derivative", "true", D(s, (u, 2)), 2 / u**3, definitions=_LEIBNIZ),
    Claim("derivative", "true", D(s, (u, 3)), -6 / u**4, definitions=_LEIBNIZ),
    Claim("derivative", "true", D(s, (x, 2)), D(s * (1 - s), x), definitions=_SIGMOID),
    Claim("derivative", "false", D(x**4, (x, 2)), 4 * x**3),
    Claim("derivative", "false", D(x**4, (x, 3)), 12 * x**2),
    Claim("derivative", "false", D(sp.exp(2 * x), (x, 2)), 2 * sp.exp(2 * x)),
    Claim("derivative", "false", D(sp.log(x), (x, 2)), 1 / x**2),
    Claim("derivative", "false", D(sp.tan(x), (x, 2)), 1 + sp.tan(x) ** 2),
    Claim("derivative", "false", D(sp.sin(x), (x, 3)), sp.cos(x)),
    Claim("derivative", "false", D(sp.sin(x), (x, 2)), sp.cos(x)),
    Claim("derivative", "false", D(x**x, x), x * x ** (x - 1)),
    Claim("derivative", "false", D(sp.Abs(x), x), sp.Integer(1)),
    Claim("derivative", "false", D(sp.sqrt(x), (x, 2)), sp.Rational(1, 4) * x ** sp.Rational(-3, 2)),
    Claim("derivative", "false", D(sp.exp(x**2), (x, 2)), 4 * x**2 * sp.exp(x**2)),
    Claim("derivative", "false", D(x**2 * y**3, x, y), 6 * x * y**3),
    Claim("derivative", "false", D(x**3, (x, 2)), 6 * x + sp.Rational(1, 10**30)),
    Claim("derivative", "false", D(sp.Max(x, 0), x), sp.Integer(1)),
    Claim("derivative", "false", D(sp.sin(100 * sp.pi * x), x), sp.Integer(0)),
    Claim("derivative", "false", D(s, (u, 2)), -1 / u**2, definitions=_LEIBNIZ),
    Claim("derivative", "false", D(s, (u, 3)), 2 / u**3, definitions=_LEIBNIZ),
    Claim("derivative", "false", D(s, u), -1 / u, definitions=_LEIBNIZ),
    Claim("derivative", "domain", D(sp.Abs(x), x), sp.Integer(1), x > 0),
    Claim("derivative", "domain", D(sp.sqrt(x**2), x), sp.Integer(1), x > 0),
]

CLAIMS: tuple[Claim, ...] = (
    *NEAR,
    *ALMOST_INTEGER,
    *PERIODIC,
    *STEP,
    *BRANCH,
    *HARD,
    *UNSPECIFIED,
    *DERIVATIVE,
)
KINDS = tuple(dict.fromkeys(c.kind for c in CLAIMS))
