"""A safe parser for expressions: user text never reaches ``eval``.

``sympify`` and ``parse_expr`` hand their input to Python's ``eval``, so ``derive`` reads text
with its own tokenizer and precedence-climbing parser, building SymPy objects only from a fixed
table of names. Two dialects share the grammar:

* ``"math"`` — what people type: ``x^2``, ``2x``, ``2 sin(x)``, ``x(x+1)``, ``|x|``, ``e`` as
  Euler's number, ``π``, ``ln``, ``−`` (unicode minus), ``²``, ``n!``.
* ``"sympy"`` — SymPy's ``str()`` syntax as written by the JSON exporter, including the
  ``Add/Mul/Pow(..., evaluate=False)`` forms that keep a displayed step exactly as written.

Limits on length, nesting and number size turn hostile input into a :class:`ParseError`
within milliseconds instead of a hang or a ``RecursionError``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Literal

import sympy as sp

from .errors import ParseError
from .timing import recursion_room

Dialect = Literal["math", "sympy"]

MAX_LENGTH = 10_000
MAX_DEPTH = 250
MAX_INTEGER_DIGITS = 1_000
MAX_RESULT_BITS = 100_000  # an exact power or factorial larger than this is refused
MAX_FACTORIAL = 5_000

_TOKEN = re.compile(
    r"""
    (?P<space>\s+)
  | (?P<number>(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)
  | (?P<name>(?:(?![²³])[^\W\d])(?:(?![²³])\w)*'*)
  | (?P<op>\*\*|<=|>=|==|!=|[-+*/^(),=|!<>·×−÷²³])
    """,
    re.VERBOSE,
)

_UNICODE_OPS = {"·": "*", "×": "*", "−": "-", "÷": "/"}
_SUPERSCRIPTS = {"²": "2", "³": "3"}

# Functions both dialects know, by the name SymPy prints.
FUNCTIONS: dict[str, Callable[..., sp.Basic]] = {
    name: getattr(sp, name)
    for name in (
        "exp log sqrt cbrt sin cos tan cot sec csc asin acos atan acot asec acsc atan2 "
        "sinh cosh tanh coth sech csch asinh acosh atanh acoth asech acsch "
        "Abs sign erf erfc erfi gamma loggamma polygamma digamma beta LambertW "
        "Heaviside DiracDelta Max Min floor ceiling re im factorial binomial "
        "besselj bessely Ei Si Ci li fresnels fresnelc zeta KroneckerDelta"
    ).split()
}
# Structural constructors only the exporter writes.
_STRUCTURAL: dict[str, Callable[..., sp.Basic]] = {
    "Add": sp.Add,
    "Mul": sp.Mul,
    "Pow": sp.Pow,
    "Derivative": sp.Derivative,
    "Piecewise": sp.Piecewise,
    "Eq": sp.Eq,
    "Ne": sp.Ne,
    "And": sp.And,
    "Or": sp.Or,
    "Subs": sp.Subs,
    "Rational": sp.Rational,
    "Integer": sp.Integer,
    "Tuple": sp.Tuple,
}
ALIASES: dict[str, Callable[..., sp.Basic]] = {
    "ln": sp.log,
    "abs": sp.Abs,
    "arcsin": sp.asin,
    "arccos": sp.acos,
    "arctan": sp.atan,
    "arccot": sp.acot,
    "arcsec": sp.asec,
    "arccsc": sp.acsc,
    "arsinh": sp.asinh,
    "arcsinh": sp.asinh,
    "arcosh": sp.acosh,
    "arccosh": sp.acosh,
    "artanh": sp.atanh,
    "arctanh": sp.atanh,
    "max": sp.Max,
    "min": sp.Min,
    "sgn": sp.sign,
}
_CONSTANTS: dict[str, dict[str, sp.Basic]] = {
    "sympy": {
        "E": sp.E,
        "pi": sp.pi,
        "I": sp.I,
        "oo": sp.oo,
        "zoo": sp.zoo,
        "nan": sp.nan,
        "True": sp.true,
        "False": sp.false,
    },
    "math": {
        "E": sp.E,
        "e": sp.E,
        "pi": sp.pi,
        "π": sp.pi,
        "oo": sp.oo,
        "inf": sp.oo,
        "infinity": sp.oo,
        "∞": sp.oo,
    },
}
# In the math dialect a name written before "(" multiplies unless it is a known function or
# one of these conventional names for an unspecified function: f(x) is f applied to x.
UNDEFINED_FUNCTION_NAMES = frozenset("f g h F G H".split())
_GROWING = frozenset("factorial binomial gamma loggamma polygamma digamma beta zeta".split())
_COMPARISONS = {"<": sp.Lt, ">": sp.Gt, "<=": sp.Le, ">=": sp.Ge, "==": sp.Eq, "!=": sp.Ne}


@dataclass(frozen=True)
class _Token:
    kind: str  # "number", "name", "op" or "end"
    text: str
    column: int  # 1-based


def _tokenize(text: str, dialect: Dialect) -> list[_Token]:
    tokens: list[_Token] = []
    position = 0
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None:
            raise ParseError(f"unexpected character {text[position]!r}", text, position + 1)
        kind = match.lastgroup or ""
        value = match.group()
        column = position + 1
        position = match.end()
        if kind == "space":
            continue
        if kind == "op" and dialect == "math" and value in _SUPERSCRIPTS:
            tokens += [_Token("op", "^", column), _Token("number", _SUPERSCRIPTS[value], column)]
            continue
        if kind == "op" and dialect == "math":
            value = _UNICODE_OPS.get(value, value)
        elif kind == "op" and value in _UNICODE_OPS.keys() | _SUPERSCRIPTS.keys() | {"^", "|", "!"}:
            raise ParseError(f"unexpected character {value!r}", text, column)
        if kind == "name" and "'" in value:
            raise ParseError("primes are not part of a name here; write diff or Derivative", text, column)
        tokens.append(_Token(kind, value, column))
    tokens.append(_Token("end", "", len(text) + 1))
    return tokens


class _Parser:
    def __init__(self, text: str, dialect: Dialect, functions: frozenset[str]) -> None:
        self.text = text
        self.dialect = dialect
        self.functions = functions
        self.tokens = _tokenize(text, dialect)
        self.index = 0
        self.depth = 0
        self.abs_depth = 0
        self.constants = _CONSTANTS[dialect]

    # -- token helpers -------------------------------------------------------------------
    @property
    def token(self) -> _Token:
        return self.tokens[self.index]

    def advance(self) -> _Token:
        token = self.token
        self.index += 1
        return token

    def at(self, *texts: str) -> bool:
        return self.token.kind == "op" and self.token.text in texts

    def expect(self, text: str) -> _Token:
        if not self.at(text):
            raise self.error(f"expected {text!r}")
        return self.advance()

    def error(self, message: str, token: _Token | None = None) -> ParseError:
        token = token or self.token
        if token.kind == "end":
            message = f"{message} but the input ended" if message.startswith("expected") else message
        else:
            message = f"{message}, found {token.text!r}" if message.startswith("expected") else message
        return ParseError(message, self.text, token.column)

    @contextmanager
    def nested(self) -> Iterator[None]:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise self.error(f"expression nested more than {MAX_DEPTH} levels deep")
        try:
            yield
        finally:
            self.depth -= 1

    # -- grammar ----------------------------------------------------------------------------
    def parse(self) -> sp.Basic:
        if self.token.kind == "end":
            raise ParseError("empty expression", self.text, 1)
        result = self.comparison()
        if self.token.kind != "end":
            raise self.error("unexpected text after the expression" if not self.at(")") else "unbalanced ')'")
        return result

    def comparison(self) -> sp.Basic:
        left = self.sum()
        if self.at(*_COMPARISONS):
            op = self.advance().text
            right = self.sum()
            return _COMPARISONS[op](left, right)
        return left

    def sum(self) -> sp.Basic:
        result = self.term()
        while self.at("+", "-"):
            op = self.advance().text
            right = self.term()
            result = sp.Add(result, right if op == "+" else -right)
        return result

    def term(self) -> sp.Basic:
        result = self.unary()
        while True:
            if self.at("*", "/"):
                op = self.advance().text
                right = self.unary()
                result = sp.Mul(result, right if op == "*" else sp.Pow(right, -1))
            elif self.dialect == "math" and self.starts_factor():
                result = sp.Mul(result, self.power())
            else:
                return result

    def starts_factor(self) -> bool:
        token = self.token
        if token.kind in ("number", "name"):
            return True
        return self.at("(") or (self.at("|") and self.abs_depth == 0)

    def unary(self) -> sp.Basic:
        if self.at("-", "+"):
            op = self.advance().text
            with self.nested():
                operand = self.unary()
            return -operand if op == "-" else operand
        return self.power()

    def power(self) -> sp.Basic:
        base = self.postfix()
        if self.at("**", "^"):
            token = self.advance()
            with self.nested():
                exponent = self.unary()
            return self.checked_power(base, exponent, token)
        return base

    def checked_power(self, base: sp.Basic, exponent: sp.Basic, token: _Token) -> sp.Basic:
        # SymPy expands a numeric base to an integer exponent at once (sqrt(2)**(10**10) becomes
        # 2**(5*10**9)), so large exact powers are refused before they are built.
        if exponent.is_Rational and base.is_number and base is not sp.E and abs(exponent) > 1:
            bits = _bits(base) if base.is_Rational else MAX_RESULT_BITS / 1_000
            if bits * abs(float(exponent)) > MAX_RESULT_BITS:
                raise self.error("power too large to compute exactly", token)
        return sp.Pow(base, exponent)

    def postfix(self) -> sp.Basic:
        result = self.atom()
        while self.dialect == "math" and self.at("!"):
            token = self.advance()
            result = self.checked_factorial(result, token)
        return result

    def checked_factorial(self, argument: sp.Basic, token: _Token) -> sp.Basic:
        self.check_growth("factorial", [argument], token)
        return sp.factorial(argument)

    def check_growth(self, name: str, args: list[sp.Basic], token: _Token) -> None:
        """Factorial-like functions evaluate exactly at integers; huge ones would never finish."""
        if name in _GROWING and any(a.is_Number and abs(a) > MAX_FACTORIAL for a in args):
            raise self.error(f"{name} of a number above {MAX_FACTORIAL} is too large to compute", token)

    def atom(self) -> sp.Basic:
        token = self.token
        if token.kind == "number":
            self.advance()
            return self.number(token)
        if token.kind == "name":
            self.advance()
            return self.name(token)
        if self.at("("):
            self.advance()
            with self.nested():
                items = self.items(")")
            self.expect(")")
            return items[0] if len(items) == 1 else sp.Tuple(*items)
        if self.at("|") and self.dialect == "math":
            self.advance()
            self.abs_depth += 1
            with self.nested():
                inner = self.sum()
            self.abs_depth -= 1
            self.expect("|")
            return sp.Abs(inner)
        if token.kind == "end":
            raise self.error("expected an expression")
        raise self.error(f"unexpected {token.text!r}")

    def items(self, closing: str) -> list[sp.Basic]:
        if self.at(closing):
            raise self.error("expected an expression")
        items = [self.comparison()]
        while self.at(","):
            self.advance()
            items.append(self.comparison())
        return items

    def number(self, token: _Token) -> sp.Basic:
        text = token.text
        if re.fullmatch(r"\d+", text):
            if len(text) > MAX_INTEGER_DIGITS:
                raise self.error(f"integer with more than {MAX_INTEGER_DIGITS} digits", token)
            return sp.Integer(int(text))
        mantissa, _, exponent = text.lower().partition("e")
        if len(mantissa) > MAX_INTEGER_DIGITS or (exponent and abs(int(exponent)) > 10_000):
            raise self.error("number too large", token)
        # Decimals are exact rationals in the math dialect: 0.1 means 1/10, not a binary float.
        if self.dialect == "math":
            return sp.Rational(text)
        return sp.Float(text, max(15, len(mantissa.replace(".", "").lstrip("0"))))

    def name(self, token: _Token) -> sp.Basic:
        name = token.text
        if self.at("("):
            return self.call(token)
        if name in self.constants:
            return self.constants[name]
        if (self.dialect == "math" and name in ALIASES) or name in FUNCTIONS:
            raise self.error(f"function {name!r} needs an argument in parentheses", token)
        return sp.Symbol(name)

    def call(self, token: _Token) -> sp.Basic:
        name = token.text
        function = self.function(name)
        if function is None:  # math dialect: a name before "(" multiplies
            symbol = self.constants.get(name, sp.Symbol(name))
            return symbol
        self.advance()  # "("
        with self.nested():
            args, keywords = self.arguments()
        self.expect(")")
        self.check_growth(name, args, token)
        if name == "Pow" and len(args) == 2 and keywords.get("evaluate", True):
            return self.checked_power(args[0], args[1], token)
        try:
            return function(*args, **keywords)
        except (TypeError, ValueError, AttributeError) as exc:
            raise self.error(f"cannot apply {name!r} to these arguments ({exc})", token) from None

    def function(self, name: str) -> Callable[..., sp.Basic] | None:
        if name in FUNCTIONS:
            return FUNCTIONS[name]
        if self.dialect == "sympy":
            return _STRUCTURAL.get(name) or sp.Function(name)
        if name in ALIASES:
            return ALIASES[name]
        if name in self.functions or name in UNDEFINED_FUNCTION_NAMES:
            return sp.Function(name)
        return None

    def arguments(self) -> tuple[list[sp.Basic], dict[str, bool]]:
        args: list[sp.Basic] = []
        keywords: dict[str, bool] = {}
        if self.at(")"):
            return args, keywords
        while True:
            token = self.token
            if token.kind == "name" and self.tokens[self.index + 1].text == "=":
                if self.dialect != "sympy" or token.text != "evaluate":
                    raise self.error("unexpected keyword argument", token)
                self.advance()
                self.advance()
                value = self.token
                if value.text not in ("True", "False"):
                    raise self.error("expected True or False")
                self.advance()
                keywords["evaluate"] = value.text == "True"
            elif keywords:
                raise self.error("positional argument after a keyword argument")
            else:
                args.append(self.comparison())
            if not self.at(","):
                return args, keywords
            self.advance()


def _bits(number: sp.Basic) -> float:
    """Bits needed for the numerator and denominator of an exact number."""
    p, q = sp.fraction(sp.Rational(number)) if number.is_Rational else (number, 1)
    return max(1.0, math.log2(abs(int(p)) + 1) + math.log2(abs(int(q)) + 1))


def parse(text: str, dialect: Dialect = "math", functions: frozenset[str] = frozenset()) -> sp.Basic:
    """Read ``text`` as a SymPy expression without evaluating any Python.

    ``dialect`` picks the notation (see the module docstring); ``functions`` names extra
    undefined functions for the math dialect. Raises :class:`derive.errors.ParseError` with the
    column of the problem.
    """
    if not isinstance(text, str):
        raise ParseError(f"expected text, got {type(text).__name__}")
    if len(text) > MAX_LENGTH:
        raise ParseError(f"input longer than {MAX_LENGTH} characters")
    parser = _Parser(text, dialect, functions)
    with recursion_room(MAX_DEPTH):
        try:
            return parser.parse()
        except RecursionError:
            raise ParseError("expression nested too deeply", text) from None
