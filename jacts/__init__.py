"""jacts: activation functions with their textbook derivatives as custom VJPs, a drop-in for
jax.nn's, and the lecture's shallow network built from them."""

from jacts import datasets as datasets
from jacts import models as models
from jacts import multilayer as multilayer
from jacts import naive as naive
from jacts import parallel as parallel
from jacts import plotting as plotting
from jacts import shallow as shallow
from jacts import study as study
from jacts._activations import leaky_relu as leaky_relu
from jacts._activations import relu as relu
from jacts._activations import sigmoid as sigmoid
from jacts._activations import tanh as tanh
from jacts._derivative import derivative as derivative
from jacts._derivative import derivative_from_output as derivative_from_output
from jacts._forward_mode import forward_mode as forward_mode
from jacts._normalizing import glu as glu
from jacts._normalizing import log_softmax as log_softmax
from jacts._normalizing import softmax as softmax
from jacts._piecewise import hard_sigmoid as hard_sigmoid
from jacts._piecewise import hard_silu as hard_silu
from jacts._piecewise import hard_swish as hard_swish
from jacts._piecewise import hard_tanh as hard_tanh
from jacts._piecewise import relu6 as relu6
from jacts._piecewise import sparse_sigmoid as sparse_sigmoid
from jacts._smooth import celu as celu
from jacts._smooth import elu as elu
from jacts._smooth import gelu as gelu
from jacts._smooth import identity as identity
from jacts._smooth import log1mexp as log1mexp
from jacts._smooth import log_sigmoid as log_sigmoid
from jacts._smooth import mish as mish
from jacts._smooth import selu as selu
from jacts._smooth import silu as silu
from jacts._smooth import soft_sign as soft_sign
from jacts._smooth import softplus as softplus
from jacts._smooth import sparse_plus as sparse_plus
from jacts._smooth import squareplus as squareplus
from jacts._smooth import swish as swish

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
