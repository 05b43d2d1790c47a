"""The timing harness every benchmark family shares: medians, the machine, the report.

Each case is timed as the median of several repeats after a warm-up call (these machines are
shared and noisy), and reported as a ratio to jacts in the same run. Report collects the rows
and writes them as latest.md's tables, activations.md's per-activation table and latest.json's
rows. REFERENCES pairs each activation of the rule table with what users would write instead.
"""

import os
import platform
import statistics
import time

import jax

import jacts
from jacts._rules import RULES

# Each activation of the rule table: (jacts, jax.nn's namesake, the naive formula).
REFERENCES = {
  name: (getattr(jacts, name), getattr(jax.nn, name), rule.naive) for name, rule in RULES.items()
}
LECTURE = ("sigmoid", "tanh", "relu", "leaky_relu")


def median_seconds(run, repeats: int) -> float:
  """Median wall time of ``run()`` (which must block until done) after one warm-up call."""
  run()
  times = []
  for _ in range(repeats):
    start = time.perf_counter()
    run()
    times.append(time.perf_counter() - start)
  return statistics.median(times)


def interleaved_medians(runs: dict, rounds: int, per_round: int = 3) -> dict:
  """Median seconds of each ``runs[label]()``, the labels taking turns round after round.

  Taking turns spreads drift in the machine's load over all of them; within a round each gets
  one untimed call first, because the first call after another program pays for that program's
  memory (measured: up to 14 ms on a 21 ms kernel).
  """
  samples = {label: [] for label in runs}
  for _ in range(rounds):
    for label, run in runs.items():
      run()
      for _ in range(per_round):
        start = time.perf_counter()
        run()
        samples[label].append(time.perf_counter() - start)
  return {label: statistics.median(times) for label, times in samples.items()}


def blocking(function, *args, **kwargs):
  return lambda: jax.block_until_ready(function(*args, **kwargs))


def machine() -> str:
  cpu = platform.processor() or platform.machine()
  try:
    with open("/proc/cpuinfo") as info:
      cpu = next(line.split(":", 1)[1].strip() for line in info if line.startswith("model name"))
  except (OSError, StopIteration):
    pass
  device = jax.devices()[0]
  return (
    f"{cpu}, {os.cpu_count()} cores; JAX {jax.__version__} on {device.platform} "
    f"({device.device_kind}); Python {platform.python_version()}"
  )


class Report:
  """Collects rows: (section, case, seconds or value, ratio, target, met)."""

  def __init__(self):
    self.rows = []

  def add(self, section, case, measured, unit, ratio=None, target=None, met=None):
    row = {"section": section, "case": case, "measured": measured, "unit": unit}
    row |= {"ratio": ratio, "target": target, "met": met}
    self.rows.append(row)
    shown = f"{measured:.4g} {unit}" + (f", ratio {ratio:.2f}" if ratio is not None else "")
    print(f"[{section}] {case}: {shown}" + (f" (target {target})" if target else ""), flush=True)

  def markdown(self, header: str) -> str:
    lines = [header, ""]
    section = None
    for row in self.rows:
      if row["section"] != section:
        section = row["section"]
        lines += ["", f"**{section}**", "", "| case | measured | ratio | target | met |"]
        lines += ["|---|---|---|---|---|"]
      ratio = "" if row["ratio"] is None else f"{row['ratio']:.2f}"
      met = {None: "", True: "yes", False: "**no**"}[row["met"]]
      measured = f"{row['measured']:.4g} {row['unit']}"
      lines.append(f"| {row['case']} | {measured} | {ratio} | {row['target'] or ''} | {met} |")
    return "\n".join(lines) + "\n"

  def activation_table(self, header: str) -> str:
    """One row per activation: the speed and the deep network's memory against jax.nn's."""
    found = {}
    for row in self.rows:
      name, _, case = row["case"].partition(": ")
      if name in RULES and row["section"].startswith(
        ("Activations", "Memory: temporary bytes of value_and_grad of an MLP")
      ):
        found[name, case, row["unit"]] = row
    lines = [
      header,
      "",
      "| activation | g' read from | fwd + bwd, jacts | jax.nn / jacts | MLP memory, jacts "
      "| jax.nn / jacts |",
    ]
    lines.append("|---|---|---:|---:|---:|---:|")
    for name, rule in RULES.items():
      speed, speed_ratio = (
        found.get((name, "jacts", "ms")),
        found.get((name, "jax.nn / jacts", "ms")),
      )
      memory, memory_ratio = (
        found.get((name, "jacts", "MiB")),
        found.get((name, "jax.nn / jacts", "MiB")),
      )
      if speed is None:
        continue
      defaults = [None if p.default is None else float(p.default) for p in rule.parameters]
      conventions = [k.default for k in rule.kinks]
      if rule.elementwise:
        source = rule.kept(defaults, conventions).value
      else:
        source = "a" if rule.keeps_output else "z"
      cells = [f"`{name}`", source, f"{speed['measured']:.1f} ms", f"{speed_ratio['ratio']:.2f}"]
      cells += (
        [f"{memory['measured']:.0f} MiB", f"{memory_ratio['ratio']:.2f}"] if memory else ["-", "-"]
      )
      lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"
