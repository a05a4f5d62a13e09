"""derive: verified, step-by-step symbolic derivations.

>>> from derive import sigmoid
>>> sigmoid.result.verdict.status
'symbolic'

The package imports SymPy only when a name below is first used, so that ``derive --version``
and ``derive --help`` answer at the speed of bare Python.
"""

from __future__ import annotations

import sys

# typing, types and importlib cost as much as the rest of `derive --version`: the annotations
# below are never evaluated, and a module's type is that of sys.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any
_ModuleType = type(sys)

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
    "grad": "multivariable",
    "jacobian": "multivariable",
    "hessian": "multivariable",
    "load": "read.documents",
    "check": "read.documents",
    "Budget": "verify",
    "parse": "parse",
    "render": "formats",
    "implicit": "implicit",
    "tangent": "tangent",
    "with_value": "points",
    "plot_expression": "plot",
}
__all__ = [*_EXPORTS, "builtin", "sigmoid"]
# Functions named like the module that defines them: derive.parse is the function, not the module.
_SHADOWED = frozenset(name for name, module in _EXPORTS.items() if name == module)


class _Package(_ModuleType):
    """The ``derive`` module, whose public functions keep their names when submodules load.

    Importing ``derive.parse`` (as ``from derive import sigmoid`` does, indirectly) makes Python
    set the attribute ``parse`` of the package to the submodule; for the names in ``_SHADOWED``
    that assignment is skipped, so ``derive.parse`` stays the function. The submodules remain
    importable as ever (``from derive.parse import parse``), through ``sys.modules``.
    """

    def __setattr__(self, name: str, value: Any) -> None:
        if name in _SHADOWED and isinstance(value, _ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package


def builtin(name: str) -> Any:
    """The built-in derivation ``name`` (see ``derive list``), verified."""
    from .library import get

    return get(name)


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        from importlib import import_module

        value = getattr(import_module(f".{_EXPORTS[name]}", __name__), name)
    else:
        from .library import BUILTINS

        if name not in BUILTINS:
            raise AttributeError(f"module 'derive' has no attribute {name!r}")
        value = builtin(name)
    globals()[name] = value  # computed once per session
    return value
