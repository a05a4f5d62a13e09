"""Backpropagation, written with indices as a lecture would: the gradient of the cross-entropy
loss through a softmax, ∂L/∂zᵢ = pᵢ − yᵢ, and the weight gradients of a two-layer network.

Each is kept as the LaTeX a person would write and read by ``derive``'s own document reader, so
its claims are checked exactly as ``derive check`` checks a lecture's: a claim with free indices
(i, j, k) and sums over n terms is verified in every concrete case of sizes 1 to 4.
"""

from __future__ import annotations

from dataclasses import replace

from ..model import Derivation

SOURCES = {
    "softmax-cross-entropy": r"""
\section*{Gradient of the cross-entropy loss through a softmax}
Logits $z_1, \dots, z_n$ give the probabilities $p_k = \frac{e^{z_k}}{\sum_{j=1}^{n} e^{z_j}}$;
the target is one-hot, $y_k = \delta_{km}$ for the true class $m$, and the loss is
$L = -\sum_{k=1}^{n} y_k \ln p_k$.
\begin{align}
\frac{\partial p_k}{\partial z_i} &= p_k \left(\delta_{ki} - p_i\right) && \text{quotient rule} \\
\frac{\partial L}{\partial z_i} &= -\sum_{k=1}^{n} \frac{y_k}{p_k} \frac{\partial p_k}{\partial z_i}
  && \text{chain rule; the derivative of ln p is 1/p} \\
&= -\sum_{k=1}^{n} y_k \left(\delta_{ki} - p_i\right) && \text{the softmax derivative} \\
&= p_i \sum_{k=1}^{n} y_k - y_i && \text{the Kronecker delta keeps the term k = i} \\
&= p_i - y_i && \text{the targets sum to 1}
\end{align}
""",
    "two-layer-network": r"""
\section*{Weight gradients of a two-layer network}
Inputs $x_i$, hidden pre-activations $h_j = \sum_{i=1}^{n} W_{ji} x_i$, hidden activations
$a_j = \sigma(h_j)$ with $\sigma(t) = \frac{1}{1 + e^{-t}}$, the output
$\hat{y} = \sum_{j=1}^{n} v_j a_j$ and the squared error $L = \frac{1}{2}\left(\hat{y} - y\right)^2$.
\begin{align}
\frac{\partial L}{\partial v_j} &= \left(\hat{y} - y\right) \frac{\partial \hat{y}}{\partial v_j}
  && \text{chain rule} \\
&= \left(\hat{y} - y\right) a_j && \text{only the j-th term of the output depends on it} \\
\frac{\partial L}{\partial W_{jk}} &= \left(\hat{y} - y\right) \frac{\partial \hat{y}}{\partial W_{jk}}
  && \text{chain rule} \\
&= \left(\hat{y} - y\right) v_j \frac{\partial a_j}{\partial W_{jk}}
  && \text{only the j-th activation depends on this weight} \\
&= \left(\hat{y} - y\right) v_j \, a_j \left(1 - a_j\right) \frac{\partial h_j}{\partial W_{jk}}
  && \text{the sigmoid's derivative is sigmoid times one minus sigmoid} \\
&= \left(\hat{y} - y\right) v_j \, a_j \left(1 - a_j\right) x_k
  && \text{only the k-th input term depends on this weight}
\end{align}
""",
}


def build(name: str) -> Derivation:
    """The backpropagation derivation ``name``, read from its LaTeX, unverified."""
    from ..read.documents import read_document

    derivation = read_document(SOURCES[name], "latex")
    # the lines of the source are not shown anywhere: the steps are the derivation's own
    steps = tuple(replace(step, line=None) for step in derivation.steps)
    return replace(derivation, steps=steps, result=replace(derivation.result, line=None))
