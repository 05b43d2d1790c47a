"""The benchmark entry point runs (--quick) and writes its tables; timings are not tested."""

import importlib.util
import json
import pathlib
import re
import subprocess
import sys

RUN = pathlib.Path(__file__).parent.parent / "benchmarks" / "run.py"


def test_quick_benchmark_writes_markdown_and_json(tmp_path):
  result = subprocess.run(
    [sys.executable, str(RUN), "--quick", "--out", str(tmp_path)],
    capture_output=True,
    text=True,
    timeout=600,
    check=False,
  )
  assert result.returncode == 0, result.stderr
  table = (tmp_path / "latest.md").read_text()
  assert re.match(r"Measured on .+, \d{4}-\d\d-\d\d, in \d+ minutes\. ", table), table[:200]
  for section in ("Planar flower", "Many networks", "Large network", "Activations", "Memory"):
    assert section in table
  # The other sections, so that every module of benchmarks/ is run: one per family.
  for section in ("Time to first result", "Hessian-vector product", "Data parallel", "Startup"):
    assert section in table
  rows = json.loads((tmp_path / "latest.json").read_text())["rows"]
  planar = [r for r in rows if r["case"] == "NumPy lecture loop, float64"]
  assert len(planar) == 1 and planar[0]["ratio"] > 0
  # The training step, in plain JAX and in each MLP library installed: memory and time.
  for section, library in (
    ("Training step: ", None),
    ("Training step in equinox", "equinox"),
    ("Training step in a flax.nnx", "flax"),
  ):
    if library is not None and importlib.util.find_spec(library) is None:
      continue
    cases = {r["case"] for r in rows if r["section"].startswith(section)}
    assert {"relu: memory, jax.nn / jacts", "relu: step time, jax.nn / jacts"} <= cases, section
