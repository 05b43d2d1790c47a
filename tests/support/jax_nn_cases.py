"""jax.nn's activations that jacts replaces, the rules behind them, and the activations whose
parameters may be arrays: what tests/activations/test_jax_nn_activations.py,
test_activation_parameters.py and test_from_output.py run over."""

import pytest

import jacts
from jacts._activations import known_activation
from jacts._rules import RULES

# jax.nn's activations that jacts replaces, aliases included (jax.nn.swish is jax.nn.silu).
JAX_NN_NAMES = (
  "relu6",
  "hard_sigmoid",
  "hard_silu",
  "hard_swish",
  "hard_tanh",
  "sparse_sigmoid",
  "softplus",
  "log_sigmoid",
  "silu",
  "swish",
  "mish",
  "gelu",
  "soft_sign",
  "squareplus",
  "sparse_plus",
  "elu",
  "celu",
  "selu",
  "log1mexp",
  "identity",
  "glu",
  "softmax",
  "log_softmax",
)

# The rules behind them, aliases once.
NEW_RULES = tuple(
  dict.fromkeys(known_activation(getattr(jacts, n)).rule.name for n in JAX_NN_NAMES)
)
ELEMENTWISE = tuple(name for name in NEW_RULES if RULES[name].elementwise)

# (activation, parameter, values tried): ELU's alpha may be any number, CELU's and squareplus'
# must be positive.
PARAMETERS = [
  pytest.param(jacts.elu, "alpha", (-0.5, 0.5, 1.0, 2.0), id="elu-alpha"),
  pytest.param(jacts.celu, "alpha", (0.5, 1.0, 2.0), id="celu-alpha"),
  pytest.param(jacts.squareplus, "b", (0.5, 4.0, 10.0), id="squareplus-b"),
]
