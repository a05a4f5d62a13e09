"""The trust suite: a "✓" from derive must be believable.

Every claim in tests/trust_claims.py is checked with :func:`derive.check_equation`:

* a false claim is never verified (neither symbolic nor numeric);
* a true claim is never refuted;
* a domain-dependent claim is not verified without its condition and not refuted with it.

Documents (text, LaTeX, derive/1 JSON) carry wrong higher-order steps after right ones, and
forged or tampered verdicts that must not be believed. Answering "undecided" to everything would
satisfy the per-claim rules, so minimum shares of decided claims are asserted as well; the
shares are printed at the end of the run (see ``pytest_terminal_summary`` in conftest.py).
"""

from __future__ import annotations

import copy
import json
from collections import Counter
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import sympy as sp
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import derive
from derive.formats.json import write as write_json
from derive.model import Derivation, Status, Verdict

from .conftest import TRUST_TALLY, run_derive
from .trust_claims import CLAIMS, KINDS, Claim

OK = (Status.SYMBOLIC, Status.NUMERIC)
# Shares below which the suite counts the verifier as dodging: a sound verifier may leave
# some claims undecided (step functions, hard constants), but not most of them.
MIN_TRUE_OK = 0.80
MIN_FALSE_REFUTED = 0.50
MIN_DOMAIN_OK_UNDER_CONDITION = 0.60

FALSE = [c for c in CLAIMS if c.label == "false"]
TRUE = [c for c in CLAIMS if c.label == "true"]
DOMAIN = [c for c in CLAIMS if c.label == "domain"]


def _ids(claims: list[Claim]) -> list[str]:
    return [c.name for c in claims]


def _verdict(claim: Claim, with_condition: bool = False) -> Verdict:
    """The verifier's verdict on ``claim``, computed once per run and tallied for the summary."""
    return _cached_verdict(claim, with_condition)


@cache
def _cached_verdict(claim: Claim, with_condition: bool) -> Verdict:
    if with_condition:
        verdict = derive.check_equation(claim.lhs, claim.rhs, claim.definitions, condition=claim.condition)
    else:
        verdict = derive.check_equation(claim.lhs, claim.rhs, claim.definitions)
    column = f"{claim.label} if condition" if with_condition else claim.label
    TRUST_TALLY[(claim.kind, column, verdict.status.value)] += 1
    return verdict


def _show(claim: Claim, verdict: Verdict) -> str:
    return f"{claim.name}: {verdict.status.value} — {verdict.describe()}"


# -- the claims --------------------------------------------------------------------------------------
@pytest.mark.parametrize("claim", FALSE, ids=_ids(FALSE))
def test_false_claim_is_never_verified(claim: Claim) -> None:
    verdict = _verdict(claim)
    assert verdict.status not in OK, _show(claim, verdict)


@pytest.mark.parametrize("claim", TRUE, ids=_ids(TRUE))
def test_true_claim_is_never_refuted(claim: Claim) -> None:
    verdict = _verdict(claim)
    assert verdict.status != Status.FAILED, _show(claim, verdict)


@pytest.mark.parametrize("claim", DOMAIN, ids=_ids(DOMAIN))
def test_domain_claim_is_not_verified_without_its_condition(claim: Claim) -> None:
    """Without its condition, a claim that holds only on part of the line is refuted, undecided,
    or verified only with the part where it holds stated in the verdict."""
    verdict = _verdict(claim)
    assert verdict.status not in OK or verdict.where is not None, _show(claim, verdict)


@pytest.mark.parametrize("claim", DOMAIN, ids=_ids(DOMAIN))
def test_domain_claim_is_not_refuted_under_its_condition(claim: Claim) -> None:
    verdict = _verdict(claim, with_condition=True)
    assert verdict.status != Status.FAILED, _show(claim, verdict)


def test_a_refutation_names_a_point_and_two_different_values() -> None:
    """A failed verdict is a counterexample, not a bare "no": its point and values are shown."""
    refuted = [(c, _verdict(c)) for c in FALSE if _verdict(c).status == Status.FAILED]
    assert refuted
    for claim, verdict in refuted:
        if verdict.point:
            assert verdict.lhs_value != verdict.rhs_value, _show(claim, verdict)


def test_the_suite_covers_every_class_with_both_answers() -> None:
    assert len(CLAIMS) >= 220
    assert len({c.name for c in CLAIMS}) == len(CLAIMS), "two claims share an id"
    labels = Counter((c.kind, c.label) for c in CLAIMS)
    for kind in KINDS:
        assert labels[(kind, "false")] >= 5, kind
        assert labels[(kind, "true")] >= 2, kind
    assert all((c.condition is None) == (c.label != "domain") for c in CLAIMS)


def _share(claims: list[Claim], statuses: tuple[Status, ...], with_condition: bool = False) -> float:
    return sum(_verdict(c, with_condition).status in statuses for c in claims) / len(claims)


def test_enough_true_claims_are_verified() -> None:
    """Soundness alone is cheap (answer "undecided"); the verifier must also decide."""
    share = _share(TRUE, OK)
    assert share >= MIN_TRUE_OK, f"only {share:.0%} of true claims verified"


def test_enough_false_claims_are_refuted() -> None:
    share = _share(FALSE, (Status.FAILED,))
    assert share >= MIN_FALSE_REFUTED, f"only {share:.0%} of false claims refuted"


def test_enough_domain_claims_are_verified_under_their_condition() -> None:
    share = _share(DOMAIN, OK, with_condition=True)
    assert share >= MIN_DOMAIN_OK_UNDER_CONDITION, f"only {share:.0%} verified under their condition"


# -- documents: a wrong higher-order step after a right one -------------------------------------------
# (format, document, index of the right step, index of the wrong step)
HIGHER_ORDER_DOCUMENTS = {
    "text second derivative": (
        "text",
        "d/dx(d/dx(x^3 + x)) = d/dx(d/dx(x^3)) + d/dx(d/dx(x))  # sum rule\n= 3x^2 + 1  # power rule\n",
    ),
    "text third derivative": (
        "text",
        "d/dx(d/dx(d/dx(x^4 + sin(x)))) = d/dx(d/dx(d/dx(x^4))) + d/dx(d/dx(d/dx(sin(x))))\n"
        "= 4x^3 + cos(x)\n",
    ),
    "latex second derivative": (
        "latex",
        r"""\begin{align*}
\frac{d^2}{dx^2}\left(x^3 + x\right) &= \frac{d^2}{dx^2} x^3 + \frac{d^2}{dx^2} x \\
&= 3x^2 + 1
\end{align*}""",
    ),
    "latex third derivative": (
        "latex",
        r"\[ \frac{d^3}{dx^3}\left(x^4 + \sin x\right) = \frac{d^3}{dx^3} x^4 + \frac{d^3}{dx^3} \sin x"
        r" = 4x^3 + \cos x \]",
    ),
    "latex constant factor": (
        "latex",
        r"""\begin{align*}
\frac{d^2}{dx^2}\, 5 e^{2x} &= 5 \frac{d^2}{dx^2} e^{2x} \\
&= 10 e^{2x}
\end{align*}""",
    ),
    "latex prime notation": (
        "latex",
        r"""Let $f(x) := x^3 + x$.
\begin{align*}
f''(x) &= \frac{d^2}{dx^2} x^3 + \frac{d^2}{dx^2} x \\
&= 3x^2 + 1
\end{align*}""",
    ),
    "markdown second derivative": (
        "markdown",
        "# A second derivative\n\n$$ \\frac{d^2}{dx^2} \\sin(x) e^{x} = \\frac{d^2}{dx^2} e^{x} \\sin(x)"
        " = e^{x} \\cos(x) + e^{x} \\sin(x) $$\n",
    ),
    "json second derivative": (
        "json",
        json.dumps(
            {
                "schema": "derive/1",
                "title": "second derivative",
                "variable": "x",
                "definitions": [],
                "steps": [
                    {
                        "lhs": "Derivative(x**3 + x, (x, 2))",
                        "rhs": "Derivative(x**3, (x, 2)) + Derivative(x, (x, 2))",
                        "rule": "sum rule",
                        "verdict": "symbolic",
                        "verification": {"method": "identical"},
                    },
                    {
                        "lhs": "Derivative(x**3 + x, (x, 2))",
                        "rhs": "3*x**2 + 1",
                        "rule": "power rule",
                        "verdict": "symbolic",
                        "verification": {"method": "identical with the line above"},
                    },
                ],
            }
        ),
    ),
    "json third derivative": (
        "json",
        json.dumps(
            {
                "schema": "derive/1",
                "title": "third derivative",
                "variable": "x",
                "definitions": [],
                "steps": [
                    {
                        "lhs": "Derivative(exp(2*x), (x, 3))",
                        "rhs": "Derivative(2*exp(2*x), (x, 2))",
                        "rule": "exponential rule",
                        "verdict": "symbolic",
                    },
                    {
                        "lhs": "Derivative(exp(2*x), (x, 3))",
                        "rhs": "4*exp(2*x)",
                        "rule": "exponential rule",
                        "verdict": "symbolic",
                    },
                ],
            }
        ),
    ),
}


@pytest.mark.parametrize("name", sorted(HIGHER_ORDER_DOCUMENTS))
def test_a_wrong_higher_order_step_after_a_right_one_is_caught(name: str) -> None:
    fmt, text = HIGHER_ORDER_DOCUMENTS[name]
    checked = derive.check(text, fmt)
    right, wrong = checked.steps[0], checked.steps[1]
    assert right.verdict.status != Status.FAILED, right.verdict.describe()
    assert wrong.verdict.status not in OK, (sp.sstr(wrong.rhs), wrong.verdict.describe())
    assert not checked.ok


def test_a_wrong_leibniz_second_derivative_is_caught_in_a_document() -> None:
    document = r"""Let $u := 1 + e^{-x}$ and $\sigma := \frac{1}{u}$.
\[ \frac{d \sigma}{du} = -\frac{1}{u^2} \]
\[ \frac{d^2 \sigma}{du^2} = \frac{2}{u^3} \]
\[ \frac{d^2 \sigma}{du^2} = -\frac{1}{u^2} \]"""
    checked = derive.check(document, "latex")
    statuses = [s.verdict.status for s in checked.steps]
    assert statuses[0] != Status.FAILED and statuses[1] != Status.FAILED, statuses
    assert statuses[2] not in OK, statuses


# -- forged and tampered derive/1 files --------------------------------------------------------------
@cache
def _honest() -> str:
    """A derive/1 file as derive writes it: x^2 sin(x), every step verified."""
    derivation = derive.differentiate("x^2 sin(x^2)")
    assert derivation.ok
    return write_json(derivation)


def _forge(change: Any) -> Derivation:
    data = json.loads(_honest())
    forged = copy.deepcopy(data)
    change(forged)
    assert forged != data
    return derive.check(json.dumps(forged), "json")


def _steps(data: dict[str, Any]) -> list[dict[str, Any]]:
    return data["steps"]


def _mark_unreadable(data: dict[str, Any]) -> None:
    step = _steps(data)[0]
    step["unreadable"] = "could not be read"
    step["verdict"] = "symbolic"
    step["verification"] = {"method": "identical"}


def _mark_result_unreadable(data: dict[str, Any]) -> None:
    data["result"]["unreadable"] = "could not be read"
    data["result"]["rhs"] = "3*x"
    data["result"]["verdict"] = "symbolic"


def _false_rhs_symbolic(data: dict[str, Any]) -> None:
    step = _steps(data)[-1]
    step["rhs"] = f"({step['rhs']}) + 1"
    step["verdict"] = "symbolic"
    step["verification"] = {"method": "identical"}


def _false_result_numeric(data: dict[str, Any]) -> None:
    data["result"]["rhs"] = "2*x*sin(x**2)"
    data["result"]["verdict"] = "numeric"
    data["result"]["verification"] = {"method": "equal at 8 random points to 25 digits"}


def _tampered_definition(data: dict[str, Any]) -> None:
    assert data["definitions"], "the honest file needs a definition to tamper with"
    data["definitions"][0]["rhs"] = f"({data['definitions'][0]['rhs']})**2"


def _forged_where(data: dict[str, Any]) -> None:
    data["result"]["rhs"] = "-2*x*cos(x**2)"
    data["result"]["verdict"] = "symbolic"
    data["result"]["verification"] = {"method": "simplify", "where": "x > 100"}


def _forged_condition(data: dict[str, Any]) -> None:
    data["result"]["rhs"] = "2*x**3*cos(x**2)"
    data["result"]["condition"] = "x > 0"
    data["result"]["verdict"] = "symbolic"


def _sign_flipped(data: dict[str, Any]) -> None:
    step = _steps(data)[0]
    step["rhs"] = f"-({step['rhs']})"
    step["verdict"] = "symbolic"


FORGERIES = {
    "unreadable step marked symbolic": _mark_unreadable,
    "unreadable result marked symbolic": _mark_result_unreadable,
    "false step marked symbolic": _false_rhs_symbolic,
    "false result marked numeric": _false_result_numeric,
    "definition changed, verdicts kept": _tampered_definition,
    "false result with a forged domain": _forged_where,
    "false result with a condition that does not make it true": _forged_condition,
    "first step sign-flipped, verdict kept": _sign_flipped,
}


@pytest.mark.parametrize("name", sorted(FORGERIES))
def test_a_forged_verdict_is_not_believed(name: str) -> None:
    checked = _forge(FORGERIES[name])
    assert not checked.ok, [(s.rule, s.verdict.describe()) for s in (*checked.steps, checked.result)]


def test_an_unreadable_step_is_unchecked_whatever_the_file_says() -> None:
    checked = _forge(_mark_unreadable)
    assert checked.steps[0].verdict.status == Status.UNCHECKED


def test_a_true_step_forged_as_failed_is_recomputed() -> None:
    def forge(data: dict[str, Any]) -> None:
        step = _steps(data)[0]
        step["verdict"] = "failed"
        step["verification"] = {"method": "forged", "point": {"x": "1"}, "lhs_value": "1", "rhs_value": "2"}

    checked = _forge(forge)
    assert checked.steps[0].verdict.status in OK, checked.steps[0].verdict.describe()
    assert checked.steps[0].verdict.point != (("x", "1"),)


FORGED_FILE = {
    "schema": "derive/1",
    "title": "forged",
    "variable": "x",
    "definitions": [],
    "steps": [
        {
            "lhs": "Derivative(x**2, (x, 2))",
            "rhs": "2*x",
            "rule": "power rule",
            "latex": "\\frac{d^{2}}{d x^{2}} x^{2} = 2",
            "verdict": "symbolic",
            "verification": {"method": "identical"},
        }
    ],
    "result": {
        "lhs": "Derivative(x**2, (x, 2))",
        "rhs": "2*x",
        "rule": "result",
        "verdict": "symbolic",
        "verification": {"method": "identical"},
    },
}


def test_derive_check_exits_nonzero_on_a_forged_file(tmp_path: Path) -> None:
    path = tmp_path / "forged.json"
    path.write_text(json.dumps(FORGED_FILE), encoding="utf-8")
    completed = run_derive("check", str(path))
    assert completed.returncode != 0, completed.stdout


# -- derive diff never refutes its own steps ----------------------------------------------------------
x, a = sp.symbols("x a")
_UNARY = [sp.Abs, sp.log, sp.sqrt, sp.exp, sp.sin, sp.cos, sp.tan, sp.atan]


def _trees() -> st.SearchStrategy[sp.Expr]:
    leaves = st.one_of(st.just(x), st.just(a), st.integers(-3, 4).map(sp.Integer))

    def extend(children: st.SearchStrategy[sp.Expr]) -> st.SearchStrategy[sp.Expr]:
        return st.one_of(
            st.tuples(st.sampled_from(_UNARY), children).map(lambda t: t[0](t[1])),
            st.tuples(children, children).map(lambda t: t[0] + t[1]),
            st.tuples(children, children).map(lambda t: t[0] * t[1]),
            st.tuples(children, children).map(lambda t: t[0] - t[1]),
            st.tuples(children, st.integers(-2, 3)).map(lambda t: t[0] ** t[1]),
        )

    unary_first = st.tuples(st.sampled_from(_UNARY), st.sampled_from(_UNARY), leaves).map(
        lambda t: t[0](t[1](t[2]) - 1)
    )
    trees = st.recursive(st.one_of(leaves, unary_first), extend, max_leaves=6)
    return trees.filter(lambda e: x in e.free_symbols and not e.has(sp.zoo, sp.nan, sp.oo, -sp.oo, sp.I))


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_trees())
# compositions that are real only on part of the line, always tried
@example(sp.Abs(sp.log(x)))
@example(sp.Abs(sp.sqrt(x) - 1))
@example(sp.log(sp.Abs(sp.sin(x))) * sp.sqrt(x))
@example(sp.sqrt(sp.log(x)) + sp.Abs(x - a))
def test_derive_diff_never_refutes_its_own_steps(expr: sp.Expr) -> None:
    derivation = derive.differentiate(expr)
    refuted = [s for s in (*derivation.steps, derivation.result) if s.verdict.status == Status.FAILED]
    assert not refuted, [(s.rule, sp.sstr(s.lhs), sp.sstr(s.rhs), s.verdict.describe()) for s in refuted]
