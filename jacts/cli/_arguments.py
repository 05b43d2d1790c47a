"""The ``jacts`` command's building blocks: its one-line errors, argument types and output paths."""

import argparse
import math
import os
import pathlib

from jacts._catalogue import ELEMENTWISE, NOT_ELEMENTWISE, RANDOMSTATE_SEEDS

FIG = " (no suffix: .png is added; any suffix matplotlib writes, such as .pdf or .svg)"


class UserError(Exception):
  """A mistake in what the user asked for; reported as one line."""


class Parser(argparse.ArgumentParser):
  def error(self, message):  # One line, not argparse's usage block.
    self.exit(2, f"jacts: error: {message} (see `{self.prog} --help`)\n")


def argument(convert, expected: str, accept):
  """An argparse type: ``convert(text)``, refused unless ``accept`` holds for the value."""

  def parse(text: str):
    try:
      value = convert(text)
    except ValueError:
      value = None
    if value is None or not accept(value):
      raise argparse.ArgumentTypeError(f"expected {expected}, got {text!r}")
    return value

  return parse


positive_int = argument(int, "a positive integer", lambda v: v > 0)
positive_float = argument(float, "a positive number", lambda v: v > 0 and math.isfinite(v))
# NumPy's RandomState (the lecture init) takes exactly these; jax.random.key takes them too.
seed = argument(int, "an integer in [0, 2**32 - 1]", lambda v: v in RANDOMSTATE_SEEDS)


TRAINABLE = tuple(name for name in ELEMENTWISE if name != "log1mexp")
"""``jacts train --activation``'s choices: log1mexp(z) = log(1 - e^-z) is NaN for every z < 0,
where half of the hidden layer's inputs fall, so training it fails at its first step."""


def hidden_activation(text: str) -> str:
  """``train --activation``'s type: refuses, saying why, an activation that is not elementwise
  or not real for z < 0 (the choices then refuse a name no rule has)."""
  if text in NOT_ELEMENTWISE:
    raise argparse.ArgumentTypeError(
      f"{text} is not elementwise (each of its outputs depends on other entries along its "
      f"axis), so it cannot be a hidden activation; choose from {', '.join(TRAINABLE)}"
    )
  if text == "log1mexp":
    raise argparse.ArgumentTypeError(
      "log1mexp(z) = log(1 - e^-z) is NaN for z < 0, where half of the hidden layer's inputs "
      f"fall, so it cannot be the hidden activation of jacts train; choose from "
      f"{', '.join(TRAINABLE)}"
    )
  return text


# jacts.study's names, repeated so that the parser imports neither JAX nor NumPy (a test checks).
STUDY_DTYPES = ("bfloat16", "float16", "float32", "float64")
STUDY_PROTOCOLS = ("draw", "paper")
STUDY_MATMUL = ("float32", "tf32", "default")
STUDY_INITS = ("he", "torch")
STUDY_ARCHITECTURES = ("multilayer", "paper")


def comma_list(convert, expected: str, accept):
  """An argparse type for ``a,b,c``: each item converted and accepted, else one line naming it."""
  item = argument(convert, expected, accept)

  def parse(text: str):
    items = tuple(item(part.strip()) for part in text.split(","))
    if len(set(items)) < len(items):
      raise argparse.ArgumentTypeError(f"expected no repeated values, got {text!r}")
    return items

  return parse


widths = comma_list(int, "widths that are positive integers", lambda v: v > 0)
dtypes = comma_list(str, f"dtypes among {', '.join(STUDY_DTYPES)}", STUDY_DTYPES.__contains__)
protocols = comma_list(
  str, f"protocols among {', '.join(STUDY_PROTOCOLS)}", STUDY_PROTOCOLS.__contains__
)
matmul = comma_list(str, f"modes among {', '.join(STUDY_MATMUL)}", STUDY_MATMUL.__contains__)


def writable(text: str) -> pathlib.Path:
  """``text`` as the path of a file to write; refused if it is a folder or its folder is missing."""
  path = pathlib.Path(text)
  if text.endswith(("/", os.sep)) or path.is_dir():
    raise UserError(f"cannot write {text!r}: it names a folder, not a file")
  if not path.parent.is_dir():
    raise UserError(f"cannot write {path}: folder {path.parent} does not exist")
  return path


def figure(text: str) -> pathlib.Path:
  """The file a figure named ``text`` goes to: ``.png`` added to a name without a suffix (so that
  the name reported is the file written), refused if matplotlib cannot write its suffix."""
  path = writable(text)
  if not os.path.splitext(path.name)[1]:  # As matplotlib splits: "fig." has the suffix ".".
    path = writable(f"{path}.png")
  pyplot_or_error()  # Fails here, before any work, if matplotlib is missing.
  from matplotlib.backend_bases import FigureCanvasBase

  formats = sorted(FigureCanvasBase.get_supported_filetypes())
  suffix = os.path.splitext(path.name)[1]
  if suffix[1:].lower() not in formats:
    known = ", ".join(f".{name}" for name in formats)
    raise UserError(f"cannot write {path}: matplotlib cannot write {suffix!r} files; use {known}")
  return path


def pyplot_or_error():
  try:
    from jacts.plotting import pyplot

    return pyplot()
  except ImportError as error:
    raise UserError(str(error)) from None
