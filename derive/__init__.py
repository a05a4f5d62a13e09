"""derive: verified, step-by-step symbolic derivations.

>>> from derive import sigmoid
>>> sigmoid.result.verdict.status
'symbolic'

The package imports SymPy only when a name below is first used, so that ``derive --version``
and ``derive --help`` answer at the speed of bare Python.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

__version__ = "0.1.0"

# public name -> module that defines it
_EXPORTS = {
    "Derivation": "model",
    "Step": "model",
    "Definition": "model",
    "Verdict": "model",
    "DeriveError": "errors",
    "ParseError": "errors",
    "verify": "verify",
    "check_equation": "verify",
    "differentiate": "differentiate",
    "load": "read.documents",
    "check": "read.documents",
    "Budget": "verify",
    "parse": "parse",
    "render": "render",
}
__all__ = [*_EXPORTS, "builtin", "sigmoid"]


def builtin(name: str) -> Any:
    """The built-in derivation ``name`` (see ``derive list``), verified."""
    from .library import get

    return get(name)


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        value = getattr(import_module(f".{_EXPORTS[name]}", __name__), name)
    else:
        from .library import BUILTINS

        if name not in BUILTINS:
            raise AttributeError(f"module 'derive' has no attribute {name!r}")
        value = builtin(name)
    globals()[name] = value  # computed once per session
    return value
