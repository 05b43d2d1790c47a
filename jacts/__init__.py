"""jacts: the lecture's activation functions with their textbook derivatives as custom VJPs."""

from jacts import datasets as datasets
from jacts import models as models
from jacts import naive as naive
from jacts import parallel as parallel
from jacts import plotting as plotting
from jacts import shallow as shallow
from jacts._activations import leaky_relu as leaky_relu
from jacts._activations import relu as relu
from jacts._activations import sigmoid as sigmoid
from jacts._activations import tanh as tanh
from jacts._derivative import derivative as derivative
from jacts._derivative import derivative_from_output as derivative_from_output
from jacts._forward_mode import forward_mode as forward_mode

__version__ = "0.1.0"

__all__ = (
  "datasets",
  "derivative",
  "derivative_from_output",
  "forward_mode",
  "leaky_relu",
  "models",
  "naive",
  "parallel",
  "plotting",
  "relu",
  "shallow",
  "sigmoid",
  "tanh",
)
