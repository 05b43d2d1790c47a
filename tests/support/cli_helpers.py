"""Running the jacts command in the tests of tests/cli/: in a fresh process or in-process, and
the one-line errors it gives."""

import subprocess
import sys

import numpy as np

import jacts.shallow as shallow
from jacts import cli, models

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def jacts_command(*args, cwd=None):
  """Runs `python -m jacts ARGS` in a fresh process (train and check set JAX's x64 flag)."""
  return subprocess.run(
    [sys.executable, "-m", "jacts", *args],
    capture_output=True,
    text=True,
    timeout=300,
    cwd=cwd,
    check=False,
  )


def assert_one_line_error(result, code, pattern):
  assert result.returncode == code
  lines = result.stderr.strip().splitlines()
  assert len(lines) == 1, result.stderr
  assert lines[0].startswith("jacts: error: ")
  assert pattern in lines[0]
  assert "Traceback" not in result.stderr


def run(capsys, *args):
  """`jacts ARGS` in-process: (exit status, stdout, stderr); argparse's exits give their status."""
  try:
    code = cli.main([str(arg) for arg in args])
  except SystemExit as exit:
    code = exit.code
  captured = capsys.readouterr()
  return code, captured.out, captured.err


def assert_error(result, code, message):
  """Exactly one stderr line, `jacts: error: MESSAGE`, and nothing on stdout."""
  assert result == (code, "", f"jacts: error: {message}\n")


def save_model(path, W1, b1, W2, b2, dtype=np.float64, activation="tanh"):
  params = shallow.Params(*(np.asarray(p, dtype) for p in (W1, b1, W2, b2)))
  models.save(path, models.Model(params, activation))
  return path
