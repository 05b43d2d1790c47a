"""The examples run end to end and print what they promise."""

import pathlib
import subprocess
import sys

import pytest

EXAMPLES = pathlib.Path(__file__).parent.parent / "examples"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def run(script, *args):
  result = subprocess.run(
    [sys.executable, str(EXAMPLES / script), *args],
    capture_output=True,
    text=True,
    timeout=300,
    check=False,
  )
  assert result.returncode == 0, result.stderr
  return result.stdout


def test_compare_gradients_shows_where_naive_autodiff_is_nan():
  out = run("compare_gradients.py")
  for name in ("sigmoid", "tanh", "relu", "leaky_relu"):
    assert f"\n{name}\n" in out
  assert "<- naive is NaN" in out


def test_planar_flower_reproduces_the_course_and_saves_a_png(tmp_path):
  pytest.importorskip("matplotlib")
  png = tmp_path / "planar.png"
  out = run("planar_flower.py", "--out", str(png))
  assert "     1000  0.288083   0.288083" in out
  assert "Accuracy of the network:             90." in out  # The course prints 90 %.
  assert "Accuracy of logistic regression:     47.00 %" in out
  assert png.read_bytes().startswith(PNG_SIGNATURE)


def test_hidden_layer_sizes_prints_the_published_table(tmp_path):
  pytest.importorskip("matplotlib")
  png = tmp_path / "sizes.png"
  out = run("hidden_layer_sizes.py", "--out", str(png))
  for n_h, published in ((1, "67.50"), (5, "91.25"), (50, "90.25")):
    assert f"{n_h:>4} {published:>8}% {published:>9}%" in out
  assert png.read_bytes().startswith(PNG_SIGNATURE)


def test_flax_and_equinox_models_learn_the_digits_as_well_with_jacts_as_with_jax_nn():
  for module in ("equinox", "flax", "sklearn"):
    pytest.importorskip(module)
  out = run("flax_and_equinox.py")
  rows = [line.split() for line in out.splitlines() if line.startswith(("equinox ", "flax.nnx "))]
  assert [row[:2] for row in rows] == [["equinox", "gelu"], ["flax.nnx", "silu"]]
  for _, _, ours, theirs, difference in rows:
    ours, theirs = float(ours.rstrip("%")), float(theirs.rstrip("%"))
    assert ours > 90 and theirs > 90  # Test accuracy, in %.
    assert abs(ours - theirs) <= 1
    assert float(difference) < 1e-4  # The trained weights: float32 rounding apart, no more.
