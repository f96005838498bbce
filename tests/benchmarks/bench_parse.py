"""Time Snakemake takes to parse this workflow (a dry-run of the default config), a commit against a
baseline commit, alternated in one run (not collected by pytest).

Every dry-run pays it, and so does every cluster job (a SLURM job re-parses the Snakefile before its
rule runs). Both commits are checked out as git worktrees in a scratch directory, with no results,
so each dry-run plans every job of the default run:

    python tests/benchmarks/bench_parse.py --baseline 6436db8
    python tests/benchmarks/bench_parse.py --baseline 6436db8 --commit HEAD --repeats 5

Prints, for each commit, the median wall and CPU time of `snakemake -n --cores 1` and of importing
the plan (`import rgcoarse.pipeline.plan`), and the ratios baseline / commit.
"""

import argparse
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def timed(command: list[str], tree: Path) -> tuple[float, float]:
    """(wall, CPU of the child) of one command run in ``tree`` with its own package first on the path."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(command, cwd=tree, capture_output=True, text=True, env={"PYTHONPATH": str(tree / "lib"),
                                                                               "PATH": str(Path(sys.executable).parent) + ":/usr/bin:/bin",
                                                                               "HOME": str(Path.home())})
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed in {tree}:\n{proc.stderr[-2000:]}")
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--baseline", required=True, help="a commit to compare with")
    parser.add_argument("--commit", default="HEAD", help="the commit measured (default: HEAD)")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="bench_parse_"))
    trees = {f"commit {args.commit}": scratch / "commit", f"baseline {args.baseline}": scratch / "baseline"}
    for path, commit in zip(trees.values(), (args.commit, args.baseline)):
        subprocess.run(["git", "-C", str(REPO), "worktree", "add", "--detach", str(path), commit], check=True,
                       capture_output=True)
    commands = {"dry-run": [sys.executable, "-m", "snakemake", "-n", "--cores", "1", "--quiet", "all"],
                "import plan": [sys.executable, "-c", "import rgcoarse.pipeline.plan"]}
    times = {(tree, what): [] for tree in trees for what in commands}
    try:
        for _ in range(args.repeats):
            for tree, path in trees.items():  # alternated, so a change of load hits both
                for what, command in commands.items():
                    times[(tree, what)].append(timed(command, path))
    finally:
        for path in trees.values():
            subprocess.run(["git", "-C", str(REPO), "worktree", "remove", "--force", str(path)], capture_output=True)
    medians = {key: (statistics.median(w for w, _ in values), statistics.median(c for _, c in values))
               for key, values in times.items()}
    for (tree, what), (wall, cpu) in medians.items():
        print(f"{tree:>20} {what:>12}: wall {wall:.2f} s, CPU {cpu:.2f} s (median of {args.repeats})")
    names = list(trees)
    for what in commands:
        base, this = medians[(names[1], what)], medians[(names[0], what)]
        print(f"{what}: baseline / commit = {base[0] / this[0]:.2f}x wall, {base[1] / this[1]:.2f}x CPU")


if __name__ == "__main__":
    main()
