r"""When does ReLU'(0) matter? The lecture's convention measured in every precision.

The lecture: ReLU'(0) is undefined, and setting it to 1 or 0 makes no difference since z is
practically never exactly 0. Bertoin, Bolte, Gerchinovitz and Pauwels, "Numerical influence of
ReLU'(0) on backpropagation" (NeurIPS 2021), showed that in finite precision z == 0 does happen,
and then the two conventions give different gradients. jacts makes the convention a parameter
(``jacts.relu(z, derivative_at_zero=d)``); this module measures its effect on fully connected
ReLU networks, in bfloat16, float16, float32 and float64:

* :func:`bifurcation`: over random initializations, the share whose gradient differs, bit for
  bit, between ReLU'(0) = 0 and 1: on one random mini-batch each (``protocol="draw"``), or on
  every mini-batch of one pass over the data until one differs, as the paper did
  (``protocol="paper"``, with PyTorch's initialization and the paper's MLP), with the per-batch
  probability that makes data sets of different sizes comparable. Matrix products exact in
  float32 or with TensorFloat-32 inputs, as the paper's GPUs computed them.
* :func:`training`: the same initialization trained by plain SGD with ReLU'(0) = 0, 1 and values
  between, on the same mini-batches: test accuracy, distance between the parameter trajectories,
  and how many hidden pre-activations were exactly 0.
* :func:`relu0`: both, on one data set, as ``jacts study relu0`` runs them.

Every measurement is one compiled program per configuration (draws vectorized with
``jax.vmap``, training steps in ``lax.scan``), computed in the configuration's dtype: parameters
and data are rounded to it. float64 configurations run with ``jax_enable_x64`` turned on for
their duration only. The drivers here return Python numbers; the compiled programs inside them
are in ``jacts/study/_kernels.py``, the networks in ``_network.py``.
"""

from jacts.study._checks import DTYPES as DTYPES
from jacts.study._data import DATASETS as DATASETS
from jacts.study._display import figure as figure
from jacts.study._display import table as table
from jacts.study._measurements import CONVENTIONS as CONVENTIONS
from jacts.study._measurements import PROTOCOLS as PROTOCOLS
from jacts.study._measurements import WIDTHS as WIDTHS
from jacts.study._measurements import bifurcation as bifurcation
from jacts.study._measurements import load_dataset as load_dataset
from jacts.study._measurements import training as training
from jacts.study._relu0 import default_matmul as default_matmul
from jacts.study._relu0 import programs as programs
from jacts.study._relu0 import relu0 as relu0
from jacts.study._report import Bifurcation as Bifurcation
from jacts.study._report import Report as Report
from jacts.study._report import Training as Training
from jacts.study._report import Zeros as Zeros

__all__ = (
  "CONVENTIONS",
  "DATASETS",
  "DTYPES",
  "PROTOCOLS",
  "Bifurcation",
  "Report",
  "Training",
  "Zeros",
  "bifurcation",
  "default_matmul",
  "figure",
  "load_dataset",
  "programs",
  "relu0",
  "table",
  "training",
)
