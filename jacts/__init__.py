"""jacts: activation functions with their textbook derivatives as custom VJPs, a drop-in for
jax.nn's, and the lecture's shallow network built from them.

``import jacts`` does not import JAX: each name is imported when it is first used (PEP 562), so
that the command line answers ``jacts --version`` and ``--help`` at once. ``jacts.relu``,
``from jacts import relu`` and ``jacts.shallow`` work as after an eager import.
"""

import importlib as _importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # What the names are, for type checkers; at run time, __getattr__ below.
  from jacts import datasets as datasets
  from jacts import models as models
  from jacts import multilayer as multilayer
  from jacts import naive as naive
  from jacts import parallel as parallel
  from jacts import plotting as plotting
  from jacts import shallow as shallow
  from jacts import study as study
  from jacts._activations import celu as celu
  from jacts._activations import derivative as derivative
  from jacts._activations import derivative_from_output as derivative_from_output
  from jacts._activations import elu as elu
  from jacts._activations import forward_mode as forward_mode
  from jacts._activations import gelu as gelu
  from jacts._activations import glu as glu
  from jacts._activations import hard_sigmoid as hard_sigmoid
  from jacts._activations import hard_silu as hard_silu
  from jacts._activations import hard_swish as hard_swish
  from jacts._activations import hard_tanh as hard_tanh
  from jacts._activations import identity as identity
  from jacts._activations import leaky_relu as leaky_relu
  from jacts._activations import log1mexp as log1mexp
  from jacts._activations import log_sigmoid as log_sigmoid
  from jacts._activations import log_softmax as log_softmax
  from jacts._activations import mish as mish
  from jacts._activations import relu as relu
  from jacts._activations import relu6 as relu6
  from jacts._activations import selu as selu
  from jacts._activations import sigmoid as sigmoid
  from jacts._activations import silu as silu
  from jacts._activations import soft_sign as soft_sign
  from jacts._activations import softmax as softmax
  from jacts._activations import softplus as softplus
  from jacts._activations import sparse_plus as sparse_plus
  from jacts._activations import sparse_sigmoid as sparse_sigmoid
  from jacts._activations import squareplus as squareplus
  from jacts._activations import swish as swish
  from jacts._activations import tanh as tanh
del TYPE_CHECKING  # The package's names are the API's alone.

__version__ = "0.1.0"

__all__ = (
  "celu",
  "datasets",
  "derivative",
  "derivative_from_output",
  "elu",
  "forward_mode",
  "gelu",
  "glu",
  "hard_sigmoid",
  "hard_silu",
  "hard_swish",
  "hard_tanh",
  "identity",
  "leaky_relu",
  "log1mexp",
  "log_sigmoid",
  "log_softmax",
  "mish",
  "models",
  "multilayer",
  "naive",
  "parallel",
  "plotting",
  "relu",
  "relu6",
  "selu",
  "shallow",
  "sigmoid",
  "silu",
  "soft_sign",
  "softmax",
  "softplus",
  "sparse_plus",
  "sparse_sigmoid",
  "squareplus",
  "study",
  "swish",
  "tanh",
)

_MODULES = ("datasets", "models", "multilayer", "naive", "parallel", "plotting", "shallow", "study")


def __getattr__(name: str):
  if name in _MODULES:
    return _importlib.import_module(f"jacts.{name}")
  if name in __all__:
    function = getattr(_importlib.import_module("jacts._activations"), name)
    globals()[name] = function  # Found directly from now on.
    return function
  raise AttributeError(f"module 'jacts' has no attribute {name!r}")


def __dir__() -> list[str]:
  return sorted({*globals(), *__all__})
