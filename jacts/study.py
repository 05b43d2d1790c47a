r"""When does ReLU'(0) matter? The lecture's convention measured in every precision.

The lecture: ReLU'(0) is undefined, and setting it to 1 or 0 makes no difference since z is
practically never exactly 0. Bertoin, Bolte, Gerchinovitz and Pauwels, "Numerical influence of
ReLU'(0) on backpropagation" (NeurIPS 2021), showed that in finite precision z == 0 does happen,
and then the two conventions give different gradients. jacts makes the convention a parameter
(``jacts.relu(z, derivative_at_zero=d)``); this module measures its effect on a
:mod:`jacts.multilayer` network, in bfloat16, float16, float32 and float64:

* :func:`bifurcation`: over random He-normal initializations, the share of draws whose gradient
  on one mini-batch differs, in at least one entry and bit for bit, between ReLU'(0) = 0 and 1.
* :func:`training`: the same initialization trained by plain SGD with ReLU'(0) = 0, 1 and values
  between, on the same mini-batches: test accuracy, distance between the parameter trajectories,
  and how many hidden pre-activations were exactly 0.
* :func:`relu0`: both, on one data set, as ``jacts study relu0`` runs them.

Every measurement is one compiled program per configuration (draws vectorized with
``jax.vmap``, training steps in ``lax.scan``), computed in the configuration's dtype: parameters
and data are rounded to it. float64 configurations run with ``jax_enable_x64`` turned on for
their duration only. The drivers here return Python numbers; the compiled programs inside them
are in ``_study_kernels.py``.
"""

from jacts._study_checks import DTYPES as DTYPES
from jacts._study_data import DATASETS as DATASETS
from jacts._study_display import figure as figure
from jacts._study_display import table as table
from jacts._study_measurements import CONVENTIONS as CONVENTIONS
from jacts._study_measurements import WIDTHS as WIDTHS
from jacts._study_measurements import bifurcation as bifurcation
from jacts._study_measurements import load_dataset as load_dataset
from jacts._study_measurements import relu0 as relu0
from jacts._study_measurements import training as training
from jacts._study_report import Bifurcation as Bifurcation
from jacts._study_report import Report as Report
from jacts._study_report import Training as Training
from jacts._study_report import Zeros as Zeros

__all__ = (
  "CONVENTIONS",
  "DATASETS",
  "DTYPES",
  "Bifurcation",
  "Report",
  "Training",
  "Zeros",
  "bifurcation",
  "figure",
  "load_dataset",
  "relu0",
  "table",
  "training",
)
