"""What the parser accepts, every reader reads and ``derive check`` checks: no depth limit
comes later than the parser's.

One claim nested exactly as deep as the parser accepts is read in text, written by derive in
each format it reads back, and each of those files is read and checked again, in-process and
through the command line (whose Python recursion limit is the default one).
"""

from __future__ import annotations

from pathlib import Path

import pytest
import sympy as sp

from derive import formats
from derive.budgets import expression_depth, recursion_room
from derive.errors import ParseError
from derive.memo import printing_once
from derive.model import Derivation, Kind, Status
from derive.parse import MAX_DEPTH, parse
from derive.printing import latex, sstr
from derive.read.documents import check, load

from .conftest import run_derive


def _nested(depth: int) -> str:
    """``sin(x + cos(sin(x + cos(…))))``, ``depth`` functions deep: each level a function call
    and every other one a sum around it, as chains people nest are."""
    text = "x"
    for level in range(depth):
        text = f"sin(x + {text})" if level % 2 else f"cos({text})"
    return text


DEEPEST = _nested(MAX_DEPTH)
SUFFIXES = {"text": ".txt", "latex": ".tex", "markdown": ".md", "json": ".json"}


def test_the_claim_is_exactly_as_deep_as_the_parser_accepts() -> None:
    parse(DEEPEST)
    with pytest.raises(ParseError, match=f"nested more than {MAX_DEPTH} levels"):
        parse(f"sin({DEEPEST})")


@pytest.fixture(scope="module")
def deep_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The claim ``f = f`` (f nested MAX_DEPTH deep) as derive writes it in each format it reads."""
    derivation = check(f"{DEEPEST} = {DEEPEST}\n", "text")
    folder = tmp_path_factory.mktemp("deep")
    files = {}
    for name, suffix in SUFFIXES.items():
        path = folder / f"deep{suffix}"
        path.write_text(formats.render(derivation, name, standalone=name == "latex"), encoding="utf-8")
        files[name] = path
    return files


def _checked(derivation: Derivation) -> None:
    assert [s.verdict.status for s in derivation.steps] == [Status.SYMBOLIC]
    with recursion_room(expression_depth(derivation.result.lhs)):  # comparing recurses too
        assert derivation.result.lhs == parse(DEEPEST)


@pytest.mark.parametrize("name", list(SUFFIXES))
def test_each_reader_reads_and_checks_a_claim_as_deep_as_the_parser_accepts(
    deep_files: dict[str, Path], name: str
) -> None:
    _checked(check(deep_files[name]))


@pytest.mark.parametrize("name", ["text", "latex", "json"])
def test_derive_check_of_a_claim_as_deep_as_the_parser_accepts(
    deep_files: dict[str, Path], name: str
) -> None:
    run = run_derive("check", str(deep_files[name]), "-f", "text", timeout=300)
    assert run.returncode == 0, run.stderr
    assert "1 verified symbolically" in run.stdout


@pytest.mark.parametrize("fmt", ["text", "latex"])
def test_d_dx_of_an_expression_as_deep_as_the_parser_accepts_is_read(fmt: str) -> None:
    """``derive diff`` accepts an expression MAX_DEPTH deep and writes the claim d/dx(…) about
    it: the derivative's bracket around a whole side is not one more level."""
    expr = parse(DEEPEST)
    with recursion_room(expression_depth(expr)):
        side = f"d/dx({DEEPEST})" if fmt == "text" else latex(sp.Derivative(expr, sp.Symbol("x")))
    text = f"{side} = 0\n" if fmt == "text" else f"\\[ {side} = 0 \\]\n"
    derivation = load(text, fmt)
    assert [s.kind for s in derivation.steps] == [Kind.STATED]
    lhs = derivation.steps[0].lhs
    assert isinstance(lhs, sp.Derivative)
    with recursion_room(expression_depth(lhs)):
        assert lhs.expr == expr
    # the limit still holds inside it
    deeper = load(f"d/dx(sin({DEEPEST})) = 0\n", "text").steps[0]
    assert deeper.kind is Kind.UNREADABLE and "nested more than" in deeper.unreadable


def test_a_sub_expression_prints_alike_once_or_afresh() -> None:
    """Within one derivation's printing each distinct part is printed once and then reused:
    equal trees print alike, and trees that differ only in a float's precision or the order of
    a product kept as written do not share what was printed."""
    x = sp.Symbol("x")
    parts = [
        sp.Mul(sp.Float(0.1, 15), sp.sin(x)),
        sp.Mul(sp.Float(0.1, 30), sp.sin(x)),
        sp.Mul(sp.sin(x), sp.cos(x), evaluate=False),
        sp.Mul(sp.cos(x), sp.sin(x), evaluate=False),
        sp.Mul(sp.cos(x), sp.sin(x)),
    ]
    afresh = [(latex(p), sstr(p)) for p in parts]
    with printing_once():
        assert [(latex(p), sstr(p)) for p in parts] == afresh
        assert [(latex(p), sstr(p)) for p in reversed(parts)] == afresh[::-1]
    assert afresh[0] != afresh[1] and afresh[2] != afresh[3]


def test_ordering_answers_inside_printing_once_are_sympys_and_sympys_methods_come_back() -> None:
    """While a derivation is written the ordering SymPy's printers ask for (sort keys, the
    order of a sum's terms, whether a part is a number) is kept per expression: each answer
    is the one SymPy gives, a caller may change the list it gets, and SymPy's own methods are
    back in place once printing ends."""
    from sympy.core.expr import Expr

    x, y = sp.symbols("x y")
    deep = parse(_nested(40))
    parts = [deep + x, deep * sp.sin(x) + 3 * y - sp.pi, sp.cos(1) ** 2 + sp.sin(1) ** 2 - 1, 2 * x * deep]
    own = (Expr.sort_key, Expr.as_ordered_terms, Expr.__dict__["is_number"])

    def answers() -> list[object]:
        with recursion_room(expression_depth(deep) * 4):
            return [(p.sort_key(), p.as_ordered_terms(), p.is_number, latex(p), sstr(p)) for p in parts]

    afresh = answers()
    with printing_once():
        assert Expr.sort_key is not own[0]  # the kept methods are what is being compared
        assert answers() == afresh
        assert answers() == afresh  # and again, now from what was kept
        terms = parts[1].as_ordered_terms()
        terms.clear()
        assert parts[1].as_ordered_terms() == afresh[1][1]
    assert (Expr.sort_key, Expr.as_ordered_terms, Expr.__dict__["is_number"]) == own
