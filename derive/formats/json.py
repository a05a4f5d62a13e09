"""derive/1 JSON, both ways, one function per node of the model.

Expressions are written in SymPy's ``str()`` syntax (unevaluated nodes as ``Mul(…,
evaluate=False)``) and read back through derive's own parser, never ``eval``. A verdict in a
file is only what the file states: ``derive check`` computes its own.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

import sympy as sp

from ..errors import DeriveError
from ..model import SCHEMA, STATUSES, Definition, Derivation, Kind, Status, Step, Verdict
from ..parse import parse
from ..printing import latex, sstr


# -- writing ----------------------------------------------------------------------------------------
def expression_data(expr: sp.Basic) -> str | list[list[str]]:
    """An expression as a string; a matrix (a gradient, a Jacobian, a Hessian) as a list of its
    rows, each a list of its entries' strings."""
    if isinstance(expr, sp.MatrixBase):
        return [[sstr(expr[i, j]) for j in range(expr.cols)] for i in range(expr.rows)]
    return sstr(expr)


def verdict_data(verdict: Verdict) -> dict[str, Any]:
    """The ``verification`` object of a step (its status is the step's ``verdict`` key)."""
    data: dict[str, Any] = {"method": verdict.method}
    if verdict.point:
        data["point"] = dict(verdict.point)
    if verdict.lhs_value or verdict.rhs_value:
        data["lhs_value"] = verdict.lhs_value
        data["rhs_value"] = verdict.rhs_value
    if verdict.where is not None:
        data["where"] = sstr(verdict.where)
    return data


def step_data(step: Step) -> dict[str, Any]:
    """One step; optional keys appear only when they say something."""
    data: dict[str, Any] = {
        "lhs": expression_data(step.lhs),
        "rhs": expression_data(step.rhs),
        "rule": step.rule,
        "why": step.why,
        "latex": latex(step.equation),
        "verdict": step.verdict.status.value,
        "verification": verdict_data(step.verdict),
    }
    if step.kind is not Kind.STATED:
        data["kind"] = step.kind.value
    if step.line is not None:
        data["line"] = step.line
    if step.kind is Kind.UNREADABLE:
        data["unreadable"] = step.unreadable
    if step.condition is not None:
        data["condition"] = sstr(step.condition)
    if step.source:
        data["source"] = step.source
    if step.written is not None:
        data["written"] = {"lhs": expression_data(step.written[0]), "rhs": expression_data(step.written[1])}
    return data


def definition_data(definition: Definition) -> dict[str, Any]:
    return {
        "lhs": sstr(definition.lhs),
        "rhs": sstr(definition.rhs),
        "why": definition.why,
        "latex": latex(definition.equation),
    }


def derivation_data(derivation: Derivation) -> dict[str, Any]:
    """The ``derive/1`` structure as Python data."""
    data: dict[str, Any] = {"schema": SCHEMA, "title": derivation.title}
    if derivation.input:
        data["input"] = derivation.input
    if derivation.reading is not None:
        data["reading"] = expression_data(derivation.reading)
    if derivation.note:
        data["note"] = derivation.note
    if derivation.subject is not None:
        data["subject"] = expression_data(derivation.subject)
    data["variable"] = sstr(derivation.variable)
    data["definitions"] = [definition_data(d) for d in derivation.definitions]
    data["steps"] = [step_data(s) for s in derivation.steps]
    data["result"] = step_data(derivation.result)
    if derivation.result_is_added:
        data["result_is_added"] = True
    return data


def write(derivation: Derivation, *, standalone: bool = False, log_notation: str = "ln") -> str:
    """``derive/1`` JSON text (``standalone`` changes nothing: JSON is always complete; each
    step's ``latex`` field is written with ``\\ln``, whatever ``log_notation`` asks)."""
    return json.dumps(derivation_data(derivation), indent=2, ensure_ascii=False) + "\n"


# -- reading ----------------------------------------------------------------------------------------
def _expression(where: str, value: Any) -> sp.Expr:
    if isinstance(value, list):
        return _matrix(where, value)
    if not isinstance(value, str):
        raise DeriveError(f"{where}: expected an expression string")
    try:
        return parse(value, "sympy")
    except DeriveError as exc:
        raise DeriveError(f"{where}: {exc}") from None


def _matrix(where: str, rows: list[Any]) -> sp.ImmutableMatrix:
    """A matrix from the list of its rows, each a list of expression strings of one length."""
    if not rows or not all(isinstance(row, list) for row in rows):
        raise DeriveError(f"{where}: expected a matrix, a non-empty list of rows that are lists")
    width = len(rows[0])
    if width == 0 or any(len(row) != width for row in rows):
        raise DeriveError(f"{where}: the rows of a matrix must be non-empty and of one length")
    entries = [
        [_expression(f"{where}[{i}][{j}]", entry) for j, entry in enumerate(row)]
        for i, row in enumerate(rows)
    ]
    if any(isinstance(e, sp.MatrixBase) for row in entries for e in row):
        raise DeriveError(f"{where}: an entry of a matrix must be an expression string")
    return sp.ImmutableMatrix(entries)


def _sides(where: str, item: Any) -> dict[str, Any]:
    if not isinstance(item, dict) or "lhs" not in item or "rhs" not in item:
        raise DeriveError(f"{where}: expected an object with 'lhs' and 'rhs'")
    return item


def verdict_from(where: str, status: str, data: Any) -> Verdict:
    """The verdict a file states. ``derive check`` never trusts it: it recomputes."""
    if status not in STATUSES:
        raise DeriveError(f"{where}: unknown verdict {status!r}; expected one of {', '.join(STATUSES)}")
    if not isinstance(data, dict):
        raise DeriveError(f"{where}.verification: expected an object")
    point = data.get("point") or {}
    if not isinstance(point, dict):
        raise DeriveError(f"{where}.verification.point: expected an object")
    where_holds = data.get("where")
    return Verdict(
        Status(status),
        str(data.get("method", "")),
        tuple((str(k), str(v)) for k, v in point.items()),
        str(data.get("lhs_value", "")),
        str(data.get("rhs_value", "")),
        _expression(f"{where}.verification.where", where_holds) if isinstance(where_holds, str) else None,
    )


def step_from(where: str, item: Any) -> Step:
    item = _sides(where, item)
    line = item.get("line")
    line = line if isinstance(line, int) and not isinstance(line, bool) else None
    if item.get("unreadable"):
        # whatever verdict the file states, a claim that was not read was not checked
        reason = str(item["unreadable"])
        source = str(item.get("source", item["lhs"]))
        return Step.unread(source, reason, line=line, rule=str(item.get("rule", "")))
    kind = item.get("kind", Kind.STATED.value)
    if kind not in {k.value for k in Kind}:
        raise DeriveError(f"{where}.kind: unknown kind {kind!r}")
    if kind == Kind.UNREADABLE.value:
        raise DeriveError(f"{where}.unreadable: a claim that was not read needs the reason")
    condition = item.get("condition")
    written = item.get("written")
    if written is not None:
        written = _sides(f"{where}.written", written)
        written = (
            _expression(f"{where}.written.lhs", written["lhs"]),
            _expression(f"{where}.written.rhs", written["rhs"]),
        )
    return Step(
        _expression(f"{where}.lhs", item["lhs"]),
        _expression(f"{where}.rhs", item["rhs"]),
        str(item.get("rule", "")),
        str(item.get("why", "")),
        verdict_from(where, str(item.get("verdict", "unchecked")), item.get("verification") or {}),
        line,
        condition=None if condition is None else _expression(f"{where}.condition", condition),
        source=str(item.get("source", "")),
        written=written,
        kind=Kind(kind),
    )


def derivation_from(data: Any) -> Derivation:
    """A derivation from ``derive/1`` data (as :func:`derivation_data` writes it)."""
    if not isinstance(data, dict):
        raise DeriveError("a derive/1 document must be a JSON object")
    if data.get("schema") != SCHEMA:
        raise DeriveError(f"unsupported schema {data.get('schema')!r}; expected {SCHEMA!r}")

    def items(key: str) -> list[Any]:
        value = data.get(key, [])
        if not isinstance(value, list):
            raise DeriveError(f"{key}: expected a list")
        return value

    variable = _expression("variable", data.get("variable", "x"))
    if not isinstance(variable, sp.Symbol):
        raise DeriveError("variable: expected a single name")
    definitions = []
    for index, item in enumerate(items("definitions")):
        where = f"definitions[{index}]"
        item = _sides(where, item)
        definitions.append(
            Definition(
                _expression(f"{where}.lhs", item["lhs"]),
                _expression(f"{where}.rhs", item["rhs"]),
                str(item.get("why", "")),
            )
        )
    steps = tuple(step_from(f"steps[{i}]", item) for i, item in enumerate(items("steps")))
    if "result" in data:
        result = step_from("result", data["result"])
    elif steps:
        result = replace(steps[-1], rule="result", why="")
    else:
        raise DeriveError("a derivation needs at least one step or a result")
    reading, subject = data.get("reading"), data.get("subject")
    return Derivation(
        str(data.get("title", "")),
        variable,
        tuple(definitions),
        steps,
        result,
        data.get("result_is_added") is True and "result" in data,
        str(data.get("input", "")),
        None if reading is None else _expression("reading", reading),
        str(data.get("note", "")),
        None if subject is None else _expression("subject", subject),
    )


def read(text: str, definitions: Sequence[Definition] = (), name: str = "") -> Derivation:
    """Read ``derive/1`` JSON text; ``definitions`` add to the file's own (the file's win); the
    title is the file's own, whatever its ``name``.

    Raises :class:`DeriveError` naming the field that is missing or malformed."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise DeriveError(f"not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}") from None
    except RecursionError:
        raise DeriveError("not valid JSON: nested too deeply") from None
    derivation = derivation_from(data)
    known = {d.lhs for d in derivation.definitions}
    extra = tuple(d for d in definitions if d.lhs not in known)
    return replace(derivation, definitions=derivation.definitions + extra)
