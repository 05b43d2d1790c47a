"""The piecewise activations' g, g' and g'' in float64 NumPy, and the float64 machinery they
share with the smooth ones: part of the textbook reference in reference.py, whose REFERENCES
lists them all.

relu, leaky_relu, relu6, hard_sigmoid, hard_silu, hard_tanh and sparse_sigmoid are linear between
their kinks: at each kink g' is the convention given as an argument, by default jax.nn's (and
jacts'), and they have no g''. sparse_plus is quadratic between its joins at -1 and 1, where g' is
continuous and g'' does not exist. identity is the one linear piece: g' = 1, g'' = 0.
"""

import functools

import numpy as np

LEAKY_SLOPE = 0.01


def _float64(function):
  """``function`` on a float64 copy of its input, without NumPy's warnings for inf and NaN."""

  @functools.wraps(function)
  def on_float64(z, *args, **kwargs):
    with np.errstate(all="ignore"):
      return np.asarray(function(np.asarray(z, np.float64), *args, **kwargs), np.float64)

  return on_float64


def _keep_nan(z, result):
  return np.where(np.isnan(z), np.nan, result)


def _linear_pieces(z, kinks, slopes, conventions):
  """slopes[0] below kinks[0], slopes[i] between kinks[i - 1] and kinks[i], conventions[i] at
  kinks[i], NaN at NaN: the derivative of a piecewise-linear g."""
  slopes = [np.broadcast_to(np.asarray(s, np.float64), z.shape) for s in slopes]
  result = slopes[-1]
  for kink, slope in zip(reversed(kinks), reversed(slopes[:-1]), strict=True):
    result = np.where(z < kink, slope, result)
  for kink, convention in zip(kinks, conventions, strict=True):
    result = np.where(z == kink, convention, result)
  return _keep_nan(z, result)


# relu: max(0, z); g' = 0 below 0, 1 above, the convention at 0 (jacts' default: the lecture's 1).
@_float64
def relu(z):
  return _keep_nan(z, np.where(z > 0, z, 0.0))


@_float64
def relu_derivative(z, at_zero=1.0):
  return _linear_pieces(z, (0.0,), (0.0, 1.0), (at_zero,))


# leaky_relu (slope 0.01): z for z >= 0, 0.01 z below; g' = 0.01, 1, the convention at 0 (1).
@_float64
def leaky_relu(z):
  return np.where(z >= 0, z, LEAKY_SLOPE * z)


@_float64
def leaky_relu_derivative(z, at_zero=1.0):
  return _linear_pieces(z, (0.0,), (LEAKY_SLOPE, 1.0), (at_zero,))


# relu6: min(max(0, z), 6); g' = 1 on (0, 6), 0 outside and at both kinks.
@_float64
def relu6(z):
  return _keep_nan(z, np.clip(z, 0.0, 6.0))


@_float64
def relu6_derivative(z, at_zero=0.0, at_six=0.0):
  return _linear_pieces(z, (0.0, 6.0), (0.0, 1.0, 0.0), (at_zero, at_six))


# hard_sigmoid: relu6(z + 3) / 6; g' = 1/6 on (-3, 3), 0 outside and at both kinks. z + 3 is
# exact near -3, where z / 6 + 1/2 would cancel.
@_float64
def hard_sigmoid(z):
  return _keep_nan(z, np.clip((z + 3) / 6, 0.0, 1.0))


@_float64
def hard_sigmoid_derivative(z, at_minus_three=0.0, at_three=0.0):
  return _linear_pieces(z, (-3.0, 3.0), (0.0, 1 / 6, 0.0), (at_minus_three, at_three))


# hard_silu: z relu6(z + 3) / 6; g' = 0 below -3, (2z + 3) / 6 between, 1 above; 0 at -3, 1 at 3.
@_float64
def hard_silu(z):
  middle = z * (z + 3) / 6
  return _keep_nan(z, np.where(z <= -3, 0.0, np.where(z >= 3, z, middle)))


@_float64
def hard_silu_derivative(z, at_minus_three=0.0, at_three=1.0):
  slopes = (0.0, (2 * z + 3) / 6, 1.0)
  return _linear_pieces(z, (-3.0, 3.0), slopes, (at_minus_three, at_three))


# hard_tanh: max(-1, min(1, z)); g' = 1 on (-1, 1), 0 outside, the convention at +-1 (1).
@_float64
def hard_tanh(z):
  return _keep_nan(z, np.clip(z, -1.0, 1.0))


@_float64
def hard_tanh_derivative(z, at_minus_one=1.0, at_one=1.0):
  return _linear_pieces(z, (-1.0, 1.0), (0.0, 1.0, 0.0), (at_minus_one, at_one))


# sparse_sigmoid: clip(z + 1, 0, 2) / 2; g' = 1/2 on (-1, 1), 0 outside, the convention at +-1
# (1/4: jax.nn's clip splits the tie).
@_float64
def sparse_sigmoid(z):
  return _keep_nan(z, np.clip((z + 1) / 2, 0.0, 1.0))


@_float64
def sparse_sigmoid_derivative(z, at_minus_one=0.25, at_one=0.25):
  return _linear_pieces(z, (-1.0, 1.0), (0.0, 0.5, 0.0), (at_minus_one, at_one))


# sparse_plus: 0 for z <= -1, (z + 1)^2 / 4 between, z from 1; g' = 0, (z + 1) / 2, 1 (no
# kink: the one-sided derivatives agree at +-1); g'' = 0, 1/2, 0, none at +-1.
@_float64
def sparse_plus(z):
  return _keep_nan(z, np.where(z <= -1, 0.0, np.where(z >= 1, z, (z + 1) ** 2 / 4)))


@_float64
def sparse_plus_derivative(z):
  return _linear_pieces(z, (-1.0, 1.0), (0.0, (z + 1) / 2, 1.0), (0.0, 1.0))


@_float64
def sparse_plus_second(z):
  return _linear_pieces(z, (-1.0, 1.0), (0.0, 0.5, 0.0), (np.nan, np.nan))


# identity: z; g' = 1 everywhere (NaN too: nothing is read), g'' = 0.
@_float64
def identity(z):
  return z


@_float64
def one(z):
  return np.ones_like(z)


@_float64
def zero(z):
  return np.zeros_like(z)
