"""The short verdict marks all renderers share."""

from __future__ import annotations

from collections import Counter

from ..model import Derivation, Step, Verdict

MARKS = {"symbolic": "✓", "numeric": "≈", "failed": "✗", "unchecked": "?"}
LABELS = {"symbolic": "symbolic", "numeric": "numeric", "failed": "WRONG", "unchecked": "unchecked"}


def mark(verdict: Verdict) -> str:
    """``✓ symbolic (cancel)``: the mark, the kind of check, and the rung or reason."""
    text = f"{MARKS[verdict.status]} {LABELS[verdict.status]}"
    if verdict.status == "failed" and verdict.point:
        return text  # the point and both values follow on their own line
    return f"{text} ({verdict.method})" if verdict.method else text


def continues(previous: Step | None, step: Step) -> bool:
    """A step whose left side repeats the previous one is shown as ``= rhs``."""
    return previous is not None and previous.lhs == step.lhs


def summary(derivation: Derivation) -> str:
    """``12 claims: 11 verified symbolically, 1 numerically (not proved)`` and so on."""
    counts = Counter(s.verdict.status for s in (*derivation.steps, derivation.result))
    total = sum(counts.values())
    parts = [f"{counts['symbolic']} verified symbolically"] if counts.get("symbolic") else []
    if counts.get("numeric"):
        parts.append(f"{counts['numeric']} numerically (not proved)")
    if counts.get("failed"):
        parts.append(f"{counts['failed']} wrong")
    if counts.get("unchecked"):
        parts.append(f"{counts['unchecked']} not checked")
    text = f"{total} claims: " + ", ".join(parts)
    failure = derivation.first_failure()
    if failure is not None and failure.line is not None:
        text += f"; the first wrong step is on line {failure.line}"
    return text
