"""The forms the catalog states through its named functions: the search must find each of them.

A catalog entry states its derivative through y and σ instead of searching on every run; these
tests run the full search on every entry and require the same form reached by the same moves,
and show that a stated form is never simply trusted.
"""

from __future__ import annotations

import pytest
import sympy as sp

from derive.differentiate import derive_steps, through_names
from derive.interms import Solve, Stated, Substitute, express
from derive.library import build, get
from derive.library.catalog import CATALOG, FORMS
from derive.model import Kind
from derive.verify import verify

x, y = sp.symbols("x y")
sigma = sp.Symbol("sigma")
_LOGIT = sp.log(sigma / (1 - sigma))
NAMED = sorted(name for name, entry in CATALOG.items() if entry()[2])


def _names(name: str) -> dict[sp.Symbol, sp.Expr]:
    function, _, names = CATALOG[name]()
    return {sp.Symbol(k): function if v is None else v for k, v in names.items()}


def test_every_entry_with_names_states_its_form() -> None:
    assert set(FORMS) == set(NAMED)


@pytest.mark.parametrize("name", NAMED)
def test_the_search_finds_the_stated_form(name: str) -> None:
    function, variable, _ = CATALOG[name]()
    names = _names(name)
    derivative = derive_steps(function, variable).result.rhs
    found = express(derivative, variable, names, (sp.diff(function, variable),))
    stated = FORMS[name]()
    if stated.expr is None:
        assert found is None
        return
    assert found is not None
    assert found.expr == stated.expr  # the same tree, so the same output in every format
    assert found.how == stated.how(variable, names)


@pytest.mark.parametrize("name", sorted(n for n in NAMED if FORMS[n]().expr is not None))
def test_the_stated_step_is_verified_with_the_derivation(name: str) -> None:
    step = get(name).steps[-1]
    assert step.kind == Kind.IN_TERMS_OF
    assert step.verdict.status == "symbolic"


def test_a_wrong_stated_form_shows_as_a_failed_step() -> None:
    function, variable, names = CATALOG["tanh"]()
    derivation = derive_steps(function, variable)
    wrong = through_names(derivation, function, variable, names, Stated(1 + y**2, (Substitute(y),)))
    checked = verify(wrong)
    assert checked.steps[-1].rhs == 1 + y**2
    assert checked.steps[-1].verdict.status == "failed"


@pytest.mark.parametrize(
    "stated",
    [
        Stated(1 - x**2, (Substitute(y),)),  # not free of x
        # 0/0 at x = 0, where the derivative is 1: ln(σ/(1 − σ)) is x
        Stated(sp.Mul(_LOGIT, sp.Pow(_LOGIT, -1), evaluate=False), (Solve(sigma),)),
    ],
)
def test_a_stated_form_that_cannot_be_used_falls_back_to_the_search(stated: Stated) -> None:
    function, variable, names = CATALOG["tanh"]()
    derivation = derive_steps(function, variable)
    names = {**names, "sigma": 1 / (1 + sp.exp(-x))}
    derivation = through_names(derivation, function, variable, names, stated)
    assert derivation.steps[-1].kind == Kind.IN_TERMS_OF
    assert derivation.steps[-1].rhs == 1 - y**2


def test_build_uses_the_stated_form() -> None:
    assert build("swish").steps[-1].rule == "in terms of σ, y: write e^(−x) through y; solve y = σ·x for x"
