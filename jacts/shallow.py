r"""A network with one hidden layer: the lecture's forward pass, cost, backprop and training.

Examples are rows (the JAX convention); weights are (out, in) as in the lecture:

.. math::
  Z_1 = X W_1^\top + b_1, \quad A_1 = g(Z_1), \quad Z_2 = A_1 W_2^\top + b_2, \quad
  A_2 = \sigma(Z_2), \quad J = -\frac{1}{m} \sum \left[ Y \log A_2 + (1 - Y) \log(1 - A_2) \right].

:func:`backward` is the lecture's backprop written by hand; :func:`fit` runs the whole training
loop as one compiled program. The equations are computed in the lecture's own layout, examples
as columns (``jacts/_networks/_lecture.py``, one equation per line, with the measured speed
tricks behind them in ``_kernels.py`` beside it); the training loops live in ``_training.py``.
"""

from collections.abc import Callable

import jax
import jax.numpy as jnp
from jax.typing import ArrayLike

from jacts import _networks
from jacts._activations import tanh
from jacts._networks import Cache as Cache
from jacts._networks import Gradients as Gradients
from jacts._networks import Params as Params
from jacts._networks import TrainingDivergedWarning as TrainingDivergedWarning
from jacts._networks import fit as fit
from jacts._networks import fit_many as fit_many
from jacts._networks import init_params as init_params
from jacts._networks import lecture_params as lecture_params
from jacts._networks import train_step as train_step
from jacts._networks import train_steps as train_steps

__all__ = (
  "Cache",
  "Gradients",
  "Params",
  "TrainingDivergedWarning",
  "accuracy",
  "backward",
  "cost",
  "fit",
  "fit_many",
  "forward",
  "init_params",
  "lecture_params",
  "predict",
  "train_step",
  "train_steps",
)


def forward(
  params: Params, X: ArrayLike, *, activation: Callable = tanh
) -> tuple[jax.Array, Cache]:
  """The forward pass: hidden layer with ``activation``, output layer with sigmoid.

  Args:
    params: the network's parameters.
    X: inputs, shape (m, n_x), one example per row.
    activation: the hidden activation: an elementwise jacts activation, its forward-mode version,
      or a ``functools.partial`` of one (softmax, log_softmax and glu mix a row's entries and are
      refused with a ValueError naming ``activation``).

  Returns:
    ``(A2, cache)``: A2 (m, n_y), the probabilities of class 1; cache (Z1, A1, Z2, A2).

  Example:
    >>> import jacts.shallow as shallow
    >>> from jacts.datasets import planar_flower
    >>> X, Y = planar_flower()
    >>> A2, cache = shallow.forward(shallow.lecture_params(2, 4, 1), X)
    >>> A2.shape, cache.Z1.shape
    ((400, 1), (400, 4))
  """
  function = "jacts.shallow.forward"
  X = _networks.check_inputs(function, params, X, activation)
  in_columns = _networks.forward_pass(params, X.T, activation)
  cache = Cache(*(c.T for c in in_columns))  # Batch-first, as X was given.
  return cache.A2, cache


def cost(params: Params, X: ArrayLike, Y: ArrayLike, *, activation: Callable = tanh) -> jax.Array:
  r"""The cross-entropy cost, computed stably from the logits Z2.

  .. math::
    J = -\frac{1}{m} \sum \left[ y \log a + (1 - y) \log(1 - a) \right]
      = \frac{1}{m} \sum \left[ \operatorname{softplus}(z_2) - y z_2 \right]

  The second form has no log(0) where the sigmoid saturates. Its gradient with respect to Z2 is
  (A2 - Y)/m, the lecture's dZ2; the gradient reaches the hidden layer through the activation's
  custom VJP.

  Args:
    params: the network's parameters.
    X: inputs, shape (m, n_x).
    Y: labels in {0, 1}, shape (m, n_y), or (m,) when n_y = 1.
    activation: the hidden activation.

  Returns:
    J, a scalar in the parameters' dtype.

  Example:
    >>> import jacts.shallow as shallow
    >>> from jacts.datasets import planar_flower
    >>> X, Y = planar_flower()
    >>> print(round(float(shallow.cost(shallow.lecture_params(2, 4, 1), X, Y)), 6))
    0.693048
  """
  X, Y = _networks.check_data("jacts.shallow.cost", params, X, Y, activation)
  return _networks.cost(params, _networks.batch(X, Y), activation)


def backward(
  params: Params, cache: Cache, X: ArrayLike, Y: ArrayLike, *, activation: Callable = tanh
) -> Params:
  r"""The lecture's backprop, by hand.

  In the lecture's notation, with the examples as the columns of X, Y, Z and A:

  .. math::
    dZ_2 = A_2 - Y, \quad dW_2 = \tfrac{1}{m} dZ_2 A_1^\top, \quad
    db_2 = \tfrac{1}{m} \textstyle\sum_i dZ_2, \\
    dZ_1 = W_2^\top dZ_2 \odot g'(Z_1), \quad dW_1 = \tfrac{1}{m} dZ_1 X^\top, \quad
    db_1 = \tfrac{1}{m} \textstyle\sum_i dZ_1.

  That is how it is computed, one equation per line (``jacts/_networks/_lecture.py``); the arguments
  are batch-first as everywhere in jacts, and transposed at the boundary. g'(Z1) comes from
  :func:`jacts.derivative_from_output` (1 - A1^2 for tanh, as the lecture writes it) where the
  activation has that form, else :func:`jacts.derivative` on Z1: the same rules as the custom
  VJPs, so this equals ``jax.grad(cost)``.

  Args:
    params: the network's parameters.
    cache: the forward pass's cache for the same ``params`` and ``X``.
    X: inputs, shape (m, n_x).
    Y: labels in {0, 1}, shape (m, n_y), or (m,) when n_y = 1.
    activation: the hidden activation used in the forward pass.

  Returns:
    The gradient of :func:`cost`, as ``Params``.

  Example:
    >>> import jax, jacts.shallow as shallow
    >>> from jacts.datasets import planar_flower
    >>> X, Y = planar_flower()
    >>> params = shallow.lecture_params(2, 4, 1)
    >>> _, cache = shallow.forward(params, X)
    >>> grads = shallow.backward(params, cache, X, Y)
    >>> [g.shape for g in grads]
    [(4, 2), (4,), (1, 4), (1,)]
  """
  X, Y = _networks.check_data("jacts.shallow.backward", params, X, Y, activation)
  _networks.check_cache(params, cache, X)
  in_columns = Cache(*(c.T for c in cache))
  return _networks.backward_pass(params, in_columns, _networks.batch(X, Y), activation)


def predict(params: Params, X: ArrayLike, *, activation: Callable = tanh) -> jax.Array:
  """Class predictions: 1 where the network's probability exceeds 0.5, else 0.

  Returns:
    int32 array of shape (m, n_y) with values 0 and 1.

  Example:
    >>> import jax.numpy as jnp, jacts.shallow as shallow
    >>> print(shallow.predict(shallow.lecture_params(2, 4, 1), jnp.zeros((3, 2))).ravel())
    [0 0 0]
  """
  function = "jacts.shallow.predict"
  X = _networks.check_inputs(function, params, X, activation)
  return _networks.predictions(params, X.T, activation).T


def accuracy(
  params: Params, X: ArrayLike, Y: ArrayLike, *, activation: Callable = tanh
) -> jax.Array:
  """The fraction of labels the network predicts correctly, in [0, 1].

  Example:
    >>> import jacts.shallow as shallow
    >>> from jacts.datasets import planar_flower
    >>> X, Y = planar_flower()
    >>> print(round(float(shallow.accuracy(shallow.lecture_params(2, 4, 1), X, Y)), 4))
    0.5975
  """
  X, Y = _networks.check_data("jacts.shallow.accuracy", params, X, Y, activation)
  return jnp.mean(_networks.predictions(params, X.T, activation) == Y.T.astype(jnp.int32))
