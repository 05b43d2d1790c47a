"""The network core behind :mod:`jacts.shallow`, :mod:`jacts.multilayer`, :mod:`jacts.parallel`
and the ReLU'(0) study: the shallow network's equations and their kernels, its training loops,
initialization, divergence check and argument checks; the L-layer network's equations are the
subpackage ``layers``.

Private modules: ``_types.py`` (Params, Cache, Gradients), ``_lecture.py`` (the lecture's
equations, one per line), ``_kernels.py`` (the measured speed tricks behind them, each with the
benchmark row that justifies it), ``_training.py`` (every loop one compiled program),
``_initialization.py``, ``_divergence.py`` and ``_checks.py`` (argument checks).
"""

from jacts._networks._checks import (
  check_activation_parameters,
  check_cache,
  check_data,
  check_inputs,
  check_key,
  check_params,
  check_schedule,
  check_training,
)
from jacts._networks._divergence import TrainingDivergedWarning, warn_if_diverged
from jacts._networks._initialization import init_params, lecture_params
from jacts._networks._kernels import batch, training_loop
from jacts._networks._lecture import backward_pass, cost, forward_pass, predictions
from jacts._networks._training import fit, fit_many, run, train_step, train_steps
from jacts._networks._types import Cache, Gradients, Params

__all__ = (
  "Cache",
  "Gradients",
  "Params",
  "TrainingDivergedWarning",
  "backward_pass",
  "batch",
  "check_activation_parameters",
  "check_cache",
  "check_data",
  "check_inputs",
  "check_key",
  "check_params",
  "check_schedule",
  "check_training",
  "cost",
  "fit",
  "fit_many",
  "forward_pass",
  "init_params",
  "lecture_params",
  "predictions",
  "run",
  "train_step",
  "train_steps",
  "training_loop",
  "warn_if_diverged",
)
