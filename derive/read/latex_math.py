"""A grammar for LaTeX math as people write it and as SymPy's printer writes it.

It reads ``\\frac``, ``\\sqrt[n]{}``, ``^{}``, ``\\left( \\right)``, ``\\cdot``, ``\\times``,
spacing commands, implicit multiplication (``2x``, ``x \\sin x``), ``e^{…}`` and ``\\exp`` as
the exponential, ``\\ln``/``\\log``/``\\log_b``, trigonometric and hyperbolic names (with
``\\tanh^{2}(x)`` powers), ``\\operatorname{…}``, ``|x|``, ``cases``, and derivatives:
``\\frac{d}{dx}(…)``, ``\\frac{d\\sigma}{du}`` (Leibniz notation between two quantities),
``\\frac{\\partial L}{\\partial z}``, and primes ``\\sigma'(x)``, ``f''(x)``.

A single letter is a variable; letters written together multiply (``xy`` is x·y), as in TeX.
Greek letters are named the way SymPy names them (``\\sigma`` is ``sigma``). Names in
``functions`` are functions of the listed parameters; written bare, such a name means the
function at its parameters (σ means σ(x)).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import sympy as sp

from ..errors import ParseError
from ..parse import ALIASES, FUNCTIONS
from ..timing import recursion_room

MAX_DEPTH = 250
_TOKEN = re.compile(
    r"""
    (?P<space>\s+|\\[,;:!\ ]|\\quad|\\qquad|~)
  | (?P<command>\\[A-Za-z]+|\\[{}|]|\\\\)
  | (?P<number>\d+(?:\.\d+)?|\.\d+)
  | (?P<letter>[^\W\d_])
  | (?P<op>[-+*/^_()\[\]{}|=,'<>!&.])
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
    r"\displaystyle",
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
FUNCTION_LETTERS = frozenset("f g h F G H".split())
KNOWN_FUNCTIONS = frozenset(_FUNCTIONS) | frozenset(_PRINTED_AS_LETTER)


@dataclass(frozen=True)
class _Token:
    kind: str
    text: str
    column: int


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
    def __init__(self, text: str, functions: dict[str, tuple[sp.Symbol, ...]], variable: sp.Symbol) -> None:
        self.text = text
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
        self.index += 1
        return token

    def expect(self, text: str) -> None:
        self.skip_ignored()
        if not self.at(text):
            found = "the end" if self.token.kind == "end" else repr(self.token.text)
            raise ParseError(f"expected {text!r}, found {found}", self.text, self.token.column)
        self.advance()

    def error(self, message: str) -> ParseError:
        return ParseError(message, self.text, self.token.column)

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
        if self.token.text in _RELATIONS:
            op = self.advance().text
            return _RELATIONS[op](left, self.sum())
        return left

    def sum(self) -> sp.Basic:
        self.skip_ignored()
        result = self.term() if not self.at("+", "-") else sp.Integer(0)
        while True:
            self.skip_ignored()
            if not self.at("+", "-"):
                return result
            op = self.advance().text
            term = self.term()
            result = result + term if op == "+" else result - term

    def term(self, stop_at_times: bool = False) -> sp.Basic:
        result = self.unary()
        while True:
            self.skip_ignored()
            if self.token.text in _TIMES and not stop_at_times:
                self.advance()
                result = result * self.unary()
            elif self.at("/"):
                self.advance()
                result = result / self.unary()
            elif self.starts_factor():
                result = result * self.unary()
            else:
                return result

    def starts_factor(self) -> bool:
        token = self.token
        if token.kind in ("number", "letter"):
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
            return sign * self.unary()
        return self.power()

    def power(self) -> sp.Basic:
        base = self.primary()
        while True:
            self.skip_ignored()
            if self.at("^"):
                self.advance()
                base = sp.Pow(base, self.script())
            elif self.at("!"):
                self.advance()
                base = sp.factorial(base)
            else:
                return base

    def script(self) -> sp.Basic:
        """The argument of ^ or _: a braced group or a single token."""
        self.skip_ignored()
        if self.at("{"):
            return self.group()
        token = self.advance()
        if token.kind == "number":
            return (
                sp.Integer(token.text[0])
                if len(token.text) > 1 and "." not in token.text
                else sp.Rational(token.text)
            )
        if token.kind == "letter":
            return self.letter_symbol(token.text)
        if token.kind == "command":
            self.index -= 1
            return self.primary()
        if token.text == "-":
            return -self.script()
        raise ParseError(f"unexpected {token.text!r} in a superscript", self.text, token.column)

    def group(self, opening: str = "{", closing: str = "}") -> sp.Basic:
        self.expect(opening)
        self.nested()
        inner = self.relation()
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
            return sp.Rational(token.text) if "." in token.text else sp.Integer(token.text)
        if token.kind == "letter":
            self.advance()
            return self.name(token.text, token)
        if token.text in ("(", "["):
            closing = ")" if token.text == "(" else "]"
            inner = self.group(token.text, closing)
            return inner
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
        if name in ("frac", "dfrac", "tfrac"):
            return self.fraction(token)
        if name == "sqrt":
            index = self.group("[", "]") if self.at("[") else sp.Integer(2)
            return sp.root(self.group(), index)
        if name == "operatorname":
            return self.function(self.raw_group().replace(" ", ""), token)
        if name == "mathrm" and self.at("{"):
            word = self.raw_group().strip()
            return sp.E if word == "e" else self.name(word, token)
        if name == "pi":
            return sp.pi
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
            return self.cases(token)
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
        if not isinstance(point, sp.Eq) and not (isinstance(point, sp.Basic) and point.is_Relational):
            raise self.error("expected name=value after the evaluation bar")
        return sp.Subs(inner, point.lhs, point.rhs)

    def cases(self, token: _Token) -> sp.Basic:
        environment = self.raw_group()
        if environment != "cases":
            raise ParseError(f"unexpected environment {environment!r} in a formula", self.text, token.column)
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
                return sp.Piecewise(*pieces)

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
        return self.relation()

    def fraction(self, token: _Token) -> sp.Basic:
        start = self.index
        derivative = self.leibniz()
        if derivative is not None:
            return derivative
        self.index = start
        numerator = self.group()
        denominator = self.group()
        return numerator / denominator

    def leibniz(self) -> sp.Basic | None:
        """Derivatives: \\frac{d}{dx} ⟨term⟩, \\frac{d^2 y}{dx^2}, \\frac{d\\sigma}{du}, ∂L/∂z."""
        top = self.braced_tokens()
        bottom = self.braced_tokens()
        if top is None or bottom is None or not top or top[0].text not in ("d", r"\partial", r"\mathrm"):
            return None
        if top[0].text == r"\mathrm":  # \mathrm{d}
            return None
        order_top, quantity = _split_order(top[1:])
        if bottom[0].text != top[0].text:
            return None
        variables = _leibniz_variables(bottom, top[0].text)
        if variables is None or sum(count for _, count in variables) != order_top:
            return None
        variables = [(self.letter_symbol(name), count) for name, count in variables]
        if not quantity:  # an operator: it applies to the rest of the product
            self.nested()
            operand = self.term(stop_at_times=True)
            self.depth -= 1
            return sp.Derivative(operand, *variables)
        text = "".join(t.text if t.kind != "command" else t.text + " " for t in quantity)
        target = _LatexParser(text, self.functions, self.variable).parse()
        if isinstance(target, sp.Symbol) and (
            target.name in FUNCTION_LETTERS or target.name in self.functions
        ):
            target = self.applied(target.name, [v for v, _ in variables])
        return sp.Derivative(target, *variables)

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
        elif self.at("(", r"\left") or (self.at("{") and False):
            args = self.arguments()
        else:  # \sin x: the next factor is the argument
            self.nested()
            args = [self.power()]
            self.depth -= 1
        if name == "log" and base is not None:
            args = [*args, base]
        elif name == "atan" and base == 2:
            function = sp.atan2
        try:
            value = function(*args)
        except (TypeError, ValueError) as exc:
            raise ParseError(
                f"cannot apply {name} to these arguments ({exc})", self.text, token.column
            ) from None
        return value**exponent if exponent is not None else value

    def arguments(self) -> list[sp.Basic]:
        self.skip_ignored()
        closing = {"(": ")", "[": "]"}.get(self.token.text)
        if closing is None:
            raise self.error("expected '(' after a function name")
        self.advance()
        self.nested()
        args = [self.relation()]
        while True:
            self.skip_ignored()
            if not self.at(","):
                break
            self.advance()
            args.append(self.relation())
        self.depth -= 1
        self.skip_ignored()
        self.expect(closing)
        return args

    # -- names ------------------------------------------------------------------------------------
    def letter_symbol(self, name: str) -> sp.Symbol:
        return sp.Symbol(name)

    def name(self, name: str, token: _Token) -> sp.Basic:
        """A letter or Greek name: e, a variable, a function applied, or a derivative by primes."""
        if name == "e" and name not in self.functions:
            return sp.E
        primes = 0
        while self.at("'"):
            self.advance()
            primes += 1
        while self.at("_") and self.peek().kind in ("number", "letter", "op"):
            self.advance()
            name = f"{name}_{_plain(self.script())}"
        if (
            name in _PRINTED_AS_LETTER
            and name not in self.functions
            and self.at(r"\left")
            and self.peek().text == "("
        ):
            return self.function(name, token)
        is_function = name in self.functions or name in FUNCTION_LETTERS
        self.skip_ignored()
        exponent = None
        if is_function and self.at("^"):  # f^{2}(x), as SymPy prints f(x)**2
            start = self.index
            self.advance()
            exponent = self.script()
            if not (self.at("(") or (self.at("{") and self.peek().text == r"\left")):
                self.index, exponent = start, None
        application = None
        if is_function and (self.at("(") or (self.at("{") and self.peek().text == r"\left")):
            braced = self.at("{")
            if braced:
                self.advance()
            args = self.arguments()
            if braced:
                self.expect("}")
            if name in self.functions and primes == 0 and not _is_argument_list(args):
                # σ(1 − σ) is a product: a defined function takes names as its arguments
                return self.applied(name, None) * args[0]
            application = self.applied(name, args)
        elif name in self.functions:
            application = self.applied(name, None)
        if application is None:
            if primes:
                raise ParseError(f"{name}' needs a function: write {name}'(x)", self.text, token.column)
            return sp.Symbol(name)
        if primes:
            variable = (
                application.args[0]
                if len(application.args) == 1 and application.args[0].is_Symbol
                else self.variable
            )
            application = sp.Derivative(application, (variable, primes))
        return application if exponent is None else application**exponent

    def applied(self, name: str, args: list[sp.Basic] | None) -> sp.Basic:
        if args is None:
            args = list(self.functions.get(name, (self.variable,)))
        return sp.Function(name)(*args)


def _is_argument_list(args: list[sp.Basic]) -> bool:
    return all(isinstance(a, sp.Symbol) for a in args)


def _plain(expr: sp.Basic) -> str:
    return str(expr).replace(" ", "")


def _split_order(tokens: list[_Token]) -> tuple[int, list[_Token]]:
    """``^{2} y`` after the d: the order and the tokens of the quantity."""
    if tokens and tokens[0].text == "^":
        rest = tokens[1:]
        if rest and rest[0].text == "{":
            return int(rest[1].text), rest[3:]
        return int(rest[0].text), rest[1:]
    return 1, tokens


def _leibniz_variables(tokens: list[_Token], d: str) -> list[tuple[str, int]] | None:
    """``d x d y^{2}`` → [(x, 1), (y, 2)]."""
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
        else:
            return None
        index += 2
        if index < len(tokens) and tokens[index].text == "_":
            if tokens[index + 1].text == "{":
                name, index = f"{name}_{tokens[index + 2].text}", index + 4
            else:
                name, index = f"{name}_{tokens[index + 1].text}", index + 2
        count = 1
        if index < len(tokens) and tokens[index].text == "^":
            if tokens[index + 1].text == "{":
                count, index = int(tokens[index + 2].text), index + 4
            else:
                count, index = int(tokens[index + 1].text), index + 2
        variables.append((name, count))
    return variables or None


def parse_latex(
    text: str, functions: dict[str, tuple[sp.Symbol, ...]] | None = None, variable: sp.Symbol | None = None
) -> sp.Basic:
    """Read one LaTeX formula (no ``=``) as a SymPy expression; raises :class:`ParseError`."""
    if len(text) > 20_000:
        raise ParseError("formula longer than 20,000 characters")
    parser = _LatexParser(text, functions or {}, variable or sp.Symbol("x"))
    with recursion_room(MAX_DEPTH):
        try:
            return parser.parse()
        except RecursionError:
            raise ParseError("formula nested too deeply", text) from None
