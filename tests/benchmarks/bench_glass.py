"""Benchmarks of the glass arm (not collected by pytest; run by hand):

    .venv/bin/python tests/benchmarks/bench_glass.py [--steps 10000] [--repeats 3]

1. MD speed through the pipeline's runner (`run_stage`: fingerprint, script writing,
   subprocess, progress polling) against LAMMPS launched directly with the same argv,
   environment and input script, alternating, in the same run. Target: overhead <= 10 %.
2. The p_hop prefix-sum kernel against the direct window formula at t_R = 100 frames
   (1000 frames x 1000 particles). Target: >= 50x.
"""

import argparse
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

import numpy as np

from rgcoarse.glass import (
    CHECKPOINTS,
    DEFAULT_COMMAND,
    INPUT_DATA,
    SCRIPT,
    KobAndersenModel,
    Stage,
    input_script,
    resolve_command,
    run_stage,
)
from rgcoarse.glass.phop import phop, phop_direct


def bench_md(n_steps, repeats, tasks, command, scratch):
    model = KobAndersenModel(n_particles=1000)
    start = run_stage(model, Stage("equilibrate", 0.5, 2000, seed=1), scratch / "start", tasks=tasks,
                      command=command, log=lambda _: None)
    stage = Stage("produce", 0.5, n_steps, seed=2, dump_every=100, thermo_every=100, restart_every=n_steps)
    argv, env = resolve_command(command, tasks)
    runner, direct = [], []
    for k in range(repeats):
        t0 = time.perf_counter()
        run_stage(model, stage, scratch / f"runner{k}", input_data=start.output_data, tasks=tasks,
                  command=command, log=lambda _: None)
        runner.append(time.perf_counter() - t0)
        workdir = scratch / f"direct{k}"
        (workdir / CHECKPOINTS).mkdir(parents=True)
        shutil.copyfile(start.output_data, workdir / INPUT_DATA)
        (workdir / SCRIPT).write_text(input_script(model, stage))
        t0 = time.perf_counter()
        subprocess.run(argv + ["-in", SCRIPT, "-log", "none", "-screen", "none", "-nocite"], cwd=workdir,
                       env=env, check=True)
        direct.append(time.perf_counter() - t0)
    r, d = statistics.median(runner), statistics.median(direct)
    print(f"MD, N = 1000, T = 0.5, {n_steps} steps, {tasks} task(s), median of {repeats}:")
    print(f"  runner  {n_steps / r:8.0f} steps/s  ({r:.2f} s; runs {', '.join(f'{x:.2f}' for x in runner)})")
    print(f"  direct  {n_steps / d:8.0f} steps/s  ({d:.2f} s; runs {', '.join(f'{x:.2f}' for x in direct)})")
    print(f"  runner overhead: {100 * (r / d - 1):+.1f} %  (target <= 10 %)")


def bench_phop(repeats):
    rng = np.random.default_rng(0)
    x = np.cumsum(rng.normal(0, 0.05, size=(1000, 1000, 3)), axis=0).astype(np.float32)
    half = 50  # t_R = 100 frames
    phop(x[:2 * half + 2, :2], half)  # compile outside the timing
    fast, slow = [], []
    for _ in range(repeats):
        t0 = time.perf_counter()
        a = phop(x, half)
        fast.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        b = phop_direct(x, half)
        slow.append(time.perf_counter() - t0)
    f, s = min(fast), min(slow)
    print(f"p_hop, 1000 frames x 1000 particles, t_R = 100 frames, best of {repeats}:")
    print(f"  prefix sums {f * 1e3:8.1f} ms, direct window formula {s * 1e3:8.1f} ms, "
          f"max |difference| {np.max(np.abs(a - b)):.2e}")
    print(f"  speed-up: {s / f:.0f}x  (target >= 50x)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--steps", type=int, default=10000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--tasks", type=int, default=1)
    parser.add_argument("--command", default=DEFAULT_COMMAND)
    args = parser.parse_args()
    bench_phop(args.repeats)
    with tempfile.TemporaryDirectory() as scratch:
        bench_md(args.steps, args.repeats, args.tasks, args.command, Path(scratch))
