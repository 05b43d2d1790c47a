"""The lecture's formulas written literally, differentiated by plain autodiff.

These are the references jacts' custom VJPs are tested and benchmarked against, and a way for
users to see what the custom rules fix: autodiff of these forms overflows to NaN where the
activations themselves are perfectly finite (sigmoid for z < -88, tanh for |z| > 44 in float32).
Autodiff of ``jnp.maximum`` splits ties, so ``jax.grad`` of the naive ReLU at 0 is 0.5: neither
convention of the lecture. Each is the ``naive`` entry of its activation's rule.

Example:
  >>> import jax, jacts.naive
  >>> print(jax.grad(jacts.naive.sigmoid)(-100.0))
  nan
  >>> print(jax.grad(jacts.naive.relu)(0.0))
  0.5
"""

from typing import TYPE_CHECKING

from jacts._rules import RULES

# The names below are made at run time from the table; type checkers read their type here (one
# per rule: keep it in step with RULES).
if TYPE_CHECKING:
  from collections.abc import Callable

  import jax

  sigmoid: Callable[..., jax.Array]
  tanh: Callable[..., jax.Array]
  relu: Callable[..., jax.Array]
  leaky_relu: Callable[..., jax.Array]
  relu6: Callable[..., jax.Array]
  hard_sigmoid: Callable[..., jax.Array]
  hard_silu: Callable[..., jax.Array]
  hard_tanh: Callable[..., jax.Array]
  sparse_sigmoid: Callable[..., jax.Array]
  softplus: Callable[..., jax.Array]
  log_sigmoid: Callable[..., jax.Array]
  silu: Callable[..., jax.Array]
  mish: Callable[..., jax.Array]
  gelu: Callable[..., jax.Array]
  soft_sign: Callable[..., jax.Array]
  squareplus: Callable[..., jax.Array]
  sparse_plus: Callable[..., jax.Array]
  elu: Callable[..., jax.Array]
  celu: Callable[..., jax.Array]
  selu: Callable[..., jax.Array]
  log1mexp: Callable[..., jax.Array]
  identity: Callable[..., jax.Array]
  glu: Callable[..., jax.Array]
  softmax: Callable[..., jax.Array]
  log_softmax: Callable[..., jax.Array]

# One name per rule, derived from the table: jacts.naive.tanh is RULES["tanh"].naive.
for _name, _rule in RULES.items():
  _rule.naive.__name__ = _rule.naive.__qualname__ = _name
  _rule.naive.__module__ = __name__
  globals()[_name] = _rule.naive
del _name, _rule
__all__ = tuple(RULES)
