"""Bad input to the shallow network is refused before tracing, naming the argument."""

import functools
import re
import warnings

import jax
import jax.numpy as jnp
import numpy as np
import optax
import pytest

import jacts
import jacts.shallow as shallow
from jacts.datasets import planar_flower

X, Y = planar_flower()
PARAMS = shallow.lecture_params(2, 4, 1)
SGD = optax.sgd(1.2)


def fit(params=PARAMS, X=X, Y=Y, **kwargs):
  return shallow.fit(params, X, Y, **({"optimizer": SGD, "steps": 10} | kwargs))


def test_wrong_number_of_features_names_X_and_the_expected_shape():
  with pytest.raises(ValueError, match=r"`X` must have shape \(m, n_x\) = \(m, 2\).*\(400, 3\)"):
    fit(X=np.ones((400, 3)))


def test_examples_as_columns_is_refused_not_transposed():
  with pytest.raises(ValueError, match=r"one example per row.*got shape \(2, 400\)"):
    fit(X=X.T)


def test_different_numbers_of_rows_in_X_and_Y():
  with pytest.raises(ValueError, match=r"same number of rows.*got 400 and 399"):
    fit(Y=Y[:399])


@pytest.mark.parametrize("bad_label", [2.0, -1.0, 0.5])
def test_labels_outside_zero_and_one(bad_label):
  labels = Y.copy()
  labels[7] = bad_label
  with pytest.raises(ValueError, match=r"`Y` must hold labels 0 and 1 only"):
    fit(Y=labels)


@pytest.mark.parametrize("bad_value", [np.nan, np.inf])
def test_non_finite_inputs(bad_value):
  inputs = X.copy()
  inputs[3, 1] = bad_value
  with pytest.raises(ValueError, match=r"`X` must be finite"):
    fit(X=inputs)


@pytest.mark.parametrize("activation", [jnp.sin, jax.nn.relu, "tanh"])
def test_activation_jacts_cannot_differentiate(activation):
  with pytest.raises(
    ValueError,
    match=r"^`jacts\.shallow\.fit`: `activation` must be an elementwise jacts activation",
  ):
    fit(activation=activation)


def test_one_dimensional_labels_need_one_output():
  params = shallow.lecture_params(2, 4, 2)
  with pytest.raises(ValueError, match=r"`Y` must have shape \(m, n_y\) = \(m, 2\)"):
    fit(params=params, Y=Y.ravel())


def test_labels_with_a_trailing_axis_too_many():
  with pytest.raises(ValueError, match=r"`Y` must have shape.*\(400, 1, 1\)"):
    fit(Y=Y[:, :, None])


def test_parameters_of_inconsistent_shapes():
  bad = PARAMS._replace(W2=jnp.zeros((1, 5)))
  with pytest.raises(ValueError, match=r"`params` must have shapes W1 \(n_h, n_x\)"):
    fit(params=bad)


def test_parameters_that_are_not_params():
  with pytest.raises(TypeError, match=r"`params` must be a jacts.shallow.Params; got tuple"):
    fit(params=tuple(PARAMS))


@pytest.mark.parametrize(
  ("kwargs", "error", "pattern"),
  [
    ({"optimizer": "sgd"}, TypeError, r"`optimizer` must be an optax.GradientTransformation"),
    ({"gradients": "numeric"}, ValueError, r"`gradients` must be 'manual' or 'autodiff'"),
    ({"steps": -1}, ValueError, r"`steps` must be an integer >= 0; got -1"),
    ({"steps": 10.0}, ValueError, r"`steps` must be an integer"),
    ({"log_every": 0}, ValueError, r"`log_every` must be an integer >= 1"),
    ({"steps": None}, ValueError, r"`steps` must be an integer >= 0; got None"),
    ({"log_every": None}, ValueError, r"`log_every` must be an integer >= 1; got None"),
  ],
)
def test_training_options(kwargs, error, pattern):
  with pytest.raises(error, match=pattern):
    fit(**kwargs)


def test_integer_inputs_of_the_wrong_kind():
  with pytest.raises(TypeError, match=r"real numeric array; got dtype complex"):
    shallow.cost(PARAMS, X.astype(np.complex64), Y)


def test_backward_refuses_a_cache_from_other_inputs():
  _, cache = shallow.forward(PARAMS, X[:10])
  with pytest.raises(ValueError, match=r"`cache` must have shapes"):
    shallow.backward(PARAMS, cache, X, Y)


def test_train_step_checks_shapes():
  with pytest.raises(ValueError, match=r"`jacts.shallow.train_step`: `X` must have shape"):
    shallow.train_step(PARAMS, SGD.init(PARAMS), X.T, Y, optimizer=SGD)


EMPTY_X, EMPTY_Y = np.zeros((0, 2)), np.zeros((0, 1))


@pytest.mark.parametrize(
  ("function", "call"),
  [
    ("cost", lambda: shallow.cost(PARAMS, EMPTY_X, EMPTY_Y)),
    ("accuracy", lambda: shallow.accuracy(PARAMS, EMPTY_X, EMPTY_Y)),
    ("backward", lambda: shallow.backward(PARAMS, shallow.forward(PARAMS, EMPTY_X)[1], EMPTY_X,
                                          EMPTY_Y)),
    ("fit", lambda: fit(X=EMPTY_X, Y=EMPTY_Y)),
    ("train_steps", lambda: shallow.train_steps(PARAMS, SGD.init(PARAMS), EMPTY_X, EMPTY_Y,
                                                optimizer=SGD, steps=10)),
    ("train_step", lambda: shallow.train_step(PARAMS, SGD.init(PARAMS), EMPTY_X, EMPTY_Y,
                                              optimizer=SGD)),
    ("fit_many", lambda: shallow.fit_many([PARAMS], EMPTY_X, EMPTY_Y, optimizer=SGD, steps=10)),
  ],
)  # fmt: skip
def test_no_examples_is_refused_where_a_mean_over_examples_is_taken(function, call):
  with pytest.raises(ValueError, match=rf"`jacts.shallow.{function}`: `X` must hold at least one "
                                       r"example; got shape \(0, 2\)"):  # fmt: skip
    call()


def test_forward_and_predict_of_no_examples_are_empty():
  A2, cache = shallow.forward(PARAMS, EMPTY_X)
  assert A2.shape == (0, 1) and cache.Z1.shape == (0, 4)
  assert shallow.predict(PARAMS, EMPTY_X).shape == (0, 1)


def test_values_beyond_the_parameters_dtype_are_named_as_such_not_as_infinite(x64):
  inputs = X.copy()
  inputs[5, 0] = 1e300
  float32_params = jax.tree.map(lambda p: p.astype(jnp.float32), PARAMS)
  with pytest.raises(
    ValueError,
    match=r"`X` must fit in the parameters' dtype float32; got "
    r"values beyond its range \(largest magnitude 1e\+300\)",
  ):
    fit(params=float32_params, X=inputs)


def test_parameters_that_are_python_lists_are_refused_by_name():
  as_lists = shallow.Params(*(np.asarray(p).tolist() for p in PARAMS))
  with pytest.raises(TypeError, match=r"`params.W1` must be an array.*got list"):
    fit(params=as_lists)


def test_parameters_of_a_dtype_xla_does_not_compute_in_are_refused():
  longdouble = jax.tree.map(lambda p: np.asarray(p, np.longdouble), PARAMS)
  with pytest.raises(TypeError, match=r"`params` must all have one floating dtype"):
    fit(params=longdouble)


def test_inputs_of_a_dtype_xla_does_not_compute_in_are_refused():
  with pytest.raises(TypeError, match=r"`X` must be a real numeric array.*got dtype float128"):
    fit(X=X.astype(np.longdouble))


@pytest.mark.parametrize("dtype", [jnp.int32, jnp.bool_, jnp.complex64, np.longdouble, "cheese"])
@pytest.mark.parametrize("function", ["init_params", "lecture_params"])
def test_parameters_of_a_non_floating_dtype_are_refused(function, dtype):
  make = {
    "init_params": functools.partial(shallow.init_params, jax.random.key(0)),
    "lecture_params": shallow.lecture_params,
  }[function]
  with pytest.raises(
    TypeError,
    match=rf"`jacts.shallow.{function}`: `dtype` must be a floating "
    r"dtype \(float16, bfloat16, float32 or float64\)",
  ):
    make(2, 4, 1, dtype=dtype)


@pytest.mark.parametrize("seed", [-1, 2**32, 99999999999999999999999, 1.5])
def test_lecture_params_refuses_a_seed_randomstate_cannot_take(seed):
  with pytest.raises(ValueError, match=r"`seed` must be an integer in \[0, 2\*\*32 - 1\]"):
    shallow.lecture_params(2, 4, 1, seed=seed)


@pytest.mark.parametrize("shape", [(3, 12), (5,), (2, 12, 3)])
def test_activation_parameters_are_checked_in_the_users_layout(shape):
  activation = functools.partial(jacts.leaky_relu, negative_slope=jnp.full(shape, 0.1))
  params = shallow.lecture_params(2, 3, 1)
  with pytest.raises(
    ValueError,
    match=rf"`negative_slope` bound to `activation`.*\(m, n_h\) = "
    rf"\(12, 3\).*got shape {re.escape(str(shape))}",
  ):
    shallow.forward(params, X[:12], activation=activation)


def test_a_diverging_run_warns_with_the_first_non_finite_logged_iteration():
  with pytest.warns(
    shallow.TrainingDivergedWarning,
    match=r"`jacts.shallow.fit`: training "
    r"diverged: the cost is NaN or infinite from iteration 100 on",
  ) as record:
    _, costs = fit(optimizer=optax.sgd(1e6), steps=1000, log_every=100,
                   activation=jacts.relu)  # fmt: skip
  [warning] = record
  assert isinstance(warning.message, RuntimeWarning)
  assert warning.message.iteration == 100 and warning.message.network is None
  assert warning.filename == __file__  # Points at the caller, not into jacts.
  first_bad = int(np.argmax(~np.isfinite(np.asarray(costs))))
  assert first_bad * 100 == warning.message.iteration


def test_a_run_that_diverges_after_its_last_logged_cost_still_warns():
  with pytest.warns(shallow.TrainingDivergedWarning, match=r"trained parameters hold NaN") as rec:
    params, costs = fit(optimizer=optax.sgd(1e6), steps=500, log_every=1000,
                        activation=jacts.relu)  # fmt: skip
  assert costs.shape == (0,)
  assert rec[0].message.iteration is None
  assert not all(bool(jnp.all(jnp.isfinite(p))) for p in params)


def test_train_steps_fit_many_and_parallel_fit_warn_too():
  import jacts.parallel as parallel

  diverging = {"optimizer": optax.sgd(1e6), "steps": 300, "log_every": 100,
               "activation": jacts.relu}  # fmt: skip
  with pytest.warns(shallow.TrainingDivergedWarning, match=r"`jacts.shallow.train_steps`"):
    shallow.train_steps(PARAMS, SGD.init(PARAMS), X, Y, **diverging)
  networks = [shallow.lecture_params(2, 3, 1), PARAMS]
  with pytest.warns(shallow.TrainingDivergedWarning, match=r"fit_many`.*network 0") as record:
    shallow.fit_many(networks, X, Y, **diverging)
  assert record[0].message.network == 0
  with pytest.warns(shallow.TrainingDivergedWarning, match=r"`jacts.parallel.fit`"):
    parallel.fit(PARAMS, X, Y, **diverging)


def test_a_healthy_run_does_not_warn():
  with warnings.catch_warnings():
    warnings.simplefilter("error")
    fit(steps=100)


def test_values_beyond_float32_are_reported_without_a_numpy_warning_first():
  inputs = X.copy()  # float64 NumPy data, converted with 64-bit mode off.
  inputs[5, 0] = 1e300
  with pytest.raises(ValueError, match=r"`X` must fit in the parameters' dtype float32"):
    fit(X=inputs)  # pytest turns any warning into an error: none may come first.
