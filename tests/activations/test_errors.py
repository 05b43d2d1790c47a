"""Bad input is refused before tracing, with a message naming the function, argument and value."""

import functools
import re

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from cases import ACTIVATION_FUNCTIONS

import jacts


@pytest.mark.parametrize(
  ("x", "dtype_name"),
  [(jnp.ones(2, jnp.complex64), "complex64"), (1 + 2j, "complex128")],
  ids=["complex array", "python complex"],
)
@pytest.mark.parametrize("activation", ACTIVATION_FUNCTIONS)
def test_complex_input_is_a_type_error_naming_function_argument_and_dtype(
  activation, x, dtype_name
):
  with pytest.raises(TypeError, match=rf"`jacts\.{activation.__name__}`: `x`.*{dtype_name}"):
    activation(x)


@pytest.mark.parametrize(
  "x", [jnp.arange(3), np.array([True, False]), 3, True], ids=["int", "bool", "python int", "True"]
)
def test_integers_jax_nn_refuses_are_refused_naming_x_and_jax_nn(x):
  with pytest.raises(TypeError, match=r"`jacts\.sigmoid`: `x`.*which jax\.nn\.sigmoid refuses"):
    jacts.sigmoid(x)


def test_non_array_input_is_a_type_error():
  with pytest.raises(TypeError, match=r"`x`.*got str"):
    jacts.tanh("1.0")


def test_integer_input_jax_nn_refuses_is_refused_under_jit_too():
  with pytest.raises(TypeError, match=r"`jacts\.silu`.*int32"):
    jax.jit(jacts.silu)(jnp.arange(3))


def test_a_python_int_too_large_for_jax_is_refused_naming_x():
  with pytest.raises(TypeError, match=r"`jacts\.relu`: `x`.*too large"):
    jacts.relu(10**400)


@pytest.mark.parametrize(
  "call",
  [
    lambda: jacts.leaky_relu(jnp.ones(2), 10**400),
    lambda: jacts.elu(jnp.ones(2), -(10**400)),
    lambda: jacts.relu(jnp.ones(2), derivative_at_zero=10**400),
  ],
  ids=["slope", "alpha", "convention"],
)
def test_an_int_too_large_for_a_float_is_named_not_a_bare_overflow_error(call):
  with pytest.raises(
    ValueError, match=r"`(negative_slope|alpha|derivative_at_zero)` must be a fin"
  ):
    call()


def test_derivative_from_output_names_its_argument_a():
  with pytest.raises(TypeError, match=r"`jacts\.derivative_from_output\(jacts\.tanh\)`: `a`"):
    jacts.derivative_from_output(jacts.tanh)(None)


def test_slope_that_would_broadcast_z_is_refused():
  with pytest.raises(ValueError, match=r"`negative_slope`.*\(3, 4\).*got shape \(3,\)"):
    jacts.leaky_relu(jnp.ones((3, 4)), jnp.ones(3))
  with pytest.raises(ValueError, match=r"`negative_slope`.*got shape \(2, 1\)"):
    jacts.leaky_relu(jnp.ones(4), jnp.ones((2, 1)))


@pytest.mark.parametrize("slope", ["0.1", jnp.array([1, 2]), True, None])
def test_slope_that_is_not_a_float_is_refused(slope):
  with pytest.raises(TypeError, match=r"`jacts\.leaky_relu`: `negative_slope`"):
    jacts.leaky_relu(jnp.ones(2), slope)


@pytest.mark.parametrize("value", [-0.1, 1.5])
def test_relu_derivative_at_zero_outside_the_subdifferential_is_refused(value):
  with pytest.raises(ValueError, match=rf"`derivative_at_zero`.*\[0.0, 1.0\].*{value}"):
    jacts.relu(1.0, derivative_at_zero=value)


def test_leaky_derivative_at_zero_must_lie_between_slope_and_one():
  with pytest.raises(ValueError, match=r"\[0.2, 1.0\]; got 0.1"):
    jacts.leaky_relu(1.0, 0.2, derivative_at_zero=0.1)


@pytest.mark.parametrize("value", [jnp.float32(1.0), float("nan"), "1"])
def test_derivative_at_zero_must_be_a_finite_python_number(value):
  with pytest.raises(TypeError, match=r"`derivative_at_zero` must be a finite Python number"):
    jacts.relu(1.0, derivative_at_zero=value)


@pytest.mark.parametrize("unknown", [jnp.sin, jax.nn.relu, jacts.naive.tanh, "tanh"])
def test_derivative_of_an_unknown_activation_is_refused(unknown):
  with pytest.raises(ValueError, match=r"`activation` must be an activation jacts knows"):
    jacts.derivative(unknown)


def test_derivative_reports_its_own_name_on_bad_input():
  with pytest.raises(TypeError, match=r"`jacts\.derivative\(jacts\.sigmoid\)`: `x`"):
    jacts.derivative(jacts.sigmoid)(jnp.arange(2))


@pytest.mark.parametrize("activation", [jacts.hard_silu, functools.partial(jacts.hard_sigmoid)])
def test_derivative_from_output_of_a_kinked_activation_is_refused(activation):
  with pytest.raises(ValueError, match=r"no derivative written in its output"):
    jacts.derivative_from_output(activation)


@pytest.mark.parametrize(
  ("activation", "arguments"),
  [
    (jacts.relu, "derivative_at_zero=1.0"),
    (functools.partial(jacts.relu, derivative_at_zero=0.5), "derivative_at_zero=0.5"),
    (functools.partial(jacts.relu, derivative_at_zero=-0.0), "derivative_at_zero=-0.0"),
    (jacts.leaky_relu, "negative_slope=0.01, derivative_at_zero=1.0"),
    (functools.partial(jacts.leaky_relu, negative_slope=-0.5, derivative_at_zero=-0.5),
     "negative_slope=-0.5, derivative_at_zero=-0.5"),
  ],
)  # fmt: skip
def test_derivative_from_output_is_refused_where_a_does_not_tell_z_0_from_z_below(
  activation, arguments
):
  # a = 0 at z = 0 and below (ReLU), or a = -0 at z = -0 and where slope * z rounds to -0.
  match = rf"does not determine g' for these arguments \({arguments}\)"
  with pytest.raises(ValueError, match=match):
    jacts.derivative_from_output(activation)(jnp.array([0.0, 1.0]))


@pytest.mark.parametrize("slope", [float("nan"), float("inf"), -float("inf")])
def test_a_slope_that_is_not_finite_is_refused_by_name(slope):
  with pytest.raises(ValueError, match=rf"`jacts\.leaky_relu`: `negative_slope` must be finite; "
                                       rf"got {slope}"):  # fmt: skip
    jacts.leaky_relu(1.0, slope)


@pytest.mark.parametrize("activation", ACTIVATION_FUNCTIONS)
def test_a_floating_dtype_xla_does_not_compute_in_is_refused_before_tracing(activation):
  with pytest.raises(TypeError, match=rf"`jacts\.{activation.__name__}`: `x`.*got float128"):
    activation(np.ones(3, np.longdouble))


@pytest.mark.parametrize(
  ("wrapper", "name"),
  [(jacts.derivative, "jacts.derivative"), (jacts.forward_mode, "jacts.forward_mode")],
)
@pytest.mark.parametrize("activation", ACTIVATION_FUNCTIONS)
def test_wrappers_name_themselves_and_the_signature_on_extra_arguments(wrapper, name, activation):
  pattern = rf"`{re.escape(name)}\(jacts\.{activation.__name__}\)` takes the arguments of " + (
    rf"jacts\.{activation.__name__}\(x.*\); too many positional arguments"
  )
  with pytest.raises(TypeError, match=pattern):
    wrapper(activation)(jnp.ones(2), 0.5, 0.5, 0.5)
