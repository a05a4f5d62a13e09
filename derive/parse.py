"""A safe parser for expressions: user text never reaches ``eval``.

``sympify`` and ``parse_expr`` hand their input to Python's ``eval``, so ``derive`` reads text
with its own tokenizer and precedence-climbing parser, building SymPy objects only from a fixed
table of names. Two dialects share the grammar:

* ``"math"`` — what people type into a derivative calculator: ``x^2``, ``2x``, ``2 sin(x)``,
  ``x(x+1)``, ``|x|``, ``e`` as Euler's number, ``π``, ``ln``, ``−`` (unicode minus), ``x²``,
  ``n!``; words run together are split into known functions and one-letter names (``2xsin(x)``
  is 2·x·sin(x), ``sinx`` is sin(x), ``xy`` is x·y); functions apply without parentheses
  (``sin x``, ``sin 2x``, ``ln x``), take powers (``sin^2 x``) and inverses (``sin^-1 x``,
  ``sin⁻¹ x``); ``log_2(x)`` and ``log_{10} x`` give a base; a leading ``d/dx`` asks for the
  derivative; ``{…}`` and ``[…]`` group like parentheses.
* ``"sympy"`` — SymPy's ``str()`` syntax as written by the JSON exporter, including the
  ``Add/Mul/Pow(..., evaluate=False)`` forms that keep a displayed step exactly as written.

Variables are real: ``|e^x|`` is read as e^x and ``re(x)`` as x (math dialect), so SymPy never
brings in ``re(x)`` of a complex x. Where a reading is a choice (``xsin`` could be one name,
``e^2x`` could mean e^(2x)), :func:`read` returns a note saying which reading was taken and
how to write the other.

Limits on length, nesting and number size turn hostile input into a :class:`ParseError`
within milliseconds instead of a hang, a ``RecursionError`` or a number Python cannot print.
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Literal

import sympy as sp

from .budgets import recursion_room
from .errors import ParseError

Dialect = Literal["math", "sympy"]

MAX_LENGTH = 10_000
MAX_DEPTH = 250
MAX_INTEGER_DIGITS = 1_000
# Python refuses to print integers of more than 4,300 digits (sys.set_int_max_str_digits), so
# no number above this many digits may be built: it could never be shown or exported.
MAX_DIGITS = 4_200
MAX_RESULT_BITS = int(MAX_DIGITS * math.log2(10))  # an exact number larger than this is refused
# the largest n whose n! has at most MAX_DIGITS digits (1500! has 4,115)
MAX_FACTORIAL = next(n for n in range(2, 10_000) if math.lgamma(n + 2) / math.log(10) >= MAX_DIGITS)

_SUPERSCRIPT_DIGITS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_SUPERSCRIPT_CHARS = _SUPERSCRIPT_DIGITS + "⁻⁺"
_TOKEN = re.compile(
    rf"""
    (?P<space>\s+)
  | (?P<number>(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)
  | (?P<name>(?:(?![{_SUPERSCRIPT_CHARS}])[^\W\d])(?:(?![{_SUPERSCRIPT_CHARS}])\w)*'*)
  | (?P<superscript>[{_SUPERSCRIPT_CHARS}]+)
  | (?P<op>\*\*|<=|>=|==|!=|[-+*/^(),=|!<>·×−÷≤≥≠&\[\]{{}}_])
    """,
    re.VERBOSE,
)

_UNICODE_OPS = {"·": "*", "×": "*", "−": "-", "÷": "/", "≤": "<=", "≥": ">=", "≠": "!="}
_MATH_ONLY_OPS = frozenset("^|![]{}_&") | _UNICODE_OPS.keys()
_CLOSING = {"(": ")", "[": "]", "{": "}"}

# Functions both dialects know, by the name SymPy prints.
FUNCTIONS: dict[str, Callable[..., sp.Basic]] = {
    name: getattr(sp, name)
    for name in (
        "exp log sqrt cbrt sin cos tan cot sec csc asin acos atan acot asec acsc atan2 "
        "sinh cosh tanh coth sech csch asinh acosh atanh acoth asech acsch "
        "Abs sign erf erfc erfi gamma loggamma polygamma digamma beta LambertW "
        "Heaviside DiracDelta Max Min floor ceiling frac re im factorial binomial "
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


def _log_base(base: int) -> Callable[[sp.Basic], sp.Basic]:
    def log(argument: sp.Basic) -> sp.Basic:
        return sp.log(argument, base)

    return log


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
    "cosec": sp.csc,
    "ceil": sp.ceiling,
    "max": sp.Max,
    "min": sp.Min,
    "sgn": sp.sign,
    "log10": _log_base(10),
    "log2": _log_base(2),
}
# f^-1 is the inverse function for these (sin^-1 x = arcsin x), as calculators and books read it.
_INVERSES: dict[Callable[..., sp.Basic], Callable[..., sp.Basic]] = {
    sp.sin: sp.asin,
    sp.cos: sp.acos,
    sp.tan: sp.atan,
    sp.cot: sp.acot,
    sp.sec: sp.asec,
    sp.csc: sp.acsc,
    sp.sinh: sp.asinh,
    sp.cosh: sp.acosh,
    sp.tanh: sp.atanh,
    sp.coth: sp.acoth,
    sp.sech: sp.asech,
    sp.csch: sp.acsch,
}
# Functions whose value SymPy rewrites through re(x) or im(x) for a complex x (|e^x| = e^re(x)):
# built with real names, since derive's variables are real.
_REAL_VALUED = frozenset({sp.Abs, sp.re, sp.im, sp.sign})
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
# Spelled-out Greek letters are single names, never split into letters (theta is θ, not t·h·e·t·a).
GREEK = frozenset(
    "alpha delta epsilon eta theta iota kappa lambda mu nu xi omicron rho sigma tau upsilon phi chi "
    "psi omega Gamma Delta Theta Lambda Xi Pi Sigma Phi Psi Omega".split()
)
# In the math dialect a name written before "(" multiplies unless it is a known function or
# one of these conventional names for an unspecified function: f(x) is f applied to x.
UNDEFINED_FUNCTION_NAMES = frozenset("f g h F G H".split())
_GROWING = frozenset("factorial binomial gamma loggamma polygamma digamma beta zeta".split())
# Cases and a value at a point, in the math dialect as the linear text form writes them:
# Piecewise((0, x ≤ 0), (x, otherwise)) and Subs(d/dx(f(x)), x, 0); cases also as SymPy users
# type them, Piecewise((0, (x > 0) & (x < 1)), (x, true)), and in Mathematica's braces,
# Piecewise[{{x, x > 0}}, 0] (no default: 0).
_SPECIAL_FORMS = frozenset({"Piecewise", "piecewise", "Subs"})
# Words that join or end conditions inside Piecewise(…); they are never split into letters.
_CONDITION_WORDS = frozenset({"and", "or", "otherwise", "True", "true"})
_KEPT_WORDS = _SPECIAL_FORMS | _CONDITION_WORDS
_COMPARISONS = {"<": sp.Lt, ">": sp.Gt, "<=": sp.Le, ">=": sp.Ge, "==": sp.Eq, "!=": sp.Ne}
# A leading d/dx, d/dt, d^2/dx^2 or d²/dx²: the input asks for a derivative.
_LEADING_D = re.compile(
    r"\s*d\s*(?:(?:\^|\*\*)\s*(?P<order>\d)|(?P<sup>[²³]))?\s*/\s*d\s*(?P<var>[^\W\d_])"
    r"\s*(?:(?:\^|\*\*)\s*(?P<order2>\d)|(?P<sup2>[²³]))?"
)


@dataclass(frozen=True)
class Reading:
    """What :func:`read` understood: the expression, and notes on any choice it made."""

    expr: sp.Basic
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Token:
    kind: str  # "number", "name", "op" or "end"
    text: str
    column: int  # 1-based
    joined: bool = False  # written with no space before it

    @property
    def end(self) -> int:
        """The column just after the token."""
        return self.column + len(self.text)


def _superscript(value: str) -> str:
    """``⁻¹`` → ``-1``."""
    table = {c: str(i) for i, c in enumerate(_SUPERSCRIPT_DIGITS)} | {"⁻": "-", "⁺": "+"}
    return "".join(table[c] for c in value)


def _tokenize(text: str, dialect: Dialect) -> list[_Token]:
    tokens: list[_Token] = []
    position = 0
    joined = False
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None:
            raise ParseError(f"unexpected character {text[position]!r}", text, position + 1)
        kind = match.lastgroup or ""
        value = match.group()
        column = position + 1
        position = match.end()
        if kind == "space":
            joined = False
            continue
        if kind == "superscript":
            if dialect != "math":
                raise ParseError(f"unexpected character {value[0]!r}", text, column)
            exponent = _superscript(value)
            if not re.fullmatch(r"[-+]?\d+", exponent):
                raise ParseError(f"cannot read the superscript {value!r}", text, column)
            tokens.append(_Token("op", "^", column, True))
            if exponent[0] in "-+":
                tokens.append(_Token("op", exponent[0], column, True))
                exponent = exponent[1:]
            tokens.append(_Token("number", exponent, column, True))
            joined = True
            continue
        if kind == "op" and dialect == "math":
            value = _UNICODE_OPS.get(value, value)
        elif kind == "op" and value in _MATH_ONLY_OPS:
            raise ParseError(f"unexpected character {value!r}", text, column)
        if kind == "name" and "'" in value:
            raise ParseError("primes are not part of a name here; write diff or Derivative", text, column)
        prefix = value.partition("_")[0]
        if (
            kind == "name"
            and dialect == "math"
            and "_" in value
            and prefix in FUNCTIONS.keys() | ALIASES.keys()
        ):
            # log_2(x), log_b x, log_{10} x: the subscript is the base
            after = column + len(prefix) + 1
            tokens += [_Token("name", prefix, column, joined), _Token("op", "_", after - 1, True)]
            digits, letters = re.fullmatch(r"(\d*)(.*)", value[len(prefix) + 1 :], re.DOTALL).groups()  # type: ignore[union-attr]
            if digits:
                tokens.append(_Token("number", digits, after, True))
            if letters:
                tokens.append(_Token("name", letters, after + len(digits), True))
            joined = True
            continue
        tokens.append(_Token(kind, value, column, joined))
        joined = True
    tokens.append(_Token("end", "", len(text) + 1))
    return tokens


class _Parser:
    def __init__(
        self, text: str, dialect: Dialect, functions: frozenset[str], names: frozenset[str] = frozenset()
    ) -> None:
        self.text = text
        self.dialect = dialect
        self.functions = functions
        self.names = names
        self.notes: list[str] = []
        self.depth = 0
        self.abs_depth = 0
        self.constants = _CONSTANTS[dialect]
        tokens = _tokenize(text, dialect)
        self.tokens = self.split_words(tokens) if dialect == "math" else tokens
        self.index = 0

    # -- words run together ------------------------------------------------------------------
    def known_word(self, word: str) -> bool:
        return (
            word in FUNCTIONS
            or word in ALIASES
            or word in self.constants
            or word in GREEK
            or word in self.functions
            or word in self.names
            or word in UNDEFINED_FUNCTION_NAMES
        )

    def is_function_word(self, word: str) -> bool:
        return word in FUNCTIONS or word in ALIASES

    def split_words(self, tokens: list[_Token]) -> list[_Token]:
        """``xsin`` → x, sin; ``sinx`` → sin, x; ``xy`` → x, y: the way calculators read them."""
        result: list[_Token] = []
        split: list[tuple[str, list[str]]] = []
        for index, token in enumerate(tokens):
            word = token.text
            if token.kind != "name" or self.known_word(word) or "_" in word or word in _KEPT_WORDS:
                result.append(token)
                continue
            if re.fullmatch(r"[^\W\d_]+\d+", word):
                letters = word.rstrip("0123456789")
                digits = word[len(letters) :]
                raise self.error(
                    f"{word!r}: did you mean {letters}^{digits} or {letters}*{digits}? "
                    f"write {letters}_{digits} for a name with an index",
                    token,
                )
            if re.search(r"\d", word):  # sin2x: letters, digits, letters
                added: list[_Token] = []
                column = token.column
                for part in re.findall(r"\d+|[^\W\d_]+", word):
                    kind = "number" if part.isdigit() else "name"
                    pieces = [part] if kind == "number" or self.known_word(part) else self.pieces(part)
                    for piece in pieces:
                        added.append(_Token(kind, piece, column, token.joined if not added else True))
                        column += len(piece)
                split.append((word, [t.text for t in added]))
                result += added
                continue
            pieces = self.pieces(word)
            if pieces == [word]:
                result.append(token)
                continue
            follows_call = tokens[index + 1].text == "("
            if len(word) > 3 and follows_call and not self.is_function_word(pieces[-1]):
                raise self.unknown_function(token)  # relu(x): an unknown function, not r·e·l·u·x
            if len(word) > 3 and not any(len(p) > 1 for p in pieces):
                result.append(token)  # a long word of single letters stays one name: rate, loss
                continue
            split.append((word, pieces))
            column = token.column
            for number, piece in enumerate(pieces):
                result.append(_Token("name", piece, column, token.joined if number == 0 else True))
                column += len(piece)
        if split:
            readings = ", ".join(f"{word} as {' '.join(pieces)}" for word, pieces in split)
            self.notes.append(
                f"read {readings} (known functions and one-letter names); write * or spaces to say otherwise"
            )
        return result

    def pieces(self, word: str) -> list[str]:
        """The fewest known names and single letters that spell ``word`` (longest first)."""
        best: list[list[str] | None] = [[]] + [None] * len(word)
        for end in range(1, len(word) + 1):
            for start in range(end):
                piece = word[start:end]
                previous = best[start]
                if previous is None or (len(piece) > 1 and not self.known_word(piece)):
                    continue
                candidate = [*previous, piece]
                current = best[end]
                if current is None or len(candidate) < len(current):
                    best[end] = candidate
        found = best[len(word)]
        assert found is not None  # single letters always spell the word
        return found

    def unknown_function(self, token: _Token) -> ParseError:
        from .library import BUILTINS  # names only: importing it builds nothing

        word = token.text
        known = sorted({*FUNCTIONS, *ALIASES, *self.functions})
        close = difflib.get_close_matches(word, known, n=3, cutoff=0.6)
        hint = f"did you mean {' or '.join(close)}? " if close else ""
        built_in = difflib.get_close_matches(word, list(BUILTINS), n=1, cutoff=0.75)
        if built_in:
            hint += f"({built_in[0]} is a built-in derivation: run 'derive {built_in[0]}') "
        return self.error(
            f"unknown function {word!r}: {hint}write {'*'.join(word)} for a product of names", token
        )

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

    def source(self, start: int, end: int) -> str:
        """The input between two columns, as typed."""
        return self.text[start - 1 : end - 1].strip()

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
            if self.at(")", "]", "}"):
                raise self.error(f"unbalanced {self.token.text!r}")
            if self.token.text in _CONDITION_WORDS:
                raise self.condition_word(self.token)
            raise self.error("unexpected text after the expression")
        return result

    def comparison(self) -> sp.Basic:
        left = self.sum()
        if self.at(*_COMPARISONS) or (self.dialect == "math" and self.at("=")):
            op = self.advance().text
            op = "==" if op == "=" else op  # y = x^2, as typed into a calculator
            right = self.sum()
            return _COMPARISONS[op](left, right)
        return left

    def sum(self) -> sp.Basic:
        start = self.token
        result = self.term()
        while self.at("+", "-"):
            op = self.advance().text
            right = self.term()
            result = self.checked_size(sp.Add(result, right if op == "+" else -right), start)
        return result

    def term(self) -> sp.Basic:
        start = self.token
        result = self.unary()
        while True:
            if self.at("*", "/"):
                op = self.advance()
                divisor_start = self.token
                right = self.unary()
                if op.text == "/" and self.dialect == "math" and self.implicit_factor_follows():
                    divisor = self.source(divisor_start.column, self.token.column)
                    numerator = self.source(start.column, op.column)
                    self.notes.append(
                        f"read {self.source(start.column, self.token.end)} as dividing by {divisor} "
                        f"only; write {numerator}/({divisor}{self.token.text}) to divide by the product"
                    )
                result = self.checked_size(
                    sp.Mul(result, right if op.text == "*" else sp.Pow(right, -1)), start
                )
            elif self.dialect == "math" and self.starts_factor():
                result = self.checked_size(sp.Mul(result, self.power()), start)
            else:
                return result

    def implicit_factor_follows(self) -> bool:
        return self.starts_factor() and self.token.joined

    def starts_factor(self) -> bool:
        token = self.token
        if token.kind in ("number", "name"):
            return token.kind == "number" or token.text not in _CONDITION_WORDS  # x = 3 or x < 1
        return self.at("(", "[", "{") or (self.at("|") and self.abs_depth == 0)

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
            exponent_start, exponent_index = self.token, self.index
            with self.nested():
                exponent = self.unary()
            if (
                self.dialect == "math"
                and exponent_start.kind in ("number", "name")
                and self.index == exponent_index + 1
                and self.implicit_factor_follows()
                and self.token.kind in ("number", "name")
                and not self.at_function_name()
                and self.tokens[self.index + 1].text not in ("^", "**")
            ):  # e^2x: is it e²·x or e^(2x)? (x^2e^x, x^2sin x and x^2(x+1) are not in doubt)
                typed = self.source(exponent_start.column, self.token.end)
                self.notes.append(
                    f"read ^{typed} as the power {exponent_start.text} times what follows; "
                    f"write ^({typed}) for the whole exponent"
                )
            return self.checked_power(base, exponent, token)
        return base

    def checked_power(self, base: sp.Basic, exponent: sp.Basic, token: _Token) -> sp.Basic:
        # SymPy expands a numeric base to an integer exponent at once (sqrt(2)**(10**10) becomes
        # 2**(5*10**9)), so large exact powers are refused before they are built.
        if exponent.is_Rational and base.is_number and base is not sp.E and abs(exponent) > 1:
            bits = _bits(base) if base.is_Rational else MAX_RESULT_BITS / 1_000
            if bits * abs(float(exponent)) > MAX_RESULT_BITS:
                raise self.error(
                    f"power too large to compute exactly: more than {MAX_DIGITS:,} digits "
                    "(Python prints integers of at most 4,300 digits)",
                    token,
                )
        return sp.Pow(base, exponent)

    def checked_size(self, result: sp.Basic, token: _Token) -> sp.Basic:
        """Products and sums of exact numbers are computed at once; refuse unprintable ones."""
        numbers = [result] if result.is_Rational else [a for a in result.args if a.is_Rational]
        if isinstance(result, sp.Add):
            numbers += [a.as_coeff_Mul()[0] for a in result.args]
        if any(n.is_Rational and _bits(n) > MAX_RESULT_BITS for n in numbers):
            raise self.error(
                f"number too large: more than {MAX_DIGITS:,} digits "
                "(Python prints integers of at most 4,300 digits)",
                token,
            )
        return result

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
            raise self.error(
                f"{name} of a number above {MAX_FACTORIAL:,} is too large: its value has more than "
                f"{MAX_DIGITS:,} digits (Python prints integers of at most 4,300 digits)",
                token,
            )

    def atom(self) -> sp.Basic:
        token = self.token
        if token.kind == "number":
            self.advance()
            return self.number(token)
        if token.kind == "name":
            self.advance()
            return self.name(token)
        if self.at("(", "[", "{"):
            closing = _CLOSING[self.advance().text]
            with self.nested():
                items = self.items(closing)
            self.expect(closing)
            if len(items) > 1 and self.dialect == "math":  # 2(x, y) or Piecewise[…] is no value
                message = "a list (a, b) is not a value here; write it as a function's arguments"
                raise self.error(message, token)
            return items[0] if len(items) == 1 else sp.Tuple(*items)
        if self.at("|") and self.dialect == "math":
            self.advance()
            self.abs_depth += 1
            with self.nested():
                inner = self.sum()
            self.abs_depth -= 1
            self.expect("|")
            return self.apply(sp.Abs, [inner], {}, token)
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
            # what people type is kept short; what the exporter writes may be any printable number
            limit = MAX_INTEGER_DIGITS if self.dialect == "math" else MAX_DIGITS
            if len(text) > limit:
                raise self.error(f"integer with more than {limit:,} digits", token)
            return sp.Integer(int(text))
        mantissa, _, exponent = text.lower().partition("e")
        digits = len(mantissa.replace(".", "")) + (abs(int(exponent)) if exponent else 0)
        if len(mantissa) > MAX_INTEGER_DIGITS or digits > MAX_DIGITS:
            raise self.error(
                f"number too large: more than {MAX_DIGITS:,} digits "
                "(Python prints integers of at most 4,300 digits)",
                token,
            )
        # Decimals are exact rationals in the math dialect: 0.1 means 1/10, not a binary float.
        if self.dialect == "math":
            return sp.Rational(text)
        return sp.Float(text, max(15, len(mantissa.replace(".", "").lstrip("0"))))

    def name(self, token: _Token) -> sp.Basic:
        name = token.text
        if self.dialect == "math" and name in _SPECIAL_FORMS and self.at("(", "["):
            return self.cases(token) if name != "Subs" else self.subs(token)
        if self.dialect == "math" and name in _CONDITION_WORDS:
            raise self.condition_word(token)
        if self.dialect == "math" and self.is_function_word(name) and not self.at("("):
            return self.application(token)
        if self.at("("):
            return self.call(token)
        if name in self.constants:
            return self.constants[name]
        if name in FUNCTIONS:
            raise self.error(f"function {name!r} needs an argument in parentheses", token)
        return sp.Symbol(name)

    # -- cases and a value at a point -----------------------------------------------------------
    def condition_word(self, token: _Token) -> ParseError:
        return self.error(f"{token.text!r} belongs in a condition of Piecewise((value, condition), …)", token)

    def cases(self, token: _Token) -> sp.Basic:
        """``Piecewise((0, x ≤ 0), (x, otherwise))``: each case a value and its condition."""
        closing = _CLOSING[self.advance().text]
        listed = closing == "]" and self.at("{")  # Piecewise[{{value, condition}, …}, default]
        if listed:
            self.advance()
        pieces: list[tuple[sp.Basic, sp.Basic]] = []
        with self.nested():
            while True:
                pair = _CLOSING[self.expect("{" if listed else "(").text]
                value = self.sum()
                self.expect(",")
                pieces.append((value, self.condition()))
                self.expect(pair)
                if not self.at(","):
                    break
                self.advance()
            if listed:
                self.expect("}")
                default = self.sum() if self.at(",") and self.advance() else sp.Integer(0)
                pieces.append((default, sp.true))
        self.expect(closing)
        return self.apply(sp.Piecewise, list(pieces), {}, token)

    def condition(self) -> sp.Basic:
        """``x < 0``, ``0 < x ≤ 1``, ``x > 1 or x < -1``, ``otherwise``: "and" binds tighter than "or"."""
        if self.token.kind == "name" and self.token.text in ("otherwise", "True", "true"):
            self.advance()
            return sp.true
        alternatives = [self.conjunction()]
        while self.token.kind == "name" and self.token.text == "or":
            self.advance()
            alternatives.append(self.conjunction())
        return sp.Or(*alternatives)

    def conjunction(self) -> sp.Basic:
        parts = [self.relation()]
        while (self.token.kind == "name" and self.token.text == "and") or self.at("&"):
            self.advance()
            parts.append(self.relation())
        return sp.And(*parts)

    def relation(self) -> sp.Basic:
        """A comparison, perhaps chained (``0 < x ≤ 1`` is 0 < x and x ≤ 1)."""
        if not self.at("("):
            left = self.sum()
        else:  # (x > 0) and (x < 1): a bracketed condition, or a bracketed left side (x+1) < 2
            start = self.index
            self.advance()
            try:
                with self.nested():
                    inner = self.condition()
            except ParseError:
                inner = None
            if inner is not None and self.at(")"):
                self.advance()
                return inner
            self.index = start
            left = self.sum()
        parts = []
        while self.at(*_COMPARISONS) or self.at("="):
            op = self.advance().text
            right = self.sum()
            parts.append(_COMPARISONS["==" if op == "=" else op](left, right))
            left = right
        if not parts:
            raise self.error("expected a condition such as x < 0, or otherwise")
        return sp.And(*parts)

    def subs(self, token: _Token) -> sp.Basic:
        """``Subs(d/dx(f(x)), x, 0)``, ``Subs(f, (x, y), (3, 3))``: an expression's value where
        variables take values."""
        self.advance()  # "("
        with self.nested():
            expr = self.sum()
            self.expect(",")
            variables = self.listed()
            self.expect(",")
            points = self.listed()
        self.expect(")")
        if len(variables) != len(points) or not all(isinstance(v, sp.Symbol) for v in variables):
            raise self.error("Subs takes an expression, variables and their values: Subs(f(x), x, 0)", token)
        return self.apply(sp.Subs, [expr, variables, points], {}, token)

    def listed(self) -> list[sp.Basic]:
        """One value, or several in brackets: ``x`` or ``(x, y)``."""
        if not self.at("("):
            return [self.sum()]
        self.advance()
        items = self.items(")")
        self.expect(")")
        return items

    # -- calculator notation: sin x, sin^2 x, sin^-1 x, log_2 x ------------------------------
    def application(self, token: _Token) -> sp.Basic:
        """A function written without parentheses, with a base or a power: ``sin^2 x``, ``log_2 x``."""
        name = token.text
        function = self.function(name)
        assert function is not None
        base = self.subscript(token) if self.at("_") else None
        exponent = self.function_power() if self.at("^", "**") else None
        if self.at("("):
            self.advance()
            with self.nested():
                args, _ = self.arguments()
            self.expect(")")
        elif self.starts_argument():
            args = [self.bare_argument(token)]
        else:
            raise self.error(f"function {name!r} needs an argument, e.g. {name}(x) or {name} x", token)
        if base is not None:
            if name != "log" or len(args) != 1:
                raise self.error("only log takes a base written as a subscript", token)
            args.append(base)
        if exponent == -1 and function in _INVERSES:
            inverse = _INVERSES[function]
            self.notes.append(
                f"read {name}^-1 as the inverse function arc{inverse.__name__[1:]}; "
                f"write 1/{name}(x) or ({name} x)^(-1) for the reciprocal"
            )
            return self.apply(inverse, args, {}, token)
        value = self.apply(function, args, {}, token)
        if exponent is not None:
            return self.checked_power(value, exponent, token)
        return value

    def subscript(self, token: _Token) -> sp.Basic:
        self.advance()  # "_"
        if self.at("{", "("):
            closing = _CLOSING[self.advance().text]
            with self.nested():
                base = self.sum()
            self.expect(closing)
            return base
        if self.token.kind in ("number", "name"):
            return self.atom()
        raise self.error("expected the base of the logarithm after '_'")

    def function_power(self) -> sp.Basic:
        """The exponent in ``sin^2 x`` or ``sin^(-1) x``: a whole number, perhaps signed."""
        self.advance()  # "^"
        parenthesised = self.at("(", "{")
        closing = _CLOSING[self.advance().text] if parenthesised else ""
        sign = -1 if self.at("-") else 1
        if self.at("-", "+"):
            self.advance()
        if self.token.kind != "number" or not self.token.text.isdigit():
            raise self.error("expected a whole number as the power of a function (sin^2 x)")
        exponent = sign * sp.Integer(int(self.advance().text))
        if parenthesised:
            self.expect(closing)
        return exponent

    def starts_argument(self) -> bool:
        return self.starts_factor() or self.at("-", "+")

    def at_function_name(self) -> bool:
        return self.token.kind == "name" and self.is_function_word(self.token.text)

    def bare_argument(self, function: _Token) -> sp.Basic:
        """``sin 2x`` is sin(2x), ``sin x^2`` is sin(x²), ``sin x cos x`` is sin(x)·cos(x): the
        argument runs over the factors up to an operator or the next function."""
        start = self.token
        with self.nested():
            sign = -1 if self.at("-") else 1
            if self.at("-", "+"):
                self.advance()
            factors = [self.power()]
            second = self.token
            while self.starts_factor() and not self.at_function_name():
                factors.append(self.power())
        typed = self.source(start.column, self.tokens[self.index - 1].end)
        name = function.text
        if len(factors) > 1:
            first = self.source(start.column, second.column)
            rest = self.source(second.column, self.tokens[self.index - 1].end)
            self.notes.append(
                f"read {name} {typed} as {name}({typed}); write {name}({first})·{rest} for the other"
            )
        elif factors[0].is_Pow and typed != self.source(start.column, start.end):
            inner = self.source(start.column, start.end)
            self.notes.append(
                f"read {name} {typed} as {name}({typed}); write ({name} {inner})^… or {name}^… {inner} "
                f"for a power of {name}"
            )
        return self.checked_size(sign * sp.Mul(*factors), start)

    # -- calls -----------------------------------------------------------------------------------
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
        if name == "Pow" and len(args) == 2 and keywords.get("evaluate", True):
            return self.checked_power(args[0], args[1], token)
        return self.apply(function, args, keywords, token)

    def apply(
        self,
        function: Callable[..., sp.Basic],
        args: list[sp.Basic],
        keywords: dict[str, bool],
        token: _Token,
    ) -> sp.Basic:
        name = getattr(function, "__name__", token.text)
        self.check_growth(name, args, token)
        try:
            if self.dialect == "math" and function in _REAL_VALUED:
                return self.real_valued(function, args)
            return function(*args, **keywords)
        except (TypeError, ValueError, AttributeError) as exc:
            raise self.error(f"cannot apply {token.text!r} to these arguments ({exc})", token) from None

    def real_valued(self, function: Callable[..., sp.Basic], args: list[sp.Basic]) -> sp.Basic:
        """|u|, re(u), im(u), sign(u) as for real names: |e^x| is e^x, re(x) is x."""
        names = set().union(*(a.free_symbols for a in args))
        real = {s: sp.Symbol(s.name, real=True) for s in names}
        back = {r: s for s, r in real.items()}
        value = function(*(a.xreplace(real) for a in args)).xreplace(back)
        if not isinstance(value, function) and any(a.free_symbols for a in args):
            written = function(*args, evaluate=False)
            from .oneline import one_line

            self.notes.append(f"read {one_line(written)} as {one_line(value)}, since the variables are real")
        return value

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
    """Bits needed for the numerator and denominator of an exact number (log₂ of their sizes)."""
    p, q = sp.fraction(sp.Rational(number)) if number.is_Rational else (number, 1)
    return max(1.0, math.log2(abs(int(p)) or 1) + math.log2(abs(int(q)) or 1))


def _leading_derivative(text: str) -> tuple[str, sp.Symbol, int] | None:
    """``d/dx x^2`` → (the rest, blanked where d/dx stood so columns stay right; x; order 1)."""
    match = _LEADING_D.match(text)
    if match is None:
        return None
    orders = [
        int(match.group("order") or _superscript_order(match.group("sup"))),
        int(match.group("order2") or _superscript_order(match.group("sup2"))),
    ]
    if orders[0] != orders[1]:
        raise ParseError("the orders of d^n/dx^n differ", text, 1)
    rest = " " * match.end() + text[match.end() :]
    if not rest.strip():
        raise ParseError(f"expected an expression after {match.group().strip()}", text, len(text) + 1)
    return rest, sp.Symbol(match.group("var")), orders[0]


def _superscript_order(sup: str | None) -> str:
    return {"²": "2", "³": "3"}.get(sup or "", "1")


def read(
    text: str,
    dialect: Dialect = "math",
    functions: frozenset[str] = frozenset(),
    names: frozenset[str] = frozenset(),
) -> Reading:
    """Read ``text`` as a SymPy expression without evaluating any Python, with notes on choices.

    ``dialect`` picks the notation (see the module docstring); ``functions`` names extra
    undefined functions and ``names`` extra multi-letter names (such as a variable called
    ``rate``) that are never split into letters. A leading ``d/dx`` gives a ``Derivative``.
    Raises :class:`derive.errors.ParseError` with the column of the problem.
    """
    if not isinstance(text, str):
        raise ParseError(f"expected text, got {type(text).__name__}")
    if len(text) > MAX_LENGTH:
        raise ParseError(f"input longer than {MAX_LENGTH:,} characters")
    derivative = _leading_derivative(text) if dialect == "math" else None
    parser = _Parser(derivative[0] if derivative else text, dialect, functions, names)
    parser.text = text
    with recursion_room(MAX_DEPTH):
        try:
            expr = parser.parse()
        except RecursionError:
            raise ParseError("expression nested too deeply", text) from None
    if derivative:
        _, variable, order = derivative
        if isinstance(expr, sp.Eq) and isinstance(expr.lhs, (sp.Symbol, sp.core.function.AppliedUndef)):
            from .oneline import one_line

            parser.notes.append(
                f"differentiating the right side of {one_line(expr.lhs)} = {one_line(expr.rhs)}"
            )
            expr = expr.rhs
        expr = sp.Derivative(expr, (variable, order))
    return Reading(expr, tuple(parser.notes))


def parse(
    text: str,
    dialect: Dialect = "math",
    functions: frozenset[str] = frozenset(),
    names: frozenset[str] = frozenset(),
) -> sp.Basic:
    """Read ``text`` as a SymPy expression without evaluating any Python (see :func:`read`).

    ``dialect`` picks the notation (see the module docstring); ``functions`` names extra
    undefined functions for the math dialect. Raises :class:`derive.errors.ParseError` with the
    column of the problem.
    """
    return read(text, dialect, functions, names).expr
