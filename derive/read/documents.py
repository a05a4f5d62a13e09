"""Derivations from documents: LaTeX, Markdown, plain text, and derive/1 JSON.

Math is found wherever it stands (display blocks and environments, ``$…$`` and ``\\(…\\)`` in
prose). Each equation becomes claims: ``a = b = c`` is read as ``a = b`` and ``a = c``; a row
that starts with ``=`` continues the left side of the row above (``a &= b \\\\ &= c``), but never
across a separator (``\\Rightarrow``, ``\\quad``, ``\\text{and}``, a comma) nor from a row that
could not be read. A name set equal to an expression where it first appears is a definition
(``z = wx + b``, ``\\hat{y} = \\sigma(z)``, ``g(x) = x^2``), as is anything written with ``:=``,
``\\coloneqq``, ``\\equiv``, ``\\triangleq`` or ``\\stackrel{\\text{def}}{=}``; a value given in
prose ("where $x = 0$") is a point, never a definition. ``\\text{if } i \\neq j``, ``\\text{for }
x > 0``, ``, i = j`` and ``(x \\neq 0)`` after a claim are its condition. A relation that is not
an equation (``\\neq``, ``<``, ``\\le``) is not checked. Inline math that claims nothing
(``$x$``) is skipped. A ``\\text{…}`` after an equation is that step's rule. Every step
remembers its line.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field, replace
from pathlib import Path

import sympy as sp
from sympy.core.function import AppliedUndef
from sympy.logic.boolalg import BooleanAtom, BooleanFunction

from .. import formats
from ..budgets import expression_depth, recursion_room
from ..errors import DeriveError, ParseError
from ..model import Definition, Derivation, Kind, Step
from ..parse import ALIASES, FUNCTIONS, parse
from ..printing import latex, pretty
from . import segments as seg
from .latex_math import FUNCTION_LETTERS, INDEX_LETTERS, KNOWN_FUNCTIONS, normalise, parse_latex

_DEFINING = re.compile(
    r"\b(let|where|define|defining|with|set|setting|denote|so|and|given|here|put|definition"
    r"|defined as|defined by|assuming|assume|since|if|for|consider|take|suppose|now)\s*[:,]?\s*$",
    re.I,
)
_ASSUMING = re.compile(r"\b(with|given|assuming|assume|if)\s*[:,]?\s*$", re.I)
_POINT = re.compile(r"\b(at|where|when|for|with|if|setting|evaluated at|plug in|put)\s*[:,]?\s*$", re.I)
_DEFINITION_RELATIONS = (
    ":=",
    r"\coloneqq",
    r"\mathrel{:=}",
    r"\equiv",
    r"\triangleq",
    r"\doteq",
    r"\eqqcolon",
)
_NOT_EQUATIONS = {
    "!=": "≠",
    r"\ne": "≠",
    r"\neq": "≠",
    "<": "<",
    ">": ">",
    "<=": "≤",
    ">=": "≥",
    r"\le": "≤",
    r"\leq": "≤",
    r"\ge": "≥",
    r"\geq": "≥",
    r"\leqslant": "≤",
    r"\geqslant": "≥",
    r"\lt": "<",
    r"\gt": ">",
    r"\approx": "≈",
    r"\sim": "∼",
    **{sign: sign for sign in "≠≤≥"},  # typed in plain text
}
_SIGMOID_PHRASE = re.compile(
    r"\b(the\s+sigmoid|the\s+logistic\s+(?:sigmoid\s+)?function|logistic\s+sigmoid)\b", re.I
)
_SIGMOID = sp.Lambda(sp.Symbol("x"), 1 / (1 + sp.exp(-sp.Symbol("x"))))
_NAME = r"\\?[A-Za-z]+|\\(?:hat|bar|tilde)\{[A-Za-z]\}"
_FUNCTION_LHS = re.compile(
    rf"^({_NAME})\s*\{{?\s*(?:\\left)?\s*\(\s*([A-Za-z](?:\s*,\s*[A-Za-z])*)\s*(?:\\right)?\s*\)\s*\}}?$"
)
_INDEXED_LHS = re.compile(rf"^({_NAME})_\{{?([{''.join(sorted(INDEX_LETTERS))}]{{1,2}})\}}?$")


@dataclass
class _Claim:
    """One relation read from the document, before its sides are parsed."""

    lhs: str  # "" continues the previous left side
    relation: str  # "" for a formula with no relation
    rhs: str
    rule: str
    line: int
    defining: bool = False  # introduced by "Let", "where", … in the text
    point: bool = False  # a value given in prose: "at $x = 1$"
    conditions: list[str] = field(default_factory=list)
    breaks: bool = False  # a separator stands before it: it does not continue a chain
    introduced: str = ""  # the word in the prose that introduced it ("let", "for", …)

    @property
    def source(self) -> str:
        """The claim as its author wrote it: ``= rhs`` for a row that continues a chain."""
        return " ".join(part for part in (self.lhs, self.relation, self.rhs) if part)


@dataclass
class _Document:
    title: str = ""
    claims: list[_Claim] = field(default_factory=list)
    sigmoid_named: bool = False  # the text says "the sigmoid" or "the logistic function"


def load(
    source: str | Path, format: str | None = None, definitions: Sequence[str | Definition] = ()
) -> Derivation:
    """Read a derivation from a file path or from text, without checking it.

    ``format`` is a format derive reads (``latex``, ``markdown``, ``text``, ``json``,
    ``notebook``); by default it follows the file's extension, or for text, its content.
    ``definitions`` add to the document's own (``"sigma(x)=1/(1+exp(-x))"``, or
    :class:`Definition` objects); the document's win. Raises :class:`DeriveError` (with line
    and column) when the document cannot be read.
    """
    text, fmt, name = _source(source, format)
    given = [d if isinstance(d, Definition) else parse_definition(d) for d in definitions]
    return formats.get(fmt).reader()(text, given, name=name)


def read_document(text: str, fmt: str, definitions: Sequence[Definition] = (), name: str = "") -> Derivation:
    """The claims of a LaTeX, Markdown or plain-text document (``fmt``), not yet verified;
    ``name`` is its title when the text gives none."""
    document = _text_claims(text) if fmt == "text" else _tex_claims(text, markdown=fmt == "markdown")
    if not document.claims:
        raise DeriveError(f"no equations found in {name or 'the input'}")
    return _assemble(document, fmt, document.title or name or "the input", list(definitions))


def check(
    source: str | Path, format: str | None = None, definitions: Sequence[str | Definition] = ()
) -> Derivation:
    """Read a derivation (see :func:`load`) and verify every step."""
    from ..verify import verify

    return verify(load(source, format, definitions))


def parse_definition(text: str) -> Definition:
    """``sigma(x)=1/(1+exp(-x))`` or ``u = x^2``, in the expression dialect, as a definition."""
    left, equals, right = text.partition("=")
    match = re.fullmatch(
        r"\s*([A-Za-z_][A-Za-z0-9_]*)\s*(?:\(\s*([A-Za-z_][A-Za-z0-9_]*(?:\s*,\s*[A-Za-z_][A-Za-z0-9_]*)*)\s*\))?\s*",
        left,
    )
    if not equals or match is None or not right.strip():
        raise DeriveError(f"cannot read the definition {text!r}; write NAME=EXPR or NAME(x)=EXPR")
    name, parameters = match.group(1), match.group(2)
    rhs = parse(right, "math")
    if parameters is None:
        return Definition(sp.Symbol(name), rhs)
    symbols = [sp.Symbol(p.strip()) for p in parameters.split(",")]
    return Definition(sp.Function(name)(*symbols), rhs)


def _source(source: str | Path, format: str | None) -> tuple[str, str, str]:
    if format is not None and format not in formats.READ:
        raise DeriveError(f"unknown input format {format!r}; choose one of {', '.join(formats.READ)}")
    path = (
        Path(source)
        if isinstance(source, Path)
        or (len(str(source)) < 4096 and "\n" not in str(source) and Path(str(source)).is_file())
        else None
    )
    if path is not None:
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise DeriveError(f"cannot read {path}: {getattr(exc, 'strerror', None) or exc}") from None
        implied = formats.for_path(path)
        fmt = format or (implied.name if implied is not None and implied.reads else None)
        if fmt is None:
            raise DeriveError(f"cannot tell the format of {path}; use --from {'|'.join(formats.READ)}")
        return text, fmt, path.name
    text = str(source)
    return text, format or _guess(text), "the input"


def _guess(text: str) -> str:
    stripped = text.lstrip()
    if stripped.startswith("{"):
        return "json"
    if "\\begin{" in text or "\\[" in text or "\\frac" in text:
        return "latex"
    if "$$" in text or "$" in text:
        return "markdown"
    return "text"


def _line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def _strip_comments(text: str) -> str:
    """LaTeX comments removed, line structure kept (so line numbers stay right)."""
    return "\n".join(re.sub(r"(?<!\\)%.*", "", line) for line in text.split("\n"))


# -- LaTeX and Markdown -------------------------------------------------------------------------------
def _tex_claims(text: str, markdown: bool) -> _Document:
    source = seg.blank_code(text) if markdown else _strip_comments(text)
    document = _Document(title=_title(source, markdown))
    document.sigmoid_named = bool(_SIGMOID_PHRASE.search(seg.prose_outside_math(source)))
    for segment in seg.math_segments(source):
        first_line = _line_of(source, segment.offset)
        rule = _markdown_rule(source, segment.offset) if markdown and segment.display else ""
        prose = segment.prose[-60:]
        claims = _segment_claims(segment.body, first_line, rule)
        if not segment.display:
            # $x$, $\Phi(\cdot)$ claim nothing; $\sigma > 0$ in prose is an assumption
            claims = [c for c in claims if c.relation and c.relation not in _NOT_EQUATIONS]
            if claims and _POINT.search(prose) and all(_is_value(c) for c in claims):
                for claim in claims:
                    claim.point = True
            elif claims and _DEFINING.search(prose):
                claims[0].defining = True
                claims[0].introduced = _DEFINING.search(prose).group(1).lower()
                if _ASSUMING.search(prose) and not _definable_text(claims[0].lhs):
                    claims[0].point = True  # "with $\sum_k y_k = 1$": a premise, not a claim
        document.claims += claims
    return document


def _definable_text(lhs: str) -> bool:
    """A name, a function of names or an indexed name: what a definition's left side looks like."""
    text = lhs.strip()
    return bool(re.fullmatch(_NAME, text) or _function_lhs(text))


def _is_value(claim: _Claim) -> bool:
    """``x = 0``, ``x = \\pm\\frac{1}{\\sqrt 2}``: a name given a number; or an equation to
    solve (``where $4x^2 - 2 = 0$``) rather than an identity."""
    if not _definable_text(claim.lhs):
        return True
    numeric = re.sub(r"\\[A-Za-z]+", "", claim.rhs)
    return bool(re.fullmatch(r"\s*\\?[A-Za-z]+\s*", claim.lhs)) and not re.search(r"[A-Za-z]", numeric)


def _title(text: str, markdown: bool) -> str:
    pattern = r"^#\s+(.+)$" if markdown else r"\\(?:section|title|subsection)\*?\{([^}]*)\}"
    match = re.search(pattern, text, re.MULTILINE)
    return match.group(1).strip() if match else ""


def _markdown_rule(text: str, position: int) -> str:
    """The rule named in bold just before a math block (``**3. chain rule** — …``)."""
    before = text[:position].rstrip("$ \n").rsplit("\n\n", 2)
    for paragraph in reversed(before[-2:]):
        match = re.match(r"\*\*(?:\d+\.\s*)?(.+?)\*\*", paragraph.strip())
        if match:
            return match.group(1).strip()
        if paragraph.strip().startswith("$$"):
            break
    return ""


def _segment_claims(body: str, first_line: int, rule: str) -> list[_Claim]:
    claims: list[_Claim] = []
    for row in seg.rows(body, first_line):
        claims += _row_claims(normalise(row.text), row.line, rule)
    return claims


_AMPERSAND = re.compile("&")
_TRAILING = re.compile(r"(?<!\\)[.,;:]+\s*$")
_CONDITIONAL = re.compile(r"\\(?:neq|leq|geq|lt|gt)(?![A-Za-z])|[<>]|!=")


def _row_claims(row: str, line: int, rule: str) -> list[_Claim]:
    """The claims of one row, with the conditions that follow them."""
    found, annotation = seg.pieces(row)
    claims: list[_Claim] = []
    in_row: list[_Claim] = []  # the claims of the current stretch, which a condition applies to
    for piece in found:
        text = " ".join(p for p, _ in seg.split_top(piece.text, _AMPERSAND)).strip()
        text = _TRAILING.sub("", text).strip()  # the sentence's full stop, not a \; space
        wrapped = re.fullmatch(r"(?:\\left)?\(\s*(.*?)\s*(?:\\right)?\)", text)
        if piece.before == "condition" or (
            in_row and (_is_condition(text) or (wrapped and _is_condition(wrapped.group(1))))
        ):
            condition = wrapped.group(1) if wrapped and piece.before != "condition" else text
            for claim in in_row:
                claim.conditions.append(condition)
            continue
        parts = seg.split_top(text, seg.RELATION, brackets=True)
        if len(parts) == 1:
            if piece.before == "" and not claims:
                claims.append(_Claim(text, "", "", annotation or rule, line))  # a lone formula
            continue
        lhs = parts[0][0].strip()
        stretch = []
        for part, relation in parts[1:]:
            claim = _Claim(lhs, relation, part.strip(), annotation or rule, line)
            claim.defining = piece.before == "definition"
            claim.breaks = piece.before in ("break", "comma", "definition") or bool(claims)
            stretch.append(claim)
            if relation in _NOT_EQUATIONS:
                lhs = part.strip()  # a < b < c: each relation between neighbours
        if piece.before in ("break", "comma", "definition") or not in_row:
            in_row = stretch
        else:
            in_row += stretch
        claims += stretch
    # a lone formula next to claims in the same row is prose-like decoration: drop it
    if any(c.relation for c in claims):
        claims = [c for c in claims if c.relation]
    return claims


def _is_condition(text: str) -> bool:
    """``i = j``, ``x > 0``, ``i \\neq j``: what a claim is restricted to, not a claim."""
    parts = seg.split_top(text, seg.RELATION, brackets=True)
    if len(parts) != 2:
        return len(parts) == 3 and all(r in _NOT_EQUATIONS for _, r in parts[1:])  # 0 < x < 1
    (left, _), (right, relation) = parts
    if relation in _NOT_EQUATIONS and relation not in (r"\approx", r"\sim"):
        return True
    indices = "".join(sorted(INDEX_LETTERS))
    return relation == "=" and bool(
        re.fullmatch(rf"\s*[{indices}]\s*", left) and re.fullmatch(rf"\s*[{indices}0-9]\s*", right)
    )


# -- plain text -----------------------------------------------------------------------------------------
_TEXT_DEFINITION = re.compile(r"^\s*(let|where|define|with|set)\s+(.*)$", re.IGNORECASE)
_TEXT_SEPARATOR = re.compile(r"=>|->|,|;|\b(?:and|so|then|hence|thus|therefore)\b", re.I)
_TEXT_CONDITION = re.compile(r"\b(?:if|for|when|where)\s+", re.I)
_TEXT_RELATION = re.compile(r":=|!=|<=|>=|==|=|<|>|≠|≤|≥")


def _text_claims(text: str) -> _Document:
    document = _Document()
    for number, raw in enumerate(text.split("\n"), 1):
        line, _, comment = raw.partition("#")
        if not line.strip():
            # the title is the first comment, after the reading derive writes above it
            reading = comment.strip().startswith("Reading:")
            if not document.title and comment.strip() and number <= 2 and not reading:
                document.title = comment.strip()
            continue
        defining = _TEXT_DEFINITION.match(line)
        body = defining.group(2) if defining else line
        body, _, condition = body.partition(" if ") if " if " in body else (body, "", "")
        if not condition:
            found = _TEXT_CONDITION.split(body, maxsplit=1)
            if len(found) == 2 and _is_text_condition(found[1]):
                body, condition = found
        before = len(document.claims)
        for index, (piece, separator) in enumerate(seg.split_top(body, _TEXT_SEPARATOR, brackets=True)):
            piece = piece.strip()
            if not piece:
                continue
            if index and document.claims[before:] and _is_text_condition(piece):
                for claim in document.claims[before:]:
                    claim.conditions.append(piece)
                continue
            parts = seg.split_top(piece, _TEXT_RELATION, brackets=True)
            lhs = parts[0][0].strip()
            for part, relation in parts[1:]:
                claim = _Claim(lhs, relation, part.strip(), comment.strip(), number, bool(defining))
                claim.breaks = bool(separator)
                document.claims.append(claim)
            if len(parts) == 1 and len(document.claims) == before:
                document.claims.append(_Claim(lhs, "", "", comment.strip(), number))
        if condition.strip():
            for claim in document.claims[before:]:
                claim.conditions.append(condition.strip())
    return document


def _is_text_condition(text: str) -> bool:
    parts = seg.split_top(text, _TEXT_RELATION, brackets=True)
    if len(parts) != 2:
        return False
    (left, _), (right, relation) = parts
    if relation in ("!=", "<", ">", "<=", ">=", "≠", "≤", "≥"):
        return True
    return relation == "=" and bool(
        re.fullmatch(r"\s*[ijklm]\s*", left) and re.fullmatch(r"\s*[ijklm0-9]\s*", right)
    )


_TEXT_DERIVATIVE = re.compile(
    r"d/d((?:alpha|beta|gamma|delta|epsilon|theta|lambda|mu|phi|rho|sigma|tau|omega)(?![A-Za-z])"
    r"|[A-Za-z](?:_[A-Za-z0-9]+)?)\s*\("
)


_X = sp.Symbol("x")
_TEXT_LEIBNIZ = re.compile(
    r"(?<![A-Za-z0-9_])d(?:\^?([23])|([²³]))?([A-Za-z])\s*/\s*d([A-Za-z])(?:\^?[23]|[²³])?(?![A-Za-z0-9_(])"
)


_TEXT_D_OF_NAME = re.compile(r"d/d[A-Za-z]\s*\(\s*([yuv])\s*\)")


def _leibniz_call(match: re.Match[str]) -> str:
    """``d²y/dx²`` → ``d/dx(d/dx(y))``."""
    order = int(match.group(1) or {"²": 2, "³": 3}.get(match.group(2) or "", 1))
    return f"d/d{match.group(4)}(" * order + match.group(3) + ")" * order


_TEXT_PRIME = r"\b([A-Za-z]\w*)('+)(\s*\(\s*{}\s*\))?(\s*\()?"  # name, primes, (x), any other (


def _parse_text(
    formula: str, functions: dict[str, tuple[sp.Symbol, ...]], variable: sp.Symbol = _X
) -> sp.Basic:
    """The math dialect, plus d/dx(…) and y': rewritten to a marker function d/dx."""

    def derivative(match: re.Match[str]) -> str:
        # f'(x) is d/dx(f(x)), never f' times (x); y' alone is d/dx(y)
        if match.group(4):
            raise DeriveError(
                f"{match.group(1)}{match.group(2)}(…) at another point than {variable.name} is not read here"
            )
        inner = match.group(1) + (f"({variable.name})" if match.group(3) else "")
        return f"d/d{variable.name}(" * len(match.group(2)) + inner + ")" * len(match.group(2))

    # dy/dx and d²y/dx² (d^2y/dx^2) are derivatives of y, never d·y/(d·x)
    formula = _TEXT_LEIBNIZ.sub(_leibniz_call, formula)
    formula = re.sub(_TEXT_PRIME.format(re.escape(variable.name)), derivative, formula)
    marked = _TEXT_DERIVATIVE.sub(lambda m: f"dd_{m.group(1)}(", formula)
    names = frozenset(functions) | {f"dd_{m.group(1)}" for m in _TEXT_DERIVATIVE.finditer(formula)}
    marked, outer = _outer_derivatives(marked)
    expr = parse(marked, "math", names)
    for name in reversed(outer):
        expr = sp.Function(name)(expr)
    with recursion_room(expression_depth(expr)):
        expr = expr.replace(
            lambda e: isinstance(e, AppliedUndef) and e.func.__name__.startswith("dd_"),
            lambda e: sp.Derivative(e.args[0], sp.Symbol(e.func.__name__[3:])),
        )
        bare = {sp.Symbol(name): sp.Function(name)(*params) for name, params in functions.items()}
        return expr.xreplace(bare)


def _outer_derivatives(marked: str) -> tuple[str, list[str]]:
    """``dd_x(f)`` filling a whole side → (``f`` blanked in place, so that columns stay right;
    the markers, outermost first). d/dx(…) around a side says what is claimed about an
    expression, which may itself be as deep as the parser accepts: its bracket is not one more
    level of the expression."""
    outer: list[str] = []
    while (match := _OUTER_MARK.match(marked)) and _closes_at_end(marked, match.end() - 1):
        outer.append(match.group(1))
        end = marked.rstrip()
        marked = " " * match.end() + end[match.end() : -1] + " " * (len(marked) - len(end) + 1)
    return marked, outer


_OUTER_MARK = re.compile(r"\s*(dd_[A-Za-z]\w*)\(")


def _closes_at_end(text: str, opening: int) -> bool:
    """True when the bracket opened at ``opening`` is closed by the last character of ``text``."""
    depth = 0
    end = len(text.rstrip()) - 1
    for index in range(opening, end + 1):
        depth += {"(": 1, ")": -1}.get(text[index], 0)
        if depth == 0:
            return index == end
    return False


# -- from claims to a derivation ------------------------------------------------------------------------
def _name_of(text: str) -> str:
    """``\\hat{y}`` → ``yhat``, ``\\sigma`` → ``sigma``: the name the LaTeX reader gives."""
    accent = re.fullmatch(r"\\(hat|bar|tilde)\{([A-Za-z])\}", text)
    return f"{accent.group(2)}{accent.group(1)}" if accent else text.lstrip("\\")


def _function_lhs(lhs: str) -> tuple[str, tuple[sp.Symbol, ...]] | None:
    text = lhs.replace("{\\left(", "(").replace("\\right)}", ")").strip()
    match = _FUNCTION_LHS.match(text)
    if match:
        return _name_of(match.group(1)), tuple(sp.Symbol(p.strip()) for p in match.group(2).split(","))
    match = _INDEXED_LHS.match(text)
    if match:
        return _name_of(match.group(1)), tuple(sp.Symbol(c, integer=True) for c in match.group(2))
    return None


_PRIMED = re.compile(r"([A-Za-z])\s*'")
_LEIBNIZ_NAME = re.compile(r"\\frac\s*\{\s*d\s*(?:\^\{?\d\}?)?\s*([A-Za-z])\s*\}\s*\{\s*d\s*([A-Za-z])")
# dσ/dx on a σ that no formula applies or defines: σ is a quantity that depends on x
_LEIBNIZ_GREEK = re.compile(
    r"\\frac\s*\{\s*d\s*(?:\^\{?\d\}?)?\s*\\(sigma|phi|varphi)\s*\}\s*\{\s*d\s*[A-Za-z]"
)
# σ squared, or compared with a number, is a scale (a standard deviation), not a function
_SCALAR = {
    name: re.compile(rf"\\{name}\s*(?:\^\s*\{{?\s*2\s*\}}?(?!\s*(?:\\left\s*)?\()|>|\\geq|\\neq)")
    for name in ("sigma", "phi", "varphi")
}
# function letters without a backslash, and each one written before an argument: f(x), f'(x),
# f^{\prime}(x), g \left( x \right)
_LETTER_FUNCTIONS = ("f", "g", "h", "F", "G", "H")
_APPLIED = {
    letter: re.compile(
        rf"(?<![A-Za-z\\]){letter}\s*"
        r"(?:'|\^\s*\{?\s*\\prime\s*\}?|\^\s*\{\s*\(\d+\)\s*\})*"  # f', f^{\prime}, f^{(2)}
        r"\s*(?:\\left\s*)?\("
    )
    for letter in _LETTER_FUNCTIONS
}
_APPLIED_GREEK = re.compile(r"(?:\\|(?<![A-Za-z]))(sigma|phi|varphi)\s*(?:\\left\s*)?\(")
# Greek letters typed in Unicode, as the names the readers give them (σ → sigma)
_GREEK_NAMES = dict(
    zip(
        "αβγδεζηθικλμνξπρστυφχψωΓΔΘΛΞΠΣΦΨΩ",
        "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi pi rho sigma tau "
        "upsilon phi chi psi omega Gamma Delta Theta Lambda Xi Pi Sigma Phi Psi Omega".split(),
        strict=True,
    )
)
_GREEK = re.compile(f"[{''.join(_GREEK_NAMES)}]")


def _spelled(text: str) -> str:
    """``2σ(x)`` → ``2 sigma(x)``, ``d/dθ`` → ``d/dtheta``: each letter its name, kept apart
    from a name or number just before it (2σ is 2·σ)."""

    def name(match: re.Match[str]) -> str:
        before = text[match.start() - 1] if match.start() else " "
        apart = before.isalnum() and not text[: match.start()].endswith("d/d")
        return (" " if apart else "") + _GREEK_NAMES[match.group(0)]

    return _GREEK.sub(name, text)


_VARIABLE = re.compile(
    r"\\frac\s*\{\s*(?:d|\\partial)[^{}]*\}\s*\{\s*(?:d|\\partial)\s*([A-Za-z])\s*(?:\^\{?\d\}?)?\s*\}|d/d([A-Za-z])"
)


def _assemble(document: _Document, fmt: str, title: str, given: list[Definition]) -> Derivation:
    # what is done with a formula once read (its names, its derivatives, its versions) walks it
    # with SymPy's recursion: the room grows with the deepest formula read, until the end
    with ExitStack() as rooms:
        return _assemble_in(document, fmt, title, given, rooms)


def _quantity_letters(claims: list[_Claim], everything: str, functions: dict[str, tuple]) -> frozenset[str]:
    """Letters the reader takes for functions (f, g, h) that the document defines as a quantity,
    ``f = x^2 \\sin x`` or ``f = \\frac{1}{n}\\sum …``, and never applies to an argument: ``f'`` and
    ``∂f/∂m`` are then the derivatives of that quantity, as they are for ``u``."""
    bare = {
        claim.lhs.strip()
        for claim in claims
        if claim.lhs.strip() in _LETTER_FUNCTIONS
        and (claim.relation == "=" or claim.relation in _DEFINITION_RELATIONS)
    }
    return frozenset(
        letter for letter in bare if letter not in functions and not _APPLIED[letter].search(everything)
    )


def _assemble_in(
    document: _Document, fmt: str, title: str, given: list[Definition], rooms: ExitStack
) -> Derivation:
    claims = document.claims
    deepest = 0
    sources = {id(claim): claim.source for claim in claims}  # before the spellings are made one
    for claim in claims:
        if fmt != "text":
            claim.lhs, claim.rhs = normalise(claim.lhs), normalise(claim.rhs)
        else:  # σ typed in Unicode is the name sigma, as \sigma is in LaTeX
            claim.lhs, claim.rhs = _spelled(claim.lhs), _spelled(claim.rhs)
    everything = " ".join(f"{c.lhs} {c.rhs}" for c in claims)
    variable = _guess_variable(everything, claims)
    functions = _functions(claims, everything, variable, given, document.sigmoid_named)
    scalars = frozenset(
        name
        for name in ("sigma", "phi", "varphi")
        if name not in functions and _SCALAR[name].search(everything)
    ) | _quantity_letters(claims, everything, functions)

    def read(formula: str, line: int) -> sp.Basic:
        quoted = " ".join(formula.split())  # one line, backslashes as written
        try:
            if fmt == "text":
                expr = _parse_text(formula, functions, variable)
            else:
                expr = parse_latex(formula, functions, variable, scalars)
        except ParseError as exc:
            column = f", column {exc.column}" if exc.column else ""
            raise DeriveError(f"line {line}{column}: {exc.message} in '{quoted}'") from None
        except DeriveError as exc:
            raise DeriveError(f"line {line}: {exc} in '{quoted}'") from None
        except (TypeError, ValueError, AttributeError, IndexError, KeyError, NotImplementedError) as exc:
            # SymPy refused to build something the grammar accepted: the row is not read
            raise DeriveError(f"line {line}: cannot read '{quoted}' ({type(exc).__name__})") from None
        if isinstance(expr, (sp.core.relational.Relational, BooleanAtom, BooleanFunction)):
            raise DeriveError(f"line {line}: a relation where an expression was expected in '{quoted}'")
        if isinstance(expr, sp.MatrixBase):
            raise DeriveError(f"line {line}: a matrix claim is not checked yet in '{quoted}'")
        nonlocal deepest
        depth = expression_depth(expr)
        if depth > deepest:
            deepest = depth
            rooms.enter_context(recursion_room(depth))
        return expr

    def as_written(formula: str, line: int) -> sp.Basic | None:
        """``formula`` read without evaluating anything, to show it in its author's order and
        grouping; None where that reading fails (the claim is then shown as it was checked)."""
        try:
            with sp.evaluate(False):
                written = read(formula, line)
            # unevaluated, d/dx(d/dx(f)) can hold an order SymPy cannot print: show the checked form
            # the printers recurse a few frames per level: as deep as the parser accepts
            with recursion_room(expression_depth(written)):
                orders = (count for d in written.atoms(sp.Derivative) for _, count in d.variable_count)
                if all(count.is_Integer for count in orders):
                    latex(written), pretty(written)  # a form the views cannot print is not shown
                    return written
        except (DeriveError, ArithmeticError, TypeError, ValueError, AttributeError, IndexError, KeyError):
            pass
        return None

    definitions: list[Definition] = []
    steps: list[Step] = []
    seen: set[str] = set()  # names that have appeared so far
    previous_lhs: sp.Basic | None = None
    previous_written: sp.Basic | None = None  # previous_lhs as its author wrote it
    relation: sp.Basic | None = None  # x^2 + y^2 = 1, which later claims follow from
    versions = _Versions()
    implicit = {sp.Function(n)(variable) for n, p in functions.items() if p == ("implicit",)}
    for name in [n for n, p in functions.items() if p == ("implicit",)]:
        functions[name] = (variable,)
    for claim in claims:
        if claim.point:
            continue  # "at $x = 1$": a value given, not a claim and not a definition
        if not claim.relation:
            continue  # a formula that claims nothing
        if claim.breaks and not claim.lhs:
            previous_lhs = None
        source = sources[id(claim)]
        if claim.relation in _NOT_EQUATIONS:
            steps.append(
                _unreadable(
                    claim,
                    source,
                    f"'{_NOT_EQUATIONS[claim.relation]}' is not an equation; only equations are checked",
                )
            )
            previous_lhs = None
            continue
        left_read: sp.Basic | None = None
        try:
            if claim.lhs:
                lhs = left_read = read(claim.lhs, claim.line)
            elif previous_lhs is not None:
                lhs = previous_lhs
            else:
                raise DeriveError(f"line {claim.line}: '=' continues a row that was not read")
            rhs = read(claim.rhs, claim.line)
            condition = _condition(claim, read)
        except DeriveError as exc:
            steps.append(_unreadable(claim, source, str(exc)))
            if claim.lhs:
                # the rows below continue this left side if it was read, never an older one
                previous_lhs = left_read
                previous_written = None if left_read is None else as_written(claim.lhs, claim.line)
            continue
        written_lhs = as_written(claim.lhs, claim.line) if claim.lhs else previous_written
        written_rhs = as_written(claim.rhs, claim.line)
        written = None if written_lhs is None or written_rhs is None else (written_lhs, written_rhs)
        names = {_symbol_name(s) for s in (lhs.free_symbols | rhs.free_symbols)} | {
            f.func.__name__ for f in (lhs.atoms(AppliedUndef) | rhs.atoms(AppliedUndef))
        }
        raw_lhs = lhs
        lhs, rhs = versions.current(lhs) if claim.lhs else lhs, versions.current(rhs)
        condition = None if condition is None else versions.current(condition)
        redefined = _defining(lhs, definitions)
        if (
            redefined is not None
            and claim.introduced in _NEW_EXAMPLE
            and _definable(lhs)
            and not _is_generic(redefined.rhs, definitions)
            and not rhs.has(_head(lhs))
        ):
            # "Let f(x) = sin x" after "Let f(x) = x^2": a new example, so a new f from here on
            lhs = versions.new(raw_lhs, definitions)
            definitions.append(Definition(lhs, rhs, claim.rule))
            seen |= names
            previous_lhs = lhs
            previous_written = written_lhs
            continue
        generic = next((d for d in definitions if d.lhs == lhs and _is_generic(d.rhs, definitions)), None)
        if generic is not None and claim.defining and not rhs.has(lhs):
            # "y = f(u), u = g(x)" states a rule in general; "Put u = 3x^2 + 1" is the example
            definitions[definitions.index(generic)] = Definition(lhs, rhs, claim.rule)
        elif _is_definition(claim, lhs, rhs, definitions, seen, implicit):
            definitions.append(Definition(lhs, rhs, claim.rule))
        elif relation is None and implicit and _is_relation(lhs, rhs, implicit):
            relation = sp.Eq(lhs, rhs, evaluate=False)
        else:
            if relation is not None:
                condition = relation if condition is None else sp.And(relation, condition)
            steps.append(
                Step(
                    lhs,
                    rhs,
                    claim.rule,
                    "",
                    line=claim.line,
                    condition=condition,
                    source=source,
                    written=written,
                )
            )
        seen |= names
        previous_lhs = lhs
        previous_written = written_lhs
    known = {d.lhs.func if isinstance(d.lhs, AppliedUndef) else d.lhs for d in definitions}
    for definition in given:
        key = definition.lhs.func if isinstance(definition.lhs, AppliedUndef) else definition.lhs
        if key not in known:
            definitions.append(definition)
    if document.sigmoid_named and sp.Function("sigma") not in known and "sigma" in functions:
        parameters = functions["sigma"]
        if len(parameters) == 1 and sp.Function("sigma") not in {
            d.lhs.func for d in definitions if isinstance(d.lhs, AppliedUndef)
        }:
            definitions.append(
                Definition(
                    sp.Function("sigma")(*parameters), _SIGMOID(*parameters), "the sigmoid, as the text says"
                )
            )
    if not steps:
        raise DeriveError("the document defines names but claims no step to check")
    variable = _variable(steps, definitions, variable)
    last = next((s for s in reversed(steps) if s.kind is not Kind.UNREADABLE), steps[-1])
    return Derivation(
        title,
        variable,
        tuple(definitions),
        tuple(steps),
        replace(last, rule="result"),
        result_is_added=True,
    )


def _symbol_name(symbol: sp.Basic) -> str:
    return symbol.name if isinstance(symbol, sp.Symbol) else str(symbol)


def _guess_variable(text: str, claims: list[_Claim]) -> sp.Symbol:
    """The variable things are differentiated by: d/dz → z; else a defined function's parameter."""
    for match in _VARIABLE.finditer(text):
        name = match.group(1) or match.group(2)
        if name:
            return sp.Symbol(name)
    for claim in claims:
        found = _function_lhs(claim.lhs)
        # sin(y) = x is a relation, not a definition of sin: y is not the variable
        known = found is not None and (found[0] in FUNCTIONS or found[0] in ALIASES)
        if found and found[1] and not found[1][0].is_integer and not known:
            return found[1][0]
    return sp.Symbol("x")


def _functions(
    claims: list[_Claim], everything: str, variable: sp.Symbol, given: list[Definition], sigmoid: bool
) -> dict[str, tuple]:
    """Names that are functions, known before anything is parsed (σ alone then means σ(x))."""
    functions: dict[str, tuple] = {}
    for definition in given:
        if isinstance(definition.lhs, AppliedUndef):
            functions[definition.lhs.func.__name__] = definition.lhs.args
    for claim in claims:
        if claim.relation and claim.relation not in _NOT_EQUATIONS and not claim.point:
            found = _function_lhs(claim.lhs)
            if found and found[0] not in KNOWN_FUNCTIONS and found[0] not in functions:
                functions[found[0]] = found[1]
    for match in _APPLIED_GREEK.finditer(everything):
        if not _SCALAR[match.group(1)].search(everything):
            functions.setdefault(match.group(1), (variable,))
    if sigmoid and re.search(r"\\sigma(?![A-Za-z])", everything):
        functions.setdefault("sigma", (variable,))
    defining = [
        (index, _name_of(c.lhs.strip()))
        for index, c in enumerate(claims)
        if re.fullmatch(_NAME, c.lhs.strip()) and (c.relation == "=" or c.relation in _DEFINITION_RELATIONS)
    ]

    def used_before(name: str, index: int) -> bool:
        """x² + y² = 1 before y = √(1 − x²): y was a quantity on a curve first (a use in a
        definition, u := g(v) before v := h(x), does not count)."""
        word = re.compile(rf"(?<![A-Za-z\\]){re.escape(name)}(?![A-Za-z])")
        earlier = {i for i, _ in defining if i < index}
        return any(word.search(f"{c.lhs} {c.rhs}") for i, c in enumerate(claims[:index]) if i not in earlier)

    defined_names = {name for index, name in defining if not used_before(name, index)}
    # y' or dy/dx on a name nobody defines: y is a function of the variable (implicit differentiation)
    # (dc/dx alone is read as a constant's derivative, as SymPy writes it; y, u and v are the
    # names people give a dependent quantity)
    leibniz = [m for m in _LEIBNIZ_NAME.finditer(everything) if m.group(1) in "yuv"]
    # letters in command names (\sigma') are not names; letters written together are (uv')
    names = [m.group(1) for m in (*_PRIMED.finditer(re.sub(r"\\[A-Za-z]+", " ", everything)), *leibniz)]
    # the same in plain text: dy/dx, d²y/dx², d/dx(y)
    names += [m.group(3) for m in _TEXT_LEIBNIZ.finditer(everything) if m.group(3) in "yuv"]
    names += _TEXT_D_OF_NAME.findall(everything)
    for name in names:
        if name == "d" or name in functions or name in FUNCTION_LETTERS or name in defined_names:
            continue
        if name == variable.name or name == "e":
            continue
        functions[name] = ("implicit",)
    for match in _LEIBNIZ_GREEK.finditer(everything):
        if match.group(1) not in functions and match.group(1) not in defined_names:
            functions[match.group(1)] = ("implicit",)
    return functions


def _is_definition(
    claim: _Claim,
    lhs: sp.Basic,
    rhs: sp.Basic,
    definitions: list[Definition],
    seen: set[str],
    implicit: set[sp.Basic],
) -> bool:
    named = isinstance(lhs, sp.Symbol) or (
        isinstance(lhs, AppliedUndef)
        and all(isinstance(a, sp.Symbol) for a in lhs.args)
        and lhs not in implicit
    )
    if not named or any(
        d.lhs == lhs or (isinstance(lhs, AppliedUndef) and getattr(d.lhs, "func", None) == lhs.func)
        for d in definitions
    ):
        return False
    name = lhs.name if isinstance(lhs, sp.Symbol) else lhs.func.__name__
    if rhs.has(lhs) or (isinstance(lhs, AppliedUndef) and rhs.has(lhs.func)):
        return False
    if claim.relation in _DEFINITION_RELATIONS or claim.relation.startswith((r"\stackrel", r"\overset")):
        return True
    if claim.defining:
        return True
    # a name set equal to something where it first appears defines it
    return name not in seen and not rhs.is_number


_NEW_EXAMPLE = frozenset("let for consider take suppose put now define defining set setting denote".split())


def _definable(lhs: sp.Basic) -> bool:
    """A name, or a function of names: what a definition can give a value to."""
    return isinstance(lhs, sp.Symbol) or (
        isinstance(lhs, AppliedUndef) and all(isinstance(a, sp.Symbol) for a in lhs.args)
    )


class _Versions:
    """Names defined again for a new example (``f``, then ``f_2``): the one meant from here on."""

    def __init__(self) -> None:
        self.renamed: dict[sp.Basic, sp.Basic] = {}  # the name as written -> its current version

    def current(self, expr: sp.Basic) -> sp.Basic:
        for old, new in self.renamed.items():
            expr = expr.xreplace({old: new}) if isinstance(old, sp.Symbol) else expr.replace(old, new)
        return expr

    def new(self, lhs: sp.Basic, definitions: list[Definition]) -> sp.Basic:
        """A fresh version of the name ``lhs`` (as written), which later claims will mean."""
        head = _head(lhs)
        base = head.name if isinstance(head, sp.Symbol) else head.__name__
        taken = {str(_head(d.lhs)) for d in definitions}
        number = 2
        while f"{base}_{number}" in taken:
            number += 1
        if isinstance(lhs, sp.Symbol):
            fresh: sp.Basic = sp.Symbol(f"{base}_{number}")
            self.renamed[lhs] = fresh
            return fresh
        function = sp.Function(f"{base}_{number}")
        self.renamed[head] = function
        return function(*lhs.args)


def _head(expr: sp.Basic) -> sp.Basic:
    """The name of ``u`` or of ``f(x)``."""
    return expr.func if isinstance(expr, AppliedUndef) else expr


def _defining(lhs: sp.Basic, definitions: list[Definition]) -> Definition | None:
    """The definition of ``lhs``'s name, if it has one."""
    if not isinstance(lhs, (sp.Symbol, AppliedUndef)):
        return None
    return next((d for d in definitions if _head(d.lhs) == _head(lhs)), None)


def _is_generic(rhs: sp.Basic, definitions: list[Definition]) -> bool:
    """``f(u)``: an unspecified function of something, as a general rule is stated."""
    defined = {d.lhs.func for d in definitions if isinstance(d.lhs, AppliedUndef)}
    return isinstance(rhs, AppliedUndef) and rhs.func not in defined


def _is_relation(lhs: sp.Basic, rhs: sp.Basic, implicit: set[sp.Basic]) -> bool:
    """x² + y² = 1 about an implicit function y: a relation, not an identity to check."""
    both = (lhs, rhs)
    return any(e.has(f) for e in both for f in implicit) and not any(e.has(sp.Derivative) for e in both)


def _condition(claim: _Claim, read: object) -> sp.Basic | None:
    """The claim's conditions as one SymPy boolean (None when it has none)."""
    found = []
    for text in claim.conditions:
        try:
            condition = _read_condition(text)
        except DeriveError:
            continue  # words that are not a condition ("for all x"): prose, not a restriction
        if condition is not None:
            found.append(condition)
    if not found:
        return None
    return found[0] if len(found) == 1 else sp.And(*found)


def _read_condition(text: str) -> sp.Basic | None:
    text = re.sub(r"^\s*(?:\\text\{[^{}]*\}|if|for|when)\s*", "", text)
    text = text.replace("!=", r"\neq ").replace("<=", r"\leq ").replace(">=", r"\geq ")
    try:
        condition = parse_latex(text)
    except ParseError as exc:
        raise DeriveError(str(exc)) from None
    if not isinstance(condition, sp.Basic) or not (
        condition.is_Relational or condition in (sp.true, sp.false)
    ):
        return None
    indices = {s: sp.Symbol(s.name, integer=True) for s in condition.free_symbols if s.name in INDEX_LETTERS}
    return condition.xreplace(indices)


def _unreadable(claim: _Claim, source: str, reason: str) -> Step:
    return Step.unread(source, reason, line=claim.line, rule=claim.rule)


def _variable(steps: list[Step], definitions: list[Definition], guess: sp.Symbol) -> sp.Symbol:
    """The variable of the derivation: the first one something is differentiated by that is not a
    defined name (the guess from the text when nothing is differentiated)."""
    defined = {d.lhs for d in definitions}
    for step in steps:
        for derivative in sorted((*step.lhs.atoms(sp.Derivative), *step.rhs.atoms(sp.Derivative)), key=str):
            for v in derivative.variables:
                if v not in defined and isinstance(v, sp.Symbol):
                    return v
    for definition in definitions:
        parameter = definition.lhs.args[0] if isinstance(definition.lhs, AppliedUndef) else None
        if parameter is not None and parameter.is_Symbol and not parameter.is_integer:
            return parameter
    return guess
