"""What the backward pass keeps survives XLA's compiler: compiled temporary memory.

The residual a jacts' VJP keeps (tested in test_from_output.py) only saves memory if the
compiled program keeps it too: XLA may recompute a from z inside the backward pass, and then keep
z as well. These tests compile ``value_and_grad`` of a small MLP, the benchmark's deep-network
case scaled down, and compare ``memory_analysis().temp_size_in_bytes``.
"""

import functools
import itertools

import jax
import jax.numpy as jnp
import numpy as np
import optax
import pytest
from cases import FLOAT_DTYPES, JAX_NN, uses_output_by_default

import jacts
from jacts._activations import pinned

pytestmark = pytest.mark.skipif(
  jax.default_backend() != "cpu",
  reason="XLA's fusion, and so which tensors the backward pass keeps, is measured on the CPU.",
)

# Batch and width differ, so that a kept activation cannot hide in a weight gradient's buffer.
SIZES = [48] + [96] * 4 + [10]
BATCH = 256


def _temporary_bytes(activation, optimizer=None) -> int:
  """Of value_and_grad of the MLP's loss, followed by ``optimizer``'s update if one is given."""
  params = [(jnp.zeros((a, b)), jnp.zeros(b)) for a, b in itertools.pairwise(SIZES)]
  X = jnp.zeros((BATCH, SIZES[0]))

  def loss(params, X):
    h = X
    for W, b in params[:-1]:
      h = activation(h @ W + b[None, :])
    W, b = params[-1]
    return jnp.mean((h @ W + b[None, :]) ** 2)

  if optimizer is None:
    compiled = jax.jit(jax.value_and_grad(loss)).lower(params, X).compile()
    return compiled.memory_analysis().temp_size_in_bytes

  def step(params, state, X):
    value, grads = jax.value_and_grad(loss)(params, X)
    updates, state = optimizer.update(grads, state, params)
    return optax.apply_updates(params, updates), state, value

  with jax.numpy_dtype_promotion("standard"):  # optax's adam mixes Python floats and int32.
    compiled = jax.jit(step).lower(params, optimizer.init(params), X).compile()
  return compiled.memory_analysis().temp_size_in_bytes


@functools.cache
def _tanh_bytes() -> int:
  return _temporary_bytes(jacts.tanh)


FROM_OUTPUT = [pytest.param(p.values[0], id=p.id) for p in JAX_NN if uses_output_by_default(p.id)]
FROM_OUTPUT += [
  pytest.param(
    functools.partial(jacts.hard_tanh, derivative_at_minus_one=0.0, derivative_at_one=0.0),
    id="hard_tanh-0-at-both",
  ),
  pytest.param(functools.partial(jacts.relu, derivative_at_zero=0.0), id="relu-0-at-0"),
  pytest.param(
    functools.partial(jacts.leaky_relu, derivative_at_zero=0.01),
    id="leaky_relu-slope-at-0",
  ),
]
_HIDDEN_ENTRIES = (len(SIZES) - 2) * BATCH * SIZES[1]  # Entries of the hidden layers' z.


def test_tanh_keeps_one_tensor_per_hidden_layer_which_an_activation_that_reads_z_exceeds():
  # The yardstick: tanh keeps a alone, one batch x width tensor per hidden layer; hard-SiLU,
  # which needs z, keeps one more.
  assert _tanh_bytes() + 4 * _HIDDEN_ENTRIES <= _temporary_bytes(jacts.hard_silu)


@pytest.mark.parametrize(
  "activation",
  [
    pytest.param(jacts.relu, id="relu"),
    pytest.param(functools.partial(jacts.relu, derivative_at_zero=0.5), id="relu-half-at-0"),
    pytest.param(jacts.leaky_relu, id="leaky_relu"),
    pytest.param(functools.partial(jacts.leaky_relu, negative_slope=0.2), id="leaky_relu-0.2"),
    pytest.param(functools.partial(jacts.leaky_relu, negative_slope=-0.5), id="leaky_relu--0.5"),
  ],
)
def test_relu_and_leaky_relu_keep_a_and_two_bits_per_entry(activation):
  # a is the next layer's input, kept as tanh's is; z's place is 2 bits.
  assert _temporary_bytes(activation) <= _tanh_bytes() + _HIDDEN_ENTRIES // 4


@pytest.mark.parametrize("activation", [jacts.silu, jacts.swish, jacts.gelu])
def test_the_activations_that_read_z_keep_it_alone_beside_a(activation):
  # Not what g shares with g' (silu's sigmoid(z), which jax.nn keeps too).
  assert _temporary_bytes(activation) <= _tanh_bytes() + 4 * _HIDDEN_ENTRIES


def test_in_an_adam_step_mish_keeps_z_alone_beside_a():
  # jax.nn's keeps three tensors more than tanh; so does jacts' in value_and_grad alone, where
  # XLA schedules the passes otherwise.
  adam = optax.adam(1e-3)
  tanh_bytes = _temporary_bytes(jacts.tanh, adam)
  assert _temporary_bytes(jacts.mish, adam) <= tanh_bytes + 4 * _HIDDEN_ENTRIES
  assert _temporary_bytes(jax.nn.mish, adam) >= tanh_bytes + 3 * 4 * _HIDDEN_ENTRIES


@pytest.mark.parametrize("activation", FROM_OUTPUT)
def test_where_a_determines_g_prime_the_compiled_step_needs_no_more_than_tanh(activation):
  assert _temporary_bytes(activation) <= _tanh_bytes()


@pytest.mark.parametrize(("activation", "jax_nn"), JAX_NN)
def test_the_compiled_step_needs_no_more_than_with_jax_nn(activation, jax_nn):
  assert _temporary_bytes(activation) <= _temporary_bytes(jax_nn)


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
def test_pinning_the_output_for_the_backward_pass_leaves_its_value_as_it_is(dtype, x64):
  # Subnormals too, because LLVM folds the division by 1 away: a division XLA's CPU ran would
  # flush them (the form before this one did).
  finfo = jnp.finfo(dtype)
  a = jnp.array(
    [0.0, -0.0, finfo.smallest_subnormal, -finfo.smallest_subnormal, finfo.tiny, 1 / 6, -2.5, 6.0,
     finfo.max, -finfo.max, np.inf, -np.inf, np.nan],
    dtype,
  )  # fmt: skip
  kept = jax.jit(pinned)(a)
  assert kept.dtype == a.dtype
  np.testing.assert_array_equal(kept.astype(jnp.float64), a.astype(jnp.float64))  # NaN: NaN
  np.testing.assert_array_equal(jnp.signbit(kept), jnp.signbit(a))


@pytest.mark.parametrize(
  ("activation", "jax_nn"),
  [
    (jacts.relu6, jax.nn.relu6),
    (
      functools.partial(jacts.hard_tanh, derivative_at_minus_one=0.0, derivative_at_one=0.0),
      jax.nn.hard_tanh,
    ),
  ],
)
def test_a_pinned_output_is_jax_nns_value_through_the_vjp(activation, jax_nn):
  z = jnp.array([-7.0, -3.0, -0.0, 0.0, 1e-3, 2.5, 3.0, 6.0, 7.0, np.inf, -np.inf, np.nan])
  a, _ = jax.jit(lambda z: jax.vjp(activation, z))(z)
  expected = jax_nn(z)
  np.testing.assert_array_equal(a, expected)
  np.testing.assert_array_equal(jnp.signbit(a), jnp.signbit(expected))
