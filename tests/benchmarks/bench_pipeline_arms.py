"""Wall time of one arm of the default pipeline on this machine (not collected by pytest).

Copies the workflow and the default config to a scratch directory and runs the arm's
targets there with `snakemake --cores N`, so the repository's results/ are untouched:

    python tests/benchmarks/bench_pipeline_arms.py --arm glass --cores 2
    python tests/benchmarks/bench_pipeline_arms.py --arm ising --cores 2

The `all` arm is the whole default run (`snakemake --cores N`). Besides the wall time it prints
the largest job's peak RSS, the summed job time per stage and the critical path
(`pipeline_timeline.py`, from the run's log).
"""

import argparse
import os
import resource
import shutil
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(Path(__file__).resolve().parent))
from pipeline_timeline import report, run_logged  # noqa: E402


def arm_targets(workdir: Path, arm: str) -> list[str]:
    """Snakemake arguments that build only an arm's targets, named by the workflow's own functions."""
    if arm == "all":
        return []
    code = (
        "plan.glass_data_targets() + plan.glass_validation_targets()" if arm == "glass"
        else "[f'results/data/ising/{c}.parquet' for c in plan.ising_conditions()]"
    )
    (workdir / "Targets.smk").write_text(
        'include: "Snakefile"\n\n'
        f"rule bench_targets:\n    input: {code}\n"
    )
    return ["--snakefile", "Targets.smk", "bench_targets"]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--arm", choices=["glass", "ising", "all"], default="glass")
    parser.add_argument("--cores", type=int, default=2)
    parser.add_argument("--keep", action="store_true", help="keep the scratch directory")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix=f"bench_{args.arm}_"))
    for name in ("Snakefile", "config.yaml"):
        shutil.copy(REPO / name, workdir / name)
    for name in ("workflow", "profiles", "envs"):
        shutil.copytree(REPO / name, workdir / name)
    extra = arm_targets(workdir, args.arm)
    load = os.getloadavg()[0]
    wall, log = run_logged([sys.executable, "-m", "snakemake", "--cores", str(args.cores), *extra], workdir)
    peak_gib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 2**20  # KiB on Linux
    print(f"arm {args.arm}: {wall:.1f} s wall on --cores {args.cores}; largest job peak RSS {peak_gib:.2f} GiB; "
          f"load average {load:.2f} before, {os.getloadavg()[0]:.2f} after (scratch: {workdir})")
    print(report(log))
    if not args.keep:
        shutil.rmtree(workdir)


if __name__ == "__main__":
    main()
