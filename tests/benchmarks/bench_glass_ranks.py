"""MD speed of the Kob–Andersen glass at N = 1000, 4000, 8000 with 1 and 2 MPI ranks (not
collected by pytest; run by hand on an otherwise idle machine):

    .venv/bin/python tests/benchmarks/bench_glass_ranks.py [--sizes 1000 4000 8000] [--atom-steps 4e6]

For each N a short equilibration (minimisation + 200 steps at T = 1.0) makes a start; then a
Nose–Hoover run at T = 1.0 with frames every 100 steps (as the pipeline's productions) runs with
1 and with 2 ranks, alternating, in the same process. Steps/s come from LAMMPS' own
"Loop time" line of the MD run (start-up excluded). Prints steps/s, atom-steps/s, the 2-rank /
1-rank ratio and the core-seconds per 1000 tau (dt = 0.005) at each N, with the load average.
It is what sizes the sensitivity study (docs/glass_study.md).
"""

import argparse
import os
import re
import tempfile
from pathlib import Path

from rgcoarse.glass import KobAndersenModel, Stage, run_stage

LOOP = re.compile(r"^Loop time of ([0-9.eE+-]+) on (\d+) procs for (\d+) steps with (\d+) atoms", re.M)


def md_seconds(log: Path) -> tuple[float, int]:
    """Seconds and steps of the last MD loop of a LAMMPS log."""
    loops = LOOP.findall(log.read_text())
    if not loops:
        raise RuntimeError(f"{log}: no 'Loop time' line")
    seconds, _, n_steps, _ = loops[-1]
    return float(seconds), int(n_steps)


def steps_per_second(model, start, n_steps, tasks, workdir) -> float:
    stage = Stage("produce", 1.0, n_steps, seed=2, dump_every=100, thermo_every=100, restart_every=n_steps)
    result = run_stage(model, stage, workdir, input_data=start, tasks=tasks, log=lambda _: None)
    seconds, steps = md_seconds(result.log)
    return steps / seconds


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 4000, 8000])
    parser.add_argument("--atom-steps", type=float, default=4e6, help="N x steps per timed run")
    parser.add_argument("--repeats", type=int, default=2)
    args = parser.parse_args()
    print(f"load average at start: {os.getloadavg()[0]:.2f} (cores: {os.cpu_count()})")
    print(f"{'N':>6} {'ranks':>5} {'steps/s':>9} {'atom-steps/s':>13} {'core-s / 1000 tau':>18} {'2/1 ranks':>9}")
    with tempfile.TemporaryDirectory() as scratch:
        scratch = Path(scratch)
        for n in args.sizes:
            model = KobAndersenModel(n_particles=n)
            start = run_stage(model, Stage("equilibrate", 1.0, 200, seed=1), scratch / f"start{n}", tasks=2,
                              log=lambda _: None).output_data
            n_steps = max(100, int(args.atom_steps / n) // 100 * 100)
            speed = {1: [], 2: []}
            for repeat in range(args.repeats):
                for tasks in (1, 2):
                    speed[tasks].append(steps_per_second(model, start, n_steps, tasks, scratch / f"run{n}_{tasks}_{repeat}"))
            for tasks in (1, 2):
                best = max(speed[tasks])
                core_seconds = tasks * 200_000 / best  # 1000 tau = 200000 steps of 0.005
                ratio = f"{max(speed[2]) / max(speed[1]):.2f}" if tasks == 2 else ""
                print(f"{n:>6} {tasks:>5} {best:>9.0f} {best * n:>13.3g} {core_seconds:>18.0f} {ratio:>9}", flush=True)
    print(f"load average at end: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
