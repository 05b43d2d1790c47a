"""jacts.plotting leaves the choice of matplotlib's backend to the user where one was made."""

import os
import subprocess
import sys

import pytest


@pytest.mark.parametrize(("environment", "backend"), [({}, "agg"), ({"MPLBACKEND": "svg"}, "svg")])
def test_plotting_draws_on_agg_unless_mplbackend_names_a_backend(environment, backend):
  pytest.importorskip("matplotlib")
  code = "from jacts.plotting import pyplot; print(pyplot().get_backend().lower())"
  env = {k: v for k, v in os.environ.items() if k != "MPLBACKEND"} | environment
  result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                          timeout=120, check=True)  # fmt: skip
  assert result.stdout.strip() == backend
