"""Bad input to the shallow network is refused before tracing, naming the argument."""

import jax
import jax.numpy as jnp
import numpy as np
import optax
import pytest

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
  with pytest.raises(ValueError, match=r"`activation` must be an activation jacts knows"):
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
