"""The derive/1 JSON contract: exact round trips, honest errors, notebook display."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
import sympy as sp

from derive.errors import DeriveError
from derive.formats.json import derivation_from
from derive.formats.json import read as read_json
from derive.formats.json import write as write_json
from derive.model import Definition, Derivation, Kind, Step
from derive.verify import verify

x = sp.Symbol("x")


def test_json_has_the_contract_fields(sigmoid: Derivation) -> None:
    data = json.loads(write_json(sigmoid))
    assert data["schema"] == "derive/1"
    assert data["title"] == "Derivative of the sigmoid"
    assert data["variable"] == "x"
    assert data["definitions"][0] == {**data["definitions"][0], "lhs": "sigma(x)", "rhs": "1/(1 + exp(-x))"}
    assert data["definitions"][1]["lhs"] == "u"
    for step in data["steps"]:
        assert {"lhs", "rhs", "rule", "why", "latex", "verdict"} <= step.keys()
        assert step["verdict"] == "symbolic"
    assert data["result"]["lhs"] == "Derivative(sigma(x), x)"


def test_json_round_trip_is_exact(sigmoid: Derivation) -> None:
    loaded = read_json(write_json(sigmoid))
    assert loaded == sigmoid
    assert write_json(loaded) == write_json(sigmoid)


def test_reverifying_the_loaded_derivation_gives_the_same_verdicts(sigmoid: Derivation) -> None:
    assert verify(read_json(write_json(sigmoid))) == sigmoid


def test_a_tampered_json_step_fails_on_reverification(sigmoid: Derivation) -> None:
    data = json.loads(write_json(sigmoid))
    data["steps"][6]["rhs"] = "-" + data["steps"][6]["rhs"]
    reverified = verify(derivation_from(data))
    assert reverified.steps[6].verdict.status == "failed"
    assert not reverified.ok


def test_failed_verdicts_round_trip_with_their_point() -> None:
    derivation = verify(
        Derivation(
            "wrong", x, (), (Step(sp.sin(x), sp.cos(x), "guess"),), Step(sp.sin(x), sp.cos(x), "result")
        )
    )
    assert derivation.steps[0].verdict.point
    assert read_json(write_json(derivation)) == derivation


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{", "not valid JSON"),
        ("[]", "JSON object"),
        ('{"schema": "other/2"}', "unsupported schema"),
        ('{"schema": "derive/1", "steps": [{"lhs": "x"}]}', "steps[0]"),
        ('{"schema": "derive/1", "steps": [{"lhs": "x +", "rhs": "1"}]}', "steps[0].lhs"),
        ('{"schema": "derive/1", "steps": [{"lhs": "__import__(\'os\')", "rhs": "1"}]}', "steps[0].lhs"),
        (
            '{"schema": "derive/1", "steps": [{"lhs": "x", "rhs": "x", "verdict": "great"}]}',
            "unknown verdict",
        ),
        (
            '{"schema": "derive/1", "definitions": [{"lhs": "x + 1", "rhs": "2"}], "steps": []}',
            "cannot define",
        ),
        ('{"schema": "derive/1", "steps": []}', "at least one step"),
    ],
)
def test_malformed_json_is_a_clear_error(text: str, message: str) -> None:
    with pytest.raises(DeriveError, match=message.replace("[", r"\[").replace("]", r"\]")):
        read_json(text)


def test_definitions_must_name_a_symbol_or_a_function_of_symbols() -> None:
    with pytest.raises(DeriveError):
        Definition(sp.Function("f")(x + 1), x)


def test_notebook_display(sigmoid: Derivation) -> None:
    assert sigmoid._repr_latex_().startswith("$$\\begin{aligned}")
    assert "%" not in sigmoid._repr_latex_()
    assert "$$" in sigmoid._repr_markdown_()


def test_step_objects_hold_sympy_expressions(sigmoid: Derivation) -> None:
    step = sigmoid.steps[0]
    assert isinstance(step.lhs, sp.Basic) and isinstance(step.rhs, sp.Basic)
    assert replace(step, rule="other") != step


def test_a_step_is_unreadable_exactly_when_it_carries_the_reason() -> None:
    assert Step.unread("x ≈ y", "not an equation").kind is Kind.UNREADABLE
    with pytest.raises(ValueError, match="unreadable exactly when"):
        Step(sp.Symbol("x"), sp.Symbol("x"), "", kind=Kind.UNREADABLE)
    with pytest.raises(ValueError, match="unreadable exactly when"):
        Step(sp.Symbol("x"), sp.Symbol("x"), "", unreadable="a reason")
