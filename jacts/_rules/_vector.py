"""jax.nn's activations that are not elementwise, as rules of the table: GLU, softmax and
log-softmax. Their derivative is a Jacobian, so each rule gives its vector-Jacobian product (for
``jax.grad``) and its Jacobian-vector product (for forward mode) in closed form.

softmax: a = e^z / sum(e^z), J = diag(a) - a a^T, so the VJP of g is a * (g - sum(g a)), from a.
log-softmax: a = z - log sum(e^z), J = I - 1 softmax^T, so the VJP of g is g - e^a sum(g), from a.
GLU: a = z1 sigmoid(z2) for the halves z1, z2 of z along ``axis``: the VJP of g is
[g s, g z1 s (1 - s)] with s = sigmoid(z2), from z.
"""

import operator

import jax
import jax.numpy as jnp
import numpy as np
from jax.typing import ArrayLike

from jacts._rules._lecture import logistic
from jacts._rules._rule import Option, Rule
from jacts._validation import broadcasts_to


def _glu_vector_jacobian(z, g, axis):
  z1, z2 = jnp.split(z, 2, axis)
  s = logistic(z2)
  return jnp.concatenate([g * s, g * z1 * s * (1 - s)], axis)


def _glu_jacobian_vector(z, a, tangent, axis):
  del a  # GLU's tangent is written in z.
  z1, z2 = jnp.split(z, 2, axis)
  t1, t2 = jnp.split(tangent, 2, axis)
  s = logistic(z2)
  return t1 * s + z1 * s * (1 - s) * t2


def _softmax_vector_jacobian(a, g, axis, where):
  del where  # a is 0 where it is masked out, so those entries neither add nor receive.
  return a * (g - jnp.sum(g * a, axis, keepdims=True))


def _softmax_jacobian_vector(z, a, tangent, axis, where):
  del z
  return _softmax_vector_jacobian(a, tangent, axis, where)  # J is symmetric.


def _masked(x, where):
  return x if where is None else jnp.where(where, x, jnp.zeros((), x.dtype))


def _log_softmax_vector_jacobian(a, g, axis, where):
  g = _masked(g, where)
  return _masked(g - jnp.exp(a) * jnp.sum(g, axis, keepdims=True), where)


def _log_softmax_jacobian_vector(z, a, tangent, axis, where):
  del z
  tangent = _masked(tangent, where)
  return _masked(tangent - jnp.sum(tangent * jnp.exp(a), axis, keepdims=True), where)


def _glu_axis(function: str, axis, z):
  axis = _one_axis(function, axis, z)
  if z.shape[axis] % 2:
    raise ValueError(
      f"`{function}`: `x` must have an even size along `axis` ({axis}), to split in halves; got "
      f"shape {z.shape}."
    )
  return axis


def _one_axis(function: str, axis, z) -> int:
  if isinstance(axis, bool) or not isinstance(axis, (int, np.integer)):
    raise TypeError(f"`{function}`: `axis` must be an int; got {axis!r}.")
  if not -z.ndim <= axis < z.ndim:
    raise ValueError(
      f"`{function}`: `axis` must lie in [{-z.ndim}, {z.ndim - 1}] for `x` of shape "
      f"{z.shape}; got {axis}."
    )
  return operator.index(axis) % z.ndim


def _axes(function: str, axis, z) -> tuple[int, ...]:
  """jax.nn's ``axis`` of softmax: an int, a tuple of ints, or None for every axis."""
  if axis is None:
    return tuple(range(z.ndim))
  axes = tuple(axis) if isinstance(axis, (tuple, list)) else (axis,)
  normalized = tuple(_one_axis(function, a, z) for a in axes)
  if len(set(normalized)) != len(normalized):
    raise ValueError(f"`{function}`: `axis` must not repeat an axis; got {axis!r}.")
  return normalized


def _where(function: str, where, z):
  if where is None:
    return None
  dtype = getattr(where, "dtype", None)
  if dtype is None or np.dtype(dtype) != np.bool_:
    raise TypeError(
      f"`{function}`: `where` must be None or a boolean array; got "
      f"{getattr(dtype, 'name', type(where).__name__)}."
    )
  if not broadcasts_to(where.shape, z.shape):
    raise ValueError(
      f"`{function}`: `where` must have a shape that broadcasts to the shape of `x` {z.shape}; "
      f"got {where.shape}."
    )
  return jnp.broadcast_to(where, z.shape)


def _naive_glu(z: ArrayLike, axis: int = -1) -> jax.Array:
  """z1 / (1 + e^-z2) for the halves z1, z2 of z along ``axis``, as written."""
  z1, z2 = jnp.split(z, 2, axis)
  return z1 / (1 + jnp.exp(-z2))


def _naive_softmax(
  z: ArrayLike, axis: int | tuple[int, ...] | None = -1, where: ArrayLike | None = None
) -> jax.Array:
  """e^z / sum(e^z), as written (0 where ``where`` is False)."""
  e = jnp.exp(z) if where is None else jnp.where(where, jnp.exp(z), 0)
  return e / jnp.sum(e, axis, keepdims=True)


def _naive_log_softmax(
  z: ArrayLike, axis: int | tuple[int, ...] | None = -1, where: ArrayLike | None = None
) -> jax.Array:
  """z - log sum(e^z), as written (-inf where ``where`` is False)."""
  z = jnp.asarray(z)
  e = jnp.exp(z) if where is None else jnp.where(where, jnp.exp(z), 0)
  result = z - jnp.log(jnp.sum(e, axis, keepdims=True))
  return result if where is None else jnp.where(where, result, -jnp.inf)


VECTOR: tuple[Rule, ...] = (
  Rule(
    name="glu",
    value=jax.nn.glu,
    derivative=None,
    derivative_from_output=None,
    naive=_naive_glu,
    options=(Option("axis", -1, _glu_axis),),
    vector_jacobian=_glu_vector_jacobian,
    jacobian_vector=_glu_jacobian_vector,
  ),
  Rule(
    name="softmax",
    value=jax.nn.softmax,
    derivative=None,
    derivative_from_output=None,
    naive=_naive_softmax,
    options=(Option("axis", -1, _axes), Option("where", None, _where, static=False)),
    vector_jacobian=_softmax_vector_jacobian,
    jacobian_vector=_softmax_jacobian_vector,
    keeps_output=True,
  ),
  Rule(
    name="log_softmax",
    value=jax.nn.log_softmax,
    derivative=None,
    derivative_from_output=None,
    naive=_naive_log_softmax,
    options=(Option("axis", -1, _axes), Option("where", None, _where, static=False)),
    vector_jacobian=_log_softmax_vector_jacobian,
    jacobian_vector=_log_softmax_jacobian_vector,
    keeps_output=True,
  ),
)
