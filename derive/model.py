"""The derivation model: a :class:`Derivation` is a titled list of claimed equations.

Everything that produces derivations (the curated library, the rule engine, importers) builds
these objects; everything that shows them (the renderers) reads them. The classes are frozen
dataclasses: verification returns a new derivation with verdicts filled in.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import Enum

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


_RELATION_SIGNS = {"!=": "≠", ">=": "≥", "<=": "≤", "==": "="}


def condition_text(condition: sp.Basic) -> str:
    """A condition in plain notation for one line: ``x > 0``, ``x ≠ 0``, ``x < 0 or x > 1``."""
    if isinstance(condition, (sp.And, sp.Or)):
        joiner = " and " if isinstance(condition, sp.And) else " or "
        return joiner.join(condition_text(c) for c in sorted(condition.args, key=sp.default_sort_key))
    if isinstance(condition, sp.core.relational.Relational):
        sign = _RELATION_SIGNS.get(condition.rel_op, condition.rel_op)
        return f"{sp.sstr(condition.lhs)} {sign} {sp.sstr(condition.rhs)}"
    return sp.sstr(condition)


class Kind(str, Enum):
    """What justifies a step, as a fact code reads (never the rule's label)."""

    STATED = "stated"  # claimed with a named rule: curated, or written by an author
    RULES = "rules"  # differentiation rules applied by the engine (``Step.rules`` holds them)
    TIDY = "tidy"  # an algebraic tidy-up of the line above
    IN_TERMS_OF = "in terms of"  # the result written through the names the user gave
    THRESHOLD = "threshold"  # the derivative equals a threshold at the point in ``lhs``
    UNREADABLE = "unreadable"  # an imported claim that could not be read (``source``, ``unreadable``)


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
        return condition_text(self.where) if self.where is not None else ""


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
    unreadable: str = ""  # why an imported claim could not be read (with Kind.UNREADABLE only)
    condition: sp.Basic | None = None  # the claim is made only where this holds (x > 0, i ≠ j)
    source: str = ""  # an imported claim's text, as its author wrote it
    written: tuple[sp.Basic, sp.Basic] | None = None  # its sides read without evaluating anything
    kind: Kind = Kind.STATED
    # for Kind.RULES, the rule objects the engine applied; not part of what the step claims
    rules: tuple[object, ...] = field(default=(), compare=False)

    def __post_init__(self) -> None:
        # the kind is the fact code reads; the reason comes with it, and only with it
        if (self.kind is Kind.UNREADABLE) != bool(self.unreadable):
            raise ValueError("a step is unreadable exactly when it carries the reason (Step.unread)")

    @classmethod
    def unread(cls, source: str, reason: str, *, line: int | None = None, rule: str = "") -> Step:
        """A claim that could not be read: its text and why. It has no sides (both are NaN, which
        equals nothing a claim could state) and its verdict is "not read"."""
        verdict = Verdict(Status.UNCHECKED, f"could not be read: {reason}")
        return cls(sp.nan, sp.nan, rule, "", verdict, line, reason, source=source, kind=Kind.UNREADABLE)

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
        return next((s for s in (*self.steps, self.result) if s.verdict.status == Status.FAILED), None)

    def with_verdicts(self, steps: list[Verdict], result: Verdict) -> Derivation:
        """A copy whose steps carry the verdicts ``steps`` (in order) and whose result ``result``."""
        if len(steps) != len(self.steps):
            raise ValueError("one verdict per step is needed")
        return replace(
            self,
            steps=tuple(replace(s, verdict=v) for s, v in zip(self.steps, steps, strict=True)),
            result=replace(self.result, verdict=result),
        )

    # -- notebooks ---------------------------------------------------------------------------
    # Jupyter looks for these methods on the class itself; they ask the format registry, which
    # the model does not import until a notebook displays a derivation.
    def _repr_latex_(self) -> str:
        from .formats.latex import notebook

        return notebook(self)

    def _repr_markdown_(self) -> str:
        from .formats.markdown import write

        return write(self)
