"""The built-in derivations, by name.

The table below is read by ``derive list`` and ``derive --help`` without importing SymPy; the
module that builds a derivation is imported only when it is asked for.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

from ..errors import DeriveError

if TYPE_CHECKING:
    from ..model import Derivation

# name -> (module below derive.library, one-line summary)
BUILTINS: dict[str, tuple[str, str]] = {
    "sigmoid": ("sigmoid", "derivative of the logistic sigmoid σ(x) = 1/(1 + e^(−x)), as σ(1 − σ)"),
}


def build(name: str) -> Derivation:
    """The built-in derivation ``name``, as written, before verification."""
    if name not in BUILTINS:
        known = ", ".join(sorted(BUILTINS))
        raise DeriveError(f"unknown derivation {name!r}; known: {known}")
    module = import_module(f"{__name__}.{BUILTINS[name][0]}")
    return module.build()


def get(name: str) -> Derivation:
    """The built-in derivation ``name`` with every step verified."""
    from ..verify import verify

    return verify(build(name))
