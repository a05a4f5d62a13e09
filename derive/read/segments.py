"""Where the claims are in a document: math segments, their rows, and the pieces of a row.

A document is prose with math in it. :func:`math_segments` finds the math (display blocks,
environments, ``$…$`` and ``\\(…\\)`` inline, single-``$`` blocks over several lines) with the
prose just before each one. :func:`rows` splits a segment into its rows (``\\\\``, rows joined
when one ends or the next begins with ``+``), and :func:`pieces` splits a row at the
separators people put between claims (``\\Rightarrow``, ``\\quad``, ``\\text{and}``, commas),
keeping the words in ``\\text{…}`` that say what a piece is (a condition after "if" or "for",
a definition after "where").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_ENVIRONMENTS = "align|alignat|equation|gather|multline|eqnarray|flalign|displaymath|math"
_MATH = re.compile(
    rf"\\begin\{{(?P<env>{_ENVIRONMENTS})(?P<star>\*?)\}}(?:\{{\d+\}})?(?P<envbody>.*?)\\end\{{(?P=env)(?P=star)\}}"
    r"|\$\$(?P<dd>.*?)\$\$"
    r"|\\\[(?P<bracket>.*?)\\\]"
    r"|\\\((?P<paren>.*?)\\\)"
    r"|(?<![\\$])\$(?!\$)(?P<inline>(?:\\.|[^$\\])+?)\$",
    re.DOTALL,
)
# Environments inside a display block only arrange rows: their rows are the block's rows.
_INNER = re.compile(
    rf"\\(?:begin|end)\{{(?:aligned|alignedat|split|gathered|multlined|{_ENVIRONMENTS})\*?\}}(?:\{{\d+\}})?"
    r"|\\(?:begin|end)\{array\}(?:\{[^}]*\})?"
)
_FENCE = re.compile(r"^(```|~~~).*?^\1[^\n]*$|`[^`\n]+`", re.DOTALL | re.MULTILINE)
_NOISE = re.compile(
    r"\\(?:label|tag\*?|hspace\*?|vspace\*?|intertext|shortintertext)\{[^{}]*\}|\\nonumber|\\notag"
    r"|\\(?:displaystyle|textstyle|hfill|allowbreak|medskip|smallskip)(?![A-Za-z])"
)


@dataclass(frozen=True)
class Segment:
    """One piece of math: its text, where it starts, whether it stands alone, the prose before."""

    body: str
    offset: int  # of the body in the document
    display: bool
    prose: str  # the text between the previous segment and this one


_GITHUB_MATH = re.compile(r"^```math[ \t]*\n(.*?)^```[ \t]*$|\$`([^`\n]+)`\$", re.DOTALL | re.MULTILINE)


def blank_code(text: str) -> str:
    """Markdown code (fenced blocks, `inline`) blanked out, line structure kept. GitHub's math
    (a ```` ```math ```` block, ``$`…`$`` inline) is math, written as ``$$…$$`` and ``$…$``."""
    text = _GITHUB_MATH.sub(_github_math, text)
    return _FENCE.sub(lambda m: re.sub(r"[^\n]", " ", m.group()), text)


def _github_math(match: re.Match[str]) -> str:
    if match.group(1) is not None:
        return f"$$\n{match.group(1)}$$"
    return f"${match.group(2)}$"


def math_segments(text: str) -> list[Segment]:
    """Every math segment of a LaTeX or Markdown document, in order."""
    segments: list[Segment] = []
    last = 0
    for match in _MATH.finditer(text):
        name = next(n for n in ("envbody", "dd", "bracket", "paren", "inline") if match.group(n) is not None)
        body = match.group(name)
        if name == "inline" and "\n\n" in body.strip():
            continue  # a lone dollar sign in prose, not math
        display = name != "paren" and (name != "inline" or "\\begin" in body or "\\\\" in body)
        segments.append(Segment(body, match.start(name), display, text[last : match.start()]))
        last = match.end()
    return segments


def prose_outside_math(text: str) -> str:
    """The document with its math removed: the words, for phrases such as "the sigmoid"."""
    return _MATH.sub(" ", text)


@dataclass(frozen=True)
class Row:
    """One row of a segment (rows joined where a formula continues) and the line it starts on."""

    text: str
    line: int


def rows(body: str, first_line: int) -> list[Row]:
    """The rows of a segment, each with its line; a row that ends in ``+`` (or whose successor
    starts with ``+``/``-`` and has no relation of its own) is joined to the next."""
    body = _INNER.sub(lambda m: " " * len(m.group()), body)
    result: list[Row] = []
    offset = 0
    for part, _ in split_top(body, re.compile(r"\\\\(?:\[[^\]]*\])?|\\cr(?![A-Za-z])")):
        leading = len(part) - len(part.lstrip())
        line = first_line + body.count("\n", 0, offset + leading)
        offset += len(part)
        offset += len(_separator_after(body, offset))
        text = _NOISE.sub(" ", part)
        stripped = text.replace("&", " ").strip()
        if not stripped:
            continue
        lone_left_side = bool(result) and stripped.startswith("=") and not _has_relation(result[-1].text)
        if result and (
            lone_left_side
            or _ends_open(result[-1].text)
            or (_starts_with_operator(stripped) and not _has_relation(text))
        ):
            # the claim is made where its '=' stands when the left side stood alone above it
            result[-1] = Row(f"{result[-1].text} {text}", line if lone_left_side else result[-1].line)
            continue
        result.append(Row(text, line))
    return result


def _separator_after(body: str, offset: int) -> str:
    match = re.compile(r"\\\\(?:\[[^\]]*\])?|\\cr(?![A-Za-z])").match(body, offset)
    return match.group() if match else ""


def _ends_open(text: str) -> bool:
    return bool(re.search(r"(?:[+\-]|\\cdot|\\times)\s*&?\s*$", text.replace("&", " ").rstrip()))


def _starts_with_operator(text: str) -> bool:
    return bool(re.match(r"(?:\\left\.\s*)?[+\-](?!\s*$)|\\cdot|\\times", text))


RELATION = re.compile(
    r"\\stackrel\{(?:[^{}]|\{[^{}]*\})*\}\{=\}|\\overset\{(?:[^{}]|\{[^{}]*\})*\}\{=\}"
    r"|\\mathrel\{:=\}|\\coloneqq|\\eqqcolon|:=|\\equiv|\\triangleq|\\doteq|\\approx|\\sim(?![A-Za-z])"
    r"|!=|<=|>=|==|\\neq?(?![A-Za-z])|\\leq?(?![A-Za-z])|\\geq?(?![A-Za-z])|\\leqslant|\\geqslant"
    r"|\\[lg]t(?![A-Za-z])|=|<|>"
)


def _has_relation(text: str) -> bool:
    return len(split_top(text, RELATION, brackets=True)) > 1


def split_top(text: str, separators: re.Pattern[str], brackets: bool = False) -> list[tuple[str, str]]:
    """Split at separators outside braces and environments (and, with ``brackets``, outside
    parentheses and square brackets): [(part, separator before it)]."""
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
        elif char == "\\" and index + 1 < len(text) and text[index + 1] in "{}()[]|,;:! ":
            index += 2
            continue
        elif char == "{" or (brackets and char in "(["):
            depth += 1
        elif char == "}" or (brackets and char in ")]"):
            depth = max(depth - 1, 0) if brackets else depth - 1
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


# -- the pieces of a row ----------------------------------------------------------------------------
_SEPARATOR = re.compile(
    r"\\(?:Rightarrow|Longrightarrow|implies|iff|Leftrightarrow|Longleftrightarrow|to|rightarrow"
    r"|longrightarrow|therefore|because|quad|qquad|hence)(?![A-Za-z])"
    r"|\\(?:text|textrm|mbox|textnormal|textit|textbf)\s*\{(?:[^{}]|\{[^{}]*\})*\}(?!\s*[(_^])"
    r"|&&|,|;"
    # a sentence's full stop with more math after it (not 2.5, not \ldots, not σ.(1 − σ))
    r"|(?<![.\d\\])(?<!\\left)(?<!\\right)(?<!\\middle)(?<!\\big)(?<!\\Big)(?<!\\bigl)(?<!\\bigr)"
    r"(?<!\\Bigl)(?<!\\Bigr)(?<!\\bigg)(?<!\\Bigg)(?<!\\biggl)(?<!\\biggr)(?<!\\Biggl)(?<!\\Biggr)"
    r"\.(?!\.)(?=(?:\s|\\[;,:!]|~)+[^\s.])"
)
_WORDS = re.compile(r"\\(?:text|textrm|mbox|textnormal|textit|textbf)\s*\{((?:[^{}]|\{[^{}]*\})*)\}")
CONDITION_WORDS = re.compile(r"^\s*(?:if|for|when|whenever|provided|given|for all|as long as|on)\b", re.I)
DEFINITION_WORDS = re.compile(r"^\s*(?:where|with|let|and where|here|so that|setting)\b", re.I)


@dataclass(frozen=True)
class Piece:
    """A stretch of a row between separators, and the separator (or words) before it."""

    text: str
    before: str  # the separator's kind: "", "break" (⇒, and, quad), "comma", "condition", "definition"
    words: str  # the \text{…} words just before it, or an annotation after &&


def pieces(row: str) -> tuple[list[Piece], str]:
    """The pieces of a row, and its annotation (the words after ``&&`` or a final ``\\text``)."""
    found: list[Piece] = []
    annotation = ""
    kind, words = "", ""
    parts = split_top(row, _SEPARATOR, brackets=True)
    for number, (part, separator) in enumerate(parts):
        if separator == "&&":
            annotation = part + "".join(s + p for p, s in parts[number + 1 :])
            annotation = re.sub(r"\\[A-Za-z]+|[{}$&]", " ", annotation)
            annotation = " ".join(annotation.split()).strip("() ")
            break
        text_words = _WORDS.match(separator)
        if text_words:
            said = " ".join(text_words.group(1).split())
            if CONDITION_WORDS.match(said):
                kind, words = "condition", said
            elif DEFINITION_WORDS.match(said):
                kind, words = "definition", said
            elif said.lower().strip(" ,.") in (
                "and",
                "or",
                "so",
                "then",
                "hence",
                "thus",
                "therefore",
                "i.e.",
                "",
            ):
                kind, words = "break", said
            elif not part.replace("&", "").strip() and number == len(parts) - 1:
                annotation = said.strip("() ")
            else:
                kind, words = "break", said
        elif separator in (",", ";"):
            kind = kind if kind in ("condition",) and not part.strip() else "comma"
        elif separator:
            kind = "break"
        if part.replace("&", "").strip(" .,;"):
            found.append(Piece(part, kind, words))
            kind, words = "", ""
    return found, annotation
