"""The command line's arguments: the ``argparse`` parser of ``derive`` and its sub-commands.

Only the parser of the sub-command being run is built: ``derive --help`` lists every command
from its name and one-line help alone, and ``derive sigmoid`` builds the arguments of
``sigmoid`` and of no other command. A sub-command's parser is the same ``argparse`` parser as
ever, built the first time ``argparse`` uses it, so its options, help and errors are unchanged.
"""

from __future__ import annotations

import argparse
import os
import re
import sys

from . import __version__
from .library import BUILTINS

TYPE_CHECKING = False  # not typing's, which `derive --help` need not import
if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from typing import NoReturn

EXIT_USAGE = 2
_width: int | None = None


def _help_width() -> int:
    """The width ``argparse`` wraps help at, worked out once per process.

    ``argparse.HelpFormatter`` asks ``shutil.get_terminal_size`` (and imports ``shutil``) for
    every formatter it makes, and it makes one for each argument added; this is the same rule
    (``COLUMNS``, else the terminal of standard output, else 80 columns), less the same 2.
    """
    global _width
    if _width is None:
        try:
            columns = int(os.environ["COLUMNS"])
        except (KeyError, ValueError):
            columns = 0
        if columns <= 0:
            try:
                columns = os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]
            except (AttributeError, ValueError, OSError):
                columns = 0
        _width = (columns or 80) - 2
    return _width


class _Formatter(argparse.RawDescriptionHelpFormatter):
    """Help as ``RawDescriptionHelpFormatter`` writes it, at the width found once."""

    def __init__(
        self, prog: str, indent_increment: int = 2, max_help_position: int = 24, width: int | None = None
    ) -> None:
        super().__init__(prog, indent_increment, max_help_position, _help_width() if width is None else width)


class _Parser(argparse.ArgumentParser):
    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("formatter_class", _Formatter)
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]

    def error(self, message: str) -> NoReturn:
        choice = re.search(r"invalid choice: '(.*?)' \(choose from (.*)\)", message)
        if choice:
            choices = re.findall(r"'(.*?)'", choice.group(2))
            message = f"unknown {'command' if 'COMMAND' in message else 'choice'} {choice.group(1)!r}"
            message += suggestion(choice.group(1), choices)
        self.exit(EXIT_USAGE, f"derive: error: {message} (see '{self.prog} --help')\n")


class _Deferred:
    """A sub-command's parser, built (``arguments`` adding its arguments) when first used.

    ``argparse`` keeps the parser of every sub-command but only ever uses the one named on the
    command line (``parse_known_args``); the top-level help reads each command's one-line help,
    which ``add_parser`` keeps apart from the parser.
    """

    def __init__(self, arguments: Callable[[argparse.ArgumentParser], None], **kwargs: object) -> None:
        self._arguments = arguments
        self._kwargs = kwargs
        self._parser: argparse.ArgumentParser | None = None

    def __getattr__(self, attribute: str) -> object:
        if attribute.startswith("__"):  # copy, pickle and the like probing: not a parser's business
            raise AttributeError(attribute)
        if self._parser is None:
            self._parser = _Parser(**self._kwargs)  # type: ignore[arg-type]
            self._arguments(self._parser)
        return getattr(self._parser, attribute)


def suggestion(name: str, known: Sequence[str]) -> str:
    """``; did you mean sigmoid?`` for a near miss, else the empty string."""
    import difflib  # only for a mistyped name: --version and --help never need it

    close = difflib.get_close_matches(name, list(known), n=3, cutoff=0.6)
    return f"; did you mean {' or '.join(close)}?" if close else ""


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


def expression_after_dashes(argv: list[str]) -> list[str]:
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
    from .formats import LOG_NOTATIONS, WRITTEN

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


def _no_arguments(parser: argparse.ArgumentParser) -> None:
    """``derive list`` takes no arguments."""


def build_parser() -> argparse.ArgumentParser:
    """The parser of ``derive``; each sub-command's own parser is built when it is used."""
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
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Deferred)
    commands.add_parser(
        "list",
        help="list the built-in derivations",
        epilog=_examples("derive list", "derive list | grep relu"),
        arguments=_no_arguments,
    )
    for name, (_, summary) in BUILTINS.items():
        epilog = _examples(
            f"derive {name}", f"derive {name} --format latex -o {name}.tex", f"derive {name} -f json"
        )
        commands.add_parser(name, help=summary, description=summary, epilog=epilog, arguments=_output_options)
    commands.add_parser(
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
        arguments=_diff_arguments,
    )
    _calculus_commands(commands)
    commands.add_parser(
        "check",
        help="check a derivation someone wrote (LaTeX, Markdown, text, JSON)",
        description="Read FILE and verify every step. Exit 0 when all hold, 1 when a step is wrong, "
        "2 when the file (or a step in it) cannot be read, 3 when some step is undecided.",
        epilog=_examples(
            "derive check derivation.tex",
            "derive check notes.md -f json -o checked.json",
            "cat steps.txt | derive check - --from text",
        ),
        arguments=_check_arguments,
    )
    commands.add_parser(
        "properties",
        help="range, symmetry, monotonicity, slope, inverse (verified)",
        epilog=_examples("derive properties sigmoid", "derive properties tanh -f markdown"),
        arguments=_properties_arguments,
    )
    commands.add_parser(
        "gradient",
        help="where the derivative is small: the vanishing gradient of a catalog function "
        "(for ∇f of an expression see 'derive grad')",
        epilog=_examples("derive gradient sigmoid", "derive gradient tanh --threshold 0.001"),
        arguments=_gradient_arguments,
    )
    _several_variables(commands)
    commands.add_parser(
        "plot",
        help="draw a function and its derivative (needs matplotlib: derive-steps[plot])",
        epilog=_examples(
            "derive plot sigmoid -o sigmoid.png",
            "derive plot tanh -o tanh.svg --threshold 0.05",
            'derive plot "x^3 - 3x" -o cubic.png --range -3,3 --at x=2',
        ),
        arguments=_plot_arguments,
    )
    commands.add_parser(
        "export",
        help="write every built-in derivation and worked example in every format",
        epilog=_examples("derive export", "derive export site/derivations"),
        arguments=_export_arguments,
    )
    return parser


def _diff_arguments(diff: argparse.ArgumentParser) -> None:
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


def _check_arguments(check: argparse.ArgumentParser) -> None:
    from .formats import READ

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


def _properties_arguments(properties: argparse.ArgumentParser) -> None:
    properties.add_argument("function", metavar="NAME", help="sigmoid, tanh, softplus, …")
    _output_options(properties)


def _gradient_arguments(gradient: argparse.ArgumentParser) -> None:
    gradient.add_argument("function", metavar="NAME", help="sigmoid, tanh, …")
    gradient.add_argument(
        "--threshold", default="0.01", help="the smallest useful derivative (default: 0.01)"
    )
    _output_options(gradient)


def _plot_arguments(plot: argparse.ArgumentParser) -> None:
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


def _export_arguments(export: argparse.ArgumentParser) -> None:
    export.add_argument(
        "folder", nargs="?", default="output", help="target folder, created when missing (default: output)"
    )


# -- functions of several variables: grad, jacobian, hessian ---------------------------------------
def _several_variables(commands: argparse._SubParsersAction) -> None:
    """The commands about functions of several variables, each with ``--vars``."""
    commands.add_parser(
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
        arguments=_several_arguments("EXPR", 'the expression, e.g. "x^2 sin(y)"'),
    )
    commands.add_parser(
        "jacobian",
        help="the Jacobian matrix of several functions, each entry step by step",
        description="The Jacobian of the functions F (separated by semicolons): entry (i, j) is the "
        "partial derivative of the i-th function in the j-th variable, each worked out step by "
        "step and verified; the matrix is checked entry by entry.",
        epilog=_examples(
            'derive jacobian "x y; x + y^2" --vars x,y',
            'derive jacobian "r cos(t); r sin(t)" --vars r,t -f markdown',
        ),
        arguments=_several_arguments("F", 'the functions, e.g. "x y; x + y^2"'),
    )
    commands.add_parser(
        "hessian",
        help="the Hessian matrix of an expression, each second derivative step by step",
        description="The Hessian of EXPR: the first partial derivatives, then each second derivative "
        "on and above the diagonal, step by step; the mixed partials below the diagonal are "
        "reused, and that equality is verified too.",
        epilog=_examples(
            'derive hessian "x^2 y^3 + e^(x y)" --vars x,y',
            'derive hessian "ln(x^2 + y^2 + z^2)" --vars x,y,z -f latex --standalone -o h.tex',
        ),
        arguments=_several_arguments("EXPR", 'the expression, e.g. "x^2 y^3"'),
    )


def _several_arguments(metavar: str, what: str) -> Callable[[argparse.ArgumentParser], None]:
    """The arguments of ``grad``, ``jacobian`` or ``hessian``: the expression, ``--vars``, ``--at``."""

    def arguments(command: argparse.ArgumentParser) -> None:
        command.add_argument("expression", metavar=metavar, help=what)
        command.add_argument(
            "--vars",
            required=True,
            metavar="X,Y,…",
            help="the variables, separated by commas, e.g. x,y,z; other names are constants",
        )
        command.add_argument(
            "--at", metavar="X=A,Y=B", help="add the value at this point, every variable given (x=1,y=2)"
        )
        _output_options(command)

    return arguments


# -- implicit differentiation and tangent lines ---------------------------------------------------
def _calculus_commands(commands: argparse._SubParsersAction) -> None:
    """``derive implicit`` and ``derive tangent``."""
    commands.add_parser(
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
        arguments=_implicit_arguments,
    )
    commands.add_parser(
        "tangent",
        help="the tangent line y = f(a) + f'(a)(x − a), verified",
        epilog=_examples('derive tangent "x^2" --at x=2', 'derive tangent "sin x" --at x=pi/4 -f latex'),
        arguments=_tangent_arguments,
    )


def _implicit_arguments(implicit: argparse.ArgumentParser) -> None:
    implicit.add_argument("relation", metavar="RELATION", help='an equation, e.g. "x^2 + y^2 = 1"')
    implicit.add_argument("--var", default="x", help="the variable (default: x)")
    implicit.add_argument("--dep", default="y", help="the name that is a function of it (default: y)")
    implicit.add_argument("--order", type=int, default=1, help="1, 2 or 3 (default: 1)")
    implicit.add_argument(
        "--at", metavar="x=a,y=b", default=None, help="add the value at this point of the curve"
    )
    _output_options(implicit)


def _tangent_arguments(tangent: argparse.ArgumentParser) -> None:
    tangent.add_argument("expression", metavar="EXPR", help='the function, e.g. "x^3 - 3x"')
    tangent.add_argument("--at", metavar="x=a", required=True, help="the point of tangency")
    tangent.add_argument("--var", default=None, help="the variable (default: x)")
    _output_options(tangent)
