"""The terminal view fits the console it is printed on and never drops or cuts a verdict."""

from __future__ import annotations

import io
import re
from collections import Counter

import pytest
import sympy as sp
from rich.cells import cell_len
from rich.console import Console

import derive
from derive.formats import pretty as text_view
from derive.formats.marks import mark, shown_steps
from derive.formats.pretty import Art, DerivationView, relation_art, render_text, renderable
from derive.library import BUILTINS, get
from derive.model import Derivation, Status
from derive.printing import relation_form

ANSI = re.compile(r"\x1b\[[0-9;]*m")
WIDTHS = (60, 80, 100)
LONG = "x^3*sin(x)*exp(2*x)*cos(x)/(1+x^2)"

# A document as someone might write it: a definition, a right step, a wrong one, a relation
# that is not an equation (not read) and a long right one.
CHECKED = """# The product rule, checked
y = x^2 sin(x)
d/dx(y) = 2x sin(x) + x^2 cos(x)
d/dx(y) = 2x cos(x)     # product rule, misremembered
d/dx(y) != 0
d/dx(y) = 2x sin(x) + x^2 cos(x) + (x+1)^2 - x^2 - 2x - 1 + sin(x)^2 + cos(x)^2 - 1 + e^x - e^x
"""

_CACHE: dict[str, Derivation] = {}


def _derivation(name: str) -> Derivation:
    if name not in _CACHE:
        if name == "long":
            _CACHE[name] = derive.differentiate(LONG, order=2)
        elif name == "checked":
            _CACHE[name] = derive.check(CHECKED, "text")
        else:
            _CACHE[name] = get(name)
    return _CACHE[name]


def _printed(derivation: Derivation, width: int, colour: bool) -> list[str]:
    buffer = io.StringIO()
    console = Console(
        file=buffer,
        width=width,
        force_terminal=colour,
        color_system="truecolor" if colour else None,
        emoji=False,
        highlight=False,
    )
    console.print(renderable(derivation))
    output = buffer.getvalue()
    assert ("\x1b[" in output) == colour
    return ANSI.sub("", output).splitlines()


def _verdict_words(derivation: Derivation) -> list[str]:
    """Every word of every verdict, in the order the claims are shown: the mark, for a failed
    claim the point and both values, for a claim that was not read the reason."""
    words: list[str] = []
    for step in shown_steps(derivation):
        verdict = step.verdict
        if step.unreadable:
            words += [verdict.status.mark, *verdict.status.label.split(), *step.unreadable.split()]
            continue
        words += mark(verdict).split()
        if verdict.status == Status.FAILED and verdict.lhs_value:
            words += [value for _, value in verdict.point] + [verdict.lhs_value, verdict.rhs_value]
    return words


def _is_subsequence(words: list[str], tokens: list[str]) -> bool:
    remaining = iter(tokens)
    return all(any(word in token for token in remaining) for word in words)


@pytest.mark.parametrize("colour", [False, True], ids=["plain", "colour"])
@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", [*BUILTINS, "long", "checked"])
def test_every_verdict_is_shown_and_no_line_overflows(name: str, width: int, colour: bool) -> None:
    derivation = _derivation(name)
    lines = _printed(derivation, width, colour)
    assert max(cell_len(line) for line in lines) <= width
    assert not any("…" in line for line in lines)
    tokens = " ".join(lines).split()
    assert _is_subsequence(_verdict_words(derivation), tokens)


def test_a_wrong_step_shows_its_counterexample_and_an_unread_row_its_reason() -> None:
    derivation = _derivation("checked")
    statuses = [step.verdict.status for step in derivation.steps]
    assert statuses == [Status.SYMBOLIC, Status.FAILED, Status.UNCHECKED, Status.SYMBOLIC]
    wrong, unread = derivation.steps[1], derivation.steps[2]
    text = " ".join(" ".join(render_text(derivation).splitlines()).split())
    assert "✗ WRONG" in text
    assert wrong.verdict.lhs_value in text and wrong.verdict.rhs_value in text
    assert "only equations are checked" in text
    assert unread.source in text
    assert f"{unread.lhs} = {unread.lhs}" not in text  # an unread claim is shown once, as written


def test_a_long_sum_breaks_between_terms_under_its_right_side() -> None:
    x = sp.Symbol("x")
    art = relation_art(sp.Symbol("y"), "=", sum(sp.sin(k * x) ** 2 / k for k in range(1, 30)))
    lines, _ = art.lines(60)
    assert art.width > 60 and len(lines) > len(art.rows)
    assert max(map(len, lines)) <= 60
    baselines = [line for line in lines if line.lstrip().startswith(("+ ", "- "))]
    assert baselines and all(line.startswith(" " * art.indent) for line in baselines)


@pytest.mark.parametrize("width", [20, 47, 80])
def test_wrapping_keeps_every_character_of_the_art(width: int) -> None:
    derivation = _derivation("long")
    for step in derivation.steps:
        art = relation_art(step.lhs, "=", step.rhs)
        lines, _ = art.lines(width)
        assert max(map(len, lines)) <= width
        # a fraction broken above its bar gets a shorter bar: every other character stays
        kept = Counter("".join(lines).replace(" ", "").replace("─", ""))
        assert kept == Counter("".join(art.rows).replace(" ", "").replace("─", ""))


def test_a_wide_fraction_keeps_its_bar_with_the_numerator_broken_above_it() -> None:
    x = sp.Symbol("x")
    numerator = sum(sp.sin(k * x) ** 2 for k in range(1, 16))
    art = relation_art(sp.Symbol("y"), "=", numerator / (x**2 + 1))
    assert art.fraction and art.width > 80
    lines, baseline = art.lines(60)
    assert max(map(len, lines)) <= 60
    assert lines[baseline].startswith("y = ───")
    assert set(lines[baseline][4:]) == {"─"}  # one bar
    assert lines[baseline + 2].strip() == "x  + 1" and lines[baseline + 1].strip() == "2"
    assert sum(line.lstrip().startswith("+ ") for line in lines[:baseline]) >= 2


def test_a_fraction_is_never_broken_inside_between_its_rows() -> None:
    # the only clean break in a/b + c/d is at the + between the fractions
    art = Art(("a   c", "─ + ─", "b   d"), 1, 0)
    assert art.lines(3) == (["a", "─", "b", "  c", "+ ─", "  d"], 1)


def test_the_table_is_used_when_it_fits_and_the_rows_stack_when_it_does_not(sigmoid: Derivation) -> None:
    wide = render_text(sigmoid, 200)
    assert re.search(r"^\s*3\s.*exponential and chain rule\s+✓ symbolic \(identical\)", wide, re.MULTILINE)
    narrow = render_text(sigmoid, 60)
    assert "exponential and chain rule · ✓ symbolic (identical)" in narrow
    assert max(map(len, narrow.splitlines())) <= 60


def test_the_view_measures_its_natural_width(sigmoid: Derivation) -> None:
    console = Console(file=io.StringIO(), width=300, color_system=None)
    measurement = console.measure(DerivationView(sigmoid))
    assert 40 < measurement.maximum < 300
    lines = render_text(sigmoid, measurement.maximum).splitlines()
    assert max(map(len, lines)) <= measurement.maximum
    assert any("rule" in line and "check" in line for line in lines)  # the table, not stacked


def test_each_equation_is_pretty_printed_once(monkeypatch: pytest.MonkeyPatch, sigmoid: Derivation) -> None:
    calls = []

    def counting(*args: object, **kwargs: object) -> object:
        calls.append(args)
        return relation_form(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(text_view, "relation_form", counting)
    view = DerivationView(sigmoid)
    built = len(calls)
    assert built == len(sigmoid.definitions) + len(sigmoid.steps) + 1
    for width in WIDTHS:
        Console(file=io.StringIO(), width=width).print(view)
    assert len(calls) == built


def test_the_width_of_a_line_is_sympys_for_every_character() -> None:
    """derive measures the 2-D art's lines with its own ``line_width``, which it puts in place of
    SymPy's: it must count every code point as SymPy does (combining accents take no cell)."""
    from sympy.printing.pretty import pretty_symbology

    from derive.printing import line_width

    def sympys(line: str) -> int:
        return len(line.translate(pretty_symbology._remove_combining))

    text = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c < 0xE000)
    for start in range(0, len(text), 101):
        piece = text[start : start + 101]
        assert line_width(piece) == sympys(piece)
    accents = "".join(chr(c) for c in sorted(pretty_symbology._remove_combining))
    assert line_width("x" + accents + "⋅y") == 3
