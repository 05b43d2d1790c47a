"""The activation functions, derived from the rule table (:mod:`jacts._rules`): each public
function with its custom VJP, :func:`jacts.derivative`, the forward-mode versions, the registry
that networks look activations up in, and ``jacts check``.

Private modules: ``_differentiable.py`` (argument checks and the custom VJP and JVP built from a
rule), the documented public functions (``_lecture.py``: the lecture's four; ``_piecewise.py``,
``_smooth.py``, ``_normalizing.py``), ``_public.py`` (every rule's function, its signature checked
against the rule at import), ``_forward_mode.py``, ``_registry.py``, ``_derivative.py`` and
``_check.py``.
"""

from jacts._activations._check import check
from jacts._activations._derivative import derivative, derivative_from_output
from jacts._activations._differentiable import pinned, prepare
from jacts._activations._forward_mode import forward_mode
from jacts._activations._lecture import leaky_relu, relu, sigmoid, tanh
from jacts._activations._normalizing import glu, log_softmax, softmax
from jacts._activations._piecewise import (
  hard_sigmoid,
  hard_silu,
  hard_swish,
  hard_tanh,
  relu6,
  sparse_sigmoid,
)
from jacts._activations._public import PUBLIC
from jacts._activations._registry import hidden_activation, known_activation
from jacts._activations._smooth import (
  celu,
  elu,
  gelu,
  identity,
  log1mexp,
  log_sigmoid,
  mish,
  selu,
  silu,
  soft_sign,
  softplus,
  sparse_plus,
  squareplus,
  swish,
)

__all__ = (
  "PUBLIC",
  "celu",
  "check",
  "derivative",
  "derivative_from_output",
  "elu",
  "forward_mode",
  "gelu",
  "glu",
  "hard_sigmoid",
  "hard_silu",
  "hard_swish",
  "hard_tanh",
  "hidden_activation",
  "identity",
  "known_activation",
  "leaky_relu",
  "log1mexp",
  "log_sigmoid",
  "log_softmax",
  "mish",
  "pinned",
  "prepare",
  "relu",
  "relu6",
  "selu",
  "sigmoid",
  "silu",
  "soft_sign",
  "softmax",
  "softplus",
  "sparse_plus",
  "sparse_sigmoid",
  "squareplus",
  "swish",
  "tanh",
)
