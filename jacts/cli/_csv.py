"""Points for ``jacts predict``, read from a CSV file with one point per row."""

import math
import pathlib

import numpy as np


class CSVError(ValueError):
  """A CSV file that does not hold the points asked for; the message names file and line."""


def read_points(path: pathlib.Path, n_x: int, dtype: np.dtype) -> np.ndarray:
  """The rows of a CSV file as points in ``dtype``; a first line of ``n_x`` names, none of them a
  number, is a header."""
  try:
    lines = path.read_text(encoding="utf-8-sig").split("\n")  # -sig: a spreadsheet's BOM.
  except FileNotFoundError:
    raise CSVError(f"{path}: no such file") from None
  except (OSError, UnicodeDecodeError) as error:
    raise CSVError(f"{path}: cannot read ({error})") from None
  rows = [(number, line.split(",")) for number, line in enumerate(lines, 1) if line.strip()]
  if rows and len(rows[0][1]) == n_x and not any(_is_number(f) for f in rows[0][1]):
    rows = rows[1:]  # Column names. Not "1.0,2.o" nor "1.0;2.0": refused by _point.
  if not rows:
    raise CSVError(f"{path}: no points")
  return np.stack([_point(fields, f"{path}, line {number}", n_x, dtype) for number, fields in rows])


def _is_number(text: str) -> bool:
  try:
    float(text)
  except ValueError:
    return False
  return True


def _point(fields: list, where: str, n_x: int, dtype: np.dtype) -> np.ndarray:
  """One CSV row as a point in ``dtype``; ``where`` (file and line) starts any error."""
  values = [_value(field.strip(), column, where, dtype) for column, field in enumerate(fields, 1)]
  if len(values) != n_x:
    raise CSVError(f"{where}: {len(values)} columns; the model takes {n_x}")
  return np.asarray(values, dtype)


def _value(text: str, column: int, where: str, dtype: np.dtype) -> float:
  """One CSV field as a finite number within ``dtype``'s range, or a CSVError naming it."""
  try:
    value = float(text)
  except ValueError:
    raise CSVError(f"{where}: not a row of numbers: field {column} is {text!r}") from None
  if math.isnan(value) or text.lstrip("+-").lower() in ("inf", "infinity"):
    raise CSVError(f"{where}: NaN or infinite value {text!r} (field {column})")
  if not abs(value) <= float(np.finfo(dtype).max):  # Also 1e400, which float() makes inf.
    raise CSVError(f"{where}: {text} is beyond the range of the model's {dtype}")
  return value
