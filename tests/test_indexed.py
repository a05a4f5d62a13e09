"""Indexed claims made concrete: sizes 1 … 4 and every value of the free indices."""

from __future__ import annotations

import pytest
import sympy as sp

from derive.indexed import concrete, free_indices, instances, is_indexed, sizes_of
from derive.model import Definition
from derive.read.documents import load
from derive.read.latex_math import parse_latex

i, j, k = (sp.Symbol(c, integer=True) for c in "ijk")
n = sp.Symbol("n", integer=True, positive=True)
z = sp.IndexedBase("z")


def _holds(lhs: sp.Basic, rhs: sp.Basic, definitions: tuple[Definition, ...], substitution: tuple) -> bool:
    """A tiny stand-in for the verifier: definitions in, derivatives done, difference simplified."""

    def expand(expr: sp.Basic) -> sp.Basic:
        for definition in reversed(definitions):  # later definitions are written in earlier names
            parameters = definition.lhs.args
            body = concrete(definition.rhs, [(s, v) for s, v in substitution if s not in parameters])
            if isinstance(definition.lhs, sp.Symbol):
                expr = expr.xreplace({definition.lhs: body})
            else:
                expr = expr.replace(definition.lhs.func, sp.Lambda(parameters, body))
        return concrete(expr, substitution).doit()

    return sp.simplify(expand(lhs) - expand(rhs)) == 0


def test_a_sum_is_written_out_at_each_size() -> None:
    lhs = parse_latex(r"\sum_{k=1}^{n} z_k")
    cases = instances(lhs, lhs)
    assert [c.description for c in cases] == ["n = 1", "n = 2", "n = 3", "n = 4"]
    assert cases[2].lhs == sp.Symbol("z_1") + sp.Symbol("z_2") + sp.Symbol("z_3")
    assert all(not c.lhs.has(sp.Sum, sp.Indexed) for c in cases)


def test_free_indices_take_every_value_and_the_condition_filters() -> None:
    lhs = sp.KroneckerDelta(i, j)
    everything = instances(lhs, sp.Integer(0))
    assert len(everything) == 1 + 4 + 9 + 16
    assert everything[1].description == "i = 1, j = 1"
    off_diagonal = instances(lhs, sp.Integer(0), sp.Ne(i, j))
    assert len(off_diagonal) == 0 + 2 + 6 + 12
    assert all(c.lhs == 0 for c in off_diagonal)


def test_the_size_in_a_definition_is_found_through_the_context() -> None:
    definition = Definition(sp.Function("a")(j), sp.exp(z[j]) / sp.Sum(sp.exp(z[k]), (k, 1, n)))
    lhs = sp.Derivative(sp.Function("a")(j), z[i])
    assert sizes_of(lhs) == []
    assert sizes_of(lhs, definition.rhs) == [n]
    assert free_indices(lhs, definition.rhs, sizes=[n]) == [i, j]
    cases = instances(lhs, lhs, context=[definition.rhs])
    assert cases[-1].description == "n = 4, i = 4, j = 4"


def test_the_softmax_jacobian_holds_in_every_case_and_a_wrong_entry_is_found() -> None:
    document = load(
        "The softmax $a_j = \\frac{e^{z_j}}{\\sum_{k=1}^{n} e^{z_k}}$.\n\n"
        "$$\\frac{\\partial a_j}{\\partial z_i} = a_j(\\delta_{ij} - a_i)$$\n\n"
        "$$\\frac{\\partial a_j}{\\partial z_i} = a_j(1 - a_i) \\quad \\text{if } i \\neq j$$\n",
        "markdown",
    )
    right, wrong = document.steps
    context = [d.rhs for d in document.definitions]
    assert all(
        _holds(c.lhs, c.rhs, document.definitions, c.substitution)
        for c in instances(right.lhs, right.rhs, right.condition, context=context)
    )
    failing = [
        c.description
        for c in instances(wrong.lhs, wrong.rhs, wrong.condition, context=context)
        if not _holds(c.lhs, c.rhs, document.definitions, c.substitution)
    ]
    assert failing[0] == "n = 2, i = 1, j = 2"
    assert "n = 1, i = 1, j = 1" not in failing


def test_cross_entropy_gradient_through_the_softmax() -> None:
    document = load(
        "With $a_j = \\frac{e^{z_j}}{\\sum_k e^{z_k}}$ and $L = -\\sum_k y_k \\log a_k$:\n\n"
        "$$\\frac{\\partial L}{\\partial z_i} = a_i \\sum_k y_k - y_i$$\n",
        "markdown",
    )
    (step,) = document.steps
    context = [d.rhs for d in document.definitions]
    cases = instances(step.lhs, step.rhs, context=context)
    assert len(cases) == 1 + 2 + 3 + 4
    assert all(_holds(c.lhs, c.rhs, document.definitions, c.substitution) for c in cases)


def test_a_claim_without_indices_is_its_own_single_instance() -> None:
    x = sp.Symbol("x")
    (case,) = instances(x**2, x * x)
    assert case.description == "" and case.lhs == x**2
    assert not is_indexed(x**2) and is_indexed(sp.KroneckerDelta(i, j))


def test_too_many_free_indices_are_refused() -> None:
    many = sp.Add(*(sp.Symbol(c, integer=True) for c in "ijklm"))
    with pytest.raises(ValueError, match="cases"):
        instances(many, many)


def test_each_instance_is_an_equation_the_verifier_can_decide() -> None:
    from derive.indexed import concrete_definitions
    from derive.verify import check_equation

    document = load(
        "Softmax: $s_i = \\frac{e^{x_i}}{\\sum_k e^{x_k}}$.\n\n"
        "$$\\frac{\\partial s_i}{\\partial x_j} = s_i(\\delta_{ij} - s_j)$$\n\n"
        "$$\\frac{\\partial s_i}{\\partial x_j} = s_i s_j \\quad \\text{if } i \\neq j$$\n",
        "markdown",
    )
    verdicts = []
    for step in document.steps:
        cases = instances(
            step.lhs, step.rhs, step.condition, sizes=(1, 2, 3), definitions=document.definitions
        )
        verdicts.append(
            [
                check_equation(
                    c.lhs, c.rhs, concrete_definitions(document.definitions, c), document.variable
                ).status
                for c in cases
            ]
        )
    right, wrong = verdicts
    assert set(right) <= {"symbolic", "numeric"}
    assert set(wrong) == {"failed"}


def test_a_sums_own_index_stays_bound_when_the_same_letter_is_a_free_index() -> None:
    # p_k = e^{z_k}/Σ_k e^{z_k} next to ∂p_k/∂z_i: putting k = 1 in must leave the sum's k alone,
    # and a derivative by z[i] must become a derivative by z_1 (its index is not a free symbol)
    k, i, n = sp.symbols("k i n", integer=True)
    z = sp.IndexedBase("z")
    total = sp.Sum(sp.exp(z[k]), (k, 1, n))
    assert concrete(sp.exp(z[k]) / total, [(n, 2), (k, 1)]) == sp.exp(sp.Symbol("z_1")) / (
        sp.exp(sp.Symbol("z_1")) + sp.exp(sp.Symbol("z_2"))
    )
    assert concrete(sp.Derivative(sp.Symbol("L"), z[i]), [(i, 2)]) == sp.Derivative(
        sp.Symbol("L"), sp.Symbol("z_2")
    )


def test_a_chain_of_indexed_lines_gets_the_verdicts_of_its_lines_checked_alone() -> None:
    """Each concrete case of a line that rewrites the line above is first shown from that
    line's case; the verdicts must be those of checking every line on its own, and a wrong
    rewrite still fails in a named case, with the same point and values."""
    from derive.read.documents import read_document
    from derive.verify import verify, verify_step

    document = read_document(
        r"""
With $s = \sum_{j=1}^{n} w_j z_j^2$:
\begin{align}
\frac{\partial s}{\partial z_i} &= \sum_{j=1}^{n} w_j \frac{\partial z_j^2}{\partial z_i} \\
&= 2 w_i z_i \\
&= 3 w_i z_i
\end{align}
""",
        "latex",
    )
    checked = verify(document)
    alone = [verify_step(step, document) for step in document.steps]
    assert [s.verdict for s in checked.steps] == alone
    assert [v.status for v in alone] == ["numeric", "numeric", "failed"]
    assert alone[2].method == "in the case n = 1, i = 1: the sides differ"


def test_a_line_above_true_only_where_it_is_defined_does_not_carry_a_wrong_rewrite() -> None:
    """The middle line 2·ln z − ln z² + z has a value only for z > 0, and there it equals both
    the derivative z and |z|: chaining the two proofs would prove z = |z| everywhere. The last
    line is wrong for z < 0 and must fail there."""
    from derive.read.documents import read_document
    from derive.verify import verify

    document = read_document(
        r"""
With $E = \frac{1}{2} \sum_{k=1}^{n} a_k^2$:
\begin{align}
\frac{\partial E}{\partial a_i} &= 2 \ln a_i - \ln\left(a_i^2\right) + a_i \\
&= \left| a_i \right|
\end{align}
""",
        "latex",
    )
    middle, last = verify(document).steps
    assert middle.verdict.status == "numeric"
    assert last.verdict.status == "failed"
    assert last.verdict.point and all(float(value) < 0 for _, value in last.verdict.point)


def _verdicts(text: str) -> list:
    from derive.read.documents import read_document
    from derive.verify import verify

    return [step.verdict for step in verify(read_document(text, "markdown")).steps]


def test_a_claim_proved_in_each_case_only_on_part_of_the_line_says_where_in_its_own_names() -> None:
    """2·ln z_i − ln z_i² + z_i is z_i only where z_i > 0; each concrete case is proved there
    and nowhere else, so the claim about every i holds for z[i] > 0, not everywhere."""
    (verdict,) = _verdicts(
        "$E = \\frac{1}{2} \\sum_{k=1}^{n} z_k^2$\n\n"
        "$$\\frac{\\partial E}{\\partial z_i} = 2 \\ln z_i - \\ln\\left(z_i^2\\right) + z_i$$\n"
    )
    assert verdict.status == "numeric"  # sizes 1 to 4: evidence about every n, not a proof
    assert verdict.where == (sp.Indexed("z", sp.Symbol("i", integer=True)) > 0)
    assert verdict.condition_text() == "z[i] > 0"


def test_a_case_condition_on_elements_the_claim_only_sums_over_leaves_the_claim_undecided() -> None:
    """Where each case holds (z_1 + z_2 > 0 at n = 2) names elements the claim reaches only
    through its sum: no condition in the claim's names states it, so no ✓ is given."""
    (verdict,) = _verdicts(
        "$E = \\frac{1}{2} \\sum_{k=1}^{n} z_k^2$\n\n"
        "$$\\frac{\\partial E}{\\partial z_i} = z_i + 2\\ln\\left(\\sum_{k=1}^{n} z_k\\right)"
        " - \\ln\\left(\\left(\\sum_{k=1}^{n} z_k\\right)^2\\right)$$\n"
    )
    assert verdict.status == "undecided"
    assert "z_1 + z_2 > 0" in verdict.method


def test_a_claim_that_holds_on_a_different_part_of_the_line_in_each_case_is_left_undecided() -> None:
    """At i = 1 the claim holds for z_1 < 0, at every other i for z_i > 0: written in the claim's
    names the two parts are z[i] < 0 and z[i] > 0, and no one condition on z[i] says where it
    holds (both together hold nowhere)."""
    (verdict,) = _verdicts("$$2\\ln\\left(z_i - 2 z_i \\delta_{i1}\\right) = \\ln\\left(z_i^2\\right)$$\n")
    assert verdict.status == "undecided"
    assert "z[i] < 0 in the case i = 1" in verdict.method


def test_a_claim_about_every_size_is_not_proved_by_sizes_1_to_4() -> None:
    """Σ_{k=1}^{n} (k−1)(k−2)(k−3)(k−4)·x is 0 up to n = 4 and 24x at n = 5: the concrete cases
    are evidence, and the verdict must not be a proof."""
    (verdict,) = _verdicts("$$\\sum_{k=1}^{n} (k-1)(k-2)(k-3)(k-4) x = 0$$\n")
    assert verdict.status == "numeric"
    assert "not proved for larger sizes" in verdict.method


def test_the_size_outside_a_sum_is_the_same_n_as_its_bound() -> None:
    """The n of n(n + 1)/2 is the n that bounds the sum, though the reader makes the bound an
    integer: Gauss's sum holds in every case (it was refuted at n = 0.009 as a separate n)."""
    first, second, wrong = _verdicts(
        "$$\\sum_{k=1}^{n} 1 = n$$\n\n$$\\sum_{k=1}^{n} k = \\frac{n(n+1)}{2}$$\n\n$$= \\frac{n^2}{2}$$\n"
    )
    assert first.status == second.status == "numeric"
    assert wrong.status == "failed" and "n = 1" in wrong.method


@pytest.mark.parametrize(
    ("claim", "status"),
    [
        # indices only in subscripts: the values 1 to 4 give every pattern of equal indices
        ("\\frac{\\partial}{\\partial z_i} \\left(z_i z_j\\right) = z_j + z_i \\delta_{ij}", "symbolic"),
        # an index in arithmetic is not covered: (i−1)(i−2)(i−3)(i−4) is 0 up to i = 4
        ("(i-1)(i-2)(i-3)(i-4) z_i = 0", "numeric"),
    ],
)
def test_an_index_proves_every_case_only_when_it_stands_in_subscripts(claim: str, status: str) -> None:
    (verdict,) = _verdicts(f"$${claim}$$\n")
    assert verdict.status == status


def test_an_element_named_outright_is_a_number_the_indices_may_equal() -> None:
    """∂(z_1 + z_2 + z_3 + z_4)/∂z_i is 1 for i ≤ 4 and 0 at i = 5: a subscript written as a
    number takes part in the cases without being counted among the subscripts, so index values
    up to 4 do not cover the claim."""
    (verdict,) = _verdicts("$$\\frac{\\partial}{\\partial z_i}\\left(z_1 + z_2 + z_3 + z_4\\right) = 1$$\n")
    assert verdict.status == "numeric"


@pytest.mark.parametrize(
    "claim",
    [
        "\\sqrt{z_i^2} = z_i \\quad \\text{if } z_i > 0",
        "|z_i| = -z_i \\quad \\text{if } z_i < 0",
        # the n of the condition is the bound: the cases n = 1 and 2 are not claimed
        "\\sum_{k=1}^{n} \\delta_{k3} = 1 \\quad \\text{if } n \\geq 3",
        # z_n (n is no index letter, so the reader keeps it a name) is the n-th element
        "\\sum_{k=1}^{n} z_k - \\sum_{k=1}^{n-1} z_k = z_n",
    ],
)
def test_each_case_is_checked_under_the_claims_condition_and_names(claim: str) -> None:
    (verdict,) = _verdicts(f"$${claim}$$\n")
    assert verdict.ok, verdict.method


def test_a_definition_that_cannot_be_made_concrete_leaves_the_claim_undecided() -> None:
    """g = d/di (i·x) at i = 1 would be a derivative by the number 1."""
    (verdict,) = _verdicts("Let $g = \\frac{d}{d i} \\left(i x\\right)$.\n\n$$g z_i = x z_i$$\n")
    assert verdict.status == "undecided"
