"""Keeps two of SymPy's lazy imports out of a short command-line run.

SymPy imports ``sympy.tensor.tensor`` (with all of ``sympy.combinatorics``) the first time it
adds two expressions, and ``sympy.physics.units`` whenever it pretty-prints a product or
simplifies or checks a solution of ``solve``, in each case only to ask
``isinstance(arg, TensExpr)``, ``isinstance(arg, Quantity)`` or ``expr.as_independent(Unit)``
(``Unit`` is ``Quantity``). Together they
cost about half as much as ``import sympy`` itself. Until such a module is loaded
none of its objects can exist, so a placeholder answers those questions; any other use of the
module loads the real one. Only the CLI installs the placeholders, for its own short process.
"""

from __future__ import annotations

import importlib
import sys
import types

# module -> the class names SymPy's core asks about
_DEFERRED = {
    "sympy.tensor.tensor": ("TensExpr", "TensAdd", "TensMul"),
    "sympy.physics.units": ("Quantity",),
}
# module -> {alias: class}: the same class under a second name, as in the real module
_ALIASES = {"sympy.physics.units": {"Unit": "Quantity"}}


class _Placeholder(types.ModuleType):
    def __getattr__(self, attribute: str) -> object:
        if attribute.startswith("__"):  # the import system probing, e.g. for __path__
            raise AttributeError(attribute)
        # Anything beyond the isinstance checks needs the real module: load it for good.
        if sys.modules.get(self.__name__) is self:
            del sys.modules[self.__name__]
        return getattr(importlib.import_module(self.__name__), attribute)


def defer_unused_sympy_modules() -> None:
    """Install the placeholders for modules that are not loaded yet."""
    for name, classes in _DEFERRED.items():
        if name in sys.modules:
            continue
        placeholder = _Placeholder(name)
        for cls in classes:
            setattr(placeholder, cls, type(cls, (), {"__module__": name}))
        for alias, cls in _ALIASES.get(name, {}).items():
            setattr(placeholder, alias, getattr(placeholder, cls))
        sys.modules[name] = placeholder
