"""jacts benchmarks: ratios against what users would write instead, all measured in one process.

Run: python benchmarks/run.py [--quick] [--out benchmarks/results] [--only SECTION ...]

Each case is timed as the median of several repeats after a warm-up call (these machines are
shared and noisy), and reported as a ratio to jacts in the same run. Writes latest.md (the
table the README shows) and latest.json to --out. --quick shrinks every size for a smoke run.

The sections live in one module per family, over the shared harness (harness.py: the timing,
machine(), Report): planar.py (planar, first), many_networks.py (many), large_network.py
(large), activations.py (activations, hvp), memory.py (memory, deep), training_step.py (step),
parallel.py (parallel),
startup.py (startup).
"""

import argparse
import json
import pathlib
import time
from datetime import date

from activations import activations, hessian_vector_products
from harness import Report, machine
from large_network import large_network
from many_networks import many_networks
from memory import deep_memory, memory
from parallel import parallel_scaling
from planar import first_run, planar
from startup import startup
from training_step import training_step

SECTIONS = {
  "startup": startup,
  "first": first_run,
  "planar": planar,
  "many": many_networks,
  "large": large_network,
  "activations": activations,
  "memory": memory,
  "deep": deep_memory,
  "step": training_step,
  "hvp": hessian_vector_products,
  "parallel": parallel_scaling,
}


def main() -> None:
  parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
  parser.add_argument("--quick", action="store_true", help="small sizes: a smoke run")
  parser.add_argument("--out", default=str(pathlib.Path(__file__).parent / "results"))
  parser.add_argument("--only", nargs="*", choices=list(SECTIONS), help="run these sections")
  args = parser.parse_args()

  started = time.perf_counter()
  report = Report()
  for name, section in SECTIONS.items():
    if not args.only or name in args.only:
      section(report, args.quick)
  out = pathlib.Path(args.out)
  out.mkdir(parents=True, exist_ok=True)
  minutes = (time.perf_counter() - started) / 60
  header = (
    f"Measured on {machine()}{' (--quick)' if args.quick else ''}, {date.today()}, in "
    f"{minutes:.0f} minutes. Ratios: other / jacts."
  )
  (out / "latest.md").write_text(report.markdown(header))
  if any(row["section"].startswith("Activations") for row in report.rows):
    (out / "activations.md").write_text(report.activation_table(header))
  (out / "latest.json").write_text(
    json.dumps({"machine": machine(), "rows": report.rows}, indent=1)
  )
  print(f"\nWrote {out / 'latest.md'} and {out / 'latest.json'}")


if __name__ == "__main__":
  main()
