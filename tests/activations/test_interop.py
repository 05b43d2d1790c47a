"""jacts' activations inside the ecosystem's models: an equinox.nn.MLP built with activation=jacts.f
and a flax.nnx module that calls jacts.f give the outputs and gradients of the same models built
with jax.nn.f, compiled (eqx.filter_jit, nnx.jit), and train with optax to the same loss.

These tests need the optional `interop` extra (pip install -e '.[interop]'); each part skips when
its library is missing.
"""

import functools

import jax
import jax.numpy as jnp
import numpy as np
import optax
import pytest

import jacts

# (jacts' activation, jax.nn's), the same function twice; parameters bound by functools.partial.
PAIRS = [
  pytest.param(jacts.gelu, jax.nn.gelu, id="gelu_tanh"),
  pytest.param(
    functools.partial(jacts.gelu, approximate=False),
    functools.partial(jax.nn.gelu, approximate=False),
    id="gelu_erf",
  ),
  pytest.param(jacts.silu, jax.nn.silu, id="silu"),
  pytest.param(jacts.relu, jax.nn.relu, id="relu"),
  pytest.param(jacts.tanh, jax.nn.tanh, id="tanh"),
  pytest.param(jacts.softplus, jax.nn.softplus, id="softplus"),
  pytest.param(jacts.elu, jax.nn.elu, id="elu"),
  pytest.param(
    functools.partial(jacts.leaky_relu, negative_slope=0.2),
    functools.partial(jax.nn.leaky_relu, negative_slope=0.2),
    id="leaky_relu_0.2",
  ),
]

IN, WIDTH, OUT, BATCH = 5, 16, 3, 32

# Outputs: jacts computes each activation as jax.nn does, and the models' outputs agree to the
# last bit (measured with jax 0.9.2 and 0.10.2 on CPU); the bound leaves XLA 4 ulps of the
# largest output for fusing the two differently.
OUTPUT_ULPS = 4
# Gradients: jacts' backward pass is the textbook derivative (often written in the output), jax.nn's
# is autodiff of its formula; the two round differently. Measured: at most 2.3e-7 of a leaf's
# largest entry (2 ulps of float32), exactly 0 for relu, elu and leaky_relu; the bound is 2e-6.
GRADIENT_RTOL = 2e-6
# After 40 steps of adam the losses differ by at most 3.3e-7 (relative) and the weights by 7.2e-7
# of a leaf's largest entry.
TRAINED_RTOL = 5e-6


def data(seed=0):
  """Inputs and regression targets, float32."""
  kx, ky = jax.random.split(jax.random.key(seed))
  x = jax.random.normal(kx, (BATCH, IN), jnp.float32)
  y = jax.random.normal(ky, (BATCH, OUT), jnp.float32)
  return x, y


def assert_same_outputs(ours, theirs, shape):
  assert ours.dtype == theirs.dtype == jnp.float32
  assert ours.shape == theirs.shape == shape
  ulp = np.spacing(np.float32(np.max(np.abs(theirs))))
  np.testing.assert_allclose(ours, theirs, rtol=0, atol=OUTPUT_ULPS * ulp)


def assert_same_trees(ours, theirs, rtol=GRADIENT_RTOL):
  """Leaf by leaf, found by path (the activations inside the models differ): the same leaves, dtypes
  and shapes, finite, and values within rtol of the largest entry of the leaf."""
  ours, theirs = (
    jax.tree_util.tree_leaves_with_path(ours),
    jax.tree_util.tree_leaves_with_path(theirs),
  )
  assert [path for path, _ in ours] == [path for path, _ in theirs]
  assert ours  # Something was differentiated.
  for (path, a), (_, b) in zip(ours, theirs, strict=True):
    assert a.dtype == b.dtype == jnp.float32, path
    assert a.shape == b.shape, path
    assert np.all(np.isfinite(a)), path
    np.testing.assert_allclose(
      a, b, rtol=0, atol=rtol * float(np.max(np.abs(b))), err_msg=str(path)
    )


def mse(prediction, target):
  return jnp.mean((prediction - target) ** 2)


# ---------------------------------------------------------------------------------------------
# 1. Equinox: eqx.nn.MLP(..., activation=jacts.f).


@pytest.fixture(scope="module")
def eqx():
  return pytest.importorskip("equinox")


def equinox_mlp(eqx, activation, **options):
  """The same MLP (same key, so the same weights) whatever the activation."""
  return eqx.nn.MLP(
    IN, OUT, WIDTH, depth=2, activation=activation, key=jax.random.key(1), **options
  )


@pytest.mark.parametrize(("ours", "theirs"), PAIRS)
def test_equinox_mlp_gives_jax_nns_outputs_and_gradients_under_filter_jit(eqx, ours, theirs):
  x, y = data()

  @eqx.filter_jit
  def outputs(model, x):
    return jax.vmap(model)(x)

  @eqx.filter_jit
  @eqx.filter_grad
  def gradients(model, x, y):
    return mse(jax.vmap(model)(x), y)

  model, reference = equinox_mlp(eqx, ours), equinox_mlp(eqx, theirs)
  assert_same_outputs(outputs(model, x), outputs(reference, x), (BATCH, OUT))
  assert_same_trees(gradients(model, x, y), gradients(reference, x, y))


def test_equinox_mlp_learns_an_array_parameter_of_the_activation_as_jax_nn_does(eqx):
  # An array bound with jax.tree_util.Partial (a pytree, unlike functools.partial) is a leaf of
  # the model: equinox gives every neuron its own copy, and jacts differentiates it as jax.nn does.
  x, y = data()
  slope = jnp.asarray(0.2, jnp.float32)
  model = equinox_mlp(eqx, jax.tree_util.Partial(jacts.leaky_relu, negative_slope=slope))
  reference = equinox_mlp(eqx, jax.tree_util.Partial(jax.nn.leaky_relu, negative_slope=slope))

  @eqx.filter_jit
  @eqx.filter_grad
  def gradients(model, x, y):
    return mse(jax.vmap(model)(x), y)

  ours, theirs = gradients(model, x, y), gradients(reference, x, y)
  assert ours.activation.keywords["negative_slope"].shape == (2, WIDTH)  # depth x width
  assert np.any(ours.activation.keywords["negative_slope"] != 0)
  assert_same_trees(ours, theirs)


@pytest.mark.parametrize("final", ["softmax", "log_softmax"])
def test_equinox_final_activation_softmax_fails_as_jax_nns_does(eqx, final):
  # eqx.nn.MLP applies final_activation to each output neuron on its own (vmapped over them), so
  # a softmax there sees a 0-d array, which has no axis -1: jax.nn's raises, and so does jacts'.
  # A classifier puts the softmax after the MLP instead (the next test).
  x, _ = data()
  for activation, head in ((jacts.gelu, jacts), (jax.nn.gelu, jax.nn)):
    model = equinox_mlp(eqx, activation, final_activation=getattr(head, final))
    with pytest.raises(ValueError, match="axis"):
      jax.vmap(model)(x)


@pytest.mark.parametrize("final", ["softmax", "log_softmax"])
def test_equinox_classifier_with_a_jacts_softmax_head_matches_jax_nns(eqx, final):
  # The classifier normalizes the logits as a whole: MLP, then eqx.nn.Lambda(softmax).
  x, _ = data()
  labels = jnp.arange(BATCH) % OUT

  def classifier(activation, head):
    return eqx.nn.Sequential([equinox_mlp(eqx, activation), eqx.nn.Lambda(head)])

  @eqx.filter_jit
  def outputs(model, x):
    return jax.vmap(model)(x)

  @eqx.filter_jit
  @eqx.filter_grad
  def gradients(model, x):
    p = jax.vmap(model)(x)
    picked = jnp.take_along_axis(p, labels[:, None], axis=1)
    return -jnp.mean(picked if final == "log_softmax" else jnp.log(picked))

  model = classifier(jacts.gelu, getattr(jacts, final))
  reference = classifier(jax.nn.gelu, getattr(jax.nn, final))
  probabilities = outputs(model, x)
  assert_same_outputs(probabilities, outputs(reference, x), (BATCH, OUT))
  total = jnp.sum(jnp.exp(probabilities) if final == "log_softmax" else probabilities, axis=-1)
  np.testing.assert_allclose(total, np.ones(BATCH, np.float32), rtol=1e-6)
  assert_same_trees(gradients(model, x), gradients(reference, x))


def train_equinox(eqx, model, x, y, *, steps):
  """Adam on the MSE, all steps in one compiled lax.scan; returns the model and the losses."""
  optimizer = optax.adam(1e-2)

  @eqx.filter_jit
  def train(model):
    params, static = eqx.partition(model, eqx.is_inexact_array)

    def loss(params):
      return mse(jax.vmap(eqx.combine(params, static))(x), y)

    def step(state, _):
      params, opt_state = state
      value, grads = jax.value_and_grad(loss)(params)
      updates, opt_state = optimizer.update(grads, opt_state, params)
      return (optax.apply_updates(params, updates), opt_state), value

    (params, _), losses = jax.lax.scan(step, (params, optimizer.init(params)), None, length=steps)
    return eqx.combine(params, static), jnp.append(losses, loss(params))

  return train(model)


@pytest.mark.usefixtures("optax_promotion")
def test_equinox_mlp_trains_with_optax_to_jax_nns_loss(eqx):
  ours, theirs = jacts.gelu, jax.nn.gelu
  x, y = data()
  y = jnp.sin(x[:, :OUT])  # Learnable targets.
  model, losses = train_equinox(eqx, equinox_mlp(eqx, ours), x, y, steps=40)
  reference, reference_losses = train_equinox(eqx, equinox_mlp(eqx, theirs), x, y, steps=40)
  assert losses.shape == (41,) and losses.dtype == jnp.float32
  assert losses[-1] < 0.1 * losses[0]
  np.testing.assert_allclose(losses, reference_losses, rtol=TRAINED_RTOL)
  params, reference_params = (eqx.filter(m, eqx.is_inexact_array) for m in (model, reference))
  assert_same_trees(params, reference_params, TRAINED_RTOL)


# ---------------------------------------------------------------------------------------------
# 2. Flax NNX: a module of two nnx.Linear layers with jacts.f between them.


@pytest.fixture(scope="module")
def nnx():
  return pytest.importorskip("flax.nnx")


# flax 0.12.2 to 0.12.6 (the interop extra allows 0.12.2 on, and 0.12.7 needs jax 0.10) call
# jax.core.get_opaque_trace_state, which jax 0.10 deprecates: flax's warning, not jacts', and only
# that one is let through, only in these tests.
flax_on_newer_jax = pytest.mark.filterwarnings(
  "ignore:jax.core.get_opaque_trace_state is deprecated:DeprecationWarning"
)


def flax_mlp(nnx, activation):
  """Linear, activation, linear; the same weights (same seed) whatever the activation."""

  class TwoLayers(nnx.Module):
    def __init__(self, rngs):
      self.hidden = nnx.Linear(IN, WIDTH, rngs=rngs)
      self.output = nnx.Linear(WIDTH, OUT, rngs=rngs)

    def __call__(self, x):
      return self.output(activation(self.hidden(x)))

  return TwoLayers(nnx.Rngs(1))


@flax_on_newer_jax
@pytest.mark.parametrize(("ours", "theirs"), PAIRS)
def test_flax_nnx_module_gives_jax_nns_outputs_and_gradients_under_nnx_jit(nnx, ours, theirs):
  x, y = data()

  @nnx.jit
  def outputs(model, x):
    return model(x)

  @nnx.jit
  def gradients(model, x, y):
    return nnx.grad(lambda model: mse(model(x), y))(model)

  model, reference = flax_mlp(nnx, ours), flax_mlp(nnx, theirs)
  assert_same_outputs(outputs(model, x), outputs(reference, x), (BATCH, OUT))
  grads, reference_grads = gradients(model, x, y), gradients(reference, x, y)
  assert isinstance(grads, nnx.State)
  assert_same_trees(grads, reference_grads)


def train_flax(nnx, model, x, y, *, steps):
  """Adam on the MSE, all steps in one lax.scan inside nnx.jit; trains the model in place and
  returns the losses."""
  optimizer = optax.adam(1e-2)

  @nnx.jit
  def train(model):
    graphdef, params = nnx.split(model, nnx.Param)

    def loss(params):
      return mse(nnx.merge(graphdef, params)(x), y)

    def step(state, _):
      params, opt_state = state
      value, grads = jax.value_and_grad(loss)(params)
      updates, opt_state = optimizer.update(grads, opt_state, params)
      return (optax.apply_updates(params, updates), opt_state), value

    (params, _), losses = jax.lax.scan(step, (params, optimizer.init(params)), None, length=steps)
    nnx.update(model, params)
    return jnp.append(losses, loss(params))

  return train(model)


@flax_on_newer_jax
@pytest.mark.usefixtures("optax_promotion")
def test_flax_nnx_module_trains_with_optax_to_jax_nns_loss(nnx):
  ours, theirs = jacts.silu, jax.nn.silu
  x, y = data()
  y = jnp.sin(x[:, :OUT])
  model, reference = flax_mlp(nnx, ours), flax_mlp(nnx, theirs)
  before = np.array(model.hidden.kernel[...])
  losses = train_flax(nnx, model, x, y, steps=40)
  reference_losses = train_flax(nnx, reference, x, y, steps=40)
  assert losses.shape == (41,) and losses.dtype == jnp.float32
  assert losses[-1] < 0.1 * losses[0]
  np.testing.assert_allclose(losses, reference_losses, rtol=TRAINED_RTOL)
  assert not np.array_equal(model.hidden.kernel[...], before)  # Trained in place.
  assert_same_trees(nnx.state(model, nnx.Param), nnx.state(reference, nnx.Param), TRAINED_RTOL)
