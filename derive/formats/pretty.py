"""The terminal view: a ``rich`` table of numbered steps with SymPy's unicode pretty printing."""

from __future__ import annotations

import io
from collections.abc import Sequence

from rich import box
from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text

from ..model import Definition, Derivation, Status, Step
from ..oneline import one_line
from ..printing import pretty_relation
from .marks import continues, mark, summary

STYLES = {
    Status.SYMBOLIC: "green",
    Status.NUMERIC: "yellow",
    Status.FAILED: "bold red",
    Status.UNDECIDED: "magenta",
    Status.UNCHECKED: "magenta",
}


def _verdict(step: Step) -> Text:
    if step.unreadable:  # the reason once, on its own line
        return Text.assemble(
            (mark(step.verdict, reason=False), STYLES[Status.UNCHECKED]), ("\n" + step.unreadable, "red")
        )
    text = Text(mark(step.verdict), style=STYLES[step.verdict.status])
    if step.verdict.status == Status.FAILED and step.verdict.lhs_value:
        text.append("\n" + step.verdict.describe(), style="red")
    return text


def _equations(derivation: Derivation) -> list[str]:
    """The art for every definition, step and the result, in display order."""
    art = [pretty_relation(d.lhs, "≔", d.rhs) for d in derivation.definitions]
    previous: Step | None = None
    for step in derivation.steps:
        if step.unreadable:
            art.append(step.source)
        else:
            lhs, rhs = step.shown
            art.append(pretty_relation(None if continues(previous, step) else lhs, "=", rhs))
        previous = step
    if not derivation.result_is_added:
        art.append(pretty_relation(*derivation.result.shown[:1], "=", derivation.result.shown[1]))
    return art


def renderable(derivation: Derivation) -> RenderableType:
    """The derivation as a ``rich`` renderable (title, definitions, steps, result, summary)."""
    art = iter(_equations(derivation))
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, leading=1)
    table.add_column("#", justify="right", style="dim", no_wrap=True, vertical="middle")
    table.add_column("step", no_wrap=True, overflow="ignore")
    table.add_column("rule", style="cyan", vertical="middle")
    table.add_column("check", vertical="middle")
    for _ in derivation.definitions:
        table.add_row("", Text(next(art)), "definition", Text("≔ by definition", style="dim"))
    for number, step in enumerate(derivation.steps, 1):
        label = f"line {step.line}" if step.line is not None else str(number)
        table.add_row(label, Text(next(art)), step.rule, _verdict(step))
    if not derivation.result_is_added:  # a document's last claim is its result: shown once
        table.add_section()
        table.add_row("", Text(next(art), style="bold"), "result", _verdict(derivation.result))
    status = Text(summary(derivation), style="green" if derivation.ok else "bold red")
    title = Text(derivation.title, style="bold underline")
    return Group(*_reading(derivation), title, Text(""), table, Text(""), status)


def _reading(derivation: Derivation) -> list[Text]:
    """What derive understood, first of all: ``Reading: x·sin(x)``, and a note on any choice."""
    if derivation.reading is None:
        return []
    lines = [Text.assemble(("Reading: ", "bold"), one_line(derivation.reading))]
    if derivation.note:
        lines.append(Text(f"Note: {derivation.note}", style="yellow"))
    return [*lines, Text("")]


def render_text(derivation: Derivation) -> str:
    """Plain text (no colour codes), as written to ``.txt`` files and pipes."""
    buffer = io.StringIO()
    console = Console(
        file=buffer,
        width=width(derivation),
        color_system=None,
        force_terminal=False,
        emoji=False,
        highlight=False,
    )
    console.print(renderable(derivation))
    return "\n".join(line.rstrip() for line in buffer.getvalue().splitlines()) + "\n"


def width(derivation: Derivation) -> int:
    """Wide enough that nothing is folded: pretty-printed art cannot be wrapped."""
    steps = derivation.steps if derivation.result_is_added else (*derivation.steps, derivation.result)
    widest = max(len(line) for art in _equations(derivation) for line in art.splitlines())
    rule = max(len(step.rule) for step in steps)
    check = max(len(_verdict(step).plain.split("\n")[-1]) for step in steps)
    return max(80, widest + min(rule, 50) + min(check, 110) + 14)


def write(derivation: Derivation, *, standalone: bool = False, log_notation: str = "ln") -> str:
    """The registry's writer: :func:`render_text` (the terminal's notation: ``log_notation`` is
    for LaTeX and Markdown)."""
    return render_text(derivation)


def read(text: str, definitions: Sequence[Definition] = (), name: str = "") -> Derivation:
    """Plain-text claims, one per line in calculator syntax, not yet verified."""
    from ..read.documents import read_document

    return read_document(text, "text", definitions, name)
