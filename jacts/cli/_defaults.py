"""``jacts train``'s settings per hidden activation, measured by benchmarks/training_defaults.py.

Imports nothing heavy: the parser reads it, and --help answers without JAX.
"""

from typing import NamedTuple

LECTURE = ("sgd", 1.2, 0.01)
"""The course's run: plain gradient descent at learning rate 1.2 from weights of standard
deviation 0.01. tanh's default, which reproduces the lecture's costs and 90.50 %."""

TRAINING_DEFAULTS: dict[str, tuple[str, float, float]] = {
  "relu": ("adam", 0.003, 1.0),
  "leaky_relu": ("adam", 0.1, 0.01),
  "relu6": ("adam", 0.001, 1.0),
  "hard_sigmoid": ("adam", 0.01, 1.0),
  "hard_silu": ("adam", 0.003, 0.01),
  "hard_tanh": ("adam", 0.003, 0.3),
  "sparse_sigmoid": ("adam", 0.03, 0.1),
  "softplus": ("adam", 0.03, 0.1),
  "log_sigmoid": ("adam", 0.003, 0.1),
  "silu": ("adam", 0.003, 0.1),
  "mish": ("adam", 0.01, 0.3),
  "gelu": ("adam", 0.01, 0.1),
  "soft_sign": ("adam", 0.1, 0.3),
  "squareplus": ("adam", 0.01, 0.1),
  "sparse_plus": ("adam", 0.001, 0.1),
  "elu": ("adam", 0.01, 1.0),
  "celu": ("adam", 0.01, 1.0),
  "selu": ("adam", 0.03, 1.0),
}
"""(optimizer, learning rate, initial weights' scale) of each activation whose default is not
the lecture's: the sweep's choice, the table of docs/cli.md."""

GOAL = 0.75
"""The training accuracy on flower that every activation but identity reaches with its defaults
(logistic regression's is 0.47): the sweep chooses among the settings that reach it, and
tests/cli/test_cli_training_defaults.py checks it through the command."""

OPTIMIZER_LEARNING_RATES = {"sgd": LECTURE[1], "adam": 0.01}
"""The learning rate of an optimizer chosen by --optimizer that is not the activation's own."""


class Settings(NamedTuple):
  optimizer: str
  lr: float
  init_scale: float
  chosen: str
  """The line that says which settings were the activation's defaults, or ""."""


def training_settings(
  activation: str, optimizer: str | None, lr: float | None, init_scale: float | None
) -> Settings:
  """What ``jacts train`` runs: each setting given, else ``activation``'s default."""
  default_optimizer, default_lr, default_scale = TRAINING_DEFAULTS.get(activation, LECTURE)
  chosen, fallback = [], ""
  if optimizer is None:
    optimizer = default_optimizer
    chosen.append(f"optimizer {optimizer}")
  if lr is None and optimizer == default_optimizer:
    lr = default_lr
    chosen.append(f"learning rate {lr}")
  elif lr is None:
    lr = OPTIMIZER_LEARNING_RATES[optimizer]
    fallback = f"learning rate {lr}, {optimizer}'s own ({activation}'s is for {default_optimizer})"
  if init_scale is None:
    init_scale = default_scale
    chosen.append(f"initial weights' scale {init_scale}")
  source = "measured, docs/cli.md" if activation in TRAINING_DEFAULTS else "the lecture's"
  line = f"Defaults for {activation} ({source}): {', '.join(chosen)}" if chosen else ""
  if fallback:
    line = f"{line}; {fallback}" if line else f"Default: {fallback}"
  return Settings(optimizer, lr, init_scale, line)
