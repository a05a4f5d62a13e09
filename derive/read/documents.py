"""Derivations from documents: LaTeX, Markdown, plain text, and derive/1 JSON.

Each equation in a document becomes steps: ``a = b = c`` is read as the claims ``a = b`` and
``a = c``; a line that starts with ``=`` continues the left side of the line above (as in
``a &= b \\\\ &= c``). ``:=``, ``\\coloneqq``, "Let … = …" or "where … = …" introduce a
definition, and so does the first equation when its left side is a new name (``L = …``).
A ``\\text{…}`` after an equation is that step's rule. Every step remembers its line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import sympy as sp
from sympy.core.function import AppliedUndef

from ..errors import DeriveError, ParseError
from ..model import Definition, Derivation, Status, Step, Verdict
from ..parse import parse
from .latex_math import KNOWN_FUNCTIONS, parse_latex

FORMATS = ("latex", "markdown", "text", "json")
_EXTENSIONS = {".tex": "latex", ".md": "markdown", ".markdown": "markdown", ".txt": "text", ".json": "json"}
_DISPLAY = re.compile(
    r"\\begin\{(align|equation|gather|multline|eqnarray|flalign)(\*?)\}(.*?)\\end\{\1\2\}"
    r"|\$\$(.*?)\$\$|\\\[(.*?)\\\]",
    re.DOTALL,
)
_INLINE = re.compile(r"(?<![\\$])\$([^$\n]+?)\$(?!\$)")
_DEFINING = re.compile(r"\b(let|where|define|with|set)\s*$", re.IGNORECASE)
_RELATION = re.compile(r"\\coloneqq|\\mathrel\{:=\}|:=|=")
_NOISE = re.compile(r"\\(label|tag\*?)\{[^}]*\}|\\nonumber|\\notag|\\qquad|\\quad")
_FUNCTION_LHS = re.compile(
    r"^\\?([A-Za-z]+)\s*\{?\s*(?:\\left)?\s*\(\s*([A-Za-z](?:\s*,\s*[A-Za-z])*)\s*(?:\\right)?\s*\)\s*\}?$"
)


@dataclass
class _Claim:
    """One relation read from the document, before its sides are parsed."""

    lhs: str  # "" continues the previous left side
    relation: str
    rhs: str
    rule: str
    line: int
    defining: bool = False  # introduced by "Let", "where", … in the text


@dataclass
class _Document:
    title: str = ""
    claims: list[_Claim] = field(default_factory=list)


def load(source: str | Path, format: str | None = None) -> Derivation:
    """Read a derivation from a file path or from text, without checking it.

    ``format`` is ``latex``, ``markdown``, ``text`` or ``json``; by default it follows the
    file's extension, or for text, its content. Raises :class:`DeriveError` (with line and
    column) when the document cannot be read.
    """
    text, fmt, name = _source(source, format)
    if fmt == "json":
        return Derivation.from_json(text)
    document = _text_claims(text) if fmt == "text" else _tex_claims(text, markdown=fmt == "markdown")
    if not document.claims:
        raise DeriveError(f"no equations found in {name}")
    return _assemble(document, fmt, document.title or name)


def check(source: str | Path, format: str | None = None) -> Derivation:
    """Read a derivation (see :func:`load`) and verify every step."""
    from ..verify import verify

    return verify(load(source, format))


def _source(source: str | Path, format: str | None) -> tuple[str, str, str]:
    if format is not None and format not in FORMATS:
        raise DeriveError(f"unknown input format {format!r}; choose one of {', '.join(FORMATS)}")
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
        fmt = format or _EXTENSIONS.get(path.suffix.lower())
        if fmt is None:
            raise DeriveError(f"cannot tell the format of {path}; use --from latex|markdown|text|json")
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
    source = text if markdown else _strip_comments(text)
    document = _Document(title=_title(source, markdown))
    taken: list[tuple[int, int]] = []
    for match in _DISPLAY.finditer(source):
        body = next(g for g in match.groups()[2:] if g is not None)
        start = match.start(3) if match.group(3) is not None else match.start() + 2
        rule = _markdown_rule(source, match.start()) if markdown else ""
        document.claims += _rows(body, _line_of(source, start), rule)
        taken.append(match.span())
    for match in _INLINE.finditer(source):
        if any(a <= match.start() < b for a, b in taken):
            continue
        before = source[max(0, match.start() - 40) : match.start()]
        defining = bool(_DEFINING.search(before))
        body = match.group(1)
        if not defining and ":=" not in body and "coloneqq" not in body:
            continue
        for claim in _rows(body, _line_of(source, match.start()), ""):
            claim.defining = True
            document.claims.append(claim)
    document.claims.sort(key=lambda c: c.line)
    return document


def _title(text: str, markdown: bool) -> str:
    pattern = r"^#\s+(.+)$" if markdown else r"\\(?:section|title|subsection)\*?\{([^}]*)\}"
    match = re.search(pattern, text, re.MULTILINE)
    return match.group(1).strip() if match else ""


def _markdown_rule(text: str, position: int) -> str:
    """The rule named in bold just before a math block (``**3. chain rule** — …``)."""
    before = text[:position].rstrip().rsplit("\n\n", 2)
    for paragraph in reversed(before[-2:]):
        match = re.match(r"\*\*(?:\d+\.\s*)?(.+?)\*\*", paragraph.strip())
        if match:
            return match.group(1).strip()
        if paragraph.strip().startswith("$$"):
            break
    return ""


def _split_top(text: str, separators: re.Pattern[str]) -> list[tuple[str, str]]:
    """Split at separators outside braces and environments: [(part, separator before it)]."""
    parts: list[tuple[str, str]] = []
    depth = 0
    start, previous = 0, ""
    index = 0
    while index < len(text):
        char = text[index]
        if char == "\\" and text.startswith("\\begin", index):
            depth += 1
        elif char == "\\" and text.startswith("\\end", index):
            depth -= 1
        elif char == "\\" and index + 1 < len(text) and text[index + 1] in "{}":
            index += 2
            continue
        elif char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
        if depth == 0:
            match = separators.match(text, index)
            if match and match.group():
                parts.append((text[start:index], previous))
                previous = match.group()
                index = start = match.end()
                continue
        index += 1
    parts.append((text[start:], previous))
    return parts


_WRAPPERS = re.compile(r"\\(?:begin|end)\{(?:aligned|split|gathered|array)\}(?:\{[^}]*\})?")


def _rows(body: str, first_line: int, rule: str) -> list[_Claim]:
    body = _WRAPPERS.sub(" ", body)  # aligned inside $$…$$: its rows are the block's rows
    claims: list[_Claim] = []
    offset = 0
    for row, _ in _split_top(body, re.compile(r"\\\\")):
        line = first_line + body.count("\n", 0, offset + len(row) - len(row.lstrip()))
        offset += len(row) + 2
        row_rule, formula = _row_rule(_NOISE.sub("", row))
        formula = " ".join(part for part, _ in _split_top(formula, re.compile("&"))).strip().rstrip(".,;")
        if not formula.strip():
            continue
        pieces = _split_top(formula, _RELATION)
        lhs = pieces[0][0].strip()
        for piece, relation in pieces[1:]:
            claims.append(_Claim(lhs, relation, piece.strip(), row_rule or rule, line))
        if len(pieces) == 1:
            claims.append(_Claim(lhs, "", "", row_rule or rule, line))  # a lone formula: unreadable
    return claims


def _row_rule(row: str) -> tuple[str, str]:
    """The annotation of a row is its rule: what follows ``&&``, or a final ``\\text{…}``."""
    pieces = _split_top(row, re.compile("&&"))
    if len(pieces) > 1:
        note = re.sub(r"\\[A-Za-z]+|[{}$]", " ", pieces[-1][0])
        return " ".join(note.split()).strip("()"), "".join(p for p, _ in pieces[:-1])
    match = None
    for candidate in re.finditer(r"\\(?:text|mbox|textrm|mathrm)\{([^{}]*)\}\s*$", row):
        match = candidate
    if match is None:
        return "", row
    return match.group(1).strip().strip("()").strip(), row[: match.start()]


# -- plain text -----------------------------------------------------------------------------------------
_TEXT_DEFINITION = re.compile(r"^\s*(let|where|define)\s+(.*)$", re.IGNORECASE)


def _text_claims(text: str) -> _Document:
    document = _Document()
    for number, raw in enumerate(text.split("\n"), 1):
        line, _, comment = raw.partition("#")
        if not line.strip():
            if not document.title and comment.strip() and number == 1:
                document.title = comment.strip()
            continue
        defining = _TEXT_DEFINITION.match(line)
        body = defining.group(2) if defining else line
        pieces = _split_top(body, re.compile(r":=|="))
        lhs = pieces[0][0].strip()
        for piece, relation in pieces[1:]:
            document.claims.append(
                _Claim(lhs, relation, piece.strip(), comment.strip(), number, bool(defining))
            )
        if len(pieces) == 1:
            document.claims.append(_Claim(lhs, "", "", comment.strip(), number))
    return document


_TEXT_DERIVATIVE = re.compile(r"d/d([A-Za-z])\s*\(")


def _parse_text(formula: str, functions: dict[str, tuple[sp.Symbol, ...]]) -> sp.Basic:
    """The math dialect, plus d/dx(…): rewritten to a marker function of the same length."""
    marked = _TEXT_DERIVATIVE.sub(lambda m: f"dd_{m.group(1)}(", formula)
    names = frozenset(functions) | {f"dd_{m.group(1)}" for m in _TEXT_DERIVATIVE.finditer(formula)}
    expr = parse(marked, "math", names)
    expr = expr.replace(
        lambda e: isinstance(e, AppliedUndef) and e.func.__name__.startswith("dd_"),
        lambda e: sp.Derivative(e.args[0], sp.Symbol(e.func.__name__[3:])),
    )
    bare = {sp.Symbol(name): sp.Function(name)(*params) for name, params in functions.items()}
    return expr.xreplace(bare)


# -- from claims to a derivation ------------------------------------------------------------------------
def _function_lhs(lhs: str) -> tuple[str, tuple[sp.Symbol, ...]] | None:
    match = _FUNCTION_LHS.match(lhs.replace("{\\left(", "(").replace("\\right)}", ")").strip())
    if not match:
        return None
    return match.group(1), tuple(sp.Symbol(p.strip()) for p in match.group(2).split(","))


def _assemble(document: _Document, fmt: str, title: str) -> Derivation:
    claims = document.claims
    readable = [c for c in claims if c.relation]
    # the first equation that is not already a definition may define a new name (L = …)
    first = next((c for c in readable if not _is_definition(c, False)), None)
    # Functions must be known before anything is parsed: σ alone means σ(x).
    functions: dict[str, tuple[sp.Symbol, ...]] = {}
    for claim in readable:
        if _is_definition(claim, claim is first):
            found = _function_lhs(claim.lhs)
            if found and found[0] not in KNOWN_FUNCTIONS:
                functions[found[0]] = found[1]

    def read(formula: str, line: int) -> sp.Basic:
        try:
            if fmt == "text":
                return _parse_text(formula, functions)
            return parse_latex(formula, functions)
        except ParseError as exc:
            column = f", column {exc.column}" if exc.column else ""
            raise DeriveError(f"line {line}{column}: {exc.message} in {formula!r}") from None

    definitions: list[Definition] = []
    steps: list[Step] = []
    previous_lhs: sp.Basic | None = None
    for claim in claims:
        if not claim.relation:
            steps.append(_unreadable(claim, "no '=' in this formula"))
            continue
        try:
            lhs = read(claim.lhs, claim.line) if claim.lhs else previous_lhs
            if lhs is None:
                raise DeriveError(f"line {claim.line}: '=' with nothing on its left")
            rhs = read(claim.rhs, claim.line)
        except DeriveError as exc:
            steps.append(_unreadable(claim, str(exc)))
            continue
        if _is_definition(claim, claim is first) and _definable(lhs, definitions):
            definitions.append(Definition(lhs, rhs, claim.rule))
        else:
            steps.append(Step(lhs, rhs, claim.rule, "", line=claim.line))
        previous_lhs = lhs
    if not steps:
        raise DeriveError("the document defines names but claims no step to check")
    variable = _variable(steps, definitions)
    last = next((s for s in reversed(steps) if s.unreadable == ""), steps[-1])
    return Derivation(
        title,
        variable,
        tuple(definitions),
        tuple(steps),
        Step(last.lhs, last.rhs, "result", line=last.line, unreadable=last.unreadable),
    )


def _is_definition(claim: _Claim, is_first: bool) -> bool:
    if claim.relation in (":=", r"\coloneqq", r"\mathrel{:=}") or claim.defining:
        return True
    return is_first and bool(re.fullmatch(r"\\?[A-Za-z]+", claim.lhs.strip()) or _function_lhs(claim.lhs))


def _definable(lhs: sp.Basic, definitions: list[Definition]) -> bool:
    named = isinstance(lhs, sp.Symbol) or (
        isinstance(lhs, AppliedUndef) and all(isinstance(a, sp.Symbol) for a in lhs.args)
    )
    return named and all(d.lhs != lhs for d in definitions)


def _unreadable(claim: _Claim, reason: str) -> Step:
    text = f"{claim.lhs} {claim.relation} {claim.rhs}".strip()
    return Step(
        sp.Symbol(text),
        sp.Symbol(text),
        claim.rule,
        "",
        Verdict(Status.UNCHECKED, f"could not be read: {reason}"),
        line=claim.line,
        unreadable=reason,
    )


def _variable(steps: list[Step], definitions: list[Definition]) -> sp.Symbol:
    """The variable of the derivation: the first one something is differentiated by that is not a
    defined name (x when nothing is differentiated)."""
    defined = {d.lhs for d in definitions}
    for step in steps:
        for derivative in sorted((*step.lhs.atoms(sp.Derivative), *step.rhs.atoms(sp.Derivative)), key=str):
            for v in derivative.variables:
                if v not in defined:
                    return v
    for definition in definitions:
        if isinstance(definition.lhs, AppliedUndef):
            return definition.lhs.args[0]
    return sp.Symbol("x")
