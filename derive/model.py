"""The derivation model: a :class:`Derivation` is a titled list of claimed equations.

Everything that produces derivations (the curated library, the rule engine, importers) builds
these objects; everything that shows them (the renderers) reads them. The classes are frozen
dataclasses: verification returns a new derivation with verdicts filled in.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from typing import Any, Literal

import sympy as sp
from sympy.core.function import AppliedUndef

from .errors import DeriveError

SCHEMA = "derive/1"

Status = Literal["symbolic", "numeric", "failed", "unchecked"]
STATUSES: tuple[Status, ...] = ("symbolic", "numeric", "failed", "unchecked")


@dataclass(frozen=True)
class Verdict:
    """How a step was checked.

    ``status`` is ``"symbolic"`` (proved equal by algebra), ``"numeric"`` (equal at random
    sample points, not proved), ``"failed"`` (the sides differ; ``point`` holds where, with both
    values) or ``"unchecked"``. ``method`` names the rung of the verifier that decided.
    """

    status: Status = "unchecked"
    method: str = ""
    point: tuple[tuple[str, str], ...] = ()
    lhs_value: str = ""
    rhs_value: str = ""

    @property
    def ok(self) -> bool:
        """True when the step was shown to hold, symbolically or numerically."""
        return self.status in ("symbolic", "numeric")

    def describe(self) -> str:
        """One line for people: ``verified symbolically (cancel)``, ``wrong at x = 0.5: …``."""
        if self.status == "symbolic":
            return f"verified symbolically ({self.method})"
        if self.status == "numeric":
            return f"verified numerically ({self.method}), not proved"
        if self.status == "failed":
            where = ", ".join(f"{name} = {value}" for name, value in self.point)
            if not where:
                return f"wrong ({self.method})"
            return f"wrong: at {where} the left side is {self.lhs_value}, the right side {self.rhs_value}"
        return f"not checked ({self.method})" if self.method else "not checked"

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"method": self.method}
        if self.point:
            data["point"] = dict(self.point)
            data["lhs_value"] = self.lhs_value
            data["rhs_value"] = self.rhs_value
        return data

    @classmethod
    def from_dict(cls, status: str, data: dict[str, Any]) -> Verdict:
        if status not in STATUSES:
            raise DeriveError(f"unknown verdict {status!r}; expected one of {', '.join(STATUSES)}")
        point = data.get("point") or {}
        return cls(
            status,  # type: ignore[arg-type]
            str(data.get("method", "")),
            tuple((str(k), str(v)) for k, v in point.items()),
            str(data.get("lhs_value", "")),
            str(data.get("rhs_value", "")),
        )


UNCHECKED = Verdict()


@dataclass(frozen=True)
class Step:
    """One claimed equation ``lhs = rhs``, the rule that justifies it, and its verdict."""

    lhs: sp.Expr
    rhs: sp.Expr
    rule: str
    why: str = ""
    verdict: Verdict = UNCHECKED
    line: int | None = None  # where an imported step stood in its source file
    unreadable: str = ""  # why an imported claim could not be read (its sides then hold the raw text)

    @property
    def equation(self) -> sp.Basic:
        """The step as an unevaluated SymPy ``Eq``, for printing."""
        return sp.Eq(self.lhs, self.rhs, evaluate=False)


@dataclass(frozen=True)
class Definition:
    """``lhs := rhs``, where ``lhs`` is a symbol (``u``) or an undefined function applied to its
    parameters (``sigma(x)``)."""

    lhs: sp.Expr
    rhs: sp.Expr
    why: str = ""

    def __post_init__(self) -> None:
        if isinstance(self.lhs, sp.Symbol):
            return
        if isinstance(self.lhs, AppliedUndef) and all(isinstance(a, sp.Symbol) for a in self.lhs.args):
            return
        raise DeriveError(f"cannot define {self.lhs}: the left side must be a name or a function of names")

    @property
    def equation(self) -> sp.Basic:
        return sp.Eq(self.lhs, self.rhs, evaluate=False)


@dataclass(frozen=True)
class Derivation:
    """A titled sequence of steps about one variable, with its definitions and final result."""

    title: str
    variable: sp.Symbol
    definitions: tuple[Definition, ...]
    steps: tuple[Step, ...]
    result: Step

    @property
    def ok(self) -> bool:
        """True when every step and the result were verified (symbolically or numerically)."""
        return all(step.verdict.ok for step in (*self.steps, self.result))

    def first_failure(self) -> Step | None:
        """The first step whose verdict is ``failed``, if any."""
        return next((s for s in (*self.steps, self.result) if s.verdict.status == "failed"), None)

    def with_verdicts(self, steps: list[Verdict], result: Verdict) -> Derivation:
        """A copy whose steps carry the verdicts ``steps`` (in order) and whose result ``result``."""
        if len(steps) != len(self.steps):
            raise ValueError("one verdict per step is needed")
        return replace(
            self,
            steps=tuple(replace(s, verdict=v) for s, v in zip(self.steps, steps, strict=True)),
            result=replace(self.result, verdict=result),
        )

    # -- JSON ----------------------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        """The ``derive/1`` JSON structure as Python data."""
        from .printing import latex, sstr

        def step(s: Step) -> dict[str, Any]:
            data = {
                "lhs": sstr(s.lhs),
                "rhs": sstr(s.rhs),
                "rule": s.rule,
                "why": s.why,
                "latex": latex(s.equation),
                "verdict": s.verdict.status,
                "verification": s.verdict.to_dict(),
            }
            if s.line is not None:
                data["line"] = s.line
            if s.unreadable:
                data["unreadable"] = s.unreadable
            return data

        return {
            "schema": SCHEMA,
            "title": self.title,
            "variable": sstr(self.variable),
            "definitions": [
                {"lhs": sstr(d.lhs), "rhs": sstr(d.rhs), "why": d.why, "latex": latex(d.equation)}
                for d in self.definitions
            ],
            "steps": [step(s) for s in self.steps],
            "result": step(self.result),
        }

    def to_json(self) -> str:
        """Serialise to ``derive/1`` JSON text (see the README for the schema)."""
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False) + "\n"

    @classmethod
    def from_json(cls, text: str) -> Derivation:
        """Read ``derive/1`` JSON text; expressions go through the safe parser, never ``eval``.

        Raises :class:`DeriveError` naming the field that is missing or malformed.
        """
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise DeriveError(f"not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}") from None
        return cls.from_dict(data)

    @classmethod
    def from_dict(cls, data: Any) -> Derivation:
        """Build a derivation from ``derive/1`` data (as :meth:`to_dict` writes it)."""
        from .parse import parse

        if not isinstance(data, dict):
            raise DeriveError("a derive/1 document must be a JSON object")
        if data.get("schema") != SCHEMA:
            raise DeriveError(f"unsupported schema {data.get('schema')!r}; expected {SCHEMA!r}")

        def expression(where: str, value: Any) -> sp.Expr:
            if not isinstance(value, str):
                raise DeriveError(f"{where}: expected an expression string")
            try:
                return parse(value, "sympy")
            except DeriveError as exc:
                raise DeriveError(f"{where}: {exc}") from None

        def entry(where: str, item: Any) -> dict[str, Any]:
            if not isinstance(item, dict) or "lhs" not in item or "rhs" not in item:
                raise DeriveError(f"{where}: expected an object with 'lhs' and 'rhs'")
            return item

        def step(where: str, item: Any) -> Step:
            item = entry(where, item)
            verification = item.get("verification") or {}
            if not isinstance(verification, dict):
                raise DeriveError(f"{where}.verification: expected an object")
            line = item.get("line")
            if item.get("unreadable"):
                raw = sp.Symbol(str(item["lhs"]))
                return Step(
                    raw,
                    raw,
                    str(item.get("rule", "")),
                    "",
                    Verdict.from_dict(str(item.get("verdict", "unchecked")), verification),
                    line if isinstance(line, int) else None,
                    str(item["unreadable"]),
                )
            return Step(
                expression(f"{where}.lhs", item["lhs"]),
                expression(f"{where}.rhs", item["rhs"]),
                str(item.get("rule", "")),
                str(item.get("why", "")),
                Verdict.from_dict(str(item.get("verdict", "unchecked")), verification),
                line if isinstance(line, int) else None,
            )

        def items(key: str) -> list[Any]:
            value = data.get(key, [])
            if not isinstance(value, list):
                raise DeriveError(f"{key}: expected a list")
            return value

        variable = expression("variable", data.get("variable", "x"))
        if not isinstance(variable, sp.Symbol):
            raise DeriveError("variable: expected a single name")
        definitions = []
        for index, item in enumerate(items("definitions")):
            where = f"definitions[{index}]"
            item = entry(where, item)
            definitions.append(
                Definition(
                    expression(f"{where}.lhs", item["lhs"]),
                    expression(f"{where}.rhs", item["rhs"]),
                    str(item.get("why", "")),
                )
            )
        steps = tuple(step(f"steps[{i}]", item) for i, item in enumerate(items("steps")))
        if "result" in data:
            result = step("result", data["result"])
        elif steps:
            result = replace(steps[-1], rule="result", why="")
        else:
            raise DeriveError("a derivation needs at least one step or a result")
        return cls(str(data.get("title", "")), variable, tuple(definitions), steps, result)

    # -- notebooks -----------------------------------------------------------------------------
    def _repr_latex_(self) -> str:
        from .render.latex import render_align

        return f"$${render_align(self, environment='aligned', comments=False)}$$"

    def _repr_markdown_(self) -> str:
        from .render.markdown import render_markdown

        return render_markdown(self)
