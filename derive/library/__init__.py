"""The built-in derivations, by name.

The table below is read by ``derive list`` and ``derive --help`` without importing SymPy; the
module that builds a derivation is imported only when it is asked for.
"""

from __future__ import annotations

from functools import cache
from importlib import import_module

from ..errors import DeriveError

TYPE_CHECKING = False  # not typing's: `derive --help` reads BUILTINS and need not import typing
if TYPE_CHECKING:
    from ..model import Derivation

# name -> (module below derive.library, one-line summary)
BUILTINS: dict[str, tuple[str, str]] = {
    "sigmoid": ("sigmoid", "σ(x) = 1/(1 + e^(−x)): σ' = σ(1 − σ), by substitution and the chain rule"),
    "tanh": ("catalog", "tanh(x): tanh' = 1 − tanh²"),
    "softplus": ("catalog", "ln(1 + e^x): softplus' = σ(x)"),
    "swish": ("catalog", "SiLU/swish x·σ(x): swish' = swish + σ(1 − swish)"),
    "logsigmoid": ("catalog", "log-sigmoid ln σ(x) = −ln(1 + e^(−x)): derivative 1 − σ(x)"),
    "logistic-loss": ("catalog", "−(y ln σ(z) + (1 − y) ln(1 − σ(z))): ∂L/∂z = σ(z) − y"),
    "gelu": ("catalog", "GELU x·(1 + erf(x/√2))/2 (exact)"),
    "gelu-tanh": ("catalog", "GELU, tanh approximation x·(1 + tanh(√(2/π)(x + 0.044715x³)))/2"),
    "mish": ("catalog", "mish x·tanh(ln(1 + e^x))"),
    "softsign": ("catalog", "softsign x/(1 + |x|)"),
    "relu": ("catalog", "ReLU max(0, x), by cases; no derivative at 0"),
    "leaky-relu": ("catalog", "leaky ReLU max(x/100, x), by cases; no derivative at 0"),
    "elu": ("catalog", "ELU: x for x > 0, α(e^x − 1) otherwise"),
    "selu": ("catalog", "SELU: λ·ELU"),
    "softmax": ("catalog", "softmax of 3 inputs: ∂sᵢ/∂zⱼ = sᵢ(δᵢⱼ − sⱼ)"),
    "softmax-cross-entropy": ("backprop", "cross-entropy through a softmax, with indices: ∂L/∂zᵢ = pᵢ − yᵢ"),
    "two-layer-network": ("backprop", "weight gradients of a two-layer network, with indices"),
}


def build(name: str) -> Derivation:
    """The built-in derivation ``name``, as written, before verification."""
    if name not in BUILTINS:
        known = ", ".join(sorted(BUILTINS))
        raise DeriveError(f"unknown derivation {name!r}; known: {known}")
    module = import_module(f"{__name__}.{BUILTINS[name][0]}")
    return module.build(name)


@cache
def get(name: str) -> Derivation:
    """The built-in derivation ``name`` with every step verified (computed once per process;
    derivations are immutable)."""
    from ..verify import verify

    return verify(build(name))
