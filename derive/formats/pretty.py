"""The terminal view: numbered steps with SymPy's unicode pretty printing, laid out for the width
it is given.

:class:`DerivationView` is a ``rich`` renderable. It pretty-prints every equation once, when it
is built, and lays the art out for whatever width the console offers: a table with the rule and
the verdict beside each step when everything fits, otherwise each step with its rule and verdict
under it. A formula wider than the room it has is broken between terms (at ``+`` and ``−``
first, then at ``⋅``, shallowest brackets first) and only as a last resort cut into column
slices, as SymPy's own pretty printer does. Nothing is ever truncated: every verdict and every
counterexample is shown in full.
"""

from __future__ import annotations

import bisect
import io
from collections.abc import Iterator
from dataclasses import dataclass

import sympy as sp
from rich import box
from rich.console import Console, ConsoleOptions, Group, RenderResult
from rich.measure import Measurement
from rich.table import Table
from rich.text import Text

from ..model import Derivation, Kind, Status, Step
from ..oneline import one_line
from ..printing import relation_form
from .marks import continues, mark, summary

STYLES = {
    Status.SYMBOLIC: "green",
    Status.NUMERIC: "yellow",
    Status.FAILED: "bold red",
    Status.UNDECIDED: "magenta",
    Status.UNCHECKED: "magenta",
}

WIDTH = 80  # what a terminal has by default, and what people paste into issues and mails

# One cell of pretty-printed art on the baseline that opens or closes a bracket: a tall
# bracket contributes exactly one of its pieces to every row it spans, the baseline included.
_OPENING = frozenset("([{⎛⎜⎝⎡⎢⎣⎧⎨⎩")
_CLOSING = frozenset(")]}⎞⎟⎠⎤⎥⎦⎫⎬⎭")
_RULE_WIDTH_MIN = 14  # the rule and check columns of a table are never narrower than this:
_CHECK_WIDTH_MIN = 24  # below it, the rule and the verdict go under the step instead
_FRACTION_ROOM = 24  # a fraction is kept whole beside its left side only with this much room
_GAPS = 3 * 3  # between neighbouring table columns: padding, a divider and padding


@dataclass(frozen=True)
class Art:
    """One pretty-printed relation: its rows, which row is the baseline, and the column where
    the right side starts (continuation lines are indented to it). A right side that is one
    fraction too wide for its room keeps its bar: the numerator is broken over several lines
    above it."""

    rows: tuple[str, ...]
    baseline: int
    indent: int
    fraction: bool = False  # the right side is one fraction: its bar is on the baseline
    # a claim between matrices too wide for its room is shown entry by entry, one equation each
    entries: tuple[Art, ...] = ()

    @property
    def width(self) -> int:
        return max((len(row) for row in self.rows), default=0)

    def lines(self, width: int) -> tuple[list[str], int]:
        """The art in lines of at most ``width`` cells (at least one cell is always placed), and
        the line of the first piece's baseline (where the step's number goes)."""
        total = self.width
        rows = [row.ljust(total) for row in self.rows]
        if total <= width:
            return [row.rstrip() for row in rows], self.baseline
        if self.entries:
            return self._entry_by_entry(width)
        over = self._over(rows, width) if self.fraction else None
        if over is not None:
            return over
        breaks = _breaks(rows, self.baseline)
        indent = self.indent if self.indent <= width // 3 else min(2, width // 4)
        out: list[str] = []
        first_baseline = self.baseline
        start = 0
        while start < total:
            room = max(1, width - (indent if out else 0))
            end = total if total - start <= room else _break_in(breaks, start, room)
            piece = [row[start:end].rstrip() for row in rows]
            top = 0
            while piece and not piece[0]:
                piece.pop(0)
                top += 1
            while piece and not piece[-1]:
                piece.pop()
            if not out:
                first_baseline = max(0, self.baseline - top)
            out += [(" " * indent if out else "") + line if line else "" for line in piece]
            start = end
            # a piece that starts at " + " shows the sign first: drop the space before it
            if start < total and all(row[start] == " " for row in rows):
                start += 1
        return out, first_baseline

    def _entry_by_entry(self, width: int) -> tuple[list[str], int]:
        """The equations of the entries one under another, a blank line between them, each
        broken to ``width`` as any formula is; the number goes on the first one's baseline."""
        out: list[str] = []
        first = 0
        for index, entry in enumerate(self.entries):
            lines, baseline = entry.lines(width)
            if index:
                out.append("")
            else:
                first = baseline
            out += lines
        return out, first

    def _over(self, rows: list[str], width: int) -> tuple[list[str], int] | None:
        """A fraction whose numerator is broken over lines above one bar, beside the left side;
        None when that does not fit either."""
        indent, baseline = self.indent, self.baseline
        if rows[baseline][indent:].strip("─ ") or width - indent < _FRACTION_ROOM:
            return None
        numerator = _dedent([row[indent:] for row in rows[:baseline]])
        denominator = _dedent([row[indent:] for row in rows[baseline + 1 :]])
        if not numerator or not denominator:
            return None
        # the numerator's own baseline is the row that carries most of it (exponents and the
        # ends of tall brackets are sparse)
        middle = max(range(len(numerator)), key=lambda i: (len(numerator[i].replace(" ", "")), i))
        above, _ = Art(tuple(numerator), middle, 2).lines(width - indent)
        bar = max(max(map(len, above)), max(map(len, denominator)))
        if indent + bar > width:
            return None
        picture = [*above, "─" * bar, *(line.center(bar).rstrip() for line in denominator)]
        head = [row[:indent] for row in rows]
        top = max(baseline, len(above))
        bottom = max(len(rows) - baseline, len(picture) - len(above))
        out = []
        for offset in range(-top, bottom):
            left = head[baseline + offset] if 0 <= baseline + offset < len(head) else ""
            right = picture[len(above) + offset] if 0 <= len(above) + offset < len(picture) else ""
            out.append((left.ljust(indent) + right).rstrip())
        while out and not out[0]:
            out.pop(0)
            top -= 1
        while out and not out[-1]:
            out.pop()
        return out, top


def _dedent(lines: list[str]) -> list[str]:
    """The non-blank block of ``lines``, without the margin they share on the left."""
    while lines and not lines[0].strip():
        lines = lines[1:]
    while lines and not lines[-1].strip():
        lines = lines[:-1]
    margin = min((len(line) - len(line.lstrip()) for line in lines if line.strip()), default=0)
    return [line[margin:].rstrip() for line in lines]


def _breaks(rows: list[str], baseline: int) -> list[tuple[int, int]]:
    """Columns where the art may be broken, left to right, each with a cost: ``+``/``−`` outside
    every bracket cost 0, ``⋅`` outside brackets 1, and each level of brackets around the
    operator adds 2. A column is a candidate only where every other row is blank, so no
    fraction, root or exponent is split."""
    line = rows[baseline]
    found: list[tuple[int, int]] = []
    depth = 0
    for column, cell in enumerate(line):
        if cell in _OPENING:
            depth += 1
        elif cell in _CLOSING:
            depth = max(0, depth - 1)
        if line.startswith((" + ", " - "), column) and column > 0:
            size, cost = 3, 0
        elif cell == "⋅":
            size, cost = 1, 1
        else:
            continue
        clear = (row[column : column + size] for index, row in enumerate(rows) if index != baseline)
        if not any(part.strip() for part in clear):
            found.append((column, cost + 2 * depth))
    return found


def _break_in(breaks: list[tuple[int, int]], start: int, room: int) -> int:
    """Where the piece that begins at ``start`` ends: the cheapest break that fills at least a
    third of the room (the rightmost of equal cost), else any break, else a cut at the edge.
    Only the breaks within the room are looked at: a line of a deep chain is broken into
    thousands of pieces."""
    first = bisect.bisect_right(breaks, start, key=lambda item: item[0])
    last = bisect.bisect_right(breaks, start + room, key=lambda item: item[0])
    window = [(cost, column) for column, cost in breaks[first:last]]
    filled = [(cost, column) for cost, column in window if column - start >= room // 3]
    choice = min(filled or window, key=lambda item: (item[0], -item[1]), default=None)
    return choice[1] if choice is not None else start + room


def relation_art(lhs: sp.Basic | None, relation: str, rhs: sp.Basic) -> Art:
    """Pretty-print ``lhs relation rhs`` (``= rhs`` without ``lhs``) once, as :class:`Art`."""
    form, indent, fraction = relation_form(lhs, relation, rhs)
    entries: tuple[Art, ...] = ()
    if isinstance(lhs, sp.MatrixBase) and isinstance(rhs, sp.MatrixBase) and lhs.shape == rhs.shape:
        entries = tuple(
            relation_art(lhs[i, j], relation, rhs[i, j]) for i in range(lhs.rows) for j in range(lhs.cols)
        )
    return Art(tuple(form.render(wrap_line=False).split("\n")), form.baseline, indent, fraction, entries)


@dataclass(frozen=True)
class _Row:
    label: str
    art: Art
    rule: str
    step: Step | None  # None for a definition
    bold: bool = False

    def check(self) -> Text:
        """The verdict: its mark, and for a failed or unread claim the full description."""
        if self.step is None:
            return Text("≔ by definition", style="dim")
        verdict = self.step.verdict
        if self.step.kind is Kind.UNREADABLE:
            # the reason a claim was not read goes on a line of its own, like a counterexample
            text = Text(f"{verdict.status.mark} {verdict.status.label}", style=STYLES[verdict.status])
            text.append("\n" + self.step.unreadable, style="red")
            return text
        text = Text(mark(verdict), style=STYLES[verdict.status])
        if verdict.status == Status.FAILED and verdict.lhs_value:
            # the mark leaves out the point and both values: they follow on a line of their own
            text.append("\n" + verdict.describe(), style="red")
        return text


class DerivationView:
    """A derivation as a ``rich`` renderable that fits the width it is printed at.

    The equations are pretty-printed once, here; :meth:`__rich_console__` only arranges the
    art for ``options.max_width``.
    """

    def __init__(self, derivation: Derivation) -> None:
        self.derivation = derivation
        rows = [_Row("", relation_art(d.lhs, "≔", d.rhs), "definition", None) for d in derivation.definitions]
        previous: Step | None = None
        for number, step in enumerate(derivation.steps, 1):
            label = f"line {step.line}" if step.line is not None else str(number)
            if step.kind is Kind.UNREADABLE:
                # a claim that was not read is shown as it was written, once
                art = Art((step.source,), 0, 0)
            else:
                lhs, rhs = step.shown
                art = relation_art(None if continues(previous, step) else lhs, "=", rhs)
            rows.append(_Row(label, art, step.rule, step))
            previous = step
        # a document's last claim is its result: it is shown once, as a claim
        self.result: _Row | None = None
        result = derivation.result
        if not derivation.result_is_added:
            art = (
                Art((result.source,), 0, 0)
                if result.kind is Kind.UNREADABLE
                else relation_art(*result.shown[:1], "=", result.shown[1])
            )
            self.result = _Row("", art, "result", result, bold=True)
        self.rows = rows

    def _natural(self) -> tuple[int, int, int, int, int]:
        """The natural widths of the label, formula, rule and check columns, and the width of
        the widest counterexample or reason (the line under a verdict's mark)."""
        rows = list(self._stacked_rows())
        label = max(max(len(row.label) for row in rows), 1)
        art = max(row.art.width for row in rows)
        rule = max(max(len(row.rule) for row in rows), 4)
        checks = [row.check().plain.split("\n") for row in rows]
        marks = max(len(lines[0]) for lines in checks)
        described = max((len(line) for lines in checks for line in lines[1:]), default=0)
        return label, art, rule, max(marks, described), described

    def _columns(self, width: int) -> tuple[int, int, int, int] | None:
        """Column widths for a table at most ``width`` wide, or None when it does not fit. The
        formula and a counterexample never wrap (a counterexample stays on a line of its own,
        where it can be searched for); the rule and the verdict's method may."""
        label, art, rule, check, described = self._natural()
        least_rule, least_check = min(rule, _RULE_WIDTH_MIN), max(described, min(check, _CHECK_WIDTH_MIN))
        room = width - label - art - _GAPS
        if room < least_rule + least_check:
            return None
        if rule + check > room:
            # share the room in proportion to what each column would like, above its least width
            share = max(least_rule, min(rule, room - least_check, room * rule // (rule + check)))
            rule, check = share, room - share
        return label, art, rule, check

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        natural = sum(self._natural()[:4]) + _GAPS
        return Measurement(min(20, options.max_width), min(natural, options.max_width))

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        derivation = self.derivation
        yield from _reading(derivation)
        yield Text(derivation.title, style="bold underline")
        yield Text("")
        width = options.max_width
        columns = self._columns(width)
        yield self._stacked(width) if columns is None else self._table(columns)
        yield Text("")
        yield Text(summary(derivation), style="green" if derivation.ok else "bold red")

    def _table(self, columns: tuple[int, int, int, int]) -> Table:
        """Rule and verdict beside each step: the whole row fits."""
        label, art, rule, check = columns
        table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, leading=1)
        table.add_column("#", justify="right", style="dim", no_wrap=True, vertical="middle", width=label)
        table.add_column("step", no_wrap=True, overflow="ignore", width=art)
        table.add_column("rule", style="cyan", vertical="middle", overflow="fold", width=rule)
        table.add_column("check", vertical="middle", overflow="fold", width=check)
        for row in self.rows:
            table.add_row(row.label, self._art(row, art)[1], row.rule, row.check())
        if self.result is not None:
            table.add_section()
            table.add_row("", self._art(self.result, art)[1], "result", self.result.check())
        return table

    def _stacked(self, width: int) -> Table:
        """Each step with its rule and verdict under it: the row is too wide to fit."""
        label = max(len(row.label) for row in self._stacked_rows())
        content = max(1, width - label - 1)
        table = Table.grid(padding=(0, 1, 0, 0))
        table.add_column(justify="right", style="dim", no_wrap=True, width=label)
        table.add_column(overflow="fold", width=content)
        for index, row in enumerate(self._stacked_rows()):
            if index:
                table.add_row("", "")
            baseline, art = self._art(row, content)
            number = Text("\n" * baseline + row.label) if row.label else ""
            table.add_row(number, Group(art, self._under(row)))
        return table

    def _stacked_rows(self) -> Iterator[_Row]:
        yield from self.rows
        if self.result is not None:
            yield self.result

    @staticmethod
    def _art(row: _Row, width: int) -> tuple[int, Text]:
        """The row's art for ``width`` cells, and the line its number stands on."""
        lines, baseline = row.art.lines(width)
        return baseline, Text("\n".join(lines), style="bold" if row.bold else "", no_wrap=True)

    @staticmethod
    def _under(row: _Row) -> Text:
        text = Text(row.rule, style="cyan")
        if row.rule:
            text.append(" · ", style="dim")
        text.append_text(row.check())
        return text


def renderable(derivation: Derivation) -> DerivationView:
    """The derivation as a ``rich`` renderable (title, definitions, steps, result, summary)."""
    return DerivationView(derivation)


def _reading(derivation: Derivation) -> list[Text]:
    """What derive understood, first of all: ``Reading: x·sin(x)``, and a note on any choice."""
    if derivation.reading is None:
        return []
    lines = [Text.assemble(("Reading: ", "bold"), one_line(derivation.reading))]
    if derivation.note:
        lines.append(Text(f"Note: {derivation.note}", style="yellow"))
    return [*lines, Text("")]


def render_text(derivation: Derivation, width: int = WIDTH) -> str:
    """Plain text (no colour codes) at most ``width`` cells wide, as written to pipes; a formula
    wider than that is broken over several lines."""
    buffer = io.StringIO()
    console = Console(
        file=buffer,
        width=width,
        color_system=None,
        force_terminal=False,
        emoji=False,
        highlight=False,
    )
    console.print(renderable(derivation))
    return "\n".join(line.rstrip() for line in buffer.getvalue().splitlines()) + "\n"


def write(derivation: Derivation, *, standalone: bool = False, log_notation: str = "ln") -> str:
    """The registry's writer: :func:`render_text`, 80 columns wide (the terminal's notation:
    ``log_notation`` is for LaTeX and Markdown)."""
    return render_text(derivation)
