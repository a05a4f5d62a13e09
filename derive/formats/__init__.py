"""The formats derive writes and reads, registered once.

Each :class:`Format` names its suffixes and the module under ``derive.formats`` that holds its
``write(derivation, *, standalone=False) -> str`` and, when derive can read it back,
``read(text, definitions=(), name="") -> Derivation``. The modules are imported when first
used, so the command line can list and check format names without loading SymPy. Everything that needs a
format (``render``, ``load``, ``--format``, ``--from``, ``derive export``) asks this registry.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from ..errors import DeriveError

if TYPE_CHECKING:
    from ..model import Derivation


class Format(NamedTuple):  # not a dataclass: ``derive --version`` would import inspect for it
    """One format: its name, its file suffixes (the first is the one ``derive export`` writes),
    the module that implements it, and whether derive writes and reads it."""

    name: str
    suffixes: tuple[str, ...]
    module: str
    writes: bool = True
    reads: bool = True
    exported: bool = True  # derive export writes it for every built-in derivation

    def writer(self) -> Callable[..., str]:
        """``write(derivation, *, standalone=False) -> str``."""
        if not self.writes:
            raise DeriveError(f"derive reads {self.name} but does not write it")
        return import_module(f"{__name__}.{self.module}").write  # type: ignore[no-any-return]

    def reader(self) -> Callable[..., Derivation]:
        """``read(text, definitions=(), name="") -> Derivation``, without verifying anything;
        ``name`` (a file name) is the title when the text states none."""
        if not self.reads:
            raise DeriveError(f"derive writes {self.name} but cannot read it back")
        return import_module(f"{__name__}.{self.module}").read  # type: ignore[no-any-return]


LOG_NOTATIONS = ("ln", "log")  # the natural logarithm in LaTeX and Markdown: \ln (default) or \log
REGISTRY: dict[str, Format] = {}


def register(fmt: Format) -> None:
    """Add ``fmt``; a name or suffix may belong to one format only."""
    taken = {suffix for other in REGISTRY.values() for suffix in other.suffixes}
    if fmt.name in REGISTRY or taken & set(fmt.suffixes):
        raise ValueError(f"format {fmt.name!r} or one of its suffixes is registered already")
    REGISTRY[fmt.name] = fmt


register(Format("text", (".txt",), "text"))
register(Format("pretty", (), "pretty", reads=False, exported=False))
register(Format("latex", (".tex",), "latex"))
register(Format("markdown", (".md", ".markdown"), "markdown"))
register(Format("json", (".json",), "json"))
register(Format("notebook", (".ipynb",), "notebook", writes=False, exported=False))

WRITTEN: tuple[str, ...] = tuple(name for name, fmt in REGISTRY.items() if fmt.writes)
READ: tuple[str, ...] = tuple(name for name, fmt in REGISTRY.items() if fmt.reads)


def get(name: str) -> Format:
    """The format called ``name``; a one-line error naming the known ones otherwise."""
    if name not in REGISTRY:
        raise DeriveError(f"unknown format {name!r}; choose one of {', '.join(REGISTRY)}")
    return REGISTRY[name]


def for_path(path: str | Path) -> Format | None:
    """The format a file name's suffix implies, if any."""
    suffix = Path(path).suffix.lower()
    return next((fmt for fmt in REGISTRY.values() if suffix in fmt.suffixes), None)


def format_for(path: str | Path) -> str:
    """The name of the output format a file name implies; an error when it implies none."""
    fmt = for_path(path)
    if fmt is None or not fmt.writes:
        known = ", ".join(s for f in REGISTRY.values() if f.writes for s in f.suffixes)
        raise DeriveError(f"cannot tell the format from {str(path)!r}; use --format or one of {known}")
    return fmt.name


def render(derivation: Derivation, fmt: str, *, standalone: bool = False, log_notation: str = "ln") -> str:
    """``derivation`` as text in format ``fmt`` (``text``, ``pretty``, ``latex``, ``markdown``,
    ``json``). ``standalone`` makes LaTeX a complete document for ``pdflatex``; ``log_notation``
    (``"ln"`` or ``"log"``) is how LaTeX and Markdown write the natural logarithm."""
    if log_notation not in LOG_NOTATIONS:
        raise DeriveError(f"unknown log notation {log_notation!r}; choose one of {', '.join(LOG_NOTATIONS)}")
    writer = get(fmt).writer()
    from ..budgets import derivation_depth, recursion_room
    from ..memo import printing_once  # SymPy is loaded by now: the derivation holds its objects

    # SymPy's printers recurse a few frames per level; the steps share most of their parts,
    # each printed once
    with recursion_room(derivation_depth(derivation)), printing_once():
        return writer(derivation, standalone=standalone, log_notation=log_notation)
