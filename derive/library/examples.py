"""Worked examples beyond the catalog, written by ``derive export`` next to it.

Each is made by the command a user would run (shown in the comment), so the files in
``output/`` show what those commands print today.
"""

from __future__ import annotations

from collections.abc import Callable

from ..model import Derivation


def _tangent() -> Derivation:  # derive tangent "x^3 - 3x" --at x=2
    from ..tangent import tangent

    return tangent("x^3 - 3x", at="x=2")


def _folium() -> Derivation:  # derive implicit "x^3 + y^3 = 6xy" --order 2
    from ..implicit import implicit

    return implicit("x^3 + y^3 = 6xy", order=2)


def _hessian() -> Derivation:  # derive hessian "x^2 y^3 + e^(x y)" --vars x,y
    from ..multivariable import hessian

    return hessian("x^2 y^3 + e^(x y)", "x,y")


EXAMPLES: dict[str, Callable[[], Derivation]] = {
    "tangent-cubic": _tangent,
    "implicit-folium": _folium,
    "hessian": _hessian,
}
