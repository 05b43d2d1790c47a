"""The L-layer network's core, behind :mod:`jacts.multilayer` and the ReLU'(0) study: its
equations in the lecture's layout (``_lecture.py``, one per line, built on the shallow network's
kernels) and its argument checks (``_checks.py``).
"""

from jacts._networks.layers._checks import (
  check_batch_size,
  check_cache,
  check_data,
  check_inputs,
  check_sizes,
)
from jacts._networks.layers._lecture import (
  Cache,
  Data,
  Layer,
  backward_pass,
  cost,
  data,
  forward_pass,
  he_normal,
  hidden_derivative,
  minibatch,
  predictions,
  train,
)

__all__ = (
  "Cache",
  "Data",
  "Layer",
  "backward_pass",
  "check_batch_size",
  "check_cache",
  "check_data",
  "check_inputs",
  "check_sizes",
  "cost",
  "data",
  "forward_pass",
  "he_normal",
  "hidden_derivative",
  "minibatch",
  "predictions",
  "train",
)
