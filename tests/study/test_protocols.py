"""The ReLU'(0) study's networks and protocols: TensorFloat-32 products checked by hand,
PyTorch's initialization, the paper's MLP against jax.grad of a plain-JAX loss, and the paper
protocol's first bifurcating batch against a batch-by-batch loop."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from jacts import study
from jacts._networks import layers
from jacts.cli import _arguments
from jacts.study import _kernels, _network, _statistics

STEP = 2.0**-10  # TensorFloat-32's spacing just above 1: 10 mantissa bits.


def gradients(params, batch, architecture, matmul, conventions):
  """The study's backprop, once per ReLU'(0) in ``conventions``, on one forward pass."""
  Z, A, output = _network.forward(params, batch.X, architecture, matmul)
  return tuple(
    _network.backward(params, Z, A, output, batch.Y, architecture, matmul, d) for d in conventions
  )


def test_tf32_rounds_each_float32_input_to_10_mantissa_bits():
  x = jnp.array([[1 + STEP / 2, 1 + STEP / 2 + STEP / 8, 1 + 3 * STEP / 2]], jnp.float32)
  w = jnp.array([[1 + STEP / 2 + STEP / 8], [1.0], [1 + STEP / 4]], jnp.float32)
  # Round to nearest even: 1 + STEP/2 is a tie (down to 1), 1 + 5/8 STEP goes up to 1 + STEP,
  # 1 + 3/2 STEP is a tie between 1 + STEP and 1 + 2 STEP (even: up), 1 + STEP/4 goes down.
  tf32 = 1 * (1 + STEP) + (1 + STEP) * 1 + (1 + 2 * STEP) * 1
  assert float(_network.product("tf32")(x, w)[0, 0]) == tf32 == 3 + 4 * STEP
  exact = float(_network.product("float32")(x, w)[0, 0])
  exact_sum = 3 + 7 * STEP / 2 + 11 * STEP**2 / 16  # The three products' sum, by hand.
  assert exact != tf32 and abs(exact - exact_sum) < 4 * 2.0**-23  # Within float32's rounding.


@pytest.mark.parametrize("dtype", ["bfloat16", "float16"])
def test_every_half_precision_value_is_exact_in_tf32(dtype):
  bits = np.arange(2**16, dtype=np.uint16)
  values = jnp.asarray(bits.view(jnp.dtype(dtype)).astype(np.float32))
  values = values[jnp.isfinite(values)]
  rounded = jax.lax.reduce_precision(values, **_network.TF32)
  np.testing.assert_array_equal(np.asarray(rounded), np.asarray(values))


def test_tf32_products_run_through_the_backward_pass_too():
  X, labels = study.load_dataset("blobs")
  X, labels = jnp.asarray(X[:32]), jnp.asarray(labels[:32])
  sizes = (X.shape[1], 16, 16, 16, int(labels.max()) + 1)
  params = _network.init(jax.random.key(2), sizes, jnp.float32, "torch")
  batch = layers.data(X, labels, sizes[-1])
  [tf32], [exact] = (gradients(params, batch, "paper", m, (0.0,)) for m in ("tf32", "float32"))
  for a, b in zip(jax.tree.leaves(tf32), jax.tree.leaves(exact), strict=True):
    assert a.dtype == b.dtype == jnp.float32
    relative = float(jnp.max(jnp.abs(a - b)) / jnp.max(jnp.abs(b)))
    assert 1e-6 < relative < 5e-2  # Rounded to 10 bits (2^-11 = 5e-4), not float32's 24.


def test_torch_init_is_uniform_within_one_over_sqrt_fan_in_biases_included():
  sizes = (64, 256, 256, 10)
  params = _network.init(jax.random.key(0), sizes, jnp.float32, "torch")
  for layer, n_in, n_out in zip(params, sizes, sizes[1:], strict=False):
    assert layer.W.shape == (n_out, n_in) and layer.b.shape == (n_out,)
    bound = 1 / np.sqrt(n_in)
    for values in (np.asarray(layer.W), np.asarray(layer.b)):
      assert np.all(np.abs(values) <= bound)
      assert np.max(np.abs(values)) > 0.5 * bound  # Uniform: it reaches toward the bound.
    assert abs(np.mean(np.asarray(layer.W) ** 2) - bound**2 / 3) < 0.1 * bound**2 / 3
  he = _network.init(jax.random.key(0), sizes, jnp.float32, "he")
  assert all(not np.any(np.asarray(layer.b)) for layer in he)


def test_the_paper_mlp_has_no_relu_after_its_first_linear_layer():
  assert _network.activated("paper", 3) == (False, True, True)
  assert _network.activated("multilayer", 3) == (True, True, True)


def naive_loss(params, X, labels, relus):
  """Softmax cross-entropy of the MLP, examples as rows, written without jacts."""
  A = X
  for layer, relu_follows in zip(params[:-1], relus, strict=True):
    Z = A @ layer.W.T + layer.b[None, :]
    A = jnp.maximum(Z, 0) if relu_follows else Z
  logits = A @ params[-1].W.T + params[-1].b[None, :]
  return -jnp.mean(jnp.take_along_axis(jax.nn.log_softmax(logits), labels[:, None], axis=1))


@pytest.mark.parametrize("architecture", ["multilayer", "paper"])
def test_the_backprop_is_jax_grad_of_the_naive_loss(architecture):
  with jax.enable_x64(True):
    X, labels = study.load_dataset("blobs")
    X, labels = jnp.asarray(X[:32], jnp.float64), jnp.asarray(labels[:32])
    sizes = (X.shape[1], 16, 16, 16, int(labels.max()) + 1)
    params = _network.init(jax.random.key(2), sizes, jnp.float64, "torch")
    relus = _network.activated(architecture, 3)
    expected = jax.grad(naive_loss)(params, X, labels, relus)
    batch = layers.data(X, labels, sizes[-1])
    for grads in gradients(params, batch, architecture, "float32", (0.0, 1.0)):
      for got, want in zip(jax.tree.leaves(grads), jax.tree.leaves(expected), strict=True):
        assert got.dtype == want.dtype == jnp.float64 and got.shape == want.shape
        np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-15)


def hand_built(tie_layer: int):
  """A float64 multilayer network (2 inputs, two ReLU layers of 2, 2 classes, zero biases) with
  exact zeros at unit 0 of ReLU layer ``tie_layer`` only: for the first example (layer 0), or
  for every example behind a zero row of W2 (layer 1)."""
  f64 = jnp.float64
  W1 = jnp.array([[1.0, -1.0], [0.5, 0.25]], f64) if tie_layer == 0 else jnp.eye(2, dtype=f64)
  W2 = jnp.array([[0.0, 0.0], [0.75, 0.5]] if tie_layer == 1 else [[1.0, 1.0], [0.5, 1.0]], f64)
  W3 = jnp.array([[1.0, -0.5], [-0.25, 1.0]], f64)
  zeros = jnp.zeros(2, f64)
  params = (layers.Layer(W1, zeros), layers.Layer(W2, zeros), layers.Layer(W3, zeros))
  X = jnp.array([[1.0, 1.0], [2.0, 0.5]], f64)
  return params, layers.data(X, jnp.array([0, 1]), 2)


def test_a_tie_in_the_first_relu_layer_changes_the_first_layer_gradient():
  with jax.enable_x64(True):
    params, batch = hand_built(tie_layer=0)
    Z, _, _ = _network.forward(params, batch.X, "multilayer", "float32")
    assert float(Z[0][0, 0]) == 0.0 and int(jnp.sum(Z[0] == 0) + jnp.sum(Z[1] == 0)) == 1
    g0, g1 = gradients(params, batch, "multilayer", "float32", (0.0, 1.0))
    assert bool(_kernels._differ(g0[0].W, g1[0].W))


def test_a_tie_behind_a_zero_row_changes_other_gradients_but_not_the_first_layers():
  with jax.enable_x64(True):
    params, batch = hand_built(tie_layer=1)
    Z, _, _ = _network.forward(params, batch.X, "multilayer", "float32")
    assert not bool(jnp.any(Z[0] == 0)) and bool(jnp.all(Z[1][0] == 0))
    g0, g1 = gradients(params, batch, "multilayer", "float32", (0.0, 1.0))
    assert not bool(_kernels._differ(g0[0].W, g1[0].W))  # W2's zero row carries nothing back.
    assert bool(_kernels._differ(g0[1].b, g1[1].b)) and bool(_kernels._differ(g0[1].W, g1[1].W))


def first_differences_one_batch_at_a_time(key, X, labels, sizes, dtype, batch_size):
  """The paper protocol's answer for one initialization of the multilayer network with PyTorch's
  initialization, as a Python loop over its batches, both backward passes computed at each."""
  k_init, _ = jax.random.split(key)
  params = _network.init(k_init, sizes, dtype, "torch")
  first_layer, any_entry = None, None
  batches = X.shape[0] // batch_size
  for i in range(batches):
    rows = slice(i * batch_size, (i + 1) * batch_size)
    batch = layers.data(X[rows].astype(dtype), labels[rows], sizes[-1])
    g0, g1 = gradients(params, batch, "multilayer", "float32", (0.0, 1.0))
    pairs = zip(jax.tree.leaves(g0), jax.tree.leaves(g1), strict=True)
    if any_entry is None and any(bool(_kernels._differ(a, b)) for a, b in pairs):
      any_entry = i
    if bool(_kernels._differ(g0[0].W, g1[0].W)):
      first_layer = i
      break
  return (
    batches if first_layer is None else first_layer,
    batches if any_entry is None else any_entry,
  )


def paper_protocol(keys, X, labels, sizes, dtype, batch_size, chunk):
  return _kernels.first_bifurcations(
    keys, X, labels, sizes=sizes, dtype=dtype, protocol="paper", batch_size=batch_size,
    init="torch", architecture="multilayer", matmul="float32", chunk=chunk,
  )  # fmt: skip


# The multilayer network with PyTorch's biases, in float16 on moons: initializations that
# bifurcate at the first batch, later, and never (the paper's network, adding its bias before
# rounding, shows none there).


def test_the_paper_protocol_stops_at_the_first_bifurcating_batch():
  X, labels = study.load_dataset("moons")
  X, labels = jnp.asarray(X), jnp.asarray(labels)
  sizes, dtype, batch_size = (2, 8, 8, 2), jnp.dtype("float16"), 16
  keys = jax.random.split(jax.random.key(0), 12)
  first_layer, any_entry = paper_protocol(keys, X, labels, sizes, dtype, batch_size, chunk=4)
  expected = [
    first_differences_one_batch_at_a_time(k, X, labels, sizes, dtype, batch_size) for k in keys
  ]
  assert list(zip(first_layer.tolist(), any_entry.tolist(), strict=True)) == expected
  firsts = sorted({f for f, _ in expected})
  assert len(firsts) >= 3, firsts  # Initializations that bifurcate early, late, and never.
  for chunk in (5, 1):  # 12 = 2 * 5 + 2: a remainder of 2 keys, compiled apart.
    again = paper_protocol(keys, X, labels, sizes, dtype, batch_size, chunk=chunk)
    assert [a.tolist() for a in again] == [first_layer.tolist(), any_entry.tolist()]


def test_a_raw_uint32_key_draws_as_its_typed_twin():
  X, labels = study.load_dataset("moons")
  options = {"draws": 3, "dtypes": ("float16",), "widths": (8,), "depth": 2, "batch_size": 16}
  for protocol in study.PROTOCOLS:
    typed = study.bifurcation(X, labels, key=jax.random.key(1), protocol=protocol, **options)
    raw = study.bifurcation(X, labels, key=jax.random.PRNGKey(1), protocol=protocol, **options)
    assert raw == typed


def test_per_batch_probability_counts_each_initializations_batches_up_to_its_first():
  X, labels = study.load_dataset("moons")
  [record] = study.bifurcation(X, labels, key=jax.random.key(0), draws=12, dtypes=("float16",),
                               widths=(8,), depth=2, batch_size=16, protocol="paper",
                               architecture="multilayer")  # fmt: skip
  keys = jax.random.split(jax.random.key(0), 12)
  first = [
    first_differences_one_batch_at_a_time(
      k, jnp.asarray(X), jnp.asarray(labels), (2, 8, 8, 2), jnp.float16, 16
    )[0]
    for k in keys
  ]
  assert record.batches == 200 // 16
  assert record.differing_first_layer == sum(f < record.batches for f in first)
  assert record.batches_examined == sum(min(f + 1, record.batches) for f in first)
  assert record.per_batch == record.differing_first_layer / record.batches_examined
  low, high = _statistics.wilson_interval(record.differing_first_layer, record.batches_examined)
  assert (record.per_batch_low, record.per_batch_high) == (low, high)
  assert low < record.per_batch < high


def test_wilson_interval_and_per_epoch_share_by_hand():
  low, high = _statistics.wilson_interval(50, 100)
  assert low == pytest.approx(0.40383, abs=1e-5) and high == pytest.approx(0.59617, abs=1e-5)
  assert _statistics.wilson_interval(0, 100)[0] == 0.0
  assert _statistics.wilson_interval(100, 100)[1] == 1.0
  assert _statistics.per_epoch(0.001, 600) == pytest.approx(1 - 0.999**600)
  assert _statistics.per_epoch(0.0, 600) == 0.0 and _statistics.per_epoch(1.0, 600) == 1.0
  record = study.Bifurcation(
    "paper", "float32", 16, 3, "paper", "torch", "tf32", 100, 100, 13, 3, 0.03, 2, 0.02, 1290,
    0.001, 0.0005, 0.002, "cpu", "cpu", "0",
  )  # fmt: skip
  assert record.per_epoch(600) == pytest.approx((1 - 0.999**600, 1 - 0.9995**600, 1 - 0.998**600))


@pytest.mark.parametrize(
  ("keywords", "pattern"),
  [
    ({"protocol": "epoch"}, "`protocol` must be one of draw, paper; got 'epoch'"),
    ({"init": "glorot"}, "`init` must be one of he, torch; got 'glorot'"),
    ({"architecture": "cnn"}, "`architecture` must be one of multilayer, paper; got 'cnn'"),
    ({"matmul": "bf16"}, "`matmul` must be one of float32, tf32, default; got 'bf16'"),
  ],
  ids=["protocol", "init", "architecture", "matmul"],
)
def test_unknown_options_name_the_argument(keywords, pattern):
  X, labels = study.load_dataset("moons")
  with pytest.raises(ValueError, match=pattern):
    study.bifurcation(X, labels, key=jax.random.key(0), **keywords)


def test_programs_counts_what_relu0_runs():
  everything = study.programs(("draw", "paper"), ("float32", "tf32"), study.DTYPES, (16, 64))
  assert everything == 2 * (4 + 1) * 2 + 4  # tf32 runs float32 alone; training, every dtype.
  assert study.programs(("paper",), ("tf32", "float32"), ("float64",), (16,)) == 1 + 1
  # The backend's default may differ from both in any dtype (on a GPU): it runs for every one.
  assert study.programs(("draw",), ("float32", "default"), study.DTYPES, (16,)) == 4 + 4 + 4
  expected = (
    ("float32", "tf32", "default") if jax.default_backend() == "gpu" else ("float32", "tf32")
  )
  assert study.default_matmul() == expected


def test_the_parser_names_what_the_study_accepts():
  assert _arguments.STUDY_DTYPES == study.DTYPES
  assert _arguments.STUDY_PROTOCOLS == study.PROTOCOLS
  assert _arguments.STUDY_MATMUL == _network.MATMUL
  assert _arguments.STUDY_INITS == _network.INITS
  assert _arguments.STUDY_ARCHITECTURES == _network.ARCHITECTURES
