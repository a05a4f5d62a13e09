"""A corpus of derivations written the way people publish them, each with the truth of every claim.

Each ``tests/corpus/NAME.EXT`` has a sidecar ``NAME.EXT.truth``: one line per claim, in the
order the author makes them, ``LINE right`` or ``LINE wrong`` (with an optional ``# note``).
The test asserts that every claim is read, on its line; that no right claim is called WRONG;
and that every wrong claim (each planted mistake, and what follows from it) is found on its line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from derive.model import Status
from derive.read.documents import check

from .conftest import ROOT

CORPUS = ROOT / "tests" / "corpus"
DOCUMENTS = sorted(p for p in CORPUS.iterdir() if p.suffix in (".md", ".tex", ".txt", ".ipynb"))


@dataclass(frozen=True)
class Truth:
    line: int
    right: bool
    note: str


def _truth(path: Path) -> list[Truth]:
    sidecar = path.with_name(path.name + ".truth")
    truths = []
    for raw in sidecar.read_text(encoding="utf-8").splitlines():
        text, _, note = raw.partition("#")
        if not text.strip():
            continue
        match = re.fullmatch(r"\s*(\d+)\s+(right|wrong)\s*", text)
        assert match, f"{sidecar}: cannot read {raw!r}"
        truths.append(Truth(int(match.group(1)), match.group(2) == "right", note.strip()))
    return truths


def test_the_corpus_is_large_and_has_planted_mistakes() -> None:
    assert len(DOCUMENTS) >= 40
    with_mistakes = [p for p in DOCUMENTS if any(not t.right for t in _truth(p))]
    assert len(with_mistakes) >= 12
    assert all(p.with_name(p.name + ".truth").is_file() for p in DOCUMENTS)


@pytest.mark.parametrize("path", DOCUMENTS, ids=[p.name for p in DOCUMENTS])
def test_every_claim_is_read_and_judged_by_its_truth(path: Path) -> None:
    checked = check(path)
    truths = _truth(path)
    unread = [(s.line, s.unreadable) for s in checked.steps if s.unreadable]
    assert unread == [], "claims not read"
    assert [s.line for s in checked.steps] == [t.line for t in truths], "claims read differ from the truth"
    for step, truth in zip(checked.steps, truths, strict=True):
        status = step.verdict.status
        if truth.right:
            assert status != Status.FAILED, (
                f"line {step.line}: a right claim called WRONG: {step.verdict.describe()}"
            )
        else:
            assert status == Status.FAILED, (
                f"line {step.line}: a wrong claim not found ({truth.note}): {status}"
            )
