"""CPU of Snakemake's own process under each job scheduler, same workflow, same run (not collected by pytest).

Runs the whole pipeline on a configuration (default: the tiny test overlay, about 2 minutes on 2
cores; ``--config-file config.yaml`` for the default run) once per scheduler in fresh copies, with
Snakemake in a process of its own whose CPU (user + system, its jobs' processes excluded) is
read at its exit:

    python tests/benchmarks/bench_scheduler.py --cores 2
    python tests/benchmarks/bench_scheduler.py --cores 2 --schedulers greedy ilp greedy ilp

Prints per run: the scheduler, the jobs run, wall time, Snakemake's own CPU and CPU per job; then
the ratio of the mean own CPU of ``ilp`` over ``greedy``.
"""

import argparse
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "tests"))
sys.path.insert(0, str(REPO / "lib"))
from conftest import TINY_CONFIG, copy_workflow  # noqa: E402

# Snakemake in this process; its own CPU printed at exit (children, i.e. the jobs, are not counted).
RUNNER = """
import atexit, resource, sys
def report():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    print(f"OWN_CPU {usage.ru_utime + usage.ru_stime:.3f}", file=sys.stderr)
atexit.register(report)
from snakemake.cli import main
sys.argv = ["snakemake", *sys.argv[1:]]
main()
"""


def run(config: Path, scheduler: str, cores: int) -> dict:
    workdir = copy_workflow(Path(tempfile.mkdtemp(prefix=f"bench_sched_{scheduler}_")), config)
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", RUNNER, "--cores", str(cores), "--scheduler", scheduler],
                          cwd=workdir, capture_output=True, text=True)
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"snakemake failed in {workdir}:\n{proc.stderr[-3000:]}")
    own = float(re.search(r"OWN_CPU ([0-9.]+)", proc.stderr).group(1))
    jobs = len(re.findall(r"^Finished jobid", proc.stderr, re.M))
    return {"scheduler": scheduler, "jobs": jobs, "wall": wall, "own_cpu": own}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cores", type=int, default=2)
    parser.add_argument("--config-file", type=Path, default=TINY_CONFIG,
                        help="config.yaml or an overlay on it (default: the tiny test overlay)")
    parser.add_argument("--schedulers", nargs="+", default=["greedy", "ilp"], choices=["greedy", "ilp"])
    args = parser.parse_args()
    results = [run(args.config_file, scheduler, args.cores) for scheduler in args.schedulers]
    for r in results:
        print(f"{r['scheduler']:>6}: {r['jobs']} jobs, wall {r['wall']:.1f} s, Snakemake's own CPU {r['own_cpu']:.1f} s "
              f"({1000 * r['own_cpu'] / max(r['jobs'], 1):.0f} ms per job)")
    means = {s: sum(r["own_cpu"] for r in results if r["scheduler"] == s) / max(1, sum(r["scheduler"] == s for r in results))
             for s in set(args.schedulers)}
    if {"greedy", "ilp"} <= set(means):
        print(f"own CPU, ilp over greedy: {means['ilp'] / means['greedy']:.2f}x")


if __name__ == "__main__":
    main()
