"""The derivation model: a :class:`Derivation` is a titled list of claimed equations.

Everything that produces derivations (the curated library, the rule engine, importers) builds
these objects; everything that shows them (the renderers) reads them. The classes are frozen
dataclasses: verification returns a new derivation with verdicts filled in.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from enum import Enum
from typing import Any

import sympy as sp
from sympy.core.function import AppliedUndef

from .errors import DeriveError

SCHEMA = "derive/1"


class Status(str, Enum):
    """What the verifier concluded about a claim. The value is the word derive/1 JSON stores."""

    SYMBOLIC = "symbolic"  # proved equal by algebra
    NUMERIC = "numeric"  # equal at random points at rising precision: evidence, not proof
    FAILED = "failed"  # a point where both sides are defined and differ
    UNDECIDED = "undecided"  # read, but neither proved nor refuted (the reason says why)
    UNCHECKED = "unchecked"  # not read, so not checked

    @property
    def mark(self) -> str:
        return _MARKS[self]

    @property
    def label(self) -> str:
        return _LABELS[self]

    def __str__(self) -> str:
        return self.value


_MARKS = {
    Status.SYMBOLIC: "✓",
    Status.NUMERIC: "≈",
    Status.FAILED: "✗",
    Status.UNDECIDED: "?",
    Status.UNCHECKED: "?",
}
_LABELS = {
    Status.SYMBOLIC: "symbolic",
    Status.NUMERIC: "numeric",
    Status.FAILED: "WRONG",
    Status.UNDECIDED: "undecided",
    Status.UNCHECKED: "not read",
}
STATUSES: tuple[str, ...] = tuple(s.value for s in Status)


@dataclass(frozen=True)
class Verdict:
    """How a step was checked.

    ``status`` is a :class:`Status`; ``method`` names the rung of the verifier that decided, or
    the reason a claim is undecided. A failed claim carries ``point``, where both sides are
    defined and differ, with both values. ``where`` is a SymPy condition on the variables
    (``x > 0``): for a verified claim, the part of the line where both sides are real and on
    which it was checked; for a failed one, a part where it does hold.
    """

    status: Status = Status.UNCHECKED
    method: str = ""
    point: tuple[tuple[str, str], ...] = ()
    lhs_value: str = ""
    rhs_value: str = ""
    where: sp.Basic | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "status", Status(self.status))

    @property
    def ok(self) -> bool:
        """True when the step was shown to hold, symbolically or numerically."""
        return self.status in (Status.SYMBOLIC, Status.NUMERIC)

    def describe(self) -> str:
        """One line for people: ``verified symbolically (cancel)``, ``wrong at x = 0.5: …``."""
        if self.status == Status.SYMBOLIC:
            text = f"verified symbolically ({self.method})"
        elif self.status == Status.NUMERIC:
            text = f"verified numerically ({self.method}), not proved"
        elif self.status == Status.FAILED:
            at = ", ".join(f"{name} = {value}" for name, value in self.point)
            if self.lhs_value or self.rhs_value:
                text = f"wrong: {f'at {at} ' if at else ''}the left side is {self.lhs_value}, "
                text += f"the right side {self.rhs_value}"
                if self.method and self.method != "the sides differ":
                    text += f" ({self.method})"
            else:
                text = f"wrong ({self.method})"
        elif self.status == Status.UNDECIDED:
            text = f"undecided ({self.method})" if self.method else "undecided"
        else:
            text = f"not read ({self.method})" if self.method else "not read"
        if self.where is not None:
            text += f"; holds for {self.condition_text()}"
        return text

    def condition_text(self) -> str:
        """``where`` in plain notation: ``x > 0``, ``x ≠ 0``."""
        from .printing import condition_text

        return condition_text(self.where) if self.where is not None else ""

    def to_dict(self) -> dict[str, Any]:
        from .printing import sstr

        data: dict[str, Any] = {"method": self.method}
        if self.point:
            data["point"] = dict(self.point)
        if self.lhs_value or self.rhs_value:
            data["lhs_value"] = self.lhs_value
            data["rhs_value"] = self.rhs_value
        if self.where is not None:
            data["where"] = sstr(self.where)
        return data

    @classmethod
    def from_dict(cls, status: str, data: dict[str, Any]) -> Verdict:
        """The verdict a derive/1 file states. ``derive check`` never trusts it: it recomputes."""
        from .parse import parse

        if status not in STATUSES:
            raise DeriveError(f"unknown verdict {status!r}; expected one of {', '.join(STATUSES)}")
        point = data.get("point") or {}
        if not isinstance(point, dict):
            raise DeriveError("verification.point: expected an object")
        where = data.get("where")
        return cls(
            Status(status),
            str(data.get("method", "")),
            tuple((str(k), str(v)) for k, v in point.items()),
            str(data.get("lhs_value", "")),
            str(data.get("rhs_value", "")),
            parse(where, "sympy") if isinstance(where, str) else None,
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
    condition: sp.Basic | None = None  # the claim is made only where this holds (x > 0, i ≠ j)
    source: str = ""  # an imported claim's text, as its author wrote it
    written: tuple[sp.Basic, sp.Basic] | None = None  # its sides read without evaluating anything

    @property
    def shown(self) -> tuple[sp.Basic, sp.Basic]:
        """The sides to display: as the author wrote them (their order and grouping) when the
        step was read from a document, else the sides that were checked."""
        return self.written if self.written is not None else (self.lhs, self.rhs)

    @property
    def equation(self) -> sp.Basic:
        """The step as shown, an unevaluated SymPy ``Eq``, for printing."""
        return sp.Eq(*self.shown, evaluate=False)


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
    result_is_added: bool = False  # the result repeats the last step: derive added it, no author claimed it
    input: str = ""  # the text as typed, when the derivation was asked for in text
    reading: sp.Basic | None = None  # the expression as understood, shown first in every view
    note: str = ""  # which reading was taken where the input was ambiguous, and how to write the other
    subject: sp.Basic | None = None  # the expression the title ends with, typeset by LaTeX and Markdown

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
            if s.condition is not None:
                data["condition"] = sstr(s.condition)
            if s.source:
                data["source"] = s.source
            if s.written is not None:
                data["written"] = {"lhs": sstr(s.written[0]), "rhs": sstr(s.written[1])}
            return data

        extra: dict[str, Any] = {}
        if self.input:
            extra["input"] = self.input
        if self.reading is not None:
            extra["reading"] = sstr(self.reading)
        if self.note:
            extra["note"] = self.note
        if self.subject is not None:
            extra["subject"] = sstr(self.subject)
        data: dict[str, Any] = {
            "schema": SCHEMA,
            "title": self.title,
            **extra,
            "variable": sstr(self.variable),
            "definitions": [
                {"lhs": sstr(d.lhs), "rhs": sstr(d.rhs), "why": d.why, "latex": latex(d.equation)}
                for d in self.definitions
            ],
            "steps": [step(s) for s in self.steps],
            "result": step(self.result),
        }
        if self.result_is_added:
            data["result_is_added"] = True
        return data

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
            line = line if isinstance(line, int) and not isinstance(line, bool) else None
            if item.get("unreadable"):
                # whatever verdict the file states, a claim that was not read was not checked
                raw = sp.Symbol(str(item["lhs"]))
                reason = str(item["unreadable"])
                verdict = Verdict(Status.UNCHECKED, f"could not be read: {reason}")
                source = str(item.get("source", item["lhs"]))
                return Step(raw, raw, str(item.get("rule", "")), "", verdict, line, reason, source=source)
            condition = item.get("condition")
            written = item.get("written")
            if written is not None:
                written = entry(f"{where}.written", written)
                written = (
                    expression(f"{where}.written.lhs", written["lhs"]),
                    expression(f"{where}.written.rhs", written["rhs"]),
                )
            return Step(
                expression(f"{where}.lhs", item["lhs"]),
                expression(f"{where}.rhs", item["rhs"]),
                str(item.get("rule", "")),
                str(item.get("why", "")),
                Verdict.from_dict(str(item.get("verdict", "unchecked")), verification),
                line,
                condition=None if condition is None else expression(f"{where}.condition", condition),
                source=str(item.get("source", "")),
                written=written,
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
        reading = data.get("reading")
        subject = data.get("subject")
        return cls(
            str(data.get("title", "")),
            variable,
            tuple(definitions),
            steps,
            result,
            data.get("result_is_added") is True and "result" in data,
            str(data.get("input", "")),
            None if reading is None else expression("reading", reading),
            str(data.get("note", "")),
            None if subject is None else expression("subject", subject),
        )

    # -- notebooks -----------------------------------------------------------------------------
    def _repr_latex_(self) -> str:
        from .render.latex import render_align

        return f"$${render_align(self, environment='aligned', comments=False)}$$"

    def _repr_markdown_(self) -> str:
        from .render.markdown import render_markdown

        return render_markdown(self)
