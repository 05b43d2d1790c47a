"""jacts: the lecture's activation functions with their textbook derivatives as custom VJPs."""

from jacts import naive as naive
from jacts._activations import leaky_relu as leaky_relu
from jacts._activations import relu as relu
from jacts._activations import sigmoid as sigmoid
from jacts._activations import tanh as tanh
from jacts._derivative import derivative as derivative
from jacts._derivative import derivative_from_output as derivative_from_output
from jacts._forward_mode import forward_mode as forward_mode

__version__ = "0.1.0"

__all__ = (
  "derivative",
  "derivative_from_output",
  "leaky_relu",
  "naive",
  "relu",
  "sigmoid",
  "tanh",
)
