"""The ``derive`` command: argument handling, output and exit codes only.

Exit codes: 0 when every claim was proved or verified numerically, 1 when a claim is wrong,
2 for bad input (unknown name or format, unreadable or unwritable file, a claim that could not
be read), with a one-line message and no traceback, 3 when some claims are undecided (with
``--strict``, numeric verification alone also counts as undecided).
``derive --help`` and ``derive --version`` never import SymPy.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn, TextIO

from . import __version__
from .errors import DeriveError, ParseError
from .formats import LOG_NOTATIONS, READ, WRITTEN, format_for
from .library import BUILTINS
from .startup import defer_unused_sympy_modules

if TYPE_CHECKING:
    from rich.console import Console

    from .model import Derivation

EXIT_OK, EXIT_WRONG, EXIT_USAGE, EXIT_UNDECIDED = 0, 1, 2, 3


class _Parser(argparse.ArgumentParser):
    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("formatter_class", argparse.RawDescriptionHelpFormatter)
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]

    def error(self, message: str) -> NoReturn:
        choice = re.search(r"invalid choice: '(.*?)' \(choose from (.*)\)", message)
        if choice:
            choices = re.findall(r"'(.*?)'", choice.group(2))
            message = f"unknown {'command' if 'COMMAND' in message else 'choice'} {choice.group(1)!r}"
            message += suggestion(choice.group(1), choices)
        self.exit(EXIT_USAGE, f"derive: error: {message} (see '{self.prog} --help')\n")


def suggestion(name: str, known: Sequence[str]) -> str:
    """``; did you mean sigmoid?`` for a near miss, else the empty string."""
    import difflib  # only for a mistyped name: --version and --help never need it

    close = difflib.get_close_matches(name, list(known), n=3, cutoff=0.6)
    return f"; did you mean {' or '.join(close)}?" if close else ""


def _catalog_name(name: str) -> str:
    """``name`` if it is a built-in function, else a one-line error with the nearest names."""
    if name not in BUILTINS:
        raise DeriveError(f"unknown function {name!r}{suggestion(name, list(BUILTINS))} (see 'derive list')")
    return name


def _examples(*lines: str) -> str:
    return "examples:\n" + "\n".join(f"  {line}" for line in lines)


# Options of `derive diff` that take a value, and all its option strings: an expression that
# starts with "-" (derive diff "-x^2") is any other argument starting with "-".
_DIFF_VALUE_OPTIONS = frozenset(
    {"--var", "--order", "--in-terms-of", "--format", "-f", "-o", "--output", "--log-notation", "--at"}
    | {"--range", "--threshold"}  # of `derive plot` and `derive tangent`, which also take an expression
)
_EXPRESSION_COMMANDS = frozenset({"diff", "tangent", "plot"})
_DIFF_FLAGS = frozenset({"-h", "--help", "--standalone"})


def _is_option(argument: str) -> bool:
    name = argument.split("=", 1)[0]
    if name.startswith("--"):
        return any(option.startswith(name) for option in _DIFF_VALUE_OPTIONS | _DIFF_FLAGS)
    return name in _DIFF_VALUE_OPTIONS | _DIFF_FLAGS


def _expression_after_dashes(argv: list[str]) -> list[str]:
    """``diff -x^2 --order 2`` → ``diff --order 2 -- -x^2``: a leading minus is not an option."""
    if not argv or argv[0] not in _EXPRESSION_COMMANDS or "--" in argv:
        return argv
    kept, expression, index = [argv[0]], None, 1
    while index < len(argv):
        argument = argv[index]
        if argument in _DIFF_VALUE_OPTIONS:
            # --range=-pi,pi: joined, a value that starts with a minus is not taken for an option
            pair = argv[index : index + 2]
            kept += ["=".join(pair)] if argument.startswith("--") and len(pair) == 2 else pair
            index += 2
            continue
        if expression is None and argument.startswith("-") and len(argument) > 1 and not _is_option(argument):
            expression = argument
        else:
            kept.append(argument)
        index += 1
    return [*kept, "--", expression] if expression is not None else kept


def _output_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--format",
        "-f",
        choices=WRITTEN,
        help="output format (default: pretty, the 2-D view, or from the -o file's extension)",
    )
    parser.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        help="write to FILE instead of standard output (a regular file atomically; "
        "a symlink, pipe or terminal is written through)",
    )
    parser.add_argument(
        "--standalone",
        action="store_true",
        help="with LaTeX: a complete document that compiles with pdflatex",
    )
    parser.add_argument(
        "--log-notation",
        choices=LOG_NOTATIONS,
        default="ln",
        help=r"with LaTeX and Markdown: write the natural logarithm as \ln (default) or \log",
    )
    parser.add_argument(
        "--strict",
        action="store_true",
        help="exit 3 unless every claim is proved symbolically (numeric evidence is not enough)",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="derive",
        description="Verified, step-by-step symbolic derivations.",
        epilog=_examples(
            "derive list                       the built-in derivations",
            "derive sigmoid                    σ' = σ(1 − σ), each step verified",
            'derive diff "x^2 sin x"           any derivative, step by step',
            "derive check notes.tex            check a derivation someone wrote",
        ),
    )
    parser.add_argument("--version", action="version", version=f"derive {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    commands.add_parser(
        "list",
        help="list the built-in derivations",
        epilog=_examples("derive list", "derive list | grep relu"),
    ).set_defaults(handler=_list)
    for name, (_, summary) in BUILTINS.items():
        epilog = _examples(
            f"derive {name}", f"derive {name} --format latex -o {name}.tex", f"derive {name} -f json"
        )
        builtin = commands.add_parser(name, help=summary, description=summary, epilog=epilog)
        builtin.set_defaults(handler=_showing(_builtin))
        _output_options(builtin)
    diff = commands.add_parser(
        "diff",
        help="step-by-step derivative of an expression",
        description="Differentiate EXPR step by step, naming the rule of each step and verifying it. "
        "Type it as into a derivative calculator: x^2 or x**2, 2x, xsin(x), sin x, sin^2 x, sin^-1 x, "
        "e^x, ln x, log_2(x), sqrt(x), |x|, d/dx x^2. The first line says how EXPR was read.",
        epilog=_examples(
            'derive diff "x^2 sin x"',
            'derive diff "2xsin(x)"                 read as 2·x·sin(x)',
            'derive diff "sin^2(3x)" --order 2',
            'derive diff "d/dt t e^t"               the variable from d/dt',
            'derive diff "1/(1+exp(-(w*x+b)))" --var w',
            'derive diff "-x^2"                     a leading minus works (or: derive diff -- "-x^2")',
            'derive diff "x^x" -f latex -o xx.tex',
        ),
    )
    diff.add_argument("expression", metavar="EXPR", help='the expression, e.g. "x^2 sin(x)"')
    diff.add_argument(
        "--var",
        default=None,
        help="the variable (default: x, or the one in a leading d/dt); other names are constants",
    )
    diff.add_argument("--order", type=int, default=1, help="differentiate this many times (default: 1)")
    diff.add_argument(
        "--in-terms-of",
        action="append",
        metavar="NAME[=EXPR]",
        default=[],
        help="write the derivative through a named function, e.g. s=1/(1+exp(-x)); "
        "NAME alone names EXPR itself (repeatable)",
    )
    diff.add_argument(
        "--at", metavar="x=a", default=None, help="add the derivative's value at x = a (exact and decimal)"
    )
    _output_options(diff)
    diff.set_defaults(handler=_showing(_diff))
    _calculus_commands(commands)
    check = commands.add_parser(
        "check",
        help="check a derivation someone wrote (LaTeX, Markdown, text, JSON)",
        description="Read FILE and verify every step. Exit 0 when all hold, 1 when a step is wrong, "
        "2 when the file (or a step in it) cannot be read, 3 when some step is undecided.",
        epilog=_examples(
            "derive check derivation.tex",
            "derive check notes.md -f json -o checked.json",
            "cat steps.txt | derive check - --from text",
        ),
    )
    check.add_argument(
        "file", metavar="FILE", help="a .tex, .md, .txt, .ipynb or .json file, or - for standard input"
    )
    check.add_argument(
        "--from",
        dest="source_format",
        choices=READ,
        help="the input format (default: from the extension; .ipynb is a notebook)",
    )
    check.add_argument(
        "--define",
        action="append",
        metavar="NAME(x)=EXPR",
        default=[],
        help='what a name the document leaves open means, e.g. "sigma(x)=1/(1+exp(-x))" (repeatable)',
    )
    _output_options(check)
    check.set_defaults(handler=_showing(_check))
    properties = commands.add_parser(
        "properties",
        help="range, symmetry, monotonicity, slope, inverse (verified)",
        epilog=_examples("derive properties sigmoid", "derive properties tanh -f markdown"),
    )
    properties.add_argument("function", metavar="NAME", help="sigmoid, tanh, softplus, …")
    _output_options(properties)
    properties.set_defaults(handler=_showing(_properties))
    gradient = commands.add_parser(
        "gradient",
        help="where the derivative is small: the vanishing gradient of a catalog function "
        "(for ∇f of an expression see 'derive grad')",
        epilog=_examples("derive gradient sigmoid", "derive gradient tanh --threshold 0.001"),
    )
    gradient.add_argument("function", metavar="NAME", help="sigmoid, tanh, …")
    gradient.add_argument(
        "--threshold", default="0.01", help="the smallest useful derivative (default: 0.01)"
    )
    _output_options(gradient)
    gradient.set_defaults(handler=_showing(_gradient))
    _several_variables(commands)
    plot = commands.add_parser(
        "plot",
        help="draw a function and its derivative (needs matplotlib: derive-steps[plot])",
        epilog=_examples(
            "derive plot sigmoid -o sigmoid.png",
            "derive plot tanh -o tanh.svg --threshold 0.05",
            'derive plot "x^3 - 3x" -o cubic.png --range -3,3 --at x=2',
        ),
    )
    plot.add_argument(
        "function", metavar="NAME|EXPR", help="sigmoid, tanh, … or any expression of one variable"
    )
    plot.add_argument("-o", "--output", metavar="FILE", required=True, help="a .png or .svg file")
    plot.add_argument("--threshold", default="0.01", help="shade where the derivative is below this")
    plot.add_argument("--range", metavar="a,b", default=None, help="for an expression: the x interval drawn")
    plot.add_argument(
        "--at", metavar="x=a", default=None, help="for an expression: draw the tangent at x = a"
    )
    plot.add_argument("--var", default=None, help="for an expression: its variable (default: x)")
    plot.set_defaults(handler=_plot)
    export = commands.add_parser(
        "export",
        help="write every built-in derivation and worked example in every format",
        epilog=_examples("derive export", "derive export site/derivations"),
    )
    export.add_argument(
        "folder", nargs="?", default="output", help="target folder, created when missing (default: output)"
    )
    export.set_defaults(handler=_export)
    return parser


# -- functions of several variables: grad, jacobian, hessian ---------------------------------------
def _several_variables(commands: argparse._SubParsersAction) -> None:
    """The commands about functions of several variables, each with ``--vars``."""
    vars_help = "the variables, separated by commas, e.g. x,y,z; other names are constants"
    grad = commands.add_parser(
        "grad",
        help="the gradient of an expression in several variables (∂f/∂x, ∂f/∂y, …), step by step",
        description="The gradient of EXPR: each partial derivative is worked out step by step with "
        "the other variables held constant, and every step is verified. Not to be confused with "
        "'derive gradient NAME', the vanishing gradient of a catalog function.",
        epilog=_examples(
            'derive grad "x^2 sin(y)" --vars x,y',
            'derive grad "x y z + e^(x z)" --vars x,y,z -f latex -o grad.tex',
            'derive grad "1/(1+exp(-(w*x+b)))" --vars w,b      x is a constant here',
            'derive grad --vars x,y -- "-x^2 y"                 an expression starting with -',
        ),
    )
    grad.add_argument("expression", metavar="EXPR", help='the expression, e.g. "x^2 sin(y)"')
    jacobian = commands.add_parser(
        "jacobian",
        help="the Jacobian matrix of several functions, each entry step by step",
        description="The Jacobian of the functions F (separated by semicolons): entry (i, j) is the "
        "partial derivative of the i-th function in the j-th variable, each worked out step by "
        "step and verified; the matrix is checked entry by entry.",
        epilog=_examples(
            'derive jacobian "x y; x + y^2" --vars x,y',
            'derive jacobian "r cos(t); r sin(t)" --vars r,t -f markdown',
        ),
    )
    jacobian.add_argument("expression", metavar="F", help='the functions, e.g. "x y; x + y^2"')
    hessian = commands.add_parser(
        "hessian",
        help="the Hessian matrix of an expression, each second derivative step by step",
        description="The Hessian of EXPR: the first partial derivatives, then each second derivative "
        "on and above the diagonal, step by step; the mixed partials below the diagonal are "
        "reused, and that equality is verified too.",
        epilog=_examples(
            'derive hessian "x^2 y^3 + e^(x y)" --vars x,y',
            'derive hessian "ln(x^2 + y^2 + z^2)" --vars x,y,z -f latex --standalone -o h.tex',
        ),
    )
    hessian.add_argument("expression", metavar="EXPR", help='the expression, e.g. "x^2 y^3"')
    for name, command in (("grad", grad), ("jacobian", jacobian), ("hessian", hessian)):
        command.add_argument("--vars", required=True, metavar="X,Y,…", help=vars_help)
        command.add_argument(
            "--at", metavar="X=A,Y=B", help="add the value at this point, every variable given (x=1,y=2)"
        )
        _output_options(command)
        command.set_defaults(handler=_showing(_several(name)))


def _several(name: str) -> Callable[[argparse.Namespace], Derivation]:
    """The handler of ``derive grad``, ``jacobian`` or ``hessian``: the derivation, and with
    ``--at`` its value at the point."""

    def handler(args: argparse.Namespace) -> Derivation:
        from . import multivariable

        derivation = getattr(multivariable, name)(args.expression, args.vars)
        return multivariable.value_at(derivation, args.at) if args.at else derivation

    return handler


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    args = build_parser().parse_args(_expression_after_dashes(list(sys.argv[1:] if argv is None else argv)))
    defer_unused_sympy_modules()
    try:
        if args.command is None:
            raise DeriveError("choose a command, e.g. 'derive sigmoid' or 'derive list'")
        return args.handler(args)  # type: ignore[no-any-return]
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
    width = max(map(len, BUILTINS))
    for name, (_, summary) in BUILTINS.items():
        print(f"{name:<{width}}  {summary}")
    return EXIT_OK


def _showing(compute: Callable[[argparse.Namespace], Derivation]) -> Callable[[argparse.Namespace], int]:
    """The handler of a command that shows a derivation: the output is checked before the work."""

    def handler(args: argparse.Namespace) -> int:
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
    from .read.documents import check

    source = sys.stdin.read() if args.file == "-" else Path(args.file)
    if isinstance(source, Path) and not source.is_file():
        raise DeriveError(f"cannot read {args.file}: no such file")
    return check(source, args.source_format, args.define)


def _builtin(args: argparse.Namespace) -> Derivation:
    from .library import get

    return get(args.command)


def _plot(args: argparse.Namespace) -> int:
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


# -- implicit differentiation and tangent lines ---------------------------------------------------


def _calculus_commands(commands: argparse._SubParsersAction) -> None:
    """``derive implicit`` and ``derive tangent``."""
    implicit = commands.add_parser(
        "implicit",
        help="implicit derivative dy/dx of a relation, each step checked on the curve",
        description="Differentiate both sides of RELATION with y a function of x, collect dy/dx and "
        "solve; every step is checked as a consequence of the relation.",
        epilog=_examples(
            'derive implicit "x^2 + y^2 = 1"',
            'derive implicit "x^3 + y^3 = 6xy" --order 2',
            'derive implicit "x^2 + y^2 = 1" --at x=0,y=1',
            'derive implicit "t^2 + s^3 = 1" --var t --dep s',
        ),
    )
    implicit.add_argument("relation", metavar="RELATION", help='an equation, e.g. "x^2 + y^2 = 1"')
    implicit.add_argument("--var", default="x", help="the variable (default: x)")
    implicit.add_argument("--dep", default="y", help="the name that is a function of it (default: y)")
    implicit.add_argument("--order", type=int, default=1, help="1, 2 or 3 (default: 1)")
    implicit.add_argument(
        "--at", metavar="x=a,y=b", default=None, help="add the value at this point of the curve"
    )
    _output_options(implicit)
    implicit.set_defaults(handler=_showing(_implicit))
    tangent = commands.add_parser(
        "tangent",
        help="the tangent line y = f(a) + f'(a)(x − a), verified",
        epilog=_examples('derive tangent "x^2" --at x=2', 'derive tangent "sin x" --at x=pi/4 -f latex'),
    )
    tangent.add_argument("expression", metavar="EXPR", help='the function, e.g. "x^3 - 3x"')
    tangent.add_argument("--at", metavar="x=a", required=True, help="the point of tangency")
    tangent.add_argument("--var", default=None, help="the variable (default: x)")
    _output_options(tangent)
    tangent.set_defaults(handler=_showing(_tangent))


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
    from .files import write_output
    from .formats import render
    from .memo import printing_once

    # SymPy's printers recurse once per level; the steps share most of their parts, printed once
    with recursion_room(derivation_depth(derivation)), printing_once():
        if output:
            write_output(output, render(derivation, fmt, standalone=standalone, log_notation=log_notation))
        elif fmt == "pretty" and sys.stdout.isatty():
            from .formats.pretty import renderable

            terminal_console().print(renderable(derivation))
        else:
            sys.stdout.write(render(derivation, fmt, standalone=standalone, log_notation=log_notation))


def _export(args: argparse.Namespace) -> int:
    from .files import write_output
    from .formats import REGISTRY, render
    from .library import get
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
