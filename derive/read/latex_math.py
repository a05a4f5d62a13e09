"""A grammar for LaTeX math as people write it and as SymPy's printer writes it.

It reads ``\\frac``, ``\\sqrt[n]{}``, ``^{}``, ``\\left( \\right)``, ``\\cdot``, ``\\times``,
spacing commands, implicit multiplication (``2x``, ``x \\sin x``), ``e^{…}`` and ``\\exp`` as
the exponential, ``\\ln``/``\\log``/``\\log_b``, trigonometric and hyperbolic names (with
``\\tanh^{2}(x)`` powers), ``\\operatorname{…}``, ``|x|``, ``cases``, and derivatives:
``\\frac{d}{dx}(…)``, ``\\frac{d\\sigma}{du}`` (Leibniz notation between two quantities),
``\\frac{\\partial L}{\\partial z}``, and primes ``\\sigma'(x)``, ``f''(x)``.

A single letter is a variable; letters written together multiply (``xy`` is x·y), as in TeX,
except function names written without a backslash (``ln x``, ``sigmoid(z)``, ``max(0, z)``).
Greek letters are named the way SymPy names them (``\\sigma`` is ``sigma``); ``\\hat{y}`` is
``yhat``. Names in ``functions`` are functions of the listed parameters; written bare, such a
name means the function at its parameters (σ means σ(x)). A function applied to something
that is not the function itself is evaluated there (σ(0), f(2x)); σ(1 − σ) is a product.

Indices: ``w_i``, ``x_{ij}`` (letters i, j, k, l, m as subscripts) are SymPy ``Indexed``;
``\\delta_{ij}`` is ``KroneckerDelta``; ``\\sum_{k=1}^{n}``, ``\\sum_k`` (from 1 to n) and
``\\prod`` are ``Sum`` and ``Product``; ``z_1`` and ``z1`` are the name ``z_1``.

The same limits as the expression parser apply: exact powers and factorials too large to
compute (``2^{10^{10}}``, ``(10^{7})!``) are refused at once.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import sympy as sp

from ..budgets import recursion_room
from ..errors import ParseError
from ..parse import ALIASES, FUNCTIONS, MAX_FACTORIAL, MAX_INTEGER_DIGITS, MAX_RESULT_BITS, _bits

MAX_DEPTH = 250
_TOKEN = re.compile(
    r"""
    (?P<space>\s+|\\[,;:!\ ]|\\quad|\\qquad|~)
  | (?P<command>\\[A-Za-z]+|\\[{}|]|\\\\)
  | (?P<number>\d+(?:\.\d+)?|\.\d+)
  | (?P<word>(?<![^\W\d_])(?:sigmoid|softplus|softmax|relu|ReLU|arctan|arcsin|arccos|tanh|sinh|cosh|sech
       |sin|cos|tan|sec|csc|cot|exp|ln|log|max|min)(?![^\W\d_]))
  | (?P<letter>[^\W\d_])
  | (?P<op>[-+*/^_()\[\]{}|=,'<>!&.;:])
    """,
    re.VERBOSE,
)

# The math dialect's functions, under their LaTeX names too (\sin, \operatorname{erf}, \arctan…).
_FUNCTIONS: dict[str, Callable[..., sp.Basic]] = {**FUNCTIONS, **ALIASES, "atan_2": sp.atan2}
# SymPy prints these as a letter before \left( without braces: \theta\left(x\right) is Heaviside.
_PRINTED_AS_LETTER = {
    "theta": sp.Heaviside,
    "delta": sp.DiracDelta,
    "Gamma": sp.gamma,
    "W": sp.LambertW,
    "psi": sp.digamma,
}
_GREEK = set(
    "alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota kappa lambda mu nu xi "
    "omicron pi rho varrho sigma tau upsilon phi varphi chi psi omega Gamma Delta Theta Lambda Xi "
    "Pi Sigma Upsilon Phi Psi Omega".split()
)
_RELATIONS = {
    "=": lambda a, b: sp.Eq(a, b, evaluate=False),
    "<": sp.Lt,
    ">": sp.Gt,
    r"\leq": sp.Le,
    r"\le": sp.Le,
    r"\geq": sp.Ge,
    r"\ge": sp.Ge,
    r"\neq": sp.Ne,
    r"\ne": sp.Ne,
}
_TIMES = {r"\cdot", r"\times", "*"}
_IGNORED = {
    r"\left",
    r"\right",
    r"\middle",
    r"\displaystyle",
    r"\textstyle",
    r"\biggl",
    r"\biggr",
    r"\Biggl",
    r"\Biggr",
    r"\bigm",
    r"\Bigm",
    r"\,",
    r"\big",
    r"\Big",
    r"\bigg",
    r"\Bigg",
    r"\bigl",
    r"\bigr",
    r"\Bigl",
    r"\Bigr",
}
FUNCTION_LETTERS = frozenset("f g h F G H sigma phi varphi".split())
# Functions people write without a backslash, and the common activations by name.
_x = sp.Symbol("x")
_WORDS: dict[str, Callable[..., sp.Basic]] = {
    "sigmoid": sp.Lambda(_x, 1 / (1 + sp.exp(-_x))),
    "softplus": sp.Lambda(_x, sp.log(1 + sp.exp(_x))),
    "relu": sp.Lambda(_x, sp.Max(0, _x)),
    "ReLU": sp.Lambda(_x, sp.Max(0, _x)),
    "max": sp.Max,
    "min": sp.Min,
    "arctan": sp.atan,
    "arcsin": sp.asin,
    "arccos": sp.acos,
    "sgn": sp.sign,
}
_FUNCTIONS.update(_WORDS)
KNOWN_FUNCTIONS = frozenset(_FUNCTIONS) | frozenset(_PRINTED_AS_LETTER)
INDEX_LETTERS = frozenset("ijklm")
SIZE = sp.Symbol("n", integer=True, positive=True)  # the upper bound of \sum_k when none is written
_ACCENTS = {"hat": "hat", "bar": "bar", "tilde": "tilde", "overline": "bar", "widehat": "hat", "dot": "dot"}
_WRAPPERS = frozenset(
    r"\mathbf \boldsymbol \bm \vec \mathit \mathnormal \pmb \mathcal \mathscr \mathfrak \mathsf".split()
)


@dataclass(frozen=True)
class _Token:
    kind: str
    text: str
    column: int


# \sin^{-1}: the inverse function, by the universal convention
_INVERSES = {
    "sin": sp.asin,
    "cos": sp.acos,
    "tan": sp.atan,
    "cot": sp.acot,
    "sec": sp.asec,
    "csc": sp.acsc,
    "sinh": sp.asinh,
    "cosh": sp.acosh,
    "tanh": sp.atanh,
    "coth": sp.acoth,
    "sech": sp.asech,
    "csch": sp.acsch,
}
_DELIMITER_SIZES = frozenset(
    "left right middle big Big bigg Bigg bigl bigr Bigl Bigr biggl biggr Biggl Biggr".split()
)


# what may follow a sentence's full stop, never a factor: spacing, separators, prose, the end
_NOT_FACTORS = (
    r"(?:quad|qquad|text\w*|mbox|mathrm|hspace|label|tag|nonumber|notag|blacksquare|square|Box|qed"
    r"|end|right|middle|implies|Rightarrow|Longrightarrow|iff|therefore|hfill|dots|ldots|cdots)(?![A-Za-z])"
)
_PROSE = re.compile(r"\\(?:text\w*|mbox|mathrm|operatorname)\s*\{")


def _not_a_product(match: re.Match[str]) -> bool:
    """A full stop after a delimiter size (\\left.) or in prose (\\text{e.g. …},
    \\mathrm{e.g.}) is no product."""
    if match.group(1).lstrip("\\") in _DELIMITER_SIZES:
        return True
    before = match.string[: match.start() + len(match.group(1))]
    opened = [m.end() for m in _PROSE.finditer(before)]
    return bool(opened) and before.count("{", opened[-1]) >= before.count("}", opened[-1])


_NORMAL = [
    # the typographic prime, and the upright d of derivatives in all its spellings
    (re.compile("[\u2019\u2032]"), "'"),
    (re.compile("\u2033"), "''"),
    (
        re.compile(
            r"\\(?:mathrm|operatorname|text|textrm|mathit)\s*\{\s*d\s*\}|\{\s*\\rm\s+d\s*\}|\\mathrm\s+d(?![A-Za-z])"
        ),
        "d",
    ),
    (re.compile(r"\\(?:[tdc]frac)(?![A-Za-z])"), r"\\frac"),
    # emphasis that does not change the mathematics: \color{red}, \boxed{…}, \underbrace{…}_{why}
    (
        re.compile(
            r"\\color\s*\{[A-Za-z!0-9]*\}|\\textcolor\s*\{[A-Za-z!0-9]*\}|\\(?:boxed|cancelto\{[^{}]*\})(?![A-Za-z])"
        ),
        "",
    ),
    (re.compile(r"\\(?:underbrace|overbrace)(?![A-Za-z])"), r"\\annotated"),
    (re.compile(r"\\(?:ne|neq)(?![A-Za-z])"), r"\\neq"),
    (re.compile(r"\\(?:leq|le|leqslant)(?![A-Za-z])"), r"\\leq"),
    (re.compile(r"\\(?:geq|ge|geqslant)(?![A-Za-z])"), r"\\geq"),
    # a full stop between two factors is a product, as in σ.(1 − σ); not in 2.5, nor in the
    # invisible delimiter \left. or \bigr.
    (
        re.compile(
            rf"(\\[A-Za-z]+|(?<![A-Za-z\\])[A-Za-z]|[)\]}}])\.(?=\s*(?:[A-Za-z({{\[]|\\(?!{_NOT_FACTORS})[A-Za-z]))"
        ),
        lambda m: m.group(0) if _not_a_product(m) else f"{m.group(1)} \\cdot ",
    ),
]


def normalise(text: str) -> str:
    """Spellings with one meaning made one (primes, the upright d, ``\\dfrac``, ``\\over``).

    Every replacement keeps what comes after it in place relative to the text before, so a
    column in an error still points into the author's formula closely enough to find it.
    """
    for pattern, replacement in _NORMAL:
        text = pattern.sub(replacement, text)
    return _rewrite_over(text)


def _rewrite_over(text: str) -> str:
    """``{a \\over b}`` as ``\\frac{a}{b}`` (innermost first), and a whole formula ``a \\over b``."""
    for _ in range(100):
        match = re.search(r"\\over(?![A-Za-z])", text)
        if match is None:
            return text
        depth, start = 0, -1
        for index in range(match.start() - 1, -1, -1):
            char = text[index]
            if char == "}" and (index == 0 or text[index - 1] != "\\"):
                depth += 1
            elif char == "{" and (index == 0 or text[index - 1] != "\\"):
                if depth == 0:
                    start = index
                    break
                depth -= 1
        end = len(text)
        depth = 0
        for index in range(match.end(), len(text)):
            char = text[index]
            if char == "{":
                depth += 1
            elif char == "}":
                if depth == 0:
                    end = index
                    break
                depth -= 1
        if start < 0:
            text = f"\\frac{{{text[: match.start()]}}}{{{text[match.end() :]}}}"
        else:
            inner = f"\\frac{{{text[start + 1 : match.start()]}}}{{{text[match.end() : end]}}}"
            text = f"{text[:start]}{{{inner}}}{text[end + 1 :]}"
    raise ParseError("too many \\over in one formula")


def _tokenize(text: str) -> list[_Token]:
    tokens = []
    position = 0
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None:
            raise ParseError(f"unexpected character {text[position]!r}", text, position + 1)
        if match.lastgroup != "space":
            tokens.append(_Token(match.lastgroup or "", match.group(), position + 1))
        position = match.end()
    tokens.append(_Token("end", "", len(text) + 1))
    return tokens


class _LatexParser:
    def __init__(
        self,
        text: str,
        functions: dict[str, tuple[sp.Symbol, ...]],
        variable: sp.Symbol,
        scalars: frozenset[str] = frozenset(),
    ) -> None:
        self.text = text
        self.scalars = scalars
        self.function_letters = FUNCTION_LETTERS - scalars
        self.tokens = _tokenize(text)
        self.index = 0
        self.depth = 0
        self.functions = functions
        self.variable = variable

    # -- helpers ------------------------------------------------------------------------------
    @property
    def token(self) -> _Token:
        return self.tokens[self.index]

    def peek(self, offset: int = 1) -> _Token:
        return self.tokens[min(self.index + offset, len(self.tokens) - 1)]

    def at(self, *texts: str) -> bool:
        return self.token.text in texts and self.token.kind != "end"

    def advance(self) -> _Token:
        token = self.token
        self.index = min(self.index + 1, len(self.tokens) - 1)
        return token

    def expect(self, text: str) -> None:
        self.skip_ignored()
        if not self.at(text):
            found = "the end" if self.token.kind == "end" else repr(self.token.text)
            raise ParseError(f"expected {text!r}, found {found}", self.text, self.token.column)
        self.advance()

    def error(self, message: str, token: _Token | None = None) -> ParseError:
        return ParseError(message, self.text, (token or self.token).column)

    def skip_ignored(self) -> None:
        while self.token.text in _IGNORED and not (self.token.text == r"\left" and self.peek().text in ".|"):
            self.advance()

    def nested(self) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise self.error(f"nested more than {MAX_DEPTH} levels deep")

    # -- grammar --------------------------------------------------------------------------------
    def parse(self) -> sp.Basic:
        if self.token.kind == "end":
            raise self.error("empty formula")
        result = self.relation()
        self.skip_ignored()
        if self.token.kind != "end":
            raise self.error(f"unexpected {self.token.text!r}")
        return result

    def relation(self) -> sp.Basic:
        left = self.sum()
        self.skip_ignored()
        op = self.relation_operator()
        if op is None:
            return left
        right = self.sum()
        try:
            return _RELATIONS[op](left, right)
        except TypeError as exc:  # SymPy refuses an ordering of non-real things
            raise self.error(f"cannot compare these ({exc})") from None

    def relation_operator(self) -> str | None:
        """``=``, ``<``, ``\\leq``, …, and ``!=``, ``<=``, ``>=`` written in two characters."""
        if self.at("!", "<", ">") and self.peek().text == "=":
            first = self.advance().text
            self.advance()
            return {"!": r"\neq", "<": r"\leq", ">": r"\geq"}[first]
        if self.token.text in _RELATIONS and self.token.kind != "end":
            return self.advance().text
        return None

    def at_relation(self) -> bool:
        return (self.token.text in _RELATIONS and self.token.kind != "end") or (
            self.at("!") and self.peek().text == "="
        )

    def sum(self) -> sp.Basic:
        self.skip_ignored()
        # a leading sign negates the first term (not 0 - term), so a formula read without
        # evaluation, as its author wrote it, shows no 0
        result: sp.Basic | None = None if self.at("+", "-") else self.term()
        while True:
            self.skip_ignored()
            if (
                result is not None
                and self.at("|")
                and self.peek().text == "_"
                and self.tokens[self.index - 1].text != r"\right"
            ):  # F \Big|_{x=1}: F evaluated at x = 1 (\left. F \right|_{x=1} is read as a whole)
                self.advance()
                return self.evaluated(result)
            if not self.at("+", "-"):
                assert result is not None
                return result
            op = self.advance().text
            term = self.term()
            if result is None:
                result = term if op == "+" else -term
            else:
                result = result + term if op == "+" else result - term

    def term(self, stop_at_times: bool = False) -> sp.Basic:
        result = self.unary()
        while True:
            self.skip_ignored()
            if self.token.text in _TIMES and not stop_at_times:
                self.advance()
                result = result * self.unary()
            elif self.at("/") and not stop_at_times:
                self.advance()
                result = result / self.unary()
            elif self.starts_factor():
                result = result * self.unary()
            else:
                return result

    def starts_factor(self) -> bool:
        token = self.token
        if token.kind in ("number", "letter", "word"):
            return True
        if token.kind == "command":
            return (
                token.text not in _RELATIONS
                and token.text not in _TIMES
                and token.text not in (r"\right", r"\end", r"\\", r"\text", r"\}", r"\|")
                and not token.text.startswith(r"\q")
            )
        return token.text in ("(", "[", "{")

    def unary(self) -> sp.Basic:
        self.skip_ignored()
        if self.at("-", "+"):
            sign = -1 if self.advance().text == "-" else 1
            self.nested()
            value = sign * self.unary()
            self.depth -= 1
            return value
        return self.power()

    def power(self) -> sp.Basic:
        base = self.primary()
        while True:
            self.skip_ignored()
            if self.at("^"):
                token = self.advance()
                base = self.checked_power(base, self.script(), token)
            elif self.at("!") and self.peek().text != "=":
                token = self.advance()
                base = self.checked_factorial(base, token)
            elif self.at("'"):  # (…)' : the derivative of a parenthesised expression
                primes = 0
                while self.at("'"):
                    self.advance()
                    primes += 1
                base = sp.Derivative(base, (self.variable, primes))
            else:
                return base

    def checked_power(self, base: sp.Basic, exponent: sp.Basic, token: _Token) -> sp.Basic:
        # SymPy computes an exact power of a number at once, so large ones are refused first.
        if isinstance(exponent, sp.Basic) and exponent.is_Relational:
            raise self.error("a relation in an exponent", token)
        if exponent.is_Rational and base.is_number and base is not sp.E and abs(exponent) > 1:
            bits = _bits(base) if base.is_Rational else MAX_RESULT_BITS / 1_000
            if bits * abs(float(exponent)) > MAX_RESULT_BITS:
                raise self.error("power too large to compute exactly", token)
        try:
            return sp.Pow(base, exponent)
        except (TypeError, ValueError) as exc:
            raise self.error(f"cannot raise to this power ({exc})", token) from None

    def checked_factorial(self, argument: sp.Basic, token: _Token) -> sp.Basic:
        if argument.is_Number and abs(argument) > MAX_FACTORIAL:
            raise self.error(f"factorial of a number above {MAX_FACTORIAL} is too large to compute", token)
        if isinstance(argument, sp.Basic) and argument.is_Relational:
            raise self.error("a factorial of a relation", token)
        return sp.factorial(argument)

    def script(self) -> sp.Basic:
        """The argument of ^ or _: a braced group or a single token."""
        self.skip_ignored()
        if self.at("{"):
            return self.group()
        token = self.advance()
        if token.kind == "number":
            if len(token.text) > 1 and "." not in token.text:
                self.push_back(token, 1)
                return sp.Integer(token.text[0])
            return sp.Rational(token.text)
        if token.kind == "letter":
            return self.letter_symbol(token.text)
        if token.kind == "command":
            self.index -= 1
            return self.primary()
        if token.text == "-":
            return -self.script()
        if token.text == "'":  # f^' is rare; say so rather than guess
            raise ParseError("a prime in a superscript", self.text, token.column)
        raise ParseError(f"unexpected {token.text or 'end'!r} in a superscript", self.text, token.column)

    def push_back(self, token: _Token, used: int) -> None:
        """Keep the digits of a number token after the first ``used`` (``x^23`` is x²·3 in TeX)."""
        rest = _Token("number", token.text[used:], token.column + used)
        self.index -= 1
        self.tokens[self.index] = rest

    def group(self, opening: str = "{", closing: str = "}") -> sp.Basic:
        self.expect(opening)
        self.nested()
        inner = self.sum()
        self.skip_ignored()
        if self.at_relation():
            raise self.error("a relation inside a group")
        self.depth -= 1
        self.expect(closing)
        return inner

    def raw_group(self) -> str:
        """The text of a braced group, unparsed (for \\text and \\operatorname)."""
        self.expect("{")
        depth, start = 1, self.index
        while depth:
            if self.token.kind == "end":
                raise self.error("unbalanced '{'")
            depth += {"{": 1, "}": -1}.get(self.token.text, 0)
            self.advance()
        return "".join(t.text for t in self.tokens[start : self.index - 1])

    def primary(self) -> sp.Basic:
        self.skip_ignored()
        token = self.token
        if token.kind == "number":
            self.advance()
            if len(token.text.split(".")[0]) > MAX_INTEGER_DIGITS:
                raise self.error(f"integer with more than {MAX_INTEGER_DIGITS} digits", token)
            return sp.Rational(token.text) if "." in token.text else sp.Integer(token.text)
        if token.kind == "letter":
            self.advance()
            if token.text == "d" and self.leibniz_inline():
                return self.leibniz_inline_value
            if token.text == "D" and self.at("_") and "D" not in self.functions:
                return self.operator_derivative(token)  # D_x f
            return self.name(token.text, token)
        if token.kind == "word":
            self.advance()
            if token.text in _WORDS and not self.at("(", r"\left"):
                return sp.Symbol(token.text)  # a name SymPy printed as it is, not a call
            return self.function(token.text, token)
        if token.text in ("(", "["):
            closing = ")" if token.text == "(" else "]"
            return self.group(token.text, closing)
        if token.text == "{":
            return self.group()
        if token.text in ("|", r"\|"):
            self.advance()
            self.nested()
            inner = self.sum()
            self.depth -= 1
            self.skip_ignored()
            self.expect(token.text)
            return sp.Abs(inner)
        if token.kind == "command":
            return self.command()
        if token.kind == "end":
            raise self.error("expected a formula but it ended")
        raise self.error(f"unexpected {token.text!r}")

    def command(self) -> sp.Basic:
        token = self.advance()
        name = token.text[1:]
        if name == "frac":
            return self.fraction(token)
        if name == "sqrt":
            index = self.group("[", "]") if self.at("[") else sp.Integer(2)
            return sp.root(self.group(), index)
        if name in ("operatorname", "mathrm", "text", "textrm", "textit", "mathit") and self.at("{"):
            word = self.raw_group().replace(" ", "").replace("\\", "")
            if word == "e":
                return sp.E
            if word in _FUNCTIONS or word in self.functions:
                return self.function(word, token) if word in _FUNCTIONS else self.name(word, token)
            if not re.fullmatch(r"[A-Za-z][A-Za-z0-9]*", word):
                raise self.error(f"cannot read {token.text}{{{word}}} as a name", token)
            return self.name(word, token)
        if name in _ACCENTS:
            inner = self.raw_group().replace(" ", "") if self.at("{") else self.advance().text
            inner = inner.lstrip("\\")
            if not re.fullmatch(r"[A-Za-z]+", inner):
                raise self.error(f"cannot read \\{name}{{{inner}}} as a name", token)
            return self.name(f"{inner}{_ACCENTS[name]}", token)
        if token.text in _WRAPPERS:  # bold and arrows only style a name: \mathbf{x} is x
            if self.at("{"):
                self.advance()
                self.nested()
                inner = self.name_or_expression()
                self.depth -= 1
                self.expect("}")
                return inner
            return self.primary()
        if name == "annotated":  # \underbrace{X}_{note}: X; the note is prose
            value = self.group()
            self.skip_ignored()
            if self.at("_", "^"):
                self.advance()
                if self.at("{"):
                    self.raw_group()
                else:
                    self.advance()
            return value
        if name == "mathbb":
            return self.indicator(token)
        if name in ("sum", "prod"):
            return self.big_operator(token, sp.Sum if name == "sum" else sp.Product)
        if name == "partial":
            return self.partial_slash(token)
        if name == "lim":
            return self.limit(token)
        if name == "nabla":
            return self.operator_derivative(token)
        if name == "pi":
            return sp.pi
        if name == "delta" and self.at("_"):
            return self.kronecker(token)
        if name in FUNCTION_LETTERS:
            return self.name(name, token)
        if name in _GREEK and name not in _PRINTED_AS_LETTER:  # \gamma, \beta: letters, not functions
            return self.name(name, token)
        if name in _FUNCTIONS:
            return self.function(name, token)
        if name == "infty":
            return sp.oo
        if name in _PRINTED_AS_LETTER and self.at(r"\left") and name not in self.functions:
            return self.function(name, token)
        if name in _GREEK:
            return self.name(name, token)
        if name == "begin":
            return self.environment(token)
        if name == "left" and self.at("."):
            return self.evaluated_at()
        if name == "left" and self.at("|"):
            self.advance()
            self.nested()
            inner = self.sum()
            self.depth -= 1
            self.expect("|")  # after \right
            return sp.Abs(inner)
        if name == "left":
            return self.primary()
        raise ParseError(f"unknown command {token.text}", self.text, token.column)

    def name_or_expression(self) -> sp.Basic:
        return self.sum()

    def evaluated_at(self) -> sp.Basic:
        """``\\left. F \right|_{\\substack{ v=a }}``: F with v set to a (SymPy's ``Subs``)."""
        self.advance()  # "."
        self.nested()
        inner = self.sum()
        self.depth -= 1
        self.expect("|")  # after \right, which expect() passes over
        self.expect("_")
        self.expect("{")
        if self.at(r"\substack"):
            self.advance()
            self.expect("{")
            point = self.relation()
            self.expect("}")
        else:
            point = self.relation()
        self.expect("}")
        if not isinstance(point, sp.Eq) or not isinstance(point.lhs, sp.Symbol):
            raise self.error("expected name=value after the evaluation bar")
        return sp.Subs(inner, point.lhs, point.rhs)

    def evaluated(self, inner: sp.Basic) -> sp.Basic:
        """The bar's subscript ``_{x=1}`` after ``F \\Big|``: F with x set to 1."""
        self.expect("_")
        self.expect("{")
        point = self.relation()
        self.expect("}")
        if not isinstance(point, sp.Eq) or not isinstance(point.lhs, sp.Symbol):
            raise self.error("expected name=value after the evaluation bar")
        return sp.Subs(inner, point.lhs, point.rhs)

    def environment(self, token: _Token) -> sp.Basic:
        environment = self.raw_group()
        if environment == "cases":
            return self.cases()
        if environment in ("bmatrix", "pmatrix", "matrix", "vmatrix", "Bmatrix"):
            return self.matrix(environment)
        raise ParseError(f"unexpected environment {environment!r} in a formula", self.text, token.column)

    def matrix(self, environment: str) -> sp.Basic:
        rows: list[list[sp.Basic]] = [[]]
        while True:
            self.skip_ignored()
            if self.at(r"\end"):
                self.advance()
                self.raw_group()
                break
            rows[-1].append(self.sum())
            self.skip_ignored()
            if self.at("&"):
                self.advance()
            elif self.at(r"\\"):
                self.advance()
                rows.append([])
            elif not self.at(r"\end"):
                raise self.error(f"unexpected {self.token.text or 'end'!r} in a matrix")
        rows = [row for row in rows if row]
        if not rows or any(len(row) != len(rows[0]) for row in rows):
            raise self.error("a matrix whose rows differ in length")
        matrix = sp.ImmutableMatrix(rows)
        return matrix.det() if environment == "vmatrix" else matrix

    def cases(self) -> sp.Basic:
        pieces = []
        while True:
            value = self.sum()
            self.expect("&")
            condition = sp.true if self.condition_is_otherwise() else self.relation_condition()
            pieces.append((value, condition))
            self.skip_ignored()
            if self.at(r"\\"):
                self.advance()
            if self.at(r"\end"):
                self.advance()
                self.raw_group()
                try:
                    return sp.Piecewise(*pieces)
                except (TypeError, ValueError) as exc:
                    raise self.error(f"cannot read these cases ({exc})") from None
            if self.token.kind == "end":
                raise self.error("cases without \\end{cases}")

    def condition_is_otherwise(self) -> bool:
        if self.at(r"\text"):
            self.advance()
            word = self.raw_group().strip()
            return word in ("otherwise", "else")  # "for" or "if": the condition follows
        return False

    def relation_condition(self) -> sp.Basic:
        self.skip_ignored()
        if self.at(r"\text"):
            self.advance()
            self.raw_group()
        condition = self.relation()
        if not isinstance(condition, sp.Basic) or not (
            condition.is_Relational or condition in (sp.true, sp.false)
        ):
            raise self.error("expected a condition such as x > 0")
        return condition

    def fraction(self, token: _Token) -> sp.Basic:
        start = self.index
        derivative = self.leibniz()
        if derivative is not None:
            return derivative
        self.index = start
        numerator = self.fraction_argument()
        denominator = self.fraction_argument()
        return numerator / denominator

    def fraction_argument(self) -> sp.Basic:
        """``{…}``, or one token: ``\\frac12`` is ½ and ``\\frac1x`` is 1/x, as in TeX."""
        self.skip_ignored()
        if self.at("{"):
            return self.group()
        token = self.advance()
        if token.kind == "number":
            if len(token.text) > 1:
                self.push_back(token, 1)
            return sp.Integer(token.text[0]) if token.text[0].isdigit() else sp.Rational(token.text)
        if token.kind == "letter":
            return self.letter_symbol(token.text)
        if token.kind == "command" and token.text[1:] in _GREEK:
            return self.letter_symbol(token.text[1:])
        raise ParseError(f"unexpected {token.text or 'end'!r} after \\frac", self.text, token.column)

    def leibniz(self) -> sp.Basic | None:
        """Derivatives: \\frac{d}{dx} ⟨term⟩, \\frac{d^2 y}{dx^2}, \\frac{d\\sigma}{du}, ∂L/∂z."""
        top = self.braced_tokens()
        bottom = self.braced_tokens()
        if top is None or bottom is None or not top or top[0].text not in ("d", r"\partial"):
            return None
        if not bottom or bottom[0].text != top[0].text or len(bottom) < 2:
            return None
        if bottom[1].kind not in ("letter", "command", "word"):
            return None  # d/d(2) or the like: an ordinary fraction of d's
        order_top, quantity = _split_order(top[1:], self.text)
        variables = _leibniz_variables(bottom, top[0].text, self.text)
        if variables is None:
            raise ParseError("a derivative whose denominator cannot be read", self.text, bottom[0].column)
        if sum(count for _, count in variables) != order_top:
            raise ParseError(
                "the order of the derivative differs above and below the fraction bar",
                self.text,
                top[0].column,
            )
        symbols = [(self.variable_named(name), count) for name, count in variables]
        if not quantity:  # an operator: it applies to the rest of the product
            # d/dx(…) standing at the top of a side says what is claimed about an expression,
            # which may itself be as deep as derive diff accepts: the operator and its bracket
            # are not one more level of it
            step = -1 if self.depth == 0 else 1
            if step == 1:
                self.nested()
            else:
                self.depth -= 1
            operand = self.term(stop_at_times=True)
            self.depth -= step
            return self.derivative(operand, symbols)
        text = " ".join(t.text for t in quantity)
        target = _LatexParser(text, self.functions, self.variable, self.scalars).parse()
        if (
            isinstance(target, sp.Symbol)
            and target.name in self.function_letters
            and target.name not in self.functions
        ):
            target = self.applied(target.name, [v for v, _ in symbols])
        return self.derivative(target, symbols)

    def derivative(self, target: sp.Basic, variables: list[tuple[sp.Basic, int]]) -> sp.Basic:
        if any(not getattr(v, "_diff_wrt", False) for v, _ in variables):
            raise self.error("a derivative with respect to something that is not a name")
        if isinstance(target, sp.Basic) and target.is_Relational:
            raise self.error("a derivative of a relation")
        try:
            return sp.Derivative(target, *variables)
        except (TypeError, ValueError) as exc:
            raise self.error(f"cannot read this derivative ({exc})") from None

    def variable_named(self, name: str) -> sp.Basic:
        """The variable of ∂/∂w_i: a name, or an indexed name."""
        base, _, subscript = name.partition("_")
        if subscript and all(c in INDEX_LETTERS for c in subscript):
            return sp.Indexed(sp.IndexedBase(base), *[sp.Symbol(c, integer=True) for c in subscript])
        return self.letter_symbol(name)

    def leibniz_inline(self) -> bool:
        """``dy/dx`` and ``d/dx (…)`` written with a slash, the ``d`` just read."""
        start = self.index
        quantity: list[_Token] = []
        while self.token.kind in ("letter", "command") and not self.at("/") and len(quantity) < 2:
            quantity.append(self.advance())
        if not (self.at("/") and self.peek().text == "d" and self.peek(2).kind == "letter"):
            self.index = start
            return False
        self.advance()
        self.advance()
        variable = self.advance().text
        if quantity:
            text = " ".join(t.text for t in quantity)
            target = _LatexParser(text, self.functions, self.variable, self.scalars).parse()
        else:
            self.nested()
            target = self.term(stop_at_times=True)
            self.depth -= 1
        self.leibniz_inline_value = self.derivative(target, [(self.letter_symbol(variable), 1)])
        return True

    def partial_slash(self, token: _Token) -> sp.Basic:
        """``\\partial L / \\partial w``: a derivative written with a slash."""
        self.nested()
        target = self.power()
        self.depth -= 1
        self.skip_ignored()
        if not self.at("/"):
            raise self.error("expected '/' after \\partial and the quantity", token)
        self.advance()
        self.expect(r"\partial")
        self.skip_ignored()
        variable = self.power()
        return self.derivative(target, [(variable, 1)])

    def operator_derivative(self, token: _Token) -> sp.Basic:
        """``\\nabla_w L`` and ``D_x f``: the derivative by the subscript's variable."""
        if not self.at("_"):
            raise self.error("a gradient needs its variable as a subscript: \\nabla_w", token)
        self.advance()
        variable = self.script()
        self.nested()
        operand = self.term(stop_at_times=True)
        self.depth -= 1
        return self.derivative(operand, [(variable, 1)])

    def big_operator(self, token: _Token, kind: type) -> sp.Basic:
        """``\\sum_{k=1}^{n} a_k``, ``\\sum_k a_k`` (k from 1 to n), ``\\sum_{k \\neq i}``."""
        if not self.at("_"):
            return self.unmarked_big_operator(token, kind)
        self.advance()
        self.nested()
        excluded = None
        if self.at("{"):
            self.advance()
            index_token = self.advance()
            if index_token.kind != "letter":
                raise ParseError("expected an index letter", self.text, index_token.column)
            index = sp.Symbol(index_token.text, integer=True)
            lower: sp.Basic = sp.Integer(1)
            self.skip_ignored()
            if self.at("="):
                self.advance()
                lower = self.sum()
            elif self.at(r"\neq"):
                self.advance()
                excluded = self.sum()
            self.expect("}")
        else:
            index_token = self.advance()
            if index_token.kind != "letter":
                raise ParseError("expected an index letter", self.text, index_token.column)
            index, lower = sp.Symbol(index_token.text, integer=True), sp.Integer(1)
        upper: sp.Basic = SIZE
        self.skip_ignored()
        if self.at("^"):
            self.advance()
            upper = self.script()
        summand = self.term(stop_at_times=False)
        self.depth -= 1
        summand = _as_index(summand, index)
        if excluded is not None:
            summand = summand * (1 - sp.KroneckerDelta(index, _as_index(excluded, None)))
        if isinstance(upper, sp.Symbol) and upper.name == "n":
            upper = SIZE
        try:
            return kind(summand, (index, lower, upper))
        except (TypeError, ValueError) as exc:
            raise self.error(f"cannot read this {token.text[1:]} ({exc})", token) from None

    def unmarked_big_operator(self, token: _Token, kind: type) -> sp.Basic:
        """``\\sum e^{x_j}``: the index is the one index the summand carries (1 to n)."""
        self.nested()
        summand = self.term()
        self.depth -= 1
        indices = {i for node in summand.atoms(sp.Indexed) for i in node.indices if isinstance(i, sp.Symbol)}
        if len(indices) != 1:
            raise self.error(f"{token.text} without its index, and the summand does not show it", token)
        (index,) = indices
        return kind(summand, (index, 1, SIZE))

    def limit(self, token: _Token) -> sp.Basic:
        """``\\lim_{h \\to 0} …``: SymPy's ``Limit``, unevaluated."""
        self.expect("_")
        self.expect("{")
        variable = self.advance()
        if variable.kind != "letter":
            raise ParseError("expected the limit's variable", self.text, variable.column)
        self.skip_ignored()
        if not self.at(r"\to", r"\rightarrow"):
            raise self.error("expected \\to in the limit's subscript")
        self.advance()
        point = self.sum()
        self.expect("}")
        self.nested()
        body = self.term()
        self.depth -= 1
        return sp.Limit(body, sp.Symbol(variable.text), point, dir="+-")

    def kronecker(self, token: _Token) -> sp.Basic:
        """``\\delta_{ij}``, ``\\delta_{i,j}``."""
        self.advance()
        text = self.raw_group().replace(",", "").replace(" ", "") if self.at("{") else self.advance().text
        if len(text) != 2 or not text.isalnum():
            raise self.error("expected two indices after \\delta_", token)
        return sp.KroneckerDelta(*(_index_atom(c) for c in text))

    def indicator(self, token: _Token) -> sp.Basic:
        """``\\mathbb{1}_{i=j}`` (or ``\\mathbb{1}\\{i=j\\}``): the Kronecker delta."""
        inner = self.raw_group().strip()
        if inner != "1":
            raise self.error(f"unknown set \\mathbb{{{inner}}} in a formula", token)
        if self.at("_"):
            self.advance()
            self.expect("{")
            condition = self.relation()
            self.expect("}")
        elif self.at(r"\{"):
            self.advance()
            condition = self.relation()
            self.expect(r"\}")
        else:
            raise self.error("expected the indicator's condition: \\mathbb{1}_{i=j}", token)
        if isinstance(condition, sp.Eq):
            return sp.KroneckerDelta(_as_index(condition.lhs, None), _as_index(condition.rhs, None))
        raise self.error("an indicator of something other than i = j", token)

    def braced_tokens(self) -> list[_Token] | None:
        if not self.at("{"):
            return None
        self.advance()
        depth, start = 1, self.index
        while depth:
            if self.token.kind == "end":
                return None
            depth += {"{": 1, "}": -1}.get(self.token.text, 0)
            self.advance()
        return self.tokens[start : self.index - 1]

    def function(self, name: str, token: _Token) -> sp.Basic:
        """\\sin x, \\sin(x), \\sin{\\left(x \\right)}, \\tanh^{2}(x), \\log_{2} x, \\max(a, b)."""
        function = _FUNCTIONS.get(name) or _PRINTED_AS_LETTER.get(name)
        if function is None:
            raise ParseError(f"unknown function {name!r}", self.text, token.column)
        exponent = None
        base = None
        while self.at("^", "_"):
            if self.advance().text == "^":
                exponent = self.script()
            else:
                base = self.script()
        self.skip_ignored()
        if self.at("{") and self.peek().text == r"\left":
            self.advance()
            args = self.arguments()
            self.expect("}")
        elif self.at("(", r"\left", "["):
            args = self.arguments()
        else:  # \sin x: the next factor is the argument; \sin 2\theta is sin(2θ)
            self.nested()
            starts_with_number = self.token.kind == "number"
            argument = self.power()
            self.skip_ignored()
            if starts_with_number and (
                self.token.kind == "letter"
                or (self.token.kind == "command" and self.token.text[1:] in _GREEK)
            ):
                argument = argument * self.power()
            args = [argument]
            self.depth -= 1
        if exponent == -1 and name in _INVERSES:
            # \sin^{-1} x is arcsin x, as every textbook writes it, never 1/sin x
            function, exponent = _INVERSES[name], None
        if name == "log" and base is not None:
            args = [*args, base]
        elif name == "atan" and base == 2:
            function = sp.atan2
        if name in ("factorial", "gamma", "Gamma", "binomial", "loggamma") and any(
            a.is_Number and abs(a) > MAX_FACTORIAL for a in args
        ):
            raise self.error(f"{name} of a number above {MAX_FACTORIAL} is too large to compute", token)
        if any(isinstance(a, sp.Basic) and a.is_Relational for a in args):
            raise self.error(f"a relation as the argument of {name}", token)
        try:
            value = function(*args)
        except (TypeError, ValueError) as exc:
            raise ParseError(
                f"cannot apply {name} to these arguments ({exc})", self.text, token.column
            ) from None
        return value if exponent is None else self.checked_power(value, exponent, token)

    def arguments(self) -> list[sp.Basic]:
        self.skip_ignored()
        closing = {"(": ")", "[": "]"}.get(self.token.text)
        if closing is None:
            raise self.error("expected '(' after a function name")
        self.advance()
        self.nested()
        args = [self.sum()]
        while True:
            self.skip_ignored()
            if not self.at(","):
                break
            self.advance()
            args.append(self.sum())
        self.depth -= 1
        self.skip_ignored()
        if self.at_relation():
            raise self.error("a relation inside parentheses")
        self.expect(closing)
        return args

    # -- names ------------------------------------------------------------------------------------
    def letter_symbol(self, name: str) -> sp.Symbol:
        return sp.Symbol(name)

    def subscript(self, name: str) -> tuple[str, list[sp.Symbol]]:
        """``_1``, ``_{out}``, ``_i``, ``_{ij}``: a longer name, or index letters."""
        self.advance()  # "_"
        self.skip_ignored()
        if self.at("{"):
            text = self.raw_group()
        else:
            token = self.advance()
            if token.kind not in ("number", "letter", "command"):
                raise ParseError("expected a subscript after '_'", self.text, token.column)
            text = token.text
        text = text.replace(" ", "").replace(",", "").replace("\\", "")
        if not text or not re.fullmatch(r"[A-Za-z0-9]+", text):
            raise self.error(f"cannot read the subscript {text!r}")
        if all(c in INDEX_LETTERS for c in text) and len(text) <= 3:
            return name, [sp.Symbol(c, integer=True) for c in text]
        return f"{name}_{text}", []

    def name(self, name: str, token: _Token) -> sp.Basic:
        """A letter or Greek name: e, a variable, a function applied, or a derivative by primes."""
        if name == "e" and name not in self.functions and not self.at("_", "'"):
            return sp.E
        primes = 0
        indices: list[sp.Symbol] = []
        # z1 written together is the name z_1, as people write it in code and in prose
        if len(name) == 1 and self.token.kind == "number" and self.token.column == token.column + 1:
            digits = self.advance().text
            if not digits.isdigit():
                raise self.error(f"cannot read {name}{digits} as a name", token)
            name = f"{name}_{digits}"
        while self.at("'", "_"):
            if self.at("'"):
                self.advance()
                primes += 1
            elif not indices:
                name, indices = self.subscript(name)
            else:
                raise self.error("two subscripts on one name")
        if (
            name in _PRINTED_AS_LETTER
            and name not in self.functions
            and self.at(r"\left")
            and self.peek().text == "("
        ):
            return self.function(name, token)
        if indices:
            value = self.indexed(name, indices)
            if primes:
                return sp.Derivative(value, (self.variable, primes))
            return value
        is_function = name in self.functions or name in self.function_letters
        self.skip_ignored()
        exponent = None
        if is_function and self.at("^"):  # f^{2}(x), as SymPy prints f(x)**2
            start = self.index
            self.advance()
            exponent = self.script()
            if not (self.at("(") or (self.at("{") and self.peek().text == r"\left")):
                self.index, exponent = start, None
        application = None
        evaluated_at = None
        if is_function and (self.at("(") or (self.at("{") and self.peek().text == r"\left")):
            braced = self.at("{")
            if braced:
                self.advance()
            args = self.arguments()
            if braced:
                self.expect("}")
            bare = self.applied(name, None)
            if primes == 0 and len(args) == 1 and _contains_itself(args[0], name, bare):
                # σ(1 − σ) is a product: a function is not applied to an expression in itself
                return (bare if name in self.functions else sp.Symbol(name)) * args[0]
            if primes and len(args) == 1 and not args[0].is_Symbol:
                evaluated_at = args[0]  # f'(g(x)): f' at g(x)
            else:
                application = self.applied(name, args)
        elif name in self.functions or (primes and name in self.function_letters):
            application = self.applied(name, None)
        elif primes:  # y' on a name the document defines (y = x^2): dy/dx, or y'(2) at a point
            derivative = sp.Derivative(sp.Symbol(name), (self.variable, primes))
            if self.at("(") and self.peek().kind == "number":
                (point,) = self.arguments() or [None]
                return sp.Subs(derivative, self.variable, point)
            return derivative
        if evaluated_at is not None:
            u = sp.Dummy("u")
            value = sp.Subs(sp.Derivative(sp.Function(name)(u), (u, primes)), u, evaluated_at)
            return value if exponent is None else value**exponent
        if application is None:
            return sp.Symbol(name)
        if primes:
            variable = (
                application.args[0]
                if len(application.args) == 1 and application.args[0].is_Symbol
                else self.variable
            )
            application = sp.Derivative(application, (variable, primes))
        return application if exponent is None else self.checked_power(application, exponent, token)

    def indexed(self, name: str, indices: list[sp.Symbol]) -> sp.Basic:
        """``a_j``: a function of j when the document defines it so, else an indexed name."""
        if name == "delta" and len(indices) == 2:
            return sp.KroneckerDelta(*indices)
        if name in self.functions and len(self.functions[name]) == len(indices):
            return sp.Function(name)(*indices)
        return sp.Indexed(sp.IndexedBase(name), *indices)

    def applied(self, name: str, args: list[sp.Basic] | None) -> sp.Basic:
        if args is None:
            args = list(self.functions.get(name, (self.variable,)))
        return sp.Function(name)(*args)


def _contains_itself(argument: sp.Basic, name: str, bare: sp.Basic) -> bool:
    return argument.has(bare) or argument.has(sp.Symbol(name))


def _index_atom(char: str) -> sp.Basic:
    return sp.Integer(int(char)) if char.isdigit() else sp.Symbol(char, integer=True)


def _as_index(expr: sp.Basic, index: sp.Symbol | None) -> sp.Basic:
    """The summation index as the integer symbol Sum needs, wherever it appears plainly."""
    if index is None:
        return expr.xreplace(
            {
                s: sp.Symbol(s.name, integer=True)
                for s in expr.free_symbols
                if s.name in INDEX_LETTERS and isinstance(s, sp.Symbol)
            }
        )
    return expr.xreplace({sp.Symbol(index.name): index})


def _plain(expr: sp.Basic) -> str:
    return str(expr).replace(" ", "")


def _int_token(tokens: list[_Token], index: int, text: str) -> int:
    if index >= len(tokens) or tokens[index].kind != "number" or not tokens[index].text.isdigit():
        column = tokens[index].column if index < len(tokens) else None
        raise ParseError("the order of a derivative must be a whole number", text, column)
    value = int(tokens[index].text)
    if value > 20:
        raise ParseError("a derivative of order above 20", text, tokens[index].column)
    return value


def _split_order(tokens: list[_Token], text: str) -> tuple[int, list[_Token]]:
    """``^{2} y`` after the d: the order and the tokens of the quantity."""
    if tokens and tokens[0].text == "^":
        rest = tokens[1:]
        if rest and rest[0].text == "{":
            order = _int_token(rest, 1, text)
            if len(rest) < 3 or rest[2].text != "}":
                raise ParseError("the order of a derivative must be a whole number", text, tokens[0].column)
            return order, rest[3:]
        return _int_token(rest, 0, text), rest[1:]
    return 1, tokens


def _leibniz_variables(tokens: list[_Token], d: str, text: str) -> list[tuple[str, int]] | None:
    """``d x d y^{2}`` → [(x, 1), (y, 2)]; None when it is not that shape."""
    variables: list[tuple[str, int]] = []
    index = 0
    while index < len(tokens):
        if tokens[index].text != d or index + 1 >= len(tokens):
            return None
        token = tokens[index + 1]
        if token.kind == "letter":
            name = token.text
        elif token.kind == "command" and token.text[1:] in _GREEK:
            name = token.text[1:]
        elif (
            token.kind == "command"
            and token.text[1:] in _ACCENTS
            and index + 4 < len(tokens) + 1
            and [t.text for t in tokens[index + 2 : index + 5 : 2]] == ["{", "}"]
            and tokens[index + 3].kind == "letter"
        ):  # \partial \hat{y}
            name = tokens[index + 3].text + _ACCENTS[token.text[1:]]
            index += 3
        else:
            return None
        index += 2
        if index < len(tokens) and tokens[index].text == "_":
            if index + 1 >= len(tokens):
                return None
            if tokens[index + 1].text == "{":  # w_{1}, W_{jk}, W_{j,k}
                close = next((i for i in range(index + 2, len(tokens)) if tokens[i].text == "}"), None)
                inside = [t.text for t in tokens[index + 2 : close] if t.text != ","] if close else []
                if not inside or not all(t.isalnum() for t in inside):
                    return None
                name, index = f"{name}_{''.join(inside)}", close + 1  # type: ignore[operator]
            else:
                name, index = f"{name}_{tokens[index + 1].text}", index + 2
        count = 1
        if index < len(tokens) and tokens[index].text == "^":
            if index + 1 < len(tokens) and tokens[index + 1].text == "{":
                count, index = _int_token(tokens, index + 2, text), index + 4
            else:
                count, index = _int_token(tokens, index + 1, text), index + 2
        variables.append((name, count))
    return variables or None


def parse_latex(
    text: str,
    functions: dict[str, tuple[sp.Symbol, ...]] | None = None,
    variable: sp.Symbol | None = None,
    scalars: frozenset[str] = frozenset(),
) -> sp.Basic:
    """Read one LaTeX formula as a SymPy expression (or a relation, ``x > 0``); raises
    :class:`ParseError` with the column where reading stopped. Names in ``scalars`` (σ as a
    standard deviation) are never read as functions."""
    if len(text) > 20_000:
        raise ParseError("formula longer than 20,000 characters")
    parser = _LatexParser(normalise(text), functions or {}, variable or sp.Symbol("x"), scalars)
    with recursion_room(MAX_DEPTH):
        try:
            return parser.parse()
        except RecursionError:
            raise ParseError("formula nested too deeply", text) from None
