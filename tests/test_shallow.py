"""The shallow network: the lecture's equations, trained in one compiled program, reproducing the
course's published planar results."""

import functools

import jax
import jax.numpy as jnp
import numpy as np
import optax
import pytest
from numpy_lecture import train as numpy_lecture_train

import jacts
import jacts.shallow as shallow
from jacts.datasets import planar_flower

X, Y = planar_flower()

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


def random_params(n_h=4, scale=0.5, seed=0):
  return shallow.init_params(jax.random.key(seed), 2, n_h, 1, scale=scale)


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


def test_costs_k_is_the_cost_after_k_times_log_every_updates():
  params, optimizer = random_params(), optax.sgd(0.5)
  _, costs = shallow.fit(params, X, Y, optimizer=optimizer, steps=40, log_every=10)
  assert costs.shape == (4,)
  for k in range(4):
    after, _ = shallow.fit(params, X, Y, optimizer=optimizer, steps=10 * k, log_every=10)
    assert costs[k] == pytest.approx(float(shallow.cost(after, X, Y)), rel=1e-6)


def test_steps_that_do_not_divide_by_log_every_are_all_run():
  params, optimizer = random_params(), optax.sgd(0.5)
  by_chunks, costs = shallow.fit(params, X, Y, optimizer=optimizer, steps=25, log_every=10)
  one_by_one, _ = shallow.fit(params, X, Y, optimizer=optimizer, steps=25, log_every=1)
  assert costs.shape == (2,)
  for got, want in zip(by_chunks, one_by_one, strict=True):
    np.testing.assert_allclose(got, want, rtol=1e-6)


def test_zero_steps_returns_the_parameters_and_no_costs():
  params = random_params()
  trained, costs = shallow.fit(params, X, Y, optimizer=optax.sgd(1.0), steps=0)
  assert costs.shape == (0,)
  for got, want in zip(trained, params, strict=True):
    np.testing.assert_array_equal(got, want)


def test_second_call_with_the_same_shapes_does_not_recompile(compilations):
  optimizer = optax.sgd(1.2)
  shallow.fit(random_params(seed=0), X, Y, optimizer=optimizer, steps=20, log_every=5)
  before = len(compilations)
  shallow.fit(random_params(seed=1), X + 1.0, Y, optimizer=optimizer, steps=20, log_every=5)
  assert len(compilations) == before


def test_a_fresh_optimizer_object_compiles_again_as_the_docstring_says(compilations):
  shallow.fit(random_params(), X, Y, optimizer=optax.sgd(1.2), steps=20, log_every=5)
  before = len(compilations)
  shallow.fit(random_params(), X, Y, optimizer=optax.sgd(1.2), steps=20, log_every=5)
  assert len(compilations) > before  # jax.jit hashes the optimizer by identity.
  assert "reuse one ``optax.sgd(1.2)``" in shallow.fit.__doc__


def test_training_is_float32_by_default():
  params, costs = shallow.fit(random_params(), X, Y, optimizer=optax.sgd(1.0), steps=10)
  assert {p.dtype for p in params} == {jnp.dtype(jnp.float32)}
  assert costs.dtype == jnp.float32


def test_training_is_float64_under_x64(x64):
  params, costs = shallow.fit(random_params(), X, Y, optimizer=optax.sgd(1.0), steps=10)
  assert {p.dtype for p in params} == {jnp.dtype(jnp.float64)}
  assert costs.dtype == jnp.float64


@pytest.mark.parametrize(
  "optimizer",
  [
    optax.sgd(1.2),
    optax.adam(0.01),
    optax.sgd(optax.exponential_decay(1.2, transition_steps=500, decay_rate=0.5)),
    optax.chain(optax.clip_by_global_norm(1.0), optax.sgd(1.0, momentum=0.9)),
  ],
  ids=["sgd", "adam", "schedule", "chain"],
)
def test_any_optax_optimizer_lowers_the_cost(optimizer, optax_promotion):
  _, costs = shallow.fit(
    shallow.lecture_params(2, 4, 1), X, Y, optimizer=optimizer, steps=2000, log_every=1000
  )
  assert costs[1] < 0.8 * costs[0]


def test_train_step_is_one_step_of_fit(optax_promotion):
  params, optimizer = random_params(), optax.adam(0.02)
  opt_state = optimizer.init(params)
  costs = []
  for _ in range(5):
    params, opt_state, J = shallow.train_step(params, opt_state, X, Y, optimizer=optimizer)
    costs.append(J)
  fitted, fit_costs = shallow.fit(random_params(), X, Y, optimizer=optimizer, steps=5, log_every=1)
  np.testing.assert_allclose(costs, fit_costs, rtol=1e-6)
  for got, want in zip(params, fitted, strict=True):
    np.testing.assert_allclose(got, want, rtol=1e-6)


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


def test_public_functions_work_under_jit_vmap_and_grad():
  params = random_params()
  assert jax.jit(shallow.cost)(params, X, Y) == pytest.approx(float(shallow.cost(params, X, Y)))
  many = jax.tree.map(lambda *p: jnp.stack(p), *[random_params(seed=s) for s in range(3)])
  batched = jax.vmap(lambda p: shallow.cost(p, X, Y))(many)
  assert batched.shape == (3,)
  assert batched[2] == pytest.approx(float(shallow.cost(random_params(seed=2), X, Y)))
  fitted = jax.vmap(lambda p: shallow.fit(p, X, Y, optimizer=optax.sgd(1.0), steps=10)[0])(many)
  alone, _ = shallow.fit(random_params(seed=1), X, Y, optimizer=optax.sgd(1.0), steps=10)
  np.testing.assert_allclose(fitted.W1[1], alone.W1, rtol=1e-6)


def test_cost_under_scan_accumulates_like_a_loop():
  params = random_params()
  batches = jnp.stack([X[:200], X[200:]]), jnp.stack([Y[:200], Y[200:]])
  total, _ = jax.lax.scan(
    lambda acc, xy: (acc + shallow.cost(params, *xy), None), jnp.float32(0), batches
  )
  assert total / 2 == pytest.approx(float(shallow.cost(params, X, Y)), rel=1e-6)


# How far fit_many's parameters may be from fit's (relative, float64, 500 Adam steps). The two
# sum in different orders (batched kernels against one network's), and these 500 steps amplify
# last-bit differences: moving every entry of W1 of the n_h = 4, seed 1 network by one ulp moves
# fit's own result by 1.1e-7 (test below). Measured between fit_many and fit: 6.4e-8 with jax
# 0.10.2, 8.8e-8 with 0.9.2. The costs agree to 1e-12 all the same. No published number is
# involved: this is fit_many against fit, not against the course.
FIT_MANY_RTOL = 2e-7


def test_fit_many_trains_each_network_as_fit_would_alone(x64, optax_promotion):
  networks = [
    shallow.init_params(jax.random.key(s), 2, n_h, 1) for n_h in (1, 4, 9) for s in (0, 1)
  ]
  optimizer = optax.adam(0.02)
  trained, costs = shallow.fit_many(networks, X, Y, optimizer=optimizer, steps=500, log_every=100)
  assert costs.shape == (6, 5)
  for i, params in enumerate(networks):
    alone, alone_costs = shallow.fit(params, X, Y, optimizer=optimizer, steps=500, log_every=100)
    np.testing.assert_allclose(costs[i], alone_costs, rtol=1e-12)
    # Batched kernels round differently in the last bits, and 500 Adam steps amplify that:
    # float64 agreement to about 7 digits, not bit identity.
    for got, want in zip(trained[i], alone, strict=True):
      assert got.shape == want.shape
      np.testing.assert_allclose(got, want, rtol=FIT_MANY_RTOL, atol=1e-12)


def _agree(trained, other, rtol):
  return all(np.allclose(a, b, rtol=rtol, atol=1e-12) for a, b in zip(trained, other, strict=True))


def test_one_ulp_on_w1_moves_500_adam_steps_by_more_than_a_tenth_of_fit_many_rtol(
  x64, optax_promotion
):
  # Why FIT_MANY_RTOL is not tighter: the computation itself is that sensitive to its last bits.
  params = shallow.init_params(jax.random.key(1), 2, 4, 1)
  nudged = params._replace(W1=jnp.nextafter(params.W1, jnp.inf))
  optimizer = optax.adam(0.02)
  trained, nudged_trained = (
    shallow.fit(p, X, Y, optimizer=optimizer, steps=500, log_every=100)[0] for p in (params, nudged)
  )
  assert _agree(nudged_trained, trained, FIT_MANY_RTOL)
  assert not _agree(nudged_trained, trained, FIT_MANY_RTOL / 10)


def test_fit_many_reproduces_the_courses_hidden_layer_table(x64):
  networks = [shallow.lecture_params(2, n_h, 1) for n_h in PUBLISHED_ACCURACY]
  trained, _ = shallow.fit_many(networks, X, Y, optimizer=optax.sgd(1.2), steps=5000)
  for params, published in zip(trained, PUBLISHED_ACCURACY.values(), strict=True):
    assert 100 * float(shallow.accuracy(params, X, Y)) == pytest.approx(published)


def test_fit_many_keeps_the_order_given_whatever_the_sizes():
  networks = [random_params(n_h=n_h) for n_h in (5, 1, 5, 3)]
  trained, _ = shallow.fit_many(networks, X, Y, optimizer=optax.sgd(0.1), steps=3)
  assert [p.W1.shape[0] for p in trained] == [5, 1, 5, 3]


def test_fit_many_refuses_networks_that_do_not_share_the_data():
  with pytest.raises(ValueError, match=r"same n_x, n_y and dtype"):
    shallow.fit_many(
      [random_params(), shallow.lecture_params(2, 4, 2)], X, Y, optimizer=optax.sgd(1.0), steps=1
    )
  with pytest.raises(ValueError, match=r"`networks` must be a non-empty sequence of Params"):
    shallow.fit_many([], X, Y, optimizer=optax.sgd(1.0), steps=1)


def test_train_steps_in_chunks_equals_one_fit_optimizer_state_included(optax_promotion):
  params, optimizer = random_params(), optax.adam(0.02)
  opt_state = optimizer.init(params)
  chunk_costs = []
  chunked = params
  for _ in range(3):
    chunked, opt_state, costs = shallow.train_steps(
      chunked, opt_state, X, Y, optimizer=optimizer, steps=200, log_every=100
    )
    chunk_costs.append(costs)
  whole, whole_costs = shallow.fit(params, X, Y, optimizer=optimizer, steps=600, log_every=100)
  np.testing.assert_array_equal(jnp.concatenate(chunk_costs), whole_costs)
  for got, want in zip(chunked, whole, strict=True):
    np.testing.assert_array_equal(got, want)


@pytest.mark.parametrize("dtype", [jnp.float16, jnp.bfloat16, jnp.float32], ids=str)
def test_half_precision_parameters_train_and_keep_their_dtype(dtype):
  params = shallow.lecture_params(2, 4, 1, dtype=dtype)
  trained, costs = shallow.fit(params, X, Y, optimizer=optax.sgd(1.2), steps=2000, log_every=500)
  assert {p.dtype for p in trained} == {jnp.dtype(dtype)}
  assert costs.dtype == dtype
  assert float(costs[-1]) < 0.5 * float(costs[0])
  A2, cache = shallow.forward(trained, X)
  assert A2.dtype == dtype
  assert {g.dtype for g in shallow.backward(trained, cache, X, Y)} == {jnp.dtype(dtype)}


def test_concrete_data_captured_by_a_jitted_function_is_still_checked_and_used():
  params = random_params()
  inputs, labels = jnp.asarray(X), jnp.asarray(Y)

  @jax.jit
  def captured_cost(params):
    return shallow.cost(params, inputs, labels)

  assert captured_cost(params) == pytest.approx(float(shallow.cost(params, X, Y)), rel=1e-6)
  bad = labels.at[0, 0].set(3.0)
  with pytest.raises(ValueError, match=r"`Y` must hold labels 0 and 1 only"):
    jax.jit(lambda p: shallow.cost(p, inputs, bad))(params)


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
