"""The short verdict marks all renderers share."""

from __future__ import annotations

from collections import Counter

from ..model import Derivation, Kind, Status, Step, Verdict


def mark(verdict: Verdict, *, reason: bool = True) -> str:
    """``✓ symbolic (cancel)``: the mark, the kind of check, and the rung or reason (left out
    with ``reason=False``, where the view states it on a line of its own)."""
    text = f"{verdict.status.mark} {verdict.status.label}"
    if (verdict.status == Status.FAILED and verdict.lhs_value) or not reason:
        return text  # the point and both values follow on their own line
    text = f"{text} ({verdict.method})" if verdict.method else text
    return f"{text}, for {verdict.condition_text()}" if verdict.where is not None else text


def shown_steps(derivation: Derivation) -> tuple[Step, ...]:
    """The steps a view shows: a document's result is its last claim, so it is shown once."""
    if derivation.result_is_added:
        return derivation.steps
    return (*derivation.steps, derivation.result)


def continues(previous: Step | None, step: Step) -> bool:
    """A step whose left side repeats the previous one is shown as ``= rhs``."""
    return previous is not None and previous.lhs == step.lhs


def summary(derivation: Derivation) -> str:
    """``12 claims: 11 verified symbolically, 1 numerically (not proved)`` and so on; for a
    document, ``41 of 44 claims read: …`` (the result line derive adds is not a claim)."""
    claims = derivation.steps if derivation.result_is_added else (*derivation.steps, derivation.result)
    counts = Counter(s.verdict.status for s in claims)
    total = sum(counts.values())
    parts = [f"{counts['symbolic']} verified symbolically"] if counts.get("symbolic") else []
    if counts.get("numeric"):
        parts.append(f"{counts['numeric']} numerically (not proved)")
    if counts.get("failed"):
        parts.append(f"{counts['failed']} wrong")
    if counts.get("undecided"):
        parts.append(f"{counts['undecided']} undecided")
    if counts.get("unchecked"):
        parts.append(f"{counts['unchecked']} not read")
    if derivation.result_is_added:
        read = total - sum(1 for s in claims if s.kind is Kind.UNREADABLE)
        text = f"{read} of {total} claims read: " + ", ".join(parts)
    else:
        text = f"{total} claims: " + ", ".join(parts)
    failure = derivation.first_failure()
    if failure is not None and failure.line is not None:
        text += f"; the first wrong step is on line {failure.line}"
    return text
