"""The shallow network: the lecture's equations. Trained on the planar flower they reproduce the
course's published cost log and hidden-layer table (fit_many's too) and the course's NumPy loop
parameter for parameter; backward by hand equals jax.grad and finite differences of the cost for
every hidden activation, a slope per hidden unit included; the course's initialization, the
forward cache, predictions and a cost that stays finite where the sigmoid saturates."""

import functools

import jax
import jax.numpy as jnp
import numpy as np
import optax
import pytest
from numpy_lecture import train as numpy_lecture_train
from shallow_cases import X, Y, random_params

import jacts
import jacts.shallow as shallow

# The course's published log for n_h = 4, tanh, learning rate 1.2, 10000 iterations.
PUBLISHED_COSTS = [
    0.693048, 0.288083, 0.254385, 0.233864, 0.226792,
    0.222644, 0.219731, 0.217504, 0.219454, 0.218607,
]  # fmt: skip
# Iterations 8000 and 9000 follow a rise of the cost at learning rate 1.2 that amplifies
# last-bit differences: the course's own NumPy loop run here gives 0.219443 and 0.218554, and
# moving one initial weight by one ulp moves them by 5.5e-5. Earlier entries match to 6 digits.
EXACT_UNTIL = 8
CHAOTIC_TOLERANCE = 1e-4

# The course's published accuracy for each hidden layer size, 5000 iterations. The n_h = 50 entry
# hangs on the last bit: one ulp more in one initial weight turns it into 90.75 %, and so do the
# course's own NumPy loop run here and jax before 0.9.2 (another summation order in XLA's CPU
# kernels). jax 0.9.2 and later reproduce the published 90.25 %, which is why pyproject requires
# 0.9.2 and the table is held exactly.
PUBLISHED_ACCURACY = {1: 67.5, 2: 67.25, 3: 90.75, 4: 90.5, 5: 91.25, 20: 90.0, 50: 90.25}

HIDDEN_ACTIVATIONS = [
  pytest.param(jacts.tanh, id="tanh"),
  pytest.param(jacts.sigmoid, id="sigmoid"),
  pytest.param(jacts.relu, id="relu"),
  pytest.param(functools.partial(jacts.relu, derivative_at_zero=0.0), id="relu, g'(0)=0"),
  pytest.param(jacts.leaky_relu, id="leaky_relu"),
  pytest.param(functools.partial(jacts.leaky_relu, negative_slope=0.2), id="leaky_relu 0.2"),
]


@pytest.mark.parametrize("gradients", ["manual", "autodiff"])
def test_reproduces_the_courses_published_cost_log(gradients, x64):
  params = shallow.lecture_params(2, 4, 1)
  trained, costs = shallow.fit(
    params, X, Y, optimizer=optax.sgd(1.2), steps=10_000, gradients=gradients
  )
  assert costs.shape == (10,)
  assert costs.dtype == jnp.float64
  np.testing.assert_allclose(costs[:EXACT_UNTIL], PUBLISHED_COSTS[:EXACT_UNTIL], atol=5e-7)
  np.testing.assert_allclose(
    costs[EXACT_UNTIL:], PUBLISHED_COSTS[EXACT_UNTIL:], atol=CHAOTIC_TOLERANCE
  )
  # The course prints int(accuracy): "Accuracy: 90%".
  assert int(100 * shallow.accuracy(trained, X, Y)) == 90


def test_reproduces_the_courses_hidden_layer_size_table(x64):
  for n_h, published in PUBLISHED_ACCURACY.items():
    params, _ = shallow.fit(
      shallow.lecture_params(2, n_h, 1), X, Y, optimizer=optax.sgd(1.2), steps=5000
    )
    assert 100 * float(shallow.accuracy(params, X, Y)) == pytest.approx(published), n_h


def test_matches_the_courses_numpy_loop_parameter_for_parameter(x64):
  params = shallow.lecture_params(2, 4, 1)
  rng = np.random.RandomState(2)
  W1, W2 = rng.randn(4, 2) * 0.01, rng.randn(1, 4) * 0.01
  expected, expected_costs = numpy_lecture_train(X, Y, W1, W2, steps=3000, log_every=100)
  trained, costs = shallow.fit(params, X, Y, optimizer=optax.sgd(1.2), steps=3000, log_every=100)
  np.testing.assert_allclose(costs, expected_costs, rtol=1e-10)
  for got, want in zip(trained, expected, strict=True):
    np.testing.assert_allclose(got, want, rtol=1e-8, atol=1e-12)


@pytest.mark.parametrize("activation", HIDDEN_ACTIVATIONS)
def test_backward_by_hand_equals_jax_grad_of_cost(activation, x64):
  params = shallow.init_params(jax.random.key(1), 2, 5, 1, scale=0.7, dtype=jnp.float64)
  _, cache = shallow.forward(params, X, activation=activation)
  by_hand = shallow.backward(params, cache, X, Y, activation=activation)
  autodiff = jax.grad(shallow.cost)(params, X, Y, activation=activation)
  for name, got, want in zip(shallow.Params._fields, by_hand, autodiff, strict=True):
    assert got.shape == want.shape, name
    np.testing.assert_allclose(got, want, rtol=1e-11, atol=1e-15, err_msg=name)


@pytest.mark.parametrize("activation", HIDDEN_ACTIVATIONS)
def test_backward_equals_finite_differences_of_cost(activation, x64):
  params = shallow.init_params(jax.random.key(2), 2, 3, 1, scale=0.7, dtype=jnp.float64)
  _, cache = shallow.forward(params, X, activation=activation)
  by_hand = shallow.backward(params, cache, X, Y, activation=activation)
  direction = shallow.init_params(jax.random.key(3), 2, 3, 1, scale=1.0, dtype=jnp.float64)
  eps = 1e-6

  def shifted(sign):
    moved = jax.tree.map(lambda p, d: p + sign * eps * d, params, direction)
    return shallow.cost(moved, X, Y, activation=activation)

  finite_difference = (shifted(1) - shifted(-1)) / (2 * eps)
  directional = sum(jnp.vdot(g, d) for g, d in zip(by_hand, direction, strict=True))
  assert directional == pytest.approx(float(finite_difference), rel=1e-6)


def test_manual_and_autodiff_training_give_the_same_parameters(x64, optax_promotion):
  params = random_params()
  common = {"optimizer": optax.adam(0.05), "steps": 300, "log_every": 50}
  manual, manual_costs = shallow.fit(params, X, Y, gradients="manual", **common)
  autodiff, autodiff_costs = shallow.fit(params, X, Y, gradients="autodiff", **common)
  np.testing.assert_allclose(manual_costs, autodiff_costs, rtol=1e-12)
  for got, want in zip(manual, autodiff, strict=True):
    np.testing.assert_allclose(got, want, rtol=1e-10, atol=1e-13)


def test_init_params_draws_small_weights_and_zero_biases():
  params = shallow.init_params(jax.random.key(0), n_x=3, n_h=50, n_y=2)
  assert [p.shape for p in params] == [(50, 3), (50,), (2, 50), (2,)]
  assert float(jnp.std(params.W1)) == pytest.approx(0.01, rel=0.2)
  np.testing.assert_array_equal(params.b1, 0.0)
  np.testing.assert_array_equal(params.b2, 0.0)


def test_equal_initial_weights_keep_every_hidden_unit_identical_forever():
  symmetric = shallow.Params(
    W1=jnp.full((4, 2), 0.01), b1=jnp.zeros(4), W2=jnp.full((1, 4), 0.01), b2=jnp.zeros(1)
  )
  trained, _ = shallow.fit(symmetric, X, Y, optimizer=optax.sgd(1.2), steps=2000)
  np.testing.assert_allclose(trained.W1, jnp.broadcast_to(trained.W1[:1], (4, 2)), rtol=1e-6)
  np.testing.assert_allclose(trained.W2, jnp.broadcast_to(trained.W2[:, :1], (1, 4)), rtol=1e-6)
  broken, _ = shallow.fit(random_params(scale=0.01), X, Y, optimizer=optax.sgd(1.2), steps=2000)
  assert shallow.accuracy(broken, X, Y) > shallow.accuracy(trained, X, Y) + 0.1


def test_lecture_params_are_the_courses_draws():
  rng = np.random.RandomState(2)
  W1, W2 = rng.randn(4, 2) * 0.01, rng.randn(1, 4) * 0.01
  with jax.enable_x64(True):
    params = shallow.lecture_params(2, 4, 1)
  np.testing.assert_array_equal(params.W1, W1)
  np.testing.assert_array_equal(params.W2, W2)
  assert params.b1.shape == (4,) and params.b2.shape == (1,)


def test_lecture_params_scale_multiplies_the_same_draws():
  rng = np.random.RandomState(2)
  W1, W2 = rng.randn(4, 2) * 0.5, rng.randn(1, 4) * 0.5
  with jax.enable_x64(True):
    params = shallow.lecture_params(2, 4, 1, scale=0.5)
    explicit, implicit = (
      shallow.lecture_params(2, 4, 1, scale=0.01),
      shallow.lecture_params(2, 4, 1),
    )
  np.testing.assert_array_equal(params.W1, W1)
  np.testing.assert_array_equal(params.W2, W2)
  for a, b in zip(explicit, implicit, strict=True):
    assert a.dtype == b.dtype == jnp.float64
    np.testing.assert_array_equal(a, b)


def test_predict_thresholds_the_probability_at_one_half():
  params = random_params(scale=1.0)
  A2, _ = shallow.forward(params, X)
  predictions = shallow.predict(params, X)
  assert predictions.shape == (400, 1) and predictions.dtype == jnp.int32
  np.testing.assert_array_equal(predictions, (A2 > 0.5).astype(jnp.int32))
  labels = Y.astype(np.int32)
  assert shallow.accuracy(params, X, Y) == pytest.approx(float(jnp.mean(predictions == labels)))


def test_forward_cache_holds_every_intermediate():
  params = random_params()
  A2, cache = shallow.forward(params, X)
  np.testing.assert_allclose(cache.Z1, X @ np.asarray(params.W1).T, rtol=1e-5, atol=1e-6)
  np.testing.assert_allclose(cache.A1, np.tanh(cache.Z1), rtol=1e-6)
  np.testing.assert_allclose(cache.A2, 1 / (1 + np.exp(-np.asarray(cache.Z2))), rtol=1e-6)
  assert A2 is cache.A2


def test_cost_stays_finite_where_the_sigmoid_saturates():
  saturated = jax.tree.map(lambda p: 1e4 * p, random_params(scale=1.0))
  J = shallow.cost(saturated, X, Y)
  A2, _ = shallow.forward(saturated, X)
  naive = -jnp.mean(Y * jnp.log(A2) + (1 - Y) * jnp.log(1 - A2))
  assert jnp.isfinite(J) and J > 0
  assert not jnp.isfinite(naive)


def test_one_dimensional_labels_are_one_column_not_broadcast():
  params = random_params()
  flat = Y.ravel()
  assert shallow.cost(params, X, flat) == shallow.cost(params, X, Y)
  trained, _ = shallow.fit(params, X, flat, optimizer=optax.sgd(1.0), steps=5)
  expected, _ = shallow.fit(params, X, Y, optimizer=optax.sgd(1.0), steps=5)
  np.testing.assert_array_equal(trained.W1, expected.W1)


def test_fit_many_reproduces_the_courses_hidden_layer_table(x64):
  networks = [shallow.lecture_params(2, n_h, 1) for n_h in PUBLISHED_ACCURACY]
  trained, _ = shallow.fit_many(networks, X, Y, optimizer=optax.sgd(1.2), steps=5000)
  for params, published in zip(trained, PUBLISHED_ACCURACY.values(), strict=True):
    assert 100 * float(shallow.accuracy(params, X, Y)) == pytest.approx(published)


@pytest.mark.parametrize("m", [3, 12], ids=["m == n_h", "m != n_h"])
def test_a_slope_per_hidden_unit_applies_per_unit_whatever_the_batch_size(m, x64):
  slopes = jnp.array([0.1, 0.5, 0.9])
  activation = functools.partial(jacts.leaky_relu, negative_slope=slopes)
  params = random_params(n_h=3, scale=1.0)
  inputs, labels = X[:m], Y[:m]

  per_unit = slopes[None, :]  # One slope per column of Z1 (m, n_h): per hidden unit.

  def by_hand(params):
    Z1 = inputs @ params.W1.T + params.b1[None, :]
    Z2 = jnp.where(Z1 >= 0, Z1, per_unit * Z1) @ params.W2.T + params.b2[None, :]
    return jnp.mean(jax.nn.softplus(Z2) - labels * Z2), Z1

  (expected_cost, Z1), expected_grads = jax.value_and_grad(by_hand, has_aux=True)(params)
  _, cache = shallow.forward(params, inputs, activation=activation)
  np.testing.assert_allclose(cache.A1, jnp.where(Z1 >= 0, Z1, per_unit * Z1), rtol=1e-12)
  np.testing.assert_allclose(shallow.cost(params, inputs, labels, activation=activation),
                             expected_cost, rtol=1e-12)  # fmt: skip
  manual = shallow.backward(params, cache, inputs, labels, activation=activation)
  for got, want in zip(manual, expected_grads, strict=True):
    np.testing.assert_allclose(got, want, rtol=1e-10, atol=1e-14)
