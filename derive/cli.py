"""The ``derive`` command: argument handling, output and exit codes only.

Exit codes: 0 when every claim was proved or verified numerically, 1 when a claim is wrong,
2 for bad input (unknown name or format, unreadable or unwritable file, a claim that could not
be read), with a one-line message and no traceback, 3 when some claims are undecided (with
``--strict``, numeric verification alone also counts as undecided).
``derive --help`` and ``derive --version`` never import SymPy.
"""

from __future__ import annotations

import os
import sys

from . import __version__
from .errors import DeriveError, ParseError

# What the command line imports before it knows its command is what `derive --version` and
# `derive --help` cost: argparse, the formats and the catalog are imported where they are used.
TYPE_CHECKING = False
if TYPE_CHECKING:
    import argparse
    from collections.abc import Callable, Sequence
    from typing import TextIO

    from rich.console import Console

    from .model import Derivation

EXIT_OK, EXIT_WRONG, EXIT_USAGE, EXIT_UNDECIDED = 0, 1, 2, 3


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    if arguments == ["--version"]:
        # What argparse's version action prints, without loading argparse for it.
        print(f"derive {__version__}")
        return EXIT_OK
    from .arguments import build_parser, expression_after_dashes

    args = build_parser().parse_args(expression_after_dashes(arguments))
    from .startup import defer_unused_sympy_modules

    defer_unused_sympy_modules()
    try:
        if args.command is None:
            raise DeriveError("choose a command, e.g. 'derive sigmoid' or 'derive list'")
        return _handler(args.command)(args)
    except ParseError as exc:
        return _fail(str(exc), exc.caret())
    except DeriveError as exc:
        return _fail(str(exc))
    except OSError as exc:
        return _fail(f"cannot write {exc.filename or 'the output'}: {exc.strerror or exc}")
    except RecursionError:
        return _fail("expression nested too deeply to handle")
    except KeyboardInterrupt:
        return 130


def _handler(command: str) -> Callable[[argparse.Namespace], int]:
    """What runs the sub-command ``command`` (one the parser accepted)."""
    from .library import BUILTINS

    if command in BUILTINS:
        return _showing(_builtin)
    handlers: dict[str, Callable[[argparse.Namespace], int]] = {
        "list": _list,
        "diff": _showing(_diff),
        "implicit": _showing(_implicit),
        "tangent": _showing(_tangent),
        "check": _showing(_check),
        "properties": _showing(_properties),
        "gradient": _showing(_gradient),
        "grad": _showing(_several("grad")),
        "jacobian": _showing(_several("jacobian")),
        "hessian": _showing(_several("hessian")),
        "plot": _plot,
        "export": _export,
    }
    return handlers[command]


def _several(name: str) -> Callable[[argparse.Namespace], Derivation]:
    """The handler of ``derive grad``, ``jacobian`` or ``hessian``: the derivation, and with
    ``--at`` its value at the point."""

    def handler(args: argparse.Namespace) -> Derivation:
        from . import multivariable

        derivation = getattr(multivariable, name)(args.expression, args.vars)
        return multivariable.value_at(derivation, args.at) if args.at else derivation

    return handler


def _catalog_name(name: str) -> str:
    """``name`` if it is a built-in function, else a one-line error with the nearest names."""
    from .arguments import suggestion
    from .library import BUILTINS

    if name not in BUILTINS:
        raise DeriveError(f"unknown function {name!r}{suggestion(name, list(BUILTINS))} (see 'derive list')")
    return name


def _fail(message: str, context: str = "") -> int:
    """The one-line error; a parse error adds the input with a caret under the column."""
    print(f"derive: error: {message}", file=sys.stderr)
    if context:
        print("\n".join(f"  {line}" for line in context.splitlines()), file=sys.stderr)
    return EXIT_USAGE


def _named(item: str) -> tuple[str, str | None]:
    """``s=1/(1+exp(-x))`` → (s, its expression); ``s`` alone → (s, None): the function itself."""
    name, equals, value = item.partition("=")
    return name.strip(), value if equals else None


def _list(args: argparse.Namespace) -> int:
    from .library import BUILTINS

    width = max(map(len, BUILTINS))
    for name, (_, summary) in BUILTINS.items():
        print(f"{name:<{width}}  {summary}")
    return EXIT_OK


def _showing(compute: Callable[[argparse.Namespace], Derivation]) -> Callable[[argparse.Namespace], int]:
    """The handler of a command that shows a derivation: the output is checked before the work."""

    def handler(args: argparse.Namespace) -> int:
        from .formats import format_for

        fmt = args.format or (format_for(args.output) if args.output else "pretty")
        if args.standalone and fmt != "latex":
            raise DeriveError("--standalone only applies to LaTeX output")
        derivation = compute(args)
        _emit(derivation, fmt, args.output, args.standalone, args.log_notation)
        return exit_code(derivation, strict=args.strict)

    return handler


def _diff(args: argparse.Namespace) -> Derivation:
    from .differentiate import differentiate
    from .model import Kind

    names = dict(_named(item) for item in args.in_terms_of)
    derivation = differentiate(args.expression, args.var, args.order, in_terms_of=names)
    if args.at is not None:
        from .points import with_value

        derivation = with_value(derivation, args.at)
    if names and all(s.kind is not Kind.IN_TERMS_OF for s in (*derivation.steps, derivation.result)):
        print(
            f"derive: note: no form of the derivative through {', '.join(names)} alone was found",
            file=sys.stderr,
        )
    return derivation


def _properties(args: argparse.Namespace) -> Derivation:
    from .analysis import properties
    from .verify import verify

    return verify(properties(_catalog_name(args.function)))


def _gradient(args: argparse.Namespace) -> Derivation:
    from .analysis import gradient
    from .verify import verify

    return verify(gradient(_catalog_name(args.function), args.threshold))


def _check(args: argparse.Namespace) -> Derivation:
    from pathlib import Path

    from .read.documents import check

    source = sys.stdin.read() if args.file == "-" else Path(args.file)
    if isinstance(source, Path) and not source.is_file():
        raise DeriveError(f"cannot read {args.file}: no such file")
    return check(source, args.source_format, args.define)


def _builtin(args: argparse.Namespace) -> Derivation:
    from .library import get

    return get(args.command)


def _plot(args: argparse.Namespace) -> int:
    import re

    from .arguments import suggestion
    from .library import BUILTINS
    from .plot import parse_range, plot, plot_expression

    if args.function in BUILTINS:
        if args.range or args.at or args.var:
            raise DeriveError("--range, --at and --var are for an expression, not a catalog name")
        print(plot(args.function, args.output, args.threshold))
        return EXIT_OK
    if re.fullmatch(r"[A-Za-z][\w-]+", args.function) and suggestion(args.function, list(BUILTINS)):
        _catalog_name(args.function)  # a near miss of a catalog name (sigmod), not a variable
    x_range = parse_range(args.range) if args.range else None
    print(plot_expression(args.function, args.output, x_range, args.at, args.var))
    return EXIT_OK


def _implicit(args: argparse.Namespace) -> Derivation:
    from .implicit import implicit

    return implicit(args.relation, args.var, args.dep, args.order, args.at)


def _tangent(args: argparse.Namespace) -> Derivation:
    from .tangent import tangent

    return tangent(args.expression, args.at, args.var)


def exit_code(derivation: Derivation, *, strict: bool = False) -> int:
    """1 when a claim is wrong, else 2 when one was not read, else 3 when one is undecided (or,
    with ``strict``, only verified numerically), else 0."""
    from .model import Status

    statuses = {s.verdict.status for s in (*derivation.steps, derivation.result)}
    if Status.FAILED in statuses:
        return EXIT_WRONG
    if Status.UNCHECKED in statuses:
        return EXIT_USAGE
    if Status.UNDECIDED in statuses or (strict and Status.NUMERIC in statuses):
        return EXIT_UNDECIDED
    return EXIT_OK


def terminal_console(file: TextIO | None = None, *, force_terminal: bool | None = None) -> Console:
    """The Console that draws on a terminal; with ``NO_COLOR`` set (non-empty), no ANSI styles at all.

    rich's own ``no_color`` drops colours but keeps bold, dim and underline; without a colour
    system it writes none of them (https://no-color.org).
    """
    from rich.console import Console

    plain = os.environ.get("NO_COLOR", "") != ""
    return Console(
        file=file,
        force_terminal=force_terminal,
        color_system=None if plain else "auto",
        no_color=plain,
        highlight=False,
        emoji=False,
    )


def _emit(derivation: Derivation, fmt: str, output: str | None, standalone: bool, log_notation: str) -> None:
    from .budgets import derivation_depth, recursion_room
    from .formats import render
    from .memo import printing_once

    # SymPy's printers recurse once per level; the steps share most of their parts, printed once
    with recursion_room(derivation_depth(derivation)), printing_once():
        if output:
            from .files import write_output

            write_output(output, render(derivation, fmt, standalone=standalone, log_notation=log_notation))
        elif fmt == "pretty" and sys.stdout.isatty():
            from .formats.pretty import renderable

            terminal_console().print(renderable(derivation))
        else:
            sys.stdout.write(render(derivation, fmt, standalone=standalone, log_notation=log_notation))


def _export(args: argparse.Namespace) -> int:
    from pathlib import Path

    from .files import write_output
    from .formats import REGISTRY, render
    from .library import BUILTINS, get
    from .library.examples import EXAMPLES

    folder = Path(args.folder)
    if folder.exists() and not folder.is_dir():
        raise DeriveError(f"cannot write to {folder}: it is a file, not a folder")
    folder.mkdir(parents=True, exist_ok=True)
    status = EXIT_OK
    made = {name: lambda name=name: get(name) for name in BUILTINS} | EXAMPLES
    for name, make in made.items():
        derivation = make()
        status = max(status, exit_code(derivation))
        for fmt in REGISTRY.values():
            if fmt.exported:
                path = folder / f"{name}{fmt.suffixes[0]}"
                write_output(path, render(derivation, fmt.name, standalone=fmt.name == "latex"))
                print(os.path.join(str(folder), path.name))
    return status
