"""Data parallel: the large network's step on 1, 2 and 4 virtual CPU devices.

jacts.parallel.fit on each mesh against jacts.shallow.fit on one device, measured by
parallel_scaling.py in a subprocess (the device count is fixed when JAX starts).
"""

import json
import os
import pathlib
import sys

from harness import Report


def parallel_scaling(report: Report, quick: bool) -> None:
  """The large network's step on 1, 2 and 4 virtual CPU devices, in a subprocess."""
  import subprocess

  script = pathlib.Path(__file__).parent / "parallel_scaling.py"
  command = [sys.executable, str(script), *(["--quick"] if quick else [])]
  output = subprocess.run(command, capture_output=True, text=True, check=True, timeout=1200)
  results = json.loads(output.stdout.strip().splitlines()[-1])
  m, n_x, n_h = results["size"]
  section = (
    f"Data parallel: the large network's step (n_x = {n_x}, n_h = {n_h}, m = {m}) on virtual "
    f"CPU devices sharing {os.cpu_count()} cores"
  )
  report.add(section, "jacts.shallow.fit, one device", results["fit"] * 1e3, "ms")
  for count in (1, 2, 4):
    seconds = results[f"parallel_{count}"]
    report.add(section, f"jacts.parallel.fit, {count} device(s)", seconds * 1e3, "ms",
               seconds / results["fit"])  # fmt: skip
